/*
 * Path helpers shared by the ELF reader, the loader and the importer.
 */
#include "util/path.h"

#include <string.h>

const char *
ep_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}
