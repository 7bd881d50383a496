/*
 * Error values: status names and the ep_error filler every lib/ file uses.
 * The library never prints; callers decide what to do with the message.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
ep_status_str(ep_status status)
{
    switch (status) {
    case EP_OK:
        return "success";
    case EP_ERR_INVALID_ARG:
        return "invalid argument";
    case EP_ERR_NOMEM:
        return "out of memory";
    case EP_ERR_IO:
        return "input/output error";
    case EP_ERR_NOT_ELF:
        return "not an ELF file";
    case EP_ERR_MALFORMED:
        return "malformed ELF file";
    case EP_ERR_DWARF:
        return "unreadable debug information";
    case EP_ERR_INTERP:
        return "the target interpreter could not be run";
    }
    return "unknown status";
}

static ep_status
vfail(ep_error *err, ep_status status, int errnum, const char *fmt, va_list ap)
{
    if (err != NULL) {
        err->status = status;
        err->sys_errno = errnum;
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        if (errnum != 0) {
            size_t len = strlen(err->message);
            snprintf(err->message + len, sizeof(err->message) - len, ": %s",
                     strerror(errnum));
        }
    }
    return status;
}

ep_status
ep_fail(ep_error *err, ep_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, status, 0, fmt, ap);
    va_end(ap);
    return status;
}

ep_status
ep_fail_errno(ep_error *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, EP_ERR_IO, errnum, fmt, ap);
    va_end(ap);
    return EP_ERR_IO;
}

void
ep_free(void *ptr)
{
    free(ptr);
}

const char *
ep_version(void)
{
    return EP_VERSION_STRING;
}

ep_status
ep_fail_nomem(ep_error *err)
{
    return ep_fail(err, EP_ERR_NOMEM, "out of memory");
}
