"""The Python shim: `import extprobe` is cheap, the one abi3 binary works in
this interpreter, and explain/probe/python -m extprobe give the same report
as the library, with the contract's exit codes."""
import json
import os
import sys

import pytest

from conftest import build_extension, ext_suffix, run_python

import extprobe


def test_import_does_no_work():
    # A fresh interpreter: importing the package must not load the C core.
    r = run_python(["-c", "import sys, extprobe; print('extprobe._extprobe' in sys.modules)"],
                   os.getcwd())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


def test_one_abi3_binary_exports_only_its_init():
    from extprobe import _extprobe
    facts = extprobe.inspect(_extprobe.__file__)
    assert _extprobe.__file__.endswith(".abi3.so")
    assert facts["kind"] == "elf"
    assert facts["exports"] == ["PyInit__extprobe"]
    assert facts["tag"]["stable_abi"] is True
    # extprobe checks itself: the module stays inside the Limited API it
    # declares, so its one binary serves every CPython >= 3.8.
    report = extprobe.probe(_extprobe.__file__, import_trial=False)
    codes = [f["code"] for f in report.findings]
    assert "limited-api-violation" not in codes, report.text
    assert "_Py_Dealloc" in [i["name"] for i in facts["imports"]]


def make_shadowed_layout(tmp_path):
    """site/pkg holds the compiled module; checkout/pkg (the cwd) does not,
    and pkg/__init__.py swallows the ImportError: the tox story."""
    site = tmp_path / "site"
    checkout = tmp_path / "checkout"
    init = "try:\n    from . import _ext\nexcept ImportError:\n    _ext = None\n"
    for d in (site / "pkg", checkout / "pkg"):
        d.mkdir(parents=True)
        (d / "__init__.py").write_text(init)
    build_extension(tmp_path, site / "pkg", "_ext")
    return site, checkout


def test_explain_names_the_swallowed_error_and_the_shadowing(tmp_path):
    site, checkout = make_shadowed_layout(tmp_path)
    pp = str(site)
    # The real symptom first: the package imports and its module is None.
    r = run_python(["-c", "import pkg; print(pkg._ext)"], checkout, {"PYTHONPATH": pp})
    assert r.stdout.strip() == "None"
    r = run_python(["-m", "extprobe", "pkg", "--json"], checkout, {"PYTHONPATH": pp})
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    codes = [f["code"] for f in doc["findings"]]
    assert codes[0] == "swallowed-import-error", codes
    assert "shadowed-by-source" in codes
    shadow = doc["findings"][codes.index("shadowed-by-source")]
    assert any(p.startswith(str(site)) for p in shadow["paths"]), shadow
    assert doc["importable"] is True
    assert doc["python"]["version"].startswith("%d.%d" % sys.version_info[:2])


def test_healthy_extension_exits_zero(tmp_path):
    site = tmp_path / "site"
    (site / "good").mkdir(parents=True)
    (site / "good" / "__init__.py").write_text("from . import _ext\n")
    build_extension(tmp_path, site / "good", "_ext")
    pp = str(site)
    r = run_python(["-m", "extprobe", "good._ext"], tmp_path, {"PYTHONPATH": pp})
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_python(["-c", "import extprobe, json; rep = extprobe.probe('good._ext'); "
                          "print(json.dumps([rep.importable, [f['severity'] for f in rep.findings]]))"],
                   tmp_path, {"PYTHONPATH": pp})
    importable, severities = json.loads(r.stdout)
    assert importable is True
    assert "error" not in severities


def test_missing_module_is_an_error_finding(tmp_path):
    r = run_python(["-m", "extprobe", "no_such_module_xyz", "--json"], tmp_path)
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert doc["findings"][0]["code"] == "module-not-found"
    assert doc["resolved"] is None


def test_explain_prints_and_returns_the_report(tmp_path, capsys):
    report = extprobe.explain("no_such_module_xyz", import_trial=False)
    out = capsys.readouterr().out
    assert "module-not-found" in out
    assert report.findings[0]["code"] == "module-not-found"


def test_usage_error_exits_two(tmp_path):
    r = run_python(["-m", "extprobe"], tmp_path)
    assert r.returncode == 2


@pytest.mark.parametrize("timeout", [-1, 0, float("nan"), float("inf"), 1e9])
def test_probe_rejects_a_nonsense_timeout(timeout):
    with pytest.raises(ValueError) as e:
        extprobe.probe("json", timeout=timeout)
    assert "timeout" in str(e.value)


@pytest.mark.parametrize("fn", [extprobe.probe, extprobe.explain])
@pytest.mark.parametrize("target", [None, 42, b"json"])
def test_a_target_that_is_not_a_string_is_a_type_error(fn, target):
    with pytest.raises(TypeError) as e:
        fn(target)
    assert "module name" in str(e.value) and type(target).__name__ in str(e.value)
