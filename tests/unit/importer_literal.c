/*
 * The literal readers: JSON (direct_url.json, meson's install plan) and the
 * Python literals editable finders are generated with (repr() of dicts,
 * sets and strings), including the malformed inputs they must refuse
 * without reading past the end.
 */
#include "importer_tree.h"

#include "importer/importer.h"

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

static const ep_lit *
json(const char *text)
{
    ep_lit *v = NULL;
    ep_error err;
    ep_status st = ep_lit_json(&arena, text, strlen(text), &v, &err);
    cr_assert(st == EP_OK, "%s: %s", text, err.message);
    return v;
}

static const ep_lit *
python(const char *text, size_t *pos)
{
    ep_lit *v = NULL;
    ep_error err;
    size_t p = 0;
    ep_status st =
        ep_lit_python(&arena, text, strlen(text), pos ? pos : &p, &v, &err);
    cr_assert(st == EP_OK, "%s: %s", text, err.message);
    return v;
}

TestSuite(importer_literal, .init = setup, .fini = teardown);

Test(importer_literal, json_object_with_escapes_and_nesting)
{
    const ep_lit *v = json("{\"url\": \"file:///a\\u00e9\\/b\", \"dir_info\": "
                           "{\"editable\": true}, \"n\": [1, 2.5e3, null]}");
    cr_assert(eq(int, v->type, EP_LIT_OBJECT));
    assert_str_eq(ep_lit_get_str(v, "url"), "file:///a\xc3\xa9/b");
    const ep_lit *e = ep_lit_get(ep_lit_get(v, "dir_info"), "editable");
    cr_assert(e != NULL && e->type == EP_LIT_BOOL && e->boolean);
    const ep_lit *n = ep_lit_get(v, "n");
    cr_assert(eq(sz, n->count, 3));
    assert_str_eq(n->items[1]->str, "2.5e3");
    cr_assert(eq(int, n->items[2]->type, EP_LIT_NULL));
}

Test(importer_literal, json_surrogate_pair_becomes_one_code_point)
{
    const ep_lit *v = json("\"\\ud83d\\ude00\"");
    assert_str_eq(v->str, "\xf0\x9f\x98\x80");
}

Test(importer_literal, malformed_json_is_refused)
{
    static const char *const bad[] = {
        "{\"a\": ",       "{\"a\" 1}",        "[1, 2",
        "\"unterminated", "{\"a\": \"\\q\"}", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        ep_lit *v;
        ep_error err;
        ep_status st = ep_lit_json(&arena, bad[i], strlen(bad[i]), &v, &err);
        cr_assert(st == EP_ERR_MALFORMED, "accepted: %s", bad[i]);
    }
}

Test(importer_literal, deep_nesting_is_bounded)
{
    char text[400];
    memset(text, '[', 300);
    text[300] = '\0';
    ep_lit *v;
    ep_error err;
    cr_assert(ep_lit_json(&arena, text, 300, &v, &err) == EP_ERR_MALFORMED);
}

Test(importer_literal, python_dict_as_setuptools_writes_mapping)
{
    size_t pos = 0;
    const char *text = "{'pkg': '/src/pkg', \"other\": r'C:\\x'}  # comment";
    const ep_lit *v = python(text, &pos);
    cr_assert(eq(int, v->type, EP_LIT_OBJECT));
    assert_str_eq(ep_lit_get_str(v, "pkg"), "/src/pkg");
    assert_str_eq(ep_lit_get_str(v, "other"), "C:\\x");
    cr_assert(eq(sz, pos, strlen("{'pkg': '/src/pkg', \"other\": r'C:\\x'}")));
}

Test(importer_literal, python_call_arguments_parse_as_a_tuple)
{
    const char *text = "(\n    'pkg',\n    {'pkg', 'pkg2'},\n    '/b',\n"
                       "    ['ninja', '-C'],\n    False,\n    None,\n)";
    const ep_lit *v = python(text, NULL);
    cr_assert(eq(int, v->type, EP_LIT_ARRAY));
    cr_assert(eq(sz, v->count, 6));
    cr_assert(eq(sz, v->items[1]->count, 2));
    assert_str_eq(v->items[1]->items[1]->str, "pkg2");
    cr_assert(eq(int, v->items[4]->type, EP_LIT_BOOL));
    cr_assert(not(v->items[4]->boolean));
    cr_assert(eq(int, v->items[5]->type, EP_LIT_NULL));
}

Test(importer_literal, python_adjacent_strings_join)
{
    const ep_lit *v = python("'a' \"b\"", NULL);
    assert_str_eq(v->str, "ab");
}
