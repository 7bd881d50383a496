"""import-error -- the module loads, and its init raises.

A module built against NumPy 2's C API runs with NumPy 1.x: import_array()
in PyInit prints the RuntimeError and raises ImportError. Reproduced
without NumPy: the init does exactly what NumPy's import_array() macro does
on a version mismatch (PyErr_Format, PyErr_Print, PyErr_SetString, return NULL).
stderr:
RuntimeError: module compiled against API version 0x10 but this version of numpy is 0xf
ImportError: numpy.core.multiarray failed to import
"""
TITLE = "PyInit raises (NumPy C-API version mismatch, as import_array() reports it)"

INIT = ('PyErr_Format(PyExc_RuntimeError, "module compiled against API version 0x%x but this "\n'
        '                 "version of numpy is 0x%x", 0x10, 0xf);\n'
        '    PyErr_Print();\n'
        '    PyErr_SetString(PyExc_ImportError, "numpy.core.multiarray failed to import");\n'
        '    return NULL;')


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_filters", ctx.mkdir("built"), init=INIT,
                         purpose="PyInit fails as NumPy's import_array() does.")
    rel = "imgkit/_filters" + ctx.py.ext_suffix
    ctx.install_dist(site, "imgkit", "3.0", {
        "imgkit/__init__.py": "",
        rel: ("copy", built),
    })
    return ctx.case("imgkit._filters", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    r = ctx.expect_import_error(case, "ImportError: numpy.core.multiarray failed to import")
    ctx.expect("RuntimeError: module compiled against API version 0x10 but this version of numpy "
               "is 0xf" in r.stderr, "the RuntimeError is printed first")
