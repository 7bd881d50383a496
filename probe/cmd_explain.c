/*
 * extprobe explain MODULE|FILE: why `import MODULE` fails (or gives None) in
 * the interpreter the user runs, as started in DIR. Exit 0 importable with no
 * error finding, 1 an error finding, 2 usage error or the probe failed.
 */
#include "commands.h"
#include "exit_codes.h"

#include <extprobe/extprobe.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char explain_usage[] =
    "usage: extprobe explain MODULE|FILE [options]\n"
    "\n"
    "Diagnose `import MODULE` as the interpreter PY would run it, started in\n"
    "DIR with your environment: where the finder looks (sys.path and where "
    "each\n"
    "entry comes from), which file it takes, what the installed distribution\n"
    "holds, whether the loader can load the file, and -- in a child process "
    "--\n"
    "what a real import says. Given a path to a compiled file instead, checks\n"
    "that file against the interpreter.\n"
    "\n"
    "  --python PY         interpreter to diagnose (default: python3 on PATH)\n"
    "  -C, --directory DIR start it in DIR (default: here)\n"
    "  --start MODE        how you start Python, which sets sys.path[0]:\n"
    "                      c (python -c, default), m (python -m), safe (-P or\n"
    "                      PYTHONSAFEPATH), or script:PATH (python PATH)\n"
    "  --no-import         static analysis only: import nothing (for "
    "untrusted\n"
    "                      code)\n"
    "  --timeout SECONDS   limit for the whole run of each child process\n"
    "                      (default 60, at most 86400); what it started is\n"
    "                      killed when it ends\n"
    "  --json              the report as JSON (docs/json.md); same as\n"
    "                      --format json\n"
    "  --format FORMAT     text (default), json, or github (workflow commands\n"
    "                      that show as annotations in GitHub Actions)\n"
    "  --color WHEN        auto (default: on a terminal, unless NO_COLOR is\n"
    "                      set), always, never\n"
    "\n"
    "exit status: 0 the module imports and nothing is wrong, 1 an error was\n"
    "found (also when a package imports but swallowed a failed extension\n"
    "import), 2 usage error or the probe could not run.\n";

static void
print_github(const ep_report *r)
{
    size_t n = ep_report_finding_count(r);
    for (size_t i = 0; i < n; i++) {
        const ep_finding *f = ep_report_finding(r, i);
        char title[256];
        snprintf(title, sizeof(title), "extprobe %s: import %s",
                 ep_finding_slug(f->code), ep_report_module(r));
        cli_github_finding(f, f->npaths > 0 ? f->paths[0] : NULL, title);
    }
    if (n == 0) {
        char subject[512];
        snprintf(subject, sizeof(subject), "import %s", ep_report_module(r));
        cli_github_clean(subject);
    }
}

static bool
parse_start(const char *arg, ep_explain_options *opt)
{
    if (strcmp(arg, "c") == 0) {
        opt->start = EP_START_MODE_C;
    } else if (strcmp(arg, "m") == 0) {
        opt->start = EP_START_MODE_MODULE;
    } else if (strcmp(arg, "safe") == 0 || strcmp(arg, "P") == 0) {
        opt->start = EP_START_MODE_SAFE;
    } else if (strncmp(arg, "script:", 7) == 0 && arg[7] != '\0') {
        opt->start = EP_START_MODE_SCRIPT;
        opt->script = arg + 7;
    } else {
        return false;
    }
    return true;
}

/* A path to an existing file (not a dotted name) is probed as a file. */
static bool
is_file_argument(const char *arg)
{
    struct stat sb;
    return strchr(arg, '/') != NULL && stat(arg, &sb) == 0 &&
           !S_ISDIR(sb.st_mode);
}

int
cmd_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        {"python", required_argument, NULL, 'p'},
        {"directory", required_argument, NULL, 'C'},
        {"start", required_argument, NULL, 's'},
        {"no-import", no_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'f'},
        {"color", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ep_explain_options opt;
    ep_explain_options_init(&opt);
    const char *format = "text", *color = "auto";
    int c;
    while ((c = getopt_long(argc, argv, "hC:", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            opt.python = optarg;
            break;
        case 'C':
            opt.workdir = optarg;
            break;
        case 's':
            if (!parse_start(optarg, &opt)) {
                cli_error("explain: --start takes c, m, safe or script:PATH, "
                          "not '%s'",
                          optarg);
                return EXIT_USAGE;
            }
            break;
        case 'n':
            opt.import_trial = false;
            break;
        case 't': {
            char *end;
            opt.timeout = strtod(optarg, &end);
            /* !(t > 0) also refuses nan; inf and 1e9 are over the cap. */
            if (end == optarg || *end != '\0' || !(opt.timeout > 0) ||
                opt.timeout > EP_TIMEOUT_MAX) {
                cli_error("explain: --timeout takes a number of seconds "
                          "above 0 and at most %.0f, not '%s'",
                          EP_TIMEOUT_MAX, optarg);
                return EXIT_USAGE;
            }
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
            fputs(explain_usage, stdout);
            return EXIT_OK;
        default:
            fputs(explain_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (!cli_check_format("explain", format, color)) {
        return EXIT_USAGE;
    }
    if (optind != argc - 1) {
        cli_error(optind >= argc ? "explain: no MODULE given"
                                 : "explain: one MODULE at a time");
        fputs(explain_usage, stderr);
        return EXIT_USAGE;
    }
    const char *target = argv[optind];
    if (opt.workdir != NULL && access(opt.workdir, X_OK) != 0) {
        cli_error("explain: -C %s: not a directory that can be entered",
                  opt.workdir);
        return EXIT_USAGE;
    }
    ep_report *report = NULL;
    ep_error err;
    ep_status st = is_file_argument(target)
                       ? ep_probe_file(target, &opt, &report, &err)
                       : ep_explain(target, &opt, &report, &err);
    if (st != EP_OK) {
        cli_error("%s", err.message);
        return EXIT_USAGE;
    }
    int rc = ep_report_has_errors(report) ? EXIT_FINDINGS : EXIT_OK;
    if (strcmp(format, "github") == 0) {
        print_github(report);
        fflush(stdout);
    } else {
        rc = cli_emit(strcmp(format, "json") == 0
                          ? ep_report_json(report, &err)
                          : ep_report_text(report, cli_use_color(color), &err),
                      &err, rc);
    }
    ep_report_free(report);
    return rc;
}
