/*
 * util/esc.c: text made safe for a terminal (esc.h). The input is walked
 * as UTF-8: a valid sequence is copied unless it encodes a C1 control;
 * anything else that is not printable ASCII becomes an escape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/esc.h"
#include "util/xmalloc.h"

struct esc_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
esc_add(struct esc_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Length of the valid UTF-8 sequence at s (2 to 4), or 0. */
static size_t
esc_utf8(const unsigned char *s, unsigned *cp)
{
	size_t		n, i;
	unsigned	c = s[0];

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

static void
esc_walk(const char *s, struct esc_buf *b)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 tmp[8];
	unsigned		 cp;
	size_t			 n;

	while (*p != '\0') {
		if (*p >= 0x20 && *p < 0x7f) {
			for (n = 1; p[n] >= 0x20 && p[n] < 0x7f; n++)
				;
			esc_add(b, (const char *)p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case 0x1b:
			esc_add(b, "\\e", 2);
			p++;
			continue;
		case '\n':
			esc_add(b, "\\n", 2);
			p++;
			continue;
		case '\r':
			esc_add(b, "\\r", 2);
			p++;
			continue;
		case '\t':
			esc_add(b, "\\t", 2);
			p++;
			continue;
		}
		if (*p >= 0x80 && (n = esc_utf8(p, &cp)) != 0) {
			if (cp >= 0x80 && cp <= 0x9f) {
				snprintf(tmp, sizeof tmp, "\\u%04x", cp);
				esc_add(b, tmp, strlen(tmp));
			} else
				esc_add(b, (const char *)p, n);
			p += n;
			continue;
		}
		snprintf(tmp, sizeof tmp, "\\x%02x", *p);
		esc_add(b, tmp, strlen(tmp));
		p++;
	}
}

char *
esc_str(const char *s)
{
	struct esc_buf	b = { NULL, 0, 0 };

	esc_add(&b, "", 0);
	if (s != NULL)
		esc_walk(s, &b);
	return (b.p);
}

void
esc_fputs(const char *s, FILE *f)
{
	char	*e = esc_str(s);

	fputs(e, f);
	free(e);
}
