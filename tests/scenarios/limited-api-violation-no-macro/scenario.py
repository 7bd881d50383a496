"""limited-api-violation (variant) -- named .abi3.so, compiled without
Py_LIMITED_API.

A build system that names the output for the stable ABI (setuptools
py_limited_api=True, a CMake suffix) while the compile line lacks
-DPy_LIMITED_API: every import happens to be in the Limited API, so no
symbol table shows the problem, but the full API's inline code was compiled
in. Built here with gcc -g3, whose .debug_macro records every macro the
compilation saw: PY_VERSION is there, Py_LIMITED_API is not. The module
imports on this interpreter; the finding is a warning.
"""
TITLE = ".abi3.so compiled without Py_LIMITED_API (macro info shows it)"


def applies(ctx):
    if ".abi3.so" not in ctx.py.suffixes:
        return "%s does not accept .abi3.so" % ctx.py.key
    return None


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"), suffix=".abi3.so", cflags=["-g3"])
    rel = "fastgeo/_geo.abi3.so"
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    }, tag="cp38-abi3-linux_x86_64")
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_output(case, "import fastgeo._geo as m; print(m.answer())", "42")
    r = ctx.expect_tool([ctx.need("readelf"), "--debug-dump=macro", case.roles["ext"]],
                        "PY_VERSION", "readelf --debug-dump=macro")
    ctx.expect("Py_LIMITED_API" not in r.stdout,
               "readelf --debug-dump=macro shows no Py_LIMITED_API")
