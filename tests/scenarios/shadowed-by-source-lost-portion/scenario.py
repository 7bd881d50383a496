"""shadowed-by-source -- the compiled module in a namespace portion a regular
package leaves out.

A src-layout setuptools project: `python setup.py build_ext` (no build_py,
no --inplace) wrote only the compiled module to
build/lib.linux-x86_64-cpython-3XX/fastmod/ -- a directory without
__init__.py. The developer puts that tree first on PYTHONPATH and src/
after it, expecting the two copies of fastmod to merge. They do not: src/
has fastmod/__init__.py, a regular package wins over every portion
(PEP 420), fastmod.__path__ is [src/fastmod], and the build tree is never
searched, although it comes first:
ModuleNotFoundError: No module named 'fastmod._speed'
With only the build tree on PYTHONPATH the same file imports.
"""
TITLE = "build/lib.* tree without __init__.py first on PYTHONPATH, regular package in src/ later"


def build(ctx):
    proj = ctx.mkdir("fastmod-checkout")
    ctx.write("fastmod-checkout/setup.py",
              "from setuptools import Extension, setup\n"
              "setup(name='fastmod', version='0.3', package_dir={'': 'src'},\n"
              "      packages=['fastmod'],\n"
              "      ext_modules=[Extension('fastmod._speed', ['src/fastmod/_speed.c'])])\n")
    ctx.write("fastmod-checkout/src/fastmod/__init__.py", "from ._speed import answer\n")
    ctx.write("fastmod-checkout/src/fastmod/_speed.c", ctx.c_source("_speed"))
    blib = ctx.mkdir("fastmod-checkout", "build", "lib.linux-x86_64-cpython-%s" % ctx.py.xy)
    ext = ctx.c_module("_speed", ctx.mkdir("fastmod-checkout", "build",
                                           "lib.linux-x86_64-cpython-%s" % ctx.py.xy, "fastmod"))
    return ctx.case("fastmod._speed", cwd=ctx.mkdir("work"),
                    pythonpath=[blib, proj + "/src"],
                    roles={"ext": ext, "pkg": proj + "/src/fastmod"},
                    vars={"proj": proj, "blib": blib})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastmod._speed'")
    ctx.expect_output(case, "import fastmod._speed as s; print(s.answer())", "42",
                      pythonpath=[case.vars["blib"]])
