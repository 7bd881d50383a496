/*
 * The JSON writer (render/json.c): a streaming writer gives the same bytes
 * as a string writer while its buffer keeps its first size, however long a
 * record is; a broken stream stops gathering; the plain forms of the hot
 * loops write what the escaping forms would.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "render/json.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One document with a record far longer than the stream's buffer: 40,000
 * names, some of which need escaping, and members of every kind. */
static void
write_document(ep_json *j)
{
    char name[64];
    ep_json_begin_object(j);
    ep_json_member_int(j, "schema", 1);
    ep_json_key(j, "files");
    ep_json_begin_array(j);
    ep_json_begin_object(j);
    ep_json_member_string(j, "path", "/tmp/a \"quoted\"\n\xff.so");
    ep_json_key_lit(j, "exports");
    ep_json_begin_array(j);
    for (int i = 0; i < 40000; i++) {
        snprintf(name, sizeof(name), i % 97 ? "PyInit_module_%d" : "w\\%d\t",
                 i);
        ep_json_begin_object(j);
        ep_json_key_lit(j, "name");
        ep_json_string(j, name);
        ep_json_key_lit(j, "type");
        ep_json_word(j, i % 2 ? "func" : NULL);
        ep_json_member_uint(j, "n", (unsigned)i);
        ep_json_member_bool(j, "weak", i % 3 == 0);
        ep_json_end_object(j);
    }
    ep_json_end_array(j);
    ep_json_end_object(j);
    ep_json_end_array(j);
    ep_json_end_object(j);
}

static char *
read_all(int fd, size_t *len)
{
    off_t size = lseek(fd, 0, SEEK_END);
    cr_assert(size > 0);
    char *buf = malloc((size_t)size + 1);
    cr_assert(buf != NULL);
    cr_assert(pread(fd, buf, (size_t)size, 0) == size);
    buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

Test(render_json, a_stream_writes_what_a_string_writer_builds)
{
    for (int pretty = 0; pretty < 2; pretty++) {
        ep_json s;
        ep_json_init(&s, pretty);
        write_document(&s);
        char *want = ep_json_finish(&s);
        cr_assert(want != NULL);

        FILE *tmp = tmpfile();
        cr_assert(tmp != NULL);
        ep_json j;
        ep_json_init_fd(&j, pretty, fileno(tmp));
        size_t cap = j.out.cap;
        cr_assert(cap > EP_JSON_CHUNK, "the stream's buffer is sized at once");
        write_document(&j);
        /* The record is megabytes; the buffer never grew for it. */
        cr_assert(eq(sz, j.out.cap, cap));
        ep_error err;
        cr_assert(eq(int, ep_json_finish_fd(&j, &err), EP_OK));
        size_t len = 0;
        char *got = read_all(fileno(tmp), &len);
        cr_assert(len > 4 * (size_t)EP_JSON_CHUNK);
        cr_assert(eq(sz, len, strlen(want)));
        cr_assert(memcmp(got, want, len) == 0,
                  "stream and string writer differ (pretty=%d)", pretty);
        free(got);
        free(want);
        fclose(tmp);
    }
}

Test(render_json, a_broken_stream_stops_gathering)
{
    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        cr_skip("no /dev/full here");
    }
    ep_json j;
    ep_json_init_fd(&j, true, fd);
    size_t cap = j.out.cap;
    for (int k = 0; k < 5; k++) {
        write_document(&j);
    }
    /* Every write failed (ENOSPC): the document is lost, and memory did
     * not grow with it. */
    cr_assert(eq(sz, j.out.cap, cap));
    ep_error err;
    cr_assert(eq(int, ep_json_finish_fd(&j, &err), EP_ERR_IO));
    cr_assert(strstr(err.message, "No space left") != NULL, "%s", err.message);
    close(fd);
}

Test(render_json, plain_forms_write_what_the_escaping_forms_would)
{
    for (int pretty = 0; pretty < 2; pretty++) {
        ep_json a, b;
        ep_json_init(&a, pretty);
        ep_json_init(&b, pretty);
        ep_json_begin_object(&a);
        ep_json_begin_object(&b);
        ep_json_key(&a, "visibility");
        ep_json_string(&a, "protected");
        ep_json_key_lit(&b, "visibility");
        ep_json_word(&b, "protected");
        ep_json_key(&a, "version");
        ep_json_null(&a);
        ep_json_key_lit(&b, "version");
        ep_json_word(&b, NULL);
        ep_json_end_object(&a);
        ep_json_end_object(&b);
        char *x = ep_json_finish(&a), *y = ep_json_finish(&b);
        cr_assert(x != NULL && y != NULL);
        cr_assert(eq(str, y, x));
        free(x);
        free(y);
    }
}
