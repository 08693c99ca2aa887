/* dns_write.c - DNS message to wire format, RFC 1035 section 4.1, with
 * name compression (4.1.4). Mirrors dns_parse.c function for function;
 * names and the compression table are in dns_name.c. */
#include "proto/dns/dns_int.h"
#include "proto/dns/dns_msg.h"
#include "util/nl.h"

/* Header (4.1.1); the figure is above parse_header in dns_parse.c. */
static enum nl_status
write_header(struct nl_dbuf *out, const struct dns_msg *m)
{
	const struct dns_hdr *h = &m->hdr;
	uint16_t flags;
	enum nl_status st;
	int s;

	if (h->opcode > 15 || h->rcode > 15)
		return NL_EINVAL;
	flags = (uint16_t)((h->qr != 0) << 15 | h->opcode << 11 |
	    (h->aa != 0) << 10 | (h->tc != 0) << 9 | (h->rd != 0) << 8 |
	    (h->ra != 0) << 7 | (h->z != 0) << 6 | (h->ad != 0) << 5 |
	    (h->cd != 0) << 4 | h->rcode);
	st = nl_dbuf_add_u16(out, h->id);
	if (st == NL_OK)
		st = nl_dbuf_add_u16(out, flags);
	if (st == NL_OK)
		st = nl_dbuf_add_u16(out, m->qdcount);
	for (s = 0; s < DNS_SECTION_COUNT && st == NL_OK; s++)
		st = nl_dbuf_add_u16(out, m->sec[s].count);
	return st;
}

/* Question (4.1.2): QNAME, QTYPE, QCLASS. */
static enum nl_status
write_question(struct dns_wctx *w, const struct dns_question *q)
{
	enum nl_status st = dns_name_write(w, &q->name, 1);

	if (st == NL_OK)
		st = nl_dbuf_add_u16(w->out, q->type);
	if (st == NL_OK)
		st = nl_dbuf_add_u16(w->out, q->class);
	return st;
}

/* TXT data must be the strings it claims, back to back. */
static int
txt_valid(const struct dns_rr *rr)
{
	size_t pos = 0, count = 0, len = rr->rd.txt.len;

	if (len > 0 && rr->rd.txt.data == NULL)
		return 0;
	while (pos < len) {
		pos += 1u + rr->rd.txt.data[pos];
		count++;
	}
	return pos == len && count == rr->rd.txt.count;
}

/* RDATA by kind. Names compress only in the types of RFC 1035 itself
 * (RFC 3597 section 4: never in types defined later, nor unknown ones,
 * which stay opaque here). */
static enum nl_status
write_rdata(struct dns_wctx *w, const struct dns_rr *rr)
{
	const union dns_rdata *rd = &rr->rd;
	struct nl_dbuf *out = w->out;
	enum nl_status st = NL_OK;

	switch (dns_rr_kind(rr->type, rr->class)) {
	case DNS_RD_A:
		return nl_dbuf_add(out, rd->a, 4);
	case DNS_RD_AAAA:
		return nl_dbuf_add(out, rd->aaaa, 16);
	case DNS_RD_NAME:
		return dns_name_write(w, &rd->name, 1);
	case DNS_RD_MX:
		st = nl_dbuf_add_u16(out, rd->mx.preference);
		if (st == NL_OK)
			st = dns_name_write(w, &rd->mx.exchange, 1);
		return st;
	case DNS_RD_SOA:
		st = dns_name_write(w, &rd->soa.mname, 1);
		if (st == NL_OK)
			st = dns_name_write(w, &rd->soa.rname, 1);
		if (st == NL_OK)
			st = nl_dbuf_add_u32(out, rd->soa.serial);
		if (st == NL_OK)
			st = nl_dbuf_add_u32(out, rd->soa.refresh);
		if (st == NL_OK)
			st = nl_dbuf_add_u32(out, rd->soa.retry);
		if (st == NL_OK)
			st = nl_dbuf_add_u32(out, rd->soa.expire);
		if (st == NL_OK)
			st = nl_dbuf_add_u32(out, rd->soa.minimum);
		return st;
	case DNS_RD_TXT:
		if (!txt_valid(rr))
			return NL_EINVAL;
		return nl_dbuf_add(out, rd->txt.data, rd->txt.len);
	case DNS_RD_OPAQUE:
		if (rd->opaque.len > 0 && rd->opaque.data == NULL)
			return NL_EINVAL;
		return nl_dbuf_add(out, rd->opaque.data, rd->opaque.len);
	}
	return NL_EINVAL;
}

/* Resource record (4.1.3); RDLENGTH is patched in once RDATA, whose
 * names may compress, is written. */
static enum nl_status
write_rr(struct dns_wctx *w, const struct dns_rr *rr)
{
	size_t rdlen_at, rdlen;
	enum nl_status st = dns_name_write(w, &rr->name, 1);

	if (st == NL_OK)
		st = nl_dbuf_add_u16(w->out, rr->type);
	if (st == NL_OK)
		st = nl_dbuf_add_u16(w->out, rr->class);
	if (st == NL_OK)
		st = nl_dbuf_add_u32(w->out, rr->ttl);
	rdlen_at = w->out->len;
	if (st == NL_OK)
		st = nl_dbuf_add_u16(w->out, 0);
	if (st == NL_OK)
		st = write_rdata(w, rr);
	if (st != NL_OK)
		return st;
	rdlen = w->out->len - rdlen_at - 2;
	if (rdlen > UINT16_MAX)
		return NL_ELIMIT;
	return nl_dbuf_put_u16(w->out, rdlen_at, (uint16_t)rdlen);
}

enum nl_status
dns_msg_write(const struct dns_msg *m, struct nl_dbuf *out)
{
	struct dns_wctx w;
	enum nl_status st;
	uint16_t i;
	int s;

	dns_wctx_init(&w, out);
	st = write_header(out, m);
	for (i = 0; i < m->qdcount && st == NL_OK; i++) {
		st = write_question(&w, &m->qd[i]);
		if (st == NL_OK && out->len - w.base > DNS_MSG_MAX)
			st = NL_ELIMIT;
	}
	for (s = 0; s < DNS_SECTION_COUNT && st == NL_OK; s++) {
		for (i = 0; i < m->sec[s].count && st == NL_OK; i++) {
			st = write_rr(&w, &m->sec[s].rr[i]);
			/* Stop as soon as the message cannot be sent. */
			if (st == NL_OK && out->len - w.base > DNS_MSG_MAX)
				st = NL_ELIMIT;
		}
	}
	dns_wctx_free(&w);
	if (st != NL_OK)
		nl_dbuf_free(out);
	return st;
}
