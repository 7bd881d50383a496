/*
 * Wheel tags (PEP 425, PEP 427), platform tags (PEP 513, 571, 599, 600,
 * 656) and the target an audit judges for: which tags a CPython on a given
 * platform accepts, as pip's packaging.tags orders them (cpython_tags,
 * compatible_tags), and which extension suffixes its finder tries.
 */
#include "wheel/wheel.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Split s at sep into a, at most max parts; the count. */
static size_t
split(ep_arena *a, const char *s, char sep, const char **parts, size_t max)
{
    size_t n = 0;
    while (n < max) {
        const char *e = strchr(s, sep);
        size_t len = e ? (size_t)(e - s) : strlen(s);
        parts[n++] = ep_arena_strndup(a, s, len);
        if (e == NULL) {
            return n;
        }
        s = e + 1;
    }
    return max + 1; /* too many */
}

bool
ep_wtag_expand(ep_arena *a, const char *tag, ep_wtag **tags, size_t *n)
{
    const char *part[3];
    if (split(a, tag, '-', part, 3) != 3) {
        return false;
    }
    const char *py[16], *abi[16], *plat[64];
    size_t npy = split(a, part[0], '.', py, 16);
    size_t nabi = split(a, part[1], '.', abi, 16);
    size_t nplat = split(a, part[2], '.', plat, 64);
    if (npy > 16 || nabi > 16 || nplat > 64) {
        return false;
    }
    ep_wtag *out = ep_arena_alloc(a, npy * nabi * nplat * sizeof(*out));
    if (out == NULL) {
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < npy; i++) {
        for (size_t j = 0; j < nabi; j++) {
            for (size_t l = 0; l < nplat; l++) {
                if (!py[i][0] || !abi[j][0] || !plat[l][0]) {
                    return false;
                }
                out[k].py = py[i];
                out[k].abi = abi[j];
                out[k].plat = plat[l];
                k++;
            }
        }
    }
    *tags = out;
    *n = k;
    return true;
}

const char *
ep_wtag_str(ep_arena *a, const ep_wtag *t)
{
    return ep_arena_printf(a, "%s-%s-%s", t->py, t->abi, t->plat);
}

bool
ep_wheel_fname_parse(ep_arena *a, const char *basename, ep_wheel_fname *out,
                     const char **why)
{
    size_t len = strlen(basename);
    memset(out, 0, sizeof(*out));
    if (len < 5 || strcmp(basename + len - 4, ".whl") != 0) {
        *why = "the name does not end in .whl";
        return false;
    }
    char *stem = ep_arena_strndup(a, basename, len - 4);
    const char *part[6];
    size_t n = stem ? split(a, stem, '-', part, 6) : 0;
    if (n != 5 && n != 6) {
        *why = "a wheel name has 5 or 6 '-'-separated parts: "
               "name-version(-build)-python-abi-platform.whl (PEP 427)";
        return false;
    }
    out->dist = part[0];
    out->version = part[1];
    if (n == 6) {
        out->build = part[2];
        if (!isdigit((unsigned char)out->build[0])) {
            *why = "the build tag must start with a digit (PEP 427)";
            return false;
        }
    }
    const char *tag =
        ep_arena_printf(a, "%s-%s-%s", part[n - 3], part[n - 2], part[n - 1]);
    if (tag == NULL || !ep_wtag_expand(a, tag, &out->tags, &out->ntags)) {
        *why = "its tags are not python-abi-platform (PEP 425)";
        return false;
    }
    return true;
}

/* Read "X_Y_" at s (manylinux_X_Y_arch); the length read, or 0. */
static size_t
two_numbers(const char *s, int *x, int *y)
{
    int nx = 0, ny = 0;
    if (sscanf(s, "%d_%d_%n", x, y, &ny) == 2 && ny > 0) {
        (void)nx;
        return (size_t)ny;
    }
    return 0;
}

bool
ep_wplat_parse(ep_arena *a, const char *plat, ep_wplat *out)
{
    /* PEP 600 keeps the legacy names as aliases of these glibc floors. */
    static const struct {
        const char *prefix;
        int major, minor;
    } legacy[] = {
        {"manylinux1_", 2, 5},
        {"manylinux2010_", 2, 12},
        {"manylinux2014_", 2, 17},
    };
    memset(out, 0, sizeof(*out));
    if (strcmp(plat, "any") == 0) {
        out->libc = EP_LIBC_NONE;
        return true;
    }
    for (size_t i = 0; i < sizeof(legacy) / sizeof(*legacy); i++) {
        size_t n = strlen(legacy[i].prefix);
        if (strncmp(plat, legacy[i].prefix, n) == 0 && plat[n]) {
            out->libc = EP_LIBC_GLIBC;
            out->major = legacy[i].major;
            out->minor = legacy[i].minor;
            out->arch = plat + n;
            out->policy =
                ep_arena_printf(a, "manylinux_%d_%d", out->major, out->minor);
            return true;
        }
    }
    if (strncmp(plat, "manylinux_", 10) == 0 ||
        strncmp(plat, "musllinux_", 10) == 0) {
        size_t n = two_numbers(plat + 10, &out->major, &out->minor);
        if (n == 0 || !plat[10 + n]) {
            return false;
        }
        out->libc = plat[1] == 'a' ? EP_LIBC_GLIBC : EP_LIBC_MUSL;
        out->arch = plat + 10 + n;
        out->policy =
            ep_arena_printf(a, "%.9s_%d_%d", plat, out->major, out->minor);
        return true;
    }
    if (strncmp(plat, "linux_", 6) == 0 && plat[6]) {
        out->libc = EP_LIBC_LINUX;
        out->arch = plat + 6;
        return true;
    }
    out->libc = EP_LIBC_OTHER; /* macosx_*, win_*, android_*, ... */
    return true;
}

/* Arch tag, ELF machine name (lib/elf/names.c), class, multiarch triplet
 * (glibc; the musl one replaces "gnu" by "musl"). */
static const struct arch_row {
    const char *arch, *machine;
    int cls;
    const char *multiarch;
} arches[] = {
    {"x86_64", "x86_64", 64, "x86_64-linux-gnu"},
    {"i686", "i386", 32, "i386-linux-gnu"},
    {"aarch64", "aarch64", 64, "aarch64-linux-gnu"},
    {"armv7l", "arm", 32, "arm-linux-gnueabihf"},
    {"ppc64le", "ppc64le", 64, "powerpc64le-linux-gnu"},
    {"ppc64", "ppc64", 64, "powerpc64-linux-gnu"},
    {"s390x", "s390x", 64, "s390x-linux-gnu"},
    {"riscv64", "riscv64", 64, "riscv64-linux-gnu"},
    {"loongarch64", "loongarch64", 64, "loongarch64-linux-gnu"},
};

static const struct arch_row *
arch_row(const char *arch)
{
    for (size_t i = 0; arch && i < sizeof(arches) / sizeof(*arches); i++) {
        if (strcmp(arches[i].arch, arch) == 0) {
            return &arches[i];
        }
    }
    return NULL;
}

bool
ep_wplat_arch_elf(const char *arch, const char **machine, int *cls)
{
    const struct arch_row *r = arch_row(arch);
    if (r == NULL) {
        return false;
    }
    *machine = r->machine;
    *cls = r->cls;
    return true;
}

/* "cp312" -> 3, 12; "cp312t" -> also *flags "t". False otherwise. */
static bool
cp_version(const char *s, const char *impl, int *major, int *minor,
           const char **flags)
{
    size_t il = strlen(impl);
    if (strncmp(s, impl, il) != 0 || !isdigit((unsigned char)s[il])) {
        return false;
    }
    const char *d = s + il;
    size_t nd = 0;
    while (isdigit((unsigned char)d[nd])) {
        nd++;
    }
    *major = d[0] - '0';
    *minor = nd > 1 ? atoi(d + 1) : -1;
    if (flags != NULL) {
        *flags = d + nd;
    } else if (d[nd] != '\0') {
        return false;
    }
    return true;
}

bool
ep_wtarget_from_tag(ep_arena *a, const char *tag, ep_wtarget *out,
                    const char **why)
{
    const char *part[3];
    size_t n = split(a, tag, '-', part, 3);
    memset(out, 0, sizeof(*out));
    if (n != 2 && n != 3) {
        *why = "a target is PYTHON-PLATFORM or PYTHON-ABI-PLATFORM, e.g. "
               "cp312-manylinux_2_28_aarch64";
        return false;
    }
    const char *flags = "";
    const char *abi = n == 3 ? part[1] : part[0];
    int major, minor;
    if (!cp_version(part[0], "cp", &major, &minor, &flags) || minor < 0) {
        *why = "the python tag of a target must be a CPython one, cpXY";
        return false;
    }
    if (n == 3 && strcmp(abi, "abi3") != 0 && strcmp(abi, "none") != 0) {
        int amaj, amin;
        if (!cp_version(abi, "cp", &amaj, &amin, &flags) || amaj != major ||
            amin != minor) {
            *why = "the abi tag of a target is cpXY (with its flags) for "
                   "the same version";
            return false;
        }
    }
    if (!ep_wplat_parse(a, part[n - 1], &out->plat) ||
        out->plat.libc == EP_LIBC_NONE || out->plat.libc == EP_LIBC_OTHER) {
        *why = "the platform of a target must be manylinux_X_Y_ARCH, "
               "musllinux_X_Y_ARCH, a legacy manylinux alias or linux_ARCH";
        return false;
    }
    const struct arch_row *r = arch_row(out->plat.arch);
    if (r == NULL) {
        *why = "unknown architecture in the platform tag";
        return false;
    }
    out->major = major;
    out->minor = minor;
    out->abiflags = ep_arena_strdup(a, flags);
    out->desc = ep_arena_strdup(a, tag);
    out->tag = ep_arena_printf(a, "cp%d%d-cp%d%d%s-%s", major, minor, major,
                               minor, flags, part[n - 1]);
    char *multi = ep_arena_strdup(a, r->multiarch);
    if (multi == NULL || out->tag == NULL || out->abiflags == NULL) {
        *why = "out of memory";
        return false;
    }
    if (out->plat.libc == EP_LIBC_MUSL) {
        multi = ep_arena_printf(
            a, "%.*smusl%s", (int)(strstr(r->multiarch, "gnu") - r->multiarch),
            r->multiarch, strstr(r->multiarch, "gnu") + 3);
    }
    /* importlib.machinery.EXTENSION_SUFFIXES of that CPython on Linux; a
     * free-threaded build has no abi3 (PEP 703). */
    ep_strvec_push(a, &out->ext_suffixes,
                   ep_arena_printf(a, ".cpython-%d%d%s-%s.so", major, minor,
                                   flags, multi));
    if (strchr(flags, 't') == NULL) {
        ep_strvec_push(a, &out->ext_suffixes, ".abi3.so");
    }
    ep_strvec_push(a, &out->ext_suffixes, ".so");
    return true;
}

/* Whether the target's installer accepts platform tag plat. */
static bool
plat_ok(const ep_wtarget *tg, const char *plat)
{
    ep_arena a;
    ep_wplat p;
    ep_arena_init(&a);
    bool ok = ep_wplat_parse(&a, plat, &p);
    if (ok && p.libc != EP_LIBC_NONE) {
        ok = p.arch != NULL && tg->plat.arch != NULL &&
             strcmp(p.arch, tg->plat.arch) == 0;
        if (ok && (p.libc == EP_LIBC_GLIBC || p.libc == EP_LIBC_MUSL)) {
            /* packaging.tags: manylinux_X_Y for every Y up to the glibc
             * version (and the legacy aliases of those), musllinux the
             * same for musl */
            ok = tg->plat.libc == p.libc &&
                 (tg->plat.major > p.major ||
                  (tg->plat.major == p.major && tg->plat.minor >= p.minor));
        } else if (ok) {
            ok = p.libc == EP_LIBC_LINUX;
        }
    }
    ep_arena_release(&a);
    return ok;
}

bool
ep_wtarget_supports(const ep_wtarget *tg, const ep_wtag *t)
{
    int major, minor;
    const char *flags;
    if (!plat_ok(tg, t->plat)) {
        return false;
    }
    if (cp_version(t->py, "cp", &major, &minor, NULL)) {
        if (major != tg->major || minor < 0) {
            return false;
        }
        if (strcmp(t->abi, "abi3") == 0) {
            /* cp3X-abi3 for every X from 2 up to the target's minor */
            return minor <= tg->minor && strchr(tg->abiflags, 't') == NULL;
        }
        if (minor != tg->minor) {
            return false;
        }
        if (strcmp(t->abi, "none") == 0) {
            return true;
        }
        int amaj, amin;
        return cp_version(t->abi, "cp", &amaj, &amin, &flags) &&
               amaj == major && amin == minor &&
               strcmp(flags, tg->abiflags) == 0;
    }
    if (cp_version(t->py, "py", &major, &minor, NULL)) {
        /* py3, and py3X for X up to the target's minor, with abi none */
        return strcmp(t->abi, "none") == 0 && major == tg->major &&
               minor <= tg->minor;
    }
    return false;
}

bool
ep_wtarget_has_suffix(const ep_wtarget *tg, const char *suffix)
{
    return ep_strvec_contains(&tg->ext_suffixes, suffix);
}
