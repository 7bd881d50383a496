/*
 * The report for a person: the cause in one line, the evidence, the fix --
 * then the import trial, what the finder looked at, and sys.path with the
 * origin of each entry (that is what makes shadowing visible).
 */
#include "render/escape.h"
#include "report/report.h"
#include "render/render.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <string.h>

typedef struct style {
    const char *bold, *red, *yellow, *cyan, *green, *dim, *reset;
    ep_arena *arena; /* for escaped copies (E) */
} style;

static const style plain = {"", "", "", "", "", "", "", NULL};
static const style ansi = {"\033[1m",    "\033[1;31m", "\033[1;33m",
                           "\033[1;36m", "\033[1;32m", "\033[2m",
                           "\033[0m",    NULL};

/* A string from outside (a message, a path) fit for one line of a terminal:
 * no control character of its own reaches it (render/escape.c). */
static const char *
E(const style *st, const char *s)
{
    const char *c = ep_text_clean(st->arena, s, false);
    return c != NULL || s == NULL ? c : "?";
}

/* Each line of text, indented. */
static void
indented(ep_strbuf *sb, const style *st, const char *indent, const char *text)
{
    const char *clean = ep_text_clean(st->arena, text, true);
    text = clean != NULL || text == NULL ? clean : "?";
    while (text != NULL && *text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        ep_strbuf_puts(sb, indent);
        ep_strbuf_append(sb, text, len);
        ep_strbuf_putc(sb, '\n');
        text = nl ? nl + 1 : NULL;
    }
}

static const char *
severity_color(const style *st, ep_severity s)
{
    return s == EP_SEVERITY_ERROR     ? st->red
           : s == EP_SEVERITY_WARNING ? st->yellow
                                      : st->cyan;
}

static void
write_header(ep_strbuf *sb, const ep_report *r, const style *st)
{
    const ep_interp *in = r->interp;
    if (r->subject_file) {
        ep_strbuf_printf(sb, "%sextprobe: %s%s", st->bold,
                         E(st, r->subject_file), st->reset);
    } else {
        ep_strbuf_printf(sb, "%sextprobe: import %s%s", st->bold,
                         E(st, r->module), st->reset);
    }
    if (in != NULL) {
        ep_strbuf_printf(
            sb, "  (%s %s %s, started as %s in %s)", E(st, in->python),
            in->implementation ? E(st, in->implementation) : "python",
            in->version ? E(st, in->version) : "?",
            strcmp(r->start_mode, "m") == 0        ? "-m"
            : strcmp(r->start_mode, "script") == 0 ? "a script"
            : strcmp(r->start_mode, "safe") == 0   ? "-P"
                                                   : "-c",
            in->cwd ? E(st, in->cwd) : "?");
    }
    ep_strbuf_puts(sb, "\n\n");
    if (r->nfindings > 0 && r->findings[0]->pub.severity == EP_SEVERITY_ERROR) {
        const ep_finding *f = &r->findings[0]->pub;
        ep_strbuf_printf(sb, "%sCause:%s %s\n\n", st->red, st->reset,
                         E(st, f->summary));
    } else if (r->importable && r->resolved_kind != NULL &&
               strcmp(r->resolved_kind, "builtin") == 0) {
        ep_strbuf_printf(sb, "%sOK:%s %s is built into the interpreter\n\n",
                         st->green, st->reset, E(st, r->module));
    } else if (r->importable && r->trial == NULL) {
        /* Without a real import the walk cannot know that the import
         * works (an init that raises, a library the loader refuses). */
        ep_strbuf_printf(sb,
                         "%sNo problem found statically:%s the import of %s "
                         "was not tried%s\n\n",
                         st->green, st->reset, E(st, r->module),
                         r->nfindings ? "; see the findings below" : "");
    } else if (r->importable && r->trial->outcome == EP_TRIAL_IMPORTED) {
        ep_strbuf_printf(sb, "%sOK:%s %s imports%s\n\n", st->green, st->reset,
                         E(st, r->module),
                         r->nfindings ? "; warnings below"
                                      : " and no problem was found");
    } else if (!r->importable) {
        ep_strbuf_printf(sb, "%sCause:%s %s does not import\n\n", st->red,
                         st->reset, E(st, r->module));
    }
}

static void
write_findings(ep_strbuf *sb, const ep_report *r, const style *st)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        const ep_finding *f = &r->findings[i]->pub;
        ep_strbuf_printf(sb, "%s%s[%s]%s %s\n", severity_color(st, f->severity),
                         ep_severity_str(f->severity), ep_finding_slug(f->code),
                         st->reset, E(st, f->summary));
        indented(sb, st, "    ", f->detail);
        if (f->npaths > 0) {
            ep_strbuf_printf(sb, "  %spaths:%s\n", st->dim, st->reset);
            for (size_t k = 0; k < f->npaths; k++) {
                ep_strbuf_printf(sb, "    %s\n", E(st, f->paths[k]));
            }
        }
        if (f->fix && f->fix[0]) {
            ep_strbuf_printf(sb, "  %sfix:%s\n", st->bold, st->reset);
            indented(sb, st, "    ", f->fix);
        }
        ep_strbuf_putc(sb, '\n');
    }
}

void
ep_report_text_findings(ep_strbuf *sb, const ep_report *r, bool color)
{
    /* Escaped copies need an arena (a finding about a wheel member whose
     * name holds ESC crashed here without one). */
    style escaped = color ? ansi : plain;
    ep_arena arena;
    ep_arena_init(&arena);
    escaped.arena = &arena;
    write_findings(sb, r, &escaped);
    ep_arena_release(&arena);
}

static void
write_trial(ep_strbuf *sb, const ep_report *r, const style *st)
{
    const ep_trial *t = r->trial;
    ep_strbuf_printf(sb, "%sImport trial%s (a child process): ", st->bold,
                     st->reset);
    if (t == NULL) {
        ep_strbuf_printf(sb, "%s\n", ep_trial_outcome_str(EP_TRIAL_NOT_RUN));
        return;
    }
    if (t->outcome == EP_TRIAL_IMPORTED) {
        ep_strbuf_printf(sb, "imported%s\n",
                         t->nfailures ? ", but failures were caught inside:"
                                      : "");
    } else {
        ep_strbuf_printf(sb, "%s: %s\n",
                         t->exc_type ? E(st, t->exc_type) : "failed",
                         t->message ? E(st, t->message) : "");
        if (t->nfailures) {
            ep_strbuf_puts(sb, "  on the way:\n");
        }
    }
    for (size_t i = 0; i < t->nfailures; i++) {
        const ep_trial_failure *f = &t->failures[i];
        ep_strbuf_printf(sb, "    %s %s: %s: %s\n",
                         f->stage == EP_TRIAL_STAGE_EXT ? "loading" : "import",
                         f->name ? E(st, f->name) : "?",
                         f->exc_type ? E(st, f->exc_type) : "?",
                         f->message ? E(st, f->message) : "");
    }
}

static void
write_lookups(ep_strbuf *sb, const ep_report *r, const style *st)
{
    if (r->resolved_path || r->resolved_kind) {
        ep_strbuf_printf(sb, "%sResolved:%s %s (%s)\n", st->bold, st->reset,
                         r->resolved_path ? E(st, r->resolved_path) : "no file",
                         r->resolved_kind ? E(st, r->resolved_kind) : "?");
    }
    if (r->ncandidates) {
        ep_strbuf_printf(sb, "%sCandidates:%s\n", st->bold, st->reset);
        for (size_t i = 0; i < r->ncandidates; i++) {
            const ep_candidate *c = &r->candidates[i];
            ep_strbuf_printf(sb, "  %-18s %s%s%s\n", c->status, E(st, c->path),
                             c->detail[0] ? "  -- " : "", E(st, c->detail));
        }
    }
    const ep_interp *in = r->interp;
    if (in == NULL || in->npath == 0) {
        return;
    }
    ep_strbuf_printf(sb, "%ssys.path%s (in order):\n", st->bold, st->reset);
    for (size_t i = 0; i < in->npath; i++) {
        const ep_path_entry *e = &in->path[i];
        ep_strbuf_printf(
            sb, "  %2zu %-14s %s%s%s\n", i, ep_path_origin_str(e->origin),
            e->path[0] ? E(st, e->path) : "'' (the working directory)",
            e->detail[0] ? "  from " : "", E(st, e->detail));
    }
}

char *
ep_report_text(const ep_report *r, bool color, ep_error *err)
{
    if (r == NULL) {
        ep_fail(err, EP_ERR_INVALID_ARG, "NULL report");
        return NULL;
    }
    /* The style with an arena for the escaped copies of this one text. */
    style escaped = color ? ansi : plain;
    const style *st = &escaped;
    ep_arena arena;
    ep_arena_init(&arena);
    escaped.arena = &arena;
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    write_header(&sb, r, st);
    write_findings(&sb, r, st);
    write_trial(&sb, r, st);
    write_lookups(&sb, r, st);
    for (size_t i = 0; i < r->notes.count; i++) {
        ep_strbuf_printf(&sb, "%snote:%s %s\n", st->dim, st->reset,
                         E(st, r->notes.items[i]));
    }
    ep_arena_release(&arena);
    char *text = ep_strbuf_take(&sb);
    if (text == NULL) {
        ep_fail_nomem(err);
    }
    return text;
}
