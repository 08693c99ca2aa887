/* mail_access.c - the mail access servers of a mail server node: POP3
 * (RFC 1939) on port 110 and IMAP (RFC 3501) on port 143, the sessions
 * of proto/pop3 and proto/imap over the mailstore through their backend
 * ops. Flags live in the store, so every session and device sees them.
 *
 * Each server line goes into the trace once, at the server, as "S: ..."
 * with its exact bytes; the client reports its own lines. The lines of
 * a retrieved message are one event, "S: (message, N lines, M bytes)",
 * whose data is all of them. */
#include <stdio.h>
#include <string.h>

#include "nodes/mail_access.h"
#include "nodes/mail_node.h"
#include "proto/imap/imap.h"
#include "proto/pop3/pop3.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define ACC_BODY_MAX (16u << 20)	/* message bytes gathered for one event */
#define ACC_USER_MAX 256		/* a user name */
#define ACC_POP3_IDLE (10 * 60)		/* RFC 1939 3: autologout, >= 10 min */
#define ACC_IMAP_IDLE (30 * 60)		/* RFC 3501 5.4: >= 30 min */

struct acc_conn;

struct mail_access {
	struct node *nd;		/* the mail server, not owned */
	struct mailstore *store;	/* not owned */
	char *hostname;			/* owned */
	struct net_tcp *pop_l;		/* listener on 110, NULL while down */
	struct net_tcp *imap_l;		/* listener on 143, NULL while down */
	struct acc_conn *conns;		/* accepted, still open */
};

/* One POP3 or IMAP connection: be of the backend ops. */
struct acc_conn {
	struct acc_conn *next, *prev;	/* in mail_access.conns */
	struct mail_access *ma;		/* its server */
	struct net_tcp *c;		/* the connection */
	int32_t peer;			/* the client node, -1 if unknown */
	int imap;			/* 1: IMAP, 0: POP3 */
	struct pop3_srv *pop;		/* POP3 session, or NULL */
	struct imap_srv *is;		/* IMAP session, or NULL */
	char user[ACC_USER_MAX];	/* the maildrop listed or locked */
	int locked;			/* POP3: holds the maildrop lock */
	struct pop3_msg *pmsgs;		/* POP3 listing, owned */
	uint32_t *puid;			/* uid of each listed message, owned */
	char (*puidstr)[12];		/* their unique-ids as text, owned */
	size_t pn;			/* messages listed */
	struct imap_msg *imsgs;		/* IMAP: the mailbox at the last select */
	size_t icap;			/* slots in imsgs */
	int retr;			/* POP3: the last command was RETR/TOP */
	struct nl_dbuf body;		/* message lines gathered for one event */
	size_t body_lines;		/* lines in body */
	uint64_t idle;			/* the autologout timer, 0 when none */
};

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

/* The local part of user ("bob" of "bob@hamburger.edu") into out. */
static void
local_of(const char *user, char *out, size_t size)
{
	const char *at = strrchr(user, '@');
	size_t l = at != NULL ? (size_t)(at - user) : strlen(user);

	if (l >= size)
		l = size - 1;
	memcpy(out, user, l);
	out[l] = '\0';
}

/* ---- Transcript ------------------------------------------------------ */

static struct net *
acc_net(const struct acc_conn *ac)
{
	return node_net(ac->ma->nd);
}

/* Emits the gathered message lines as one event. */
static void
body_flush(struct acc_conn *ac, enum trace_proto proto)
{
	char text[96];

	if (ac->body_lines == 0)
		return;
	snprintf(text, sizeof text, "S: (message, %zu lines, %zu bytes)",
	    ac->body_lines, ac->body.len);
	node_event(acc_net(ac), TRACE_APP, node_id(ac->ma->nd), ac->peer,
	    proto, 0, net_tcp_id(ac->c), ac->body.data, ac->body.len, text);
	nl_dbuf_reset(&ac->body);
	ac->body_lines = 0;
}

/* One server line, CRLF added back: gathered when it is part of a
 * message, else an event of its own. */
static void
srv_line(struct acc_conn *ac, enum trace_proto proto, const uint8_t *text,
    size_t len, int gather)
{
	uint8_t buf[1100];

	if (gather && nl_dbuf_add(&ac->body, text, len) == NL_OK &&
	    nl_dbuf_add(&ac->body, "\r\n", 2) == NL_OK) {
		ac->body_lines++;
		return;
	}
	body_flush(ac, proto);
	if (len + 2 > sizeof buf)
		len = sizeof buf - 2;
	memcpy(buf, text, len);
	buf[len] = '\r';
	buf[len + 1] = '\n';
	node_app_lines(acc_net(ac), node_id(ac->ma->nd), ac->peer, proto, 0,
	    net_tcp_id(ac->c), buf, len + 2, "S: ");
}

static int
starts_with_ci(const uint8_t *p, size_t len, const char *w)
{
	size_t i, l = strlen(w);

	if (len < l)
		return 0;
	for (i = 0; i < l; i++) {
		int c = p[i];

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != w[i])
			return 0;
	}
	return 1;
}

static void
pop_event(void *arg, const struct pop3_event *ev)
{
	struct acc_conn *ac = arg;

	if (ev->kind != POP3_EV_LINE)
		return;
	if (ev->from_client) {
		ac->retr = starts_with_ci(ev->text, ev->len, "RETR ") ||
		    starts_with_ci(ev->text, ev->len, "TOP ");
		return;
	}
	/* The lone "." ends the message and shows as itself. */
	srv_line(ac, TRACE_P_POP3, ev->text, ev->len, ev->data && ac->retr &&
	    !(ev->len == 1 && ev->text[0] == '.'));
}

static void
imap_event(void *arg, const struct imap_event *ev)
{
	struct acc_conn *ac = arg;

	if (ev->kind != IMAP_EV_LINE || ev->from_client)
		return;
	srv_line(ac, TRACE_P_IMAP, ev->text, ev->len, ev->data);
}

/* ---- POP3 maildrop ---------------------------------------------------- */

static enum nl_status
be_login(void *be, const char *user, const char *pass)
{
	struct acc_conn *ac = be;
	char u[ACC_USER_MAX];

	local_of(user, u, sizeof u);
	return mailstore_login(ac->ma->store, u, pass) ? NL_OK : NL_EINVAL;
}

static void
pop_forget(struct acc_conn *ac)
{
	nl_free(ac->pmsgs);
	nl_free(ac->puid);
	nl_free(ac->puidstr);
	ac->pmsgs = NULL;
	ac->puid = NULL;
	ac->puidstr = NULL;
	ac->pn = 0;
}

static enum nl_status
pop_list(void *be, const char *user, const struct pop3_msg **msgs,
    size_t *count)
{
	struct acc_conn *ac = be;
	struct mailstore *ms = ac->ma->store;
	struct mailstore_msg mm;
	size_t n, i;
	enum nl_status st;

	*msgs = NULL;
	*count = 0;
	local_of(user, ac->user, sizeof ac->user);
	st = mailstore_lock(ms, ac->user, 1);
	if (st != NL_OK)
		return st;
	ac->locked = 1;
	n = mailstore_count(ms, ac->user);	/* the INBOX: RFC 1939 */
	pop_forget(ac);
	ac->pmsgs = nl_calloc(n + 1, sizeof *ac->pmsgs);
	ac->puid = nl_calloc(n + 1, sizeof *ac->puid);
	ac->puidstr = nl_calloc(n + 1, sizeof *ac->puidstr);
	if (ac->pmsgs == NULL || ac->puid == NULL || ac->puidstr == NULL) {
		pop_forget(ac);
		(void)mailstore_lock(ms, ac->user, 0);
		ac->locked = 0;
		return NL_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		(void)mailstore_info(ms, ac->user, NULL, i, &mm);
		ac->puid[i] = mm.uid;
		snprintf(ac->puidstr[i], sizeof ac->puidstr[i], "%u",
		    (unsigned)mm.uid);
		ac->pmsgs[i].size = mm.len;
		ac->pmsgs[i].uid = ac->puidstr[i];
	}
	ac->pn = n;
	*msgs = ac->pmsgs;
	*count = n;
	return NL_OK;
}

/* The store's index of listed message i (IMAP may have expunged some
 * meanwhile); NL_ENOTFOUND when it is gone. */
static enum nl_status
pop_find(struct acc_conn *ac, size_t i, struct mailstore_msg *mm)
{
	size_t k;

	if (i >= ac->pn)
		return NL_ENOTFOUND;
	for (k = 0; mailstore_info(ac->ma->store, ac->user, NULL, k, mm) ==
	    NL_OK; k++)
		if (mm->uid == ac->puid[i])
			return NL_OK;
	return NL_ENOTFOUND;
}

static enum nl_status
pop_fetch(void *be, const char *user, size_t i, const uint8_t **data,
    size_t *len)
{
	struct acc_conn *ac = be;
	struct mailstore_msg mm;

	NL_UNUSED(user);
	*data = NULL;
	*len = 0;
	if (pop_find(ac, i, &mm) != NL_OK)
		return NL_ENOTFOUND;
	*data = mm.data;
	*len = mm.len;
	return NL_OK;
}

static enum nl_status
pop_commit(void *be, const char *user, const uint8_t *del, size_t count)
{
	struct acc_conn *ac = be;
	enum nl_status st = NL_OK;
	size_t i;

	NL_UNUSED(user);
	for (i = 0; i < count && i < ac->pn; i++)
		if (del[i] && mailstore_remove(ac->ma->store, acc_net(ac),
		    node_id(ac->ma->nd), ac->user, NULL, ac->puid[i],
		    TRACE_P_POP3) != NL_OK)
			st = NL_ENOTFOUND;
	return st;
}

static void
pop_release(void *be, const char *user)
{
	struct acc_conn *ac = be;

	NL_UNUSED(user);
	if (ac->locked)
		(void)mailstore_lock(ac->ma->store, ac->user, 0);
	ac->locked = 0;
	pop_forget(ac);
}

static const struct pop3_backend_ops pop_ops = {
	be_login, pop_list, pop_fetch, NULL, pop_commit, pop_release,
};

/* ---- IMAP store: INBOX and the mailboxes CREATE made ------------------ */

static enum nl_status
imap_list(void *be, const char *user, imap_name_fn *fn, void *arg)
{
	struct acc_conn *ac = be;
	char u[ACC_USER_MAX];
	const char *name;
	size_t i;

	local_of(user, u, sizeof u);
	for (i = 0; (name = mailstore_mailbox_name(ac->ma->store, u, i)) !=
	    NULL; i++)
		fn(arg, name);
	return NL_OK;
}

static enum nl_status
imap_create(void *be, const char *user, const char *mbox)
{
	struct acc_conn *ac = be;
	char u[ACC_USER_MAX];

	local_of(user, u, sizeof u);
	return mailstore_create(ac->ma->store, acc_net(ac),
	    node_id(ac->ma->nd), u, mbox);
}

static enum nl_status
imap_select(void *be, const char *user, const char *mbox,
    struct imap_mailbox *out)
{
	struct acc_conn *ac = be;
	struct mailstore *ms = ac->ma->store;
	struct mailstore_msg mm;
	size_t n, i;

	memset(out, 0, sizeof *out);
	local_of(user, ac->user, sizeof ac->user);
	if (!mailstore_has_mailbox(ms, ac->user, mbox))
		return NL_ENOTFOUND;
	n = mailstore_messages(ms, ac->user, mbox);
	if (n + 1 > ac->icap) {
		struct imap_msg *nm = nl_realloc(ac->imsgs, (n + 1) *
		    sizeof *nm);

		if (nm == NULL)
			return NL_ENOMEM;
		ac->imsgs = nm;
		ac->icap = n + 1;
	}
	for (i = 0; i < n; i++) {
		(void)mailstore_info(ms, ac->user, mbox, i, &mm);
		ac->imsgs[i].uid = mm.uid;
		ac->imsgs[i].flags = mm.flags;
		ac->imsgs[i].date = mm.date;
		ac->imsgs[i].data = mm.data;
		ac->imsgs[i].size = mm.len;
	}
	out->uidvalidity = mailstore_uidvalidity(ms, ac->user, mbox);
	out->uidnext = mailstore_uidnext(ms, ac->user, mbox);
	out->msgs = ac->imsgs;
	out->count = n;
	return NL_OK;
}

static enum nl_status
imap_set_flags(void *be, const char *user, const char *mbox, uint32_t uid,
    unsigned flags)
{
	struct acc_conn *ac = be;
	char u[ACC_USER_MAX];

	local_of(user, u, sizeof u);
	return mailstore_set_flags(ac->ma->store, acc_net(ac),
	    node_id(ac->ma->nd), u, mbox, uid, flags);
}

/* NL_ENOTFOUND when dest is missing: the session answers
 * NO [TRYCREATE] (RFC 3501 6.4.7). */
static enum nl_status
imap_copy(void *be, const char *user, const char *mbox, uint32_t uid,
    const char *dest)
{
	struct acc_conn *ac = be;
	char u[ACC_USER_MAX];

	local_of(user, u, sizeof u);
	return mailstore_copy(ac->ma->store, acc_net(ac),
	    node_id(ac->ma->nd), u, mbox, uid, dest);
}

static enum nl_status
imap_expunge(void *be, const char *user, const char *mbox, uint32_t uid)
{
	struct acc_conn *ac = be;
	char u[ACC_USER_MAX];

	local_of(user, u, sizeof u);
	return mailstore_remove(ac->ma->store, acc_net(ac),
	    node_id(ac->ma->nd), u, mbox, uid, TRACE_P_IMAP);
}

static const struct imap_backend_ops imap_ops = {
	be_login, imap_list, imap_create, imap_select, imap_set_flags,
	imap_copy, imap_expunge,
};

/* ---- Connections ------------------------------------------------------- */

static void
conn_free(struct acc_conn *ac)
{
	struct mail_access *ma = ac->ma;

	if (ac->prev != NULL)
		ac->prev->next = ac->next;
	else if (ma->conns == ac)
		ma->conns = ac->next;
	if (ac->next != NULL)
		ac->next->prev = ac->prev;
	if (ac->idle != 0)
		(void)sim_cancel(net_sim(acc_net(ac)), ac->idle);
	pop3_srv_free(ac->pop);		/* releases without deleting */
	imap_srv_free(ac->is);
	pop_release(ac, NULL);
	nl_free(ac->imsgs);
	nl_dbuf_free(&ac->body);
	nl_free(ac);
}

static struct nl_dbuf *
conn_out(struct acc_conn *ac)
{
	return ac->imap ? imap_srv_out(ac->is) : pop3_srv_out(ac->pop);
}

/* Sends what the session wrote; closes once it is over. */
static void
conn_flush(struct acc_conn *ac, int over)
{
	struct nl_dbuf *out = conn_out(ac);

	body_flush(ac, ac->imap ? TRACE_P_IMAP : TRACE_P_POP3);
	if (out->len > 0) {
		(void)net_tcp_send(ac->c, out->data, out->len);
		nl_dbuf_reset(out);
	}
	if (over)
		(void)net_tcp_close(ac->c);
}

/* A client silent past the autologout time loses its session as a lost
 * connection would (POP3: nothing deleted) and its connection. */
static sim_time
conn_idle(struct sim *s, void *arg)
{
	struct acc_conn *ac = arg;

	NL_UNUSED(s);
	ac->idle = 0;
	if (ac->imap)
		imap_srv_close(ac->is);
	else
		pop3_srv_close(ac->pop);
	nodes_note(acc_net(ac), node_id(ac->ma->nd), ac->imap ?
	    "IMAP autologout: the client was silent for 30 minutes" :
	    "POP3 autologout: the client was silent for 10 minutes");
	net_tcp_abort(ac->c);
	return SIM_DONE;
}

/* (Re)starts the autologout timer. */
static void
conn_arm(struct acc_conn *ac)
{
	struct sim *s = net_sim(acc_net(ac));

	if (ac->idle != 0)
		(void)sim_cancel(s, ac->idle);
	ac->idle = sim_schedule(s, (sim_time)(ac->imap ? ACC_IMAP_IDLE :
	    ACC_POP3_IDLE) * SIM_S, conn_idle, ac);
}

static void
conn_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct acc_conn *ac = ctx;
	enum nl_status st;

	st = ac->imap ? imap_srv_feed(ac->is, data, len) :
	    pop3_srv_feed(ac->pop, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		net_tcp_abort(c);
		return;
	}
	if (st == NL_OK)
		conn_arm(ac);
	else if (ac->idle != 0) {
		(void)sim_cancel(net_sim(acc_net(ac)), ac->idle);
		ac->idle = 0;
	}
	conn_flush(ac, st == NL_ECLOSED);
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
acc_accept(struct mail_access *ma, struct net_tcp *c, int imap)
{
	struct acc_conn *ac;
	enum nl_status st = NL_ENOMEM;

	ac = nl_calloc(1, sizeof *ac);
	if (ac == NULL) {
		net_tcp_abort(c);
		return;
	}
	ac->ma = ma;
	ac->c = c;
	ac->peer = net_tcp_peer_node(c);
	ac->imap = imap;
	nl_dbuf_init(&ac->body, ACC_BODY_MAX);
	ac->next = ma->conns;
	if (ma->conns != NULL)
		ma->conns->prev = ac;
	ma->conns = ac;
	net_tcp_set_cbs(c, &conn_cbs, ac);
	if (imap) {
		struct imap_srv_config cfg;

		memset(&cfg, 0, sizeof cfg);
		cfg.ops = &imap_ops;
		cfg.be = ac;
		cfg.event = imap_event;
		cfg.event_arg = ac;
		ac->is = imap_srv_new(&cfg);
		if (ac->is != NULL)
			st = imap_srv_start(ac->is);
	} else {
		struct pop3_srv_config cfg;

		memset(&cfg, 0, sizeof cfg);
		cfg.hostname = ma->hostname;
		cfg.ops = &pop_ops;
		cfg.be = ac;
		cfg.event = pop_event;
		cfg.event_arg = ac;
		ac->pop = pop3_srv_new(&cfg);
		if (ac->pop != NULL)
			st = pop3_srv_start(ac->pop);
	}
	if (st != NL_OK) {
		net_tcp_abort(c);
		return;
	}
	conn_arm(ac);
	conn_flush(ac, 0);
}

static void
pop_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	NL_UNUSED(listener);
	acc_accept(ctx, c, 0);
}

static void
imap_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	NL_UNUSED(listener);
	acc_accept(ctx, c, 1);
}

struct mail_access *
mail_access_new(struct node *nd, struct mailstore *store,
    const char *hostname)
{
	struct mail_access *ma = nl_calloc(1, sizeof *ma);

	if (ma == NULL)
		return NULL;
	ma->nd = nd;
	ma->store = store;
	ma->hostname = nl_strdup(hostname != NULL ? hostname : "localhost");
	if (ma->hostname == NULL) {
		nl_free(ma);
		return NULL;
	}
	return ma;
}

enum nl_status
mail_access_start(struct mail_access *ma)
{
	struct net *n = node_net(ma->nd);
	enum nl_status st = NL_OK;

	if (ma->pop_l == NULL) {
		st = net_tcp_listen(n, node_id(ma->nd), NODE_POP3_PORT,
		    pop_accept, ma, &ma->pop_l);
		if (st != NL_OK)
			ma->pop_l = NULL;
	}
	if (st == NL_OK && ma->imap_l == NULL) {
		st = net_tcp_listen(n, node_id(ma->nd), NODE_IMAP_PORT,
		    imap_accept, ma, &ma->imap_l);
		if (st != NL_OK)
			ma->imap_l = NULL;
	}
	return st;
}

void
mail_access_stop(struct mail_access *ma, int crash)
{
	if (ma == NULL)
		return;
	if (ma->pop_l != NULL)
		(void)net_tcp_close(ma->pop_l);
	if (ma->imap_l != NULL)
		(void)net_tcp_close(ma->imap_l);
	ma->pop_l = NULL;
	ma->imap_l = NULL;
	while (ma->conns != NULL) {
		struct acc_conn *ac = ma->conns;
		struct net_tcp *c = ac->c;

		net_tcp_set_cbs(c, &no_cbs, NULL);
		conn_free(ac);
		if (crash)
			net_tcp_abort(c);
	}
}

void
mail_access_free(struct mail_access *ma)
{
	if (ma == NULL)
		return;
	nl_free(ma->hostname);
	nl_free(ma);
}
