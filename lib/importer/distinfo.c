/*
 * Installed-distribution evidence: the *.dist-info directories (PEP 376,
 * the core metadata "Recording installed projects" spec) of the
 * interpreter's site directories and sys.path entries, with RECORD (which
 * files the installer wrote), WHEEL (the wheel's tags and generator),
 * top_level.txt, INSTALLER and direct_url.json (PEP 610: where an editable
 * install points). Only metadata is read, and only of the distributions a
 * lookup needs; nothing is imported.
 */
#include "importer/importer.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/arena.h"
#include "util/path.h"
#include "util/grow.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DISTS 20000

static bool
has_suffix(const char *s, const char *x)
{
    size_t n = strlen(s), m = strlen(x);
    return n >= m && strcmp(s + n - m, x) == 0;
}

/* Read a small metadata file of the dist-info; NULL when absent. */
static ep_status
read_meta(ep_arena *a, const ep_dist *d, const char *name, size_t cap,
          char **text, size_t *len, bool *truncated, ep_error *err)
{
    const char *path = ep_path_join(a, d->dir, name);
    ep_error rerr;
    *text = NULL;
    *len = 0;
    if (path == NULL) {
        return ep_fail_nomem(err);
    }
    ep_status st = ep_fs_read(a, path, cap, text, len, truncated, &rerr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st != EP_OK) {
        *text = NULL;
    }
    return EP_OK;
}

/* Next line of text (without "\r\n"), or NULL at the end. */
static char *
next_line(char **cursor)
{
    char *p = *cursor;
    if (p == NULL || *p == '\0') {
        return NULL;
    }
    char *nl = strchr(p, '\n');
    if (nl != NULL) {
        *nl = '\0';
        *cursor = nl + 1;
    } else {
        *cursor = p + strlen(p);
    }
    size_t n = strlen(p);
    if (n > 0 && p[n - 1] == '\r') {
        p[n - 1] = '\0';
    }
    return p;
}

/* First CSV field of a RECORD row (RFC 4180 quoting, as csv.writer). */
static const char *
record_path(ep_arena *a, const char *row)
{
    if (row[0] != '"') {
        size_t n = strcspn(row, ",");
        return n ? ep_arena_strndup(a, row, n) : NULL;
    }
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    const char *p = row + 1;
    while (*p != '\0') {
        if (*p == '"' && p[1] == '"') {
            ep_strbuf_putc(&sb, '"');
            p += 2;
        } else if (*p == '"') {
            break;
        } else {
            ep_strbuf_putc(&sb, *p++);
        }
    }
    char *s = ep_strbuf_take(&sb);
    const char *out = s ? ep_arena_strdup(a, s) : NULL;
    free(s);
    return out;
}

static ep_status
load_record(ep_arena *a, ep_dist *d, ep_error *err)
{
    char *text, *cur;
    size_t len;
    ep_status st = read_meta(a, d, "RECORD", EP_READ_CAP, &text, &len,
                             &d->record_truncated, err);
    if (st != EP_OK || text == NULL) {
        return st;
    }
    d->has_record = true;
    cur = text;
    for (char *line; (line = next_line(&cur)) != NULL;) {
        if (line[0] == '\0') {
            continue;
        }
        const char *p = record_path(a, line);
        if (p != NULL && !ep_strvec_push(a, &d->record, p)) {
            return ep_fail_nomem(err);
        }
    }
    return EP_OK;
}

static ep_status
load_wheel(ep_arena *a, ep_dist *d, ep_error *err)
{
    char *text, *cur;
    size_t len;
    ep_status st = read_meta(a, d, "WHEEL", 1 << 16, &text, &len, NULL, err);
    if (st != EP_OK || text == NULL) {
        return st;
    }
    d->has_wheel = true;
    cur = text;
    for (char *line; (line = next_line(&cur)) != NULL;) {
        char *colon = strchr(line, ':');
        if (colon == NULL) {
            continue;
        }
        *colon = '\0';
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t') {
            v++;
        }
        if (strcasecmp(line, "Generator") == 0) {
            d->wheel_generator = ep_arena_strdup(a, v);
        } else if (strcasecmp(line, "Root-Is-Purelib") == 0) {
            d->root_is_purelib = strcasecmp(v, "true") == 0;
        } else if (strcasecmp(line, "Tag") == 0) {
            const char *t = ep_arena_strdup(a, v);
            if (t == NULL || !ep_strvec_push(a, &d->wheel_tags, t)) {
                return ep_fail_nomem(err);
            }
        }
    }
    return EP_OK;
}

/* file:///a%20b/c -> /a b/c (RFC 8089; PEP 610 writes file URLs). */
static const char *
file_url_path(ep_arena *a, const char *url)
{
    if (strncmp(url, "file://", 7) != 0) {
        return NULL;
    }
    const char *p = url + 7;
    if (strncmp(p, "localhost/", 10) == 0) {
        p += 9;
    }
    if (*p != '/') {
        return NULL;
    }
    char *out = ep_arena_alloc(a, strlen(p) + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t o = 0;
    for (; *p != '\0'; p++) {
        if (*p == '%' && isxdigit((unsigned char)p[1]) &&
            isxdigit((unsigned char)p[2])) {
            char hex[3] = {p[1], p[2], '\0'};
            out[o++] = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}

static ep_status
load_direct_url(ep_arena *a, ep_dist *d, ep_error *err)
{
    char *text;
    size_t len;
    ep_status st =
        read_meta(a, d, "direct_url.json", 1 << 20, &text, &len, NULL, err);
    if (st != EP_OK || text == NULL) {
        return st;
    }
    d->has_direct_url = true;
    ep_lit *root;
    ep_error perr;
    st = ep_lit_json(a, text, len, &root, &perr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(err);
    }
    if (st != EP_OK) {
        return EP_OK; /* malformed metadata is not a probe failure */
    }
    d->url = ep_lit_get_str(root, "url");
    d->url_path = d->url ? file_url_path(a, d->url) : NULL;
    const ep_lit *e = ep_lit_get(ep_lit_get(root, "dir_info"), "editable");
    d->editable = e != NULL && e->type == EP_LIT_BOOL && e->boolean;
    return EP_OK;
}

static ep_status
load_lines(ep_arena *a, const ep_dist *d, const char *name, ep_strvec *out,
           ep_error *err)
{
    char *text, *cur;
    size_t len;
    ep_status st = read_meta(a, d, name, 1 << 20, &text, &len, NULL, err);
    if (st != EP_OK || text == NULL) {
        return st;
    }
    cur = text;
    for (char *line; (line = next_line(&cur)) != NULL;) {
        while (*line == ' ') {
            line++;
        }
        if (line[0] != '\0' && !ep_strvec_push(a, out, line)) {
            return ep_fail_nomem(err);
        }
    }
    return EP_OK;
}

/* Read the metadata of a listed distribution, once. */
static ep_status
read_dist(ep_arena *a, ep_dist *d, ep_error *err)
{
    ep_status st = load_record(a, d, err);
    if (st == EP_OK) {
        st = load_wheel(a, d, err);
    }
    if (st == EP_OK) {
        st = load_direct_url(a, d, err);
    }
    if (st == EP_OK) {
        st = load_lines(a, d, "top_level.txt", &d->top_level, err);
    }
    if (st == EP_OK) {
        ep_strvec inst = {0};
        st = load_lines(a, d, "INSTALLER", &inst, err);
        d->installer = inst.count ? inst.items[0] : NULL;
    }
    d->loaded = st == EP_OK;
    return st;
}

/* The ep_dist of a listed dist-info: its directory, name and version
 * (three strings in one allocation); the metadata is not read yet. */
static ep_dist *
make_dist(ep_arena *a, const ep_dist_ref *ref)
{
    const char *site = ref->site, *entry = ref->entry;
    ep_dist *d = ep_arena_alloc(a, sizeof(*d));
    if (d == NULL) {
        return NULL;
    }
    d->site = site;
    /* "<name>-<version>.dist-info"; the name part holds no '-' (it is
     * escaped to '_' by the spec). */
    size_t slen = strlen(site), elen = strlen(entry);
    bool slash = !(slen > 0 && site[slen - 1] == '/');
    size_t stem = elen - strlen(".dist-info");
    const char *dash = memchr(entry, '-', stem);
    size_t nlen = dash ? (size_t)(dash - entry) : stem;
    char *p =
        ep_arena_alloc_uninit(a, slen + slash + elen + 1 + 2 * (stem + 1));
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, site, slen);
    p[slen] = '/';
    memcpy(p + slen + slash, entry, elen + 1);
    d->dir = p;
    p += slen + slash + elen + 1;
    memcpy(p, entry, nlen);
    p[nlen] = '\0';
    d->name = p;
    if (dash != NULL) {
        p += nlen + 1;
        memcpy(p, dash + 1, stem - nlen - 1);
        p[stem - nlen - 1] = '\0';
        d->version = p;
    }
    return d;
}

/* Item i, its metadata read; NULL when that ran out of memory (noted in
 * ds->status). */
static const ep_dist *
dist_at(ep_dists *ds, size_t i)
{
    ep_dist_ref *ref = &ds->items[i];
    if (ref->dist == NULL && ds->status == EP_OK) {
        ref->dist = make_dist(ds->arena, ref);
        if (ref->dist == NULL) {
            ds->status = EP_ERR_NOMEM;
        }
    }
    ep_dist *d = ref->dist;
    if (d != NULL && !d->loaded && ds->status == EP_OK) {
        ds->status = read_dist(ds->arena, d, NULL);
    }
    return d != NULL && d->loaded ? d : NULL;
}

const ep_dist *
ep_dists_get(ep_dists *ds, size_t i)
{
    return i < ds->count ? dist_at(ds, i) : NULL;
}

/* Listed: where it is; an ep_dist is made when it is first asked about
 * (this runs for every distribution installed). */
static ep_status
list_dist(ep_dists *ds, const char *site, const char *entry, ep_error *err)
{
    if (ds->count >= MAX_DISTS) {
        return EP_OK;
    }
    if (!ep_grow((void **)&ds->items, &ds->cap, ds->count + 1,
                 sizeof(*ds->items))) {
        return ep_fail_nomem(err);
    }
    ds->items[ds->count++] = (ep_dist_ref){site, entry, NULL};
    return EP_OK;
}

/* The names scan_site looks at. */
static bool
dist_entry(const char *name, const void *unused)
{
    (void)unused;
    return has_suffix(name, ".dist-info") || has_suffix(name, ".egg-info") ||
           has_suffix(name, ".egg-link");
}

static ep_status
scan_site(ep_arena *a, ep_dists *ds, const char *site, ep_error *err)
{
    if (ep_strvec_contains(&ds->scanned, site)) {
        return EP_OK;
    }
    if (!ep_strvec_push(a, &ds->scanned, site)) {
        return ep_fail_nomem(err);
    }
    ep_dirlist dl;
    ep_status st = ep_fs_list_matching(a, site, dist_entry, NULL, &dl, err);
    for (size_t i = 0; st == EP_OK && i < dl.count; i++) {
        const char *n = dl.names[i];
        if (has_suffix(n, ".dist-info")) {
            if (ep_fs_listed_isdir(a, &dl, site, i)) {
                st = list_dist(ds, site, n, err);
            }
        } else if (has_suffix(n, ".egg-info") || has_suffix(n, ".egg-link")) {
            const char *full = ep_path_join(a, site, n);
            if (full == NULL || !ep_strvec_push(a, &ds->egg_info, full)) {
                st = ep_fail_nomem(err);
            }
        }
    }
    return st;
}

ep_status
ep_dists_load(ep_arena *a, const ep_interp *in, ep_dists *out, ep_error *err)
{
    ep_status st = EP_OK;
    memset(out, 0, sizeof(*out));
    out->arena = a;
    /* sys.path order first (importlib.metadata's order), then site dirs
     * that are not on sys.path (-S, or a broken site). */
    for (size_t i = 0; st == EP_OK && i < in->npath; i++) {
        st = scan_site(a, out, in->path[i].abs, err);
    }
    for (size_t i = 0; st == EP_OK && i < in->site_dirs.count; i++) {
        st = scan_site(a, out, in->site_dirs.items[i], err);
    }
    return st;
}

/* PEP 503 normalisation, with '_' as the separator (dist-info names). */
static void
normalize(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    bool sep = false;
    for (; *s != '\0' && o + 1 < cap; s++) {
        if (*s == '-' || *s == '_' || *s == '.') {
            sep = true;
            continue;
        }
        if (sep && o > 0 && o + 2 < cap) {
            out[o++] = '_';
        }
        sep = false;
        out[o++] = (char)tolower((unsigned char)*s);
    }
    out[o] = '\0';
}

/* Does the name part of a listed dist-info ("<name>-<version>.dist-info")
 * normalise to want (have: room for the work)? Most names of a
 * site-packages are told apart by their first letter, without normalising
 * them. */
static bool
named(const ep_dist_ref *ref, const char *want, char *have, size_t cap)
{
    const char *n = ref->entry;
    while (*n == '-' || *n == '_' || *n == '.') {
        n++; /* normalize() drops leading separators */
    }
    if ((char)tolower((unsigned char)*n) != want[0]) {
        return false;
    }
    size_t stem = strlen(ref->entry) - strlen(".dist-info");
    const char *dash = memchr(ref->entry, '-', stem);
    size_t nlen = dash ? (size_t)(dash - ref->entry) : stem;
    char name[256];
    snprintf(name, sizeof(name), "%.*s", (int)nlen, ref->entry);
    normalize(name, have, cap);
    return strcmp(have, want) == 0;
}

/* Does RECORD path p belong to top-level name top ("top/...", "top.py",
 * "top.cpython-311-x86_64-linux-gnu.so")? */
static bool
record_has_top(const char *p, const char *top)
{
    size_t n = strlen(top);
    if (strncmp(p, top, n) != 0) {
        return false;
    }
    return p[n] == '/' || (p[n] == '.' && strchr(p + n, '/') == NULL &&
                           !has_suffix(p, ".pth"));
}

/* Does the editable finder e serve top (its mapping or its top names)? */
static bool
editable_serves(const ep_editable *e, const char *top)
{
    for (size_t i = 0; i < e->nmap; i++) {
        if (strcmp(e->map[i].name, top) == 0) {
            return true;
        }
    }
    return ep_strvec_contains(&e->top_names, top);
}

static bool
editable_maps(const ep_dist *d, const char *top, const ep_editables *ed)
{
    for (size_t k = 0; ed != NULL && k < ed->count; k++) {
        const ep_editable *e = &ed->items[k];
        const char *fname = ep_basename(e->file);
        bool mine = false;
        for (size_t i = 0; i < d->record.count && !mine; i++) {
            mine = strcmp(ep_basename(d->record.items[i]), fname) == 0;
        }
        if (mine && editable_serves(e, top)) {
            return true;
        }
    }
    return false;
}

/* Does d's RECORD list files under top? */
static bool
records_top(const ep_dist *d, const char *top)
{
    for (size_t k = 0; k < d->record.count; k++) {
        if (record_has_top(d->record.items[k], top)) {
            return true;
        }
    }
    return false;
}

/* Whether an editable finder serves top (read from the finders, no
 * distribution read). */
static bool
editables_serve(const char *top, const ep_editables *ed)
{
    for (size_t k = 0; ed != NULL && k < ed->count; k++) {
        if (editable_serves(&ed->items[k], top)) {
            return true;
        }
    }
    return false;
}

/* An entry of a site directory that top's files would be: "top" (a
 * package) or "top.<anything>" (a module, an extension). */
static bool
top_entry(const char *name, const void *arg)
{
    const char *top = arg;
    size_t n = strlen(top);
    return strncmp(name, top, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

/* Can a distribution of site have installed files under top? Only when the
 * site directory holds an entry for it: one listing of the directory
 * instead of a RECORD read for every distribution in it (10,000 of them
 * for a module in a checkout that no distribution owns). A distribution
 * whose files under top were all deleted is then found by its name only.
 * When the directory cannot be listed, yes. */
static bool
site_holds(ep_arena *a, const char *site, const char *top)
{
    ep_dirlist dl;
    ep_error err;
    return ep_fs_list_matching(a, site, top_entry, top, &dl, &err) != EP_OK ||
           dl.count > 0;
}

/* site_holds() asked once per site directory for one name. */
typedef struct {
    const char *site[16];
    bool holds[16];
    size_t n;
} site_answers;

static bool
site_holds_once(ep_arena *a, site_answers *sa, const char *site,
                const char *top)
{
    for (size_t k = 0; k < sa->n; k++) {
        if (sa->site[k] == site) {
            return sa->holds[k];
        }
    }
    bool h = site_holds(a, site, top);
    if (sa->n < sizeof(sa->site) / sizeof(sa->site[0])) {
        sa->site[sa->n] = site;
        sa->holds[sa->n++] = h;
    }
    return h;
}

const ep_dist *
ep_dists_owner(ep_dists *ds, const char *top, const ep_editables *ed)
{
    char want[256], have[256];
    normalize(top, want, sizeof(want));
    /* The usual case costs one read: the distribution named like the
     * module, holding it. */
    for (size_t i = 0; i < ds->count; i++) {
        const ep_dist *d = named(&ds->items[i], want, have, sizeof(have))
                               ? dist_at(ds, i)
                               : NULL;
        if (d != NULL && records_top(d, top)) {
            return d;
        }
    }
    /* Strongest evidence first: files recorded under the name, in the
     * site directories that hold an entry for it. */
    site_answers sa = {.n = 0};
    for (size_t i = 0; i < ds->count; i++) {
        bool holds = site_holds_once(ds->arena, &sa, ds->items[i].site, top);
        const ep_dist *d = holds ? dist_at(ds, i) : NULL;
        if (d != NULL && records_top(d, top)) {
            return d;
        }
    }
    /* top_level.txt names, there too; an editable install's files are
     * elsewhere, its finder names them. */
    bool serve = editables_serve(top, ed);
    for (size_t i = 0; i < ds->count; i++) {
        bool holds = site_holds_once(ds->arena, &sa, ds->items[i].site, top);
        const ep_dist *d = holds || serve ? dist_at(ds, i) : NULL;
        if (d != NULL && ((holds && ep_strvec_contains(&d->top_level, top)) ||
                          (serve && editable_maps(d, top, ed)))) {
            return d;
        }
    }
    /* An editable install records only its .pth: match the project name. */
    for (size_t i = 0; i < ds->count; i++) {
        if (named(&ds->items[i], want, have, sizeof(have))) {
            return dist_at(ds, i);
        }
    }
    return NULL;
}

bool
ep_dist_has_file(const ep_dist *d, const char *path)
{
    size_t n = d != NULL && d->site != NULL ? strlen(d->site) : 0;
    return n > 0 && ep_path_within(path, d->site) && path[n] == '/' &&
           ep_strvec_contains(&d->record, path + n + 1);
}

const ep_dist *
ep_dists_owner_of_file(ep_dists *ds, const char *path)
{
    for (size_t i = 0; i < ds->count; i++) {
        const char *site = ds->items[i].site;
        size_t n = strlen(site);
        if (!ep_path_within(path, site) || path[n] != '/') {
            continue;
        }
        const ep_dist *d = dist_at(ds, i);
        if (d != NULL && ep_strvec_contains(&d->record, path + n + 1)) {
            return d;
        }
    }
    return NULL;
}

static char *
dotted_to_path(const char *name)
{
    char *rel = strdup(name);
    for (char *p = rel; p != NULL && *p != '\0'; p++) {
        if (*p == '.') {
            *p = '/';
        }
    }
    return rel;
}

const char *
ep_dist_compiled_for(const ep_dist *d, const ep_interp *in, const char *name,
                     bool any_tag)
{
    char *rel = dotted_to_path(name);
    const char *hit = NULL;
    if (rel == NULL) {
        return NULL;
    }
    size_t n = strlen(rel);
    for (size_t i = 0; i < d->record.count && hit == NULL; i++) {
        const char *p = d->record.items[i];
        if (strncmp(p, rel, n) == 0 && p[n] == '.' && has_suffix(p, ".so") &&
            (any_tag || ep_interp_has_ext_suffix(in, p + n))) {
            hit = p;
        }
    }
    free(rel);
    return hit;
}

size_t
ep_dist_compiled_count(const ep_dist *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->record.count; i++) {
        const char *p = d->record.items[i];
        n += has_suffix(p, ".so") || strstr(p, ".so.") != NULL;
    }
    return n;
}

const char *
ep_dists_compiled_named(ep_dists *ds, const char *component,
                        const ep_dist **owner)
{
    size_t n = strlen(component);
    for (size_t i = 0; i < ds->count; i++) {
        const ep_dist *d = dist_at(ds, i);
        if (d == NULL) {
            continue;
        }
        for (size_t k = 0; k < d->record.count; k++) {
            const char *b = ep_basename(d->record.items[k]);
            if (strncmp(b, component, n) == 0 && b[n] == '.' &&
                has_suffix(b, ".so")) {
                if (owner != NULL) {
                    *owner = d;
                }
                return d->record.items[k];
            }
        }
    }
    return NULL;
}

/* ---- wheel tags (PEP 425, PEP 600 manylinux, PEP 656 musllinux) ---------- */

/* "x86_64" from "x86_64-linux-gnu". */
static void
machine_of(const ep_interp *in, char *out, size_t cap)
{
    const char *m = in->multiarch ? in->multiarch : "x86_64-linux-gnu";
    size_t n = strcspn(m, "-");
    snprintf(out, cap, "%.*s", (int)n, m);
}

/* glibc version of the host as major*1000+minor, or 0 when unknown. */
static int
host_glibc(const ep_interp *in)
{
    int maj, min;
    if (in->libc != NULL && sscanf(in->libc, "glibc %d.%d", &maj, &min) == 2) {
        return maj * 1000 + min;
    }
    return 0;
}

static bool
python_tag_ok(const ep_interp *in, const char *py, const char *abi)
{
    char mine[16];
    snprintf(mine, sizeof(mine), "cp%d%d", in->major, in->minor);
    bool cpython = in->implementation == NULL ||
                   strcmp(in->implementation, "cpython") == 0;
    if (strcmp(py, "py3") == 0 ||
        (strncmp(py, "py3", 3) == 0 && in->major == 3)) {
        return true;
    }
    if (strcmp(py, "py2") == 0 || strncmp(py, "py2", 3) == 0) {
        return in->major == 2;
    }
    if (!cpython) {
        return strncmp(py, "pp", 2) == 0 && in->implementation != NULL &&
               strcmp(in->implementation, "pypy") == 0;
    }
    if (strcmp(py, mine) == 0) {
        return true;
    }
    /* cp38-abi3 runs on every CPython 3.x >= 3.8 (PEP 384). */
    int v;
    if (strcmp(abi, "abi3") == 0 && sscanf(py, "cp3%d", &v) == 1) {
        return in->major == 3 && v <= in->minor;
    }
    return false;
}

static bool
abi_tag_ok(const ep_interp *in, const char *abi)
{
    char mine[24];
    snprintf(mine, sizeof(mine), "cp%d%d%s", in->major, in->minor,
             in->abiflags ? in->abiflags : "");
    if (strcmp(abi, "none") == 0 || strcmp(abi, mine) == 0) {
        return true;
    }
    return strcmp(abi, "abi3") == 0 && !in->gil_disabled && in->major == 3;
}

static bool
platform_tag_ok(const ep_interp *in, const char *plat)
{
    char mach[32], want[48];
    machine_of(in, mach, sizeof(mach));
    if (strcmp(plat, "any") == 0) {
        return true;
    }
    snprintf(want, sizeof(want), "linux_%s", mach);
    if (strcmp(plat, want) == 0) {
        return true;
    }
    if (!has_suffix(plat, mach)) {
        return false;
    }
    int maj = 0, min = 0;
    if (sscanf(plat, "manylinux_%d_%d_", &maj, &min) == 2) {
        int host = host_glibc(in);
        return in->libc != NULL && (host == 0 || host >= maj * 1000 + min);
    }
    /* PEP 600: the legacy aliases are manylinux_2_5, _2_12 and _2_17. */
    static const struct {
        const char *prefix;
        int glibc;
    } legacy[] = {{"manylinux1_", 2005},
                  {"manylinux2010_", 2012},
                  {"manylinux2014_", 2017}};
    for (size_t i = 0; i < sizeof(legacy) / sizeof(*legacy); i++) {
        if (strncmp(plat, legacy[i].prefix, strlen(legacy[i].prefix)) == 0) {
            int host = host_glibc(in);
            return in->libc == NULL ? false
                                    : host == 0 || host >= legacy[i].glibc;
        }
    }
    if (strncmp(plat, "musllinux_", 10) == 0) {
        return in->libc == NULL; /* a musl host reports no glibc version */
    }
    return false;
}

/* Check one compressed tag "py2.py3-none-any" (each part may hold
 * alternatives separated by '.'). */
static bool
tag_ok(const ep_interp *in, const char *tag)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", tag);
    char *py = buf;
    char *abi = strchr(py, '-');
    char *plat = abi ? strchr(abi + 1, '-') : NULL;
    if (abi == NULL || plat == NULL) {
        return true; /* not a tag we understand: do not accuse it */
    }
    *abi++ = '\0';
    *plat++ = '\0';
    bool py_ok = false, abi_ok = false, plat_ok = false;
    char *save;
    for (char *a = strtok_r(abi, ".", &save); a && !abi_ok;
         a = strtok_r(NULL, ".", &save)) {
        abi_ok = abi_tag_ok(in, a);
        char pybuf[256];
        snprintf(pybuf, sizeof(pybuf), "%s", py);
        char *save2;
        for (char *p = strtok_r(pybuf, ".", &save2); p && abi_ok && !py_ok;
             p = strtok_r(NULL, ".", &save2)) {
            py_ok = python_tag_ok(in, p, a);
        }
        if (!py_ok) {
            abi_ok = false;
        }
    }
    for (char *p = strtok_r(plat, ".", &save); p && !plat_ok;
         p = strtok_r(NULL, ".", &save)) {
        plat_ok = platform_tag_ok(in, p);
    }
    return py_ok && abi_ok && plat_ok;
}

const char *
ep_dist_tag_mismatch(ep_arena *a, const ep_dist *d, const ep_interp *in)
{
    if (d->wheel_tags.count == 0) {
        return NULL;
    }
    for (size_t i = 0; i < d->wheel_tags.count; i++) {
        if (tag_ok(in, d->wheel_tags.items[i])) {
            return NULL;
        }
    }
    char mach[32];
    machine_of(in, mach, sizeof(mach));
    return ep_arena_printf(
        a,
        "the wheel is tagged %s%s, which Python %d.%d%s "
        "on %s%s%s would not install",
        d->wheel_tags.items[0], d->wheel_tags.count > 1 ? " (and more)" : "",
        in->major, in->minor, in->abiflags ? in->abiflags : "", mach,
        in->libc ? " with " : "", in->libc ? in->libc : "");
}
