// The public header stands alone as C++ (extern "C", no C-only syntax).
#include <extprobe/extprobe.h>

int
main()
{
    ep_error err = {};
    ep_object *obj = nullptr;
    ep_object_close(obj);
    return err.status == EP_OK && ep_finding_slug(EP_FINDING_UNREADABLE) ? 0 : 1;
}
