"""abi-tag-mismatch (variant) -- a module built by a debug interpreter.

A developer ran `python3.11-dbg setup.py build_ext --inplace` in the checkout:
fastgeo/_geo.cpython-3XYd-x86_64-linux-gnu.so sits next to the sources (for
CPython 3.11 compiled against Debian's real debug headers,
/usr/include/python3.11d; for other versions against their own headers --
only the name matters to the finder). A release interpreter started in the
checkout does not accept the `d` tag: ModuleNotFoundError.

Not for debug interpreters: Debian's python3.11-dbg accepts release and debug
names alike.
"""
import os

TITLE = "in-place build by a debug interpreter (cpython-3XYd tag)"

DBG_INCLUDE = "/usr/include/python%d.%dd"
SETUP = ('from setuptools import Extension, setup\n\n'
         'setup(name="fastgeo", ext_modules=[Extension("fastgeo._geo", ["fastgeo/_geo.c"])])\n')


def applies(ctx):
    if ctx.py.debug:
        return "a debug interpreter accepts the debug tag"
    return None


def build(ctx):
    proj = ctx.mkdir("fastgeo-src")
    pkg = ctx.mkdir("fastgeo-src", "fastgeo")
    ctx.write(pkg + "/__init__.py", "from ._geo import answer\n")
    inc = DBG_INCLUDE % ctx.py.version[:2]
    if not os.path.exists(os.path.join(inc, "Python.h")):
        inc = None
    built = ctx.c_module("_geo", pkg, include=inc, suffix=ctx.py.tagged_suffix(flags="d"),
                         purpose="In-place build by a debug interpreter.")
    ctx.write(pkg + "/_geo.c", "/* the extension source */\n", age=3600)
    ctx.write(proj + "/setup.py", SETUP)
    return ctx.case("fastgeo._geo", cwd=proj, roles={"wrong_tag_file": built})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo._geo'")
