/*
 * Running the target interpreter in a child process, never in ours: the
 * interpreter facts and the load trial both come from here. posix_spawn (no
 * fork of a possibly multi-threaded host such as the Python shim), a process
 * group killed on timeout, and bounded capture of what the child prints.
 */
#include "interp/interp.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The records are small (a few KB); the cap only stops a runaway child. */
#define RECORDS_MAX (16u * 1024 * 1024)
/* What the imported code prints is evidence, not data: keep the start. */
#define OUTPUT_MAX (64u * 1024)

/* The child finds its record channel here. */
#define RECORD_FD 3

/* Records complete but no exit yet: the child gets this long to exit by
 * itself (an atexit handler, a non-daemon thread) before it is killed. */
#define COMPLETE_GRACE_S 1.0
/* Without a pidfd (Linux < 5.3), how often to look whether the child has
 * exited while its pipes are held open by someone else. */
#define EXIT_POLL_MS 20

void
ep_child_release(ep_child *res)
{
    if (res != NULL) {
        free(res->records);
        free(res->output);
        memset(res, 0, sizeof(*res));
    }
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Move fd above the standard ones and RECORD_FD, close-on-exec. */
static int
high_fd(int fd)
{
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    close(fd);
    return moved;
}

static bool
append(char **buf, size_t *len, size_t cap, const char *data, size_t n,
       bool *truncated)
{
    if (*len + n > cap) {
        n = cap - *len;
        if (truncated) {
            *truncated = true;
        }
    }
    char *p = realloc(*buf, *len + n + 1);
    if (p == NULL) {
        return false;
    }
    memcpy(p + *len, data, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
    return true;
}

/* A records stream is complete when its last line is the end record
 * (facts.py and trial.py write it last): the status channel that does not
 * wait for EOF, which a daemon holding the pipe would hold back forever. */
static bool
records_complete(const char *buf, size_t len)
{
    return (len == 4 && memcmp(buf, "end\n", 4) == 0) ||
           (len > 4 && memcmp(buf + len - 5, "\nend\n", 5) == 0);
}

/* Whether the child has exited, without reaping it: while it is a zombie
 * its pid, and so its process group id, cannot be reused. */
static bool
child_exited(pid_t pid)
{
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
}

/* A file descriptor that polls readable when the child exits, or -1. */
static int
exit_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* Take what a pipe holds now (the fd is O_NONBLOCK); *eof when the far end
 * is closed. Bounded, as a stray writer may still be running. */
static bool
drain(int fd, char **buf, size_t *len, size_t cap, bool *truncated,
      bool *complete, bool *eof)
{
    char chunk[8192];
    for (size_t total = 0; !*eof && total <= cap;) {
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            *eof = got == 0;
            break;
        }
        total += (size_t)got;
        if (!append(buf, len, cap, chunk, (size_t)got, truncated)) {
            return false;
        }
        if (complete != NULL) {
            *complete = records_complete(*buf, *len);
        }
    }
    return true;
}

/* Read both pipes until the child has exited (and its pipes are drained),
 * its records are complete (then it gets a moment to exit by itself), or
 * the deadline. Then kill whatever is left of it. */
static ep_status
collect(ep_proc *p, double timeout, ep_child *res, bool pause, ep_error *err)
{
    int rec_fd = p->rec_fd, out_fd = p->out_fd;
    pid_t pid = p->pid;
    struct pollfd pfd[3] = {{p->eof[0] ? -1 : rec_fd, POLLIN, 0},
                            {p->eof[1] ? -1 : out_fd, POLLIN, 0},
                            {exit_fd(pid), POLLIN, 0}};
    double deadline = now_s() + timeout, complete_at = 0;
    char chunk[8192];
    bool exited = false, *eof = p->eof;
    ep_status st = EP_OK;
    fcntl(rec_fd, F_SETFL, fcntl(rec_fd, F_GETFL) | O_NONBLOCK);
    fcntl(out_fd, F_SETFL, fcntl(out_fd, F_GETFL) | O_NONBLOCK);
    for (;;) {
        if (child_exited(pid)) {
            exited = true;
            break;
        }
        double t = now_s();
        if (res->complete && pause) {
            /* The first part said all it had to say; the child waits for
             * the word to go on (ep_proc_resume). */
            if (pfd[2].fd >= 0) {
                close(pfd[2].fd);
            }
            p->paused = true;
            return EP_OK;
        }
        if (res->complete && complete_at == 0) {
            complete_at = t;
        }
        if (res->complete && t - complete_at >= COMPLETE_GRACE_S) {
            break; /* it said all it had to say, and then hung */
        }
        if (t >= deadline) {
            res->timed_out = !res->complete;
            break;
        }
        double left = deadline - t;
        if (res->complete && COMPLETE_GRACE_S < left) {
            left = COMPLETE_GRACE_S;
        }
        /* Without a pidfd, exit is only seen by looking: in short steps. */
        int ms = (int)(left * 1000) + 1;
        if (pfd[2].fd < 0 && ms > EXIT_POLL_MS) {
            ms = EXIT_POLL_MS;
        }
        int n = poll(pfd, 3, ms);
        if (n < 0 && errno != EINTR) {
            st = ep_fail_errno(err, errno, "poll");
            break;
        }
        for (int i = 0; n > 0 && i < 2; i++) {
            if (pfd[i].fd < 0 ||
                !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            ssize_t got = read(pfd[i].fd, chunk, sizeof(chunk));
            if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (got <= 0) {
                eof[i] = true;
                pfd[i].fd = -1; /* poll ignores it from now on */
                continue;
            }
            bool ok = i == 0
                          ? append(&res->records, &res->records_len,
                                   RECORDS_MAX, chunk, (size_t)got, NULL)
                          : append(&res->output, &res->output_len, OUTPUT_MAX,
                                   chunk, (size_t)got, &res->output_truncated);
            if (!ok) {
                st = ep_fail_nomem(err);
                break;
            }
            if (i == 0) {
                res->complete =
                    records_complete(res->records, res->records_len);
            }
        }
        if (st != EP_OK) {
            break;
        }
    }
    if (pfd[2].fd >= 0) {
        close(pfd[2].fd);
    }
    res->killed = !exited;
    if (!exited) {
        kill(-pid, SIGKILL);
    }
    /* Take what the pipes hold. A pipe still open at the far end has a
     * holder that left the group (setsid): kill it too, then read the
     * rest -- nobody writes any more. */
    for (int round = 0; round < 2; round++) {
        if (st == EP_OK &&
            (!drain(rec_fd, &res->records, &res->records_len, RECORDS_MAX, NULL,
                    &res->complete, &eof[0]) ||
             !drain(out_fd, &res->output, &res->output_len, OUTPUT_MAX,
                    &res->output_truncated, NULL, &eof[1]))) {
            st = ep_fail_nomem(err);
            eof[0] = eof[1] = false; /* unread: kill whoever holds them */
        }
        unsigned long inodes[2];
        size_t ninodes = 0;
        int fds[2] = {rec_fd, out_fd};
        struct stat sb;
        for (int i = 0; i < 2; i++) {
            if (!eof[i] && fstat(fds[i], &sb) == 0) {
                inodes[ninodes++] = (unsigned long)sb.st_ino;
            }
        }
        /* Always the group (a sleeper that closed its pipes is in it); the
         * /proc scan only when some pipe is still held. */
        ep_child_kill_all(pid, inodes, round == 0 ? ninodes : 0);
        if (ninodes == 0) {
            break;
        }
    }
    if (res->complete) {
        res->timed_out = false;
    }
    return st;
}

/* Wait for the child and take its status (it is dead or killed by now). */
static void
reap(ep_proc *p, ep_child *res)
{
    int status = 0;
    while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR) {
    }
    res->exit_code = WIFEXITED(status)     ? WEXITSTATUS(status)
                     : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                           : -1;
    p->pid = -1;
}

static void
close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

void
ep_proc_end(ep_proc *p)
{
    if (p == NULL) {
        return;
    }
    if (p->pid > 0) {
        /* Killed: it has said what it had to say, or nobody listens. */
        ep_child scrap;
        memset(&scrap, 0, sizeof(scrap));
        close_fd(&p->go_fd);
        kill(-p->pid, SIGKILL);
        struct stat sb;
        unsigned long inodes[2];
        size_t n = 0;
        int fds[2] = {p->rec_fd, p->out_fd};
        for (int i = 0; i < 2; i++) {
            if (!p->eof[i] && fds[i] >= 0 && fstat(fds[i], &sb) == 0) {
                inodes[n++] = (unsigned long)sb.st_ino;
            }
        }
        ep_child_kill_all(p->pid, inodes, n);
        reap(p, &scrap);
    }
    close_fd(&p->rec_fd);
    close_fd(&p->out_fd);
    close_fd(&p->go_fd);
    free(p->exe);
    free(p->carry);
    memset(p, 0, sizeof(*p));
    p->pid = p->rec_fd = p->out_fd = p->go_fd = -1;
}

ep_status
ep_proc_start(const char *python, const char *flag, const char *source,
              const char *const *args, size_t nargs, const char *workdir,
              bool go_channel, ep_proc *p, ep_error *err)
{
    ep_status st = EP_OK;
    int rec[2] = {-1, -1}, out[2] = {-1, -1}, go[2] = {-1, -1};
    const char **argv = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    bool fa_init = false, attr_init = false;

    memset(p, 0, sizeof(*p));
    p->pid = p->rec_fd = p->out_fd = p->go_fd = -1;
    /* Resolved here, in the caller's directory: the child starts in
     * workdir, where a relative name would be another file. */
    char *exe = ep_which(python);
    if (exe == NULL) {
        return errno == ENOMEM
                   ? ep_fail_nomem(err)
                   : ep_fail(err, EP_ERR_INTERP, "cannot run %s: %s", python,
                             strchr(python, '/') ? strerror(errno)
                                                 : "not found on PATH");
    }
    argv = calloc(nargs + 5, sizeof(*argv));
    if (argv == NULL) {
        free(exe);
        return ep_fail_nomem(err);
    }
    size_t k = 0;
    argv[k++] = exe;
    if (flag != NULL) {
        argv[k++] = flag;
    }
    argv[k++] = "-c";
    argv[k++] = source;
    for (size_t i = 0; i < nargs; i++) {
        argv[k++] = args[i];
    }
    /* Close-on-exec from the start: a child another thread spawns must not
     * inherit a write end (it would hold the pipe open). The go channel is
     * a socket: a word sent to a child that is gone must not raise SIGPIPE
     * in the host (send with MSG_NOSIGNAL). */
    if (pipe2(rec, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
        (go_channel &&
         socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) != 0)) {
        st = ep_fail_errno(err, errno, "pipe");
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        rec[i] = high_fd(rec[i]);
        out[i] = high_fd(out[i]);
        go[i] = go_channel ? high_fd(go[i]) : -1;
        if (rec[i] < 0 || out[i] < 0 || (go_channel && go[i] < 0)) {
            st = ep_fail_errno(err, errno, "fcntl");
            goto out;
        }
    }
    posix_spawn_file_actions_init(&fa);
    fa_init = true;
    posix_spawnattr_init(&attr);
    attr_init = true;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    posix_spawn_file_actions_adddup2(&fa, rec[1], RECORD_FD);
    if (go_channel) {
        posix_spawn_file_actions_adddup2(&fa, go[1], EP_GO_FD);
    }
    if (workdir != NULL) {
        posix_spawn_file_actions_addchdir_np(&fa, workdir);
    }
    /* Its own process group, so a timeout kills what the import started. */
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, exe, &fa, &attr, (char *const *)argv, environ);
    if (rc != 0) {
        if (workdir != NULL && access(workdir, X_OK) != 0) {
            st = ep_fail(err, EP_ERR_INTERP, "cannot run %s in %s: %s", python,
                         workdir, strerror(errno));
        } else {
            st = ep_fail(err, EP_ERR_INTERP, "cannot run %s: %s", python,
                         strerror(rc));
        }
        goto out;
    }
    p->pid = pid;
    p->rec_fd = rec[0];
    p->out_fd = out[0];
    p->go_fd = go[0];
    rec[0] = out[0] = go[0] = -1;
    p->exe = exe;
    exe = NULL;
out:
    for (int i = 0; i < 2; i++) {
        close_fd(&rec[i]);
        close_fd(&out[i]);
        close_fd(&go[i]);
    }
    if (fa_init) {
        posix_spawn_file_actions_destroy(&fa);
    }
    if (attr_init) {
        posix_spawnattr_destroy(&attr);
    }
    free(argv);
    free(exe);
    return st;
}

ep_status
ep_timeout_check(double timeout, ep_error *err)
{
    /* NaN fails both comparisons; the cap keeps poll()'s int milliseconds
     * in range. */
    if (!(timeout > 0) || timeout > EP_TIMEOUT_MAX) {
        return ep_fail(err, EP_ERR_INVALID_ARG,
                       "timeout %g s: not a number of seconds in (0, %.0f]",
                       timeout, EP_TIMEOUT_MAX);
    }
    return EP_OK;
}

ep_status
ep_proc_wait(ep_proc *p, double timeout, bool pause, ep_child *res,
             ep_error *err)
{
    memset(res, 0, sizeof(*res));
    ep_status st = ep_timeout_check(timeout, err);
    if (st != EP_OK) {
        return st;
    }
    /* What the child printed before a pause belongs to what follows (the
     * trial's output starts with what its startup printed). */
    res->output = p->carry;
    res->output_len = p->carry_len;
    res->output_truncated = p->carry_truncated;
    p->carry = NULL;
    p->carry_len = 0;
    p->paused = false;
    st = collect(p, timeout, res, pause, err);
    if (p->paused && st == EP_OK) {
        /* Still running, waiting for ep_proc_resume. */
        if (res->output_len > 0) {
            p->carry = malloc(res->output_len + 1);
            if (p->carry == NULL) {
                ep_child_release(res);
                return ep_fail_nomem(err);
            }
            memcpy(p->carry, res->output, res->output_len + 1);
            p->carry_len = res->output_len;
            p->carry_truncated = res->output_truncated;
        }
        return EP_OK;
    }
    reap(p, res);
    if (st != EP_OK) {
        ep_child_release(res);
    }
    return st;
}

bool
ep_proc_resume(ep_proc *p)
{
    static const char go = 'g';
    bool sent = p->pid > 0 && p->go_fd >= 0 &&
                send(p->go_fd, &go, 1, MSG_NOSIGNAL) == 1;
    close_fd(&p->go_fd);
    return sent;
}

void
ep_proc_resume_none(ep_proc *p)
{
    close_fd(&p->go_fd);
}

ep_status
ep_run_python(const char *python, const char *flag, const char *source,
              const char *const *args, size_t nargs, const char *workdir,
              double timeout, ep_child *res, ep_error *err)
{
    ep_proc p;
    memset(res, 0, sizeof(*res));
    ep_status st = ep_timeout_check(timeout, err);
    if (st != EP_OK) {
        return st;
    }
    st = ep_proc_start(python, flag, source, args, nargs, workdir, false, &p,
                       err);
    if (st == EP_OK) {
        st = ep_proc_wait(&p, timeout, false, res, err);
    }
    ep_proc_end(&p);
    return st;
}
