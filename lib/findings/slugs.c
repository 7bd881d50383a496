/*
 * The rows of findings.def as a table, and the lookups by code and slug.
 */
#include "findings/findings.h"

#include <string.h>

static const ep_finding_info table[] = {
#define EP_FINDING(e, slug, sev, place, about, stops)                          \
    {EP_FINDING_##e, slug, sev, place, about, stops},
#include "findings/findings.def"
#undef EP_FINDING
};

#define TABLE_LEN (sizeof(table) / sizeof(table[0]))

/* The header's enum and this table must list the same codes. */
_Static_assert(TABLE_LEN == EP_FINDING_CODE_END - 1,
               "findings.def and ep_finding_code disagree");

const ep_finding_info *
ep_finding_info_of(ep_finding_code code)
{
    for (size_t i = 0; i < TABLE_LEN; i++) {
        if (table[i].code == code) {
            return &table[i];
        }
    }
    return NULL;
}

const char *
ep_finding_slug(ep_finding_code code)
{
    const ep_finding_info *fi = ep_finding_info_of(code);
    return fi ? fi->slug : NULL;
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
    const ep_finding_info *fi = ep_finding_info_of(code);
    return fi ? fi->severity : EP_SEVERITY_ERROR;
}
