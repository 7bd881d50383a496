/*
 * File-system reads for the importer: stat-based tests that behave like
 * CPython's _path_isfile/_path_isdir, bounded whole-file reads, sorted
 * directory listings and lexical path helpers. No symlink is followed
 * anywhere a loop could make a walk endless: callers recurse with lstat.
 */
#include "importer/importer.h"
#include "util/error.h"
#include "util/arena.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool
ep_fs_isdir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
ep_fs_isfile(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool
ep_fs_isdir_nofollow(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int64_t
ep_fs_mtime(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return -1;
    }
    return (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

ep_status
ep_fs_read(ep_arena *a, const char *path, size_t cap, char **out, size_t *len,
           bool *truncated, ep_error *err)
{
    ep_status st = EP_OK;
    struct stat sb;
    *out = NULL;
    *len = 0;
    if (truncated != NULL) {
        *truncated = false;
    }
    /* O_NONBLOCK: a FIFO named like a metadata file must not hang us. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return ep_fail_errno(err, errno, "%s", path);
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = ep_fail(err, EP_ERR_IO, "%s: not a regular file", path);
        goto out;
    }
    size_t want = (uint64_t)sb.st_size > cap ? cap : (size_t)sb.st_size;
    char *buf = ep_arena_alloc(a, want + 1);
    if (buf == NULL) {
        st = ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            st = ep_fail_errno(err, errno, "%s", path);
            goto out;
        }
        if (n == 0) {
            break;
        }
        got += (size_t)n;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    if (truncated != NULL) {
        *truncated = (uint64_t)sb.st_size > cap;
    }
out:
    close(fd);
    return st;
}

static int
cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

ep_status
ep_fs_list(ep_arena *a, const char *dir, ep_dirlist *out, ep_error *err)
{
    return ep_fs_list_matching(a, dir, NULL, NULL, out, err);
}

ep_status
ep_fs_list_matching(ep_arena *a, const char *dir,
                    bool (*keep)(const char *, const void *), const void *arg,
                    ep_dirlist *out, ep_error *err)
{
    ep_strvec names = {0};
    memset(out, 0, sizeof(*out));
    DIR *d = opendir(dir);
    if (d == NULL) {
        out->sys_errno = errno;
        return EP_OK;
    }
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
            (keep != NULL && !keep(de->d_name, arg))) {
            continue;
        }
        if (names.count >= EP_DIR_MAX_ENTRIES) {
            out->partial = true;
            break;
        }
        /* The entry's type (d_type) in the byte before its name: whether
         * an entry is a directory is then known without a stat() (a
         * site-packages holds one dist-info per distribution). */
        size_t len = strlen(de->d_name);
        char *copy = ep_arena_alloc_uninit(a, len + 2);
        if (copy != NULL) {
            copy[0] = (char)de->d_type;
            memcpy(copy + 1, de->d_name, len + 1);
            copy++;
        }
        if (copy == NULL || !ep_strvec_push(a, &names, copy)) {
            closedir(d);
            return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", dir);
        }
    }
    closedir(d);
    if (names.count > 1) {
        qsort(names.items, names.count, sizeof(*names.items), cmp_str);
    }
    out->names = names.items;
    out->count = names.count;
    return EP_OK;
}

bool
ep_fs_listed_isdir(ep_arena *a, const ep_dirlist *dl, const char *dir, size_t i)
{
    unsigned char type = (unsigned char)dl->names[i][-1];
    if (type == DT_DIR) {
        return true;
    }
    if (type != DT_UNKNOWN && type != DT_LNK) {
        return false;
    }
    /* A symbolic link (followed, as stat does), or a file system that
     * does not say. */
    const char *full = ep_path_join(a, dir, dl->names[i]);
    return full != NULL && ep_fs_isdir(full);
}

const char *
ep_path_join(ep_arena *a, const char *dir, const char *name)
{
    /* Called for every entry of a directory listed: no printf. */
    size_t n = strlen(dir), m = strlen(name);
    bool slash = !(n > 0 && dir[n - 1] == '/');
    char *p = ep_arena_alloc_uninit(a, n + slash + m + 1);
    if (p != NULL) {
        memcpy(p, dir, n);
        p[n] = '/';
        memcpy(p + n + slash, name, m + 1);
    }
    return p;
}

const char *
ep_path_dirname(ep_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return ".";
    }
    if (slash == path) {
        return "/";
    }
    return ep_arena_strndup(a, path, (size_t)(slash - path));
}

bool
ep_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    if (strncmp(path, dir, n) != 0) {
        return false;
    }
    return path[n] == '\0' || path[n] == '/' || (n == 1 && dir[0] == '/');
}

const char *
ep_path_normalize(ep_arena *a, const char *path)
{
    size_t len = strlen(path);
    char *out = ep_arena_alloc(a, len + 2);
    if (out == NULL) {
        return NULL;
    }
    bool abs = path[0] == '/';
    size_t o = 0;
    const char *p = path;
    /* Segment stack as offsets into out: ".." pops one (lexically, as
     * os.path.normpath does; the walk never resolves symlinks here). */
    while (*p != '\0') {
        while (*p == '/') {
            p++;
        }
        const char *s = p;
        while (*p != '\0' && *p != '/') {
            p++;
        }
        size_t n = (size_t)(p - s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            continue;
        }
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            size_t cut = o;
            while (cut > 0 && out[cut - 1] != '/') {
                cut--;
            }
            bool can_pop = o > 0 && !(o - cut == 2 && out[cut] == '.' &&
                                      out[cut + 1] == '.');
            if (can_pop) {
                o = cut > 0 ? cut - 1 : 0;
                continue;
            }
            if (abs) {
                continue; /* "/.." is "/" */
            }
        }
        if (o > 0) {
            out[o++] = '/';
        }
        memcpy(out + o, s, n);
        o += n;
    }
    out[o] = '\0';
    if (abs) {
        char *r = ep_arena_alloc(a, o + 2);
        if (r == NULL) {
            return NULL;
        }
        r[0] = '/';
        memcpy(r + 1, out, o + 1);
        return r;
    }
    return o ? out : ".";
}
