/*
 * The static finder walk against real directory trees: FileFinder's order
 * inside one directory (package, then EXTENSION_SUFFIXES, source, bytecode),
 * PathFinder's first-regular-match rule and PEP 420 portions, submodules in
 * the parent's __path__ only, other copies recorded as shadowed, wrong tags,
 * stale builds, and the editable finders of setuptools, meson-python and
 * scikit-build-core read from their generated files.
 */
#include "importer_tree.h"

#include "importer/importer.h"

#define SUF ".cpython-311-x86_64-linux-gnu.so"

typedef struct walk_fixture {
    char *root;
    ep_interp *in;
    ep_editables ed;
    ep_find f;
} walk_fixture;

static walk_fixture
fixture(void)
{
    walk_fixture w;
    memset(&w, 0, sizeof(w));
    w.root = tree_new();
    return w;
}

static void
walk(walk_fixture *w, const char *extra_facts, const char *name)
{
    char *facts = facts_text(w->root, extra_facts);
    w->in = interp_from(facts);
    free(facts);
    ep_error err;
    cr_assert(ep_editables_load(&w->in->arena, w->in, &w->ed, &err) == EP_OK);
    cr_assert(ep_find_module(&w->in->arena, w->in, &w->ed, name, &w->f, &err) ==
              EP_OK);
}

static void
walk_done(walk_fixture *w)
{
    ep_find_release(&w->f);
    ep_interp_free(w->in);
    tree_rm(w->root);
}

/* The candidate with this path, or NULL. */
static const ep_cand *
cand(const walk_fixture *w, const char *path)
{
    for (size_t i = 0; i < w->f.ncands; i++) {
        if (strcmp(w->f.cands[i].path, path) == 0) {
            return &w->f.cands[i];
        }
    }
    return NULL;
}

static void
assert_status(const walk_fixture *w, const char *rel, const char *status)
{
    const ep_cand *c = cand(w, tree_path(w->root, rel));
    cr_assert(c != NULL, "no candidate %s", rel);
    assert_str_eq(ep_cand_status_str(c->status), status);
}

Test(importer_finder, extension_suffixes_are_tried_in_order_before_source)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "site/m.abi3.so", "");
    tree_file(w.root, "site/m" SUF, "");
    tree_file(w.root, "site/m.py", "");
    walk(&w, NULL, "m");
    cr_assert(w.f.found);
    cr_assert(eq(int, w.f.steps[0].kind, EP_SPEC_EXTENSION));
    assert_str_eq(w.f.steps[0].origin, tree_path(w.root, "site/m" SUF));
    assert_status(&w, "site/m" SUF, "used");
    assert_status(&w, "site/m.abi3.so", "shadowed");
    assert_status(&w, "site/m.py", "shadowed");
    assert_contains(cand(&w, tree_path(w.root, "site/m.abi3.so"))->detail,
                    "same directory");
    walk_done(&w);
}

Test(importer_finder, package_directory_beats_module_file_in_one_entry)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "site/pkg/__init__.py", "");
    tree_file(w.root, "site/pkg" SUF, "");
    walk(&w, NULL, "pkg");
    cr_assert(eq(int, w.f.steps[0].kind, EP_SPEC_PACKAGE));
    assert_str_eq(w.f.steps[0].dir, tree_path(w.root, "site/pkg"));
    assert_status(&w, "site/pkg" SUF, "shadowed");
    walk_done(&w);
}

Test(importer_finder, submodule_is_looked_up_only_in_the_first_copy)
{
    /* The tox story: the checkout in the working directory has the package
     * without its compiled module; site-packages has both. */
    walk_fixture w = fixture();
    tree_file(w.root, "work/pkg/__init__.py", "");
    tree_file(w.root, "site/pkg/__init__.py", "");
    tree_file(w.root, "site/pkg/_ext" SUF, "");
    walk(&w, NULL, "pkg._ext");
    cr_assert(not(w.f.found));
    cr_assert(eq(sz, w.f.fail_step, 1));
    assert_str_eq(w.f.steps[0].dir, tree_path(w.root, "work/pkg"));
    assert_str_eq(ep_path_origin_str(w.f.steps[0].found_in.origin), "cwd");
    assert_status(&w, "site/pkg", "shadowed");
    const ep_cand *c = cand(&w, tree_path(w.root, "site/pkg/_ext" SUF));
    cr_assert(c != NULL);
    cr_assert(c->alternative);
    assert_str_eq(ep_cand_status_str(c->status), "shadowed");
    assert_contains(c->detail, "never reaches");
    walk_done(&w);
}

Test(importer_finder, namespace_portions_from_several_entries_are_joined)
{
    walk_fixture w = fixture();
    tree_file(w.root, "work/ns/a.py", "");
    tree_file(w.root, "site/ns/b.py", "");
    walk(&w, NULL, "ns.b");
    cr_assert(w.f.found);
    cr_assert(eq(int, w.f.steps[0].kind, EP_SPEC_NAMESPACE));
    cr_assert(eq(sz, w.f.steps[0].path.count, 2));
    assert_status(&w, "work/ns", "namespace-portion");
    assert_status(&w, "site/ns", "namespace-portion");
    assert_str_eq(w.f.steps[1].origin, tree_path(w.root, "site/ns/b.py"));
    assert_str_eq(ep_path_origin_str(w.f.steps[1].found_in.origin),
                  "site-packages");
    walk_done(&w);
}

Test(importer_finder, regular_package_in_a_later_entry_beats_an_earlier_portion)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work/pkg");
    tree_file(w.root, "site/pkg/__init__.py", "");
    walk(&w, NULL, "pkg");
    cr_assert(eq(int, w.f.steps[0].kind, EP_SPEC_PACKAGE));
    assert_status(&w, "site/pkg", "used");
    assert_status(&w, "work/pkg", "namespace-portion");
    assert_contains(cand(&w, tree_path(w.root, "work/pkg"))->detail,
                    "passed over");
    walk_done(&w);
}

Test(importer_finder, file_tagged_for_another_version_is_wrong_tag)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "site/pkg/__init__.py", "");
    tree_file(w.root, "site/pkg/_ext.cpython-312-x86_64-linux-gnu.so", "");
    tree_file(w.root, "site/pkg/_ext.cpython-311d-x86_64-linux-gnu.so", "");
    walk(&w, NULL, "pkg._ext");
    cr_assert(not(w.f.found));
    const ep_cand *c = cand(
        &w, tree_path(w.root, "site/pkg/_ext.cpython-312-x86_64-linux-gnu.so"));
    cr_assert(c != NULL);
    cr_assert(eq(int, c->kind, EP_CAND_FOREIGN));
    assert_str_eq(ep_cand_status_str(c->status), "wrong-tag");
    assert_contains(c->detail, "built for CPython 3.12");
    c = cand(&w, tree_path(w.root,
                           "site/pkg/_ext.cpython-311d-x86_64-linux-gnu.so"));
    cr_assert(c != NULL);
    assert_contains(c->detail, "debug");
    walk_done(&w);
}

Test(importer_finder, module_found_where_a_package_is_needed)
{
    walk_fixture w = fixture();
    tree_file(w.root, "work/shapes.py", "");
    tree_file(w.root, "site/shapes/__init__.py", "");
    tree_file(w.root, "site/shapes/rectangle.py", "");
    walk(&w, NULL, "shapes.rectangle");
    cr_assert(not(w.f.found));
    cr_assert(w.f.not_a_package);
    cr_assert(eq(sz, w.f.fail_step, 1));
    assert_status(&w, "site/shapes", "shadowed");
    walk_done(&w);
}

Test(importer_finder, extension_older_than_its_cython_source_is_stale)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "site/m" SUF, "");
    tree_file(w.root, "site/m.pyx", "");
    tree_mtime(w.root, "site/m" SUF, 1000000);
    tree_mtime(w.root, "site/m.pyx", 2000000);
    walk(&w, NULL, "m");
    const ep_cand *c = cand(&w, tree_path(w.root, "site/m" SUF));
    cr_assert(c != NULL);
    assert_str_eq(ep_cand_status_str(c->status), "used");
    assert_str_eq(c->newer_source, tree_path(w.root, "site/m.pyx"));
    assert_contains(c->detail, "older than");
    walk_done(&w);
}

Test(importer_finder, setuptools_editable_finder_comes_after_pathfinder)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "proj/src/pkg/__init__.py", "");
    char finder[1024];
    snprintf(
        finder, sizeof(finder),
        "import sys\nMAPPING: dict[str, str] = {'pkg': '%s/proj/src/pkg'}\n"
        "NAMESPACES = {}\n",
        w.root);
    tree_file(w.root, "site/__editable___pkg_1_0_finder.py", finder);
    char extra[1024];
    snprintf(
        extra, sizeof(extra),
        "pth_hook\t%s/site/__editable__.pkg-1.0.pth\timport "
        "__editable___pkg_1_0_finder; __editable___pkg_1_0_finder.install()\n"
        "meta_path\t__editable___pkg_1_0_finder._EditableFinder\t\n",
        w.root);
    walk(&w, extra, "pkg");
    cr_assert(eq(sz, w.ed.count, 1));
    cr_assert(not(w.ed.items[0].before_pathfinder));
    cr_assert(w.f.found);
    assert_str_eq(w.f.steps[0].dir, tree_path(w.root, "proj/src/pkg"));
    assert_contains(w.f.steps[0].via, "setuptools editable finder");
    walk_done(&w);
}

Test(importer_finder, checkout_in_cwd_wins_over_setuptools_editable_mapping)
{
    walk_fixture w = fixture();
    tree_file(w.root, "work/pkg/__init__.py", "");
    tree_file(w.root, "proj/src/pkg/__init__.py", "");
    char finder[1024];
    snprintf(finder, sizeof(finder), "MAPPING = {'pkg': '%s/proj/src/pkg'}\n",
             w.root);
    tree_file(w.root, "site/__editable___pkg_1_0_finder.py", finder);
    char extra[1024];
    snprintf(
        extra, sizeof(extra),
        "pth_hook\t%s/site/__editable__.pkg-1.0.pth\timport "
        "__editable___pkg_1_0_finder; __editable___pkg_1_0_finder.install()\n"
        "meta_path\t__editable___pkg_1_0_finder._EditableFinder\t\n",
        w.root);
    walk(&w, extra, "pkg");
    assert_str_eq(w.f.steps[0].dir, tree_path(w.root, "work/pkg"));
    assert_status(&w, "proj/src/pkg", "shadowed");
    walk_done(&w);
}

Test(importer_finder, meson_python_loader_serves_names_from_the_install_plan)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "build/pkg/_ext" SUF, "");
    tree_file(w.root, "proj/pkg/__init__.py", "");
    char plan[2048];
    snprintf(plan, sizeof(plan),
             "{\"targets\": {\"%s/build/pkg/_ext" SUF "\": {\"destination\": "
             "\"{py_platlib}/pkg/_ext" SUF "\", \"tag\": \"runtime\"}},"
             " \"python\": {\"%s/proj/pkg/__init__.py\": {\"destination\": "
             "\"{py_purelib}/pkg/__init__.py\"}}}",
             w.root, w.root);
    tree_file(w.root, "build/meson-info/intro-install_plan.json", plan);
    char loader[1024];
    snprintf(loader, sizeof(loader),
             "def install(package, names, path, cmd, verbose):\n    pass\n\n"
             "install(\n    'pkg',\n    {'pkg'},\n    '%s/build',\n"
             "    ['ninja'],\n    False,\n)\n",
             w.root);
    tree_file(w.root, "site/_pkg_editable_loader.py", loader);
    char extra[1024];
    snprintf(
        extra, sizeof(extra),
        "pth_hook\t%s/site/pkg-editable.pth\timport _pkg_editable_loader\n",
        w.root);
    walk(&w, extra, "pkg._ext");
    cr_assert(eq(sz, w.ed.count, 1));
    cr_assert(w.ed.items[0].before_pathfinder);
    cr_assert(w.f.found);
    assert_str_eq(w.f.steps[1].origin, tree_path(w.root, "build/pkg/_ext" SUF));
    assert_contains(w.f.steps[1].via, "meson-python");
    walk_done(&w);
}

Test(importer_finder, scikit_build_core_redirect_prefers_wheel_files)
{
    walk_fixture w = fixture();
    tree_dir(w.root, "work");
    tree_file(w.root, "proj/src/pkg/__init__.py", "");
    tree_file(w.root, "site/pkg/_core" SUF, "");
    char redirect[1024];
    snprintf(redirect, sizeof(redirect),
             "def install(a, b, c, d=False, e=False, f=None, g=None, h=''):\n"
             "    pass\n\n"
             "install({'pkg': '%s/proj/src/pkg/__init__.py'}, "
             "{'pkg._core': 'pkg/_core" SUF
             "'}, None, False, True, [], [], '')\n",
             w.root);
    tree_file(w.root, "site/_pkg_editable.py", redirect);
    char extra[1024];
    snprintf(extra, sizeof(extra),
             "pth_hook\t%s/site/_pkg_editable.pth\timport _pkg_editable\n",
             w.root);
    /* No meta_path record: the finder is placed where scikit-build-core's
     * install() puts it, sys.meta_path[0]. */
    walk(&w, extra, "pkg._core");
    cr_assert(w.ed.items[0].before_pathfinder);
    cr_assert(eq(sz, w.ed.count, 1));
    cr_assert(eq(sz, w.ed.items[0].nwheel, 1));
    cr_assert(w.f.found);
    assert_str_eq(w.f.steps[0].dir, tree_path(w.root, "proj/src/pkg"));
    assert_str_eq(w.f.steps[1].origin, tree_path(w.root, "site/pkg/_core" SUF));
    walk_done(&w);
}

Test(importer_finder, tag_mismatch_reasons_name_the_difference)
{
    char *facts = facts_text("/nonexistent", NULL);
    ep_interp *in = interp_from(facts);
    free(facts);
    ep_arena *a = &in->arena;
    cr_assert(ep_tag_mismatch_reason(a, in, "m" SUF) == NULL);
    cr_assert(ep_tag_mismatch_reason(a, in, "m.abi3.so") == NULL);
    assert_contains(
        ep_tag_mismatch_reason(a, in, "m.cpython-313t-x86_64-linux-gnu.so"),
        "3.13");
    assert_contains(
        ep_tag_mismatch_reason(a, in, "m.cpython-311t-x86_64-linux-gnu.so"),
        "free-threaded");
    assert_contains(
        ep_tag_mismatch_reason(a, in, "m.cpython-311-aarch64-linux-gnu.so"),
        "aarch64-linux-gnu");
    assert_contains(
        ep_tag_mismatch_reason(a, in, "m.pypy310-pp73-x86_64-linux-gnu.so"),
        "PyPy");
    ep_interp_free(in);
}
