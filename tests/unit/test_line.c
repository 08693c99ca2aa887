/* test_line.c - CRLF line reassembly: chunking never matters, only CRLF
 * ends a line, overlong lines are reported once and bounded. */
#include "test.h"

#include "proto/line/line.h"
#include "util/buf.h"

/* Splits input into lines with chunks of `chunk` bytes (0: all at once)
 * and writes "L:<line>|" or "TOO_LONG|" for each into out. */
static void
split(const char *in, size_t len, size_t max, size_t chunk, char *out,
    size_t outsz)
{
	struct line_buf lb;
	size_t pos = 0, o = 0;

	line_init(&lb, max);
	out[0] = '\0';
	while (pos < len) {
		size_t n = chunk == 0 || len - pos < chunk ? len - pos : chunk;
		const uint8_t *p = (const uint8_t *)in + pos;

		pos += n;
		while (n > 0) {
			const uint8_t *line;
			size_t ll, used;
			enum nl_status st = line_next(&lb, p, n, &used, &line,
			    &ll);

			p += used;
			n -= used;
			if (st == NL_AGAIN)
				break;
			if (st == NL_OK && o + ll + 4 < outsz) {
				memcpy(out + o, "L:", 2);
				memcpy(out + o + 2, line, ll);
				o += ll + 2;
				out[o++] = '|';
			} else if (st == NL_ELIMIT && o + 10 < outsz) {
				memcpy(out + o, "TOO_LONG|", 9);
				o += 9;
			}
			out[o] = '\0';
		}
	}
	line_free(&lb);
}

static void
test_lines_any_chunking(void)
{
	static const char in[] = "HELO crepes.fr\r\nMAIL FROM:<a@b>\r\n"
	    "bare\nLF and bare\rCR\r\n\r\n.\r\nlast-no-crlf";
	char whole[512], piece[512];
	size_t chunk;

	split(in, sizeof in - 1, 512, 0, whole, sizeof whole);
	ASSERT_STR_EQ(whole, "L:HELO crepes.fr|L:MAIL FROM:<a@b>|"
	    "L:bare\nLF and bare\rCR|L:|L:.|");
	for (chunk = 1; chunk < 20; chunk++) {
		split(in, sizeof in - 1, 512, chunk, piece, sizeof piece);
		ASSERT_STR_EQ(piece, whole);
	}
}

/* "<LF>.<LF>" is content, never an end of line or of DATA. */
static void
test_no_smuggling(void)
{
	static const char in[] = "text\n.\nMAIL FROM:<evil>\r\n.\r\n";
	char out[256];

	split(in, sizeof in - 1, 1000, 1, out, sizeof out);
	ASSERT_STR_EQ(out, "L:text\n.\nMAIL FROM:<evil>|L:.|");
}

static void
test_overlong(void)
{
	char in[2200], out[4096];
	size_t i;

	/* 10 bytes + CRLF fits a limit of 12, 11 bytes does not. */
	split("0123456789\r\n", 12, 12, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "L:0123456789|");
	split("0123456789A\r\nok\r\n", 17, 12, 0, out, sizeof out);
	ASSERT_STR_EQ(out, "TOO_LONG|L:ok|");
	split("0123456789A\r\nok\r\n", 17, 12, 1, out, sizeof out);
	ASSERT_STR_EQ(out, "TOO_LONG|L:ok|");
	/* 2000 bytes against 512: one report, then the next line. */
	for (i = 0; i < 2000; i++)
		in[i] = 'x';
	memcpy(in + 2000, "\r\nQUIT\r\n", 8);
	split(in, 2008, 512, 7, out, sizeof out);
	ASSERT_STR_EQ(out, "TOO_LONG|L:QUIT|");
}

static void
test_nul_and_pending(void)
{
	static const uint8_t in[] = { 'a', 0, 'b', '\r' };
	struct line_buf lb;
	const uint8_t *line;
	size_t used, ll;

	line_init(&lb, 100);
	ASSERT_EQ(line_next(&lb, in, sizeof in, &used, &line, &ll), NL_AGAIN);
	ASSERT_EQ(used, 4);
	ASSERT_EQ(line_pending(&lb), 3);
	ASSERT_EQ(line_next(&lb, (const uint8_t *)"\n", 1, &used, &line, &ll),
	    NL_OK);
	ASSERT_EQ(ll, 3);
	ASSERT_EQ(line[1], 0);
	line_free(&lb);
}

/* Raising the limit mid-stream (SMTP's DATA) grows the buffer: a long
 * line after the raise is kept whole (ASan checks the writes). */
static void
test_raise_limit(void)
{
	struct line_buf lb;
	const uint8_t *line;
	size_t used, ll, i;
	uint8_t in[1000];

	line_init(&lb, 16);
	ASSERT_EQ(line_next(&lb, (const uint8_t *)"DATA\r\n", 6, &used, &line,
	    &ll), NL_OK);
	line_set_max(&lb, 1000);
	for (i = 0; i < 996; i++)
		in[i] = 'y';
	in[996] = '\r';
	in[997] = '\n';
	ASSERT_EQ(line_next(&lb, in, 998, &used, &line, &ll), NL_OK);
	ASSERT_EQ(ll, 996);
	ASSERT_EQ(line[995], 'y');
	line_set_max(&lb, 16);
	ASSERT_EQ(line_next(&lb, in, 998, &used, &line, &ll), NL_ELIMIT);
	line_free(&lb);
}

const struct test_case tests_line[] = {
	{ "line_raise_limit", test_raise_limit },
	{ "line_any_chunking", test_lines_any_chunking },
	{ "line_no_smuggling", test_no_smuggling },
	{ "line_overlong", test_overlong },
	{ "line_nul_and_pending", test_nul_and_pending },
	{ NULL, NULL },
};
