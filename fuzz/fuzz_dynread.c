/*
 * libFuzzer target: the loader's lean dynamic-section reader
 * (lib/elf/dynread.c), the only view of a file the loader emulation has:
 * load, every symbol, lookups through the GNU or System V hash table of
 * names the file itself mentions, versions; then trim and look up again
 * (the tables are read a second time).
 */
#include "fuzz_common.h"

#include "elf/dynread.h"

#include <string.h>
#include <unistd.h>

typedef struct names {
    char buf[8][64];
    size_t n;
} names;

static bool
keep_name(const char *name, const ep_elf_symcand *sym, void *ctx)
{
    names *nm = ctx;
    (void)sym;
    if (nm->n < 8) {
        size_t len = strlen(name);
        len = len < 63 ? len : 63;
        memcpy(nm->buf[nm->n], name, len);
        nm->buf[nm->n][len] = '\0';
        nm->n++;
    }
    return false;
}

static bool
count_cand(const ep_elf_symcand *cand, void *ctx)
{
    (*(size_t *)ctx) += cand->namelen > 0;
    return false;
}

static bool
on_need(const char *file, const char *version, uint32_t hash, uint16_t flags,
        uint16_t index, void *ctx)
{
    (void)hash, (void)flags, (void)index;
    (*(size_t *)ctx) += strlen(file) + strlen(version);
    return false;
}

static bool
on_def(const char *name, uint32_t hash, uint16_t flags, uint16_t index,
       void *ctx)
{
    (void)hash, (void)flags, (void)index;
    (*(size_t *)ctx) += strlen(name);
    return false;
}

static void
lookups(ep_elf_symtab *t, const names *nm)
{
    static const char *const fixed[] = {"PyInit_fuzz", "malloc", "", "_init"};
    size_t seen = 0;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
        ep_elf_symtab_find(t, fixed[i], strlen(fixed[i]),
                           ep_elf_gnu_hash(fixed[i]), 0, count_cand, &seen);
    }
    for (size_t i = 0; i < nm->n; i++) {
        ep_elf_symtab_find(t, nm->buf[i], strlen(nm->buf[i]),
                           ep_elf_gnu_hash(nm->buf[i]),
                           ep_elf_sysv_hash(nm->buf[i]), count_cand, &seen);
    }
}

static void
run(const char *path, bool map)
{
    ep_elf_symtab *t = NULL;
    int errnum = 0;
    if (ep_elf_symtab_openfile(path, map, &t, &errnum, NULL) != EP_OK) {
        return;
    }
    size_t hlen;
    int rerr;
    (void)ep_elf_symtab_head(t, &hlen, &rerr);
    const ep_elf_dynfacts *facts;
    const char *why;
    if (ep_elf_symtab_load(t, &facts, &why)) {
        names nm = {.n = 0};
        size_t sum = 0;
        for (size_t i = 0; i < facts->needed.count; i++) {
            sum += strlen(facts->needed.items[i]);
        }
        (void)ep_elf_symtab_each(t, false, keep_name, &nm);
        (void)ep_elf_symtab_each(t, true, keep_name, &nm);
        (void)ep_elf_symtab_has_versym(t);
        (void)ep_elf_symtab_has_verdef(t);
        lookups(t, &nm);
        (void)ep_elf_symtab_verneeds(t, on_need, &sum);
        (void)ep_elf_symtab_verdefs(t, on_def, &sum);
        (void)ep_elf_symtab_bytes(t);
        ep_elf_symtab_trim(t);
        lookups(t, &nm);
        (void)ep_elf_symtab_verneeds(t, on_need, &sum);
    }
    ep_elf_symtab_close(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = ep_fuzz_memfd(data, size, path, sizeof(path));
    if (fd < 0) {
        return 0;
    }
    run(path, false);
    run(path, true);
    close(fd);
    return 0;
}
