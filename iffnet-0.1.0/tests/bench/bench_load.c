/* bench_load.c: times loading a case file and building its igraph network.
 * Used by scripts/bench; not a test (speed is never asserted in tests). */
#include <stdio.h>
#include <time.h>
#include "iffnet/iffnet.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_load CASE\n");
        return 2;
    }
    iffnet_init_libraries(1);
    iffnet_case_t c;
    igraph_t g;
    double t0 = now();
    if (iffnet_case_load(&c, argv[1])) {
        fprintf(stderr, "bench_load: %s\n", iffnet_errmsg());
        return 1;
    }
    double t1 = now();
    if (iffnet_case_graph(&c, &g)) {
        fprintf(stderr, "bench_load: %s\n", iffnet_errmsg());
        return 1;
    }
    double t2 = now();
    printf("load %.3f s, graph %.3f s, total %.3f s (%lld vertices, %lld edges)\n", t1 - t0, t2 - t1, t2 - t0,
           (long long)igraph_vcount(&g), (long long)igraph_ecount(&g));
    igraph_destroy(&g);
    iffnet_case_destroy(&c);
    return 0;
}
