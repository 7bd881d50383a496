"""wrong-architecture (variant) -- a 32-bit (ELFCLASS32) module.

A module built with -m32 (an i386 build tree copied over, f0cal/google-coral#43
"copying the swig wrapper") and named for this interpreter. It defines
PyInit__geo without Python.h (there are no 32-bit Python headers here) and
no libc (no 32-bit libc either); the loader rejects it by class:
ImportError: .../_geo.cpython-3XY-x86_64-linux-gnu.so: wrong ELF class: ELFCLASS32
"""
TITLE = "i386 (ELFCLASS32) module under an x86_64 interpreter"

SRC = ("/* extprobe scenario wrong-architecture-32bit: an i386 object with an\n"
       " * init function of the right name. */\n"
       "void *PyInit__geo(void);\nvoid *PyInit__geo(void) { return 0; }\n")


def applies(ctx):
    if not ctx.tools.gcc or not ctx.tools.gcc_m32(ctx.root):
        return "gcc cannot build 32-bit objects (gcc -m32)"
    return None


def build(ctx):
    pkg = ctx.mkdir("lib32", "fastgeo")
    ctx.write(pkg + "/__init__.py", "")
    built = ctx.shared_lib("_geo.so", SRC, pkg + "/_geo" + ctx.py.ext_suffix,
                           cflags=["-m32", "-nostdlib"])
    return ctx.case("fastgeo._geo", pythonpath=[ctx.path("lib32")], roles={"ext": built})


def oracle(ctx, case):
    ctx.expect_import_error(case, "wrong ELF class: ELFCLASS32")
