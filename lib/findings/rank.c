/*
 * The single ranking rule: the order of the findings is part of the result
 * (CONTRACT.md: most likely root cause first). Sort keys, most significant
 * first:
 *  1. tier: swallowed-import-error first (it ties the symptom -- a package
 *     that imports with its compiled module missing -- to the failure);
 *     then the findings that explain that failure (marked EP_MARK_CAUSE by
 *     the engine); then the rest;
 *  2. severity: errors, then warnings, then information;
 *  3. the code's place (findings.def);
 *  4. the order the engine added them (stable).
 * The per-code data is in findings.def; only the rule is here.
 */
#include "findings/checks.h"

#include <stdlib.h>

typedef enum rank_tier {
    TIER_SWALLOWED = 0,
    TIER_CAUSE = 1,
    TIER_REST = 2
} rank_tier;

/* Each key's range fits below the next key's scale. */
#define TIER_SCALE 100000L
#define SEVERITY_SCALE 1000L

static rank_tier
tier(const ep_finding_slot *f)
{
    if (f->pub.code == EP_FINDING_SWALLOWED_IMPORT_ERROR) {
        return TIER_SWALLOWED;
    }
    return f->mark == EP_MARK_CAUSE ? TIER_CAUSE : TIER_REST;
}

static int
code_place(ep_finding_code code)
{
    const ep_finding_info *fi = ep_finding_info_of(code);
    return fi ? fi->place : (int)EP_FINDING_CODE_END;
}

static int
compare(const void *x, const void *y)
{
    const ep_finding_slot *a = *(const ep_finding_slot *const *)x;
    const ep_finding_slot *b = *(const ep_finding_slot *const *)y;
    if (a->sort_key != b->sort_key) {
        return a->sort_key < b->sort_key ? -1 : 1;
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
        long sev = 3 - (long)f->pub.severity; /* error 0, warning 1, info 2 */
        f->sort_key = (long)tier(f) * TIER_SCALE + sev * SEVERITY_SCALE +
                      code_place(f->pub.code);
    }
    if (r->nfindings > 1) {
        qsort(r->findings, r->nfindings, sizeof(*r->findings), compare);
    }
}
