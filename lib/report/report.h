/*
 * The ep_report object and how lib/ fills it. The explain engine adds
 * findings and candidates, and hands it the trial's record
 * (interp/trial.h); the JSON and text writers read it. Private to lib/.
 */
#ifndef EXTPROBE_REPORT_H
#define EXTPROBE_REPORT_H

#include "interp/interp.h"
#include "interp/trial.h"

/* One file or directory the finder considered (CONTRACT.md "candidates"). */
typedef struct ep_candidate {
    const char *path;
    const char *status; /* the finder's word: used, shadowed, stale,
                           wrong-tag, namespace-portion, unreadable */
    const char *detail; /* one line, or "" */
} ep_candidate;

/* What the engine knows of a finding's part in the failure, set when it is
 * added; rank.c turns it into a tier. */
typedef enum ep_finding_mark {
    EP_MARK_NONE = 0,
    EP_MARK_CAUSE /* explains the failure the trial saw inside a package */
} ep_finding_mark;

/* A finding while it is built: the public struct plus growable paths. */
typedef struct ep_finding_slot {
    ep_finding pub;
    ep_strvec paths;
    size_t order;         /* insertion order, a tie-breaker when ranking */
    ep_finding_mark mark; /* the engine's mark (input to ranking) */
    long sort_key;        /* computed by ep_report_rank(); lower first */
} ep_finding_slot;

struct ep_report {
    ep_arena arena;
    const char *module;
    const char *subject_file; /* ep_probe_file(): the file probed */
    ep_interp *interp;        /* owned; NULL when the probe had none */
    const char *start_mode;   /* "c", "m", "script", "safe" */
    bool importable;
    const char *resolved_path; /* NULL when nothing was found */
    const char *resolved_kind; /* extension, source, package, namespace, ... */
    ep_candidate *candidates;
    size_t ncandidates, candidates_cap;
    ep_finding_slot **findings; /* ranked once complete */
    size_t nfindings, findings_cap;
    ep_trial *trial; /* owned; NULL when no trial ran */
    ep_strvec notes; /* things the probe could not check, and why */
};

ep_report *ep_report_new(const char *module);

/* Add a finding with the severity its check decided; summary
 * printf-formatted. The returned slot stays valid. */
ep_finding_slot *ep_report_add_finding(ep_report *r, ep_finding_code code,
                                       ep_severity severity, const char *fmt,
                                       ...) EP_PRINTF(4, 5);
/* Append to the detail (lines are joined with '\n'). */
void ep_finding_detail(ep_report *r, ep_finding_slot *f, const char *fmt, ...)
    EP_PRINTF(3, 4);
void ep_finding_fix(ep_report *r, ep_finding_slot *f, const char *fmt, ...)
    EP_PRINTF(3, 4);
void ep_finding_path(ep_report *r, ep_finding_slot *f, const char *path);
void ep_finding_severity(ep_finding_slot *f, ep_severity severity);

/* Is there already a finding of this code? */
ep_finding_slot *ep_report_find(ep_report *r, ep_finding_code code);

bool ep_report_add_candidate(ep_report *r, const char *path, const char *status,
                             const char *fmt, ...) EP_PRINTF(4, 5);
void ep_report_set_resolved(ep_report *r, const char *path, const char *kind);
void ep_report_note(ep_report *r, const char *fmt, ...) EP_PRINTF(2, 3);

/* Order findings, most likely root cause first (findings/rank.c). */
void ep_report_rank(ep_report *r);

#endif
