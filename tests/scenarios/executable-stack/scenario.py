"""executable-stack -- the module's PT_GNU_STACK asks for an executable stack.

A module linked with -z execstack, as the linker also does silently when one
assembler file lacks its .note.GNU-stack section ("missing .note.GNU-stack
section implies executable stack"). glibc up to 2.40 makes the whole
process stack executable when it dlopen()s such a module, so the import
works here (glibc 2.36); glibc 2.41 and later refuse it:
ImportError: .../_geo...so: cannot enable executable stack as shared object requires: Invalid argument
(glibc 2.41 NEWS, https://lists.gnu.org/archive/html/info-gnu/2025-01/msg00014.html).
On this machine the finding is a warning that names glibc 2.41.
"""
TITLE = "module linked with -z execstack (glibc >= 2.41 refuses to dlopen it)"


def build(ctx):
    python, site = ctx.venv()
    built = ctx.c_module("_geo", ctx.mkdir("built"), ldflags=["-Wl,-z,execstack"])
    rel = "fastgeo/_geo" + ctx.py.ext_suffix
    ctx.install_dist(site, "fastgeo", "2.1", {
        "fastgeo/__init__.py": "from ._geo import answer\n",
        rel: ("copy", built),
    })
    return ctx.case("fastgeo._geo", python=python, roles={"ext": site + "/" + rel})


def oracle(ctx, case):
    # glibc 2.36 loads it (and makes the stack executable); readelf shows RWE.
    ctx.expect_output(case, "import fastgeo._geo as m; print(m.answer())", "42")
    ctx.expect_tool([ctx.need("readelf"), "-lW", case.roles["ext"]], "RWE", "readelf -l GNU_STACK")
