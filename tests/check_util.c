/*
 * tests/check_util.c: the one UTF-8 module and the one JSON string writer
 * (src/util/), and the check caret that stands on the display width.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib.h"
#include "scenario/ast.h"
#include "util/json.h"
#include "util/utf8.h"

static char *
json_of(const char *s)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*out;

	out = open_memstream(&buf, &len);
	json_string(out, s);
	fclose(out);
	return (buf);
}

START_TEST(test_json_string)
{
	char	*buf;

	buf = json_of("a\"b\\c\x01\x7f\xc3\xa9\xff\xe2\x82"
	    "\xe2\x82\xac\xed\xa0\x80");
	ck_assert_str_eq(buf, "\"a\\\"b\\\\c\\u0001\\u007f\xc3\xa9\\ufffd"
	    "\\ufffd\\ufffd\xe2\x82\xac\\ufffd\\ufffd\\ufffd\"");
	free(buf);
	buf = json_of(NULL);
	ck_assert_str_eq(buf, "null");
	free(buf);
	/* A lone 0xff (a Latin-1 file name) and an ESC: never raw. */
	buf = json_of("caf\xe9\x1b[2J");
	ck_assert_str_eq(buf, "\"caf\\ufffd\\u001b[2J\"");
	free(buf);
	/* A lead byte right before the terminator is not read past. */
	buf = json_of("x\xe2");
	ck_assert_str_eq(buf, "\"x\\ufffd\"");
	free(buf);
}
END_TEST

START_TEST(test_utf8_decode)
{
	uint32_t	cp = 0;

	ck_assert_uint_eq(utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	ck_assert_uint_eq(cp, 'A');
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xed\x95\x9c",
	    3, &cp), 3);
	ck_assert_uint_eq(cp, 0xd55c);		/* 한 */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)
	    "\xf0\x9f\x98\x80", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1f600);
	/* Truncated, overlong, surrogate, past U+10FFFF, bare continuation. */
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xed\x95", 2,
	    NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc0\xaf", 2,
	    NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe0\x80\xaf",
	    3, NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xed\xa0\x80",
	    3, NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)
	    "\xf4\x90\x80\x80", 4, NULL), 0);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\x80", 1,
	    NULL), 0);
	ck_assert_uint_eq(utf8_len((const unsigned char *)"\xc3\xa9"), 2);
	ck_assert_uint_eq(utf8_len((const unsigned char *)"\xc3"), 0);
}
END_TEST

/* The step of the UI's and the escaper's loops: a NUL-terminated string,
   the code point and the length at once, nothing read past the NUL. */
START_TEST(test_utf8_next)
{
	uint32_t	cp = 0;

	ck_assert_uint_eq(utf8_next((const unsigned char *)"x", &cp), 1);
	ck_assert_uint_eq(cp, 'x');
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xed\x95\x9c!",
	    &cp), 3);
	ck_assert_uint_eq(cp, 0xd55c);		/* 한 */
	ck_assert_int_eq(utf8_cp_width(cp), 2);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xe2\x94\x80",
	    &cp), 3);
	ck_assert_uint_eq(cp, 0x2500);		/* box drawing: one cell */
	ck_assert_int_eq(utf8_cp_width(cp), 1);
	/* Invalid, overlong, surrogate, truncated by the NUL or by a byte
	   that is no continuation: 0, and *cp is not the way to tell. */
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xff", NULL), 0);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xc1\xbf", NULL),
	    0);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xf0\x82\x82\xac",
	    NULL), 0);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xed\xb0\x80",
	    NULL), 0);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xed\x95", NULL),
	    0);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"\xed\x95x", NULL),
	    0);
	ck_assert_uint_eq(utf8_next((const unsigned char *)"", NULL), 0);
}
END_TEST

START_TEST(test_utf8_width)
{
	/* Hangul and CJK take two cells, Latin one, a combining mark none:
	   whatever the program's own locale (the tests run in C). */
	ck_assert_uint_eq(utf8_width("\xed\x95\x9c\xea\xb8\x80", 6), 4);
	ck_assert_uint_eq(utf8_width("\xe4\xb8\xad", 3), 2);
	ck_assert_uint_eq(utf8_width("caf\xc3\xa9", 5), 4);
	ck_assert_uint_eq(utf8_width("e\xcc\x81", 3), 1);
	ck_assert_uint_eq(utf8_width("ab\xff", 3), 3);
	ck_assert_int_eq(utf8_cp_width(0xac00), 2);
	ck_assert_int_eq(utf8_cp_width('x'), 1);
}
END_TEST

/* `lockstep check`'s caret under Korean text lines up by display width:
   the error column is after two Hangul syllables, so four cells in. */
START_TEST(test_caret_wide)
{
	struct scn_diags	 d = { NULL, 0, NULL };
	struct scn_file		*f;
	const char		*text = "title \"\xed\x95\x9c\xea\xb8\x80\" !\n";
	char			*buf = NULL, *caret, *line;
	size_t			 len = 0;
	FILE			*out;

	f = scenario_load_text("k.scn", text, strlen(text), &d);
	ck_assert_int_gt((int)d.n, 0);
	out = open_memstream(&buf, &len);
	scenario_diags_print(&d, "k.scn", text, out);
	fclose(out);
	/* The source line, then the caret line: the caret is under '!'. */
	line = strstr(buf, "| title ");
	ck_assert_ptr_nonnull(line);
	caret = strchr(line, '\n');
	ck_assert_ptr_nonnull(caret);
	caret = strstr(caret, "| ");
	ck_assert_ptr_nonnull(caret);
	/* `title "` is 7 cells, the two syllables 4, `" ` 2: '!' is cell
	   13 (byte 16). */
	ck_assert_msg(strncmp(caret + 2, "             ^", 14) == 0,
	    "caret line: '%.*s'", (int)strcspn(caret, "\n"), caret);
	free(buf);
	scenario_free(f);
	scenario_diags_done(&d);
}
END_TEST

static Suite *
suite_util(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_json_string);
	tcase_add_test(tc, test_utf8_decode);
	tcase_add_test(tc, test_utf8_next);
	tcase_add_test(tc, test_utf8_width);
	tcase_add_test(tc, test_caret_wide);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	return (lib_run_suite(suite_util()));
}
