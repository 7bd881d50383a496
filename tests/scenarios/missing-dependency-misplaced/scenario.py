"""missing-dependency (variant) -- the library is there, but not where RUNPATH says.

An auditwheel-style repair grafted the library as
libfastgeo_core-6d1f0b2e.so.1 and set the module's RUNPATH to
$ORIGIN/../fastgeo.libs, i.e. site-packages/fastgeo.libs/. A hand-made
re-pack put the library at site-packages/fastgeo/.libs/ instead (the RECORD
lists it there). The loader expands $ORIGIN, looks in fastgeo.libs, the
cache and the default directories, and fails:
ImportError: libfastgeo_core-6d1f0b2e.so.1: cannot open shared object file: No such file or directory
"""
TITLE = "grafted library in fastgeo/.libs, RUNPATH says $ORIGIN/../fastgeo.libs"

SONAME = "libfastgeo_core-6d1f0b2e.so.1"
LIB = ("/* %s: the grafted native core (scenario missing-dependency-misplaced). */\n"
       "int fastgeo_core_area(int w, int h);\n"
       "int fastgeo_core_area(int w, int h) { return w * h; }\n" % SONAME)
DECLS = "int fastgeo_core_area(int w, int h);"
BODY = "return PyLong_FromLong(fastgeo_core_area(6, 7));"


def build(ctx):
    python, site = ctx.venv()
    lib = ctx.shared_lib(SONAME, LIB, ctx.path("built", SONAME))
    built = ctx.c_module("_geo", ctx.mkdir("built"), decls=DECLS, body=BODY, link_inputs=[lib],
                         ldflags=["-Wl,-rpath,$ORIGIN/../fastgeo.libs", "-Wl,--enable-new-dtags"])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
        "fastgeo/.libs/" + SONAME: ("copy", lib),
    }, tag=ctx.wheel_tag().replace("linux_x86_64", "manylinux_2_17_x86_64.manylinux2014_x86_64"))
    return ctx.case("fastgeo._geo", python=python, roles={
        "ext": site + "/" + rel,
        "misplaced_lib": site + "/fastgeo/.libs/" + SONAME,
    }, vars={"runpath_dir": site + "/fastgeo.libs", "soname": SONAME,
             # $ORIGIN expanded as ld.so does it, without normalising
             "runpath_dir_literal": site + "/fastgeo/../fastgeo.libs"})


def oracle(ctx, case):
    ctx.expect_import_error(case, SONAME + ": cannot open shared object file: No such file or directory")
    ctx.expect_tool([ctx.need("readelf"), "-d", case.roles["ext"]],
                    "Library runpath: [$ORIGIN/../fastgeo.libs]", "readelf -d")
