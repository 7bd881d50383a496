/*
 * Which build system made (or should make) the module, so that a fix names
 * the real command: the installed wheel's WHEEL Generator, the project's
 * pyproject.toml build-backend and [tool.maturin] table, Cargo.toml's [lib]
 * name, and hints in the object itself (rustc in .comment, pybind11
 * symbols). Only the few TOML keys needed are read, line by line.
 */
#include "findings/checks.h"

#include <stdio.h>
#include <string.h>

#define PROJECT_SEARCH_DEPTH 8

/* Value of `key = "value"` inside [section] of a small TOML file. */
static const char *
toml_value(ep_arena *a, const char *text, const char *section, const char *key)
{
    bool in_section = false;
    size_t klen = strlen(key);
    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        while (n > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        if (n > 0 && *p == '[') {
            const char *close = memchr(p, ']', n);
            in_section = close != NULL &&
                         (size_t)(close - p - 1) == strlen(section) &&
                         strncmp(p + 1, section, strlen(section)) == 0;
        } else if (in_section && n > klen && strncmp(p, key, klen) == 0) {
            const char *q = p + klen;
            while (*q == ' ' || *q == '\t') {
                q++;
            }
            if (*q == '=') {
                q++;
                while (*q == ' ' || *q == '\t') {
                    q++;
                }
                char quote = *q;
                if (quote == '"' || quote == '\'') {
                    const char *end =
                        memchr(q + 1, quote, (size_t)(p + n - q - 1));
                    if (end != NULL) {
                        return ep_arena_strndup(a, q + 1,
                                                (size_t)(end - q - 1));
                    }
                }
            }
        }
        p = eol ? eol + 1 : NULL;
    }
    return NULL;
}

static const char *
read_text(ep_ctx *c, const char *dir, const char *name)
{
    const char *path = ep_path_join(c->a, dir, name);
    char *text;
    size_t len;
    if (path == NULL ||
        ep_fs_read(c->a, path, 1 << 20, &text, &len, NULL, NULL) != EP_OK) {
        return NULL;
    }
    return text;
}

static bool
has_file(ep_ctx *c, const char *dir, const char *name)
{
    const char *p = ep_path_join(c->a, dir, name);
    return p != NULL && ep_fs_isfile(p);
}

/* pip can install (and so build in place with -e) only a directory with
 * pyproject.toml or setup.py. */
static bool
pip_installable(ep_ctx *c, const char *dir)
{
    return has_file(c, dir, "pyproject.toml") || has_file(c, dir, "setup.py");
}

/* The package's own project: the nearest directory at or above dir with
 * pyproject.toml, setup.py or meson.build, or the top of its repository
 * (.git). The search stops there, so that a fix never names a project
 * further up -- the directory the tool runs in, an enclosing repository. */
static const char *
project_root(ep_ctx *c, const char *dir)
{
    const char *d = dir;
    for (int i = 0; d != NULL && i < PROJECT_SEARCH_DEPTH; i++) {
        const char *git = ep_path_join(c->a, d, ".git");
        if (pip_installable(c, d) || has_file(c, d, "meson.build") ||
            (git != NULL && (ep_fs_isdir(git) || ep_fs_isfile(git)))) {
            return d;
        }
        if (strcmp(d, "/") == 0) {
            break;
        }
        d = ep_path_dirname(c->a, d);
    }
    return NULL;
}

static void
set_kind(ep_buildsys *b, ep_build_kind kind, const char *name,
         const char *evidence)
{
    if (b->kind == EP_BUILD_UNKNOWN) {
        b->kind = kind;
        b->name = name;
        b->evidence = evidence;
    }
}

static void
from_generator(ep_ctx *c, ep_buildsys *b, const char *gen)
{
    const char *ev = ep_arena_printf(c->a, "WHEEL Generator: %s", gen);
    if (strncmp(gen, "maturin", 7) == 0) {
        set_kind(b, EP_BUILD_MATURIN, "maturin", ev);
    } else if (strncmp(gen, "meson", 5) == 0) {
        set_kind(b, EP_BUILD_MESON_PYTHON, "meson-python", ev);
    } else if (strncmp(gen, "scikit-build", 12) == 0) {
        set_kind(b, EP_BUILD_SCIKIT_BUILD, "scikit-build-core", ev);
    } else if (strncmp(gen, "bdist_wheel", 11) == 0 ||
               strncmp(gen, "setuptools", 10) == 0) {
        set_kind(b, EP_BUILD_SETUPTOOLS, "setuptools", ev);
    }
}

static void
from_project(ep_ctx *c, ep_buildsys *b, const char *root)
{
    const char *pp = read_text(c, root, "pyproject.toml");
    const char *backend =
        pp ? toml_value(c->a, pp, "build-system", "build-backend") : NULL;
    const char *ev = backend ? ep_arena_printf(c->a,
                                               "%s/pyproject.toml: "
                                               "build-backend = \"%s\"",
                                               root, backend)
                             : NULL;
    if (backend != NULL && strstr(backend, "maturin") != NULL) {
        set_kind(b, EP_BUILD_MATURIN, "maturin", ev);
    } else if (backend != NULL && strstr(backend, "mesonpy") != NULL) {
        set_kind(b, EP_BUILD_MESON_PYTHON, "meson-python", ev);
    } else if (backend != NULL &&
               strstr(backend, "scikit_build_core") != NULL) {
        set_kind(b, EP_BUILD_SCIKIT_BUILD, "scikit-build-core", ev);
    } else if (backend != NULL && strstr(backend, "setuptools") != NULL) {
        set_kind(b, EP_BUILD_SETUPTOOLS, "setuptools", ev);
    } else if (backend != NULL) {
        set_kind(b, EP_BUILD_OTHER, backend, ev);
    }
    if (pp != NULL) {
        b->module_name = toml_value(c->a, pp, "tool.maturin", "module-name");
        b->python_source =
            toml_value(c->a, pp, "tool.maturin", "python-source");
    }
    const char *cargo = read_text(c, root, "Cargo.toml");
    if (cargo != NULL) {
        b->rust = true;
        b->cargo_lib_name = toml_value(c->a, cargo, "lib", "name");
    }
    const char *setup = ep_path_join(c->a, root, "setup.py");
    if (setup != NULL && ep_fs_isfile(setup)) {
        set_kind(b, EP_BUILD_SETUPTOOLS, "setuptools",
                 ep_arena_printf(c->a, "%s exists", setup));
    }
}

static void
from_object(ep_ctx *c, ep_buildsys *b, ep_object *obj)
{
    const ep_elf_info *info = obj ? ep_object_elf(obj) : NULL;
    for (size_t i = 0; info != NULL && i < info->comments.count; i++) {
        b->rust = b->rust || strstr(info->comments.items[i], "rustc") != NULL;
    }
    const ep_symbol *syms;
    size_t n;
    if (obj != NULL && ep_object_symbols(obj, &syms, &n, NULL) == EP_OK) {
        for (size_t i = 0; i < n && !b->pybind11; i++) {
            b->pybind11 = strstr(syms[i].name, "pybind11") != NULL;
        }
    }
    (void)c;
}

void
ep_buildsys_detect(ep_ctx *c, ep_analysis *an, const char *hint_dir)
{
    ep_buildsys *b = &an->build;
    const char *root = NULL;
    if (an->dist != NULL && an->dist->editable && an->dist->url_path != NULL) {
        root = an->dist->url_path;
    } else if (hint_dir != NULL) {
        root = project_root(c, hint_dir);
    }
    if (root != NULL) {
        b->project_dir = root;
        from_project(c, b, root);
    } else if (hint_dir != NULL &&
               !(an->dist != NULL &&
                 ep_path_within(hint_dir, an->dist->site))) {
        b->project_dir = hint_dir; /* a checkout without project files */
    }
    /* The project's own configuration says how the tree is built; the
     * installed wheel's generator only how that wheel was made. */
    if (an->dist != NULL && an->dist->wheel_generator != NULL) {
        from_generator(c, b, an->dist->wheel_generator);
    }
    from_object(c, b, an->ext);
    /* A Cython source beside the module. */
    const ep_find_step *t = ep_analysis_target(an);
    const char *dir = t && t->dir ? t->dir : hint_dir;
    if (dir != NULL && an->find.ncomp > 0) {
        const char *comp = an->find.steps[an->find.ncomp - 1].component;
        const char *pyx = ep_arena_printf(c->a, "%s/%s.pyx", dir, comp);
        b->cython = pyx != NULL && ep_fs_isfile(pyx);
    }
    if (b->rust && b->kind == EP_BUILD_UNKNOWN) {
        set_kind(b, EP_BUILD_MATURIN, "maturin",
                 "the object was built by rustc");
    }
}

static const char *
python_cmd(ep_ctx *c)
{
    return c->in->executable ? c->in->executable : c->in->python;
}

const char *
ep_fix_rebuild(ep_ctx *c, const ep_analysis *an)
{
    const ep_buildsys *b = &an->build;
    const char *py = python_cmd(c);
    const char *where = b->project_dir;
    if (where == NULL) {
        return ep_fix_reinstall(c, an); /* no source tree known */
    }
    if (!pip_installable(c, where)) {
        /* `pip install -e .` there would fail: say what the tree has. */
        return ep_arena_printf(
            c->a,
            "build the extension into the package with this interpreter "
            "(%s) by the project's own build in %s (%s; it has no "
            "pyproject.toml or setup.py, so pip cannot install it)",
            py, where,
            has_file(c, where, "meson.build") ? "meson.build"
                                              : "its build scripts");
    }
    switch (b->kind) {
    case EP_BUILD_MATURIN:
        return ep_arena_printf(c->a,
                               "cd %s && maturin develop -i %s (or %s -m "
                               "pip install -e .)",
                               where, py, py);
    case EP_BUILD_SETUPTOOLS: {
        const char *setup = ep_path_join(c->a, where, "setup.py");
        if (setup != NULL && ep_fs_isfile(setup)) {
            return ep_arena_printf(c->a,
                                   "cd %s && %s setup.py build_ext --inplace "
                                   "(or %s -m pip install -e .)",
                                   where, py, py);
        }
        return ep_arena_printf(c->a, "cd %s && %s -m pip install -e .", where,
                               py);
    }
    case EP_BUILD_MESON_PYTHON:
        return ep_arena_printf(
            c->a,
            "cd %s && %s -m pip install "
            "--no-build-isolation -e . (meson-python rebuilds "
            "on import afterwards)",
            where, py);
    case EP_BUILD_SCIKIT_BUILD:
        return ep_arena_printf(c->a,
                               "cd %s && %s -m pip install "
                               "--no-build-isolation -e .",
                               where, py);
    case EP_BUILD_OTHER:
    case EP_BUILD_UNKNOWN:
        break;
    }
    return ep_arena_printf(c->a,
                           "rebuild the extension with this interpreter "
                           "(%s), e.g. cd %s && %s -m pip install -e .",
                           py, where, py);
}

const char *
ep_fix_reinstall(ep_ctx *c, const ep_analysis *an)
{
    const char *py = python_cmd(c);
    if (an->dist != NULL) {
        return ep_arena_printf(c->a,
                               "%s -m pip install --force-reinstall "
                               "--no-cache-dir --no-deps %s%s%s",
                               py, an->dist->name,
                               an->dist->version ? "==" : "",
                               an->dist->version ? an->dist->version : "");
    }
    return ep_arena_printf(c->a,
                           "reinstall the package with %s -m pip "
                           "install --force-reinstall --no-cache-dir",
                           py);
}
