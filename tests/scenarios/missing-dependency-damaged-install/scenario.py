"""missing-dependency -- the vendored library RECORD lists is gone.

auditwheel repair put the module's native core into fastgeo.libs/ under a
hashed name (libfastgeo_core-5e1b7c0a.so.1) and gave fastgeo/_geo RUNPATH
$ORIGIN/../fastgeo.libs; pip installed both and listed both in RECORD.
Then the file went away (a cleanup script that deletes *.so outside the
package directories, a partial copy of site-packages):
ImportError: libfastgeo_core-5e1b7c0a.so.1: cannot open shared object file: No such file or directory
The install is damaged: reinstalling the distribution brings the file
back; "bundle the library" would be advice for the wheel's maintainer,
who already did.
"""
TITLE = "vendored fastgeo.libs/libfastgeo_core-5e1b7c0a.so.1 listed in RECORD but deleted"

SONAME = "libfastgeo_core-5e1b7c0a.so.1"
LIB = ("/* %s: the native core, vendored by auditwheel (scenario\n"
       " * missing-dependency-damaged-install). */\nint fastgeo_core_area(int w, int h);\n"
       "int fastgeo_core_area(int w, int h) { return w * h; }\n" % SONAME)
DECLS = "int fastgeo_core_area(int w, int h);"
BODY = "return PyLong_FromLong(fastgeo_core_area(6, 7));"


def build(ctx):
    import os
    python, site = ctx.venv()
    lib = ctx.shared_lib(SONAME, LIB, ctx.path("built-lib", SONAME))
    built = ctx.c_module("_geo", ctx.mkdir("built"), decls=DECLS, body=BODY, link_inputs=[lib],
                         ldflags=["-Wl,--enable-new-dtags", "-Wl,-rpath,$ORIGIN/../fastgeo.libs"])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
        "fastgeo.libs/" + SONAME: ("copy", lib),
    })
    vendored = os.path.join(site, "fastgeo.libs", SONAME)
    os.unlink(vendored)
    return ctx.case("fastgeo._geo", python=python, roles={
        "ext": site + "/" + rel, "vendored": vendored}, vars={"site": site})


def oracle(ctx, case):
    ctx.expect_import_error(
        case, SONAME + ": cannot open shared object file: No such file or directory")
    ctx.expect(any(SONAME in line for line in open(
        case.vars["site"] + "/fastgeo-2.1.dist-info/RECORD")), "RECORD lists " + SONAME)
