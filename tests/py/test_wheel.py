"""extprobe.wheel() and `python -m extprobe wheel`: the wheel audit from the
shim, under every CPython >= 3.8 (.ci/run). The wheels hold a real module
compiled for the running interpreter; the verdict for "this interpreter" is
checked against pip's own rule (the tag) and the real import of the module."""
import base64
import csv
import hashlib
import io
import json
import os
import sys
import zipfile

import extprobe

from conftest import build_extension, ext_suffix, run_python


def write_wheel(out_dir, tag, files):
    di = "tw-1.0.dist-info"
    members = [(k, v) for k, v in sorted(files.items())]
    members += [(di + "/METADATA", b"Metadata-Version: 2.1\nName: tw\nVersion: 1.0\n"),
                (di + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
                                 "Tag: %s\n" % tag).encode())]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for name, data in members:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        w.writerow([name, "sha256=" + digest, len(data)])
    w.writerow([di + "/RECORD", "", ""])
    path = os.path.join(str(out_dir), "tw-1.0-%s.whl" % tag)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
        z.writestr(di + "/RECORD", buf.getvalue())
    return path


def this_tag():
    xy = "%d%d" % sys.version_info[:2]
    return "cp%s-cp%s%s-linux_x86_64" % (xy, xy, getattr(sys, "abiflags", ""))


def module_wheel(tmp_path, tag=None, suffix=None):
    so = build_extension(tmp_path, tmp_path, "_core")
    with open(so, "rb") as f:
        data = f.read()
    return write_wheel(tmp_path, tag or this_tag(),
                       {"tw/__init__.py": b"from ._core import f\n",
                        "tw/_core" + (suffix or ext_suffix()): data})


def test_wheel_for_this_interpreter_is_clean_and_imports(tmp_path):
    whl = module_wheel(tmp_path)
    report = extprobe.wheel(whl)
    assert report["schema"] == 1 and report["ok"] is True, report.text
    assert report["target"]["python"] == "%d.%d" % sys.version_info[:2]
    assert report["target"]["ext_suffixes"][0] == ext_suffix()
    w = report["wheels"][0]
    assert w["findings"] == [] and w["supported"] is True
    ext = [m for m in w["members"] if m["kind"] == "extension"]
    assert [m["module"] for m in ext] == ["tw._core"]
    assert ext[0]["elf"]["pyinit"] == ["PyInit__core"]
    # the oracle: the module really imports here
    site = tmp_path / "site"
    with zipfile.ZipFile(whl) as z:
        z.extractall(str(site))
    r = run_python(["-c", "import tw; print(tw.f())"], tmp_path, {"PYTHONPATH": str(site)})
    assert r.stdout.strip() == "42", r.stderr


def test_module_named_for_another_version_is_reported(tmp_path):
    other = "cpython-%d%d" % (3, 7 if sys.version_info[:2] != (3, 7) else 8)
    suffix = ext_suffix().replace("cpython-%d%d" % sys.version_info[:2], other)
    whl = module_wheel(tmp_path, suffix=suffix)
    report = extprobe.wheel(whl)
    codes = [f["code"] for f in report["wheels"][0]["findings"]]
    assert "wheel-tag-mismatch" in codes and "abi-tag-mismatch" in codes, codes
    assert report.has_errors and not report["ok"]
    # the oracle: this interpreter does not find the module
    site = tmp_path / "site"
    with zipfile.ZipFile(whl) as z:
        z.extractall(str(site))
    r = run_python(["-c", "import tw"], tmp_path, {"PYTHONPATH": str(site)})
    assert "No module named 'tw._core'" in r.stderr


def test_target_tag_and_text(tmp_path):
    whl = module_wheel(tmp_path)
    report = extprobe.wheel([whl], target="cp312-manylinux_2_28_aarch64")
    assert report["target"]["arch"] == "aarch64"
    assert report["wheels"][0]["supported"] is False
    assert "abi-tag-mismatch" in report.text and str(report) == report.text


def test_bad_target_raises_probe_error(tmp_path):
    whl = module_wheel(tmp_path)
    try:
        extprobe.wheel(whl, target="pp310-linux_x86_64")
    except extprobe.ProbeError as e:
        assert "CPython" in str(e)
    else:
        raise AssertionError("no ProbeError for a PyPy target")


def test_python_m_extprobe_wheel_exit_codes(tmp_path):
    whl = module_wheel(tmp_path)
    r = run_python(["-m", "extprobe", "wheel", whl, "--json"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["wheels"][0]["findings"] == []
    bad = tmp_path / "cut-1.0-py3-none-any.whl"
    bad.write_bytes(b"PK\x03\x04 not really")
    r = run_python(["-m", "extprobe", "wheel", str(bad), "--target", "cp312-linux_x86_64"],
                   tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith("extprobe: %s: " % bad) and len(r.stderr.splitlines()) == 1
    assert "wheel-damaged" in r.stdout
