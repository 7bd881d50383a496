/*
 * extprobe scan [--python PY] [PATH...] [--json] [--no-progress]: every
 * extension module of an environment checked statically, one process.
 * Exit 0 when every module would load, 1 when any would fail, 2 on usage.
 */
#include "commands.h"
#include "exit_codes.h"

#include <extprobe/extprobe.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char scan_usage[] =
    "usage: extprobe scan [--python PY] [PATH...] [--json] [--no-progress]\n"
    "\n"
    "Every extension module PY would import from its site-packages and\n"
    "lib-dynload (or from the trees PATH), checked statically in this one\n"
    "process: the file-name tag against PY's extension suffixes, the ELF\n"
    "class and machine, the PyInit_ function, and the loader's verdict in\n"
    "PY's process (libraries, versions, symbols). Nothing is loaded; PY is\n"
    "asked once for its suffixes and sys.path.\n"
    "\n"
    "  --python PY     the interpreter (default: python3 on PATH)\n"
    "  --json          one JSON document on stdout (keys: docs/json.md)\n"
    "  --no-symbols    skip the version and symbol checks\n"
    "  --no-progress   no progress line (it is shown only on a terminal)\n"
    "\n"
    "exit status: 0 every module would load, 1 any would fail, 2 usage error\n"
    "or the probe could not run.\n";

/* Distinct finding codes and how many modules have each. */
#define MAX_CODES 32

typedef struct scan_out {
    bool json;
    bool progress;
    bool write_failed;
    size_t printed;
    const char *codes[MAX_CODES];
    size_t counts[MAX_CODES];
    size_t ncodes;
} scan_out;

static void
count_code(scan_out *o, const char *code)
{
    for (size_t i = 0; i < o->ncodes; i++) {
        if (strcmp(o->codes[i], code) == 0) {
            o->counts[i]++;
            return;
        }
    }
    if (o->ncodes < MAX_CODES) {
        /* Codes are static strings of the library: kept by pointer. */
        o->codes[o->ncodes] = code;
        o->counts[o->ncodes++] = 1;
    }
}

static void
clear_progress(scan_out *o)
{
    if (o->progress) {
        fputs("\r\033[K", stderr);
    }
}

static bool
on_module(const ep_scan_module *m, size_t done, size_t total, void *ctx)
{
    scan_out *o = ctx;
    for (size_t i = 0; i < m->nfindings; i++) {
        bool seen = false;
        for (size_t k = 0; k < i; k++) {
            seen |= strcmp(m->findings[k].code, m->findings[i].code) == 0;
        }
        if (!seen) {
            count_code(o, m->findings[i].code);
        }
    }
    if (o->json) {
        char *doc = ep_scan_module_json(m);
        /* doc starts with its own newline and indentation. */
        if (doc == NULL || (o->printed > 0 && fputc(',', stdout) == EOF) ||
            fputs(doc, stdout) == EOF) {
            o->write_failed = true;
        }
        ep_free(doc);
        o->printed++;
    } else if (!m->ok) {
        clear_progress(o);
        printf("FAIL %s  %s\n", cli_text(m->module), cli_text(m->file));
        for (size_t i = 0; i < m->nfindings; i++) {
            printf("     %-22s %s\n", m->findings[i].code,
                   cli_text(m->findings[i].summary));
        }
    }
    if (o->progress && (done % 16 == 0 || done == total)) {
        fprintf(stderr, "\r\033[Kscan: %zu/%zu %.60s", done, total,
                cli_text(m->module));
    }
    return !ferror(stdout);
}

int
cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"python", required_argument, NULL, 'p'},
        {"no-symbols", no_argument, NULL, 'n'},
        {"no-progress", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ep_scan_options opt;
    ep_scan_options_init(&opt);
    scan_out o;
    memset(&o, 0, sizeof(o));
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            o.json = true;
            break;
        case 'p':
            opt.python = optarg;
            break;
        case 'n':
            opt.symbols = false;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(scan_usage, stdout);
            return EXIT_OK;
        default:
            fputs(scan_usage, stderr);
            return EXIT_USAGE;
        }
    }
    /* A progress line only where a person watches: never into a pipe or a
     * log file. */
    o.progress = !quiet && isatty(STDERR_FILENO);
    if (o.json) {
        fputs("{\n  \"schema\": 1,\n  \"modules\": [", stdout);
    }
    ep_scan_summary sum;
    ep_error err;
    ep_status st =
        ep_scan_run(&opt, (const char *const *)argv + optind,
                    (size_t)(argc - optind), on_module, &o, &sum, &err);
    clear_progress(&o);
    if (st != EP_OK) {
        cli_error("scan: %s", err.message);
        return EXIT_USAGE;
    }
    int rc = sum.failed > 0 ? EXIT_FINDINGS : EXIT_OK;
    if (o.json) {
        char *tail = ep_scan_summary_json(&sum, o.codes, o.counts, o.ncodes);
        if (tail == NULL) {
            o.write_failed = true;
        } else {
            /* tail: ,-less members, each after a newline and indent. */
            printf("\n  ],%s\n}\n", tail);
        }
        ep_free(tail);
    } else {
        if (sum.failed > 0) {
            putchar('\n');
        }
        printf("interpreter  %s (%s)\n", cli_text(sum.python),
               cli_text(sum.executable));
        for (size_t i = 0; i < sum.roots.count; i++) {
            printf("%-12s %s\n", i == 0 ? "scanned" : "",
                   cli_text(sum.roots.items[i]));
        }
        printf("\n  %-24s %8s\n", "result", "modules");
        printf("  %-24s %8zu\n", "loads", sum.ok);
        for (size_t i = 0; i < o.ncodes; i++) {
            printf("  %-24s %8zu\n", o.codes[i], o.counts[i]);
        }
        printf("  %-24s %8zu\n", "total", sum.modules);
        printf("\n%zu of %zu modules would fail to import\n", sum.failed,
               sum.modules);
    }
    ep_scan_summary_release(&sum);
    if (o.write_failed || fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write the report to standard output");
        rc = EXIT_USAGE;
    }
    return rc;
}
