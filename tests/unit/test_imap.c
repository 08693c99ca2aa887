/* test_imap.c - IMAP (RFC 3501): the codec (strings, literals, sequence
 * sets, FETCH items, ENVELOPE, dates), the server against C:/S: scripts
 * (an RFC 3501 section 8 sample session among them), two sessions
 * sharing flags, the client against the server, literals both ways, bad
 * input, and out-of-memory at every allocation. Every script runs whole,
 * one byte at a time and in 5-byte chunks, and must give the same bytes. */
#include "test.h"

#include "dialogue.h"
#include "imap_mem.h"
#include "proto/imap/imap.h"
#include "util/alloc.h"

/* ---- The store ----------------------------------------------------------- */

static const char msg_a[] =
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
    "From: Alice <alice@crepes.fr>\r\n"
    "To: bob@hamburger.edu\r\n"
    "Subject: Do you like ketchup?\r\n"
    "Message-ID: <1@crepes.fr>\r\n"
    "\r\n"
    "Do you like ketchup?\r\n"
    "How about pickles?\r\n";
static const char msg_b[] =
    "From: \"Carol, from work\" <carol@example.org>\r\n"
    "To: bob@hamburger.edu, undisclosed-recipients:;\r\n"
    "Subject: Lunch\r\n"
    "\r\n"
    "Noon?\r\n";

/* RFC 3501 section 8: message 12 has this 342-octet header and 4286
 * octets in all. */
static const char rfc_header[] =
    "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n"
    "From: Terry Gray <gray@cac.washington.edu>\r\n"
    "Subject: IMAP4rev1 WG mtg summary and minutes\r\n"
    "To: imap@cac.washington.edu\r\n"
    "cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n"
    "Message-Id: <B27397-0100000@cac.washington.edu>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
    "\r\n";
static char rfc_msg[4286];

#define T_1996 837596665	/* 17-Jul-1996 09:44:25 UTC */
#define T_2024 1704103200	/* 01-Jan-2024 10:00:00 UTC */

typedef void setup_fn(struct imap_mem *m);

/* bob: INBOX with msg_a (unseen) and msg_b (seen), and Sent. */
static void
setup_bob(struct imap_mem *m)
{
	struct imap_mem_user *u = imap_mem_add_user(m, "bob", "hungry", 7);

	imap_mem_add(&u->boxes[0], msg_a, sizeof msg_a - 1, 0, T_2024);
	imap_mem_add(&u->boxes[0], msg_b, sizeof msg_b - 1, IMAP_FLAG_SEEN,
	    T_2024 + 60);
	imap_mem_add_box(u, "Sent", 8);
	imap_mem_add_user(m, "alice", "pass word\"\\", 9);
}

/* mrc: 18 messages, 1..16 seen, 12 is RFC 3501's. */
static void
setup_rfc(struct imap_mem *m)
{
	struct imap_mem_user *u = imap_mem_add_user(m, "mrc", "secret",
	    3857529045u);
	size_t i, n = sizeof rfc_header - 1;

	memcpy(rfc_msg, rfc_header, n);
	while (n < sizeof rfc_msg) {
		size_t k = NL_MIN((size_t)78, sizeof rfc_msg - n);

		memset(rfc_msg + n, 'x', k - 2);
		memcpy(rfc_msg + n + k - 2, "\r\n", 2);
		n += k;
	}
	for (i = 1; i <= 18; i++) {
		unsigned f = i <= 16 ? IMAP_FLAG_SEEN : 0;

		if (i == 12)
			imap_mem_add(&u->boxes[0], rfc_msg, sizeof rfc_msg, f,
			    T_1996);
		else
			imap_mem_add(&u->boxes[0], msg_b, sizeof msg_b - 1, f,
			    T_1996);
	}
}

/* ---- Running scripts ----------------------------------------------------- */

static struct imap_srv *
srv_new(struct imap_mem *m, imap_event_fn *ev, void *arg)
{
	struct imap_srv_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.ops = &imap_mem_ops;
	cfg.be = m;
	cfg.event = ev;
	cfg.event_arg = arg;
	return imap_srv_new(&cfg);
}

static void
srv_drain(struct imap_srv *s, struct dlg_tx *t)
{
	struct nl_dbuf *out = imap_srv_out(s);

	dlg_tx_add(t, 0, out->data, out->len);
	nl_dbuf_reset(out);
}

static enum nl_status
srv_feed(struct imap_srv *s, const void *p, size_t n, size_t chunk)
{
	const uint8_t *b = p;
	enum nl_status st = NL_OK;

	while (n > 0 && st == NL_OK) {
		size_t k = chunk == 0 || chunk > n ? n : chunk;

		st = imap_srv_feed(s, b, k);
		b += k;
		n -= k;
	}
	return st;
}

static void
srv_run_lines(const char *script, setup_fn *setup, size_t chunk,
    struct dlg_tx *t, struct imap_mem *m)
{
	struct imap_srv *s;
	const char *line;
	char buf[2048];
	size_t len;
	char who;

	imap_mem_init(m);
	setup(m);
	dlg_tx_init(t);
	s = srv_new(m, NULL, NULL);
	if (s == NULL)
		return;
	imap_srv_start(s);
	srv_drain(s, t);
	while ((script = dlg_next(script, &who, &line, &len)) != NULL) {
		if (who != 'C' || len + 2 > sizeof buf)
			continue;
		memcpy(buf, line, len);
		memcpy(buf + len, "\r\n", 2);
		dlg_tx_add(t, 1, buf, len + 2);
		srv_feed(s, buf, len + 2, chunk);
		srv_drain(s, t);
	}
	imap_srv_free(s);
}

static void
check_srv_script(const char *script, setup_fn *setup)
{
	static struct dlg_tx t;
	static char in[DLG_TEXT_MAX], want[DLG_TEXT_MAX];
	static const size_t chunks[] = { 0, 1, 5 };
	struct imap_mem m;
	struct imap_srv *s;
	struct nl_dbuf *out;
	size_t i, n;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		srv_run_lines(script, setup, chunks[i], &t, &m);
		ASSERT(!t.overflow);
		ASSERT_STR_EQ(t.text, script);
	}
	n = dlg_side(script, 'C', in, sizeof in);
	dlg_side(script, 'S', want, sizeof want);
	imap_mem_init(&m);
	setup(&m);
	s = srv_new(&m, NULL, NULL);
	ASSERT(s != NULL);
	imap_srv_start(s);
	imap_srv_feed(s, (const uint8_t *)in, n);
	out = imap_srv_out(s);
	ASSERT_STR_EQ(out->data != NULL ? (const char *)out->data : "", want);
	imap_srv_free(s);
}

/* Feeds one command line and returns what the server answered. */
static const char *
ask(struct imap_srv *s, const char *cmd)
{
	static char ans[8192];
	struct nl_dbuf *out = imap_srv_out(s);
	size_t n;

	nl_dbuf_reset(out);
	imap_srv_feed(s, (const uint8_t *)cmd, strlen(cmd));
	imap_srv_feed(s, (const uint8_t *)"\r\n", 2);
	n = NL_MIN(out->len, sizeof ans - 1);
	if (n > 0)
		memcpy(ans, out->data, n);
	ans[n] = '\0';
	nl_dbuf_reset(out);
	return ans;
}

/* ---- Codec --------------------------------------------------------------- */

static void
test_imap_parse_strings(void)
{
	static const char in[] = "A001 \"a \\\"q\\\" \\\\\" {5}\r\nx\0y\r\n NIL "
	    "atom] {3}\r\nabc nil";
	struct imap_parser ps;
	struct imap_str s;
	char out[64];
	uint32_t v;

	imap_p_init(&ps, (const uint8_t *)in, sizeof in - 1);
	ASSERT_EQ(imap_p_tag(&ps, out, sizeof out), NL_OK);
	ASSERT_STR_EQ(out, "A001");
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_astring_raw(&ps, &s), NL_OK);
	ASSERT_EQ(s.kind, IMAP_STR_QUOTED);
	ASSERT_EQ(imap_str_copy(&s, out, sizeof out), NL_OK);
	ASSERT_STR_EQ(out, "a \"q\" \\");
	ASSERT_EQ(imap_str_copy(&s, out, 4), NL_ELIMIT);
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_astring_raw(&ps, &s), NL_OK);
	ASSERT_EQ(s.kind, IMAP_STR_LITERAL);
	ASSERT_EQ(s.len, 5);
	ASSERT_EQ(imap_str_copy(&s, out, sizeof out), NL_EMALFORMED); /* NUL */
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_nstring_raw(&ps, &s), NL_OK);
	ASSERT_EQ(s.kind, IMAP_STR_NIL);
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_nstring_raw(&ps, &s), NL_EMALFORMED); /* an atom */
	ASSERT_EQ(imap_p_astring_raw(&ps, &s), NL_OK);
	ASSERT_EQ(s.kind, IMAP_STR_ATOM);
	ASSERT_EQ(s.len, 5);	/* "atom]": ] is an ASTRING-CHAR */
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_nstring_raw(&ps, &s), NL_OK);
	ASSERT_EQ(s.kind, IMAP_STR_LITERAL);
	ASSERT_MEM_EQ(s.p, "abc", 3);
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_nstring_raw(&ps, &s), NL_OK);
	ASSERT_EQ(s.kind, IMAP_STR_NIL);
	ASSERT(imap_p_eof(&ps));

	imap_p_init(&ps, (const uint8_t *)"4294967295 4294967296 {9}\r\nab",
	    30);
	ASSERT_EQ(imap_p_number(&ps, &v), NL_OK);
	ASSERT_U64_EQ(v, 4294967295u);
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_number(&ps, &v), NL_EMALFORMED);
	ASSERT_EQ(imap_p_skip_value(&ps), NL_OK);
	ASSERT_EQ(imap_p_sp(&ps), NL_OK);
	ASSERT_EQ(imap_p_astring_raw(&ps, &s), NL_EMALFORMED); /* short */
	imap_p_init(&ps, (const uint8_t *)"\"open", 5);
	ASSERT_EQ(imap_p_astring_raw(&ps, &s), NL_EMALFORMED);
	imap_p_init(&ps, (const uint8_t *)"\"a\\b\"", 5);
	ASSERT_EQ(imap_p_astring_raw(&ps, &s), NL_EMALFORMED);
	imap_p_init(&ps, (const uint8_t *)"+tag", 4);
	ASSERT_EQ(imap_p_tag(&ps, out, sizeof out), NL_EMALFORMED);
}

static void
test_imap_writers(void)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 4096);
	ASSERT_EQ(imap_w_astring(&b, "INBOX", 5), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_astring(&b, "two words", 9), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_astring(&b, "q\"b\\", 4), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_astring(&b, "NIL", 3), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_nstring(&b, "caf\xc3\xa9", 5), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_nstring(&b, NULL, 0), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_flags(&b, IMAP_FLAG_DELETED | IMAP_FLAG_SEEN), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_flags(&b, 0), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_date(&b, T_1996), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_date(&b, 0), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_date(&b, -1), NL_OK);
	ASSERT_EQ(nl_dbuf_add(&b, " ", 1), NL_OK);
	ASSERT_EQ(imap_w_date(&b, 951782400), NL_OK);	/* 2000-02-29 */
	ASSERT_STR_EQ((const char *)b.data,
	    "INBOX \"two words\" \"q\\\"b\\\\\" \"NIL\" {5}\r\ncaf\xc3\xa9 NIL "
	    "(\\Seen \\Deleted) () \"17-Jul-1996 09:44:25 +0000\" "
	    "\"01-Jan-1970 00:00:00 +0000\" \"31-Dec-1969 23:59:59 +0000\" "
	    "\"29-Feb-2000 00:00:00 +0000\"");
	nl_dbuf_free(&b);
}

static void
test_imap_seqset(void)
{
	static const struct {
		const char *in;		/* the set */
		enum nl_status st;	/* what parsing says */
		const char *has;	/* 1..9 in it, "*" = 7 */
	} cases[] = {
		{ "1", NL_OK, "100000000" },
		{ "1:3", NL_OK, "111000000" },
		{ "2:*", NL_OK, "011111100" },
		{ "*", NL_OK, "000000100" },
		{ "3:1", NL_OK, "111000000" },
		{ "1,3,5:6", NL_OK, "101011000" },
		{ "*:5", NL_OK, "000011100" },
		{ "9", NL_OK, "000000001" },
		{ "0", NL_EMALFORMED, NULL },
		{ "01", NL_EMALFORMED, NULL },
		{ "1:", NL_EMALFORMED, NULL },
		{ ",1", NL_EMALFORMED, NULL },
		{ "1,", NL_EMALFORMED, NULL },
		{ "4294967296", NL_EMALFORMED, NULL },
	};
	struct imap_seqset set;
	struct imap_parser ps;
	char many[512];
	size_t i, k, n = 0;

	for (i = 0; i < NL_ARRAY_LEN(cases); i++) {
		imap_p_init(&ps, (const uint8_t *)cases[i].in,
		    strlen(cases[i].in));
		ASSERT_EQ(imap_p_seqset(&ps, &set), cases[i].st);
		if (cases[i].has == NULL)
			continue;
		ASSERT(imap_p_eof(&ps));
		for (k = 0; k < 9; k++)
			ASSERT_EQ(imap_seqset_has(&set, (uint32_t)k + 1, 7),
			    cases[i].has[k] == '1');
	}
	imap_p_init(&ps, (const uint8_t *)"2:4,9", 5);
	ASSERT_EQ(imap_p_seqset(&ps, &set), NL_OK);
	ASSERT_EQ(imap_seqset_max(&set), 9);
	/* More ranges than a set holds: over the limit, not a crash. */
	for (k = 0; k < 100; k++)
		n += (size_t)snprintf(many + n, sizeof many - n, "%s%zu",
		    k ? "," : "", k + 1);
	imap_p_init(&ps, (const uint8_t *)many, n);
	ASSERT_EQ(imap_p_seqset(&ps, &set), NL_ELIMIT);
}

static void
test_imap_fetch_atts(void)
{
	struct imap_fetch f;
	struct imap_parser ps;
	static const char in[] = "(FLAGS body.peek[header] BODY[] RFC822.SIZE "
	    "uid ENVELOPE INTERNALDATE BODY[TEXT] RFC822.HEADER)";

	imap_p_init(&ps, (const uint8_t *)in, sizeof in - 1);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_OK);
	ASSERT(imap_p_eof(&ps));
	ASSERT_EQ(f.n, 9);
	ASSERT_EQ(f.item[1].fa, IMAP_FA_BODY_HEADER);
	ASSERT_EQ(f.item[1].peek, 1);
	ASSERT_EQ(f.item[2].fa, IMAP_FA_BODY);
	ASSERT_EQ(f.item[2].peek, 0);
	ASSERT_EQ(f.item[8].rfc822, 1);
	ASSERT_EQ(f.item[8].peek, 1);
	imap_p_init(&ps, (const uint8_t *)"ALL", 3);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_OK);
	ASSERT_EQ(f.n, 4);
	ASSERT_EQ(f.item[3].fa, IMAP_FA_ENVELOPE);
	imap_p_init(&ps, (const uint8_t *)"FULL", 4);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_EUNSUPPORTED);
	imap_p_init(&ps, (const uint8_t *)"BODY[1.2]", 9);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_EUNSUPPORTED);
	imap_p_init(&ps, (const uint8_t *)"BODY[]<0.10>", 12);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_EUNSUPPORTED);
	imap_p_init(&ps, (const uint8_t *)"(ALL)", 5);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_EMALFORMED);
	imap_p_init(&ps, (const uint8_t *)"(FLAGS", 6);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_EMALFORMED);
	imap_p_init(&ps, (const uint8_t *)"BODY[HEADER", 11);
	ASSERT_EQ(imap_p_fetch_atts(&ps, &f), NL_EMALFORMED);
}

/* Writes the envelope of msg and reads it back as a client would. */
static void
envelope_of(const char *msg, size_t len, char *out, size_t outsz,
    struct imap_envelope *env)
{
	struct nl_dbuf b;
	struct imap_parser ps;

	nl_dbuf_init(&b, 65536);
	out[0] = '\0';
	memset(env, 0, sizeof *env);
	if (imap_w_envelope(&b, (const uint8_t *)msg, len) != NL_OK)
		return;
	snprintf(out, outsz, "%s", (const char *)b.data);
	imap_p_init(&ps, b.data, b.len);
	if (imap_p_envelope(&ps, env) != NL_OK || !imap_p_eof(&ps))
		env->date[0] = '?';
	nl_dbuf_free(&b);
}

static void
test_imap_envelope(void)
{
	static const char folded[] =
	    "Subject: a folded\r\n\tsubject\r\n"
	    "From: john (John Doe)\r\n"
	    "TO: Group: a@b.c, \"Last, First\" <l@f.org>;, x@y.z\r\n"
	    "Cc: <@relay.net:route@host.org>\r\n"
	    "Subject: second subject is ignored\r\n"
	    "\r\n"
	    "From: not a header\r\n";
	static const char eight_bit[] = "Subject: caf\xc3\xa9\r\n\r\n";
	char out[2048];
	struct imap_envelope env;

	envelope_of(rfc_header, sizeof rfc_header - 1, out, sizeof out, &env);
	ASSERT_STR_EQ(out,
	    "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
	    "\"IMAP4rev1 WG mtg summary and minutes\" "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	    "((NIL NIL \"imap\" \"cac.washington.edu\")) "
	    "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
	    "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
	    "\"<B27397-0100000@cac.washington.edu>\")");
	ASSERT_STR_EQ(env.date, "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)");
	ASSERT_STR_EQ(env.subject, "IMAP4rev1 WG mtg summary and minutes");
	ASSERT_STR_EQ(env.from, "Terry Gray <gray@cac.washington.edu>");
	ASSERT_STR_EQ(env.to, "imap@cac.washington.edu");
	ASSERT_STR_EQ(env.message_id, "<B27397-0100000@cac.washington.edu>");

	envelope_of(folded, sizeof folded - 1, out, sizeof out, &env);
	ASSERT_STR_EQ(out,
	    "(NIL \"a folded\tsubject\" "
	    "((\"John Doe\" NIL \"john\" \"\")) "
	    "((\"John Doe\" NIL \"john\" \"\")) "
	    "((\"John Doe\" NIL \"john\" \"\")) "
	    "((NIL NIL \"Group\" NIL)(NIL NIL \"a\" \"b.c\")"
	    "(\"Last, First\" NIL \"l\" \"f.org\")(NIL NIL NIL NIL)"
	    "(NIL NIL \"x\" \"y.z\")) "
	    "((NIL NIL \"route\" \"host.org\")) NIL NIL NIL)");
	ASSERT_STR_EQ(env.subject, "a folded subject");
	ASSERT_STR_EQ(env.to, "a@b.c");

	envelope_of(eight_bit, sizeof eight_bit - 1, out, sizeof out, &env);
	ASSERT_STR_EQ(out, "(NIL {5}\r\ncaf\xc3\xa9 NIL NIL NIL NIL NIL NIL "
	    "NIL NIL)");
	ASSERT_STR_EQ(env.subject, "caf\xc3\xa9");

	envelope_of("", 0, out, sizeof out, &env);
	ASSERT_STR_EQ(out, "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
	ASSERT_STR_EQ(env.date, "");
}

/* The reader joins lines and literals the same way in any chunking, and
 * refuses, accepts or skips a literal as told. */
static void
test_imap_reader(void)
{
	static const char in[] = "A1 LOGIN {3}\r\nbob {4}\r\nx\r\ny\r\n"
	    "A2 NOOP\r\n";
	static const char want1[] = "A1 LOGIN {3}\r\nbob {4}\r\nx\r\ny";
	size_t chunk;

	for (chunk = 1; chunk <= sizeof in; chunk++) {
		struct imap_reader r;
		size_t pos = 0, lits = 0, done = 0, n;
		const uint8_t *msg;

		imap_reader_init(&r, 64, 16, 128);
		while (pos < sizeof in - 1) {
			size_t k = NL_MIN(chunk, sizeof in - 1 - pos), used;
			enum imap_rd ev;

			while (k > 0) {
				ASSERT_EQ(imap_reader_feed(&r,
				    (const uint8_t *)in + pos, k, &used, &ev),
				    NL_OK);
				pos += used;
				k -= used;
				if (ev == IMAP_RD_LITERAL) {
					ASSERT(imap_reader_literal_fits(&r));
					imap_reader_accept(&r);
					lits++;
				} else if (ev == IMAP_RD_DONE) {
					msg = imap_reader_msg(&r, &n);
					if (done == 0) {
						ASSERT_EQ(n, sizeof want1 - 1);
						ASSERT_MEM_EQ(msg, want1, n);
					} else {
						ASSERT_EQ(n, 7);
						ASSERT_MEM_EQ(msg, "A2 NOOP", 7);
					}
					done++;
				}
			}
		}
		ASSERT_EQ(lits, 2);
		ASSERT_EQ(done, 2);
		imap_reader_free(&r);
	}
}

static void
test_imap_reader_limits(void)
{
	struct imap_reader r;
	enum imap_rd ev;
	size_t used, n;
	const uint8_t *msg;
	static const char big[] = "A1 LOGIN {99999999999999999999999999}\r\n";
	static const char skip[] = "* 1 FETCH (BODY[] {20}\r\n"
	    "01234567890123456789)\r\n* 2 EXISTS\r\n";

	imap_reader_init(&r, 64, 16, 128);
	ASSERT_EQ(imap_reader_feed(&r, (const uint8_t *)big, sizeof big - 1,
	    &used, &ev), NL_OK);
	ASSERT_EQ(ev, IMAP_RD_LITERAL);
	ASSERT_EQ(used, sizeof big - 1);
	ASSERT(imap_reader_literal(&r) == SIZE_MAX);
	ASSERT(!imap_reader_literal_fits(&r));
	imap_reader_refuse(&r);
	msg = imap_reader_msg(&r, &n);
	ASSERT(n >= 2 && memcmp(msg, "A1", 2) == 0);
	/* The server said no: the next line is a new command. */
	ASSERT_EQ(imap_reader_feed(&r, (const uint8_t *)"A2 NOOP\r\n", 9,
	    &used, &ev), NL_OK);
	ASSERT_EQ(ev, IMAP_RD_DONE);
	imap_reader_free(&r);

	/* A client skips a literal over its limit, and the rest of that
	 * response, and reads on. */
	imap_reader_init(&r, 64, 16, 128);
	ASSERT_EQ(imap_reader_feed(&r, (const uint8_t *)skip, sizeof skip - 1,
	    &used, &ev), NL_OK);
	ASSERT_EQ(ev, IMAP_RD_LITERAL);
	imap_reader_skip(&r);
	n = used;
	ASSERT(imap_reader_in_literal(&r));
	ASSERT_EQ(imap_reader_feed(&r, (const uint8_t *)skip + n,
	    sizeof skip - 1 - n, &used, &ev), NL_OK);
	ASSERT_EQ(used, 20);
	n += used;
	ASSERT_EQ(imap_reader_feed(&r, (const uint8_t *)skip + n,
	    sizeof skip - 1 - n, &used, &ev), NL_OK);
	ASSERT_EQ(ev, IMAP_RD_TOOLONG);
	n += used;
	ASSERT_EQ(imap_reader_feed(&r, (const uint8_t *)skip + n,
	    sizeof skip - 1 - n, &used, &ev), NL_OK);
	ASSERT_EQ(ev, IMAP_RD_DONE);
	msg = imap_reader_msg(&r, &n);
	ASSERT_EQ(n, 10);
	ASSERT_MEM_EQ(msg, "* 2 EXISTS", 10);
	imap_reader_free(&r);
}

static void
test_imap_names(void)
{
	ASSERT_STR_EQ(imap_srv_state_str(IMAP_SRV_NOT_AUTHENTICATED),
	    "NOT_AUTHENTICATED");
	ASSERT_STR_EQ(imap_cli_state_str(IMAP_CLI_SUMMARY), "SUMMARY");
	ASSERT_STR_EQ(imap_fa_str(IMAP_FA_BODY_HEADER), "BODY[HEADER]");
	ASSERT_STR_EQ(imap_rd_str(IMAP_RD_LITERAL), "literal");
	ASSERT_STR_EQ(imap_ev_str(IMAP_EV_LINE), "line");
	ASSERT_STR_EQ(imap_str_kind_str(IMAP_STR_QUOTED), "quoted");
}

/* ---- Server scripts ------------------------------------------------------ */

#define SELECT_BOB_INBOX \
	"S: * 2 EXISTS\n" \
	"S: * 0 RECENT\n" \
	"S: * OK [UNSEEN 1] Message 1 is first unseen\n" \
	"S: * OK [UIDVALIDITY 7] UIDs valid\n" \
	"S: * OK [UIDNEXT 3] Predicted next UID\n" \
	"S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n" \
	"S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen " \
	"\\Draft)] Limited\n"

#define ENV_A "ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" " \
	"\"Do you like ketchup?\" ((\"Alice\" NIL \"alice\" \"crepes.fr\")) " \
	"((\"Alice\" NIL \"alice\" \"crepes.fr\")) " \
	"((\"Alice\" NIL \"alice\" \"crepes.fr\")) " \
	"((NIL NIL \"bob\" \"hamburger.edu\")) NIL NIL NIL \"<1@crepes.fr>\")"
#define ENV_B "ENVELOPE (NIL \"Lunch\" " \
	"((\"Carol, from work\" NIL \"carol\" \"example.org\")) " \
	"((\"Carol, from work\" NIL \"carol\" \"example.org\")) " \
	"((\"Carol, from work\" NIL \"carol\" \"example.org\")) " \
	"((NIL NIL \"bob\" \"hamburger.edu\")" \
	"(NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) " \
	"NIL NIL NIL NIL)"
#define BODY_A_LINES \
	"S: Date: Mon, 1 Jan 2024 10:00:00 +0000\n" \
	"S: From: Alice <alice@crepes.fr>\n" \
	"S: To: bob@hamburger.edu\n" \
	"S: Subject: Do you like ketchup?\n" \
	"S: Message-ID: <1@crepes.fr>\n" \
	"S: \n" \
	"S: Do you like ketchup?\n" \
	"S: How about pickles?\n"

/* RFC 3501 section 8, with FETCH ALL in place of FULL (BODY structure is
 * not implemented), no \Recent (RFC 9051 dropped it), dates in UTC. */
static void
test_imap_rfc3501_session(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: a001 login mrc secret\n"
	    "S: a001 OK LOGIN completed\n"
	    "C: a002 select inbox\n"
	    "S: * 18 EXISTS\n"
	    "S: * 0 RECENT\n"
	    "S: * OK [UNSEEN 17] Message 17 is first unseen\n"
	    "S: * OK [UIDVALIDITY 3857529045] UIDs valid\n"
	    "S: * OK [UIDNEXT 19] Predicted next UID\n"
	    "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft)] Limited\n"
	    "S: a002 OK [READ-WRITE] SELECT completed\n"
	    "C: a003 fetch 12 all\n"
	    "S: * 12 FETCH (FLAGS (\\Seen) INTERNALDATE "
	    "\"17-Jul-1996 09:44:25 +0000\" RFC822.SIZE 4286 ENVELOPE "
	    "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
	    "\"IMAP4rev1 WG mtg summary and minutes\" "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	    "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
	    "((NIL NIL \"imap\" \"cac.washington.edu\")) "
	    "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
	    "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
	    "\"<B27397-0100000@cac.washington.edu>\"))\n"
	    "S: a003 OK FETCH completed\n"
	    "C: a004 fetch 12 body[header]\n"
	    "S: * 12 FETCH (BODY[HEADER] {342}\n"
	    "S: Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\n"
	    "S: From: Terry Gray <gray@cac.washington.edu>\n"
	    "S: Subject: IMAP4rev1 WG mtg summary and minutes\n"
	    "S: To: imap@cac.washington.edu\n"
	    "S: cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\n"
	    "S: Message-Id: <B27397-0100000@cac.washington.edu>\n"
	    "S: MIME-Version: 1.0\n"
	    "S: Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\n"
	    "S: \n"
	    "S: )\n"
	    "S: a004 OK FETCH completed\n"
	    "C: a005 store 12 +flags \\deleted\n"
	    "S: * 12 FETCH (FLAGS (\\Seen \\Deleted))\n"
	    "S: a005 OK STORE completed\n"
	    "C: a006 logout\n"
	    "S: * BYE IMAP4rev1 Server logging out\n"
	    "S: a006 OK LOGOUT completed\n",
	    setup_rfc);
}

static void
test_imap_wrong_state(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 SELECT INBOX\n"
	    "S: A1 BAD SELECT not allowed in the NOT_AUTHENTICATED state\n"
	    "C: A2 FETCH 1 FLAGS\n"
	    "S: A2 BAD FETCH not allowed in the NOT_AUTHENTICATED state\n"
	    "C: A3 LOGIN bob wrong\n"
	    "S: A3 NO [AUTHENTICATIONFAILED] Invalid credentials\n"
	    "C: A4 LOGIN bob\n"
	    "S: A4 BAD Invalid arguments to LOGIN\n"
	    "C: A5 CAPABILITY\n"
	    "S: * CAPABILITY IMAP4rev1\n"
	    "S: A5 OK CAPABILITY completed\n"
	    "C: A6 LOGIN bob hungry\n"
	    "S: A6 OK LOGIN completed\n"
	    "C: A7 LOGIN bob hungry\n"
	    "S: A7 BAD LOGIN not allowed in the AUTHENTICATED state\n"
	    "C: A8 STORE 1 +FLAGS (\\Seen)\n"
	    "S: A8 BAD STORE not allowed in the AUTHENTICATED state\n"
	    "C: A9 EXPUNGE\n"
	    "S: A9 BAD EXPUNGE not allowed in the AUTHENTICATED state\n"
	    "C: A10 SELECT Nowhere\n"
	    "S: A10 NO [NONEXISTENT] Mailbox does not exist\n"
	    "C: A11 EXAMINE INBOX\n"
	    "S: * 2 EXISTS\n"
	    "S: * 0 RECENT\n"
	    "S: * OK [UNSEEN 1] Message 1 is first unseen\n"
	    "S: * OK [UIDVALIDITY 7] UIDs valid\n"
	    "S: * OK [UIDNEXT 3] Predicted next UID\n"
	    "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "S: * OK [PERMANENTFLAGS ()] No permanent flags permitted\n"
	    "S: A11 OK [READ-ONLY] EXAMINE completed\n"
	    "C: A12 STORE 1 +FLAGS (\\Deleted)\n"
	    "S: A12 NO [READ-ONLY] Mailbox is read-only\n"
	    "C: A13 EXPUNGE\n"
	    "S: A13 NO [READ-ONLY] Mailbox is read-only\n"
	    "C: A14 FETCH 1 (FLAGS BODY[TEXT])\n"
	    "S: * 1 FETCH (FLAGS () BODY[TEXT] {42}\n"
	    "S: Do you like ketchup?\n"
	    "S: How about pickles?\n"
	    "S: )\n"
	    "S: A14 OK FETCH completed\n"
	    "C: A15 SELECT Nowhere\n"
	    "S: A15 NO [NONEXISTENT] Mailbox does not exist\n"
	    "C: A16 FETCH 1 FLAGS\n"
	    "S: A16 BAD FETCH not allowed in the AUTHENTICATED state\n"
	    "C: A17 LOGOUT\n"
	    "S: * BYE IMAP4rev1 Server logging out\n"
	    "S: A17 OK LOGOUT completed\n",
	    setup_bob);
}

static void
test_imap_bad_commands(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: \n"
	    "S: * BAD Missing or invalid tag\n"
	    "C: +A1 NOOP\n"
	    "S: * BAD Missing or invalid tag\n"
	    "C: A1\n"
	    "S: A1 BAD Missing or invalid command\n"
	    "C: A2 FROB\n"
	    "S: A2 BAD Unknown command\n"
	    "C: A3  NOOP\n"
	    "S: A3 BAD Missing or invalid command\n"
	    "C: A4 NOOP extra\n"
	    "S: A4 BAD Unexpected arguments to NOOP\n"
	    "C: A5 UID NOOP\n"
	    "S: A5 BAD UID takes FETCH, STORE or COPY\n"
	    "C: A6 LOGIN \"bob\" \"hungry\n"
	    "S: A6 BAD Invalid arguments to LOGIN\n"
	    "C: A7 login \"bob\" \"hungry\"\n"
	    "S: A7 OK LOGIN completed\n"
	    "C: A8 select \"INBOX\"\n"
	    SELECT_BOB_INBOX
	    "S: A8 OK [READ-WRITE] SELECT completed\n"
	    "C: A9 FETCH 0 FLAGS\n"
	    "S: A9 BAD Invalid sequence set\n"
	    "C: A10 FETCH 3 FLAGS\n"
	    "S: A10 BAD Invalid message sequence number\n"
	    "C: A11 FETCH 1 FULL\n"
	    "S: A11 BAD Fetch item not supported\n"
	    "C: A12 FETCH 1 (FLAGS\n"
	    "S: A12 BAD Invalid fetch items\n"
	    "C: A13 FETCH 1 BODY[]<0.5>\n"
	    "S: A13 BAD Fetch item not supported\n"
	    "C: A14 STORE 1 +FLAGS ($Junk)\n"
	    "S: A14 BAD Only system flags can be stored\n"
	    "C: A15 STORE 1 FLAGZ (\\Seen)\n"
	    "S: A15 BAD Invalid arguments to STORE\n"
	    "C: A16 STORE 1 +FLAGS (\\Seen\n"
	    "S: A16 BAD Invalid flags\n"
	    "C: A17 COPY 1\n"
	    "S: A17 BAD Invalid arguments to COPY\n"
	    "C: A18 FETCH 1:2 FLAGS \n"
	    "S: A18 BAD Unexpected arguments to FETCH\n"
	    "C: A19 NOOP\n"
	    "S: A19 OK NOOP completed\n",
	    setup_bob);
}

/* Sequence sets and UID sets, and what FETCH gives for each. */
static void
test_imap_sequence_sets(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 LOGIN bob hungry\n"
	    "S: A1 OK LOGIN completed\n"
	    "C: A2 SELECT INBOX\n"
	    SELECT_BOB_INBOX
	    "S: A2 OK [READ-WRITE] SELECT completed\n"
	    "C: A3 FETCH 2:* FLAGS\n"
	    "S: * 2 FETCH (FLAGS (\\Seen))\n"
	    "S: A3 OK FETCH completed\n"
	    "C: A4 FETCH * (UID RFC822.SIZE)\n"
	    "S: * 2 FETCH (UID 2 RFC822.SIZE 120)\n"
	    "S: A4 OK FETCH completed\n"
	    "C: A5 FETCH 2:1 UID\n"
	    "S: * 1 FETCH (UID 1)\n"
	    "S: * 2 FETCH (UID 2)\n"
	    "S: A5 OK FETCH completed\n"
	    "C: A6 FETCH 2,1 FAST\n"
	    "S: * 1 FETCH (FLAGS () INTERNALDATE \"01-Jan-2024 10:00:00 +0000\" "
	    "RFC822.SIZE 194)\n"
	    "S: * 2 FETCH (FLAGS (\\Seen) INTERNALDATE "
	    "\"01-Jan-2024 10:01:00 +0000\" RFC822.SIZE 120)\n"
	    "S: A6 OK FETCH completed\n"
	    "C: A7 UID FETCH 2:* FLAGS\n"
	    "S: * 2 FETCH (UID 2 FLAGS (\\Seen))\n"
	    "S: A7 OK UID FETCH completed\n"
	    "C: A8 UID FETCH 5:9 FLAGS\n"
	    "S: A8 OK UID FETCH completed\n"
	    "C: A9 UID FETCH 1,99 (UID FLAGS)\n"
	    "S: * 1 FETCH (UID 1 FLAGS ())\n"
	    "S: A9 OK UID FETCH completed\n"
	    "C: A10 UID STORE 1:* +FLAGS.SILENT (\\Flagged)\n"
	    "S: A10 OK UID STORE completed\n"
	    "C: A11 UID STORE 2 -FLAGS (\\Flagged)\n"
	    "S: * 2 FETCH (UID 2 FLAGS (\\Seen))\n"
	    "S: A11 OK UID STORE completed\n"
	    "C: A12 STORE 1 FLAGS (\\Answered \\Draft)\n"
	    "S: * 1 FETCH (FLAGS (\\Answered \\Draft))\n"
	    "S: A12 OK STORE completed\n"
	    "C: A13 FETCH 3:* FLAGS\n"
	    "S: A13 BAD Invalid message sequence number\n",
	    setup_bob);
}

/* \Seen: set by BODY[] (and said in the same response), not by
 * BODY.PEEK[] nor RFC822.HEADER. */
static void
test_imap_seen_flag(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 LOGIN bob hungry\n"
	    "S: A1 OK LOGIN completed\n"
	    "C: A2 SELECT INBOX\n"
	    SELECT_BOB_INBOX
	    "S: A2 OK [READ-WRITE] SELECT completed\n"
	    "C: A3 FETCH 1 BODY.PEEK[]\n"
	    "S: * 1 FETCH (BODY[] {194}\n"
	    BODY_A_LINES
	    "S: )\n"
	    "S: A3 OK FETCH completed\n"
	    "C: A4 FETCH 1 (RFC822.HEADER FLAGS)\n"
	    "S: * 1 FETCH (RFC822.HEADER {152}\n"
	    "S: Date: Mon, 1 Jan 2024 10:00:00 +0000\n"
	    "S: From: Alice <alice@crepes.fr>\n"
	    "S: To: bob@hamburger.edu\n"
	    "S: Subject: Do you like ketchup?\n"
	    "S: Message-ID: <1@crepes.fr>\n"
	    "S: \n"
	    "S:  FLAGS ())\n"
	    "S: A4 OK FETCH completed\n"
	    "C: A5 UID FETCH 1 BODY[]\n"
	    "S: * 1 FETCH (UID 1 FLAGS (\\Seen) BODY[] {194}\n"
	    BODY_A_LINES
	    "S: )\n"
	    "S: A5 OK UID FETCH completed\n"
	    "C: A6 FETCH 1 (FLAGS RFC822)\n"
	    "S: * 1 FETCH (FLAGS (\\Seen) RFC822 {194}\n"
	    BODY_A_LINES
	    "S: )\n"
	    "S: A6 OK FETCH completed\n",
	    setup_bob);
}

/* LIST, CREATE, COPY, EXPUNGE with renumbering, CLOSE. */
static void
test_imap_mailboxes(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 LOGIN bob hungry\n"
	    "S: A1 OK LOGIN completed\n"
	    "C: A2 LIST \"\" \"\"\n"
	    "S: * LIST (\\Noselect) \"/\" \"\"\n"
	    "S: A2 OK LIST completed\n"
	    "C: A3 CREATE Work/2024\n"
	    "S: A3 OK CREATE completed\n"
	    "C: A4 CREATE inbox\n"
	    "S: A4 NO [ALREADYEXISTS] Mailbox already exists\n"
	    "C: A5 CREATE \"a*b\"\n"
	    "S: A5 NO [CANNOT] Invalid mailbox name\n"
	    "C: A6 CREATE \"Work//x\"\n"
	    "S: A6 NO [CANNOT] Invalid mailbox name\n"
	    "C: A7 LIST \"\" *\n"
	    "S: * LIST () \"/\" INBOX\n"
	    "S: * LIST () \"/\" Sent\n"
	    "S: * LIST () \"/\" Work/2024\n"
	    "S: A7 OK LIST completed\n"
	    "C: A8 LIST \"\" %\n"
	    "S: * LIST () \"/\" INBOX\n"
	    "S: * LIST () \"/\" Sent\n"
	    "S: A8 OK LIST completed\n"
	    "C: A9 LIST Work/ %\n"
	    "S: * LIST () \"/\" Work/2024\n"
	    "S: A9 OK LIST completed\n"
	    "C: A10 LIST \"\" inBOX\n"
	    "S: * LIST () \"/\" INBOX\n"
	    "S: A10 OK LIST completed\n"
	    "C: A11 SELECT INBOX\n"
	    SELECT_BOB_INBOX
	    "S: A11 OK [READ-WRITE] SELECT completed\n"
	    "C: A12 COPY 1:2 Sent\n"
	    "S: A12 OK COPY completed\n"
	    "C: A13 COPY 1 Archive\n"
	    "S: A13 NO [TRYCREATE] Mailbox does not exist\n"
	    "C: A14 STORE 1:2 +FLAGS.SILENT (\\Deleted)\n"
	    "S: A14 OK STORE completed\n"
	    "C: A15 EXPUNGE\n"
	    "S: * 1 EXPUNGE\n"
	    "S: * 1 EXPUNGE\n"
	    "S: A15 OK EXPUNGE completed\n"
	    "C: A16 SELECT Sent\n"
	    "S: * 2 EXISTS\n"
	    "S: * 0 RECENT\n"
	    "S: * OK [UNSEEN 1] Message 1 is first unseen\n"
	    "S: * OK [UIDVALIDITY 8] UIDs valid\n"
	    "S: * OK [UIDNEXT 3] Predicted next UID\n"
	    "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft)] Limited\n"
	    "S: A16 OK [READ-WRITE] SELECT completed\n"
	    "C: A17 STORE 2 +FLAGS (\\Deleted)\n"
	    "S: * 2 FETCH (FLAGS (\\Seen \\Deleted))\n"
	    "S: A17 OK STORE completed\n"
	    "C: A18 CLOSE\n"
	    "S: A18 OK CLOSE completed\n"
	    "C: A19 SELECT Sent\n"
	    "S: * 1 EXISTS\n"
	    "S: * 0 RECENT\n"
	    "S: * OK [UNSEEN 1] Message 1 is first unseen\n"
	    "S: * OK [UIDVALIDITY 8] UIDs valid\n"
	    "S: * OK [UIDNEXT 3] Predicted next UID\n"
	    "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft)] Limited\n"
	    "S: A19 OK [READ-WRITE] SELECT completed\n",
	    setup_bob);
}

/* Literals from the client: the server asks for each with "+". */
static void
test_imap_literal_login(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 LOGIN {5}\n"
	    "S: + Ready for additional command text\n"
	    "C: alice {11}\n"
	    "S: + Ready for additional command text\n"
	    "C: pass word\"\\\n"
	    "S: A1 OK LOGIN completed\n"
	    "C: A2 LOGOUT\n"
	    "S: * BYE IMAP4rev1 Server logging out\n"
	    "S: A2 OK LOGOUT completed\n",
	    setup_bob);
	if (test_failed)
		return;
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 LOGIN alice \"pass word\\\"\\\\\"\n"
	    "S: A1 OK LOGIN completed\n"
	    "C: A2 CREATE {0}\n"
	    "S: + Ready for additional command text\n"
	    "C: \n"
	    "S: A2 NO [CANNOT] Invalid mailbox name\n",
	    setup_bob);
}

/* A literal announcing a huge size is refused at once: nothing is
 * allocated for it, and the connection goes on. */
static void
test_imap_huge_literal(void)
{
	check_srv_script(
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A1 LOGIN {4294967296}\n"
	    "S: A1 BAD Literal too big\n"
	    "C: A2 LOGIN bob {99999999999999999999999999999999}\n"
	    "S: A2 BAD Literal too big\n"
	    "C: A3 LOGIN bob {8193}\n"
	    "S: A3 BAD Literal too big\n"
	    "C: A4 LOGIN bob hungry\n"
	    "S: A4 OK LOGIN completed\n",
	    setup_bob);
}

/* Raw bytes: an overlong line, NUL, bare LF and CR, binary, a command
 * over the total limit, and input after LOGOUT. */
static void
test_imap_bad_bytes(void)
{
	static uint8_t in[40000];
	static const char want[] =
	    "* OK IMAP4rev1 Service Ready\r\n"
	    "* BAD Command line too long\r\n"
	    "A1 BAD Invalid arguments to LOGIN\r\n"
	    "A2 BAD Unexpected arguments to NOOP\r\n"
	    "* BAD Missing or invalid tag\r\n"
	    "+ Ready for additional command text\r\n"
	    "+ Ready for additional command text\r\n"
	    "A4 BAD Command line too long\r\n"
	    "A5 OK LOGIN completed\r\n"
	    "* BYE IMAP4rev1 Server logging out\r\n"
	    "A6 OK LOGOUT completed\r\n";
	size_t n = 0, k, chunk;
	struct imap_mem m;

	memset(in, 'A', 9000);		/* over IMAP_LINE_MAX */
	memcpy(in + 9000, "\r\n", 2);
	n = 9002;
	memcpy(in + n, "A1 LOGIN b\0b x\r\n", 16);
	n += 16;
	memcpy(in + n, "A2 NOOP\nA3 NOOP\rX\r\n", 19);
	n += 19;
	memcpy(in + n, "\x80\xff\x01\r\n", 5);
	n += 5;
	/* A4: two 8000-octet literals and 8000 octets of line: the whole
	 * passes IMAP_SRV_CMD_MAX and is dropped, then answered with its
	 * tag. */
	memcpy(in + n, "A4 LOGIN {8000}\r\n", 17);
	n += 17;
	memset(in + n, 'u', 8000);
	n += 8000;
	memcpy(in + n, " {8000}\r\n", 9);
	n += 9;
	memset(in + n, 'p', 8000);
	n += 8000;
	for (k = 0; k < 10; k++) {
		memset(in + n, 'x', 800);
		n += 800;
	}
	memcpy(in + n, "\r\n", 2);
	n += 2;
	memcpy(in + n, "A5 LOGIN bob hungry\r\nA6 LOGOUT\r\nA7 NOOP\r\n", 41);
	n += 41;
	for (chunk = 0; chunk < 4; chunk++) {
		struct imap_srv *s;
		struct nl_dbuf *out;

		imap_mem_init(&m);
		setup_bob(&m);
		s = srv_new(&m, NULL, NULL);
		ASSERT(s != NULL);
		imap_srv_start(s);
		ASSERT_EQ(srv_feed(s, in, n, chunk == 3 ? 4096 : chunk),
		    NL_ECLOSED);
		out = imap_srv_out(s);
		ASSERT_STR_EQ((const char *)out->data, want);
		ASSERT_EQ(imap_srv_state(s), IMAP_SRV_LOGOUT);
		imap_srv_free(s);
	}
}

/* Two sessions on one store: what one stores, the other fetches; NOOP
 * tells of flag changes, new mail and expunges made elsewhere. */
static void
test_imap_two_sessions_share_flags(void)
{
	static const char login[] = "A0 LOGIN bob hungry\r\nA1 SELECT INBOX\r\n";
	struct imap_mem m;
	struct imap_srv *a, *b;

	imap_mem_init(&m);
	setup_bob(&m);
	a = srv_new(&m, NULL, NULL);
	b = srv_new(&m, NULL, NULL);
	ASSERT(a != NULL && b != NULL);
	imap_srv_start(a);
	imap_srv_start(b);
	imap_srv_feed(a, (const uint8_t *)login, sizeof login - 1);
	imap_srv_feed(b, (const uint8_t *)login, sizeof login - 1);
	ASSERT_STR_EQ(ask(a, "A2 STORE 1 +FLAGS (\\Seen)"),
	    "* 1 FETCH (FLAGS (\\Seen))\r\nA2 OK STORE completed\r\n");
	ASSERT_STR_EQ(ask(b, "B2 FETCH 1 FLAGS"),
	    "* 1 FETCH (FLAGS (\\Seen))\r\nB2 OK FETCH completed\r\n");
	ASSERT_STR_EQ(ask(a, "A3 STORE 2 +FLAGS.SILENT (\\Flagged)"),
	    "A3 OK STORE completed\r\n");
	imap_mem_add(&m.users[0].boxes[0], msg_a, sizeof msg_a - 1, 0, T_2024);
	ASSERT_STR_EQ(ask(b, "B3 NOOP"),
	    "* 2 FETCH (FLAGS (\\Seen \\Flagged))\r\n"
	    "* 3 EXISTS\r\n"
	    "B3 OK NOOP completed\r\n");
	ASSERT_STR_EQ(ask(b, "B4 NOOP"), "B4 OK NOOP completed\r\n");
	ASSERT_STR_EQ(ask(a, "A4 STORE 1 +FLAGS.SILENT (\\Deleted)"),
	    "A4 OK STORE completed\r\n");
	ASSERT_STR_EQ(ask(a, "A5 EXPUNGE"),
	    "* 1 EXPUNGE\r\nA5 OK EXPUNGE completed\r\n");
	/* b still numbers the gone message 1 until it is told. */
	ASSERT_STR_EQ(ask(b, "B5 FETCH 1:* UID"),
	    "* 2 FETCH (UID 2)\r\n* 3 FETCH (UID 3)\r\n"
	    "B5 OK FETCH completed\r\n");
	ASSERT_STR_EQ(ask(b, "B6 NOOP"),
	    "* 1 EXPUNGE\r\nB6 OK NOOP completed\r\n");
	ASSERT_STR_EQ(ask(b, "B7 FETCH 1:* (UID FLAGS)"),
	    "* 1 FETCH (UID 2 FLAGS (\\Seen \\Flagged))\r\n"
	    "* 2 FETCH (UID 3 FLAGS ())\r\n"
	    "B7 OK FETCH completed\r\n");
	imap_srv_free(a);
	imap_srv_free(b);
}

/* State changes and lines reach the glue in order; LOGIN lines are
 * marked secret, literal lines are marked data. */
struct evlog {
	char text[4096];	/* one entry per event */
	size_t len;		/* bytes in text */
};

static void
evlog_fn(void *arg, const struct imap_event *ev)
{
	struct evlog *l = arg;
	int k;

	if (ev->kind == IMAP_EV_STATE)
		k = snprintf(l->text + l->len, sizeof l->text - l->len,
		    "[%s -> %s]", ev->old_name, ev->new_name);
	else if (ev->kind == IMAP_EV_ERROR)
		k = snprintf(l->text + l->len, sizeof l->text - l->len,
		    "[error %.*s]", (int)ev->len, (const char *)ev->text);
	else
		k = snprintf(l->text + l->len, sizeof l->text - l->len,
		    "%s%s%s%.*s|", ev->from_client ? "C:" : "S:",
		    ev->secret ? "(secret)" : "", ev->data ? "(data)" : "",
		    (int)ev->len, (const char *)ev->text);
	if (k > 0 && (size_t)k < sizeof l->text - l->len)
		l->len += (size_t)k;
}

static void
test_imap_events(void)
{
	static const char in[] = "A1 LOGIN {3}\r\nbob hungry\r\n"
	    "A2 SELECT Sent\r\nA3 LOGOUT\r\n";
	struct evlog l;
	struct imap_mem m;
	struct imap_srv *s;

	memset(&l, 0, sizeof l);
	imap_mem_init(&m);
	setup_bob(&m);
	s = srv_new(&m, evlog_fn, &l);
	ASSERT(s != NULL);
	imap_srv_start(s);
	imap_srv_feed(s, (const uint8_t *)in, sizeof in - 1);
	imap_srv_free(s);
	ASSERT_STR_EQ(l.text, "[CONNECTED -> NOT_AUTHENTICATED]"
	    "S:* OK IMAP4rev1 Service Ready|"
	    "C:(secret)A1 LOGIN {3}|"
	    "S:+ Ready for additional command text|"
	    "C:(secret)(data)bob hungry|"
	    "[NOT_AUTHENTICATED -> AUTHENTICATED]"
	    "S:A1 OK LOGIN completed|"
	    "C:A2 SELECT Sent|"
	    "S:* 0 EXISTS|S:* 0 RECENT|S:* OK [UIDVALIDITY 8] UIDs valid|"
	    "S:* OK [UIDNEXT 1] Predicted next UID|"
	    "S:* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)|"
	    "S:* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft)] Limited|"
	    "[AUTHENTICATED -> SELECTED]"
	    "S:A2 OK [READ-WRITE] SELECT completed|"
	    "C:A3 LOGOUT|"
	    "S:* BYE IMAP4rev1 Server logging out|"
	    "S:A3 OK LOGOUT completed|"
	    "[SELECTED -> LOGOUT]");
}

/* ---- Client against server ----------------------------------------------- */

/* What the client handed to the glue. */
struct rx {
	int bodies;		/* messages with a body */
	int same[8];		/* each body equal to msg_a or msg_b */
	char log[2048];		/* one entry per callback */
	size_t len;		/* bytes in log */
};

static void
rx_msg(void *arg, const struct imap_cli_msg *m)
{
	struct rx *r = arg;
	int k = 0;

	if (m->have & IMAP_HAVE_BODY) {
		if (r->bodies < 8)
			r->same[r->bodies] = (m->body_len == sizeof msg_a - 1 &&
			    memcmp(m->body, msg_a, m->body_len) == 0) ||
			    (m->body_len == sizeof msg_b - 1 &&
			    memcmp(m->body, msg_b, m->body_len) == 0);
		r->bodies++;
	}
	if (r->len < sizeof r->log)
		k = snprintf(r->log + r->len, sizeof r->log - r->len,
		    "[%u%s%s uid=%u flags=%x size=%zu%s%s%s%s]", m->seq,
		    m->have & IMAP_HAVE_EXPUNGED ? " expunged" : "",
		    m->have & IMAP_HAVE_BODY ? " body" : "", m->uid, m->flags,
		    m->size, m->env != NULL ? " from=" : "",
		    m->env != NULL ? m->env->from : "",
		    m->env != NULL ? " subject=" : "",
		    m->env != NULL ? m->env->subject : "");
	if (k > 0 && (size_t)k < sizeof r->log - r->len)
		r->len += (size_t)k;
}

struct cli_opts {
	const char *user;	/* LOGIN */
	const char *pass;
	int fetch_all;		/* config, see imap.h */
	int peek;
	int delete_after;
	int literal_login;
	size_t msg_max;
};

static struct imap_cli *
cli_new(const struct cli_opts *o, struct rx *r)
{
	struct imap_cli_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.user = o->user;
	cfg.pass = o->pass;
	cfg.fetch_all = o->fetch_all;
	cfg.peek = o->peek;
	cfg.delete_after = o->delete_after;
	cfg.literal_login = o->literal_login;
	cfg.msg_max = o->msg_max;
	cfg.message = rx_msg;
	cfg.arg = r;
	return imap_cli_new(&cfg);
}

static void
run_pair(struct imap_srv *s, struct imap_cli *c, size_t chunk,
    struct dlg_tx *t)
{
	int moved = 1;

	imap_srv_start(s);
	while (moved) {
		struct nl_dbuf *so = imap_srv_out(s), *co = imap_cli_out(c);
		size_t i, k;

		moved = 0;
		if (so->len > 0) {
			dlg_tx_add(t, 0, so->data, so->len);
			for (i = 0; i < so->len; i += k) {
				k = chunk == 0 ? so->len : NL_MIN(chunk,
				    so->len - i);
				if (imap_cli_feed(c, so->data + i, k) != NL_OK)
					break;
			}
			nl_dbuf_reset(so);
			moved = 1;
		}
		if (co->len > 0) {
			dlg_tx_add(t, 1, co->data, co->len);
			for (i = 0; i < co->len; i += k) {
				k = chunk == 0 ? co->len : NL_MIN(chunk,
				    co->len - i);
				if (imap_srv_feed(s, co->data + i, k) != NL_OK)
					break;
			}
			nl_dbuf_reset(co);
			moved = 1;
		}
	}
}

static void
pair_once(struct imap_mem *m, const struct cli_opts *o, size_t chunk,
    struct rx *r, struct dlg_tx *t, enum imap_cli_state *end)
{
	struct imap_srv *s = srv_new(m, NULL, NULL);
	struct imap_cli *c = cli_new(o, r);

	*end = IMAP_CLI_FAILED;
	if (s != NULL && c != NULL) {
		run_pair(s, c, chunk, t);
		*end = imap_cli_state(c);
	}
	imap_srv_free(s);
	imap_cli_free(c);
}

static const char dialogue_keep[] =
    "S: * OK IMAP4rev1 Service Ready\n"
    "C: A001 LOGIN bob hungry\n"
    "S: A001 OK LOGIN completed\n"
    "C: A002 SELECT INBOX\n"
    SELECT_BOB_INBOX
    "S: A002 OK [READ-WRITE] SELECT completed\n"
    "C: A003 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)\n"
    "S: * 1 FETCH (UID 1 FLAGS () RFC822.SIZE 194 " ENV_A ")\n"
    "S: * 2 FETCH (UID 2 FLAGS (\\Seen) RFC822.SIZE 120 " ENV_B ")\n"
    "S: A003 OK FETCH completed\n"
    "C: A004 FETCH 1 BODY[]\n"
    "S: * 1 FETCH (FLAGS (\\Seen) BODY[] {194}\n"
    BODY_A_LINES
    "S: )\n"
    "S: A004 OK FETCH completed\n"
    "C: A005 LOGOUT\n"
    "S: * BYE IMAP4rev1 Server logging out\n"
    "S: A005 OK LOGOUT completed\n";

/* Read and keep: the new message is fetched with BODY[], which marks it
 * \Seen for every device; byte-exact in every chunking. */
static void
test_imap_client_keep(void)
{
	static struct dlg_tx t;
	static const size_t chunks[] = { 0, 1, 7 };
	static const struct cli_opts o = { "bob", "hungry", 0, 0, 0, 0, 0 };
	struct imap_mem m;
	struct rx r;
	enum imap_cli_state end;
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		imap_mem_init(&m);
		setup_bob(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		pair_once(&m, &o, chunks[i], &r, &t, &end);
		ASSERT_EQ(end, IMAP_CLI_DONE);
		ASSERT_STR_EQ(t.text, dialogue_keep);
		ASSERT_EQ(r.bodies, 1);
		ASSERT(r.same[0]);
		ASSERT_STR_EQ(r.log,
		    "[1 uid=1 flags=0 size=194 from=Alice <alice@crepes.fr> "
		    "subject=Do you like ketchup?]"
		    "[2 uid=2 flags=1 size=120 from=Carol, from work "
		    "<carol@example.org> subject=Lunch]"
		    "[1 body uid=0 flags=1 size=0]");
		ASSERT_EQ(m.users[0].boxes[0].msgs[0].flags, IMAP_FLAG_SEEN);
		ASSERT_EQ(m.users[0].boxes[0].n, 2);
	}
}

/* Two devices by IMAP: the phone after the laptop still sees the mail,
 * marked \Seen; fetch_all downloads it again. */
static void
test_imap_client_two_devices(void)
{
	static struct dlg_tx t;
	static const struct cli_opts laptop = { "bob", "hungry", 0, 0, 0, 0,
		0 };
	static const struct cli_opts phone = { "bob", "hungry", 1, 0, 0, 0,
		0 };
	struct imap_mem m;
	struct rx r;
	enum imap_cli_state end;

	imap_mem_init(&m);
	setup_bob(&m);
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, &laptop, 0, &r, &t, &end);
	ASSERT_EQ(r.bodies, 1);
	/* The laptop again: nothing new. */
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, &laptop, 0, &r, &t, &end);
	ASSERT_EQ(end, IMAP_CLI_DONE);
	ASSERT_EQ(r.bodies, 0);
	ASSERT(strstr(r.log, "[1 uid=1 flags=1 ") != NULL);
	/* The phone downloads everything, flags untouched. */
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, &phone, 3, &r, &t, &end);
	ASSERT_EQ(end, IMAP_CLI_DONE);
	ASSERT_EQ(r.bodies, 2);
	ASSERT(r.same[0] && r.same[1]);
	ASSERT(strstr(t.text, "C: A004 FETCH 1 BODY[]\n") != NULL);
	ASSERT(strstr(t.text, "C: A005 FETCH 2 BODY[]\n") != NULL);
	ASSERT_EQ(m.users[0].boxes[0].n, 2);
}

/* Peek, then mark \Seen and \Deleted, EXPUNGE: the mailbox is empty for
 * the next device. LOGIN goes as literals. */
static void
test_imap_client_delete(void)
{
	static struct dlg_tx t;
	static const size_t chunks[] = { 0, 1, 7 };
	static const struct cli_opts o = { "alice", "pass word\"\\", 1, 1, 1,
		1, 0 };
	static const char want[] =
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A001 LOGIN {5}\n"
	    "S: + Ready for additional command text\n"
	    "C: alice {11}\n"
	    "S: + Ready for additional command text\n"
	    "C: pass word\"\\\n"
	    "S: A001 OK LOGIN completed\n"
	    "C: A002 SELECT INBOX\n"
	    "S: * 1 EXISTS\n"
	    "S: * 0 RECENT\n"
	    "S: * OK [UNSEEN 1] Message 1 is first unseen\n"
	    "S: * OK [UIDVALIDITY 9] UIDs valid\n"
	    "S: * OK [UIDNEXT 2] Predicted next UID\n"
	    "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	    "\\Draft)] Limited\n"
	    "S: A002 OK [READ-WRITE] SELECT completed\n"
	    "C: A003 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)\n"
	    "S: * 1 FETCH (UID 1 FLAGS () RFC822.SIZE 120 " ENV_B ")\n"
	    "S: A003 OK FETCH completed\n"
	    "C: A004 FETCH 1 BODY.PEEK[]\n"
	    "S: * 1 FETCH (BODY[] {120}\n"
	    "S: From: \"Carol, from work\" <carol@example.org>\n"
	    "S: To: bob@hamburger.edu, undisclosed-recipients:;\n"
	    "S: Subject: Lunch\n"
	    "S: \n"
	    "S: Noon?\n"
	    "S: )\n"
	    "S: A004 OK FETCH completed\n"
	    "C: A005 STORE 1 +FLAGS (\\Seen \\Deleted)\n"
	    "S: * 1 FETCH (FLAGS (\\Seen \\Deleted))\n"
	    "S: A005 OK STORE completed\n"
	    "C: A006 EXPUNGE\n"
	    "S: * 1 EXPUNGE\n"
	    "S: A006 OK EXPUNGE completed\n"
	    "C: A007 LOGOUT\n"
	    "S: * BYE IMAP4rev1 Server logging out\n"
	    "S: A007 OK LOGOUT completed\n";
	struct imap_mem m;
	struct rx r;
	enum imap_cli_state end;
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		imap_mem_init(&m);
		setup_bob(&m);
		imap_mem_add(&m.users[1].boxes[0], msg_b, sizeof msg_b - 1, 0,
		    T_2024);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		pair_once(&m, &o, chunks[i], &r, &t, &end);
		ASSERT_EQ(end, IMAP_CLI_DONE);
		ASSERT_STR_EQ(t.text, want);
		ASSERT_EQ(r.bodies, 1);
		ASSERT(r.same[0]);
		ASSERT(strstr(r.log, "[1 expunged ") != NULL);
		ASSERT_EQ(m.users[1].boxes[0].n, 0);
	}
	/* The next device finds nothing to fetch. */
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, &o, 0, &r, &t, &end);
	ASSERT_EQ(end, IMAP_CLI_DONE);
	ASSERT_EQ(r.bodies, 0);
	ASSERT(strstr(t.text, "FETCH") == NULL);
}

static void
test_imap_client_bad_login(void)
{
	static struct dlg_tx t;
	static const struct cli_opts o = { "bob", "wrong", 0, 0, 0, 0, 0 };
	struct imap_mem m;
	struct rx r;
	enum imap_cli_state end;

	imap_mem_init(&m);
	setup_bob(&m);
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, &o, 0, &r, &t, &end);
	ASSERT_EQ(end, IMAP_CLI_DONE);
	ASSERT_STR_EQ(t.text,
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A001 LOGIN bob wrong\n"
	    "S: A001 NO [AUTHENTICATIONFAILED] Invalid credentials\n"
	    "C: A002 LOGOUT\n"
	    "S: * BYE IMAP4rev1 Server logging out\n"
	    "S: A002 OK LOGOUT completed\n");
}

/* The client's own view: its states in order, its LOGIN lines (literal
 * parts too) marked secret. */
static void
test_imap_client_events(void)
{
	static struct dlg_tx t;
	static struct evlog l;
	struct imap_cli_config cfg;
	struct imap_mem m;
	struct imap_srv *s;
	struct imap_cli *c;

	memset(&l, 0, sizeof l);
	memset(&cfg, 0, sizeof cfg);
	cfg.user = "alice";
	cfg.pass = "pass word\"\\";
	cfg.literal_login = 1;
	cfg.event = evlog_fn;
	cfg.arg = &l;
	imap_mem_init(&m);
	setup_bob(&m);
	dlg_tx_init(&t);
	s = srv_new(&m, NULL, NULL);
	c = imap_cli_new(&cfg);
	ASSERT(s != NULL && c != NULL);
	run_pair(s, c, 1, &t);
	ASSERT_EQ(imap_cli_state(c), IMAP_CLI_DONE);
	imap_cli_free(c);
	imap_srv_free(s);
	ASSERT_STR_EQ(l.text,
	    "S:* OK IMAP4rev1 Service Ready|"
	    "[GREETING -> LOGIN]"
	    "C:(secret)A001 LOGIN {5}|"
	    "S:+ Ready for additional command text|"
	    "C:(secret)alice {11}|"
	    "S:+ Ready for additional command text|"
	    "C:(secret)pass word\"\\|"
	    "S:A001 OK LOGIN completed|"
	    "[LOGIN -> SELECT]"
	    "C:A002 SELECT INBOX|"
	    "S:* 0 EXISTS|S:* 0 RECENT|S:* OK [UIDVALIDITY 9] UIDs valid|"
	    "S:* OK [UIDNEXT 1] Predicted next UID|"
	    "S:* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)|"
	    "S:* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted "
	    "\\Seen \\Draft)] Limited|"
	    "S:A002 OK [READ-WRITE] SELECT completed|"
	    "[SELECT -> LOGOUT]"
	    "C:A003 LOGOUT|"
	    "S:* BYE IMAP4rev1 Server logging out|"
	    "S:A003 OK LOGOUT completed|"
	    "[LOGOUT -> DONE]");
}

/* A client fed garbage, a wrong tag, a stray "+", a body over its limit,
 * or an early close: FAILED or skipped, never a STORE for a message it
 * did not get. */
static void
test_imap_client_bad_server(void)
{
	static const struct cli_opts o = { "bob", "hungry", 0, 0, 1, 0, 16 };
	static const char *const bad[] = {
		"hello\r\n",
		"* OK hi\r\nB001 OK LOGIN completed\r\n",
		"* OK hi\r\n+ go on\r\n",
		"* OK hi\r\n* 1 FETCH (FLAGS (\\Seen)\r\n",
		"* OK hi\r\n* 1 FETCH (BODY[] {5}\r\nab)\r\n",
		"* BYE not today\r\n",
	};
	static const char big[] = "* OK hi\r\nA001 OK in\r\n"
	    "* 1 EXISTS\r\nA002 OK [READ-WRITE] in\r\n"
	    "* 1 FETCH (UID 9 FLAGS () RFC822.SIZE 10)\r\nA003 OK done\r\n"
	    "* 1 FETCH (BODY[] {40}\r\n"
	    "0123456789012345678901234567890123456789)\r\n"
	    "A004 OK done\r\n* BYE\r\nA005 OK bye\r\n";
	struct imap_cli *c;
	struct rx r;
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(bad); i++) {
		memset(&r, 0, sizeof r);
		c = cli_new(&o, &r);
		ASSERT(c != NULL);
		imap_cli_feed(c, (const uint8_t *)bad[i], strlen(bad[i]));
		imap_cli_close(c);
		ASSERT_EQ(imap_cli_state(c), IMAP_CLI_FAILED);
		ASSERT_NE(imap_cli_status(c), NL_OK);
		imap_cli_free(c);
	}
	/* The body is over msg_max 16 (the summary lied about its size):
	 * skipped, not stored, not expunged. */
	memset(&r, 0, sizeof r);
	c = cli_new(&o, &r);
	ASSERT(c != NULL);
	ASSERT_EQ(imap_cli_feed(c, (const uint8_t *)big, sizeof big - 1),
	    NL_ECLOSED);
	ASSERT_EQ(imap_cli_state(c), IMAP_CLI_DONE);
	ASSERT_EQ(imap_cli_status(c), NL_EIO);
	ASSERT_EQ(imap_cli_fetched(c), 0);
	ASSERT_STR_EQ((const char *)imap_cli_out(c)->data,
	    "A001 LOGIN bob hungry\r\nA002 SELECT INBOX\r\n"
	    "A003 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)\r\n"
	    "A004 FETCH 1 BODY[]\r\nA005 LOGOUT\r\n");
	imap_cli_free(c);
	/* Credentials that cannot be sent are refused up front. */
	{
		static const struct cli_opts empty = { "", "x", 0, 0, 0, 0, 0 };

		ASSERT(cli_new(&empty, &r) == NULL);
	}
}

/* ---- Filing into a folder: LIST, CREATE, COPY, \Deleted, EXPUNGE ---------- */

/* Like pair_once, with move_to set. */
static void
pair_move(struct imap_mem *m, const char *move_to, int fetch_all,
    size_t chunk, struct rx *r, struct dlg_tx *t, enum imap_cli_state *end,
    size_t *moved)
{
	struct imap_cli_config cfg;
	struct imap_srv *s = srv_new(m, NULL, NULL);
	struct imap_cli *c;

	memset(&cfg, 0, sizeof cfg);
	cfg.user = "bob";
	cfg.pass = "hungry";
	cfg.fetch_all = fetch_all;
	cfg.delete_after = 1;	/* moot: the move deletes after COPY */
	cfg.move_to = move_to;
	cfg.message = rx_msg;
	cfg.arg = r;
	c = imap_cli_new(&cfg);
	*end = IMAP_CLI_FAILED;
	*moved = 0;
	if (s != NULL && c != NULL) {
		run_pair(s, c, chunk, t);
		*end = imap_cli_state(c);
		*moved = imap_cli_moved(c);
	}
	imap_srv_free(s);
	imap_cli_free(c);
}

/* The new message is read and filed into Archive, which LIST does not
 * show, so it is CREATEd first; the same in every chunking. */
static void
test_imap_client_move(void)
{
	static struct dlg_tx t;
	static const size_t chunks[] = { 0, 1, 7 };
	static const char want[] =
	    "S: * OK IMAP4rev1 Service Ready\n"
	    "C: A001 LOGIN bob hungry\n"
	    "S: A001 OK LOGIN completed\n"
	    "C: A002 LIST \"\" Archive\n"
	    "S: A002 OK LIST completed\n"
	    "C: A003 SELECT INBOX\n"
	    SELECT_BOB_INBOX
	    "S: A003 OK [READ-WRITE] SELECT completed\n"
	    "C: A004 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)\n"
	    "S: * 1 FETCH (UID 1 FLAGS () RFC822.SIZE 194 " ENV_A ")\n"
	    "S: * 2 FETCH (UID 2 FLAGS (\\Seen) RFC822.SIZE 120 " ENV_B ")\n"
	    "S: A004 OK FETCH completed\n"
	    "C: A005 FETCH 1 BODY[]\n"
	    "S: * 1 FETCH (FLAGS (\\Seen) BODY[] {194}\n"
	    BODY_A_LINES
	    "S: )\n"
	    "S: A005 OK FETCH completed\n"
	    "C: A006 CREATE Archive\n"
	    "S: A006 OK CREATE completed\n"
	    "C: A007 COPY 1 Archive\n"
	    "S: A007 OK COPY completed\n"
	    "C: A008 STORE 1 +FLAGS (\\Deleted)\n"
	    "S: * 1 FETCH (FLAGS (\\Seen \\Deleted))\n"
	    "S: A008 OK STORE completed\n"
	    "C: A009 EXPUNGE\n"
	    "S: * 1 EXPUNGE\n"
	    "S: A009 OK EXPUNGE completed\n"
	    "C: A010 LOGOUT\n"
	    "S: * BYE IMAP4rev1 Server logging out\n"
	    "S: A010 OK LOGOUT completed\n";
	struct imap_mem m;
	struct imap_mem_box *a;
	struct rx r;
	enum imap_cli_state end;
	size_t i, moved;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		imap_mem_init(&m);
		setup_bob(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		pair_move(&m, "Archive", 0, chunks[i], &r, &t, &end, &moved);
		ASSERT_EQ(end, IMAP_CLI_DONE);
		ASSERT_STR_EQ(t.text, want);
		ASSERT_EQ(r.bodies, 1);
		ASSERT(r.same[0]);
		ASSERT_EQ(moved, 1);
		a = imap_mem_box(&m, "bob", "Archive");
		ASSERT(a != NULL);
		ASSERT_EQ(a->n, 1);
		ASSERT_EQ(a->msgs[0].flags, IMAP_FLAG_SEEN);
		ASSERT_EQ(m.users[0].boxes[0].n, 1);
		ASSERT_EQ(m.users[0].boxes[0].msgs[0].uid, 2);
	}
}

/* A folder LIST shows is not created again; every message not deleted
 * goes, as one sequence set. */
static void
test_imap_client_move_listed(void)
{
	static struct dlg_tx t;
	static const size_t chunks[] = { 0, 1, 5 };
	struct imap_mem m;
	struct imap_mem_box *sent;
	struct rx r;
	enum imap_cli_state end;
	size_t i, moved;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		imap_mem_init(&m);
		setup_bob(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		pair_move(&m, "Sent", 1, chunks[i], &r, &t, &end, &moved);
		ASSERT_EQ(end, IMAP_CLI_DONE);
		ASSERT(strstr(t.text, "C: A002 LIST \"\" Sent\n"
		    "S: * LIST () \"/\" Sent\n"
		    "S: A002 OK LIST completed\n") != NULL);
		ASSERT(strstr(t.text, "CREATE") == NULL);
		ASSERT(strstr(t.text, "C: A007 COPY 1:2 Sent\n"
		    "S: A007 OK COPY completed\n"
		    "C: A008 STORE 1:2 +FLAGS (\\Deleted)\n") != NULL);
		ASSERT(strstr(t.text, "C: A009 EXPUNGE\n"
		    "S: * 1 EXPUNGE\n"
		    "S: * 1 EXPUNGE\n"
		    "S: A009 OK EXPUNGE completed\n") != NULL);
		ASSERT_EQ(r.bodies, 2);
		ASSERT_EQ(moved, 2);
		sent = imap_mem_box(&m, "bob", "Sent");
		ASSERT(sent != NULL);
		ASSERT_EQ(sent->n, 2);
		ASSERT_EQ(m.users[0].boxes[0].n, 0);
	}
}

/* LIST as other servers answer it: attributes, a NIL-free delimiter and
 * the name as a literal; another mailbox listed first. The folder is
 * known, so COPY follows the body with no CREATE; fed whole and byte by
 * byte. A malformed LIST ends the session. */
static void
test_imap_client_move_scripted(void)
{
	static const char srv[] = "* OK hi\r\nA001 OK in\r\n"
	    "* LIST (\\HasChildren) \".\" Archivex\r\n"
	    "* LIST (\\HasNoChildren \\Marked) \"/\" {7}\r\nArchive\r\n"
	    "A002 OK listed\r\n"
	    "* 1 EXISTS\r\nA003 OK [READ-WRITE] in\r\n"
	    "* 1 FETCH (UID 9 FLAGS () RFC822.SIZE 4)\r\nA004 OK done\r\n"
	    "* 1 FETCH (BODY[] {4}\r\nab\r\n FLAGS (\\Seen))\r\n"
	    "A005 OK done\r\nA006 OK copied\r\nA007 OK stored\r\n"
	    "* 1 EXPUNGE\r\nA008 OK gone\r\n* BYE\r\nA009 OK bye\r\n";
	static const char want[] = "A001 LOGIN bob hungry\r\n"
	    "A002 LIST \"\" Archive\r\nA003 SELECT INBOX\r\n"
	    "A004 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)\r\n"
	    "A005 FETCH 1 BODY[]\r\nA006 COPY 1 Archive\r\n"
	    "A007 STORE 1 +FLAGS (\\Deleted)\r\nA008 EXPUNGE\r\n"
	    "A009 LOGOUT\r\n";
	static const char bad[] = "* OK hi\r\nA001 OK in\r\n"
	    "* LIST (\\Marked) \"/\"\r\nA002 OK listed\r\n";
	struct imap_cli_config cfg;
	struct imap_cli *c;
	struct rx r;
	size_t chunk, i;

	memset(&cfg, 0, sizeof cfg);
	cfg.user = "bob";
	cfg.pass = "hungry";
	cfg.move_to = "Archive";
	cfg.message = rx_msg;
	cfg.arg = &r;
	for (chunk = 0; chunk < 2; chunk++) {
		memset(&r, 0, sizeof r);
		c = imap_cli_new(&cfg);
		ASSERT(c != NULL);
		for (i = 0; i < sizeof srv - 1; i += chunk ? 1 : sizeof srv - 1)
			(void)imap_cli_feed(c, (const uint8_t *)srv + i,
			    chunk ? 1 : sizeof srv - 1);
		ASSERT_EQ(imap_cli_state(c), IMAP_CLI_DONE);
		ASSERT_EQ(imap_cli_status(c), NL_OK);
		ASSERT_EQ(imap_cli_moved(c), 1);
		ASSERT_EQ(r.bodies, 1);
		ASSERT_STR_EQ((const char *)imap_cli_out(c)->data, want);
		imap_cli_free(c);
	}
	c = imap_cli_new(&cfg);
	ASSERT(c != NULL);
	ASSERT_EQ(imap_cli_feed(c, (const uint8_t *)bad, sizeof bad - 1),
	    NL_ECLOSED);
	ASSERT_EQ(imap_cli_state(c), IMAP_CLI_FAILED);
	ASSERT_EQ(imap_cli_status(c), NL_EMALFORMED);
	imap_cli_free(c);
}

/* The folder cannot be made (the store is full): CREATE NO, COPY NO
 * [TRYCREATE], and nothing is deleted from INBOX. Names that cannot be
 * filed into are refused at once. */
static void
test_imap_client_move_refused(void)
{
	static struct dlg_tx t;
	struct imap_mem m;
	struct imap_mem_user *u;
	struct imap_cli_config cfg;
	struct rx r;
	enum imap_cli_state end;
	size_t moved;

	imap_mem_init(&m);
	setup_bob(&m);
	u = &m.users[0];
	while (u->nboxes < IMAP_MEM_BOXES)
		ASSERT(imap_mem_add_box(u, u->nboxes % 2 ? "x1" : "x2", 1) !=
		    NULL);
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_move(&m, "Archive", 0, 3, &r, &t, &end, &moved);
	ASSERT_EQ(end, IMAP_CLI_DONE);
	ASSERT(strstr(t.text, "S: A006 NO [CANNOT] CREATE failed\n"
	    "C: A007 COPY 1 Archive\n"
	    "S: A007 NO [TRYCREATE] Mailbox does not exist\n"
	    "C: A008 LOGOUT\n") != NULL);
	ASSERT(strstr(t.text, "Deleted)\n") == NULL);
	ASSERT_EQ(r.bodies, 1);
	ASSERT_EQ(moved, 0);
	ASSERT_EQ(u->boxes[0].n, 2);
	ASSERT_EQ(u->boxes[0].msgs[0].flags, IMAP_FLAG_SEEN);

	memset(&cfg, 0, sizeof cfg);
	cfg.user = "bob";
	cfg.pass = "hungry";
	cfg.move_to = "inbox";
	ASSERT(imap_cli_new(&cfg) == NULL);
	cfg.move_to = "a//b";
	ASSERT(imap_cli_new(&cfg) == NULL);
	cfg.move_to = "Old/*";
	ASSERT(imap_cli_new(&cfg) == NULL);
	ASSERT(imap_mailbox_valid("Archive/2024"));
	ASSERT(imap_mailbox_valid("INBOX"));
	ASSERT(imap_mailbox_valid("Lunch \"at\" noon"));
	ASSERT(!imap_mailbox_valid("R&D"));
	ASSERT(!imap_mailbox_valid("tab\there"));
	ASSERT(!imap_mailbox_valid("caf\xc3\xa9"));
	ASSERT(!imap_mailbox_valid(""));
	ASSERT(!imap_mailbox_valid(NULL));
}

/* Out of memory at each allocation in turn: no crash, no leak, and no
 * message lost. */
static void
test_imap_oom(void)
{
	static struct dlg_tx t;
	static const struct cli_opts o = { "bob", "hungry", 1, 1, 1, 0, 0 };
	long n;

	for (n = 0; n < 10000; n++) {
		struct imap_mem m;
		struct rx r;
		enum imap_cli_state end;
		int failed;

		imap_mem_init(&m);
		setup_bob(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		nl_alloc_fail_after(n);
		pair_once(&m, &o, 5, &r, &t, &end);
		failed = nl_alloc_failed();
		nl_alloc_fail_after(-1);
		ASSERT((size_t)r.bodies + m.users[0].boxes[0].n >= 2);
		if (!failed) {
			ASSERT_EQ(end, IMAP_CLI_DONE);
			ASSERT_EQ(m.users[0].boxes[0].n, 0);
			break;
		}
	}
	ASSERT(n < 10000);
}

/* Out of memory at each allocation in turn during a move: no crash, no
 * leak; each message is in INBOX or in Archive (or both, when COPY went
 * through and EXPUNGE did not). */
static void
test_imap_move_oom(void)
{
	static struct dlg_tx t;
	long n;

	for (n = 0; n < 10000; n++) {
		struct imap_mem m;
		struct imap_mem_box *a;
		struct rx r;
		enum imap_cli_state end;
		size_t moved;
		int failed;

		imap_mem_init(&m);
		setup_bob(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		nl_alloc_fail_after(n);
		pair_move(&m, "Archive", 1, 5, &r, &t, &end, &moved);
		failed = nl_alloc_failed();
		nl_alloc_fail_after(-1);
		a = imap_mem_box(&m, "bob", "Archive");
		ASSERT(m.users[0].boxes[0].n + (a != NULL ? a->n : 0) >= 2);
		if (!failed) {
			ASSERT_EQ(end, IMAP_CLI_DONE);
			ASSERT_EQ(moved, 2);
			ASSERT_EQ(m.users[0].boxes[0].n, 0);
			break;
		}
	}
	ASSERT(n < 10000);
}

const struct test_case tests_imap[] = {
	{ "imap_parse_strings", test_imap_parse_strings },
	{ "imap_writers", test_imap_writers },
	{ "imap_seqset", test_imap_seqset },
	{ "imap_fetch_atts", test_imap_fetch_atts },
	{ "imap_envelope", test_imap_envelope },
	{ "imap_reader", test_imap_reader },
	{ "imap_reader_limits", test_imap_reader_limits },
	{ "imap_names", test_imap_names },
	{ "imap_rfc3501_session", test_imap_rfc3501_session },
	{ "imap_wrong_state", test_imap_wrong_state },
	{ "imap_bad_commands", test_imap_bad_commands },
	{ "imap_sequence_sets", test_imap_sequence_sets },
	{ "imap_seen_flag", test_imap_seen_flag },
	{ "imap_mailboxes", test_imap_mailboxes },
	{ "imap_literal_login", test_imap_literal_login },
	{ "imap_huge_literal", test_imap_huge_literal },
	{ "imap_bad_bytes", test_imap_bad_bytes },
	{ "imap_two_sessions_share_flags", test_imap_two_sessions_share_flags },
	{ "imap_events", test_imap_events },
	{ "imap_client_keep", test_imap_client_keep },
	{ "imap_client_two_devices", test_imap_client_two_devices },
	{ "imap_client_delete", test_imap_client_delete },
	{ "imap_client_bad_login", test_imap_client_bad_login },
	{ "imap_client_events", test_imap_client_events },
	{ "imap_client_bad_server", test_imap_client_bad_server },
	{ "imap_client_move", test_imap_client_move },
	{ "imap_client_move_listed", test_imap_client_move_listed },
	{ "imap_client_move_refused", test_imap_client_move_refused },
	{ "imap_client_move_scripted", test_imap_client_move_scripted },
	{ "imap_oom", test_imap_oom },
	{ "imap_move_oom", test_imap_move_oom },
	{ NULL, NULL }
};
