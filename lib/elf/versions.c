/*
 * Symbol versioning: what an object requires (.gnu.version_r) and defines
 * (.gnu.version_d), and the index -> name map that .gnu.version entries use.
 */
#include "elf/object.h"
#include "util/error.h"
#include "util/arena.h"
#include "util/grow.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Loop bound for version chains: a hostile vn_next/vd_next can point
 * backwards; real files hold a few dozen entries. */
#define MAX_VERSION_ENTRIES 65536

static Elf_Scn *
find_section(Elf *elf, GElf_Word type, GElf_Shdr *sh)
{
    for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn != NULL;
         scn = elf_nextscn(elf, scn)) {
        if (gelf_getshdr(scn, sh) != NULL && sh->sh_type == type) {
            return scn;
        }
    }
    return NULL;
}

static ep_status
nomem(ep_object *obj, ep_error *err)
{
    return ep_fail(err, EP_ERR_NOMEM, "%s: out of memory", obj->path);
}

static ep_status
malformed(ep_object *obj, ep_error *err, const char *what)
{
    return ep_fail(err, EP_ERR_MALFORMED, "%s: malformed %s: %s", obj->path,
                   what, elf_errmsg(-1));
}

/* libelf takes entry offsets as int: refuse an offset past the data before
 * the cast can wrap a hostile vn_aux/vn_next sum into a valid-looking one. */
static bool
offset_ok(const Elf_Data *data, size_t off)
{
    return off < data->d_size && off <= INT_MAX;
}

static ep_status
read_needs(ep_object *obj, ep_error *err)
{
    GElf_Shdr sh;
    Elf_Scn *scn = find_section(obj->elf, SHT_GNU_verneed, &sh);
    if (scn == NULL) {
        return EP_OK;
    }
    Elf_Data *data = elf_getdata(scn, NULL);
    if (data == NULL) {
        return malformed(obj, err, ".gnu.version_r");
    }
    size_t cap = 0;
    size_t off = 0;
    for (size_t n = 0; n < sh.sh_info && n < MAX_VERSION_ENTRIES; n++) {
        GElf_Verneed vn;
        if (!offset_ok(data, off) ||
            gelf_getverneed(data, (int)off, &vn) == NULL) {
            return malformed(obj, err, ".gnu.version_r");
        }
        const char *file = elf_strptr(obj->elf, sh.sh_link, vn.vn_file);
        size_t aoff = off + vn.vn_aux;
        for (size_t k = 0; k < vn.vn_cnt && k < MAX_VERSION_ENTRIES; k++) {
            GElf_Vernaux va;
            if (!offset_ok(data, aoff) ||
                gelf_getvernaux(data, (int)aoff, &va) == NULL) {
                return malformed(obj, err, ".gnu.version_r");
            }
            const char *name = elf_strptr(obj->elf, sh.sh_link, va.vna_name);
            if (!ep_grow((void **)&obj->needs, &cap, obj->nneeds + 1,
                         sizeof(*obj->needs))) {
                return nomem(obj, err);
            }
            ep_version_need *e = &obj->needs[obj->nneeds++];
            e->file = ep_arena_strdup(&obj->arena, file ? file : "?");
            e->version = ep_arena_strdup(&obj->arena, name ? name : "?");
            e->hash = va.vna_hash;
            e->weak = (va.vna_flags & VER_FLG_WEAK) != 0;
            e->index = va.vna_other;
            if (e->file == NULL || e->version == NULL) {
                return nomem(obj, err);
            }
            if (va.vna_next == 0) {
                break;
            }
            aoff += va.vna_next;
        }
        if (vn.vn_next == 0) {
            break;
        }
        off += vn.vn_next;
    }
    return EP_OK;
}

static ep_status
read_defs(ep_object *obj, ep_error *err)
{
    GElf_Shdr sh;
    Elf_Scn *scn = find_section(obj->elf, SHT_GNU_verdef, &sh);
    if (scn == NULL) {
        return EP_OK;
    }
    Elf_Data *data = elf_getdata(scn, NULL);
    if (data == NULL) {
        return malformed(obj, err, ".gnu.version_d");
    }
    /* The chain ends at vd_next == 0; sh_info only bounds it. An absurd
     * sh_info must not size an allocation (nor, as it did, drop every
     * definition), so the array grows with the entries actually read. */
    size_t cap = 0;
    size_t off = 0;
    for (size_t n = 0; n < sh.sh_info && n < MAX_VERSION_ENTRIES; n++) {
        GElf_Verdef vd;
        GElf_Verdaux va;
        if (!offset_ok(data, off) ||
            gelf_getverdef(data, (int)off, &vd) == NULL ||
            !offset_ok(data, off + vd.vd_aux) ||
            gelf_getverdaux(data, (int)(off + vd.vd_aux), &va) == NULL) {
            return malformed(obj, err, ".gnu.version_d");
        }
        const char *name = elf_strptr(obj->elf, sh.sh_link, va.vda_name);
        if (!ep_grow((void **)&obj->defs, &cap, obj->ndefs + 1,
                     sizeof(*obj->defs))) {
            return nomem(obj, err);
        }
        ep_version_def *d = &obj->defs[obj->ndefs++];
        d->name = ep_arena_strdup(&obj->arena, name ? name : "?");
        d->hash = vd.vd_hash;
        d->base = (vd.vd_flags & VER_FLG_BASE) != 0;
        d->index = vd.vd_ndx;
        if (d->name == NULL) {
            return nomem(obj, err);
        }
        if (vd.vd_next == 0) {
            break;
        }
        off += vd.vd_next;
    }
    return EP_OK;
}

static ep_status
read_versions(ep_object *obj, ep_error *err)
{
    if (obj->versions_read) {
        return EP_OK;
    }
    if (obj->kind != EP_KIND_ELF || obj->elf == NULL) {
        return ep_fail(err, EP_ERR_NOT_ELF, "%s: %s", obj->path,
                       obj->reason ? obj->reason : "not an ELF file");
    }
    ep_status st = read_needs(obj, err);
    if (st == EP_OK) {
        st = read_defs(obj, err);
    }
    if (st != EP_OK) {
        free(obj->needs);
        free(obj->defs);
        obj->needs = NULL;
        obj->defs = NULL;
        obj->nneeds = obj->ndefs = 0;
        return st;
    }
    obj->versions_read = true;
    return EP_OK;
}

ep_status
ep_object_version_needs(ep_object *obj, const ep_version_need **needs,
                        size_t *count, ep_error *err)
{
    if (obj == NULL || needs == NULL || count == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *needs = NULL;
    *count = 0;
    ep_status st = read_versions(obj, err);
    if (st == EP_OK) {
        *needs = obj->needs;
        *count = obj->nneeds;
    }
    return st;
}

ep_status
ep_object_version_defs(ep_object *obj, const ep_version_def **defs,
                       size_t *count, ep_error *err)
{
    if (obj == NULL || defs == NULL || count == NULL) {
        return ep_fail(err, EP_ERR_INVALID_ARG, "NULL argument");
    }
    *defs = NULL;
    *count = 0;
    ep_status st = read_versions(obj, err);
    if (st == EP_OK) {
        *defs = obj->defs;
        *count = obj->ndefs;
    }
    return st;
}

/* Length of the family part of a version name, its '_' included: up to the
 * first '_' that is followed by a digit ("GLIBC_" of "GLIBC_2.34",
 * "NCURSES6_TINFO_" of "NCURSES6_TINFO_5.7.20081102", "krb5_" of
 * "krb5_3_MIT"). 0 when the name has no number ("GLIBC_PRIVATE").
 * Digits inside a family name (the 6 of NCURSES6, the 5 of krb5) do not
 * start the number: cutting there merged unrelated families. */
size_t
ep_version_family_len(const char *v)
{
    for (const char *p = v; *p != '\0'; p++) {
        if (p > v && *p == '_' && isdigit((unsigned char)p[1])) {
            return (size_t)(p - v) + 1;
        }
    }
    return 0;
}

/* Compare "GLIBC_2.17" with "GLIBC_2.34": the family as text (a name
 * without a number is all family), then each number of the rest
 * numerically. */
int
ep_version_compare(const char *a, const char *b)
{
    size_t fa = ep_version_family_len(a), fb = ep_version_family_len(b);
    fa = fa ? fa : strlen(a);
    fb = fb ? fb : strlen(b);
    if (fa != fb || strncmp(a, b, fa) != 0) {
        int c = strncmp(a, b, fa < fb ? fa : fb);
        return c ? c : (fa < fb ? -1 : 1);
    }
    a += fa;
    b += fb;
    while (*a || *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            char *ea, *eb;
            unsigned long long na = strtoull(a, &ea, 10);
            unsigned long long nb = strtoull(b, &eb, 10);
            if (na != nb) {
                return na < nb ? -1 : 1;
            }
            a = ea;
            b = eb;
        } else if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        } else {
            a++;
            b++;
        }
    }
    return 0;
}
