"""wheel-record-mismatch -- a wheel edited after it was built.

A maintainer fixed a typo in a built wheel with `unzip` + `zip -u` instead of
rebuilding it; RECORD still holds the old sha256 and size. pip 23 installs it
without a word, `python -m wheel unpack` (and any installer that verifies)
refuses it: Hash mismatch for file 'tinyhttp/__init__.py'.
"""
import os
import shutil

import recipes

TITLE = "a member changed with zip after the build; RECORD kept the old hash"


def applies(ctx):
    if ctx.py.key != "debian-3.11":
        return "the audit does not depend on the interpreter; one run is enough"
    return None


def build(ctx):
    whl = ctx.make_wheel("tinyhttp", "0.3", "py3-none-any", {
        "tinyhttp/__init__.py": "VERSION = '0.3'\n",
        "tinyhttp/client.py": "def get(url):\n    return url\n",
    })
    work = ctx.mkdir("edit")
    ctx.write(os.path.join(work, "tinyhttp", "__init__.py"), "VERSION = '0.3.1'\n")
    zip_tool = shutil.which("zip")
    if zip_tool is None:
        raise recipes.Skip("zip is not installed")
    r = recipes.run([zip_tool, "-q", whl, "tinyhttp/__init__.py"], cwd=work)
    if r.returncode != 0:
        raise recipes.RecipeError("zip -u failed: " + r.describe())
    return ctx.wheel_case([whl], target="cp311-manylinux_2_17_x86_64",
                          roles={"wheel": whl, "member": "tinyhttp/__init__.py"})


def oracle(ctx, case):
    ctx.expect_run(["/usr/bin/python3", "-m", "wheel", "unpack", "-d", ctx.path("unpacked"),
                    case.wheels[0]], "Hash mismatch for file 'tinyhttp/__init__.py'",
                   "python -m wheel unpack")
