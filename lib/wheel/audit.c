/*
 * extprobe wheel: the audit of one or more .whl files. This file reads each
 * archive once -- the .dist-info files, then every member as a stream for
 * its RECORD hash, ELF members held in memory one at a time for their facts
 * -- and checks the wheel against itself: file-name tags, WHEEL, RECORD and
 * what is inside. The ELF checks are in members.c, families in family.c.
 */
#include "wheel/wheel.h"
#include "findings/findings.h"
#include "interp/interp.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Metadata files are small; a bigger one is damage, not metadata. */
#define META_CAP (16u * 1024 * 1024)
/* Python sources scanned for guarded imports (family check). */
#define PY_SCAN_CAP (1024u * 1024)

void
ep_wheel_options_init(ep_wheel_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->python = "python3";
    opt->timeout = 30.0;
    opt->member_limit = (uint64_t)1 << 30;
}

ep_finding_slot *
ep_wheel_finding(ep_wheel *w, ep_finding_code code, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return ep_report_add_finding(w->report, code,
                                 ep_finding_default_severity(code), "%s", buf);
}

/* ---- the target --------------------------------------------------------- */

/* The platform arch tag of a multiarch triplet ("aarch64-linux-gnu"). */
static const char *
arch_of_multiarch(const char *multiarch)
{
    static const struct {
        const char *prefix, *arch;
    } map[] = {
        {"x86_64-", "x86_64"},
        {"i386-", "i686"},
        {"i686-", "i686"},
        {"aarch64-", "aarch64"},
        {"arm-", "armv7l"},
        {"powerpc64le-", "ppc64le"},
        {"s390x-", "s390x"},
        {"riscv64-", "riscv64"},
        {"loongarch64-", "loongarch64"},
    };
    for (size_t i = 0; multiarch && i < sizeof(map) / sizeof(*map); i++) {
        if (strncmp(multiarch, map[i].prefix, strlen(map[i].prefix)) == 0) {
            return map[i].arch;
        }
    }
    return NULL;
}

/* The target of a real interpreter: its version, its EXTENSION_SUFFIXES,
 * its libc (confstr CS_GNU_LIBC_VERSION) and its arch. */
static ep_status
target_from_interp(ep_wheels *ws, const ep_interp *in, ep_error *err)
{
    ep_wtarget *tg = &ws->target;
    ep_arena *a = &ws->arena;
    memset(tg, 0, sizeof(*tg));
    if (in->implementation == NULL ||
        strcmp(in->implementation, "cpython") != 0) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "%s is %s; wheel targets are CPython interpreters "
                       "(use --target)",
                       in->python,
                       in->implementation ? in->implementation : "unknown");
    }
    tg->from_interp = true;
    tg->major = in->major;
    tg->minor = in->minor;
    /* copies: the interpreter's facts are freed after this */
    tg->abiflags = ep_arena_strdup(a, in->abiflags ? in->abiflags : "");
    tg->plat.arch = arch_of_multiarch(in->multiarch);
    if (tg->plat.arch == NULL) {
        tg->plat.arch = in->pointer_bits == 32 ? "i686" : "x86_64";
    }
    int maj, min;
    if (in->libc != NULL && sscanf(in->libc, "glibc %d.%d", &maj, &min) == 2) {
        tg->plat.libc = EP_LIBC_GLIBC;
        tg->plat.major = maj;
        tg->plat.minor = min;
        tg->plat.policy = ep_arena_printf(a, "manylinux_%d_%d", maj, min);
    } else {
        /* no glibc version: musl (or another libc); its version is not
         * asked, so only linux_<arch> and pure wheels are taken */
        tg->plat.libc = EP_LIBC_LINUX;
    }
    for (size_t i = 0; i < in->ext_suffixes.count; i++) {
        ep_strvec_push(a, &tg->ext_suffixes,
                       ep_arena_strdup(a, in->ext_suffixes.items[i]));
    }
    tg->tag = ep_arena_printf(a, "cp%d%d-cp%d%d%s-%s%s%s", tg->major, tg->minor,
                              tg->major, tg->minor, tg->abiflags,
                              tg->plat.policy ? tg->plat.policy : "linux", "_",
                              tg->plat.arch);
    tg->desc =
        ep_arena_printf(a, "%s (CPython %s, %s, %s)", in->python,
                        in->version ? in->version : "?",
                        in->libc ? in->libc : "libc unknown", tg->plat.arch);
    if (tg->tag == NULL || tg->desc == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    ws->has_target = true;
    return EP_OK;
}

static ep_status
set_target(ep_wheels *ws, const ep_wheel_options *opt, ep_error *err)
{
    if (opt->target != NULL) {
        const char *why = NULL;
        if (!ep_wtarget_from_tag(&ws->arena, opt->target, &ws->target, &why)) {
            return ep_fail(err, EP_ERR_INVALID_ARG, "target '%s': %s",
                           opt->target, why);
        }
        ws->has_target = true;
        return EP_OK;
    }
    if (opt->python == NULL && opt->facts == NULL) {
        return EP_OK; /* the wheels' own consistency only */
    }
    ep_interp *in = NULL;
    ep_status st =
        opt->facts != NULL
            ? ep_interp_from_records(opt->python ? opt->python : "python",
                                     opt->facts, opt->facts_len, &in, err)
            : ep_interp_query(opt->python, NULL, EP_START_MODE_C, NULL,
                              opt->timeout, &in, err);
    if (st == EP_OK) {
        st = target_from_interp(ws, in, err);
    }
    ep_interp_free(in);
    return st;
}

/* ---- the public entry points -------------------------------------------- */

ep_status
ep_wheels_audit(const char *const *files, size_t count,
                const ep_wheel_options *opt, ep_wheels **out, ep_error *err)
{
    ep_wheel_options defaults;
    if (out == NULL || files == NULL || count == 0) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "no wheel files given");
    }
    *out = NULL;
    if (opt == NULL) {
        ep_wheel_options_init(&defaults);
        opt = &defaults;
    }
    ep_wheels *ws = calloc(1, sizeof(*ws));
    if (ws == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    ep_arena_init(&ws->arena);
    ws->member_limit =
        opt->member_limit ? opt->member_limit : (uint64_t)1 << 30;
    ep_status st = set_target(ws, opt, err);
    if (st != EP_OK) {
        goto fail;
    }
    ws->wheels = calloc(count, sizeof(*ws->wheels));
    if (ws->wheels == NULL) {
        st = ep_fail(err, EP_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < count; i++) {
        ep_wheel *w = &ws->wheels[ws->count++];
        w->path = ep_arena_strdup(&ws->arena, files[i]);
        w->file = ep_basename(w->path);
        w->family = SIZE_MAX;
        w->supported = -1;
        w->report = ep_report_new(w->file);
        if (w->path == NULL || w->report == NULL) {
            st = ep_fail(err, EP_ERR_NOMEM, "out of memory");
            goto fail;
        }
        w->report->subject_file = w->path;
        ep_wheel_audit_one(ws, w);
    }
    ep_wheel_families(ws);
    for (size_t i = 0; i < ws->count; i++) {
        ep_report_rank(ws->wheels[i].report);
    }
    *out = ws;
    return EP_OK;
fail:
    ep_wheels_free(ws);
    return st;
}

void
ep_wheels_free(ep_wheels *ws)
{
    if (ws == NULL) {
        return;
    }
    for (size_t i = 0; i < ws->count; i++) {
        ep_report_free(ws->wheels[i].report);
        free(ws->wheels[i].members);
    }
    for (size_t i = 0; i < ws->nfamilies; i++) {
        free(ws->families[i].wheels);
    }
    free(ws->families);
    free(ws->wheels);
    free(ws->scratch);
    ep_arena_release(&ws->arena);
    free(ws);
}

size_t
ep_wheels_count(const ep_wheels *ws)
{
    return ws ? ws->count : 0;
}

const ep_report *
ep_wheels_report(const ep_wheels *ws, size_t i)
{
    return ws && i < ws->count ? ws->wheels[i].report : NULL;
}

const char *
ep_wheels_error(const ep_wheels *ws, size_t i)
{
    return ws && i < ws->count ? ws->wheels[i].error : NULL;
}

bool
ep_wheels_has_errors(const ep_wheels *ws)
{
    for (size_t i = 0; ws != NULL && i < ws->count; i++) {
        if (ep_report_has_errors(ws->wheels[i].report)) {
            return true;
        }
    }
    return false;
}

/* ---- reading one wheel -------------------------------------------------- */

/* PEP 503 normalisation, for comparing dist-info and project names. */
static char *
normalize_name(ep_arena *a, const char *s, size_t n)
{
    char *out = ep_arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; out != NULL && i < n; i++) {
        char c = s[i];
        if (c == '-' || c == '_' || c == '.') {
            if (o == 0 || out[o - 1] != '-') {
                out[o++] = '-';
            }
        } else {
            out[o++] = (char)tolower((unsigned char)c);
        }
    }
    if (out != NULL) {
        out[o] = '\0';
    }
    return out;
}

/* The top-level "*.dist-info/" directory holding WHEEL: the one named for
 * the file's project when there are several. */
static const char *
find_distinfo(ep_wheels *ws, ep_wheel *w, ep_zip *z)
{
    const char *found = NULL;
    for (size_t i = 0; i < ep_zip_count(z); i++) {
        const char *name = ep_zip_member_at(z, i)->name;
        const char *slash = strchr(name, '/');
        if (slash == NULL || strcmp(slash, "/WHEEL") != 0 ||
            (size_t)(slash - name) < 10 ||
            strncmp(slash - 10, ".dist-info", 10) != 0) {
            continue;
        }
        const char *dir =
            ep_arena_strndup(&ws->arena, name, (size_t)(slash - name));
        if (found == NULL) {
            found = dir;
        } else if (w->fname_ok) {
            const char *dash = strchr(dir, '-');
            size_t n = dash ? (size_t)(dash - dir) : strlen(dir);
            if (strcmp(normalize_name(&ws->arena, dir, n),
                       normalize_name(&ws->arena, w->fname.dist,
                                      strlen(w->fname.dist))) == 0) {
                found = dir;
            }
        }
    }
    return found;
}

/* "Key: value" lines of an email-header file (WHEEL, METADATA) until the
 * first empty line; fn gets each pair. */
static void
each_header(char *text,
            void (*fn)(ep_wheels *, ep_wheel *, const char *, const char *),
            ep_wheels *ws, ep_wheel *w)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r') {
            line[--len] = '\0';
        }
        if (len == 0) {
            break;
        }
        char *colon = strchr(line, ':');
        if (colon == NULL || line[0] == ' ' || line[0] == '\t') {
            continue;
        }
        *colon = '\0';
        const char *value = colon + 1;
        while (*value == ' ' || *value == '\t') {
            value++;
        }
        fn(ws, w, line, value);
    }
}

static void
wheel_header(ep_wheels *ws, ep_wheel *w, const char *key, const char *value)
{
    if (strcasecmp(key, "Tag") == 0) {
        ep_strvec_push(&ws->arena, &w->wheel_tags,
                       ep_arena_strdup(&ws->arena, value));
    } else if (strcasecmp(key, "Root-Is-Purelib") == 0) {
        w->root_is_purelib = ep_arena_strdup(&ws->arena, value);
    } else if (strcasecmp(key, "Generator") == 0) {
        w->generator = ep_arena_strdup(&ws->arena, value);
    }
}

static void
metadata_header(ep_wheels *ws, ep_wheel *w, const char *key, const char *value)
{
    if (strcasecmp(key, "Name") == 0) {
        w->meta_name = ep_arena_strdup(&ws->arena, value);
    } else if (strcasecmp(key, "Version") == 0) {
        w->meta_version = ep_arena_strdup(&ws->arena, value);
    } else if (strcasecmp(key, "Requires-Dist") == 0) {
        ep_strvec_push(&ws->arena, &w->requires,
                       ep_arena_strdup(&ws->arena, value));
    }
}

static int
cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static ep_status
read_header_file(ep_wheels *ws, ep_wheel *w, ep_zip *z, const char *name,
                 void (*fn)(ep_wheels *, ep_wheel *, const char *,
                            const char *),
                 bool *present, ep_error *err)
{
    const char *path = ep_arena_printf(&ws->arena, "%s/%s", w->distinfo, name);
    const ep_zip_member *m = ep_zip_find(z, path);
    *present = m != NULL;
    if (m == NULL) {
        return EP_OK;
    }
    char *text;
    ep_status st = ep_zip_read_text(z, m, &ws->arena, META_CAP, &text, err);
    if (st == EP_OK) {
        each_header(text, fn, ws, w);
    }
    return st;
}

/* ---- members ------------------------------------------------------------ */

/* Where a member installs relative to site-packages: the part after
 * "<name>.data/purelib/" or "platlib/"; NULL for other .data schemes. */
static const char *
install_path(const char *path)
{
    const char *slash = strchr(path, '/');
    if (slash == NULL || (size_t)(slash - path) < 5 ||
        strncmp(slash - 5, ".data", 5) != 0) {
        return path;
    }
    if (strncmp(slash + 1, "purelib/", 8) == 0 ||
        strncmp(slash + 1, "platlib/", 8) == 0) {
        return slash + 9;
    }
    return NULL;
}

/* Classify a member by its path; extensions get their dotted module name. */
static void
classify_member(ep_wheels *ws, ep_wheel *w, ep_wmember *m)
{
    const char *p = m->path;
    size_t len = strlen(p);
    const char *inst = install_path(p);
    const char *base = ep_basename(p);
    if (w->distinfo && strncmp(p, w->distinfo, strlen(w->distinfo)) == 0 &&
        p[strlen(w->distinfo)] == '/') {
        m->kind = "dist-info";
    } else if (len > 3 && strcmp(p + len - 3, ".py") == 0) {
        m->kind = "python";
    } else if (inst != NULL && len > 3 && strcmp(p + len - 3, ".so") == 0 &&
               strstr(inst, ".libs/") == NULL && strncmp(base, "lib", 3) != 0) {
        /* an extension module: a .so in the import tree, not a vendored
         * library (auditwheel's <pkg>.libs/, or a lib*.so next to it) */
        m->kind = "extension";
        ep_ext_tag *tag = NULL;
        if (ep_ext_tag_parse(base, &tag, NULL) == EP_OK) {
            m->suffix = ep_arena_strdup(&ws->arena, tag->suffix);
            const char *dir = ep_arena_strndup(
                &ws->arena, inst,
                (size_t)(strrchr(inst, '/') ? strrchr(inst, '/') - inst : 0));
            char *dotted =
                ep_arena_printf(&ws->arena, "%s%s%s", dir ? dir : "",
                                dir && dir[0] ? "." : "", tag->module);
            for (char *c = dotted; c && *c; c++) {
                if (*c == '/') {
                    *c = '.';
                }
            }
            m->module = dotted;
            ep_ext_tag_free(tag);
        }
        w->nextensions++;
    } else if (strstr(p, ".so.") != NULL ||
               (len > 3 && strcmp(p + len - 3, ".so") == 0)) {
        m->kind = "library";
    } else if (inst == NULL) {
        m->kind = "data";
    } else {
        m->kind = "other";
    }
}

typedef struct stream_ctx {
    ep_hash *hash;
    uint64_t size;
    bool keep;      /* collect the bytes (an ELF member) */
    bool maybe_elf; /* decide from the first bytes */
    bool failed;    /* the buffer could not grow */
    ep_wheels *ws;  /* its scratch buffer holds the bytes */
    size_t len;
} stream_ctx;

/* Append to the audit's scratch buffer, reused from member to member (one
 * member in memory at a time; growing it once to the largest member avoids
 * a copy per doubling and fresh pages per member). */
static bool
scratch_append(stream_ctx *c, const void *buf, size_t n)
{
    ep_wheels *ws = c->ws;
    if (n > SIZE_MAX - c->len - 1) {
        return false;
    }
    if (c->len + n + 1 > ws->scratch_cap) {
        size_t cap = ws->scratch_cap ? ws->scratch_cap : 1 << 16;
        while (cap < c->len + n + 1) {
            cap = cap > SIZE_MAX / 2 ? c->len + n + 1 : cap * 2;
        }
        unsigned char *p = realloc(ws->scratch, cap);
        if (p == NULL) {
            return false;
        }
        ws->scratch = p;
        ws->scratch_cap = cap;
    }
    memcpy(ws->scratch + c->len, buf, n);
    c->len += n;
    ws->scratch[c->len] = 0; /* Python sources are read as a string */
    return true;
}

static bool
stream_chunk(const void *buf, size_t n, void *vctx)
{
    stream_ctx *c = vctx;
    if (c->hash) {
        ep_hash_update(c->hash, buf, n);
    }
    if (c->maybe_elf && c->size == 0) {
        c->keep = n >= 4 && memcmp(buf, "\177ELF", 4) == 0;
        c->maybe_elf = false;
    }
    c->size += n;
    if (c->keep && !c->failed && !scratch_append(c, buf, n)) {
        c->failed = true;
    }
    return true;
}

static int
cmp_row(const void *x, const void *y)
{
    return strcmp(((const ep_record_row *)x)->path,
                  ((const ep_record_row *)y)->path);
}

typedef struct record_check {
    ep_record_row *rows;
    size_t nrows;
    bool *seen;
    ep_strvec problems; /* one line each */
    ep_strvec paths;
} record_check;

static void
record_problem(ep_wheels *ws, record_check *rc, const char *path,
               const char *fmt, const char *a1, const char *a2)
{
    if (rc->problems.count < 30) {
        ep_strvec_push(&ws->arena, &rc->problems,
                       ep_arena_printf(&ws->arena, fmt, path, a1, a2));
    } else {
        ep_strvec_push(&ws->arena, &rc->problems, NULL == path ? "" : "");
    }
    ep_strvec_push(&ws->arena, &rc->paths, path);
}

static ep_record_row *
record_find(record_check *rc, const char *path)
{
    if (rc->rows == NULL) {
        return NULL;
    }
    ep_record_row key = {.path = path};
    return bsearch(&key, rc->rows, rc->nrows, sizeof(key), cmp_row);
}

/* Stream member m once: its hash against RECORD, and, for an ELF member
 * that fits the limit, its facts (members.c). */
static void
read_member(ep_wheels *ws, ep_wheel *w, ep_zip *z, const ep_zip_member *zm,
            ep_wmember *m, record_check *rc, bool *damaged)
{
    ep_record_row *row = record_find(rc, m->path);
    bool is_record = w->distinfo != NULL &&
                     strcmp(m->path, ep_arena_printf(&ws->arena, "%s/RECORD",
                                                     w->distinfo)) == 0;
    stream_ctx c = {.ws = ws};
    if (row != NULL) {
        rc->seen[row - rc->rows] = true;
        c.hash = ep_hash_new(row->algorithm ? row->algorithm : "sha256");
    }
    bool big = zm->size > ws->member_limit;
    bool source = strcmp(m->kind, "python") == 0 && zm->size <= PY_SCAN_CAP;
    bool ext = strcmp(m->kind, "extension") == 0 && !big;
    /* an extension-named member is always read: not being ELF is its
     * finding, with the reason (text, an LFS pointer, Mach-O) */
    c.keep = source || ext;
    c.maybe_elf = !big && !source && !ext && strcmp(m->kind, "python") != 0 &&
                  strcmp(m->kind, "dist-info") != 0;
    ep_error err;
    ep_status st = ep_zip_stream(z, zm, stream_chunk, &c, &err);
    if (st != EP_OK) {
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WHEEL_DAMAGED, "member %s cannot be read", m->path);
        ep_finding_detail(w->report, f, "%s", err.message);
        ep_finding_fix(w->report, f,
                       "rebuild or download the wheel again; "
                       "pip refuses an archive with a damaged member");
        ep_finding_path(w->report, f, w->path);
        *damaged = true;
        ep_hash_free(c.hash);
        return;
    }
    if (row != NULL && !is_record) {
        if (row->algorithm != NULL && c.hash == NULL) {
            record_problem(ws, rc, m->path,
                           "%s: hash algorithm %s is not one "
                           "RECORD may use (sha256, sha384, sha512)%s",
                           row->algorithm, "");
        } else if (c.hash != NULL && row->digest != NULL) {
            const char *got = ep_hash_finish(c.hash, &ws->arena);
            if (got != NULL && strcmp(got, row->digest) != 0) {
                record_problem(ws, rc, m->path,
                               "%s: hash %s in RECORD, the "
                               "member's is %s",
                               row->digest, got);
            }
        } else if (row->digest == NULL) {
            record_problem(ws, rc, m->path, "%s: no hash in RECORD%s%s", "",
                           "");
        }
        if (row->size == -2 ||
            (row->size >= 0 && (uint64_t)row->size != c.size)) {
            record_problem(
                ws, rc, m->path,
                "%s: size %s in RECORD, the member "
                "has %s",
                ep_arena_printf(&ws->arena, "%lld", (long long)row->size),
                ep_arena_printf(&ws->arena, "%llu",
                                (unsigned long long)c.size));
        }
    }
    ep_hash_free(c.hash);
    if (big && (strcmp(m->kind, "extension") == 0 ||
                strcmp(m->kind, "library") == 0)) {
        ep_report_note(w->report,
                       "%s: %llu bytes, more than the %llu read "
                       "into memory (--member-limit): its ELF facts were not "
                       "checked",
                       m->path, (unsigned long long)zm->size,
                       (unsigned long long)ws->member_limit);
    }
    if (c.failed) {
        ep_report_note(w->report,
                       "%s: out of memory reading %llu bytes: its "
                       "facts were not checked",
                       m->path, (unsigned long long)zm->size);
    } else if (source) {
        ep_wheel_scan_imports(ws, w, m, c.len ? (const char *)ws->scratch : "");
    } else if (c.keep) {
        ep_object *obj = NULL;
        if (ep_object_open_memory(c.len ? ws->scratch
                                        : (const unsigned char *)"",
                                  c.len, m->path, &obj, &err) == EP_OK) {
            ep_wheel_check_elf(ws, w, m, obj);
        }
        ep_object_close(obj);
    }
}

static void
report_record(ep_wheels *ws, ep_wheel *w, record_check *rc)
{
    for (size_t i = 0; i < rc->nrows; i++) {
        const ep_record_row *r = &rc->rows[i];
        if (!rc->seen[i] && r->path[0] != '\0') {
            record_problem(ws, rc, r->path,
                           "%s: listed in RECORD, not in the "
                           "archive%s%s",
                           "", "");
        }
    }
    if (rc->problems.count == 0) {
        return;
    }
    ep_finding_slot *f = ep_wheel_finding(
        w, EP_FINDING_WHEEL_RECORD_MISMATCH,
        "RECORD does not match the archive: %zu problem%s", rc->problems.count,
        rc->problems.count == 1 ? "" : "s");
    size_t shown = 0;
    for (size_t i = 0; i < rc->problems.count; i++) {
        if (rc->problems.items[i][0] != '\0') {
            ep_finding_detail(w->report, f, "%s", rc->problems.items[i]);
            shown++;
        }
    }
    if (shown < rc->problems.count) {
        ep_finding_detail(w->report, f, "... and %zu more",
                          rc->problems.count - shown);
    }
    for (size_t i = 0; i < rc->paths.count && i < 30; i++) {
        ep_finding_path(w->report, f, rc->paths.items[i]);
    }
    ep_finding_fix(
        w->report, f,
        "do not edit a built wheel by hand: rebuild it, or rewrite "
        "RECORD with `python -m wheel unpack` + `python -m wheel pack`; "
        "installers that verify RECORD refuse the wheel (pip 23 "
        "installs it without a word)");
}

/* ---- tag consistency ------------------------------------------------------
 */

static bool
all_plat_any(const ep_wheel *w)
{
    for (size_t i = 0; i < w->fname.ntags; i++) {
        if (strcmp(w->fname.tags[i].plat, "any") != 0) {
            return false;
        }
    }
    return w->fname.ntags > 0;
}

static void
check_wheel_tags(ep_wheels *ws, ep_wheel *w)
{
    ep_arena *a = &ws->arena;
    /* The file name and WHEEL must name the same set (PEP 427: installers
     * read the file name; tools like pip check read WHEEL). */
    ep_strvec fn = {0}, wh = {0};
    for (size_t i = 0; i < w->fname.ntags; i++) {
        ep_strvec_push(a, &fn, ep_wtag_str(a, &w->fname.tags[i]));
    }
    for (size_t i = 0; i < w->wheel_tags.count; i++) {
        ep_wtag *t;
        size_t n;
        if (!ep_wtag_expand(a, w->wheel_tags.items[i], &t, &n)) {
            ep_strvec_push(a, &wh, w->wheel_tags.items[i]);
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            ep_strvec_push(a, &wh, ep_wtag_str(a, &t[k]));
        }
    }
    ep_strvec only_fn = {0}, only_wh = {0};
    for (size_t i = 0; i < fn.count; i++) {
        if (!ep_strvec_contains(&wh, fn.items[i])) {
            ep_strvec_push(a, &only_fn, fn.items[i]);
        }
    }
    for (size_t i = 0; i < wh.count; i++) {
        if (!ep_strvec_contains(&fn, wh.items[i])) {
            ep_strvec_push(a, &only_wh, wh.items[i]);
        }
    }
    if (w->wheel_tags.count == 0) {
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WHEEL_TAG_MISMATCH,
                             "%s/WHEEL has no Tag: line", w->distinfo);
        ep_finding_fix(w->report, f,
                       "let the build backend write WHEEL; "
                       "every tag of the file name needs a Tag: line");
        ep_finding_path(w->report, f, w->path);
    } else if (only_fn.count || only_wh.count) {
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WHEEL_TAG_MISMATCH,
            "the file name's tags and the Tag: lines of WHEEL differ");
        for (size_t i = 0; i < only_fn.count; i++) {
            ep_finding_detail(w->report, f, "only in the file name: %s",
                              only_fn.items[i]);
        }
        for (size_t i = 0; i < only_wh.count; i++) {
            ep_finding_detail(w->report, f, "only in WHEEL: %s",
                              only_wh.items[i]);
        }
        ep_finding_fix(w->report, f,
                       "a wheel renamed by hand keeps its old "
                       "WHEEL: retag it with `wheel tags` (wheel >= "
                       "0.40) or rebuild it for the tag you want");
        ep_finding_path(w->report, f, w->path);
    }

    /* What is inside against what the tags promise. */
    bool pure = all_plat_any(w);
    const ep_wmember *first_ext = NULL;
    for (size_t i = 0; i < w->nmembers && first_ext == NULL; i++) {
        if (strcmp(w->members[i].kind, "extension") == 0 ||
            (w->members[i].machine != NULL &&
             strcmp(w->members[i].kind, "library") == 0)) {
            first_ext = &w->members[i];
        }
    }
    if (pure && first_ext != NULL) {
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WHEEL_TAG_MISMATCH,
            "a platform-independent wheel (%s) holds compiled code: %s",
            ep_wtag_str(a, &w->fname.tags[0]), first_ext->path);
        ep_finding_detail(
            w->report, f,
            "pip installs an 'any' wheel on every "
            "platform and interpreter; the compiled file loads on "
            "one (%s%s%s)",
            first_ext->machine ? first_ext->machine : "?",
            first_ext->suffix ? ", " : "",
            first_ext->suffix ? first_ext->suffix : "");
        ep_finding_fix(w->report, f,
                       "declare the extension so the backend "
                       "tags the wheel for its platform (setuptools: "
                       "ext_modules, or a Distribution with "
                       "has_ext_modules() True)");
        ep_finding_path(w->report, f, first_ext->path);
    } else if (!pure && w->fname.ntags > 0 && first_ext == NULL) {
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WHEEL_TAG_MISMATCH,
                             "a platform wheel (%s) holds no compiled file",
                             ep_wtag_str(a, &w->fname.tags[0]));
        ep_finding_severity(f, EP_SEVERITY_WARNING);
        ep_finding_detail(w->report, f,
                          "the tag says the wheel is for one "
                          "interpreter and platform, but nothing in it is a "
                          "compiled module: the extension build was skipped or "
                          "failed quietly, and the package will fall back to "
                          "pure Python or fail at import");
        ep_finding_fix(w->report, f,
                       "look at the build log for the skipped "
                       "extension (optional=True in setuptools hides "
                       "a failed compile)");
        ep_finding_path(w->report, f, w->path);
    }
    if (w->root_is_purelib != NULL && strcmp(w->root_is_purelib, "true") == 0 &&
        first_ext != NULL && !pure) {
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WHEEL_TAG_MISMATCH,
            "WHEEL says Root-Is-Purelib: true, but the wheel holds compiled "
            "code (%s)",
            first_ext->path);
        ep_finding_severity(f, EP_SEVERITY_WARNING);
        ep_finding_detail(w->report, f,
                          "installers put a purelib root in "
                          "purelib, which differs from platlib on some systems "
                          "(lib vs lib64)");
        ep_finding_fix(w->report, f,
                       "set Root-Is-Purelib: false (the build "
                       "backend does when it knows of the extension)");
        ep_finding_path(w->report, f, w->path);
    }
}

/* A member's suffix against the wheel's interpreter tags: a
 * .cpython-312-... file in a cp311 wheel, a version-specific file in an
 * abi3 wheel. */
static void
check_suffixes(ep_wheels *ws, ep_wheel *w)
{
    ep_arena *a = &ws->arena;
    for (size_t i = 0; i < w->nmembers; i++) {
        ep_wmember *m = &w->members[i];
        if (strcmp(m->kind, "extension") != 0 || m->suffix == NULL) {
            continue;
        }
        ep_ext_tag *tag = NULL;
        if (ep_ext_tag_parse(m->path, &tag, NULL) != EP_OK) {
            continue;
        }
        if (tag->version != NULL && tag->implementation != NULL &&
            strcmp(tag->implementation, "cpython") == 0) {
            /* the interpreter version the file is named for */
            const char *want =
                ep_arena_printf(a, "cp%c%s", tag->version[0], tag->version + 2);
            bool abi3 = false, match = false;
            for (size_t k = 0; k < w->fname.ntags; k++) {
                const ep_wtag *t = &w->fname.tags[k];
                if (strcmp(t->abi, "abi3") == 0) {
                    abi3 = true;
                }
                if (strcmp(t->py, want) == 0 && strcmp(t->abi, "abi3") != 0) {
                    match = true;
                }
            }
            if (abi3) {
                ep_finding_slot *f = ep_wheel_finding(
                    w, EP_FINDING_WHEEL_TAG_MISMATCH,
                    "an abi3 wheel holds %s, named for CPython %s only",
                    m->path, tag->version);
                ep_finding_detail(
                    w->report, f,
                    "pip installs an abi3 wheel on "
                    "every newer CPython too, whose finder does not "
                    "look for '%s': the module is not found there",
                    m->suffix);
                ep_finding_fix(
                    w->report, f,
                    "name the file .abi3.so (build with "
                    "Py_LIMITED_API: setuptools py_limited_api=True, "
                    "meson limited_api:, maturin abi3 feature), or tag "
                    "the wheel %s-%s",
                    want, want);
                ep_finding_path(w->report, f, m->path);
            } else if (!match && !all_plat_any(w)) {
                ep_finding_slot *f = ep_wheel_finding(
                    w, EP_FINDING_WHEEL_TAG_MISMATCH,
                    "%s is named for CPython %s, the wheel is tagged %s",
                    m->path, tag->version, ep_wtag_str(a, &w->fname.tags[0]));
                ep_finding_detail(w->report, f,
                                  "the interpreter that installs "
                                  "this wheel does not look for '%s'",
                                  m->suffix);
                ep_finding_fix(w->report, f,
                               "build the wheel with the "
                               "interpreter it is tagged for (the build used "
                               "another python), or tag it %s",
                               want);
                ep_finding_path(w->report, f, m->path);
            }
        }
        ep_ext_tag_free(tag);
    }
}

/* Will the target's installer take this wheel at all? */
static void
check_target_tags(ep_wheels *ws, ep_wheel *w)
{
    if (!ws->has_target || !w->fname_ok) {
        return;
    }
    w->supported = 0;
    for (size_t i = 0; i < w->fname.ntags; i++) {
        if (ep_wtarget_supports(&ws->target, &w->fname.tags[i])) {
            w->supported = 1;
            return;
        }
    }
    ep_finding_slot *f = ep_wheel_finding(
        w, EP_FINDING_ABI_TAG_MISMATCH,
        "no tag of %s is accepted by the target %s", w->file, ws->target.tag);
    ep_finding_detail(w->report, f,
                      "pip says: %s is not a supported wheel on "
                      "this platform",
                      w->file);
    ep_finding_detail(w->report, f, "target: %s", ws->target.desc);
    ep_finding_fix(w->report, f,
                   "build (or download) the wheel for %s; an "
                   "abi3 wheel (cp3X-abi3) serves every CPython from 3.X on",
                   ws->target.tag);
    ep_finding_path(w->report, f, w->path);
}

void
ep_wheel_audit_one(ep_wheels *ws, ep_wheel *w)
{
    ep_arena *a = &ws->arena;
    ep_zip *z = NULL;
    ep_error err;
    const char *why = NULL;
    record_check rc = {0};

    w->fname_ok = ep_wheel_fname_parse(a, w->file, &w->fname, &why);
    if (ep_zip_open(w->path, a, &z, &err) != EP_OK) {
        w->error = ep_arena_strdup(a, err.message);
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WHEEL_DAMAGED,
                             "%s cannot be read as a zip archive", w->file);
        ep_finding_detail(w->report, f, "%s", err.message);
        ep_finding_fix(w->report, f,
                       "download or build the wheel again; a "
                       "truncated upload or an HTML error page saved "
                       "as .whl looks like this");
        ep_finding_path(w->report, f, w->path);
        return;
    }
    if (!w->fname_ok) {
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WHEEL_TAG_MISMATCH,
                             "%s is not a wheel file name", w->file);
        ep_finding_detail(w->report, f, "%s", why);
        ep_finding_fix(w->report, f,
                       "keep the name the build backend gave the "
                       "file; pip refuses other names");
        ep_finding_path(w->report, f, w->path);
    }
    w->distinfo = find_distinfo(ws, w, z);
    if (w->distinfo == NULL) {
        w->error = ep_arena_printf(a, "%s: no .dist-info/WHEEL in the archive",
                                   w->path);
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WHEEL_DAMAGED, "%s has no .dist-info/WHEEL", w->file);
        ep_finding_detail(
            w->report, f,
            "every wheel holds NAME-VERSION.dist-info/"
            "WHEEL at its top level (PEP 427); this zip file is not "
            "a wheel");
        ep_finding_fix(w->report, f,
                       "build the wheel with `pip wheel` or "
                       "`python -m build`, not by zipping a directory");
        ep_finding_path(w->report, f, w->path);
        ep_zip_close(z);
        return;
    }
    bool present;
    ep_status st =
        read_header_file(ws, w, z, "WHEEL", wheel_header, &present, &err);
    if (st == EP_OK) {
        st = read_header_file(ws, w, z, "METADATA", metadata_header, &present,
                              &err);
    }
    if (w->requires.count > 1) {
        qsort(w->requires.items, w->requires.count, sizeof(char *), cmp_str);
    }
    const ep_zip_member *rm =
        ep_zip_find(z, ep_arena_printf(a, "%s/RECORD", w->distinfo));
    char *record_text = NULL;
    if (st == EP_OK && rm != NULL) {
        st = ep_zip_read_text(z, rm, a, META_CAP, &record_text, &err);
    }
    if (st != EP_OK) {
        w->error = ep_arena_strdup(a, err.message);
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WHEEL_DAMAGED,
                             "the metadata of %s cannot be read", w->file);
        ep_finding_detail(w->report, f, "%s", err.message);
        ep_finding_path(w->report, f, w->path);
        ep_zip_close(z);
        return;
    }
    w->has_record = record_text != NULL;
    if (record_text != NULL &&
        ep_record_parse(a, record_text, &rc.rows, &rc.nrows, &err) == EP_OK) {
        qsort(rc.rows, rc.nrows, sizeof(*rc.rows), cmp_row);
        rc.seen = ep_arena_alloc(a, rc.nrows + 1);
    }
    if (!w->has_record) {
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WHEEL_RECORD_MISMATCH,
                             "%s/RECORD is missing", w->distinfo);
        ep_finding_detail(w->report, f,
                          "PEP 427 requires RECORD: the list of "
                          "every file with its hash; pip refuses the wheel");
        ep_finding_fix(w->report, f,
                       "rebuild the wheel, or `python -m wheel "
                       "unpack` + `python -m wheel pack` to write it");
        ep_finding_path(w->report, f, w->path);
    }

    if (w->fname_ok) {
        check_target_tags(ws, w); /* the member checks use w->supported */
    }
    size_t n = ep_zip_count(z);
    w->members = calloc(n ? n : 1, sizeof(*w->members));
    bool damaged = false;
    for (size_t i = 0; w->members != NULL && i < n; i++) {
        const ep_zip_member *zm = ep_zip_member_at(z, i);
        if (zm->is_dir) {
            continue;
        }
        ep_wmember *m = &w->members[w->nmembers++];
        m->path = zm->name;
        m->size = zm->size;
        classify_member(ws, w, m);
        if (rc.rows != NULL && record_find(&rc, m->path) == NULL &&
            strncmp(ep_basename(m->path), "RECORD", 6) != 0) {
            record_problem(ws, &rc, m->path,
                           "%s: in the archive, not listed in "
                           "RECORD%s%s",
                           "", "");
        }
        read_member(ws, w, z, zm, m, &rc, &damaged);
    }
    if (rc.rows != NULL) {
        report_record(ws, w, &rc);
    }
    ep_zip_close(z);
    if (w->fname_ok) {
        check_wheel_tags(ws, w);
        check_suffixes(ws, w);
    }
    ep_wheel_check_libraries(ws, w);
}
