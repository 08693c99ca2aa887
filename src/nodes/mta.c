/* mta.c - the mail server node: an SMTP server (RFC 5321) on port 25
 * and on the submission port 587 (RFC 6409) with the session of
 * proto/smtp and the reply texts of its scenario. A message for a local
 * user goes into the mailboxes of mailstore.c with a Received: field
 * (RFC 5321 4.4) added in front; a message for another domain goes into
 * the outgoing queue (mta_queue.c), which relays it. Relaying is open
 * only to the server's own user agents (its "mynetworks"): anyone else
 * gets 550 for a remote recipient. POP3 and IMAP access to the mailboxes
 * runs next to it (mail_access.c).
 *
 * Each reply goes into the trace once, at the server, as "S: ..." with
 * its exact bytes; the client reports its own commands. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "engine/timer.h"
#include "nodes/mail_access.h"
#include "nodes/mailstore.h"
#include "nodes/mta_int.h"
#include "nodes/web_node.h"
#include "proto/ip/ipv4.h"
#include "proto/imf/imf.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define MTA_OUT_MAX (1u << 20)		/* reply bytes not yet sent */
#define MTA_MSG_MAX (16u << 20)		/* a message and its Received: */

/* The reply texts a scenario may set, by name. */
static const struct {
	const char *name;
	size_t off;
} reply_names[] = {
#define R(f) { #f, offsetof(struct smtp_srv_texts, f) }
	R(greeting), R(no_service), R(helo), R(ehlo), R(mail_ok), R(rcpt_ok),
	R(data), R(accepted), R(rset), R(noop), R(vrfy_ok), R(vrfy_unsure),
	R(help), R(quit), R(unknown), R(too_long), R(nul), R(syntax),
	R(not_impl), R(bad_seq), R(param), R(no_user), R(relay),
	R(rcpt_tempfail), R(too_many_rcpt), R(no_valid_rcpt), R(too_big),
	R(data_nul), R(data_long), R(local_error), R(timeout),
	R(too_many_errors),
#undef R
};
_Static_assert(NL_ARRAY_LEN(reply_names) <= MTA_TEXTS_MAX,
    "struct mta's texts_own is too small");

const char *
node_mail_reply_name(size_t i)
{
	return i < NL_ARRAY_LEN(reply_names) ? reply_names[i].name : NULL;
}

enum nl_status
node_mail_reply_set(struct smtp_srv_texts *t, const char *name,
    const char *text)
{
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(reply_names); i++) {
		if (strcmp(reply_names[i].name, name) == 0) {
			memcpy((char *)t + reply_names[i].off, &text,
			    sizeof text);
			return NL_OK;
		}
	}
	return NL_ENOTFOUND;
}

struct mta_conn {
	struct mta_conn *next, *prev;
	struct mta *mta;
	struct net_tcp *c;
	int32_t peer;
	struct smtp_srv *s;
	struct nl_dbuf out;
	struct sim_timer idle;		/* the idle timer: reset at every
					 * line, so a sim_timer */
};

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

struct node *
mail_node_find(struct nodes *ns, int32_t id, const char *kind)
{
	size_t i;

	/* Nodes are added in id order, so v[id] is usually the one. */
	if (id >= 0 && (size_t)id < ns->n && ns->v[id]->id == id)
		return strcmp(ns->v[id]->ops->kind, kind) == 0 ? ns->v[id] :
		    NULL;
	for (i = 0; i < ns->n; i++)
		if (ns->v[i]->id == id)
			return strcmp(ns->v[i]->ops->kind, kind) == 0 ?
			    ns->v[i] : NULL;
	return NULL;
}

static void
conn_free(struct mta_conn *mc)
{
	if (mc->prev != NULL)
		mc->prev->next = mc->next;
	else if (mc->mta->conns == mc)
		mc->mta->conns = mc->next;
	if (mc->next != NULL)
		mc->next->prev = mc->prev;
	sim_timer_cancel(net_sim(node_net(mc->mta->nd)), &mc->idle);
	smtp_srv_free(mc->s);
	nl_dbuf_free(&mc->out);
	nl_free(mc);
}

static void conn_idle(struct sim *s, void *arg);

/* (Re)starts the idle timer: a client silent for the session's timeout
 * (RFC 5321 4.5.3.2.7: 5 minutes) gets 421 and the connection closes. */
static void
conn_arm(struct mta_conn *mc)
{
	struct sim *s = net_sim(node_net(mc->mta->nd));

	(void)sim_timer_set(s, &mc->idle, (sim_time)smtp_srv_timeout_s(mc->s) *
	    SIM_S);
}

/* Sends what the session wrote; closes after 221 or 421. */
static void
conn_flush(struct mta_conn *mc)
{
	if (mc->out.len > 0) {
		(void)net_tcp_send(mc->c, mc->out.data, mc->out.len);
		nl_dbuf_reset(&mc->out);
	}
	if (smtp_srv_closed(mc->s))
		(void)net_tcp_close(mc->c);
}

static void
conn_idle(struct sim *s, void *arg)
{
	struct mta_conn *mc = arg;

	NL_UNUSED(s);
	if (smtp_srv_timeout(mc->s) != NL_OK) {
		net_tcp_abort(mc->c);
		return;
	}
	conn_flush(mc);
}

static void
srv_line(void *ctx, enum smtp_line_kind kind, const char *line, size_t len)
{
	struct mta_conn *mc = ctx;
	struct net *n = node_net(mc->mta->nd);
	uint8_t buf[1024];

	if (kind != SMTP_LINE_REPLY || len + 2 > sizeof buf)
		return;
	memcpy(buf, line, len);
	buf[len] = '\r';
	buf[len + 1] = '\n';
	node_app_lines(n, node_id(mc->mta->nd), mc->peer, TRACE_P_SMTP, 0,
	    net_tcp_id(mc->c), buf, len + 2, "S: ");
}

/* The domain of an address, NULL if it has no '@'. */
static const char *
addr_domain(const char *a)
{
	const char *at = strrchr(a, '@');

	return at != NULL ? at + 1 : NULL;
}

int
mta_same_domain(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	if (la != lb)
		return 0;
	for (i = 0; i < la; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

int
mta_local_part(const struct mta *m, const char *a, char *buf, size_t size)
{
	const char *d = addr_domain(a);
	size_t l;

	if (d == NULL || !mta_same_domain(d, m->domain))
		return 0;
	l = (size_t)(d - 1 - a);
	if (l == 0 || l >= size)
		return 0;
	memcpy(buf, a, l);
	buf[l] = '\0';
	return 1;
}

void
mta_next_qid(struct mta *m, char *buf, size_t size)
{
	m->qseq++;
	snprintf(buf, size, "%llu", (unsigned long long)m->qseq);
}

/* 1 when the client may relay through us: it is a user agent (or a
 * webmail server) whose mail server is this one (Postfix's
 * permit_mynetworks). */
static int
may_relay(const struct mta_conn *mc)
{
	struct nodes *ns = mc->mta->nd->ns;
	struct node *ua;
	uint32_t srv;

	if (mc->peer < 0)
		return 0;
	ua = mail_node_find(ns, mc->peer, "user-agent");
	srv = ua != NULL ? node_ua_server(ua) :
	    node_webmail_server(mail_node_find(ns, mc->peer, "webmail"));
	return srv != 0 && net_node_by_addr(ns->net, srv) ==
	    node_id(mc->mta->nd);
}

static enum smtp_rcpt_verdict
srv_rcpt(void *ctx, const struct smtp_envelope *env, const char *rcpt)
{
	struct mta_conn *mc = ctx;
	char user[256];

	NL_UNUSED(env);
	if (!mta_local_part(mc->mta, rcpt, user, sizeof user))
		return may_relay(mc) && addr_domain(rcpt) != NULL ?
		    SMTP_RCPT_OK : SMTP_RCPT_RELAY_DENIED;
	return mailstore_has_user(mc->mta->store, user) ? SMTP_RCPT_OK :
	    SMTP_RCPT_UNKNOWN;
}


/* The message with our Received: field in front into full; for_addr is
 * the one recipient it names, or NULL. */
static enum nl_status
with_received(struct mta_conn *mc, const struct smtp_envelope *env,
    const char *qid, const char *for_addr, const uint8_t *msg, size_t len,
    struct nl_dbuf *full)
{
	struct mta *m = mc->mta;
	struct net *n = node_net(m->nd);
	struct imf_received r;
	char ip[IPV4_ADDR_STRLEN];
	enum nl_status st;

	ipv4_addr_str(net_tcp_remote_addr(mc->c), ip);
	memset(&r, 0, sizeof r);
	r.helo = env->helo != NULL && env->helo[0] != '\0' ? env->helo : ip;
	r.ip = ip;
	r.rdns = mc->peer >= 0 ? net_node_name(n, mc->peer) : NULL;
	r.by = m->domain;
	r.with = env->esmtp ? "ESMTP" : "SMTP";
	r.id = qid;
	r.for_addr = for_addr;
	r.time = NODE_MAIL_EPOCH + sim_now(net_sim(n)) / SIM_S;
	nl_dbuf_init(full, MTA_MSG_MAX);
	st = imf_received_write(full, &r);
	if (st == NL_OK)
		st = nl_dbuf_add(full, msg, len);
	return st;
}

/* Takes a message with 250 only once it is safe: each local recipient's
 * copy is in its mailbox, and the remote recipients are in the queue
 * (RFC 5321 6.1: from then on the server is responsible for it). */
static enum nl_status
srv_accept(void *ctx, const struct smtp_envelope *env, const uint8_t *msg,
    size_t len, char *qid, size_t qid_size)
{
	struct mta_conn *mc = ctx;
	struct mta *m = mc->mta;
	struct net *n = node_net(m->nd);
	struct nl_dbuf full;
	const char **remote;
	char user[256];
	enum nl_status st = NL_OK;
	size_t i, nremote = 0;

	mta_next_qid(m, qid, qid_size);
	remote = nl_calloc(env->nrcpt + 1, sizeof *remote);
	if (remote == NULL)
		return NL_ENOMEM;
	for (i = 0; i < env->nrcpt && st == NL_OK; i++) {
		if (!mta_local_part(m, env->rcpt[i], user, sizeof user)) {
			remote[nremote++] = env->rcpt[i];
			continue;
		}
		st = with_received(mc, env, qid, env->rcpt[i], msg, len,
		    &full);
		if (st == NL_OK)
			st = mailstore_deliver(m->store, n, node_id(m->nd),
			    user, full.data, full.len);
		nl_dbuf_free(&full);
	}
	if (st == NL_OK && nremote > 0) {
		st = with_received(mc, env, qid, nremote == 1 ? remote[0] :
		    NULL, msg, len, &full);
		if (st == NL_OK)
			st = mtaq_add(m->queue, qid, env->from != NULL ?
			    env->from : "", remote, nremote, full.data,
			    full.len);
		nl_dbuf_free(&full);
	}
	nl_free(remote);
	return st == NL_OK ? NL_OK : st == NL_ELIMIT ? NL_ELIMIT :
	    NL_ENOMEM;
}

enum nl_status
mta_deliver_generated(struct mta *m, const char *a, const uint8_t *msg,
    size_t len)
{
	char user[256];

	if (!mta_local_part(m, a, user, sizeof user) ||
	    !mailstore_has_user(m->store, user))
		snprintf(user, sizeof user, "postmaster");
	return mailstore_deliver(m->store, node_net(m->nd), node_id(m->nd),
	    user, msg, len);
}

static const struct smtp_srv_ops srv_ops = {
	NULL, NULL, srv_line, srv_rcpt, srv_accept,
};

static void
conn_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct mta_conn *mc = ctx;
	enum nl_status st;

	st = smtp_srv_feed(mc->s, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		net_tcp_abort(c);
		return;
	}
	if (!smtp_srv_closed(mc->s))
		conn_arm(mc);
	conn_flush(mc);
}

static void
conn_peer_fin(struct net_tcp *c, void *ctx)
{
	NL_UNUSED(ctx);
	(void)net_tcp_close(c);
}

static void
conn_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	NL_UNUSED(c);
	NL_UNUSED(why);
	conn_free(ctx);
}

static const struct net_tcp_cbs conn_cbs = {
	NULL, conn_recv, conn_peer_fin, conn_close,
};

static void
mta_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	struct mta *m = ctx;
	struct mta_conn *mc;

	NL_UNUSED(listener);
	mc = nl_calloc(1, sizeof *mc);
	if (mc == NULL) {
		net_tcp_abort(c);
		return;
	}
	mc->mta = m;
	mc->c = c;
	sim_timer_init(&mc->idle, conn_idle, mc);
	mc->peer = net_tcp_peer_node(c);
	nl_dbuf_init(&mc->out, MTA_OUT_MAX);
	mc->s = smtp_srv_new(&m->cfg, &srv_ops, mc, &mc->out);
	mc->next = m->conns;
	if (m->conns != NULL)
		m->conns->prev = mc;
	m->conns = mc;
	net_tcp_set_cbs(c, &conn_cbs, mc);
	if (mc->s == NULL || smtp_srv_start(mc->s) != NL_OK) {
		net_tcp_abort(c);
		return;
	}
	conn_arm(mc);
	conn_flush(mc);
}

static void
mta_free(struct mta *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < NL_ARRAY_LEN(m->texts_own); i++)
		nl_free(m->texts_own[i]);
	mtaq_free(m->queue);
	mail_access_free(m->access);
	mailstore_free(m->store);
	nl_free(m->domain);
	nl_free(m);
}

static void
mta_close_listeners(struct mta *m)
{
	if (m->listener != NULL)
		(void)net_tcp_close(m->listener);
	if (m->submission != NULL)
		(void)net_tcp_close(m->submission);
	m->listener = NULL;
	m->submission = NULL;
}

/* Port 25 for relay and the textbook's user agents, 587 for submission
 * (RFC 6409: the same dialogue, for the server's own users). */
enum nl_status
node_mta_start(struct node *nd)
{
	struct mta *m = nd->mail;
	enum nl_status st;

	st = node_generic_start(nd);
	if (st != NL_OK || m == NULL || m->listener != NULL)
		return st;
	st = net_tcp_listen(node_net(nd), node_id(nd), NODE_SMTP_PORT,
	    mta_accept, m, &m->listener);
	if (st != NL_OK)
		m->listener = NULL;
	if (st == NL_OK) {
		st = net_tcp_listen(node_net(nd), node_id(nd),
		    NODE_SUBMISSION_PORT, mta_accept, m, &m->submission);
		if (st != NL_OK)
			m->submission = NULL;
	}
	if (st == NL_OK)
		st = mail_access_start(m->access);
	if (st != NL_OK) {
		mta_close_listeners(m);
		mail_access_stop(m->access, 0);
		node_generic_stop(nd);
		return st;
	}
	mtaq_start(m->queue);
	return NL_OK;
}

void
node_mta_stop(struct node *nd)
{
	struct mta *m = nd->mail;
	int crash = !nd->ns->freeing;

	node_generic_stop(nd);
	if (m == NULL)
		return;
	mta_close_listeners(m);
	mail_access_stop(m->access, crash);
	mtaq_stop(m->queue, crash);
	while (m->conns != NULL) {
		struct mta_conn *mc = m->conns;
		struct net_tcp *c = mc->c;

		net_tcp_set_cbs(c, &no_cbs, NULL);
		conn_free(mc);
		if (crash)
			net_tcp_abort(c);
	}
	if (!crash) {
		mta_free(m);
		nd->mail = NULL;
	}
}

enum nl_status
nodes_mail_server(struct nodes *ns, int32_t id,
    const struct node_mail_cfg *cfg)
{
	struct node *nd = mail_node_find(ns, id, "mail-server");
	struct mta *m;
	enum nl_status st;
	size_t i;

	if (nd == NULL)
		return NL_ENOTFOUND;
	if (cfg->domain == NULL || nd->mail != NULL)
		return NL_EINVAL;
	m = nl_calloc(1, sizeof *m);
	if (m == NULL)
		return NL_ENOMEM;
	m->nd = nd;
	m->domain = nl_strdup(cfg->domain);
	m->store = mailstore_new();
	if (m->domain == NULL || m->store == NULL)
		goto nomem;
	m->access = mail_access_new(nd, m->store, m->domain);
	m->queue = mtaq_new(m, &cfg->queue);
	if (m->access == NULL || m->queue == NULL)
		goto nomem;
	for (i = 0; i < NL_ARRAY_LEN(reply_names); i++) {
		const char *t;

		memcpy(&t, (const char *)&cfg->texts + reply_names[i].off,
		    sizeof t);
		if (t == NULL)
			continue;
		m->texts_own[i] = nl_strdup(t);
		if (m->texts_own[i] == NULL)
			goto nomem;
		t = m->texts_own[i];
		memcpy((char *)&m->texts + reply_names[i].off, &t, sizeof t);
	}
	for (i = 0; i < cfg->nusers; i++) {
		st = mailstore_add_user(m->store, cfg->users[i]);
		if (st == NL_ENOMEM)
			goto nomem;
		if (cfg->passwords != NULL && cfg->passwords[i] != NULL &&
		    mailstore_set_password(m->store, cfg->users[i],
		    cfg->passwords[i]) == NL_ENOMEM)
			goto nomem;
	}
	/* RFC 5321 4.5.1: every server has a postmaster; bounces that
	 * cannot be returned (double bounces) end there. */
	if (!mailstore_has_user(m->store, "postmaster") &&
	    mailstore_add_user(m->store, "postmaster") == NL_ENOMEM)
		goto nomem;
	m->cfg.domain = m->domain;
	m->cfg.texts = &m->texts;
	nd->mail = m;
	return NL_OK;
nomem:
	mta_free(m);
	return NL_ENOMEM;
}
