/* cmd_gen.c - `netlab gen campus`: writes a scenario of campus or ISP
 * size to stdout, for benchmarks and for instructors who want a big
 * network: a root server, a few TLD servers, D domains (each with an
 * authoritative server, a mail server with MX and A records, and its
 * users' user agents), N hosts in sites of 100 behind site routers,
 * one local DNS server per site, the sites grouped under region routers
 * joined by a core router (a tree, so no node has thousands of links).
 * The workload is two timeline entries: a resolve-load of L lookups of
 * Zipf-popular names from the hosts and a mail-load of M mails between
 * users of different domains (docs/scenario-format.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_gen.h"

#define GEN_HOSTS_PER_SITE 100	/* hosts behind one site router */
#define GEN_DOMS_PER_SITE 50	/* domains in one server site */
#define GEN_SITES_PER_REGION 16	/* site routers under one region */
#define GEN_HOSTS_MAX 60000
#define GEN_DOMAINS_MAX 5000	/* each a /24 in 10.64.0.0/10 */
#define GEN_USERS_MAX 64	/* a mail server's users (NODE_MAIL_USERS_MAX) */
#define GEN_LOAD_MAX 100000000	/* lookups or mails (the load limit) */
#define GEN_LOOKUP_RATE 1000	/* lookups per virtual second */
#define GEN_MAIL_RATE 100	/* mails per virtual second */

static const char *const gen_tlds[] = {
	"com", "net", "org", "edu", "fr", "de", "uk", "nl",
};
#define GEN_TLDS_MAX (sizeof gen_tlds / sizeof gen_tlds[0])

struct gen {
	long hosts, domains, users;	/* --hosts, --domains, --users */
	long lookups, mails;		/* --lookups, --mails */
	unsigned long long seed;	/* --seed */
	size_t ntlds;			/* TLDs in use */
	long hsites, ssites;		/* host sites, server sites */
	long regions;
	FILE *f;
	int first;			/* no comma before the next item */
	unsigned long long rng;		/* splitmix64 state */
};

/* splitmix64: a small generator of its own, so the scenario a seed
 * gives does not depend on the engine's. */
static unsigned long long
gen_rand(struct gen *g)
{
	unsigned long long z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Starts an item of a JSON list: a comma and newline but for the first. */
static void
item(struct gen *g)
{
	fputs(g->first ? "\n    " : ",\n    ", g->f);
	g->first = 0;
}

static const char *
dom_tld(const struct gen *g, long d)
{
	return gen_tlds[(size_t)d % g->ntlds];
}

/* Domain d is "dD.TLD"; its servers are in 10.(64 + d/256).(d%256).0/24. */
static void
dom_name(const struct gen *g, long d, char *buf, size_t size)
{
	snprintf(buf, size, "d%ld.%s", d, dom_tld(g, d));
}

static void
dom_addr(long d, int host, char *buf, size_t size)
{
	snprintf(buf, size, "10.%ld.%ld.%d", 64 + d / 256, d % 256, host);
}

/* ---- Nodes ---- */

static void
gen_root(struct gen *g)
{
	size_t t;

	item(g);
	fprintf(g->f, "{\"id\": \"a.root-servers.net\", \"kind\": \"dns-root\", "
	    "\"address\": \"198.41.0.4\",\n     \"zones\": [{\"origin\": \".\", "
	    "\"ttl\": \"2d\", \"records\": [\n"
	    "       {\"name\": \".\", \"type\": \"NS\", \"data\": "
	    "\"a.root-servers.net.\"},\n"
	    "       {\"name\": \"a.root-servers.net.\", \"type\": \"A\", "
	    "\"data\": \"198.41.0.4\"}");
	for (t = 0; t < g->ntlds; t++)
		fprintf(g->f, ",\n       {\"name\": \"%s.\", \"type\": \"NS\", "
		    "\"data\": \"a.nic.%s.\"},\n       {\"name\": \"a.nic.%s.\", "
		    "\"type\": \"A\", \"data\": \"192.5.6.%zu\"}", gen_tlds[t],
		    gen_tlds[t], gen_tlds[t], 10 + t);
	fputs("]}]}", g->f);
}

static void
gen_tld(struct gen *g, size_t t)
{
	char dom[64], ns[32];
	long d;

	item(g);
	fprintf(g->f, "{\"id\": \"a.nic.%s\", \"kind\": \"dns-tld\", "
	    "\"address\": \"192.5.6.%zu\",\n     \"zones\": [{\"origin\": "
	    "\"%s.\", \"ttl\": \"2d\", \"records\": [\n"
	    "       {\"name\": \"@\", \"type\": \"NS\", \"data\": "
	    "\"a.nic.%s.\"},\n       {\"name\": \"a.nic.%s.\", \"type\": "
	    "\"A\", \"data\": \"192.5.6.%zu\"}", gen_tlds[t], 10 + t,
	    gen_tlds[t], gen_tlds[t], gen_tlds[t], 10 + t);
	/* Each delegation with its glue (RFC 1034 4.2.1). */
	for (d = (long)t; d < g->domains; d += (long)g->ntlds) {
		dom_name(g, d, dom, sizeof dom);
		dom_addr(d, 53, ns, sizeof ns);
		fprintf(g->f, ",\n       {\"name\": \"%s.\", \"type\": \"NS\", "
		    "\"data\": \"ns.%s.\"},\n       {\"name\": \"ns.%s.\", "
		    "\"type\": \"A\", \"data\": \"%s\"}", dom, dom, dom, ns);
	}
	fputs("]}]}", g->f);
}

/* Domain d: its authoritative server, its mail server, its users. */
static void
gen_domain(struct gen *g, long d)
{
	char dom[64], ns[32], mx[32], ua[32];
	long site = d / GEN_DOMS_PER_SITE, u;

	dom_name(g, d, dom, sizeof dom);
	dom_addr(d, 53, ns, sizeof ns);
	dom_addr(d, 25, mx, sizeof mx);
	item(g);
	fprintf(g->f, "{\"id\": \"ns.%s\", \"kind\": \"dns-authoritative\", "
	    "\"address\": \"%s\",\n     \"zones\": [{\"origin\": \"%s.\", "
	    "\"ttl\": \"1h\", \"records\": [\n"
	    "       {\"name\": \"@\", \"type\": \"NS\", \"data\": \"ns.%s.\"},\n"
	    "       {\"name\": \"ns.%s.\", \"type\": \"A\", \"data\": \"%s\"},\n"
	    "       {\"name\": \"@\", \"type\": \"A\", \"data\": "
	    "\"172.%ld.%ld.%ld\"},\n"
	    "       {\"name\": \"www.%s.\", \"type\": \"A\", \"data\": "
	    "\"172.%ld.%ld.%ld\"},\n"
	    "       {\"name\": \"@\", \"type\": \"MX\", \"data\": "
	    "\"10 mail.%s.\"},\n"
	    "       {\"name\": \"mail.%s.\", \"type\": \"A\", \"data\": "
	    "\"%s\"}]}]}", dom, ns, dom, dom, dom, ns,
	    16 + d / 65536, d / 256 % 256, d % 256, dom,
	    16 + d / 65536, d / 256 % 256, d % 256, dom, dom, mx);
	item(g);
	fprintf(g->f, "{\"id\": \"mail.%s\", \"kind\": \"mail-server\", "
	    "\"address\": \"%s\", \"domain\": \"%s\", \"dns\": \"dns.s%ld\",\n"
	    "     \"users\": [", dom, mx, dom, site);
	for (u = 1; u <= g->users; u++)
		fprintf(g->f, "%s\"u%ld\"", u > 1 ? ", " : "", u);
	fputs("]}", g->f);
	for (u = 1; u <= g->users; u++) {
		dom_addr(d, (int)(100 + u), ua, sizeof ua);
		item(g);
		fprintf(g->f, "{\"id\": \"ua%ld.%s\", \"kind\": \"user-agent\", "
		    "\"address\": \"%s\", \"user\": \"u%ld@%s\", \"server\": "
		    "\"mail.%s\"}", u, dom, ua, u, dom, dom);
	}
}

static void
gen_nodes(struct gen *g)
{
	long i, k;
	size_t t;

	fputs("  \"nodes\": [", g->f);
	g->first = 1;
	item(g);
	fputs("{\"id\": \"core\", \"kind\": \"router\"}", g->f);
	gen_root(g);
	for (t = 0; t < g->ntlds; t++)
		gen_tld(g, t);
	for (k = 0; k < g->regions; k++) {
		item(g);
		fprintf(g->f, "{\"id\": \"rg%ld\", \"kind\": \"router\"}", k);
	}
	for (k = 0; k < g->hsites; k++) {
		item(g);
		fprintf(g->f, "{\"id\": \"rh%ld\", \"kind\": \"router\"}", k);
		item(g);
		fprintf(g->f, "{\"id\": \"dns.h%ld\", \"kind\": \"dns-local\", "
		    "\"address\": \"10.%ld.%ld.53\"}", k, k / 256, k % 256);
	}
	for (i = 0; i < g->hosts; i++) {
		k = i / GEN_HOSTS_PER_SITE;
		item(g);
		fprintf(g->f, "{\"id\": \"h%ld\", \"kind\": \"host\", "
		    "\"address\": \"10.%ld.%ld.%ld\", \"dns\": \"dns.h%ld\"}", i,
		    k / 256, k % 256, 100 + i % GEN_HOSTS_PER_SITE, k);
	}
	for (k = 0; k < g->ssites; k++) {
		item(g);
		fprintf(g->f, "{\"id\": \"rs%ld\", \"kind\": \"router\"}", k);
		item(g);
		fprintf(g->f, "{\"id\": \"dns.s%ld\", \"kind\": \"dns-local\", "
		    "\"address\": \"10.63.%ld.53\"}", k, k);
	}
	for (i = 0; i < g->domains; i++)
		gen_domain(g, i);
	fputs("\n  ],\n", g->f);
}

/* ---- Links: leaves to their site router, sites to their region,
 * regions and the DNS hierarchy to the core. ---- */

static void
gen_link(struct gen *g, const char *a, const char *b, const char *extra)
{
	item(g);
	fprintf(g->f, "{\"a\": \"%s\", \"b\": \"%s\"%s}", a, b, extra);
}

static void
gen_links(struct gen *g)
{
	static const char wan[] = ", \"delay\": \"5ms\", \"bandwidth\": "
	    "\"10Gbit/s\"";
	char a[128], b[128];
	long i, k, u;
	size_t t;

	fputs("  \"links\": [", g->f);
	g->first = 1;
	gen_link(g, "a.root-servers.net", "core", wan);
	for (t = 0; t < g->ntlds; t++) {
		snprintf(a, sizeof a, "a.nic.%s", gen_tlds[t]);
		gen_link(g, a, "core", wan);
	}
	for (k = 0; k < g->regions; k++) {
		snprintf(a, sizeof a, "rg%ld", k);
		gen_link(g, a, "core", wan);
	}
	for (k = 0; k < g->hsites + g->ssites; k++) {
		if (k < g->hsites)
			snprintf(a, sizeof a, "rh%ld", k);
		else
			snprintf(a, sizeof a, "rs%ld", k - g->hsites);
		snprintf(b, sizeof b, "rg%ld", k / GEN_SITES_PER_REGION);
		gen_link(g, a, b, ", \"delay\": \"2ms\", \"bandwidth\": "
		    "\"1Gbit/s\"");
		if (k < g->hsites)
			snprintf(b, sizeof b, "dns.h%ld", k);
		else
			snprintf(b, sizeof b, "dns.s%ld", k - g->hsites);
		gen_link(g, b, a, "");
	}
	for (i = 0; i < g->hosts; i++) {
		snprintf(a, sizeof a, "h%ld", i);
		snprintf(b, sizeof b, "rh%ld", i / GEN_HOSTS_PER_SITE);
		gen_link(g, a, b, "");
	}
	for (i = 0; i < g->domains; i++) {
		char dom[64];

		dom_name(g, i, dom, sizeof dom);
		snprintf(b, sizeof b, "rs%ld", i / GEN_DOMS_PER_SITE);
		snprintf(a, sizeof a, "ns.%s", dom);
		gen_link(g, a, b, "");
		snprintf(a, sizeof a, "mail.%s", dom);
		gen_link(g, a, b, "");
		for (u = 1; u <= g->users; u++) {
			snprintf(a, sizeof a, "ua%ld.%s", u, dom);
			gen_link(g, a, b, "");
		}
	}
	fputs("\n  ],\n", g->f);
}

/* ---- The workload ---- */

static void
gen_lookups(struct gen *g, long over)
{
	long n = 3 * g->domains, i;
	long *order = malloc((size_t)n * sizeof *order);
	static const char *const prefix[] = { "www.", "", "mail." };
	char dom[64];

	if (order == NULL)
		return;
	/* Popularity ranks: a seeded shuffle (Fisher-Yates) of every name,
	 * so the popular names are spread over domains and TLDs. */
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		long j = (long)(gen_rand(g) % (unsigned long long)(i + 1));
		long x = order[i];

		order[i] = order[j];
		order[j] = x;
	}
	item(g);
	fprintf(g->f, "{\"at\": \"1s\", \"do\": \"resolve-load\", \"count\": "
	    "%ld, \"over\": \"%lds\", \"zipf\": 1,\n     \"from\": [", g->lookups,
	    over);
	for (i = 0; i < g->hosts; i++)
		fprintf(g->f, "%s\"h%ld\"", i ? ", " : "", i);
	fputs("],\n     \"names\": [", g->f);
	for (i = 0; i < n; i++) {
		dom_name(g, order[i] / 3, dom, sizeof dom);
		fprintf(g->f, "%s\"%s%s\"", i ? ", " : "", prefix[order[i] % 3],
		    dom);
	}
	fputs("]}", g->f);
	free(order);
}

static void
gen_mails(struct gen *g, long over)
{
	char dom[64];
	long d, u;

	item(g);
	fprintf(g->f, "{\"at\": \"1s\", \"do\": \"mail-load\", \"count\": %ld, "
	    "\"over\": \"%lds\", \"subject\": \"Minutes of the meeting\",\n"
	    "     \"body\": \"Hello,\\nthe minutes are below.\\n\\nSee you "
	    "on Monday.\",\n     \"from\": [", g->mails, over);
	for (d = 0; d < g->domains; d++) {
		dom_name(g, d, dom, sizeof dom);
		for (u = 1; u <= g->users; u++)
			fprintf(g->f, "%s\"ua%ld.%s\"", d || u > 1 ? ", " : "",
			    u, dom);
	}
	fputs("],\n     \"to\": [", g->f);
	for (d = 0; d < g->domains; d++) {
		dom_name(g, d, dom, sizeof dom);
		for (u = 1; u <= g->users; u++)
			fprintf(g->f, "%s\"u%ld@%s\"", d || u > 1 ? ", " : "",
			    u, dom);
	}
	fputs("]}", g->f);
}

static void
gen_scenario(struct gen *g)
{
	long over = 10;

	/* One window for both loads: long enough that neither rate is
	 * above what a campus sees, so queues stay short. */
	if (g->lookups / GEN_LOOKUP_RATE > over)
		over = g->lookups / GEN_LOOKUP_RATE;
	if (g->mails / GEN_MAIL_RATE > over)
		over = g->mails / GEN_MAIL_RATE;
	fprintf(g->f, "{\n  \"netlab_scenario\": 1,\n  \"meta\": {\"title\": "
	    "\"Campus: %ld hosts, %ld domains\", \"summary\": \"Made by "
	    "'netlab gen campus --hosts %ld --domains %ld --lookups %ld "
	    "--mails %ld --users %ld --seed %llu'. %ld hosts in sites of %d, "
	    "each site with its local DNS server; %ld lookups of "
	    "Zipf-popular names and %ld mails between users of different "
	    "domains, over %ld s.\"},\n  \"seed\": %llu,\n",
	    g->hosts, g->domains, g->hosts, g->domains, g->lookups, g->mails,
	    g->users, g->seed, g->hosts, GEN_HOSTS_PER_SITE, g->lookups,
	    g->mails, over, g->seed);
	gen_nodes(g);
	gen_links(g);
	fputs("  \"timeline\": [", g->f);
	g->first = 1;
	if (g->lookups > 0)
		gen_lookups(g, over);
	if (g->mails > 0)
		gen_mails(g, over);
	fputs("\n  ]\n}\n", g->f);
}

/* A whole decimal number in [min, max] (1e6 style allowed). */
static int
parse_num(const char *s, long min, long max, long *out)
{
	char *end;
	double v;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || v != (double)(long)v ||
	    v < (double)min || v > (double)max)
		return 0;
	*out = (long)v;
	return 1;
}

static int
gen_usage_error(const char *opt, const char *v, long min, long max)
{
	return cli_usage_error("gen", "%s: expected a whole number from %ld "
	    "to %ld, found '%s'", opt, min, max, v);
}

int
cmd_gen(int argc, char **argv)
{
	static const struct {
		const char *name;
		long min, max;
	} opts[] = {
		{ "--hosts", 1, GEN_HOSTS_MAX },
		{ "--domains", 1, GEN_DOMAINS_MAX },
		{ "--lookups", 0, GEN_LOAD_MAX },
		{ "--mails", 0, GEN_LOAD_MAX },
		{ "--users", 1, GEN_USERS_MAX },
		{ "--seed", 0, 2147483647L },
	};
	long vals[6] = { 100, 10, 1000, 100, 2, 1 };
	struct gen g;
	int i;
	size_t k;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc >= 2) {
			cli_usage();
			return CLI_EXIT_OK;
		}
		return cli_usage_error("gen", "what? the one generator is "
		    "'campus'");
	}
	if (strcmp(argv[1], "campus") != 0)
		return cli_usage_error("gen", "unknown generator '%s'; the one "
		    "generator is 'campus'", argv[1]);
	for (i = 2; i < argc; i++) {
		const char *v = NULL;

		for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
			if (cli_opt(argv[i], opts[k].name, &v))
				break;
		if (k == sizeof opts / sizeof opts[0])
			return cli_usage_error("gen", "unknown option '%s'",
			    argv[i]);
		if (v == NULL) {
			if (i + 1 >= argc)
				return cli_usage_error("gen", "%s needs a "
				    "value", opts[k].name);
			v = argv[++i];
		}
		if (!parse_num(v, opts[k].min, opts[k].max, &vals[k]))
			return gen_usage_error(opts[k].name, v, opts[k].min,
			    opts[k].max);
	}
	memset(&g, 0, sizeof g);
	g.hosts = vals[0];
	g.domains = vals[1];
	g.lookups = vals[2];
	g.mails = vals[3];
	g.users = vals[4];
	g.seed = (unsigned long long)vals[5];
	g.rng = g.seed;
	g.f = stdout;
	g.ntlds = (size_t)(1 + (g.domains - 1) / 150);
	if (g.ntlds > GEN_TLDS_MAX)
		g.ntlds = GEN_TLDS_MAX;
	g.hsites = (g.hosts + GEN_HOSTS_PER_SITE - 1) / GEN_HOSTS_PER_SITE;
	g.ssites = (g.domains + GEN_DOMS_PER_SITE - 1) / GEN_DOMS_PER_SITE;
	g.regions = (g.hsites + g.ssites + GEN_SITES_PER_REGION - 1) /
	    GEN_SITES_PER_REGION;
	gen_scenario(&g);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "netlab gen: cannot write the scenario: %s\n",
		    strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}
