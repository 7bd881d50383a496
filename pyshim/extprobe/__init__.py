"""extprobe: why a compiled Python extension will not import.

    import extprobe
    extprobe.explain("pkg._ext")      # prints the explanation, returns the report
    report = extprobe.probe("pkg._ext")   # the report only (a dict, docs/json.md)

From a shell or a tox ``commands_pre``: ``python -m extprobe pkg._ext``.

Importing this package does no work: the C core (_extprobe, built against
the Limited API of 3.8) is loaded on first use.
"""

import os
import sys

__all__ = ["explain", "probe", "inspect", "wheel", "ProbeError", "Report"]


def _own_import(name):
    """A standard module for the shim itself, never one of the project's:
    `python -m extprobe` in a project directory has that directory first on
    sys.path, and a json.py or argparse.py there must not run because the
    shim wanted the standard one. sys.path is cut to the interpreter's own
    library while the module is imported."""
    if name not in sys.modules:
        roots = {p.rstrip(os.sep) for p in (sys.base_prefix, sys.base_exec_prefix,
                                             sys.prefix, sys.exec_prefix) if p}
        cwd = os.getcwd()
        saved = sys.path[:]
        own = [e for e in saved if e and e != cwd and
               any(e.startswith(r + os.sep) for r in roots) and
               "site-packages" not in e and "dist-packages" not in e]
        try:
            sys.path[:] = own or [e for e in saved if e and e != cwd]
            __import__(name)
        finally:
            sys.path[:] = saved
    return sys.modules[name]


def _core():
    from . import _extprobe
    return _extprobe


class ProbeError(Exception):
    """The probe itself could not run (interpreter not found, timeout, ...)."""


class Report(dict):
    """The report of one diagnosis: the JSON document (schema 1) as a dict,
    with the text explanation in ``.text``."""

    text = ""
    has_errors = False

    @property
    def importable(self):
        return bool(self.get("importable"))

    @property
    def findings(self):
        return self.get("findings", [])

    def __str__(self):
        return self.text


def _start_of_this_process():
    """How this interpreter was started, as far as sys.path[0] goes."""
    if getattr(sys.flags, "safe_path", 0):
        return "safe", None
    first = sys.path[0] if sys.path else None
    if first == "":
        return "c", None
    if first == os.getcwd():
        return "m", None
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and first == os.path.dirname(os.path.realpath(argv0)):
        return "script", argv0
    return "safe", None


# The JSON writer passes valid UTF-8 through and writes each byte that is
# not valid UTF-8 as \u00XX (XX >= 80). Read such an escape as os.fsdecode
# reads the byte (surrogateescape, \udcXX), so that a non-UTF-8 path in the
# report gives back its bytes with os.fsencode(). Only an escape preceded by
# an even number of backslashes is one.
_RAW_BYTE = r"(\\+)u00([89a-fA-F][0-9a-fA-F])"


def _loads(doc):
    def fix(m):
        if len(m.group(1)) % 2 == 0:
            return m.group(0)
        return m.group(1) + "udc" + m.group(2)
    doc = _own_import("re").sub(_RAW_BYTE, fix, doc)
    return _own_import("json").loads(doc)


def _facts(start, script):
    """This interpreter's facts, gathered in-process by the same script the
    CLI runs in a child of the target interpreter."""
    namespace = {"__name__": "extprobe_facts"}
    exec(compile(_core().facts_source(), "<extprobe facts>", "exec"), namespace)
    text = "\n".join(namespace["collect"]("live", script)) + "\n"
    # Bytes, as the CLI's child writes them: a file name's undecodable bytes
    # go back as they were (surrogateescape).
    return namespace["_encode"](text)


TIMEOUT_MAX = 86400.0   # EP_TIMEOUT_MAX: a day


def _check_target(target):
    """target as a str; a TypeError saying what is expected otherwise."""
    if isinstance(target, os.PathLike):
        target = os.fspath(target)
    if not isinstance(target, str):
        raise TypeError("target must be a dotted module name or the path to a "
                        "compiled file (str or os.PathLike), not %s"
                        % type(target).__name__)
    return target


def _check_timeout(timeout):
    """timeout as a float in (0, TIMEOUT_MAX]; ValueError otherwise."""
    try:
        t = float(timeout)
    except (TypeError, ValueError):
        raise ValueError("timeout must be a number of seconds, not %r" % (timeout,))
    if not 0 < t <= TIMEOUT_MAX:    # false for nan too
        raise ValueError("timeout must be above 0 and at most %g seconds, not %r"
                         % (TIMEOUT_MAX, timeout))
    return t


def probe(target, import_trial=True, timeout=60.0, python=None, workdir=None,
          color=False):
    """Diagnose ``import target`` in this interpreter (or in ``python``, run as
    a child process in ``workdir``) and return the Report without printing.

    ``target`` is a dotted module name, or the path to a compiled file
    (str or PathLike; a name that is not UTF-8 as os.fsdecode gives it). Paths in the report are strs in the same convention:
    os.fsencode() gives their bytes back.
    """
    target = _check_target(target)
    timeout = _check_timeout(timeout)
    core = _core()
    is_file = os.sep in target and os.path.isfile(target)
    start, script = _start_of_this_process()
    facts = None
    if python is None:
        python = sys.executable
        if workdir is None:
            facts = _facts(start, script)
    try:
        doc, text, has_errors, importable = core.explain(
            target, facts, python, workdir, start, script, bool(import_trial),
            timeout, is_file, bool(color))
    except core.ProbeError as e:
        raise ProbeError(str(e))
    report = Report(_loads(doc))
    report.text = text
    report.has_errors = has_errors
    return report


def explain(target, file=None, **kwargs):
    """Print the explanation of ``import target`` and return the Report."""
    report = probe(target, **kwargs)
    out = file if file is not None else sys.stdout
    out.write(report.text)
    out.flush()
    return report


def inspect(path):
    """The ELF facts of one file (as ``extprobe inspect --json``), a dict.
    ``path``: str, bytes or PathLike, as os.fsencode() takes it."""
    return _loads(_core().inspect(path))["files"][0]


def wheel(*files, target=None, python=None, timeout=30.0, color=False):
    """Audit wheel files before install (as ``extprobe wheel --json``) and
    return the Report: ``report["wheels"]`` holds each wheel's tags,
    findings and members, ``report["families"]`` the pure/native families.

    Without ``target`` (a tag such as ``"cp312-manylinux_2_28_aarch64"``) the
    wheels are judged for this interpreter, or for ``python`` (run once in a
    child process). Nothing is extracted or installed.
    """
    paths = []
    for f in files:
        if isinstance(f, (list, tuple)):
            paths.extend(os.fspath(x) for x in f)
        else:
            paths.append(os.fspath(f))
    if not paths:
        raise TypeError("wheel() needs at least one wheel file")
    facts = None
    if target is None and python is None:
        facts = _facts("c", None)
    try:
        doc, text, has_errors = _core().wheel(
            "\0".join(paths), target, python, facts, float(timeout), bool(color))
    except _core().ProbeError as e:
        raise ProbeError(str(e))
    report = Report(_loads(doc))
    report.text = text
    report.has_errors = has_errors
    return report
