"""editable-without-build -- `pip install -e .`, then the in-place build was cleaned.

setuptools (>= 64) installed the project in editable mode: site-packages
has __editable__.fastcore-1.0.pth holding the path of the checkout's src/
directory, and fastcore-1.0.dist-info with direct_url.json
{"dir_info": {"editable": true}, "url": "file:///.../fastcore"} -- as pip
writes them. Then `git clean -xfd` removed the compiled module from
src/fastcore/. From any directory:
ModuleNotFoundError: No module named 'fastcore._core'
"""
TITLE = "editable install (.pth into src/) whose tree has no compiled module"

SETUP = ('from setuptools import Extension, setup\n\n'
         'setup(ext_modules=[Extension("fastcore._core", ["src/fastcore/_core.c"])],\n'
         '      package_dir={"": "src"}, packages=["fastcore"])\n')
PYPROJECT = ("[build-system]\nrequires = ['setuptools>=64']\n"
             "build-backend = 'setuptools.build_meta'\n\n"
             "[project]\nname = 'fastcore'\nversion = '1.0'\n")


def make_project(ctx):
    proj = ctx.mkdir("fastcore")
    ctx.write("fastcore/src/fastcore/__init__.py", "from ._core import add\n")
    ctx.write("fastcore/src/fastcore/_core.c", "/* the extension source */\n", age=3600)
    ctx.write("fastcore/setup.py", SETUP)
    ctx.write("fastcore/pyproject.toml", PYPROJECT)
    return proj


def install_editable(ctx, proj):
    python, site = ctx.venv()
    di = ctx.install_dist(site, "fastcore", "1.0", {
        "__editable__.fastcore-1.0.pth": proj + "/src\n",
    }, direct_url={"dir_info": {"editable": True}, "url": "file://" + proj},
        generator="setuptools (68.0.0)")
    return python, site, di


def build(ctx):
    proj = make_project(ctx)
    python, site, di = install_editable(ctx, proj)
    return ctx.case("fastcore._core", python=python, roles={
        "tree_pkg": proj + "/src/fastcore",
        "dist_info": di,
        "pth": site + "/__editable__.fastcore-1.0.pth",
    })


def oracle(ctx, case):
    ctx.expect_import_error(case, "No module named 'fastcore._core'")
    ctx.expect_output(case, "import sys; print([p for p in sys.path if p.endswith('/fastcore/src')])",
                      case.roles["tree_pkg"][:-len("/fastcore")])
