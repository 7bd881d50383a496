/*
 * ep_deps_analyze: set up the interpreter process as ld.so leaves it after
 * start-up (the executable, its needed libraries, the dynamic loader), then
 * emulate the dlopen() of the file: dl-deps.c's breadth-first walk over
 * DT_NEEDED, dl-version.c's checks and the symbol binding of the root. Also
 * the result's getters; and the session that several analyses share.
 * Searching for one name is search.c's job.
 */
#include "loader/loader.h"

#include "util/error.h"
#include "util/strbuf.h"
#include "util/arena.h"
#include "util/path.h"
#include "elf/dynread.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_CACHE "/etc/ld.so.cache"

const char *
ep_deps_how_str(ep_deps_how how)
{
    switch (how) {
    case EP_DEPS_LOADED:
        return "loaded";
    case EP_DEPS_PATH:
        return "path";
    case EP_DEPS_RPATH:
        return "rpath";
    case EP_DEPS_LD_LIBRARY_PATH:
        return "ld_library_path";
    case EP_DEPS_RUNPATH:
        return "runpath";
    case EP_DEPS_LD_SO_CACHE:
        return "ld.so.cache";
    case EP_DEPS_DEFAULT:
        return "default";
    case EP_DEPS_NOT_FOUND:
        break;
    }
    return "not-found";
}

/* ---- result lists -------------------------------------------------------- */

/* The entry for what a search produced, in the process list or the library
 * list: one per object, one per name not found. */
static size_t
entry_for(ld_ctx *cx, bool process, const char *name, ld_obj *dep,
          const ld_trace *tr, ld_obj *requester, size_t depth)
{
    ep_deps *d = cx->deps;
    ep_deps_lib **items = process ? &d->process : &d->libs;
    size_t *n = process ? &d->nprocess : &d->nlibs;
    size_t *cap = process ? &d->process_cap : &d->libs_cap;
    if (dep != NULL) {
        size_t idx = process ? dep->proc : dep->lib;
        if (idx != SIZE_MAX) {
            return idx;
        }
    } else {
        for (size_t i = 0; i < *n; i++) {
            ep_deps_lib *e = &(*items)[i];
            if (e->path == NULL && e->error == NULL && tr->error == NULL &&
                strcmp(e->name, name) == 0) {
                return i;
            }
        }
    }
    if (!ep_arena_grow(cx->a, (void **)items, cap, *n + 1, sizeof(**items))) {
        cx->nomem = true;
        return SIZE_MAX;
    }
    size_t idx = (*n)++;
    ep_deps_lib *e = &(*items)[idx];
    memset(e, 0, sizeof(*e));
    e->name = ep_arena_strdup(cx->a, name);
    e->how = tr->how;
    e->how_from = tr->how_from;
    e->needed_by = requester ? requester->path : NULL;
    e->depth = depth;
    e->tried = tr->places;
    e->ntried = tr->nplaces;
    e->skipped = tr->skips;
    e->nskipped = tr->nskips;
    e->error = tr->error;
    if (dep != NULL) {
        e->path = dep->path;
        e->soname = dep->soname;
        if (process) {
            dep->proc = idx;
        } else {
            dep->lib = idx;
        }
    } else if (tr->error != NULL) {
        e->path = tr->error_path;
    }
    if (e->name == NULL) {
        cx->nomem = true;
    }
    return idx;
}

static ep_deps_lib *
entry_at(ld_ctx *cx, bool process, ld_obj *l)
{
    if (l == NULL) {
        return &cx->deps->root;
    }
    size_t idx = process ? l->proc : l->lib;
    if (idx == SIZE_MAX) {
        return NULL;
    }
    return process ? &cx->deps->process[idx] : &cx->deps->libs[idx];
}

/* A short name for notes: the SONAME, else the file name. */
static const char *
short_name(const ld_obj *l)
{
    return l->soname ? l->soname : ep_basename(l->path);
}

/* Note a DT_NEEDED edge l -> dep that closes a cycle. */
static void
note_cycle(ld_ctx *cx, ld_obj *l, ld_obj *dep)
{
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    ep_strbuf_puts(&sb, short_name(dep));
    ld_obj *chain[64];
    size_t n = 0;
    for (ld_obj *p = l; p != NULL && p != dep && n < 64; p = p->bfs_parent) {
        chain[n++] = p;
    }
    for (size_t i = n; i-- > 0;) {
        ep_strbuf_puts(&sb, " -> ");
        ep_strbuf_puts(&sb, short_name(chain[i]));
    }
    ep_strbuf_puts(&sb, " -> ");
    ep_strbuf_puts(&sb, short_name(dep));
    char *s = ep_strbuf_take(&sb);
    if (s == NULL) {
        cx->nomem = true;
        return;
    }
    ld_note(cx,
            "DT_NEEDED cycle %s: ld.so loads each object once, so the "
            "cycle itself is harmless",
            s);
    free(s);
}

static bool
is_ancestor(const ld_obj *l, const ld_obj *dep)
{
    size_t steps = 0;
    for (const ld_obj *p = l; p != NULL && steps < LD_MAX_OBJECTS;
         p = p->bfs_parent, steps++) {
        if (p == dep) {
            return true;
        }
    }
    return false;
}

/* dl-deps.c _dl_map_object_deps: breadth first from start, each object
 * once (l_reserved), every DT_NEEDED mapped with its object as the loader.
 * The order is the new object's search list. */
static ep_status
map_deps(ld_ctx *cx, ld_obj *start, bool process, ld_obj ***order,
         size_t *norder)
{
    unsigned gen = ++cx->gen;
    size_t cap = 0, n = 0;
    ld_obj **queue = NULL;
    if (!ep_arena_grow(cx->a, (void **)&queue, &cap, n + 1, sizeof(*queue))) {
        return EP_ERR_NOMEM;
    }
    queue[n++] = start;
    start->mark = gen;
    start->bfs_parent = NULL;
    for (size_t qi = 0; qi < n && !cx->nomem; qi++) {
        ld_obj *l = queue[qi];
        ep_deps_lib *self = (l == start && !process) ? &cx->deps->root
                                                     : entry_at(cx, process, l);
        ep_strlist needed = l->info ? l->info->needed : (ep_strlist){0, NULL};
        size_t *edges =
            needed.count ? ep_arena_alloc(cx->a, needed.count * sizeof(size_t))
                         : NULL;
        size_t nedges = 0;
        size_t depth = self ? self->depth + 1 : 1;
        for (size_t k = 0; k < needed.count; k++) {
            const char *name = needed.items[k];
            ld_trace tr;
            ld_obj *dep = NULL;
            /* dl-deps.c expand_dst: tokens in DT_NEEDED expand against the
             * needing object; an unknown value fails the load. */
            char *exp = ld_dst_expand(cx->a, name, l->origin, &cx->s->pf);
            if (exp == NULL) {
                return EP_ERR_NOMEM;
            }
            if (exp[0] == '\0') {
                memset(&tr, 0, sizeof(tr));
                tr.error = "empty dynamic string token substitution";
                exp = (char *)name;
            } else {
                dep = ld_map_object(cx, l, exp, &tr);
            }
            if (cx->nomem) {
                return EP_ERR_NOMEM;
            }
            size_t idx = entry_for(cx, process, exp, dep, &tr, l, depth);
            if (edges != NULL && idx != SIZE_MAX) {
                edges[nedges++] = idx;
            }
            if (dep == NULL) {
                continue;
            }
            if (dep->mark == gen) {
                if (is_ancestor(l, dep)) {
                    note_cycle(cx, l, dep);
                }
                continue;
            }
            dep->mark = gen;
            dep->bfs_parent = l;
            if (process) {
                dep->preloaded = true;
            }
            if (!ep_arena_grow(cx->a, (void **)&queue, &cap, n + 1,
                               sizeof(*queue))) {
                return EP_ERR_NOMEM;
            }
            queue[n++] = dep;
        }
        if (self != NULL) {
            self->needed = edges;
            self->nneeded = nedges;
        }
    }
    *order = queue;
    *norder = n;
    return cx->nomem ? EP_ERR_NOMEM : EP_OK;
}

/* ---- the process ----------------------------------------------------- */

/* Whether l is the object the caller named as the one whose code calls
 * dlopen() (its scope is searched first). */
static bool
is_caller(const ld_sess *s, const ld_obj *l)
{
    const char *prefix = s->caller_prefix;
    if (prefix == NULL || *prefix == '\0') {
        return false;
    }
    const char *n = l->soname ? l->soname : ep_basename(l->path);
    return strncmp(n, prefix, strlen(prefix)) == 0;
}

/* The dynamic loader itself is in every process before anything else, under
 * its PT_INTERP name and its SONAME (rtld.c). */
static ep_status
load_rtld(ld_ctx *cx, const char *interp)
{
    const char *why = NULL;
    cx->rtld_path = interp;
    ld_obj *r = ld_open_object(cx, interp, NULL, &why);
    if (r == NULL) {
        ld_note(cx, "the dynamic loader %s cannot be read: %s", interp,
                why ? why : "unknown error");
        return cx->nomem ? EP_ERR_NOMEM : EP_OK;
    }
    r->is_rtld = true;
    r->preloaded = true;
    cx->rtld = r;
    if (r->soname != NULL && !ep_strvec_push(cx->a, &r->names, r->soname)) {
        return EP_ERR_NOMEM;
    }
    return EP_OK;
}

/* Start-up of the interpreter (rtld.c dl_main): its executable as the main
 * map, LD_LIBRARY_PATH read against it, its DT_NEEDED tree loaded. */
static ep_status
load_process(ld_ctx *cx, const char *exe, const char *llp, ld_obj ***scope,
             size_t *nscope, ep_error *err)
{
    ep_deps *d = cx->deps;
    const char *why = NULL;
    ld_obj *m = ld_open_object(cx, exe, NULL, &why);
    if (m == NULL) {
        if (cx->nomem) {
            return ep_fail_nomem(err);
        }
        return ep_fail(err, EP_ERR_INTERP,
                       "%s: not a usable interpreter "
                       "executable: %s",
                       exe, why ? why : "unknown error");
    }
    m->preloaded = true;
    cx->main = m;
    /* The executable's $ORIGIN comes from /proc/self/exe: a real path, as
     * find_interpreter made exe, so the file's own origin is right. */
    d->interpreter = m->path;
    ep_status st =
        load_rtld(cx, m->info->interp ? m->info->interp : cx->s->pf.rtld);
    if (st == EP_OK) {
        st = ld_init_env_path(cx, llp);
    }
    if (st != EP_OK) {
        return ep_fail_nomem(err);
    }
    ep_deps_lib *e = NULL;
    if (ep_arena_grow(cx->a, (void **)&d->process, &d->process_cap, 1,
                      sizeof(*e))) {
        e = &d->process[d->nprocess++];
        memset(e, 0, sizeof(*e));
        e->name = m->path;
        e->path = m->path;
        e->soname = m->soname;
        e->how = EP_DEPS_PATH;
        m->proc = 0;
    }
    if (e == NULL || map_deps(cx, m, true, scope, nscope) != EP_OK) {
        return ep_fail_nomem(err);
    }
    cx->call_map = m;
    for (size_t i = 0; i < *nscope; i++) {
        if (is_caller(cx->s, (*scope)[i])) {
            cx->call_map = (*scope)[i];
            d->shared = true;
            d->libpython = (*scope)[i]->path;
            break;
        }
    }
    for (size_t i = 0; i < d->nprocess; i++) {
        if (d->process[i].path == NULL) {
            ld_note(cx,
                    "the interpreter's own %s is not found here: the "
                    "interpreter could not start in this environment",
                    d->process[i].name);
        }
    }
    if (d->asked && d->shared && d->libpython == NULL) {
        ld_note(cx, "the interpreter reports a shared libpython, but its "
                    "executable does not need one");
    }
    d->call_map = cx->call_map->path;
    return EP_OK;
}

/* The reasons dl-load.c gives for a root that cannot be loaded at all. */
static const char *
root_refusal(const ld_obj *root, bool standalone)
{
    if (standalone) {
        return NULL; /* ld.so --list opens the main program as an exec */
    }
    if (root->info->type == 2 /* ET_EXEC */) {
        return "cannot dynamically load executable";
    }
    if (root->info->flags_1 & 0x08000000 /* DF_1_PIE */) {
        return "cannot dynamically load position-independent executable";
    }
    return NULL;
}

static void
finish(ld_ctx *cx)
{
    ep_deps *d = cx->deps;
    const ld_platform *pf = &cx->s->pf;
    d->platform = pf->platform;
    d->lib = pf->lib;
    d->hwcaps = ep_strvec_list(&pf->hwcaps);
    d->legacy_hwcaps = ep_strvec_list(&pf->legacy);
    d->system_dirs = ep_strvec_list(&pf->system_dirs);
    bool ok = d->root.error == NULL && d->root.path != NULL &&
              d->nmissing == 0 && d->nunresolved == 0;
    for (size_t i = 0; ok && i < d->nlibs; i++) {
        ok = d->libs[i].path != NULL && d->libs[i].error == NULL;
    }
    d->ok = ok;
}

/* ---- the session --------------------------------------------------------- */

/* Close every file and the cache: nothing more is read. */
static void
sess_close(ld_sess *s)
{
    if (s->closed) {
        return;
    }
    for (ld_image *m = s->all; m != NULL; m = m->next_all) {
        ep_elf_symtab_close(m->symtab);
        m->symtab = NULL;
    }
    ld_cache_close(s->cache);
    s->cache = NULL;
    s->closed = true;
}

static void
sess_unref(ld_sess *s)
{
    if (s != NULL && --s->refs == 0) {
        sess_close(s);
        ep_arena_release(&s->a);
        free(s);
    }
}

/* Between two trees: past LD_MAX_HELD bytes read, free the tables (they are
 * read again when needed); past LD_MAX_OPEN descriptors, close them (the
 * files are opened again when needed). */
static void
sess_tidy(ld_sess *s)
{
    /* Counting costs a walk over every file: every few trees, or when a
     * tree opened many files. */
    if (++s->ntrees % 16 != 0 && s->nopen < LD_MAX_OPEN) {
        return;
    }
    size_t held = 0, open = 0;
    for (ld_image *m = s->all; m != NULL; m = m->next_all) {
        held += ep_elf_symtab_bytes(m->symtab);
        open += ep_elf_symtab_is_open(m->symtab);
    }
    if (held > LD_MAX_HELD) {
        for (ld_image *m = s->all; m != NULL; m = m->next_all) {
            ep_elf_symtab_trim(m->symtab);
        }
        s->nopen = 0;
    } else if (open > LD_MAX_OPEN) {
        ld_park_all(s);
    }
}

/* Copy the caller's process description into the session. */
static ep_status
set_process(ld_sess *s, const ld_process *proc)
{
    if (proc == NULL || proc->exe == NULL) {
        return EP_OK; /* standalone */
    }
    s->python = proc->named ? ep_arena_strdup(&s->a, proc->named) : NULL;
    s->exe = ep_arena_strdup(&s->a, proc->exe);
    s->asked = proc->asked;
    s->shared = proc->shared;
    s->libpython =
        proc->libpython ? ep_arena_strdup(&s->a, proc->libpython) : NULL;
    s->caller_prefix = proc->caller_prefix
                           ? ep_arena_strdup(&s->a, proc->caller_prefix)
                           : NULL;
    bool nomem = (proc->named && !s->python) || !s->exe ||
                 (proc->libpython && !s->libpython) ||
                 (proc->caller_prefix && !s->caller_prefix);
    return nomem ? EP_ERR_NOMEM : EP_OK;
}

ep_status
ld_session_new(const ep_deps_options *opt, const ld_process *proc,
               ep_deps_session **out, ep_error *err)
{
    *out = NULL;
    ld_sess *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&s->a);
    s->refs = 1;
    s->symbols = opt->symbols;
    /* Unless the caller asks: pread of the ranges needed is faster from a
     * cold cache and for a batch, and a mapped file truncated under us
     * would raise SIGBUS on the next touch (tests/unit/loader_robust.c).
     * For one tree a mapping costs a few faults where the tables read
     * would take fresh pages (libz.so.1: 88 -> 64 page faults). */
    s->map_files = opt->map_files;
    s->plain_unless_ext = opt->plain_unless_extension;
    ep_status st = ld_platform_init(&s->a, &s->pf, opt, err);
    if (st != EP_OK) {
        goto fail;
    }
    const char *llp =
        opt->ld_library_path ? opt->ld_library_path : getenv("LD_LIBRARY_PATH");
    if (llp != NULL && (s->llp = ep_arena_strdup(&s->a, llp)) == NULL) {
        st = ep_fail_nomem(err);
        goto fail;
    }
    const char *cache = opt->ld_so_cache ? opt->ld_so_cache : DEFAULT_CACHE;
    if (cache[0] != '\0') {
        s->cache_path = ep_arena_strdup(&s->a, cache);
        if (s->cache_path == NULL) {
            st = ep_fail_nomem(err);
            goto fail;
        }
        st = ld_cache_open(&s->a, cache, &s->cache, &s->cache_note, err);
        if (st != EP_OK) {
            goto fail;
        }
        s->cache_format = ld_cache_format(s->cache);
    }
    if (ld_init_system_path(s) != EP_OK) {
        st = ep_fail_nomem(err);
        goto fail;
    }
    st = set_process(s, proc);
    if (st != EP_OK) {
        st = ep_fail_nomem(err);
        goto fail;
    }
    *out = s;
    return EP_OK;
fail:
    sess_unref(s);
    return st;
}

ep_status
ld_session_defer_process(ld_sess *s, ld_process_finder find, const char *python,
                         const char *executable)
{
    ld_process_finder_box *b = ep_arena_alloc(&s->a, sizeof(*b));
    if (b == NULL) {
        return EP_ERR_NOMEM;
    }
    b->find = find;
    b->python = python ? ep_arena_strdup(&s->a, python) : NULL;
    b->executable = executable ? ep_arena_strdup(&s->a, executable) : NULL;
    if ((python && !b->python) || (executable && !b->executable)) {
        return EP_ERR_NOMEM;
    }
    s->defer = b;
    return EP_OK;
}

/* The deferred process, decided now (once it is found). */
static ep_status
decide_process(ld_sess *s, ep_error *err)
{
    ep_arena a;
    ep_arena_init(&a);
    ld_process proc;
    ep_status st = s->defer->find(s, &a, s->defer->python, s->defer->executable,
                                  &proc, err);
    if (st == EP_OK) {
        if (set_process(s, &proc) != EP_OK) {
            st = ep_fail_nomem(err);
        } else {
            s->defer = NULL;
        }
    }
    ep_arena_release(&a);
    return st;
}

void
ep_deps_session_free(ep_deps_session *session)
{
    if (session != NULL) {
        sess_close(session);
        sess_unref(session);
    }
}

static ep_status
analyze(ld_ctx *cx, const char *path, ep_error *err)
{
    ld_sess *s = cx->s;
    ep_deps *d = cx->deps;
    d->file = ep_arena_strdup(cx->a, path);
    d->ld_library_path = s->llp;
    d->cache_path = s->cache_path;
    d->cache_format = s->cache_format;
    d->python = s->python;
    d->asked = s->asked;
    d->shared = s->shared;
    d->libpython = s->libpython;
    d->symbols_enabled = s->symbols;
    if (d->file == NULL ||
        (s->cache_note != NULL && !ld_note(cx, "%s", s->cache_note))) {
        return ep_fail_nomem(err);
    }
    const char *exe = s->exe;
    bool interp = exe != NULL || s->defer != NULL;
    if (interp && s->plain_unless_ext && !ld_exports_pyinit(s, path)) {
        /* Not an extension module: no import dlopen()s it, so the tree
         * is the one it has on its own (docs/deps.md). */
        exe = NULL;
        d->python = NULL;
        d->asked = d->shared = false;
        d->libpython = NULL;
        if (!ld_note(cx, "no PyInit_* function: not a Python extension, so "
                         "loaded on its own (as ldd loads it); --python "
                         "loads it in the interpreter")) {
            return ep_fail_nomem(err);
        }
    } else if (interp && exe == NULL) {
        ep_status st = decide_process(s, err);
        if (st != EP_OK) {
            return st;
        }
        exe = s->exe;
        d->python = s->python;
        d->asked = s->asked;
        d->shared = s->shared;
        d->libpython = s->libpython;
    }
    ld_obj **pscope = NULL, **mscope = NULL;
    size_t npscope = 0, nmscope = 0;
    ep_status st;
    if (exe != NULL) {
        st = load_process(cx, exe, s->llp, &pscope, &npscope, err);
        if (st != EP_OK) {
            return st;
        }
    }
    d->root.name = d->file;
    d->root.how = EP_DEPS_PATH;
    const char *why = NULL;
    if (exe == NULL) {
        /* Standalone, as `ld.so --list FILE`: the file is the main program
         * and only the dynamic loader is there before it. */
        if (load_rtld(cx, s->pf.rtld) != EP_OK) {
            return ep_fail_nomem(err);
        }
        cx->reading_root = true;
        cx->main = ld_open_object(cx, path, NULL, &why);
        cx->reading_root = false;
        if (ld_init_env_path(cx, s->llp) != EP_OK) {
            return ep_fail_nomem(err);
        }
    }
    cx->reading_root = true;
    ld_obj *root =
        exe == NULL ? cx->main : ld_open_object(cx, path, cx->call_map, &why);
    cx->reading_root = false;
    if (cx->nomem || s->nomem) {
        return ep_fail_nomem(err);
    }
    if (root == NULL) {
        d->root.error = why ? why : "cannot be loaded";
    } else {
        cx->root_img = root->preloaded ? NULL : root->img;
        d->root.path = root->path;
        d->root.soname = root->soname;
        d->root.error = root_refusal(root, exe == NULL);
        if (root->preloaded) {
            ld_note(cx,
                    "%s is already in the interpreter process; dlopen() "
                    "returns that copy",
                    path);
        }
    }
    st = EP_OK;
    if (root != NULL && d->root.error == NULL) {
        st = map_deps(cx, root, false, &mscope, &nmscope);
        if (st == EP_OK && cx->symbols) {
            st = ld_collect_refs(cx, root);
        }
        if (st == EP_OK && cx->symbols) {
            /* dl-lookup.c _dl_lookup_symbol_x over l_scope: the global
             * scope (the interpreter's own search list), then the dlopen's
             * search list as map_deps built it. */
            ld_obj **scope =
                ep_arena_alloc(cx->a, (npscope + nmscope + 1) * sizeof(*scope));
            if (scope == NULL) {
                return ep_fail_nomem(err);
            }
            size_t n = 0;
            unsigned gen = ++cx->gen;
            for (size_t i = 0; i < npscope + nmscope; i++) {
                ld_obj *l = i < npscope ? pscope[i] : mscope[i - npscope];
                if (l->mark != gen) {
                    l->mark = gen;
                    scope[n++] = l;
                }
            }
            ld_resolve_refs(cx, scope, n);
            st = ld_check_versions(cx, root);
            if (st == EP_OK) {
                st = ld_finish_symbols(cx, root);
            }
        }
    }
    if (st != EP_OK || cx->nomem || s->nomem) {
        return ep_fail_nomem(err);
    }
    finish(cx);
    return EP_OK;
}

ep_status
ep_deps_session_analyze(ep_deps_session *session, const char *path,
                        ep_deps **out, ep_error *err)
{
    if (session == NULL || path == NULL || out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_deps_session_analyze: "
                       "NULL argument");
    }
    *out = NULL;
    if (session->closed) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_deps_session_analyze: "
                       "the session was freed");
    }
    ep_deps *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&d->arena);
    d->sess = session;
    session->refs++;
    ld_ctx cx;
    memset(&cx, 0, sizeof(cx));
    cx.s = session;
    cx.deps = d;
    cx.a = &d->arena;
    cx.err = err;
    cx.symbols = session->symbols;
    cx.rtld_path = session->pf.rtld;
    ep_status st = analyze(&cx, path, err);
    if (cx.root_img != NULL) {
        /* A root is read once, to list its references: its tables go now,
         * and are read again should another tree need it. */
        ep_elf_symtab_trim(cx.root_img->symtab);
    }
    sess_tidy(session);
    if (st != EP_OK) {
        ep_deps_free(d);
        return st;
    }
    *out = d;
    return EP_OK;
}

void
ep_deps_free(ep_deps *deps)
{
    if (deps != NULL) {
        ld_sess *s = deps->sess;
        ep_arena_release(&deps->arena);
        free(deps);
        sess_unref(s);
    }
}

const char *
ep_deps_file(const ep_deps *deps)
{
    return deps ? deps->file : NULL;
}

const char *
ep_deps_interpreter(const ep_deps *deps)
{
    return deps ? deps->interpreter : NULL;
}

const ep_deps_lib *
ep_deps_root(const ep_deps *deps)
{
    return deps ? &deps->root : NULL;
}

size_t
ep_deps_library_count(const ep_deps *deps)
{
    return deps ? deps->nlibs : 0;
}

const ep_deps_lib *
ep_deps_library(const ep_deps *deps, size_t i)
{
    return deps && i < deps->nlibs ? &deps->libs[i] : NULL;
}

size_t
ep_deps_process_count(const ep_deps *deps)
{
    return deps ? deps->nprocess : 0;
}

const ep_deps_lib *
ep_deps_process(const ep_deps *deps, size_t i)
{
    return deps && i < deps->nprocess ? &deps->process[i] : NULL;
}

size_t
ep_deps_missing_version_count(const ep_deps *deps)
{
    return deps ? deps->nmissing : 0;
}

const ep_deps_version *
ep_deps_missing_version(const ep_deps *deps, size_t i)
{
    return deps && i < deps->nmissing ? &deps->missing[i] : NULL;
}

size_t
ep_deps_unresolved_count(const ep_deps *deps)
{
    return deps ? deps->nunresolved : 0;
}

const ep_deps_symbol *
ep_deps_unresolved(const ep_deps *deps, size_t i)
{
    return deps && i < deps->nunresolved ? &deps->unresolved[i] : NULL;
}

ep_strlist
ep_deps_notes(const ep_deps *deps)
{
    ep_strlist none = {0, NULL};
    return deps ? ep_strvec_list(&deps->notes) : none;
}

bool
ep_deps_ok(const ep_deps *deps)
{
    return deps != NULL && deps->ok;
}
