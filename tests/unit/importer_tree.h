/*
 * Test helpers for the importer and findings suites: real directory trees
 * in a temporary directory, and interpreter facts written in facts.py's
 * record format (so ep_interp_from_records() builds the same ep_interp a
 * real interpreter would). Each Criterion test runs in its own process;
 * tree_rm() removes what a test made.
 */
#ifndef EP_TEST_IMPORTER_TREE_H
#define EP_TEST_IMPORTER_TREE_H

#include "interp/interp.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static inline void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

static inline void
assert_contains(const char *hay, const char *needle)
{
    cr_assert(hay != NULL && strstr(hay, needle) != NULL,
              "\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

/* A path under root, in static storage rotated over 8 slots. */
static inline const char *
tree_path(const char *root, const char *rel)
{
    static char slots[8][PATH_MAX];
    static int next;
    char *p = slots[next++ % 8];
    snprintf(p, PATH_MAX, "%s/%s", root, rel);
    return p;
}

static inline void
tree_mkdirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

static inline char *
tree_new(void)
{
    char tmpl[] = "/tmp/ep-unit-XXXXXX";
    char *d = mkdtemp(tmpl);
    cr_assert(d != NULL, "mkdtemp: %s", strerror(errno));
    return strdup(d);
}

static inline void
tree_dir(const char *root, const char *rel)
{
    tree_mkdirs(tree_path(root, rel));
}

static inline void
tree_file(const char *root, const char *rel, const char *content)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", tree_path(root, rel));
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    tree_mkdirs(dir);
    FILE *f = fopen(tree_path(root, rel), "w");
    cr_assert(f != NULL, "%s: %s", rel, strerror(errno));
    fputs(content, f);
    fclose(f);
}

/* Copy a real file (a fixture) into the tree under another name. */
static inline void
tree_copy(const char *root, const char *rel, const char *src)
{
    FILE *in = fopen(src, "rb");
    cr_assert(in != NULL, "%s: %s", src, strerror(errno));
    tree_file(root, rel, "");
    FILE *out = fopen(tree_path(root, rel), "wb");
    cr_assert(out != NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        fwrite(buf, 1, n, out);
    }
    fclose(in);
    fclose(out);
}

static inline void
tree_mtime(const char *root, const char *rel, time_t when)
{
    struct timespec ts[2] = {{when, 0}, {when, 0}};
    cr_assert(utimensat(AT_FDCWD, tree_path(root, rel), ts, 0) == 0);
}

static inline int
tree_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static inline void
tree_rm(char *root)
{
    nftw(root, tree_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
}

/* Facts of a CPython 3.11 on x86_64 whose sys.path is cwd = root/work,
 * then root/site (site-packages); more records may follow in extra. */
static inline char *
facts_text(const char *root, const char *extra)
{
    char *text = NULL;
    char exe[PATH_MAX];
    const char *real = realpath("/usr/bin/python3", exe);
    int n = asprintf(
        &text,
        "version\t3.11.7\nimplementation\tcpython\ncache_tag\tcpython-311\n"
        "executable\t%s\nexecutable_real\t%s\nprefix\t%s/venv\n"
        "base_prefix\t/usr\nin_venv\t1\nsoabi\tcpython-311-x86_64-linux-gnu\n"
        "multiarch\tx86_64-linux-gnu\nabiflags\t\nplatform\tlinux\n"
        "maxsize_bits\t64\nlibc\tglibc 2.36\ncwd\t%s/work\n"
        "ext_suffix\t.cpython-311-x86_64-linux-gnu.so\next_suffix\t.abi3.so\n"
        "ext_suffix\t.so\nsource_suffix\t.py\nbytecode_suffix\t.pyc\n"
        "site_dir\t%s/site\n"
        "meta_path\t_frozen_importlib.BuiltinImporter\t\n"
        "meta_path\t_frozen_importlib.FrozenImporter\t\n"
        "meta_path\t_frozen_importlib_external.PathFinder\t\n"
        "path\t\tcwd\t\npath\t%s/site\tsite-packages\t\n%s",
        real ? real : "/usr/bin/python3", real ? real : "/usr/bin/python3",
        root, root, root, root, extra ? extra : "");
    cr_assert(n > 0);
    return text;
}

static inline ep_interp *
interp_from(const char *facts)
{
    ep_interp *in = NULL;
    ep_error err;
    ep_status st =
        ep_interp_from_records("python3", facts, strlen(facts), &in, &err);
    cr_assert(st == EP_OK, "facts: %s", err.message);
    return in;
}

#endif
