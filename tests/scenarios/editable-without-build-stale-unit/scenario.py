"""editable-without-build -- `pip install -e .`, then a source elsewhere edited.

The setuptools project of shadowed-by-source-stale-unit, Extension("pkg._core",
["src/core.c"]), installed in editable mode (setuptools >= 64 builds the
extension in place, writes __editable__.pkg-1.0.pth with the checkout's path
and pkg-1.0.dist-info with direct_url.json {"dir_info": {"editable": true}});
then src/core.c is edited -- value() now returns 2 -- and the install is not
redone. Nothing beside pkg/_core.<tag>.so is named like it; its debug info
names src/core.c. From any directory the import succeeds and runs the old
code: `print(pkg._core.value())` prints 1.
"""
from recipes import scenario_module

TITLE = "editable install whose in-place build is older than src/core.c (found by DWARF)"

stale_unit = scenario_module("shadowed-by-source-stale-unit")


def build(ctx):
    proj, so = stale_unit.project(ctx)
    python, site = ctx.venv()
    di = ctx.install_dist(site, "pkg", "1.0", {
        "__editable__.pkg-1.0.pth": proj + "\n",
    }, direct_url={"dir_info": {"editable": True}, "url": "file://" + proj},
        generator="setuptools (68.0.0)")
    ctx.write(proj + "/src/core.c", stale_unit.CORE % 2)   # edited now, not rebuilt
    return ctx.case("pkg._core", python=python,
                    roles={"ext": so, "source": proj + "/src/core.c", "dist_info": di})


def oracle(ctx, case):
    stale_unit.oracle(ctx, case)
