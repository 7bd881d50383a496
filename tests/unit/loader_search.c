/*
 * Where each needed library is found, and by which rule: DT_RPATH of the
 * loader chain, LD_LIBRARY_PATH, DT_RUNPATH, the cache, the default
 * directories, $ORIGIN/$LIB/$PLATFORM, skipped and refused candidates.
 * Every test also asks the real loader (its trace mode, as ldd does) about
 * the same file and requires the same answer. Fixtures:
 * tests/fixtures/loader/build.py.
 */
#include "loader_oracle.h"

#include <errno.h>
#include <limits.h>

Test(loader, rpath_applies_to_dependencies_of_dependencies)
{
    ep_deps *d = standalone("rpath/mod_rpath.so");
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    const ep_deps_lib *leaf = must_have(d, "libfxl_leaf.so");
    assert_str_eq(mid->path, fx("rpath/dep/libfxl_mid.so"));
    cr_assert(eq(int, mid->how, EP_DEPS_RPATH));
    assert_str_eq(mid->how_from, fx("rpath/mod_rpath.so"));
    /* The leaf is needed by libfxl_mid.so, which has no path of its own:
     * the module's RPATH, one level up the loader chain, finds it. */
    assert_str_eq(leaf->path, fx("rpath/dep/libfxl_leaf.so"));
    cr_assert(eq(int, leaf->how, EP_DEPS_RPATH));
    assert_str_eq(leaf->how_from, fx("rpath/mod_rpath.so"));
    assert_str_eq(leaf->needed_by, fx("rpath/dep/libfxl_mid.so"));
    cr_assert(eq(sz, leaf->depth, 2));
    cr_assert(ep_deps_ok(d));
    char *t = real_trace(fx("rpath/mod_rpath.so"), NULL);
    cr_assert(trace_found(t, "libfxl_leaf.so", fx("rpath/dep/libfxl_leaf.so")),
              "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, runpath_is_not_inherited)
{
    ep_deps *d = standalone("rpath/mod_runpath.so");
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    const ep_deps_lib *leaf = must_have(d, "libfxl_leaf.so");
    cr_assert(eq(int, mid->how, EP_DEPS_RUNPATH));
    cr_assert(leaf->path == NULL);
    cr_assert(eq(int, leaf->how, EP_DEPS_NOT_FOUND));
    cr_assert(not(ep_deps_ok(d)));
    char *t = real_trace(fx("rpath/mod_runpath.so"), NULL);
    cr_assert(strstr(t, "libfxl_leaf.so: cannot open shared object file") ||
                  trace_not_found(t, "libfxl_leaf.so"),
              "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, runpath_hides_rpath_of_same_object)
{
    /* mod_both.so has DT_RPATH $ORIGIN/dep and DT_RUNPATH $ORIGIN/run. */
    ep_deps *d = standalone("rpath/mod_both.so");
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    assert_str_eq(mid->path, fx("rpath/run/libfxl_mid.so"));
    cr_assert(eq(int, mid->how, EP_DEPS_RUNPATH));
    /* Not even as an ancestor does the hidden RPATH apply. */
    cr_assert(must_have(d, "libfxl_leaf.so")->path == NULL);
    char *t = real_trace(fx("rpath/mod_both.so"), NULL);
    cr_assert(strstr(t, "libfxl_leaf.so: cannot open shared object file") ||
                  trace_not_found(t, "libfxl_leaf.so"),
              "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, ld_library_path_beats_runpath_but_not_rpath)
{
    const char *llp = fx("rpath/llp");
    ep_deps_options o = opts(NULL, llp);
    ep_deps *d = analyze("rpath/mod_runpath.so", &o);
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    assert_str_eq(mid->path, fx("rpath/llp/libfxl_mid.so"));
    cr_assert(eq(int, mid->how, EP_DEPS_LD_LIBRARY_PATH));
    char *t = real_trace(fx("rpath/mod_runpath.so"), llp);
    cr_assert(trace_found(t, "libfxl_mid.so", fx("rpath/llp/libfxl_mid.so")),
              "%s", t);
    free(t);
    ep_deps_free(d);

    d = analyze("rpath/mod_rpath.so", &o);
    mid = must_have(d, "libfxl_mid.so");
    assert_str_eq(mid->path, fx("rpath/dep/libfxl_mid.so"));
    cr_assert(eq(int, mid->how, EP_DEPS_RPATH));
    t = real_trace(fx("rpath/mod_rpath.so"), llp);
    cr_assert(trace_found(t, "libfxl_mid.so", fx("rpath/dep/libfxl_mid.so")),
              "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, ld_library_path_separators_and_empty_entries)
{
    /* ':' and ';' both separate; the value is split like an RPATH. */
    char llp[8192];
    snprintf(llp, sizeof(llp), "/nonexistent;%s:", fx("rpath/llp"));
    ep_deps_options o = opts(NULL, llp);
    ep_deps *d = analyze("rpath/mod_runpath.so", &o);
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    assert_str_eq(mid->path, fx("rpath/llp/libfxl_mid.so"));
    cr_assert(eq(sz, mid->ntried, 2));
    assert_str_eq(mid->tried[0].path, "/nonexistent");
    cr_assert(not(mid->tried[0].exists));
    ep_deps_free(d);
}

Test(loader, origin_expands_to_directory_of_loading_object)
{
    ep_deps *d = standalone("origin/pkg/mod_origin.so");
    const ep_deps_lib *a = must_have(d, "libfxo_a.so");
    /* ${ORIGIN}/../libs: ld.so joins, it does not normalise the "..". */
    assert_str_eq(a->path, fx("origin/pkg/../libs/libfxo_a.so"));
    char *real = realpath(a->path, NULL);
    assert_str_eq(real, fx("origin/libs/libfxo_a.so"));
    free(real);
    cr_assert(eq(int, a->how, EP_DEPS_RUNPATH));
    char *t = real_trace(fx("origin/pkg/mod_origin.so"), NULL);
    cr_assert(
        trace_found(t, "libfxo_a.so", fx("origin/pkg/../libs/libfxo_a.so")),
        "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, dst_in_needed_makes_a_path)
{
    ep_deps *d = standalone("origin/pkg/mod_origin.so");
    const char *want = fx("origin/pkg/sub/libfxo_b.so");
    const ep_deps_lib *b = must_have(d, want);
    assert_str_eq(b->path, want);
    cr_assert(eq(int, b->how, EP_DEPS_PATH));
    cr_assert(eq(sz, b->ntried, 0));
    char *t = real_trace(fx("origin/pkg/mod_origin.so"), NULL);
    char line[8192];
    snprintf(line, sizeof(line), "\t%s (", want);
    cr_assert(strstr(t, line) != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, lib_expands_to_the_multiarch_directory)
{
    ep_deps *d = standalone("origin/pkg2/mod_lib.so");
    const ep_deps_lib *a = must_have(d, "libfxo_a.so");
    const char *want = fx("origin/pkg2/lib/x86_64-linux-gnu/libfxo_a.so");
    assert_str_eq(a->path, want);
    char *t = real_trace(fx("origin/pkg2/mod_lib.so"), NULL);
    cr_assert(trace_found(t, "libfxo_a.so", want), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, platform_is_the_one_the_real_loader_uses)
{
    /* glibc 2.36 on Intel says "haswell" or "xeon_phi" where the kernel's
     * AT_PLATFORM says "x86_64"; whichever directory the real loader takes
     * is the one the emulation must take. */
    ep_deps *d = standalone("origin/pkg3/mod_plat.so");
    const ep_deps_lib *a = must_have(d, "libfxo_a.so");
    cr_assert(a->path != NULL);
    char *t = real_trace(fx("origin/pkg3/mod_plat.so"), NULL);
    cr_assert(trace_found(t, "libfxo_a.so", a->path), "%s\nemulated: %s", t,
              a->path);
    free(t);
    ep_deps_free(d);
}

Test(loader, platform_option_overrides_the_cpu)
{
    ep_deps_options o = opts(NULL, NULL);
    o.platform = "xeon_phi";
    ep_deps *d = analyze("origin/pkg3/mod_plat.so", &o);
    assert_str_eq(must_have(d, "libfxo_a.so")->path,
                  fx("origin/pkg3/plat/xeon_phi/libfxo_a.so"));
    ep_deps_free(d);
}

Test(loader, missing_library_lists_every_place_tried)
{
    ep_deps *d = standalone("missing/mod_missing.so");
    const ep_deps_lib *l = must_have(d, "libfxl_gone.so.1");
    cr_assert(l->path == NULL);
    /* $ORIGIN/nowhere (rpath), the cache, then the four default
     * directories of Debian's multiarch ld.so, in that order. */
    cr_assert(eq(sz, l->ntried, 6));
    assert_str_eq(l->tried[0].path, fx("missing/nowhere"));
    cr_assert(eq(int, l->tried[0].how, EP_DEPS_RPATH));
    cr_assert(not(l->tried[0].exists));
    assert_str_eq(l->tried[1].path, "/etc/ld.so.cache");
    cr_assert(eq(int, l->tried[1].how, EP_DEPS_LD_SO_CACHE));
    assert_str_eq(l->tried[2].path, "/lib/x86_64-linux-gnu");
    assert_str_eq(l->tried[3].path, "/usr/lib/x86_64-linux-gnu");
    assert_str_eq(l->tried[4].path, "/lib");
    assert_str_eq(l->tried[5].path, "/usr/lib");
    cr_assert(eq(int, l->tried[5].how, EP_DEPS_DEFAULT));
    cr_assert(not(ep_deps_ok(d)));
    char *t = real_trace(fx("missing/mod_missing.so"), NULL);
    cr_assert(trace_not_found(t, "libfxl_gone.so.1"), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, wrong_class_and_machine_are_skipped_and_reported)
{
    ep_deps *d = standalone("wrongclass/mod_wrong.so");
    const ep_deps_lib *l = must_have(d, "libfxw.so");
    assert_str_eq(l->path, fx("wrongclass/good/libfxw.so"));
    cr_assert(eq(sz, l->ntried, 3));
    cr_assert(l->nskipped >= 1);
    assert_str_eq(l->skipped[0].path, fx("wrongclass/w32/libfxw.so"));
    assert_str_eq(l->skipped[0].why, "wrong ELF class: ELFCLASS32");
    if (access(fx("wrongclass/wa64/libfxw.so"), F_OK) == 0) {
        cr_assert(eq(sz, l->nskipped, 2));
        assert_str_eq(l->skipped[1].path, fx("wrongclass/wa64/libfxw.so"));
        assert_str_eq(l->skipped[1].why, "wrong machine: aarch64");
    }
    char *t = real_trace(fx("wrongclass/mod_wrong.so"), NULL);
    cr_assert(trace_found(t, "libfxw.so", fx("wrongclass/good/libfxw.so")),
              "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, only_wrong_class_candidates_means_not_found)
{
    ep_deps *d = standalone("wrongclass/mod_wrong_only.so");
    const ep_deps_lib *l = must_have(d, "libfxw.so");
    cr_assert(l->path == NULL);
    cr_assert(l->nskipped >= 1);
    char *t = real_trace(fx("wrongclass/mod_wrong_only.so"), NULL);
    cr_assert(trace_not_found(t, "libfxw.so"), "%s", t);
    free(t);
    ep_deps_free(d);
}

/* mod (standalone) loads, its library name taken from want with nothing
 * skipped, as the real loader's trace says. */
static void
loads_as_real(const char *mod, const char *name, const char *want)
{
    ep_deps *d = standalone(mod);
    const ep_deps_lib *l = must_have(d, name);
    assert_str_eq(l->path, fx(want));
    cr_assert(l->error == NULL && l->nskipped == 0, "%s", mod);
    cr_assert(ep_deps_ok(d), "%s", mod);
    char *t = real_trace(fx(mod), NULL);
    cr_assert(trace_found(t, name, fx(want)), "%s", t);
    free(t);
    ep_deps_free(d);
}

/* glibc 2.36 no longer compares a library's ABI note with the kernel (nor
 * its OS word with Linux): the first candidate is taken, nothing skipped,
 * as the real loader's trace shows. */
Test(loader, abi_notes_are_not_checked)
{
    loads_as_real("abinote/mod_abinote.so", "libfxn.so",
                  "abinote/new/libfxn.so");
    loads_as_real("abinote/mod_abibsd.so", "libfxn.so",
                  "abinote/bsd/libfxn.so");
}

/* glibc 2.36 refuses an object with DT_RELR, a version requirement and a
 * libc.so.6 it needs, unless one requirement is GLIBC_ABI_DT_RELR (what
 * ld.bfd's -z pack-relative-relocs adds and lld's --pack-dyn-relocs=relr
 * does not): the library is REFUSED, the load fails, as the real loader
 * says; and a root of that kind cannot be loaded at all. */
Test(loader, dt_relr_needs_the_glibc_abi_dt_relr_requirement)
{
    loads_as_real("relr/mod_relr_bfd.so", "librelr_bfd.so",
                  "relr/librelr_bfd.so");
    if (access(fx("relr/mod_relr_lld.so"), F_OK) != 0) {
        cr_skip("no lld with --pack-dyn-relocs=relr to build the fixture");
    }
    const char *msg = "DT_RELR without GLIBC_ABI_DT_RELR dependency";
    ep_deps *d = standalone("relr/mod_relr_lld.so");
    const ep_deps_lib *l = must_have(d, "librelr_lld.so");
    assert_str_eq(l->path, fx("relr/librelr_lld.so"));
    assert_str_eq(l->error, msg);
    cr_assert(not(ep_deps_ok(d)));
    char *t = real_trace(fx("relr/mod_relr_lld.so"), NULL);
    cr_assert(strstr(t, msg) != NULL, "%s", t);
    free(t);
    t = real_dlopen(fx("relr/mod_relr_lld.so"));
    cr_assert(strstr(t, msg) != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
    d = standalone("relr/librelr_lld.so");
    assert_str_eq(ep_deps_root(d)->error, msg);
    cr_assert(not(ep_deps_ok(d)));
    t = real_trace(fx("relr/librelr_lld.so"), NULL);
    cr_assert(strstr(t, msg) != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, nodeflib_rejects_cache_entries_and_default_dirs)
{
    if (access(fx("nodeflib/mod_nodeflib.so"), F_OK) != 0) {
        cr_skip_test("no gold linker: ld.bfd cannot set DF_1_NODEFLIB");
    }
    ep_deps *d = standalone("nodeflib/mod_nodeflib.so");
    const ep_deps_lib *z = must_have(d, "libz.so.1");
    cr_assert(z->path == NULL);
    cr_assert(z->ntried >= 2);
    cr_assert(eq(int, z->tried[0].how, EP_DEPS_LD_SO_CACHE));
    cr_assert(z->tried[0].note != NULL &&
              strstr(z->tried[0].note, "DF_1_NODEFLIB"));
    cr_assert(must_have(d, "libc.so.6")->path == NULL);
    char *t = real_trace(fx("nodeflib/mod_nodeflib.so"), NULL);
    cr_assert(trace_not_found(t, "libz.so.1"), "%s", t);
    cr_assert(trace_not_found(t, "libc.so.6"), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, symlink_loop_ends_the_rpath_walk)
{
    /* rp1/libfxloop.so loops (ELOOP in an existing directory): ld.so stops
     * searching this RPATH, so rp2/libfxloop.so is never tried. */
    ep_deps *d = standalone("loop/mod_loop.so");
    const ep_deps_lib *l = must_have(d, "libfxloop.so");
    cr_assert(l->path == NULL);
    assert_str_eq(l->tried[0].path, fx("loop/rp1"));
    cr_assert(l->tried[0].note != NULL);
    cr_assert(strstr(l->tried[0].note, strerror(ELOOP)) != NULL, "%s",
              l->tried[0].note);
    cr_assert(eq(int, l->tried[1].how, EP_DEPS_LD_SO_CACHE));
    char *t = real_trace(fx("loop/mod_loop.so"), NULL);
    cr_assert(trace_not_found(t, "libfxloop.so"), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, overlong_rpath_entry_is_noted_and_passed)
{
    ep_deps *d = standalone("longpath/mod_long.so");
    assert_str_eq(must_have(d, "libfxl_leaf.so")->path,
                  fx("longpath/dep/libfxl_leaf.so"));
    ep_strlist notes = ep_deps_notes(d);
    bool noted = false;
    for (size_t i = 0; i < notes.count; i++) {
        noted |= strstr(notes.items[i], "longer than PATH_MAX") != NULL;
    }
    cr_assert(noted);
    cr_assert(ep_deps_ok(d));
    char *t = real_trace(fx("longpath/mod_long.so"), NULL);
    cr_assert(
        trace_found(t, "libfxl_leaf.so", fx("longpath/dep/libfxl_leaf.so")),
        "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, invalid_elf_header_is_fatal_not_skipped)
{
    ep_deps *d = standalone("badelf/mod_bad.so");
    const ep_deps_lib *l = must_have(d, "libfxbad.so");
    assert_str_eq(l->error, "invalid ELF header");
    assert_str_eq(l->path, fx("badelf/bad/libfxbad.so"));
    cr_assert(eq(sz, l->ntried, 1)); /* good/ is never reached */
    cr_assert(not(ep_deps_ok(d)));
    char *t = real_trace(fx("badelf/mod_bad.so"), NULL);
    cr_assert(strstr(t, "libfxbad.so: invalid ELF header") != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, short_file_is_too_short)
{
    ep_deps *d = standalone("badelf/mod_short.so");
    assert_str_eq(must_have(d, "libfxshort.so")->error, "file too short");
    char *t = real_trace(fx("badelf/mod_short.so"), NULL);
    cr_assert(strstr(t, "libfxshort.so: file too short") != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, glibc_hwcaps_subdirectory_is_preferred)
{
    ep_deps_options o = opts(NULL, NULL);
    o.hwcaps = "x86-64-v2";
    ep_deps *d = analyze("hwcaps/mod_hw.so", &o);
    assert_str_eq(must_have(d, "libfxh.so")->path,
                  fx("hwcaps/hw/glibc-hwcaps/x86-64-v2/libfxh.so"));
    ep_deps_free(d);
    o.hwcaps = "";
    d = analyze("hwcaps/mod_hw.so", &o);
    assert_str_eq(must_have(d, "libfxh.so")->path, fx("hwcaps/hw/libfxh.so"));
    ep_deps_free(d);
}

Test(loader, hwcaps_from_the_cpu_agree_with_the_real_loader)
{
    ep_deps *d = standalone("hwcaps/mod_hw.so");
    const char *got = must_have(d, "libfxh.so")->path;
    char *t = real_trace(fx("hwcaps/mod_hw.so"), NULL);
    cr_assert(trace_found(t, "libfxh.so", got), "%s\nemulated: %s", t, got);
    free(t);
    ep_deps_free(d);
}

Test(loader, legacy_hwcap_subdirectory_is_searched)
{
    /* glibc <= 2.36 still tries tls/, the platform and x86_64/ under every
     * directory. */
    ep_deps *d = standalone("hwcaps/mod_hw2.so");
    const char *got = must_have(d, "libfxh.so")->path;
    assert_str_eq(got, fx("hwcaps/hw2/x86_64/libfxh.so"));
    char *t = real_trace(fx("hwcaps/mod_hw2.so"), NULL);
    cr_assert(trace_found(t, "libfxh.so", got), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, needed_cycle_is_loaded_once_with_a_note)
{
    ep_deps *d = standalone("cycle/mod_cycle.so");
    cr_assert(ep_deps_ok(d));
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < ep_deps_library_count(d); i++) {
        const char *n = ep_deps_library(d, i)->name;
        na += strcmp(n, "libfxc_a.so") == 0;
        nb += strcmp(n, "libfxc_b.so") == 0;
    }
    cr_assert(eq(sz, na, 1));
    cr_assert(eq(sz, nb, 1));
    const ep_deps_lib *b = must_have(d, "libfxc_b.so");
    cr_assert(eq(sz, b->nneeded, 2)); /* libfxc_a.so and libc.so.6 */
    ep_strlist notes = ep_deps_notes(d);
    bool noted = false;
    for (size_t i = 0; i < notes.count; i++) {
        noted |= strstr(notes.items[i], "DT_NEEDED cycle") != NULL;
    }
    cr_assert(noted);
    char *t = real_trace(fx("cycle/mod_cycle.so"), NULL);
    cr_assert(trace_found(t, "libfxc_b.so", fx("cycle/libfxc_b.so")), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, load_order_is_breadth_first)
{
    ep_deps *d = standalone("rpath/mod_rpath.so");
    /* The root's own needs first (libfxl_mid.so, libc.so.6), then theirs. */
    assert_str_eq(ep_deps_library(d, 0)->name, "libfxl_mid.so");
    assert_str_eq(ep_deps_library(d, 1)->name, "libc.so.6");
    assert_str_eq(ep_deps_library(d, 2)->name, "libfxl_leaf.so");
    ep_deps_free(d);
}
