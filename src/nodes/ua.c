/* ua.c - the user agent node: composes a message (RFC 5322 with
 * proto/imf, or raw lines as in the textbook) and submits it to its own
 * mail server with the SMTP client session of proto/smtp.
 *
 * Each command and message line goes into the trace once, at the user
 * agent, as "C: ..." with its exact bytes; the server reports its
 * replies. The client says HELO and "MAIL FROM: <a>" as the textbook
 * does (Kurose & Ross 2.3). */
#include <stdio.h>
#include <string.h>

#include "nodes/mail_node.h"
#include "nodes/node_int.h"
#include "proto/imf/imf.h"
#include "proto/smtp/smtp_client.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define UA_OUT_MAX (32u << 20)		/* bytes the session may queue */
#define UA_MSG_MAX (16u << 20)		/* a composed message */

struct ua {
	char *user;		/* "alice@crepes.fr", owned */
	char *helo;		/* owned */
	uint32_t server;
	uint16_t port;
	uint64_t seq;		/* messages composed */
};

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
};

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

static void
ua_free(struct ua *u)
{
	if (u == NULL)
		return;
	nl_free(u->user);
	nl_free(u->helo);
	nl_free(u);
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
	if (u->user == NULL || u->helo == NULL) {
		ua_free(u);
		return NL_ENOMEM;
	}
	nd->mail = u;
	return NL_OK;
}

static void
send_free(struct ua_send *s)
{
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

static void
send_flush(struct ua_send *s)
{
	if (s->c == NULL)
		return;
	if (s->out.len > 0) {
		(void)net_tcp_send(s->c, s->out.data, s->out.len);
		nl_dbuf_reset(&s->out);
	}
	if (s->cli != NULL && smtp_cli_done(s->cli))
		(void)net_tcp_close(s->c);
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
		    why_str(why == NL_OK ? NL_ECONNRESET : why));
		send_note(s, text);
		if (s->cli != NULL) {
			smtp_cli_abort(s->cli, why_str(why));
		}
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

/* The message of m into s->msg. */
static enum nl_status
compose(struct ua_send *s, const struct node_mail_send *m)
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
	if (st == NL_OK) {
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
	size_t i;

	if (nd == NULL || nd->mail == NULL)
		return NL_EINVAL;
	s = nl_calloc(1, sizeof *s);
	if (s == NULL)
		return NL_ENOMEM;
	s->ns = ns;
	s->ua = nd->mail;
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
	st = smtp_env_set_from(&s->env, s->ua->user);
	for (i = 0; i < m->nto && st == NL_OK; i++)
		st = smtp_env_add_rcpt(&s->env, m->to[i]);
	for (i = 0; i < m->ncc && st == NL_OK; i++)
		st = smtp_env_add_rcpt(&s->env, m->cc[i]);
	if (st == NL_OK)
		st = compose(s, m);
	if (st != NL_OK) {
		send_note(s, "mail not sent: it cannot be composed");
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
