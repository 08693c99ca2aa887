/* imap_client.c - the IMAP client session (RFC 3501): LOGIN, SELECT,
 * FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE), FETCH n BODY[] for each new
 * message, STORE +FLAGS, EXPUNGE, LOGOUT; to file what it read, LIST,
 * CREATE, COPY and STORE +FLAGS (\Deleted) around them. Tags A001, A002... counted by
 * the session; untagged responses are collected into the session until
 * the tagged completion ends the command (curl's imap.c resptag and
 * cmdid); entering a state sends its command and one handler judges
 * each completion (OpenSMTPD's mta_enter_state and mta_response). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/imap/imap.h"
#include "util/alloc.h"
#include "util/nl.h"

#define CLI_MSGS_MAX 10000	/* messages of one mailbox we track */
#define CLI_MSG_DEFAULT (4u << 20) /* msg_max when the config says 0 */
#define CLI_CMD_MAX 4096	/* one command, literals included */
#define CLI_SEGS 4		/* literals in one command, at most */

/* What the client knows of one message. */
struct cli_msg {
	uint32_t uid;		/* UID, 0 if not told */
	unsigned flags;		/* FLAGS as last told */
	size_t size;		/* RFC822.SIZE */
	int summary;		/* the summary FETCH described it */
	int want;		/* its body is to be fetched */
	int got;		/* its body arrived */
};

struct imap_cli {
	enum imap_cli_state state;	/* changed by set_state() only */
	char user[IMAP_NAME_MAX + 1];	/* LOGIN user */
	char pass[IMAP_NAME_MAX + 1];	/* LOGIN password */
	char mbox[IMAP_NAME_MAX + 1];	/* the mailbox to SELECT */
	int fetch_all;			/* config, see imap.h */
	int peek;
	int delete_after;
	int literal_login;
	char move_to[IMAP_NAME_MAX + 1];	/* "" or the mailbox to file
					 * the fetched messages into */
	int dest_listed;		/* LIST showed move_to */
	size_t copied;			/* messages COPY filed */
	size_t moved;			/* and EXPUNGE then removed */
	size_t msg_max;			/* largest message kept */
	imap_event_fn *event;		/* callbacks, may be NULL */
	imap_cli_msg_fn *message;
	void *arg;
	struct imap_reader rd;		/* the response being read */
	int skipping;			/* a literal too big is being skipped */
	struct nl_dbuf out;		/* bytes the glue has not sent */
	struct nl_dbuf cmd;		/* the command being sent, whole */
	size_t seg[CLI_SEGS];		/* where each part after a literal
					 * announcement starts in cmd */
	size_t nseg;			/* literals announced in cmd */
	size_t sent;			/* parts of cmd sent so far */
	int cmd_secret;			/* cmd is a LOGIN */
	struct imap_tline tin;		/* server lines, for events */
	struct imap_tline tout;		/* client lines, for events */
	unsigned tagn;			/* tags used (curl's cmdid) */
	char tag[16];			/* the tag awaited (curl's resptag) */
	uint32_t exists;		/* EXISTS as last told */
	struct cli_msg *msgs;		/* one per message, up to the cap */
	size_t count;			/* entries in msgs */
	size_t cur;			/* the message BODY or STORE is about */
	size_t fetched;			/* bodies handed to the glue */
	int deleted_any;		/* a STORE +FLAGS (\Deleted) succeeded */
	int bye;			/* the server said BYE */
	enum nl_status status;		/* the outcome so far */
	enum nl_status err;		/* sticky: memory or a buffer cap */
};

/* ---- Events and output --------------------------------------------------- */

static void
emit_line(struct imap_cli *c, int from_client, int secret, const uint8_t *p,
    size_t len, int data, int cut)
{
	struct imap_event ev;

	if (c->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = IMAP_EV_LINE;
	ev.from_client = from_client;
	ev.secret = secret;
	ev.data = data;
	ev.cut = cut;
	ev.text = p;
	ev.len = len;
	c->event(c->arg, &ev);
}

static void
tin_line(void *arg, const uint8_t *line, size_t len, int data, int cut)
{
	emit_line(arg, 0, 0, line, len, data, cut);
}

static void
tout_line(void *arg, const uint8_t *line, size_t len, int data, int cut)
{
	struct imap_cli *c = arg;

	emit_line(c, 1, c->cmd_secret, line, len, data, cut);
}

/* The one function that changes the state, telling old -> new. */
static void
set_state(struct imap_cli *c, enum imap_cli_state st)
{
	struct imap_event ev;
	enum imap_cli_state old = c->state;

	if (old == st)
		return;
	c->state = st;
	if (c->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = IMAP_EV_STATE;
	ev.old_state = (int)old;
	ev.new_state = (int)st;
	ev.old_name = imap_cli_state_str(old);
	ev.new_name = imap_cli_state_str(st);
	c->event(c->arg, &ev);
}

/* Gives up: the reason to the glue, the state to FAILED, nothing more
 * sent. */
static void
fail(struct imap_cli *c, enum nl_status why, const char *reason)
{
	struct imap_event ev;

	if (c->state == IMAP_CLI_DONE || c->state == IMAP_CLI_FAILED)
		return;
	c->status = why;
	if (c->event != NULL) {
		memset(&ev, 0, sizeof ev);
		ev.kind = IMAP_EV_ERROR;
		ev.text = (const uint8_t *)reason;
		ev.len = strlen(reason);
		c->event(c->arg, &ev);
	}
	set_state(c, IMAP_CLI_FAILED);
}

/* ---- Commands: built whole, sent a part per continuation ----------------- */

static void
cmd_add(struct imap_cli *c, const void *p, size_t n)
{
	enum nl_status st;

	if (c->err == NL_OK && (st = nl_dbuf_add(&c->cmd, p, n)) != NL_OK)
		c->err = st;
}

/* Starts "A001 VERB" with the next tag. */
static void
cmd_begin(struct imap_cli *c, const char *verb)
{
	char head[64];
	int k;

	nl_dbuf_reset(&c->cmd);
	c->nseg = 0;
	c->sent = 0;
	c->tagn++;
	snprintf(c->tag, sizeof c->tag, "A%03u", c->tagn % 100000u);
	k = snprintf(head, sizeof head, "%s %s", c->tag, verb);
	cmd_add(c, head, (size_t)k);
}

static void
cmd_addf(struct imap_cli *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
cmd_addf(struct imap_cli *c, const char *fmt, ...)
{
	char buf[256];
	int k;
	va_list ap;

	va_start(ap, fmt);
	k = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (k > 0)
		cmd_add(c, buf, NL_MIN((size_t)k, sizeof buf - 1));
}

/* SP and an astring: an atom or quoted string when it can be, else a
 * synchronising literal (RFC 3501 4.3), whose bytes wait for "+". */
static void
cmd_astring(struct imap_cli *c, const char *s, int force_literal)
{
	size_t len = strlen(s);

	cmd_add(c, " ", 1);
	if (!force_literal && (imap_atomable(s, len) || imap_quotable(s, len))) {
		enum nl_status st;

		if (c->err == NL_OK &&
		    (st = imap_w_astring(&c->cmd, s, len)) != NL_OK)
			c->err = st;
		return;
	}
	cmd_addf(c, "{%zu}\r\n", len);
	if (c->nseg < CLI_SEGS)
		c->seg[c->nseg++] = c->cmd.len;
	cmd_add(c, s, len);
}

/* Sends the next part of the command: all of it, or up to and including
 * the next literal announcement. */
static void
send_part(struct imap_cli *c)
{
	size_t from = c->sent == 0 ? 0 : c->seg[c->sent - 1];
	size_t to = c->sent < c->nseg ? c->seg[c->sent] : c->cmd.len;
	enum nl_status st;

	if (c->err != NL_OK)
		return;
	c->sent++;
	if ((st = nl_dbuf_add(&c->out, c->cmd.data + from, to - from)) !=
	    NL_OK) {
		c->err = st;
		return;
	}
	imap_tline_feed(&c->tout, c->cmd.data + from, to - from, 0, tout_line,
	    c);
}

static void
cmd_send(struct imap_cli *c, int secret)
{
	cmd_add(c, "\r\n", 2);
	c->cmd_secret = secret;
	send_part(c);
}

/* SP and the sequence set of the messages whose body arrived, runs
 * written as "a:b" (RFC 3501 9: sequence-set). */
static void
cmd_got_set(struct imap_cli *c)
{
	size_t i = 0, j;
	int first = 1;

	while (i < c->count) {
		if (!c->msgs[i].got) {
			i++;
			continue;
		}
		for (j = i; j + 1 < c->count && c->msgs[j + 1].got; j++)
			;
		cmd_add(c, first ? " " : ",", 1);
		first = 0;
		if (j == i)
			cmd_addf(c, "%zu", i + 1);
		else
			cmd_addf(c, "%zu:%zu", i + 1, j + 1);
		i = j + 1;
	}
}

/* Messages whose body arrived: what there is to file. */
static size_t
count_got(const struct imap_cli *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->count; i++)
		n += c->msgs[i].got != 0;
	return n;
}

/* ---- States: entering one sends its command ------------------------------ */

static void
enter_state(struct imap_cli *c, enum imap_cli_state st)
{
	set_state(c, st);
	switch (st) {
	case IMAP_CLI_GREETING:
		break;
	case IMAP_CLI_LOGIN:
		cmd_begin(c, "LOGIN");
		cmd_astring(c, c->user, c->literal_login);
		cmd_astring(c, c->pass, c->literal_login);
		cmd_send(c, 1);
		break;
	case IMAP_CLI_LIST:
		/* RFC 3501 6.3.8: reference "" and the name as the pattern
		 * (it holds no wildcard) list it when it exists. */
		cmd_begin(c, "LIST \"\"");
		cmd_astring(c, c->move_to, 0);
		cmd_send(c, 0);
		break;
	case IMAP_CLI_SELECT:
		cmd_begin(c, "SELECT");
		cmd_astring(c, c->mbox, 0);
		cmd_send(c, 0);
		break;
	case IMAP_CLI_SUMMARY:
		cmd_begin(c, "FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)");
		cmd_send(c, 0);
		break;
	case IMAP_CLI_BODY:
		c->msgs[c->cur].got = 0;
		cmd_begin(c, "FETCH");
		cmd_addf(c, " %zu %s", c->cur + 1, c->peek ? "BODY.PEEK[]" :
		    "BODY[]");
		cmd_send(c, 0);
		break;
	case IMAP_CLI_STORE:
		cmd_begin(c, "STORE");
		cmd_addf(c, " %zu +FLAGS (%s%s%s)", c->cur + 1,
		    c->peek ? "\\Seen" : "", c->peek && c->delete_after ? " " : "",
		    c->delete_after ? "\\Deleted" : "");
		cmd_send(c, 0);
		break;
	case IMAP_CLI_CREATE:
		cmd_begin(c, "CREATE");
		cmd_astring(c, c->move_to, 0);
		cmd_send(c, 0);
		break;
	case IMAP_CLI_COPY:
		cmd_begin(c, "COPY");
		cmd_got_set(c);
		cmd_astring(c, c->move_to, 0);
		cmd_send(c, 0);
		break;
	case IMAP_CLI_MARK_DELETED:
		cmd_begin(c, "STORE");
		cmd_got_set(c);
		cmd_addf(c, " +FLAGS (\\Deleted)");
		cmd_send(c, 0);
		break;
	case IMAP_CLI_EXPUNGE:
		cmd_begin(c, "EXPUNGE");
		cmd_send(c, 0);
		break;
	case IMAP_CLI_LOGOUT:
		cmd_begin(c, "LOGOUT");
		cmd_send(c, 0);
		break;
	case IMAP_CLI_DONE:
	case IMAP_CLI_FAILED:
		break;
	}
}

/* The next message from i on whose body is wanted; when none is left,
 * file what arrived (move_to), or EXPUNGE what was deleted, then
 * LOGOUT. */
static void
next_body(struct imap_cli *c, size_t i)
{
	for (; i < c->count; i++) {
		if (c->msgs[i].want) {
			c->cur = i;
			enter_state(c, IMAP_CLI_BODY);
			return;
		}
	}
	if (c->move_to[0] != '\0' && count_got(c) > 0)
		enter_state(c, c->dest_listed ? IMAP_CLI_COPY :
		    IMAP_CLI_CREATE);
	else
		enter_state(c, c->deleted_any ? IMAP_CLI_EXPUNGE :
		    IMAP_CLI_LOGOUT);
}

/* After the summary: which bodies to fetch. */
static void
choose(struct imap_cli *c)
{
	size_t i;

	for (i = 0; i < c->count; i++) {
		struct cli_msg *m = &c->msgs[i];

		m->want = m->summary && !(m->flags & IMAP_FLAG_DELETED) &&
		    (c->fetch_all || !(m->flags & IMAP_FLAG_SEEN));
		if (m->want && m->size > c->msg_max) {
			m->want = 0;
			c->status = NL_ELIMIT;	/* left on the server */
		}
	}
}

/* The one response handler: the tagged completion of the command sent
 * in the current state (or the greeting), with the untagged data
 * collected before it. ok: 1 for OK, 0 for NO or BAD. */
static void
response(struct imap_cli *c, int ok)
{
	switch (c->state) {
	case IMAP_CLI_GREETING:
		if (ok)
			enter_state(c, IMAP_CLI_LOGIN);
		else
			fail(c, NL_ECONNREFUSED, "the server refused the session");
		return;
	case IMAP_CLI_LOGIN:
		if (ok) {
			enter_state(c, c->move_to[0] != '\0' ? IMAP_CLI_LIST :
			    IMAP_CLI_SELECT);
			return;
		}
		c->status = NL_EINVAL;
		enter_state(c, IMAP_CLI_LOGOUT);
		return;
	case IMAP_CLI_LIST:
		/* A refused LIST tells nothing: CREATE will ask. */
		enter_state(c, IMAP_CLI_SELECT);
		return;
	case IMAP_CLI_SELECT:
		if (!ok) {
			c->status = NL_ENOTFOUND;
			enter_state(c, IMAP_CLI_LOGOUT);
			return;
		}
		enter_state(c, c->count > 0 ? IMAP_CLI_SUMMARY :
		    IMAP_CLI_LOGOUT);
		return;
	case IMAP_CLI_SUMMARY:
		if (!ok) {
			c->status = NL_EIO;
			enter_state(c, IMAP_CLI_LOGOUT);
			return;
		}
		choose(c);
		next_body(c, 0);
		return;
	case IMAP_CLI_BODY:
		if (!ok || !c->msgs[c->cur].got) {
			/* Not received, so neither flagged nor deleted. */
			c->status = NL_EIO;
			next_body(c, c->cur + 1);
			return;
		}
		if (c->peek || c->delete_after)
			enter_state(c, IMAP_CLI_STORE);
		else
			next_body(c, c->cur + 1);
		return;
	case IMAP_CLI_STORE:
		if (!ok)
			c->status = NL_EIO;
		else if (c->delete_after)
			c->deleted_any = 1;
		next_body(c, c->cur + 1);
		return;
	case IMAP_CLI_CREATE:
		/* NO [ALREADYEXISTS] is no obstacle: COPY tells. */
		enter_state(c, IMAP_CLI_COPY);
		return;
	case IMAP_CLI_COPY:
		if (!ok) {
			/* Nothing filed: the messages stay where they are. */
			c->status = NL_EIO;
			enter_state(c, c->deleted_any ? IMAP_CLI_EXPUNGE :
			    IMAP_CLI_LOGOUT);
			return;
		}
		c->copied = count_got(c);
		enter_state(c, IMAP_CLI_MARK_DELETED);
		return;
	case IMAP_CLI_MARK_DELETED:
		if (!ok) {
			/* Copied but not removed: both places hold them. */
			c->status = NL_EIO;
			enter_state(c, c->deleted_any ? IMAP_CLI_EXPUNGE :
			    IMAP_CLI_LOGOUT);
			return;
		}
		c->deleted_any = 1;
		enter_state(c, IMAP_CLI_EXPUNGE);
		return;
	case IMAP_CLI_EXPUNGE:
		if (!ok)
			c->status = NL_EIO;
		else if (c->move_to[0] != '\0')
			c->moved = c->copied;
		enter_state(c, IMAP_CLI_LOGOUT);
		return;
	case IMAP_CLI_LOGOUT:
		set_state(c, IMAP_CLI_DONE);
		return;
	case IMAP_CLI_DONE:
	case IMAP_CLI_FAILED:
		return;
	}
}

/* ---- Untagged data ------------------------------------------------------- */

/* Grows the table to n messages (up to the cap). */
static void
grow(struct imap_cli *c, size_t n)
{
	struct cli_msg *m;

	n = NL_MIN(n, (size_t)CLI_MSGS_MAX);
	if (n <= c->count)
		return;
	m = nl_realloc(c->msgs, n * sizeof *m);
	if (m == NULL) {
		c->err = NL_ENOMEM;
		return;
	}
	memset(m + c->count, 0, (n - c->count) * sizeof *m);
	c->msgs = m;
	c->count = n;
}

/* "* n FETCH (...)" (RFC 3501 7.4.2): what it says goes to the table
 * and to the glue. */
static void
fetch_data(struct imap_cli *c, uint32_t seq, struct imap_parser *ps)
{
	struct imap_cli_msg m;
	struct imap_envelope env;
	struct cli_msg *t = seq >= 1 && seq <= c->count ? &c->msgs[seq - 1] :
	    NULL;
	char name[64];
	int first = 1;

	memset(&m, 0, sizeof m);
	m.seq = seq;
	if (imap_p_char(ps, '(') != NL_OK)
		goto bad;
	while (imap_p_peek(ps) != ')') {
		struct imap_str s;
		uint32_t v;

		if (!first && imap_p_sp(ps) != NL_OK)
			goto bad;
		first = 0;
		if (imap_p_item_name(ps, name, sizeof name) != NL_OK ||
		    imap_p_sp(ps) != NL_OK)
			goto bad;
		if (strcmp(name, "FLAGS") == 0) {
			if (imap_p_flag_list(ps, &m.flags, 1) != NL_OK)
				goto bad;
			m.have |= IMAP_HAVE_FLAGS;
		} else if (strcmp(name, "UID") == 0) {
			if (imap_p_number(ps, &v) != NL_OK)
				goto bad;
			m.uid = v;
			m.have |= IMAP_HAVE_UID;
		} else if (strcmp(name, "RFC822.SIZE") == 0) {
			if (imap_p_number(ps, &v) != NL_OK)
				goto bad;
			m.size = v;
			m.have |= IMAP_HAVE_SIZE;
		} else if (strcmp(name, "ENVELOPE") == 0) {
			if (imap_p_envelope(ps, &env) != NL_OK)
				goto bad;
			m.env = &env;
			m.have |= IMAP_HAVE_ENVELOPE;
		} else if (strcmp(name, "BODY[]") == 0 ||
		    strcmp(name, "RFC822") == 0) {
			if (imap_p_nstring_raw(ps, &s) != NL_OK)
				goto bad;
			m.body = s.p;
			m.body_len = s.len;
			m.have |= IMAP_HAVE_BODY;
		} else if (imap_p_skip_value(ps) != NL_OK) {
			goto bad;
		}
	}
	if (imap_p_char(ps, ')') != NL_OK || !imap_p_eof(ps))
		goto bad;
	if (t != NULL) {
		if (m.have & IMAP_HAVE_UID)
			t->uid = m.uid;
		if (m.have & IMAP_HAVE_FLAGS)
			t->flags = m.flags;
		if (m.have & IMAP_HAVE_SIZE)
			t->size = m.size;
		if (c->state == IMAP_CLI_SUMMARY)
			t->summary = 1;
		if ((m.have & IMAP_HAVE_BODY) && c->state == IMAP_CLI_BODY &&
		    seq == c->cur + 1) {
			if (m.body_len > c->msg_max) {
				m.have &= ~IMAP_HAVE_BODY;
				m.body = NULL;
				m.body_len = 0;
			} else {
				t->got = 1;
				c->fetched++;
			}
		}
	}
	if (c->message != NULL)
		c->message(c->arg, &m);
	return;
bad:
	fail(c, NL_EMALFORMED, "malformed FETCH response");
}

/* "* LIST (attributes) delimiter name" (RFC 3501 7.2.2): whether it
 * names move_to. */
static void
list_data(struct imap_cli *c, struct imap_parser *ps)
{
	struct imap_str s;
	char name[IMAP_NAME_MAX + 1];

	if (imap_p_sp(ps) != NL_OK || imap_p_peek(ps) != '(' ||
	    imap_p_skip_value(ps) != NL_OK || imap_p_sp(ps) != NL_OK ||
	    imap_p_skip_value(ps) != NL_OK || imap_p_sp(ps) != NL_OK ||
	    imap_p_astring_raw(ps, &s) != NL_OK || !imap_p_eof(ps)) {
		fail(c, NL_EMALFORMED, "malformed LIST response");
		return;
	}
	/* A name too long or with a NUL is not ours. */
	if (imap_str_copy(&s, name, sizeof name) == NL_OK &&
	    strcmp(name, c->move_to) == 0)
		c->dest_listed = 1;
}

/* One untagged response ("* ..."), collected into the session. */
static void
untagged(struct imap_cli *c, struct imap_parser *ps)
{
	char word[32];
	uint32_t n;

	if (imap_p_sp(ps) != NL_OK)
		goto bad;
	if (imap_p_peek(ps) >= '0' && imap_p_peek(ps) <= '9') {
		/* message-data or mailbox-data with a number first */
		if (imap_p_number(ps, &n) != NL_OK || imap_p_sp(ps) != NL_OK ||
		    imap_p_atom(ps, word, sizeof word) != NL_OK)
			goto bad;
		if (strcmp(word, "EXISTS") == 0) {
			c->exists = n;
			grow(c, n);
		} else if (strcmp(word, "EXPUNGE") == 0) {
			struct imap_cli_msg m;

			if (n == 0)
				goto bad;
			if (n <= c->count) {
				memmove(c->msgs + n - 1, c->msgs + n,
				    (c->count - n) * sizeof *c->msgs);
				c->count--;
			}
			if (c->exists > 0)
				c->exists--;
			memset(&m, 0, sizeof m);
			m.seq = n;
			m.have = IMAP_HAVE_EXPUNGED;
			if (c->message != NULL)
				c->message(c->arg, &m);
		} else if (strcmp(word, "FETCH") == 0) {
			if (imap_p_sp(ps) != NL_OK)
				goto bad;
			fetch_data(c, n, ps);
		}
		/* RECENT and the rest: nothing to keep. */
		return;
	}
	if (imap_p_atom(ps, word, sizeof word) != NL_OK)
		goto bad;
	if (c->state == IMAP_CLI_GREETING) {
		/* The greeting (RFC 3501 7.1): OK, PREAUTH or BYE. */
		if (strcmp(word, "PREAUTH") == 0)
			enter_state(c, c->move_to[0] != '\0' ? IMAP_CLI_LIST :
			    IMAP_CLI_SELECT);
		else
			response(c, strcmp(word, "OK") == 0);
		return;
	}
	if (strcmp(word, "BYE") == 0)
		c->bye = 1;
	else if (strcmp(word, "LIST") == 0 && c->state == IMAP_CLI_LIST)
		list_data(c, ps);
	return;
bad:
	fail(c, NL_EMALFORMED, "malformed untagged response");
}

/* A whole response from the reader. */
static void
handle_response(struct imap_cli *c, const uint8_t *msg, size_t len)
{
	struct imap_parser ps;
	char tag[IMAP_TAG_MAX + 1], cond[8];

	imap_p_init(&ps, msg, len);
	if (imap_p_peek(&ps) == '+') {
		/* A continuation: the next part of the command may go. */
		if (c->sent == 0 || c->sent > c->nseg) {
			fail(c, NL_EMALFORMED, "unexpected continuation");
			return;
		}
		send_part(c);
		return;
	}
	if (imap_p_peek(&ps) == '*') {
		ps.pos++;
		untagged(c, &ps);
		return;
	}
	if (imap_p_tag(&ps, tag, sizeof tag) != NL_OK ||
	    strcmp(tag, c->tag) != 0 || c->state == IMAP_CLI_GREETING) {
		fail(c, NL_EMALFORMED, "response with an unknown tag");
		return;
	}
	if (imap_p_sp(&ps) != NL_OK ||
	    imap_p_atom(&ps, cond, sizeof cond) != NL_OK ||
	    (strcmp(cond, "OK") != 0 && strcmp(cond, "NO") != 0 &&
	    strcmp(cond, "BAD") != 0)) {
		fail(c, NL_EMALFORMED, "malformed tagged response");
		return;
	}
	response(c, strcmp(cond, "OK") == 0);
}

/* ---- Public -------------------------------------------------------------- */

static int
sendable(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	return n > 0 && n <= IMAP_NAME_MAX;
}

/* INBOX in any case (RFC 3501 5.1). */
static int
is_inbox(const char *s)
{
	static const char inbox[] = "INBOX";
	size_t i;

	for (i = 0; i < 5; i++)
		if ((s[i] & 0xdf) != inbox[i])
			return 0;
	return s[5] == '\0';
}

int
imap_mailbox_valid(const char *name)
{
	size_t i, len;

	if (name == NULL)
		return 0;
	len = strlen(name);
	if (len == 0 || len > IMAP_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '%' || ch == '*' ||
		    ch == '&')
			return 0;
		/* No empty level: "/a", "a/", "a//b". */
		if (ch == '/' && (i == 0 || i + 1 == len || name[i + 1] == '/'))
			return 0;
	}
	return 1;
}

struct imap_cli *
imap_cli_new(const struct imap_cli_config *cfg)
{
	struct imap_cli *c;
	const char *mbox = cfg->mailbox != NULL ? cfg->mailbox : "INBOX";

	if (!sendable(cfg->user) || !sendable(cfg->pass) || !sendable(mbox))
		return NULL;
	/* Filing into INBOX would copy the messages back onto themselves. */
	if (cfg->move_to != NULL && (!imap_mailbox_valid(cfg->move_to) ||
	    is_inbox(cfg->move_to)))
		return NULL;
	c = nl_calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	memcpy(c->user, cfg->user, strlen(cfg->user) + 1);
	memcpy(c->pass, cfg->pass, strlen(cfg->pass) + 1);
	memcpy(c->mbox, mbox, strlen(mbox) + 1);
	c->fetch_all = cfg->fetch_all;
	c->peek = cfg->peek;
	/* A move deletes after its COPY, not message by message. */
	c->delete_after = cfg->move_to == NULL && cfg->delete_after;
	if (cfg->move_to != NULL)
		memcpy(c->move_to, cfg->move_to, strlen(cfg->move_to) + 1);
	c->literal_login = cfg->literal_login;
	c->msg_max = cfg->msg_max != 0 ? cfg->msg_max : CLI_MSG_DEFAULT;
	c->event = cfg->event;
	c->message = cfg->message;
	c->arg = cfg->arg;
	c->state = IMAP_CLI_GREETING;
	imap_reader_init(&c->rd, IMAP_CLI_LINE_MAX, c->msg_max,
	    c->msg_max + IMAP_CLI_LINE_MAX);
	nl_dbuf_init(&c->out, IMAP_OUT_MAX);
	nl_dbuf_init(&c->cmd, CLI_CMD_MAX);
	return c;
}

void
imap_cli_free(struct imap_cli *c)
{
	if (c == NULL)
		return;
	imap_reader_free(&c->rd);
	nl_dbuf_free(&c->out);
	nl_dbuf_free(&c->cmd);
	nl_free(c->msgs);
	nl_free(c);
}

enum nl_status
imap_cli_feed(struct imap_cli *c, const uint8_t *data, size_t len)
{
	while (len > 0 && c->err == NL_OK && c->state != IMAP_CLI_DONE &&
	    c->state != IMAP_CLI_FAILED) {
		int lit = imap_reader_in_literal(&c->rd);
		size_t used, n;
		enum imap_rd ev;
		enum nl_status st = imap_reader_feed(&c->rd, data, len, &used,
		    &ev);
		const uint8_t *msg;

		imap_tline_feed(&c->tin, data, used, lit, tin_line, c);
		data += used;
		len -= used;
		if (st != NL_OK) {
			c->err = st;
			break;
		}
		switch (ev) {
		case IMAP_RD_AGAIN:
			break;
		case IMAP_RD_LITERAL:
			/* The server does not wait: take it or skip it. */
			if (imap_reader_literal_fits(&c->rd)) {
				imap_reader_accept(&c->rd);
			} else {
				imap_reader_skip(&c->rd);
				c->skipping = 1;
			}
			break;
		case IMAP_RD_DONE:
			msg = imap_reader_msg(&c->rd, &n);
			handle_response(c, msg, n);
			break;
		case IMAP_RD_TOOLONG:
			if (!c->skipping)
				fail(c, NL_EMALFORMED, "response line too long");
			/* A skipped literal: that response is lost, and the
			 * tagged completion will tell what it means. */
			c->skipping = 0;
			break;
		}
	}
	if (c->err != NL_OK) {
		fail(c, c->err, nl_status_str(c->err));
		return c->err;
	}
	return c->state == IMAP_CLI_DONE || c->state == IMAP_CLI_FAILED ?
	    NL_ECLOSED : NL_OK;
}

void
imap_cli_close(struct imap_cli *c)
{
	fail(c, NL_ECONNRESET, c->bye ? "the server said BYE and closed" :
	    "connection closed before LOGOUT was answered");
}

struct nl_dbuf *
imap_cli_out(struct imap_cli *c)
{
	return &c->out;
}

enum imap_cli_state
imap_cli_state(const struct imap_cli *c)
{
	return c->state;
}

enum nl_status
imap_cli_status(const struct imap_cli *c)
{
	return c->status;
}

size_t
imap_cli_fetched(const struct imap_cli *c)
{
	return c->fetched;
}

size_t
imap_cli_moved(const struct imap_cli *c)
{
	return c->moved;
}
