/*
 * Replays files through a fuzz target's LLVMFuzzerTestOneInput without
 * libFuzzer: the fuzz-regress suite builds one of these per target with the
 * project's normal compiler and runs it (also under ASan+UBSan in .ci/run)
 * on the kept crash inputs (tests/fuzz-regressions/<target>/) and the seed
 * corpus. Usage: replay_<target> FILE-OR-DIR...; prints how many inputs ran
 * and fails when none did.
 */
#include "fuzz_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Targets without an initialiser leave this NULL. */
#pragma weak LLVMFuzzerInitialize

static int
byname(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 16, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf != NULL && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", path);
        exit(1);
    }
    /* An exact-size copy, so ASan sees a read past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 1;
}

static size_t
replay(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        exit(1);
    }
    if (!S_ISDIR(sb.st_mode)) {
        return replay_file(path);
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        perror(path);
        exit(1);
    }
    char **names = NULL;
    size_t count = 0, done = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0) {
            continue;
        }
        names = realloc(names, (count + 1) * sizeof(*names));
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (count > 1) {
        qsort(names, count, sizeof(*names), byname);
    }
    for (size_t i = 0; i < count; i++) {
        char full[4096];
        snprintf(full, sizeof(full), "%s/%s", path, names[i]);
        done += replay(full);
        free(names[i]);
    }
    free(names);
    return done;
}

int
main(int argc, char **argv)
{
    size_t done = 0;
    if (LLVMFuzzerInitialize != NULL) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        /* A target may have no kept crash inputs yet: its directory is
         * optional, the seeds are not. */
        if (stat(argv[i], &sb) != 0 && strstr(argv[i], "fuzz-regressions")) {
            continue;
        }
        done += replay(argv[i]);
    }
    printf("%zu inputs replayed without a crash\n", done);
    return done > 0 ? 0 : 1;
}
