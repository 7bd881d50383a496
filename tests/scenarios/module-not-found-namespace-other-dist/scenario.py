"""module-not-found -- the namespace portion installed is another distribution's.

A plugin family shares the PEP 420 namespace acme: acme-core ships
acme/core.py (no acme/__init__.py, as namespace distributions must), and the
compiled acme.fastcore comes from a separate distribution, acme-fastcore,
that was never installed. acme-core is pure Python and was meant to be:
blaming its wheel ("a pure-Python build was installed") would send the user
to rebuild the wrong project. Python says only
ModuleNotFoundError: No module named 'acme.fastcore'
and the verdict is that no portion of acme provides it.
"""
TITLE = "namespace acme from the pure acme-core; acme.fastcore's distribution is not installed"


def build(ctx):
    python, site = ctx.venv()
    di = ctx.install_dist(site, "acme-core", "1.0", {
        "acme/core.py": "def slug(s):\n    return s.lower()\n",
    }, purelib=True, tag="py3-none-any")
    return ctx.case("acme.fastcore", python=python, roles={
        "portion": site + "/acme", "dist_info": di,
    })


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'acme.fastcore'")
    ctx.expect_output(case, "import acme.core as c; print(c.slug('OK'))", "ok")
