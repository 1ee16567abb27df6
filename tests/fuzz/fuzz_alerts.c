/* fuzz_alerts.c: the alerts JSON Lines reader (report, evaluate and export read
 * detect's output with it), with and without a case to resolve the ids.
 *
 * Input: one byte (bit 0: resolve ids in the case) then the alerts file.
 * Properties: reading never crashes; alerts read with the case are written back
 * by the writer and read again, with the same count. */
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"
#include "iffnet/iffnet.h"

static iffnet_case_t fixture;

/* Accounts A1..A4 and transactions t1..t4, two currencies: the ids and amounts
 * the seed alerts name. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char tx[] =
        "tx_id,timestamp,source,target,amount,currency\n"
        "t1,2024-01-01T00:00:00Z,A1,A2,100.00,EUR\n"
        "t2,2024-01-02T00:00:00Z,A2,A3,90.00,EUR\n"
        "t3,2024-01-03T00:00:00Z,A3,A4,80.00,EUR\n"
        "t4,2024-01-04T00:00:00Z,A4,A1,70.00,USD\n";
    iffnet_ingest_opts_t o;
    iffnet_ingest_report_t rep;
    fuzz_init();
    iffnet_ingest_opts_default(&o);
    o.created = 0;
    iffnet_source_t s = {IFFNET_SRC_TRANSACTIONS, "fixture.csv", NULL, tx, sizeof tx - 1};
    if (iffnet_ingest_sources(&fixture, &s, 1, &o, &rep)) abort();
    iffnet_ingest_report_destroy(&rep);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const char *name = "alerts.jsonl";
    iffnet_alert_list_t l, back;
    if (!(data[0] & 1)) {
        iffnet_alert_read_jsonl_mem(name, data + 1, size - 1, NULL, &l);
        iffnet_alert_list_destroy(&l);
        return 0;
    }
    if (iffnet_alert_read_jsonl_mem(name, data + 1, size - 1, &fixture, &l) != IFFNET_OK) {
        iffnet_alert_list_destroy(&l);
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp) abort();
    int err = iffnet_alert_write_jsonl(&l, &fixture, fp);
    if (fclose(fp) != 0) abort();
    FUZZ_ASSERT(err == IFFNET_OK, "alerts that were read are written");
    err = iffnet_alert_read_jsonl_mem("again.jsonl", text, len, &fixture, &back);
    free(text);
    FUZZ_ASSERT(err == IFFNET_OK, "alerts written back are read");
    FUZZ_ASSERT(back.n == l.n, "the same alerts come back");
    iffnet_alert_list_destroy(&back);
    iffnet_alert_list_destroy(&l);
    return 0;
}
