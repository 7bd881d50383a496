/*
 * Helpers of the loader tests (tests/unit/loader_*.c): run the emulation on
 * a fixture of tests/fixtures/loader/build.py, look up what it found, and
 * ask the real loader about the same file. Two oracles: glibc's trace mode
 * (LD_TRACE_LOADED_OBJECTS=1 ld.so FILE, which is what ldd runs) and the
 * stand-in interpreter exe/fxdlopen, which dlopen()s the file for real in a
 * child process.
 */
#ifndef LOADER_ORACLE_H
#define LOADER_ORACLE_H

#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RTLD "/lib64/ld-linux-x86-64.so.2"

static inline void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

/* <build>/tests/fixtures/loader/tree/<rel>, in a rotating static buffer so
 * a few can be used in one expression. */
static inline const char *
fx(const char *rel)
{
    static char bufs[8][4096];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof(bufs[0]), "%s/loader/tree/%s", EP_FIXTURE_DIR, rel);
    return b;
}

/* Options for the tests: standalone unless a python is given, no
 * LD_LIBRARY_PATH unless given (the test runner's must not leak in). */
static inline ep_deps_options
opts(const char *python, const char *llp)
{
    ep_deps_options o;
    ep_deps_options_init(&o);
    o.python = python;
    o.ld_library_path = llp ? llp : "";
    return o;
}

static inline ep_deps *
analyze(const char *rel, const ep_deps_options *o)
{
    ep_deps *d = NULL;
    ep_error err;
    ep_status st = ep_deps_analyze(fx(rel), o, &d, &err);
    cr_assert(eq(int, st, EP_OK), "%s: %s", rel, err.message);
    return d;
}

static inline ep_deps *
standalone(const char *rel)
{
    ep_deps_options o = opts(NULL, NULL);
    return analyze(rel, &o);
}

/* The library entry for a needed name, or NULL. */
static inline const ep_deps_lib *
lib_named(const ep_deps *d, const char *name)
{
    for (size_t i = 0; i < ep_deps_library_count(d); i++) {
        const ep_deps_lib *l = ep_deps_library(d, i);
        if (strcmp(l->name, name) == 0) {
            return l;
        }
    }
    return NULL;
}

static inline const ep_deps_lib *
must_have(const ep_deps *d, const char *name)
{
    const ep_deps_lib *l = lib_named(d, name);
    cr_assert(l != NULL, "no entry for %s", name);
    return l;
}

/* Run argv with extra environment (NAME=VALUE or NULL), stdout and stderr
 * captured; returns the text (caller frees). */
static inline char *
run_capture(const char *const *argv, const char *env1)
{
    int fds[2];
    cr_assert(pipe(fds) == 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        unsetenv("LD_LIBRARY_PATH");
        unsetenv("LD_PRELOAD");
        if (env1 != NULL) {
            putenv((char *)env1);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    cr_assert(out != NULL);
    ssize_t n;
    while ((n = read(fds[0], out + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            cap *= 2;
            out = realloc(out, cap);
            cr_assert(out != NULL);
        }
    }
    out[len] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    return out;
}

/* What the real loader's trace mode says about file: the output of
 * `LD_TRACE_LOADED_OBJECTS=1 ld.so FILE`, which is what ldd runs. */
static inline char *
real_trace(const char *file, const char *llp)
{
    static char env[8192];
    snprintf(env, sizeof(env), "LD_LIBRARY_PATH=%s", llp ? llp : "");
    const char *argv[] = {
        "/usr/bin/env", "LD_TRACE_LOADED_OBJECTS=1", env, RTLD, file, NULL};
    return run_capture(argv, NULL);
}

/* True when the trace has "\tname => path (" for that path. */
static inline bool
trace_found(const char *trace, const char *name, const char *path)
{
    char want[8192];
    snprintf(want, sizeof(want), "\t%s => %s (", name, path);
    return strstr(trace, want) != NULL;
}

static inline bool
trace_not_found(const char *trace, const char *name)
{
    char want[1024];
    snprintf(want, sizeof(want), "\t%s => not found", name);
    return strstr(trace, want) != NULL;
}

/* dlopen() of file by the stand-in interpreter exe/fxdlopen: "ok\n..." or
 * "error: <dlerror()>\n". */
static inline char *
real_dlopen(const char *file)
{
    const char *argv[] = {fx("exe/fxdlopen"), file, NULL};
    return run_capture(argv, NULL);
}

#endif
