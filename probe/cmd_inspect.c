/*
 * extprobe inspect FILE... [--json] [--symbols]: the ELF facts of each file.
 * Exit 0 when every file is a loadable ELF object, 1 otherwise, 2 on usage.
 */
#include "commands.h"
#include "exit_codes.h"

#include <extprobe/extprobe.h>

#include <ctype.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char inspect_usage[] =
    "usage: extprobe inspect FILE... [--json] [--symbols]\n"
    "\n"
    "Show what each file is and, for ELF objects, what the loader and the\n"
    "import system will look at: needed libraries, RPATH/RUNPATH, flags,\n"
    "PyInit_* exports, imported symbols and their versions, build notes and\n"
    "the tag in the file name.\n"
    "\n"
    "  --json      one JSON document on stdout (keys: docs/json.md)\n"
    "  --symbols   list every dynamic symbol in the text report\n"
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
        printf(" %s", l.items[i][0] ? l.items[i] : "\"\"");
    }
    putchar('\n');
}

static void
print_tag(const ep_ext_tag *t)
{
    if (t == NULL) {
        return;
    }
    printf("  %-11s %s", "module", t->module);
    if (t->stable_abi) {
        fputs("  stable ABI (abi3)", stdout);
    } else if (t->implementation != NULL) {
        printf("  %s %s%s", t->implementation, t->version ? t->version : "",
               t->abiflags && t->abiflags[0] ? t->abiflags : "");
        if (t->platform) {
            printf("  %s", t->platform);
        }
    } else if (t->raw_tag != NULL) {
        printf("  unrecognised tag '%s'", t->raw_tag);
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
            printf("%s%s", any ? " " : "  (highest ", needs[i].version);
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
        printf("  %-11s %s\n", "versions", err.message);
        return;
    }
    for (size_t i = 0; i < n;) {
        size_t end = i;
        printf("  %-11s %s:", i == 0 ? "versions" : "", needs[i].file);
        for (; end < n && strcmp(needs[end].file, needs[i].file) == 0; end++) {
            printf(" %s%s", needs[end].version,
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
        printf("  %-11s %s\n", "symbols", err.message);
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
               ep_symbol_type_str(syms[i].type), ep_symbol_bind_str(syms[i].bind),
               syms[i].name, at, syms[i].version ? syms[i].version : "");
    }
}

static void
print_text(ep_object *obj, bool all_symbols)
{
    const ep_elf_info *in = ep_object_elf(obj);
    printf("%s\n", ep_object_path(obj));
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
               ep_object_reason(obj));
    }
    if (ep_object_kind(obj) != EP_KIND_ELF || in == NULL) {
        return;
    }
    if (in->interp) {
        printf("  %-11s %s\n", "interp", in->interp);
    }
    printf("  %-11s %s\n", "soname", in->soname ? in->soname : "-");
    print_list("needed", in->needed);
    print_list("rpath", in->rpath);
    print_list("runpath", in->runpath);
    print_list("flags", in->flag_names);
    print_symbols(obj, all_symbols);
    print_versions(obj);
    printf("  %-11s %s\n", "build-id", in->build_id ? in->build_id : "-");
    if (in->abi_tag) {
        printf("  %-11s %s\n", "abi-tag", in->abi_tag);
    }
    print_list("compiler", in->comments);
    printf("  %-11s %s, %s\n", "debug", in->stripped ? "stripped" : "not stripped",
           in->has_debug_info ? "with DWARF" : "no DWARF");
}

int
cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"symbols", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool json = false, symbols = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 's':
            symbols = true;
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
    size_t n = (size_t)(argc - optind);
    ep_object **objs = calloc(n, sizeof(*objs));
    if (objs == NULL) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        ep_error err;
        const char *path = argv[optind + (int)i];
        if (ep_object_open(path, &objs[i], &err) != EP_OK) {
            cli_error("%s", err.message);
            rc = EXIT_USAGE;
            goto out;
        }
        if (ep_object_reason(objs[i]) != NULL) {
            char shown[16384];
            cli_error("%s: %s: %s", one_line(path, shown, sizeof(shown)),
                      ep_kind_str(ep_object_kind(objs[i])),
                      ep_object_reason(objs[i]));
            rc = EXIT_FINDINGS;
        }
    }
    if (json) {
        char *doc = NULL;
        ep_error err;
        if (ep_inspect_json(objs, n, &doc, &err) != EP_OK) {
            cli_error("%s", err.message);
            rc = EXIT_USAGE;
            goto out;
        }
        if (!cli_write_stdout(doc)) {
            rc = EXIT_USAGE;
        }
        ep_free(doc);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (i > 0) {
                putchar('\n');
            }
            print_text(objs[i], symbols);
        }
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("cannot write the report to standard output");
            rc = EXIT_USAGE;
        }
    }
out:
    for (size_t i = 0; i < n; i++) {
        ep_object_close(objs[i]);
    }
    free(objs);
    return rc;
}
