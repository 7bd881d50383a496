/*
 * libFuzzer target: installed-distribution metadata (lib/importer/
 * distinfo.c). One input packs, separated by EP_FUZZ_SEP: RECORD, WHEEL,
 * METADATA, direct_url.json, top_level.txt, INSTALLER and the dist-info
 * directory's stem ("name-version"). They are written into a scratch site
 * directory, read the way explain reads them, and queried.
 */
#include "fuzz_common.h"
#include "fuzz_interp.h"

#include "importer/importer.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const files[] = {"RECORD",        "WHEEL",
                                    "METADATA",      "direct_url.json",
                                    "top_level.txt", "INSTALLER"};
#define NFILES (sizeof(files) / sizeof(*files))

static char site[PATH_MAX];
static ep_interp *interp;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    snprintf(site, sizeof(site), "%s/site", ep_fuzz_scratch());
    mkdir(site, 0755);
    interp = ep_fuzz_interp(site, NULL);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *part[NFILES + 1];
    size_t len[NFILES + 1];
    size_t n = ep_fuzz_split(data, size, part, len, NFILES + 1);
    if (interp == NULL) {
        LLVMFuzzerInitialize(NULL, NULL);
    }
    ep_fuzz_clear(site);

    /* The directory name: the last part, cut at anything a file name
     * cannot hold; "fuzz_pkg-1.0" when there is none. */
    char stem[128] = "fuzz_pkg-1.0";
    if (n == NFILES + 1 && len[NFILES] > 0) {
        size_t k = 0;
        for (; k < len[NFILES] && k + 1 < sizeof(stem); k++) {
            char c = (char)part[NFILES][k];
            stem[k] = c == '/' || c == '\0' ? '_' : c;
        }
        stem[k] = '\0';
    }
    char dir[PATH_MAX + 256], path[PATH_MAX + 512];
    snprintf(dir, sizeof(dir), "%s/%s.dist-info", site, stem);
    if (mkdir(dir, 0755) != 0) {
        return 0;
    }
    for (size_t i = 0; i < n && i < NFILES; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        ep_fuzz_write(path, part[i], len[i]);
    }

    ep_arena a;
    ep_arena_init(&a);
    ep_dists ds;
    if (ep_dists_load(&a, interp, &ds, NULL) == EP_OK) {
        ep_editables none;
        memset(&none, 0, sizeof(none));
        /* The lookups first (they read lazily, in their own order), then
         * every distribution. */
        const ep_dist *owner;
        (void)ep_dists_owner(&ds, "fuzz_pkg", &none);
        (void)ep_dists_compiled_named(&ds, "_ext", &owner);
        snprintf(path, sizeof(path), "%s/fuzz_pkg/_ext.so", site);
        (void)ep_dists_owner_of_file(&ds, path);
        for (size_t i = 0; i < ds.count; i++) {
            const ep_dist *d = ep_dists_get(&ds, i);
            if (d == NULL) {
                continue;
            }
            (void)ep_dist_compiled_count(d);
            (void)ep_dist_tag_mismatch(&a, d, interp);
            (void)ep_dist_compiled_for(d, interp, "fuzz_pkg._ext", false);
            (void)ep_dist_compiled_for(d, interp, "fuzz_pkg._ext", true);
            for (size_t k = 0; k < d->top_level.count && k < 4; k++) {
                (void)ep_dists_owner(&ds, d->top_level.items[k], &none);
            }
            for (size_t k = 0; k < d->record.count && k < 4; k++) {
                snprintf(path, sizeof(path), "%s/%s", site, d->record.items[k]);
                (void)ep_dists_owner_of_file(&ds, path);
            }
        }
        free(ds.items);
    }
    ep_arena_release(&a);
    return 0;
}
