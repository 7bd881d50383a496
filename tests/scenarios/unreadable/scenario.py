"""unreadable -- the module file cannot be read by the user who imports it.

`sudo pip install` under umask 077 (or a hand `chmod`) left the compiled
module without read permission for anyone but root (mode 000 here). The
service user imports it: the finder sees the name (stat works), dlopen() cannot
open the file:
ImportError: .../_geo.cpython-3XY-x86_64-linux-gnu.so: cannot open shared object file: Permission denied

root bypasses permission bits, so when the suite runs as root the oracle and
both routes run as user nobody (setpriv); interpreters nobody cannot reach
(pyenv under /root) are skipped.
"""
import os

TITLE = "module file of mode 000, imported by an unprivileged user"


def build(ctx):
    run_as = ctx.unprivileged(ctx.py.executable)
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"))
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "",
        rel: ("copy", built),
    })
    os.chmod(site + "/" + rel, 0)
    return ctx.case("fastgeo._geo", python=python, run_as=run_as,
                    roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_import_error(case, "cannot open shared object file: Permission denied")
