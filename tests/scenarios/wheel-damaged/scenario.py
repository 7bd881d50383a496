"""wheel-damaged -- a wheel cut short by an interrupted upload.

The CI job's artifact upload was interrupted; the file keeps its wheel name
but ends after 60% of its bytes, so the zip central directory is gone. pip:
ERROR: Wheel 'fastgeo' located at .../fastgeo-2.1-cp311-cp311-linux_x86_64.whl is invalid.
extprobe names the file and libzip's reason on stderr and exits 1.
"""
import os

TITLE = "a real wheel truncated to 60% of its bytes"


def applies(ctx):
    if ctx.py.key != "debian-3.11":
        return "the audit does not depend on the interpreter; one run is enough"
    return None


def build(ctx):
    ext = ctx.c_module("_geo", ctx.mkdir("built"))
    whl = ctx.make_wheel("fastgeo", "2.1", ctx.wheel_tag(), {
        "fastgeo/__init__.py": "from ._geo import *\n",
        "fastgeo/_geo" + ctx.py.ext_suffix: ("copy", ext),
    }, out_dir=ctx.mkdir("full"))
    cut = ctx.path("dist", os.path.basename(whl))
    ctx.truncate(whl, cut, os.path.getsize(whl) * 6 // 10)
    return ctx.wheel_case([cut], target=ctx.wheel_tag(), roles={"wheel": cut})


def oracle(ctx, case):
    r = ctx.pip_target(case.wheels[0], ctx.path("site"))
    text = r.stdout + r.stderr
    ctx.expect(r.returncode not in (0, "timeout") and "is invalid" in text,
               "pip refuses the truncated wheel as invalid (%s)" % r.describe())
