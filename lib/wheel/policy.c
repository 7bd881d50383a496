/*
 * The manylinux/musllinux policy of a platform tag, from the data tables
 * policy.def (symbol versions) and policy_libs.def (system libraries).
 * Judges single facts; the checks that use them are in members.c.
 */
#include "wheel/wheel.h"

#include <string.h>

typedef struct policy_row {
    int major, minor;
    const char *arch;
    const char *highest[4]; /* GLIBC, GLIBCXX, CXXABI, GCC */
} policy_row;

static const policy_row rows[] = {
#define EP_POLICY(M, m, arch, glibc, glibcxx, cxxabi, gcc)                     \
    {M, m, arch, {glibc, glibcxx, cxxabi, gcc}},
#include "wheel/policy.def"
#undef EP_POLICY
};

static const struct {
    const char *name;
    int libc;
    int since_minor;
} libs[] = {
#define EP_POLICY_LIB(name, libc, since) {name, libc, since},
#include "wheel/policy_libs.def"
#undef EP_POLICY_LIB
};

static const char *const families[4] = {"GLIBC_", "GLIBCXX_", "CXXABI_",
                                        "GCC_"};

/* The row of the newest policy not newer than plat, for its arch. */
static const policy_row *
find_row(const ep_wplat *plat)
{
    const policy_row *best = NULL;
    for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
        const policy_row *r = &rows[i];
        if (strcmp(r->arch, plat->arch) != 0 || r->major != plat->major ||
            r->minor > plat->minor) {
            continue;
        }
        if (best == NULL || r->minor > best->minor) {
            best = r;
        }
    }
    return best;
}

const char *
ep_policy_highest(const ep_wplat *plat, const char *family, ep_arena *a)
{
    if (plat->libc != EP_LIBC_GLIBC || plat->arch == NULL) {
        return NULL;
    }
    const policy_row *r = find_row(plat);
    for (int k = 0; k < 4; k++) {
        if (strcmp(family, families[k]) != 0) {
            continue;
        }
        if (r != NULL && r->major == plat->major && r->minor == plat->minor &&
            r->highest[k] != NULL) {
            return ep_arena_printf(a, "%s%s", family, r->highest[k]);
        }
        if (k == 0) {
            /* no exact row: the tag itself is the glibc promise (PEP 600) */
            return ep_arena_printf(a, "GLIBC_%d.%d", plat->major, plat->minor);
        }
        return r && r->highest[k]
                   ? ep_arena_printf(a, "%s%s", family, r->highest[k])
                   : NULL;
    }
    return NULL;
}

bool
ep_policy_allows(const ep_wplat *plat, const char *needed)
{
    for (size_t i = 0; i < sizeof(libs) / sizeof(*libs); i++) {
        if (libs[i].libc == plat->libc && strcmp(libs[i].name, needed) == 0 &&
            (plat->libc != EP_LIBC_GLIBC ||
             plat->minor >= libs[i].since_minor || plat->major > 2)) {
            return true;
        }
    }
    /* musl's libc is named for its arch on Alpine (libc.musl-x86_64.so.1),
     * and so is its loader (ld-musl-x86_64.so.1) */
    return plat->libc == EP_LIBC_MUSL &&
           (strncmp(needed, "ld-musl-", 8) == 0 ||
            strncmp(needed, "libc.musl-", 10) == 0);
}

bool
ep_policy_wrong_libc(const ep_wplat *plat, const char *needed)
{
    bool musl = strncmp(needed, "libc.musl-", 10) == 0 ||
                strncmp(needed, "ld-musl-", 8) == 0 ||
                strcmp(needed, "libc.so") == 0;
    bool glibc =
        strcmp(needed, "libc.so.6") == 0 || strncmp(needed, "ld-linux", 8) == 0;
    return (plat->libc == EP_LIBC_GLIBC && musl) ||
           (plat->libc == EP_LIBC_MUSL && glibc);
}
