"""healthy control -- a package guards its extension import, and it works.

The swallowed-import-error layout (try: from . import _ext / except
ImportError: _ext = None), but nothing shadows the install: the guarded
import succeeds, and there is nothing to report.
"""
TITLE = "healthy: try/except ImportError around an extension that loads"

INIT = ("try:\n    from . import _ext\nexcept ImportError:\n    _ext = None\n")


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_ext", ctx.mkdir("built"))
    rel = "guarded/_ext" + ctx.py.ext_suffix
    ctx.install_dist(site, "guarded", "1.0", {
        "guarded/__init__.py": INIT,
        rel: ("copy", built),
    })
    return ctx.case("guarded", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_output(case, "import guarded; print('ext', guarded._ext.answer())", "ext 42")
