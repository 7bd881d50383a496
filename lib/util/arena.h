/*
 * Many small allocations freed together: every string and array an object
 * hands out lives in its arena, released with the object.
 */
#ifndef EXTPROBE_UTIL_ARENA_H
#define EXTPROBE_UTIL_ARENA_H

#include "util/error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct ep_arena_block ep_arena_block;
typedef struct ep_arena {
    ep_arena_block *head;
} ep_arena;

void ep_arena_init(ep_arena *a);
void ep_arena_release(ep_arena *a);
void *ep_arena_alloc(ep_arena *a, size_t size); /* zeroed, 16-aligned */
/* Not zeroed: for a caller that writes every byte before reading any
 * (copies, the grown part of an array is zeroed by ep_arena_grow). */
void *ep_arena_alloc_uninit(ep_arena *a, size_t size);
char *ep_arena_strdup(ep_arena *a, const char *s);
char *ep_arena_strndup(ep_arena *a, const char *s, size_t n);
char *ep_arena_printf(ep_arena *a, const char *fmt, ...) EP_PRINTF(2, 3);
/* The whole text, however long: no fixed buffer cuts it. */
char *ep_arena_vprintf(ep_arena *a, const char *fmt, va_list ap)
    EP_PRINTF(2, 0);

/* A list of strings that grows in an arena; the result is an ep_strlist. */
typedef struct ep_strvec {
    const char **items;
    size_t count;
    size_t cap;
} ep_strvec;

bool ep_strvec_push(ep_arena *a, ep_strvec *v, const char *s);
bool ep_strvec_contains(const ep_strvec *v, const char *s);
ep_strlist ep_strvec_list(const ep_strvec *v);

#endif
