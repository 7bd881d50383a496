/*
 * One question the checks of other parts ask of an object's symbols.
 */
#ifndef EXTPROBE_ELF_LOOKUP_H
#define EXTPROBE_ELF_LOOKUP_H

#include <extprobe/extprobe.h>

#include <stdbool.h>

/* Whether o defines a dynamic symbol called name; true too when its
 * symbols cannot be read: a check must not accuse a file of lacking what
 * it could not look at. */
bool ep_object_defines(ep_object *o, const char *name);

#endif
