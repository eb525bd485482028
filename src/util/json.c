/*
 * util/json.c: see json.h.
 */
#include "util/json.h"
#include "util/utf8.h"

void
json_string(FILE *out, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

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
			if ((n = utf8_len(p)) == 0) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(p, 1, n, out);
			p += n - 1;
			break;
		}
	}
	putc('"', out);
}
