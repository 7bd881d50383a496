"""extension-not-installed -- named after the distribution that owns the package.

The zope story: zope.event and zope.interface both install into the PEP 420
namespace zope. zope.interface was installed from its pure-Python wheel
(py3-none-any, as pip picks on a platform without a binary wheel), so
zope/interface/_zope_interface_coptimizations.<tag>.so is absent:
ModuleNotFoundError: No module named
'zope.interface._zope_interface_coptimizations'
The distribution to blame is zope.interface, the owner of zope/interface/,
not zope.event, the first distribution that happens to record a file
under zope/.
"""
TITLE = "two distributions share the namespace zope; zope.interface's pure wheel lacks the module"

MOD = "zope.interface._zope_interface_coptimizations"


def build(ctx):
    python, site = ctx.venv()
    ctx.install_dist(site, "zope.event", "5.0", {
        "zope/event/__init__.py": "subscribers = []\n",
    }, purelib=True, tag="py3-none-any")
    di = ctx.install_dist(site, "zope.interface", "6.4", {
        "zope/interface/__init__.py": "__version__ = '6.4'\n",
    }, purelib=True, tag="py3-none-any")
    return ctx.case(MOD, python=python, roles={
        "dist_info": di, "pkg": site + "/zope/interface",
    })


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named '%s'" % MOD)
    ctx.expect_output(case, "import zope.event, zope.interface; print('ok')", "ok")
