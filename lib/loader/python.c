/*
 * The two Python questions the loader answers from a file's dynamic
 * section alone: which libpython an interpreter executable needs, and
 * whether a file is a Python extension (exports a PyInit_ function).
 */
#include "elf/dynread.h"
#include "loader/loader.h"
#include "util/path.h"

#include <string.h>

/* The libpython entry of a DT_NEEDED list, copied into a. */
static ep_status
libpython_of(ep_arena *a, const ep_strlist *needed, const char **out,
             ep_error *err)
{
    /* CPython's shared build links the executable against
     * libpython3.X[d|t].so.1.0 (Py_ENABLE_SHARED): its DT_NEEDED is what
     * sysconfig's LDLIBRARY would have said. */
    for (size_t i = 0; i < needed->count; i++) {
        if (strncmp(needed->items[i], "libpython", 9) == 0) {
            *out = ep_arena_strdup(a, needed->items[i]);
            return *out != NULL ? EP_OK : ep_fail_nomem(err);
        }
    }
    return EP_OK;
}

ep_status
ld_exe_libpython(ld_sess *s, ep_arena *a, const char *exe, const char **needed,
                 ep_error *err)
{
    *needed = NULL;
    if (s != NULL) {
        /* Read once: the process's tree starts with this file. One that
         * ld.so would not take is read again below for the reason. */
        ld_file *f = ld_sess_file(s, exe, s->map_files);
        if (f == NULL) {
            return ep_fail_nomem(err);
        }
        if (f->status == TRY_FOUND) {
            return libpython_of(a, &f->img->info->needed, needed, err);
        }
    }
    ep_elf_symtab *t = NULL;
    int errnum = 0;
    ep_status st = ep_elf_symtab_openfile(exe, false, &t, &errnum, err);
    if (st != EP_OK) {
        return st;
    }
    const ep_elf_dynfacts *f = NULL;
    const char *why = NULL;
    if (!ep_elf_symtab_load(t, &f, &why)) {
        st = ep_fail(err, EP_ERR_INTERP,
                     "%s: not a usable interpreter executable: %s", exe,
                     why ? why : "unreadable dynamic section");
    } else {
        st = libpython_of(a, &f->needed, needed, err);
    }
    ep_elf_symtab_close(t);
    return st;
}

static bool
is_pyinit_def(const char *name, const ep_elf_symcand *sym, void *ctx)
{
    bool hit =
        sym->shndx != 0 /* SHN_UNDEF */ && strncmp(name, "PyInit_", 7) == 0;
    *(bool *)ctx = hit;
    return hit;
}

static bool
found_def(const ep_elf_symcand *sym, void *ctx)
{
    *(bool *)ctx = sym->shndx != 0;
    return *(bool *)ctx;
}

/* ahead: the undefined symbols will be walked next (a symbol check): the
 * look for "PyInit_" reads their names on the way. */
static bool
exports_pyinit(ep_elf_symtab *t, const char *path, bool ahead)
{
    /* The name the import system asks for first (PEP 489: PyInit_ and the
     * file name up to its first dot) is one hash lookup; any other
     * PyInit_ export takes a walk over the symbol table. */
    char name[256];
    const char *base = ep_basename(path);
    size_t stem = strcspn(base, ".");
    if (stem > 0 && stem + 8 < sizeof(name)) {
        memcpy(name, "PyInit_", 7);
        memcpy(name + 7, base, stem);
        name[7 + stem] = '\0';
        bool def = false;
        ep_elf_symtab_find(t, name, 7 + stem, ep_elf_gnu_hash(name), 0,
                           found_def, &def);
        if (def) {
            return true;
        }
    }
    /* Most files are not extensions: a look through the string table
     * for "PyInit_" (no symbol decoded) rules them out. */
    bool maybe = false;
    if (!(ahead && ep_elf_symtab_undefined_ahead(t, "PyInit_", &maybe))) {
        maybe = ep_elf_symtab_strings_contain(t, "PyInit_");
    }
    if (!maybe) {
        return false;
    }
    bool any = false;
    return ep_elf_symtab_each(t, false, is_pyinit_def, &any) == EP_OK && any;
}

bool
ld_exports_pyinit(ld_sess *s, const char *path)
{
    ld_file *f = ld_sess_file(s, path, false);
    if (f == NULL || f->img == NULL) {
        return false;
    }
    if (f->img->symtab != NULL) {
        return exports_pyinit(f->img->symtab, path, true);
    }
    /* A session without symbol checks keeps no symbol table: the file is
     * read again for this question alone (whether it is an extension
     * decides the process it is loaded in, symbols checked or not). */
    ep_elf_symtab *t = NULL;
    int errnum = 0;
    const ep_elf_dynfacts *facts = NULL;
    const char *why = NULL;
    bool yes =
        ep_elf_symtab_openfile(path, false, &t, &errnum, NULL) == EP_OK &&
        ep_elf_symtab_load(t, &facts, &why) && exports_pyinit(t, path, false);
    ep_elf_symtab_close(t);
    return yes;
}
