/*
 * extprobe wheel FILE.whl...: will these wheels import on the target? Reads
 * each archive in place; exit 0 nothing wrong, 1 an error finding (a
 * damaged archive too, with one stderr line naming it), 2 usage error or
 * the probe failed.
 */
#include "commands.h"
#include "exit_codes.h"

#include <extprobe/extprobe.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char wheel_usage[] =
    "usage: extprobe wheel FILE.whl... [options]\n"
    "\n"
    "Audit wheels before they are installed: file-name tags against WHEEL,\n"
    "Root-Is-Purelib and what is inside; each compiled member's architecture,\n"
    "PyInit_<name> and extension suffix; the highest GLIBC/GLIBCXX/CXXABI\n"
    "version and the needed libraries against the manylinux/musllinux tag;\n"
    "RECORD's sizes and sha256 hashes; and whether the target's pip and\n"
    "import system take the wheel. Wheels of one project and version given\n"
    "together are checked as a family (pure and native wheels).\n"
    "\n"
    "  --target TAG        judge for this interpreter and platform, e.g.\n"
    "                      cp312-manylinux_2_28_aarch64 or the first tag of\n"
    "                      packaging.tags.sys_tags() on the deployment box\n"
    "  --python PY         judge for this interpreter, asked in a child\n"
    "                      process (default: python3 on PATH)\n"
    "  --no-target         check the wheels against themselves only\n"
    "  --member-limit MB   largest compiled member read into memory\n"
    "                      (default 1024)\n"
    "  --json              the audit as JSON (docs/json.md); same as\n"
    "                      --format json\n"
    "  --format FORMAT     text (default), json, or github (workflow "
    "commands)\n"
    "  --color WHEN        auto (default), always, never\n"
    "\n"
    "exit status: 0 nothing wrong, 1 an error finding (or a damaged archive),\n"
    "2 usage error or the probe could not run.\n";

static void
print_github(const ep_wheels *ws, const char *const *files)
{
    for (size_t w = 0; w < ep_wheels_count(ws); w++) {
        const ep_report *r = ep_wheels_report(ws, w);
        size_t n = ep_report_finding_count(r);
        for (size_t i = 0; i < n; i++) {
            const ep_finding *f = ep_report_finding(r, i);
            char title[512];
            snprintf(title, sizeof(title), "extprobe %s: %s",
                     ep_finding_slug(f->code), ep_report_module(r));
            cli_github_finding(f, files[w], title);
        }
        if (n == 0) {
            cli_github_clean(ep_report_module(r));
        }
    }
}

int
cmd_wheel(int argc, char **argv)
{
    static const struct option opts[] = {
        {"target", required_argument, NULL, 'T'},
        {"python", required_argument, NULL, 'p'},
        {"no-target", no_argument, NULL, 'N'},
        {"member-limit", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'f'},
        {"color", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ep_wheel_options opt;
    ep_wheel_options_init(&opt);
    const char *format = "text", *color = "auto";
    bool no_target = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'T':
            opt.target = optarg;
            break;
        case 'p':
            opt.python = optarg;
            break;
        case 'N':
            no_target = true;
            break;
        case 'm': {
            char *end;
            double mb = strtod(optarg, &end);
            if (*end != '\0' || mb <= 0) {
                cli_error(
                    "wheel: --member-limit takes a number of MB, not '%s'",
                    optarg);
                return EXIT_USAGE;
            }
            opt.member_limit = (uint64_t)(mb * 1024 * 1024);
            break;
        }
        case 'j':
            format = "json";
            break;
        case 'f':
            format = optarg;
            break;
        case 'c':
            color = optarg;
            break;
        case 'h':
            fputs(wheel_usage, stdout);
            return EXIT_OK;
        default:
            fputs(wheel_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (!cli_check_format("wheel", format, color)) {
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        cli_error("wheel: no FILE.whl given");
        fputs(wheel_usage, stderr);
        return EXIT_USAGE;
    }
    if (no_target) {
        if (opt.target != NULL) {
            cli_error("wheel: --target and --no-target exclude each other");
            return EXIT_USAGE;
        }
        opt.python = NULL;
    }
    const char *const *files = (const char *const *)argv + optind;
    size_t nfiles = (size_t)(argc - optind);
    ep_wheels *ws = NULL;
    ep_error err;
    if (ep_wheels_audit(files, nfiles, &opt, &ws, &err) != EP_OK) {
        cli_error("wheel: %s", err.message);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < nfiles; i++) {
        const char *why = ep_wheels_error(ws, i);
        if (why != NULL) {
            cli_error("%s", why); /* "<file>: <reason>" */
        }
    }
    int rc = ep_wheels_has_errors(ws) ? EXIT_FINDINGS : EXIT_OK;
    if (strcmp(format, "github") == 0) {
        print_github(ws, files);
        fflush(stdout);
    } else {
        rc = cli_emit(strcmp(format, "json") == 0
                          ? ep_wheels_json(ws, &err)
                          : ep_wheels_text(ws, cli_use_color(color), &err),
                      &err, rc);
    }
    ep_wheels_free(ws);
    return rc;
}
