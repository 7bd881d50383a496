"""module-not-found -- the extension was built, but only into build/lib.*.

A setuptools checkout: `python setup.py build` compiled quickmath._fast
into build/lib.linux-x86_64-cpython-3XX/quickmath/ (with a copy of
__init__.py), never in place (no --inplace, no `pip install -e .`). Tests
run from the checkout, whose quickmath/ has only _fast.c:
ModuleNotFoundError: No module named 'quickmath._fast'
The built file exists; the report must name it and the in-place build (or
install) that fixes the import, not only "install the package".
"""
TITLE = "checkout whose extension exists only in build/lib.*"


def build(ctx):
    proj = ctx.mkdir("quickmath-checkout")
    ctx.write(proj + "/setup.py",
              "from setuptools import Extension, setup\n"
              "setup(name='quickmath', version='0.2', packages=['quickmath'],\n"
              "      ext_modules=[Extension('quickmath._fast', ['quickmath/_fast.c'])])\n")
    init = "from ._fast import answer\n"
    ctx.write(proj + "/quickmath/__init__.py", init)
    ctx.write(proj + "/quickmath/_fast.c", ctx.c_source("_fast"))
    blib = ctx.mkdir("quickmath-checkout", "build", "lib.linux-x86_64-cpython-%s" % ctx.py.xy)
    ctx.write(blib + "/quickmath/__init__.py", init)
    built = ctx.c_module("_fast", blib + "/quickmath")
    return ctx.case("quickmath._fast", cwd=proj, roles={"built": built},
                    vars={"proj": proj, "blib": blib})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'quickmath._fast'")
    ctx.expect_output(case, "import quickmath; print(quickmath.answer())", "42",
                      cwd=ctx.root, pythonpath=[case.vars["blib"]])
