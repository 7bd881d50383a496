"""shadowed-by-source -- a Rust module built in place, older than src/lib.rs.

What `maturin develop` leaves in a mixed project: the crate's src/lib.rs
compiled (debug profile: rustc -g, from the project directory) into
pkg/_core.<tag>.so beside pkg/__init__.py. Then src/lib.rs is edited -- the
module's docstring now says "built 2" -- and not rebuilt. Nothing beside the
module is named like it; rustc's debug info names its codegen units
"src/lib.rs/@/<crate>.<hash>-cgu.N" in the project directory. The real
import succeeds and runs the old build: `print(pkg._core.__doc__)` prints
"built 1". (No crates: the module is tests/fixtures/rsfx.rs, CPython's
structures by hand, as every Rust scenario here.)
"""
import os
import time

from recipes import RecipeError, Skip, rust_module_source, run

TITLE = "Rust module built in place (rustc -g) older than its src/lib.rs (found by DWARF)"


def lib_rs(ctx, n):
    text = rust_module_source(ctx.slug, "_core", "_core")
    old = "m_doc: ptr::null(),"
    if old not in text:
        raise RecipeError("rsfx.rs has no m_doc line to set")
    return text.replace(old, 'm_doc: b"built %d\\0".as_ptr() as *const c_char,' % n)


def build(ctx):
    rustc = ctx.need("rustc")
    if ctx.py.free_threaded:
        raise Skip("the Rust module declares the GIL build's PyObject layout")
    proj = ctx.mkdir("proj")
    ctx.write(proj + "/pkg/__init__.py", "")
    ctx.write(proj + "/src/lib.rs", lib_rs(ctx, 1), age=7200)
    so = proj + "/pkg/_core" + ctx.py.ext_suffix
    r = run([rustc, "--edition", "2021", "--crate-type", "cdylib", "--crate-name", "pkg_core",
             "-g", "-C", "opt-level=1", "src/lib.rs", "-o", so], cwd=proj, timeout=300)
    if r.returncode != 0:
        raise RecipeError("rustc failed: %s" % r.describe())
    t = time.time() - 3600
    os.utime(so, (t, t))
    ctx.write(proj + "/src/lib.rs", lib_rs(ctx, 2))   # edited now, not rebuilt
    return ctx.case("pkg._core", cwd=proj,
                    roles={"ext": so, "source": proj + "/src/lib.rs"})


def oracle(ctx, case):
    ctx.expect_output(case, "import pkg._core; print(pkg._core.__doc__)", "built 1")
    src = case.roles["source"]
    ctx.expect(os.stat(src).st_mtime > os.stat(case.roles["ext"]).st_mtime + 60
               and "built 2" in open(src).read(),
               "src/lib.rs (built 2) was written after the module was built")
    ctx.expect_tool(["readelf", "--debug-dump=info", case.roles["ext"]], "src/lib.rs/@/",
                    "readelf names the codegen units")
