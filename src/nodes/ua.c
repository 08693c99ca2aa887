/* ua.c - the user agent node: composes a message (RFC 5322 with
 * proto/imf, or raw lines as in the textbook) and submits it to its own
 * mail server with the SMTP client session of proto/smtp.
 *
 * Each command and message line goes into the trace once, at the user
 * agent, as "C: ..." with its exact bytes; the server reports its
 * replies. The client says HELO and "MAIL FROM: <a>" as the textbook
 * does (Kurose & Ross 2.3). It also fetches its mail by POP3 (RFC 1939)
 * or IMAP (RFC 3501) with the client sessions of proto/pop3 and
 * proto/imap, and reports what it got as a state event. */
#include <stdio.h>
#include <string.h>

#include "engine/timer.h"
#include "nodes/mta_int.h"
#include "nodes/ua_int.h"
#include "proto/imap/imap.h"
#include "proto/imf/imf.h"
#include "proto/pop3/pop3.h"
#include "proto/smtp/smtp_client.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define UA_OUT_MAX (32u << 20)		/* bytes the session may queue */
#define UA_MSG_MAX (16u << 20)		/* a composed message */

/* One submission: a connection to the server and its session. */
struct ua_send {
	struct node_client base;	/* first: the nodes list */
	struct nodes *ns;
	struct ua *ua;
	int32_t node, peer;
	struct net_tcp *c;		/* NULL once closed */
	struct smtp_cli *cli;		/* NULL until connected */
	struct smtp_cli_config cfg;
	struct smtp_envelope env;
	struct nl_dbuf msg;		/* the message to send */
	struct nl_dbuf out;		/* the session's output */
	struct sim_timer timer;	/* the reply timeout: reset at every
				 * line, so a sim_timer */
	const char *why;		/* a local reason to give up, or NULL */
};

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

static void
ua_free(struct ua *u)
{
	if (u == NULL)
		return;
	size_t i;

	nl_free(u->user);
	nl_free(u->helo);
	nl_free(u->pass);
	for (i = 0; i < u->nknown; i++)
		nl_free(u->known[i]);
	nl_free(u->known);
	ua_box_clear(u);
	nl_free(u);
}

uint32_t
node_ua_server(const struct node *nd)
{
	const struct ua *u = nd->mail;

	return u != NULL && strcmp(nd->ops->kind, "user-agent") == 0 ?
	    u->server : 0;
}

enum nl_status
node_ua_start(struct node *nd)
{
	return node_generic_start(nd);
}

void
node_ua_stop(struct node *nd)
{
	node_generic_stop(nd);
	if (nd->ns->freeing) {
		ua_free(nd->mail);
		nd->mail = NULL;
	}
}

enum nl_status
nodes_mail_ua(struct nodes *ns, int32_t id, const struct node_ua_cfg *cfg)
{
	struct node *nd = mail_node_find(ns, id, "user-agent");
	struct ua *u;

	if (nd == NULL)
		return NL_ENOTFOUND;
	if (cfg->user == NULL || nd->mail != NULL)
		return NL_EINVAL;
	u = nl_calloc(1, sizeof *u);
	if (u == NULL)
		return NL_ENOMEM;
	u->user = nl_strdup(cfg->user);
	u->helo = nl_strdup(cfg->helo != NULL ? cfg->helo : node_name(nd));
	u->server = cfg->server;
	u->port = cfg->port ? cfg->port : NODE_SMTP_PORT;
	u->pass = cfg->password != NULL ? nl_strdup(cfg->password) : NULL;
	if (u->user == NULL || u->helo == NULL ||
	    (cfg->password != NULL && u->pass == NULL)) {
		ua_free(u);
		return NL_ENOMEM;
	}
	nd->mail = u;
	return NL_OK;
}

static void
send_free(struct ua_send *s)
{
	sim_timer_cancel(net_sim(s->ns->net), &s->timer);
	node_client_unlink(s->ns, &s->base);
	smtp_cli_free(s->cli);
	smtp_env_clear(&s->env);
	nl_dbuf_free(&s->msg);
	nl_dbuf_free(&s->out);
	nl_free(s);
}

static void
send_note(const struct ua_send *s, const char *what)
{
	char text[320];

	snprintf(text, sizeof text, "%s: %s", s->ua->user, what);
	nodes_note(s->ns->net, s->node, text);
}

/* No reply in the time RFC 5321 4.5.3.2 gives: a server that crashed
 * says nothing, and TCP has nothing to retransmit, so only a timer
 * notices. The connection is aborted; send_close reports. */
static void
send_timeout(struct sim *sim, void *arg)
{
	struct ua_send *s = arg;

	NL_UNUSED(sim);
	s->why = "no reply from the mail server in time (RFC 5321 4.5.3.2)";
	if (s->c != NULL)
		net_tcp_abort(s->c);
}

static void
send_flush(struct ua_send *s)
{
	struct sim *sim = net_sim(s->ns->net);
	unsigned secs;

	if (s->c == NULL)
		return;
	if (s->out.len > 0) {
		(void)net_tcp_send(s->c, s->out.data, s->out.len);
		nl_dbuf_reset(&s->out);
	}
	sim_timer_stop(&s->timer);
	if (s->cli != NULL && smtp_cli_done(s->cli)) {
		(void)net_tcp_close(s->c);
		return;
	}
	secs = s->cli != NULL ? smtp_cli_timeout_s(s->cli) : 0;
	if (secs > 0)
		(void)sim_timer_set(sim, &s->timer, (sim_time)secs * SIM_S);
}

static void
cli_line(void *ctx, enum smtp_line_kind kind, const char *line, size_t len)
{
	struct ua_send *s = ctx;
	uint8_t buf[1024];

	if (kind == SMTP_LINE_REPLY || len + 2 > sizeof buf || s->c == NULL)
		return;
	memcpy(buf, line, len);
	buf[len] = '\r';
	buf[len + 1] = '\n';
	node_app_lines(s->ns->net, s->node, s->peer, TRACE_P_SMTP,
	    TRACE_F_TO_SERVER, net_tcp_id(s->c), buf, len + 2, "C: ");
}

static void
cli_done(void *ctx, void *msg_ctx, const struct smtp_rcpt_result *res,
    size_t n)
{
	struct ua_send *s = ctx;
	char text[256];
	size_t i;

	NL_UNUSED(msg_ctx);
	for (i = 0; i < n; i++) {
		if (res[i].outcome == SMTP_OUT_ACCEPTED)
			snprintf(text, sizeof text, "the mail to %s was "
			    "accepted by its server (%d)", res[i].rcpt,
			    res[i].code);
		else
			snprintf(text, sizeof text, "the mail to %s was not "
			    "accepted: %s (%d %.80s)", res[i].rcpt,
			    res[i].outcome == SMTP_OUT_TEMPFAIL ?
			    "try again later" : "refused", res[i].code,
			    res[i].text != NULL ? res[i].text : "");
		node_event(s->ns->net, TRACE_STATE, s->node, -1,
		    TRACE_P_SMTP, TRACE_F_SHOW, -1, NULL, 0, text);
	}
}

static const struct smtp_cli_ops cli_ops = { NULL, NULL, cli_line, cli_done };

static void
send_connect(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct ua_send *s = ctx;

	NL_UNUSED(c);
	if (st != NL_OK)
		return;		/* on_close follows */
	s->cli = smtp_cli_new(&s->cfg, &cli_ops, s, &s->out);
	if (s->cli == NULL || smtp_cli_send(s->cli, &s->env, s->msg.data,
	    s->msg.len, NULL) != NL_OK) {
		send_note(s, "cannot start the SMTP session");
		net_tcp_abort(s->c);
		return;
	}
	smtp_cli_quit(s->cli);
	send_flush(s);
}

static void
send_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct ua_send *s = ctx;
	enum nl_status st;

	if (s->cli == NULL)
		return;
	st = smtp_cli_feed(s->cli, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		net_tcp_abort(c);
		return;
	}
	send_flush(s);
}

static void
send_peer_fin(struct net_tcp *c, void *ctx)
{
	NL_UNUSED(ctx);
	(void)net_tcp_close(c);
}

static const char *
why_str(enum nl_status st)
{
	switch (st) {
	case NL_ECONNREFUSED:
		return "connection refused (no SMTP server listens there)";
	case NL_ETIMEDOUT:
		return "timed out (no answer after all retransmissions)";
	case NL_ENOROUTE:
		return "no route to the mail server";
	case NL_ECONNRESET:
		return "connection reset by the mail server";
	default:
		return "connection lost";
	}
}

static void
send_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct ua_send *s = ctx;

	NL_UNUSED(c);
	s->c = NULL;
	if (s->cli == NULL || smtp_cli_pending(s->cli) > 0) {
		char text[160];

		snprintf(text, sizeof text, "mail not sent: %s",
		    s->why != NULL ? s->why :
		    why_str(why == NL_OK ? NL_ECONNRESET : why));
		send_note(s, text);
		if (s->cli != NULL)
			smtp_cli_abort(s->cli, s->why != NULL ? s->why :
			    why_str(why));
	}
	send_free(s);
}

static const struct net_tcp_cbs send_cbs = {
	send_connect, send_recv, send_peer_fin, send_close,
};

static void
send_stop(struct node_client *cl, int crash)
{
	struct ua_send *s = (struct ua_send *)cl;
	struct net_tcp *c = s->c;

	if (c != NULL)
		net_tcp_set_cbs(c, &no_cbs, NULL);
	send_free(s);
	if (c != NULL && crash)
		net_tcp_abort(c);
}

/* Joins addresses with ", " into b. */
static enum nl_status
join_addrs(struct nl_dbuf *b, const char *const *a, size_t n)
{
	enum nl_status st = NL_OK;
	size_t i;

	for (i = 0; i < n && st == NL_OK; i++) {
		if (i > 0)
			st = nl_dbuf_add_str(b, ", ");
		if (st == NL_OK)
			st = nl_dbuf_add_str(b, a[i]);
	}
	if (st == NL_OK)
		st = nl_dbuf_add(b, "", 1);
	return st;
}

/* The message of m into s->msg; for a reply, the original's sender
 * into rcpt, and *why on failure. */
static enum nl_status
compose(struct ua_send *s, const struct node_mail_send *m, char *rcpt,
    size_t rcpt_size, const char **why)
{
	struct imf_msg im;
	struct imf_attachment att[16];
	struct nl_dbuf to, cc, id;
	size_t i;
	const char *at = strrchr(s->ua->user, '@');
	enum nl_status st;

	if (m->raw)
		return nl_dbuf_add_str(&s->msg, m->body != NULL ? m->body :
		    "");
	nl_dbuf_init(&to, 1u << 16);
	nl_dbuf_init(&cc, 1u << 16);
	nl_dbuf_init(&id, 1024);
	memset(&im, 0, sizeof im);
	s->ua->seq++;
	st = join_addrs(&to, m->to, m->nto);
	if (st == NL_OK)
		st = join_addrs(&cc, m->cc, m->ncc);
	if (st == NL_OK)
		st = imf_msgid_make(&id, NODE_MAIL_EPOCH +
		    sim_now(net_sim(s->ns->net)) / SIM_S, s->ua->seq,
		    at != NULL ? at + 1 : s->ua->user);
	if (st == NL_OK)
		st = nl_dbuf_add(&id, "", 1);
	if (st == NL_OK && m->about != NULL) {
		st = ua_write_about(s->ua, m, (const char *)id.data,
		    NODE_MAIL_EPOCH + sim_now(net_sim(s->ns->net)) / SIM_S,
		    m->nto > 0 ? (const char *)to.data : NULL, rcpt,
		    rcpt_size, &s->msg, why);
	} else if (st == NL_OK) {
		im.from = s->ua->user;
		im.to = m->nto > 0 ? (const char *)to.data : NULL;
		im.cc = m->ncc > 0 ? (const char *)cc.data : NULL;
		im.subject = m->subject;
		im.date = NODE_MAIL_EPOCH + sim_now(net_sim(s->ns->net)) /
		    SIM_S;
		im.message_id = (const char *)id.data;
		im.body = m->body;
		im.minimal = 1;
		for (i = 0; i < m->natt && i < NL_ARRAY_LEN(att); i++) {
			att[i].filename = m->att[i].name;
			att[i].type = m->att[i].type != NULL ? m->att[i].type :
			    "text/plain";
			att[i].data = (const uint8_t *)m->att[i].text;
			att[i].len = strlen(m->att[i].text);
		}
		im.att = att;
		im.natt = i;
		st = imf_msg_write(&im, &s->msg);
	}
	nl_dbuf_free(&to);
	nl_dbuf_free(&cc);
	nl_dbuf_free(&id);
	return st;
}

enum nl_status
node_send_mail(struct nodes *ns, int32_t from,
    const struct node_mail_send *m)
{
	struct node *nd = mail_node_find(ns, from, "user-agent");
	struct ua_send *s;
	enum nl_status st = NL_OK;
	const char *why = NULL;
	char rcpt[320];
	size_t i;

	if (nd == NULL || nd->mail == NULL)
		return NL_EINVAL;
	s = nl_calloc(1, sizeof *s);
	if (s == NULL)
		return NL_ENOMEM;
	s->ns = ns;
	s->ua = nd->mail;
	sim_timer_init(&s->timer, send_timeout, s);
	s->node = from;
	s->base.node = from;
	s->base.stop = send_stop;
	s->peer = net_node_by_addr(ns->net, s->ua->server);
	s->cfg.helo_name = s->ua->helo;
	s->cfg.use_helo = 1;
	s->cfg.space_after_colon = 1;
	s->cfg.no_params = 1;
	smtp_env_init(&s->env);
	nl_dbuf_init(&s->msg, UA_MSG_MAX);
	nl_dbuf_init(&s->out, UA_OUT_MAX);
	node_client_link(ns, &s->base);
	if (!net_node_is_up(ns->net, from)) {
		send_note(s, "mail not sent: this node is down");
		send_free(s);
		return NL_OK;
	}
	rcpt[0] = '\0';
	st = compose(s, m, rcpt, sizeof rcpt, &why);
	if (st == NL_OK)
		st = smtp_env_set_from(&s->env, s->ua->user);
	/* A reply goes to the original's sender (the envelope is not the
	 * header: RCPT TO is what routes it). */
	if (st == NL_OK && rcpt[0] != '\0')
		st = smtp_env_add_rcpt(&s->env, rcpt);
	for (i = 0; rcpt[0] == '\0' && i < m->nto && st == NL_OK; i++)
		st = smtp_env_add_rcpt(&s->env, m->to[i]);
	for (i = 0; i < m->ncc && st == NL_OK; i++)
		st = smtp_env_add_rcpt(&s->env, m->cc[i]);
	if (st != NL_OK) {
		char text[200];

		snprintf(text, sizeof text, "mail not sent: %s", why != NULL ?
		    why : "it cannot be composed");
		send_note(s, text);
		send_free(s);
		return st == NL_ENOMEM ? st : NL_OK;
	}
	st = net_tcp_connect(ns->net, from, s->ua->server, s->ua->port,
	    &send_cbs, s, &s->c);
	if (st != NL_OK) {
		s->c = NULL;
		send_note(s, why_str(st));
		send_free(s);
		return st == NL_ENOMEM ? st : NL_OK;
	}
	return NL_OK;
}

/* ---- Fetching: POP3 and IMAP clients ----------------------------------- */

#define UA_SUBJ_MAX 80		/* bytes of a subject in the report */
#define UA_SUBJ_BUF 4096	/* an unfolded Subject: read */
/* How long a fetch waits for a reply: RFC 1939 3 gives servers at
 * least 10 minutes before they log an idle client out; a mail program
 * gives up on a silent server much sooner (Thunderbird: 100 s). */
#define UA_FETCH_TIMEOUT (100 * SIM_S)

const char *
node_fetch_proto_str(enum node_fetch_proto p)
{
	switch (p) {
	case NODE_FETCH_POP3:
		return "POP3";
	case NODE_FETCH_IMAP:
		return "IMAP";
	}
	return "?";
}

/* One fetch: a connection to the server and its client session. */
struct ua_fetch {
	struct node_client base;	/* first: the nodes list */
	struct nodes *ns;
	struct ua *ua;
	int32_t node, peer;		/* the user agent, its server */
	struct net_tcp *c;		/* NULL once closed */
	enum node_fetch_proto proto;	/* which client */
	int keep;			/* leave the mail on the server */
	char move_to[IMAP_NAME_MAX + 1]; /* IMAP: file into it, or "" */
	struct pop3_cli *pop;		/* POP3 session, or NULL */
	struct imap_cli *im;		/* IMAP session, or NULL */
	char user[256];			/* local part: the login name */
	size_t nnew;			/* messages downloaded */
	size_t nseen;			/* IMAP: listed, already \Seen */
	struct nl_dbuf got;		/* "\"Subj\", \"Subj\"" of nnew */
	struct nl_dbuf seen;		/* the same of nseen */
	char why[160];			/* an ERROR event's reason */
	int reported;			/* fetch_report ran */
	uint64_t timer;			/* the reply timeout, 0 when none */
};

static void
fetch_free(struct ua_fetch *f)
{
	if (f->timer != 0)
		(void)sim_cancel(net_sim(f->ns->net), f->timer);
	node_client_unlink(f->ns, &f->base);
	pop3_cli_free(f->pop);
	imap_cli_free(f->im);
	nl_dbuf_free(&f->got);
	nl_dbuf_free(&f->seen);
	nl_free(f);
}

static enum trace_proto
fetch_tproto(const struct ua_fetch *f)
{
	return f->proto == NODE_FETCH_IMAP ? TRACE_P_IMAP : TRACE_P_POP3;
}

/* A client line, CRLF added back, as "C: ..." at the user agent. */
static void
fetch_line(struct ua_fetch *f, const uint8_t *text, size_t len)
{
	uint8_t buf[1100];

	if (f->c == NULL)
		return;
	if (len + 2 > sizeof buf)
		len = sizeof buf - 2;
	memcpy(buf, text, len);
	buf[len] = '\r';
	buf[len + 1] = '\n';
	node_app_lines(f->ns->net, f->node, f->peer, fetch_tproto(f),
	    TRACE_F_TO_SERVER, net_tcp_id(f->c), buf, len + 2, "C: ");
}

static void
fetch_why(struct ua_fetch *f, const uint8_t *text, size_t len)
{
	if (len >= sizeof f->why)
		len = sizeof f->why - 1;
	memcpy(f->why, text, len);
	f->why[len] = '\0';
}

/* A refusal from the server: the reason a failed fetch reports. */
static void
fetch_refused(struct ua_fetch *f, const uint8_t *text, size_t len)
{
	char line[120];

	if (len >= sizeof line)
		len = sizeof line - 1;
	memcpy(line, text, len);
	line[len] = '\0';
	snprintf(f->why, sizeof f->why, "the server said \"%s\"", line);
}

/* 1 for a tagged "NO" or "BAD" completion: "A001 NO ...". */
static int
imap_refusal(const uint8_t *text, size_t len)
{
	size_t i = 0;

	if (len > 0 && text[0] == '*')
		return 0;
	while (i < len && text[i] != ' ')
		i++;
	i++;
	return (i + 3 <= len && memcmp(text + i, "NO ", 3) == 0) ||
	    (i + 4 <= len && memcmp(text + i, "BAD ", 4) == 0);
}

static void
pop_cli_event(void *arg, const struct pop3_event *ev)
{
	struct ua_fetch *f = arg;

	if (ev->kind == POP3_EV_ERROR)
		fetch_why(f, ev->text, ev->len);
	else if (ev->kind == POP3_EV_LINE && !ev->from_client && !ev->data &&
	    ev->len >= 4 && memcmp(ev->text, "-ERR", 4) == 0)
		fetch_refused(f, ev->text, ev->len);
	else if (ev->kind == POP3_EV_LINE && ev->from_client)
		fetch_line(f, ev->text, ev->len);
}

static void
imap_cli_event(void *arg, const struct imap_event *ev)
{
	struct ua_fetch *f = arg;

	if (ev->kind == IMAP_EV_ERROR)
		fetch_why(f, ev->text, ev->len);
	else if (ev->kind == IMAP_EV_LINE && !ev->from_client && !ev->data &&
	    imap_refusal(ev->text, ev->len))
		fetch_refused(f, ev->text, ev->len);
	else if (ev->kind == IMAP_EV_LINE && ev->from_client)
		fetch_line(f, ev->text, ev->len);
}

/* Appends "\"subject\"" (or "(no subject)") to b, comma-separated. */
static void
add_subject(struct nl_dbuf *b, const char *s, size_t len)
{
	char q[UA_SUBJ_MAX + 8];

	if (len > UA_SUBJ_MAX)
		len = UA_SUBJ_MAX;
	if (len == 0)
		snprintf(q, sizeof q, "(no subject)");
	else
		snprintf(q, sizeof q, "\"%.*s\"", (int)len, s);
	if (b->len > 0)
		(void)nl_dbuf_add_str(b, ", ");
	(void)nl_dbuf_add_str(b, q);
}

/* The Subject: of a message, unfolded, into buf ("" when it has none,
 * or when it does not fit); returns its length. */
static size_t
msg_subject(const uint8_t *m, size_t n, char *buf, size_t size)
{
	if (!ua_msg_field(m, n, "Subject", buf, size))
		buf[0] = '\0';
	return strlen(buf);
}
static void
pop_cli_msg(void *arg, const struct pop3_cli_msg *m)
{
	struct ua_fetch *f = arg;
	struct ua *u = f->ua;
	char s[UA_SUBJ_BUF];
	size_t sl = msg_subject(m->data, m->len, s, sizeof s);

	f->nnew++;
	add_subject(&f->got, s, sl);
	(void)ua_box_add(u, m->data, m->len);
	if (f->keep && m->uid != NULL) {
		char **nk = nl_realloc(u->known, (u->nknown + 1) *
		    sizeof *nk);

		if (nk == NULL)
			return;
		u->known = nk;
		u->known[u->nknown] = nl_strdup(m->uid);
		if (u->known[u->nknown] != NULL)
			u->nknown++;
	}
}

static int
pop_cli_known(void *arg, const char *uid)
{
	struct ua_fetch *f = arg;
	size_t i;

	for (i = 0; i < f->ua->nknown; i++)
		if (strcmp(f->ua->known[i], uid) == 0)
			return 1;
	return 0;
}

static void
imap_cli_msg(void *arg, const struct imap_cli_msg *m)
{
	struct ua_fetch *f = arg;

	if (m->have & IMAP_HAVE_BODY) {
		char s[UA_SUBJ_BUF];
		size_t sl = msg_subject(m->body, m->body_len, s, sizeof s);

		f->nnew++;
		add_subject(&f->got, s, sl);
		(void)ua_box_add(f->ua, m->body, m->body_len);
	} else if ((m->have & IMAP_HAVE_ENVELOPE) &&
	    (m->have & IMAP_HAVE_FLAGS) && (m->flags & IMAP_FLAG_SEEN)) {
		f->nseen++;
		add_subject(&f->seen, m->env->subject,
		    strlen(m->env->subject));
	}
}

/* The report: what the fetch brought, as a state event. */
static void
fetch_report(struct ua_fetch *f, int ok)
{
	char text[600];
	const char *name = net_node_name(f->ns->net, f->node);
	int n;

	f->reported = 1;
	(void)nl_dbuf_add(&f->got, "", 1);
	(void)nl_dbuf_add(&f->seen, "", 1);
	if (!ok) {
		snprintf(text, sizeof text, "%s: %s fetch failed: %s", name,
		    node_fetch_proto_str(f->proto), f->why[0] != '\0' ?
		    f->why : "connection lost");
		nodes_note(f->ns->net, f->node, text);
		return;
	}
	if (f->nnew == 0)
		n = snprintf(text, sizeof text, "%s: no new messages", name);
	else
		n = snprintf(text, sizeof text, "%s: %zu new message%s: %s",
		    name, f->nnew, f->nnew == 1 ? "" : "s",
		    (const char *)f->got.data);
	if (f->nseen > 0 && n > 0 && (size_t)n < sizeof text)
		n += snprintf(text + n, sizeof text - (size_t)n, " (%zu "
		    "already read, \\Seen on the server: %s)", f->nseen,
		    (const char *)f->seen.data);
	if (f->im != NULL && imap_cli_moved(f->im) > 0 && n > 0 &&
	    (size_t)n < sizeof text)
		snprintf(text + n, sizeof text - (size_t)n, ", filed into "
		    "\"%s\" on the server", f->move_to);
	node_event(f->ns->net, TRACE_STATE, f->node, -1, fetch_tproto(f),
	    TRACE_F_SHOW, -1, NULL, 0, text);
}

static struct nl_dbuf *
fetch_out(struct ua_fetch *f)
{
	return f->pop != NULL ? pop3_cli_out(f->pop) : imap_cli_out(f->im);
}

/* A server that crashed mid-session says nothing: give up after
 * UA_FETCH_TIMEOUT without a reply; fetch_close reports. */
static sim_time
fetch_timeout(struct sim *sim, void *arg)
{
	struct ua_fetch *f = arg;

	NL_UNUSED(sim);
	f->timer = 0;
	snprintf(f->why, sizeof f->why, "no reply from the server in %d s",
	    (int)(UA_FETCH_TIMEOUT / SIM_S));
	if (f->c != NULL)
		net_tcp_abort(f->c);
	return SIM_DONE;
}

static void
fetch_flush(struct ua_fetch *f, int over)
{
	struct nl_dbuf *out = fetch_out(f);
	struct sim *sim = net_sim(f->ns->net);

	if (f->c == NULL)
		return;
	if (out->len > 0) {
		(void)net_tcp_send(f->c, out->data, out->len);
		nl_dbuf_reset(out);
	}
	if (f->timer != 0)
		(void)sim_cancel(sim, f->timer);
	f->timer = 0;
	if (over) {
		(void)net_tcp_close(f->c);
		return;
	}
	f->timer = sim_schedule(sim, UA_FETCH_TIMEOUT, fetch_timeout, f);
}

static void
fetch_connect(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct ua_fetch *f = ctx;

	NL_UNUSED(c);
	if (st != NL_OK)
		return;		/* on_close follows */
	if (f->proto == NODE_FETCH_POP3) {
		struct pop3_cli_config cfg;

		memset(&cfg, 0, sizeof cfg);
		cfg.user = f->user;
		cfg.pass = f->ua->pass;
		cfg.delete_after = !f->keep;
		cfg.event = pop_cli_event;
		cfg.message = pop_cli_msg;
		cfg.known = pop_cli_known;
		cfg.arg = f;
		f->pop = pop3_cli_new(&cfg);
	} else {
		struct imap_cli_config cfg;

		memset(&cfg, 0, sizeof cfg);
		cfg.user = f->user;
		cfg.pass = f->ua->pass;
		cfg.delete_after = !f->keep;
		cfg.move_to = f->move_to[0] != '\0' ? f->move_to : NULL;
		cfg.event = imap_cli_event;
		cfg.message = imap_cli_msg;
		cfg.arg = f;
		f->im = imap_cli_new(&cfg);
	}
	if (f->pop == NULL && f->im == NULL) {
		snprintf(f->why, sizeof f->why, "cannot start the session");
		net_tcp_abort(f->c);
		return;
	}
	fetch_flush(f, 0);
}

static void
fetch_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct ua_fetch *f = ctx;
	enum nl_status st;

	if (f->pop == NULL && f->im == NULL)
		return;
	st = f->pop != NULL ? pop3_cli_feed(f->pop, data, len) :
	    imap_cli_feed(f->im, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		net_tcp_abort(c);
		return;
	}
	/* The session is over: report now, not after the TCP close. */
	if (st == NL_ECLOSED && !f->reported)
		fetch_report(f, (f->pop != NULL ? pop3_cli_status(f->pop) :
		    imap_cli_status(f->im)) == NL_OK);
	fetch_flush(f, st == NL_ECLOSED);
}

static void
fetch_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct ua_fetch *f = ctx;
	int ok;

	NL_UNUSED(c);
	f->c = NULL;
	if (f->pop != NULL) {
		pop3_cli_close(f->pop);
		ok = pop3_cli_status(f->pop) == NL_OK;
	} else if (f->im != NULL) {
		imap_cli_close(f->im);
		ok = imap_cli_status(f->im) == NL_OK;
	} else {
		ok = 0;
	}
	if (!ok && f->why[0] == '\0')
		snprintf(f->why, sizeof f->why, "%s", why ==
		    NL_ECONNREFUSED ? "connection refused (no server listens "
		    "there)" : why_str(why == NL_OK ? NL_ECONNRESET : why));
	if (!f->reported)
		fetch_report(f, ok);
	fetch_free(f);
}

static const struct net_tcp_cbs fetch_cbs = {
	fetch_connect, fetch_recv, send_peer_fin, fetch_close,
};

static void
fetch_stop(struct node_client *cl, int crash)
{
	struct ua_fetch *f = (struct ua_fetch *)cl;
	struct net_tcp *c = f->c;

	if (c != NULL)
		net_tcp_set_cbs(c, &no_cbs, NULL);
	fetch_free(f);
	if (c != NULL && crash)
		net_tcp_abort(c);
}

enum nl_status
node_fetch_mail(struct nodes *ns, int32_t from, enum node_fetch_proto proto,
    int keep, const char *move_to)
{
	struct node *nd = mail_node_find(ns, from, "user-agent");
	struct ua_fetch *f;
	const char *at;
	size_t l;
	enum nl_status st;

	if (nd == NULL || nd->mail == NULL || (move_to != NULL &&
	    (proto != NODE_FETCH_IMAP || !imap_mailbox_valid(move_to))))
		return NL_EINVAL;
	f = nl_calloc(1, sizeof *f);
	if (f == NULL)
		return NL_ENOMEM;
	f->ns = ns;
	f->ua = nd->mail;
	f->node = from;
	f->base.node = from;
	f->base.stop = fetch_stop;
	f->proto = proto;
	f->keep = keep;
	if (move_to != NULL)
		memcpy(f->move_to, move_to, strlen(move_to) + 1);
	f->peer = net_node_by_addr(ns->net, f->ua->server);
	at = strrchr(f->ua->user, '@');
	l = at != NULL ? (size_t)(at - f->ua->user) : strlen(f->ua->user);
	if (l >= sizeof f->user)
		l = sizeof f->user - 1;
	memcpy(f->user, f->ua->user, l);
	nl_dbuf_init(&f->got, 1u << 16);
	nl_dbuf_init(&f->seen, 1u << 16);
	node_client_link(ns, &f->base);
	if (!net_node_is_up(ns->net, from) || f->ua->pass == NULL) {
		snprintf(f->why, sizeof f->why, "%s", f->ua->pass == NULL ?
		    "this user agent has no password" : "this node is down");
		fetch_report(f, 0);
		fetch_free(f);
		return NL_OK;
	}
	st = net_tcp_connect(ns->net, from, f->ua->server,
	    proto == NODE_FETCH_IMAP ? NODE_IMAP_PORT : NODE_POP3_PORT,
	    &fetch_cbs, f, &f->c);
	if (st != NL_OK) {
		f->c = NULL;
		snprintf(f->why, sizeof f->why, "%s", why_str(st));
		fetch_report(f, 0);
		fetch_free(f);
		return st == NL_ENOMEM ? st : NL_OK;
	}
	return NL_OK;
}
