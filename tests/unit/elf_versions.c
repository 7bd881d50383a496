/*
 * Symbol versioning: .gnu.version_r (what an object requires, per needed
 * file), .gnu.version_d (what it defines), the highest version per family,
 * and ep_version_compare. Truth is the fixtures' version scripts and the
 * libc symbols their sources call (tests/fixtures/fxlib.c, fxlib.map,
 * fxdep.map, fx32.map); hashes are checked against the gABI's ELF hash,
 * computed here independently.
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
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

/* The System V ABI hash (gABI "Hash Table"), which vna_hash/vd_hash hold. */
static uint32_t
elf_hash(const char *name)
{
    uint32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = (h << 4) + *p;
        uint32_t g = h & 0xf0000000u;
        if (g) {
            h ^= g >> 24;
        }
        h &= ~g;
    }
    return h;
}

typedef struct need {
    const char *file;
    const char *version;
} need;

/* The needs are exactly `want` (in any order of files and of versions within
 * a file), each file's entries are contiguous, and hashes are right. */
static void
check_needs(ep_object *obj, const need *want, size_t nwant)
{
    const ep_version_need *needs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, &n, &err), EP_OK),
              "%s", err.message);
    cr_assert(eq(sz, n, nwant));
    for (size_t i = 0; i < nwant; i++) {
        bool found = false;
        for (size_t k = 0; k < n && !found; k++) {
            found = strcmp(needs[k].file, want[i].file) == 0 &&
                    strcmp(needs[k].version, want[i].version) == 0;
        }
        cr_assert(found, "%s from %s not listed", want[i].version,
                  want[i].file);
    }
    for (size_t i = 0; i < n; i++) {
        cr_assert(eq(u32, needs[i].hash, elf_hash(needs[i].version)), "%s",
                  needs[i].version);
        cr_assert(eq(int, needs[i].weak, false));
        /* Indexes 0 and 1 are reserved (local, global). */
        cr_assert(needs[i].index >= 2, "%s index %u", needs[i].version,
                  needs[i].index);
    }
    /* Contiguous: as many runs of equal file names as distinct files. */
    size_t runs = 0, files = 0;
    for (size_t i = 0; i < n; i++) {
        runs += i == 0 || strcmp(needs[i].file, needs[i - 1].file) != 0;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) {
            seen = strcmp(needs[k].file, needs[i].file) == 0;
        }
        files += !seen;
    }
    cr_assert(eq(sz, runs, files), "entries of one file are not contiguous");
}

Test(elf, version_needs_are_grouped_by_needed_file)
{
    static const need want[] = {
        {"libfxdep.so.1", "FXDEP_1.0"},  {"libfxdep.so.1", "FXDEP6_TINFO_5.7"},
        {"libfxdep.so.1", "FXDEP6_5.8"}, {"libfxdep.so.1", "FXDEP6_5.10"},
        {"libc.so.6", "GLIBC_2.14"},  /* memcpy */
        {"libc.so.6", "GLIBC_2.2.5"}, /* getenv, __cxa_finalize */
    };
    const char *files[] = {"libfxlib.so.2", "libfxlib-rpath.so"};
    for (size_t k = 0; k < 2; k++) {
        ep_object *obj = open_fixture(files[k]);
        check_needs(obj, want, 6);
        ep_object_close(obj);
    }
}

Test(elf, version_need_index_is_what_the_symbols_use)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_symbol *syms;
    const ep_version_need *needs;
    size_t n, nn;
    ep_error err;
    cr_assert(eq(int, ep_object_symbols(obj, &syms, &n, &err), EP_OK));
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, &nn, &err), EP_OK));
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined || syms[i].version == NULL) {
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < nn && !found; k++) {
            found = strcmp(needs[k].version, syms[i].version) == 0 &&
                    strcmp(needs[k].file, syms[i].version_file) == 0;
        }
        cr_assert(found, "%s@%s has no matching need", syms[i].name,
                  syms[i].version);
    }
    ep_object_close(obj);
}

/* The highest version per family, as a caller computes it from the list:
 * numerically, so GLIBC_2.14 is above GLIBC_2.2.5. */
Test(elf, highest_glibc_version_is_found_numerically)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_version_need *needs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, &n, &err), EP_OK));
    const char *top = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(needs[i].version, "GLIBC_", 6) == 0 &&
            (top == NULL || ep_version_compare(needs[i].version, top) > 0)) {
            top = needs[i].version;
        }
    }
    assert_str_eq(top, "GLIBC_2.14");
    /* Within one family, 5.10 is above 5.8 although "5.1" < "5.8". */
    top = NULL;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(needs[i].version, "FXDEP6_5", 8) == 0 &&
            (top == NULL || ep_version_compare(needs[i].version, top) > 0)) {
            top = needs[i].version;
        }
    }
    assert_str_eq(top, "FXDEP6_5.10");
    ep_object_close(obj);
}

Test(elf, version_definitions_list_base_then_versions)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_version_def *defs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_defs(obj, &defs, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 3));
    static const struct {
        const char *name;
        bool base;
        uint16_t index;
    } want[] = {{"libfxlib.so.2", true, 1},
                {"FXLIB_1.0", false, 2},
                {"FXLIB_2.0", false, 3}};
    for (size_t i = 0; i < 3; i++) {
        assert_str_eq(defs[i].name, want[i].name);
        cr_assert(eq(int, defs[i].base, want[i].base));
        cr_assert(eq(u16, defs[i].index, want[i].index));
        cr_assert(eq(u32, defs[i].hash, elf_hash(want[i].name)));
    }
    ep_object_close(obj);
}

Test(elf, elf32_version_sections_are_read)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    ep_object *obj = open_fixture("libfx32.so");
    const ep_version_def *defs;
    const ep_version_need *needs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_defs(obj, &defs, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 2));
    assert_str_eq(defs[0].name, "libfx32.so");
    cr_assert(defs[0].base);
    assert_str_eq(defs[1].name, "FX32_1.0");
    cr_assert(eq(u32, defs[1].hash, elf_hash("FX32_1.0")));
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 0), "-nostdlib: nothing required");
    ep_object_close(obj);
}

Test(elf, big_endian_version_definitions_are_read)
{
    if (!FX_HAVE_CLANG_LLD) {
        cr_skip_test("clang or ld.lld missing: no big-endian fixture");
    }
    ep_object *obj = open_fixture("libfxbe.so");
    const ep_version_def *defs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_defs(obj, &defs, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 2));
    assert_str_eq(defs[0].name, "libfxbe.so");
    cr_assert(defs[0].base);
    assert_str_eq(defs[1].name, "FX32_1.0");
    cr_assert(eq(u16, defs[1].index, 2));
    cr_assert(eq(u32, defs[1].hash, elf_hash("FX32_1.0")));
    ep_object_close(obj);
}

Test(elf, dependency_library_defines_its_version)
{
    ep_object *obj = open_fixture("libfxdep.so.1");
    const ep_version_def *defs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_defs(obj, &defs, &n, &err), EP_OK));
    static const char *const want[] = {"libfxdep.so.1", "FXDEP_1.0",
                                       "FXDEP6_TINFO_5.7", "FXDEP6_5.8",
                                       "FXDEP6_5.10"};
    cr_assert(eq(sz, n, 5));
    for (size_t i = 0; i < 5; i++) {
        assert_str_eq(defs[i].name, want[i]);
        cr_assert(eq(int, defs[i].base, i == 0));
        cr_assert(eq(u16, defs[i].index, (uint16_t)(i + 1)));
        cr_assert(eq(u32, defs[i].hash, elf_hash(want[i])));
    }
    ep_object_close(obj);
}

Test(elf, unversioned_module_has_no_version_sections)
{
    ep_object *obj = open_fixture("fxabi3.abi3.so");
    const ep_version_def *defs;
    const ep_version_need *needs;
    size_t n = 99;
    ep_error err;
    cr_assert(eq(int, ep_object_version_defs(obj, &defs, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 0));
    n = 99;
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, &n, &err), EP_OK));
    cr_assert(eq(sz, n, 0));
    ep_object_close(obj);
}

Test(elf, version_calls_check_their_arguments)
{
    const ep_version_need *needs;
    const ep_version_def *defs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_needs(NULL, &needs, &n, &err),
                 EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_object_version_defs(NULL, &defs, &n, &err),
                 EP_ERR_INVALID_ARG));
    ep_object *obj = open_fixture("libfxlib.so.2");
    cr_assert(eq(int, ep_object_version_defs(obj, NULL, &n, NULL),
                 EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, NULL, NULL),
                 EP_ERR_INVALID_ARG));
    ep_object_close(obj);
}

/* ---- ep_version_compare -------------------------------------------------- */

static int
sign(int v)
{
    return v < 0 ? -1 : v > 0 ? 1 : 0;
}

Test(elf, version_names_compare_by_family_then_numerically)
{
    static const struct {
        const char *a, *b;
        int want;
    } cases[] = {
        {"GLIBC_2.14", "GLIBC_2.2.5", 1},
        {"GLIBC_2.2.5", "GLIBC_2.14", -1},
        {"GLIBC_2.17", "GLIBC_2.34", -1},
        {"GLIBC_2.34", "GLIBC_2.34", 0},
        {"GLIBC_2.2", "GLIBC_2.2.5", -1},
        {"GLIBCXX_3.4.9", "GLIBCXX_3.4.30", -1},
        {"GLIBCXX_3.4.30", "GLIBCXX_3.4.9", 1},
        {"CXXABI_1.3.13", "CXXABI_1.3.9", 1},
        {"GCC_3.0", "GCC_4.2.0", -1},
        {"FXLIB_1.0", "FXLIB_2.0", -1},
        {"OPENSSL_3.0.0", "OPENSSL_1_1_0", 1},
        /* Different families compare by family name ("GLIBC_" against
         * "GLIBCXX_", as strcmp orders them), both ways. */
        {"GLIBC_2.34", "GLIBCXX_3.4", 1},
        {"GLIBCXX_3.4", "GLIBC_2.34", -1},
        {"GCC_3.0", "GLIBC_2.2.5", -1},
        {"GLIBC_PRIVATE", "GLIBC_2.2.5", 1},
        {"GLIBC_2.2.5", "GLIBC_PRIVATE", -1},
        /* A digit inside a family name does not start the number: these
         * are four families (ncurses, MIT Kerberos), not one. */
        {"NCURSES6_TINFO_5.7.20081102", "NCURSES6_5.8.20110226", 1},
        {"NCURSES6_5.8.20110226", "NCURSES6_TINFO_5.7.20081102", -1},
        {"NCURSES6_5.10", "NCURSES6_5.8", 1},
        {"krb5_3_MIT", "krb5support_0_MIT", -1},
        {"k5crypto_3_MIT", "krb5_3_MIT", -1},
        {"NCURSES6_TINFO_5.7.20081102", "NCURSES_TINFO_5.7.20081102", -1},
        /* A name without a number is its own family. */
        {"GLIBC_PRIVATE", "GLIBC_PRIVATE", 0},
        /* Long numbers do not overflow into wrong answers. */
        {"X_99999999999999999999", "X_1", 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = sign(ep_version_compare(cases[i].a, cases[i].b));
        cr_assert(eq(int, got, cases[i].want), "%s vs %s", cases[i].a,
                  cases[i].b);
    }
}

Test(elf, version_compare_is_antisymmetric_over_real_names)
{
    static const char *const names[] = {
        "GLIBC_2.2.5",
        "GLIBC_2.3",
        "GLIBC_2.14",
        "GLIBC_2.17",
        "GLIBC_2.34",
        "GLIBC_PRIVATE",
        "GLIBCXX_3.4",
        "GLIBCXX_3.4.9",
        "GLIBCXX_3.4.30",
        "CXXABI_1.3",
        "GCC_3.0",
        "OPENSSL_3.0.0",
        "FXLIB_1.0",
        "FXLIB_2.0",
        "NCURSES6_TINFO_5.7.20081102",
        "NCURSES6_5.8.20110226",
        "krb5_3_MIT",
        "krb5support_0_MIT",
        "GLIBC_ABI_DT_RELR",
        "OPENSSL_1_1_0",
    };
    size_t n = sizeof(names) / sizeof(names[0]);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < n; k++) {
            int ab = sign(ep_version_compare(names[i], names[k]));
            int ba = sign(ep_version_compare(names[k], names[i]));
            cr_assert(eq(int, ab, -ba), "%s vs %s", names[i], names[k]);
            cr_assert(eq(int, ab == 0, i == k), "%s vs %s", names[i], names[k]);
        }
    }
}
