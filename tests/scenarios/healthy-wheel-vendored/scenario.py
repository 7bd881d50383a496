"""healthy-wheel-vendored -- the repaired wheel: the library carried along.

The same module as wheel-unvendored-library, but the wheel holds the library
in fastsnap.libs/ and the module's RUNPATH is $ORIGIN/../fastsnap.libs, as
`auditwheel repair` makes it. pip installs it and the import works; extprobe
must find nothing wrong (no wheel-unvendored-library for a vendored name).
"""
TITLE = "manylinux wheel with its library vendored in <pkg>.libs/ (control)"


def applies(ctx):
    if ctx.py.key != "debian-3.11":
        return "the audit does not depend on the interpreter; one run is enough"
    return None


def build(ctx):
    lib = ctx.shared_lib("libfxsnappy.so.1", "int fxsnappy_level(void) { return 3; }\n",
                         ctx.path("built", "libfxsnappy.so.1"))
    ext = ctx.c_module("_snap", ctx.mkdir("built"), link_inputs=[lib],
                       ldflags=["-Wl,-rpath,$ORIGIN/../fastsnap.libs"],
                       decls="int fxsnappy_level(void);",
                       body="return PyLong_FromLong(fxsnappy_level());",
                       purpose="needs libfxsnappy.so.1, vendored with RUNPATH $ORIGIN")
    whl = ctx.make_wheel("fastsnap", "1.0", "cp311-cp311-manylinux_2_28_x86_64", {
        "fastsnap/__init__.py": "",
        "fastsnap/_snap" + ctx.py.ext_suffix: ("copy", ext),
        "fastsnap.libs/libfxsnappy.so.1": ("copy", lib),
    })
    return ctx.wheel_case([whl], python=ctx.py.executable, pythonpath=[ctx.path("site")],
                          roles={"wheel": whl})


def oracle(ctx, case):
    r = ctx.pip_target(case.wheels[0], ctx.path("site"))
    ctx.expect(r.returncode == 0, "pip installs the wheel (%s)"
               % (r.describe() if r.returncode else "ok"))
    ctx.expect_output(case, "import fastsnap._snap as m; print(m.answer())", "3")
