/* watchlist.h: screening the case's entities against a watch list (sanctions,
 * PEP or internal lists) by name and by identifier.
 *
 * A watch list is read from one of two formats (iffnet-formats(5)):
 *   CSV with a header row: name (required), and any of id, kind (person,
 *     company, ...), country, identifiers, aliases, source; country, identifiers
 *     and aliases may hold several values joined by ';';
 *   FollowTheMoney entities as JSON Lines (as OpenSanctions publishes them):
 *     one object per line with "id", "schema" and "properties"; the parties
 *     (schemata Person, Company, Organization, LegalEntity, PublicBody) are
 *     read, every other record (sanctions, addresses, ownerships) is counted
 *     and skipped.
 * The format is chosen by the first character of the file ('{': FtM).
 *
 * Matching (iffnet_watchlist_screen): the names of every named entity of the
 * case (persons, companies, and account records without a holder) are
 * normalised as names.h says and compared with every name and alias of the
 * entries that share one of the name's words, or the first four letters of one
 * (blocking: only words held by at most `max_block` entries are used, the two
 * rarest of each name); the score is iffnet_name_similarity(). An identifier of
 * the entry equal to an identifier attribute of the entity (after
 * iffnet_id_normalise(), five characters or more) scores 1. When both give a
 * country and the entity's is not among the entry's, the score is multiplied by
 * 0.9 and the reason says so. Hits score at least `min_score`.
 *
 * Ownership: the list and hits are the caller's, released with _destroy.
 */
#ifndef IFFNET_WATCHLIST_H
#define IFFNET_WATCHLIST_H

#include "case.h"

typedef struct {
    char *id;                /* the list's own id ("" when the CSV has none: the line) */
    char *kind;              /* "person", "company", ... or "" */
    char *source;            /* list or dataset name, or "" */
    int64_t line;            /* line of the file */
    int64_t n_names;         /* the name first, then the aliases */
    char **names;            /* as written */
    char **norm;             /* normalised (names.h) */
    int64_t n_ids;
    char **ids;              /* normalised identifiers */
    int64_t n_countries;
    char **countries;        /* upper case */
} iffnet_watch_entry_t;

typedef struct {
    char *path;
    int64_t n, cap;
    iffnet_watch_entry_t *entries;
    int64_t n_skipped;       /* FtM records that are not parties */
} iffnet_watchlist_t;

/* Reads a watch list. Errors name file:line (and column for JSON): IFFNET_EDATA,
 * IFFNET_EIO, IFFNET_ENOMEM. O(size). */
int iffnet_watchlist_read(iffnet_watchlist_t *w, const char *path);
void iffnet_watchlist_destroy(iffnet_watchlist_t *w);

typedef struct {
    double min_score;        /* default 0.8 */
    int64_t max_block;       /* default 1000 */
    int64_t max_pairs;       /* name comparisons at most (default 50,000,000); a cut is noted */
} iffnet_watch_opts_t;

void iffnet_watch_opts_default(iffnet_watch_opts_t *o);

typedef struct {
    int64_t entity;          /* case entity index */
    int64_t entry;           /* index into the list */
    double score;
    int by_id;               /* 1: an identifier matched */
    int64_t name;            /* entry name that matched best (index into names), -1 for an id */
    char *matched;           /* what matched: the normalised name, or the identifier */
    int country;             /* 1 same country, -1 different, 0 unknown */
} iffnet_watch_hit_t;

typedef struct {
    int64_t n, cap;
    iffnet_watch_hit_t *items;  /* by score descending, then entity index */
    int64_t pairs;              /* name comparisons made */
    int cut;                    /* 1: max_pairs stopped the search */
} iffnet_watch_hits_t;

/* Screens the case's entities; one hit per (entity, entry), the best. O(E + L)
 * to index, plus the compared pairs (bounded by max_pairs). */
int iffnet_watchlist_screen(const iffnet_case_t *c, const iffnet_watchlist_t *w,
                            const iffnet_watch_opts_t *o, iffnet_watch_hits_t *hits);
void iffnet_watch_hits_destroy(iffnet_watch_hits_t *h);

#endif
