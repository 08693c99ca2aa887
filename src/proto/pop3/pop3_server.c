/* pop3_server.c - the POP3 server session (RFC 1939 sections 3-9; CAPA
 * from RFC 2449 section 5): AUTHORIZATION, TRANSACTION and UPDATE, a
 * table of commands each with a check and a proceed function (the shape
 * of OpenSMTPD's smtp_session.c), and the maildrop behind
 * struct pop3_backend_ops. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/line/line.h"
#include "proto/pop3/pop3.h"
#include "util/alloc.h"
#include "util/nl.h"

#define NAME_MAX_ 128		/* hostname and greeting, with the NUL */

struct pop3_srv {
	enum pop3_srv_state state;	/* changed by set_state() only */
	char hostname[NAME_MAX_];	/* in the sign-off */
	char greeting[NAME_MAX_];	/* after "+OK " in the greeting */
	const struct pop3_backend_ops *ops; /* the maildrop */
	void *be;			/* the glue's pointer for ops */
	pop3_event_fn *event;		/* may be NULL */
	void *event_arg;		/* passed to event */
	struct line_buf lb;		/* the command line being read */
	struct nl_dbuf out;		/* replies the glue has not sent */
	char user[POP3_ARG_MAX + 1];	/* the USER argument */
	int have_user;			/* USER was accepted, PASS may come */
	int locked;			/* list() succeeded: release() owed */
	const struct pop3_msg *msgs;	/* the listing, owned by the backend */
	size_t count;			/* messages in msgs */
	uint8_t *del;			/* count marks: 1 = marked deleted */
	enum nl_status err;		/* sticky: out of memory or out-buffer
					 * over its cap */
};

/* ---- Events and output ------------------------------------------------ */

static void
emit_line(struct pop3_srv *s, int from_client, int data, int secret,
    const uint8_t *text, size_t len)
{
	struct pop3_event ev;

	if (s->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = POP3_EV_LINE;
	ev.from_client = from_client;
	ev.data = data;
	ev.secret = secret;
	ev.text = text;
	ev.len = len;
	s->event(s->event_arg, &ev);
}

/* The one function that changes the state: it tells the glue old -> new
 * (curl's smtp_state(), OpenSMTPD's smtp_enter_state()). */
static void
set_state(struct pop3_srv *s, enum pop3_srv_state st)
{
	struct pop3_event ev;
	enum pop3_srv_state old = s->state;

	if (old == st)
		return;
	s->state = st;
	if (s->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = POP3_EV_STATE;
	ev.old_state = (int)old;
	ev.new_state = (int)st;
	ev.old_name = pop3_srv_state_str(old);
	ev.new_name = pop3_srv_state_str(st);
	s->event(s->event_arg, &ev);
}

/* Appends bytes to the out-buffer; the first failure sticks in s->err
 * and the rest of the session writes nothing. */
static void
put(struct pop3_srv *s, const void *p, size_t n)
{
	enum nl_status st;

	if (s->err != NL_OK)
		return;
	st = nl_dbuf_add(&s->out, p, n);
	if (st != NL_OK)
		s->err = st;
}

/* Writes one status line (text after "+OK " or "-ERR "), cut to fit in
 * POP3_RESP_MAX with its CRLF. */
static void
reply(struct pop3_srv *s, int ok, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
reply(struct pop3_srv *s, int ok, const char *fmt, ...)
{
	char text[POP3_RESP_MAX - 8], line[POP3_RESP_MAX];
	int k;
	va_list ap;

	va_start(ap, fmt);
	k = vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (k < 0)
		text[0] = '\0';
	k = snprintf(line, sizeof line, "%s%s%s", ok ? "+OK" : "-ERR",
	    text[0] != '\0' ? " " : "", text);
	put(s, line, (size_t)k);
	put(s, "\r\n", 2);
	emit_line(s, 0, 0, 0, (const uint8_t *)line, (size_t)k);
}

/* One line of a multiline reply, byte-stuffed. */
static void
data_line(struct pop3_srv *s, const uint8_t *line, size_t len)
{
	size_t from = s->out.len;
	enum nl_status st;

	if (s->err != NL_OK)
		return;
	st = pop3_data_write_line(&s->out, line, len);
	if (st != NL_OK) {
		s->err = st;
		return;
	}
	/* The event shows the wire form: stuffed, without CRLF. */
	emit_line(s, 0, 1, 0, s->out.data + from, s->out.len - from - 2);
}

/* A formatted multiline line ("1 120"). */
static void
data_linef(struct pop3_srv *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
data_linef(struct pop3_srv *s, const char *fmt, ...)
{
	char line[POP3_RESP_MAX];
	int k;
	va_list ap;

	va_start(ap, fmt);
	k = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (k < 0)
		k = 0;
	data_line(s, (const uint8_t *)line, NL_MIN((size_t)k, sizeof line - 1));
}

static void
data_end(struct pop3_srv *s)
{
	put(s, ".\r\n", 3);
	emit_line(s, 0, 1, 0, (const uint8_t *)".", 1);
}

/* ---- The maildrop ------------------------------------------------------ */

/* Messages not marked deleted, and their octets (STAT, RSET, QUIT). */
static void
drop_totals(const struct pop3_srv *s, size_t *n, size_t *octets)
{
	size_t i;

	*n = 0;
	*octets = 0;
	for (i = 0; i < s->count; i++) {
		if (!s->del[i]) {
			(*n)++;
			*octets += s->msgs[i].size;
		}
	}
}

/* Unlocks the maildrop if it is locked; commits first when asked. */
static enum nl_status
unlock(struct pop3_srv *s, int commit)
{
	enum nl_status st = NL_OK;

	if (!s->locked)
		return NL_OK;
	if (commit)
		st = s->ops->commit(s->be, s->user, s->del, s->count);
	s->ops->release(s->be, s->user);
	s->locked = 0;
	s->msgs = NULL;
	s->count = 0;
	nl_free(s->del);
	s->del = NULL;
	return st;
}

/* The unique-id of message i, or its number when the backend has none
 * (or one that is not a valid unique-id). */
static const char *
uid_of(const struct pop3_srv *s, size_t i, char *buf, size_t bufsz)
{
	const char *u = s->msgs[i].uid;
	size_t k;

	if (u != NULL && u[0] != '\0') {
		for (k = 0; u[k] != '\0' && k <= POP3_UID_MAX; k++)
			if (u[k] < 0x21 || u[k] > 0x7e)
				break;
		if (u[k] == '\0' && k <= POP3_UID_MAX)
			return u;
	}
	snprintf(buf, bufsz, "%zu", i + 1);
	return buf;
}

/* ---- Checks: state and arguments; each writes its own refusal --------- */

static int
want_state(struct pop3_srv *s, const struct pop3_command *c, int auth,
    int trans)
{
	if ((s->state == POP3_SRV_AUTHORIZATION && auth) ||
	    (s->state == POP3_SRV_TRANSACTION && trans))
		return 1;
	reply(s, 0, "%s not valid in the %s state", pop3_cmd_str(c->cmd),
	    pop3_srv_state_str(s->state));
	return 0;
}

static int
want_args(struct pop3_srv *s, const struct pop3_command *c, int min, int max)
{
	if (c->nargs >= min && c->nargs <= max)
		return 1;
	if (max == 0)
		reply(s, 0, "%s takes no argument", pop3_cmd_str(c->cmd));
	else
		reply(s, 0, "wrong number of arguments for %s",
		    pop3_cmd_str(c->cmd));
	return 0;
}

/* Argument k names a message that exists and is not deleted. */
static int
want_msg(struct pop3_srv *s, const struct pop3_command *c, int k)
{
	size_t n;

	if (pop3_num_parse(c->args[k], &n) != NL_OK) {
		reply(s, 0, "invalid message number");
		return 0;
	}
	if (n == 0 || n > s->count) {
		reply(s, 0, "no such message, only %zu messages in maildrop",
		    s->count);
		return 0;
	}
	if (s->del[n - 1]) {
		reply(s, 0, "message %zu already deleted", n);
		return 0;
	}
	return 1;
}

static size_t
msg_arg(const struct pop3_command *c, int k)
{
	size_t n;

	pop3_num_parse(c->args[k], &n);
	return n - 1;
}

static int
check_user(struct pop3_srv *s, const struct pop3_command *c)
{
	return want_state(s, c, 1, 0) && want_args(s, c, 1, 1);
}

static int
check_pass(struct pop3_srv *s, const struct pop3_command *c)
{
	if (!want_state(s, c, 1, 0) || !want_args(s, c, 1, 1))
		return 0;
	if (!s->have_user) {
		reply(s, 0, "send USER first");
		return 0;
	}
	return 1;
}

static int
check_quit(struct pop3_srv *s, const struct pop3_command *c)
{
	return want_state(s, c, 1, 1) && want_args(s, c, 0, 0);
}

static int
check_capa(struct pop3_srv *s, const struct pop3_command *c)
{
	return want_state(s, c, 1, 1) && want_args(s, c, 0, 0);
}

static int
check_trans(struct pop3_srv *s, const struct pop3_command *c)
{
	return want_state(s, c, 0, 1) && want_args(s, c, 0, 0);
}

static int
check_opt_msg(struct pop3_srv *s, const struct pop3_command *c)
{
	return want_state(s, c, 0, 1) && want_args(s, c, 0, 1) &&
	    (c->nargs == 0 || want_msg(s, c, 0));
}

static int
check_msg(struct pop3_srv *s, const struct pop3_command *c)
{
	return want_state(s, c, 0, 1) && want_args(s, c, 1, 1) &&
	    want_msg(s, c, 0);
}

static int
check_top(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t n;

	if (!want_state(s, c, 0, 1) || !want_args(s, c, 2, 2) ||
	    !want_msg(s, c, 0))
		return 0;
	if (pop3_num_parse(c->args[1], &n) != NL_OK) {
		reply(s, 0, "invalid number of lines");
		return 0;
	}
	return 1;
}

/* ---- Proceed: the work, and the state changes ----------------------- */

static void
do_user(struct pop3_srv *s, const struct pop3_command *c)
{
	/* The same answer for every name: no probing for mailboxes. */
	/* want_args and the codec keep it within POP3_ARG_MAX. */
	memcpy(s->user, c->args[0], NL_MIN(strlen(c->args[0]) + 1,
	    sizeof s->user));
	s->user[sizeof s->user - 1] = '\0';
	s->have_user = 1;
	reply(s, 1, "send PASS");
}

static void
do_pass(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t n, octets;
	enum nl_status st;

	s->have_user = 0;
	if (s->ops->login(s->be, s->user, c->args[0]) != NL_OK) {
		reply(s, 0, "invalid password");
		return;
	}
	st = s->ops->list(s->be, s->user, &s->msgs, &s->count);
	if (st != NL_OK) {
		s->msgs = NULL;
		s->count = 0;
		reply(s, 0, st == NL_ESTATE ? "maildrop already locked" :
		    "unable to open maildrop");
		return;
	}
	s->locked = 1;
	s->del = nl_calloc(s->count > 0 ? s->count : 1, 1);
	if (s->del == NULL) {
		unlock(s, 0);
		s->err = NL_ENOMEM;
		return;
	}
	drop_totals(s, &n, &octets);
	set_state(s, POP3_SRV_TRANSACTION);
	reply(s, 1, "%s's maildrop has %zu messages (%zu octets)", s->user, n,
	    octets);
}

static void
do_quit(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t n, octets;

	NL_UNUSED(c);
	if (s->state == POP3_SRV_AUTHORIZATION) {
		reply(s, 1, "%s POP3 server signing off", s->hostname);
		set_state(s, POP3_SRV_CLOSED);
		return;
	}
	set_state(s, POP3_SRV_UPDATE);
	drop_totals(s, &n, &octets);
	if (unlock(s, 1) != NL_OK)
		reply(s, 0, "some deleted messages not removed");
	else if (n == 0)
		reply(s, 1, "%s POP3 server signing off (maildrop empty)",
		    s->hostname);
	else
		reply(s, 1, "%s POP3 server signing off (%zu messages left)",
		    s->hostname, n);
	set_state(s, POP3_SRV_CLOSED);
}

static void
do_stat(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t n, octets;

	NL_UNUSED(c);
	drop_totals(s, &n, &octets);
	reply(s, 1, "%zu %zu", n, octets);
}

static void
do_list(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t i, n, octets;

	if (c->nargs == 1) {
		i = msg_arg(c, 0);
		reply(s, 1, "%zu %zu", i + 1, s->msgs[i].size);
		return;
	}
	drop_totals(s, &n, &octets);
	reply(s, 1, "%zu messages (%zu octets)", n, octets);
	for (i = 0; i < s->count; i++)
		if (!s->del[i])
			data_linef(s, "%zu %zu", i + 1, s->msgs[i].size);
	data_end(s);
}

static void
do_uidl(struct pop3_srv *s, const struct pop3_command *c)
{
	char buf[24];
	size_t i;

	if (c->nargs == 1) {
		i = msg_arg(c, 0);
		reply(s, 1, "%zu %s", i + 1, uid_of(s, i, buf, sizeof buf));
		return;
	}
	reply(s, 1, "%s", "");
	for (i = 0; i < s->count; i++)
		if (!s->del[i])
			data_linef(s, "%zu %s", i + 1,
			    uid_of(s, i, buf, sizeof buf));
	data_end(s);
}

/* Sends message i; with a line limit (TOP), the header, the blank line
 * and at most body_lines lines of the body (RFC 1939 7). */
static void
send_msg(struct pop3_srv *s, size_t i, int top, size_t body_lines)
{
	const uint8_t *data, *line;
	size_t len, ll, pos = 0, body = 0;
	int in_body = 0;

	if (s->ops->fetch(s->be, s->user, i, &data, &len) != NL_OK) {
		reply(s, 0, "unable to read message %zu", i + 1);
		return;
	}
	if (top)
		reply(s, 1, "%s", "");
	else
		reply(s, 1, "%zu octets", s->msgs[i].size);
	while (pop3_msg_next_line(data, len, &pos, &line, &ll)) {
		if (top && in_body && body++ >= body_lines)
			break;
		data_line(s, line, ll);
		if (ll == 0)
			in_body = 1;
	}
	data_end(s);
}

static void
do_retr(struct pop3_srv *s, const struct pop3_command *c)
{
	send_msg(s, msg_arg(c, 0), 0, 0);
}

static void
do_top(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t n;

	pop3_num_parse(c->args[1], &n);
	send_msg(s, msg_arg(c, 0), 1, n);
}

static void
do_dele(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t i = msg_arg(c, 0);

	s->del[i] = 1;
	if (s->ops->mark != NULL)
		s->ops->mark(s->be, s->user, i, 1);
	reply(s, 1, "message %zu deleted", i + 1);
}

static void
do_noop(struct pop3_srv *s, const struct pop3_command *c)
{
	NL_UNUSED(c);
	reply(s, 1, "%s", "");
}

static void
do_rset(struct pop3_srv *s, const struct pop3_command *c)
{
	size_t i, n, octets;

	NL_UNUSED(c);
	for (i = 0; i < s->count; i++) {
		if (s->del[i] && s->ops->mark != NULL)
			s->ops->mark(s->be, s->user, i, 0);
		s->del[i] = 0;
	}
	drop_totals(s, &n, &octets);
	reply(s, 1, "maildrop has %zu messages (%zu octets)", n, octets);
}

static void
do_capa(struct pop3_srv *s, const struct pop3_command *c)
{
	NL_UNUSED(c);
	reply(s, 1, "Capability list follows");
	data_linef(s, "USER");
	data_linef(s, "TOP");
	data_linef(s, "UIDL");
	data_end(s);
}

/* One row per command: the check verifies the state and the arguments
 * and writes the refusal itself; proceed does the work (OpenSMTPD's
 * commands[] in smtp_session.c). */
static const struct pop3_srv_cmd {
	enum pop3_cmd id;	/* the command */
	const char *verb;	/* its keyword, for the reader of this table */
	int (*check)(struct pop3_srv *, const struct pop3_command *);
	void (*proceed)(struct pop3_srv *, const struct pop3_command *);
} commands[] = {
	{ POP3_CMD_USER, "USER", check_user, do_user },
	{ POP3_CMD_PASS, "PASS", check_pass, do_pass },
	{ POP3_CMD_QUIT, "QUIT", check_quit, do_quit },
	{ POP3_CMD_STAT, "STAT", check_trans, do_stat },
	{ POP3_CMD_LIST, "LIST", check_opt_msg, do_list },
	{ POP3_CMD_RETR, "RETR", check_msg, do_retr },
	{ POP3_CMD_DELE, "DELE", check_msg, do_dele },
	{ POP3_CMD_NOOP, "NOOP", check_trans, do_noop },
	{ POP3_CMD_RSET, "RSET", check_trans, do_rset },
	{ POP3_CMD_TOP, "TOP", check_top, do_top },
	{ POP3_CMD_UIDL, "UIDL", check_opt_msg, do_uidl },
	{ POP3_CMD_CAPA, "CAPA", check_capa, do_capa },
};

static void
handle_line(struct pop3_srv *s, const uint8_t *line, size_t len)
{
	struct pop3_command c;
	size_t i;

	if (pop3_cmd_parse(line, len, &c) != NL_OK) {
		emit_line(s, 1, 0, 0, line, len);
		reply(s, 0, "invalid command line");
		return;
	}
	emit_line(s, 1, 0, c.cmd == POP3_CMD_PASS, line, len);
	for (i = 0; i < NL_ARRAY_LEN(commands); i++) {
		if (commands[i].id != c.cmd)
			continue;
		if (commands[i].check(s, &c))
			commands[i].proceed(s, &c);
		return;
	}
	reply(s, 0, "unknown command %s", c.verb);
}

/* ---- Public ----------------------------------------------------------- */

struct pop3_srv *
pop3_srv_new(const struct pop3_srv_config *cfg)
{
	struct pop3_srv *s = nl_calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->state = POP3_SRV_CONNECTED;
	snprintf(s->hostname, sizeof s->hostname, "%s",
	    cfg->hostname != NULL ? cfg->hostname : "localhost");
	snprintf(s->greeting, sizeof s->greeting, "%s",
	    cfg->greeting != NULL ? cfg->greeting : "POP3 server ready");
	s->ops = cfg->ops;
	s->be = cfg->be;
	s->event = cfg->event;
	s->event_arg = cfg->event_arg;
	line_init(&s->lb, POP3_CMD_MAX);
	nl_dbuf_init(&s->out, POP3_OUT_MAX);
	return s;
}

void
pop3_srv_close(struct pop3_srv *s)
{
	unlock(s, 0);
	set_state(s, POP3_SRV_CLOSED);
}

void
pop3_srv_free(struct pop3_srv *s)
{
	if (s == NULL)
		return;
	unlock(s, 0);
	line_free(&s->lb);
	nl_dbuf_free(&s->out);
	nl_free(s);
}

enum nl_status
pop3_srv_start(struct pop3_srv *s)
{
	if (s->state != POP3_SRV_CONNECTED)
		return NL_ESTATE;
	set_state(s, POP3_SRV_AUTHORIZATION);
	reply(s, 1, "%s", s->greeting);
	return s->err;
}

enum nl_status
pop3_srv_feed(struct pop3_srv *s, const uint8_t *data, size_t len)
{
	while (len > 0 && s->state != POP3_SRV_CLOSED && s->err == NL_OK) {
		const uint8_t *line;
		size_t used, ll;
		enum nl_status st = line_next(&s->lb, data, len, &used, &line,
		    &ll);

		data += used;
		len -= used;
		if (st == NL_AGAIN)
			break;
		if (st == NL_ELIMIT)
			reply(s, 0, "line too long (%d octets at most)",
			    POP3_CMD_MAX);
		else if (st == NL_OK)
			handle_line(s, line, ll);
		else
			s->err = st;
	}
	if (s->err != NL_OK) {
		/* Whatever was half written cannot be trusted: stop here,
		 * as a lost connection would, with nothing deleted. */
		pop3_srv_close(s);
		return s->err;
	}
	return s->state == POP3_SRV_CLOSED ? NL_ECLOSED : NL_OK;
}

struct nl_dbuf *
pop3_srv_out(struct pop3_srv *s)
{
	return &s->out;
}

enum pop3_srv_state
pop3_srv_state(const struct pop3_srv *s)
{
	return s->state;
}
