/*
 * Dynamic symbols: defined exports with type, binding, visibility and
 * version (default @@ or hidden @), undefined imports with the version and
 * file they are required from and whether they are weak, and the PyInit_*
 * helper. Truth is the fixture sources (tests/fixtures/fxlib.c, fxmod.c,
 * fx32.c, rsfx.rs, cyfx.pyx) and their version scripts.
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <elf.h>
#include <stdio.h>
#include <string.h>

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

static void
assert_opt_str_eq(const char *got, const char *want)
{
    if (want == NULL) {
        cr_assert(got == NULL, "got \"%s\", want NULL", got);
    } else {
        assert_str_eq(got, want);
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

static const ep_symbol *
symbols(ep_object *obj, size_t *n)
{
    const ep_symbol *syms = NULL;
    ep_error err;
    cr_assert(eq(int, ep_object_symbols(obj, &syms, n, &err), EP_OK), "%s",
              err.message);
    return syms;
}

/* The symbol named `name` with version `version` (NULL: unversioned), among
 * definitions or references. */
static const ep_symbol *
find(const ep_symbol *syms, size_t n, const char *name, const char *version,
     bool defined)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(syms[i].name, name) != 0 || syms[i].defined != defined) {
            continue;
        }
        if (version == NULL ? syms[i].version == NULL
                            : syms[i].version != NULL &&
                                  strcmp(syms[i].version, version) == 0) {
            return &syms[i];
        }
    }
    return NULL;
}

typedef struct want_export {
    const char *name;
    const char *version;
    bool hidden_version;
    uint8_t type;
    uint8_t bind;
    uint8_t visibility;
    uint64_t size; /* 0: not checked */
} want_export;

static void
check_exports(const ep_symbol *syms, size_t n, const want_export *want,
              size_t nwant)
{
    size_t ndef = 0;
    for (size_t i = 0; i < n; i++) {
        ndef += syms[i].defined;
    }
    cr_assert(eq(sz, ndef, nwant), "number of exports");
    for (size_t i = 0; i < nwant; i++) {
        const want_export *w = &want[i];
        const ep_symbol *s = find(syms, n, w->name, w->version, true);
        cr_assert(s != NULL, "export %s@%s missing", w->name,
                  w->version ? w->version : "");
        cr_assert(eq(int, s->hidden_version, w->hidden_version), "%s", w->name);
        cr_assert(eq(u8, s->type, w->type), "%s", w->name);
        cr_assert(eq(u8, s->bind, w->bind), "%s", w->name);
        cr_assert(eq(int, s->weak, w->bind == STB_WEAK), "%s", w->name);
        cr_assert(eq(u8, s->visibility, w->visibility), "%s", w->name);
        cr_assert(s->version_file == NULL, "%s: an export names no file",
                  w->name);
        if (w->size) {
            cr_assert(eq(u64, s->size, w->size), "%s", w->name);
        }
        cr_assert(s->value != 0 || w->type == STT_TLS || w->type == STT_OBJECT,
                  "%s has an address", w->name);
    }
}

typedef struct want_import {
    const char *name;
    const char *version; /* NULL: unversioned */
    const char *file;    /* the file the version is required from */
    bool weak;
} want_import;

static void
check_imports(const ep_symbol *syms, size_t n, const want_import *want,
              size_t nwant)
{
    for (size_t i = 0; i < nwant; i++) {
        const want_import *w = &want[i];
        const ep_symbol *s = find(syms, n, w->name, w->version, false);
        cr_assert(s != NULL, "import %s@%s missing", w->name,
                  w->version ? w->version : "");
        assert_opt_str_eq(s->version_file, w->file);
        cr_assert(eq(int, s->weak, w->weak), "%s", w->name);
        cr_assert(eq(u8, s->bind, w->weak ? STB_WEAK : STB_GLOBAL), "%s",
                  w->name);
        cr_assert(eq(int, s->hidden_version, false), "%s", w->name);
    }
}

/* Imports the C runtime start files (crtbeginS.o) add to every gcc-linked
 * shared object; anything else must be in the fixture's own list. */
static bool
is_crt_import(const char *name)
{
    static const char *const crt[] = {"_ITM_deregisterTMCloneTable",
                                      "_ITM_registerTMCloneTable",
                                      "__gmon_start__", "__cxa_finalize"};
    for (size_t i = 0; i < sizeof(crt) / sizeof(crt[0]); i++) {
        if (strcmp(name, crt[i]) == 0) {
            return true;
        }
    }
    return false;
}

static void
check_no_other_imports(const ep_symbol *syms, size_t n, const want_import *want,
                       size_t nwant)
{
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined || is_crt_import(syms[i].name)) {
            continue;
        }
        bool known = false;
        for (size_t k = 0; k < nwant; k++) {
            known = known || strcmp(syms[i].name, want[k].name) == 0;
        }
        cr_assert(known, "unexpected import %s", syms[i].name);
    }
}

/* ---- libfxlib: every kind of export -------------------------------------- */

static const want_export fxlib_exports[] = {
    {"fx_func", "FXLIB_1.0", true, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
    {"fx_func", "FXLIB_2.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
    {"fx_old_api", "FXLIB_1.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
    {"fx_new_api", "FXLIB_2.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
    {"fx_copy", "FXLIB_2.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
    {"fx_protected", "FXLIB_1.0", false, STT_FUNC, STB_GLOBAL, STV_PROTECTED,
     0},
    {"fx_weak_default", "FXLIB_1.0", false, STT_FUNC, STB_WEAK, STV_DEFAULT, 0},
    {"fx_counter", "FXLIB_1.0", false, STT_OBJECT, STB_GLOBAL, STV_DEFAULT, 4},
    {"fx_tls", "FXLIB_1.0", false, STT_TLS, STB_GLOBAL, STV_DEFAULT, 4},
    {"fx_fast", "FXLIB_2.0", false, STT_GNU_IFUNC, STB_GLOBAL, STV_DEFAULT, 0},
    /* ld defines one absolute symbol per version, named after it. */
    {"FXLIB_1.0", "FXLIB_1.0", false, STT_OBJECT, STB_GLOBAL, STV_DEFAULT, 0},
    {"FXLIB_2.0", "FXLIB_2.0", false, STT_OBJECT, STB_GLOBAL, STV_DEFAULT, 0},
};

static const want_import fxlib_imports[] = {
    {"fxdep_value", "FXDEP_1.0", "libfxdep.so.1", false},
    {"fxdep_tinfo", "FXDEP6_TINFO_5.7", "libfxdep.so.1", false},
    {"fxdep_six", "FXDEP6_5.8", "libfxdep.so.1", false},
    {"fxdep_six_ten", "FXDEP6_5.10", "libfxdep.so.1", false},
    {"getenv", "GLIBC_2.2.5", "libc.so.6", false},
    {"memcpy", "GLIBC_2.14", "libc.so.6", false},
    {"fx_optional_hook", NULL, NULL, true},
};

static void
check_fxlib(const char *name)
{
    ep_object *obj = open_fixture(name);
    size_t n;
    const ep_symbol *syms = symbols(obj, &n);
    check_exports(syms, n, fxlib_exports,
                  sizeof(fxlib_exports) / sizeof(fxlib_exports[0]));
    check_imports(syms, n, fxlib_imports,
                  sizeof(fxlib_imports) / sizeof(fxlib_imports[0]));
    check_no_other_imports(syms, n, fxlib_imports,
                           sizeof(fxlib_imports) / sizeof(fxlib_imports[0]));
    /* Hidden and local symbols never reach .dynsym's global part. */
    for (size_t i = 0; i < n; i++) {
        cr_assert(strcmp(syms[i].name, "fx_hidden") != 0);
        cr_assert(strcmp(syms[i].name, "fx_func_v1") != 0);
        cr_assert(strcmp(syms[i].name, "fx_fast_impl") != 0);
        cr_assert(syms[i].bind != STB_LOCAL, "%s is local", syms[i].name);
        cr_assert(syms[i].type != STT_SECTION && syms[i].type != STT_FILE);
    }
    ep_strlist pyinit;
    ep_error err;
    cr_assert(eq(int, ep_object_pyinit(obj, &pyinit, &err), EP_OK));
    cr_assert(eq(sz, pyinit.count, 0), "a plain library has no PyInit_");
    ep_object_close(obj);
}

Test(elf, library_exports_and_imports_match_its_source)
{
    check_fxlib("libfxlib.so.2");
}

Test(elf, gold_linked_copy_has_the_same_symbols)
{
    /* gold gives unversioned imports .gnu.version index 0 (local) where
     * ld.bfd gives 1 (global): both mean "no version". */
    check_fxlib("libfxlib-rpath.so");
}

Test(elf, symbol_table_is_read_once_and_kept)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    size_t n1, n2;
    const ep_symbol *a = symbols(obj, &n1);
    const ep_symbol *b = symbols(obj, &n2);
    cr_assert(eq(ptr, (void *)a, (void *)b));
    cr_assert(eq(sz, n1, n2));
    ep_object_close(obj);
}

Test(elf, symbol_attribute_names_are_stable)
{
    assert_str_eq(ep_symbol_type_str(STT_FUNC), "func");
    assert_str_eq(ep_symbol_type_str(STT_OBJECT), "object");
    assert_str_eq(ep_symbol_type_str(STT_NOTYPE), "notype");
    assert_str_eq(ep_symbol_type_str(STT_TLS), "tls");
    assert_str_eq(ep_symbol_type_str(STT_GNU_IFUNC), "ifunc");
    assert_str_eq(ep_symbol_type_str(STT_COMMON), "common");
    assert_str_eq(ep_symbol_bind_str(STB_GLOBAL), "global");
    assert_str_eq(ep_symbol_bind_str(STB_WEAK), "weak");
    assert_str_eq(ep_symbol_bind_str(STB_GNU_UNIQUE), "unique");
    assert_str_eq(ep_symbol_visibility_str(STV_DEFAULT), "default");
    assert_str_eq(ep_symbol_visibility_str(STV_PROTECTED), "protected");
    assert_str_eq(ep_symbol_visibility_str(STV_HIDDEN), "hidden");
    assert_str_eq(ep_symbol_type_str(99), "unknown");
}

/* ---- extension modules: PyInit_ ------------------------------------------ */

static void
check_pyinit(const char *file, const char *init)
{
    ep_object *obj = open_fixture(file);
    ep_strlist pyinit;
    ep_error err;
    cr_assert(eq(int, ep_object_pyinit(obj, &pyinit, &err), EP_OK), "%s",
              err.message);
    cr_assert(eq(sz, pyinit.count, 1), "%s", file);
    assert_str_eq(pyinit.items[0], init);
    size_t n;
    const ep_symbol *syms = symbols(obj, &n);
    const ep_symbol *s = find(syms, n, init, NULL, true);
    if (s == NULL) {
        /* A version script may version it (fx32). */
        for (size_t i = 0; i < n && s == NULL; i++) {
            s = strcmp(syms[i].name, init) == 0 && syms[i].defined ? &syms[i]
                                                                   : NULL;
        }
    }
    cr_assert(s != NULL);
    cr_assert(eq(u8, s->type, STT_FUNC));
    cr_assert(eq(u8, s->bind, STB_GLOBAL));
    cr_assert(eq(u8, s->visibility, STV_DEFAULT));
    ep_object_close(obj);
}

Test(elf, c_extension_exports_its_init_function)
{
    char name[256];
    snprintf(name, sizeof(name), "fxmod%s", FX_EXT_SUFFIX);
    check_pyinit(name, "PyInit_fxmod");
    ep_object *obj = open_fixture(name);
    size_t n;
    const ep_symbol *syms = symbols(obj, &n);
    static const want_export exports[] = {
        {"PyInit_fxmod", NULL, false, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
        {"fx_answer", NULL, false, STT_OBJECT, STB_GLOBAL, STV_DEFAULT, 4},
    };
    check_exports(syms, n, exports, 2);
    /* CPython symbols are unversioned: libpython is not even NEEDED. */
    static const want_import imports[] = {
        {"PyModule_Create2", NULL, NULL, false},
        {"PyLong_FromLong", NULL, NULL, false},
        {"getenv", "GLIBC_2.2.5", "libc.so.6", false},
        {"fx_optional_hook", NULL, NULL, true},
    };
    check_imports(syms, n, imports, 4);
    check_no_other_imports(syms, n, imports, 4);
    ep_object_close(obj);
}

Test(elf, limited_api_extension_exports_its_init_function)
{
    check_pyinit("fxabi3.abi3.so", "PyInit_fxabi3");
    ep_object *obj = open_fixture("fxabi3.abi3.so");
    size_t n;
    const ep_symbol *syms = symbols(obj, &n);
    static const want_import imports[] = {
        {"PyModule_Create2", NULL, NULL, false},
        {"PyModule_AddIntConstant", NULL, NULL, false},
        {"_Py_Dealloc", NULL, NULL, false}, /* Py_DECREF under 3.8's API */
    };
    check_imports(syms, n, imports, 3);
    check_no_other_imports(syms, n, imports, 3);
    ep_object_close(obj);
}

Test(elf, stripped_copies_keep_every_dynamic_symbol)
{
    char name[256];
    snprintf(name, sizeof(name), "fxmod%s", FX_EXT_SUFFIX);
    ep_object *orig = open_fixture(name);
    size_t n0;
    const ep_symbol *s0 = symbols(orig, &n0);
    const char *copies[] = {"fxmod-strip-all.so", "fxmod-strip-debug.so"};
    for (size_t k = 0; k < 2; k++) {
        ep_object *obj = open_fixture(copies[k]);
        size_t n;
        const ep_symbol *s = symbols(obj, &n);
        cr_assert(eq(sz, n, n0), "%s", copies[k]);
        for (size_t i = 0; i < n; i++) {
            assert_str_eq(s[i].name, s0[i].name);
            cr_assert(eq(int, s[i].defined, s0[i].defined));
        }
        ep_strlist pyinit;
        ep_error err;
        cr_assert(eq(int, ep_object_pyinit(obj, &pyinit, &err), EP_OK));
        cr_assert(eq(sz, pyinit.count, 1));
        assert_str_eq(pyinit.items[0], "PyInit_fxmod");
        ep_object_close(obj);
    }
    ep_object_close(orig);
}

Test(elf, aarch64_extension_exports_its_init_function)
{
    if (!FX_HAVE_AARCH64) {
        cr_skip_test("aarch64-linux-gnu-gcc or Python.h missing: no fixture");
    }
    check_pyinit("fxarm.cpython-311-aarch64-linux-gnu.so", "PyInit_fxarm");
}

Test(elf, rust_cdylib_exports_only_its_init_function)
{
    if (!FX_HAVE_RUSTC) {
        cr_skip_test("rustc not found (PATH or ~/.cargo/bin): no fixture");
    }
    check_pyinit("rsfx.abi3.so", "PyInit_rsfx");
    ep_object *obj = open_fixture("rsfx.abi3.so");
    size_t n, ndef = 0;
    const ep_symbol *syms = symbols(obj, &n);
    for (size_t i = 0; i < n; i++) {
        ndef += syms[i].defined;
    }
    /* rustc's own version script: everything but the #[no_mangle] export
     * is local. */
    cr_assert(eq(sz, ndef, 1));
    const ep_symbol *create = find(syms, n, "PyModule_Create2", NULL, false);
    cr_assert(create != NULL);
    cr_assert(eq(int, create->weak, false));
    ep_object_close(obj);
}

Test(elf, cython_module_exports_its_init_function)
{
    if (!FX_HAVE_CYTHON) {
        cr_skip_test("cython3 or Python.h missing: no fixture");
    }
    char name[256];
    snprintf(name, sizeof(name), "cyfx%s", FX_EXT_SUFFIX);
    check_pyinit(name, "PyInit_cyfx");
}

/* ---- 32-bit: the whole table --------------------------------------------- */

Test(elf, elf32_symbols_are_read_exactly)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    ep_object *obj = open_fixture("libfx32.so");
    size_t n;
    const ep_symbol *syms = symbols(obj, &n);
    static const want_export exports[] = {
        {"fx32_add", "FX32_1.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT, 0},
        {"fx32_table", "FX32_1.0", false, STT_OBJECT, STB_GLOBAL, STV_DEFAULT,
         16},
        {"PyInit_fx32", "FX32_1.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT,
         0},
        {"FX32_1.0", "FX32_1.0", false, STT_OBJECT, STB_GLOBAL, STV_DEFAULT, 0},
    };
    check_exports(syms, n, exports, 4);
    static const want_import imports[] = {
        {"fx32_external", NULL, NULL, false},
        {"fx32_maybe", NULL, NULL, true},
        {"PyInit_fx32other", NULL, NULL, true},
    };
    check_imports(syms, n, imports, 3);
    /* -nostdlib: not even the crt imports. */
    cr_assert(eq(sz, n, 7));
    ep_object_close(obj);
}

/* The same source linked by ld.lld for three other machines, one of them
 * big-endian; lld defines no absolute symbol per version. */
Test(elf, symbols_of_other_machines_and_byte_orders_are_read_exactly)
{
    if (!FX_HAVE_CLANG_LLD) {
        cr_skip_test("clang or ld.lld missing: no cross-target fixtures");
    }
    const char *files[] = {"libfxbe.so", "libfxrv.so", "libfxarmhf.so"};
    for (size_t k = 0; k < 3; k++) {
        ep_object *obj = open_fixture(files[k]);
        size_t n;
        const ep_symbol *syms = symbols(obj, &n);
        static const want_export exports[] = {
            {"fx32_add", "FX32_1.0", false, STT_FUNC, STB_GLOBAL, STV_DEFAULT,
             0},
            {"fx32_table", "FX32_1.0", false, STT_OBJECT, STB_GLOBAL,
             STV_DEFAULT, 16},
            {"PyInit_fx32", "FX32_1.0", false, STT_FUNC, STB_GLOBAL,
             STV_DEFAULT, 0},
        };
        check_exports(syms, n, exports, 3);
        static const want_import imports[] = {
            {"fx32_external", NULL, NULL, false},
            {"fx32_maybe", NULL, NULL, true},
            {"PyInit_fx32other", NULL, NULL, true},
        };
        check_imports(syms, n, imports, 3);
        cr_assert(eq(sz, n, 6), "%s", files[k]);
        ep_strlist pyinit;
        ep_error err;
        cr_assert(eq(int, ep_object_pyinit(obj, &pyinit, &err), EP_OK));
        cr_assert(eq(sz, pyinit.count, 1));
        assert_str_eq(pyinit.items[0], "PyInit_fx32");
        ep_object_close(obj);
    }
}

Test(elf, undefined_pyinit_is_not_an_init_function)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    /* libfx32 defines PyInit_fx32 and references PyInit_fx32other. */
    ep_object *obj = open_fixture("libfx32.so");
    ep_strlist pyinit;
    ep_error err;
    cr_assert(eq(int, ep_object_pyinit(obj, &pyinit, &err), EP_OK));
    cr_assert(eq(sz, pyinit.count, 1));
    assert_str_eq(pyinit.items[0], "PyInit_fx32");
    ep_object_close(obj);
}

Test(elf, symbol_calls_check_their_arguments)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_symbol *syms;
    size_t n;
    ep_error err;
    cr_assert(
        eq(int, ep_object_symbols(NULL, &syms, &n, &err), EP_ERR_INVALID_ARG));
    cr_assert(
        eq(int, ep_object_symbols(obj, NULL, &n, &err), EP_ERR_INVALID_ARG));
    cr_assert(
        eq(int, ep_object_symbols(obj, &syms, NULL, NULL), EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_object_pyinit(obj, NULL, &err), EP_ERR_INVALID_ARG));
    ep_strlist l;
    cr_assert(eq(int, ep_object_pyinit(NULL, &l, &err), EP_ERR_INVALID_ARG));
    ep_object_close(obj);
}

Test(elf, relocatable_object_has_no_dynamic_symbols)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(
        eq(int, ep_object_open(fixture_path("fxdep.o"), &obj, &err), EP_OK));
    size_t n;
    symbols(obj, &n);
    cr_assert(eq(sz, n, 0));
    ep_object_close(obj);
}
