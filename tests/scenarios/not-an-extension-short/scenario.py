"""not-an-extension (variant) -- a module cut inside the ELF header.

Only the first 40 bytes of the module arrived (`head -c 40`): less than an
ELF header. The loader says:
ImportError: .../_geo.cpython-3XY-x86_64-linux-gnu.so: file too short
"""
TITLE = "module truncated to 40 bytes (file too short)"


def build(ctx):
    lib = ctx.mkdir("lib")
    full = ctx.c_module("_geo", ctx.mkdir("built"))
    ctx.write(lib + "/fastgeo/__init__.py", "")
    ext = ctx.truncate(full, lib + "/fastgeo/_geo" + ctx.py.ext_suffix, 40)
    return ctx.case("fastgeo._geo", pythonpath=[lib], roles={"ext": ext})


def oracle(ctx, case):
    ctx.expect_import_error(case, "file too short")
