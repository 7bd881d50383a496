/*
 * The interpreter the importer targets describe: Debian's CPython 3.11 as
 * facts.py reports it, with its one site directory below the fuzz scratch
 * directory. Built from the record stream, as the CLI does.
 */
#ifndef EXTPROBE_FUZZ_INTERP_H
#define EXTPROBE_FUZZ_INTERP_H

#include "interp/interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline ep_interp *
ep_fuzz_interp(const char *site, const char *extra)
{
    char *text = NULL;
    if (asprintf(
            &text,
            "version\t3.11.2\nimplementation\tcpython\n"
            "soabi\tcpython-311-x86_64-linux-gnu\nmultiarch\tx86_64-linux-gnu\n"
            "platform\tlinux\nlibc\tglibc 2.36\nabiflags\t\ncwd\t%s\n"
            "ext_suffix\t.cpython-311-x86_64-linux-gnu.so\next_suffix\t.abi3."
            "so\n"
            "ext_suffix\t.so\nsource_suffix\t.py\nbytecode_suffix\t.pyc\n"
            "site_dir\t%s\npath\t%s\tsite-packages\n"
            "meta_path\t_frozen_importlib.BuiltinImporter\n"
            "meta_path\t_frozen_importlib.FrozenImporter\n"
            "meta_path\t_frozen_importlib_external.PathFinder\n%s",
            site, site, site, extra ? extra : "") < 0) {
        abort();
    }
    ep_interp *in = NULL;
    ep_status st =
        ep_interp_from_records("python3", text, strlen(text), &in, NULL);
    free(text);
    if (st != EP_OK) {
        fprintf(stderr,
                "extprobe fuzz: the interpreter records do not parse\n");
        abort();
    }
    return in;
}

#endif
