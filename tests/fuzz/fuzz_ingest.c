/* fuzz_ingest.c: CSV ingest with every preset and column map.
 *
 * Input: one byte of options, then the transactions file, optionally followed
 * by FUZZ_SEP and the entities (or, with the amlsim preset, accounts) file, the
 * relations file and the rates file. Properties: ingest never crashes; a case it
 * accepts is written and loads back with the same counts (a case file that its
 * own writer cannot read is a bug), and its summary forms every sum. The CSV
 * reader gives the same records and the same error whether it splits lines
 * without quotes itself or hands them all to libcsv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "iffnet/iffnet.h"
#include "core/core_internal.h"

/* Bits of the options byte. */
enum {
    OPT_PRESET = 3,        /* 0 native, 1 amlsim, 2 amlsim-sample, 3 amlworld */
    OPT_SEMICOLON = 4,     /* ';' as delimiter */
    OPT_DECIMAL_COMMA = 8, /* 1234,56 with '.' thousands */
    OPT_SKIP_BAD = 16,     /* --skip-bad: rejected rows go to a file */
    OPT_MAP = 32,          /* --map by position */
    OPT_CURRENCY = 64,     /* --currency EUR */
    OPT_STEPS = 128        /* integers are 1h steps */
};

static const char *const PRESETS[] = {"native", "amlsim", "amlsim-sample", "amlworld"};

static void set_options(iffnet_ingest_opts_t *o, unsigned opt)
{
    iffnet_ingest_opts_default(o);
    o->created = 1700000000;
    o->command_line = "iffnet ingest (fuzz)";
    if (iffnet_ingest_preset(o, PRESETS[opt & OPT_PRESET])) abort();
    if (opt & OPT_SEMICOLON) o->delimiter = ';';
    if (opt & OPT_DECIMAL_COMMA) {
        o->amount_syntax.decimal_mark = ',';
        o->amount_syntax.thousands_sep = '.';
    }
    if (opt & OPT_SKIP_BAD) o->skip_bad_path = fuzz_path("skipped.csv");
    if (opt & OPT_MAP) {
        o->tx_col[IFFNET_F_TIMESTAMP] = "#2";
        o->tx_col[IFFNET_F_SOURCE] = "#3";
        o->tx_col[IFFNET_F_TARGET] = "#4";
        o->tx_col[IFFNET_F_AMOUNT] = "#5";
    }
    if (opt & OPT_CURRENCY) o->default_currency = "EUR";
    if (opt & OPT_STEPS) {
        o->time_syntax.steps = 1;
        o->time_syntax.step_seconds = 3600;
    }
    o->max_errors = 5;
}

/* Every record and the ending of the CSV bytes, as text. */
static char *csv_records(const uint8_t *data, size_t len, char delim, int plain)
{
    iffnet_csv_t *r;
    char *out = NULL;
    size_t cap = 0;
    FILE *fp = open_memstream(&out, &cap);
    if (!fp) abort();
    if (iffnet_csv_open_mem(&r, "tx.csv", data, len, delim) == IFFNET_OK) {
        iffnet_i_csv_set_plain(r, plain);
        int eof = 0, err;
        while (!(err = iffnet_csv_next(r, &eof)) && !eof) {
            fprintf(fp, "%lld:", (long long)iffnet_csv_line(r));
            for (int64_t i = 0; i < iffnet_csv_nfields(r); i++) {
                size_t n;
                const char *f = iffnet_csv_field(r, i, &n);
                fprintf(fp, "[%zu]", n);
                fwrite(f, 1, n, fp);
            }
            fputc('\n', fp);
        }
        fprintf(fp, "end %d %s", err, err ? iffnet_errmsg() : "");
        iffnet_csv_close(r);
    }
    if (fclose(fp) != 0) abort();
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned opt = data[0];
    const uint8_t *part[4];
    size_t len[4];
    size_t n = fuzz_split(data + 1, size - 1, part, len, 4);
    iffnet_ingest_opts_t o;
    fuzz_init();
    set_options(&o, opt);
    char *plain = csv_records(part[0], len[0], o.delimiter, 1), *lib = csv_records(part[0], len[0], o.delimiter, 0);
    int same = strcmp(plain, lib) == 0;
    free(plain);
    free(lib);
    FUZZ_ASSERT(same, "lines without quotes are split as libcsv splits them");
    /* The parts in the order of iffnet_ingest's files; the amlsim preset reads
     * the second as AMLSim accounts. */
    static const iffnet_source_kind_t KIND[4] = {IFFNET_SRC_TRANSACTIONS, IFFNET_SRC_ENTITIES,
                                                 IFFNET_SRC_RELATIONS, IFFNET_SRC_RATES};
    static const char *const NAME[4] = {"tx.csv", "entities.csv", "relations.csv", "rates.csv"};
    iffnet_source_t src[4];
    for (size_t i = 0; i < n; i++) {
        int accounts = i == 1 && (opt & OPT_PRESET) == 1;
        src[i] = (iffnet_source_t){accounts ? IFFNET_SRC_ACCOUNTS : KIND[i], accounts ? "accounts.csv" : NAME[i],
                                   NULL, fuzz_bytes(part[i], len[i]), len[i]};
    }
    iffnet_case_t c, back;
    iffnet_ingest_report_t rep;
    int err = iffnet_ingest_sources(&c, src, (int64_t)n, &o, &rep);
    iffnet_ingest_report_destroy(&rep);
    if (err) return 0;
    FUZZ_ASSERT(fuzz_case_reload(&c, &back) == IFFNET_OK, "an ingested case, written, loads");
    FUZZ_ASSERT(back.n_tx == c.n_tx && back.n_accounts == c.n_accounts && back.n_entities == c.n_entities &&
                back.n_relations == c.n_relations, "a loaded case has the counts it was saved with");
    iffnet_summary_t s;
    if (iffnet_case_summarize(&back, 3, &s) == IFFNET_OK) iffnet_summary_destroy(&s);
    iffnet_case_destroy(&back);
    iffnet_case_destroy(&c);
    return 0;
}
