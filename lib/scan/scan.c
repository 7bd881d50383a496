/*
 * ep_scan_run(): every extension module of an environment checked as its
 * interpreter would import it, statically, in this one process: the walk,
 * the file-name tag, the ELF header, PyInit_, and the loader's verdict in
 * the interpreter's process (one deps session for all). Not here: the
 * output (lib/render/scan_json.c, probe/cmd_scan.c).
 */
#include "elf/lookup.h"
#include "interp/interp.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/path.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Directory nesting followed below a root; deeper is a link loop. */
#define MAX_DEPTH 48
/* Findings one module can collect (one per kind of check at most). */
#define MAX_FINDINGS 8

void
ep_scan_options_init(ep_scan_options *opt)
{
    if (opt != NULL) {
        memset(opt, 0, sizeof(*opt));
        opt->python = "python3";
        opt->symbols = true;
    }
}

/* One candidate file: an extension module the finder could import. */
typedef struct cand {
    const char *file, *module, *root;
} cand;

typedef struct walk {
    ep_arena *a;
    cand *c;
    size_t n, cap;
    bool nomem;
} walk;

/* A Python identifier in ASCII (what a module name needs to be importable;
 * non-ASCII names are rare in compiled modules and left out). */
static bool
is_ident(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9')) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

static void
add(walk *w, const char *file, const char *module, const char *root)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        cand *c = realloc(w->c, cap * sizeof(*c));
        if (c == NULL) {
            w->nomem = true;
            return;
        }
        w->c = c;
        w->cap = cap;
    }
    w->c[w->n++] = (cand){file, module, root};
}

static int
by_name(const struct dirent **x, const struct dirent **y)
{
    return strcmp((*x)->d_name, (*y)->d_name);
}

/* The directories being walked, innermost first: a symlink back to one of
 * them is a loop (the finder would take a.b.a.b... as packages for ever;
 * each module is reported once, under its shortest name). */
typedef struct walking {
    dev_t dev;
    ino_t ino;
    const struct walking *up;
} walking;

static bool
on_stack(const walking *up, const struct stat *sb)
{
    for (; up != NULL; up = up->up) {
        if (up->dev == sb->st_dev && up->ino == sb->st_ino) {
            return true;
        }
    }
    return false;
}

/* Walk dir (module prefix pkg, "" at a root) depth first in name order:
 * directories whose names are identifiers are packages the finder can
 * enter (a regular or namespace package); files named <ident>.<tag>.so or
 * <ident>.so are extension modules. */
static void
walk_dir(walk *w, const char *dir, const char *pkg, const char *root, int depth,
         const walking *up)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, by_name);
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t stem = strcspn(name, ".");
        size_t len = strlen(name);
        char *path =
            name[0] == '.' ? NULL : ep_arena_printf(w->a, "%s/%s", dir, name);
        struct stat sb;
        if (path != NULL && stat(path, &sb) == 0) {
            if (S_ISDIR(sb.st_mode) && stem == len && is_ident(name, len) &&
                depth < MAX_DEPTH && !on_stack(up, &sb)) {
                char *sub =
                    ep_arena_printf(w->a, "%s%s%s", pkg, *pkg ? "." : "", name);
                walking here = {sb.st_dev, sb.st_ino, up};
                if (sub != NULL) {
                    walk_dir(w, path, sub, root, depth + 1, &here);
                }
            } else if (S_ISREG(sb.st_mode) && len > 3 &&
                       strcmp(name + len - 3, ".so") == 0 &&
                       is_ident(name, stem)) {
                char *mod = ep_arena_printf(w->a, "%s%s%.*s", pkg,
                                            *pkg ? "." : "", (int)stem, name);
                if (mod != NULL) {
                    add(w, path, mod, root);
                }
            }
        }
        free(list[i]);
    }
    free(list);
}

static bool
accepted(const ep_strvec *suffixes, const char *file)
{
    const char *name = ep_basename(file);
    return ep_strvec_contains(suffixes, name + strcspn(name, "."));
}

static size_t
dir_len(const char *file)
{
    return (size_t)(ep_basename(file) - file);
}

/* A file whose tag the interpreter does not take is no module of this
 * environment when a file for the same module in the same directory has a
 * tag it takes (Debian ships _foo.cpython-311d-*.so beside
 * _foo.cpython-311-*.so for its debug interpreter); alone, it is the
 * abi-tag-mismatch of a module that cannot be imported. Same-module files
 * sort next to each other, so neighbours are enough. */
static void
drop_shadowed_tags(walk *w, const ep_strvec *suffixes)
{
    size_t out = 0;
    for (size_t i = 0; i < w->n; i++) {
        bool drop = false;
        if (!accepted(suffixes, w->c[i].file)) {
            size_t lo = i > 4 ? i - 4 : 0, hi = i + 5 < w->n ? i + 5 : w->n;
            for (size_t k = lo; k < hi && !drop; k++) {
                drop = k != i && strcmp(w->c[k].module, w->c[i].module) == 0 &&
                       dir_len(w->c[k].file) == dir_len(w->c[i].file) &&
                       strncmp(w->c[k].file, w->c[i].file,
                               dir_len(w->c[i].file)) == 0 &&
                       accepted(suffixes, w->c[k].file);
            }
        }
        if (!drop) {
            w->c[out++] = w->c[i];
        }
    }
    w->n = out;
}

/* The interpreter's site-packages and lib-dynload, as it reports them. */
static ep_status
default_roots(ep_arena *a, const ep_interp *in, ep_strvec *roots, ep_error *err)
{
    for (size_t i = 0; i < in->npath; i++) {
        const ep_path_entry *e = &in->path[i];
        bool dynload = e->origin == EP_ORIGIN_STDLIB &&
                       strcmp(ep_basename(e->abs), "lib-dynload") == 0;
        if ((e->origin != EP_ORIGIN_SITE_PACKAGES && !dynload) ||
            ep_strvec_contains(roots, e->abs)) {
            continue;
        }
        /* Copied: the summary outlives the interpreter's facts. */
        const char *copy = ep_arena_strdup(a, e->abs);
        if (copy == NULL || !ep_strvec_push(a, roots, copy)) {
            return ep_fail_nomem(err);
        }
    }
    return EP_OK;
}

typedef struct check {
    ep_arena *a;
    ep_scan_finding f[MAX_FINDINGS];
    size_t n;
} check;

static void finding(check *c, const char *code, const char *fmt, ...)
    EP_PRINTF(3, 4);

static void
finding(check *c, const char *code, const char *fmt, ...)
{
    if (c->n == MAX_FINDINGS) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = ep_arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    c->f[c->n++] = (ep_scan_finding){code, s ? s : "out of memory"};
}

static bool
in_list(const ep_strvec *v, const char *s)
{
    return ep_strvec_contains(v, s);
}

/* GLIBC_2.38, GLIBCXX_3.4.32, CXXABI_1.3.15: the C and C++ runtimes. */
static bool
is_runtime_version(const char *v)
{
    return v != NULL &&
           (strncmp(v, "GLIBC", 5) == 0 || strncmp(v, "CXXABI_", 7) == 0);
}

/* The loader's verdict in the interpreter's process, as findings. */
static ep_status
check_loader(check *c, ep_deps_session *s, const char *file, ep_error *err)
{
    ep_deps *d = NULL;
    ep_status st = ep_deps_session_analyze(s, file, &d, err);
    if (st != EP_OK) {
        return st;
    }
    const ep_deps_lib *root = ep_deps_root(d);
    if (root->error != NULL) {
        finding(c, "not-an-extension", "the loader refuses it: %s",
                root->error);
    }
    for (size_t i = 0; i < ep_deps_library_count(d); i++) {
        const ep_deps_lib *l = ep_deps_library(d, i);
        if (l->path == NULL) {
            finding(c, "missing-dependency", "%s not found (needed by %s)",
                    l->name, ep_basename(l->needed_by));
        } else if (l->error != NULL) {
            finding(c, "missing-dependency", "%s refused: %s", l->name,
                    l->error);
        }
    }
    for (size_t i = 0; i < ep_deps_missing_version_count(d); i++) {
        const ep_deps_version *v = ep_deps_missing_version(d, i);
        /* libstdc++'s families are cxx-abi's, the C library's
         * glibc-too-new's (lib/findings/check_cxx_abi.c). */
        bool cxx = strncmp(v->version, "GLIBCXX_", 8) == 0 ||
                   strncmp(v->version, "CXXABI_", 7) == 0;
        finding(c,
                cxx                              ? "cxx-abi"
                : is_runtime_version(v->version) ? "glibc-too-new"
                                                 : "undefined-symbol",
                "%s needs %s from %s%s%s", ep_basename(v->needed_by),
                v->version, v->library, v->highest ? ", which has up to " : "",
                v->highest ? v->highest : "");
    }
    size_t nu = ep_deps_unresolved_count(d);
    if (nu > 0) {
        const ep_deps_symbol *u = ep_deps_unresolved(d, 0);
        finding(
            c, "undefined-symbol",
            "%zu undefined symbol%s nothing in the process provides: %s%s%s",
            nu, nu == 1 ? "" : "s", u->name, u->version ? "@" : "",
            u->version ? u->version : "");
    }
    ep_deps_free(d);
    return EP_OK;
}

/* Every check of one module; findings in c. */
static ep_status
check_module(check *c, const cand *m, const ep_interp *in,
             const ep_elf_info *host, ep_deps_session *s, ep_error *err)
{
    const char *name = ep_basename(m->file);
    const char *suffix = name + strcspn(name, ".");
    /* importlib's FileFinder tries EXTENSION_SUFFIXES only: a file with
     * another tag is never looked at (abi-tag-mismatch). */
    if (!in_list(&in->ext_suffixes, suffix)) {
        finding(c, "abi-tag-mismatch",
                "the tag %s is not one this interpreter imports (it takes %s)",
                suffix,
                in->ext_suffixes.count ? in->ext_suffixes.items[0] : "none");
        return EP_OK;
    }
    ep_object *obj = NULL;
    ep_status st = ep_object_open(m->file, &obj, err);
    if (st != EP_OK) {
        return st;
    }
    const ep_elf_info *info = ep_object_elf(obj);
    if (ep_object_reason(obj) != NULL) {
        finding(c,
                ep_object_kind(obj) == EP_KIND_UNREADABLE ? "unreadable"
                                                          : "not-an-extension",
                "%s: %s", ep_kind_str(ep_object_kind(obj)),
                ep_object_reason(obj));
    } else if (host != NULL && info != NULL &&
               (info->machine != host->machine ||
                info->elf_class != host->elf_class)) {
        finding(c, "wrong-architecture",
                "ELF %d-bit %s; the interpreter is %d-bit %s", info->elf_class,
                info->machine_name, host->elf_class, host->machine_name);
    } else {
        ep_strlist pyinit = {0, NULL};
        size_t stem = strcspn(name, ".");
        bool found = false;
        if (in->major == 2) {
            /* Python 2 calls init<name>, not PyInit_<name>. */
            const char *want =
                ep_arena_printf(c->a, "init%.*s", (int)stem, name);
            found = want == NULL || ep_object_defines(obj, want);
            if (!found) {
                finding(c, "missing-init-function", "no init%.*s", (int)stem,
                        name);
            }
            ep_object_close(obj);
            return check_loader(c, s, m->file, err);
        }
        if (ep_object_pyinit(obj, &pyinit, NULL) == EP_OK) {
            for (size_t i = 0; i < pyinit.count && !found; i++) {
                found = strlen(pyinit.items[i]) == 7 + stem &&
                        strncmp(pyinit.items[i] + 7, name, stem) == 0;
            }
        }
        if (!found) {
            finding(c, "missing-init-function", "no PyInit_%.*s%s%s", (int)stem,
                    name, pyinit.count ? "; it exports " : "",
                    pyinit.count ? pyinit.items[0] : "");
        }
        ep_object_close(obj);
        return check_loader(c, s, m->file, err);
    }
    ep_object_close(obj);
    return EP_OK;
}

ep_status
ep_scan_run(const ep_scan_options *opt, const char *const *paths, size_t npaths,
            ep_scan_fn fn, void *ctx, ep_scan_summary *sum, ep_error *err)
{
    ep_scan_options defaults;
    if (sum == NULL || (paths == NULL && npaths > 0)) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "ep_scan_run: NULL argument");
    }
    memset(sum, 0, sizeof(*sum));
    if (opt == NULL) {
        ep_scan_options_init(&defaults);
        opt = &defaults;
    }
    ep_interp *in = NULL;
    ep_status st = ep_interp_query(opt->python, NULL, EP_START_MODE_C, NULL,
                                   60.0, &in, err);
    if (st != EP_OK) {
        return st;
    }
    ep_arena *a = calloc(1, sizeof(*a));
    walk w = {a, NULL, 0, 0, false};
    ep_deps_session *s = NULL;
    ep_object *host = NULL;
    ep_arena scratch;
    ep_arena_init(&scratch);
    if (a == NULL) {
        st = ep_fail_nomem(err);
        goto out;
    }
    ep_arena_init(a);
    ep_strvec roots = {0};
    ep_strvec suffixes = {0};
    for (size_t i = 0; i < in->ext_suffixes.count; i++) {
        /* Copied: the summary outlives the interpreter's facts. */
        const char *copy = ep_arena_strdup(a, in->ext_suffixes.items[i]);
        if (copy == NULL || !ep_strvec_push(a, &suffixes, copy)) {
            st = ep_fail_nomem(err);
            goto out;
        }
    }
    if (npaths == 0) {
        st = default_roots(a, in, &roots, err);
    }
    for (size_t i = 0; i < npaths && st == EP_OK; i++) {
        if (!ep_strvec_push(a, &roots, paths[i])) {
            st = ep_fail_nomem(err);
        }
    }
    if (st != EP_OK) {
        goto out;
    }
    for (size_t i = 0; i < roots.count; i++) {
        struct stat sb;
        const char *r = roots.items[i];
        if (stat(r, &sb) != 0) {
            st = ep_fail_errno(err, errno, "%s", r);
            goto out;
        }
        if (S_ISDIR(sb.st_mode)) {
            walking top = {sb.st_dev, sb.st_ino, NULL};
            walk_dir(&w, r, "", r, 0, &top);
        } else {
            const char *b = ep_basename(r);
            add(&w, r, ep_arena_strndup(a, b, strcspn(b, ".")), r);
        }
    }
    if (w.nomem) {
        st = ep_fail_nomem(err);
        goto out;
    }
    drop_shadowed_tags(&w, &in->ext_suffixes);
    sum->python = ep_arena_strdup(a, opt->python);
    sum->executable = ep_arena_strdup(
        a, in->executable_real ? in->executable_real : in->executable);
    sum->suffixes = ep_strvec_list(&suffixes);
    sum->roots = ep_strvec_list(&roots);
    ep_deps_options dopt;
    ep_deps_options_init(&dopt);
    dopt.python = opt->python;
    dopt.executable = sum->executable;
    dopt.symbols = opt->symbols;
    st = ep_deps_session_new(&dopt, &s, err);
    if (st != EP_OK) {
        goto out;
    }
    if (sum->executable != NULL &&
        ep_object_open(sum->executable, &host, NULL) != EP_OK) {
        host = NULL;
    }
    const ep_elf_info *hinfo = host ? ep_object_elf(host) : NULL;
    for (size_t i = 0; i < w.n; i++) {
        check c = {&scratch, {{0}}, 0};
        st = check_module(&c, &w.c[i], in, hinfo, s, err);
        if (st != EP_OK) {
            goto out;
        }
        const char *name = ep_basename(w.c[i].file);
        ep_scan_module m = {
            w.c[i].module, w.c[i].file, w.c[i].root, name + strcspn(name, "."),
            c.n == 0,      c.n,         c.f};
        sum->modules++;
        if (m.ok) {
            sum->ok++;
        } else {
            sum->failed++;
        }
        bool more = fn == NULL || fn(&m, i + 1, w.n, ctx);
        ep_arena_release(&scratch);
        ep_arena_init(&scratch);
        if (!more) {
            break;
        }
    }
out:
    ep_arena_release(&scratch);
    ep_object_close(host);
    ep_deps_session_free(s);
    ep_interp_free(in);
    free(w.c);
    if (st != EP_OK && a != NULL) {
        ep_arena_release(a);
        free(a);
        memset(sum, 0, sizeof(*sum));
    } else {
        sum->_private = a;
    }
    return st;
}

void
ep_scan_summary_release(ep_scan_summary *sum)
{
    if (sum != NULL && sum->_private != NULL) {
        ep_arena_release(sum->_private);
        free(sum->_private);
        memset(sum, 0, sizeof(*sum));
    }
}
