"""wheel-tag-mismatch -- an abi3 wheel that holds a module named for one version.

The release job ran `python setup.py bdist_wheel --py-limited-api=cp38`, which
tags the wheel `cp38-abi3`, but the Extension lacked `py_limited_api=True`,
so the module kept the building interpreter's name,
`_parse.cpython-311-x86_64-linux-gnu.so`. pip installs the wheel on CPython
3.12 (abi3 serves every newer version), and there:
ModuleNotFoundError: No module named 'fastcsv._parse'
The wheel contradicts itself; extprobe says so before anything is installed.
"""
import os

TITLE = "cp38-abi3 wheel holding a .cpython-311 module, installed for 3.12"


def applies(ctx):
    if ctx.py.key != "3.12":
        return "the audit does not depend on the interpreter; the story is CPython 3.12"
    return None


def build(ctx):
    ext = ctx.c_module("_parse", ctx.mkdir("built"),
                       suffix=".cpython-311-x86_64-linux-gnu.so",
                       purpose="named for 3.11, shipped in a cp38-abi3 wheel")
    whl = ctx.make_wheel("fastcsv", "2.0", "cp38-abi3-linux_x86_64", {
        "fastcsv/__init__.py": "from ._parse import *\n",
        "fastcsv/_parse.cpython-311-x86_64-linux-gnu.so": ("copy", ext),
    })
    return ctx.wheel_case([whl], python=ctx.py.executable,
                          roles={"wheel": whl,
                                 "ext": "fastcsv/_parse.cpython-311-x86_64-linux-gnu.so"},
                          pythonpath=[ctx.path("site")])


def oracle(ctx, case):
    r = ctx.pip_target(case.wheels[0], ctx.path("site"), python_version="3.12",
                       platform="linux_x86_64", abi="abi3")
    ctx.expect(r.returncode == 0, "pip installs the cp38-abi3 wheel for CPython 3.12 (%s)"
               % (r.describe() if r.returncode else "ok"))
    ctx.expect(os.path.isfile(ctx.path("site", "fastcsv",
                                       "_parse.cpython-311-x86_64-linux-gnu.so")),
               "the module file is installed")
    ctx.expect_import_error(case, "No module named 'fastcsv._parse'",
                            code="import fastcsv")
