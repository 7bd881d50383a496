/*
 * Findings inside lib/: the table (findings.def), the ranking rule (rank.c)
 * and the checks that produce them (check_<slug>.c).
 */
#ifndef EXTPROBE_FINDINGS_H
#define EXTPROBE_FINDINGS_H

#include "util/arena.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/path.h"
#include "util/strbuf.h"

ep_severity ep_finding_default_severity(ep_finding_code code);

/* What a finding is a fact of (findings.def "about"). */
typedef enum ep_finding_about {
    EP_ABOUT_LOCATION, /* where the import goes: the finder walk */
    EP_ABOUT_FILE,     /* what the compiled file is */
    EP_ABOUT_TRIAL     /* only a real import shows it */
} ep_finding_about;

/* One row of findings.def. */
typedef struct ep_finding_info {
    ep_finding_code code;
    const char *slug;
    ep_severity severity; /* default */
    int place;            /* among the causes of one failure; lower first */
    ep_finding_about about;
    bool stops_import; /* a successful real import contradicts it */
} ep_finding_info;

/* The row of a code; NULL for a value that is not a code.
 * Ownership: static. */
const ep_finding_info *ep_finding_info_of(ep_finding_code code);

#endif
