/* scn_dns.c - the DNS part of a scenario: pass 2 checks zones (names,
 * types, data, records outside their zone, CNAME beside other data,
 * data hidden below a delegation, delegations whose name servers need
 * glue), resolver settings, hosts' "dns", root hints and whether a
 * resolver can reach a root server, and the DNS actions of the timeline;
 * pass 3 helpers build the zones and the records of dns-record actions
 * (nodes/dns_zone.h holds the zone code both use). */
#include <stdio.h>
#include <string.h>

#include "nodes/dns_node.h"
#include "nodes/dns_zone.h"
#include "proto/ip/ipv4.h"
#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/nl.h"

#define WHY_MAX 160		/* an explanation from nodes/dns_zone.c */

int
scn_is_dns_kind(const char *kind)
{
	return kind != NULL && strncmp(kind, "dns-", 4) == 0;
}

void
scn_dns_settings(const struct scn_node *nd, struct node_dns_cfg *cfg)
{
	node_dns_cfg_default(cfg, nd->kind);
	if (nd->recursion >= 0)
		cfg->recursion = nd->recursion;
	if (nd->resolver.mode >= 0)
		cfg->mode = (enum dns_res_mode)nd->resolver.mode;
	if (nd->resolver.cache >= 0)
		cfg->cache = nd->resolver.cache;
	if (nd->resolver.timeout > 0)
		cfg->timeout = nd->resolver.timeout;
	if (nd->resolver.retries >= 0)
		cfg->retries = (unsigned)nd->resolver.retries;
}

/* ---- Paths and small helpers ---- */

static char *
npath(char *buf, size_t size, const struct scn_node *nd, const char *field)
{
	snprintf(buf, size, "$.nodes[%zu]%s%s", nd->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

static char *
zpath(char *buf, size_t size, const struct scn_node *nd,
    const struct scn_zone *z, const char *field)
{
	snprintf(buf, size, "$.nodes[%zu].zones[%zu]%s%s", nd->index,
	    z->index, field ? "." : "", field ? field : "");
	return buf;
}

static char *
rpath(char *buf, size_t size, const struct scn_node *nd,
    const struct scn_zone *z, const struct scn_rr *r, const char *field)
{
	snprintf(buf, size, "$.nodes[%zu].zones[%zu].records[%zu]%s%s",
	    nd->index, z->index, r->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

static char *
apath(char *buf, size_t size, const struct scn_action *a, const char *field)
{
	snprintf(buf, size, "$.timeline[%zu]%s%s", a->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

static const char *
nstr(const struct dns_name *n, char *buf, size_t size)
{
	return dns_name_str(n, buf, size);
}

/* Reports "no node "x"" with a suggestion among node ids. */
static void
no_node(const struct scn_model *m, struct scn_errors *e, const char *path,
    const char *id)
{
	const char *cands[64], *sugg;
	size_t i, k = 0;

	for (i = 0; i < m->nnodes && k < NL_ARRAY_LEN(cands) - 1; i++)
		if (m->nodes[i].id != NULL)
			cands[k++] = m->nodes[i].id;
	cands[k] = NULL;
	sugg = scn_suggest(id, cands);
	if (sugg != NULL)
		scn_err(e, path, "no node \"%s\"; did you mean \"%s\"?", id,
		    sugg);
	else
		scn_err(e, path, "no node \"%s\"", id);
}

/* 1 if nd is a DNS server that resolves for others. */
static int
resolves(const struct scn_node *nd)
{
	struct node_dns_cfg cfg;

	if (!scn_is_dns_kind(nd->kind))
		return 0;
	scn_dns_settings(nd, &cfg);
	return cfg.recursion;
}

/* reaches() over the model's index: `to` is a neighbour of `from`, or
 * a neighbour (or a member) of a router island next to `from`. The cost
 * is the two nodes' neighbours, not the network's size. */
static int
reaches_indexed(const struct scn_model *m, size_t from, size_t to)
{
	size_t isl[16], n = 0, i, k;

	if (m->island[from] != SIZE_MAX)
		isl[n++] = m->island[from];
	for (i = m->adj_at[from]; i < m->adj_at[from + 1]; i++) {
		size_t o = m->adj[i], x = m->island[o];

		if (o == to)
			return 1;
		if (x == SIZE_MAX)
			continue;
		for (k = 0; k < n && isl[k] != x; k++)
			;
		if (k < n)
			continue;
		if (n == NL_ARRAY_LEN(isl))
			return -1;	/* too many islands: ask the walk */
		isl[n++] = x;
	}
	for (k = 0; k < n; k++)
		if (m->island[to] == isl[k])
			return 1;
	for (i = m->adj_at[to]; i < m->adj_at[to + 1]; i++)
		for (k = 0; k < n; k++)
			if (m->island[m->adj[i]] == isl[k])
				return 1;
	return 0;
}

/* 1 if a datagram from `from` can reach `to` by the links: through
 * routers only, as net/ forwards. */
static int
reaches(const struct scn_model *m, const struct scn_node *from,
    const struct scn_node *to)
{
	unsigned char *seen;
	size_t *stack, top = 0, i, cur;
	int found = 0;

	if (from == to)
		return 1;
	if (m->adj_at != NULL) {
		found = reaches_indexed(m, (size_t)(from - m->nodes),
		    (size_t)(to - m->nodes));
		if (found >= 0)
			return found;
		found = 0;
	}
	seen = nl_calloc(m->nnodes, 1);
	stack = nl_calloc(m->nnodes + 1, sizeof *stack);
	if (seen == NULL || stack == NULL) {
		nl_free(seen);
		nl_free(stack);
		return 1;	/* no memory to tell: say nothing */
	}
	stack[top++] = (size_t)(from - m->nodes);
	seen[from - m->nodes] = 1;
	while (top > 0 && !found) {
		cur = stack[--top];
		for (i = 0; i < m->nlinks && !found; i++) {
			const struct scn_link *l = &m->links[i];
			const struct scn_node *o = NULL;

			if (l->a == NULL || l->b == NULL)
				continue;
			if (m->nodes[cur].id != NULL &&
			    strcmp(l->a, m->nodes[cur].id) == 0)
				o = scn_model_node(m, l->b);
			else if (m->nodes[cur].id != NULL &&
			    strcmp(l->b, m->nodes[cur].id) == 0)
				o = scn_model_node(m, l->a);
			if (o == NULL || seen[o - m->nodes])
				continue;
			if (o == to) {
				found = 1;
				break;
			}
			seen[o - m->nodes] = 1;
			if (o->kind != NULL && strcmp(o->kind, "router") == 0)
				stack[top++] = (size_t)(o - m->nodes);
		}
	}
	nl_free(seen);
	nl_free(stack);
	return found;
}

/* The node a root hint names (by id or address), NULL. */
static const struct scn_node *
hint_node(const struct scn_model *m, const char *hint)
{
	uint32_t a;
	size_t i, k;

	if (ipv4_addr_parse(hint, &a) == NL_OK) {
		for (i = 0; i < m->nnodes; i++)
			for (k = 0; k < m->nodes[i].naddrs; k++)
				if (m->nodes[i].addrs[k] == a)
					return &m->nodes[i];
		return NULL;
	}
	return scn_model_node(m, hint);
}

/* ---- Zones ---- */

/* The SOA of a zone from the file, with the defaults filled in. The
 * names are checked in pass 2; here a bad one falls back to a default. */
static void
zone_soa(const struct scn_node *nd, const struct scn_zone *z,
    const struct dns_name *origin, struct dns_rr *soa)
{
	char why[WHY_MAX], buf[DNS_NAME_STRLEN + 16], o[DNS_NAME_STRLEN];

	memset(soa, 0, sizeof *soa);
	soa->name = *origin;
	soa->type = DNS_T_SOA;
	soa->class = DNS_C_IN;
	soa->ttl = z->soa.ttl_given ? z->soa.ttl : z->ttl;
	if (z->soa.mname == NULL || dns_zone_name_read(z->soa.mname, origin,
	    &soa->rd.soa.mname, why, sizeof why) != NL_OK) {
		if (nd->id == NULL || dns_zone_name_read(nd->id, NULL,
		    &soa->rd.soa.mname, why, sizeof why) != NL_OK)
			soa->rd.soa.mname = *origin;
	}
	if (z->soa.rname == NULL || dns_zone_name_read(z->soa.rname, origin,
	    &soa->rd.soa.rname, why, sizeof why) != NL_OK) {
		snprintf(buf, sizeof buf, "hostmaster.%s", origin->len > 1 ?
		    nstr(origin, o, sizeof o) : "");
		if (dns_zone_name_read(buf, NULL, &soa->rd.soa.rname, why,
		    sizeof why) != NL_OK)
			soa->rd.soa.rname = *origin;
	}
	soa->rd.soa.serial = z->soa.serial;
	soa->rd.soa.refresh = z->soa.refresh;
	soa->rd.soa.retry = z->soa.retry;
	soa->rd.soa.expire = z->soa.expire;
	soa->rd.soa.minimum = z->soa.minimum;
}

/* Reads record r (of the zone at origin) into rr. With e, reports what
 * is wrong at path `at`; returns 0 then (rr cleared). */
static int
record_read(struct scn_errors *e, const struct scn_rr *r,
    const struct dns_name *origin, uint32_t zone_ttl, struct dns_rr *rr,
    const char *at)
{
	char why[WHY_MAX], path[SCN_PATH_MAX], o[DNS_NAME_STRLEN];
	char q[SCN_QUOTE_BUF];
	int ok = 1;

	memset(rr, 0, sizeof *rr);
	if (r->name == NULL || r->type == NULL)
		return 0;
	rr->class = DNS_C_IN;
	rr->ttl = r->ttl_given ? r->ttl : zone_ttl;
	if (dns_zone_type_parse(r->type, &rr->type) != NL_OK)
		return 0;
	if (dns_zone_name_read(r->name, origin, &rr->name, why,
	    sizeof why) != NL_OK) {
		if (e != NULL) {
			snprintf(path, sizeof path, "%s.name", at);
			scn_err(e, path, "expected a domain name like "
			    "\"gaia.cs.umass.edu\", found %s: %s",
			    scn_quote(r->name, strlen(r->name), SCN_QUOTE_MAX,
			    q, sizeof q), why);
		}
		ok = 0;
	} else if (origin != NULL &&
	    !dns_zone_name_under(&rr->name, origin)) {
		if (e != NULL) {
			snprintf(path, sizeof path, "%s.name", at);
			scn_err(e, path, "%s is outside the zone %s: a zone "
			    "holds only names that end in its origin",
			    nstr(&rr->name, q, sizeof q),
			    nstr(origin, o, sizeof o));
		}
		ok = 0;
	}
	if (r->data != NULL && dns_zone_rdata_read(rr, r->data, origin, why,
	    sizeof why) != NL_OK) {
		if (e != NULL) {
			snprintf(path, sizeof path, "%s.data", at);
			scn_err(e, path, "%s, found %s", why,
			    scn_quote(r->data, strlen(r->data),
			    SCN_QUOTE_MAX, q, sizeof q));
		}
		ok = 0;
	}
	if (!ok)
		dns_zone_rr_clear(rr);
	return ok;
}

/* The rules of one built zone: records hidden below a delegation, and
 * name servers that need glue. idx[i] is the file's record of zone
 * record i. */
static void
check_cuts(struct scn_errors *e, const struct scn_node *nd,
    const struct scn_zone *mz, const struct dns_zone *z, const size_t *idx)
{
	char path[SCN_PATH_MAX], a[DNS_NAME_STRLEN], b[DNS_NAME_STRLEN];
	char c[DNS_NAME_STRLEN];
	size_t i, j;

	for (i = 0; i < z->n; i++) {
		const struct dns_rr *rr = &z->rr[i];
		const struct dns_name *cut = dns_zone_cut(z, &rr->name);
		int glue = 0;

		if (cut == NULL || (rr->type == DNS_T_NS &&
		    dns_name_eq(&rr->name, cut)))
			continue;
		for (j = 0; j < z->n && !glue; j++)
			glue = (rr->type == DNS_T_A || rr->type == DNS_T_AAAA) &&
			    z->rr[j].type == DNS_T_NS &&
			    dns_name_eq(&z->rr[j].rd.name, &rr->name);
		if (glue)
			continue;
		scn_err(e, rpath(path, sizeof path, nd, mz,
		    &mz->records[idx[i]], NULL), "%s is below the delegation "
		    "of %s: this zone holds only the NS records of %s and "
		    "the addresses of its name servers (glue); the rest "
		    "belongs in %s's own zone", nstr(&rr->name, a, sizeof a),
		    nstr(cut, b, sizeof b), b, b);
	}
	for (i = 0; i < z->n; i++) {
		const struct dns_rr *rr = &z->rr[i];
		const struct dns_name *ns = &rr->rd.name;
		int have = 0;

		if (rr->type != DNS_T_NS ||
		    dns_name_eq(&rr->name, &z->origin) ||
		    !dns_zone_name_under(ns, &rr->name))
			continue;
		for (j = 0; j < z->n && !have; j++)
			have = (z->rr[j].type == DNS_T_A ||
			    z->rr[j].type == DNS_T_AAAA) &&
			    dns_name_eq(&z->rr[j].name, ns);
		if (have)
			continue;
		scn_err(e, rpath(path, sizeof path, nd, mz,
		    &mz->records[idx[i]], NULL), "the delegation of %s to %s "
		    "needs glue: that name server is inside %s, so nobody "
		    "could find its address; add an A record for %s to this "
		    "zone", nstr(&rr->name, a, sizeof a), nstr(ns, b, sizeof b),
		    a, nstr(ns, c, sizeof c));
	}
}

/* Reads and checks zone mz of node nd. With e, every problem is
 * reported; *out gets the zone built from what was good (NULL when the
 * origin is unusable or memory ran out). */
static enum nl_status
zone_build(struct scn_errors *e, const struct scn_node *nd,
    const struct scn_zone *mz, struct dns_zone **out)
{
	char why[WHY_MAX], path[SCN_PATH_MAX], at[SCN_PATH_MAX];
	char q[SCN_QUOTE_BUF], nb[DNS_NAME_STRLEN];
	struct dns_name origin;
	struct dns_rr soa, rr;
	struct dns_zone *z;
	size_t *idx = NULL, i;
	enum nl_status st = NL_OK;

	*out = NULL;
	if (mz->origin == NULL)
		return NL_OK;
	if (dns_zone_name_read(mz->origin, NULL, &origin, why,
	    sizeof why) != NL_OK) {
		if (e != NULL)
			scn_err(e, zpath(path, sizeof path, nd, mz, "origin"),
			    "expected a domain name like \"umass.edu.\" (\".\" "
			    "for the root), found %s: %s",
			    scn_quote(mz->origin, strlen(mz->origin),
			    SCN_QUOTE_MAX, q, sizeof q), why);
		return NL_OK;
	}
	zone_soa(nd, mz, &origin, &soa);
	if (e != NULL && mz->soa.mname != NULL &&
	    dns_zone_name_read(mz->soa.mname, &origin, &rr.name, why,
	    sizeof why) != NL_OK)
		scn_err(e, zpath(path, sizeof path, nd, mz, "soa.mname"),
		    "expected a domain name, found %s: %s",
		    scn_quote(mz->soa.mname, strlen(mz->soa.mname),
		    SCN_QUOTE_MAX, q, sizeof q), why);
	if (e != NULL && mz->soa.rname != NULL &&
	    dns_zone_name_read(mz->soa.rname, &origin, &rr.name, why,
	    sizeof why) != NL_OK)
		scn_err(e, zpath(path, sizeof path, nd, mz, "soa.rname"),
		    "expected a mailbox as a domain name like "
		    "\"hostmaster.umass.edu.\", found %s: %s",
		    scn_quote(mz->soa.rname, strlen(mz->soa.rname),
		    SCN_QUOTE_MAX, q, sizeof q), why);
	z = dns_zone_new(&origin, mz->ttl, &soa);
	idx = nl_calloc(mz->nrecords + 1, sizeof *idx);
	if (z == NULL || idx == NULL) {
		st = NL_ENOMEM;
		goto done;
	}
	for (i = 0; i < mz->nrecords; i++) {
		const struct scn_rr *r = &mz->records[i];

		rpath(at, sizeof at, nd, mz, r, NULL);
		if (!record_read(e, r, &origin, mz->ttl, &rr, at))
			continue;
		if (dns_zone_cname_conflict(z, &rr)) {
			if (e != NULL && rr.type == DNS_T_CNAME &&
			    dns_name_eq(&rr.name, &origin))
				scn_err(e, at, "the origin %s holds the zone's "
				    "SOA, so it cannot be a CNAME (RFC 1034 "
				    "3.6.2); give it its own A record instead",
				    nstr(&rr.name, nb, sizeof nb));
			else if (e != NULL)
				scn_err(e, at, "%s has a CNAME and other records:"
				    " a name with a CNAME can have no other "
				    "data (RFC 1034 3.6.2)",
				    nstr(&rr.name, nb, sizeof nb));
			dns_zone_rr_clear(&rr);
			continue;
		}
		st = dns_zone_add(z, &rr);
		dns_zone_rr_clear(&rr);
		if (st == NL_EEXIST || st == NL_ELIMIT) {
			if (e != NULL)
				scn_err(e, at, st == NL_EEXIST ? "the same "
				    "record is listed twice" : "too many "
				    "records in one zone");
			st = NL_OK;
			continue;
		}
		if (st != NL_OK)
			goto done;
		idx[z->n - 1] = i;
	}
	if (e != NULL)
		check_cuts(e, nd, mz, z, idx);
	*out = z;
	z = NULL;
done:
	dns_zone_free(z);
	nl_free(idx);
	return st;
}

enum nl_status
scn_dns_zones(const struct scn_node *nd, struct dns_zone ***out, size_t *n)
{
	struct dns_zone **v;
	size_t i, k = 0;
	enum nl_status st;

	*out = NULL;
	*n = 0;
	if (nd->nzones == 0)
		return NL_OK;
	v = nl_calloc(nd->nzones, sizeof *v);
	if (v == NULL)
		return NL_ENOMEM;
	for (i = 0; i < nd->nzones; i++) {
		st = zone_build(NULL, nd, &nd->zones[i], &v[k]);
		if (st != NL_OK) {
			while (k > 0)
				dns_zone_free(v[--k]);
			nl_free(v);
			return st;
		}
		if (v[k] != NULL)
			k++;
	}
	*out = v;
	*n = k;
	return NL_OK;
}

/* ---- Nodes ---- */

/* The rules of a DNS server: its zones, its settings, its root hints
 * and whether it reaches one. */
static void
check_dns_node(const struct scn_model *m, struct scn_errors *e,
    const struct scn_node *nd)
{
	char path[SCN_PATH_MAX], o1[DNS_NAME_STRLEN];
	struct dns_zone **zones;
	struct node_dns_cfg cfg;
	size_t i, j, nz = 0;
	int root = 0, any_hint = 0, reach = 0;
	const struct scn_node *first = NULL;

	zones = nl_calloc(nd->nzones + 1, sizeof *zones);
	if (zones == NULL)
		return;
	for (i = 0; i < nd->nzones; i++) {
		if (zone_build(e, nd, &nd->zones[i], &zones[nz]) != NL_OK)
			break;
		if (zones[nz] == NULL)
			continue;
		for (j = 0; j < nz; j++)
			if (dns_name_eq(&zones[j]->origin, &zones[nz]->origin))
				break;
		if (j < nz)
			scn_err(e, zpath(path, sizeof path, nd, &nd->zones[i],
			    "origin"), "this node serves the zone %s twice "
			    "(give each zone once)", nstr(&zones[nz]->origin,
			    o1, sizeof o1));
		root |= zones[nz]->origin.len == 1;
		nz++;
	}
	for (i = 0; i < nz; i++)
		dns_zone_free(zones[i]);
	nl_free(zones);
	if (nd->kind != NULL && strcmp(nd->kind, "dns-root") == 0 && !root &&
	    nd->zones != NULL)
		scn_err(e, npath(path, sizeof path, nd, "zones"), "a dns-root "
		    "serves the root zone: give it a zone with \"origin\": "
		    "\".\"");
	else if (nd->kind != NULL && strcmp(nd->kind, "dns-root") == 0 &&
	    !root)
		scn_err(e, npath(path, sizeof path, nd, NULL), "a dns-root "
		    "serves the root zone: give it \"zones\" with a zone whose "
		    "\"origin\" is \".\"");
	scn_dns_settings(nd, &cfg);
	if (nd->resolver.given && !cfg.recursion)
		scn_err(e, npath(path, sizeof path, nd, "resolver"), "resolver "
		    "settings need \"recursion\": true (a %s answers only "
		    "from its zones by default)", nd->kind);
	if (nd->dns != NULL)
		scn_err(e, npath(path, sizeof path, nd, "dns"), "a DNS server "
		    "resolves by itself; \"dns\" gives a host its local DNS "
		    "server");
	/* Root hints: given, or every dns-root of the scenario. */
	for (i = 0; i < nd->nroot_hints; i++) {
		const struct scn_node *h = hint_node(m, nd->root_hints[i]);
		uint32_t a;

		snprintf(path, sizeof path, "$.nodes[%zu].root_hints[%zu]",
		    nd->index, i);
		if (h == NULL && ipv4_addr_parse(nd->root_hints[i], &a) ==
		    NL_OK) {
			scn_err(e, path, "no node has the address %s",
			    nd->root_hints[i]);
			continue;
		}
		if (h == NULL) {
			no_node(m, e, path, nd->root_hints[i]);
			continue;
		}
		if (h->naddrs == 0)
			continue;	/* reported with the node */
		any_hint = 1;
		if (first == NULL)
			first = h;
		reach |= reaches(m, nd, h);
	}
	/* Only a resolver uses the hints: an authoritative server (a
	 * campus has a thousand) skips the walk over every node. */
	if (!nd->hints_given && cfg.recursion) {
		for (i = 0; i < m->nnodes; i++) {
			const struct scn_node *h = &m->nodes[i];

			if (h->kind == NULL || strcmp(h->kind, "dns-root") != 0 ||
			    h->naddrs == 0)
				continue;
			any_hint = 1;
			if (first == NULL)
				first = h;
			reach |= reaches(m, nd, h);
		}
	}
	if (!cfg.recursion || nd->id == NULL)
		return;
	if (!any_hint && !nd->hints_given)
		scn_err(e, npath(path, sizeof path, nd, NULL), "%s resolves "
		    "names for others but knows no root server: add a "
		    "dns-root node or give it \"root_hints\"", nd->id);
	else if (any_hint && !reach)
		scn_err(e, npath(path, sizeof path, nd, NULL), "%s cannot reach "
		    "any root server: no path of links through routers leads "
		    "to %s", nd->id, first->id != NULL ? first->id : "it");
}

/* DNS keys on other nodes: only "dns", naming a resolving server
 * the node can reach. */
static void
check_node(const struct scn_model *m, struct scn_errors *e,
    const struct scn_node *nd)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *srv;

	if (nd->kind == NULL)
		return;
	if (scn_is_dns_kind(nd->kind)) {
		check_dns_node(m, e, nd);
		return;
	}
	if (nd->zones != NULL || nd->nzones > 0)
		scn_err(e, npath(path, sizeof path, nd, "zones"), "only a DNS "
		    "server (dns-root, dns-tld, dns-authoritative, dns-local) "
		    "holds zones, not a %s", nd->kind);
	if (nd->recursion >= 0)
		scn_err(e, npath(path, sizeof path, nd, "recursion"), "only a "
		    "DNS server recurses, not a %s", nd->kind);
	if (nd->resolver.given)
		scn_err(e, npath(path, sizeof path, nd, "resolver"), "only a "
		    "DNS server has resolver settings, not a %s", nd->kind);
	if (nd->hints_given)
		scn_err(e, npath(path, sizeof path, nd, "root_hints"), "only a "
		    "DNS server needs root hints, not a %s", nd->kind);
	if (nd->dns == NULL)
		return;
	npath(path, sizeof path, nd, "dns");
	if (nd->naddrs == 0 && !nd->addr_given) {
		scn_err(e, path, "a %s without an address cannot ask a DNS "
		    "server", nd->kind);
		return;
	}
	srv = scn_model_node(m, nd->dns);
	if (srv == NULL) {
		no_node(m, e, path, nd->dns);
		return;
	}
	if (!resolves(srv)) {
		scn_err(e, path, "\"%s\" does not resolve names for others: a "
		    "host's \"dns\" is a dns-local (or a DNS server with "
		    "\"recursion\": true)", nd->dns);
		return;
	}
	if (nd->naddrs > 0 && srv->naddrs > 0 && !reaches(m, nd, srv))
		scn_err(e, path, "%s cannot reach its DNS server %s: no path of "
		    "links through routers", nd->id != NULL ? nd->id : "this "
		    "node", nd->dns);
}

/* ---- The timeline ---- */

/* The zone of node nd whose origin is closest above name: *origin and
 * *ttl get it. 0 if none. */
static int
zone_for(const struct scn_node *nd, const struct dns_name *name,
    struct dns_name *origin, uint32_t *ttl)
{
	char why[WHY_MAX];
	struct dns_name o;
	size_t i;
	int found = 0;

	for (i = 0; i < nd->nzones; i++) {
		if (nd->zones[i].origin == NULL ||
		    dns_zone_name_read(nd->zones[i].origin, NULL, &o, why,
		    sizeof why) != NL_OK || !dns_zone_name_under(name, &o))
			continue;
		if (found && o.len <= origin->len)
			continue;
		*origin = o;
		*ttl = nd->zones[i].ttl;
		found = 1;
	}
	return found;
}

/* A dns-record action: a DNS server with zones, a record inside one
 * of them, data unless it deletes. */
static void
check_dns_record(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	const struct scn_node *nd = scn_model_node(m, a->node);
	const struct scn_rr *r = a->record;
	char path[SCN_PATH_MAX], why[WHY_MAX], q[SCN_QUOTE_BUF];
	char list[256];
	struct dns_name name, origin;
	struct dns_rr rr;
	uint32_t ttl = 0;
	size_t i;

	if (nd == NULL || r == NULL)
		return;
	if (!scn_is_dns_kind(nd->kind) || nd->nzones == 0) {
		scn_err(e, apath(path, sizeof path, a, "node"), "node \"%s\" "
		    "serves no zone to change", a->node);
		return;
	}
	if (r->data == NULL && a->op != NULL && strcmp(a->op, "delete") != 0)
		scn_err(e, apath(path, sizeof path, a, "record"), "missing key "
		    "\"data\" (to %s a record, give its data)", a->op);
	if (r->name == NULL || r->type == NULL)
		return;
	if (dns_zone_name_read(r->name, NULL, &name, why, sizeof why) !=
	    NL_OK) {
		scn_err(e, apath(path, sizeof path, a, "record.name"), "expected "
		    "a domain name like \"www.networkutopia.com\", found %s: %s",
		    scn_quote(r->name, strlen(r->name), SCN_QUOTE_MAX, q,
		    sizeof q), why);
		return;
	}
	if (!zone_for(nd, &name, &origin, &ttl)) {
		list[0] = '\0';
		for (i = 0; i < nd->nzones; i++)
			if (nd->zones[i].origin != NULL &&
			    strlen(list) + strlen(nd->zones[i].origin) + 4 <
			    sizeof list)
				snprintf(list + strlen(list), sizeof list -
				    strlen(list), "%s%s", i ? ", " : "",
				    nd->zones[i].origin);
		scn_err(e, apath(path, sizeof path, a, "record.name"), "%s is in "
		    "none of the zones of \"%s\" (%s)", nstr(&name, q, sizeof q),
		    a->node, list);
		return;
	}
	if (record_read(e, r, &origin, ttl, &rr,
	    apath(path, sizeof path, a, "record")))
		dns_zone_rr_clear(&rr);
}

/* A resolve-load: every node of "from" has a "dns", every name reads. */
static void
check_resolve_load(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX], why[WHY_MAX], q[SCN_QUOTE_BUF];
	const struct scn_node *nd;
	struct dns_name name;
	size_t i;

	for (i = 0; i < a->npool; i++) {
		nd = scn_model_node(m, a->pool[i]);
		if (nd != NULL && nd->dns == NULL) {
			snprintf(path, sizeof path, "$.timeline[%zu].from[%zu]",
			    a->index, i);
			scn_err(e, path, "node \"%s\" has no \"dns\" (the "
			    "local DNS server it asks)", a->pool[i]);
		}
	}
	for (i = 0; i < a->npicks; i++)
		if (dns_zone_name_read(a->picks[i], NULL, &name, why,
		    sizeof why) != NL_OK) {
			snprintf(path, sizeof path,
			    "$.timeline[%zu].names[%zu]", a->index, i);
			scn_err(e, path, "expected a domain name like "
			    "\"gaia.cs.umass.edu\", found %s: %s",
			    scn_quote(a->picks[i], strlen(a->picks[i]),
			    SCN_QUOTE_MAX, q, sizeof q), why);
		}
}

/* The DNS actions of the timeline. */
static void
check_action(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX], why[WHY_MAX], q[SCN_QUOTE_BUF];
	const struct scn_node *nd;
	struct dns_name name;
	struct node_dns_cfg cfg;

	switch (a->kind) {
	case SCN_ACT_RESOLVE:
		nd = scn_model_node(m, a->from);
		if (nd != NULL && nd->dns == NULL)
			scn_err(e, apath(path, sizeof path, a, "from"), "node "
			    "\"%s\" has no \"dns\" (the local DNS server it "
			    "asks); give it one, like \"dns\": \"dns.nyu.edu\"",
			    a->from);
		if (a->name != NULL && dns_zone_name_read(a->name, NULL, &name,
		    why, sizeof why) != NL_OK)
			scn_err(e, apath(path, sizeof path, a, "name"),
			    "expected a domain name like \"gaia.cs.umass.edu\", "
			    "found %s: %s", scn_quote(a->name, strlen(a->name),
			    SCN_QUOTE_MAX, q, sizeof q), why);
		break;
	case SCN_ACT_RESOLVE_LOAD:
		check_resolve_load(m, e, a);
		break;
	case SCN_ACT_DNS_RECORD:
		check_dns_record(m, e, a);
		break;
	case SCN_ACT_CACHE_FLUSH:
		nd = scn_model_node(m, a->node);
		if (nd == NULL)
			break;
		if (scn_is_dns_kind(nd->kind))
			scn_dns_settings(nd, &cfg);
		if (!scn_is_dns_kind(nd->kind) || !cfg.recursion || !cfg.cache)
			scn_err(e, apath(path, sizeof path, a, "node"), "node "
			    "\"%s\" keeps no DNS cache (a dns-local does, "
			    "unless its resolver says \"cache\": false)",
			    a->node);
		break;
	case SCN_ACT_TCP_ECHO:
	case SCN_ACT_UDP_ECHO:
	case SCN_ACT_TCP_SEND:
	case SCN_ACT_LINK_DOWN:
	case SCN_ACT_LINK_UP:
	case SCN_ACT_NODE_DOWN:
	case SCN_ACT_NODE_UP:
	case SCN_ACT_NOTE:
	case SCN_ACT_SEND_MAIL:	/* scn_mail.c */
	case SCN_ACT_REPLY_MAIL:
	case SCN_ACT_FORWARD_MAIL:
	case SCN_ACT_FETCH_MAIL:
	case SCN_ACT_MAIL_LOAD:	/* scn_mail.c */
	case SCN_ACT_BROWSE:	/* scn_web.c */
	case SCN_ACT_COUNT_:
		break;
	}
}

void
scn_dns_validate(const struct scn_model *m, struct scn_errors *e)
{
	size_t i;

	for (i = 0; i < m->nnodes; i++)
		check_node(m, e, &m->nodes[i]);
	for (i = 0; i < m->nactions; i++)
		check_action(m, e, &m->actions[i]);
}

enum nl_status
scn_dns_action_rr(const struct scn_model *m, const struct scn_action *a,
    struct dns_rr *out, int *match)
{
	const struct scn_node *nd = scn_model_node(m, a->node);
	struct dns_name origin;
	uint32_t ttl = 0;
	char why[WHY_MAX];

	memset(out, 0, sizeof *out);
	*match = 0;
	if (nd == NULL || a->record == NULL || a->record->name == NULL ||
	    dns_zone_name_read(a->record->name, NULL, &origin, why,
	    sizeof why) != NL_OK || !zone_for(nd, &origin, &origin, &ttl))
		return NL_EINVAL;
	if (!record_read(NULL, a->record, &origin, ttl, out, ""))
		return NL_EINVAL;
	*match = a->record->data != NULL;
	return NL_OK;
}
