/* smtp_codec.c - RFC 5321 command lines, paths (4.1.2), MAIL and RCPT
 * parameters, the envelope, and reply texts with placeholders. */
#include "proto/smtp/smtp_codec.h"

#include <stdio.h>
#include <string.h>

#include "proto/line/reply.h"
#include "util/alloc.h"

/* ORDER SMTP_CMD */
static const char *const verbs[] = {
	"HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "VRFY",
	"EXPN", "HELP", "QUIT"
};

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Case-insensitive: s[0..n) equals the NUL-terminated upper-case t. */
static int
eq_word(const char *s, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] == '\0' || upper((uint8_t)s[i]) != t[i])
			return 0;
	return t[n] == '\0';
}

void
smtp_cmd_parse(const char *line, size_t len, struct smtp_cmdline *out)
{
	size_t i = 0, a;

	memset(out, 0, sizeof *out);
	out->cmd = SMTP_CMD_UNKNOWN;
	while (i < len && line[i] != ' ')
		i++;
	out->verb = line;
	out->verb_len = i;
	for (a = 0; a < sizeof verbs / sizeof verbs[0]; a++)
		if (eq_word(line, i, verbs[a]))
			out->cmd = (enum smtp_cmd)a;
	if (i < len)
		i++;
	a = len;
	while (a > i && (line[a - 1] == ' ' || line[a - 1] == '\t'))
		a--;
	out->args = line + i;
	out->args_len = a - i;
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* atext (RFC 5322 3.2.3), as 4.1.2 uses it for Atom. */
static int
is_atext(int c)
{
	return is_alpha(c) || is_digit(c) ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* Domain = sub-domain *("." sub-domain)
 * sub-domain = Let-dig [Ldh-str]; Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
 * Returns the length of the domain at s (0 if none). */
static size_t
scan_domain(const char *s, size_t n)
{
	size_t i = 0, label;

	for (;;) {
		label = i;
		if (i >= n || !(is_alpha((uint8_t)s[i]) ||
		    is_digit((uint8_t)s[i])))
			return 0;
		while (i < n && (is_alpha((uint8_t)s[i]) ||
		    is_digit((uint8_t)s[i]) || s[i] == '-'))
			i++;
		if (s[i - 1] == '-' || i - label > 63)
			return 0;
		if (i + 1 < n && s[i] == '.' && (is_alpha((uint8_t)s[i + 1]) ||
		    is_digit((uint8_t)s[i + 1]))) {
			i++;
			continue;
		}
		return i > SMTP_DOMAIN_MAX ? 0 : i;
	}
}

/* address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
 * General-address-literal ) "]"; we check the IPv4 form and take the
 * others as dcontent (%d33-90 / %d94-126). Returns its length or 0. */
static size_t
scan_literal(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 3 || s[0] != '[')
		return 0;
	if (is_digit((uint8_t)s[1])) {
		int parts = 0;

		for (;;) {
			unsigned v = 0, d = 0;

			while (i < n && is_digit((uint8_t)s[i]) && d < 4) {
				v = v * 10 + (unsigned)(s[i++] - '0');
				d++;
			}
			if (d == 0 || d > 3 || v > 255)
				return 0;
			parts++;
			if (parts == 4)
				break;
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
		return i < n && s[i] == ']' ? i + 1 : 0;
	}
	while (i < n && s[i] != ']') {
		uint8_t c = (uint8_t)s[i];

		if (c < 33 || c > 126 || c == '[' || c == '\\')
			return 0;
		i++;
	}
	return i < n && i > 1 ? i + 1 : 0;
}

int
smtp_domain_valid(const char *s, size_t n)
{
	if (n > 0 && s[0] == '[')
		return scan_literal(s, n) == n;
	return n > 0 && scan_domain(s, n) == n;
}

/* Local-part = Dot-string / Quoted-string; returns its length or 0. */
static size_t
scan_local(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 0 && s[0] == '"') {
		for (i = 1; i < n && s[i] != '"'; i++) {
			uint8_t c = (uint8_t)s[i];

			if (c == '\\') {
				/* quoted-pairSMTP = %d92 %d32-126 */
				if (++i >= n || (uint8_t)s[i] < 32 ||
				    (uint8_t)s[i] > 126)
					return 0;
			} else if (c < 32 || c > 126) {
				return 0;
			}
		}
		return i < n ? i + 1 : 0;
	}
	for (;;) {
		size_t atom = i;

		while (i < n && is_atext((uint8_t)s[i]))
			i++;
		if (i == atom)
			return 0;
		if (i < n && s[i] == '.') {
			i++;
			continue;
		}
		return i;
	}
}

int
smtp_mailbox_valid(const char *s, size_t n)
{
	size_t l = scan_local(s, n), d;

	if (l == 0 || l > SMTP_LOCAL_MAX || l >= n || s[l] != '@' ||
	    n > SMTP_ADDR_MAX)
		return 0;
	d = s[l + 1] == '[' ? scan_literal(s + l + 1, n - l - 1) :
	    scan_domain(s + l + 1, n - l - 1);
	return d > 0 && l + 1 + d == n;
}

int
smtp_is_8bit(const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] >= 0x80)
			return 1;
	return 0;
}

/* Path = "<" [ A-d-l ":" ] Mailbox ">"; Reverse-path adds "<>".
 * Parses the path at s[0..n) into out->addr and returns its length, or 0.
 * null_ok: "<>" allowed; postmaster_ok: "<Postmaster>" allowed. */
static size_t
scan_path(const char *s, size_t n, char *addr, int null_ok,
    int postmaster_ok)
{
	size_t i = 1, start, end;

	if (n < 2 || s[0] != '<')
		return 0;
	if (s[1] == '>') {
		addr[0] = '\0';
		return null_ok ? 2 : 0;
	}
	/* A-d-l = At-domain *( "," At-domain ): a source route, which
	 * 4.1.1.3 says to accept and ignore. */
	if (s[1] == '@') {
		for (;;) {
			size_t d = scan_domain(s + i + 1, n - i - 1);

			if (s[i] != '@' || d == 0)
				return 0;
			i += 1 + d;
			if (i < n && s[i] == ',') {
				i++;
				continue;
			}
			if (i >= n || s[i] != ':')
				return 0;
			i++;
			break;
		}
	}
	start = i;
	end = start;
	while (end < n && s[end] != '>') {
		if (s[end] == '"') {
			/* Quoted local part may hold ">": skip it whole. */
			size_t q = scan_local(s + end, n - end);

			if (q == 0)
				return 0;
			end += q;
		} else {
			end++;
		}
	}
	if (end >= n || end - start > SMTP_ADDR_MAX)
		return 0;
	if (!smtp_mailbox_valid(s + start, end - start) &&
	    !(postmaster_ok && eq_word(s + start, end - start, "POSTMASTER")))
		return 0;
	memcpy(addr, s + start, end - start);
	addr[end - start] = '\0';
	return end + 1;
}

/* Parses "KEY:" then the path then the parameters. */
static enum nl_status
path_args(const char *args, size_t len, const char *key,
    struct smtp_path_args *out, int is_mail)
{
	size_t k = strlen(key), i, p;

	memset(out, 0, sizeof *out);
	if (len < k || !eq_word(args, k, key))
		return NL_EMALFORMED;
	i = k;
	if (i < len && args[i] == ' ')
		i++;	/* "MAIL FROM: <a>": the textbook's space */
	p = scan_path(args + i, len - i, out->addr, is_mail, !is_mail);
	if (p == 0)
		goto bad;
	i += p;
	/* Mail-parameters = esmtp-param *(SP esmtp-param)
	 * esmtp-param = esmtp-keyword ["=" esmtp-value] */
	while (i < len) {
		size_t kw, kwn, val = 0, valn = 0;

		if (args[i] != ' ')
			goto bad;
		while (i < len && args[i] == ' ')
			i++;
		if (i == len)
			break;
		kw = i;
		while (i < len && (is_alpha((uint8_t)args[i]) ||
		    is_digit((uint8_t)args[i]) || args[i] == '-'))
			i++;
		kwn = i - kw;
		if (kwn == 0 || !(is_alpha((uint8_t)args[kw]) ||
		    is_digit((uint8_t)args[kw])))
			goto bad;
		if (i < len && args[i] == '=') {
			val = ++i;
			/* esmtp-value = 1*(%d33-60 / %d62-126) */
			while (i < len && (uint8_t)args[i] >= 33 &&
			    (uint8_t)args[i] <= 126 && args[i] != '=')
				i++;
			valn = i - val;
			if (valn == 0)
				goto bad;
		}
		out->has_params = 1;
		if (is_mail && eq_word(args + kw, kwn, "SIZE") && valn > 0) {
			uint64_t v = 0;
			size_t d;

			if (valn > 19)
				goto bad;
			for (d = 0; d < valn; d++) {
				if (!is_digit((uint8_t)args[val + d]))
					goto bad;
				v = v * 10 + (uint64_t)(args[val + d] - '0');
			}
			out->size = v;
		} else if (is_mail && eq_word(args + kw, kwn, "BODY") &&
		    valn > 0) {
			if (eq_word(args + val, valn, "7BIT"))
				out->body = SMTP_BODY_7BIT;
			else if (eq_word(args + val, valn, "8BITMIME"))
				out->body = SMTP_BODY_8BITMIME;
			else
				goto bad;
		} else {
			memset(out, 0, sizeof *out);
			return NL_EUNSUPPORTED;
		}
	}
	return NL_OK;
bad:
	memset(out, 0, sizeof *out);
	return NL_EMALFORMED;
}

enum nl_status
smtp_mail_parse(const char *args, size_t len, struct smtp_path_args *out)
{
	return path_args(args, len, "FROM:", out, 1);
}

enum nl_status
smtp_rcpt_parse(const char *args, size_t len, struct smtp_path_args *out)
{
	return path_args(args, len, "TO:", out, 0);
}

void
smtp_env_init(struct smtp_envelope *e)
{
	memset(e, 0, sizeof *e);
}

void
smtp_env_clear(struct smtp_envelope *e)
{
	size_t i;

	nl_free(e->helo);
	nl_free(e->from);
	for (i = 0; i < e->nrcpt; i++)
		nl_free(e->rcpt[i]);
	nl_free(e->rcpt);
	memset(e, 0, sizeof *e);
}

/* Replaces *slot with a copy of s. */
static enum nl_status
set_str(char **slot, const char *s)
{
	char *c = nl_strdup(s ? s : "");

	if (c == NULL)
		return NL_ENOMEM;
	nl_free(*slot);
	*slot = c;
	return NL_OK;
}

enum nl_status
smtp_env_set_from(struct smtp_envelope *e, const char *from)
{
	return set_str(&e->from, from);
}

enum nl_status
smtp_env_set_helo(struct smtp_envelope *e, const char *helo)
{
	return set_str(&e->helo, helo);
}

enum nl_status
smtp_env_add_rcpt(struct smtp_envelope *e, const char *rcpt)
{
	char **nr, *c = nl_strdup(rcpt ? rcpt : "");

	if (c == NULL)
		return NL_ENOMEM;
	nr = nl_realloc(e->rcpt, (e->nrcpt + 1) * sizeof *nr);
	if (nr == NULL) {
		nl_free(c);
		return NL_ENOMEM;
	}
	e->rcpt = nr;
	e->rcpt[e->nrcpt++] = c;
	return NL_OK;
}

enum nl_status
smtp_env_copy(struct smtp_envelope *dst, const struct smtp_envelope *src)
{
	enum nl_status st = NL_OK;
	size_t i;

	smtp_env_init(dst);
	dst->esmtp = src->esmtp;
	dst->size = src->size;
	dst->body = src->body;
	if (src->helo != NULL)
		st = smtp_env_set_helo(dst, src->helo);
	if (st == NL_OK && src->from != NULL)
		st = smtp_env_set_from(dst, src->from);
	for (i = 0; i < src->nrcpt && st == NL_OK; i++)
		st = smtp_env_add_rcpt(dst, src->rcpt[i]);
	if (st != NL_OK)
		smtp_env_clear(dst);
	return st;
}

/* Appends value v to out, control characters as "?", counting *col and
 * stopping at REPLY_TEXT_MAX. */
static enum nl_status
put_value(struct nl_dbuf *out, const char *v, size_t *col)
{
	enum nl_status st = NL_OK;

	for (; v != NULL && *v != '\0' && st == NL_OK; v++) {
		uint8_t c = (uint8_t)*v;

		if (*col >= REPLY_TEXT_MAX)
			break;
		st = nl_dbuf_add_u8(out, c < 0x20 || c == 0x7f ? '?' : c);
		(*col)++;
	}
	return st;
}

enum nl_status
smtp_text_expand(struct nl_dbuf *out, const char *fmt,
    const struct smtp_vars *v)
{
	size_t col = 0;
	enum nl_status st = NL_OK;
	const char *p;
	char num[24];

	for (p = fmt; *p != '\0' && st == NL_OK; p++) {
		if (*p == '\n') {
			st = nl_dbuf_add_u8(out, '\n');
			col = 0;
			continue;
		}
		if (*p == '%' && p[1] != '\0' && strchr("dcaqs%", p[1])) {
			p++;
			switch (*p) {
			case 'd': st = put_value(out, v->domain, &col); break;
			case 'c': st = put_value(out, v->client, &col); break;
			case 'a': st = put_value(out, v->addr, &col); break;
			case 'q': st = put_value(out, v->qid, &col); break;
			case 's':
				snprintf(num, sizeof num, "%llu",
				    (unsigned long long)v->size);
				st = put_value(out, num, &col);
				break;
			default: st = put_value(out, "%", &col); break;
			}
			continue;
		}
		if (col < REPLY_TEXT_MAX) {
			uint8_t c = (uint8_t)*p;

			st = nl_dbuf_add_u8(out, (c < 0x20 && c != '\t') ||
			    c == 0x7f ? '?' : c);
			col++;
		}
	}
	return st;
}
