/*
 * The public entry of the loader emulation: which process dlopen()s the
 * file. The loader itself knows only an executable and what it loads; this
 * file turns the options' interpreter (a path, a name on PATH, or a pyenv
 * shim that has to be asked for its sys.executable through lib/interp/)
 * into that executable, and CPython's dlopen() caller into the loader's
 * caller object.
 */
#include "interp/interp.h"
#include "loader/loader.h"
#include "util/arena.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Seconds to wait for an interpreter that has to be asked. */
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

static bool
is_elf_file(const char *path)
{
    unsigned char m[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return false;
    }
    bool elf = read(fd, m, 4) == 4 && memcmp(m, "\177ELF", 4) == 0;
    close(fd);
    return elf;
}

/* What execvp would run for name: itself when it holds a '/', else the
 * first executable regular file of that name on PATH. */
static char *
find_on_path(ep_arena *a, const char *name)
{
    if (strchr(name, '/') != NULL) {
        return ep_arena_strdup(a, name);
    }
    const char *path = getenv("PATH");
    if (path == NULL) {
        path = "/usr/local/bin:/usr/bin:/bin";
    }
    while (*path) {
        size_t n = strcspn(path, ":");
        char *cand =
            ep_arena_printf(a, "%.*s%s%s", (int)n, path, n ? "/" : "", name);
        struct stat sb;
        if (cand != NULL && stat(cand, &sb) == 0 && S_ISREG(sb.st_mode) &&
            access(cand, X_OK) == 0) {
            return cand;
        }
        path += n;
        if (*path == ':') {
            path++;
        }
    }
    return NULL;
}

/* The interpreter executable: given, read directly when the named file is
 * ELF, or asked from the interpreter (a pyenv shim is a shell script). */
static ep_status
find_interpreter(ep_arena *a, const ep_deps_options *opt, ld_process *p,
                 ep_error *err)
{
    memset(p, 0, sizeof(*p));
    const char *given = opt->executable;
    if (given == NULL && opt->python == NULL) {
        return EP_OK; /* standalone */
    }
    p->named = ep_arena_strdup(a, given ? given : opt->python);
    if (given == NULL) {
        given = find_on_path(a, opt->python);
        if (given == NULL) {
            return ep_fail(err, EP_ERR_INTERP, "%s: not found on PATH",
                           opt->python);
        }
        if (!is_elf_file(given)) {
            ep_interp *in = NULL;
            ep_status st = ep_interp_query(
                opt->python, NULL, EP_START_MODE_C, NULL,
                opt->timeout > 0 ? opt->timeout : DEFAULT_TIMEOUT, &in, err);
            if (st != EP_OK) {
                return st;
            }
            const char *real =
                in->executable_real ? in->executable_real : in->executable;
            given = real ? ep_arena_strdup(a, real) : NULL;
            p->asked = true;
            p->shared = in->shared;
            if (in->shared && in->libdir && in->ldlibrary) {
                p->libpython =
                    ep_arena_printf(a, "%s/%s", in->libdir, in->ldlibrary);
            }
            ep_interp_free(in);
            if (given == NULL) {
                return ep_fail(err, EP_ERR_INTERP,
                               "%s: sys.executable is "
                               "empty",
                               opt->python);
            }
        }
    }
    char *real = realpath(given, NULL);
    if (real == NULL) {
        return ep_fail_errno(err, errno, "%s", given);
    }
    p->exe = ep_arena_strdup(a, real);
    free(real);
    /* CPython's import machinery (_imp in libpython for a shared build,
     * else the executable) is the code that calls dlopen(). */
    p->caller_prefix = "libpython";
    return p->exe ? EP_OK : ep_fail_nomem(err);
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
    ep_arena a;
    ep_arena_init(&a);
    ld_process proc;
    ep_status st = find_interpreter(&a, opt, &proc, err);
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
