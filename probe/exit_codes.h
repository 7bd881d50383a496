/* Exit codes of the extprobe CLI (CONTRACT.md). A test checks each one. */
#ifndef EXTPROBE_EXIT_CODES_H
#define EXTPROBE_EXIT_CODES_H

enum {
    EXIT_OK = 0,       /* inspected / imports, no error finding */
    EXIT_FINDINGS = 1, /* a file not loadable ELF, or an error finding */
    EXIT_USAGE = 2,    /* bad arguments, or the probe itself failed */
};

#endif
