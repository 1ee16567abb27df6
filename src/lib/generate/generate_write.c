/* generate_write.c: the writers of a generated case: a buffered CSV
 * formatter (printf per field is too slow for ten million rows), identifiers,
 * names and addresses, references, and the six output files. */
#include <math.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

static const char *const first_names[] = {
    "Anna", "Lukas", "Marie", "Jonas", "Sofia", "Luca", "Emma", "Noah", "Julia", "Mateo",
    "Lea", "Hugo", "Chiara", "Pablo", "Eva", "Milan", "Ines", "Tom", "Sara", "Daan",
    "Chinedu", "Amina", "Tendai", "Wanjiru", "Joao", "Grace", "Wei", "Mei", "Minh", "Linh",
    "Arjun", "Priya", "Ahmed", "Fatima", "Somchai", "Nur", "Olivier", "Claire", "Marco", "Elena"
};
static const char *const last_names[] = {
    "Muller", "Schmidt", "Dubois", "Martin", "de Vries", "Jansen", "Peeters", "Rossi", "Bianchi",
    "Garcia", "Fernandez", "Lopez", "Moreau", "Fischer", "Weber", "Romano", "Smith", "Brown",
    "Okafor", "Adeyemi", "Mwangi", "Otieno", "Moyo", "Banda", "Nkosi", "Mbeki", "Chen", "Wang",
    "Li", "Nguyen", "Tran", "Tan", "Lim", "Wong", "Sharma", "Patel", "Haddad", "Yilmaz",
    "Kowalski", "Novak"
};
static const char *const street_names[] = {
    "Station", "Market", "Harbour", "Church", "Garden", "Mill", "River", "Park", "King",
    "Queen", "Bridge", "Castle", "Airport", "Industrial", "Lake", "Forest"
};
static const char *const street_kinds[] = { "Street", "Road", "Avenue", "Lane", "Square", "Way" };
static const char *const company_words[] = {
    "Global", "Star", "Pacific", "Atlas", "Sun", "Green", "Delta", "Royal", "Prime", "Nova",
    "Blue", "Golden", "Eagle", "Lotus", "Baobab", "Savanna", "Jade", "Coral", "Summit", "Unity"
};
static const char *const sector_words[GEN_S_COUNT] = {
    "", "Stores", "Kitchen", "Wholesale", "Trading", "Logistics", "Freight", "Construction",
    "Industries", "Software", "Properties", "Clinic", "Staffing", "Administration", "Pets",
    "Kennels", "Zoo", "Herbal Medicine", "Jewellers", "Metals", "Customs Services", "Farms",
    "Holding", "Car Wash", "Consulting", "Wildlife Exports", "Crypto", "Energy", "Bank"
};
static const char *const suffixes[] = { "Ltd", "GmbH", "SA", "BV", "SRL", "Co", "LLC", "Pte Ltd" };

static int tx_cmp(const void *pa, const void *pb)
{
    const gen_tx_t *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->dst != b->dst)
        return a->dst < b->dst ? -1 : 1;
    if (a->amount != b->amount)
        return a->amount < b->amount ? -1 : 1;
    if (a->planted != b->planted)
        return a->planted < b->planted ? -1 : 1;
    if (a->ref_arg != b->ref_arg)
        return a->ref_arg < b->ref_arg ? -1 : 1;
    return (int)a->channel - (int)b->channel;
}

/* ---- fast CSV writer ------------------------------------------------------ */

typedef struct {
    iffnet_out_t out;
    int open;
    char *buf;
    size_t n, cap;
    int err;
} wbuf_t;

static int wb_open(wbuf_t *w, const char *dir, const char *name)
{
    memset(w, 0, sizeof *w);
    char *path = iffnet_i_asprintf("%s/%s", dir, name);
    if (!path)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    w->cap = 1 << 20;
    w->buf = malloc(w->cap);
    if (!w->buf) {
        free(path);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    int err = iffnet_out_open(&w->out, path);
    free(path);
    if (err) {
        free(w->buf);
        w->buf = NULL;
        return err;
    }
    w->open = 1;
    return IFFNET_OK;
}

static void wb_flush(wbuf_t *w)
{
    if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->out.fp) != w->n)
        w->err = 1;
    w->n = 0;
}

static inline void wb_room(wbuf_t *w, size_t k)
{
    if (w->n + k > w->cap)
        wb_flush(w);
}

static inline void wb_mem(wbuf_t *w, const char *s, size_t k)
{
    if (k > w->cap / 2) {
        wb_flush(w);
        if (!w->err && fwrite(s, 1, k, w->out.fp) != k)
            w->err = 1;
        return;
    }
    wb_room(w, k);
    memcpy(w->buf + w->n, s, k);
    w->n += k;
}

static inline void wb_str(wbuf_t *w, const char *s)
{
    wb_mem(w, s, strlen(s));
}

static inline void wb_ch(wbuf_t *w, char c)
{
    wb_room(w, 1);
    w->buf[w->n++] = c;
}

/* Unsigned decimal, zero-padded to `width` digits. */
static inline void wb_u(wbuf_t *w, uint64_t v, int width)
{
    char t[24];
    int k = 0;
    do {
        t[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k < width)
        t[k++] = '0';
    wb_room(w, (size_t)k);
    while (k)
        w->buf[w->n++] = t[--k];
}

static void wb_money(wbuf_t *w, int64_t v, int decimals)
{
    if (v < 0) {
        wb_ch(w, '-');
        v = -v;
    }
    int64_t p = pow10i(decimals);
    wb_u(w, (uint64_t)(v / p), 1);
    if (decimals > 0) {
        wb_ch(w, '.');
        wb_u(w, (uint64_t)(v % p), decimals);
    }
}

/* A CSV field, quoted when it holds a delimiter, quote or line break. */
static void wb_field(wbuf_t *w, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        wb_str(w, s);
        return;
    }
    wb_ch(w, '"');
    for (; *s; s++) {
        if (*s == '"')
            wb_ch(w, '"');
        wb_ch(w, *s);
    }
    wb_ch(w, '"');
}

static int wb_close(wbuf_t *w, int ok)
{
    int err = IFFNET_OK;
    if (!w->open)
        goto out;
    wb_flush(w);
    if (ok && !w->err) {
        err = iffnet_out_commit(&w->out);
    } else {
        if (ok)
            err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s'", w->out.path ? w->out.path : "?");
        iffnet_out_abort(&w->out);
    }
out:
    free(w->buf);
    memset(w, 0, sizeof *w);
    return err;
}

/* ---- identifiers ----------------------------------------------------------- */

static void wb_account_id(wbuf_t *w, const gen_t *g, int32_t a)
{
    if (a < 0) {
        wb_mem(w, "CASH", 4);
        return;
    }
    wb_mem(w, iffnet_i_gen_countries[iffnet_i_gen_account_country(g, a)].code, 2);
    wb_u(w, (uint64_t)a + 1, g->id_width);
}

static void wb_holder_id(wbuf_t *w, const gen_t *g, int64_t h)
{
    wb_ch(w, g->holders[h].kind == GEN_PERSON ? 'P' : 'C');
    wb_u(w, (uint64_t)h + 1, g->id_width);
}

static void wb_bank_id(wbuf_t *w, const gen_t *g, int64_t b)
{
    wb_mem(w, "BK", 2);
    wb_str(w, iffnet_i_gen_countries[g->banks[b].country].code);
    wb_u(w, g->banks[b].n, 1);
}

static void wb_holder_name(wbuf_t *w, const gen_t *g, int64_t h)
{
    const gen_holder_t *ho = &g->holders[h];
    if (ho->kind == GEN_PERSON) {
        wb_str(w, first_names[ho->r1 % NELEM(first_names)]);
        wb_ch(w, ' ');
        wb_str(w, last_names[(ho->r1 >> 8) % NELEM(last_names)]);
        return;
    }
    if (ho->sector == GEN_S_PUBLIC) {
        wb_str(w, iffnet_i_gen_countries[ho->country].city[ho->r1 & 1]);
        wb_str(w, ho->r1 % 3 ? " City Council" : " Customs Office");
        return;
    }
    if (ho->r1 % 3 == 0)
        wb_str(w, last_names[(ho->r1 >> 8) % NELEM(last_names)]);
    else
        wb_str(w, company_words[(ho->r1 >> 8) % NELEM(company_words)]);
    wb_ch(w, ' ');
    if (ho->sector != GEN_S_NONE)
        wb_str(w, sector_words[ho->sector]);
    wb_ch(w, ' ');
    wb_str(w, suffixes[(ho->r1 >> 16) % NELEM(suffixes)]);
    /* Numbered like registries do, so that names stay distinct. */
    if ((ho->r1 >> 20) % 4 == 0) {
        wb_mem(w, " ", 1);
        wb_u(w, (ho->r2 >> 8) % 90 + 10, 1);
    }
}

/* ---- references ------------------------------------------------------------ */

static const char *const p2p_refs[] = { "", "dinner", "thanks", "birthday gift", "holiday share",
                                        "rent share", "dinner, drinks", "loan back", "", "" };
static const char *const animal_refs[] = { "puppies litter", "animal feed", "live animal transport",
                                           "aquarium supplies", "herbal raw materials", "koi fish",
                                           "veterinary costs", "bird cages", "reptile terrarium" };
static const char *const month_names[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
                                           "SEP", "OCT", "NOV", "DEC" };

static void wb_reference(wbuf_t *w, const gen_t *g, const gen_tx_t *x)
{
    int64_t y;
    unsigned m, d;
    switch (x->ref_kind) {
    case R_SALARY:
        iffnet_civil_from_days(x->ref_arg, &y, &m, &d);
        wb_mem(w, "SALARY ", 7);
        wb_str(w, month_names[m - 1]);
        wb_ch(w, ' ');
        wb_u(w, (uint64_t)y, 4);
        break;
    case R_RENT:
        iffnet_civil_from_days(x->ref_arg, &y, &m, &d);
        wb_mem(w, "RENT ", 5);
        wb_str(w, month_names[m - 1]);
        break;
    case R_INVOICE:
        wb_mem(w, "INV-", 4);
        wb_u(w, x->ref_arg % 1000000u, 6);
        break;
    case R_BILL:
        wb_mem(w, "CUSTOMER ", 9);
        wb_u(w, x->ref_arg % 100000000u, 8);
        break;
    case R_TRADE:
        wb_mem(w, "INVOICE ", 8);
        wb_u(w, x->ref_arg % 100000u, 5);
        wb_mem(w, x->ref_arg % 3 ? " GOODS" : " SHIPMENT", x->ref_arg % 3 ? 6 : 9);
        break;
    case R_SWEEP:
        wb_str(w, "CASH POOL SWEEP");
        break;
    case R_FUNDING:
        wb_str(w, "CASH POOL FUNDING");
        break;
    case R_INTERCO:
        wb_str(w, "INTERCOMPANY SETTLEMENT");
        break;
    case R_REMIT:
        wb_str(w, x->ref_arg % 2 ? "family support" : "school fees");
        break;
    case R_P2P:
        wb_field(w, p2p_refs[x->ref_arg % NELEM(p2p_refs)]);
        break;
    case R_ANIMAL:
        wb_str(w, animal_refs[x->ref_arg % NELEM(animal_refs)]);
        break;
    case R_CRYPTO:
        wb_str(w, x->ref_arg % 2 ? "BTC purchase" : "USDT top-up");
        break;
    default:
        break;
    }
    (void)g;
}

/* ---- transactions.csv ------------------------------------------------------ */

/* Planted transactions in time order (ties by index): pairs, since C11's
 * qsort has no context argument. */
typedef struct {
    int64_t time, idx;
} ptx_key_t;

static int ptx_key_cmp(const void *pa, const void *pb)
{
    const ptx_key_t *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void write_tx(wbuf_t *w, const gen_t *g, const gen_tx_t *x, uint64_t no, int id_w,
                     const char *dayprefix)
{
    int64_t tod = x->time % 86400;
    wb_ch(w, 'T');
    wb_u(w, no, id_w);
    wb_ch(w, ',');
    wb_mem(w, dayprefix, 11);
    wb_u(w, (uint64_t)(tod / 3600), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(tod / 60 % 60), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(tod % 60), 2);
    wb_mem(w, "Z,", 2);
    wb_account_id(w, g, x->src);
    wb_ch(w, ',');
    wb_account_id(w, g, x->dst);
    wb_ch(w, ',');
    wb_money(w, x->amount, iffnet_i_gen_currencies[x->currency].decimals);
    wb_ch(w, ',');
    wb_mem(w, iffnet_i_gen_currencies[x->currency].code, 3);
    wb_ch(w, ',');
    wb_str(w, iffnet_i_gen_channel_names[x->channel]);
    wb_ch(w, ',');
    if (x->planted >= 0 && g->ptx_ref[x->planted])
        wb_field(w, g->ptx_ref[x->planted]);
    else
        wb_reference(w, g, x);
    wb_ch(w, '\n');
}

static int write_transactions(gen_t *g, bg_t *b, const char *dir)
{
    wbuf_t w;
    txbuf_t t = { 0 };
    ptx_key_t *order = NULL;
    int64_t day0 = g->o->start / 86400, days = g->o->days;
    int64_t total = g->o->n_transactions, no = 0, next = 0;
    int id_w = digits((uint64_t)total) < 6 ? 6 : digits((uint64_t)total);
    int err = wb_open(&w, dir, "transactions.csv");
    if (err)
        return err;
    order = malloc((size_t)(g->n_ptx ? g->n_ptx : 1) * sizeof *order);
    if (!order) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < g->n_ptx; i++)
        order[i] = (ptx_key_t){ g->ptx[i].time, i };
    iffnet_i_sort(order, (size_t)g->n_ptx, sizeof *order, ptx_key_cmp);
    wb_str(&w, "tx_id,timestamp,source,target,amount,currency,channel,reference\n");
    for (int64_t d = 0; d < days; d++) {
        int64_t day = day0 + d;
        t.n = 0;
        if ((err = iffnet_i_gen_day(g, b, day, &t)))
            goto out;
        while (next < g->n_ptx && order[next].time < (day + 1) * 86400) {
            gen_tx_t x = g->ptx[order[next].idx];
            x.planted = (int32_t)order[next++].idx;
            if ((err = iffnet_i_gen_txbuf_push(&t, &x)))
                goto out;
        }
        iffnet_i_sort(t.v, (size_t)t.n, sizeof *t.v, tx_cmp); /* (a day may have none) */
        int64_t y;
        unsigned m, dd;
        char prefix[16];
        iffnet_civil_from_days(day, &y, &m, &dd);
        snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT", (int)y, (int)m, (int)dd);
        for (int64_t i = 0; i < t.n; i++) {
            if (t.v[i].planted >= 0)
                g->ptx_id[t.v[i].planted] = no + 1;
            write_tx(&w, g, &t.v[i], (uint64_t)++no, id_w, prefix);
        }
        if (g->o->progress)
            g->o->progress(g->o->progress_arg, "transactions", no, total);
    }
    if (no != total || next != g->n_ptx)
        err = iffnet_i_seterr(IFFNET_EINTERNAL, "generated %lld transactions instead of %lld",
                              (long long)no, (long long)total);
out:
    free(order);
    free(t.v);
    int e2 = wb_close(&w, err == IFFNET_OK);
    return err ? err : e2;
}

/* ---- entities.csv and relations.csv --------------------------------------- */

static void wb_address(wbuf_t *w, const gen_t *g, const gen_holder_t *h)
{
    uint32_t k = h->addr_key ? h->addr_key * 2654435761u : h->r2;
    const gen_country_t *c = &iffnet_i_gen_countries[h->country];
    wb_ch(w, '"');
    wb_u(w, k % 180 + 1, 1);
    wb_ch(w, ' ');
    wb_str(w, street_names[(k >> 8) % NELEM(street_names)]);
    wb_ch(w, ' ');
    wb_str(w, street_kinds[(k >> 12) % NELEM(street_kinds)]);
    wb_mem(w, ", ", 2);
    wb_str(w, c->city[(k >> 16) & 1]);
    wb_ch(w, '"');
    (void)g;
}

static void wb_phone(wbuf_t *w, const gen_holder_t *h)
{
    uint32_t k = h->phone_key ? h->phone_key * 2246822519u : h->r1 ^ (h->r2 << 7);
    static const uint16_t dial[] = { 49, 33, 31, 32, 39, 34, 44, 1, 41, 234, 258, 243, 237, 256, 254,
                                     255, 27, 260, 263, 60, 65, 852, 66, 971, 856, 84, 86, 90, 91 };
    wb_ch(w, '+');
    wb_u(w, h->country < NELEM(dial) ? dial[h->country] : 1, 1);
    wb_ch(w, ' ');
    wb_u(w, k % 1000000000u, 9);
}

static int write_entities(gen_t *g, const char *dir)
{
    wbuf_t w;
    int err = wb_open(&w, dir, "entities.csv");
    if (err)
        return err;
    wb_str(&w, "id,kind,name,country,sector,address,phone,registration,pep,bank\n");
    wb_str(&w, "CASH,cash,Cash,,,,,,,\n");
    for (int64_t b = 0; b < g->n_banks; b++) {
        const gen_country_t *c = &iffnet_i_gen_countries[g->banks[b].country];
        wb_bank_id(&w, g, b);
        wb_mem(&w, ",bank,", 6);
        wb_str(&w, c->city[g->banks[b].n % 2]);
        wb_mem(&w, " ", 1);
        wb_str(&w, company_words[(g->banks[b].country * 7 + g->banks[b].n) % NELEM(company_words)]);
        wb_mem(&w, " Bank,", 6);
        wb_str(&w, c->code);
        wb_mem(&w, ",banking,,,,,\n", 14);
    }
    for (int64_t h = 0; h < g->n_holders; h++) {
        const gen_holder_t *ho = &g->holders[h];
        wb_holder_id(&w, g, h);
        wb_str(&w, ho->kind == GEN_PERSON ? ",person," : ",company,");
        wb_holder_name(&w, g, h);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_countries[ho->country].code);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_sector_names[ho->sector]);
        wb_ch(&w, ',');
        wb_address(&w, g, ho);
        wb_ch(&w, ',');
        wb_phone(&w, ho);
        wb_ch(&w, ',');
        if (ho->kind == GEN_COMPANY) {
            wb_str(&w, iffnet_i_gen_countries[ho->country].code);
            wb_ch(&w, '-');
            wb_u(&w, (uint64_t)ho->reg_year, 4);
            wb_ch(&w, '-');
            wb_u(&w, ho->r2 % 1000000u, 6);
        }
        wb_ch(&w, ',');
        if (ho->flags & GEN_HF_PEP)
            wb_mem(&w, "yes", 3);
        wb_mem(&w, ",\n", 2);
    }
    for (int64_t a = 0; a < g->n_accounts; a++) {
        const gen_holder_t *ho = holder_of(g, (int32_t)a);
        wb_account_id(&w, g, (int32_t)a);
        wb_mem(&w, ",account,", 9);
        wb_holder_name(&w, g, g->accounts[a].holder);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_countries[iffnet_i_gen_account_country(g, (int32_t)a)].code);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_sector_names[ho->sector]);
        wb_mem(&w, ",,,,,", 5);
        wb_bank_id(&w, g, g->accounts[a].bank);
        wb_ch(&w, '\n');
    }
    return wb_close(&w, 1);
}

static void wb_rel(wbuf_t *w, const gen_t *g, int64_t from, int64_t to, const char *rel)
{
    wb_holder_id(w, g, from);
    wb_ch(w, ',');
    wb_holder_id(w, g, to);
    wb_ch(w, ',');
    wb_str(w, rel);
    wb_ch(w, '\n');
}

static int write_relations(gen_t *g, const char *dir)
{
    wbuf_t w;
    int err = wb_open(&w, dir, "relations.csv");
    if (err)
        return err;
    wb_str(&w, "source,target,relation\n");
    for (int64_t h = 0; h < g->n_holders; h++) {
        const gen_holder_t *ho = &g->holders[h];
        for (int32_t j = 0; j < ho->n_accounts; j++) {
            wb_holder_id(&w, g, h);
            wb_ch(&w, ',');
            wb_account_id(&w, g, ho->first_account + j);
            wb_str(&w, ",holds_account\n");
        }
        if (ho->owner >= 0)
            wb_rel(&w, g, ho->owner, h, "owns");
        if (ho->director >= 0)
            wb_rel(&w, g, ho->director, h, "director_of");
        if (ho->employer >= 0)
            wb_rel(&w, g, ho->employer, h, "employs");
    }
    return wb_close(&w, 1);
}

/* ---- answer key and scenario ---------------------------------------------- */

static void wb_time(wbuf_t *w, int64_t t)
{
    int64_t y;
    unsigned m, d;
    iffnet_civil_from_days(t / 86400 - (t % 86400 < 0), &y, &m, &d);
    int64_t s = ((t % 86400) + 86400) % 86400;
    wb_u(w, (uint64_t)y, 4);
    wb_ch(w, '-');
    wb_u(w, (uint64_t)m, 2);
    wb_ch(w, '-');
    wb_u(w, (uint64_t)d, 2);
    wb_ch(w, 'T');
    wb_u(w, (uint64_t)(s / 3600), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(s / 60 % 60), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(s % 60), 2);
    wb_ch(w, 'Z');
}

/* Days with two decimals ("7.00", "0.25"). */
static void wb_days(wbuf_t *w, int64_t seconds)
{
    wb_money(w, (seconds * 100 + 43200) / 86400, 2);
}

/* One row of answer_key.csv or lookalikes.csv. */
static void write_structure_row(wbuf_t *w, gen_t *g, gen_structure_t *st, char prefix, int64_t no, int sid_w, int id_w)
{
    int64_t sum = 0, first = INT64_MAX, last = INT64_MIN;
    wb_ch(w, prefix);
    wb_u(w, (uint64_t)no, sid_w);
    wb_ch(w, ',');
    wb_str(w, iffnet_typology_name((iffnet_typology_t)st->typology));
    wb_ch(w, ',');
    for (int64_t i = 0; i < st->n_accounts; i++) {
        if (i)
            wb_ch(w, ';');
        wb_account_id(w, g, st->accounts[i]);
    }
    wb_ch(w, ',');
    /* Transaction ids in file order. */
    int64_t *ids = g->ptx_id + st->first_tx;
    iffnet_i_sort(ids, (size_t)st->n_tx, sizeof *ids, iffnet_i_cmp_i64);
    for (int64_t i = 0; i < st->n_tx; i++) {
        if (i)
            wb_ch(w, ';');
        wb_ch(w, 'T');
        wb_u(w, (uint64_t)ids[i], id_w);
    }
    for (int64_t i = 0; i < st->n_tx; i++) {
        const gen_tx_t *x = &g->ptx[st->first_tx + i];
        sum += iffnet_i_gen_case_value(g, x->amount, x->currency);
        first = x->time < first ? x->time : first;
        last = x->time > last ? x->time : last;
    }
    wb_ch(w, ',');
    wb_money(w, sum, iffnet_i_gen_currencies[g->case_cur].decimals);
    wb_ch(w, ',');
    wb_time(w, first);
    wb_ch(w, ',');
    wb_time(w, last);
    wb_ch(w, ',');
    wb_field(w, st->description);
    wb_ch(w, ',');
    wb_str(w, iffnet_i_gen_sched_names[st->schedule]);
    wb_ch(w, ',');
    wb_days(w, st->schedule == GEN_SCHED_PERIODIC ? st->gap : 0);
    wb_ch(w, ',');
    wb_str(w, st->amounts == GEN_AMT_RULE ? "rule" : iffnet_gen_amounts_name((iffnet_gen_amounts_t)st->amounts));
    if (st->kind) {
        wb_ch(w, ',');
        wb_str(w, st->kind);
    }
    wb_ch(w, '\n');
}

/* answer_key.csv (the planted structures, S001 ...) or lookalikes.csv (the
 * benign groups, L001 ..., with their kind). */
static int write_key(gen_t *g, const char *dir, int benign)
{
    wbuf_t w;
    int64_t from = benign ? g->n_planted : 0, to = benign ? g->n_st : g->n_planted;
    int id_w = digits((uint64_t)g->o->n_transactions) < 6 ? 6 : digits((uint64_t)g->o->n_transactions);
    int sid_w = digits((uint64_t)(to - from)) < 3 ? 3 : digits((uint64_t)(to - from));
    int err = wb_open(&w, dir, benign ? "lookalikes.csv" : "answer_key.csv");
    if (err)
        return err;
    wb_str(&w, "structure_id,typology,accounts,transactions,amount,first,last,description,schedule,gap_days,amounts");
    wb_str(&w, benign ? ",kind\n" : "\n");
    for (int64_t s = from; s < to; s++)
        write_structure_row(&w, g, &g->st[s], benign ? 'L' : 'S', s - from + 1, sid_w, id_w);
    return wb_close(&w, 1);
}

static int write_rates(gen_t *g, const char *dir)
{
    wbuf_t w;
    int err = wb_open(&w, dir, "rates.csv");
    if (err)
        return err;
    wb_str(&w, "currency,rate\n");
    for (int k = 0; k < iffnet_i_gen_n_currencies; k++) {
        wb_str(&w, iffnet_i_gen_currencies[k].code);
        wb_ch(&w, ',');
        wb_money(&w, iffnet_i_gen_rate_nano(g, k), 9);
        wb_ch(&w, '\n');
    }
    return wb_close(&w, 1);
}

static int write_scenario(gen_t *g, const char *dir)
{
    wbuf_t w;
    char line[512];
    int err = wb_open(&w, dir, "scenario.md");
    if (err)
        return err;
    const iffnet_generate_opts_t *o = g->o;
    int64_t y;
    unsigned m, d;
    char home[64] = "", thr[32];
    for (int h = 0; h < g->n_home; h++) {
        strcat(home, h ? (h + 1 == g->n_home ? " and " : ", ") : "");
        strcat(home, iffnet_i_gen_countries[g->home[h]].code);
    }
    iffnet_amount_format(thr, sizeof thr, (iffnet_money_t)iffnet_i_gen_threshold(g), 0, ',');
    iffnet_civil_from_days(o->start / 86400, &y, &m, &d);
    wb_str(&w, "# Case file: Operation Pangolin (synthetic)\n\n");
    snprintf(line, sizeof line,
             "This case was generated by `iffnet generate` (scenario `%s`, seed %lu). It is fiction: every "
             "person, company, bank and account is invented.\n\n", o->scenario, o->seed);
    wb_str(&w, line);
    snprintf(line, sizeof line,
             "## What the unit received\n\nA bank consortium sent %lld transactions over %lld days from "
             "%04d-%02d-%02d, between %lld accounts held by people and companies at home (%s) and in the "
             "countries of the illegal wildlife trade. Amounts are in their own currencies; the case currency "
             "is %s.\n\n", (long long)o->n_transactions, (long long)o->days, (int)y, (int)m, (int)d,
             (long long)o->n_accounts, home, iffnet_i_gen_currencies[g->case_cur].code);
    wb_str(&w, line);
    wb_str(&w,
        "## Background\n\n"
        "Customs at a port seized a shipment declared as \"fish maw and herbal raw materials\" that "
        "held pangolin scales and worked ivory. The consignee is unknown; the freight was booked through a "
        "forwarder and paid from several accounts. Intelligence from partner units suggests that the "
        "network buys from suppliers in source countries in Africa (e.g. NG, MZ, CD, CM, UG, KE, TZ, ZA, ZM, "
        "ZW), moves money and goods through transit hubs (MY, SG, HK, TH, AE, LA) and sells to buyers in "
        "destination markets (CN, VN, HK), and that it uses banks at home to pay suppliers, "
        "to move its proceeds and to pay officials who look the other way.\n\n"
        "## Most of the data is legitimate\n\n"
        "People are paid salaries by their employers (payroll runs on fixed days near month end), pay rent "
        "at the start of the month, shop by card, withdraw cash and send money to family abroad. Shops and "
        "restaurants bank their cash takings, sometimes large. Companies pay suppliers, importers pay "
        "foreign suppliers in round amounts, corporate groups sweep cash to their holding company and fund "
        "their subsidiaries back (which forms legitimate cycles). Pet shops, breeders, zoos and traditional "
        "medicine shops trade animals and herbal products legally. Some public officials are politically "
        "exposed persons (PEPs) and receive their salaries like everyone else. Naive rules will therefore "
        "raise false alarms.\n\n"
        "## What to look for\n\n"
        "The network is believed to use several of these schemes (not necessarily all, some more than once):\n\n");
    for (int t = 0; t < IFFNET_TYP_COUNT; t++)
        if (o->typologies & (1u << t)) {
            snprintf(line, sizeof line, "- `%s`: %s\n", iffnet_typology_name((iffnet_typology_t)t),
                     iffnet_typology_description((iffnet_typology_t)t));
            wb_str(&w, line);
        }
    snprintf(line, sizeof line, "\nCash deposits of %s %s or more must be reported by the bank, so cash kept "
             "just below that line deserves attention. ", thr, iffnet_i_gen_currencies[g->case_cur].code);
    wb_str(&w, line);
    wb_str(&w,
        "Companies that share a director, an address or a phone "
        "may be one business in disguise (see entities.csv and relations.csv).\n\n"
        "## Files\n\n"
        "- `transactions.csv`: one row per payment (`tx_id,timestamp,source,target,amount,currency,channel,"
        "reference`); `CASH` is the pseudo-account for cash deposits and withdrawals.\n"
        "- `entities.csv`: people, companies, accounts, banks, with country, sector, address, phone, "
        "registration, PEP flag and bank.\n"
        "- `relations.csv`: who holds which account, who owns, directs or employs whom.\n"
        "- `rates.csv`: the exchange rates to the case currency used by the generator (`iffnet ingest --rates`).\n"
        "- `answer_key.csv`: the planted schemes. Trainers only: do not open it before the exercises.\n"
        "- `lookalikes.csv`: legitimate groups that look like schemes (payroll runs, shops' customers, cash "
        "pools ...), the false alarms to expect. Trainers only.\n\n");
    /* The options, not argv: the output directory must not change the bytes. */
    snprintf(line, sizeof line, "## Reproduce\n\n```\niffnet generate --scenario %s --accounts %lld "
             "--transactions %lld --days %lld --seed %lu --currency %s --start %04d-%02d-%02d",
             o->scenario, (long long)o->n_accounts, (long long)o->n_transactions, (long long)o->days,
             o->seed, iffnet_i_gen_currencies[g->case_cur].code, (int)y, (int)m, (int)d);
    wb_str(&w, line);
    if (o->n_structures) {
        snprintf(line, sizeof line, " --structures %lld", (long long)o->n_structures);
        wb_str(&w, line);
    }
    if (strcmp(o->profile, "default") != 0) {
        wb_str(&w, " --profile ");
        wb_str(&w, o->profile);
    }
    if (o->n_lookalikes >= 0) {
        snprintf(line, sizeof line, " --lookalikes %lld", (long long)o->n_lookalikes);
        wb_str(&w, line);
    }
    if (o->max_members > 0) {
        snprintf(line, sizeof line, " --max-members %lld", (long long)o->max_members);
        wb_str(&w, line);
    }
    if (o->max_span_days > 0) {
        snprintf(line, sizeof line, " --max-span %lld", (long long)o->max_span_days);
        wb_str(&w, line);
    }
    if (o->amounts != IFFNET_GEN_AMOUNTS_MIXED) {
        wb_str(&w, " --amounts ");
        wb_str(&w, iffnet_gen_amounts_name(o->amounts));
    }
    if (o->typologies != iffnet_generate_plantable()) {
        const char *sep = " --typologies ";
        for (int t = 0; t < IFFNET_TYP_COUNT; t++)
            if (o->typologies & (1u << t)) {
                wb_str(&w, sep);
                wb_str(&w, iffnet_typology_name((iffnet_typology_t)t));
                sep = ",";
            }
    }
    wb_str(&w, " -o DIR\n```\n");
    return wb_close(&w, 1);
}

int iffnet_i_gen_write(gen_t *g, bg_t *b, const char *dir)
{
    IFFNET_TRY(write_transactions(g, b, dir));
    IFFNET_TRY(write_entities(g, dir));
    IFFNET_TRY(write_relations(g, dir));
    IFFNET_TRY(write_rates(g, dir));
    IFFNET_TRY(write_key(g, dir, 0));
    IFFNET_TRY(write_key(g, dir, 1));
    return write_scenario(g, dir);
}
