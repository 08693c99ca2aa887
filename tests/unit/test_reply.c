/* test_reply.c - RFC 5321 4.2 replies: single and multiline, any
 * chunking, malformed lines with their reason, limits, the writer. */
#include "test.h"

#include "proto/line/reply.h"
#include "util/buf.h"

/* Parses in with chunks of `chunk` bytes (0: all at once) and writes
 * "<code>/<nlines>:<raw with \n as |>;" per reply or "E<reason>;" per
 * error into out. */
static void
parse_all(const char *in, size_t len, size_t chunk, char *out, size_t outsz)
{
	struct reply_parser rp;
	size_t pos = 0, o = 0;

	reply_parser_init(&rp);
	out[0] = '\0';
	while (pos < len) {
		size_t n = chunk == 0 || len - pos < chunk ? len - pos : chunk;
		const uint8_t *p = (const uint8_t *)in + pos;

		pos += n;
		while (n > 0) {
			struct reply r;
			size_t used = 0, i;
			enum nl_status st = reply_parser_feed(&rp, p, n, &used,
			    &r);

			p += used;
			n -= used;
			if (st == NL_AGAIN)
				break;
			if (st == NL_OK) {
				o += (size_t)snprintf(out + o, outsz - o,
				    "%d/%zu:", r.code, r.nlines);
				for (i = 0; i < r.raw_len && o + 2 < outsz; i++)
					out[o++] = r.raw[i] == '\n' ? '|' :
					    r.raw[i];
				out[o++] = ';';
				out[o] = '\0';
			} else {
				o += (size_t)snprintf(out + o, outsz - o,
				    "E%d;", (int)reply_parser_err(&rp));
			}
		}
	}
	reply_parser_free(&rp);
}

static void
test_single_and_multi(void)
{
	static const char in[] = "220 hamburger.edu\r\n"
	    "250-hamburger.edu Hello crepes.fr\r\n250-SIZE 10485760\r\n"
	    "250-8BITMIME\r\n250 HELP\r\n"
	    "354 Enter mail, end with \".\" on a line by itself\r\n"
	    "250\r\n221 bye\r\n";
	char whole[1024], piece[1024];
	size_t chunk;

	parse_all(in, sizeof in - 1, 0, whole, sizeof whole);
	ASSERT_STR_EQ(whole, "220/1:220 hamburger.edu|;"
	    "250/4:250-hamburger.edu Hello crepes.fr|250-SIZE 10485760|"
	    "250-8BITMIME|250 HELP|;"
	    "354/1:354 Enter mail, end with \".\" on a line by itself|;"
	    "250/1:250|;221/1:221 bye|;");
	for (chunk = 1; chunk < 24; chunk++) {
		parse_all(in, sizeof in - 1, chunk, piece, sizeof piece);
		ASSERT_STR_EQ(piece, whole);
	}
}

static void
test_lines_and_text(void)
{
	static const char in[] = "250-first\r\n250-\r\n250 last one\r\n";
	struct reply_parser rp;
	struct reply r;
	size_t used;
	const char *l;

	reply_parser_init(&rp);
	ASSERT_EQ(reply_parser_feed(&rp, (const uint8_t *)in, sizeof in - 1,
	    &used, &r), NL_OK);
	ASSERT_EQ(used, sizeof in - 1);
	ASSERT_EQ(r.nlines, 3);
	ASSERT_EQ(reply_line(&r, 0, &l), 9);
	ASSERT_MEM_EQ(l, "250-first", 9);
	ASSERT_EQ(reply_line_text(&r, 0, &l), 5);
	ASSERT_MEM_EQ(l, "first", 5);
	ASSERT_EQ(reply_line_text(&r, 1, &l), 0);
	ASSERT_EQ(reply_line_text(&r, 2, &l), 8);
	ASSERT_MEM_EQ(l, "last one", 8);
	ASSERT_EQ(reply_line(&r, 3, &l), 0);
	ASSERT_STR_EQ(l, "");
	ASSERT_EQ(reply_class(r.code), 2);
	reply_parser_free(&rp);
}

static void
test_malformed(void)
{
	char out[512];

	/* Each bad line is reported with its reason; the next line starts
	 * a new reply. */
	parse_all("25\r\n250 ok\r\n", 12, 1, out, sizeof out);
	ASSERT_STR_EQ(out, "E2;250/1:250 ok|;");
	parse_all("2x0 no\r\n", 8, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E3;");
	parse_all("600 no\r\n", 8, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E3;");
	parse_all("250_x\r\n", 7, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E4;");
	parse_all("250-a\r\n251 b\r\n", 14, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E5;");
	/* A bare LF is content of the line, and content it may not be. */
	parse_all("250 a\nb\r\n", 9, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E6;");
	parse_all("250 a\0b\r\n", 9, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E6;");
	ASSERT_STR_EQ(reply_err_str(REPLY_E_CODE_CHANGED),
	    "code differs within a multiline reply");
}

static void
test_limits(void)
{
	static char in[REPLY_LINES_MAX * 8 + 4096];
	char out[256];
	size_t n = 0, i;

	/* 512 with CRLF is fine, 513 is not. */
	memcpy(in, "250 ", 4);
	memset(in + 4, 'x', 506);
	memcpy(in + 510, "\r\n", 2);
	parse_all(in, 512, 0, out, sizeof out);
	ASSERT(strncmp(out, "250/1:", 6) == 0);
	memcpy(in, "250 ", 4);
	memset(in + 4, 'x', 507);
	memcpy(in + 511, "\r\n250 ok\r\n", 10);
	parse_all(in, 521, 3, out, sizeof out);
	ASSERT_STR_EQ(out, "E1;250/1:250 ok|;");
	/* Too many lines in one reply. */
	for (i = 0; i < REPLY_LINES_MAX + 1; i++) {
		memcpy(in + n, "250-x\r\n", 7);
		n += 7;
	}
	memcpy(in + n, "250 y\r\n", 7);
	n += 7;
	parse_all(in, n, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "E7;250/1:250 y|;");
}

static void
test_write(void)
{
	struct nl_dbuf b;
	static const char *const lines[] = { "hamburger.edu", "SIZE 1000",
		"HELP" };
	char big[600];

	nl_dbuf_init(&b, 4096);
	ASSERT_EQ(reply_write(&b, 220, "hamburger.edu"), NL_OK);
	ASSERT_EQ(reply_write(&b, 250, "a\nb\nc"), NL_OK);
	ASSERT_EQ(reply_write(&b, 250, ""), NL_OK);
	ASSERT_EQ(reply_write_lines(&b, 250, lines, 3), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "220 hamburger.edu\r\n"
	    "250-a\r\n250-b\r\n250 c\r\n250\r\n"
	    "250-hamburger.edu\r\n250-SIZE 1000\r\n250 HELP\r\n");
	nl_dbuf_reset(&b);
	ASSERT_EQ(reply_write(&b, 99, "x"), NL_EINVAL);
	ASSERT_EQ(reply_write(&b, 260, "x"), NL_EINVAL);
	ASSERT_EQ(reply_write(&b, 250, "ok\nbad\rcr"), NL_EINVAL);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ASSERT_EQ(reply_write(&b, 250, big), NL_ELIMIT);
	big[REPLY_TEXT_MAX] = '\0';
	ASSERT_EQ(b.len, 0);
	ASSERT_EQ(reply_write(&b, 250, big), NL_OK);
	ASSERT_EQ(b.len, REPLY_LINE_MAX);
	nl_dbuf_free(&b);
}

/* What the writer writes, the reader reads back. */
static void
test_round_trip(void)
{
	static const char *const texts[] = { "OK", "a\nb", "x\n\ny", "",
		"tab\there" };
	struct nl_dbuf b;
	struct reply_parser rp;
	struct reply r;
	size_t i, used;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char joined[64];
		size_t k, o = 0;

		nl_dbuf_init(&b, 4096);
		reply_parser_init(&rp);
		ASSERT_EQ(reply_write(&b, 451, texts[i]), NL_OK);
		ASSERT_EQ(reply_parser_feed(&rp, b.data, b.len, &used, &r),
		    NL_OK);
		ASSERT_EQ(used, b.len);
		ASSERT_EQ(r.code, 451);
		for (k = 0; k < r.nlines; k++) {
			const char *t;
			size_t n = reply_line_text(&r, k, &t);

			if (k > 0)
				joined[o++] = '\n';
			memcpy(joined + o, t, n);
			o += n;
		}
		joined[o] = '\0';
		ASSERT_STR_EQ(joined, texts[i]);
		reply_parser_free(&rp);
		nl_dbuf_free(&b);
	}
}

const struct test_case tests_reply[] = {
	{ "reply_single_and_multi", test_single_and_multi },
	{ "reply_lines_and_text", test_lines_and_text },
	{ "reply_malformed", test_malformed },
	{ "reply_limits", test_limits },
	{ "reply_write", test_write },
	{ "reply_round_trip", test_round_trip },
	{ NULL, NULL },
};
