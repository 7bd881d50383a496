/* The public header stands alone as C11 (tests/source): nothing else is
 * included first, and a use of each kind of declaration compiles. */
#include <extprobe/extprobe.h>

int
main(void)
{
    ep_error err;
    ep_object *obj = NULL;
    ep_explain_options opt = {0};
    (void)opt;
    (void)err;
    ep_object_close(obj);
    return ep_status_str(EP_OK)[0] == 's' ? 0 : 1;
}
