/*
 * What the subcommands share: strings from files made safe for a terminal,
 * and, for explain and wheel at the end of a run, checking --format and
 * --color, the colour decision, GitHub workflow annotations, and writing the
 * finished document.
 */
#include "commands.h"
#include "exit_codes.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *
cli_text(const char *s)
{
    static char *ring[8];
    static unsigned next;
    if (s == NULL) {
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s;
    while (*p >= 0x20 && *p < 0x7f) {
        p++;
    }
    if (*p == '\0') {
        return s;
    }
    char *e = ep_text_escape(s);
    if (e == NULL) {
        return "(out of memory)";
    }
    unsigned k = next++ % 8;
    ep_free(ring[k]);
    ring[k] = e;
    return e;
}

bool
cli_check_format(const char *cmd, const char *format, const char *color)
{
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
        strcmp(format, "github") != 0) {
        cli_error("%s: --format takes text, json or github, not '%s'", cmd,
                  format);
        return false;
    }
    if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 &&
        strcmp(color, "never") != 0) {
        cli_error("%s: --color takes auto, always or never, not '%s'", cmd,
                  color);
        return false;
    }
    return true;
}

bool
cli_use_color(const char *color)
{
    /* NO_COLOR (no-color.org): set and not empty disables colour. */
    const char *nc = getenv("NO_COLOR");
    return strcmp(color, "always") == 0 ||
           (strcmp(color, "auto") == 0 && (nc == NULL || nc[0] == '\0') &&
            isatty(STDOUT_FILENO));
}

/* GitHub workflow command data: %, CR and LF must be escaped; in properties
 * also ':' and ','. */
static void
gh_escape(FILE *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '%':
            fputs("%25", out);
            break;
        case '\r':
            fputs("%0D", out);
            break;
        case '\n':
            fputs("%0A", out);
            break;
        case ':':
            fputs(property ? "%3A" : ":", out);
            break;
        case ',':
            fputs(property ? "%2C" : ",", out);
            break;
        default:
            /* Other control characters are not GitHub's to decode: written
             * out, so the log shows them instead of obeying them. */
            if ((unsigned char)*s < 0x20 || *s == 0x7f) {
                fprintf(out, "%%%02X", (unsigned)(unsigned char)*s);
            } else if ((unsigned char)s[0] == 0xc2 &&
                       (unsigned char)s[1] >= 0x80 &&
                       (unsigned char)s[1] <= 0x9f) { /* C1, U+0080-U+009F */
                fprintf(out, "%%C2%%%02X", (unsigned)(unsigned char)s[1]);
                s++;
            } else {
                fputc(*s, out);
            }
        }
    }
}

void
cli_github_finding(const ep_finding *f, const char *file, const char *title)
{
    const char *level = f->severity == EP_SEVERITY_ERROR     ? "error"
                        : f->severity == EP_SEVERITY_WARNING ? "warning"
                                                             : "notice";
    printf("::%s ", level);
    if (file != NULL) {
        fputs("file=", stdout);
        gh_escape(stdout, file, true);
        fputc(',', stdout);
    }
    fputs("title=", stdout);
    gh_escape(stdout, title, true);
    fputs("::", stdout);
    gh_escape(stdout, f->summary, false);
    if (f->detail[0]) {
        fputs("%0A", stdout);
        gh_escape(stdout, f->detail, false);
    }
    if (f->fix[0]) {
        fputs("%0AFix: ", stdout);
        gh_escape(stdout, f->fix, false);
    }
    fputc('\n', stdout);
}

void
cli_github_clean(const char *subject)
{
    fputs("::notice title=extprobe::", stdout);
    gh_escape(stdout, subject, false);
    fputs(": no problem found\n", stdout);
}

int
cli_emit(char *doc, const ep_error *err, int rc)
{
    if (doc == NULL) {
        cli_error("%s", err->message);
        return EXIT_USAGE;
    }
    if (!cli_write_stdout(doc)) {
        rc = EXIT_USAGE;
    }
    ep_free(doc);
    return rc;
}
