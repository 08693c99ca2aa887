/* imf_write.c - building RFC 5322 messages: the 3.3 date, header fields
 * folded at 78 (2.2.3), RFC 2047 encoded-words for unstructured text, the
 * RFC 5321 4.4 Received: line, and MIME bodies (RFC 2045, RFC 2046
 * multipart/mixed and message/rfc822). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "proto/imf/imf.h"
#include "proto/imf/imf_int.h"
#include "util/alloc.h"

/* Unix time range of years 1900..9999, with a day to spare each side so
 * that any zone offset stays inside int64 arithmetic. */
#define T_MIN (-2208988800LL - 86400)
#define T_MAX (253402300799LL + 86400)

/* Days since 1970-01-01 to a proleptic Gregorian date (the well-known
 * era/day-of-era decomposition: 400-year eras of 146097 days). */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

/* date-time = [ day-of-week "," ] date time [CFWS]
 * date = day month year; time = time-of-day zone (RFC 5322 3.3) */
enum nl_status
imf_date_format(int64_t t, int zone_min, char *buf)
{
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed",
		"Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t local, days, secs, y;
	int m, d, az;
	char tmp[128];	/* room for any int the compiler can imagine */

	buf[0] = '\0';
	if (t < T_MIN || t > T_MAX || zone_min <= -24 * 60 ||
	    zone_min >= 24 * 60)
		return NL_EINVAL;
	local = t + (int64_t)zone_min * 60;
	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	civil_from_days(days, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return NL_EINVAL;
	az = zone_min < 0 ? -zone_min : zone_min;
	snprintf(tmp, sizeof tmp, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
	    wday[((days % 7) + 11) % 7], d, mon[m - 1], (int)y,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
	    zone_min < 0 ? '-' : '+', az / 60, az % 60);
	tmp[IMF_DATE_MAX - 1] = '\0';	/* 31 characters at most */
	memcpy(buf, tmp, strlen(tmp) + 1);
	return NL_OK;
}

/* ftext = %d33-57 / %d59-126 (RFC 5322 3.6.8) */
static int
name_ok(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++)
		if ((uint8_t)*p < 33 || (uint8_t)*p > 126 || *p == ':')
			return 0;
	return 1;
}

/* A value fit for one unfolded field: no CR, LF or NUL. */
static int
value_ok(const char *v)
{
	return v != NULL && strpbrk(v, "\r\n") == NULL;
}

static int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

/* Where to fold line [start, ...) of s[0..n): the last WSP at most
 * IMF_FOLD_AT past start, else the first one after; never inside the
 * name (p > min), never leaving a line of whitespace only (RFC 5322
 * 3.2.2): the line must hold a non-WSP byte, and so must the rest (p <
 * last, the last non-WSP byte). n if the rest fits or cannot fold. */
static size_t
fold_point(const char *s, size_t n, size_t start, size_t min, size_t last)
{
	size_t p, best = n, seen = 0;

	if (n - start <= IMF_FOLD_AT)
		return n;
	for (p = start + 1; p < n && p < last; p++) {
		if (!is_wsp(s[p - 1]))
			seen = 1;
		if (!is_wsp(s[p]) || p <= min || !seen)
			continue;
		if (p - start <= IMF_FOLD_AT)
			best = p;
		else if (best == n)
			return p;
		else
			break;
	}
	return best;
}

enum nl_status
imf_header_write(struct nl_dbuf *out, const char *name, const char *value)
{
	struct nl_dbuf line, tmp;
	size_t start = 0, p, min, last;
	enum nl_status st;

	if (!name_ok(name) || !value_ok(value))
		return NL_EINVAL;
	nl_dbuf_init(&line, IMF_MSG_MAX);
	nl_dbuf_init(&tmp, IMF_MSG_MAX);
	st = nl_dbuf_add_str(&line, name);
	if (st == NL_OK)
		st = nl_dbuf_add(&line, ": ", 2);
	if (st == NL_OK)
		st = nl_dbuf_add_str(&line, value);
	if (st != NL_OK)
		goto done;
	min = strlen(name) + 1;
	for (last = line.len; last > 0 && is_wsp(line.data[last - 1]); last--)
		;
	while (start < line.len) {
		p = fold_point((const char *)line.data, line.len, start, min,
		    last);
		if (p - start > IMF_LINE_MAX) {
			st = NL_ELIMIT;
			goto done;
		}
		st = nl_dbuf_add(&tmp, line.data + start, p - start);
		if (st == NL_OK)
			st = nl_dbuf_add(&tmp, "\r\n", 2);
		if (st != NL_OK)
			goto done;
		start = p;
	}
	st = nl_dbuf_add(out, tmp.data, tmp.len);
done:
	nl_dbuf_free(&line);
	nl_dbuf_free(&tmp);
	return st;
}

/* RFC 2047 2: an encoded-word is at most 75 characters. 36 bytes give 48
 * base64 characters, a 60-character word: "Subject: " and one word stay
 * within IMF_FOLD_AT. */
#define EW_BYTES 36

enum nl_status
imf_header_write_text(struct nl_dbuf *out, const char *name,
    const char *value)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct nl_dbuf v;
	const uint8_t *s;
	size_t n, i, take;
	enum nl_status st = NL_OK;
	int high = 0;

	if (!value_ok(value))
		return NL_EINVAL;
	for (s = (const uint8_t *)value; *s != '\0'; s++)
		if (*s >= 0x80)
			high = 1;
	if (!high)
		return imf_header_write(out, name, value);
	s = (const uint8_t *)value;
	n = strlen(value);
	nl_dbuf_init(&v, IMF_MSG_MAX);
	for (i = 0; i < n && st == NL_OK; i += take) {
		size_t k;

		take = n - i < EW_BYTES ? n - i : EW_BYTES;
		/* Whole characters only (RFC 2047 5): never split a UTF-8
		 * sequence, so back off over continuation bytes. */
		while (take > 1 && i + take < n && (s[i + take] & 0xc0) == 0x80)
			take--;
		st = nl_dbuf_add_str(&v, i == 0 ? "=?UTF-8?B?" : " =?UTF-8?B?");
		for (k = 0; k < take && st == NL_OK; k += 3) {
			uint32_t q = (uint32_t)s[i + k] << 16;
			char c[4];

			if (k + 1 < take)
				q |= (uint32_t)s[i + k + 1] << 8;
			if (k + 2 < take)
				q |= s[i + k + 2];
			c[0] = b64[q >> 18 & 63];
			c[1] = b64[q >> 12 & 63];
			c[2] = k + 1 < take ? b64[q >> 6 & 63] : '=';
			c[3] = k + 2 < take ? b64[q & 63] : '=';
			st = nl_dbuf_add(&v, c, 4);
		}
		if (st == NL_OK)
			st = nl_dbuf_add(&v, "?=", 2);
	}
	if (st == NL_OK)
		st = imf_header_write(out, name, (const char *)v.data);
	nl_dbuf_free(&v);
	return st;
}

/* A part of a Received: field: printable, no whitespace inside. */
static int
token_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((uint8_t)*s <= ' ' || (uint8_t)*s == 0x7f)
			return 0;
	return 1;
}

/* Appends clause c to the field in f, folding before it when the line
 * would pass IMF_FOLD_AT; *col is the current line's length. */
static enum nl_status
put_clause(struct nl_dbuf *f, size_t *col, const char *c)
{
	size_t n = strlen(c);
	enum nl_status st;

	if (*col + 1 + n > IMF_FOLD_AT) {
		st = nl_dbuf_add(f, "\r\n ", 3);
		*col = 1 + n;
	} else {
		st = nl_dbuf_add(f, " ", 1);
		*col += 1 + n;
	}
	return st == NL_OK ? nl_dbuf_add(f, c, n) : st;
}

/* Time-stamp-line = "Received:" FWS Stamp CRLF
 * Stamp = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
 * From-domain = "FROM" FWS Extended-Domain
 * Extended-Domain = Domain / ( Domain FWS "(" TCP-info ")" ) / ...
 * TCP-info = address-literal / ( Domain FWS address-literal )
 * Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
 *                                                 (RFC 5321 4.4) */
enum nl_status
imf_received_write(struct nl_dbuf *out, const struct imf_received *r)
{
	char date[IMF_DATE_MAX], c[1100];
	struct nl_dbuf f;
	size_t col = strlen("Received:");
	enum nl_status st;
	const char *last;

	if (!token_ok(r->helo) || !token_ok(r->by) ||
	    (r->rdns != NULL && !token_ok(r->rdns)) ||
	    (r->ip != NULL && !token_ok(r->ip)) ||
	    (r->with != NULL && !token_ok(r->with)) ||
	    (r->id != NULL && !token_ok(r->id)) ||
	    (r->for_addr != NULL && !token_ok(r->for_addr)) ||
	    strlen(r->helo) + strlen(r->by) > 600 ||
	    imf_date_format(r->time, r->zone_min, date) != NL_OK)
		return NL_EINVAL;
	/* The clause just before the date carries the ";". */
	last = r->for_addr ? "for" : r->id ? "id" : r->with ? "with" : "by";
	nl_dbuf_init(&f, 4096);
	st = nl_dbuf_add_str(&f, "Received:");
	if (r->rdns != NULL || r->ip != NULL)
		snprintf(c, sizeof c, "from %.255s (%.255s%s%s%.64s%s)",
		    r->helo, r->rdns ? r->rdns : "",
		    r->rdns && r->ip ? " " : "", r->ip ? "[" : "",
		    r->ip ? r->ip : "", r->ip ? "]" : "");
	else
		snprintf(c, sizeof c, "from %.255s", r->helo);
	if (st == NL_OK)
		st = put_clause(&f, &col, c);
	snprintf(c, sizeof c, "by %.255s%s", r->by,
	    strcmp(last, "by") == 0 ? ";" : "");
	if (st == NL_OK)
		st = put_clause(&f, &col, c);
	if (r->with != NULL && st == NL_OK) {
		snprintf(c, sizeof c, "with %.64s%s", r->with,
		    strcmp(last, "with") == 0 ? ";" : "");
		st = put_clause(&f, &col, c);
	}
	if (r->id != NULL && st == NL_OK) {
		snprintf(c, sizeof c, "id %.255s%s", r->id,
		    strcmp(last, "id") == 0 ? ";" : "");
		st = put_clause(&f, &col, c);
	}
	if (r->for_addr != NULL && st == NL_OK) {
		snprintf(c, sizeof c, "for <%.256s>;", r->for_addr);
		st = put_clause(&f, &col, c);
	}
	if (st == NL_OK)
		st = put_clause(&f, &col, date);
	if (st == NL_OK)
		st = nl_dbuf_add(&f, "\r\n", 2);
	if (st == NL_OK)
		st = nl_dbuf_add(out, f.data, f.len);
	nl_dbuf_free(&f);
	return st;
}

enum nl_status
imf_msgid_make(struct nl_dbuf *out, int64_t t, uint64_t seq,
    const char *domain)
{
	if (!token_ok(domain) || strchr(domain, '>') != NULL)
		return NL_EINVAL;
	return nl_dbuf_addf(out, "<%" PRIu64 ".%" PRId64 "@%.255s>", seq, t,
	    domain);
}

/* Appends a quoted-string (RFC 5322 3.2.4) holding s. */
static enum nl_status
put_quoted(struct nl_dbuf *out, const char *s)
{
	enum nl_status st = nl_dbuf_add_u8(out, '"');

	for (; *s != '\0' && st == NL_OK; s++) {
		if (*s == '"' || *s == '\\')
			st = nl_dbuf_add_u8(out, '\\');
		if (st == NL_OK)
			st = nl_dbuf_add_u8(out, (uint8_t)*s);
	}
	return st == NL_OK ? nl_dbuf_add_u8(out, '"') : st;
}

/* A "type/subtype" token pair without spaces, quotes or ";". */
static int
type_ok(const char *t)
{
	const char *slash;

	if (t == NULL || !token_ok(t) || strpbrk(t, "\";()<>@,:\\[]?=") != NULL)
		return 0;
	slash = strchr(t, '/');
	return slash != NULL && slash != t && slash[1] != '\0' &&
	    strchr(slash + 1, '/') == NULL;
}

/* The fields and content of one attachment part. */
static enum nl_status
put_attachment(struct nl_dbuf *b, const struct imf_attachment *a)
{
	struct nl_dbuf v;
	enum nl_status st;
	const char *type = a->type ? a->type : "application/octet-stream";

	if (!type_ok(type) || (a->filename && !value_ok(a->filename)) ||
	    (a->data == NULL && a->len > 0))
		return NL_EINVAL;
	nl_dbuf_init(&v, 4096);
	st = nl_dbuf_add_str(&v, type);
	if (a->filename != NULL && st == NL_OK) {
		st = nl_dbuf_add_str(&v, "; name=");
		if (st == NL_OK)
			st = put_quoted(&v, a->filename);
	}
	if (st == NL_OK)
		st = imf_header_write(b, "Content-Type", (const char *)v.data);
	nl_dbuf_reset(&v);
	if (st == NL_OK)
		st = nl_dbuf_add_str(&v, "attachment");
	if (a->filename != NULL && st == NL_OK) {
		st = nl_dbuf_add_str(&v, "; filename=");
		if (st == NL_OK)
			st = put_quoted(&v, a->filename);
	}
	if (st == NL_OK)
		st = imf_header_write(b, "Content-Disposition",
		    (const char *)v.data);
	nl_dbuf_free(&v);
	if (st == NL_OK)
		st = nl_dbuf_add_str(b,
		    "Content-Transfer-Encoding: base64\r\n\r\n");
	if (st == NL_OK)
		st = imf_base64_encode(b, a->data, a->len);
	return st;
}

/* The text body and its encoding: 7bit when 7-bit clean, else UTF-8
 * quoted-printable. text is the body with CRLF line ends. */
static enum nl_status
put_text_part(struct nl_dbuf *b, const struct nl_dbuf *text, int seven,
    int fields)
{
	enum nl_status st = NL_OK;

	if (fields)
		st = nl_dbuf_add_str(b, seven ?
		    "Content-Type: text/plain; charset=us-ascii\r\n"
		    "Content-Transfer-Encoding: 7bit\r\n" :
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: quoted-printable\r\n");
	if (st == NL_OK)
		st = nl_dbuf_add(b, "\r\n", 2);
	if (st != NL_OK)
		return st;
	if (seven)
		return text->len > 0 ? nl_dbuf_add(b, text->data, text->len) :
		    NL_OK;
	return imf_qp_encode(b, text->data, text->len);
}

/* A boundary that occurs in no part: "--B" must not appear in text
 * nor in the forwarded message (base64 has no "-" and cannot hold one). */
static enum nl_status
pick_boundary(const struct imf_msg *m, const struct nl_dbuf *text,
    const struct nl_dbuf *fwd, char *bnd, size_t n)
{
	char probe[IMF_BOUNDARY_MAX + 3];
	unsigned i;
	const char *p;

	if (m->boundary != NULL) {
		size_t len = strlen(m->boundary);

		if (len == 0 || len > IMF_BOUNDARY_MAX ||
		    m->boundary[len - 1] == ' ')
			return NL_EINVAL;
		for (p = m->boundary; *p != '\0'; p++)
			if (!imf_bchar((uint8_t)*p))
				return NL_EINVAL;
		snprintf(probe, sizeof probe, "--%s", m->boundary);
		if (imf_contains(text->data, text->len, probe) ||
		    imf_contains(fwd->data, fwd->len, probe))
			return NL_EINVAL;
		snprintf(bnd, n, "%s", m->boundary);
		return NL_OK;
	}
	for (i = 1;; i++) {
		snprintf(bnd, n, "=_netlab_%u", i);
		snprintf(probe, sizeof probe, "--%s", bnd);
		if (!imf_contains(text->data, text->len, probe) &&
		    !imf_contains(fwd->data, fwd->len, probe))
			return NL_OK;
	}
}

/* The header fields of struct imf_msg, in its order. */
static enum nl_status
put_fields(struct nl_dbuf *b, const struct imf_msg *m)
{
	char date[IMF_DATE_MAX];
	enum nl_status st;

	st = imf_header_write(b, "From", m->from);
	if (st == NL_OK && m->to != NULL)
		st = imf_header_write(b, "To", m->to);
	if (st == NL_OK && m->cc != NULL)
		st = imf_header_write(b, "Cc", m->cc);
	if (st == NL_OK && m->subject != NULL)
		st = imf_header_write_text(b, "Subject", m->subject);
	if (st == NL_OK && !m->no_date) {
		st = imf_date_format(m->date, m->zone_min, date);
		if (st == NL_OK)
			st = imf_header_write(b, "Date", date);
	}
	if (st == NL_OK && m->message_id != NULL)
		st = imf_header_write(b, "Message-ID", m->message_id);
	if (st == NL_OK && m->in_reply_to != NULL)
		st = imf_header_write(b, "In-Reply-To", m->in_reply_to);
	if (st == NL_OK && m->references != NULL)
		st = imf_header_write(b, "References", m->references);
	return st;
}

enum nl_status
imf_msg_write(const struct imf_msg *m, struct nl_dbuf *out)
{
	struct nl_dbuf b, text, fwd;
	char bnd[IMF_BOUNDARY_MAX + 1];
	enum nl_status st;
	size_t i;
	int seven;

	if (m->from == NULL || (m->att == NULL && m->natt > 0) ||
	    (m->forward == NULL && m->forward_len > 0))
		return NL_EINVAL;
	nl_dbuf_init(&b, IMF_MSG_MAX);
	nl_dbuf_init(&text, IMF_MSG_MAX);
	nl_dbuf_init(&fwd, IMF_MSG_MAX);
	st = NL_OK;
	if (m->body != NULL)
		st = imf_put_crlf(&text, m->body, strlen(m->body), 1);
	if (st == NL_OK && m->forward != NULL)
		st = imf_put_crlf(&fwd, m->forward, m->forward_len, 1);
	if (st == NL_OK)
		st = put_fields(&b, m);
	if (st != NL_OK)
		goto done;
	seven = imf_is_7bit(text.data, text.len, NULL);
	if (m->natt == 0 && m->forward == NULL) {
		if (!(m->minimal && seven))
			st = nl_dbuf_add_str(&b, "MIME-Version: 1.0\r\n");
		if (st == NL_OK)
			st = put_text_part(&b, &text, seven,
			    !(m->minimal && seven));
		goto done;
	}
	st = pick_boundary(m, &text, &fwd, bnd, sizeof bnd);
	if (st == NL_OK)
		st = nl_dbuf_addf(&b, "MIME-Version: 1.0\r\n"
		    "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
		    "This is a multi-part message in MIME format.\r\n", bnd);
	/* Every part's content ends with CRLF, and one more CRLF comes
	 * before each delimiter: it belongs to the delimiter (RFC 2046
	 * 5.1.1), so a part decodes to exactly what was put in. */
	if (st == NL_OK && m->body != NULL) {
		st = nl_dbuf_addf(&b, "\r\n--%s\r\n", bnd);
		if (st == NL_OK)
			st = put_text_part(&b, &text, seven, 1);
	}
	for (i = 0; i < m->natt && st == NL_OK; i++) {
		st = nl_dbuf_addf(&b, "\r\n--%s\r\n", bnd);
		if (st == NL_OK)
			st = put_attachment(&b, &m->att[i]);
	}
	if (st == NL_OK && m->forward != NULL) {
		st = nl_dbuf_addf(&b, "\r\n--%s\r\n"
		    "Content-Type: message/rfc822\r\n"
		    "Content-Disposition: inline\r\n"
		    "Content-Transfer-Encoding: %s\r\n\r\n", bnd,
		    imf_is_7bit(fwd.data, fwd.len, NULL) ? "7bit" : "8bit");
		if (st == NL_OK && fwd.len > 0)
			st = nl_dbuf_add(&b, fwd.data, fwd.len);
	}
	if (st == NL_OK)
		st = nl_dbuf_addf(&b, "\r\n--%s--\r\n", bnd);
done:
	if (st == NL_OK)
		st = nl_dbuf_add(out, b.data, b.len);
	nl_dbuf_free(&b);
	nl_dbuf_free(&text);
	nl_dbuf_free(&fwd);
	return st;
}
