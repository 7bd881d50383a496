/*
 * The one file that includes libdwarf (Debian 12: 20210528, the old API with
 * DW_DLC_READ). It walks the compilation units of one file and writes the
 * records of dwarf.h. It runs only inside the helper program: libdwarf may
 * crash on malformed input, and then only the helper dies.
 *
 * libdwarf rule: every DW_DLV_ERROR allocates a Dwarf_Error that must be
 * freed with dwarf_dealloc_error() (dbg NULL when init failed).
 */
#include "dwarf/dwarf.h"

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds against a hostile file that libdwarf walks without complaint. */
#define MAX_UNITS 100000
#define MAX_MACRO_UNITS 4096

typedef struct scan {
    Dwarf_Debug dbg;
    ep_strbuf *out;
    /* .debug_macro units already walked (imports repeat across CUs). */
    Dwarf_Unsigned macro_seen[MAX_MACRO_UNITS];
    size_t nmacro_seen;
} scan;

static void
drop_error(Dwarf_Debug dbg, Dwarf_Error *e)
{
    if (*e != NULL) {
        dwarf_dealloc_error(dbg, *e);
        *e = NULL;
    }
}

static void
record_error(scan *s, const char *what, Dwarf_Error *e)
{
    char msg[512];
    snprintf(msg, sizeof(msg), "%s: %s", what,
             *e != NULL ? dwarf_errmsg(*e) : "no detail");
    drop_error(s->dbg, e);
    const char *f[] = {msg};
    ep_dwarf_record(s->out, "error", f, 1);
}

static const char *
die_string(scan *s, Dwarf_Die die, Dwarf_Half attr)
{
    Dwarf_Attribute at = NULL;
    Dwarf_Error e = NULL;
    char *str = NULL;
    if (dwarf_attr(die, attr, &at, &e) != DW_DLV_OK) {
        drop_error(s->dbg, &e);
        return NULL;
    }
    if (dwarf_formstring(at, &str, &e) != DW_DLV_OK) {
        drop_error(s->dbg, &e);
        str = NULL;
    }
    dwarf_dealloc(s->dbg, at, DW_DLA_ATTR);
    return str; /* points into the string section: no dealloc */
}

static void
python_headers(scan *s, Dwarf_Die cu)
{
    char **files = NULL;
    Dwarf_Signed n = 0;
    Dwarf_Error e = NULL;
    if (dwarf_srcfiles(cu, &files, &n, &e) != DW_DLV_OK) {
        drop_error(s->dbg, &e);
        return;
    }
    for (Dwarf_Signed i = 0; i < n; i++) {
        if (files[i] != NULL && ep_dwarf_is_python_header(files[i])) {
            const char *f[] = {files[i]};
            ep_dwarf_record(s->out, "pyhdr", f, 1);
        }
        dwarf_dealloc(s->dbg, files[i], DW_DLA_STRING);
    }
    dwarf_dealloc(s->dbg, files, DW_DLA_LIST);
}

static bool
macro_unit_new(scan *s, Dwarf_Unsigned off)
{
    for (size_t i = 0; i < s->nmacro_seen; i++) {
        if (s->macro_seen[i] == off) {
            return false;
        }
    }
    if (s->nmacro_seen == MAX_MACRO_UNITS) {
        return false;
    }
    s->macro_seen[s->nmacro_seen++] = off;
    return true;
}

/* One macro unit's definitions; imports (DW_MACRO_import, gcc -g3's
 * shared groups of header macros) are followed once each. */
static void
macro_unit(scan *s, Dwarf_Die cu, Dwarf_Macro_Context ctx, Dwarf_Unsigned nops,
           int depth)
{
    for (Dwarf_Unsigned i = 0; i < nops; i++) {
        Dwarf_Unsigned secoff = 0, line = 0, index = 0, offset = 0;
        Dwarf_Half op = 0, nforms = 0;
        const Dwarf_Small *forms = NULL;
        const char *text = NULL;
        Dwarf_Error e = NULL;
        if (dwarf_get_macro_op(ctx, i, &secoff, &op, &nforms, &forms, &e) !=
            DW_DLV_OK) {
            drop_error(s->dbg, &e);
            return;
        }
        if (op == DW_MACRO_define || op == DW_MACRO_define_strp ||
            op == DW_MACRO_define_strx || op == DW_MACRO_define_sup) {
            if (dwarf_get_macro_defundef(ctx, i, &line, &index, &offset,
                                         &nforms, &text, &e) != DW_DLV_OK) {
                drop_error(s->dbg, &e);
                continue;
            }
            if (text == NULL) {
                continue;
            }
            /* "NAME VALUE" or "NAME(args) body": the name ends at a
             * space or '('. */
            size_t len = strcspn(text, " (");
            if (!ep_dwarf_macro_wanted(text, len)) {
                continue;
            }
            char name[64];
            snprintf(name, sizeof(name), "%.*s", (int)len, text);
            const char *value = text[len] == ' ' ? text + len + 1 : "";
            const char *f[] = {name, value};
            ep_dwarf_record(s->out, "macro", f, 2);
        } else if (op == DW_MACRO_import && depth < 8) {
            Dwarf_Unsigned target = 0, ver = 0, n2 = 0, len2 = 0;
            Dwarf_Macro_Context sub = NULL;
            if (dwarf_get_macro_import(ctx, i, &target, &e) != DW_DLV_OK) {
                drop_error(s->dbg, &e);
                continue;
            }
            if (!macro_unit_new(s, target)) {
                continue;
            }
            if (dwarf_get_macro_context_by_offset(cu, target, &ver, &sub, &n2,
                                                  &len2, &e) != DW_DLV_OK) {
                drop_error(s->dbg, &e);
                continue;
            }
            macro_unit(s, cu, sub, n2, depth + 1);
            dwarf_dealloc_macro_context(sub);
        }
    }
}

/* True when the unit has .debug_macro (gcc -g3, DWARF 5 or GNU 4). */
static bool
macros(scan *s, Dwarf_Die cu)
{
    Dwarf_Unsigned ver = 0, off = 0, nops = 0, len = 0;
    Dwarf_Macro_Context ctx = NULL;
    Dwarf_Error e = NULL;
    int rc = dwarf_get_macro_context(cu, &ver, &ctx, &off, &nops, &len, &e);
    if (rc != DW_DLV_OK) {
        drop_error(s->dbg, &e);
        return false;
    }
    if (macro_unit_new(s, off)) {
        macro_unit(s, cu, ctx, nops, 0);
    }
    dwarf_dealloc_macro_context(ctx);
    return true;
}

static void
unit(scan *s, Dwarf_Die cu)
{
    Dwarf_Unsigned lang = 0;
    Dwarf_Error e = NULL;
    if (dwarf_srclang(cu, &lang, &e) != DW_DLV_OK) {
        drop_error(s->dbg, &e);
        lang = 0;
    }
    const char *producer = die_string(s, cu, DW_AT_producer);
    const char *name = die_string(s, cu, DW_AT_name);
    const char *comp_dir = die_string(s, cu, DW_AT_comp_dir);
    bool has_macros = macros(s, cu);
    python_headers(s, cu);
    char langnum[24];
    snprintf(langnum, sizeof(langnum), "%llu", (unsigned long long)lang);
    const char *f[] = {producer ? producer : "", langnum, name ? name : "",
                       has_macros ? "1" : "0", comp_dir ? comp_dir : ""};
    ep_dwarf_record(s->out, "unit", f, 5);
}

void
ep_dwarf_scan(int fd, ep_strbuf *out)
{
    scan *s = calloc(1, sizeof(*s));
    Dwarf_Error e = NULL;
    if (s == NULL) {
        const char *f[] = {"out of memory"};
        ep_dwarf_record(out, "error", f, 1);
        return;
    }
    s->out = out;
    int rc = dwarf_init_b(fd, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL,
                          &s->dbg, &e);
    if (rc == DW_DLV_NO_ENTRY) {
        const char *f[] = {"0"};
        ep_dwarf_record(out, "end", f, 1); /* no DWARF sections at all */
        free(s);
        return;
    }
    if (rc != DW_DLV_OK) {
        s->dbg = NULL;
        record_error(s, "cannot read the DWARF sections", &e);
        free(s);
        return;
    }
    size_t units = 0;
    for (;;) {
        Dwarf_Unsigned hdr_len = 0, abbrev = 0, typeoff = 0, next = 0;
        Dwarf_Half ver = 0, addr_size = 0, len_size = 0, ext_size = 0,
                   hdr_type = 0;
        Dwarf_Sig8 sig;
        rc = dwarf_next_cu_header_d(s->dbg, true, &hdr_len, &ver, &abbrev,
                                    &addr_size, &len_size, &ext_size, &sig,
                                    &typeoff, &next, &hdr_type, &e);
        if (rc == DW_DLV_NO_ENTRY) {
            break;
        }
        if (rc != DW_DLV_OK) {
            record_error(s, "cannot read a compilation unit header", &e);
            goto done;
        }
        Dwarf_Die cu = NULL;
        rc = dwarf_siblingof_b(s->dbg, NULL, true, &cu, &e);
        if (rc == DW_DLV_ERROR) {
            record_error(s, "cannot read a compilation unit", &e);
            goto done;
        }
        if (rc == DW_DLV_OK) {
            unit(s, cu);
            dwarf_dealloc(s->dbg, cu, DW_DLA_DIE);
        }
        if (++units >= MAX_UNITS) {
            break;
        }
    }
    {
        char n[24];
        snprintf(n, sizeof(n), "%zu", units);
        const char *f[] = {n};
        ep_dwarf_record(out, "end", f, 1);
    }
done:
    if (dwarf_finish(s->dbg, &e) != DW_DLV_OK) {
        drop_error(NULL, &e);
    }
    free(s);
}
