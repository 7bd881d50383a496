"""cxx-abi -- the libstdc++ a wheel vendors is older than the compiler that
built its module.

A C++ module built by this system's g++ 12 with -D_GLIBCXX_ASSERTIONS (as
Fedora and Arch build C++): std::vector::operator[] checks its index through
std::__glibcxx_assert_fail, which libstdc++ defines from GLIBCXX_3.4.30
(GCC 12) on. The wheel ships a libstdc++.so.6 of its own in fastgeo.libs/
(RUNPATH $ORIGIN/../fastgeo.libs, SONAME unchanged -- not an auditwheel
repair): the real GCC 11 libstdc++.so.6.0.29 of Debian's libstdc++6-11-dbg,
which defines up to GLIBCXX_3.4.29. The loader takes the vendored copy
before the system's and refuses the module:
ImportError: .../fastgeo.libs/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by .../_geo...so)
"""
import os
import shutil

TITLE = "module needs GLIBCXX_3.4.30, its wheel vendors GCC 11's libstdc++ (3.4.29)"

OLD_LIBSTDCXX = "/usr/lib/x86_64-linux-gnu/debug/libstdc++.so.6.0.29"
DECLS = ("#include <vector>\n"
         "/* volatile: an index the compiler cannot prove in range, so the\n"
         " * assertion (GLIBCXX_3.4.30) stays in the code */\n"
         "static volatile long idx = 1;\n"
         "static long pick(long i) { std::vector<long> v(3, 42); return v[i]; }")
BODY = "return PyLong_FromLong(pick(idx));"


def applies(ctx):
    if not os.path.exists(OLD_LIBSTDCXX):
        return "no GCC 11 libstdc++ (%s; apt-get install libstdc++6-11-dbg)" % OLD_LIBSTDCXX
    if shutil.which("g++") is None:
        return "g++ is not installed"
    return None


def cxx_module(ctx, name, assertions, ldflags=()):
    return ctx.c_module(name, ctx.mkdir("built"), cc=shutil.which("g++"),
                        cflags=["-D_GLIBCXX_ASSERTIONS"] if assertions else [],
                        ldflags=list(ldflags), decls=DECLS, body=BODY,
                        purpose="C++ (g++ 12)%s" % (
                            ", -D_GLIBCXX_ASSERTIONS: needs GLIBCXX_3.4.30" if assertions else ""))


def build(ctx):
    python, site = ctx.venv()
    built = cxx_module(ctx, "_geo", True, ["-Wl,-rpath,$ORIGIN/../fastgeo.libs"])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
        "fastgeo.libs/libstdc++.so.6": ("copy", OLD_LIBSTDCXX),
    }, tag=ctx.wheel_tag())
    return ctx.case("fastgeo._geo", python=python,
                    roles={"ext": site + "/" + rel,
                           "oldlib": site + "/fastgeo.libs/libstdc++.so.6"})


def oracle(ctx, case):
    ctx.expect_import_error(case, "fastgeo.libs/libstdc++.so.6: version `GLIBCXX_3.4.30' "
                                  "not found (required by ")
    ctx.expect_tool([ctx.need("readelf"), "-V", case.roles["ext"]], "Name: GLIBCXX_3.4.30",
                    "readelf -V (the module)")
