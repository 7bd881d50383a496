"""limited-api-violation (error) -- built for the 3.10 Limited API, tagged
cp38-abi3.

The project raised Py_LIMITED_API to 0x030A0000 to use PyErr_SetInterruptEx
(Stable ABI since 3.10) but kept `bdist_wheel --py-limited-api cp38`, so
the wheel says cp38-abi3. pip installs it on 3.8 and 3.9, where the import
fails: "undefined symbol: PyErr_SetInterruptEx". On 3.10+ it imports -- and
extprobe still reports the error there: the tag admits interpreters that
cannot load the file. The module is built once, against the oldest headers
>= 3.10 here (as a wheel is built), and installed into every interpreter.

Oracles: on 3.8/3.9 the real ImportError names PyErr_SetInterruptEx; on 3.10+
the import works; everywhere the 3.8 Limited API rejects the call -- the
same source does not compile with -DPy_LIMITED_API=0x03080000 ("implicit
declaration of function 'PyErr_SetInterruptEx'"): 3.10's pyerrors.h
guards it with Py_LIMITED_API+0 >= 0x030A0000.
"""
TITLE = "abi3 module built for the 3.10 Limited API but tagged cp38-abi3"

# -1 is no signal: PyErr_SetInterruptEx returns -1 and interrupts nothing.
BODY = ("int rc = PyErr_SetInterruptEx(-1);   /* Stable ABI 3.10 */\n"
        "    return PyLong_FromLong(rc == -1 ? 42 : 0);")


def headers(ctx):
    cands = [i for i in ctx.interps if i.has_python_h and not i.debug
             and not i.free_threaded and i.version[:2] >= (3, 10)]
    return min(cands, key=lambda i: i.version) if cands else None


def applies(ctx):
    return None if headers(ctx) else "no CPython >= 3.10 headers to build against"


def build(ctx):
    ctx.require_abi3()
    hdr = headers(ctx)
    python, site = ctx.venv()
    built = ctx.c_module("_sig", ctx.mkdir("built"), interp=hdr, body=BODY,
                         suffix=".abi3.so", cflags=["-DPy_LIMITED_API=0x030a0000"],
                         purpose="Limited API 3.10, built against %s." % hdr.key)
    ctx.install_dist(site, "sigforward", "2.0", {
        "sigforward/__init__.py": "from ._sig import answer\n",
        "sigforward/_sig.abi3.so": ("copy", built),
    }, tag="cp38-abi3-linux_x86_64")
    return ctx.case("sigforward._sig", python=python,
                    roles={"ext": site + "/sigforward/_sig.abi3.so"},
                    vars={"headers": hdr.include})


def oracle(ctx, case):
    if ctx.py.version[:2] < (3, 10):
        ctx.expect_import_error(case, "undefined symbol: PyErr_SetInterruptEx")
    else:
        ctx.expect_output(case, "import sigforward._sig as m; print('answer', m.answer())",
                          "answer 42")
    ctx.expect_compile_error(ctx.c_source("_sig", body=BODY),
                             ["-DPy_LIMITED_API=0x03080000",
                              "-Werror=implicit-function-declaration"],
                             "implicit declaration of function 'PyErr_SetInterruptEx'",
                             include=case.vars["headers"])
