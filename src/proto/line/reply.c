/* reply.c - RFC 5321 4.2 reply reader and writer (see reply.h): lines
 * come from line.c, so only CRLF ends one and memory stays bounded by
 * REPLY_LINE_MAX times REPLY_LINES_MAX. */
#include "proto/line/reply.h"

#include <string.h>

#include "util/alloc.h"

/* Room for the largest reply: every line at its limit plus its "\n". */
#define REPLY_RAW_MAX (REPLY_LINES_MAX * REPLY_LINE_MAX)

const char *
reply_err_str(enum reply_err e)
{
	switch (e) {
	case REPLY_E_NONE: return "no error";
	case REPLY_E_TOO_LONG: return "reply line too long";
	case REPLY_E_SHORT: return "reply line shorter than a code";
	case REPLY_E_CODE: return "not a reply code";
	case REPLY_E_SEPARATOR: return "code not followed by space or hyphen";
	case REPLY_E_CODE_CHANGED: return "code differs within a multiline reply";
	case REPLY_E_CONTROL: return "control character in reply text";
	case REPLY_E_TOO_MANY_LINES: return "too many lines in one reply";
	}
	return "?";
}

int
reply_class(int code)
{
	if (code < 100 || code > 599 || code / 10 % 10 > 5)
		return 0;
	return code / 100;
}

void
reply_parser_init(struct reply_parser *rp)
{
	line_init(&rp->lb, REPLY_LINE_MAX);
	nl_dbuf_init(&rp->raw, REPLY_RAW_MAX);
	rp->code = 0;
	rp->nlines = 0;
	rp->err = REPLY_E_NONE;
}

void
reply_parser_free(struct reply_parser *rp)
{
	line_free(&rp->lb);
	nl_dbuf_free(&rp->raw);
	rp->code = 0;
	rp->nlines = 0;
}

enum reply_err
reply_parser_err(const struct reply_parser *rp)
{
	return rp->err;
}

/* Reply-code = %x32-35 %x30-35 %x30-39; 1yz is kept for RFC 821 peers. */
static int
code_of(const uint8_t *p)
{
	if (p[0] < '1' || p[0] > '5' || p[1] < '0' || p[1] > '5' ||
	    p[2] < '0' || p[2] > '9')
		return 0;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* HT, SP..~ and 8-bit bytes are text; the rest are control characters. */
static int
is_text(uint8_t c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Checks one line; returns its code and sets *last, or 0 with rp->err. */
static int
check_line(struct reply_parser *rp, const uint8_t *l, size_t n, int *last)
{
	int code;
	size_t i;

	if (n < 3) {
		rp->err = REPLY_E_SHORT;
		return 0;
	}
	code = code_of(l);
	if (code == 0) {
		rp->err = REPLY_E_CODE;
		return 0;
	}
	if (n > 3 && l[3] != ' ' && l[3] != '-') {
		rp->err = REPLY_E_SEPARATOR;
		return 0;
	}
	for (i = 3; i < n; i++)
		if (!is_text(l[i])) {
			rp->err = REPLY_E_CONTROL;
			return 0;
		}
	if (rp->code != 0 && code != rp->code) {
		rp->err = REPLY_E_CODE_CHANGED;
		return 0;
	}
	*last = n == 3 || l[3] == ' ';
	return code;
}

/* Forgets the reply being read. */
static void
drop(struct reply_parser *rp)
{
	nl_dbuf_reset(&rp->raw);
	rp->code = 0;
	rp->nlines = 0;
}

enum nl_status
reply_parser_feed(struct reply_parser *rp, const uint8_t *data, size_t len,
    size_t *used, struct reply *out)
{
	size_t pos = 0;

	memset(out, 0, sizeof *out);
	if (rp->nlines > 0 && rp->code == 0) {
		/* The previous call returned a reply: start afresh. */
		drop(rp);
	}
	while (pos < len) {
		const uint8_t *l;
		size_t n, u;
		int code, last;
		enum nl_status st;

		st = line_next(&rp->lb, data + pos, len - pos, &u, &l, &n);
		pos += u;
		if (st == NL_AGAIN)
			break;
		*used = pos;
		if (st == NL_ELIMIT) {
			rp->err = REPLY_E_TOO_LONG;
			drop(rp);
			return NL_ELIMIT;
		}
		if (st != NL_OK) {
			drop(rp);
			return st;
		}
		code = check_line(rp, l, n, &last);
		if (code == 0) {
			drop(rp);
			return NL_EMALFORMED;
		}
		if (rp->nlines == REPLY_LINES_MAX) {
			rp->err = REPLY_E_TOO_MANY_LINES;
			drop(rp);
			return NL_ELIMIT;
		}
		if (nl_dbuf_add(&rp->raw, l, n) != NL_OK ||
		    nl_dbuf_add_u8(&rp->raw, '\n') != NL_OK) {
			drop(rp);
			return NL_ENOMEM;
		}
		rp->code = code;
		rp->nlines++;
		if (last) {
			out->code = code;
			out->nlines = rp->nlines;
			out->raw = (const char *)rp->raw.data;
			out->raw_len = rp->raw.len;
			rp->code = 0;	/* marks "returned" for the next call */
			rp->err = REPLY_E_NONE;
			return NL_OK;
		}
	}
	*used = pos;
	return NL_AGAIN;
}

size_t
reply_line(const struct reply *r, size_t i, const char **line)
{
	const char *p = r->raw, *end = r->raw + r->raw_len, *nl;

	*line = "";
	if (r->raw == NULL)
		return 0;
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return 0;
		if (i == 0) {
			*line = p;
			return (size_t)(nl - p);
		}
		i--;
		p = nl + 1;
	}
}

size_t
reply_line_text(const struct reply *r, size_t i, const char **text)
{
	const char *l;
	size_t n = reply_line(r, i, &l);

	if (n <= 4) {
		*text = "";
		return 0;
	}
	*text = l + 4;
	return n - 4;
}

/* Checks one line of text for reply_write*: length and characters. */
static enum nl_status
check_text(const char *t, size_t n)
{
	size_t i;

	if (n > REPLY_TEXT_MAX)
		return NL_ELIMIT;
	for (i = 0; i < n; i++)
		if (!is_text((uint8_t)t[i]))
			return NL_EINVAL;
	return NL_OK;
}

/* Writes one line: "250-text" or "250 text" (or "250" alone). */
static enum nl_status
put_line(struct nl_dbuf *out, int code, const char *t, size_t n, int last)
{
	char head[5];
	size_t hn = 3;
	enum nl_status st;

	head[0] = (char)('0' + code / 100);
	head[1] = (char)('0' + code / 10 % 10);
	head[2] = (char)('0' + code % 10);
	if (!last || n > 0)
		head[hn++] = last ? ' ' : '-';
	st = nl_dbuf_add(out, head, hn);
	if (st == NL_OK)
		st = nl_dbuf_add(out, t, n);
	if (st == NL_OK)
		st = nl_dbuf_add(out, "\r\n", 2);
	return st;
}

enum nl_status
reply_write(struct nl_dbuf *out, int code, const char *text)
{
	const char *p, *nl;
	size_t count = 0;
	enum nl_status st;

	if (reply_class(code) == 0)
		return NL_EINVAL;
	/* Check everything first so that nothing half-written remains. */
	for (p = text;; p = nl + 1) {
		nl = strchr(p, '\n');
		st = check_text(p, nl ? (size_t)(nl - p) : strlen(p));
		if (st != NL_OK)
			return st;
		if (++count > REPLY_LINES_MAX)
			return NL_ELIMIT;
		if (nl == NULL)
			break;
	}
	for (p = text;; p = nl + 1) {
		nl = strchr(p, '\n');
		st = put_line(out, code, p, nl ? (size_t)(nl - p) : strlen(p),
		    nl == NULL);
		if (st != NL_OK || nl == NULL)
			return st;
	}
}

enum nl_status
reply_write_lines(struct nl_dbuf *out, int code, const char *const *lines,
    size_t n)
{
	size_t i;
	enum nl_status st;

	if (reply_class(code) == 0 || n == 0)
		return NL_EINVAL;
	if (n > REPLY_LINES_MAX)
		return NL_ELIMIT;
	for (i = 0; i < n; i++) {
		st = check_text(lines[i], strlen(lines[i]));
		if (st != NL_OK)
			return st;
	}
	for (i = 0; i < n; i++) {
		st = put_line(out, code, lines[i], strlen(lines[i]),
		    i + 1 == n);
		if (st != NL_OK)
			return st;
	}
	return NL_OK;
}
