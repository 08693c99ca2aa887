/* dns_str.c - DNS in words: the name of every enum value, records in
 * master-file form (RFC 1035 section 5, RFC 3597 section 5 for RDATA we
 * keep opaque), whole messages the way dig prints them, and a one-line
 * summary for transcripts. Each _str is a switch with no default, so a
 * new enum value without a name is a compiler warning. */
#include <string.h>

#include "proto/dns/dns_msg.h"
#include "util/hex.h"
#include "util/nl.h"

const char *
dns_type_str(enum dns_type t)
{
	switch (t) {
	case DNS_T_A: return "A";
	case DNS_T_NS: return "NS";
	case DNS_T_CNAME: return "CNAME";
	case DNS_T_SOA: return "SOA";
	case DNS_T_PTR: return "PTR";
	case DNS_T_HINFO: return "HINFO";
	case DNS_T_MX: return "MX";
	case DNS_T_TXT: return "TXT";
	case DNS_T_AAAA: return "AAAA";
	case DNS_T_SRV: return "SRV";
	case DNS_T_OPT: return "OPT";
	case DNS_T_IXFR: return "IXFR";
	case DNS_T_AXFR: return "AXFR";
	case DNS_T_ANY: return "ANY";
	}
	return NULL;
}

const char *
dns_class_str(enum dns_class c)
{
	switch (c) {
	case DNS_C_IN: return "IN";
	case DNS_C_CH: return "CH";
	case DNS_C_HS: return "HS";
	case DNS_C_NONE: return "NONE";
	case DNS_C_ANY: return "ANY";
	}
	return NULL;
}

const char *
dns_rcode_str(enum dns_rcode r)
{
	switch (r) {
	case DNS_R_NOERROR: return "NOERROR";
	case DNS_R_FORMERR: return "FORMERR";
	case DNS_R_SERVFAIL: return "SERVFAIL";
	case DNS_R_NXDOMAIN: return "NXDOMAIN";
	case DNS_R_NOTIMP: return "NOTIMP";
	case DNS_R_REFUSED: return "REFUSED";
	case DNS_R_YXDOMAIN: return "YXDOMAIN";
	case DNS_R_YXRRSET: return "YXRRSET";
	case DNS_R_NXRRSET: return "NXRRSET";
	case DNS_R_NOTAUTH: return "NOTAUTH";
	case DNS_R_NOTZONE: return "NOTZONE";
	}
	return NULL;
}

const char *
dns_opcode_str(enum dns_opcode o)
{
	switch (o) {
	case DNS_OP_QUERY: return "QUERY";
	case DNS_OP_IQUERY: return "IQUERY";
	case DNS_OP_STATUS: return "STATUS";
	case DNS_OP_NOTIFY: return "NOTIFY";
	case DNS_OP_UPDATE: return "UPDATE";
	case DNS_OP_DSO: return "DSO";
	}
	return NULL;
}

const char *
dns_section_str(enum dns_section s)
{
	switch (s) {
	case DNS_S_ANSWER: return "ANSWER";
	case DNS_S_AUTHORITY: return "AUTHORITY";
	case DNS_S_ADDITIONAL: return "ADDITIONAL";
	}
	return NULL;
}

const char *
dns_rdkind_str(enum dns_rdkind k)
{
	switch (k) {
	case DNS_RD_OPAQUE: return "opaque";
	case DNS_RD_A: return "A";
	case DNS_RD_AAAA: return "AAAA";
	case DNS_RD_NAME: return "name";
	case DNS_RD_MX: return "MX";
	case DNS_RD_SOA: return "SOA";
	case DNS_RD_TXT: return "TXT";
	}
	return NULL;
}

const char *
dns_err_str(enum dns_err e)
{
	switch (e) {
	case DNS_E_NONE: return "no error";
	case DNS_E_MSG_TOO_LONG: return "message longer than 65535 octets";
	case DNS_E_HEADER: return "truncated header";
	case DNS_E_QDCOUNT: return "question count exceeds message";
	case DNS_E_ANCOUNT: return "answer count exceeds message";
	case DNS_E_NSCOUNT: return "authority count exceeds message";
	case DNS_E_ARCOUNT: return "additional count exceeds message";
	case DNS_E_QUESTION: return "truncated question";
	case DNS_E_RR: return "truncated resource record";
	case DNS_E_RDLENGTH: return "RDLENGTH past end of message";
	case DNS_E_A_LEN:
		return "RDLENGTH does not match A record (expected 4)";
	case DNS_E_AAAA_LEN:
		return "RDLENGTH does not match AAAA record (expected 16)";
	case DNS_E_RDATA_SHORT: return "RDLENGTH too short for the record type";
	case DNS_E_RDATA_LONG: return "RDLENGTH longer than the record's data";
	case DNS_E_RDATA_NAME: return "name in RDATA runs past RDLENGTH";
	case DNS_E_TXT: return "TXT string runs past RDLENGTH";
	case DNS_E_NAME_END: return "name runs past end of message";
	case DNS_E_PTR_LOOP: return "compression pointer loop";
	case DNS_E_PTR_FORWARD: return "forward compression pointer";
	case DNS_E_PTR_PAST: return "pointer past end of message";
	case DNS_E_PTR_MANY: return "too many compression pointers";
	case DNS_E_LABEL_LEN: return "label longer than 63 octets";
	case DNS_E_NAME_LEN: return "name longer than 255 octets";
	case DNS_E_LABEL_0X40: return "reserved label type 0x40";
	case DNS_E_LABEL_0X80: return "reserved label type 0x80";
	case DNS_E_TRAILING: return "trailing bytes after message";
	case DNS_E_EMPTY_LABEL: return "empty label";
	case DNS_E_BAD_ESCAPE: return "bad escape";
	}
	return "unknown error";
}

/* ---- Pieces of a record ---- */

static enum nl_status
put_type(struct nl_dbuf *out, uint16_t type)
{
	const char *s = dns_type_str((enum dns_type)type);

	return s ? nl_dbuf_add_str(out, s) : nl_dbuf_addf(out, "TYPE%u", type);
}

static enum nl_status
put_class(struct nl_dbuf *out, uint16_t class)
{
	const char *s = dns_class_str((enum dns_class)class);

	return s ? nl_dbuf_add_str(out, s) :
	    nl_dbuf_addf(out, "CLASS%u", class);
}

static enum nl_status
put_rcode(struct nl_dbuf *out, uint8_t rcode)
{
	const char *s = dns_rcode_str((enum dns_rcode)rcode);

	return s ? nl_dbuf_add_str(out, s) :
	    nl_dbuf_addf(out, "RCODE%u", rcode);
}

static enum nl_status
put_opcode(struct nl_dbuf *out, uint8_t opcode)
{
	const char *s = dns_opcode_str((enum dns_opcode)opcode);

	return s ? nl_dbuf_add_str(out, s) :
	    nl_dbuf_addf(out, "OPCODE%u", opcode);
}

/* A name; brief drops the final dot of all but the root, as the
 * textbook writes names. */
static enum nl_status
put_name(struct nl_dbuf *out, const struct dns_name *n, int brief)
{
	char buf[DNS_NAME_STRLEN];
	size_t len;

	if (!brief)
		return dns_name_print(out, n);
	if (!dns_name_valid(n))
		return NL_EINVAL;
	len = strlen(dns_name_str(n, buf, sizeof buf));
	return nl_dbuf_add(out, buf, len > 1 ? len - 1 : len);
}

/* RFC 5952: lowercase, no leading zeros, the longest run of two or more
 * zero groups (the first of equals) as "::", IPv4-mapped as ::ffff:a.b.c.d. */
static enum nl_status
put_aaaa(struct nl_dbuf *out, const uint8_t a[16])
{
	unsigned g[8];
	int i, bs = -1, bl = 0, cs = -1, cl = 0;
	enum nl_status st = NL_OK;

	for (i = 0; i < 8; i++) {
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (g[i] == 0) {
			if (cl++ == 0)
				cs = i;
			if (cl > bl) {
				bs = cs;
				bl = cl;
			}
		} else {
			cl = 0;
		}
	}
	if (bl < 2)
		bs = -1, bl = 0;
	if (bs == 0 && bl == 5 && g[5] == 0xFFFF)
		return nl_dbuf_addf(out, "::ffff:%u.%u.%u.%u", a[12], a[13],
		    a[14], a[15]);
	for (i = 0; i < 8 && st == NL_OK; i++) {
		if (i == bs) {
			st = nl_dbuf_add_str(out, "::");
			i += bl - 1;
			continue;
		}
		if (i > 0 && i != bs + bl)
			st = nl_dbuf_add_u8(out, ':');
		if (st == NL_OK)
			st = nl_dbuf_addf(out, "%x", g[i]);
	}
	return st;
}

/* RFC 3597 section 5: \# length hex. */
static enum nl_status
put_generic(struct nl_dbuf *out, const uint8_t *p, size_t n)
{
	enum nl_status st = nl_dbuf_addf(out, "\\# %zu", n);

	if (st == NL_OK && n > 0)
		st = nl_dbuf_add_u8(out, ' ');
	if (st == NL_OK && n > 0)
		st = nl_hex_encode(out, p, n);
	return st;
}

/* TXT strings, each in double quotes with " and \ escaped and octets
 * outside 0x20..0x7e as \DDD, as dig prints them. No strings at all
 * cannot be written that way, so it goes out as "\# 0". */
static enum nl_status
put_txt(struct nl_dbuf *out, const struct dns_rr *rr)
{
	const uint8_t *p = rr->rd.txt.data;
	size_t pos = 0, len = rr->rd.txt.len, j;
	enum nl_status st = NL_OK;

	if (len == 0 || p == NULL)
		return put_generic(out, NULL, 0);
	while (pos < len && st == NL_OK) {
		size_t l = p[pos];

		if (pos > 0)
			st = nl_dbuf_add_u8(out, ' ');
		if (st == NL_OK)
			st = nl_dbuf_add_u8(out, '"');
		for (j = pos + 1; j <= pos + l && j < len && st == NL_OK;
		    j++) {
			uint8_t c = p[j];

			if (c == '"' || c == '\\') {
				uint8_t esc[2] = { '\\', c };

				st = nl_dbuf_add(out, esc, 2);
			} else if (c < 0x20 || c > 0x7E) {
				st = nl_dbuf_addf(out, "\\%03u", (unsigned)c);
			} else {
				st = nl_dbuf_add_u8(out, c);
			}
		}
		if (st == NL_OK)
			st = nl_dbuf_add_u8(out, '"');
		pos += 1 + l;
	}
	return st;
}

static enum nl_status
put_rdata(struct nl_dbuf *out, const struct dns_rr *rr, int brief)
{
	const union dns_rdata *rd = &rr->rd;
	enum nl_status st;

	switch (dns_rr_kind(rr->type, rr->class)) {
	case DNS_RD_A:
		return nl_dbuf_addf(out, "%u.%u.%u.%u", rd->a[0], rd->a[1],
		    rd->a[2], rd->a[3]);
	case DNS_RD_AAAA:
		return put_aaaa(out, rd->aaaa);
	case DNS_RD_NAME:
		return put_name(out, &rd->name, brief);
	case DNS_RD_MX:
		st = nl_dbuf_addf(out, "%u ", rd->mx.preference);
		if (st == NL_OK)
			st = put_name(out, &rd->mx.exchange, brief);
		return st;
	case DNS_RD_SOA:
		st = put_name(out, &rd->soa.mname, brief);
		if (st == NL_OK)
			st = nl_dbuf_add_u8(out, ' ');
		if (st == NL_OK)
			st = put_name(out, &rd->soa.rname, brief);
		if (st == NL_OK && !brief)
			st = nl_dbuf_addf(out, " %lu %lu %lu %lu %lu",
			    (unsigned long)rd->soa.serial,
			    (unsigned long)rd->soa.refresh,
			    (unsigned long)rd->soa.retry,
			    (unsigned long)rd->soa.expire,
			    (unsigned long)rd->soa.minimum);
		return st;
	case DNS_RD_TXT:
		return put_txt(out, rr);
	case DNS_RD_OPAQUE:
		return put_generic(out, rd->opaque.data, rd->opaque.len);
	}
	return NL_EINVAL;
}

enum nl_status
dns_rdata_print(struct nl_dbuf *out, const struct dns_rr *rr)
{
	return put_rdata(out, rr, 0);
}

enum nl_status
dns_rr_print(struct nl_dbuf *out, const struct dns_rr *rr)
{
	enum nl_status st = put_name(out, &rr->name, 0);

	if (st == NL_OK)
		st = nl_dbuf_addf(out, "\t%lu\t", (unsigned long)rr->ttl);
	if (st == NL_OK)
		st = put_class(out, rr->class);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, '\t');
	if (st == NL_OK)
		st = put_type(out, rr->type);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, '\t');
	if (st == NL_OK)
		st = put_rdata(out, rr, 0);
	return st;
}

/* ---- Whole messages ---- */

/* ";name.<TAB><TAB>class<TAB>type": dig leaves the TTL column empty. */
static enum nl_status
put_question(struct nl_dbuf *out, const struct dns_question *q)
{
	enum nl_status st = nl_dbuf_add_u8(out, ';');

	if (st == NL_OK)
		st = put_name(out, &q->name, 0);
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, "\t\t");
	if (st == NL_OK)
		st = put_class(out, q->class);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, '\t');
	if (st == NL_OK)
		st = put_type(out, q->type);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, '\n');
	return st;
}

/*   ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660
 *   ;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0
 *
 *   ;; QUESTION SECTION:
 *   ;gaia.cs.umass.edu.		IN	A
 *
 *   ;; ANSWER SECTION:
 *   gaia.cs.umass.edu.	3600	IN	A	128.119.245.12 */
enum nl_status
dns_msg_print(struct nl_dbuf *out, const struct dns_msg *m)
{
	const struct dns_hdr *h = &m->hdr;
	const struct {
		uint8_t on;		/* the bit */
		const char *name;	/* as dig shows it */
	} flags[] = {
		{ h->qr, " qr" }, { h->aa, " aa" }, { h->tc, " tc" },
		{ h->rd, " rd" }, { h->ra, " ra" }, { h->z, " z" },
		{ h->ad, " ad" }, { h->cd, " cd" },
	};
	enum nl_status st;
	size_t i;
	uint16_t j;
	int s;

	st = nl_dbuf_add_str(out, ";; ->>HEADER<<- opcode: ");
	if (st == NL_OK)
		st = put_opcode(out, h->opcode);
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, ", status: ");
	if (st == NL_OK)
		st = put_rcode(out, h->rcode);
	if (st == NL_OK)
		st = nl_dbuf_addf(out, ", id: %u\n;; flags:", h->id);
	for (i = 0; i < NL_ARRAY_LEN(flags) && st == NL_OK; i++)
		if (flags[i].on != 0)
			st = nl_dbuf_add_str(out, flags[i].name);
	if (st == NL_OK)
		st = nl_dbuf_addf(out, "; QUERY: %u, ANSWER: %u, AUTHORITY: %u,"
		    " ADDITIONAL: %u\n", m->qdcount,
		    m->sec[DNS_S_ANSWER].count, m->sec[DNS_S_AUTHORITY].count,
		    m->sec[DNS_S_ADDITIONAL].count);
	if (st == NL_OK && m->qdcount > 0)
		st = nl_dbuf_add_str(out, "\n;; QUESTION SECTION:\n");
	for (j = 0; j < m->qdcount && st == NL_OK; j++)
		st = put_question(out, &m->qd[j]);
	for (s = 0; s < DNS_SECTION_COUNT && st == NL_OK; s++) {
		if (m->sec[s].count == 0)
			continue;
		st = nl_dbuf_addf(out, "\n;; %s SECTION:\n",
		    dns_section_str((enum dns_section)s));
		for (j = 0; j < m->sec[s].count && st == NL_OK; j++) {
			st = dns_rr_print(out, &m->sec[s].rr[j]);
			if (st == NL_OK)
				st = nl_dbuf_add_u8(out, '\n');
		}
	}
	return st;
}

/* The first A (else AAAA) of the additional section owned by n, as
 * " (192.5.6.30)"; nothing if there is no glue. */
static enum nl_status
put_glue(struct nl_dbuf *out, const struct dns_msg *m,
    const struct dns_name *n)
{
	const struct dns_rrs *ar = &m->sec[DNS_S_ADDITIONAL];
	const struct dns_rr *best = NULL;
	enum dns_rdkind k;
	enum nl_status st;
	uint16_t i;

	for (i = 0; i < ar->count; i++) {
		k = dns_rr_kind(ar->rr[i].type, ar->rr[i].class);
		if (!dns_name_eq(&ar->rr[i].name, n))
			continue;
		if (k == DNS_RD_A) {
			best = &ar->rr[i];
			break;
		}
		if (k == DNS_RD_AAAA && best == NULL)
			best = &ar->rr[i];
	}
	if (best == NULL)
		return NL_OK;
	st = nl_dbuf_add_str(out, " (");
	if (st == NL_OK)
		st = put_rdata(out, best, 1);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, ')');
	return st;
}

/* "referral NS edu -> a.edu-servers.net (192.5.6.30), b.edu-... +N more":
 * the NS records of the first NS owner in the authority section. */
static enum nl_status
put_referral(struct nl_dbuf *out, const struct dns_msg *m,
    const struct dns_rr *first)
{
	const struct dns_rrs *ns = &m->sec[DNS_S_AUTHORITY];
	enum nl_status st;
	unsigned shown = 0, more = 0;
	uint16_t i;

	st = nl_dbuf_add_str(out, ": referral NS ");
	if (st == NL_OK)
		st = put_name(out, &first->name, 1);
	if (st == NL_OK)
		st = nl_dbuf_add_str(out, " ->");
	for (i = 0; i < ns->count && st == NL_OK; i++) {
		const struct dns_rr *rr = &ns->rr[i];

		if (rr->type != DNS_T_NS ||
		    dns_rr_kind(rr->type, rr->class) != DNS_RD_NAME ||
		    !dns_name_eq(&rr->name, &first->name))
			continue;
		if (shown == 3) {
			more++;
			continue;
		}
		st = nl_dbuf_add_str(out, shown ? ", " : " ");
		if (st == NL_OK)
			st = put_name(out, &rr->rd.name, 1);
		if (st == NL_OK)
			st = put_glue(out, m, &rr->rd.name);
		shown++;
	}
	if (st == NL_OK && more > 0)
		st = nl_dbuf_addf(out, " +%u more", more);
	return st;
}

enum nl_status
dns_msg_brief(struct nl_dbuf *out, const struct dns_msg *m)
{
	const struct dns_hdr *h = &m->hdr;
	const struct dns_question *q = m->qdcount ? &m->qd[0] : NULL;
	const struct dns_rrs *an = &m->sec[DNS_S_ANSWER];
	const struct dns_rrs *ns = &m->sec[DNS_S_AUTHORITY];
	const struct dns_rr *referral = NULL;
	enum nl_status st;
	uint16_t i;

	st = nl_dbuf_addf(out, "id %u %s", h->id, h->qr ? "response" : "query");
	if (st == NL_OK && h->opcode != DNS_OP_QUERY) {
		st = nl_dbuf_add_str(out, " opcode ");
		if (st == NL_OK)
			st = put_opcode(out, h->opcode);
	}
	if (st == NL_OK && q == NULL)
		st = nl_dbuf_add_str(out, " (no question)");
	if (st == NL_OK && q != NULL) {
		st = nl_dbuf_add_u8(out, ' ');
		if (st == NL_OK)
			st = put_type(out, q->type);
		if (st == NL_OK)
			st = nl_dbuf_add_str(out, h->qr ? " " : "? ");
		if (st == NL_OK)
			st = put_name(out, &q->name, 1);
	}
	if (st != NL_OK)
		return st;
	if (!h->qr) {
		if (h->rd)
			st = nl_dbuf_add_str(out, " rd");
		return st;
	}
	if (h->aa)
		st = nl_dbuf_add_str(out, " aa");
	if (st == NL_OK && h->tc)
		st = nl_dbuf_add_str(out, " tc");
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, ' ');
	if (st == NL_OK)
		st = put_rcode(out, h->rcode);
	if (st != NL_OK)
		return st;
	if (an->count > 0) {
		for (i = 0; i < an->count && st == NL_OK; i++) {
			const struct dns_rr *rr = &an->rr[i];

			st = nl_dbuf_add_str(out, i ? ", " : ": ");
			if (st == NL_OK && (q == NULL || rr->type != q->type)) {
				st = put_type(out, rr->type);
				if (st == NL_OK)
					st = nl_dbuf_add_u8(out, ' ');
			}
			if (st == NL_OK)
				st = put_rdata(out, rr, 1);
		}
		return st;
	}
	if (h->rcode != DNS_R_NOERROR)
		return NL_OK;
	for (i = 0; i < ns->count && referral == NULL; i++)
		if (ns->rr[i].type == DNS_T_NS &&
		    dns_rr_kind(ns->rr[i].type, ns->rr[i].class) == DNS_RD_NAME)
			referral = &ns->rr[i];
	if (referral != NULL)
		return put_referral(out, m, referral);
	return nl_dbuf_add_str(out, ": no data");
}
