/*
 * installed-elsewhere: nothing on this interpreter's sys.path provides the
 * module, but another interpreter of this machine has it installed -- a
 * pyenv version, the system Python, a user site (importer/elsewhere.c).
 * The usual story: pip of another Python ran the install.
 */
#include "findings/checks.h"
#include "importer/elsewhere.h"

#include <string.h>

ep_status
ep_check_installed_elsewhere(ep_ctx *c, ep_analysis *an)
{
    if (an->find.found || an->name == NULL || an->name[0] == '\0') {
        return EP_OK;
    }
    size_t tl = strcspn(an->name, ".");
    const char *top = ep_arena_strndup(c->a, an->name, tl);
    ep_elsewhere where[EP_ELSEWHERE_MAX];
    size_t n = 0;
    if (top == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_status st = ep_find_elsewhere(c->a, c->in, top, where, &n, c->err);
    if (st != EP_OK || n == 0) {
        return st;
    }
    const char *which = where[0].version != NULL
                            ? ep_arena_printf(c->a, "Python %s, %s",
                                              where[0].version, where[0].kind)
                            : ep_arena_strdup(c->a, where[0].kind);
    ep_finding_slot *fs =
        which == NULL
            ? NULL
            : ep_check_add(c, an, EP_FINDING_INSTALLED_ELSEWHERE,
                           "%s is installed for %s (%s), not for this "
                           "interpreter (Python %s)",
                           top, where[0].python, which,
                           c->in->version ? c->in->version : "?");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    for (size_t i = 0; i < n; i++) {
        ep_finding_detail(c->r, fs, "Found %s (in the %s of %s)", where[i].path,
                          where[i].kind, where[i].python);
        ep_finding_path(c->r, fs, where[i].path);
    }
    ep_finding_detail(c->r, fs,
                      "This interpreter is %s; none of its sys.path "
                      "entries has %s",
                      c->in->executable ? c->in->executable : c->in->python,
                      top);
    ep_finding_fix(c->r, fs,
                   "Install it for this interpreter: %s -m pip install %s "
                   "(run pip as `python -m pip` of the interpreter that "
                   "imports it), or run your code with %s",
                   c->in->executable ? c->in->executable : c->in->python, top,
                   where[0].python);
    return EP_OK;
}
