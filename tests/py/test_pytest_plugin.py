"""The opt-in pytest plugin: a test or a test module that fails with an
ImportError gets extprobe's explanation in its report; without the opt-in,
nothing changes."""
import os

from conftest import run_python

BROKEN_TEST = "def test_uses_native():\n    import brk\n"
BROKEN_MODULE = "import brk\n\ndef test_never_collected():\n    pass\n"


def make_project(tmp_path, test_source):
    site = tmp_path / "site" / "brk"
    site.mkdir(parents=True)
    (site / "__init__.py").write_text("from . import _ext\n")  # no _ext anywhere
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "test_x.py").write_text(test_source)
    return proj, str(tmp_path / "site")


def pytest_run(proj, site, *args):
    return run_python(["-m", "pytest", "-q", "-p", "no:cacheprovider"] + list(args) + ["test_x.py"],
                      proj, {"PYTHONPATH": site})


def test_failed_test_gets_the_explanation(tmp_path):
    proj, site = make_project(tmp_path, BROKEN_TEST)
    r = pytest_run(proj, site, "-p", "extprobe.pytest")
    assert r.returncode == 1, r.stdout + r.stderr
    # `from . import _ext` fails as "cannot import name '_ext' from 'brk'":
    # the plugin explains brk, and extprobe names the missing brk._ext.
    assert "extprobe: brk" in r.stdout, r.stdout
    assert "module-not-found" in r.stdout and "no module _ext" in r.stdout, r.stdout


def test_collection_error_gets_the_explanation(tmp_path):
    proj, site = make_project(tmp_path, BROKEN_MODULE)
    r = pytest_run(proj, site, "--extprobe", "-p", "extprobe.pytest")
    assert r.returncode != 0
    assert "extprobe: brk" in r.stdout and "module-not-found" in r.stdout, r.stdout


def test_silent_without_opt_in(tmp_path):
    proj, site = make_project(tmp_path, BROKEN_TEST)
    r = pytest_run(proj, site)
    assert r.returncode == 1
    assert "extprobe" not in r.stdout, r.stdout
