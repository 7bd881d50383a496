"""abi-tag-mismatch -- a module built for another CPython version.

The wheel was built by another interpreter (CMake's FindPython / `pip wheel`
run with python3.Y) and unpacked into this venv: site-packages has
fastgeo/_geo.cpython-3Y-x86_64-linux-gnu.so, compiled with gcc against 3.Y's
own headers, and a WHEEL tag cp3Y. This interpreter's EXTENSION_SUFFIXES do not
match the name, the finder never considers the file, and the import says
ModuleNotFoundError: No module named 'fastgeo._geo'.

Y is the nearest other CPython version installed here.
"""
import os

TITLE = "module built for another CPython version (cpython-3Y tag)"


def applies(ctx):
    if ctx.other_interp() is None:
        return "no other CPython version with headers is installed"
    return None


def build(ctx):
    other = ctx.other_interp()
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"), interp=other,
                         purpose="Built for %s, installed for %s." % (other.key, ctx.py.key))
    rel = "fastgeo/" + os.path.basename(built)
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    }, tag=ctx.wheel_tag(other))
    return ctx.case("fastgeo._geo", python=python, roles={
        "wrong_tag_file": site + "/" + rel,
    }, vars={"other_version": "%d.%d" % other.version[:2]})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo._geo'")
