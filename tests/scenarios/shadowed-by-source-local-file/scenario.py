"""shadowed-by-source -- your own fastgeo.py hides the installed library.

The newcomer's mistake: trying out the fastgeo library (installed in the
venv, with its compiled _geo), one saves the first experiment as
fastgeo.py in the working directory. `python -c` puts that directory first
on sys.path, so `import fastgeo` runs the experiment itself, whose own
`import fastgeo` returns the half-made module:
AttributeError: partially initialized module 'fastgeo' has no attribute
'answer' (most likely due to a circular import)
(3.13 words it "module 'fastgeo' has no attribute 'answer' (consider
renaming '.../fastgeo.py' if it has the same name as a third-party module
you intended to import)").
The cause is the file's name; the AttributeError only follows from it.
"""
TITLE = "fastgeo.py in the working directory hides the installed fastgeo library"

EXPERIMENT = "import fastgeo\n\nprint(fastgeo.answer())\n"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"))
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        "fastgeo/_geo" + ctx.py.ext_suffix: ("copy", built),
    })
    work = ctx.mkdir("experiments")
    local = ctx.write("experiments/fastgeo.py", EXPERIMENT)
    return ctx.case("fastgeo", python=python, cwd=work,
                    roles={"local": local, "lib": site + "/fastgeo"})


def oracle(ctx, case):
    # 3.8-3.12: "partially initialized module 'fastgeo' has no attribute
    # 'answer' (most likely due to a circular import)"; 3.13: "module
    # 'fastgeo' has no attribute 'answer' (consider renaming '...')".
    ctx.expect_import_error(case, "'fastgeo' has no attribute 'answer'")
    ctx.expect_output(case, "import fastgeo; print(fastgeo.answer())", "42", cwd=ctx.root)
