/*
 * Text that came from outside (exception messages, file names, sys.path
 * entries) made safe to print on a terminal, and the UTF-8 rule the JSON
 * writer shares with it.
 */
#ifndef EXTPROBE_RENDER_ESCAPE_H
#define EXTPROBE_RENDER_ESCAPE_H

#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at p (Unicode 15, table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), 0 when p does not
 * start one. p is NUL-terminated. */
size_t ep_utf8_seq(const unsigned char *p);

/* s with every control character written out: C0 controls (\t, \r and, in
 * single-line text, \n by name; the rest as \xNN), DEL, C1 controls
 * (U+0080-U+009F, as \u0080), and bytes that are not UTF-8 (\xNN). A
 * terminal then shows what the string holds instead of obeying it (ESC
 * sequences, BEL, CR overwriting the line). Backslashes are left as they
 * are: the text is for reading, the JSON is the exact form. Returns s itself
 * when there is nothing to escape, else a copy in a; NULL only when s is
 * NULL or the copy cannot be made.
 * Ownership: borrowed (valid until a is released, or as long as s). */
const char *ep_text_clean(ep_arena *a, const char *s, bool keep_newlines);

#endif
