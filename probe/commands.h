/* The subcommands of the extprobe CLI; each returns an exit code. */
#ifndef EXTPROBE_COMMANDS_H
#define EXTPROBE_COMMANDS_H

#include <stdio.h>

int cmd_inspect(int argc, char **argv);
int cmd_deps(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_wheel(int argc, char **argv);
int cmd_scan(int argc, char **argv);

/* Print "extprobe: <msg>" on stderr (one line). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write a whole string to stdout; false (with a message) if that failed, e.g.
 * a closed pipe or a full disk, so output is never lost silently. */
int cli_write_stdout(const char *text);

#endif
