/* dns_zone.c - zone data and authoritative answers (RFC 1034 4.3.2,
 * RFC 2308 sections 2 and 3), with the record helpers and the text forms
 * a scenario writes records in (RFC 1035 section 5, without relative
 * names: every name is full, the final dot optional, "@" the origin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes/dns_zone.h"
#include "proto/ip/ipv4.h"
#include "util/alloc.h"
#include "util/nl.h"

/* ---- Names ---- */

unsigned
dns_zone_name_labels(const struct dns_name *n)
{
	unsigned k = 0;
	size_t i = 0;

	while (i < n->len && n->wire[i] != 0) {
		i += (size_t)n->wire[i] + 1;
		k++;
	}
	return k;
}

void
dns_zone_name_suffix(const struct dns_name *n, unsigned keep,
    struct dns_name *out)
{
	unsigned skip, labels = dns_zone_name_labels(n);
	size_t i = 0;

	skip = keep < labels ? labels - keep : 0;
	while (skip-- > 0)
		i += (size_t)n->wire[i] + 1;
	out->len = (uint8_t)(n->len - i);
	memmove(out->wire, n->wire + i, out->len);
}

void
dns_zone_name_parent(const struct dns_name *n, struct dns_name *out)
{
	unsigned labels = dns_zone_name_labels(n);

	dns_zone_name_suffix(n, labels > 0 ? labels - 1 : 0, out);
}

int
dns_zone_name_under(const struct dns_name *n, const struct dns_name *zone)
{
	unsigned ln = dns_zone_name_labels(n), lz = dns_zone_name_labels(zone);
	struct dns_name s;

	if (ln < lz)
		return 0;
	dns_zone_name_suffix(n, lz, &s);
	return dns_name_eq(&s, zone);
}

/* ---- Records ---- */

void
dns_zone_rr_clear(struct dns_rr *rr)
{
	dns_zone_rr_drop(rr);
	memset(rr, 0, sizeof *rr);
}

void
dns_zone_rr_drop(struct dns_rr *rr)
{
	switch (dns_rr_kind(rr->type, rr->class)) {
	case DNS_RD_TXT:
		nl_free(rr->rd.txt.data);
		break;
	case DNS_RD_OPAQUE:
		nl_free(rr->rd.opaque.data);
		break;
	case DNS_RD_A:
	case DNS_RD_AAAA:
	case DNS_RD_NAME:
	case DNS_RD_MX:
	case DNS_RD_SOA:
		break;
	}
}

enum nl_status
dns_zone_rr_copy(struct dns_rr *dst, const struct dns_rr *src)
{
	*dst = *src;
	memset(&dst->at, 0, sizeof dst->at);
	switch (dns_rr_kind(src->type, src->class)) {
	case DNS_RD_TXT:
		if (src->rd.txt.len == 0)
			break;
		dst->rd.txt.data = nl_memdup(src->rd.txt.data,
		    src->rd.txt.len);
		if (dst->rd.txt.data == NULL)
			goto nomem;
		break;
	case DNS_RD_OPAQUE:
		if (src->rd.opaque.len == 0)
			break;
		dst->rd.opaque.data = nl_memdup(src->rd.opaque.data,
		    src->rd.opaque.len);
		if (dst->rd.opaque.data == NULL)
			goto nomem;
		break;
	case DNS_RD_A:
	case DNS_RD_AAAA:
	case DNS_RD_NAME:
	case DNS_RD_MX:
	case DNS_RD_SOA:
		break;
	}
	return NL_OK;
nomem:
	memset(dst, 0, sizeof *dst);
	return NL_ENOMEM;
}

static int
bytes_same(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

int
dns_zone_rr_same(const struct dns_rr *a, const struct dns_rr *b)
{
	const union dns_rdata *x = &a->rd, *y = &b->rd;

	if (a->type != b->type || a->class != b->class ||
	    !dns_name_eq(&a->name, &b->name))
		return 0;
	switch (dns_rr_kind(a->type, a->class)) {
	case DNS_RD_A:
		return memcmp(x->a, y->a, 4) == 0;
	case DNS_RD_AAAA:
		return memcmp(x->aaaa, y->aaaa, 16) == 0;
	case DNS_RD_NAME:
		return dns_name_eq(&x->name, &y->name);
	case DNS_RD_MX:
		return x->mx.preference == y->mx.preference &&
		    dns_name_eq(&x->mx.exchange, &y->mx.exchange);
	case DNS_RD_SOA:
		return dns_name_eq(&x->soa.mname, &y->soa.mname) &&
		    dns_name_eq(&x->soa.rname, &y->soa.rname) &&
		    x->soa.serial == y->soa.serial &&
		    x->soa.refresh == y->soa.refresh &&
		    x->soa.retry == y->soa.retry &&
		    x->soa.expire == y->soa.expire &&
		    x->soa.minimum == y->soa.minimum;
	case DNS_RD_TXT:
		return bytes_same(x->txt.data, x->txt.len, y->txt.data,
		    y->txt.len);
	case DNS_RD_OPAQUE:
		return bytes_same(x->opaque.data, x->opaque.len,
		    y->opaque.data, y->opaque.len);
	}
	return 0;
}

const struct dns_name *
dns_zone_rr_target(const struct dns_rr *rr)
{
	switch (dns_rr_kind(rr->type, rr->class)) {
	case DNS_RD_NAME:
		return &rr->rd.name;
	case DNS_RD_MX:
		return &rr->rd.mx.exchange;
	case DNS_RD_A:
	case DNS_RD_AAAA:
	case DNS_RD_SOA:
	case DNS_RD_TXT:
	case DNS_RD_OPAQUE:
		break;
	}
	return NULL;
}

enum nl_status
dns_zone_msg_add(struct dns_msg *m, enum dns_section s,
    const struct dns_rr *src, uint32_t ttl)
{
	struct dns_rr *rr;

	rr = dns_msg_add_rr(m, s, &src->name, src->type, src->class, ttl);
	if (rr == NULL)
		return m->sec[s].count == UINT16_MAX ? NL_ELIMIT : NL_ENOMEM;
	switch (dns_rr_kind(src->type, src->class)) {
	case DNS_RD_TXT:
		if (src->rd.txt.len > 0) {
			rr->rd.txt.data = nl_memdup(src->rd.txt.data,
			    src->rd.txt.len);
			if (rr->rd.txt.data == NULL) {
				m->sec[s].count--;
				return NL_ENOMEM;
			}
		}
		rr->rd.txt.len = src->rd.txt.len;
		rr->rd.txt.count = src->rd.txt.count;
		return NL_OK;
	case DNS_RD_OPAQUE: {
		enum nl_status st = dns_rr_set_opaque(rr, src->rd.opaque.data,
		    src->rd.opaque.len);

		if (st != NL_OK)
			m->sec[s].count--;
		return st;
	}
	case DNS_RD_A:
	case DNS_RD_AAAA:
	case DNS_RD_NAME:
	case DNS_RD_MX:
	case DNS_RD_SOA:
		rr->rd = src->rd;
		break;
	}
	return NL_OK;
}

uint32_t
dns_zone_soa_neg_ttl(const struct dns_rr *soa)
{
	return NL_MIN(soa->ttl, soa->rd.soa.minimum);
}

/* ---- Text ---- */

static const struct {
	const char *name;
	uint16_t type;
	int in_zone;		/* may be a record of a zone's "records" */
} types[] = {
	{ "A", DNS_T_A, 1 },
	{ "AAAA", DNS_T_AAAA, 1 },
	{ "CNAME", DNS_T_CNAME, 1 },
	{ "MX", DNS_T_MX, 1 },
	{ "NS", DNS_T_NS, 1 },
	{ "PTR", DNS_T_PTR, 1 },
	{ "TXT", DNS_T_TXT, 1 },
	{ "SOA", DNS_T_SOA, 0 },
};

const char *
dns_zone_type_name(size_t i)
{
	return i < NL_ARRAY_LEN(types) && types[i].in_zone ? types[i].name :
	    NULL;
}

enum nl_status
dns_zone_type_parse(const char *s, uint16_t *type)
{
	size_t i;

	*type = 0;
	for (i = 0; i < NL_ARRAY_LEN(types); i++) {
		if (strcmp(types[i].name, s) == 0) {
			*type = types[i].type;
			return NL_OK;
		}
	}
	return NL_ENOTFOUND;
}

/* Characters a scenario's names may hold. */
static int
host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '*';
}

enum nl_status
dns_zone_name_read(const char *s, const struct dns_name *origin,
    struct dns_name *out, char *why, size_t whylen)
{
	struct dns_perr err;
	const char *p;

	out->len = 1;
	out->wire[0] = 0;
	if (strcmp(s, "@") == 0) {
		if (origin == NULL) {
			snprintf(why, whylen, "\"@\" (the origin) works only "
			    "inside a zone");
			return NL_EMALFORMED;
		}
		*out = *origin;
		return NL_OK;
	}
	if (*s == '\0') {
		snprintf(why, whylen, "the name is empty (the root is \".\")");
		return NL_EMALFORMED;
	}
	for (p = s; *p != '\0'; p++) {
		if (!host_char(*p)) {
			snprintf(why, whylen, "a name holds letters, digits, "
			    "'-' and '_' between dots, not '%c'",
			    *p >= 0x20 && *p < 0x7f ? *p : '?');
			return NL_EMALFORMED;
		}
	}
	if (dns_name_from_str(s, out, &err) != NL_OK) {
		if (err.code == DNS_E_EMPTY_LABEL)
			snprintf(why, whylen, "an empty label (two dots in a "
			    "row, or a dot at the start)");
		else
			snprintf(why, whylen, "%s", dns_err_str(err.code));
		return NL_EMALFORMED;
	}
	return NL_OK;
}

/* A hex digit's value, -1 for anything else. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 4291 2.2 text form: eight groups, "::" once, a dotted quad last. */
static enum nl_status
aaaa_parse(const char *s, uint8_t out[16])
{
	uint16_t g[8];
	int n = 0, gap = -1, i;
	const char *p = s;

	memset(out, 0, 16);
	if (p[0] == ':' && p[1] == ':') {
		gap = 0;
		p += 2;
	}
	while (*p != '\0') {
		const char *q = p;
		unsigned v = 0;
		int digits = 0;
		uint32_t a4;

		if (n == 8)
			return NL_EMALFORMED;
		while (hexval(*q) >= 0 && digits < 5) {
			v = v * 16 + (unsigned)hexval(*q++);
			digits++;
		}
		if (*q == '.') {
			/* The last 32 bits as a dotted quad. */
			if (n > 6 || ipv4_addr_parse(p, &a4) != NL_OK)
				return NL_EMALFORMED;
			g[n++] = (uint16_t)(a4 >> 16);
			g[n++] = (uint16_t)a4;
			p += strlen(p);
			break;
		}
		if (digits == 0 || digits > 4)
			return NL_EMALFORMED;
		g[n++] = (uint16_t)v;
		p = q;
		if (*p == '\0')
			break;
		if (*p != ':')
			return NL_EMALFORMED;
		p++;
		if (*p == ':') {
			if (gap >= 0)
				return NL_EMALFORMED;
			gap = n;
			p++;
		} else if (*p == '\0') {
			return NL_EMALFORMED;
		}
	}
	if ((gap < 0 && n != 8) || (gap >= 0 && n > 7))
		return NL_EMALFORMED;
	for (i = 0; i < n; i++) {
		int at = gap >= 0 && i >= gap ? 8 - (n - i) : i;

		out[2 * at] = (uint8_t)(g[i] >> 8);
		out[2 * at + 1] = (uint8_t)g[i];
	}
	return NL_OK;
}

enum nl_status
dns_zone_rdata_read(struct dns_rr *rr, const char *data,
    const struct dns_name *origin, char *why, size_t whylen)
{
	uint32_t a;
	size_t len, off;
	unsigned long pref;
	char *end;
	enum nl_status st;

	switch (rr->type) {
	case DNS_T_A:
		if (ipv4_addr_parse(data, &a) != NL_OK) {
			snprintf(why, whylen, "expected an IPv4 address like "
			    "\"128.119.245.12\"");
			return NL_EMALFORMED;
		}
		rr->rd.a[0] = (uint8_t)(a >> 24);
		rr->rd.a[1] = (uint8_t)(a >> 16);
		rr->rd.a[2] = (uint8_t)(a >> 8);
		rr->rd.a[3] = (uint8_t)a;
		return NL_OK;
	case DNS_T_AAAA:
		if (aaaa_parse(data, rr->rd.aaaa) != NL_OK) {
			snprintf(why, whylen, "expected an IPv6 address like "
			    "\"2001:db8::1\"");
			return NL_EMALFORMED;
		}
		return NL_OK;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		if (dns_zone_name_read(data, origin, &rr->rd.name, why,
		    whylen) != NL_OK)
			return NL_EMALFORMED;
		if (rr->rd.name.len == 1) {
			snprintf(why, whylen, "expected a host name, not the "
			    "root");
			return NL_EMALFORMED;
		}
		return NL_OK;
	case DNS_T_MX:
		if (*data < '0' || *data > '9' ||
		    (pref = strtoul(data, &end, 10)) > 65535 || *end != ' ') {
			snprintf(why, whylen, "expected a preference and a mail "
			    "server like \"10 mail.example.com\"");
			return NL_EMALFORMED;
		}
		while (*end == ' ')
			end++;
		rr->rd.mx.preference = (uint16_t)pref;
		if (dns_zone_name_read(end, origin, &rr->rd.mx.exchange, why,
		    whylen) != NL_OK)
			return NL_EMALFORMED;
		return NL_OK;
	case DNS_T_TXT:
		len = strlen(data);
		if (len > 4000) {
			snprintf(why, whylen, "expected at most 4000 "
			    "characters of text");
			return NL_EMALFORMED;
		}
		/* Character-strings of at most 255 octets (RFC 1035
		 * 3.3.14); an empty text is one empty string. */
		off = 0;
		do {
			size_t k = NL_MIN(len - off, (size_t)255);

			st = dns_rr_txt_add(rr, data + off, k);
			if (st != NL_OK) {
				snprintf(why, whylen, "%s", nl_status_str(st));
				return st;
			}
			off += k;
		} while (off < len);
		return NL_OK;
	default:
		snprintf(why, whylen, "records of this type cannot be written "
		    "as text here");
		return NL_EMALFORMED;
	}
}

/* ---- Zones ---- */

struct dns_zone *
dns_zone_new(const struct dns_name *origin, uint32_t ttl,
    const struct dns_rr *soa)
{
	struct dns_zone *z = nl_calloc(1, sizeof *z);

	if (z == NULL)
		return NULL;
	z->origin = *origin;
	z->ttl = ttl;
	z->soa = *soa;
	memset(&z->soa.at, 0, sizeof z->soa.at);
	z->soa.name = *origin;
	z->soa.type = DNS_T_SOA;
	z->soa.class = DNS_C_IN;
	return z;
}

void
dns_zone_free(struct dns_zone *z)
{
	size_t i;

	if (z == NULL)
		return;
	for (i = 0; i < z->n; i++)
		dns_zone_rr_clear(&z->rr[i]);
	nl_free(z->rr);
	nl_free(z->turn);
	nl_free(z);
}

enum nl_status
dns_zone_add(struct dns_zone *z, const struct dns_rr *rr)
{
	size_t i;

	if (rr->type == DNS_T_SOA || !dns_zone_name_under(&rr->name,
	    &z->origin))
		return NL_EINVAL;
	for (i = 0; i < z->n; i++)
		if (dns_zone_rr_same(&z->rr[i], rr))
			return NL_EEXIST;
	if (z->n == DNS_ZONE_RECORDS_MAX)
		return NL_ELIMIT;
	if (z->n == z->cap) {
		size_t ncap = z->cap ? z->cap * 2 : 16;
		struct dns_rr *nv = nl_realloc(z->rr, ncap * sizeof *nv);

		if (nv == NULL)
			return NL_ENOMEM;
		z->rr = nv;
		z->cap = ncap;
	}
	if (dns_zone_rr_copy(&z->rr[z->n], rr) != NL_OK)
		return NL_ENOMEM;
	z->n++;
	return NL_OK;
}

void
dns_zone_remove_at(struct dns_zone *z, size_t i)
{
	if (NL_NEVER(i >= z->n))
		return;
	dns_zone_rr_clear(&z->rr[i]);
	memmove(&z->rr[i], &z->rr[i + 1], (z->n - i - 1) * sizeof *z->rr);
	z->n--;
}

size_t
dns_zone_delete(struct dns_zone *z, const struct dns_name *name,
    uint16_t type, const struct dns_rr *match)
{
	size_t i = 0, gone = 0;

	while (i < z->n) {
		struct dns_rr *rr = &z->rr[i];

		if (rr->type == type && dns_name_eq(&rr->name, name) &&
		    (match == NULL || dns_zone_rr_same(rr, match))) {
			dns_zone_remove_at(z, i);
			gone++;
			continue;
		}
		i++;
	}
	return gone;
}

int
dns_zone_cname_conflict(const struct dns_zone *z, const struct dns_rr *rr)
{
	size_t i;

	if (rr->type == DNS_T_CNAME && dns_name_eq(&rr->name, &z->origin))
		return 1;	/* the apex holds the SOA */
	for (i = 0; i < z->n; i++) {
		const struct dns_rr *o = &z->rr[i];

		if (!dns_name_eq(&o->name, &rr->name) ||
		    dns_zone_rr_same(o, rr))
			continue;
		if (rr->type == DNS_T_CNAME || o->type == DNS_T_CNAME)
			return 1;
	}
	return 0;
}

void
dns_zone_bump_serial(struct dns_zone *z)
{
	z->soa.rd.soa.serial++;
}

struct dns_zone *
dns_zones_find(struct dns_zone *const *zones, size_t n,
    const struct dns_name *name)
{
	struct dns_zone *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (dns_zone_name_under(name, &zones[i]->origin) &&
		    (best == NULL || zones[i]->origin.len > best->origin.len))
			best = zones[i];
	return best;
}

const struct dns_name *
dns_zone_cut(const struct dns_zone *z, const struct dns_name *name)
{
	const struct dns_name *best = NULL;
	size_t i;

	for (i = 0; i < z->n; i++) {
		const struct dns_rr *rr = &z->rr[i];

		if (rr->type != DNS_T_NS || dns_name_eq(&rr->name, &z->origin) ||
		    !dns_zone_name_under(name, &rr->name))
			continue;
		if (best == NULL || dns_zone_name_labels(&rr->name) <
		    dns_zone_name_labels(best))
			best = &rr->name;
	}
	return best;
}

/* The rotation counter of (name, type), made on first use; NULL when out
 * of memory (the answer then goes out unrotated). */
static struct dns_zone_turn *
turn_of(struct dns_zone *z, const struct dns_name *name, uint16_t type)
{
	size_t i;

	for (i = 0; i < z->nturn; i++)
		if (z->turn[i].type == type && dns_name_eq(&z->turn[i].name,
		    name))
			return &z->turn[i];
	if (z->nturn == z->turncap) {
		size_t ncap = z->turncap ? z->turncap * 2 : 4;
		struct dns_zone_turn *nv = nl_realloc(z->turn,
		    ncap * sizeof *nv);

		if (nv == NULL)
			return NULL;
		z->turn = nv;
		z->turncap = ncap;
	}
	z->turn[z->nturn].name = *name;
	z->turn[z->nturn].type = type;
	z->turn[z->nturn].next = 0;
	return &z->turn[z->nturn++];
}

/* 1 if the message has this record in section s already. */
static int
msg_has(const struct dns_msg *m, enum dns_section s, const struct dns_rr *rr)
{
	uint16_t i;

	for (i = 0; i < m->sec[s].count; i++)
		if (dns_zone_rr_same(&m->sec[s].rr[i], rr))
			return 1;
	return 0;
}

/* Adds the records of (name, type) to section s, rotated for A and AAAA;
 * type ANY takes every record of the name. *count gets how many. */
static enum nl_status
add_rrset(struct dns_zone *z, struct dns_msg *m, enum dns_section s,
    const struct dns_name *name, uint16_t type, size_t *count)
{
	size_t idx[64], k = 0, i, start = 0;
	enum nl_status st = NL_OK;

	*count = 0;
	if (type == DNS_T_SOA || type == DNS_T_ANY) {
		if (dns_name_eq(name, &z->origin)) {
			st = dns_zone_msg_add(m, s, &z->soa, z->soa.ttl);
			if (st != NL_OK)
				return st;
			(*count)++;
		}
		if (type == DNS_T_SOA)
			return NL_OK;
	}
	for (i = 0; i < z->n && k < NL_ARRAY_LEN(idx); i++)
		if ((type == DNS_T_ANY || z->rr[i].type == type) &&
		    dns_name_eq(&z->rr[i].name, name))
			idx[k++] = i;
	if (k > 1 && (type == DNS_T_A || type == DNS_T_AAAA)) {
		struct dns_zone_turn *t = turn_of(z, name, type);

		if (t != NULL)
			start = t->next++ % k;
	}
	for (i = 0; i < k && st == NL_OK; i++) {
		const struct dns_rr *rr = &z->rr[idx[(start + i) % k]];

		st = dns_zone_msg_add(m, s, rr, rr->ttl);
	}
	if (st == NL_OK)
		*count += k;
	return st;
}

/* The addresses this zone holds for name into ADDITIONAL (glue, or the
 * address of an NS or MX target), A before AAAA, each once. */
static enum nl_status
add_addresses(struct dns_zone *z, struct dns_msg *m,
    const struct dns_name *name)
{
	static const uint16_t kinds[] = { DNS_T_A, DNS_T_AAAA };
	enum nl_status st = NL_OK;
	size_t i, j;

	for (j = 0; j < NL_ARRAY_LEN(kinds); j++)
		for (i = 0; i < z->n && st == NL_OK; i++)
			if (z->rr[i].type == kinds[j] &&
			    dns_name_eq(&z->rr[i].name, name) &&
			    !msg_has(m, DNS_S_ADDITIONAL, &z->rr[i]))
				st = dns_zone_msg_add(m, DNS_S_ADDITIONAL,
				    &z->rr[i], z->rr[i].ttl);
	return st;
}

/* 1 if the name owns a record in z or has one below it (an empty
 * non-terminal exists too, RFC 8020). */
static int
name_exists(const struct dns_zone *z, const struct dns_name *name)
{
	size_t i;

	if (dns_name_eq(name, &z->origin))
		return 1;
	for (i = 0; i < z->n; i++)
		if (dns_zone_name_under(&z->rr[i].name, name))
			return 1;
	return 0;
}

/* A referral to the servers of cut: their NS records in AUTHORITY and
 * the addresses the zone has for them in ADDITIONAL. */
static enum nl_status
add_referral(struct dns_zone *z, struct dns_msg *m,
    const struct dns_name *cut)
{
	enum nl_status st = NL_OK;
	size_t i;

	for (i = 0; i < z->n && st == NL_OK; i++)
		if (z->rr[i].type == DNS_T_NS &&
		    dns_name_eq(&z->rr[i].name, cut))
			st = dns_zone_msg_add(m, DNS_S_AUTHORITY, &z->rr[i],
			    z->rr[i].ttl);
	for (i = 0; i < z->n && st == NL_OK; i++)
		if (z->rr[i].type == DNS_T_NS &&
		    dns_name_eq(&z->rr[i].name, cut))
			st = add_addresses(z, m, &z->rr[i].rd.name);
	return st;
}

enum nl_status
dns_zones_answer(struct dns_zone *const *zones, size_t nzones,
    const struct dns_name *qname, uint16_t qtype, struct dns_msg *resp,
    enum dns_zone_res *res)
{
	struct dns_zone *z = dns_zones_find(zones, nzones, qname);
	struct dns_name cur = *qname;
	const struct dns_name *cut;
	enum nl_status st;
	size_t count, i;
	unsigned hops = 0;

	resp->hdr.aa = 0;
	resp->hdr.rcode = DNS_R_NOERROR;
	if (z == NULL) {
		resp->hdr.rcode = DNS_R_REFUSED;
		*res = DNS_ZR_REFUSED;
		return NL_OK;
	}
	for (;;) {
		cut = dns_zone_cut(z, &cur);
		if (cut != NULL) {
			if (resp->sec[DNS_S_ANSWER].count > 0)
				break;	/* a CNAME into a child zone */
			*res = DNS_ZR_REFERRAL;
			return add_referral(z, resp, cut);
		}
		resp->hdr.aa = 1;
		st = add_rrset(z, resp, DNS_S_ANSWER, &cur, qtype, &count);
		if (st != NL_OK)
			return st;
		if (count > 0) {
			/* Additional section processing (RFC 1035 3.3.9,
			 * 3.3.11): the addresses of NS and MX targets. */
			for (i = 0; i < resp->sec[DNS_S_ANSWER].count &&
			    st == NL_OK; i++) {
				const struct dns_rr *rr =
				    &resp->sec[DNS_S_ANSWER].rr[i];

				if (rr->type == DNS_T_NS || rr->type == DNS_T_MX)
					st = add_addresses(z, resp,
					    dns_zone_rr_target(rr));
			}
			*res = DNS_ZR_ANSWER;
			return st;
		}
		if (qtype == DNS_T_CNAME)
			goto nodata_or_nx;
		for (i = 0; i < z->n; i++)
			if (z->rr[i].type == DNS_T_CNAME &&
			    dns_name_eq(&z->rr[i].name, &cur))
				break;
		if (i == z->n)
			goto nodata_or_nx;
		/* RFC 1034 4.3.2 step 3.a: the CNAME goes in the answer
		 * and the search goes on with its target, inside this
		 * zone only. */
		st = dns_zone_msg_add(resp, DNS_S_ANSWER, &z->rr[i],
		    z->rr[i].ttl);
		if (st != NL_OK)
			return st;
		cur = z->rr[i].rd.name;
		if (++hops > DNS_ZONE_CNAME_MAX ||
		    !dns_zone_name_under(&cur, &z->origin))
			break;
	}
	resp->hdr.aa = 1;
	*res = DNS_ZR_ANSWER;
	return NL_OK;
nodata_or_nx:
	/* RFC 2308 section 3: the SOA in AUTHORITY, with the negative TTL
	 * as its own. */
	if (!name_exists(z, &cur)) {
		resp->hdr.rcode = DNS_R_NXDOMAIN;
		*res = DNS_ZR_NXDOMAIN;
	} else {
		*res = DNS_ZR_NODATA;
	}
	return dns_zone_msg_add(resp, DNS_S_AUTHORITY, &z->soa,
	    dns_zone_soa_neg_ttl(&z->soa));
}
