/*
 * `extprobe deps --json`: the loader emulation's result as one JSON object
 * (schema 1, CONTRACT.md keys plus the documented additions in docs/deps.md),
 * written with the shared ep_json writer.
 */
#include "util/error.h"
#include "util/arena.h"
#include "render/json.h"

#include "loader/loader.h"

#include <stdlib.h>

static void
write_how(ep_json *j, ep_deps_how how)
{
    if (how == EP_DEPS_NOT_FOUND) {
        ep_json_null(j);
    } else {
        ep_json_string(j, ep_deps_how_str(how));
    }
}

static void
write_library(ep_json *j, const ep_deps_lib *l)
{
    ep_json_begin_object(j);
    ep_json_member_string(j, "name", l->name);
    ep_json_member_string(j, "path", l->error ? NULL : l->path);
    ep_json_key(j, "how");
    write_how(j, l->error ? EP_DEPS_NOT_FOUND : l->how);
    ep_json_member_string(j, "needed_by", l->needed_by);
    ep_json_key(j, "tried");
    ep_json_begin_array(j);
    for (size_t i = 0; i < l->ntried; i++) {
        ep_json_string(j, l->tried[i].path);
    }
    ep_json_end_array(j);
    ep_json_key(j, "skipped");
    ep_json_begin_array(j);
    for (size_t i = 0; i < l->nskipped; i++) {
        ep_json_begin_object(j);
        ep_json_member_string(j, "path", l->skipped[i].path);
        ep_json_member_string(j, "why", l->skipped[i].why);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    /* Additions (docs/deps.md). */
    ep_json_member_bool(j, "found", l->path != NULL && l->error == NULL);
    ep_json_member_string(j, "rule_from", l->how_from);
    /* Canonical path, resolved now: the analysis itself never needs it. */
    ep_json_key(j, "realpath");
    char *real = l->path && !l->error ? realpath(l->path, NULL) : NULL;
    ep_json_string(j, real);
    free(real);
    ep_json_member_string(j, "soname", l->soname);
    ep_json_member_uint(j, "depth", l->depth);
    ep_json_member_string(j, "error", l->error);
    ep_json_member_string(j, "refused_file", l->error ? l->path : NULL);
    ep_json_key(j, "needs");
    ep_json_begin_array(j);
    for (size_t i = 0; i < l->nneeded; i++) {
        ep_json_uint(j, l->needed[i]);
    }
    ep_json_end_array(j);
    ep_json_key(j, "search");
    ep_json_begin_array(j);
    for (size_t i = 0; i < l->ntried; i++) {
        const ep_deps_place *p = &l->tried[i];
        ep_json_begin_object(j);
        ep_json_member_string(j, "path", p->path);
        ep_json_member_string(j, "rule", ep_deps_how_str(p->how));
        ep_json_member_string(j, "from", p->from);
        ep_json_member_bool(j, "exists", p->exists);
        ep_json_member_string(j, "note", p->note);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_end_object(j);
}

static void
write_python(ep_json *j, const ep_deps *d)
{
    if (d->interpreter == NULL) {
        ep_json_null(j);
        return;
    }
    ep_json_begin_object(j);
    ep_json_member_string(j, "name", d->python);
    ep_json_member_string(j, "executable", d->interpreter);
    ep_json_member_bool(j, "asked", d->asked);
    ep_json_member_bool(j, "shared", d->shared);
    ep_json_member_string(j, "libpython", d->libpython);
    ep_json_member_string(j, "dlopen_caller", d->call_map);
    ep_json_end_object(j);
}

static void
write_environment(ep_json *j, const ep_deps *d)
{
    ep_json_begin_object(j);
    ep_json_member_string(j, "ld_library_path", d->ld_library_path);
    ep_json_member_string(j, "ld_so_cache", d->cache_path);
    ep_json_member_string(j, "ld_so_cache_format", d->cache_format);
    ep_json_member_string(j, "platform", d->platform);
    ep_json_member_string(j, "lib", d->lib);
    ep_json_member_strlist(j, "glibc_hwcaps", d->hwcaps);
    ep_json_member_strlist(j, "legacy_hwcaps", d->legacy_hwcaps);
    ep_json_member_strlist(j, "default_dirs", d->system_dirs);
    ep_json_end_object(j);
}

char *
ep_deps_json(const ep_deps *d, ep_error *err)
{
    if (d == NULL) {
        ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
        return NULL;
    }
    ep_json j;
    ep_json_init(&j, true);
    ep_json_begin_object(&j);
    ep_json_member_int(&j, "schema", 1);
    ep_json_member_string(&j, "file", d->file);
    ep_json_key(&j, "libraries");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < d->nlibs; i++) {
        write_library(&j, &d->libs[i]);
    }
    ep_json_end_array(&j);
    ep_json_key(&j, "missing_versions");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < d->nmissing; i++) {
        const ep_deps_version *m = &d->missing[i];
        ep_json_begin_object(&j);
        ep_json_member_string(&j, "library", m->library);
        ep_json_member_string(&j, "version", m->version);
        ep_json_member_string(&j, "needed_by", m->needed_by);
        ep_json_member_string(&j, "path", m->path);
        ep_json_member_string(&j, "highest", m->highest);
        ep_json_end_object(&j);
    }
    ep_json_end_array(&j);
    ep_json_key(&j, "unresolved_symbols");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < d->nunresolved; i++) {
        const ep_deps_symbol *s = &d->unresolved[i];
        ep_json_begin_object(&j);
        ep_json_member_string(&j, "name", s->name);
        ep_json_member_string(&j, "version", s->version);
        ep_json_member_string(&j, "needed_by", s->needed_by);
        ep_json_member_string(&j, "version_file", s->version_file);
        ep_json_end_object(&j);
    }
    ep_json_end_array(&j);
    /* Additions (docs/deps.md). */
    ep_json_member_bool(&j, "ok", d->ok);
    ep_json_key(&j, "root");
    write_library(&j, &d->root);
    ep_json_key(&j, "python");
    write_python(&j, d);
    ep_json_key(&j, "process");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < d->nprocess; i++) {
        write_library(&j, &d->process[i]);
    }
    ep_json_end_array(&j);
    ep_json_key(&j, "symbols");
    ep_json_begin_object(&j);
    ep_json_member_bool(&j, "enabled", d->symbols_enabled);
    ep_json_member_uint(&j, "checked", d->symbols_checked);
    ep_json_member_uint(&j, "weak_skipped", d->symbols_weak);
    ep_json_member_uint(&j, "unresolved", d->nunresolved);
    ep_json_end_object(&j);
    ep_json_member_strlist(&j, "notes", ep_strvec_list(&d->notes));
    ep_json_key(&j, "environment");
    write_environment(&j, d);
    ep_json_end_object(&j);
    char *out = ep_json_finish(&j);
    if (out == NULL) {
        ep_fail_nomem(err);
    }
    return out;
}
