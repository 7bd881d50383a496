/*
 * What a file is: ELF header facts of intact objects built by the fixture
 * build (tests/fixtures), every recognised non-ELF kind, and files that are
 * not regular files at all. Damaged ELF (truncated, patched) is in
 * elf_damage.c.
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <elf.h>
#include <errno.h>
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

static ep_object *
open_path(const char *path)
{
    ep_object *obj = NULL;
    ep_error err;
    ep_status st = ep_object_open(path, &obj, &err);
    cr_assert(eq(int, st, EP_OK), "%s: %s", path, err.message);
    cr_assert(obj != NULL);
    return obj;
}

static ep_object *
open_fixture(const char *name)
{
    return open_path(fixture_path(name));
}

static void *
read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "%s: %s", path, strerror(errno));
    cr_assert(eq(int, fseek(f, 0, SEEK_END), 0));
    long n = ftell(f);
    cr_assert(n >= 0);
    rewind(f);
    void *buf = malloc(n ? (size_t)n : 1);
    cr_assert(buf != NULL);
    cr_assert(eq(sz, fread(buf, 1, (size_t)n, f), (size_t)n));
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* A scratch file name, unique per test process (Criterion forks one per
 * test); the tests unlink what they create. */
static char *
scratch(const char *name)
{
    static char path[512];
    const char *dir = EP_BUILD_DIR "/tests/scratch";
    cr_assert(mkdir(dir, 0700) == 0 || errno == EEXIST, "%s: %s", dir,
              strerror(errno));
    snprintf(path, sizeof(path), "%s/classify-%ld-%s", dir, (long)getpid(),
             name);
    return path;
}

static char *
write_scratch(const char *name, const void *bytes, size_t len)
{
    char *path = scratch(name);
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

/* ---- intact ELF objects -------------------------------------------------- */

Test(elf, c_extension_is_loadable_x86_64_shared_object)
{
    char name[256];
    snprintf(name, sizeof(name), "fxmod%s", FX_EXT_SUFFIX);
    ep_object *obj = open_fixture(name);
    struct stat sb;
    cr_assert(eq(int, stat(fixture_path(name), &sb), 0));

    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF));
    cr_assert(ep_object_reason(obj) == NULL, "reason: %s",
              ep_object_reason(obj));
    assert_str_eq(ep_object_path(obj), fixture_path(name));
    cr_assert(eq(u64, ep_object_size(obj), (uint64_t)sb.st_size));
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(in != NULL);
    cr_assert(eq(int, in->elf_class, 64));
    cr_assert(eq(int, in->data, ELFDATA2LSB));
    assert_str_eq(in->endian_name, "little");
    cr_assert(eq(int, in->osabi, ELFOSABI_SYSV));
    assert_str_eq(in->osabi_name, "sysv");
    cr_assert(eq(int, in->abiversion, 0));
    cr_assert(eq(int, in->type, ET_DYN));
    assert_str_eq(in->type_name, "dyn");
    cr_assert(eq(int, in->machine, EM_X86_64));
    assert_str_eq(in->machine_name, "x86_64");
    cr_assert(in->interp == NULL, "a module has no PT_INTERP: %s", in->interp);
    cr_assert(in->has_dynamic);
    cr_assert(in->has_section_headers);
    assert_str_eq(ep_kind_str(ep_object_kind(obj)), "elf");
    ep_object_close(obj);
}

Test(elf, gnu_ifunc_library_has_osabi_gnu)
{
    /* ld sets ELFOSABI_GNU when the object uses STT_GNU_IFUNC (fx_fast). */
    ep_object *obj = open_fixture("libfxlib.so.2");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, in->osabi, ELFOSABI_GNU));
    assert_str_eq(in->osabi_name, "gnu");
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF));
    ep_object_close(obj);
}

Test(elf, aarch64_module_reports_its_machine)
{
    if (!FX_HAVE_AARCH64) {
        cr_skip_test("aarch64-linux-gnu-gcc or Python.h missing: no fixture");
    }
    ep_object *obj = open_fixture("fxarm.cpython-311-aarch64-linux-gnu.so");
    const ep_elf_info *in = ep_object_elf(obj);
    /* Wrong architecture for this host, but a well-formed ELF object. */
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF));
    cr_assert(ep_object_reason(obj) == NULL);
    cr_assert(eq(int, in->machine, EM_AARCH64));
    assert_str_eq(in->machine_name, "aarch64");
    cr_assert(eq(int, in->elf_class, 64));
    assert_str_eq(in->endian_name, "little");
    assert_str_eq(in->type_name, "dyn");
    ep_object_close(obj);
}

Test(elf, i386_object_reports_class_32)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    ep_object *obj = open_fixture("libfx32.so");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF));
    cr_assert(eq(int, in->elf_class, 32));
    cr_assert(eq(int, in->machine, EM_386));
    assert_str_eq(in->machine_name, "i386");
    assert_str_eq(in->endian_name, "little");
    assert_str_eq(in->type_name, "dyn");
    ep_object_close(obj);
}

/* Objects of other machines, from clang and ld.lld (no sysroot needed). */
Test(elf, other_machines_and_big_endian_objects)
{
    if (!FX_HAVE_CLANG_LLD) {
        cr_skip_test("clang or ld.lld missing: no cross-target fixtures");
    }
    static const struct {
        const char *file;
        int machine, cls, data, type;
        const char *machine_name, *endian, *type_name;
    } cases[] = {
        {"libfxbe.so", EM_PPC64, 64, ELFDATA2MSB, ET_DYN, "ppc64", "big",
         "dyn"},
        {"libfxrv.so", EM_RISCV, 64, ELFDATA2LSB, ET_DYN, "riscv64", "little",
         "dyn"},
        {"libfxarmhf.so", EM_ARM, 32, ELFDATA2LSB, ET_DYN, "arm", "little",
         "dyn"},
        {"fxs390.o", EM_S390, 64, ELFDATA2MSB, ET_REL, "s390x", "big", "rel"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ep_object *obj = open_fixture(cases[i].file);
        const ep_elf_info *in = ep_object_elf(obj);
        cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s: %s",
                  cases[i].file, ep_object_reason(obj));
        cr_assert(eq(int, in->machine, cases[i].machine), "%s", cases[i].file);
        cr_assert(eq(int, in->elf_class, cases[i].cls), "%s", cases[i].file);
        cr_assert(eq(int, in->data, cases[i].data), "%s", cases[i].file);
        cr_assert(eq(int, in->type, cases[i].type), "%s", cases[i].file);
        assert_str_eq(in->machine_name, cases[i].machine_name);
        assert_str_eq(in->endian_name, cases[i].endian);
        assert_str_eq(in->type_name, cases[i].type_name);
        ep_object_close(obj);
    }
}

Test(elf, relocatable_object_is_elf_but_not_loadable)
{
    ep_object *obj = open_fixture("fxdep.o");
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF));
    assert_str_eq(ep_object_elf(obj)->type_name, "rel");
    cr_assert(eq(int, ep_object_elf(obj)->type, ET_REL));
    assert_contains(ep_object_reason(obj), "relocatable");
    cr_assert(eq(int, ep_object_elf(obj)->has_dynamic, false));
    ep_object_close(obj);
}

Test(elf, executables_have_interpreter_and_type)
{
    ep_object *exe = open_fixture("fxexe");
    ep_object *pie = open_fixture("fxpie");
    assert_str_eq(ep_object_elf(exe)->type_name, "exec");
    assert_str_eq(ep_object_elf(pie)->type_name, "dyn");
    assert_str_eq(ep_object_elf(exe)->interp, "/lib64/ld-linux-x86-64.so.2");
    assert_str_eq(ep_object_elf(pie)->interp, "/lib64/ld-linux-x86-64.so.2");
    cr_assert(ep_object_reason(exe) == NULL);
    cr_assert(ep_object_reason(pie) == NULL);
    /* Neither asked for an executable stack. */
    cr_assert(eq(int, ep_object_elf(exe)->stack_flags &PF_X, 0));
    cr_assert(ep_object_elf(exe)->stack_flags >= 0, "PT_GNU_STACK present");
    ep_object_close(exe);
    ep_object_close(pie);
}

Test(elf, memory_image_gives_the_same_facts_as_the_file)
{
    const char *names[] = {"libfxlib.so.2", "libfx32.so", "fxexe", "fxdep.o"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        if (strcmp(names[k], "libfx32.so") == 0 && !FX_HAVE_M32) {
            continue;
        }
        size_t len;
        void *buf = read_whole(fixture_path(names[k]), &len);
        ep_object *f = open_fixture(names[k]);
        ep_object *m = open_bytes(buf, len, names[k]);
        /* The image is copied: scribbling over the caller's buffer after the
         * open must not change anything. */
        memset(buf, 0xa5, len);
        const ep_elf_info *a = ep_object_elf(f), *b = ep_object_elf(m);
        cr_assert(eq(int, ep_object_kind(m), ep_object_kind(f)));
        assert_str_eq(ep_object_path(m), names[k]);
        cr_assert(eq(u64, ep_object_size(m), (uint64_t)len));
        cr_assert(eq(int, a->elf_class, b->elf_class));
        cr_assert(eq(int, a->machine, b->machine));
        cr_assert(eq(int, a->type, b->type));
        cr_assert(eq(int, a->osabi, b->osabi));
        cr_assert(eq(u64, a->dt_flags, b->dt_flags));
        cr_assert(eq(u64, a->dt_flags_1, b->dt_flags_1));
        cr_assert(eq(sz, a->needed.count, b->needed.count));
        for (size_t i = 0; i < a->needed.count; i++) {
            assert_str_eq(b->needed.items[i], a->needed.items[i]);
        }
        cr_assert(eq(int, a->soname == NULL, b->soname == NULL));
        if (a->soname) {
            assert_str_eq(b->soname, a->soname);
        }
        cr_assert(eq(int, a->build_id == NULL, b->build_id == NULL));
        if (a->build_id) {
            assert_str_eq(b->build_id, a->build_id);
        }
        cr_assert(eq(int, a->stripped, b->stripped));
        cr_assert(eq(sz, a->comments.count, b->comments.count));

        const ep_symbol *sa, *sb;
        size_t na, nb;
        ep_error err;
        cr_assert(eq(int, ep_object_symbols(f, &sa, &na, &err), EP_OK), "%s",
                  err.message);
        cr_assert(eq(int, ep_object_symbols(m, &sb, &nb, &err), EP_OK), "%s",
                  err.message);
        cr_assert(eq(sz, na, nb));
        for (size_t i = 0; i < na; i++) {
            assert_str_eq(sb[i].name, sa[i].name);
            cr_assert(eq(int, sa[i].version == NULL, sb[i].version == NULL));
        }
        const ep_version_need *va, *vb;
        cr_assert(eq(int, ep_object_version_needs(f, &va, &na, &err), EP_OK));
        cr_assert(eq(int, ep_object_version_needs(m, &vb, &nb, &err), EP_OK));
        cr_assert(eq(sz, na, nb));
        for (size_t i = 0; i < na; i++) {
            assert_str_eq(vb[i].version, va[i].version);
            assert_str_eq(vb[i].file, va[i].file);
        }
        ep_object_close(f);
        ep_object_close(m);
        free(buf);
    }
}

Test(elf, memory_image_without_name_is_called_memory)
{
    size_t len;
    void *buf = read_whole(fixture_path("libfxlib.so.2"), &len);
    ep_object *m = open_bytes(buf, len, NULL);
    assert_str_eq(ep_object_path(m), "<memory>");
    cr_assert(eq(int, ep_object_kind(m), EP_KIND_ELF));
    /* No ".so" name, so no tag. */
    cr_assert(ep_object_ext_tag(m) == NULL);
    ep_object_close(m);
    free(buf);
}

Test(elf, empty_memory_image_is_empty)
{
    ep_object *m = open_bytes(NULL, 0, "nothing.so");
    cr_assert(eq(int, ep_object_kind(m), EP_KIND_EMPTY));
    assert_contains(ep_object_reason(m), "empty");
    cr_assert(ep_object_elf(m) == NULL);
    assert_str_eq(ep_kind_str(EP_KIND_EMPTY), "empty");
    ep_object_close(m);
}

Test(elf, null_arguments_are_invalid)
{
    ep_object *obj = (ep_object *)1;
    ep_error err;
    cr_assert(eq(int, ep_object_open(NULL, &obj, &err), EP_ERR_INVALID_ARG));
    cr_assert(eq(int, err.status, EP_ERR_INVALID_ARG));
    cr_assert(strlen(err.message) > 0);
    cr_assert(eq(int, ep_object_open("/x", NULL, NULL), EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_object_open_memory(NULL, 5, "x", &obj, &err),
                 EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_object_open_memory("x", 1, "x", NULL, NULL),
                 EP_ERR_INVALID_ARG));
    /* Getters and close accept NULL. */
    ep_object_close(NULL);
    cr_assert(ep_object_path(NULL) == NULL);
    cr_assert(ep_object_elf(NULL) == NULL);
    cr_assert(eq(int, ep_object_kind(NULL), EP_KIND_UNKNOWN));
}

/* ---- recognised non-ELF files -------------------------------------------- */

typedef struct nonelf_case {
    const char *name;
    const unsigned char *bytes;
    size_t len;
    ep_kind kind;
    const char *reason_part;
} nonelf_case;

/* Deliberate non-ELF bytes: the first bytes of each format, enough for a
 * classifier that looks at magic numbers. */
static const unsigned char macho64[] = {0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00,
                                        0x00, 0x01, 0x03, 0x00, 0x00, 0x00};
static const unsigned char macho32[] = {0xce, 0xfa, 0xed, 0xfe, 0x07, 0x00,
                                        0x00, 0x00, 0x03, 0x00, 0x00, 0x00};
static const unsigned char macho64_be[] = {0xfe, 0xed, 0xfa, 0xcf, 0x01, 0x00,
                                           0x00, 0x07, 0,    0,    0,    3};
static const unsigned char macho_fat[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2,
                                          0x01, 0x00, 0x00, 0x07, 0, 0, 0, 3};
static const unsigned char java_class[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0,
                                           0,    0x34, 0,    0x0a, 0, 0x1d};
static const unsigned char zip[] = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
static const unsigned char arch[] = "!<arch>\n/               0           ";
static const unsigned char text[] = "just some notes\nwithout code\n";
static const unsigned char mz_text[] =
    "MZ notes: the first two letters are those of a DOS header,\n"
    "and the rest is still text, long enough to hold an e_lfanew.\n";
static const unsigned char binary[] = {0x00, 0x01, 0x02, 0x03, 0xff, 0xfe};

static void
check_nonelf(const nonelf_case *c)
{
    /* Through memory ... */
    ep_object *m = open_bytes(c->bytes, c->len, c->name);
    cr_assert(eq(int, ep_object_kind(m), c->kind), "%s: kind %s", c->name,
              ep_kind_str(ep_object_kind(m)));
    assert_contains(ep_object_reason(m), c->reason_part);
    cr_assert(ep_object_elf(m) == NULL);
    /* ... and through a file, with the same verdict. */
    char *path = write_scratch(c->name, c->bytes, c->len);
    ep_object *f = open_path(path);
    cr_assert(eq(int, ep_object_kind(f), c->kind), "%s: kind %s", path,
              ep_kind_str(ep_object_kind(f)));
    assert_str_eq(ep_object_reason(f), ep_object_reason(m));
    /* ELF-only calls say "not ELF" and name the file. */
    const ep_symbol *syms;
    size_t n;
    ep_error err;
    cr_assert(eq(int, ep_object_symbols(f, &syms, &n, &err), EP_ERR_NOT_ELF));
    assert_contains(err.message, path);
    cr_assert(eq(sz, n, 0));
    const ep_version_need *needs;
    cr_assert(
        eq(int, ep_object_version_needs(f, &needs, &n, &err), EP_ERR_NOT_ELF));
    ep_strlist pyinit;
    cr_assert(eq(int, ep_object_pyinit(f, &pyinit, &err), EP_ERR_NOT_ELF));
    ep_object_close(m);
    ep_object_close(f);
    unlink(path);
}

Test(elf, macho_thin_and_fat_are_macho)
{
    const nonelf_case cases[] = {
        {"m64.so", macho64, sizeof(macho64), EP_KIND_MACHO, "Mach-O 64-bit"},
        {"m32.so", macho32, sizeof(macho32), EP_KIND_MACHO, "Mach-O 32-bit"},
        {"m64be.so", macho64_be, sizeof(macho64_be), EP_KIND_MACHO,
         "Mach-O 64-bit"},
        {"fat.so", macho_fat, sizeof(macho_fat), EP_KIND_MACHO, "universal"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check_nonelf(&cases[i]);
    }
    assert_str_eq(ep_kind_str(EP_KIND_MACHO), "macho");
}

/* Real macOS and Windows builds: ld64.lld and lld-link outputs, and a
 * universal file from llvm-lipo. */
Test(elf, real_macos_and_windows_builds_are_macho_and_pe)
{
    if (!FX_HAVE_CLANG_LLD) {
        cr_skip_test("clang or ld.lld missing: no Mach-O or PE fixtures");
    }
    static const struct {
        const char *file;
        ep_kind kind;
        const char *reason;
    } cases[] = {
        {"fxmacho.cpython-311-darwin.so", EP_KIND_MACHO,
         "Mach-O 64-bit (a macOS build), not ELF"},
        {"fxmacho-arm64.so", EP_KIND_MACHO,
         "Mach-O 64-bit (a macOS build), not ELF"},
        {"fxwin.cp311-win_amd64.pyd", EP_KIND_PE,
         "PE/COFF (a Windows build), not ELF"},
        {"fxwin.cp311-win_amd64.lib", EP_KIND_UNKNOWN,
         "an ar archive (static library), not a shared object"},
        {"fxfat.abi3.so", EP_KIND_MACHO,
         "Mach-O universal binary (a macOS build), not ELF"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(cases[i].file, "fxfat.abi3.so") == 0 && !FX_HAVE_LIPO) {
            continue;
        }
        ep_object *obj = open_fixture(cases[i].file);
        cr_assert(eq(int, ep_object_kind(obj), cases[i].kind), "%s: %s",
                  cases[i].file, ep_object_reason(obj));
        assert_str_eq(ep_object_reason(obj), cases[i].reason);
        cr_assert(ep_object_elf(obj) == NULL);
        ep_object_close(obj);
    }
}

Test(elf, java_class_file_is_not_macho)
{
    /* Same magic as a fat Mach-O; the class file version is large. */
    const nonelf_case c = {"A.class", java_class, sizeof(java_class),
                           EP_KIND_UNKNOWN, "not ELF"};
    check_nonelf(&c);
}

Test(elf, pe_file_is_pe)
{
    unsigned char pe[0x90];
    memset(pe, 0, sizeof(pe));
    pe[0] = 'M';
    pe[1] = 'Z';
    pe[0x3c] = 0x80; /* e_lfanew */
    memcpy(pe + 0x80, "PE\0\0\x64\x86", 6);
    const nonelf_case c = {"m.pyd", pe, sizeof(pe), EP_KIND_PE, "PE/COFF"};
    check_nonelf(&c);
    /* A DOS header whose e_lfanew points past the bytes that are read. */
    unsigned char far[0x40];
    memset(far, 0, sizeof(far));
    far[0] = 'M';
    far[1] = 'Z';
    far[0x3d] = 0x04; /* e_lfanew 0x400 */
    const nonelf_case c2 = {"far.pyd", far, sizeof(far), EP_KIND_PE, "PE/COFF"};
    check_nonelf(&c2);
    /* Within reach but without the signature: a DOS program, not PE. */
    memcpy(pe + 0x80, "XX", 2);
    const nonelf_case c3 = {"dos.exe", pe, sizeof(pe), EP_KIND_UNKNOWN,
                            "not ELF"};
    check_nonelf(&c3);
    assert_str_eq(ep_kind_str(EP_KIND_PE), "pe");
}

Test(elf, archives_text_and_binary_are_unknown_with_a_reason)
{
    const nonelf_case cases[] = {
        {"w.so", zip, sizeof(zip), EP_KIND_UNKNOWN, "zip"},
        {"a.so", arch, sizeof(arch) - 1, EP_KIND_UNKNOWN, "ar archive"},
        {"t.so", text, sizeof(text) - 1, EP_KIND_UNKNOWN, "text"},
        {"mz.so", mz_text, sizeof(mz_text) - 1, EP_KIND_UNKNOWN, "text"},
        {"b.so", binary, sizeof(binary), EP_KIND_UNKNOWN,
         "unrecognised magic 00 01 02 03"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check_nonelf(&cases[i]);
    }
}

Test(elf, python_source_is_python_source)
{
    /* The source file itself, and a copy named like an extension module. */
    char src[4096], named[512];
    snprintf(src, sizeof(src), "%s/tests/fixtures/fxsource.py", EP_SOURCE_DIR);
    snprintf(named, sizeof(named), "fxtext%s", FX_EXT_SUFFIX);
    ep_object *a = open_path(src);
    ep_object *b = open_fixture(named);
    cr_assert(eq(int, ep_object_kind(a), EP_KIND_PYTHON_SOURCE));
    cr_assert(eq(int, ep_object_kind(b), EP_KIND_PYTHON_SOURCE));
    assert_contains(ep_object_reason(b), "Python source");
    assert_str_eq(ep_kind_str(EP_KIND_PYTHON_SOURCE), "python-source");
    /* The name still parses as an extension tag. */
    cr_assert(ep_object_ext_tag(b) != NULL);
    assert_str_eq(ep_object_ext_tag(b)->module, "fxtext");
    cr_assert(ep_object_ext_tag(a) == NULL);
    ep_object_close(a);
    ep_object_close(b);
}

Test(elf, crlf_source_starting_with_a_blank_line_is_source_not_bytecode)
{
    /* Bytes 2-3 are "\r\n" as in a .pyc header (magic, then CR LF). */
    static const char src[] = "\r\n\r\nimport os\r\nprint(os.sep)\r\n";
    ep_object *m = open_bytes(src, sizeof(src) - 1, "crlf.py");
    cr_assert(eq(int, ep_object_kind(m), EP_KIND_PYTHON_SOURCE), "kind %s",
              ep_kind_str(ep_object_kind(m)));
    ep_object_close(m);
}

Test(elf, compiled_bytecode_is_python_bytecode)
{
    ep_object *obj = open_fixture("fxsource.pyc");
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_PYTHON_BYTECODE));
    assert_contains(ep_object_reason(obj), "bytecode");
    assert_str_eq(ep_kind_str(EP_KIND_PYTHON_BYTECODE), "python-bytecode");
    ep_object_close(obj);
}

/* ---- files that cannot be read as files ---------------------------------- */

Test(elf, empty_file_is_empty)
{
    char *path = write_scratch("empty.so", "", 0);
    ep_object *obj = open_path(path);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_EMPTY));
    assert_str_eq(ep_object_reason(obj), "the file is empty (0 bytes)");
    cr_assert(eq(u64, ep_object_size(obj), 0));
    ep_object_close(obj);
    unlink(path);
}

Test(elf, missing_file_is_unreadable_with_errno_text)
{
    ep_object *obj = open_path(EP_BUILD_DIR "/tests/no-such-file.so");
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_UNREADABLE));
    assert_str_eq(ep_object_reason(obj), strerror(ENOENT));
    assert_str_eq(ep_kind_str(EP_KIND_UNREADABLE), "unreadable");
    ep_object_close(obj);
}

Test(elf, directory_is_unreadable)
{
    ep_object *obj = open_path(EP_FIXTURE_DIR);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_UNREADABLE));
    assert_str_eq(ep_object_reason(obj), "is a directory");
    ep_object_close(obj);
}

Test(elf, fifo_is_unreadable_and_does_not_block, .timeout = 20)
{
    /* Nobody ever writes to the FIFO: an open without O_NONBLOCK would hang
     * here until Criterion's timeout kills the test. */
    char *path = scratch("fifo.so");
    unlink(path);
    cr_assert(eq(int, mkfifo(path, 0600), 0), "%s: %s", path, strerror(errno));
    ep_object *obj = open_path(path);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_UNREADABLE));
    assert_str_eq(ep_object_reason(obj), "not a regular file (a FIFO)");
    ep_object_close(obj);
    unlink(path);
}

Test(elf, character_device_is_unreadable)
{
    ep_object *obj = open_path("/dev/null");
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_UNREADABLE));
    assert_str_eq(ep_object_reason(obj),
                  "not a regular file (a character device)");
    ep_object_close(obj);
}

Test(elf, file_without_read_permission_is_unreadable)
{
    if (geteuid() == 0) {
        cr_skip_test("running as root: permission bits do not stop root, so "
                     "an unreadable file cannot be made");
    }
    char *path = write_scratch("noread.so",
                               "\x7f"
                               "ELF",
                               4);
    cr_assert(eq(int, chmod(path, 0), 0));
    ep_object *obj = open_path(path);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_UNREADABLE));
    assert_str_eq(ep_object_reason(obj), strerror(EACCES));
    ep_object_close(obj);
    unlink(path);
}

Test(elf, kind_names_are_stable)
{
    assert_str_eq(ep_kind_str(EP_KIND_ELF), "elf");
    assert_str_eq(ep_kind_str(EP_KIND_UNKNOWN), "unknown");
    assert_str_eq(ep_kind_str(EP_KIND_TRUNCATED), "truncated");
    assert_str_eq(ep_kind_str(EP_KIND_CORRUPT), "corrupt");
    assert_str_eq(ep_kind_str((ep_kind)999), "unknown");
}
