/* test_pop3.c - POP3 (RFC 1939): the codec, the server against C:/S:
 * scripts (the RFC's section 10 session among them), the client against
 * the server, bad input, and out-of-memory at every allocation. Every
 * script runs whole, one byte at a time and in 5-byte chunks, and must
 * give the same bytes. */
#include "test.h"

#include "dialogue.h"
#include "pop3_mem.h"
#include "proto/pop3/pop3.h"
#include "util/alloc.h"

/* RFC 1939 section 10's two messages: 120 and 200 octets. The second
 * has a line holding a lone "." to show byte-stuffing. */
static const char msg1[] =
    "From: dewey@dbc.mtview.ca.us\r\n"
    "To: mrose@dbc.mtview.ca.us\r\n"
    "Subject: first\r\n"
    "\r\n"
    "Hello, Marshall,\r\n"
    ".a dot starts this line.\r\n";
static const char msg2[] =
    "From: dewey@dbc.mtview.ca.us\r\n"
    "To: mrose@dbc.mtview.ca.us\r\n"
    "Subject: second\r\n"
    "\r\n"
    "This message is two hundred octets long, counted with\r\n"
    "every CRLF, as LIST and STAT count them; and a dot:\r\n"
    ".\r\n"
    "the end...\r\n";

#define GREETING "POP3 server ready <1896.697170952@dbc.mtview.ca.us>"

typedef void setup_fn(struct pop3_mem *m);

/* mrose with the two messages; bob with an empty drop. */
static void
setup_rfc(struct pop3_mem *m)
{
	struct pop3_mem_user *u = pop3_mem_add_user(m, "mrose", "tanstaaf");

	pop3_mem_add(m, u, msg1, sizeof msg1 - 1, "whqtswO00WBw418f9t5JxYwZ");
	pop3_mem_add(m, u, msg2, sizeof msg2 - 1, "QhdPYR:00WBw1Ph7x7");
	pop3_mem_add_user(m, "bob", "hungry");
}

static struct pop3_srv *
srv_new(struct pop3_mem *m, pop3_event_fn *ev, void *arg)
{
	struct pop3_srv_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.hostname = "dewey";
	cfg.greeting = GREETING;
	cfg.ops = &pop3_mem_ops;
	cfg.be = m;
	cfg.event = ev;
	cfg.event_arg = arg;
	return pop3_srv_new(&cfg);
}

/* Moves what the server wrote into the transcript. */
static void
srv_drain(struct pop3_srv *s, struct dlg_tx *t)
{
	struct nl_dbuf *out = pop3_srv_out(s);

	dlg_tx_add(t, 0, out->data, out->len);
	nl_dbuf_reset(out);
}

/* Feeds n bytes in chunks of `chunk` (0: all at once). */
static enum nl_status
srv_feed(struct pop3_srv *s, const void *p, size_t n, size_t chunk)
{
	const uint8_t *b = p;
	enum nl_status st = NL_OK;

	while (n > 0 && st == NL_OK) {
		size_t k = chunk == 0 || chunk > n ? n : chunk;

		st = pop3_srv_feed(s, b, k);
		b += k;
		n -= k;
	}
	return st;
}

/* Runs the C: lines of a script one at a time against a fresh server,
 * recording both sides in t. */
static void
srv_run_lines(const char *script, setup_fn *setup, size_t chunk,
    struct dlg_tx *t, struct pop3_mem *m)
{
	struct pop3_srv *s;
	const char *line;
	char buf[1024];
	size_t len;
	char who;

	pop3_mem_init(m);
	setup(m);
	dlg_tx_init(t);
	s = srv_new(m, NULL, NULL);
	if (s == NULL)
		return;
	pop3_srv_start(s);
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
	pop3_srv_free(s);
}

/* The script, fed line by line in three chunkings, gives itself back;
 * fed whole, the server's bytes are its S: lines. */
static void
check_srv_script(const char *script, setup_fn *setup)
{
	static struct dlg_tx t;
	static char in[DLG_TEXT_MAX], want[DLG_TEXT_MAX];
	static const size_t chunks[] = { 0, 1, 5 };
	struct pop3_mem m;
	struct pop3_srv *s;
	struct nl_dbuf *out;
	size_t i, n;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		srv_run_lines(script, setup, chunks[i], &t, &m);
		ASSERT(!t.overflow);
		ASSERT_STR_EQ(t.text, script);
	}
	n = dlg_side(script, 'C', in, sizeof in);
	dlg_side(script, 'S', want, sizeof want);
	pop3_mem_init(&m);
	setup(&m);
	s = srv_new(&m, NULL, NULL);
	ASSERT(s != NULL);
	pop3_srv_start(s);
	pop3_srv_feed(s, (const uint8_t *)in, n);
	out = pop3_srv_out(s);
	ASSERT_STR_EQ(out->data != NULL ? (const char *)out->data : "", want);
	pop3_srv_free(s);
}

/* ---- Client and server together -------------------------------------- */

/* What the client handed to the glue. */
struct rx {
	int n;			/* messages */
	char uid[8][POP3_UID_MAX + 1]; /* their unique-ids */
	size_t len[8];		/* their lengths */
	int same[8];		/* bytes equal to msg1 or msg2 */
	const char *known[8];	/* unique-ids to report as known */
	int nknown;		/* entries in known */
};

static void
rx_msg(void *arg, const struct pop3_cli_msg *m)
{
	struct rx *r = arg;

	if (r->n == 8)
		return;
	snprintf(r->uid[r->n], sizeof r->uid[0], "%s",
	    m->uid != NULL ? m->uid : "-");
	r->len[r->n] = m->len;
	r->same[r->n] = (m->len == sizeof msg1 - 1 &&
	    memcmp(m->data, msg1, m->len) == 0) ||
	    (m->len == sizeof msg2 - 1 && memcmp(m->data, msg2, m->len) == 0);
	r->n++;
}

static int
rx_known(void *arg, const char *uid)
{
	struct rx *r = arg;
	int i;

	for (i = 0; i < r->nknown; i++)
		if (strcmp(r->known[i], uid) == 0)
			return 1;
	return 0;
}

static struct pop3_cli *
cli_new(const char *user, const char *pass, int del, struct rx *r)
{
	struct pop3_cli_config cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.user = user;
	cfg.pass = pass;
	cfg.delete_after = del;
	cfg.message = rx_msg;
	cfg.known = rx_known;
	cfg.arg = r;
	return pop3_cli_new(&cfg);
}

/* Passes bytes both ways until neither side has more, recording them;
 * each side is fed in chunks of `chunk` bytes (0: all at once). */
static void
run_pair(struct pop3_srv *s, struct pop3_cli *c, size_t chunk,
    struct dlg_tx *t)
{
	int moved = 1;

	pop3_srv_start(s);
	while (moved) {
		struct nl_dbuf *so = pop3_srv_out(s), *co = pop3_cli_out(c);
		size_t i, k;

		moved = 0;
		if (so->len > 0) {
			dlg_tx_add(t, 0, so->data, so->len);
			for (i = 0; i < so->len; i += k) {
				k = chunk == 0 ? so->len : NL_MIN(chunk,
				    so->len - i);
				if (pop3_cli_feed(c, so->data + i, k) != NL_OK)
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
				if (pop3_srv_feed(s, co->data + i, k) != NL_OK)
					break;
			}
			nl_dbuf_reset(co);
			moved = 1;
		}
	}
}

/* One client session against a server on m; returns what it got. */
static void
pair_once(struct pop3_mem *m, const char *user, const char *pass, int del,
    size_t chunk, struct rx *r, struct dlg_tx *t, enum pop3_cli_state *end)
{
	struct pop3_srv *s = srv_new(m, NULL, NULL);
	struct pop3_cli *c = cli_new(user, pass, del, r);

	*end = POP3_CLI_FAILED;
	if (s != NULL && c != NULL) {
		run_pair(s, c, chunk, t);
		*end = pop3_cli_state(c);
	}
	pop3_srv_free(s);
	pop3_cli_free(c);
}

/* ---- Codec ------------------------------------------------------------- */

static void
test_pop3_cmd_parse(void)
{
	struct pop3_command c;

	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"top 1 10", 8, &c), NL_OK);
	ASSERT_EQ(c.cmd, POP3_CMD_TOP);
	ASSERT_STR_EQ(c.verb, "top");
	ASSERT_EQ(c.nargs, 2);
	ASSERT_STR_EQ(c.args[0], "1");
	ASSERT_STR_EQ(c.args[1], "10");
	ASSERT_EQ(c.arg_at[1].off, 6);
	ASSERT_EQ(c.arg_at[1].len, 2);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"PASS my secret", 14, &c),
	    NL_OK);
	ASSERT_EQ(c.nargs, 1);
	ASSERT_STR_EQ(c.args[0], "my secret");
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"XTND", 4, &c), NL_OK);
	ASSERT_EQ(c.cmd, POP3_CMD_UNKNOWN);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"", 0, &c), NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"RETRIEVE 1", 10, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"LIST  1", 7, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"LIST 1 ", 7, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"TOP 1 2 3", 9, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"US\0R x", 6, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"USER a\tb", 8, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_cmd_parse((const uint8_t *)"USER "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 46, &c),
	    NL_EMALFORMED);
	ASSERT_EQ(c.nargs, 0);
}

static void
test_pop3_resp_parse(void)
{
	struct pop3_response r;
	size_t n;

	ASSERT_EQ(pop3_resp_parse((const uint8_t *)"+OK 2 320", 9, &r), NL_OK);
	ASSERT_EQ(r.ok, 1);
	ASSERT_EQ(r.text_len, 5);
	ASSERT_MEM_EQ(r.text, "2 320", 5);
	ASSERT_EQ(pop3_resp_parse((const uint8_t *)"-ERR", 4, &r), NL_OK);
	ASSERT_EQ(r.ok, 0);
	ASSERT_EQ(r.text_len, 0);
	ASSERT_EQ(pop3_resp_parse((const uint8_t *)"+OKAY", 5, &r),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_resp_parse((const uint8_t *)"* OK", 4, &r),
	    NL_EMALFORMED);
	ASSERT_EQ(pop3_num_parse("0042", &n), NL_OK);
	ASSERT_EQ(n, 42);
	ASSERT_EQ(pop3_num_parse("1234567890", &n), NL_EMALFORMED);
	ASSERT_EQ(pop3_num_parse("-1", &n), NL_EMALFORMED);
	ASSERT_EQ(pop3_num_parse("", &n), NL_EMALFORMED);
}

/* Writing stuffs each leading dot; reading un-stuffs: a round trip. */
static void
test_pop3_stuffing(void)
{
	static const char text[] = ".\r\n..x\r\nplain\r\n.\r\nlast";
	struct nl_dbuf out;
	const uint8_t *line, *p;
	size_t pos = 0, ll, n, rpos = 0;
	char back[64];
	size_t blen = 0;
	int end = 0;

	nl_dbuf_init(&out, 1024);
	while (pop3_msg_next_line((const uint8_t *)text, sizeof text - 1, &pos,
	    &line, &ll))
		ASSERT_EQ(pop3_data_write_line(&out, line, ll), NL_OK);
	ASSERT_EQ(pop3_data_write_end(&out), NL_OK);
	ASSERT_STR_EQ((const char *)out.data,
	    "..\r\n...x\r\nplain\r\n..\r\nlast\r\n.\r\n");
	while (!end && pop3_msg_next_line(out.data, out.len, &rpos, &line,
	    &ll)) {
		pop3_data_read_line(line, ll, &end, &p, &n);
		if (end)
			break;
		memcpy(back + blen, p, n);
		memcpy(back + blen + n, "\r\n", 2);
		blen += n + 2;
	}
	ASSERT(end);
	ASSERT_EQ(blen, sizeof text - 1 + 2);
	ASSERT_MEM_EQ(back, text, sizeof text - 1);
	nl_dbuf_free(&out);
}

static void
test_pop3_names(void)
{
	ASSERT_STR_EQ(pop3_cmd_str(POP3_CMD_UIDL), "UIDL");
	ASSERT_STR_EQ(pop3_srv_state_str(POP3_SRV_TRANSACTION),
	    "TRANSACTION");
	ASSERT_STR_EQ(pop3_cli_state_str(POP3_CLI_RETR), "RETR");
	ASSERT_STR_EQ(pop3_ev_str(POP3_EV_STATE), "state");
}

/* ---- Server scripts ---------------------------------------------------- */

/* RFC 1939 section 10, with USER/PASS in place of APOP (which needs
 * MD5 and is not implemented). */
static void
test_pop3_rfc1939_session(void)
{
	check_srv_script(
	    "S: +OK " GREETING "\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS tanstaaf\n"
	    "S: +OK mrose's maildrop has 2 messages (320 octets)\n"
	    "C: STAT\n"
	    "S: +OK 2 320\n"
	    "C: LIST\n"
	    "S: +OK 2 messages (320 octets)\n"
	    "S: 1 120\n"
	    "S: 2 200\n"
	    "S: .\n"
	    "C: RETR 1\n"
	    "S: +OK 120 octets\n"
	    "S: From: dewey@dbc.mtview.ca.us\n"
	    "S: To: mrose@dbc.mtview.ca.us\n"
	    "S: Subject: first\n"
	    "S: \n"
	    "S: Hello, Marshall,\n"
	    "S: ..a dot starts this line.\n"
	    "S: .\n"
	    "C: DELE 1\n"
	    "S: +OK message 1 deleted\n"
	    "C: RETR 2\n"
	    "S: +OK 200 octets\n"
	    "S: From: dewey@dbc.mtview.ca.us\n"
	    "S: To: mrose@dbc.mtview.ca.us\n"
	    "S: Subject: second\n"
	    "S: \n"
	    "S: This message is two hundred octets long, counted with\n"
	    "S: every CRLF, as LIST and STAT count them; and a dot:\n"
	    "S: ..\n"
	    "S: the end...\n"
	    "S: .\n"
	    "C: DELE 2\n"
	    "S: +OK message 2 deleted\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off (maildrop empty)\n",
	    setup_rfc);
}

static void
test_pop3_top_uidl_capa(void)
{
	check_srv_script(
	    "S: +OK " GREETING "\n"
	    "C: CAPA\n"
	    "S: +OK Capability list follows\n"
	    "S: USER\n"
	    "S: TOP\n"
	    "S: UIDL\n"
	    "S: .\n"
	    "C: user mrose\n"
	    "S: +OK send PASS\n"
	    "C: pass tanstaaf\n"
	    "S: +OK mrose's maildrop has 2 messages (320 octets)\n"
	    "C: UIDL\n"
	    "S: +OK\n"
	    "S: 1 whqtswO00WBw418f9t5JxYwZ\n"
	    "S: 2 QhdPYR:00WBw1Ph7x7\n"
	    "S: .\n"
	    "C: UIDL 2\n"
	    "S: +OK 2 QhdPYR:00WBw1Ph7x7\n"
	    "C: TOP 1 0\n"
	    "S: +OK\n"
	    "S: From: dewey@dbc.mtview.ca.us\n"
	    "S: To: mrose@dbc.mtview.ca.us\n"
	    "S: Subject: first\n"
	    "S: \n"
	    "S: .\n"
	    "C: TOP 2 1\n"
	    "S: +OK\n"
	    "S: From: dewey@dbc.mtview.ca.us\n"
	    "S: To: mrose@dbc.mtview.ca.us\n"
	    "S: Subject: second\n"
	    "S: \n"
	    "S: This message is two hundred octets long, counted with\n"
	    "S: .\n"
	    "C: LIST 2\n"
	    "S: +OK 2 200\n"
	    "C: NOOP\n"
	    "S: +OK\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off (2 messages left)\n",
	    setup_rfc);
}

/* RSET unmarks: after DELE, RSET and QUIT both messages are still there. */
static void
test_pop3_rset_undoes_dele(void)
{
	static struct dlg_tx t;
	struct pop3_mem m;
	static const char script[] =
	    "S: +OK " GREETING "\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS tanstaaf\n"
	    "S: +OK mrose's maildrop has 2 messages (320 octets)\n"
	    "C: DELE 1\n"
	    "S: +OK message 1 deleted\n"
	    "C: STAT\n"
	    "S: +OK 1 200\n"
	    "C: LIST\n"
	    "S: +OK 1 messages (200 octets)\n"
	    "S: 2 200\n"
	    "S: .\n"
	    "C: RETR 1\n"
	    "S: -ERR message 1 already deleted\n"
	    "C: RSET\n"
	    "S: +OK maildrop has 2 messages (320 octets)\n"
	    "C: STAT\n"
	    "S: +OK 2 320\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off (2 messages left)\n";

	check_srv_script(script, setup_rfc);
	if (test_failed)
		return;
	srv_run_lines(script, setup_rfc, 0, &t, &m);
	ASSERT_EQ(m.users[0].n, 2);
	ASSERT_EQ(m.users[0].locked, 0);
	ASSERT_EQ(m.commits, 1);
}

/* A connection lost in TRANSACTION: no UPDATE, nothing deleted, the
 * maildrop unlocked. */
static void
test_pop3_drop_deletes_nothing(void)
{
	static const char in[] = "USER mrose\r\nPASS tanstaaf\r\nDELE 1\r\n"
	    "DELE 2\r\nQUIT";	/* QUIT never completes: no CRLF */
	struct pop3_mem m;
	struct pop3_srv *s;

	pop3_mem_init(&m);
	setup_rfc(&m);
	s = srv_new(&m, NULL, NULL);
	ASSERT(s != NULL);
	pop3_srv_start(s);
	ASSERT_EQ(pop3_srv_feed(s, (const uint8_t *)in, sizeof in - 1), NL_OK);
	ASSERT_EQ(pop3_srv_state(s), POP3_SRV_TRANSACTION);
	ASSERT_EQ(m.users[0].marked[0], 1);
	ASSERT_EQ(m.users[0].locked, 1);
	pop3_srv_close(s);
	ASSERT_EQ(pop3_srv_state(s), POP3_SRV_CLOSED);
	ASSERT_EQ(pop3_srv_feed(s, (const uint8_t *)"\r\n", 2), NL_ECLOSED);
	pop3_srv_free(s);
	ASSERT_EQ(m.commits, 0);
	ASSERT_EQ(m.releases, 1);
	ASSERT_EQ(m.users[0].n, 2);
	ASSERT_EQ(m.users[0].locked, 0);
	ASSERT_EQ(m.users[0].marked[0], 0);
}

static void
test_pop3_wrong_state(void)
{
	check_srv_script(
	    "S: +OK " GREETING "\n"
	    "C: STAT\n"
	    "S: -ERR STAT not valid in the AUTHORIZATION state\n"
	    "C: RETR 1\n"
	    "S: -ERR RETR not valid in the AUTHORIZATION state\n"
	    "C: PASS tanstaaf\n"
	    "S: -ERR send USER first\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS wrong\n"
	    "S: -ERR invalid password\n"
	    "C: PASS tanstaaf\n"
	    "S: -ERR send USER first\n"
	    "C: USER\n"
	    "S: -ERR wrong number of arguments for USER\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS tanstaaf\n"
	    "S: +OK mrose's maildrop has 2 messages (320 octets)\n"
	    "C: USER bob\n"
	    "S: -ERR USER not valid in the TRANSACTION state\n"
	    "C: PASS x\n"
	    "S: -ERR PASS not valid in the TRANSACTION state\n"
	    "C: QUIT now\n"
	    "S: -ERR QUIT takes no argument\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off (2 messages left)\n",
	    setup_rfc);
}

/* A second session for a locked maildrop is refused (RFC 1939 4). */
static void
test_pop3_maildrop_locked(void)
{
	static const char login[] = "USER mrose\r\nPASS tanstaaf\r\n";
	struct pop3_mem m;
	struct pop3_srv *a, *b;
	struct nl_dbuf *out;

	pop3_mem_init(&m);
	setup_rfc(&m);
	a = srv_new(&m, NULL, NULL);
	b = srv_new(&m, NULL, NULL);
	ASSERT(a != NULL && b != NULL);
	pop3_srv_start(a);
	pop3_srv_start(b);
	pop3_srv_feed(a, (const uint8_t *)login, sizeof login - 1);
	nl_dbuf_reset(pop3_srv_out(b));
	pop3_srv_feed(b, (const uint8_t *)login, sizeof login - 1);
	out = pop3_srv_out(b);
	ASSERT_STR_EQ((const char *)out->data,
	    "+OK send PASS\r\n-ERR maildrop already locked\r\n");
	ASSERT_EQ(pop3_srv_state(b), POP3_SRV_AUTHORIZATION);
	pop3_srv_free(a);
	pop3_srv_free(b);
	ASSERT_EQ(m.releases, 1);
}

static void
test_pop3_bad_args(void)
{
	check_srv_script(
	    "S: +OK " GREETING "\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS tanstaaf\n"
	    "S: +OK mrose's maildrop has 2 messages (320 octets)\n"
	    "C: RETR 0\n"
	    "S: -ERR no such message, only 2 messages in maildrop\n"
	    "C: RETR 3\n"
	    "S: -ERR no such message, only 2 messages in maildrop\n"
	    "C: RETR x\n"
	    "S: -ERR invalid message number\n"
	    "C: RETR 99999999999999999999\n"
	    "S: -ERR invalid message number\n"
	    "C: RETR\n"
	    "S: -ERR wrong number of arguments for RETR\n"
	    "C: LIST 1 2\n"
	    "S: -ERR wrong number of arguments for LIST\n"
	    "C: TOP 1\n"
	    "S: -ERR wrong number of arguments for TOP\n"
	    "C: TOP 1 -1\n"
	    "S: -ERR invalid number of lines\n"
	    "C: DELE 2\n"
	    "S: +OK message 2 deleted\n"
	    "C: DELE 2\n"
	    "S: -ERR message 2 already deleted\n"
	    "C: UIDL 2\n"
	    "S: -ERR message 2 already deleted\n"
	    "C: STAT 1\n"
	    "S: -ERR STAT takes no argument\n"
	    "C: APOP mrose c4c9334bac560ecc979e58001b3e22fb\n"
	    "S: -ERR unknown command APOP\n"
	    "C: HELO crepes.fr\n"
	    "S: -ERR unknown command HELO\n"
	    "C: \n"
	    "S: -ERR invalid command line\n"
	    "C:  STAT\n"
	    "S: -ERR invalid command line\n"
	    "C: RETR  1\n"
	    "S: -ERR invalid command line\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off (1 messages left)\n",
	    setup_rfc);
}

/* Raw bytes: overlong lines, NUL, bare LF and CR, binary garbage, input
 * after QUIT. The answers never depend on the chunking. */
static void
test_pop3_bad_bytes(void)
{
	static uint8_t in[2048];
	static const char want[] =
	    "+OK " GREETING "\r\n"
	    "-ERR line too long (255 octets at most)\r\n"
	    "-ERR invalid command line\r\n"
	    "-ERR invalid command line\r\n"
	    "-ERR invalid command line\r\n"
	    "+OK send PASS\r\n"
	    "-ERR line too long (255 octets at most)\r\n"
	    "+OK dewey POP3 server signing off\r\n";
	size_t n = 0, chunk;
	struct pop3_mem m;

	memset(in, 'A', 300);		/* 300 octets: over the limit */
	memcpy(in + 300, "\r\n", 2);
	n = 302;
	memcpy(in + n, "USER a\0b\r\n", 10);	/* a NUL */
	n += 10;
	memcpy(in + n, "NOOP\nQUIT\rX\r\n", 13); /* bare LF, bare CR */
	n += 13;
	memcpy(in + n, "\xff\xfe\x80\x01\r\n", 6); /* binary */
	n += 6;
	memcpy(in + n, "USER bob\r\n", 10);
	n += 10;
	memcpy(in + n, "PASS ", 5);		/* 256 octets with CRLF */
	memset(in + n + 5, 'p', 249);
	memcpy(in + n + 254, "\r\n", 2);
	n += 256;
	memcpy(in + n, "QUIT\r\nUSER late\r\n", 17);
	n += 17;
	for (chunk = 0; chunk < 4; chunk++) {
		struct pop3_srv *s;
		struct nl_dbuf *out;

		pop3_mem_init(&m);
		setup_rfc(&m);
		s = srv_new(&m, NULL, NULL);
		ASSERT(s != NULL);
		pop3_srv_start(s);
		ASSERT_EQ(srv_feed(s, in, n, chunk), NL_ECLOSED);
		out = pop3_srv_out(s);
		ASSERT_STR_EQ((const char *)out->data, want);
		ASSERT_EQ(pop3_srv_state(s), POP3_SRV_CLOSED);
		pop3_srv_free(s);
	}
}

/* State changes and lines reach the glue in order; PASS is marked. */
struct evlog {
	char text[2048];	/* one entry per event */
	size_t len;		/* bytes in text */
};

static void
evlog_fn(void *arg, const struct pop3_event *ev)
{
	struct evlog *l = arg;
	int k;

	if (ev->kind == POP3_EV_STATE)
		k = snprintf(l->text + l->len, sizeof l->text - l->len,
		    "[%s -> %s]", ev->old_name, ev->new_name);
	else
		k = snprintf(l->text + l->len, sizeof l->text - l->len,
		    "%s%s%.*s|", ev->from_client ? "C:" : "S:",
		    ev->secret ? "(secret)" : ev->data ? "(data)" : "",
		    (int)ev->len, (const char *)ev->text);
	if (k > 0 && (size_t)k < sizeof l->text - l->len)
		l->len += (size_t)k;
}

static void
test_pop3_events(void)
{
	static const char in[] = "USER bob\r\nPASS hungry\r\nLIST\r\nQUIT\r\n";
	struct evlog l;
	struct pop3_mem m;
	struct pop3_srv *s;

	memset(&l, 0, sizeof l);
	pop3_mem_init(&m);
	setup_rfc(&m);
	s = srv_new(&m, evlog_fn, &l);
	ASSERT(s != NULL);
	pop3_srv_start(s);
	pop3_srv_feed(s, (const uint8_t *)in, sizeof in - 1);
	pop3_srv_free(s);
	ASSERT_STR_EQ(l.text, "[CONNECTED -> AUTHORIZATION]"
	    "S:+OK " GREETING "|C:USER bob|S:+OK send PASS|"
	    "C:(secret)PASS hungry|[AUTHORIZATION -> TRANSACTION]"
	    "S:+OK bob's maildrop has 0 messages (0 octets)|C:LIST|"
	    "S:+OK 0 messages (0 octets)|S:(data).|C:QUIT|"
	    "[TRANSACTION -> UPDATE]"
	    "S:+OK dewey POP3 server signing off (maildrop empty)|"
	    "[UPDATE -> CLOSED]");
}

/* ---- Client against server -------------------------------------------- */

static const char dialogue_delete[] =
    "S: +OK " GREETING "\n"
    "C: USER mrose\n"
    "S: +OK send PASS\n"
    "C: PASS tanstaaf\n"
    "S: +OK mrose's maildrop has 2 messages (320 octets)\n"
    "C: STAT\n"
    "S: +OK 2 320\n"
    "C: LIST\n"
    "S: +OK 2 messages (320 octets)\n"
    "S: 1 120\n"
    "S: 2 200\n"
    "S: .\n"
    "C: UIDL\n"
    "S: +OK\n"
    "S: 1 whqtswO00WBw418f9t5JxYwZ\n"
    "S: 2 QhdPYR:00WBw1Ph7x7\n"
    "S: .\n"
    "C: RETR 1\n"
    "S: +OK 120 octets\n"
    "S: From: dewey@dbc.mtview.ca.us\n"
    "S: To: mrose@dbc.mtview.ca.us\n"
    "S: Subject: first\n"
    "S: \n"
    "S: Hello, Marshall,\n"
    "S: ..a dot starts this line.\n"
    "S: .\n"
    "C: DELE 1\n"
    "S: +OK message 1 deleted\n"
    "C: RETR 2\n"
    "S: +OK 200 octets\n"
    "S: From: dewey@dbc.mtview.ca.us\n"
    "S: To: mrose@dbc.mtview.ca.us\n"
    "S: Subject: second\n"
    "S: \n"
    "S: This message is two hundred octets long, counted with\n"
    "S: every CRLF, as LIST and STAT count them; and a dot:\n"
    "S: ..\n"
    "S: the end...\n"
    "S: .\n"
    "C: DELE 2\n"
    "S: +OK message 2 deleted\n"
    "C: QUIT\n"
    "S: +OK dewey POP3 server signing off (maildrop empty)\n";

/* Download and delete: byte-exact dialogue in every chunking; the
 * messages arrive intact; a second client then finds the drop empty. */
static void
test_pop3_client_download_delete(void)
{
	static struct dlg_tx t;
	static const size_t chunks[] = { 0, 1, 7 };
	struct pop3_mem m;
	struct rx r;
	enum pop3_cli_state end;
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		pop3_mem_init(&m);
		setup_rfc(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		pair_once(&m, "mrose", "tanstaaf", 1, chunks[i], &r, &t, &end);
		ASSERT_EQ(end, POP3_CLI_DONE);
		ASSERT_STR_EQ(t.text, dialogue_delete);
		ASSERT_EQ(r.n, 2);
		ASSERT(r.same[0] && r.same[1]);
		ASSERT_STR_EQ(r.uid[1], "QhdPYR:00WBw1Ph7x7");
		ASSERT_EQ(m.users[0].n, 0);
	}
	/* The phone comes second and finds nothing. */
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, "mrose", "tanstaaf", 1, 0, &r, &t, &end);
	ASSERT_EQ(end, POP3_CLI_DONE);
	ASSERT_EQ(r.n, 0);
	ASSERT_STR_EQ(t.text,
	    "S: +OK " GREETING "\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS tanstaaf\n"
	    "S: +OK mrose's maildrop has 0 messages (0 octets)\n"
	    "C: STAT\n"
	    "S: +OK 0 0\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off (maildrop empty)\n");
}

/* Download and keep: the drop is untouched, and a client that already
 * knows the unique-ids downloads nothing the second time. */
static void
test_pop3_client_download_keep(void)
{
	static struct dlg_tx t;
	struct pop3_mem m;
	struct rx r;
	enum pop3_cli_state end;

	pop3_mem_init(&m);
	setup_rfc(&m);
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, "mrose", "tanstaaf", 0, 1, &r, &t, &end);
	ASSERT_EQ(end, POP3_CLI_DONE);
	ASSERT_EQ(r.n, 2);
	ASSERT_EQ(m.users[0].n, 2);
	ASSERT(strstr(t.text, "DELE") == NULL);
	ASSERT(strstr(t.text, "(2 messages left)") != NULL);
	/* Again, knowing the first message. */
	memset(&r, 0, sizeof r);
	r.known[0] = "whqtswO00WBw418f9t5JxYwZ";
	r.nknown = 1;
	dlg_tx_init(&t);
	pair_once(&m, "mrose", "tanstaaf", 0, 0, &r, &t, &end);
	ASSERT_EQ(r.n, 1);
	ASSERT_STR_EQ(r.uid[0], "QhdPYR:00WBw1Ph7x7");
	ASSERT(strstr(t.text, "RETR 1") == NULL);
	ASSERT(strstr(t.text, "RETR 2") != NULL);
}

static void
test_pop3_client_bad_login(void)
{
	static struct dlg_tx t;
	struct pop3_mem m;
	struct rx r;
	enum pop3_cli_state end;

	pop3_mem_init(&m);
	setup_rfc(&m);
	memset(&r, 0, sizeof r);
	dlg_tx_init(&t);
	pair_once(&m, "mrose", "wrong", 1, 0, &r, &t, &end);
	ASSERT_EQ(end, POP3_CLI_DONE);
	ASSERT_STR_EQ(t.text,
	    "S: +OK " GREETING "\n"
	    "C: USER mrose\n"
	    "S: +OK send PASS\n"
	    "C: PASS wrong\n"
	    "S: -ERR invalid password\n"
	    "C: QUIT\n"
	    "S: +OK dewey POP3 server signing off\n");
	ASSERT_EQ(m.users[0].n, 2);
}

/* A client fed garbage, an early close, or a message over its limit:
 * FAILED or skipped, never a DELE of what it did not receive. */
static void
test_pop3_client_bad_server(void)
{
	static const char junk[] = "* OK IMAP4rev1 ready\r\n";
	static const char big[] = "+OK hi\r\n+OK send PASS\r\n+OK in\r\n"
	    "+OK 1 40\r\n+OK\r\n1 40\r\n.\r\n-ERR no UIDL\r\n"
	    "+OK 40 octets\r\n0123456789012345678901234567890123456789\r\n"
	    ".\r\n+OK bye\r\n";
	struct pop3_cli_config cfg;
	struct pop3_cli *c;
	struct rx r;

	memset(&r, 0, sizeof r);
	c = cli_new("bob", "hungry", 1, &r);
	ASSERT(c != NULL);
	ASSERT_EQ(pop3_cli_feed(c, (const uint8_t *)junk, sizeof junk - 1),
	    NL_ECLOSED);
	ASSERT_EQ(pop3_cli_state(c), POP3_CLI_FAILED);
	ASSERT_EQ(pop3_cli_status(c), NL_EMALFORMED);
	pop3_cli_free(c);

	c = cli_new("bob", "hungry", 1, &r);
	ASSERT(c != NULL);
	pop3_cli_feed(c, (const uint8_t *)"+OK hi\r\n", 8);
	pop3_cli_close(c);
	ASSERT_EQ(pop3_cli_state(c), POP3_CLI_FAILED);
	ASSERT_EQ(pop3_cli_status(c), NL_ECONNRESET);
	pop3_cli_free(c);

	/* msg_max 16: the 40-octet message is read and dropped, not
	 * deleted: straight to QUIT. */
	memset(&cfg, 0, sizeof cfg);
	cfg.user = "bob";
	cfg.pass = "hungry";
	cfg.delete_after = 1;
	cfg.msg_max = 16;
	cfg.message = rx_msg;
	cfg.arg = &r;
	c = pop3_cli_new(&cfg);
	ASSERT(c != NULL);
	ASSERT_EQ(pop3_cli_feed(c, (const uint8_t *)big, sizeof big - 1),
	    NL_ECLOSED);
	ASSERT_EQ(pop3_cli_state(c), POP3_CLI_DONE);
	ASSERT_EQ(pop3_cli_retrieved(c), 0);
	ASSERT_EQ(pop3_cli_status(c), NL_EIO);
	ASSERT_STR_EQ((const char *)pop3_cli_out(c)->data,
	    "USER bob\r\nPASS hungry\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 1\r\n"
	    "QUIT\r\n");
	pop3_cli_free(c);

	/* Credentials that cannot be sent are refused up front. */
	ASSERT(cli_new("bo b", "x", 0, &r) == NULL);
	ASSERT(cli_new("bob", "a\r\nDELE 1", 0, &r) == NULL);
	ASSERT(cli_new("", "x", 0, &r) == NULL);
}

/* Out of memory at each allocation in turn: no crash, no leak, and no
 * message lost: each is still in the drop or was handed to the glue. */
static void
test_pop3_oom(void)
{
	static struct dlg_tx t;
	long n;

	for (n = 0; n < 10000; n++) {
		struct pop3_mem m;
		struct rx r;
		enum pop3_cli_state end;
		int failed;

		pop3_mem_init(&m);
		setup_rfc(&m);
		memset(&r, 0, sizeof r);
		dlg_tx_init(&t);
		nl_alloc_fail_after(n);
		pair_once(&m, "mrose", "tanstaaf", 1, 3, &r, &t, &end);
		failed = nl_alloc_failed();
		nl_alloc_fail_after(-1);
		ASSERT((size_t)r.n + m.users[0].n >= 2);
		ASSERT_EQ(m.users[0].locked, 0);
		if (!failed) {
			ASSERT_EQ(end, POP3_CLI_DONE);
			ASSERT_STR_EQ(t.text, dialogue_delete);
			break;
		}
	}
	ASSERT(n < 10000);
}

const struct test_case tests_pop3[] = {
	{ "pop3_cmd_parse", test_pop3_cmd_parse },
	{ "pop3_resp_parse", test_pop3_resp_parse },
	{ "pop3_stuffing", test_pop3_stuffing },
	{ "pop3_names", test_pop3_names },
	{ "pop3_rfc1939_session", test_pop3_rfc1939_session },
	{ "pop3_top_uidl_capa", test_pop3_top_uidl_capa },
	{ "pop3_rset_undoes_dele", test_pop3_rset_undoes_dele },
	{ "pop3_drop_deletes_nothing", test_pop3_drop_deletes_nothing },
	{ "pop3_wrong_state", test_pop3_wrong_state },
	{ "pop3_maildrop_locked", test_pop3_maildrop_locked },
	{ "pop3_bad_args", test_pop3_bad_args },
	{ "pop3_bad_bytes", test_pop3_bad_bytes },
	{ "pop3_events", test_pop3_events },
	{ "pop3_client_download_delete", test_pop3_client_download_delete },
	{ "pop3_client_download_keep", test_pop3_client_download_keep },
	{ "pop3_client_bad_login", test_pop3_client_bad_login },
	{ "pop3_client_bad_server", test_pop3_client_bad_server },
	{ "pop3_oom", test_pop3_oom },
	{ NULL, NULL }
};
