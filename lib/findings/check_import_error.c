/*
 * import-error, and the trial's verdict on everything else: the real
 * import ran in a child process and failed. When a static finding already
 * names the same failure, the trial's exact text confirms it; when the
 * static checks predicted nothing (or something else), the real error is
 * authoritative and becomes the finding -- classified by its text where
 * the loader's message says what it is (trial_text.c), import-error
 * otherwise (an init function that raised, a crash).
 */
#include "findings/checks.h"

#include <string.h>

/* The first line of a message. */
static const char *
first_line(ep_ctx *c, const char *msg)
{
    size_t n = strcspn(msg ? msg : "", "\n");
    return msg ? ep_arena_strndup(c->a, msg, n) : "";
}

static bool
is_self_or_ancestor(const char *subject, const char *name)
{
    size_t n = strlen(subject);
    return strncmp(name, subject, n) == 0 &&
           (name[n] == '\0' || name[n] == '.');
}

/* Advice for an init that raised, from the well-known texts. */
static const char *
init_advice(const char *exc_type, const char *msg)
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
    if (exc_type != NULL && strcmp(exc_type, "ProcessDied") == 0) {
        return "The interpreter crashed inside the module's initialisation: "
               "a binary incompatibility (a GIL build under a free-threaded "
               "interpreter, headers of another Python) or a bug in its init; "
               "run `python -X faulthandler -c 'import ...'` for the stack";
    }
    if (exc_type != NULL && strcmp(exc_type, "Timeout") == 0) {
        return "The import did not finish: its initialisation blocks (a "
               "network call, a lock, input) or is very slow";
    }
    return "The module was found and loaded; its initialisation raised this "
           "exception. Read the traceback for the line that raised it";
}

static void
add_trial_detail(ep_ctx *c, ep_finding_slot *fs, const char *what,
                 const char *exc_type, const char *msg, const char *tb)
{
    ep_finding_detail(c->r, fs, "%s: %s: %s", what, exc_type ? exc_type : "?",
                      msg ? msg : "");
    if (tb != NULL && tb[0] != '\0') {
        ep_finding_detail(c->r, fs, "%s", tb);
    }
}

ep_status
ep_check_import_error(ep_ctx *c, ep_analysis *an, const char *exc_type,
                      const char *message, const char *file,
                      const char *traceback)
{
    const char *subject;
    bool self_enoent;
    const char *msg = message ? message : "";
    const char *own = an->ext_path ? an->ext_path : file;
    ep_finding_code code =
        ep_trial_classify(c->a, exc_type, msg, own, &subject, &self_enoent);
    ep_finding_slot *fs = NULL;
    bool crashed = exc_type != NULL && strcmp(exc_type, "ProcessDied") == 0;
    if (crashed) {
        /* Mapping a damaged or foreign object can kill the process (SIGBUS
         * on a truncated file): the static finding is the explanation. */
        fs = ep_check_find(c, an, EP_FINDING_NOT_AN_EXTENSION);
        fs = fs ? fs : ep_check_find(c, an, EP_FINDING_WRONG_ARCHITECTURE);
    }
    if (fs != NULL) {
        code = EP_FINDING_IMPORT_ERROR;
    } else if (self_enoent) {
        fs = ep_check_find(c, an, EP_FINDING_WRONG_ARCHITECTURE);
        fs = fs ? fs : ep_check_find(c, an, EP_FINDING_NOT_AN_EXTENSION);
        code = EP_FINDING_IMPORT_ERROR;
    } else if (code == EP_FINDING_MODULE_NOT_FOUND && subject != NULL &&
               !is_self_or_ancestor(subject, an->name)) {
        /* Another module, imported by this one's initialisation. */
        code = EP_FINDING_IMPORT_ERROR;
    } else if (code == EP_FINDING_MODULE_NOT_FOUND) {
        fs = ep_check_find_about(c, an, EP_ABOUT_LOCATION, 0);
    } else if (code != EP_FINDING_IMPORT_ERROR) {
        fs = ep_check_find(c, an, code);
    }
    if (fs != NULL) {
        add_trial_detail(c, fs, "Confirmed by a real import in a child process",
                         exc_type, msg, NULL);
        return EP_OK;
    }
    const char *line = first_line(c, msg);
    if (code == EP_FINDING_IMPORT_ERROR) {
        fs = ep_check_add(c, an, code, "importing %s raises %s: %s", an->name,
                          exc_type ? exc_type : "an exception", line);
    } else if (code == EP_FINDING_MODULE_NOT_FOUND) {
        fs = ep_check_add(c, an, code,
                          "the real import does not find %s, "
                          "although the static walk did",
                          subject ? subject : an->name);
    } else {
        fs =
            ep_check_add(c, an, code, "importing %s fails: %s", an->name, line);
    }
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    add_trial_detail(c, fs, "A real import in a child process", exc_type, msg,
                     traceback);
    if (code == EP_FINDING_IMPORT_ERROR) {
        if (self_enoent) {
            ep_finding_detail(c->r, fs,
                              "The loader names the module file "
                              "itself as missing although it exists: it cannot "
                              "use the file (another machine type or a "
                              "damaged object)");
        }
        ep_finding_fix(c->r, fs, "%s", init_advice(exc_type, msg));
    } else {
        ep_finding_detail(c->r, fs,
                          "The static checks did not predict this "
                          "failure; the real import is authoritative");
        if (code == EP_FINDING_MODULE_NOT_FOUND) {
            ep_finding_detail(c->r, fs,
                              "A sys.meta_path finder or path hook "
                              "the static walk does not model may be involved");
            ep_finding_fix(c->r, fs,
                           "Check how %s is installed for this "
                           "interpreter (%s -m pip show, sys.path)",
                           an->name,
                           c->in->executable ? c->in->executable
                                             : c->in->python);
        } else if (code == EP_FINDING_MISSING_DEPENDENCY) {
            ep_finding_fix(c->r, fs,
                           "Install %s where the loader looks, or "
                           "bundle it next to the module with RUNPATH $ORIGIN "
                           "(auditwheel repair)",
                           subject ? subject : "the library");
        } else if (code == EP_FINDING_GLIBC_TOO_NEW) {
            ep_finding_fix(c->r, fs,
                           "Install a build made for this system's "
                           "libraries (%s), or rebuild here: %s",
                           c->in->libc ? c->in->libc : "see ldd --version",
                           ep_fix_rebuild(c, an));
        } else {
            ep_finding_fix(c->r, fs,
                           "Rebuild the module for this interpreter: "
                           "%s",
                           ep_fix_rebuild(c, an));
        }
    }
    if (own != NULL) {
        ep_finding_path(c->r, fs, own);
    }
    return EP_OK;
}
