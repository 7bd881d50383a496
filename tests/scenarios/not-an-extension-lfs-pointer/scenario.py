"""not-an-extension (variant) -- a Git LFS pointer in place of the module.

The checkout tracks the prebuilt module with Git LFS and CI checked out
without LFS: fastgeo/_geo.<tag>.so is the 130-byte pointer text. Run from
the checkout:
ImportError: .../_geo.cpython-3XY-x86_64-linux-gnu.so: invalid ELF header
"""
TITLE = "Git LFS pointer committed as the module (invalid ELF header)"

POINTER = ("version https://git-lfs.github.com/spec/v1\n"
           "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
           "size 15400\n")


def build(ctx):
    proj = ctx.mkdir("fastgeo-src")
    ctx.write("fastgeo-src/fastgeo/__init__.py", "from ._geo import answer\n")
    ext = ctx.write("fastgeo-src/fastgeo/_geo" + ctx.py.ext_suffix, POINTER)
    ctx.write("fastgeo-src/.gitattributes", "*.so filter=lfs diff=lfs merge=lfs -text\n")
    return ctx.case("fastgeo._geo", cwd=proj, roles={"ext": ext})


def oracle(ctx, case):
    ctx.expect_import_error(case, "invalid ELF header")
