"""healthy control -- a wheel that ships its Cython source beside the module.

Many Cython projects put the .pyx (and .pxd) into the wheel next to the
compiled module. An installer writes the files in the wheel's order, each
with the time it was written, so the .pyx written after the .so is "newer"
by microseconds: that says nothing about the build. The module imports and
is current; nothing is to be reported (no "built before its source last
changed").
"""
TITLE = "healthy: installed wheel with _speedups.pyx beside the compiled module"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_speedups", ctx.mkdir("built"))
    rel = "fastpkg/_speedups" + ctx.py.ext_suffix
    # Installed in sorted order: the .so first, then the .pyx, written after.
    ctx.install_dist(site, "fastpkg", "1.0", {
        "fastpkg/__init__.py": "",
        rel: ("copy", built),
        "fastpkg/_speedups.pyx": "def answer():\n    return 42\n",
        "fastpkg/_speedups.pxd": "",
    })
    return ctx.case("fastpkg._speedups", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_output(case, "import fastpkg._speedups as m, os; "
                      "so = os.stat(m.__file__).st_mtime_ns; "
                      "pyx = os.stat(os.path.join(os.path.dirname(m.__file__), '_speedups.pyx')).st_mtime_ns; "
                      "print('answer', m.answer(), 'pyx newer', pyx > so)",
                      "answer 42 pyx newer True")
