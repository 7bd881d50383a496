/*
 * Versions and symbols: every version requirement checked against the
 * definitions of the library that resolves it (the highest one it has is
 * named when one is missing), and every undefined non-weak symbol of the
 * module looked up as ld.so binds it. Oracles: the trace mode's "version
 * `X' not found" and a real dlopen()'s "undefined symbol: X".
 */
#include "loader_oracle.h"

Test(loader, missing_version_names_the_highest_one_present)
{
    ep_deps *d = standalone("versions/mod_fxv.so");
    cr_assert(eq(sz, ep_deps_missing_version_count(d), 1));
    const ep_deps_version *m = ep_deps_missing_version(d, 0);
    assert_str_eq(m->library, "libfxv.so");
    assert_str_eq(m->version, "FXV_2");
    assert_str_eq(m->highest, "FXV_1");
    assert_str_eq(m->path, fx("versions/libfxv.so"));
    assert_str_eq(m->needed_by, fx("versions/mod_fxv.so"));
    cr_assert(not(ep_deps_ok(d)));
    char *t = real_trace(fx("versions/mod_fxv.so"), NULL);
    cr_assert(strstr(t, "version `FXV_2' not found") != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, glibc_too_new_is_a_missing_version)
{
    ep_deps *d = standalone("versions/mod_glibc99.so");
    cr_assert(eq(sz, ep_deps_missing_version_count(d), 1));
    const ep_deps_version *m = ep_deps_missing_version(d, 0);
    assert_str_eq(m->library, "libfxc.so.6");
    assert_str_eq(m->version, "GLIBC_2.99");
    assert_str_eq(m->highest, "GLIBC_2.36");
    /* The symbol needs that version, so it is unresolved as well. */
    cr_assert(eq(sz, ep_deps_unresolved_count(d), 1));
    assert_str_eq(ep_deps_unresolved(d, 0)->name, "fxc_new");
    assert_str_eq(ep_deps_unresolved(d, 0)->version, "GLIBC_2.99");
    char *t = real_trace(fx("versions/mod_glibc99.so"), NULL);
    cr_assert(strstr(t, "version `GLIBC_2.99' not found") != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, undefined_symbol_is_unresolved_and_weak_one_is_not)
{
    ep_deps *d = standalone("undef/mod_undef.so");
    cr_assert(eq(sz, ep_deps_unresolved_count(d), 1));
    const ep_deps_symbol *s = ep_deps_unresolved(d, 0);
    assert_str_eq(s->name, "fxl_nowhere");
    cr_assert(s->version == NULL);
    assert_str_eq(s->needed_by, fx("undef/mod_undef.so"));
    cr_assert(not(ep_deps_ok(d)));
    char *r = real_dlopen(fx("undef/mod_undef.so"));
    cr_assert(strstr(r, "undefined symbol: fxl_nowhere") != NULL, "%s", r);
    free(r);
    ep_deps_free(d);
}

Test(loader, versioned_libc_symbols_resolve)
{
    /* Every import of a real library binds to a versioned definition in
     * libc or its other dependencies. */
    ep_deps *d = standalone("rpath/mod_rpath.so");
    cr_assert(eq(sz, ep_deps_unresolved_count(d), 0));
    cr_assert(eq(sz, ep_deps_missing_version_count(d), 0));
    ep_deps_free(d);
}

Test(loader, python_symbols_come_from_the_interpreter)
{
    /* A Debian extension module imports Py* from the (static-libpython)
     * executable: resolved under python3, unresolved on its own. */
    const char *mod = "/usr/lib/python3.11/lib-dynload/_bz2.cpython-311-"
                      "x86_64-linux-gnu.so";
    if (access(mod, R_OK) != 0 || access("/usr/bin/python3", X_OK) != 0) {
        cr_skip_test("no Debian python3.11 with %s", mod);
    }
    ep_deps_options o = opts("/usr/bin/python3", NULL);
    ep_deps *d = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_analyze(mod, &o, &d, &err), EP_OK), "%s",
              err.message);
    cr_assert(eq(sz, ep_deps_unresolved_count(d), 0));
    cr_assert(ep_deps_ok(d));
    ep_deps_free(d);
    o = opts(NULL, NULL);
    cr_assert(eq(int, ep_deps_analyze(mod, &o, &d, &err), EP_OK), "%s",
              err.message);
    cr_assert(ep_deps_unresolved_count(d) > 0);
    bool py = false;
    for (size_t i = 0; i < ep_deps_unresolved_count(d); i++) {
        py |= strncmp(ep_deps_unresolved(d, i)->name, "Py", 2) == 0;
    }
    cr_assert(py);
    ep_deps_free(d);
}

Test(loader, symbols_option_off_skips_versions_and_symbols)
{
    ep_deps_options o = opts(NULL, NULL);
    o.symbols = false;
    ep_deps *d = analyze("versions/mod_fxv.so", &o);
    cr_assert(eq(sz, ep_deps_missing_version_count(d), 0));
    cr_assert(eq(sz, ep_deps_unresolved_count(d), 0));
    cr_assert(ep_deps_ok(d));
    ep_deps_free(d);
}
