/*
 * The interpreter the user named, as an absolute path, resolved the way a
 * shell would from the caller's working directory -- before the child
 * changes to -C DIR, where a relative name would mean another file (or one
 * of the project's own).
 */
#include "interp/interp.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* dir/name made absolute against the working directory (an empty dir is
 * the working directory, as an empty PATH element is); NULL on error. */
static char *
absolute_in(const char *dir, size_t dirlen, const char *name)
{
    char cwd[PATH_MAX] = "";
    if ((dirlen == 0 || dir[0] != '/') && getcwd(cwd, sizeof(cwd)) == NULL) {
        return NULL;
    }
    size_t n = strlen(cwd) + 1 + dirlen + 1 + strlen(name) + 1;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s%s%.*s/%s", cwd, cwd[0] && dirlen ? "/" : "",
                 (int)dirlen, dir, name);
    }
    return p;
}

static bool
is_executable_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
           access(path, X_OK) == 0;
}

char *
ep_which(const char *name)
{
    if (strchr(name, '/') != NULL) {
        return name[0] == '/' ? strdup(name) : absolute_in("", 0, name);
    }
    const char *path = getenv("PATH");
    if (path == NULL) {
        path = "/usr/local/bin:/usr/bin:/bin"; /* glibc's execvp default */
    }
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *cand = absolute_in(p, len, name);
        if (cand == NULL) {
            return NULL;
        }
        if (is_executable_file(cand)) {
            return cand;
        }
        free(cand);
        if (end == NULL) {
            break;
        }
        p = end;
    }
    errno = ENOENT;
    return NULL;
}
