"""healthy control -- the load trial leaves no bytecode behind.

A source checkout with a pure package, and bytecode writing on (no
PYTHONDONTWRITEBYTECODE): the real `python -c "import projpkg"` writes
projpkg/__pycache__/*.pyc. The probe's load trial imports it for real, but
runs with -B: it must leave the checkout as it found it (issue 9; what a
trial may write is the imported module's own doing, docs/design/children.md).
"""
import os
import shutil

TITLE = "healthy: the import trial writes no __pycache__ into the project"


def build(ctx):
    proj = ctx.mkdir("project")
    ctx.write(os.path.join(proj, "projpkg", "__init__.py"), "from . import core\n")
    ctx.write(os.path.join(proj, "projpkg", "core.py"), "def answer():\n    return 42\n")
    # An empty value turns the scenario runner's PYTHONDONTWRITEBYTECODE off.
    return ctx.case("projpkg", cwd=proj, env={"PYTHONDONTWRITEBYTECODE": ""},
                    roles={"pkg": os.path.join(proj, "projpkg")})


def _caches(case):
    found = []
    for d, dirs, _ in os.walk(case.cwd):
        found += [os.path.join(d, x) for x in dirs if x == "__pycache__"]
    return found


def oracle(ctx, case):
    ctx.expect_output(case, "import projpkg; print('answer', projpkg.core.answer())",
                      "answer 42")
    caches = _caches(case)
    ctx.expect(caches, "the real import writes bytecode into the project (%s)" % caches)
    for c in caches:
        shutil.rmtree(c)


def after_route(ctx, case, route):
    caches = _caches(case)
    for c in caches:
        shutil.rmtree(c)
    return ["the probe wrote bytecode into the project: %s" % caches] if caches else []
