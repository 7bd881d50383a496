"""module-not-found -- a standard-library module this Python was built without.

CPython's build skips an extension module of the standard library when the
headers of its library are missing, and says so only in the build log
("The necessary bits to build these optional modules were not found").
pyenv on a machine without libgdbm-dev builds no _gdbm, so:
ModuleNotFoundError: No module named '_gdbm'  (from import dbm.gnu)
The fix is the headers and a rebuild of that Python, not pip.
"""
import subprocess

TITLE = "import dbm.gnu under a pyenv CPython built without libgdbm-dev (no _gdbm)"


def applies(ctx):
    if ctx.py.key.startswith("debian"):
        return "Debian's python3 has _gdbm from python3-gdbm; the story is a source build"
    r = subprocess.run([ctx.py.executable, "-c", "import _gdbm"], capture_output=True)
    if r.returncode == 0:
        return "this interpreter was built with _gdbm"
    return None


def build(ctx):
    python, site = ctx.venv()
    return ctx.case("dbm.gnu", python=python)


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named '_gdbm'")
