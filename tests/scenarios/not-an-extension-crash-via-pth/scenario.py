"""not-an-extension (variant) -- a truncated module a .pth puts first kills
the package's import.

fastgeo (pure Python) uses an accelerator module, _geoaccel, when one is
installed. A vendor's overlay installed zz-accel.pth into site-packages,
whose import line puts /…/accel first on sys.path; its
_geoaccel.<tag>.so arrived cut at 4096 bytes (an interrupted copy). The
user only runs `import fastgeo`: the interpreter dies of SIGBUS inside it,
with no traceback and nothing naming the file. The report must trace the
crash to the extension being loaded (accel/_geoaccel...so) and explain it
as for that file: truncated.
"""
import signal

TITLE = "SIGBUS in import fastgeo: a .pth puts a truncated _geoaccel first"


def build(ctx):
    python, site = ctx.venv()
    accel = ctx.mkdir("accel")
    full = ctx.c_module("_geoaccel", ctx.mkdir("built"))
    ext = ctx.truncate(full, accel + "/_geoaccel" + ctx.py.ext_suffix, 4096)
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "import _geoaccel\n\nanswer = _geoaccel.answer\n",
    }, purelib=True)
    ctx.write(site + "/zz-accel.pth", "import sys; sys.path.insert(0, %r)\n" % accel)
    return ctx.case("fastgeo", python=python, roles={"ext": ext})


def oracle(ctx, case):
    ctx.expect_signal(case, signal.SIGBUS)
