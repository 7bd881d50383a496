"""healthy control -- a C extension installed in a venv, imported from elsewhere.

good/_ext.<tag>.so compiled with gcc against the interpreter's own headers,
installed with a pip-style dist-info; `python -c "import good._ext"` from a
neutral directory works. extprobe must exit 0 with no error finding.
"""
TITLE = "healthy: C extension in a venv"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_ext", ctx.mkdir("built"))
    rel = "good/_ext" + ctx.py.ext_suffix
    ctx.install_dist(site, "good", "1.0", {
        "good/__init__.py": "from ._ext import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("good._ext", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect_output(case, "import good._ext as m; print('answer', m.answer())", "answer 42")
