/*
 * libFuzzer target: the editable-install finders (lib/importer/editable.c)
 * that a .pth import line installs -- setuptools' MAPPING, meson-python's
 * install(...) call and its install plan, scikit-build-core's install(...)
 * -- read with the Python-literal and JSON readers, then the finder walk
 * through them. One input packs, separated by EP_FUZZ_SEP: the .pth import
 * line, the finder module's name, its source, and the meson install plan.
 * "@SCRATCH@" in the source and the plan stands for the scratch directory
 * (the seeds point into it).
 */
#include "fuzz_common.h"
#include "fuzz_interp.h"

#include "importer/importer.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char site[PATH_MAX], build[PATH_MAX];
static ep_interp *interp;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *s = ep_fuzz_scratch();
    snprintf(site, sizeof(site), "%s/site", s);
    snprintf(build, sizeof(build), "%s/build", s);
    char extra[PATH_MAX + 512];
    /* Where each backend's finder sits on sys.meta_path, for the seeds'
     * names; one .pth hook whose line each input replaces. */
    snprintf(extra, sizeof(extra),
             "meta_path\t__editable___fuzz_pkg_1_0_finder._EditableFinder\n"
             "meta_path\t_fuzz_pkg_editable_loader.MesonpyMetaFinder\n"
             "meta_path\t_fuzz_pkg_editable.ScikitBuildRedirectingFinder\n"
             "pth_hook\t%s/fuzz.pth\timport x\n",
             site);
    interp = ep_fuzz_interp(site, extra);
    return 0;
}

/* part with "@SCRATCH@" replaced, NUL-terminated; free() it. */
static char *
expand(const uint8_t *p, size_t n)
{
    static const char tok[] = "@SCRATCH@";
    const char *scr = ep_fuzz_scratch();
    size_t tl = sizeof(tok) - 1, sl = strlen(scr);
    char *out = malloc(n * (sl > tl ? sl / tl + 1 : 1) + 1);
    size_t o = 0;
    if (out == NULL) {
        abort();
    }
    for (size_t i = 0; i < n;) {
        if (i + tl <= n && memcmp(p + i, tok, tl) == 0) {
            memcpy(out + o, scr, sl);
            o += sl;
            i += tl;
        } else {
            out[o++] = (char)p[i++];
        }
    }
    out[o] = '\0';
    return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *part[4] = {NULL, NULL, NULL, NULL};
    size_t len[4] = {0, 0, 0, 0};
    if (interp == NULL) {
        LLVMFuzzerInitialize(NULL, NULL);
    }
    size_t n = ep_fuzz_split(data, size, part, len, 4);
    if (n < 3) {
        return 0;
    }
    ep_fuzz_clear(ep_fuzz_scratch());
    mkdir(site, 0755);
    mkdir(build, 0755);

    char stem[128], path[PATH_MAX + 256];
    size_t k = 0;
    for (; k < len[1] && k + 1 < sizeof(stem); k++) {
        char c = (char)part[1][k];
        stem[k] = c == '/' || c == '\0' ? '_' : c;
    }
    stem[k] = '\0';
    char *line = expand(part[0], len[0]);
    char *src = expand(part[2], len[2]);
    snprintf(path, sizeof(path), "%s/%s.py", site, stem);
    ep_fuzz_write(path, src, strlen(src));
    snprintf(path, sizeof(path), "%s/fuzz.pth", site);
    ep_fuzz_write(path, line, strlen(line));
    if (n > 3) {
        char *plan = expand(part[3], len[3]);
        snprintf(path, sizeof(path), "%s/meson-info", build);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/meson-info/intro-install_plan.json",
                 build);
        ep_fuzz_write(path, plan, strlen(plan));
        free(plan);
    }

    interp->pth_hooks[0].value = line;
    ep_arena a;
    ep_arena_init(&a);
    ep_editables ed;
    if (ep_editables_load(&a, interp, &ed, NULL) == EP_OK) {
        ep_find f;
        if (ep_find_module(&a, interp, &ed, "fuzz_pkg._ext", &f, NULL) ==
            EP_OK) {
            ep_find_release(&f);
        }
    }
    interp->pth_hooks[0].value = "";
    ep_arena_release(&a);
    free(line);
    free(src);
    return 0;
}
