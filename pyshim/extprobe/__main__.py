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


def wheel_main(argv):
    """python -m extprobe wheel FILE.whl... [--target TAG] [--json]"""
    from . import wheel
    parser = argparse.ArgumentParser(
        prog="python -m extprobe wheel",
        description="Audit wheels before install: will they import on the "
                    "target (default: this interpreter)?")
    parser.add_argument("files", nargs="+", metavar="FILE.whl")
    parser.add_argument("--target", help="judge for this tag, e.g. "
                        "cp312-manylinux_2_28_aarch64")
    parser.add_argument("--json", action="store_true", help="print the audit as JSON")
    parser.add_argument("--format", choices=("text", "json"), default=None)
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    args = parser.parse_args(argv)
    color = args.color == "always" or (
        args.color == "auto" and not os.environ.get("NO_COLOR") and sys.stdout.isatty())
    try:
        report = wheel(*args.files, target=args.target, color=color)
    except ProbeError as e:
        sys.stderr.write("extprobe: %s\n" % e)
        return 2
    for w in report["wheels"]:
        if w.get("error"):
            sys.stderr.write("extprobe: %s\n" % w["error"])
    if args.json or args.format == "json":
        json = _own_import("json")
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    else:
        sys.stdout.write(report.text)
    sys.stdout.flush()
    return 1 if report.has_errors else 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    # `python -m extprobe wheel` alone still explains `import wheel`; with a
    # .whl file after it, it is the wheel audit.
    if argv and argv[0] == "wheel" and any(a.endswith(".whl") for a in argv[1:]):
        return wheel_main(argv[1:])
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
