/*
 * The record format shared with facts.py and trial.py: one record per line,
 * TAB between fields, and \\, \t, \n, \0 (None) as escapes.
 */
#include "interp/interp.h"
#include "util/error.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

static const char *
unescape(ep_arena *a, const char *s, size_t n)
{
    if (n == 2 && s[0] == '\\' && s[1] == '0') {
        return NULL;
    }
    char *out = ep_arena_alloc(a, n + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            out[k++] = c == 't' ? '\t' : c == 'n' ? '\n' : c;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

ep_status
ep_records_parse(ep_arena *a, const char *text, size_t len, ep_record **out,
                 size_t *count, ep_error *err)
{
    size_t cap = 0, n = 0;
    ep_record *recs = NULL;
    const char *end = text + len;
    *out = NULL;
    *count = 0;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *stop = nl ? nl : end;
        if (stop > line) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                ep_record *p = ep_arena_alloc(a, cap * sizeof(*p));
                if (p == NULL) {
                    return ep_fail_nomem(err);
                }
                if (n) {
                    memcpy(p, recs, n * sizeof(*p));
                }
                recs = p;
            }
            ep_record *r = &recs[n++];
            memset(r, 0, sizeof(*r));
            for (const char *f = line;
                 f <= stop && r->nfields < EP_RECORD_MAX_FIELDS;) {
                const char *tab = memchr(f, '\t', (size_t)(stop - f));
                const char *fend = tab ? tab : stop;
                r->field[r->nfields] = unescape(a, f, (size_t)(fend - f));
                if (r->field[r->nfields] == NULL &&
                    !((fend - f) == 2 && f[0] == '\\' && f[1] == '0')) {
                    return ep_fail_nomem(err);
                }
                r->nfields++;
                if (tab == NULL) {
                    break;
                }
                f = tab + 1;
            }
        }
        line = stop + 1;
    }
    *out = recs;
    *count = n;
    return EP_OK;
}
