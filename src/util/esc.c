/*
 * util/esc.c: text made safe for a terminal (esc.h). The input is walked
 * as UTF-8: a valid sequence is copied unless it encodes a C1 control;
 * anything else that is not printable ASCII becomes an escape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/esc.h"
#include "util/utf8.h"
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

static void
esc_walk(const char *s, struct esc_buf *b)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 tmp[8];
	uint32_t		 cp;
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
		if (*p >= 0x80 && (n = utf8_next(p, &cp)) != 0) {
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
