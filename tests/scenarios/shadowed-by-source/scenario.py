"""shadowed-by-source -- the seeds' Cython story, flat layout.

A project with Cython extensions in a flat layout (rustybt/ at the top of the
checkout) is installed into a venv with `pip install .`: site-packages gets
rustybt/gens/sim_engine.<tag>.so. The CI smoke test then runs
`python -c "import rustybt"` from the checkout. sys.path[0] is the checkout,
whose rustybt/ has only sim_engine.pyx, and the import chain
rustybt -> rustybt.finance.cancel_policy -> rustybt.gens.sim_engine fails with
ModuleNotFoundError: No module named 'rustybt.gens.sim_engine'.
The same command from any other directory works (checked by the oracle too).

Built: sim_engine with cython3 + gcc against the interpreter's headers
(plain C with the same API on CPython >= 3.13, which Cython 0.29 does not
support).
"""

import os

TITLE = "flat-layout checkout shadows the installed Cython extension (seed 002)"

INIT = "from rustybt.finance import cancel_policy  # noqa: F401\n__version__ = '0.1'\n"
CANCEL = ("# rustybt/finance/cancel_policy.py\n"
          "from rustybt.gens.sim_engine import SESSION_END\n\n"
          "class EODCancel:\n    when = SESSION_END\n")
SETUP = '''from setuptools import Extension, setup
from Cython.Build import cythonize

setup(ext_modules=cythonize([Extension("rustybt.gens.sim_engine",
                                       ["rustybt/gens/sim_engine.pyx"])]))
'''
PLAIN_C_BODY = "return PyLong_FromLong(4);"


def package_files(ctx):
    return {
        "rustybt/__init__.py": INIT,
        "rustybt/finance/__init__.py": "",
        "rustybt/finance/cancel_policy.py": CANCEL,
        "rustybt/gens/__init__.py": "",
    }


def build(ctx):
    python, site = ctx.venv()
    gens = ctx.mkdir("built")
    try:
        ext = ctx.cython_module(ctx.source("sim_engine.pyx"), "sim_engine", gens)
    except ctx.Skip:
        # CPython 3.13: same module by hand (SESSION_END = 4 as a module attribute).
        ext = ctx.c_module("sim_engine", gens, body=PLAIN_C_BODY,
                           init="PyObject *m = PyModule_Create(&def);\n"
                                "    if (m && PyModule_AddIntConstant(m, \"SESSION_END\", 4) < 0) {\n"
                                "        Py_DECREF(m);\n        return NULL;\n    }\n"
                                "    return m;",
                           purpose="Stands in for the Cython module on CPython >= 3.13.")
    files = package_files(ctx)
    rel_ext = "rustybt/gens/" + os.path.basename(ext)
    files[rel_ext] = ("copy", ext)
    ctx.install_dist(site, "rustybt", "0.1", files)
    # The checkout: the same package, sources only (no build in the tree).
    proj = ctx.mkdir("rustybt-checkout")
    for rel, text in package_files(ctx).items():
        ctx.write("rustybt-checkout/" + rel, text)
    ctx.write("rustybt-checkout/rustybt/gens/sim_engine.pyx", ctx.read_source("sim_engine.pyx"))
    ctx.write("rustybt-checkout/setup.py", SETUP)
    ctx.write("rustybt-checkout/pyproject.toml",
              "[build-system]\nrequires = ['setuptools>=64', 'Cython>=0.29']\n"
              "build-backend = 'setuptools.build_meta'\n\n"
              "[project]\nname = 'rustybt'\nversion = '0.1'\n")
    return ctx.case("rustybt", python=python, cwd=proj, roles={
        "checkout": proj,
        "checkout_pkg": proj + "/rustybt",
        "installed_ext": site + "/" + rel_ext,
        "installed_pkg": site + "/rustybt",
    }, vars={"site": site})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'rustybt.gens.sim_engine'")
    # From a neutral directory the installed copy imports: the checkout is the cause.
    ctx.expect_output(case, "import rustybt.gens.sim_engine as m; print('SESSION_END', m.SESSION_END)",
                      "SESSION_END 4", cwd=ctx.mkdir("elsewhere"))
