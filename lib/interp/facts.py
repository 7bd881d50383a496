# Facts about the running interpreter, printed for libextprobe.
# Run as `PY -S -c <this source> MODE SCRIPT FD` in the user's working directory and
# environment (lib/interp/query.c), or in-process by the Python shim, which
# calls collect() directly. Must run unchanged on CPython 2.7 and 3.6+, so:
# no f-strings, no walrus, nothing imported that the site may lack.
#
# Output: one record per line, fields separated by TAB, with backslash,
# TAB and newline escaped as \\, \t, \n. The first field names the record.
#
# Nothing of the project may run (docs/design/children.md): the child is
# started as `PY -S -c <this>` in the project directory, so `-c` put that
# directory first on sys.path and site has not run. The directory entry goes
# before anything is imported; every module this script needs is imported
# with sys.path cut to the interpreter's own library (_own_import); then
# site.main() does what the interpreter does at startup -- with the same
# sys.path, without the project directory -- and the user's sys.path[0] is
# computed from the start mode instead of taken from this process.
import sys

_CHILD = __name__ == "__main__"
_PATH0_REMOVED = False
if _CHILD and sys.path and sys.path[0] == "" and not getattr(sys.flags, "safe_path", 0):
    del sys.path[0]
    _PATH0_REMOVED = True
# The modules this process had when this script started, and just before and
# after site.main(): what the script imported for itself (not what the
# interpreter's startup imports) is their difference (_hand_over).
_MODULES = {"start": set(sys.modules) if _CHILD else None}


def _own_path():
    """sys.path for this script's own imports: the entries inside the
    interpreter's installation (the standard library), never the working
    directory, PYTHONPATH or site-packages."""
    roots = []
    for name in ("base_prefix", "base_exec_prefix", "prefix", "exec_prefix"):
        p = getattr(sys, name, None)
        if p and p.rstrip("/") not in roots:
            roots.append(p.rstrip("/"))
    try:
        import posix
        cwd = posix.getcwd()
    except Exception:
        cwd = None
    own = [e for e in sys.path if e and e != cwd and not e.startswith(".") and
           any(e.startswith(r + "/") for r in roots) and "site-packages" not in e and
           "dist-packages" not in e]
    return own or [e for e in sys.path if e and e != cwd and not e.startswith(".")]


def _with_own_path(fn, *args):
    """fn(*args) with sys.path cut to _own_path() while it runs."""
    saved = sys.path[:]
    try:
        sys.path[:] = _own_path()
        return fn(*args)
    finally:
        sys.path[:] = saved


def _own_import(name):
    """Import a standard module for this script, from the standard library
    only (a module already imported is used as it is)."""
    if name not in sys.modules:
        _with_own_path(__import__, name)
    return sys.modules[name]


os = _own_import("os")


def _encode(text):
    """UTF-8 bytes of text: file names' undecodable bytes as they were
    (surrogateescape), any other lone surrogate written out."""
    if sys.version_info[0] < 3:
        return text
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def _esc(s):
    if s is None:
        return "\\0"
    s = "%s" % (s,)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _rec(out, *fields):
    out.append("\t".join(_esc(f) for f in fields))


def _norm(p):
    try:
        return os.path.normcase(os.path.abspath(p))
    except Exception:
        return p


def _pth_entries(sitedir):
    """(directory, pth file, is_import_line) for each .pth line, as site.py
    reads them: sorted file names, '#' comments skipped, 'import' lines run."""
    found = []
    try:
        names = sorted(n for n in os.listdir(sitedir) if n.endswith(".pth"))
    except OSError:
        return found
    for name in names:
        full = os.path.join(sitedir, name)
        try:
            with open(full) as f:
                lines = f.read().splitlines()
        except Exception:
            continue
        for line in lines:
            if not line or line.startswith("#"):
                continue
            if line.startswith(("import ", "import\t")):
                found.append((line.strip(), full, True))
                continue
            d = os.path.join(sitedir, line.rstrip())
            if os.path.exists(d):
                found.append((_norm(d), full, False))
    return found


def collect(mode="c", script=None):
    sysconfig = _own_import("sysconfig")
    # The config vars come from a _sysconfigdata_* module imported on first
    # use: that import too from the standard library only.
    _with_own_path(sysconfig.get_config_vars)
    try:
        site = _own_import("site")
    except Exception:
        site = None
    no_site = sys.flags.no_site
    if _CHILD and no_site and site is not None:
        # The interpreter's own startup step, run here (the child has -S):
        # .pth files, their import lines, sitecustomize, usercustomize -- as
        # `python -c` runs them, before its working directory is on sys.path.
        _MODULES["before_site"] = set(sys.modules)
        _run_site(site)
        _MODULES["after_site"] = set(sys.modules)
        no_site = 0
    out = []
    cv = sysconfig.get_config_var
    impl = getattr(sys, "implementation", None)
    _rec(out, "version", "%d.%d.%d" % sys.version_info[:3])
    _rec(out, "implementation", impl.name if impl else "cpython")
    _rec(out, "cache_tag", getattr(impl, "cache_tag", None))
    _rec(out, "executable", sys.executable)
    _rec(out, "executable_real", os.path.realpath(sys.executable) if sys.executable else None)
    _rec(out, "prefix", sys.prefix)
    base = getattr(sys, "base_prefix", getattr(sys, "real_prefix", sys.prefix))
    _rec(out, "base_prefix", base)
    _rec(out, "in_venv", "1" if base != sys.prefix else "0")
    _rec(out, "soabi", cv("SOABI"))
    _rec(out, "multiarch", cv("MULTIARCH") or getattr(sys.implementation, "_multiarch", None) if impl else cv("MULTIARCH"))
    _rec(out, "ext_suffix_config", cv("EXT_SUFFIX") or cv("SO"))
    _rec(out, "abiflags", getattr(sys, "abiflags", ""))
    _rec(out, "platform", sys.platform)
    _rec(out, "maxsize_bits", "64" if sys.maxsize > 2 ** 32 else "32")
    _rec(out, "shared", "1" if cv("Py_ENABLE_SHARED") else "0")
    _rec(out, "ldlibrary", cv("LDLIBRARY"))
    _rec(out, "instsoname", cv("INSTSONAME"))
    _rec(out, "libdir", cv("LIBDIR"))
    _rec(out, "gil_disabled", "1" if cv("Py_GIL_DISABLED") else "0")
    _rec(out, "debug", "1" if hasattr(sys, "gettotalrefcount") else "0")
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        libc = None
    _rec(out, "libc", libc)
    try:
        m = _own_import("importlib.machinery")
        for s in m.EXTENSION_SUFFIXES:
            _rec(out, "ext_suffix", s)
        for s in m.SOURCE_SUFFIXES:
            _rec(out, "source_suffix", s)
        for s in m.BYTECODE_SUFFIXES:
            _rec(out, "bytecode_suffix", s)
    except ImportError:  # Python 2: imp knows the suffixes
        imp = _own_import("imp")
        for s, _, kind in imp.get_suffixes():
            _rec(out, "ext_suffix" if kind == imp.C_EXTENSION else
                 "source_suffix" if kind == imp.PY_SOURCE else "bytecode_suffix", s)
    flags = sys.flags
    for name in ("no_site", "no_user_site", "ignore_environment", "isolated",
                 "safe_path"):
        on = no_site if name == "no_site" else getattr(flags, name, 0)
        _rec(out, "flag", name, "1" if on else "0")
    for var in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONNOUSERSITE",
                "PYTHONUSERBASE", "VIRTUAL_ENV", "CONDA_PREFIX", "LD_LIBRARY_PATH",
                "LD_PRELOAD", "TOX_ENV_NAME", "PYTEST_CURRENT_TEST"):
        if var in os.environ:
            _rec(out, "env", var, os.environ[var])
    _rec(out, "cwd", os.getcwd())
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        _rec(out, "sysconfig_path", key, paths.get(key))
    sitedirs = []
    if site is not None:
        try:
            sitedirs = list(site.getsitepackages())
        except AttributeError:  # old virtualenv's site.py
            sitedirs = [paths.get("purelib"), paths.get("platlib")]
        user = None
        try:
            user = site.getusersitepackages()
        except AttributeError:
            pass
        _rec(out, "user_site", user, "1" if getattr(site, "ENABLE_USER_SITE", False) else "0")
        if user and getattr(site, "ENABLE_USER_SITE", False):
            sitedirs.append(user)
    for d in sitedirs:
        if d:
            _rec(out, "site_dir", d)
    for name in sorted(sys.builtin_module_names):
        _rec(out, "builtin", name)
    for f in sys.meta_path:
        t = type(f) if not isinstance(f, type) else f
        _rec(out, "meta_path", "%s.%s" % (getattr(t, "__module__", "?"), getattr(t, "__name__", "?")),
             getattr(f, "__module__", "") or "")
    pth = {}
    hooks = []
    for d in sitedirs:
        if d:
            for entry, pthfile, is_import in _pth_entries(d):
                if is_import:
                    _rec(out, "pth_hook", pthfile, entry)
                    hooks.append((pthfile, entry))
                else:
                    pth.setdefault(entry, pthfile)
    pth.update(_SEEN_PTH)
    _emit_sys_path(out, mode, script, sitedirs, pth, paths, hooks)
    return out


_SEEN_PTH = {}   # sys.path entry (normalised) -> the .pth file that added it


def _run_site(site):
    """site.main(), as the interpreter runs it at startup, watching each .pth
    file: an entry that appears while site processes a .pth file -- a
    directory line, or an import line's `sys.path.insert(...)` -- is that
    file's (the innermost one, when a line processes another site dir)."""
    orig = getattr(site, "addpackage", None)

    def addpackage(sitedir, name, known_paths):
        before = set(sys.path)
        try:
            return orig(sitedir, name, known_paths)
        finally:
            full = os.path.join(sitedir, name)
            for e in sys.path:
                if e not in before:
                    _SEEN_PTH.setdefault(_norm(e), full)

    if orig is not None:
        site.addpackage = addpackage   # site.addsitedir looks it up by name
    try:
        site.main()
    finally:
        if orig is not None:
            site.addpackage = orig


def _added_by_hook(e, n, hooks):
    """The .pth file whose import line names entry e (or its absolute form
    n) as a string literal: in a running interpreter (the shim) site has run long ago,
    so a line's text is the evidence left."""
    quoted = [q % p for p in set((e, n)) if p for q in ("'%s'", '"%s"')]
    for pthfile, line in hooks:
        if any(q in line for q in quoted):
            return pthfile
    return None


def _emit_sys_path(out, mode, script, sitedirs, pth, paths, hooks=()):
    entries = list(sys.path)
    # sys.path[0] as the user's start would set it (this process itself runs
    # as `-c`, which inserts '' unless -P / PYTHONSAFEPATH; the child took it
    # out first thing).
    safe = bool(getattr(sys.flags, "safe_path", 0))
    first = None
    if _PATH0_REMOVED:
        first = ""
    elif entries and entries[0] == "" and not safe:
        first = entries.pop(0)
    if mode == "c" and first is not None:
        entries.insert(0, ("", "cwd"))
    elif mode == "m" and not safe and mode != "safe":
        entries.insert(0, (os.getcwd(), "cwd"))
    elif mode == "script" and script and not safe:
        entries.insert(0, (os.path.dirname(os.path.realpath(script)), "script-dir"))
    elif mode == "live" and first is not None:
        entries.insert(0, ("", "cwd"))
    elif mode == "live" and entries and not safe:
        # This very process: its sys.path[0] is the working directory (-m)
        # or the script's directory.
        e0 = _norm(entries[0])
        argv0 = sys.argv[0] if sys.argv else ""
        if e0 == _norm(os.getcwd()):
            entries[0] = (entries[0], "cwd")
        elif argv0 and e0 == _norm(os.path.dirname(os.path.realpath(argv0))):
            entries[0] = (entries[0], "script-dir")
    pypath = []
    if not sys.flags.ignore_environment:
        pypath = [_norm(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    site_norm = [_norm(d) for d in sitedirs if d]
    std = [_norm(p) for p in (paths.get("stdlib"), paths.get("platstdlib")) if p]
    user = None
    try:
        site = _own_import("site")
        user = _norm(site.getusersitepackages())
    except Exception:
        pass
    for e in entries:
        if isinstance(e, tuple):
            _rec(out, "path", e[0], e[1], "")
            continue
        n = _norm(e) if e else _norm(os.getcwd())
        if n in pypath:
            origin, detail = "PYTHONPATH", ""
        elif n in pth:
            origin, detail = "pth", pth[n]
        elif user and n == user:
            origin, detail = "user-site", ""
        elif n in site_norm:
            origin, detail = "site-packages", ""
        elif any(n == s or n.startswith(s + os.sep) for s in std) or n.endswith(".zip"):
            origin, detail = "stdlib", ""
        elif not _CHILD and _added_by_hook(e, n, hooks):
            origin, detail = "pth", _added_by_hook(e, n, hooks)
        else:
            origin, detail = "other", ""
        _rec(out, "path", e, origin, detail)


def _flags_as_started(flags):
    """sys.flags as the user's `python -c` has them: these values, but
    no_site 0 (this process runs with -S; site.main() ran above)."""
    text = repr(flags)
    names = [f.split("=", 1)[0] for f in text[text.index("(") + 1:-1].split(", ")]
    values = tuple(flags)
    if len(names) != len(values) or "no_site" not in names:
        raise ValueError("sys.flags: %s" % text)
    i = names.index("no_site")
    values = values[:i] + (0,) + values[i + 1:]

    def field(k):
        return property(lambda self: tuple.__getitem__(self, k))

    ns = dict((n, field(k)) for k, n in enumerate(names))
    ns["__slots__"] = ()
    ns["__module__"] = "sys"
    ns["__repr__"] = lambda self: "sys.flags(%s)" % ", ".join(
        "%s=%r" % nv for nv in zip(names, self))
    ns["__getattr__"] = lambda self, name: getattr(flags, name)
    return type("flags", (tuple,), ns)(values)


def _trial_here(own):
    """None when the trial may run in this process, else why not. The
    modules this script imported for itself (`own`: sysconfig and its
    _sysconfigdata, importlib.machinery, ...) are in sys.modules, where the
    user's `python -c` has none of them: each must be what an import of its
    name would find now -- with the trial's sys.path and sys.meta_path -- or
    the trial could see the standard module where the user's import gets a
    project's file of that name (healthy-project-sysconfig)."""
    bootstrap = sys.modules.get("_frozen_importlib")
    find = getattr(bootstrap, "_find_spec", None)
    if find is None:
        return "no importlib._bootstrap._find_spec"
    for name in sorted(own):
        if "." in name:
            continue   # found through its parent, which is checked
        spec = getattr(sys.modules.get(name), "__spec__", None)
        if spec is None:
            return "%s has no __spec__" % name
        try:
            found = find(name, None)
        except Exception as e:
            return "looking up %s: %s: %s" % (name, type(e).__name__, e)
        if found is None or found.origin != spec.origin:
            return "%s would come from %s, not %s" % (
                name, found and found.origin, spec.origin)
    return None


def _hand_over(argv):
    """The single start (lib/interp/onestart.c): the facts are written; wait
    for the parent's word, then make this process what `python -B -c` would
    be for the trial (trial.py, which follows this script in the same
    source): sys.path[0], sys.argv, sys.flags, sys.orig_argv. Without the
    word (the parent closed the channel or died) end here, as the facts
    child ends (atexit handlers of the startup's code run)."""
    module, go = argv[4], int(argv[5])
    try:
        word = os.read(go, 1)
    except OSError:
        word = b""
    try:
        os.close(go)
    except OSError:
        pass
    if word != b"g":
        raise SystemExit(0)
    before, after = _MODULES.get("before_site"), _MODULES.get("after_site")
    own = None
    if before is not None and after is not None:
        own = (before - _MODULES["start"]) | (set(sys.modules) - after)
    if _PATH0_REMOVED:
        sys.path.insert(0, "")
    sys.argv[:] = ["-c", module, argv[3], argv[1], argv[2]]
    orig = getattr(sys, "orig_argv", None)
    if orig and "-c" in orig:
        i = orig.index("-c")
        sys.orig_argv = ([("-B" if a == "-SB" else a) for a in orig[:i]] +
                         orig[i:i + 2] + sys.argv[1:])
    try:
        sys.flags = _flags_as_started(sys.flags)
    except Exception as e:
        return "sys.flags: %s: %s" % (type(e).__name__, e)
    if own is None:
        return "site.main() did not run here"
    # Looked up once the trial's sys.path is set (trial.py's main).
    global _ONESTART_GATE
    _ONESTART_GATE = lambda: _trial_here(own)
    return None


_ONESTART_GATE = None
_ONESTART_DECLINED = None


def main(argv):
    mode = argv[1] if len(argv) > 1 else "c"
    script = argv[2] if len(argv) > 2 and argv[2] else None
    fd = int(argv[3]) if len(argv) > 3 else 1
    # "end" last: the parent stops reading there (lib/interp/run.c), even if
    # this process does not exit (an atexit handler of a sitecustomize) or a
    # daemon it started keeps the pipe open.
    text = "\n".join(collect(mode, script) + ["end"]) + "\n"
    data = _encode(text)
    while data:
        n = os.write(fd, data)
        data = data[n:]
    if len(argv) > 5:
        global _ONESTART_DECLINED
        _ONESTART_DECLINED = _hand_over(argv)


if __name__ == "__main__":
    main(sys.argv)
