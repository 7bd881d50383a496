/*
 * extprobe deps FILE... [--python PY] [--json]: the needed-library tree of
 * each FILE as ld.so would build it when PY dlopen()s it (libextprobe's
 * loader emulation), as a tree for people or as JSON. Several files share
 * one session: the interpreter is modelled once (from its files, never
 * run) and every library read once.
 * Exit 0 when every load would succeed, 1 when anything is missing or
 * refused, 2 on usage or failure.
 */
#include "commands.h"
#include "exit_codes.h"

#include <extprobe/extprobe.h>

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char deps_usage[] =
    "usage: extprobe deps FILE... [--python PY | --standalone] [--json]\n"
    "\n"
    "The needed-library tree of FILE as glibc's ld.so would build it when the\n"
    "interpreter PY imports (dlopen()s) FILE: where each library is found and\n"
    "by which rule (RPATH, LD_LIBRARY_PATH, RUNPATH, ld.so.cache, default\n"
    "directories, or already loaded by the interpreter), every place tried "
    "for\n"
    "a library that is not found, version requirements the system lacks, and\n"
    "undefined symbols nothing provides. Nothing is loaded or run: PY is\n"
    "modelled from its files (a pyenv shim or a venv link leads to the\n"
    "interpreter's executable, whose libpython comes from its DT_NEEDED).\n"
    "Without --python, a FILE that is not a Python extension (no PyInit_*)\n"
    "is loaded on its own, as ldd loads it.\n"
    "\n"
    "  --python PY         the interpreter (default: python3 on PATH)\n"
    "  --standalone        no interpreter: load FILE on its own, as ldd does\n"
    "  --ld-so-cache FILE  read this cache instead of /etc/ld.so.cache\n"
    "  --no-symbols        the tree only: no version or symbol checks\n"
    "  --json              one JSON document on stdout (keys: docs/deps.md);\n"
    "                      for several files {\"schema\": 1, \"files\": "
    "[...]}\n"
    "\n"
    "LD_LIBRARY_PATH is taken from the environment, as the interpreter would\n"
    "see it. Several FILEs are analysed in one go, each library read once.\n"
    "\n"
    "exit status: 0 every load would succeed, 1 a library, version or symbol\n"
    "is missing (or a FILE cannot be loaded at all), 2 usage error or the\n"
    "probe failed.\n";

/* The one FILE analysed with the libraries mapped (see cmd_deps). */
static const char *mapped_for;

/* The session, left to the process's exit: unmapping and freeing what it
 * holds costs more than the exit's own teardown (0.1 ms for libz, 0.4 ms
 * for libLLVM, one process per file), and the command ends right after.
 * Kept here (volatile: the store is never read back) so that it stays
 * reachable for leak checkers. */
static ep_deps_session *volatile left_to_exit;

/* A library truncated while mapped: the next touch of a page past its new
 * end raises SIGBUS. Nothing is reported yet (the tree prints when done):
 * one line and the "probe failed" status, with async-signal-safe calls. */
static void
on_sigbus(int sig)
{
    static const char head[] = "extprobe: ";
    static const char tail[] = ": a library was truncated while it was read "
                               "(SIGBUS); run again\n";
    (void)sig;
    ssize_t r = write(STDERR_FILENO, head, sizeof(head) - 1);
    r = write(STDERR_FILENO, mapped_for, strlen(mapped_for));
    r = write(STDERR_FILENO, tail, sizeof(tail) - 1);
    (void)r;
    _exit(EXIT_USAGE);
}

/* The rule as a phrase: "rpath of libfoo.so", "ld.so.cache". */
static void
print_rule(ep_deps_how how, const char *from)
{
    const char *name = ep_deps_how_str(how);
    if (how == EP_DEPS_LD_LIBRARY_PATH) {
        name = "LD_LIBRARY_PATH";
    } else if (how == EP_DEPS_DEFAULT) {
        name = "default directory";
    } else if (how == EP_DEPS_LOADED) {
        name = "already loaded";
    }
    if (from != NULL) {
        const char *slash = strrchr(from, '/');
        printf("%s of %s", name, cli_text(slash ? slash + 1 : from));
    } else {
        fputs(name, stdout);
    }
}

static void
print_skipped(const char *indent, const ep_deps_lib *l)
{
    for (size_t i = 0; i < l->nskipped; i++) {
        printf("%s%-8s %s: %s\n", indent, i == 0 ? "skipped:" : "",
               cli_text(l->skipped[i].path), cli_text(l->skipped[i].why));
    }
}

static void
print_search(const char *indent, const ep_deps_lib *l)
{
    for (size_t i = 0; i < l->ntried; i++) {
        const ep_deps_place *p = &l->tried[i];
        printf("%s%-8s %s (", indent, i == 0 ? "tried:" : "",
               p->path[0] ? cli_text(p->path) : "(working directory)");
        print_rule(p->how, p->from);
        fputs(p->exists ? "" : "; does not exist", stdout);
        if (p->note != NULL) {
            printf("; %s", cli_text(p->note));
        }
        fputs(")\n", stdout);
    }
    print_skipped(indent, l);
}

static void
print_line(const ep_deps_lib *l, bool repeat)
{
    fputs(cli_text(l->name), stdout);
    if (repeat) {
        fputs(" (see above)\n", stdout);
        return;
    }
    if (l->error != NULL) {
        printf(" => %s REFUSED: %s", l->path ? cli_text(l->path) : "?",
               cli_text(l->error));
        if (l->how != EP_DEPS_NOT_FOUND) {
            fputs(" [", stdout);
            print_rule(l->how, l->how_from);
            fputc(']', stdout);
        }
        fputs(" (ld.so stops here: the load fails)\n", stdout);
        return;
    }
    if (l->path == NULL) {
        fputs(" NOT FOUND\n", stdout);
        return;
    }
    if (strcmp(l->name, l->path) != 0) {
        printf(" => %s", cli_text(l->path));
    }
    fputs(" [", stdout);
    print_rule(l->how, l->how_from);
    fputs("]\n", stdout);
}

/* Depth-first over the needed edges; each library expanded once. */
static void
print_tree(const ep_deps *d, const ep_deps_lib *l, char *prefix, size_t plen,
           bool *shown)
{
    for (size_t i = 0; i < l->nneeded; i++) {
        size_t idx = l->needed[i];
        const ep_deps_lib *c = ep_deps_library(d, idx);
        if (c == NULL) {
            continue;
        }
        bool last = i + 1 == l->nneeded;
        printf("%.*s%s", (int)plen, prefix,
               last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ");
        bool repeat = shown[idx];
        print_line(c, repeat);
        const char *branch = last ? "    " : "\u2502   ";
        size_t blen = strlen(branch);
        if (plen + blen + 16 >= 4096) {
            continue; /* deeper than any real tree: stop indenting */
        }
        memcpy(prefix + plen, branch, blen);
        char indent[4200];
        snprintf(indent, sizeof(indent), "%.*s    ", (int)(plen + blen),
                 prefix);
        if (c->path == NULL || c->error != NULL) {
            print_search(indent, c);
            continue;
        }
        if (!repeat) {
            /* Passed over on the way (another class or machine): said,
             * since a build for the wrong platform often explains why a
             * library is "missing" elsewhere. */
            print_skipped(indent, c);
        }
        if (!repeat) {
            shown[idx] = true;
            print_tree(d, c, prefix, plen + blen, shown);
        }
    }
}

static int
print_text(const ep_deps *d)
{
    const ep_deps_lib *root = ep_deps_root(d);
    printf("%s\n", cli_text(ep_deps_file(d)));
    if (ep_deps_interpreter(d) != NULL) {
        printf("  interpreter %s\n  already loaded:",
               cli_text(ep_deps_interpreter(d)));
        for (size_t i = 1; i < ep_deps_process_count(d); i++) {
            const ep_deps_lib *p = ep_deps_process(d, i);
            printf(" %s", cli_text(p->soname ? p->soname : p->name));
        }
        putchar('\n');
    } else {
        puts("  no interpreter (standalone, as ldd loads it)");
    }
    if (root->error != NULL) {
        printf("  CANNOT BE LOADED: %s\n", cli_text(root->error));
    } else {
        size_t n = ep_deps_library_count(d);
        bool *shown = calloc(n ? n : 1, sizeof(*shown));
        char *prefix = malloc(4200);
        if (shown == NULL || prefix == NULL) {
            free(shown);
            free(prefix);
            cli_error("out of memory");
            return EXIT_USAGE;
        }
        print_tree(d, root, prefix, 0, shown);
        free(shown);
        free(prefix);
    }
    size_t nmiss = ep_deps_missing_version_count(d);
    if (nmiss > 0) {
        puts("\nmissing versions:");
    }
    for (size_t i = 0; i < nmiss; i++) {
        const ep_deps_version *m = ep_deps_missing_version(d, i);
        printf("  %s: version '%s' not found (required by %s)",
               cli_text(m->path), cli_text(m->version), cli_text(m->needed_by));
        if (m->highest != NULL) {
            printf("; it has up to %s", cli_text(m->highest));
        }
        putchar('\n');
    }
    size_t nsym = ep_deps_unresolved_count(d);
    if (nsym > 0) {
        puts("\nunresolved symbols:");
    }
    for (size_t i = 0; i < nsym; i++) {
        const ep_deps_symbol *s = ep_deps_unresolved(d, i);
        printf("  %s%s%s (needed by %s)\n", cli_text(s->name),
               s->version ? "@" : "", s->version ? cli_text(s->version) : "",
               cli_text(s->needed_by));
    }
    ep_strlist notes = ep_deps_notes(d);
    if (notes.count > 0) {
        puts("\nnotes:");
    }
    for (size_t i = 0; i < notes.count; i++) {
        printf("  %s\n", cli_text(notes.items[i]));
    }
    size_t missing = 0, refused = 0;
    for (size_t i = 0; i < ep_deps_library_count(d); i++) {
        const ep_deps_lib *l = ep_deps_library(d, i);
        missing += l->path == NULL;
        refused += l->error != NULL;
    }
    if (ep_deps_ok(d)) {
        printf("\nresult: loads (%zu libraries)\n", ep_deps_library_count(d));
    } else if (root->error != NULL) {
        printf("\nresult: cannot be loaded\n");
    } else {
        printf("\nresult: %zu not found, %zu refused, %zu versions missing, "
               "%zu symbols unresolved\n",
               missing, refused, nmiss, nsym);
    }
    return EXIT_OK;
}

int
cmd_deps(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"python", required_argument, NULL, 'p'},
        {"standalone", no_argument, NULL, 's'},
        {"ld-so-cache", required_argument, NULL, 'c'},
        {"no-symbols", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ep_deps_options opt;
    ep_deps_options_init(&opt);
    opt.plain_unless_extension = true; /* until --python names one */
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'p':
            opt.python = optarg;
            opt.plain_unless_extension = false;
            break;
        case 's':
            opt.python = NULL;
            break;
        case 'c':
            opt.ld_so_cache = optarg;
            break;
        case 'n':
            opt.symbols = false;
            break;
        case 'h':
            fputs(deps_usage, stdout);
            return EXIT_OK;
        default:
            fputs(deps_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("deps: no FILE given");
        fputs(deps_usage, stderr);
        return EXIT_USAGE;
    }
    if (argc - optind == 1) {
        /* One tree, often one process per file: the libraries' tables are
         * read through mappings (no fresh pages for them), and a library
         * truncated meanwhile ends the run with a line, not a crash. A
         * batch reads them (a session holds and reuses what it read). */
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_sigbus;
        sigemptyset(&sa.sa_mask);
        mapped_for = argv[optind];
        opt.map_files = sigaction(SIGBUS, &sa, NULL) == 0;
    }
    ep_deps_session *session = NULL;
    ep_error err;
    if (ep_deps_session_new(&opt, &session, &err) != EP_OK) {
        cli_error("%s", err.message);
        return EXIT_USAGE;
    }
    int nfiles = argc - optind;
    int rc = EXIT_OK;
    if (json && nfiles > 1 &&
        !cli_write_stdout("{\"schema\": 1, \"files\": [\n")) {
        rc = EXIT_USAGE;
    }
    for (int i = optind; i < argc && rc != EXIT_USAGE; i++) {
        const char *path = argv[i];
        ep_deps *d = NULL;
        if (ep_deps_session_analyze(session, path, &d, &err) != EP_OK) {
            cli_error("%s: %s", path, err.message);
            rc = EXIT_USAGE;
            break;
        }
        if (json) {
            char *doc = ep_deps_json(d, &err);
            if (doc == NULL) {
                cli_error("%s", err.message);
                rc = EXIT_USAGE;
            } else if ((i > optind && !cli_write_stdout(",\n")) ||
                       !cli_write_stdout(doc)) {
                rc = EXIT_USAGE;
            }
            ep_free(doc);
        } else {
            if (i > optind) {
                putchar('\n');
            }
            if (print_text(d) != EXIT_OK) {
                rc = EXIT_USAGE;
            }
        }
        if (rc == EXIT_OK && !ep_deps_ok(d)) {
            rc = EXIT_FINDINGS;
        }
        ep_deps_free(d);
    }
    if (json && nfiles > 1 && rc != EXIT_USAGE && !cli_write_stdout("]}\n")) {
        rc = EXIT_USAGE;
    }
    if (!json && (fflush(stdout) != 0 || ferror(stdout))) {
        cli_error("cannot write the report to standard output");
        rc = EXIT_USAGE;
    }
    left_to_exit = session;
    return rc;
}
