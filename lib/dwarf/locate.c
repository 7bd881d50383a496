/*
 * Where an object's DWARF is: in the file, or in a separate debug file the
 * way gdb finds it ("Debugging Information in Separate Files"): by build-id
 * under each debug directory (.build-id/xx/rest.debug), then by the
 * .gnu_debuglink name in the object's directory, its .debug/ subdirectory and
 * DEBUGDIR/<object's directory>/, accepting a file only when its CRC-32
 * matches the link. The debug directories are /usr/lib/debug, or the
 * colon-separated $EXTPROBE_DEBUG_DIRS.
 */
#include "dwarf/provenance.h"
#include "util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t crc_table[256];

static void
crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[i] = c;
    }
}

bool
ep_dwarf_file_crc32(const char *path, uint32_t *crc)
{
    if (crc_table[1] == 0) {
        crc_init(); /* idempotent: a race writes the same values */
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    unsigned char buf[65536];
    uint32_t c = 0xffffffffu;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            close(fd);
            return false;
        }
        if (n == 0) {
            break;
        }
        for (ssize_t i = 0; i < n; i++) {
            c = crc_table[(c ^ buf[i]) & 0xff] ^ (c >> 8);
        }
    }
    close(fd);
    *crc = c ^ 0xffffffffu;
    return true;
}

static bool
regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The debug directories, split into v. */
static bool
debug_dirs(ep_arena *a, ep_strvec *v)
{
    const char *env = getenv("EXTPROBE_DEBUG_DIRS");
    const char *list = env != NULL && env[0] != '\0' ? env : "/usr/lib/debug";
    while (*list) {
        size_t n = strcspn(list, ":");
        if (n > 0) {
            char *d = ep_arena_strndup(a, list, n);
            if (d == NULL || !ep_strvec_push(a, v, d)) {
                return false;
            }
        }
        list += n + (list[n] == ':');
    }
    return true;
}

/* A build-id file is taken when its own build-id note agrees. */
static bool
same_build_id(const char *path, const char *build_id)
{
    ep_object *dbg = NULL;
    if (ep_object_open(path, &dbg, NULL) != EP_OK) {
        return false;
    }
    const ep_elf_info *in = ep_object_elf(dbg);
    bool same = in != NULL && in->build_id != NULL &&
                strcmp(in->build_id, build_id) == 0;
    ep_object_close(dbg);
    return same;
}

ep_status
ep_dwarf_locate(const ep_object *obj, ep_arena *a, const char **path,
                const char **how, const char **note, ep_error *err)
{
    const ep_elf_info *in = ep_object_elf(obj);
    *path = *how = *note = NULL;
    if (in == NULL || ep_object_kind(obj) != EP_KIND_ELF) {
        return EP_OK;
    }
    if (in->has_debug_info) {
        *path = ep_object_path(obj);
        *how = "embedded";
        return EP_OK;
    }
    ep_strvec dirs = {0};
    if (!debug_dirs(a, &dirs)) {
        return ep_fail_nomem(err);
    }
    if (in->build_id != NULL && strlen(in->build_id) > 2) {
        for (size_t i = 0; i < dirs.count; i++) {
            char *p =
                ep_arena_printf(a, "%s/.build-id/%.2s/%s.debug", dirs.items[i],
                                in->build_id, in->build_id + 2);
            if (p == NULL) {
                return ep_fail_nomem(err);
            }
            if (regular(p) && same_build_id(p, in->build_id)) {
                *path = p;
                *how = "build-id";
                return EP_OK;
            }
        }
    }
    if (in->debuglink == NULL) {
        return EP_OK;
    }
    /* The object's directory, absolute, as gdb joins it with a debug dir. */
    const char *self = ep_object_path(obj);
    const char *base = ep_basename(self);
    char *dir = ep_arena_strndup(a, self, (size_t)(base - self));
    if (dir == NULL) {
        return ep_fail_nomem(err);
    }
    char *absdir = realpath(dir[0] ? dir : ".", NULL);
    const char *candidates[3 + 16];
    size_t nc = 0;
    candidates[nc++] = ep_arena_printf(a, "%s%s", dir, in->debuglink);
    candidates[nc++] = ep_arena_printf(a, "%s.debug/%s", dir, in->debuglink);
    for (size_t i = 0; absdir != NULL && i < dirs.count && nc < 19; i++) {
        candidates[nc++] =
            ep_arena_printf(a, "%s%s/%s", dirs.items[i], absdir, in->debuglink);
    }
    free(absdir);
    const char *mismatch = NULL;
    for (size_t i = 0; i < nc; i++) {
        uint32_t crc;
        if (candidates[i] == NULL) {
            return ep_fail_nomem(err);
        }
        if (!regular(candidates[i]) ||
            !ep_dwarf_file_crc32(candidates[i], &crc)) {
            continue;
        }
        if (crc == in->debuglink_crc) {
            *path = candidates[i];
            *how = "debuglink";
            return EP_OK;
        }
        if (mismatch == NULL) {
            mismatch = ep_arena_printf(
                a,
                "%s has CRC %08x, the .gnu_debuglink wants %08x: "
                "not this build's debug file",
                candidates[i], crc, in->debuglink_crc);
        }
    }
    *note = mismatch != NULL
                ? mismatch
                : ep_arena_printf(a,
                                  "no separate debug file %s found (looked in "
                                  "%s, %s.debug/ and the debug directories)",
                                  in->debuglink, dir[0] ? dir : "./", dir);
    return *note ? EP_OK : ep_fail_nomem(err);
}
