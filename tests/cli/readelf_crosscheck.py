#!/usr/bin/env python3
"""Cross-check `extprobe inspect --json` against GNU readelf, the oracle, for
every extension module of the installed Debian Python packages, every
fixture the test build made, and a few system libraries.

usage: readelf_crosscheck.py EXTPROBE FIXTURE_DIR [--system] [DIR_OR_FILE...]

Directories are searched recursively for *.so files. --system adds what
this Python (run it as Debian's /usr/bin/python3) knows: its site-packages
directories (dist-packages) and lib-dynload, and a few system libraries
with version definitions, IFUNC and unique symbols (libc, libstdc++,
libpython, libcrypto, libelf). Compared per file:
ELF class, type, OS ABI, machine; DT_NEEDED (in order), DT_SONAME,
DT_RPATH, DT_RUNPATH, DT_FLAGS/DT_FLAGS_1 names; PT_INTERP; the PyInit_*
exports; every dynamic symbol (name, version, defined or not, in table
order) with type/binding/visibility/default-version of exports and the weak
flag and required file of imports; version needs per file (in order);
version definitions; build id; ABI tag; .comment strings; stripped and
DWARF flags. Every mismatch is printed; exit 1 if there is any, 77 if
readelf is missing.
"""
import json
import os
import re
import shutil
import subprocess
import sys

# readelf -h "Machine:" text -> extprobe "machine" (lib/elf/names.c).
MACHINES = {
    "Advanced Micro Devices X86-64": "x86_64",
    "AArch64": "aarch64",
    "Intel 80386": "i386",
    "ARM": "arm",
    "PowerPC64": "ppc64",
    "IBM S/390": "s390x",
    "RISC-V": "riscv64",
}
OSABI = {"UNIX - System V": "sysv", "UNIX - GNU": "gnu",
         "UNIX - FreeBSD": "freebsd"}
TYPES = {"DYN": "dyn", "EXEC": "exec", "REL": "rel", "CORE": "core"}


def sanitizer_env():
    """The environment for extprobe: sanitizers (an ASan/UBSan build) exit
    with 1 by default, which is also "not loadable"; make their failures
    exit 86 so that no check can mistake one for a verdict. The caller's
    other options (log_path) are kept."""
    env = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        env[var] = ":".join(x for x in (env.get(var, ""), "exitcode=86") if x)
    return env


class Readelf:
    """The facts of one file as readelf prints them."""

    def __init__(self, path):
        self.path = path
        p = subprocess.run(
            ["readelf", "-W", "-h", "-l", "-S", "-d", "--dyn-syms", "-V", "-n",
             "-p", ".comment", path],
            capture_output=True, text=True, errors="replace",
            env=dict(os.environ, LC_ALL="C"))
        self.ok = p.returncode == 0
        self.errors = [line for line in p.stderr.splitlines()
                       if "was not dumped because it does not exist" not in line]
        self.text = p.stdout
        self.parse(p.stdout)

    def parse(self, text):
        self.header = {}
        self.interp = None
        self.exec_stack = None   # no PT_GNU_STACK
        self.sections = set()
        self.needed, self.soname = [], None
        self.rpath, self.runpath = [], []
        self.flags = set()
        self.symbols = []
        self.needs = []          # [(file, [versions])]
        self.need_index = {}     # .gnu.version index -> needed file
        self.defs = []           # non-base version definitions
        self.build_id = None
        self.abi_tag = None
        self.comments = []
        mode = None
        for line in text.splitlines():
            if line.startswith("ELF Header:"):
                mode = "header"
            elif line.startswith("Section Headers:"):
                mode = "sections"
            elif line.startswith("Program Headers:"):
                mode = "program"
            elif line.startswith("Dynamic section at offset"):
                mode = "dynamic"
            elif line.startswith("Symbol table '.dynsym'"):
                mode = "dynsym"
            elif line.startswith("Version definition section"):
                mode = "verdef"
            elif line.startswith("Version needs section"):
                mode = "verneed"
            elif line.startswith("Version symbols section"):
                mode = "versym"
            elif line.startswith("Displaying notes found"):
                mode = "notes"
            elif line.startswith("String dump of section '.comment'"):
                mode = "comment"
            elif line.startswith("There are no ") or line.startswith("Key to Flags"):
                mode = None
            elif mode == "header":
                m = re.match(r"\s+([^:]+):\s+(.*)$", line)
                if m:
                    self.header.setdefault(m.group(1), m.group(2).strip())
            elif mode == "sections":
                m = re.match(r"\s+\[\s*\d+\]\s+(\S+)\s+(\S+)", line)
                if m:
                    self.sections.add((m.group(1), m.group(2)))
            elif mode == "program":
                m = re.search(r"\[Requesting program interpreter: (.*)\]", line)
                if m:
                    self.interp = m.group(1)
                m = re.match(r"\s+GNU_STACK(?:\s+0x[0-9a-f]+){5} ([RWE ]{3}) \S+$", line)
                if m:
                    self.exec_stack = "E" in m.group(1)
            elif mode == "dynamic":
                self.parse_dynamic(line)
            elif mode == "dynsym":
                self.parse_symbol(line)
            elif mode == "verdef":
                m = re.match(r"\s+0x[0-9a-f]+: Rev: \d+\s+Flags: (\S+).*Name: (\S+)",
                             line.replace("000000:", "0x0000:"))
                if m and m.group(1) != "BASE":
                    self.defs.append(m.group(2))
            elif mode == "verneed":
                line = line.replace("000000:", "0x0000:")
                m = re.match(r"\s+0x[0-9a-f]+: Version: \d+\s+File: (\S+)", line)
                if m:
                    self.needs.append((m.group(1), []))
                m = re.match(r"\s+0x[0-9a-f]+:\s+Name: (\S+).*Version: (\d+)", line)
                if m:
                    self.needs[-1][1].append(m.group(1))
                    self.need_index[int(m.group(2))] = self.needs[-1][0]
            elif mode == "notes":
                m = re.search(r"Build ID: ([0-9a-f]+)", line)
                if m and self.build_id is None:
                    self.build_id = m.group(1)
                m = re.search(r"OS: (\S+), ABI: (\S+)", line)
                if m and self.abi_tag is None:
                    self.abi_tag = "%s %s" % (m.group(1), m.group(2))
            elif mode == "comment":
                m = re.match(r"\s+\[\s*[0-9a-f]+\]\s+(.*)$", line)
                if m and m.group(1) not in self.comments:
                    self.comments.append(m.group(1))
        # -V comes after --dyn-syms: name each import's file once both are in.
        for sym in self.symbols:
            sym["file"] = self.need_index.get(sym["index"])

    def parse_dynamic(self, line):
        m = re.match(r"\s*0x[0-9a-f]+ \((\w+)\)\s+(.*)$", line)
        if not m:
            return
        tag, value = m.groups()
        bracket = re.search(r"\[(.*)\]$", value)
        if tag == "NEEDED":
            self.needed.append(bracket.group(1))
        elif tag == "SONAME":
            self.soname = bracket.group(1)
        elif tag == "RPATH":
            self.rpath = bracket.group(1).split(":")
        elif tag == "RUNPATH":
            self.runpath = bracket.group(1).split(":")
        elif tag == "FLAGS":
            self.flags.update(value.split())
        elif tag == "FLAGS_1":
            self.flags.update(value.replace("Flags:", "").split())

    def parse_symbol(self, line):
        # readelf names STT_GNU_IFUNC and STB_GNU_UNIQUE (both 10) only for
        # ELFOSABI_GNU objects; elsewhere "<OS specific>: 10", with a space.
        line = re.sub(r"<OS specific>: (\d+)", r"OS\1", line)
        parts = line.split()
        if len(parts) > 4 and parts[3] == "OS10":
            parts[3] = "IFUNC"
        if len(parts) > 4 and parts[4] == "OS10":
            parts[4] = "UNIQUE"
        if len(parts) < 8 or not parts[0].endswith(":") or parts[0] == "Num:":
            return
        num, _value, _size, typ, bind, vis, ndx = parts[:7]
        name = parts[7] if len(parts) > 7 else ""
        # "name@VER (n)": n is the .gnu.version index, naming the file.
        index = None
        if len(parts) > 8 and re.match(r"\(\d+\)$", parts[8]):
            index = int(parts[8][1:-1])
        if num == "0:" or bind == "LOCAL" or typ in ("SECTION", "FILE") or not name:
            return
        defined = ndx != "UND"
        version, default = None, False
        if "@@" in name:
            name, version = name.split("@@", 1)
            default = True
        elif "@" in name:
            name, version = name.split("@", 1)
        self.symbols.append({
            "name": name, "version": version, "defined": defined,
            "default": default, "type": typ.lower(), "binding": bind.lower(),
            "visibility": vis.lower(), "weak": bind == "WEAK",
            "index": None if defined else index,
        })


def extprobe_symbols(e):
    """extprobe's symbols in table order: exports and imports are listed
    separately in the JSON, so merge them back by the readelf order."""
    exports = [dict(d, defined=True) for d in e.get("export_details", [])]
    imports = [dict(i, defined=False) for i in e.get("imports", [])]
    return exports, imports


def highest(needs):
    """Family ("GLIBC" of "GLIBC_2.34": up to the first "_" followed by a
    digit, so "NCURSES6_TINFO" and "NCURSES6" are two) -> highest version
    over all needed files, compared numerically; names without a number
    have no order."""
    best = {}
    for _file, versions in needs:
        for v in versions:
            m = re.match(r"(.+?)_([0-9].*)$", v)
            if not m:
                continue
            family = m.group(1)
            key = [int(x) for x in re.findall(r"[0-9]+", m.group(2))]
            if family not in best or key > best[family][0]:
                best[family] = (key, v)
    return {f: v for f, (_k, v) in best.items()}


def norm_version(name, version):
    """readelf prints no version for the absolute symbol ld defines for each
    version (named after it); extprobe reports it: compare without."""
    return None if version == name else version


class Checker:
    def __init__(self):
        self.mismatches = []
        self.facts = 0

    def eq(self, path, what, mine, oracle):
        self.facts += 1
        if mine == oracle:
            return
        if isinstance(mine, list) and isinstance(oracle, list):
            # Long lists: say where they part.
            i = next((k for k, (a, b) in enumerate(zip(mine, oracle)) if a != b),
                     min(len(mine), len(oracle)))
            self.mismatches.append(
                "%s: %s: first difference at #%d: extprobe %r, readelf %r "
                "(lengths %d and %d)" % (path, what, i, mine[i:i + 1],
                                         oracle[i:i + 1], len(mine), len(oracle)))
        else:
            self.mismatches.append("%s: %s: extprobe %r, readelf %r" %
                                   (path, what, mine, oracle))

    def compare(self, e, r):
        p = e["path"]
        if not r.ok or r.errors:
            self.mismatches.append("%s: readelf failed: %s" % (p, r.errors[:3]))
            return
        h = r.header
        self.eq(p, "kind", e["kind"], "elf")
        self.eq(p, "reason", e["reason"], None if h.get("Type", "").split()[0] != "REL"
                else e["reason"])
        self.eq(p, "class", e.get("class"), {"ELF64": 64, "ELF32": 32}.get(h.get("Class")))
        self.eq(p, "machine", e.get("machine"),
                MACHINES.get(h.get("Machine"), "unmapped readelf machine %r" % h.get("Machine")))
        self.eq(p, "type", e.get("type"), TYPES.get(h.get("Type", "").split()[0]))
        self.eq(p, "osabi", e.get("osabi"), OSABI.get(h.get("OS/ABI")))
        self.eq(p, "endian", e.get("endian"),
                "little" if "little endian" in h.get("Data", "") else "big")
        self.eq(p, "interp", e.get("interp"), r.interp)
        self.eq(p, "needed", e.get("needed"), r.needed)
        self.eq(p, "soname", e.get("soname"), r.soname)
        self.eq(p, "rpath", e.get("rpath"), r.rpath)
        self.eq(p, "runpath", e.get("runpath"), r.runpath)
        self.eq(p, "flags", set(e.get("flags", [])), r.flags)
        self.eq(p, "build_id", e.get("build_id"), r.build_id)
        self.eq(p, "abi_tag", e.get("abi_tag"), r.abi_tag)
        self.eq(p, "comments", e.get("comments"), r.comments)
        self.eq(p, "stripped", e.get("stripped"), not any(t == "SYMTAB" for _, t in r.sections))
        self.eq(p, "debug_info", e.get("debug_info"),
                any(n in (".debug_info", ".zdebug_info") for n, _ in r.sections))

        defined = [s for s in r.symbols if s["defined"]]
        undefined = [s for s in r.symbols if not s["defined"]]
        exports, imports = extprobe_symbols(e)
        self.eq(p, "exports (names, in order)", e.get("exports"),
                [s["name"] for s in defined])
        self.eq(p, "export details",
                [(d["name"], norm_version(d["name"], d["version"]),
                  d["default_version"] and norm_version(d["name"], d["version"]) is not None,
                  d["type"], d["binding"], d["visibility"]) for d in exports],
                [(s["name"], norm_version(s["name"], s["version"]),
                  s["default"], s["type"], s["binding"], s["visibility"])
                 for s in defined])
        self.eq(p, "imports (name, version, weak)",
                [(i["name"], i["version"], i["weak"]) for i in imports],
                [(s["name"], s["version"], s["weak"]) for s in undefined])
        # The file each versioned import is required from.
        self.eq(p, "imports' required files",
                [i.get("library") for i in imports],
                [s["file"] for s in undefined])
        self.eq(p, "pyinit", e.get("pyinit"),
                [s["name"] for s in defined
                 if s["name"].startswith("PyInit_") and len(s["name"]) > 7])
        self.eq(p, "version_needs", list(e.get("version_needs", {}).items()),
                [(f, vs) for f, vs in r.needs])
        self.eq(p, "version_defs", e.get("version_defs"), r.defs)
        self.eq(p, "version_highest", e.get("version_highest"), highest(r.needs))
        self.eq(p, "exec_stack", e.get("exec_stack"), r.exec_stack)
        self.eq(p, "size", e.get("size"), os.path.getsize(p))
        for key in ("symbols_error", "versions_error"):
            self.eq(p, key, e.get(key), None)


def find_modules(roots):
    seen, out = set(), []
    for root in roots:
        if os.path.isfile(root):
            candidates = [root]
        else:
            candidates = []
            for d, _dirs, files in os.walk(root):
                candidates += [os.path.join(d, f) for f in sorted(files)
                               if f.endswith(".so")]
        for c in sorted(candidates):
            real = os.path.realpath(c)
            if os.path.isfile(real) and real not in seen:
                seen.add(real)
                out.append(c)
    return out


def system_roots():
    """Extension-module directories of this interpreter, and libraries."""
    import site
    import sysconfig
    roots = [d for d in site.getsitepackages() if os.path.isdir(d)]
    dynload = sysconfig.get_config_var("DESTSHARED")
    if dynload and os.path.isdir(dynload):
        roots.append(dynload)
    libdir = sysconfig.get_config_var("LIBDIR") or "/usr/lib"
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for lib in ["libc.so.6", "libstdc++.so.6",
                sysconfig.get_config_var("INSTSONAME") or "", "libcrypto.so.3",
                "libelf.so.1"]:
        for d in (libdir, os.path.join("/usr/lib", multiarch),
                  os.path.join("/lib", multiarch)):
            path = os.path.join(d, lib)
            if lib and os.path.isfile(path):
                roots.append(path)
                break
    return roots


def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    extprobe, fixture_dir = sys.argv[1], sys.argv[2]
    roots = [r for r in sys.argv[3:] if r != "--system"]
    if "--system" in sys.argv[3:]:
        roots += system_roots()
    if shutil.which("readelf") is None:
        print("SKIP: readelf (binutils) is not installed: no oracle")
        sys.exit(77)
    if not os.access(extprobe, os.X_OK):
        print("SKIP: %s is not built" % extprobe)
        sys.exit(77)
    modules = find_modules([r for r in roots if os.path.exists(r)])
    # The fixtures: every intact ELF the fixture build made, relocatable
    # objects included (the truncated copies are damaged on purpose; the
    # unit tests cover them).
    fixtures = sorted(os.path.join(fixture_dir, f) for f in os.listdir(fixture_dir)
                      if not f.startswith("fxtrunc-")
                      and is_elf(os.path.join(fixture_dir, f)))
    files = [m for m in modules if is_elf(m)] + fixtures
    if not modules:
        print("SKIP: no extension modules found under %s" % " ".join(roots))
        sys.exit(77)

    p = subprocess.run([extprobe, "inspect", "--json"] + files,
                       capture_output=True, text=True, errors="replace",
                       env=sanitizer_env())
    checker = Checker()
    oracles = [Readelf(f) for f in files]
    # Exit 1 exactly when some file is not loadable (here: relocatables).
    want_rc = 1 if any(r.header.get("Type", "").startswith("REL") for r in oracles) else 0
    checker.eq("-", "exit status of extprobe inspect (stderr %r)" % p.stderr[-500:],
               p.returncode, want_rc)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        print("FAIL: extprobe --json output does not parse: %s" % e)
        sys.exit(1)
    entries = doc.get("files", [])
    checker.eq("-", "number of files", len(entries), len(files))
    for e, path, oracle in zip(entries, files, oracles):
        checker.eq(path, "path", e.get("path"), path)
        checker.compare(e, oracle)
    for m in checker.mismatches:
        print("MISMATCH: " + m)
    n_ext = sum(1 for m in modules if is_elf(m))
    print("readelf cross-check: %d files (%d installed modules and libraries, "
          "%d fixtures), %d facts compared, %d mismatches"
          % (len(files), n_ext, len(fixtures), checker.facts,
             len(checker.mismatches)))
    sys.exit(1 if checker.mismatches else 0)


if __name__ == "__main__":
    main()
