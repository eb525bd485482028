/*
 * export/json.c: small helpers shared by the exporters: JSON string
 * escaping (RFC 8259: quote, backslash and control characters escaped;
 * valid UTF-8 passes through, any invalid byte becomes U+FFFD so that the
 * output is always valid JSON whatever a file's strings hold) and names of
 * workers and objects.
 */
#include <stdio.h>

#include "export/export.h"

int
export_utf8_len(const unsigned char *p)
{
	int	n, i;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return (0);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return (0);
	return (n);
}

void
export_json_string(FILE *out, const char *s)
{
	const unsigned char	*p;
	int			 n;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(out, "\\u%04x", *p);
				break;
			}
			if ((n = export_utf8_len(p)) == 0) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(p, 1, (size_t)n, out);
			p += n - 1;
			break;
		}
	}
	putc('"', out);
}

const char *
export_worker_name(const struct tracefile *tf, unsigned w)
{
	if (w >= tf->meta.nworkers)
		return ("?");
	return (tf->meta.workers[w].name);
}

const char *
export_object_name(const struct tracefile *tf, unsigned o)
{
	if (o >= tf->meta.nobjects)
		return ("?");
	return (tf->meta.objects[o].name);
}
