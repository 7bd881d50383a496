/*
 * Finding a needed name on disk the way elf/dl-load.c does: search paths
 * built by fillin_rpath, open_path's walk over every directory and hwcaps
 * subdirectory, open_verify's checks of each candidate, and _dl_map_object's
 * order of rules. Every path is opened, and every file read, once per
 * session (elf/hash.c); each tree then only links the objects it loads.
 */
#include "loader/loader.h"
#include "util/error.h"
#include "util/arena.h"
#include "util/chain.h"
#include "elf/dynread.h"
#include "elf/names.h"

#include <elf.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The 64-bit x86-64 object ld.so accepts (dl-load.c open_verify). */
#define HOST_CLASS ELFCLASS64
#define HOST_DATA ELFDATA2LSB
#define HOST_MACHINE EM_X86_64
#define EHDR_SIZE sizeof(Elf64_Ehdr)
#define PHENT_SIZE sizeof(Elf64_Phdr)
/* sysdeps/unix/sysv/linux/ldsodefs.h: ABI versions 2.36 understands
 * (UNIQUE, IFUNC, ABSOLUTE); LIBC_ABI_MAX is 4. */
#define LIBC_ABI_MAX 4

/* Add a note to a list once; false when memory ran out. */
static bool
vnote_to(ep_arena *a, ep_strvec *v, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof(buf), fmt, ap);
    if (ep_strvec_contains(v, buf)) {
        return true;
    }
    const char *s = ep_arena_strdup(a, buf);
    return s != NULL && ep_strvec_push(a, v, s);
}

static bool note_to(ep_arena *a, ep_strvec *v, const char *fmt, ...)
    EP_PRINTF(3, 4);

static bool
note_to(ep_arena *a, ep_strvec *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = vnote_to(a, v, fmt, ap);
    va_end(ap);
    return ok;
}

bool
ld_note(ld_ctx *cx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = vnote_to(cx->a, &cx->deps->notes, fmt, ap);
    va_end(ap);
    cx->nomem |= !ok;
    return ok;
}

/* Notes a session object carries, said in this tree. */
static void
replay_notes(ld_ctx *cx, const ep_strvec *v)
{
    for (size_t i = 0; i < v->count; i++) {
        ld_note(cx, "%s", v->items[i]);
    }
}

/* ---- directories (GL(dl_all_dirs)) --------------------------------------- */

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
intern_dir(ld_sess *s, const char *name, size_t len)
{
    if (s->dir_hash == NULL) {
        s->dir_hash_size = 256;
        s->dir_hash =
            ep_arena_alloc(&s->a, s->dir_hash_size * sizeof(ld_dir *));
        if (s->dir_hash == NULL) {
            return NULL;
        }
    }
    size_t slot = dir_hash(name, len) % s->dir_hash_size;
    for (ld_dir *d = s->dir_hash[slot]; d != NULL; d = d->hnext) {
        if (d->len == len && memcmp(d->name, name, len) == 0) {
            return d;
        }
    }
    ld_dir *d = ep_arena_alloc(&s->a, sizeof(*d));
    char *copy = ep_arena_strndup(&s->a, name, len);
    /* Shown without the trailing slash, as LD_DEBUG=libs shows it. */
    char *shown = ep_arena_strndup(&s->a, name, len > 1 ? len - 1 : len);
    signed char *status = ep_arena_alloc(&s->a, s->pf.caps.count + 1);
    if (d == NULL || copy == NULL || shown == NULL || status == NULL) {
        return NULL;
    }
    d->name = copy;
    d->len = len;
    d->shown = shown;
    d->status = status;
    d->hnext = s->dir_hash[slot];
    s->dir_hash[slot] = d;
    return d;
}

/* dl-load.c fillin_rpath: split at any of seps, expand tokens with origin,
 * drop elements that expand to nothing, trim trailing slashes and add one,
 * keep each directory once per path. An empty element (not an empty
 * expansion) is the working directory. */
static ep_status
fill_path(ld_sess *s, ep_arena *a, ep_strvec *notes, ld_path *p,
          const char *const *elems, size_t nelems, const char *origin,
          const char *what)
{
    p->decoded = true;
    for (size_t i = 0; i < nelems; i++) {
        const char *cp = elems[i];
        size_t len = 0;
        char *exp = NULL;
        if (*cp != '\0') {
            exp = ld_dst_expand(a, cp, origin, &s->pf);
            if (exp == NULL) {
                return EP_ERR_NOMEM;
            }
            len = strlen(exp);
            if (len == 0) {
                if (!note_to(a, notes,
                             "%s entry '%s' is dropped: it uses "
                             "$ORIGIN, whose value is unknown",
                             what, cp)) {
                    return EP_ERR_NOMEM;
                }
                continue;
            }
            while (len > 1 && exp[len - 1] == '/') {
                --len;
            }
            if (len >= LD_MAX_NAME &&
                !note_to(a, notes,
                         "%s entry of %zu bytes is longer than "
                         "PATH_MAX: nothing can be opened there",
                         what, len)) {
                return EP_ERR_NOMEM;
            }
        }
        if (p->ndirs >= LD_MAX_PATH_DIRS) {
            if (!note_to(a, notes,
                         "%s has more than %d entries; only the "
                         "first %d are searched here",
                         what, LD_MAX_PATH_DIRS, LD_MAX_PATH_DIRS)) {
                return EP_ERR_NOMEM;
            }
            break;
        }
        ld_dir *d;
        if (len == 0) {
            d = intern_dir(s, "", 0);
        } else if (exp[len - 1] == '/') {
            d = intern_dir(s, exp, len);
        } else {
            char *slashed = ep_arena_alloc(a, len + 2);
            if (slashed == NULL) {
                return EP_ERR_NOMEM;
            }
            memcpy(slashed, exp, len);
            slashed[len] = '/';
            d = intern_dir(s, slashed, len + 1);
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
        if (!ep_arena_grow(a, (void **)&p->dirs, &p->cap, p->ndirs + 1,
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
split(ep_arena *a, const char *s, const char *seps, ep_strvec *out)
{
    for (;;) {
        size_t n = strcspn(s, seps);
        char *e = ep_arena_strndup(a, s, n);
        if (e == NULL || !ep_strvec_push(a, out, e)) {
            return EP_ERR_NOMEM;
        }
        if (s[n] == '\0') {
            return EP_OK;
        }
        s += n + 1;
    }
}

/* dl-load.c cache_rpath/decompose_rpath for a file's DT_RPATH or
 * DT_RUNPATH: expanded with its own $ORIGIN, so once per path. */
static ep_status
file_path(ld_sess *s, ld_file *f, bool runpath)
{
    ld_path *p = runpath ? &f->runpath : &f->rpath;
    p->how = runpath ? EP_DEPS_RUNPATH : EP_DEPS_RPATH;
    if (runpath ? !f->has_runpath : !f->has_rpath) {
        p->decoded = true;
        return EP_OK;
    }
    ep_strlist list = runpath ? f->img->info->runpath : f->img->info->rpath;
    char what[512];
    snprintf(what, sizeof(what), "%s of %s", runpath ? "RUNPATH" : "RPATH",
             f->path);
    return fill_path(s, &s->a, &f->notes, p, list.items, list.count, f->origin,
                     what);
}

ep_status
ld_init_system_path(ld_sess *s)
{
    ld_path *sys = &s->system;
    sys->how = EP_DEPS_DEFAULT;
    sys->decoded = true;
    for (size_t i = 0; i < s->pf.system_dirs.count; i++) {
        const char *d = s->pf.system_dirs.items[i];
        ld_dir *dir = intern_dir(s, d, strlen(d));
        if (dir == NULL || !ep_arena_grow(&s->a, (void **)&sys->dirs, &sys->cap,
                                          sys->ndirs + 1, sizeof(*sys->dirs))) {
            return EP_ERR_NOMEM;
        }
        sys->dirs[sys->ndirs++] = dir;
    }
    sys->usable = sys->ndirs > 0;
    return EP_OK;
}

ep_status
ld_init_env_path(ld_ctx *cx, const char *llp)
{
    cx->env_path.how = EP_DEPS_LD_LIBRARY_PATH;
    cx->env_path.decoded = true;
    /* dl-load.c _dl_init_paths: an empty value is no value; ':' and ';'
     * both separate; tokens expand against the main program. */
    if (llp == NULL || *llp == '\0') {
        return EP_OK;
    }
    ep_strvec elems = {0};
    if (split(cx->a, llp, ":;", &elems) != EP_OK) {
        return EP_ERR_NOMEM;
    }
    return fill_path(cx->s, cx->a, &cx->deps->notes, &cx->env_path, elems.items,
                     elems.count, cx->main ? cx->main->origin : NULL,
                     "LD_LIBRARY_PATH");
}

/* ---- tracing ------------------------------------------------------------- */

/* A place of the search; path is borrowed (a session string). */
static void
add_place(ld_ctx *cx, ld_trace *tr, const char *path, ep_deps_how how,
          const char *from, bool exists, const char *note)
{
    if (!ep_arena_grow(cx->a, (void **)&tr->places, &tr->places_cap,
                       tr->nplaces + 1, sizeof(*tr->places))) {
        cx->nomem = true;
        return;
    }
    ep_deps_place *pl = &tr->places[tr->nplaces++];
    pl->path = path;
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
    if (!ep_arena_grow(cx->a, (void **)&tr->skips, &tr->skips_cap,
                       tr->nskips + 1, sizeof(*tr->skips))) {
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

/* ---- candidates (open_verify) -------------------------------------------- */

/* The identification checks of open_verify, on the first bytes. Returns
 * NULL when the header is one ld.so accepts, else sets *skip (not fatal)
 * and returns why. */
static const char *
check_header(ep_arena *a, const unsigned char *h, bool *skip)
{
    *skip = false;
    if (memcmp(h, "\177ELF", 4) != 0) {
        return "invalid ELF header";
    }
    if (h[4] != HOST_CLASS) {
        *skip = true;
        return h[4] == ELFCLASS32 ? "wrong ELF class: ELFCLASS32"
                                  : "wrong ELF class";
    }
    if (h[5] != HOST_DATA) {
        return "ELF file data encoding not little-endian";
    }
    if (h[6] != EV_CURRENT) {
        return "ELF file version ident does not match current one";
    }
    if (h[7] != ELFOSABI_SYSV && h[7] != ELFOSABI_GNU) {
        return "ELF file OS ABI invalid";
    }
    if (!(h[8] == 0 || (h[7] == ELFOSABI_GNU && h[8] < LIBC_ABI_MAX))) {
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
    if (version != EV_CURRENT) {
        return "ELF file version does not match current one";
    }
    if (machine != HOST_MACHINE) {
        /* elf_machine_matches_host fails: skipped like a missing file. */
        *skip = true;
        const char *n = ep_elf_machine_name(machine, 64, HOST_DATA);
        return strcmp(n, "unknown") != 0
                   ? ep_arena_printf(a, "wrong machine: %s", n)
                   : ep_arena_printf(a, "wrong machine: e_machine %u", machine);
    }
    if (type != ET_DYN && type != ET_EXEC) {
        return "only ET_DYN and ET_EXEC can be loaded";
    }
    if (phentsize != PHENT_SIZE) {
        return "ELF file's phentsize not the expected size";
    }
    return NULL;
}

/* ---- the name and identity indexes --------------------------------------- */

typedef struct ld_name {
    const char *name;
    ld_obj *obj;
    struct ld_name *next;
} ld_name;

/* Each table starts with this many heads and doubles as it fills. */
#define NAME_MIN 64
#define INODE_MIN 32

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

static size_t
name_entry_hash(const void *e)
{
    return str_hash(((const ld_name *)e)->name);
}

static size_t
obj_inode_hash(const void *e)
{
    return (size_t)((const ld_obj *)e)->ino;
}

/* Index name for l; a name two objects answer to stays with the one first
 * in the namespace list, which is the one _dl_map_object's walk finds. */
static void
index_name(ld_ctx *cx, ld_obj *l, const char *name)
{
    if (!ep_chain_reserve(cx->a, (void ***)&cx->names, &cx->names_size,
                          cx->nnames + 1, NAME_MIN, offsetof(ld_name, next),
                          name_entry_hash)) {
        cx->nomem = true;
        return;
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
    cx->nnames++;
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
    if (!ep_chain_reserve(cx->a, (void ***)&cx->by_inode, &cx->inode_size,
                          cx->ninode + 1, INODE_MIN,
                          offsetof(ld_obj, inode_next), obj_inode_hash)) {
        cx->nomem = true;
        return;
    }
    size_t slot = (size_t)l->ino % cx->inode_size;
    l->inode_next = cx->by_inode[slot];
    cx->by_inode[slot] = l;
    cx->ninode++;
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

/* The facts of the dynamic section, copied: the reader's own strings go
 * when the session frees what it read. */
static const ep_elf_dynfacts *
keep_info(ep_arena *a, const ep_elf_dynfacts *in)
{
    ep_elf_dynfacts *k = ep_arena_alloc(a, sizeof(*k));
    if (k == NULL) {
        return NULL;
    }
    k->type = in->type;
    k->flags = in->flags;
    k->flags_1 = in->flags_1;
    k->has_dynamic = in->has_dynamic;
    k->has_relr = in->has_relr;
    k->has_verneed = in->has_verneed;
    k->soname = in->soname ? ep_arena_strdup(a, in->soname) : NULL;
    k->interp = in->interp ? ep_arena_strdup(a, in->interp) : NULL;
    if ((in->soname && !k->soname) || (in->interp && !k->interp) ||
        !copy_list(a, &k->needed, in->needed) ||
        !copy_list(a, &k->rpath, in->rpath) ||
        !copy_list(a, &k->runpath, in->runpath)) {
        return NULL;
    }
    return k;
}

/* Why ld.so cannot map a file the lean reader finds damaged: the full
 * diagnosis of ep_object_open() when it has one. */
static const char *
damage_of(ld_sess *s, const char *path, const char *why)
{
    ep_object *obj = NULL;
    ep_error e;
    if (ep_object_open(path, &obj, &e) != EP_OK) {
        s->nomem |= e.status == EP_ERR_NOMEM;
        return why;
    }
    if (ep_object_kind(obj) != EP_KIND_ELF && ep_object_reason(obj) != NULL) {
        why = ep_arena_printf(&s->a, "%s: %s", ep_kind_str(ep_object_kind(obj)),
                              ep_object_reason(obj));
    }
    ep_object_close(obj);
    return why;
}

/* ---- the session's files ------------------------------------------------- */

#define FILE_MIN 64
#define IMAGE_MIN 32

static size_t
image_entry_hash(const void *e)
{
    return (size_t)((const ld_image *)e)->ino;
}

static size_t
file_entry_hash(const void *e)
{
    return str_hash(((const ld_file *)e)->path);
}

static ld_image *
find_image(ld_sess *s, dev_t dev, ino_t ino)
{
    if (s->images == NULL) {
        return NULL;
    }
    for (ld_image *m = s->images[(size_t)ino % s->images_size]; m != NULL;
         m = m->hnext) {
        if (m->dev == dev && m->ino == ino) {
            return m;
        }
    }
    return NULL;
}

void
ld_park_all(ld_sess *s)
{
    for (ld_image *m = s->all; m != NULL; m = m->next_all) {
        ep_elf_symtab_park(m->symtab);
    }
    s->nopen = 0;
}

/* open_verify and the checks of _dl_map_object_from_fd on a file not seen
 * before. Takes t. */
static ld_image *
new_image(ld_sess *s, const char *path, ep_elf_symtab *t)
{
    const struct stat *sb = ep_elf_symtab_stat(t);
    ld_image *m = ep_arena_alloc(&s->a, sizeof(*m));
    if (m == NULL) {
        ep_elf_symtab_close(t);
        return NULL;
    }
    m->dev = sb->st_dev;
    m->ino = sb->st_ino;
    bool regular = S_ISREG(sb->st_mode); /* sb goes with t */
    size_t nhead;
    int rerr;
    const unsigned char *h = ep_elf_symtab_head(t, &nhead, &rerr);
    bool skip = false;
    m->verdict = TRY_FOUND;
    if (S_ISFIFO(sb->st_mode)) {
        /* Read here without blocking; ld.so's open() would wait for a
         * writer, and the import with it. */
        m->why = "a FIFO, not a file: ld.so would wait in open() until "
                 "something writes to it (the import hangs)";
        m->verdict = TRY_FATAL;
    } else if (nhead < EHDR_SIZE) {
        m->why = rerr ? ep_arena_printf(&s->a, "cannot read file data: %s",
                                        strerror(rerr))
                      : "file too short";
        m->verdict = TRY_FATAL;
    } else if ((m->why = check_header(&s->a, h, &skip)) != NULL) {
        m->verdict = skip ? TRY_SKIPPED : TRY_FATAL;
    }
    const ep_elf_dynfacts *facts = NULL;
    if (m->verdict == TRY_FOUND && !ep_elf_symtab_load(t, &facts, &m->why)) {
        m->why = damage_of(s, path, m->why);
        m->verdict = TRY_FATAL;
    }
    if (m->verdict == TRY_FOUND) {
        m->info = keep_info(&s->a, facts);
        if (m->info == NULL) {
            ep_elf_symtab_close(t);
            return NULL;
        }
        if (s->symbols) {
            m->symtab = t;
            ld_read_versions(s, m, path);
            ep_elf_symtab_loaded(t);
            m->next_all = s->all;
            s->all = m;
            s->nopen++;
        } else {
            /* The tree needs nothing more of the file than its facts. */
            ep_elf_symtab_close(t);
        }
    } else {
        ep_elf_symtab_close(t);
    }
    if (m->why == NULL && m->verdict != TRY_FOUND) {
        return NULL; /* out of memory formatting the reason */
    }
    /* Another name of a regular file reaches the same image. */
    if (regular) {
        if (!ep_chain_reserve(&s->a, (void ***)&s->images, &s->images_size,
                              s->nimages + 1, IMAGE_MIN,
                              offsetof(ld_image, hnext), image_entry_hash)) {
            return NULL;
        }
        size_t slot = (size_t)m->ino % s->images_size;
        m->hnext = s->images[slot];
        s->images[slot] = m;
        s->nimages++;
    }
    return m;
}

ld_file *
ld_sess_file(ld_sess *s, const char *path, bool map)
{
    if (!ep_chain_reserve(&s->a, (void ***)&s->files, &s->files_size,
                          s->nfiles + 1, FILE_MIN, offsetof(ld_file, hnext),
                          file_entry_hash)) {
        s->nomem = true;
        return NULL;
    }
    size_t slot = str_hash(path) % s->files_size;
    for (ld_file *f = s->files[slot]; f != NULL; f = f->hnext) {
        if (strcmp(f->path, path) == 0) {
            return f;
        }
    }
    ld_file *f = ep_arena_alloc(&s->a, sizeof(*f));
    if (f == NULL || (f->path = ep_arena_strdup(&s->a, path)) == NULL) {
        s->nomem = true;
        return NULL;
    }
    if (s->nopen >= LD_MAX_OPEN) {
        ld_park_all(s);
    }
    ep_elf_symtab *t = NULL;
    int errnum = 0;
    /* No ep_error: most candidates do not exist, and formatting a message
     * for each costs more than the open. */
    ep_status st = ep_elf_symtab_openfile(path, map, &t, &errnum, NULL);
    if (st != EP_OK && (errnum == EMFILE || errnum == ENFILE)) {
        ld_park_all(s); /* our own descriptors: free them and retry */
        st = ep_elf_symtab_openfile(path, map, &t, &errnum, NULL);
    }
    if (st != EP_OK) {
        if (errnum == 0 || errnum == EMFILE || errnum == ENFILE) {
            s->nomem |= errnum == 0;
            f->status = TRY_ABSENT;
            f->errnum = errnum ? errnum : ENOMEM;
            return f; /* not remembered: it may work next time */
        }
        f->status = TRY_ABSENT;
        f->errnum = errnum;
    } else {
        const struct stat *sb = ep_elf_symtab_stat(t);
        ld_image *m =
            S_ISREG(sb->st_mode) ? find_image(s, sb->st_dev, sb->st_ino) : NULL;
        if (m != NULL) {
            /* A parked file reached again (a library of an earlier tree
             * named as a root): its descriptor and first read serve. */
            s->nopen += ep_elf_symtab_adopt(m->symtab, t);
        } else if ((m = new_image(s, path, t)) == NULL) {
            s->nomem = true;
            return NULL;
        }
        f->status = m->verdict;
        f->why = m->why;
        /* _dl_map_object: a skipped candidate leaves errno ENOENT. */
        f->errnum = m->verdict == TRY_SKIPPED ? ENOENT : 0;
        if (m->verdict == TRY_FOUND) {
            f->img = m;
            f->origin = ld_origin_of(&s->a, f->path);
            /* get-dynamic-info.h: with DT_RUNPATH present, DT_RPATH is
             * ignored altogether, also when this object is an
             * ancestor. */
            f->has_runpath = m->info->runpath.count > 0;
            f->has_rpath = m->info->rpath.count > 0 && !f->has_runpath;
            if (file_path(s, f, false) != EP_OK ||
                file_path(s, f, true) != EP_OK) {
                s->nomem = true;
                return NULL;
            }
        }
    }
    /* The table may have grown while the file was read. */
    slot = str_hash(path) % s->files_size;
    f->hnext = s->files[slot];
    s->files[slot] = f;
    s->nfiles++;
    return f;
}

/* ---- objects of one tree ------------------------------------------------- */

static ld_obj *
new_object(ld_ctx *cx, ld_file *f, ld_obj *loader)
{
    if (cx->nobjs >= LD_MAX_OBJECTS) {
        if (!cx->limit_noted) {
            ld_note(cx, "more than %d objects: the rest are not loaded here",
                    LD_MAX_OBJECTS);
            cx->limit_noted = true;
        }
        return NULL;
    }
    ld_obj *l = ep_arena_alloc(cx->a, sizeof(*l));
    if (l == NULL) {
        cx->nomem = true;
        return NULL;
    }
    l->file = f;
    l->img = f->img;
    l->info = f->img->info;
    l->path = f->path;
    l->origin = f->origin;
    l->dev = f->img->dev;
    l->ino = f->img->ino;
    l->loader = loader;
    l->lib = SIZE_MAX;
    l->proc = SIZE_MAX;
    l->soname = l->info->soname;
    l->has_rpath = f->has_rpath;
    l->has_runpath = f->has_runpath;
    l->rpath = &f->rpath;
    l->runpath = &f->runpath;
    if (cx->tail != NULL) {
        cx->tail->next = l;
    } else {
        cx->head = l;
    }
    cx->tail = l;
    l->seq = cx->nobjs++;
    index_name(cx, l, l->path);
    if (l->soname != NULL) {
        index_name(cx, l, l->soname);
    }
    index_inode(cx, l);
    replay_notes(cx, &f->img->notes);
    replay_notes(cx, &f->notes);
    return l;
}

/* Try one candidate file, as open_verify and _dl_map_object_from_fd do. On
 * TRY_FOUND *out is the (possibly already loaded) object; on TRY_ABSENT
 * *errnum says why; otherwise *why. */
static try_result
try_file(ld_ctx *cx, const char *path, ld_obj *loader, ld_obj **out,
         int *errnum, const char **why)
{
    *out = NULL;
    /* Objects that trees share are mapped: lookups touch them again and
     * again. A root is read in parts, once (and its memory reused). */
    ld_file *f =
        ld_sess_file(cx->s, path, cx->s->map_files && !cx->reading_root);
    if (f == NULL) {
        cx->nomem = true;
        *errnum = ENOMEM;
        *why = NULL;
        return TRY_ABSENT;
    }
    *errnum = f->errnum;
    *why = f->why;
    if (f->status != TRY_FOUND) {
        return f->status;
    }
    /* _dl_map_object_from_fd: the same file under another name is the
     * object already loaded (it passed open_verify when it was loaded). */
    ld_obj *known = find_inode(cx, f->img->dev, f->img->ino);
    if (known != NULL) {
        *out = known;
        return TRY_FOUND;
    }
    *out = new_object(cx, f, loader);
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
        *why = ep_arena_printf(cx->a,
                               "cannot open shared object file: No "
                               "such file or directory (ld.so's words: the "
                               "file exists, but %s)",
                               *why);
    }
    return r == TRY_FOUND ? l : NULL;
}

/* ---- open_path ----------------------------------------------------------- */

typedef enum walk_result { WALK_NONE, WALK_FOUND, WALK_FATAL } walk_result;

/* dl-load.c open_path over one search path: for each directory, each
 * capability subdirectory (known-missing ones skipped), try the file. A
 * directory that exists but yields an error other than ENOENT or EACCES
 * ends the walk of this path. */
/* Whether the first directory of subdirectory cap (glibc-hwcaps/, tls/,
 * x86_64/) is absent from d: then every subdirectory under it is marked
 * nonexisting at once, which open_path's open and stat of each would
 * conclude one by one (both fail with ENOENT at that component), and the
 * file system is asked once, not twice per subdirectory (a pyenv
 * interpreter's libpython: 17 system calls fewer per process). */
static bool
top_absent(ld_ctx *cx, ld_dir *d, const char *cap)
{
    const char *slash = strchr(cap, '/');
    size_t toplen = slash ? (size_t)(slash - cap) + 1 : strlen(cap);
    char buf[PATH_MAX];
    if (d->len + toplen >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, d->name, d->len);
    memcpy(buf + d->len, cap, toplen);
    buf[d->len + toplen] = '\0';
    struct stat sb;
    if (stat(buf, &sb) == 0 || errno != ENOENT) {
        return false;
    }
    const ep_strvec *caps = &cx->s->pf.caps;
    for (size_t c = 0; c < caps->count; c++) {
        if (d->status[c] == 0 && strncmp(caps->items[c], cap, toplen) == 0) {
            d->status[c] = -1;
        }
    }
    return true;
}

static walk_result
open_path(ld_ctx *cx, const char *name, ld_path *p, const char *from,
          ld_obj *loader, ld_trace *tr, ld_obj **out)
{
    size_t namelen = strlen(name);
    char small[1024]; /* candidates are copied when kept */
    for (size_t i = 0; i < p->ndirs; i++) {
        ld_dir *d = p->dirs[i];
        bool here_any = false;
        int last_errno = ENOENT;
        for (size_t c = 0; c < cx->s->pf.caps.count; c++) {
            if (d->status[c] < 0) {
                continue;
            }
            const char *cap = cx->s->pf.caps.items[c];
            size_t caplen = strlen(cap);
            if (d->status[c] == 0 && caplen > 0 && top_absent(cx, d, cap)) {
                /* As the open and stat would conclude, for each of the
                 * subdirectories under that first one. */
                last_errno = ENOENT;
                continue;
            }
            size_t need = d->len + caplen + namelen + 1;
            char *buf =
                need <= sizeof(small) ? small : ep_arena_alloc(cx->a, need);
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
                    d->status[c] =
                        (stat(d->len + caplen ? buf : ".", &sb) == 0 &&
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
                add_place(cx, tr, d->shown, p->how, from, true, NULL);
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
            const char *note =
                ep_arena_printf(cx->a,
                                "search of this path "
                                "stopped: %s%s: %s",
                                d->name, name, strerror(last_errno));
            add_place(cx, tr, d->shown, p->how, from, true, note);
            return WALK_NONE;
        }
        add_place(cx, tr, d->shown, p->how, from, here_any, NULL);
    }
    return WALK_NONE;
}

/* dl-load.c: the prefix test of a cache entry against the system
 * directories, used when the loader has DF_1_NODEFLIB. */
static bool
in_system_dir(ld_ctx *cx, const char *path)
{
    for (size_t i = 0; i < cx->s->pf.system_dirs.count; i++) {
        const char *d = cx->s->pf.system_dirs.items[i];
        if (strncmp(path, d, strlen(d)) == 0) {
            return true;
        }
    }
    return false;
}

#define DF_1_NODEFLIB_BIT 0x00000800

/* dl-cache.c _dl_load_cache_lookup, remembered per name: the cache is
 * mapped once per session and does not change. */
typedef struct ld_cached {
    const char *name;
    const char *path; /* NULL: no entry */
    struct ld_cached *next;
} ld_cached;

#define CACHED_MIN 64

static size_t
cached_entry_hash(const void *e)
{
    return str_hash(((const ld_cached *)e)->name);
}

static const char *
cache_lookup(ld_sess *s, const char *name)
{
    if (!ep_chain_reserve(&s->a, (void ***)&s->cached, &s->cached_size,
                          s->ncached + 1, CACHED_MIN, offsetof(ld_cached, next),
                          cached_entry_hash) &&
        s->cached == NULL) {
        return ld_cache_lookup(s->cache, name, &s->pf);
    }
    size_t slot = str_hash(name) % s->cached_size;
    for (ld_cached *c = s->cached[slot]; c != NULL; c = c->next) {
        if (strcmp(c->name, name) == 0) {
            return c->path;
        }
    }
    const char *path = ld_cache_lookup(s->cache, name, &s->pf);
    ld_cached *c = ep_arena_alloc(&s->a, sizeof(*c));
    if (c != NULL && (c->name = ep_arena_strdup(&s->a, name)) != NULL) {
        c->path = path;
        c->next = s->cached[slot];
        s->cached[slot] = c;
        s->ncached++;
    }
    return path;
}

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
            if (l->has_rpath && l->rpath->usable) {
                w = open_path(cx, name, l->rpath, l->path, loader, tr, &found);
                did_main |= l == cx->main;
            }
        }
        ld_obj *m = cx->main;
        if (w == WALK_NONE && !did_main && m != NULL && m != loader &&
            m->has_rpath && m->rpath->usable) {
            w = open_path(cx, name, m->rpath, m->path, loader, tr, &found);
        }
    }
    if (w == WALK_NONE && cx->env_path.usable) {
        w = open_path(cx, name, &cx->env_path, NULL, loader, tr, &found);
    }
    if (w == WALK_NONE && loader != NULL && loader->has_runpath &&
        loader->runpath->usable) {
        w = open_path(cx, name, loader->runpath, loader->path, loader, tr,
                      &found);
    }
    ld_obj *flagger = loader ? loader : cx->main;
    bool nodeflib = flagger != NULL && flagger->info != NULL &&
                    (flagger->info->flags_1 & DF_1_NODEFLIB_BIT) != 0;
    ld_sess *s = cx->s;
    if (w == WALK_NONE && s->cache_path != NULL) {
        const char *cached = s->cache ? cache_lookup(s, name) : NULL;
        const char *note = NULL;
        if (cached != NULL && nodeflib && in_system_dir(cx, cached)) {
            note = ep_arena_printf(cx->a,
                                   "entry %s not used: %s has "
                                   "DF_1_NODEFLIB",
                                   cached, flagger->path);
            cached = NULL;
        } else if (cached == NULL && s->cache != NULL) {
            note = "no entry";
        }
        add_place(cx, tr, s->cache_path, EP_DEPS_LD_SO_CACHE, NULL,
                  s->cache != NULL, note);
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
                add_skip(cx, tr, cached,
                         ep_arena_printf(cx->a,
                                         "in the cache "
                                         "but cannot be opened: %s",
                                         strerror(errnum)));
            }
        }
    }
    if (w == WALK_NONE) {
        if (nodeflib) {
            const char *note = ep_arena_printf(cx->a,
                                               "not searched: %s has "
                                               "DF_1_NODEFLIB",
                                               flagger->path);
            for (size_t i = 0; i < s->system.ndirs; i++) {
                add_place(cx, tr, s->system.dirs[i]->shown, EP_DEPS_DEFAULT,
                          NULL, true, note);
            }
        } else {
            w = open_path(cx, name, &s->system, NULL, loader, tr, &found);
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
            add_place(cx, tr, ep_arena_strdup(cx->a, name), EP_DEPS_PATH, NULL,
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
