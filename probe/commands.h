/* The subcommands of the extprobe CLI; each returns an exit code. */
#ifndef EXTPROBE_COMMANDS_H
#define EXTPROBE_COMMANDS_H

#include <extprobe/extprobe.h>

#include <stdbool.h>
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

/* s as the text reports show a string that comes from a file: written out
 * (ep_text_escape) when it holds a control character or a byte that is not
 * printable ASCII, else s itself. Valid for the next 7 calls. */
const char *cli_text(const char *s);

/* output.c: what explain and wheel share at the end of a run. */

/* --format and --color values; false after a usage message naming cmd. */
bool cli_check_format(const char *cmd, const char *format, const char *color);
/* --color WHEN, NO_COLOR and whether stdout is a terminal. */
bool cli_use_color(const char *color);
/* One GitHub workflow annotation for a finding; file may be NULL. */
void cli_github_finding(const ep_finding *f, const char *file,
                        const char *title);
/* The notice that nothing was found about subject. */
void cli_github_clean(const char *subject);
/* Write a rendered document (NULL: rendering failed with err) and free it;
 * rc, or EXIT_USAGE when nothing could be written. */
int cli_emit(char *doc, const ep_error *err, int rc);

#endif
