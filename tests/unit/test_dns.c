/* test_dns.c - unit tests of the dns module: known answers from real
 * message layouts, write->parse round trips of every type, compression
 * byte for byte, every rejection with its reason, presentation text,
 * byte ranges, truncation at every length, and allocation failures. */
#include <string.h>

#include "proto/dns/dns_msg.h"
#include "test.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/hex.h"

/* ---- Helpers ---- */

/* Hex to bytes in a heap block of exactly the right size, so ASan sees
 * any read past the end. *len gets the length; NULL on bad hex. */
static uint8_t *
unhex(const char *hex, size_t *len)
{
	struct nl_dbuf b;
	uint8_t *p;

	nl_dbuf_init(&b, 1u << 20);
	if (nl_hex_decode(&b, hex, strlen(hex), NULL) != NL_OK) {
		nl_dbuf_free(&b);
		return NULL;
	}
	*len = b.len;
	p = nl_alloc(b.len ? b.len : 1);
	if (p != NULL && b.len > 0)
		memcpy(p, b.data, b.len);
	nl_dbuf_free(&b);
	return p;
}

/* Parses hex; returns the status, *m the message (or NULL). */
static enum nl_status
parse_hex(const char *hex, struct dns_msg **m, struct dns_perr *err)
{
	size_t len = 0;
	uint8_t *p = unhex(hex, &len);
	enum nl_status st;

	if (p == NULL) {
		*m = NULL;
		return NL_EINVAL;
	}
	st = dns_msg_parse(p, len, m, err);
	nl_free(p);
	return st;
}

static struct dns_name
name(const char *s)
{
	struct dns_name n;

	if (dns_name_from_str(s, &n, NULL) != NL_OK) {
		n.len = 0;
	}
	return n;
}

/* Writes m and returns its lowercase hex (free with nl_free), NULL on
 * failure. */
static char *
write_hex(const struct dns_msg *m)
{
	struct nl_dbuf w, h;
	char *s;

	nl_dbuf_init(&w, DNS_MSG_MAX);
	nl_dbuf_init(&h, 4 * DNS_MSG_MAX);
	if (dns_msg_write(m, &w) != NL_OK)
		return NULL;
	if (nl_hex_encode(&h, w.data, w.len) != NL_OK) {
		nl_dbuf_free(&w);
		return NULL;
	}
	nl_dbuf_free(&w);
	s = (char *)nl_dbuf_take(&h, NULL);
	return s;
}

static char *
print_msg(const struct dns_msg *m)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 1u << 20);
	if (dns_msg_print(&b, m) != NL_OK)
		return NULL;
	return (char *)nl_dbuf_take(&b, NULL);
}

static char *
brief_msg(const struct dns_msg *m)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 1u << 20);
	if (dns_msg_brief(&b, m) != NL_OK)
		return NULL;
	return (char *)nl_dbuf_take(&b, NULL);
}

static char *
print_rr(const struct dns_rr *rr)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 1u << 20);
	if (dns_rr_print(&b, rr) != NL_OK)
		return NULL;
	return (char *)nl_dbuf_take(&b, NULL);
}

/* A query for gaia.cs.umass.edu A, id 4660, RD, as dig sends it:
 *   1234 0100 0001 0000 0000 0000     header: id, RD, QDCOUNT 1
 *   04 gaia 02 cs 05 umass 03 edu 00  QNAME at offset 12
 *   0001 0001                         QTYPE A, QCLASS IN */
static const char QUERY_HEX[] =
    "1234 0100 0001 0000 0000 0000"
    "04 67616961 02 6373 05 756d617373 03 656475 00"
    "0001 0001";

/* Its answer from the authoritative server: QR AA RD, the answer's owner
 * a pointer (c00c) to the question name.
 *   c00c 0001 0001 00000e10 0004 8077f50c   gaia... 3600 IN A 128.119.245.12 */
/* The query with one octet too many. */
#define TRAILING_HEX \
    "1234 0100 0001 0000 0000 0000" \
    "04 67616961 02 6373 05 756d617373 03 656475 00" \
    "0001 0001 00"

static const char RESPONSE_HEX[] =
    "1234 8500 0001 0001 0000 0000"
    "04 67616961 02 6373 05 756d617373 03 656475 00"
    "0001 0001"
    "c00c 0001 0001 00000e10 0004 8077f50c";

/* A response with compression in owner names and in MX, NS and SOA
 * RDATA, case mixed, as dnspython 2.3 and BIND write it (compression to
 * the first occurrence of the longest suffix, case-insensitively). */
static const char MX_HEX[] =
    "beef85000001000100010002"
    "044741494102637305554d6173730365647500000f0001"		/* 12 */
    "c00c000f00010000012c0009000a044d61696cc011"		/* 35 */
    "c011000200010000012c0006036e7331c011"			/* 56 */
    "c031000100010000012c00048077f002"				/* 74 */
    "c014000600010000012c0026026e73c0140a686f73746d6173746572c014"
    "000007e800001c200000038400093a8000015180";

/* Builds the MX_HEX message with the builder API. */
static struct dns_msg *
build_mx(void)
{
	struct dns_msg *m = dns_msg_new();
	struct dns_name n;
	struct dns_rr *rr;

	if (m == NULL)
		return NULL;
	m->hdr.id = 0xbeef;
	m->hdr.qr = 1;
	m->hdr.aa = 1;
	m->hdr.rd = 1;
	n = name("GAIA.cs.UMass.edu.");
	if (dns_msg_add_question(m, &n, DNS_T_MX, DNS_C_IN) != NL_OK)
		goto fail;
	n = name("gaia.cs.umass.edu");
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_MX, DNS_C_IN, 300);
	if (rr == NULL)
		goto fail;
	rr->rd.mx.preference = 10;
	rr->rd.mx.exchange = name("Mail.CS.umass.edu.");
	n = name("CS.UMASS.EDU.");
	rr = dns_msg_add_rr(m, DNS_S_AUTHORITY, &n, DNS_T_NS, DNS_C_IN, 300);
	if (rr == NULL)
		goto fail;
	rr->rd.name = name("ns1.cs.umass.edu.");
	n = name("mail.cs.umass.edu.");
	rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, DNS_T_A, DNS_C_IN, 300);
	if (rr == NULL)
		goto fail;
	memcpy(rr->rd.a, "\x80\x77\xf0\x02", 4);
	n = name("umass.edu.");
	rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, DNS_T_SOA, DNS_C_IN, 300);
	if (rr == NULL)
		goto fail;
	rr->rd.soa.mname = name("ns.umass.edu.");
	rr->rd.soa.rname = name("hostmaster.umass.edu.");
	rr->rd.soa.serial = 2024;
	rr->rd.soa.refresh = 7200;
	rr->rd.soa.retry = 900;
	rr->rd.soa.expire = 604800;
	rr->rd.soa.minimum = 86400;
	return m;
fail:
	dns_msg_free(m);
	return NULL;
}

/* A message with every kind of RDATA, and some corners of each. */
static struct dns_msg *
build_all_types(void)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t blob[4] = { 0x0a, 0x00, 0x00, 0x01 };
	struct dns_msg *m = dns_msg_new();
	struct dns_name n;
	struct dns_rr *rr;

	if (m == NULL)
		return NULL;
	m->hdr.id = 0xffff;
	m->hdr.qr = 1;
	m->hdr.opcode = 2;
	m->hdr.tc = 1;
	m->hdr.ra = 1;
	m->hdr.z = 1;
	m->hdr.ad = 1;
	m->hdr.cd = 1;
	m->hdr.rcode = 15;
	n = name("example.com.");
	if (dns_msg_add_question(m, &n, DNS_T_ANY, DNS_C_IN) != NL_OK)
		goto fail;
	n = name(".");
	if (dns_msg_add_question(m, &n, 65000, 4242) != NL_OK)
		goto fail;
	n = name("www.example.com");
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_A, DNS_C_IN,
	    0)) == NULL)
		goto fail;
	memcpy(rr->rd.a, "\xc0\x00\x02\x01", 4);
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_AAAA, DNS_C_IN,
	    4294967295u)) == NULL)
		goto fail;
	memcpy(rr->rd.aaaa, v6, 16);
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_CNAME, DNS_C_IN,
	    60)) == NULL)
		goto fail;
	rr->rd.name = name("Web.Example.COM.");
	n = name("1.2.0.192.in-addr.arpa");
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_PTR, DNS_C_IN,
	    60)) == NULL)
		goto fail;
	rr->rd.name = name("www.example.com");
	n = name("example.com");
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_MX, DNS_C_IN,
	    60)) == NULL)
		goto fail;
	rr->rd.mx.preference = 65535;
	rr->rd.mx.exchange = name(".");
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_TXT, DNS_C_IN,
	    60)) == NULL)
		goto fail;
	if (dns_rr_txt_add(rr, "v=spf1 -all", 11) != NL_OK ||
	    dns_rr_txt_add(rr, "", 0) != NL_OK ||
	    dns_rr_txt_add(rr, "q\"b\\\x01\xff", 6) != NL_OK)
		goto fail;
	/* No strings at all: dnspython accepts it, so do we. */
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_TXT, DNS_C_CH,
	    60)) == NULL)
		goto fail;
	if ((rr = dns_msg_add_rr(m, DNS_S_AUTHORITY, &n, DNS_T_NS, DNS_C_IN,
	    172800)) == NULL)
		goto fail;
	rr->rd.name = name("a\\.b.example.com");
	if ((rr = dns_msg_add_rr(m, DNS_S_AUTHORITY, &n, DNS_T_SOA, DNS_C_IN,
	    3600)) == NULL)
		goto fail;
	rr->rd.soa.mname = name("ns1.example.com");
	rr->rd.soa.rname = name("host\\.master.example.com");
	rr->rd.soa.serial = 4294967295u;
	rr->rd.soa.refresh = 1;
	rr->rd.soa.retry = 2;
	rr->rd.soa.expire = 3;
	rr->rd.soa.minimum = 0;
	n = name("u.example.com");
	if ((rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, 65280, DNS_C_IN,
	    5)) == NULL)
		goto fail;
	if (dns_rr_set_opaque(rr, blob, 4) != NL_OK)
		goto fail;
	/* CH A is not IN A: opaque. */
	if ((rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, DNS_T_A, DNS_C_CH,
	    5)) == NULL)
		goto fail;
	if (dns_rr_set_opaque(rr, "\x03" "abc" "\x00\x01\x02", 7) != NL_OK)
		goto fail;
	/* Class ANY, empty RDATA, as in an update's delete-RRset. */
	if ((rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, DNS_T_MX,
	    DNS_C_ANY, 0)) == NULL)
		goto fail;
	n = name("\\000\\255\\032.\\\"\\(\\)\\;\\@\\$.example.com");
	if ((rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, 4660, 999,
	    7)) == NULL)
		goto fail;
	return m;
fail:
	dns_msg_free(m);
	return NULL;
}

/* ---- Names ---- */

static void
test_name_text(void)
{
	struct dns_name n;
	struct dns_perr e;
	char buf[DNS_NAME_STRLEN];
	char long_label[80], long_name[300];
	size_t i;

	ASSERT_EQ(dns_name_from_str("gaia.cs.umass.edu", &n, &e), NL_OK);
	ASSERT_EQ(n.len, 19);
	ASSERT_MEM_EQ(n.wire, "\x04gaia\x02" "cs\x05umass\x03" "edu", 19);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf), "gaia.cs.umass.edu.");
	ASSERT_EQ(dns_name_from_str("gaia.cs.umass.edu.", &n, &e), NL_OK);
	ASSERT_EQ(n.len, 19);
	ASSERT_EQ(dns_name_from_str(".", &n, &e), NL_OK);
	ASSERT_EQ(n.len, 1);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf), ".");

	/* Escapes both ways, as dig prints them. */
	ASSERT_EQ(dns_name_from_str("a\\.b.c\\\\d.\\065\\000 x", &n, &e),
	    NL_OK);
	ASSERT_EQ(n.len, 14);
	ASSERT_MEM_EQ(n.wire, "\x03" "a.b\x03" "c\\d\x04" "A\0 x\0", 14);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf),
	    "a\\.b.c\\\\d.A\\000\\032x.");
	ASSERT_EQ(dns_name_from_str("\\\"\\(\\)\\;\\@\\$\\255", &n, &e), NL_OK);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf),
	    "\\\"\\(\\)\\;\\@\\$\\255.");

	/* Case is kept, and ignored by dns_name_eq. */
	{
		struct dns_name a = name("WWW.Example.com");
		struct dns_name b = name("www.example.COM.");

		ASSERT(dns_name_eq(&a, &b));
		ASSERT_STR_EQ(dns_name_str(&a, buf, sizeof buf),
		    "WWW.Example.com.");
		b = name("www.example.org");
		ASSERT(!dns_name_eq(&a, &b));
	}

	/* Errors with their reasons. */
	ASSERT_EQ(dns_name_from_str("", &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_EMPTY_LABEL);
	ASSERT_EQ(dns_name_from_str("a..b", &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_EMPTY_LABEL);
	ASSERT_EQ(e.off, 2);
	ASSERT_EQ(dns_name_from_str(".a", &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_EMPTY_LABEL);
	ASSERT_EQ(dns_name_from_str("a\\", &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_BAD_ESCAPE);
	ASSERT_EQ(dns_name_from_str("a\\256", &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_BAD_ESCAPE);
	ASSERT_EQ(dns_name_from_str("a\\12x", &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_BAD_ESCAPE);
	ASSERT_EQ(n.len, 1);	/* the root after a failure */

	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	ASSERT_EQ(dns_name_from_str(long_label, &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_LABEL_LEN);
	ASSERT_STR_EQ(dns_err_str(e.code), "label longer than 63 octets");
	long_label[63] = '\0';
	ASSERT_EQ(dns_name_from_str(long_label, &n, &e), NL_OK);
	ASSERT_EQ(n.len, 65);

	/* 127 one-octet labels are 255 octets with the root: the most. */
	for (i = 0; i < 127; i++) {
		long_name[2 * i] = 'x';
		long_name[2 * i + 1] = '.';
	}
	long_name[254] = '\0';
	ASSERT_EQ(dns_name_from_str(long_name, &n, &e), NL_OK);
	ASSERT_EQ(n.len, 255);
	ASSERT(dns_name_valid(&n));
	ASSERT_EQ(strlen(dns_name_str(&n, buf, sizeof buf)), 254);
	long_name[253] = '\0';	/* without the final dot: the same */
	ASSERT_EQ(dns_name_from_str(long_name, &n, &e), NL_OK);
	ASSERT_EQ(n.len, 255);
	long_name[253] = '.';
	long_name[254] = 'y';
	long_name[255] = '\0';
	ASSERT_EQ(dns_name_from_str(long_name, &n, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_NAME_LEN);
	ASSERT_STR_EQ(dns_err_str(e.code), "name longer than 255 octets");

	/* The longest presentation: every octet as \DDD fits the buffer. */
	{
		struct dns_name w;
		size_t k, off = 0;

		for (k = 0; k < 4; k++) {
			size_t l = k < 3 ? 63 : 61;

			w.wire[off++] = (uint8_t)l;
			memset(w.wire + off, 0xff, l);
			off += l;
		}
		w.wire[off++] = 0;
		w.len = (uint8_t)off;
		ASSERT_EQ(w.len, 255);
		ASSERT(dns_name_valid(&w));
		ASSERT_EQ(strlen(dns_name_str(&w, buf, sizeof buf)),
		    4 * 250 + 4);
	}
}

static void
test_name_parse(void)
{
	/* "a" at 12 then a name that points at it, in a fake message. */
	static const uint8_t msg[] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 'a', 0,		/* 12: a. */
		1, 'b', 0xC0, 12,	/* 15: b.a. */
		0xC0, 15,		/* 19: b.a. again */
		0xC0, 19,		/* 21: pointer to a pointer */
		0xC0, 23,		/* 23: points at itself */
		0x40, 0x80		/* 25: reserved label types */
	};
	struct dns_name n;
	struct dns_perr e;
	size_t next;
	char buf[DNS_NAME_STRLEN];

	ASSERT_EQ(dns_name_parse(msg, sizeof msg, 15, &n, &next, &e), NL_OK);
	ASSERT_EQ(next, 19);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf), "b.a.");
	ASSERT_EQ(dns_name_parse(msg, sizeof msg, 19, &n, &next, &e), NL_OK);
	ASSERT_EQ(next, 21);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf), "b.a.");
	ASSERT_EQ(dns_name_parse(msg, sizeof msg, 21, &n, &next, &e), NL_OK);
	ASSERT_EQ(next, 23);
	ASSERT_STR_EQ(dns_name_str(&n, buf, sizeof buf), "b.a.");
	ASSERT_EQ(dns_name_parse(msg, sizeof msg, 23, &n, &next, &e),
	    NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_PTR_LOOP);
	ASSERT_EQ(e.off, 23);
	ASSERT_EQ(dns_name_parse(msg, sizeof msg, 25, &n, &next, &e),
	    NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_LABEL_0X40);
	ASSERT_EQ(dns_name_parse(msg, sizeof msg, 26, &n, &next, &e),
	    NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_LABEL_0X80);
	ASSERT_EQ(dns_name_parse(msg, sizeof msg, sizeof msg, &n, &next, &e),
	    NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_NAME_END);
	ASSERT_EQ(dns_name_parse(msg, 18, 15, &n, &next, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_NAME_END);
	ASSERT_EQ(next, 0);
}

/* ---- Known answers ---- */

static void
test_parse_query(void)
{
	struct dns_msg *m;
	struct dns_perr e;
	char buf[DNS_NAME_STRLEN];

	ASSERT_EQ(parse_hex(QUERY_HEX, &m, &e), NL_OK);
	ASSERT_EQ(e.code, DNS_E_NONE);
	ASSERT_EQ(m->wire_len, 35);
	ASSERT_EQ(m->hdr.id, 4660);
	ASSERT_EQ(m->hdr.qr, 0);
	ASSERT_EQ(m->hdr.opcode, DNS_OP_QUERY);
	ASSERT_EQ(m->hdr.rd, 1);
	ASSERT_EQ(m->hdr.aa + m->hdr.tc + m->hdr.ra + m->hdr.z + m->hdr.ad +
	    m->hdr.cd + m->hdr.rcode, 0);
	ASSERT_EQ(m->qdcount, 1);
	ASSERT_STR_EQ(dns_name_str(&m->qd[0].name, buf, sizeof buf),
	    "gaia.cs.umass.edu.");
	ASSERT_EQ(m->qd[0].type, DNS_T_A);
	ASSERT_EQ(m->qd[0].class, DNS_C_IN);
	ASSERT_EQ(m->sec[0].count + m->sec[1].count + m->sec[2].count, 0);
	dns_msg_free(m);
}

static void
test_parse_response(void)
{
	struct dns_msg *m;
	struct dns_perr e;
	const struct dns_rr *rr;
	char buf[DNS_NAME_STRLEN];

	ASSERT_EQ(parse_hex(RESPONSE_HEX, &m, &e), NL_OK);
	ASSERT_EQ(m->wire_len, 51);
	ASSERT_EQ(m->hdr.qr, 1);
	ASSERT_EQ(m->hdr.aa, 1);
	ASSERT_EQ(m->hdr.rd, 1);
	ASSERT_EQ(m->hdr.ra, 0);
	ASSERT_EQ(m->sec[DNS_S_ANSWER].count, 1);
	rr = &m->sec[DNS_S_ANSWER].rr[0];
	ASSERT_STR_EQ(dns_name_str(&rr->name, buf, sizeof buf),
	    "gaia.cs.umass.edu.");
	ASSERT_EQ(rr->type, DNS_T_A);
	ASSERT_EQ(rr->class, DNS_C_IN);
	ASSERT_EQ(rr->ttl, 3600);
	ASSERT_MEM_EQ(rr->rd.a, "\x80\x77\xf5\x0c", 4);
	dns_msg_free(m);

	ASSERT_EQ(parse_hex(MX_HEX, &m, &e), NL_OK);
	ASSERT_STR_EQ(dns_name_str(&m->qd[0].name, buf, sizeof buf),
	    "GAIA.cs.UMass.edu.");
	rr = &m->sec[DNS_S_ANSWER].rr[0];
	/* The owner points at the question: its case, not the query's. */
	ASSERT_STR_EQ(dns_name_str(&rr->name, buf, sizeof buf),
	    "GAIA.cs.UMass.edu.");
	ASSERT_EQ(rr->rd.mx.preference, 10);
	ASSERT_STR_EQ(dns_name_str(&rr->rd.mx.exchange, buf, sizeof buf),
	    "Mail.cs.UMass.edu.");
	rr = &m->sec[DNS_S_ADDITIONAL].rr[1];
	ASSERT_EQ(rr->type, DNS_T_SOA);
	ASSERT_STR_EQ(dns_name_str(&rr->rd.soa.rname, buf, sizeof buf),
	    "hostmaster.UMass.edu.");
	ASSERT_EQ(rr->rd.soa.serial, 2024);
	ASSERT_EQ(rr->rd.soa.minimum, 86400);
	dns_msg_free(m);
}

static void
test_spans(void)
{
	struct dns_msg *m;
	struct dns_perr e;
	const struct dns_rr *rr;

	ASSERT_EQ(parse_hex(RESPONSE_HEX, &m, &e), NL_OK);
	ASSERT_EQ(m->hdr.at.id.off, 0);
	ASSERT_EQ(m->hdr.at.id.len, 2);
	ASSERT_EQ(m->hdr.at.flags.off, 2);
	ASSERT_EQ(m->hdr.at.qdcount.off, 4);
	ASSERT_EQ(m->hdr.at.arcount.off, 10);
	ASSERT_EQ(m->hdr.at.arcount.len, 2);
	ASSERT_EQ(m->qd[0].at.all.off, 12);
	ASSERT_EQ(m->qd[0].at.all.len, 23);
	ASSERT_EQ(m->qd[0].at.name.off, 12);
	ASSERT_EQ(m->qd[0].at.name.len, 19);
	ASSERT_EQ(m->qd[0].at.type.off, 31);
	ASSERT_EQ(m->qd[0].at.class.off, 33);
	ASSERT_EQ(m->qd[0].at.class.len, 2);
	rr = &m->sec[DNS_S_ANSWER].rr[0];
	ASSERT_EQ(rr->at.all.off, 35);
	ASSERT_EQ(rr->at.all.len, 16);
	ASSERT_EQ(rr->at.name.off, 35);
	ASSERT_EQ(rr->at.name.len, 2);	/* the pointer only */
	ASSERT_EQ(rr->at.type.off, 37);
	ASSERT_EQ(rr->at.class.off, 39);
	ASSERT_EQ(rr->at.ttl.off, 41);
	ASSERT_EQ(rr->at.ttl.len, 4);
	ASSERT_EQ(rr->at.rdlength.off, 45);
	ASSERT_EQ(rr->at.rdata.off, 47);
	ASSERT_EQ(rr->at.rdata.len, 4);
	ASSERT_EQ(rr->at.nrdf, 1);
	ASSERT_EQ(rr->at.rdf[0].off, 47);
	dns_msg_free(m);

	/* MX: preference then exchange; SOA: seven fields. */
	ASSERT_EQ(parse_hex(MX_HEX, &m, &e), NL_OK);
	rr = &m->sec[DNS_S_ANSWER].rr[0];
	ASSERT_EQ(rr->at.nrdf, 2);
	ASSERT_EQ(rr->at.rdf[0].off, rr->at.rdata.off);
	ASSERT_EQ(rr->at.rdf[0].len, 2);
	ASSERT_EQ(rr->at.rdf[1].off, rr->at.rdata.off + 2);
	ASSERT_EQ(rr->at.rdf[1].len, 7);	/* 04 Mail c011 */
	rr = &m->sec[DNS_S_ADDITIONAL].rr[1];
	ASSERT_EQ(rr->at.nrdf, 7);
	ASSERT_EQ(rr->at.rdf[6].off + rr->at.rdf[6].len, m->wire_len);
	ASSERT_EQ(rr->at.all.off + rr->at.all.len, m->wire_len);
	dns_msg_free(m);
}

/* ---- Writing ---- */

static void
test_write_compression(void)
{
	struct dns_msg *m = build_mx();
	char *hex;
	char expect[sizeof MX_HEX];
	size_t i, j = 0;

	ASSERT(m != NULL);
	for (i = 0; MX_HEX[i] != '\0'; i++)
		if (MX_HEX[i] != ' ')
			expect[j++] = MX_HEX[i];
	expect[j] = '\0';
	hex = write_hex(m);
	ASSERT(hex != NULL);
	if (strcmp(hex, expect) != 0) {
		nl_free(hex);
		dns_msg_free(m);
		TEST_FAIL_AT("compressed bytes differ");
	}
	nl_free(hex);
	dns_msg_free(m);

	/* The query goes out exactly as dig sends it. */
	{
		struct dns_msg *q;
		struct dns_perr e;

		ASSERT_EQ(parse_hex(QUERY_HEX, &q, &e), NL_OK);
		hex = write_hex(q);
		dns_msg_free(q);
		ASSERT_STR_EQ(hex, "123401000001000000000000046761696102637305"
		    "756d617373036564750000010001");
		nl_free(hex);
	}
}

/* Offsets past 0x3fff cannot be pointed at: names first written there
 * go out whole every time, while earlier suffixes still compress. */
static void
test_write_far_offsets(void)
{
	static uint8_t big[20000];
	struct dns_msg *m = dns_msg_new(), *back = NULL;
	struct dns_name n = name("early.example"), far = name("late.test");
	struct dns_rr *rr;
	struct nl_dbuf w;
	struct dns_perr e;
	size_t before;

	ASSERT(m != NULL);
	ASSERT_EQ(dns_msg_add_question(m, &n, DNS_T_A, DNS_C_IN), NL_OK);
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, 65280, DNS_C_IN, 1);
	ASSERT(rr != NULL);
	ASSERT_EQ(dns_rr_set_opaque(rr, big, sizeof big), NL_OK);
	ASSERT(dns_msg_add_rr(m, DNS_S_ANSWER, &far, DNS_T_A, DNS_C_IN, 1));
	ASSERT(dns_msg_add_rr(m, DNS_S_ANSWER, &far, DNS_T_A, DNS_C_IN, 1));
	ASSERT(dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_A, DNS_C_IN, 1));
	nl_dbuf_init(&w, DNS_MSG_MAX);
	ASSERT_EQ(nl_dbuf_add(&w, "\x00\x00", 2), NL_OK);	/* TCP prefix */
	before = w.len;
	ASSERT_EQ(dns_msg_write(m, &w), NL_OK);
	/* header 12, question 15+4, opaque RR 2+10+20000, two whole
	 * late.test RRs 11+10+4 each, early.example pointer 2+10+4. */
	ASSERT_EQ(w.len - before, 12 + 19 + 20012 + 2 * 25 + 16);
	ASSERT_EQ(dns_msg_parse(w.data + before, w.len - before, &back, &e),
	    NL_OK);
	ASSERT(dns_msg_eq(m, back));
	dns_msg_free(back);
	nl_dbuf_free(&w);

	/* Past 65535 octets the writer refuses. */
	rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, 65280, DNS_C_IN, 1);
	ASSERT(rr != NULL);
	{
		static uint8_t huge[50000];

		ASSERT_EQ(dns_rr_set_opaque(rr, huge, sizeof huge), NL_OK);
	}
	nl_dbuf_init(&w, 1u << 20);
	ASSERT_EQ(dns_msg_write(m, &w), NL_ELIMIT);
	ASSERT(w.data == NULL);
	dns_msg_free(m);
}

static void
test_write_invalid(void)
{
	struct dns_msg *m = dns_msg_new();
	struct dns_name n = name("x.example");
	struct dns_rr *rr;
	struct nl_dbuf w;

	ASSERT(m != NULL);
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_NS, DNS_C_IN, 1);
	ASSERT(rr != NULL);
	/* rd.name left zero: not a valid name. */
	nl_dbuf_init(&w, DNS_MSG_MAX);
	ASSERT_EQ(dns_msg_write(m, &w), NL_EINVAL);
	rr->rd.name = name("ok.example");
	rr->rd.name.wire[0] = 64;	/* a label too long */
	ASSERT_EQ(dns_msg_write(m, &w), NL_EINVAL);
	rr->rd.name = name("ok.example");
	m->hdr.rcode = 16;		/* needs EDNS, not the header */
	ASSERT_EQ(dns_msg_write(m, &w), NL_EINVAL);
	m->hdr.rcode = 0;
	ASSERT_EQ(dns_msg_write(m, &w), NL_OK);
	nl_dbuf_free(&w);
	/* TXT strings over 255 octets do not fit a character-string. */
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_TXT, DNS_C_IN, 1);
	ASSERT(rr != NULL);
	{
		static const char s[256];

		ASSERT_EQ(dns_rr_txt_add(rr, s, 256), NL_ELIMIT);
		ASSERT_EQ(dns_rr_txt_add(rr, s, 255), NL_OK);
	}
	rr->rd.txt.count = 2;	/* lies about its strings */
	ASSERT_EQ(dns_msg_write(m, &w), NL_EINVAL);
	dns_msg_free(m);
}

/* write -> parse -> equal, for every type; then parse -> write gives
 * the same bytes again. */
static void
test_roundtrip_types(void)
{
	struct dns_msg *m = build_all_types(), *back = NULL, *again = NULL;
	struct nl_dbuf w1, w2;
	struct dns_perr e;

	ASSERT(m != NULL);
	nl_dbuf_init(&w1, DNS_MSG_MAX);
	nl_dbuf_init(&w2, DNS_MSG_MAX);
	ASSERT_EQ(dns_msg_write(m, &w1), NL_OK);
	ASSERT_EQ(dns_msg_parse(w1.data, w1.len, &back, &e), NL_OK);
	ASSERT(dns_msg_eq(m, back));
	ASSERT_EQ(dns_msg_write(back, &w2), NL_OK);
	ASSERT_EQ(w1.len, w2.len);
	ASSERT_MEM_EQ(w1.data, w2.data, w1.len);
	ASSERT_EQ(dns_msg_parse(w2.data, w2.len, &again, &e), NL_OK);
	ASSERT(dns_msg_eq(back, again));
	/* Kinds as documented. */
	ASSERT_EQ(dns_rr_kind(DNS_T_A, DNS_C_IN), DNS_RD_A);
	ASSERT_EQ(dns_rr_kind(DNS_T_A, DNS_C_CH), DNS_RD_OPAQUE);
	ASSERT_EQ(dns_rr_kind(DNS_T_MX, DNS_C_ANY), DNS_RD_OPAQUE);
	ASSERT_EQ(dns_rr_kind(DNS_T_TXT, DNS_C_CH), DNS_RD_TXT);
	ASSERT_EQ(back->sec[DNS_S_ANSWER].rr[5].rd.txt.count, 3);
	ASSERT_EQ(back->sec[DNS_S_ANSWER].rr[6].rd.txt.count, 0);
	/* The CNAME target's suffix took the case of the question's
	 * "example.com", as with any server that compresses. */
	{
		char buf[DNS_NAME_STRLEN];

		const struct dns_rr *rr = &back->sec[DNS_S_ANSWER].rr[2];

		ASSERT_STR_EQ(dns_name_str(&rr->rd.name, buf, sizeof buf),
		    "Web.example.com.");
	}
	/* A change is seen; case alone is not a change. */
	back->sec[DNS_S_ANSWER].rr[2].rd.name.wire[1] = 'w';
	ASSERT(dns_msg_eq(m, back));
	back->sec[DNS_S_ANSWER].rr[2].rd.name.wire[1] = 'x';
	ASSERT(!dns_msg_eq(m, back));
	back->sec[DNS_S_ANSWER].rr[2].rd.name.wire[1] = 'W';
	back->sec[DNS_S_ANSWER].rr[5].rd.txt.data[1] = 'V';
	ASSERT(!dns_msg_eq(m, back));
	dns_msg_free(m);
	dns_msg_free(back);
	dns_msg_free(again);
	nl_dbuf_free(&w1);
	nl_dbuf_free(&w2);
}

/* ---- Presentation ---- */

static void
test_print_dig(void)
{
	struct dns_msg *m;
	struct dns_perr e;
	char *s;

	ASSERT_EQ(parse_hex(RESPONSE_HEX, &m, &e), NL_OK);
	s = print_msg(m);
	ASSERT_STR_EQ(s,
	    ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660\n"
	    ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, "
	    "ADDITIONAL: 0\n"
	    "\n"
	    ";; QUESTION SECTION:\n"
	    ";gaia.cs.umass.edu.\t\tIN\tA\n"
	    "\n"
	    ";; ANSWER SECTION:\n"
	    "gaia.cs.umass.edu.\t3600\tIN\tA\t128.119.245.12\n");
	nl_free(s);
	dns_msg_free(m);

	m = build_all_types();
	ASSERT(m != NULL);
	s = print_msg(m);
	ASSERT_STR_EQ(s,
	    ";; ->>HEADER<<- opcode: STATUS, status: RCODE15, id: 65535\n"
	    ";; flags: qr tc ra z ad cd; QUERY: 2, ANSWER: 7, AUTHORITY: 2, "
	    "ADDITIONAL: 4\n"
	    "\n"
	    ";; QUESTION SECTION:\n"
	    ";example.com.\t\tIN\tANY\n"
	    ";.\t\tCLASS4242\tTYPE65000\n"
	    "\n"
	    ";; ANSWER SECTION:\n"
	    "www.example.com.\t0\tIN\tA\t192.0.2.1\n"
	    "www.example.com.\t4294967295\tIN\tAAAA\t2001:db8::1\n"
	    "www.example.com.\t60\tIN\tCNAME\tWeb.Example.COM.\n"
	    "1.2.0.192.in-addr.arpa.\t60\tIN\tPTR\twww.example.com.\n"
	    "example.com.\t60\tIN\tMX\t65535 .\n"
	    "example.com.\t60\tIN\tTXT\t\"v=spf1 -all\" \"\" "
	    "\"q\\\"b\\\\\\001\\255\"\n"
	    "example.com.\t60\tCH\tTXT\t\\# 0\n"
	    "\n"
	    ";; AUTHORITY SECTION:\n"
	    "example.com.\t172800\tIN\tNS\ta\\.b.example.com.\n"
	    "example.com.\t3600\tIN\tSOA\tns1.example.com. "
	    "host\\.master.example.com. 4294967295 1 2 3 0\n"
	    "\n"
	    ";; ADDITIONAL SECTION:\n"
	    "u.example.com.\t5\tIN\tTYPE65280\t\\# 4 0a000001\n"
	    "u.example.com.\t5\tCH\tA\t\\# 7 03616263000102\n"
	    "u.example.com.\t0\tANY\tMX\t\\# 0\n"
	    "\\000\\255\\032.\\\"\\(\\)\\;\\@\\$.example.com.\t7\tCLASS999\t"
	    "TYPE4660\t\\# 0\n");
	nl_free(s);
	dns_msg_free(m);

	/* No flags at all, as dig shows it. */
	m = dns_msg_new();
	ASSERT(m != NULL);
	s = print_msg(m);
	ASSERT_STR_EQ(s,
	    ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 0\n"
	    ";; flags:; QUERY: 0, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n");
	nl_free(s);
	dns_msg_free(m);
}

static void
test_print_aaaa(void)
{
	static const struct {
		uint8_t a[16];
		const char *text;
	} cases[] = {
		{ { 0 }, "::" },
		{ { [15] = 1 }, "::1" },
		{ { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, "2001:db8::1" },
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, [15] = 1 },
		    "2001:db8:0:1::1" },
		/* One zero group is not shortened (RFC 5952 4.2.2). */
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0,
		    1 },
		    "2001:db8:0:1:1:1:1:1" },
		/* Of two equal runs, the first. */
		{ { 0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1 },
		    "2001::1:1:0:0:1" },
		{ { 0xfe, 0x80, [8] = 0xab, 0xcd, [15] = 0xff },
		    "fe80::abcd:0:0:ff" },
		{ { [10] = 0xff, 0xff, 192, 0, 2, 1 }, "::ffff:192.0.2.1" },
		{ { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "100::" },
	};
	struct dns_rr rr;
	struct nl_dbuf b;
	size_t i;

	memset(&rr, 0, sizeof rr);
	rr.type = DNS_T_AAAA;
	rr.class = DNS_C_IN;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		nl_dbuf_init(&b, 100);
		memcpy(rr.rd.aaaa, cases[i].a, 16);
		ASSERT_EQ(dns_rdata_print(&b, &rr), NL_OK);
		ASSERT_STR_EQ((char *)b.data, cases[i].text);
		nl_dbuf_free(&b);
	}
}

static void
test_print_rr(void)
{
	struct dns_msg *m;
	struct dns_perr e;
	char *s;

	ASSERT_EQ(parse_hex(MX_HEX, &m, &e), NL_OK);
	s = print_rr(&m->sec[DNS_S_ANSWER].rr[0]);
	ASSERT_STR_EQ(s,
	    "GAIA.cs.UMass.edu.\t300\tIN\tMX\t10 Mail.cs.UMass.edu.");
	nl_free(s);
	s = print_rr(&m->sec[DNS_S_AUTHORITY].rr[0]);
	ASSERT_STR_EQ(s, "cs.UMass.edu.\t300\tIN\tNS\tns1.cs.UMass.edu.");
	nl_free(s);
	s = print_rr(&m->sec[DNS_S_ADDITIONAL].rr[1]);
	ASSERT_STR_EQ(s, "UMass.edu.\t300\tIN\tSOA\tns.UMass.edu. "
	    "hostmaster.UMass.edu. 2024 7200 900 604800 86400");
	nl_free(s);
	dns_msg_free(m);
}

static void
test_enum_str(void)
{
	ASSERT_STR_EQ(dns_type_str(DNS_T_A), "A");
	ASSERT_STR_EQ(dns_type_str(DNS_T_AAAA), "AAAA");
	ASSERT_STR_EQ(dns_type_str(DNS_T_SOA), "SOA");
	ASSERT_STR_EQ(dns_type_str(DNS_T_ANY), "ANY");
	ASSERT(dns_type_str((enum dns_type)65280) == NULL);
	ASSERT_STR_EQ(dns_class_str(DNS_C_IN), "IN");
	ASSERT_STR_EQ(dns_class_str(DNS_C_CH), "CH");
	ASSERT(dns_class_str((enum dns_class)2) == NULL);
	ASSERT_STR_EQ(dns_rcode_str(DNS_R_NXDOMAIN), "NXDOMAIN");
	ASSERT_STR_EQ(dns_rcode_str(DNS_R_SERVFAIL), "SERVFAIL");
	ASSERT(dns_rcode_str((enum dns_rcode)11) == NULL);
	ASSERT_STR_EQ(dns_opcode_str(DNS_OP_QUERY), "QUERY");
	ASSERT_STR_EQ(dns_opcode_str(DNS_OP_NOTIFY), "NOTIFY");
	ASSERT(dns_opcode_str((enum dns_opcode)3) == NULL);
	ASSERT_STR_EQ(dns_section_str(DNS_S_AUTHORITY), "AUTHORITY");
	ASSERT_STR_EQ(dns_rdkind_str(DNS_RD_OPAQUE), "opaque");
	ASSERT_STR_EQ(dns_err_str(DNS_E_PTR_LOOP), "compression pointer loop");
	ASSERT_STR_EQ(dns_err_str((enum dns_err)999), "unknown error");
}

static void
test_brief(void)
{
	struct dns_msg *m;
	struct dns_perr e;
	struct dns_name n;
	struct dns_rr *rr;
	char *s;

	ASSERT_EQ(parse_hex(QUERY_HEX, &m, &e), NL_OK);
	s = brief_msg(m);
	ASSERT_STR_EQ(s, "id 4660 query A? gaia.cs.umass.edu rd");
	nl_free(s);
	dns_msg_free(m);

	ASSERT_EQ(parse_hex(RESPONSE_HEX, &m, &e), NL_OK);
	s = brief_msg(m);
	ASSERT_STR_EQ(s, "id 4660 response A gaia.cs.umass.edu aa NOERROR: "
	    "128.119.245.12");
	nl_free(s);
	dns_msg_free(m);

	/* A referral from a root server, glue from the additional section. */
	m = dns_msg_new();
	ASSERT(m != NULL);
	m->hdr.id = 7;
	m->hdr.qr = 1;
	n = name("gaia.cs.umass.edu");
	ASSERT_EQ(dns_msg_add_question(m, &n, DNS_T_A, DNS_C_IN), NL_OK);
	n = name("edu");
	rr = dns_msg_add_rr(m, DNS_S_AUTHORITY, &n, DNS_T_NS, DNS_C_IN, 172800);
	ASSERT(rr != NULL);
	rr->rd.name = name("a.edu-servers.net");
	rr = dns_msg_add_rr(m, DNS_S_AUTHORITY, &n, DNS_T_NS, DNS_C_IN, 172800);
	ASSERT(rr != NULL);
	rr->rd.name = name("b.edu-servers.net");
	n = name("A.EDU-servers.net");
	rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &n, DNS_T_A, DNS_C_IN, 172800);
	ASSERT(rr != NULL);
	memcpy(rr->rd.a, "\xc0\x05\x06\x1e", 4);
	s = brief_msg(m);
	ASSERT_STR_EQ(s, "id 7 response A gaia.cs.umass.edu NOERROR: referral "
	    "NS edu -> a.edu-servers.net (192.5.6.30), b.edu-servers.net");
	nl_free(s);

	/* NXDOMAIN, and a CNAME chain in the answer. */
	m->hdr.aa = 1;
	m->hdr.rcode = DNS_R_NXDOMAIN;
	s = brief_msg(m);
	ASSERT_STR_EQ(s, "id 7 response A gaia.cs.umass.edu aa NXDOMAIN");
	nl_free(s);
	m->hdr.rcode = DNS_R_NOERROR;
	n = name("gaia.cs.umass.edu");
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_CNAME, DNS_C_IN, 60);
	ASSERT(rr != NULL);
	rr->rd.name = name("www.umass.edu.");
	n = name("www.umass.edu");
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, &n, DNS_T_A, DNS_C_IN, 60);
	ASSERT(rr != NULL);
	memcpy(rr->rd.a, "\x80\x77\x01\x02", 4);
	s = brief_msg(m);
	ASSERT_STR_EQ(s, "id 7 response A gaia.cs.umass.edu aa NOERROR: "
	    "CNAME www.umass.edu, 128.119.1.2");
	nl_free(s);
	dns_msg_free(m);

	/* Nothing at all. */
	m = dns_msg_new();
	ASSERT(m != NULL);
	m->hdr.qr = 1;
	m->hdr.opcode = DNS_OP_NOTIFY;
	s = brief_msg(m);
	ASSERT_STR_EQ(s, "id 0 response opcode NOTIFY (no question) NOERROR: "
	    "no data");
	nl_free(s);
	dns_msg_free(m);
}

/* ---- Rejections ---- */

/* Parses hex and expects a rejection with this reason. */
#define ASSERT_REJECT(hex, want)                                           \
	do {                                                               \
		struct dns_msg *m_ = NULL;                                 \
		struct dns_perr e_;                                        \
		enum nl_status st_ = parse_hex((hex), &m_, &e_);           \
		if (st_ != NL_EMALFORMED || m_ != NULL || e_.code != (want)) { \
			dns_msg_free(m_);                                  \
			TEST_FAIL_AT("%s: got %s / \"%s\", want \"%s\"",   \
			    #want, nl_status_str(st_), dns_err_str(e_.code), \
			    dns_err_str(want));                            \
		}                                                          \
	} while (0)

/* A header with these counts. */
#define HDR(qd, an, ns, ar) "1234 8000 " qd " " an " " ns " " ar " "
/* Question "a." A IN. */
#define QA "0161 00 0001 0001 "

static void
test_reject_header_counts(void)
{
	ASSERT_REJECT("", DNS_E_HEADER);
	ASSERT_REJECT("1234 0100 0001 0000 0000", DNS_E_HEADER);
	ASSERT_STR_EQ(dns_err_str(DNS_E_HEADER), "truncated header");
	/* Two questions announced, one present. */
	ASSERT_REJECT(HDR("0002", "0000", "0000", "0000") QA, DNS_E_QDCOUNT);
	ASSERT_STR_EQ(dns_err_str(DNS_E_QDCOUNT),
	    "question count exceeds message");
	/* 65535 questions in 12 octets: refused before allocating. */
	ASSERT_REJECT(HDR("ffff", "0000", "0000", "0000") QA, DNS_E_QDCOUNT);
	/* Two announced; the first uses all the bytes. */
	ASSERT_REJECT(HDR("0002", "0000", "0000", "0000")
	    "05 6162636465 00 0001 0001", DNS_E_QDCOUNT);
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA, DNS_E_ANCOUNT);
	ASSERT_REJECT(HDR("0001", "0000", "0001", "0000") QA, DNS_E_NSCOUNT);
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0001") QA, DNS_E_ARCOUNT);
	ASSERT_REJECT(HDR("0001", "ffff", "ffff", "ffff") QA
	    "c00c 0001 0001 00000001 0004 01020304", DNS_E_ANCOUNT);
	/* Two answers fit by size, but the first takes all the bytes. */
	ASSERT_REJECT(HDR("0000", "0002", "0000", "0000")
	    "00 0010 0001 00000001 000b 0a 30313233343536373839",
	    DNS_E_ANCOUNT);
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000")
	    "0161 00 0001 00", DNS_E_QUESTION);
	ASSERT_REJECT(HDR("0000", "0001", "0000", "0000")
	    "05 6162636465 00 0001 0001", DNS_E_RR);
	ASSERT_REJECT(TRAILING_HEX, DNS_E_TRAILING);
	ASSERT_STR_EQ(dns_err_str(DNS_E_TRAILING),
	    "trailing bytes after message");
}

static void
test_reject_rdata(void)
{
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0001 0001 00000e10 0005 0a000001", DNS_E_RDLENGTH);
	ASSERT_STR_EQ(dns_err_str(DNS_E_RDLENGTH),
	    "RDLENGTH past end of message");
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0001 0001 00000e10 0003 0a0000", DNS_E_A_LEN);
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0001 0001 00000e10 0005 0a00000102", DNS_E_A_LEN);
	ASSERT_STR_EQ(dns_err_str(DNS_E_A_LEN),
	    "RDLENGTH does not match A record (expected 4)");
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 001c 0001 00000e10 0004 0a000001", DNS_E_AAAA_LEN);
	/* MX without room for its preference; NS with bytes left over. */
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 000f 0001 00000e10 0001 00", DNS_E_RDATA_SHORT);
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0002 0001 00000e10 0003 c00c 00", DNS_E_RDATA_LONG);
	/* SOA with four numbers instead of five. */
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0006 0001 00000e10 0014 c00c c00c"
	    "00000001 00000002 00000003 00000004", DNS_E_RDATA_SHORT);
	/* CNAME whose name runs out of RDATA, though not of the message. */
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0005 0001 00000e10 0002 03616263 00", DNS_E_RDATA_NAME);
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0005 0001 00000e10 0001 c00c", DNS_E_RDATA_NAME);
	/* NS with no RDATA at all, last in the message. */
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0002 0001 00000e10 0000", DNS_E_RDATA_NAME);
	ASSERT_STR_EQ(dns_err_str(DNS_E_RDATA_NAME),
	    "name in RDATA runs past RDLENGTH");
	ASSERT_REJECT(HDR("0001", "0001", "0000", "0000") QA
	    "c00c 0010 0001 00000e10 0003 05 6162", DNS_E_TXT);
}

static void
test_reject_names(void)
{
	char hex[2048];
	size_t i;

	/* A pointer to itself, and "a" then a pointer back to the "a". */
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000") "c00c 0001 0001",
	    DNS_E_PTR_LOOP);
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000")
	    "0161 c00c 0001 0001", DNS_E_PTR_LOOP);
	/* Two names pointing into each other: 12: "a" -> 17; 17: "b" -> 12.
	 * The first pointer is forward, so it is refused as that. */
	ASSERT_REJECT(HDR("0002", "0000", "0000", "0000")
	    "0161 c011 0001 0001 0162 c00c 0001 0001", DNS_E_PTR_FORWARD);
	/* A loop reached backwards, hop after hop: an opaque RDATA at 23
	 * holds "x" then a pointer back to the "x" (25 -> 23); the answer
	 * owner at 27 points at that pointer. 27 -> 25 -> 23, then 25 -> 23
	 * again: not below the last target, so a loop. */
	ASSERT_REJECT(HDR("0000", "0002", "0000", "0000")
	    "00 ff00 0001 00000001 0004 0178 c017"
	    "c019 0001 0001 00000001 0004 01020304", DNS_E_PTR_LOOP);
	ASSERT_STR_EQ(dns_err_str(DNS_E_PTR_LOOP), "compression pointer loop");
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000")
	    "c010 0001 0001 0161 00", DNS_E_PTR_FORWARD);
	ASSERT_STR_EQ(dns_err_str(DNS_E_PTR_FORWARD),
	    "forward compression pointer");
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000") "c0ff 0001 0001",
	    DNS_E_PTR_PAST);
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000") "ffff 0001 0001",
	    DNS_E_PTR_PAST);
	ASSERT_STR_EQ(dns_err_str(DNS_E_PTR_PAST),
	    "pointer past end of message");
	/* A pointer cut in half at the end of the message. */
	ASSERT_REJECT(HDR("0000", "0001", "0000", "0000")
	    "0161 0162 0163 0164 0165 c0", DNS_E_NAME_END);
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000") "0561626364",
	    DNS_E_NAME_END);
	/* Length octets 01xxxxxx and 10xxxxxx: 64 would be a label over 63
	 * octets, but on the wire it is the reserved type 0x40. */
	{
		char *p = hex;

		p += sprintf(p, HDR("0001", "0000", "0000", "0000") "40");
		for (i = 0; i < 64; i++)
			p += sprintf(p, "61");
		sprintf(p, "00 0001 0001");
		ASSERT_REJECT(hex, DNS_E_LABEL_0X40);
	}
	ASSERT_STR_EQ(dns_err_str(DNS_E_LABEL_0X40),
	    "reserved label type 0x40");
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000")
	    "8061 0000 0100 01", DNS_E_LABEL_0X80);
	ASSERT_STR_EQ(dns_err_str(DNS_E_LABEL_0X80),
	    "reserved label type 0x80");
	ASSERT_REJECT(HDR("0001", "0000", "0000", "0000")
	    "bf61 0000 0100 01", DNS_E_LABEL_0X80);

	/* Four labels of 63 in place: 257 octets. */
	{
		char *p = hex;
		int k;

		p += sprintf(p, HDR("0001", "0000", "0000", "0000"));
		for (k = 0; k < 4; k++) {
			p += sprintf(p, "3f");
			for (i = 0; i < 63; i++)
				p += sprintf(p, "61");
		}
		sprintf(p, "00 0001 0001");
		ASSERT_REJECT(hex, DNS_E_NAME_LEN);
	}
	/* Fine in place, too long once decompressed: 3 x 63 (193 octets),
	 * then a label of 63 and a pointer to it: 257. */
	{
		char *p = hex;
		int k;

		p += sprintf(p, HDR("0002", "0000", "0000", "0000"));
		for (k = 0; k < 4; k++) {
			if (k == 3)
				p += sprintf(p, "00 0001 0001 ");
			p += sprintf(p, "3f");
			for (i = 0; i < 63; i++)
				p += sprintf(p, "62");
		}
		sprintf(p, "c00c 0001 0001");
		ASSERT_REJECT(hex, DNS_E_NAME_LEN);
	}
}

/* A chain of pointers to pointers: question k's name points at question
 * k-1's, so it takes k hops. 127 hops are allowed, 128 are not. */
static void
test_reject_too_many_pointers(void)
{
	struct nl_dbuf b;
	struct dns_msg *m = NULL;
	struct dns_perr e;
	size_t k, prev = 12;
	int qd;

	for (qd = 128; qd <= 129; qd++) {
		nl_dbuf_init(&b, DNS_MSG_MAX);
		ASSERT_EQ(nl_dbuf_add_u16(&b, 1), NL_OK);
		ASSERT_EQ(nl_dbuf_add_u16(&b, 0), NL_OK);
		ASSERT_EQ(nl_dbuf_add_u16(&b, (uint16_t)qd), NL_OK);
		ASSERT_EQ(nl_dbuf_add(&b, "\0\0\0\0\0\0", 6), NL_OK);
		ASSERT_EQ(nl_dbuf_add(&b, "\0\0\1\0\1", 5), NL_OK);
		prev = 12;
		for (k = 1; k < (size_t)qd; k++) {
			size_t here = b.len;
			uint16_t ptr = (uint16_t)(0xC000 | prev);

			ASSERT_EQ(nl_dbuf_add_u16(&b, ptr), NL_OK);
			ASSERT_EQ(nl_dbuf_add(&b, "\0\1\0\1", 4), NL_OK);
			prev = here;
		}
		if (qd == 128) {
			ASSERT_EQ(dns_msg_parse(b.data, b.len, &m, &e), NL_OK);
			ASSERT_EQ(m->qdcount, 128);
			ASSERT_EQ(m->qd[127].name.len, 1);
			dns_msg_free(m);
		} else {
			ASSERT_EQ(dns_msg_parse(b.data, b.len, &m, &e),
			    NL_EMALFORMED);
			ASSERT_EQ(e.code, DNS_E_PTR_MANY);
			ASSERT(m == NULL);
		}
		nl_dbuf_free(&b);
	}
}

static void
test_reject_too_long(void)
{
	uint8_t *p = nl_calloc(1, DNS_MSG_MAX + 1);
	struct dns_msg *m = NULL;
	struct dns_perr e;

	ASSERT(p != NULL);
	ASSERT_EQ(dns_msg_parse(p, DNS_MSG_MAX + 1, &m, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_MSG_TOO_LONG);
	/* 65535 octets: a header and then trailing zeros. */
	ASSERT_EQ(dns_msg_parse(p, DNS_MSG_MAX, &m, &e), NL_EMALFORMED);
	ASSERT_EQ(e.code, DNS_E_TRAILING);
	ASSERT_EQ(e.off, 12);
	nl_free(p);
}

/* Every proper prefix of a valid message is refused cleanly: each is
 * copied into a block of exactly its size, so ASan catches any read
 * past it. */
static void
check_prefixes(const uint8_t *wire, size_t len)
{
	size_t cut;

	for (cut = 0; cut < len; cut++) {
		uint8_t *p = nl_alloc(cut ? cut : 1);
		struct dns_msg *m = (struct dns_msg *)p;	/* not NULL */
		struct dns_perr e;
		enum nl_status st;

		ASSERT(p != NULL);
		memcpy(p, wire, cut);
		st = dns_msg_parse(cut ? p : NULL, cut, &m, &e);
		nl_free(p);
		if (st != NL_EMALFORMED || m != NULL || e.code == DNS_E_NONE) {
			dns_msg_free(m);
			TEST_FAIL_AT("prefix of %zu/%zu octets: %s", cut, len,
			    nl_status_str(st));
		}
	}
}

static void
test_truncation(void)
{
	const char *hexes[] = { QUERY_HEX, RESPONSE_HEX, MX_HEX };
	struct dns_msg *all = build_all_types();
	struct nl_dbuf w;
	size_t i, len;

	for (i = 0; i < sizeof hexes / sizeof hexes[0]; i++) {
		uint8_t *p = unhex(hexes[i], &len);

		ASSERT(p != NULL);
		check_prefixes(p, len);
		nl_free(p);
		if (test_failed)
			return;
	}
	ASSERT(all != NULL);
	nl_dbuf_init(&w, DNS_MSG_MAX);
	ASSERT_EQ(dns_msg_write(all, &w), NL_OK);
	check_prefixes(w.data, w.len);
	nl_dbuf_free(&w);
	dns_msg_free(all);
}

/* Every allocation in parse, write, print and brief may fail: each
 * failure gives NL_ENOMEM and leaks nothing (ASan checks at exit). */
static void
test_out_of_memory(void)
{
	size_t len;
	uint8_t *wire;
	long n;
	int ok = 0;

	{
		struct dns_msg *all = build_all_types();
		struct nl_dbuf w;

		ASSERT(all != NULL);
		nl_dbuf_init(&w, DNS_MSG_MAX);
		ASSERT_EQ(dns_msg_write(all, &w), NL_OK);
		wire = nl_dbuf_take(&w, &len);
		dns_msg_free(all);
	}
	for (n = 0; n < 1000 && !ok; n++) {
		struct dns_msg *m = NULL;
		struct dns_perr e;
		struct nl_dbuf out;
		enum nl_status st;

		nl_alloc_fail_after(n);
		nl_dbuf_init(&out, 1u << 20);
		st = dns_msg_parse(wire, len, &m, &e);
		if (st == NL_OK)
			st = dns_msg_write(m, &out);
		if (st == NL_OK)
			st = dns_msg_print(&out, m);
		if (st == NL_OK)
			st = dns_msg_brief(&out, m);
		if (st != NL_OK && st != NL_ENOMEM) {
			nl_alloc_fail_after(-1);
			TEST_FAIL_AT("step %ld: %s", n, nl_status_str(st));
		}
		if (st == NL_ENOMEM && m == NULL)
			ASSERT_EQ(e.code, DNS_E_NONE);
		ok = st == NL_OK && !nl_alloc_failed();
		nl_dbuf_free(&out);
		dns_msg_free(m);
	}
	nl_alloc_fail_after(-1);
	nl_free(wire);
	ASSERT(ok);

	/* Building too. */
	for (n = 0, ok = 0; n < 1000 && !ok; n++) {
		struct dns_msg *m;

		nl_alloc_fail_after(n);
		m = build_all_types();
		ok = m != NULL;
		nl_alloc_fail_after(-1);
		dns_msg_free(m);
	}
	ASSERT(ok);
}

const struct test_case tests_dns[] = {
	{ "dns_name_text", test_name_text },
	{ "dns_name_parse", test_name_parse },
	{ "dns_parse_query", test_parse_query },
	{ "dns_parse_response", test_parse_response },
	{ "dns_spans", test_spans },
	{ "dns_write_compression", test_write_compression },
	{ "dns_write_far_offsets", test_write_far_offsets },
	{ "dns_write_invalid", test_write_invalid },
	{ "dns_roundtrip_types", test_roundtrip_types },
	{ "dns_print_dig", test_print_dig },
	{ "dns_print_aaaa", test_print_aaaa },
	{ "dns_print_rr", test_print_rr },
	{ "dns_enum_str", test_enum_str },
	{ "dns_brief", test_brief },
	{ "dns_reject_header_counts", test_reject_header_counts },
	{ "dns_reject_rdata", test_reject_rdata },
	{ "dns_reject_names", test_reject_names },
	{ "dns_reject_too_many_pointers", test_reject_too_many_pointers },
	{ "dns_reject_too_long", test_reject_too_long },
	{ "dns_truncation", test_truncation },
	{ "dns_out_of_memory", test_out_of_memory },
	{ NULL, NULL },
};
