/*
 * The static ld.so emulation, private to lib/loader/ and the deps JSON
 * writer. The names follow glibc's where a structure mirrors one of its own
 * (struct link_map -> ld_obj, r_search_path_elem -> ld_dir), so the design
 * note (docs/design/loader.md) and elf/dl-load.c can be read side by side.
 */
#ifndef EXTPROBE_LOADER_H
#define EXTPROBE_LOADER_H

#include "util/error.h"
#include "util/arena.h"
#include "elf/dynread.h"
#include "util/grow.h"

#include <sys/types.h>

/* Bounds that keep hostile input finite. ld.so has none of these; no real
 * process comes near them, and a note says when one is reached. */
#define LD_MAX_OBJECTS 4096   /* objects in one tree */
#define LD_MAX_PATH_DIRS 4096 /* directories in one search path */
#define LD_MAX_NAME 4096      /* a needed name or expanded directory */
/* A session parks its files (closes their descriptors, keeping what was
 * read) past this many open ones, and frees what it read of them past this
 * many bytes, between two trees. Held bytes are kept few: on this kind of
 * VM a fresh page costs more than reading its 4 KiB again, and the
 * symbol answers (the memo) outlive the tables they came from. */
#define LD_MAX_OPEN 256
#define LD_MAX_HELD (1024u * 1024)

/* ---- what ld.so computes at startup (platform.c) ------------------------- */

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
} ld_platform;

ep_status ld_platform_init(ep_arena *a, ld_platform *pf,
                           const ep_deps_options *opt, ep_error *err);

/* ---- /etc/ld.so.cache (ldcache.c) ---------------------------------------- */

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

/* ---- dynamic string tokens (expand.c) ------------------------------------ */

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

/* ---- search paths and candidates (search.c) ------------------------------ */

/* One directory on any search path (r_search_path_elem): shared by every
 * path that lists it, with what is known about each capability
 * subdirectory. */
typedef struct ld_dir {
    const char *name; /* ends in '/', or "" for the working directory */
    size_t len;
    const char *shown;   /* without the trailing '/', as LD_DEBUG shows it */
    signed char *status; /* per pf->caps entry: 0 unknown, 1 existing,
                            -1 nonexisting */
    struct ld_dir *hnext;
} ld_dir;

typedef struct ld_path {
    bool decoded;
    bool usable; /* at least one directory survived expansion */
    ld_dir **dirs;
    size_t ndirs, cap;
    ep_deps_how how;
} ld_path;

typedef struct ld_obj ld_obj;
typedef struct ep_deps_session ld_sess;

/* Versions of an object, copied once when it is first read. */
typedef struct ld_vdef {
    const char *name;
    uint32_t hash;
    uint16_t flags;
    uint16_t index;
} ld_vdef;

/* A version requirement (.gnu.version_r). */
typedef struct ld_need {
    const char *file;
    const char *version;
    uint32_t hash;
    uint16_t flags;
    uint16_t index;
} ld_need;

typedef struct ld_verent {
    const char *name; /* NULL for an unused index */
    uint32_t hash;
    const char *file; /* for a requirement: the file it names */
} ld_verent;

/* What open_verify concludes about a candidate file. */
typedef enum try_result {
    TRY_ABSENT,  /* open failed: errno says why; the search goes on */
    TRY_SKIPPED, /* another class or machine: go on */
    TRY_FATAL,   /* ld.so signals an error: the load fails here */
    TRY_FOUND
} try_result;

/* One file's content, by identity (device and inode): read once per
 * session, whatever names reach it. */
typedef struct ld_image {
    ep_elf_symtab *symtab; /* the open (or parked) file; NULL if refused */
    const ep_elf_dynfacts *info; /* the facts, with session copies */
    dev_t dev;
    ino_t ino;
    try_result verdict;     /* of open_verify and the mapping checks */
    const char *why;        /* for TRY_SKIPPED and TRY_FATAL */
    struct ld_image *hnext; /* the identity index */
    struct ld_image *next_all;
    /* Versions: its definitions, its requirements, and l_versions
     * (.gnu.version index -> version). */
    ld_vdef *vdefs;
    size_t nvdefs;
    ld_need *needs;
    size_t nneeds;
    bool versions_bad;
    ld_verent *versions;
    size_t nversions;
    bool has_versym;
    ep_strvec notes;     /* said in every tree that loads it */
    unsigned scope_mark; /* in the lookup scope of tree number ... */
} ld_image;

/* One path as opened: what the open gave, and what depends on the name
 * (l_origin and the search paths expanded with it). */
typedef struct ld_file {
    const char *path;
    struct ld_file *hnext;
    try_result status;
    int errnum; /* TRY_ABSENT: the open's errno */
    const char *why;
    ld_image *img;      /* TRY_FOUND */
    const char *origin; /* l_origin, NULL when unknown */
    bool has_rpath;     /* DT_RPATH, unless a DT_RUNPATH hides it */
    bool has_runpath;
    ld_path rpath, runpath;
    ep_strvec notes; /* from expanding them */
} ld_file;

/* One object in one emulated namespace (struct link_map). */
struct ld_obj {
    ld_file *file;
    ld_image *img;
    const ep_elf_dynfacts *info; /* img->info */
    const char *path;            /* l_name: the name it was opened by */
    const char *origin;          /* l_origin, NULL when unknown */
    dev_t dev;
    ino_t ino;
    ep_strvec names; /* l_libname: names it was requested by */
    const char *soname;
    ld_obj *loader;     /* l_loader: what caused it to be loaded */
    ld_obj *next;       /* namespace list order */
    size_t seq;         /* position in that list */
    ld_obj *inode_next; /* chain of the identity index */
    bool preloaded;     /* part of the interpreter process */
    bool is_rtld;
    bool has_rpath;
    bool has_runpath;
    ld_path *rpath, *runpath; /* the file's, decoded */
    size_t lib;               /* index in the library list, or SIZE_MAX */
    size_t proc;              /* index in the process list, or SIZE_MAX */
    unsigned mark;            /* breadth-first walk that reached it */
    ld_obj *bfs_parent;       /* the object that reached it first */
};

/* One undefined reference of the root, to be bound. */
typedef struct ld_ref {
    const char *name;
    const char *version; /* NULL: unversioned */
    const char *file;    /* the file the version is required from */
    uint32_t vhash;
    uint32_t gnu_hash;
    size_t namelen;
    bool bound;
} ld_ref;

/* What one search for a name produced. */
typedef struct ld_trace {
    ep_deps_place *places;
    size_t nplaces, places_cap;
    ep_deps_skip *skips;
    size_t nskips, skips_cap;
    const char *error; /* fatal: ld.so signals an error here */
    const char *error_path;
    ep_deps_how how;
    const char *how_from;
} ld_trace;

typedef struct ld_ctx ld_ctx;

/* dl-load.c _dl_map_object: find or load name needed by loader (NULL for
 * the root). Returns the object, or NULL when not found or refused (trace
 * says which). */
ld_obj *ld_map_object(ld_ctx *cx, ld_obj *loader, const char *name,
                      ld_trace *trace);
/* Open path as a new object directly (the root, the executable). */
ld_obj *ld_open_object(ld_ctx *cx, const char *path, ld_obj *loader,
                       const char **why);
/* Parse LD_LIBRARY_PATH (for this tree: its tokens expand against the main
 * program). */
ep_status ld_init_env_path(ld_ctx *cx, const char *llp);
/* The default directories, once per session. */
ep_status ld_init_system_path(ld_sess *s);
bool ld_note(ld_ctx *cx, const char *fmt, ...) EP_PRINTF(2, 3);
/* Park every file of the session (close its descriptor). */
void ld_park_all(ld_sess *s);

/* ---- the session: one emulated process's fixed state (resolve.c) --------- */

struct ep_deps_session {
    unsigned refs; /* the handle and each tree made in it */
    bool closed;   /* the handle was freed: files are closed */
    ep_arena a;    /* everything trees borrow from the session */
    bool nomem;
    bool symbols;
    bool map_files; /* map files whole rather than read parts */
    ld_platform pf;
    ld_cache *cache;
    const char *cache_path; /* NULL: no cache */
    const char *cache_note; /* why the cache is not used, or NULL */
    const char *cache_format;
    const char *llp;   /* the LD_LIBRARY_PATH emulated, or NULL */
    ld_path system;    /* the default directories */
    ld_dir **dir_hash; /* GL(dl_all_dirs), by name */
    size_t dir_hash_size;
    struct ld_cached **cached; /* ld.so.cache answers, by name */
    size_t cached_size, ncached;
    ld_file **files; /* by path */
    size_t files_size, nfiles;
    ld_image **images; /* by identity */
    size_t images_size, nimages;
    ld_image *all;        /* every image, newest first */
    size_t nopen;         /* descriptors opened since the last parking */
    struct ld_str **strs; /* interned version and file names */
    size_t strs_size, nstrs;
    struct ld_memo **memo; /* which object answered each reference */
    size_t memo_size, nmemo;
    unsigned scope_gen; /* numbers each tree's lookup scope */
    unsigned ntrees;    /* trees made so far */
    /* The process (ld_process): NULL exe is standalone. */
    const char *python; /* as named */
    const char *exe;
    bool asked; /* run once to find its executable */
    bool shared;
    const char *libpython;
    const char *caller_prefix;
    bool plain_unless_ext; /* opt->plain_unless_extension */
    /* With plain_unless_ext, the process is decided at the first file that
     * is a Python extension (most files of a batch of libraries never need
     * it): the caller's finder and the names it is given. */
    struct ld_process_finder_box *defer;
};

/* The process a file is dlopen()ed in, as the caller decided it (the
 * loader does not know what runs in it): NULL exe is standalone, the file
 * loaded on its own as `ld.so --list` loads it. */
typedef struct ld_process {
    const char *named;         /* as the user named it, for the report */
    const char *exe;           /* the executable, a real path */
    bool asked;                /* the caller ran it to find exe */
    bool shared;               /* the caller expects a shared caller_prefix
                                * object in the process (noted when absent) */
    const char *libpython;     /* that object's path as the caller knows it */
    const char *caller_prefix; /* the preloaded object whose code calls
                                * dlopen(): the first whose SONAME (or file
                                * name) starts with this; else the executable */
} ld_process;

/* Decides the process from the interpreter as named (python, or its
 * executable when known; not both NULL): fills *p, its strings in a. s:
 * the session that will load the process (its files read once), or NULL
 * before there is one. */
typedef ep_status (*ld_process_finder)(ld_sess *s, ep_arena *a,
                                       const char *python,
                                       const char *executable, ld_process *p,
                                       ep_error *err);

typedef struct ld_process_finder_box {
    ld_process_finder find;
    const char *python; /* session copies, or NULL */
    const char *executable;
} ld_process_finder_box;

/* Leave the process of a standalone session s undecided until a file
 * that exports PyInit_* needs it (s has plain_unless_ext): find is then
 * called once; when it fails, that file's analysis fails with its error. */
ep_status ld_session_defer_process(ld_sess *s, ld_process_finder find,
                                   const char *python, const char *executable);

/* python.c: the DT_NEEDED entry of the executable exe that names a
 * libpython ("libpython3.11.so.1.0"), or NULL for a static build; in a.
 * EP_ERR_IO when exe cannot be opened, EP_ERR_INTERP when it is not an
 * object ld.so could start. Read through session s when not NULL (which
 * then has it for the process's tree). */
ep_status ld_exe_libpython(ld_sess *s, ep_arena *a, const char *exe,
                           const char **needed, ep_error *err);
/* python.c: whether the file at path defines a PyInit_* dynamic symbol,
 * i.e. is a Python extension module (false when it cannot be read). */
bool ld_exports_pyinit(ld_sess *s, const char *path);

/* A session emulating proc (copied) with opt's search settings. */
ep_status ld_session_new(const ep_deps_options *opt, const ld_process *proc,
                         ep_deps_session **out, ep_error *err);

/* The file at path, opened and checked once per session; NULL when memory
 * ran out. */
ld_file *ld_sess_file(ld_sess *s, const char *path, bool map);

/* ---- one analysis (resolve.c) -------------------------------------------- */

struct ld_ctx {
    ld_sess *s;
    ep_deps *deps;
    ep_arena *a; /* the result's arena */
    ep_error *err;
    bool nomem;
    ld_path env_path;      /* LD_LIBRARY_PATH */
    const char *rtld_path; /* the dynamic loader's name in this process */
    ld_obj *head, *tail;   /* the namespace list */
    ld_obj *main;          /* the main map: executable, or the root */
    ld_obj *call_map;      /* the object that calls dlopen() */
    ld_obj *rtld;
    size_t nobjs;
    bool limit_noted;
    unsigned gen; /* numbers each walk over the objects */
    /* Objects by every name they answer to, and by file identity. */
    struct ld_name **names;
    size_t names_size, nnames;
    ld_obj **by_inode;
    size_t inode_size, ninode;
    /* Symbols: wanted at all, and the root's references being bound. */
    bool symbols;
    struct ld_ref *refs;
    size_t nrefs;
    ld_obj *root;
    ld_image *root_img; /* read for this tree alone */
    bool reading_root;  /* opening the root: read, not mapped */
};

/* The object known by a name (its path, a name it was requested by, its
 * SONAME), first in namespace order; NULL when none. */
ld_obj *ld_find_name(ld_ctx *cx, const char *name);

/* ---- versions and symbols (symbols.c) ------------------------------------ */

/* Copy an image's versions, once, when it is first read. */
void ld_read_versions(ld_sess *s, ld_image *img, const char *path);
/* One copy of a string per session. */
const char *ld_intern(ld_sess *s, const char *str);
/* The root's undefined non-weak references, to bind. */
ep_status ld_collect_refs(ld_ctx *cx, ld_obj *root);
/* dl-lookup.c: bind the references in the lookup scope (the global scope,
 * then the dlopen's search list; each object once). */
void ld_resolve_refs(ld_ctx *cx, ld_obj *const *scope, size_t nscope);
/* dl-version.c: check every version requirement of the objects the dlopen
 * loads; then report the references nothing bound. */
ep_status ld_check_versions(ld_ctx *cx, ld_obj *first);
ep_status ld_finish_symbols(ld_ctx *cx, ld_obj *root);

/* ---- the result ---------------------------------------------------------- */

struct ep_deps {
    ep_arena arena;
    ld_sess *sess; /* holds the strings borrowed from it */
    const char *file;
    const char *interpreter; /* executable, NULL standalone */
    const char *python;      /* as the user named it */
    bool asked;              /* the interpreter was run to find it */
    bool shared;             /* libpython is a shared library */
    const char *libpython;   /* its path in the process, or NULL */
    const char *call_map;    /* the object whose dlopen() loads the root */
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
    bool symbols_enabled;   /* versions and symbols were checked */
    size_t symbols_checked; /* undefined symbols of the root looked up */
    size_t symbols_weak;    /* weak ones, left alone */
    /* The environment that was emulated, for the report. */
    const char *ld_library_path;
    const char *cache_path;
    const char *cache_format; /* NULL when no cache is used */
    const char *platform;
    const char *lib;
    ep_strlist hwcaps;
    ep_strlist legacy_hwcaps;
    ep_strlist system_dirs;
    bool ok;
};

#endif
