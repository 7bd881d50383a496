"""editable-without-build (variant) -- the tree was built by another Python.

As editable-without-build, but the checkout's src/fastcore/ holds
_core.cpython-3Y-x86_64-linux-gnu.so, built in place by another interpreter
(an older venv over the same tree, compiled against 3.Y's headers). This
venv's interpreter does not accept the tag:
ModuleNotFoundError: No module named 'fastcore._core'
"""
import importlib.util
import os

TITLE = "editable install whose tree holds a build for another CPython version"

_spec = importlib.util.spec_from_file_location(
    "scenario_ewb_base", os.path.join(os.path.dirname(__file__), "..",
                                      "editable-without-build", "scenario.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)


def applies(ctx):
    if ctx.other_interp() is None:
        return "no other CPython version with headers is installed"
    return None


def build(ctx):
    other = ctx.other_interp()
    proj = base.make_project(ctx)
    foreign = ctx.c_module("_core", proj + "/src/fastcore", interp=other,
                           purpose="In-place build by %s." % other.key)
    python, site, di = base.install_editable(ctx, proj)
    return ctx.case("fastcore._core", python=python, roles={
        "tree_pkg": proj + "/src/fastcore",
        "foreign_build": foreign,
        "dist_info": di,
    }, vars={"other_version": "%d.%d" % other.version[:2]})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastcore._core'")
