/*
 * The one place the explain engine asks the loader emulation (lib/loader/,
 * the public ep_deps_* API) about an extension: which needed libraries the
 * interpreter's loader would not find (or would refuse), which symbol
 * versions are missing, which symbols nothing in the process provides.
 * missing-dependency, glibc-too-new, cxx-abi and undefined-symbol read only
 * what this file returns.
 */
#include "findings/checks.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TRIED_LINES 24

/* Every place ld.so looked for a name, one per line, then the files it
 * opened and passed over. */
static const char *
tried_text(ep_ctx *c, const ep_deps_lib *l)
{
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    for (size_t i = 0; i < l->ntried && i < MAX_TRIED_LINES; i++) {
        const ep_deps_place *p = &l->tried[i];
        /* $ORIGIN/../x.libs expands to "<dir>/../x.libs": say it as the
         * directory it is. */
        const char *dir = p->path[0] ? ep_path_normalize(c->a, p->path) : NULL;
        ep_strbuf_printf(&sb, "%s  %s (%s%s%s)%s%s", i ? "\n" : "",
                         dir          ? dir
                         : p->path[0] ? p->path
                                      : "(working directory)",
                         ep_deps_how_str(p->how), p->from ? " of " : "",
                         p->from ? p->from : "", p->exists ? "" : ", missing",
                         p->note ? ep_arena_printf(c->a, ": %s", p->note) : "");
    }
    if (l->ntried > MAX_TRIED_LINES) {
        ep_strbuf_printf(&sb, "\n  ... %zu places in all", l->ntried);
    }
    for (size_t i = 0; i < l->nskipped; i++) {
        ep_strbuf_printf(&sb, "%s  skipped %s: %s", sb.len ? "\n" : "",
                         l->skipped[i].path, l->skipped[i].why);
    }
    if (l->error != NULL) {
        ep_strbuf_printf(&sb, "%s  found %s, but ld.so refuses it: %s",
                         sb.len ? "\n" : "", l->path ? l->path : l->name,
                         l->error);
    }
    char *s = ep_strbuf_take(&sb);
    const char *out = s ? ep_arena_strdup(c->a, s) : NULL;
    free(s);
    return out ? out : "";
}

static ep_status
copy_facts(ep_ctx *c, const ep_deps *d, ep_loader_facts *out)
{
    size_t nlib = ep_deps_library_count(d);
    size_t nver = ep_deps_missing_version_count(d);
    size_t nsym = ep_deps_unresolved_count(d);
    out->libs = nlib ? ep_arena_alloc(c->a, nlib * sizeof(*out->libs)) : NULL;
    out->vers = nver ? ep_arena_alloc(c->a, nver * sizeof(*out->vers)) : NULL;
    out->syms = nsym ? ep_arena_alloc(c->a, nsym * sizeof(*out->syms)) : NULL;
    if ((nlib && !out->libs) || (nver && !out->vers) || (nsym && !out->syms)) {
        return ep_fail_nomem(c->err);
    }
    for (size_t i = 0; i < nlib; i++) {
        const ep_deps_lib *l = ep_deps_library(d, i);
        if (l == NULL || (l->how != EP_DEPS_NOT_FOUND && l->error == NULL)) {
            continue;
        }
        ep_loader_missing_lib *m = &out->libs[out->nlibs++];
        m->name = ep_arena_strdup(c->a, l->name);
        m->needed_by = ep_arena_strdup(c->a, l->needed_by);
        m->tried = tried_text(c, l);
        m->refused = l->error ? ep_arena_strdup(c->a, l->error) : NULL;
        m->path = l->error && l->path ? ep_arena_strdup(c->a, l->path) : NULL;
    }
    for (size_t i = 0; i < nlib && out->cxx_path == NULL; i++) {
        const ep_deps_lib *l = ep_deps_library(d, i);
        if (l != NULL && l->path != NULL &&
            strcmp(l->soname ? l->soname : l->name, "libstdc++.so.6") == 0) {
            out->cxx_path = ep_arena_strdup(c->a, l->path);
            out->cxx_how = ep_deps_how_str(l->how);
            out->cxx_from =
                ep_arena_strdup(c->a, l->how_from ? l->how_from : l->needed_by);
        }
    }
    for (size_t i = 0; i < nver; i++) {
        const ep_deps_version *v = ep_deps_missing_version(d, i);
        ep_loader_missing_ver *m = &out->vers[out->nvers++];
        m->library = ep_arena_strdup(c->a, v->library);
        m->path = ep_arena_strdup(c->a, v->path);
        m->version = ep_arena_strdup(c->a, v->version);
        m->needed_by = ep_arena_strdup(c->a, v->needed_by);
        m->newest = ep_arena_strdup(c->a, v->highest);
    }
    for (size_t i = 0; i < nsym; i++) {
        const ep_deps_symbol *s = ep_deps_unresolved(d, i);
        ep_loader_missing_sym *m = &out->syms[out->nsyms++];
        m->name = ep_arena_strdup(c->a, s->name);
        m->version = ep_arena_strdup(c->a, s->version);
        m->needed_by = ep_arena_strdup(c->a, s->needed_by);
    }
    ep_strlist notes = ep_deps_notes(d);
    for (size_t i = 0; i < notes.count; i++) {
        ep_report_note(c->r, "loader: %s", notes.items[i]);
    }
    return EP_OK;
}

ep_status
ep_loader_facts_get(ep_ctx *c, const char *path, ep_loader_facts *out)
{
    ep_deps_options opt;
    ep_deps *d = NULL;
    ep_error derr;
    memset(out, 0, sizeof(*out));
    ep_deps_options_init(&opt);
    /* The process the module is dlopen()ed into: the interpreter's own
     * executable, with the LD_LIBRARY_PATH it runs with (facts.py reports
     * the variable only when it is set). */
    opt.executable =
        c->in->executable_real ? c->in->executable_real : c->in->executable;
    opt.python = NULL;
    const char *llp = ep_interp_env(c->in, "LD_LIBRARY_PATH");
    opt.ld_library_path = llp ? llp : "";
    ep_status st = ep_deps_analyze(path, &opt, &d, &derr);
    if (st == EP_ERR_NOMEM) {
        return ep_fail_nomem(c->err);
    }
    if (st != EP_OK) {
        out->note = ep_arena_printf(c->a,
                                    "the loader emulation could not run "
                                    "on %s: %s",
                                    path, derr.message);
        return EP_OK;
    }
    out->available = true;
    st = copy_facts(c, d, out);
    ep_deps_free(d);
    return st;
}

/* Enough to show the pattern (a whole toolchain newer than the host);
 * the count says the rest. */
#define SHOW_VERSIONS 6

void
ep_detail_missing_versions(ep_ctx *c, ep_finding_slot *fs,
                           const ep_analysis *an, const ep_loader_facts *lf,
                           bool cxx)
{
    size_t shown = 0, n = 0;
    for (size_t i = 0; i < lf->nvers; i++) {
        const ep_loader_missing_ver *m = &lf->vers[i];
        if (ep_version_is_cxx(m->version) != cxx) {
            continue;
        }
        n++;
        if (shown == SHOW_VERSIONS) {
            continue;
        }
        shown++;
        ep_finding_detail(c->r, fs, "%s needs %s of %s; %s defines up to %s",
                          m->needed_by ? m->needed_by : an->ext_path,
                          m->version, m->library,
                          m->path ? m->path : m->library,
                          m->newest ? m->newest : "an older version");
    }
    if (n > shown) {
        ep_finding_detail(c->r, fs, "... and %zu more missing versions",
                          n - shown);
    }
}
