"""The interpreters the CLI tests run against: Debian's python3 and the
newest pyenv CPython of each 3.8-3.13 found (a missing one is noted), or the
paths given on the command line after the test's own arguments."""
import glob
import os


def interpreters(given=()):
    if given:
        return list(given)
    found = ["/usr/bin/python3"]
    root = os.path.expanduser("~/.pyenv/versions")
    for minor in range(8, 14):
        vs = sorted(glob.glob(os.path.join(root, "3.%d.[0-9]*" % minor)),
                    key=lambda d: [int(x) for x in os.path.basename(d).split(".")
                                   if x.isdigit()])
        vs = [v for v in vs if os.path.basename(v).split(".")[-1].isdigit()]
        if vs:
            found.append(os.path.join(vs[-1], "bin", "python3"))
        else:
            print("note: no pyenv CPython 3.%d, not tested" % minor)
    return [p for p in found if os.access(p, os.X_OK)]
