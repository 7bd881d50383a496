/*
 * Sessions: several files analysed with what one emulated process computes
 * once (the interpreter, the hwcaps, the cache, each file read once) must
 * give each file exactly the tree a fresh analysis gives it, trees must
 * outlive their session; the interpreter is modelled from its files, never
 * run (pyenv shims by pyenv's rules, other wrappers refused).
 */
#include "loader_oracle.h"

#include "elf/dynread.h"
#include "loader/loader.h"

#include <elf.h>
#include <stdint.h>
#include <sys/stat.h>

static const char *const files[] = {
    "rpath/mod_rpath.so",       "missing/mod_missing.so",
    "versions/mod_glibc99.so",  "versions/mod_fxv.so",
    "undef/mod_undef.so",       "wrongclass/mod_wrong.so",
    "origin/pkg/mod_origin.so", "cycle/mod_cycle.so",
    "origin/pkg3/mod_plat.so",  "exe/mod_exe.so",
    "rpath/mod_rpath.so",       "badelf/mod_bad.so",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char *
json_of(const ep_deps *d)
{
    ep_error err;
    char *j = ep_deps_json(d, &err);
    cr_assert(j != NULL, "%s", err.message);
    return j;
}

/* Every file of the list, in one session and each alone: same JSON. */
static void
same_as_fresh(const ep_deps_options *o)
{
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(o, &s, &err), EP_OK), "%s",
              err.message);
    for (size_t i = 0; i < NFILES; i++) {
        cr_assert(eq(int, access(fx(files[i]), F_OK), 0), "%s", files[i]);
        ep_deps *in = NULL, *alone = NULL;
        cr_assert(
            eq(int, ep_deps_session_analyze(s, fx(files[i]), &in, &err), EP_OK),
            "%s", err.message);
        cr_assert(
            eq(int, ep_deps_analyze(fx(files[i]), o, &alone, &err), EP_OK),
            "%s", err.message);
        char *a = json_of(in), *b = json_of(alone);
        cr_assert(eq(str, a, b), "%s differs in a session", files[i]);
        ep_free(a);
        ep_free(b);
        ep_deps_free(in);
        ep_deps_free(alone);
    }
    ep_deps_session_free(s);
}

Test(loader, session_gives_each_file_the_tree_a_fresh_analysis_gives)
{
    ep_deps_options o = opts(NULL, NULL);
    same_as_fresh(&o);
}

Test(loader, session_with_an_interpreter_gives_the_same_trees)
{
    /* fx() reuses its buffers: the interpreter needs a copy that stays. */
    char *python = strdup(fx("exe/fxdlopen"));
    ep_deps_options o = opts(python, NULL);
    same_as_fresh(&o);
    free(python);
}

Test(loader, session_without_symbols_gives_the_same_trees)
{
    ep_deps_options o = opts(NULL, "/nonexistent-dir");
    o.symbols = false;
    same_as_fresh(&o);
}

/* Mapped (one tree per process: ep_deps_options.map_files) or read, the
 * same tree for each fixture and for real libraries and modules, with and
 * without the interpreter. */
Test(loader, mapped_files_give_the_trees_read_files_give)
{
    const char *real[] = {
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
        "/usr/lib/python3/dist-packages/"
        "apt_pkg.cpython-311-x86_64-linux-gnu.so",
    };
    char *python = strdup(fx("exe/fxdlopen"));
    size_t compared = 0;
    for (int with = 0; with < 2; with++) {
        for (size_t i = 0; i < NFILES + 4; i++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s",
                     i < NFILES ? fx(files[i]) : real[i - NFILES]);
            if (access(path, R_OK) != 0 ||
                (with && i >= NFILES && access("/usr/bin/python3.11", X_OK))) {
                continue;
            }
            char *json[2];
            for (int map = 0; map < 2; map++) {
                ep_deps_options o =
                    opts(with ? "/usr/bin/python3.11" : NULL, NULL);
                if (with && i < NFILES) {
                    o.python = python;
                }
                o.map_files = map;
                ep_deps *d = NULL;
                ep_error err;
                cr_assert(eq(int, ep_deps_analyze(path, &o, &d, &err), EP_OK),
                          "%s", err.message);
                json[map] = json_of(d);
                ep_deps_free(d);
            }
            cr_assert(eq(str, json[0], json[1]), "%s", path);
            ep_free(json[0]);
            ep_free(json[1]);
            compared++;
        }
    }
    free(python);
    cr_assert(compared >= 2 * NFILES, "%zu compared", compared);
}

Test(loader, trees_outlive_their_session)
{
    ep_deps_options o = opts(NULL, NULL);
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_OK));
    ep_deps *a = NULL, *b = NULL;
    cr_assert(eq(
        int, ep_deps_session_analyze(s, fx("missing/mod_missing.so"), &a, &err),
        EP_OK));
    cr_assert(
        eq(int,
           ep_deps_session_analyze(s, fx("versions/mod_glibc99.so"), &b, &err),
           EP_OK));
    char *before = json_of(a);
    ep_deps_session_free(s);
    /* Everything the trees show still reads the same. */
    char *after = json_of(a);
    cr_assert(eq(str, before, after));
    const ep_deps_lib *gone = must_have(a, "libfxl_gone.so.1");
    cr_assert(gone->path == NULL);
    cr_assert(gone->ntried > 0);
    cr_assert(eq(sz, ep_deps_missing_version_count(b), 1));
    assert_str_eq(ep_deps_missing_version(b, 0)->version, "GLIBC_2.99");
    assert_str_eq(ep_deps_unresolved(b, 0)->name, "fxc_new");
    ep_free(before);
    ep_free(after);
    ep_deps_free(b);
    ep_deps_free(a);
}

Test(loader, a_parked_library_named_as_a_root_gives_the_fresh_tree)
{
    /* A batch meets a library first as a dependency, parks it (descriptor
     * closed, tables freed), then is given it as a FILE by another name:
     * the new descriptor and first read go to the parked file. */
    ep_deps_options o = opts(NULL, NULL);
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_OK));
    ep_deps *mod = NULL, *in = NULL, *alone = NULL;
    cr_assert(eq(
        int, ep_deps_session_analyze(s, fx("versions/mod_fxv.so"), &mod, &err),
        EP_OK));
    must_have(mod, "libfxv.so");
    size_t parked = 0;
    for (ld_image *m = s->all; m != NULL; m = m->next_all) {
        ep_elf_symtab_trim(m->symtab);
        parked += m->symtab != NULL && !ep_elf_symtab_is_open(m->symtab);
    }
    cr_assert(parked > 0);
    char dir[] = "/tmp/ep-adopt-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char alias[sizeof(dir) + 16];
    snprintf(alias, sizeof(alias), "%s/alias.so", dir);
    char *lib = realpath(fx("versions/libfxv.so"), NULL);
    cr_assert(lib != NULL);
    cr_assert(eq(int, symlink(lib, alias), 0));
    cr_assert(eq(int, ep_deps_session_analyze(s, alias, &in, &err), EP_OK),
              "%s", err.message);
    cr_assert(eq(int, ep_deps_analyze(alias, &o, &alone, &err), EP_OK));
    char *a = json_of(in), *b = json_of(alone);
    cr_assert(eq(str, a, b));
    ep_free(a);
    ep_free(b);
    ep_deps_free(in);
    ep_deps_free(alone);
    ep_deps_free(mod);
    ep_deps_session_free(s);
    unlink(alias);
    rmdir(dir);
    free(lib);
}

/* One symbol as a walk reports it. */
typedef struct seen_sym {
    char name[512];
    uint32_t index;
    uint16_t versym;
    unsigned char bind, type;
} seen_sym;

typedef struct seen {
    seen_sym *v;
    size_t n, cap;
    bool undefined_only;
    size_t total; /* the walk's own count, when it gives one */
} seen;

static bool
record_sym(const char *name, const ep_elf_symcand *c, void *ctx)
{
    seen *w = ctx;
    if (w->undefined_only && c->shndx != 0) {
        return false;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 256;
        w->v = realloc(w->v, w->cap * sizeof(*w->v));
        cr_assert(w->v != NULL);
    }
    seen_sym *e = &w->v[w->n++];
    w->total = c->total;
    snprintf(e->name, sizeof(e->name), "%s", name);
    cr_assert(eq(sz, c->namelen, strlen(name)), "%s", name);
    e->index = c->index;
    e->versym = c->versym;
    e->bind = c->bind;
    e->type = c->type;
    return false;
}

/* Walk path's symbols twice: every symbol (keeping the undefined ones) into
 * *all, the undefined walk into *und; both statuses must be want. */
static void
walk_both(const char *path, seen *all, seen *und, ep_status want)
{
    for (int pass = 0; pass < 2; pass++) {
        ep_elf_symtab *t = NULL;
        int errnum = 0;
        const ep_elf_dynfacts *facts = NULL;
        const char *why = NULL;
        cr_assert(eq(int,
                     ep_elf_symtab_openfile(path, false, &t, &errnum, NULL),
                     EP_OK));
        cr_assert(ep_elf_symtab_load(t, &facts, &why), "%s", path);
        cr_assert(eq(int,
                     ep_elf_symtab_each(t, pass == 1, record_sym,
                                        pass == 0 ? all : und),
                     want),
                  "%s", path);
        ep_elf_symtab_close(t);
    }
}

Test(loader, the_undefined_walk_names_what_the_whole_walk_names)
{
    /* The walk of the undefined symbols reads their names in runs of the
     * string table, the walk of every symbol name by name: the same
     * symbols, names and versions, in table order, over real objects. */
    const char *paths[] = {
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/x86_64-linux-gnu/libLLVM-14.0.6.so.1",
        "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
        "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
    };
    size_t compared = 0;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (access(paths[i], R_OK) != 0) {
            continue;
        }
        seen all = {NULL, 0, 0, true, 0}, und = {NULL, 0, 0, false, 0};
        walk_both(paths[i], &all, &und, EP_OK);
        cr_assert(und.n > 0, "%s has undefined symbols", paths[i]);
        cr_assert(eq(sz, und.n, all.n), "%s", paths[i]);
        /* The count callers size their arrays by. */
        cr_assert(eq(sz, und.total, und.n), "%s", paths[i]);
        /* Read ahead with a look for a needle on the way (the string table
         * read whole, in stretches): the same walk, and the look's answer
         * is the one the look alone gives. */
        const char *needles[] = {"PyInit_", "GLIBC_2.2", "no\x01such"};
        for (size_t k = 0; k < 3; k++) {
            seen ahead = {NULL, 0, 0, false, 0};
            ep_elf_symtab *t = NULL;
            int errnum = 0;
            const ep_elf_dynfacts *facts = NULL;
            const char *why = NULL;
            cr_assert(eq(
                int, ep_elf_symtab_openfile(paths[i], false, &t, &errnum, NULL),
                EP_OK));
            cr_assert(ep_elf_symtab_load(t, &facts, &why));
            bool has = !ep_elf_symtab_strings_contain(t, needles[k]);
            cr_assert(ep_elf_symtab_undefined_ahead(t, needles[k], &has));
            cr_assert(
                eq(int, has, ep_elf_symtab_strings_contain(t, needles[k])),
                "%s: %s", paths[i], needles[k]);
            cr_assert(eq(int, ep_elf_symtab_each(t, true, record_sym, &ahead),
                         EP_OK));
            cr_assert(eq(sz, ahead.n, und.n), "%s", paths[i]);
            for (size_t m = 0; m < und.n; m++) {
                cr_assert(eq(str, ahead.v[m].name, und.v[m].name));
                cr_assert(eq(u16, ahead.v[m].versym, und.v[m].versym));
            }
            ep_elf_symtab_close(t);
            free(ahead.v);
        }
        for (size_t k = 0; k < und.n; k++) {
            cr_assert(eq(str, und.v[k].name, all.v[k].name), "%s", paths[i]);
            cr_assert(eq(u32, und.v[k].index, all.v[k].index));
            cr_assert(eq(u16, und.v[k].versym, all.v[k].versym));
            cr_assert(und.v[k].bind == all.v[k].bind &&
                      und.v[k].type == all.v[k].type);
        }
        compared++;
        free(all.v);
        free(und.v);
    }
    cr_assert(compared >= 2, "libc and libstdc++ at least");
}

/* Copy src to dst with symbol sym's st_name of .dynsym pointed past the
 * string table (the section headers find it; the loader never reads them). */
static void
break_symbol_name(const char *src, const char *dst, size_t sym)
{
    FILE *in = fopen(src, "rb");
    cr_assert(in != NULL, "%s", src);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    Elf64_Ehdr eh;
    cr_assert(n > sizeof(eh) && n < sizeof(buf));
    memcpy(&eh, buf, sizeof(eh));
    bool done = false;
    for (size_t i = 0; i < eh.e_shnum && !done; i++) {
        Elf64_Shdr sh;
        memcpy(&sh, buf + eh.e_shoff + i * sizeof(sh), sizeof(sh));
        if (sh.sh_type == SHT_DYNSYM) {
            uint32_t bad = 0x7ffffff0u;
            memcpy(buf + sh.sh_offset + sym * sizeof(Elf64_Sym), &bad,
                   sizeof(bad));
            done = true;
        }
    }
    cr_assert(done, "%s has no .dynsym", src);
    FILE *out = fopen(dst, "wb");
    cr_assert(out != NULL && fwrite(buf, 1, n, out) == n);
    fclose(out);
}

Test(loader, an_unreadable_undefined_name_stops_both_walks_at_the_same_place)
{
    /* mod_undef.so (gcc-built) with the name of .dynsym entry 4
     * (__gmon_start__, undefined) outside the string table: both walks
     * give entries 1-3 and then "malformed"; deps binds what it got and
     * says the table is unreadable. */
    char dir[] = "/tmp/ep-badname-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char bad[sizeof(dir) + 16];
    snprintf(bad, sizeof(bad), "%s/mod_bad.so", dir);
    break_symbol_name(fx("undef/mod_undef.so"), bad, 4);
    seen all = {NULL, 0, 0, true, 0}, und = {NULL, 0, 0, false, 0};
    walk_both(bad, &all, &und, EP_ERR_MALFORMED);
    cr_assert(eq(sz, all.n, 3));
    cr_assert(eq(sz, und.n, 3));
    for (size_t k = 0; k < 3; k++) {
        cr_assert(eq(str, und.v[k].name, all.v[k].name));
        cr_assert(eq(u32, und.v[k].index, (uint32_t)(k + 1)));
    }
    assert_str_eq(und.v[2].name, "fxl_nowhere");
    free(all.v);
    free(und.v);

    ep_deps_options o = opts(NULL, NULL);
    o.python = NULL;
    ep_deps *d = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_analyze(bad, &o, &d, &err), EP_OK), "%s",
              err.message);
    ep_strlist notes = ep_deps_notes(d);
    bool said = false;
    for (size_t i = 0; i < notes.count; i++) {
        said |=
            strstr(notes.items[i], "dynamic symbol table unreadable") != NULL;
    }
    cr_assert(said, "the note names the unreadable table");
    cr_assert(eq(sz, ep_deps_unresolved_count(d), 1));
    assert_str_eq(ep_deps_unresolved(d, 0)->name, "fxl_nowhere");
    ep_deps_free(d);
    unlink(bad);
    rmdir(dir);
}

/* Write text to path with mode. */
static void
write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    cr_assert(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
    cr_assert(eq(int, chmod(path, mode), 0));
}

Test(loader, session_refuses_a_wrapper_script_without_running_it)
{
    /* A wrapper of no known kind: which interpreter it starts cannot be
     * known without running it, and nothing is run: one clear error. */
    char dir[] = "/tmp/ep-session-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char shim[256], log[256], text[512];
    snprintf(shim, sizeof(shim), "%s/python3", dir);
    snprintf(log, sizeof(log), "%s/runs", dir);
    snprintf(text, sizeof(text),
             "#!/bin/sh\necho run >> '%s'\nexec /usr/bin/python3 \"$@\"\n",
             log);
    write_file(shim, text, 0755);
    ep_deps_options o = opts(shim, NULL);
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_ERR_INTERP));
    cr_assert(strstr(err.message, shim) != NULL &&
                  strstr(err.message, "neither a pyenv shim nor") != NULL,
              "%s", err.message);
    cr_assert(eq(int, access(log, F_OK), -1), "the wrapper was run");
    unlink(shim);
    rmdir(dir);
}

/* Without --python (plain_unless_extension) the interpreter is modelled
 * at the first extension: a plain library never needs it, so a python3
 * that cannot be modelled fails only the extension, and is never run. */
Test(loader, session_models_the_interpreter_only_for_an_extension)
{
    char dir[] = "/tmp/ep-lazy-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char shim[256], log[256], text[512];
    snprintf(shim, sizeof(shim), "%s/python3", dir);
    snprintf(log, sizeof(log), "%s/runs", dir);
    snprintf(text, sizeof(text),
             "#!/bin/sh\necho run >> '%s'\nexec /usr/bin/python3 \"$@\"\n",
             log);
    write_file(shim, text, 0755);
    ep_deps_options o = opts(shim, NULL);
    o.plain_unless_extension = true;
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_OK), "%s",
              err.message);
    ep_deps *d = NULL;
    cr_assert(eq(int,
                 ep_deps_session_analyze(s, fx("rpath/mod_rpath.so"), &d, &err),
                 EP_OK),
              "%s", err.message);
    cr_assert(ep_deps_interpreter(d) == NULL, "a library got an interpreter");
    ep_deps_free(d);
    d = NULL;
    char mod[4096];
    snprintf(mod, sizeof(mod), "%s/fxmod.cpython-311-x86_64-linux-gnu.so",
             EP_FIXTURE_DIR);
    cr_assert(
        eq(int, ep_deps_session_analyze(s, mod, &d, &err), EP_ERR_INTERP));
    cr_assert(d == NULL);
    cr_assert(strstr(err.message, shim) != NULL &&
                  strstr(err.message, "neither a pyenv shim nor") != NULL,
              "%s", err.message);
    ep_deps_session_free(s);
    cr_assert(eq(int, access(log, F_OK), -1), "the wrapper was run");
    unlink(shim);
    rmdir(dir);
}

/* A pyenv tree of our own: PYENV_ROOT/versions/<v>/bin/python3 linking
 * to an ELF executable each (which one shows which version was taken),
 * and a shim exactly as pyenv-rehash writes it
 * (its libexec/pyenv does not exist: running the shim would fail). */
static void
make_pyenv(const char *root, const char *const *versions,
           const char *const *targets, size_t n)
{
    char p[512], text[1024];
    snprintf(p, sizeof(p), "%s/shims", root);
    cr_assert(eq(int, mkdir(p, 0755), 0));
    snprintf(p, sizeof(p), "%s/versions", root);
    cr_assert(eq(int, mkdir(p, 0755), 0));
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof(p), "%s/versions/%s", root, versions[i]);
        cr_assert(eq(int, mkdir(p, 0755), 0));
        snprintf(p, sizeof(p), "%s/versions/%s/bin", root, versions[i]);
        cr_assert(eq(int, mkdir(p, 0755), 0));
        snprintf(p, sizeof(p), "%s/versions/%s/bin/python3", root, versions[i]);
        cr_assert(eq(int, symlink(targets[i], p), 0));
    }
    snprintf(p, sizeof(p), "%s/shims/python3", root);
    snprintf(text, sizeof(text),
             "#!/usr/bin/env bash\nset -e\n[ -n \"$PYENV_DEBUG\" ] && set -x\n"
             "\nprogram=\"${0##*/}\"\n\nexport PYENV_ROOT=\"%s\"\n"
             "exec \"%s/libexec/pyenv\" exec \"$program\" \"$@\"\n",
             root, root);
    write_file(p, text, 0755);
}

/* The interpreter a session models for python, or its error. */
static const char *
modelled_exe(const char *python, char *buf, size_t size)
{
    ep_deps_options o = opts(python, NULL);
    ep_deps_session *s = NULL;
    ep_deps *d = NULL;
    ep_error err;
    if (ep_deps_session_new(&o, &s, &err) != EP_OK) {
        snprintf(buf, size, "error: %s", err.message);
        return buf;
    }
    cr_assert(eq(int,
                 ep_deps_session_analyze(s, fx("rpath/mod_rpath.so"), &d, &err),
                 EP_OK));
    snprintf(buf, size, "%s", ep_deps_interpreter(d));
    ep_deps_free(d);
    ep_deps_session_free(s);
    return buf;
}

Test(loader, session_follows_a_pyenv_shim_by_pyenv_rules)
{
    char root[] = "/tmp/ep-pyenv-XXXXXX";
    cr_assert(mkdtemp(root) != NULL);
    const char *const versions[] = {"3.99.1", "3.99.12", "3.98.0", "3.99.13a1"};
    const char *const targets[] = {"/bin/true", "/usr/bin/python3",
                                   "/bin/false", "/bin/true"};
    make_pyenv(root, versions, targets, 4);
    char shim[512], file[512], want[4096], other[4096], got[4096];
    char old_cwd[4096];
    snprintf(shim, sizeof(shim), "%s/shims/python3", root);
    cr_assert(realpath("/usr/bin/python3", want) != NULL);
    cr_assert(realpath("/bin/false", other) != NULL);
    cr_assert(getcwd(old_cwd, sizeof(old_cwd)) != NULL);
    cr_assert(eq(int, chdir(root), 0));
    unsetenv("PYENV_DIR");

    /* PYENV_VERSION first; a prefix means its newest installed version,
     * numerically (3.99.12 over 3.99.1), pre-releases left out. */
    setenv("PYENV_VERSION", "3.99", 1);
    assert_str_eq(modelled_exe(shim, got, sizeof(got)), want);
    /* Not installed, and no system python3 on PATH after the shims: the
     * error pyenv gives, naming the version and where it was set. */
    setenv("PYENV_VERSION", "3.42", 1);
    char *path = strdup(getenv("PATH"));
    setenv("PATH", "/nonexistent", 1);
    modelled_exe(shim, got, sizeof(got));
    setenv("PATH", path, 1);
    free(path);
    cr_assert(strstr(got, "3.42 is not installed") != NULL &&
                  strstr(got, "PYENV_VERSION") != NULL,
              "%s", got);
    unsetenv("PYENV_VERSION");

    /* Then .python-version from the working directory upwards ... */
    snprintf(file, sizeof(file), "%s/versions/sub", root);
    cr_assert(eq(int, mkdir(file, 0755), 0));
    snprintf(file, sizeof(file), "%s/.python-version", root);
    write_file(file, "# pinned\n3.98.0\n", 0644);
    snprintf(file, sizeof(file), "%s/versions/sub", root);
    cr_assert(eq(int, chdir(file), 0));
    assert_str_eq(modelled_exe(shim, got, sizeof(got)), other);
    /* ... then $(pyenv root)/version; an unknown version falls back to the
     * next one on PATH after the shims (pyenv-which's `system`). */
    snprintf(file, sizeof(file), "%s/.python-version", root);
    unlink(file);
    snprintf(file, sizeof(file), "%s/version", root);
    write_file(file, "system\n", 0644);
    char *saved = strdup(getenv("PATH"));
    char shims_first[1200];
    snprintf(shims_first, sizeof(shims_first), "%s/shims:/usr/bin:/bin", root);
    setenv("PATH", shims_first, 1);
    assert_str_eq(modelled_exe(shim, got, sizeof(got)), want);
    setenv("PATH", saved, 1);
    free(saved);
    cr_assert(eq(int, chdir(old_cwd), 0));
    char cmd[1100];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    cr_assert(eq(int, system(cmd), 0));
}

Test(loader, session_rejects_null_arguments)
{
    ep_error err;
    ep_deps *d = (ep_deps *)(uintptr_t)1;
    cr_assert(eq(int, ep_deps_session_analyze(NULL, "x", &d, &err),
                 EP_ERR_INVALID_ARG));
    cr_assert(
        eq(int, ep_deps_session_new(NULL, NULL, &err), EP_ERR_INVALID_ARG));
    ep_deps_session_free(NULL);
}

/* .dynstr of path as its section headers say (the reader never uses
 * them): its bytes in a fresh buffer, *n of them; NULL without one. */
static unsigned char *
dynstr_of(const char *path, size_t *n)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        return NULL;
    }
    Elf64_Ehdr eh;
    unsigned char *out = NULL;
    if (fread(&eh, sizeof(eh), 1, in) == 1) {
        for (size_t i = 0; i < eh.e_shnum && out == NULL; i++) {
            Elf64_Shdr sh;
            cr_assert(
                fseek(in, (long)(eh.e_shoff + i * sizeof(sh)), SEEK_SET) == 0 &&
                fread(&sh, sizeof(sh), 1, in) == 1);
            if (sh.sh_type == SHT_DYNSYM) {
                Elf64_Shdr str;
                cr_assert(fseek(in,
                                (long)(eh.e_shoff + sh.sh_link * sizeof(str)),
                                SEEK_SET) == 0 &&
                          fread(&str, sizeof(str), 1, in) == 1);
                out = malloc(str.sh_size);
                cr_assert(out != NULL);
                cr_assert(fseek(in, (long)str.sh_offset, SEEK_SET) == 0 &&
                          fread(out, 1, str.sh_size, in) == str.sh_size);
                *n = str.sh_size;
            }
        }
    }
    fclose(in);
    return out;
}

Test(loader, the_string_table_search_finds_what_memmem_finds)
{
    /* The "PyInit_" look through DT_STRTAB reads it in chunks and tests 16
     * positions at a time: every 7-byte piece around each 64 KiB boundary
     * and at the table's end must be found, and pieces memmem does not
     * find must not be, over real objects. */
    const char *paths[] = {
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/x86_64-linux-gnu/libLLVM-14.0.6.so.1",
        "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0",
        "/lib/x86_64-linux-gnu/libc.so.6",
    };
    size_t tables = 0, found = 0, absent = 0;
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        size_t n = 0;
        unsigned char *str = dynstr_of(paths[i], &n);
        if (str == NULL) {
            continue;
        }
        ep_elf_symtab *t = NULL;
        int errnum = 0;
        const ep_elf_dynfacts *facts = NULL;
        const char *why = NULL;
        cr_assert(eq(int,
                     ep_elf_symtab_openfile(paths[i], false, &t, &errnum, NULL),
                     EP_OK));
        cr_assert(ep_elf_symtab_load(t, &facts, &why), "%s", paths[i]);
        /* Around each multiple of 64 KiB and of 64 KiB - 6 (where the
         * chunks, overlapping by a needle's length - 1, start), and the
         * last bytes. */
        for (size_t base = 0; base < n + 65536; base += 65530) {
            for (size_t step = 0; step < 2; step++) {
                size_t mid = base + step * (base / 65530) * 6;
                size_t from = mid > 24 ? mid - 24 : 0;
                size_t to = mid + 8 < n - 7 ? mid + 8 : n - 7;
                if (base >= n) {
                    from = n - 40, to = n - 7;
                }
                for (size_t at = from; at <= to; at++) {
                    char needle[8];
                    memcpy(needle, str + at, 7);
                    needle[7] = '\0';
                    if (strlen(needle) < 7) {
                        continue; /* the search takes a C string */
                    }
                    cr_assert(ep_elf_symtab_strings_contain(t, needle),
                              "%s: '%s' at %zu of %zu", paths[i], needle, at,
                              n);
                    found++;
                    /* The same with its last byte changed: found exactly
                     * when memmem finds it. */
                    for (int c = 1; c < 4; c++) {
                        needle[6] = (char)(needle[6] ^ (c << 5));
                        bool want = memmem(str, n, needle, 7) != NULL;
                        cr_assert(eq(int,
                                     ep_elf_symtab_strings_contain(t, needle),
                                     want),
                                  "%s: '%s'", paths[i], needle);
                        absent += !want;
                    }
                }
            }
        }
        bool pyinit = memmem(str, n, "PyInit_", 7) != NULL;
        cr_assert(eq(int, ep_elf_symtab_strings_contain(t, "PyInit_"), pyinit));
        ep_elf_symtab_close(t);
        free(str);
        tables++;
    }
    cr_assert(tables >= 2, "libc and libstdc++ at least");
    cr_assert(found > 100 && absent > 100, "%zu found, %zu absent", found,
              absent);
}
