#!/usr/bin/env python3
"""CLI tests of `extprobe wheel` on real wheels: built here by setuptools'
bdist_wheel, meson-python, rustc and the aarch64 cross compiler, or written
with zipfile and then broken with zip/truncation. Each check compares the
verdict with an oracle where this machine has one: pip's own tag check
(--dry-run with --platform/--python-version), readelf, `python -m wheel
unpack` for RECORD, the real import of the installed wheel.

usage: test_wheel_cli.py EXTPROBE SCRATCH_DIR

Prints each failed check and a summary line; exits 1 on any failure, 77
(skip) when a required tool is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import zipfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import build_wheels as bw  # noqa: E402
from checks import check, finish  # noqa: E402

EXTPROBE, SCRATCH = sys.argv[1], sys.argv[2]
PY = "/usr/bin/python3"
skipped = []


def env():
    e = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        e[var] = ":".join(x for x in (e.get(var, ""), "exitcode=86") if x)
    e.pop("PYTHONPATH", None)
    return e


def ep(*args):
    p = subprocess.run([EXTPROBE, "wheel"] + list(args), capture_output=True, text=True,
                       errors="replace", timeout=120, env=env())
    check(p.returncode in (0, 1, 2), "extprobe wheel %s: exit %d (crash?)\n%s"
          % (" ".join(args), p.returncode, p.stderr[-2000:]))
    return p


def audit(*args):
    """--json run: (exit status, document, stderr)."""
    p = ep(*(list(args) + ["--json"]))
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        check(False, "extprobe wheel %s --json: no JSON: %r" % (" ".join(args), p.stdout[-500:]))
        doc = {"wheels": []}
    return p.returncode, doc, p.stderr


def codes(doc, i=0):
    return [f["code"] for f in doc["wheels"][i]["findings"]]


def finding(doc, code, i=0):
    for f in doc["wheels"][i]["findings"]:
        if f["code"] == code:
            return f
    return None


def text_of(f):
    return "\n".join((f or {}).get(k, "") for k in ("summary", "detail", "fix"))


def pip_accepts(wheel, python_version, platform, abi):
    """pip's own tag check for another interpreter/platform (the oracle of
    --target): `pip install --dry-run --target ... --platform ...`."""
    r = subprocess.run([PY, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
                        "--disable-pip-version-check", "--target", os.path.join(SCRATCH, "t"),
                        "--only-binary", ":all:", "--implementation", "cp",
                        "--python-version", python_version, "--platform", platform,
                        "--abi", abi, wheel], capture_output=True, text=True, timeout=120)
    return r.returncode == 0, r.stdout + r.stderr


def readelf(path, opt="-h"):
    return subprocess.run([shutil.which("readelf"), opt, path], capture_output=True,
                          text=True).stdout


def member_bytes(wheel, name, out):
    with zipfile.ZipFile(wheel) as z, open(out, "wb") as f:
        f.write(z.read(name))
    return out


# ---------------------------------------------------------------------------------
def test_setuptools_healthy(work):
    whl = bw.setuptools_wheel(work, "stspam")
    rc, doc, err = audit(whl)
    w = doc["wheels"][0]
    check(rc == 0 and w["findings"] == [], "setuptools cp311 wheel for this python: clean, "
          "got %s %s" % (rc, codes(doc)))
    ext = [m for m in w["members"] if m["kind"] == "extension"]
    check(len(ext) == 1 and ext[0]["module"] == "stspam._ext" and
          ext[0]["elf"]["pyinit"] == ["PyInit__ext"] and ext[0]["elf"]["machine"] == "x86_64",
          "the setuptools extension member and its facts: %s" % ext)
    check(w["generator"].startswith("bdist_wheel"), "generator from WHEEL: %s" % w["generator"])
    check(doc["target"]["from_interpreter"] and doc["target"]["python"] == "%d.%d"
          % sys.version_info[:2], "target from the interpreter: %s" % doc["target"])
    # The same wheel for another Python: pip refuses it, so must extprobe.
    ok, out = pip_accepts(whl, "3.12", "manylinux_2_28_x86_64", "cp312")
    rc, doc, _ = audit(whl, "--target", "cp312-manylinux_2_28_x86_64")
    check(not ok and "abi-tag-mismatch" in codes(doc) and doc["wheels"][0]["supported"] is False
          and rc == 1, "cp311 wheel for a cp312 target: pip %s, extprobe %s"
          % ("accepts" if ok else "refuses", codes(doc)))
    # Renamed by hand to cp312: the file name and WHEEL disagree.
    renamed = os.path.join(work, "renamed", os.path.basename(whl).replace("cp311", "cp312"))
    os.makedirs(os.path.dirname(renamed), exist_ok=True)
    shutil.copy(whl, renamed)
    rc, doc, _ = audit(renamed, "--no-target")
    f = finding(doc, "wheel-tag-mismatch")
    check(rc == 1 and f and "only in the file name: cp312-cp312-linux_x86_64" in f["detail"]
          and "only in WHEEL: cp311-cp311-linux_x86_64" in f["detail"],
          "a renamed wheel: file-name tags vs WHEEL: %s" % text_of(f))
    f = finding(doc, "wheel-tag-mismatch")
    check(any("cpython-311" in text_of(g) and "cp312" in g["summary"]
              for g in doc["wheels"][0]["findings"] if g["code"] == "wheel-tag-mismatch"),
          "a cpython-311 module in a cp312-tagged wheel is named: %s" % codes(doc))
    return whl


def test_setuptools_abi3(work):
    whl = bw.setuptools_wheel(work, "stabi", limited="cp38")
    check(os.path.basename(whl).endswith("-cp38-abi3-linux_x86_64.whl"),
          "bdist_wheel --py-limited-api=cp38 tags cp38-abi3: %s" % whl)
    rc, doc, _ = audit(whl, "--target", "cp312-linux_x86_64")
    check(rc == 0 and codes(doc) == [], "abi3 wheel for cp312: clean, got %s" % codes(doc))
    ok, _ = pip_accepts(whl, "3.13", "linux_x86_64", "abi3")
    rc, doc, _ = audit(whl, "--target", "cp313-linux_x86_64")
    check(ok and rc == 0 and doc["wheels"][0]["supported"] is True,
          "abi3 wheel for cp313: pip and extprobe accept (%s, %s)" % (ok, codes(doc)))
    # Free-threaded 3.13t has no abi3 (PEP 703; EXTENSION_SUFFIXES lacks
    # .abi3.so there). pip 23's vendored packaging predates that rule and
    # accepts the wheel, so the oracle is the interpreter's suffix list.
    rc, doc, _ = audit(whl, "--target", "cp313-cp313t-linux_x86_64")
    check("abi-tag-mismatch" in codes(doc) and ".abi3.so" not in doc["target"]["ext_suffixes"],
          "abi3 wheel for free-threaded 3.13t: %s, suffixes %s"
          % (codes(doc), doc["target"]["ext_suffixes"]))
    ok, _ = pip_accepts(whl, "3.7", "linux_x86_64", "cp37m")
    rc, doc, _ = audit(whl, "--target", "cp37-linux_x86_64")
    check(not ok and "abi-tag-mismatch" in codes(doc),
          "cp38-abi3 wheel for 3.7: pip %s, extprobe %s" % (ok, codes(doc)))


def test_pure_with_so(work, healthy):
    so = member_bytes(healthy, [n for n in zipfile.ZipFile(healthy).namelist()
                                if n.endswith(".so")][0], os.path.join(work, "_ext" + bw.EXT_SUFFIX))
    whl = bw.setuptools_wheel(work, "stpure", package_data_so=so)
    check(whl.endswith("-py3-none-any.whl"), "package_data .so gives a pure wheel: %s" % whl)
    rc, doc, _ = audit(whl, "--no-target")
    f = finding(doc, "wheel-tag-mismatch")
    check(rc == 1 and f and "py3-none-any" in f["summary"] and "compiled" in f["summary"],
          "py3-none-any wheel holding a .so: %s" % codes(doc))


def test_mesonpy(work):
    try:
        whl = bw.mesonpy_wheel(work, "mpspam")
    except bw.ToolMissing as e:
        skipped.append("meson-python: %s missing" % e)
        return
    rc, doc, _ = audit(whl)
    w = doc["wheels"][0]
    check(rc == 0 and w["findings"] == [] and w["generator"].startswith("meson"),
          "meson-python wheel: clean, got %s (%s)" % (codes(doc), w["generator"]))
    # Install it for real, import it: the oracle that clean means it works.
    site = os.path.join(work, "mp-site")
    subprocess.run([PY, "-m", "pip", "install", "-q", "--no-cache-dir", "--no-index", "--no-deps", "--target", site,
                    whl], check=True, capture_output=True)
    r = subprocess.run([PY, "-c", "import mpspam; print(mpspam.answer())"], capture_output=True,
                       text=True, env=dict(env(), PYTHONPATH=site))
    check(r.stdout.strip() == "42", "the meson-python wheel imports: %r" % r.stderr[-300:])


def test_rust_pyinit(work):
    try:
        so = bw.compile_rust(os.path.join(work, "librsfast.so"), "rsfast_core")
    except bw.ToolMissing:
        skipped.append("rustc missing")
        return
    # maturin's classic mistake: [lib] name rsfast, #[pymodule] fn rsfast_core
    whl = bw.write_wheel(os.path.join(work, "dist-rs"), "rsfast", "0.1",
                         "cp38-abi3-manylinux_2_17_x86_64",
                         {"rsfast/__init__.py": "from .rsfast import *\n",
                          "rsfast/rsfast.abi3.so": ("copy", so)}, generator="maturin (1.9.4)")
    rc, doc, _ = audit(whl, "--no-target")
    f = finding(doc, "missing-init-function")
    check(rc == 1 and f and "PyInit_rsfast" in f["summary"] and "PyInit_rsfast_core" in f["detail"],
          "Rust module exporting PyInit_rsfast_core named rsfast: %s" % text_of(f))
    site = os.path.join(work, "rs-site")
    subprocess.run([PY, "-m", "pip", "install", "-q", "--no-cache-dir", "--no-index", "--no-deps", "--target", site,
                    whl], check=True, capture_output=True)
    r = subprocess.run([PY, "-c", "import rsfast.rsfast"], capture_output=True, text=True,
                       env=dict(env(), PYTHONPATH=site))
    check("does not define module export function (PyInit_rsfast)" in r.stderr,
          "oracle: the real import names PyInit_rsfast: %r" % r.stderr[-300:])


def test_aarch64(work):
    try:
        so = bw.compile_c(os.path.join(work, "_native.abi3.so"), "_native",
                          cc="aarch64-linux-gnu-gcc", cflags=["-DPy_LIMITED_API=0x03080000"],
                          prelude="#include <stdlib.h>\n#include <string.h>",
                          body='const char *h = getenv("HOME"); '
                               'return PyLong_FromLong(h ? (long)strlen(h) : 0);',
                          purpose="abi3 for aarch64")
    except bw.ToolMissing:
        skipped.append("aarch64-linux-gnu-gcc missing")
        return
    check("AArch64" in readelf(so), "oracle: readelf says AArch64")
    files = {"cuprum/__init__.py": "", "cuprum/_native.abi3.so": ("copy", so)}
    good = bw.write_wheel(os.path.join(work, "dist-arm"), "cuprum", "0.4",
                          "cp38-abi3-manylinux_2_28_aarch64", files)
    ok, _ = pip_accepts(good, "3.12", "manylinux_2_28_aarch64", "abi3")
    rc, doc, _ = audit(good, "--target", "cp312-manylinux_2_28_aarch64")
    check(ok and rc == 0 and codes(doc) == [] and doc["wheels"][0]["supported"] is True,
          "aarch64 abi3 wheel for cp312-manylinux_2_28_aarch64: pip %s, extprobe %s"
          % (ok, codes(doc)))
    m = [x for x in doc["wheels"][0]["members"] if x["kind"] == "extension"][0]
    check(m["elf"]["machine"] == "aarch64" and m["elf"]["highest_versions"].get("GLIBC", "")
          .startswith("GLIBC_2.17"), "aarch64 member facts: %s" % m["elf"])
    ok, _ = pip_accepts(good, "3.12", "manylinux_2_17_aarch64", "abi3")
    rc, doc, _ = audit(good, "--target", "cp312-manylinux_2_17_aarch64")
    check(not ok and "abi-tag-mismatch" in codes(doc),
          "manylinux_2_28 wheel for a glibc 2.17 target: pip %s, extprobe %s" % (ok, codes(doc)))
    rc, doc, _ = audit(good, "--target", "cp312-manylinux_2_28_x86_64")
    check(rc == 1 and codes(doc) == ["abi-tag-mismatch"],
          "aarch64 wheel for an x86_64 target: %s" % codes(doc))
    bad = bw.write_wheel(os.path.join(work, "dist-arm-bad"), "cuprum", "0.4",
                         "cp38-abi3-manylinux_2_28_x86_64", files)
    rc, doc, _ = audit(bad, "--no-target")
    f = finding(doc, "wrong-architecture")
    check(rc == 1 and f and "aarch64" in f["summary"] and "x86_64" in f["summary"],
          "aarch64 member in an x86_64 wheel: %s" % codes(doc))


def test_policy(work):
    so = bw.compile_c(os.path.join(work, "_k" + bw.EXT_SUFFIX), "_k", prelude="#include <dlfcn.h>",
                      body="return PyLong_FromVoidPtr(dlopen(NULL, RTLD_NOW));")
    check("GLIBC_2.34" in readelf(so, "-V"), "oracle: readelf -V shows GLIBC_2.34")
    files = {"kp/__init__.py": "", "kp/_k" + bw.EXT_SUFFIX: ("copy", so)}
    honest = bw.write_wheel(os.path.join(work, "dist-pol"), "kp", "1.0",
                            "cp311-cp311-manylinux_2_34_x86_64", files)
    rc, doc, _ = audit(honest, "--no-target")
    check(rc == 0 and codes(doc) == [], "manylinux_2_34 wheel needing GLIBC_2.34: clean, %s"
          % codes(doc))
    rc, doc, _ = audit(honest, "--target", "cp311-manylinux_2_34_x86_64")
    check(rc == 0, "... and for a glibc 2.34 target: %s" % codes(doc))
    ok, _ = pip_accepts(honest, "3.11", "manylinux_2_28_x86_64", "cp311")
    rc, doc, _ = audit(honest, "--target", "cp311-manylinux_2_28_x86_64")
    check(not ok and "abi-tag-mismatch" in codes(doc), "... refused for glibc 2.28 like pip: %s"
          % codes(doc))
    liar = bw.write_wheel(os.path.join(work, "dist-pol"), "kp", "1.0",
                          "cp311-cp311-manylinux2014_x86_64", files)
    rc, doc, _ = audit(liar, "--target", "cp311-manylinux_2_28_x86_64")
    f = finding(doc, "wheel-policy-violation")
    check(f and "GLIBC_2.34" in f["summary"] and "GLIBC_2.17" in f["summary"],
          "manylinux2014 alias = glibc 2.17: %s" % text_of(f))
    g = finding(doc, "glibc-too-new")
    check(g and "2.28" in g["summary"], "the target's glibc 2.28 is too old: %s" % codes(doc))
    musl = bw.write_wheel(os.path.join(work, "dist-pol"), "kp", "1.0",
                          "cp311-cp311-musllinux_1_2_x86_64", files)
    rc, doc, _ = audit(musl, "--no-target")
    f = finding(doc, "wheel-policy-violation")
    check(f and "libc.so.6" in text_of(f), "glibc module in a musllinux wheel: %s" % text_of(f))


def test_record(work):
    files = {"rp/__init__.py": "X = 1\n", "rp/util.py": "Y = 2\n"}
    clean = bw.write_wheel(os.path.join(work, "dist-rec"), "rp", "1.0", "py3-none-any", files)
    rc, doc, _ = audit(clean, "--no-target")
    check(rc == 0 and codes(doc) == [], "zipfile-written wheel with a right RECORD: %s" % codes(doc))
    norec = bw.write_wheel(os.path.join(work, "dist-rec-none"), "rp", "1.0", "py3-none-any",
                           files, record=False)
    rc, doc, _ = audit(norec, "--no-target")
    check(rc == 1 and "wheel-record-mismatch" in codes(doc), "no RECORD: %s" % codes(doc))
    unlisted = bw.write_wheel(os.path.join(work, "dist-rec-unl"), "rp", "1.0", "py3-none-any",
                              files, edit_rows=lambda rows: [r for r in rows
                                                             if r[0] != "rp/util.py"] +
                              [["rp/gone.py", bw.record_hash(b""), "0"]])
    rc, doc, _ = audit(unlisted, "--no-target")
    f = finding(doc, "wheel-record-mismatch")
    check(f and "rp/util.py: in the archive, not listed" in f["detail"] and
          "rp/gone.py: listed in RECORD, not in the archive" in f["detail"],
          "unlisted and absent members: %s" % text_of(f))
    r = subprocess.run([PY, "-m", "wheel", "unpack", "-d", os.path.join(work, "unp"), unlisted],
                       capture_output=True, text=True)
    check(r.returncode != 0, "oracle: python -m wheel unpack refuses it too")


def test_damaged(work, healthy):
    # A member whose compressed bytes were hit by a bit flip: libzip's CRC.
    bad = os.path.join(work, "dist-dmg", os.path.basename(healthy))
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    shutil.copy(healthy, bad)
    with zipfile.ZipFile(bad) as z:
        info = [i for i in z.infolist() if i.filename.endswith(".so")][0]
    with open(bad, "r+b") as f:
        f.seek(info.header_offset + 30 + len(info.filename) + len(info.extra) + 200)
        b = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([b[0] ^ 0xFF]))
    r = subprocess.run(["unzip", "-tq", bad], capture_output=True, text=True)
    check(r.returncode != 0, "oracle: unzip -t finds the damaged member")
    rc, doc, err = audit(bad, "--no-target")
    f = finding(doc, "wheel-damaged")
    check(rc == 1 and f and info.filename in f["summary"], "member with a bad CRC/stream: %s"
          % codes(doc))
    # A zip that is not a wheel (a directory zipped by hand).
    src = os.path.join(work, "zipped", "pkg")
    os.makedirs(src, exist_ok=True)
    open(os.path.join(src, "__init__.py"), "w").close()
    notwheel = os.path.join(work, "zipped", "pkg-1.0-py3-none-any.whl")
    subprocess.run(["zip", "-qr", notwheel, "pkg"], cwd=os.path.dirname(src), check=True)
    rc, doc, err = audit(notwheel, "--no-target")
    check(rc == 1 and codes(doc) == ["wheel-damaged"] and
          err.strip() == "extprobe: %s: no .dist-info/WHEEL in the archive" % notwheel,
          "zip without dist-info: %s, stderr %r" % (codes(doc), err))
    # Several bad files: one stderr line each, naming the file; the good one is audited.
    missing = os.path.join(work, "nope-1.0-py3-none-any.whl")
    text = os.path.join(work, "text-1.0-py3-none-any.whl")
    with open(text, "w") as f:
        f.write("<html>404</html>\n")
    p = ep(missing, text, healthy, "--no-target")
    lines = p.stderr.strip().splitlines()
    check(p.returncode == 1 and len(lines) == 2 and lines[0].startswith("extprobe: " + missing + ": ")
          and lines[1] == "extprobe: %s: Not a zip archive" % text,
          "one stderr line per unreadable archive: %r" % p.stderr)


def test_usage():
    for args, what in ((["--target", "pp310-manylinux_2_28_x86_64", "x.whl"], "PyPy target"),
                       (["--target", "cp312", "x.whl"], "target without a platform"),
                       (["--format", "xml", "x.whl"], "bad format"), ([], "no file"),
                       (["--target", "cp312-linux_x86_64", "--no-target", "x.whl"], "both")):
        p = ep(*args)
        check(p.returncode == 2 and p.stderr.startswith("extprobe: ") and p.stdout == "",
              "usage error (%s): exit %d, %r" % (what, p.returncode, p.stderr[:200]))
    p = ep("--help")
    check(p.returncode == 0 and "--target TAG" in p.stdout, "--help")


def test_formats(work, healthy):
    p = ep(healthy, "--target", "cp312-manylinux_2_28_aarch64", "--format", "github")
    lines = p.stdout.strip().splitlines()
    check(p.returncode == 1 and lines and lines[0].startswith("::error file=%s,title=extprobe "
                                                             "abi-tag-mismatch" % healthy),
          "github format: %r" % p.stdout[:300])
    p = ep(healthy, "--no-target", "--format", "github")
    check(p.returncode == 0 and "::notice title=extprobe::" in p.stdout, "github format, clean")
    # A file name is the user's, not a workflow command: control characters
    # in it are written out (%1B), as explain writes them.
    odd = os.path.join(work, "dir\x1b[2J\x07")
    os.makedirs(odd, exist_ok=True)
    copy = shutil.copy(healthy, odd)
    p = ep(copy, "--target", "cp312-manylinux_2_28_aarch64", "--format", "github")
    check(p.returncode == 1 and "dir%1B[2J%07" in p.stdout
          and not any(ord(ch) < 0x20 and ch != "\n" for ch in p.stdout),
          "github format: control characters of the file name written out: %r" % p.stdout[:300])
    p = ep(healthy, "--no-target")
    check(p.returncode == 0 and "OK: no error found" in p.stdout and "\033[" not in p.stdout,
          "text format, no colour when not a terminal")


def test_family(work):
    init = ("try:\n    from ._speed import answer\n    HAVE = True\nexcept ImportError:\n"
            "    HAVE = False\n")
    so = bw.compile_c(os.path.join(work, "_speed" + bw.EXT_SUFFIX), "_speed")
    d = os.path.join(work, "dist-fam")
    native = bw.write_wheel(d, "fam", "2.0", "cp311-cp311-manylinux_2_17_x86_64",
                            {"fam/__init__.py": init, "fam/_speed" + bw.EXT_SUFFIX: ("copy", so)},
                            requires=["numpy>=1.20"])
    pure = bw.write_wheel(d, "fam", "2.0", "py3-none-any", {"fam/__init__.py": init},
                          requires=["numpy>=1.20"])
    rc, doc, _ = audit(native, pure, "--no-target")
    fam = doc["families"]
    check(rc == 0 and len(fam) == 1 and fam[0]["native_modules"] == ["fam._speed"] and
          fam[0]["native"] == ["cp311-cp311-manylinux_2_17_x86_64"] and
          fam[0]["pure_fallback"] == ["py3-none-any"],
          "a healthy family: %s %s" % (rc, fam))
    drift = bw.write_wheel(os.path.join(work, "dist-fam2"), "fam", "2.0", "py3-none-any",
                           {"fam/__init__.py": init}, requires=["numpy>=1.20", "typing-extensions"])
    rc, doc, _ = audit(native, drift, "--no-target")
    f = finding(doc, "wheel-family-mismatch", 1)
    check(rc == 1 and f and "Requires-Dist only here: typing-extensions" in f["detail"],
          "METADATA drift in a family: %s" % text_of(f))


def test_abi3_manifest(work):
    """abi3 members against the Stable ABI manifest, with the tag's version:
    a module built without Py_LIMITED_API (3.11 headers) that calls
    PyType_GetName (joined in 3.11) and _PyBytes_Resize (not in it)."""
    so = bw.compile_c(os.path.join(work, "_sab.abi3.so"), "_sab",
                      body="PyObject *b = PyBytes_FromStringAndSize(\"ab\", 2); "
                           "if (b == NULL || _PyBytes_Resize(&b, 1) < 0) return NULL; "
                           "Py_DECREF(b); return PyType_GetName(Py_TYPE(Py_None));",
                      purpose="abi3-named, outside the Limited API")
    files = {"sab/__init__.py": "", "sab/_sab.abi3.so": ("copy", so)}
    d = os.path.join(work, "dist-sab")
    w38 = bw.write_wheel(d, "sab", "1.0", "cp38-abi3-manylinux_2_17_x86_64", files)
    rc, doc, _ = audit(w38, "--no-target")
    f = finding(doc, "limited-api-violation")
    check(rc == 1 and f and "cp38-abi3" in f["summary"] and
          "PyType_GetName joined the Stable ABI in 3.11" in f["detail"] and
          "_PyBytes_Resize is not in the Stable ABI" in f["detail"],
          "abi3 manifest, cp38: %s" % text_of(f))
    w311 = bw.write_wheel(d, "sab", "1.0", "cp311-abi3-manylinux_2_17_x86_64", files)
    rc, doc, _ = audit(w311, "--no-target")
    f = finding(doc, "limited-api-violation")
    check(f and "PyType_GetName" not in f["detail"] and "_PyBytes_Resize" in f["detail"],
          "abi3 manifest, cp311: only the name outside it: %s" % text_of(f))
    # The oracle: CPython 3.10, which the cp38-abi3 tag admits, cannot load it.
    import glob
    py310 = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10.*/bin/python3")))
    if not py310:
        skipped.append("no CPython 3.10 for the abi3 oracle")
        return
    site = os.path.join(work, "sab-site")
    subprocess.run([PY, "-m", "pip", "install", "-q", "--no-cache-dir", "--no-index", "--no-deps", "--target", site,
                    "--only-binary", ":all:", "--implementation", "cp", "--python-version", "3.10",
                    "--platform", "manylinux_2_17_x86_64", "--abi", "abi3", w38],
                   check=True, capture_output=True)
    r = subprocess.run([py310[-1], "-c", "import sab._sab"], capture_output=True, text=True,
                       env=dict(env(), PYTHONPATH=site))
    check("undefined symbol: PyType_GetName" in r.stderr,
          "oracle: CPython 3.10 fails on PyType_GetName: %r" % r.stderr[-300:])


def test_damage_sweep(work, healthy):
    """Truncations at 48 offsets and byte flips at 48 places of a real wheel
    (the central directory, local headers, compressed data): never a crash
    or a hang; every run either audits the wheel or names it on stderr; a
    damaged archive never passes silently as clean."""
    with open(healthy, "rb") as f:
        data = f.read()
    d = os.path.join(work, "sweep")
    os.makedirs(d, exist_ok=True)
    name = os.path.basename(healthy)
    variants = []
    for k in range(48):
        cut = len(data) * k // 48
        variants.append(("cut%d" % cut, data[:cut]))
    for k in range(48):
        pos = (len(data) - 1) * k // 47
        b = bytearray(data)
        b[pos] ^= 0x5A
        variants.append(("flip%d" % pos, bytes(b)))
    silent = []
    for label, blob in variants:
        sub = os.path.join(d, label)
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, name)
        with open(path, "wb") as f:
            f.write(blob)
        p = ep(path, "--no-target", "--json")
        if p.returncode not in (0, 1):
            continue            # reported by ep() as a crash
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            check(False, "%s: no JSON report" % label)
            continue
        w = doc["wheels"][0]
        if w["error"] is not None:
            check(p.stderr.strip() == "extprobe: %s" % w["error"] and
                  w["error"].startswith(path + ": "),
                  "%s: one stderr line naming the file: %r" % (label, p.stderr))
        if blob != data and p.returncode == 0:
            silent.append(label)
    # A flipped byte that zip does not read (a comment, padding, the version
    # made-by field) may leave the wheel intact; data and names may not.
    print("damage sweep: %d variants, %d passed as clean (bytes zip does not read): %s"
          % (len(variants), len(silent), " ".join(silent)))
    check(len(silent) <= 4, "damaged variants that passed as clean: %s" % silent)


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    work = os.path.join(SCRATCH, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    if not os.access(EXTPROBE, os.X_OK):
        print("skip: %s not built" % EXTPROBE)
        return 77
    try:
        import setuptools  # noqa: F401
        import wheel  # noqa: F401
        bw.which("gcc")
        bw.which("zip")
        bw.which("readelf")
    except (ImportError, bw.ToolMissing) as e:
        print("skip: needs setuptools, wheel, gcc, zip and readelf: %s" % e)
        return 77
    healthy = test_setuptools_healthy(work)
    test_setuptools_abi3(work)
    test_pure_with_so(work, healthy)
    test_mesonpy(work)
    test_rust_pyinit(work)
    test_aarch64(work)
    test_policy(work)
    test_record(work)
    test_damaged(work, healthy)
    test_usage()
    test_formats(work, healthy)
    test_family(work)
    test_abi3_manifest(work)
    test_damage_sweep(work, healthy)
    for s in skipped:
        print("skipped: " + s)
    finish()


if __name__ == "__main__":
    sys.exit(main())
