"""healthy control -- a setuptools in-place build that is current.

shadowed-by-source-stale-unit's project, Extension("pkg._core",
["src/core.c"]) built in place with `python setup.py build_ext --inplace`,
but src/core.c was not touched after the build. The debug info names
src/core.c (and the Python headers, /usr/include ...), all older than the
module: nothing to report. The real import runs the code of the source:
value() returns 1.
"""
from recipes import scenario_module

TITLE = "healthy: setuptools in-place build, source unchanged since"

stale_unit = scenario_module("shadowed-by-source-stale-unit")


def build(ctx):
    proj, so = stale_unit.project(ctx)
    return ctx.case("pkg._core", cwd=proj,
                    roles={"ext": so, "source": proj + "/src/core.c"})


def oracle(ctx, case):
    ctx.expect_output(case, "import pkg._core; print('value', pkg._core.value())", "value 1")
    ctx.expect("FromLong(1)" in open(case.roles["source"]).read(),
               "src/core.c is what was built")
