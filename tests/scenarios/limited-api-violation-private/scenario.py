"""limited-api-violation (warning) -- a Limited-API module that also calls a
private CPython function declared by hand.

The module is built the right way (Py_LIMITED_API=0x03080000, named
.abi3.so, wheel tagged cp38-abi3), but one hot path wanted CPython's own
string hash, and since the Limited API headers do not declare _Py_HashBytes
the author declared it by hand. It imports and works on every CPython here,
because they all export _Py_HashBytes -- but it is outside the Stable ABI,
so nothing promises it on the next CPython 3. extprobe reports it as a
warning (exit 0): it loads here, the abi3 promise is broken.

Oracles: the import works; nm -D lists _Py_HashBytes as undefined; and the
real Limited API rejects the call -- the same source without the hand-written
declaration does not compile with -DPy_LIMITED_API=0x03080000
("implicit declaration of function '_Py_HashBytes'").
"""
TITLE = "Limited-API abi3 module calls the private _Py_HashBytes (loads here)"

DECL = "Py_hash_t _Py_HashBytes(const void *, Py_ssize_t);   /* by hand: private */\n"
BODY = ("Py_hash_t h = _Py_HashBytes(\"abcd\", 4);\n"
        "    return PyLong_FromLong(h != -1 ? 42 : 0);")
LIMITED = "-DPy_LIMITED_API=0x03080000"


def build(ctx):
    ctx.require_abi3()
    python, site = ctx.venv()
    built = ctx.c_module("_hashing", ctx.mkdir("built"), body=BODY, decls=DECL,
                         suffix=".abi3.so", cflags=[LIMITED],
                         purpose="Limited API 3.8 plus a private name declared by hand.")
    ctx.install_dist(site, "fasthash", "0.3", {
        "fasthash/__init__.py": "from ._hashing import answer\n",
        "fasthash/_hashing.abi3.so": ("copy", built),
    }, tag="cp38-abi3-linux_x86_64")
    return ctx.case("fasthash._hashing", python=python,
                    roles={"ext": site + "/fasthash/_hashing.abi3.so"})


def oracle(ctx, case):
    ctx.expect_output(case, "import fasthash._hashing as m; print('answer', m.answer())",
                      "answer 42")
    ctx.expect_tool([ctx.need("nm"), "-D", "--undefined-only", case.roles["ext"]],
                    "U _Py_HashBytes", "nm -D --undefined-only")
    # The Limited API itself has no _Py_HashBytes: without the hand-written
    # declaration the compiler refuses the call.
    ctx.expect_compile_error(ctx.c_source("_hashing", body=BODY),
                             [LIMITED, "-Werror=implicit-function-declaration"],
                             "implicit declaration of function '_Py_HashBytes'")
