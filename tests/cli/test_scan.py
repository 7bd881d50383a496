#!/usr/bin/python3
"""CLI tests of `extprobe scan` on a tree of real modules built here with
gcc against Debian's python3 headers (tests/fixtures/fxmod.c): good ones
(one inside a package), one whose needed library is gone, one of another
architecture (the aarch64 build of the same source, renamed to this
interpreter's tag), one with another interpreter's tag, and a debug-tag
twin that the interpreter never looks at. Asserts the table, the JSON, the
exit status, the real import as oracle for each module, and that the
progress line appears on a terminal only.

usage: test_scan.py EXTPROBE FIXTURE_DIR SOURCE_DIR SCRATCH_DIR
Exit 77 (skip) without gcc or the python3 headers.
"""
import json
import os
import pty
import shutil
import subprocess
import sys
import sysconfig

PY = "/usr/bin/python3"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond


def cc(args):
    subprocess.run(["cc"] + args, check=True)


def build_tree(src, fixtures, tree):
    ext = sysconfig.get_config_var("EXT_SUFFIX")
    inc = sysconfig.get_paths()["include"]
    fxmod = os.path.join(src, "tests", "fixtures", "fxmod.c")
    os.makedirs(os.path.join(tree, "pkg"))
    os.makedirs(os.path.join(tree, "gone"))

    def module(name, out, extra=()):
        cc(["-shared", "-fPIC", "-O1", "-I" + inc, "-DFX_NAME=" + name,
            fxmod, "-o", out] + list(extra))

    module("good", os.path.join(tree, "good" + ext))
    module("inner", os.path.join(tree, "pkg", "inner" + ext))
    open(os.path.join(tree, "pkg", "__init__.py"), "w").close()
    # The debug interpreter's twin: never considered, not a failure.
    module("good", os.path.join(tree, "good" + ext.replace("-311-", "-311d-")))
    # Another interpreter's tag only: the module cannot be imported.
    module("oldtag", os.path.join(tree, "oldtag.cpython-39-x86_64-linux-gnu.so"))
    # Linked against a library that is then removed.
    lib = os.path.join(tree, "gone", "libgone.so")
    with open(os.path.join(tree, "gone", "gone.c"), "w") as f:
        f.write("int gone_answer(void) { return 42; }\n")
    cc(["-shared", "-fPIC", os.path.join(tree, "gone", "gone.c"), "-o", lib])
    module("needy", os.path.join(tree, "needy" + ext),
           ["-L" + os.path.dirname(lib), "-Wl,--no-as-needed", "-lgone"])
    shutil.rmtree(os.path.join(tree, "gone"))
    arm = os.path.join(fixtures, "fxarm.cpython-311-aarch64-linux-gnu.so")
    have_arm = os.path.exists(arm)
    if have_arm:
        shutil.copy(arm, os.path.join(tree, "fxarm" + ext))
    return ext, have_arm


def real_import(tree, module):
    """The oracle: does Debian's python3 import it from the tree?"""
    p = subprocess.run([PY, "-c", "import " + module], cwd=tree,
                       capture_output=True, text=True, timeout=60)
    return p.returncode == 0


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    extprobe, fixtures, src, scratch = sys.argv[1:5]
    if shutil.which("cc") is None or not os.path.exists(
            os.path.join(sysconfig.get_paths()["include"], "Python.h")):
        print("SKIP: no cc or no python3 headers")
        sys.exit(77)
    shutil.rmtree(scratch, ignore_errors=True)
    tree = os.path.join(scratch, "tree")
    ext, have_arm = build_tree(src, fixtures, tree)
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)

    p = subprocess.run([extprobe, "scan", "--python", PY, tree],
                       capture_output=True, text=True, env=env, timeout=120)
    check(p.returncode == 1, "exit 1 when a module would fail: %d %s" %
          (p.returncode, p.stderr))
    check(p.stderr == "", "no progress line into a pipe: %r" % p.stderr)
    out = p.stdout
    want_rows = {"loads": 2, "missing-dependency": 1, "abi-tag-mismatch": 1,
                 "total": 4 + have_arm}
    if have_arm:
        want_rows["wrong-architecture"] = 1
    for row, n in want_rows.items():
        check(any(line.split() == [row, str(n)] for line in out.splitlines()),
              "table row %s %d in:\n%s" % (row, n, out))
    check("FAIL needy " in out and "libgone.so not found (needed by needy"
          in out, "needy's failure and its library named:\n" + out)
    check("FAIL oldtag " in out, "oldtag listed")
    check("FAIL good " not in out and "311d" not in out,
          "the debug twin is not a module of this interpreter")
    check("%d of %d modules would fail" % (2 + have_arm, 4 + have_arm) in out,
          "last line")

    p = subprocess.run([extprobe, "scan", "--json", "--python", PY, tree],
                       capture_output=True, text=True, env=env, timeout=120)
    check(p.returncode == 1, "--json: exit 1")
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        check(False, "--json does not parse: %s\n%s" % (e, p.stdout[:800]))
        doc = None
    if doc:
        mods = {m["module"]: m for m in doc["modules"]}
        check(doc["schema"] == 1 and doc["summary"]["failed"] == 2 + have_arm
              and doc["summary"]["ok"] == 2, "summary: %r" % doc["summary"])
        check(sorted(mods) == sorted(["good", "pkg.inner", "oldtag", "needy"]
                                     + (["fxarm"] if have_arm else [])),
              "modules: %r" % sorted(mods))
        codes = {k: [f["code"] for f in m["findings"]] for k, m in mods.items()}
        check(codes["good"] == [] and codes["pkg.inner"] == [],
              "good modules have no finding: %r" % codes)
        check(codes["needy"] == ["missing-dependency"], "needy: %r" % codes)
        check(codes["oldtag"] == ["abi-tag-mismatch"], "oldtag: %r" % codes)
        if have_arm:
            check(codes["fxarm"] == ["wrong-architecture"], "fxarm: %r" % codes)
        check(doc["python"]["ext_suffixes"][0] == ext, "suffixes")
        # The oracle: the real import agrees with every verdict.
        for name, m in mods.items():
            if name == "oldtag":
                continue  # the finder never sees it: ImportError as well
            check(real_import(tree, name) == m["ok"],
                  "%s: extprobe says ok=%s, the real import disagrees" %
                  (name, m["ok"]))
        check(not real_import(tree, "oldtag"), "oldtag does not import")

    # Only good modules: exit 0.
    good = os.path.join(scratch, "good")
    os.makedirs(good)
    shutil.copy(os.path.join(tree, "good" + ext), good)
    p = subprocess.run([extprobe, "scan", "--python", PY, good],
                       capture_output=True, text=True, env=env, timeout=120)
    check(p.returncode == 0, "all good: exit 0, got %d" % p.returncode)

    # On a terminal: the progress line on stderr, then erased.
    pid, fd = pty.fork()
    if pid == 0:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv(extprobe, [extprobe, "scan", "--python", PY, tree])
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.waitpid(pid, 0)
    check(b"scan: " in seen and b"\r" in seen,
          "progress line on a terminal: %r" % seen[:300])
    # A directory symlink back to an ancestor (the finder would import
    # loopy.inner.back.inner.back... for ever): each module once, under
    # its shortest name, and the walk ends.
    loopy = os.path.join(scratch, "looptree", "loopy")
    os.makedirs(os.path.join(loopy, "inner"))
    shutil.copy(os.path.join(tree, "good" + ext), loopy)
    os.symlink("..", os.path.join(loopy, "inner", "back"))
    p = subprocess.run([extprobe, "scan", "--json", "--python", PY,
                        os.path.dirname(loopy)],
                       capture_output=True, text=True, env=env, timeout=120)
    names = sorted(m["module"] for m in json.loads(p.stdout)["modules"]) \
        if p.stdout.startswith("{") else None
    check(p.returncode == 0 and names == ["loopy.good"],
          "symlink loop: one module, once (rc %d): %r" % (p.returncode, names))
    check(real_import(os.path.dirname(loopy), "loopy.inner.back.good"),
          "oracle: the finder does follow the loop (loopy.inner.back.good "
          "imports)")

    # Python 2 calls init<name>: a module built for it under its own name
    # loads, the same file renamed does not (the real python2 is the
    # oracle). Skipped without pyenv's 2.7.
    py2 = next((os.path.join(d, "bin", "python2") for d in sorted(
        __import__("glob").glob(os.path.expanduser("~/.pyenv/versions/2.7*")))
        if os.path.exists(os.path.join(d, "bin", "python2"))), None)
    if py2 is None:
        print("note: no pyenv 2.7: the Python 2 init<name> rule is not checked")
    else:
        two = os.path.join(scratch, "py2")
        os.makedirs(two)
        inc2 = subprocess.run([py2, "-c", "import sysconfig; print("
                               "sysconfig.get_paths()['include'])"],
                              capture_output=True, text=True).stdout.strip()
        with open(os.path.join(two, "spam.c"), "w") as f:
            f.write('#include <Python.h>\nPyMODINIT_FUNC initspam(void) '
                    '{ Py_InitModule("spam", NULL); }\n')
        cc(["-shared", "-fPIC", "-I" + inc2, os.path.join(two, "spam.c"),
            "-o", os.path.join(two, "spam.so")])
        shutil.copy(os.path.join(two, "spam.so"), os.path.join(two, "eggs.so"))
        p = subprocess.run([extprobe, "scan", "--json", "--python", py2, two],
                           capture_output=True, text=True, env=env, timeout=120)
        mods = {m["module"]: m for m in json.loads(p.stdout)["modules"]} \
            if p.stdout.startswith("{") else {}
        for name in ("spam", "eggs"):
            real = subprocess.run([py2, "-c", "import " + name], cwd=two,
                                  capture_output=True, timeout=60).returncode == 0
            got = mods.get(name, {})
            check(got.get("ok") == real and
                  ([f["code"] for f in got.get("findings", [])] ==
                   ([] if real else ["missing-init-function"])),
                  "python2 %s: the real import %s, scan says %r" %
                  (name, "works" if real else "fails", got))

    p = subprocess.run([extprobe, "scan", "--python", PY, "/nonexistent"],
                       capture_output=True, text=True, env=env, timeout=120)
    check(p.returncode == 2 and "/nonexistent" in p.stderr,
          "a missing PATH: exit 2 naming it: %d %r" % (p.returncode, p.stderr))
    shutil.rmtree(scratch, ignore_errors=True)
    print("scan CLI: %d failed" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
