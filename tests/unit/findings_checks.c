/*
 * The explain engine end to end on real trees: ep_explain() with the
 * interpreter facts given as records (what the Python shim passes), so the
 * sys.path, suffixes and site directories are the test's, and the ELF facts
 * come from real compiler outputs (tests/fixtures, tests/fixtures/importer).
 * Each test asserts the headline finding, its severity and the paths that
 * prove it; the last ones run the real trial in a child process.
 */
#include "fixtures/fx-config.h"
#include "fixtures/importer/imp-config.h"
#include "importer_tree.h"
#include "test-config.h"

#include "findings/checks.h"

#define SUF ".cpython-311-x86_64-linux-gnu.so"

static ep_report *
explain(const char *root, const char *extra, const char *name, bool trial)
{
    tree_dir(root, "work");
    char *facts = facts_text(root, extra);
    ep_explain_options opt;
    ep_explain_options_init(&opt);
    opt.facts = facts;
    opt.facts_len = strlen(facts);
    opt.import_trial = trial;
    opt.workdir = tree_path(root, "work");
    opt.timeout = 30;
    ep_report *r = NULL;
    ep_error err;
    ep_status st = ep_explain(name, &opt, &r, &err);
    cr_assert(st == EP_OK, "ep_explain: %s", err.message);
    free(facts);
    return r;
}

static const ep_finding *
first(const ep_report *r)
{
    cr_assert(ep_report_finding_count(r) > 0, "no findings");
    return ep_report_finding(r, 0);
}

static void
assert_code(const ep_finding *f, const char *slug)
{
    assert_str_eq(ep_finding_slug(f->code), slug);
}

static bool
has_path(const ep_finding *f, const char *path)
{
    for (size_t i = 0; i < f->npaths; i++) {
        if (strcmp(f->paths[i], path) == 0) {
            return true;
        }
    }
    return false;
}

static void
dist(const char *root, const char *name, const char *tag, bool pure,
     const char *record)
{
    char rel[256], text[512];
    snprintf(rel, sizeof(rel), "site/%s-1.0.dist-info/WHEEL", name);
    snprintf(text, sizeof(text),
             "Wheel-Version: 1.0\nGenerator: bdist_wheel "
             "(0.40.0)\nRoot-Is-Purelib: %s\nTag: %s\n",
             pure ? "true" : "false", tag);
    tree_file(root, rel, text);
    snprintf(rel, sizeof(rel), "site/%s-1.0.dist-info/RECORD", name);
    tree_file(root, rel, record);
}

static const char *
fixture(const char *name)
{
    return tree_path(EP_FIXTURE_DIR, name);
}

Test(findings_checks, checkout_in_cwd_shadows_the_installed_extension)
{
    char *root = tree_new();
    tree_file(root, "work/pkg/__init__.py", "");
    tree_file(root, "work/pkg/_ext.c", "");
    tree_file(root, "site/pkg/__init__.py", "");
    tree_file(root, "site/pkg/_ext" SUF, "");
    dist(root, "pkg", "cp311-cp311-linux_x86_64", false,
         "pkg/__init__.py,,\npkg/_ext" SUF ",,\n");
    ep_report *r = explain(root, NULL, "pkg._ext", false);
    const ep_finding *f = first(r);
    assert_code(f, "shadowed-by-source");
    cr_assert(eq(int, f->severity, EP_SEVERITY_ERROR));
    cr_assert(has_path(f, tree_path(root, "work/pkg")));
    cr_assert(has_path(f, tree_path(root, "site/pkg/_ext" SUF)));
    assert_contains(f->detail, "working directory");
    assert_contains(f->detail, "_ext.c");
    assert_contains(f->fix, "src/");
    cr_assert(not(ep_report_importable(r)));
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks,
     package_copy_without_its_compiled_modules_is_named_statically)
{
    char *root = tree_new();
    tree_file(root, "work/pkg/__init__.py", "");
    tree_file(root, "site/pkg/__init__.py", "");
    tree_file(root, "site/pkg/sub/__init__.py", "");
    tree_file(root, "site/pkg/sub/_fast" SUF, "");
    ep_report *r = explain(root, NULL, "pkg", false);
    const ep_finding *f = first(r);
    assert_code(f, "shadowed-by-source");
    cr_assert(eq(int, f->severity, EP_SEVERITY_ERROR));
    assert_contains(f->detail, "pkg.sub._fast");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, only_a_build_for_another_version_is_abi_tag_mismatch)
{
    char *root = tree_new();
    tree_file(root, "site/pkg/__init__.py", "");
    tree_file(root, "site/pkg/_ext.cpython-312-x86_64-linux-gnu.so", "");
    dist(root, "pkg", "cp312-cp312-linux_x86_64", false,
         "pkg/_ext.cpython-312-x86_64-linux-gnu.so,,\n");
    ep_report *r = explain(root, NULL, "pkg._ext", false);
    const ep_finding *f = first(r);
    assert_code(f, "abi-tag-mismatch");
    assert_contains(f->summary, "3.12");
    assert_contains(f->detail, "cp312-cp312");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, pure_wheel_where_an_extension_was_expected)
{
    char *root = tree_new();
    tree_file(root, "site/pkg/__init__.py", "");
    dist(root, "pkg", "py3-none-any", true, "pkg/__init__.py,,\n");
    ep_report *r = explain(root, NULL, "pkg._ext", false);
    const ep_finding *f = first(r);
    assert_code(f, "extension-not-installed");
    assert_contains(f->summary, "pure-Python");
    assert_contains(f->detail, "py3-none-any");
    assert_contains(f->fix, "--only-binary");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, editable_install_pointing_at_a_tree_without_a_build)
{
    char *root = tree_new();
    tree_file(root, "proj/pyproject.toml",
              "[build-system]\nbuild-backend = \"maturin\"\n"
              "[tool.maturin]\nmodule-name = \"pkg._ext\"\n");
    tree_file(root, "proj/pkg/__init__.py", "");
    tree_file(root, "proj/pkg/_ext.cpython-310-x86_64-linux-gnu.so", "");
    char finder[512], extra[1024], url[512];
    snprintf(finder, sizeof(finder), "MAPPING = {'pkg': '%s/proj/pkg'}\n",
             root);
    tree_file(root, "site/__editable___pkg_1_0_finder.py", finder);
    dist(root, "pkg", "py3-none-any", true,
         "__editable__.pkg-1.0.pth,,\n"
         "__editable___pkg_1_0_finder.py,,\n");
    snprintf(url, sizeof(url),
             "{\"url\": \"file://%s/proj\", \"dir_info\": "
             "{\"editable\": true}}",
             root);
    tree_file(root, "site/pkg-1.0.dist-info/direct_url.json", url);
    snprintf(
        extra, sizeof(extra),
        "pth_hook\t%s/site/__editable__.pkg-1.0.pth\timport "
        "__editable___pkg_1_0_finder; __editable___pkg_1_0_finder.install()\n"
        "meta_path\t__editable___pkg_1_0_finder._EditableFinder\t\n",
        root);
    ep_report *r = explain(root, extra, "pkg._ext", false);
    const ep_finding *f = first(r);
    assert_code(f, "editable-without-build");
    assert_contains(f->summary, "only for another interpreter");
    assert_contains(f->detail, "direct_url.json");
    assert_contains(f->fix, "maturin develop");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, crate_directory_imported_as_a_namespace_package)
{
    char *root = tree_new();
    tree_file(root, "work/_native/Cargo.toml", "[package]\n");
    ep_report *r = explain(root, NULL, "_native", false);
    const ep_finding *f = first(r);
    assert_code(f, "namespace-package");
    cr_assert(eq(int, f->severity, EP_SEVERITY_ERROR));
    assert_contains(f->detail, "Cargo.toml");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, module_installed_under_another_name)
{
    char *root = tree_new();
    tree_file(root, "site/fraise/__init__.py", "");
    tree_file(root, "site/fraise/_fraise_rs" SUF, "");
    dist(root, "fraise", "cp311-cp311-linux_x86_64", false,
         "fraise/__init__.py,,\nfraise/_fraise_rs" SUF ",,\n");
    ep_report *r = explain(root, NULL, "_fraise_rs", false);
    const ep_finding *f = first(r);
    assert_code(f, "module-not-found");
    assert_contains(f->detail, "importable as fraise._fraise_rs");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, module_built_under_another_name_lacks_its_pyinit,
     .disabled = !FX_HAVE_PYTHON_H)
{
    char *root = tree_new();
    tree_copy(root, "site/pkg/_ext" SUF, fixture("fxmod" FX_EXT_SUFFIX));
    tree_file(root, "site/pkg/__init__.py", "");
    ep_report *r = explain(root, NULL, "pkg._ext", false);
    const ep_finding *f = first(r);
    assert_code(f, "missing-init-function");
    assert_contains(f->summary, "PyInit__ext");
    assert_contains(f->summary, "PyInit_fxmod");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, aarch64_build_on_x86_64_is_wrong_architecture,
     .disabled = !FX_HAVE_AARCH64)
{
    char *root = tree_new();
    tree_copy(root, "site/fxarm" SUF,
              fixture("fxarm.cpython-311-aarch64-linux-gnu.so"));
    ep_report *r = explain(root, NULL, "fxarm", false);
    const ep_finding *f = first(r);
    assert_code(f, "wrong-architecture");
    assert_contains(f->summary, "aarch64");
    assert_contains(f->detail, "misleading");
    ep_report_free(r);
    tree_rm(root);
}

/* A glibc build under a musl interpreter: no musl CPython can be built
 * here, so a real musl-gcc executable (PT_INTERP /lib/ld-musl-x86_64.so.1)
 * stands in for it, with the facts a musl CPython gives (no glibc version:
 * os.confstr has no CS_GNU_LIBC_VERSION there). */
Test(findings_checks, glibc_build_under_a_musl_interpreter_is_libc_mismatch,
     .disabled = !FX_HAVE_MUSL || !FX_HAVE_PYTHON_H)
{
    char *root = tree_new();
    tree_copy(root, "site/fxmod" SUF, fixture("fxmod" FX_EXT_SUFFIX));
    char exe[PATH_MAX];
    snprintf(exe, sizeof(exe), "%s", fixture("fxmuslexe"));
    char extra[2 * PATH_MAX + 64];
    snprintf(extra, sizeof(extra),
             "executable\t%s\nexecutable_real\t%s\nlibc\t\\0\n", exe, exe);
    ep_report *r = explain(root, extra, "fxmod", false);
    const ep_finding *f = first(r);
    assert_code(f, "libc-mismatch");
    cr_assert(f->severity == EP_SEVERITY_ERROR);
    assert_contains(f->summary, "built for glibc (it needs libc.so.6)");
    assert_contains(f->summary, "runs on musl");
    assert_contains(f->detail, "PT_INTERP /lib/ld-musl-x86_64.so.1");
    assert_contains(f->detail, exe);
    assert_contains(f->fix, "musllinux");
    cr_assert(ep_report_has_errors(r));
    ep_report_free(r);
    tree_rm(root);
}

/* The same module under the glibc executable: nothing to say. */
Test(findings_checks, glibc_build_under_a_glibc_interpreter_is_no_mismatch,
     .disabled = !FX_HAVE_PYTHON_H)
{
    char *root = tree_new();
    tree_copy(root, "site/fxmod" SUF, fixture("fxmod" FX_EXT_SUFFIX));
    ep_report *r = explain(root, "libc\t\\0\n", "fxmod", false);
    for (size_t i = 0; i < ep_report_finding_count(r); i++) {
        cr_assert(ep_report_finding(r, i)->code != EP_FINDING_LIBC_MISMATCH,
                  "%s", ep_report_finding(r, i)->summary);
    }
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, process_libc_from_pt_interp, .disabled = !FX_HAVE_MUSL)
{
    ep_object *musl = NULL, *gnu = NULL;
    cr_assert(ep_object_open(fixture("fxmuslexe"), &musl, NULL) == EP_OK);
    cr_assert(ep_object_open(fixture("fxexe"), &gnu, NULL) == EP_OK);
    ep_arena a;
    ep_arena_init(&a);
    const char *why = NULL;
    assert_str_eq(ep_process_libc(musl, NULL, &why, &a), "musl");
    assert_contains(why, "PT_INTERP /lib/ld-musl-x86_64.so.1");
    why = NULL;
    assert_str_eq(ep_process_libc(gnu, NULL, &why, &a), "glibc");
    assert_contains(why, "PT_INTERP /lib64/ld-linux-x86-64.so.2");
    cr_assert(ep_process_libc(NULL, NULL, &why, &a) == NULL);
    ep_arena_release(&a);
    ep_object_close(musl);
    ep_object_close(gnu);
}

Test(findings_checks, mach_o_build_is_not_an_extension,
     .disabled = !FX_HAVE_CLANG_LLD)
{
    char *root = tree_new();
    tree_copy(root, "site/fxmacho" SUF,
              fixture("fxmacho.cpython-311-darwin.so"));
    ep_report *r = explain(root, NULL, "fxmacho", false);
    const ep_finding *f = first(r);
    assert_code(f, "not-an-extension");
    assert_contains(f->summary, "Mach-O");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, abi3_module_without_py_limited_api_is_a_violation,
     .disabled = !IMP_HAVE_FIXTURES)
{
    char *root = tree_new();
    tree_copy(root, "site/impnolimit.abi3.so",
              tree_path(IMP_DIR, "impnolimit.abi3.so"));
    dist(root, "impnolimit", "cp38-abi3-linux_x86_64", false,
         "impnolimit.abi3.so,,\n");
    ep_report *r = explain(root, NULL, "impnolimit", false);
    const ep_finding *f = first(r);
    assert_code(f, "limited-api-violation");
    assert_contains(f->detail, "PyUnicode_New");
    assert_contains(f->detail, "PyDict_SetDefault");
    assert_contains(f->detail, "3.8");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, api_this_python_lacks_is_an_undefined_symbol,
     .disabled = !IMP_HAVE_FIXTURES)
{
    char *root = tree_new();
    tree_copy(root, "site/impnewapi.so", tree_path(IMP_DIR, "impnewapi.so"));
    ep_report *r = explain(root, NULL, "impnewapi", false);
    const ep_finding *f = first(r);
    assert_code(f, "undefined-symbol");
    assert_contains(f->summary, "PyLong_AsInt");
    assert_contains(f->detail, "no ABI tag");
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, healthy_extension_has_no_error,
     .disabled = !FX_HAVE_PYTHON_H)
{
    char *root = tree_new();
    tree_copy(root, "site/fxmod" SUF, fixture("fxmod" FX_EXT_SUFFIX));
    ep_report *r = explain(root, NULL, "fxmod", false);
    cr_assert(not(ep_report_has_errors(r)));
    cr_assert(ep_report_importable(r));
    assert_str_eq(r->resolved_kind, "extension");
    assert_str_eq(r->resolved_path, tree_path(root, "site/fxmod" SUF));
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, probe_file_checks_the_name_against_the_suffixes,
     .disabled = !FX_HAVE_PYTHON_H)
{
    char *root = tree_new();
    tree_copy(root, "fxmod.cpython-312-x86_64-linux-gnu.so",
              fixture("fxmod" FX_EXT_SUFFIX));
    char *facts = facts_text(root, NULL);
    ep_explain_options opt;
    ep_explain_options_init(&opt);
    opt.facts = facts;
    opt.facts_len = strlen(facts);
    opt.import_trial = false;
    ep_report *r = NULL;
    ep_error err;
    cr_assert(
        ep_probe_file(tree_path(root, "fxmod.cpython-312-x86_64-linux-gnu.so"),
                      &opt, &r, &err) == EP_OK);
    assert_str_eq(ep_report_module(r), "fxmod");
    assert_code(first(r), "abi-tag-mismatch");
    ep_report_free(r);
    free(facts);
    tree_rm(root);
}

Test(findings_checks, bad_name_and_unreadable_facts_are_probe_failures)
{
    ep_explain_options opt;
    ep_explain_options_init(&opt);
    ep_report *r = (ep_report *)1;
    ep_error err;
    cr_assert(
        eq(int, ep_explain("pkg..x", &opt, &r, &err), EP_ERR_INVALID_ARG));
    cr_assert(r == NULL);
    cr_assert(eq(int, ep_explain("1abc", &opt, &r, &err), EP_ERR_INVALID_ARG));
    opt.facts = "nothing useful\n";
    opt.facts_len = strlen(opt.facts);
    cr_assert(eq(int, ep_explain("pkg", &opt, &r, &err), EP_ERR_INTERP));
    cr_assert(r == NULL);
}

Test(findings_checks, options_defaults)
{
    ep_explain_options opt;
    memset(&opt, 0xff, sizeof(opt));
    ep_explain_options_init(&opt);
    assert_str_eq(opt.python, "python3");
    cr_assert(opt.import_trial);
    cr_assert(opt.workdir == NULL && opt.facts == NULL && opt.script == NULL);
    cr_assert(eq(int, opt.start, EP_START_MODE_C));
    cr_assert(eq(dbl, opt.timeout, 60.0));
}

/* The tox story with a real trial: the checkout's package catches the
 * failed import of its compiled module and sets it to None. The facts give
 * the static walk an installed copy; the child process (Debian's python3,
 * started in the checkout) imports the checkout. */
Test(findings_checks, swallowed_import_error_comes_first_then_its_cause,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(
        root, "work/pkg/__init__.py",
        "try:\n    from . import _ext\nexcept ImportError:\n    _ext = None\n");
    tree_file(root, "work/pkg/_ext.c", "");
    tree_file(root, "site/pkg/__init__.py", "");
    tree_file(root, "site/pkg/_ext" SUF, "");
    ep_report *r = explain(root, NULL, "pkg", true);
    cr_assert(r->trial != NULL);
    cr_assert(r->trial->outcome == EP_TRIAL_IMPORTED);
    cr_assert(ep_report_importable(r));
    cr_assert(ep_report_has_errors(r));
    cr_assert(ep_report_finding_count(r) >= 2);
    const ep_finding *f = ep_report_finding(r, 0);
    assert_code(f, "swallowed-import-error");
    assert_contains(f->summary, "No module named 'pkg._ext'");
    assert_contains(f->detail, "pkg._ext is None");
    const ep_finding *cause = ep_report_finding(r, 1);
    assert_code(cause, "shadowed-by-source");
    cr_assert(has_path(cause, tree_path(root, "site/pkg/_ext" SUF)));
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, init_that_raises_is_import_error_with_the_real_text,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "work/boom.py",
              "raise RuntimeError('module compiled against "
              "API version 0x10 but this version of numpy "
              "is 0xf')\n");
    ep_report *r = explain(root, NULL, "boom", true);
    const ep_finding *f = first(r);
    assert_code(f, "import-error");
    assert_contains(f->summary, "RuntimeError");
    assert_contains(f->fix, "NumPy");
    cr_assert(not(ep_report_importable(r)));
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, older_build_beside_a_newer_one_is_a_warning,
     .disabled = !FX_HAVE_PYTHON_H)
{
    char *root = tree_new();
    tree_copy(root, "site/fxmod" SUF, fixture("fxmod" FX_EXT_SUFFIX));
    tree_copy(root, "site/fxmod.abi3.so", fixture("fxmod" FX_EXT_SUFFIX));
    /* Another build, not a copy: one byte more (ignored by the loader). */
    FILE *f = fopen(tree_path(root, "site/fxmod.abi3.so"), "ab");
    cr_assert(f != NULL);
    fputc(0, f);
    fclose(f);
    tree_mtime(root, "site/fxmod" SUF, 1000000);
    tree_mtime(root, "site/fxmod.abi3.so", 2000000);
    ep_report *r = explain(root, NULL, "fxmod", false);
    const ep_finding *h = first(r);
    assert_code(h, "shadowed-by-source");
    cr_assert(eq(int, h->severity, EP_SEVERITY_WARNING));
    assert_contains(h->summary, "older build than fxmod.abi3.so");
    cr_assert(not(ep_report_has_errors(r)));
    ep_report_free(r);
    tree_rm(root);
}

/* Cython's generated `import x` inside a package tries "pkg.x" first and
 * falls back to "x": a caught ModuleNotFoundError that is no failure. */
Test(findings_checks, relative_import_attempt_with_absolute_fallback_is_ignored,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "work/helper.py", "");
    tree_file(root, "work/pkg/__init__.py",
              "try:\n    import pkg.helper as helper\nexcept ImportError:\n"
              "    import helper\n");
    ep_report *r = explain(root, NULL, "pkg", true);
    cr_assert(r->trial != NULL && r->trial->outcome == EP_TRIAL_IMPORTED);
    cr_assert(eq(sz, ep_report_finding_count(r), 0));
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, optional_module_without_any_trace_is_only_a_warning,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "work/pkg/__init__.py",
              "try:\n    from pkg import _accel\nexcept ImportError:\n"
              "    _accel = None\n");
    ep_report *r = explain(root, NULL, "pkg", true);
    const ep_finding *f = first(r);
    assert_code(f, "swallowed-import-error");
    cr_assert(eq(int, f->severity, EP_SEVERITY_WARNING));
    assert_contains(f->detail, "optional component");
    cr_assert(not(ep_report_has_errors(r)));
    ep_report_free(r);
    tree_rm(root);
}

Test(findings_checks, meson_editable_whose_build_directory_is_gone)
{
    char *root = tree_new();
    char loader[512], extra[512];
    snprintf(
        loader, sizeof(loader),
        "install('pkg', {'pkg'}, '%s/proj/build/cp311', ['ninja'], False)\n",
        root);
    tree_file(root, "site/_pkg_editable_loader.py", loader);
    snprintf(
        extra, sizeof(extra),
        "pth_hook\t%s/site/pkg-editable.pth\timport _pkg_editable_loader\n",
        root);
    ep_report *r = explain(root, extra, "pkg._ext", false);
    const ep_finding *f = first(r);
    assert_code(f, "editable-without-build");
    assert_contains(f->summary, "meson-python");
    assert_contains(f->summary, "install plan");
    ep_report_free(r);
    tree_rm(root);
}

/* A finding summary is one line with a limit (EP_SUMMARY_MAX): a longer
 * one, here from four nested 252-byte package names, is cut there and the
 * report's notes say so. */
Test(findings_checks, summary_over_its_limit_is_cut_and_said)
{
    char *root = tree_new();
    char comp[253], rel[1100] = "work", name[1100] = "";
    memset(comp, 'p', 252);
    comp[252] = '\0';
    for (int i = 0; i < 4; i++) {
        comp[0] = (char)('a' + i);
        snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), "/%s", comp);
        snprintf(name + strlen(name), sizeof(name) - strlen(name), "%s%s",
                 i ? "." : "", comp);
        char init[1200];
        snprintf(init, sizeof(init), "%s/__init__.py", rel);
        tree_file(root, init, "");
    }
    strcat(name, "._ext");
    ep_report *r = explain(root, NULL, name, false);
    const ep_finding *f = first(r);
    assert_code(f, "module-not-found");
    cr_assert(eq(sz, strlen(f->summary), EP_SUMMARY_MAX - 1));
    bool said = false;
    for (size_t i = 0; i < r->notes.count; i++) {
        said = said || (strstr(r->notes.items[i], "a module-not-found "
                                                  "summary of") != NULL &&
                        strstr(r->notes.items[i], "cut to its first 2047"));
    }
    cr_assert(said, "no note about the cut summary");
    ep_report_free(r);
    tree_rm(root);
}
