"""pytest plugin, opt-in: when collecting a test module or running a test
fails with an ImportError, append extprobe's explanation of that import to the
report.

Turn it on with `-p extprobe.pytest`, `--extprobe`, or `extprobe = true` in
the ini file. The installed wheel registers it (entry point `pytest11`), but
it stays silent until turned on.
"""
import re

import pytest

# What CPython says, and what to probe for it: a module name, or the compiled
# file the loader refused.
_PATTERNS = (
    re.compile(r"ModuleNotFoundError: No module named '([\w.]+)'"),
    re.compile(r"ImportError: cannot import name '\w+' from "
               r"(?:partially initialized module )?'([\w.]+)'"),
    re.compile(r"ImportError: (/\S+?\.so)\b"),
)


def pytest_addoption(parser):
    parser.addoption("--extprobe", action="store_true", default=False,
                     help="explain ImportErrors of compiled extensions with extprobe")
    parser.addini("extprobe", type="bool", default=False,
                  help="explain ImportErrors of compiled extensions with extprobe")


def _enabled(config):
    if config.getoption("extprobe", default=False) or config.getini("extprobe"):
        return True
    return "extprobe.pytest" in (getattr(config.option, "plugins", None) or [])


def _targets(excinfo, text):
    """Module names or files to explain, from the exception chain or, for a
    collection error (pytest keeps only its text), from the message."""
    exc = getattr(excinfo, "value", None) if excinfo is not None else None
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ImportError):
            path = getattr(exc, "path", None)
            if path and path.endswith(".so"):
                return [path]
            if getattr(exc, "name", None):
                return [exc.name]
        exc = exc.__cause__ or exc.__context__
    found = []
    for rx in _PATTERNS:
        for m in rx.finditer(text or ""):
            if m.group(1) not in found:
                found.append(m.group(1))
    return found[:1]


def _explain(config, target):
    cache = config.__dict__.setdefault("_extprobe_cache", {})
    if target not in cache:
        import extprobe
        try:
            cache[target] = extprobe.probe(target).text
        except Exception as e:  # the probe must never break the test run
            cache[target] = "extprobe could not run: %s\n" % e
    return cache[target]


def _attach(config, report, excinfo):
    if not _enabled(config):
        return
    for target in _targets(excinfo, str(report.longrepr)):
        report.sections.append(("extprobe: %s" % target, _explain(config, target)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.excinfo is not None and call.excinfo.errisinstance(ImportError):
        _attach(item.config, report, call.excinfo)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    text = str(report.longrepr) if report.failed else ""
    if report.failed and "Error" in text and "import" in text.lower():
        _attach(collector.config, report, None)
