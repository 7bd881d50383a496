"""python -m extprobe MODULE [--json] ...: diagnose an import in this
interpreter. Exit status as the extprobe CLI: 0 fine, 1 an error finding,
2 usage error or the probe could not run."""

import os
import sys

from . import ProbeError, _check_timeout, _own_import, probe

argparse = _own_import("argparse")


def _timeout(text):
    try:
        return _check_timeout(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m extprobe",
        description="Why `import MODULE` fails (or gives None) in this "
                    "interpreter: the cause, the evidence and the fix.")
    parser.add_argument("module", help="dotted module name, or a path to a compiled file")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--format", choices=("text", "json"), default=None)
    parser.add_argument("--no-import", action="store_true",
                        help="static analysis only: import nothing")
    parser.add_argument("--timeout", type=_timeout, default=60.0,
                        help="limit for the whole run of each child process, "
                             "in seconds (default 60, at most 86400)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    args = parser.parse_args(argv)
    color = args.color == "always" or (
        args.color == "auto" and not os.environ.get("NO_COLOR") and sys.stdout.isatty())
    try:
        report = probe(args.module, import_trial=not args.no_import,
                       timeout=args.timeout, color=color)
    except ProbeError as e:
        sys.stderr.write("extprobe: %s\n" % e)
        return 2
    if args.json or args.format == "json":
        json = _own_import("json")
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(report.text)
    sys.stdout.flush()
    return 1 if report.has_errors else 0


if __name__ == "__main__":
    sys.exit(main())
