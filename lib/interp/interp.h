/*
 * The target interpreter, as it really runs: facts asked from a child process
 * of that interpreter (query.c, facts.py), the child-process runner (run.c)
 * and the load trial (trial.c, trial.py). Private to lib/.
 */
#ifndef EXTPROBE_INTERP_H
#define EXTPROBE_INTERP_H

#include "util/arena.h"

#include <stdbool.h>
#include <sys/types.h>

/* Where a sys.path entry came from (CONTRACT.md "origin"). The facts child
 * names it; ep_path_origin_str() gives that spelling back for reports. */
typedef enum ep_path_origin {
    EP_ORIGIN_NONE, /* not a sys.path entry (a directory met another way) */
    EP_ORIGIN_CWD,  /* '' or the working directory, first */
    EP_ORIGIN_SCRIPT_DIR,
    EP_ORIGIN_PYTHONPATH,
    EP_ORIGIN_PTH, /* a .pth file's line or import hook */
    EP_ORIGIN_USER_SITE,
    EP_ORIGIN_SITE_PACKAGES,
    EP_ORIGIN_STDLIB,
    EP_ORIGIN_EDITABLE, /* a directory an editable finder maps to */
    EP_ORIGIN_OTHER     /* anything else, and any name the child sent that
                           this list does not know */
} ep_path_origin;

/* "cwd", "script-dir", "PYTHONPATH", ...; "" for EP_ORIGIN_NONE. */
const char *ep_path_origin_str(ep_path_origin origin);
/* The child's spelling back to the enum; unknown names are OTHER. */
ep_path_origin ep_path_origin_parse(const char *name);
/* Installed into the interpreter (site-packages, user site, stdlib) rather
 * than put on sys.path by the environment or a checkout. */
bool ep_path_origin_installed(ep_path_origin origin);

/* One sys.path entry and where it came from. */
typedef struct ep_path_entry {
    const char *path; /* as in sys.path ('' is the working directory) */
    const char *abs;  /* absolute form, for file lookups */
    ep_path_origin origin;
    const char *detail; /* for pth: the .pth file; else "" */
} ep_path_entry;

/* A pair of strings (environment variable, .pth import hook). */
typedef struct ep_pair {
    const char *key;
    const char *value;
} ep_pair;

typedef struct ep_interp {
    ep_arena arena;
    const char *python;  /* as the user named it */
    const char *version; /* "3.11.7" */
    int major, minor;
    const char *implementation; /* "cpython", "pypy" */
    const char *cache_tag;
    const char *executable;      /* sys.executable */
    const char *executable_real; /* its realpath */
    const char *prefix, *base_prefix;
    bool in_venv;
    const char *soabi;     /* "cpython-311-x86_64-linux-gnu" or NULL */
    const char *multiarch; /* "x86_64-linux-gnu" or NULL */
    const char *abiflags;
    const char *platform; /* sys.platform */
    int pointer_bits;     /* 32 or 64 */
    bool shared;          /* Py_ENABLE_SHARED: libpython is a .so */
    const char *ldlibrary, *instsoname, *libdir;
    bool gil_disabled, debug;
    const char *libc; /* "glibc 2.36" or NULL */
    const char *cwd;
    const char *user_site;
    bool user_site_enabled;
    bool flag_no_site, flag_no_user_site, flag_ignore_environment,
        flag_isolated, flag_safe_path;
    const char *stdlib, *platstdlib, *purelib, *platlib;
    ep_strvec ext_suffixes; /* EXTENSION_SUFFIXES, in order */
    ep_strvec source_suffixes;
    ep_strvec bytecode_suffixes;
    ep_strvec site_dirs;
    ep_strvec meta_path;       /* "module.Class" of each finder */
    ep_strvec builtin_modules; /* sys.builtin_module_names */
    ep_path_entry *path;
    size_t npath, path_cap;
    ep_pair *env; /* the variables facts.py reports */
    size_t nenv, env_cap;
    ep_pair *pth_hooks; /* .pth file -> import line it runs */
    size_t npth_hooks, pth_hooks_cap;
} ep_interp;

/* The mode argument facts.py and trial.py take ("c", "m", ...). */
const char *ep_start_mode_arg(ep_start_mode start);

/* Ask `python` (a name looked up on PATH, or a path) for its facts, running it
 * in workdir (NULL: here) with this process's environment. */
ep_status ep_interp_query(const char *python, const char *workdir,
                          ep_start_mode start, const char *script,
                          double timeout, ep_interp **out, ep_error *err);

/* Build the facts from facts.py output (the shim runs it in-process). */
ep_status ep_interp_from_records(const char *python, const char *text,
                                 size_t len, ep_interp **out, ep_error *err);

void ep_interp_free(ep_interp *in);

/* The value of an environment variable as the interpreter saw it, or NULL. */
const char *ep_interp_env(const ep_interp *in, const char *name);

/* ---- child processes (run.c) ----------------------------------------------
 */

typedef struct ep_child {
    bool timed_out; /* the deadline passed before the records were complete */
    bool complete;  /* the records end with the end record */
    bool killed;    /* it had not exited by itself: killed */
    int exit_code;  /* exit status, or 128+signal */
    char *records;  /* what the child wrote to fd 3, NUL-terminated */
    size_t records_len;
    char *output; /* stdout and stderr, interleaved, truncated */
    size_t output_len;
    bool output_truncated;
} ep_child;

/* Run `python FLAG -c source args...` in workdir with fd 3 as the record
 * channel (the caller passes "3" where the script expects it); flag (e.g.
 * "-S", "-B") may be NULL. The run ends when the child exits, when its
 * records are complete (last line "end") and it does not exit within a
 * second, or at the timeout; then its process group and every process still
 * holding its pipes are killed (reap.c), so nothing it started outlives it.
 * A relative python is resolved here, before the child changes to workdir. */
ep_status ep_run_python(const char *python, const char *flag,
                        const char *source, const char *const *args,
                        size_t nargs, const char *workdir, double timeout,
                        ep_child *res, ep_error *err);

/* The facts from a facts child's run, or the error its end means (did not
 * answer within timeout, could not run, failed with its last line). */
ep_status ep_interp_from_child(const char *python, const ep_child *run,
                               double timeout, ep_interp **out, ep_error *err);

/* The child's end of the go channel (ep_proc_start with go_channel). */
#define EP_GO_FD 4

/* A child started by ep_proc_start: run to its end with ep_proc_wait, or
 * paused once its records are complete (the single start of explain,
 * onestart.c: the facts, then -- on the word of the parent -- the trial in
 * the same process). */
typedef struct ep_proc {
    pid_t pid;   /* -1 once reaped */
    int rec_fd;  /* records (the child's fd 3) */
    int out_fd;  /* its stdout and stderr */
    int go_fd;   /* the go channel (the child's EP_GO_FD), or -1 */
    bool eof[2]; /* rec_fd, out_fd closed at the far end */
    bool paused; /* ep_proc_wait returned with the child running */
    char *exe;   /* the absolute path it was started by */
    char *carry; /* output read before the pause, for the next wait */
    size_t carry_len;
    bool carry_truncated;
} ep_proc;

/* EP_OK when timeout is a number of seconds a child may be given. */
ep_status ep_timeout_check(double timeout, ep_error *err);

/* Start `python FLAG -c source args...` in workdir, as ep_run_python does;
 * with go_channel the child also gets the read end of a socket as fd
 * EP_GO_FD. On error nothing is left running and *p is empty. */
ep_status ep_proc_start(const char *python, const char *flag,
                        const char *source, const char *const *args,
                        size_t nargs, const char *workdir, bool go_channel,
                        ep_proc *p, ep_error *err);

/* Read the child's records and output into *res until it exits, its
 * records are complete (with pause: return at once, child running, and
 * p->paused set; else it gets a second to exit), or timeout seconds pass.
 * Unless paused, the child and everything it started is killed and it is
 * reaped (exit_code set). Each call fills a fresh *res. */
ep_status ep_proc_wait(ep_proc *p, double timeout, bool pause, ep_child *res,
                       ep_error *err);

/* Tell a paused child to go on (one byte on the go channel, which is then
 * closed); false when it could not be told. */
bool ep_proc_resume(ep_proc *p);

/* Close the go channel without a word: the paused child is to end. */
void ep_proc_resume_none(ep_proc *p);

/* Kill what is left of the child (group and pipe holders), reap it, close
 * everything (an empty or ended *p is fine). */
void ep_proc_end(ep_proc *p);

/* name as an absolute path: made absolute against the working directory
 * when it has a '/', else found on PATH as execvp would (relative PATH
 * elements against the working directory). NULL with errno when not found.
 * Ownership: caller frees with free(). */
char *ep_which(const char *name);

/* SIGKILL process group pgid and every process other than this one that
 * holds a pipe with one of these inodes (found in /proc/PID/fd). */
void ep_child_kill_all(pid_t pgid, const unsigned long *inodes, size_t n);

void ep_child_release(ep_child *res);

/* ---- records: facts.py/trial.py output lines (records.c) ----------------- */

#define EP_RECORD_MAX_FIELDS 8

typedef struct ep_record {
    size_t nfields;
    const char *field[EP_RECORD_MAX_FIELDS]; /* unescaped; NULL for \0 */
} ep_record;

/* Split text into records, unescaping fields into the arena. */
ep_status ep_records_parse(ep_arena *a, const char *text, size_t len,
                           ep_record **out, size_t *count, ep_error *err);

/* Embedded scripts (generated from facts.py and trial.py; the single start
 * runs both, joined). */
extern const char ep_facts_py[];
extern const char ep_trial_py[];
extern const char ep_onestart_py[];

#endif
