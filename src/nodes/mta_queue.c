/* mta_queue.c - a mail server's outgoing queue: the messages it took
 * for other domains, their retry times, and the bounces (RFC 3464).
 *
 * A message waits here until every recipient is settled: delivered (the
 * next server said 250 after the data) or bounced (a 5xx, or the queue
 * lifetime ran out; the sender then gets a delivery status
 * notification). After a temporary failure it is tried again after a
 * wait that doubles up to a limit (Postfix's backoff), until the queue
 * lifetime; mta_relay.c makes the deliveries. Every step is a mail-queue
 * state event (trace.h: enum trace_mailq) with a line a student can
 * read in the transcript. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes/mtaq_int.h"
#include "proto/imf/imf.h"
#include "util/alloc.h"
#include "util/nl.h"

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

static void msg_try(struct q_msg *m);

/* ---- Events ---- */

/* A mail-queue state event at the server: see trace.h. */
void
mtaq_event(struct mtaq *q, enum trace_mailq op, const struct q_msg *m,
    int32_t peer, sim_time next, const uint8_t *data, size_t len,
    const char *summary)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_STATE;
	ev.proto = TRACE_P_MAIL;
	ev.flags = TRACE_F_SHOW;
	ev.node = node_id(q->m->nd);
	ev.peer = peer;
	ev.link = -1;
	ev.a = op;
	ev.b = (int64_t)m->id;
	ev.c = op == TRACE_MAILQ_DEFERRED ? next : -1;
	ev.summary = (char *)(uintptr_t)summary;
	ev.data = (uint8_t *)(uintptr_t)data;
	ev.len = (uint32_t)len;
	(void)net_trace_event(q->net, &ev);
}

/* "<a>, <b>" of the recipients of part p (or of all pending ones of m
 * with state st when p is NULL) into buf. */
void
mtaq_rcpt_list(const struct q_msg *m, const struct dlv_part *p, char *buf,
    size_t size)
{
	size_t i, n = p != NULL ? p->n : m->nr, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used + 1 < size; i++) {
		const struct q_rcpt *r = &m->r[p != NULL ? p->ri[i] : i];
		int k = snprintf(buf + used, size - used, "%s<%s>",
		    used > 0 ? ", " : "", r->addr);

		if (k < 0)
			break;
		used += (size_t)k;
	}
	if (used >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

/* "12 min 30 s" for a wait; exact to the second. */
void
mtaq_wait_str(sim_time t, char *buf, size_t size)
{
	int64_t s = t / SIM_S;

	if (s >= 3600 && s % 3600 == 0)
		snprintf(buf, size, "%lld h", (long long)(s / 3600));
	else if (s >= 60 && s % 60 == 0)
		snprintf(buf, size, "%lld min", (long long)(s / 60));
	else if (s >= 60)
		snprintf(buf, size, "%lld min %lld s", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(buf, size, "%lld s", (long long)s);
}

/* ---- Messages ---- */

static void
msg_free(struct q_msg *m)
{
	struct mtaq *q = m->q;
	size_t i;

	if (m->prev != NULL)
		m->prev->next = m->next;
	else if (q->head == m)
		q->head = m->next;
	if (m->next != NULL)
		m->next->prev = m->prev;
	else if (q->tail == m)
		q->tail = m->prev;
	if (m->timer != 0)
		(void)sim_cancel(q->sim, m->timer);
	for (i = 0; i < m->nr; i++)
		nl_free(m->r[i].addr);
	nl_free(m->r);
	nl_free(m->from);
	nl_free(m->data);
	nl_free(m);
}

static sim_time
msg_timer(struct sim *s, void *arg)
{
	struct q_msg *m = arg;

	NL_UNUSED(s);
	m->timer = 0;
	if (m->q->running)
		msg_try(m);
	return SIM_DONE;
}

/* Arms m's retry for its next_try (at once if that has passed). */
static void
msg_schedule(struct q_msg *m)
{
	struct mtaq *q = m->q;
	sim_time now = sim_now(q->sim);

	if (m->timer != 0)
		(void)sim_cancel(q->sim, m->timer);
	m->timer = 0;
	if (!q->running)
		return;
	m->timer = sim_schedule(q->sim, m->next_try > now ? m->next_try -
	    now : 0, msg_timer, m);
}

enum nl_status
mtaq_add(struct mtaq *q, const char *qid, const char *from,
    const char *const *rcpt, size_t nrcpt, const uint8_t *msg, size_t len)
{
	struct q_msg *m;
	char list[512], text[700];
	size_t i;

	m = nl_calloc(1, sizeof *m);
	if (m == NULL)
		return NL_ENOMEM;
	m->q = q;
	snprintf(m->qid, sizeof m->qid, "%s", qid);
	m->id = strtoull(qid, NULL, 10);
	m->from = nl_strdup(from);
	m->r = nl_calloc(nrcpt, sizeof *m->r);
	m->data = nl_alloc(len > 0 ? len : 1);
	if (m->from == NULL || m->r == NULL || m->data == NULL)
		goto nomem;
	memcpy(m->data, msg, len);
	m->len = len;
	for (i = 0; i < nrcpt; i++) {
		const char *at;

		m->r[i].addr = nl_strdup(rcpt[i]);
		if (m->r[i].addr == NULL)
			goto nomem;
		m->nr++;
		at = strrchr(m->r[i].addr, '@');
		m->r[i].domain = at != NULL ? at + 1 : m->r[i].addr;
	}
	m->arrived = m->next_try = sim_now(q->sim);
	m->prev = q->tail;
	if (q->tail != NULL)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
	mtaq_rcpt_list(m, NULL, list, sizeof list);
	snprintf(text, sizeof text, "queue %s: from <%s> to %s, %zu bytes: "
	    "queued for relay", m->qid, m->from, list, m->len);
	mtaq_event(q, TRACE_MAILQ_QUEUED, m, -1, 0, m->data, m->len, text);
	/* After the 250 has gone out, not before: an event at once. */
	msg_schedule(m);
	return NL_OK;
nomem:
	msg_free(m);	/* not linked yet: only frees */
	return NL_ENOMEM;
}

/* The wait after `tries` failed rounds: retry, doubling up to
 * retry_max (Postfix's mtaq_backoff). */
sim_time
mtaq_backoff(const struct mtaq *q, unsigned tries)
{
	sim_time w = q->retry;
	unsigned i;

	for (i = 1; i < tries && w < q->retry_max; i++)
		w *= 2;
	return w < q->retry_max ? w : q->retry_max;
}

/* The bounce for m's recipients with bounce_due: to the sender's
 * mailbox when the sender is local, else queued for relay. A bounce of
 * a bounce (null sender) goes to the local postmaster instead (RFC 5321
 * 6.1: never a notification about a notification). */
static void
msg_bounce(struct q_msg *m)
{
	struct mtaq *q = m->q;
	struct mta *mta = q->m;
	struct imf_dsn_rcpt rr[64];
	struct imf_dsn d;
	struct nl_dbuf out, expl, mid;
	char from[300], user[256], qid[24], pm[300];
	size_t i, n = 0;
	int64_t now = NODE_MAIL_EPOCH + sim_now(q->sim) / SIM_S;
	enum nl_status st;

	for (i = 0; i < m->nr; i++) {
		struct q_rcpt *r = &m->r[i];

		if (!r->bounce_due || n == NL_ARRAY_LEN(rr))
			continue;
		r->bounce_due = 0;
		rr[n].addr = r->addr;
		rr[n].status = r->status;
		rr[n].remote_mta = r->remote[0] != '\0' ? r->remote : NULL;
		rr[n].diag = r->why;
		n++;
	}
	if (n == 0)
		return;
	snprintf(pm, sizeof pm, "postmaster@%s", mta->domain);
	if (m->from[0] == '\0') {
		(void)mta_deliver_generated(mta, pm, m->data, m->len);
		return;
	}
	snprintf(from, sizeof from, "MAILER-DAEMON@%s", mta->domain);
	nl_dbuf_init(&out, MTAQ_DSN_MAX);
	nl_dbuf_init(&expl, 1u << 16);
	nl_dbuf_init(&mid, 512);
	q->dsn_seq++;
	/* Its own form, so that it never equals a user agent's id. */
	st = nl_dbuf_addf(&mid, "<dsn.%llu.%lld@%s>",
	    (unsigned long long)q->dsn_seq, (long long)now,
	    node_name(mta->nd));
	if (st == NL_OK)
		st = nl_dbuf_add(&mid, "", 1);
	if (st == NL_OK)
		st = nl_dbuf_add_str(&expl, "This is the mail system at ");
	if (st == NL_OK)
		st = nl_dbuf_add_str(&expl, mta->domain);
	if (st == NL_OK)
		st = nl_dbuf_add_str(&expl, ".\n\nI'm sorry to have to inform "
		    "you that your message could not\nbe delivered to one or "
		    "more recipients. Its header is attached below.\n");
	for (i = 0; i < n && st == NL_OK; i++) {
		char line[600];

		snprintf(line, sizeof line, "\n<%s>: %s\n", rr[i].addr,
		    rr[i].diag);
		st = nl_dbuf_add_str(&expl, line);
	}
	if (st == NL_OK)
		st = nl_dbuf_add(&expl, "", 1);
	if (st == NL_OK) {
		memset(&d, 0, sizeof d);
		d.reporting_mta = node_name(mta->nd);
		d.from = from;
		d.to = m->from;
		d.date = now;
		d.arrival = NODE_MAIL_EPOCH + m->arrived / SIM_S;
		d.message_id = (const char *)mid.data;
		d.explanation = (const char *)expl.data;
		d.rcpt = rr;
		d.nrcpt = n;
		d.orig = m->data;
		d.orig_len = m->len;
		st = imf_dsn_write(&d, &out);
	}
	if (st == NL_OK) {
		if (mta_local_part(mta, m->from, user, sizeof user))
			st = mta_deliver_generated(mta, m->from, out.data,
			    out.len);
		else {
			const char *to = m->from;

			mta_next_qid(mta, qid, sizeof qid);
			st = mtaq_add(q, qid, "", &to, 1, out.data, out.len);
		}
	}
	if (st != NL_OK)	/* no memory for the DSN: keep the original */
		(void)mta_deliver_generated(mta, pm, m->data, m->len);
	nl_dbuf_free(&out);
	nl_dbuf_free(&expl);
	nl_dbuf_free(&mid);
}

/* Called when no delivery carries m any more: bounces what bounced,
 * then m leaves the queue (every recipient settled) or waits. */
void
mtaq_settle(struct q_msg *m)
{
	char text[120];
	size_t i;
	int pending = 0;

	for (i = 0; i < m->nr; i++) {
		if (m->r[i].dlv != NULL)
			return;
		if (m->r[i].state == RCPT_PENDING)
			pending = 1;
	}
	msg_bounce(m);
	if (pending) {
		msg_schedule(m);
		return;
	}
	snprintf(text, sizeof text, "queue %s: every recipient settled: "
	    "removed from the queue", m->qid);
	mtaq_event(m->q, TRACE_MAILQ_DONE, m, -1, 0, NULL, 0, text);
	msg_free(m);
}

/* ---- Deliveries ---- */

/* ---- Trying ---- */

/* m's pending recipients ride a delivery of their domain: one that is
 * still taking messages, else a new one that also takes every other
 * message due for that domain (one connection for all, RFC 5321 3.3).
 * New deliveries start only once all are made: a start may settle and
 * free m at once (a bounce), so m is not touched after it. */
static void
msg_try(struct q_msg *m)
{
	struct mtaq *q = m->q;
	sim_time now = sim_now(q->sim);
	struct q_dlv *d;
	struct q_msg *o;
	size_t i;

	for (i = 0; i < m->nr; i++) {
		struct q_rcpt *r = &m->r[i];

		if (r->state != RCPT_PENDING || r->dlv != NULL)
			continue;
		for (d = q->dlvs; d != NULL; d = d->next)
			if (mta_same_domain(d->domain, r->domain) &&
			    (d->stage != DLV_SMTP || (d->cli != NULL &&
			    smtp_cli_state(d->cli) < SMTP_CLI_QUIT)) &&
			    mtaq_dlv_add(d, m))
				break;
		if (r->dlv != NULL)
			continue;
		d = mtaq_dlv_new(q, r->domain);
		if (d == NULL || !mtaq_dlv_add(d, m)) {
			if (d != NULL)
				mtaq_dlv_free(d);
			continue;	/* no memory: the retry below */
		}
		d->fresh = 1;
		for (o = q->head; o != NULL; o = o->next)
			if (o != m && o->next_try <= now && mtaq_dlv_add(d, o) &&
			    o->timer != 0) {
				(void)sim_cancel(q->sim, o->timer);
				o->timer = 0;
			}
	}
	for (i = 0; i < m->nr; i++)
		if (m->r[i].state == RCPT_PENDING && m->r[i].dlv == NULL) {
			m->tries++;
			m->next_try = now + mtaq_backoff(q, m->tries);
			msg_schedule(m);
			break;
		}
	for (;;) {
		for (d = q->dlvs; d != NULL && !d->fresh; d = d->next)
			;
		if (d == NULL)
			break;
		d->fresh = 0;
		mtaq_dlv_start(d);
	}
}

/* ---- The queue ---- */

struct mtaq *
mtaq_new(struct mta *m, const struct node_mail_queue_cfg *cfg)
{
	struct mtaq *q = nl_calloc(1, sizeof *q);

	if (q == NULL)
		return NULL;
	q->m = m;
	q->net = node_net(m->nd);
	q->sim = net_sim(q->net);
	q->retry = cfg != NULL && cfg->retry > 0 ? cfg->retry :
	    NODE_MAILQ_RETRY;
	q->retry_max = cfg != NULL && cfg->retry_max > 0 ? cfg->retry_max :
	    NODE_MAILQ_RETRY_MAX;
	if (q->retry_max < q->retry)
		q->retry_max = q->retry;
	q->lifetime = cfg != NULL && cfg->lifetime > 0 ? cfg->lifetime :
	    NODE_MAILQ_LIFETIME;
	/* Between servers: EHLO and the RFC 5321 forms, with SIZE and
	 * BODY when the server offers them. */
	q->cli_cfg.helo_name = node_name(m->nd);
	q->running = 1;
	nl_pool_init(&q->dlv_pool, sizeof(struct q_dlv), 64);
	return q;
}

void
mtaq_start(struct mtaq *q)
{
	struct q_msg *m;

	q->running = 1;
	for (m = q->head; m != NULL; m = m->next)
		msg_schedule(m);
}

void
mtaq_stop(struct mtaq *q, int crash)
{
	struct q_msg *m;

	if (q == NULL)
		return;
	q->running = 0;
	for (m = q->head; m != NULL; m = m->next)
		if (m->timer != 0) {
			(void)sim_cancel(q->sim, m->timer);
			m->timer = 0;
		}
	while (q->dlvs != NULL) {
		struct q_dlv *d = q->dlvs;
		struct net_tcp *c = d->c;

		if (c != NULL)
			net_tcp_set_cbs(c, &no_cbs, NULL);
		d->c = NULL;
		mtaq_dlv_drop(d);
		if (c != NULL && crash)
			net_tcp_abort(c);
	}
}

void
mtaq_free(struct mtaq *q)
{
	if (q == NULL)
		return;
	mtaq_stop(q, 0);
	while (q->head != NULL)
		msg_free(q->head);
	nl_pool_drain(&q->dlv_pool);
	nl_free(q);
}
