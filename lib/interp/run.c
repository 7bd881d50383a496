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

/* Read both pipes until EOF or the deadline. */
static ep_status
collect(int rec_fd, int out_fd, pid_t pid, double timeout, ep_child *res,
        ep_error *err)
{
    struct pollfd pfd[2] = {{rec_fd, POLLIN, 0}, {out_fd, POLLIN, 0}};
    double deadline = now_s() + timeout;
    char chunk[8192];
    int open_fds = 2;
    while (open_fds > 0) {
        double left = deadline - now_s();
        if (left <= 0) {
            res->timed_out = true;
            kill(-pid, SIGKILL);
            break;
        }
        int n = poll(pfd, 2, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            kill(-pid, SIGKILL);
            return ep_fail_errno(err, errno, "poll");
        }
        for (int i = 0; i < 2; i++) {
            if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            ssize_t got = read(pfd[i].fd, chunk, sizeof(chunk));
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                pfd[i].fd = -1;
                open_fds--;
                continue;
            }
            bool ok = i == 0 ? append(&res->records, &res->records_len,
                                      RECORDS_MAX, chunk, (size_t)got, NULL)
                             : append(&res->output, &res->output_len, OUTPUT_MAX,
                                      chunk, (size_t)got, &res->output_truncated);
            if (!ok) {
                kill(-pid, SIGKILL);
                return ep_fail_nomem(err);
            }
        }
    }
    return EP_OK;
}

ep_status
ep_run_python(const char *python, const char *source, const char *const *args,
              size_t nargs, const char *workdir, double timeout, ep_child *res,
              ep_error *err)
{
    ep_status st = EP_OK;
    int rec[2] = {-1, -1}, out[2] = {-1, -1};
    const char **argv = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    bool fa_init = false, attr_init = false;
    pid_t pid = -1;

    memset(res, 0, sizeof(*res));
    argv = calloc(nargs + 4, sizeof(*argv));
    if (argv == NULL) {
        return ep_fail_nomem(err);
    }
    argv[0] = python;
    argv[1] = "-c";
    argv[2] = source;
    for (size_t i = 0; i < nargs; i++) {
        argv[3 + i] = args[i];
    }
    if (pipe(rec) != 0 || pipe(out) != 0) {
        st = ep_fail_errno(err, errno, "pipe");
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        rec[i] = high_fd(rec[i]);
        out[i] = high_fd(out[i]);
        if (rec[i] < 0 || out[i] < 0) {
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
    if (workdir != NULL) {
        posix_spawn_file_actions_addchdir_np(&fa, workdir);
    }
    /* Its own process group, so a timeout kills what the import started. */
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    int rc = posix_spawnp(&pid, python, &fa, &attr, (char *const *)argv, environ);
    if (rc != 0) {
        if (workdir != NULL && access(workdir, X_OK) != 0) {
            st = ep_fail(err, EP_ERR_INTERP, "cannot run %s in %s: %s", python,
                         workdir, strerror(errno));
        } else {
            st = ep_fail(err, EP_ERR_INTERP, "cannot run %s: %s", python,
                         strerror(rc));
        }
        pid = -1;
        goto out;
    }
    close(rec[1]);
    close(out[1]);
    rec[1] = out[1] = -1;
    st = collect(rec[0], out[0], pid, timeout, res, err);
out:
    if (pid > 0) {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        res->exit_code = WIFEXITED(status)   ? WEXITSTATUS(status)
                         : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                               : -1;
    }
    for (int i = 0; i < 2; i++) {
        if (rec[i] >= 0) {
            close(rec[i]);
        }
        if (out[i] >= 0) {
            close(out[i]);
        }
    }
    if (fa_init) {
        posix_spawn_file_actions_destroy(&fa);
    }
    if (attr_init) {
        posix_spawnattr_destroy(&attr);
    }
    free(argv);
    if (st != EP_OK) {
        ep_child_release(res);
    }
    return st;
}
