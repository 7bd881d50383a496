"""static-tls -- the module keeps a large thread-local array in the
initial-exec TLS model (-ftls-model=initial-exec, DF_STATIC_TLS).

The loader must fit such a block into the static TLS area sized when the
process started; dlopen() has only a small surplus for it (about 2 KB on
glibc 2.36). A 4 MB block never fits:
ImportError: .../_geo...so: cannot allocate memory in static TLS block
(the classic cases: libgomp, jemalloc, OpenBLAS builds preloaded "to fix" it).
"""
TITLE = "module with 4 MB of initial-exec thread-local storage"

DECLS = "__thread char fx_scratch[4 * 1024 * 1024];"
BODY = "fx_scratch[0] = 1; return PyLong_FromLong(41 + fx_scratch[0]);"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"), decls=DECLS, body=BODY,
                         cflags=["-ftls-model=initial-exec"])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_import_error(case, "cannot allocate memory in static TLS block")
    ctx.expect_tool([ctx.need("readelf"), "-d", case.roles["ext"]], "STATIC_TLS",
                    "readelf -d FLAGS")
