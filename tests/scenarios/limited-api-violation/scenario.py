"""limited-api-violation -- tagged abi3, compiled against the full API.

setup.py has `Extension(..., py_limited_api=True)` and
`bdist_wheel --py-limited-api cp38`, so the file is named
_speedups.abi3.so and the wheel is cp38-abi3 -- but nothing defined
Py_LIMITED_API (the tag and the macro are not connected; abi3audit's
README). The code uses PyUnicode_New and _PyBytes_Resize, which are not
in the Limited API. On this interpreter it imports and works; on another
CPython 3 it may not: extprobe reports the names outside the Stable ABI as a
warning (exit 0), since every CPython here still exports them. The oracle:
the import works, and nm -D lists the non-Limited symbols as undefined.
"""
TITLE = "abi3-tagged module uses PyUnicode_New and _PyBytes_Resize"

BODY = ("PyObject *b = PyBytes_FromStringAndSize(\"abcd\", 4);\n"
        "    if (b == NULL || _PyBytes_Resize(&b, 2) < 0)   /* not Limited API */\n"
        "        return NULL;\n"
        "    Py_DECREF(b);\n"
        "    return PyUnicode_New(0, 127);                   /* not Limited API */")


def build(ctx):
    ctx.require_abi3()
    python, site = ctx.venv()
    built = ctx.c_module("_speedups", ctx.mkdir("built"), body=BODY, suffix=".abi3.so",
                         purpose="Tagged abi3 without Py_LIMITED_API.")
    ctx.install_dist(site, "quickstr", "1.2", {
        "quickstr/__init__.py": "from ._speedups import answer\n",
        "quickstr/_speedups.abi3.so": ("copy", built),
    }, tag="cp38-abi3-linux_x86_64")
    return ctx.case("quickstr._speedups", python=python,
                    roles={"ext": site + "/quickstr/_speedups.abi3.so"})


def oracle(ctx, case):
    ctx.expect_output(case, "import quickstr._speedups as s; print(repr(s.answer()))", "''")
    r = ctx.expect_tool([ctx.need("nm"), "-D", "--undefined-only", case.roles["ext"]],
                        "U PyUnicode_New", "nm -D --undefined-only")
    ctx.expect("U _PyBytes_Resize" in r.stdout, "nm -D lists _PyBytes_Resize as undefined")
