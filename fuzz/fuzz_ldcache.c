/*
 * libFuzzer target: /etc/ld.so.cache as lib/loader/ldcache.c reads it (the
 * three layouts, the hwcaps extension, search_cache's binary search), with
 * lookups of common names and of names the input itself holds.
 */
#include "fuzz_common.h"

#include "loader/loader.h"

#include <string.h>
#include <unistd.h>

static ep_arena pf_arena;
static ld_platform pf;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    ep_deps_options opt;
    ep_deps_options_init(&opt);
    ep_arena_init(&pf_arena);
    if (ld_platform_init(&pf_arena, &pf, &opt, NULL) != EP_OK) {
        __builtin_trap();
    }
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const common[] = {
        "libc.so.6", "libm.so.6", "libz.so.1", "libpython3.11.so.1.0", "a", ""};
    char path[64];
    int fd = ep_fuzz_memfd(data, size, path, sizeof(path));
    if (fd < 0) {
        return 0;
    }
    ep_arena a;
    ep_arena_init(&a);
    ld_cache *c = NULL;
    const char *note = NULL;
    if (ld_cache_open(&a, path, &c, &note, NULL) == EP_OK && c != NULL) {
        (void)ld_cache_format(c);
        for (size_t i = 0; i < sizeof(common) / sizeof(*common); i++) {
            (void)ld_cache_lookup(c, common[i], &pf);
        }
        /* Names of the input: up to 16 NUL-terminated strings that start
         * with "lib", as the keys of a real cache do. */
        size_t found = 0;
        for (size_t i = 0; i + 4 < size && found < 16; i++) {
            if ((i == 0 || data[i - 1] == '\0') &&
                memcmp(data + i, "lib", 3) == 0) {
                const void *nul = memchr(data + i, '\0', size - i);
                if (nul == NULL) {
                    break;
                }
                (void)ld_cache_lookup(c, (const char *)data + i, &pf);
                found++;
            }
        }
    }
    ld_cache_close(c);
    ep_arena_release(&a);
    close(fd);
    return 0;
}
