/*
 * Bad input never crashes or hangs the emulation: unreadable directories, a
 * FIFO or a directory where a library should be, thousands of search path
 * entries, a missing or non-ELF file, bad arguments. Where the real loader
 * has a verdict it is checked too. (Symlink loops, overlong RPATH entries,
 * DT_NEEDED cycles: loader_search.c; damaged caches: loader_cache.c.)
 */
#include "loader_oracle.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

static char tmpdir[64];

/* A scratch tree: <tmp>/locked (mode 0) and <tmp>/open/libfxl_mid.so. */
static void
make_tree(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/ep-loader-XXXXXX");
    cr_assert(mkdtemp(tmpdir) != NULL);
    cr_assert(chmod(tmpdir, 0755) == 0);
    char p[256], cmd[1024];
    snprintf(p, sizeof(p), "%s/locked", tmpdir);
    cr_assert(mkdir(p, 0700) == 0);
    snprintf(cmd, sizeof(cmd), "cp %s %s/libfxl_mid.so && chmod 0 %s",
             fx("rpath/dep/libfxl_mid.so"), p, p);
    cr_assert(system(cmd) == 0);
    snprintf(p, sizeof(p), "%s/open", tmpdir);
    cr_assert(mkdir(p, 0755) == 0);
    snprintf(cmd, sizeof(cmd), "cp %s %s/libfxl_mid.so",
             fx("rpath/dep/libfxl_mid.so"), p);
    cr_assert(system(cmd) == 0);
}

static void
remove_tree(void)
{
    char cmd[256];
    /* Back to root when the test dropped to nobody (the shell of
     * system() would not run privileged with two different user ids). */
    if (getuid() != 0 && setresuid(0, 0, 0) != 0) {
        cr_log_info("not root: the tree is ours anyway");
    }
    snprintf(cmd, sizeof(cmd), "chmod -R u+rwx %s; rm -rf %s", tmpdir, tmpdir);
    if (system(cmd) != 0) {
        cr_log_warn("could not remove %s", tmpdir);
    }
}

Test(loader, unreadable_directory_is_passed_as_ld_so_passes_it,
     .init = make_tree, .fini = remove_tree)
{
    /* As root nothing is unreadable: become nobody in this test's own
     * process (Criterion forks one per test), keeping root as the saved
     * user id so that .fini can clean up. */
    if (geteuid() == 0 && setresuid(65534, 65534, 0) != 0) {
        cr_skip_test("cannot drop root privileges");
    }
    char llp[256];
    snprintf(llp, sizeof(llp), "%s/locked:%s/open", tmpdir, tmpdir);
    ep_deps_options o = opts(NULL, llp);
    ep_deps *d = analyze("rpath/mod_runpath.so", &o);
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    char want[256];
    snprintf(want, sizeof(want), "%s/open/libfxl_mid.so", tmpdir);
    assert_str_eq(mid->path, want);
    cr_assert(eq(int, mid->how, EP_DEPS_LD_LIBRARY_PATH));
    cr_assert(eq(sz, mid->ntried, 2));
    cr_assert(mid->nskipped >= 1);
    assert_str_eq(mid->skipped[0].why, "permission denied");
    char *t = real_trace(fx("rpath/mod_runpath.so"), llp);
    cr_assert(trace_found(t, "libfxl_mid.so", want), "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, a_fifo_where_a_library_should_be_does_not_hang, .init = make_tree,
     .fini = remove_tree, .timeout = 10)
{
    char p[256], llp[256];
    snprintf(p, sizeof(p), "%s/open/libfxl_mid.so", tmpdir);
    cr_assert(unlink(p) == 0);
    cr_assert(mkfifo(p, 0644) == 0);
    snprintf(llp, sizeof(llp), "%s/open", tmpdir);
    ep_deps_options o = opts(NULL, llp);
    ep_deps *d = analyze("rpath/mod_runpath.so", &o);
    const ep_deps_lib *mid = must_have(d, "libfxl_mid.so");
    cr_assert(mid->error != NULL); /* ld.so would block in open(); refused */
    ep_deps_free(d);
}

Test(loader, a_directory_named_like_a_library_is_refused, .init = make_tree,
     .fini = remove_tree)
{
    char p[256], llp[256];
    snprintf(p, sizeof(p), "%s/open/libfxl_mid.so", tmpdir);
    cr_assert(unlink(p) == 0);
    cr_assert(mkdir(p, 0755) == 0);
    snprintf(llp, sizeof(llp), "%s/open", tmpdir);
    ep_deps_options o = opts(NULL, llp);
    ep_deps *d = analyze("rpath/mod_runpath.so", &o);
    const char *e = must_have(d, "libfxl_mid.so")->error;
    cr_assert(e != NULL && strstr(e, "cannot read file data") != NULL, "%s",
              e ? e : "(none)");
    char *t = real_trace(fx("rpath/mod_runpath.so"), llp);
    cr_assert(strstr(t, "cannot read file data") != NULL, "%s", t);
    free(t);
    ep_deps_free(d);
}

Test(loader, thousands_of_search_path_entries_stay_bounded, .timeout = 30)
{
    /* 20000 distinct nonexistent directories and empty entries: the walk
     * is capped with a note instead of taking minutes. */
    size_t n = 20000;
    char *llp = malloc(n * 16);
    cr_assert(llp != NULL);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        len += (size_t)sprintf(llp + len, "/nx%zu::", i);
    }
    ep_deps_options o = opts(NULL, llp);
    ep_deps *d = analyze("rpath/mod_runpath.so", &o);
    cr_assert(must_have(d, "libfxl_mid.so")->path != NULL);
    ep_strlist notes = ep_deps_notes(d);
    bool capped = false;
    for (size_t i = 0; i < notes.count; i++) {
        capped |= strstr(notes.items[i], "entries; only the first") != NULL;
    }
    cr_assert(capped);
    ep_deps_free(d);
    free(llp);
}

Test(loader, a_missing_root_file_is_a_result_not_a_failure)
{
    ep_deps_options o = opts(NULL, NULL);
    ep_deps *d = NULL;
    ep_error err;
    cr_assert(
        eq(int, ep_deps_analyze("/nonexistent/mod.so", &o, &d, &err), EP_OK));
    cr_assert(ep_deps_root(d)->error != NULL);
    cr_assert(strstr(ep_deps_root(d)->error, "No such file") != NULL);
    cr_assert(not(ep_deps_ok(d)));
    cr_assert(eq(sz, ep_deps_library_count(d), 0));
    ep_deps_free(d);
}

Test(loader, bad_arguments_are_errors_and_free_accepts_null)
{
    ep_deps *d = (ep_deps *)1;
    ep_error err;
    cr_assert(
        eq(int, ep_deps_analyze(NULL, NULL, &d, &err), EP_ERR_INVALID_ARG));
    cr_assert(
        eq(int, ep_deps_analyze("x", NULL, NULL, &err), EP_ERR_INVALID_ARG));
    ep_deps_free(NULL);
    cr_assert(ep_deps_library(NULL, 0) == NULL);
    cr_assert(eq(sz, ep_deps_library_count(NULL), 0));
    cr_assert(not(ep_deps_ok(NULL)));
    cr_assert(ep_deps_json(NULL, &err) == NULL);
    assert_str_eq(ep_deps_how_str(EP_DEPS_LD_SO_CACHE), "ld.so.cache");
    assert_str_eq(ep_deps_how_str((ep_deps_how)99), "not-found");
}

Test(loader, json_has_the_contract_keys)
{
    ep_deps *d = standalone("missing/mod_missing.so");
    ep_error err;
    char *j = ep_deps_json(d, &err);
    cr_assert(j != NULL, "%s", err.message);
    static const char *const keys[] = {
        "\"schema\": 1",          "\"file\":",
        "\"libraries\":",         "\"name\":",
        "\"path\": null",         "\"how\": null",
        "\"needed_by\":",         "\"tried\":",
        "\"skipped\":",           "\"missing_versions\":",
        "\"unresolved_symbols\":"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        cr_assert(strstr(j, keys[i]) != NULL, "no %s in\n%s", keys[i], j);
    }
    ep_free(j);
    ep_deps_free(d);
}

/* The tables of a library are read with pread, never through a mapping: a
 * library truncated while a session holds it (a package upgrade under a
 * long scan) gives a result, where touching a mapped page past the new end
 * of file kills the process with SIGBUS. A copy of libz is truncated after
 * libelf's references were bound in it; libdw then looks up gz* symbols
 * there, which no earlier lookup touched (the session remembers answers). */
Test(loader, a_library_truncated_during_a_session_is_no_crash, .timeout = 30)
{
    const char *first = "/usr/lib/x86_64-linux-gnu/libelf.so.1";
    const char *second = "/usr/lib/x86_64-linux-gnu/libdw.so.1";
    if (access(first, R_OK) != 0 || access(second, R_OK) != 0) {
        cr_skip_test("libelf.so.1 or libdw.so.1 (elfutils) missing");
    }
    char dir[] = "/tmp/ep-trunc-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char cmd[4300], lib[4200];
    snprintf(lib, sizeof(lib), "%s/libz.so.1", dir);
    snprintf(cmd, sizeof(cmd), "cp -L /lib/x86_64-linux-gnu/libz.so.1 '%s'",
             lib);
    cr_assert(eq(int, system(cmd), 0));
    ep_deps_options o = opts(NULL, dir); /* LD_LIBRARY_PATH: the copy */
    ep_deps_session *s = NULL;
    ep_deps *d = NULL;
    ep_error err;
    cr_assert(eq(int, ep_deps_session_new(&o, &s, &err), EP_OK));
    cr_assert(eq(int, ep_deps_session_analyze(s, first, &d, &err), EP_OK));
    cr_assert(ep_deps_ok(d), "libelf loads with the copy of libz");
    ep_deps_free(d);
    /* Same inode, nothing left. */
    cr_assert(eq(int, truncate(lib, 0), 0));
    cr_assert(eq(int, ep_deps_session_analyze(s, second, &d, &err), EP_OK),
              "%s", err.message);
    cr_assert(ep_deps_root(d) != NULL);
    ep_deps_free(d);
    ep_deps_session_free(s);
    /* A fresh analysis sees the empty library and says so. */
    cr_assert(eq(int, ep_deps_analyze(first, &o, &d, &err), EP_OK));
    cr_assert(not(ep_deps_ok(d)), "an empty libz.so.1 cannot load");
    ep_deps_free(d);
    unlink(lib);
    rmdir(dir);
}
