/* imap_codec.c - IMAP bytes to fields and back (RFC 3501 sections 4 and
 * 9): the reader that joins lines and synchronising literals into one
 * command or response, a bounded parser for atoms, strings, numbers,
 * sequence sets, flags and FETCH items, the writers for strings, flags
 * and dates, and the names of every enum. */
#include <string.h>

#include "proto/imap/imap.h"
#include "util/nl.h"

/* ---- Character classes (RFC 3501 9) ------------------------------------ */

/* ATOM-CHAR: any CHAR except atom-specials: "(" ")" "{" SP CTL "%" "*"
 * DQUOTE "\" "]". */
static int
is_atom_char(int c)
{
	if (c <= 0x1f || c >= 0x7f)
		return 0;
	switch (c) {
	case '(': case ')': case '{': case ' ': case '%': case '*':
	case '"': case '\\': case ']':
		return 0;
	default:
		return 1;
	}
}

/* ASTRING-CHAR = ATOM-CHAR / resp-specials */
static int
is_astring_char(int c)
{
	return is_atom_char(c) || c == ']';
}

/* list-char = ATOM-CHAR / list-wildcards / resp-specials */
static int
is_list_char(int c)
{
	return is_astring_char(c) || c == '%' || c == '*';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Case-insensitive equality of a NUL-terminated word with an upper-case
 * one. */
static int
word_is(const char *w, const char *up)
{
	while (*w != '\0' && *up != '\0' && upper((unsigned char)*w) == *up) {
		w++;
		up++;
	}
	return *w == '\0' && *up == '\0';
}

/* ---- Reader -------------------------------------------------------------- */

void
imap_reader_init(struct imap_reader *r, size_t line_max, size_t lit_max,
    size_t msg_max)
{
	memset(r, 0, sizeof *r);
	line_init(&r->lb, line_max);
	nl_dbuf_init(&r->msg, msg_max);
	r->msg_max = msg_max;
	r->lit_max = lit_max;
}

void
imap_reader_free(struct imap_reader *r)
{
	line_free(&r->lb);
	nl_dbuf_free(&r->msg);
}

/* 1 when the line ends in "{n}" (RFC 3501 4.3); *n gets the size,
 * SIZE_MAX when it has too many digits to count. */
static int
literal_at_end(const uint8_t *l, size_t len, size_t *n)
{
	size_t i, v = 0, digits;
	int over = 0;

	*n = 0;
	if (len < 3 || l[len - 1] != '}')
		return 0;
	for (i = len - 1; i > 0 && is_digit(l[i - 1]); i--)
		;
	digits = len - 1 - i;
	if (digits == 0 || i == 0 || l[i - 1] != '{')
		return 0;
	for (; i < len - 1; i++) {
		if (v > (SIZE_MAX - 9) / 10)
			over = 1;
		else
			v = v * 10 + (size_t)(l[i] - '0');
	}
	*n = over ? SIZE_MAX : v;
	return 1;
}

enum nl_status
imap_reader_feed(struct imap_reader *r, const uint8_t *data, size_t len,
    size_t *used, enum imap_rd *ev)
{
	size_t pos = 0;
	enum nl_status st;

	*ev = IMAP_RD_AGAIN;
	*used = 0;
	if (r->done) {
		nl_dbuf_reset(&r->msg);
		r->done = 0;
		r->dropping = 0;
	}
	if (r->deciding) {
		*ev = IMAP_RD_LITERAL;
		return NL_OK;
	}
	if (r->lit_left > 0) {
		size_t n = NL_MIN(r->lit_left, len);

		if (!r->dropping && (st = nl_dbuf_add(&r->msg, data, n)) != NL_OK)
			return st;
		r->lit_left -= n;
		*used = n;
		return NL_OK;
	}
	while (pos < len) {
		const uint8_t *line;
		size_t u, ll, n;
		int lit;

		st = line_next(&r->lb, data + pos, len - pos, &u, &line, &ll);
		pos += u;
		if (st == NL_AGAIN)
			break;
		if (st == NL_ENOMEM) {
			*used = pos;
			return st;
		}
		if (st == NL_ELIMIT) {
			r->done = 1;
			*ev = IMAP_RD_TOOLONG;
			break;
		}
		lit = literal_at_end(line, ll, &n);
		if (!r->dropping && r->msg.len + ll + 2 > r->msg_max) {
			/* Keep what came before: the tag is in it. */
			r->dropping = 1;
		} else if (!r->dropping) {
			if ((st = nl_dbuf_add(&r->msg, line, ll)) != NL_OK ||
			    (lit && (st = nl_dbuf_add(&r->msg, "\r\n", 2)) !=
			    NL_OK)) {
				*used = pos;
				return st;
			}
		}
		if (lit) {
			r->deciding = 1;
			r->lit_want = n;
			*ev = IMAP_RD_LITERAL;
			break;
		}
		r->done = 1;
		*ev = r->dropping ? IMAP_RD_TOOLONG : IMAP_RD_DONE;
		break;
	}
	*used = pos;
	return NL_OK;
}

size_t
imap_reader_literal(const struct imap_reader *r)
{
	return r->lit_want;
}

int
imap_reader_literal_fits(const struct imap_reader *r)
{
	return !r->dropping && r->lit_want <= r->lit_max &&
	    r->lit_want <= r->msg_max - r->msg.len;
}

void
imap_reader_accept(struct imap_reader *r)
{
	r->deciding = 0;
	r->lit_left = r->lit_want;
}

void
imap_reader_refuse(struct imap_reader *r)
{
	r->deciding = 0;
	r->done = 1;
}

void
imap_reader_skip(struct imap_reader *r)
{
	r->deciding = 0;
	r->dropping = 1;
	r->lit_left = r->lit_want;
}

int
imap_reader_in_literal(const struct imap_reader *r)
{
	return r->lit_left > 0;
}

const uint8_t *
imap_reader_msg(const struct imap_reader *r, size_t *len)
{
	*len = r->msg.data != NULL ? r->msg.len : 0;
	return r->msg.data != NULL ? r->msg.data : (const uint8_t *)"";
}

/* ---- Parser -------------------------------------------------------------- */

void
imap_p_init(struct imap_parser *ps, const uint8_t *p, size_t len)
{
	ps->p = p;
	ps->len = len;
	ps->pos = 0;
}

int
imap_p_eof(const struct imap_parser *ps)
{
	return ps->pos >= ps->len;
}

int
imap_p_peek(const struct imap_parser *ps)
{
	return ps->pos < ps->len ? ps->p[ps->pos] : -1;
}

enum nl_status
imap_p_char(struct imap_parser *ps, int c)
{
	if (imap_p_peek(ps) != c)
		return NL_EMALFORMED;
	ps->pos++;
	return NL_OK;
}

enum nl_status
imap_p_sp(struct imap_parser *ps)
{
	return imap_p_char(ps, ' ');
}

/* A run of bytes accepted by ok(), at least one; copied to out when out
 * is not NULL. */
static enum nl_status
run(struct imap_parser *ps, int (*ok)(int), char *out, size_t outsz,
    struct imap_str *s)
{
	size_t start = ps->pos, n;

	while (ps->pos < ps->len && ok(ps->p[ps->pos]))
		ps->pos++;
	n = ps->pos - start;
	if (n == 0)
		return NL_EMALFORMED;
	if (s != NULL) {
		s->kind = IMAP_STR_ATOM;
		s->p = ps->p + start;
		s->len = n;
	}
	if (out != NULL) {
		if (n >= outsz) {
			ps->pos = start;
			return NL_ELIMIT;
		}
		memcpy(out, ps->p + start, n);
		out[n] = '\0';
	}
	return NL_OK;
}

static int
is_tag_char(int c)
{
	return is_astring_char(c) && c != '+';
}

enum nl_status
imap_p_tag(struct imap_parser *ps, char *out, size_t outsz)
{
	return run(ps, is_tag_char, out, NL_MIN(outsz, (size_t)IMAP_TAG_MAX + 1),
	    NULL);
}

enum nl_status
imap_p_atom(struct imap_parser *ps, char *out, size_t outsz)
{
	return run(ps, is_atom_char, out, outsz, NULL);
}

enum nl_status
imap_p_number(struct imap_parser *ps, uint32_t *out)
{
	uint64_t v = 0;
	size_t start = ps->pos;

	*out = 0;
	while (ps->pos < ps->len && is_digit(ps->p[ps->pos])) {
		v = v * 10 + (uint64_t)(ps->p[ps->pos] - '0');
		ps->pos++;
		if (v > UINT32_MAX) {
			ps->pos = start;
			return NL_EMALFORMED;
		}
	}
	if (ps->pos == start)
		return NL_EMALFORMED;
	*out = (uint32_t)v;
	return NL_OK;
}

/* quoted = DQUOTE *QUOTED-CHAR DQUOTE, QUOTED-CHAR = <any TEXT-CHAR
 * except quoted-specials> / "\" quoted-specials. 8-bit bytes are let
 * through (RFC 9051 allows UTF-8 here); NUL, CR and LF are not. */
static enum nl_status
quoted(struct imap_parser *ps, struct imap_str *s)
{
	size_t start = ps->pos + 1, i;

	for (i = start; i < ps->len; i++) {
		uint8_t c = ps->p[i];

		if (c == '"') {
			s->kind = IMAP_STR_QUOTED;
			s->p = ps->p + start;
			s->len = i - start;
			ps->pos = i + 1;
			return NL_OK;
		}
		if (c == '\\') {
			if (i + 1 >= ps->len ||
			    (ps->p[i + 1] != '"' && ps->p[i + 1] != '\\'))
				return NL_EMALFORMED;
			i++;
			continue;
		}
		if (c == '\0' || c == '\r' || c == '\n')
			return NL_EMALFORMED;
	}
	return NL_EMALFORMED;
}

/* literal = "{" number "}" CRLF *CHAR8 (the reader put the bytes right
 * after the CRLF). */
static enum nl_status
literal(struct imap_parser *ps, struct imap_str *s)
{
	size_t save = ps->pos;
	uint32_t n;

	ps->pos++;
	if (imap_p_number(ps, &n) != NL_OK || imap_p_char(ps, '}') != NL_OK ||
	    imap_p_char(ps, '\r') != NL_OK || imap_p_char(ps, '\n') != NL_OK ||
	    ps->len - ps->pos < n) {
		ps->pos = save;
		return NL_EMALFORMED;
	}
	s->kind = IMAP_STR_LITERAL;
	s->p = ps->p + ps->pos;
	s->len = n;
	ps->pos += n;
	return NL_OK;
}

static enum nl_status
string(struct imap_parser *ps, struct imap_str *s)
{
	switch (imap_p_peek(ps)) {
	case '"':
		return quoted(ps, s);
	case '{':
		return literal(ps, s);
	default:
		return NL_EMALFORMED;
	}
}

enum nl_status
imap_p_astring_raw(struct imap_parser *ps, struct imap_str *s)
{
	int c = imap_p_peek(ps);

	memset(s, 0, sizeof *s);
	if (c == '"' || c == '{')
		return string(ps, s);
	return run(ps, is_astring_char, NULL, 0, s);
}

enum nl_status
imap_p_nstring_raw(struct imap_parser *ps, struct imap_str *s)
{
	int c = imap_p_peek(ps);

	memset(s, 0, sizeof *s);
	if (c == '"' || c == '{')
		return string(ps, s);
	if (ps->len - ps->pos >= 3 && upper(ps->p[ps->pos]) == 'N' &&
	    upper(ps->p[ps->pos + 1]) == 'I' &&
	    upper(ps->p[ps->pos + 2]) == 'L' &&
	    (ps->len - ps->pos == 3 || !is_atom_char(ps->p[ps->pos + 3]))) {
		ps->pos += 3;
		s->kind = IMAP_STR_NIL;
		s->p = ps->p + ps->pos;
		return NL_OK;
	}
	return NL_EMALFORMED;
}

enum nl_status
imap_p_list_mailbox_raw(struct imap_parser *ps, struct imap_str *s)
{
	int c = imap_p_peek(ps);

	memset(s, 0, sizeof *s);
	if (c == '"' || c == '{')
		return string(ps, s);
	return run(ps, is_list_char, NULL, 0, s);
}

enum nl_status
imap_str_copy(const struct imap_str *s, char *out, size_t outsz)
{
	size_t i, n = 0;

	if (outsz == 0)
		return NL_ELIMIT;
	out[0] = '\0';
	for (i = 0; i < s->len; i++) {
		uint8_t c = s->p[i];

		if (s->kind == IMAP_STR_QUOTED && c == '\\')
			c = s->p[++i];	/* quoted() saw the escaped byte */
		if (c == '\0')
			return NL_EMALFORMED;
		if (n + 1 >= outsz) {
			out[0] = '\0';
			return NL_ELIMIT;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return NL_OK;
}

/* Any byte that can be part of an atom-like value in a response: all
 * but SP, parentheses, quotes, braces, CR, LF and the brackets handled
 * by skip(). */
static int
is_value_char(int c)
{
	return c > 0x20 && c != '(' && c != ')' && c != '"' && c != '{' &&
	    c != '[' && c != 0x7f;
}

static enum nl_status
skip(struct imap_parser *ps, int depth)
{
	struct imap_str s;
	int c = imap_p_peek(ps);

	if (c == '"' || c == '{')
		return string(ps, &s);
	if (c == '(') {
		if (depth >= 16)
			return NL_EMALFORMED;
		ps->pos++;
		if (imap_p_peek(ps) == ')') {
			ps->pos++;
			return NL_OK;
		}
		for (;;) {
			if (skip(ps, depth + 1) != NL_OK)
				return NL_EMALFORMED;
			if (imap_p_peek(ps) == ')') {
				ps->pos++;
				return NL_OK;
			}
			if (imap_p_sp(ps) != NL_OK)
				return NL_EMALFORMED;
		}
	}
	/* An atom, a number, NIL, \Flag, or a name with a [section]. */
	{
		size_t start = ps->pos;

		while (ps->pos < ps->len) {
			c = ps->p[ps->pos];
			if (c == '[') {
				while (ps->pos < ps->len &&
				    ps->p[ps->pos] != ']')
					ps->pos++;
				if (ps->pos == ps->len)
					return NL_EMALFORMED;
				ps->pos++;
				continue;
			}
			if (!is_value_char(c))
				break;
			ps->pos++;
		}
		return ps->pos > start ? NL_OK : NL_EMALFORMED;
	}
}

enum nl_status
imap_p_skip_value(struct imap_parser *ps)
{
	return skip(ps, 0);
}

enum nl_status
imap_p_item_name(struct imap_parser *ps, char *out, size_t outsz)
{
	size_t start = ps->pos, n;

	while (ps->pos < ps->len) {
		int c = ps->p[ps->pos];
		int close = c == '[' ? ']' : c == '<' ? '>' : 0;

		if (close != 0) {
			while (ps->pos < ps->len && ps->p[ps->pos] != close &&
			    ps->p[ps->pos] != '\r' && ps->p[ps->pos] != '\n')
				ps->pos++;
			if (ps->pos == ps->len || ps->p[ps->pos] != close)
				goto bad;
			ps->pos++;
			continue;
		}
		if (!is_atom_char(c))
			break;
		ps->pos++;
	}
	n = ps->pos - start;
	if (n == 0 || n >= outsz)
		goto bad;
	memcpy(out, ps->p + start, n);
	out[n] = '\0';
	return NL_OK;
bad:
	ps->pos = start;
	if (outsz > 0)
		out[0] = '\0';
	return NL_EMALFORMED;
}

/* ---- Sequence sets ------------------------------------------------------- */

/* seq-number = nz-number / "*" (0 stands for "*") */
static enum nl_status
seq_number(struct imap_parser *ps, uint32_t *v)
{
	if (imap_p_peek(ps) == '*') {
		ps->pos++;
		*v = 0;
		return NL_OK;
	}
	if (imap_p_peek(ps) == '0')
		return NL_EMALFORMED;	/* nz-number: no 0, no leading 0 */
	return imap_p_number(ps, v);
}

static enum nl_status
seqset(struct imap_parser *ps, struct imap_seqset *out)
{
	for (;;) {
		struct imap_seq_range *r;

		if (out->n == IMAP_SEQ_RANGES)
			return NL_ELIMIT;
		r = &out->r[out->n++];
		if (seq_number(ps, &r->lo) != NL_OK)
			return NL_EMALFORMED;
		r->hi = r->lo;
		if (imap_p_peek(ps) == ':') {
			ps->pos++;
			if (seq_number(ps, &r->hi) != NL_OK)
				return NL_EMALFORMED;
		}
		if (imap_p_peek(ps) != ',')
			return NL_OK;
		ps->pos++;
	}
}

enum nl_status
imap_p_seqset(struct imap_parser *ps, struct imap_seqset *out)
{
	enum nl_status st;

	memset(out, 0, sizeof *out);
	st = seqset(ps, out);
	if (st != NL_OK)
		memset(out, 0, sizeof *out);	/* no half a set */
	return st;
}

int
imap_seqset_has(const struct imap_seqset *set, uint32_t v, uint32_t star)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		uint32_t lo = set->r[i].lo ? set->r[i].lo : star;
		uint32_t hi = set->r[i].hi ? set->r[i].hi : star;

		if (lo > hi) {
			uint32_t t = lo;

			lo = hi;
			hi = t;
		}
		if (v >= lo && v <= hi)
			return 1;
	}
	return 0;
}

uint32_t
imap_seqset_max(const struct imap_seqset *set)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < set->n; i++) {
		m = NL_MAX(m, set->r[i].lo);
		m = NL_MAX(m, set->r[i].hi);
	}
	return m;
}

/* ---- Flags --------------------------------------------------------------- */

/* ORDER IMAP_FLAG: the bits from 0x01 up; flag_words are the same names
 * in upper case, without the backslash, for reading. */
static const char *const flag_names[] = {
	"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"
};
static const char *const flag_words[] = {
	"SEEN", "ANSWERED", "FLAGGED", "DELETED", "DRAFT"
};

enum nl_status
imap_p_flag(struct imap_parser *ps, unsigned *bit)
{
	char name[64];
	size_t i, start = ps->pos;
	int sys = imap_p_peek(ps) == '\\';

	*bit = 0;
	if (sys)
		ps->pos++;
	if (sys && imap_p_peek(ps) == '*') {
		ps->pos++;
		return NL_EUNSUPPORTED;	/* "\*" (flag-perm) */
	}
	if (imap_p_atom(ps, name, sizeof name) != NL_OK) {
		ps->pos = start;
		return NL_EMALFORMED;
	}
	if (!sys)
		return NL_EUNSUPPORTED;	/* a keyword */
	for (i = 0; i < NL_ARRAY_LEN(flag_words); i++) {
		if (word_is(name, flag_words[i])) {
			*bit = 1u << i;
			return NL_OK;
		}
	}
	return NL_EUNSUPPORTED;	/* \Recent or an extension flag */
}

enum nl_status
imap_p_flag_list(struct imap_parser *ps, unsigned *flags, int lenient)
{
	unsigned bit;
	enum nl_status st;

	*flags = 0;
	if (imap_p_char(ps, '(') != NL_OK)
		return NL_EMALFORMED;
	if (imap_p_peek(ps) == ')') {
		ps->pos++;
		return NL_OK;
	}
	for (;;) {
		st = imap_p_flag(ps, &bit);
		if (st == NL_EMALFORMED || (st != NL_OK && !lenient))
			return st;
		*flags |= bit;
		if (imap_p_peek(ps) == ')') {
			ps->pos++;
			return NL_OK;
		}
		if (imap_p_sp(ps) != NL_OK)
			return NL_EMALFORMED;
	}
}

/* ---- FETCH items (RFC 3501 6.4.5) ---------------------------------------- */

static enum nl_status
add_item(struct imap_fetch *f, enum imap_fa fa, int peek, int rfc822)
{
	if (f->n == IMAP_FETCH_ITEMS)
		return NL_ELIMIT;
	f->item[f->n].fa = fa;
	f->item[f->n].peek = peek;
	f->item[f->n].rfc822 = rfc822;
	f->n++;
	return NL_OK;
}

static int
is_name_char(int c)
{
	return is_atom_char(c) && c != '[';
}

/* fetch-att; the macros when macros is set. */
static enum nl_status
fetch_att(struct imap_parser *ps, struct imap_fetch *f, int macros)
{
	char name[32], sect[32];
	size_t n = 0;
	int peek;

	if (run(ps, is_name_char, name, sizeof name, NULL) != NL_OK)
		return NL_EMALFORMED;
	if (imap_p_peek(ps) == '[') {
		ps->pos++;
		while (ps->pos < ps->len && ps->p[ps->pos] != ']') {
			if (n + 1 >= sizeof sect)
				return NL_EUNSUPPORTED;
			sect[n++] = (char)ps->p[ps->pos++];
		}
		sect[n] = '\0';
		if (imap_p_char(ps, ']') != NL_OK)
			return NL_EMALFORMED;
		if (imap_p_peek(ps) == '<')
			return NL_EUNSUPPORTED;	/* partial fetch */
		peek = word_is(name, "BODY.PEEK");
		if (!peek && !word_is(name, "BODY"))
			return NL_EMALFORMED;
		if (sect[0] == '\0')
			return add_item(f, IMAP_FA_BODY, peek, 0);
		if (word_is(sect, "HEADER"))
			return add_item(f, IMAP_FA_BODY_HEADER, peek, 0);
		if (word_is(sect, "TEXT"))
			return add_item(f, IMAP_FA_BODY_TEXT, peek, 0);
		return NL_EUNSUPPORTED;	/* parts, HEADER.FIELDS, MIME */
	}
	if (word_is(name, "FLAGS"))
		return add_item(f, IMAP_FA_FLAGS, 0, 0);
	if (word_is(name, "UID"))
		return add_item(f, IMAP_FA_UID, 0, 0);
	if (word_is(name, "RFC822.SIZE"))
		return add_item(f, IMAP_FA_RFC822_SIZE, 0, 0);
	if (word_is(name, "INTERNALDATE"))
		return add_item(f, IMAP_FA_INTERNALDATE, 0, 0);
	if (word_is(name, "ENVELOPE"))
		return add_item(f, IMAP_FA_ENVELOPE, 0, 0);
	if (word_is(name, "RFC822"))
		return add_item(f, IMAP_FA_BODY, 0, 1);
	if (word_is(name, "RFC822.HEADER"))
		return add_item(f, IMAP_FA_BODY_HEADER, 1, 1);
	if (word_is(name, "RFC822.TEXT"))
		return add_item(f, IMAP_FA_BODY_TEXT, 0, 1);
	if (macros && (word_is(name, "ALL") || word_is(name, "FAST"))) {
		enum nl_status st;

		if ((st = add_item(f, IMAP_FA_FLAGS, 0, 0)) != NL_OK ||
		    (st = add_item(f, IMAP_FA_INTERNALDATE, 0, 0)) != NL_OK ||
		    (st = add_item(f, IMAP_FA_RFC822_SIZE, 0, 0)) != NL_OK)
			return st;
		return word_is(name, "ALL") ?
		    add_item(f, IMAP_FA_ENVELOPE, 0, 0) : NL_OK;
	}
	if (word_is(name, "BODY") || word_is(name, "BODYSTRUCTURE") ||
	    (macros && word_is(name, "FULL")))
		return NL_EUNSUPPORTED;
	return NL_EMALFORMED;
}

static enum nl_status
fetch_atts(struct imap_parser *ps, struct imap_fetch *out)
{
	enum nl_status st;

	if (imap_p_peek(ps) != '(')
		return fetch_att(ps, out, 1);
	ps->pos++;
	for (;;) {
		if ((st = fetch_att(ps, out, 0)) != NL_OK)
			return st;
		if (imap_p_peek(ps) == ')') {
			ps->pos++;
			return NL_OK;
		}
		if (imap_p_sp(ps) != NL_OK)
			return NL_EMALFORMED;
	}
}

enum nl_status
imap_p_fetch_atts(struct imap_parser *ps, struct imap_fetch *out)
{
	enum nl_status st;

	memset(out, 0, sizeof *out);
	st = fetch_atts(ps, out);
	if (st != NL_OK)
		memset(out, 0, sizeof *out);	/* no half a list */
	return st;
}

/* ---- Writers ------------------------------------------------------------- */

int
imap_atomable(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || (len == 3 && word_is(s, "NIL")))
		return 0;
	for (i = 0; i < len; i++)
		if (!is_astring_char((unsigned char)s[i]))
			return 0;
	return 1;
}

int
imap_quotable(const char *s, size_t len)
{
	size_t i;

	if (len > 1000)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0' || c == '\r' || c == '\n' || c >= 0x80)
			return 0;
	}
	return 1;
}

static enum nl_status
w_quoted(struct nl_dbuf *out, const char *s, size_t len)
{
	enum nl_status st;
	size_t i, from = 0;

	if ((st = nl_dbuf_add(out, "\"", 1)) != NL_OK)
		return st;
	for (i = 0; i < len; i++) {
		if (s[i] != '"' && s[i] != '\\')
			continue;
		if ((st = nl_dbuf_add(out, s + from, i - from)) != NL_OK ||
		    (st = nl_dbuf_add(out, "\\", 1)) != NL_OK)
			return st;
		from = i;
	}
	if ((st = nl_dbuf_add(out, s + from, len - from)) != NL_OK)
		return st;
	return nl_dbuf_add(out, "\"", 1);
}

static enum nl_status
w_literal(struct nl_dbuf *out, const char *s, size_t len)
{
	enum nl_status st = nl_dbuf_addf(out, "{%zu}\r\n", len);

	return st != NL_OK ? st : nl_dbuf_add(out, s, len);
}

enum nl_status
imap_w_astring(struct nl_dbuf *out, const char *s, size_t len)
{
	if (s == NULL)
		return nl_dbuf_add(out, "\"\"", 2);
	if (imap_atomable(s, len))
		return nl_dbuf_add(out, s, len);
	if (imap_quotable(s, len))
		return w_quoted(out, s, len);
	return w_literal(out, s, len);
}

enum nl_status
imap_w_nstring(struct nl_dbuf *out, const char *s, size_t len)
{
	if (s == NULL)
		return nl_dbuf_add(out, "NIL", 3);
	if (imap_quotable(s, len))
		return w_quoted(out, s, len);
	return w_literal(out, s, len);
}

enum nl_status
imap_w_flags(struct nl_dbuf *out, unsigned flags)
{
	enum nl_status st;
	size_t i;
	int first = 1;

	if ((st = nl_dbuf_add(out, "(", 1)) != NL_OK)
		return st;
	for (i = 0; i < NL_ARRAY_LEN(flag_names); i++) {
		if (!(flags & (1u << i)))
			continue;
		if ((!first && (st = nl_dbuf_add(out, " ", 1)) != NL_OK) ||
		    (st = nl_dbuf_add_str(out, flag_names[i])) != NL_OK)
			return st;
		first = 0;
	}
	return nl_dbuf_add(out, ")", 1);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), so the
 * codec needs no gmtime and gives the same answer on every platform. */
static void
civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

enum nl_status
imap_w_date(struct nl_dbuf *out, int64_t t)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t days = t / 86400, secs = t % 86400, y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 1970;	/* date-year is 4DIGIT */
	return nl_dbuf_addf(out, "\"%02u-%s-%04d %02d:%02d:%02d +0000\"", d,
	    mon[m - 1], (int)y, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60));
}

/* ---- Lines for the events ----------------------------------------------- */

static void
tline_keep(struct imap_tline *t, uint8_t b)
{
	if (t->len < sizeof t->buf)
		t->buf[t->len++] = b;
	else
		t->cut = 1;
}

void
imap_tline_feed(struct imap_tline *t, const uint8_t *p, size_t n, int data,
    imap_tline_fn *fn, void *arg)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!t->started) {
			t->started = 1;
			t->data = data;
		}
		if (t->cr) {
			t->cr = 0;
			if (p[i] == '\n') {
				fn(arg, t->buf, t->len, t->data, t->cut);
				t->len = 0;
				t->cut = 0;
				t->started = 0;
				continue;
			}
			tline_keep(t, '\r');
		}
		if (p[i] == '\r')
			t->cr = 1;
		else
			tline_keep(t, p[i]);
	}
}

/* ---- Names --------------------------------------------------------------- */

const char *
imap_rd_str(enum imap_rd e)
{
	switch (e) {
	case IMAP_RD_AGAIN: return "again";
	case IMAP_RD_LITERAL: return "literal";
	case IMAP_RD_DONE: return "done";
	case IMAP_RD_TOOLONG: return "too long";
	}
	return "?";
}

const char *
imap_fa_str(enum imap_fa fa)
{
	switch (fa) {
	case IMAP_FA_FLAGS: return "FLAGS";
	case IMAP_FA_UID: return "UID";
	case IMAP_FA_RFC822_SIZE: return "RFC822.SIZE";
	case IMAP_FA_INTERNALDATE: return "INTERNALDATE";
	case IMAP_FA_ENVELOPE: return "ENVELOPE";
	case IMAP_FA_BODY: return "BODY[]";
	case IMAP_FA_BODY_HEADER: return "BODY[HEADER]";
	case IMAP_FA_BODY_TEXT: return "BODY[TEXT]";
	}
	return "?";
}

const char *
imap_ev_str(enum imap_ev e)
{
	switch (e) {
	case IMAP_EV_STATE: return "state";
	case IMAP_EV_LINE: return "line";
	case IMAP_EV_ERROR: return "error";
	}
	return "?";
}

const char *
imap_srv_state_str(enum imap_srv_state st)
{
	switch (st) {
	case IMAP_SRV_CONNECTED: return "CONNECTED";
	case IMAP_SRV_NOT_AUTHENTICATED: return "NOT_AUTHENTICATED";
	case IMAP_SRV_AUTHENTICATED: return "AUTHENTICATED";
	case IMAP_SRV_SELECTED: return "SELECTED";
	case IMAP_SRV_LOGOUT: return "LOGOUT";
	}
	return "?";
}

const char *
imap_cli_state_str(enum imap_cli_state st)
{
	switch (st) {
	case IMAP_CLI_GREETING: return "GREETING";
	case IMAP_CLI_LOGIN: return "LOGIN";
	case IMAP_CLI_LIST: return "LIST";
	case IMAP_CLI_SELECT: return "SELECT";
	case IMAP_CLI_SUMMARY: return "SUMMARY";
	case IMAP_CLI_BODY: return "BODY";
	case IMAP_CLI_STORE: return "STORE";
	case IMAP_CLI_CREATE: return "CREATE";
	case IMAP_CLI_COPY: return "COPY";
	case IMAP_CLI_MARK_DELETED: return "MARK_DELETED";
	case IMAP_CLI_EXPUNGE: return "EXPUNGE";
	case IMAP_CLI_LOGOUT: return "LOGOUT";
	case IMAP_CLI_DONE: return "DONE";
	case IMAP_CLI_FAILED: return "FAILED";
	}
	return "?";
}

const char *
imap_str_kind_str(enum imap_str_kind k)
{
	switch (k) {
	case IMAP_STR_NIL: return "NIL";
	case IMAP_STR_ATOM: return "atom";
	case IMAP_STR_QUOTED: return "quoted";
	case IMAP_STR_LITERAL: return "literal";
	}
	return "?";
}
