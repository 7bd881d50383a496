"""undefined-symbol (variant) -- built against debug headers, loaded by a release build.

The module was compiled against Debian's python3.11-dbg headers
(/usr/include/python3.11d: Py_DEBUG, so Py_INCREF counts in _Py_RefTotal)
but named with the release tag, as a build that mixed python3.11-dbg-config
--includes with the release EXT_SUFFIX would. A release 3.11 does not export
_Py_RefTotal (pyca/cryptography#6813 is the reverse):
ImportError: .../_geo.cpython-311-x86_64-linux-gnu.so: undefined symbol: _Py_RefTotal

Applies to release CPython 3.11 interpreters when the debug headers are installed.
"""
import os

TITLE = "module compiled against python3.11-dbg headers, loaded by release 3.11"

DBG_INCLUDE = "/usr/include/python3.11d"
BODY = "Py_INCREF(Py_None);\n    return Py_None;"


def applies(ctx):
    if ctx.py.version[:2] != (3, 11) or ctx.py.debug:
        return "needs a release CPython 3.11 (debug headers are 3.11's)"
    if not os.path.exists(os.path.join(DBG_INCLUDE, "Python.h")):
        return "python3.11-dbg headers are not installed (%s)" % DBG_INCLUDE
    return None


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"), include=DBG_INCLUDE, body=BODY,
                         suffix=ctx.py.ext_suffix,
                         purpose="Compiled against the debug headers " + DBG_INCLUDE + ".")
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_import_error(case, "undefined symbol: _Py_RefTotal")
