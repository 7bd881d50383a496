/*
 * The single start of explain: one child of the target interpreter takes
 * the facts exactly as the facts child does (facts.py, -S, nothing of the
 * project run before they are written) and waits; once the parent has done
 * its static walk it gets the word and runs the trial (trial.py, joined to
 * facts.py in one source) in the same process, as `python -B -c` would --
 * or declines, and the parent starts a trial child of its own
 * (docs/design/children.md, "The single start").
 */
#include "interp/trial.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ep_onestart {
    ep_proc proc;   /* paused after the facts */
    double timeout; /* for its end when it gets no word */
};

ep_status
ep_onestart_begin(const char *python, const char *workdir, ep_start_mode start,
                  const char *script, const char *module, double timeout,
                  ep_interp **in, ep_onestart **out, ep_error *err)
{
    ep_proc p;
    ep_child child;
    *in = NULL;
    *out = NULL;
    ep_status st = ep_timeout_check(timeout, err);
    if (st != EP_OK) {
        return st;
    }
    /* facts.py's arguments (MODE SCRIPT FD), then the trial's module and
     * the go channel. -S as the facts child; -B as the trial child (it
     * writes no bytecode; the facts do not depend on it). */
    char go[16];
    snprintf(go, sizeof(go), "%d", EP_GO_FD);
    const char *args[] = {ep_start_mode_arg(start), script ? script : "", "3",
                          module, go};
    st = ep_proc_start(python, "-SB", ep_onestart_py, args, 5, workdir, true,
                       &p, err);
    if (st != EP_OK) {
        return st;
    }
    st = ep_proc_wait(&p, timeout, true, &child, err);
    if (st == EP_OK) {
        st = ep_interp_from_child(python, &child, timeout, in, err);
        ep_child_release(&child);
    }
    if (st == EP_OK && p.paused) {
        *out = calloc(1, sizeof(**out));
        if (*out == NULL) {
            ep_interp_free(*in);
            *in = NULL;
            st = ep_fail_nomem(err);
        } else {
            (*out)->proc = p;
            (*out)->timeout = timeout;
            return EP_OK;
        }
    }
    ep_proc_end(&p);
    return st;
}

const char *
ep_onestart_exe(const ep_onestart *one)
{
    return one != NULL ? one->proc.exe : NULL;
}

ep_status
ep_onestart_trial(ep_onestart *one, double timeout, ep_trial **out, bool *ran,
                  ep_error *err)
{
    ep_child child;
    *out = NULL;
    *ran = false;
    if (!ep_proc_resume(&one->proc)) {
        ep_proc_end(&one->proc);
        return EP_OK;
    }
    ep_status st = ep_proc_wait(&one->proc, timeout, false, &child, err);
    if (st != EP_OK) {
        ep_proc_end(&one->proc);
        return st;
    }
    /* trial.py's first record says it runs here; anything else (declined,
     * or the process ended before) leaves the trial to a child of its own. */
    static const char mark[] = "onestart\n";
    if (child.records_len >= sizeof(mark) - 1 &&
        memcmp(child.records, mark, sizeof(mark) - 1) == 0) {
        st = ep_trial_from_child(&child, timeout, out, err);
        *ran = st == EP_OK;
    }
    ep_child_release(&child);
    ep_proc_end(&one->proc);
    return st;
}

void
ep_onestart_end(ep_onestart *one)
{
    if (one == NULL) {
        return;
    }
    if (one->proc.pid > 0) {
        /* No word: the channel closes and the child ends as the facts child
         * does -- its exit (atexit handlers of the startup's code) waited
         * for as ep_run_python waits, then killed. */
        ep_child rest;
        ep_error ignored;
        ep_proc_resume_none(&one->proc);
        if (ep_proc_wait(&one->proc, one->timeout, false, &rest, &ignored) ==
            EP_OK) {
            ep_child_release(&rest);
        }
    }
    ep_proc_end(&one->proc);
    free(one);
}
