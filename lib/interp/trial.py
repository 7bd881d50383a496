# The load trial: import one module the way the user would, in a child
# process of the target interpreter (lib/interp/trial.c), and report every
# import failure on the way -- also those the package catches itself
# (`try: from . import _ext` / `except ImportError: _ext = None`).
# Output records go to the file descriptor given as argv[2], in the format of
# facts.py, so that whatever the imported code prints cannot corrupt them.
# Runs on CPython 2.7 and 3.6+.
import os
import sys


def _encode(text):
    """UTF-8 bytes of text: file names' undecodable bytes as they were
    (surrogateescape), any other lone surrogate written out."""
    if sys.version_info[0] < 3:
        return text
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


NONE_ATTRS_MAX = 1000


def _own_import(name):
    """Import a standard module for this script with sys.path cut to the
    interpreter's own library (as facts.py does): the project's directory is
    first on sys.path here, and a traceback.py of its own must not run
    because this script wanted the standard one."""
    if name not in sys.modules:
        roots = [p.rstrip("/") for p in (getattr(sys, "base_prefix", None),
                                          getattr(sys, "base_exec_prefix", None),
                                          sys.prefix, sys.exec_prefix) if p]
        cwd = os.getcwd()
        saved = sys.path[:]
        own = [e for e in saved if e and e != cwd and
               any(e.startswith(r + "/") for r in roots) and
               "site-packages" not in e and "dist-packages" not in e]
        try:
            sys.path[:] = own or [e for e in saved if e and e != cwd]
            __import__(name)
        finally:
            sys.path[:] = saved
    return sys.modules[name]


def _esc(s):
    if s is None:
        return "\\0"
    s = "%s" % (s,)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Recorder(object):
    def __init__(self, fd):
        self.fd = fd
        # One exception passes several levels (the loader, each import
        # statement): recorded at the first. The exceptions are kept alive:
        # keyed by id(), a freed one's id could come back for another
        # exception. A failure that happens twice the same way (a package
        # tries a module, then the trial imports it) is recorded once --
        # which used to depend on whether the second exception happened to
        # get the first one's id.
        self.seen = {}
        self.records = set()

    def rec(self, *fields):
        line = "\t".join(_esc(f) for f in fields) + "\n"
        data = _encode(line)
        while data:
            n = os.write(self.fd, data)
            data = data[n:]

    def failure(self, kind, exc, name, importer, path):
        key = (id(exc), kind)
        if key in self.seen:
            return
        self.seen[key] = exc
        fields = (kind, type(exc).__name__, str(exc), name,
                  getattr(exc, "name", None), getattr(exc, "path", None) or path,
                  importer)
        text = tuple(None if f is None else "%s" % (f,) for f in fields)
        if text in self.records:
            return
        self.records.add(text)
        self.rec(*fields)


def _resolve(name, globals_, level):
    """Absolute name of an __import__ call (relative imports resolved)."""
    if not level:
        return name
    pkg = (globals_ or {}).get("__package__") or ""
    if not pkg:
        pkg = (globals_ or {}).get("__name__", "")
        if "__path__" not in (globals_ or {}):
            pkg = pkg.rpartition(".")[0]
    parts = pkg.split(".")
    base = ".".join(parts[:len(parts) - level + 1]) if level > 1 else pkg
    return base + "." + name if name else base


def install_hooks(r):
    try:
        import builtins
    except ImportError:
        import __builtin__ as builtins
    orig_import = builtins.__import__

    def hooked_import(name, globals=None, locals=None, fromlist=(), level=0):
        try:
            return orig_import(name, globals, locals, fromlist, level)
        except ImportError as e:
            absname = _resolve(name, globals, level)
            importer = (globals or {}).get("__name__")
            if fromlist:
                absname = absname + ":" + ",".join(str(x) for x in fromlist)
            r.failure("import_failed", e, absname, importer, None)
            raise

    builtins.__import__ = hooked_import
    # `from . import _ext` imports _ext through the interpreter's saved
    # builtin __import__ (not the one replaced above), and the
    # ModuleNotFoundError never leaves it. Every import, though, goes through
    # importlib._bootstrap._find_and_load, looked up by name on each call.
    bootstrap = sys.modules.get("_frozen_importlib")
    orig_find_and_load = getattr(bootstrap, "_find_and_load", None)
    if orig_find_and_load is not None:
        def find_and_load(name, *args, **kwargs):
            try:
                return orig_find_and_load(name, *args, **kwargs)
            except ImportError as e:
                r.failure("import_failed", e, name, None, None)
                raise
        bootstrap._find_and_load = find_and_load
    try:
        ExtensionFileLoader = _own_import("importlib.machinery").ExtensionFileLoader
    except ImportError:
        return
    orig_create = ExtensionFileLoader.create_module
    orig_exec = ExtensionFileLoader.exec_module

    # "ext_loading" before the loader maps the file and runs its init, and
    # "ext_done" after: when the process dies in between (SIGSEGV in an
    # init, SIGBUS on a truncated file), the last unfinished one names the
    # extension being loaded.
    def create_module(self, spec):
        r.rec("ext_loading", spec.name, spec.origin)
        try:
            return orig_create(self, spec)
        except BaseException as e:
            r.failure("ext_failed", e, spec.name, "create_module", spec.origin)
            r.rec("ext_done", spec.name)
            raise

    def exec_module(self, module):
        try:
            return orig_exec(self, module)
        except BaseException as e:
            r.failure("ext_failed", e, module.__name__, "exec_module",
                      getattr(module, "__file__", None))
            raise
        finally:
            r.rec("ext_done", module.__name__)

    ExtensionFileLoader.create_module = create_module
    ExtensionFileLoader.exec_module = exec_module


def report_module(r, target):
    mod = sys.modules.get(target)
    r.rec("file", getattr(mod, "__file__", None))
    spec = getattr(mod, "__spec__", None)
    r.rec("origin", getattr(spec, "origin", None))
    for p in list(getattr(mod, "__path__", None) or []):
        r.rec("module_path", p)
    suffixes = ()
    try:
        suffixes = tuple(_own_import("importlib.machinery").EXTENSION_SUFFIXES)
    except ImportError:
        pass
    prefix = target.split(".")[0]
    for name, m2 in sorted(sys.modules.items()):
        f = getattr(m2, "__file__", None) or ""
        if (name == prefix or name.startswith(prefix + ".")) and suffixes and f.endswith(suffixes):
            r.rec("loaded_ext", name, f)
    # Attributes a package set to None: the usual trace of a swallowed error.
    # `_ext = None` names come first; past NONE_ATTRS_MAX only the count is
    # sent (a package may hold thousands; each costs the parent a lookup).
    nones = []
    for pkgname in sorted(n for n in sys.modules if n == prefix or n.startswith(prefix + ".")):
        pkg = sys.modules.get(pkgname)
        if pkg is None or not hasattr(pkg, "__path__"):
            continue
        for attr, value in sorted(vars(pkg).items()):
            if value is None and not attr.startswith("__"):
                nones.append((not attr.startswith("_"), pkgname, attr))
    nones.sort()
    r.rec("none_attrs_total", len(nones))
    for _, pkgname, attr in nones[:NONE_ATTRS_MAX]:
        r.rec("none_attr", pkgname, attr)


def _user_traceback(e):
    """The traceback as the user would see it: without this script's hook
    frames (they run from "<string>") and importlib's bootstrap frames."""
    traceback = _own_import("traceback")
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2])
              if f[0] != "<string>" and not f[0].startswith("<frozen importlib")]
    text = "".join(traceback.format_list(frames[-6:]))
    return text + "".join(traceback.format_exception_only(type(e), e))


def main(argv):
    target = argv[1]
    r = Recorder(int(argv[2]))
    mode = argv[3] if len(argv) > 3 else "c"
    script = argv[4] if len(argv) > 4 else ""
    # This process runs as `-c`, which put '' (the working directory) first;
    # make sys.path[0] what the user's way of starting Python gives.
    if sys.path and sys.path[0] == "":
        if mode == "script" and script:
            sys.path[0] = os.path.dirname(os.path.realpath(script))
        elif mode == "safe":
            del sys.path[0]
        elif mode == "m":
            sys.path[0] = os.getcwd()
    # The single start: this source follows facts.py, which took the facts
    # in this process and prepared the trial (facts.py, _hand_over). Whether
    # the trial may run here is decided with the sys.path just set; if not,
    # the parent starts a trial child of its own once this one has ended.
    declined = globals().get("_ONESTART_DECLINED")
    gate = globals().get("_ONESTART_GATE")
    if declined is None and gate is not None:
        declined = gate()
    if declined is not None:
        r.rec("declined", declined)
        r.rec("end")
        return 0
    if gate is not None:
        r.rec("onestart")
    install_hooks(r)
    try:
        try:
            __import__(target)
        except BaseException as e:
            r.rec("result", "error", type(e).__name__, str(e), getattr(e, "name", None),
                  getattr(e, "path", None), _user_traceback(e))
            return 1
        r.rec("result", "ok")
        report_module(r, target)
        return 0
    finally:
        # The last record: the parent stops reading here, whether or not this
        # process then exits (an atexit handler or a thread of the imported
        # code may keep it alive) or a daemon it started holds the pipe.
        r.rec("end")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
