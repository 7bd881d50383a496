"""swallowed-import-error -- the seeds' tox story, src layout.

A maturin project (python-source = "src", module-name =
"fraiseql._fraiseql_rs") is installed into the tox env from a pre-built
wheel: site-packages has fraiseql/_fraiseql_rs.<tag>.so (here: a rustc cdylib,
no crates). tox.ini sets PYTHONPATH={toxinidir}/src, and the tests run from
the project root, so `import fraiseql` takes the source checkout's
src/fraiseql, which has no compiled module. Its __init__ swallows the
ImportError, the package imports fine, and fraiseql.fraiseql_rs is None:
`AttributeError: 'NoneType' object has no attribute 'build_graphql_response'`
much later. Outside tox (no PYTHONPATH) the installed module loads.
"""
import os

TITLE = "src-layout package swallows the ImportError; the checkout on PYTHONPATH shadows the wheel (seed 000)"

INIT = '''"""FraiseQL: GraphQL for PostgreSQL, with a Rust core."""
try:
    from fraiseql import _fraiseql_rs as fraiseql_rs
except ImportError:  # the Rust core is optional
    fraiseql_rs = None

__version__ = "0.9.0"
'''
PYPROJECT = '''[build-system]
requires = ["maturin>=1.9,<2.0"]
build-backend = "maturin"

[project]
name = "fraiseql"
version = "0.9.0"

[tool.maturin]
python-source = "src"
python-packages = ["fraiseql"]
module-name = "fraiseql._fraiseql_rs"
features = ["pyo3/extension-module"]
'''
CARGO = '''[package]
name = "fraiseql_rs"
version = "0.9.0"
edition = "2021"

[lib]
name = "_fraiseql_rs"
crate-type = ["cdylib"]
path = "fraiseql_rs/src/lib.rs"
'''
TOX = '''[tox]
envlist = py3
[testenv]
setenv =
    PYTHONPATH = {toxinidir}/src
commands = pytest tests
'''


def build(ctx):
    python, site = ctx.venv(".tox/py3")
    built = ctx.rust_module("_fraiseql_rs", ctx.path("built", "_fraiseql_rs" + ctx.py.ext_suffix))
    rel_ext = "fraiseql/" + os.path.basename(built)
    ctx.install_dist(site, "fraiseql", "0.9.0", {
        "fraiseql/__init__.py": INIT,
        rel_ext: ("copy", built),
    }, generator="maturin (1.9.4)")
    proj = ctx.mkdir("fraiseql")
    ctx.write("fraiseql/src/fraiseql/__init__.py", INIT)
    ctx.write("fraiseql/pyproject.toml", PYPROJECT)
    ctx.write("fraiseql/Cargo.toml", CARGO)
    ctx.write("fraiseql/fraiseql_rs/src/lib.rs", "// the Rust core (built by maturin)\n")
    ctx.write("fraiseql/tox.ini", TOX)
    src = proj + "/src"
    return ctx.case("fraiseql", python=python, cwd=proj, pythonpath=[src], roles={
        "checkout_pkg": src + "/fraiseql",
        "installed_ext": site + "/" + rel_ext,
        "installed_pkg": site + "/fraiseql",
    })


def oracle(ctx, case):
    # The symptom: the package imports, its compiled part is None.
    ctx.expect_output(case, "import fraiseql; print('fraiseql_rs =', fraiseql.fraiseql_rs)",
                      "fraiseql_rs = None")
    # The swallowed error, by importing the compiled module directly.
    ctx.expect_import_error(case, "No module named 'fraiseql._fraiseql_rs'",
                            code="import fraiseql._fraiseql_rs")
    # Outside tox's PYTHONPATH the installed wheel works.
    ctx.expect_output(case, "import fraiseql; print('fraiseql_rs =', fraiseql.fraiseql_rs)",
                      "fraiseql_rs = <module 'fraiseql._fraiseql_rs'", pythonpath=[])
