/* names.h: names and identifiers compared as a person reads them, for
 * watch-list screening and for grouping entities by name.
 *
 * Normalisation of a name (iffnet_name_normalise), in this order:
 *   1. Latin letters with diacritics are written without them (é -> e, ø -> o,
 *      ł -> l, ő -> o, ş and ș -> s, đ -> d, Vietnamese ạ ấ ơ ư -> a a o u),
 *      ligatures and special letters spelt out (ß -> ss, æ -> ae, œ -> oe,
 *      þ -> th, ĳ -> ij); combining marks (U+0300..U+036F) are dropped; other
 *      scripts are kept as they are;
 *   2. ASCII letters are lowercased; every other ASCII character separates words;
 *   3. legal-form words are dropped (ltd, limited, llc, inc, corp, co, company,
 *      plc, gmbh, ag, kg, sa, sas, sarl, srl, spa, bv, nv, pte, pty, ab, as, oy,
 *      kft, sro, jsc, ooo, ... : see iffnet-formats(5)), unless nothing would be
 *      left;
 *   4. the words are sorted, so that word order does not matter
 *      ("OKAFOR, Ngozi" and "Ngozi Okafor" both become "ngozi okafor").
 * An identifier (registration, tax or passport number) keeps only its letters
 * and digits, in upper case ("DE 123-456" -> "DE123456").
 *
 * Ownership: every returned string is malloc'd and freed by the caller.
 */
#ifndef IFFNET_NAMES_H
#define IFFNET_NAMES_H

#include "common.h"

/* The normalised name of s ("" when s has no letter or digit); NULL on memory
 * failure. O(len log len). */
char *iffnet_name_normalise(const char *s);

/* The normalised identifier of s; NULL on memory failure. O(len). */
char *iffnet_id_normalise(const char *s);

/* Similarity of two normalised names in [0, 1]: 1 when equal; otherwise each
 * word of the shorter name is paired with the most similar unpaired word of
 * the other, two words counting as alike when at most one letter in five
 * differs (edit distance / length <= 0.2; words under five letters must be
 * equal), with similarity 1 - distance / length; the score is twice the sum of
 * the paired similarities over the number of words of both names (Dice). A
 * name of one word matches only itself. O(w1 w2 L^2) for words of length L. */
double iffnet_name_similarity(const char *a, const char *b);

#endif
