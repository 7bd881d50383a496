/*
 * Damaged ELF: real fixtures cut at every offset, cut at named places by the
 * fixture build (fxtrunc-*.so), and copies with one header field patched to
 * an absurd value. The rule under test: never a crash, a hang or an empty
 * report; the kind is truncated or corrupt and the reason says why.
 * The patches write native-endian fields: the fixtures are little-endian
 * x86 objects and so is every host this suite runs on (asserted below).
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

static void
assert_contains(const char *got, const char *needle)
{
    cr_assert(got != NULL, "got NULL, want text containing \"%s\"", needle);
    cr_assert(strstr(got, needle) != NULL, "\"%s\" does not contain \"%s\"",
              got, needle);
}

static char *
fixture_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", EP_FIXTURE_DIR, name);
    return path;
}

static unsigned char *
read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s: %s", path, strerror(errno));
    cr_assert(eq(int, fseek(f, 0, SEEK_END), 0));
    long n = ftell(f);
    cr_assert(n > 0);
    rewind(f);
    unsigned char *buf = malloc((size_t)n);
    cr_assert(buf != NULL);
    cr_assert(eq(sz, fread(buf, 1, (size_t)n, f), (size_t)n));
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *
scratch_write(const char *name, const void *bytes, size_t len)
{
    static char path[512];
    const char *dir = EP_BUILD_DIR "/tests/scratch";
    cr_assert(mkdir(dir, 0700) == 0 || errno == EEXIST, "%s: %s", dir,
              strerror(errno));
    snprintf(path, sizeof(path), "%s/damage-%ld-%s", dir, (long)getpid(), name);
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL, "%s: %s", path, strerror(errno));
    cr_assert(eq(sz, fwrite(bytes, 1, len, f), len));
    cr_assert(eq(int, fclose(f), 0));
    return path;
}

static ep_object *
open_bytes(const void *bytes, size_t len, const char *name)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(
        eq(int, ep_object_open_memory(bytes, len, name, &obj, &err), EP_OK),
        "%s", err.message);
    return obj;
}

static ep_object *
open_path(const char *path)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int, ep_object_open(path, &obj, &err), EP_OK), "%s: %s", path,
              err.message);
    return obj;
}

/* Every reader must cope with whatever the object is: call them all, and
 * the JSON writer too, and check only that they answer. */
static void
exercise(ep_object *obj)
{
    const ep_symbol *syms;
    const ep_version_need *needs;
    const ep_version_def *defs;
    ep_strlist pyinit;
    size_t n;
    ep_error err;
    ep_status st = ep_object_symbols(obj, &syms, &n, &err);
    cr_assert(st == EP_OK || st == EP_ERR_NOT_ELF || st == EP_ERR_MALFORMED,
              "symbols: %s", ep_status_str(st));
    if (st != EP_OK) {
        cr_assert(strlen(err.message) > 0);
    }
    st = ep_object_pyinit(obj, &pyinit, &err);
    cr_assert(st == EP_OK || st == EP_ERR_NOT_ELF || st == EP_ERR_MALFORMED);
    st = ep_object_version_needs(obj, &needs, &n, &err);
    cr_assert(st == EP_OK || st == EP_ERR_NOT_ELF || st == EP_ERR_MALFORMED);
    st = ep_object_version_defs(obj, &defs, &n, &err);
    cr_assert(st == EP_OK || st == EP_ERR_NOT_ELF || st == EP_ERR_MALFORMED);
    char *json = NULL;
    cr_assert(eq(int, ep_inspect_json(&obj, 1, &json, &err), EP_OK), "%s",
              err.message);
    cr_assert(json != NULL && json[0] == '{');
    ep_free(json);
}

/* Damaged: kind truncated or corrupt, with a reason. */
static void
assert_damaged(ep_object *obj, const char *what)
{
    ep_kind k = ep_object_kind(obj);
    cr_assert(k == EP_KIND_TRUNCATED || k == EP_KIND_CORRUPT,
              "%s: kind %s, reason %s", what, ep_kind_str(k),
              ep_object_reason(obj) ? ep_object_reason(obj) : "(null)");
    cr_assert(ep_object_reason(obj) != NULL, "%s: no reason", what);
    cr_assert(strlen(ep_object_reason(obj)) > 0, "%s: empty reason", what);
}

/* ---- raw header access for patching copies ------------------------------- */

static Elf64_Ehdr
ehdr64(const unsigned char *buf)
{
    Elf64_Ehdr e;
    memcpy(&e, buf, sizeof(e));
    cr_assert(eq(int, e.e_ident[EI_CLASS], ELFCLASS64));
    return e;
}

/* Offset of the first section header of the given type. */
static size_t
shdr64_off(const unsigned char *buf, uint32_t type)
{
    Elf64_Ehdr e = ehdr64(buf);
    for (size_t i = 0; i < e.e_shnum; i++) {
        Elf64_Shdr sh;
        size_t off = e.e_shoff + i * e.e_shentsize;
        memcpy(&sh, buf + off, sizeof(sh));
        if (sh.sh_type == type) {
            return off;
        }
    }
    cr_fatal("no section of type 0x%x", type);
    return 0;
}

static Elf64_Shdr
shdr64_at(const unsigned char *buf, size_t off)
{
    Elf64_Shdr sh;
    memcpy(&sh, buf + off, sizeof(sh));
    return sh;
}

#define PATCH(buf, off, type, field, value)                                    \
    do {                                                                       \
        __typeof__(((type *)0)->field) v_ = (value);                           \
        memcpy((buf) + (off) + offsetof(type, field), &v_, sizeof(v_));        \
    } while (0)

/* Remove the section headers as sstrip does: what is left is what ld.so
 * sees (program headers only). */
static void
drop_section_headers(unsigned char *buf, int cls)
{
    if (cls == ELFCLASS64) {
        PATCH(buf, 0, Elf64_Ehdr, e_shoff, 0);
        PATCH(buf, 0, Elf64_Ehdr, e_shnum, 0);
        PATCH(buf, 0, Elf64_Ehdr, e_shstrndx, 0);
    } else {
        PATCH(buf, 0, Elf32_Ehdr, e_shoff, 0);
        PATCH(buf, 0, Elf32_Ehdr, e_shnum, 0);
        PATCH(buf, 0, Elf32_Ehdr, e_shstrndx, 0);
    }
}

/* End of the last byte that a segment the loader reads from the file. */
static size_t
segments_end(const unsigned char *buf, int cls)
{
    size_t end = 0;
    if (cls == ELFCLASS64) {
        Elf64_Ehdr e = ehdr64(buf);
        for (size_t i = 0; i < e.e_phnum; i++) {
            Elf64_Phdr ph;
            memcpy(&ph, buf + e.e_phoff + i * e.e_phentsize, sizeof(ph));
            if (ph.p_offset + ph.p_filesz > end) {
                end = ph.p_offset + ph.p_filesz;
            }
        }
    } else {
        Elf32_Ehdr e;
        memcpy(&e, buf, sizeof(e));
        for (size_t i = 0; i < e.e_phnum; i++) {
            Elf32_Phdr ph;
            memcpy(&ph, buf + e.e_phoff + i * e.e_phentsize, sizeof(ph));
            if (ph.p_offset + ph.p_filesz > end) {
                end = ph.p_offset + ph.p_filesz;
            }
        }
    }
    return end;
}

Test(elf_damage, host_is_little_endian)
{
    const uint16_t one = 1;
    cr_assert(eq(u8, *(const unsigned char *)&one, 1),
              "the patch helpers assume a little-endian host");
}

/* ---- truncation ---------------------------------------------------------- */

/* Every prefix of a real object, through memory. The section headers are at
 * the end of a linked file, so every proper prefix is damaged. */
static void
truncate_everywhere(const char *name)
{
    size_t len;
    unsigned char *buf = read_whole(fixture_path(name), &len);
    size_t ehsize =
        buf[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
    for (size_t n = 0; n <= len; n++) {
        ep_object *obj = open_bytes(buf, n, name);
        char what[64];
        snprintf(what, sizeof(what), "%s cut at %zu of %zu", name, n, len);
        if (n == 0) {
            cr_assert(eq(int, ep_object_kind(obj), EP_KIND_EMPTY));
        } else if (n == len) {
            cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s: %s", what,
                      ep_object_reason(obj));
        } else {
            cr_assert(eq(int, ep_object_kind(obj), EP_KIND_TRUNCATED),
                      "%s: kind %s (%s)", what,
                      ep_kind_str(ep_object_kind(obj)), ep_object_reason(obj));
            assert_damaged(obj, what);
            /* Once the ELF header is there, its facts are reported. */
            if (n >= ehsize) {
                cr_assert(ep_object_elf(obj) != NULL, "%s: no header facts",
                          what);
            }
        }
        /* The JSON and the readers on every 61st cut (all of them would
         * only repeat the same early return thousands of times). */
        if (n % 61 == 0 || n + 1 >= len) {
            exercise(obj);
        }
        ep_object_close(obj);
    }
    free(buf);
}

Test(elf_damage, every_prefix_of_the_32_bit_library_is_truncated)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    truncate_everywhere("libfx32.so");
}

Test(elf_damage, every_prefix_of_the_versioned_library_is_truncated)
{
    truncate_everywhere("libfxlib.so.2");
}

/* Without section headers only the program headers can tell that a file is
 * cut short, and only where a segment lies. Past the last segment the file
 * is complete as far as the loader is concerned. */
static void
truncate_sstripped_everywhere(const char *name)
{
    size_t len;
    unsigned char *buf = read_whole(fixture_path(name), &len);
    int cls = buf[EI_CLASS];
    drop_section_headers(buf, cls);
    size_t seg_end = segments_end(buf, cls);
    cr_assert(seg_end > 0 && seg_end <= len);
    for (size_t n = 1; n <= len; n++) {
        ep_object *obj = open_bytes(buf, n, name);
        char what[64];
        snprintf(what, sizeof(what), "sstripped %s cut at %zu", name, n);
        if (n < seg_end) {
            assert_damaged(obj, what);
        } else {
            cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s: %s", what,
                      ep_object_reason(obj));
            cr_assert(eq(int, ep_object_elf(obj)->has_section_headers, false));
        }
        if (n % 61 == 0 || n == seg_end) {
            exercise(obj);
        }
        ep_object_close(obj);
    }
    free(buf);
}

Test(elf_damage, every_prefix_of_sstripped_objects_is_judged_by_segments)
{
    truncate_sstripped_everywhere("libfxlib.so.2");
    if (FX_HAVE_M32) {
        truncate_sstripped_everywhere("libfx32.so");
    }
}

/* Through files as well: libelf reads a file on demand (ELF_C_READ), a
 * different path from a memory image. Every 37th byte keeps it quick. */
Test(elf_damage, truncated_files_are_truncated_at_many_offsets)
{
    size_t len;
    unsigned char *buf = read_whole(fixture_path("libfxlib.so.2"), &len);
    for (size_t n = 1; n < len; n += 37) {
        char *path = scratch_write("cut.so", buf, n);
        ep_object *obj = open_path(path);
        cr_assert(eq(int, ep_object_kind(obj), EP_KIND_TRUNCATED),
                  "cut at %zu: %s", n, ep_object_reason(obj));
        cr_assert(eq(u64, ep_object_size(obj), (uint64_t)n));
        exercise(obj);
        ep_object_close(obj);
        unlink(path);
    }
    free(buf);
}

Test(elf_damage, build_time_cuts_are_truncated_with_a_precise_reason)
{
    static const struct {
        const char *cut;
        const char *reason_part;
    } cuts[] = {
        {"magic", "ELF magic cut short after 2 bytes"},
        {"ident", "ELF identification cut short after 10 bytes"},
        {"ehdr", "ELF header cut short: 40 of 64 bytes"},
        {"phdrs", "program headers"},
        {"dynamic", "section headers"},
        {"notes", "section headers"},
        {"dynsym", "section headers"},
        {"verneed", "section headers"},
        {"shdrs", "section headers"},
        {"last", "section headers"},
        {"half", "section headers"},
    };
    /* The list the fixture build made must be the list checked here. */
    char all[256] = "";
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        strcat(all, i ? " " : "");
        strcat(all, cuts[i].cut);
    }
    assert_str_eq(all, FX_TRUNC_CUTS);
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "fxtrunc-%s.so", cuts[i].cut);
        ep_object *obj = open_path(fixture_path(name));
        cr_assert(eq(int, ep_object_kind(obj), EP_KIND_TRUNCATED), "%s: %s",
                  name, ep_object_reason(obj));
        assert_contains(ep_object_reason(obj), cuts[i].reason_part);
        if (strcmp(cuts[i].cut, "magic") && strcmp(cuts[i].cut, "ident") &&
            strcmp(cuts[i].cut, "ehdr")) {
            cr_assert(ep_object_elf(obj) != NULL);
            assert_str_eq(ep_object_elf(obj)->machine_name, "x86_64");
            cr_assert(eq(int, ep_object_elf(obj)->elf_class, 64));
        } else {
            cr_assert(ep_object_elf(obj) == NULL);
        }
        /* The name still parses. */
        cr_assert(ep_object_ext_tag(obj) != NULL);
        exercise(obj);
        ep_object_close(obj);
    }
}

/* ---- random damage, reproducible ----------------------------------------- */

/* xorshift32: a fixed seed gives the same "random" damage on every run. */
static uint32_t
next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Overwrite a few bytes where the structures live (headers, dynamic
 * section, symbol and version tables, notes; and the section header table at
 * the end), then run every reader. Whatever the verdict, no reader may
 * crash, hang or read outside the image (ASan checks the latter). */
static void
scramble(const char *name, uint32_t seed, int rounds)
{
    size_t len;
    unsigned char *orig = read_whole(fixture_path(name), &len);
    unsigned char *buf = malloc(len);
    cr_assert(buf != NULL);
    size_t head = len < 4096 ? len : 4096;
    size_t tail = len > 2048 ? len - 2048 : 0;
    uint32_t state = seed;
    for (int r = 0; r < rounds; r++) {
        memcpy(buf, orig, len);
        int nbytes = 1 + (int)(next_random(&state) % 6);
        for (int k = 0; k < nbytes; k++) {
            uint32_t v = next_random(&state);
            size_t off =
                (v & 1) ? tail + (v >> 1) % (len - tail) : (v >> 1) % head;
            /* Mostly extreme values: they are what bounds checks miss. */
            static const unsigned char values[] = {0x00, 0xff, 0x7f, 0x80,
                                                   0x01};
            buf[off] =
                (v >> 8) % 3 ? values[(v >> 16) % 5] : (unsigned char)(v >> 24);
        }
        ep_object *obj = open_bytes(buf, len, name);
        cr_assert(ep_object_kind(obj) == EP_KIND_ELF ||
                      ep_object_reason(obj) != NULL,
                  "round %d: not ELF but no reason", r);
        exercise(obj);
        ep_object_close(obj);
        /* Every 50th through a file: libelf reads those on demand. */
        if (r % 50 == 0) {
            char *path = scratch_write("random.so", buf, len);
            obj = open_path(path);
            exercise(obj);
            ep_object_close(obj);
            unlink(path);
        }
    }
    free(buf);
    free(orig);
}

Test(elf_damage, random_header_damage_never_crashes)
{
    scramble("libfxlib.so.2", 0x2545f491u, 3000);
    if (FX_HAVE_M32) {
        scramble("libfx32.so", 0x9e3779b9u, 2000);
    }
    scramble("libfxlib-rpath.so", 0x12345678u, 1500);
}

/* ---- patched identification and header ----------------------------------- */

typedef void (*patch_fn)(unsigned char *buf, size_t len);

static ep_object *
patched(const char *name, patch_fn patch, unsigned char **bufp, size_t *lenp)
{
    unsigned char *buf = read_whole(fixture_path(name), lenp);
    patch(buf, *lenp);
    *bufp = buf;
    ep_object *obj = open_bytes(buf, *lenp, name);
    /* The same bytes as a file must get the same verdict. */
    char *path = scratch_write("patched.so", buf, *lenp);
    ep_object *f = open_path(path);
    cr_assert(eq(int, ep_object_kind(f), ep_object_kind(obj)),
              "file %s vs memory %s (%s / %s)", ep_kind_str(ep_object_kind(f)),
              ep_kind_str(ep_object_kind(obj)),
              ep_object_reason(f) ? ep_object_reason(f) : "-",
              ep_object_reason(obj) ? ep_object_reason(obj) : "-");
    exercise(f);
    ep_object_close(f);
    unlink(path);
    exercise(obj);
    return obj;
}

static void
bad_class(unsigned char *b, size_t n)
{
    (void)n;
    b[EI_CLASS] = 7;
}

static void
bad_data(unsigned char *b, size_t n)
{
    (void)n;
    b[EI_DATA] = 0;
}

static void
bad_version(unsigned char *b, size_t n)
{
    (void)n;
    b[EI_VERSION] = 2;
}

static void
bad_phentsize(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, 0, Elf64_Ehdr, e_phentsize, 12);
}

static void
bad_shstrndx(unsigned char *b, size_t n)
{
    (void)n;
    Elf64_Ehdr e = ehdr64(b);
    PATCH(b, 0, Elf64_Ehdr, e_shstrndx, (uint16_t)(e.e_shnum + 3));
}

static void
absurd_shnum(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, 0, Elf64_Ehdr, e_shnum, 0xfeff);
}

static void
absurd_phnum(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, 0, Elf64_Ehdr, e_phnum, 0xfeff);
}

static void
huge_shoff(unsigned char *b, size_t n)
{
    (void)n;
    /* off + size wraps around 2^64 in a naive bounds check. */
    PATCH(b, 0, Elf64_Ehdr, e_shoff, 0xffffffffffffff00ull);
}

Test(elf_damage, invalid_identification_bytes_are_corrupt)
{
    static const struct {
        patch_fn fn;
        const char *reason;
    } cases[] = {
        {bad_class, "invalid ELF class byte 0x07"},
        {bad_data, "invalid ELF data encoding byte 0x00"},
        {bad_version, "unsupported ELF version byte 0x02"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char *buf;
        size_t len;
        ep_object *obj = patched("libfxlib.so.2", cases[i].fn, &buf, &len);
        cr_assert(eq(int, ep_object_kind(obj), EP_KIND_CORRUPT));
        assert_str_eq(ep_object_reason(obj), cases[i].reason);
        ep_object_close(obj);
        free(buf);
    }
}

Test(elf_damage, wrong_table_entry_size_and_string_index_are_corrupt)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj = patched("libfxlib.so.2", bad_phentsize, &buf, &len);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_CORRUPT));
    assert_str_eq(ep_object_reason(obj),
                  "program headers entry size is 12 bytes, expected 56");
    ep_object_close(obj);
    free(buf);

    obj = patched("libfxlib.so.2", bad_shstrndx, &buf, &len);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_CORRUPT));
    assert_contains(ep_object_reason(obj), "section name table index");
    ep_object_close(obj);
    free(buf);
}

Test(elf_damage, absurd_header_counts_and_offsets_are_truncated)
{
    patch_fn fns[] = {absurd_shnum, absurd_phnum, huge_shoff};
    const char *parts[] = {"section headers (65279 entries",
                           "program headers (65279 entries", "section headers"};
    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
        unsigned char *buf;
        size_t len;
        ep_object *obj = patched("libfxlib.so.2", fns[i], &buf, &len);
        cr_assert(eq(int, ep_object_kind(obj), EP_KIND_TRUNCATED), "%s",
                  ep_object_reason(obj));
        assert_contains(ep_object_reason(obj), parts[i]);
        assert_contains(ep_object_reason(obj), "past the end of the file");
        ep_object_close(obj);
        free(buf);
    }
}

/* e_shnum 0 with e_shoff set: the real count is in section header 0's
 * sh_size (gABI extended numbering). An absurd one there must not make
 * anything allocate or walk billions of sections. */
static void
absurd_extended_shnum(unsigned char *b, size_t n)
{
    (void)n;
    Elf64_Ehdr e = ehdr64(b);
    PATCH(b, 0, Elf64_Ehdr, e_shnum, 0);
    PATCH(b, e.e_shoff, Elf64_Shdr, sh_size, 0x7fffffffffull);
}

/* e_phnum PN_XNUM: the real count is in section header 0's sh_info. */
static void
absurd_extended_phnum(unsigned char *b, size_t n)
{
    (void)n;
    Elf64_Ehdr e = ehdr64(b);
    PATCH(b, 0, Elf64_Ehdr, e_phnum, PN_XNUM);
    PATCH(b, e.e_shoff, Elf64_Shdr, sh_info, 0xfffffff0u);
}

Test(elf_damage, absurd_extended_counts_are_damage)
{
    patch_fn fns[] = {absurd_extended_shnum, absurd_extended_phnum};
    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
        unsigned char *buf;
        size_t len;
        ep_object *obj = patched("libfxlib.so.2", fns[i], &buf, &len);
        assert_damaged(obj, i == 0 ? "extended shnum" : "extended phnum");
        ep_object_close(obj);
        free(buf);
    }
}

/* ---- patched section headers: absurd sizes and links --------------------- */

static void
dynsym_size_absurd(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, shdr64_off(b, SHT_DYNSYM), Elf64_Shdr, sh_size,
          0x10000000000ull * sizeof(Elf64_Sym));
}

Test(elf_damage, absurd_dynsym_size_is_truncated)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj = patched("libfxlib.so.2", dynsym_size_absurd, &buf, &len);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_TRUNCATED));
    assert_contains(ep_object_reason(obj), "past the end of the file");
    ep_object_close(obj);
    free(buf);
}

/* A .dynsym that claims the rest of the file: in range, but most "symbols"
 * are other data. Reading them must stay inside the file. */
static void
dynsym_size_rest_of_file(unsigned char *b, size_t n)
{
    size_t off = shdr64_off(b, SHT_DYNSYM);
    Elf64_Shdr sh = shdr64_at(b, off);
    size_t rest = (n - sh.sh_offset) / sizeof(Elf64_Sym) * sizeof(Elf64_Sym);
    PATCH(b, off, Elf64_Shdr, sh_size, rest);
}

Test(elf_damage, oversized_dynsym_inside_the_file_is_read_safely)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj =
        patched("libfxlib.so.2", dynsym_size_rest_of_file, &buf, &len);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF));
    const ep_symbol *syms;
    size_t n;
    ep_error err;
    ep_status st = ep_object_symbols(obj, &syms, &n, &err);
    cr_assert(st == EP_OK || st == EP_ERR_MALFORMED, "%s", ep_status_str(st));
    for (size_t i = 0; st == EP_OK && i < n; i++) {
        cr_assert(syms[i].name != NULL);
    }
    ep_object_close(obj);
    free(buf);
}

static void
dynsym_entsize_zero(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, shdr64_off(b, SHT_DYNSYM), Elf64_Shdr, sh_entsize, 0);
}

Test(elf_damage, dynsym_entry_size_zero_is_malformed_not_a_division_by_zero)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj = patched("libfxlib.so.2", dynsym_entsize_zero, &buf, &len);
    const ep_symbol *syms;
    size_t n;
    ep_error err;
    cr_assert(
        eq(int, ep_object_symbols(obj, &syms, &n, &err), EP_ERR_MALFORMED));
    assert_contains(err.message, "libfxlib.so.2");
    assert_contains(err.message, ".dynsym entry size 0");
    cr_assert(eq(sz, n, 0));
    ep_object_close(obj);
    free(buf);
}

static void
dynsym_link_out_of_range(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, shdr64_off(b, SHT_DYNSYM), Elf64_Shdr, sh_link, 999);
}

Test(elf_damage, dynsym_string_table_link_out_of_range_is_survived)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj =
        patched("libfxlib.so.2", dynsym_link_out_of_range, &buf, &len);
    const ep_symbol *syms;
    size_t n;
    ep_error err;
    ep_status st = ep_object_symbols(obj, &syms, &n, &err);
    cr_assert(st == EP_OK || st == EP_ERR_MALFORMED);
    for (size_t i = 0; st == EP_OK && i < n; i++) {
        cr_assert(syms[i].name != NULL);
    }
    ep_object_close(obj);
    free(buf);
}

static void
versym_short(unsigned char *b, size_t n)
{
    (void)n;
    /* Fewer .gnu.version entries than symbols. */
    PATCH(b, shdr64_off(b, SHT_GNU_versym), Elf64_Shdr, sh_size, 4);
}

Test(elf_damage, short_version_table_leaves_later_symbols_unversioned)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj = patched("libfxlib.so.2", versym_short, &buf, &len);
    const ep_symbol *syms;
    size_t n;
    ep_error err;
    ep_status st = ep_object_symbols(obj, &syms, &n, &err);
    cr_assert(st == EP_OK || st == EP_ERR_MALFORMED, "%s", err.message);
    ep_object_close(obj);
    free(buf);
}

static void
verneed_count_absurd(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, shdr64_off(b, SHT_GNU_verneed), Elf64_Shdr, sh_info, 0xffffffffu);
}

static void
verdef_count_absurd(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, shdr64_off(b, SHT_GNU_verdef), Elf64_Shdr, sh_info, 0xffffffffu);
}

/* The chains end with vn_next / vd_next 0: an absurd count in sh_info
 * must not matter, as ld.so does not use it either. */
Test(elf_damage, absurd_version_counts_do_not_change_the_versions)
{
    size_t len;
    ep_object *good = open_path(fixture_path("libfxlib.so.2"));
    const ep_version_need *gn, *pn;
    const ep_version_def *gd, *pd;
    size_t ngn, npn, ngd, npd;
    ep_error err;
    cr_assert(eq(int, ep_object_version_needs(good, &gn, &ngn, &err), EP_OK));
    cr_assert(eq(int, ep_object_version_defs(good, &gd, &ngd, &err), EP_OK));

    unsigned char *buf;
    ep_object *obj = patched("libfxlib.so.2", verneed_count_absurd, &buf, &len);
    cr_assert(eq(int, ep_object_version_needs(obj, &pn, &npn, &err), EP_OK),
              "%s", err.message);
    cr_assert(eq(sz, npn, ngn));
    ep_object_close(obj);
    free(buf);

    obj = patched("libfxlib.so.2", verdef_count_absurd, &buf, &len);
    cr_assert(eq(int, ep_object_version_defs(obj, &pd, &npd, &err), EP_OK),
              "%s", err.message);
    cr_assert(eq(sz, npd, ngd));
    for (size_t i = 0; i < npd; i++) {
        assert_str_eq(pd[i].name, gd[i].name);
    }
    ep_object_close(obj);
    free(buf);
    ep_object_close(good);
}

static void
verneed_aux_out_of_range(unsigned char *b, size_t n)
{
    (void)n;
    Elf64_Shdr sh = shdr64_at(b, shdr64_off(b, SHT_GNU_verneed));
    PATCH(b, sh.sh_offset, Elf64_Verneed, vn_aux, 0x7ffffff0u);
}

static void
verdef_next_out_of_range(unsigned char *b, size_t n)
{
    (void)n;
    Elf64_Shdr sh = shdr64_at(b, shdr64_off(b, SHT_GNU_verdef));
    PATCH(b, sh.sh_offset, Elf64_Verdef, vd_next, 0xfffffff0u);
}

/* The second Verneed's vn_aux chosen so that offset + vn_aux is 2^32 plus
 * the offset of the first entry's Vernaux: a 32-bit wrap that lands on a
 * valid-looking entry must still be refused. */
static void
verneed_aux_wraps(unsigned char *b, size_t n)
{
    (void)n;
    Elf64_Shdr sh = shdr64_at(b, shdr64_off(b, SHT_GNU_verneed));
    Elf64_Verneed first, second;
    memcpy(&first, b + sh.sh_offset, sizeof(first));
    cr_assert(first.vn_next != 0, "the fixture needs two files' versions");
    size_t second_off = sh.sh_offset + first.vn_next;
    memcpy(&second, b + second_off, sizeof(second));
    uint64_t target = first.vn_aux; /* relative to the section start */
    uint32_t aux = (uint32_t)((1ull << 32) - first.vn_next + target);
    PATCH(b, second_off, Elf64_Verneed, vn_aux, aux);
}

Test(elf_damage, wrapped_version_offsets_are_malformed)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj = patched("libfxlib.so.2", verneed_aux_wraps, &buf, &len);
    const ep_version_need *needs;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_version_needs(obj, &needs, &n, &err),
                 EP_ERR_MALFORMED));
    assert_contains(err.message, ".gnu.version_r");
    ep_object_close(obj);
    free(buf);
}

Test(elf_damage, version_chains_pointing_outside_are_malformed)
{
    patch_fn fns[] = {verneed_aux_out_of_range, verdef_next_out_of_range};
    const char *parts[] = {".gnu.version_r", ".gnu.version_d"};
    for (size_t i = 0; i < 2; i++) {
        unsigned char *buf;
        size_t len;
        ep_object *obj = patched("libfxlib.so.2", fns[i], &buf, &len);
        const ep_version_need *needs;
        size_t n;
        ep_error err;
        cr_assert(eq(int, ep_object_version_needs(obj, &needs, &n, &err),
                     EP_ERR_MALFORMED));
        assert_contains(err.message, parts[i]);
        assert_contains(err.message, "libfxlib.so.2");
        /* Symbols depend on versions: the same error, not a crash. */
        const ep_symbol *syms;
        cr_assert(
            eq(int, ep_object_symbols(obj, &syms, &n, &err), EP_ERR_MALFORMED));
        ep_object_close(obj);
        free(buf);
    }
}

/* ---- patched dynamic segment --------------------------------------------- */

/* Offset of the first dynamic entry with tag `tag`, through PT_DYNAMIC. */
static size_t
dyn64_off(const unsigned char *buf, int64_t tag)
{
    Elf64_Ehdr e = ehdr64(buf);
    for (size_t i = 0; i < e.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, buf + e.e_phoff + i * e.e_phentsize, sizeof(ph));
        if (ph.p_type != PT_DYNAMIC) {
            continue;
        }
        for (size_t k = 0; k < ph.p_filesz / sizeof(Elf64_Dyn); k++) {
            Elf64_Dyn d;
            size_t off = ph.p_offset + k * sizeof(d);
            memcpy(&d, buf + off, sizeof(d));
            if (d.d_tag == tag) {
                return off;
            }
        }
    }
    cr_fatal("no dynamic entry %lld", (long long)tag);
    return 0;
}

static void
strsz_huge(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, dyn64_off(b, DT_STRSZ), Elf64_Dyn, d_un.d_val, 0x7fffffffffffull);
}

static void
needed_offset_outside(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, dyn64_off(b, DT_NEEDED), Elf64_Dyn, d_un.d_val, 0x100000);
}

static void
strtab_unmapped(unsigned char *b, size_t n)
{
    (void)n;
    PATCH(b, dyn64_off(b, DT_STRTAB), Elf64_Dyn, d_un.d_ptr, 0x7f0000000000ull);
}

Test(elf_damage, dynamic_strings_outside_the_file_are_corrupt)
{
    static const struct {
        patch_fn fn;
        const char *reason;
    } cases[] = {
        {strsz_huge, "dynamic string table"},
        {strtab_unmapped, "dynamic string table"},
        {needed_offset_outside, "outside the dynamic string table"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char *buf;
        size_t len;
        ep_object *obj = patched("libfxlib.so.2", cases[i].fn, &buf, &len);
        cr_assert(eq(int, ep_object_kind(obj), EP_KIND_CORRUPT), "%s",
                  ep_object_reason(obj));
        assert_contains(ep_object_reason(obj), cases[i].reason);
        ep_object_close(obj);
        free(buf);
    }
}

/* A PT_DYNAMIC without DT_NULL that runs to the end of its segment. */
static void
dynamic_without_null(unsigned char *b, size_t n)
{
    (void)n;
    size_t off = dyn64_off(b, DT_NULL);
    PATCH(b, off, Elf64_Dyn, d_tag, DT_DEBUG);
}

Test(elf_damage, dynamic_segment_without_terminator_is_read_to_its_end)
{
    unsigned char *buf;
    size_t len;
    ep_object *obj = patched("libfxlib.so.2", dynamic_without_null, &buf, &len);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s",
              ep_object_reason(obj));
    cr_assert(eq(sz, ep_object_elf(obj)->needed.count, 3));
    ep_object_close(obj);
    free(buf);
}
