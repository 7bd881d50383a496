"""glibc-too-new -- the module needs GLIBC_2.99, this system's glibc is older.

A wheel built on a (future) system whose glibc defines GLIBC_2.99: made
here by linking the module against a stub libc.so.6 (SONAME libc.so.6, a
version script defining GLIBC_2.99 with one function, gnu_future_feature),
next to the real libc for getenv. The module's .gnu.version_r then needs
libc.so.6 GLIBC_2.2.5 (getenv) and GLIBC_2.99 -- exactly what a too-new
build carries. At run time the loader finds the real libc.so.6:
ImportError: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.99' not found (required by .../_geo...so)
"""
TITLE = "module needs GLIBC_2.99 (linked against a libc that has it)"

STUB = ("/* A stub libc.so.6 with the version node GLIBC_2.99 (scenario\n"
        " * glibc-too-new): only ever linked against, never loaded. */\n"
        "int gnu_future_feature(void);\nint gnu_future_feature(void) { return 1; }\n")
STUB_MAP = "GLIBC_2.99 {\n    global: gnu_future_feature;\n    local: *;\n};\n"
DECLS = "#include <stdlib.h>\nint gnu_future_feature(void);"
BODY = "return PyLong_FromLong(gnu_future_feature() + (getenv(\"FASTGEO_DEBUG\") != NULL));"


def build(ctx):
    python, site = ctx.venv()
    stub = ctx.shared_lib("libc.so.6", STUB, ctx.path("stub", "libc.so.6"),
                          version_script=STUB_MAP, cflags=["-nostdlib"])
    built = ctx.c_module("_geo", ctx.mkdir("built"), decls=DECLS, body=BODY, link_inputs=[stub])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    }, tag=ctx.wheel_tag().replace("linux_x86_64", "manylinux_2_99_x86_64"))
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_import_error(case, "version `GLIBC_2.99' not found")
    ctx.expect_tool([ctx.need("readelf"), "-V", case.roles["ext"]], "Name: GLIBC_2.99", "readelf -V")
