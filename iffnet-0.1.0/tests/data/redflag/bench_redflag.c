/* Benchmark driver (not built by make): times each red-flag detector and the account
 * risk on one case file. Build from a configured tree:
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Isrc/lib $(pkg-config --cflags igraph gsl) \
 *     tests/data/redflag/bench_redflag.c src/lib/libiffnet.a $(pkg-config --libs igraph gsl nettle zlib) -lglpk -lcsv -lm -o bench_redflag
 *   IFFNET_DATADIR=$PWD/data ./bench_redflag CASE.iffn */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "iffnet/iffnet.h"
#include "iffnet/redflag.h"

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }

int main(int argc, char **argv)
{
    iffnet_case_t c;
    iffnet_init_libraries(1);
    double t0 = now();
    if (argc < 2 || iffnet_case_load(&c, argv[1])) { fprintf(stderr, "load: %s\n", iffnet_errmsg()); return 1; }
    printf("load: %.2f s (%lld accounts, %lld transactions)\n", now() - t0, (long long)c.n_accounts, (long long)c.n_tx);
    iffnet_detect_ctx_t ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.c = &c;
    ctx.window = 30 * 86400;
    ctx.value_currency = iffnet_case_value_currency(&c);
    ctx.threshold = 1000000;
    iffnet_alert_list_t l;
    iffnet_alert_list_init(&l);
    double total = 0;
    for (size_t i = 0; i < iffnet_n_redflag_detectors; i++) {
        int64_t before = l.n;
        double t = now();
        if (iffnet_redflag_detectors[i].run(&ctx, &l)) { fprintf(stderr, "%s\n", iffnet_errmsg()); return 1; }
        double dt = now() - t;
        total += dt;
        printf("%-15s %7.2f s  %6lld alerts\n", iffnet_typology_name(iffnet_redflag_detectors[i].typology), dt, (long long)(l.n - before));
    }
    double t = now();
    iffnet_alert_list_finish(&l, &c);
    iffnet_account_risk_t *r; int64_t n;
    if (iffnet_account_risk(&ctx, &l, &r, &n)) { fprintf(stderr, "%s\n", iffnet_errmsg()); return 1; }
    printf("%-15s %7.2f s  %6lld accounts\n", "account risk", now() - t, (long long)n);
    printf("red flags total %.2f s\n", total);
    struct rusage ru; getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.0f MB\n", ru.ru_maxrss / 1024.0);
    iffnet_account_risk_free(r, n);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
    return 0;
}
