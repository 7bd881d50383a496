/*
 * abi-tag-mismatch: a compiled file for the module exists, but its file
 * name tag (PEP 3149 "cpython-312-x86_64-linux-gnu", "cpython-313t-...",
 * "cpython-311d-...", PyPy's "pypy310-pp73-...", PEP 384 "abi3") is for
 * another interpreter, so FileFinder -- which tries exactly the entries of
 * importlib.machinery.EXTENSION_SUFFIXES -- never considers it. The
 * installed wheel's WHEEL tags are the same fact one level up (tox's
 * package env building for another interpreter). For a file probed on
 * its own (ep_probe_file()) the fact is its name alone.
 */
#include "findings/checks.h"

#include <stdlib.h>
#include <string.h>

ep_status
ep_check_abi_tag_mismatch(ep_ctx *c, ep_analysis *an)
{
    const ep_find *f = &an->find;
    const ep_find_step *t = ep_analysis_target(an);
    bool ext_ok = f->found && t != NULL && t->kind == EP_SPEC_EXTENSION;
    if (ext_ok || f->not_a_package) {
        return EP_OK;
    }
    size_t first = ep_analysis_cand(an, EP_CAND_FOREIGN, 0);
    bool alt_only = false;
    if (first == SIZE_MAX) {
        first = ep_analysis_cand(an, EP_CAND_FOREIGN, 1);
        alt_only = first != SIZE_MAX;
    }
    const char *wheel =
        an->dist ? ep_dist_tag_mismatch(c->a, an->dist, c->in) : NULL;
    /* Compiled files elsewhere are another finding's business when the
     * copy they sit in is shadowed; say it here only when nothing else. */
    if (alt_only && ep_analysis_cand(an, EP_CAND_EXTENSION, 1) != SIZE_MAX) {
        return EP_OK;
    }
    if (first == SIZE_MAX && (wheel == NULL || f->found)) {
        return EP_OK;
    }
    ep_finding_slot *fs;
    if (first != SIZE_MAX) {
        const ep_cand *cd = &f->cands[first];
        fs = ep_check_add(
            c, an, EP_FINDING_ABI_TAG_MISMATCH, "%s exists only as %s, %s",
            an->name, ep_basename(cd->path),
            cd->tag_why ? cd->tag_why : "built for another interpreter");
    } else {
        fs = ep_check_add(c, an, EP_FINDING_ABI_TAG_MISMATCH,
                          "the installed %s is for another interpreter: %s",
                          an->dist->name, wheel);
    }
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    if (f->found) {
        /* A pure-Python fallback loads instead: slower, not broken. */
        ep_finding_severity(fs, EP_SEVERITY_WARNING);
        ep_finding_detail(c->r, fs, "%s loads %s instead", an->name,
                          t->origin ? t->origin : t->dir);
    }
    for (size_t i = t ? t->cand_first : 0; t != NULL && i < t->cand_end; i++) {
        const ep_cand *cd = &f->cands[i];
        if (cd->kind != EP_CAND_FOREIGN) {
            continue;
        }
        ep_finding_detail(
            c->r, fs, "%s: %s%s", cd->path, cd->tag_why ? cd->tag_why : "",
            cd->alternative ? " (in a copy the import never reaches)" : "");
        ep_finding_path(c->r, fs, cd->path);
    }
    ep_finding_detail(c->r, fs,
                      "This interpreter (%s) looks for these "
                      "suffixes, in order: %s",
                      c->in->executable ? c->in->executable : c->in->python,
                      ep_suffix_list(c));
    if (first != SIZE_MAX) {
        ep_status st = ep_provenance_detail(c, fs, f->cands[first].path, NULL);
        if (st != EP_OK) {
            return st;
        }
    }
    if (wheel != NULL) {
        ep_finding_detail(c->r, fs, "%s: %s", an->dist->dir, wheel);
        ep_finding_path(c->r, fs, an->dist->dir);
    }
    if (c->in->gil_disabled) {
        ep_finding_detail(c->r, fs,
                          "A free-threaded interpreter loads only "
                          "modules built for it (tag with 't'); abi3 modules "
                          "and GIL builds are not loadable");
    }
    bool in_tree = an->dist == NULL || an->dist->editable ||
                   (first != SIZE_MAX &&
                    !ep_path_within(f->cands[first].path, an->dist->site));
    ep_finding_fix(c->r, fs,
                   "Rebuild or reinstall for this interpreter: %s. "
                   "Build tools must query the interpreter that will import "
                   "the module (python3-config or CMake's FindPython can find "
                   "another one; tox's package env must match the test env)",
                   in_tree ? ep_fix_rebuild(c, an) : ep_fix_reinstall(c, an));
    return EP_OK;
}

ep_status
ep_check_abi_tag_mismatch_file(ep_ctx *c, ep_analysis *an)
{
    const char *base = ep_basename(an->ext_path);
    const char *why = ep_tag_mismatch_reason(c->a, c->in, base);
    if (why == NULL) {
        return EP_OK;
    }
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_ABI_TAG_MISMATCH,
        "%s would never be imported by this interpreter: %s", base, why);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_path(c->r, fs, an->ext_path);
    ep_finding_fix(c->r, fs, "Rebuild or reinstall for this interpreter: %s",
                   ep_fix_rebuild(c, an));
    return ep_provenance_detail(c, fs, an->ext_path, an->ext);
}
