/* test_dns_resolver.c - the DNS servers and the stub resolver on a small
 * network built with the net API (nodes/dns_*.c): the iterated walk and
 * the recursive chain in the textbook's message order, a referral
 * without glue, CNAMEs chased into another zone and a CNAME loop,
 * answers and negative answers from the cache, a timeout moving on to
 * the zone's next server, SERVFAIL when every server is down, MX with
 * addresses, and a crash that loses the cache but not the zones.
 *
 *   host 10.0.0.1 --+
 *   local 10.0.0.53 +-- r --- root 198.41.0.4, tld 192.5.6.30 (edu, com),
 *                   |         auth1 128.119.10.27 (umass.edu),
 *                   |         auth2 128.103.1.1 (umass.edu, helper.com,
 *                   |         glueless.edu)                              */
#include <stdio.h>
#include <string.h>

#include "test.h"

#include "engine/sim.h"
#include "net/net.h"
#include "nodes/dns_node.h"
#include "nodes/dns_zone.h"
#include "nodes/node.h"
#include "proto/ip/ipv4.h"
#include "trace/trace.h"
#include "util/alloc.h"

enum { HOST, LOCAL, R, ROOT, TLD, AUTH1, AUTH2, NNODES };

static const struct {
	const char *name, *kind, *addr;
} spec[NNODES] = {
	{ "host", "host", "10.0.0.1" },
	{ "local", "dns-local", "10.0.0.53" },
	{ "r", "router", NULL },
	{ "root", "dns-root", "198.41.0.4" },
	{ "tld", "dns-tld", "192.5.6.30" },
	{ "auth1", "dns-authoritative", "128.119.10.27" },
	{ "auth2", "dns-authoritative", "128.103.1.1" },
};

static const char *const root_recs[] = {
	". NS 518400 a.root-servers.net.",
	"a.root-servers.net. A 518400 198.41.0.4",
	"edu. NS 172800 a.edu-servers.net.",
	"a.edu-servers.net. A 172800 192.5.6.30",
	"com. NS 172800 a.gtld-servers.net.",
	"a.gtld-servers.net. A 172800 192.5.6.30",
	NULL
};
static const char *const edu_recs[] = {
	"edu. NS 172800 a.edu-servers.net.",
	"umass.edu. NS 172800 dns.umass.edu.",
	"umass.edu. NS 172800 dns2.umass.edu.",
	"dns.umass.edu. A 172800 128.119.10.27",
	"dns2.umass.edu. A 172800 128.103.1.1",
	"glueless.edu. NS 172800 ns.helper.com.",
	NULL
};
static const char *const com_recs[] = {
	"com. NS 172800 a.gtld-servers.net.",
	"helper.com. NS 172800 ns.helper.com.",
	"ns.helper.com. A 172800 128.103.1.1",
	NULL
};
static const char *const umass_recs[] = {
	"@ NS 3600 dns.umass.edu.",
	"@ NS 3600 dns2.umass.edu.",
	"dns.umass.edu A 3600 128.119.10.27",
	"dns2.umass.edu A 3600 128.103.1.1",
	"gaia.cs.umass.edu A 300 128.119.245.12",
	"shop.umass.edu CNAME 600 shop.helper.com",
	"loop.umass.edu CNAME 600 loop.helper.com",
	"@ MX 3600 10 mail.umass.edu",
	"mail.umass.edu A 3600 128.119.8.25",
	NULL
};
static const char *const helper_recs[] = {
	"@ NS 3600 ns.helper.com.",
	"ns.helper.com A 3600 128.103.1.1",
	"shop.helper.com A 60 203.0.113.7",
	"loop.helper.com CNAME 60 loop.umass.edu",
	NULL
};
static const char *const glueless_recs[] = {
	"@ NS 3600 ns.helper.com.",
	"www.glueless.edu A 3600 203.0.113.8",
	NULL
};

/* A zone from lines "name TYPE ttl data"; SOA TTL 900, MINIMUM 600. */
static struct dns_zone *
mkzone(const char *origin, const char *const *lines)
{
	struct dns_name o;
	struct dns_rr soa, rr;
	struct dns_zone *z;
	char why[160], name[256], type[16], data[512];
	unsigned ttl = 0;
	size_t i;

	if (dns_zone_name_read(origin, NULL, &o, why, sizeof why) != NL_OK)
		return NULL;
	memset(&soa, 0, sizeof soa);
	soa.ttl = 900;
	soa.rd.soa.mname = o;
	soa.rd.soa.rname = o;
	soa.rd.soa.serial = 1;
	soa.rd.soa.minimum = 600;
	z = dns_zone_new(&o, 3600, &soa);
	for (i = 0; z != NULL && lines[i] != NULL; i++) {
		enum nl_status st = NL_EINVAL;

		memset(&rr, 0, sizeof rr);
		rr.class = DNS_C_IN;
		if (sscanf(lines[i], "%255s %15s %u %511[^\n]", name, type, &ttl,
		    data) == 4 &&
		    dns_zone_type_parse(type, &rr.type) == NL_OK &&
		    dns_zone_name_read(name, &o, &rr.name, why,
		    sizeof why) == NL_OK)
			st = dns_zone_rdata_read(&rr, data, &o, why, sizeof why);
		rr.ttl = ttl;
		if (st == NL_OK)
			st = dns_zone_add(z, &rr);
		dns_zone_rr_clear(&rr);
		if (st != NL_OK) {
			dns_zone_free(z);
			return NULL;
		}
	}
	return z;
}

struct answer {
	int got;		/* callbacks so far */
	enum nl_status st;	/* of the last */
	int rcode;
	int an, ar;		/* records in ANSWER, ADDITIONAL */
	char first[64];		/* the last A of ANSWER, as text */
	sim_time at;		/* when */
	struct sim *sim;
};

struct dw {
	struct sim *sim;
	struct trace *trace;
	struct net *net;
	struct nodes *ns;
	int32_t id[NNODES];
	uint32_t addr[NNODES];
	struct answer ans;
};

static void
on_answer(void *ctx, enum nl_status st, const struct dns_msg *r)
{
	struct answer *a = ctx;
	uint16_t i;

	a->got++;
	a->st = st;
	a->at = sim_now(a->sim);
	a->first[0] = '\0';
	if (r == NULL)
		return;
	a->rcode = r->hdr.rcode;
	a->an = r->sec[DNS_S_ANSWER].count;
	a->ar = r->sec[DNS_S_ADDITIONAL].count;
	for (i = 0; i < r->sec[DNS_S_ANSWER].count; i++) {
		const struct dns_rr *rr = &r->sec[DNS_S_ANSWER].rr[i];

		if (rr->type == DNS_T_A)
			snprintf(a->first, sizeof a->first, "%u.%u.%u.%u",
			    rr->rd.a[0], rr->rd.a[1], rr->rd.a[2], rr->rd.a[3]);
	}
}

/* The server s with zones (origins and records, NULL-ended) and the
 * settings of its kind, changed by recursion/mode when >= 0. */
static int
serve(struct dw *w, int s, const char *const *origins,
    const char *const *const *recs, int recursion, int mode)
{
	struct node_dns_cfg cfg;
	struct dns_zone **zones;
	size_t n = 0, i;

	while (origins[n] != NULL)
		n++;
	zones = nl_calloc(n + 1, sizeof *zones);
	if (zones == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		zones[i] = mkzone(origins[i], recs[i]);
		if (zones[i] == NULL) {
			while (i-- > 0)
				dns_zone_free(zones[i]);
			nl_free(zones);
			return 0;
		}
	}
	node_dns_cfg_default(&cfg, spec[s].kind);
	if (recursion >= 0)
		cfg.recursion = recursion;
	if (mode >= 0)
		cfg.mode = (enum dns_res_mode)mode;
	cfg.zones = zones;
	cfg.nzones = n;
	cfg.hints = &w->addr[ROOT];
	cfg.nhints = 1;
	return nodes_dns_server(w->ns, w->id[s], &cfg) == NL_OK;
}

/* The whole lab; recursive: root and TLD recurse, local asks with RD. */
static int
dw_new(struct dw *w, int recursive)
{
	static const char *const o_root[] = { ".", NULL };
	static const char *const o_tld[] = { "edu.", "com.", NULL };
	static const char *const o_auth1[] = { "umass.edu.", NULL };
	static const char *const o_auth2[] = { "umass.edu.", "helper.com.",
		"glueless.edu.", NULL };
	static const char *const *const r_root[] = { root_recs };
	static const char *const *const r_tld[] = { edu_recs, com_recs };
	static const char *const *const r_auth1[] = { umass_recs };
	static const char *const *const r_auth2[] = { umass_recs, helper_recs,
		glueless_recs };
	struct net_link_cfg lc = { NULL, SIM_MS, 100000000, 0, 100 };
	int32_t lid;
	int i;

	memset(w, 0, sizeof *w);
	w->sim = sim_new(1);
	w->trace = trace_new();
	w->net = w->sim && w->trace ? net_new(w->sim, w->trace) : NULL;
	w->ns = w->net ? nodes_new(w->net) : NULL;
	w->ans.sim = w->sim;
	if (w->ns == NULL)
		return 0;
	for (i = 0; i < NNODES; i++) {
		if (net_node_add(w->net, spec[i].name, spec[i].kind, i == R,
		    &w->id[i]) != NL_OK)
			return 0;
		if (spec[i].addr != NULL &&
		    (ipv4_addr_parse(spec[i].addr, &w->addr[i]) != NL_OK ||
		    net_node_addr_add(w->net, w->id[i], w->addr[i]) != NL_OK))
			return 0;
		if (nodes_add(w->ns, w->id[i], spec[i].kind, NULL, 0) != NL_OK)
			return 0;
	}
	for (i = 0; i < NNODES; i++)
		if (i != R && net_link_add(w->net, w->id[i], w->id[R], &lc,
		    &lid) != NL_OK)
			return 0;
	if (!serve(w, ROOT, o_root, r_root, recursive, -1) ||
	    !serve(w, TLD, o_tld, r_tld, recursive, -1) ||
	    !serve(w, AUTH1, o_auth1, r_auth1, -1, -1) ||
	    !serve(w, AUTH2, o_auth2, r_auth2, -1, -1) ||
	    !serve(w, LOCAL, o_root + 1, NULL, -1, recursive ?
	    DNS_MODE_RECURSIVE : DNS_MODE_ITERATED))
		return 0;
	return nodes_dns_client(w->ns, w->id[HOST], w->addr[LOCAL]) == NL_OK &&
	    nodes_start(w->ns) == NL_OK;
}

static void
dw_free(struct dw *w)
{
	nodes_free(w->ns);
	net_free(w->net);
	trace_free(w->trace);
	sim_free(w->sim);
}

/* The host asks (name, type); the engine runs until the answer (or
 * 60 s). */
static int
lookup(struct dw *w, const char *name, uint16_t type)
{
	struct dns_name n;
	char why[160];
	int before = w->ans.got;
	sim_time end = sim_now(w->sim) + 60 * SIM_S;

	if (dns_zone_name_read(name, NULL, &n, why, sizeof why) != NL_OK ||
	    node_dns_query(w->ns, w->id[HOST], &n, type, on_answer,
	    &w->ans) != NL_OK)
		return 0;
	while (w->ans.got == before && sim_now(w->sim) < end &&
	    sim_run(w->sim, SIM_RUN_ONCE, 0) > 0)
		;
	return w->ans.got == before + 1;
}

/* The DNS messages of the trace from index `from`: "a>b" pairs of spec
 * indexes, comma separated, into buf. Returns the count. */
static int
messages(const struct dw *w, size_t from, char *buf, size_t size)
{
	size_t i, o = 0;
	int n = 0, a, b, k;

	buf[0] = '\0';
	for (i = from; i < trace_count(w->trace); i++) {
		const struct trace_event *ev = trace_at(w->trace, i);

		if (ev->kind != TRACE_APP || ev->proto != TRACE_P_DNS)
			continue;
		a = b = -1;
		for (k = 0; k < NNODES; k++) {
			if (w->id[k] == ev->node)
				a = k;
			if (w->id[k] == ev->peer)
				b = k;
		}
		if (a < 0 || b < 0 || o + 32 >= size)
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s>%s",
		    n ? "," : "", spec[a].name, spec[b].name);
		n++;
	}
	return n;
}

/* 1 if some event from `from` has text in its summary. */
static int
said(const struct dw *w, size_t from, int kind, const char *text)
{
	size_t i;

	for (i = from; i < trace_count(w->trace); i++) {
		const struct trace_event *ev = trace_at(w->trace, i);

		if (ev->kind == kind && strstr(ev->summary, text) != NULL)
			return 1;
	}
	return 0;
}

static void
test_iterated(void)
{
	struct dw w;
	char seq[1024];

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.st, NL_OK);
	ASSERT_EQ(w.ans.rcode, DNS_R_NOERROR);
	ASSERT_STR_EQ(w.ans.first, "128.119.245.12");
	ASSERT_EQ(messages(&w, 0, seq, sizeof seq), 8);
	ASSERT_STR_EQ(seq, "host>local,local>root,root>local,local>tld,"
	    "tld>local,local>auth1,auth1>local,local>host");
	ASSERT(said(&w, 0, TRACE_STATE, "cache + edu. 172800 NS "
	    "a.edu-servers.net."));
	ASSERT(said(&w, 0, TRACE_STATE, "cache + gaia.cs.umass.edu. 300 A "
	    "128.119.245.12"));
	dw_free(&w);
}

static void
test_recursive(void)
{
	struct dw w;
	char seq[1024];

	ASSERT(dw_new(&w, 1));
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.rcode, DNS_R_NOERROR);
	ASSERT_STR_EQ(w.ans.first, "128.119.245.12");
	ASSERT_EQ(messages(&w, 0, seq, sizeof seq), 8);
	ASSERT_STR_EQ(seq, "host>local,local>root,root>tld,tld>auth1,"
	    "auth1>tld,tld>root,root>local,local>host");
	dw_free(&w);
}

static void
test_cache_hit(void)
{
	struct dw w;
	char seq[1024];
	size_t mark;

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	sim_run(w.sim, SIM_RUN_UNTIL, 100 * SIM_S);
	mark = trace_count(w.trace);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_STR_EQ(w.ans.first, "128.119.245.12");
	/* No message beyond the local server. */
	ASSERT_EQ(messages(&w, mark, seq, sizeof seq), 2);
	ASSERT_STR_EQ(seq, "host>local,local>host");
	ASSERT(said(&w, mark, TRACE_STATE, "cache hit gaia.cs.umass.edu. A "
	    "(TTL 201 left)"));
	/* A sibling name starts at umass.edu's cached servers. */
	mark = trace_count(w.trace);
	ASSERT(lookup(&w, "umass.edu", DNS_T_MX));
	ASSERT_EQ(messages(&w, mark, seq, sizeof seq), 4);
	ASSERT_STR_EQ(seq, "host>local,local>auth1,auth1>local,local>host");
	ASSERT_EQ(w.ans.ar, 1);		/* the exchanger's address */
	/* At expiry the record goes; the next lookup asks again. */
	sim_run(w.sim, SIM_RUN_UNTIL, 301 * SIM_S);
	ASSERT(said(&w, mark, TRACE_STATE, "cache expired "
	    "gaia.cs.umass.edu. A"));
	mark = trace_count(w.trace);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_EQ(messages(&w, mark, seq, sizeof seq), 4);
	dw_free(&w);
}

static void
test_glueless(void)
{
	struct dw w;

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "www.glueless.edu", DNS_T_A));
	ASSERT_EQ(w.ans.rcode, DNS_R_NOERROR);
	ASSERT_STR_EQ(w.ans.first, "203.0.113.8");
	/* The name server's address was looked up on the way. */
	ASSERT(said(&w, 0, TRACE_APP, "A? ns.helper.com"));
	ASSERT(said(&w, 0, TRACE_NOTE, "no address for the name server "
	    "ns.helper.com."));
	dw_free(&w);
}

static void
test_cname_chase(void)
{
	struct dw w;

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "shop.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.rcode, DNS_R_NOERROR);
	ASSERT_EQ(w.ans.an, 2);		/* the CNAME, then the A */
	ASSERT_STR_EQ(w.ans.first, "203.0.113.7");
	ASSERT(said(&w, 0, TRACE_APP, "A? shop.helper.com"));
	dw_free(&w);
}

static void
test_cname_loop(void)
{
	struct dw w;

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "loop.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.rcode, DNS_R_SERVFAIL);
	ASSERT_EQ(w.ans.an, 0);		/* no half chain in a failure */
	ASSERT(said(&w, 0, TRACE_NOTE, "the CNAMEs form a loop"));
	dw_free(&w);
}

static void
test_negative(void)
{
	struct dw w;
	char seq[1024];
	size_t mark;

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "nosuch.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.rcode, DNS_R_NXDOMAIN);
	ASSERT(said(&w, 0, TRACE_STATE, "cache + nosuch.umass.edu. 600 "
	    "NXDOMAIN (negative)"));
	mark = trace_count(w.trace);
	ASSERT(lookup(&w, "nosuch.umass.edu", DNS_T_MX));
	ASSERT_EQ(w.ans.rcode, DNS_R_NXDOMAIN);
	ASSERT_EQ(messages(&w, mark, seq, sizeof seq), 2);
	/* NODATA: the name is there, not the type. */
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_MX));
	ASSERT_EQ(w.ans.rcode, DNS_R_NOERROR);
	ASSERT_EQ(w.ans.an, 0);
	ASSERT(said(&w, 0, TRACE_STATE, "gaia.cs.umass.edu. 600 MX NODATA"));
	mark = trace_count(w.trace);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_MX));
	ASSERT_EQ(messages(&w, mark, seq, sizeof seq), 2);
	dw_free(&w);
}

static void
test_timeout_next(void)
{
	struct dw w;

	ASSERT(dw_new(&w, 0));
	ASSERT_EQ(net_node_set_up(w.net, w.id[AUTH1], 0), NL_OK);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.rcode, DNS_R_NOERROR);
	ASSERT_STR_EQ(w.ans.first, "128.119.245.12");
	ASSERT(said(&w, 0, TRACE_NOTE, "no answer from dns.umass.edu "
	    "(128.119.10.27) within 2 s"));
	ASSERT(w.ans.at > DNS_TIMEOUT_DEFAULT);
	ASSERT(w.ans.at < DNS_STUB_TIMEOUT);
	dw_free(&w);
}

static void
test_all_down(void)
{
	struct dw w;
	size_t i;
	int to1 = 0, to2 = 0;

	ASSERT(dw_new(&w, 0));
	ASSERT_EQ(net_node_set_up(w.net, w.id[AUTH1], 0), NL_OK);
	ASSERT_EQ(net_node_set_up(w.net, w.id[AUTH2], 0), NL_OK);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.st, NL_OK);
	ASSERT_EQ(w.ans.rcode, DNS_R_SERVFAIL);
	for (i = 0; i < trace_count(w.trace); i++) {
		const struct trace_event *ev = trace_at(w.trace, i);

		if (ev->kind != TRACE_APP || ev->node != w.id[LOCAL])
			continue;
		to1 += ev->peer == w.id[AUTH1];
		to2 += ev->peer == w.id[AUTH2];
	}
	/* Each server once, then one more round (DNS_RETRIES_DEFAULT). */
	ASSERT_EQ(to1, 1 + DNS_RETRIES_DEFAULT);
	ASSERT_EQ(to2, 1 + DNS_RETRIES_DEFAULT);
	ASSERT(said(&w, 0, TRACE_NOTE, "giving up on gaia.cs.umass.edu A"));
	dw_free(&w);
}

static void
test_crash(void)
{
	struct dw w;
	char seq[1024];
	size_t mark;

	ASSERT(dw_new(&w, 0));
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	/* The local server crashes: its cache is lost (an event says so). */
	ASSERT_EQ(net_node_set_up(w.net, w.id[LOCAL], 0), NL_OK);
	ASSERT(said(&w, 0, TRACE_STATE, "cache lost: the server crashed"));
	ASSERT_EQ(net_node_set_up(w.net, w.id[LOCAL], 1), NL_OK);
	/* The authoritative server crashes and restarts: zones stay. */
	ASSERT_EQ(net_node_set_up(w.net, w.id[AUTH1], 0), NL_OK);
	ASSERT_EQ(net_node_set_up(w.net, w.id[AUTH1], 1), NL_OK);
	mark = trace_count(w.trace);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_STR_EQ(w.ans.first, "128.119.245.12");
	ASSERT_EQ(messages(&w, mark, seq, sizeof seq), 8);
	dw_free(&w);
}

/* The host's stub gives up when its local server is down. */
static void
test_stub_timeout(void)
{
	struct dw w;

	ASSERT(dw_new(&w, 0));
	ASSERT_EQ(net_node_set_up(w.net, w.id[LOCAL], 0), NL_OK);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_EQ(w.ans.st, NL_ETIMEDOUT);
	ASSERT_EQ(w.ans.at, DNS_STUB_TRIES * DNS_STUB_TIMEOUT);
	dw_free(&w);
}

/* Zone changes at run time, as the timeline makes them. */
static void
test_record_change(void)
{
	struct dw w;
	struct dns_rr rr;
	char why[160];

	ASSERT(dw_new(&w, 0));
	memset(&rr, 0, sizeof rr);
	rr.type = DNS_T_A;
	rr.class = DNS_C_IN;
	rr.ttl = 300;
	ASSERT_EQ(dns_zone_name_read("gaia.cs.umass.edu", NULL, &rr.name, why,
	    sizeof why), NL_OK);
	ASSERT_EQ(dns_zone_rdata_read(&rr, "128.119.245.99", NULL, why,
	    sizeof why), NL_OK);
	ASSERT_EQ(node_dns_record(w.ns, w.id[AUTH1], NODE_DNS_CHANGE, &rr, 1),
	    NL_OK);
	ASSERT(said(&w, 0, TRACE_STATE, "zone umass.edu.: - "
	    "gaia.cs.umass.edu. 300 A 128.119.245.12"));
	ASSERT(said(&w, 0, TRACE_STATE, "zone umass.edu.: + "
	    "gaia.cs.umass.edu. 300 A 128.119.245.99"));
	ASSERT_EQ(net_node_set_up(w.net, w.id[AUTH2], 0), NL_OK);
	ASSERT(lookup(&w, "gaia.cs.umass.edu", DNS_T_A));
	ASSERT_STR_EQ(w.ans.first, "128.119.245.99");
	ASSERT_EQ(node_dns_cache_flush(w.ns, w.id[LOCAL]), NL_OK);
	ASSERT(said(&w, 0, TRACE_STATE, "cache flushed ("));
	dw_free(&w);
}

const struct test_case tests_dns_resolver[] = {
	{ "dns_resolver_iterated_order", test_iterated },
	{ "dns_resolver_recursive_order", test_recursive },
	{ "dns_resolver_cache_hit", test_cache_hit },
	{ "dns_resolver_glueless_ns", test_glueless },
	{ "dns_resolver_cname_chase", test_cname_chase },
	{ "dns_resolver_cname_loop", test_cname_loop },
	{ "dns_resolver_negative_cache", test_negative },
	{ "dns_resolver_timeout_next_server", test_timeout_next },
	{ "dns_resolver_all_down_servfail", test_all_down },
	{ "dns_resolver_crash_keeps_zones", test_crash },
	{ "dns_resolver_stub_timeout", test_stub_timeout },
	{ "dns_resolver_record_change", test_record_change },
	{ NULL, NULL }
};
