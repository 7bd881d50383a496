/*
 * Errors as values inside lib/: fill the caller's ep_error at the first
 * point of failure and return the status, so a failure is one line.
 */
#ifndef EXTPROBE_UTIL_ERROR_H
#define EXTPROBE_UTIL_ERROR_H

#include <extprobe/extprobe.h>

#if defined(__GNUC__)
#define EP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EP_PRINTF(f, a)
#endif

/* Fill err (if not NULL) and return status:
 * return ep_fail(err, EP_ERR_IO, "%s: %s", path, strerror(errno)); */
ep_status ep_fail(ep_error *err, ep_status status, const char *fmt, ...)
    EP_PRINTF(3, 4);

/* Like ep_fail() with status EP_ERR_IO, recording errno and its text. */
ep_status ep_fail_errno(ep_error *err, int errnum, const char *fmt, ...)
    EP_PRINTF(3, 4);

/* The one out-of-memory failure: EP_ERR_NOMEM, "out of memory". */
ep_status ep_fail_nomem(ep_error *err);

#endif
