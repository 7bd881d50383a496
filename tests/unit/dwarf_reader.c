/*
 * The batch DWARF reader (ep_provenance_reader): one helper for many files,
 * started only for a file whose debug info is there, and every file judged
 * on its own. The files are fxmod (gcc -O1 -g against Debian's python3
 * headers) and copies of it whose names tell a stand-in helper -- a shell
 * script in EXTPROBE_DWARF_HELPER's place that logs each start -- to crash,
 * print garbage or hang on them; the other requests it passes to the real
 * helper (meson sets EXTPROBE_DWARF_HELPER to it), so their answers are the
 * real ones and are compared with ep_provenance_read()'s.
 */
#include "fixtures/fx-config.h"
#include "test-config.h"

#include <extprobe/extprobe.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FXMOD EP_FIXTURE_DIR "/fxmod" FX_EXT_SUFFIX

/* A scratch directory with the stand-in helper and its start log. */
typedef struct scratch {
    char dir[64];
    char helper[128];
    char log[128];
} scratch;

static void
need_fxmod(void)
{
    if (!FX_HAVE_PYTHON_H) {
        cr_skip_test("no Python.h for the Debian python3");
    }
}

/* Write the stand-in helper. It logs its start; one-shot calls go to the
 * real helper; in --serve mode it answers each request as the real helper
 * would, except for files named crash*, nul*, garbage*, hang*, and after
 * its first answer it says "exit" when exit_after_one, or keeps its input
 * open and stops reading when deaf_after_one. */
static void
make_scratch(scratch *s, bool exit_after_one, bool deaf_after_one)
{
    const char *real = getenv("EXTPROBE_DWARF_HELPER");
    cr_assert(real != NULL, "meson sets EXTPROBE_DWARF_HELPER");
    snprintf(s->dir, sizeof(s->dir), "/tmp/ep-dwarf-reader-XXXXXX");
    cr_assert(mkdtemp(s->dir) != NULL);
    snprintf(s->helper, sizeof(s->helper), "%s/helper", s->dir);
    snprintf(s->log, sizeof(s->log), "%s/starts", s->dir);
    FILE *f = fopen(s->helper, "w");
    cr_assert(f != NULL);
    fprintf(f,
            "#!/bin/sh\n"
            "ulimit -c 0\n"
            "echo start >> '%s'\n"
            "[ \"$1\" = --serve ] || exec '%s' \"$@\"\n"
            "while IFS= read -r line; do\n"
            "  path=${line#file\t}\n"
            "  case \"${path##*/}\" in\n"
            "    crash*) kill -SEGV $$ ;;\n"
            "    nul*) printf 'end\\t0\\n\\000\\nnext\\n' ;;\n"
            "    garbage*) printf 'hello\\nnext\\n' ;;\n"
            "    hang*) exec sleep 60 ;;\n"
            "    *) '%s' \"$path\"; %s ;;\n"
            "  esac\n"
            "done\n",
            s->log, real, real,
            exit_after_one   ? "echo exit; exit 0"
            : deaf_after_one ? "echo next; exec sleep 60"
                             : "echo next");
    fclose(f);
    cr_assert(chmod(s->helper, 0755) == 0);
    setenv("EXTPROBE_DWARF_HELPER", s->helper, 1);
}

/* How many helpers were started. */
static int
starts(const scratch *s)
{
    FILE *f = fopen(s->log, "r");
    int n = 0;
    char line[64];
    if (f == NULL) {
        return 0;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        n++;
    }
    fclose(f);
    return n;
}

/* A copy of fxmod under another name in the scratch directory. */
static void
copy_fxmod(const scratch *s, const char *name, char *path, size_t size)
{
    char cmd[512];
    snprintf(path, size, "%s/%s", s->dir, name);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", FXMOD, path);
    cr_assert(eq(int, system(cmd), 0));
}

static void
remove_scratch(const scratch *s)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
    cr_expect(eq(int, system(cmd), 0));
}

/* True when this process has no child left, running or zombie. */
static bool
no_children(void)
{
    int status;
    return waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

static ep_object *
open_path(const char *path)
{
    ep_object *obj = NULL;
    ep_error err;
    cr_assert(eq(int, ep_object_open(path, &obj, &err), EP_OK), "%s",
              err.message);
    return obj;
}

static ep_provenance *
read_with(ep_provenance_reader *r, const char *path)
{
    ep_object *obj = open_path(path);
    ep_provenance *p = NULL;
    ep_error err;
    cr_assert(eq(int, ep_provenance_read_with(r, obj, &p, &err), EP_OK), "%s",
              err.message);
    ep_object_close(obj);
    return p;
}

/* fxmod's provenance as the one-shot form reads it with the real helper. */
static ep_provenance *
one_shot_fxmod(void)
{
    ep_object *obj = open_path(FXMOD);
    ep_provenance *p = NULL;
    ep_error err;
    cr_assert(eq(int, ep_provenance_read(obj, &p, &err), EP_OK), "%s",
              err.message);
    ep_object_close(obj);
    cr_assert(eq(int, ep_provenance_get(p)->status, EP_DEBUG_READ));
    return p;
}

/* The same facts as the one-shot read of fxmod. */
static void
assert_like_fxmod(const ep_provenance *p, const ep_provenance *want)
{
    const ep_provenance_info *a = ep_provenance_get(p);
    const ep_provenance_info *b = ep_provenance_get(want);
    cr_assert(eq(int, a->status, EP_DEBUG_READ), "%s",
              a->reason ? a->reason : "");
    cr_assert(eq(sz, a->units, b->units));
    cr_assert(eq(sz, a->nproducers, b->nproducers));
    cr_assert(strcmp(a->producers[0].producer, b->producers[0].producer) == 0);
    cr_assert(eq(sz, a->python_headers.count, b->python_headers.count));
    for (size_t i = 0; i < a->python_headers.count; i++) {
        cr_assert(strcmp(a->python_headers.items[i],
                         b->python_headers.items[i]) == 0);
    }
}

static void
assert_unreadable(const ep_provenance *p, const char *reason)
{
    const ep_provenance_info *in = ep_provenance_get(p);
    cr_assert(eq(int, in->status, EP_DEBUG_UNREADABLE));
    cr_assert(in->reason != NULL && strcmp(in->reason, reason) == 0,
              "reason %s, want %s", in->reason ? in->reason : "(none)", reason);
    cr_assert(in->units == 0 && in->nproducers == 0);
}

Test(dwarf_reader, batch_is_read_by_one_helper_with_the_one_shot_answers)
{
    need_fxmod();
    ep_provenance *want = one_shot_fxmod();
    scratch s;
    make_scratch(&s, false, false);
    ep_provenance_reader *r = NULL;
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    cr_assert(eq(int, starts(&s), 0), "nothing starts before a file");
    for (int i = 0; i < 4; i++) {
        ep_provenance *p = read_with(r, FXMOD);
        assert_like_fxmod(p, want);
        ep_provenance_free(p);
    }
    ep_provenance *stripped =
        read_with(r, EP_FIXTURE_DIR "/fxmod-strip-debug.so");
    cr_assert(eq(int, ep_provenance_get(stripped)->status, EP_DEBUG_ABSENT));
    ep_provenance_free(stripped);
    cr_assert(eq(int, starts(&s), 1));
    ep_provenance_reader_free(r);
    cr_assert(no_children(), "the helper is reaped by the free");
    ep_provenance_free(want);
    remove_scratch(&s);
}

Test(dwarf_reader, files_without_debug_info_never_start_the_helper)
{
    scratch s;
    make_scratch(&s, false, false);
    const char *names[] = {"fxmod-strip-debug.so", "fxmod-strip-all.so",
                           "libfxlib.so.2", "fxtrunc-magic.so", "fxsource.pyc"};
    ep_provenance_reader *r = NULL;
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", EP_FIXTURE_DIR, names[i]);
            ep_provenance *p = read_with(r, path);
            cr_assert(eq(int, ep_provenance_get(p)->status, EP_DEBUG_ABSENT),
                      "%s", names[i]);
            ep_provenance_free(p);
        }
    }
    cr_assert(eq(int, starts(&s), 0), "no debug info, no helper");
    cr_assert(no_children());
    ep_provenance_reader_free(r);
    remove_scratch(&s);
}

/* Each bad file gets the reason a one-shot helper would have given it, the
 * helper is replaced, and the file after it is read for real. */
Test(dwarf_reader, crash_or_garbage_on_one_file_leaves_the_next_file_whole)
{
    need_fxmod();
    ep_provenance *want = one_shot_fxmod();
    scratch s;
    make_scratch(&s, false, false);
    char crash[256], nul[256], garbage[256];
    copy_fxmod(&s, "crash.so", crash, sizeof(crash));
    copy_fxmod(&s, "nul.so", nul, sizeof(nul));
    copy_fxmod(&s, "garbage.so", garbage, sizeof(garbage));
    ep_provenance_reader *r = NULL;
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    const struct {
        const char *path;
        const char *reason; /* NULL: fxmod's real answer */
    } batch[] = {
        {FXMOD, NULL},
        {crash, "the reader (libdwarf) died of signal 11 (Segmentation "
                "fault)"},
        {FXMOD, NULL},
        {nul, "garbage from the reader (a NUL byte)"},
        {FXMOD, NULL},
        {garbage, "garbage from the reader"},
        {FXMOD, NULL},
        {FXMOD, NULL},
    };
    for (size_t i = 0; i < sizeof(batch) / sizeof(batch[0]); i++) {
        ep_provenance *p = read_with(r, batch[i].path);
        if (batch[i].reason == NULL) {
            assert_like_fxmod(p, want);
        } else {
            assert_unreadable(p, batch[i].reason);
        }
        ep_provenance_free(p);
    }
    /* The first helper, and one after each bad file. */
    cr_assert(eq(int, starts(&s), 4));
    ep_provenance_reader_free(r);
    cr_assert(no_children());
    ep_provenance_free(want);
    remove_scratch(&s);
}

/* The parent's 30 s deadline holds per file: a helper that hangs on one
 * file is killed and reaped, and the next file is read by a fresh one. */
Test(dwarf_reader, hang_on_one_file_times_out_only_that_file, .timeout = 90)
{
    need_fxmod();
    ep_provenance *want = one_shot_fxmod();
    scratch s;
    make_scratch(&s, false, false);
    char hang[256];
    copy_fxmod(&s, "hang.so", hang, sizeof(hang));
    ep_provenance_reader *r = NULL;
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    ep_provenance *p = read_with(r, FXMOD);
    assert_like_fxmod(p, want);
    ep_provenance_free(p);
    time_t t0 = time(NULL);
    p = read_with(r, hang);
    time_t took = time(NULL) - t0;
    assert_unreadable(p, "the reader took longer than 30 s");
    cr_assert(took >= 29 && took <= 40, "took %lld s", (long long)took);
    ep_provenance_free(p);
    cr_assert(no_children(), "the hung helper is killed and reaped");
    p = read_with(r, FXMOD);
    assert_like_fxmod(p, want);
    ep_provenance_free(p);
    cr_assert(eq(int, starts(&s), 2));
    ep_provenance_reader_free(r);
    cr_assert(no_children());
    ep_provenance_free(want);
    remove_scratch(&s);
}

/* A helper that says "exit" after an answer (as the real one does after
 * EP_DWARF_SERVE_FILES files or when it has grown) is reaped, and the next
 * file starts another. */
Test(dwarf_reader, helper_that_retires_is_replaced)
{
    need_fxmod();
    ep_provenance *want = one_shot_fxmod();
    scratch s;
    make_scratch(&s, true, false);
    ep_provenance_reader *r = NULL;
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    for (int i = 0; i < 3; i++) {
        ep_provenance *p = read_with(r, FXMOD);
        assert_like_fxmod(p, want);
        ep_provenance_free(p);
        cr_assert(no_children(), "reaped after its last answer");
    }
    cr_assert(eq(int, starts(&s), 3));
    ep_provenance_reader_free(r);
    ep_provenance_free(want);
    remove_scratch(&s);
}

/* The free tells the helper to exit; one that does not is killed after a
 * short wait, never left behind. */
Test(dwarf_reader, free_kills_a_helper_that_does_not_exit)
{
    need_fxmod();
    scratch s;
    make_scratch(&s, false, true);
    ep_provenance_reader *r = NULL;
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    ep_provenance *p = read_with(r, FXMOD);
    cr_assert(eq(int, ep_provenance_get(p)->status, EP_DEBUG_READ));
    ep_provenance_free(p);
    bool waiting = !no_children();
    cr_assert(waiting, "the helper waits for the next file");
    time_t t0 = time(NULL);
    ep_provenance_reader_free(r);
    cr_assert(time(NULL) - t0 <= 5);
    cr_assert(no_children(), "killed and reaped");
    remove_scratch(&s);
}

Test(dwarf_reader, null_arguments_are_refused)
{
    ep_provenance_reader *r = NULL;
    ep_provenance *p = NULL;
    ep_object *obj = open_path(EP_FIXTURE_DIR "/fxmod-strip-all.so");
    cr_assert(
        eq(int, ep_provenance_reader_new(NULL, NULL), EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_provenance_reader_new(&r, NULL), EP_OK));
    cr_assert(eq(int, ep_provenance_read_with(NULL, obj, &p, NULL),
                 EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_provenance_read_with(r, NULL, &p, NULL),
                 EP_ERR_INVALID_ARG));
    cr_assert(eq(int, ep_provenance_read_with(r, obj, NULL, NULL),
                 EP_ERR_INVALID_ARG));
    ep_provenance_reader_free(r);
    ep_provenance_reader_free(NULL);
    ep_object_close(obj);
}
