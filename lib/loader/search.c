/*
 * Finding a needed name on disk the way elf/dl-load.c does: search paths
 * built by fillin_rpath, open_path's walk over every directory and hwcaps
 * subdirectory, open_verify's checks of each candidate, and _dl_map_object's
 * order of rules. Every file it accepts is read once (elf/hash.c).
 */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The 64-bit x86-64 object ld.so accepts (dl-load.c open_verify). */
#define ELFCLASS64_ID 2
#define HOST_CLASS ELFCLASS64_ID
#define ELFDATA2LSB_ID 1
#define EM_X86_64_ID 62
#define ET_EXEC_ID 2
#define ET_DYN_ID 3
#define EHDR_SIZE 64
#define PHENT_SIZE 56
#define OSABI_SYSV 0
#define OSABI_GNU 3
/* sysdeps/unix/sysv/linux/ldsodefs.h: ABI versions 2.36 understands
 * (UNIQUE, IFUNC, ABSOLUTE); LIBC_ABI_MAX is 4. */
#define LIBC_ABI_MAX 4

bool
ld_grow(ep_arena *a, void **items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) {
        return true;
    }
    size_t c = *cap ? *cap * 2 : 8;
    if (c > SIZE_MAX / elem) {
        return false;
    }
    void *p = ep_arena_alloc(a, c * elem);
    if (p == NULL) {
        return false;
    }
    if (n > 0) {
        memcpy(p, *items, n * elem);
    }
    *items = p;
    *cap = c;
    return true;
}

bool
ld_note(ld_ctx *cx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (ep_strvec_contains(&cx->deps->notes, buf)) {
        return true;
    }
    const char *s = ep_arena_strdup(cx->a, buf);
    if (s == NULL || !ep_strvec_push(cx->a, &cx->deps->notes, s)) {
        cx->nomem = true;
        return false;
    }
    return true;
}

/* ---- directories (GL(dl_all_dirs)) ---------------------------------------- */

static size_t
dir_hash(const char *s, size_t len)
{
    size_t h = 5381;
    for (size_t i = 0; i < len; i++) {
        h = h * 33 + (unsigned char)s[i];
    }
    return h;
}

/* The one ld_dir for a name (already ending in '/', or ""), created on
 * first use so that every path listing it shares what is known about it. */
static ld_dir *
intern_dir(ld_ctx *cx, const char *name, size_t len)
{
    if (cx->dir_hash == NULL) {
        cx->dir_hash_size = 256;
        cx->dir_hash = ep_arena_alloc(cx->a, cx->dir_hash_size * sizeof(ld_dir *));
        if (cx->dir_hash == NULL) {
            return NULL;
        }
    }
    size_t slot = dir_hash(name, len) % cx->dir_hash_size;
    for (ld_dir *d = cx->dir_hash[slot]; d != NULL; d = d->hnext) {
        if (d->len == len && memcmp(d->name, name, len) == 0) {
            return d;
        }
    }
    ld_dir *d = ep_arena_alloc(cx->a, sizeof(*d));
    char *copy = ep_arena_strndup(cx->a, name, len);
    signed char *status = ep_arena_alloc(cx->a, cx->pf.caps.count + 1);
    if (d == NULL || copy == NULL || status == NULL) {
        return NULL;
    }
    d->name = copy;
    d->len = len;
    d->status = status;
    d->hnext = cx->dir_hash[slot];
    cx->dir_hash[slot] = d;
    return d;
}

/* dl-load.c fillin_rpath: split at any of seps, expand tokens with origin,
 * drop elements that expand to nothing, trim trailing slashes and add one,
 * keep each directory once per path. An empty element (not an empty
 * expansion) is the working directory. */
static ep_status
fill_path(ld_ctx *cx, ld_path *p, const char *const *elems, size_t nelems,
          const char *origin, const char *what)
{
    p->decoded = true;
    for (size_t i = 0; i < nelems; i++) {
        const char *cp = elems[i];
        size_t len = 0;
        char *exp = NULL;
        if (*cp != '\0') {
            exp = ld_dst_expand(cx->a, cp, origin, &cx->pf);
            if (exp == NULL) {
                return EP_ERR_NOMEM;
            }
            len = strlen(exp);
            if (len == 0) {
                ld_note(cx, "%s entry '%s' is dropped: it uses $ORIGIN, whose "
                        "value is unknown", what, cp);
                continue;
            }
            while (len > 1 && exp[len - 1] == '/') {
                --len;
            }
            if (len >= LD_MAX_NAME) {
                ld_note(cx, "%s entry of %zu bytes is longer than PATH_MAX: "
                        "nothing can be opened there", what, len);
            }
        }
        if (p->ndirs >= LD_MAX_PATH_DIRS) {
            ld_note(cx, "%s has more than %d entries; only the first %d "
                    "are searched here", what, LD_MAX_PATH_DIRS,
                    LD_MAX_PATH_DIRS);
            break;
        }
        ld_dir *d;
        if (len == 0) {
            d = intern_dir(cx, "", 0);
        } else if (exp[len - 1] == '/') {
            d = intern_dir(cx, exp, len);
        } else {
            char *slashed = ep_arena_alloc(cx->a, len + 2);
            if (slashed == NULL) {
                return EP_ERR_NOMEM;
            }
            memcpy(slashed, exp, len);
            slashed[len] = '/';
            d = intern_dir(cx, slashed, len + 1);
        }
        if (d == NULL) {
            return EP_ERR_NOMEM;
        }
        bool seen = false;
        for (size_t k = 0; k < p->ndirs && !seen; k++) {
            seen = p->dirs[k] == d;
        }
        if (seen) {
            continue;
        }
        if (!ld_grow(cx->a, (void **)&p->dirs, &p->cap, p->ndirs,
                     sizeof(*p->dirs))) {
            return EP_ERR_NOMEM;
        }
        p->dirs[p->ndirs++] = d;
    }
    p->usable = p->ndirs > 0;
    return EP_OK;
}

/* Split s at any character of seps, keeping empty elements. */
static ep_status
split(ld_ctx *cx, const char *s, const char *seps, ep_strvec *out)
{
    for (;;) {
        size_t n = strcspn(s, seps);
        char *e = ep_arena_strndup(cx->a, s, n);
        if (e == NULL || !ep_strvec_push(cx->a, out, e)) {
            return EP_ERR_NOMEM;
        }
        if (s[n] == '\0') {
            return EP_OK;
        }
        s += n + 1;
    }
}

bool
ld_object_path(ld_ctx *cx, ld_obj *l, bool runpath)
{
    ld_path *p = runpath ? &l->runpath : &l->rpath;
    if (p->decoded) {
        return p->usable;
    }
    p->how = runpath ? EP_DEPS_RUNPATH : EP_DEPS_RPATH;
    if (runpath ? !l->has_runpath : !l->has_rpath) {
        p->decoded = true;
        return false;
    }
    ep_strlist list = runpath ? l->info->runpath : l->info->rpath;
    char what[512];
    snprintf(what, sizeof(what), "%s of %s", runpath ? "RUNPATH" : "RPATH",
             l->path);
    if (fill_path(cx, p, list.items, list.count, l->origin, what) != EP_OK) {
        cx->nomem = true;
        return false;
    }
    return p->usable;
}

ep_status
ld_init_paths(ld_ctx *cx, const char *llp)
{
    ld_path *sys = &cx->system;
    sys->how = EP_DEPS_DEFAULT;
    sys->decoded = true;
    for (size_t i = 0; i < cx->pf.system_dirs.count; i++) {
        const char *d = cx->pf.system_dirs.items[i];
        ld_dir *dir = intern_dir(cx, d, strlen(d));
        if (dir == NULL || !ld_grow(cx->a, (void **)&sys->dirs, &sys->cap,
                                    sys->ndirs, sizeof(*sys->dirs))) {
            return EP_ERR_NOMEM;
        }
        sys->dirs[sys->ndirs++] = dir;
    }
    sys->usable = sys->ndirs > 0;
    cx->env_path.how = EP_DEPS_LD_LIBRARY_PATH;
    cx->env_path.decoded = true;
    /* dl-load.c _dl_init_paths: an empty value is no value; ':' and ';'
     * both separate; tokens expand against the main program. */
    if (llp == NULL || *llp == '\0') {
        return EP_OK;
    }
    ep_strvec elems = {0};
    if (split(cx, llp, ":;", &elems) != EP_OK) {
        return EP_ERR_NOMEM;
    }
    return fill_path(cx, &cx->env_path, elems.items, elems.count,
                     cx->main ? cx->main->origin : NULL, "LD_LIBRARY_PATH");
}

/* ---- tracing ---------------------------------------------------------------- */

static void
add_place(ld_ctx *cx, ld_trace *tr, const char *dir, size_t len,
          ep_deps_how how, const char *from, bool exists, const char *note)
{
    if (!ld_grow(cx->a, (void **)&tr->places, &tr->places_cap, tr->nplaces,
                 sizeof(*tr->places))) {
        cx->nomem = true;
        return;
    }
    ep_deps_place *pl = &tr->places[tr->nplaces++];
    /* Shown without the trailing slash, as LD_DEBUG=libs shows it. */
    if (len > 1 && dir[len - 1] == '/') {
        len--;
    }
    pl->path = ep_arena_strndup(cx->a, dir, len);
    pl->how = how;
    pl->from = from;
    pl->exists = exists;
    pl->note = note;
    if (pl->path == NULL) {
        cx->nomem = true;
    }
}

static void
add_skip(ld_ctx *cx, ld_trace *tr, const char *path, const char *why)
{
    if (!ld_grow(cx->a, (void **)&tr->skips, &tr->skips_cap, tr->nskips,
                 sizeof(*tr->skips))) {
        cx->nomem = true;
        return;
    }
    ep_deps_skip *s = &tr->skips[tr->nskips++];
    s->path = ep_arena_strdup(cx->a, path);
    s->why = why;
    if (s->path == NULL) {
        cx->nomem = true;
    }
}

/* ---- candidates (open_verify) --------------------------------------------- */

typedef enum try_result {
    TRY_ABSENT,  /* open failed: errno says why; the search goes on */
    TRY_SKIPPED, /* another class or machine, a foreign ABI note: go on */
    TRY_FATAL,   /* ld.so signals an error: the load fails here */
    TRY_FOUND
} try_result;

static const char *
machine_name(unsigned m)
{
    switch (m) {
    case 3:
        return "i386";
    case 40:
        return "ARM";
    case 62:
        return "x86-64";
    case 183:
        return "AArch64";
    case 243:
        return "RISC-V";
    case 21:
        return "PowerPC64";
    case 22:
        return "S/390";
    default:
        return NULL;
    }
}

/* The identification checks of open_verify, on the first bytes. Returns
 * NULL when the header is one ld.so accepts, else sets *skip (not fatal)
 * and returns why. */
static const char *
check_header(ld_ctx *cx, const unsigned char *h, bool *skip)
{
    *skip = false;
    if (memcmp(h, "\177ELF", 4) != 0) {
        return "invalid ELF header";
    }
    if (h[4] != HOST_CLASS) {
        *skip = true;
        return h[4] == 1 ? "wrong ELF class: ELFCLASS32"
                         : "wrong ELF class";
    }
    if (h[5] != ELFDATA2LSB_ID) {
        return "ELF file data encoding not little-endian";
    }
    if (h[6] != 1) {
        return "ELF file version ident does not match current one";
    }
    if (h[7] != OSABI_SYSV && h[7] != OSABI_GNU) {
        return "ELF file OS ABI invalid";
    }
    if (!(h[8] == 0 || (h[7] == OSABI_GNU && h[8] < LIBC_ABI_MAX))) {
        return "ELF file ABI version invalid";
    }
    for (int i = 9; i < 16; i++) {
        if (h[i] != 0) {
            return "nonzero padding in e_ident";
        }
    }
    /* Native layout from here: the class and byte order are the host's. */
    uint16_t type, machine, phentsize;
    uint32_t version;
    memcpy(&type, h + 16, 2);
    memcpy(&machine, h + 18, 2);
    memcpy(&version, h + 20, 4);
    memcpy(&phentsize, h + 54, 2);
    if (version != 1) {
        return "ELF file version does not match current one";
    }
    if (machine != EM_X86_64_ID) {
        /* elf_machine_matches_host fails: skipped like a missing file. */
        *skip = true;
        const char *n = machine_name(machine);
        return n ? ep_arena_printf(cx->a, "wrong machine: %s", n)
                 : ep_arena_printf(cx->a, "wrong machine: e_machine %u",
                                   machine);
    }
    if (type != ET_DYN_ID && type != ET_EXEC_ID) {
        return "only ET_DYN and ET_EXEC can be loaded";
    }
    if (phentsize != PHENT_SIZE) {
        return "ELF file's phentsize not the expected size";
    }
    return NULL;
}

/* open_verify's ABI note rule: a GNU ABI tag for another OS, or for a newer
 * kernel than this one, makes ld.so pass the file over. */
static const char *
abi_note_skip(ld_ctx *cx, const ep_elf_dynfacts *f)
{
    if (!f->has_abi_note) {
        return NULL;
    }
    if (f->abi_os != 0) {
        static const char *const os[] = {"Linux", "GNU", "Solaris", "FreeBSD"};
        return ep_arena_printf(cx->a, "ABI note is for %s, not Linux",
                               f->abi_os < 4 ? os[f->abi_os] : "another OS");
    }
    if (cx->pf.osversion != 0 && f->abi_version > cx->pf.osversion) {
        return ep_arena_printf(cx->a, "ABI note requires Linux %u.%u.%u",
                               f->abi_version >> 16, (f->abi_version >> 8) & 0xff,
                               f->abi_version & 0xff);
    }
    return NULL;
}

/* ---- the name and identity indexes ------------------------------------------ */

typedef struct ld_name {
    const char *name;
    ld_obj *obj;
    struct ld_name *next;
} ld_name;

#define NAME_SLOTS 1024
#define INODE_SLOTS 512

static size_t
str_hash(const char *s)
{
    size_t h = 5381;
    while (*s) {
        h = h * 33 + (unsigned char)*s++;
    }
    return h;
}

ld_obj *
ld_find_name(ld_ctx *cx, const char *name)
{
    if (cx->names == NULL) {
        return NULL;
    }
    for (ld_name *n = cx->names[str_hash(name) % cx->names_size]; n != NULL;
         n = n->next) {
        if (strcmp(n->name, name) == 0) {
            return n->obj;
        }
    }
    return NULL;
}

/* Index name for l; a name two objects answer to stays with the one first
 * in the namespace list, which is the one _dl_map_object's walk finds. */
static void
index_name(ld_ctx *cx, ld_obj *l, const char *name)
{
    if (cx->names == NULL) {
        cx->names_size = NAME_SLOTS;
        cx->names = ep_arena_alloc(cx->a, NAME_SLOTS * sizeof(*cx->names));
        if (cx->names == NULL) {
            cx->nomem = true;
            return;
        }
    }
    size_t slot = str_hash(name) % cx->names_size;
    for (ld_name *n = cx->names[slot]; n != NULL; n = n->next) {
        if (strcmp(n->name, name) == 0) {
            if (l->seq < n->obj->seq) {
                n->obj = l;
            }
            return;
        }
    }
    ld_name *n = ep_arena_alloc(cx->a, sizeof(*n));
    if (n == NULL) {
        cx->nomem = true;
        return;
    }
    n->name = name;
    n->obj = l;
    n->next = cx->names[slot];
    cx->names[slot] = n;
}

static ld_obj *
find_inode(ld_ctx *cx, dev_t dev, ino_t ino)
{
    if (cx->by_inode == NULL) {
        return NULL;
    }
    for (ld_obj *l = cx->by_inode[(size_t)ino % cx->inode_size]; l != NULL;
         l = l->inode_next) {
        if (l->dev == dev && l->ino == ino) {
            return l;
        }
    }
    return NULL;
}

static void
index_inode(ld_ctx *cx, ld_obj *l)
{
    if (cx->by_inode == NULL) {
        cx->inode_size = INODE_SLOTS;
        cx->by_inode = ep_arena_alloc(cx->a, INODE_SLOTS * sizeof(ld_obj *));
        if (cx->by_inode == NULL) {
            cx->nomem = true;
            return;
        }
    }
    size_t slot = (size_t)l->ino % cx->inode_size;
    l->inode_next = cx->by_inode[slot];
    cx->by_inode[slot] = l;
}

static void
add_name(ld_ctx *cx, ld_obj *l, const char *name)
{
    if (!ep_strvec_contains(&l->names, name)) {
        const char *s = ep_arena_strdup(cx->a, name);
        if (s == NULL || !ep_strvec_push(cx->a, &l->names, s)) {
            cx->nomem = true;
            return;
        }
        index_name(cx, l, s);
    }
}

static bool
copy_list(ep_arena *a, ep_strlist *dst, ep_strlist src)
{
    dst->count = 0;
    dst->items = NULL;
    if (src.count == 0) {
        return true;
    }
    const char **items = ep_arena_alloc(a, src.count * sizeof(*items));
    if (items == NULL) {
        return false;
    }
    for (size_t i = 0; i < src.count; i++) {
        if ((items[i] = ep_arena_strdup(a, src.items[i])) == NULL) {
            return false;
        }
    }
    dst->items = items;
    dst->count = src.count;
    return true;
}

/* The facts of the dynamic section the emulation needs after the file is
 * closed (ld_consult closes it as soon as its symbols were consulted). */
static const ep_elf_dynfacts *
keep_info(ld_ctx *cx, const ep_elf_dynfacts *in)
{
    ep_elf_dynfacts *k = ep_arena_alloc(cx->a, sizeof(*k));
    if (k == NULL) {
        return NULL;
    }
    k->type = in->type;
    k->flags = in->flags;
    k->flags_1 = in->flags_1;
    k->has_dynamic = in->has_dynamic;
    k->soname = in->soname ? ep_arena_strdup(cx->a, in->soname) : NULL;
    k->interp = in->interp ? ep_arena_strdup(cx->a, in->interp) : NULL;
    if ((in->soname && !k->soname) || (in->interp && !k->interp) ||
        !copy_list(cx->a, &k->needed, in->needed) ||
        !copy_list(cx->a, &k->rpath, in->rpath) ||
        !copy_list(cx->a, &k->runpath, in->runpath)) {
        return NULL;
    }
    return k;
}

static ld_obj *
new_object(ld_ctx *cx, const char *path, ep_elf_symtab *t,
           const ep_elf_dynfacts *facts, ld_obj *loader)
{
    const struct stat *sb = ep_elf_symtab_stat(t);
    if (cx->nobjs >= LD_MAX_OBJECTS) {
        if (!cx->limit_noted) {
            ld_note(cx, "more than %d objects: the rest are not loaded here",
                    LD_MAX_OBJECTS);
            cx->limit_noted = true;
        }
        ep_elf_symtab_close(t);
        return NULL;
    }
    ld_obj *l = ep_arena_alloc(cx->a, sizeof(*l));
    if (l == NULL || (l->info = keep_info(cx, facts)) == NULL) {
        ep_elf_symtab_close(t);
        cx->nomem = true;
        return NULL;
    }
    l->symtab = t;
    l->path = ep_arena_strdup(cx->a, path);
    l->origin = ld_origin_of(cx->a, path);
    l->dev = sb->st_dev;
    l->ino = sb->st_ino;
    l->loader = loader;
    l->lib = SIZE_MAX;
    l->proc = SIZE_MAX;
    if (l->info != NULL) {
        l->soname = l->info->soname;
        /* get-dynamic-info.h: with DT_RUNPATH present, DT_RPATH is ignored
         * altogether, also when this object is an ancestor. */
        l->has_runpath = l->info->runpath.count > 0;
        l->has_rpath = l->info->rpath.count > 0 && !l->has_runpath;
    }
    if (l->path == NULL) {
        cx->nomem = true;
    }
    if (cx->tail != NULL) {
        cx->tail->next = l;
    } else {
        cx->head = l;
    }
    cx->tail = l;
    l->seq = cx->nobjs++;
    if (cx->symbols) {
        ld_read_versions(cx, l);
    }
    if (l->path != NULL) {
        index_name(cx, l, l->path);
    }
    if (l->soname != NULL) {
        index_name(cx, l, l->soname);
    }
    index_inode(cx, l);
    return l;
}

/* Why ld.so cannot map a file the lean reader finds damaged: the full
 * diagnosis of ep_object_open() when it has one. */
static const char *
damage_of(ld_ctx *cx, const char *path, const char *why)
{
    ep_object *obj = NULL;
    ep_error e;
    if (ep_object_open(path, &obj, &e) != EP_OK) {
        cx->nomem |= e.status == EP_ERR_NOMEM;
        return why;
    }
    if (ep_object_kind(obj) != EP_KIND_ELF && ep_object_reason(obj) != NULL) {
        why = ep_arena_printf(cx->a, "%s: %s", ep_kind_str(ep_object_kind(obj)),
                              ep_object_reason(obj));
    }
    ep_object_close(obj);
    return why;
}

/* Try one candidate file, as open_verify and _dl_map_object_from_fd do. On
 * TRY_FOUND *out is the (possibly already loaded) object; on TRY_ABSENT
 * *errnum says why; otherwise *why. */
static try_result
try_file(ld_ctx *cx, const char *path, ld_obj *loader, ld_obj **out,
         int *errnum, const char **why)
{
    *out = NULL;
    *why = NULL;
    ep_elf_symtab *t = NULL;
    /* No ep_error: most candidates do not exist, and formatting a message
     * for each costs more than the open. */
    if (ep_elf_symtab_openfile(path, &t, errnum, NULL) != EP_OK) {
        cx->nomem |= *errnum == 0;
        return TRY_ABSENT;
    }
    const struct stat *sb = ep_elf_symtab_stat(t);
    /* _dl_map_object_from_fd: the same file under another name is the
     * object already loaded (it passed open_verify when it was loaded). */
    ld_obj *known = S_ISREG(sb->st_mode) ? find_inode(cx, sb->st_dev, sb->st_ino)
                                         : NULL;
    if (known != NULL) {
        ep_elf_symtab_close(t);
        *out = known;
        return TRY_FOUND;
    }
    size_t nhead;
    int rerr;
    const unsigned char *h = ep_elf_symtab_head(t, &nhead, &rerr);
    try_result r = TRY_FOUND;
    bool skip = false;
    if (nhead < EHDR_SIZE) {
        *why = rerr ? ep_arena_printf(cx->a, "cannot read file data: %s",
                                      strerror(rerr))
                    : "file too short";
        r = TRY_FATAL;
    } else if ((*why = check_header(cx, h, &skip)) != NULL) {
        *errnum = ENOENT;
        r = skip ? TRY_SKIPPED : TRY_FATAL;
    }
    const ep_elf_dynfacts *facts = NULL;
    if (r == TRY_FOUND && !ep_elf_symtab_load(t, &facts, why)) {
        *why = damage_of(cx, path, *why);
        r = TRY_FATAL;
    }
    if (r == TRY_FOUND && (*why = abi_note_skip(cx, facts)) != NULL) {
        *errnum = ENOENT;
        r = TRY_SKIPPED;
    }
    if (r != TRY_FOUND) {
        ep_elf_symtab_close(t);
        return r;
    }
    *out = new_object(cx, path, t, facts, loader);
    if (*out == NULL) {
        *why = "not loaded: too many objects";
        return TRY_FATAL;
    }
    return TRY_FOUND;
}

ld_obj *
ld_open_object(ld_ctx *cx, const char *path, ld_obj *loader, const char **why)
{
    ld_obj *l = NULL;
    int errnum = 0;
    try_result r = try_file(cx, path, loader, &l, &errnum, why);
    if (r == TRY_ABSENT) {
        *why = ep_arena_printf(cx->a, "cannot open shared object file: %s",
                               strerror(errnum));
    } else if (r == TRY_SKIPPED && strncmp(*why, "wrong ELF class", 15) != 0) {
        /* _dl_map_object: a skipped file (other machine) leaves ENOENT, and
         * the message misleads: the file is there. */
        *why = ep_arena_printf(cx->a, "cannot open shared object file: No "
                               "such file or directory (ld.so's words: the "
                               "file exists, but %s)", *why);
    }
    return r == TRY_FOUND ? l : NULL;
}

/* ---- open_path -------------------------------------------------------------- */

typedef enum walk_result { WALK_NONE, WALK_FOUND, WALK_FATAL } walk_result;

/* dl-load.c open_path over one search path: for each directory, each
 * capability subdirectory (known-missing ones skipped), try the file. A
 * directory that exists but yields an error other than ENOENT or EACCES
 * ends the walk of this path. */
static walk_result
open_path(ld_ctx *cx, const char *name, ld_path *p, const char *from,
          ld_obj *loader, ld_trace *tr, ld_obj **out)
{
    size_t namelen = strlen(name);
    for (size_t i = 0; i < p->ndirs; i++) {
        ld_dir *d = p->dirs[i];
        bool here_any = false;
        int last_errno = ENOENT;
        for (size_t c = 0; c < cx->pf.caps.count; c++) {
            if (d->status[c] < 0) {
                continue;
            }
            const char *cap = cx->pf.caps.items[c];
            size_t caplen = strlen(cap);
            char *buf = ep_arena_alloc(cx->a, d->len + caplen + namelen + 1);
            if (buf == NULL) {
                cx->nomem = true;
                return WALK_NONE;
            }
            memcpy(buf, d->name, d->len);
            memcpy(buf + d->len, cap, caplen);
            memcpy(buf + d->len + caplen, name, namelen + 1);
            int errnum = 0;
            const char *why = NULL;
            ld_obj *l = NULL;
            try_result r = try_file(cx, buf, loader, &l, &errnum, &why);
            if (d->status[c] == 0) {
                if (r == TRY_FOUND || r == TRY_FATAL) {
                    d->status[c] = 1;
                } else {
                    /* Is there a directory at all? (open_path's stat) */
                    struct stat sb;
                    buf[d->len + caplen] = '\0';
                    d->status[c] = (stat(d->len + caplen ? buf : ".", &sb) == 0 &&
                                    S_ISDIR(sb.st_mode))
                                       ? 1
                                       : -1;
                    buf[d->len + caplen] = name[0];
                }
            }
            here_any |= d->status[c] > 0;
            if (r == TRY_SKIPPED) {
                add_skip(cx, tr, buf, why);
            }
            if (r == TRY_FOUND || r == TRY_FATAL) {
                add_place(cx, tr, d->name, d->len, p->how, from, true, NULL);
                tr->how = p->how;
                tr->how_from = from;
                if (r == TRY_FATAL) {
                    tr->error = why;
                    tr->error_path = ep_arena_strdup(cx->a, buf);
                    return WALK_FATAL;
                }
                *out = l;
                return WALK_FOUND;
            }
            last_errno = r == TRY_ABSENT ? errnum : ENOENT;
            if (r == TRY_ABSENT && errnum == EACCES && d->status[c] > 0) {
                add_skip(cx, tr, buf, "permission denied");
            }
        }
        if (here_any && last_errno != ENOENT && last_errno != EACCES) {
            const char *note = ep_arena_printf(cx->a, "search of this path "
                                               "stopped: %s%s: %s", d->name,
                                               name, strerror(last_errno));
            add_place(cx, tr, d->name, d->len, p->how, from, true, note);
            return WALK_NONE;
        }
        add_place(cx, tr, d->name, d->len, p->how, from, here_any, NULL);
    }
    return WALK_NONE;
}

/* dl-load.c: the prefix test of a cache entry against the system
 * directories, used when the loader has DF_1_NODEFLIB. */
static bool
in_system_dir(ld_ctx *cx, const char *path)
{
    for (size_t i = 0; i < cx->pf.system_dirs.count; i++) {
        const char *d = cx->pf.system_dirs.items[i];
        if (strncmp(path, d, strlen(d)) == 0) {
            return true;
        }
    }
    return false;
}

#define DF_1_NODEFLIB_BIT 0x00000800

static ld_obj *
search(ld_ctx *cx, ld_obj *loader, const char *name, ld_trace *tr)
{
    ld_obj *found = NULL;
    walk_result w = WALK_NONE;
    /* dl-load.c _dl_map_object: a DT_RUNPATH on the loader switches off
     * every DT_RPATH; without one, the RPATHs of the loader and of each
     * object up its loader chain apply, and the executable's last. */
    if (loader == NULL || !loader->has_runpath) {
        bool did_main = false;
        for (ld_obj *l = loader; l != NULL && w == WALK_NONE; l = l->loader) {
            if (ld_object_path(cx, l, false)) {
                w = open_path(cx, name, &l->rpath, l->path, loader, tr, &found);
                did_main |= l == cx->main;
            }
        }
        ld_obj *m = cx->main;
        if (w == WALK_NONE && !did_main && m != NULL && m != loader &&
            ld_object_path(cx, m, false)) {
            w = open_path(cx, name, &m->rpath, m->path, loader, tr, &found);
        }
    }
    if (w == WALK_NONE && cx->env_path.usable) {
        w = open_path(cx, name, &cx->env_path, NULL, loader, tr, &found);
    }
    if (w == WALK_NONE && loader != NULL && ld_object_path(cx, loader, true)) {
        w = open_path(cx, name, &loader->runpath, loader->path, loader, tr,
                      &found);
    }
    ld_obj *flagger = loader ? loader : cx->main;
    bool nodeflib = flagger != NULL && flagger->info != NULL &&
                    (flagger->info->flags_1 & DF_1_NODEFLIB_BIT) != 0;
    if (w == WALK_NONE && cx->cache_path != NULL) {
        const char *cached = ld_cache_lookup(cx->cache, name, &cx->pf);
        const char *note = NULL;
        if (cached != NULL && nodeflib && in_system_dir(cx, cached)) {
            note = ep_arena_printf(cx->a, "entry %s not used: %s has "
                                   "DF_1_NODEFLIB", cached, flagger->path);
            cached = NULL;
        } else if (cached == NULL && cx->cache != NULL) {
            note = "no entry";
        }
        add_place(cx, tr, cx->cache_path, strlen(cx->cache_path),
                  EP_DEPS_LD_SO_CACHE, NULL, cx->cache != NULL, note);
        if (cached != NULL) {
            int errnum = 0;
            const char *why = NULL;
            try_result r = try_file(cx, cached, loader, &found, &errnum, &why);
            if (r == TRY_FOUND) {
                w = WALK_FOUND;
                tr->how = EP_DEPS_LD_SO_CACHE;
            } else if (r == TRY_FATAL) {
                w = WALK_FATAL;
                tr->how = EP_DEPS_LD_SO_CACHE;
                tr->error = why;
                tr->error_path = ep_arena_strdup(cx->a, cached);
            } else if (r == TRY_SKIPPED) {
                add_skip(cx, tr, cached, why);
            } else {
                add_skip(cx, tr, cached, ep_arena_printf(cx->a, "in the cache "
                         "but cannot be opened: %s", strerror(errnum)));
            }
        }
    }
    if (w == WALK_NONE) {
        if (nodeflib) {
            const char *note = ep_arena_printf(cx->a, "not searched: %s has "
                                               "DF_1_NODEFLIB", flagger->path);
            for (size_t i = 0; i < cx->system.ndirs; i++) {
                add_place(cx, tr, cx->system.dirs[i]->name,
                          cx->system.dirs[i]->len, EP_DEPS_DEFAULT, NULL,
                          true, note);
            }
        } else {
            w = open_path(cx, name, &cx->system, NULL, loader, tr, &found);
        }
    }
    return w == WALK_FOUND ? found : NULL;
}

ld_obj *
ld_map_object(ld_ctx *cx, ld_obj *loader, const char *name, ld_trace *tr)
{
    memset(tr, 0, sizeof(*tr));
    tr->how = EP_DEPS_NOT_FOUND;
    /* _dl_name_match_p over the namespace, plus the SONAME check. */
    ld_obj *known = ld_find_name(cx, name);
    if (known != NULL) {
        add_name(cx, known, name);
        tr->how = EP_DEPS_LOADED;
        return known;
    }
    ld_obj *found = NULL;
    if (strchr(name, '/') != NULL) {
        int errnum = 0;
        const char *why = NULL;
        try_result r = try_file(cx, name, loader, &found, &errnum, &why);
        if (r == TRY_FOUND) {
            tr->how = EP_DEPS_PATH;
        } else if (r == TRY_FATAL) {
            tr->error = why;
            tr->error_path = ep_arena_strdup(cx->a, name);
        } else if (r == TRY_SKIPPED) {
            add_skip(cx, tr, name, why);
        }
        if (r != TRY_FOUND) {
            add_place(cx, tr, name, strlen(name), EP_DEPS_PATH, NULL,
                      r != TRY_ABSENT,
                      r == TRY_ABSENT ? ep_arena_strdup(cx->a, strerror(errnum))
                                      : NULL);
            found = NULL;
        }
    } else {
        found = search(cx, loader, name, tr);
    }
    if (found != NULL) {
        add_name(cx, found, name);
        if (tr->how == EP_DEPS_NOT_FOUND) {
            tr->how = EP_DEPS_LOADED; /* same file, already loaded */
        }
    }
    return found;
}
