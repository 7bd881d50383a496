/*
 * The wheel auditor's pure parts: RECORD digests (NIST FIPS 180-2 test
 * vectors, and the urlsafe-base64 form PEP 427 writes, checked against
 * Python's hashlib+base64 output for the same bytes), RECORD's CSV, wheel
 * file names and compressed tag sets (PEP 425/427), platform tags
 * (PEP 513/571/599/600/656), which tags a target accepts (packaging.tags'
 * cpython_tags and compatible_tags rules), and the policy tables
 * (auditwheel's manylinux-policy.json values).
 */
#include "wheel/wheel.h"

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <string.h>

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

static ep_arena arena;

static void
setup(void)
{
    ep_arena_init(&arena);
}

static void
teardown(void)
{
    ep_arena_release(&arena);
}

TestSuite(wheel, .init = setup, .fini = teardown);

Test(wheel, sha2_matches_the_fips_180_2_vectors)
{
    assert_str_eq(
        ep_hash_hex("sha256", "abc", 3, &arena),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_str_eq(
        ep_hash_hex("sha256", "", 0, &arena),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *two =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_str_eq(
        ep_hash_hex("sha256", two, strlen(two), &arena),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_str_eq(
        ep_hash_hex("sha384", "abc", 3, &arena),
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
        "8086072ba1e7cc2358baeca134c825a7");
    assert_str_eq(
        ep_hash_hex("sha512", "abc", 3, &arena),
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    cr_assert(ep_hash_new("md5") == NULL, "md5 is not a RECORD algorithm");
}

Test(wheel, record_digest_is_urlsafe_base64_without_padding)
{
    /* python3 -c "import hashlib,base64; print(base64.urlsafe_b64encode(
     *   hashlib.sha256(b'').digest()).rstrip(b'=').decode())" */
    ep_hash *h = ep_hash_new("sha256");
    assert_str_eq(ep_hash_finish(h, &arena),
                  "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    ep_hash_free(h);
    /* the same for b"X = 1\n" fed in two pieces */
    h = ep_hash_new("sha256");
    ep_hash_update(h, "X = ", 4);
    ep_hash_update(h, "1\n", 2);
    assert_str_eq(ep_hash_finish(h, &arena),
                  "Crrh4K5yghbuRJk8Wjp1X4scOH2Uf8TE9yyrDkqEIUs");
    ep_hash_free(h);
}

Test(wheel, record_rows_follow_pythons_csv)
{
    const char *text = "pkg/a.py,sha256=AAA,12\n"
                       "\"pkg/b,c.py\",sha256=BBB,3\r\n"
                       "pkg-1.0.dist-info/RECORD,,\n"
                       "\"pkg/q\"\"uote.py\",sha384=CCC,x\n";
    ep_record_row *rows;
    size_t n;
    cr_assert(ep_record_parse(&arena, text, &rows, &n, NULL) == EP_OK);
    cr_assert(eq(sz, n, 4));
    assert_str_eq(rows[0].path, "pkg/a.py");
    assert_str_eq(rows[0].algorithm, "sha256");
    assert_str_eq(rows[0].digest, "AAA");
    cr_assert(eq(i64, rows[0].size, 12));
    assert_str_eq(rows[1].path, "pkg/b,c.py");
    cr_assert(eq(i64, rows[1].size, 3));
    cr_assert(rows[2].algorithm == NULL && rows[2].size == -1);
    assert_str_eq(rows[3].path, "pkg/q\"uote.py");
    assert_str_eq(rows[3].algorithm, "sha384");
    cr_assert(eq(i64, rows[3].size, -2), "a size that is not a number");
}

Test(wheel, file_names_expand_compressed_tag_sets)
{
    ep_wheel_fname f;
    const char *why = NULL;
    cr_assert(
        ep_wheel_fname_parse(&arena,
                             "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64."
                             "manylinux2014_x86_64.whl",
                             &f, &why));
    assert_str_eq(f.dist, "numpy");
    assert_str_eq(f.version, "2.1.0");
    cr_assert(f.build == NULL);
    cr_assert(eq(sz, f.ntags, 2));
    assert_str_eq(ep_wtag_str(&arena, &f.tags[1]),
                  "cp312-cp312-manylinux2014_x86_64");
    cr_assert(ep_wheel_fname_parse(&arena, "six-1.16.0-1-py2.py3-none-any.whl",
                                   &f, &why));
    assert_str_eq(f.build, "1");
    cr_assert(eq(sz, f.ntags, 2));
    assert_str_eq(f.tags[0].py, "py2");
    cr_assert(0 == ep_wheel_fname_parse(&arena, "six-1.16.0-x-py3-none-any.whl",
                                        &f, &why),
              "a build tag must start with a digit");
    cr_assert(
        0 == ep_wheel_fname_parse(&arena, "six-1.16.0-py3-none.whl", &f, &why));
    cr_assert(0 == ep_wheel_fname_parse(&arena, "six-1.16.0-py3-none-any.zip",
                                        &f, &why));
}

Test(wheel, platform_tags_carry_their_libc_floor)
{
    ep_wplat p;
    cr_assert(ep_wplat_parse(&arena, "manylinux2014_aarch64", &p));
    cr_assert(p.libc == EP_LIBC_GLIBC && p.major == 2 && p.minor == 17);
    assert_str_eq(p.arch, "aarch64");
    assert_str_eq(p.policy, "manylinux_2_17");
    cr_assert(ep_wplat_parse(&arena, "manylinux1_i686", &p) && p.minor == 5);
    cr_assert(ep_wplat_parse(&arena, "manylinux2010_x86_64", &p) &&
              p.minor == 12);
    cr_assert(ep_wplat_parse(&arena, "manylinux_2_28_x86_64", &p) &&
              p.minor == 28);
    assert_str_eq(p.arch, "x86_64");
    cr_assert(ep_wplat_parse(&arena, "musllinux_1_2_armv7l", &p));
    cr_assert(p.libc == EP_LIBC_MUSL && p.major == 1 && p.minor == 2);
    assert_str_eq(p.arch, "armv7l");
    cr_assert(ep_wplat_parse(&arena, "linux_x86_64", &p) &&
              p.libc == EP_LIBC_LINUX);
    cr_assert(ep_wplat_parse(&arena, "any", &p) && p.libc == EP_LIBC_NONE);
    cr_assert(ep_wplat_parse(&arena, "macosx_11_0_arm64", &p) &&
              p.libc == EP_LIBC_OTHER);
    const char *machine;
    int cls;
    cr_assert(ep_wplat_arch_elf("i686", &machine, &cls) && cls == 32);
    assert_str_eq(machine, "i386");
}

/* Is tag accepted by target? */
static bool
accepts(const char *target, const char *tag)
{
    ep_wtarget tg;
    const char *why;
    ep_wtag *t;
    size_t n;
    cr_assert(ep_wtarget_from_tag(&arena, target, &tg, &why), "%s: %s", target,
              why);
    cr_assert(ep_wtag_expand(&arena, tag, &t, &n) && n == 1);
    return ep_wtarget_supports(&tg, t);
}

Test(wheel, targets_accept_what_packaging_tags_lists)
{
    const char *tg = "cp312-manylinux_2_28_aarch64";
    cr_assert(accepts(tg, "cp312-cp312-manylinux_2_28_aarch64"));
    cr_assert(accepts(tg, "cp312-cp312-manylinux2014_aarch64"),
              "older glibc floors too");
    cr_assert(accepts(tg, "cp38-abi3-manylinux_2_17_aarch64"),
              "abi3 of an older minor");
    cr_assert(accepts(tg, "cp312-abi3-linux_aarch64"));
    cr_assert(accepts(tg, "py3-none-any"));
    cr_assert(accepts(tg, "py310-none-any"));
    cr_assert(accepts(tg, "cp312-none-any"));
    cr_assert(0 == accepts(tg, "cp313-abi3-manylinux_2_28_aarch64"),
              "abi3 of a newer minor");
    cr_assert(0 == accepts(tg, "cp311-cp311-manylinux_2_28_aarch64"));
    cr_assert(0 == accepts(tg, "cp312-cp312-manylinux_2_31_aarch64"),
              "newer glibc floor");
    cr_assert(0 == accepts(tg, "cp312-cp312-manylinux_2_28_x86_64"));
    cr_assert(0 == accepts(tg, "cp312-cp312-musllinux_1_2_aarch64"));
    cr_assert(0 == accepts(tg, "py313-none-any"));
    cr_assert(0 == accepts(tg, "py2-none-any"));
    cr_assert(0 == accepts("cp313-cp313t-manylinux_2_28_x86_64",
                           "cp38-abi3-manylinux_2_28_x86_64"),
              "free-threaded builds take no abi3 wheel (PEP 703)");
    cr_assert(accepts("cp313-cp313t-manylinux_2_28_x86_64",
                      "cp313-cp313t-manylinux_2_28_x86_64"));
    cr_assert(0 == accepts("cp313-cp313t-manylinux_2_28_x86_64",
                           "cp313-cp313-manylinux_2_28_x86_64"));
    cr_assert(accepts("cp312-musllinux_1_2_x86_64",
                      "cp312-cp312-musllinux_1_1_x86_64"));
}

Test(wheel, target_suffixes_are_the_interpreters)
{
    ep_wtarget tg;
    const char *why;
    cr_assert(
        ep_wtarget_from_tag(&arena, "cp312-manylinux_2_28_aarch64", &tg, &why));
    cr_assert(eq(sz, tg.ext_suffixes.count, 3));
    assert_str_eq(tg.ext_suffixes.items[0],
                  ".cpython-312-aarch64-linux-gnu.so");
    assert_str_eq(tg.ext_suffixes.items[1], ".abi3.so");
    cr_assert(
        ep_wtarget_from_tag(&arena, "cp311-musllinux_1_2_x86_64", &tg, &why));
    assert_str_eq(tg.ext_suffixes.items[0],
                  ".cpython-311-x86_64-linux-musl.so");
    cr_assert(
        ep_wtarget_from_tag(&arena, "cp313-cp313t-linux_x86_64", &tg, &why));
    assert_str_eq(tg.ext_suffixes.items[0],
                  ".cpython-313t-x86_64-linux-gnu.so");
    cr_assert(eq(sz, tg.ext_suffixes.count, 2), "no .abi3.so for 3.13t");
    cr_assert(0 == ep_wtarget_from_tag(&arena, "pp310-manylinux_2_28_x86_64",
                                       &tg, &why));
    cr_assert(0 == ep_wtarget_from_tag(&arena, "cp312-any", &tg, &why));
    cr_assert(0 == ep_wtarget_from_tag(&arena, "cp312-cp311-linux_x86_64", &tg,
                                       &why));
}

Test(wheel, policy_limits_come_from_the_policy_table)
{
    ep_wplat p;
    cr_assert(ep_wplat_parse(&arena, "manylinux2014_aarch64", &p));
    /* aarch64 glibc 2.17 already defines GLIBC_2.18 (auditwheel's policy) */
    assert_str_eq(ep_policy_highest(&p, "GLIBC_", &arena), "GLIBC_2.18");
    assert_str_eq(ep_policy_highest(&p, "GLIBCXX_", &arena), "GLIBCXX_3.4.19");
    cr_assert(ep_wplat_parse(&arena, "manylinux_2_28_x86_64", &p));
    assert_str_eq(ep_policy_highest(&p, "GLIBCXX_", &arena), "GLIBCXX_3.4.24");
    assert_str_eq(ep_policy_highest(&p, "CXXABI_", &arena), "CXXABI_1.3.11");
    /* no manylinux_2_30 policy: the tag gives glibc, the 2_28 row the rest */
    cr_assert(ep_wplat_parse(&arena, "manylinux_2_30_x86_64", &p));
    assert_str_eq(ep_policy_highest(&p, "GLIBC_", &arena), "GLIBC_2.30");
    assert_str_eq(ep_policy_highest(&p, "GLIBCXX_", &arena), "GLIBCXX_3.4.24");
    cr_assert(ep_policy_allows(&p, "libstdc++.so.6") &&
              ep_policy_allows(&p, "libm.so.6"));
    cr_assert(0 == ep_policy_allows(&p, "libpython3.11.so.1.0"));
    cr_assert(0 == ep_policy_allows(&p, "libssl.so.3"));
    cr_assert(ep_policy_wrong_libc(&p, "libc.musl-x86_64.so.1"));
    cr_assert(ep_wplat_parse(&arena, "manylinux1_x86_64", &p));
    cr_assert(0 == ep_policy_allows(&p, "libexpat.so.1"),
              "libexpat joined with manylinux2010");
    cr_assert(ep_wplat_parse(&arena, "musllinux_1_2_x86_64", &p));
    cr_assert(ep_policy_allows(&p, "libc.musl-x86_64.so.1"));
    cr_assert(0 == ep_policy_allows(&p, "libc.so.6") &&
              ep_policy_wrong_libc(&p, "libc.so.6"));
    cr_assert(ep_policy_highest(&p, "GLIBC_", &arena) == NULL);
}
