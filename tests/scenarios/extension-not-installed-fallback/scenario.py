"""extension-not-installed (variant) -- the same install, seen through the shim.

As extension-not-installed (the pure wheel replaced the native one), but the
module diagnosed is the Python shim cuprum._rust_backend, which catches the
ImportError and reports is_available() == False: the import succeeds, the
native code is silently never used. The contract's ordering rule applies:
swallowed-import-error first, the cause (extension-not-installed) next.
"""
from recipes import scenario_module

TITLE = "the shim swallows the missing native module of a pure wheel (ordering rule)"

base = scenario_module("extension-not-installed")


def build(ctx):
    python, site, di = base.install(ctx)
    return ctx.case("cuprum._rust_backend", python=python, roles={
        "dist_info": di, "pkg": site + "/cuprum",
    })


def oracle(ctx, case):
    ctx.expect_output(case, "import cuprum._rust_backend as b; print('native:', b._native)",
                      "native: None")
    ctx.expect_import_error(case, "No module named 'cuprum._rust_backend_native'",
                            code="import cuprum._rust_backend_native")
