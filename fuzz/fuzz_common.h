/*
 * Helpers shared by the libFuzzer targets of fuzz/ and by their replay
 * driver (replay.c, built with gcc for the fuzz-regress suite): an input as
 * a file for the readers that open paths, several files packed into one
 * input, a scratch directory, and the strict JSON check every target that
 * renders JSON applies to its output.
 */
#ifndef EXTPROBE_FUZZ_COMMON_H
#define EXTPROBE_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The separator of the files packed into one input (distinfo, editable):
 * a line no real metadata file holds. */
#define EP_FUZZ_SEP "\n%%extprobe-fuzz%%\n"

/* The input as an anonymous in-memory file; *path names it
 * ("/proc/self/fd/N") for readers that take a path. Returns the descriptor
 * (close it after use), or -1. */
int ep_fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t cap);

/* Split at EP_FUZZ_SEP into at most max parts; returns how many. */
size_t ep_fuzz_split(const uint8_t *data, size_t size, const uint8_t **part,
                     size_t *len, size_t max);

/* A private scratch directory, made on first use and removed at exit. */
const char *ep_fuzz_scratch(void);

/* Write len bytes to path (created or truncated); false on failure. */
bool ep_fuzz_write(const char *path, const void *data, size_t len);

/* Remove everything below dir (not dir itself). */
void ep_fuzz_clear(const char *dir);

/* NULL when doc is one well-formed JSON value (RFC 8259) whose strings are
 * valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF, no
 * raw control characters), else what is wrong. */
const char *ep_fuzz_json_problem(const char *doc, size_t len);

/* Abort (a crash libFuzzer keeps) when doc is not valid JSON. */
void ep_fuzz_check_json(const char *doc);

#endif
