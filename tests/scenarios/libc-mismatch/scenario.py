"""libc-mismatch -- a module built against musl (a musllinux wheel, or
musl-gcc) on a glibc system.

musl's libc has the SONAME libc.so (Alpine: libc.musl-x86_64.so.1), which
glibc's loader does not know as a C library: it finds glibc's libc.so, a
linker script, or nothing at all.
ImportError: /lib/x86_64-linux-gnu/libc.so: invalid ELF header
"""
import shutil

TITLE = "module built with musl-gcc, imported by a glibc interpreter"


def applies(ctx):
    if shutil.which("musl-gcc") is None:
        return "musl-gcc is not installed (apt-get install musl-tools)"
    if ctx.py.version[:2] < (3, 9):
        # Python.h of 3.8 includes glibc's <crypt.h>, which needs glibc's
        # <sys/cdefs.h>: musl-gcc cannot compile against these headers.
        return "CPython %s's Python.h includes glibc's crypt.h, which musl-gcc cannot build" % ctx.py.version_str
    return None


def build(ctx):
    python, site = ctx.venv()
    # -idirafter: Debian keeps pyconfig.h under the multiarch directory,
    # which musl-gcc (-nostdinc) does not search; after musl's own headers
    # it supplies only what musl lacks.
    built = ctx.c_module("_geo", ctx.mkdir("built"), cc=shutil.which("musl-gcc"),
                         cflags=["-idirafter", "/usr/include"])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    }, tag=ctx.wheel_tag().replace("linux_x86_64", "musllinux_1_2_x86_64"))
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_import_error(case, "libc.so: invalid ELF header")
    ctx.expect_tool([ctx.need("readelf"), "-d", case.roles["ext"]], "[libc.so]",
                    "readelf -d NEEDED")
