/* ingest_statement.c: bank statements of one account into the sink: CSV in a
 * bank's layout (--statement-of ACCOUNT -t FILE) and ISO 20022 camt.053 XML.
 *
 * A row is money out of the account (a debit: the account pays the
 * counterparty) or in (a credit: the counterparty pays the account). Where the
 * statement gives a running balance, every row must follow from the previous
 * one (the balance before plus the signed amount), in file order or, for
 * statements listed newest first, in reverse; a break is an error naming the
 * line, because a gap in a statement is what an investigator must know about.
 * camt.053 is checked the same way: opening balance plus the entries must give
 * the closing balance. Statements of both sides of a payment are matched into
 * one transaction by the sink (ingest_sink.c, match_statements). */
#include <ctype.h>
#include "case_internal.h"

/* ---- what both forms share ---- */

typedef struct {
    iffnet_i_sink_t *g;
    const char *account;          /* normalised */
    char account_buf[256];
    int64_t rows, accepted;
    /* Balance check. */
    int have_prev, direction;     /* direction: 0 unknown, 1 file order, -1 newest first */
    iffnet_money_t prev_balance, prev_signed;
    int64_t prev_line;
    const char *currency_of_balance;
} stmt_t;

/* IBANs are written with spaces and in either case: compare them without. */
static void normalise_account(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    int iban = len >= 4 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]);
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (iban && ch == ' ') continue;
        out[n++] = iban ? (char)toupper(ch) : (char)ch;
    }
    /* Not an IBAN after all (letters and digits only, 15-34 long, digits 3-4): as written. */
    if (iban && (n < 15 || n > 34 || !isdigit((unsigned char)out[2]) || !isdigit((unsigned char)out[3]))) {
        n = len < cap ? len : cap - 1;
        memcpy(out, s, n);
    }
    while (n && out[n - 1] == ' ') n--;
    out[n] = '\0';
}

/* Signed amounts: "-1.250,00", "1250.00-", "(1250.00)", "+12". */
static iffnet_amount_status_t signed_amount(const char *s, size_t len, int scale, const iffnet_amount_syntax_t *syn,
                                            iffnet_money_t *out)
{
    char buf[128];
    int neg = 0;
    while (len && isspace((unsigned char)*s)) { s++; len--; }
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len >= sizeof buf) return IFFNET_AMOUNT_SYNTAX;
    if (len >= 2 && s[0] == '(' && s[len - 1] == ')') { neg = 1; s++; len -= 2; }
    else if (len && s[0] == '-') { neg = 1; s++; len--; }
    else if (len && s[len - 1] == '-') { neg = 1; len--; }
    else if (len && s[0] == '+') { s++; len--; }
    memcpy(buf, s, len);
    buf[len] = '\0';
    iffnet_amount_status_t st = iffnet_amount_parse(buf, len, scale, syn, out);
    if (st == IFFNET_AMOUNT_OK && neg) *out = -*out;
    return st;
}

/* Checks that `balance` follows from the previous row. Returns IFFNET_OK, -1
 * (a break, reported) or an error. */
static int check_balance(stmt_t *S, int64_t line, iffnet_money_t balance, iffnet_money_t signed_amt, int scale)
{
    int err = IFFNET_OK;
    if (S->have_prev) {
        /* The balance after this row, read forwards (the previous balance plus
         * this amount) or backwards (newest row first: the previous balance
         * less its amount), in checked arithmetic: a balance that cannot be
         * formed in 64 bits follows from nothing. */
        iffnet_money_t f, b;
        int f_over = __builtin_add_overflow(S->prev_balance, signed_amt, &f);
        int b_over = __builtin_sub_overflow(S->prev_balance, S->prev_signed, &b);
        int fwd = !f_over && balance == f, rev = !b_over && balance == b;
        if (S->direction == 0) S->direction = fwd ? 1 : rev ? -1 : 0;
        if ((S->direction == -1 ? b_over : f_over) && !fwd && !rev) {
            err = iffnet_i_sink_bad(S->g, line, NULL, "the balance after line %lld and this row's amount add up to more "
                                    "than 9223372036854775807 minor units, more than iffnet can sum exactly",
                                    (long long)S->prev_line);
            if (!err) err = -1;
        } else if ((S->direction == 1 && !fwd) || (S->direction == -1 && !rev) || S->direction == 0) {
            char want[48], got[48], prev[48];
            iffnet_money_t expect = S->direction == -1 ? b : f;
            iffnet_amount_format(want, sizeof want, expect, scale, 0);
            iffnet_amount_format(got, sizeof got, balance, scale, 0);
            iffnet_amount_format(prev, sizeof prev, S->prev_balance, scale, 0);
            err = iffnet_i_sink_bad(S->g, line, NULL,
                                    "the balance %s does not follow from %s on line %lld (expected %s): the statement "
                                    "has a gap or a changed row here", got, prev, (long long)S->prev_line, want);
            if (!err) err = -1;
        }
    }
    S->have_prev = 1;
    S->prev_balance = balance;
    S->prev_signed = signed_amt;
    S->prev_line = line;
    return err;
}

/* Sends one statement row: a debit (signed < 0) is account -> counterparty. */
static int statement_tx(stmt_t *S, int64_t line, iffnet_time_t t, iffnet_money_t signed_amt, const char *currency,
                        const char *cp, const char *cp_name, const char *ref, size_t ref_len, const char *chan,
                        size_t chan_len)
{
    char other[512], idbuf[320];
    if (cp && *cp) normalise_account(cp, strlen(cp), other, sizeof other);
    else if (cp_name && *cp_name) snprintf(other, sizeof other, "%s", cp_name);
    else snprintf(other, sizeof other, "%s (no counterparty)", S->account);
    if (signed_amt == 0) return IFFNET_OK;  /* a zero row moves no money: counted, not a transaction */
    iffnet_i_tx_t x;
    memset(&x, 0, sizeof x);
    int n = snprintf(idbuf, sizeof idbuf, "%s:%lld", S->account, (long long)line);
    x.id = idbuf;
    x.id_len = n > 0 && (size_t)n < sizeof idbuf ? (size_t)n : strlen(idbuf);
    x.row = S->rows;
    x.line = line;
    x.time = t;
    x.amount = signed_amt < 0 ? -signed_amt : signed_amt;
    x.currency = currency;
    x.src = signed_amt < 0 ? S->account : other;
    x.dst = signed_amt < 0 ? other : S->account;
    x.src_len = strlen(x.src);
    x.dst_len = strlen(x.dst);
    x.reference = ref;
    x.ref_len = ref_len;
    x.channel = chan;
    x.channel_len = chan_len;
    if (cp_name && *cp_name && strcmp(other, cp_name) != 0) {
        iffnet_i_entity_t e = {other, strlen(other), "account", cp_name, NULL, NULL, line, 0};
        int64_t k;
        int err = iffnet_i_sink_entity(S->g, &e, &k);
        if (err > 0) return err;
    }
    return iffnet_i_sink_tx(S->g, &x);
}

static int begin_statement(stmt_t *S, iffnet_i_sink_t *g, const char *account)
{
    memset(S, 0, sizeof *S);
    S->g = g;
    normalise_account(account, strlen(account), S->account_buf, sizeof S->account_buf);
    S->account = S->account_buf;
    if (!*S->account) return iffnet_i_seterr(IFFNET_EINVAL, "a statement's account is empty");
    iffnet_i_entity_t e = {S->account, strlen(S->account), "account", NULL, NULL, NULL, 1, 0};
    int64_t k;
    int err = iffnet_i_sink_entity(g, &e, &k);
    return err > 0 ? err : IFFNET_OK;
}

/* ---- CSV statements ---- */

static int64_t find_col(iffnet_csv_t *r, const char *want)
{
    if (want[0] == '#') {
        char *end;
        long long k = strtoll(want + 1, &end, 10);
        return *end || k < 1 || k > iffnet_csv_nfields(r) ? -1 : k - 1;
    }
    for (int64_t i = 0; i < iffnet_csv_nfields(r); i++)
        if (strcasecmp(iffnet_csv_field(r, i, NULL), want) == 0) return i;
    return -1;
}

/* The column of field f: the mapped one, else the first of the usual names. */
static int64_t column(const iffnet_ingest_opts_t *o, iffnet_csv_t *r, iffnet_tx_field_t f, const char *const *names,
                      const char **name)
{
    if (o->tx_col[f]) {
        *name = o->tx_col[f];
        return find_col(r, o->tx_col[f]);
    }
    for (; *names; names++) {
        int64_t k = find_col(r, *names);
        if (k >= 0) {
            *name = *names;
            return k;
        }
    }
    *name = iffnet_tx_field_name(f);
    return -1;
}

enum { S_DATE, S_AMOUNT, S_DEBIT, S_CREDIT, S_BALANCE, S_CP, S_CP_NAME, S_REF, S_CUR, S_CHAN, S_N };

typedef struct {
    int64_t col[S_N];
    const char *name[S_N];
    int64_t nf;
} slayout_t;

static int statement_layout(const iffnet_ingest_opts_t *o, iffnet_csv_t *r, slayout_t *L)
{
    static const char *const date[] = {"timestamp", "date", "booking date", "booking_date", "transaction date", NULL};
    static const char *const amount[] = {"amount", NULL};
    static const char *const debit[] = {"debit", "withdrawal", "withdrawals", "money out", "paid out", NULL};
    static const char *const credit[] = {"credit", "deposit", "deposits", "money in", "paid in", NULL};
    static const char *const balance[] = {"balance", "running balance", NULL};
    static const char *const cp[] = {"counterparty", "counterparty account", "counterparty_account", "iban", "account", NULL};
    static const char *const cpn[] = {"counterparty_name", "counterparty name", "name", "payee", "payer", NULL};
    static const char *const ref[] = {"reference", "description", "details", "purpose", "memo", NULL};
    static const char *const cur[] = {"currency", NULL};
    static const char *const chan[] = {"channel", "type", "transaction type", NULL};
    const iffnet_tx_field_t f[S_N] = {IFFNET_F_TIMESTAMP, IFFNET_F_AMOUNT, IFFNET_F_DEBIT, IFFNET_F_CREDIT, IFFNET_F_BALANCE,
                                      IFFNET_F_COUNTERPARTY, IFFNET_F_COUNTERPARTY_NAME, IFFNET_F_REFERENCE, IFFNET_F_CURRENCY,
                                      IFFNET_F_CHANNEL};
    const char *const *names[S_N] = {date, amount, debit, credit, balance, cp, cpn, ref, cur, chan};
    L->nf = iffnet_csv_nfields(r);
    for (int k = 0; k < S_N; k++) {
        L->col[k] = column(o, r, f[k], names[k], &L->name[k]);
        /* A column mapped with --map must be there; a preset's optional ones need not. */
        int preset = o->preset && strcmp(o->preset, "native") != 0;
        if (o->tx_col[f[k]] && L->col[k] < 0 && (!preset || k == S_DATE || k == S_AMOUNT))
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column '%s' (for %s) is not in the header", iffnet_csv_path(r),
                                   (long long)iffnet_csv_line(r), o->tx_col[f[k]], iffnet_tx_field_name(f[k]));
    }
    if (L->col[S_DATE] < 0)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no date column in the statement's header (map one with --map timestamp=COLUMN%s)",
                               iffnet_csv_path(r), (long long)iffnet_csv_line(r),
                               L->nf == 1 ? ", or give --delimiter: the header has one column" : "");
    if (L->col[S_AMOUNT] < 0 && (L->col[S_DEBIT] < 0 || L->col[S_CREDIT] < 0))
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: the statement needs an amount column (signed) or debit and credit columns "
                               "(map them with --map amount=COLUMN or --map debit=COLUMN --map credit=COLUMN)",
                               iffnet_csv_path(r), (long long)iffnet_csv_line(r));
    if (L->col[S_CUR] < 0 && !o->default_currency)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column 'currency' in the statement (give --currency CODE)",
                               iffnet_csv_path(r), (long long)iffnet_csv_line(r));
    return IFFNET_OK;
}

#define SBAD(S, r, ...) (iffnet_i_sink_bad((S)->g, iffnet_csv_line(r), NULL, __VA_ARGS__) ? IFFNET_EDATA : -1)

static int statement_row(stmt_t *S, iffnet_csv_t *r, const slayout_t *L, const iffnet_ingest_opts_t *o)
{
    size_t len;
    const char *v;
    if (iffnet_csv_nfields(r) != L->nf)
        return SBAD(S, r, "expected %lld fields, found %lld", (long long)L->nf, (long long)iffnet_csv_nfields(r));
    const char *curname = L->col[S_CUR] >= 0 ? iffnet_csv_field(r, L->col[S_CUR], &len) : o->default_currency;
    if (L->col[S_CUR] < 0) len = strlen(curname);
    const char *cur = iffnet_i_sink_currency(S->g, curname, len);
    if (!cur) return SBAD(S, r, "column '%s': \"%s\" is not an ISO 4217 currency code", L->name[S_CUR], curname);
    int scale = iffnet_currency_scale(cur);
    iffnet_time_t t;
    v = iffnet_csv_field(r, L->col[S_DATE], &len);
    if (iffnet_i_sink_time_fmt(S->g, v, len, o->date_format, &t))
        return SBAD(S, r, "column '%s': \"%s\" is not a date%s", L->name[S_DATE], v, o->date_format ? " in the --date-format" : " (give --date-format)");
    iffnet_money_t amt = 0, x;
    iffnet_amount_status_t st;
    if (L->col[S_AMOUNT] >= 0) {
        v = iffnet_csv_field(r, L->col[S_AMOUNT], &len);
        if ((st = signed_amount(v, len, scale, &o->amount_syntax, &amt)) != IFFNET_AMOUNT_OK)
            return SBAD(S, r, "column '%s': \"%s\" %s", L->name[S_AMOUNT], v, iffnet_amount_status_str(st));
    } else {
        const char *dv = iffnet_csv_field(r, L->col[S_DEBIT], &len);
        size_t clen;
        const char *cv = iffnet_csv_field(r, L->col[S_CREDIT], &clen);
        int has_d = strspn(dv, " ") < len, has_c = strspn(cv, " ") < clen;
        if (has_d == has_c)
            return SBAD(S, r, "columns '%s' and '%s': a row needs exactly one of them", L->name[S_DEBIT], L->name[S_CREDIT]);
        v = has_d ? dv : cv;
        if ((st = signed_amount(v, has_d ? len : clen, scale, &o->amount_syntax, &x)) != IFFNET_AMOUNT_OK)
            return SBAD(S, r, "column '%s': \"%s\" %s", L->name[has_d ? S_DEBIT : S_CREDIT], v, iffnet_amount_status_str(st));
        x = x < 0 ? -x : x;
        amt = has_d ? -x : x;
    }
    if (L->col[S_BALANCE] >= 0) {
        v = iffnet_csv_field(r, L->col[S_BALANCE], &len);
        iffnet_money_t bal;
        if ((st = signed_amount(v, len, scale, &o->amount_syntax, &bal)) != IFFNET_AMOUNT_OK)
            return SBAD(S, r, "column '%s': \"%s\" %s", L->name[S_BALANCE], v, iffnet_amount_status_str(st));
        int e = check_balance(S, iffnet_csv_line(r), bal, amt, scale);
        if (e) return e;
    }
    size_t rl = 0, cl = 0;
    const char *ref = L->col[S_REF] >= 0 ? iffnet_csv_field(r, L->col[S_REF], &rl) : NULL;
    const char *chan = L->col[S_CHAN] >= 0 ? iffnet_csv_field(r, L->col[S_CHAN], &cl) : NULL;
    const char *cp = L->col[S_CP] >= 0 ? iffnet_csv_field(r, L->col[S_CP], NULL) : NULL;
    const char *cpn = L->col[S_CP_NAME] >= 0 ? iffnet_csv_field(r, L->col[S_CP_NAME], NULL) : NULL;
    return statement_tx(S, iffnet_csv_line(r), t, amt, cur, cp, cpn, ref, rl, chan, cl);
}

/* Opens a statement and reads its header. Without a --preset, a layout known
 * by its header is recognised (a bank's export has the same header every time,
 * and one case often holds statements of several banks): the delimiter (';' or
 * tab when the header has no ','), and the CSV-CAMT export of the German
 * savings banks. */
static int open_statement(const iffnet_source_t *s, const iffnet_ingest_opts_t *o, iffnet_ingest_opts_t *lo, iffnet_csv_t **r)
{
    *lo = *o;
    for (int attempt = 0; attempt < 2; attempt++) {
        IFFNET_TRY(iffnet_i_csv_open_header(r, s, lo));
        int native = strcmp(o->preset ? o->preset : "native", "native") == 0;
        const char *h = iffnet_csv_field(*r, 0, NULL);
        if (attempt == 0 && native && iffnet_csv_nfields(*r) == 1 && (strchr(h, ';') || strchr(h, '\t'))) {
            lo->delimiter = strchr(h, ';') ? ';' : '\t';
            iffnet_csv_close(*r);
            *r = NULL;
            continue;
        }
        if (native && find_col(*r, "Buchungstag") >= 0 && find_col(*r, "Betrag") >= 0) {
            char delim = lo->delimiter;
            iffnet_ingest_preset(lo, "csv-camt");
            lo->delimiter = delim;
        }
        return IFFNET_OK;
    }
    return IFFNET_OK;
}

int iffnet_i_read_statement_csv(iffnet_i_sink_t *g, const iffnet_source_t *src)
{
    const char *path = src->path, *account = src->account;
    iffnet_ingest_opts_t lo;
    iffnet_csv_t *r = NULL;
    slayout_t L;
    stmt_t S;
    int eof, err = begin_statement(&S, g, account);
    if (err) return err;
    if ((err = open_statement(src, iffnet_i_sink_opts(g), &lo, &r))) return err;
    const iffnet_ingest_opts_t *o = &lo;
    if ((err = statement_layout(o, r, &L))) goto out;
    if ((err = iffnet_i_sink_begin_source(g, "statement", path, "row"))) goto out;
    iffnet_i_sink_set_csv(g, r);
    for (;;) {
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        S.rows++;
        int e = statement_row(&S, r, &L, o);
        if (e > 0) {
            err = e;
            goto out;
        }
        S.accepted += e == 0;
    }
    err = iffnet_i_sink_end_csv_source(g, r, S.rows, S.accepted);
out:
    iffnet_csv_close(r);
    return err;
}

/* ---- camt.053 (ISO 20022 BankToCustomerStatement) ---- */

typedef struct {
    iffnet_i_sink_t *g;
    iffnet_i_xr_t *x;
    stmt_t S;
    int in_stmt, in_entry, in_bal, in_acct;
    char iban[64];
    /* The entry being read. */
    char amt[64], ccy[8], cdi[8], bookg[40], val[40], ref[512], e2e[128], svcr[128], dbtr_nm[256], cdtr_nm[256],
         dbtr_acct[64], cdtr_acct[64], chan[64];
    int64_t entry_line;
    /* Balances of the statement. */
    char bal_type[16], bal_amt[64], bal_ccy[8], bal_cdi[8];
    int have_open, have_close;
    iffnet_money_t open, close, sum;
    int64_t close_line;
    const char *stmt_ccy;
    int64_t rows, accepted;
} camt_t;

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static int camt_fail(camt_t *m, int64_t line, const char *fmt, const char *a, const char *b)
{
    return iffnet_i_xr_fail_at(m->x, line, fmt, a, b);
}

static int camt_entry(camt_t *m)
{
    char path[512];
    iffnet_i_xr_path(m->x, path, sizeof path);
    m->rows++;
    const char *cur = iffnet_i_sink_currency(m->g, m->ccy, strlen(m->ccy));
    if (!cur) return camt_fail(m, m->entry_line, "Amt: currency \"%s\" is not an ISO 4217 code%s", m->ccy, "");
    iffnet_money_t a;
    iffnet_amount_status_t st = iffnet_amount_parse(m->amt, strlen(m->amt), iffnet_currency_scale(cur), NULL, &a);
    if (st != IFFNET_AMOUNT_OK) return camt_fail(m, m->entry_line, "Amt: \"%s\" %s", m->amt, iffnet_amount_status_str(st));
    int debit = strcmp(m->cdi, "DBIT") == 0;
    if (!debit && strcmp(m->cdi, "CRDT") != 0)
        return camt_fail(m, m->entry_line, "CdtDbtInd: \"%s\" is neither CRDT nor DBIT%s", m->cdi, "");
    const char *date = *m->bookg ? m->bookg : m->val;
    iffnet_time_t t;
    if (!*date || iffnet_i_sink_time(m->g, date, strlen(date), &t))
        return camt_fail(m, m->entry_line, "BookgDt: \"%s\" is not a date%s", date, "");
    iffnet_money_t sgn = debit ? -a : a;
    if (__builtin_add_overflow(m->sum, sgn, &m->sum))
        return camt_fail(m, m->entry_line, "the entries up to this one add up to more than %s minor units%s",
                         "9223372036854775807", ", more than iffnet can sum exactly");
    /* The other party: the creditor of a debit, the debtor of a credit. */
    const char *cp = debit ? m->cdtr_acct : m->dbtr_acct, *cpn = debit ? m->cdtr_nm : m->dbtr_nm;
    char ref[800];
    snprintf(ref, sizeof ref, "%s%s%s", m->e2e, *m->e2e && *m->ref ? " " : "", m->ref);
    if (strcmp(m->e2e, "NOTPROVIDED") == 0) copy(ref, sizeof ref, m->ref);
    int e = statement_tx(&m->S, m->entry_line, t, sgn, cur, cp, cpn, ref, strlen(ref), m->chan, strlen(m->chan));
    if (e == 0) m->accepted++;
    return e > 0 ? e : IFFNET_OK;
}

static void clear_entry(camt_t *m)
{
    m->amt[0] = m->ccy[0] = m->cdi[0] = m->bookg[0] = m->val[0] = m->ref[0] = m->e2e[0] = m->svcr[0] = '\0';
    m->dbtr_nm[0] = m->cdtr_nm[0] = m->dbtr_acct[0] = m->cdtr_acct[0] = m->chan[0] = '\0';
}

static int camt_balance(camt_t *m)
{
    const char *cur = iffnet_i_sink_currency(m->g, m->bal_ccy, strlen(m->bal_ccy));
    iffnet_money_t a;
    int64_t line = iffnet_i_xr_line(m->x);
    if (!cur) return camt_fail(m, line, "Amt: currency \"%s\" is not an ISO 4217 code%s", m->bal_ccy, "");
    iffnet_amount_status_t st = iffnet_amount_parse(m->bal_amt, strlen(m->bal_amt), iffnet_currency_scale(cur), NULL, &a);
    if (st != IFFNET_AMOUNT_OK) return camt_fail(m, line, "Amt: \"%s\" %s", m->bal_amt, iffnet_amount_status_str(st));
    if (strcmp(m->bal_cdi, "DBIT") == 0) a = -a;
    if (strcmp(m->bal_type, "OPBD") == 0 || strcmp(m->bal_type, "PRCD") == 0) {
        m->open = a;
        m->have_open = 1;
    } else if (strcmp(m->bal_type, "CLBD") == 0) {
        m->close = a;
        m->have_close = 1;
        m->close_line = line;
    }
    m->stmt_ccy = cur;
    return IFFNET_OK;
}

static int camt_end_statement(camt_t *m)
{
    iffnet_money_t expect;
    if (m->have_open && m->have_close && __builtin_add_overflow(m->open, m->sum, &expect))
        return camt_fail(m, m->close_line, "the opening balance and the entries add up to more than %s minor units%s",
                         "9223372036854775807", ", more than iffnet can sum exactly");
    if (m->have_open && m->have_close && expect != m->close) {
        int scale = m->stmt_ccy ? iffnet_currency_scale(m->stmt_ccy) : 2;
        char o[48], s[48], c[48], w[48];
        iffnet_amount_format(o, sizeof o, m->open, scale, 0);
        iffnet_amount_format(s, sizeof s, m->sum, scale, 0);
        iffnet_amount_format(c, sizeof c, m->close, scale, 0);
        iffnet_amount_format(w, sizeof w, expect, scale, 0);
        int err = iffnet_i_sink_bad(m->g, m->close_line, NULL,
                                    "account %s: the closing balance %s does not follow from the opening balance %s and the "
                                    "entries (%s; expected %s): the statement has a gap or a changed entry",
                                    m->S.account, c, o, s, w);
        if (err) return err;
    }
    m->in_stmt = 0;
    return IFFNET_OK;
}

static int camt_start(camt_t *m)
{
    const char *n = iffnet_i_xr_name(m->x), *p = iffnet_i_xr_parent(m->x, 1);
    if (iffnet_i_xr_depth(m->x) == 1 && strcmp(n, "Document") != 0)
        return camt_fail(m, iffnet_i_xr_line(m->x), "the root element is '%s', not 'Document': not a camt.053 statement%s", n, "");
    if (strcmp(n, "Stmt") == 0 || strcmp(n, "Rpt") == 0) {
        m->in_stmt = 1;
        m->iban[0] = '\0';
        m->have_open = m->have_close = 0;
        m->sum = 0;
        m->S.account = NULL;
    } else if (m->in_stmt && strcmp(n, "Ntry") == 0) {
        if (!m->S.account)
            return camt_fail(m, iffnet_i_xr_line(m->x), "an entry before the statement's account (Acct/Id)%s%s", "", "");
        m->in_entry = 1;
        m->entry_line = iffnet_i_xr_line(m->x);
        clear_entry(m);
    } else if (m->in_stmt && !m->in_entry && strcmp(n, "Bal") == 0) {
        m->in_bal = 1;
        m->bal_type[0] = m->bal_amt[0] = m->bal_ccy[0] = m->bal_cdi[0] = '\0';
    }
    if (strcmp(n, "Amt") == 0 && (strcmp(p, "Ntry") == 0 || (m->in_bal && strcmp(p, "Bal") == 0))) {
        char *ccy = iffnet_i_xr_attr(m->x, "Ccy");
        copy(m->in_entry ? m->ccy : m->bal_ccy, sizeof m->ccy, ccy);
        free(ccy);
    }
    return IFFNET_OK;
}

/* Whether the current element sits under `name` within the last `within` levels. */
static int under(const camt_t *m, const char *name, int within)
{
    for (int up = 1; up <= within; up++)
        if (strcmp(iffnet_i_xr_parent(m->x, up), name) == 0) return 1;
    return 0;
}

static int camt_end(camt_t *m)
{
    const char *n = iffnet_i_xr_name(m->x), *p = iffnet_i_xr_parent(m->x, 1);
    const char *v = iffnet_i_xr_text(m->x, NULL);
    if (!m->in_stmt) return IFFNET_OK;
    if (strcmp(n, "Stmt") == 0 || strcmp(n, "Rpt") == 0) return camt_end_statement(m);
    if (m->in_entry) {
        if (strcmp(n, "Ntry") == 0) {
            m->in_entry = 0;
            return camt_entry(m);
        }
        if (strcmp(n, "Amt") == 0 && strcmp(p, "Ntry") == 0) copy(m->amt, sizeof m->amt, v);
        else if (strcmp(n, "CdtDbtInd") == 0 && strcmp(p, "Ntry") == 0) copy(m->cdi, sizeof m->cdi, v);
        else if ((strcmp(n, "Dt") == 0 || strcmp(n, "DtTm") == 0) && strcmp(p, "BookgDt") == 0) copy(m->bookg, sizeof m->bookg, v);
        else if ((strcmp(n, "Dt") == 0 || strcmp(n, "DtTm") == 0) && strcmp(p, "ValDt") == 0) copy(m->val, sizeof m->val, v);
        else if (strcmp(n, "EndToEndId") == 0 && !*m->e2e) copy(m->e2e, sizeof m->e2e, v);
        else if (strcmp(n, "Ustrd") == 0 && !*m->ref) copy(m->ref, sizeof m->ref, v);
        else if (strcmp(n, "Nm") == 0 && under(m, "Dbtr", 2) && !*m->dbtr_nm) copy(m->dbtr_nm, sizeof m->dbtr_nm, v);
        else if (strcmp(n, "Nm") == 0 && under(m, "Cdtr", 2) && !*m->cdtr_nm) copy(m->cdtr_nm, sizeof m->cdtr_nm, v);
        else if ((strcmp(n, "IBAN") == 0 || (strcmp(n, "Id") == 0 && strcmp(p, "Othr") == 0)) && under(m, "DbtrAcct", 3) && !*m->dbtr_acct)
            copy(m->dbtr_acct, sizeof m->dbtr_acct, v);
        else if ((strcmp(n, "IBAN") == 0 || (strcmp(n, "Id") == 0 && strcmp(p, "Othr") == 0)) && under(m, "CdtrAcct", 3) && !*m->cdtr_acct)
            copy(m->cdtr_acct, sizeof m->cdtr_acct, v);
        else if (strcmp(n, "Cd") == 0 && strcmp(p, "Domn") == 0 && !*m->chan) copy(m->chan, sizeof m->chan, v);
        return IFFNET_OK;
    }
    if (m->in_bal) {
        if (strcmp(n, "Bal") == 0) {
            m->in_bal = 0;
            return camt_balance(m);
        }
        if (strcmp(n, "Cd") == 0 && under(m, "Tp", 2)) copy(m->bal_type, sizeof m->bal_type, v);
        else if (strcmp(n, "Amt") == 0) copy(m->bal_amt, sizeof m->bal_amt, v);
        else if (strcmp(n, "CdtDbtInd") == 0) copy(m->bal_cdi, sizeof m->bal_cdi, v);
        return IFFNET_OK;
    }
    /* The statement's own account: Stmt/Acct/Id/IBAN (or Othr/Id). */
    const char *p2 = iffnet_i_xr_parent(m->x, 2), *p3 = iffnet_i_xr_parent(m->x, 3), *p4 = iffnet_i_xr_parent(m->x, 4);
    int own = (strcmp(n, "IBAN") == 0 && strcmp(p, "Id") == 0 && strcmp(p2, "Acct") == 0 && (strcmp(p3, "Stmt") == 0 || strcmp(p3, "Rpt") == 0)) ||
              (strcmp(n, "Id") == 0 && strcmp(p, "Othr") == 0 && strcmp(p2, "Id") == 0 && strcmp(p3, "Acct") == 0 &&
               (strcmp(p4, "Stmt") == 0 || strcmp(p4, "Rpt") == 0));
    /* The account servicer's BIC: an attribute of the statement's account. */
    if (m->S.account && (strcmp(n, "BIC") == 0 || strcmp(n, "BICFI") == 0) && under(m, "Svcr", 3) && under(m, "Acct", 4))
        return iffnet_i_sink_account_attr(m->g, m->S.account, strlen(m->S.account), "swift", v, strlen(v));
    if (m->S.account && strcmp(n, "Nm") == 0 && strcmp(p, "Ownr") == 0 && strcmp(p2, "Acct") == 0) {
        iffnet_i_entity_t e = {m->S.account, strlen(m->S.account), "account", v, NULL, NULL, iffnet_i_xr_line(m->x), 0};
        int64_t k;
        int err = iffnet_i_sink_entity(m->g, &e, &k);
        return err > 0 ? err : IFFNET_OK;
    }
    if (!m->S.account && own) {
        int64_t rows = m->S.rows, acc = m->S.accepted;
        int err = begin_statement(&m->S, m->g, v);
        m->S.rows = rows;
        m->S.accepted = acc;
        return err;
    }
    return IFFNET_OK;
}

int iffnet_i_read_camt(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    const char *path = s->path;
    camt_t m;
    memset(&m, 0, sizeof m);
    m.g = g;
    m.S.g = g;
    int err = iffnet_i_source_open_xml(s, &m.x);
    if (err) return err;
    if ((err = iffnet_i_sink_begin_source(g, "camt", path, "entry"))) goto out;
    int seen = 0;
    for (;;) {
        int ev;
        if ((err = iffnet_i_xr_next(m.x, &ev))) goto out;
        if (ev == 0) break;
        seen = 1;
        if ((err = ev == 1 ? camt_start(&m) : camt_end(&m))) goto out;
    }
    if (!seen) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s: empty file (a camt.053 Document is needed)", path);
        goto out;
    }
    err = iffnet_i_sink_end_source(g, iffnet_i_xr_input(m.x), m.rows, m.accepted);
out:
    iffnet_i_xr_close(m.x);
    return err;
}
