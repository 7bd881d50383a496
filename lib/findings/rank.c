/*
 * The single ranking rule: the order of the findings is part of the result
 * (CONTRACT.md: most likely root cause first). Sort keys, most significant
 * first:
 *  1. tier: swallowed-import-error first (it ties the symptom -- a package
 *     that imports with its compiled module missing -- to the failure);
 *     then the findings that explain that failure (marked EP_RANK_CAUSE by
 *     the engine); then the rest;
 *  2. severity: errors, then warnings, then information;
 *  3. the code's place in cause_order below: where the import goes before
 *     what the file is, the specific before the generic (a wrong-tag file
 *     explains "module not found"; a wrong machine explains the loader's
 *     misleading ENOENT);
 *  4. the order the engine added them (stable).
 */
#include "findings/checks.h"

#include <stdlib.h>

#define TIER_SCALE 100000
#define SEVERITY_SCALE 1000

static const ep_finding_code cause_order[] = {
    EP_FINDING_SHADOWED_BY_SOURCE,     EP_FINDING_NAMESPACE_PACKAGE,
    EP_FINDING_EDITABLE_WITHOUT_BUILD, EP_FINDING_EXTENSION_NOT_INSTALLED,
    EP_FINDING_ABI_TAG_MISMATCH,       EP_FINDING_UNREADABLE,
    EP_FINDING_NOT_AN_EXTENSION,       EP_FINDING_WRONG_ARCHITECTURE,
    EP_FINDING_MISSING_INIT_FUNCTION,  EP_FINDING_MISSING_DEPENDENCY,
    EP_FINDING_GLIBC_TOO_NEW,          EP_FINDING_UNDEFINED_SYMBOL,
    EP_FINDING_LIMITED_API_VIOLATION,  EP_FINDING_IMPORT_ERROR,
    EP_FINDING_MODULE_NOT_FOUND,
};

static int
code_place(ep_finding_code code)
{
    for (size_t i = 0; i < sizeof(cause_order) / sizeof(*cause_order); i++) {
        if (cause_order[i] == code) {
            return (int)i + 1;
        }
    }
    return (int)(sizeof(cause_order) / sizeof(*cause_order)) + 1;
}

/* The tier a slot is in. Before ranking its rank field holds the engine's
 * mark (0 or EP_RANK_CAUSE); after ranking the computed key, whose tier is
 * recovered so that ranking twice gives the same order. */
static int
tier(const ep_finding_slot *f)
{
    if (f->pub.code == EP_FINDING_SWALLOWED_IMPORT_ERROR) {
        return 0;
    }
    if (f->rank >= TIER_SCALE) {
        return f->rank / TIER_SCALE;
    }
    return f->rank == EP_RANK_CAUSE ? 1 : 2;
}

static int
compare(const void *x, const void *y)
{
    const ep_finding_slot *a = *(const ep_finding_slot *const *)x;
    const ep_finding_slot *b = *(const ep_finding_slot *const *)y;
    if (a->rank != b->rank) {
        return a->rank < b->rank ? -1 : 1;
    }
    return a->order < b->order ? -1 : a->order > b->order ? 1 : 0;
}

void
ep_report_rank(ep_report *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        ep_finding_slot *f = r->findings[i];
        int sev = 3 - (int)f->pub.severity; /* error 0, warning 1, info 2 */
        f->rank = tier(f) * TIER_SCALE + sev * SEVERITY_SCALE +
                  code_place(f->pub.code);
    }
    if (r->nfindings > 1) {
        qsort(r->findings, r->nfindings, sizeof(*r->findings), compare);
    }
}
