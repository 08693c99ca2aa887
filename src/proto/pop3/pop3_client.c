/* pop3_client.c - the POP3 client session (RFC 1939): USER, PASS, STAT,
 * LIST, UIDL, then RETR (and DELE, to download and delete) for each
 * message, then QUIT. Entering a state sends its command; one handler
 * judges each complete response (OpenSMTPD's mta_enter_state and
 * mta_response, curl's pop3_perform_* and pop3_state_*_resp). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/line/line.h"
#include "proto/pop3/pop3.h"
#include "util/alloc.h"
#include "util/nl.h"

#define CLI_MSGS_MAX 10000	/* messages of one maildrop we handle; the
				 * rest wait for the next session */
#define CLI_MSG_DEFAULT (4u << 20) /* msg_max when the config says 0 */
#define CLI_PASS_MAX 200	/* fits "PASS " and CRLF in POP3_CMD_MAX */

/* What the client knows of one message from LIST and UIDL. */
struct cli_msg {
	size_t size;		/* octets, from LIST */
	char *uid;		/* from UIDL, owned; NULL if none */
	int listed;		/* LIST named it */
};

struct pop3_cli {
	enum pop3_cli_state state;	/* changed by set_state() only */
	char user[POP3_ARG_MAX + 1];	/* USER argument */
	char pass[CLI_PASS_MAX + 1];	/* PASS argument */
	int delete_after;		/* DELE each retrieved message */
	size_t msg_max;			/* largest message accepted */
	pop3_event_fn *event;		/* callbacks, may be NULL */
	pop3_cli_msg_fn *message;
	pop3_cli_known_fn *known;
	void *arg;			/* passed to the callbacks */
	struct line_buf lb;		/* the reply line being read */
	struct nl_dbuf out;		/* commands the glue has not sent */
	struct nl_dbuf body;		/* the message RETR is receiving */
	int multi;			/* inside a multiline response */
	int too_big;			/* this RETR went over msg_max */
	int ok;				/* +OK (1) or -ERR (0) of the current
					 * response */
	char text[POP3_RESP_MAX];	/* its text, NUL-terminated */
	size_t count;			/* messages handled (STAT, capped) */
	struct cli_msg *msgs;		/* count entries */
	size_t cur;			/* the message RETR/DELE is about */
	size_t retrieved;		/* messages handed to the glue */
	enum nl_status status;		/* the outcome so far */
	enum nl_status err;		/* sticky: memory or out-buffer cap */
};

/* ---- Events and output ------------------------------------------------ */

static void
emit(struct pop3_cli *c, enum pop3_ev kind, int from_client, int data,
    int secret, const void *text, size_t len)
{
	struct pop3_event ev;

	if (c->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = kind;
	ev.from_client = from_client;
	ev.data = data;
	ev.secret = secret;
	ev.text = text;
	ev.len = len;
	c->event(c->arg, &ev);
}

/* The one function that changes the state, telling old -> new. */
static void
set_state(struct pop3_cli *c, enum pop3_cli_state st)
{
	struct pop3_event ev;
	enum pop3_cli_state old = c->state;

	if (old == st)
		return;
	c->state = st;
	if (c->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = POP3_EV_STATE;
	ev.old_state = (int)old;
	ev.new_state = (int)st;
	ev.old_name = pop3_cli_state_str(old);
	ev.new_name = pop3_cli_state_str(st);
	c->event(c->arg, &ev);
}

/* Gives up: the reason goes to the glue, the state to FAILED. Nothing
 * more is sent, so no QUIT commits any deletion. */
static void
fail(struct pop3_cli *c, enum nl_status why, const char *reason)
{
	if (c->state == POP3_CLI_DONE || c->state == POP3_CLI_FAILED)
		return;
	c->status = why;
	emit(c, POP3_EV_ERROR, 0, 0, 0, reason, strlen(reason));
	set_state(c, POP3_CLI_FAILED);
}

static void
send_cmd(struct pop3_cli *c, int secret, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
send_cmd(struct pop3_cli *c, int secret, const char *fmt, ...)
{
	char line[POP3_CMD_MAX];
	int k;
	va_list ap;
	enum nl_status st;

	va_start(ap, fmt);
	k = vsnprintf(line, sizeof line - 2, fmt, ap);
	va_end(ap);
	if (k < 0)
		k = 0;
	k = (int)NL_MIN((size_t)k, sizeof line - 3);
	emit(c, POP3_EV_LINE, 1, 0, secret, line, (size_t)k);
	memcpy(line + k, "\r\n", 2);
	if (c->err == NL_OK && (st = nl_dbuf_add(&c->out, line,
	    (size_t)k + 2)) != NL_OK)
		c->err = st;
}

/* ---- States: entering one sends its command -------------------------- */

static void
enter_state(struct pop3_cli *c, enum pop3_cli_state st)
{
	set_state(c, st);
	switch (st) {
	case POP3_CLI_GREETING:
		break;
	case POP3_CLI_USER:
		send_cmd(c, 0, "USER %s", c->user);
		break;
	case POP3_CLI_PASS:
		send_cmd(c, 1, "PASS %s", c->pass);
		break;
	case POP3_CLI_STAT:
		send_cmd(c, 0, "STAT");
		break;
	case POP3_CLI_LIST:
		send_cmd(c, 0, "LIST");
		break;
	case POP3_CLI_UIDL:
		send_cmd(c, 0, "UIDL");
		break;
	case POP3_CLI_RETR:
		nl_dbuf_reset(&c->body);
		c->too_big = 0;
		send_cmd(c, 0, "RETR %zu", c->cur + 1);
		break;
	case POP3_CLI_DELE:
		send_cmd(c, 0, "DELE %zu", c->cur + 1);
		break;
	case POP3_CLI_QUIT:
		send_cmd(c, 0, "QUIT");
		break;
	case POP3_CLI_DONE:
	case POP3_CLI_FAILED:
		break;
	}
}

/* RETR the next message from index i on that LIST named and the glue
 * does not know yet; QUIT when none is left. */
static void
next_message(struct pop3_cli *c, size_t i)
{
	for (; i < c->count; i++) {
		const struct cli_msg *m = &c->msgs[i];

		if (!m->listed)
			continue;
		if (m->uid != NULL && c->known != NULL &&
		    c->known(c->arg, m->uid))
			continue;
		c->cur = i;
		enter_state(c, POP3_CLI_RETR);
		return;
	}
	enter_state(c, POP3_CLI_QUIT);
}

/* Reads "a b" where a is a message number and b the rest; 0 if the
 * line is not of that form or a is out of range. */
static int
split_listing(const struct pop3_cli *c, const uint8_t *p, size_t len,
    size_t *i, const uint8_t **rest, size_t *rest_len)
{
	char num[12];
	size_t k, n;

	for (k = 0; k < len && p[k] != ' '; k++)
		;
	if (k == 0 || k >= sizeof num || k + 1 >= len)
		return 0;
	memcpy(num, p, k);
	num[k] = '\0';
	if (pop3_num_parse(num, &n) != NL_OK || n == 0 || n > c->count)
		return 0;
	*i = n - 1;
	*rest = p + k + 1;
	*rest_len = len - k - 1;
	return 1;
}

/* One line of a multiline response, un-stuffed. */
static void
data_line(struct pop3_cli *c, const uint8_t *p, size_t len)
{
	const uint8_t *rest;
	char val[POP3_UID_MAX + 1];
	size_t i, n, k;

	switch (c->state) {
	case POP3_CLI_LIST:
		/* "1 120": a scan listing (RFC 1939 5, LIST). */
		if (!split_listing(c, p, len, &i, &rest, &n) ||
		    n >= sizeof val)
			return;
		memcpy(val, rest, n);
		val[n] = '\0';
		if (pop3_num_parse(val, &k) == NL_OK) {
			c->msgs[i].size = k;
			c->msgs[i].listed = 1;
		}
		return;
	case POP3_CLI_UIDL:
		/* "1 whqtswO00WBw418f9t5JxYwZ" (RFC 1939 7, UIDL). */
		if (!split_listing(c, p, len, &i, &rest, &n) ||
		    n > POP3_UID_MAX || c->msgs[i].uid != NULL)
			return;
		for (k = 0; k < n; k++)
			if (rest[k] < 0x21 || rest[k] > 0x7e)
				return;
		c->msgs[i].uid = nl_strndup((const char *)rest, n);
		if (c->msgs[i].uid == NULL)
			c->err = NL_ENOMEM;
		return;
	case POP3_CLI_RETR:
		if (c->too_big)
			return;
		if (c->body.len + len + 2 > c->msg_max ||
		    nl_dbuf_add(&c->body, p, len) != NL_OK ||
		    nl_dbuf_add(&c->body, "\r\n", 2) != NL_OK) {
			/* Read on to the end, keep nothing, delete nothing. */
			c->too_big = 1;
			nl_dbuf_free(&c->body);
		}
		return;
	case POP3_CLI_GREETING:
	case POP3_CLI_USER:
	case POP3_CLI_PASS:
	case POP3_CLI_STAT:
	case POP3_CLI_DELE:
	case POP3_CLI_QUIT:
	case POP3_CLI_DONE:
	case POP3_CLI_FAILED:
		return;
	}
}

/* Hands the retrieved message to the glue. */
static void
deliver(struct pop3_cli *c)
{
	struct pop3_cli_msg m;

	memset(&m, 0, sizeof m);
	m.number = c->cur + 1;
	m.size = c->msgs[c->cur].size;
	m.uid = c->msgs[c->cur].uid;
	m.data = c->body.data != NULL ? c->body.data : (const uint8_t *)"";
	m.len = c->body.len;
	c->retrieved++;
	if (c->message != NULL)
		c->message(c->arg, &m);
}

static const char too_big_text[] =
    "message over the size limit, left on the server";

/* The one response handler: the whole response has arrived (the status
 * line, and for LIST, UIDL and RETR the data up to "."). */
static void
response(struct pop3_cli *c)
{
	size_t n;
	char *sp;

	switch (c->state) {
	case POP3_CLI_GREETING:
		if (c->ok)
			enter_state(c, POP3_CLI_USER);
		else
			fail(c, NL_ECONNREFUSED, "the server refused the session");
		return;
	case POP3_CLI_USER:
	case POP3_CLI_PASS:
		if (c->ok) {
			enter_state(c, c->state == POP3_CLI_USER ?
			    POP3_CLI_PASS : POP3_CLI_STAT);
			return;
		}
		c->status = NL_EINVAL;
		enter_state(c, POP3_CLI_QUIT);
		return;
	case POP3_CLI_STAT:
		/* "+OK 2 320" (RFC 1939 5, STAT). */
		sp = strchr(c->text, ' ');
		if (sp != NULL)
			*sp = '\0';
		if (!c->ok || pop3_num_parse(c->text, &n) != NL_OK) {
			c->status = NL_EMALFORMED;
			enter_state(c, POP3_CLI_QUIT);
			return;
		}
		if (n == 0) {
			enter_state(c, POP3_CLI_QUIT);
			return;
		}
		c->count = NL_MIN(n, (size_t)CLI_MSGS_MAX);
		c->msgs = nl_calloc(c->count, sizeof *c->msgs);
		if (c->msgs == NULL) {
			c->count = 0;
			c->err = NL_ENOMEM;
			return;
		}
		enter_state(c, POP3_CLI_LIST);
		return;
	case POP3_CLI_LIST:
		if (!c->ok) {
			c->status = NL_EMALFORMED;
			enter_state(c, POP3_CLI_QUIT);
			return;
		}
		enter_state(c, POP3_CLI_UIDL);
		return;
	case POP3_CLI_UIDL:
		/* UIDL is optional (RFC 1939 7): -ERR just means no ids. */
		next_message(c, 0);
		return;
	case POP3_CLI_RETR:
		if (!c->ok || c->too_big) {
			/* Not received, so neither deleted. */
			if (c->too_big)
				emit(c, POP3_EV_ERROR, 0, 0, 0, too_big_text,
				    sizeof too_big_text - 1);
			c->status = NL_EIO;
			next_message(c, c->cur + 1);
			return;
		}
		deliver(c);
		if (c->delete_after)
			enter_state(c, POP3_CLI_DELE);
		else
			next_message(c, c->cur + 1);
		return;
	case POP3_CLI_DELE:
		if (!c->ok)
			c->status = NL_EIO;
		next_message(c, c->cur + 1);
		return;
	case POP3_CLI_QUIT:
		if (!c->ok)
			c->status = NL_EIO;
		set_state(c, POP3_CLI_DONE);
		return;
	case POP3_CLI_DONE:
	case POP3_CLI_FAILED:
		return;
	}
}

/* 1 when a +OK to the command sent in this state starts a multiline
 * response. */
static int
expects_data(const struct pop3_cli *c)
{
	return c->state == POP3_CLI_LIST || c->state == POP3_CLI_UIDL ||
	    c->state == POP3_CLI_RETR;
}

static void
handle_line(struct pop3_cli *c, const uint8_t *line, size_t len)
{
	struct pop3_response r;
	const uint8_t *p;
	size_t n;
	int end;

	if (c->multi) {
		emit(c, POP3_EV_LINE, 0, 1, 0, line, len);
		pop3_data_read_line(line, len, &end, &p, &n);
		if (!end) {
			data_line(c, p, n);
			return;
		}
		c->multi = 0;
		response(c);
		return;
	}
	emit(c, POP3_EV_LINE, 0, 0, 0, line, len);
	if (pop3_resp_parse(line, len, &r) != NL_OK) {
		fail(c, NL_EMALFORMED, "the server sent neither +OK nor -ERR");
		return;
	}
	c->ok = r.ok;
	n = NL_MIN(r.text_len, sizeof c->text - 1);
	memcpy(c->text, r.text, n);
	c->text[n] = '\0';
	if (c->ok && expects_data(c)) {
		c->multi = 1;
		return;
	}
	response(c);
}

/* ---- Public ----------------------------------------------------------- */

/* 1 when s has 1..max bytes, all printable (spaces only if allowed). */
static int
sendable(const char *s, size_t max, int spaces)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i == max || (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f || (s[i] == ' ' && !spaces))
			return 0;
	}
	return 1;
}

struct pop3_cli *
pop3_cli_new(const struct pop3_cli_config *cfg)
{
	struct pop3_cli *c;

	if (!sendable(cfg->user, POP3_ARG_MAX, 0) ||
	    !sendable(cfg->pass, CLI_PASS_MAX, 1))
		return NULL;
	c = nl_calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	snprintf(c->user, sizeof c->user, "%s", cfg->user);
	snprintf(c->pass, sizeof c->pass, "%s", cfg->pass);
	c->delete_after = cfg->delete_after;
	c->msg_max = cfg->msg_max != 0 ? cfg->msg_max : CLI_MSG_DEFAULT;
	c->event = cfg->event;
	c->message = cfg->message;
	c->known = cfg->known;
	c->arg = cfg->arg;
	c->state = POP3_CLI_GREETING;
	line_init(&c->lb, POP3_DATA_MAX);
	nl_dbuf_init(&c->out, POP3_OUT_MAX);
	nl_dbuf_init(&c->body, c->msg_max + 2);
	return c;
}

void
pop3_cli_free(struct pop3_cli *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->count; i++)
		nl_free(c->msgs[i].uid);
	nl_free(c->msgs);
	line_free(&c->lb);
	nl_dbuf_free(&c->out);
	nl_dbuf_free(&c->body);
	nl_free(c);
}

enum nl_status
pop3_cli_feed(struct pop3_cli *c, const uint8_t *data, size_t len)
{
	while (len > 0 && c->err == NL_OK && c->state != POP3_CLI_DONE &&
	    c->state != POP3_CLI_FAILED) {
		const uint8_t *line;
		size_t used, ll;
		enum nl_status st = line_next(&c->lb, data, len, &used, &line,
		    &ll);

		data += used;
		len -= used;
		if (st == NL_AGAIN)
			break;
		if (st == NL_OK) {
			handle_line(c, line, ll);
		} else if (st == NL_ELIMIT && c->multi &&
		    c->state == POP3_CLI_RETR) {
			/* A line no RFC 5322 message has: keep nothing of
			 * this message, read on to its end. */
			c->too_big = 1;
			nl_dbuf_free(&c->body);
		} else if (st == NL_ELIMIT) {
			fail(c, NL_EMALFORMED, "reply line too long");
		} else {
			c->err = st;
		}
	}
	if (c->err != NL_OK) {
		fail(c, c->err, nl_status_str(c->err));
		return c->err;
	}
	return c->state == POP3_CLI_DONE || c->state == POP3_CLI_FAILED ?
	    NL_ECLOSED : NL_OK;
}

void
pop3_cli_close(struct pop3_cli *c)
{
	fail(c, NL_ECONNRESET, "connection closed before QUIT was answered");
}

struct nl_dbuf *
pop3_cli_out(struct pop3_cli *c)
{
	return &c->out;
}

enum pop3_cli_state
pop3_cli_state(const struct pop3_cli *c)
{
	return c->state;
}

enum nl_status
pop3_cli_status(const struct pop3_cli *c)
{
	return c->status;
}

size_t
pop3_cli_retrieved(const struct pop3_cli *c)
{
	return c->retrieved;
}
