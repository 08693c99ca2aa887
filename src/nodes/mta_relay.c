/* mta_relay.c - the deliveries of a mail server's outgoing queue: relay
 * to another domain (RFC 5321 5.1).
 *
 * Shape after OpenSMTPD's mta.c: the recipients of one domain travel
 * together in a delivery, which looks the domain's MX records up
 * through the server's local DNS server, tries the exchangers in
 * preference order (an address from the additional section, else an A
 * query), and runs the client session of proto/smtp on port 25. Several
 * messages due for the same domain go over one connection, one
 * transaction each (RFC 5321 3.3). What each recipient became goes back
 * to the queue (mta_queue.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes/mtaq_int.h"
#include "proto/ip/ipv4.h"
#include "util/alloc.h"
#include "util/nl.h"

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

static void dlv_next_host(struct q_dlv *d);

/* The address of an A record's RDATA (network order). */
static uint32_t
rr_addr(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	    (uint32_t)a[2] << 8 | a[3];
}

void
mtaq_dlv_free(struct q_dlv *d)
{
	struct mtaq *q = d->q;
	size_t i;

	if (d->prev != NULL)
		d->prev->next = d->next;
	else if (q->dlvs == d)
		q->dlvs = d->next;
	if (d->next != NULL)
		d->next->prev = d->prev;
	sim_timer_cancel(q->sim, &d->timer);
	smtp_cli_free(d->cli);
	nl_dbuf_free(&d->out);
	for (i = 0; i < d->nparts; i++)
		nl_free(d->parts[i].ri);
	nl_free(d->parts);
	nl_pool_put(&q->dlv_pool, d);
}

static void dlv_why(struct q_dlv *d, const char *status, const char *fmt,
    ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Why the current host failed, with its RFC 3463 status. */
static void
dlv_why(struct q_dlv *d, const char *status, const char *fmt, ...)
{
	va_list ap;

	snprintf(d->status, sizeof d->status, "%s", status);
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof d->why, fmt, ap);
	va_end(ap);
}

/* Bounces (perm) or defers every recipient of d still pending, then the
 * messages are settled and d is freed. */
static void
dlv_finish(struct q_dlv *d, int perm)
{
	struct mtaq *q = d->q;
	sim_time now = sim_now(q->sim);
	struct q_msg **ms;
	size_t i, j, nms = 0;
	char list[400], text[900], wait[32], at[32];

	ms = nl_calloc(d->nparts + 1, sizeof *ms);
	for (i = 0; i < d->nparts; i++) {
		struct dlv_part *p = &d->parts[i];
		struct q_msg *m = p->m;
		int expired, any = 0;
		sim_time next;

		for (j = 0; j < p->n; j++)
			if (m->r[p->ri[j]].state == RCPT_PENDING)
				any = 1;
		if (any && !perm)
			m->tries++;
		next = now + mtaq_backoff(q, m->tries);
		if (next > m->arrived + q->lifetime)
			next = m->arrived + q->lifetime;
		expired = now >= m->arrived + q->lifetime;
		for (j = 0; j < p->n; j++) {
			struct q_rcpt *r = &m->r[p->ri[j]];

			if (r->state != RCPT_PENDING)
				continue;
			/* A recipient's own 4xx, else the host's failure. */
			if (r->why[0] == '\0' || !p->finished) {
				snprintf(r->status, sizeof r->status, "%s",
				    d->status);
				snprintf(r->why, sizeof r->why, "%s", d->why);
				snprintf(r->remote, sizeof r->remote, "%s",
				    d->cur < d->nhosts ? d->hosts[d->cur].name :
				    "");
			}
			if (perm || expired) {
				r->state = RCPT_BOUNCED;
				r->bounce_due = 1;
				if (expired && !perm) {
					char old[MTAQ_WHY_MAX];

					snprintf(old, sizeof old, "%s",
					    r->why);
					snprintf(r->status, sizeof r->status,
					    "4.4.7");
					snprintf(r->why, sizeof r->why,
					    "delivery time expired (%.150s)",
					    old);
				}
			}
		}
		if (any) {
			mtaq_rcpt_list(m, p, list, sizeof list);
			if (perm || expired) {
				snprintf(text, sizeof text, "queue %s: %s "
				    "bounced: %s; a delivery status "
				    "notification goes to <%s>", m->qid, list,
				    m->r[p->ri[0]].why, m->from[0] != '\0' ?
				    m->from : "postmaster");
				mtaq_event(q, TRACE_MAILQ_BOUNCED, m, d->peer, 0,
				    NULL, 0, text);
			} else {
				if (m->next_try <= now || next < m->next_try)
					m->next_try = next;
				mtaq_wait_str(m->next_try - now, wait, sizeof wait);
				sim_time_str(m->next_try, at, sizeof at);
				snprintf(text, sizeof text, "queue %s: %s "
				    "deferred: %s; next try in %s (at %s s)",
				    m->qid, list, m->r[p->ri[0]].why, wait,
				    at);
				mtaq_event(q, TRACE_MAILQ_DEFERRED, m, d->peer,
				    m->next_try, NULL, 0, text);
			}
		}
		for (j = 0; j < p->n; j++)
			m->r[p->ri[j]].dlv = NULL;
		if (ms != NULL)
			ms[nms++] = m;
	}
	mtaq_dlv_free(d);
	/* A message is settled once; parts of one delivery are distinct
	 * messages. Without memory for the list, the timers of the
	 * messages are left to do it (msg_try settles a stuck one). */
	for (i = 0; i < nms; i++)
		mtaq_settle(ms[i]);
	nl_free(ms);
}

/* The current host failed: the next one, or wait for a retry. */
static void
dlv_try_next(struct q_dlv *d)
{
	if (d->cur + 1 < d->nhosts) {
		d->cur++;
		dlv_next_host(d);
	} else {
		dlv_finish(d, 0);
	}
}

/* The node went down while d was waiting: let go of its recipients
 * without a word (the queue is scheduled again when the node is up). */
void
mtaq_dlv_drop(struct q_dlv *d)
{
	size_t i, j;

	for (i = 0; i < d->nparts; i++)
		for (j = 0; j < d->parts[i].n; j++)
			d->parts[i].m->r[d->parts[i].ri[j]].dlv = NULL;
	mtaq_dlv_free(d);
}

/* Hands part p to the session: its own envelope, the domain's
 * recipients only. */
static enum nl_status
part_send(struct q_dlv *d, struct dlv_part *p)
{
	struct smtp_envelope env;
	enum nl_status st;
	size_t i;

	smtp_env_init(&env);
	st = smtp_env_set_from(&env, p->m->from);
	for (i = 0; i < p->n && st == NL_OK; i++)
		st = smtp_env_add_rcpt(&env, p->m->r[p->ri[i]].addr);
	if (st == NL_OK)
		st = smtp_cli_send(d->cli, &env, p->m->data, p->m->len, p);
	smtp_env_clear(&env);
	if (st == NL_OK)
		p->queued = 1;
	return st;
}

/* Adds m's pending recipients of d's domain that no delivery carries;
 * 0 when there are none or no room. */
int
mtaq_dlv_add(struct q_dlv *d, struct q_msg *m)
{
	struct dlv_part *p;
	size_t i, n = 0;

	if (d->nparts == SMTP_CLI_QUEUE_MAX)
		return 0;
	for (i = 0; i < m->nr; i++)
		if (m->r[i].state == RCPT_PENDING && m->r[i].dlv == NULL &&
		    mta_same_domain(m->r[i].domain, d->domain))
			n++;
	if (n == 0)
		return 0;
	if (d->nparts == d->capparts) {
		size_t cap = d->capparts ? d->capparts * 2 : 4;
		struct dlv_part *np = nl_realloc(d->parts, cap * sizeof *np);

		if (np == NULL)
			return 0;
		d->parts = np;
		d->capparts = cap;
	}
	p = &d->parts[d->nparts];
	memset(p, 0, sizeof *p);
	p->ri = nl_calloc(n, sizeof *p->ri);
	if (p->ri == NULL)
		return 0;
	p->m = m;
	for (i = 0; i < m->nr; i++) {
		struct q_rcpt *r = &m->r[i];

		if (r->state == RCPT_PENDING && r->dlv == NULL &&
		    mta_same_domain(r->domain, d->domain)) {
			p->ri[p->n++] = i;
			r->dlv = d;
			r->why[0] = '\0';
		}
	}
	d->nparts++;
	if (d->stage == DLV_SMTP && part_send(d, p) != NL_OK) {
		/* The session takes no more: the part waits for the end
		 * of this delivery and the next host or a retry. */
	}
	return 1;
}

/* Sends what the session wrote, closes when it is over, and arms the
 * reply timeout of RFC 5321 4.5.3.2. */
static void dlv_timeout(struct sim *s, void *arg);
static void dlv_ended(struct q_dlv *d, enum nl_status why);

static void
dlv_flush(struct q_dlv *d)
{
	unsigned secs;

	if (d->c == NULL || d->cli == NULL)
		return;
	if (d->out.len > 0) {
		(void)net_tcp_send(d->c, d->out.data, d->out.len);
		nl_dbuf_reset(&d->out);
	}
	sim_timer_stop(&d->timer);
	/* 221 read (or 421): the queue is told now, not after the TCP
	 * close and TIME-WAIT, which the connection sees to alone. */
	if (smtp_cli_done(d->cli)) {
		struct net_tcp *c = d->c;

		net_tcp_set_cbs(c, &no_cbs, NULL);
		(void)net_tcp_close(c);
		d->c = NULL;
		dlv_ended(d, NL_OK);
		return;
	}
	secs = smtp_cli_timeout_s(d->cli);
	if (secs > 0)
		(void)sim_timer_set(d->q->sim, &d->timer,
		    (sim_time)secs * SIM_S);
}

static void
dlv_timeout(struct sim *s, void *arg)
{
	struct q_dlv *d = arg;
	const char *state = smtp_cli_state_str(smtp_cli_state(d->cli));

	NL_UNUSED(s);
	dlv_why(d, "4.4.2", "timed out waiting for %s's reply (state %s)",
	    d->hosts[d->cur].name, state);
	smtp_cli_abort(d->cli, d->why);
	net_tcp_abort(d->c);	/* dlv_close follows */
}

static void
cli_line(void *ctx, enum smtp_line_kind kind, const char *line, size_t len)
{
	struct q_dlv *d = ctx;
	uint8_t buf[1024];

	if (kind == SMTP_LINE_REPLY || len + 2 > sizeof buf || d->c == NULL)
		return;
	memcpy(buf, line, len);
	buf[len] = '\r';
	buf[len + 1] = '\n';
	node_app_lines(d->q->net, node_id(d->q->m->nd), d->peer,
	    TRACE_P_SMTP, TRACE_F_TO_SERVER, net_tcp_id(d->c), buf, len + 2,
	    "C: ");
}

/* The RFC 3463 code at the start of a reply text ("5.1.1 ..."), else
 * the class's generic one. */
static void
status_of(int code, const char *text, char *buf, size_t size)
{
	size_t i = 0;

	if (text != NULL && (text[0] == '2' || text[0] == '4' ||
	    text[0] == '5') && text[1] == '.') {
		while (text[i] != '\0' && text[i] != ' ' && i + 1 < size) {
			buf[i] = text[i];
			i++;
		}
		buf[i] = '\0';
		return;
	}
	snprintf(buf, size, "%d.0.0", code >= 500 ? 5 : 4);
}

static void
cli_done(void *ctx, void *msg_ctx, const struct smtp_rcpt_result *res,
    size_t n)
{
	struct q_dlv *d = ctx;
	struct dlv_part *p = msg_ctx;
	struct q_msg *m = p->m;
	const char *host = d->hosts[d->cur].name;
	char text[900];
	size_t i;

	for (i = 0; i < n && i < p->n; i++) {
		struct q_rcpt *r = &m->r[p->ri[i]];
		const char *t = res[i].text != NULL ? res[i].text : "";

		/* No reply at all (the connection went): the part was not
		 * tried at this host; dlv_close decides. */
		if (res[i].outcome == SMTP_OUT_TEMPFAIL && res[i].code == 0)
			continue;
		p->finished = 1;
		snprintf(r->remote, sizeof r->remote, "%s", host);
		if (res[i].outcome == SMTP_OUT_ACCEPTED) {
			r->state = RCPT_DELIVERED;
			snprintf(text, sizeof text, "queue %s: <%s> delivered "
			    "to %s: %.200s", m->qid, r->addr, host, t);
			mtaq_event(d->q, TRACE_MAILQ_DELIVERED, m, d->peer, 0,
			    NULL, 0, text);
			continue;
		}
		status_of(res[i].code, t, r->status, sizeof r->status);
		snprintf(r->why, sizeof r->why, "%.190s", t);
		if (res[i].outcome == SMTP_OUT_PERMFAIL) {
			r->state = RCPT_BOUNCED;
			r->bounce_due = 1;
			snprintf(text, sizeof text, "queue %s: <%s> bounced: "
			    "%s said %s; a delivery status notification goes "
			    "to <%s>", m->qid, r->addr, host, r->why,
			    m->from[0] != '\0' ? m->from : "postmaster");
			mtaq_event(d->q, TRACE_MAILQ_BOUNCED, m, d->peer, 0, NULL,
			    0, text);
		}
	}
}

static const struct smtp_cli_ops cli_ops = {
	NULL, NULL, cli_line, cli_done,
};

static void
dlv_connected(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct q_dlv *d = ctx;
	size_t i;

	NL_UNUSED(c);
	if (st != NL_OK)
		return;		/* dlv_close follows */
	d->stage = DLV_SMTP;
	d->cli = smtp_cli_new(&d->q->cli_cfg, &cli_ops, d, &d->out);
	if (d->cli == NULL) {
		dlv_why(d, "4.3.0", "out of memory");
		net_tcp_abort(d->c);
		return;
	}
	for (i = 0; i < d->nparts; i++)
		(void)part_send(d, &d->parts[i]);
	smtp_cli_quit(d->cli);
	dlv_flush(d);
}

static void
dlv_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct q_dlv *d = ctx;
	enum nl_status st;

	if (d->cli == NULL)
		return;
	st = smtp_cli_feed(d->cli, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		net_tcp_abort(c);
		return;
	}
	dlv_flush(d);
}

static void
dlv_peer_fin(struct net_tcp *c, void *ctx)
{
	NL_UNUSED(ctx);
	(void)net_tcp_close(c);
}

/* The session is over or the connection gone: settled recipients stay
 * so; the others try the next host if the session never answered for
 * them, else wait for a retry. */
static void
dlv_ended(struct q_dlv *d, enum nl_status why)
{
	const struct dlv_host *h = &d->hosts[d->cur];
	char where[DNS_NAME_STRLEN + 32], ip[IPV4_ADDR_STRLEN];
	size_t i;
	int unfinished = 0;

	sim_timer_stop(&d->timer);
	snprintf(where, sizeof where, "%s[%s]", h->name,
	    ipv4_addr_str(h->addr, ip));
	if (d->why[0] == '\0' || d->stage != DLV_SMTP) {
		switch (why) {
		case NL_ECONNREFUSED:
			dlv_why(d, "4.4.1", "connect to %s:25: connection "
			    "refused", where);
			break;
		case NL_ETIMEDOUT:
			dlv_why(d, "4.4.1", "connect to %s:25: connection "
			    "timed out", where);
			break;
		case NL_ENOROUTE:
			dlv_why(d, "4.4.1", "connect to %s:25: no route to "
			    "host", where);
			break;
		default:
			if (d->stage == DLV_SMTP)
				dlv_why(d, "4.4.2", "lost connection with %s "
				    "while in state %s", where,
				    smtp_cli_state_str(smtp_cli_state(
				    d->cli)));
			break;
		}
	}
	if (d->cli != NULL) {
		if (smtp_cli_pending(d->cli) > 0)
			smtp_cli_abort(d->cli, d->why);
		smtp_cli_free(d->cli);
		d->cli = NULL;
	}
	nl_dbuf_reset(&d->out);
	for (i = 0; i < d->nparts; i++) {
		d->parts[i].queued = 0;
		if (!d->parts[i].finished)
			unfinished = 1;
	}
	/* RFC 5321 5.1: on a failure to connect or a lost session, try
	 * the next address of the list before giving up for now. */
	if (unfinished && d->cur + 1 < d->nhosts) {
		d->cur++;
		dlv_next_host(d);
		return;
	}
	dlv_finish(d, 0);
}

static void
dlv_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct q_dlv *d = ctx;

	NL_UNUSED(c);
	d->c = NULL;
	dlv_ended(d, why);
}

static const struct net_tcp_cbs dlv_cbs = {
	dlv_connected, dlv_recv, dlv_peer_fin, dlv_close,
};

/* Connects to the current host, which has its address. */
static void
dlv_connect(struct q_dlv *d)
{
	struct mtaq *q = d->q;
	const struct dlv_host *h = &d->hosts[d->cur];
	char list[400], text[800], ip[IPV4_ADDR_STRLEN];
	enum nl_status st;
	size_t i;

	d->stage = DLV_CONNECT;
	d->why[0] = '\0';
	d->peer = net_node_by_addr(q->net, h->addr);
	ipv4_addr_str(h->addr, ip);
	for (i = 0; i < d->nparts; i++) {
		struct q_msg *m = d->parts[i].m;

		mtaq_rcpt_list(m, &d->parts[i], list, sizeof list);
		snprintf(text, sizeof text, "queue %s: attempt %u for %s: %s "
		    "(MX %u, %s), port 25", m->qid, m->tries + 1, list,
		    h->name, (unsigned)h->pref, ip);
		mtaq_event(q, TRACE_MAILQ_ATTEMPT, m, d->peer, 0, NULL, 0, text);
	}
	st = net_tcp_connect(q->net, node_id(q->m->nd), h->addr,
	    NODE_SMTP_PORT, &dlv_cbs, d, &d->c);
	if (st != NL_OK) {
		d->c = NULL;
		dlv_why(d, "4.4.1", "connect to %s: %s", h->name,
		    nl_status_str(st));
		dlv_try_next(d);
	}
}

static void
on_a(void *ctx, enum nl_status st, const struct dns_msg *resp)
{
	struct q_dlv *d = ctx;
	struct dlv_host *h = &d->hosts[d->cur];
	const struct dns_rrs *an;
	uint16_t i;

	if (st == NL_ECLOSED) {
		mtaq_dlv_drop(d);
		return;
	}
	if (st == NL_OK && resp->hdr.rcode == DNS_R_NOERROR) {
		an = &resp->sec[DNS_S_ANSWER];
		for (i = 0; i < an->count && h->addr == 0; i++)
			if (an->rr[i].type == DNS_T_A)
				h->addr = rr_addr(an->rr[i].rd.a);
	}
	if (h->addr != 0 && net_node_by_addr(d->q->net, h->addr) ==
	    node_id(d->q->m->nd))
		h->addr = 0;	/* ourselves: no use */
	if (h->addr != 0) {
		dlv_connect(d);
		return;
	}
	dlv_why(d, "4.4.3", "no address for the mail exchanger %s (%s)",
	    h->name, st == NL_OK ? "no A record" : "the DNS lookup failed");
	dlv_try_next(d);
}

/* Asks for the current host's address unless it is known. */
static void
dlv_next_host(struct q_dlv *d)
{
	struct dlv_host *h = &d->hosts[d->cur];
	struct dns_name name;
	enum nl_status st;

	if (h->addr != 0) {
		dlv_connect(d);
		return;
	}
	d->stage = DLV_A;
	st = dns_name_from_str(h->name, &name, NULL);
	if (st == NL_OK)
		st = node_dns_query(d->q->m->nd->ns, node_id(d->q->m->nd),
		    &name, DNS_T_A, on_a, d);
	if (st != NL_OK) {
		dlv_why(d, "4.4.3", "cannot look up %s: %s", h->name,
		    nl_status_str(st));
		dlv_finish(d, 0);
	}
}

/* 1 if the exchanger's address is one of this node's. */
static int
is_self(const struct q_dlv *d, uint32_t addr)
{
	return addr != 0 && net_node_by_addr(d->q->net, addr) ==
	    node_id(d->q->m->nd);
}

static int
host_cmp(const void *a, const void *b)
{
	const struct dlv_host *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The MX answer: the exchangers in preference order (RFC 5321 5.1; equal
 * preferences by name, so that a run is repeatable), their addresses
 * from the additional section when given. */
static void
on_mx(void *ctx, enum nl_status st, const struct dns_msg *resp)
{
	struct q_dlv *d = ctx;
	const struct dns_rrs *an, *ad;
	size_t i, k, self_pref = SIZE_MAX;
	uint16_t j;

	if (st == NL_ECLOSED) {
		mtaq_dlv_drop(d);
		return;
	}
	if (st != NL_OK) {
		dlv_why(d, "4.4.3", "the DNS lookup of MX %s got no answer",
		    d->domain);
		dlv_finish(d, 0);
		return;
	}
	if (resp->hdr.rcode == DNS_R_NXDOMAIN) {
		dlv_why(d, "5.1.2", "Host or domain name not found: %s (DNS "
		    "says NXDOMAIN)", d->domain);
		dlv_finish(d, 1);
		return;
	}
	if (resp->hdr.rcode != DNS_R_NOERROR) {
		dlv_why(d, "4.4.3", "the DNS lookup of MX %s failed: %s",
		    d->domain, dns_rcode_str((enum dns_rcode)resp->hdr.rcode));
		dlv_finish(d, 0);
		return;
	}
	an = &resp->sec[DNS_S_ANSWER];
	ad = &resp->sec[DNS_S_ADDITIONAL];
	d->nhosts = 0;
	for (j = 0; j < an->count && d->nhosts < NODE_MAILQ_HOSTS_MAX; j++) {
		struct dlv_host *h = &d->hosts[d->nhosts];

		if (an->rr[j].type != DNS_T_MX)
			continue;
		memset(h, 0, sizeof *h);
		h->pref = an->rr[j].rd.mx.preference;
		dns_name_str(&an->rr[j].rd.mx.exchange, h->name,
		    sizeof h->name);
		k = strlen(h->name);
		if (k > 1 && h->name[k - 1] == '.')
			h->name[k - 1] = '\0';
		for (k = 0; k < ad->count; k++)
			if (ad->rr[k].type == DNS_T_A && dns_name_eq(
			    &ad->rr[k].name, &an->rr[j].rd.mx.exchange)) {
				h->addr = rr_addr(ad->rr[k].rd.a);
				break;
			}
		d->nhosts++;
	}
	/* RFC 5321 5.1: no MX, the domain itself is the exchanger. */
	if (d->nhosts == 0) {
		memset(&d->hosts[0], 0, sizeof d->hosts[0]);
		snprintf(d->hosts[0].name, sizeof d->hosts[0].name, "%s",
		    d->domain);
		d->nhosts = 1;
	}
	qsort(d->hosts, d->nhosts, sizeof d->hosts[0], host_cmp);
	/* RFC 5321 5.1: when we are an exchanger of the domain ourselves,
	 * only those preferred to us may take it, or the mail loops. */
	for (i = 0; i < d->nhosts; i++)
		if (is_self(d, d->hosts[i].addr) && self_pref == SIZE_MAX)
			self_pref = d->hosts[i].pref;
	for (i = k = 0; i < d->nhosts; i++)
		if (d->hosts[i].pref < self_pref && !is_self(d,
		    d->hosts[i].addr))
			d->hosts[k++] = d->hosts[i];
	d->nhosts = k;
	if (d->nhosts == 0) {
		dlv_why(d, "5.4.6", "mail for %s loops back to myself",
		    d->domain);
		dlv_finish(d, 1);
		return;
	}
	d->cur = 0;
	dlv_next_host(d);
}

/* A new delivery for domain, starting with its MX query. */
struct q_dlv *
mtaq_dlv_new(struct mtaq *q, const char *domain)
{
	struct q_dlv *d = nl_pool_zget(&q->dlv_pool);

	if (d == NULL)
		return NULL;
	d->q = q;
	d->peer = -1;
	sim_timer_init(&d->timer, dlv_timeout, d);
	snprintf(d->domain, sizeof d->domain, "%s", domain);
	nl_dbuf_init(&d->out, MTAQ_OUT_MAX);
	d->next = q->dlvs;
	if (q->dlvs != NULL)
		q->dlvs->prev = d;
	q->dlvs = d;
	return d;
}

void
mtaq_dlv_start(struct q_dlv *d)
{
	struct dns_name name;
	enum nl_status st;

	d->stage = DLV_MX;
	st = dns_name_from_str(d->domain, &name, NULL);
	if (st != NL_OK) {
		dlv_why(d, "5.1.2", "bad domain name %s", d->domain);
		dlv_finish(d, 1);
		return;
	}
	st = node_dns_query(d->q->m->nd->ns, node_id(d->q->m->nd), &name,
	    DNS_T_MX, on_mx, d);
	if (st == NL_ENOTFOUND) {
		dlv_why(d, "5.4.4", "cannot look up MX %s: this mail server "
		    "has no local DNS server (give it a \"dns\")", d->domain);
		dlv_finish(d, 1);
	} else if (st != NL_OK) {
		dlv_why(d, "4.3.0", "cannot look up MX %s: %s", d->domain,
		    nl_status_str(st));
		dlv_finish(d, 0);
	}
}
