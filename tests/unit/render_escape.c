/*
 * The text writer's escaping (render/escape.c): what a terminal would obey
 * is written out, everything else is kept byte for byte; and the UTF-8 rule
 * the JSON writer shares, on the boundary cases of Unicode table 3-7.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "render/escape.h"

#include <string.h>

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

static void
assert_str_eq(const char *got, const char *want)
{
    cr_assert(got != NULL && strcmp(got, want) == 0, "got \"%s\", want \"%s\"",
              got ? got : "(null)", want);
}

static size_t
seq(const char *bytes)
{
    return ep_utf8_seq((const unsigned char *)bytes);
}

TestSuite(render_escape, .init = setup, .fini = teardown);

Test(render_escape, utf8_accepts_well_formed_sequences)
{
    cr_assert(eq(sz, seq("a"), 1));
    cr_assert(eq(sz, seq("\xc2\x80"), 2));         /* U+0080 */
    cr_assert(eq(sz, seq("\xe0\xa0\x80"), 3));     /* U+0800 */
    cr_assert(eq(sz, seq("\xed\x9f\xbf"), 3));     /* U+D7FF */
    cr_assert(eq(sz, seq("\xf0\x90\x80\x80"), 4)); /* U+10000 */
    cr_assert(eq(sz, seq("\xf4\x8f\xbf\xbf"), 4)); /* U+10FFFF */
}

Test(render_escape, utf8_refuses_overlong_surrogate_and_out_of_range)
{
    cr_assert(eq(sz, seq("\xc0\xaf"), 0));         /* overlong '/' */
    cr_assert(eq(sz, seq("\xe0\x80\xaf"), 0));     /* overlong */
    cr_assert(eq(sz, seq("\xed\xa0\x80"), 0));     /* U+D800, a surrogate */
    cr_assert(eq(sz, seq("\xf0\x80\x80\xaf"), 0)); /* overlong */
    cr_assert(eq(sz, seq("\xf4\x90\x80\x80"), 0)); /* above U+10FFFF */
    cr_assert(eq(sz, seq("\xff"), 0));
    cr_assert(eq(sz, seq("\x80"), 0));     /* lone continuation */
    cr_assert(eq(sz, seq("\xe2\x82"), 0)); /* cut short by the NUL */
}

Test(render_escape, clean_text_is_returned_as_it_is)
{
    const char *s = "caf\xc3\xa9 /usr/lib/python3 \\d+";
    cr_assert(ep_text_clean(&arena, s, false) == s);
}

Test(render_escape, controls_are_written_out)
{
    assert_str_eq(ep_text_clean(&arena, "a\x1b[2Jb\x07\rc\td\x7f", false),
                  "a\\x1b[2Jb\\x07\\rc\\td\\x7f");
    /* C1 as characters (CSI, NEL), and a byte that is not UTF-8. */
    assert_str_eq(ep_text_clean(&arena,
                                "x\xc2\x9b"
                                "2J\xc2\x85y\xffz",
                                false),
                  "x\\u009b2J\\u0085y\\xffz");
}

Test(render_escape, newlines_kept_only_in_block_text)
{
    assert_str_eq(ep_text_clean(&arena, "one\ntwo\r", true), "one\ntwo\\r");
    assert_str_eq(ep_text_clean(&arena, "one\ntwo", false), "one\\ntwo");
}
