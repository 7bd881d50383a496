"""healthy control -- a pure-Python package, no compiled code at all.

A py3-none-any wheel installed in a venv. extprobe must not invent a missing
extension for it.
"""
TITLE = "healthy: pure-Python package (py3-none-any)"


def build(ctx):
    python, site = ctx.venv()
    ctx.install_dist(site, "purepkg", "2.0", {
        "purepkg/__init__.py": "from .core import answer\n",
        "purepkg/core.py": "def answer():\n    return 42\n",
    }, purelib=True)
    return ctx.case("purepkg", python=python, roles={"pkg": site + "/purepkg"})


def oracle(ctx, case):
    ctx.expect_output(case, "import purepkg; print('answer', purepkg.answer())", "answer 42")
