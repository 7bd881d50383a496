#!/usr/bin/env python3
"""Scenario tests: one real broken (or healthy) layout per finding code, checked
against the real symptom first, then against extprobe through both routes.

usage: run.py [--build DIR] [--junitxml FILE] [--results FILE] [--only GLOB]...
              [--python KEY]... [-j N] [--keep] [--list]

For each scenario directory tests/scenarios/<slug>/ (scenario.py +
expected.json, see README.md) and each interpreter found here -- pyenv
CPython 3.8 to 3.13 (the newest patch release of each), Debian's
/usr/bin/python3 and /usr/bin/python3.11-dbg -- the runner

  1. builds the layout in a fresh temporary directory (build(ctx)): modules
     compiled against that interpreter's own headers, venvs, dist-info;
  2. runs the oracle (oracle(ctx, case)): the real `python -c "import X"` in a
     child, or readelf/nm, whose output must contain the real error text. If
     the oracle does not hold, the recipe is broken and extprobe is not asked;
  3. route A: <build>/probe/extprobe explain X --python PY -C DIR --json
     route B: PY -m extprobe X --json in DIR, PYTHONPATH=<build>/pyshim:...
     and checks each report and its exit status against expected.json;
  4. checks that both routes name the same finding codes in the same order.

One line per check on stdout, a JUnit XML file for .ci/summary.py, exit 1 on
any failure, 77 when nothing could run (no interpreter, no compiler).
Standard library only; run it with /usr/bin/python3.
"""
import argparse
import concurrent.futures
import fnmatch
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import recipes  # noqa: E402

SKIP_EXIT = 77
CHECKS = ("oracle", "cli", "shim", "agree")


# ---- interpreters ------------------------------------------------------------
def pyenv_root():
    try:
        r = subprocess.run(["pyenv", "root"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, universal_newlines=True, timeout=30)
        if r.returncode == 0 and r.stdout.strip():
            return r.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.path.expanduser("~/.pyenv")


def discover_interpreters(log):
    """(key, executable) of every interpreter the matrix covers; a missing one
    is reported, not an error."""
    found = []
    root = pyenv_root()
    for minor in range(8, 14):
        best = None
        for d in glob.glob(os.path.join(root, "versions", "3.%d.*" % minor)):
            tail = os.path.basename(d).split(".")
            if len(tail) != 3 or not tail[2].isdigit():
                continue        # 3.13.0t and friends are handled below
            if best is None or int(tail[2]) > best[0]:
                best = (int(tail[2]), d)
        if best:
            found.append(("3.%d" % minor, os.path.join(best[1], "bin", "python3")))
        else:
            log("note: no pyenv CPython 3.%d under %s" % (minor, root))
    for d in sorted(glob.glob(os.path.join(root, "versions", "3.*t"))):
        found.append((os.path.basename(d)[:-1].rsplit(".", 1)[0] + "t",
                      os.path.join(d, "bin", "python3")))
    found.append(("debian-3.11", "/usr/bin/python3"))
    found.append(("debian-3.11-dbg", "/usr/bin/python3.11-dbg"))
    interps = []
    for key, exe in found:
        it = recipes.Interp.probe(key, exe)
        if it is None:
            log("note: interpreter %s (%s) is not available" % (key, exe))
        else:
            interps.append(it)
    return interps


# ---- scenarios -----------------------------------------------------------------
class Scenario:
    def __init__(self, slug, directory):
        self.slug = slug
        self.dir = directory
        self.mod = recipes.scenario_module(slug)
        with open(os.path.join(directory, "expected.json")) as f:
            self.expected = json.load(f)
        self.title = getattr(self.mod, "TITLE", slug)

    def expected_for(self, interp):
        exp = {k: v for k, v in self.expected.items() if k != "python"}
        exp.update(self.expected.get("python", {}).get(interp.key, {}))
        return exp


def discover_scenarios(only):
    out = []
    for d in sorted(os.listdir(HERE)):
        p = os.path.join(HERE, d)
        if not os.path.isfile(os.path.join(p, "scenario.py")):
            continue
        if only and not any(fnmatch.fnmatch(d, pat) for pat in only):
            continue
        out.append(Scenario(d, p))
    return out


# ---- checking a report against expected.json -------------------------------------
def _norm(p):
    return os.path.normpath(p) if p else p


def path_matches(found, want):
    """FOUND names WANT or something inside it (literally or after symlinks)."""
    if not found or not want:
        return False
    for f, w in ((_norm(found), _norm(want)),
                 (os.path.realpath(found), os.path.realpath(want))):
        if f == w or f.startswith(w.rstrip("/") + "/"):
            return True
    return False


class ExpectError(Exception):
    """expected.json names a role the recipe did not define."""


def role_path(case, role):
    if role not in case.roles:
        raise ExpectError("expected.json names role %r, recipe defines %s"
                          % (role, sorted(case.roles)))
    return case.roles[role]


def substitute(text, case):
    values = dict(case.vars)
    values.update(case.roles)
    try:
        return text.format(**values)
    except (KeyError, IndexError) as e:
        raise ExpectError("expected.json text %r uses unknown variable %s" % (text, e))


def finding_text(f):
    return "\n".join(str(f.get(k) or "") for k in ("summary", "detail", "fix"))


def finding_problems(f, spec, case):
    """What is wrong with finding F for SPEC ({code, severity, paths, mentions})."""
    probs = []
    if isinstance(spec, str):
        spec = {"code": spec}
    if f.get("code") != spec["code"]:
        return ["code %s, want %s" % (f.get("code"), spec["code"])]
    sev = spec.get("severity")
    if sev is not None:
        allowed = sev if isinstance(sev, list) else [sev]
        if f.get("severity") not in allowed:
            probs.append("%s: severity %s, want %s" % (spec["code"], f.get("severity"),
                                                       " or ".join(allowed)))
    paths = f.get("paths") or []
    for want in spec.get("paths", []):
        alts = want if isinstance(want, list) else [want]
        targets = [role_path(case, r) for r in alts]
        if not any(path_matches(p, t) for p in paths for t in targets):
            probs.append("%s: paths %s lack %s (%s)" % (
                spec["code"], paths, " or ".join(alts), " | ".join(targets)))
    text = finding_text(f).lower()
    for m in spec.get("mentions", []):
        alts = m if isinstance(m, list) else [m]
        if not any(substitute(a, case).lower() in text for a in alts):
            probs.append("%s: summary/detail/fix never mention %s" % (
                spec["code"], " or ".join(repr(substitute(a, case)) for a in alts)))
    return probs


def codes_of(doc):
    return [f.get("code") for f in doc.get("findings", [])]


def flatten_wheels(doc, case):
    """An `extprobe wheel` document as the checks read a report: the findings
    of every wheel in order, module and importable taken from the case."""
    if "wheels" not in doc:
        return doc
    flat = dict(doc)
    flat["findings"] = [f for w in doc.get("wheels") or [] for f in w.get("findings") or []]
    flat["module"] = case.module
    flat["importable"] = doc.get("ok")
    return flat


def check_report(doc, rc, exp, case):
    """Every difference between a report (and exit status) and expected.json."""
    doc = flatten_wheels(doc, case)
    probs = []
    want_rc = exp["exit"] if isinstance(exp["exit"], list) else [exp["exit"]]
    if rc not in want_rc:
        probs.append("exit status %s, want %s" % (rc, " or ".join(map(str, want_rc))))
    # The contract itself: 1 exactly when some finding is an error.
    errors = [f for f in doc.get("findings") or [] if f.get("severity") == "error"]
    if rc in (0, 1) and rc != (1 if errors else 0):
        probs.append("exit status %s disagrees with the findings (%d of severity error)"
                     % (rc, len(errors)))
    if doc.get("schema") != 1:
        probs.append("schema %r, want 1" % doc.get("schema"))
    if doc.get("module") != case.module:
        probs.append("module %r, want %r" % (doc.get("module"), case.module))
    if "importable" in exp and doc.get("importable") != exp["importable"]:
        probs.append("importable %r, want %r" % (doc.get("importable"), exp["importable"]))
    findings = doc.get("findings") or []
    codes = codes_of(doc)
    head = exp.get("headline")
    if head:
        if not findings:
            probs.append("no findings, want headline %s" % head["code"])
        else:
            probs += ["headline " + p for p in finding_problems(findings[0], head, case)]
    nxt = exp.get("next_error")
    if nxt and findings:
        later = [f for f in findings[1:] if f.get("severity") == "error"]
        if not later:
            probs.append("no error finding after the headline, want %s next" % nxt["code"])
        else:
            probs += ["next error " + p for p in finding_problems(later[0], nxt, case)]
    for spec in exp.get("present", []):
        code = spec if isinstance(spec, str) else spec["code"]
        cands = [f for f in findings if f.get("code") == code]
        if not cands:
            probs.append("%s missing from %s" % (code, codes))
        elif all(finding_problems(f, spec, case) for f in cands):
            probs += finding_problems(cands[0], spec, case)
    for code in exp.get("absent", []):
        if code in codes:
            probs.append("%s present, must not be" % code)
    if exp.get("no_errors"):
        errs = [f.get("code") for f in findings if f.get("severity") == "error"]
        if errs:
            probs.append("error findings %s, want none" % errs)
    if "resolved" in exp:
        want = exp["resolved"]
        got = doc.get("resolved")
        if want is None:
            if got is not None:
                probs.append("resolved %r, want null" % got)
        elif not got:
            probs.append("resolved is null, want %s" % want)
        else:
            if "path" in want and not path_matches(got.get("path"), role_path(case, want["path"])):
                probs.append("resolved path %s, want %s (%s)" % (
                    got.get("path"), want["path"], role_path(case, want["path"])))
            if "kind" in want and got.get("kind") != want["kind"]:
                probs.append("resolved kind %s, want %s" % (got.get("kind"), want["kind"]))
    for spec in exp.get("sys_path", []):
        target = role_path(case, spec["path"])
        want = spec["origin"]
        if "pth" in spec:
            want = "pth:" + role_path(case, spec["pth"])
        entries = [e for e in (doc.get("python") or {}).get("sys_path") or []
                   if e.get("path") and os.path.realpath(e["path"]) == os.path.realpath(target)]
        if not entries:
            probs.append("sys.path has no entry %s (%s)" % (spec["path"], target))
        elif not any(e.get("origin") == want for e in entries):
            probs.append("sys.path entry %s has origin %s, want %s" % (
                spec["path"], [e.get("origin") for e in entries], want))
    for spec in exp.get("candidates", []):
        target = role_path(case, spec["path"])
        statuses = spec["status"] if isinstance(spec["status"], list) else [spec["status"]]
        cands = [c for c in doc.get("candidates") or [] if path_matches(c.get("path"), target)]
        if not cands:
            probs.append("no candidate for %s (%s)" % (spec["path"], target))
        elif not any(c.get("status") in statuses for c in cands):
            probs.append("candidate %s has status %s, want %s" % (
                spec["path"], [c.get("status") for c in cands], " or ".join(statuses)))
    return probs


# ---- running one case ------------------------------------------------------------
class Outcome:
    def __init__(self, slug, key, check, status, message="", seconds=0.0):
        self.slug, self.key, self.check = slug, key, check
        self.status, self.message, self.seconds = status, message, seconds


def run_route(argv, case, cwd, env, timeout):
    t0 = time.time()
    r = recipes.run(case.wrap(argv), cwd=cwd, env=env, timeout=timeout)
    dt = time.time() - t0
    doc, err = None, None
    if r.returncode == "timeout":
        err = "timed out after %ds" % timeout
    else:
        try:
            doc = json.loads(r.stdout)
            if not isinstance(doc, dict):
                doc, err = None, "stdout is JSON but not an object"
        except ValueError:
            err = "no JSON report (exit %s): %s" % (
                r.returncode, (r.stderr.strip() or r.stdout.strip())[-700:])
    return r, doc, err, dt


class Runner:
    def __init__(self, args, interps, scenarios, tools, tmp):
        self.args = args
        self.interps = interps
        self.scenarios = scenarios
        self.tools = tools
        self.tmp = tmp
        self.cache = recipes.Cache(os.path.join(tmp, "_cache"))
        self.build = os.path.abspath(args.build)
        self.cli = os.path.join(self.build, "probe", "extprobe")
        self.pyshim = os.path.join(self.build, "pyshim")
        self.lock = threading.Lock()
        self.outcomes = []
        self.details = []

    def emit(self, outs, detail):
        with self.lock:
            for o in outs:
                self.outcomes.append(o)
                tag = {"pass": "ok  ", "fail": "FAIL", "skip": "skip"}[o.status]
                name = "%s [%s]" % (o.slug, o.key)
                line = "%s %s %s" % (tag, name, o.check) if o.check != "*" else "%s %s" % (tag, name)
                if o.message and o.status != "pass":
                    line += ": " + o.message.replace("\n", "\n      ")
                print(line, flush=True)
            if detail:
                self.details.append(detail)

    def run_case(self, sc, interp):
        root = os.path.join(self.tmp, sc.slug, interp.key)
        os.makedirs(root)
        os.chmod(root, 0o755)
        ctx = recipes.Context(sc.slug, sc.dir, interp, self.interps, root, self.tools,
                              self.cache, self.build)
        detail = {"scenario": sc.slug, "python": interp.key, "version": interp.version_str}
        t0 = time.time()
        try:
            applies = getattr(sc.mod, "applies", None)
            reason = applies(ctx) if applies else None
            if reason:
                raise recipes.Skip(reason)
            case = sc.mod.build(ctx)
        except recipes.Skip as e:
            detail["skipped"] = str(e)
            self.emit([Outcome(sc.slug, interp.key, "*", "skip", str(e))], detail)
            return
        except Exception as e:
            msg = "recipe failed to build: %s" % (e if isinstance(e, recipes.RecipeError)
                                                  else traceback.format_exc(limit=4))
            outs = [Outcome(sc.slug, interp.key, "oracle", "fail", msg, time.time() - t0)]
            outs += [Outcome(sc.slug, interp.key, c, "skip", "not run: the recipe is broken")
                     for c in CHECKS[1:]]
            detail["oracle"] = msg
            self.emit(outs, detail)
            return
        detail["module"] = case.module
        # The oracle: what the real CPython (or readelf/nm) says.
        try:
            sc.mod.oracle(ctx, case)
            if not ctx.checks:
                ctx.expect(False, "the oracle checked nothing")
        except Exception:
            ctx.expect(False, "oracle raised: " + traceback.format_exc(limit=4))
        bad = [t for ok, t in ctx.checks if not ok]
        detail["oracle"] = [t for _, t in ctx.checks]
        outs = []
        if bad:
            outs.append(Outcome(sc.slug, interp.key, "oracle", "fail",
                                "the real symptom is not the scenario's: " + "; ".join(bad),
                                time.time() - t0))
            outs += [Outcome(sc.slug, interp.key, c, "skip", "not run: the oracle failed")
                     for c in CHECKS[1:]]
            self.emit(outs, detail)
            return
        outs.append(Outcome(sc.slug, interp.key, "oracle", "pass", "", time.time() - t0))
        exp = sc.expected_for(interp)
        docs = {}
        neutral = ctx.mkdir("_probe_cwd")
        routes = (
            ("cli", [self.cli, "explain", case.module, "--python", case.python, "-C", case.cwd,
                     "--json"] + case.args, neutral, case.child_env()),
            ("shim", [case.python, "-m", "extprobe", case.module, "--json"] + case.args,
             case.cwd, case.child_env(extra_path=[self.pyshim])),
        )
        if getattr(case, "wheels", None):
            judge = ["--target", case.target] if case.target else []
            routes = (
                ("cli", [self.cli, "wheel"] + case.wheels + ["--json"] +
                 (judge or ["--python", case.python]), neutral, case.child_env()),
                ("shim", [case.python, "-m", "extprobe", "wheel"] + case.wheels +
                 ["--json"] + judge, case.cwd, case.child_env(extra_path=[self.pyshim])),
            )
        after_route = getattr(sc.mod, "after_route", None)
        for name, argv, cwd, env in routes:
            r, doc, err, dt = run_route(argv, case, cwd, env, self.args.timeout)
            if doc is not None:
                doc = flatten_wheels(doc, case)
            detail[name] = {"exit": r.returncode, "codes": codes_of(doc) if doc else None,
                            "error": err,
                            "findings": [{k: f.get(k) for k in ("code", "severity", "summary",
                                                                "paths")}
                                         for f in (doc or {}).get("findings", [])],
                            "importable": doc.get("importable") if doc else None}
            side = after_route(ctx, case, name) if after_route is not None else []
            if doc is None:
                outs.append(Outcome(sc.slug, interp.key, name, "fail",
                                    "; ".join([err] + side), dt))
                continue
            docs[name] = doc
            try:
                probs = check_report(doc, r.returncode, exp, case)
            except ExpectError as e:
                probs = ["expected.json: %s" % e]
            probs += side
            if probs:
                msg = "; ".join(probs) + "\n  reported: exit %s, %s" % (
                    r.returncode, ", ".join("%s/%s" % (f.get("code"), f.get("severity"))
                                            for f in doc.get("findings", [])) or "no findings")
                outs.append(Outcome(sc.slug, interp.key, name, "fail", msg, dt))
            else:
                outs.append(Outcome(sc.slug, interp.key, name, "pass", "", dt))
        if len(docs) == 2:
            a, b = docs["cli"], docs["shim"]
            diff = []
            a, b = flatten_wheels(a, case), flatten_wheels(b, case)
            if codes_of(a) != codes_of(b):
                diff.append("codes differ: cli %s, shim %s" % (codes_of(a), codes_of(b)))
            if a.get("importable") != b.get("importable"):
                diff.append("importable differs: cli %s, shim %s" % (a.get("importable"),
                                                                     b.get("importable")))
            outs.append(Outcome(sc.slug, interp.key, "agree", "fail" if diff else "pass",
                                "; ".join(diff)))
        else:
            outs.append(Outcome(sc.slug, interp.key, "agree", "fail",
                                "cannot compare: %s produced no report" %
                                " and ".join(n for n in ("cli", "shim") if n not in docs)))
        self.emit(outs, detail)

    def run(self):
        jobs = [(sc, it) for sc in self.scenarios for it in self.interps]
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.args.jobs) as ex:
            futs = [ex.submit(self.run_case, sc, it) for sc, it in jobs]
            for f in concurrent.futures.as_completed(futs):
                f.result()


# ---- JUnit ---------------------------------------------------------------------------
def write_junit(path, outcomes, seconds):
    suite = ET.Element("testsuite", name="scenarios")
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    for o in sorted(outcomes, key=lambda o: (o.slug, o.key, CHECKS.index(o.check)
                                             if o.check in CHECKS else -1)):
        tc = ET.SubElement(suite, "testcase", classname="scenarios." + o.slug,
                           name="%s.%s" % (o.key, "all" if o.check == "*" else o.check),
                           time="%.3f" % o.seconds)
        counts["tests"] += 1
        if o.status == "fail":
            counts["failures"] += 1
            el = ET.SubElement(tc, "failure", message=o.message.split("\n")[0][:500])
            el.text = o.message
        elif o.status == "skip":
            counts["skipped"] += 1
            ET.SubElement(tc, "skipped", message=o.message[:500])
    for k, v in counts.items():
        suite.set(k, str(v))
    suite.set("errors", "0")
    suite.set("time", "%.1f" % seconds)
    tmp = path + ".tmp"
    ET.ElementTree(suite).write(tmp, encoding="utf-8", xml_declaration=True)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "..", "build"),
                    help="meson build directory (probe/extprobe, pyshim/)")
    ap.add_argument("--junitxml", help="write JUnit XML here")
    ap.add_argument("--results", help="write every case's oracle and reports as JSON here")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB",
                    help="scenario slugs to run (fnmatch pattern; repeatable)")
    ap.add_argument("--python", action="append", default=[], metavar="KEY",
                    help="interpreter keys to run (3.8 ... 3.13, debian-3.11, "
                         "debian-3.11-dbg; repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=max(2, os.cpu_count() or 2))
    ap.add_argument("--timeout", type=int, default=180, help="seconds per extprobe run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary tree")
    ap.add_argument("--tmp", help="parent of the temporary tree (default: $TMPDIR)")
    ap.add_argument("--list", action="store_true", help="list scenarios and interpreters")
    args = ap.parse_args(argv)

    for p in (args.junitxml, args.results):
        if p and os.path.exists(p):
            os.unlink(p)            # never leave a stale result behind
    t0 = time.time()
    scenarios = discover_scenarios(args.only)
    interps = discover_interpreters(lambda m: print(m, flush=True))
    if args.python:
        interps = [i for i in interps if i.key in args.python]
        for key in sorted(set(args.python) - {i.key for i in interps}):
            print("scenarios: interpreter %s is not available here" % key)
    if args.list:
        for sc in scenarios:
            print("%-40s %s" % (sc.slug, sc.title))
        for it in interps:
            print("%-16s %s %s" % (it.key, it.version_str, it.executable))
        return 0
    if not scenarios or not interps:
        print("scenarios: nothing to run (%d scenarios, %d interpreters)"
              % (len(scenarios), len(interps)))
        return SKIP_EXIT
    tools = recipes.Tools()
    print("scenarios: %d scenarios x %d interpreters (%s); build %s" % (
        len(scenarios), len(interps), ", ".join(i.key for i in interps),
        os.path.abspath(args.build)), flush=True)
    tmp = tempfile.mkdtemp(prefix="extprobe-scenarios-", dir=args.tmp)
    os.chmod(tmp, 0o755)       # the unreadable scenario runs as nobody
    runner = Runner(args, interps, scenarios, tools, tmp)
    try:
        runner.run()
    finally:
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    secs = time.time() - t0
    outs = runner.outcomes
    n = {s: sum(1 for o in outs if o.status == s) for s in ("pass", "fail", "skip")}
    if args.junitxml:
        write_junit(args.junitxml, outs, secs)
    if args.results:
        with open(args.results, "w") as f:
            json.dump(sorted(runner.details, key=lambda d: (d["scenario"], d["python"])), f,
                      indent=1)
    print("scenarios: %d passed, %d failed, %d skipped in %.0f s"
          % (n["pass"], n["fail"], n["skip"], secs))
    if n["fail"]:
        return 1
    if n["pass"] == 0:
        return SKIP_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
