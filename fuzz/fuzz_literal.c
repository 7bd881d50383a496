/*
 * libFuzzer target: the two literal readers of lib/importer/literal.c on
 * bytes as they are -- JSON (direct_url.json, meson's install plan) and
 * Python literals as repr() writes them (the editable finders' tables) --
 * and the member lookups the importer makes on what they return.
 */
#include "fuzz_common.h"

#include "importer/importer.h"

#include <stdlib.h>
#include <string.h>

static void
walk(const ep_lit *v, int depth)
{
    if (v == NULL || depth > 64) {
        return;
    }
    if (v->type == EP_LIT_OBJECT) {
        (void)ep_lit_get(v, "url");
        (void)ep_lit_get_str(v, "destination");
    }
    if (v->type == EP_LIT_STRING || v->type == EP_LIT_NUMBER) {
        (void)strlen(v->str);
    }
    for (size_t i = 0;
         (v->type == EP_LIT_ARRAY || v->type == EP_LIT_OBJECT) && i < v->count;
         i++) {
        if (v->type == EP_LIT_OBJECT && v->keys[i] != NULL) {
            (void)strlen(v->keys[i]);
        }
        walk(v->items[i], depth + 1);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The readers take NUL-terminated text, as ep_fs_read gives it. */
    char *text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    ep_arena a;
    ep_arena_init(&a);
    ep_lit *v;
    if (ep_lit_json(&a, text, size, &v, NULL) == EP_OK) {
        walk(v, 0);
    }
    /* Python literals start where the finder's "=" or "install" ends, so
     * every start position the first bytes give is tried. */
    size_t pos = 0;
    if (ep_lit_python(&a, text, size, &pos, &v, NULL) == EP_OK) {
        walk(v, 0);
        if (pos > size) {
            abort(); /* the reader moved past the end of its input */
        }
    }
    const char *eq = memchr(text, '=', size);
    if (eq != NULL) {
        pos = (size_t)(eq + 1 - text);
        if (ep_lit_python(&a, text, size, &pos, &v, NULL) == EP_OK) {
            walk(v, 0);
        }
    }
    ep_arena_release(&a);
    free(text);
    return 0;
}
