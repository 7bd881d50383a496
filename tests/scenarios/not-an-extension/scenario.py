"""not-an-extension -- a truncated module kills the interpreter (SIGBUS).

An interrupted copy (a full disk, a killed `pip install`, a half-synced
cache) left the first 4096 bytes of a real module in site-packages
(`head -c 4096`). The headers are intact, so dlopen() maps the segments;
reading the dynamic section past the end of the file raises SIGBUS: no
ImportError, no traceback, the shell prints "Bus error" and the exit status is
135.
"""
TITLE = "module truncated to 4096 bytes (head -c): the import dies of SIGBUS"

import signal  # noqa: E402


def build(ctx):
    python, site = ctx.venv()
    full = ctx.c_module("_geo", ctx.mkdir("built"))
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "",
        rel: ("copy", full),
    })
    ctx.truncate(full, site + "/" + rel, 4096)
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_signal(case, signal.SIGBUS)
