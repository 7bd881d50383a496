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

/* The prefix of a version name up to its first digit ("GLIBC_"). */
static size_t
family_len(const char *v)
{
    return strcspn(v, "0123456789");
}

static const char *
highest_of_family(const ep_version_def *defs, size_t n, const char *want)
{
    size_t fl = family_len(want);
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (defs[i].base || family_len(defs[i].name) != fl ||
            strncmp(defs[i].name, want, fl) != 0) {
            continue;
        }
        if (best == NULL || ep_version_compare(defs[i].name, best) > 0) {
            best = defs[i].name;
        }
    }
    return best;
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

/* dl-version.c _dl_check_map_versions for one object: each requirement
 * (file, version) must be among the version definitions of the loaded
 * object of that name; a target without any definitions cannot be checked
 * (ld.so stays silent unless verbose), a weak requirement only warns. */
static ep_status
check_object(ld_ctx *cx, ld_obj *l)
{
    const ep_version_need *needs;
    size_t nneeds;
    ep_error e;
    ep_status st = ep_object_version_needs(l->obj, &needs, &nneeds, &e);
    if (st == EP_ERR_NOMEM) {
        return st;
    }
    if (st != EP_OK) {
        ld_note(cx, "%s: version requirements unreadable: %s", l->path,
                e.message);
        return EP_OK;
    }
    for (size_t i = 0; i < nneeds; i++) {
        ld_obj *target = find_needed(cx, needs[i].file);
        if (target == NULL || target->obj == NULL) {
            /* A needed library that was not found: reported there; ld.so
             * in trace mode skips the check for it too. */
            continue;
        }
        const ep_version_def *defs;
        size_t ndefs;
        st = ep_object_version_defs(target->obj, &defs, &ndefs, &e);
        if (st == EP_ERR_NOMEM) {
            return st;
        }
        if (st != EP_OK || ndefs == 0) {
            ld_note(cx, "%s: no version information available (required by "
                    "%s)", target->path, l->path);
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < ndefs && !found; k++) {
            found = defs[k].hash == needs[i].hash &&
                    strcmp(defs[k].name, needs[i].version) == 0;
        }
        if (found) {
            continue;
        }
        if (needs[i].weak) {
            ld_note(cx, "%s: weak version '%s' not found (required by %s)",
                    target->path, needs[i].version, l->path);
            continue;
        }
        if (!add_missing(cx, needs[i].file, target, needs[i].version, l,
                         highest_of_family(defs, ndefs, needs[i].version))) {
            return EP_ERR_NOMEM;
        }
    }
    return EP_OK;
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
        ep_status st = check_object(cx, l);
        if (st != EP_OK) {
            return st;
        }
    }
    return EP_OK;
}

/* l_versions of an object: every .gnu.version index it uses, from its
 * definitions (base included) and its requirements. */
static bool
load_versions(ld_ctx *cx, ld_obj *l)
{
    l->versions_done = true;
    const ep_version_need *needs;
    const ep_version_def *defs;
    size_t nneeds = 0, ndefs = 0;
    ep_error e;
    if (ep_object_version_needs(l->obj, &needs, &nneeds, &e) != EP_OK ||
        ep_object_version_defs(l->obj, &defs, &ndefs, &e) != EP_OK) {
        return e.status != EP_ERR_NOMEM;
    }
    size_t top = 0;
    for (size_t i = 0; i < nneeds; i++) {
        top = needs[i].index > top ? needs[i].index : top;
    }
    for (size_t i = 0; i < ndefs; i++) {
        top = defs[i].index > top ? defs[i].index : top;
    }
    l->versions = ep_arena_alloc(cx->a, (top + 1) * sizeof(*l->versions));
    if (l->versions == NULL) {
        return false;
    }
    l->nversions = top + 1;
    for (size_t i = 0; i < ndefs; i++) {
        l->versions[defs[i].index].name = defs[i].name;
        l->versions[defs[i].index].hash = defs[i].hash;
    }
    for (size_t i = 0; i < nneeds; i++) {
        l->versions[needs[i].index].name = needs[i].version;
        l->versions[needs[i].index].hash = needs[i].hash;
    }
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
    if (l->obj == NULL) {
        return false;
    }
    if (!l->symtab_done) {
        l->symtab_done = true;
        ep_error e;
        if (ep_elf_symtab_open(l->obj, &l->symtab, &e) != EP_OK) {
            if (e.status == EP_ERR_NOMEM) {
                cx->nomem = true;
            }
            ld_note(cx, "%s: symbols unreadable: %s", l->path, e.message);
            return false;
        }
    }
    if (l->symtab == NULL) {
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
