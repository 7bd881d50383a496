"""installed-elsewhere -- `pip install` ran for another interpreter.

The user installed the package with another Python's pip (`pip3.12 install
--user fastgeo`, or a pyenv version that was active in another shell) and
imports it in this one: ModuleNotFoundError: No module named 'fastgeo'.
Here the package goes into the user site of another CPython version found on
this machine, under a HOME of the case's own (so nothing real is touched);
the case's interpreter (a venv of this version) never looks there.
"""
import os

TITLE = "package installed into another Python version's user site"


def applies(ctx):
    if ctx.other_interp() is None:
        return "no other CPython version here"
    return None


def build(ctx):
    other = ctx.other_interp()
    python, site = ctx.venv()
    home = ctx.mkdir("home")
    xy = "%d.%d" % other.version[:2]
    user_site = os.path.join(home, ".local", "lib", "python" + xy, "site-packages")
    built = ctx.c_module("_geo", ctx.mkdir("built"), interp=other)
    ctx.install_dist(user_site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        "fastgeo/_geo" + other.ext_suffix: ("copy", built),
    }, tag=ctx.wheel_tag(other))
    return ctx.case("fastgeo", python=python, env={"HOME": home},
                    roles={"elsewhere": os.path.join(user_site, "fastgeo")},
                    vars={"xy": xy})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo'")
