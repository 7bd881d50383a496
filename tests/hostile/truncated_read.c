/*
 * A library truncated while extprobe reads it (a package upgrade during the
 * analysis): the loader's reader opens a real shared object, the file is
 * cut to its first 8 KiB (the headers stay, the dynamic section goes), and then the reader goes on (program headers,
 * dynamic section, symbol lookups, versions). It must answer with a reason,
 * never die of SIGBUS. Each mode runs in a child so a signal is a result.
 *
 * usage: truncated_read LIBRARY SCRATCH_FILE read|map
 *   read: the reader with pread (how a first-seen object is read)
 *   map:  the reader mapping the whole file (how deps and explain read
 *         dependency libraries)
 */
#include "elf/dynread.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int
copy(const char *from, const char *to)
{
    char buf[65536];
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t n;
    if (in < 0 || out < 0) {
        return -1;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            return -1;
        }
    }
    close(in);
    return close(out);
}

static bool
count(const ep_elf_symcand *cand, void *ctx)
{
    (void)cand;
    (*(int *)ctx)++;
    return false;
}

static int
child(const char *path, bool map)
{
    ep_elf_symtab *t = NULL;
    int errnum = 0;
    if (ep_elf_symtab_openfile(path, map, &t, &errnum, NULL) != EP_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, strerror(errnum));
        return 3;
    }
    /* The upgrade happens now: after open, before the tables are read. */
    if (truncate(path, 8192) != 0) {
        perror("truncate");
        return 3;
    }
    const ep_elf_dynfacts *facts;
    const char *why = NULL;
    bool loaded = ep_elf_symtab_load(t, &facts, &why);
    int found = 0;
    if (loaded) {
        ep_elf_symtab_find(t, "deflate", 7, ep_elf_gnu_hash("deflate"), 0,
                           count, &found);
    }
    printf("%s: load %s%s%s; %d symbols found\n", map ? "map" : "read",
           loaded ? "succeeded" : "failed", why ? ": " : "", why ? why : "",
           found);
    fflush(stdout);
    ep_elf_symtab_close(t);
    /* Nothing past 8 KiB exists any more: what was read must say so. */
    return loaded && found > 0 ? 4 : 0;
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: truncated_read LIBRARY SCRATCH_FILE read|map\n");
        return 2;
    }
    bool map = strcmp(argv[3], "map") == 0;
    if (copy(argv[1], argv[2]) != 0) {
        perror(argv[2]);
        return 2;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        _exit(child(argv[2], map));
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        perror("fork");
        return 2;
    }
    unlink(argv[2]);
    if (WIFSIGNALED(status)) {
        printf("FAIL: the reader died of signal %d (%s) on a file truncated "
               "while it read it\n",
               WTERMSIG(status), strsignal(WTERMSIG(status)));
        return 1;
    }
    if (WEXITSTATUS(status) == 4) {
        printf("FAIL: symbols were found in a file cut to 8 KiB\n");
        return 1;
    }
    return WEXITSTATUS(status);
}
