/*
 * The JSON writer every document goes through (inspect, deps, explain):
 * strings escaped once, here, so the CLI and the shim cannot disagree.
 */
#ifndef EXTPROBE_RENDER_JSON_H
#define EXTPROBE_RENDER_JSON_H

#include "util/strbuf.h"

#include <stdbool.h>

/* Nesting deeper than this is a programming error in a writer. */
#define EP_JSON_MAX_DEPTH 32

typedef struct ep_json {
    ep_strbuf out;
    int fd;          /* -1: the document is built in out; else it is
                      * written to fd whenever out holds EP_JSON_CHUNK */
    int write_errno; /* the first failed write (sticky), 0 when none */
    int depth;
    bool pretty;
    bool need_comma[EP_JSON_MAX_DEPTH];
    bool after_key;
} ep_json;

/* Bytes gathered before a streaming writer writes them out: large enough
 * that write(2) costs nothing per record, small enough that memory stays
 * flat however many documents stream through. */
#define EP_JSON_CHUNK (64 * 1024)

void ep_json_init(ep_json *j, bool pretty);
/* A writer that streams to fd (not closed by the writer): every document
 * goes out in EP_JSON_CHUNK pieces, so nothing grows with the input. */
void ep_json_init_fd(ep_json *j, bool pretty, int fd);
/* Write out what is gathered when it is at least EP_JSON_CHUNK (or always,
 * with force). No-op for a string writer. False once a write or an
 * allocation failed. */
bool ep_json_flush(ep_json *j, bool force);
void ep_json_begin_object(ep_json *j);
void ep_json_end_object(ep_json *j);
void ep_json_begin_array(ep_json *j);
void ep_json_end_array(ep_json *j);
void ep_json_key(ep_json *j, const char *key);
void ep_json_string(ep_json *j, const char *s); /* NULL writes null */
void ep_json_int(ep_json *j, long long v);
void ep_json_uint(ep_json *j, unsigned long long v);
void ep_json_bool(ep_json *j, bool v);
void ep_json_null(ep_json *j);
void ep_json_strlist(ep_json *j, ep_strlist list);
/* One object member: the key and its value in one call. */
void ep_json_member_string(ep_json *j, const char *key, const char *s);
void ep_json_member_int(ep_json *j, const char *key, long long v);
void ep_json_member_uint(ep_json *j, const char *key, unsigned long long v);
void ep_json_member_bool(ep_json *j, const char *key, bool v);
void ep_json_member_strlist(ep_json *j, const char *key, ep_strlist list);
/* The hot loops' forms: a key, or a value word, that this program wrote
 * itself (a literal or a name from its own tables: printable ASCII, no '"'
 * or '\\') goes out as it is, without the escape scan. Anything read from
 * a file goes through ep_json_key()/ep_json_string(). */
void ep_json_key_plain(ep_json *j, const char *key, size_t len);
void ep_json_word(ep_json *j, const char *word); /* NULL writes null */
/* A string of known length (s[len] is its NUL), escaped; returns whether it
 * needed no escaping, so that a second copy can go out with
 * ep_json_plain_n() without the scan. */
bool ep_json_string_n(ep_json *j, const char *s, size_t len);
void ep_json_plain_n(ep_json *j, const char *s, size_t len);
#define ep_json_key_lit(j, lit) ep_json_key_plain((j), "" lit, sizeof(lit) - 1)
/* The document with a trailing newline, or NULL when memory ran out. */
char *ep_json_finish(ep_json *j);
/* A streaming writer's end: the trailing newline, everything written out,
 * the buffer released. EP_ERR_IO (with the errno) or EP_ERR_NOMEM. */
ep_status ep_json_finish_fd(ep_json *j, ep_error *err);

#endif
