"""namespace-package (variant) -- a crate directory hides an editable install (PEP 420).

A mixed Rust/Python project keeps its Python package in python/fastgeo/
(package_dir={"fastgeo": "python/fastgeo"}) and its Rust crate in a
directory named like the package, fastgeo/ (Cargo.toml, src/lib.rs, no
__init__.py). `pip install -e .` with setuptools >= 64 installs the
mapping as a meta-path finder: __editable__.fastgeo-1.0.pth runs
__editable___fastgeo_1_0_finder.install(), which appends _EditableFinder to
sys.meta_path (the finder module below is setuptools' template, trimmed of its
namespace support). The compiled module is built in place
(python/fastgeo/_geo.<tag>.so) and imports from any other directory.

From the project root, PathFinder runs before the editable finder, sees the
bare fastgeo/ crate directory in sys.path[0] and, finding no regular
package anywhere on sys.path, returns a namespace package -- so the
editable finder is never asked for `fastgeo`: the import succeeds,
fastgeo.__file__ is None, and fastgeo.answer() fails much later with
AttributeError: module 'fastgeo' has no attribute 'answer'
(insarlab/MintPy#882 had this with `pip install -e`). fastgeo._geo itself
still imports: the editable finder serves the submodule.

The import succeeds, so by docs/findings/namespace-package.md the finding
may be a warning (exit 0) -- expected.json accepts either status, and the
runner checks that the status agrees with the severities.
"""
TITLE = "crate directory fastgeo/ in the working directory hides the editable package"

FINDER = '''import sys
from importlib.machinery import PathFinder
from importlib.machinery import all_suffixes as module_suffixes
from importlib.util import spec_from_file_location
from itertools import chain
from pathlib import Path

MAPPING = {mapping!r}
NAMESPACES = {{}}
PATH_PLACEHOLDER = '__editable__.fastgeo-1.0.finder' + ".__path_hook__"


class _EditableFinder:  # MetaPathFinder
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        # Top-level packages and modules (we know these exist in the FS)
        if fullname in MAPPING:
            pkg_path = MAPPING[fullname]
            return cls._find_spec(fullname, Path(pkg_path))

        # Handle immediate children modules (required for namespaces to work)
        parent, _, child = fullname.rpartition(".")
        if parent and parent in MAPPING:
            return PathFinder.find_spec(fullname, path=[MAPPING[parent]])

        # Other levels of nesting should be handled automatically by importlib
        # using the parent path.
        return None

    @classmethod
    def _find_spec(cls, fullname, candidate_path):
        init = candidate_path / "__init__.py"
        candidates = (candidate_path.with_suffix(x) for x in module_suffixes())
        for candidate in chain([init], candidates):
            if candidate.exists():
                return spec_from_file_location(fullname, candidate)


def install():
    if not any(finder == _EditableFinder for finder in sys.meta_path):
        sys.meta_path.append(_EditableFinder)
'''
PTH = "import __editable___fastgeo_1_0_finder; __editable___fastgeo_1_0_finder.install()"
SETUP = ('from setuptools import Extension, setup\n\n'
         'setup(name="fastgeo", version="1.0", packages=["fastgeo"],\n'
         '      package_dir={"fastgeo": "python/fastgeo"},\n'
         '      ext_modules=[Extension("fastgeo._geo", ["python/fastgeo/_geo.c"])])\n')


def build(ctx):
    proj = ctx.mkdir("fastgeo-project")
    pkg = ctx.mkdir("fastgeo-project", "python", "fastgeo")
    ctx.write(pkg + "/__init__.py", "from ._geo import answer\n")
    ctx.write(pkg + "/_geo.c", "/* the extension source */\n", age=3600)
    ctx.c_module("_geo", pkg, purpose="Built in place (setup.py build_ext --inplace).")
    ctx.write(proj + "/setup.py", SETUP)
    crate = ctx.mkdir("fastgeo-project", "fastgeo")
    ctx.write(crate + "/Cargo.toml", '[package]\nname = "fastgeo"\nversion = "1.0.0"\n'
                                     'edition = "2021"\n')
    ctx.write(crate + "/src/lib.rs", "// the Rust half of the project\n")
    python, site = ctx.venv()
    di = ctx.install_dist(site, "fastgeo", "1.0", {
        "__editable__.fastgeo-1.0.pth": PTH + "\n",
        "__editable___fastgeo_1_0_finder.py": FINDER.format(mapping={"fastgeo": pkg}),
    }, direct_url={"dir_info": {"editable": True}, "url": "file://" + proj},
        generator="setuptools (68.0.0)")
    return ctx.case("fastgeo", python=python, cwd=proj, roles={
        "namespace_dir": crate,
        "editable_pkg": pkg,
        "dist_info": di,
    })


def oracle(ctx, case):
    ctx.expect_import_error(case, "AttributeError: module 'fastgeo' has no attribute 'answer'",
                            code="import fastgeo; fastgeo.answer()")
    ctx.expect_output(case, "import fastgeo; print('file:', fastgeo.__file__, list(fastgeo.__path__))",
                      "file: None ['%s']" % case.roles["namespace_dir"])
    ctx.expect_output(case, "import fastgeo._geo as g; print(g.answer())", "42",
                      cwd=ctx.mkdir("elsewhere"))
