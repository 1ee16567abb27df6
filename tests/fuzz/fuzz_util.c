/* fuzz_util.c: set-up, memory round trips, output paths and input splitting
 * for the fuzz targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

static char dir[4096];

void fuzz_init(void)
{
    static int done;
    if (done) return;
    done = 1;
    /* The library's messages are kept per thread; nothing else is global. */
    iffnet_init_libraries(1);
}

static void remove_dir(void)
{
    char cmd[4200];
    if (!dir[0]) return;
    /* Only files the targets wrote are in it; no subdirectories. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

static const char *tmpdir(void)
{
    if (dir[0]) return dir;
    const char *base = getenv("TMPDIR");
    /* /dev/shm keeps many tiny writes off the disk. */
    if (!base || !*base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/iffnet-fuzz.XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(remove_dir);
    return dir;
}

const char *fuzz_path(const char *name)
{
    static char path[8][4200];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", tmpdir(), name);
    return p;
}

const void *fuzz_bytes(const uint8_t *data, size_t size)
{
    static const uint8_t empty[1];
    return size && data ? (const void *)data : (const void *)empty;
}

int fuzz_case_reload(const iffnet_case_t *c, iffnet_case_t *back)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp) abort();
    int err = iffnet_case_write(c, fp);
    if (fclose(fp) != 0) abort();
    FUZZ_ASSERT(err == IFFNET_OK, "a case is written");
    err = iffnet_case_load_mem(back, "reloaded.iffn", buf, len);
    free(buf);
    return err;
}

size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **part, size_t *len, size_t max)
{
    size_t n = 0, sl = strlen(FUZZ_SEP);
    const uint8_t *p = data, *end = data + size;
    while (n + 1 < max) {
        const uint8_t *q = size >= sl ? memmem(p, (size_t)(end - p), FUZZ_SEP, sl) : NULL;
        if (!q) break;
        part[n] = p;
        len[n++] = (size_t)(q - p);
        p = q + sl;
    }
    part[n] = p;
    len[n++] = (size_t)(end - p);
    return n;
}

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: property broken: %s (library says: %s)\n", file, line, what, iffnet_errmsg());
    abort();
}
