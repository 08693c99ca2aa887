/* dns_msg.c - struct dns_msg: life cycle, building, equality.
 * The wire format is in dns_parse.c and dns_write.c, the text forms in
 * dns_str.c. */
#include <string.h>

#include "proto/dns/dns_msg.h"
#include "util/alloc.h"

struct dns_msg *
dns_msg_new(void)
{
	return nl_calloc(1, sizeof(struct dns_msg));
}

enum dns_rdkind
dns_rr_kind(uint16_t type, uint16_t class)
{
	if (class == DNS_C_NONE || class == DNS_C_ANY)
		return DNS_RD_OPAQUE;
	switch (type) {
	case DNS_T_A:
		return class == DNS_C_IN ? DNS_RD_A : DNS_RD_OPAQUE;
	case DNS_T_AAAA:
		return class == DNS_C_IN ? DNS_RD_AAAA : DNS_RD_OPAQUE;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		return DNS_RD_NAME;
	case DNS_T_MX:
		return DNS_RD_MX;
	case DNS_T_SOA:
		return DNS_RD_SOA;
	case DNS_T_TXT:
		return DNS_RD_TXT;
	default:
		return DNS_RD_OPAQUE;
	}
}

/* Frees what an RR owns. */
static void
rr_clear(struct dns_rr *rr)
{
	switch (dns_rr_kind(rr->type, rr->class)) {
	case DNS_RD_TXT:
		nl_free(rr->rd.txt.data);
		rr->rd.txt.data = NULL;
		break;
	case DNS_RD_OPAQUE:
		nl_free(rr->rd.opaque.data);
		rr->rd.opaque.data = NULL;
		break;
	case DNS_RD_A:
	case DNS_RD_AAAA:
	case DNS_RD_NAME:
	case DNS_RD_MX:
	case DNS_RD_SOA:
		break;
	}
}

void
dns_msg_free(struct dns_msg *m)
{
	int s;
	uint16_t i;

	if (m == NULL)
		return;
	for (s = 0; s < DNS_SECTION_COUNT; s++) {
		for (i = 0; i < m->sec[s].count; i++)
			rr_clear(&m->sec[s].rr[i]);
		nl_free(m->sec[s].rr);
	}
	nl_free(m->qd);
	nl_free(m);
}

/* Makes room for one more element in an array of cap elements of size
 * sz, at most 65535. NL_ENOMEM, NL_ELIMIT. */
static enum nl_status
grow(void **arr, uint16_t count, uint16_t *cap, size_t sz)
{
	size_t ncap;
	void *p;

	if (count < *cap)
		return NL_OK;
	if (count == UINT16_MAX)
		return NL_ELIMIT;
	/* From one: a record is 864 bytes (names inline), most sections
	 * hold one, and one fits malloc's small-block caches where four
	 * (3.4 KB) do not; building answers was a third malloc. */
	ncap = *cap ? (size_t)*cap * 2 : 1;
	if (ncap > UINT16_MAX)
		ncap = UINT16_MAX;
	p = nl_realloc(*arr, ncap * sz);
	if (p == NULL)
		return NL_ENOMEM;
	memset((char *)p + (size_t)*cap * sz, 0, (ncap - *cap) * sz);
	*arr = p;
	*cap = (uint16_t)ncap;
	return NL_OK;
}

enum nl_status
dns_msg_add_question(struct dns_msg *m, const struct dns_name *name,
    uint16_t type, uint16_t class)
{
	void *arr = m->qd;
	struct dns_question *q;
	enum nl_status st;

	st = grow(&arr, m->qdcount, &m->qdcap, sizeof *q);
	m->qd = arr;
	if (st != NL_OK)
		return st;
	q = &m->qd[m->qdcount++];
	memset(q, 0, sizeof *q);
	q->name = *name;
	q->type = type;
	q->class = class;
	return NL_OK;
}

struct dns_rr *
dns_msg_add_rr(struct dns_msg *m, enum dns_section s,
    const struct dns_name *name, uint16_t type, uint16_t class,
    uint32_t ttl)
{
	struct dns_rrs *l = &m->sec[s];
	void *arr = l->rr;
	struct dns_rr *rr;

	if (grow(&arr, l->count, &l->cap, sizeof *rr) != NL_OK) {
		l->rr = arr;
		return NULL;
	}
	l->rr = arr;
	rr = &l->rr[l->count++];
	memset(rr, 0, sizeof *rr);
	rr->name = *name;
	rr->type = type;
	rr->class = class;
	rr->ttl = ttl;
	return rr;
}

enum nl_status
dns_rr_txt_add(struct dns_rr *rr, const void *s, size_t n)
{
	size_t len = rr->rd.txt.len;
	uint8_t *p;

	if (n > 255 || len + 1 + n > UINT16_MAX)
		return NL_ELIMIT;
	p = nl_realloc(rr->rd.txt.data, len + 1 + n);
	if (p == NULL)
		return NL_ENOMEM;
	p[len] = (uint8_t)n;
	if (n > 0)
		memcpy(p + len + 1, s, n);
	rr->rd.txt.data = p;
	rr->rd.txt.len = (uint16_t)(len + 1 + n);
	rr->rd.txt.count++;
	return NL_OK;
}

enum nl_status
dns_rr_set_opaque(struct dns_rr *rr, const void *p, size_t n)
{
	uint8_t *copy = NULL;

	if (n > UINT16_MAX)
		return NL_ELIMIT;
	if (n > 0) {
		copy = nl_memdup(p, n);
		if (copy == NULL)
			return NL_ENOMEM;
	}
	nl_free(rr->rd.opaque.data);
	rr->rd.opaque.data = copy;
	rr->rd.opaque.len = (uint16_t)n;
	return NL_OK;
}

/* Names are the same as DNS sees them: ASCII case ignored (RFC 4343),
 * which compression does not keep either (a suffix takes the case of
 * its first occurrence). */
static int
name_same(const struct dns_name *a, const struct dns_name *b)
{
	return dns_name_eq(a, b);
}

static int
bytes_same(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static int
rdata_same(const struct dns_rr *a, const struct dns_rr *b)
{
	const union dns_rdata *x = &a->rd, *y = &b->rd;

	switch (dns_rr_kind(a->type, a->class)) {
	case DNS_RD_A:
		return memcmp(x->a, y->a, 4) == 0;
	case DNS_RD_AAAA:
		return memcmp(x->aaaa, y->aaaa, 16) == 0;
	case DNS_RD_NAME:
		return name_same(&x->name, &y->name);
	case DNS_RD_MX:
		return x->mx.preference == y->mx.preference &&
		    name_same(&x->mx.exchange, &y->mx.exchange);
	case DNS_RD_SOA:
		return name_same(&x->soa.mname, &y->soa.mname) &&
		    name_same(&x->soa.rname, &y->soa.rname) &&
		    x->soa.serial == y->soa.serial &&
		    x->soa.refresh == y->soa.refresh &&
		    x->soa.retry == y->soa.retry &&
		    x->soa.expire == y->soa.expire &&
		    x->soa.minimum == y->soa.minimum;
	case DNS_RD_TXT:
		return x->txt.count == y->txt.count &&
		    bytes_same(x->txt.data, x->txt.len, y->txt.data,
			y->txt.len);
	case DNS_RD_OPAQUE:
		return bytes_same(x->opaque.data, x->opaque.len,
		    y->opaque.data, y->opaque.len);
	}
	return 0;
}

int
dns_msg_eq(const struct dns_msg *a, const struct dns_msg *b)
{
	const struct dns_hdr *x = &a->hdr, *y = &b->hdr;
	uint16_t i;
	int s;

	if (x->id != y->id || x->qr != y->qr || x->opcode != y->opcode ||
	    x->aa != y->aa || x->tc != y->tc || x->rd != y->rd ||
	    x->ra != y->ra || x->z != y->z || x->ad != y->ad ||
	    x->cd != y->cd || x->rcode != y->rcode)
		return 0;
	if (a->qdcount != b->qdcount)
		return 0;
	for (i = 0; i < a->qdcount; i++) {
		if (!name_same(&a->qd[i].name, &b->qd[i].name) ||
		    a->qd[i].type != b->qd[i].type ||
		    a->qd[i].class != b->qd[i].class)
			return 0;
	}
	for (s = 0; s < DNS_SECTION_COUNT; s++) {
		if (a->sec[s].count != b->sec[s].count)
			return 0;
		for (i = 0; i < a->sec[s].count; i++) {
			const struct dns_rr *p = &a->sec[s].rr[i];
			const struct dns_rr *q = &b->sec[s].rr[i];

			if (!name_same(&p->name, &q->name) ||
			    p->type != q->type || p->class != q->class ||
			    p->ttl != q->ttl || !rdata_same(p, q))
				return 0;
		}
	}
	return 1;
}
