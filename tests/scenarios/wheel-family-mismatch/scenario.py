"""wheel-family-mismatch -- a native wheel built without its accelerator.

speedups 1.2 ships a pure wheel (the fallback) and native wheels. The
package imports its compiled module under a guard:
    try: from ._native import add; _AVAILABLE = True
    except ImportError: _AVAILABLE = False
The cp311 wheel holds speedups/_native; in the cp312 job the compiler was
missing, setuptools' optional=True let the build go on, and the cp312 wheel
was published without it. Installed for CPython 3.12 nothing fails:
speedups.is_available() quietly returns False.
"""
TITLE = "pure + native wheels of one release; the cp312 wheel lacks the module"

INIT = """try:
    from ._native import answer
    _AVAILABLE = True
except ImportError:
    _AVAILABLE = False


def is_available():
    return _AVAILABLE
"""


def applies(ctx):
    if ctx.py.key != "3.12":
        return "the audit does not depend on the interpreter; the story is CPython 3.12"
    return None


def build(ctx):
    ext = ctx.c_module("_native", ctx.mkdir("built"),
                       suffix=".cpython-311-x86_64-linux-gnu.so",
                       purpose="the accelerator of the cp311 wheel")
    dist = ctx.mkdir("dist")
    broken = ctx.make_wheel("speedups", "1.2", "cp312-cp312-manylinux_2_17_x86_64",
                            {"speedups/__init__.py": INIT}, out_dir=dist)
    good = ctx.make_wheel("speedups", "1.2", "cp311-cp311-manylinux_2_17_x86_64", {
        "speedups/__init__.py": INIT,
        "speedups/_native.cpython-311-x86_64-linux-gnu.so": ("copy", ext),
    }, out_dir=dist)
    pure = ctx.make_wheel("speedups", "1.2", "py3-none-any",
                          {"speedups/__init__.py": INIT}, out_dir=dist)
    return ctx.wheel_case([broken, good, pure], target="cp312-manylinux_2_17_x86_64",
                          pythonpath=[ctx.path("site")],
                          roles={"broken": broken, "good": good, "pure": pure})


def oracle(ctx, case):
    r = ctx.pip_target(case.roles["broken"], ctx.path("site"), python_version="3.12",
                       platform="manylinux_2_17_x86_64", abi="cp312")
    ctx.expect(r.returncode == 0, "pip installs the cp312 wheel for CPython 3.12 (%s)"
               % (r.describe() if r.returncode else "ok"))
    ctx.expect_output(case, "import speedups; print(speedups.is_available())", "False")
