/* test_dns_zone.c - what an authoritative server answers from its zones
 * (nodes/dns_zone.c): AA answers, referrals with glue, NXDOMAIN and
 * NODATA with the SOA and its negative TTL, CNAMEs followed inside the
 * zone, rotation of A records, REFUSED outside every zone; and the text
 * forms a scenario writes records in. */
#include <stdio.h>
#include <string.h>

#include "test.h"

#include "nodes/dns_zone.h"
#include "proto/dns/dns_msg.h"
#include "util/alloc.h"

/* A zone from lines "name TYPE ttl data"; SOA TTL 900, MINIMUM 3600. */
static struct dns_zone *
mkzone(const char *origin, const char *const *lines)
{
	struct dns_name o;
	struct dns_rr soa, rr;
	struct dns_zone *z;
	char why[160], name[256], type[16], data[512];
	unsigned ttl;
	size_t i;

	if (dns_zone_name_read(origin, NULL, &o, why, sizeof why) != NL_OK)
		return NULL;
	memset(&soa, 0, sizeof soa);
	soa.ttl = 900;
	soa.rd.soa.mname = o;
	soa.rd.soa.rname = o;
	soa.rd.soa.serial = 7;
	soa.rd.soa.minimum = 3600;
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
			if (!nl_alloc_failed())
				fprintf(stderr, "  bad test record: %s\n",
				    lines[i]);
			dns_zone_free(z);
			return NULL;
		}
	}
	return z;
}

static const char *const root_recs[] = {
	". NS 518400 a.root-servers.net.",
	"a.root-servers.net. A 518400 198.41.0.4",
	"edu. NS 172800 a.edu-servers.net.",
	"a.edu-servers.net. A 172800 192.5.6.30",
	NULL
};
static const char *const edu_recs[] = {
	"edu. NS 172800 a.edu-servers.net.",
	"umass.edu. NS 172800 dns.umass.edu.",
	"umass.edu. NS 172800 dns2.umass.edu.",
	"dns.umass.edu. A 172800 128.119.10.27",
	"dns2.umass.edu. A 172800 128.103.1.1",
	NULL
};
static const char *const umass_recs[] = {
	"@ NS 3600 dns.umass.edu.",
	"dns.umass.edu A 3600 128.119.10.27",
	"gaia.cs.umass.edu A 3600 128.119.245.12",
	"www.umass.edu CNAME 600 web.umass.edu",
	"web.umass.edu A 300 128.119.8.148",
	"shop.umass.edu CNAME 600 umass.shops.example.net",
	"lb.umass.edu A 60 10.0.0.1",
	"lb.umass.edu A 60 10.0.0.2",
	"lb.umass.edu A 60 10.0.0.3",
	"@ MX 3600 10 mail.umass.edu",
	"mail.umass.edu A 3600 128.119.8.25",
	"mail.umass.edu AAAA 3600 2001:db8::25",
	NULL
};

struct server {
	struct dns_zone *z[3];
	size_t n;
};

static int
server_new(struct server *s)
{
	s->z[0] = mkzone(".", root_recs);
	s->z[1] = mkzone("edu.", edu_recs);
	s->z[2] = mkzone("umass.edu.", umass_recs);
	s->n = 3;
	return s->z[0] != NULL && s->z[1] != NULL && s->z[2] != NULL;
}

static void
server_free(struct server *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		dns_zone_free(s->z[i]);
}

/* Asks the zones of s (or only zone `only`, -1 all) for (name, type). */
static struct dns_msg *
ask(struct server *s, int only, const char *name, uint16_t type,
    enum dns_zone_res *res)
{
	struct dns_msg *m = dns_msg_new();
	struct dns_name n;
	char why[160];

	if (m == NULL || dns_zone_name_read(name, NULL, &n, why,
	    sizeof why) != NL_OK ||
	    dns_msg_add_question(m, &n, type, DNS_C_IN) != NL_OK ||
	    dns_zones_answer(only < 0 ? s->z : &s->z[only],
	    only < 0 ? s->n : 1, &n, type, m, res) != NL_OK) {
		dns_msg_free(m);
		return NULL;
	}
	m->hdr.qr = 1;
	return m;
}

static const char *
rd_str(const struct dns_rr *rr, char *buf, size_t size)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 4096);
	if (dns_rdata_print(&b, rr) != NL_OK)
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s", (const char *)b.data);
	nl_dbuf_free(&b);
	return buf;
}

static void
test_answer_aa(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;
	char buf[256];

	ASSERT(server_new(&s));
	m = ask(&s, -1, "gaia.cs.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_ANSWER);
	ASSERT_EQ(m->hdr.aa, 1);
	ASSERT_EQ(m->hdr.rcode, DNS_R_NOERROR);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 1);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].rr[0].ttl, 3600);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ANSWER].rr[0], buf, sizeof buf),
	    "128.119.245.12");
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].count, 0);
	dns_msg_free(m);
	server_free(&s);
}

static void
test_referral(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;
	char buf[256];

	ASSERT(server_new(&s));
	/* The root knows only who serves edu. */
	m = ask(&s, 0, "gaia.cs.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_REFERRAL);
	ASSERT_EQ(m->hdr.aa, 0);
	ASSERT_EQ(m->hdr.rcode, DNS_R_NOERROR);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 0);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].count, 1);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_AUTHORITY].rr[0], buf, sizeof buf),
	    "a.edu-servers.net.");
	ASSERT_EQ(m->sec[DNS_S_ADDITIONAL].count, 1);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ADDITIONAL].rr[0], buf,
	    sizeof buf), "192.5.6.30");
	dns_msg_free(m);
	/* The TLD refers to both servers of umass.edu, with both glues. */
	m = ask(&s, 1, "gaia.cs.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_REFERRAL);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].count, 2);
	ASSERT_EQ(m->sec[DNS_S_ADDITIONAL].count, 2);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ADDITIONAL].rr[1], buf,
	    sizeof buf), "128.103.1.1");
	dns_msg_free(m);
	server_free(&s);
}

static void
test_nxdomain(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;

	ASSERT(server_new(&s));
	m = ask(&s, -1, "nosuch.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_NXDOMAIN);
	ASSERT_EQ(m->hdr.rcode, DNS_R_NXDOMAIN);
	ASSERT_EQ(m->hdr.aa, 1);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 0);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].count, 1);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].rr[0].type, DNS_T_SOA);
	/* RFC 2308 3: min(SOA TTL 900, MINIMUM 3600). */
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].rr[0].ttl, 900);
	dns_msg_free(m);
	server_free(&s);
}

static void
test_nodata(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;

	ASSERT(server_new(&s));
	m = ask(&s, -1, "gaia.cs.umass.edu", DNS_T_MX, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_NODATA);
	ASSERT_EQ(m->hdr.rcode, DNS_R_NOERROR);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 0);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].rr[0].type, DNS_T_SOA);
	dns_msg_free(m);
	/* cs.umass.edu owns nothing but has a name below: it exists. */
	m = ask(&s, -1, "cs.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_NODATA);
	ASSERT_EQ(m->hdr.rcode, DNS_R_NOERROR);
	dns_msg_free(m);
	server_free(&s);
}

static void
test_cname(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;
	char buf[256];

	ASSERT(server_new(&s));
	/* Inside the zone: the CNAME, then the target's A. */
	m = ask(&s, -1, "www.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_ANSWER);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 2);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].rr[0].type, DNS_T_CNAME);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ANSWER].rr[0], buf, sizeof buf),
	    "web.umass.edu.");
	ASSERT_EQ(m->sec[DNS_S_ANSWER].rr[1].type, DNS_T_A);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].rr[1].ttl, 300);
	dns_msg_free(m);
	/* Out of the zone: the CNAME alone, for the resolver to chase. */
	m = ask(&s, -1, "shop.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_ANSWER);
	ASSERT_EQ(m->hdr.aa, 1);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 1);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].count, 0);
	dns_msg_free(m);
	/* Asking for the CNAME itself. */
	m = ask(&s, -1, "www.umass.edu", DNS_T_CNAME, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 1);
	dns_msg_free(m);
	server_free(&s);
}

static void
test_rotation(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;
	const char *first[4] = { "10.0.0.1", "10.0.0.2", "10.0.0.3",
		"10.0.0.1" };
	char buf[256];
	int i;

	ASSERT(server_new(&s));
	for (i = 0; i < 4; i++) {
		m = ask(&s, -1, "lb.umass.edu", DNS_T_A, &res);
		ASSERT(m != NULL);
		ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 3);
		ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ANSWER].rr[0], buf,
		    sizeof buf), first[i]);
		dns_msg_free(m);
	}
	server_free(&s);
}

static void
test_mx_additional(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;
	char buf[256];

	ASSERT(server_new(&s));
	m = ask(&s, -1, "umass.edu", DNS_T_MX, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 1);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ANSWER].rr[0], buf, sizeof buf),
	    "10 mail.umass.edu.");
	ASSERT_EQ(m->sec[DNS_S_ADDITIONAL].count, 2);
	ASSERT_EQ(m->sec[DNS_S_ADDITIONAL].rr[0].type, DNS_T_A);
	ASSERT_EQ(m->sec[DNS_S_ADDITIONAL].rr[1].type, DNS_T_AAAA);
	ASSERT_STR_EQ(rd_str(&m->sec[DNS_S_ADDITIONAL].rr[1], buf,
	    sizeof buf), "2001:db8::25");
	dns_msg_free(m);
	server_free(&s);
}

static void
test_refused(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m;

	ASSERT(server_new(&s));
	m = ask(&s, 2, "www.mit.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	ASSERT_EQ(res, DNS_ZR_REFUSED);
	ASSERT_EQ(m->hdr.rcode, DNS_R_REFUSED);
	ASSERT_EQ(m->hdr.aa, 0);
	dns_msg_free(m);
	server_free(&s);
}

/* An answer survives the wire: written, parsed, equal. */
static void
test_wire(void)
{
	struct server s;
	enum dns_zone_res res;
	struct dns_msg *m, *back = NULL;
	struct nl_dbuf b;

	ASSERT(server_new(&s));
	m = ask(&s, 1, "gaia.cs.umass.edu", DNS_T_A, &res);
	ASSERT(m != NULL);
	nl_dbuf_init(&b, DNS_MSG_MAX);
	ASSERT_EQ(dns_msg_write(m, &b), NL_OK);
	ASSERT_EQ(dns_msg_parse(b.data, b.len, &back, NULL), NL_OK);
	ASSERT(dns_msg_eq(m, back));
	nl_dbuf_free(&b);
	dns_msg_free(back);
	dns_msg_free(m);
	server_free(&s);
}

static void
test_changes(void)
{
	struct server s;
	struct dns_rr rr;
	struct dns_zone *z;
	char why[160];

	ASSERT(server_new(&s));
	z = s.z[2];
	memset(&rr, 0, sizeof rr);
	rr.type = DNS_T_A;
	rr.class = DNS_C_IN;
	rr.ttl = 60;
	ASSERT_EQ(dns_zone_name_read("www.umass.edu", NULL, &rr.name, why,
	    sizeof why), NL_OK);
	ASSERT_EQ(dns_zone_rdata_read(&rr, "1.2.3.4", NULL, why, sizeof why),
	    NL_OK);
	/* Beside a CNAME: refused. */
	ASSERT(dns_zone_cname_conflict(z, &rr));
	ASSERT_EQ(dns_zone_name_read("new.umass.edu", NULL, &rr.name, why,
	    sizeof why), NL_OK);
	ASSERT(!dns_zone_cname_conflict(z, &rr));
	ASSERT_EQ(dns_zone_add(z, &rr), NL_OK);
	ASSERT_EQ(dns_zone_add(z, &rr), NL_EEXIST);
	ASSERT_EQ(dns_zone_delete(z, &rr.name, DNS_T_A, NULL), 1);
	ASSERT_EQ(dns_zone_delete(z, &rr.name, DNS_T_A, NULL), 0);
	/* Outside the zone. */
	ASSERT_EQ(dns_zone_name_read("www.mit.edu", NULL, &rr.name, why,
	    sizeof why), NL_OK);
	ASSERT_EQ(dns_zone_add(z, &rr), NL_EINVAL);
	server_free(&s);
}

static void
test_text(void)
{
	struct dns_rr rr;
	struct dns_name o, n;
	char why[160], buf[256];

	ASSERT_EQ(dns_zone_name_read("umass.edu.", NULL, &o, why, sizeof why),
	    NL_OK);
	ASSERT_EQ(dns_zone_name_read("@", &o, &n, why, sizeof why), NL_OK);
	ASSERT(dns_name_eq(&n, &o));
	ASSERT_EQ(dns_zone_name_read("@", NULL, &n, why, sizeof why),
	    NL_EMALFORMED);
	ASSERT_EQ(dns_zone_name_read("a..b", NULL, &n, why, sizeof why),
	    NL_EMALFORMED);
	ASSERT_EQ(dns_zone_name_read("a b", NULL, &n, why, sizeof why),
	    NL_EMALFORMED);

	memset(&rr, 0, sizeof rr);
	rr.class = DNS_C_IN;
	rr.type = DNS_T_A;
	ASSERT_EQ(dns_zone_rdata_read(&rr, "128.119.245", NULL, why,
	    sizeof why), NL_EMALFORMED);
	ASSERT_STR_EQ(why, "expected an IPv4 address like \"128.119.245.12\"");
	rr.type = DNS_T_AAAA;
	ASSERT_EQ(dns_zone_rdata_read(&rr, "::ffff:1.2.3.4", NULL, why,
	    sizeof why), NL_OK);
	ASSERT_STR_EQ(rd_str(&rr, buf, sizeof buf), "::ffff:1.2.3.4");
	ASSERT_EQ(dns_zone_rdata_read(&rr, "2001:db8::1::2", NULL, why,
	    sizeof why), NL_EMALFORMED);
	ASSERT_EQ(dns_zone_rdata_read(&rr, "1:2:3:4:5:6:7:8", NULL, why,
	    sizeof why), NL_OK);
	ASSERT_STR_EQ(rd_str(&rr, buf, sizeof buf), "1:2:3:4:5:6:7:8");
	rr.type = DNS_T_MX;
	ASSERT_EQ(dns_zone_rdata_read(&rr, "mail.umass.edu", NULL, why,
	    sizeof why), NL_EMALFORMED);
	ASSERT_EQ(dns_zone_rdata_read(&rr, "5 @", &o, why, sizeof why), NL_OK);
	ASSERT_STR_EQ(rd_str(&rr, buf, sizeof buf), "5 umass.edu.");
	memset(&rr, 0, sizeof rr);
	rr.class = DNS_C_IN;
	rr.type = DNS_T_TXT;
	ASSERT_EQ(dns_zone_rdata_read(&rr, "v=spf1 -all", NULL, why,
	    sizeof why), NL_OK);
	ASSERT_STR_EQ(rd_str(&rr, buf, sizeof buf), "\"v=spf1 -all\"");
	dns_zone_rr_clear(&rr);
}

static void
test_names(void)
{
	struct dns_name a, b, p;
	char why[160], buf[DNS_NAME_STRLEN];

	ASSERT_EQ(dns_zone_name_read("gaia.cs.umass.edu", NULL, &a, why,
	    sizeof why), NL_OK);
	ASSERT_EQ(dns_zone_name_read("UMASS.edu.", NULL, &b, why, sizeof why),
	    NL_OK);
	ASSERT(dns_zone_name_under(&a, &b));
	ASSERT(!dns_zone_name_under(&b, &a));
	ASSERT_EQ(dns_zone_name_labels(&a), 4);
	dns_zone_name_parent(&a, &p);
	ASSERT_STR_EQ(dns_name_str(&p, buf, sizeof buf), "cs.umass.edu.");
	dns_zone_name_suffix(&a, 1, &p);
	ASSERT_STR_EQ(dns_name_str(&p, buf, sizeof buf), "edu.");
	dns_zone_name_suffix(&a, 0, &p);
	ASSERT_STR_EQ(dns_name_str(&p, buf, sizeof buf), ".");
	ASSERT(dns_zone_name_under(&a, &p));
}

/* Out of memory anywhere in building and answering: a status, no leak
 * (the sanitizer build checks the leaks). */
static void
test_oom(void)
{
	long n;

	for (n = 0; n < 200; n++) {
		struct server s;
		enum dns_zone_res res;
		struct dns_msg *m;
		int ok;

		nl_alloc_fail_after(n);
		ok = server_new(&s);
		m = ok ? ask(&s, -1, "umass.edu", DNS_T_MX, &res) : NULL;
		nl_alloc_fail_after(-1);
		dns_msg_free(m);
		server_free(&s);
		if (ok && m != NULL)
			break;
	}
	ASSERT(n < 200);
}

const struct test_case tests_dns_zone[] = {
	{ "dns_zone_answer_aa", test_answer_aa },
	{ "dns_zone_referral_glue", test_referral },
	{ "dns_zone_nxdomain_soa", test_nxdomain },
	{ "dns_zone_nodata", test_nodata },
	{ "dns_zone_cname", test_cname },
	{ "dns_zone_rotation", test_rotation },
	{ "dns_zone_mx_additional", test_mx_additional },
	{ "dns_zone_refused", test_refused },
	{ "dns_zone_wire", test_wire },
	{ "dns_zone_changes", test_changes },
	{ "dns_zone_text", test_text },
	{ "dns_zone_names", test_names },
	{ "dns_zone_oom", test_oom },
	{ NULL, NULL }
};
