"""module-not-found -- installed into another environment.

`maturin develop` picked another interpreter's environment (it found
CONDA_PREFIX / another venv first): fastgeo is installed, complete and
working, in venv-other, while the tests run with venv's python, which has
no fastgeo anywhere on its sys.path:
ModuleNotFoundError: No module named 'fastgeo'
"""
TITLE = "package installed into another venv than the one that imports it"


def build(ctx):
    python, site = ctx.venv("venv")
    other_python, other_site = ctx.venv("venv-other")
    built = ctx.c_module("_geo", ctx.mkdir("built"))
    ctx.install_dist(other_site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        "fastgeo/_geo" + ctx.py.ext_suffix: ("copy", built),
    })
    return ctx.case("fastgeo", python=python, roles={"other_site": other_site},
                    vars={"other_python": other_python})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo'")
    ctx.expect_output(case, "import fastgeo; print(fastgeo.answer())", "42",
                      python=case.vars["other_python"])
