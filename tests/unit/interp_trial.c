/*
 * The load trial's record (lib/interp/trial.c): a real import in a child
 * process of Debian's python3, and how it ended -- imported, raised, died,
 * timed out -- with the strings the report prints for each outcome.
 */
#include "importer_tree.h"

#include "interp/trial.h"

#define PY "/usr/bin/python3"

static ep_trial *
trial(const char *root, const char *module, double timeout)
{
    ep_trial *t = NULL;
    ep_error err;
    ep_status st = ep_trial_run(PY, module, root, EP_START_MODE_C, NULL,
                                timeout, &t, &err);
    cr_assert(st == EP_OK, "ep_trial_run: %s", err.message);
    cr_assert(t != NULL);
    return t;
}

Test(interp_trial, outcome_and_stage_names_are_the_report_strings)
{
    assert_str_eq(ep_trial_outcome_str(EP_TRIAL_NOT_RUN), "not run");
    assert_str_eq(ep_trial_outcome_str(EP_TRIAL_IMPORTED), "ok");
    assert_str_eq(ep_trial_outcome_str(EP_TRIAL_RAISED), "error");
    assert_str_eq(ep_trial_outcome_str(EP_TRIAL_TIMEOUT), "Timeout");
    assert_str_eq(ep_trial_outcome_str(EP_TRIAL_DIED), "ProcessDied");
    assert_str_eq(ep_trial_stage_str(EP_TRIAL_STAGE_IMPORT), "import_failed");
    assert_str_eq(ep_trial_stage_str(EP_TRIAL_STAGE_EXT), "ext_failed");
    assert_str_eq(ep_trial_stage_str(EP_TRIAL_STAGE_DIRECT), "direct_import");
}

Test(interp_trial, a_package_that_imports_is_imported_with_its_file,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "pkg/__init__.py", "");
    ep_trial *t = trial(root, "pkg", 30);
    cr_assert(eq(int, t->outcome, EP_TRIAL_IMPORTED));
    cr_assert(t->exc_type == NULL);
    assert_str_eq(t->file, tree_path(root, "pkg/__init__.py"));
    cr_assert(eq(sz, t->module_path.count, 1));
    ep_trial_free(t);
    tree_rm(root);
}

Test(interp_trial, a_caught_failure_is_recorded_with_its_stage,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "pkg/__init__.py",
              "try:\n    from . import _missing\nexcept ImportError:\n"
              "    _missing = None\n");
    ep_trial *t = trial(root, "pkg", 30);
    cr_assert(eq(int, t->outcome, EP_TRIAL_IMPORTED));
    cr_assert(t->nfailures >= 1);
    cr_assert(eq(int, t->failures[0].stage, EP_TRIAL_STAGE_IMPORT));
    assert_str_eq(t->failures[0].exc_type, "ModuleNotFoundError");
    cr_assert(eq(sz, t->none_attrs.count, 1));
    assert_str_eq(t->none_attrs.items[0], "pkg._missing");
    ep_trial_free(t);
    tree_rm(root);
}

Test(interp_trial, an_exception_is_raised_with_its_type_and_text,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "boom.py", "raise RuntimeError('no luck')\n");
    ep_trial *t = trial(root, "boom", 30);
    cr_assert(eq(int, t->outcome, EP_TRIAL_RAISED));
    assert_str_eq(t->exc_type, "RuntimeError");
    assert_str_eq(t->message, "no luck");
    assert_contains(t->traceback, "boom.py");
    ep_trial_free(t);
    tree_rm(root);
}

Test(interp_trial, an_exit_inside_the_import_is_a_died_process,
     .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "quits.py", "import os\nos._exit(3)\n");
    ep_trial *t = trial(root, "quits", 30);
    cr_assert(eq(int, t->outcome, EP_TRIAL_DIED));
    cr_assert(eq(int, t->exit_code, 3));
    assert_str_eq(t->exc_type, "ProcessDied");
    assert_str_eq(t->message,
                  "the interpreter exited with status 3 during the import");
    ep_trial_free(t);
    tree_rm(root);
}

Test(interp_trial, an_import_that_hangs_times_out, .timeout = 60)
{
    char *root = tree_new();
    tree_file(root, "hangs.py", "import time\ntime.sleep(60)\n");
    ep_trial *t = trial(root, "hangs", 1);
    cr_assert(eq(int, t->outcome, EP_TRIAL_TIMEOUT));
    cr_assert(t->timed_out);
    assert_str_eq(t->exc_type, "Timeout");
    assert_str_eq(t->message, "the import did not finish within 1 s");
    ep_trial_free(t);
    tree_rm(root);
}
