"""Sum every suite .ci/run ran into one closing line: "N passed, N failed".

usage: summary.py FAILED_STEPS BUILD_DIR... [--junit FILE...]

Per build dir, meson's meson-logs/testlog.json lists each test; a Criterion
test (it writes <name>.criterion.json) counts its own test cases, and so does
a meson test that writes JUnit XML as <name>.junit.xml under the build dir
(outside meson-logs/) -- e.g. `scenarios-<key>`, which writes
tests/scenarios/scenarios-<key>.junit.xml with one case per scenario, interpreter
and check; any other test counts once. pytest runs count from their JUnit
XML files given after --junit. Steps of .ci/run that failed outside any
suite count as failures too.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET


def meson_counts(build):
    passed = failed = skipped = 0
    log = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        return 0, 0, 0
    crit = {}
    for path in glob.glob(os.path.join(build, "**", "*.criterion.json"), recursive=True):
        crit[os.path.basename(path)[: -len(".criterion.json")]] = path
    junit = {}
    for path in glob.glob(os.path.join(build, "**", "*.junit.xml"), recursive=True):
        if os.sep + "meson-logs" + os.sep not in path:
            junit[os.path.basename(path)[: -len(".junit.xml")]] = path
    for line in open(log):
        if not line.strip():
            continue
        t = json.loads(line)
        # meson names a test "project:suite / name" in testlog.json
        name, result = t["name"].split(" / ")[-1], t["result"]
        ju = junit.get(name)
        if ju and result in ("OK", "FAIL", "SKIP", "TIMEOUT", "EXPECTEDFAIL", "UNEXPECTEDPASS"):
            p, f, s = junit_counts(ju)
            if result in ("FAIL", "TIMEOUT") and f == 0:
                f += 1  # the runner itself failed
            passed, failed, skipped = passed + p, failed + f, skipped + s
            continue
        cj = crit.get(name)
        if cj and result in ("OK", "FAIL", "EXPECTEDFAIL", "UNEXPECTEDPASS"):
            try:
                c = json.load(open(cj))
                passed += c.get("passed", 0)
                failed += c.get("failed", 0) + c.get("errored", 0)
                skipped += c.get("skipped", 0)
                if result == "FAIL" and c.get("failed", 0) + c.get("errored", 0) == 0:
                    failed += 1  # the runner itself failed
                continue
            except (OSError, ValueError):
                pass
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
    return passed, failed, skipped


def junit_counts(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return 0, 1, 0
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    passed = failed = skipped = 0
    for s in suites:
        tests = int(s.get("tests", 0))
        f = int(s.get("failures", 0)) + int(s.get("errors", 0))
        sk = int(s.get("skipped", 0))
        failed += f
        skipped += sk
        passed += tests - f - sk
    return passed, failed, skipped


def main(argv):
    steps_failed = int(argv[1])
    args = argv[2:]
    junit = []
    if "--junit" in args:
        i = args.index("--junit")
        args, junit = args[:i], args[i + 1:]
    total = [0, steps_failed, 0]
    for build in args:
        p, f, s = meson_counts(build)
        print("%-28s %5d passed, %d failed, %d skipped" % (build, p, f, s))
        total = [total[0] + p, total[1] + f, total[2] + s]
    for path in junit:
        p, f, s = junit_counts(path)
        print("%-28s %5d passed, %d failed, %d skipped" % (os.path.basename(path), p, f, s))
        total = [total[0] + p, total[1] + f, total[2] + s]
    if steps_failed:
        print("%d step(s) of .ci/run failed outside the suites" % steps_failed)
    print("%d passed, %d failed" % (total[0], total[1]))
    return 1 if total[1] or total[0] == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
