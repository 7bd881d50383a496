/*
 * The record lines between the helper and the caller (format in dwarf.h),
 * and the two name tests the helper applies so that only what provenance
 * needs crosses the pipe.
 */
#include "dwarf/dwarf.h"
#include "util/path.h"

#include <string.h>

void
ep_dwarf_record(ep_strbuf *out, const char *kind, const char *const *fields,
                size_t nfields)
{
    ep_strbuf_puts(out, kind);
    for (size_t i = 0; i < nfields; i++) {
        ep_strbuf_putc(out, '\t');
        for (const char *p = fields[i]; *p; p++) {
            switch (*p) {
            case '\\':
                ep_strbuf_puts(out, "\\\\");
                break;
            case '\t':
                ep_strbuf_puts(out, "\\t");
                break;
            case '\n':
                ep_strbuf_puts(out, "\\n");
                break;
            default:
                ep_strbuf_putc(out, *p);
            }
        }
    }
    ep_strbuf_putc(out, '\n');
}

const char *
ep_dwarf_request_path(const char *line, ep_strbuf *buf)
{
    if (strncmp(line, "file\t", 5) != 0) {
        return NULL;
    }
    for (const char *p = line + 5; *p; p++) {
        if (*p == '\t') {
            return NULL; /* one field only */
        }
        if (*p == '\\' && p[1] != '\0') {
            p++;
            ep_strbuf_putc(buf, *p == 't' ? '\t' : *p == 'n' ? '\n' : *p);
        } else {
            ep_strbuf_putc(buf, *p);
        }
    }
    if (buf->len == 0) {
        return NULL;
    }
    return buf->failed ? NULL : buf->data;
}

bool
ep_dwarf_macro_wanted(const char *name, size_t len)
{
    /* patchlevel.h's version, and the switches that change the ABI the
     * module was compiled for (Limited API, debug build, free threading). */
    static const char *const wanted[] = {"PY_VERSION", "Py_LIMITED_API",
                                         "Py_DEBUG", "Py_GIL_DISABLED"};
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        if (strlen(wanted[i]) == len && memcmp(wanted[i], name, len) == 0) {
            return true;
        }
    }
    return false;
}

bool
ep_dwarf_is_python_header(const char *path)
{
    /* Headers only CPython's include directory has, under names no other
     * project is likely to use; object.h or pyport.h show up in the line
     * table even when Python.h itself has no line entry. */
    static const char *const names[] = {
        "Python.h",     "patchlevel.h", "pyport.h",        "object.h",
        "pymacro.h",    "pytypedefs.h", "moduleobject.h",  "methodobject.h",
        "modsupport.h", "longobject.h", "unicodeobject.h", "pyerrors.h",
        "pystate.h",
    };
    const char *base = ep_basename(path);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(base, names[i]) == 0) {
            return true;
        }
    }
    return false;
}
