/*
 * The public entry of the loader emulation: which process dlopen()s the
 * file. The loader itself knows only an executable and what it loads; this
 * file turns the options' interpreter (a path, a name on PATH, a venv's
 * link, a pyenv shim: deps/pyexe.c) into that executable, without running
 * it, and CPython's dlopen() caller into the loader's caller object.
 */
#include "deps/pyexe.h"
#include "loader/loader.h"
#include "util/arena.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The old timeout option's default (nothing is run any more). */
#define DEFAULT_TIMEOUT 30.0

void
ep_deps_options_init(ep_deps_options *opt)
{
    if (opt == NULL) {
        return;
    }
    memset(opt, 0, sizeof(*opt));
    opt->python = "python3";
    opt->timeout = DEFAULT_TIMEOUT;
    opt->symbols = true;
}

/* The interpreter process, modelled from its files alone: the executable
 * the name leads to (deps/pyexe.c) and the libpython it needs. Nothing is
 * run; only explain asks the interpreter (for sys.path and the like). */
static ep_status
find_interpreter(ld_sess *s, ep_arena *a, const char *python, const char *given,
                 ld_process *p, ep_error *err)
{
    memset(p, 0, sizeof(*p));
    if (given == NULL && python == NULL) {
        return EP_OK; /* standalone */
    }
    p->named = ep_arena_strdup(a, given ? given : python);
    const char *exe = NULL;
    if (given != NULL) {
        char *real = realpath(given, NULL);
        if (real == NULL) {
            return ep_fail_errno(err, errno, "%s", given);
        }
        exe = ep_arena_strdup(a, real);
        free(real);
    } else {
        const char *how = NULL;
        ep_status st = ep_pyexe_resolve(a, python, &exe, &how, err);
        if (st != EP_OK) {
            return st;
        }
    }
    if (exe == NULL || p->named == NULL) {
        return ep_fail_nomem(err);
    }
    p->exe = exe;
    /* A shared build's executable needs libpython3.X.so (what sysconfig's
     * Py_ENABLE_SHARED and LDLIBRARY say); a static one does not. */
    ep_status st = ld_exe_libpython(s, a, exe, &p->libpython, err);
    if (st != EP_OK) {
        return st;
    }
    p->shared = p->libpython != NULL;
    /* CPython's import machinery (_imp in libpython for a shared build,
     * else the executable) is the code that calls dlopen(). */
    p->caller_prefix = "libpython";
    return EP_OK;
}

ep_status
ep_deps_session_new(const ep_deps_options *opt, ep_deps_session **out,
                    ep_error *err)
{
    ep_deps_options defaults;
    if (out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_deps_session_new: NULL "
                       "argument");
    }
    *out = NULL;
    if (opt == NULL) {
        ep_deps_options_init(&defaults);
        opt = &defaults;
    }
    if (opt->plain_unless_extension &&
        (opt->python != NULL || opt->executable != NULL)) {
        /* Only Python extensions are loaded in the interpreter: it is
         * modelled when the first one comes (a batch of plain libraries,
         * or one per process, never reads a shim or a pyvenv.cfg). */
        ep_status st = ld_session_new(opt, NULL, out, err);
        if (st == EP_OK &&
            ld_session_defer_process(*out, find_interpreter, opt->python,
                                     opt->executable) != EP_OK) {
            ep_deps_session_free(*out);
            *out = NULL;
            st = ep_fail_nomem(err);
        }
        return st;
    }
    ep_arena a;
    ep_arena_init(&a);
    ld_process proc;
    ep_status st =
        find_interpreter(NULL, &a, opt->python, opt->executable, &proc, err);
    if (st == EP_OK) {
        st = ld_session_new(opt, &proc, out, err);
    }
    ep_arena_release(&a);
    return st;
}

ep_status
ep_deps_analyze(const char *path, const ep_deps_options *opt, ep_deps **out,
                ep_error *err)
{
    if (path == NULL || out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_deps_analyze: NULL "
                       "argument");
    }
    *out = NULL;
    ep_deps_session *s = NULL;
    ep_status st = ep_deps_session_new(opt, &s, err);
    if (st != EP_OK) {
        return st;
    }
    st = ep_deps_session_analyze(s, path, out, err);
    ep_deps_session_free(s);
    return st;
}
