/* imap_server.c - the IMAP server session (RFC 3501 sections 3, 6 and 7;
 * RFC 9051 where it differs harmlessly): Not Authenticated,
 * Authenticated, Selected and Logout; a table of commands, each with a
 * check (state and arguments, writing its own BAD or NO) and a proceed
 * (OpenSMTPD's smtp_session.c); the mail store behind
 * struct imap_backend_ops, read afresh whenever flags matter, so that
 * two sessions on one store share them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "proto/imap/imap.h"
#include "util/alloc.h"
#include "util/nl.h"

#define GREETING_MAX 128	/* greeting text, with the NUL */
#define SYSTEM_FLAGS "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)"

/* The commands. ORDER SRV_CMD: the rows of commands[] below. */
enum srv_cmd {
	CMD_CAPABILITY,
	CMD_NOOP,
	CMD_LOGOUT,
	CMD_LOGIN,
	CMD_LIST,
	CMD_CREATE,
	CMD_SELECT,
	CMD_EXAMINE,
	CMD_FETCH,
	CMD_STORE,
	CMD_COPY,
	CMD_EXPUNGE,
	CMD_CLOSE
};

/* The current command, as its check function parsed it. */
struct srv_args {
	char tag[IMAP_TAG_MAX + 1];	/* its tag */
	const char *verb;		/* its name, from the table */
	int uid;			/* UID FETCH / STORE / COPY */
	char s1[IMAP_NAME_MAX + 1];	/* user, mailbox, reference, dest */
	char s2[IMAP_NAME_MAX + 1];	/* password, LIST pattern */
	struct imap_seqset set;		/* FETCH, STORE, COPY */
	struct imap_fetch fetch;	/* FETCH items */
	int op;				/* STORE: '+', '-' or '=' */
	int silent;			/* STORE ... .SILENT */
	unsigned flags;			/* STORE flags */
};

struct imap_srv {
	enum imap_srv_state state;	/* changed by set_state() only */
	char greeting[GREETING_MAX];	/* after "* OK " */
	const struct imap_backend_ops *ops; /* the store */
	void *be;			/* the glue's pointer for ops */
	imap_event_fn *event;		/* may be NULL */
	void *event_arg;		/* passed to event */
	struct imap_reader rd;		/* the command being read */
	struct nl_dbuf out;		/* responses not yet drained */
	struct imap_tline tin;		/* client lines, for events */
	struct imap_tline tout;		/* server lines, for events */
	int cmd_start;			/* the next client line starts a
					 * command */
	int in_login;			/* the current command is a LOGIN */
	char user[IMAP_NAME_MAX + 1];	/* who logged in */
	char mbox[IMAP_NAME_MAX + 1];	/* the selected mailbox */
	int readonly;			/* selected by EXAMINE */
	uint32_t uidvalidity;		/* of the selected mailbox */
	uint32_t uidnext;		/* as last seen */
	uint32_t *uids;			/* this session's view: uid of each
					 * sequence number - 1 */
	unsigned *flags;		/* flags as last told to the client */
	size_t count;			/* messages in the view */
	struct srv_args a;		/* the command being handled */
	enum nl_status err;		/* sticky: memory or out-buffer cap */
};

/* ---- Events and output --------------------------------------------------- */

static void
line_event(struct imap_srv *s, int from_client, int secret,
    const uint8_t *line, size_t len, int data, int cut)
{
	struct imap_event ev;

	if (s->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = IMAP_EV_LINE;
	ev.from_client = from_client;
	ev.data = data;
	ev.secret = secret;
	ev.cut = cut;
	ev.text = line;
	ev.len = len;
	s->event(s->event_arg, &ev);
}

/* 1 when a command line is "<tag> LOGIN ...": its lines carry the
 * password. */
static int
is_login(const uint8_t *line, size_t len)
{
	static const char login[] = "LOGIN";
	size_t i = 0, k;

	while (i < len && line[i] != ' ')
		i++;
	for (k = 0, i++; k < 5 && i < len; k++, i++)
		if ((line[i] & 0xdf) != login[k])
			return 0;
	return k == 5 && (i == len || line[i] == ' ');
}

static void
tin_line(void *arg, const uint8_t *line, size_t len, int data, int cut)
{
	struct imap_srv *s = arg;

	if (s->cmd_start) {
		s->cmd_start = 0;
		s->in_login = is_login(line, len);
	}
	line_event(s, 1, s->in_login, line, len, data, cut);
}

static void
tout_line(void *arg, const uint8_t *line, size_t len, int data, int cut)
{
	line_event(arg, 0, 0, line, len, data, cut);
}

/* The one function that changes the state, telling old -> new. */
static void
set_state(struct imap_srv *s, enum imap_srv_state st)
{
	struct imap_event ev;
	enum imap_srv_state old = s->state;

	if (old == st)
		return;
	s->state = st;
	if (s->event == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.kind = IMAP_EV_STATE;
	ev.old_state = (int)old;
	ev.new_state = (int)st;
	ev.old_name = imap_srv_state_str(old);
	ev.new_name = imap_srv_state_str(st);
	s->event(s->event_arg, &ev);
}

/* Bytes from `from` on were just written with status st: on success
 * they go to the events, else the failure sticks. */
static void
wrote(struct imap_srv *s, size_t from, enum nl_status st, int data)
{
	if (st != NL_OK) {
		s->err = st;
		return;
	}
	imap_tline_feed(&s->tout, s->out.data + from, s->out.len - from, data,
	    tout_line, s);
}

/* Appends n bytes; data: they are literal content. */
static void
put_data(struct imap_srv *s, const void *p, size_t n, int data)
{
	size_t from = s->out.len;

	if (s->err == NL_OK)
		wrote(s, from, nl_dbuf_add(&s->out, p, n), data);
}

static void
put(struct imap_srv *s, const void *p, size_t n)
{
	put_data(s, p, n, 0);
}

static void
put_flags(struct imap_srv *s, unsigned flags)
{
	size_t from = s->out.len;

	if (s->err == NL_OK)
		wrote(s, from, imap_w_flags(&s->out, flags & IMAP_FLAG_ALL), 0);
}

static void
put_str(struct imap_srv *s, const char *str)
{
	put(s, str, strlen(str));
}

static void
putf(struct imap_srv *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
putf(struct imap_srv *s, const char *fmt, ...)
{
	char buf[512];
	int k;
	va_list ap;

	va_start(ap, fmt);
	k = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (k > 0)
		put(s, buf, NL_MIN((size_t)k, sizeof buf - 1));
}

/* "<tag> OK|NO|BAD text" ending the current command. */
static void
tagged(struct imap_srv *s, const char *cond, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void
tagged(struct imap_srv *s, const char *cond, const char *fmt, ...)
{
	char buf[512];
	int k;
	va_list ap;

	va_start(ap, fmt);
	k = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (k < 0)
		buf[0] = '\0';
	putf(s, "%s %s %s\r\n", s->a.tag, cond, buf);
}

/* "<VERB> completed", "UID FETCH completed". */
static void
completed(struct imap_srv *s, const char *code)
{
	tagged(s, "OK", "%s%s%s completed", code, s->a.uid ? "UID " : "",
	    s->a.verb);
}

/* ---- The selected mailbox ------------------------------------------------ */

/* The message with this uid in mb, or NULL (expunged meanwhile). */
static const struct imap_msg *
live(const struct imap_mailbox *mb, uint32_t uid)
{
	size_t lo = 0, hi = mb->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (mb->msgs[mid].uid == uid)
			return &mb->msgs[mid];
		if (mb->msgs[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A fresh look at the selected mailbox; 0 (and NO written) if it went. */
static int
fresh(struct imap_srv *s, struct imap_mailbox *mb)
{
	memset(mb, 0, sizeof *mb);
	if (s->ops->select(s->be, s->user, s->mbox, mb) == NL_OK)
		return 1;
	tagged(s, "NO", "Mailbox is gone");
	return 0;
}

static void
view_free(struct imap_srv *s)
{
	nl_free(s->uids);
	nl_free(s->flags);
	s->uids = NULL;
	s->flags = NULL;
	s->count = 0;
}

/* Makes room for n messages in the view. */
static int
view_reserve(struct imap_srv *s, size_t n)
{
	uint32_t *u;
	unsigned *f;

	if (n == 0)
		n = 1;
	u = nl_realloc(s->uids, n * sizeof *u);
	if (u == NULL) {
		s->err = NL_ENOMEM;
		return 0;
	}
	s->uids = u;
	f = nl_realloc(s->flags, n * sizeof *f);
	if (f == NULL) {
		s->err = NL_ENOMEM;
		return 0;
	}
	s->flags = f;
	return 1;
}

static void
view_remove(struct imap_srv *s, size_t i)
{
	memmove(s->uids + i, s->uids + i + 1, (s->count - i - 1) *
	    sizeof *s->uids);
	memmove(s->flags + i, s->flags + i + 1, (s->count - i - 1) *
	    sizeof *s->flags);
	s->count--;
}

/* The key of message i in the current command's sequence set. */
static uint32_t
key_of(const struct imap_srv *s, size_t i)
{
	return s->a.uid ? s->uids[i] : (uint32_t)(i + 1);
}

/* What "*" stands for in the current command. */
static uint32_t
star_of(const struct imap_srv *s)
{
	if (!s->a.uid)
		return (uint32_t)s->count;
	return s->count > 0 ? s->uids[s->count - 1] : 0;
}

/* ---- Checks: state and arguments; each writes its own refusal ---------- */

#define ST_NOTAUTH (1u << IMAP_SRV_NOT_AUTHENTICATED)
#define ST_AUTH (1u << IMAP_SRV_AUTHENTICATED)
#define ST_SELECTED (1u << IMAP_SRV_SELECTED)
#define ST_ANY (ST_NOTAUTH | ST_AUTH | ST_SELECTED)

static int
want_state(struct imap_srv *s, unsigned mask)
{
	if (mask & (1u << s->state))
		return 1;
	tagged(s, "BAD", "%s not allowed in the %s state", s->a.verb,
	    imap_srv_state_str(s->state));
	return 0;
}

static int
want_end(struct imap_srv *s, struct imap_parser *ps)
{
	if (imap_p_eof(ps))
		return 1;
	tagged(s, "BAD", "Unexpected arguments to %s", s->a.verb);
	return 0;
}

/* SP astring into out; the refusal is written on failure. */
static int
want_astring(struct imap_srv *s, struct imap_parser *ps, char *out,
    size_t outsz, int list)
{
	struct imap_str str;
	enum nl_status st;

	if (imap_p_sp(ps) != NL_OK || (list ?
	    imap_p_list_mailbox_raw(ps, &str) :
	    imap_p_astring_raw(ps, &str)) != NL_OK) {
		tagged(s, "BAD", "Invalid arguments to %s", s->a.verb);
		return 0;
	}
	st = imap_str_copy(&str, out, outsz);
	if (st != NL_OK) {
		tagged(s, "BAD", st == NL_ELIMIT ? "Argument too long" :
		    "NUL in argument");
		return 0;
	}
	return 1;
}

/* INBOX in any case is INBOX (RFC 3501 5.1). */
static void
canon_mailbox(char *name)
{
	static const char inbox[] = "INBOX";
	size_t i;

	for (i = 0; i < 5; i++)
		if ((name[i] & 0xdf) != inbox[i])
			return;
	if (name[5] == '\0')
		memcpy(name, inbox, 5);
}

static int
want_mailbox(struct imap_srv *s, struct imap_parser *ps, char *out,
    size_t outsz)
{
	if (!want_astring(s, ps, out, outsz, 0))
		return 0;
	canon_mailbox(out);
	return 1;
}

/* SP sequence-set; sequence numbers must name messages of the view. */
static int
want_set(struct imap_srv *s, struct imap_parser *ps)
{
	enum nl_status st;

	if (imap_p_sp(ps) != NL_OK ||
	    (st = imap_p_seqset(ps, &s->a.set)) != NL_OK) {
		tagged(s, "BAD", "Invalid sequence set");
		return 0;
	}
	if (!s->a.uid && (s->count == 0 || imap_seqset_max(&s->a.set) >
	    s->count)) {
		tagged(s, "BAD", "Invalid message sequence number");
		return 0;
	}
	return 1;
}

static int
check_plain(struct imap_srv *s, struct imap_parser *ps, unsigned mask)
{
	return want_state(s, mask) && want_end(s, ps);
}

static int
check_any(struct imap_srv *s, struct imap_parser *ps)
{
	return check_plain(s, ps, ST_ANY);
}

static int
check_login(struct imap_srv *s, struct imap_parser *ps)
{
	return want_state(s, ST_NOTAUTH) &&
	    want_astring(s, ps, s->a.s1, sizeof s->a.s1, 0) &&
	    want_astring(s, ps, s->a.s2, sizeof s->a.s2, 0) && want_end(s, ps);
}

static int
check_list(struct imap_srv *s, struct imap_parser *ps)
{
	return want_state(s, ST_AUTH | ST_SELECTED) &&
	    want_astring(s, ps, s->a.s1, sizeof s->a.s1, 0) &&
	    want_astring(s, ps, s->a.s2, sizeof s->a.s2, 1) && want_end(s, ps);
}

static int
check_mailbox(struct imap_srv *s, struct imap_parser *ps)
{
	return want_state(s, ST_AUTH | ST_SELECTED) &&
	    want_mailbox(s, ps, s->a.s1, sizeof s->a.s1) && want_end(s, ps);
}

/* A name the store may create: printable ASCII, no wildcards, no empty
 * level (RFC 3501 5.1). */
static int
check_create(struct imap_srv *s, struct imap_parser *ps)
{
	const char *n = s->a.s1;
	size_t i, len;

	if (!check_mailbox(s, ps))
		return 0;
	len = strlen(n);
	for (i = 0; i < len; i++)
		if ((unsigned char)n[i] < 0x20 || (unsigned char)n[i] >= 0x7f ||
		    n[i] == '%' || n[i] == '*' ||
		    (n[i] == '/' && (i == 0 || i + 1 == len || n[i + 1] == '/')))
			break;
	if (len == 0 || i < len) {
		tagged(s, "NO", "[CANNOT] Invalid mailbox name");
		return 0;
	}
	return 1;
}

static int
check_fetch(struct imap_srv *s, struct imap_parser *ps)
{
	enum nl_status st = NL_EMALFORMED;

	if (!want_state(s, ST_SELECTED) || !want_set(s, ps))
		return 0;
	if (imap_p_sp(ps) != NL_OK ||
	    (st = imap_p_fetch_atts(ps, &s->a.fetch)) != NL_OK) {
		tagged(s, "BAD", st == NL_EUNSUPPORTED ?
		    "Fetch item not supported" : "Invalid fetch items");
		return 0;
	}
	return want_end(s, ps);
}

/* store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP
 *                   (flag-list / (flag *(SP flag))) */
static int
check_store(struct imap_srv *s, struct imap_parser *ps)
{
	char item[32];
	size_t i;
	enum nl_status st = NL_OK;
	unsigned bit;

	if (!want_state(s, ST_SELECTED) || !want_set(s, ps))
		return 0;
	if (imap_p_sp(ps) != NL_OK)
		goto bad;
	s->a.op = '=';
	if (imap_p_peek(ps) == '+' || imap_p_peek(ps) == '-')
		s->a.op = ps->p[ps->pos++];
	if (imap_p_atom(ps, item, sizeof item) != NL_OK)
		goto bad;
	for (i = 0; item[i] != '\0'; i++)
		if (item[i] >= 'a' && item[i] <= 'z')
			item[i] = (char)(item[i] - 'a' + 'A');
	if (strcmp(item, "FLAGS.SILENT") == 0)
		s->a.silent = 1;
	else if (strcmp(item, "FLAGS") != 0)
		goto bad;
	if (imap_p_sp(ps) != NL_OK)
		goto bad;
	if (imap_p_peek(ps) == '(') {
		st = imap_p_flag_list(ps, &s->a.flags, 0);
	} else {
		for (;;) {
			if ((st = imap_p_flag(ps, &bit)) != NL_OK)
				break;
			s->a.flags |= bit;
			if (imap_p_eof(ps) || imap_p_sp(ps) != NL_OK)
				break;
		}
	}
	if (st == NL_EUNSUPPORTED) {
		tagged(s, "BAD", "Only system flags can be stored");
		return 0;
	}
	if (st != NL_OK) {
		tagged(s, "BAD", "Invalid flags");
		return 0;
	}
	if (!want_end(s, ps))
		return 0;
	if (s->readonly) {
		tagged(s, "NO", "[READ-ONLY] Mailbox is read-only");
		return 0;
	}
	return 1;
bad:
	tagged(s, "BAD", "Invalid arguments to STORE");
	return 0;
}

static int
check_copy(struct imap_srv *s, struct imap_parser *ps)
{
	return want_state(s, ST_SELECTED) && want_set(s, ps) &&
	    want_mailbox(s, ps, s->a.s1, sizeof s->a.s1) && want_end(s, ps);
}

static int
check_expunge(struct imap_srv *s, struct imap_parser *ps)
{
	if (!check_plain(s, ps, ST_SELECTED))
		return 0;
	if (s->readonly) {
		tagged(s, "NO", "[READ-ONLY] Mailbox is read-only");
		return 0;
	}
	return 1;
}

static int
check_close(struct imap_srv *s, struct imap_parser *ps)
{
	return check_plain(s, ps, ST_SELECTED);
}

/* ---- Proceed ------------------------------------------------------------- */

static void
do_capability(struct imap_srv *s)
{
	put_str(s, "* CAPABILITY IMAP4rev1\r\n");
	completed(s, "");
}

/* Expunged messages, changed flags and new messages since the view was
 * last brought up to date (RFC 3501 7.4.1, 7.3.1, 7.4.2). */
static void
refresh(struct imap_srv *s)
{
	struct imap_mailbox mb;
	const struct imap_msg *m;
	size_t i, old;

	memset(&mb, 0, sizeof mb);
	if (s->ops->select(s->be, s->user, s->mbox, &mb) != NL_OK)
		return;
	for (i = 0; i < s->count;) {
		if (live(&mb, s->uids[i]) != NULL) {
			i++;
			continue;
		}
		view_remove(s, i);
		putf(s, "* %zu EXPUNGE\r\n", i + 1);
	}
	for (i = 0; i < s->count; i++) {
		m = live(&mb, s->uids[i]);
		if ((m->flags & IMAP_FLAG_ALL) == s->flags[i])
			continue;
		s->flags[i] = m->flags & IMAP_FLAG_ALL;
		putf(s, "* %zu FETCH (FLAGS ", i + 1);
		put_flags(s, s->flags[i]);
		put_str(s, ")\r\n");
	}
	old = s->count;
	for (i = 0; i < mb.count; i++) {
		if (s->count > 0 && mb.msgs[i].uid <= s->uids[s->count - 1])
			continue;
		if (!view_reserve(s, s->count + 1))
			return;
		s->uids[s->count] = mb.msgs[i].uid;
		s->flags[s->count] = mb.msgs[i].flags & IMAP_FLAG_ALL;
		s->count++;
	}
	if (s->count != old)
		putf(s, "* %zu EXISTS\r\n", s->count);
	s->uidnext = mb.uidnext;
}

static void
do_noop(struct imap_srv *s)
{
	if (s->state == IMAP_SRV_SELECTED)
		refresh(s);
	completed(s, "");
}

static void
do_logout(struct imap_srv *s)
{
	put_str(s, "* BYE IMAP4rev1 Server logging out\r\n");
	completed(s, "");
	view_free(s);
	set_state(s, IMAP_SRV_LOGOUT);
}

static void
do_login(struct imap_srv *s)
{
	if (s->ops->login(s->be, s->a.s1, s->a.s2) != NL_OK) {
		tagged(s, "NO", "[AUTHENTICATIONFAILED] Invalid credentials");
		return;
	}
	memcpy(s->user, s->a.s1, sizeof s->user);
	set_state(s, IMAP_SRV_AUTHENTICATED);
	completed(s, "");
}

/* '*' matches anything, '%' anything but the delimiter "/" (RFC 3501
 * 6.3.8). A table over the name, so a pattern full of stars stays
 * linear per character: no backtracking blow-up. */
static int
match(const char *pat, const char *name)
{
	unsigned char row[IMAP_NAME_MAX * 2 + 2], next[sizeof row];
	size_t n = strlen(name), i, j;

	if (n + 1 > sizeof row)
		return 0;
	memset(row, 0, n + 1);
	row[0] = 1;
	for (i = 0; pat[i] != '\0'; i++) {
		char c = pat[i];

		memset(next, 0, n + 1);
		if (c == '*' || c == '%') {
			int on = 0;

			for (j = 0; j <= n; j++) {
				if (row[j])
					on = 1;
				next[j] = (unsigned char)on;
				if (c == '%' && j < n && name[j] == '/')
					on = row[j + 1];
			}
		} else {
			for (j = 0; j < n; j++)
				next[j + 1] = (unsigned char)(row[j] &&
				    name[j] == c);
		}
		memcpy(row, next, n + 1);
	}
	return row[n];
}

struct list_ctx {
	struct imap_srv *s;		/* the session */
	char pat[IMAP_NAME_MAX * 2 + 1]; /* reference and pattern joined */
};

static void
list_one(void *arg, const char *name)
{
	struct list_ctx *l = arg;
	struct imap_srv *s = l->s;
	char up[IMAP_NAME_MAX * 2 + 1];
	size_t i, from;
	int hit = match(l->pat, name);

	if (!hit && strcmp(name, "INBOX") == 0) {
		/* INBOX matches its name in any case. */
		for (i = 0; l->pat[i] != '\0' && i + 1 < sizeof up; i++)
			up[i] = (char)(l->pat[i] >= 'a' && l->pat[i] <= 'z' ?
			    l->pat[i] - 32 : l->pat[i]);
		up[i] = '\0';
		hit = match(up, name);
	}
	if (!hit)
		return;
	put_str(s, "* LIST () \"/\" ");
	from = s->out.len;
	if (s->err == NL_OK)
		wrote(s, from, imap_w_astring(&s->out, name, strlen(name)), 0);
	put_str(s, "\r\n");
}

static void
do_list(struct imap_srv *s)
{
	struct list_ctx l;

	if (s->a.s2[0] == '\0') {
		/* RFC 3501 6.3.8: the delimiter and the root. */
		put_str(s, "* LIST (\\Noselect) \"/\" \"\"\r\n");
		completed(s, "");
		return;
	}
	l.s = s;
	snprintf(l.pat, sizeof l.pat, "%s%s", s->a.s1, s->a.s2);
	if (s->ops->list(s->be, s->user, list_one, &l) != NL_OK) {
		tagged(s, "NO", "LIST failed");
		return;
	}
	completed(s, "");
}

static void
do_create(struct imap_srv *s)
{
	enum nl_status st = s->ops->create(s->be, s->user, s->a.s1);

	if (st == NL_EEXIST)
		tagged(s, "NO", "[ALREADYEXISTS] Mailbox already exists");
	else if (st != NL_OK)
		tagged(s, "NO", "[CANNOT] CREATE failed");
	else
		completed(s, "");
}

/* SELECT and EXAMINE (RFC 3501 6.3.1, 6.3.2). */
static void
do_select(struct imap_srv *s)
{
	struct imap_mailbox mb;
	size_t i, unseen = 0;
	int examine = s->a.verb[0] == 'E';

	/* A failed SELECT leaves no mailbox selected. */
	view_free(s);
	s->mbox[0] = '\0';
	set_state(s, IMAP_SRV_AUTHENTICATED);
	memset(&mb, 0, sizeof mb);
	if (s->ops->select(s->be, s->user, s->a.s1, &mb) != NL_OK) {
		tagged(s, "NO", "[NONEXISTENT] Mailbox does not exist");
		return;
	}
	if (!view_reserve(s, mb.count))
		return;
	for (i = 0; i < mb.count; i++) {
		s->uids[i] = mb.msgs[i].uid;
		s->flags[i] = mb.msgs[i].flags & IMAP_FLAG_ALL;
		if (unseen == 0 && !(s->flags[i] & IMAP_FLAG_SEEN))
			unseen = i + 1;
	}
	s->count = mb.count;
	memcpy(s->mbox, s->a.s1, sizeof s->mbox);
	s->readonly = examine;
	s->uidvalidity = mb.uidvalidity;
	s->uidnext = mb.uidnext;
	putf(s, "* %zu EXISTS\r\n", s->count);
	put_str(s, "* 0 RECENT\r\n");
	if (unseen != 0)
		putf(s, "* OK [UNSEEN %zu] Message %zu is first unseen\r\n",
		    unseen, unseen);
	putf(s, "* OK [UIDVALIDITY %u] UIDs valid\r\n",
	    (unsigned)s->uidvalidity);
	putf(s, "* OK [UIDNEXT %u] Predicted next UID\r\n",
	    (unsigned)s->uidnext);
	put_str(s, "* FLAGS " SYSTEM_FLAGS "\r\n");
	if (examine)
		put_str(s, "* OK [PERMANENTFLAGS ()] No permanent flags "
		    "permitted\r\n");
	else
		put_str(s, "* OK [PERMANENTFLAGS " SYSTEM_FLAGS "] Limited\r\n");
	set_state(s, IMAP_SRV_SELECTED);
	completed(s, examine ? "[READ-ONLY] " : "[READ-WRITE] ");
}

/* One "* n FETCH (...)" for message i (RFC 3501 7.4.2). */
static void
fetch_one(struct imap_srv *s, size_t i, struct imap_mailbox *mb)
{
	const struct imap_fetch *f = &s->a.fetch;
	const struct imap_msg *m = live(mb, s->uids[i]);
	size_t k, hlen;
	int seen_now = 0, has_flags = 0, first = 1;

	if (m == NULL)
		return;		/* expunged by another session: skipped */
	for (k = 0; k < f->n; k++) {
		has_flags |= f->item[k].fa == IMAP_FA_FLAGS;
		if ((f->item[k].fa == IMAP_FA_BODY ||
		    f->item[k].fa == IMAP_FA_BODY_HEADER ||
		    f->item[k].fa == IMAP_FA_BODY_TEXT) && !f->item[k].peek &&
		    !s->readonly && !(m->flags & IMAP_FLAG_SEEN))
			seen_now = 1;
	}
	if (seen_now) {
		/* BODY[] sets \Seen (6.4.5); BODY.PEEK[] and EXAMINE do
		 * not. The store's pointers change: look again. */
		if (s->ops->set_flags(s->be, s->user, s->mbox, m->uid,
		    (m->flags | IMAP_FLAG_SEEN) & IMAP_FLAG_ALL) != NL_OK ||
		    s->ops->select(s->be, s->user, s->mbox, mb) != NL_OK ||
		    (m = live(mb, s->uids[i])) == NULL) {
			memset(mb, 0, sizeof *mb);
			return;
		}
	}
	imap_msg_split(m->data, m->size, &hlen);
	putf(s, "* %zu FETCH (", i + 1);
	if (s->a.uid) {
		/* UID FETCH always answers with the UID (6.4.8). */
		putf(s, "UID %u", (unsigned)m->uid);
		first = 0;
	}
	if (seen_now && !has_flags) {
		/* The flags changed: say so (6.4.5), before any literal so
		 * the line stays readable. */
		put_str(s, first ? "FLAGS " : " FLAGS ");
		put_flags(s, m->flags);
		first = 0;
	}
	for (k = 0; k < f->n && s->err == NL_OK; k++) {
		const struct imap_fetch_item *it = &f->item[k];
		const uint8_t *p = m->data;
		size_t n = m->size, from;
		const char *name = "";

		if (it->fa == IMAP_FA_UID && s->a.uid)
			continue;
		if (!first)
			put_str(s, " ");
		first = 0;
		switch (it->fa) {
		case IMAP_FA_FLAGS:
			put_str(s, "FLAGS ");
			put_flags(s, m->flags);
			continue;
		case IMAP_FA_UID:
			putf(s, "UID %u", (unsigned)m->uid);
			continue;
		case IMAP_FA_RFC822_SIZE:
			putf(s, "RFC822.SIZE %zu", m->size);
			continue;
		case IMAP_FA_INTERNALDATE:
			put_str(s, "INTERNALDATE ");
			from = s->out.len;
			if (s->err == NL_OK)
				wrote(s, from, imap_w_date(&s->out, m->date), 0);
			continue;
		case IMAP_FA_ENVELOPE:
			put_str(s, "ENVELOPE ");
			from = s->out.len;
			if (s->err == NL_OK)
				wrote(s, from, imap_w_envelope(&s->out, m->data,
				    m->size), 0);
			continue;
		case IMAP_FA_BODY:
			name = it->rfc822 ? "RFC822" : "BODY[]";
			break;
		case IMAP_FA_BODY_HEADER:
			name = it->rfc822 ? "RFC822.HEADER" : "BODY[HEADER]";
			n = hlen;
			break;
		case IMAP_FA_BODY_TEXT:
			name = it->rfc822 ? "RFC822.TEXT" : "BODY[TEXT]";
			p += hlen;
			n -= hlen;
			break;
		}
		/* The message as a literal (4.3): the client needs no
		 * quoting rules, and the bytes go as they are. */
		putf(s, "%s {%zu}\r\n", name, n);
		put_data(s, p, n, 1);
	}
	put_str(s, ")\r\n");
	s->flags[i] = m->flags & IMAP_FLAG_ALL;
}

static void
do_fetch(struct imap_srv *s)
{
	struct imap_mailbox mb;
	uint32_t star = star_of(s);
	size_t i;

	if (!fresh(s, &mb))
		return;
	for (i = 0; i < s->count && s->err == NL_OK; i++)
		if (imap_seqset_has(&s->a.set, key_of(s, i), star))
			fetch_one(s, i, &mb);
	completed(s, "");
}

static void
do_store(struct imap_srv *s)
{
	struct imap_mailbox mb;
	uint32_t star = star_of(s);
	size_t i;

	if (!fresh(s, &mb))
		return;
	for (i = 0; i < s->count && s->err == NL_OK; i++) {
		const struct imap_msg *m;
		unsigned now;

		if (!imap_seqset_has(&s->a.set, key_of(s, i), star))
			continue;
		m = live(&mb, s->uids[i]);
		if (m == NULL)
			continue;
		now = s->a.op == '+' ? m->flags | s->a.flags :
		    s->a.op == '-' ? m->flags & ~s->a.flags : s->a.flags;
		now &= IMAP_FLAG_ALL;
		if (now != (m->flags & IMAP_FLAG_ALL) &&
		    (s->ops->set_flags(s->be, s->user, s->mbox, s->uids[i],
		    now) != NL_OK ||
		    s->ops->select(s->be, s->user, s->mbox, &mb) != NL_OK)) {
			tagged(s, "NO", "STORE failed");
			return;
		}
		s->flags[i] = now;
		if (s->a.silent)
			continue;
		putf(s, "* %zu FETCH (", i + 1);
		if (s->a.uid)
			putf(s, "UID %u ", (unsigned)s->uids[i]);
		put_str(s, "FLAGS ");
		put_flags(s, now);
		put_str(s, ")\r\n");
	}
	completed(s, "");
}

static void
do_copy(struct imap_srv *s)
{
	struct imap_mailbox mb;
	uint32_t star = star_of(s);
	size_t i;
	enum nl_status st;

	memset(&mb, 0, sizeof mb);
	if (s->ops->select(s->be, s->user, s->a.s1, &mb) != NL_OK) {
		tagged(s, "NO", "[TRYCREATE] Mailbox does not exist");
		return;
	}
	for (i = 0; i < s->count; i++) {
		if (!imap_seqset_has(&s->a.set, key_of(s, i), star))
			continue;
		st = s->ops->copy(s->be, s->user, s->mbox, s->uids[i], s->a.s1);
		if (st != NL_OK && st != NL_ENOTFOUND) {
			tagged(s, "NO", "COPY failed");
			return;
		}
	}
	completed(s, "");
}

/* Removes every message flagged \Deleted; tells each one's number unless
 * quiet (CLOSE). */
static void
expunge(struct imap_srv *s, int quiet)
{
	struct imap_mailbox mb;
	size_t i;

	memset(&mb, 0, sizeof mb);
	if (s->ops->select(s->be, s->user, s->mbox, &mb) != NL_OK)
		return;
	for (i = 0; i < s->count && s->err == NL_OK;) {
		const struct imap_msg *m = live(&mb, s->uids[i]);

		if (m == NULL || !(m->flags & IMAP_FLAG_DELETED)) {
			i++;
			continue;
		}
		if (s->ops->expunge(s->be, s->user, s->mbox, s->uids[i]) !=
		    NL_OK)
			return;
		view_remove(s, i);
		if (!quiet)
			putf(s, "* %zu EXPUNGE\r\n", i + 1);
		if (s->ops->select(s->be, s->user, s->mbox, &mb) != NL_OK)
			return;
	}
}

static void
do_expunge(struct imap_srv *s)
{
	expunge(s, 0);
	completed(s, "");
}

static void
do_close(struct imap_srv *s)
{
	if (!s->readonly)
		expunge(s, 1);
	view_free(s);
	s->mbox[0] = '\0';
	set_state(s, IMAP_SRV_AUTHENTICATED);
	completed(s, "");
}

/* One row per command: check verifies the state and arguments and
 * writes the refusal itself; proceed does the work and moves the state
 * (OpenSMTPD's commands[] in smtp_session.c). ORDER SRV_CMD. */
static const struct srv_cmd_row {
	enum srv_cmd id;	/* the command */
	const char *verb;	/* its name */
	int (*check)(struct imap_srv *, struct imap_parser *);
	void (*proceed)(struct imap_srv *);
} commands[] = {
	{ CMD_CAPABILITY, "CAPABILITY", check_any, do_capability },
	{ CMD_NOOP, "NOOP", check_any, do_noop },
	{ CMD_LOGOUT, "LOGOUT", check_any, do_logout },
	{ CMD_LOGIN, "LOGIN", check_login, do_login },
	{ CMD_LIST, "LIST", check_list, do_list },
	{ CMD_CREATE, "CREATE", check_create, do_create },
	{ CMD_SELECT, "SELECT", check_mailbox, do_select },
	{ CMD_EXAMINE, "EXAMINE", check_mailbox, do_select },
	{ CMD_FETCH, "FETCH", check_fetch, do_fetch },
	{ CMD_STORE, "STORE", check_store, do_store },
	{ CMD_COPY, "COPY", check_copy, do_copy },
	{ CMD_EXPUNGE, "EXPUNGE", check_expunge, do_expunge },
	{ CMD_CLOSE, "CLOSE", check_close, do_close },
};

static const struct srv_cmd_row *
find_cmd(const char *verb)
{
	size_t i, k;

	for (i = 0; i < NL_ARRAY_LEN(commands); i++) {
		const char *v = commands[i].verb;

		for (k = 0; v[k] != '\0' && (verb[k] & 0xdf) == v[k]; k++)
			;
		if (v[k] == '\0' && verb[k] == '\0')
			return &commands[i];
	}
	return NULL;
}

/* A whole command from the reader (RFC 3501 9: tag SP command). */
static void
handle_command(struct imap_srv *s, const uint8_t *msg, size_t len)
{
	struct imap_parser ps;
	const struct srv_cmd_row *row;
	char verb[16];

	memset(&s->a, 0, sizeof s->a);
	s->a.verb = "";
	imap_p_init(&ps, msg, len);
	if (imap_p_tag(&ps, s->a.tag, sizeof s->a.tag) != NL_OK) {
		put_str(s, "* BAD Missing or invalid tag\r\n");
		return;
	}
	if (imap_p_sp(&ps) != NL_OK ||
	    imap_p_atom(&ps, verb, sizeof verb) != NL_OK) {
		tagged(s, "BAD", "Missing or invalid command");
		return;
	}
	row = find_cmd(verb);
	if (row == NULL && (verb[0] & 0xdf) == 'U' && (verb[1] & 0xdf) == 'I' &&
	    (verb[2] & 0xdf) == 'D' && verb[3] == '\0') {
		s->a.uid = 1;
		if (imap_p_sp(&ps) != NL_OK ||
		    imap_p_atom(&ps, verb, sizeof verb) != NL_OK ||
		    (row = find_cmd(verb)) == NULL ||
		    (row->id != CMD_FETCH && row->id != CMD_STORE &&
		    row->id != CMD_COPY)) {
			s->a.uid = 0;
			tagged(s, "BAD", "UID takes FETCH, STORE or COPY");
			return;
		}
	}
	if (row == NULL) {
		tagged(s, "BAD", "Unknown command");
		return;
	}
	s->a.verb = row->verb;
	if (row->check(s, &ps))
		row->proceed(s);
}

/* A command that went over a limit: BAD with its tag if it has one. */
static void
refuse(struct imap_srv *s, const char *why)
{
	struct imap_parser ps;
	const uint8_t *msg;
	size_t len;

	msg = imap_reader_msg(&s->rd, &len);
	imap_p_init(&ps, msg, len);
	memset(&s->a, 0, sizeof s->a);
	if (imap_p_tag(&ps, s->a.tag, sizeof s->a.tag) != NL_OK ||
	    (!imap_p_eof(&ps) && imap_p_peek(&ps) != ' '))
		putf(s, "* BAD %s\r\n", why);
	else
		tagged(s, "BAD", "%s", why);
}

/* ---- Public -------------------------------------------------------------- */

struct imap_srv *
imap_srv_new(const struct imap_srv_config *cfg)
{
	struct imap_srv *s = nl_calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->state = IMAP_SRV_CONNECTED;
	snprintf(s->greeting, sizeof s->greeting, "%s",
	    cfg->greeting != NULL ? cfg->greeting : "IMAP4rev1 Service Ready");
	s->ops = cfg->ops;
	s->be = cfg->be;
	s->event = cfg->event;
	s->event_arg = cfg->event_arg;
	s->cmd_start = 1;
	imap_reader_init(&s->rd, IMAP_LINE_MAX, IMAP_SRV_LITERAL_MAX,
	    IMAP_SRV_CMD_MAX);
	nl_dbuf_init(&s->out, IMAP_OUT_MAX);
	return s;
}

void
imap_srv_free(struct imap_srv *s)
{
	if (s == NULL)
		return;
	view_free(s);
	imap_reader_free(&s->rd);
	nl_dbuf_free(&s->out);
	nl_free(s);
}

enum nl_status
imap_srv_start(struct imap_srv *s)
{
	if (s->state != IMAP_SRV_CONNECTED)
		return NL_ESTATE;
	set_state(s, IMAP_SRV_NOT_AUTHENTICATED);
	putf(s, "* OK %s\r\n", s->greeting);
	return s->err;
}

enum nl_status
imap_srv_feed(struct imap_srv *s, const uint8_t *data, size_t len)
{
	while (len > 0 && s->state != IMAP_SRV_LOGOUT && s->err == NL_OK) {
		int lit = imap_reader_in_literal(&s->rd);
		size_t used;
		enum imap_rd ev;
		enum nl_status st = imap_reader_feed(&s->rd, data, len, &used,
		    &ev);

		imap_tline_feed(&s->tin, data, used, lit, tin_line, s);
		data += used;
		len -= used;
		if (st != NL_OK) {
			s->err = st;
			break;
		}
		switch (ev) {
		case IMAP_RD_AGAIN:
			continue;
		case IMAP_RD_LITERAL:
			if (imap_reader_literal_fits(&s->rd)) {
				/* RFC 3501 7.5: go ahead. */
				imap_reader_accept(&s->rd);
				put_str(s, "+ Ready for additional command "
				    "text\r\n");
				continue;
			}
			imap_reader_refuse(&s->rd);
			refuse(s, "Literal too big");
			break;
		case IMAP_RD_DONE: {
			size_t n;
			const uint8_t *msg = imap_reader_msg(&s->rd, &n);

			handle_command(s, msg, n);
			break;
		}
		case IMAP_RD_TOOLONG:
			refuse(s, "Command line too long");
			break;
		}
		s->cmd_start = 1;
		s->in_login = 0;
	}
	if (s->err != NL_OK) {
		imap_srv_close(s);
		return s->err;
	}
	return s->state == IMAP_SRV_LOGOUT ? NL_ECLOSED : NL_OK;
}

void
imap_srv_close(struct imap_srv *s)
{
	view_free(s);
	set_state(s, IMAP_SRV_LOGOUT);
}

struct nl_dbuf *
imap_srv_out(struct imap_srv *s)
{
	return &s->out;
}

enum imap_srv_state
imap_srv_state(const struct imap_srv *s)
{
	return s->state;
}
