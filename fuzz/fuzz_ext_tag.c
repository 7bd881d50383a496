/*
 * libFuzzer target: the extension-suffix tag parser (lib/pyabi/ext_tag.c)
 * on file names, which come from untrusted directories and archives.
 */
#include "fuzz_common.h"

#include <extprobe/extprobe.h>

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    if (name == NULL) {
        return 0;
    }
    memcpy(name, data, size);
    name[size] = '\0';
    ep_ext_tag *tag = NULL;
    if (ep_ext_tag_parse(name, &tag, NULL) == EP_OK) {
        ep_ext_tag_free(tag);
    }
    free(name);
    return 0;
}
