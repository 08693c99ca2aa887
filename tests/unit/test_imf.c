/* test_imf.c - RFC 5322 and MIME: dates, Received lines, folding,
 * push/pull parsing, base64 and quoted-printable, multipart bodies,
 * message round trips, the 7-bit check. */
#include "test.h"

#include "proto/imf/imf.h"
#include "util/alloc.h"
#include "util/buf.h"

/* 30 Nov 2026 09:00:00 UTC, a Monday. */
#define T_2026 1796029200LL

static void
test_date(void)
{
	char d[IMF_DATE_MAX];

	ASSERT_EQ(imf_date_format(T_2026, 0, d), NL_OK);
	ASSERT_STR_EQ(d, "Mon, 30 Nov 2026 09:00:00 +0000");
	ASSERT_EQ(imf_date_format(T_2026, 330, d), NL_OK);
	ASSERT_STR_EQ(d, "Mon, 30 Nov 2026 14:30:00 +0530");
	ASSERT_EQ(imf_date_format(T_2026, -600, d), NL_OK);
	ASSERT_STR_EQ(d, "Sun, 29 Nov 2026 23:00:00 -1000");
	ASSERT_EQ(imf_date_format(0, 0, d), NL_OK);
	ASSERT_STR_EQ(d, "Thu, 1 Jan 1970 00:00:00 +0000");
	ASSERT_EQ(imf_date_format(-1, 0, d), NL_OK);
	ASSERT_STR_EQ(d, "Wed, 31 Dec 1969 23:59:59 +0000");
	ASSERT_EQ(imf_date_format(1709208000LL, 0, d), NL_OK);
	ASSERT_STR_EQ(d, "Thu, 29 Feb 2024 12:00:00 +0000");
	ASSERT_EQ(imf_date_format(951782400LL, 0, d), NL_OK);
	ASSERT_STR_EQ(d, "Tue, 29 Feb 2000 00:00:00 +0000");
	ASSERT_EQ(imf_date_format(T_2026, 24 * 60, d), NL_EINVAL);
	ASSERT_STR_EQ(d, "");
	ASSERT_EQ(imf_date_format(-2208988801LL, 0, d), NL_EINVAL);
	ASSERT_EQ(imf_date_format(INT64_MAX, 0, d), NL_EINVAL);
	ASSERT_EQ(imf_date_format(INT64_MIN, 0, d), NL_EINVAL);
}

static void
test_received(void)
{
	struct nl_dbuf b;
	struct imf_received r = { "crepes.fr", "crepes.fr", "10.0.0.1",
		"hamburger.edu", "SMTP", "Q123", NULL, T_2026, 0 };

	nl_dbuf_init(&b, 4096);
	ASSERT_EQ(imf_received_write(&b, &r), NL_OK);
	ASSERT_STR_EQ((const char *)b.data,
	    "Received: from crepes.fr (crepes.fr [10.0.0.1]) by hamburger.edu"
	    " with SMTP\r\n id Q123; Mon, 30 Nov 2026 09:00:00 +0000\r\n");
	nl_dbuf_reset(&b);
	r.helo = "a.b";
	r.rdns = NULL;
	r.id = NULL;
	r.by = "c.d";
	r.time = 0;
	ASSERT_EQ(imf_received_write(&b, &r), NL_OK);
	/* 80 characters on one line: folded before the date. */
	ASSERT_STR_EQ((const char *)b.data, "Received: from a.b ([10.0.0.1]) "
	    "by c.d with SMTP;\r\n Thu, 1 Jan 1970 00:00:00 +0000\r\n");
	nl_dbuf_reset(&b);
	r.ip = NULL;
	r.with = NULL;
	r.for_addr = "bob@c.d";
	ASSERT_EQ(imf_received_write(&b, &r), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "Received: from a.b by c.d "
	    "for <bob@c.d>; Thu, 1 Jan 1970 00:00:00 +0000\r\n");
	r.helo = "bad name";
	ASSERT_EQ(imf_received_write(&b, &r), NL_EINVAL);
	r.helo = NULL;
	ASSERT_EQ(imf_received_write(&b, &r), NL_EINVAL);
	nl_dbuf_free(&b);
}

/* Longest line of s (CRLF lines), CRLF excluded. */
static size_t
longest_line(const char *s)
{
	size_t best = 0, cur = 0;

	for (; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n') {
			best = cur > best ? cur : best;
			cur = 0;
			s++;
		} else {
			cur++;
		}
	}
	return cur > best ? cur : best;
}

static void
test_fold(void)
{
	static const char subj[] = "A rather long subject line that goes on "
	    "and on, well past the seventy-eight characters that RFC 5322 "
	    "recommends for a line, so it must fold";
	struct nl_dbuf b, v;
	char big[1200];

	nl_dbuf_init(&b, 8192);
	nl_dbuf_init(&v, 8192);
	ASSERT_EQ(imf_header_write(&b, "Subject", subj), NL_OK);
	ASSERT(longest_line((const char *)b.data) <= IMF_FOLD_AT);
	ASSERT(strstr((const char *)b.data, "\r\n ") != NULL);
	ASSERT_EQ(imf_header_get(b.data, b.len, "subject", 0, &v), NL_OK);
	ASSERT_STR_EQ((const char *)v.data, subj);
	/* Short fields stay on one line. */
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_header_write(&b, "To", "bob@hamburger.edu"), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "To: bob@hamburger.edu\r\n");
	/* A run without whitespace may pass 78, not 998. */
	memset(big, 'x', 990);
	big[990] = '\0';
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_header_write(&b, "X-Long", big), NL_OK);
	memset(big, 'x', 1100);
	big[1100] = '\0';
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_header_write(&b, "X-Long", big), NL_ELIMIT);
	ASSERT_EQ(b.len, 0);
	ASSERT_EQ(imf_header_write(&b, "Bad Name", "x"), NL_EINVAL);
	ASSERT_EQ(imf_header_write(&b, "Bad:", "x"), NL_EINVAL);
	ASSERT_EQ(imf_header_write(&b, "X", "a\r\nInjected: yes"), NL_EINVAL);
	nl_dbuf_free(&b);
	nl_dbuf_free(&v);
}

static void
test_subject_2047(void)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 8192);
	ASSERT_EQ(imf_header_write_text(&b, "Subject", "Caf\xc3\xa9"), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n");
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_header_write_text(&b, "Subject", "\xc3\xa9\xc3\xa9\xc3"
	    "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
	    "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
	    "\xa9\xc3\xa9 and more"), NL_OK);
	ASSERT(imf_is_7bit(b.data, b.len, NULL));
	ASSERT(longest_line((const char *)b.data) <= IMF_FOLD_AT);
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_header_write_text(&b, "Subject", "plain"), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "Subject: plain\r\n");
	nl_dbuf_free(&b);
}

/* Runs lines through a push parser and writes the events as text. */
static enum nl_status
events(const char *const *lines, size_t n, const struct imf_limits *lim,
    char *out, size_t outsz)
{
	struct imf_parser *p = imf_parser_new(lim);
	struct imf_res r;
	size_t i = 0, o = 0;
	enum nl_status st;

	out[0] = '\0';
	if (p == NULL)
		return NL_ENOMEM;
	for (;;) {
		st = imf_parser_next(p, &r);
		if (st != NL_OK)
			break;
		if (r.ev == IMF_EV_NONE) {
			if (i < n) {
				st = imf_parser_push(p, lines[i],
				    strlen(lines[i]));
				i++;
			} else {
				st = imf_parser_end(p);
			}
			if (st != NL_OK)
				break;
			continue;
		}
		o += (size_t)snprintf(out + o, outsz - o, "%s", imf_ev_str(r.ev));
		if (r.name != NULL)
			o += (size_t)snprintf(out + o, outsz - o, "[%s]", r.name);
		if (r.value != NULL)
			o += (size_t)snprintf(out + o, outsz - o, "(%s)", r.value);
		if (r.no_blank)
			o += (size_t)snprintf(out + o, outsz - o, "!");
		o += (size_t)snprintf(out + o, outsz - o, " ");
		if (r.ev == IMF_EV_END)
			break;
	}
	imf_parser_free(p);
	return st;
}

static void
test_parser_events(void)
{
	static const char *const msg[] = { "From: a@b", "Subject: hello",
		"  world", "\tagain", "", "body 1", "", "From: not a field" };
	static const char *const textbook[] = { "Do you like ketchup?",
		"How about pickles?" };
	static const char *const obs[] = { "Subject : x", "No-Body: y" };
	char out[1024];

	ASSERT_EQ(events(msg, 8, NULL, out, sizeof out), NL_OK);
	ASSERT_STR_EQ(out, "HEADER_START[From]( a@b) HEADER_END[From]( a@b) "
	    "HEADER_START[Subject]( hello) HEADER_CONT[Subject](  world) "
	    "HEADER_CONT[Subject](\tagain) "
	    "HEADER_END[Subject]( hello  world\tagain) HEADERS_END "
	    "BODY_LINE(body 1) BODY_LINE() BODY_LINE(From: not a field) END ");
	/* The textbook dialogue's message has no header at all. */
	ASSERT_EQ(events(textbook, 2, NULL, out, sizeof out), NL_OK);
	ASSERT_STR_EQ(out, "HEADERS_END! BODY_LINE(Do you like ketchup?) "
	    "BODY_LINE(How about pickles?) END ");
	/* Obsolete space before the colon; a message of fields only. */
	ASSERT_EQ(events(obs, 2, NULL, out, sizeof out), NL_OK);
	ASSERT_STR_EQ(out, "HEADER_START[Subject]( x) HEADER_END[Subject]( x) "
	    "HEADER_START[No-Body]( y) HEADER_END[No-Body]( y) HEADERS_END "
	    "END ");
	ASSERT_EQ(events(NULL, 0, NULL, out, sizeof out), NL_OK);
	ASSERT_STR_EQ(out, "HEADERS_END END ");
}

static void
test_parser_limits(void)
{
	static const char *const many[] = { "A: 1", "B: 2", "C: 3", "" };
	static const char *const longf[] = { "A: 12345", " 67890", "" };
	struct imf_limits lim = { 0, 0, 2 };
	struct imf_parser *p;
	struct imf_res r;
	char out[512];

	ASSERT_EQ(events(many, 4, &lim, out, sizeof out), NL_ELIMIT);
	lim.fields_max = 0;
	lim.field_max = 10;
	ASSERT_EQ(events(longf, 3, &lim, out, sizeof out), NL_ELIMIT);
	lim.field_max = 0;
	lim.line_max = 4;
	ASSERT_EQ(events(longf, 3, &lim, out, sizeof out), NL_ELIMIT);
	/* Pushing twice without taking the line is refused. */
	p = imf_parser_new(NULL);
	ASSERT(p != NULL);
	ASSERT_EQ(imf_parser_push(p, "A: b", 4), NL_OK);
	ASSERT_EQ(imf_parser_push(p, "C: d", 4), NL_ESTATE);
	ASSERT_EQ(imf_parser_next(p, &r), NL_OK);
	ASSERT_EQ(r.ev, IMF_EV_HEADER_START);
	ASSERT_EQ(imf_parser_next(p, &r), NL_OK);
	ASSERT_EQ(r.ev, IMF_EV_NONE);
	ASSERT_EQ(imf_parser_end(p), NL_OK);
	ASSERT_EQ(imf_parser_push(p, "x", 1), NL_ESTATE);
	imf_parser_free(p);
	imf_parser_free(NULL);
}

static void
test_base64(void)
{
	static const char *const vec[][2] = { { "", "" }, { "f", "Zg==" },
		{ "fo", "Zm8=" }, { "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
	static const char *const bad[] = { "Zg=", "Z===", "Zg==Zg==", "Zm9v!",
		"Zm9", "=Zm9" };
	struct nl_dbuf b;
	uint8_t data[300];
	size_t i, n, at;

	nl_dbuf_init(&b, 1 << 16);
	for (i = 0; i < sizeof vec / sizeof vec[0]; i++) {
		char want[32];

		nl_dbuf_reset(&b);
		ASSERT_EQ(imf_base64_encode(&b, vec[i][0], strlen(vec[i][0])),
		    NL_OK);
		snprintf(want, sizeof want, "%s%s", vec[i][1],
		    vec[i][1][0] ? "\r\n" : "");
		ASSERT_STR_EQ(b.len ? (const char *)b.data : "", want);
		nl_dbuf_reset(&b);
		ASSERT_EQ(imf_base64_decode(&b, vec[i][1], strlen(vec[i][1]),
		    NULL), NL_OK);
		ASSERT_EQ(b.len, strlen(vec[i][0]));
		ASSERT_MEM_EQ(b.len ? (const char *)b.data : "", vec[i][0],
		    b.len);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		nl_dbuf_reset(&b);
		ASSERT_EQ(imf_base64_decode(&b, bad[i], strlen(bad[i]), &at),
		    NL_EMALFORMED);
	}
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_base64_decode(&b, "Zm9v\r\n Ym Fy\r\n", 14, NULL), NL_OK);
	ASSERT_EQ(b.len, 6);
	ASSERT_MEM_EQ(b.data, "foobar", 6);
	/* Every length, every byte value: 76-character lines, round trip. */
	for (i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (n = 0; n <= sizeof data; n += 13) {
		struct nl_dbuf e;

		nl_dbuf_init(&e, 1 << 16);
		ASSERT_EQ(imf_base64_encode(&e, data, n), NL_OK);
		ASSERT(n == 0 || longest_line((const char *)e.data) <=
		    IMF_B64_LINE);
		ASSERT(n < 57 || longest_line((const char *)e.data) ==
		    IMF_B64_LINE);
		nl_dbuf_reset(&b);
		ASSERT_EQ(imf_base64_decode(&b, (const char *)e.data, e.len,
		    NULL), NL_OK);
		ASSERT_EQ(b.len, n);
		ASSERT(n == 0 || memcmp(b.data, data, n) == 0);
		nl_dbuf_free(&e);
	}
	nl_dbuf_free(&b);
}

static void
test_qp(void)
{
	struct nl_dbuf b, d;
	char line[300];
	size_t at;

	nl_dbuf_init(&b, 1 << 16);
	nl_dbuf_init(&d, 1 << 16);
	ASSERT_EQ(imf_qp_encode(&b, "Caf\xc3\xa9 = 1\ntrailing \nx",
	    strlen("Caf\xc3\xa9 = 1\ntrailing \nx")), NL_OK);
	ASSERT_STR_EQ((const char *)b.data,
	    "Caf=C3=A9 =3D 1\r\ntrailing=20\r\nx");
	ASSERT_EQ(imf_qp_decode(&d, (const char *)b.data, b.len, NULL), NL_OK);
	ASSERT_STR_EQ((const char *)d.data, "Caf\xc3\xa9 = 1\r\ntrailing \r\nx");
	/* A long line gets soft breaks and comes back whole. */
	memset(line, 'a', sizeof line);
	line[100] = '\xff';
	nl_dbuf_reset(&b);
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_qp_encode(&b, line, sizeof line), NL_OK);
	ASSERT(longest_line((const char *)b.data) <= IMF_QP_LINE);
	ASSERT(imf_is_7bit(b.data, b.len, NULL));
	ASSERT_EQ(imf_qp_decode(&d, (const char *)b.data, b.len, NULL), NL_OK);
	ASSERT_EQ(d.len, sizeof line);
	ASSERT_MEM_EQ(d.data, line, sizeof line);
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_qp_decode(&d, "ab=G1", 5, &at), NL_EMALFORMED);
	ASSERT_EQ(at, 2);
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_qp_decode(&d, "ab=4", 4, &at), NL_EMALFORMED);
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_qp_decode(&d, "soft=  \r\nbreak", 14, NULL), NL_OK);
	ASSERT_STR_EQ((const char *)d.data, "softbreak");
	nl_dbuf_free(&b);
	nl_dbuf_free(&d);
}

static void
test_7bit(void)
{
	char line[1001];
	size_t at;

	ASSERT(imf_is_7bit("a\r\nb\r\n", 6, NULL));
	ASSERT(imf_is_7bit("", 0, NULL));
	ASSERT(!imf_is_7bit("a\nb", 3, &at));
	ASSERT_EQ(at, 1);
	ASSERT(!imf_is_7bit("a\rb", 3, &at));
	ASSERT_EQ(at, 1);
	ASSERT(!imf_is_7bit("ab\xc3\xa9", 4, &at));
	ASSERT_EQ(at, 2);
	ASSERT(!imf_is_7bit("a\0b", 3, &at));
	ASSERT_EQ(at, 1);
	memset(line, 'x', sizeof line);
	ASSERT(imf_is_7bit(line, IMF_LINE_MAX, NULL));
	ASSERT(!imf_is_7bit(line, IMF_LINE_MAX + 1, &at));
	ASSERT_EQ(at, IMF_LINE_MAX);
}

static void
test_params(void)
{
	static const char ct[] = "multipart/mixed; boundary=\"=_x; y\";\r\n "
	    "CHARSET=us-ascii (comment)";
	struct nl_dbuf b;
	char type[64];

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(imf_param_get(ct, sizeof ct - 1, "Boundary", &b), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "=_x; y");
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_param_get(ct, sizeof ct - 1, "charset", &b), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "us-ascii");
	ASSERT_EQ(imf_param_get(ct, sizeof ct - 1, "name", &b), NL_ENOTFOUND);
	ASSERT_EQ(imf_param_get("a/b; x=\"open", 12, "x", &b), NL_EMALFORMED);
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_param_get("a/b; n=\"q\\\"d\"", 13, "n", &b), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "q\"d");
	ASSERT_EQ(imf_mime_type(ct, sizeof ct - 1, type, sizeof type), NL_OK);
	ASSERT_STR_EQ(type, "multipart/mixed");
	ASSERT_EQ(imf_mime_type(" Text/Plain", 11, type, sizeof type), NL_OK);
	ASSERT_STR_EQ(type, "text/plain");
	ASSERT_EQ(imf_mime_type("text", 4, type, sizeof type), NL_EMALFORMED);
	ASSERT_EQ(imf_mime_type("text/plain", 10, type, 5), NL_ELIMIT);
	nl_dbuf_free(&b);
}

static void
test_multipart_split(void)
{
	static const char body[] = "preamble\r\n--b1  \r\nA: 1\r\n\r\none\r\n"
	    "--b1\r\n\r\ntwo\r\n\r\n--b1x\r\nstill two\r\n--b1--\r\nepilogue\r\n";
	struct imf_part parts[4];
	size_t n;

	ASSERT_EQ(imf_multipart_split((const uint8_t *)body, sizeof body - 1,
	    "b1", parts, 4, &n), NL_OK);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(parts[0].len, 11);
	ASSERT_MEM_EQ(body + parts[0].off, "A: 1\r\n\r\none", 11);
	ASSERT_EQ(parts[1].len, 25);
	ASSERT_MEM_EQ(body + parts[1].off, "\r\ntwo\r\n\r\n--b1x\r\nstill two",
	    25);
	ASSERT_EQ(imf_multipart_split((const uint8_t *)body, sizeof body - 1,
	    "b1", parts, 1, &n), NL_ELIMIT);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(imf_multipart_split((const uint8_t *)body, 60, "b1", parts,
	    4, &n), NL_EMALFORMED);
	ASSERT_EQ(imf_multipart_split((const uint8_t *)"x\r\n", 3, "b1", parts,
	    4, &n), NL_EMALFORMED);
	ASSERT_EQ(imf_multipart_split((const uint8_t *)body, sizeof body - 1,
	    "", parts, 4, &n), NL_EINVAL);
	/* Bare LF line ends are read too. */
	ASSERT_EQ(imf_multipart_split((const uint8_t *)"--z\nx\n--z--\n", 12,
	    "z", parts, 4, &n), NL_OK);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(parts[0].len, 1);
}

/* The fields of a composed message come back out of the view. */
static void
test_build_parse(void)
{
	struct imf_msg m;
	struct nl_dbuf b, v;
	struct imf_view view;
	static const char *const want[][2] = {
		{ "From", "Alice <alice@crepes.fr>" },
		{ "To", "bob@hamburger.edu" },
		{ "Cc", "carol@hamburger.edu, dave@crepes.fr" },
		{ "Subject", "Re: ketchup" },
		{ "Date", "Mon, 30 Nov 2026 09:00:00 +0000" },
		{ "Message-ID", "<2.1796029200@crepes.fr>" },
		{ "In-Reply-To", "<1.1796020000@hamburger.edu>" },
		{ "References", "<1.1796020000@hamburger.edu>" },
		{ "MIME-Version", "1.0" },
		{ "Content-Type", "text/plain; charset=us-ascii" },
		{ "Content-Transfer-Encoding", "7bit" },
	};
	size_t i;

	memset(&m, 0, sizeof m);
	m.from = "Alice <alice@crepes.fr>";
	m.to = "bob@hamburger.edu";
	m.cc = "carol@hamburger.edu, dave@crepes.fr";
	m.subject = "Re: ketchup";
	m.date = T_2026;
	m.message_id = "<2.1796029200@crepes.fr>";
	m.in_reply_to = "<1.1796020000@hamburger.edu>";
	m.references = "<1.1796020000@hamburger.edu>";
	m.body = "Yes, with fries.\n.\nAlice\n";
	nl_dbuf_init(&b, IMF_MSG_MAX);
	nl_dbuf_init(&v, 4096);
	ASSERT_EQ(imf_msgid_make(&v, T_2026, 2, "crepes.fr"), NL_OK);
	ASSERT_STR_EQ((const char *)v.data, m.message_id);
	ASSERT_EQ(imf_msg_write(&m, &b), NL_OK);
	ASSERT(imf_is_7bit(b.data, b.len, NULL));
	ASSERT_EQ(imf_view_parse(b.data, b.len, &view), NL_OK);
	ASSERT_EQ(view.nfields, sizeof want / sizeof want[0]);
	for (i = 0; i < view.nfields; i++) {
		const struct imf_field *f = &view.fields[i];

		ASSERT_EQ(f->name_len, strlen(want[i][0]));
		ASSERT_MEM_EQ(b.data + f->off, want[i][0], f->name_len);
		nl_dbuf_reset(&v);
		ASSERT_EQ(imf_field_value(b.data, f, &v), NL_OK);
		ASSERT_STR_EQ((const char *)v.data, want[i][1]);
	}
	ASSERT_EQ(view.no_blank, 0);
	ASSERT_EQ(view.body_len, 28);
	ASSERT_MEM_EQ(b.data + view.body_off, "Yes, with fries.\r\n.\r\nAlice\r\n",
	    28);
	ASSERT(imf_view_find(&view, b.data, "message-id", 0) != NULL);
	ASSERT(imf_view_find(&view, b.data, "message-id", 1) == NULL);
	ASSERT(imf_view_find(&view, b.data, "X-None", 0) == NULL);
	imf_view_free(&view);
	nl_dbuf_reset(&v);
	ASSERT_EQ(imf_header_get(b.data, b.len, "X-None", 0, &v),
	    NL_ENOTFOUND);
	/* Minimal: no MIME fields for a 7-bit text alone. */
	memset(&m, 0, sizeof m);
	m.from = "alice@crepes.fr";
	m.to = "bob@hamburger.edu";
	m.subject = "ketchup";
	m.date = T_2026;
	m.body = "Do you like ketchup?\nHow about pickles?";
	m.minimal = 1;
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_msg_write(&m, &b), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "From: alice@crepes.fr\r\n"
	    "To: bob@hamburger.edu\r\nSubject: ketchup\r\n"
	    "Date: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\n"
	    "Do you like ketchup?\r\nHow about pickles?\r\n");
	/* 8-bit text goes out quoted-printable: still 7-bit on the wire. */
	m.body = "Cr\xc3\xaapes!\n";
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_msg_write(&m, &b), NL_OK);
	ASSERT(imf_is_7bit(b.data, b.len, NULL));
	ASSERT(strstr((const char *)b.data, "charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "Cr=C3=AApes!\r\n") != NULL);
	nl_dbuf_reset(&v);
	ASSERT_EQ(imf_entity_decode(b.data, b.len, &v), NL_OK);
	ASSERT_STR_EQ((const char *)v.data, "Cr\xc3\xaapes!\r\n");
	m.from = NULL;
	ASSERT_EQ(imf_msg_write(&m, &b), NL_EINVAL);
	nl_dbuf_free(&b);
	nl_dbuf_free(&v);
}

/* A message with a text, a binary attachment and a forwarded message:
 * split, decode, compare. */
static void
test_attachment_round_trip(void)
{
	static const char fwd[] = "From: bob@hamburger.edu\nSubject: menu\n\n"
	    "--=_netlab_1\nnot a boundary of ours\n";
	uint8_t bin[1000];
	struct imf_attachment att = { "menu \"v2\".bin", "application/x-menu",
		bin, sizeof bin };
	struct imf_msg m;
	struct nl_dbuf b, v, d;
	struct imf_view view;
	struct imf_part parts[8];
	size_t i, n;
	char type[64];

	for (i = 0; i < sizeof bin; i++)
		bin[i] = (uint8_t)(i * 31 + 7);
	memset(&m, 0, sizeof m);
	m.from = "alice@crepes.fr";
	m.to = "bob@hamburger.edu";
	m.subject = "Fwd: menu";
	m.date = T_2026;
	m.body = "See attached.\n";
	m.att = &att;
	m.natt = 1;
	m.forward = (const uint8_t *)fwd;
	m.forward_len = sizeof fwd - 1;
	nl_dbuf_init(&b, IMF_MSG_MAX);
	nl_dbuf_init(&v, 4096);
	nl_dbuf_init(&d, 1 << 20);
	ASSERT_EQ(imf_msg_write(&m, &b), NL_OK);
	/* SMTP without 8BITMIME can carry it: that is base64's point. */
	ASSERT(imf_is_7bit(b.data, b.len, NULL));
	ASSERT_EQ(imf_view_parse(b.data, b.len, &view), NL_OK);
	ASSERT_EQ(imf_header_get(b.data, b.len, "Content-Type", 0, &v), NL_OK);
	ASSERT_EQ(imf_mime_type((const char *)v.data, v.len, type,
	    sizeof type), NL_OK);
	ASSERT_STR_EQ(type, "multipart/mixed");
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_param_get((const char *)v.data, v.len, "boundary", &d),
	    NL_OK);
	/* The forwarded text holds "--=_netlab_1": the writer moved on. */
	ASSERT_STR_EQ((const char *)d.data, "=_netlab_2");
	ASSERT_EQ(imf_multipart_split(b.data + view.body_off, view.body_len,
	    "=_netlab_2", parts, 8, &n), NL_OK);
	ASSERT_EQ(n, 3);
	/* Part 1: the text. */
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_entity_decode(b.data + view.body_off + parts[0].off,
	    parts[0].len, &d), NL_OK);
	ASSERT_STR_EQ((const char *)d.data, "See attached.\r\n");
	/* Part 2: the attachment, byte for byte, with its name. */
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_entity_decode(b.data + view.body_off + parts[1].off,
	    parts[1].len, &d), NL_OK);
	ASSERT_EQ(d.len, sizeof bin);
	ASSERT_MEM_EQ(d.data, bin, sizeof bin);
	nl_dbuf_reset(&v);
	ASSERT_EQ(imf_header_get(b.data + view.body_off + parts[1].off,
	    parts[1].len, "Content-Disposition", 0, &v), NL_OK);
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_param_get((const char *)v.data, v.len, "filename", &d),
	    NL_OK);
	ASSERT_STR_EQ((const char *)d.data, "menu \"v2\".bin");
	/* Part 3: the forwarded message, its lines now CRLF. */
	nl_dbuf_reset(&d);
	ASSERT_EQ(imf_entity_decode(b.data + view.body_off + parts[2].off,
	    parts[2].len, &d), NL_OK);
	ASSERT_STR_EQ((const char *)d.data, "From: bob@hamburger.edu\r\n"
	    "Subject: menu\r\n\r\n--=_netlab_1\r\nnot a boundary of ours\r\n");
	nl_dbuf_reset(&v);
	ASSERT_EQ(imf_header_get(b.data + view.body_off + parts[2].off,
	    parts[2].len, "Content-Type", 0, &v), NL_OK);
	ASSERT_STR_EQ((const char *)v.data, "message/rfc822");
	imf_view_free(&view);
	/* A boundary the caller picked that occurs in a part is refused. */
	m.boundary = "=_netlab_1";
	nl_dbuf_reset(&b);
	ASSERT_EQ(imf_msg_write(&m, &b), NL_EINVAL);
	m.boundary = "bad\"quote";
	ASSERT_EQ(imf_msg_write(&m, &b), NL_EINVAL);
	nl_dbuf_free(&b);
	nl_dbuf_free(&v);
	nl_dbuf_free(&d);
}

/* The exact bytes of a small multipart message. */
static void
test_multipart_exact(void)
{
	struct imf_attachment att = { "a.txt", NULL, (const uint8_t *)"hi", 2 };
	struct imf_msg m;
	struct nl_dbuf b;

	memset(&m, 0, sizeof m);
	m.from = "alice@crepes.fr";
	m.no_date = 1;
	m.body = "x";
	m.att = &att;
	m.natt = 1;
	nl_dbuf_init(&b, IMF_MSG_MAX);
	ASSERT_EQ(imf_msg_write(&m, &b), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "From: alice@crepes.fr\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"=_netlab_1\"\r\n\r\n"
	    "This is a multi-part message in MIME format.\r\n"
	    "\r\n--=_netlab_1\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\nx\r\n"
	    "\r\n--=_netlab_1\r\n"
	    "Content-Type: application/octet-stream; name=\"a.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"a.txt\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\naGk=\r\n"
	    "\r\n--=_netlab_1--\r\n");
	nl_dbuf_free(&b);
}

/* Received prepended to a message keeps the rest readable. */
static void
test_view_headerless(void)
{
	static const char msg[] = "Do you like ketchup?\r\nHow about pickles?\r\n";
	struct imf_view v;

	ASSERT_EQ(imf_view_parse((const uint8_t *)msg, sizeof msg - 1, &v),
	    NL_OK);
	ASSERT_EQ(v.nfields, 0);
	ASSERT_EQ(v.no_blank, 1);
	ASSERT_EQ(v.body_off, 0);
	ASSERT_EQ(v.body_len, sizeof msg - 1);
	imf_view_free(&v);
	ASSERT_EQ(imf_view_parse((const uint8_t *)"A: b\nC: d", 9, &v), NL_OK);
	ASSERT_EQ(v.nfields, 2);
	ASSERT_EQ(v.fields[1].off, 5);
	ASSERT_EQ(v.fields[1].len, 4);
	ASSERT_EQ(v.body_off, 9);
	ASSERT_EQ(v.body_len, 0);
	imf_view_free(&v);
}

/* Build, view, split and decode with any allocation failing. */
static void
oom_imf_once(void)
{
	static const uint8_t bin[300] = { 1, 2, 3, 0xff };
	struct imf_attachment att = { "a.bin", NULL, bin, sizeof bin };
	struct imf_received rcv = { "crepes.fr", NULL, "10.0.0.1",
		"hamburger.edu", "SMTP", "Q1", NULL, T_2026, 0 };
	struct imf_msg m;
	struct nl_dbuf b, v;
	struct imf_view view;
	struct imf_part parts[4];
	size_t n, i;

	memset(&m, 0, sizeof m);
	m.from = "alice@crepes.fr";
	m.to = "bob@hamburger.edu";
	m.subject = "Caf\xc3\xa9 and a long subject to fold somewhere past the "
	    "seventy-eighth column of the line";
	m.date = T_2026;
	m.body = "Cr\xc3\xaapes\n";
	m.att = &att;
	m.natt = 1;
	m.forward = (const uint8_t *)"Subject: x\n\nfwd\n";
	m.forward_len = 16;
	nl_dbuf_init(&b, IMF_MSG_MAX);
	nl_dbuf_init(&v, IMF_MSG_MAX);
	if (imf_received_write(&b, &rcv) != NL_OK ||
	    imf_msg_write(&m, &b) != NL_OK)
		goto done;
	if (imf_view_parse(b.data, b.len, &view) != NL_OK)
		goto done;
	if (imf_multipart_split(b.data + view.body_off, view.body_len,
	    "=_netlab_1", parts, 4, &n) == NL_OK)
		for (i = 0; i < n; i++)
			(void)imf_entity_decode(b.data + view.body_off +
			    parts[i].off, parts[i].len, &v);
	(void)imf_header_get(b.data, b.len, "Subject", 0, &v);
	imf_view_free(&view);
done:
	nl_dbuf_free(&b);
	nl_dbuf_free(&v);
}

static void
test_oom(void)
{
	long n;
	int failed = 1;

	for (n = 0; failed && n < 100000; n++) {
		nl_alloc_fail_after(n);
		oom_imf_once();
		failed = nl_alloc_failed();
		nl_alloc_fail_after(-1);
	}
	ASSERT(!failed);
	ASSERT(n > 10);
}

/* A bounce (RFC 3464): the three parts in order, the per-recipient
 * fields, the original header only, the boundary in no part, and a
 * field with CR/LF refused. */
static void
test_dsn(void)
{
	static const char orig[] = "From: alice@crepes.fr\r\nTo: "
	    "bobb@hamburger.edu\r\nSubject: Lunch\r\nMessage-ID: "
	    "<1.1@crepes.fr>\r\n\r\nsecret body line\r\n";
	struct imf_dsn_rcpt r = { "bobb@hamburger.edu", "5.1.1",
	    "mail.hamburger.edu", "550 5.1.1 No such user here" };
	struct imf_dsn d;
	struct nl_dbuf out;
	const char *text, *p1, *p2, *p3, *end;

	memset(&d, 0, sizeof d);
	d.reporting_mta = "mail.crepes.fr";
	d.from = "MAILER-DAEMON@crepes.fr";
	d.to = "alice@crepes.fr";
	d.date = 1704067260;
	d.arrival = 1704067200;
	d.message_id = "<dsn.1.1704067260@mail.crepes.fr>";
	d.explanation = "Your message could not be delivered.\n";
	d.rcpt = &r;
	d.nrcpt = 1;
	d.orig = (const uint8_t *)orig;
	d.orig_len = sizeof orig - 1;
	nl_dbuf_init(&out, 1u << 20);
	ASSERT_EQ(imf_dsn_write(&d, &out), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&out, "", 1), NL_OK);
	text = (const char *)out.data;
	ASSERT(strstr(text, "From: Mail Delivery System "
	    "<MAILER-DAEMON@crepes.fr>\r\n") == text);
	ASSERT(strstr(text, "\r\nAuto-Submitted: auto-replied\r\n") != NULL);
	ASSERT(strstr(text, "Content-Type: multipart/report; "
	    "report-type=delivery-status;\r\n boundary=\"=_dsn_0\"\r\n") !=
	    NULL);
	p1 = strstr(text, "\r\n--=_dsn_0\r\nContent-Type: text/plain");
	p2 = strstr(text, "\r\n--=_dsn_0\r\nContent-Type: "
	    "message/delivery-status\r\n\r\nReporting-MTA: dns; "
	    "mail.crepes.fr\r\nArrival-Date: Mon, 1 Jan 2024 00:00:00 "
	    "+0000\r\n\r\nFinal-Recipient: rfc822; bobb@hamburger.edu\r\n"
	    "Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; "
	    "mail.hamburger.edu\r\nDiagnostic-Code: smtp; 550 5.1.1 No such "
	    "user here\r\n");
	p3 = strstr(text, "\r\n--=_dsn_0\r\nContent-Type: "
	    "text/rfc822-headers\r\n\r\nFrom: alice@crepes.fr\r\n");
	end = strstr(text, "\r\n--=_dsn_0--\r\n");
	ASSERT(p1 != NULL && p2 != NULL && p3 != NULL && end != NULL);
	ASSERT(p1 < p2 && p2 < p3 && p3 < end);
	ASSERT(strstr(text, "Message-ID: <1.1@crepes.fr>\r\n\r\n--=_dsn_0--")
	    != NULL);
	ASSERT(strstr(text, "secret body line") == NULL);
	nl_dbuf_free(&out);

	r.diag = "550 bad\r\nInjected: yes";
	nl_dbuf_init(&out, 1u << 20);
	ASSERT_EQ(imf_dsn_write(&d, &out), NL_EINVAL);
	nl_dbuf_free(&out);
}

const struct test_case tests_imf[] = {
	{ "imf_date", test_date },
	{ "imf_received", test_received },
	{ "imf_fold", test_fold },
	{ "imf_subject_2047", test_subject_2047 },
	{ "imf_parser_events", test_parser_events },
	{ "imf_parser_limits", test_parser_limits },
	{ "imf_base64", test_base64 },
	{ "imf_qp", test_qp },
	{ "imf_7bit", test_7bit },
	{ "imf_params", test_params },
	{ "imf_multipart_split", test_multipart_split },
	{ "imf_build_parse", test_build_parse },
	{ "imf_attachment_round_trip", test_attachment_round_trip },
	{ "imf_multipart_exact", test_multipart_exact },
	{ "imf_view_headerless", test_view_headerless },
	{ "imf_oom", test_oom },
	{ "imf_dsn", test_dsn },
	{ NULL, NULL },
};
