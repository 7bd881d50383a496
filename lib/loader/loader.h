/*
 * The static ld.so emulation, private to lib/loader/ and the deps JSON
 * writer. The names follow glibc's where a structure mirrors one of its own
 * (struct link_map -> ld_obj, r_search_path_elem -> ld_dir), so the design
 * note (docs/design/loader.md) and elf/dl-load.c can be read side by side.
 */
#ifndef EXTPROBE_LOADER_H
#define EXTPROBE_LOADER_H

#include "internal.h"

#include <sys/types.h>

/* Bounds that keep hostile input finite. ld.so has none of these; no real
 * process comes near them, and a note says when one is reached. */
#define LD_MAX_OBJECTS 4096     /* objects in one tree */
#define LD_MAX_PATH_DIRS 4096   /* directories in one search path */
#define LD_MAX_NAME 4096        /* a needed name or expanded directory */

/* ---- what ld.so computes at startup (platform.c) -------------------------- */

typedef struct ld_platform {
    const char *platform;  /* $PLATFORM (GLRO(dl_platform)), or NULL */
    const char *lib;       /* $LIB (DL_DST_LIB) */
    ep_strvec hwcaps;      /* glibc-hwcaps subdirectories, best first */
    ep_strvec legacy;      /* legacy names, most significant first */
    ep_strvec caps;        /* the subdirectories tried under every search
                              directory, each ending in '/', "" last */
    ep_strvec system_dirs; /* default directories, each ending in '/' */
    const char *rtld;      /* the dynamic loader's path */
    uint32_t isa_level;    /* GNU_PROPERTY_X86_ISA_1_* bits the CPU has */
    uint32_t osversion;    /* the running kernel as (a << 16 | b << 8 | c) */
} ld_platform;

ep_status ld_platform_init(ep_arena *a, ld_platform *pf,
                           const ep_deps_options *opt, ep_error *err);

/* ---- /etc/ld.so.cache (ldcache.c) ----------------------------------------- */

typedef struct ld_cache ld_cache;

/* Map and check a cache file. A file ld.so would ignore gives *out NULL and
 * a one-line *note saying why (in a); a missing file gives no note. */
ep_status ld_cache_open(ep_arena *a, const char *path, ld_cache **out,
                        const char **note, ep_error *err);
void ld_cache_close(ld_cache *c);
/* The path the cache gives for name, as dl-cache.c search_cache picks it
 * (valid while the cache is open), or NULL. */
const char *ld_cache_lookup(const ld_cache *c, const char *name,
                            const ld_platform *pf);
/* "new", "old" or "old+new": the format in use. */
const char *ld_cache_format(const ld_cache *c);
/* dl-cache.c _dl_cache_libcmp: digits compare as numbers. */
int ld_cache_libcmp(const char *p1, const char *p2);

/* ---- dynamic string tokens (expand.c) ------------------------------------- */

/* Number of $ORIGIN, $PLATFORM, $LIB tokens ({} forms included). */
size_t ld_dst_count(const char *s);
/* Substitute the tokens (dl-load.c _dl_dst_substitute). origin NULL means
 * "unknown". Returns "" when a known token has no value (the element is
 * then dropped, as ld.so drops it), NULL when memory ran out. */
char *ld_dst_expand(ep_arena *a, const char *s, const char *origin,
                    const ld_platform *pf);
/* dl-object.c _dl_new_object: the directory of a file name as l_origin,
 * made absolute with the working directory. NULL when it cannot be told. */
char *ld_origin_of(ep_arena *a, const char *path);

/* ---- search paths and candidates (search.c) -------------------------------- */

/* One directory on any search path (r_search_path_elem): shared by every
 * path that lists it, with what is known about each capability
 * subdirectory. */
typedef struct ld_dir {
    const char *name;     /* ends in '/', or "" for the working directory */
    size_t len;
    signed char *status;  /* per pf->caps entry: 0 unknown, 1 existing,
                             -1 nonexisting */
    struct ld_dir *hnext;
} ld_dir;

typedef struct ld_path {
    bool decoded;
    bool usable;          /* at least one directory survived expansion */
    ld_dir **dirs;
    size_t ndirs, cap;
    ep_deps_how how;
} ld_path;

typedef struct ld_obj ld_obj;

/* One object in the emulated namespace (struct link_map). */
struct ld_obj {
    const ep_elf_dynfacts *info; /* the facts kept (arena copies) */
    const char *path;      /* l_name: the name it was opened by */
    const char *origin;    /* l_origin, NULL when unknown */
    dev_t dev;
    ino_t ino;
    ep_strvec names;       /* l_libname: names it was requested by */
    const char *soname;
    ld_obj *loader;        /* l_loader: what caused it to be loaded */
    ld_obj *next;          /* namespace list order */
    size_t seq;            /* position in that list */
    ld_obj *inode_next;    /* chain of the identity index */
    bool preloaded;        /* part of the interpreter process */
    bool is_rtld;
    bool has_rpath;        /* DT_RPATH, unless a DT_RUNPATH hides it */
    bool has_runpath;
    ld_path rpath, runpath;
    ep_elf_symtab *symtab; /* the open file; NULL once released */
    size_t lib;            /* index in the library list, or SIZE_MAX */
    size_t proc;           /* index in the process list, or SIZE_MAX */
    unsigned mark;         /* breadth-first walk that reached it */
    ld_obj *bfs_parent;    /* the object that reached it first */
    /* Versions, copied when the object is opened: its definitions, its
     * requirements, and l_versions (.gnu.version index -> version). */
    struct ld_vdef *vdefs;
    size_t nvdefs;
    struct ld_need *needs;
    size_t nneeds;
    bool versions_bad;
    struct ld_verent *versions;
    size_t nversions;
    bool has_versym;
    bool consulted;        /* the root's references were looked up here */
};

typedef struct ld_vdef {
    const char *name;
    uint32_t hash;
    uint16_t flags;
    uint16_t index;
} ld_vdef;

/* One undefined reference of the root, to be bound. */
typedef struct ld_ref {
    const char *name;
    const char *version;  /* NULL: unversioned */
    const char *file;     /* the file the version is required from */
    uint32_t vhash;
    uint32_t gnu_hash;
    size_t namelen;
    bool bound;
} ld_ref;

typedef struct ld_verent {
    const char *name;      /* NULL for an unused index */
    uint32_t hash;
    const char *file;      /* for a requirement: the file it names */
} ld_verent;

/* What one search for a name produced. */
typedef struct ld_trace {
    ep_deps_place *places;
    size_t nplaces, places_cap;
    ep_deps_skip *skips;
    size_t nskips, skips_cap;
    const char *error;     /* fatal: ld.so signals an error here */
    const char *error_path;
    ep_deps_how how;
    const char *how_from;
} ld_trace;

typedef struct ld_ctx ld_ctx;

/* A version requirement, copied while the object is open. */
typedef struct ld_need {
    const char *file;
    const char *version;
    uint32_t hash;
    uint16_t flags;
    uint16_t index;
} ld_need;

/* dl-load.c _dl_map_object: find or load name needed by loader (NULL for
 * the root). Returns the object, or NULL when not found or refused (trace
 * says which). */
ld_obj *ld_map_object(ld_ctx *cx, ld_obj *loader, const char *name,
                      ld_trace *trace);
/* Open path as a new object directly (the root, the executable). */
ld_obj *ld_open_object(ld_ctx *cx, const char *path, ld_obj *loader,
                       const char **why);
/* Decode an object's DT_RPATH/DT_RUNPATH (cache_rpath) lazily. */
bool ld_object_path(ld_ctx *cx, ld_obj *l, bool runpath);
/* Parse LD_LIBRARY_PATH and the system directories. */
ep_status ld_init_paths(ld_ctx *cx, const char *llp);
bool ld_note(ld_ctx *cx, const char *fmt, ...) EP_PRINTF(2, 3);

/* ---- the whole emulation's state (resolve.c) ------------------------------- */

struct ld_ctx {
    ep_deps *deps;
    ep_arena *a;           /* the result's arena: everything lives here */
    ep_error *err;
    bool nomem;
    ld_platform pf;
    ld_cache *cache;
    const char *cache_path;
    ld_path env_path;      /* LD_LIBRARY_PATH */
    ld_path system;        /* the default directories */
    ld_dir **dir_hash;     /* GL(dl_all_dirs), by name */
    size_t dir_hash_size;
    ld_obj *head, *tail;   /* the namespace list */
    ld_obj *main;          /* the main map: executable, or the root */
    ld_obj *call_map;      /* the object that calls dlopen() */
    ld_obj *rtld;
    size_t nobjs;
    bool limit_noted;
    unsigned gen;          /* numbers each walk over the objects */
    /* Objects by every name they answer to, and by file identity. */
    struct ld_name **names;
    size_t names_size;
    ld_obj **by_inode;
    size_t inode_size;
    /* Symbols: wanted at all, and the root's references being bound. */
    bool symbols;
    struct ld_ref *refs;
    size_t nrefs, npending;
    bool refs_known;
    ld_obj *root;          /* kept open: the references' names are its */
    struct ld_str **strs;  /* interned version names (symbols.c) */
    size_t strs_size;
};

/* The object known by a name (its path, a name it was requested by, its
 * SONAME), first in namespace order; NULL when none. */
ld_obj *ld_find_name(ld_ctx *cx, const char *name);

/* ---- versions and symbols (symbols.c) -------------------------------------- */

/* Copy an object's versions while it is open (new_object calls it). */
void ld_read_versions(ld_ctx *cx, ld_obj *l);
/* The root's undefined non-weak references, to bind. */
ep_status ld_collect_refs(ld_ctx *cx, ld_obj *root);
/* dl-lookup.c: look the still unbound references up in l, the next object
 * of the lookup scope, then release l's file: the scope is consulted in
 * order, one object at a time, so memory stays that of one object. */
void ld_consult(ld_ctx *cx, ld_obj *l);
/* Close l's file, keeping its copied facts. */
void ld_release(ld_obj *l);
/* dl-version.c: check every version requirement of the objects the dlopen
 * loads; then report the references nothing bound. */
ep_status ld_check_versions(ld_ctx *cx, ld_obj *first);
ep_status ld_finish_symbols(ld_ctx *cx, ld_obj *root);

/* ---- the result ------------------------------------------------------------- */

struct ep_deps {
    ep_arena arena;
    const char *file;
    const char *interpreter;   /* executable, NULL standalone */
    const char *python;        /* as the user named it */
    bool asked;                /* the interpreter was run to find it */
    bool shared;               /* libpython is a shared library */
    const char *libpython;     /* its path in the process, or NULL */
    const char *call_map;      /* the object whose dlopen() loads the root */
    ep_deps_lib root;
    ep_deps_lib *libs;
    size_t nlibs, libs_cap;
    ep_deps_lib *process;
    size_t nprocess, process_cap;
    ep_deps_version *missing;
    size_t nmissing, missing_cap;
    ep_deps_symbol *unresolved;
    size_t nunresolved, unresolved_cap;
    ep_strvec notes;
    size_t symbols_checked;    /* undefined symbols of the root looked up */
    size_t symbols_weak;       /* weak ones, left alone */
    /* The environment that was emulated, for the report. */
    const char *ld_library_path;
    const char *cache_path;
    const char *cache_format;  /* NULL when no cache is used */
    const char *platform;
    const char *lib;
    ep_strlist hwcaps;
    ep_strlist legacy_hwcaps;
    ep_strlist system_dirs;
    bool ok;
};

/* Grow an arena array of elem-byte items to hold n + 1. */
bool ld_grow(ep_arena *a, void **items, size_t *cap, size_t n, size_t elem);

#endif
