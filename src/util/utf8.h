/*
 * util/utf8.h: UTF-8, said once. Validation (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF), decoding, and the display width
 * of a character on a terminal (wcwidth in a UTF-8 locale, whatever the
 * program's own locale is). Every layer that looks inside a string's bytes
 * (the scenario loader and lexer, the JSON writer, the check caret, the
 * exporters, the terminal UI's text output) uses these.
 */
#ifndef LOCKSTEP_UTIL_UTF8_H
#define LOCKSTEP_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes readable), or
   0 if s does not start one. *cp gets the code point when not NULL. */
size_t	utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* The same for a NUL-terminated string (the NUL ends any sequence). */
size_t	utf8_len(const unsigned char *s);
/* utf8_len() that also gives the code point in *cp (when not NULL): the
   step of a loop over a string, one character at a time. */
size_t	utf8_next(const unsigned char *s, uint32_t *cp);
/* Columns the character cp takes on a terminal: 0 (combining), 1 or 2
   (East Asian wide and fullwidth). Control characters count 1, as the
   '?' they are printed as. */
int	utf8_cp_width(uint32_t cp);
/* Columns of the first n bytes of s; an invalid byte counts 1. */
size_t	utf8_width(const char *s, size_t n);

#endif
