"""Paths that are not UTF-8 (any bytes but '/' and NUL are a valid Linux
file name): the shim takes them as os.fsdecode gives them (surrogateescape),
as bytes or as PathLike, and gives them back in the same convention, so
os.fsencode() of a path in a report is the file's real name."""
import json
import os
import pathlib
import sys

from conftest import build_extension, run_python

import extprobe

RAW = b"caf\xe9-\xff\xfe"  # Latin-1 bytes: not UTF-8


def make_dir(tmp_path):
    d = os.path.join(os.fsencode(str(tmp_path)), RAW)
    os.mkdir(d)
    return d


def test_inspect_takes_a_non_utf8_path_and_gives_it_back(tmp_path):
    raw_dir = make_dir(tmp_path)
    src = build_extension(tmp_path, tmp_path, "nu8")
    raw = os.path.join(raw_dir, b"nu8.so")
    os.rename(os.fsencode(src), raw)
    for arg in (os.fsdecode(raw), raw, pathlib.Path(os.fsdecode(raw))):
        facts = extprobe.inspect(arg)
        assert facts["kind"] == "elf"
        assert facts["pyinit"] == ["PyInit_nu8"]
        assert os.fsencode(facts["path"]) == raw, facts["path"]


def test_probe_of_a_file_in_a_non_utf8_directory(tmp_path):
    raw_dir = make_dir(tmp_path)
    src = build_extension(tmp_path, tmp_path, "nu8b")
    raw = os.path.join(raw_dir, os.path.basename(os.fsencode(src)))
    os.rename(os.fsencode(src), raw)
    report = extprobe.probe(os.fsdecode(raw), import_trial=False)
    assert report["resolved"] is not None, report.text
    assert os.fsencode(report["resolved"]["path"]) == raw
    # The text shows the bytes as Python shows bytes, not as U+FFFD.
    assert "\\xe9" in report.text or "\\xff" in report.text, report.text


def test_probe_started_in_a_non_utf8_working_directory(tmp_path):
    # sys.path[0] (the working directory) and the facts gathered in-process
    # hold the undecodable name: no UnicodeEncodeError on the way to C.
    raw_dir = make_dir(tmp_path)
    code = ("import json, os, extprobe\n"
            "r = extprobe.probe('no_such_module_nu8', import_trial=False)\n"
            "print(json.dumps([f['code'] for f in r.findings]))\n"
            "print(os.fsencode(r['python']['sys_path'][0]['path']).hex())\n")
    r = run_python(["-c", code], os.fsdecode(raw_dir))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "module-not-found" in json.loads(lines[0])
    assert bytes.fromhex(lines[1]) in (b"", raw_dir), lines[1]


def test_explain_cli_of_the_shim_with_a_non_utf8_argument(tmp_path):
    raw_dir = make_dir(tmp_path)
    src = build_extension(tmp_path, tmp_path, "nu8c")
    raw = os.path.join(raw_dir, os.path.basename(os.fsencode(src)))
    os.rename(os.fsencode(src), raw)
    r = run_python(["-m", "extprobe", "--no-import", "--json", os.fsdecode(raw)],
                   str(tmp_path))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert os.fsencode(doc["resolved"]["path"]) == raw
