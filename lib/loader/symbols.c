/*
 * Versions and symbols as ld.so checks and binds them after the objects are
 * mapped: dl-version.c's requirement check for every newly loaded object,
 * and dl-lookup.c's search of the root's undefined symbols through the
 * global scope, then the root's own dependency list. Each object is
 * consulted once per tree, in scope order; its versions are copied once per
 * session, when the file is first read. Lookups go through each object's
 * hash table (elf/hash.c), whose pieces the session keeps as they are read;
 * only the match rules live here.
 */
#include "loader/loader.h"
#include "util/arena.h"
#include "util/chain.h"
#include "elf/dynread.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define SHN_UNDEF_ID 0
#define SHN_ABS_ID 0xfff1
#define STT_TLS_ID 6
#define STB_GLOBAL_ID 1
#define STB_WEAK_ID 2
#define STB_GNU_UNIQUE_ID 10
/* dl-lookup.c ALLOWED_STT: NOTYPE, OBJECT, FUNC, COMMON, TLS, GNU_IFUNC. */
#define ALLOWED_STT                                                            \
    ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 10))
#define VER_FLG_BASE_BIT 0x1
#define VER_FLG_WEAK_BIT 0x2

/* ---- copying versions while the file is open ----------------------------- */

/* One copy of each version and file name: every object of a tree repeats
 * "GLIBC_2.2.5" and "libc.so.6". */
typedef struct ld_str {
    const char *s;
    struct ld_str *next;
} ld_str;

/* The table starts at STR_MIN heads and doubles (one tree interns a few
 * dozen names; a batch of hundreds of libraries a few thousand). */
#define STR_MIN 64

static size_t
str_entry_hash(const void *e)
{
    return ep_elf_gnu_hash(((const ld_str *)e)->s);
}

const char *
ld_intern(ld_sess *s, const char *str)
{
    uint32_t hash = ep_elf_gnu_hash(str);
    if (s->strs != NULL) {
        for (ld_str *e = s->strs[hash % s->strs_size]; e != NULL; e = e->next) {
            if (strcmp(e->s, str) == 0) {
                return e->s;
            }
        }
    }
    if (!ep_chain_reserve(&s->a, (void ***)&s->strs, &s->strs_size,
                          s->nstrs + 1, STR_MIN, offsetof(ld_str, next),
                          str_entry_hash)) {
        s->nomem = true;
        return NULL;
    }
    ld_str *e = ep_arena_alloc(&s->a, sizeof(*e));
    const char *copy = e ? ep_arena_strdup(&s->a, str) : NULL;
    if (copy == NULL) {
        s->nomem = true;
        return NULL;
    }
    size_t h = hash % s->strs_size;
    e->s = copy;
    e->next = s->strs[h];
    s->strs[h] = e;
    s->nstrs++;
    return copy;
}

typedef struct ver_copy {
    ld_sess *s;
    ld_image *l;
    size_t vcap, ncap;
    size_t top; /* highest .gnu.version index named */
} ver_copy;

static bool
copy_def(const char *name, uint32_t hash, uint16_t flags, uint16_t index,
         void *ctx)
{
    ver_copy *w = ctx;
    ld_image *l = w->l;
    if (!ep_arena_grow(&w->s->a, (void **)&l->vdefs, &w->vcap, l->nvdefs + 1,
                       sizeof(*l->vdefs))) {
        w->s->nomem = true;
        return true;
    }
    ld_vdef *d = &l->vdefs[l->nvdefs++];
    d->name = ld_intern(w->s, name);
    d->hash = hash;
    d->flags = flags;
    d->index = index & 0x7fff;
    w->top = d->index > w->top ? d->index : w->top;
    w->s->nomem |= d->name == NULL;
    return false;
}

static bool
copy_need(const char *file, const char *version, uint32_t hash, uint16_t flags,
          uint16_t index, void *ctx)
{
    ver_copy *w = ctx;
    ld_image *l = w->l;
    if (!ep_arena_grow(&w->s->a, (void **)&l->needs, &w->ncap, l->nneeds + 1,
                       sizeof(*l->needs))) {
        w->s->nomem = true;
        return true;
    }
    ld_need *n = &l->needs[l->nneeds++];
    n->file = ld_intern(w->s, file);
    n->version = ld_intern(w->s, version);
    n->hash = hash;
    n->flags = flags;
    /* vna_other's top bit marks a hidden requirement. */
    n->index = index & 0x7fff;
    w->top = n->index > w->top ? n->index : w->top;
    w->s->nomem |= n->file == NULL || n->version == NULL;
    return false;
}

void
ld_read_versions(ld_sess *s, ld_image *l, const char *path)
{
    ep_elf_symtab *t = l->symtab;
    if (t == NULL) {
        return;
    }
    ver_copy w = {s, l, 0, 0, 0};
    l->versions_bad = ep_elf_symtab_verdefs(t, copy_def, &w) != EP_OK;
    const char *bad = NULL;
    if (ep_elf_symtab_verneeds(t, copy_need, &w) != EP_OK) {
        bad =
            ep_arena_printf(&s->a, "%s: version requirements unreadable", path);
        s->nomem |= bad == NULL || !ep_strvec_push(&s->a, &l->notes, bad);
    }
    if (l->versions_bad) {
        bad =
            ep_arena_printf(&s->a, "%s: version definitions unreadable", path);
        s->nomem |= bad == NULL || !ep_strvec_push(&s->a, &l->notes, bad);
    }
    l->has_versym = ep_elf_symtab_has_versym(t);
    /* _dl_check_map_versions: l_versions, indexed by .gnu.version value,
     * from the definitions (the base entry too) and the requirements. */
    l->versions = ep_arena_alloc(&s->a, (w.top + 1) * sizeof(*l->versions));
    if (l->versions == NULL) {
        s->nomem = true;
        return;
    }
    l->nversions = w.top + 1;
    for (size_t i = 0; i < l->nvdefs; i++) {
        ld_verent *v = &l->versions[l->vdefs[i].index];
        v->name = l->vdefs[i].name;
        v->hash = l->vdefs[i].hash;
    }
    for (size_t i = 0; i < l->nneeds; i++) {
        ld_verent *v = &l->versions[l->needs[i].index];
        v->name = l->needs[i].version;
        v->hash = l->needs[i].hash;
        v->file = l->needs[i].file;
    }
}

/* ---- dl-version.c -------------------------------------------------------- */

/* The prefix of a version name up to its first digit ("GLIBC_"). */
static size_t
family_len(const char *v)
{
    return strcspn(v, "0123456789");
}

/* The highest version of want's family the object defines. */
static const char *
highest_of_family(const ld_image *l, const char *want)
{
    size_t family = family_len(want);
    const char *best = NULL;
    for (size_t i = 0; i < l->nvdefs; i++) {
        const ld_vdef *d = &l->vdefs[i];
        if (!(d->flags & VER_FLG_BASE_BIT) && family_len(d->name) == family &&
            strncmp(d->name, want, family) == 0 &&
            (best == NULL || ep_version_compare(d->name, best) > 0)) {
            best = d->name;
        }
    }
    return best;
}

static bool
add_missing(ld_ctx *cx, const ld_need *n, ld_obj *target, ld_obj *needer)
{
    ep_deps *d = cx->deps;
    for (size_t i = 0; i < d->nmissing; i++) {
        if (strcmp(d->missing[i].version, n->version) == 0 &&
            strcmp(d->missing[i].library, n->file) == 0 &&
            strcmp(d->missing[i].needed_by, needer->path) == 0) {
            return true;
        }
    }
    if (!ep_arena_grow(cx->a, (void **)&d->missing, &d->missing_cap,
                       d->nmissing + 1, sizeof(*d->missing))) {
        return false;
    }
    ep_deps_version *m = &d->missing[d->nmissing++];
    m->library = n->file;
    m->path = target->path;
    m->version = n->version;
    m->needed_by = needer->path;
    m->highest = highest_of_family(target->img, n->version);
    return true;
}

/* An object ld.so maps and then refuses (an error of the version check):
 * the load fails, and the report says why at that object (the first
 * reason found stays). */
static void
refuse(ld_ctx *cx, ld_obj *l, const char *why)
{
    ep_deps *d = cx->deps;
    ep_deps_lib *e = l->lib < d->nlibs ? &d->libs[l->lib]
                     : l == cx->root   ? &d->root
                                       : NULL;
    if (e != NULL && e->error == NULL) {
        e->error = why;
    }
}

/* dl-version.c (glibc 2.36): an object with DT_VERNEED, DT_NEEDED and
 * DT_RELR that needs a libc.so.* must require GLIBC_ABI_DT_RELR, or the
 * load fails: what lld's --pack-dyn-relocs=relr alone produces. */
static void
relr_check(ld_ctx *cx, ld_obj *l)
{
    const ep_elf_dynfacts *f = l->info;
    if (!f->has_relr || !f->has_verneed) {
        return;
    }
    for (size_t i = 0; i < l->img->nneeds; i++) {
        if (strcmp(l->img->needs[i].version, "GLIBC_ABI_DT_RELR") == 0) {
            return;
        }
    }
    for (size_t i = 0; i < f->needed.count; i++) {
        if (strncmp(f->needed.items[i], "libc.so.", 8) == 0) {
            refuse(cx, l, "DT_RELR without GLIBC_ABI_DT_RELR dependency");
            return;
        }
    }
}

/* _dl_check_map_versions for one object: each requirement (file, version)
 * must be among the definitions of the loaded object of that name; a
 * target without any definitions cannot be checked (ld.so says so only when
 * verbose), a weak requirement only warns. */
static ep_status
check_object(ld_ctx *cx, ld_obj *l)
{
    const char *last_file = NULL;
    ld_obj *target = NULL;
    for (size_t i = 0; i < l->img->nneeds; i++) {
        const ld_need *n = &l->img->needs[i];
        if (n->file != last_file) {
            /* dl-version.c find_needed: by _dl_name_match_p */
            target = ld_find_name(cx, n->file);
            last_file = n->file;
            if (target != NULL && target->img->nvdefs == 0 &&
                !target->img->versions_bad) {
                ld_note(cx,
                        "%s: no version information available "
                        "(required by %s)",
                        target->path, l->path);
            }
        }
        if (target == NULL || target->img->nvdefs == 0) {
            /* A library that was not found is reported as such; ld.so in
             * trace mode skips the check for it too. */
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < target->img->nvdefs && !found; k++) {
            const ld_vdef *v = &target->img->vdefs[k];
            found = v->hash == n->hash && strcmp(v->name, n->version) == 0;
        }
        if (found) {
            continue;
        }
        if (n->flags & VER_FLG_WEAK_BIT) {
            ld_note(cx, "%s: weak version '%s' not found (required by %s)",
                    target->path, n->version, l->path);
            continue;
        }
        if (!add_missing(cx, n, target, l)) {
            return EP_ERR_NOMEM;
        }
    }
    relr_check(cx, l);
    return EP_OK;
}

ep_status
ld_check_versions(ld_ctx *cx, ld_obj *first)
{
    /* Every object mapped by this dlopen: the root and what follows it in
     * the namespace list (dl-open.c dl_open_worker). */
    for (ld_obj *l = first; l != NULL; l = l->next) {
        if (l->preloaded) {
            continue;
        }
        ep_status st = check_object(cx, l);
        if (st != EP_OK) {
            return st;
        }
    }
    return cx->nomem ? EP_ERR_NOMEM : EP_OK;
}

/* ---- dl-lookup.c --------------------------------------------------------- */

/* One reference being looked up in one object. */
typedef struct lookup {
    const ld_ref *ref;
    ld_obj *map;
    bool found;
    int num_versions; /* default-version candidates for an unversioned
                         reference (do_lookup_x) */
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
    const ld_image *m = lk->map->img;
    if (m->has_versym) {
        uint16_t ndx = c->versym & 0x7fff;
        bool hidden = (c->versym & 0x8000) != 0;
        const ld_verent *v = ndx < m->nversions ? &m->versions[ndx] : NULL;
        uint32_t vh = v ? v->hash : 0;
        const char *vn = v ? v->name : NULL;
        if (lk->ref->version != NULL) {
            /* A different version matches only a plain, unversioned
             * definition (hash 0 in l_versions), and only if not hidden. */
            bool same = vh == lk->ref->vhash && vn != NULL &&
                        strcmp(vn, lk->ref->version) == 0;
            if (!same && (vh != 0 || hidden)) {
                return false;
            }
        } else if (ndx >= 3) {
            /* An unversioned reference takes index 0..2 at once, and a
             * versioned definition only if it is the one default. */
            if (!hidden) {
                lk->num_versions++;
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

/* The references' answers, remembered for the whole session: a reference
 * (name, version) binds when any object of the lookup scope matches it
 * (dl-lookup.c takes the first, but whether one exists does not depend on
 * the order), and whether an object matches depends only on its file. So
 * the object that answered once answers again whenever it is in scope. */
typedef struct ld_memo {
    const char *name; /* session copy */
    size_t namelen;
    const char *version; /* interned, NULL for none */
    uint32_t gnu_hash;
    uint32_t vhash;
    const ld_image *img; /* an object that defines it */
    struct ld_memo *next;
} ld_memo;

/* The table starts at MEMO_MIN heads and doubles (a power of two). */
#define MEMO_MIN 256

static size_t
memo_hash(uint32_t gnu_hash, uint32_t vhash)
{
    return gnu_hash ^ (vhash * 0x9e3779b1u);
}

static size_t
memo_entry_hash(const void *e)
{
    const ld_memo *m = e;
    return memo_hash(m->gnu_hash, m->vhash);
}

static size_t
memo_slot(const ld_sess *s, const ld_ref *r)
{
    return memo_hash(r->gnu_hash, r->vhash) & (s->memo_size - 1);
}

static const ld_memo *
memo_get(const ld_sess *s, const ld_ref *r)
{
    if (s->memo == NULL) {
        return NULL;
    }
    for (const ld_memo *m = s->memo[memo_slot(s, r)]; m != NULL; m = m->next) {
        if (m->gnu_hash == r->gnu_hash && m->version == r->version &&
            m->vhash == r->vhash && m->namelen == r->namelen &&
            memcmp(m->name, r->name, r->namelen) == 0) {
            return m;
        }
    }
    return NULL;
}

static void
memo_put(ld_sess *s, const ld_ref *r, const ld_image *img)
{
    if (!ep_chain_reserve(&s->a, (void ***)&s->memo, &s->memo_size,
                          s->nmemo + 1, MEMO_MIN, offsetof(ld_memo, next),
                          memo_entry_hash) &&
        s->memo == NULL) {
        return; /* only slower */
    }
    ld_memo *m = ep_arena_alloc(&s->a, sizeof(*m));
    if (m == NULL ||
        (m->name = ep_arena_strndup(&s->a, r->name, r->namelen)) == NULL) {
        return;
    }
    m->namelen = r->namelen;
    m->version = r->version;
    m->gnu_hash = r->gnu_hash;
    m->vhash = r->vhash;
    m->img = img;
    size_t slot = memo_slot(s, r);
    m->next = s->memo[slot];
    s->memo[slot] = m;
    s->nmemo++;
}

/* dl-lookup.c do_lookup_x in one object: a match, or an unversioned
 * reference meeting exactly one versioned default definition. */
static bool
defines(ld_obj *l, const ld_ref *r)
{
    ep_elf_symtab *t = l->img->symtab;
    if (t == NULL) {
        return false;
    }
    lookup lk = {r, l, false, 0};
    ep_elf_symtab_find(t, r->name, r->namelen, r->gnu_hash, 0, check_match,
                       &lk);
    return lk.found || lk.num_versions == 1;
}

void
ld_resolve_refs(ld_ctx *cx, ld_obj *const *scope, size_t nscope)
{
    ld_sess *s = cx->s;
    unsigned mark = ++s->scope_gen;
    for (size_t i = 0; i < nscope; i++) {
        scope[i]->img->scope_mark = mark;
    }
    size_t left = 0;
    for (size_t i = 0; i < cx->nrefs; i++) {
        ld_ref *r = &cx->refs[i];
        const ld_memo *m = memo_get(s, r);
        if (m != NULL && m->img->scope_mark == mark) {
            r->bound = true;
        } else {
            left++;
        }
    }
    /* Object by object: each reference still unbound is tried in it, so
     * every reference binds exactly when a search per reference would;
     * but each object's tables are read once, and in the session's first
     * tree they are let go before the next object's are read. In scope
     * order, except the root last: whether a reference binds does not
     * depend on the order, and a name the root leaves undefined it seldom
     * defines too (only under another version), so its hash table is read
     * for what no other object defined, not for every reference (libLLVM
     * alone: 24 windows of its chains). */
    bool first_tree = s->ntrees == 0;
    size_t at_root = nscope;
    for (size_t k = 0; k < nscope; k++) {
        if (scope[k]->img == cx->root->img) {
            at_root = k;
            break;
        }
    }
    for (size_t j = 0; j < nscope && left > 0; j++) {
        size_t k = at_root == nscope ? j
                   : j + 1 == nscope ? at_root
                   : j < at_root     ? j
                                     : j + 1;
        for (size_t i = 0; i < cx->nrefs; i++) {
            ld_ref *r = &cx->refs[i];
            if (!r->bound && defines(scope[k], r)) {
                r->bound = true;
                if (!first_tree) {
                    /* The first tree's answers are not kept: with its
                     * tables gone the next tree reads again anyway, and
                     * one tree alone would only pay for them. */
                    memo_put(s, r, scope[k]->img);
                }
                left--;
            }
        }
        if (first_tree && scope[k]->img != cx->root->img) {
            /* A session's first tree is often its only one (one process
             * per file): what was read of this object is not needed
             * again, and its memory is reused for the next object's
             * tables instead of fresh pages. (The root's string table
             * holds the references' names.) */
            ep_elf_symtab_trim(scope[k]->img->symtab);
        }
    }
}

/* Collects the root's undefined, non-weak references with their versions
 * (the .gnu.version index names a requirement in l_versions). */
typedef struct ref_walk {
    ld_ctx *cx;
    ld_obj *root;
    size_t cap;
} ref_walk;

static bool
collect_ref(const char *name, const ep_elf_symcand *c, void *ctx)
{
    ref_walk *w = ctx;
    ld_ctx *cx = w->cx;
    if (c->bind != STB_GLOBAL_ID && c->bind != STB_WEAK_ID) {
        return false;
    }
    /* A weak undefined reference binds to nothing quietly. */
    if (c->bind == STB_WEAK_ID) {
        cx->deps->symbols_weak++;
        return false;
    }
    if (w->cap == 0 && c->total > 0 && c->total < SIZE_MAX / sizeof(ld_ref)) {
        /* All of them at once when the walk says how many: one array of
         * that size, not a doubling series in the arena, each zeroed to
         * its end (fresh pages are what one tree costs most). */
        cx->refs = ep_arena_alloc_uninit(cx->a, c->total * sizeof(ld_ref));
        w->cap = cx->refs != NULL ? c->total : 0;
    }
    if (!ep_arena_grow(cx->a, (void **)&cx->refs, &w->cap, cx->nrefs + 1,
                       sizeof(*cx->refs))) {
        cx->nomem = true;
        return true;
    }
    ld_ref *r = &cx->refs[cx->nrefs++];
    memset(r, 0, sizeof(*r));
    /* The name stays in the root's string table: the session frees what
     * it read only between two trees. */
    r->name = name;
    uint16_t ndx = c->versym & 0x7fff;
    const ld_image *m = w->root->img;
    if (ndx >= 2 && ndx < m->nversions) {
        /* vna_hash is the ELF hash of the name, as ld.so compares it. */
        r->version = m->versions[ndx].name;
        r->file = m->versions[ndx].file;
        r->vhash = m->versions[ndx].hash;
    }
    r->gnu_hash = ep_elf_gnu_hash(name);
    r->namelen = c->namelen;
    return false;
}

ep_status
ld_collect_refs(ld_ctx *cx, ld_obj *root)
{
    ep_elf_symtab *t = root->img->symtab;
    if (t == NULL) {
        return cx->nomem ? EP_ERR_NOMEM : EP_OK;
    }
    ref_walk w = {cx, root, 0};
    cx->root = root;
    if (ep_elf_symtab_each(t, true, collect_ref, &w) != EP_OK) {
        ld_note(cx, "%s: dynamic symbol table unreadable", root->path);
    }
    cx->deps->symbols_checked = cx->nrefs;
    return cx->nomem ? EP_ERR_NOMEM : EP_OK;
}

ep_status
ld_finish_symbols(ld_ctx *cx, ld_obj *root)
{
    ep_deps *d = cx->deps;
    for (size_t i = 0; i < cx->nrefs; i++) {
        const ld_ref *r = &cx->refs[i];
        if (r->bound) {
            continue;
        }
        if (!ep_arena_grow(cx->a, (void **)&d->unresolved, &d->unresolved_cap,
                           d->nunresolved + 1, sizeof(*d->unresolved))) {
            return EP_ERR_NOMEM;
        }
        ep_deps_symbol *u = &d->unresolved[d->nunresolved++];
        /* The reference names the root's string table, which is closed
         * with the objects: the report keeps its own copy. */
        u->name = ep_arena_strdup(cx->a, r->name);
        if (u->name == NULL) {
            return EP_ERR_NOMEM;
        }
        u->version = r->version;
        u->version_file = r->file;
        u->needed_by = root->path;
    }
    return EP_OK;
}
