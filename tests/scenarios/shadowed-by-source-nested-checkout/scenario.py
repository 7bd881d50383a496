"""shadowed-by-source -- the fix names the package's own project root.

A monorepo: its root has a pyproject.toml (the repository's own tooling),
and libs/fastgeo/ is a package built by plain meson (meson.build, no
pyproject.toml), installed into the venv with its compiled _geo. Run from
libs/fastgeo/, the checkout's fastgeo/ (sources only) shadows the installed
copy:
ModuleNotFoundError: No module named 'fastgeo._geo'
The fix must build in libs/fastgeo -- the package's project, found from the
package directory upwards -- and must not send the user to the monorepo
root to `pip install -e .` a different project (what the bundled example
showed: "cd /work/main && ... pip install -e .").
"""
TITLE = "checkout with meson.build inside a repository whose root has pyproject.toml"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"))
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        "fastgeo/_geo" + ctx.py.ext_suffix: ("copy", built),
    })
    ctx.write("monorepo/pyproject.toml",
              '[project]\nname = "monorepo-tools"\nversion = "0"\n')
    proj = ctx.mkdir("monorepo", "libs", "fastgeo")
    ctx.write(proj + "/meson.build",
              "project('fastgeo', 'c')\npy = import('python').find_installation()\n"
              "py.extension_module('_geo', 'fastgeo/_geo.c', subdir: 'fastgeo', install: true)\n"
              "py.install_sources('fastgeo/__init__.py', subdir: 'fastgeo')\n")
    ctx.write(proj + "/fastgeo/__init__.py", "from ._geo import answer\n")
    ctx.write(proj + "/fastgeo/_geo.c", ctx.c_source("_geo"))
    return ctx.case("fastgeo", python=python, cwd=proj,
                    roles={"checkout_pkg": proj + "/fastgeo"},
                    vars={"proj": proj, "outer": ctx.path("monorepo")})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo._geo'")
    ctx.expect_output(case, "import fastgeo; print(fastgeo.answer())", "42", cwd=ctx.root)
