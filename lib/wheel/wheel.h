/*
 * The wheel auditor (extprobe wheel): the archive reader (zipread.c, the
 * only file that includes <zip.h>), RECORD and its hashes (record.c), wheel
 * tags, platforms and targets (tags.c), the manylinux/musllinux policy
 * (policy.c, policy.def) and the checks (audit.c, members.c, family.c);
 * the JSON and text writers are lib/render/wheel_out.c. Private to lib/.
 */
#ifndef EXTPROBE_WHEEL_H
#define EXTPROBE_WHEEL_H

#include "report/report.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strbuf.h"

#include <extprobe/extprobe.h>

/* ---- the archive (zipread.c) ----------------------------------------------
 */

typedef struct ep_zip ep_zip;

typedef struct ep_zip_member {
    const char *name; /* as stored (UTF-8 or CP437 guessed by libzip) */
    uint64_t size;    /* uncompressed */
    uint64_t comp_size;
    uint64_t index; /* libzip's index */
    bool is_dir;    /* name ends in '/' */
} ep_zip_member;

/* Open an archive read-only with libzip's consistency checks. On failure
 * err holds "<path>: <libzip's reason>". Names live in a. */
ep_status ep_zip_open(const char *path, ep_arena *a, ep_zip **out,
                      ep_error *err);
void ep_zip_close(ep_zip *z);
size_t ep_zip_count(const ep_zip *z);
const ep_zip_member *ep_zip_member_at(const ep_zip *z, size_t i);
/* The member called name (exact), or NULL. */
const ep_zip_member *ep_zip_find(const ep_zip *z, const char *name);

/* Called with each piece of a member's bytes, in order; false stops. */
typedef bool (*ep_zip_chunk_fn)(const void *buf, size_t n, void *ctx);
/* Stream one member through fn (inflating; libzip checks the CRC at the
 * end). EP_ERR_MALFORMED with libzip's reason when the data is damaged. */
ep_status ep_zip_stream(ep_zip *z, const ep_zip_member *m, ep_zip_chunk_fn fn,
                        void *ctx, ep_error *err);
/* A whole small member (METADATA, WHEEL, RECORD) as a NUL-terminated
 * string in a, at most cap bytes (EP_ERR_MALFORMED beyond). */
ep_status ep_zip_read_text(ep_zip *z, const ep_zip_member *m, ep_arena *a,
                           size_t cap, char **out, ep_error *err);

/* ---- hashes and RECORD (record.c) ------------------------------------------
 */

typedef struct ep_hash ep_hash;
/* A digest of RECORD's algorithms (PEP 376/427: sha256, also sha384 and
 * sha512); NULL for any other name. */
ep_hash *ep_hash_new(const char *algorithm);
void ep_hash_update(ep_hash *h, const void *buf, size_t n);
/* The digest as urlsafe base64 without '=' padding (PEP 427), in a. */
const char *ep_hash_finish(ep_hash *h, ep_arena *a);
void ep_hash_free(ep_hash *h);
/* Hex digest, for the test vectors of the tests. */
const char *ep_hash_hex(const char *algorithm, const void *buf, size_t n,
                        ep_arena *a);

typedef struct ep_record_row {
    const char *path;
    const char *algorithm; /* "sha256", or NULL when the row has no hash */
    const char *digest;    /* urlsafe base64, or NULL */
    int64_t size;          /* -1 when empty */
    size_t line;
} ep_record_row;

/* Parse RECORD (CSV as Python's csv module writes it: quotes around fields
 * with commas). */
ep_status ep_record_parse(ep_arena *a, const char *text, ep_record_row **rows,
                          size_t *count, ep_error *err);

/* ---- tags, platforms and targets (tags.c) ----------------------------------
 */

typedef struct ep_wtag {
    const char *py;   /* "cp311", "py3" */
    const char *abi;  /* "cp311", "abi3", "none" */
    const char *plat; /* "manylinux_2_17_x86_64", "any" */
} ep_wtag;

typedef struct ep_wheel_fname {
    const char *dist, *version, *build; /* build NULL when absent */
    ep_wtag *tags;                      /* compressed tag sets expanded */
    size_t ntags;
} ep_wheel_fname;

/* Parse "dist-version(-build)?-py-abi-plat.whl" (PEP 427, PEP 425). False
 * with *why when the name is not a wheel name. */
bool ep_wheel_fname_parse(ep_arena *a, const char *basename,
                          ep_wheel_fname *out, const char **why);
/* Expand one "py-abi-plat" (each part may hold '.'-separated sets). */
bool ep_wtag_expand(ep_arena *a, const char *tag, ep_wtag **tags, size_t *n);
const char *ep_wtag_str(ep_arena *a, const ep_wtag *t);

enum {
    EP_LIBC_NONE = 0,
    EP_LIBC_GLIBC = 1,
    EP_LIBC_MUSL = 2,
    EP_LIBC_LINUX = 3,
    EP_LIBC_OTHER = 4
};

/* What a platform tag promises. */
typedef struct ep_wplat {
    int libc;           /* EP_LIBC_*: NONE for "any", LINUX for linux_<arch>,
                           OTHER for macOS/Windows/... */
    int major, minor;   /* glibc or musl version floor (manylinux_2_28: 2.28;
                           manylinux2014 is 2.17) */
    const char *arch;   /* "x86_64", "aarch64" (the tag's spelling) */
    const char *policy; /* canonical name, "manylinux_2_17", or NULL */
} ep_wplat;

bool ep_wplat_parse(ep_arena *a, const char *plat, ep_wplat *out);
/* The ELF machine name (ep_elf_info.machine_name) and class of an arch
 * tag; false for arches extprobe does not map. */
bool ep_wplat_arch_elf(const char *arch, const char **machine, int *cls);

typedef struct ep_wtarget {
    const char *desc;     /* for messages: the tag, or "python3 (...)" */
    const char *tag;      /* a tag for the target, "cp312-cp312-plat" */
    int major, minor;     /* CPython version */
    const char *abiflags; /* "", "t", "d" */
    ep_wplat plat;        /* libc, its version, arch */
    ep_strvec ext_suffixes;
    bool from_interp; /* facts of a real interpreter */
} ep_wtarget;

/* A target from a tag ("cp312-manylinux_2_28_aarch64", 2 or 3 parts). */
bool ep_wtarget_from_tag(ep_arena *a, const char *tag, ep_wtarget *out,
                         const char **why);
/* Whether the target's installer (pip, packaging.tags) accepts tag t. */
bool ep_wtarget_supports(const ep_wtarget *tg, const ep_wtag *t);
bool ep_wtarget_has_suffix(const ep_wtarget *tg, const char *suffix);

/* ---- the manylinux/musllinux policy (policy.c) -----------------------------
 */

typedef struct ep_policy_limit {
    const char *family;  /* "GLIBC_", "GLIBCXX_", "CXXABI_", "GCC_" */
    const char *highest; /* "GLIBC_2.28" */
} ep_policy_limit;

/* The highest version of a family the policy of plat allows (glibc from the
 * tag itself; GLIBCXX, CXXABI, GCC from the policy table), NULL when the
 * family is not limited. */
const char *ep_policy_highest(const ep_wplat *plat, const char *family,
                              ep_arena *a);
/* Whether a DT_NEEDED name is on the policy's list of system libraries. */
bool ep_policy_allows(const ep_wplat *plat, const char *needed);
/* Whether a DT_NEEDED name is a libc of the other kind (musl in a manylinux
 * wheel, glibc's in a musllinux wheel). */
bool ep_policy_wrong_libc(const ep_wplat *plat, const char *needed);

/* ---- one wheel, and the audit (audit.c, members.c, family.c) --------------
 */

typedef struct ep_wmember {
    const char *path; /* in the archive */
    uint64_t size;
    const char *kind;     /* "extension", "library", "python", "dist-info",
                             "data", "other" */
    const char *module;   /* dotted module name of an extension */
    const char *elf_kind; /* ep_kind_str() of an ELF-looking member */
    const char *machine;
    int elf_class;
    ep_strlist needed;
    ep_strlist runpath; /* RUNPATH, or RPATH when there is none */
    ep_strlist pyinit;
    const char *suffix;          /* extension suffix, ".abi3.so" */
    const char *highest[4];      /* GLIBC_, GLIBCXX_, CXXABI_, GCC_ needed */
    const char *highest_from[4]; /* the symbol-version file of each */
} ep_wmember;

typedef struct ep_wheel {
    const char *path;
    const char *file;  /* basename */
    const char *error; /* why it could not be read at all, or NULL */
    ep_report *report; /* findings; module = file */
    bool fname_ok;
    ep_wheel_fname fname;
    const char *distinfo;        /* "name-1.0.dist-info" */
    ep_strvec wheel_tags;        /* Tag: lines of WHEEL */
    const char *root_is_purelib; /* "true", "false", NULL */
    const char *generator;
    const char *meta_name, *meta_version;
    ep_strvec requires; /* Requires-Dist, sorted */
    ep_wmember *members;
    size_t nmembers;
    size_t nextensions;
    bool has_record;
    int supported;              /* by the target: 1, 0, or -1 (no target) */
    ep_strvec optional_imports; /* modules the Python sources import inside
                                   try: (family check) */
    size_t family;              /* index into ep_wheels.families, or SIZE_MAX */
} ep_wheel;

typedef struct ep_wfamily {
    const char *name, *version;
    size_t *wheels;
    size_t nwheels;
    ep_strvec native_tags; /* tags whose wheels carry the native modules */
    ep_strvec pure_tags;   /* tags whose wheels fall back to pure Python */
    ep_strvec modules;     /* extension modules of the native wheels */
} ep_wfamily;

struct ep_wheels {
    ep_arena arena;
    bool has_target;
    ep_wtarget target;
    ep_wheel *wheels;
    size_t count;
    ep_wfamily *families;
    size_t nfamilies;
    uint64_t member_limit;
    unsigned char *scratch; /* the member being read (audit.c) */
    size_t scratch_cap;
};

/* Read and check one wheel (audit.c). */
void ep_wheel_audit_one(ep_wheels *ws, ep_wheel *w);
/* Check the ELF members of a read wheel (members.c): architecture, class,
 * PyInit, suffix, policy, vendored libraries, target. */
void ep_wheel_check_elf(ep_wheels *ws, ep_wheel *w, ep_wmember *m,
                        ep_object *obj);
void ep_wheel_check_libraries(ep_wheels *ws, ep_wheel *w);
/* Note the imports a Python source makes inside an indented block (try:,
 * if:): the optional modules of the family check (family.c). */
void ep_wheel_scan_imports(ep_wheels *ws, ep_wheel *w, const ep_wmember *m,
                           const char *text);
/* Group the wheels into families and check each (family.c). */
void ep_wheel_families(ep_wheels *ws);

/* A finding of wheel w; summary printf-formatted. */
ep_finding_slot *ep_wheel_finding(ep_wheel *w, ep_finding_code code,
                                  const char *fmt, ...) EP_PRINTF(3, 4);

#endif
