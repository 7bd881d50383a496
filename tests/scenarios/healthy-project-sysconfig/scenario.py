"""healthy control -- a project directory whose files shadow standard modules.

A checkout that has its own `sysconfig.py`, `os.py`, `site.py`, `json.py`,
`argparse.py` and `traceback.py` (a build helper, a vendored module, an
accident), and a plain module beside them. The real `python -c "import
projmod"` in that directory never runs them: `os` and `site` are imported at
startup, before the working directory is put on sys.path, and nothing imports
the others. The probe must not run them either -- not in its facts child
(which used to `import sysconfig` with the working directory first: issue 9),
not in the load trial, not in the shim (`python -m extprobe` in the project
puts it first on sys.path, then imports json and argparse) -- and must report
the module as fine. Each trap appends its name to a marker
file; after each route the marker must be absent.
"""
import os

TITLE = "healthy: sysconfig.py, os.py, site.py, json.py ... in the project directory never run"

TRAP = """\
import os as _os
with open({marker!r}, "a") as _f:
    _f.write("{name}.py of the project ran in %d\\n" % _os.getpid())
"""
# os.py cannot import os: it records through the built-in posix module.
OS_TRAP = """\
import posix as _p
_fd = _p.open({marker!r}, _p.O_WRONLY | _p.O_CREAT | _p.O_APPEND, 0o644)
_p.write(_fd, b"os.py of the project ran\\n")
_p.close(_fd)
from posixpath import *
"""


def build(ctx, args=()):
    proj = ctx.mkdir("project")
    marker = os.path.join(ctx.root, "TRAP-RAN")
    for name in ("sysconfig", "site", "json", "argparse", "traceback"):
        ctx.write(os.path.join(proj, name + ".py"), TRAP.format(marker=marker, name=name))
    ctx.write(os.path.join(proj, "os.py"), OS_TRAP.format(marker=marker))
    ctx.write(os.path.join(proj, "projmod.py"), "def answer():\n    return 42\n")
    return ctx.case("projmod", cwd=proj, roles={"module": os.path.join(proj, "projmod.py")},
                    vars={"marker": marker}, args=args)


def _ran(case):
    marker = case.vars["marker"]
    if not os.path.exists(marker):
        return None
    with open(marker) as f:
        text = f.read().strip()
    os.unlink(marker)
    return text


def oracle(ctx, case):
    ctx.expect_output(case, "import projmod; print('answer', projmod.answer())", "answer 42")
    ran = _ran(case)
    ctx.expect(ran is None, "the real import runs none of the traps (%s)" % (ran or "ok"))
    # The trap is armed: an import of sysconfig with the working directory
    # first runs the project's file.
    ctx.run_python(case, "import sysconfig")
    ran = _ran(case)
    ctx.expect(ran is not None and "sysconfig.py of the project ran" in ran,
               "python -c 'import sysconfig' in the project runs its sysconfig.py (%s)" % ran)


def after_route(ctx, case, route):
    ran = _ran(case)
    return ["the probe ran the project's own files: %s" % ran.replace("\n", "; ")] if ran else []
