/*
 * The module installed for another interpreter on this machine: a pyenv
 * version, the system Python, a user site. Static: the site directories of
 * those interpreters are listed and looked into, nothing is run.
 */
#ifndef EXTPROBE_IMPORTER_ELSEWHERE_H
#define EXTPROBE_IMPORTER_ELSEWHERE_H

#include "importer/importer.h"

typedef struct ep_elsewhere {
    const char *python;  /* the interpreter it is installed for */
    const char *version; /* "3.12" */
    const char *kind;    /* "pyenv", "system", "user site" */
    const char *site;    /* its site directory */
    const char *path;    /* the package directory or module file there */
} ep_elsewhere;

/* Where the top-level name `top` is installed for interpreters other than
 * `in` (site directories on in's sys.path are left out). At most max
 * places. Environment: PYENV_ROOT (default ~/.pyenv), HOME. */
#define EP_ELSEWHERE_MAX 8
ep_status ep_find_elsewhere(ep_arena *a, const ep_interp *in, const char *top,
                            ep_elsewhere *out, size_t *n, ep_error *err);

#endif
