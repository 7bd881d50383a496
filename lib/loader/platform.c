/*
 * What ld.so works out about the machine before it loads anything: the
 * value of $PLATFORM and $LIB, the glibc-hwcaps subdirectories the CPU
 * supports, the legacy hwcap subdirectories of glibc <= 2.36 and the
 * default directories (glibc 2.36 no longer compares the kernel version with
 * anything). Options override each for tests.
 */
#include "loader/loader.h"
#include "util/strbuf.h"
#include "util/error.h"
#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__x86_64__) && defined(__GLIBC__)
#include <cpuid.h>
#include <sys/platform/x86.h>
#define EP_X86_64 1
#endif

/* GNU_PROPERTY_X86_ISA_1_* bits (elf.h names them in newer glibc only). */
#define ISA_BASELINE (1u << 0)
#define ISA_V2 (1u << 1)
#define ISA_V3 (1u << 2)
#define ISA_V4 (1u << 3)

/* The default rtld of the x86-64 psABI. */
#define RTLD_X86_64 "/lib64/ld-linux-x86-64.so.2"

#ifdef EP_X86_64
/* x86_cpu_active/x86_cpu_present of <sys/platform/x86.h>, with the shift
 * done unsigned: glibc's own inline shifts a signed 1 by up to 31, which
 * UBSan rejects (bit 31 is AVX512VL). */
static bool
cpu_bit(unsigned int index, bool active)
{
    const struct cpuid_feature *f =
        __x86_get_cpuid_feature_leaf(index / (8 * sizeof(unsigned int) * 4));
    unsigned int reg = index & (8 * sizeof(unsigned int) * 4 - 1);
    unsigned int bit = reg & (8 * sizeof(unsigned int) - 1);
    reg /= 8 * sizeof(unsigned int);
    return ((active ? f->active_array[reg] : f->cpuid_array[reg]) &
            (1u << bit)) != 0;
}

#undef CPU_FEATURE_ACTIVE
#undef CPU_FEATURE_PRESENT
#define CPU_FEATURE_ACTIVE(name) cpu_bit(x86_cpu_##name, true)
#define CPU_FEATURE_PRESENT(name) cpu_bit(x86_cpu_##name, false)

/* sysdeps/x86/get-isa-level.h get_isa_level, on glibc's own view of the
 * usable CPU features (CPU_FEATURE_ACTIVE reads ld.so's cpu_features). */
static uint32_t
isa_level(void)
{
    uint32_t level = 0;
    if (!(CPU_FEATURE_ACTIVE(CMOV) && CPU_FEATURE_ACTIVE(CX8) &&
          CPU_FEATURE_PRESENT(FPU) && CPU_FEATURE_ACTIVE(FXSR) &&
          CPU_FEATURE_ACTIVE(MMX) && CPU_FEATURE_ACTIVE(SSE) &&
          CPU_FEATURE_ACTIVE(SSE2))) {
        return level;
    }
    level |= ISA_BASELINE;
    if (!(CPU_FEATURE_ACTIVE(CMPXCHG16B) && CPU_FEATURE_ACTIVE(LAHF64_SAHF64) &&
          CPU_FEATURE_ACTIVE(POPCNT) && CPU_FEATURE_ACTIVE(SSE3) &&
          CPU_FEATURE_ACTIVE(SSSE3) && CPU_FEATURE_ACTIVE(SSE4_1) &&
          CPU_FEATURE_ACTIVE(SSE4_2))) {
        return level;
    }
    level |= ISA_V2;
    if (!(CPU_FEATURE_ACTIVE(AVX) && CPU_FEATURE_ACTIVE(AVX2) &&
          CPU_FEATURE_ACTIVE(F16C) && CPU_FEATURE_ACTIVE(FMA) &&
          CPU_FEATURE_ACTIVE(LZCNT) && CPU_FEATURE_ACTIVE(MOVBE))) {
        return level;
    }
    level |= ISA_V3;
    if (CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512BW) &&
        CPU_FEATURE_ACTIVE(AVX512CD) && CPU_FEATURE_ACTIVE(AVX512DQ) &&
        CPU_FEATURE_ACTIVE(AVX512VL)) {
        level |= ISA_V4;
    }
    return level;
}

/* sysdeps/x86_64/dl-hwcaps-subdirs.c _dl_hwcaps_subdirs_active: v2 needs
 * the v2 features, v3 adds BMI1/BMI2/OSXSAVE to the ISA-level list, v4 the
 * AVX-512 quintet; best first. */
static bool
default_hwcaps(ep_arena *a, ep_strvec *out)
{
    int active = 0;
    if (CPU_FEATURE_ACTIVE(CMPXCHG16B) && CPU_FEATURE_ACTIVE(LAHF64_SAHF64) &&
        CPU_FEATURE_ACTIVE(POPCNT) && CPU_FEATURE_ACTIVE(SSE3) &&
        CPU_FEATURE_ACTIVE(SSE4_1) && CPU_FEATURE_ACTIVE(SSE4_2) &&
        CPU_FEATURE_ACTIVE(SSSE3)) {
        active = 1;
        if (CPU_FEATURE_ACTIVE(AVX) && CPU_FEATURE_ACTIVE(AVX2) &&
            CPU_FEATURE_ACTIVE(BMI1) && CPU_FEATURE_ACTIVE(BMI2) &&
            CPU_FEATURE_ACTIVE(F16C) && CPU_FEATURE_ACTIVE(FMA) &&
            CPU_FEATURE_ACTIVE(LZCNT) && CPU_FEATURE_ACTIVE(MOVBE) &&
            CPU_FEATURE_ACTIVE(OSXSAVE)) {
            active = 2;
            if (CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512BW) &&
                CPU_FEATURE_ACTIVE(AVX512CD) && CPU_FEATURE_ACTIVE(AVX512DQ) &&
                CPU_FEATURE_ACTIVE(AVX512VL)) {
                active = 3;
            }
        }
    }
    static const char *const names[] = {"x86-64-v4", "x86-64-v3", "x86-64-v2"};
    for (int i = 3 - active; i < 3; i++) {
        if (!ep_strvec_push(a, out, names[i])) {
            return false;
        }
    }
    return true;
}

static bool
is_intel(void)
{
    unsigned int max, ebx, ecx, edx;
    if (__get_cpuid(0, &max, &ebx, &ecx, &edx) == 0) {
        return false;
    }
    return ebx == 0x756e6547 && edx == 0x49656e69 && ecx == 0x6c65746e;
}

/* sysdeps/x86/cpu-features.c (glibc < 2.37), Intel CPUs only: dl_platform
 * becomes "xeon_phi" or "haswell", and HWCAP_X86_AVX512_1 joins
 * HWCAP_X86_64 in dl_hwcap. Other vendors keep the kernel's AT_PLATFORM. */
static void
legacy_platform(const char **platform, bool *avx512_1)
{
    *avx512_1 = false;
    if (!is_intel()) {
        return;
    }
    const char *p = NULL;
    if (CPU_FEATURE_ACTIVE(AVX512CD)) {
        if (CPU_FEATURE_ACTIVE(AVX512ER)) {
            if (CPU_FEATURE_ACTIVE(AVX512PF)) {
                p = "xeon_phi";
            }
        } else if (CPU_FEATURE_ACTIVE(AVX512BW) &&
                   CPU_FEATURE_ACTIVE(AVX512DQ) &&
                   CPU_FEATURE_ACTIVE(AVX512VL)) {
            *avx512_1 = true;
        }
    }
    if (p == NULL && CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(FMA) &&
        CPU_FEATURE_ACTIVE(BMI1) && CPU_FEATURE_ACTIVE(BMI2) &&
        CPU_FEATURE_ACTIVE(LZCNT) && CPU_FEATURE_ACTIVE(MOVBE) &&
        CPU_FEATURE_ACTIVE(POPCNT)) {
        p = "haswell";
    }
    if (p != NULL) {
        *platform = p;
    }
}
#endif /* EP_X86_64 */

/* Push each ':'-separated element of s. */
static bool
push_list(ep_arena *a, ep_strvec *v, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, ":");
        if (n > 0) {
            char *e = ep_arena_strndup(a, s, n);
            if (e == NULL || !ep_strvec_push(a, v, e)) {
                return false;
            }
        }
        s += n;
        if (*s == ':') {
            s++;
        }
    }
    return true;
}

/* elf/dl-hwcaps.c (2.33-2.36) _dl_important_hwcaps, legacy part: every
 * combination of the names, most names first, the first name the most
 * significant; then the glibc-hwcaps subdirectories go in front. */
static bool
build_caps(ep_arena *a, ld_platform *pf)
{
    for (size_t i = 0; i < pf->hwcaps.count; i++) {
        char *s = ep_arena_printf(a, "glibc-hwcaps/%s/", pf->hwcaps.items[i]);
        if (s == NULL || !ep_strvec_push(a, &pf->caps, s)) {
            return false;
        }
    }
    size_t n = pf->legacy.count;
    if (n > 16) {
        n = 16; /* 65536 combinations is already absurd */
    }
    for (size_t mask = ((size_t)1 << n) - 1;; mask--) {
        ep_strbuf sb;
        ep_strbuf_init(&sb);
        ep_strbuf_puts(&sb, "");
        for (size_t k = 0; k < n; k++) {
            if (mask & ((size_t)1 << (n - 1 - k))) {
                ep_strbuf_puts(&sb, pf->legacy.items[k]);
                ep_strbuf_putc(&sb, '/');
            }
        }
        char *tmp = ep_strbuf_take(&sb);
        char *s = tmp ? ep_arena_strdup(a, tmp) : NULL;
        free(tmp);
        if (s == NULL || !ep_strvec_push(a, &pf->caps, s)) {
            return false;
        }
        if (mask == 0) {
            break;
        }
    }
    return true;
}

/* Debian's multiarch ld.so searches /lib/<triplet>/ and /usr/lib/<triplet>/
 * before /lib/ and /usr/lib/, and $LIB is lib/<triplet>; a lib64 layout
 * (Fedora, SUSE) has /lib64/ and /usr/lib64/. The two builds are told apart
 * by the multiarch directory, which only the first has. */
static bool
system_layout(ep_arena *a, ld_platform *pf)
{
    static const char *const multiarch[] = {"/lib/x86_64-linux-gnu/",
                                            "/usr/lib/x86_64-linux-gnu/",
                                            "/lib/", "/usr/lib/"};
    static const char *const lib64[] = {"/lib64/", "/usr/lib64/"};
    struct stat sb;
    bool is_multiarch =
        stat("/usr/lib/x86_64-linux-gnu", &sb) == 0 && S_ISDIR(sb.st_mode);
    const char *const *dirs = is_multiarch ? multiarch : lib64;
    size_t n = is_multiarch ? 4 : 2;
    pf->lib = is_multiarch ? "lib/x86_64-linux-gnu" : "lib64";
    for (size_t i = 0; i < n; i++) {
        if (!ep_strvec_push(a, &pf->system_dirs, dirs[i])) {
            return false;
        }
    }
    return true;
}

ep_status
ld_platform_init(ep_arena *a, ld_platform *pf, const ep_deps_options *opt,
                 ep_error *err)
{
    const char *platform = "x86_64"; /* the kernel's AT_PLATFORM */
    bool avx512_1 = false;
    memset(pf, 0, sizeof(*pf));
    if (pf->rtld == NULL) {
        pf->rtld = RTLD_X86_64;
    }
#ifdef EP_X86_64
    legacy_platform(&platform, &avx512_1);
    pf->isa_level = isa_level();
#endif
    pf->platform = opt->platform ? opt->platform : platform;
    bool ok = true;
    if (opt->hwcaps != NULL) {
        ok = push_list(a, &pf->hwcaps, opt->hwcaps);
    } else {
#ifdef EP_X86_64
        ok = default_hwcaps(a, &pf->hwcaps);
#endif
    }
    /* The legacy strings in search order: "tls" (always, TLS builds), the
     * platform, then the hwcap bits from the highest (dl-hwcaps.c). */
    ok = ok && ep_strvec_push(a, &pf->legacy, "tls");
    if (ok && pf->platform != NULL && pf->platform[0] != '\0') {
        ok = ep_strvec_push(a, &pf->legacy, pf->platform);
    }
    if (ok && opt->legacy_hwcaps != NULL) {
        ok = push_list(a, &pf->legacy, opt->legacy_hwcaps);
    } else if (ok) {
        if (avx512_1) {
            ok = ep_strvec_push(a, &pf->legacy, "avx512_1");
        }
        ok = ok && ep_strvec_push(a, &pf->legacy, "x86_64");
    }
    ok = ok && build_caps(a, pf) && system_layout(a, pf);
    if (!ok) {
        return ep_fail_nomem(err);
    }
    return EP_OK;
}
