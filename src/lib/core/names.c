/* names.c: name and identifier normalisation and a word-based similarity
 * (names.h). The transliteration covers the Latin letters of names that FIU
 * data and sanctions lists hold: Latin-1, Latin Extended-A, the Romanian and
 * Vietnamese letters; the letters' mapping follows their base letter in the
 * Unicode names ("LATIN SMALL LETTER E WITH ACUTE" -> e). */
#include <ctype.h>
#include "core_internal.h"
#include "iffnet/names.h"

/* U+00C0..U+00FF, lower and upper case alike ("" = a separator). */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"};

/* U+0100..U+017F: the base letter of each code point, in runs. */
static const struct { unsigned first, last; const char *ascii; } runs[] = {
    {0x0100, 0x0105, "a"}, {0x0106, 0x010D, "c"}, {0x010E, 0x0111, "d"}, {0x0112, 0x011B, "e"},
    {0x011C, 0x0123, "g"}, {0x0124, 0x0127, "h"}, {0x0128, 0x0131, "i"}, {0x0132, 0x0133, "ij"},
    {0x0134, 0x0135, "j"}, {0x0136, 0x0138, "k"}, {0x0139, 0x0142, "l"}, {0x0143, 0x014B, "n"},
    {0x014C, 0x0151, "o"}, {0x0152, 0x0153, "oe"}, {0x0154, 0x0159, "r"}, {0x015A, 0x0161, "s"},
    {0x0162, 0x0167, "t"}, {0x0168, 0x0173, "u"}, {0x0174, 0x0175, "w"}, {0x0176, 0x0178, "y"},
    {0x0179, 0x017E, "z"}, {0x017F, 0x017F, "s"},
    /* Latin Extended-B: horned o and u (Vietnamese), pinyin carons, Romanian comma letters */
    {0x01A0, 0x01A1, "o"}, {0x01AF, 0x01B0, "u"}, {0x01CD, 0x01CE, "a"}, {0x01CF, 0x01D0, "i"},
    {0x01D1, 0x01D2, "o"}, {0x01D3, 0x01DC, "u"}, {0x0218, 0x0219, "s"}, {0x021A, 0x021B, "t"},
    /* Latin Extended Additional: the Vietnamese vowels with tone marks */
    {0x1E9E, 0x1E9E, "ss"}, {0x1EA0, 0x1EB7, "a"}, {0x1EB8, 0x1EC7, "e"}, {0x1EC8, 0x1ECB, "i"},
    {0x1ECC, 0x1EE3, "o"}, {0x1EE4, 0x1EF1, "u"}, {0x1EF2, 0x1EF9, "y"},
};

/* ASCII for code point cp; "" to drop it; NULL to keep it as it is. */
static const char *translit(unsigned cp)
{
    if (cp >= 0x00C0 && cp <= 0x00FF) return latin1[cp - 0x00C0];
    if (cp >= 0x0300 && cp <= 0x036F) return "";  /* combining marks of decomposed text */
    if (cp >= 0x0080 && cp <= 0x00BF) return " "; /* Latin-1 punctuation and spaces */
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        if (cp >= runs[i].first && cp <= runs[i].last) return runs[i].ascii;
    return NULL;
}

static unsigned decode(const unsigned char *p, size_t len)
{
    if (len == 1) return p[0];
    if (len == 2) return (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    if (len == 3) return (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    return (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 | (unsigned)(p[2] & 0x3F) << 6 |
           (p[3] & 0x3F);
}

/* Words that say what kind of company, not which one (English, German, French,
 * Dutch, Italian, Spanish, Portuguese, Nordic, Central and Eastern European,
 * Asian forms). */
static const char *const legal_forms[] = {
    "ltd", "limited", "llc", "llp", "lp", "inc", "incorporated", "corp", "corporation", "co", "company",
    "plc", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "ev", "sa", "sas", "sarl", "eurl", "srl", "spa", "sl",
    "bv", "nv", "vof", "cv", "pte", "pty", "pvt", "ab", "as", "asa", "aps", "oy", "oyj", "kft", "zrt",
    "sro", "doo", "jsc", "ojsc", "pjsc", "cjsc", "ooo", "zao", "oao", "lda", "ltda", "sdn", "bhd", "tbk",
    "kk", "fze", "fzco", "fzc", NULL};

static int is_legal_form(const char *w, size_t n)
{
    for (size_t i = 0; legal_forms[i]; i++)
        if (strlen(legal_forms[i]) == n && memcmp(legal_forms[i], w, n) == 0) return 1;
    return 0;
}

/* Steps 1 and 2 of names.h: transliterated, lowercased, words separated by one
 * space. */
static char *fold(const char *s)
{
    size_t n = strlen(s), o = 0;
    /* "ss" or "th" for a two-byte letter, a separator for each ASCII byte: 1.5x at most */
    char *out = malloc(2 * n + 2);
    if (!out) return NULL;
    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)s + i;
        size_t len = iffnet_i_utf8_len(p, n - i);
        const char *t;
        if (len == 0) { /* not UTF-8: a separator, never a letter of a name */
            i++;
            if (o && out[o - 1] != ' ') out[o++] = ' ';
            continue;
        }
        if (len == 1) {
            /* Dotted initials are one word: "B.V." is bv, "S.A.R.L." sarl. */
            int initial = o > 0 && isalpha((unsigned char)out[o - 1]) && (o == 1 || out[o - 2] == ' ');
            if (isalnum(p[0])) out[o++] = (char)tolower(p[0]);
            else if (p[0] == '.' && initial && i + 1 < n && isalpha((unsigned char)s[i + 1]) &&
                     (i + 2 >= n || !isalpha((unsigned char)s[i + 2]))) {
                /* joined: the next letter follows without a separator */
            }
            else if (o && out[o - 1] != ' ') out[o++] = ' ';
        } else if ((t = translit(decode(p, len))) != NULL) {
            if (t[0] == ' ') {
                if (o && out[o - 1] != ' ') out[o++] = ' ';
            } else {
                for (; *t; t++) out[o++] = *t;
            }
        } else {
            memcpy(out + o, p, len);
            o += len;
        }
        i += len;
    }
    while (o && out[o - 1] == ' ') o--;
    out[o] = '\0';
    return out;
}

static int cmp_word(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *iffnet_name_normalise(const char *s)
{
    char *f = fold(s ? s : ""), *out = NULL, **w = NULL, *save = NULL;
    size_t nw = 0, keep = 0, len;
    if (!f) return NULL;
    len = strlen(f);
    w = malloc((len / 2 + 2) * sizeof *w);
    out = malloc(len + 1);
    if (!w || !out) {
        free(out);
        out = NULL;
        goto done;
    }
    for (char *t = strtok_r(f, " ", &save); t; t = strtok_r(NULL, " ", &save)) w[nw++] = t;
    for (size_t i = 0; i < nw; i++) keep += !is_legal_form(w[i], strlen(w[i]));
    if (keep > 0) { /* "Limited" alone stays a name */
        size_t k = 0;
        for (size_t i = 0; i < nw; i++)
            if (!is_legal_form(w[i], strlen(w[i]))) w[k++] = w[i];
        nw = k;
    }
    iffnet_i_sort(w, nw, sizeof *w, cmp_word);
    out[0] = '\0';
    for (size_t i = 0, o = 0; i < nw; i++) {
        size_t l = strlen(w[i]);
        if (i) out[o++] = ' ';
        memcpy(out + o, w[i], l + 1);
        o += l;
    }
done:
    free(w);
    free(f);
    return out;
}

char *iffnet_id_normalise(const char *s)
{
    size_t n = strlen(s ? s : ""), o = 0;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i])) out[o++] = (char)toupper((unsigned char)s[i]);
    out[o] = '\0';
    return out;
}

/* Edit distance of two words, 0 when either is longer than 64 bytes and they
 * are equal, their length when they differ (long words compare exactly). */
static size_t word_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t prev[65], cur[65];
    if (la > 64 || lb > 64) return la == lb && memcmp(a, b, la) == 0 ? 0 : (la > lb ? la : lb);
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]), del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* Similarity of two words per names.h: 0 unless alike. */
static double word_similarity(const char *a, size_t la, const char *b, size_t lb)
{
    size_t longer = la > lb ? la : lb, d;
    if (la == lb && memcmp(a, b, la) == 0) return 1;
    if (la < 5 || lb < 5) return 0;
    d = word_distance(a, la, b, lb);
    return (double)d <= 0.2 * (double)longer ? 1.0 - (double)d / (double)longer : 0;
}

typedef struct { const char *p; size_t n; } word_t;

static size_t split(const char *s, word_t *w, size_t max)
{
    size_t n = 0;
    for (const char *p = s; *p && n < max;) {
        while (*p == ' ') p++;
        if (!*p) break;
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        w[n++] = (word_t){p, l};
        p += l;
    }
    return n;
}

double iffnet_name_similarity(const char *a, const char *b)
{
    word_t wa[32], wb[32];
    char used[32] = {0};
    size_t na, nb;
    double sum = 0;
    if (!a || !b || !*a || !*b) return 0;
    if (strcmp(a, b) == 0) return 1;
    na = split(a, wa, 32);
    nb = split(b, wb, 32);
    if (na < 2 || nb < 2) return 0; /* one word: a surname or a brand matches only itself */
    if (na > nb) { /* pair the words of the shorter name */
        word_t t[32];
        size_t tn = na;
        memcpy(t, wa, sizeof t);
        memcpy(wa, wb, sizeof wa);
        memcpy(wb, t, sizeof wb);
        na = nb;
        nb = tn;
    }
    for (size_t i = 0; i < na; i++) {
        double best = 0;
        size_t bj = nb;
        for (size_t j = 0; j < nb; j++) {
            if (used[j]) continue;
            double s = word_similarity(wa[i].p, wa[i].n, wb[j].p, wb[j].n);
            if (s > best) {
                best = s;
                bj = j;
            }
        }
        if (bj < nb) {
            used[bj] = 1;
            sum += best;
        }
    }
    return 2 * sum / (double)(na + nb);
}
