/* report_text.c: output helpers (HTML or Markdown), names and pseudonyms,
 * methodology and provenance sections of the report. */
#include <ctype.h>
#include <math.h>
#include "report_internal.h"

/* Markdown: backslash-escape what would start markup; newlines become spaces. */
static void md_esc(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        if (strchr("\\`*_[]<>|#", *s)) fputc('\\', fp);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, fp);
    }
}

void iffnet_i_rep_esc(iffnet_i_rep_t *r, const char *s)
{
    if (r->md) md_esc(r->fp, s);
    else iffnet_i_xml_text(r->fp, s, -1);
}

void iffnet_i_rep_raw(iffnet_i_rep_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->fp, fmt, ap);
    va_end(ap);
}

void iffnet_i_rep_heading(iffnet_i_rep_t *r, int level, const char *anchor, const char *text)
{
    if (r->md) {
        fprintf(r->fp, "%.*s ", level, "######");
        md_esc(r->fp, text);
        fputs("\n\n", r->fp);
        return;
    }
    fprintf(r->fp, "<h%d", level);
    if (anchor) {
        fputs(" id=\"", r->fp);
        iffnet_i_xml_text(r->fp, anchor, -1);
        fputc('"', r->fp);
    }
    fputc('>', r->fp);
    iffnet_i_xml_text(r->fp, text, -1);
    /* Every section leads back to the contents (not printed). */
    if (level == 2) fputs(" <a class=\"top noprint\" href=\"#top\">&#8593; top</a>", r->fp);
    fprintf(r->fp, "</h%d>\n", level);
}

void iffnet_i_rep_para(iffnet_i_rep_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    if (!r->md) fputs("<p>", r->fp);
    iffnet_i_rep_esc(r, s ? s : "");
    fputs(r->md ? "\n\n" : "</p>\n", r->fp);
    free(s);
}

void iffnet_i_rep_note(iffnet_i_rep_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    fputs(r->md ? "> **Note:** " : "<p class=\"note\"><b>Note:</b> ", r->fp);
    iffnet_i_rep_esc(r, s ? s : "");
    fputs(r->md ? "\n\n" : "</p>\n", r->fp);
    free(s);
}

void iffnet_i_rep_table(iffnet_i_rep_t *r, int ncols, const char *const *head)
{
    r->tables = ncols;
    if (r->md) {
        fputc('|', r->fp);
        for (int i = 0; i < ncols; i++) {
            fputc(' ', r->fp);
            md_esc(r->fp, head[i]);
            fputs(" |", r->fp);
        }
        fputs("\n|", r->fp);
        for (int i = 0; i < ncols; i++) fputs("---|", r->fp);
        fputc('\n', r->fp);
        return;
    }
    /* Sortable by a click on a header (the inline script of report.c). */
    fputs("<table class=\"sortable\"><thead><tr>", r->fp);
    for (int i = 0; i < ncols; i++) {
        fputs("<th>", r->fp);
        iffnet_i_xml_text(r->fp, head[i], -1);
        fputs("</th>", r->fp);
    }
    fputs("</tr></thead><tbody>\n", r->fp);
}

static void row_open(iffnet_i_rep_t *r)
{
    if (r->row_open) return;
    fputs(r->md ? "|" : "<tr>", r->fp);
    r->row_open = 1;
}

void iffnet_i_rep_cell(iffnet_i_rep_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    row_open(r);
    fputs(r->md ? " " : "<td>", r->fp);
    iffnet_i_rep_esc(r, s ? s : "");
    fputs(r->md ? " |" : "</td>", r->fp);
    free(s);
}

void iffnet_i_rep_cell_hash(iffnet_i_rep_t *r, const char *s)
{
    if (r->md) {
        iffnet_i_rep_cell(r, "%s", s);
        return;
    }
    /* digests and paths have no spaces: they may break anywhere rather than widen the table */
    row_open(r);
    fputs("<td class=\"hash\">", r->fp);
    iffnet_i_xml_text(r->fp, s, -1);
    fputs("</td>", r->fp);
}

void iffnet_i_rep_cell_link(iffnet_i_rep_t *r, const char *anchor, const char *text)
{
    if (r->md) {
        iffnet_i_rep_cell(r, "%s", text);
        return;
    }
    row_open(r);
    fputs("<td><a href=\"#", r->fp);
    iffnet_i_xml_text(r->fp, anchor, -1);
    fputs("\">", r->fp);
    iffnet_i_xml_text(r->fp, text, -1);
    fputs("</a></td>", r->fp);
}

void iffnet_i_rep_row_end(iffnet_i_rep_t *r)
{
    fputs(r->md ? "\n" : "</tr>\n", r->fp);
    r->row_open = 0;
}

void iffnet_i_rep_table_end(iffnet_i_rep_t *r)
{
    if (r->row_open) iffnet_i_rep_row_end(r);
    fputs(r->md ? "\n" : "</tbody></table>\n", r->fp);
    r->tables = 0;
}

void iffnet_i_rep_list_item(iffnet_i_rep_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    fputs(r->md ? "- " : "<li>", r->fp);
    iffnet_i_rep_esc(r, s ? s : "");
    fputs(r->md ? "\n" : "</li>\n", r->fp);
    free(s);
}

void iffnet_i_rep_list_end(iffnet_i_rep_t *r)
{
    fputs(r->md ? "\n" : "", r->fp);
}

const char *iffnet_i_rep_acc_id(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n)
{
    if (r->o->pseudonymize) snprintf(buf, n, "ACC-%06lld", (long long)(a + 1));
    else snprintf(buf, n, "%s", iffnet_case_account_id(r->c, a));
    return buf;
}

const char *iffnet_i_rep_entity_label(const iffnet_i_rep_t *r, int64_t e, char *buf, size_t n)
{
    if (r->o->pseudonymize) snprintf(buf, n, "Entity %05lld", (long long)(e + 1));
    else {
        const char *name = iffnet_case_text(r->c, r->c->entity_name[e]);
        snprintf(buf, n, "%s", name[0] ? name : iffnet_strtab_get(&r->c->entity_ids, e));
    }
    return buf;
}

const char *iffnet_i_rep_acc_name(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n)
{
    int64_t p = iffnet_case_account_profile(r->c, a);
    if (p >= 0 && r->c->entity_name[p] >= 0 && iffnet_case_text(r->c, r->c->entity_name[p])[0]) {
        if (r->o->pseudonymize) return iffnet_i_rep_entity_label(r, p, buf, n);
        snprintf(buf, n, "%s", iffnet_case_account_name(r->c, a));
        return buf;
    }
    if (n) buf[0] = '\0';
    return buf;
}

const char *iffnet_i_rep_acc_label(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n)
{
    char name[160], id[96];
    iffnet_i_rep_acc_name(r, a, name, sizeof name);
    iffnet_i_rep_acc_id(r, a, id, sizeof id);
    if (name[0] && strcmp(name, id)) snprintf(buf, n, "%s (%s)", name, id);
    else snprintf(buf, n, "%s", id);
    return buf;
}

const char *iffnet_i_rep_acc_anchor(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n)
{
    char id[96];
    size_t o = 0;
    iffnet_i_rep_acc_id(r, a, id, sizeof id);
    o = (size_t)snprintf(buf, n, "acc-");
    for (const unsigned char *p = (const unsigned char *)id; *p && o + 4 < n; p++) {
        if (isalnum(*p) || *p == '_' || *p == '.' || *p == '-') buf[o++] = (char)*p;
        else o += (size_t)snprintf(buf + o, n - o, "_%02X", *p);
    }
    buf[o < n ? o : n - 1] = '\0';
    return buf;
}

/* A cell (or inline text) with `text`, linked to account a's index row when it has one. */
static void acc_link(iffnet_i_rep_t *r, int64_t a, const char *text, int cell)
{
    char anchor[128];
    if (r->md || !r->acc_indexed || !r->acc_indexed[a]) {
        if (cell) iffnet_i_rep_cell(r, "%s", text);
        else iffnet_i_rep_esc(r, text);
        return;
    }
    if (cell) {
        row_open(r);
        fputs("<td>", r->fp);
    }
    fprintf(r->fp, "<a href=\"#%s\">", iffnet_i_rep_acc_anchor(r, a, anchor, sizeof anchor));
    iffnet_i_xml_text(r->fp, text, -1);
    fputs(cell ? "</a></td>" : "</a>", r->fp);
}

void iffnet_i_rep_cell_acc(iffnet_i_rep_t *r, int64_t a)
{
    char b[192];
    acc_link(r, a, iffnet_i_rep_acc_label(r, a, b, sizeof b), 1);
}

void iffnet_i_rep_cell_acc_id(iffnet_i_rep_t *r, int64_t a)
{
    char b[96];
    acc_link(r, a, iffnet_i_rep_acc_id(r, a, b, sizeof b), 1);
}

void iffnet_i_rep_cell_acc_name(iffnet_i_rep_t *r, int64_t a)
{
    char b[160];
    iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_name(r, a, b, sizeof b));
}

void iffnet_i_rep_acc_text(iffnet_i_rep_t *r, int64_t a)
{
    char b[192];
    acc_link(r, a, iffnet_i_rep_acc_label(r, a, b, sizeof b), 0);
}

const char *iffnet_i_rep_tx_id(const iffnet_i_rep_t *r, int64_t t, char *buf, size_t n)
{
    if (r->o->pseudonymize) snprintf(buf, n, "T%08lld", (long long)(t + 1));
    else snprintf(buf, n, "%s", iffnet_case_tx_id(r->c, t));
    return buf;
}

/* Whether s[i..i+len) stands alone: not inside a longer word or number. */
static int whole_word(const char *s, size_t i, size_t len)
{
    if (i > 0) {
        unsigned char p = (unsigned char)s[i - 1];
        if (isalnum(p) || p == '_' || p == '-') return 0;
        if ((p == '.' || p == ',') && i > 1 && isdigit((unsigned char)s[i - 2])) return 0;
    }
    unsigned char q = (unsigned char)s[i + len];
    if (isalnum(q) || q == '_') return 0;
    if ((q == '.' || q == ',') && isdigit((unsigned char)s[i + len + 1])) return 0;
    return 1;
}

/* Replaces whole-word occurrences of `from` in *s by `to`. */
static int replace_all(char **s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    if (fl == 0) return IFFNET_OK;
    for (size_t i = 0; (*s)[i];) {
        char *hit = strstr(*s + i, from);
        if (!hit) break;
        size_t at = (size_t)(hit - *s);
        if (!whole_word(*s, at, fl)) {
            i = at + 1;
            continue;
        }
        size_t old = strlen(*s);
        char *n = malloc(old - fl + tl + 1);
        if (!n) return IFFNET_ENOMEM;
        memcpy(n, *s, at);
        memcpy(n + at, to, tl);
        memcpy(n + at + tl, *s + at + fl, old - at - fl + 1);
        free(*s);
        *s = n;
        i = at + tl;
    }
    return IFFNET_OK;
}

/* Replaces entity e's name and id by its pseudonym and its identifying attribute
 * values (address, phone, registration...) by a placeholder. */
static int pseudo_entity(const iffnet_i_rep_t *r, int64_t e, char **out)
{
    const iffnet_case_t *c = r->c;
    char buf[128];
    const char *name = iffnet_case_text(c, c->entity_name[e]);
    iffnet_i_rep_entity_label(r, e, buf, sizeof buf);
    if (strlen(name) >= 2 && replace_all(out, name, buf)) return IFFNET_ENOMEM;
    for (int64_t k = 0; k < c->n_attrs; k++) {
        const char *v = iffnet_case_text(c, c->entity_attr[e * c->n_attrs + k]);
        /* Short values (yes/no flags, codes) are not identifying and would match words. */
        if (strlen(v) >= 5 && replace_all(out, v, "(identifier)")) return IFFNET_ENOMEM;
    }
    return replace_all(out, iffnet_strtab_get(&c->entity_ids, e), buf);
}

/* Entities behind account a, and the entities related to them (directors, owners). */
static int pseudo_account_entities(const iffnet_i_rep_t *r, int64_t a, char **out)
{
    const iffnet_case_t *c = r->c;
    int64_t ents[2] = {c->account_entity ? c->account_entity[a] : -1, c->account_holder ? c->account_holder[a] : -1};
    for (int j = 0; j < 2; j++) {
        int64_t e = ents[j];
        if (e < 0) continue;
        if (pseudo_entity(r, e, out)) return IFFNET_ENOMEM;
        for (int64_t k = 0; k < c->n_relations; k++) {
            int64_t other = c->rel_src_entity[k] == e ? c->rel_dst_entity[k] :
                            c->rel_dst_entity[k] == e ? c->rel_src_entity[k] : -1;
            if (other >= 0 && other != e && pseudo_entity(r, other, out)) return IFFNET_ENOMEM;
        }
    }
    return IFFNET_OK;
}

char *iffnet_i_rep_pseudo_text(const iffnet_i_rep_t *r, const iffnet_alert_t *al, const char *s)
{
    char *out = iffnet_i_strdup(s ? s : "");
    char buf[128];
    if (!out || !r->o->pseudonymize) return out;
    /* Names and identifiers first: a name may contain an id, never the other way round.
     * Time: O(accounts x (relations + attributes) x length) per reason. */
    for (int64_t i = 0; i < al->n_accounts && out; i++) {
        int64_t a = al->accounts[i];
        const char *name = iffnet_case_account_name(r->c, a);
        if ((strlen(name) >= 2 && replace_all(&out, name, iffnet_i_rep_acc_label(r, a, buf, sizeof buf))) ||
            pseudo_account_entities(r, a, &out)) {
            free(out);
            return NULL;
        }
    }
    for (int64_t i = 0; i < al->n_accounts && out; i++) {
        int64_t a = al->accounts[i];
        if (replace_all(&out, iffnet_case_account_id(r->c, a), iffnet_i_rep_acc_id(r, a, buf, sizeof buf))) {
            free(out);
            return NULL;
        }
    }
    return out;
}

const char *iffnet_i_rep_int(int64_t v, char *buf, size_t n)
{
    iffnet_amount_format(buf, n, v, 0, ',');
    return buf;
}

const char *iffnet_i_rep_money(const iffnet_i_rep_t *r, iffnet_money_t v, char *buf, size_t n)
{
    iffnet_case_format_money(r->c, buf, n, v, r->vcur, 1);
    return buf;
}

double iffnet_i_rep_major(const iffnet_i_rep_t *r, iffnet_money_t v, int32_t k)
{
    int scale = k >= 0 && r->c->currency_scale ? r->c->currency_scale[k] : 2;
    return (double)v / pow(10, scale);
}

const char *iffnet_i_rep_date(iffnet_time_t t, char *buf, size_t n)
{
    iffnet_time_format(buf, n, t, 1);
    return buf;
}

/* What a tracing rule does, for non-specialists (names as iffnet trace uses them). */
static const struct { const char *rule, *text; } trace_rules[] = {
    {"fifo", "First in, first out (Clayton's Case): money leaving an account is taken from the "
             "oldest money that came in. Courts use it for running accounts."},
    {"lifo", "Last in, first out: money leaving an account is taken from the most recent money "
             "that came in."},
    {"pro-rata", "Proportional (haircut): every payment out carries the same share of tainted money "
                 "as the account's balance at that moment."},
    {"libr", "Lowest intermediate balance: clean money is presumed spent first; taint in an "
             "account can never exceed the lowest balance it held since the taint came in."},
    {"tiho", "Taint in, highest out: tainted money is presumed to leave first (the view most "
             "favourable to recovery)."},
    {"poison", "Poison: once an account receives tainted money, everything it sends counts as "
               "tainted. It does not conserve money and overstates; it shows the widest reach."},
    {"LP bounds", "Linear programming: the least and the most tainted money an account can have "
                  "received under any allocation consistent with balances and timing."},
};

const char *iffnet_i_rep_rule_text(const char *rule)
{
    for (size_t i = 0; i < sizeof trace_rules / sizeof trace_rules[0]; i++)
        if (strcmp(trace_rules[i].rule, rule) == 0) return trace_rules[i].text;
    return NULL;
}

static void method_tracing(iffnet_i_rep_t *r)
{
    iffnet_i_rep_heading(r, 3, NULL, "Tracing rules");
    iffnet_i_rep_para(r, "Money is fungible: once tainted and clean funds mix in an account, no rule can tell "
                "which euro went where. Tracing therefore follows conventions that courts and "
                "forensic accountants accept; different rules give different answers, and the "
                "report shows each so that the reader can see how much depends on the choice. "
                "Opening balances are unknown: money an account sends beyond what it received in "
                "the case is counted as unexplained funds, never as taint. Shares are given with their "
                "base: a forward trace's shares are of the money traced from the sources, a backward "
                "trace's of what reached the traced accounts; under every rule but poison they add up to "
                "100%% at most.");
    if (!r->md) fputs("<ul>\n", r->fp);
    for (size_t i = 0; i < sizeof trace_rules / sizeof trace_rules[0]; i++)
        iffnet_i_rep_list_item(r, "%s: %s", trace_rules[i].rule, trace_rules[i].text);
    if (!r->md) fputs("</ul>\n", r->fp);
    iffnet_i_rep_list_end(r);
}

/* How each typology's "money moved" is measured (iffnet-detect(1), MOVED MONEY). */
static void method_moved(iffnet_i_rep_t *r)
{
    iffnet_i_rep_heading(r, 3, NULL, "Money moved");
    iffnet_i_rep_para(r, "An alert's payments add money passing through it once per hop: 10,000 EUR sent along a "
                      "chain of four accounts makes 40,000 EUR of payments. The report therefore gives, for each "
                      "alert, the money that moved through the structure, each unit counted once, and names the "
                      "sum of its payments as such. How the money moved is measured depends on the typology:");
    if (!r->md) fputs("<ul>\n", r->fp);
    for (int t = 0; t < IFFNET_TYP_COUNT; t++) {
        iffnet_moved_rule_t m = iffnet_typology_moved_rule((iffnet_typology_t)t);
        iffnet_i_rep_list_item(r, "%s: %s.", iffnet_typology_name((iffnet_typology_t)t), iffnet_moved_rule_description(m));
    }
    if (!r->md) fputs("</ul>\n", r->fp);
    iffnet_i_rep_list_end(r);
    iffnet_i_rep_para(r, "When a structure has nothing of the kind to measure (no account both receives and pays, no "
                      "cash deposit), the next rule applies: what entered the structure, else the smallest sum paid "
                      "along one hop. A detector that knows the roles of the accounts may set the figure itself.");
}

/* Every search this run cut short or left out, as the analyses reported them. */
static void method_run_limits(iffnet_i_rep_t *r)
{
    iffnet_i_rep_heading(r, 3, NULL, "Work cut short or left out in this run");
    if (r->in->n_notes == 0) {
        iffnet_i_rep_para(r, "No search hit its step or memory budget, and no analysis was left out.");
        return;
    }
    iffnet_i_rep_para(r, "Searches that can grow faster than the data have budgets; when one is hit the search stops "
                      "and says so, and the alerts it would have found may be missing. This run reported:");
    if (!r->md) fputs("<ul>\n", r->fp);
    for (int64_t i = 0; i < r->in->n_notes; i++) iffnet_i_rep_list_item(r, "%s", r->in->notes[i]);
    if (!r->md) fputs("</ul>\n", r->fp);
    iffnet_i_rep_list_end(r);
}

void iffnet_i_rep_methodology(iffnet_i_rep_t *r)
{
    iffnet_i_rep_heading(r, 2, "methodology", "Methodology");
    iffnet_i_rep_para(r, "iffnet reads the bank transactions of the case as a network: each account is a "
                "point and each payment an arrow from payer to payee. It looks for patterns "
                "(typologies) that financial intelligence units and the Financial Action Task "
                "Force (FATF) associate with money laundering and with the proceeds of wildlife "
                "trafficking. An alert is a pattern found in the data, with the numbers that made "
                "it fire; it is a lead for an analyst, not proof of a crime. Innocent activity "
                "(payroll, marketplaces, family remittances) can produce the same shapes.");
    iffnet_i_rep_heading(r, 3, NULL, "Typologies");
    if (!r->md) fputs("<ul>\n", r->fp);
    for (int t = 0; t < IFFNET_TYP_COUNT; t++)
        iffnet_i_rep_list_item(r, "%s: %s.", iffnet_typology_name((iffnet_typology_t)t),
                      iffnet_typology_description((iffnet_typology_t)t));
    if (!r->md) fputs("</ul>\n", r->fp);
    iffnet_i_rep_list_end(r);
    method_moved(r);
    iffnet_i_rep_para(r, "Sources: FATF, Money Laundering and the Illegal Wildlife Trade (2020); FATF "
                "professional money laundering and trade-based money laundering reports; the "
                "AMLSim typology set (IBM). Scores are between 0 and 1 and rank alerts within "
                "this case only; they are not probabilities.");
    iffnet_i_rep_heading(r, 3, NULL, "Network analysis");
    iffnet_i_rep_para(r, "Communities are groups of accounts that pay each other more than they pay the "
                "rest of the network (modularity-based detection). Central accounts are those "
                "through which much of the money could flow (PageRank on payment amounts). "
                "Shared-identifier groups are entities that share an address, a phone number, a "
                "director or an owner, which may reveal a single controller behind several "
                "companies. Benford's law describes the first digits of many natural amounts "
                "(a 1 about 30%% of the time, a 9 under 5%%); invented or structured amounts "
                "often depart from it, but so do prices and fees, so a departure is a hint only.");
    method_tracing(r);
    method_run_limits(r);
    iffnet_i_rep_heading(r, 3, NULL, "Limits");
    iffnet_i_rep_para(r, "The analysis sees only the transactions and entities in the case: accounts at "
                "other banks, cash and trade documents are outside it. Names are matched as "
                "written in the input. Thresholds are configurable and documented in iffnet-detect(1); "
                "the pictures show at most %lld accounts each, chosen by amount.",
             (long long)r->o->max_picture_nodes);
}

void iffnet_i_rep_provenance(iffnet_i_rep_t *r)
{
    const iffnet_report_input_t *in = r->in;
    const iffnet_provenance_t *p = &r->c->prov;
    char d[32];
    static const char *const fh[] = {"Role", "File", "SHA-256", "Bytes"};
    static const char *const ch[] = {"Role", "File", "SHA-256", "Rows read", "Accepted", "Rejected"};

    iffnet_i_rep_heading(r, 2, "provenance", "Provenance");
    iffnet_i_rep_para(r, "This report was made from the files below. Anyone holding the same files can "
                "check them against these SHA-256 digests and run the same command to obtain the "
                "same report (layouts are seeded).");
    iffnet_i_rep_table(r, 4, fh);
    for (int64_t i = 0; i < in->n_files; i++) {
        iffnet_i_rep_cell(r, "%s", in->files[i].role);
        iffnet_i_rep_cell_hash(r, in->files[i].path);
        iffnet_i_rep_cell_hash(r, in->files[i].sha256);
        iffnet_i_rep_cell(r, "%lld", (long long)in->files[i].size);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    iffnet_i_rep_para(r, "The case file was made by iffnet %s on %s from these inputs (preset %s):",
             p->version ? p->version : "?", iffnet_i_rep_date(p->created, d, sizeof d),
             p->preset ? p->preset : "?");
    iffnet_i_rep_table(r, 6, ch);
    for (int64_t i = 0; i < p->n_inputs; i++) {
        const iffnet_input_t *f = &p->inputs[i];
        iffnet_i_rep_cell(r, "%s", f->role ? f->role : "");
        iffnet_i_rep_cell_hash(r, f->path ? f->path : "");
        iffnet_i_rep_cell_hash(r, f->sha256);
        iffnet_i_rep_cell(r, "%lld", (long long)f->rows_read);
        iffnet_i_rep_cell(r, "%lld", (long long)f->rows_accepted);
        iffnet_i_rep_cell(r, "%lld", (long long)f->rows_rejected);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    if (!r->md) fputs("<ul>\n", r->fp);
    iffnet_i_rep_list_item(r, "Ingest command: %s", p->command_line ? p->command_line : "?");
    iffnet_i_rep_list_item(r, "Timestamps without a time zone: %lld, read as %s; payments given twice (same id and "
                           "content in two files, or both sides' statements) kept once: %lld",
                           (long long)p->local_times, p->timezone ? p->timezone : "UTC",
                           (long long)(p->tx_merged + p->tx_matched));
    iffnet_i_rep_list_item(r, "Report command: %s", in->command_line ? in->command_line : "?");
    iffnet_time_format(d, sizeof d, in->date, 0);
    iffnet_i_rep_list_item(r, "Report date: %s", d);
    iffnet_i_rep_list_item(r, "Seed: %lu", in->seed);
    iffnet_i_rep_list_item(r, "Software: iffnet %s, igraph %s", iffnet_version(), IGRAPH_VERSION);
    if (!r->md) fputs("</ul>\n", r->fp);
    iffnet_i_rep_list_end(r);
}
