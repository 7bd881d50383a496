/*
 * The JSON of `extprobe scan` (schema 1, docs/json.md): one object per
 * module, and the closing members, so the CLI can stream the document.
 */
#include "render/json.h"

char *
ep_scan_module_json(const ep_scan_module *m)
{
    if (m == NULL) {
        return NULL;
    }
    ep_json j;
    ep_json_init(&j, true);
    j.depth = 1; /* indented as an item of "modules" */
    ep_json_begin_object(&j);
    ep_json_member_string(&j, "module", m->module);
    ep_json_member_string(&j, "file", m->file);
    ep_json_member_string(&j, "root", m->root);
    ep_json_member_string(&j, "tag", m->tag);
    ep_json_member_bool(&j, "ok", m->ok);
    ep_json_key(&j, "findings");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < m->nfindings; i++) {
        ep_json_begin_object(&j);
        ep_json_member_string(&j, "code", m->findings[i].code);
        ep_json_member_string(&j, "severity", "error");
        ep_json_member_string(&j, "summary", m->findings[i].summary);
        ep_json_end_object(&j);
    }
    ep_json_end_array(&j);
    ep_json_end_object(&j);
    return ep_strbuf_take(&j.out);
}

char *
ep_scan_summary_json(const ep_scan_summary *s, const char *const *codes,
                     const size_t *counts, size_t ncodes)
{
    if (s == NULL) {
        return NULL;
    }
    ep_json j;
    ep_json_init(&j, true);
    j.depth = 1;
    ep_json_key(&j, "python");
    ep_json_begin_object(&j);
    ep_json_member_string(&j, "name", s->python);
    ep_json_member_string(&j, "executable", s->executable);
    ep_json_member_strlist(&j, "ext_suffixes", s->suffixes);
    ep_json_end_object(&j);
    ep_json_member_strlist(&j, "roots", s->roots);
    ep_json_key(&j, "summary");
    ep_json_begin_object(&j);
    ep_json_member_uint(&j, "modules", s->modules);
    ep_json_member_uint(&j, "ok", s->ok);
    ep_json_member_uint(&j, "failed", s->failed);
    ep_json_key(&j, "by_code");
    ep_json_begin_object(&j);
    for (size_t i = 0; i < ncodes; i++) {
        ep_json_member_uint(&j, codes[i], counts[i]);
    }
    ep_json_end_object(&j);
    ep_json_end_object(&j);
    return ep_strbuf_take(&j.out);
}
