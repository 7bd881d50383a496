/*
 * The ep_report object and how lib/ fills it. The explain engine adds
 * findings, candidates and the trial outcome; the JSON and text writers read
 * it. Private to lib/.
 */
#ifndef EXTPROBE_REPORT_H
#define EXTPROBE_REPORT_H

#include "interp/interp.h"

/* One file or directory the finder considered (CONTRACT.md "candidates"). */
typedef struct ep_candidate {
    const char *path;
    const char *status; /* used, shadowed, wrong-tag, stale, not-a-package,
                           namespace-portion, ... */
    const char *detail; /* one line, or "" */
} ep_candidate;

/* One import failure the trial saw (trial.py "import_failed"/"ext_failed"). */
typedef struct ep_trial_failure {
    const char *kind;       /* "import_failed" or "ext_failed" */
    const char *exc_type;   /* "ImportError", "ModuleNotFoundError", ... */
    const char *message;
    const char *name;       /* absolute module name (":a,b" fromlist) */
    const char *exc_name;   /* ImportError.name */
    const char *path;       /* ImportError.path or the file being loaded */
    const char *importer;   /* the importing module, or create/exec_module */
} ep_trial_failure;

typedef struct ep_trial {
    bool ran;
    bool timed_out;
    bool ok;                 /* the import succeeded */
    int exit_code;
    const char *exc_type;    /* when !ok */
    const char *message;
    const char *exc_name;
    const char *exc_path;
    const char *traceback;
    const char *file;        /* module.__file__ when ok */
    ep_strvec module_path;   /* __path__ when a package */
    ep_strvec loaded_ext;    /* "name\tpath" of extensions loaded */
    ep_strvec none_attrs;    /* "pkg.attr" set to None, `_x` names first
                                (at most trial.py's NONE_ATTRS_MAX) */
    size_t none_attrs_total; /* how many there were in all */
    ep_trial_failure *failures;
    size_t nfailures, failures_cap;
    const char *output;      /* what the import printed, maybe truncated */
} ep_trial;

/* A finding while it is built: the public struct plus growable paths. */
typedef struct ep_finding_slot {
    ep_finding pub;
    ep_strvec paths;
    size_t order;            /* insertion order, a tie-breaker when ranking */
    int rank;                /* lower is shown first (rank.c) */
} ep_finding_slot;

struct ep_report {
    ep_arena arena;
    const char *module;
    const char *subject_file;   /* ep_probe_file(): the file probed */
    ep_interp *interp;          /* owned; NULL when the probe had none */
    const char *start_mode;     /* "c", "m", "script", "safe" */
    bool importable;
    const char *resolved_path;  /* NULL when nothing was found */
    const char *resolved_kind;  /* extension, source, package, namespace, ... */
    ep_candidate *candidates;
    size_t ncandidates, candidates_cap;
    ep_finding_slot **findings; /* ranked once complete */
    size_t nfindings, findings_cap;
    ep_trial trial;
    ep_strvec notes;            /* things the probe could not check, and why */
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

bool ep_report_add_candidate(ep_report *r, const char *path,
                             const char *status, const char *fmt, ...)
    EP_PRINTF(4, 5);
void ep_report_set_resolved(ep_report *r, const char *path, const char *kind);
void ep_report_note(ep_report *r, const char *fmt, ...) EP_PRINTF(2, 3);

/* Order findings, most likely root cause first (findings/rank.c). */
void ep_report_rank(ep_report *r);

/* Fill r->trial from trial.py records (interp/trial.c). */
ep_status ep_trial_run(ep_report *r, const char *python, const char *module,
                       const char *workdir, ep_start_mode start, const char *script,
                       double timeout, ep_error *err);

#endif
