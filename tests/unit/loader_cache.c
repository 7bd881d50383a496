/*
 * /etc/ld.so.cache as dl-cache.c reads it: the new format with its
 * glibc-hwcaps extension, the old ld.so-1.7.0 format, the compat layout with
 * both, the 64-bit x86-64 flag filter, the numeric name order, and every
 * kind of damage that makes ld.so ignore the file. Fixture caches are
 * written by tests/fixtures/loader/build.py and checked with `ldconfig -p`;
 * the damaged ones are made here from the good one.
 */
#include "loader_oracle.h"

#include "loader/loader.h"

#include <fcntl.h>
#include <sys/stat.h>

static ld_platform
platform_with(const char *hwcaps)
{
    ld_platform pf;
    ep_deps_options o;
    ep_deps_options_init(&o);
    o.hwcaps = hwcaps;
    static ep_arena a; /* lives as long as the test process */
    cr_assert(eq(int, ld_platform_init(&a, &pf, &o, NULL), EP_OK));
    return pf;
}

static ld_cache *
open_cache(const char *path, const char **note)
{
    static ep_arena a;
    ld_cache *c = NULL;
    cr_assert(eq(int, ld_cache_open(&a, path, &c, note, NULL), EP_OK));
    return c;
}

static char *
read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n);
    cr_assert(buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Write a damaged copy of the new-format fixture cache to a temp file. */
static const char *
damaged(void (*damage)(unsigned char *buf, size_t *len))
{
    static char path[64];
    size_t len;
    snprintf(path, sizeof(path), "/tmp/ep-loader-cache-XXXXXX");
    unsigned char *buf =
        (unsigned char *)read_file(fx("caches/new.cache"), &len);
    damage(buf, &len);
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert(write(fd, buf, len) == (ssize_t)len);
    close(fd);
    free(buf);
    return path;
}

Test(loader, cache_prefers_the_best_glibc_hwcaps_entry)
{
    const char *note = NULL;
    ld_cache *c = open_cache(fx("caches/new.cache"), &note);
    cr_assert(c != NULL);
    cr_assert(note == NULL);
    assert_str_eq(ld_cache_format(c), "new");
    ld_platform v3 = platform_with("x86-64-v3:x86-64-v2");
    assert_str_eq(ld_cache_lookup(c, "libfxq.so.1", &v3),
                  fx("caches/lib/glibc-hwcaps/x86-64-v3/libfxq.so.1"));
    ld_platform v2 = platform_with("x86-64-v2");
    assert_str_eq(ld_cache_lookup(c, "libfxq.so.1", &v2),
                  fx("caches/lib/glibc-hwcaps/x86-64-v2/libfxq.so.1"));
    ld_platform none = platform_with("");
    assert_str_eq(ld_cache_lookup(c, "libfxq.so.1", &none),
                  fx("caches/lib/libfxq.so.1"));
    ld_cache_close(c);
}

Test(loader, cache_skips_entries_of_another_abi)
{
    ld_cache *c = open_cache(fx("caches/new.cache"), &(const char *){NULL});
    ld_platform pf = platform_with("");
    /* libfxq32.so.1 is a libc6 (i386) entry: never for a 64-bit process. */
    cr_assert(ld_cache_lookup(c, "libfxq32.so.1", &pf) == NULL);
    cr_assert(ld_cache_lookup(c, "libnothere.so.1", &pf) == NULL);
    ld_cache_close(c);
}

Test(loader, cache_names_compare_numerically)
{
    /* "libfxr.so.9" < "libfxr.so.10" for ld.so; a plain strcmp binary
     * search would miss one of them in the descending table. */
    cr_assert(lt(int, ld_cache_libcmp("libfxr.so.9", "libfxr.so.10"), 0));
    cr_assert(eq(int, ld_cache_libcmp("libx.so.01", "libx.so.1"), 0));
    ld_cache *c = open_cache(fx("caches/new.cache"), &(const char *){NULL});
    ld_platform pf = platform_with("");
    cr_assert(ld_cache_lookup(c, "libfxr.so.9", &pf) != NULL);
    cr_assert(ld_cache_lookup(c, "libfxr.so.10", &pf) != NULL);
    ld_cache_close(c);
}

Test(loader, old_format_cache_is_read_with_a_note)
{
    const char *note = NULL;
    ld_cache *c = open_cache(fx("caches/old.cache"), &note);
    cr_assert(c != NULL);
    assert_str_eq(ld_cache_format(c), "old");
    cr_assert(note != NULL && strstr(note, "old format") != NULL);
    ld_platform pf = platform_with("x86-64-v2");
    assert_str_eq(ld_cache_lookup(c, "libfxq.so.1", &pf),
                  fx("caches/lib/libfxq.so.1"));
    ld_cache_close(c);
}

Test(loader, compat_cache_uses_its_new_format_part)
{
    const char *note = NULL;
    ld_cache *c = open_cache(fx("caches/oldnew.cache"), &note);
    cr_assert(c != NULL);
    assert_str_eq(ld_cache_format(c), "old+new");
    ld_platform pf = platform_with("x86-64-v3:x86-64-v2");
    assert_str_eq(ld_cache_lookup(c, "libfxq.so.1", &pf),
                  fx("caches/lib/glibc-hwcaps/x86-64-v3/libfxq.so.1"));
    ld_cache_close(c);
}

Test(loader, fixture_caches_read_by_ldconfig_as_written)
{
    if (access("/sbin/ldconfig", X_OK) != 0) {
        cr_skip_test("no /sbin/ldconfig");
    }
    const char *argv[] = {"/sbin/ldconfig", "-p", "-C", fx("caches/new.cache"),
                          NULL};
    char *out = run_capture(argv, NULL);
    cr_assert(strstr(out, "7 libs found") != NULL, "%s", out);
    cr_assert(strstr(out, "hwcap: \"x86-64-v3\"") != NULL, "%s", out);
    free(out);
}

Test(loader, cache_lookup_finds_a_library_without_search_path)
{
    ep_deps_options o = opts(NULL, NULL);
    o.ld_so_cache = fx("caches/new.cache");
    o.hwcaps = "";
    ep_deps *d = analyze("caches/mod_cache.so", &o);
    const ep_deps_lib *q = must_have(d, "libfxq.so.1");
    assert_str_eq(q->path, fx("caches/lib/libfxq.so.1"));
    cr_assert(eq(int, q->how, EP_DEPS_LD_SO_CACHE));
    /* With this cache libc.so.6 is not in any cache: the default
     * directories find it. */
    cr_assert(eq(int, must_have(d, "libc.so.6")->how, EP_DEPS_DEFAULT));
    ep_deps_free(d);
}

static void
bad_magic(unsigned char *b, size_t *len)
{
    (void)len;
    b[0] = 'X';
}

static void
too_many_entries(unsigned char *b, size_t *len)
{
    (void)len;
    uint32_t n = 0x10000000;
    memcpy(b + 20, &n, 4);
}

static void
other_byte_order(unsigned char *b, size_t *len)
{
    (void)len;
    b[28] = 3; /* cache_file_new_flags_endian_big */
}

static void
cut_short(unsigned char *b, size_t *len)
{
    (void)b;
    *len = 30;
}

static void
bogus_key(unsigned char *b, size_t *len)
{
    /* Every entry's key points past the end: search_cache gives up. */
    uint32_t nlibs;
    memcpy(&nlibs, b + 20, 4);
    for (uint32_t i = 0; i < nlibs; i++) {
        uint32_t key = 0xfffffff0u;
        memcpy(b + 48 + 24 * i + 4, &key, 4);
    }
    (void)len;
}

static void
bad_extension(unsigned char *b, size_t *len)
{
    uint32_t ext;
    memcpy(&ext, b + 32, 4);
    cr_assert(ext != 0 && ext + 4 <= *len);
    b[ext] ^= 0xff; /* the extension magic */
}

Test(loader, damaged_caches_are_ignored_as_ld_so_ignores_them)
{
    void (*damage[])(unsigned char *, size_t *) = {bad_magic, too_many_entries,
                                                   other_byte_order, cut_short};
    for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
        const char *note = NULL;
        const char *p = damaged(damage[i]);
        ld_cache *c = open_cache(p, &note);
        cr_assert(c == NULL, "damage %zu accepted", i);
        cr_assert(note != NULL && strstr(note, "ignores it") != NULL,
                  "damage %zu: %s", i, note ? note : "(no note)");
        /* The whole emulation goes on without the cache, and says so. */
        ep_deps_options o = opts(NULL, NULL);
        o.ld_so_cache = p;
        ep_deps *d = analyze("rpath/mod_rpath.so", &o);
        cr_assert(ep_deps_ok(d));
        cr_assert(eq(sz, ep_deps_notes(d).count, 1));
        ep_deps_free(d);
        unlink(p);
    }
}

Test(loader, bogus_offsets_find_nothing_and_never_crash)
{
    const char *p = damaged(bogus_key);
    ld_cache *c = open_cache(p, &(const char *){NULL});
    cr_assert(c != NULL);
    ld_platform pf = platform_with("x86-64-v2");
    cr_assert(ld_cache_lookup(c, "libfxq.so.1", &pf) == NULL);
    ld_cache_close(c);
    unlink(p);
}

Test(loader, a_broken_hwcaps_extension_only_loses_the_hwcaps_entries)
{
    const char *p = damaged(bad_extension);
    ld_cache *c = open_cache(p, &(const char *){NULL});
    cr_assert(c != NULL);
    ld_platform pf = platform_with("x86-64-v3:x86-64-v2");
    assert_str_eq(ld_cache_lookup(c, "libfxq.so.1", &pf),
                  fx("caches/lib/libfxq.so.1"));
    ld_cache_close(c);
    unlink(p);
}

Test(loader, missing_cache_is_silent_and_unreadable_cache_is_noted)
{
    const char *note = "unset";
    cr_assert(open_cache("/nonexistent/ld.so.cache", &note) == NULL);
    cr_assert(note == NULL);
    cr_assert(open_cache("/", &note) == NULL); /* a directory */
    cr_assert(note != NULL);
    cr_assert(open_cache("/dev/null", &note) == NULL);
    cr_assert(note != NULL);
}
