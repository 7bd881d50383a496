"""healthy control -- a pure wheel guards a generated _version module.

setuptools_scm's pattern: the package does
`try: from ._version import version` / `except ImportError: version =
"0+unknown"`, and this build of the wheel carries no _version.py (it is
written at build time and was not, as in a build from a tarball without
git metadata). The import works and the package runs; nothing says the
missing module is compiled -- its name is a plain pure-Python one, the
wheel is py3-none-any -- so there is nothing to report, and above all no
error.
"""
TITLE = "healthy: pure wheel whose guarded `from ._version import version` finds no _version"

INIT = ("try:\n    from ._version import version\nexcept ImportError:\n"
        "    version = '0+unknown'\n")


def build(ctx):
    python, site = ctx.venv()
    ctx.install_dist(site, "scmpkg", "1.0", {"scmpkg/__init__.py": INIT},
                     purelib=True, tag="py3-none-any")
    return ctx.case("scmpkg", python=python, roles={"pkg": site + "/scmpkg"})


def oracle(ctx, case):
    ctx.expect_output(case, "import scmpkg; print('version', scmpkg.version)",
                      "version 0+unknown")
