/*
 * Build provenance through the C API: the real helper (EXTPROBE_DWARF_HELPER,
 * set by meson) on fxmod (gcc -O1 -g against Debian's python3 headers), the
 * stripped copies and a library without -g; and how the caller judges a
 * helper that fails, says nothing or says something else -- with real
 * programs (false, true, echo) standing where the helper is looked for.
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ep_object *
open_fixture(const char *name)
{
    char path[4096];
    ep_object *obj = NULL;
    ep_error err;
    snprintf(path, sizeof(path), "%s/%s", EP_FIXTURE_DIR, name);
    cr_assert(eq(int, ep_object_open(path, &obj, &err), EP_OK), "%s",
              err.message);
    return obj;
}

static ep_provenance *
provenance_of(ep_object *obj)
{
    ep_provenance *p = NULL;
    ep_error err;
    cr_assert(eq(int, ep_provenance_read(obj, &p, &err), EP_OK), "%s",
              err.message);
    cr_assert(p != NULL);
    return p;
}

static bool
has(ep_strlist l, const char *s)
{
    for (size_t i = 0; i < l.count; i++) {
        if (strcmp(l.items[i], s) == 0) {
            return true;
        }
    }
    return false;
}

Test(dwarf, gcc_module_names_compiler_flags_and_python_headers)
{
    if (!FX_HAVE_PYTHON_H) {
        cr_skip_test("no Python.h for the Debian python3");
    }
    ep_object *obj = open_fixture("fxmod" FX_EXT_SUFFIX);
    ep_provenance *p = provenance_of(obj);
    const ep_provenance_info *in = ep_provenance_get(p);
    cr_assert(eq(int, in->status, EP_DEBUG_READ), "%s",
              in->reason ? in->reason : "");
    cr_assert(in->source != NULL && strcmp(in->source, "embedded") == 0);
    cr_assert(eq(sz, in->units, 1));
    cr_assert(eq(sz, in->nproducers, 1));
    const ep_build_unit *u = &in->producers[0];
    cr_assert(u->compiler != NULL && strcmp(u->compiler, "gcc") == 0);
    cr_assert(strncmp(u->producer, "GNU C", 5) == 0, "%s", u->producer);
    cr_assert(has(u->flags, "-O1") && has(u->flags, "-g"), "%s", u->producer);
    cr_assert(u->language != NULL && strcmp(u->language, "C11") == 0);
    cr_assert(in->rust == false);
    cr_assert(has(in->python_headers, FX_PYINC), "want %s", FX_PYINC);
    cr_assert(in->has_macros == false, "built with -g, not -g3");
    cr_assert(in->py_version == NULL && in->limited_api == NULL);
    /* meson ran gcc in the build directory on ../tests/fixtures/fxmod.c:
     * DW_AT_name resolved against DW_AT_comp_dir is the fixture's source. */
    cr_assert(eq(sz, in->sources.count, 1));
    char want[4096], got[4096];
    cr_assert(realpath(EP_SOURCE_DIR "/tests/fixtures/fxmod.c", want) != NULL);
    cr_assert(realpath(in->sources.items[0], got) != NULL, "%s",
              in->sources.items[0]);
    cr_assert(strcmp(want, got) == 0, "%s", in->sources.items[0]);
    ep_provenance_free(p);
    ep_object_close(obj);
}

Test(dwarf, no_debug_info_is_absent_not_an_error)
{
    const char *names[] = {"fxmod-strip-debug.so", "fxmod-strip-all.so",
                           "libfxlib.so.2", "fxtrunc-magic.so"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!FX_HAVE_PYTHON_H && strncmp(names[i], "fxmod", 5) == 0) {
            continue;
        }
        ep_object *obj = open_fixture(names[i]);
        ep_provenance *p = provenance_of(obj);
        const ep_provenance_info *in = ep_provenance_get(p);
        cr_assert(eq(int, in->status, EP_DEBUG_ABSENT), "%s", names[i]);
        cr_assert(in->units == 0 && in->nproducers == 0 &&
                  in->debug_file == NULL);
        cr_assert(ep_debug_status_str(in->status) != NULL &&
                  strcmp(ep_debug_status_str(in->status), "absent") == 0);
        ep_provenance_free(p);
        ep_object_close(obj);
    }
}

Test(dwarf, null_arguments_are_refused)
{
    ep_provenance *p = NULL;
    ep_error err;
    cr_assert(eq(int, ep_provenance_read(NULL, &p, &err), EP_ERR_INVALID_ARG));
    cr_assert(ep_provenance_get(NULL) == NULL);
    ep_provenance_free(NULL);
}

/* The reason the caller gives when the program in the helper's place does
 * what a crashed or confused reader would. */
static const char *
reason_with_helper(const char *helper, char *buf, size_t size)
{
    if (!FX_HAVE_PYTHON_H) {
        cr_skip_test("no Python.h for the Debian python3");
    }
    setenv("EXTPROBE_DWARF_HELPER", helper, 1);
    ep_object *obj = open_fixture("fxmod" FX_EXT_SUFFIX);
    ep_provenance *p = provenance_of(obj);
    const ep_provenance_info *in = ep_provenance_get(p);
    cr_assert(eq(int, in->status, EP_DEBUG_UNREADABLE), "%s", helper);
    cr_assert(in->units == 0 && in->nproducers == 0);
    snprintf(buf, size, "%s", in->reason);
    ep_provenance_free(p);
    ep_object_close(obj);
    return buf;
}

Test(dwarf, failing_silent_or_foreign_reader_makes_it_unreadable)
{
    char buf[512];
    cr_assert(strstr(reason_with_helper("/bin/false", buf, sizeof(buf)),
                     "failed with exit status 1") != NULL,
              "%s", buf);
    cr_assert(strstr(reason_with_helper("/bin/true", buf, sizeof(buf)),
                     "wrote nothing") != NULL,
              "%s", buf);
    cr_assert(strstr(reason_with_helper("/bin/echo", buf, sizeof(buf)),
                     "garbage from the reader") != NULL,
              "%s", buf);
    cr_assert(strstr(reason_with_helper("/nonexistent/extprobe-dwarf", buf,
                                        sizeof(buf)),
                     "cannot run") != NULL,
              "%s", buf);
}

/* A reader whose answer is a complete record stream up to a NUL byte and
 * something after it: the parser reads text, so the NUL must not end the
 * answer early and hide the rest (a shell script in the helper's place). */
Test(dwarf, answer_with_a_nul_byte_is_garbage)
{
    char dir[] = "/tmp/ep-dwarf-nul-XXXXXX";
    cr_assert(mkdtemp(dir) != NULL);
    char helper[sizeof(dir) + 16];
    snprintf(helper, sizeof(helper), "%s/helper", dir);
    FILE *f = fopen(helper, "w");
    cr_assert(f != NULL);
    fputs("#!/bin/sh\nprintf 'end\\t0\\n\\000unit\\tx\\n'\n", f);
    fclose(f);
    cr_assert(chmod(helper, 0755) == 0);
    char buf[512];
    cr_assert(strstr(reason_with_helper(helper, buf, sizeof(buf)),
                     "garbage from the reader (a NUL byte)") != NULL,
              "%s", buf);
    unlink(helper);
    rmdir(dir);
}

/* The provenance a stand-in helper's records give (it prints `records`
 * for whatever file it is asked about). */
static ep_provenance *
provenance_from_script(const char *records, char *dir)
{
    if (!FX_HAVE_PYTHON_H) {
        cr_skip_test("no Python.h for the Debian python3");
    }
    cr_assert(mkdtemp(dir) != NULL);
    char helper[64];
    snprintf(helper, sizeof(helper), "%s/helper", dir);
    FILE *f = fopen(helper, "w");
    cr_assert(f != NULL);
    fprintf(f, "#!/bin/sh\nprintf '%s'\n", records);
    fclose(f);
    cr_assert(chmod(helper, 0755) == 0);
    setenv("EXTPROBE_DWARF_HELPER", helper, 1);
    ep_object *obj = open_fixture("fxmod" FX_EXT_SUFFIX);
    ep_provenance *p = provenance_of(obj);
    ep_object_close(obj);
    unlink(helper);
    rmdir(dir);
    return p;
}

/* Unit sources: relative names resolved against the unit's comp_dir,
 * rustc's "/@/<codegen unit>" cut off, "<...>" and empty names left out,
 * each file once. */
Test(dwarf, unit_sources_resolved_against_comp_dir)
{
    char dir[] = "/tmp/ep-dwarf-src-XXXXXX";
    ep_provenance *p = provenance_from_script(
        "unit\\tclang LLVM (rustc version 1.95.0)\\t28\\t"
        "src/lib.rs/@/x.abc-cgu.0\\t0\\t/home/me/proj\\n"
        "unit\\tclang LLVM (rustc version 1.95.0)\\t28\\t"
        "src/lib.rs/@/x.abc-cgu.1\\t0\\t/home/me/proj/\\n"
        "unit\\tGNU C17 12.2.0 -g\\t12\\t./src/util.c\\t0\\t/home/me/proj\\n"
        "unit\\tGNU C17 12.2.0 -g\\t12\\t/abs/core.c\\t0\\t/elsewhere\\n"
        "unit\\tGNU AS 2.40\\t32769\\t<artificial>\\t0\\t/tmp\\n"
        "unit\\tGNU C17 12.2.0 -g\\t12\\t\\t0\\t/tmp\\n"
        "unit\\tGNU C17 12.2.0 -g\\t12\\tlone.c\\t0\\t\\n"
        "end\\t7\\n",
        dir);
    const ep_provenance_info *in = ep_provenance_get(p);
    cr_assert(eq(int, in->status, EP_DEBUG_READ), "%s",
              in->reason ? in->reason : "");
    cr_assert(eq(sz, in->units, 7));
    cr_assert(eq(sz, in->sources.count, 4));
    cr_assert(strcmp(in->sources.items[0], "/home/me/proj/src/lib.rs") == 0,
              "%s", in->sources.items[0]);
    cr_assert(strcmp(in->sources.items[1], "/home/me/proj/src/util.c") == 0,
              "%s", in->sources.items[1]);
    cr_assert(strcmp(in->sources.items[2], "/abs/core.c") == 0, "%s",
              in->sources.items[2]);
    cr_assert(strcmp(in->sources.items[3], "lone.c") == 0, "%s",
              in->sources.items[3]);
    ep_provenance_free(p);
}

/* A unit record without its comp_dir field is not the format. */
Test(dwarf, unit_record_without_comp_dir_is_garbage)
{
    char dir[] = "/tmp/ep-dwarf-src-XXXXXX";
    ep_provenance *p = provenance_from_script(
        "unit\\tGNU C17 12.2.0 -g\\t12\\tx.c\\t0\\nend\\t1\\n", dir);
    const ep_provenance_info *in = ep_provenance_get(p);
    cr_assert(eq(int, in->status, EP_DEBUG_UNREADABLE));
    cr_assert(strstr(in->reason, "garbage from the reader") != NULL, "%s",
              in->reason);
    cr_assert(eq(sz, in->sources.count, 0));
    ep_provenance_free(p);
}
