/* imf_dsn.c - delivery status notifications: the bounce a mail server
 * returns to the sender when it gives up on recipients (RFC 3464 over
 * the multipart/report of RFC 6522, status codes of RFC 3463).
 *
 * The report has three parts, as Postfix and sendmail write it: words
 * for people, the machine-readable message/delivery-status (one block
 * per message, then one per recipient, separated by empty lines), and
 * the original header as text/rfc822-headers (RFC 6522 4), so the
 * sender can tell which message came back without getting the whole of
 * it again. */
#include <stdio.h>
#include <string.h>

#include "proto/imf/imf_int.h"

/* 1 if s has no CR, LF or NUL and is not empty. */
static int
field_ok(const char *s)
{
	return s != NULL && s[0] != '\0' && strpbrk(s, "\r\n") == NULL;
}

/* "Name: prefix value" CRLF, unfolded: DSN fields are short, and a
 * long one is cut at IMF_LINE_MAX rather than refused. */
static enum nl_status
put_field(struct nl_dbuf *out, const char *name, const char *prefix,
    const char *value)
{
	size_t used = strlen(name) + 2 + strlen(prefix), vl = strlen(value);
	enum nl_status st;

	if (used > IMF_LINE_MAX)
		return NL_EINVAL;
	if (vl > IMF_LINE_MAX - used)
		vl = IMF_LINE_MAX - used;
	st = nl_dbuf_add_str(out, name);
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, ": ");
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, prefix);
	if (st == NL_OK)
		st = nl_dbuf_add(out, value, vl);
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, "\r\n");
	return st;
}

/* A part's delimiter line and its Content-Type (RFC 2046 5.1.1); the
 * CRLF before "--" belongs to the delimiter. */
static enum nl_status
put_part(struct nl_dbuf *out, const char *bnd, const char *type)
{
	enum nl_status st;

	st = nl_dbuf_add_str(out, "\r\n--");
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, bnd);
	if (st == NL_OK && type != NULL) {
		st = nl_dbuf_add_str(out, "\r\nContent-Type: ");
		if (st == NL_OK)
			st = nl_dbuf_add_str(out, type);
		if (st == NL_OK)
			st = nl_dbuf_add_str(out, "\r\n");
	}
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, type != NULL ? "\r\n" : "--\r\n");
	return st;
}

/* The header of the original message: up to its first empty line. */
static size_t
header_len(const uint8_t *m, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (m[i] == '\n' && m[i + 1] == '\n')
			return i + 1;
		if (i + 3 < n && memcmp(m + i, "\r\n\r\n", 4) == 0)
			return i + 2;
	}
	return n;
}

/* The boundary: "=_dsn_N" for the first N that occurs in no part. */
static void
pick_boundary(const struct imf_dsn *d, size_t hlen, char *bnd, size_t size)
{
	unsigned n;

	for (n = 0;; n++) {
		snprintf(bnd, size, "=_dsn_%u", n);
		if ((d->orig == NULL || !imf_contains(d->orig, hlen, bnd)) &&
		    (d->explanation == NULL || strstr(d->explanation, bnd) ==
		    NULL))
			return;
	}
}

enum nl_status
imf_dsn_write(const struct imf_dsn *d, struct nl_dbuf *out)
{
	char date[IMF_DATE_MAX], arrival[IMF_DATE_MAX], bnd[32];
	char ct[IMF_LINE_MAX + 1];
	size_t hlen, i;
	enum nl_status st;

	if (!field_ok(d->reporting_mta) || !field_ok(d->from) ||
	    !field_ok(d->to) || !field_ok(d->message_id) || d->nrcpt == 0)
		return NL_EINVAL;
	for (i = 0; i < d->nrcpt; i++)
		if (!field_ok(d->rcpt[i].addr) || !field_ok(d->rcpt[i].status) ||
		    (d->rcpt[i].remote_mta != NULL &&
		    !field_ok(d->rcpt[i].remote_mta)) ||
		    (d->rcpt[i].diag != NULL && !field_ok(d->rcpt[i].diag)))
			return NL_EINVAL;
	if (imf_date_format(d->date, 0, date) != NL_OK ||
	    imf_date_format(d->arrival, 0, arrival) != NL_OK)
		return NL_EINVAL;
	hlen = d->orig != NULL ? header_len(d->orig, d->orig_len) : 0;
	pick_boundary(d, hlen, bnd, sizeof bnd);

	snprintf(ct, sizeof ct, "Mail Delivery System <%s>", d->from);
	st = put_field(out, "From", "", ct);
	if (st == NL_OK)
		st = put_field(out, "To", "", d->to);
	if (st == NL_OK)
		st = imf_header_write(out, "Subject",
		    "Undelivered Mail Returned to Sender");
	if (st == NL_OK)
		st = put_field(out, "Date", "", date);
	if (st == NL_OK)
		st = put_field(out, "Message-ID", "", d->message_id);
	/* RFC 3834 5: a robot's message; vacation programs leave it. */
	if (st == NL_OK)
		st = put_field(out, "Auto-Submitted", "auto-replied", "");
	if (st == NL_OK)
		st = put_field(out, "MIME-Version", "1.0", "");
	snprintf(ct, sizeof ct, "multipart/report; report-type=delivery-status;"
	    "\r\n boundary=\"%s\"", bnd);
	if (st == NL_OK)
		st = put_field(out, "Content-Type", "", ct);
	/* The preamble, for readers that know no MIME (RFC 2046 5.1.1). */
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, "\r\nThis is a MIME-encapsulated "
		    "message.\r\n");

	/* Part 1: for people. */
	if (st == NL_OK)
		st = put_part(out, bnd, "text/plain; charset=us-ascii");
	if (st == NL_OK && d->explanation != NULL)
		st = imf_put_crlf(out, d->explanation, strlen(d->explanation),
		    1);

	/* Part 2: RFC 3464 2.2 per-message, 2.3 per-recipient fields. */
	if (st == NL_OK)
		st = put_part(out, bnd, "message/delivery-status");
	if (st == NL_OK)
		st = put_field(out, "Reporting-MTA", "dns; ",
		    d->reporting_mta);
	if (st == NL_OK)
		st = put_field(out, "Arrival-Date", "", arrival);
	for (i = 0; i < d->nrcpt && st == NL_OK; i++) {
		const struct imf_dsn_rcpt *r = &d->rcpt[i];

		st = nl_dbuf_add_str(out, "\r\n");
		if (st == NL_OK)
			st = put_field(out, "Final-Recipient", "rfc822; ",
			    r->addr);
		if (st == NL_OK)
			st = put_field(out, "Action", "failed", "");
		if (st == NL_OK)
			st = put_field(out, "Status", "", r->status);
		if (st == NL_OK && r->remote_mta != NULL)
			st = put_field(out, "Remote-MTA", "dns; ",
			    r->remote_mta);
		if (st == NL_OK && r->diag != NULL)
			st = put_field(out, "Diagnostic-Code", "smtp; ",
			    r->diag);
	}

	/* Part 3: the original header (RFC 6522 4). */
	if (st == NL_OK && hlen > 0) {
		st = put_part(out, bnd, "text/rfc822-headers");
		if (st == NL_OK)
			st = imf_put_crlf(out, d->orig, hlen, 1);
	}
	if (st == NL_OK)
		st = put_part(out, bnd, NULL);	/* the close delimiter */
	return st;
}
