"""module-not-found -- the namespace parent has no portion with the submodule.

A checkout of acme's namespace plugins: acme/ holds utils.py and no
__init__.py (PEP 420 namespace, as the project intends), and the compiled
plugin acme.fastcore was never built or installed. Run from the checkout,
`import acme` works (a namespace package), but every portion of acme on
sys.path is merged into its __path__ and none has fastcore:
ModuleNotFoundError: No module named 'acme.fastcore'
The namespace is legal and hides nothing; the verdict must be the failure
(an error, exit 1, importable false), not a namespace warning with exit 0.
"""
TITLE = "namespace package acme in the checkout, its compiled part acme.fastcore absent"


def build(ctx):
    proj = ctx.mkdir("acme-plugins")
    ctx.write("acme-plugins/acme/utils.py", "def slug(s):\n    return s.lower()\n")
    return ctx.case("acme.fastcore", cwd=proj, roles={"portion": proj + "/acme"})


def oracle(ctx, case):
    ctx.expect_import_error(case, "ModuleNotFoundError: No module named 'acme.fastcore'")
    ctx.expect_output(case, "import acme.utils as u; print(u.slug('OK'), u.__file__)", "ok")
