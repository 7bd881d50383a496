/*
 * import-error: the real import in a child process failed in a way no
 * more specific finding names -- an init function that raised, a crash, a
 * timeout, an import inside the init that failed. The trial's rules
 * (trial_rules.c) decide that the exception is this; here it is worded, with
 * advice from the well-known texts.
 */
#include "findings/checks.h"

#include <string.h>

/* Advice for an init that raised, from the well-known texts. */
static const char *
init_advice(ep_trial_outcome outcome, const char *msg)
{
    if (strstr(msg, "NumPy") != NULL || strstr(msg, "numpy") != NULL ||
        strstr(msg, "_ARRAY_API") != NULL) {
        return "The module was compiled against another NumPy C API than the "
               "installed NumPy: rebuild it against the installed NumPy, or "
               "install the NumPy major version it was built for";
    }
    if (strstr(msg, "PyO3 modules") != NULL) {
        return "PyO3 modules initialise once per process: do not reload them "
               "or import them in sub-interpreters; a PyO3 upgrade may be "
               "needed for the embedding host";
    }
    if (strstr(msg, "executable stack") != NULL) {
        return "glibc 2.41 and later refuse objects that request an "
               "executable stack: relink with -Wl,-z,noexecstack (or "
               "GLIBC_TUNABLES=glibc.rtld.execstack=2 as a stopgap)";
    }
    if (strstr(msg, "static TLS") != NULL) {
        return "The static TLS block is exhausted: import this module earlier "
               "in the process, or preload the library that uses initial-exec "
               "TLS (LD_PRELOAD)";
    }
    if (outcome == EP_TRIAL_DIED &&
        strstr(msg, "killed by signal 7 while loading") != NULL) {
        /* SIGBUS (7 on Linux) while the loader maps: glibc 2.36 maps a file
         * cut inside a segment and touches past its end. */
        return "The interpreter died of SIGBUS while the module or a library "
               "it needs was being mapped: a file shorter than its headers "
               "say (cut short by a failed copy, download or disk); `extprobe "
               "deps` on the module names the damaged file. Reinstall what "
               "installed it";
    }
    if (outcome == EP_TRIAL_DIED) {
        return "The interpreter crashed inside the module's initialisation: "
               "a binary incompatibility (a GIL build under a free-threaded "
               "interpreter, headers of another Python) or a bug in its init; "
               "run `python -X faulthandler -c 'import ...'` for the stack";
    }
    if (outcome == EP_TRIAL_TIMEOUT) {
        return "The import did not finish: its initialisation blocks (a "
               "network call, a lock, input) or is very slow";
    }
    return "The module was found and loaded; its initialisation raised this "
           "exception. Read the traceback for the line that raised it";
}

ep_status
ep_check_import_error(ep_ctx *c, ep_analysis *an, const ep_trial_error *e)
{
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_IMPORT_ERROR, "importing %s raises %s: %s", an->name,
        e->exc_type ? e->exc_type : "an exception", e->line);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_trial_details(c, fs, e, false);
    if (e->self_enoent) {
        ep_finding_detail(c->r, fs,
                          "The loader names the module file "
                          "itself as missing although it exists: it cannot "
                          "use the file (another machine type or a "
                          "damaged object)");
    }
    ep_finding_fix(c->r, fs, "%s", init_advice(e->outcome, e->message));
    if (e->file != NULL) {
        ep_finding_path(c->r, fs, e->file);
    }
    return EP_OK;
}
