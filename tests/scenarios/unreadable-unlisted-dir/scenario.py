"""unreadable (variant) -- a package directory that can be entered but not listed.

The package directory has mode 711 (drwx--x--x): others may enter it and
open files by name, but not list it. The finder lists each directory to
see what is there, so for the service user the directory looks empty:
__init__.py is found by name, but _geo.<tag>.so is not, and the error says
nothing about permissions:
ModuleNotFoundError: No module named 'fastgeo._geo'
(the second example of docs/findings/unreadable.md). Run as user nobody when
the suite is root.
"""
import os

TITLE = "package directory of mode 711: importable by name, not listable"


def build(ctx):
    run_as = ctx.unprivileged(ctx.py.executable)
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"))
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "",
        rel: ("copy", built),
    })
    os.chmod(site + "/fastgeo", 0o711)
    return ctx.case("fastgeo._geo", python=python, run_as=run_as,
                    roles={"pkg_dir": site + "/fastgeo"})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo._geo'")
    # As root (no permission checks) the same install works.
    if case.run_as:
        ctx.expect_output(case, "import fastgeo._geo as g; print(g.answer())", "42",
                          as_suite_user=True)
