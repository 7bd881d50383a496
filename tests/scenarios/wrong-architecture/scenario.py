"""wrong-architecture -- an aarch64 abi3 module in an x86_64 environment.

The release job built the abi3 wheel for every platform; the aarch64 one
(`cuprum-0.4.0-cp38-abi3-manylinux_2_17_aarch64.whl`, Limited API of 3.8,
compiled here by aarch64-linux-gnu-gcc) was unpacked into an x86_64 venv.
`.abi3.so` carries no platform, so the finder takes it, and the loader
rejects the header with a misleading message about the module itself:
ImportError: .../_rust_backend_native.abi3.so: cannot open shared object file: No such file or directory
although the file exists.
"""
import os

TITLE = "aarch64 abi3 module under an x86_64 interpreter"


def build(ctx):
    ctx.require_abi3()
    python, site = ctx.venv()
    built = ctx.cross_module("_rust_backend_native", ctx.path("built", "_rust_backend_native.abi3.so"),
                             cflags=["-DPy_LIMITED_API=0x03080000"],
                             body="Py_RETURN_TRUE;",
                             purpose="Limited API 3.8, for aarch64.")
    rel = "cuprum/_rust_backend_native.abi3.so"
    ctx.install_dist(site, "cuprum", "0.4.0", {
        "cuprum/__init__.py": "",
        rel: ("copy", built),
    }, tag="cp38-abi3-manylinux_2_17_aarch64.manylinux2014_aarch64",
        generator="maturin (1.9.4)")
    return ctx.case("cuprum._rust_backend_native", python=python,
                    roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    ctx.expect(os.path.isfile(case.roles["ext"]), "the module file exists")
    ctx.expect_import_error(case, "_rust_backend_native.abi3.so: cannot open shared object file: "
                                  "No such file or directory")
    ctx.expect_tool([ctx.need("readelf"), "-h", case.roles["ext"]], "AArch64", "readelf -h")
