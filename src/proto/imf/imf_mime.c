/* imf_mime.c - MIME helpers: base64 (RFC 2045 6.8), quoted-printable
 * (6.7), 7bit data (2.7), parameters of structured fields (5.1),
 * multipart bodies (RFC 2046 5.1.1) and decoding an entity's body. */
#include <string.h>

#include "proto/imf/imf.h"
#include "proto/imf/imf_int.h"
#include "util/alloc.h"

static const char b64_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
imf_eq_nocase(const char *s, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int a = (uint8_t)s[i], b = (uint8_t)t[i];

		if (b == '\0')
			return 0;
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return 0;
	}
	return t[n] == '\0';
}

int
imf_contains(const uint8_t *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	if (s == NULL || k == 0 || k > n)
		return 0;
	for (i = 0; i + k <= n; i++)
		if (s[i] == (uint8_t)needle[0] && memcmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

/* bchars := bcharsnospace / " "
 * bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," /
 *                  "-" / "." / "/" / ":" / "=" / "?"      (RFC 2046 5.1.1) */
int
imf_bchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' && strchr("'()+_,-./:=? ",
	    c) != NULL);
}

enum nl_status
imf_put_crlf(struct nl_dbuf *out, const void *data, size_t len,
    int add_final)
{
	const uint8_t *p = data, *end, *lf;
	enum nl_status st = NL_OK;

	if (len == 0)
		return NL_OK;
	end = p + len;
	while (p < end && st == NL_OK) {
		size_t n;

		lf = memchr(p, '\n', (size_t)(end - p));
		if (lf == NULL) {
			st = nl_dbuf_add(out, p, (size_t)(end - p));
			if (st == NL_OK && add_final)
				st = nl_dbuf_add(out, "\r\n", 2);
			break;
		}
		n = (size_t)(lf - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		st = nl_dbuf_add(out, p, n);
		if (st == NL_OK)
			st = nl_dbuf_add(out, "\r\n", 2);
		p = lf + 1;
	}
	return st;
}

enum nl_status
imf_base64_encode(struct nl_dbuf *out, const void *data, size_t len)
{
	const uint8_t *s = data;
	char line[IMF_B64_LINE + 2];
	size_t i, col = 0;
	enum nl_status st = NL_OK;

	for (i = 0; i < len && st == NL_OK; i += 3) {
		uint32_t q = (uint32_t)s[i] << 16;

		if (i + 1 < len)
			q |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < len)
			q |= s[i + 2];
		line[col++] = b64_alpha[q >> 18 & 63];
		line[col++] = b64_alpha[q >> 12 & 63];
		line[col++] = i + 1 < len ? b64_alpha[q >> 6 & 63] : '=';
		line[col++] = i + 2 < len ? b64_alpha[q & 63] : '=';
		if (col == IMF_B64_LINE || i + 3 >= len) {
			line[col++] = '\r';
			line[col++] = '\n';
			st = nl_dbuf_add(out, line, col);
			col = 0;
		}
	}
	return st;
}

static int
b64_value(int c)
{
	const char *p;

	if (c == '\0' || c == '=')
		return -1;
	p = strchr(b64_alpha, c);
	return p ? (int)(p - b64_alpha) : -1;
}

enum nl_status
imf_base64_decode(struct nl_dbuf *out, const char *text, size_t len,
    size_t *bad_at)
{
	uint32_t q = 0;
	size_t i, qn = 0, pad = 0;
	int ended = 0;
	enum nl_status st;

	if (bad_at != NULL)
		*bad_at = 0;
	for (i = 0; i < len; i++) {
		int c = (uint8_t)text[i], v;

		if (c == '\r' || c == '\n' || c == ' ' || c == '\t')
			continue;
		if (ended)
			goto bad;	/* data after the padded last quantum */
		if (c == '=') {
			/* "xx==" or "xxx=": padding ends the data. */
			if (qn < 2)
				goto bad;
			if (qn + ++pad == 4) {
				uint32_t w = q << (6 * pad);
				uint8_t b[2] = { (uint8_t)(w >> 16),
					(uint8_t)(w >> 8) };

				st = nl_dbuf_add(out, b, qn - 1);
				if (st != NL_OK)
					return st;
				ended = 1;
			}
			continue;
		}
		v = b64_value(c);
		if (v < 0 || pad > 0)
			goto bad;
		q = q << 6 | (uint32_t)v;
		if (++qn == 4) {
			uint8_t b[3] = { (uint8_t)(q >> 16), (uint8_t)(q >> 8),
				(uint8_t)q };

			st = nl_dbuf_add(out, b, 3);
			if (st != NL_OK)
				return st;
			qn = 0;
			q = 0;
		}
	}
	if (ended || (qn == 0 && pad == 0))
		return NL_OK;
	i = len;
bad:
	if (bad_at != NULL)
		*bad_at = i;
	return NL_EMALFORMED;
}

static const char hex_upper[] = "0123456789ABCDEF";

/* Appends one line of quoted-printable (content without its line end),
 * with soft line breaks so that no line passes IMF_QP_LINE. */
static enum nl_status
qp_line(struct nl_dbuf *out, const uint8_t *s, size_t n)
{
	size_t i, col = 0;
	enum nl_status st = NL_OK;

	for (i = 0; i < n && st == NL_OK; i++) {
		char tok[3];
		size_t tn = 1;
		int c = s[i];

		/* Rule 2: 33..60 and 62..126 as they are; rule 3: SP and HT
		 * too, but not at the end of a line; rule 1: the rest. */
		if ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && i + 1 < n)) {
			tok[0] = (char)c;
		} else {
			tok[0] = '=';
			tok[1] = hex_upper[c >> 4];
			tok[2] = hex_upper[c & 15];
			tn = 3;
		}
		/* Rule 5: a soft break "=" keeps lines within 76; the last
		 * token of the line needs no room for one. */
		if (col + tn > IMF_QP_LINE - 1 &&
		    !(i + 1 == n && col + tn <= IMF_QP_LINE)) {
			st = nl_dbuf_add(out, "=\r\n", 3);
			col = 0;
		}
		if (st == NL_OK)
			st = nl_dbuf_add(out, tok, tn);
		col += tn;
	}
	return st;
}

enum nl_status
imf_qp_encode(struct nl_dbuf *out, const void *data, size_t len)
{
	const uint8_t *p = data, *end, *lf;
	enum nl_status st = NL_OK;

	if (len == 0)
		return NL_OK;
	end = p + len;
	while (p < end && st == NL_OK) {
		size_t n;

		lf = memchr(p, '\n', (size_t)(end - p));
		n = lf ? (size_t)(lf - p) : (size_t)(end - p);
		if (lf != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		st = qp_line(out, p, n);
		if (st == NL_OK && lf != NULL)
			st = nl_dbuf_add(out, "\r\n", 2);
		if (lf == NULL)
			break;
		p = lf + 1;
	}
	return st;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

enum nl_status
imf_qp_decode(struct nl_dbuf *out, const char *text, size_t len,
    size_t *bad_at)
{
	const char *p = text, *end, *lf;
	enum nl_status st = NL_OK;

	if (bad_at != NULL)
		*bad_at = 0;
	if (len == 0)
		return NL_OK;
	end = text + len;
	while (p < end && st == NL_OK) {
		size_t n, i;
		int soft = 0;

		lf = memchr(p, '\n', (size_t)(end - p));
		n = lf ? (size_t)(lf - p) : (size_t)(end - p);
		if (lf != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		/* Rule 3: trailing whitespace was added in transit. */
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n > 0 && p[n - 1] == '=') {
			soft = 1;
			n--;
		}
		for (i = 0; i < n && st == NL_OK; i++) {
			uint8_t b = (uint8_t)p[i];

			if (b == '=') {
				int hi = i + 2 < n ? hex_value(p[i + 1]) : -1;
				int lo = i + 2 < n ? hex_value(p[i + 2]) : -1;

				if (hi < 0 || lo < 0) {
					if (bad_at != NULL)
						*bad_at = (size_t)(p - text) + i;
					return NL_EMALFORMED;
				}
				b = (uint8_t)(hi << 4 | lo);
				i += 2;
			}
			st = nl_dbuf_add_u8(out, b);
		}
		if (st == NL_OK && lf != NULL && !soft)
			st = nl_dbuf_add(out, "\r\n", 2);
		if (lf == NULL)
			break;
		p = lf + 1;
	}
	return st;
}

int
imf_is_7bit(const void *data, size_t len, size_t *bad_at)
{
	const uint8_t *s = data;
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		uint8_t c = s[i];

		if (c == '\r') {
			if (i + 1 >= len || s[i + 1] != '\n')
				goto bad;
			i++;
			col = 0;
			continue;
		}
		if (c == 0 || c >= 0x80 || c == '\n' || ++col > IMF_LINE_MAX)
			goto bad;
	}
	return 1;
bad:
	if (bad_at != NULL)
		*bad_at = i;
	return 0;
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* tspecials (RFC 2045 5.1) end a token. */
static int
is_tspecial(int c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

/* Skips whitespace and (comments); returns the new position. */
static size_t
skip_cfws(const char *v, size_t len, size_t i)
{
	while (i < len) {
		if (is_ws((uint8_t)v[i])) {
			i++;
		} else if (v[i] == '(') {
			int depth = 0;

			for (; i < len; i++) {
				if (v[i] == '\\' && i + 1 < len)
					i++;
				else if (v[i] == '(')
					depth++;
				else if (v[i] == ')' && --depth == 0)
					break;
			}
			if (i < len)
				i++;
		} else {
			break;
		}
	}
	return i;
}

/* parameter := attribute "=" value; value := token / quoted-string */
enum nl_status
imf_param_get(const char *v, size_t len, const char *name,
    struct nl_dbuf *out)
{
	size_t i = 0;

	/* Skip the type/subtype (or disposition) up to the first ";". */
	while (i < len && v[i] != ';' && v[i] != '"')
		i++;
	while (i < len) {
		size_t a, an, vs;
		int match;

		if (v[i] != ';')
			return NL_EMALFORMED;
		i = skip_cfws(v, len, i + 1);
		if (i == len)
			break;	/* a trailing ";" */
		a = i;
		while (i < len && !is_ws((uint8_t)v[i]) &&
		    !is_tspecial((uint8_t)v[i]))
			i++;
		an = i - a;
		i = skip_cfws(v, len, i);
		if (an == 0 || i == len || v[i] != '=')
			return NL_EMALFORMED;
		i = skip_cfws(v, len, i + 1);
		match = imf_eq_nocase(v + a, an, name);
		if (i < len && v[i] == '"') {
			enum nl_status st = NL_OK;

			for (i++; i < len && v[i] != '"'; i++) {
				if (v[i] == '\\' && i + 1 < len)
					i++;
				if (match)
					st = nl_dbuf_add_u8(out, (uint8_t)v[i]);
				if (st != NL_OK)
					return st;
			}
			if (i == len)
				return NL_EMALFORMED;
			i++;
			if (match)
				return out->data == NULL ?
				    nl_dbuf_add(out, "", 0) : NL_OK;
		} else {
			vs = i;
			while (i < len && !is_ws((uint8_t)v[i]) &&
			    !is_tspecial((uint8_t)v[i]))
				i++;
			if (i == vs)
				return NL_EMALFORMED;
			if (match)
				return nl_dbuf_add(out, v + vs, i - vs);
		}
		i = skip_cfws(v, len, i);
	}
	return NL_ENOTFOUND;
}

enum nl_status
imf_mime_type(const char *v, size_t len, char *buf, size_t n)
{
	size_t i = skip_cfws(v, len, 0), k = 0;
	int slash = 0;

	if (n > 0)
		buf[0] = '\0';
	for (; i < len && !is_ws((uint8_t)v[i]) && v[i] != ';' &&
	    v[i] != '('; i++) {
		char c = v[i];

		if (c == '/')
			slash++;
		else if (is_tspecial((uint8_t)c) || (uint8_t)c < 33 ||
		    (uint8_t)c > 126)
			return NL_EMALFORMED;
		if (k + 1 >= n)
			return NL_ELIMIT;
		buf[k++] = c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
	}
	if (n > 0)
		buf[k] = '\0';
	if (slash != 1 || buf[0] == '/' || buf[k - 1] == '/') {
		if (n > 0)
			buf[0] = '\0';
		return NL_EMALFORMED;
	}
	return NL_OK;
}

/* If line l[0..n) is "--boundary" (or "--boundary--") followed only by
 * whitespace (transport padding), returns 1 (2 for the close one). */
static int
delimiter(const uint8_t *l, size_t n, const char *b, size_t bl)
{
	size_t i;
	int kind = 1;

	if (n < bl + 2 || l[0] != '-' || l[1] != '-' ||
	    memcmp(l + 2, b, bl) != 0)
		return 0;
	i = bl + 2;
	if (n >= i + 2 && l[i] == '-' && l[i + 1] == '-') {
		kind = 2;
		i += 2;
	}
	for (; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t')
			return 0;
	return kind;
}

enum nl_status
imf_multipart_split(const uint8_t *body, size_t len, const char *boundary,
    struct imf_part *parts, size_t max, size_t *n)
{
	size_t pos = 0, bl = boundary ? strlen(boundary) : 0, start = 0;
	int in_part = 0;

	*n = 0;
	if (bl == 0 || bl > IMF_BOUNDARY_MAX ||
	    strpbrk(boundary, "\r\n") != NULL)
		return NL_EINVAL;
	while (pos < len) {
		const uint8_t *lf = memchr(body + pos, '\n', len - pos);
		size_t eol = lf ? (size_t)(lf - body) : len, ll = eol - pos;
		int kind;

		if (lf != NULL && ll > 0 && body[eol - 1] == '\r')
			ll--;
		kind = delimiter(body + pos, ll, boundary, bl);
		if (kind != 0) {
			if (in_part) {
				/* The line end before "--" is the
				 * delimiter's, not the part's. */
				size_t end = pos;

				if (end > start && body[end - 1] == '\n')
					end--;
				if (end > start && body[end - 1] == '\r')
					end--;
				if (*n == max) {
					*n = 0;
					return NL_ELIMIT;
				}
				parts[*n].off = start;
				parts[*n].len = end - start;
				(*n)++;
			}
			if (kind == 2) {
				if (*n == 0)
					break;
				return NL_OK;
			}
			in_part = 1;
			start = lf ? eol + 1 : len;
		}
		pos = lf ? eol + 1 : len;
	}
	*n = 0;
	return NL_EMALFORMED;
}

enum nl_status
imf_entity_decode(const uint8_t *ent, size_t len, struct nl_dbuf *out)
{
	struct imf_view v;
	struct nl_dbuf cte;
	const struct imf_field *f;
	const char *body;
	enum nl_status st;

	st = imf_view_parse(ent, len, &v);
	if (st != NL_OK)
		return st;
	nl_dbuf_init(&cte, 1024);
	body = v.body_len > 0 ? (const char *)ent + v.body_off : "";
	f = imf_view_find(&v, ent, "Content-Transfer-Encoding", 0);
	if (f != NULL)
		st = imf_field_value(ent, f, &cte);
	if (st != NL_OK)
		goto done;
	if (f == NULL || cte.len == 0 ||
	    imf_eq_nocase((const char *)cte.data, cte.len, "7bit") ||
	    imf_eq_nocase((const char *)cte.data, cte.len, "8bit") ||
	    imf_eq_nocase((const char *)cte.data, cte.len, "binary"))
		st = v.body_len > 0 ? nl_dbuf_add(out, body, v.body_len) :
		    NL_OK;
	else if (imf_eq_nocase((const char *)cte.data, cte.len, "base64"))
		st = imf_base64_decode(out, body, v.body_len, NULL);
	else if (imf_eq_nocase((const char *)cte.data, cte.len,
	    "quoted-printable"))
		st = imf_qp_decode(out, body, v.body_len, NULL);
	else
		st = NL_EUNSUPPORTED;
done:
	nl_dbuf_free(&cte);
	imf_view_free(&v);
	return st;
}
