/* smtp_client.c - the RFC 5321 client session (see smtp_client.h).
 *
 * cli_enter() is the one state setter: it reports the change and writes
 * the new state's command. cli_response() takes each complete reply
 * (proto/line/reply.h), judges its class and picks the next state. The
 * queued messages wait in a FIFO; each one ends with one done() callback
 * that gives every recipient its outcome. */
#include "proto/smtp/smtp_client.h"

#include <stdio.h>
#include <string.h>

#include "proto/line/line.h"
#include "proto/line/reply.h"
#include "util/alloc.h"

/* One recipient of a queued message. */
struct cli_rcpt {
	int decided;			/* outcome is final */
	enum smtp_outcome outcome;	/* valid when decided */
	int code;			/* the deciding reply code, 0: local */
	char *text;			/* its text, owned */
};

/* A queued message. */
struct cli_msg {
	struct smtp_envelope env;	/* copy of the caller's */
	uint8_t *data;			/* the message, CRLF lines, owned */
	size_t len;			/* bytes in data (the SIZE= value) */
	int is8bit;			/* holds 8-bit bytes */
	void *ctx;			/* the caller's msg_ctx */
	struct cli_rcpt *r;		/* env.nrcpt entries */
	size_t naccepted;		/* RCPTs answered 250 */
};

struct smtp_cli {
	struct smtp_cli_config cfg;	/* copy */
	struct smtp_cli_ops ops;	/* copy; NULLs allowed */
	void *ctx;			/* callbacks' first argument */
	struct nl_dbuf *out;		/* commands go here; the glue's */
	enum smtp_cli_state state;	/* changed by cli_enter() only */
	enum smtp_phase phase;		/* follows state */
	struct reply_parser rp;		/* replies from the server */
	struct cli_msg *q[SMTP_CLI_QUEUE_MAX];	/* FIFO; q[0] is current */
	size_t qlen;			/* messages in q */
	size_t rcpt_i;			/* recipient of the RCPT in flight */
	int quit_wanted;		/* smtp_cli_quit was called */
	int closing;			/* no more messages accepted */
	int busy;			/* inside feed or the READY loop */
	int ext_size;			/* EHLO offered SIZE */
	uint64_t size_max;		/* its value (0: no limit) */
	int ext_8bitmime;		/* EHLO offered 8BITMIME */
	enum nl_status fatal;		/* out or memory failed */
};

static void cli_enter(struct smtp_cli *c, enum smtp_cli_state to);

/* ---- Messages ---- */

static void
msg_free(struct cli_msg *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; m->r != NULL && i < m->env.nrcpt; i++)
		nl_free(m->r[i].text);
	nl_free(m->r);
	nl_free(m->data);
	smtp_env_clear(&m->env);
	nl_free(m);
}

/* Gives recipient i its outcome, unless it has one. text NULL: "". */
static void
decide(struct cli_msg *m, size_t i, enum smtp_outcome o, int code,
    const char *text)
{
	struct cli_rcpt *r = &m->r[i];

	if (r->decided)
		return;
	r->decided = 1;
	r->outcome = o;
	r->code = code;
	r->text = nl_strdup(text ? text : "");	/* NULL reads as "" */
}

static void
decide_rest(struct cli_msg *m, enum smtp_outcome o, int code,
    const char *text)
{
	size_t i;

	for (i = 0; i < m->env.nrcpt; i++)
		decide(m, i, o, code, text);
}

/* Takes the current message off the queue and reports it. */
static void
msg_finish(struct smtp_cli *c)
{
	struct cli_msg *m = c->q[0];
	struct smtp_rcpt_result res[16], *rr = res;
	size_t i, n = m->env.nrcpt;

	decide_rest(m, SMTP_OUT_TEMPFAIL, 0, "no outcome");
	memmove(c->q, c->q + 1, (c->qlen - 1) * sizeof c->q[0]);
	c->qlen--;
	if (n > sizeof res / sizeof res[0])
		rr = nl_calloc(n, sizeof *rr);
	if (rr != NULL) {
		for (i = 0; i < n; i++) {
			rr[i].rcpt = m->env.rcpt[i];
			rr[i].outcome = m->r[i].outcome;
			rr[i].code = m->r[i].code;
			rr[i].text = m->r[i].text ? m->r[i].text : "";
		}
		if (c->ops.done != NULL)
			c->ops.done(c->ctx, m->ctx, rr, n);
		if (rr != res)
			nl_free(rr);
	} else if (c->ops.done != NULL) {
		/* No memory for the array: report one recipient at a time. */
		for (i = 0; i < n; i++) {
			struct smtp_rcpt_result one;

			one.rcpt = m->env.rcpt[i];
			one.outcome = m->r[i].outcome;
			one.code = m->r[i].code;
			one.text = m->r[i].text ? m->r[i].text : "";
			c->ops.done(c->ctx, m->ctx, &one, 1);
		}
	}
	msg_free(m);
}

/* Every message still queued fails with o: the connection is over. */
static void
fail_all(struct smtp_cli *c, enum smtp_outcome o, int code,
    const char *text)
{
	c->closing = 1;
	c->busy++;
	while (c->qlen > 0) {
		decide_rest(c->q[0], o, code, text);
		msg_finish(c);
	}
	c->busy--;
}

static enum smtp_outcome
outcome_of(int code)
{
	return reply_class(code) == 5 ? SMTP_OUT_PERMFAIL : SMTP_OUT_TEMPFAIL;
}

/* ---- Output ---- */

/* Out failed: the session is over, every message a temporary failure. */
static void
cli_fatal(struct smtp_cli *c, enum nl_status st)
{
	if (c->fatal == NL_OK)
		c->fatal = st;
	fail_all(c, SMTP_OUT_TEMPFAIL, 0, "local error: cannot send");
	cli_enter(c, SMTP_CLI_DONE);
}

/* Writes one line and its CRLF, and reports it. 0 if out failed. */
static int
cli_line(struct smtp_cli *c, enum smtp_line_kind kind, const char *line,
    size_t n)
{
	enum nl_status st = nl_dbuf_add(c->out, line, n);

	if (st == NL_OK)
		st = nl_dbuf_add(c->out, "\r\n", 2);
	if (st != NL_OK) {
		cli_fatal(c, st);
		return 0;
	}
	if (c->ops.line != NULL)
		c->ops.line(c->ctx, kind, line, n);
	return 1;
}

static int
cli_cmd(struct smtp_cli *c, const char *cmd)
{
	return cli_line(c, SMTP_LINE_CMD, cmd, strlen(cmd));
}

/* The message, dot-stuffed (4.5.2), then the "." line. */
static void
send_body(struct smtp_cli *c, const struct cli_msg *m)
{
	const uint8_t *p = m->data, *end = m->data + m->len;
	char buf[LINE_SMTP_TEXT_MAX + 1];

	while (p < end) {
		const uint8_t *crlf = p;
		size_t n;

		/* Lines were normalised by smtp_cli_send: each ends with
		 * CRLF and is short enough to stuff. */
		while (crlf + 1 < end && !(crlf[0] == '\r' && crlf[1] == '\n'))
			crlf++;
		n = (size_t)(crlf - p);
		if (n > 0 && p[0] == '.') {
			buf[0] = '.';
			memcpy(buf + 1, p, n);
			if (!cli_line(c, SMTP_LINE_DATA, buf, n + 1))
				return;
		} else if (!cli_line(c, SMTP_LINE_DATA, (const char *)p, n)) {
			return;
		}
		p = crlf + 2;
	}
	cli_line(c, SMTP_LINE_DATA, ".", 1);
}

/* ---- The one state setter ---- */

static enum smtp_phase
phase_of(const struct smtp_cli *c, enum smtp_cli_state st)
{
	switch (st) {
	case SMTP_CLI_GREETING:
		return SMTP_PHASE_CONNECTED;
	case SMTP_CLI_EHLO:
	case SMTP_CLI_HELO:
		return SMTP_PHASE_HANDSHAKE;
	case SMTP_CLI_READY:
		return c->phase == SMTP_PHASE_TRANSFER ? SMTP_PHASE_TRANSFER :
		    SMTP_PHASE_HANDSHAKE;
	case SMTP_CLI_MAIL:
	case SMTP_CLI_RCPT:
	case SMTP_CLI_DATA:
	case SMTP_CLI_BODY:
	case SMTP_CLI_RSET:
		return SMTP_PHASE_TRANSFER;
	case SMTP_CLI_QUIT:
	case SMTP_CLI_DONE:
		return SMTP_PHASE_CLOSURE;
	}
	return c->phase;
}

/* A message the server cannot take, known before MAIL: a 5xx of our own
 * (the SIZE it offered, or 8-bit data without 8BITMIME, RFC 6152 3).
 * NULL if it may be sent. */
static const char *
local_refusal(const struct smtp_cli *c, const struct cli_msg *m)
{
	if (c->ext_size && c->size_max > 0 && m->len > c->size_max)
		return "message larger than the server's SIZE limit";
	if (m->is8bit && !c->ext_8bitmime)
		return "8-bit message and the server lacks 8BITMIME";
	return NULL;
}

/* Changes the state, reports it, and writes the new state's command. */
static void
cli_enter(struct smtp_cli *c, enum smtp_cli_state to)
{
	enum smtp_cli_state from = c->state;
	enum smtp_phase ph = phase_of(c, to), oph = c->phase;
	struct cli_msg *m = c->qlen > 0 ? c->q[0] : NULL;
	char cmd[LINE_SMTP_CMD_MAX];

	c->state = to;
	if (from != to && c->ops.state != NULL)
		c->ops.state(c->ctx, from, to);
	if (ph != oph) {
		c->phase = ph;
		if (c->ops.phase != NULL)
			c->ops.phase(c->ctx, oph, ph);
	}
	switch (to) {
	case SMTP_CLI_GREETING:
	case SMTP_CLI_DONE:
		return;
	case SMTP_CLI_EHLO:
		snprintf(cmd, sizeof cmd, "EHLO %.255s", c->cfg.helo_name);
		cli_cmd(c, cmd);
		return;
	case SMTP_CLI_HELO:
		snprintf(cmd, sizeof cmd, "HELO %.255s", c->cfg.helo_name);
		cli_cmd(c, cmd);
		return;
	case SMTP_CLI_READY:
		/* Next message, else QUIT if asked, else wait. */
		c->busy++;
		while (c->qlen > 0) {
			const char *why = local_refusal(c, c->q[0]);

			if (why == NULL)
				break;
			decide_rest(c->q[0], SMTP_OUT_PERMFAIL, 0, why);
			msg_finish(c);
		}
		c->busy--;
		if (c->qlen > 0)
			cli_enter(c, SMTP_CLI_MAIL);
		else if (c->quit_wanted)
			cli_enter(c, SMTP_CLI_QUIT);
		return;
	case SMTP_CLI_MAIL:
		c->rcpt_i = 0;
		m->naccepted = 0;
		snprintf(cmd, sizeof cmd, "MAIL FROM:%s<%.254s>",
		    c->cfg.space_after_colon ? " " : "", m->env.from);
		if (!c->cfg.no_params && c->ext_size)
			snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd),
			    " SIZE=%llu", (unsigned long long)m->len);
		if (!c->cfg.no_params && m->is8bit && c->ext_8bitmime)
			snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd),
			    " BODY=8BITMIME");
		cli_cmd(c, cmd);
		return;
	case SMTP_CLI_RCPT:
		snprintf(cmd, sizeof cmd, "RCPT TO:%s<%.254s>",
		    c->cfg.space_after_colon ? " " : "",
		    m->env.rcpt[c->rcpt_i]);
		cli_cmd(c, cmd);
		return;
	case SMTP_CLI_DATA:
		cli_cmd(c, "DATA");
		return;
	case SMTP_CLI_BODY:
		send_body(c, m);
		return;
	case SMTP_CLI_RSET:
		cli_cmd(c, "RSET");
		return;
	case SMTP_CLI_QUIT:
		cli_cmd(c, "QUIT");
		return;
	}
}

/* ---- Replies ---- */

/* Case-insensitive ASCII comparison of n bytes with an upper-case word. */
static int
word_is(const char *s, const char *upper, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch != upper[i])
			return 0;
	}
	return 1;
}

/* What the EHLO reply offers: ehlo-line = ehlo-keyword *( SP ehlo-param ). */
static void
read_ehlo(struct smtp_cli *c, const struct reply *r)
{
	size_t i;

	c->ext_size = 0;
	c->size_max = 0;
	c->ext_8bitmime = 0;
	for (i = 1; i < r->nlines; i++) {
		const char *t;
		size_t n = reply_line_text(r, i, &t), k = 0;

		while (k < n && t[k] != ' ')
			k++;
		if (k == 8 && word_is(t, "8BITMIME", 8))
			c->ext_8bitmime = 1;
		if (k == 4 && word_is(t, "SIZE", 4)) {
			uint64_t v = 0;
			size_t d;

			c->ext_size = 1;
			for (d = k + 1; d < n && d < k + 20 && t[d] >= '0' &&
			    t[d] <= '9'; d++)
				v = v * 10 + (uint64_t)(t[d] - '0');
			c->size_max = v;
		}
	}
}

/* The reply's lines joined by "\n": the text a bounce will quote. */
static char *
reply_text(const struct reply *r)
{
	return nl_strndup(r->raw, r->raw_len > 0 ? r->raw_len - 1 : 0);
}

static void
cli_response(struct smtp_cli *c, const struct reply *r)
{
	struct cli_msg *m = c->qlen > 0 ? c->q[0] : NULL;
	int cls = reply_class(r->code);
	char *text;
	size_t i;

	for (i = 0; c->ops.line != NULL && i < r->nlines; i++) {
		const char *l;
		size_t n = reply_line(r, i, &l);

		c->ops.line(c->ctx, SMTP_LINE_REPLY, l, n);
	}
	text = reply_text(r);	/* NULL on memory: "" in outcomes */
	if (r->code == 421 && c->state != SMTP_CLI_QUIT) {
		/* 3.8: the server is closing; no QUIT. */
		fail_all(c, SMTP_OUT_TEMPFAIL, r->code, text);
		cli_enter(c, SMTP_CLI_DONE);
		goto done;
	}
	switch (c->state) {
	case SMTP_CLI_GREETING:
		if (cls == 2) {
			cli_enter(c, c->cfg.use_helo ? SMTP_CLI_HELO :
			    SMTP_CLI_EHLO);
			break;
		}
		/* 3.1: a 554 greeting; say QUIT and wait for 221. */
		fail_all(c, outcome_of(r->code), r->code, text);
		cli_enter(c, SMTP_CLI_QUIT);
		break;
	case SMTP_CLI_EHLO:
		if (cls == 2) {
			read_ehlo(c, r);
			cli_enter(c, SMTP_CLI_READY);
		} else if (r->code == 500 || r->code == 502) {
			cli_enter(c, SMTP_CLI_HELO);	/* 4.1.4 */
		} else {
			fail_all(c, outcome_of(r->code), r->code, text);
			cli_enter(c, SMTP_CLI_QUIT);
		}
		break;
	case SMTP_CLI_HELO:
		if (cls == 2) {
			c->ext_size = c->ext_8bitmime = 0;
			c->size_max = 0;
			cli_enter(c, SMTP_CLI_READY);
		} else {
			fail_all(c, outcome_of(r->code), r->code, text);
			cli_enter(c, SMTP_CLI_QUIT);
		}
		break;
	case SMTP_CLI_MAIL:
		if (cls == 2) {
			cli_enter(c, SMTP_CLI_RCPT);
			break;
		}
		/* No transaction was opened: no RSET needed. */
		decide_rest(m, outcome_of(r->code), r->code, text);
		msg_finish(c);
		cli_enter(c, SMTP_CLI_READY);
		break;
	case SMTP_CLI_RCPT:
		if (cls == 2)
			m->naccepted++;
		else
			decide(m, c->rcpt_i, outcome_of(r->code), r->code,
			    text);
		if (++c->rcpt_i < m->env.nrcpt) {
			cli_enter(c, SMTP_CLI_RCPT);
		} else if (m->naccepted > 0) {
			cli_enter(c, SMTP_CLI_DATA);
		} else {
			msg_finish(c);
			cli_enter(c, SMTP_CLI_RSET);
		}
		break;
	case SMTP_CLI_DATA:
		if (cls == 3) {
			cli_enter(c, SMTP_CLI_BODY);
			break;
		}
		decide_rest(m, outcome_of(r->code), r->code, text);
		msg_finish(c);
		cli_enter(c, SMTP_CLI_RSET);
		break;
	case SMTP_CLI_BODY:
		/* The final reply ends the transaction whatever it says. */
		decide_rest(m, cls == 2 ? SMTP_OUT_ACCEPTED :
		    outcome_of(r->code), r->code, text);
		msg_finish(c);
		cli_enter(c, SMTP_CLI_READY);
		break;
	case SMTP_CLI_RSET:
		if (cls == 2) {
			cli_enter(c, SMTP_CLI_READY);
		} else {
			fail_all(c, outcome_of(r->code), r->code, text);
			cli_enter(c, SMTP_CLI_QUIT);
		}
		break;
	case SMTP_CLI_QUIT:
		cli_enter(c, SMTP_CLI_DONE);
		break;
	case SMTP_CLI_READY:
		/* A reply nobody asked for: the dialogue is out of step. */
		fail_all(c, SMTP_OUT_TEMPFAIL, r->code, text);
		cli_enter(c, SMTP_CLI_QUIT);
		break;
	case SMTP_CLI_DONE:
		break;
	}
done:
	nl_free(text);
}

/* ---- Session life ---- */

struct smtp_cli *
smtp_cli_new(const struct smtp_cli_config *cfg, const struct smtp_cli_ops *ops,
    void *ctx, struct nl_dbuf *out)
{
	struct smtp_cli *c;

	if (cfg->helo_name == NULL || out == NULL)
		return NULL;
	c = nl_calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->cfg = *cfg;
	if (ops != NULL)
		c->ops = *ops;
	c->ctx = ctx;
	c->out = out;
	c->state = SMTP_CLI_GREETING;
	c->phase = SMTP_PHASE_CONNECTED;
	reply_parser_init(&c->rp);
	return c;
}

void
smtp_cli_free(struct smtp_cli *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->qlen; i++)
		msg_free(c->q[i]);
	reply_parser_free(&c->rp);
	nl_free(c);
}

static int
path_ok(const char *a, int null_ok)
{
	size_t n = a ? strlen(a) : 0;

	if (n == 0)
		return null_ok && a != NULL;
	return smtp_mailbox_valid(a, n) ||
	    (!null_ok && n == 10 && word_is(a, "POSTMASTER", 10));
}

/* Copies msg with every line ended by CRLF (LF alone becomes CRLF) and
 * checks that each line, dot-stuffed, fits a text line (4.5.3.1.6). */
static enum nl_status
normalise(struct cli_msg *m, const uint8_t *msg, size_t len)
{
	struct nl_dbuf b;
	const uint8_t *p = msg, *end = len > 0 ? msg + len : msg;
	enum nl_status st = NL_OK;

	nl_dbuf_init(&b, (size_t)-1 / 2);
	while (p < end && st == NL_OK) {
		const uint8_t *lf = memchr(p, '\n', (size_t)(end - p));
		size_t n = lf ? (size_t)(lf - p) : (size_t)(end - p);

		if (lf != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		if (n + (n > 0 && p[0] == '.') > LINE_SMTP_TEXT_MAX - 2) {
			nl_dbuf_free(&b);
			return NL_EINVAL;
		}
		st = nl_dbuf_add(&b, p, n);
		if (st == NL_OK)
			st = nl_dbuf_add(&b, "\r\n", 2);
		p = lf ? lf + 1 : end;
	}
	if (st != NL_OK)
		return st;
	m->len = b.len;
	m->data = nl_dbuf_take(&b, NULL);
	if (m->data == NULL && m->len == 0)
		m->data = nl_calloc(1, 1);
	return m->data != NULL ? NL_OK : NL_ENOMEM;
}

enum nl_status
smtp_cli_send(struct smtp_cli *c, const struct smtp_envelope *env,
    const uint8_t *msg, size_t len, void *msg_ctx)
{
	struct cli_msg *m;
	enum nl_status st;
	size_t i;

	if (c->state == SMTP_CLI_QUIT || c->state == SMTP_CLI_DONE ||
	    c->closing)
		return NL_ESTATE;
	if (env->nrcpt == 0 || !path_ok(env->from, 1) ||
	    (msg == NULL && len > 0))
		return NL_EINVAL;
	for (i = 0; i < env->nrcpt; i++)
		if (!path_ok(env->rcpt[i], 0))
			return NL_EINVAL;
	if (c->qlen == SMTP_CLI_QUEUE_MAX)
		return NL_ELIMIT;
	m = nl_calloc(1, sizeof *m);
	if (m == NULL)
		return NL_ENOMEM;
	st = smtp_env_copy(&m->env, env);
	if (st == NL_OK)
		st = normalise(m, msg, len);
	if (st == NL_OK) {
		m->r = nl_calloc(env->nrcpt, sizeof *m->r);
		if (m->r == NULL)
			st = NL_ENOMEM;
	}
	if (st != NL_OK) {
		msg_free(m);
		return st;
	}
	m->is8bit = smtp_is_8bit(m->data, m->len);
	m->ctx = msg_ctx;
	c->q[c->qlen++] = m;
	if (c->state == SMTP_CLI_READY && c->busy == 0)
		cli_enter(c, SMTP_CLI_READY);	/* starts MAIL */
	return NL_OK;
}

void
smtp_cli_quit(struct smtp_cli *c)
{
	c->quit_wanted = 1;
	if (c->state == SMTP_CLI_READY && c->busy == 0 && c->qlen == 0)
		cli_enter(c, SMTP_CLI_QUIT);
}

enum nl_status
smtp_cli_feed(struct smtp_cli *c, const uint8_t *data, size_t len)
{
	size_t pos = 0;

	if (c->state == SMTP_CLI_DONE)
		return c->fatal != NL_OK ? c->fatal : NL_ECLOSED;
	c->busy++;
	while (pos < len && c->state != SMTP_CLI_DONE) {
		struct reply r;
		size_t used = 0;
		enum nl_status st = reply_parser_feed(&c->rp, data + pos,
		    len - pos, &used, &r);

		pos += used;
		if (st == NL_AGAIN)
			break;
		if (st == NL_OK) {
			cli_response(c, &r);
		} else {
			char why[96];

			snprintf(why, sizeof why, "malformed reply: %s",
			    st == NL_ENOMEM ? "out of memory" :
			    reply_err_str(reply_parser_err(&c->rp)));
			fail_all(c, SMTP_OUT_TEMPFAIL, 0, why);
			cli_enter(c, SMTP_CLI_DONE);
		}
	}
	c->busy--;
	return c->fatal;
}

void
smtp_cli_abort(struct smtp_cli *c, const char *why)
{
	if (c->state == SMTP_CLI_DONE)
		return;
	fail_all(c, SMTP_OUT_TEMPFAIL, 0, why ? why : "connection lost");
	cli_enter(c, SMTP_CLI_DONE);
}

unsigned
smtp_cli_timeout_s(const struct smtp_cli *c)
{
	/* RFC 5321 4.5.3.2.1 to 4.5.3.2.6 */
	switch (c->state) {
	case SMTP_CLI_GREETING: return 300;
	case SMTP_CLI_EHLO: return 300;
	case SMTP_CLI_HELO: return 300;
	case SMTP_CLI_MAIL: return 300;
	case SMTP_CLI_RCPT: return 300;
	case SMTP_CLI_DATA: return 120;
	case SMTP_CLI_BODY: return 600;
	case SMTP_CLI_RSET: return 300;
	case SMTP_CLI_QUIT: return 300;
	case SMTP_CLI_READY: return 0;
	case SMTP_CLI_DONE: return 0;
	}
	return 0;
}

enum smtp_cli_state
smtp_cli_state(const struct smtp_cli *c)
{
	return c->state;
}

enum smtp_phase
smtp_cli_phase(const struct smtp_cli *c)
{
	return c->phase;
}

int
smtp_cli_done(const struct smtp_cli *c)
{
	return c->state == SMTP_CLI_DONE;
}

size_t
smtp_cli_pending(const struct smtp_cli *c)
{
	return c->qlen;
}

int
smtp_cli_has_8bitmime(const struct smtp_cli *c)
{
	return c->ext_8bitmime;
}

uint64_t
smtp_cli_server_size(const struct smtp_cli *c)
{
	return c->ext_size ? c->size_max : 0;
}
