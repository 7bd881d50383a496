"""links-libpython -- the module has DT_NEEDED libpython3.X.so of another
Python version, so importing it maps a second interpreter into the process.

Built as `python3-config --ldflags --embed` (or a CMake FindPython with the
Development.Embed component) makes it: the module is linked against the
libpython of the interpreter at hand (here another version's, with its
rpath), then imported by this one. The loader finds and maps that libpython
next to the running interpreter; the import "works", and the two runtimes'
globals (type objects, the GIL, allocator state) are silently different
objects. manylinux forbids linking libpython for this reason (PEP 513).
The oracle shows the second libpython in /proc/self/maps after the import.
"""
import glob
import os

TITLE = "module linked against another Python version's libpython"


def other_libpython(ctx):
    other = ctx.other_interp()
    if other is None:
        return None, None
    x_y = "%d.%d" % other.version[:2]
    for d in (os.path.join(other.base_prefix, "lib"), "/usr/lib/x86_64-linux-gnu"):
        hits = sorted(glob.glob(os.path.join(d, "libpython%s.so.1.0" % x_y)))
        if hits:
            return other, hits[0]
    return other, None


def applies(ctx):
    other, lib = other_libpython(ctx)
    if lib is None:
        return "no other CPython version with a shared libpython here"
    return None


def build(ctx):
    other, lib = other_libpython(ctx)
    python, site = ctx.venv()
    libdir = os.path.dirname(lib)
    built = ctx.c_module("_geo", ctx.mkdir("built"), link_inputs=[lib],
                         ldflags=["-Wl,-rpath," + libdir])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel},
                    vars={"lib": os.path.basename(lib), "libpath": lib})


def oracle(ctx, case):
    code = ("import fastgeo._geo as m; m.answer(); "
            "print(sorted(set(l.split()[-1] for l in open('/proc/self/maps') if 'libpython' in l)))")
    ctx.expect_output(case, code, case.vars["libpath"])
    ctx.expect_tool([ctx.need("readelf"), "-d", case.roles["ext"]],
                    "[%s]" % case.vars["lib"], "readelf -d NEEDED")
