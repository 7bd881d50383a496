/*
 * The interpreter process around the dlopen(): what it has already loaded
 * satisfies names by SONAME, its executable's DT_RPATH applies to the
 * module's needs (unless the module has a DT_RUNPATH), and a file the
 * process cannot load at all is said so. The oracle is exe/fxdlopen, a
 * stand-in interpreter that dlopen()s the file in a child process.
 */
#include "loader_oracle.h"

static ep_deps *
under_fxdlopen(const char *rel)
{
    ep_deps_options o = opts(NULL, NULL);
    o.executable = fx("exe/fxdlopen");
    return analyze(rel, &o);
}

Test(loader, interpreter_rpath_applies_to_module_dependencies)
{
    ep_deps *d = under_fxdlopen("exe/mod_exe.so");
    const ep_deps_lib *e = must_have(d, "libfxe.so");
    assert_str_eq(e->path, fx("exe/exe_rp/libfxe.so"));
    cr_assert(eq(int, e->how, EP_DEPS_RPATH));
    assert_str_eq(e->how_from, fx("exe/fxdlopen"));
    cr_assert(ep_deps_ok(d));
    char *r = real_dlopen(fx("exe/mod_exe.so"));
    cr_assert(strncmp(r, "ok\n", 3) == 0, "%s", r);
    cr_assert(strstr(r, fx("exe/exe_rp/libfxe.so")) != NULL, "%s", r);
    free(r);
    ep_deps_free(d);
}

Test(loader, libraries_loaded_by_the_interpreter_satisfy_by_soname)
{
    ep_deps *d = under_fxdlopen("exe/mod_exe.so");
    const ep_deps_lib *s = must_have(d, "libfxs.so.1");
    cr_assert(eq(int, s->how, EP_DEPS_LOADED));
    assert_str_eq(s->path, fx("exe/exe_rp/libfxs.so.1"));
    /* The process list: the executable first, then what it loaded. */
    cr_assert(ep_deps_process_count(d) >= 3);
    assert_str_eq(ep_deps_process(d, 0)->path, fx("exe/fxdlopen"));
    assert_str_eq(ep_deps_interpreter(d), fx("exe/fxdlopen"));
    ep_deps_free(d);
}

Test(loader, module_runpath_switches_off_the_interpreter_rpath)
{
    ep_deps *d = under_fxdlopen("exe/mod_exe_run.so");
    cr_assert(must_have(d, "libfxe.so")->path == NULL);
    cr_assert(eq(int, must_have(d, "libfxs.so.1")->how, EP_DEPS_LOADED));
    cr_assert(not(ep_deps_ok(d)));
    char *r = real_dlopen(fx("exe/mod_exe_run.so"));
    cr_assert(strstr(r, "error: libfxe.so: cannot open shared object file") !=
                  NULL,
              "%s", r);
    free(r);
    ep_deps_free(d);
}

Test(loader, standalone_has_no_interpreter_libraries)
{
    ep_deps *d = standalone("exe/mod_exe.so");
    cr_assert(ep_deps_interpreter(d) == NULL);
    cr_assert(eq(sz, ep_deps_process_count(d), 0));
    cr_assert(must_have(d, "libfxe.so")->path == NULL);
    cr_assert(must_have(d, "libfxs.so.1")->path == NULL);
    ep_deps_free(d);
}

Test(loader, nodeflib_library_already_loaded_by_python)
{
    if (access(fx("nodeflib/mod_nodeflib.so"), F_OK) != 0) {
        cr_skip_test("no gold linker: ld.bfd cannot set DF_1_NODEFLIB");
    }
    if (access("/usr/bin/python3", X_OK) != 0) {
        cr_skip_test("no /usr/bin/python3");
    }
    /* Debian's python3 needs libz.so.1 itself: inside it, the NODEFLIB
     * module's libz.so.1 and libc.so.6 are already there. */
    ep_deps_options o = opts("/usr/bin/python3", NULL);
    ep_deps *d = analyze("nodeflib/mod_nodeflib.so", &o);
    cr_assert(eq(int, must_have(d, "libz.so.1")->how, EP_DEPS_LOADED));
    cr_assert(eq(int, must_have(d, "libc.so.6")->how, EP_DEPS_LOADED));
    cr_assert(ep_deps_ok(d));
    ep_deps_free(d);
}

Test(loader, python_shim_is_asked_for_its_executable)
{
    /* A pyenv shim is a shell script: its executable is only known by
     * asking it. */
    const char *home = getenv("HOME");
    char shim[4096];
    snprintf(shim, sizeof(shim), "%s/.pyenv/shims/python3", home ? home : "/");
    if (access(shim, X_OK) != 0) {
        cr_skip_test("no pyenv shim at %s", shim);
    }
    ep_deps_options o = opts(shim, NULL);
    ep_deps *d = analyze("rpath/mod_rpath.so", &o);
    cr_assert(ep_deps_interpreter(d) != NULL);
    cr_assert(strstr(ep_deps_interpreter(d), "/.pyenv/versions/") != NULL, "%s",
              ep_deps_interpreter(d));
    /* pyenv builds are shared: libpython is among the loaded objects. */
    bool libpython = false;
    for (size_t i = 0; i < ep_deps_process_count(d); i++) {
        const ep_deps_lib *p = ep_deps_process(d, i);
        libpython |= p->soname && strncmp(p->soname, "libpython", 9) == 0;
    }
    cr_assert(libpython);
    cr_assert(ep_deps_ok(d));
    ep_deps_free(d);
}

Test(loader, python_not_on_path_is_a_probe_failure)
{
    ep_deps_options o = opts("no-such-python-xyz", NULL);
    ep_deps *d = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_analyze(fx("rpath/mod_rpath.so"), &o, &d, &err),
                 EP_ERR_INTERP));
    cr_assert(d == NULL);
    cr_assert(strstr(err.message, "no-such-python-xyz") != NULL);
}

Test(loader, wrong_class_root_cannot_be_loaded)
{
    ep_deps_options o = opts(NULL, NULL);
    o.executable = fx("exe/fxdlopen");
    ep_deps *d = analyze("wrongclass/w32/libfxw.so", &o);
    assert_str_eq(ep_deps_root(d)->error, "wrong ELF class: ELFCLASS32");
    cr_assert(not(ep_deps_ok(d)));
    char *r = real_dlopen(fx("wrongclass/w32/libfxw.so"));
    cr_assert(strstr(r, "wrong ELF class: ELFCLASS32") != NULL, "%s", r);
    free(r);
    ep_deps_free(d);
}

Test(loader, foreign_machine_root_gets_the_misleading_enoent_explained)
{
    if (access(fx("wrongclass/wa64/libfxw.so"), F_OK) != 0) {
        cr_skip_test("no aarch64 cross compiler");
    }
    ep_deps_options o = opts(NULL, NULL);
    o.executable = fx("exe/fxdlopen");
    ep_deps *d = analyze("wrongclass/wa64/libfxw.so", &o);
    const char *e = ep_deps_root(d)->error;
    cr_assert(e != NULL);
    cr_assert(strstr(e, "No such file or directory") != NULL, "%s", e);
    cr_assert(strstr(e, "aarch64") != NULL, "%s", e);
    char *r = real_dlopen(fx("wrongclass/wa64/libfxw.so"));
    cr_assert(strstr(r, "No such file or directory") != NULL, "%s", r);
    free(r);
    ep_deps_free(d);
}

Test(loader, an_executable_cannot_be_dlopened)
{
    ep_deps_options o = opts(NULL, NULL);
    o.executable = fx("exe/fxdlopen");
    ep_deps *d = analyze("exe/fxdlopen", &o);
    cr_assert(ep_deps_root(d)->error != NULL);
    cr_assert(strstr(ep_deps_root(d)->error, "cannot dynamically load") != NULL,
              "%s", ep_deps_root(d)->error);
    char *r = real_dlopen(fx("exe/fxdlopen"));
    cr_assert(strstr(r, "cannot dynamically load") != NULL, "%s", r);
    free(r);
    ep_deps_free(d);
}

Test(loader, a_text_file_is_not_an_elf_object)
{
    ep_deps_options o = opts(NULL, NULL);
    o.executable = fx("exe/fxdlopen");
    ep_deps *d = analyze("badelf/bad/libfxbad.so", &o);
    assert_str_eq(ep_deps_root(d)->error, "invalid ELF header");
    char *r = real_dlopen(fx("badelf/bad/libfxbad.so"));
    cr_assert(strstr(r, "invalid ELF header") != NULL, "%s", r);
    free(r);
    ep_deps_free(d);
}
