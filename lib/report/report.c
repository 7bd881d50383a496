/*
 * The ep_report object: how the explain engine fills it, and the public
 * getters. Strings live in the report's arena; finding slots are allocated
 * one by one so that pointers to them stay valid while more are added.
 */
#include "report/report.h"
#include "util/arena.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ep_report *
ep_report_new(const char *module)
{
    ep_report *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return NULL;
    }
    ep_arena_init(&r->arena);
    r->module = ep_arena_strdup(&r->arena, module ? module : "");
    r->start_mode = "c";
    if (r->module == NULL) {
        free(r);
        return NULL;
    }
    return r;
}

void
ep_report_free(ep_report *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i]);
    }
    free(r->findings);
    free(r->candidates);
    ep_trial_free(r->trial);
    ep_interp_free(r->interp);
    ep_arena_release(&r->arena);
    free(r);
}

static char *
vformat(ep_report *r, const char *fmt, va_list ap)
{
    return ep_arena_vprintf(&r->arena, fmt, ap);
}

ep_finding_slot *
ep_report_add_finding(ep_report *r, ep_finding_code code, ep_severity severity,
                      const char *fmt, ...)
{
    if (!ep_grow((void **)&r->findings, &r->findings_cap, r->nfindings + 1,
                 sizeof(*r->findings))) {
        return NULL;
    }
    ep_finding_slot *f = calloc(1, sizeof(*f));
    if (f == NULL) {
        return NULL;
    }
    va_list ap;
    va_start(ap, fmt);
    f->pub.summary = vformat(r, fmt, ap);
    va_end(ap);
    f->pub.code = code;
    f->pub.severity = severity;
    f->pub.detail = "";
    f->pub.fix = "";
    f->order = r->nfindings;
    if (f->pub.summary == NULL) {
        free(f);
        return NULL;
    }
    r->findings[r->nfindings++] = f;
    return f;
}

/* Append a formatted line to *field, joining with a newline. */
static void
append_line(ep_report *r, const char **field, const char *fmt, va_list ap)
{
    char *line = vformat(r, fmt, ap);
    if (line == NULL) {
        return;
    }
    if ((*field)[0] == '\0') {
        *field = line;
        return;
    }
    char *joined = ep_arena_printf(&r->arena, "%s\n%s", *field, line);
    if (joined != NULL) {
        *field = joined;
    }
}

void
ep_finding_detail(ep_report *r, ep_finding_slot *f, const char *fmt, ...)
{
    if (f == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    append_line(r, &f->pub.detail, fmt, ap);
    va_end(ap);
}

void
ep_finding_fix(ep_report *r, ep_finding_slot *f, const char *fmt, ...)
{
    if (f == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    append_line(r, &f->pub.fix, fmt, ap);
    va_end(ap);
}

void
ep_finding_path(ep_report *r, ep_finding_slot *f, const char *path)
{
    if (f == NULL || path == NULL || ep_strvec_contains(&f->paths, path)) {
        return;
    }
    const char *copy = ep_arena_strdup(&r->arena, path);
    if (copy != NULL && ep_strvec_push(&r->arena, &f->paths, copy)) {
        f->pub.paths = f->paths.items;
        f->pub.npaths = f->paths.count;
    }
}

void
ep_finding_severity(ep_finding_slot *f, ep_severity severity)
{
    if (f != NULL) {
        f->pub.severity = severity;
    }
}

ep_finding_slot *
ep_report_find(ep_report *r, ep_finding_code code)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        if (r->findings[i]->pub.code == code) {
            return r->findings[i];
        }
    }
    return NULL;
}

bool
ep_report_add_candidate(ep_report *r, const char *path, const char *status,
                        const char *fmt, ...)
{
    if (!ep_grow((void **)&r->candidates, &r->candidates_cap,
                 r->ncandidates + 1, sizeof(*r->candidates))) {
        return false;
    }
    ep_candidate *c = &r->candidates[r->ncandidates];
    c->path = ep_arena_strdup(&r->arena, path);
    c->status = ep_arena_strdup(&r->arena, status);
    c->detail = "";
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        c->detail = vformat(r, fmt, ap);
        va_end(ap);
    }
    if (c->path == NULL || c->status == NULL || c->detail == NULL) {
        return false;
    }
    r->ncandidates++;
    return true;
}

void
ep_report_set_resolved(ep_report *r, const char *path, const char *kind)
{
    r->resolved_path = path ? ep_arena_strdup(&r->arena, path) : NULL;
    r->resolved_kind = kind ? ep_arena_strdup(&r->arena, kind) : NULL;
}

void
ep_report_note(ep_report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = vformat(r, fmt, ap);
    va_end(ap);
    if (line != NULL) {
        ep_strvec_push(&r->arena, &r->notes, line);
    }
}

const char *
ep_report_module(const ep_report *r)
{
    return r ? r->module : NULL;
}

bool
ep_report_importable(const ep_report *r)
{
    return r != NULL && r->importable;
}

bool
ep_report_has_errors(const ep_report *r)
{
    for (size_t i = 0; r != NULL && i < r->nfindings; i++) {
        if (r->findings[i]->pub.severity == EP_SEVERITY_ERROR) {
            return true;
        }
    }
    return false;
}

size_t
ep_report_finding_count(const ep_report *r)
{
    return r ? r->nfindings : 0;
}

const ep_finding *
ep_report_finding(const ep_report *r, size_t i)
{
    if (r == NULL || i >= r->nfindings) {
        return NULL;
    }
    return &r->findings[i]->pub;
}

const char *
ep_severity_str(ep_severity severity)
{
    switch (severity) {
    case EP_SEVERITY_INFO:
        return "info";
    case EP_SEVERITY_WARNING:
        return "warning";
    case EP_SEVERITY_ERROR:
        return "error";
    }
    return "error";
}
