/*
 * extprobe inspect FILE... [--json] [--symbols] [--no-provenance]: the ELF
 * facts of each file.
 * Exit 0 when every file is a loadable ELF object, 1 otherwise, 2 on usage.
 */
#include "commands.h"
#include "exit_codes.h"

#include <extprobe/extprobe.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char inspect_usage[] =
    "usage: extprobe inspect FILE... [--json] [--symbols] [--no-provenance]\n"
    "\n"
    "Show what each file is and, for ELF objects, what the loader and the\n"
    "import system will look at: needed libraries, RPATH/RUNPATH, flags,\n"
    "PyInit_* exports, imported symbols and their versions, build notes and\n"
    "the tag in the file name.\n"
    "\n"
    "  --json      one JSON document on stdout (keys: docs/json.md)\n"
    "  --symbols   list every dynamic symbol in the text report\n"
    "  --no-provenance\n"
    "              do not read the DWARF debug info (compilers, flags, Python\n"
    "              headers): no helper process; the fast form for an\n"
    "              inventory of many files\n"
    "\n"
    "exit status: 0 every file is a loadable ELF object, 1 any is not,\n"
    "2 usage error.\n";

/* The path as it goes into a one-line message: control characters (a
 * newline in a file name would split the line) become \xHH. Truncated to
 * fit; the buffer is always terminated. */
static const char *
one_line(const char *path, char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        bool ctl = *p < 0x20 || *p == 0x7f;
        if (o + (ctl ? 4 : 1) + 3 >= size) {
            memcpy(buf + o, "...", 3); /* longer than any usable path */
            o += 3;
            break;
        }
        if (ctl) {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[*p >> 4];
            buf[o++] = hex[*p & 15];
        } else {
            buf[o++] = (char)*p;
        }
    }
    buf[o] = '\0';
    return buf;
}

static void
print_list(const char *label, ep_strlist l)
{
    printf("  %-11s", label);
    if (l.count == 0) {
        fputs(" -", stdout);
    }
    for (size_t i = 0; i < l.count; i++) {
        printf(" %s", l.items[i][0] ? cli_text(l.items[i]) : "\"\"");
    }
    putchar('\n');
}

static void
print_tag(const ep_ext_tag *t)
{
    if (t == NULL) {
        return;
    }
    printf("  %-11s %s", "module", cli_text(t->module));
    if (t->stable_abi) {
        fputs("  stable ABI (abi3)", stdout);
    } else if (t->implementation != NULL) {
        printf("  %s %s%s", cli_text(t->implementation),
               t->version ? cli_text(t->version) : "",
               t->abiflags && t->abiflags[0] ? cli_text(t->abiflags) : "");
        if (t->platform) {
            printf("  %s", cli_text(t->platform));
        }
    } else if (t->raw_tag != NULL) {
        printf("  unrecognised tag '%s'", cli_text(t->raw_tag));
    } else {
        fputs("  untagged (.so, any interpreter)", stdout);
    }
    putchar('\n');
}

/* Print the highest version of each family among needs[from, to). */
static void
print_highest(const ep_version_need *needs, size_t from, size_t to)
{
    bool any = false;
    for (size_t i = from; i < to; i++) {
        size_t fam = ep_version_family_len(needs[i].version);
        bool top = fam > 0;
        for (size_t k = from; top && k < to; k++) {
            if (k == i || ep_version_family_len(needs[k].version) != fam ||
                strncmp(needs[k].version, needs[i].version, fam) != 0) {
                continue;
            }
            int c = ep_version_compare(needs[k].version, needs[i].version);
            top = c < 0 || (c == 0 && k > i);
        }
        if (top) {
            printf("%s%s", any ? " " : "  (highest ",
                   cli_text(needs[i].version));
            any = true;
        }
    }
    fputs(any ? ")\n" : "\n", stdout);
}

static void
print_versions(ep_object *obj)
{
    const ep_version_need *needs;
    size_t n;
    ep_error err;
    if (ep_object_version_needs(obj, &needs, &n, &err) != EP_OK) {
        printf("  %-11s %s\n", "versions", cli_text(err.message));
        return;
    }
    for (size_t i = 0; i < n;) {
        size_t end = i;
        printf("  %-11s %s:", i == 0 ? "versions" : "",
               cli_text(needs[i].file));
        for (; end < n && strcmp(needs[end].file, needs[i].file) == 0; end++) {
            printf(" %s%s", cli_text(needs[end].version),
                   needs[end].weak ? "(weak)" : "");
        }
        print_highest(needs, i, end);
        i = end;
    }
}

static void
print_symbols(ep_object *obj, bool all)
{
    const ep_symbol *syms;
    size_t n, nexp = 0, nimp = 0, nweak = 0;
    ep_strlist pyinit;
    ep_error err;
    if (ep_object_symbols(obj, &syms, &n, &err) != EP_OK ||
        ep_object_pyinit(obj, &pyinit, &err) != EP_OK) {
        printf("  %-11s %s\n", "symbols", cli_text(err.message));
        return;
    }
    print_list("PyInit", pyinit);
    for (size_t i = 0; i < n; i++) {
        if (syms[i].defined) {
            nexp++;
        } else {
            nimp++;
            nweak += syms[i].weak;
        }
    }
    printf("  %-11s %zu\n", "exports", nexp);
    printf("  %-11s %zu undefined (%zu weak)\n", "imports", nimp, nweak);
    if (!all) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        /* readelf's notation: a definition's default version is name@@VER,
         * a hidden one name@VER; a reference is always name@VER. */
        const char *at = "";
        if (syms[i].version != NULL) {
            at = syms[i].defined && !syms[i].hidden_version ? "@@" : "@";
        }
        printf("    %s %-6s %-6s %s%s%s\n", syms[i].defined ? "def" : "und",
               ep_symbol_type_str(syms[i].type),
               ep_symbol_bind_str(syms[i].bind), cli_text(syms[i].name), at,
               syms[i].version ? cli_text(syms[i].version) : "");
    }
}

/* Source files shown in the text report; the JSON has all. */
#define TEXT_SOURCES 10

/* Build provenance (DWARF, read by the isolated helper). */
static void
print_provenance(ep_provenance_reader *reader, const ep_object *obj)
{
    ep_provenance *prov = NULL;
    ep_error err;
    if (reader == NULL) {
        printf("  %-11s not read (--no-provenance)\n", "debug-info");
        return;
    }
    if (ep_provenance_read_with(reader, obj, &prov, &err) != EP_OK) {
        printf("  %-11s %s\n", "debug-info", cli_text(err.message));
        return;
    }
    const ep_provenance_info *in = ep_provenance_get(prov);
    if (in->status == EP_DEBUG_ABSENT) {
        printf("  %-11s absent%s%s\n", "debug-info", in->reason ? ": " : "",
               in->reason ? cli_text(in->reason) : "");
    } else if (in->status == EP_DEBUG_UNREADABLE) {
        printf("  %-11s %s %s: debug info unreadable: %s\n", "debug-info",
               in->source, cli_text(in->debug_file), cli_text(in->reason));
    } else {
        printf("  %-11s %s %s, %zu unit%s\n", "debug-info", in->source,
               cli_text(in->debug_file), in->units, in->units == 1 ? "" : "s");
    }
    /* "gcc 12.2.0, C11, 1 unit: GNU C17 12.2.0 -O2 ...": the compiler by
     * name (rustc units as rustc, though their producer starts "clang"). */
    for (size_t i = 0; i < in->nproducers; i++) {
        const ep_build_unit *u = &in->producers[i];
        printf("  %-11s ", i == 0 ? "producer" : "");
        if (u->compiler != NULL) {
            printf("%s %s, ", cli_text(u->compiler),
                   u->compiler_version ? cli_text(u->compiler_version) : "?");
        }
        if (u->language != NULL) {
            printf("%s, ", cli_text(u->language));
        }
        printf("%zu unit%s: %s\n", u->units, u->units == 1 ? "" : "s",
               u->producer[0] ? cli_text(u->producer) : "(no DW_AT_producer)");
    }
    /* The units' source files, as explain compares them with the build's
     * time: the first few here, every one in the JSON. */
    for (size_t i = 0; i < in->sources.count && i < TEXT_SOURCES; i++) {
        printf("  %-11s %s\n", i == 0 ? "sources" : "",
               cli_text(in->sources.items[i]));
    }
    if (in->sources.count > TEXT_SOURCES) {
        printf("  %-11s ... %zu more (--json lists them all)\n", "",
               in->sources.count - TEXT_SOURCES);
    }
    for (size_t i = 0; i < in->python_headers.count; i++) {
        printf("  %-11s %s\n", i == 0 ? "py-headers" : "",
               cli_text(in->python_headers.items[i]));
    }
    if (in->status == EP_DEBUG_READ && in->python_headers.count > 0) {
        if (!in->has_macros) {
            printf("  %-11s no macro info (built without -g3)\n", "py-macros");
        } else {
            printf("  %-11s PY_VERSION %s, Py_LIMITED_API %s%s%s\n",
                   "py-macros",
                   in->py_version ? cli_text(in->py_version) : "unknown",
                   in->limited_api == NULL   ? "not defined"
                   : in->limited_api[0] != 0 ? cli_text(in->limited_api)
                                             : "defined",
                   in->py_debug ? ", Py_DEBUG" : "",
                   in->py_gil_disabled ? ", Py_GIL_DISABLED" : "");
        }
    }
    ep_provenance_free(prov);
}

/* SIGPIPE's disposition before inspect ignored it, and whether standard
 * output turned out to be a closed pipe (inspect ... | head). */
static struct sigaction pipe_before;
static bool pipe_closed;

/* A write to standard output failed with errnum. Returns whether to report
 * it: not when it is a closed pipe that is to end this process by SIGPIPE
 * (raised once the DWARF helper is reaped), as it would have without the
 * helper. */
static bool
write_failed(int errnum)
{
    if (errnum != EPIPE) {
        return true;
    }
    pipe_closed = true;
    return pipe_before.sa_handler != SIG_DFL;
}

static void
print_text(ep_provenance_reader *reader, ep_object *obj, bool all_symbols)
{
    const ep_elf_info *in = ep_object_elf(obj);
    printf("%s\n", cli_text(ep_object_path(obj)));
    if (in != NULL) {
        printf("  %-11s ELF %d-bit %s-endian, %s, %s, osabi %s\n", "format",
               in->elf_class, in->endian_name, in->machine_name, in->type_name,
               in->osabi_name);
    } else {
        printf("  %-11s %s\n", "format", ep_kind_str(ep_object_kind(obj)));
    }
    print_tag(ep_object_ext_tag(obj));
    if (ep_object_reason(obj) != NULL) {
        printf("  %-11s %s: %s\n", "problem", ep_kind_str(ep_object_kind(obj)),
               cli_text(ep_object_reason(obj)));
    }
    if (ep_object_kind(obj) != EP_KIND_ELF || in == NULL) {
        return;
    }
    if (in->interp) {
        printf("  %-11s %s\n", "interp", cli_text(in->interp));
    }
    printf("  %-11s %s\n", "soname", in->soname ? cli_text(in->soname) : "-");
    print_list("needed", in->needed);
    print_list("rpath", in->rpath);
    print_list("runpath", in->runpath);
    print_list("flags", in->flag_names);
    /* PF_X in PT_GNU_STACK, or no PT_GNU_STACK (the x86 ABI default is an
     * executable stack): glibc >= 2.41 refuses to dlopen() either. */
    if (in->stack_flags < 0) {
        printf("  %-11s no PT_GNU_STACK: executable by default; glibc >= 2.41 "
               "refuses to dlopen it\n",
               "stack");
    } else if (in->stack_flags & 1) {
        printf("  %-11s executable (PT_GNU_STACK RWE): glibc >= 2.41 refuses "
               "to dlopen it\n",
               "stack");
    } else {
        printf("  %-11s not executable\n", "stack");
    }
    if (in->tls_size > 0) {
        printf("  %-11s %llu bytes%s\n", "tls",
               (unsigned long long)in->tls_size,
               (in->dt_flags & 0x10 /* DF_STATIC_TLS */)
                   ? ", static model (DF_STATIC_TLS)"
                   : "");
    }
    print_symbols(obj, all_symbols);
    print_versions(obj);
    printf("  %-11s %s\n", "build-id",
           in->build_id ? cli_text(in->build_id) : "-");
    if (in->abi_tag) {
        printf("  %-11s %s\n", "abi-tag", cli_text(in->abi_tag));
    }
    print_list("compiler", in->comments);
    printf("  %-11s %s, %s\n", "debug",
           in->stripped ? "stripped" : "not stripped",
           in->has_debug_info ? "with DWARF" : "no DWARF");
    print_provenance(reader, obj);
}

int
cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"symbols", no_argument, NULL, 's'},
        {"no-provenance", no_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, symbols = false, provenance = true;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 's':
            symbols = true;
            break;
        case 'P':
            provenance = false;
            break;
        case 'h':
            fputs(inspect_usage, stdout);
            return EXIT_OK;
        default:
            fputs(inspect_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("inspect: no FILE given");
        fputs(inspect_usage, stderr);
        return EXIT_USAGE;
    }
    /* Each file is opened, reported and closed before the next: open
     * files and memory stay flat for any number of files, and the JSON
     * document streams out as it is made. */
    ep_inspect_writer *writer = NULL;
    ep_error err;
    int rc = EXIT_OK;
    /* Text: one DWARF helper for all the files (the JSON writer has its
     * own). */
    ep_provenance_reader *reader = NULL;
    if (json ? ep_inspect_writer_new(STDOUT_FILENO, &writer, &err) != EP_OK
             : provenance && ep_provenance_reader_new(&reader, &err) != EP_OK) {
        cli_error("%s", err.message);
        return EXIT_USAGE;
    }
    ep_inspect_writer_set_provenance(writer, provenance);
    /* The helper lives as long as the batch; a closed standard output must
     * not kill this process before the helper is reaped (it would be left
     * to init, a zombie where init does not reap). */
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &pipe_before);
    for (int i = optind; i < argc; i++) {
        ep_object *obj = NULL;
        const char *path = argv[i];
        if (ep_object_open(path, &obj, &err) != EP_OK) {
            cli_error("%s", err.message);
            rc = EXIT_USAGE;
            break;
        }
        if (ep_object_reason(obj) != NULL) {
            char shown[16384];
            cli_error("%s: %s: %s", one_line(path, shown, sizeof(shown)),
                      ep_kind_str(ep_object_kind(obj)), ep_object_reason(obj));
            rc = EXIT_FINDINGS;
        }
        if (writer != NULL) {
            ep_status st = ep_inspect_writer_add(writer, obj, &err);
            ep_object_close(obj);
            if (st != EP_OK) {
                if (write_failed(err.sys_errno)) {
                    cli_error("%s", err.message);
                }
                rc = EXIT_USAGE;
                break;
            }
        } else {
            if (i > optind) {
                putchar('\n');
            }
            print_text(reader, obj, symbols);
            int werr = errno;
            ep_object_close(obj);
            if (ferror(stdout)) {
                write_failed(werr);
                break;
            }
        }
    }
    ep_provenance_reader_free(reader);
    if (writer != NULL) {
        if (rc != EXIT_USAGE &&
            ep_inspect_writer_finish(writer, &err) != EP_OK) {
            if (write_failed(err.sys_errno)) {
                cli_error("%s", err.message);
            }
            rc = EXIT_USAGE;
        }
        ep_inspect_writer_free(writer);
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        int werr = errno;
        if (pipe_closed ? pipe_before.sa_handler != SIG_DFL
                        : write_failed(werr)) {
            cli_error("cannot write the report to standard output");
        }
        rc = EXIT_USAGE;
    }
    sigaction(SIGPIPE, &pipe_before, NULL);
    if (pipe_closed) {
        raise(SIGPIPE);
    }
    return rc;
}
