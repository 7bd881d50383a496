"""healthy control -- the checkout comes first on sys.path, and it has a build.

The shadowed-by-source layout, but the checkout was built in place
(`setup.py build_ext --inplace`): its pkg/_ext.<tag>.so loads. The installed
copy is shadowed, yet nothing is broken -- no error finding.
"""
TITLE = "healthy: checkout with an in-place build ahead of site-packages"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_ext", ctx.mkdir("built"))
    rel = "inplace/_ext" + ctx.py.ext_suffix
    files = {"inplace/__init__.py": "from ._ext import answer\n", rel: ("copy", built)}
    ctx.install_dist(site, "inplace", "1.0", files)
    proj = ctx.mkdir("inplace-checkout")
    ctx.write(proj + "/inplace/__init__.py", "from ._ext import answer\n")
    ctx.copy(built, proj + "/" + rel)
    ctx.write(proj + "/inplace/_ext.c", "/* the extension source */\n", age=3600)
    return ctx.case("inplace._ext", python=python, cwd=proj,
                    roles={"checkout_ext": proj + "/" + rel})


def oracle(ctx, case):
    ctx.expect_output(case, "import inplace._ext as m; print(m.__file__)", case.roles["checkout_ext"])
