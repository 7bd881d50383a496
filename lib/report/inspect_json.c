/*
 * The JSON of `extprobe inspect` (schema 1, docs/json.md). Keys scripts rely
 * on are in CONTRACT.md; the others are documented additions.
 */
#include "internal.h"

#include <ctype.h>
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
        ep_json_key(j, "versions_error");
        ep_json_string(j, err.message);
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
        for (size_t k = i; k < nn && strcmp(needs[k].file, needs[i].file) == 0; k++) {
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
        ep_json_key(j, "symbols_error");
        ep_json_string(j, err.message);
        n = 0;
    }
    ep_json_key(j, "pyinit");
    ep_json_strlist(j, pyinit);
    ep_json_key(j, "exports");
    ep_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined) {
            ep_json_string(j, syms[i].name);
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
        ep_json_key(j, "name");
        ep_json_string(j, syms[i].name);
        ep_json_key(j, "type");
        ep_json_string(j, ep_symbol_type_str(syms[i].type));
        ep_json_key(j, "binding");
        ep_json_string(j, ep_symbol_bind_str(syms[i].bind));
        ep_json_key(j, "visibility");
        ep_json_string(j, ep_symbol_visibility_str(syms[i].visibility));
        ep_json_key(j, "version");
        ep_json_string(j, syms[i].version);
        ep_json_key(j, "default_version");
        ep_json_bool(j, syms[i].version != NULL && !syms[i].hidden_version);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_key(j, "imports");
    ep_json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined) {
            continue;
        }
        ep_json_begin_object(j);
        ep_json_key(j, "name");
        ep_json_string(j, syms[i].name);
        ep_json_key(j, "version");
        ep_json_string(j, syms[i].version);
        ep_json_key(j, "library");
        ep_json_string(j, syms[i].version_file);
        ep_json_key(j, "weak");
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
    ep_json_key(j, "module");
    ep_json_string(j, t->module);
    ep_json_key(j, "suffix");
    ep_json_string(j, t->suffix);
    ep_json_key(j, "implementation");
    ep_json_string(j, t->implementation);
    ep_json_key(j, "version");
    ep_json_string(j, t->version);
    ep_json_key(j, "abiflags");
    ep_json_string(j, t->abiflags);
    ep_json_key(j, "platform");
    ep_json_string(j, t->platform);
    ep_json_key(j, "stable_abi");
    ep_json_bool(j, t->stable_abi);
    ep_json_end_object(j);
}

void
ep_inspect_json_object(ep_json *j, ep_object *obj)
{
    const ep_elf_info *in = ep_object_elf(obj);
    ep_json_key(j, "path");
    ep_json_string(j, ep_object_path(obj));
    ep_json_key(j, "kind");
    ep_json_string(j, ep_kind_str(ep_object_kind(obj)));
    ep_json_key(j, "reason");
    ep_json_string(j, ep_object_reason(obj));
    ep_json_key(j, "size");
    ep_json_uint(j, ep_object_size(obj));
    ep_json_key(j, "tag");
    write_tag(j, ep_object_ext_tag(obj));
    if (in == NULL) {
        return;
    }
    ep_json_key(j, "class");
    ep_json_int(j, in->elf_class);
    ep_json_key(j, "endian");
    ep_json_string(j, in->endian_name);
    ep_json_key(j, "osabi");
    ep_json_string(j, in->osabi_name);
    ep_json_key(j, "machine");
    ep_json_string(j, in->machine_name);
    ep_json_key(j, "e_machine");
    ep_json_int(j, in->machine);
    ep_json_key(j, "type");
    ep_json_string(j, in->type_name);
    if (ep_object_kind(obj) != EP_KIND_ELF) {
        return; /* damaged: only the header is trustworthy */
    }
    ep_json_key(j, "interp");
    ep_json_string(j, in->interp);
    ep_json_key(j, "soname");
    ep_json_string(j, in->soname);
    ep_json_key(j, "needed");
    ep_json_strlist(j, in->needed);
    ep_json_key(j, "rpath");
    ep_json_strlist(j, in->rpath);
    ep_json_key(j, "runpath");
    ep_json_strlist(j, in->runpath);
    ep_json_key(j, "flags");
    ep_json_strlist(j, in->flag_names);
    ep_json_key(j, "exec_stack");
    if (in->stack_flags < 0) {
        ep_json_null(j);
    } else {
        ep_json_bool(j, (in->stack_flags & 1) != 0); /* PF_X */
    }
    ep_json_key(j, "build_id");
    ep_json_string(j, in->build_id);
    ep_json_key(j, "abi_tag");
    ep_json_string(j, in->abi_tag);
    ep_json_key(j, "comments");
    ep_json_strlist(j, in->comments);
    ep_json_key(j, "stripped");
    ep_json_bool(j, in->stripped);
    ep_json_key(j, "debug_info");
    ep_json_bool(j, in->has_debug_info);
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
    ep_json j;
    ep_json_init(&j, true);
    ep_json_begin_object(&j);
    ep_json_key(&j, "schema");
    ep_json_int(&j, 1);
    ep_json_key(&j, "files");
    ep_json_begin_array(&j);
    for (size_t i = 0; i < count; i++) {
        ep_json_begin_object(&j);
        ep_inspect_json_object(&j, objs[i]);
        ep_json_end_object(&j);
    }
    ep_json_end_array(&j);
    ep_json_end_object(&j);
    *json = ep_json_finish(&j);
    if (*json == NULL) {
        return ep_fail(err, EP_ERR_NOMEM, "out of memory");
    }
    return EP_OK;
}
