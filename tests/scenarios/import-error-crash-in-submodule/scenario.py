"""import-error -- the interpreter dies inside a submodule's init.

crashy's __init__.py imports its compiled part crashy._core, whose
PyInit__core dereferences a NULL pointer (the kind of bug a module built
against mismatched headers or with a broken static initialiser shows).
`import crashy` does not raise: the process dies of SIGSEGV, Python prints
nothing but the shell's "Segmentation fault". The report must name the
extension that was being loaded -- crashy/_core.<tag>.so -- and explain it
as for that file, not a generic "ProcessDied" about crashy.
"""
import signal

TITLE = "SIGSEGV in the init of the submodule crashy._core"

INIT = ("PyObject *m = PyModule_Create(&def);\n"
        "    /* the bug: a write through a NULL pointer */\n"
        "    *(volatile int *)(void *)0 = 1;\n"
        "    return m;")


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_core", ctx.mkdir("built"), init=INIT,
                         purpose="Its init crashes with SIGSEGV.")
    rel = "crashy/_core" + ctx.py.ext_suffix
    ctx.install_dist(site, "crashy", "0.9", {
        "crashy/__init__.py": "from . import _core\n",
        rel: ("copy", built),
    })
    return ctx.case("crashy", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_signal(case, signal.SIGSEGV)
