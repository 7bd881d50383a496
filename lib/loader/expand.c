/*
 * Dynamic string tokens ($ORIGIN, $PLATFORM, $LIB and their ${...} forms)
 * and l_origin, as elf/dl-load.c and elf/dl-object.c compute them. Secure
 * (setuid) mode is not emulated: Python interpreters are not setuid.
 */
#include "loader/loader.h"
#include "util/strbuf.h"
#include "util/arena.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* dl-load.c is_dst: the length of the token name at input (after the '$'),
 * counting both braces of the ${NAME} form; 0 when it is not that token.
 * An unbraced name must not run on into identifier characters (gABI), so
 * "$ORIGINAL" is not $ORIGIN. */
static size_t
is_dst(const char *input, const char *ref)
{
    bool curly = false;
    if (input[0] == '{') {
        curly = true;
        ++input;
    }
    size_t len = strlen(ref);
    if (strncmp(input, ref, len) != 0) {
        return 0;
    }
    if (curly && input[len] != '}') {
        return 0;
    }
    if (!curly && (isalnum((unsigned char)input[len]) || input[len] == '_')) {
        return 0;
    }
    return curly ? len + 2 : len;
}

size_t
ld_dst_count(const char *s)
{
    size_t cnt = 0;
    const char *p = strchr(s, '$');
    while (p != NULL) {
        size_t len;
        ++p;
        if ((len = is_dst(p, "ORIGIN")) != 0 ||
            (len = is_dst(p, "PLATFORM")) != 0 ||
            (len = is_dst(p, "LIB")) != 0) {
            ++cnt;
        }
        p = strchr(p + len, '$');
    }
    return cnt;
}

char *
ld_dst_expand(ep_arena *a, const char *s, const char *origin,
              const ld_platform *pf)
{
    if (ld_dst_count(s) == 0) {
        return ep_arena_strdup(a, s);
    }
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    ep_strbuf_puts(&sb, "");
    const char *start = s;
    while (*start != '\0') {
        if (*start != '$') {
            ep_strbuf_putc(&sb, *start++);
            continue;
        }
        ++start;
        const char *repl = NULL;
        size_t len;
        if ((len = is_dst(start, "ORIGIN")) != 0) {
            repl = origin;
        } else if ((len = is_dst(start, "PLATFORM")) != 0) {
            repl = pf->platform;
        } else if ((len = is_dst(start, "LIB")) != 0) {
            repl = pf->lib;
        }
        if (repl != NULL) {
            ep_strbuf_puts(&sb, repl);
            start += len;
        } else if (len != 0) {
            /* _dl_dst_substitute: a known token without a value makes the
             * whole element unusable; ld.so drops it. */
            ep_strbuf_release(&sb);
            return ep_arena_strdup(a, "");
        } else {
            ep_strbuf_putc(&sb, '$');
        }
    }
    char *tmp = ep_strbuf_take(&sb);
    char *out = tmp ? ep_arena_strdup(a, tmp) : NULL;
    free(tmp);
    return out;
}

char *
ld_origin_of(ep_arena *a, const char *path)
{
    ep_strbuf sb;
    ep_strbuf_init(&sb);
    ep_strbuf_puts(&sb, "");
    if (path[0] != '/') {
        /* _dl_new_object: a relative name is taken from the working
         * directory, without normalising "./" or "../". */
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof(cwd)) == NULL) {
            ep_strbuf_release(&sb);
            return NULL;
        }
        ep_strbuf_puts(&sb, cwd);
        ep_strbuf_putc(&sb, '/');
    }
    ep_strbuf_puts(&sb, path);
    char *tmp = ep_strbuf_take(&sb);
    if (tmp == NULL) {
        return NULL;
    }
    /* Strip the file name and its slash, keeping a lone leading "/". */
    char *slash = strrchr(tmp, '/');
    if (slash == tmp) {
        slash[1] = '\0';
    } else if (slash != NULL) {
        *slash = '\0';
    }
    char *out = ep_arena_strdup(a, tmp);
    free(tmp);
    return out;
}
