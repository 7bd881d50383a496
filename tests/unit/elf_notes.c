/*
 * Notes and provenance: NT_GNU_BUILD_ID, NT_GNU_ABI_TAG, the .comment
 * strings, stripped or not, DWARF present or not. Truth: build ids fixed on
 * the link line (fx-config.h), the ABI-tag note and #ident string in
 * tests/fixtures/fxlib.c, -g on fxmod and the strip commands of the copies.
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

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL, "got NULL, want \"%s\"", want);
    cr_assert(eq(str, (char *)got, (char *)want));
}

static char *
fixture_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", EP_FIXTURE_DIR, name);
    return path;
}

static ep_object *
open_fixture(const char *name)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int, ep_object_open(fixture_path(name), &obj, &err), EP_OK),
              "%s", err.message);
    cr_assert(eq(int, ep_object_kind(obj), EP_KIND_ELF), "%s: %s", name,
              ep_object_reason(obj));
    return obj;
}

static const char *
fxmod_name(void)
{
    static char name[256];
    snprintf(name, sizeof(name), "fxmod%s", FX_EXT_SUFFIX);
    return name;
}

/* Does the list hold a string starting with `prefix`? */
static bool
has_prefix(ep_strlist l, const char *prefix)
{
    for (size_t i = 0; i < l.count; i++) {
        if (strncmp(l.items[i], prefix, strlen(prefix)) == 0) {
            return true;
        }
    }
    return false;
}

static void
assert_sha1_hex(const char *id)
{
    cr_assert(id != NULL, "no build id");
    cr_assert(eq(sz, strlen(id), 40), "%s", id);
    for (const char *p = id; *p; p++) {
        cr_assert(strchr("0123456789abcdef", *p) != NULL,
                  "%s is not lowercase hex", id);
    }
}

Test(elf, build_id_set_on_the_link_line_is_reported_in_hex)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    assert_str_eq(ep_object_elf(obj)->build_id, FX_BUILDID_LIB);
    ep_object_close(obj);
    /* gold writes the notes in another order, with a gold-version note. */
    obj = open_fixture("libfxlib-rpath.so");
    assert_str_eq(ep_object_elf(obj)->build_id, FX_BUILDID_LIB);
    ep_object_close(obj);
}

Test(elf, short_build_id_of_a_32_bit_object)
{
    if (!FX_HAVE_M32) {
        cr_skip_test("the compiler cannot build -m32 objects");
    }
    ep_object *obj = open_fixture("libfx32.so");
    assert_str_eq(ep_object_elf(obj)->build_id, FX_BUILDID_32);
    ep_object_close(obj);
}

Test(elf, big_endian_build_id_and_linker_comment)
{
    if (!FX_HAVE_CLANG_LLD) {
        cr_skip_test("clang or ld.lld missing: no big-endian fixture");
    }
    ep_object *obj = open_fixture("libfxbe.so");
    assert_str_eq(ep_object_elf(obj)->build_id, FX_BUILDID_BE);
    cr_assert(ep_object_elf(obj)->abi_tag == NULL);
    /* ld.lld names itself in .comment; clang's line is there too. */
    ep_strlist c = ep_object_elf(obj)->comments;
    bool lld = false;
    for (size_t i = 0; i < c.count; i++) {
        lld = lld || strstr(c.items[i], "LLD") != NULL;
    }
    cr_assert(lld, "no LLD line in .comment");
    ep_object_close(obj);
}

Test(elf, default_build_id_is_a_sha1)
{
    ep_object *obj = open_fixture(fxmod_name());
    assert_sha1_hex(ep_object_elf(obj)->build_id);
    ep_object_close(obj);
    if (FX_HAVE_AARCH64) {
        obj = open_fixture("fxarm.cpython-311-aarch64-linux-gnu.so");
        assert_sha1_hex(ep_object_elf(obj)->build_id);
        ep_object_close(obj);
    }
}

Test(elf, abi_tag_note_is_decoded)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    assert_str_eq(ep_object_elf(obj)->abi_tag, "Linux 4.19.7");
    ep_object_close(obj);
    obj = open_fixture("libfxlib-rpath.so");
    assert_str_eq(ep_object_elf(obj)->abi_tag, "Linux 4.19.7");
    ep_object_close(obj);
    /* Shared objects from gcc -shared carry none (it comes from crt1.o). */
    obj = open_fixture(fxmod_name());
    cr_assert(ep_object_elf(obj)->abi_tag == NULL);
    ep_object_close(obj);
}

Test(elf, executable_has_abi_tag_from_crt1)
{
    /* glibc's crt1.o on x86_64 says "Linux 3.2.0". */
    ep_object *obj = open_fixture("fxexe");
    assert_str_eq(ep_object_elf(obj)->abi_tag, "Linux 3.2.0");
    assert_sha1_hex(ep_object_elf(obj)->build_id);
    ep_object_close(obj);
}

Test(elf, pie_with_an_8_aligned_property_note_still_yields_its_notes)
{
    /* fxpie has two PT_NOTE segments: .note.gnu.property (8-aligned) and the
     * build id plus ABI tag (4-aligned). */
    ep_object *obj = open_fixture("fxpie");
    assert_sha1_hex(ep_object_elf(obj)->build_id);
    assert_str_eq(ep_object_elf(obj)->abi_tag, "Linux 3.2.0");
    ep_object_close(obj);
}

Test(elf, comment_section_lists_each_distinct_string)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    ep_strlist c = ep_object_elf(obj)->comments;
    cr_assert(has_prefix(c, "GCC: ("), "the compiler's identification");
    cr_assert(has_prefix(c, "extprobe fixture fxlib"), "the #ident string");
    for (size_t i = 0; i < c.count; i++) {
        cr_assert(strlen(c.items[i]) > 0);
        for (size_t k = 0; k < i; k++) {
            cr_assert(strcmp(c.items[i], c.items[k]) != 0, "%s twice",
                      c.items[i]);
        }
    }
    ep_object_close(obj);
}

Test(elf, rust_module_names_rustc_in_its_comment)
{
    if (!FX_HAVE_RUSTC) {
        cr_skip_test("rustc not found (PATH or ~/.cargo/bin): no fixture");
    }
    ep_object *obj = open_fixture("rsfx.abi3.so");
    cr_assert(has_prefix(ep_object_elf(obj)->comments, "rustc version"));
    ep_object_close(obj);
}

Test(elf, debug_build_is_not_stripped_and_has_dwarf)
{
    ep_object *obj = open_fixture(fxmod_name());
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, in->stripped, false));
    cr_assert(eq(int, in->has_debug_info, true));
    cr_assert(in->has_section_headers);
    ep_object_close(obj);
}

Test(elf, strip_debug_keeps_symtab_and_drops_dwarf)
{
    ep_object *orig = open_fixture(fxmod_name());
    ep_object *obj = open_fixture("fxmod-strip-debug.so");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, in->stripped, false));
    cr_assert(eq(int, in->has_debug_info, false));
    assert_str_eq(in->build_id, ep_object_elf(orig)->build_id);
    ep_object_close(obj);
    ep_object_close(orig);
}

Test(elf, strip_all_is_stripped_and_keeps_notes)
{
    ep_object *orig = open_fixture(fxmod_name());
    ep_object *obj = open_fixture("fxmod-strip-all.so");
    const ep_elf_info *in = ep_object_elf(obj);
    cr_assert(eq(int, in->stripped, true));
    cr_assert(eq(int, in->has_debug_info, false));
    /* The build id is in an allocated note: strip keeps it. */
    assert_str_eq(in->build_id, ep_object_elf(orig)->build_id);
    cr_assert(has_prefix(in->comments, "GCC: ("), "strip keeps .comment");
    ep_object_close(obj);
    ep_object_close(orig);
}

Test(elf, library_without_g_has_symtab_but_no_dwarf)
{
    ep_object *obj = open_fixture("libfxlib.so.2");
    cr_assert(eq(int, ep_object_elf(obj)->stripped, false));
    cr_assert(eq(int, ep_object_elf(obj)->has_debug_info, false));
    ep_object_close(obj);
}

/* Without section headers, notes still come from PT_NOTE; .comment and the
 * symbol table are gone with the headers. */
Test(elf, notes_are_read_without_section_headers)
{
    FILE *f = fopen(fixture_path("libfxlib.so.2"), "rb");
    cr_assert(f != NULL, "%s", strerror(errno));
    static unsigned char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    Elf64_Ehdr e;
    memcpy(&e, buf, sizeof(e));
    e.e_shoff = 0;
    e.e_shnum = 0;
    e.e_shstrndx = 0;
    memcpy(buf, &e, sizeof(e));
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int,
                 ep_object_open_memory(buf, len, "sstripped.so", &obj, &err),
                 EP_OK));
    const ep_elf_info *in = ep_object_elf(obj);
    assert_str_eq(in->build_id, FX_BUILDID_LIB);
    assert_str_eq(in->abi_tag, "Linux 4.19.7");
    cr_assert(eq(sz, in->comments.count, 0));
    cr_assert(eq(int, in->stripped, true));
    cr_assert(eq(int, in->has_section_headers, false));
    ep_object_close(obj);
}

Test(elf, relocatable_object_has_no_segments_to_read_notes_from)
{
    ep_object *obj = open_fixture("fxdep.o");
    cr_assert(ep_object_elf(obj)->build_id == NULL);
    cr_assert(eq(int, ep_object_elf(obj)->stack_flags, -1), "no PT_GNU_STACK");
    ep_object_close(obj);
}
