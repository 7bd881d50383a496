/*
 * What the exact error of a real import says, in finding codes. CPython
 * passes dlerror() text through unchanged ("<file>: undefined symbol: X"),
 * and raises its own texts for a missing PyInit_ and a missing module; these
 * are the strings glibc's ld.so and Python/importdl.c print.
 */
#include "findings/checks.h"

#include <string.h>

static const char *
after(const char *msg, const char *marker)
{
    const char *p = strstr(msg, marker);
    return p ? p + strlen(marker) : NULL;
}

/* The word that follows a marker, up to a delimiter. */
static const char *
word_after(ep_arena *a, const char *msg, const char *marker, const char *stop)
{
    const char *p = after(msg, marker);
    if (p == NULL) {
        return NULL;
    }
    size_t n = strcspn(p, stop);
    return n ? ep_arena_strndup(a, p, n) : NULL;
}

ep_finding_code
ep_trial_classify(ep_arena *a, const char *exc_type, const char *message,
                  const char *file, const char **subject, bool *self_enoent)
{
    const char *msg = message ? message : "";
    *subject = NULL;
    *self_enoent = false;
    if ((exc_type && strcmp(exc_type, "ModuleNotFoundError") == 0) ||
        strncmp(msg, "No module named", 15) == 0) {
        *subject = word_after(a, msg, "No module named '", "'");
        return EP_FINDING_MODULE_NOT_FOUND;
    }
    /* Python/importdl.c (3.x) and the 2.7 wording. */
    if (strstr(msg, "does not define module export function") != NULL ||
        strstr(msg, "does not define init function") != NULL) {
        *subject = word_after(a, msg, "(", ")");
        return EP_FINDING_MISSING_INIT_FUNCTION;
    }
    /* glibc: "undefined symbol: X" (and "X, version V"); musl and bionic
     * word it "symbol not found" / "cannot locate symbol". */
    if (strstr(msg, "undefined symbol: ") != NULL) {
        *subject = word_after(a, msg, "undefined symbol: ", ", \n");
        return EP_FINDING_UNDEFINED_SYMBOL;
    }
    if (strstr(msg, "symbol not found") != NULL ||
        strstr(msg, "cannot locate symbol") != NULL) {
        *subject = word_after(a, msg, "cannot locate symbol \"", "\"");
        return EP_FINDING_UNDEFINED_SYMBOL;
    }
    /* "version `GLIBC_2.99' not found (required by ...)" (quote styles
     * differ between glibc releases). */
    if (strstr(msg, "version `") != NULL || strstr(msg, "version '") != NULL) {
        if (strstr(msg, "' not found") != NULL) {
            const char *v = word_after(a, msg, "version `", "'");
            *subject = v ? v : word_after(a, msg, "version '", "'");
            return EP_FINDING_GLIBC_TOO_NEW;
        }
    }
    if (strstr(msg, "wrong ELF class") != NULL) {
        return EP_FINDING_WRONG_ARCHITECTURE;
    }
    if (strstr(msg, "invalid ELF header") != NULL ||
        strstr(msg, "file too short") != NULL ||
        strstr(msg, "ELF load command") != NULL ||
        strstr(msg, "only ET_DYN and ET_EXEC can be loaded") != NULL ||
        strstr(msg, "ELF file's phentsize not the expected size") != NULL) {
        return EP_FINDING_NOT_AN_EXTENSION;
    }
    /* "<file>: cannot open shared object file: Permission denied" is the
     * loader's EACCES, for the module itself or a library. */
    if (strstr(msg, "Permission denied") != NULL) {
        return EP_FINDING_UNREADABLE;
    }
    const char *enoent = strstr(msg, ": cannot open shared object file");
    if (enoent != NULL) {
        const char *lib = ep_arena_strndup(a, msg, (size_t)(enoent - msg));
        *subject = lib;
        /* The loader names the extension itself when its e_machine is
         * wrong (glibc reports ENOENT for an object it cannot use). */
        if (lib != NULL && file != NULL && strcmp(lib, file) == 0) {
            *self_enoent = true;
            return (ep_finding_code)0;
        }
        return EP_FINDING_MISSING_DEPENDENCY;
    }
    return EP_FINDING_IMPORT_ERROR;
}
