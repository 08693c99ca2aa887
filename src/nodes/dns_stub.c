/* dns_stub.c - the stub resolver of hosts (RFC 1123 6.1.3.1, RFC 1034
 * 5.3.1): one question with RD=1 to the node's local DNS server from an
 * ephemeral port, tried again after DNS_STUB_TIMEOUT, given up after
 * DNS_STUB_TRIES. The timeline's `resolve` tells the answer in notes the
 * way the `host` command prints it. */
#include <stdio.h>
#include <string.h>

#include "nodes/dns_node_int.h"
#include "proto/ip/ipv4.h"
#include "util/alloc.h"
#include "util/nl.h"

struct dns_stub {
	struct node_client base;	/* first: the nodes list */
	struct nodes *ns;
	int32_t node;			/* the asking node */
	uint32_t server;		/* its local DNS server */
	struct net_udp *sock;		/* our ephemeral socket */
	struct dns_name name;		/* the question */
	uint16_t type;
	uint16_t id;			/* its id, the same at each try */
	unsigned tries;			/* sent so far */
	uint64_t timer;			/* the timeout, 0 when none */
	uint64_t reap;			/* deferred free, 0 when none */
	int answered;			/* the response came */
	node_dns_cb *cb;		/* NULL: notes for `resolve` */
	void *ctx;
};

/* Unlinks q, cancels its events, closes its socket, frees it. */
static void
stub_free(struct dns_stub *q)
{
	struct sim *s = net_sim(q->ns->net);

	node_client_unlink(q->ns, &q->base);
	if (q->timer != 0)
		(void)sim_cancel(s, q->timer);
	if (q->reap != 0)
		(void)sim_cancel(s, q->reap);
	net_udp_close(q->sock);
	nl_free(q);
}

/* "gaia.cs.umass.edu": a name as `host` prints an owner. */
static const char *
bare(const struct dns_name *n, char *buf, size_t size)
{
	size_t l;

	dns_name_str(n, buf, size);
	l = strlen(buf);
	if (l > 1 && buf[l - 1] == '.')
		buf[l - 1] = '\0';
	return buf;
}

/* One note per answer record, in the words of `host`. */
static void
tell(struct dns_stub *q, const struct dns_msg *r)
{
	struct net *n = q->ns->net;
	const struct dns_rrs *an = &r->sec[DNS_S_ANSWER];
	const char *rc, *ty = dns_type_str((enum dns_type)q->type);
	char owner[DNS_NAME_STRLEN], text[DNS_NAME_STRLEN * 2 + 64];
	struct nl_dbuf rd;
	uint16_t i;
	int told = 0;

	if (net_trace(n) == NULL)
		return;		/* notes are for the trace only */
	bare(&q->name, owner, sizeof owner);
	if (r->hdr.rcode != DNS_R_NOERROR) {
		rc = dns_rcode_str((enum dns_rcode)r->hdr.rcode);
		dns_node_note(n, q->node, "Host %s not found: %u(%s)", owner,
		    (unsigned)r->hdr.rcode, rc != NULL ? rc : "?");
		return;
	}
	for (i = 0; i < an->count; i++) {
		const struct dns_rr *rr = &an->rr[i];
		const char *what;

		bare(&rr->name, owner, sizeof owner);
		nl_dbuf_init(&rd, 4096);
		if (dns_rdata_print(&rd, rr) != NL_OK)
			continue;
		switch (rr->type) {
		case DNS_T_A:
			what = "has address";
			break;
		case DNS_T_AAAA:
			what = "has IPv6 address";
			break;
		case DNS_T_CNAME:
			what = "is an alias for";
			break;
		case DNS_T_MX:
			what = "mail is handled by";
			break;
		case DNS_T_NS:
			what = "name server";
			break;
		case DNS_T_PTR:
			what = "domain name pointer";
			break;
		case DNS_T_TXT:
			what = "descriptive text";
			break;
		case DNS_T_SOA:
			what = "has SOA record";
			break;
		default:
			what = "has record";
			break;
		}
		snprintf(text, sizeof text, "%s %s %s", owner, what,
		    (const char *)rd.data);
		nl_dbuf_free(&rd);
		nodes_note(n, q->node, text);
		told++;
	}
	if (told == 0 || (q->type != DNS_T_CNAME &&
	    an->rr[an->count - 1].type == DNS_T_CNAME)) {
		/* NODATA, or a chain that ends without the type. */
		bare(told ? &an->rr[an->count - 1].rd.name : &q->name, owner,
		    sizeof owner);
		dns_node_note(n, q->node, "%s has no %s record", owner,
		    ty != NULL ? ty : "such");
	}
}

/* The deferred free after an answer. */
static sim_time
stub_reap(struct sim *s, void *arg)
{
	struct dns_stub *q = arg;

	NL_UNUSED(s);
	q->reap = 0;
	stub_free(q);
	return SIM_DONE;
}

/* The local server's response: matched by server, port, id and
 * question, then told (notes or the callback). */
static void
stub_recv(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx)
{
	struct dns_stub *q = ctx;
	struct dns_msg *r = NULL;

	NL_UNUSED(sock);
	if (q->answered || src != q->server || sport != DNS_PORT ||
	    dns_msg_parse(data, len, &r, NULL) != NL_OK)
		return;
	if (!r->hdr.qr || r->hdr.id != q->id || r->qdcount != 1 ||
	    !dns_name_eq(&r->qd[0].name, &q->name) ||
	    r->qd[0].type != q->type) {
		dns_msg_free(r);
		return;
	}
	q->answered = 1;
	if (q->timer != 0) {
		(void)sim_cancel(net_sim(q->ns->net), q->timer);
		q->timer = 0;
	}
	if (q->cb != NULL)
		q->cb(q->ctx, NL_OK, r);
	else
		tell(q, r);
	dns_msg_free(r);
	q->reap = sim_schedule(net_sim(q->ns->net), 0, stub_reap, q);
}

static sim_time stub_timeout(struct sim *s, void *arg);

/* Sends the question (again). NL_ENOMEM only. */
static enum nl_status
stub_send(struct dns_stub *q)
{
	struct net *n = q->ns->net;
	struct dns_msg *m = dns_msg_new();
	enum nl_status st;

	if (m == NULL)
		return NL_ENOMEM;
	m->hdr.id = q->id;
	m->hdr.rd = 1;
	st = dns_msg_add_question(m, &q->name, q->type, DNS_C_IN);
	if (st == NL_OK)
		st = dns_node_send(n, q->sock, q->node, q->server, DNS_PORT, m,
		    TRACE_F_TO_SERVER);
	dns_msg_free(m);
	if (st != NL_OK)
		return st;
	q->tries++;
	q->timer = sim_schedule(net_sim(n), DNS_STUB_TIMEOUT, stub_timeout,
	    q);
	return q->timer != 0 ? NL_OK : NL_ENOMEM;
}

/* No response in time: ask again, or give up after DNS_STUB_TRIES. */
static sim_time
stub_timeout(struct sim *s, void *arg)
{
	struct dns_stub *q = arg;
	struct net *n = q->ns->net;
	char who[64], dur[32], owner[DNS_NAME_STRLEN];

	NL_UNUSED(s);
	q->timer = 0;
	snprintf(who, sizeof who, "%s", net_node_by_addr(n, q->server) >= 0 ?
	    net_node_name(n, net_node_by_addr(n, q->server)) : "?");
	dns_node_dur_str(DNS_STUB_TIMEOUT, dur, sizeof dur);
	if (q->tries < DNS_STUB_TRIES) {
		dns_node_note(n, q->node, "no answer from %s within %s: "
		    "asking again", who, dur);
		if (stub_send(q) == NL_OK)
			return SIM_DONE;
	} else {
		dns_node_note(n, q->node, "no answer from %s after %u tries: "
		    "giving up on %s", who, q->tries,
		    bare(&q->name, owner, sizeof owner));
	}
	if (q->cb != NULL)
		q->cb(q->ctx, NL_ETIMEDOUT, NULL);
	stub_free(q);
	return SIM_DONE;
}

/* The node went down (crash) or the world is freed. */
static void
stub_stop(struct node_client *cl, int crash)
{
	struct dns_stub *q = (struct dns_stub *)cl;

	if (q->cb != NULL && crash && !q->answered)
		q->cb(q->ctx, NL_ECLOSED, NULL);
	stub_free(q);
}

enum nl_status
node_dns_query(struct nodes *ns, int32_t from, const struct dns_name *name,
    uint16_t type, node_dns_cb *cb, void *ctx)
{
	struct node *nd = dns_node_find(ns, from);
	struct dns_stub *q;
	enum nl_status st;
	char owner[DNS_NAME_STRLEN];

	bare(name, owner, sizeof owner);
	if (nd == NULL || nd->dns_server == 0) {
		dns_node_note(ns->net, from, "cannot look up %s: no local DNS "
		    "server is set for this node", owner);
		return NL_ENOTFOUND;
	}
	if (!net_node_is_up(ns->net, from)) {
		dns_node_note(ns->net, from, "cannot look up %s: this node is "
		    "down", owner);
		return NL_OK;
	}
	q = nl_calloc(1, sizeof *q);
	if (q == NULL)
		return NL_ENOMEM;
	q->base.node = from;
	q->base.stop = stub_stop;
	q->ns = ns;
	q->node = from;
	q->server = nd->dns_server;
	q->name = *name;
	q->type = type;
	q->cb = cb;
	q->ctx = ctx;
	q->id = (uint16_t)sim_rand_u64(net_sim(ns->net));
	node_client_link(ns, &q->base);
	st = net_udp_bind(ns->net, from, 0, stub_recv, q, &q->sock);
	if (st == NL_OK)
		st = stub_send(q);
	if (st != NL_OK) {
		stub_free(q);
		return st;
	}
	return NL_OK;
}

enum nl_status
node_dns_resolve(struct nodes *ns, int32_t from, const struct dns_name *name,
    uint16_t type)
{
	return node_dns_query(ns, from, name, type, NULL, NULL);
}
