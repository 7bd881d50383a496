"""missing-dependency -- a needed library the loader cannot find.

fastgeo._geo links libfastgeo_core.so.1, a library of the project built in
its own build tree (build/native/). During development LD_LIBRARY_PATH
pointed there; the installed module has no RPATH/RUNPATH and the library is
not installed anywhere the loader searches:
ImportError: libfastgeo_core.so.1: cannot open shared object file: No such file or directory
"""
TITLE = "needed library libfastgeo_core.so.1 is nowhere on the loader's path"

LIB = ("/* libfastgeo_core.so.1: the native core the module links (scenario\n"
       " * missing-dependency). */\nint fastgeo_core_area(int w, int h);\n"
       "int fastgeo_core_area(int w, int h) { return w * h; }\n")
DECLS = "int fastgeo_core_area(int w, int h);"
BODY = "return PyLong_FromLong(fastgeo_core_area(6, 7));"


def build(ctx):
    python, site = ctx.venv()
    lib = ctx.shared_lib("libfastgeo_core.so.1", LIB,
                         ctx.path("fastgeo-src", "build", "native", "libfastgeo_core.so.1"))
    built = ctx.c_module("_geo", ctx.mkdir("built"), decls=DECLS, body=BODY, link_inputs=[lib])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("fastgeo._geo", python=python, roles={
        "ext": site + "/" + rel,
        "build_tree_lib": lib,
    })


def oracle(ctx, case):
    ctx.expect_import_error(
        case, "libfastgeo_core.so.1: cannot open shared object file: No such file or directory")
    # With the build tree on LD_LIBRARY_PATH (the developer's shell) it loads.
    case.env["LD_LIBRARY_PATH"] = ctx.path("fastgeo-src", "build", "native")
    ctx.expect_output(case, "import fastgeo._geo as g; print(g.answer())", "42")
    del case.env["LD_LIBRARY_PATH"]
