/*
 * A standard-library module that is not there. pip cannot install these:
 * Debian and Ubuntu package parts of the standard library separately
 * (python3-tk, python3-venv, ...), a Python built from source (pyenv) skips
 * the modules whose library headers were missing at its build, and newer
 * Pythons removed some modules altogether (PEP 632, PEP 594). The usual
 * "pip install NAME" advice is wrong for each of them.
 */
#include "findings/checks.h"

#include <string.h>

/* Modules removed from the standard library, and since which 3.x. */
static const struct {
    const char *name;
    int minor;
    const char *why;
} removed[] = {
    {"distutils", 12,
     "PEP 632; setuptools provides a replacement: pip install setuptools"},
    {"imp", 12, "use importlib"},
    {"asynchat", 12, "PEP 594; use asyncio"},
    {"asyncore", 12, "PEP 594; use asyncio"},
    {"smtpd", 12, "PEP 594; aiosmtpd replaces it"},
    {"lib2to3", 13, "PEP 617/594"},
    {"aifc", 13, "PEP 594"},
    {"audioop", 13, "PEP 594"},
    {"cgi", 13, "PEP 594"},
    {"cgitb", 13, "PEP 594"},
    {"chunk", 13, "PEP 594"},
    {"crypt", 13, "PEP 594"},
    {"imghdr", 13, "PEP 594"},
    {"mailcap", 13, "PEP 594"},
    {"msilib", 13, "PEP 594"},
    {"nis", 13, "PEP 594"},
    {"nntplib", 13, "PEP 594"},
    {"ossaudiodev", 13, "PEP 594"},
    {"pipes", 13, "PEP 594; use subprocess and shlex"},
    {"sndhdr", 13, "PEP 594"},
    {"spwd", 13, "PEP 594"},
    {"sunau", 13, "PEP 594"},
    {"telnetlib", 13, "PEP 594"},
    {"uu", 13, "PEP 594"},
    {"xdrlib", 13, "PEP 594"},
};

/* Modules a distribution ships apart (Debian's package) or a source build
 * skips without the headers of a library (the Debian -dev package). */
static const struct {
    const char *name;
    const char *distro_pkg; /* NULL: always in the distro's interpreter */
    const char *dev_pkg;    /* NULL: always built */
} split[] = {
    {"tkinter", "python3-tk", "tk-dev"},
    {"_tkinter", "python3-tk", "tk-dev"},
    {"distutils", "python3-distutils", NULL},
    {"lib2to3", "python3-lib2to3", NULL},
    {"venv", "python3-venv", NULL},
    {"ensurepip", "python3-venv", NULL},
    {"_gdbm", "python3-gdbm", "libgdbm-dev"},
    {"_dbm", NULL, "libgdbm-compat-dev"},
    {"_ctypes", NULL, "libffi-dev"},
    {"_ssl", NULL, "libssl-dev"},
    {"_hashlib", NULL, "libssl-dev"},
    {"_sqlite3", NULL, "libsqlite3-dev"},
    {"_bz2", NULL, "libbz2-dev"},
    {"_lzma", NULL, "liblzma-dev"},
    {"readline", NULL, "libreadline-dev"},
    {"_curses", NULL, "libncurses-dev"},
    {"zlib", NULL, "zlib1g-dev"},
    {"_uuid", NULL, "uuid-dev"},
};

/* The distribution's own interpreter (its files under /usr). */
static bool
distro_python(const ep_interp *in)
{
    const char *exe =
        in->executable_real ? in->executable_real : in->executable;
    return exe != NULL && strncmp(exe, "/usr/bin/", 9) == 0;
}

bool
ep_stdlib_missing(ep_ctx *c, ep_finding_slot *fs, const char *top)
{
    const ep_interp *in = c->in;
    for (size_t i = 0; i < sizeof(removed) / sizeof(*removed); i++) {
        if (strcmp(top, removed[i].name) == 0 && in->major == 3 &&
            in->minor >= removed[i].minor) {
            ep_finding_detail(c->r, fs,
                              "%s was removed from the standard library in "
                              "Python 3.%d (%s); this interpreter is %s",
                              top, removed[i].minor, removed[i].why,
                              in->version ? in->version : "?");
            ep_finding_fix(c->r, fs,
                           "The code that imports %s needs a release made "
                           "for Python 3.%d or later (upgrade the package "
                           "that imports it), or run it with Python 3.%d",
                           top, removed[i].minor, removed[i].minor - 1);
            return true;
        }
    }
    const char *py = in->executable ? in->executable : in->python;
    for (size_t i = 0; i < sizeof(split) / sizeof(*split); i++) {
        if (strcmp(top, split[i].name) != 0) {
            continue;
        }
        if (distro_python(in) && split[i].distro_pkg != NULL) {
            ep_finding_detail(c->r, fs,
                              "%s is part of Python's standard library, "
                              "which Debian and Ubuntu ship in separate "
                              "packages; %s is the distribution's Python",
                              top, py);
            ep_finding_fix(c->r, fs,
                           "Install the distribution's package: apt install "
                           "%s (pip cannot install standard-library modules)",
                           split[i].distro_pkg);
            return true;
        }
        if (!distro_python(in) && split[i].dev_pkg != NULL) {
            ep_finding_detail(c->r, fs,
                              "%s is a standard-library module that was not "
                              "built into %s: Python's build skips it when "
                              "the headers of its library are missing",
                              top, py);
            ep_finding_fix(c->r, fs,
                           "Install the headers (Debian/Ubuntu: apt install "
                           "%s), then rebuild this Python (pyenv: pyenv "
                           "install --force %s); pip cannot install "
                           "standard-library modules",
                           split[i].dev_pkg, in->version ? in->version : "X.Y");
            return true;
        }
    }
    return false;
}
