"""healthy control -- a rustc-built module (no crates), abi3-named.

rsgood.abi3.so exports PyInit_rsgood and uses only PyModule_Create2 of the
stable ABI; installed top-level in a venv with a maturin-style dist-info.
"""
TITLE = "healthy: rustc cdylib module in a venv"


def build(ctx):
    ctx.require_abi3()
    python, site = ctx.venv()
    built = ctx.rust_module("rsgood", ctx.path("built", "rsgood.abi3.so"))
    ctx.install_dist(site, "rsgood", "0.1.0", {"rsgood.abi3.so": ("copy", built)},
                     tag="cp38-abi3-linux_x86_64", generator="maturin (1.9.4)")
    return ctx.case("rsgood", python=python, roles={"ext": site + "/rsgood.abi3.so"})


def oracle(ctx, case):
    ctx.expect_output(case, "import rsgood; print(rsgood.__name__, rsgood.__file__)",
                      "rsgood " + case.roles["ext"])
