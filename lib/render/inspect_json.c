/*
 * The JSON of `extprobe inspect` (schema 1, docs/json.md). Keys scripts rely
 * on are in CONTRACT.md; the others are documented additions.
 */
#include "util/error.h"
#include "render/json.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Highest version per family ("GLIBC" -> "GLIBC_2.34") over all needs;
 * names without a number have no order and are left out. */
static void
write_highest(ep_json *j, const ep_version_need *needs, size_t n)
{
    ep_json_begin_object(j);
    for (size_t i = 0; i < n; i++) {
        const char *v = needs[i].version;
        size_t fam = ep_version_family_len(v);
        bool best = fam > 0;
        for (size_t k = 0; best && k < n; k++) {
            const char *w = needs[k].version;
            if (k == i || ep_version_family_len(w) != fam ||
                strncmp(w, v, fam) != 0) {
                continue;
            }
            /* Greater, or equal and listed first (the same version is
             * often required from two files). */
            int c = ep_version_compare(w, v);
            best = c < 0 || (c == 0 && k > i);
        }
        if (!best) {
            continue;
        }
        char family[128];
        size_t flen = fam - 1; /* without the '_' */
        if (flen >= sizeof(family)) {
            flen = sizeof(family) - 1;
        }
        memcpy(family, v, flen);
        family[flen] = '\0';
        ep_json_key(j, family);
        ep_json_string(j, v);
    }
    ep_json_end_object(j);
}

static void
write_versions(ep_json *j, ep_object *obj)
{
    const ep_version_need *needs = NULL;
    const ep_version_def *defs = NULL;
    size_t nn = 0, nd = 0;
    ep_error err;
    if (ep_object_version_needs(obj, &needs, &nn, &err) != EP_OK ||
        ep_object_version_defs(obj, &defs, &nd, &err) != EP_OK) {
        ep_json_member_string(j, "versions_error", err.message);
        nn = nd = 0;
    }
    ep_json_key(j, "version_needs");
    ep_json_begin_object(j);
    for (size_t i = 0; i < nn; i++) {
        if (i > 0 && strcmp(needs[i].file, needs[i - 1].file) == 0) {
            continue;
        }
        ep_json_key(j, needs[i].file);
        ep_json_begin_array(j);
        for (size_t k = i; k < nn && strcmp(needs[k].file, needs[i].file) == 0;
             k++) {
            ep_json_string(j, needs[k].version);
        }
        ep_json_end_array(j);
    }
    ep_json_end_object(j);
    ep_json_key(j, "version_highest");
    write_highest(j, needs, nn);
    ep_json_key(j, "version_defs");
    ep_json_begin_array(j);
    for (size_t i = 0; i < nd; i++) {
        if (!defs[i].base) {
            ep_json_string(j, defs[i].name);
        }
    }
    ep_json_end_array(j);
}

static void
write_symbols(ep_json *j, ep_object *obj)
{
    const ep_symbol *syms = NULL;
    size_t n = 0;
    ep_strlist pyinit = {0, NULL};
    ep_error err;
    if (ep_object_symbols(obj, &syms, &n, &err) != EP_OK ||
        ep_object_pyinit(obj, &pyinit, &err) != EP_OK) {
        ep_json_member_string(j, "symbols_error", err.message);
        n = 0;
    }
    ep_json_member_strlist(j, "pyinit", pyinit);
    /* Symbols are most of what inspect writes (a libpython has thousands):
     * keys and the words of ep_symbol_*_str() go out without the escape
     * scan; names and versions come from the file and are escaped. */
    /* Each export's name goes out twice: measured and checked once, its
     * length kept (+1; 0 when it needed escaping) for the second time. */
    uint32_t *plain = n > 0 ? malloc(n * sizeof(*plain)) : NULL;
    ep_json_key(j, "exports");
    ep_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined) {
            size_t len = strlen(syms[i].name);
            bool ok = ep_json_string_n(j, syms[i].name, len);
            if (plain != NULL) {
                plain[i] = ok && len < UINT32_MAX ? (uint32_t)len + 1 : 0;
            }
        }
    }
    ep_json_end_array(j);
    ep_json_key(j, "export_details");
    ep_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        if (!syms[i].defined) {
            continue;
        }
        ep_json_begin_object(j);
        ep_json_key_lit(j, "name");
        if (plain != NULL && plain[i] != 0) {
            ep_json_plain_n(j, syms[i].name, plain[i] - 1);
        } else {
            ep_json_string(j, syms[i].name);
        }
        ep_json_key_lit(j, "type");
        ep_json_word(j, ep_symbol_type_str(syms[i].type));
        ep_json_key_lit(j, "binding");
        ep_json_word(j, ep_symbol_bind_str(syms[i].bind));
        ep_json_key_lit(j, "visibility");
        ep_json_word(j, ep_symbol_visibility_str(syms[i].visibility));
        ep_json_key_lit(j, "version");
        ep_json_string(j, syms[i].version);
        ep_json_key_lit(j, "default_version");
        ep_json_bool(j, syms[i].version != NULL && !syms[i].hidden_version);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    free(plain);
    ep_json_key(j, "imports");
    ep_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined) {
            continue;
        }
        ep_json_begin_object(j);
        ep_json_key_lit(j, "name");
        ep_json_string(j, syms[i].name);
        ep_json_key_lit(j, "version");
        ep_json_string(j, syms[i].version);
        ep_json_key_lit(j, "library");
        ep_json_string(j, syms[i].version_file);
        ep_json_key_lit(j, "weak");
        ep_json_bool(j, syms[i].weak);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
}

static void
write_tag(ep_json *j, const ep_ext_tag *t)
{
    if (t == NULL) {
        ep_json_null(j);
        return;
    }
    ep_json_begin_object(j);
    ep_json_member_string(j, "module", t->module);
    ep_json_member_string(j, "suffix", t->suffix);
    ep_json_member_string(j, "implementation", t->implementation);
    ep_json_member_string(j, "version", t->version);
    ep_json_member_string(j, "abiflags", t->abiflags);
    ep_json_member_string(j, "platform", t->platform);
    ep_json_member_bool(j, "stable_abi", t->stable_abi);
    ep_json_end_object(j);
}

/* Build provenance; the helper runs in its own process (lib/dwarf), one for
 * the document's files (reader). */
static void
write_provenance(ep_json *j, ep_provenance_reader *reader, const ep_object *obj)
{
    ep_provenance *prov = NULL;
    ep_error err;
    ep_json_key(j, "provenance");
    if (reader == NULL) {
        ep_json_null(j); /* not asked for */
        return;
    }
    if (ep_provenance_read_with(reader, obj, &prov, &err) != EP_OK) {
        ep_json_begin_object(j);
        ep_json_member_string(j, "status", "unreadable");
        ep_json_member_string(j, "reason", err.message);
        ep_json_end_object(j);
        return;
    }
    const ep_provenance_info *in = ep_provenance_get(prov);
    ep_json_begin_object(j);
    ep_json_member_string(j, "status", ep_debug_status_str(in->status));
    ep_json_member_string(j, "source", in->source);
    ep_json_member_string(j, "debug_file", in->debug_file);
    ep_json_member_string(j, "reason", in->reason);
    ep_json_member_uint(j, "units", in->units);
    ep_json_key(j, "producers");
    ep_json_begin_array(j);
    for (size_t i = 0; i < in->nproducers; i++) {
        const ep_build_unit *u = &in->producers[i];
        ep_json_begin_object(j);
        ep_json_member_string(j, "producer", u->producer);
        ep_json_member_string(j, "compiler", u->compiler);
        ep_json_member_string(j, "compiler_version", u->compiler_version);
        ep_json_member_string(j, "language", u->language);
        ep_json_member_strlist(j, "flags", u->flags);
        ep_json_member_uint(j, "units", u->units);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_member_bool(j, "rust", in->rust);
    ep_json_member_strlist(j, "python_headers", in->python_headers);
    ep_json_member_bool(j, "macro_info", in->has_macros);
    ep_json_member_string(j, "py_version", in->py_version);
    ep_json_member_string(j, "limited_api", in->limited_api);
    ep_json_member_bool(j, "py_debug", in->py_debug);
    ep_json_member_bool(j, "gil_disabled", in->py_gil_disabled);
    ep_json_member_strlist(j, "sources", in->sources);
    ep_json_end_object(j);
    ep_provenance_free(prov);
}

/* One object's inspect record (an open JSON object's members). */
static void
ep_inspect_json_object(ep_json *j, ep_provenance_reader *reader, ep_object *obj)
{
    const ep_elf_info *in = ep_object_elf(obj);
    ep_json_member_string(j, "path", ep_object_path(obj));
    ep_json_member_string(j, "kind", ep_kind_str(ep_object_kind(obj)));
    ep_json_member_string(j, "reason", ep_object_reason(obj));
    ep_json_member_uint(j, "size", ep_object_size(obj));
    ep_json_key(j, "tag");
    write_tag(j, ep_object_ext_tag(obj));
    if (in == NULL) {
        return;
    }
    ep_json_member_int(j, "class", in->elf_class);
    ep_json_member_string(j, "endian", in->endian_name);
    ep_json_member_string(j, "osabi", in->osabi_name);
    ep_json_member_string(j, "machine", in->machine_name);
    ep_json_member_int(j, "e_machine", in->machine);
    ep_json_member_string(j, "type", in->type_name);
    if (ep_object_kind(obj) != EP_KIND_ELF) {
        return; /* damaged: only the header is trustworthy */
    }
    ep_json_member_string(j, "interp", in->interp);
    ep_json_member_string(j, "soname", in->soname);
    ep_json_member_strlist(j, "needed", in->needed);
    ep_json_member_strlist(j, "rpath", in->rpath);
    ep_json_member_strlist(j, "runpath", in->runpath);
    ep_json_member_strlist(j, "flags", in->flag_names);
    ep_json_key(j, "exec_stack");
    if (in->stack_flags < 0) {
        ep_json_null(j);
    } else {
        ep_json_bool(j, (in->stack_flags & 1) != 0); /* PF_X */
    }
    ep_json_member_uint(j, "tls_size", in->tls_size);
    ep_json_member_string(j, "build_id", in->build_id);
    ep_json_member_string(j, "abi_tag", in->abi_tag);
    ep_json_member_strlist(j, "comments", in->comments);
    ep_json_member_bool(j, "stripped", in->stripped);
    ep_json_member_bool(j, "debug_info", in->has_debug_info);
    ep_json_member_string(j, "debuglink", in->debuglink);
    write_provenance(j, reader, obj);
    write_symbols(j, obj);
    write_versions(j, obj);
}

ep_status
ep_inspect_json(ep_object *const *objs, size_t count, char **json,
                ep_error *err)
{
    if (json == NULL || (objs == NULL && count > 0)) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    ep_provenance_reader *reader = NULL;
    ep_status st = ep_provenance_reader_new(&reader, err);
    if (st != EP_OK) {
        return st;
    }
    ep_json j;
    ep_json_init(&j, true);
    ep_json_begin_object(&j);
    ep_json_member_int(&j, "schema", 1);
    ep_json_key(&j, "files");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < count; i++) {
        ep_json_begin_object(&j);
        ep_inspect_json_object(&j, reader, objs[i]);
        ep_json_end_object(&j);
    }
    ep_provenance_reader_free(reader);
    ep_json_end_array(&j);
    ep_json_end_object(&j);
    *json = ep_json_finish(&j);
    if (*json == NULL) {
        return ep_fail_nomem(err);
    }
    return EP_OK;
}

struct ep_inspect_writer {
    ep_json j;
    size_t count;
    ep_provenance_reader *reader; /* one DWARF helper for all the files */
};

ep_status
ep_inspect_writer_new(int fd, ep_inspect_writer **out, ep_error *err)
{
    if (out == NULL || fd < 0) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_inspect_writer_new: bad argument");
    }
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        return ep_fail_nomem(err);
    }
    ep_status st = ep_provenance_reader_new(&(*out)->reader, err);
    if (st != EP_OK) {
        free(*out);
        *out = NULL;
        return st;
    }
    ep_json *j = &(*out)->j;
    ep_json_init_fd(j, true, fd);
    ep_json_begin_object(j);
    ep_json_member_int(j, "schema", 1);
    ep_json_key(j, "files");
    ep_json_begin_array(j);
    return EP_OK;
}

void
ep_inspect_writer_set_provenance(ep_inspect_writer *w, bool read)
{
    if (w != NULL && !read) {
        ep_provenance_reader_free(w->reader);
        w->reader = NULL;
    }
}

/* The failure a streaming writer has run into, if any. */
static ep_status
writer_status(ep_json *j, ep_error *err)
{
    if (j->out.failed) {
        return ep_fail_nomem(err);
    }
    if (j->write_errno != 0) {
        return ep_fail_errno(err, j->write_errno,
                             "cannot write the JSON document");
    }
    return EP_OK;
}

ep_status
ep_inspect_writer_add(ep_inspect_writer *w, ep_object *obj, ep_error *err)
{
    if (w == NULL || obj == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_inspect_writer_add: NULL argument");
    }
    ep_json_begin_object(&w->j);
    ep_inspect_json_object(&w->j, w->reader, obj);
    ep_json_end_object(&w->j);
    w->count++;
    ep_json_flush(&w->j, false);
    return writer_status(&w->j, err);
}

ep_status
ep_inspect_writer_finish(ep_inspect_writer *w, ep_error *err)
{
    if (w == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "ep_inspect_writer_finish: NULL argument");
    }
    ep_status st = writer_status(&w->j, err);
    if (st != EP_OK) {
        return st;
    }
    ep_json_end_array(&w->j);
    ep_json_end_object(&w->j);
    return ep_json_finish_fd(&w->j, err);
}

void
ep_inspect_writer_free(ep_inspect_writer *w)
{
    if (w != NULL) {
        ep_provenance_reader_free(w->reader);
        ep_strbuf_release(&w->j.out);
        free(w);
    }
}
