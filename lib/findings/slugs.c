/*
 * Slugs and default severities, generated from findings.def.
 */
#include "findings/findings.h"

#include <string.h>

static const struct {
    ep_finding_code code;
    const char *slug;
    ep_severity severity;
} table[] = {
#define EP_FINDING(e, slug, sev) {EP_FINDING_##e, slug, sev},
#include "findings/findings.def"
#undef EP_FINDING
};

#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

/* The header's enum and this table must list the same codes. */
_Static_assert(TABLE_LEN == EP_FINDING_CODE_END - 1,
               "findings.def and ep_finding_code disagree");

const char *
ep_finding_slug(ep_finding_code code)
{
    for (size_t i = 0; i < TABLE_LEN; i++) {
        if (table[i].code == code) {
            return table[i].slug;
        }
    }
    return NULL;
}

ep_finding_code
ep_finding_from_slug(const char *slug)
{
    for (size_t i = 0; slug != NULL && i < TABLE_LEN; i++) {
        if (strcmp(table[i].slug, slug) == 0) {
            return table[i].code;
        }
    }
    return (ep_finding_code)0;
}

ep_severity
ep_finding_default_severity(ep_finding_code code)
{
    for (size_t i = 0; i < TABLE_LEN; i++) {
        if (table[i].code == code) {
            return table[i].severity;
        }
    }
    return EP_SEVERITY_ERROR;
}
