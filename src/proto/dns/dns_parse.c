/* dns_parse.c - DNS message from wire format, RFC 1035 section 4.1,
 * with the byte range of every field. Mirrors dns_write.c function for
 * function; names are read in dns_name.c. Every fetch goes through the
 * bounded reader, so no input can make it read outside the message. */
#include <string.h>

#include "proto/dns/dns_int.h"
#include "proto/dns/dns_msg.h"
#include "util/alloc.h"
#include "util/nl.h"

/* The smallest question: the root name and QTYPE, QCLASS. */
#define MIN_QUESTION 5
/* The smallest RR: the root name, TYPE, CLASS, TTL, RDLENGTH. */
#define MIN_RR 11

static struct dns_span
span(size_t off, size_t end)
{
	struct dns_span s;

	s.off = (uint16_t)off;
	s.len = (uint16_t)(end - off);
	return s;
}

/* Header (4.1.1):
 *
 *                                 1  1  1  1  1  1
 *   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                    QDCOUNT                    |
 * |                    ANCOUNT                    |
 * |                    NSCOUNT                    |
 * |                    ARCOUNT                    |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+ */
static enum nl_status
parse_header(struct nl_rbuf *r, struct dns_hdr *h, uint16_t counts[4],
    struct dns_perr *err)
{
	uint16_t flags;
	int i;

	if (nl_rbuf_left(r) < DNS_HDR_LEN)
		return dns_fail(err, DNS_E_HEADER, nl_rbuf_left(r));
	(void)nl_rbuf_u16(r, &h->id);
	(void)nl_rbuf_u16(r, &flags);
	for (i = 0; i < 4; i++)
		(void)nl_rbuf_u16(r, &counts[i]);
	h->qr = (uint8_t)(flags >> 15 & 1);
	h->opcode = (uint8_t)(flags >> 11 & 0xF);
	h->aa = (uint8_t)(flags >> 10 & 1);
	h->tc = (uint8_t)(flags >> 9 & 1);
	h->rd = (uint8_t)(flags >> 8 & 1);
	h->ra = (uint8_t)(flags >> 7 & 1);
	h->z = (uint8_t)(flags >> 6 & 1);
	h->ad = (uint8_t)(flags >> 5 & 1);
	h->cd = (uint8_t)(flags >> 4 & 1);
	h->rcode = (uint8_t)(flags & 0xF);
	h->at.id = span(0, 2);
	h->at.flags = span(2, 4);
	h->at.qdcount = span(4, 6);
	h->at.ancount = span(6, 8);
	h->at.nscount = span(8, 10);
	h->at.arcount = span(10, 12);
	return NL_OK;
}

/* Question (4.1.2): QNAME, QTYPE, QCLASS. */
static enum nl_status
parse_question(struct nl_rbuf *r, struct dns_question *q,
    struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r), len = start + nl_rbuf_left(r), mid;
	enum nl_status st;

	if (nl_rbuf_left(r) == 0)
		return dns_fail(err, DNS_E_QDCOUNT, start);
	st = dns_name_read(r, len, DNS_E_NAME_END, &q->name, err);
	if (st != NL_OK)
		return st;
	mid = nl_rbuf_pos(r);
	if (nl_rbuf_u16(r, &q->type) != NL_OK ||
	    nl_rbuf_u16(r, &q->class) != NL_OK)
		return dns_fail(err, DNS_E_QUESTION, mid);
	q->at.all = span(start, mid + 4);
	q->at.name = span(start, mid);
	q->at.type = span(mid, mid + 2);
	q->at.class = span(mid + 2, mid + 4);
	return NL_OK;
}

/* A name inside RDATA, with its span as a field. */
static enum nl_status
parse_rd_name(struct nl_rbuf *r, size_t end, struct dns_name *n,
    struct dns_rr_spans *at, struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r);
	enum nl_status st = dns_name_read(r, end, DNS_E_RDATA_NAME, n, err);

	if (st == NL_OK)
		at->rdf[at->nrdf++] = span(start, nl_rbuf_pos(r));
	return st;
}

/* A 16- or 32-bit RDATA field that must end by end. */
static enum nl_status
parse_rd_u16(struct nl_rbuf *r, size_t end, uint16_t *v,
    struct dns_rr_spans *at, struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r);

	if (end - start < 2 || nl_rbuf_u16(r, v) != NL_OK)
		return dns_fail(err, DNS_E_RDATA_SHORT, start);
	at->rdf[at->nrdf++] = span(start, start + 2);
	return NL_OK;
}

static enum nl_status
parse_rd_u32(struct nl_rbuf *r, size_t end, uint32_t *v,
    struct dns_rr_spans *at, struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r);

	if (end - start < 4 || nl_rbuf_u32(r, v) != NL_OK)
		return dns_fail(err, DNS_E_RDATA_SHORT, start);
	at->rdf[at->nrdf++] = span(start, start + 4);
	return NL_OK;
}

/* TXT (3.3.14): one or more <character-string>s, each a length octet
 * and that many octets, filling RDATA exactly. Kept as on the wire. */
static enum nl_status
parse_txt(struct nl_rbuf *r, size_t end, struct dns_rr *rr,
    struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r), pos = start;
	const uint8_t *p;
	uint8_t l;
	uint16_t count = 0;

	while (pos < end) {
		if (nl_rbuf_u8(r, &l) != NL_OK || l > end - pos - 1)
			return dns_fail(err, DNS_E_TXT, pos);
		(void)nl_rbuf_skip(r, l);
		pos += 1u + l;
		count++;
	}
	if (nl_rbuf_seek(r, start) != NL_OK)
		return dns_fail(err, DNS_E_RDLENGTH, start);
	p = nl_rbuf_take(r, end - start);
	if (NL_NEVER(p == NULL))
		return dns_fail(err, DNS_E_RDLENGTH, start);
	if (end > start) {
		rr->rd.txt.data = nl_memdup(p, end - start);
		if (rr->rd.txt.data == NULL)
			return NL_ENOMEM;
	}
	rr->rd.txt.len = (uint16_t)(end - start);
	rr->rd.txt.count = count;
	return NL_OK;
}

/* RDATA by kind; the reader starts at RDATA and must finish at end. */
static enum nl_status
parse_rdata(struct nl_rbuf *r, size_t end, struct dns_rr *rr,
    size_t rdlen_at, struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r);
	struct dns_rr_spans *at = &rr->at;
	union dns_rdata *rd = &rr->rd;
	const uint8_t *p;
	enum nl_status st = NL_OK;

	switch (dns_rr_kind(rr->type, rr->class)) {
	case DNS_RD_A:
		if (end - start != 4)
			return dns_fail(err, DNS_E_A_LEN, rdlen_at);
		(void)nl_rbuf_bytes(r, rd->a, 4);
		at->rdf[at->nrdf++] = span(start, end);
		break;
	case DNS_RD_AAAA:
		if (end - start != 16)
			return dns_fail(err, DNS_E_AAAA_LEN, rdlen_at);
		(void)nl_rbuf_bytes(r, rd->aaaa, 16);
		at->rdf[at->nrdf++] = span(start, end);
		break;
	case DNS_RD_NAME:
		st = parse_rd_name(r, end, &rd->name, at, err);
		break;
	case DNS_RD_MX:
		st = parse_rd_u16(r, end, &rd->mx.preference, at, err);
		if (st == NL_OK)
			st = parse_rd_name(r, end, &rd->mx.exchange, at, err);
		break;
	case DNS_RD_SOA:
		st = parse_rd_name(r, end, &rd->soa.mname, at, err);
		if (st == NL_OK)
			st = parse_rd_name(r, end, &rd->soa.rname, at, err);
		if (st == NL_OK)
			st = parse_rd_u32(r, end, &rd->soa.serial, at, err);
		if (st == NL_OK)
			st = parse_rd_u32(r, end, &rd->soa.refresh, at, err);
		if (st == NL_OK)
			st = parse_rd_u32(r, end, &rd->soa.retry, at, err);
		if (st == NL_OK)
			st = parse_rd_u32(r, end, &rd->soa.expire, at, err);
		if (st == NL_OK)
			st = parse_rd_u32(r, end, &rd->soa.minimum, at, err);
		break;
	case DNS_RD_TXT:
		st = parse_txt(r, end, rr, err);
		break;
	case DNS_RD_OPAQUE:
		p = nl_rbuf_take(r, end - start);
		if (NL_NEVER(p == NULL))
			return dns_fail(err, DNS_E_RDLENGTH, rdlen_at);
		if (end > start) {
			rd->opaque.data = nl_memdup(p, end - start);
			if (rd->opaque.data == NULL)
				return NL_ENOMEM;
		}
		rd->opaque.len = (uint16_t)(end - start);
		break;
	}
	if (st != NL_OK)
		return st;
	if (nl_rbuf_pos(r) != end)
		return dns_fail(err, DNS_E_RDATA_LONG, nl_rbuf_pos(r));
	return NL_OK;
}

/* Resource record (4.1.3):
 *
 * | NAME | TYPE (16) | CLASS (16) | TTL (32) | RDLENGTH (16) | RDATA |
 *
 * Fills rr in place: the caller has counted it in its section already,
 * so whatever RDATA got allocated is freed with the message. */
static enum nl_status
parse_rr(struct nl_rbuf *r, struct dns_rr *rr, enum dns_err count_err,
    struct dns_perr *err)
{
	size_t start = nl_rbuf_pos(r), len = start + nl_rbuf_left(r), mid;
	uint16_t rdlen;
	enum nl_status st;

	if (nl_rbuf_left(r) == 0)
		return dns_fail(err, count_err, start);
	st = dns_name_read(r, len, DNS_E_NAME_END, &rr->name, err);
	if (st != NL_OK)
		return st;
	mid = nl_rbuf_pos(r);
	if (nl_rbuf_left(r) < 10)
		return dns_fail(err, DNS_E_RR, mid);
	(void)nl_rbuf_u16(r, &rr->type);
	(void)nl_rbuf_u16(r, &rr->class);
	(void)nl_rbuf_u32(r, &rr->ttl);
	(void)nl_rbuf_u16(r, &rdlen);
	rr->at.name = span(start, mid);
	rr->at.type = span(mid, mid + 2);
	rr->at.class = span(mid + 2, mid + 4);
	rr->at.ttl = span(mid + 4, mid + 8);
	rr->at.rdlength = span(mid + 8, mid + 10);
	if (rdlen > nl_rbuf_left(r))
		return dns_fail(err, DNS_E_RDLENGTH, mid + 8);
	rr->at.rdata = span(mid + 10, mid + 10 + rdlen);
	rr->at.all = span(start, mid + 10 + rdlen);
	return parse_rdata(r, mid + 10 + rdlen, rr, mid + 8, err);
}

/* Checks that count entries of at least min octets can fit in what is
 * left; the check that bounds what a parse allocates. */
static int
fits(const struct nl_rbuf *r, size_t count, size_t min)
{
	return count <= nl_rbuf_left(r) / min;
}

enum nl_status
dns_msg_parse(const void *data, size_t len, struct dns_msg **out,
    struct dns_perr *err)
{
	static const enum dns_err count_err[DNS_SECTION_COUNT] = {
		DNS_E_ANCOUNT, DNS_E_NSCOUNT, DNS_E_ARCOUNT
	};
	struct dns_perr local;
	struct nl_rbuf r;
	struct dns_msg *m;
	uint16_t counts[4];
	size_t need;
	enum nl_status st;
	int s;

	if (err == NULL)
		err = &local;
	err->code = DNS_E_NONE;
	err->off = 0;
	*out = NULL;
	if (len > DNS_MSG_MAX)
		return dns_fail(err, DNS_E_MSG_TOO_LONG, DNS_MSG_MAX);
	m = dns_msg_new();
	if (m == NULL)
		return NL_ENOMEM;
	nl_rbuf_init(&r, data, len);
	st = parse_header(&r, &m->hdr, counts, err);
	if (st != NL_OK)
		goto fail;

	if (!fits(&r, counts[0], MIN_QUESTION)) {
		st = dns_fail(err, DNS_E_QDCOUNT, 4);
		goto fail;
	}
	if (counts[0] > 0) {
		m->qd = nl_calloc(counts[0], sizeof *m->qd);
		if (m->qd == NULL) {
			st = NL_ENOMEM;
			goto fail;
		}
		m->qdcap = counts[0];
	}
	while (m->qdcount < counts[0]) {
		st = parse_question(&r, &m->qd[m->qdcount], err);
		if (st != NL_OK)
			goto fail;
		m->qdcount++;
	}

	/* Bound the three record counts together before allocating. */
	need = 0;
	for (s = 0; s < DNS_SECTION_COUNT; s++) {
		need += counts[1 + s];
		if (!fits(&r, need, MIN_RR)) {
			st = dns_fail(err, count_err[s], 6 + 2 * (size_t)s);
			goto fail;
		}
	}
	for (s = 0; s < DNS_SECTION_COUNT; s++) {
		struct dns_rrs *l = &m->sec[s];

		if (counts[1 + s] == 0)
			continue;
		l->rr = nl_calloc(counts[1 + s], sizeof *l->rr);
		if (l->rr == NULL) {
			st = NL_ENOMEM;
			goto fail;
		}
		l->cap = counts[1 + s];
	}
	for (s = 0; s < DNS_SECTION_COUNT; s++) {
		struct dns_rrs *l = &m->sec[s];

		while (l->count < counts[1 + s]) {
			/* Counted first: a failure halfway through RDATA
			 * leaves nothing unfreed. */
			st = parse_rr(&r, &l->rr[l->count++], count_err[s],
			    err);
			if (st != NL_OK)
				goto fail;
		}
	}

	if (nl_rbuf_left(&r) != 0) {
		st = dns_fail(err, DNS_E_TRAILING, nl_rbuf_pos(&r));
		goto fail;
	}
	m->wire_len = len;
	*out = m;
	return NL_OK;
fail:
	if (st == NL_ENOMEM) {
		err->code = DNS_E_NONE;
		err->off = 0;
	}
	dns_msg_free(m);
	return st;
}
