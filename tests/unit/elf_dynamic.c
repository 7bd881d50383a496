/*
 * The dynamic section as ld.so reads it: DT_NEEDED in order, DT_SONAME,
 * DT_RPATH / DT_RUNPATH split at ':', DT_FLAGS and DT_FLAGS_1 with their
 * names. Truth is the link line of each fixture (tests/fixtures/meson.build).
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

static void
assert_list(ep_strlist got, const char *const *want, size_t n)
{
    cr_assert(eq(sz, got.count, n));
    for (size_t i = 0; i < n; i++) {
        assert_str_eq(got.items[i], want[i]);
    }
}

static char *
fixture_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", EP_FIXTURE_DIR, name);
    return path;
}

static ep_object *
open_fixture(const char *name)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int, ep_object_open(fixture_path(name), &obj, &err), EP_OK),
              "%s", err.message);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s: %s", name,
              ep_object_reason(obj));
    return obj;
}

static const char *const fxlib_needed[] = {"libfxdep.so.1", "libm.so.6",
                                           "libc.so.6"};

Test(elf, needed_libraries_are_listed_in_link_order)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(in->has_dynamic);
    assert_list(in->needed, fxlib_needed, 3);
    assert_str_eq(in->soname, "libfxlib.so.2");
    ep_object_close(obj);
}

Test(elf, runpath_from_enable_new_dtags_is_split_at_colons)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_elf_info *in = ep_object_elf(obj);
    static const char *const want[] = {"$ORIGIN/../fxdeps", "/opt/fx/lib"};
    assert_list(in->runpath, want, 2);
    cr_assert(eq(sz, in->rpath.count, 0), "RUNPATH only, no RPATH");
    ep_object_close(obj);
}

Test(elf, rpath_from_disable_new_dtags_keeps_empty_entries)
{
    ep_object *obj = open_fixture("libfxlib-rpath.so");
    const ep_elf_info *in = ep_object_elf(obj);
    /* "/opt/fx/a::$ORIGIN/lib": the empty entry means the working
     * directory to ld.so, so it is kept, unexpanded like $ORIGIN. */
    static const char *const want[] = {"/opt/fx/a", "", "$ORIGIN/lib"};
    assert_list(in->rpath, want, 3);
    cr_assert(eq(sz, in->runpath.count, 0), "RPATH only, no RUNPATH");
    assert_list(in->needed, fxlib_needed, 3);
    assert_str_eq(in->soname, "libfxlib.so.2");
    ep_object_close(obj);
}

Test(elf, z_now_and_z_origin_set_both_flag_words)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_elf_info *in = ep_object_elf(obj);
    /* -z now, -z origin, and STATIC_TLS from the initial-exec fx_tls. */
    cr_assert(eq(u64, in->dt_flags, DF_ORIGIN | DF_BIND_NOW | DF_STATIC_TLS));
    cr_assert(eq(u64, in->dt_flags_1, DF_1_NOW | DF_1_ORIGIN));
    /* ORIGIN is in both words and named once. */
    static const char *const want[] = {"ORIGIN", "BIND_NOW", "STATIC_TLS",
                                       "NOW"};
    assert_list(in->flag_names, want, 4);
    ep_object_close(obj);
}

Test(elf, z_nodefaultlib_sets_nodeflib)
{
    if (!FX_HAVE_GOLD) {
        cr_skip_test("ld.gold missing: ld.bfd ignores -z nodeflib, so no "
                     "fixture carries DF_1_NODEFLIB");
    }
    ep_object *obj = open_fixture("libfxlib-rpath.so");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(u64, in->dt_flags_1, DF_1_NOW | DF_1_ORIGIN | DF_1_NODEFLIB));
    static const char *const want[] = {"ORIGIN", "BIND_NOW", "STATIC_TLS",
                                       "NOW", "NODEFLIB"};
    assert_list(in->flag_names, want, 5);
    ep_object_close(obj);
}

Test(elf, pie_is_flagged_pie)
{
    ep_object *obj = open_fixture("fxpie");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(u64, in->dt_flags, DF_BIND_NOW));
    cr_assert(eq(u64, in->dt_flags_1, DF_1_NOW | DF_1_PIE));
    static const char *const want[] = {"BIND_NOW", "NOW", "PIE"};
    assert_list(in->flag_names, want, 3);
    static const char *const libc[] = {"libc.so.6"};
    assert_list(in->needed, libc, 1);
    ep_object_close(obj);
}

Test(elf, plain_extension_needs_only_libc_and_has_no_search_path)
{
    char name[256];
    snprintf(name, sizeof(name), "fxmod%s", FX_EXT_SUFFIX);
    ep_object *obj = open_fixture(name);
    const ep_elf_info *in = ep_object_elf(obj);
    /* Extension modules do not link libpython on Linux. */
    static const char *const libc[] = {"libc.so.6"};
    assert_list(in->needed, libc, 1);
    cr_assert(in->soname == NULL);
    cr_assert(eq(sz, in->rpath.count, 0));
    cr_assert(eq(sz, in->runpath.count, 0));
    cr_assert(eq(u64, in->dt_flags_1, 0));
    cr_assert(eq(sz, in->flag_names.count, 0));
    ep_object_close(obj);
}

Test(elf, abi3_module_without_libc_calls_needs_nothing)
{
    ep_object *obj = open_fixture("fxabi3.abi3.so");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(in->has_dynamic);
    cr_assert(eq(sz, in->needed.count, 0));
    ep_object_close(obj);
}

Test(elf, elf32_dynamic_section_is_read)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    ep_object *obj = open_fixture("libfx32.so");
    const ep_elf_info *in = ep_object_elf(obj);
    assert_str_eq(in->soname, "libfx32.so");
    cr_assert(eq(sz, in->needed.count, 0), "-nostdlib: no DT_NEEDED");
    static const char *const want[] = {"/opt/fx32/lib"};
    assert_list(in->rpath, want, 1);
    cr_assert(eq(sz, in->runpath.count, 0));
    ep_object_close(obj);
}

Test(elf, big_endian_dynamic_section_is_read)
{
    if (!FX_HAVE_CLANG_LLD) {
        cr_skip_test("clang or ld.lld missing: no big-endian fixture");
    }
    ep_object *obj = open_fixture("libfxbe.so");
    const ep_elf_info *in = ep_object_elf(obj);
    assert_str_eq(in->soname, "libfxbe.so");
    cr_assert(eq(sz, in->needed.count, 0));
    static const char *const want[] = {"/opt/be", "/opt/be2"};
    assert_list(in->runpath, want, 2);
    cr_assert(eq(sz, in->rpath.count, 0));
    cr_assert(eq(u64, in->dt_flags, DF_BIND_NOW));
    cr_assert(eq(u64, in->dt_flags_1, DF_1_NOW));
    ep_object_close(obj);
}

Test(elf, aarch64_dynamic_section_is_read)
{
    if (!FX_HAVE_AARCH64) {
        cr_skip_test("aarch64-linux-gnu-gcc or Python.h missing: no fixture");
    }
    ep_object *obj = open_fixture("fxarm.cpython-311-aarch64-linux-gnu.so");
    static const char *const libc[] = {"libc.so.6"};
    assert_list(ep_object_elf(obj)->needed, libc, 1);
    ep_object_close(obj);
}

Test(elf, rust_cdylib_needs_its_runtime_libraries)
{
    if (!FX_HAVE_RUSTC) {
        cr_skip_test("rustc not found (PATH or ~/.cargo/bin): no fixture");
    }
    ep_object *obj = open_fixture("rsfx.abi3.so");
    const ep_elf_info *in = ep_object_elf(obj);
    bool libc = false;
    for (size_t i = 0; i < in->needed.count; i++) {
        libc = libc || strcmp(in->needed.items[i], "libc.so.6") == 0;
    }
    cr_assert(libc, "rsfx needs libc.so.6");
    ep_object_close(obj);
}

/* Without section headers (sstrip), the dynamic section is still found the
 * way ld.so finds it: PT_DYNAMIC and DT_STRTAB through the PT_LOADs. */
Test(elf, dynamic_section_is_read_without_section_headers)
{
    FILE *f = fopen(fixture_path("libfxlib.so.2"), "rb");
    cr_assert(f != NULL, "%s", strerror(errno));
    static unsigned char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    cr_assert(len > sizeof(Elf64_Ehdr) && len < sizeof(buf));
    Elf64_Ehdr e;
    memcpy(&e, buf, sizeof(e));
    e.e_shoff = 0;
    e.e_shnum = 0;
    e.e_shstrndx = 0;
    memcpy(buf, &e, sizeof(e));
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int,
                 ep_object_open_memory(buf, len, "sstripped.so", &obj, &err),
                 EP_OK));
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s",
              ep_object_reason(obj));
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, in->has_section_headers, false));
    cr_assert(in->stripped);
    assert_list(in->needed, fxlib_needed, 3);
    assert_str_eq(in->soname, "libfxlib.so.2");
    static const char *const want[] = {"$ORIGIN/../fxdeps", "/opt/fx/lib"};
    assert_list(in->runpath, want, 2);
    cr_assert(eq(u64, in->dt_flags_1, DF_1_NOW | DF_1_ORIGIN));
    /* Symbols come from .dynsym, found through section headers: none. */
    const ep_symbol *syms;
    size_t n;
    cr_assert(eq(int, ep_object_symbols(obj, &syms, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 0));
    ep_object_close(obj);
}

Test(elf, relocatable_object_has_no_dynamic_section)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(
        eq(int, ep_object_open(fixture_path("fxdep.o"), &obj, &err), EP_OK));
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, in->has_dynamic, false));
    cr_assert(eq(sz, in->needed.count, 0));
    cr_assert(in->soname == NULL);
    ep_object_close(obj);
}

Test(elf, executable_stack_request_is_reported)
{
    ep_object *obj = open_fixture("libfxexecstack.so");
    cr_assert(ep_object_elf(obj)->stack_flags >= 0, "PT_GNU_STACK present");
    cr_assert(eq(int, ep_object_elf(obj)->stack_flags &PF_X, PF_X));
    ep_object_close(obj);
    obj = open_fixture("libfxlib.so.2");
    cr_assert(eq(int, ep_object_elf(obj)->stack_flags &PF_X, 0));
    ep_object_close(obj);
}
