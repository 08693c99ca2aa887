/* dns_auth.c - the DNS servers: root, TLD, authoritative and local are
 * one implementation on UDP port 53 with different zones and settings
 * (RFC 1034 4.3.2, RFC 1035 4.2.1). A question inside a zone gets the
 * zone's answer: AA with the records (a CNAME followed inside the zone),
 * a referral below a zone cut, NXDOMAIN or NODATA with the SOA (RFC 2308
 * section 3). A server with recursion that gets RD=1 for a name it would
 * refer (or does not serve) resolves it (dns_resolver.c) and answers
 * with RA. Also the zone changes of the timeline and the helpers that put
 * DNS messages on the wire and in the trace. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nodes/dns_node_int.h"
#include "proto/ip/ipv4.h"
#include "util/alloc.h"
#include "util/nl.h"

/* A client whose question a task is resolving. */
struct dns_waiter {
	struct dns_waiter *next;	/* in srv->waiters */
	struct dns_srv *srv;
	struct dns_task *task;		/* resolving it */
	uint32_t addr;			/* the client */
	uint16_t port;
	uint16_t id;			/* its query id */
	uint8_t rd, cd;			/* its flags, echoed */
	struct dns_question q;		/* its question */
};

const char *
dns_res_mode_str(enum dns_res_mode m)
{
	switch (m) {
	case DNS_MODE_ITERATED:
		return "iterated";
	case DNS_MODE_RECURSIVE:
		return "recursive";
	}
	return "?";
}

void
node_dns_cfg_default(struct node_dns_cfg *cfg, const char *kind)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->recursion = kind != NULL && strcmp(kind, "dns-local") == 0;
	cfg->mode = cfg->recursion ? DNS_MODE_ITERATED : DNS_MODE_RECURSIVE;
	cfg->cache = cfg->recursion;
	cfg->timeout = DNS_TIMEOUT_DEFAULT;
	cfg->retries = DNS_RETRIES_DEFAULT;
}

/* ---- Helpers ---- */

char *
dns_node_dur_str(sim_time t, char *buf, size_t size)
{
	if (t % SIM_S == 0)
		snprintf(buf, size, "%lld s", (long long)(t / SIM_S));
	else if (t >= SIM_S)
		snprintf(buf, size, "%.3g s", (double)t / (double)SIM_S);
	else
		snprintf(buf, size, "%.3g ms", (double)t / (double)SIM_MS);
	return buf;
}

void
dns_node_note(struct net *n, int32_t node, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	if (net_trace(n) == NULL)
		return;		/* a note is for the trace only */
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	nodes_note(n, node, text);
}

char *
dns_node_server_str(struct net *n, const struct dns_name *name,
    uint32_t addr, char *buf, size_t size)
{
	char nb[DNS_NAME_STRLEN], ab[IPV4_ADDR_STRLEN];
	int32_t id = net_node_by_addr(n, addr);
	size_t l;

	ipv4_addr_str(addr, ab);
	if (name != NULL && name->len > 1) {
		dns_name_str(name, nb, sizeof nb);
		l = strlen(nb);
		if (l > 1 && nb[l - 1] == '.')
			nb[l - 1] = '\0';
		snprintf(buf, size, "%s (%s)", nb, ab);
	} else if (id >= 0) {
		snprintf(buf, size, "%s (%s)", net_node_name(n, id), ab);
	} else {
		snprintf(buf, size, "%s", ab);
	}
	return buf;
}

uint16_t
dns_node_new_id(struct dns_srv *s)
{
	struct sim *sim = net_sim(s->net);
	const struct dns_task *t;
	uint16_t id;

	for (;;) {
		id = (uint16_t)sim_rand_u64(sim);
		for (t = s->tasks; t != NULL; t = t->next)
			if (t->asked >= 0 && t->id == id)
				break;
		if (t == NULL)
			return id;
	}
}

/* m in wire form into b; a response that does not fit in DNS_UDP_MAX
 * goes without ADDITIONAL, then truncated (RFC 2181 9). */
static enum nl_status
write_fit(const struct dns_msg *m, struct nl_dbuf *b)
{
	struct dns_msg copy;
	enum nl_status st;

	nl_dbuf_init(b, DNS_MSG_MAX);
	st = dns_msg_write(m, b);
	if (st != NL_OK || b->len <= DNS_UDP_MAX || !m->hdr.qr)
		return st;
	/* The copy shares the arrays; only counts change. */
	copy = *m;
	copy.sec[DNS_S_ADDITIONAL].count = 0;
	nl_dbuf_free(b);
	nl_dbuf_init(b, DNS_MSG_MAX);
	st = dns_msg_write(&copy, b);
	if (st != NL_OK || b->len <= DNS_UDP_MAX)
		return st;
	copy.hdr.tc = 1;
	copy.sec[DNS_S_ANSWER].count = 0;
	copy.sec[DNS_S_AUTHORITY].count = 0;
	nl_dbuf_free(b);
	nl_dbuf_init(b, DNS_MSG_MAX);
	return dns_msg_write(&copy, b);
}

enum nl_status
dns_node_send(struct net *n, struct net_udp *sock, int32_t node,
    uint32_t dst, uint16_t port, const struct dns_msg *m, uint16_t flags)
{
	struct nl_dbuf b, sum;
	struct dns_msg *back = NULL;
	enum nl_status st;

	st = write_fit(m, &b);
	if (st != NL_OK)
		return st == NL_ENOMEM ? st : NL_OK;
	/* The summary is that of the bytes sent, as a receiver reads them
	 * (a truncated response says so). With traces off (a benchmark)
	 * nobody reads it: no parse, no text. */
	if (net_trace(n) != NULL) {
		nl_dbuf_init(&sum, 4096);
		if (dns_msg_parse(b.data, b.len, &back, NULL) != NL_OK ||
		    dns_msg_brief(&sum, back) != NL_OK) {
			nl_dbuf_free(&sum);
			(void)nl_dbuf_add_str(&sum, "DNS message");
		}
		dns_msg_free(back);
		node_event(n, TRACE_APP, node, net_node_by_addr(n, dst),
		    TRACE_P_DNS, flags, -1, b.data, b.len,
		    sum.data != NULL ? (const char *)sum.data : "");
		nl_dbuf_free(&sum);
	}
	st = net_udp_sendto(sock, dst, port, b.data, b.len);
	nl_dbuf_free(&b);
	return st == NL_ENOMEM ? st : NL_OK;
}

struct node *
dns_node_find(struct nodes *ns, int32_t id)
{
	size_t i;

	/* Scenarios add every node in id order: v[id] is the one, and a
	 * campus does not scan 10,000 nodes per query. */
	if (id >= 0 && (size_t)id < ns->n && ns->v[id]->id == id)
		return ns->v[id];
	for (i = 0; i < ns->n; i++)
		if (ns->v[i]->id == id)
			return ns->v[i];
	return NULL;
}

/* The DNS state of a DNS node, made with the kind's defaults on first
 * use; NULL if the node is no DNS node or memory ran out. */
static struct dns_srv *
srv_of(struct node *nd)
{
	struct dns_srv *s;
	struct node_dns_cfg cfg;

	if (nd == NULL || nd->ops->start != node_dns_start)
		return NULL;
	if (nd->dns != NULL)
		return nd->dns;
	s = nl_calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	node_dns_cfg_default(&cfg, nd->ops->kind);
	s->nd = nd;
	s->net = node_net(nd);
	s->recursion = cfg.recursion;
	s->mode = cfg.mode;
	s->use_cache = cfg.cache;
	s->timeout = cfg.timeout;
	s->retries = cfg.retries;
	nl_pool_init(&s->task_pool, sizeof(struct dns_task), 256);
	nd->dns = s;
	return s;
}

/* ---- Zone events ---- */

/* A zone state event: op, the zone's origin as the question, recs (and
 * the SOA first when with_soa) in ANSWER; b = records in it. Shown unless
 * it is the load at the start. */
static void
zone_event(struct dns_srv *s, enum dns_state_op op, const struct dns_zone *z,
    const struct dns_rr *recs, size_t n, int with_soa, const char *summary)
{
	struct trace_event ev;
	struct dns_msg *m = dns_msg_new();
	struct nl_dbuf data;
	enum nl_status st = m != NULL ? NL_OK : NL_ENOMEM;
	size_t i;

	nl_dbuf_init(&data, DNS_MSG_MAX);
	if (st == NL_OK) {
		m->hdr.qr = 1;
		m->hdr.aa = 1;
		st = dns_msg_add_question(m, &z->origin, DNS_T_SOA, DNS_C_IN);
	}
	if (st == NL_OK && with_soa)
		st = dns_zone_msg_add(m, DNS_S_ANSWER, &z->soa, z->soa.ttl);
	for (i = 0; i < n && st == NL_OK; i++)
		st = dns_zone_msg_add(m, DNS_S_ANSWER, &recs[i], recs[i].ttl);
	if (st == NL_OK)
		st = dns_msg_write(m, &data);
	dns_msg_free(m);
	if (st != NL_OK)
		nl_dbuf_free(&data);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_STATE;
	ev.proto = TRACE_P_DNS;
	ev.flags = op == DNS_ST_ZONE_LOAD ? 0 : TRACE_F_SHOW;
	ev.node = s->nd->id;
	ev.peer = -1;
	ev.link = -1;
	ev.a = op;
	ev.b = (int64_t)n + (with_soa != 0);
	ev.summary = (char *)(uintptr_t)summary;
	ev.data = data.data;
	ev.len = (uint32_t)data.len;
	(void)net_trace_event(s->net, &ev);
	nl_dbuf_free(&data);
}

/* "zone com.: + networkutopia.com. 172800 NS dns1.networkutopia.com." */
static void
zone_change_event(struct dns_srv *s, const struct dns_zone *z,
    const struct dns_rr *rr, int added)
{
	struct nl_dbuf b;
	const char *t = dns_type_str((enum dns_type)rr->type);
	enum nl_status st;

	nl_dbuf_init(&b, 4096);
	st = nl_dbuf_add_str(&b, "zone ");
	if (st == NL_OK)
		st = dns_name_print(&b, &z->origin);
	if (st == NL_OK)
		st = nl_dbuf_addf(&b, ": %c ", added ? '+' : '-');
	if (st == NL_OK)
		st = dns_name_print(&b, &rr->name);
	if (st == NL_OK)
		st = nl_dbuf_addf(&b, " %lu %s ", (unsigned long)rr->ttl,
		    t != NULL ? t : "?");
	if (st == NL_OK)
		st = dns_rdata_print(&b, rr);
	zone_event(s, added ? DNS_ST_ZONE_ADD : DNS_ST_ZONE_DEL, z, rr, 1, 0,
	    b.data != NULL ? (const char *)b.data : "zone changed");
	nl_dbuf_free(&b);
}

/* ---- Configuration ---- */

/* Frees n zones and their array. */
static void
zones_free(struct dns_zone **zones, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dns_zone_free(zones[i]);
	nl_free(zones);
}

enum nl_status
nodes_dns_server(struct nodes *ns, int32_t id, struct node_dns_cfg *cfg)
{
	struct node *nd = dns_node_find(ns, id);
	struct dns_srv *s = srv_of(nd);
	uint32_t *hints = NULL;
	size_t i;
	char text[DNS_NAME_STRLEN + 64];

	if (s == NULL) {
		zones_free(cfg->zones, cfg->nzones);
		cfg->zones = NULL;
		return nd == NULL || nd->ops->start != node_dns_start ?
		    NL_ENOTFOUND : NL_ENOMEM;
	}
	if (cfg->nhints > 0) {
		hints = nl_calloc(cfg->nhints, sizeof *hints);
		if (hints == NULL) {
			zones_free(cfg->zones, cfg->nzones);
			cfg->zones = NULL;
			return NL_ENOMEM;
		}
		memcpy(hints, cfg->hints, cfg->nhints * sizeof *hints);
	}
	zones_free(s->zones, s->nzones);
	nl_free(s->hints);
	s->zones = cfg->zones;
	s->nzones = cfg->nzones;
	cfg->zones = NULL;
	s->hints = hints;
	s->nhints = cfg->nhints;
	s->recursion = cfg->recursion;
	s->mode = cfg->mode;
	s->use_cache = cfg->cache;
	s->timeout = cfg->timeout > 0 ? cfg->timeout : DNS_TIMEOUT_DEFAULT;
	s->retries = cfg->retries;
	/* The zones in the trace, so that a viewer can show them. */
	for (i = 0; i < s->nzones; i++) {
		const struct dns_zone *z = s->zones[i];
		char o[DNS_NAME_STRLEN];

		snprintf(text, sizeof text, "zone %s loaded: %zu records",
		    dns_name_str(&z->origin, o, sizeof o), z->n + 1);
		zone_event(s, DNS_ST_ZONE_LOAD, z, z->rr, z->n, 1, text);
	}
	return NL_OK;
}

enum nl_status
nodes_dns_client(struct nodes *ns, int32_t id, uint32_t server)
{
	struct node *nd = dns_node_find(ns, id);

	if (nd == NULL)
		return NL_ENOTFOUND;
	nd->dns_server = server;
	return NL_OK;
}

/* ---- Answering ---- */

/* Unlinks w from its server's list and frees it. */
static void
waiter_free(struct dns_waiter *w)
{
	struct dns_waiter **pp;

	for (pp = &w->srv->waiters; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	nl_free(w);
}

/* A resolution for a client ended: the answer goes back with RA. */
static void
waiter_done(struct dns_task *t, void *ctx)
{
	struct dns_waiter *w = ctx;
	struct dns_srv *s = w->srv;
	struct dns_msg *r = dns_msg_new();
	enum nl_status st = r != NULL ? NL_OK : NL_ENOMEM;
	int sec;
	uint16_t i;

	if (st == NL_OK) {
		r->hdr.id = w->id;
		r->hdr.qr = 1;
		r->hdr.rd = w->rd;
		r->hdr.cd = w->cd;
		r->hdr.ra = 1;
		r->hdr.rcode = t->out->hdr.rcode;
		st = dns_msg_add_question(r, &w->q.name, w->q.type,
		    w->q.class);
	}
	/* A failure carries no half-found records. */
	for (sec = 0; sec < DNS_SECTION_COUNT && st == NL_OK &&
	    t->out->hdr.rcode != DNS_R_SERVFAIL; sec++)
		for (i = 0; i < t->out->sec[sec].count && st == NL_OK; i++)
			st = dns_zone_msg_add(r, (enum dns_section)sec,
			    &t->out->sec[sec].rr[i],
			    t->out->sec[sec].rr[i].ttl);
	if (st == NL_OK && s->sock != NULL)
		(void)dns_node_send(s->net, s->sock, s->nd->id, w->addr,
		    w->port, r, 0);
	dns_msg_free(r);
	waiter_free(w);
}

/* Starts resolving q for the client; a retransmission of a question
 * being resolved (same client, port and id) is dropped. */
static void
resolve_for(struct dns_srv *s, const struct dns_msg *q, uint32_t src,
    uint16_t sport, const struct dns_msg *referral)
{
	struct dns_waiter *w;

	for (w = s->waiters; w != NULL; w = w->next)
		if (w->addr == src && w->port == sport && w->id == q->hdr.id)
			return;
	w = nl_calloc(1, sizeof *w);
	if (w == NULL)
		return;
	w->srv = s;
	w->addr = src;
	w->port = sport;
	w->id = q->hdr.id;
	w->rd = q->hdr.rd;
	w->cd = q->hdr.cd;
	w->q = q->qd[0];
	memset(&w->q.at, 0, sizeof w->q.at);
	w->task = dns_task_new(s, &w->q.name, w->q.type, waiter_done, w);
	if (w->task == NULL) {
		nl_free(w);
		return;
	}
	w->next = s->waiters;
	s->waiters = w;
	dns_task_start(w->task, referral);
}

/* A datagram on port 53. */
static void
srv_recv(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx)
{
	struct dns_srv *s = ctx;
	struct dns_msg *q = NULL, *r = NULL;
	struct dns_perr err;
	enum dns_zone_res res = DNS_ZR_REFUSED;
	char who[64];

	if (dns_msg_parse(data, len, &q, &err) != NL_OK) {
		ipv4_addr_str(src, who);
		if (err.code != DNS_E_NONE)
			dns_node_note(s->net, s->nd->id, "malformed DNS message "
			    "from %s ignored: %s", who, dns_err_str(err.code));
		return;
	}
	if (q->hdr.qr)
		goto done;	/* a response has no business on port 53 */
	r = dns_msg_new();
	if (r == NULL)
		goto done;
	r->hdr.id = q->hdr.id;
	r->hdr.qr = 1;
	r->hdr.opcode = q->hdr.opcode;
	r->hdr.rd = q->hdr.rd;
	r->hdr.cd = q->hdr.cd;
	r->hdr.ra = (uint8_t)(s->recursion != 0);
	if (q->qdcount > 0 &&
	    dns_msg_add_question(r, &q->qd[0].name, q->qd[0].type,
	    q->qd[0].class) != NL_OK)
		goto done;
	if (q->hdr.opcode != DNS_OP_QUERY) {
		r->hdr.rcode = DNS_R_NOTIMP;
	} else if (q->qdcount != 1) {
		r->hdr.rcode = DNS_R_FORMERR;
	} else if (q->qd[0].class != DNS_C_IN) {
		r->hdr.rcode = DNS_R_REFUSED;
	} else if (dns_zones_answer(s->zones, s->nzones, &q->qd[0].name,
	    q->qd[0].type, r, &res) != NL_OK) {
		goto done;	/* out of memory: no answer at all */
	}
	if ((res == DNS_ZR_REFERRAL || res == DNS_ZR_REFUSED) &&
	    q->hdr.opcode == DNS_OP_QUERY && q->qdcount == 1 &&
	    q->qd[0].class == DNS_C_IN && q->hdr.rd && s->recursion) {
		resolve_for(s, q, src, sport, res == DNS_ZR_REFERRAL ? r :
		    NULL);
		goto done;
	}
	(void)dns_node_send(s->net, sock, s->nd->id, src, sport, r, 0);
done:
	dns_msg_free(r);
	dns_msg_free(q);
}

/* ---- The ops of the DNS kinds ---- */

/* Stops serving: resolutions dropped, sockets closed, the cache gone
 * (with a flush event after a crash). Zones and settings stay. */
static void
srv_halt(struct dns_srv *s, int crash)
{
	dns_tasks_free(s);
	while (s->waiters != NULL)
		waiter_free(s->waiters);
	net_udp_close(s->sock);
	net_udp_close(s->qsock);
	s->sock = s->qsock = NULL;
	if (s->cache != NULL && crash)
		dns_cache_flush(s->cache, "the server crashed");
	dns_cache_free(s->cache);
	s->cache = NULL;
	s->running = 0;
}

enum nl_status
node_dns_start(struct node *nd)
{
	struct dns_srv *s = srv_of(nd);
	enum nl_status st;

	if (s == NULL)
		return NL_ENOMEM;
	if (s->running)
		return NL_OK;
	st = net_udp_bind(s->net, nd->id, DNS_PORT, srv_recv, s, &s->sock);
	if (st == NL_OK)
		st = net_udp_bind(s->net, nd->id, 0, dns_res_recv, s,
		    &s->qsock);
	if (st == NL_OK && s->use_cache) {
		s->cache = dns_cache_new(s->net, nd->id);
		if (s->cache == NULL)
			st = NL_ENOMEM;
	}
	if (st == NL_OK)
		st = node_generic_start(nd);
	if (st != NL_OK) {
		srv_halt(s, 0);
		return st;
	}
	s->running = 1;
	return NL_OK;
}

void
node_dns_stop(struct node *nd)
{
	struct dns_srv *s = nd->dns;
	int freeing = nd->ns->freeing;

	node_generic_stop(nd);
	if (s == NULL)
		return;
	if (s->running || freeing)
		srv_halt(s, !freeing);
	if (!freeing)
		return;
	zones_free(s->zones, s->nzones);
	nl_free(s->hints);
	nl_pool_drain(&s->task_pool);
	nl_free(s);
	nd->dns = NULL;
}

/* ---- The timeline ---- */

enum nl_status
node_dns_cache_flush(struct nodes *ns, int32_t node)
{
	struct dns_srv *s = srv_of(dns_node_find(ns, node));

	if (s == NULL)
		return NL_ENOTFOUND;
	if (s->cache == NULL) {
		dns_node_note(s->net, node, "cache flush: %s",
		    s->running ? "this server keeps no cache" :
		    "the server is down");
		return NL_OK;
	}
	if (dns_cache_count(s->cache) == 0)
		dns_node_note(s->net, node, "cache flush: the cache is empty");
	dns_cache_flush(s->cache, NULL);
	return NL_OK;
}

/* Removes (name, type[, match]) from z with an event per record. */
static void
zone_remove(struct dns_srv *s, struct dns_zone *z, const struct dns_rr *rr,
    int match)
{
	size_t i = 0;

	while (i < z->n) {
		if (z->rr[i].type != rr->type ||
		    !dns_name_eq(&z->rr[i].name, &rr->name) ||
		    (match && !dns_zone_rr_same(&z->rr[i], rr))) {
			i++;
			continue;
		}
		zone_change_event(s, z, &z->rr[i], 0);
		dns_zone_remove_at(z, i);
	}
}

enum nl_status
node_dns_record(struct nodes *ns, int32_t node, enum node_dns_op op,
    const struct dns_rr *rr, int match)
{
	struct dns_srv *s = srv_of(dns_node_find(ns, node));
	struct dns_zone *z;
	char name[DNS_NAME_STRLEN];
	enum nl_status st;

	if (s == NULL)
		return NL_ENOTFOUND;
	dns_name_str(&rr->name, name, sizeof name);
	z = dns_zones_find(s->zones, s->nzones, &rr->name);
	if (z == NULL) {
		dns_node_note(s->net, node, "zone change refused: %s is in "
		    "none of this server's zones", name);
		return NL_OK;
	}
	if (op == NODE_DNS_DELETE) {
		size_t before = z->n;

		zone_remove(s, z, rr, match);
		if (z->n == before)
			dns_node_note(s->net, node, "zone change: nothing to "
			    "delete at %s", name);
		else
			dns_zone_bump_serial(z);
		return NL_OK;
	}
	if (op == NODE_DNS_CHANGE)
		zone_remove(s, z, rr, 0);
	if (dns_zone_cname_conflict(z, rr)) {
		dns_node_note(s->net, node, "zone change refused: a CNAME "
		    "cannot share the name %s with other records", name);
		return NL_OK;
	}
	st = dns_zone_add(z, rr);
	if (st == NL_EEXIST) {
		dns_node_note(s->net, node, "zone change: %s has that record "
		    "already", name);
		return NL_OK;
	}
	if (st != NL_OK)
		return st == NL_ENOMEM ? st : NL_OK;
	zone_change_event(s, z, rr, 1);
	dns_zone_bump_serial(z);
	return NL_OK;
}
