"""cxx-abi-ld-library-path -- an old libstdc++ directory in LD_LIBRARY_PATH
(a conda environment's lib/, an old toolchain) comes before the system's.

The usual conda story: `export LD_LIBRARY_PATH=$CONDA_PREFIX/lib` puts the
environment's libstdc++.so.6 before the system's for every program. Here
that directory holds GCC 11's real libstdc++.so.6.0.29 (Debian's
libstdc++6-11-dbg, up to GLIBCXX_3.4.29), and the module, built by g++ 12
with -D_GLIBCXX_ASSERTIONS, needs GLIBCXX_3.4.30:
ImportError: .../conda/lib/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by .../_geo...so)
"""
import os
from recipes import scenario_module

base = scenario_module("cxx-abi")

TITLE = "module needs GLIBCXX_3.4.30, LD_LIBRARY_PATH holds GCC 11's libstdc++"


def applies(ctx):
    return base.applies(ctx)


def build(ctx):
    python, site = ctx.venv()
    geo = base.cxx_module(ctx, "_geo", True)
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "",
        rel: ("copy", geo),
    }, tag=ctx.wheel_tag())
    libdir = ctx.mkdir("conda", "lib")
    old = ctx.copy(base.OLD_LIBSTDCXX, os.path.join(libdir, "libstdc++.so.6"))
    return ctx.case("fastgeo._geo", python=python, env={"LD_LIBRARY_PATH": libdir},
                    roles={"ext": site + "/" + rel, "oldlib": old})


def oracle(ctx, case):
    ctx.expect_import_error(case, "conda/lib/libstdc++.so.6: version `GLIBCXX_3.4.30' "
                                  "not found (required by ")
