/*
 * wrong-architecture: the extension's ELF class, byte order or machine
 * differs from the interpreter's own executable, the process it would be
 * mapped into. glibc reports a wrong e_machine as "cannot open shared
 * object file: No such file or directory" for a file that exists -- the
 * most misleading error in this table -- and a wrong class as "wrong ELF
 * class: ELFCLASS32".
 */
#include "findings/checks.h"

#include <string.h>

ep_status
ep_check_wrong_architecture(ep_ctx *c, ep_analysis *an)
{
    const ep_elf_info *mod = an->ext ? ep_object_elf(an->ext) : NULL;
    const ep_elf_info *exe =
        c->interp_exe ? ep_object_elf(c->interp_exe) : NULL;
    if (mod == NULL || exe == NULL || an->elf_bad) {
        return EP_OK;
    }
    bool cls = mod->elf_class != exe->elf_class;
    bool data = mod->data != exe->data;
    bool mach = mod->machine != exe->machine;
    if (!cls && !data && !mach) {
        return EP_OK;
    }
    an->elf_bad = true;
    ep_finding_slot *fs = ep_check_add(
        c, an, EP_FINDING_WRONG_ARCHITECTURE,
        "%s is a %d-bit %s object; the interpreter is %d-bit %s",
        ep_basename(an->ext_path), mod->elf_class,
        mod->machine_name ? mod->machine_name : "?", exe->elf_class,
        exe->machine_name ? exe->machine_name : "?");
    if (fs == NULL) {
        return ep_fail_nomem(c->err);
    }
    ep_finding_detail(c->r, fs, "%s: ELF class %d, %s-endian, machine %s (%d)",
                      an->ext_path, mod->elf_class, mod->endian_name,
                      mod->machine_name ? mod->machine_name : "?",
                      mod->machine);
    ep_finding_detail(
        c->r, fs, "%s: ELF class %d, %s-endian, machine %s (%d)",
        ep_object_path(c->interp_exe), exe->elf_class, exe->endian_name,
        exe->machine_name ? exe->machine_name : "?", exe->machine);
    if (cls) {
        ep_finding_detail(c->r, fs,
                          "Python reports: ImportError: %s: wrong ELF "
                          "class: ELFCLASS%d",
                          an->ext_path, mod->elf_class);
    } else {
        ep_finding_detail(c->r, fs,
                          "Python reports: ImportError: %s: cannot open "
                          "shared object file: No such file or directory -- "
                          "misleading: the file exists, the loader refuses its "
                          "machine type",
                          an->ext_path);
    }
    const char *wheel =
        an->dist ? ep_dist_tag_mismatch(c->a, an->dist, c->in) : NULL;
    if (wheel != NULL) {
        ep_finding_detail(c->r, fs, "%s: %s", an->dist->dir, wheel);
    } else if (an->dist != NULL && an->dist->wheel_tags.count > 0) {
        ep_finding_detail(c->r, fs,
                          "%s is tagged %s, but the file inside is "
                          "for %s: the wheel's tags and its contents disagree",
                          an->dist->name, an->dist->wheel_tags.items[0],
                          mod->machine_name ? mod->machine_name : "?");
    }
    ep_finding_path(c->r, fs, an->ext_path);
    ep_finding_path(c->r, fs, ep_object_path(c->interp_exe));
    ep_finding_fix(c->r, fs,
                   "Install or build the module for %s: %s (a wheel "
                   "for another platform was installed, or a cross-compiled "
                   "build was copied in)",
                   exe->machine_name ? exe->machine_name : "this machine",
                   an->dist && !an->dist->editable ? ep_fix_reinstall(c, an)
                                                   : ep_fix_rebuild(c, an));
    return EP_OK;
}

/* The real import failed with the loader's text for this (trial_rules.c),
 * where the static checks saw nothing. */
ep_status
ep_check_wrong_architecture_from_trial(ep_ctx *c, ep_analysis *an,
                                       const ep_trial_error *e)
{
    return ep_trial_rebuild_finding(c, an, EP_FINDING_WRONG_ARCHITECTURE, e);
}
