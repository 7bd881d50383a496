/*
 * extprobe-dwarf FILE: the isolated DWARF reader. Writes the records of
 * dwarf.h for FILE to standard output and returns 0; anything else (a crash
 * inside libdwarf, a limit hit, a truncated answer) is judged by the caller,
 * which reads the records with a deadline (isolate.c).
 *
 * Not part of the library: a program of its own, so that libdwarf runs in a
 * fresh process and never in the caller's (which may be a Python process
 * with threads, where fork() without exec is unsafe).
 */
#include "dwarf/dwarf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define EP_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EP_UNDER_ASAN 1
#endif
#endif

static void
limit(int resource, rlim_t value)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) == 0 &&
        (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > value)) {
        rl.rlim_cur = rl.rlim_max = value;
        setrlimit(resource, &rl);
    }
}

static int
write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return 1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    ep_strbuf out;
    ep_strbuf_init(&out);
    if (argc != 2) {
        const char *f[] = {"usage: " EP_DWARF_HELPER " FILE"};
        ep_dwarf_record(&out, "error", f, 1);
        write_all(out.data, out.len);
        ep_strbuf_release(&out);
        return 2;
    }
    /* A hostile file must cost bounded time and memory. The address-space
     * limit is left out under AddressSanitizer, whose shadow mappings
     * already exceed it. */
    limit(RLIMIT_CPU, EP_DWARF_CPU_SECONDS);
#ifndef EP_UNDER_ASAN
    limit(RLIMIT_AS, EP_DWARF_MEMORY_BYTES);
#endif
    limit(RLIMIT_CORE, 0);
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const char *f[] = {strerror(errno)};
        ep_dwarf_record(&out, "error", f, 1);
    } else {
        ep_dwarf_scan(fd, &out);
        close(fd);
    }
    int rc = out.failed ? 1 : write_all(out.data, out.len);
    ep_strbuf_release(&out);
    return rc;
}
