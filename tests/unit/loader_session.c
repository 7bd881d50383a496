/*
 * Sessions: several files analysed with what one emulated process computes
 * once (the interpreter, the hwcaps, the cache, each file read once) must
 * give each file exactly the tree a fresh analysis gives it, trees must
 * outlive their session, and a script interpreter is asked only once.
 */
#include "loader_oracle.h"

#include <stdint.h>
#include <sys/stat.h>

static const char *const files[] = {
    "rpath/mod_rpath.so",       "missing/mod_missing.so",
    "versions/mod_glibc99.so",  "versions/mod_fxv.so",
    "undef/mod_undef.so",       "wrongclass/mod_wrong.so",
    "origin/pkg/mod_origin.so", "cycle/mod_cycle.so",
    "origin/pkg3/mod_plat.so",  "exe/mod_exe.so",
    "rpath/mod_rpath.so",       "badelf/mod_bad.so",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char *
json_of(const ep_deps *d)
{
    ep_error err;
    char *j = ep_deps_json(d, &err);
    cr_assert(j != NULL, "%s", err.message);
    return j;
}

/* Every file of the list, in one session and each alone: same JSON. */
static void
same_as_fresh(const ep_deps_options *o)
{
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(o, &s, &err), EP_OK), "%s",
              err.message);
    for (size_t i = 0; i < NFILES; i++) {
        cr_assert(eq(int, access(fx(files[i]), F_OK), 0), "%s", files[i]);
        ep_deps *in = NULL, *alone = NULL;
        cr_assert(
            eq(int, ep_deps_session_analyze(s, fx(files[i]), &in, &err), EP_OK),
            "%s", err.message);
        cr_assert(
            eq(int, ep_deps_analyze(fx(files[i]), o, &alone, &err), EP_OK),
            "%s", err.message);
        char *a = json_of(in), *b = json_of(alone);
        cr_assert(eq(str, a, b), "%s differs in a session", files[i]);
        ep_free(a);
        ep_free(b);
        ep_deps_free(in);
        ep_deps_free(alone);
    }
    ep_deps_session_free(s);
}

Test(loader, session_gives_each_file_the_tree_a_fresh_analysis_gives)
{
    ep_deps_options o = opts(NULL, NULL);
    same_as_fresh(&o);
}

Test(loader, session_with_an_interpreter_gives_the_same_trees)
{
    /* fx() reuses its buffers: the interpreter needs a copy that stays. */
    char *python = strdup(fx("exe/fxdlopen"));
    ep_deps_options o = opts(python, NULL);
    same_as_fresh(&o);
    free(python);
}

Test(loader, session_without_symbols_gives_the_same_trees)
{
    ep_deps_options o = opts(NULL, "/nonexistent-dir");
    o.symbols = false;
    same_as_fresh(&o);
}

Test(loader, trees_outlive_their_session)
{
    ep_deps_options o = opts(NULL, NULL);
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_OK));
    ep_deps *a = NULL, *b = NULL;
    cr_assert(eq(
        int, ep_deps_session_analyze(s, fx("missing/mod_missing.so"), &a, &err),
        EP_OK));
    cr_assert(
        eq(int,
           ep_deps_session_analyze(s, fx("versions/mod_glibc99.so"), &b, &err),
           EP_OK));
    char *before = json_of(a);
    ep_deps_session_free(s);
    /* Everything the trees show still reads the same. */
    char *after = json_of(a);
    cr_assert(eq(str, before, after));
    const ep_deps_lib *gone = must_have(a, "libfxl_gone.so.1");
    cr_assert(gone->path == NULL);
    cr_assert(gone->ntried > 0);
    cr_assert(eq(sz, ep_deps_missing_version_count(b), 1));
    assert_str_eq(ep_deps_missing_version(b, 0)->version, "GLIBC_2.99");
    assert_str_eq(ep_deps_unresolved(b, 0)->name, "fxc_new");
    ep_free(before);
    ep_free(after);
    ep_deps_free(b);
    ep_deps_free(a);
}

Test(loader, session_asks_a_script_interpreter_once)
{
    /* A shim like pyenv's: a shell script that runs the real python. This
     * one also counts its runs. */
    char dir[] = "/tmp/ep-session-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char shim[256], log[256];
    snprintf(shim, sizeof(shim), "%s/python3", dir);
    snprintf(log, sizeof(log), "%s/runs", dir);
    FILE *f = fopen(shim, "w");
    cr_assert(f != NULL);
    fprintf(f, "#!/bin/sh\necho run >> '%s'\nexec /usr/bin/python3 \"$@\"\n",
            log);
    fclose(f);
    cr_assert(eq(int, chmod(shim, 0755), 0));
    ep_deps_options o = opts(shim, NULL);
    ep_deps_session *s = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_OK), "%s",
              err.message);
    for (int i = 0; i < 3; i++) {
        ep_deps *d = NULL;
        cr_assert(eq(
            int, ep_deps_session_analyze(s, fx("rpath/mod_rpath.so"), &d, &err),
            EP_OK));
        cr_assert(ep_deps_interpreter(d) != NULL);
        ep_deps_free(d);
    }
    ep_deps_session_free(s);
    char buf[256] = "";
    f = fopen(log, "r");
    cr_assert(f != NULL);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    cr_assert(strcmp(buf, "run\n") == 0, "the shim ran: %s", buf);
    unlink(log);
    unlink(shim);
    rmdir(dir);
}

Test(loader, session_rejects_null_arguments)
{
    ep_error err;
    ep_deps *d = (ep_deps *)(uintptr_t)1;
    cr_assert(eq(int, ep_deps_session_analyze(NULL, "x", &d, &err),
                 EP_ERR_INVALID_ARG));
    cr_assert(
        eq(int, ep_deps_session_new(NULL, NULL, &err), EP_ERR_INVALID_ARG));
    ep_deps_session_free(NULL);
}
