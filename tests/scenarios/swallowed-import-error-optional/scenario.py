"""swallowed-import-error, as a warning -- an optional accelerator not installed.

Many packages carry on without an optional speed-up module. Here the package
guards `from . import _speedups` and nothing anywhere provides it: no
compiled file on the path, no RECORD entry, no source (the package is copied
into site-packages without metadata, as distribution packagers and vendoring
do; with a pure wheel's RECORD it would be the cuprum story of
extension-not-installed-fallback, an error). The import works and
the package runs without the accelerator; its name (_speedups) is the only
hint that it is compiled, so extprobe says so as a warning (exit 0), and its
fix must not send the user to a "next finding" that does not exist.
ModuleNotFoundError: No module named 'fastjson._speedups' (caught)
"""
TITLE = "optional compiled module that nothing provides, caught by the package (warning only)"

INIT = ("try:\n    from . import _speedups\nexcept ImportError:\n    _speedups = None\n")


def build(ctx):
    python, site = ctx.venv()
    ctx.write(site + "/fastjson/__init__.py", INIT)
    return ctx.case("fastjson", python=python, roles={"pkg": site + "/fastjson"})


def oracle(ctx, case):
    ctx.expect_output(case, "import fastjson; print('speedups', fastjson._speedups)",
                      "speedups None")
    ctx.expect_import_error(case, "No module named 'fastjson._speedups'",
                            code="import fastjson._speedups")
