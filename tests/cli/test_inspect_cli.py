#!/usr/bin/env python3
"""CLI tests of `extprobe inspect`: exit codes (0, 1, 2), one stderr line per
file that is not loadable ELF naming the file and the reason, --json that
parses and carries the contract's keys with the fixtures' known truth, and
never a crash, a hang or an empty report.

usage: test_inspect_cli.py EXTPROBE FIXTURE_DIR SOURCE_DIR SCRATCH_DIR

Run by `meson test --suite cli`. Prints each failed check and a summary
line; exits 1 on any failure, 77 (skip) when the binary is missing.
"""
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import sysconfig

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
HANG_GUARD = 60  # seconds; a hang, not a slow run, is what this catches

failures = []
checks = 0


def sanitizer_env():
    """The environment for extprobe: sanitizers (an ASan/UBSan build) exit
    with 1 by default, which is also "not loadable"; make their failures
    exit 86 so that no check can mistake one for a verdict. The caller's
    other options (log_path) are kept."""
    env = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        env[var] = ":".join(x for x in (env.get(var, ""), "exitcode=86") if x)
    return env


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond


def run(*args):
    try:
        p = subprocess.run([EXTPROBE] + list(args), capture_output=True,
                           text=True, errors="replace", timeout=HANG_GUARD,
                           env=sanitizer_env())
    except subprocess.TimeoutExpired:
        check(False, "extprobe %s hung (no exit after %d s)" %
              (" ".join(args), HANG_GUARD))
        return None
    # A crash is a negative return code (signal) or a sanitizer's exit code.
    check(p.returncode in (0, 1, 2),
          "extprobe %s: exit status %d (crash?)\n%s" %
          (" ".join(args), p.returncode, p.stderr[-2000:]))
    return p


def stderr_lines(p):
    return [line for line in p.stderr.splitlines() if line.strip()]


def fx(name):
    return os.path.join(FIXTURES, name)


def test_usage_errors():
    p = subprocess.run([EXTPROBE], capture_output=True, text=True,
                       timeout=HANG_GUARD, env=sanitizer_env())
    check(p.returncode == EXIT_USAGE, "no command: exit %d" % p.returncode)
    check("usage:" in p.stderr, "no command: usage on stderr")
    p = run("inspect")
    check(p.returncode == EXIT_USAGE, "inspect without FILE: exit %d" % p.returncode)
    check("extprobe: inspect: no FILE given" in p.stderr,
          "inspect without FILE: message, got %r" % p.stderr[:200])
    check(p.stdout == "", "inspect without FILE: nothing on stdout")
    p = run("inspect", "--no-such-option", fx("libfxlib.so.2"))
    check(p.returncode == EXIT_USAGE, "unknown option: exit %d" % p.returncode)
    p = run("no-such-command")
    check(p.returncode == EXIT_USAGE, "unknown command: exit %d" % p.returncode)
    check("no-such-command" in p.stderr, "unknown command named in the message")
    p = run("inspect", "--help")
    check(p.returncode == EXIT_OK, "inspect --help: exit %d" % p.returncode)
    check(p.stdout.startswith("usage: extprobe inspect"), "inspect --help text")


def good_fixtures():
    names = ["libfxlib.so.2", "libfxlib-rpath.so", "libfxdep.so.1", "fxexe",
             "libfxexecstack.so",
             "fxpie", "fxabi3.abi3.so", "fxmod" + EXT_SUFFIX,
             "fxmod-strip-all.so", "fxmod-strip-debug.so", "libfx32.so",
             "fxarm.cpython-311-aarch64-linux-gnu.so", "rsfx.abi3.so",
             "cyfx" + EXT_SUFFIX, "libfxbe.so", "libfxrv.so", "libfxarmhf.so"]
    return [fx(n) for n in names if os.path.exists(fx(n))]


def test_loadable_elf_exits_0():
    files = good_fixtures()
    check(len(files) >= 9, "at least the always-built fixtures exist (%d)" % len(files))
    for f in files:
        p = run("inspect", f)
        check(p.returncode == EXIT_OK, "%s: exit %d, stderr %r" %
              (f, p.returncode, p.stderr[:300]))
        check(p.stderr == "", "%s: nothing on stderr, got %r" % (f, p.stderr[:300]))
        check(p.stdout.startswith(f + "\n"), "%s: report starts with the path" % f)
    # All at once: one report per file, still exit 0.
    p = run("inspect", *files)
    check(p.returncode == EXIT_OK, "all good fixtures together: exit %d" % p.returncode)
    check(sum(1 for line in p.stdout.splitlines() if line in files) == len(files),
          "one report per file")


def test_text_report_of_the_versioned_library():
    p = run("inspect", "--symbols", fx("libfxlib.so.2"))
    out = p.stdout
    for want in ["soname      libfxlib.so.2",
                 "needed      libfxdep.so.1 libm.so.6 libc.so.6",
                 "runpath     $ORIGIN/../fxdeps /opt/fx/lib",
                 "rpath       -",
                 "build-id    0123456789abcdeffedcba9876543210aa55aa55",
                 "abi-tag     Linux 4.19.7",
                 # a hidden (non-default) version is name@VER, the default
                 # name@@VER, a reference name@VER
                 " fx_func@FXLIB_1.0\n", " fx_func@@FXLIB_2.0\n",
                 " memcpy@GLIBC_2.14\n", " fxdep_value@FXDEP_1.0\n",
                 "libc.so.6: ", "(highest GLIBC_2.14)",
                 "(highest FXDEP6_5.10 FXDEP_1.0 FXDEP6_TINFO_5.7)"]:
        check(want in out, "text report of libfxlib.so.2 lacks %r" % want)
    # A version without a number (GLIBC_PRIVATE) is never "the highest".
    libc = "/lib/x86_64-linux-gnu/libc.so.6"
    if os.path.exists(libc):
        p = run("inspect", libc)
        check("(highest GLIBC_2." in p.stdout and "highest GLIBC_PRIVATE" not in p.stdout,
              "libc.so.6 highest version: %r" % [line for line in p.stdout.splitlines()
                                                 if "highest" in line])
    p = run("inspect", fx("libfxlib-rpath.so"))
    check("rpath       /opt/fx/a \"\" $ORIGIN/lib" in p.stdout,
          "empty RPATH entry shown as \"\": %r" % p.stdout[:600])


def bad_inputs():
    """(path, kind, reason fragment) of every input that is not loadable."""
    os.makedirs(SCRATCH, exist_ok=True)
    cases = []

    def write(name, data):
        path = os.path.join(SCRATCH, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    cases.append((os.path.join(SCRATCH, "missing.so"), "unreadable",
                  "No such file or directory"))
    cases.append((SCRATCH, "unreadable", "is a directory"))
    cases.append((write("empty.so", b""), "empty", "empty"))
    fifo = os.path.join(SCRATCH, "fifo.so")
    if os.path.exists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    cases.append((fifo, "unreadable", "FIFO"))
    cases.append((write("macho.so", bytes.fromhex("cffaedfe07000001030000000200")),
                  "macho", "Mach-O"))
    cases.append((write("text.so", b"import os\nprint(os.name)\n"),
                  "python-source", "Python source"))
    cases.append((fx("fxsource.pyc"), "python-bytecode", "bytecode"))
    cases.append((write("junk.so", bytes(range(256))), "unknown", "not ELF"))
    cases.append((fx("fxdep.o"), "elf", "relocatable"))
    # Real macOS and Windows builds (ld64.lld, lld-link, llvm-lipo), when
    # the fixture build could make them.
    for name, kind, reason in [
            ("fxmacho.cpython-311-darwin.so", "macho", "Mach-O 64-bit"),
            ("fxfat.abi3.so", "macho", "Mach-O universal binary"),
            ("fxwin.cp311-win_amd64.pyd", "pe", "PE/COFF"),
            ("fxwin.cp311-win_amd64.lib", "unknown", "ar archive"),
            ("fxs390.o", "elf", "relocatable")]:
        if os.path.exists(fx(name)):
            cases.append((fx(name), kind, reason))
    for cut in ["magic", "ident", "ehdr", "phdrs", "dynamic", "notes",
                "dynsym", "verneed", "shdrs", "last", "half"]:
        cases.append((fx("fxtrunc-%s.so" % cut), "truncated", "cut short"
                      if cut in ("magic", "ident", "ehdr") else "past the end"))
    with open(fx("libfxlib.so.2"), "rb") as f:
        data = bytearray(f.read())
    data[4] = 9  # EI_CLASS
    cases.append((write("badclass.so", bytes(data)), "corrupt", "ELF class"))
    data[4] = 2
    data[0x3c:0x3e] = (0xfeff).to_bytes(2, "little")  # e_shnum
    cases.append((write("shnum.so", bytes(data)), "truncated",
                  "section headers (65279 entries"))
    if os.geteuid() != 0:
        noread = write("noread.so", b"\x7fELF")
        os.chmod(noread, 0)
        cases.append((noread, "unreadable", "Permission denied"))
    else:
        print("SKIP: unreadable file: running as root, permission bits do "
              "not stop root")
    return cases


def test_each_bad_input_exits_1_with_one_line():
    global n_bad
    cases = bad_inputs()
    n_bad = len(cases)
    for path, kind, reason in cases:
        p = run("inspect", path)
        if p is None:
            continue
        check(p.returncode == EXIT_FINDINGS, "%s: exit %d" % (path, p.returncode))
        lines = stderr_lines(p)
        check(len(lines) == 1, "%s: one stderr line, got %r" % (path, lines))
        if lines:
            prefix = "extprobe: %s: %s: " % (path, kind)
            check(lines[0].startswith(prefix),
                  "%s: line starts %r, got %r" % (path, prefix, lines[0]))
            check(reason in lines[0], "%s: %r not in %r" % (path, reason, lines[0]))
        # Never an empty report.
        check(p.stdout.startswith(path + "\n") and "problem" in p.stdout,
              "%s: report on stdout, got %r" % (path, p.stdout[:300]))
        pj = run("inspect", "--json", path)
        doc = parse_json(pj, path)
        if doc:
            entry = doc["files"][0]
            check(entry["path"] == path, "%s: JSON path" % path)
            check(entry["kind"] == kind, "%s: JSON kind %r, want %r" %
                  (path, entry["kind"], kind))
            check(isinstance(entry["reason"], str) and reason in entry["reason"],
                  "%s: JSON reason %r" % (path, entry["reason"]))
            check(pj.returncode == EXIT_FINDINGS, "%s --json: exit %d" %
                  (path, pj.returncode))


def test_mixed_inputs_report_all_and_exit_1():
    good = fx("libfxlib.so.2")
    missing = os.path.join(SCRATCH, "missing.so")
    trunc = fx("fxtrunc-half.so")
    p = run("inspect", good, missing, trunc)
    check(p.returncode == EXIT_FINDINGS, "mixed: exit %d" % p.returncode)
    lines = stderr_lines(p)
    check(len(lines) == 2, "mixed: two stderr lines, got %r" % lines)
    check(any(missing in line for line in lines), "mixed: missing file named")
    check(any(trunc in line for line in lines), "mixed: truncated file named")
    check(not any(good in line for line in lines), "mixed: good file not on stderr")
    for f in (good, missing, trunc):
        check((f + "\n") in p.stdout, "mixed: report for %s" % f)


def test_awkward_file_names():
    """A newline in a name must not split the one stderr line; a name that
    is not UTF-8 must still give parseable JSON; "--" ends the options."""
    newline = os.path.join(SCRATCH, "new\nline.so")
    with open(newline, "w") as f:
        f.write("import os\n")
    p = run("inspect", newline)
    lines = stderr_lines(p)
    check(len(lines) == 1 and "new\\x0aline.so" in lines[0],
          "newline in a file name: one line, escaped: %r" % lines)
    odd = os.path.join(os.fsencode(SCRATCH), b"bad\xffname.so")
    with open(odd, "wb") as f:
        f.write(b"\x7fELF")
    p = subprocess.run([EXTPROBE, "inspect", "--json", odd], capture_output=True,
                       timeout=HANG_GUARD, env=sanitizer_env())
    check(p.returncode == EXIT_FINDINGS, "non-UTF-8 name: exit %d" % p.returncode)
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
        check(doc["files"][0]["kind"] == "truncated",
              "non-UTF-8 name: kind %r" % doc["files"][0]["kind"])
    except ValueError as e:
        check(False, "non-UTF-8 name: JSON does not parse: %s" % e)
    # Ill-formed UTF-8 that a lead-byte check alone lets through: an
    # overlong '/', a surrogate, a sequence cut short, bytes above U+10FFFF.
    # Each byte comes out as \u00XX (docs/json.md); well-formed UTF-8 stays.
    for raw, shown in ((b"\xe0\x80\xaf", "\u00e0\u0080\u00af"),
                       (b"\xed\xa0\x80", "\u00ed\u00a0\u0080"),
                       (b"\xe2\x82", "\u00e2\u0082"),
                       (b"\xf4\x90\x80\x80", "\u00f4\u0090\u0080\u0080"),
                       (b"\xc0\xaf", "\u00c0\u00af"),
                       (b"\xe2\x82\xac", "\u20ac")):
        odd = os.path.join(os.fsencode(SCRATCH), b"ill" + raw + b".so")
        with open(odd, "wb") as f:
            f.write(b"\x7fELF")
        p = subprocess.run([EXTPROBE, "inspect", "--json", odd],
                           capture_output=True, timeout=HANG_GUARD,
                           env=sanitizer_env())
        try:
            text = p.stdout.decode("utf-8")  # strict: must be valid UTF-8
            doc = json.loads(text)
            want = os.path.join(SCRATCH, "ill" + shown + ".so")
            check(doc["files"][0]["path"] == want,
                  "name with %r: path %r, want %r" %
                  (raw, doc["files"][0]["path"], want))
        except ValueError as e:
            check(False, "name with %r: JSON is not valid UTF-8 JSON: %s"
                  % (raw, e))
        os.unlink(odd)
    p = run("inspect", "--", "--json.so")
    check(p.returncode == EXIT_FINDINGS and "--json.so: unreadable" in p.stderr,
          "a file named like an option after --: %r" % p.stderr)


def parse_json(p, what):
    if p is None:
        return None
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        check(False, "%s: --json output does not parse: %s\n%s" %
              (what, e, p.stdout[:500]))
        return None
    check(doc.get("schema") == 1, "%s: schema 1" % what)
    check(isinstance(doc.get("files"), list), "%s: files list" % what)
    return doc


CONTRACT_KEYS = ["path", "kind", "reason", "class", "machine", "type", "soname",
                 "needed", "rpath", "runpath", "pyinit", "exports", "imports",
                 "version_needs", "tag"]


def test_json_of_every_good_fixture():
    files = good_fixtures()
    p = run("inspect", "--json", *files)
    doc = parse_json(p, "good fixtures")
    if not doc:
        return
    check(p.returncode == EXIT_OK, "good fixtures --json: exit %d" % p.returncode)
    check(len(doc["files"]) == len(files), "one entry per file")
    by = {e["path"]: e for e in doc["files"]}
    for f in files:
        e = by.get(f)
        if not check(e is not None, "%s: in the JSON" % f):
            continue
        for k in CONTRACT_KEYS:
            check(k in e, "%s: key %r" % (f, k))
        check(e["kind"] == "elf" and e["reason"] is None, "%s: kind elf" % f)
        for imp in e.get("imports", []):
            check(set(["name", "version", "weak"]) <= set(imp),
                  "%s: import keys %r" % (f, imp))

    lib = by[fx("libfxlib.so.2")]
    expect = {
        "class": 64, "machine": "x86_64", "type": "dyn",
        "soname": "libfxlib.so.2",
        "needed": ["libfxdep.so.1", "libm.so.6", "libc.so.6"],
        "rpath": [], "runpath": ["$ORIGIN/../fxdeps", "/opt/fx/lib"],
        "pyinit": [], "tag": None,
        "build_id": "0123456789abcdeffedcba9876543210aa55aa55",
        "abi_tag": "Linux 4.19.7",
        "flags": ["ORIGIN", "BIND_NOW", "STATIC_TLS", "NOW"],
        "version_defs": ["FXLIB_1.0", "FXLIB_2.0"],
        "version_highest": {"FXDEP": "FXDEP_1.0", "FXDEP6_TINFO": "FXDEP6_TINFO_5.7",
                            "FXDEP6": "FXDEP6_5.10", "GLIBC": "GLIBC_2.14"},
    }
    for k, v in expect.items():
        check(lib.get(k) == v, "libfxlib.so.2: %s = %r, want %r" % (k, lib.get(k), v))
    vn = lib.get("version_needs", {})
    check(sorted(vn.get("libfxdep.so.1", [])) ==
          ["FXDEP6_5.10", "FXDEP6_5.8", "FXDEP6_TINFO_5.7", "FXDEP_1.0"],
          "version_needs libfxdep: %r" % vn)
    check(sorted(vn.get("libc.so.6", [])) == ["GLIBC_2.14", "GLIBC_2.2.5"],
          "version_needs libc: %r" % vn)
    check(set(vn) == {"libfxdep.so.1", "libc.so.6"}, "version_needs files: %r" % vn)
    imports = {(i["name"], i["version"]): i for i in lib.get("imports", [])}
    check(("memcpy", "GLIBC_2.14") in imports, "import memcpy@GLIBC_2.14")
    check(imports.get(("fx_optional_hook", None), {}).get("weak") is True,
          "weak import fx_optional_hook")
    check(imports.get(("fxdep_value", "FXDEP_1.0"), {}).get("library") ==
          "libfxdep.so.1", "fxdep_value is required from libfxdep.so.1")
    details = {(d["name"], d["version"]): d for d in lib.get("export_details", [])}
    check(details.get(("fx_func", "FXLIB_1.0"), {}).get("default_version") is False,
          "fx_func@FXLIB_1.0 is a hidden version")
    check(details.get(("fx_func", "FXLIB_2.0"), {}).get("default_version") is True,
          "fx_func@@FXLIB_2.0 is the default version")
    check(details.get(("fx_protected", "FXLIB_1.0"), {}).get("visibility") ==
          "protected", "fx_protected is protected")
    check(details.get(("fx_fast", "FXLIB_2.0"), {}).get("type") == "ifunc",
          "fx_fast is an ifunc")
    check(details.get(("fx_weak_default", "FXLIB_1.0"), {}).get("binding") == "weak",
          "fx_weak_default is weak")

    mod = by[fx("fxmod" + EXT_SUFFIX)]
    check(mod["pyinit"] == ["PyInit_fxmod"], "fxmod pyinit %r" % mod["pyinit"])
    soabi = sysconfig.get_config_var("SOABI")  # "cpython-311-x86_64-linux-gnu"
    want_tag = {"module": "fxmod", "suffix": EXT_SUFFIX,
                "implementation": "cpython",
                "version": "%d.%d" % sys.version_info[:2], "abiflags": "",
                "platform": soabi.split("-", 2)[2], "stable_abi": False}
    check(mod["tag"] == want_tag, "fxmod tag %r, want %r" % (mod["tag"], want_tag))
    check(mod["debug_info"] is True and mod["stripped"] is False, "fxmod -g")
    abi3 = by[fx("fxabi3.abi3.so")]
    check(abi3["tag"]["stable_abi"] is True, "fxabi3 tag stable_abi")
    check(abi3["needed"] == [] and abi3["version_needs"] == {},
          "fxabi3 needs nothing")
    check(by[fx("libfxexecstack.so")]["exec_stack"] is True, "exec_stack true")
    check(lib["exec_stack"] is False, "exec_stack false")
    strip = by[fx("fxmod-strip-all.so")]
    check(strip["stripped"] is True and strip["build_id"] == mod["build_id"],
          "strip --strip-all keeps the build id")
    if fx("libfx32.so") in by:
        e = by[fx("libfx32.so")]
        check(e["class"] == 32 and e["machine"] == "i386", "libfx32 class/machine")
        check(e["pyinit"] == ["PyInit_fx32"], "libfx32 pyinit %r" % e["pyinit"])
        check(e["rpath"] == ["/opt/fx32/lib"], "libfx32 rpath")
    arm = fx("fxarm.cpython-311-aarch64-linux-gnu.so")
    if arm in by:
        check(by[arm]["machine"] == "aarch64", "fxarm machine")
        check(by[arm]["tag"]["platform"] == "aarch64-linux-gnu", "fxarm tag platform")
    if fx("libfxbe.so") in by:
        e = by[fx("libfxbe.so")]
        check(e["endian"] == "big" and e["machine"] == "ppc64" and
              e["runpath"] == ["/opt/be", "/opt/be2"] and
              e["soname"] == "libfxbe.so", "libfxbe: %r" % {
                  k: e[k] for k in ("endian", "machine", "runpath", "soname")})
        check(e["version_defs"] == ["FX32_1.0"], "libfxbe version_defs")
    if fx("rsfx.abi3.so") in by:
        check(by[fx("rsfx.abi3.so")]["exports"] == ["PyInit_rsfx"],
              "rsfx exports only PyInit_rsfx")


def test_json_of_damaged_files_keeps_the_header():
    p = run("inspect", "--json", fx("fxtrunc-half.so"), fx("fxtrunc-magic.so"))
    doc = parse_json(p, "truncated")
    if not doc:
        return
    half, magic = doc["files"]
    check(half["kind"] == "truncated" and half.get("machine") == "x86_64" and
          half.get("class") == 64, "truncated file keeps its header facts: %r" % half)
    check("needed" not in half, "truncated file reports no dynamic facts")
    check(magic["kind"] == "truncated" and "machine" not in magic,
          "2-byte file has no header facts: %r" % magic)


def test_many_files_under_a_low_descriptor_limit():
    """5,000 files in one call with at most 256 open descriptors: each file
    is closed once reported, so text and JSON cover every file (a version
    that kept them open failed with "Too many open files" near 250)."""
    lib = fx("libfxlib.so.2")
    mod = fx("fxmod" + EXT_SUFFIX)
    many = os.path.join(SCRATCH, "many")
    os.makedirs(many)
    # The module has debug info, and each file with debug info is read by a
    # DWARF helper process (its pipes count against the limit too): one in
    # ten names keeps it, the others are a copy without it, so that the run
    # stays short under AddressSanitizer on a loaded machine.
    bare = os.path.join(SCRATCH, "bare" + EXT_SUFFIX)
    subprocess.run(["strip", "--strip-debug", "-o", bare, mod], check=True)
    files = []
    for i in range(5000):
        # Hard links: 5,000 names, each opened on its own, no copies.
        src, name = ((mod if i % 10 == 1 else bare), "m%04d%s" % (i, EXT_SUFFIX)) if i % 2 \
            else (lib, "libm%04d.so" % i)
        os.link(src, os.path.join(many, name))
        files.append(os.path.join(many, name))

    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    for args in (["inspect"], ["inspect", "--json"]):
        try:
            p = subprocess.run([EXTPROBE] + args + files, capture_output=True,
                               text=True, errors="replace",
                               timeout=HANG_GUARD * 4, env=sanitizer_env(),
                               preexec_fn=low_limit)
        except subprocess.TimeoutExpired:
            check(False, "5,000 files: %s hung" % " ".join(args))
            continue
        what = "5,000 files under ulimit -n 256, %s" % " ".join(args)
        check(p.returncode == EXIT_OK, "%s: exit %d, stderr %r" %
              (what, p.returncode, p.stderr[-300:]))
        if "--json" in args:
            doc = parse_json(p, what)
            paths = [f["path"] for f in doc["files"]] if doc else []
            check(paths == files, "%s: every file once, in order" % what)
            check(doc is not None and
                  all(f["kind"] == "elf" for f in doc["files"]) and
                  all(f["pyinit"] == ["PyInit_fxmod"]
                      for f in doc["files"][1::2]),
                  "%s: every record complete" % what)
            read = sum(1 for f in (doc or {}).get("files", [])
                       if (f.get("provenance") or {}).get("status") == "read")
            check(read == 500, "%s: the 500 files with debug info have their "
                  "provenance read (%d)" % (what, read))
        else:
            heads = [line for line in p.stdout.splitlines() if line in files]
            check(heads == files, "%s: one report per file, in order (%d)" %
                  (what, len(heads)))
            check(p.stdout.count("PyInit      PyInit_fxmod") == 2500,
                  "%s: each module's PyInit" % what)
    shutil.rmtree(many, ignore_errors=True)


def main():
    global EXTPROBE, FIXTURES, SCRATCH, EXT_SUFFIX
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    EXTPROBE, FIXTURES, source_dir, SCRATCH = sys.argv[1:5]
    if not os.access(EXTPROBE, os.X_OK):
        print("SKIP: %s is not built" % EXTPROBE)
        sys.exit(77)
    EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    tests = [test_usage_errors, test_loadable_elf_exits_0,
             test_text_report_of_the_versioned_library,
             test_each_bad_input_exits_1_with_one_line,
             test_mixed_inputs_report_all_and_exit_1,
             test_awkward_file_names,
             test_json_of_every_good_fixture,
             test_json_of_damaged_files_keeps_the_header,
             test_many_files_under_a_low_descriptor_limit]
    for t in tests:
        before = len(failures)
        t()
        print("%s %s" % ("ok  " if len(failures) == before else "FAIL", t.__name__))
    for root, dirs, files in os.walk(SCRATCH):
        for name in files:
            os.chmod(os.path.join(root, name), stat.S_IRUSR | stat.S_IWUSR)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    print("inspect CLI: %d checks over %d fixtures and %d bad inputs, %d failed"
          % (checks, len(good_fixtures()), n_bad, len(failures)))
    sys.exit(1 if failures else 0)


n_bad = 0


if __name__ == "__main__":
    main()
