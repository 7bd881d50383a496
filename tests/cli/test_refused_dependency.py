"""extprobe explain and deps on an extension module whose library the loader
finds but refuses: one linked by lld with --pack-dyn-relocs=relr (DT_RELR
without the GLIBC_ABI_DT_RELR requirement glibc 2.36 checks), and one cut
short. The oracle is the real import: Python's ImportError text must be the
one the finding predicts, and the library must be named REFUSED, not "not
found".
usage: test_refused_dependency.py EXTPROBE SCRATCH_DIR
"""
import os
import shutil
import subprocess
import sys
import sysconfig

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

extprobe, scratch = sys.argv[1], sys.argv[2]
PY = "/usr/bin/python3"
if not os.path.exists(PY) or shutil.which("gcc") is None:
    print("SKIP: needs /usr/bin/python3 and gcc")
    sys.exit(77)
shutil.rmtree(scratch, ignore_errors=True)
site = os.path.join(scratch, "site")
suffix = subprocess.run([PY, "-c", "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                        stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()
include = subprocess.run([PY, "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                         stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()


def cc(args):
    r = subprocess.run(["gcc"] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    return r.returncode == 0


def package(name, lib_flags, lib_damage=None):
    """site/NAME/_ext<suffix> needing NAME/libfxr.so through RUNPATH $ORIGIN."""
    pkg = os.path.join(site, name)
    os.makedirs(pkg)
    open(os.path.join(pkg, "__init__.py"), "w").write("")
    src = os.path.join(scratch, name + "_lib.c")
    open(src, "w").write("#include <stdlib.h>\nstatic int v; int *fxr_p = &v, *fxr_q = &v;\n"
                         "int fxr(void) { return *fxr_p + *fxr_q + (getenv(\"FXR\") != 0); }\n")
    lib = os.path.join(pkg, "libfxr.so")
    if not cc(["-shared", "-fPIC", src, "-o", lib, "-Wl,-soname,libfxr.so"] + lib_flags):
        return None
    ext = os.path.join(scratch, name + "_ext.c")
    open(ext, "w").write(
        "#include <Python.h>\nint fxr(void);\n"
        "static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, \"_ext\", 0, -1, 0};\n"
        "PyMODINIT_FUNC PyInit__ext(void) { fxr(); return PyModule_Create(&d); }\n")
    mod = os.path.join(pkg, "_ext" + suffix)
    check(cc(["-shared", "-fPIC", "-I" + include, ext, "-o", mod, "-L" + pkg, "-l:libfxr.so",
              "-Wl,--enable-new-dtags", "-Wl,-rpath,$ORIGIN"]), "%s: module built" % name)
    if lib_damage is not None:
        with open(lib, "r+b") as f:
            f.truncate(lib_damage)
    return lib


env = dict(os.environ, PYTHONPATH=site)
cases = []
lib = package("relrlld", ["-fuse-ld=lld", "-Wl,--pack-dyn-relocs=relr"])
if lib is None:
    print("note: no lld with --pack-dyn-relocs=relr: the DT_RELR case is not run")
else:
    cases.append(("relrlld", lib, "DT_RELR without GLIBC_ABI_DT_RELR dependency", "pack-relative-relocs"))
lib = package("cutshort", [], lib_damage=40)
cases.append(("cutshort", lib, "file too short", "Replace"))
# Cut inside its segments (headers whole): not a text of the loader's own;
# glibc 2.36 maps it and the interpreter dies of SIGBUS, so no ImportError
# text may be predicted.
cutmid = package("cutmid", [], lib_damage=5000)
# A library that packs its relocations the way glibc wants: loads.
ok = package("relrbfd", ["-Wl,-z,pack-relative-relocs"])

for name, lib, why, fixword in cases:
    real = subprocess.run([PY, "-c", "import %s._ext" % name], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    last = real.stderr.strip().splitlines()[-1] if real.stderr.strip() else ""
    want = "ImportError: %s: %s" % (lib, why)
    check(last == want, "%s: the real import says %r (got %r)" % (name, want, last))
    r = subprocess.run([extprobe, "explain", "--python", PY, "-C", scratch, name + "._ext"],
                       env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=120)
    check(r.returncode == 1, "%s: explain exits 1 (got %d)" % (name, r.returncode))
    check("which the loader finds but refuses: %s" % why in r.stdout,
          "%s: the finding says the library is refused, and why" % name)
    check("cannot find" not in r.stdout and "cannot open shared object file" not in r.stdout,
          "%s: nothing says the library is missing" % name)
    check("Python reports: " + want in r.stdout,
          "%s: the finding predicts the real ImportError" % name)
    check(fixword in r.stdout, "%s: the fix fits the reason (%s)" % (name, fixword))
    mod = os.path.join(site, name, "_ext" + suffix)
    d = subprocess.run([extprobe, "deps", "--python", PY, mod], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    check(d.returncode == 1 and "REFUSED: %s" % why in d.stdout,
          "%s: deps names the library REFUSED and exits 1 (got %d)" % (name, d.returncode))

real = subprocess.run([PY, "-c", "import cutmid._ext"], env=env, stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, universal_newlines=True)
check(real.returncode != 0, "cutmid: the real import fails (rc %d)" % real.returncode)
r = subprocess.run([extprobe, "explain", "--python", PY, "-C", scratch, "cutmid._ext"],
                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   universal_newlines=True, timeout=120)
check(r.returncode == 1 and "which the loader finds but refuses" in r.stdout,
      "cutmid: explain says the library is refused (got %d)" % r.returncode)
check("Python reports: ImportError: %s" % cutmid not in r.stdout,
      "cutmid: no ImportError text is predicted for extprobe's own diagnosis")
if real.returncode == -7:
    check("SIGBUS" in r.stdout, "cutmid: the real import died of SIGBUS, as the finding says")
    check("initialisation" not in r.stdout,
          "cutmid: the trial's death is not blamed on the module's initialisation")

if ok is not None:
    real = subprocess.run([PY, "-c", "import relrbfd._ext"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    check(real.returncode == 0, "relrbfd: the real import succeeds")
    mod = os.path.join(site, "relrbfd", "_ext" + suffix)
    d = subprocess.run([extprobe, "deps", "--python", PY, mod], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    check(d.returncode == 0, "relrbfd: deps says it loads (got %d)" % d.returncode)

finish()
