/*
 * Build provenance beside a finding: the DWARF of the compiled file (read by
 * lib/dwarf in its helper process) names the Python headers it was
 * compiled against -- the evidence behind "built for another Python".
 */
#include "findings/checks.h"

#include <stdio.h>
#include <string.h>

/* "3.12" from ".../python3.12" (or "3.11d" from python3.11d). */
static const char *
headers_version(ep_arena *a, const char *dir)
{
    const char *base = ep_basename(dir);
    if (strncmp(base, "python", 6) == 0 && base[6] >= '0' && base[6] <= '9') {
        return ep_arena_strdup(a, base + 6);
    }
    return NULL;
}

ep_status
ep_analysis_provenance(ep_ctx *c, ep_analysis *an,
                       const ep_provenance_info **out)
{
    *out = NULL;
    if (an->ext == NULL) {
        return EP_OK;
    }
    if (!an->prov_read) {
        an->prov_read = true;
        ep_status st = ep_provenance_read(an->ext, &an->prov, c->err);
        if (st != EP_OK) {
            return st;
        }
    }
    *out = ep_provenance_get(an->prov);
    return EP_OK;
}

ep_status
ep_provenance_detail(ep_ctx *c, ep_finding_slot *fs, const char *path,
                     const ep_object *obj)
{
    ep_object *opened = NULL;
    ep_provenance *prov = NULL;
    if (fs == NULL || (obj == NULL && path == NULL)) {
        return EP_OK;
    }
    if (obj == NULL) {
        if (ep_object_open(path, &opened, NULL) != EP_OK) {
            return EP_OK; /* unreadable files are another finding's */
        }
        obj = opened;
    }
    /* An analysis's own extension: its provenance is read once. */
    const ep_provenance_info *in = NULL;
    ep_status st = EP_OK;
    bool shared = false;
    for (size_t i = 0; i < c->nan && !shared; i++) {
        if (c->an[i] != NULL && c->an[i]->ext != NULL && c->an[i]->ext == obj) {
            shared = true;
            st = ep_analysis_provenance(c, c->an[i], &in);
        }
    }
    if (!shared) {
        st = ep_provenance_read(obj, &prov, c->err);
        in = ep_provenance_get(prov);
    }
    if (st == EP_OK && in != NULL && in->status == EP_DEBUG_READ &&
        in->python_headers.count > 0) {
        const char *dir = in->python_headers.items[0];
        const char *ver = headers_version(c->a, dir);
        const ep_build_unit *u = in->nproducers > 0 ? &in->producers[0] : NULL;
        ep_finding_detail(
            c->r, fs, "Built against the Python %s headers (%s%s%s)%s%s%s%s",
            ver ? ver : "", dir, in->py_version ? ", PY_VERSION " : "",
            in->py_version ? in->py_version : "",
            u && u->compiler ? " by " : "", u && u->compiler ? u->compiler : "",
            u && u->compiler_version ? " " : "",
            u && u->compiler_version ? u->compiler_version : "");
    }
    ep_provenance_free(prov);
    ep_object_close(opened);
    return st;
}
