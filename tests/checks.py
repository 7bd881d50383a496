"""The check counter of the Python tests that import it (tests/cli,
tests/loader, tests/wheel): every check is printed as it runs, the failed
ones are counted for the last line, and the exit status says whether any
failed. A test adds the directory above its own to sys.path for it."""
import sys

_failures = []
_count = 0


def check(cond, what):
    global _count
    _count += 1
    if not cond:
        _failures.append(what)
    print("%s: %s" % ("ok  " if cond else "FAIL", what), flush=True)
    return cond


def finish(rc=0):
    """The last line, then exit: rc when the test ends otherwise (77 to
    skip), else 1 when a check failed."""
    print("%d checks, %d failed" % (_count, len(_failures)))
    sys.exit(rc if rc else (1 if _failures else 0))
