/*
 * The wheel audit as JSON (schema 1, docs/json.md "wheel") and as text.
 * Findings are written by the report writers, so a finding reads the same
 * in `extprobe wheel` and `extprobe explain`.
 */
#include "wheel/wheel.h"
#include "render/json.h"
#include "render/escape.h"
#include "render/render.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

static const char *const families[4] = {"GLIBC", "GLIBCXX", "CXXABI", "GCC"};

static const char *
libc_name(int libc)
{
    switch (libc) {
    case EP_LIBC_GLIBC:
        return "glibc";
    case EP_LIBC_MUSL:
        return "musl";
    case EP_LIBC_LINUX:
        return "linux";
    default:
        return NULL;
    }
}

static void
write_target(ep_json *j, const ep_wheels *ws)
{
    const ep_wtarget *tg = &ws->target;
    if (!ws->has_target) {
        ep_json_null(j);
        return;
    }
    ep_json_begin_object(j);
    ep_json_member_string(j, "tag", tg->tag);
    ep_json_member_string(j, "description", tg->desc);
    ep_json_member_bool(j, "from_interpreter", tg->from_interp);
    ep_json_key(j, "python");
    char ver[32];
    snprintf(ver, sizeof(ver), "%d.%d", tg->major, tg->minor);
    ep_json_string(j, ver);
    ep_json_member_string(j, "abiflags", tg->abiflags);
    ep_json_member_string(j, "libc", libc_name(tg->plat.libc));
    ep_json_key(j, "libc_version");
    if (tg->plat.libc == EP_LIBC_GLIBC || tg->plat.libc == EP_LIBC_MUSL) {
        snprintf(ver, sizeof(ver), "%d.%d", tg->plat.major, tg->plat.minor);
        ep_json_string(j, ver);
    } else {
        ep_json_null(j);
    }
    ep_json_member_string(j, "arch", tg->plat.arch);
    ep_json_member_strlist(j, "ext_suffixes",
                           ep_strvec_list(&tg->ext_suffixes));
    ep_json_end_object(j);
}

static void
write_member(ep_json *j, const ep_wmember *m)
{
    ep_json_begin_object(j);
    ep_json_member_string(j, "path", m->path);
    ep_json_member_uint(j, "size", m->size);
    ep_json_member_string(j, "kind", m->kind);
    ep_json_member_string(j, "module", m->module);
    ep_json_member_string(j, "suffix", m->suffix);
    ep_json_key(j, "elf");
    if (m->elf_kind == NULL) {
        ep_json_null(j);
    } else {
        ep_json_begin_object(j);
        ep_json_member_string(j, "kind", m->elf_kind);
        ep_json_member_string(j, "machine", m->machine);
        ep_json_key(j, "class");
        if (m->elf_class) {
            ep_json_int(j, m->elf_class);
        } else {
            ep_json_null(j);
        }
        ep_json_member_strlist(j, "needed", m->needed);
        ep_json_member_strlist(j, "runpath", m->runpath);
        ep_json_member_strlist(j, "pyinit", m->pyinit);
        ep_json_key(j, "highest_versions");
        ep_json_begin_object(j);
        for (int k = 0; k < 4; k++) {
            if (m->highest[k] != NULL) {
                ep_json_member_string(j, families[k], m->highest[k]);
            }
        }
        ep_json_end_object(j);
        ep_json_end_object(j);
    }
    ep_json_end_object(j);
}

static void
write_wheel(ep_json *j, const ep_wheels *ws, const ep_wheel *w)
{
    ep_arena *a = (ep_arena *)&ws->arena;
    ep_json_begin_object(j);
    ep_json_member_string(j, "file", w->path);
    ep_json_member_string(j, "error", w->error);
    ep_json_member_string(j, "name",
                          w->meta_name ? w->meta_name
                                       : (w->fname_ok ? w->fname.dist : NULL));
    ep_json_member_string(j, "version",
                          w->meta_version
                              ? w->meta_version
                              : (w->fname_ok ? w->fname.version : NULL));
    ep_json_key(j, "tags");
    ep_json_begin_array(j);
    for (size_t i = 0; w->fname_ok && i < w->fname.ntags; i++) {
        ep_json_string(j, ep_wtag_str(a, &w->fname.tags[i]));
    }
    ep_json_end_array(j);
    ep_json_member_strlist(j, "wheel_tags", ep_strvec_list(&w->wheel_tags));
    ep_json_key(j, "root_is_purelib");
    if (w->root_is_purelib == NULL) {
        ep_json_null(j);
    } else {
        ep_json_bool(j, strcmp(w->root_is_purelib, "true") == 0);
    }
    ep_json_member_string(j, "generator", w->generator);
    ep_json_member_strlist(j, "requires", ep_strvec_list(&w->requires));
    ep_json_key(j, "supported");
    if (w->supported < 0) {
        ep_json_null(j);
    } else {
        ep_json_bool(j, w->supported == 1);
    }
    ep_json_key(j, "family");
    if (w->family == SIZE_MAX) {
        ep_json_null(j);
    } else {
        ep_json_uint(j, w->family);
    }
    ep_json_key(j, "findings");
    ep_report_json_findings(j, w->report);
    ep_json_key(j, "members");
    ep_json_begin_array(j);
    for (size_t i = 0; i < w->nmembers; i++) {
        write_member(j, &w->members[i]);
    }
    ep_json_end_array(j);
    ep_json_member_strlist(j, "notes", ep_strvec_list(&w->report->notes));
    ep_json_end_object(j);
}

static void
write_families(ep_json *j, const ep_wheels *ws)
{
    ep_json_begin_array(j);
    for (size_t i = 0; i < ws->nfamilies; i++) {
        const ep_wfamily *fam = &ws->families[i];
        ep_json_begin_object(j);
        ep_json_member_string(j, "name", fam->name);
        ep_json_member_string(j, "version", fam->version);
        ep_json_key(j, "wheels");
        ep_json_begin_array(j);
        for (size_t k = 0; k < fam->nwheels; k++) {
            ep_json_string(j, ws->wheels[fam->wheels[k]].path);
        }
        ep_json_end_array(j);
        ep_json_member_strlist(j, "native_modules",
                               ep_strvec_list(&fam->modules));
        ep_json_member_strlist(j, "native", ep_strvec_list(&fam->native_tags));
        ep_json_member_strlist(j, "pure_fallback",
                               ep_strvec_list(&fam->pure_tags));
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
}

char *
ep_wheels_json(const ep_wheels *ws, ep_error *err)
{
    if (ws == NULL) {
        ep_fail(err, EP_ERR_INVALID_ARG, "NULL audit");
        return NULL;
    }
    ep_json j;
    ep_json_init(&j, true);
    ep_json_begin_object(&j);
    ep_json_member_int(&j, "schema", 1);
    ep_json_member_bool(&j, "ok", !ep_wheels_has_errors(ws));
    ep_json_key(&j, "target");
    write_target(&j, ws);
    ep_json_key(&j, "wheels");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < ws->count; i++) {
        write_wheel(&j, ws, &ws->wheels[i]);
    }
    ep_json_end_array(&j);
    ep_json_key(&j, "families");
    write_families(&j, ws);
    ep_json_end_object(&j);
    char *doc = ep_json_finish(&j);
    if (doc == NULL) {
        ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    return doc;
}

/* ---- text ------------------------------------------------------------------
 */

/* Names in a wheel (members, tags, versions) are the packager's: shown
 * written out where they hold control characters (render/escape.h). */
static const char *
shown(ep_arena *a, const char *s)
{
    const char *c = ep_text_clean(a, s, false);
    return c != NULL || s == NULL ? c : "?";
}

static void
text_wheel(ep_strbuf *sb, ep_arena *a, const ep_wheels *ws, const ep_wheel *w,
           bool color)
{
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    const char *red = color ? "\033[1;31m" : "",
               *green = color ? "\033[1;32m" : "";
    ep_strbuf_printf(sb, "%sextprobe: wheel %s%s\n", bold, shown(a, w->path),
                     reset);
    if (w->wheel_tags.count > 0) {
        ep_strbuf_puts(sb, "  tags:");
        for (size_t i = 0; i < w->wheel_tags.count; i++) {
            ep_strbuf_printf(sb, " %s", shown(a, w->wheel_tags.items[i]));
        }
        ep_strbuf_putc(sb, '\n');
    }
    if (ws->has_target && w->supported >= 0) {
        ep_strbuf_printf(sb, "  target %s: %s\n", ws->target.tag,
                         w->supported ? "pip accepts the wheel"
                                      : "pip refuses the wheel");
    }
    size_t nlib = 0;
    for (size_t i = 0; i < w->nmembers; i++) {
        nlib += strcmp(w->members[i].kind, "library") == 0;
    }
    ep_strbuf_printf(sb,
                     "  members: %zu (%zu extension module%s, %zu other "
                     "shared object%s)\n\n",
                     w->nmembers, w->nextensions,
                     w->nextensions == 1 ? "" : "s", nlib,
                     nlib == 1 ? "" : "s");
    const ep_report *r = w->report;
    if (r->nfindings > 0 && r->findings[0]->pub.severity == EP_SEVERITY_ERROR) {
        ep_strbuf_printf(sb, "%sCause:%s %s\n\n", red, reset,
                         shown(a, r->findings[0]->pub.summary));
    } else if (!ep_report_has_errors(r)) {
        ep_strbuf_printf(sb, "%sOK:%s no error found%s\n\n", green, reset,
                         ws->has_target ? " for the target" : "");
    }
    ep_report_text_findings(sb, r, color);
    for (size_t i = 0; i < w->nmembers; i++) {
        const ep_wmember *m = &w->members[i];
        if (m->machine == NULL) {
            continue;
        }
        ep_strbuf_printf(sb, "  %-9s %s  %s ELF%d", m->kind, shown(a, m->path),
                         m->machine, m->elf_class);
        for (int k = 0; k < 4; k++) {
            if (m->highest[k] != NULL) {
                ep_strbuf_printf(sb, " %s", shown(a, m->highest[k]));
            }
        }
        ep_strbuf_putc(sb, '\n');
    }
    for (size_t i = 0; i < r->notes.count; i++) {
        ep_strbuf_printf(sb, "note: %s\n", shown(a, r->notes.items[i]));
    }
    ep_strbuf_putc(sb, '\n');
}

char *
ep_wheels_text(const ep_wheels *ws, bool color, ep_error *err)
{
    if (ws == NULL) {
        ep_fail(err, EP_ERR_INVALID_ARG, "NULL audit");
        return NULL;
    }
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    ep_arena a;
    ep_arena_init(&a);
    if (ws->has_target) {
        ep_strbuf_printf(&sb, "target: %s (%s)\n\n", ws->target.tag,
                         ws->target.desc);
    }
    for (size_t i = 0; i < ws->count; i++) {
        text_wheel(&sb, &a, ws, &ws->wheels[i], color);
    }
    for (size_t i = 0; i < ws->nfamilies; i++) {
        const ep_wfamily *fam = &ws->families[i];
        ep_strbuf_printf(&sb, "family %s %s: %zu wheels\n",
                         shown(&a, fam->name), shown(&a, fam->version),
                         fam->nwheels);
        ep_strbuf_puts(&sb, "  native modules:");
        for (size_t k = 0; k < fam->modules.count; k++) {
            ep_strbuf_printf(&sb, " %s", shown(&a, fam->modules.items[k]));
        }
        ep_strbuf_puts(&sb, fam->modules.count ? "\n" : " none\n");
        for (size_t k = 0; k < fam->native_tags.count; k++) {
            ep_strbuf_printf(&sb, "  native module:  %s\n",
                             shown(&a, fam->native_tags.items[k]));
        }
        for (size_t k = 0; k < fam->pure_tags.count; k++) {
            ep_strbuf_printf(&sb, "  pure fallback:  %s\n",
                             shown(&a, fam->pure_tags.items[k]));
        }
        ep_strbuf_putc(&sb, '\n');
    }
    ep_arena_release(&a);
    char *text = ep_strbuf_take(&sb);
    if (text == NULL) {
        ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    return text;
}
