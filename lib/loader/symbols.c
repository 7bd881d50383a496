/*
 * Versions and symbols as ld.so checks and binds them after the objects are
 * mapped: dl-version.c's requirement check for every newly loaded object,
 * and dl-lookup.c's search of the root's undefined symbols through the
 * global scope, then the root's own dependency list. Lookups go through each
 * object's hash table (elf/hash.c); only match rules live here.
 */
#include "loader.h"

#include <stdlib.h>
#include <string.h>

#define SHN_UNDEF_ID 0
#define SHN_ABS_ID 0xfff1
#define STT_TLS_ID 6
#define STB_GLOBAL_ID 1
#define STB_WEAK_ID 2
#define STB_GNU_UNIQUE_ID 10
/* dl-lookup.c ALLOWED_STT: NOTYPE, OBJECT, FUNC, COMMON, TLS, GNU_IFUNC. */
#define ALLOWED_STT ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 5) | \
                     (1u << 6) | (1u << 10))

/* dl-version.c find_needed: the loaded object a version requirement's file
 * name refers to, by _dl_name_match_p (the names it was loaded under, its
 * SONAME once matched). */
static ld_obj *
find_needed(ld_ctx *cx, const char *file)
{
    for (ld_obj *l = cx->head; l != NULL; l = l->next) {
        if (strcmp(l->path, file) == 0 || ep_strvec_contains(&l->names, file) ||
            (l->soname != NULL && strcmp(l->soname, file) == 0)) {
            return l;
        }
    }
    return NULL;
}

/* The object's tables, mapped on first use (a note says when they cannot
 * be read; the object then defines and requires nothing). */
static ep_elf_symtab *
symtab_of(ld_ctx *cx, ld_obj *l)
{
    if (!l->symtab_done && l->obj != NULL) {
        l->symtab_done = true;
        ep_error e;
        if (ep_elf_symtab_open(l->obj, &l->symtab, &e) != EP_OK) {
            if (e.status == EP_ERR_NOMEM) {
                cx->nomem = true;
            }
            ld_note(cx, "%s: dynamic symbols unreadable: %s", l->path,
                    e.message);
        }
    }
    return l->symtab;
}

/* The prefix of a version name up to its first digit ("GLIBC_"). */
static size_t
family_len(const char *v)
{
    return strcspn(v, "0123456789");
}

#define VER_FLG_BASE_BIT 0x1
#define VER_FLG_WEAK_BIT 0x2

/* Walks the definitions for match_symbol and for the highest version of
 * the requirement's family. */
typedef struct def_walk {
    const char *want;
    uint32_t hash;
    size_t family;
    bool found;
    const char *highest;
} def_walk;

static bool
visit_def(const char *name, uint32_t hash, uint16_t flags, uint16_t index,
          void *ctx)
{
    def_walk *w = ctx;
    (void)index;
    if (hash == w->hash && strcmp(name, w->want) == 0) {
        w->found = true;
    }
    if (!(flags & VER_FLG_BASE_BIT) && family_len(name) == w->family &&
        strncmp(name, w->want, w->family) == 0 &&
        (w->highest == NULL || ep_version_compare(name, w->highest) > 0)) {
        w->highest = name;
    }
    return false;
}

static bool
add_missing(ld_ctx *cx, const char *file, ld_obj *target,
            const char *version, ld_obj *needer, const char *highest)
{
    ep_deps *d = cx->deps;
    for (size_t i = 0; i < d->nmissing; i++) {
        if (strcmp(d->missing[i].version, version) == 0 &&
            strcmp(d->missing[i].library, file) == 0 &&
            strcmp(d->missing[i].needed_by, needer->path) == 0) {
            return true;
        }
    }
    if (!ld_grow(cx->a, (void **)&d->missing, &d->missing_cap, d->nmissing,
                 sizeof(*d->missing))) {
        return false;
    }
    ep_deps_version *m = &d->missing[d->nmissing++];
    m->library = ep_arena_strdup(cx->a, file);
    m->path = target->path;
    m->version = ep_arena_strdup(cx->a, version);
    m->needed_by = needer->path;
    m->highest = highest ? ep_arena_strdup(cx->a, highest) : NULL;
    return m->library != NULL && m->version != NULL &&
           (highest == NULL || m->highest != NULL);
}

/* One requirement of l, checked as dl-version.c match_symbol does. */
typedef struct need_walk {
    ld_ctx *cx;
    ld_obj *l;
    ep_status st;
} need_walk;

static bool
visit_need(const char *file, const char *version, uint32_t hash,
           uint16_t flags, uint16_t index, void *ctx)
{
    need_walk *w = ctx;
    ld_ctx *cx = w->cx;
    (void)index;
    ld_obj *target = find_needed(cx, file);
    if (target == NULL || target->obj == NULL) {
        /* A needed library that was not found: reported there; ld.so in
         * trace mode skips the check for it too. */
        return false;
    }
    ep_elf_symtab *tt = symtab_of(cx, target);
    if (!ep_elf_symtab_has_verdef(tt)) {
        /* Nothing to check against; ld.so says so only when verbose. */
        ld_note(cx, "%s: no version information available (required by %s)",
                target->path, w->l->path);
        return false;
    }
    def_walk dw = {version, hash, family_len(version), false, NULL};
    if (ep_elf_symtab_verdefs(tt, visit_def, &dw) != EP_OK) {
        ld_note(cx, "%s: version definitions unreadable", target->path);
        return false;
    }
    if (dw.found) {
        return false;
    }
    if (flags & VER_FLG_WEAK_BIT) {
        ld_note(cx, "%s: weak version '%s' not found (required by %s)",
                target->path, version, w->l->path);
        return false;
    }
    if (!add_missing(cx, file, target, version, w->l, dw.highest)) {
        w->st = EP_ERR_NOMEM;
        return true;
    }
    return false;
}

ep_status
ld_check_versions(ld_ctx *cx, ld_obj *first)
{
    /* Every object mapped by this dlopen: the root and what follows it in
     * the namespace list (dl-open.c dl_open_worker). */
    for (ld_obj *l = first; l != NULL; l = l->next) {
        if (l->preloaded || l->obj == NULL) {
            continue;
        }
        need_walk w = {cx, l, EP_OK};
        if (ep_elf_symtab_verneeds(symtab_of(cx, l), visit_need, &w) != EP_OK) {
            ld_note(cx, "%s: version requirements unreadable", l->path);
        }
        if (w.st != EP_OK || cx->nomem) {
            return EP_ERR_NOMEM;
        }
    }
    return EP_OK;
}

/* l_versions: every .gnu.version index the object uses, from its
 * definitions (base included) and its requirements. */
typedef struct ver_walk {
    ld_verent *v;
    size_t n;
    size_t top;
} ver_walk;

static bool
size_need(const char *file, const char *version, uint32_t hash,
          uint16_t flags, uint16_t index, void *ctx)
{
    ver_walk *w = ctx;
    (void)file, (void)version, (void)hash, (void)flags;
    w->top = index > w->top ? index : w->top;
    return false;
}

static bool
size_def(const char *name, uint32_t hash, uint16_t flags, uint16_t index,
         void *ctx)
{
    return size_need(NULL, name, hash, flags, index, ctx);
}

static bool
fill_need(const char *file, const char *version, uint32_t hash,
          uint16_t flags, uint16_t index, void *ctx)
{
    ver_walk *w = ctx;
    (void)file, (void)flags;
    if (index < w->n) {
        w->v[index].name = version;
        w->v[index].hash = hash;
    }
    return false;
}

static bool
fill_def(const char *name, uint32_t hash, uint16_t flags, uint16_t index,
         void *ctx)
{
    return fill_need(NULL, name, hash, flags, index, ctx);
}

static bool
load_versions(ld_ctx *cx, ld_obj *l)
{
    l->versions_done = true;
    ver_walk w = {NULL, 0, 0};
    ep_elf_symtab_verdefs(l->symtab, size_def, &w);
    ep_elf_symtab_verneeds(l->symtab, size_need, &w);
    l->versions = ep_arena_alloc(cx->a, (w.top + 1) * sizeof(*l->versions));
    if (l->versions == NULL) {
        return false;
    }
    l->nversions = w.top + 1;
    w.v = l->versions;
    w.n = l->nversions;
    ep_elf_symtab_verdefs(l->symtab, fill_def, &w);
    ep_elf_symtab_verneeds(l->symtab, fill_need, &w);
    return true;
}

/* One reference to bind. */
typedef struct lookup {
    const char *name;
    const char *version; /* NULL: unversioned reference */
    uint32_t vhash;
    ld_obj *map;         /* the object being searched */
    bool has_versym;
    bool found;
    int num_versions;    /* default-version candidates for an unversioned
                            reference (do_lookup_x) */
    ep_elf_symcand versioned;
} lookup;

/* dl-lookup.c check_match, for one candidate of the right name. */
static bool
check_match(const ep_elf_symcand *c, void *ctx)
{
    lookup *lk = ctx;
    if ((c->value == 0 && c->shndx != SHN_ABS_ID && c->type != STT_TLS_ID) ||
        c->shndx == SHN_UNDEF_ID) {
        return false;
    }
    if (c->type > 15 || ((1u << c->type) & ALLOWED_STT) == 0) {
        return false;
    }
    if (lk->has_versym) {
        uint16_t ndx = c->versym & 0x7fff;
        bool hidden = (c->versym & 0x8000) != 0;
        const ld_verent *v = ndx < lk->map->nversions ? &lk->map->versions[ndx]
                                                       : NULL;
        uint32_t vh = v ? v->hash : 0;
        const char *vn = v ? v->name : NULL;
        if (lk->version != NULL) {
            /* A different version matches only a plain, unversioned
             * definition (hash 0 here), and only if not hidden. */
            bool same = vh == lk->vhash && vn != NULL &&
                        strcmp(vn, lk->version) == 0;
            if (!same && (vh != 0 || hidden)) {
                return false;
            }
        } else if (ndx >= 3) {
            /* An unversioned reference takes index 0..2 at once, and a
             * versioned definition only if it is the one default. */
            if (!hidden && lk->num_versions++ == 0) {
                lk->versioned = *c;
            }
            return false;
        }
    }
    /* do_lookup_x: global, weak and unique bindings define; locals not. */
    if (c->bind != STB_GLOBAL_ID && c->bind != STB_WEAK_ID &&
        c->bind != STB_GNU_UNIQUE_ID) {
        return false;
    }
    lk->found = true;
    return true;
}

static bool
defined_in(ld_ctx *cx, ld_obj *l, lookup *lk, uint32_t gh, uint32_t sh)
{
    if (symtab_of(cx, l) == NULL) {
        return false;
    }
    lk->map = l;
    lk->has_versym = ep_elf_symtab_has_versym(l->symtab);
    lk->found = false;
    lk->num_versions = 0;
    if (lk->has_versym && !l->versions_done && !load_versions(cx, l)) {
        cx->nomem = true;
        return false;
    }
    ep_elf_symtab_find(l->symtab, lk->name, gh, sh, check_match, lk);
    return lk->found || lk->num_versions == 1;
}

static bool
add_unresolved(ld_ctx *cx, const ep_symbol *s, ld_obj *root)
{
    ep_deps *d = cx->deps;
    if (!ld_grow(cx->a, (void **)&d->unresolved, &d->unresolved_cap,
                 d->nunresolved, sizeof(*d->unresolved))) {
        return false;
    }
    ep_deps_symbol *u = &d->unresolved[d->nunresolved++];
    u->name = ep_arena_strdup(cx->a, s->name);
    u->version = s->version ? ep_arena_strdup(cx->a, s->version) : NULL;
    u->version_file = s->version_file ? ep_arena_strdup(cx->a, s->version_file)
                                      : NULL;
    u->needed_by = root->path;
    return u->name != NULL;
}

ep_status
ld_resolve_symbols(ld_ctx *cx, ld_obj *root, ld_obj **scope, size_t nscope)
{
    const ep_symbol *syms;
    size_t nsyms;
    ep_error e;
    ep_status st = ep_object_symbols(root->obj, &syms, &nsyms, &e);
    if (st == EP_ERR_NOMEM) {
        return st;
    }
    if (st != EP_OK) {
        ld_note(cx, "%s: symbols unreadable: %s", root->path, e.message);
        return EP_OK;
    }
    for (size_t i = 0; i < nsyms; i++) {
        const ep_symbol *s = &syms[i];
        if (s->defined) {
            continue;
        }
        /* A weak undefined reference binds to nothing quietly. */
        if (s->weak) {
            cx->deps->symbols_weak++;
            continue;
        }
        cx->deps->symbols_checked++;
        lookup lk = {.name = s->name, .version = s->version};
        lk.vhash = s->version ? ep_elf_sysv_hash(s->version) : 0;
        uint32_t gh = ep_elf_gnu_hash(s->name), sh = ep_elf_sysv_hash(s->name);
        bool found = false;
        for (size_t k = 0; k < nscope && !found; k++) {
            found = defined_in(cx, scope[k], &lk, gh, sh);
        }
        if (cx->nomem) {
            return EP_ERR_NOMEM;
        }
        if (!found && !add_unresolved(cx, s, root)) {
            return EP_ERR_NOMEM;
        }
    }
    return EP_OK;
}
