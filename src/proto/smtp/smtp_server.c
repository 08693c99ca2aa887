/* smtp_server.c - the RFC 5321 server session (see smtp_server.h).
 *
 * Input goes through the shared line layer: only CRLF ends a line, so a
 * bare LF (or "<LF>.<LF>") inside DATA is message content and never ends
 * it. Each command line is looked up in commands[]: its check function
 * verifies the state and the arguments and writes the refusal itself;
 * its proceed function does the work, changes the state through
 * srv_enter() (the one setter) and writes the reply. */
#include "proto/smtp/smtp_server.h"

#include <stdio.h>
#include <string.h>

#include "proto/line/line.h"
#include "proto/line/reply.h"
#include "util/alloc.h"

struct smtp_srv {
	struct smtp_srv_config cfg;	/* copy, defaults filled in */
	struct smtp_srv_texts t;	/* reply texts, defaults filled in */
	struct smtp_srv_ops ops;	/* callbacks (copy; NULLs allowed) */
	void *ctx;			/* their first argument */
	struct nl_dbuf *out;		/* replies go here; owned by the glue */
	enum smtp_srv_state state;	/* changed by srv_enter() only */
	enum smtp_phase phase;		/* follows state */
	struct line_buf lb;		/* input lines, 512 or 1000 bytes */
	struct smtp_envelope env;	/* client name and the transaction */
	struct nl_dbuf msg;		/* message being received */
	uint64_t msg_bytes;		/* its size so far, stored or not */
	int msg_big;			/* went over max_size: 552 at "." */
	int msg_nul;			/* held a NUL: 554 at "." */
	int msg_long;			/* a line over 1000: 554 at "." */
	int msg_nomem;			/* could not be stored: 451 at "." */
	int rcpt_refused;		/* a RCPT of this transaction failed */
	unsigned errors;		/* 5xx replies to bad commands */
	const char *addr;		/* %a of the reply being written */
	const char *qid;		/* %q of the reply being written */
	struct smtp_path_args pa;	/* MAIL/RCPT arguments, check->proceed */
	char vrfy[SMTP_ADDR_MAX + 1];	/* VRFY's address, check->proceed */
	enum nl_status fatal;		/* out or memory failed: closed */
};

static const struct smtp_srv_texts default_texts = {
	.greeting = "%d Service ready",
	.no_service = "%d No SMTP service here",
	.helo = "%d Hello %c",
	.ehlo = "%d Hello %c",
	.mail_ok = "OK",
	.rcpt_ok = "OK",
	.data = "Start mail input; end with <CRLF>.<CRLF>",
	.accepted = "OK queued as %q",
	.rset = "OK",
	.noop = "OK",
	.vrfy_ok = "<%a>",
	.vrfy_unsure = "Cannot VRFY user, but will accept message and "
	    "attempt delivery",
	.help = "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT",
	.quit = "%d Service closing transmission channel",
	.unknown = "Syntax error, command unrecognized",
	.too_long = "Line too long",
	.nul = "Syntax error, NUL character in command",
	.syntax = "Syntax error in parameters or arguments",
	.not_impl = "Command not implemented",
	.bad_seq = "Bad sequence of commands",
	.param = "MAIL FROM/RCPT TO parameters not recognized or not "
	    "implemented",
	.no_user = "No such user here",
	.relay = "Relaying denied",
	.rcpt_tempfail = "Requested action aborted: local error in processing",
	.too_many_rcpt = "Too many recipients",
	.no_valid_rcpt = "No valid recipients",
	.too_big = "Message size exceeds fixed maximum message size",
	.data_nul = "Transaction failed: NUL character in message",
	.data_long = "Transaction failed: line too long",
	.local_error = "Requested action aborted: local error in processing",
	.timeout = "%d Timeout, closing transmission channel",
	.too_many_errors = "%d Too many errors, closing transmission channel",
};

/* ---- The one state setter ---- */

static enum smtp_phase
phase_of(const struct smtp_srv *s, enum smtp_srv_state st)
{
	switch (st) {
	case SMTP_SRV_CONNECTED:
	case SMTP_SRV_GREETED:
	case SMTP_SRV_NOSERVICE:
		return SMTP_PHASE_CONNECTED;
	case SMTP_SRV_READY:
		/* Between two messages the session stays in transfer. */
		return s->phase == SMTP_PHASE_TRANSFER ? SMTP_PHASE_TRANSFER :
		    SMTP_PHASE_HANDSHAKE;
	case SMTP_SRV_MAIL:
	case SMTP_SRV_RCPT:
	case SMTP_SRV_DATA:
		return SMTP_PHASE_TRANSFER;
	case SMTP_SRV_CLOSED:
		return SMTP_PHASE_CLOSURE;
	}
	return s->phase;
}

/* Changes the state, reports "from -> to" and the phase if it moved. */
static void
srv_enter(struct smtp_srv *s, enum smtp_srv_state to)
{
	enum smtp_srv_state from = s->state;
	enum smtp_phase ph = phase_of(s, to), oph = s->phase;

	if (from == to)
		return;
	s->state = to;
	if (s->ops.state != NULL)
		s->ops.state(s->ctx, from, to);
	if (ph != oph) {
		s->phase = ph;
		if (s->ops.phase != NULL)
			s->ops.phase(s->ctx, oph, ph);
	}
}

/* ---- Replies ---- */

/* Out or memory failed: nothing more can be said; the glue drops the
 * connection. */
static void
srv_fatal(struct smtp_srv *s, enum nl_status st)
{
	if (s->fatal == NL_OK)
		s->fatal = st;
	srv_enter(s, SMTP_SRV_CLOSED);
}

static void srv_reply(struct smtp_srv *s, int code, const char *fmt);

/* Writes a reply: fmt expanded, then tail (raw lines, may be NULL).
 * Every line goes to the transcript. Bad-command replies are counted,
 * and too many of them close the session with 421. */
static void
srv_reply_tail(struct smtp_srv *s, int code, const char *fmt,
    const char *tail)
{
	struct smtp_vars v;
	struct nl_dbuf text;
	size_t before, i, lines = 1, start;
	enum nl_status st;

	if (s->fatal != NL_OK || s->state == SMTP_SRV_CLOSED)
		return;
	v.domain = s->cfg.domain;
	v.client = s->env.helo;
	v.addr = s->addr;
	v.qid = s->qid;
	v.size = s->cfg.max_size;
	nl_dbuf_init(&text, REPLY_LINES_MAX * REPLY_LINE_MAX);
	st = smtp_text_expand(&text, fmt, &v);
	if (st == NL_OK && tail != NULL)
		st = nl_dbuf_add_str(&text, tail);
	if (st == NL_OK && text.data == NULL)
		st = nl_dbuf_add(&text, "", 0);
	if (st != NL_OK) {
		nl_dbuf_free(&text);
		srv_fatal(s, st);
		return;
	}
	/* A configured text of too many lines is cut rather than refused. */
	for (i = 0; i < text.len; i++)
		if (text.data[i] == '\n' && ++lines > REPLY_LINES_MAX)
			text.data[i] = '\0';
	before = s->out->len;
	st = reply_write(s->out, code, (const char *)text.data);
	nl_dbuf_free(&text);
	if (st != NL_OK) {
		srv_fatal(s, st);
		return;
	}
	for (i = start = before; s->ops.line != NULL && i + 1 < s->out->len;
	    i++)
		if (s->out->data[i] == '\r' && s->out->data[i + 1] == '\n') {
			s->ops.line(s->ctx, SMTP_LINE_REPLY,
			    (const char *)s->out->data + start, i - start);
			start = i + 2;
		}
	if (code == 500 || code == 501 || code == 502 || code == 503 ||
	    code == 555) {
		if (++s->errors >= s->cfg.max_errors) {
			srv_reply(s, 421, s->t.too_many_errors);
			srv_enter(s, SMTP_SRV_CLOSED);
		}
	}
}

static void
srv_reply(struct smtp_srv *s, int code, const char *fmt)
{
	srv_reply_tail(s, code, fmt, NULL);
}

/* ---- Session life ---- */

struct smtp_srv *
smtp_srv_new(const struct smtp_srv_config *cfg, const struct smtp_srv_ops *ops,
    void *ctx, struct nl_dbuf *out)
{
	struct smtp_srv *s;
	const struct smtp_srv_texts *t = cfg->texts;

	if (cfg->domain == NULL || out == NULL)
		return NULL;
	s = nl_calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->cfg = *cfg;
	if (s->cfg.max_size == 0)
		s->cfg.max_size = SMTP_SRV_SIZE_DEFAULT;
	if (s->cfg.max_rcpt == 0)
		s->cfg.max_rcpt = SMTP_SRV_RCPT_DEFAULT;
	if (s->cfg.max_errors == 0)
		s->cfg.max_errors = SMTP_SRV_ERRORS_DEFAULT;
	if (s->cfg.relay_code != 554)
		s->cfg.relay_code = 550;
	s->t = default_texts;
	if (t != NULL) {
#define TAKE(f) if (t->f != NULL) s->t.f = t->f
		TAKE(greeting);
		TAKE(no_service);
		TAKE(helo);
		TAKE(ehlo);
		TAKE(mail_ok);
		TAKE(rcpt_ok);
		TAKE(data);
		TAKE(accepted);
		TAKE(rset);
		TAKE(noop);
		TAKE(vrfy_ok);
		TAKE(vrfy_unsure);
		TAKE(help);
		TAKE(quit);
		TAKE(unknown);
		TAKE(too_long);
		TAKE(nul);
		TAKE(syntax);
		TAKE(not_impl);
		TAKE(bad_seq);
		TAKE(param);
		TAKE(no_user);
		TAKE(relay);
		TAKE(rcpt_tempfail);
		TAKE(too_many_rcpt);
		TAKE(no_valid_rcpt);
		TAKE(too_big);
		TAKE(data_nul);
		TAKE(data_long);
		TAKE(local_error);
		TAKE(timeout);
		TAKE(too_many_errors);
#undef TAKE
	}
	if (ops != NULL)
		s->ops = *ops;
	s->ctx = ctx;
	s->out = out;
	s->state = SMTP_SRV_CONNECTED;
	s->phase = SMTP_PHASE_CONNECTED;
	line_init(&s->lb, LINE_SMTP_CMD_MAX);
	smtp_env_init(&s->env);
	nl_dbuf_init(&s->msg, (size_t)s->cfg.max_size + 2);
	return s;
}

void
smtp_srv_free(struct smtp_srv *s)
{
	if (s == NULL)
		return;
	line_free(&s->lb);
	smtp_env_clear(&s->env);
	nl_dbuf_free(&s->msg);
	nl_free(s);
}

enum smtp_srv_state
smtp_srv_state(const struct smtp_srv *s)
{
	return s->state;
}

enum smtp_phase
smtp_srv_phase(const struct smtp_srv *s)
{
	return s->phase;
}

int
smtp_srv_closed(const struct smtp_srv *s)
{
	return s->state == SMTP_SRV_CLOSED;
}

unsigned
smtp_srv_timeout_s(const struct smtp_srv *s)
{
	(void)s;
	return SMTP_SRV_TIMEOUT_S;
}

enum nl_status
smtp_srv_start(struct smtp_srv *s)
{
	if (s->state != SMTP_SRV_CONNECTED)
		return NL_ESTATE;
	if (s->cfg.no_service) {
		srv_enter(s, SMTP_SRV_NOSERVICE);
		srv_reply(s, 554, s->t.no_service);
	} else {
		srv_enter(s, SMTP_SRV_GREETED);
		srv_reply(s, 220, s->t.greeting);
	}
	return s->fatal;
}

/* Switches the line limit: 512 for commands, 1000 in DATA (4.5.3.1).
 * Called between lines, when the line layer holds nothing; the buffer is
 * released so that it is allocated again at the new size. */
static void
set_line_max(struct smtp_srv *s, size_t max)
{
	line_free(&s->lb);
	line_init(&s->lb, max);
}

/* Forgets the mail transaction (RSET, HELO, after "."): not the client's
 * name. */
static void
tx_reset(struct smtp_srv *s)
{
	size_t i;

	nl_free(s->env.from);
	s->env.from = NULL;
	for (i = 0; i < s->env.nrcpt; i++)
		nl_free(s->env.rcpt[i]);
	nl_free(s->env.rcpt);
	s->env.rcpt = NULL;
	s->env.nrcpt = 0;
	s->env.size = 0;
	s->env.body = SMTP_BODY_NONE;
	nl_dbuf_free(&s->msg);
	s->msg_bytes = 0;
	s->msg_big = s->msg_nul = s->msg_long = s->msg_nomem = 0;
	s->rcpt_refused = 0;
}

/* ---- Commands: check functions write the refusal and return 0 ---- */

static int
check_hello(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	if (s->state == SMTP_SRV_CONNECTED) {
		srv_reply(s, 503, s->t.bad_seq);
		return 0;
	}
	if (!smtp_domain_valid(cl->args, cl->args_len)) {
		srv_reply(s, 501, s->t.syntax);
		return 0;
	}
	return 1;
}

/* HELO and EHLO: a new hello resets any transaction (4.1.4). */
static int
hello(struct smtp_srv *s, const struct smtp_cmdline *cl, int esmtp)
{
	char name[SMTP_DOMAIN_MAX + 1];
	size_t n = cl->args_len < SMTP_DOMAIN_MAX ? cl->args_len :
	    SMTP_DOMAIN_MAX;
	enum nl_status st;

	memcpy(name, cl->args, n);
	name[n] = '\0';
	tx_reset(s);
	st = smtp_env_set_helo(&s->env, name);
	if (st != NL_OK) {
		srv_fatal(s, st);
		return 0;
	}
	s->env.esmtp = esmtp;
	srv_enter(s, SMTP_SRV_READY);
	return 1;
}

static void
proceed_helo(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	if (hello(s, cl, 0))
		srv_reply(s, 250, s->t.helo);
}

static void
proceed_ehlo(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	char ext[96];

	if (!hello(s, cl, 1))
		return;
	/* ehlo-line = ehlo-keyword *( SP ehlo-param ) (4.1.1.1) */
	snprintf(ext, sizeof ext, "\nSIZE %llu\n8BITMIME%s\nHELP",
	    (unsigned long long)s->cfg.max_size,
	    s->cfg.pipelining ? "\nPIPELINING" : "");
	srv_reply_tail(s, 250, s->t.ehlo, ext);
}

static int
check_mail(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	enum nl_status st;

	if (s->state != SMTP_SRV_READY) {
		srv_reply(s, 503, s->t.bad_seq);
		return 0;
	}
	st = smtp_mail_parse(cl->args, cl->args_len, &s->pa);
	if (st == NL_EUNSUPPORTED || (st == NL_OK && s->pa.has_params &&
	    !s->env.esmtp)) {
		/* Parameters are extensions: only after EHLO (RFC 1869). */
		srv_reply(s, 555, s->t.param);
		return 0;
	}
	if (st != NL_OK) {
		srv_reply(s, 501, s->t.syntax);
		return 0;
	}
	if (s->pa.size > s->cfg.max_size) {
		/* RFC 1870 6.1: refuse at MAIL what is declared too big. */
		s->addr = s->pa.addr;
		srv_reply(s, 552, s->t.too_big);
		return 0;
	}
	return 1;
}

static void
proceed_mail(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	enum nl_status st = smtp_env_set_from(&s->env, s->pa.addr);

	(void)cl;
	if (st != NL_OK) {
		srv_fatal(s, st);
		return;
	}
	s->env.size = s->pa.size;
	s->env.body = s->pa.body;
	s->rcpt_refused = 0;
	srv_enter(s, SMTP_SRV_MAIL);
	s->addr = s->pa.addr[0] ? s->pa.addr : "<>";
	srv_reply(s, 250, s->t.mail_ok);
}

static int
check_rcpt(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	enum nl_status st;
	enum smtp_rcpt_verdict v = SMTP_RCPT_OK;

	if (s->state != SMTP_SRV_MAIL && s->state != SMTP_SRV_RCPT) {
		srv_reply(s, 503, s->t.bad_seq);
		return 0;
	}
	st = smtp_rcpt_parse(cl->args, cl->args_len, &s->pa);
	if (st == NL_EUNSUPPORTED) {
		srv_reply(s, 555, s->t.param);
		return 0;
	}
	if (st != NL_OK) {
		srv_reply(s, 501, s->t.syntax);
		return 0;
	}
	s->addr = s->pa.addr;
	if (s->env.nrcpt >= s->cfg.max_rcpt) {
		srv_reply(s, 452, s->t.too_many_rcpt);
		return 0;
	}
	if (s->ops.rcpt != NULL)
		v = s->ops.rcpt(s->ctx, &s->env, s->pa.addr);
	switch (v) {
	case SMTP_RCPT_OK:
		return 1;
	case SMTP_RCPT_UNKNOWN:
		s->rcpt_refused = 1;
		srv_reply(s, 550, s->t.no_user);
		return 0;
	case SMTP_RCPT_RELAY_DENIED:
		s->rcpt_refused = 1;
		srv_reply(s, s->cfg.relay_code, s->t.relay);
		return 0;
	case SMTP_RCPT_TEMPFAIL:
		s->rcpt_refused = 1;
		srv_reply(s, 451, s->t.rcpt_tempfail);
		return 0;
	}
	return 0;
}

static void
proceed_rcpt(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	enum nl_status st = smtp_env_add_rcpt(&s->env, s->pa.addr);

	(void)cl;
	if (st != NL_OK) {
		srv_fatal(s, st);
		return;
	}
	srv_enter(s, SMTP_SRV_RCPT);
	s->addr = s->pa.addr;
	srv_reply(s, 250, s->t.rcpt_ok);
}

/* RSET, DATA and QUIT take no argument. */
static int
check_no_args(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	if (cl->args_len > 0) {
		srv_reply(s, 501, s->t.syntax);
		return 0;
	}
	return 1;
}

static int
check_data(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	if (!check_no_args(s, cl))
		return 0;
	if (s->state == SMTP_SRV_MAIL && s->rcpt_refused) {
		/* 3.3: no valid recipient may be 503 or 554. */
		srv_reply(s, 554, s->t.no_valid_rcpt);
		return 0;
	}
	if (s->state != SMTP_SRV_RCPT) {
		srv_reply(s, 503, s->t.bad_seq);
		return 0;
	}
	return 1;
}

static void
proceed_data(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)cl;
	nl_dbuf_free(&s->msg);
	s->msg_bytes = 0;
	s->msg_big = s->msg_nul = s->msg_long = s->msg_nomem = 0;
	set_line_max(s, LINE_SMTP_TEXT_MAX);
	srv_enter(s, SMTP_SRV_DATA);
	srv_reply(s, 354, s->t.data);
}

static void
proceed_rset(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)cl;
	tx_reset(s);
	if (s->state == SMTP_SRV_MAIL || s->state == SMTP_SRV_RCPT)
		srv_enter(s, SMTP_SRV_READY);
	srv_reply(s, 250, s->t.rset);
}

static int
check_any(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)s;
	(void)cl;
	return 1;
}

static void
proceed_noop(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)cl;
	srv_reply(s, 250, s->t.noop);
}

/* VRFY user / VRFY user@domain / VRFY <user@domain> (3.5.1). */
static int
check_vrfy(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	const char *a = cl->args;
	size_t n = cl->args_len, dn = strlen(s->cfg.domain);

	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		a++;
		n -= 2;
	}
	if (n > 0 && n <= SMTP_ADDR_MAX && memchr(a, '@', n) != NULL &&
	    smtp_mailbox_valid(a, n)) {
		memcpy(s->vrfy, a, n);
		s->vrfy[n] = '\0';
		return 1;
	}
	if (n > 0 && n <= SMTP_LOCAL_MAX && n + 1 + dn <= SMTP_ADDR_MAX) {
		memcpy(s->vrfy, a, n);
		s->vrfy[n] = '@';
		memcpy(s->vrfy + n + 1, s->cfg.domain, dn + 1);
		if (smtp_mailbox_valid(s->vrfy, n + 1 + dn))
			return 1;
	}
	srv_reply(s, 501, s->t.syntax);
	return 0;
}

static void
proceed_vrfy(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	enum smtp_rcpt_verdict v = SMTP_RCPT_TEMPFAIL;

	(void)cl;
	if (s->ops.rcpt != NULL)
		v = s->ops.rcpt(s->ctx, &s->env, s->vrfy);
	s->addr = s->vrfy;
	switch (v) {
	case SMTP_RCPT_OK:
		srv_reply(s, 250, s->t.vrfy_ok);
		return;
	case SMTP_RCPT_UNKNOWN:
		srv_reply(s, 550, s->t.no_user);
		return;
	case SMTP_RCPT_RELAY_DENIED:
	case SMTP_RCPT_TEMPFAIL:
		srv_reply(s, 252, s->t.vrfy_unsure);
		return;
	}
}

static int
check_expn(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)cl;
	srv_reply(s, 502, s->t.not_impl);
	return 0;
}

static void
proceed_help(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)cl;
	srv_reply(s, 214, s->t.help);
}

static void
proceed_quit(struct smtp_srv *s, const struct smtp_cmdline *cl)
{
	(void)cl;
	tx_reset(s);
	/* Reply first: a closed session writes nothing more. */
	srv_reply(s, 221, s->t.quit);
	srv_enter(s, SMTP_SRV_CLOSED);
}

/* The command table (OpenSMTPD's commands[]): one row per verb. */
static const struct srv_cmd {
	enum smtp_cmd id;
	const char *verb;
	int (*check)(struct smtp_srv *, const struct smtp_cmdline *);
	void (*proceed)(struct smtp_srv *, const struct smtp_cmdline *);
} commands[] = {
	{ SMTP_CMD_HELO, "HELO", check_hello, proceed_helo },
	{ SMTP_CMD_EHLO, "EHLO", check_hello, proceed_ehlo },
	{ SMTP_CMD_MAIL, "MAIL", check_mail, proceed_mail },
	{ SMTP_CMD_RCPT, "RCPT", check_rcpt, proceed_rcpt },
	{ SMTP_CMD_DATA, "DATA", check_data, proceed_data },
	{ SMTP_CMD_RSET, "RSET", check_no_args, proceed_rset },
	{ SMTP_CMD_NOOP, "NOOP", check_any, proceed_noop },
	{ SMTP_CMD_VRFY, "VRFY", check_vrfy, proceed_vrfy },
	{ SMTP_CMD_EXPN, "EXPN", check_expn, NULL },
	{ SMTP_CMD_HELP, "HELP", check_any, proceed_help },
	{ SMTP_CMD_QUIT, "QUIT", check_no_args, proceed_quit },
};

static void
srv_command(struct smtp_srv *s, const uint8_t *line, size_t n)
{
	struct smtp_cmdline cl;
	size_t i;

	if (s->ops.line != NULL)
		s->ops.line(s->ctx, SMTP_LINE_CMD, (const char *)line, n);
	s->addr = NULL;
	s->qid = NULL;
	if (memchr(line, '\0', n) != NULL) {
		srv_reply(s, 500, s->t.nul);
		return;
	}
	smtp_cmd_parse((const char *)line, n, &cl);
	if (s->state == SMTP_SRV_NOSERVICE && cl.cmd != SMTP_CMD_QUIT) {
		srv_reply(s, 503, s->t.bad_seq);
		return;
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct srv_cmd *c = &commands[i];

		if (c->id != cl.cmd)
			continue;
		if (c->check(s, &cl) && c->proceed != NULL)
			c->proceed(s, &cl);
		return;
	}
	srv_reply(s, 500, s->t.unknown);
}

/* The "." line: judge the message, hand it to the glue, answer. */
static void
srv_data_end(struct smtp_srv *s)
{
	char qid[SMTP_QID_MAX] = "0";
	enum nl_status st = NL_OK;
	int code = 250;
	const char *text = s->t.accepted;

	set_line_max(s, LINE_SMTP_CMD_MAX);
	if (s->msg_big) {
		code = 552;
		text = s->t.too_big;
	} else if (s->msg_nul) {
		code = 554;
		text = s->t.data_nul;
	} else if (s->msg_long) {
		code = 554;
		text = s->t.data_long;
	} else if (s->msg_nomem) {
		code = 451;
		text = s->t.local_error;
	} else if (s->ops.accept != NULL) {
		st = s->ops.accept(s->ctx, &s->env, s->msg.data, s->msg.len,
		    qid, sizeof qid);
		qid[sizeof qid - 1] = '\0';
		if (st == NL_ELIMIT) {
			code = 552;
			text = s->t.too_big;
		} else if (st != NL_OK) {
			code = 451;
			text = s->t.local_error;
		}
	}
	tx_reset(s);
	srv_enter(s, SMTP_SRV_READY);
	s->qid = qid;
	srv_reply(s, code, text);
	s->qid = NULL;
}

/* One line between DATA and ".": RFC 5321 4.5.2, the first "." of a
 * line that starts with one is removed. */
static void
srv_data_line(struct smtp_srv *s, const uint8_t *line, size_t n)
{
	enum nl_status st;

	if (s->ops.line != NULL)
		s->ops.line(s->ctx, SMTP_LINE_DATA, (const char *)line, n);
	if (n == 1 && line[0] == '.') {
		srv_data_end(s);
		return;
	}
	if (n > 0 && line[0] == '.') {
		line++;
		n--;
	}
	if (memchr(line, '\0', n) != NULL)
		s->msg_nul = 1;
	s->msg_bytes += n + 2;
	if (s->msg_bytes > s->cfg.max_size)
		s->msg_big = 1;
	if (s->msg_big || s->msg_nul || s->msg_long || s->msg_nomem) {
		/* Refused at "." anyway: keep counting, stop storing. */
		nl_dbuf_free(&s->msg);
		return;
	}
	st = nl_dbuf_add(&s->msg, line, n);
	if (st == NL_OK)
		st = nl_dbuf_add(&s->msg, "\r\n", 2);
	if (st != NL_OK)
		s->msg_nomem = 1;	/* the buffer freed itself */
}

enum nl_status
smtp_srv_feed(struct smtp_srv *s, const uint8_t *data, size_t len)
{
	size_t pos = 0;

	if (s->state == SMTP_SRV_CLOSED)
		return s->fatal != NL_OK ? s->fatal : NL_ECLOSED;
	while (pos < len && s->state != SMTP_SRV_CLOSED) {
		const uint8_t *line;
		size_t n, used;
		enum nl_status st = line_next(&s->lb, data + pos, len - pos,
		    &used, &line, &n);

		pos += used;
		if (st == NL_AGAIN)
			break;
		if (st == NL_ENOMEM) {
			srv_fatal(s, st);
			break;
		}
		if (s->state == SMTP_SRV_DATA) {
			if (st == NL_ELIMIT) {
				/* 4.5.3.1.6: the line is gone, so is the
				 * message; its "." gets a 554. */
				s->msg_long = 1;
				nl_dbuf_free(&s->msg);
			} else {
				srv_data_line(s, line, n);
			}
		} else if (st == NL_ELIMIT) {
			srv_reply(s, 500, s->t.too_long);
		} else {
			srv_command(s, line, n);
		}
	}
	return s->fatal;
}

enum nl_status
smtp_srv_timeout(struct smtp_srv *s)
{
	if (s->state == SMTP_SRV_CLOSED)
		return NL_ECLOSED;
	tx_reset(s);
	srv_reply(s, 421, s->t.timeout);
	srv_enter(s, SMTP_SRV_CLOSED);
	return s->fatal;
}
