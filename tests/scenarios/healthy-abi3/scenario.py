"""healthy control -- one Limited-API (abi3) binary for every CPython >= 3.8.

Compiled once with Py_LIMITED_API=0x03080000 against the OLDEST CPython
headers here (as an abi3 wheel is built), named .abi3.so, installed with a
cp38-abi3 WHEEL tag into each interpreter's venv. It must import everywhere
and extprobe must report no error -- in particular no limited-api-violation.
"""
TITLE = "healthy: Limited-API abi3 module built once against the oldest headers"


def oldest(ctx):
    cands = [i for i in ctx.interps if i.has_python_h and not i.debug
             and not i.free_threaded and i.version[:2] >= (3, 8)]
    return min(cands, key=lambda i: i.version) if cands else None


def applies(ctx):
    return None if oldest(ctx) else "no CPython >= 3.8 headers to build against"


def build(ctx):
    ctx.require_abi3()
    hdr = oldest(ctx)
    python, site = ctx.venv()
    built = ctx.c_module("_speedups", ctx.mkdir("built"), interp=hdr, suffix=".abi3.so",
                         cflags=["-DPy_LIMITED_API=0x03080000"],
                         purpose="Limited API 3.8, built against %s." % hdr.key)
    ctx.install_dist(site, "goodabi3", "1.0", {
        "goodabi3/__init__.py": "from ._speedups import answer\n",
        "goodabi3/_speedups.abi3.so": ("copy", built),
    }, tag="cp38-abi3-linux_x86_64")
    return ctx.case("goodabi3._speedups", python=python,
                    roles={"ext": site + "/goodabi3/_speedups.abi3.so"})


def oracle(ctx, case):
    ctx.expect_output(case, "import goodabi3._speedups as m; print('answer', m.answer())",
                      "answer 42")
