/*
 * The ELF members of a wheel: their facts (read through the ep_object API
 * from the member's bytes in memory), checked against the wheel's platform
 * tags, the manylinux/musllinux policy those tags promise, the libraries
 * vendored in the archive, and the target. The archive itself is read in
 * audit.c.
 */
#include "wheel/wheel.h"
#include "importer/importer.h"
#include "pyabi/stable_abi.h"

#include <stdio.h>
#include <string.h>

static const char *const families[4] = {"GLIBC_", "GLIBCXX_", "CXXABI_",
                                        "GCC_"};

static ep_strlist
copy_list(ep_arena *a, ep_strlist in)
{
    ep_strvec v = {0};
    for (size_t i = 0; i < in.count; i++) {
        ep_strvec_push(a, &v, ep_arena_strdup(a, in.items[i]));
    }
    return ep_strvec_list(&v);
}

/* The platform tag of the wheel that promises the least (the lowest libc
 * floor): pip installs the wheel wherever any of its tags fits, so the
 * weakest tag is the promise every binary must keep. NULL when no tag is
 * manylinux or musllinux. */
static const ep_wplat *
weakest_policy(ep_wheels *ws, ep_wheel *w, ep_wplat *store)
{
    const ep_wplat *best = NULL;
    for (size_t i = 0; i < w->fname.ntags; i++) {
        ep_wplat p;
        if (!ep_wplat_parse(&ws->arena, w->fname.tags[i].plat, &p) ||
            (p.libc != EP_LIBC_GLIBC && p.libc != EP_LIBC_MUSL)) {
            continue;
        }
        if (best == NULL || p.major < best->major ||
            (p.major == best->major && p.minor < best->minor)) {
            *store = p;
            best = store;
        }
    }
    return best;
}

/* The highest version of each family the object requires, and from which
 * file. */
static void
highest_versions(ep_wheels *ws, ep_wmember *m, ep_object *obj)
{
    const ep_version_need *needs;
    size_t n;
    if (ep_object_version_needs(obj, &needs, &n, NULL) != EP_OK) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *v = needs[i].version;
        size_t fl = ep_version_family_len(v);
        for (int k = 0; fl > 0 && k < 4; k++) {
            if (strlen(families[k]) == fl && strncmp(v, families[k], fl) == 0 &&
                (m->highest[k] == NULL ||
                 ep_version_compare(v, m->highest[k]) > 0)) {
                m->highest[k] = ep_arena_strdup(&ws->arena, v);
                m->highest_from[k] = ep_arena_strdup(&ws->arena, needs[i].file);
            }
        }
    }
}

/* The member's machine against the platform tags, then the target. */
static void
check_arch(ep_wheels *ws, ep_wheel *w, ep_wmember *m)
{
    for (size_t i = 0; i < w->fname.ntags; i++) {
        ep_wplat p;
        const char *machine;
        int cls;
        if (!ep_wplat_parse(&ws->arena, w->fname.tags[i].plat, &p) ||
            p.arch == NULL || !ep_wplat_arch_elf(p.arch, &machine, &cls)) {
            continue;
        }
        if (strcmp(machine, m->machine) == 0 && cls == m->elf_class) {
            continue;
        }
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_WRONG_ARCHITECTURE,
            "%s is %s (ELF%d), the wheel is tagged %s", m->path, m->machine,
            m->elf_class, w->fname.tags[i].plat);
        ep_finding_detail(w->report, f,
                          "a %s interpreter needs %s ELF%d "
                          "objects; the loader refuses this file with a "
                          "misleading 'cannot open shared object file'",
                          p.arch, machine, cls);
        ep_finding_fix(
            w->report, f,
            "build the wheel on (or cross-compile "
            "for) %s, or tag it for %s; check the CI matrix that "
            "produced it (cibuildwheel CIBW_ARCHS, maturin --target)",
            p.arch, m->machine);
        ep_finding_path(w->report, f, m->path);
        return;
    }
    const char *machine;
    int cls;
    if (ws->has_target && w->supported != 0 &&
        ep_wplat_arch_elf(ws->target.plat.arch, &machine, &cls) &&
        (strcmp(machine, m->machine) != 0 || cls != m->elf_class)) {
        ep_finding_slot *f =
            ep_wheel_finding(w, EP_FINDING_WRONG_ARCHITECTURE,
                             "%s is %s (ELF%d), the target is %s", m->path,
                             m->machine, m->elf_class, ws->target.plat.arch);
        ep_finding_detail(w->report, f, "target: %s", ws->target.desc);
        ep_finding_fix(w->report, f, "install the wheel built for %s",
                       ws->target.plat.arch);
        ep_finding_path(w->report, f, m->path);
    }
}

static void
check_pyinit(ep_wheels *ws, ep_wheel *w, ep_wmember *m)
{
    if (m->module == NULL) {
        return;
    }
    const char *dot = strrchr(m->module, '.');
    const char *last = dot ? dot + 1 : m->module;
    const char *want = ep_arena_printf(&ws->arena, "PyInit_%s", last);
    for (size_t i = 0; i < m->pyinit.count; i++) {
        if (strcmp(m->pyinit.items[i], want) == 0) {
            return;
        }
    }
    ep_finding_slot *f =
        ep_wheel_finding(w, EP_FINDING_MISSING_INIT_FUNCTION,
                         "%s does not export %s", m->path, want);
    if (m->pyinit.count > 0) {
        ep_finding_detail(w->report, f,
                          "it exports %s: it was built as "
                          "another module",
                          m->pyinit.items[0]);
    } else {
        ep_finding_detail(w->report, f,
                          "it exports no PyInit_ function at all");
    }
    ep_finding_detail(w->report, f,
                      "import %s fails with: ImportError: dynamic "
                      "module does not define module export function (%s)",
                      m->module, want);
    ep_finding_fix(
        w->report, f,
        "make the file name and the module name agree "
        "(maturin: [lib] name / module-name vs #[pymodule] fn %s; C: "
        "PyInit_%s and the Extension name)",
        last, last);
    ep_finding_path(w->report, f, m->path);
}

/* Symbol versions and libc kind against the weakest policy tag. */
static void
check_policy(ep_wheels *ws, ep_wheel *w, ep_wmember *m, const ep_wplat *pol)
{
    ep_arena *a = &ws->arena;
    ep_finding_slot *f = NULL;
    const char *tag = ep_arena_printf(a, "%s_%s", pol->policy, pol->arch);
    for (int k = 0; k < 4 && pol->libc == EP_LIBC_GLIBC; k++) {
        if (m->highest[k] == NULL) {
            continue;
        }
        const char *limit = ep_policy_highest(pol, families[k], a);
        if (limit == NULL || ep_version_compare(m->highest[k], limit) <= 0) {
            continue;
        }
        if (f == NULL) {
            f = ep_wheel_finding(
                w, EP_FINDING_WHEEL_POLICY_VIOLATION,
                "%s needs %s (from %s), the tag %s allows up to %s", m->path,
                m->highest[k], m->highest_from[k], tag, limit);
        } else {
            ep_finding_detail(w->report, f,
                              "also %s (from %s), allowed up to %s",
                              m->highest[k], m->highest_from[k], limit);
        }
    }
    for (size_t i = 0; i < m->needed.count; i++) {
        if (!ep_policy_wrong_libc(pol, m->needed.items[i])) {
            continue;
        }
        const char *kind = pol->libc == EP_LIBC_GLIBC ? "musl" : "glibc";
        if (f == NULL) {
            f = ep_wheel_finding(
                w, EP_FINDING_WHEEL_POLICY_VIOLATION,
                "%s is linked against %s's C library (%s), the "
                "tag %s is for %s",
                m->path, kind, m->needed.items[i], tag,
                pol->libc == EP_LIBC_GLIBC ? "glibc" : "musl");
        } else {
            ep_finding_detail(w->report, f, "also needs %s, %s's C library",
                              m->needed.items[i], kind);
        }
    }
    for (int k = 0; k < 4 && pol->libc == EP_LIBC_MUSL; k++) {
        if (m->highest[k] != NULL && k == 0) {
            if (f == NULL) {
                f = ep_wheel_finding(w, EP_FINDING_WHEEL_POLICY_VIOLATION,
                                     "%s needs %s: a glibc symbol version in a "
                                     "musllinux wheel",
                                     m->path, m->highest[k]);
            }
        }
    }
    if (f == NULL) {
        return;
    }
    ep_finding_detail(w->report, f,
                      "the tag promises that the wheel loads on "
                      "every system with %s %d.%d or newer (PEP 600, PEP 656); "
                      "pip installs it there, and where the libc is older than "
                      "what the file needs the import fails with: version `%s' "
                      "not found",
                      pol->libc == EP_LIBC_GLIBC ? "glibc" : "musl", pol->major,
                      pol->minor, m->highest[0] ? m->highest[0] : "...");
    ep_finding_fix(w->report, f,
                   "build inside the %s image of the tag "
                   "(quay.io/pypa/%s) or tag the wheel for the libc it needs; "
                   "auditwheel repair picks the right tag",
                   tag, tag);
    ep_finding_path(w->report, f, m->path);
}

/* Against the target: the extension suffix its finder tries, its glibc. */
static void
check_target(ep_wheels *ws, ep_wheel *w, ep_wmember *m)
{
    const ep_wtarget *tg = &ws->target;
    if (!ws->has_target || w->supported == 0) {
        return;
    }
    if (m->suffix != NULL && strcmp(m->kind, "extension") == 0 &&
        !ep_wtarget_has_suffix(tg, m->suffix)) {
        ep_finding_slot *f = ep_wheel_finding(
            w, EP_FINDING_ABI_TAG_MISMATCH,
            "%s is not found by the target's finder: '%s' is not one of its "
            "extension suffixes",
            m->path, m->suffix);
        ep_finding_detail(w->report, f, "target: %s", tg->desc);
        ep_finding_detail(
            w->report, f, "EXTENSION_SUFFIXES there: %s%s%s%s%s",
            tg->ext_suffixes.count > 0 ? tg->ext_suffixes.items[0] : "",
            tg->ext_suffixes.count > 1 ? ", " : "",
            tg->ext_suffixes.count > 1 ? tg->ext_suffixes.items[1] : "",
            tg->ext_suffixes.count > 2 ? ", " : "",
            tg->ext_suffixes.count > 2 ? tg->ext_suffixes.items[2] : "");
        ep_finding_detail(w->report, f,
                          "import %s fails with "
                          "ModuleNotFoundError although pip installs the wheel",
                          m->module ? m->module : m->path);
        ep_finding_fix(w->report, f,
                       "build the module for %s (or as .abi3.so "
                       "with the Limited API)",
                       tg->tag);
        ep_finding_path(w->report, f, m->path);
    }
    if (tg->plat.libc == EP_LIBC_GLIBC && m->highest[0] != NULL) {
        const char *have = ep_arena_printf(&ws->arena, "GLIBC_%d.%d",
                                           tg->plat.major, tg->plat.minor);
        if (ep_version_compare(m->highest[0], have) > 0) {
            ep_finding_slot *f = ep_wheel_finding(
                w, EP_FINDING_GLIBC_TOO_NEW,
                "%s needs %s, the target has glibc %d.%d", m->path,
                m->highest[0], tg->plat.major, tg->plat.minor);
            ep_finding_detail(w->report, f, "target: %s", tg->desc);
            ep_finding_detail(w->report, f,
                              "the import fails there with: %s: "
                              "version `%s' not found (required by %s)",
                              m->highest_from[0], m->highest[0], m->path);
            ep_finding_fix(w->report, f,
                           "build against glibc %d.%d or older "
                           "(the manylinux_%d_%d image), or deploy on a newer "
                           "system",
                           tg->plat.major, tg->plat.minor, tg->plat.major,
                           tg->plat.minor);
            ep_finding_path(w->report, f, m->path);
        }
    }
}

/* The lowest 3.X of the wheel's cp3X-abi3 tags (the oldest CPython it
 * claims), or -1 when no tag is abi3. */
static int
abi3_minor(const ep_wheel *w)
{
    int best = -1;
    for (size_t i = 0; i < w->fname.ntags; i++) {
        const ep_wtag *t = &w->fname.tags[i];
        int minor;
        char end;
        if (strcmp(t->abi, "abi3") == 0 &&
            sscanf(t->py, "cp3%d%c", &minor, &end) == 1 &&
            (best < 0 || minor < best)) {
            best = minor;
        }
    }
    return best;
}

/* Every undefined Py/_Py import of an extension in an abi3 wheel against the
 * Stable ABI manifest (PEP 384, PEP 652; lib/pyabi/stable_abi.h): a name
 * outside it, or one that joined after the tag's 3.X, breaks the tag's
 * promise that the module loads on every CPython from 3.X on. Weak
 * references are left out: they cannot fail a load (gABI). */
static void
check_stable_abi(ep_wheels *ws, ep_wheel *w, ep_wmember *m, ep_object *obj)
{
    int minor = abi3_minor(w);
    const ep_symbol *syms;
    size_t n;
    if (minor < 0 || strcmp(m->kind, "extension") != 0 ||
        ep_object_symbols(obj, &syms, &n, NULL) != EP_OK) {
        return;
    }
    ep_finding_slot *f = NULL;
    size_t shown = 0, count = 0;
    for (size_t i = 0; i < n; i++) {
        const ep_symbol *s = &syms[i];
        if (s->defined || s->weak ||
            (strncmp(s->name, "Py", 2) != 0 &&
             strncmp(s->name, "_Py", 3) != 0)) {
            continue;
        }
        const ep_stable_abi_entry *e = ep_stable_abi_find(s->name);
        if (e != NULL && e->added <= minor) {
            continue;
        }
        count++;
        const char *why =
            e == NULL ? ep_arena_printf(&ws->arena,
                                        "%s is not in the Stable ABI", s->name)
                      : ep_arena_printf(&ws->arena,
                                        "%s joined the Stable ABI in 3.%d",
                                        s->name, e->added);
        if (f == NULL) {
            f = ep_wheel_finding(
                w, EP_FINDING_LIMITED_API_VIOLATION,
                "%s imports %s, but the wheel is tagged cp3%d-abi3", m->path,
                s->name, minor);
        }
        if (shown++ < 12) {
            ep_finding_detail(w->report, f, "%s", why);
        }
    }
    if (f == NULL) {
        return;
    }
    if (shown < count) {
        ep_finding_detail(w->report, f, "... %zu offending imports in all",
                          count);
    }
    ep_finding_detail(
        w->report, f,
        "the tag promises that the module loads on "
        "every CPython from 3.%d on; a name outside the Stable ABI "
        "may be missing or different in another version, a newer "
        "one is missing before the version it joined (undefined "
        "symbol at import)",
        minor);
    ep_finding_fix(
        w->report, f,
        "build with Py_LIMITED_API set to the tag's "
        "version (0x030%X0000 for cp3%d-abi3) so the compiler rejects "
        "what the version lacks, or raise the tag to the newest "
        "version a name needs",
        minor, minor);
    ep_finding_path(w->report, f, m->path);
}

void
ep_wheel_check_elf(ep_wheels *ws, ep_wheel *w, ep_wmember *m, ep_object *obj)
{
    ep_arena *a = &ws->arena;
    ep_kind kind = ep_object_kind(obj);
    m->elf_kind = ep_kind_str(kind);
    if (kind != EP_KIND_ELF) {
        if (strcmp(m->kind, "extension") == 0) {
            ep_finding_slot *f = ep_wheel_finding(
                w, EP_FINDING_NOT_AN_EXTENSION,
                "%s is not a loadable ELF object: %s", m->path,
                ep_object_reason(obj) ? ep_object_reason(obj) : m->elf_kind);
            ep_finding_fix(w->report, f,
                           "rebuild the wheel: the file was damaged "
                           "or replaced before it was packed (a Git "
                           "LFS pointer, a file from another OS)");
            ep_finding_path(w->report, f, m->path);
        }
        return;
    }
    const ep_elf_info *info = ep_object_elf(obj);
    if (info == NULL) {
        return;
    }
    m->machine = ep_arena_strdup(a, info->machine_name);
    m->elf_class = info->elf_class;
    m->needed = copy_list(a, info->needed);
    m->runpath =
        copy_list(a, info->runpath.count ? info->runpath : info->rpath);
    ep_strlist init = {0};
    if (ep_object_pyinit(obj, &init, NULL) == EP_OK) {
        m->pyinit = copy_list(a, init);
    }
    highest_versions(ws, m, obj);
    if (strcmp(m->kind, "extension") != 0 && strcmp(m->kind, "library") != 0) {
        m->kind = "library"; /* an ELF file under another name */
    }
    if (!w->fname_ok) {
        return;
    }
    check_arch(ws, w, m);
    if (strcmp(m->kind, "extension") == 0) {
        check_pyinit(ws, w, m);
        check_stable_abi(ws, w, m, obj);
    }
    ep_wplat store;
    const ep_wplat *pol = weakest_policy(ws, w, &store);
    if (pol != NULL) {
        check_policy(ws, w, m, pol);
    }
    check_target(ws, w, m);
}

/* The member at dir/name of the archive, or NULL. */
static const ep_wmember *
member_at(const ep_wheel *w, const char *path)
{
    for (size_t i = 0; i < w->nmembers; i++) {
        if (strcmp(w->members[i].path, path) == 0) {
            return &w->members[i];
        }
    }
    return NULL;
}

static const ep_wmember *
member_named(const ep_wheel *w, const char *base)
{
    for (size_t i = 0; i < w->nmembers; i++) {
        if (strcmp(ep_basename(w->members[i].path), base) == 0) {
            return &w->members[i];
        }
    }
    return NULL;
}

/* Whether needed resolves inside the archive through m's $ORIGIN entries
 * (auditwheel repair writes RUNPATH $ORIGIN/../<pkg>.libs). */
static bool
vendored(ep_wheels *ws, const ep_wheel *w, const ep_wmember *m,
         const char *needed)
{
    ep_arena *a = &ws->arena;
    const char *slash = strrchr(m->path, '/');
    const char *dir =
        slash ? ep_arena_strndup(a, m->path, (size_t)(slash - m->path)) : "";
    for (size_t i = 0; i < m->runpath.count; i++) {
        const char *e = m->runpath.items[i];
        const char *rest = NULL;
        if (strncmp(e, "$ORIGIN", 7) == 0) {
            rest = e + 7;
        } else if (strncmp(e, "${ORIGIN}", 9) == 0) {
            rest = e + 9;
        }
        if (rest == NULL) {
            continue;
        }
        const char *p = ep_path_normalize(
            a, ep_arena_printf(a, "%s%s/%s", dir, rest, needed));
        if (p != NULL && member_at(w, p) != NULL) {
            return true;
        }
    }
    return false;
}

void
ep_wheel_check_libraries(ep_wheels *ws, ep_wheel *w)
{
    ep_wplat store;
    const ep_wplat *pol = w->fname_ok ? weakest_policy(ws, w, &store) : NULL;
    if (pol == NULL) {
        return;
    }
    ep_arena *a = &ws->arena;
    const char *tag = ep_arena_printf(a, "%s_%s", pol->policy, pol->arch);
    for (size_t i = 0; i < w->nmembers; i++) {
        const ep_wmember *m = &w->members[i];
        if (m->machine == NULL) {
            continue;
        }
        ep_finding_slot *f = NULL;
        for (size_t k = 0; k < m->needed.count; k++) {
            const char *needed = m->needed.items[k];
            if (ep_policy_allows(pol, needed) ||
                ep_policy_wrong_libc(pol, needed) ||
                vendored(ws, w, m, needed)) {
                continue;
            }
            const ep_wmember *there = member_named(w, needed);
            if (f == NULL) {
                f = ep_wheel_finding(
                    w, EP_FINDING_WHEEL_UNVENDORED_LIBRARY,
                    "%s needs %s, which is neither in the wheel "
                    "nor a system library the tag %s may assume",
                    m->path, needed, tag);
            } else {
                ep_finding_detail(w->report, f, "also needs %s", needed);
            }
            if (there != NULL) {
                ep_finding_detail(w->report, f,
                                  "%s is in the wheel at %s, but "
                                  "no $ORIGIN entry of the RUNPATH/RPATH (%zu "
                                  "entries) leads there",
                                  needed, there->path, m->runpath.count);
                ep_finding_path(w->report, f, there->path);
            } else if (strncmp(needed, "libpython", 9) == 0) {
                ep_finding_detail(
                    w->report, f,
                    "an extension module must not "
                    "link libpython: the interpreter provides its "
                    "symbols (and is often static)");
            } else {
                ep_finding_detail(w->report, f,
                                  "on a system without %s the "
                                  "import fails with: %s: cannot open shared "
                                  "object file: No such file or directory",
                                  needed, needed);
            }
        }
        if (f != NULL) {
            ep_finding_fix(
                w->report, f,
                "vendor the library with `auditwheel "
                "repair` (it copies it to <pkg>.libs/ and sets RUNPATH "
                "$ORIGIN/../<pkg>.libs), or link it statically");
            ep_finding_path(w->report, f, m->path);
        }
    }
}
