/*
 * sys.path origins (lib/interp/origin.c): the names the facts child writes
 * come back as the enum, the enum prints as the contract's words, and a real
 * interpreter's sys.path gets the origins its entries really have.
 */
#include "importer_tree.h"

#include "interp/interp.h"

#include <stdlib.h>

#define PY "/usr/bin/python3"

Test(interp_origin, every_name_round_trips_and_unknown_names_are_other)
{
    static const char *const names[] = {"cwd",    "script-dir", "PYTHONPATH",
                                        "pth",    "user-site",  "site-packages",
                                        "stdlib", "editable",   "other"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        ep_path_origin o = ep_path_origin_parse(names[i]);
        cr_assert(o != EP_ORIGIN_NONE, "%s parsed as none", names[i]);
        assert_str_eq(ep_path_origin_str(o), names[i]);
    }
    cr_assert(eq(int, ep_path_origin_parse("pythonpath"), EP_ORIGIN_OTHER));
    cr_assert(eq(int, ep_path_origin_parse(""), EP_ORIGIN_OTHER));
    cr_assert(eq(int, ep_path_origin_parse(NULL), EP_ORIGIN_OTHER));
    assert_str_eq(ep_path_origin_str(EP_ORIGIN_NONE), "");
}

Test(interp_origin, installed_means_site_packages_user_site_or_stdlib)
{
    cr_assert(ep_path_origin_installed(EP_ORIGIN_SITE_PACKAGES));
    cr_assert(ep_path_origin_installed(EP_ORIGIN_USER_SITE));
    cr_assert(ep_path_origin_installed(EP_ORIGIN_STDLIB));
    cr_assert(not(ep_path_origin_installed(EP_ORIGIN_CWD)));
    cr_assert(not(ep_path_origin_installed(EP_ORIGIN_PYTHONPATH)));
    cr_assert(not(ep_path_origin_installed(EP_ORIGIN_PTH)));
    cr_assert(not(ep_path_origin_installed(EP_ORIGIN_EDITABLE)));
    cr_assert(not(ep_path_origin_installed(EP_ORIGIN_OTHER)));
    cr_assert(not(ep_path_origin_installed(EP_ORIGIN_NONE)));
}

Test(interp_origin, a_real_sys_path_gets_the_origins_of_its_entries,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "pp/keep.py", "");
    const char *pp = tree_path(root, "pp");
    cr_assert(setenv("PYTHONPATH", pp, 1) == 0);
    ep_interp *in = NULL;
    ep_error err;
    ep_status st =
        ep_interp_query(PY, root, EP_START_MODE_C, NULL, 60, &in, &err);
    cr_assert(st == EP_OK, "ep_interp_query: %s", err.message);
    cr_assert(in->npath > 2);
    /* `python -c` puts '' first: the working directory. */
    assert_str_eq(in->path[0].path, "");
    cr_assert(eq(int, in->path[0].origin, EP_ORIGIN_CWD));
    bool saw_pp = false, saw_dynload = false;
    for (size_t i = 0; i < in->npath; i++) {
        const ep_path_entry *e = &in->path[i];
        if (strcmp(e->abs, pp) == 0) {
            saw_pp = true;
            cr_assert(eq(int, e->origin, EP_ORIGIN_PYTHONPATH));
        }
        const char *base = strrchr(e->abs, '/');
        if (base != NULL && strcmp(base, "/lib-dynload") == 0) {
            saw_dynload = true;
            cr_assert(eq(int, e->origin, EP_ORIGIN_STDLIB));
        }
    }
    cr_assert(saw_pp, "PYTHONPATH entry %s not in sys.path", pp);
    cr_assert(saw_dynload, "no lib-dynload in sys.path");
    ep_interp_free(in);
    tree_rm(root);
}
