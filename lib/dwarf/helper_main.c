/*
 * extprobe-dwarf FILE: the isolated DWARF reader. Writes the records of
 * dwarf.h for FILE to standard output and returns 0; anything else (a crash
 * inside libdwarf, a limit hit, a truncated answer) is judged by the caller,
 * which reads the records with a deadline (isolate.c).
 *
 * extprobe-dwarf --serve: the same for a batch, one "file" request a line on
 * standard input, each answer closed by a "next" or "exit" line (protocol in
 * dwarf.h). The limits are renewed before each file, so that every file of a
 * batch gets what a one-shot helper would get.
 *
 * Not part of the library: a program of its own, so that libdwarf runs in a
 * fresh process and never in the caller's (which may be a Python process
 * with threads, where fork() without exec is unsafe).
 */
#include "dwarf/dwarf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/* Read one file's records into out: an "error" record when it cannot be
 * opened. */
static void
read_file(const char *path, ep_strbuf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const char *f[] = {strerror(errno)};
        ep_dwarf_record(out, "error", f, 1);
    } else {
        ep_dwarf_scan(fd, out);
        close(fd);
    }
}

/* The process's address space in bytes (what RLIMIT_AS counts), 0 when
 * /proc cannot say. */
static rlim_t
address_space(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "re");
    if (f == NULL) {
        return 0;
    }
    if (fscanf(f, "%lu", &pages) != 1) {
        pages = 0;
    }
    fclose(f);
    return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/* Set a soft limit, kept at or below the hard limit set at the start. */
static void
soft_limit(int resource, rlim_t value)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && value > rl.rlim_max
                          ? rl.rlim_max
                          : value;
        setrlimit(resource, &rl);
    }
}

/* CPU seconds used so far, rounded up. */
static rlim_t
cpu_used(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        return 0;
    }
    return (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + 1;
}

/* The next request's path (unescaped, in req), or NULL at the end of
 * input or on a line that is not a request. */
static const char *
next_request(ep_strbuf *in, size_t *used, ep_strbuf *req)
{
    char buf[4096];
    for (;;) {
        char *nl = in->len > *used
                       ? memchr(in->data + *used, '\n', in->len - *used)
                       : NULL;
        if (nl != NULL) {
            char *line = in->data + *used;
            *nl = '\0';
            *used = (size_t)(nl - in->data) + 1;
            req->len = 0;
            return ep_dwarf_request_path(line, req);
        }
        if (*used > 0) {
            memmove(in->data, in->data + *used, in->len - *used);
            in->len -= *used;
            *used = 0;
        }
        if (in->len > EP_DWARF_REQUEST_MAX) {
            return NULL;
        }
        ssize_t n = read(0, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NULL;
        }
        ep_strbuf_append(in, buf, (size_t)n);
        if (in->failed) {
            return NULL;
        }
    }
}

/* --serve: answer requests until the end of input, or until this process
 * has served EP_DWARF_SERVE_FILES files or grown by EP_DWARF_RETIRE_BYTES
 * (libdwarf may leak; the caller starts a fresh helper after "exit"). */
static int
serve(void)
{
    /* Hard limits are a backstop the soft limits below never reach: no
     * file starts above start + EP_DWARF_RETIRE_BYTES, and each file ends
     * (or is killed) within EP_DWARF_CPU_SECONDS + 1 of CPU time. */
    limit(RLIMIT_CPU,
          (rlim_t)(EP_DWARF_SERVE_FILES + 2) * (EP_DWARF_CPU_SECONDS + 1));
    limit(RLIMIT_CORE, 0);
    rlim_t start = address_space();
#ifndef EP_UNDER_ASAN
    limit(RLIMIT_AS, EP_DWARF_MEMORY_BYTES + EP_DWARF_RETIRE_BYTES);
#endif
    ep_strbuf in, req, out;
    ep_strbuf_init(&in);
    ep_strbuf_init(&req);
    ep_strbuf_init(&out);
    size_t used = 0;
    int rc = 0;
    for (unsigned served = 1;; served++) {
        const char *path = next_request(&in, &used, &req);
        if (path == NULL) {
            rc = in.failed || req.failed ? 1 : 0;
            break;
        }
        /* Each file gets a one-shot helper's budget: 20 s of CPU from
         * now (SIGXCPU at the soft limit, as in one-shot mode), and the
         * address space a fresh process has left under 1 GiB. */
        soft_limit(RLIMIT_CPU, cpu_used() + EP_DWARF_CPU_SECONDS);
#ifndef EP_UNDER_ASAN
        rlim_t now = address_space();
        if (start != 0 && now != 0) {
            soft_limit(RLIMIT_AS, now + (EP_DWARF_MEMORY_BYTES - start));
        }
#endif
        out.len = 0;
        read_file(path, &out);
        rlim_t grown = address_space();
        bool last = served >= EP_DWARF_SERVE_FILES ||
                    (start != 0 && grown > start + EP_DWARF_RETIRE_BYTES);
        ep_strbuf_puts(&out, last ? "exit\n" : "next\n");
        if (out.failed || write_all(out.data, out.len) != 0) {
            rc = 1;
            break;
        }
        if (last) {
            break;
        }
    }
    ep_strbuf_release(&in);
    ep_strbuf_release(&req);
    ep_strbuf_release(&out);
    return rc;
}

int
main(int argc, char **argv)
{
    ep_strbuf out;
    ep_strbuf_init(&out);
    if (argc == 2 && strcmp(argv[1], "--serve") == 0) {
        return serve();
    }
    if (argc != 2) {
        const char *f[] = {"usage: " EP_DWARF_HELPER " FILE | --serve"};
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
    read_file(argv[1], &out);
    int rc = out.failed ? 1 : write_all(out.data, out.len);
    ep_strbuf_release(&out);
    return rc;
}
