/*
 * Extension file names as the import system matches them: PEP 3149 tags
 * with ABI flags (d, m, t, td), PEP 384's abi3, the plain .so, PyPy's and
 * GraalPy's tags. Truth: the EXT_SUFFIX values these interpreters report
 * (CPython's configure, PyPy's and GraalPy's sysconfig), and the real
 * fixtures' names (fx-config.h holds the Debian python3's EXT_SUFFIX).
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <string.h>

static void
assert_opt_str_eq(const char *got, const char *want, const char *what)
{
    if (want == NULL) {
        cr_assert(got == NULL, "%s: got \"%s\", want NULL", what, got);
    } else {
        cr_assert(got != NULL, "%s: got NULL, want \"%s\"", what, want);
        cr_assert(eq(str, (char *)got, (char *)want), "%s", what);
    }
}

typedef struct tag_case {
    const char *filename;
    const char *module;
    const char *suffix;
    const char *implementation;
    const char *version;
    const char *abiflags;
    const char *platform;
    const char *raw_tag;
    bool stable_abi;
} tag_case;

static void
check(const tag_case *c)
{
    ep_ext_tag *t = NULL;
    ep_error err;
    cr_assert(eq(int, ep_ext_tag_parse(c->filename, &t, &err), EP_OK), "%s: %s",
              c->filename, err.message);
    cr_assert(t != NULL);
    assert_opt_str_eq(t->module, c->module, c->filename);
    assert_opt_str_eq(t->suffix, c->suffix, c->filename);
    assert_opt_str_eq(t->implementation, c->implementation, c->filename);
    assert_opt_str_eq(t->version, c->version, c->filename);
    assert_opt_str_eq(t->abiflags, c->abiflags, c->filename);
    assert_opt_str_eq(t->platform, c->platform, c->filename);
    assert_opt_str_eq(t->raw_tag, c->raw_tag, c->filename);
    cr_assert(eq(int, t->stable_abi, c->stable_abi), "%s", c->filename);
    ep_ext_tag_free(t);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

Test(importer, cpython_tags_carry_version_abiflags_and_platform)
{
    static const tag_case cases[] = {
        {"m.cpython-311-x86_64-linux-gnu.so", "m",
         ".cpython-311-x86_64-linux-gnu.so", "cpython", "3.11", "",
         "x86_64-linux-gnu", "cpython-311-x86_64-linux-gnu", false},
        /* Free-threaded (PEP 703), debug, both, and 3.7's pymalloc m. */
        {"m.cpython-313t-x86_64-linux-gnu.so", "m",
         ".cpython-313t-x86_64-linux-gnu.so", "cpython", "3.13", "t",
         "x86_64-linux-gnu", "cpython-313t-x86_64-linux-gnu", false},
        {"m.cpython-311d-x86_64-linux-gnu.so", "m",
         ".cpython-311d-x86_64-linux-gnu.so", "cpython", "3.11", "d",
         "x86_64-linux-gnu", "cpython-311d-x86_64-linux-gnu", false},
        {"_ext.cpython-313td-aarch64-linux-gnu.so", "_ext",
         ".cpython-313td-aarch64-linux-gnu.so", "cpython", "3.13", "td",
         "aarch64-linux-gnu", "cpython-313td-aarch64-linux-gnu", false},
        {"m.cpython-37m-x86_64-linux-gnu.so", "m",
         ".cpython-37m-x86_64-linux-gnu.so", "cpython", "3.7", "m",
         "x86_64-linux-gnu", "cpython-37m-x86_64-linux-gnu", false},
        {"m.cpython-310-arm-linux-gnueabihf.so", "m",
         ".cpython-310-arm-linux-gnueabihf.so", "cpython", "3.10", "",
         "arm-linux-gnueabihf", "cpython-310-arm-linux-gnueabihf", false},
        /* macOS names the platform "darwin" only; a bare tag has none. */
        {"m.cpython-312-darwin.so", "m", ".cpython-312-darwin.so", "cpython",
         "3.12", "", "darwin", "cpython-312-darwin", false},
        {"m.cpython-38.so", "m", ".cpython-38.so", "cpython", "3.8", "", NULL,
         "cpython-38", false},
    };
    for (size_t i = 0; i < N(cases); i++) {
        check(&cases[i]);
    }
}

Test(importer, abi3_and_untagged_names)
{
    static const tag_case cases[] = {
        {"m.abi3.so", "m", ".abi3.so", "cpython", NULL, NULL, NULL, "abi3",
         true},
        {"_rust.abi3.so", "_rust", ".abi3.so", "cpython", NULL, NULL, NULL,
         "abi3", true},
        /* Plain ".so": every CPython on POSIX accepts it; no tag at all. */
        {"m.so", "m", ".so", NULL, NULL, NULL, NULL, NULL, false},
        /* A tag nobody claims is kept raw, with no implementation. */
        {"m.foo.so", "m", ".foo.so", NULL, NULL, NULL, NULL, "foo", false},
    };
    for (size_t i = 0; i < N(cases); i++) {
        check(&cases[i]);
    }
}

Test(importer, pypy_tags_carry_the_pypy_abi)
{
    static const tag_case cases[] = {
        {"m.pypy310-pp73-x86_64-linux-gnu.so", "m",
         ".pypy310-pp73-x86_64-linux-gnu.so", "pypy", "3.10", "pp73",
         "x86_64-linux-gnu", "pypy310-pp73-x86_64-linux-gnu", false},
        {"m.pypy39-pp73-aarch64-linux-gnu.so", "m",
         ".pypy39-pp73-aarch64-linux-gnu.so", "pypy", "3.9", "pp73",
         "aarch64-linux-gnu", "pypy39-pp73-aarch64-linux-gnu", false},
        /* PyPy before 7.3 (no Python version in the tag). */
        {"m.pypy-41.so", "m", ".pypy-41.so", "pypy", NULL, "41", NULL,
         "pypy-41", false},
    };
    for (size_t i = 0; i < N(cases); i++) {
        check(&cases[i]);
    }
}

Test(importer, graalpy_tags_carry_the_python_version)
{
    static const tag_case cases[] = {
        /* GraalPy 23+: "graalpy<release>-<python>-native-<platform>". */
        {"m.graalpy230-310-native-x86_64-linux.so", "m",
         ".graalpy230-310-native-x86_64-linux.so", "graalpy", "3.10", "native",
         "x86_64-linux", "graalpy230-310-native-x86_64-linux", false},
        {"m.graalpy250-312-native-aarch64-linux.so", "m",
         ".graalpy250-312-native-aarch64-linux.so", "graalpy", "3.12", "native",
         "aarch64-linux", "graalpy250-312-native-aarch64-linux", false},
        /* Development builds put letters and a hash in the release. */
        {"m.graalpy241dev156644dd29-311-native-x86_64-linux.so", "m",
         ".graalpy241dev156644dd29-311-native-x86_64-linux.so", "graalpy",
         "3.11", "native", "x86_64-linux",
         "graalpy241dev156644dd29-311-native-x86_64-linux", false},
        /* GraalPy 22 and GraalPython before it: no release number. */
        {"m.graalpy-38-native-x86_64-linux.so", "m",
         ".graalpy-38-native-x86_64-linux.so", "graalpy", "3.8", "native",
         "x86_64-linux", "graalpy-38-native-x86_64-linux", false},
        {"m.graalpython-38-native-x86_64-linux.so", "m",
         ".graalpython-38-native-x86_64-linux.so", "graalpy", "3.8", "native",
         "x86_64-linux", "graalpython-38-native-x86_64-linux", false},
    };
    for (size_t i = 0; i < N(cases); i++) {
        check(&cases[i]);
    }
}

Test(importer, directory_part_is_ignored)
{
    static const tag_case c = {"/opt/v.env/lib/python3.11/site-packages/pkg.d/"
                               "_m.cpython-311-x86_64-linux-gnu.so",
                               "_m",
                               ".cpython-311-x86_64-linux-gnu.so",
                               "cpython",
                               "3.11",
                               "",
                               "x86_64-linux-gnu",
                               "cpython-311-x86_64-linux-gnu",
                               false};
    check(&c);
}

Test(importer, names_not_ending_in_so_are_refused)
{
    static const char *const bad[] = {
        "m.pyd",   "m.cp311-win_amd64.pyd",
        "m.dylib", "libfoo.so.1",
        "m",       ".so",
        "m.SO",    "m.so.",
        "",
    };
    for (size_t i = 0; i < N(bad); i++) {
        ep_ext_tag *t = (ep_ext_tag *)1;
        ep_error err;
        cr_assert(
            eq(int, ep_ext_tag_parse(bad[i], &t, &err), EP_ERR_INVALID_ARG),
            "\"%s\"", bad[i]);
        cr_assert(t == NULL);
        cr_assert(strlen(err.message) > 0);
    }
    ep_ext_tag *t;
    cr_assert(eq(int, ep_ext_tag_parse(NULL, &t, NULL), EP_ERR_INVALID_ARG));
    cr_assert(
        eq(int, ep_ext_tag_parse("m.so", NULL, NULL), EP_ERR_INVALID_ARG));
    ep_ext_tag_free(NULL);
}

/* The real fixtures: names the fixture build gave them from sysconfig. */
Test(importer, fixture_module_names_parse_from_their_objects)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/fxmod%s", EP_FIXTURE_DIR, FX_EXT_SUFFIX);
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int, ep_object_open(path, &obj, &err), EP_OK));
    const ep_ext_tag *t = ep_object_ext_tag(obj);
    cr_assert(t != NULL);
    assert_opt_str_eq(t->module, "fxmod", "module");
    assert_opt_str_eq(t->suffix, FX_EXT_SUFFIX, "suffix");
    assert_opt_str_eq(t->raw_tag, FX_SOABI, "raw_tag");
    assert_opt_str_eq(t->implementation, "cpython", "implementation");
    assert_opt_str_eq(t->version, "3.11", "version");
    assert_opt_str_eq(t->abiflags, "", "abiflags");
    ep_object_close(obj);

    snprintf(path, sizeof(path), "%s/fxabi3.abi3.so", EP_FIXTURE_DIR);
    cr_assert(eq(int, ep_object_open(path, &obj, &err), EP_OK));
    cr_assert(ep_object_ext_tag(obj) != NULL);
    cr_assert(ep_object_ext_tag(obj)->stable_abi);
    ep_object_close(obj);

    /* "libfxlib.so.2" does not end in ".so": no tag, and no error. */
    snprintf(path, sizeof(path), "%s/libfxlib.so.2", EP_FIXTURE_DIR);
    cr_assert(eq(int, ep_object_open(path, &obj, &err), EP_OK));
    cr_assert(ep_object_ext_tag(obj) == NULL);
    ep_object_close(obj);
}
