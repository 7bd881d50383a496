/*
 * ep_provenance_read(): find the DWARF (locate.c), have the helper read it
 * (isolate.c), and turn its records into ep_provenance_info. Everything the
 * helper says is checked here: an unknown record, a wrong field count or a
 * missing "end" makes the debug info unreadable ("garbage from the reader"),
 * never a half-filled answer.
 */
#include "dwarf/provenance.h"
#include "util/path.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct ep_provenance {
    ep_arena arena;
    ep_provenance_info info;
};

const char *
ep_debug_status_str(ep_debug_status status)
{
    switch (status) {
    case EP_DEBUG_ABSENT:
        return "absent";
    case EP_DEBUG_READ:
        return "read";
    case EP_DEBUG_UNREADABLE:
        return "unreadable";
    }
    return "unknown";
}

/* DW_LANG numbers (DWARF 5, 7.12) that extension modules are written in. */
static const char *
language_name(ep_arena *a, unsigned long lang)
{
    static const struct {
        unsigned long code;
        const char *name;
    } langs[] = {
        {0x1, "C89"},          {0x2, "C"},
        {0x4, "C++"},          {0x7, "Fortran77"},
        {0x8, "Fortran90"},    {0xc, "C99"},
        {0xe, "Fortran95"},    {0x16, "Go"},
        {0x19, "C++03"},       {0x1a, "C++11"},
        {0x1c, "Rust"},        {0x1d, "C11"},
        {0x21, "C++14"},       {0x22, "Fortran03"},
        {0x23, "Fortran08"},   {0x2c, "C17"},
        {0x8001, "assembler"},
    };
    if (lang == 0) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        if (langs[i].code == lang) {
            return langs[i].name;
        }
    }
    return ep_arena_printf(a, "DW_LANG 0x%lx", lang);
}

/* Compiler, version and options from a DW_AT_producer:
 *   "GNU C17 12.2.0 -mtune=generic -march=x86-64 -g -O2 -fPIC"
 *   "clang LLVM (rustc version 1.95.0 (59807616e 2026-04-14))"
 *   "Debian clang version 14.0.6" */
static bool
parse_producer(ep_arena *a, ep_build_unit *u)
{
    const char *p = u->producer;
    ep_strvec flags = {0};
    const char *rv = strstr(p, "rustc version ");
    const char *cv = strstr(p, "clang version ");
    if (rv != NULL) {
        u->compiler = "rustc";
        rv += strlen("rustc version ");
        u->compiler_version = ep_arena_strndup(a, rv, strcspn(rv, " )"));
    } else if (strncmp(p, "GNU ", 4) == 0) {
        /* GNU <language> <version> <options> */
        u->compiler = strncmp(p + 4, "C++", 3) == 0       ? "g++"
                      : strncmp(p + 4, "Fortran", 7) == 0 ? "gfortran"
                      : strncmp(p + 4, "AS", 2) == 0      ? "as"
                                                          : "gcc";
        const char *v = strchr(p + 4, ' ');
        if (v != NULL) {
            v++;
            u->compiler_version = ep_arena_strndup(a, v, strcspn(v, " "));
        }
    } else if (cv != NULL) {
        u->compiler = "clang";
        cv += strlen("clang version ");
        u->compiler_version = ep_arena_strndup(a, cv, strcspn(cv, " )"));
    }
    /* Options: the words that start with '-' (gcc's -grecord-gcc-switches). */
    for (const char *w = p; *w;) {
        while (*w == ' ') {
            w++;
        }
        size_t n = strcspn(w, " ");
        if (n > 1 && w[0] == '-') {
            char *f = ep_arena_strndup(a, w, n);
            if (f == NULL || !ep_strvec_push(a, &flags, f)) {
                return false;
            }
        }
        w += n;
    }
    u->flags = ep_strvec_list(&flags);
    return true;
}

/* Split one record line in place: fields unescaped, at most max. */
static size_t
split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *w = line;
    fields[n++] = w;
    for (char *r = line; *r; r++) {
        if (*r == '\t') {
            *w++ = '\0';
            if (n == max) {
                return max + 1; /* too many */
            }
            fields[n++] = w;
        } else if (*r == '\\' && r[1] != '\0') {
            r++;
            *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n;
}

/* The include directory a header path stands for: the directory holding
 * Python.h (3.8+ keep some headers in cpython/ and internal/). */
static char *
header_dir(ep_arena *a, const char *path)
{
    const char *base = ep_basename(path);
    size_t n = (size_t)(base - path);
    while (n > 1 && path[n - 1] == '/') {
        n--;
    }
    static const char *const subdirs[] = {"/cpython", "/internal"};
    for (size_t i = 0; i < 2; i++) {
        size_t sl = strlen(subdirs[i]);
        if (n > sl && memcmp(path + n - sl, subdirs[i], sl) == 0) {
            n -= sl;
        }
    }
    return ep_arena_strndup(a, path, n);
}

/* object.h or pyerrors.h alone could be another project's header: the
 * directory must also look like Python's. */
static bool
python_dir(const char *dir, const char *header)
{
    static const char *const sure[] = {"Python.h", "patchlevel.h", "pyport.h",
                                       "pymacro.h", "pytypedefs.h"};
    for (size_t i = 0; i < sizeof(sure) / sizeof(sure[0]); i++) {
        if (strcmp(ep_basename(header), sure[i]) == 0) {
            return true;
        }
    }
    for (const char *p = dir; *p; p++) {
        if (strncasecmp(p, "python", 6) == 0) {
            return true;
        }
    }
    return false;
}

static const char *
unquote(ep_arena *a, const char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        return ep_arena_strndup(a, v + 1, n - 2);
    }
    return ep_arena_strdup(a, v);
}

typedef struct collect {
    ep_provenance *p;
    ep_build_unit *units;
    size_t nunits, cap;
    ep_strvec headers;
    ep_strvec sources;
    bool ended;
    const char *error;
} collect;

static bool
add_unit(collect *c, const char *producer, const char *lang)
{
    ep_arena *a = &c->p->arena;
    char *end = NULL;
    unsigned long code = strtoul(lang, &end, 10);
    if (end == lang || *end != '\0') {
        return false;
    }
    const char *lname = language_name(a, code);
    c->p->info.units++;
    for (size_t i = 0; i < c->nunits; i++) {
        if (strcmp(c->units[i].producer, producer) == 0 &&
            (c->units[i].language == lname ||
             (lname && c->units[i].language &&
              strcmp(c->units[i].language, lname) == 0))) {
            c->units[i].units++;
            return true;
        }
    }
    if (c->nunits == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        ep_build_unit *u = ep_arena_alloc(a, cap * sizeof(*u));
        if (u == NULL) {
            return false;
        }
        if (c->nunits) {
            memcpy(u, c->units, c->nunits * sizeof(*u));
        }
        c->units = u;
        c->cap = cap;
    }
    ep_build_unit *u = &c->units[c->nunits++];
    memset(u, 0, sizeof(*u));
    u->producer = ep_arena_strdup(a, producer);
    u->language = lname;
    u->units = 1;
    if (u->producer == NULL || !parse_producer(a, u)) {
        return false;
    }
    if (u->compiler != NULL && strcmp(u->compiler, "rustc") == 0) {
        c->p->info.rust = true;
    }
    return true;
}

/* The source file of a unit as the compiler saw it: DW_AT_name resolved
 * against DW_AT_comp_dir (setuptools passes "src/core.c" from the project
 * directory). rustc names its codegen units "src/lib.rs/@/<cgu>": the file
 * is the part before "/@/". Names in angle brackets ("<stdin>", "<built-in>")
 * and empty names are no file: NULL, and *ok stays true. */
static const char *
unit_source(ep_arena *a, const char *name, const char *comp_dir, bool *ok)
{
    *ok = true;
    const char *cgu = strstr(name, "/@/");
    size_t n = cgu != NULL ? (size_t)(cgu - name) : strlen(name);
    if (n == 0 || name[0] == '<') {
        return NULL;
    }
    while (n > 2 && name[0] == '.' && name[1] == '/') {
        name += 2;
        n -= 2;
    }
    const char *path;
    if (name[0] == '/' || comp_dir[0] == '\0') {
        path = ep_arena_strndup(a, name, n);
    } else {
        size_t d = strlen(comp_dir);
        while (d > 1 && comp_dir[d - 1] == '/') {
            d--;
        }
        path = ep_arena_printf(a, "%.*s/%.*s", (int)d, comp_dir, (int)n, name);
    }
    *ok = path != NULL;
    return path;
}

/* One record; false when it is not one the helper writes. */
static bool
take_record(collect *c, char *line)
{
    ep_arena *a = &c->p->arena;
    ep_provenance_info *in = &c->p->info;
    char *f[7];
    size_t n = split(line, f, 6);
    if (c->ended) {
        return false; /* nothing follows the last record */
    }
    if (strcmp(f[0], "unit") == 0 && n == 6) {
        if (strcmp(f[4], "1") == 0) {
            in->has_macros = true;
        }
        bool ok = true;
        const char *src = c->sources.count < EP_DWARF_SOURCES_MAX
                              ? unit_source(a, f[3], f[5], &ok)
                              : NULL;
        if (!ok || (src != NULL && !ep_strvec_contains(&c->sources, src) &&
                    !ep_strvec_push(a, &c->sources, src))) {
            return false;
        }
        return add_unit(c, f[1], f[2]);
    }
    if (strcmp(f[0], "pyhdr") == 0 && n == 2) {
        char *d = header_dir(a, f[1]);
        if (d == NULL) {
            return false;
        }
        if (python_dir(d, f[1]) && !ep_strvec_contains(&c->headers, d)) {
            return ep_strvec_push(a, &c->headers, d);
        }
        return true;
    }
    if (strcmp(f[0], "macro") == 0 && n == 3) {
        if (strcmp(f[1], "PY_VERSION") == 0 && in->py_version == NULL) {
            in->py_version = unquote(a, f[2]);
        } else if (strcmp(f[1], "Py_LIMITED_API") == 0 &&
                   in->limited_api == NULL) {
            in->limited_api = ep_arena_strdup(a, f[2]);
        } else if (strcmp(f[1], "Py_DEBUG") == 0) {
            in->py_debug = true;
        } else if (strcmp(f[1], "Py_GIL_DISABLED") == 0) {
            in->py_gil_disabled = strcmp(f[2], "0") != 0;
        }
        return true;
    }
    if (strcmp(f[0], "error") == 0 && n == 2) {
        c->error = ep_arena_strdup(a, f[1]);
        c->ended = true;
        return true;
    }
    if (strcmp(f[0], "end") == 0 && n == 2) {
        c->ended = true;
        return strtoul(f[1], NULL, 10) == in->units;
    }
    return false;
}

/* An answer that is not the record format; compared by address to tell them
 * from the reader's own "error" record. */
static const char reason_garbage[] = "garbage from the reader";
static const char reason_cut_short[] = "the reader stopped before the end";

static ep_status
parse(ep_provenance *p, char *records, ep_error *err)
{
    collect c = {.p = p};
    ep_provenance_info *in = &p->info;
    bool ok = true;
    char *line = records;
    while (ok && *line) {
        char *nl = strchr(line, '\n');
        if (nl == NULL) {
            ok = false; /* cut off mid-line */
            break;
        }
        *nl = '\0';
        ok = take_record(&c, line);
        line = nl + 1;
    }
    in->producers = c.units;
    in->nproducers = c.nunits;
    in->python_headers = ep_strvec_list(&c.headers);
    in->sources = ep_strvec_list(&c.sources);
    if (ok && c.ended && c.error == NULL) {
        in->status = EP_DEBUG_READ;
        return EP_OK;
    }
    in->status = EP_DEBUG_UNREADABLE;
    in->reason = c.error != NULL ? c.error
                 : !ok           ? reason_garbage
                                 : reason_cut_short;
    (void)err;
    return EP_OK;
}

ep_status
ep_provenance_from_records(const char *data, size_t len, ep_provenance **out,
                           ep_error *err)
{
    if (out == NULL || (data == NULL && len > 0)) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *out = NULL;
    ep_provenance *p = calloc(1, sizeof(*p));
    char *records = malloc(len + 1);
    if (p == NULL || records == NULL) {
        free(p);
        free(records);
        return ep_fail_nomem(err);
    }
    ep_arena_init(&p->arena);
    if (len > 0) {
        memcpy(records, data, len);
    }
    records[len] = '\0';
    ep_status st = EP_OK;
    if (memchr(records, '\0', len) != NULL) {
        /* isolate.c refuses such an answer before it gets here. */
        p->info.status = EP_DEBUG_UNREADABLE;
        p->info.reason = reason_garbage;
    } else {
        st = parse(p, records, err);
    }
    free(records);
    if (st != EP_OK) {
        ep_provenance_free(p);
        return st;
    }
    *out = p;
    return EP_OK;
}

ep_status
ep_provenance_read_with(ep_provenance_reader *r, const ep_object *obj,
                        ep_provenance **out, ep_error *err)
{
    if (r == NULL || obj == NULL || out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *out = NULL;
    ep_provenance *p = calloc(1, sizeof(*p));
    if (p == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&p->arena);
    ep_provenance_info *in = &p->info;
    const char *path, *how, *note;
    ep_status st = ep_dwarf_locate(obj, &p->arena, &path, &how, &note, err);
    if (st != EP_OK) {
        ep_provenance_free(p);
        return st;
    }
    in->status = EP_DEBUG_ABSENT;
    in->reason = note;
    if (path != NULL) {
        in->source = how;
        in->debug_file = ep_arena_strdup(&p->arena, path);
        char *records = NULL;
        const char *why = NULL;
        st = ep_dwarf_reader_run(r, path, &p->arena, &records, &why, err);
        if (st != EP_OK) {
            ep_provenance_free(p);
            return st;
        }
        if (records != NULL) {
            st = parse(p, records, err);
            free(records);
            if (st == EP_OK && (in->reason == reason_garbage ||
                                in->reason == reason_cut_short)) {
                /* A helper that says something else is not trusted with
                 * the next file. */
                ep_dwarf_reader_retire(r);
            }
        } else {
            in->status = EP_DEBUG_UNREADABLE;
            in->reason = why;
        }
    }
    if (st != EP_OK) {
        ep_provenance_free(p);
        return st;
    }
    *out = p;
    return EP_OK;
}

ep_status
ep_provenance_read(const ep_object *obj, ep_provenance **out, ep_error *err)
{
    ep_provenance_reader *r = NULL;
    if (obj == NULL || out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    ep_status st = ep_provenance_reader_new(&r, err);
    if (st == EP_OK) {
        st = ep_provenance_read_with(r, obj, out, err);
    }
    ep_provenance_reader_free(r);
    return st;
}

const ep_provenance_info *
ep_provenance_get(const ep_provenance *prov)
{
    return prov != NULL ? &prov->info : NULL;
}

void
ep_provenance_free(ep_provenance *prov)
{
    if (prov != NULL) {
        ep_arena_release(&prov->arena);
        free(prov);
    }
}
