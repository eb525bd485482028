/*
 * util/json.h: the one JSON string writer. RFC 8259 escaping: quote,
 * backslash and every control character (C0 and DEL) escaped; valid UTF-8
 * passes through; each byte that is not valid UTF-8 becomes U+FFFD, so the
 * output is valid JSON whatever a file name or string held. (Chosen once:
 * \u00XX would silently turn a Latin-1 byte into a different character.)
 * A NULL string is written as null.
 */
#ifndef LOCKSTEP_UTIL_JSON_H
#define LOCKSTEP_UTIL_JSON_H

#include <stdio.h>

void	json_string(FILE *, const char *);

#endif
