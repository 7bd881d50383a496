"""missing-init-function -- the maturin module-name vs #[pymodule] mismatch.

The project was renamed from fraise_core to fraise_rs in pyproject.toml
(maturin's module-name) but `#[pymodule] fn fraise_core` was left as it was.
maturin installs a pure-Rust project as a package: fraise_rs/__init__.py
(`from .fraise_rs import *`) and fraise_rs/fraise_rs.abi3.so -- here a real
rustc cdylib (no crates) exporting PyInit_fraise_core only. The loader maps it
fine; CPython then looks for PyInit_fraise_rs:
ImportError: dynamic module does not define module export function (PyInit_fraise_rs)
"""
TITLE = "rustc-built module exports PyInit_fraise_core, imported as fraise_rs"

INIT = "from .fraise_rs import *\n\n__doc__ = fraise_rs.__doc__\n"


def build(ctx):
    ctx.require_abi3()
    python, site = ctx.venv()
    built = ctx.rust_module("fraise_core", ctx.path("built", "fraise_rs.abi3.so"))
    ctx.install_dist(site, "fraise_rs", "0.3.0", {
        "fraise_rs/__init__.py": INIT,
        "fraise_rs/fraise_rs.abi3.so": ("copy", built),
    }, tag="cp38-abi3-linux_x86_64", generator="maturin (1.9.4)")
    return ctx.case("fraise_rs", python=python, roles={
        "ext": site + "/fraise_rs/fraise_rs.abi3.so",
    })


def oracle(ctx, case):
    ctx.expect_import_error(
        case, "dynamic module does not define module export function (PyInit_fraise_rs)")
    ctx.expect_tool([ctx.need("nm"), "-D", "--defined-only", case.roles["ext"]],
                    "PyInit_fraise_core", "nm -D")
