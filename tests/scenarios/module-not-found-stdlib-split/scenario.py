"""module-not-found -- a standard-library module the distribution ships apart.

Debian and Ubuntu split tkinter out of their python3 package (python3-tk).
On a machine without it, the standard library's own turtle fails:
ModuleNotFoundError: No module named 'tkinter'
`pip install tkinter` finds nothing; the fix is `apt install python3-tk`.
"""
import subprocess

TITLE = "turtle under Debian's python3 without python3-tk (tkinter shipped apart)"


def applies(ctx):
    if ctx.py.key != "debian-3.11":
        return "the story is Debian's own python3 (python3.11-dbg needs python3-tk-dbg)"
    r = subprocess.run([ctx.py.executable, "-c", "import tkinter"], capture_output=True)
    if r.returncode == 0:
        return "python3-tk is installed here"
    return None


def build(ctx):
    return ctx.case("turtle", python=ctx.py.executable)


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'tkinter'")
