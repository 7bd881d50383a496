"""wheel-policy-violation -- a manylinux2014 wheel built on a new distribution.

The wheel was built on Debian 12 (glibc 2.36) and renamed by hand to
`...-manylinux_2_17_x86_64.manylinux2014_x86_64.whl` instead of being built
in the manylinux2014 image. Its module calls dlopen(), which glibc 2.34 moved
into libc as dlopen@GLIBC_2.34. pip installs it on every glibc >= 2.17
system; on the 2.17-2.33 ones (CentOS 7, Ubuntu 20.04, Amazon Linux 2) the
import fails with: version `GLIBC_2.34' not found (the vLLM story).
"""
TITLE = "manylinux_2_17 wheel whose module needs GLIBC_2.34"

TAG = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"


def applies(ctx):
    if ctx.py.key != "debian-3.11":
        return "the audit does not depend on the interpreter; one run is enough"
    return None


def build(ctx):
    ext = ctx.c_module("_kernels", ctx.mkdir("built"), prelude="#include <dlfcn.h>",
                       body="return PyLong_FromVoidPtr(dlopen(NULL, RTLD_NOW));",
                       purpose="dlopen@GLIBC_2.34 in a manylinux2014 wheel")
    rel = "fastllm/_kernels" + ctx.py.ext_suffix
    whl = ctx.make_wheel("fastllm", "0.9", TAG, {
        "fastllm/__init__.py": "from ._kernels import *\n",
        rel: ("copy", ext),
    })
    return ctx.wheel_case([whl], target="cp311-manylinux_2_17_x86_64",
                          roles={"wheel": whl, "ext": rel}, vars={"built": ext})


def oracle(ctx, case):
    ctx.expect_tool([ctx.need("readelf"), "-V", case.vars["built"]], "GLIBC_2.34",
                    "readelf -V of the module")
    r = ctx.pip_target(case.wheels[0], ctx.path("site"), python_version="3.11",
                       platform="manylinux_2_17_x86_64", abi="cp311", dry_run=True)
    ctx.expect(r.returncode == 0, "pip accepts the wheel for a glibc 2.17 system (%s)"
               % (r.describe() if r.returncode else "ok"))
