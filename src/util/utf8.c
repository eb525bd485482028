/*
 * util/utf8.c: see utf8.h.
 *
 * The width comes from wcwidth() evaluated in the C.UTF-8 locale through
 * uselocale(), so it is right for Hangul or CJK text even when the program
 * runs in the C locale (a check run from a script, the tests). Where that
 * locale is missing, a table of the wide and combining ranges of Unicode
 * 15 stands in.
 */
#include <locale.h>
#include <wchar.h>

#include "util/utf8.h"

size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		len, i;
	uint32_t	c;

	if (n == 0)
		return (0);
	if (s[0] < 0x80) {
		if (cp != NULL)
			*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	if (len > n)
		return (0);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return (0);
	if (cp != NULL)
		*cp = c;
	return (len);
}

size_t
utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t	n;

	/* A NUL stops at the first byte that is not a continuation, so 4
	   bytes are never read past the terminator. */
	for (n = 0; n < 4 && s[n] != '\0'; n++)
		if (n > 0 && (s[n] & 0xc0) != 0x80)
			break;
	return (utf8_decode(s, n, cp));
}

size_t
utf8_len(const unsigned char *s)
{
	return (utf8_next(s, NULL));
}

static int
utf8_table_width(uint32_t c)
{
	static const uint32_t	zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x1160, 0x11ff }, { 0x200b, 0x200f },
		{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	};
	static const uint32_t	wide[][2] = {
		{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2e80, 0x303e },
		{ 0x3041, 0x33ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
		{ 0xa000, 0xa4cf }, { 0xa960, 0xa97f }, { 0xac00, 0xd7a3 },
		{ 0xf900, 0xfaff }, { 0xfe30, 0xfe4f }, { 0xff00, 0xff60 },
		{ 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f }, { 0x1f900, 0x1f9ff },
		{ 0x20000, 0x3fffd },
	};
	size_t	i;

	for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return (0);
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return (2);
	return (1);
}

int
utf8_cp_width(uint32_t c)
{
	static locale_t	 utf8_locale;
	static int	 tried;
	locale_t	 old;
	int		 w;

	if (c < 0x80)
		return (1);
	if (!tried) {
		tried = 1;
		utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (utf8_locale == (locale_t)0)
		return (utf8_table_width(c));
	old = uselocale(utf8_locale);
	w = wcwidth((wchar_t)c);
	uselocale(old);
	if (w < 0)
		return (c >= 0xa0 ? utf8_table_width(c) : 1);
	return (w);
}

size_t
utf8_width(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, len, cols = 0;
	uint32_t		 cp;

	while (i < n) {
		if ((len = utf8_decode(p + i, n - i, &cp)) == 0) {
			cols++;
			i++;
			continue;
		}
		cols += (size_t)utf8_cp_width(cp);
		i += len;
	}
	return (cols);
}
