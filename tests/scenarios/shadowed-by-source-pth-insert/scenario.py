"""shadowed-by-source -- a .pth import line puts a source checkout first.

The package is installed in a venv with its compiled module. A .pth file in
site-packages -- left behind by an old `setup.py develop`, or written by a
tool -- holds an import line, `import sys; sys.path.insert(0, CHECKOUT)`, so
every start of the interpreter puts the checkout (sources only, never built)
ahead of site-packages, and `import fastpkg` fails with
ImportError: cannot import name '_ext' from partially initialized module
'fastpkg'.
The entry is the .pth file's doing, and the report must say so: its origin
is pth with that file (not "other"), and the finding names the file to
delete (issue 9). The oracle shows the entry comes with site's startup step:
`python -S` has no such entry.
"""
import os

import recipes

TITLE = "a .pth import line inserts a source checkout ahead of the installed package"


def build(ctx):
    python, site = ctx.venv()
    ext = ctx.c_module("_ext", ctx.mkdir("built"))
    init = "from . import _ext\n"
    ctx.install_dist(site, "fastpkg", "1.0", {
        "fastpkg/__init__.py": init,
        "fastpkg/_ext" + ctx.py.ext_suffix: ("copy", ext),
    })
    checkout = ctx.mkdir("checkout")
    ctx.write(os.path.join(checkout, "fastpkg", "__init__.py"), init)
    pth = os.path.join(site, "zz_dev_checkout.pth")
    ctx.write(pth, "import sys; sys.path.insert(0, %r)\n" % checkout)
    return ctx.case("fastpkg", python=python, cwd=ctx.mkdir("work"),
                    roles={"checkout": checkout,
                           "checkout_pkg": os.path.join(checkout, "fastpkg"),
                           "installed_pkg": os.path.join(site, "fastpkg"),
                           "pth": pth})


def oracle(ctx, case):
    ctx.expect_import_error(case, "cannot import name '_ext'")
    checkout = case.roles["checkout"]
    # `-c` puts '' first after site ran, so the .pth's insert(0) is index 1.
    r = ctx.run_python(case, "import sys; print(sys.path.index(%r))" % checkout)
    ctx.expect(r.returncode == 0 and r.stdout.strip() == "1",
               "the checkout is sys.path[1] of `python -c` (%s)" % r.describe())
    # Without site's startup step (-S) the entry is not there: the .pth adds it.
    p = recipes.run(case.wrap([case.python, "-S", "-c",
                               "import sys; print(%r in sys.path)" % checkout]),
                    cwd=case.cwd, env=case.child_env())
    ctx.expect(p.returncode == 0 and p.stdout.strip() == "False",
               "python -S (no site step) has no such entry (%s)" % p.describe())
