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

#endif
