"""namespace-package -- the crate directory named like the compiled submodule.

A maturin-style mixed project keeps its Rust crate inside the package, in
spamkit/_native/ (Cargo.toml, src/lib.rs, no __init__.py), and the compiled
module spamkit._native was never built (`maturin develop` not run in this
checkout). Run from the checkout, `from . import _native` does not fail: the
bare directory becomes a namespace package (PEP 420), _native.__file__ is
None, and the error comes later, far from the cause:
AttributeError: module 'spamkit._native' has no attribute 'add'
(bsv-blockchain/py-sdk PR #210; the example of docs/findings/namespace-package.md).
"""
TITLE = "crate directory spamkit/_native/ stands in for the unbuilt compiled module"

INIT = ("from . import _native\n\n\ndef add(a, b):\n"
        "    return _native.add(a, b)\n")


def build(ctx):
    proj = ctx.mkdir("spamkit-checkout")
    ctx.write("spamkit-checkout/spamkit/__init__.py", INIT)
    crate = ctx.mkdir("spamkit-checkout", "spamkit", "_native")
    ctx.write(crate + "/Cargo.toml", '[package]\nname = "spamkit-native"\nversion = "0.1.0"\n'
                                     'edition = "2021"\n\n[lib]\nname = "_native"\n'
                                     'crate-type = ["cdylib"]\n')
    ctx.write(crate + "/src/lib.rs", "// #[pymodule] fn _native ...\n")
    ctx.write("spamkit-checkout/pyproject.toml",
              '[build-system]\nrequires = ["maturin>=1.0"]\nbuild-backend = "maturin"\n\n'
              '[project]\nname = "spamkit"\nversion = "0.1.0"\n\n'
              '[tool.maturin]\nmodule-name = "spamkit._native"\n'
              'manifest-path = "spamkit/_native/Cargo.toml"\n')
    return ctx.case("spamkit._native", cwd=proj, roles={"namespace_dir": crate})


def oracle(ctx, case):
    ctx.expect_output(case, "import spamkit._native as n; print('file:', n.__file__)", "file: None")
    ctx.expect_import_error(case, "AttributeError: module 'spamkit._native' has no attribute 'add'",
                            code="import spamkit; spamkit.add(1, 2)")
