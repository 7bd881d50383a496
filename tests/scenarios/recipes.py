"""Building blocks of the scenario recipes (tests/scenarios/<slug>/scenario.py).

Each recipe gets a Context: the interpreter it is built for (ctx.py), a fresh
directory (ctx.root) and helpers that make real artefacts the way the tools
of the story make them:

  ctx.c_module()      gcc against THAT interpreter's headers (sysconfig
                      include dir) named with its EXT_SUFFIX, or any suffix
  ctx.rust_module()   a rustc cdylib, no crates (CPython's structs by hand)
  ctx.cross_module()  aarch64-linux-gnu-gcc
  ctx.shared_lib()    a plain shared library (SONAME, version script)
  ctx.cython_module() cython3 + gcc
  ctx.venv()          `python -m venv --without-pip`: a real site-packages
  ctx.install_dist()  files plus a .dist-info as pip writes it (RECORD with
                      sha256, WHEEL, INSTALLER, REQUESTED, direct_url.json)

Compiled artefacts are built once per interpreter (or once for all, when the
interpreter does not matter) and copied where the recipe wants them.

The oracle side: ctx.run_python() runs the case's interpreter in the case's
directory and environment (a child process, as a user would), and
ctx.expect*() record what the real CPython said; the runner checks
extprobe's answer only when every expectation of the oracle held.

Standard library only; runs under Debian's /usr/bin/python3.
"""
import base64
import csv
import hashlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]

# Variables that would make a child's sys.path or loader search depend on the
# shell the suite was started from rather than on the recipe.
SCRUBBED_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONSTARTUP",
                "PYTHONUSERBASE", "PYTHONEXECUTABLE", "VIRTUAL_ENV", "CONDA_PREFIX",
                "LD_LIBRARY_PATH", "LD_PRELOAD", "PYTHONPLATLIBDIR", "PYTHONINSPECT",
                "PYTHONWARNINGS", "PYTHONDEVMODE", "PYTHONVERBOSE", "PYENV_VERSION")


class Skip(Exception):
    """The scenario does not apply to this interpreter, or a tool is missing."""


class RecipeError(Exception):
    """The recipe could not build its layout: the scenario is broken."""


def scenario_module(slug):
    """The module of tests/scenarios/<slug>/scenario.py: what run.py runs, and
    what a variant scenario builds on (its project, its oracle)."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        "scenario_" + slug.replace("-", "_"), os.path.join(here, slug, "scenario.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def base_env():
    env = dict(os.environ)
    for k in SCRUBBED_ENV:
        env.pop(k, None)
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class Interp:
    """One interpreter and the facts the recipes build against."""

    FACTS = r"""
import importlib.machinery, json, os, sys, sysconfig
inc = sysconfig.get_paths()["include"]
print(json.dumps({
    "version": list(sys.version_info[:3]),
    "implementation": sys.implementation.name,
    "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
    "soabi": sysconfig.get_config_var("SOABI"),
    "multiarch": sysconfig.get_config_var("MULTIARCH") or "",
    "include": inc,
    "has_python_h": os.path.exists(os.path.join(inc, "Python.h")),
    "suffixes": importlib.machinery.EXTENSION_SUFFIXES,
    "abiflags": getattr(sys, "abiflags", ""),
    "debug": hasattr(sys, "gettotalrefcount"),
    "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "base_prefix": sys.base_prefix,
}))
"""

    def __init__(self, key, executable, facts):
        self.key = key
        self.executable = executable
        self.version = tuple(facts["version"])
        self.version_str = "%d.%d.%d" % self.version
        self.implementation = facts["implementation"]
        self.ext_suffix = facts["ext_suffix"]
        self.soabi = facts["soabi"]
        self.multiarch = facts["multiarch"]
        self.include = facts["include"]
        self.has_python_h = facts["has_python_h"]
        self.suffixes = facts["suffixes"]
        self.abiflags = facts["abiflags"]
        self.debug = facts["debug"]
        self.free_threaded = facts["free_threaded"]
        self.base_prefix = facts["base_prefix"]

    @classmethod
    def probe(cls, key, executable):
        """Ask the interpreter for its facts; None when it does not run."""
        if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
            return None
        try:
            r = subprocess.run([executable, "-c", cls.FACTS], env=base_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        if r.returncode != 0:
            return None
        return cls(key, executable, json.loads(r.stdout))

    @property
    def xy(self):
        return "%d%d" % self.version[:2]

    def tagged_suffix(self, version=None, flags=None, platform=None):
        """.cpython-<ver><flags>-<platform>.so, by default this interpreter's."""
        ver = version or self.xy
        flags = self.abiflags if flags is None else flags
        platform = platform or self.multiarch or "x86_64-linux-gnu"
        return ".cpython-%s%s-%s.so" % (ver, flags, platform)

    def __repr__(self):
        return "<Interp %s %s>" % (self.key, self.executable)


class Case:
    """What to run: `python -c "import MODULE"` as a user would, in cwd with
    PYTHONPATH and env; roles name the paths expected.json talks about."""

    def __init__(self, module, python, cwd, pythonpath=(), env=None, roles=None,
                 vars=None, run_as=None, args=()):
        self.module = module
        self.args = list(args)      # extra extprobe options, both routes
        self.python = python
        self.cwd = cwd
        self.pythonpath = list(pythonpath)
        self.env = dict(env or {})
        self.roles = dict(roles or {})
        self.vars = dict(vars or {})
        self.run_as = run_as

    def child_env(self, extra_path=()):
        env = base_env()
        env.update(self.env)
        path = list(extra_path) + self.pythonpath
        if path:
            env["PYTHONPATH"] = os.pathsep.join(path)
        return env

    def wrap(self, argv):
        return (NOBODY + list(argv)) if self.run_as == "nobody" else list(argv)


class Result:
    def __init__(self, argv, returncode, stdout, stderr):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def describe(self):
        return "rc=%s stdout=%r stderr=%r" % (self.returncode, self.stdout[-600:],
                                              self.stderr[-600:])


def run(argv, cwd=None, env=None, timeout=120, input=None):
    try:
        r = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           errors="replace", timeout=timeout, input=input)
    except subprocess.TimeoutExpired as e:
        return Result(argv, "timeout", e.stdout or "", e.stderr or "")
    return Result(argv, r.returncode, r.stdout, r.stderr)


class Tools:
    """The compilers and helpers found on this machine (None when absent)."""

    def __init__(self):
        home = os.path.expanduser("~")
        self.gcc = shutil.which("gcc")
        self.rustc = shutil.which("rustc") or _exe(os.path.join(home, ".cargo", "bin", "rustc"))
        self.aarch64_gcc = shutil.which("aarch64-linux-gnu-gcc")
        self.cython = shutil.which("cython3") or shutil.which("cython")
        self.setpriv = shutil.which("setpriv")
        self.nm = shutil.which("nm")
        self.readelf = shutil.which("readelf")
        self._m32 = None
        self._lock = threading.Lock()

    def gcc_m32(self, scratch):
        """Whether gcc can make a 32-bit shared object (no 32-bit libc needed)."""
        with self._lock:
            if self._m32 is None:
                self._m32 = False
                if self.gcc:
                    src = os.path.join(scratch, "m32probe.c")
                    with open(src, "w") as f:
                        f.write("int f(void) { return 0; }\n")
                    r = run([self.gcc, "-m32", "-shared", "-nostdlib", "-fPIC", src,
                             "-o", os.path.join(scratch, "m32probe.so")])
                    self._m32 = r.returncode == 0
            return self._m32


def _exe(path):
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


class Cache:
    """Compiled artefacts by content key, built once, shared by all cases."""

    def __init__(self, root):
        self.root = root
        self._locks = {}
        self._guard = threading.Lock()

    def get(self, key_parts, name, build):
        """Path of `name` built by build(out_path) for this key, built once."""
        h = hashlib.sha256(json.dumps(key_parts, sort_keys=True).encode()).hexdigest()[:20]
        with self._guard:
            lock = self._locks.setdefault(h, threading.Lock())
        d = os.path.join(self.root, h)
        out = os.path.join(d, name)
        with lock:
            if not os.path.exists(out):
                os.makedirs(d, exist_ok=True)
                build(out)
                if not os.path.exists(out):
                    raise RecipeError("build step produced no %s" % out)
        return out


C_MODULE = r"""/* extprobe scenario %(slug)s: module %(name)s (init PyInit_%(pyinit)s),
 * generated by tests/scenarios/recipes.py for %(interp)s. %(purpose)s */
%(prelude)s
#include <Python.h>
%(decls)s
static PyObject *
answer(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    %(body)s
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "%(name)s", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_%(pyinit)s(void)
{
    %(init)s
}
"""

# The Rust module is the rustc fixture's source (tests/fixtures/rsfx.rs) with
# the module and init names of the scenario put in.
RUST_FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "rsfx.rs")


def rust_module_source(slug, name, pyinit):
    with open(RUST_FIXTURE) as f:
        text = f.read()
    text = text.replace('b"rsfx\\0"', 'b"%s\\0"' % name).replace("PyInit_rsfx", "PyInit_" + pyinit)
    return "// extprobe scenario %s: module %s, init PyInit_%s\n%s" % (slug, name, pyinit, text)


def _record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Context:
    """Handed to build(ctx) and oracle(ctx, case) of one scenario, for one
    interpreter, in one fresh directory."""

    Skip = Skip

    def __init__(self, slug, scenario_dir, interp, interps, root, tools, cache, build_dir):
        self.slug = slug
        self.scenario_dir = scenario_dir
        self.py = interp
        self.interps = interps
        self.root = root
        self.tools = tools
        self.cache = cache
        self.build_dir = build_dir
        self.checks = []        # (ok, text) recorded by the oracle

    # ---- small things ------------------------------------------------------
    def skip(self, reason):
        raise Skip(reason)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def mkdir(self, *parts):
        p = self.path(*parts)
        os.makedirs(p, exist_ok=True)
        return p

    def write(self, path, text, mode=None, age=None):
        """Write a file; age: make its mtime that many seconds in the past
        (a source older than the build made from it)."""
        path = path if os.path.isabs(path) else self.path(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode()
        with open(path, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(path, mode)
        if age is not None:
            t = os.stat(path).st_mtime - age
            os.utime(path, (t, t))
        return path

    def copy(self, src, dst):
        """Copy with the mode but a fresh mtime, as a build or an install
        writes its output now."""
        dst = dst if os.path.isabs(dst) else self.path(dst)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(src, dst)
        return dst

    def source(self, name):
        """A file that ships with the scenario (tests/scenarios/<slug>/NAME)."""
        return os.path.join(self.scenario_dir, name)

    def read_source(self, name):
        with open(self.source(name)) as f:
            return f.read()

    def other_interp(self, newer=None):
        """Another CPython version available here (the nearest one; newer
        ones first when newer is True), or None."""
        others = [i for i in self.interps if i.version[:2] != self.py.version[:2]
                  and not i.debug and i.has_python_h]
        if newer is True:
            others = [i for i in others if i.version[:2] > self.py.version[:2]]
        elif newer is False:
            others = [i for i in others if i.version[:2] < self.py.version[:2]]
        others.sort(key=lambda i: (abs(i.version[1] - self.py.version[1]),
                                   -i.version[1], i.key))
        return others[0] if others else None

    def need(self, tool):
        path = getattr(self.tools, tool)
        if not path:
            raise Skip("%s is not installed" % tool)
        return path

    def require_abi3(self):
        """Skip unless this interpreter imports .abi3.so files (a free-threaded
        3.13 does not)."""
        if ".abi3.so" not in self.py.suffixes:
            raise Skip("%s does not accept .abi3.so" % self.py.key)

    def case(self, module, python=None, cwd=None, pythonpath=(), env=None, roles=None,
             vars=None, run_as=None, args=()):
        return Case(module, python or self.py.executable, cwd or self.mkdir("work"),
                    pythonpath, env, roles, vars, run_as, args)

    # ---- building ----------------------------------------------------------
    def _compile(self, argv, what):
        r = run(argv, timeout=300)
        if r.returncode != 0:
            raise RecipeError("%s failed: %s\n%s" % (what, " ".join(argv), r.stderr[-2000:]))

    def c_source(self, name, pyinit=None, body="return PyLong_FromLong(42);", decls="",
                 init="return PyModule_Create(&def);", prelude="", purpose="", interp=None):
        interp = interp or self.py
        return C_MODULE % {"slug": self.slug, "name": name, "pyinit": pyinit or name,
                           "interp": "%s (%s)" % (interp.key, interp.version_str),
                           "body": body, "decls": decls, "init": init,
                           "prelude": prelude, "purpose": purpose}

    def c_module(self, name, out_dir, suffix=None, interp=None, include=None, source=None,
                 cflags=(), ldflags=(), link_inputs=(), cc=None, filename=None, **src_kw):
        """Compile a one-function module `name` with gcc against the headers of
        `interp` (default: the case's interpreter), name it NAME+SUFFIX (default
        that interpreter's EXT_SUFFIX) in out_dir; returns the path."""
        interp = interp or self.py
        cc = cc or self.need("gcc")
        include = include or interp.include
        if not include or not os.path.exists(os.path.join(include, "Python.h")):
            raise Skip("no Python.h for %s (%s)" % (interp.key, include))
        suffix = suffix if suffix is not None else interp.ext_suffix
        text = source if source is not None else self.c_source(name, interp=interp, **src_kw)
        links = [os.path.abspath(p) for p in link_inputs]
        key = ["c", cc, include, text, list(cflags), list(ldflags),
               [(p, _digest(p)) for p in links]]

        def build(out):
            src = out[:-3] + ".c"
            with open(src, "w") as f:
                f.write(text)
            self._compile([cc, "-shared", "-fPIC", "-O1", "-I" + include] + list(cflags) +
                          [src] + links + ["-o", out] + list(ldflags), "compiling " + name)
        built = self.cache.get(key, "mod.so", build)
        return self.copy(built, os.path.join(out_dir, filename or (name + suffix)))

    def shared_lib(self, soname, source, out_path, version_script=None, cflags=(),
                   ldflags=(), link_inputs=()):
        """A plain C shared library with DT_SONAME soname."""
        gcc = self.need("gcc")
        links = [os.path.abspath(p) for p in link_inputs]
        key = ["lib", gcc, soname, source, version_script, list(cflags), list(ldflags),
               [(p, _digest(p)) for p in links]]

        def build(out):
            d = os.path.dirname(out)
            src = os.path.join(d, "lib.c")
            with open(src, "w") as f:
                f.write(source)
            argv = [gcc, "-shared", "-fPIC", "-O1"] + list(cflags) + [src] + links + \
                   ["-o", out, "-Wl,-soname," + soname] + list(ldflags)
            if version_script:
                vs = os.path.join(d, "lib.map")
                with open(vs, "w") as f:
                    f.write(version_script)
                argv.append("-Wl,--version-script=" + vs)
            self._compile(argv, "linking " + soname)
        built = self.cache.get(key, soname, build)
        return self.copy(built, out_path)

    def rust_module(self, name, out_path, pyinit=None):
        """A rustc cdylib extension module (no crates): one build for every
        interpreter, it uses only PyModule_Create2 of the stable ABI."""
        rustc = self.need("rustc")
        if self.py.free_threaded:
            raise Skip("the Rust module declares the GIL build's PyObject layout")
        text = rust_module_source(self.slug, name, pyinit or name)

        def build(out):
            src = os.path.join(os.path.dirname(out), "lib.rs")
            with open(src, "w") as f:
                f.write(text)
            self._compile([rustc, "--edition", "2021", "--crate-type", "cdylib",
                           "--crate-name", "scenario_" + (pyinit or name).strip("_"),
                           "-C", "opt-level=1", "-C", "strip=debuginfo", src, "-o", out],
                          "rustc " + name)
        built = self.cache.get(["rust", rustc, text], "mod.so", build)
        return self.copy(built, out_path)

    def cross_module(self, name, out_path, cflags=(), **src_kw):
        """The module compiled by aarch64-linux-gnu-gcc against this
        interpreter's headers (Debian's multiarch pyconfig.h wrapper is pointed
        at the host's file: both are LP64 little-endian, and the result is
        only probed, never run)."""
        cc = self.need("aarch64_gcc")
        interp = self.py
        if not interp.has_python_h:
            raise Skip("no Python.h for %s" % interp.key)
        text = self.c_source(name, **src_kw)
        key = ["cross", cc, interp.include, text, list(cflags)]

        def build(out):
            d = os.path.dirname(out)
            src = os.path.join(d, "mod.c")
            with open(src, "w") as f:
                f.write(text)
            argv = [cc, "-shared", "-fPIC", "-O1", "-I" + interp.include]
            pyver = os.path.basename(os.path.normpath(interp.include))
            host_cfg = os.path.join(os.path.dirname(os.path.normpath(interp.include)),
                                    interp.multiarch, pyver, "pyconfig.h")
            if interp.multiarch and os.path.exists(host_cfg):
                triplet = run([cc, "-dumpmachine"]).stdout.strip()
                shim = os.path.join(d, "inc", triplet, pyver)
                os.makedirs(shim, exist_ok=True)
                with open(os.path.join(shim, "pyconfig.h"), "w") as f:
                    f.write('#include "%s"\n' % host_cfg)
                argv.append("-I" + os.path.join(d, "inc"))
            self._compile(argv + list(cflags) + [src, "-o", out], "cross-compiling " + name)
        built = self.cache.get(key, "mod.so", build)
        return self.copy(built, out_path)

    def cython_module(self, pyx_path, name, out_dir, suffix=None):
        """cython3 -3 then gcc against this interpreter's headers. Cython
        0.29 supports CPython <= 3.12 (3.12 with CYTHON_USE_PYLONG_INTERNALS=0);
        raises Skip when it cannot serve this interpreter."""
        cython = self.need("cython")
        if self.py.version[:2] >= (3, 13):
            raise Skip("Cython 0.29 does not support CPython %s" % self.py.version_str)
        with open(pyx_path) as f:
            pyx = f.read()

        def gen(out):
            src = os.path.join(os.path.dirname(out), name + ".pyx")
            with open(src, "w") as f:
                f.write(pyx)
            r = run([cython, "-3", src, "-o", out], env=dict(base_env(), PYTHONWARNINGS="ignore"))
            if r.returncode != 0:
                raise RecipeError("cython failed:\n" + r.stderr[-2000:])
        c_path = self.cache.get(["cython", cython, pyx, name], name + ".c", gen)
        with open(c_path) as f:
            text = f.read()
        return self.c_module(name, out_dir, suffix=suffix, source=text,
                             cflags=["-w", "-DCYTHON_USE_PYLONG_INTERNALS=0"])

    def setuptools_inplace(self, proj, ext_name, sources, interp=None):
        """`python setup.py build_ext --inplace` in the project proj (which has
        setup.py and the sources) with the interpreter itself, as a developer
        runs it: real setuptools, its compiler flags (sysconfig CFLAGS, -g
        included), sources named relative to proj. An interpreter without
        setuptools (pyenv 3.12+) gets the same two commands setuptools would
        run, from proj with relative paths: gcc -g -c src/X.c, then -shared.
        Returns the built module's path."""
        interp = interp or self.py
        out = os.path.join(proj, *ext_name.split(".")) + interp.ext_suffix
        has = run([interp.executable, "-c", "import setuptools"], env=base_env())
        if has.returncode == 0:
            r = run([interp.executable, "setup.py", "build_ext", "--inplace"],
                    cwd=proj, env=base_env(), timeout=300)
            if r.returncode != 0:
                raise RecipeError("setup.py build_ext --inplace failed: %s" % r.describe())
        else:
            gcc = self.need("gcc")
            if not interp.has_python_h:
                raise Skip("no Python.h for %s" % interp.key)
            objs = []
            for src in sources:
                obj = os.path.join("build", "temp", src[:-2] + ".o")
                os.makedirs(os.path.join(proj, os.path.dirname(obj)), exist_ok=True)
                r = run([gcc, "-g", "-O2", "-fPIC", "-I" + interp.include, "-c", src,
                         "-o", obj], cwd=proj)
                if r.returncode != 0:
                    raise RecipeError("gcc -c %s failed: %s" % (src, r.describe()))
                objs.append(obj)
            r = run([gcc, "-shared"] + objs + ["-o", out], cwd=proj)
            if r.returncode != 0:
                raise RecipeError("linking %s failed: %s" % (out, r.describe()))
        if not os.path.isfile(out):
            raise RecipeError("the in-place build made no %s" % out)
        return out

    def truncate(self, src, dst, length):
        """`head -c LENGTH SRC > DST`."""
        dst = dst if os.path.isabs(dst) else self.path(dst)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as out:
            r = subprocess.run(["head", "-c", str(length), src], stdout=out)
        if r.returncode != 0:
            raise RecipeError("head -c %d %s failed" % (length, src))
        return dst

    # ---- environments and installs ----------------------------------------
    def venv(self, name="venv", interp=None):
        """A real virtual environment (`python -m venv --without-pip`) of the
        case's interpreter; returns (python, site_packages)."""
        interp = interp or self.py

        def make(out):
            tmpl = os.path.dirname(out)
            r = run([interp.executable, "-m", "venv", "--without-pip", tmpl + "/venv"],
                    env=base_env())
            if r.returncode != 0:
                raise RecipeError("python -m venv failed: " + r.describe())
            with open(out, "w") as f:
                f.write("made by python -m venv --without-pip\n")
        # One real venv per interpreter, copied (symlinks kept) for each case:
        # a venv is found through bin/python's location and pyvenv.cfg, so the
        # copy is a venv of its own (only the activate scripts name the
        # template), and copying is much cheaper than starting Python.
        stamp = self.cache.get(["venv", interp.executable, interp.version_str], "stamp", make)
        d = self.path(name)
        shutil.copytree(os.path.join(os.path.dirname(stamp), "venv"), d, symlinks=True)
        python = os.path.join(d, "bin", "python")
        site = os.path.join(d, "lib", "python%d.%d" % interp.version[:2], "site-packages")
        if not os.path.isdir(site):
            raise RecipeError("venv has no %s" % site)
        return python, site

    def wheel_tag(self, interp=None):
        interp = interp or self.py
        t = "cp%s" % interp.xy
        return "%s-%s%s-linux_x86_64" % (t, t, interp.abiflags)

    def install_dist(self, site, name, version, files, tag=None, purelib=False,
                     direct_url=None, generator="bdist_wheel (0.41.2)", record_extra=()):
        """Install FILES (relative path -> text, bytes, or ('copy', path)) into
        SITE with NAME-VERSION.dist-info as pip 23 writes it. Returns the
        dist-info directory."""
        rows = []
        for rel in sorted(files):
            content = files[rel]
            dst = os.path.join(site, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if isinstance(content, tuple) and content[0] == "copy":
                if os.path.abspath(content[1]) != os.path.abspath(dst):
                    shutil.copy(content[1], dst)
            else:
                with open(dst, "wb") as f:
                    f.write(content if isinstance(content, bytes) else content.encode())
            with open(dst, "rb") as f:
                data = f.read()
            rows.append((rel, _record_hash(data), str(len(data))))
        di_name = "%s-%s.dist-info" % (name.replace("-", "_"), version)
        di = os.path.join(site, di_name)
        os.makedirs(di, exist_ok=True)
        meta = {
            "METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version),
            "WHEEL": "Wheel-Version: 1.0\nGenerator: %s\nRoot-Is-Purelib: %s\nTag: %s\n\n" % (
                generator, "true" if purelib else "false",
                tag or ("py3-none-any" if purelib else self.wheel_tag())),
            "INSTALLER": "pip\n",
            "REQUESTED": "",
        }
        if direct_url is not None:
            meta["direct_url.json"] = json.dumps(direct_url, sort_keys=True)
        for fname, text in meta.items():
            with open(os.path.join(di, fname), "w") as f:
                f.write(text)
            data = text.encode()
            rows.append((di_name + "/" + fname, _record_hash(data), str(len(data))))
        rows.extend(record_extra)
        rows.append((di_name + "/RECORD", "", ""))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        for row in sorted(rows):
            w.writerow(row)
        with open(os.path.join(di, "RECORD"), "w") as f:
            f.write(buf.getvalue())
        return di

    # ---- wheels (extprobe wheel scenarios) -------------------------------------
    def make_wheel(self, name, version, tag, files, out_dir=None, wheel_tags=None,
                   purelib=None, requires=(), generator="bdist_wheel (0.38.4)",
                   record=True, record_rows=None):
        """A wheel file NAME-VERSION-TAG.whl written with Python's zipfile (a
        real zip writer): FILES (arcname -> text, bytes or ('copy', path)),
        NAME-VERSION.dist-info with METADATA, WHEEL (Tag: lines WHEEL_TAGS,
        default the file's tag) and RECORD with each member's sha256 and size,
        as bdist_wheel writes them. record_rows(rows) may edit the rows."""
        import zipfile
        out_dir = out_dir or self.mkdir("dist")
        di = "%s-%s.dist-info" % (name.replace("-", "_"), version)
        if purelib is None:
            purelib = tag.endswith("-any")
        meta = "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version)
        meta += "".join("Requires-Dist: %s\n" % r for r in requires)
        wheel = "Wheel-Version: 1.0\nGenerator: %s\nRoot-Is-Purelib: %s\n" % (
            generator, "true" if purelib else "false")
        wheel += "".join("Tag: %s\n" % t for t in (wheel_tags or [tag])) + "\n"
        members = []
        for rel in sorted(files):
            content = files[rel]
            if isinstance(content, tuple) and content[0] == "copy":
                with open(content[1], "rb") as f:
                    data = f.read()
            else:
                data = content if isinstance(content, bytes) else content.encode()
            members.append((rel, data))
        members += [(di + "/METADATA", meta.encode()), (di + "/WHEEL", wheel.encode())]
        rows = [(rel, _record_hash(data), str(len(data))) for rel, data in members]
        rows.append((di + "/RECORD", "", ""))
        if record_rows:
            rows = record_rows(rows)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path = os.path.join(out_dir, "%s-%s-%s.whl" % (name.replace("-", "_"), version, tag))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for rel, data in members:
                z.writestr(rel, data)
            if record:
                z.writestr(di + "/RECORD", buf.getvalue())
        return path

    def pip_target(self, wheel, target_dir, python_version=None, platform=None, abi=None,
                   dry_run=False):
        """Debian's pip installs WHEEL into TARGET_DIR (--target), offline; for
        another interpreter or platform with --python-version/--platform/--abi
        (pip's own tag check decides). Returns the Result."""
        argv = ["/usr/bin/python3", "-m", "pip", "install", "--no-index", "--no-deps",
                "--disable-pip-version-check", "--no-compile", "--target", target_dir]
        if python_version or platform or abi:
            argv += ["--only-binary", ":all:", "--implementation", "cp"]
            if python_version:
                argv += ["--python-version", python_version]
            if platform:
                argv += ["--platform", platform]
            if abi:
                argv += ["--abi", abi]
        if dry_run:
            argv.append("--dry-run")
        return run(argv + [wheel], env=base_env(), timeout=120)

    def wheel_case(self, wheels, target=None, python=None, roles=None, vars=None,
                   pythonpath=(), module="wheel"):
        """An `extprobe wheel` case: WHEELS audited for TARGET (a tag), or for
        PYTHON (default the case's interpreter) when TARGET is None."""
        c = self.case(module, python=python, pythonpath=pythonpath, roles=roles, vars=vars)
        c.wheels = list(wheels)
        c.target = target
        return c

    def expect_run(self, argv, fragment, what, want_fail=True, stream="stderr"):
        """A command (pip, unzip, python -m wheel) fails (or succeeds) saying
        FRAGMENT on STREAM."""
        r = run(argv, env=base_env(), timeout=120)
        text = r.stderr if stream == "stderr" else r.stdout
        rc_ok = (r.returncode not in (0, "timeout")) if want_fail else r.returncode == 0
        ok = rc_ok and fragment in text
        self.expect(ok, "%s says %r (%s)" % (what, fragment, r.describe() if not ok else "ok"))
        return r

    def unprivileged(self, python):
        """How to run a case as a user without root's permission override:
        None when the suite is not root, "nobody" (through setpriv) when it is.
        Raises Skip when nobody cannot run PYTHON or reach the build."""
        if os.geteuid() != 0:
            return None
        if not self.tools.setpriv:
            raise Skip("running as root and setpriv is not installed")
        # The interpreter must be the same one for nobody: a pyenv python
        # under /root may still start, then find Debian's libpython of the
        # same version through ld.so.cache and run as that.
        want = "%s %s" % (self.py.base_prefix, self.py.version_str)
        r = run(NOBODY + [python, "-c", "import sys, platform; "
                          "print(sys.base_prefix, platform.python_version())"],
                cwd="/", env=base_env())
        if r.returncode != 0 or r.stdout.strip() != want:
            got = (r.stdout.strip() or r.stderr.strip()).split(": ")[-1][:60]
            raise Skip("user nobody cannot run %s as itself (%s); root bypasses file "
                       "permissions, so this scenario runs as nobody" % (python, got))
        probes = [
            (["test", "-x", os.path.join(self.build_dir, "probe", "extprobe")],
             "run %s/probe/extprobe" % self.build_dir),
            (["test", "-r", os.path.join(self.build_dir, "pyshim", "extprobe", "__init__.py")],
             "read %s/pyshim" % self.build_dir),
            (["test", "-r", self.root], "read " + self.root),
        ]
        for argv, what in probes:
            r = run(NOBODY + argv, cwd="/", env=base_env())
            if r.returncode != 0:
                raise Skip("user nobody cannot %s (root bypasses file permissions, so this "
                           "scenario runs as nobody)" % what)
        return "nobody"

    # ---- oracle --------------------------------------------------------------
    def run_python(self, case, code, cwd=None, pythonpath=None, python=None, timeout=120,
                   as_suite_user=False):
        """`python -c CODE` as the case runs it (same directory, environment,
        user), unless overridden; as_suite_user: not as the case's user."""
        c = case
        if pythonpath is not None:
            c = Case(case.module, case.python, case.cwd, pythonpath, case.env, run_as=case.run_as)
        argv = [python or case.python, "-c", code]
        if not as_suite_user:
            argv = case.wrap(argv)
        return run(argv, cwd=cwd or case.cwd, env=c.child_env(), timeout=timeout)

    def expect(self, ok, text):
        self.checks.append((bool(ok), text))
        return ok

    def expect_import_error(self, case, fragment, code=None):
        """The real import fails with an exception whose text has FRAGMENT."""
        r = self.run_python(case, code or "import %s" % case.module)
        ok = isinstance(r.returncode, int) and r.returncode > 0 and fragment in r.stderr
        self.expect(ok, "python -c %r fails with %r (%s)" % (
            code or "import %s" % case.module, fragment, r.describe() if not ok else "ok"))
        return r

    def expect_output(self, case, code, fragment, **kw):
        """The real `python -c CODE` succeeds and prints FRAGMENT."""
        r = self.run_python(case, code, **kw)
        ok = r.returncode == 0 and fragment in r.stdout
        self.expect(ok, "python -c %r prints %r (%s)" % (
            code, fragment, r.describe() if not ok else "ok"))
        return r

    def expect_signal(self, case, signum, code=None):
        """The real import kills the interpreter with signal SIGNUM."""
        r = self.run_python(case, code or "import %s" % case.module)
        ok = r.returncode == -signum
        self.expect(ok, "python -c 'import %s' dies of signal %d (%s)" % (
            case.module, signum, r.describe() if not ok else "ok"))
        return r

    def expect_compile_error(self, source, cflags, fragment, include=None):
        """gcc rejects SOURCE (C text) with these flags, saying FRAGMENT: the
        real headers' verdict (e.g. a name the Limited API does not declare)."""
        src = self.write(self.path("compile-check", "check%d.c" % len(self.checks)), source)
        argv = [self.need("gcc"), "-fsyntax-only", "-I" + (include or self.py.include)] + \
            list(cflags) + [src]
        r = run(argv, env=dict(os.environ, LC_ALL="C"))   # 'x', not the locale's quotes
        ok = isinstance(r.returncode, int) and r.returncode > 0 and fragment in r.stderr
        self.expect(ok, "gcc %s rejects the source with %r (%s)" % (
            " ".join(cflags), fragment, r.describe() if not ok else "ok"))
        return r

    def expect_tool(self, argv, fragment, what):
        """A system tool (nm, readelf, ldd) says FRAGMENT."""
        r = run(argv)
        ok = r.returncode == 0 and fragment in r.stdout
        self.expect(ok, "%s shows %r (%s)" % (what, fragment, r.describe() if not ok else "ok"))
        return r


def _digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
