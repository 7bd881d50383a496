"""cxx-abi-import-order -- the module imports alone, and fails when another
package that vendors an older libstdc++ is imported first.

fastgeo._geo is a C++ module built by g++ 12 with -D_GLIBCXX_ASSERTIONS
(needs GLIBCXX_3.4.30) and finds the system's libstdc++ (GCC 12). Another
installed distribution, oldcv, ships its own libstdc++.so.6 in oldcv.libs/
(the real GCC 11 libstdc++.so.6.0.29, up to GLIBCXX_3.4.29; SONAME kept, as
a hand-vendored or conda-built wheel keeps it) and its module oldcv._cv has
RUNPATH $ORIGIN/../oldcv.libs. glibc's loader gives an already loaded
object to every later request for its SONAME, so after `import oldcv._cv`
the old copy serves fastgeo._geo too:
ImportError: .../oldcv.libs/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by .../fastgeo/_geo...so)
Imported the other way round, both work. extprobe explain fastgeo._geo says
the module imports (exit 0) and warns of the order.
"""
from recipes import scenario_module

base = scenario_module("cxx-abi")

TITLE = "module needs GLIBCXX_3.4.30; another package vendors GCC 11's libstdc++"


def applies(ctx):
    return base.applies(ctx)


def build(ctx):
    python, site = ctx.venv()
    geo = base.cxx_module(ctx, "_geo", True)
    cv = base.cxx_module(ctx, "_cv", False, ["-Wl,-rpath,$ORIGIN/../oldcv.libs"])
    geo_rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "",
        geo_rel: ("copy", geo),
    }, tag=ctx.wheel_tag())
    ctx.install_dist(site, "oldcv", "4.0", {
        "oldcv/__init__.py": "",
        "oldcv/_cv" + ctx.py.ext_suffix: ("copy", cv),
        "oldcv.libs/libstdc++.so.6": ("copy", base.OLD_LIBSTDCXX),
    }, tag=ctx.wheel_tag())
    return ctx.case("fastgeo._geo", python=python,
                    roles={"ext": site + "/" + geo_rel,
                           "oldlib": site + "/oldcv.libs/libstdc++.so.6"})


def oracle(ctx, case):
    ctx.expect_output(case, "import fastgeo._geo as m; print(m.answer())", "42")
    ctx.expect_output(case, "import fastgeo._geo, oldcv._cv as m; print(m.answer())", "42")
    ctx.expect_import_error(case, "oldcv.libs/libstdc++.so.6: version `GLIBCXX_3.4.30' "
                                  "not found (required by ",
                            code="import oldcv._cv, fastgeo._geo")
