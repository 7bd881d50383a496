/*
 * Installed-distribution evidence from real *.dist-info directories:
 * RECORD rows (csv quoting), the owner of a top-level name, compiled files
 * per module and tag, WHEEL tags against the interpreter (PEP 425, PEP 600),
 * and PEP 610's direct_url.json for editable installs.
 */
#include "importer_tree.h"

#include "importer/importer.h"

#define SUF ".cpython-311-x86_64-linux-gnu.so"

typedef struct dist_fixture {
    char *root;
    ep_interp *in;
    ep_dists ds;
} dist_fixture;

static dist_fixture
load(char *root, const char *extra)
{
    dist_fixture d;
    memset(&d, 0, sizeof(d));
    d.root = root;
    tree_dir(root, "work");
    char *facts = facts_text(root, extra);
    d.in = interp_from(facts);
    free(facts);
    ep_error err;
    cr_assert(ep_dists_load(&d.in->arena, d.in, &d.ds, &err) == EP_OK);
    return d;
}

static void
done(dist_fixture *d)
{
    free(d->ds.items);
    ep_interp_free(d->in);
    tree_rm(d->root);
}

static void
wheel(const char *root, const char *dist, const char *tags, bool pure)
{
    char rel[256], text[1024];
    snprintf(rel, sizeof(rel), "site/%s.dist-info/WHEEL", dist);
    snprintf(text, sizeof(text),
             "Wheel-Version: 1.0\nGenerator: maturin (1.9.0)\n"
             "Root-Is-Purelib: %s\n%s",
             pure ? "true" : "false", tags);
    tree_file(root, rel, text);
}

Test(importer_distinfo, record_rows_give_paths_with_csv_quoting)
{
    char *root = tree_new();
    tree_file(root, "site/odd-1.0.dist-info/RECORD",
              "odd/__init__.py,sha256=abc,10\r\n"
              "\"odd/a,b.py\",sha256=def,3\n"
              "\"odd/say \"\"hi\"\".py\",,\n"
              "odd-1.0.dist-info/RECORD,,\n");
    dist_fixture d = load(root, NULL);
    cr_assert(eq(sz, d.ds.count, 1));
    const ep_dist *o = ep_dists_get(&d.ds, 0);
    assert_str_eq(o->name, "odd");
    assert_str_eq(o->version, "1.0");
    cr_assert(eq(sz, o->record.count, 4));
    assert_str_eq(o->record.items[0], "odd/__init__.py");
    assert_str_eq(o->record.items[1], "odd/a,b.py");
    assert_str_eq(o->record.items[2], "odd/say \"hi\".py");
    done(&d);
}

Test(importer_distinfo, owner_is_found_by_record_then_top_level_then_name)
{
    char *root = tree_new();
    tree_file(root, "site/alpha-2.0.dist-info/RECORD",
              "beta/__init__.py,,\nbeta/_core" SUF ",,\n");
    tree_file(root, "site/beta/__init__.py", "");
    tree_file(root, "site/gamma_dist-1.0.dist-info/top_level.txt", "gamma\n");
    tree_file(root, "site/gamma.py", "");
    tree_file(root, "site/delta_pkg-0.1.dist-info/RECORD", "delta_pkg.pth,,\n");
    dist_fixture d = load(root, NULL);
    const ep_dist *o = ep_dists_owner(&d.ds, "beta", NULL);
    cr_assert(o != NULL);
    assert_str_eq(o->name, "alpha");
    o = ep_dists_owner(&d.ds, "gamma", NULL);
    cr_assert(o != NULL);
    assert_str_eq(o->name, "gamma_dist");
    o = ep_dists_owner(&d.ds, "delta_pkg", NULL);
    cr_assert(o != NULL);
    assert_str_eq(o->name, "delta_pkg");
    cr_assert(ep_dists_owner(&d.ds, "nothing", NULL) == NULL);
    done(&d);
}

Test(importer_distinfo, a_name_no_site_holds_costs_no_record_read)
{
    /* A module in a checkout that no distribution owns: the site directory
     * has no entry for it, so no distribution's metadata is read. A
     * distribution whose files under the name are all gone is found by
     * its own name only. */
    char *root = tree_new();
    tree_file(root, "site/alpha-2.0.dist-info/RECORD",
              "beta/__init__.py,,\nbeta/_core" SUF ",,\n");
    tree_file(root, "site/zeta-1.0.dist-info/RECORD", "zeta/__init__.py,,\n");
    tree_file(root, "site/zeta/__init__.py", "");
    dist_fixture d = load(root, NULL);
    cr_assert(ep_dists_owner(&d.ds, "proj", NULL) == NULL);
    for (size_t i = 0; i < d.ds.count; i++) {
        cr_assert(d.ds.items[i].dist == NULL || !d.ds.items[i].dist->loaded,
                  "%s was read", d.ds.items[i].entry);
    }
    cr_assert(ep_dists_owner(&d.ds, "beta", NULL) == NULL);
    const ep_dist *o = ep_dists_owner(&d.ds, "zeta", NULL);
    cr_assert(o != NULL);
    assert_str_eq(o->name, "zeta");
    done(&d);
}

Test(importer_distinfo, compiled_file_for_a_module_by_tag)
{
    char *root = tree_new();
    tree_file(root, "site/p-1.0.dist-info/RECORD",
              "p/__init__.py,,\np/_a" SUF ",,\n"
              "p/sub/_b.cpython-312-x86_64-linux-gnu.so,,\n");
    dist_fixture d = load(root, NULL);
    const ep_dist *o = ep_dists_get(&d.ds, 0);
    assert_str_eq(ep_dist_compiled_for(o, d.in, "p._a", false), "p/_a" SUF);
    cr_assert(ep_dist_compiled_for(o, d.in, "p.sub._b", false) == NULL);
    assert_str_eq(ep_dist_compiled_for(o, d.in, "p.sub._b", true),
                  "p/sub/_b.cpython-312-x86_64-linux-gnu.so");
    cr_assert(ep_dist_compiled_for(o, d.in, "p._c", true) == NULL);
    cr_assert(eq(sz, ep_dist_compiled_count(o), 2));
    const ep_dist *owner = NULL;
    assert_str_eq(ep_dists_compiled_named(&d.ds, "_b", &owner),
                  "p/sub/_b.cpython-312-x86_64-linux-gnu.so");
    cr_assert(owner == o);
    done(&d);
}

Test(importer_distinfo, direct_url_marks_an_editable_install)
{
    char *root = tree_new();
    tree_file(root, "site/ed-0.1.dist-info/RECORD",
              "__editable__.ed-0.1.pth,,\n");
    tree_file(root, "site/ed-0.1.dist-info/direct_url.json",
              "{\"url\": \"file:///home/u/my%20proj\", "
              "\"dir_info\": {\"editable\": true}}");
    tree_file(root, "site/ed-0.1.dist-info/INSTALLER", "uv\n");
    dist_fixture d = load(root, NULL);
    const ep_dist *o = ep_dists_get(&d.ds, 0);
    cr_assert(o->editable);
    assert_str_eq(o->url_path, "/home/u/my proj");
    assert_str_eq(o->installer, "uv");
    done(&d);
}

Test(importer_distinfo, wheel_tags_against_the_interpreter)
{
    char *root = tree_new();
    wheel(root, "a-1", "Tag: cp312-cp312-manylinux_2_17_x86_64\n", false);
    wheel(root, "b-1", "Tag: py3-none-any\n", true);
    wheel(root, "c-1",
          "Tag: cp38-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64\n", false);
    wheel(root, "d-1", "Tag: cp311-cp311-manylinux_2_99_x86_64\n", false);
    wheel(root, "e-1", "Tag: cp311-cp311-linux_aarch64\n", false);
    wheel(root, "f-1", "Tag: cp311-cp311-musllinux_1_2_x86_64\n", false);
    dist_fixture d = load(root, NULL);
    cr_assert(eq(sz, d.ds.count, 6));
    ep_arena *a = &d.in->arena;
    for (size_t i = 0; i < d.ds.count; i++) {
        const ep_dist *o = ep_dists_get(&d.ds, i);
        const char *why = ep_dist_tag_mismatch(a, o, d.in);
        bool fits = strcmp(o->name, "b") == 0 || strcmp(o->name, "c") == 0;
        cr_assert(fits ? why == NULL : why != NULL, "%s: %s", o->name,
                  why ? why : "fits");
        cr_assert(
            eq(str, (char *)o->wheel_generator, (char *)"maturin (1.9.0)"));
    }
    done(&d);
}

Test(importer_distinfo, abi3_wheel_does_not_fit_a_free_threaded_build)
{
    char *root = tree_new();
    wheel(root, "c-1", "Tag: cp38-abi3-linux_x86_64\n", false);
    dist_fixture d = load(root, NULL);
    d.in->gil_disabled = true;
    d.in->abiflags = "t";
    cr_assert(ep_dist_tag_mismatch(&d.in->arena, ep_dists_get(&d.ds, 0),
                                   d.in) != NULL);
    done(&d);
}

Test(importer_distinfo, owner_of_a_file_comes_from_record)
{
    char *root = tree_new();
    tree_file(root, "site/p-1.0.dist-info/RECORD", "p/_a" SUF ",,\n");
    dist_fixture d = load(root, NULL);
    const ep_dist *o =
        ep_dists_owner_of_file(&d.ds, tree_path(root, "site/p/_a" SUF));
    cr_assert(o != NULL);
    assert_str_eq(o->name, "p");
    cr_assert(ep_dists_owner_of_file(&d.ds, "/elsewhere/p/_a" SUF) == NULL);
    done(&d);
}
