/*
 * Running the DWARF reader in the helper program: found next to the code
 * that calls it (the CLI, the Python shim's module, libextprobe.so), spawned
 * with posix_spawn (the caller may be a threaded Python process, where fork()
 * without exec is unsafe), read with a deadline, reaped. A crash, a limit
 * or a truncated answer becomes a reason string, never the caller's problem.
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
     * shim's _extprobe.abi3.so, or libextprobe.so. */
    Dl_info info;
    if (dladdr(&here, &info) != 0 && info.dli_fname != NULL &&
        strchr(info.dli_fname, '/') != NULL) {
        const char *slash = strrchr(info.dli_fname, '/');
        char *p = ep_arena_printf(a, "%.*s/%s", (int)(slash - info.dli_fname),
                                  info.dli_fname, EP_DWARF_HELPER);
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

ep_status
ep_dwarf_run_helper(const char *helper, const char *file, ep_arena *a,
                    char **records, const char **why, ep_error *err)
{
    int out[2] = {-1, -1};
    pid_t pid = -1;
    posix_spawn_file_actions_t fa;
    ep_strbuf sb;
    ep_status st = EP_OK;
    bool timed_out = false, too_long = false;

    *records = NULL;
    *why = NULL;
    ep_strbuf_init(&sb);
    char **env = helper_env(a);
    if (env == NULL) {
        return ep_fail_nomem(err);
    }
    if (pipe2(out, O_CLOEXEC) != 0) {
        return ep_fail_errno(err, errno, "pipe");
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    /* What a crashing libdwarf or a sanitizer prints is not ours to show. */
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *const argv[] = {(char *)helper, (char *)file, NULL};
    int rc = posix_spawn(&pid, helper, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (rc != 0) {
        close(out[0]);
        *why = ep_arena_printf(a, "cannot run %s: %s", helper, strerror(rc));
        return *why ? EP_OK : ep_fail_nomem(err);
    }
    double deadline = now_s() + EP_DWARF_WALL_SECONDS;
    char chunk[8192];
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd pfd = {out[0], POLLIN, 0};
        int n = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            st = ep_fail_errno(err, errno, "poll");
            break;
        }
        if (n == 0) {
            continue;
        }
        ssize_t got = read(out[0], chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        if (sb.len + (size_t)got > EP_DWARF_RECORDS_MAX) {
            too_long = true;
            break;
        }
        ep_strbuf_append(&sb, chunk, (size_t)got);
    }
    close(out[0]);
    if (timed_out || too_long || st != EP_OK) {
        kill(pid, SIGKILL);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (st != EP_OK) {
        ep_strbuf_release(&sb);
        return st;
    }
    if (sb.failed) {
        ep_strbuf_release(&sb);
        return ep_fail_nomem(err);
    }
    if (timed_out) {
        *why = ep_arena_printf(a, "the reader took longer than %.0f s",
                               EP_DWARF_WALL_SECONDS);
    } else if (too_long) {
        *why = ep_arena_printf(a, "the reader wrote more than %u bytes",
                               EP_DWARF_RECORDS_MAX);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        *why = ep_arena_printf(
            a, "the reader (libdwarf) died of signal %d (%s)%s", sig,
            strsignal(sig), sig == SIGXCPU ? ": CPU time limit" : "");
    } else if (sb.data != NULL && memchr(sb.data, '\0', sb.len) != NULL) {
        /* The records are text: a NUL byte would end the parse early and
         * leave what follows it unread. */
        *why = ep_arena_strdup(a, "garbage from the reader (a NUL byte)");
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* A sanitizer's report of a libdwarf double free ends here too. */
        *why = ep_arena_printf(a,
                               "the reader (libdwarf) failed with exit "
                               "status %d",
                               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    if (*why != NULL || sb.data == NULL) {
        ep_strbuf_release(&sb);
        if (*why == NULL) {
            *why = ep_arena_strdup(a, "the reader wrote nothing");
        }
        return *why ? EP_OK : ep_fail_nomem(err);
    }
    *records = ep_strbuf_take(&sb);
    return EP_OK;
}
