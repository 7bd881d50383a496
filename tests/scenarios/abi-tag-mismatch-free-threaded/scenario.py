"""abi-tag-mismatch (variant) -- a module for the free-threaded build.

tox's packaging env built the extension in place with CPython 3.13t (the
free-threaded build, tox-dev/tox#3314): the checkout holds
fastgeo/_geo.cpython-313t-x86_64-linux-gnu.so. There is no free-threaded
CPython here, so the file is compiled against the running interpreter's
headers and only NAMED with the 313t tag -- the name is all the finder looks
at. A GIL build (3.13 or any other) does not accept `313t`:
ModuleNotFoundError: No module named 'fastgeo._geo'.
"""
TITLE = "in-place build by the free-threaded 3.13t (cpython-313t tag)"


def applies(ctx):
    if ctx.py.free_threaded:
        return "a free-threaded interpreter accepts the t tag"
    return None


def build(ctx):
    proj = ctx.mkdir("fastgeo-src")
    pkg = ctx.mkdir("fastgeo-src", "fastgeo")
    ctx.write(pkg + "/__init__.py", "from ._geo import answer\n")
    built = ctx.c_module("_geo", pkg, suffix=ctx.py.tagged_suffix(version="313", flags="t"),
                         purpose="Named for the free-threaded CPython 3.13t.")
    ctx.write(pkg + "/_geo.c", "/* the extension source */\n", age=3600)
    return ctx.case("fastgeo._geo", cwd=proj, roles={"wrong_tag_file": built})


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastgeo._geo'")
