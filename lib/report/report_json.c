/*
 * The JSON of `extprobe explain` and `python -m extprobe` (schema 1). One
 * writer for both routes, so they cannot disagree. Keys in CONTRACT.md are
 * stable; the additions are documented in docs/json.md.
 */
#include "report/report.h"

#include <string.h>

static void
write_python(ep_json *j, const ep_report *r)
{
    const ep_interp *in = r->interp;
    if (in == NULL) {
        ep_json_null(j);
        return;
    }
    ep_json_begin_object(j);
    ep_json_key(j, "executable");
    ep_json_string(j, in->executable);
    ep_json_key(j, "version");
    ep_json_string(j, in->version);
    ep_json_key(j, "implementation");
    ep_json_string(j, in->implementation);
    ep_json_key(j, "soabi");
    ep_json_string(j, in->soabi);
    ep_json_key(j, "ext_suffixes");
    ep_json_strlist(j, ep_strvec_list(&in->ext_suffixes));
    ep_json_key(j, "prefix");
    ep_json_string(j, in->prefix);
    ep_json_key(j, "base_prefix");
    ep_json_string(j, in->base_prefix);
    ep_json_key(j, "in_venv");
    ep_json_bool(j, in->in_venv);
    ep_json_key(j, "platform");
    ep_json_string(j, in->platform);
    ep_json_key(j, "multiarch");
    ep_json_string(j, in->multiarch);
    ep_json_key(j, "libc");
    ep_json_string(j, in->libc);
    ep_json_key(j, "shared_libpython");
    ep_json_bool(j, in->shared);
    ep_json_key(j, "debug");
    ep_json_bool(j, in->debug);
    ep_json_key(j, "free_threaded");
    ep_json_bool(j, in->gil_disabled);
    ep_json_key(j, "cwd");
    ep_json_string(j, in->cwd);
    ep_json_key(j, "start");
    ep_json_string(j, r->start_mode);
    ep_json_key(j, "sys_path");
    ep_json_begin_array(j);
    for (size_t i = 0; i < in->npath; i++) {
        const ep_path_entry *e = &in->path[i];
        ep_json_begin_object(j);
        ep_json_key(j, "path");
        ep_json_string(j, e->path);
        ep_json_key(j, "origin");
        if (strcmp(e->origin, "pth") == 0 && e->detail[0]) {
            ep_strbuf o;
            ep_strbuf_init(&o);
            ep_strbuf_printf(&o, "pth:%s", e->detail);
            ep_json_string(j, o.data ? o.data : "pth");
            ep_strbuf_release(&o);
        } else {
            ep_json_string(j, e->origin);
        }
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_end_object(j);
}

static void
write_findings(ep_json *j, const ep_report *r)
{
    ep_json_begin_array(j);
    for (size_t i = 0; i < r->nfindings; i++) {
        const ep_finding *f = &r->findings[i]->pub;
        ep_json_begin_object(j);
        ep_json_key(j, "code");
        ep_json_string(j, ep_finding_slug(f->code));
        ep_json_key(j, "severity");
        ep_json_string(j, ep_severity_str(f->severity));
        ep_json_key(j, "summary");
        ep_json_string(j, f->summary);
        ep_json_key(j, "detail");
        ep_json_string(j, f->detail);
        ep_json_key(j, "paths");
        ep_json_begin_array(j);
        for (size_t k = 0; k < f->npaths; k++) {
            ep_json_string(j, f->paths[k]);
        }
        ep_json_end_array(j);
        ep_json_key(j, "fix");
        ep_json_string(j, f->fix);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
}

static void
write_trial(ep_json *j, const ep_trial *t)
{
    if (!t->ran) {
        ep_json_null(j);
        return;
    }
    ep_json_begin_object(j);
    ep_json_key(j, "ok");
    ep_json_bool(j, t->ok);
    ep_json_key(j, "timed_out");
    ep_json_bool(j, t->timed_out);
    ep_json_key(j, "exit_code");
    ep_json_int(j, t->exit_code);
    ep_json_key(j, "exception");
    if (t->ok) {
        ep_json_null(j);
    } else {
        ep_json_begin_object(j);
        ep_json_key(j, "type");
        ep_json_string(j, t->exc_type);
        ep_json_key(j, "message");
        ep_json_string(j, t->message);
        ep_json_key(j, "name");
        ep_json_string(j, t->exc_name);
        ep_json_key(j, "path");
        ep_json_string(j, t->exc_path);
        ep_json_key(j, "traceback");
        ep_json_string(j, t->traceback);
        ep_json_end_object(j);
    }
    ep_json_key(j, "file");
    ep_json_string(j, t->file);
    ep_json_key(j, "failures");
    ep_json_begin_array(j);
    for (size_t i = 0; i < t->nfailures; i++) {
        const ep_trial_failure *f = &t->failures[i];
        ep_json_begin_object(j);
        ep_json_key(j, "stage");
        ep_json_string(j, f->kind);
        ep_json_key(j, "type");
        ep_json_string(j, f->exc_type);
        ep_json_key(j, "message");
        ep_json_string(j, f->message);
        ep_json_key(j, "import");
        ep_json_string(j, f->name);
        ep_json_key(j, "name");
        ep_json_string(j, f->exc_name);
        ep_json_key(j, "path");
        ep_json_string(j, f->path);
        ep_json_key(j, "importer");
        ep_json_string(j, f->importer);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_key(j, "none_attributes");
    ep_json_strlist(j, ep_strvec_list(&t->none_attrs));
    ep_json_key(j, "output");
    ep_json_string(j, t->output);
    ep_json_end_object(j);
}

char *
ep_report_json(const ep_report *r, ep_error *err)
{
    if (r == NULL) {
        ep_fail(err, EP_ERR_INVALID_ARG, "NULL report");
        return NULL;
    }
    ep_json j;
    ep_json_init(&j, true);
    ep_json_begin_object(&j);
    ep_json_key(&j, "schema");
    ep_json_int(&j, 1);
    ep_json_key(&j, "module");
    ep_json_string(&j, r->module);
    if (r->subject_file != NULL) {
        ep_json_key(&j, "file");
        ep_json_string(&j, r->subject_file);
    }
    ep_json_key(&j, "importable");
    ep_json_bool(&j, r->importable);
    ep_json_key(&j, "python");
    write_python(&j, r);
    ep_json_key(&j, "resolved");
    if (r->resolved_path == NULL && r->resolved_kind == NULL) {
        ep_json_null(&j);
    } else {
        ep_json_begin_object(&j);
        ep_json_key(&j, "path");
        ep_json_string(&j, r->resolved_path);
        ep_json_key(&j, "kind");
        ep_json_string(&j, r->resolved_kind);
        ep_json_end_object(&j);
    }
    ep_json_key(&j, "candidates");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < r->ncandidates; i++) {
        ep_json_begin_object(&j);
        ep_json_key(&j, "path");
        ep_json_string(&j, r->candidates[i].path);
        ep_json_key(&j, "status");
        ep_json_string(&j, r->candidates[i].status);
        ep_json_key(&j, "detail");
        ep_json_string(&j, r->candidates[i].detail);
        ep_json_end_object(&j);
    }
    ep_json_end_array(&j);
    ep_json_key(&j, "findings");
    write_findings(&j, r);
    ep_json_key(&j, "trial");
    write_trial(&j, &r->trial);
    ep_json_key(&j, "notes");
    ep_json_strlist(&j, ep_strvec_list(&r->notes));
    ep_json_end_object(&j);
    char *doc = ep_json_finish(&j);
    if (doc == NULL) {
        ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    return doc;
}
