"""extension-not-installed -- a pure-Python wheel installed over the native one.

The seeds' cuprum story: the project publishes a native wheel (maturin, with
cuprum/_rust_backend_native.abi3.so) and a pure-Python wheel (uv_build) of
the same version, and CI installs both "in the same environment in
sequence". The pure wheel comes last: pip uninstalls the native one (every
file of its RECORD, the .so included) and installs py3-none-any files only.
This recipe leaves the result as pip leaves it: site-packages has cuprum/
with the Python shim and cuprum-0.4.0.dist-info whose WHEEL says
Root-Is-Purelib: true, Tag: py3-none-any, and whose RECORD has no .so.
ModuleNotFoundError: No module named 'cuprum._rust_backend_native'
"""
TITLE = "pure-Python wheel replaced the native wheel: RECORD has no compiled module"

BACKEND = '''"""Probe for the optional Rust backend."""
try:
    from cuprum import _rust_backend_native as _native
except ImportError:  # pure-Python wheel, or no wheel for this platform
    _native = None


def is_available():
    return _native is not None and _native.is_available()
'''
INIT = "from cuprum._rust_backend import is_available\n\n__version__ = '0.4.0'\n"


def install(ctx):
    python, site = ctx.venv()
    di = ctx.install_dist(site, "cuprum", "0.4.0", {
        "cuprum/__init__.py": INIT,
        "cuprum/_rust_backend.py": BACKEND,
        "cuprum/py.typed": "",
    }, purelib=True, tag="py3-none-any", generator="uv_build 0.8.3")
    return python, site, di


def build(ctx):
    python, site, di = install(ctx)
    return ctx.case("cuprum._rust_backend_native", python=python, roles={
        "dist_info": di, "pkg": site + "/cuprum",
    })


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'cuprum._rust_backend_native'")
    ctx.expect_output(case, "import cuprum; print('rust backend:', cuprum.is_available())",
                      "rust backend: False")
