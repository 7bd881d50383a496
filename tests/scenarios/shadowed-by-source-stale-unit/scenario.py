"""shadowed-by-source -- an in-place build older than a source its DWARF names.

A setuptools project declares Extension("pkg._core", ["src/core.c"]) and is
built in place (`python setup.py build_ext --inplace`, what `pip install -e .`
also does with setuptools): pkg/_core.<tag>.so sits in the checkout. Then
src/core.c is edited -- value() now returns 2 -- and not rebuilt. Nothing
beside the module is named like it (no pkg/_core.c), so only the debug info
(setuptools compiles with CPython's CFLAGS, -g included) ties the module to
src/core.c. The real import succeeds and silently runs the old code:
`print(pkg._core.value())` prints 1.
"""
import os
import time

TITLE = "setuptools in-place build older than its source src/core.c (found by DWARF)"

SETUP = """from setuptools import setup, Extension
setup(name="pkg", version="1.0", packages=["pkg"],
      ext_modules=[Extension("pkg._core", ["src/core.c"])])
"""

CORE = """#include <Python.h>
static PyObject *value(PyObject *self, PyObject *args)
{
    return PyLong_FromLong(%d);
}
static PyMethodDef methods[] = {{"value", value, METH_NOARGS, ""}, {0}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_core", "", -1, methods};
PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&def); }
"""


def project(ctx):
    """The project, built in place an hour ago; returns (proj, module)."""
    proj = ctx.mkdir("proj")
    ctx.write(proj + "/setup.py", SETUP)
    ctx.write(proj + "/pkg/__init__.py", "")
    ctx.write(proj + "/src/core.c", CORE % 1, age=7200)
    so = ctx.setuptools_inplace(proj, "pkg._core", ["src/core.c"])
    t = time.time() - 3600
    os.utime(so, (t, t))
    return proj, so


def build(ctx):
    proj, so = project(ctx)
    ctx.write(proj + "/src/core.c", CORE % 2)   # edited now, not rebuilt
    return ctx.case("pkg._core", cwd=proj,
                    roles={"ext": so, "source": proj + "/src/core.c"})


def oracle(ctx, case):
    ctx.expect_output(case, "import pkg._core; print('value', pkg._core.value())", "value 1")
    src = case.roles["source"]
    ctx.expect(os.stat(src).st_mtime > os.stat(case.roles["ext"]).st_mtime + 60
               and "FromLong(2)" in open(src).read(),
               "src/core.c (returning 2) was written after the module was built")
