/*
 * Which executable `exec PY` would run, decided without running anything:
 * a PATH lookup, symlinks, a pyenv shim resolved by pyenv's own rules, a
 * virtual environment's pyvenv.cfg. Private to lib/deps/.
 */
#ifndef EXTPROBE_DEPS_PYEXE_H
#define EXTPROBE_DEPS_PYEXE_H

#include "util/arena.h"
#include "util/error.h"

/* The real path (symlinks resolved) of the ELF executable that running
 * name would start, in *exe; *how says how it was found ("PATH", "pyenv
 * shim: version 3.11.7 (set by /x/.python-version)", ...). EP_ERR_INTERP
 * with one clear sentence when it cannot be decided statically (a wrapper
 * script of another kind, a pyenv version that is not installed, ...);
 * EP_ERR_IO when a file on the way cannot be read. Both strings live in a. */
ep_status ep_pyexe_resolve(ep_arena *a, const char *name, const char **exe,
                           const char **how, ep_error *err);

#endif
