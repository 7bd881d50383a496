/*
 * Dynamic string tokens (dl-load.c is_dst/_dl_dst_substitute), l_origin
 * (dl-object.c), and what ld.so computes at start-up about this machine:
 * checked against `ld.so --help`, which prints its own glibc-hwcaps and
 * legacy hwcap subdirectories and default directories.
 */
#include "loader_oracle.h"

#include "loader/loader.h"

static ep_arena arena;

static ld_platform
platform(const char *plat)
{
    ld_platform pf;
    ep_deps_options o;
    ep_deps_options_init(&o);
    o.platform = plat;
    cr_assert(eq(int, ld_platform_init(&arena, &pf, &o, NULL), EP_OK));
    return pf;
}

static void
expands(const char *in, const char *origin, const char *want)
{
    ld_platform pf = platform("haswell");
    char *got = ld_dst_expand(&arena, in, origin, &pf);
    cr_assert(got != NULL);
    assert_str_eq(got, want);
}

Test(loader, origin_and_its_braced_form_expand)
{
    expands("$ORIGIN/../lib", "/opt/x/bin", "/opt/x/bin/../lib");
    expands("${ORIGIN}/lib", "/opt/x", "/opt/x/lib");
    expands("$ORIGIN", "/", "/");
    cr_assert(eq(sz, ld_dst_count("$ORIGIN:${LIB}:$PLATFORM"), 3));
}

Test(loader, tokens_must_end_at_a_non_identifier_character)
{
    /* gABI: "$ORIGINAL" is no $ORIGIN; an unknown token stays as it is. */
    expands("$ORIGINAL/x", "/o", "$ORIGINAL/x");
    expands("$ORIGIN_x", "/o", "$ORIGIN_x");
    expands("${ORIGIN/x", "/o", "${ORIGIN/x");
    expands("$HOME/lib", "/o", "$HOME/lib");
    expands("$$ORIGIN", "/o", "$/o");
    cr_assert(eq(sz, ld_dst_count("$ORIGINAL $HOME"), 0));
}

Test(loader, lib_and_platform_expand)
{
    expands("/x/$LIB/y", "/o", "/x/lib/x86_64-linux-gnu/y");
    expands("/x/${PLATFORM}", "/o", "/x/haswell");
}

Test(loader, an_unknown_origin_drops_the_element)
{
    ld_platform pf = platform(NULL);
    char *got = ld_dst_expand(&arena, "$ORIGIN/lib", NULL, &pf);
    cr_assert(got != NULL);
    assert_str_eq(got, "");
}

Test(loader, origin_is_the_directory_as_named_not_resolved)
{
    assert_str_eq(ld_origin_of(&arena, "/a/b/libx.so"), "/a/b");
    assert_str_eq(ld_origin_of(&arena, "/libx.so"), "/");
    char cwd[4096], want[4200];
    cr_assert(getcwd(cwd, sizeof(cwd)) != NULL);
    snprintf(want, sizeof(want), "%s/./sub", cwd);
    assert_str_eq(ld_origin_of(&arena, "./sub/m.so"), want);
}

/* The lines of `ld.so --help` under heading, up to the next blank line. */
static char *
help_section(const char *help, const char *heading)
{
    const char *s = strstr(help, heading);
    cr_assert(s != NULL, "no '%s' in ld.so --help", heading);
    s = strchr(s, '\n') + 1;
    const char *e = strstr(s, "\n\n");
    return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

Test(loader, hwcaps_and_default_dirs_agree_with_ld_so_help)
{
    const char *argv[] = {RTLD, "--help", NULL};
    char *help = run_capture(argv, NULL);
    ld_platform pf = platform(NULL);
    /* glibc-hwcaps subdirectories "supported, searched", best first. */
    char *sub = help_section(help, "Subdirectories of glibc-hwcaps");
    size_t k = 0;
    for (char *line = strtok(sub, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, "searched") == NULL) {
            continue;
        }
        char name[64];
        cr_assert(sscanf(line, " %63s", name) == 1);
        cr_assert(k < pf.hwcaps.count, "ld.so searches %s too", name);
        assert_str_eq(pf.hwcaps.items[k], name);
        k++;
    }
    cr_assert(eq(sz, k, pf.hwcaps.count));
    free(sub);
    /* Legacy names: AT_PLATFORM (as ld.so sees it), tls, hwcap bits. */
    char *leg = help_section(help, "Legacy HWCAP subdirectories");
    for (size_t i = 0; i < pf.legacy.count; i++) {
        char line[128];
        snprintf(line, sizeof(line), "  %s (", pf.legacy.items[i]);
        cr_assert(strstr(leg, line) != NULL, "%s not in:\n%s",
                  pf.legacy.items[i], leg);
    }
    free(leg);
    char *dirs = help_section(help, "Shared library search path:");
    for (size_t i = 0; i < pf.system_dirs.count; i++) {
        char d[256];
        snprintf(d, sizeof(d), "  %.*s (system search path)",
                 (int)strlen(pf.system_dirs.items[i]) - 1,
                 pf.system_dirs.items[i]);
        cr_assert(strstr(dirs, d) != NULL, "%s not in:\n%s", d, dirs);
    }
    free(dirs);
    free(help);
}

Test(loader, subdirectories_are_tried_in_ld_so_order)
{
    ld_platform pf = platform("haswell");
    /* glibc-hwcaps first, then every legacy combination, most names
     * first, then the directory itself. */
    cr_assert(pf.caps.count >= 2);
    assert_str_eq(pf.caps.items[pf.caps.count - 1], "");
    size_t nh = pf.hwcaps.count;
    if (nh > 0) {
        cr_assert(strncmp(pf.caps.items[0], "glibc-hwcaps/", 13) == 0);
    }
    cr_assert(strncmp(pf.caps.items[nh], "tls/haswell/", 12) == 0, "%s",
              pf.caps.items[nh]);
    cr_assert(eq(sz, pf.caps.count, nh + ((size_t)1 << pf.legacy.count)));
}
