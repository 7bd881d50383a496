/*
 * The interpreter's facts: version, SOABI, EXTENSION_SUFFIXES in order,
 * prefixes, glibc, and sys.path with the origin of every entry. Asked from
 * the interpreter itself, started the way the user starts it (same
 * environment, same working directory), because only it knows its site
 * configuration, .pth files and venv.
 */
#include "interp/interp.h"
#include "util/error.h"
#include "util/arena.h"
#include "util/grow.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
ep_start_mode_arg(ep_start_mode start)
{
    switch (start) {
    case EP_START_MODE_MODULE:
        return "m";
    case EP_START_MODE_SCRIPT:
        return "script";
    case EP_START_MODE_SAFE:
        return "safe";
    case EP_START_MODE_C:
        break;
    }
    return "c";
}

void
ep_interp_free(ep_interp *in)
{
    if (in != NULL) {
        free(in->path);
        free(in->env);
        free(in->pth_hooks);
        ep_arena_release(&in->arena);
        free(in);
    }
}

const char *
ep_interp_env(const ep_interp *in, const char *name)
{
    for (size_t i = 0; i < in->nenv; i++) {
        if (strcmp(in->env[i].key, name) == 0) {
            return in->env[i].value;
        }
    }
    return NULL;
}

static bool
is(const ep_record *r, const char *name, size_t min_fields)
{
    return r->nfields >= min_fields && r->field[0] != NULL &&
           strcmp(r->field[0], name) == 0;
}

static bool
flag(const char *v)
{
    return v != NULL && strcmp(v, "1") == 0;
}

/* Absolute form of a sys.path entry; '' is the working directory. */
static const char *
absolute(ep_interp *in, const char *p)
{
    if (p == NULL || p[0] == '\0') {
        return in->cwd ? in->cwd : ".";
    }
    if (p[0] == '/' || in->cwd == NULL) {
        return p;
    }
    return ep_arena_printf(&in->arena, "%s/%s", in->cwd, p);
}

static ep_status
apply(ep_interp *in, const ep_record *r, ep_error *err)
{
    const char *v = r->nfields > 1 ? r->field[1] : NULL;
    ep_arena *a = &in->arena;
    struct {
        const char *name;
        const char **slot;
    } scalars[] = {
        {"version", &in->version},
        {"implementation", &in->implementation},
        {"cache_tag", &in->cache_tag},
        {"executable", &in->executable},
        {"executable_real", &in->executable_real},
        {"prefix", &in->prefix},
        {"base_prefix", &in->base_prefix},
        {"soabi", &in->soabi},
        {"multiarch", &in->multiarch},
        {"abiflags", &in->abiflags},
        {"platform", &in->platform},
        {"ldlibrary", &in->ldlibrary},
        {"instsoname", &in->instsoname},
        {"libdir", &in->libdir},
        {"libc", &in->libc},
        {"cwd", &in->cwd},
    };
    for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
        if (is(r, scalars[i].name, 2)) {
            *scalars[i].slot = v;
            return EP_OK;
        }
    }
    bool ok = true;
    if (is(r, "in_venv", 2)) {
        in->in_venv = flag(v);
    } else if (is(r, "shared", 2)) {
        in->shared = flag(v);
    } else if (is(r, "gil_disabled", 2)) {
        in->gil_disabled = flag(v);
    } else if (is(r, "debug", 2)) {
        in->debug = flag(v);
    } else if (is(r, "maxsize_bits", 2)) {
        in->pointer_bits = v && strcmp(v, "32") == 0 ? 32 : 64;
    } else if (is(r, "ext_suffix", 2) && v) {
        ok = ep_strvec_push(a, &in->ext_suffixes, v);
    } else if (is(r, "source_suffix", 2) && v) {
        ok = ep_strvec_push(a, &in->source_suffixes, v);
    } else if (is(r, "bytecode_suffix", 2) && v) {
        ok = ep_strvec_push(a, &in->bytecode_suffixes, v);
    } else if (is(r, "site_dir", 2) && v) {
        ok = ep_strvec_push(a, &in->site_dirs, v);
    } else if (is(r, "builtin", 2) && v) {
        ok = ep_strvec_push(a, &in->builtin_modules, v);
    } else if (is(r, "meta_path", 2) && v) {
        ok = ep_strvec_push(a, &in->meta_path, v);
    } else if (is(r, "user_site", 3)) {
        in->user_site = v;
        in->user_site_enabled = flag(r->field[2]);
    } else if (is(r, "flag", 3) && v) {
        bool on = flag(r->field[2]);
        if (strcmp(v, "no_site") == 0) {
            in->flag_no_site = on;
        } else if (strcmp(v, "no_user_site") == 0) {
            in->flag_no_user_site = on;
        } else if (strcmp(v, "ignore_environment") == 0) {
            in->flag_ignore_environment = on;
        } else if (strcmp(v, "isolated") == 0) {
            in->flag_isolated = on;
        } else if (strcmp(v, "safe_path") == 0) {
            in->flag_safe_path = on;
        }
    } else if (is(r, "sysconfig_path", 3) && v) {
        const char *p = r->field[2];
        if (strcmp(v, "stdlib") == 0) {
            in->stdlib = p;
        } else if (strcmp(v, "platstdlib") == 0) {
            in->platstdlib = p;
        } else if (strcmp(v, "purelib") == 0) {
            in->purelib = p;
        } else if (strcmp(v, "platlib") == 0) {
            in->platlib = p;
        }
    } else if (is(r, "env", 3) && v) {
        ok = ep_grow((void **)&in->env, &in->env_cap, in->nenv + 1,
                     sizeof(*in->env));
        if (ok) {
            in->env[in->nenv++] = (ep_pair){v, r->field[2] ? r->field[2] : ""};
        }
    } else if (is(r, "pth_hook", 3) && v) {
        ok = ep_grow((void **)&in->pth_hooks, &in->pth_hooks_cap,
                     in->npth_hooks + 1, sizeof(*in->pth_hooks));
        if (ok) {
            in->pth_hooks[in->npth_hooks++] =
                (ep_pair){v, r->field[2] ? r->field[2] : ""};
        }
    } else if (is(r, "path", 3) && v) {
        ok = ep_grow((void **)&in->path, &in->path_cap, in->npath + 1,
                     sizeof(*in->path));
        if (ok) {
            ep_path_entry *e = &in->path[in->npath++];
            e->path = v;
            e->abs = absolute(in, v);
            e->origin = ep_path_origin_parse(r->field[2]);
            e->detail = r->nfields > 3 && r->field[3] ? r->field[3] : "";
            ok = e->abs != NULL;
        }
    }
    if (!ok) {
        return ep_fail_nomem(err);
    }
    return EP_OK;
}

ep_status
ep_interp_from_records(const char *python, const char *text, size_t len,
                       ep_interp **out, ep_error *err)
{
    ep_record *recs;
    size_t n;
    *out = NULL;
    ep_interp *in = calloc(1, sizeof(*in));
    if (in == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&in->arena);
    in->pointer_bits = 64;
    in->python = ep_arena_strdup(&in->arena, python ? python : "python");
    ep_status st = ep_records_parse(&in->arena, text, len, &recs, &n, err);
    /* cwd first: sys.path entries are made absolute against it. */
    for (size_t i = 0; st == EP_OK && i < n; i++) {
        if (is(&recs[i], "cwd", 2)) {
            in->cwd = recs[i].field[1];
        }
    }
    for (size_t i = 0; st == EP_OK && i < n; i++) {
        st = apply(in, &recs[i], err);
    }
    if (st == EP_OK && (in->version == NULL || in->ext_suffixes.count == 0)) {
        st = ep_fail(err, EP_ERR_INTERP,
                     "%s did not report its version and extension suffixes",
                     in->python);
    }
    if (st != EP_OK) {
        ep_interp_free(in);
        return st;
    }
    sscanf(in->version, "%d.%d", &in->major, &in->minor);
    *out = in;
    return EP_OK;
}

/* The last non-empty line of text, without its newline. */
static const char *
last_line(const char *text, size_t len, size_t *out_len)
{
    *out_len = 0;
    if (text == NULL) {
        return "";
    }
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) {
        len--;
    }
    size_t start = len;
    while (start > 0 && text[start - 1] != '\n') {
        start--;
    }
    *out_len = len - start;
    return text + start;
}

ep_status
ep_interp_query(const char *python, const char *workdir, ep_start_mode start,
                const char *script, double timeout, ep_interp **out,
                ep_error *err)
{
    ep_child child;
    const char *args[] = {ep_start_mode_arg(start), script ? script : "", "3"};
    /* -S: facts.py runs the site step itself, once it has taken the
     * working directory off sys.path (docs/design/children.md). */
    *out = NULL;
    ep_status st = ep_run_python(python, "-S", ep_facts_py, args, 3, workdir,
                                 timeout, &child, err);
    if (st != EP_OK) {
        return st;
    }
    st = ep_interp_from_child(python, &child, timeout, out, err);
    ep_child_release(&child);
    return st;
}

ep_status
ep_interp_from_child(const char *python, const ep_child *run, double timeout,
                     ep_interp **out, ep_error *err)
{
    ep_status st;
    ep_child child = *run;
    *out = NULL;
    if (child.complete) {
        /* All facts are there, even if it had to be killed afterwards. */
        st = ep_interp_from_records(python, child.records, child.records_len,
                                    out, err);
    } else if (child.timed_out) {
        st = ep_fail(err, EP_ERR_INTERP, "%s did not answer within %.0f s",
                     python, timeout);
    } else if (child.exit_code == 127 && child.records_len == 0) {
        st = ep_fail(err, EP_ERR_INTERP, "cannot run %s: not found", python);
    } else if (child.exit_code != 0 || child.records_len == 0) {
        /* The last line it printed is usually the reason (the exception of a
         * traceback: a broken site-packages, a Python too old, ...). */
        size_t len;
        const char *last = last_line(child.output, child.output_len, &len);
        st = ep_fail(err, EP_ERR_INTERP,
                     "%s failed to report its facts "
                     "(exit status %d)%s%.*s",
                     python, child.exit_code, len ? ": " : "", (int)len, last);
    } else {
        st = ep_interp_from_records(python, child.records, child.records_len,
                                    out, err);
    }
    return st;
}
