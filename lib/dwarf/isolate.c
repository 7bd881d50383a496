/*
 * Running the DWARF reader in the helper program: found next to the code
 * that calls it (the CLI, the Python shim's module, libextprobe.so), spawned
 * with posix_spawn (the caller may be a threaded Python process, where fork()
 * without exec is unsafe), asked for one file after another (--serve), each
 * answer read with its own deadline. A crash, a limit or a truncated answer
 * becomes that file's reason string, never the caller's problem; the helper
 * is then reaped and the next file gets a fresh one.
 */
#include "dwarf/provenance.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef EP_LIBEXECDIR
#define EP_LIBEXECDIR "/usr/local/libexec"
#endif

/* Any object of this file: dladdr() names the file that was loaded. */
static const char here = 0;

static bool
executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

const char *
ep_dwarf_helper_path(ep_arena *a)
{
    const char *env = getenv("EXTPROBE_DWARF_HELPER");
    if (env != NULL && env[0] != '\0') {
        return ep_arena_strdup(a, env);
    }
    /* Next to the object holding this code: build/probe/extprobe, the
     * shim's _extprobe.abi3.so, or libextprobe.so. In a statically linked
     * extprobe dladdr() names no file: the code is the executable's. */
    Dl_info info;
    const char *fname = NULL;
    char self[4096];
    if (dladdr(&here, &info) != 0 && info.dli_fname != NULL &&
        strchr(info.dli_fname, '/') != NULL) {
        fname = info.dli_fname;
    } else {
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n > 0) {
            self[n] = '\0';
            fname = self;
        }
    }
    if (fname != NULL) {
        const char *slash = strrchr(fname, '/');
        char *p = ep_arena_printf(a, "%.*s/%s", (int)(slash - fname), fname,
                                  EP_DWARF_HELPER);
        if (p != NULL && executable(p)) {
            return p;
        }
    }
    char *p = ep_arena_printf(a, "%s/%s", EP_LIBEXECDIR, EP_DWARF_HELPER);
    return p != NULL && executable(p) ? p : NULL;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The caller's environment without the sanitizers' options: in an ASan
 * build the helper is instrumented too, and a libdwarf crash on a hostile
 * file is a result here (the reason below), not a report for the caller's
 * sanitizer log. The report goes to the helper's stderr, /dev/null. */
static char **
helper_env(ep_arena *a)
{
    extern char **environ;
    size_t n = 0;
    while (environ[n] != NULL) {
        n++;
    }
    char **env = ep_arena_alloc(a, (n + 1) * sizeof(*env));
    if (env == NULL) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ[i], "ASAN_OPTIONS=", 13) != 0 &&
            strncmp(environ[i], "UBSAN_OPTIONS=", 14) != 0 &&
            strncmp(environ[i], "LSAN_OPTIONS=", 13) != 0) {
            env[k++] = environ[i];
        }
    }
    env[k] = NULL;
    return env;
}

/* One helper process serving a batch; pid -1 when none runs. */
struct ep_provenance_reader {
    ep_arena arena; /* the helper's path and environment */
    bool located;
    const char *helper; /* NULL: not found */
    char **env;
    pid_t pid;
    int fd; /* our end of the socket that is the helper's stdin and stdout */
};

ep_status
ep_provenance_reader_new(ep_provenance_reader **out, ep_error *err)
{
    if (out == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *out = calloc(1, sizeof(**out));
    if (*out == NULL) {
        return ep_fail_nomem(err);
    }
    ep_arena_init(&(*out)->arena);
    (*out)->pid = -1;
    (*out)->fd = -1;
    return EP_OK;
}

/* Wait for the helper until deadline (0: no wait), then kill it; reap it
 * either way. Returns its wait status; *killed when it had to be killed. */
static int
reap(ep_provenance_reader *r, double deadline, bool *killed)
{
    int status = 0;
    long pause_ns = 50000;
    *killed = false;
    for (;;) {
        pid_t got = waitpid(r->pid, &status, WNOHANG);
        if (got == r->pid || (got < 0 && errno != EINTR)) {
            break;
        }
        if (got == 0 && now_s() >= deadline) {
            kill(r->pid, SIGKILL);
            *killed = true;
            while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR) {
            }
            break;
        }
        if (got == 0) {
            struct timespec ts = {0, pause_ns};
            nanosleep(&ts, NULL);
            pause_ns = pause_ns < 10000000 ? pause_ns * 2 : pause_ns;
        }
    }
    r->pid = -1;
    return status;
}

/* Read from the socket until it reports the end or deadline passes;
 * what arrives is dropped. False at the deadline. */
static bool
drain(int fd, double deadline)
{
    char chunk[4096];
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) {
            return false;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int n = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (n < 0 && errno != EINTR) {
            return false;
        }
        if (n <= 0) {
            continue;
        }
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
            return true;
        }
    }
}

/* Stop the helper: the end of its input tells it to exit, which it does
 * within EP_DWARF_EXIT_SECONDS (grace) or is killed; reaped either way. */
static void
stop(ep_provenance_reader *r, bool grace)
{
    bool killed;
    double deadline = now_s() + (grace ? EP_DWARF_EXIT_SECONDS : 0);
    if (r->fd >= 0 && r->pid > 0 && grace) {
        shutdown(r->fd, SHUT_WR);
        drain(r->fd, deadline);
    }
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
    if (r->pid > 0) {
        reap(r, deadline, &killed);
    }
}

void
ep_provenance_reader_free(ep_provenance_reader *r)
{
    if (r != NULL) {
        stop(r, true);
        ep_arena_release(&r->arena);
        free(r);
    }
}

void
ep_dwarf_reader_retire(ep_provenance_reader *r)
{
    stop(r, false);
}

/* Start a serving helper; *why says why it could not be run. */
static ep_status
start(ep_provenance_reader *r, ep_arena *a, const char **why, ep_error *err)
{
    int sv[2];
    posix_spawn_file_actions_t fa;
    /* One socket is the helper's stdin and stdout: a send() with
     * MSG_NOSIGNAL to a helper that died fails with EPIPE instead of
     * raising SIGPIPE in the caller's process, which a library must not
     * do (and a per-thread signal mask would be the caller's business). */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        return ep_fail_errno(err, errno, "socketpair");
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
    posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
    /* What a crashing libdwarf or a sanitizer prints is not ours to show. */
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *const argv[] = {(char *)r->helper, (char *)"--serve", NULL};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, r->helper, &fa, NULL, argv, r->env);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        *why = ep_arena_printf(a, "cannot run %s: %s", r->helper, strerror(rc));
        return *why ? EP_OK : ep_fail_nomem(err);
    }
    /* Non-blocking: every wait on the helper goes through poll() and the
     * file's deadline. */
    fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
    r->pid = pid;
    r->fd = sv[0];
    return EP_OK;
}

/* Send the whole request before deadline; false when the helper is gone
 * (or the deadline passed): its answer, status and reason follow. */
static bool
send_request(int fd, const ep_strbuf *req, double deadline)
{
    size_t done = 0;
    while (done < req->len) {
        double left = deadline - now_s();
        if (left <= 0) {
            return false;
        }
        ssize_t n = send(fd, req->data + done, req->len - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            poll(&pfd, 1, (int)(left * 1000) + 1);
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return false;
    }
    return true;
}

/* How the answer of one file ended. */
typedef struct answer {
    ep_strbuf sb;
    size_t len;   /* the answer's bytes, before the closing line */
    bool closed;  /* a "next" or "exit" line closed it */
    bool exiting; /* ... and it was "exit" */
    bool extra;   /* bytes followed the closing line */
    bool timed_out, too_long;
} answer;

/* Read one answer, until its closing line, the end of the stream or the
 * deadline. Failures of our own process (poll) are the status. */
static ep_status
read_answer(int fd, double deadline, answer *an, ep_error *err)
{
    char chunk[8192];
    size_t line = 0; /* where the line being read starts */
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) {
            an->timed_out = true;
            return EP_OK;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        int n = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return ep_fail_errno(err, errno, "poll");
        }
        if (n == 0) {
            continue;
        }
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (got <= 0) {
            /* The end, or ECONNRESET: the helper exited without reading
             * all we sent. What it wrote before is still read first. */
            return EP_OK;
        }
        ep_strbuf_append(&an->sb, chunk, (size_t)got);
        if (an->sb.failed) {
            return ep_fail_nomem(err);
        }
        char *nl;
        while ((nl = memchr(an->sb.data + line, '\n', an->sb.len - line)) !=
               NULL) {
            size_t n_line = (size_t)(nl - (an->sb.data + line));
            const char *l = an->sb.data + line;
            if (n_line == 4 &&
                (memcmp(l, "next", 4) == 0 || memcmp(l, "exit", 4) == 0)) {
                an->len = line;
                an->closed = true;
                an->exiting = l[0] == 'e';
                an->extra = (size_t)(nl + 1 - an->sb.data) < an->sb.len;
                return EP_OK;
            }
            line += n_line + 1;
        }
        if (an->sb.len > EP_DWARF_RECORDS_MAX) {
            an->too_long = true;
            return EP_OK;
        }
    }
}

/* The reason an answer gives no records, or NULL when it is records to
 * parse: in the order the one-shot helper was always judged. *nomem when
 * the reason could not be stored. */
static const char *
judge(ep_arena *a, const answer *an, int status, bool *nomem)
{
    const char *why = NULL;
    if (an->timed_out) {
        why = ep_arena_printf(a, "the reader took longer than %.0f s",
                              EP_DWARF_WALL_SECONDS);
    } else if (an->too_long) {
        why = ep_arena_printf(a, "the reader wrote more than %u bytes",
                              EP_DWARF_RECORDS_MAX);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        why = ep_arena_printf(
            a, "the reader (libdwarf) died of signal %d (%s)%s", sig,
            strsignal(sig), sig == SIGXCPU ? ": CPU time limit" : "");
    } else if (an->len > 0 && memchr(an->sb.data, '\0', an->len) != NULL) {
        /* The records are text: a NUL byte would end the parse early and
         * leave what follows it unread. */
        why = ep_arena_strdup(a, "garbage from the reader (a NUL byte)");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* A sanitizer's report of a libdwarf double free ends here too. */
        why = ep_arena_printf(a,
                              "the reader (libdwarf) failed with exit "
                              "status %d",
                              WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else if (an->len == 0) {
        why = ep_arena_strdup(a, "the reader wrote nothing");
    } else {
        return NULL;
    }
    *nomem = why == NULL;
    return why;
}

ep_status
ep_dwarf_reader_run(ep_provenance_reader *r, const char *file, ep_arena *a,
                    char **records, const char **why, ep_error *err)
{
    answer an = {0};
    ep_strbuf req;
    ep_status st = EP_OK;
    double deadline = 0;

    *records = NULL;
    *why = NULL;
    if (!r->located) {
        r->helper = ep_dwarf_helper_path(&r->arena);
        r->env = helper_env(&r->arena);
        if (r->env == NULL) {
            return ep_fail_nomem(err);
        }
        r->located = true;
    }
    if (r->helper == NULL) {
        *why = "the DWARF reader " EP_DWARF_HELPER " is not installed next "
               "to extprobe (set EXTPROBE_DWARF_HELPER to its path)";
        return EP_OK;
    }
    ep_strbuf_init(&req);
    const char *f[] = {file};
    ep_dwarf_record(&req, "file", f, 1);
    if (req.failed) {
        return ep_fail_nomem(err);
    }
    ep_strbuf_init(&an.sb);
    /* A helper left running is idle. Should it have gone since (killed
     * from outside), the request fails before any byte of this file
     * reached it, and a fresh helper is tried once. */
    for (int attempt = 0;; attempt++) {
        bool fresh = r->pid < 0;
        if (fresh) {
            st = start(r, a, why, err);
            if (st != EP_OK || *why != NULL) {
                goto out;
            }
        }
        deadline = now_s() + EP_DWARF_WALL_SECONDS;
        if (!send_request(r->fd, &req, deadline) && !fresh && attempt == 0) {
            stop(r, false);
            continue;
        }
        /* A fresh helper that refused the request (it died) is judged
         * by what it wrote and how it ended, like any other. */
        st = read_answer(r->fd, deadline, &an, err);
        break;
    }
    int status = 0;
    if (an.closed && !an.extra && st == EP_OK) {
        if (an.exiting) {
            stop(r, true); /* it said it exits: reap it */
        }
    } else {
        /* Dead, past the deadline, too talkative, or writing after its
         * closing line: killed unless it has exited, and reaped. Its
         * output ended without a closing line only when it ended, so it
         * gets the rest of the deadline to exit. */
        bool kill_now = an.timed_out || an.too_long || st != EP_OK || an.closed;
        bool killed = false;
        close(r->fd);
        r->fd = -1;
        status = reap(r, kill_now ? 0 : deadline, &killed);
        if (an.closed) {
            status = 0; /* its answer was whole before the extra bytes */
        } else {
            an.timed_out = an.timed_out || (killed && !kill_now);
            an.len = an.sb.len;
        }
    }
    if (st != EP_OK) {
        goto out;
    }
    bool nomem = false;
    *why = judge(a, &an, status, &nomem);
    if (*why != NULL && r->pid > 0) {
        /* A whole answer that is no answer (nothing, a NUL byte): the
         * next file is not trusted to this helper. */
        stop(r, false);
    }
    if (nomem) {
        st = ep_fail_nomem(err);
    } else if (*why == NULL) {
        *records = malloc(an.len + 1);
        if (*records == NULL) {
            st = ep_fail_nomem(err);
            goto out;
        }
        memcpy(*records, an.sb.data, an.len);
        (*records)[an.len] = '\0';
    }
out:
    ep_strbuf_release(&req);
    ep_strbuf_release(&an.sb);
    return st;
}
