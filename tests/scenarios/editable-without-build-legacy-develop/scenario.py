"""editable-without-build -- pip -e fell back to a legacy develop install.

A meson-python project installed with `pip install --no-build-isolation -e .`
where the installed meson-python is older than 0.13 (Debian 12 ships 0.12.1),
which has no PEP 660 editable support: pip 23 falls back to setuptools'
develop route and writes what `setup.py develop` writes -- eggs.egg-link
(first line: the project directory) and that directory in easy-install.pth
-- and builds nothing (checked by hand on this machine: no error, no
compiled file). The recipe writes those two files as they were written there.
Then, from anywhere:
ImportError: cannot import name '_fry' from partially initialized module 'eggs'
(ModuleNotFoundError: No module named 'eggs._fry' on the way). Running
`pip install -e .` again changes nothing: the fix is a newer meson-python.
"""
TITLE = "pip -e with meson-python < 0.13: an egg-link develop install that built nothing"

MESON = ("project('eggs', 'c')\n"
         "py = import('python').find_installation(pure: false)\n"
         "py.extension_module('_fry', 'eggs/fry.c', install: true, subdir: 'eggs')\n"
         "py.install_sources('eggs/__init__.py', subdir: 'eggs')\n")
PYPROJECT = ("[build-system]\nrequires = ['meson-python']\nbuild-backend = 'mesonpy'\n\n"
             "[project]\nname = 'eggs'\nversion = '1.0'\n")


def build(ctx):
    proj = ctx.mkdir("eggs")
    ctx.write("eggs/eggs/__init__.py", "from . import _fry\n")
    ctx.write("eggs/eggs/fry.c", "/* the extension source */\n", age=3600)
    ctx.write("eggs/meson.build", MESON)
    ctx.write("eggs/pyproject.toml", PYPROJECT)
    python, site = ctx.venv()
    ctx.write(site + "/eggs.egg-link", proj + "\n.")
    ctx.write(site + "/easy-install.pth", proj + "\n")
    return ctx.case("eggs._fry", python=python, roles={
        "egg_link": site + "/eggs.egg-link", "tree_pkg": proj + "/eggs",
    })


def oracle(ctx, case):
    ctx.expect_import_error(case, "cannot import name '_fry' from partially "
                            "initialized module 'eggs'")
