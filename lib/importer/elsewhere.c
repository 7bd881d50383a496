/*
 * ep_find_elsewhere(): site directories of the other interpreters a user
 * of this machine is likely to have -- pyenv's versions, the distribution's
 * /usr/lib/python3/dist-packages and /usr/local/lib/python3.X/dist-packages,
 * the user sites ~/.local/lib/python3.X/site-packages -- looked into for
 * the package or module. A site directory on the running interpreter's
 * sys.path is its own, not "elsewhere".
 */
#include "importer/elsewhere.h"
#include "util/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name is there as a package, a module, or a compiled module. */
static const char *
holds(ep_arena *a, const char *site, const char *top)
{
    const char *pkg = ep_path_join(a, site, top);
    if (pkg == NULL) {
        return NULL;
    }
    const char *init = ep_path_join(a, pkg, "__init__.py");
    if (init != NULL && ep_fs_isfile(init)) {
        return pkg;
    }
    char *py = ep_arena_printf(a, "%s.py", pkg);
    if (py != NULL && ep_fs_isfile(py)) {
        return py;
    }
    ep_dirlist dl;
    if (ep_fs_list(a, site, &dl, NULL) != EP_OK || dl.sys_errno != 0) {
        return NULL;
    }
    size_t tl = strlen(top);
    for (size_t i = 0; i < dl.count; i++) {
        const char *nm = dl.names[i];
        size_t nl = strlen(nm);
        if (strncmp(nm, top, tl) == 0 && nm[tl] == '.' && nl > 3 &&
            strcmp(nm + nl - 3, ".so") == 0) {
            return ep_path_join(a, site, nm);
        }
    }
    return NULL;
}

static bool
on_sys_path(const ep_interp *in, const char *dir)
{
    for (size_t i = 0; i < in->npath; i++) {
        const char *p = in->path[i].abs;
        if (p != NULL && strcmp(p, dir) == 0) {
            return true;
        }
    }
    return false;
}

typedef struct scan {
    ep_arena *a;
    const ep_interp *in;
    const char *top;
    ep_elsewhere *out;
    size_t n;
} scan;

static void
look(scan *s, const char *site, const char *python, const char *version,
     const char *kind)
{
    if (s->n >= EP_ELSEWHERE_MAX || site == NULL || !ep_fs_isdir(site) ||
        on_sys_path(s->in, site)) {
        return;
    }
    const char *hit = holds(s->a, site, s->top);
    if (hit == NULL) {
        return;
    }
    ep_elsewhere *e = &s->out[s->n++];
    e->python = python;
    e->version = version;
    e->kind = kind;
    e->site = site;
    e->path = hit;
}

/* "python3.12" -> "3.12"; NULL for other names. */
static const char *
xy_of(ep_arena *a, const char *name)
{
    int maj, min;
    char tail;
    if (sscanf(name, "python%d.%d%c", &maj, &min, &tail) != 2 || maj != 3) {
        return NULL;
    }
    return ep_arena_printf(a, "%d.%d", maj, min);
}

static void
pyenv_versions(scan *s)
{
    const char *root = getenv("PYENV_ROOT");
    const char *home = getenv("HOME");
    char *r = root && root[0]   ? ep_arena_strdup(s->a, root)
              : home && home[0] ? ep_arena_printf(s->a, "%s/.pyenv", home)
                                : NULL;
    const char *vdir = r ? ep_path_join(s->a, r, "versions") : NULL;
    ep_dirlist vl;
    if (vdir == NULL || ep_fs_list(s->a, vdir, &vl, NULL) != EP_OK ||
        vl.sys_errno != 0) {
        return;
    }
    for (size_t i = 0; i < vl.count; i++) {
        const char *lib = ep_arena_printf(s->a, "%s/%s/lib", vdir, vl.names[i]);
        ep_dirlist ll;
        if (lib == NULL || ep_fs_list(s->a, lib, &ll, NULL) != EP_OK ||
            ll.sys_errno != 0) {
            continue;
        }
        for (size_t k = 0; k < ll.count; k++) {
            const char *xy = xy_of(s->a, ll.names[k]);
            if (xy == NULL) {
                continue;
            }
            look(s,
                 ep_arena_printf(s->a, "%s/%s/site-packages", lib, ll.names[k]),
                 ep_arena_printf(s->a, "%s/%s/bin/python%s", vdir, vl.names[i],
                                 xy),
                 xy, "pyenv");
        }
    }
}

static void
system_and_user(scan *s)
{
    /* Debian's and Ubuntu's layout: one dist-packages for every python3,
     * /usr/local/lib/python3.X/dist-packages for `sudo pip`. */
    look(s, "/usr/lib/python3/dist-packages", "/usr/bin/python3", NULL,
         "system");
    const char *home = getenv("HOME");
    const char *roots[] = {
        "/usr/local/lib", "/usr/lib",
        home && home[0] ? ep_arena_printf(s->a, "%s/.local/lib", home) : NULL};
    for (size_t r = 0; r < 3; r++) {
        ep_dirlist dl;
        if (roots[r] == NULL ||
            ep_fs_list(s->a, roots[r], &dl, NULL) != EP_OK ||
            dl.sys_errno != 0) {
            continue;
        }
        for (size_t i = 0; i < dl.count; i++) {
            const char *xy = xy_of(s->a, dl.names[i]);
            if (xy == NULL) {
                continue;
            }
            const char *python = ep_arena_printf(s->a, "/usr/bin/python%s", xy);
            const char *base =
                ep_arena_printf(s->a, "%s/%s", roots[r], dl.names[i]);
            if (python == NULL || base == NULL) {
                continue;
            }
            if (r == 2) {
                look(s, ep_path_join(s->a, base, "site-packages"),
                     ep_arena_printf(s->a, "python%s", xy), xy, "user site");
            } else {
                look(s, ep_path_join(s->a, base, "dist-packages"), python, xy,
                     "system");
                look(s, ep_path_join(s->a, base, "site-packages"), python, xy,
                     "system");
            }
        }
    }
}

ep_status
ep_find_elsewhere(ep_arena *a, const ep_interp *in, const char *top,
                  ep_elsewhere *out, size_t *n, ep_error *err)
{
    if (a == NULL || in == NULL || top == NULL || out == NULL || n == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    scan s = {a, in, top, out, 0};
    pyenv_versions(&s);
    system_and_user(&s);
    *n = s.n;
    return EP_OK;
}
