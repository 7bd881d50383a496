/* docs/c-api.md example: print the kind of each file and, for ELF objects,
 * the PyInit_* functions it exports. Built and run by the tests.
 *   cc pyinit.c $(pkg-config --cflags --libs extprobe) -o pyinit */
#include <extprobe/extprobe.h>

#include <stdio.h>

int
main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        ep_object *obj = NULL;
        ep_error err;
        if (ep_object_open(argv[i], &obj, &err) != EP_OK) {
            fprintf(stderr, "pyinit: %s\n", err.message);
            return 2;
        }
        if (ep_object_kind(obj) != EP_KIND_ELF) {
            printf("%s: %s: %s\n", argv[i], ep_kind_str(ep_object_kind(obj)),
                   ep_object_reason(obj));
            status = 1;
        } else {
            ep_strlist inits;
            if (ep_object_pyinit(obj, &inits, &err) != EP_OK) {
                fprintf(stderr, "pyinit: %s\n", err.message);
                status = 1;
            } else {
                printf("%s:", argv[i]);
                for (size_t k = 0; k < inits.count; k++) {
                    printf(" %s", inits.items[k]);
                }
                printf("\n");
            }
        }
        ep_object_close(obj);
    }
    return status;
}
