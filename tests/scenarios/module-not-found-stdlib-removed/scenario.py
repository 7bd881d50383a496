"""module-not-found -- a standard-library module that this Python removed.

An old package (or an old setup.py) does `import distutils`; distutils left
the standard library in Python 3.12 (PEP 632), so on 3.12 and later, in a
virtual environment without setuptools:
ModuleNotFoundError: No module named 'distutils'
`pip install distutils` finds nothing; the fix is a release of the package
made for 3.12, setuptools (which brings a replacement), or an older Python.
"""

TITLE = "import distutils on Python 3.12+ (removed from the standard library, PEP 632)"


def applies(ctx):
    if ctx.py.version[:2] < (3, 12):
        return "distutils is in the standard library before 3.12"
    return None


def build(ctx):
    python, site = ctx.venv()
    return ctx.case("distutils", python=python)


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'distutils'")
