"""wheel-unvendored-library -- a manylinux wheel that needs a library it does not carry.

The module links the project's own libfxsnappy.so.1, present on the build
machine; nobody ran `auditwheel repair`, so the wheel was tagged manylinux
by hand and uploaded without the library. pip installs it; the import on any
other machine fails with:
ImportError: libfxsnappy.so.1: cannot open shared object file: No such file or directory
"""
TITLE = "manylinux wheel whose module needs a library that is not vendored"


def applies(ctx):
    if ctx.py.key != "debian-3.11":
        return "the audit does not depend on the interpreter; one run is enough"
    return None


def build(ctx):
    lib = ctx.shared_lib("libfxsnappy.so.1", "int fxsnappy_level(void) { return 3; }\n",
                         ctx.path("built", "libfxsnappy.so.1"))
    ext = ctx.c_module("_snap", ctx.mkdir("built"), link_inputs=[lib],
                       decls="int fxsnappy_level(void);",
                       body="return PyLong_FromLong(fxsnappy_level());",
                       purpose="needs libfxsnappy.so.1, not in the wheel")
    rel = "fastsnap/_snap" + ctx.py.ext_suffix
    whl = ctx.make_wheel("fastsnap", "1.0", "cp311-cp311-manylinux_2_28_x86_64", {
        "fastsnap/__init__.py": "",
        rel: ("copy", ext),
    })
    return ctx.wheel_case([whl], python=ctx.py.executable, pythonpath=[ctx.path("site")],
                          roles={"wheel": whl, "ext": rel})


def oracle(ctx, case):
    r = ctx.pip_target(case.wheels[0], ctx.path("site"))
    ctx.expect(r.returncode == 0, "pip installs the wheel (%s)"
               % (r.describe() if r.returncode else "ok"))
    ctx.expect_import_error(case, "libfxsnappy.so.1: cannot open shared object file",
                            code="import fastsnap._snap")
