/*
 * Leaving no process behind: what a child of the target interpreter started
 * (a sitecustomize daemon, a server an import spawned) is found and killed
 * when the run ends. Two nets: the child's process group, and -- for
 * processes that left the group with setsid() -- every process that still
 * holds one of the run's pipes, found through /proc/PID/fd. Linux only;
 * without /proc the second net finds nothing.
 */
#include "interp/interp.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Whether process pid has an fd open on one of the pipes. */
static bool
holds_pipe(const char *pid, const unsigned long *inodes, size_t n)
{
    char dir[300];
    snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
    DIR *d = opendir(dir);
    if (d == NULL) {
        return false; /* gone, or not ours to look at (then not ours to kill) */
    }
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char link[64];
        ssize_t len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
        unsigned long ino;
        if (len <= 0) {
            continue;
        }
        link[len] = '\0';
        if (sscanf(link, "pipe:[%lu]", &ino) == 1) {
            for (size_t i = 0; i < n && !found; i++) {
                found = ino == inodes[i];
            }
        }
    }
    closedir(d);
    return found;
}

/* One pass over /proc: SIGKILL every other process holding a pipe. */
static size_t
kill_holders_once(const unsigned long *inodes, size_t n)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        return 0;
    }
    pid_t self = getpid();
    size_t killed = 0;
    struct dirent *e;
    while ((e = readdir(proc)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 0 || pid == (long)self) {
            continue;
        }
        /* The write ends are close-on-exec here and went only to our child:
         * whoever else holds one descends from it. */
        if (holds_pipe(e->d_name, inodes, n) &&
            kill((pid_t)pid, SIGKILL) == 0) {
            killed++;
        }
    }
    closedir(proc);
    return killed;
}

void
ep_child_kill_all(pid_t pgid, const unsigned long *inodes, size_t n)
{
    /* The group first: the leader is not reaped yet, so pgid still names
     * this group and no other. */
    kill(-pgid, SIGKILL);
    if (n == 0) {
        return;
    }
    /* A holder may fork while it is being killed: a few passes, until one
     * finds nobody. A SIGKILLed process keeps its fds until it has exited,
     * hence the short pause between passes. */
    for (int pass = 0; pass < 20 && kill_holders_once(inodes, n) > 0; pass++) {
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
        kill(-pgid, SIGKILL);
    }
}
