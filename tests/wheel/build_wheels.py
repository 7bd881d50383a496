"""Real wheels for the `extprobe wheel` tests and the benchmark, made by the
tools on this machine: setuptools' bdist_wheel (Debian's python3-setuptools
and python3-wheel, offline), meson-python through `pip wheel
--no-build-isolation`, rustc cdylibs, aarch64-linux-gnu-gcc, and Python's
zipfile as the writer for wheels no backend here can make (a maturin-style
Rust wheel, retagged or deliberately broken ones). RECORD is always written
with each member's real sha256, as bdist_wheel writes it.

Standard library only; run under Debian's /usr/bin/python3, which has
setuptools, wheel and mesonpy.
"""
import base64
import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile

PY = "/usr/bin/python3"
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
INCLUDE = sysconfig.get_paths()["include"]

C_MODULE = r"""/* extprobe wheel test module %(name)s: %(purpose)s */
%(prelude)s
#include <Python.h>
static PyObject *answer(PyObject *self, PyObject *args)
{
    (void)self; (void)args;
    %(body)s
}
static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "%(name)s", NULL, -1, methods};
PyMODINIT_FUNC PyInit_%(pyinit)s(void) { return PyModule_Create(&def); }
"""

RUST_MODULE = r"""// extprobe wheel test: a PyO3-less cdylib, module %(pyinit)s (no crates)
use std::os::raw::{c_char, c_int, c_void};
#[repr(C)] pub struct PyObject { _p: [u8; 0] }
#[repr(C)] pub struct PyModuleDefBase { ob_refcnt: isize, ob_type: *mut c_void, m_init: *mut c_void, m_index: isize, m_copy: *mut c_void }
#[repr(C)] pub struct PyModuleDef { base: PyModuleDefBase, name: *const c_char, doc: *const c_char, size: isize,
    methods: *mut c_void, slots: *mut c_void, traverse: *mut c_void, clear: *mut c_void, free: *mut c_void }
extern "C" { fn PyModule_Create2(d: *mut PyModuleDef, v: c_int) -> *mut PyObject; }
static mut DEF: PyModuleDef = PyModuleDef {
    base: PyModuleDefBase { ob_refcnt: 1, ob_type: std::ptr::null_mut(), m_init: std::ptr::null_mut(), m_index: 0, m_copy: std::ptr::null_mut() },
    name: b"%(pyinit)s\0".as_ptr() as *const c_char, doc: std::ptr::null(), size: -1,
    methods: std::ptr::null_mut(), slots: std::ptr::null_mut(), traverse: std::ptr::null_mut(), clear: std::ptr::null_mut(), free: std::ptr::null_mut() };
#[no_mangle] pub unsafe extern "C" fn PyInit_%(pyinit)s() -> *mut PyObject { PyModule_Create2(std::ptr::addr_of_mut!(DEF), 1013) }
"""


class ToolMissing(Exception):
    pass


def run(argv, cwd=None, env=None):
    r = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(argv), r.stdout[-2000:], r.stderr[-2000:]))
    return r


def which(tool):
    path = shutil.which(tool) or (os.path.expanduser("~/.cargo/bin/rustc") if tool == "rustc" else None)
    if not path or not os.path.exists(path):
        raise ToolMissing(tool)
    return path


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def c_source(name, pyinit=None, body="return PyLong_FromLong(42);", prelude="", purpose=""):
    return C_MODULE % {"name": name, "pyinit": pyinit or name, "body": body,
                       "prelude": prelude, "purpose": purpose}


def cross_include():
    """Headers the aarch64 cross compiler can use: Debian's pyconfig.h is a
    multiarch wrapper that wants the aarch64 python3-dev, a pyenv CPython's
    is plain (LP64 little-endian like aarch64; the result is only
    inspected, never run)."""
    import glob
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for d in sorted(glob.glob(os.path.join(root, "versions", "3.*", "include", "python3.*"))):
        if os.path.exists(os.path.join(d, "Python.h")) and not d.endswith("t"):
            return d
    raise ToolMissing("a pyenv CPython's headers for the cross build")


def compile_c(out, name, cc="gcc", cflags=(), ldflags=(), include=None, **kw):
    """gcc (or the aarch64 cross compiler) builds module NAME into OUT."""
    if include is None:
        include = cross_include() if "aarch64" in cc else INCLUDE
    cc = which(cc)
    src = out + ".c"
    with open(src, "w") as f:
        f.write(c_source(name, **kw))
    run([cc, "-shared", "-fPIC", "-O1", "-I" + include] + list(cflags) + [src, "-o", out] +
        list(ldflags))
    os.unlink(src)
    return out


def compile_rust(out, pyinit):
    rustc = which("rustc")
    src = out + ".rs"
    with open(src, "w") as f:
        f.write(RUST_MODULE % {"pyinit": pyinit})
    run([rustc, "--edition", "2021", "--crate-type", "cdylib", "--crate-name",
         "t_" + pyinit.strip("_"), "-C", "opt-level=1", "-C", "strip=debuginfo", src, "-o", out])
    os.unlink(src)
    return out


def write_wheel(out_dir, name, version, tag, files, wheel_tags=None, purelib=None,
                requires=(), record=True, edit_rows=None, generator="extprobe-tests"):
    """Write NAME-VERSION-TAG.whl with zipfile: FILES (arcname -> bytes, str
    or ('copy', path)), a dist-info with METADATA, WHEEL and RECORD."""
    di = "%s-%s.dist-info" % (name.replace("-", "_"), version)
    if purelib is None:
        purelib = tag.endswith("-any")
    meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
    meta += "".join("Requires-Dist: %s\n" % r for r in requires)
    wheel = "Wheel-Version: 1.0\nGenerator: %s\nRoot-Is-Purelib: %s\n" % (
        generator, "true" if purelib else "false")
    wheel += "".join("Tag: %s\n" % t for t in (wheel_tags or [tag]))
    members = []
    for rel in sorted(files):
        c = files[rel]
        if isinstance(c, tuple):
            with open(c[1], "rb") as f:
                c = f.read()
        members.append((rel, c if isinstance(c, bytes) else c.encode()))
    members += [(di + "/METADATA", meta.encode()), (di + "/WHEEL", wheel.encode())]
    rows = [[rel, record_hash(d), str(len(d))] for rel, d in members] + [[di + "/RECORD", "", ""]]
    if edit_rows:
        rows = edit_rows(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "%s-%s-%s.whl" % (name.replace("-", "_"), version, tag))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for rel, d in members:
            z.writestr(rel, d)
        if record:
            z.writestr(di + "/RECORD", buf.getvalue())
    return path


SETUP_EXT = """from setuptools import setup, Extension
setup(name=%(name)r, version="1.0", packages=[%(name)r],
      ext_modules=[Extension(%(ext)r, [%(src)r]%(limited)s)])
"""


def setuptools_wheel(work, name, limited=None, body="return PyLong_FromLong(42);",
                     package_data_so=None):
    """`python3 setup.py bdist_wheel` of a one-extension project (offline,
    Debian's setuptools and wheel). limited="cp38": Py_LIMITED_API build
    tagged cp38-abi3. package_data_so: ship that prebuilt .so as package
    data of a pure project instead (a py3-none-any wheel with a .so)."""
    proj = os.path.join(work, "src-" + name)
    shutil.rmtree(proj, ignore_errors=True)
    os.makedirs(os.path.join(proj, name))
    with open(os.path.join(proj, name, "__init__.py"), "w") as f:
        f.write("try:\n    from ._ext import answer\nexcept ImportError:\n    answer = None\n")
    dist = os.path.join(work, "dist-" + name)
    if package_data_so:
        shutil.copy(package_data_so, os.path.join(proj, name, os.path.basename(package_data_so)))
        with open(os.path.join(proj, "setup.py"), "w") as f:
            f.write("from setuptools import setup\nsetup(name=%r, version='1.0', packages=[%r], "
                    "package_data={%r: ['*.so']})\n" % (name, name, name))
        argv = [PY, "setup.py", "-q", "bdist_wheel", "-d", dist]
    else:
        src = os.path.join(name, "_ext.c")
        text = c_source("_ext", body=body, purpose="setuptools build",
                        prelude="#define Py_LIMITED_API 0x03080000" if limited else "")
        with open(os.path.join(proj, src), "w") as f:
            f.write(text)
        with open(os.path.join(proj, "setup.py"), "w") as f:
            f.write(SETUP_EXT % {"name": name, "ext": name + "._ext", "src": src,
                                 "limited": ", py_limited_api=True" if limited else ""})
        argv = [PY, "setup.py", "-q", "bdist_wheel", "-d", dist]
        if limited:
            argv.append("--py-limited-api=" + limited)
    env = dict(os.environ, PIP_NO_INDEX="1")
    run(argv, cwd=proj, env=env)
    (whl,) = [os.path.join(dist, f) for f in os.listdir(dist) if f.endswith(".whl")]
    return whl


MESON_BUILD = """project('%(name)s', 'c', version : '1.0')
py = import('python').find_installation(pure : false)
py.extension_module('_ext', '_ext.c', install : true, subdir : '%(name)s')
py.install_sources('__init__.py', subdir : '%(name)s')
"""


def mesonpy_wheel(work, name):
    """meson-python through `pip wheel --no-build-isolation --no-deps`."""
    which("meson")
    proj = os.path.join(work, "src-" + name)
    shutil.rmtree(proj, ignore_errors=True)
    os.makedirs(proj)
    with open(os.path.join(proj, "pyproject.toml"), "w") as f:
        f.write("[build-system]\nbuild-backend = 'mesonpy'\nrequires = ['meson-python']\n"
                "[project]\nname = '%s'\nversion = '1.0'\n" % name)
    with open(os.path.join(proj, "meson.build"), "w") as f:
        f.write(MESON_BUILD % {"name": name})
    with open(os.path.join(proj, "_ext.c"), "w") as f:
        f.write(c_source("_ext", purpose="meson-python build"))
    with open(os.path.join(proj, "__init__.py"), "w") as f:
        f.write("from ._ext import answer\n")
    dist = os.path.join(work, "dist-" + name)
    run([PY, "-m", "pip", "wheel", "--no-cache-dir", "--no-build-isolation", "--no-deps", "--no-index",
         "-q", "-w", dist, proj])
    (whl,) = [os.path.join(dist, f) for f in os.listdir(dist) if f.endswith(".whl")]
    return whl


def many_extensions_wheel(work, count, tag=None):
    """A wheel with COUNT real extension modules (one gcc build, renamed
    per module, each with its own PyInit by objcopy would change bytes --
    so each is compiled), tagged for this interpreter."""
    tag = tag or "cp%d%d-cp%d%d-manylinux_2_17_x86_64" % (sys.version_info[:2] * 2)
    build = os.path.join(work, "many-%d" % count)
    os.makedirs(build, exist_ok=True)
    files = {"many%d/__init__.py" % count: ""}
    for i in range(count):
        name = "_m%03d" % i
        out = os.path.join(build, name + EXT_SUFFIX)
        if not os.path.exists(out):
            compile_c(out, name, body="return PyLong_FromLong(%d);" % i, purpose="bench")
        files["many%d/%s%s" % (count, name, EXT_SUFFIX)] = ("copy", out)
    return write_wheel(os.path.join(work, "dist-many"), "many%d" % count, "1.0", tag, files)
