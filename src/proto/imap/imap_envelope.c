/* imap_envelope.c - the ENVELOPE of a message (RFC 3501 7.4.2): written
 * by the server from the RFC 5322 header (2.2 unfolding, 3.4 address
 * lists with groups), and read back by the client. A small header
 * reader of its own: proto/imap may not include proto/imf. */
#include <stdio.h>
#include <string.h>

#include "proto/imap/imap.h"
#include "util/nl.h"

#define FIELD_MAX 4096		/* longest unfolded field value kept */

void
imap_msg_split(const uint8_t *msg, size_t len, size_t *header_len)
{
	size_t i;

	if (len >= 2 && msg[0] == '\r' && msg[1] == '\n') {
		*header_len = 2;	/* no header at all */
		return;
	}
	for (i = 0; i + 3 < len; i++) {
		if (msg[i] == '\r' && msg[i + 1] == '\n' && msg[i + 2] == '\r' &&
		    msg[i + 3] == '\n') {
			*header_len = i + 4;
			return;
		}
	}
	*header_len = len;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* The end of the line starting at pos within the header: the CR of its
 * CRLF, or hlen. */
static size_t
line_end(const uint8_t *h, size_t hlen, size_t pos)
{
	while (pos + 1 < hlen && !(h[pos] == '\r' && h[pos + 1] == '\n'))
		pos++;
	return pos + 1 < hlen ? pos : hlen;
}

/* Appends bytes to a value being unfolded, cutting at outsz - 1. */
static void
val_add(char *out, size_t outsz, size_t *n, const uint8_t *p, size_t len)
{
	size_t k;

	for (k = 0; k < len && *n + 1 < outsz; k++) {
		uint8_t c = p[k];

		/* A NUL or stray CR/LF inside a header is not text. */
		out[(*n)++] = (c == '\0' || c == '\r' || c == '\n') ? ' ' :
		    (char)c;
	}
	out[*n] = '\0';
}

/* Finds the first field called name (RFC 5322 2.2: name, optional WSP,
 * colon) and writes its value, unfolded (2.2.3) and trimmed, to out.
 * Returns 1 when found. */
static int
field(const uint8_t *h, size_t hlen, const char *name, char *out,
    size_t outsz)
{
	size_t pos = 0, nlen = strlen(name);

	out[0] = '\0';
	while (pos < hlen) {
		size_t e = line_end(h, hlen, pos), k, n = 0, a, b;

		if (e == pos)
			break;		/* the blank line: end of header */
		if (e - pos <= nlen || is_wsp(h[pos])) {
			pos = e + 2;
			continue;
		}
		for (k = 0; k < nlen && lower(h[pos + k]) == lower(name[k]); k++)
			;
		if (k < nlen) {
			pos = e + 2;
			continue;
		}
		k = pos + nlen;
		while (k < e && is_wsp(h[k]))
			k++;
		if (k == e || h[k] != ':') {
			pos = e + 2;
			continue;
		}
		val_add(out, outsz, &n, h + k + 1, e - k - 1);
		/* Folded lines: the CRLF goes, the WSP stays. */
		for (pos = e + 2; pos < hlen && is_wsp(h[pos]); pos = e + 2) {
			e = line_end(h, hlen, pos);
			val_add(out, outsz, &n, h + pos, e - pos);
		}
		for (a = 0; a < n && is_wsp(out[a]); a++)
			;
		for (b = n; b > a && is_wsp(out[b - 1]); b--)
			;
		memmove(out, out + a, b - a);
		out[b - a] = '\0';
		return 1;
	}
	return 0;
}

static enum nl_status
w_nstr(struct nl_dbuf *out, const char *s, size_t len)
{
	return imap_w_nstring(out, s, len);
}

/* s[a..b) without surrounding white space. */
static void
trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_wsp(s[*a]))
		(*a)++;
	while (*b > *a && is_wsp(s[*b - 1]))
		(*b)--;
}

/* A display name: quotes and their escapes removed, comments kept. */
static size_t
unquote(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < outsz; i++) {
		if (s[i] == '"')
			continue;
		if (s[i] == '\\' && i + 1 < len)
			i++;
		out[n++] = s[i];
	}
	out[n] = '\0';
	return n;
}

/* Writes one address (RFC 3501: "(" addr-name SP addr-adl SP
 * addr-mailbox SP addr-host ")") from s[0..len), e.g. "Terry Gray
 * <gray@cac.washington.edu>" or "imap@cac.washington.edu (IMAP WG)". */
static enum nl_status
w_address(struct nl_dbuf *out, const char *s, size_t len)
{
	char name[512], spec[512];
	size_t i, lt = len, gt = len, nn = 0, sn = 0, at;
	int q = 0, paren = 0;
	enum nl_status st;

	for (i = 0; i < len; i++) {
		if (q) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				q = 0;
		} else if (s[i] == '"') {
			q = 1;
		} else if (s[i] == '<' && lt == len) {
			lt = i;
		} else if (s[i] == '>' && lt < len && gt == len) {
			gt = i;
		}
	}
	if (lt < len) {
		size_t a = 0, b = lt, c = lt + 1;

		trim(s, &a, &b);
		nn = unquote(s + a, b - a, name, sizeof name);
		/* A source route "<@a,@b:user@host>" goes (adl is NIL). */
		if (c < gt && s[c] == '@') {
			while (c < gt && s[c] != ':')
				c++;
			c = c < gt ? c + 1 : lt + 1;
		}
		for (i = c; i < gt && sn + 1 < sizeof spec; i++)
			if (!is_wsp(s[i]))
				spec[sn++] = s[i];
	} else {
		/* addr-spec, with a comment as the name if there is one. */
		for (i = 0; i < len; i++) {
			if (s[i] == '(') {
				paren++;
				continue;
			}
			if (s[i] == ')' && paren > 0) {
				paren--;
				continue;
			}
			if (paren > 0) {
				if (nn + 1 < sizeof name)
					name[nn++] = s[i];
			} else if (!is_wsp(s[i]) && sn + 1 < sizeof spec) {
				spec[sn++] = s[i];
			}
		}
	}
	name[nn] = '\0';
	spec[sn] = '\0';
	for (at = sn; at > 0 && spec[at - 1] != '@'; at--)
		;
	if ((st = nl_dbuf_add(out, "(", 1)) != NL_OK ||
	    (st = w_nstr(out, nn > 0 ? name : NULL, nn)) != NL_OK ||
	    (st = nl_dbuf_add(out, " NIL ", 5)) != NL_OK)
		return st;
	if (at == 0) {
		/* No "@": a local name, and an empty host (a NIL host would
		 * mean a group). */
		if ((st = w_nstr(out, spec, sn)) != NL_OK ||
		    (st = nl_dbuf_add(out, " \"\")", 4)) != NL_OK)
			return st;
		return NL_OK;
	}
	if ((st = w_nstr(out, spec, at - 1)) != NL_OK ||
	    (st = nl_dbuf_add(out, " ", 1)) != NL_OK ||
	    (st = w_nstr(out, spec + at, sn - at)) != NL_OK)
		return st;
	return nl_dbuf_add(out, ")", 1);
}

/* Walks an address list (RFC 5322 3.4): addresses split on commas
 * outside quotes, comments and angle brackets; "name:" opens a group,
 * ";" closes it (RFC 3501 writes the two as (NIL NIL "name" NIL) and
 * (NIL NIL NIL NIL)). With out NULL it only counts what it would
 * write. */
static enum nl_status
w_addr_items(struct nl_dbuf *out, const char *v, size_t *count)
{
	size_t len = strlen(v), pos = 0, start = 0;
	int q = 0, paren = 0, angle = 0, group = 0;
	enum nl_status st;

	*count = 0;
	for (pos = 0; pos <= len; pos++) {
		char c = pos < len ? v[pos] : ',';
		size_t a = start, b = pos;

		if (q) {
			if (c == '\\')
				pos++;
			else if (c == '"')
				q = 0;
			continue;
		}
		if (paren) {
			if (c == '(')
				paren++;
			else if (c == ')')
				paren--;
			continue;
		}
		if (c == '"' || c == '(') {
			q = c == '"';
			paren = c == '(';
			continue;
		}
		if (c == '<')
			angle = 1;
		else if (c == '>')
			angle = 0;
		if (angle)
			continue;
		if (c == ':' && !group) {
			char name[256];
			size_t n;

			trim(v, &a, &b);
			n = unquote(v + a, b - a, name, sizeof name);
			(*count)++;
			group = 1;
			start = pos + 1;
			if (out == NULL)
				continue;
			if ((st = nl_dbuf_add(out, "(NIL NIL ", 9)) != NL_OK ||
			    (st = w_nstr(out, name, n)) != NL_OK ||
			    (st = nl_dbuf_add(out, " NIL)", 5)) != NL_OK)
				return st;
			continue;
		}
		if (c != ',' && !(c == ';' && group))
			continue;
		trim(v, &a, &b);
		if (b > a) {
			(*count)++;
			if (out != NULL && (st = w_address(out, v + a, b - a)) !=
			    NL_OK)
				return st;
		}
		if (c == ';' || (pos >= len && group)) {
			group = 0;
			(*count)++;
			if (out != NULL && (st = nl_dbuf_add(out,
			    "(NIL NIL NIL NIL)", 17)) != NL_OK)
				return st;
		}
		start = pos + 1;
	}
	return NL_OK;
}

/* An address list, or NIL when the field is missing or names no one. */
static enum nl_status
w_addr_list(struct nl_dbuf *out, const char *v, int found)
{
	size_t n;
	enum nl_status st;

	if (!found || w_addr_items(NULL, v, &n) != NL_OK || n == 0)
		return nl_dbuf_add(out, "NIL", 3);
	if ((st = nl_dbuf_add(out, "(", 1)) != NL_OK ||
	    (st = w_addr_items(out, v, &n)) != NL_OK)
		return st;
	return nl_dbuf_add(out, ")", 1);
}

enum nl_status
imap_w_envelope(struct nl_dbuf *out, const uint8_t *msg, size_t len)
{
	/* ORDER: the fields of an envelope, RFC 3501 7.4.2. */
	static const struct {
		const char *name;	/* header field */
		int addr;		/* an address list */
		int from_default;	/* missing: use From */
	} fields[] = {
		{ "Date", 0, 0 }, { "Subject", 0, 0 }, { "From", 1, 0 },
		{ "Sender", 1, 1 }, { "Reply-To", 1, 1 }, { "To", 1, 0 },
		{ "Cc", 1, 0 }, { "Bcc", 1, 0 }, { "In-Reply-To", 0, 0 },
		{ "Message-ID", 0, 0 }
	};
	char v[FIELD_MAX];
	size_t hlen, i;
	enum nl_status st;

	imap_msg_split(msg, len, &hlen);
	if ((st = nl_dbuf_add(out, "(", 1)) != NL_OK)
		return st;
	for (i = 0; i < NL_ARRAY_LEN(fields); i++) {
		int found = field(msg, hlen, fields[i].name, v, sizeof v);

		if (!found && fields[i].from_default)
			found = field(msg, hlen, "From", v, sizeof v);
		if (i > 0 && (st = nl_dbuf_add(out, " ", 1)) != NL_OK)
			return st;
		if (fields[i].addr)
			st = w_addr_list(out, v, found);
		else
			st = w_nstr(out, found ? v : NULL, strlen(v));
		if (st != NL_OK)
			return st;
	}
	return nl_dbuf_add(out, ")", 1);
}

/* ---- Reading an ENVELOPE (the client) ---------------------------------- */

/* Copies a string into out, cut to fit, control bytes as spaces. */
static void
copy_cut(const struct imap_str *s, char *out, size_t outsz)
{
	char tmp[1024];
	struct imap_str t = *s;
	size_t i;

	if (s->kind == IMAP_STR_NIL) {
		out[0] = '\0';
		return;
	}
	/* Unescape through imap_str_copy, a piece at a time when long. */
	if (t.len >= sizeof tmp)
		t.len = sizeof tmp - 1;
	if (t.kind == IMAP_STR_QUOTED && t.len > 0 && t.p[t.len - 1] == '\\')
		t.len--;	/* never cut between "\" and its byte */
	for (i = 0; i < t.len; i++)
		if (t.p[i] == '\0')
			break;
	if (i < t.len)
		t.len = i;
	if (imap_str_copy(&t, tmp, sizeof tmp) != NL_OK)
		tmp[0] = '\0';
	for (i = 0; tmp[i] != '\0' && i + 1 < outsz; i++)
		out[i] = (unsigned char)tmp[i] < 0x20 ? ' ' : tmp[i];
	out[i] = '\0';
}

/* address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")";
 * the first real one (not a group marker) goes to first. */
static enum nl_status
p_addr_list(struct imap_parser *ps, char *first, size_t firstsz)
{
	struct imap_str f[4];
	int done = 0, k;

	first[0] = '\0';
	if (imap_p_peek(ps) != '(') {
		struct imap_str nil;

		return imap_p_nstring_raw(ps, &nil) == NL_OK &&
		    nil.kind == IMAP_STR_NIL ? NL_OK : NL_EMALFORMED;
	}
	ps->pos++;
	do {
		if (imap_p_char(ps, '(') != NL_OK)
			return NL_EMALFORMED;
		for (k = 0; k < 4; k++)
			if ((k > 0 && imap_p_sp(ps) != NL_OK) ||
			    imap_p_nstring_raw(ps, &f[k]) != NL_OK)
				return NL_EMALFORMED;
		if (imap_p_char(ps, ')') != NL_OK)
			return NL_EMALFORMED;
		if (!done && f[3].kind != IMAP_STR_NIL) {
			char name[256], mbox[256], host[256];

			copy_cut(&f[0], name, sizeof name);
			copy_cut(&f[2], mbox, sizeof mbox);
			copy_cut(&f[3], host, sizeof host);
			if (name[0] != '\0')
				snprintf(first, firstsz, "%.100s <%.100s@%.50s>",
				    name, mbox, host);
			else
				snprintf(first, firstsz, "%.120s@%.120s", mbox,
				    host);
			done = 1;
		}
	} while (imap_p_peek(ps) == '(');
	return imap_p_char(ps, ')');
}

enum nl_status
imap_p_envelope(struct imap_parser *ps, struct imap_envelope *env)
{
	struct imap_str s;
	char skip[8];
	int i;

	memset(env, 0, sizeof *env);
	if (imap_p_char(ps, '(') != NL_OK ||
	    imap_p_nstring_raw(ps, &s) != NL_OK)
		return NL_EMALFORMED;
	copy_cut(&s, env->date, sizeof env->date);
	if (imap_p_sp(ps) != NL_OK || imap_p_nstring_raw(ps, &s) != NL_OK)
		return NL_EMALFORMED;
	copy_cut(&s, env->subject, sizeof env->subject);
	/* from, sender, reply-to, to, cc, bcc */
	for (i = 0; i < 6; i++) {
		char *dst = i == 0 ? env->from : i == 3 ? env->to : skip;
		size_t sz = i == 0 ? sizeof env->from : i == 3 ?
		    sizeof env->to : sizeof skip;

		if (imap_p_sp(ps) != NL_OK || p_addr_list(ps, dst, sz) != NL_OK)
			return NL_EMALFORMED;
	}
	if (imap_p_sp(ps) != NL_OK || imap_p_nstring_raw(ps, &s) != NL_OK ||
	    imap_p_sp(ps) != NL_OK || imap_p_nstring_raw(ps, &s) != NL_OK)
		return NL_EMALFORMED;
	copy_cut(&s, env->message_id, sizeof env->message_id);
	return imap_p_char(ps, ')');
}
