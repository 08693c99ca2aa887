/* test_smtp.c - RFC 5321 sessions with bytes alone.
 *
 * Dialogue tests in the spirit of OpenSMTPD's smtpscript: a script of
 * "C:" and "S:" lines is either fed to a server session (the C: lines are
 * its input, the S: lines its expected output), or compared with the
 * transcript of a client and a server session wired to each other. Every
 * dialogue runs twice, bytes handed over whole and one at a time, and
 * both runs must give the same bytes. In C: lines, \n \r \0 and \\ stand
 * for those bytes. */
#include "test.h"

#include <stdlib.h>

#include "proto/line/reply.h"
#include "proto/smtp/smtp_client.h"
#include "proto/smtp/smtp_codec.h"
#include "proto/smtp/smtp_server.h"
#include "util/alloc.h"
#include "util/buf.h"

#define BIG (1 << 22)

/* What the callbacks of one session record. */
struct rec {
	struct nl_dbuf tr;	/* "C: line\n" / "S: line\n", escaped */
	struct nl_dbuf ev;	/* state and phase changes, results */
	struct nl_dbuf msg;	/* last message accepted (server) */
	char from[300];		/* its envelope */
	char rcpts[1024];
	unsigned nacc;		/* messages accepted (server) */
	int fail_accept;	/* accept() returns this status if set */
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	nl_dbuf_init(&r->tr, BIG);
	nl_dbuf_init(&r->ev, BIG);
	nl_dbuf_init(&r->msg, BIG);
}

static void
rec_free(struct rec *r)
{
	nl_dbuf_free(&r->tr);
	nl_dbuf_free(&r->ev);
	nl_dbuf_free(&r->msg);
}

/* Appends line with \n \r \0 \\ and other control bytes escaped. */
static void
put_escaped(struct nl_dbuf *b, const char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = (uint8_t)line[i];

		if (c == '\n')
			nl_dbuf_add_str(b, "\\n");
		else if (c == '\r')
			nl_dbuf_add_str(b, "\\r");
		else if (c == '\0')
			nl_dbuf_add_str(b, "\\0");
		else if (c == '\\')
			nl_dbuf_add_str(b, "\\\\");
		else if (c < 0x20)
			nl_dbuf_addf(b, "\\x%02x", c);
		else
			nl_dbuf_add_u8(b, c);
	}
}

static void
on_line(void *ctx, enum smtp_line_kind k, const char *line, size_t n)
{
	struct rec *r = ctx;

	nl_dbuf_add_str(&r->tr, k == SMTP_LINE_REPLY ? "S: " : "C: ");
	put_escaped(&r->tr, line, n);
	nl_dbuf_add_u8(&r->tr, '\n');
}

static void
on_srv_state(void *ctx, enum smtp_srv_state from, enum smtp_srv_state to)
{
	struct rec *r = ctx;

	nl_dbuf_addf(&r->ev, "%s->%s ", smtp_srv_state_str(from),
	    smtp_srv_state_str(to));
}

static void
on_cli_state(void *ctx, enum smtp_cli_state from, enum smtp_cli_state to)
{
	struct rec *r = ctx;

	nl_dbuf_addf(&r->ev, "%s->%s ", smtp_cli_state_str(from),
	    smtp_cli_state_str(to));
}

static void
on_phase(void *ctx, enum smtp_phase from, enum smtp_phase to)
{
	struct rec *r = ctx;

	nl_dbuf_addf(&r->ev, "[%s->%s] ", smtp_phase_str(from),
	    smtp_phase_str(to));
}

/* hamburger.edu's policy: bob and carol live here, busy is busy, other
 * local names are unknown, and only trusted.example may relay. */
static enum smtp_rcpt_verdict
policy(void *ctx, const struct smtp_envelope *env, const char *rcpt)
{
	const char *at = strchr(rcpt, '@');

	(void)ctx;
	if (at == NULL)
		return strcmp(rcpt, "Postmaster") == 0 ? SMTP_RCPT_OK :
		    SMTP_RCPT_UNKNOWN;
	if (strcmp(at + 1, "hamburger.edu") != 0)
		return env->helo && strcmp(env->helo, "trusted.example") == 0 ?
		    SMTP_RCPT_OK : SMTP_RCPT_RELAY_DENIED;
	if (strncmp(rcpt, "bob@", 4) == 0 || strncmp(rcpt, "carol@", 6) == 0)
		return SMTP_RCPT_OK;
	if (strncmp(rcpt, "busy@", 5) == 0)
		return SMTP_RCPT_TEMPFAIL;
	return SMTP_RCPT_UNKNOWN;
}

static enum nl_status
on_accept(void *ctx, const struct smtp_envelope *env, const uint8_t *msg,
    size_t len, char *qid, size_t qid_size)
{
	struct rec *r = ctx;
	size_t i, o = 0;

	if (r->fail_accept)
		return (enum nl_status)r->fail_accept;
	nl_dbuf_reset(&r->msg);
	if (len > 0)
		nl_dbuf_add(&r->msg, msg, len);
	snprintf(r->from, sizeof r->from, "%s", env->from);
	r->rcpts[0] = '\0';
	for (i = 0; i < env->nrcpt; i++)
		o += (size_t)snprintf(r->rcpts + o, sizeof r->rcpts - o, "%s%s",
		    i ? "," : "", env->rcpt[i]);
	snprintf(qid, qid_size, "Q%u", 123 + r->nacc++);
	nl_dbuf_addf(&r->ev, "accepted(%zu bytes) ", len);
	return NL_OK;
}

static void
on_done(void *ctx, void *msg_ctx, const struct smtp_rcpt_result *res,
    size_t n)
{
	struct rec *r = ctx;
	size_t i;

	nl_dbuf_addf(&r->ev, "done(%s:", (const char *)msg_ctx);
	for (i = 0; i < n; i++) {
		nl_dbuf_addf(&r->ev, " %s=%s/%d", res[i].rcpt,
		    smtp_outcome_str(res[i].outcome), res[i].code);
	}
	nl_dbuf_add_str(&r->ev, ") ");
}

static const struct smtp_srv_ops srv_ops = {
	on_srv_state, on_phase, on_line, policy, on_accept
};
static const struct smtp_cli_ops cli_ops = {
	on_cli_state, on_phase, on_line, on_done
};

/* The textbook's hamburger.edu (Kurose and Ross, section 2.3). */
static const struct smtp_srv_texts textbook_texts = {
	.greeting = "%d",
	.helo = "Hello %c, pleased to meet you",
	.mail_ok = "%a... Sender ok",
	.rcpt_ok = "%a ... Recipient ok",
	.data = "Enter mail, end with \".\" on a line by itself",
	.accepted = "Message accepted for delivery",
	.quit = "%d closing connection",
};

static const char *
str(const struct nl_dbuf *b)
{
	return b->data ? (const char *)b->data : "";
}

/* ---- Server alone, driven by a script ---- */

/* Decodes the escapes of a C: line into b. */
static void
put_unescaped(struct nl_dbuf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char e = s[++i];

			nl_dbuf_add_u8(b, e == 'n' ? '\n' : e == 'r' ? '\r' :
			    e == '0' ? '\0' : (uint8_t)e);
		} else {
			nl_dbuf_add_u8(b, (uint8_t)s[i]);
		}
	}
}

/* Splits a script into the client's bytes (C: lines + CRLF; a line
 * ending in "\c" gets no CRLF) and the server's expected bytes. */
static void
script_split(const char *script, struct nl_dbuf *in, struct nl_dbuf *want)
{
	const char *p = script;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n >= 3 && strncmp(p, "C: ", 3) == 0) {
			if (n >= 5 && strncmp(p + n - 2, "\\c", 2) == 0) {
				put_unescaped(in, p + 3, n - 5);
			} else {
				put_unescaped(in, p + 3, n - 3);
				nl_dbuf_add(in, "\r\n", 2);
			}
		} else if (n >= 3 && strncmp(p, "S: ", 3) == 0) {
			nl_dbuf_add(want, p + 3, n - 3);
			nl_dbuf_add(want, "\r\n", 2);
		}
		p = nl ? nl + 1 : p + n;
	}
}

/* Runs the server on in with chunks of `chunk` bytes (0: whole); out
 * gets its bytes, r its events. */
static void
srv_run(const struct smtp_srv_config *cfg, const struct nl_dbuf *in,
    size_t chunk, struct nl_dbuf *out, struct rec *r)
{
	struct smtp_srv *s = smtp_srv_new(cfg, &srv_ops, r, out);
	size_t pos = 0;

	if (s == NULL)
		return;
	smtp_srv_start(s);
	while (pos < in->len && !smtp_srv_closed(s)) {
		size_t n = chunk == 0 || in->len - pos < chunk ? in->len - pos :
		    chunk;

		smtp_srv_feed(s, in->data + pos, n);
		pos += n;
	}
	nl_dbuf_addf(&r->ev, "end:%s", smtp_srv_state_str(smtp_srv_state(s)));
	smtp_srv_free(s);
}

/* Feeds the script's C: lines to a server with cfg, whole and byte by
 * byte; both runs must write exactly the S: lines. Returns 1 if so and
 * leaves the last run's record in *r (the caller frees it). */
static int
srv_script(const struct smtp_srv_config *cfg, const char *script,
    struct rec *r)
{
	struct nl_dbuf in, want, out1, out2;
	struct rec r2;
	int ok;

	nl_dbuf_init(&in, BIG);
	nl_dbuf_init(&want, BIG);
	nl_dbuf_init(&out1, BIG);
	nl_dbuf_init(&out2, BIG);
	script_split(script, &in, &want);
	rec_init(r);
	rec_init(&r2);
	srv_run(cfg, &in, 0, &out1, &r2);
	srv_run(cfg, &in, 1, &out2, r);
	ok = strcmp(str(&out1), str(&want)) == 0 &&
	    strcmp(str(&out2), str(&want)) == 0 &&
	    strcmp(str(&r->ev), str(&r2.ev)) == 0 &&
	    strcmp(str(&r->tr), str(&r2.tr)) == 0 &&
	    r->msg.len == r2.msg.len;
	if (!ok)
		fprintf(stderr, "  want:\n%s  whole:\n%s  bytewise:\n%s"
		    "  events: %s\n  events: %s\n", str(&want), str(&out1),
		    str(&out2), str(&r2.ev), str(&r->ev));
	rec_free(&r2);
	nl_dbuf_free(&in);
	nl_dbuf_free(&want);
	nl_dbuf_free(&out1);
	nl_dbuf_free(&out2);
	return ok;
}

/* ---- A client and a server wired together ---- */

struct msg_spec {
	const char *from;
	const char *rcpt[4];
	const char *body;
	const char *tag;	/* msg_ctx, shown in done() */
};

/* Runs a client and a server with bytes passed in chunks of `chunk`
 * (0: all pending bytes at once) until both are quiet. The client's
 * transcript and events go to rc, the server's to rs. */
static void
pair_run(const struct smtp_srv_config *scfg,
    const struct smtp_cli_config *ccfg, const struct msg_spec *msgs,
    size_t nmsgs, size_t chunk, struct rec *rc, struct rec *rs)
{
	struct nl_dbuf so, co, tmp;
	struct smtp_srv *s;
	struct smtp_cli *c;
	size_t i, k, rounds = 0;

	nl_dbuf_init(&so, BIG);
	nl_dbuf_init(&co, BIG);
	nl_dbuf_init(&tmp, BIG);
	s = smtp_srv_new(scfg, &srv_ops, rs, &so);
	c = smtp_cli_new(ccfg, &cli_ops, rc, &co);
	for (i = 0; i < nmsgs; i++) {
		struct smtp_envelope env;

		smtp_env_init(&env);
		smtp_env_set_from(&env, msgs[i].from);
		for (k = 0; k < 4 && msgs[i].rcpt[k] != NULL; k++)
			smtp_env_add_rcpt(&env, msgs[i].rcpt[k]);
		smtp_cli_send(c, &env, (const uint8_t *)msgs[i].body,
		    strlen(msgs[i].body), (void *)(uintptr_t)msgs[i].tag);
		smtp_env_clear(&env);
	}
	smtp_cli_quit(c);
	smtp_srv_start(s);
	while ((so.len > 0 || co.len > 0) && rounds++ < 10000) {
		struct nl_dbuf *from = so.len > 0 ? &so : &co;
		size_t pos = 0;

		nl_dbuf_reset(&tmp);
		nl_dbuf_add(&tmp, from->data, from->len);
		nl_dbuf_reset(from);
		while (pos < tmp.len) {
			size_t n = chunk == 0 || tmp.len - pos < chunk ?
			    tmp.len - pos : chunk;

			if (from == &so)
				smtp_cli_feed(c, tmp.data + pos, n);
			else
				smtp_srv_feed(s, tmp.data + pos, n);
			pos += n;
		}
	}
	nl_dbuf_addf(&rc->ev, "end:%s", smtp_cli_state_str(smtp_cli_state(c)));
	nl_dbuf_addf(&rs->ev, "end:%s", smtp_srv_state_str(smtp_srv_state(s)));
	smtp_cli_free(c);
	smtp_srv_free(s);
	nl_dbuf_free(&so);
	nl_dbuf_free(&co);
	nl_dbuf_free(&tmp);
}

/* Runs the pair whole and byte by byte; the client's transcript must be
 * the script, the server's too, and both runs alike in every record.
 * Leaves the byte-wise records in rc and rs. */
static int
pair_script(const struct smtp_srv_config *scfg,
    const struct smtp_cli_config *ccfg, const struct msg_spec *msgs,
    size_t nmsgs, const char *script, struct rec *rc, struct rec *rs)
{
	struct rec wc, ws;
	int ok;

	rec_init(rc);
	rec_init(rs);
	rec_init(&wc);
	rec_init(&ws);
	pair_run(scfg, ccfg, msgs, nmsgs, 0, &wc, &ws);
	pair_run(scfg, ccfg, msgs, nmsgs, 1, rc, rs);
	ok = strcmp(str(&wc.tr), script) == 0 &&
	    strcmp(str(&ws.tr), script) == 0 &&
	    strcmp(str(&rc->tr), script) == 0 &&
	    strcmp(str(&rs->tr), script) == 0 &&
	    strcmp(str(&wc.ev), str(&rc->ev)) == 0 &&
	    strcmp(str(&ws.ev), str(&rs->ev)) == 0 &&
	    strcmp(str(&ws.msg), str(&rs->msg)) == 0;
	if (!ok)
		fprintf(stderr, "  script:\n%s  client (whole):\n%s"
		    "  server (bytewise):\n%s  client events: %s\n"
		    "  client events: %s\n  server events: %s\n", script,
		    str(&wc.tr), str(&rs->tr), str(&wc.ev), str(&rc->ev),
		    str(&rs->ev));
	rec_free(&wc);
	rec_free(&ws);
	return ok;
}

static const char textbook_dialogue[] =
    "S: 220 hamburger.edu\n"
    "C: HELO crepes.fr\n"
    "S: 250 Hello crepes.fr, pleased to meet you\n"
    "C: MAIL FROM: <alice@crepes.fr>\n"
    "S: 250 alice@crepes.fr... Sender ok\n"
    "C: RCPT TO: <bob@hamburger.edu>\n"
    "S: 250 bob@hamburger.edu ... Recipient ok\n"
    "C: DATA\n"
    "S: 354 Enter mail, end with \".\" on a line by itself\n"
    "C: Do you like ketchup?\n"
    "C: How about pickles?\n"
    "C: .\n"
    "S: 250 Message accepted for delivery\n"
    "C: QUIT\n"
    "S: 221 hamburger.edu closing connection\n";

/* The dialogue of the textbook, byte for byte, from a configured pair. */
static void
test_textbook(void)
{
	struct smtp_srv_config scfg = { "hamburger.edu", &textbook_texts,
		0, 0, 0, 0, 0, 0 };
	struct smtp_cli_config ccfg = { "crepes.fr", 1, 1, 0 };
	struct msg_spec m = { "alice@crepes.fr", { "bob@hamburger.edu" },
		"Do you like ketchup?\nHow about pickles?\n", "m1" };
	struct rec rc, rs;
	int ok = pair_script(&scfg, &ccfg, &m, 1, textbook_dialogue, &rc, &rs);

	ASSERT(ok);
	ASSERT_STR_EQ(str(&rs.msg),
	    "Do you like ketchup?\r\nHow about pickles?\r\n");
	ASSERT_STR_EQ(rs.from, "alice@crepes.fr");
	ASSERT_STR_EQ(rs.rcpts, "bob@hamburger.edu");
	/* Each state change, then the phase change it makes, if any. */
	ASSERT_STR_EQ(str(&rc.ev), "GREETING->HELO [connected->handshake] "
	    "HELO->READY READY->MAIL [handshake->transfer] MAIL->RCPT "
	    "RCPT->DATA DATA->BODY "
	    "done(m1: bob@hamburger.edu=accepted/250) BODY->READY "
	    "READY->QUIT [transfer->closure] QUIT->DONE end:DONE");
	ASSERT_STR_EQ(str(&rs.ev), "CONNECTED->GREETED "
	    "GREETED->READY [connected->handshake] "
	    "READY->MAIL [handshake->transfer] MAIL->RCPT RCPT->DATA "
	    "accepted(42 bytes) DATA->READY "
	    "READY->CLOSED [transfer->closure] end:CLOSED");
	rec_free(&rc);
	rec_free(&rs);
	/* The same server, read from the script alone. */
	ok = srv_script(&scfg, textbook_dialogue, &rs);
	ASSERT(ok);
	ASSERT_STR_EQ(str(&rs.msg),
	    "Do you like ketchup?\r\nHow about pickles?\r\n");
	rec_free(&rs);
}

/* EHLO with its multiline reply, the RFC form of MAIL FROM with SIZE. */
static void
test_ehlo_multiline(void)
{
	struct smtp_srv_config scfg = { "hamburger.edu", NULL, 0, 0, 0, 0,
		0, 0 };
	struct smtp_cli_config ccfg = { "crepes.fr", 0, 0, 0 };
	struct msg_spec m = { "alice@crepes.fr", { "bob@hamburger.edu" },
		"Subject: hi\n\n.hidden dot\n..two\n.\n", "m1" };
	static const char script[] =
	    "S: 220 hamburger.edu Service ready\n"
	    "C: EHLO crepes.fr\n"
	    "S: 250-hamburger.edu Hello crepes.fr\n"
	    "S: 250-SIZE 10485760\n"
	    "S: 250-8BITMIME\n"
	    "S: 250 HELP\n"
	    "C: MAIL FROM:<alice@crepes.fr> SIZE=38\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "S: 250 OK\n"
	    "C: DATA\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "C: Subject: hi\n"
	    "C: \n"
	    "C: ..hidden dot\n"
	    "C: ...two\n"
	    "C: ..\n"
	    "C: .\n"
	    "S: 250 OK queued as Q123\n"
	    "C: QUIT\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct rec rc, rs;
	int ok = pair_script(&scfg, &ccfg, &m, 1, script, &rc, &rs);

	ASSERT(ok);
	/* Dot-stuffing is gone on the server's side. */
	ASSERT_STR_EQ(str(&rs.msg),
	    "Subject: hi\r\n\r\n.hidden dot\r\n..two\r\n.\r\n");
	rec_free(&rc);
	rec_free(&rs);
}

/* Several recipients: one accepted, one unknown, one relay refused, one
 * temporarily refused; each gets its own outcome. */
static void
test_some_refused(void)
{
	struct smtp_srv_config scfg = { "hamburger.edu", NULL, 0, 0, 0, 0,
		0, 0 };
	struct smtp_cli_config ccfg = { "crepes.fr", 0, 0, 1 };
	struct msg_spec m = { "alice@crepes.fr", { "bob@hamburger.edu",
		"nobody@hamburger.edu", "eve@elsewhere.org",
		"busy@hamburger.edu" }, "Hi all\n", "m1" };
	static const char script[] =
	    "S: 220 hamburger.edu Service ready\n"
	    "C: EHLO crepes.fr\n"
	    "S: 250-hamburger.edu Hello crepes.fr\n"
	    "S: 250-SIZE 10485760\n"
	    "S: 250-8BITMIME\n"
	    "S: 250 HELP\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<nobody@hamburger.edu>\n"
	    "S: 550 No such user here\n"
	    "C: RCPT TO:<eve@elsewhere.org>\n"
	    "S: 550 Relaying denied\n"
	    "C: RCPT TO:<busy@hamburger.edu>\n"
	    "S: 451 Requested action aborted: local error in processing\n"
	    "C: DATA\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "C: Hi all\n"
	    "C: .\n"
	    "S: 250 OK queued as Q123\n"
	    "C: QUIT\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct rec rc, rs;
	int ok = pair_script(&scfg, &ccfg, &m, 1, script, &rc, &rs);

	ASSERT(ok);
	ASSERT(strstr(str(&rc.ev), "done(m1: bob@hamburger.edu=accepted/250 "
	    "nobody@hamburger.edu=permfail/550 "
	    "eve@elsewhere.org=permfail/550 "
	    "busy@hamburger.edu=tempfail/451)") != NULL);
	ASSERT_STR_EQ(rs.rcpts, "bob@hamburger.edu");
	rec_free(&rc);
	rec_free(&rs);
}

/* Three messages on one connection: MAIL again after 250 without RSET;
 * a message whose recipients are all refused is followed by RSET. */
static void
test_several_messages(void)
{
	struct smtp_srv_config scfg = { "hamburger.edu", NULL, 0, 0, 0, 554,
		0, 0 };
	struct smtp_cli_config ccfg = { "crepes.fr", 1, 0, 0 };
	struct msg_spec m[3] = {
		{ "alice@crepes.fr", { "bob@hamburger.edu" }, "one\n", "m1" },
		{ "alice@crepes.fr", { "eve@elsewhere.org" }, "two\n", "m2" },
		{ "", { "carol@hamburger.edu", "bob@hamburger.edu" }, "three",
		    "m3" },
	};
	static const char script[] =
	    "S: 220 hamburger.edu Service ready\n"
	    "C: HELO crepes.fr\n"
	    "S: 250 hamburger.edu Hello crepes.fr\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "S: 250 OK\n"
	    "C: DATA\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "C: one\n"
	    "C: .\n"
	    "S: 250 OK queued as Q123\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<eve@elsewhere.org>\n"
	    "S: 554 Relaying denied\n"
	    "C: RSET\n"
	    "S: 250 OK\n"
	    "C: MAIL FROM:<>\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<carol@hamburger.edu>\n"
	    "S: 250 OK\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "S: 250 OK\n"
	    "C: DATA\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "C: three\n"
	    "C: .\n"
	    "S: 250 OK queued as Q124\n"
	    "C: QUIT\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct rec rc, rs;
	int ok = pair_script(&scfg, &ccfg, m, 3, script, &rc, &rs);

	ASSERT(ok);
	ASSERT(strstr(str(&rc.ev), "done(m1: bob@hamburger.edu=accepted/250)"
	    " BODY->READY READY->MAIL") != NULL);
	ASSERT(strstr(str(&rc.ev), "done(m2: eve@elsewhere.org=permfail/554)"
	    " RCPT->RSET") != NULL);
	ASSERT(strstr(str(&rc.ev), "done(m3: carol@hamburger.edu=accepted/250"
	    " bob@hamburger.edu=accepted/250)") != NULL);
	ASSERT_STR_EQ(rs.from, "");
	ASSERT_STR_EQ(rs.rcpts, "carol@hamburger.edu,bob@hamburger.edu");
	ASSERT_EQ(rs.nacc, 2);
	rec_free(&rc);
	rec_free(&rs);
}

static const struct smtp_srv_config plain_cfg = { "hamburger.edu", NULL,
	0, 0, 0, 0, 0, 0 };

/* All commands in one go (RFC 2920 style): answered in order. */
static void
test_pipelined(void)
{
	static const char script[] =
	    "C: EHLO crepes.fr\n"
	    "C: MAIL FROM:<alice@crepes.fr> BODY=8BITMIME\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "C: RCPT TO:<Postmaster>\n"
	    "C: DATA\n"
	    "C: caf\xc3\xa9\n"
	    "C: .\n"
	    "C: NOOP\n"
	    "C: QUIT\n"
	    "C: NOOP\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 250-hamburger.edu Hello crepes.fr\n"
	    "S: 250-SIZE 10485760\n"
	    "S: 250-8BITMIME\n"
	    "S: 250-PIPELINING\n"
	    "S: 250 HELP\n"
	    "S: 250 OK\n"
	    "S: 250 OK\n"
	    "S: 250 OK\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "S: 250 OK queued as Q123\n"
	    "S: 250 OK\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct smtp_srv_config cfg = plain_cfg;
	struct rec r;

	cfg.pipelining = 1;
	ASSERT(srv_script(&cfg, script, &r));
	ASSERT_STR_EQ(str(&r.msg), "caf\xc3\xa9\r\n");
	ASSERT_STR_EQ(r.rcpts, "bob@hamburger.edu,Postmaster");
	rec_free(&r);
}

/* Commands out of order get 503, and a DATA whose recipients were all
 * refused gets 554 (RFC 5321 3.3). */
static void
test_bad_sequence(void)
{
	static const char script[] =
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "C: HELO crepes.fr\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "C: DATA\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "C: DATA\n"
	    "C: RCPT TO:<nobody@hamburger.edu>\n"
	    "C: DATA\n"
	    "C: RSET\n"
	    "C: DATA\n"
	    "C: QUIT\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 250 hamburger.edu Hello crepes.fr\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 250 OK\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 550 No such user here\n"
	    "S: 554 No valid recipients\n"
	    "S: 250 OK\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct rec r;

	ASSERT(srv_script(&plain_cfg, script, &r));
	rec_free(&r);
}

/* Over 512 bytes: 500 once, and the next command is read as usual. */
static void
test_overlong(void)
{
	char script[2400];
	size_t n;
	struct rec r;

	n = (size_t)snprintf(script, sizeof script, "C: HELO crepes.fr\nC: NOOP ");
	memset(script + n, 'x', 1500);
	n += 1500;
	snprintf(script + n, sizeof script - n, "\nC: NOOP\nC: QUIT\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 250 hamburger.edu Hello crepes.fr\n"
	    "S: 500 Line too long\n"
	    "S: 250 OK\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n");
	ASSERT(srv_script(&plain_cfg, script, &r));
	rec_free(&r);
}

/* A bare LF never ends a line: not in a command, and "<LF>.<LF>" with a
 * command after it stays inside the message (no SMTP smuggling). */
static void
test_bare_lf(void)
{
	static const char script[] =
	    "C: HELO crepes.fr\\nMAIL FROM:<x@y.z>\n"
	    "C: QUIT\\n\n"
	    "C: HELO crepes.fr\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "C: DATA\n"
	    "C: line one\\n.\\nMAIL FROM:<evil@crepes.fr>\\nRCPT TO:<x@y.z>\n"
	    "C: bare\\rCR\n"
	    "C: .\n"
	    "C: QUIT\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 250 hamburger.edu Hello crepes.fr\n"
	    "S: 250 OK\n"
	    "S: 250 OK\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "S: 250 OK queued as Q123\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct rec r;

	ASSERT(srv_script(&plain_cfg, script, &r));
	ASSERT_STR_EQ(str(&r.msg), "line one\n.\nMAIL FROM:<evil@crepes.fr>\n"
	    "RCPT TO:<x@y.z>\r\nbare\rCR\r\n");
	ASSERT_EQ(r.nacc, 1);
	rec_free(&r);
}

/* NUL bytes: a command with one gets 500, a message with one 554. */
static void
test_nul(void)
{
	static const char script[] =
	    "C: HELO crepes.fr\\0\n"
	    "C: HELO crepes.fr\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "C: DATA\n"
	    "C: a\\0b\n"
	    "C: .\n"
	    "C: NOOP\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 500 Syntax error, NUL character in command\n"
	    "S: 250 hamburger.edu Hello crepes.fr\n"
	    "S: 250 OK\n"
	    "S: 250 OK\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "S: 554 Transaction failed: NUL character in message\n"
	    "S: 250 OK\n";
	struct rec r;

	ASSERT(srv_script(&plain_cfg, script, &r));
	ASSERT_EQ(r.nacc, 0);
	ASSERT(strstr(str(&r.tr), "C: a\\0b\n") != NULL);
	rec_free(&r);
}

/* SIZE: declared too big at MAIL (RFC 1870), or found too big at ".";
 * the session keeps no more than the limit meanwhile. */
static void
test_size(void)
{
	struct smtp_srv_config cfg = plain_cfg;
	char script[8192];
	size_t n, i;
	struct rec r;

	cfg.max_size = 100;
	n = (size_t)snprintf(script, sizeof script,
	    "C: EHLO crepes.fr\n"
	    "C: MAIL FROM:<alice@crepes.fr> SIZE=101\n"
	    "C: MAIL FROM:<alice@crepes.fr> SIZE=100\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "C: DATA\n");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(script + n, sizeof script - n,
		    "C: line %02zu of a message that is too big\n", i);
	snprintf(script + n, sizeof script - n,
	    "C: .\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 250-hamburger.edu Hello crepes.fr\n"
	    "S: 250-SIZE 100\n"
	    "S: 250-8BITMIME\n"
	    "S: 250 HELP\n"
	    "S: 552 Message size exceeds fixed maximum message size\n"
	    "S: 250 OK\n"
	    "S: 250 OK\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "S: 552 Message size exceeds fixed maximum message size\n"
	    "S: 250 OK\n");
	ASSERT(srv_script(&cfg, script, &r));
	ASSERT_EQ(r.nacc, 0);
	rec_free(&r);
}

/* Syntax: paths, parameters, and the commands with little to do. */
static void
test_syntax(void)
{
	static const char script[] =
	    "C: HELO\n"
	    "C: HELO bad_name!\n"
	    "C: helo [10.0.0.1]\n"
	    "C: MAIL FROM:<alice@crepes.fr> SIZE=10\n"
	    "C: EHLO crepes.fr\n"
	    "C: MAIL FROM:alice@crepes.fr\n"
	    "C: MAIL FROM:<alice@@crepes.fr>\n"
	    "C: MAIL FROM:<alice@crepes.fr> FOO=1\n"
	    "C: MAIL FROM:<alice@crepes.fr> BODY=9BIT\n"
	    "C: mail from: <@relay.example,@b.example:alice@crepes.fr>\n"
	    "C: RCPT TO:<>\n"
	    "C: RCPT TO:<\"bob smith\"@hamburger.edu> NOTIFY=NEVER\n"
	    "C: RCPT TO:<\"b>ob\"@hamburger.edu>\n"
	    "C: RSET now\n"
	    "C: RSET\n"
	    "C: VRFY bob\n"
	    "C: VRFY <nobody@hamburger.edu>\n"
	    "C: VRFY eve@elsewhere.org\n"
	    "C: VRFY\n"
	    "C: EXPN staff\n"
	    "C: HELP\n"
	    "C: TURN\n"
	    "C: \n"
	    "C: QUIT now\n"
	    "C: QUIT\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 250 hamburger.edu Hello [10.0.0.1]\n"
	    "S: 555 MAIL FROM/RCPT TO parameters not recognized or not "
	    "implemented\n"
	    "S: 250-hamburger.edu Hello crepes.fr\n"
	    "S: 250-SIZE 10485760\n"
	    "S: 250-8BITMIME\n"
	    "S: 250 HELP\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 555 MAIL FROM/RCPT TO parameters not recognized or not "
	    "implemented\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 250 OK\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 555 MAIL FROM/RCPT TO parameters not recognized or not "
	    "implemented\n"
	    "S: 550 No such user here\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 250 OK\n"
	    "S: 250 <bob@hamburger.edu>\n"
	    "S: 550 No such user here\n"
	    "S: 252 Cannot VRFY user, but will accept message and attempt "
	    "delivery\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 502 Command not implemented\n"
	    "S: 214 Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP "
	    "QUIT\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 501 Syntax error in parameters or arguments\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	struct smtp_srv_config cfg = plain_cfg;
	struct rec r;

	cfg.max_errors = 100;
	ASSERT(srv_script(&cfg, script, &r));
	ASSERT(strstr(str(&r.ev), "READY->MAIL") != NULL);
	rec_free(&r);
}

/* Ten bad commands and the server hangs up with 421; a silent client
 * gets 421 on timeout; a 554 greeting serves only QUIT. */
static void
test_closing(void)
{
	static const char errors[] =
	    "C: BAD 1\nC: BAD 2\nC: BAD 3\nC: NOOP\nC: BAD 4\n"
	    "C: HELO crepes.fr\n"
	    "C: NOOP\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 250 OK\n"
	    "S: 500 Syntax error, command unrecognized\n"
	    "S: 421 hamburger.edu Too many errors, closing transmission "
	    "channel\n";
	static const char noservice[] =
	    "C: HELO crepes.fr\nC: QUIT\n"
	    "S: 554 hamburger.edu No SMTP service here\n"
	    "S: 503 Bad sequence of commands\n"
	    "S: 221 hamburger.edu Service closing transmission channel\n";
	static const char half[] = "HELO a.b\r\nMAIL FROM:<>\r\n"
	    "RCPT TO:<bob@hamburger.edu>\r\nDATA\r\nhalf a mess";
	struct smtp_srv_config cfg = plain_cfg;
	struct nl_dbuf out;
	struct smtp_srv *s;
	struct rec r;

	cfg.max_errors = 4;
	ASSERT(srv_script(&cfg, errors, &r));
	ASSERT(strstr(str(&r.ev), "end:CLOSED") != NULL);
	rec_free(&r);
	cfg.max_errors = 0;
	cfg.no_service = 1;
	ASSERT(srv_script(&cfg, noservice, &r));
	rec_free(&r);
	/* Timeout in the middle of DATA: 421, and nothing is accepted. */
	rec_init(&r);
	nl_dbuf_init(&out, BIG);
	s = smtp_srv_new(&plain_cfg, &srv_ops, &r, &out);
	ASSERT(s != NULL);
	ASSERT_EQ(smtp_srv_start(s), NL_OK);
	ASSERT_EQ(smtp_srv_feed(s, (const uint8_t *)half, strlen(half)), NL_OK);
	ASSERT_EQ(smtp_srv_timeout_s(s), SMTP_SRV_TIMEOUT_S);
	nl_dbuf_reset(&out);
	ASSERT_EQ(smtp_srv_timeout(s), NL_OK);
	ASSERT_STR_EQ(str(&out), "421 hamburger.edu Timeout, closing "
	    "transmission channel\r\n");
	ASSERT(smtp_srv_closed(s));
	ASSERT_EQ(smtp_srv_phase(s), SMTP_PHASE_CLOSURE);
	ASSERT_EQ(smtp_srv_feed(s, (const uint8_t *)"QUIT\r\n", 6), NL_ECLOSED);
	ASSERT_EQ(smtp_srv_timeout(s), NL_ECLOSED);
	ASSERT_EQ(r.nacc, 0);
	smtp_srv_free(s);
	smtp_srv_free(NULL);
	nl_dbuf_free(&out);
	rec_free(&r);
}

/* A client that never reads: once out is full, the session gives up
 * instead of growing without bound. */
static void
test_out_full(void)
{
	static const char noop[] = "NOOP\r\n";
	struct nl_dbuf out;
	struct smtp_srv *s;
	enum nl_status st = NL_OK;
	int i;

	nl_dbuf_init(&out, 256);
	s = smtp_srv_new(&plain_cfg, NULL, NULL, &out);
	ASSERT(s != NULL);
	ASSERT_EQ(smtp_srv_start(s), NL_OK);
	for (i = 0; i < 100 && st == NL_OK; i++)
		st = smtp_srv_feed(s, (const uint8_t *)noop, 6);
	ASSERT_EQ(st, NL_ELIMIT);
	ASSERT(smtp_srv_closed(s));
	ASSERT_EQ(smtp_srv_feed(s, (const uint8_t *)noop, 6), NL_ELIMIT);
	smtp_srv_free(s);
	nl_dbuf_free(&out);
}

/* The glue refuses to queue: 451, or 552 for its own size limit. */
static void
test_accept_refused(void)
{
	static const char script[] =
	    "C: HELO crepes.fr\n"
	    "C: MAIL FROM:<alice@crepes.fr>\n"
	    "C: RCPT TO:<bob@hamburger.edu>\n"
	    "C: DATA\n"
	    "C: hello\n"
	    "C: .\n"
	    "S: 220 hamburger.edu Service ready\n"
	    "S: 250 hamburger.edu Hello crepes.fr\n"
	    "S: 250 OK\n"
	    "S: 250 OK\n"
	    "S: 354 Start mail input; end with <CRLF>.<CRLF>\n"
	    "S: 451 Requested action aborted: local error in processing\n";
	struct smtp_srv *s;
	struct nl_dbuf in, want, out;
	struct rec r;

	rec_init(&r);
	r.fail_accept = NL_EIO;
	nl_dbuf_init(&in, BIG);
	nl_dbuf_init(&want, BIG);
	nl_dbuf_init(&out, BIG);
	script_split(script, &in, &want);
	s = smtp_srv_new(&plain_cfg, &srv_ops, &r, &out);
	ASSERT(s != NULL);
	smtp_srv_start(s);
	smtp_srv_feed(s, in.data, in.len);
	ASSERT_STR_EQ(str(&out), str(&want));
	ASSERT_EQ(smtp_srv_state(s), SMTP_SRV_READY);
	smtp_srv_free(s);
	rec_free(&r);
	nl_dbuf_free(&in);
	nl_dbuf_free(&want);
	nl_dbuf_free(&out);
}

/* Drives a client alone: feeds server bytes and returns what the client
 * wrote since the last call. */
static const char *
cli_step(struct smtp_cli *c, struct nl_dbuf *out, const char *server,
    char *buf, size_t bufsz)
{
	nl_dbuf_reset(out);
	if (server != NULL)
		smtp_cli_feed(c, (const uint8_t *)server, strlen(server));
	snprintf(buf, bufsz, "%s", str(out));
	return buf;
}

static void
add_msg(struct smtp_cli *c, const char *from, const char *rcpt,
    const char *body, const char *tag, enum nl_status want_st, int *ok)
{
	struct smtp_envelope env;

	smtp_env_init(&env);
	smtp_env_set_from(&env, from);
	if (rcpt != NULL)
		smtp_env_add_rcpt(&env, rcpt);
	if (smtp_cli_send(c, &env, (const uint8_t *)body, strlen(body),
	    (void *)(uintptr_t)tag) != want_st)
		*ok = 0;
	smtp_env_clear(&env);
}

/* EHLO refused with 502: HELO instead; 8-bit data then cannot go. */
static void
test_client_fallback(void)
{
	struct smtp_cli_config cfg = { "crepes.fr", 0, 0, 0 };
	struct nl_dbuf out;
	struct smtp_cli *c;
	struct rec r;
	char buf[512];
	int ok = 1;

	rec_init(&r);
	nl_dbuf_init(&out, BIG);
	c = smtp_cli_new(&cfg, &cli_ops, &r, &out);
	ASSERT(c != NULL);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "caf\xc3\xa9\n",
	    "m8", NL_OK, &ok);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "plain\n", "m7",
	    NL_OK, &ok);
	ASSERT(ok);
	ASSERT_EQ(smtp_cli_timeout_s(c), 300);
	ASSERT_STR_EQ(cli_step(c, &out, NULL, buf, sizeof buf), "");
	ASSERT_STR_EQ(cli_step(c, &out, "220 old.example\r\n", buf,
	    sizeof buf), "EHLO crepes.fr\r\n");
	ASSERT_STR_EQ(cli_step(c, &out, "502 what?\r\n", buf, sizeof buf),
	    "HELO crepes.fr\r\n");
	/* The 8-bit message fails on our side; the next one goes. */
	ASSERT_STR_EQ(cli_step(c, &out, "250 old.example\r\n", buf,
	    sizeof buf), "MAIL FROM:<alice@crepes.fr>\r\n");
	ASSERT(strstr(str(&r.ev), "done(m8: bob@hamburger.edu=permfail/0)")
	    != NULL);
	ASSERT_EQ(smtp_cli_pending(c), 1);
	ASSERT_EQ(smtp_cli_has_8bitmime(c), 0);
	/* The server hangs up in the middle: a temporary failure. */
	ASSERT_STR_EQ(cli_step(c, &out, "421 old.example going down\r\n",
	    buf, sizeof buf), "");
	ASSERT(strstr(str(&r.ev), "done(m7: bob@hamburger.edu=tempfail/421)")
	    != NULL);
	ASSERT(smtp_cli_done(c));
	ASSERT_EQ(smtp_cli_feed(c, (const uint8_t *)"250 x\r\n", 7),
	    NL_ECLOSED);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "late\n", "m9",
	    NL_ESTATE, &ok);
	ASSERT(ok);
	smtp_cli_free(c);
	nl_dbuf_free(&out);
	rec_free(&r);
}

/* A 554 greeting: QUIT, and the messages bounce. A malformed reply or a
 * lost connection: the messages wait for another try. */
static void
test_client_failures(void)
{
	struct smtp_cli_config cfg = { "crepes.fr", 0, 0, 0 };
	struct nl_dbuf out;
	struct smtp_cli *c;
	struct rec r;
	char buf[512];
	int ok = 1;

	rec_init(&r);
	nl_dbuf_init(&out, BIG);
	c = smtp_cli_new(&cfg, &cli_ops, &r, &out);
	ASSERT(c != NULL);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "x", "a", NL_OK,
	    &ok);
	ASSERT_STR_EQ(cli_step(c, &out, "554 go away\r\n", buf, sizeof buf),
	    "QUIT\r\n");
	ASSERT(strstr(str(&r.ev), "done(a: bob@hamburger.edu=permfail/554)")
	    != NULL);
	ASSERT_STR_EQ(cli_step(c, &out, "221 bye\r\n", buf, sizeof buf), "");
	ASSERT(smtp_cli_done(c));
	smtp_cli_free(c);
	rec_free(&r);

	rec_init(&r);
	c = smtp_cli_new(&cfg, &cli_ops, &r, &out);
	ASSERT(c != NULL);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "x", "b", NL_OK,
	    &ok);
	ASSERT_STR_EQ(cli_step(c, &out, "220 ok\r\n", buf, sizeof buf),
	    "EHLO crepes.fr\r\n");
	ASSERT_STR_EQ(cli_step(c, &out, "250-ok\r\n250-SIZE 3\r\n250 8BITMIME"
	    "\r\n", buf, sizeof buf), "MAIL FROM:<alice@crepes.fr> SIZE=3\r\n");
	ASSERT_EQ(smtp_cli_server_size(c), 3);
	ASSERT_STR_EQ(cli_step(c, &out, "250 ok\r\n", buf, sizeof buf),
	    "RCPT TO:<bob@hamburger.edu>\r\n");
	ASSERT_STR_EQ(cli_step(c, &out, "250 ok\r\n", buf, sizeof buf),
	    "DATA\r\n");
	ASSERT_EQ(smtp_cli_timeout_s(c), 120);
	ASSERT_STR_EQ(cli_step(c, &out, "354 go\r\n", buf, sizeof buf),
	    "x\r\n.\r\n");
	ASSERT_EQ(smtp_cli_timeout_s(c), 600);
	ASSERT_STR_EQ(cli_step(c, &out, "25O garbage\r\n", buf, sizeof buf),
	    "");
	ASSERT(strstr(str(&r.ev), "done(b: bob@hamburger.edu=tempfail/0)")
	    != NULL);
	ASSERT(smtp_cli_done(c));
	smtp_cli_free(c);
	rec_free(&r);

	rec_init(&r);
	c = smtp_cli_new(&cfg, &cli_ops, &r, &out);
	ASSERT(c != NULL);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "x", "c", NL_OK,
	    &ok);
	add_msg(c, "not an address", "bob@hamburger.edu", "x", "d", NL_EINVAL,
	    &ok);
	add_msg(c, "alice@crepes.fr", NULL, "x", "e", NL_EINVAL, &ok);
	ASSERT(ok);
	smtp_cli_abort(c, "timeout");
	ASSERT(strstr(str(&r.ev), "done(c: bob@hamburger.edu=tempfail/0)")
	    != NULL);
	ASSERT(smtp_cli_done(c));
	ASSERT_EQ(smtp_cli_phase(c), SMTP_PHASE_CLOSURE);
	smtp_cli_free(c);
	smtp_cli_free(NULL);
	rec_free(&r);
	nl_dbuf_free(&out);
}

/* A message too big for the SIZE the server offered is not sent. */
static void
test_client_size(void)
{
	struct smtp_cli_config cfg = { "crepes.fr", 0, 0, 0 };
	struct nl_dbuf out;
	struct smtp_cli *c;
	struct rec r;
	char buf[512];
	int ok = 1;

	rec_init(&r);
	nl_dbuf_init(&out, BIG);
	c = smtp_cli_new(&cfg, &cli_ops, &r, &out);
	ASSERT(c != NULL);
	add_msg(c, "alice@crepes.fr", "bob@hamburger.edu", "0123456789", "big",
	    NL_OK, &ok);
	smtp_cli_quit(c);
	cli_step(c, &out, "220 ok\r\n", buf, sizeof buf);
	ASSERT_STR_EQ(cli_step(c, &out, "250-ok\r\n250 SIZE 5\r\n", buf,
	    sizeof buf), "QUIT\r\n");
	ASSERT(strstr(str(&r.ev), "done(big: bob@hamburger.edu=permfail/0)")
	    != NULL);
	smtp_cli_free(c);
	nl_dbuf_free(&out);
	rec_free(&r);
}

#define S(lit) lit, strlen(lit)

static void
test_codec(void)
{
	struct smtp_cmdline cl;
	struct smtp_path_args pa;
	struct nl_dbuf b;
	struct smtp_vars v = { "hamburger.edu", "cre\001pes", "bob@x.y", "Q1",
		100 };
	char longlocal[80];

	smtp_cmd_parse("mail FROM:<a@b.c>  ", 19, &cl);
	ASSERT_EQ(cl.cmd, SMTP_CMD_MAIL);
	ASSERT_EQ(cl.args_len, 12);
	smtp_cmd_parse("MAILX", 5, &cl);
	ASSERT_EQ(cl.cmd, SMTP_CMD_UNKNOWN);
	smtp_cmd_parse("", 0, &cl);
	ASSERT_EQ(cl.cmd, SMTP_CMD_UNKNOWN);
	ASSERT_EQ(smtp_mail_parse(S("FROM:<a@b.c> SIZE=123 BODY=8bitmime"),
	    &pa), NL_OK);
	ASSERT_STR_EQ(pa.addr, "a@b.c");
	ASSERT_U64_EQ(pa.size, 123);
	ASSERT_EQ(pa.body, SMTP_BODY_8BITMIME);
	ASSERT_EQ(smtp_mail_parse(S("FROM:<>"), &pa), NL_OK);
	ASSERT_STR_EQ(pa.addr, "");
	ASSERT_EQ(smtp_rcpt_parse(S("TO:<>"), &pa), NL_EMALFORMED);
	ASSERT_EQ(smtp_rcpt_parse(S("TO:<postmaster>"), &pa), NL_OK);
	ASSERT_EQ(smtp_mail_parse(S("FROM:<a@b.c> SIZE=99999999999999999999"),
	    &pa), NL_EMALFORMED);
	ASSERT_EQ(smtp_mail_parse(S("FROM:<a@[10.0.0.1]>"), &pa), NL_OK);
	ASSERT_EQ(smtp_mail_parse(S("FROM:<a@[10.0.0.256]>"), &pa),
	    NL_EMALFORMED);
	ASSERT(smtp_mailbox_valid("a.b+c@x-y.z", 11));
	ASSERT(!smtp_mailbox_valid("a..b@x.y", 8));
	ASSERT(!smtp_mailbox_valid("ab@-x.y", 7));
	ASSERT(!smtp_mailbox_valid("ab@x.y.", 7));
	ASSERT(!smtp_mailbox_valid("ab", 2));
	memset(longlocal, 'a', sizeof longlocal);
	memcpy(longlocal + 65, "@x.yz", 5);
	ASSERT(!smtp_mailbox_valid(longlocal, 70));
	ASSERT(smtp_mailbox_valid(longlocal + 1, 69));
	ASSERT(smtp_domain_valid("[IPv6:::1]", 10));
	ASSERT(!smtp_domain_valid("a b", 3));
	ASSERT(smtp_is_8bit("\x80", 1));
	ASSERT(!smtp_is_8bit("abc", 3));
	nl_dbuf_init(&b, 4096);
	ASSERT_EQ(smtp_text_expand(&b, "%d %c %a %q %s %% %x\nnext", &v),
	    NL_OK);
	ASSERT_STR_EQ(str(&b), "hamburger.edu cre?pes bob@x.y Q1 100 % %x\n"
	    "next");
	nl_dbuf_free(&b);
}

static void
test_envelope(void)
{
	struct smtp_envelope a, b;

	smtp_env_init(&a);
	ASSERT_EQ(smtp_env_set_helo(&a, "crepes.fr"), NL_OK);
	ASSERT_EQ(smtp_env_set_from(&a, "alice@crepes.fr"), NL_OK);
	ASSERT_EQ(smtp_env_add_rcpt(&a, "bob@hamburger.edu"), NL_OK);
	ASSERT_EQ(smtp_env_add_rcpt(&a, "carol@hamburger.edu"), NL_OK);
	a.size = 10;
	ASSERT_EQ(smtp_env_copy(&b, &a), NL_OK);
	ASSERT_STR_EQ(b.from, "alice@crepes.fr");
	ASSERT_EQ(b.nrcpt, 2);
	ASSERT_STR_EQ(b.rcpt[1], "carol@hamburger.edu");
	ASSERT_U64_EQ(b.size, 10);
	smtp_env_clear(&a);
	smtp_env_clear(&b);
	ASSERT_EQ(b.nrcpt, 0);
}

static void
test_names(void)
{
	int i;

	for (i = SMTP_SRV_CONNECTED; i <= SMTP_SRV_CLOSED; i++)
		ASSERT(strcmp(smtp_srv_state_str((enum smtp_srv_state)i), "?"));
	for (i = SMTP_CLI_GREETING; i <= SMTP_CLI_DONE; i++)
		ASSERT(strcmp(smtp_cli_state_str((enum smtp_cli_state)i), "?"));
	for (i = SMTP_CMD_HELO; i <= SMTP_CMD_UNKNOWN; i++)
		ASSERT(strcmp(smtp_cmd_str((enum smtp_cmd)i), "?"));
	ASSERT_STR_EQ(smtp_phase_str(SMTP_PHASE_TRANSFER), "transfer");
	ASSERT_STR_EQ(smtp_outcome_str(SMTP_OUT_PERMFAIL), "permfail");
	ASSERT_STR_EQ(smtp_body_str(SMTP_BODY_8BITMIME), "8BITMIME");
	ASSERT_STR_EQ(smtp_line_kind_str(SMTP_LINE_DATA), "data");
	ASSERT_STR_EQ(smtp_cmd_str(SMTP_CMD_VRFY), "VRFY");
	ASSERT_STR_EQ(smtp_rcpt_verdict_str(SMTP_RCPT_RELAY_DENIED),
	    "relay denied");
}

/* One textbook-like exchange with two messages, where any allocation may
 * fail: no crash, no leak, whatever gives. */
static void
oom_pair_once(void)
{
	static uint8_t tmp[1 << 16];
	struct smtp_srv_config scfg = { "hamburger.edu", &textbook_texts,
		0, 0, 0, 0, 0, 0 };
	struct smtp_cli_config ccfg = { "crepes.fr", 0, 1, 0 };
	struct nl_dbuf so, co;
	struct smtp_envelope env;
	struct smtp_srv *s;
	struct smtp_cli *c;
	struct rec rc, rs;
	int rounds = 0;

	rec_init(&rc);
	rec_init(&rs);
	nl_dbuf_init(&so, sizeof tmp);
	nl_dbuf_init(&co, sizeof tmp);
	s = smtp_srv_new(&scfg, &srv_ops, &rs, &so);
	c = smtp_cli_new(&ccfg, &cli_ops, &rc, &co);
	if (s == NULL || c == NULL)
		goto done;
	smtp_env_init(&env);
	smtp_env_set_from(&env, "alice@crepes.fr");
	smtp_env_add_rcpt(&env, "bob@hamburger.edu");
	smtp_env_add_rcpt(&env, "nobody@hamburger.edu");
	smtp_cli_send(c, &env, (const uint8_t *)"Hi\n.dot\n", 8, "m1");
	smtp_cli_send(c, &env, (const uint8_t *)"Again\n", 6, "m2");
	smtp_env_clear(&env);
	smtp_cli_quit(c);
	smtp_srv_start(s);
	while ((so.len > 0 || co.len > 0) && rounds++ < 1000) {
		struct nl_dbuf *from = so.len > 0 ? &so : &co;
		size_t n = from->len;

		memcpy(tmp, from->data, n);
		nl_dbuf_reset(from);
		if (from == &so)
			smtp_cli_feed(c, tmp, n);
		else
			smtp_srv_feed(s, tmp, n);
	}
	if (!smtp_cli_done(c))
		smtp_cli_abort(c, "lost");
	if (!smtp_srv_closed(s))
		smtp_srv_timeout(s);
done:
	smtp_cli_free(c);
	smtp_srv_free(s);
	nl_dbuf_free(&so);
	nl_dbuf_free(&co);
	rec_free(&rc);
	rec_free(&rs);
}

static void
test_oom(void)
{
	long n;
	int failed = 1;

	for (n = 0; failed && n < 100000; n++) {
		nl_alloc_fail_after(n);
		oom_pair_once();
		failed = nl_alloc_failed();
		nl_alloc_fail_after(-1);
	}
	ASSERT(!failed);
	ASSERT(n > 20);
}

const struct test_case tests_smtp[] = {
	{ "smtp_textbook", test_textbook },
	{ "smtp_ehlo_multiline", test_ehlo_multiline },
	{ "smtp_some_refused", test_some_refused },
	{ "smtp_several_messages", test_several_messages },
	{ "smtp_pipelined", test_pipelined },
	{ "smtp_bad_sequence", test_bad_sequence },
	{ "smtp_overlong", test_overlong },
	{ "smtp_bare_lf", test_bare_lf },
	{ "smtp_nul", test_nul },
	{ "smtp_size", test_size },
	{ "smtp_syntax", test_syntax },
	{ "smtp_closing", test_closing },
	{ "smtp_accept_refused", test_accept_refused },
	{ "smtp_out_full", test_out_full },
	{ "smtp_client_fallback", test_client_fallback },
	{ "smtp_client_failures", test_client_failures },
	{ "smtp_client_size", test_client_size },
	{ "smtp_codec", test_codec },
	{ "smtp_envelope", test_envelope },
	{ "smtp_names", test_names },
	{ "smtp_oom", test_oom },
	{ NULL, NULL },
};
