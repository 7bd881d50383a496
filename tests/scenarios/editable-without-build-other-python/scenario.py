"""editable-without-build (variant) -- the tree was built by another Python.

As editable-without-build, but the checkout's src/fastcore/ holds
_core.cpython-3Y-x86_64-linux-gnu.so, built in place by another interpreter
(an older venv over the same tree, compiled against 3.Y's headers). This
venv's interpreter does not accept the tag:
ModuleNotFoundError: No module named 'fastcore._core'
"""
from recipes import scenario_module

TITLE = "editable install whose tree holds a build for another CPython version"

base = scenario_module("editable-without-build")


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
