/*
 * Facts the checks share: the interpreter's exported C-API symbols, one
 * analysis (finder walk, owning distribution, the extension file opened),
 * and the bookkeeping that ties findings to the analysis that made them.
 */
#include "findings/checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool
is_python_api(const char *name)
{
    return strncmp(name, "Py", 2) == 0 || strncmp(name, "_Py", 3) == 0;
}

/* Append the defined Py and _Py names of obj to v. */
static ep_status
collect_exports(ep_ctx *c, ep_object *obj, ep_strvec *v)
{
    const ep_symbol *syms;
    size_t n;
    if (ep_object_symbols(obj, &syms, &n, NULL) != EP_OK) {
        return EP_OK; /* unreadable symbol table: exports stay unknown */
    }
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined && is_python_api(syms[i].name) &&
            !ep_strvec_push(c->a, v, syms[i].name)) {
            return ep_fail_nomem(c->err);
        }
    }
    return EP_OK;
}

/* The libpython a shared-build interpreter needs: LIBDIR/<needed name>,
 * where the build installed it (the executable's RPATH usually says the
 * same; the loader emulation is the authority when it has run). */
static const char *
libpython_path(ep_ctx *c, const ep_elf_info *info)
{
    for (size_t i = 0; i < info->needed.count; i++) {
        const char *n = info->needed.items[i];
        if (strncmp(n, "libpython", 9) != 0) {
            continue;
        }
        const char *dirs[] = {
            c->in->libdir,
            c->in->prefix ? ep_arena_printf(c->a, "%s/lib", c->in->prefix)
                          : NULL,
            c->in->base_prefix
                ? ep_arena_printf(c->a, "%s/lib", c->in->base_prefix)
                : NULL};
        for (size_t k = 0; k < 3; k++) {
            const char *p = dirs[k] ? ep_path_join(c->a, dirs[k], n) : NULL;
            if (p != NULL && ep_fs_isfile(p)) {
                return p;
            }
        }
    }
    return NULL;
}

ep_status
ep_ctx_load_exports(ep_ctx *c)
{
    ep_strvec v = {0};
    if (c->exports_loaded) {
        return EP_OK;
    }
    c->exports_loaded = true;
    const char *exe =
        c->in->executable_real ? c->in->executable_real : c->in->executable;
    if (exe == NULL || ep_object_open(exe, &c->interp_exe, c->err) != EP_OK) {
        return EP_OK;
    }
    const ep_elf_info *info = ep_object_elf(c->interp_exe);
    if (ep_object_kind(c->interp_exe) != EP_KIND_ELF || info == NULL) {
        return EP_OK;
    }
    ep_status st = collect_exports(c, c->interp_exe, &v);
    const char *lp = st == EP_OK ? libpython_path(c, info) : NULL;
    if (lp != NULL && ep_object_open(lp, &c->libpython, c->err) == EP_OK &&
        ep_object_kind(c->libpython) == EP_KIND_ELF) {
        st = collect_exports(c, c->libpython, &v);
    }
    if (st != EP_OK) {
        return st;
    }
    /* An interpreter that exports nothing (stripped .dynsym, or libpython
     * not found) gives no basis to call a symbol missing. */
    if (v.count < 100) {
        return EP_OK;
    }
    qsort(v.items, v.count, sizeof(*v.items), cmp_str);
    c->exports = v.items;
    c->nexports = v.count;
    return EP_OK;
}

bool
ep_ctx_exports(const ep_ctx *c, const char *sym)
{
    if (c->exports == NULL) {
        return true;
    }
    return bsearch(&sym, c->exports, c->nexports, sizeof(*c->exports),
                   cmp_str) != NULL;
}

/* A dotted name of identifiers (bytes >= 0x80 allowed: PEP 3131 names). */
bool
ep_module_name_valid(const char *m)
{
    bool start = true;
    if (m == NULL || *m == '\0' || strlen(m) > 1024) {
        return false;
    }
    for (const char *p = m; *p != '\0'; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '.') {
            if (start) {
                return false;
            }
            start = true;
            continue;
        }
        bool alpha = ch == '_' || (ch >= 'a' && ch <= 'z') ||
                     (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
        bool digit = ch >= '0' && ch <= '9';
        if (!alpha && !(digit && !start)) {
            return false;
        }
        start = false;
    }
    return !start;
}

const ep_find_step *
ep_analysis_target(const ep_analysis *an)
{
    const ep_find *f = &an->find;
    return f->nsteps == f->ncomp ? &f->steps[f->ncomp - 1] : NULL;
}

size_t
ep_analysis_cand(const ep_analysis *an, ep_cand_kind kind, int alt)
{
    const ep_find *f = &an->find;
    if (f->nsteps != f->ncomp) {
        return SIZE_MAX;
    }
    size_t t = f->ncomp - 1;
    for (size_t i = ep_find_next(f, t, kind, 0); i != SIZE_MAX;
         i = ep_find_next(f, t, kind, i + 1)) {
        if (alt < 0 || f->cands[i].alternative == (alt == 1)) {
            return i;
        }
    }
    return SIZE_MAX;
}

const char *
ep_suffix_list(ep_ctx *c)
{
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    for (size_t i = 0; i < c->in->ext_suffixes.count; i++) {
        ep_strbuf_printf(&sb, "%s%s", i ? ", " : "",
                         c->in->ext_suffixes.items[i]);
    }
    char *s = ep_strbuf_take(&sb);
    const char *out = s ? ep_arena_strdup(c->a, s) : NULL;
    free(s);
    return out ? out : "";
}

const char *
ep_where(ep_ctx *c, const ep_search_dir *sd)
{
    if (sd->entry != SIZE_MAX && sd->origin != EP_ORIGIN_NONE) {
        const char *raw =
            sd->entry < c->in->npath ? c->in->path[sd->entry].path : NULL;
        bool cwd = raw != NULL && raw[0] == '\0';
        if (sd->origin_detail != NULL && sd->origin_detail[0] != '\0') {
            return ep_arena_printf(c->a, "sys.path[%zu], %s %s", sd->entry,
                                   ep_path_origin_str(sd->origin),
                                   sd->origin_detail);
        }
        return ep_arena_printf(c->a, "sys.path[%zu]%s, %s", sd->entry,
                               cwd ? " = ''" : "",
                               ep_path_origin_str(sd->origin));
    }
    return sd->via ? sd->via : "an editable finder";
}

ep_status
ep_analysis_new(ep_ctx *c, const char *name, bool cause, ep_analysis **out)
{
    *out = NULL;
    if (c->nan >= EP_MAX_ANALYSES) {
        ep_report_note(c->r,
                       "%s was not analysed: a report analyses at most %d "
                       "module names",
                       name, EP_MAX_ANALYSES);
        return EP_OK;
    }
    ep_analysis *an = calloc(1, sizeof(*an));
    if (an == NULL) {
        return ep_fail_nomem(c->err);
    }
    an->name = ep_arena_strdup(c->a, name);
    an->cause = cause;
    ep_status st =
        an->name ? ep_find_module(c->a, c->in, &c->ed, name, &an->find, c->err)
                 : ep_fail_nomem(c->err);
    if (st != EP_OK) {
        ep_analysis_free(an);
        return st;
    }
    const char *top = ep_arena_strndup(c->a, name, strcspn(name, "."));
    if (top == NULL) {
        ep_analysis_free(an);
        return ep_fail_nomem(c->err);
    }
    an->dist = ep_dists_owner(&c->dists, top, &c->ed);
    /* Distributions can share a top-level name (PEP 420 namespaces such as
     * zope or google): the one whose RECORD holds the module's deepest
     * regular package is its owner, not the first that names the top. */
    const ep_find *f = &an->find;
    for (size_t s = f->nsteps; s-- > 0;) {
        const ep_find_step *p = &f->steps[s];
        if (s + 1 < f->ncomp && p->kind == EP_SPEC_PACKAGE &&
            p->origin != NULL) {
            /* The owner by name usually holds it: one RECORD read. */
            const ep_dist *d =
                ep_dist_has_file(an->dist, p->origin)
                    ? an->dist
                    : ep_dists_owner_of_file(&c->dists, p->origin);
            an->dist = d != NULL ? d : an->dist;
            break;
        }
    }
    const ep_find_step *t = ep_analysis_target(an);
    if (an->find.found && t != NULL && t->kind == EP_SPEC_EXTENSION) {
        an->ext_path = t->origin;
        st = ep_object_open(an->ext_path, &an->ext, c->err);
        if (st != EP_OK) {
            ep_analysis_free(an);
            return st;
        }
    }
    c->an[c->nan++] = an;
    *out = an;
    return EP_OK;
}

void
ep_analysis_free(ep_analysis *an)
{
    if (an != NULL) {
        ep_find_release(&an->find);
        ep_provenance_free(an->prov);
        ep_object_close(an->ext);
        free(an->slots);
        free(an);
    }
}

ep_finding_slot *
ep_check_add(ep_ctx *c, ep_analysis *an, ep_finding_code code, const char *fmt,
             ...)
{
    char summary[EP_SUMMARY_MAX];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(summary, sizeof(summary), fmt, ap);
    va_end(ap);
    if (len >= (int)sizeof(summary)) {
        ep_report_note(c->r, "a %s summary of %d bytes was cut to its first %d",
                       ep_finding_slug(code), len, EP_SUMMARY_MAX - 1);
    }
    ep_finding_slot *f = ep_report_add_finding(
        c->r, code, ep_finding_default_severity(code), "%s", summary);
    if (f == NULL || an == NULL) {
        return f;
    }
    if (an->cause) {
        f->mark = EP_MARK_CAUSE;
    }
    if (!ep_grow((void **)&an->slots, &an->slots_cap, an->nslots + 1,
                 sizeof(*an->slots))) {
        return f; /* the finding stands; only the bookkeeping is lost */
    }
    an->slots[an->nslots++] = f;
    return f;
}

ep_finding_slot *
ep_check_find(ep_ctx *c, const ep_analysis *an, ep_finding_code code)
{
    (void)c;
    for (size_t i = 0; an != NULL && i < an->nslots; i++) {
        if (an->slots[i]->pub.code == code) {
            return an->slots[i];
        }
    }
    return NULL;
}

ep_finding_slot *
ep_check_find_about(ep_ctx *c, const ep_analysis *an, ep_finding_about about,
                    ep_finding_code except)
{
    (void)c;
    ep_finding_slot *best = NULL;
    int best_place = 0;
    for (size_t i = 0; an != NULL && i < an->nslots; i++) {
        const ep_finding_info *fi = ep_finding_info_of(an->slots[i]->pub.code);
        if (fi == NULL || fi->about != about || fi->code == except) {
            continue;
        }
        if (best == NULL || fi->place < best_place) {
            best = an->slots[i];
            best_place = fi->place;
        }
    }
    return best;
}

bool
ep_check_any_error(const ep_ctx *c, const ep_analysis *an)
{
    (void)c;
    for (size_t i = 0; an != NULL && i < an->nslots; i++) {
        if (an->slots[i]->pub.severity == EP_SEVERITY_ERROR) {
            return true;
        }
    }
    return false;
}
