/* docs/c-api.md "Wheels": audit wheel files for a target, print each
 * wheel's findings. usage: wheel TARGET FILE.whl... */
#include <extprobe/extprobe.h>

#include <stdio.h>

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s TARGET FILE.whl...\n", argv[0]);
        return 2;
    }
    ep_wheel_options opt;
    ep_wheel_options_init(&opt);
    opt.target = argv[1]; /* "cp312-manylinux_2_28_aarch64" */
    ep_wheels *ws = NULL;
    ep_error err;
    if (ep_wheels_audit((const char *const *)argv + 2, (size_t)(argc - 2), &opt,
                        &ws, &err) != EP_OK) {
        fprintf(stderr, "%s\n", err.message); /* a bad target, no memory */
        return 2;
    }
    for (size_t i = 0; i < ep_wheels_count(ws); i++) {
        const ep_report *r = ep_wheels_report(ws, i);
        printf("%s: %zu findings\n", ep_report_module(r),
               ep_report_finding_count(r));
        for (size_t k = 0; k < ep_report_finding_count(r); k++) {
            const ep_finding *f = ep_report_finding(r, k);
            printf("  %s[%s] %s\n", ep_severity_str(f->severity),
                   ep_finding_slug(f->code), f->summary);
        }
    }
    int rc = ep_wheels_has_errors(ws) ? 1 : 0;
    ep_wheels_free(ws);
    return rc;
}
