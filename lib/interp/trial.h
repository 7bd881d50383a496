/*
 * The load trial's record: what a real `import module` in a child process
 * of the target interpreter did (trial.c, trial.py). The trial owns its
 * strings; whoever runs it owns the record (the explain engine hands it to
 * its report). Private to lib/.
 */
#ifndef EXTPROBE_INTERP_TRIAL_H
#define EXTPROBE_INTERP_TRIAL_H

#include "interp/interp.h"

/* How the import ended. The _str() names are the ones the report prints:
 * trial.py's result values, and the exception type the record gives an
 * import that ended without one. */
typedef enum ep_trial_outcome {
    EP_TRIAL_NOT_RUN = 0, /* "not run" */
    EP_TRIAL_IMPORTED,    /* "ok": the import returned */
    EP_TRIAL_RAISED,      /* "error": it raised exc_type */
    EP_TRIAL_TIMEOUT,     /* "Timeout": killed at the time limit */
    EP_TRIAL_DIED         /* "ProcessDied": the interpreter crashed or
                             exited inside the import */
} ep_trial_outcome;

/* Ownership: static. */
const char *ep_trial_outcome_str(ep_trial_outcome outcome);

/* Where an import failure was seen (trial.py's record names). */
typedef enum ep_trial_stage {
    EP_TRIAL_STAGE_IMPORT, /* "import_failed": an import statement raised */
    EP_TRIAL_STAGE_EXT,    /* "ext_failed": loading an extension raised */
    EP_TRIAL_STAGE_DIRECT  /* "direct_import": the module imported alone */
} ep_trial_stage;

/* Ownership: static. */
const char *ep_trial_stage_str(ep_trial_stage stage);

/* One import failure the trial saw, caught or not. */
typedef struct ep_trial_failure {
    ep_trial_stage stage;
    const char *exc_type; /* "ImportError", "ModuleNotFoundError", ... */
    const char *message;
    const char *name;     /* absolute module name (":a,b" fromlist) */
    const char *exc_name; /* ImportError.name */
    const char *path;     /* ImportError.path or the file being loaded */
    const char *importer; /* the importing module, or create/exec_module */
} ep_trial_failure;

typedef struct ep_trial {
    ep_arena arena;           /* every string below */
    ep_trial_outcome outcome; /* never EP_TRIAL_NOT_RUN in a record */
    bool timed_out;           /* the child was killed at the time limit
                                 (it may have imported before) */
    int exit_code;            /* the child's status, or 128+signal */
    const char *exc_type;     /* unless imported: the exception type, or
                                 the outcome's name */
    const char *message;
    const char *exc_name;
    const char *exc_path;
    const char *traceback;
    const char *file;        /* module.__file__ when imported */
    ep_strvec module_path;   /* __path__ when a package */
    ep_strvec loaded_ext;    /* "name\tpath" of extensions loaded */
    ep_strvec none_attrs;    /* "pkg.attr" set to None, `_x` names first
                                (at most trial.py's NONE_ATTRS_MAX) */
    size_t none_attrs_total; /* how many there were in all */
    ep_trial_failure *failures;
    size_t nfailures, failures_cap;
    const char *output;     /* what the import printed, maybe truncated */
    const char *dying_name; /* unless imported or raised: the extension */
    const char *dying_file; /* being loaded when the child ended, or NULL */
} ep_trial;

/* Import `module` in a child process of `python` (in workdir, started as
 * `start` says) and record what happened. EP_ERR_NOMEM, or the status of
 * a child that could not be run; then *out is NULL.
 * Ownership: caller frees *out with ep_trial_free(). */
ep_status ep_trial_run(const char *python, const char *module,
                       const char *workdir, ep_start_mode start,
                       const char *script, double timeout, ep_trial **out,
                       ep_error *err);

/* The record of a trial child's run (records, output, exit status; timeout
 * for the message of a trial that did not finish). EP_ERR_NOMEM only.
 * Ownership: caller frees *out with ep_trial_free(). */
ep_status ep_trial_from_child(const ep_child *run, double timeout,
                              ep_trial **out, ep_error *err);

/* Release a record (NULL is fine). */
void ep_trial_free(ep_trial *t);

/* ---- the single start (onestart.c) ----------------------------------------
 */

/* A facts child that waits to run the trial of one module in the same
 * process. */
typedef struct ep_onestart ep_onestart;

/* Take the facts of `python` (in workdir, as ep_interp_query does, same
 * facts and same errors) in a child that then waits to import `module` as
 * ep_trial_run(start, script) would. *out is NULL when the child did not
 * stay (the facts are still good). Ownership: caller frees *in with
 * ep_interp_free() and *out with ep_onestart_end(). */
ep_status ep_onestart_begin(const char *python, const char *workdir,
                            ep_start_mode start, const char *script,
                            const char *module, double timeout, ep_interp **in,
                            ep_onestart **out, ep_error *err);

/* The absolute path the child was started by: the trial runs there only
 * when ep_trial_run would start this same file. Ownership: borrowed. */
const char *ep_onestart_exe(const ep_onestart *one);

/* Run the trial in the waiting child (timeout seconds from now). *ran is
 * false when the child declined or ended first: then run ep_trial_run. The
 * child is ended either way. EP_ERR_NOMEM, or a failure of poll. */
ep_status ep_onestart_trial(ep_onestart *one, double timeout, ep_trial **out,
                            bool *ran, ep_error *err);

/* End a child still waiting: it gets no word and ends as the facts child
 * does (its exit waited for as ep_run_python waits, then killed); free
 * (NULL is fine). */
void ep_onestart_end(ep_onestart *one);

#endif
