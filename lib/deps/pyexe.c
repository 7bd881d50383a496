/*
 * The interpreter executable behind a name, found the way exec and pyenv
 * find it, without starting anything: the loader models the interpreter
 * process from this file's ELF alone. Not here: what the interpreter would
 * say about sys.path (lib/interp/, for explain only).
 */
#include "deps/pyexe.h"
#include "util/path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Enough for a pyenv shim (about 300 bytes) and the first lines of any
 * other script. */
#define SCRIPT_HEAD 4096
/* Shim to shim to venv: a longer chain is a loop. */
#define MAX_HOPS 8

static bool
is_exec_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
           access(path, X_OK) == 0;
}

static bool
is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* What execvp would run for name: itself when it holds a '/', else the
 * first executable regular file of that name on path (PATH when NULL),
 * leaving out the directory skip (pyenv's shims, for its `system`). */
static char *
find_on_path(ep_arena *a, const char *name, const char *path, const char *skip1,
             const char *skip2)
{
    if (strchr(name, '/') != NULL) {
        return ep_arena_strdup(a, name);
    }
    if (path == NULL) {
        path = getenv("PATH");
    }
    if (path == NULL) {
        path = "/usr/local/bin:/usr/bin:/bin";
    }
    while (*path) {
        size_t n = strcspn(path, ":");
        bool skip = (skip1 && strlen(skip1) == n && !strncmp(path, skip1, n)) ||
                    (skip2 && strlen(skip2) == n && !strncmp(path, skip2, n));
        char *cand =
            ep_arena_printf(a, "%.*s%s%s", (int)n, path, n ? "/" : "", name);
        if (!skip && cand != NULL && is_exec_file(cand)) {
            return cand;
        }
        path += n;
        if (*path == ':') {
            path++;
        }
    }
    return NULL;
}

/* The first bytes of path, NUL-terminated, in buf; -1 with errno set when
 * it cannot be read. */
static ssize_t
read_head(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, buf, size - 1);
    int e = errno;
    close(fd);
    errno = e;
    if (n >= 0) {
        buf[n] = '\0';
    }
    return n;
}

/* ---- pyenv (libexec/pyenv-exec, -which, -version-name, -latest) ------- */

typedef struct pyenv {
    ep_arena *a;
    const char *root;     /* PYENV_ROOT as the shim exports it */
    const char *shim_dir; /* the directory the shim was found in */
    const char *program;  /* the shim's name: what pyenv-exec runs */
    const char *origin;   /* where the version came from, for messages */
} pyenv;

/* The value of `export PYENV_ROOT="..."` in a shim (pyenv-rehash writes
 * it literally), or NULL. */
static char *
shim_root(ep_arena *a, const char *text)
{
    const char *p = strstr(text, "export PYENV_ROOT=\"");
    if (p == NULL) {
        return NULL;
    }
    p += strlen("export PYENV_ROOT=\"");
    size_t n = strcspn(p, "\"\n");
    return p[n] == '"' ? ep_arena_strndup(a, p, n) : NULL;
}

/* pyenv-version-file-read's is_version_safe: "..", or a name with a '/'
 * that leaves versions/, is ignored. */
static bool
version_safe(pyenv *pe, const char *v)
{
    if (strcmp(v, "..") != 0 && strchr(v, '/') == NULL) {
        return true;
    }
    char *dir = ep_arena_printf(pe->a, "%s/versions/%s", pe->root, v);
    char *base = ep_arena_printf(pe->a, "%s/versions/", pe->root);
    char *real = dir ? realpath(dir, NULL) : NULL;
    char *rbase = base ? realpath(base, NULL) : NULL;
    bool ok = real && rbase && strncmp(real, rbase, strlen(rbase)) == 0 &&
              real[strlen(rbase)] == '/';
    free(real);
    free(rbase);
    return ok;
}

/* pyenv-version-file-read: the first word of each line that is neither
 * empty nor a comment, joined with ':'; NULL when there is none. */
static char *
read_version_file(pyenv *pe, const char *file)
{
    char buf[SCRIPT_HEAD];
    if (read_head(file, buf, sizeof(buf)) <= 0) {
        return NULL;
    }
    char *out = ep_arena_strdup(pe->a, "");
    for (char *line = buf; out != NULL && *line;) {
        size_t len = strcspn(line, "\n");
        char *next = line + len + (line[len] == '\n');
        line[len] = '\0';
        char *w = line + strspn(line, " \t\r");
        w[strcspn(w, " \t\r")] = '\0';
        if (*w != '\0' && *w != '#' && version_safe(pe, w)) {
            out = ep_arena_printf(pe->a, "%s%s%s", out, *out ? ":" : "", w);
        }
        line = next;
    }
    return out && *out ? out : NULL;
}

/* find_local_version_file: .python-version in dir or a parent. */
static char *
find_local_version_file(pyenv *pe, const char *dir)
{
    char *root = ep_arena_strdup(pe->a, dir);
    while (root != NULL) {
        /* bash: stop at "//host" (a network root) */
        if (root[0] == '/' && root[1] == '/' && root[2] != '\0' &&
            strchr(root + 2, '/') == NULL) {
            break;
        }
        char *f = ep_arena_printf(pe->a, "%s/.python-version", root);
        struct stat sb;
        if (f != NULL && stat(f, &sb) == 0 && S_ISREG(sb.st_mode)) {
            return f;
        }
        if (*root == '\0') {
            break;
        }
        char *slash = strrchr(root, '/');
        if (slash == NULL) {
            break;
        }
        *slash = '\0'; /* bash: root="${root%/...}" */
    }
    return NULL;
}

/* PYENV_VERSION, else the version file pyenv-version-file picks. */
static const char *
version_setting(pyenv *pe)
{
    const char *env = getenv("PYENV_VERSION");
    if (env != NULL && *env != '\0') {
        pe->origin = "the PYENV_VERSION environment variable";
        return env;
    }
    char cwd[4096];
    const char *pwd = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
    const char *pdir = getenv("PYENV_DIR");
    if (pdir == NULL || *pdir == '\0') {
        pdir = pwd;
    }
    char *file = find_local_version_file(pe, pdir);
    if (file == NULL && strcmp(pdir, pwd) != 0) {
        file = find_local_version_file(pe, pwd);
    }
    if (file == NULL) {
        file = ep_arena_printf(pe->a, "%s/version", pe->root);
    }
    pe->origin = file;
    return file ? read_version_file(pe, file) : NULL;
}

/* pyenv-latest's order: the first dot-field as text, the next three as
 * numbers, highest first. Negative when x sorts before y (x is newer). */
static int
latest_cmp(const char *x, const char *y)
{
    size_t nx = strcspn(x, "."), ny = strcspn(y, ".");
    int c = strncmp(y, x, nx < ny ? nx : ny);
    if (c != 0 || nx != ny) {
        return c != 0 ? c : (nx < ny ? 1 : -1);
    }
    x += nx;
    y += ny;
    for (int k = 0; k < 3; k++) {
        x += *x == '.';
        y += *y == '.';
        long vx = strtol(x, NULL, 10), vy = strtol(y, NULL, 10);
        if (vx != vy) {
            return vx > vy ? -1 : 1;
        }
        x += strcspn(x, ".");
        y += strcspn(y, ".");
    }
    return 0;
}

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* A pre-release name (a1, b2, rc3 at the end). */
static bool
is_prerelease(const char *v)
{
    size_t n = strlen(v);
    while (n > 0 && v[n - 1] >= '0' && v[n - 1] <= '9') {
        n--;
    }
    if (n == strlen(v)) {
        return false;
    }
    return (n >= 1 && (v[n - 1] == 'a' || v[n - 1] == 'b')) ||
           (n >= 2 && v[n - 2] == 'r' && v[n - 1] == 'c');
}

/* pyenv-latest -b: the newest installed version named prefix-... or
 * prefix.... ("3.11" -> "3.11.7"), free-threaded ("t") builds only for
 * a prefix ending in t; NULL when none matches. */
static char *
latest_installed(pyenv *pe, const char *prefix)
{
    char *vdir = ep_arena_printf(pe->a, "%s/versions", pe->root);
    DIR *d = vdir ? opendir(vdir) : NULL;
    if (d == NULL) {
        return NULL;
    }
    size_t plen = strlen(prefix);
    bool want_t = plen >= 2 && prefix[plen - 1] == 't' &&
                  prefix[plen - 2] >= '0' && prefix[plen - 2] <= '9';
    if (want_t) {
        plen--;
    }
    char *best = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *v = e->d_name;
        size_t n = strlen(v);
        bool is_t =
            n >= 2 && v[n - 1] == 't' && v[n - 2] >= '0' && v[n - 2] <= '9';
        if (strncmp(v, prefix, plen) != 0 ||
            (v[plen] != '.' && v[plen] != '-') || is_t != want_t ||
            ends_with(v, "-dev") || ends_with(v, "-src") ||
            ends_with(v, "-latest") || is_prerelease(v)) {
            continue;
        }
        if (best == NULL || latest_cmp(v, best) < 0) {
            best = ep_arena_strdup(pe->a, v);
        }
    }
    closedir(d);
    return best;
}

/* pyenv-version-name -f and pyenv-prefix for one entry: the directory name
 * under versions/ ("3.11" -> "3.11.7", "python-3.11.7" -> "3.11.7"). */
static const char *
installed_name(pyenv *pe, const char *v)
{
    const char *norm = strncmp(v, "python-", 7) == 0 ? v + 7 : v;
    const char *cands[2] = {v, norm};
    for (int i = 0; i < 2; i++) {
        char *dir =
            ep_arena_printf(pe->a, "%s/versions/%s", pe->root, cands[i]);
        if (dir != NULL && is_dir(dir)) {
            return cands[i];
        }
    }
    for (int i = 0; i < 2; i++) {
        char *l = latest_installed(pe, cands[i]);
        if (l != NULL) {
            return l;
        }
    }
    return NULL;
}

/* pyenv-exec: the command path pyenv-which prints for the shim. */
static ep_status
pyenv_which(pyenv *pe, const char **out, const char **how, ep_error *err)
{
    const char *setting = version_setting(pe);
    if (setting == NULL || strcmp(setting, "system") == 0) {
        setting = "";
    }
    char *list =
        ep_arena_printf(pe->a, "%s%ssystem", setting, *setting ? ":" : "");
    if (list == NULL) {
        return ep_fail_nomem(err);
    }
    char *shims = ep_arena_printf(pe->a, "%s/shims", pe->root);
    char *missing = NULL;
    for (char *v = list; v != NULL;) {
        char *next = strchr(v, ':');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (strcmp(v, "system") == 0) {
            /* The next one on PATH after pyenv's shims. */
            char *cmd =
                find_on_path(pe->a, pe->program, NULL, shims, pe->shim_dir);
            if (cmd != NULL) {
                *out = cmd;
                *how = ep_arena_printf(
                    pe->a, "pyenv shim: version system (set by %s)%s%s",
                    pe->origin ? pe->origin : "default", missing ? ", as " : "",
                    missing ? missing : "");
                return EP_OK;
            }
        } else if (*v != '\0') {
            const char *inst = installed_name(pe, v);
            char *cmd = inst ? ep_arena_printf(pe->a, "%s/versions/%s/bin/%s",
                                               pe->root, inst, pe->program)
                             : NULL;
            if (inst == NULL && missing == NULL) {
                missing =
                    ep_arena_printf(pe->a, "version %s is not installed", v);
            }
            if (cmd != NULL && is_exec_file(cmd)) {
                *out = cmd;
                *how =
                    ep_arena_printf(pe->a, "pyenv shim: version %s (set by %s)",
                                    inst, pe->origin ? pe->origin : "?");
                return EP_OK;
            }
        }
        v = next;
    }
    return ep_fail(err, EP_ERR_INTERP,
                   "pyenv: %s: command not found (%s%sversion set by %s)",
                   pe->program, missing ? missing : "", missing ? "; " : "",
                   pe->origin ? pe->origin : "default");
}

/* A pyenv shim as pyenv-rehash writes it: a bash script that execs
 * "$PYENV_ROOT/libexec/pyenv" exec "$program". */
static bool
is_pyenv_shim(const char *text)
{
    return strncmp(text, "#!", 2) == 0 &&
           strstr(text, "/libexec/pyenv\" exec ") != NULL;
}

/* The interpreter a venv's bin/ entry stands for: pyvenv.cfg's home (the
 * base interpreter's bin directory) with the same name. NULL when path is
 * not inside a venv or home has no such program. */
static char *
venv_home(ep_arena *a, const char *path)
{
    char *dir = ep_arena_strdup(a, path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash == NULL) {
        return NULL;
    }
    *slash = '\0';
    slash = strrchr(dir, '/');
    char *cfg =
        ep_arena_printf(a, "%.*s/pyvenv.cfg", (int)(slash ? slash - dir : 1),
                        slash ? dir : ".");
    char buf[SCRIPT_HEAD];
    if (cfg == NULL || read_head(cfg, buf, sizeof(buf)) <= 0) {
        return NULL;
    }
    for (char *line = buf; *line;) {
        size_t len = strcspn(line, "\n");
        char *next = line + len + (line[len] == '\n');
        line[len] = '\0';
        char *k = line + strspn(line, " \t");
        if (strncmp(k, "home", 4) == 0) {
            char *v = k + 4 + strspn(k + 4, " \t");
            if (*v == '=') {
                v += 1 + strspn(v + 1, " \t");
                size_t vl = strlen(v);
                while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\r')) {
                    v[--vl] = '\0';
                }
                char *cand = ep_arena_printf(a, "%s/%s", v, ep_basename(path));
                return cand && is_exec_file(cand) ? cand : NULL;
            }
        }
        line = next;
    }
    return NULL;
}

ep_status
ep_pyexe_resolve(ep_arena *a, const char *name, const char **exe,
                 const char **how, ep_error *err)
{
    *exe = NULL;
    *how = strchr(name, '/') ? "path" : "PATH";
    char *cur = find_on_path(a, name, NULL, NULL, NULL);
    if (cur == NULL) {
        return ep_fail(err, EP_ERR_INTERP, "%s: not found on PATH", name);
    }
    for (int hop = 0; hop < MAX_HOPS; hop++) {
        char head[SCRIPT_HEAD];
        if (read_head(cur, head, sizeof(head)) < 0) {
            return ep_fail_errno(err, errno, "%s", cur);
        }
        if (memcmp(head, "\177ELF", 4) == 0) {
            /* exec follows symlinks: a venv's bin/python3 -> the base
             * interpreter is that interpreter's file (/proc/self/exe). */
            char *real = realpath(cur, NULL);
            if (real == NULL) {
                return ep_fail_errno(err, errno, "%s", cur);
            }
            *exe = ep_arena_strdup(a, real);
            free(real);
            return *exe ? EP_OK : ep_fail_nomem(err);
        }
        if (is_pyenv_shim(head)) {
            pyenv pe = {a, shim_root(a, head), NULL, ep_basename(cur), NULL};
            if (pe.root == NULL) {
                const char *r = getenv("PYENV_ROOT");
                pe.root = r ? r : NULL;
            }
            char *dir = ep_arena_strdup(a, cur);
            char *slash = dir ? strrchr(dir, '/') : NULL;
            if (slash != NULL) {
                *slash = '\0';
            }
            pe.shim_dir = dir;
            if (pe.root == NULL) {
                return ep_fail(err, EP_ERR_INTERP,
                               "%s: a pyenv shim without PYENV_ROOT", cur);
            }
            const char *next = NULL;
            ep_status st = pyenv_which(&pe, &next, how, err);
            if (st != EP_OK) {
                return st;
            }
            cur = ep_arena_strdup(a, next);
            continue;
        }
        char *home = venv_home(a, cur);
        if (home != NULL) {
            *how = ep_arena_printf(a, "pyvenv.cfg home of %s", cur);
            cur = home;
            continue;
        }
        return ep_fail(err, EP_ERR_INTERP,
                       "%s: a script that is neither a pyenv shim nor a "
                       "virtual environment's interpreter, so which "
                       "interpreter it starts cannot be decided without "
                       "running it; give --python the interpreter's "
                       "executable (what sys.executable says)",
                       cur);
    }
    return ep_fail(err, EP_ERR_INTERP,
                   "%s: more than %d shims or links in a row (a loop?)", name,
                   MAX_HOPS);
}
