/* imf.h - Internet messages: RFC 5322 header fields and body, RFC 2045-
 * 2049 MIME (multipart/mixed, base64, quoted-printable, message/rfc822),
 * the RFC 5321 4.4 Received: line and the RFC 5322 3.3 date.
 *
 * Three parts: a writer (imf_write.c) that builds messages, a parser
 * (imf_parse.c) into which lines are pushed and from which events are
 * pulled (OpenSMTPD's rfc5322.c), and MIME helpers (imf_mime.c). The SMTP
 * envelope (MAIL FROM, RCPT TO) is not here: it lives with SMTP, and a
 * message never learns who it is being sent to. Dot-stuffing is the SMTP
 * session's job too. */
#ifndef NL_IMF_H
#define NL_IMF_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define IMF_LINE_MAX 998	/* characters in a line, CRLF excluded (2.1.1) */
#define IMF_FOLD_AT 78		/* folding target, CRLF excluded (2.1.1) */
#define IMF_B64_LINE 76		/* base64 characters per line (RFC 2045 6.8) */
#define IMF_QP_LINE 76		/* quoted-printable line length (6.7 rule 5) */
#define IMF_DATE_MAX 32		/* "Mon, 30 Nov 2026 09:00:00 +0000" + NUL */
#define IMF_BOUNDARY_MAX 70	/* RFC 2046 5.1.1 */
#define IMF_MSG_MAX (64u << 20)	/* largest message the writer builds */

/* ------------------------------------------------------------------ */
/* Writing (imf_write.c)                                              */
/* ------------------------------------------------------------------ */

/* Writes the RFC 5322 3.3 date of Unix time t (seconds) seen in a zone
 * zone_min minutes east of UTC: "Mon, 30 Nov 2026 09:00:00 +0000".
 * buf must hold IMF_DATE_MAX bytes. NL_EINVAL when the zone is not within
 * +-23:59 or the local year is outside 1900..9999 (buf is then ""). */
enum nl_status imf_date_format(int64_t t, int zone_min, char *buf);

/* Appends "Name: value" CRLF, folded (CRLF inserted before a space or
 * tab) so that lines stay within IMF_FOLD_AT where the value has
 * whitespace to fold at. Unfolding (removing each CRLF) gives back
 * exactly "Name: value". Values with 8-bit bytes are written as they are
 * (see imf_header_write_text for unstructured text).
 *   NL_EINVAL  bad field name (RFC 5322 ftext), CR or LF or NUL in value
 *   NL_ELIMIT  a run without whitespace makes a line over IMF_LINE_MAX
 *   else the status of out (which frees itself on failure).
 * Nothing is appended on NL_EINVAL or NL_ELIMIT. */
enum nl_status imf_header_write(struct nl_dbuf *out, const char *name,
    const char *value);
/* Like imf_header_write for unstructured text (Subject, Comments): if
 * the value holds 8-bit bytes, it is written as RFC 2047 encoded-words
 * (=?UTF-8?B?...?=), which keeps the header 7-bit. */
enum nl_status imf_header_write_text(struct nl_dbuf *out, const char *name,
    const char *value);

/* The trace line a server prepends (RFC 5321 4.4):
 *   Received: from crepes.fr (crepes.fr [10.0.0.1]) by hamburger.edu
 *    with SMTP id Q123; Mon, 30 Nov 2026 09:00:00 +0000
 * folded between clauses when longer than IMF_FOLD_AT. */
struct imf_received {
	const char *helo;	/* name the client gave in HELO/EHLO */
	const char *rdns;	/* name of the client's address; NULL: unknown */
	const char *ip;		/* client's address "10.0.0.1"; NULL: none */
	const char *by;		/* the receiving server's name */
	const char *with;	/* "SMTP", "ESMTP" (RFC 3848); NULL: none */
	const char *id;		/* queue id; NULL: none */
	const char *for_addr;	/* one recipient "bob@hamburger.edu"; NULL */
	int64_t time;		/* Unix seconds */
	int zone_min;		/* zone east of UTC, minutes */
};
/* Appends the Received: field with its CRLF. NL_EINVAL on a missing
 * helo or by, a bad date, or CR/LF in a part. */
enum nl_status imf_received_write(struct nl_dbuf *out,
    const struct imf_received *r);

/* An attachment of a composed message; the bytes are not copied. */
struct imf_attachment {
	const char *filename;	/* "photo.png"; NULL: none */
	const char *type;	/* "image/png"; NULL: application/octet-stream */
	const uint8_t *data;	/* content */
	size_t len;		/* bytes in data */
};

/* What a user agent composes. Strings are copied into the output; NULL
 * means the field is left out. */
struct imf_msg {
	const char *from;	/* "Alice <alice@crepes.fr>" (required) */
	const char *to;		/* "bob@hamburger.edu, carol@..." */
	const char *cc;
	const char *subject;	/* UTF-8 allowed (RFC 2047 on the wire) */
	int64_t date;		/* Unix seconds */
	int zone_min;		/* zone east of UTC, minutes */
	int no_date;		/* 1: no Date: field (a server adds one) */
	const char *message_id;	/* "<1.alice@crepes.fr>" with brackets */
	const char *in_reply_to; /* "<...>" of the message replied to */
	const char *references;	/* "<a> <b>": the thread */
	const char *body;	/* text; "\n" or "\r\n" lines; NULL: empty */
	const struct imf_attachment *att;	/* attachments, base64 */
	size_t natt;		/* entries in att */
	const uint8_t *forward;	/* a message attached as message/rfc822 */
	size_t forward_len;	/* bytes in forward */
	const char *boundary;	/* NULL: "=_netlab_N", first N that does not
				 * occur in any part */
	int minimal;		/* 1: no MIME fields for a 7-bit body alone */
};

/* Builds m into out (appended): header fields in the order of struct
 * imf_msg, then MIME-Version and Content-Type. A body alone is
 * text/plain, 7bit when 7-bit clean, else UTF-8 quoted-printable; with
 * attachments or a forward it is multipart/mixed. Lines end with CRLF.
 *   NL_EINVAL  from missing, a field with CR/LF, a bad boundary
 *   NL_ELIMIT  over IMF_MSG_MAX, or an unfoldable field
 *   NL_ENOMEM  out of memory. */
enum nl_status imf_msg_write(const struct imf_msg *m, struct nl_dbuf *out);

/* Appends "<seq.t@domain>" (with brackets): a Message-ID that the same
 * scenario and seed give again. */
enum nl_status imf_msgid_make(struct nl_dbuf *out, int64_t t, uint64_t seq,
    const char *domain);

/* ---- Delivery status notifications (imf_dsn.c) ---- */

/* One recipient of a DSN (RFC 3464 2.3). */
struct imf_dsn_rcpt {
	const char *addr;	/* Final-Recipient: rfc822; addr */
	const char *status;	/* RFC 3463 code: "5.1.1", "4.4.7" */
	const char *remote_mta;	/* the server that refused; NULL: none */
	const char *diag;	/* its reply, "550 5.1.1 unknown user";
				 * NULL: none (Diagnostic-Code: smtp; ...) */
};

/* A bounce: "your message could not be delivered". */
struct imf_dsn {
	const char *reporting_mta;	/* our name: "crepes.fr" */
	const char *from;	/* "MAILER-DAEMON@crepes.fr" */
	const char *to;		/* the original sender */
	int64_t date;		/* now, Unix seconds */
	int64_t arrival;	/* when the original came, Unix seconds */
	const char *message_id;	/* "<...>" of the DSN itself */
	const char *explanation;	/* a paragraph for people; "\n" lines */
	const struct imf_dsn_rcpt *rcpt;
	size_t nrcpt;
	const uint8_t *orig;	/* the original message: its header is
				 * returned as text/rfc822-headers */
	size_t orig_len;
};

/* Builds an RFC 3464 multipart/report (report-type=delivery-status)
 * into out: a text/plain part, the message/delivery-status part and the
 * original header. Auto-Submitted: auto-replied (RFC 3834) so that no
 * robot answers it. NL_EINVAL on a missing field or CR/LF in one,
 * NL_ENOMEM. */
enum nl_status imf_dsn_write(const struct imf_dsn *d, struct nl_dbuf *out);

/* ------------------------------------------------------------------ */
/* Parsing (imf_parse.c): push lines, pull events                     */
/* ------------------------------------------------------------------ */

/* ORDER IMF_EV: imf_ev_str() in imf_str.c. */
enum imf_ev {
	IMF_EV_NONE,		/* push the next line (or imf_parser_end) */
	IMF_EV_HEADER_START,	/* a field begins: name, value after ':' */
	IMF_EV_HEADER_CONT,	/* a folded line of it: value (with its WSP) */
	IMF_EV_HEADER_END,	/* the field is whole: name, value unfolded */
	IMF_EV_HEADERS_END,	/* end of the header section */
	IMF_EV_BODY_LINE,	/* value: one body line */
	IMF_EV_END		/* end of message */
};
const char *imf_ev_str(enum imf_ev ev);

/* An event. Pointers stay valid until the next push or next call. */
struct imf_res {
	enum imf_ev ev;		/* what happened */
	const char *name;	/* field name, NUL-terminated (HEADER_*) */
	const char *value;	/* value or line, NUL-terminated (may hold NULs
				 * in the body: use value_len) */
	size_t value_len;	/* bytes in value */
	int no_blank;		/* HEADERS_END: the body began with a line that
				 * is no field, without an empty line first */
};

/* Limits; zero fields take the defaults shown. */
struct imf_limits {
	size_t line_max;	/* a line, CRLF excluded: IMF_LINE_MAX */
	size_t field_max;	/* an unfolded field: 16384 */
	size_t fields_max;	/* fields in the header: 1000 */
};

struct imf_parser;		/* opaque: defined in imf_parse.c */

/* A parser with the limits given (NULL: the defaults); NULL on memory. */
struct imf_parser *imf_parser_new(const struct imf_limits *lim);
/* imf_parser_free(NULL) does nothing. */
void imf_parser_free(struct imf_parser *p);
/* Hands the next line (without its line ending) to the parser; it is
 * copied. NL_ESTATE if the previous line has not been taken yet (next()
 * has not returned IMF_EV_NONE) or after imf_parser_end; NL_ELIMIT if the
 * line is over line_max (the parser then fails for good). */
enum nl_status imf_parser_push(struct imf_parser *p, const void *line,
    size_t len);
/* No more lines: the remaining events lead to IMF_EV_END. */
enum nl_status imf_parser_end(struct imf_parser *p);
/* The next event in *res. NL_OK, or the error that stopped the parser
 * for good (NL_ELIMIT for a field or field count over its limit,
 * NL_ENOMEM), returned again by every later call; res->ev is then
 * IMF_EV_NONE. */
enum nl_status imf_parser_next(struct imf_parser *p, struct imf_res *res);

/* A whole message read at once, with the byte range of every field for
 * the hex view. Lines may end with CRLF or a bare LF here. */
struct imf_field {
	size_t off;		/* first byte of the field (its name) */
	size_t len;		/* bytes up to, not including, its last CRLF */
	size_t name_len;	/* bytes of the name */
	size_t value_off;	/* first byte after the colon */
};
struct imf_view {
	struct imf_field *fields; /* owned; nfields entries */
	size_t nfields;
	size_t body_off;	/* first byte of the body */
	size_t body_len;	/* bytes of the body */
	int no_blank;		/* no empty line between header and body */
};

/* Reads msg into *v (free with imf_view_free). NL_ELIMIT when a limit of
 * imf_parser_new's defaults is passed, NL_ENOMEM. On failure *v is
 * empty. */
enum nl_status imf_view_parse(const uint8_t *msg, size_t len,
    struct imf_view *v);
void imf_view_free(struct imf_view *v);
/* The index-th field (0-based) named name (case-insensitive); NULL. */
const struct imf_field *imf_view_find(const struct imf_view *v,
    const uint8_t *msg, const char *name, size_t index);
/* Appends the unfolded value of f, without leading and trailing
 * whitespace. */
enum nl_status imf_field_value(const uint8_t *msg, const struct imf_field *f,
    struct nl_dbuf *out);
/* Shortcut: the index-th field named name of msg, into out (appended).
 * NL_ENOTFOUND when there is none. */
enum nl_status imf_header_get(const uint8_t *msg, size_t len,
    const char *name, size_t index, struct nl_dbuf *out);

/* ------------------------------------------------------------------ */
/* MIME helpers (imf_mime.c)                                          */
/* ------------------------------------------------------------------ */

/* Base64 (RFC 2045 6.8) in lines of IMF_B64_LINE characters, each ended
 * by CRLF (the last one too, when there is any data). */
enum nl_status imf_base64_encode(struct nl_dbuf *out, const void *data,
    size_t len);
/* Decodes base64 text, appending to out; CR, LF, space and tab are
 * skipped. NL_EMALFORMED on any other character outside the alphabet, on
 * padding in the middle or a bad final quantum; *bad_at (optional) gets
 * its offset. After a failure out may hold the bytes decoded before it:
 * discard them. The same holds for every decoder below. */
enum nl_status imf_base64_decode(struct nl_dbuf *out, const char *text,
    size_t len, size_t *bad_at);
/* Quoted-printable (RFC 2045 6.7): lines end with CRLF; soft line
 * breaks keep them within IMF_QP_LINE. Input lines end at LF (a CR
 * before it is dropped). */
enum nl_status imf_qp_encode(struct nl_dbuf *out, const void *data,
    size_t len);
/* Decodes quoted-printable; soft breaks vanish, trailing whitespace of a
 * line is dropped (6.7 rule 3). NL_EMALFORMED on "=" followed by
 * anything but two hex digits or a line end; *bad_at as above. */
enum nl_status imf_qp_decode(struct nl_dbuf *out, const char *text,
    size_t len, size_t *bad_at);

/* 1 if data is 7bit data (RFC 2045 2.7): bytes 1..127, CR and LF only as
 * CRLF pairs, lines of at most IMF_LINE_MAX characters. What SMTP without
 * 8BITMIME may carry. Else 0 and *bad_at (optional) gets the offset of the
 * first offending byte. */
int imf_is_7bit(const void *data, size_t len, size_t *bad_at);

/* The value of parameter name (case-insensitive) in a structured field
 * value such as 'multipart/mixed; boundary="=_x"', unquoted, appended to
 * out. NL_ENOTFOUND when absent, NL_EMALFORMED on an unterminated quoted
 * string. */
enum nl_status imf_param_get(const char *value, size_t len, const char *name,
    struct nl_dbuf *out);
/* "type/subtype" of a Content-Type value, lowercased, into buf (size n).
 * NL_EMALFORMED when it has no "/". */
enum nl_status imf_mime_type(const char *value, size_t len, char *buf,
    size_t n);

/* One body part of a multipart body: its bytes are body[off..off+len),
 * its own header section and body, without the delimiter lines. */
struct imf_part {
	size_t off;
	size_t len;
};
/* Splits a multipart body (RFC 2046 5.1.1) at "--boundary" lines into at
 * most max parts (*n gets the count). The CRLF before each delimiter
 * belongs to the delimiter; preamble and epilogue are skipped.
 *   NL_EMALFORMED  no delimiter, or no close delimiter "--boundary--"
 *   NL_ELIMIT      more than max parts
 *   NL_EINVAL      a boundary that RFC 2046 forbids (1..70 characters). */
enum nl_status imf_multipart_split(const uint8_t *body, size_t len,
    const char *boundary, struct imf_part *parts, size_t max, size_t *n);

/* Decodes the body of an entity (a message or a body part) according to
 * its Content-Transfer-Encoding: base64, quoted-printable, or as is for
 * 7bit, 8bit, binary and none. NL_EUNSUPPORTED for another encoding. */
enum nl_status imf_entity_decode(const uint8_t *ent, size_t len,
    struct nl_dbuf *out);

#endif
