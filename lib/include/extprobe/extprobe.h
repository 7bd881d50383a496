/*
 * libextprobe: why a compiled Python extension will not import.
 *
 * The public API. Everything here carries the ep_ / EP_ prefix; nothing else
 * is exported from libextprobe.so. Conventions, once for the whole header:
 *  - every fallible call returns ep_status and takes an optional ep_error *
 *    (NULL allowed) that receives a one-line message naming the file;
 *  - absence is not an error: "no RUNPATH" is EP_OK with an empty list;
 *  - each declaration ends with its Ownership line (see docs/c-api.md).
 */
#ifndef EXTPROBE_H
#define EXTPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EP_BUILDING_LIBRARY) && defined(__GNUC__)
#define EP_API __attribute__((visibility("default")))
#else
#define EP_API
#endif

/* ------------------------------------------------------------------------ */
/* Status and errors                                                         */
/* ------------------------------------------------------------------------ */

/** Outcome of an operation. Values are ABI: append only. */
typedef enum ep_status {
    EP_OK = 0,
    EP_ERR_INVALID_ARG = 1, /**< a NULL or out-of-range argument */
    EP_ERR_NOMEM = 2,       /**< an allocation failed */
    EP_ERR_IO = 3,          /**< the file could not be opened or read */
    EP_ERR_NOT_ELF = 4,     /**< an ELF operation on a file that is not ELF */
    EP_ERR_MALFORMED = 5,   /**< the ELF file is damaged where it was read */
    EP_ERR_DWARF = 6,       /**< libdwarf could not read the debug info */
    EP_ERR_INTERP = 7       /**< the target interpreter could not be run */
} ep_status;

/** Error detail, in storage the caller owns. Nothing to free. */
typedef struct ep_error {
    ep_status status;
    int sys_errno;     /**< errno of the failing system call, or 0 */
    char message[256]; /**< one line, no trailing newline */
} ep_error;

/** Short name of a status ("out of memory", "not an ELF file", ...).
 *  Ownership: static. */
EP_API const char *ep_status_str(ep_status status);

/** Release memory the library handed over as a non-const pointer.
 *  Accepts NULL.  Ownership: releases what the library gave you. */
EP_API void ep_free(void *ptr);

/** s as a text report shows a string that comes from a file (a symbol
 *  name, a DT_RUNPATH, a path): control characters (\t, \n, \r by name,
 *  the rest as \xNN), DEL, C1 controls (\u0080) and bytes that are not
 *  UTF-8 (\xNN) written out, so that the file cannot drive the terminal.
 *  Other UTF-8 is kept. NULL when s is NULL or memory ran out.
 *  Ownership: caller frees with ep_free(). */
EP_API char *ep_text_escape(const char *s);

/** Library version, "MAJOR.MINOR.PATCH".  Ownership: static. */
EP_API const char *ep_version(void);

/* ------------------------------------------------------------------------ */
/* One compiled object (or whatever file stands in its place)                */
/* ------------------------------------------------------------------------ */

/** An opened file: an ELF object, or a recognised non-ELF file. */
typedef struct ep_object ep_object;

/** What a file is. Values are ABI: append only. */
typedef enum ep_kind {
    EP_KIND_UNKNOWN = 0,         /**< not a format extprobe recognises */
    EP_KIND_ELF = 1,             /**< a well-formed ELF object */
    EP_KIND_MACHO = 2,           /**< Mach-O, thin or fat (a macOS build) */
    EP_KIND_PE = 3,              /**< PE/COFF (a Windows build) */
    EP_KIND_PYTHON_SOURCE = 4,   /**< Python source text */
    EP_KIND_PYTHON_BYTECODE = 5, /**< a .pyc file */
    EP_KIND_EMPTY = 6,           /**< 0 bytes */
    EP_KIND_TRUNCATED = 7,       /**< ELF, but cut short */
    EP_KIND_CORRUPT = 8,         /**< ELF magic, but inconsistent headers */
    EP_KIND_UNREADABLE = 9       /**< missing, a directory, a FIFO, no access */
} ep_kind;

/** Stable name of a kind as used in JSON ("elf", "macho", "truncated", ...).
 *  Ownership: static. */
EP_API const char *ep_kind_str(ep_kind kind);

/**
 * Open a file read-only and classify it.
 *
 * Reads only the ranges it needs (libelf ELF_C_READ reads on demand), never
 * the whole file. A file that is not loadable ELF is still a successful open:
 * ep_object_kind() and ep_object_reason() say what it is and why it cannot be
 * loaded. Only failures of the operation itself are errors.
 *
 * @param[in]  path  file to open
 * @param[out] out   the object, also for non-ELF and unreadable files
 * @param[out] err   optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM
 * Ownership: caller frees with ep_object_close().
 */
EP_API ep_status ep_object_open(const char *path, ep_object **out,
                                ep_error *err);

/**
 * Classify an in-memory image, as ep_object_open() does for a file.
 *
 * @param[in]  buf   bytes of the file; must outlive the object (not copied)
 * @param[in]  len   number of bytes
 * @param[in]  name  name used in messages and as the path (e.g. a wheel member)
 * @param[out] out   the object
 * @param[out] err   optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM
 * Ownership: caller frees with ep_object_close().
 */
EP_API ep_status ep_object_open_memory(const void *buf, size_t len,
                                       const char *name, ep_object **out,
                                       ep_error *err);

/** Close an object and free everything it owns. Accepts NULL.
 *  Ownership: releases the object. */
EP_API void ep_object_close(ep_object *obj);

/** The path (or name) the object was opened with.
 *  Ownership: borrowed (valid until ep_object_close()). */
EP_API const char *ep_object_path(const ep_object *obj);

/** What the file is.  Ownership: not applicable (a value). */
EP_API ep_kind ep_object_kind(const ep_object *obj);

/** Why the file is not a loadable ELF object, one line; NULL when it is.
 *  Ownership: borrowed (valid until ep_object_close()). */
EP_API const char *ep_object_reason(const ep_object *obj);

/** Size of the file in bytes.  Ownership: not applicable (a value). */
EP_API uint64_t ep_object_size(const ep_object *obj);

/** A list of strings owned by the object that returned it. */
typedef struct ep_strlist {
    size_t count;
    const char *const *items;
} ep_strlist;

/** The ELF facts that are cheap to read, gathered when the object is opened.
 *  Read-only; fields may be appended in later versions. */
typedef struct ep_elf_info {
    int elf_class;            /**< 32 or 64 */
    int data;                 /**< ELFDATA2LSB (1) or ELFDATA2MSB (2) */
    int osabi;                /**< e_ident[EI_OSABI] */
    int abiversion;           /**< e_ident[EI_ABIVERSION] */
    int type;                 /**< e_type: ET_DYN, ET_EXEC, ET_REL, ... */
    int machine;              /**< e_machine */
    uint32_t flags;           /**< e_flags */
    const char *machine_name; /**< "x86_64", "aarch64", "i386", ... */
    const char *type_name;    /**< "dyn", "exec", "rel", "core" */
    const char *osabi_name;   /**< "sysv", "gnu", "freebsd", ... */
    const char *endian_name;  /**< "little" or "big" */
    const char *interp;       /**< PT_INTERP, or NULL */
    bool has_dynamic;         /**< a PT_DYNAMIC segment was read */
    const char *soname;       /**< DT_SONAME, or NULL */
    ep_strlist needed;        /**< DT_NEEDED, in order */
    ep_strlist rpath;         /**< DT_RPATH split at ':', unexpanded */
    ep_strlist runpath;       /**< DT_RUNPATH split at ':', unexpanded */
    uint64_t dt_flags;        /**< DT_FLAGS (DF_ORIGIN, DF_BIND_NOW, ...) */
    uint64_t dt_flags_1;      /**< DT_FLAGS_1 (DF_1_NODEFLIB, DF_1_NOW, ...) */
    ep_strlist flag_names; /**< readable names of both, "ORIGIN", "NOW", ... */
    int stack_flags;       /**< p_flags of PT_GNU_STACK, or -1 if absent */
    const char *build_id;  /**< NT_GNU_BUILD_ID as lowercase hex, or NULL */
    const char *abi_tag;   /**< NT_GNU_ABI_TAG as "Linux 3.2.0", or NULL */
    ep_strlist comments;   /**< distinct strings of .comment (compilers) */
    bool has_section_headers; /**< false for sstrip'ed files */
    bool stripped;            /**< no .symtab */
    bool has_debug_info;      /**< a .debug_info section is present */
    const char *debuglink;    /**< .gnu_debuglink file name, or NULL */
    uint32_t debuglink_crc;   /**< its CRC-32 (valid when debuglink is set) */
    uint64_t tls_size;        /**< p_memsz of PT_TLS, 0 without one */
} ep_elf_info;

/** ELF facts of the object, or NULL when not even its ELF header could be
 *  decoded. For truncated or corrupt ELF the header fields are set and the
 *  lists hold what could be read before the damage.
 *  Ownership: borrowed (valid until ep_object_close()). */
EP_API const ep_elf_info *ep_object_elf(const ep_object *obj);

/** One dynamic symbol. Read-only, owned by its object. */
typedef struct ep_symbol {
    const char *name;
    const char *version;      /**< symbol version ("GLIBC_2.14"), or NULL */
    const char *version_file; /**< for an import: the file the version is
                                   required from ("libc.so.6"), or NULL */
    bool defined;             /**< an export (st_shndx != SHN_UNDEF) */
    bool weak;                /**< STB_WEAK */
    bool hidden_version; /**< non-default version (name@VER, not name@@VER) */
    uint8_t type;        /**< STT_FUNC, STT_OBJECT, ... */
    uint8_t bind;        /**< STB_GLOBAL, STB_WEAK, ... */
    uint8_t visibility;  /**< STV_DEFAULT, STV_PROTECTED, ... */
    uint64_t value;
    uint64_t size;
} ep_symbol;

/** Stable names for symbol attributes ("func", "global", "default").
 *  Ownership: static. */
EP_API const char *ep_symbol_type_str(uint8_t type);
/** Ownership: static. */
EP_API const char *ep_symbol_bind_str(uint8_t bind);
/** Ownership: static. */
EP_API const char *ep_symbol_visibility_str(uint8_t visibility);

/**
 * The dynamic symbol table (.dynsym) without the null entry and section or
 * file symbols, read on first call. Local symbols are left out: the loader
 * never binds to them.
 *
 * @param[in]  obj    an ELF object
 * @param[out] syms   array of *count symbols
 * @param[out] count  number of symbols (0 when the file has no .dynsym)
 * @param[out] err    optional error detail
 * @return EP_OK, EP_ERR_NOT_ELF, EP_ERR_MALFORMED, EP_ERR_NOMEM
 * Ownership: borrowed (valid until ep_object_close()).
 */
EP_API ep_status ep_object_symbols(ep_object *obj, const ep_symbol **syms,
                                   size_t *count, ep_error *err);

/**
 * Names of the PyInit_* functions the object exports, in symbol table order.
 * Which init protocol (single- or multi-phase) a module uses is decided by
 * what the function returns at run time, so it is not reported here.
 *
 * @return EP_OK, or an error of ep_object_symbols()
 * Ownership: borrowed (valid until ep_object_close()).
 */
EP_API ep_status ep_object_pyinit(ep_object *obj, ep_strlist *out,
                                  ep_error *err);

/** One version this object requires (.gnu.version_r). */
typedef struct ep_version_need {
    const char *file;    /**< the needed file named in the entry, "libc.so.6" */
    const char *version; /**< "GLIBC_2.34" */
    uint32_t hash;       /**< ELF hash of the version name */
    bool weak;           /**< VER_FLG_WEAK: a missing version only warns */
    uint16_t index;      /**< vna_other: the .gnu.version index naming it */
} ep_version_need;

/** One version this object defines (.gnu.version_d). */
typedef struct ep_version_def {
    const char *name; /**< "GLIBC_2.34"; the base entry holds the soname */
    uint32_t hash;
    bool base;      /**< VER_FLG_BASE: names the file, not a version */
    uint16_t index; /**< vd_ndx: the .gnu.version index naming it */
} ep_version_def;

/**
 * Version requirements, in file order (grouped by needed file).
 * @return EP_OK, EP_ERR_NOT_ELF, EP_ERR_MALFORMED, EP_ERR_NOMEM
 * Ownership: borrowed (valid until ep_object_close()).
 */
EP_API ep_status ep_object_version_needs(ep_object *obj,
                                         const ep_version_need **needs,
                                         size_t *count, ep_error *err);

/**
 * Version definitions, in file order.
 * @return EP_OK, EP_ERR_NOT_ELF, EP_ERR_MALFORMED, EP_ERR_NOMEM
 * Ownership: borrowed (valid until ep_object_close()).
 */
EP_API ep_status ep_object_version_defs(ep_object *obj,
                                        const ep_version_def **defs,
                                        size_t *count, ep_error *err);

/**
 * Compare two symbol version names of one family ("GLIBC_2.17" and
 * "GLIBC_2.34", "GLIBCXX_3.4.9" and "GLIBCXX_3.4.30") numerically.
 * Names of different families compare by family name.
 * @return <0, 0 or >0 like strcmp.  Ownership: not applicable.
 */
EP_API int ep_version_compare(const char *a, const char *b);

/**
 * Length of the family part of a version name, its '_' included: up to the
 * first '_' followed by a digit ("GLIBC_" of "GLIBC_2.34", "NCURSES6_TINFO_"
 * of "NCURSES6_TINFO_5.7.20081102"); 0 for a name without a number
 * ("GLIBC_PRIVATE"). The family rule ep_version_compare() uses.
 * Ownership: not applicable.
 */
EP_API size_t ep_version_family_len(const char *version);

/* ------------------------------------------------------------------------ */
/* Extension file names                                                      */
/* ------------------------------------------------------------------------ */

/** What an extension module's file name says (PEP 3149, PEP 384, PyPy). */
typedef struct ep_ext_tag {
    const char *module;         /**< "_ext" for "_ext.cpython-311-...so" */
    const char *suffix;         /**< ".cpython-311-x86_64-linux-gnu.so" */
    const char *implementation; /**< "cpython", "pypy", "graalpy", or NULL */
    const char *version;        /**< "3.11", or NULL when the tag has none */
    const char *abiflags;       /**< "", "d", "t", "td", ... or NULL */
    const char *platform;       /**< "x86_64-linux-gnu", or NULL */
    const char *raw_tag;        /**< the tag between the dots, or NULL */
    bool stable_abi;            /**< ".abi3.so" */
} ep_ext_tag;

/**
 * Parse the file name (a path is allowed; the directory part is ignored) of
 * a compiled module: "m.cpython-313t-x86_64-linux-gnu.so", "m.abi3.so",
 * "m.so", "m.pypy310-pp73-x86_64-linux-gnu.so", "m.cpython-311d-...so".
 *
 * @param[in]  filename  the name to parse; must end in ".so"
 * @param[out] out       the parsed tag
 * @param[out] err       optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG (not a ".so" name), EP_ERR_NOMEM
 * Ownership: caller frees with ep_ext_tag_free().
 */
EP_API ep_status ep_ext_tag_parse(const char *filename, ep_ext_tag **out,
                                  ep_error *err);

/** Free a parsed tag. Accepts NULL.  Ownership: releases the tag. */
EP_API void ep_ext_tag_free(ep_ext_tag *tag);

/** The tag parsed from the object's own file name, or NULL when the name
 *  does not end in ".so".
 *  Ownership: borrowed (valid until ep_object_close()). */
EP_API const ep_ext_tag *ep_object_ext_tag(const ep_object *obj);

/* ------------------------------------------------------------------------ */
/* Build provenance (DWARF)                                                  */
/* ------------------------------------------------------------------------ */

/** Where the debug info of an object stands. Values are ABI: append only. */
typedef enum ep_debug_status {
    EP_DEBUG_ABSENT = 0,    /**< no DWARF in the file nor a separate file */
    EP_DEBUG_READ = 1,      /**< read; the fields below are set */
    EP_DEBUG_UNREADABLE = 2 /**< present, but the reader failed (reason) */
} ep_debug_status;

/** Compilation units that share one producer and one language. */
typedef struct ep_build_unit {
    const char *producer;         /**< DW_AT_producer as written, or "" */
    const char *compiler;         /**< "gcc", "clang", "rustc", ... or NULL */
    const char *compiler_version; /**< "12.2.0", "1.95.0", or NULL */
    ep_strlist flags;             /**< the producer's options ("-O2", ...) */
    const char *language;         /**< "C11", "C++17", "Rust", ... or NULL */
    size_t units;                 /**< how many units */
} ep_build_unit;

/** What the debug info says about how an object was built.
 *  Read-only; fields may be appended in later versions. */
typedef struct ep_provenance_info {
    ep_debug_status status;
    const char *source;     /**< "embedded", "debuglink", "build-id", or NULL */
    const char *debug_file; /**< the file the DWARF was read from, or NULL */
    const char *reason;     /**< unreadable: why, one line; else NULL */
    size_t units;           /**< compilation units */
    size_t nproducers;
    const ep_build_unit *producers; /**< distinct (producer, language) */
    bool rust;                      /**< some unit was compiled by rustc */
    ep_strlist python_headers; /**< directories of the Python headers used */
    bool has_macros;           /**< some unit carries .debug_macro (-g3) */
    const char *py_version;    /**< PY_VERSION from .debug_macro, or NULL */
    const char *limited_api;   /**< Py_LIMITED_API's value ("" when defined
                                    empty); NULL when no unit defined it */
    bool py_debug;             /**< Py_DEBUG was defined (macro info) */
    bool py_gil_disabled;      /**< Py_GIL_DISABLED was defined to non-zero */
    ep_strlist sources; /**< distinct source files of the units: DW_AT_name
                             resolved against DW_AT_comp_dir (rustc's
                             "/@/<codegen unit>" cut off; "<...>" names
                             left out), in the order of the units; at most
                             1024 */
} ep_provenance_info;

/** Build provenance of one object. */
typedef struct ep_provenance ep_provenance;

/**
 * Read the build provenance of an ELF object from its DWARF: in the file, or
 * in a separate debug file found through .gnu_debuglink (same directory,
 * .debug/, /usr/lib/debug/DIR/; CRC checked) or the build-id
 * (/usr/lib/debug/.build-id/xx/rest.debug). libdwarf runs in a helper
 * process (extprobe-dwarf) under time and memory limits: a crash or limit
 * there is EP_DEBUG_UNREADABLE with a reason, never the caller's failure.
 *
 * @param[in]  obj  an object of any kind (non-ELF: EP_DEBUG_ABSENT)
 * @param[out] out  the provenance
 * @param[out] err  optional error detail
 * @return EP_OK (also when the debug info is absent or unreadable),
 *         EP_ERR_INVALID_ARG, EP_ERR_NOMEM, EP_ERR_IO (pipe/poll failed)
 * Ownership: caller frees with ep_provenance_free().
 */
EP_API ep_status ep_provenance_read(const ep_object *obj, ep_provenance **out,
                                    ep_error *err);

/** A DWARF reader for a batch of objects: one helper process reads file
 *  after file, instead of one process per file. The helper is started at
 *  the first object whose debug info is really there (an object without
 *  any never starts it). The limits hold per object: a crash, limit or
 *  timeout on one object is that object's EP_DEBUG_UNREADABLE reason, and
 *  the next object gets a fresh helper. Not for use by two threads at once. */
typedef struct ep_provenance_reader ep_provenance_reader;

/**
 * Make a reader; no process is started yet.
 *
 * @param[out] out  the reader
 * @param[out] err  optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM
 * Ownership: caller frees with ep_provenance_reader_free().
 */
EP_API ep_status ep_provenance_reader_new(ep_provenance_reader **out,
                                          ep_error *err);

/**
 * ep_provenance_read() through reader's helper; same answer, same limits.
 *
 * @param[in]  reader  from ep_provenance_reader_new()
 * @param[in]  obj     an object of any kind (non-ELF: EP_DEBUG_ABSENT)
 * @param[out] out     the provenance
 * @param[out] err     optional error detail
 * @return as ep_provenance_read()
 * Ownership: caller frees with ep_provenance_free().
 */
EP_API ep_status ep_provenance_read_with(ep_provenance_reader *reader,
                                         const ep_object *obj,
                                         ep_provenance **out, ep_error *err);

/** Release a reader (NULL ok): its helper, if one runs, is told to exit,
 *  killed if it has not within a second, and reaped; no process is left.
 *  Provenances read with it stay valid.  Ownership: releases it. */
EP_API void ep_provenance_reader_free(ep_provenance_reader *reader);

/** The facts of a provenance.
 *  Ownership: borrowed (valid until ep_provenance_free()). */
EP_API const ep_provenance_info *ep_provenance_get(const ep_provenance *prov);

/** Release a provenance. Accepts NULL.  Ownership: releases it. */
EP_API void ep_provenance_free(ep_provenance *prov);

/** "absent", "read" or "unreadable".  Ownership: static. */
EP_API const char *ep_debug_status_str(ep_debug_status status);

/* ------------------------------------------------------------------------ */
/* Reports as JSON                                                           */
/* ------------------------------------------------------------------------ */

/**
 * The inspect report of several objects as one JSON document (schema 1, keys
 * in docs/json.md), NUL-terminated, with a trailing newline.
 *
 * @param[in]  objs   objects, any kind
 * @param[in]  count  number of objects
 * @param[out] json   the document
 * @param[out] err    optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM
 * Ownership: caller frees with ep_free().
 */
EP_API ep_status ep_inspect_json(ep_object *const *objs, size_t count,
                                 char **json, ep_error *err);

/** The same document written to a file descriptor one object at a time,
 *  so that a caller can close each object once it is added: memory and
 *  open files stay flat however many files there are. */
typedef struct ep_inspect_writer ep_inspect_writer;

/**
 * Start an inspect document on fd (the writer never closes fd).
 *
 * @param[in]  fd   where the document goes, e.g. STDOUT_FILENO
 * @param[out] out  the writer
 * @param[out] err  optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM
 * Ownership: caller frees with ep_inspect_writer_free().
 */
EP_API ep_status ep_inspect_writer_new(int fd, ep_inspect_writer **out,
                                       ep_error *err);

/**
 * Whether the records carry build provenance (default: yes). Off, no DWARF
 * is read and no helper runs: each record's "provenance" is null. Call
 * before the first ep_inspect_writer_add().
 */
EP_API void ep_inspect_writer_set_provenance(ep_inspect_writer *w, bool read);

/**
 * Append one object's record; the object may be closed right after.
 *
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM, EP_ERR_IO (a write to fd
 *         failed; later calls fail the same way)
 */
EP_API ep_status ep_inspect_writer_add(ep_inspect_writer *w, ep_object *obj,
                                       ep_error *err);

/**
 * End the document and write out what is left.
 *
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM, EP_ERR_IO
 */
EP_API ep_status ep_inspect_writer_finish(ep_inspect_writer *w, ep_error *err);

/** Release a writer (NULL ok); an unfinished document stays unfinished. */
EP_API void ep_inspect_writer_free(ep_inspect_writer *w);

/* ------------------------------------------------------------------------ */
/* Diagnosis: findings, reports, explain                                     */
/* ------------------------------------------------------------------------ */

/** How serious a finding is. */
typedef enum ep_severity {
    EP_SEVERITY_INFO = 1,
    EP_SEVERITY_WARNING = 2,
    EP_SEVERITY_ERROR = 3
} ep_severity;

/** Finding codes. Values are ABI: append only, never reuse, 0 is not a code.
 *  The slug (ep_finding_slug()) is the public identity; the table lives in
 *  lib/findings/findings.def and a test keeps the two in step. */
typedef enum ep_finding_code {
    EP_FINDING_SHADOWED_BY_SOURCE = 1,
    EP_FINDING_ABI_TAG_MISMATCH = 2,
    EP_FINDING_MISSING_INIT_FUNCTION = 3,
    EP_FINDING_MISSING_DEPENDENCY = 4,
    EP_FINDING_UNDEFINED_SYMBOL = 5,
    EP_FINDING_GLIBC_TOO_NEW = 6,
    EP_FINDING_WRONG_ARCHITECTURE = 7,
    EP_FINDING_NOT_AN_EXTENSION = 8,
    EP_FINDING_EXTENSION_NOT_INSTALLED = 9,
    EP_FINDING_SWALLOWED_IMPORT_ERROR = 10,
    EP_FINDING_EDITABLE_WITHOUT_BUILD = 11,
    EP_FINDING_NAMESPACE_PACKAGE = 12,
    EP_FINDING_LIMITED_API_VIOLATION = 13,
    EP_FINDING_UNREADABLE = 14,
    EP_FINDING_MODULE_NOT_FOUND = 15,
    EP_FINDING_IMPORT_ERROR = 16,
    EP_FINDING_WHEEL_DAMAGED = 17,
    EP_FINDING_WHEEL_TAG_MISMATCH = 18,
    EP_FINDING_WHEEL_RECORD_MISMATCH = 19,
    EP_FINDING_WHEEL_POLICY_VIOLATION = 20,
    EP_FINDING_WHEEL_UNVENDORED_LIBRARY = 21,
    EP_FINDING_WHEEL_FAMILY_MISMATCH = 22,
    EP_FINDING_EXECUTABLE_STACK = 23,
    EP_FINDING_STATIC_TLS = 24,
    EP_FINDING_LINKS_LIBPYTHON = 25,
    EP_FINDING_LIBC_MISMATCH = 26,
    EP_FINDING_INSTALLED_ELSEWHERE = 27,
    EP_FINDING_CXX_ABI = 28
} ep_finding_code;

/** Number of codes + 1 (codes run from 1 to EP_FINDING_CODE_END - 1). */
#define EP_FINDING_CODE_END 29

/** One finding. Read-only; lives inside its ep_report. Fields may be appended
 *  in later versions. */
typedef struct ep_finding {
    ep_finding_code code;
    ep_severity severity;
    const char *summary; /**< one line, no trailing newline */
    const char *detail;  /**< evidence; may span lines; "" if none */
    const char *fix;     /**< concrete action; "" if none */
    size_t npaths;
    const char *const *paths; /**< the files and directories involved */
} ep_finding;

/** Slug of a code ("shadowed-by-source"), or NULL for an unknown code.
 *  Ownership: static. */
EP_API const char *ep_finding_slug(ep_finding_code code);

/** Code of a slug, or 0 when there is none.  Ownership: not applicable. */
EP_API ep_finding_code ep_finding_from_slug(const char *slug);

/** "error", "warning" or "info".  Ownership: static. */
EP_API const char *ep_severity_str(ep_severity severity);

/** A diagnosis of one import (or one compiled file). */
typedef struct ep_report ep_report;

/** How the user starts Python: it decides sys.path[0]. */
typedef enum ep_start_mode {
    EP_START_MODE_C = 0,      /**< python -c: the working directory ('') */
    EP_START_MODE_MODULE = 1, /**< python -m: the working directory */
    EP_START_MODE_SCRIPT = 2, /**< python SCRIPT: the script's directory */
    EP_START_MODE_SAFE = 3    /**< python -P or PYTHONSAFEPATH: none */
} ep_start_mode;

/** The longest timeout a child process may be given, in seconds (a day).
 *  A timeout that is not a number in (0, EP_TIMEOUT_MAX] makes the call that
 *  would start the child fail with EP_ERR_INVALID_ARG. */
#define EP_TIMEOUT_MAX 86400.0

/** Options of ep_explain() and ep_probe_file(). Initialise with
 *  ep_explain_options_init(); fields may be appended in later versions. */
typedef struct ep_explain_options {
    const char *python;  /**< interpreter to diagnose; default "python3"
                              (looked up on PATH, as a shell would) */
    const char *workdir; /**< directory it starts in; NULL: the current */
    ep_start_mode start; /**< default EP_START_MODE_C */
    const char *script;  /**< for EP_START_MODE_SCRIPT: the script path */
    bool import_trial;   /**< run a real import in a child process after
                              the static analysis; default true */
    double timeout;      /**< seconds for each child process, in (0,
                              EP_TIMEOUT_MAX]; default 60 */
    const char *facts;   /**< interpreter facts already gathered (the
                              Python shim passes its own); NULL: ask the
                              interpreter in a child process */
    size_t facts_len;
} ep_explain_options;

/** Set every field to its documented default.  Ownership: not applicable. */
EP_API void ep_explain_options_init(ep_explain_options *opt);

/**
 * Diagnose `import module` as the interpreter of opt would run it: the static
 * analysis (sys.path walk, dist-info, ELF and loader checks) and, unless
 * disabled, a real import in a child process. A broken module is a
 * successful diagnosis: the findings say what is wrong.
 *
 * @param[in]  module  dotted module name
 * @param[in]  opt     options, or NULL for the defaults
 * @param[out] report  the diagnosis
 * @param[out] err     optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM, EP_ERR_INTERP (the
 *         interpreter could not be run or did not answer in time)
 * Ownership: caller frees with ep_report_free().
 */
EP_API ep_status ep_explain(const char *module, const ep_explain_options *opt,
                            ep_report **report, ep_error *err);

/**
 * Diagnose one compiled file directly: would the interpreter of opt import it
 * under the name its file name gives? No sys.path walk.
 *
 * @return as ep_explain()
 * Ownership: caller frees with ep_report_free().
 */
EP_API ep_status ep_probe_file(const char *path, const ep_explain_options *opt,
                               ep_report **report, ep_error *err);

/** Free a report and everything in it. Accepts NULL.
 *  Ownership: releases the report. */
EP_API void ep_report_free(ep_report *report);

/** The module name the report is about.
 *  Ownership: borrowed (valid until ep_report_free()). */
EP_API const char *ep_report_module(const ep_report *report);

/** Whether the module imports (by the trial, or by the static analysis when
 *  the trial did not run).  Ownership: not applicable. */
EP_API bool ep_report_importable(const ep_report *report);

/** Whether any finding has error severity (exit status 1 of the CLI).
 *  Ownership: not applicable. */
EP_API bool ep_report_has_errors(const ep_report *report);

/** Number of findings.  Ownership: not applicable. */
EP_API size_t ep_report_finding_count(const ep_report *report);

/** Finding i, most likely root cause first; NULL when out of range.
 *  Ownership: borrowed (valid until ep_report_free()). */
EP_API const ep_finding *ep_report_finding(const ep_report *report, size_t i);

/**
 * The report as JSON (schema 1, docs/json.md), with a trailing newline.
 * @return the document, or NULL when memory ran out (err says so)
 * Ownership: caller frees with ep_free().
 */
EP_API char *ep_report_json(const ep_report *report, ep_error *err);

/**
 * The report as text for a person: the cause in one line, the evidence, the
 * fix. With color, ANSI colours are used.
 * @return the text, or NULL when memory ran out (err says so)
 * Ownership: caller frees with ep_free().
 */
EP_API char *ep_report_text(const ep_report *report, bool color, ep_error *err);

/* ------------------------------------------------------------------------ */
/* Loader emulation                                                          */
/* ------------------------------------------------------------------------ */

/**
 * The needed-library tree of one object as glibc's dynamic loader (ld.so,
 * 2.36) builds it when the target interpreter dlopen()s the object, worked
 * out from the files alone: nothing is loaded or run. It holds where each
 * DT_NEEDED name resolves and by which rule, every place tried for a name
 * that is not found, the version requirements the resolving libraries lack,
 * and the undefined symbols nothing in the process defines. The rules and
 * their glibc sources are in docs/design/loader.md.
 */
typedef struct ep_deps ep_deps;

/** The rule that found a needed library (dl-load.c _dl_map_object, in that
 *  order). Values are ABI: append only. */
typedef enum ep_deps_how {
    EP_DEPS_NOT_FOUND = 0,       /**< no rule found it */
    EP_DEPS_LOADED = 1,          /**< already in the process (name or SONAME) */
    EP_DEPS_PATH = 2,            /**< the name holds a '/': opened as a path */
    EP_DEPS_RPATH = 3,           /**< DT_RPATH of the loading object or of an
                                      object up its loader chain */
    EP_DEPS_LD_LIBRARY_PATH = 4, /**< the LD_LIBRARY_PATH value */
    EP_DEPS_RUNPATH = 5,         /**< DT_RUNPATH of the loading object */
    EP_DEPS_LD_SO_CACHE = 6,     /**< /etc/ld.so.cache */
    EP_DEPS_DEFAULT = 7          /**< a default (system) directory */
} ep_deps_how;

/** Stable name of a rule as used in JSON: "not-found", "loaded", "path",
 *  "rpath", "ld_library_path", "runpath", "ld.so.cache", "default".
 *  Ownership: static. */
EP_API const char *ep_deps_how_str(ep_deps_how how);

/** One place searched for a name, in the order ld.so searches. */
typedef struct ep_deps_place {
    const char *path; /**< a directory (no trailing '/'; "" is the working
                           directory), or the cache file for
                           EP_DEPS_LD_SO_CACHE */
    ep_deps_how how;  /**< the rule that put it on the search path */
    const char *from; /**< for rpath/runpath: the object whose tag lists it;
                           otherwise NULL */
    bool exists;      /**< the directory exists (the cache: it was usable) */
    const char *note; /**< why the search stopped here, or NULL */
} ep_deps_place;

/** A file ld.so opened while searching and passed over. */
typedef struct ep_deps_skip {
    const char *path;
    const char *why; /**< "wrong ELF class: ELFCLASS32", "wrong machine:
                          aarch64", ... */
} ep_deps_skip;

/** One object of the tree, or one name that was not found. Read-only; lives
 *  inside its ep_deps. Fields may be appended in later versions. */
typedef struct ep_deps_lib {
    const char *name;      /**< as needed: DT_NEEDED after $ORIGIN, $LIB and
                                $PLATFORM expansion */
    const char *path;      /**< the file as ld.so names it (not canonical:
                                "$ORIGIN/../lib" stays unnormalised), or
                                NULL when not found */
    const char *soname;    /**< its DT_SONAME, or NULL */
    ep_deps_how how;       /**< the rule that found it */
    const char *how_from;  /**< for rpath/runpath: the object whose tag held
                                the directory; otherwise NULL */
    const char *needed_by; /**< the object whose DT_NEEDED named it first, in
                                load order */
    size_t depth;          /**< 1 for the root's own needed libraries */
    const char *error;     /**< ld.so found this file but refuses it, which
                                fails the whole load ("invalid ELF header",
                                "file too short", ...); NULL otherwise */
    size_t ntried;
    const ep_deps_place *tried; /**< the places searched, in order, up to
                                     the one that held it */
    size_t nskipped;
    const ep_deps_skip *skipped; /**< candidates passed over */
    size_t nneeded;
    const size_t *needed; /**< its own DT_NEEDED, as indexes for
                               ep_deps_library(), in DT_NEEDED order */
} ep_deps_lib;

/** A version requirement (.gnu.version_r) the resolving library does not
 *  define (dl-version.c match_symbol). Weak requirements are not listed. */
typedef struct ep_deps_version {
    const char *library;   /**< the file the requirement names, "libc.so.6" */
    const char *path;      /**< the object it was checked against */
    const char *version;   /**< the missing version, "GLIBC_2.99" */
    const char *needed_by; /**< the object that requires it */
    const char *highest;   /**< the highest version of the same family the
                                object does define ("GLIBC_2.36"), or NULL */
} ep_deps_version;

/** An undefined, non-weak dynamic symbol of the root that no object in its
 *  lookup scope defines with a matching version. */
typedef struct ep_deps_symbol {
    const char *name;
    const char *version;      /**< required version, or NULL */
    const char *version_file; /**< the file the version is required from */
    const char *needed_by;    /**< the object that references it */
} ep_deps_symbol;

/** Options of ep_deps_analyze(). Initialise with ep_deps_options_init();
 *  fields may be appended in later versions. */
typedef struct ep_deps_options {
    const char *python;     /**< the interpreter whose process dlopen()s the
                                 file: a name looked up on PATH, or a path.
                                 Nothing is run: symlinks, a pyenv shim (by
                                 pyenv's own rules) and a venv's pyvenv.cfg
                                 lead to the ELF executable, which is read
                                 (docs/deps.md); a wrapper script of any
                                 other kind is EP_ERR_INTERP. Default
                                 "python3". NULL
                                 together with executable NULL: standalone,
                                 the file is loaded on its own, as
                                 `ld.so --list FILE` (ldd) loads it */
    const char *executable; /**< the interpreter's ELF executable, when
                                 known; overrides python. Default NULL */
    double timeout;         /**< unused: the interpreter is not run (kept
                                 for source compatibility); default 30 */
    const char *ld_library_path; /**< the LD_LIBRARY_PATH value to emulate;
                                  NULL: this process's environment; "": none */
    const char *ld_so_cache;     /**< cache file; NULL: /etc/ld.so.cache; "":
                                      no cache (for tests) */
    const char *platform;        /**< $PLATFORM and the legacy platform
                                      subdirectory; NULL: what ld.so computes on
                                      this CPU ("haswell", or AT_PLATFORM) */
    const char *hwcaps;          /**< glibc-hwcaps subdirectories this CPU
                                      supports, ':'-separated, best first
                                      ("x86-64-v3:x86-64-v2"); NULL: from the CPU;
                                      "": none */
    const char *legacy_hwcaps;   /**< legacy hwcap subdirectory names besides
                                    "tls" and the platform, ':'-separated
                                    ("avx512_1:x86_64"); NULL: from the CPU */
    bool symbols;                /**< check versions and resolve symbols;
                                      default true */
    bool plain_unless_extension; /**< only a Python extension (a file that
                                  defines a PyInit_* dynamic symbol) is
                                  dlopen()ed by the interpreter; any other
                                  file is loaded on its own, as with python
                                  NULL (docs/deps.md). The interpreter is
                                  then modelled at the first extension
                                  module of a session: one that cannot be
                                  is that file's EP_ERR_INTERP. Default
                                  false; the CLI sets it unless --python is
                                  given */
    bool map_files;              /**< read the libraries of a tree (not the
                                  file analysed) through read-only mappings,
                                  as ld.so maps them, instead of with pread:
                                  no fresh memory for their tables, which is
                                  most of the cost of one tree. A library
                                  truncated while mapped raises SIGBUS in
                                  the calling process: only for a caller
                                  that handles it (the CLI for a single
                                  FILE). Default false */
} ep_deps_options;

/** Set every field to its documented default.  Ownership: not applicable. */
EP_API void ep_deps_options_init(ep_deps_options *opt);

/**
 * Build the dependency tree of one ELF file as ld.so would when the
 * interpreter of opt dlopen()s it: the interpreter's own objects are
 * already loaded (its executable, its needed libraries, libpython for shared
 * builds) and satisfy names by SONAME; every other name is searched by
 * DT_RPATH (of the loading object and up its loader chain, unless it has a
 * DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache and the default
 * directories. Missing libraries, versions and symbols are results, not
 * errors: the call succeeds and ep_deps_ok() is false.
 *
 * @param[in]  path  the extension module or shared object
 * @param[in]  opt   options, or NULL for the defaults
 * @param[out] out   the tree
 * @param[out] err   optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG, EP_ERR_NOMEM, EP_ERR_INTERP (the
 *         interpreter could not be found, run, or read)
 * Ownership: caller frees with ep_deps_free().
 */
EP_API ep_status ep_deps_analyze(const char *path, const ep_deps_options *opt,
                                 ep_deps **out, ep_error *err);

/** Free a tree and everything in it. Accepts NULL.
 *  Ownership: releases the tree. */
EP_API void ep_deps_free(ep_deps *deps);

/** The file the tree is about, as given.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const char *ep_deps_file(const ep_deps *deps);

/** The interpreter executable whose process was emulated (symlinks
 *  resolved), or NULL in standalone mode.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const char *ep_deps_interpreter(const ep_deps *deps);

/** The root object itself: how = EP_DEPS_PATH, error set when the process
 *  cannot load it at all (wrong ELF class or machine, not ELF, ...), needed
 *  lists its own DT_NEEDED.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const ep_deps_lib *ep_deps_root(const ep_deps *deps);

/** Number of libraries in the tree (the root not counted).
 *  Ownership: not applicable. */
EP_API size_t ep_deps_library_count(const ep_deps *deps);

/** Library i, in load order (breadth first, the root's own needed libraries
 *  first); each object once, each name not found once. NULL when out of
 *  range.  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const ep_deps_lib *ep_deps_library(const ep_deps *deps, size_t i);

/** Number of objects the interpreter process holds before the dlopen.
 *  Ownership: not applicable. */
EP_API size_t ep_deps_process_count(const ep_deps *deps);

/** Object i of the interpreter process, in load order (the executable
 *  first); needed indexes refer to this same list. NULL when out of range.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const ep_deps_lib *ep_deps_process(const ep_deps *deps, size_t i);

/** Number of missing version requirements.  Ownership: not applicable. */
EP_API size_t ep_deps_missing_version_count(const ep_deps *deps);

/** Missing version requirement i, NULL when out of range.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const ep_deps_version *ep_deps_missing_version(const ep_deps *deps,
                                                      size_t i);

/** Number of unresolved symbols.  Ownership: not applicable. */
EP_API size_t ep_deps_unresolved_count(const ep_deps *deps);

/** Unresolved symbol i, NULL when out of range.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API const ep_deps_symbol *ep_deps_unresolved(const ep_deps *deps, size_t i);

/** Things worth saying that are not failures of the load: an unusable
 *  ld.so.cache, a DT_NEEDED cycle, a search path ld.so cannot use, a library
 *  without version information. One line each.
 *  Ownership: borrowed (valid until ep_deps_free()). */
EP_API ep_strlist ep_deps_notes(const ep_deps *deps);

/** True when the load would succeed: every library found and loadable,
 *  every version present, every symbol resolved.
 *  Ownership: not applicable. */
EP_API bool ep_deps_ok(const ep_deps *deps);

/**
 * The tree as JSON (schema 1; keys in docs/deps.md), with a trailing
 * newline.
 * @return the document, or NULL when memory ran out (err says so)
 * Ownership: caller frees with ep_free().
 */
EP_API char *ep_deps_json(const ep_deps *deps, ep_error *err);

/**
 * A session: what one interpreter process computes once (the interpreter's
 * executable, asked once when it is a script; the CPU's hwcaps and
 * $PLATFORM; the mapped ld.so.cache; which directories exist) and every
 * file read, shared by the analyses made in it, so that a batch of files
 * reads each library once. Files are assumed not to change while the
 * session lives. Not thread-safe: one thread at a time.
 */
typedef struct ep_deps_session ep_deps_session;

/**
 * Start a session with fixed options (copied).
 * @return EP_OK, EP_ERR_NOMEM, EP_ERR_INTERP (as ep_deps_analyze())
 * Ownership: caller frees with ep_deps_session_free().
 */
EP_API ep_status ep_deps_session_new(const ep_deps_options *opt,
                                     ep_deps_session **out, ep_error *err);

/**
 * ep_deps_analyze() within a session: the same tree, with what earlier
 * analyses of the session read reused.
 * Ownership: caller frees with ep_deps_free(); the tree stays valid after
 * ep_deps_session_free().
 */
EP_API ep_status ep_deps_session_analyze(ep_deps_session *session,
                                         const char *path, ep_deps **out,
                                         ep_error *err);

/** End a session: its files are closed and their tables freed at once;
 *  the strings trees made in it still use stay until the last such tree is
 *  freed. Accepts NULL.
 *  Ownership: releases the session. */
EP_API void ep_deps_session_free(ep_deps_session *session);

/* ------------------------------------------------------------------------ */
/* Wheels: will these wheels import on that target?                          */
/* ------------------------------------------------------------------------ */

/**
 * An audit of one or more wheel files before they are installed. Each
 * archive is read in place through libzip: the central directory, the
 * .dist-info files (WHEEL, METADATA, RECORD) and every member once, as a
 * stream (for its RECORD hash); ELF members are held in memory one at a time
 * while their facts are read. Nothing is extracted, loaded or run. The
 * checks and their finding codes are in docs/wheel.md.
 */
typedef struct ep_wheels ep_wheels;

/** Options of ep_wheels_audit(). Initialise with ep_wheel_options_init();
 *  fields may be appended in later versions. */
typedef struct ep_wheel_options {
    const char *target; /**< judge the wheels for this interpreter and
                             platform instead of python's: a wheel tag,
                             "cp312-manylinux_2_28_aarch64" or
                             "cp312-cp312-manylinux_2_28_aarch64" (the
                             first tag of packaging.tags.sys_tags()), also
                             "cp312t-..." (free-threaded) and
                             musllinux_X_Y / linux platforms. Default NULL:
                             the interpreter python */
    const char *python; /**< the interpreter to judge for when target is
                             NULL (asked once in a child process); default
                             "python3". NULL together with target NULL:
                             only the wheels' own consistency is checked */
    double timeout;     /**< seconds for asking python; default 30 */
    const char *facts;  /**< interpreter facts already gathered (the
                             Python shim passes its own); NULL: ask */
    size_t facts_len;
    uint64_t member_limit; /**< largest ELF member read into memory, bytes;
                                a larger one is reported, not read. Default
                                1 GiB */
} ep_wheel_options;

/** Set every field to its documented default.  Ownership: not applicable. */
EP_API void ep_wheel_options_init(ep_wheel_options *opt);

/**
 * Audit wheel files: each against its own tags, its RECORD and the
 * manylinux/musllinux policy its platform tags promise, and against the
 * target; wheels of one project and version together as a family.
 * A damaged or unreadable archive is a result (a wheel-damaged finding and
 * ep_wheels_error()), not a failure of the call.
 *
 * @param[in]  files  paths of .whl files
 * @param[in]  count  number of files
 * @param[in]  opt    options, or NULL for the defaults
 * @param[out] out    the audit
 * @param[out] err    optional error detail
 * @return EP_OK, EP_ERR_INVALID_ARG (no files, or a target that is not a
 *         wheel tag), EP_ERR_NOMEM, EP_ERR_INTERP (python could not be run)
 * Ownership: caller frees with ep_wheels_free().
 */
EP_API ep_status ep_wheels_audit(const char *const *files, size_t count,
                                 const ep_wheel_options *opt, ep_wheels **out,
                                 ep_error *err);

/** Free an audit. Accepts NULL.  Ownership: releases the audit. */
EP_API void ep_wheels_free(ep_wheels *wheels);

/** Number of wheels audited (as given).  Ownership: not applicable. */
EP_API size_t ep_wheels_count(const ep_wheels *wheels);

/** The findings of wheel i as a report (ep_report_finding() and friends;
 *  ep_report_module() is the wheel's file name), NULL when out of range.
 *  Ownership: borrowed (valid until ep_wheels_free()). */
EP_API const ep_report *ep_wheels_report(const ep_wheels *wheels, size_t i);

/** Why wheel i could not be read at all, one line naming the file, or NULL
 *  when it was read.  Ownership: borrowed (valid until ep_wheels_free()). */
EP_API const char *ep_wheels_error(const ep_wheels *wheels, size_t i);

/** Whether any wheel has an error finding (exit status 1 of the CLI).
 *  Ownership: not applicable. */
EP_API bool ep_wheels_has_errors(const ep_wheels *wheels);

/**
 * The audit as JSON (schema 1; keys in docs/json.md), trailing newline.
 * @return the document, or NULL when memory ran out (err says so)
 * Ownership: caller frees with ep_free().
 */
EP_API char *ep_wheels_json(const ep_wheels *wheels, ep_error *err);

/**
 * The audit as text for a person: per wheel its tags, the verdict, the
 * findings with evidence and fix; then the families.
 * @return the text, or NULL when memory ran out (err says so)
 * Ownership: caller frees with ep_free().
 */
EP_API char *ep_wheels_text(const ep_wheels *wheels, bool color, ep_error *err);
/* Scan: every extension module of an environment, statically               */
/* ------------------------------------------------------------------------ */

/** Options of ep_scan_run(). Initialise with ep_scan_options_init(). */
typedef struct ep_scan_options {
    const char *python; /**< the interpreter whose environment is scanned
                             and whose process loads the modules; default
                             "python3" */
    bool symbols;       /**< check versions and symbols; default true */
} ep_scan_options;

/** Set every field to its documented default. */
EP_API void ep_scan_options_init(ep_scan_options *opt);

/** One problem of a module: a finding code of CONTRACT.md and one line. */
typedef struct ep_scan_finding {
    const char *code;    /**< "missing-dependency", "abi-tag-mismatch", ... */
    const char *summary; /**< one line, no trailing newline */
} ep_scan_finding;

/** One extension module as the interpreter would import it. */
typedef struct ep_scan_module {
    const char *module; /**< dotted name from its root ("pkg.sub._ext") */
    const char *file;   /**< the file */
    const char *root;   /**< the tree it was found under */
    const char *tag;    /**< the file-name suffix (".abi3.so", ...) */
    bool ok;            /**< it would load: no finding */
    size_t nfindings;
    const ep_scan_finding *findings;
} ep_scan_module;

/** What a scan saw: its interpreter, its roots, its counts. */
typedef struct ep_scan_summary {
    const char *python;     /**< as named */
    const char *executable; /**< the interpreter's executable */
    ep_strlist suffixes;    /**< the extension suffixes it accepts */
    ep_strlist roots;       /**< the trees walked */
    size_t modules, ok, failed;
    void *_private; /**< the storage of the strings above */
} ep_scan_summary;

/** Called for each module, in walk order (sorted names, depth first), with
 *  done = modules checked so far and total = candidates found; return false
 *  to stop the scan. The module and its strings are borrowed for the call. */
typedef bool (*ep_scan_fn)(const ep_scan_module *m, size_t done, size_t total,
                           void *ctx);

/**
 * Check every extension module under paths (or, when npaths is 0, under the
 * interpreter's site-packages and lib-dynload) the way opt->python would
 * import it: the file-name tag against its extension suffixes, the
 * PyInit_ function, the ELF class and machine, and the loader's verdict in
 * its process (libraries, versions, symbols) -- nothing is loaded. The
 * interpreter is asked once for its suffixes and sys.path (lib/interp/,
 * child process with a timeout); the loader models it from its files.
 *
 * @param[in]  opt      options, or NULL for the defaults
 * @param[in]  paths    trees to walk (files are taken as they are)
 * @param[in]  npaths   how many
 * @param[in]  fn       called for each module
 * @param[in]  ctx      passed to fn
 * @param[out] summary  counts and the interpreter; strings valid until
 *                      ep_scan_summary_release()
 * @param[out] err      optional error detail
 * @return EP_OK (also when modules fail), EP_ERR_INTERP, EP_ERR_IO (a path
 *         cannot be read), EP_ERR_NOMEM
 * Ownership: release summary with ep_scan_summary_release().
 */
EP_API ep_status ep_scan_run(const ep_scan_options *opt,
                             const char *const *paths, size_t npaths,
                             ep_scan_fn fn, void *ctx, ep_scan_summary *summary,
                             ep_error *err);

/** Free the strings of a summary (NULL ok). */
EP_API void ep_scan_summary_release(ep_scan_summary *summary);

/** One module as a JSON object (no trailing newline; keys in docs/json.md).
 *  Ownership: caller frees with ep_free(). NULL when memory ran out. */
EP_API char *ep_scan_module_json(const ep_scan_module *m);

/** The summary as JSON members `"python": {...}, "roots": [...]` and
 *  `"summary": {...}` with by_code counts given by the caller (codes[i]
 *  seen counts[i] times), for the end of the document.
 *  Ownership: caller frees with ep_free(). */
EP_API char *ep_scan_summary_json(const ep_scan_summary *summary,
                                  const char *const *codes,
                                  const size_t *counts, size_t ncodes);

#ifdef __cplusplus
}
#endif

#endif /* EXTPROBE_H */
