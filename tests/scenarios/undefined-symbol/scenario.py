"""undefined-symbol -- built against newer Python headers.

CMake's FindPython found the headers of the newest CPython on the machine
(3.13) while the file name came from the venv's own python: the module is
named for this interpreter, but it calls PyLong_AsInt, which exists only
since CPython 3.13. dlopen() (CPython uses RTLD_NOW) refuses it:
ImportError: .../_geo.cpython-3XY-x86_64-linux-gnu.so: undefined symbol: PyLong_AsInt

Applies to every interpreter older than 3.13 when a 3.13 is installed.
"""
TITLE = "module compiled against 3.13 headers (PyLong_AsInt), named for this interpreter"

BODY = ("PyObject *n = PyLong_FromLong(42);\n"
        "    int v = PyLong_AsInt(n);  /* new in CPython 3.13 */\n"
        "    Py_DECREF(n);\n    return PyLong_FromLong(v);")


def newer(ctx):
    cands = [i for i in ctx.interps if i.version[:2] >= (3, 13) and i.has_python_h
             and not i.debug and not i.free_threaded]
    return min(cands, key=lambda i: i.version) if cands else None


def applies(ctx):
    if ctx.py.version[:2] >= (3, 13):
        return "PyLong_AsInt exists in CPython %s; no newer headers here" % ctx.py.version_str
    if newer(ctx) is None:
        return "no CPython >= 3.13 with headers to build against"
    return None


def build(ctx):
    hdr = newer(ctx)
    python, site = ctx.venv()
    # -g: the debug info names the headers, which the finding quotes.
    built = ctx.c_module("_geo", ctx.mkdir("built"), include=hdr.include, body=BODY,
                         suffix=ctx.py.ext_suffix, cflags=["-g"],
                         purpose="Compiled against CPython %s headers." % hdr.version_str)
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_import_error(case, "undefined symbol: PyLong_AsInt")
