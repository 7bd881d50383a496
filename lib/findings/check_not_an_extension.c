/*
 * not-an-extension: the file the finder picks is not a loadable ELF shared
 * object -- truncated, corrupt, a Mach-O or PE build from another OS, a
 * Git LFS pointer, text, or an ELF object of the wrong type (an executable
 * or a relocatable .o). dlopen() fails with "invalid ELF header", "file too
 * short" or "only ET_DYN and ET_EXEC can be loaded".
 */
#include "findings/checks.h"

#include <elf.h>
#include <string.h>

/* A Git LFS pointer file stands in for the binary when `git lfs pull` was
 * never run: its first line is fixed by the LFS spec. */
static bool
is_lfs_pointer(ep_ctx *c, const char *path)
{
    char *text;
    size_t len;
    if (ep_fs_read(c->a, path, 256, &text, &len, NULL, NULL) != EP_OK) {
        return false;
    }
    return strncmp(text, "version https://git-lfs.github.com/spec/", 40) == 0;
}

ep_status
ep_check_not_an_extension(ep_ctx *c, ep_analysis *an)
{
    ep_object *o = an->ext;
    if (o == NULL || ep_object_kind(o) == EP_KIND_UNREADABLE) {
        return EP_OK;
    }
    ep_kind kind = ep_object_kind(o);
    const ep_elf_info *info = ep_object_elf(o);
    const char *why = NULL;
    if (kind != EP_KIND_ELF) {
        why = ep_object_reason(o);
        if (why == NULL) {
            why = ep_kind_str(kind);
        }
        /* Say the kind in words the loader's message echoes ("file too
         * short"), then the detail of where the file ends. */
        if (kind == EP_KIND_TRUNCATED || kind == EP_KIND_EMPTY) {
            why = ep_arena_printf(c->a, "truncated (%llu bytes): %s",
                                  (unsigned long long)ep_object_size(o), why);
        } else if (kind == EP_KIND_CORRUPT) {
            why = ep_arena_printf(c->a, "corrupt: %s", why);
        }
    } else if (info != NULL && info->type != ET_DYN) {
        why = ep_arena_printf(c->a,
                              "an ELF %s object, not a shared object "
                              "(ET_DYN) that dlopen() can load",
                              info->type_name ? info->type_name : "?");
    }
    if (why == NULL) {
        return EP_OK;
    }
    an->elf_bad = true;
    bool lfs = is_lfs_pointer(c, an->ext_path);
    ep_finding_slot *fs =
        ep_check_add(c, an, EP_FINDING_NOT_AN_EXTENSION,
                     "%s is not a loadable extension: %s", an->ext_path,
                     lfs ? "a Git LFS pointer, not the binary" : why);
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs,
                      "The finder picks it for %s by its name (%s), "
                      "but the loader cannot map it: %s",
                      an->name, ep_basename(an->ext_path), why);
    ep_finding_path(c->r, fs, an->ext_path);
    switch (kind) {
    case EP_KIND_MACHO:
    case EP_KIND_PE:
        ep_finding_detail(c->r, fs,
                          "Python reports: ImportError: ...: invalid "
                          "ELF header");
        ep_finding_fix(c->r, fs,
                       "A build for another operating system was "
                       "copied or installed here; reinstall for this platform: "
                       "%s",
                       ep_fix_reinstall(c, an));
        break;
    case EP_KIND_TRUNCATED:
    case EP_KIND_EMPTY:
    case EP_KIND_CORRUPT:
        ep_finding_fix(c->r, fs,
                       "The file was damaged (an interrupted copy, "
                       "a full disk, a broken repair step); rebuild or "
                       "reinstall it: %s",
                       ep_fix_reinstall(c, an));
        break;
    default:
        if (lfs) {
            ep_finding_fix(c->r, fs,
                           "Fetch the real file: git lfs pull (in CI, "
                           "enable LFS in the checkout step)");
        } else {
            ep_finding_fix(c->r, fs, "Replace %s with the compiled module: %s",
                           an->ext_path, ep_fix_rebuild(c, an));
        }
        break;
    }
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_not_an_extension_from_trial(ep_ctx *c, ep_analysis *an,
                                     const ep_trial_error *e)
{
    return ep_trial_rebuild_finding(c, an, EP_FINDING_NOT_AN_EXTENSION, e);
}
