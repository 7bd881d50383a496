"""Helpers for the shim tests: they run under every available CPython >= 3.8
(.ci/run) with PYTHONPATH=<build>/pyshim, and build real extension modules for
the running interpreter with gcc."""
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest


def ext_suffix():
    return sysconfig.get_config_var("EXT_SUFFIX")


def build_extension(src, out_dir, name, body="return PyLong_FromLong(42);", pyinit=None):
    """Compile a one-function module `name` for this interpreter into out_dir."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    pyinit = pyinit or name
    c = os.path.join(str(src), name + ".c")
    with open(c, "w") as f:
        f.write("""
/* test module %(name)s, init name %(pyinit)s */
#include <Python.h>
static PyObject *f(PyObject *s, PyObject *a) { (void)s; (void)a; %(body)s }
static PyMethodDef m[] = {{"f", f, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, "%(name)s", NULL, -1, m};
PyMODINIT_FUNC PyInit_%(pyinit)s(void) { return PyModule_Create(&d); }
""" % {"name": name, "pyinit": pyinit, "body": body})
    out = os.path.join(str(out_dir), name + ext_suffix())
    subprocess.check_call([gcc, "-shared", "-fPIC", "-O0", "-I", sysconfig.get_paths()["include"],
                           c, "-o", out])
    return out


def shim_dir():
    """The directory holding the extprobe package under test, absolute."""
    import extprobe
    return os.path.dirname(os.path.dirname(os.path.abspath(extprobe.__file__)))


def run_python(args, cwd, env_extra=None):
    """Run this interpreter with the shim importable; env_extra's PYTHONPATH
    entries come after the shim's."""
    env = dict(os.environ)
    extra = dict(env_extra or {})
    paths = [shim_dir()] + [p for p in extra.pop("PYTHONPATH", "").split(os.pathsep) if p]
    # Keep what the test run itself had (pytest borrowed from Debian, say).
    paths += [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra)
    return subprocess.run([sys.executable] + args, cwd=str(cwd), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120)
