"""unreadable (variant) -- the module is a dangling symlink.

The developer linked the build output into the package
(`ln -s ../build/lib.linux-x86_64-cpython-3XY/fastgeo/_geo...so fastgeo/`),
then `make clean` removed the build directory. The name is there, the file
is not; the finder's stat() fails and the error is the plain
ModuleNotFoundError: No module named 'fastgeo._geo'
-- also for root, so this variant runs everywhere.
"""
import os

TITLE = "module name is a symlink into a deleted build directory"


def build(ctx):
    proj = ctx.mkdir("fastgeo-src")
    ctx.write("fastgeo-src/fastgeo/__init__.py", "from ._geo import answer\n")
    name = "_geo" + ctx.py.ext_suffix
    target = "../build/lib.linux-x86_64-cpython-%s/fastgeo/%s" % (ctx.py.xy, name)
    link = proj + "/fastgeo/" + name
    os.symlink(target, link)
    return ctx.case("fastgeo._geo", cwd=proj, roles={"ext": link},
                    vars={"target": target})


def oracle(ctx, case):
    ctx.expect(os.path.islink(case.roles["ext"]) and not os.path.exists(case.roles["ext"]),
               "the module is a dangling symlink")
    ctx.expect_import_error(case, "No module named 'fastgeo._geo'")
