/*
 * Arena: the strings and arrays an object or report hands out as borrowed
 * pointers live here and are freed together when their owner is released.
 */
#include "util/arena.h"
#include "util/grow.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN 4096
/* Each new block twice the last, up to this: an arena that holds the
 * names of a site-packages with 10,000 distributions takes a few blocks,
 * not hundreds of mallocs. */
#define BLOCK_MAX (256 * 1024)

struct ep_arena_block {
    ep_arena_block *next;
    size_t used;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

void
ep_arena_init(ep_arena *a)
{
    a->head = NULL;
}

void
ep_arena_release(ep_arena *a)
{
    ep_arena_block *b = a->head;
    while (b != NULL) {
        ep_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* A block of its own for a large request, behind the head so the head's
 * free space stays usable for small ones. Zeroed ones come from calloc:
 * fresh pages from the kernel are zero already, so no memset (and none of
 * the page faults it would cause on untouched slots of a big table). */
static void *
own_block(ep_arena *a, size_t rounded, bool zero)
{
    if (rounded > SIZE_MAX - sizeof(ep_arena_block)) {
        return NULL;
    }
    ep_arena_block *b =
        zero ? calloc(1, sizeof(*b) + rounded) : malloc(sizeof(*b) + rounded);
    if (b == NULL) {
        return NULL;
    }
    b->used = rounded;
    b->cap = rounded;
    if (a->head != NULL) {
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = NULL;
        a->head = b;
    }
    return b->data;
}

static void *
alloc(ep_arena *a, size_t size, bool zero)
{
    size_t rounded = (size + 15) & ~(size_t)15;
    if (rounded < size) {
        return NULL;
    }
    if (rounded > BLOCK_MIN) {
        return own_block(a, rounded, zero);
    }
    ep_arena_block *b = a->head;
    if (b == NULL || b->cap - b->used < rounded) {
        size_t cap = BLOCK_MIN;
        if (b != NULL) {
            cap = b->cap < BLOCK_MAX / 2 ? b->cap * 2 : BLOCK_MAX;
        }
        b = malloc(sizeof(*b) + cap);
        if (b == NULL) {
            return NULL;
        }
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    if (zero) {
        memset(p, 0, size);
    }
    return p;
}

void *
ep_arena_alloc(ep_arena *a, size_t size)
{
    return alloc(a, size, true);
}

void *
ep_arena_alloc_uninit(ep_arena *a, size_t size)
{
    return alloc(a, size, false);
}

char *
ep_arena_strndup(ep_arena *a, const char *s, size_t n)
{
    char *p = ep_arena_alloc_uninit(a, n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *
ep_arena_strdup(ep_arena *a, const char *s)
{
    return s ? ep_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
ep_arena_printf(ep_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = ep_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

char *
ep_arena_vprintf(ep_arena *a, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *p = n < 0 ? NULL : ep_arena_alloc_uninit(a, (size_t)n + 1);
    if (p != NULL) {
        vsnprintf(p, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    return p;
}

bool
ep_strvec_push(ep_arena *a, ep_strvec *v, const char *s)
{
    if (!ep_arena_grow(a, (void **)&v->items, &v->cap, v->count + 1,
                       sizeof(*v->items))) {
        return false;
    }
    v->items[v->count++] = s;
    return true;
}

bool
ep_strvec_contains(const ep_strvec *v, const char *s)
{
    for (size_t i = 0; i < v->count; i++) {
        if (strcmp(v->items[i], s) == 0) {
            return true;
        }
    }
    return false;
}

ep_strlist
ep_strvec_list(const ep_strvec *v)
{
    ep_strlist l = {v->count, v->items};
    return l;
}
