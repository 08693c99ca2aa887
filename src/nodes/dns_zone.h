/* dns_zone.h - zone data for the DNS servers of nodes/: the records of
 * one zone, the answer an authoritative server gives from them (RFC 1034
 * section 4.3.2: answers with AA, referrals at zone cuts with glue, CNAME
 * followed inside the zone; RFC 2308: NXDOMAIN and NODATA with the SOA),
 * and the small record helpers (copy, compare, text to RDATA) that the
 * cache, the resolver and the scenario loader share.
 *
 * Pure data: no engine, no network, no trace. */
#ifndef NL_DNS_ZONE_H
#define NL_DNS_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/dns/dns_msg.h"
#include "util/status.h"

#define DNS_ZONE_TTL_MAX 2147483647u	/* RFC 2181 8: TTLs are 31 bits */
#define DNS_ZONE_CNAME_MAX 8		/* CNAMEs followed in one answer */
#define DNS_ZONE_RECORDS_MAX 10000	/* records in one zone */

/* What an authoritative server makes of a question. */
enum dns_zone_res {
	DNS_ZR_ANSWER,		/* records (or a CNAME chain), AA set */
	DNS_ZR_REFERRAL,	/* below a zone cut: NS and glue, AA clear */
	DNS_ZR_NXDOMAIN,	/* no such name: SOA in AUTHORITY, AA set */
	DNS_ZR_NODATA,		/* the name, but not that type: SOA, AA */
	DNS_ZR_REFUSED		/* in none of the zones */
};

/* The rotation state of one RRset (load distribution). */
struct dns_zone_turn {
	struct dns_name name;	/* owner */
	uint16_t type;		/* A or AAAA */
	uint32_t next;		/* answers given so far */
};

/* One zone: the SOA at its origin and every other record. */
struct dns_zone {
	struct dns_name origin;	/* the apex ("edu.") */
	uint32_t ttl;		/* default TTL of records added without one */
	struct dns_rr soa;	/* owner = origin, type SOA */
	struct dns_rr *rr;	/* the other records, in the order added,
				 * owned */
	size_t n, cap;		/* records used, allocated */
	struct dns_zone_turn *turn;	/* rotation per A/AAAA RRset, owned */
	size_t nturn, turncap;
};

/* ---- Names ---- */

/* 1 if n is zone or below it (case ignored). */
int dns_zone_name_under(const struct dns_name *n,
    const struct dns_name *zone);
/* The number of labels, the root not counted ("edu." is 1). */
unsigned dns_zone_name_labels(const struct dns_name *n);
/* n without its first label into out; the root stays the root. */
void dns_zone_name_parent(const struct dns_name *n, struct dns_name *out);
/* The last `keep` labels of n into out (keep <= labels of n). */
void dns_zone_name_suffix(const struct dns_name *n, unsigned keep,
    struct dns_name *out);

/* ---- Records ---- */

/* Deep copy of src into dst (TXT and opaque bytes duplicated); byte
 * ranges are dropped. NL_ENOMEM leaves dst cleared. */
enum nl_status dns_zone_rr_copy(struct dns_rr *dst, const struct dns_rr *src);
/* Frees what rr owns (TXT and opaque bytes) and zeroes it. */
void dns_zone_rr_clear(struct dns_rr *rr);
/* Frees what rr owns, for a record not read again (a cache entry's as
 * it goes): no 864 bytes of zeroes. */
void dns_zone_rr_drop(struct dns_rr *rr);
/* 1 if a and b have the same owner, type, class and RDATA (names
 * compared ignoring case, TTL ignored). */
int dns_zone_rr_same(const struct dns_rr *a, const struct dns_rr *b);
/* The name an NS, CNAME or PTR points to, an MX's exchange; NULL for
 * other types. */
const struct dns_name *dns_zone_rr_target(const struct dns_rr *rr);
/* Appends a copy of src with the given TTL to section s of m. NL_ENOMEM
 * or NL_ELIMIT. */
enum nl_status dns_zone_msg_add(struct dns_msg *m, enum dns_section s,
    const struct dns_rr *src, uint32_t ttl);
/* The TTL of negative answers from this SOA: min(TTL, MINIMUM)
 * (RFC 2308 section 3). */
uint32_t dns_zone_soa_neg_ttl(const struct dns_rr *soa);

/* ---- Text (scenario files) ---- */

/* The record types a zone may hold, NULL past the end: "A", "AAAA",
 * "CNAME", "MX", "NS", "PTR", "TXT". */
const char *dns_zone_type_name(size_t i);
/* "MX" to DNS_T_MX, for the types above and SOA; NL_ENOTFOUND else. */
enum nl_status dns_zone_type_parse(const char *s, uint16_t *type);
/* Reads a name: "@" is origin (which may be NULL: then "@" is refused),
 * anything else a full name with or without the final dot. On error
 * NL_EMALFORMED and why (size whylen) says what is wrong. */
enum nl_status dns_zone_name_read(const char *s,
    const struct dns_name *origin, struct dns_name *out, char *why,
    size_t whylen);
/* Fills rr->rd from text for rr->type (set by the caller, class IN):
 * A "128.119.245.12"; AAAA "2001:db8::1"; NS, CNAME, PTR a name; MX
 * "10 mail.example.com"; TXT any text (split in strings of 255). Names
 * as dns_zone_name_read. NL_EMALFORMED with why; NL_ENOMEM. */
enum nl_status dns_zone_rdata_read(struct dns_rr *rr, const char *data,
    const struct dns_name *origin, char *why, size_t whylen);

/* ---- Zones ---- */

/* A zone at origin whose SOA is a copy of soa (its owner is set to the
 * origin). NULL when out of memory. */
struct dns_zone *dns_zone_new(const struct dns_name *origin, uint32_t ttl,
    const struct dns_rr *soa);
void dns_zone_free(struct dns_zone *z);

/* Adds a copy of rr. NL_EINVAL if its owner is outside the zone or it is
 * an SOA, NL_EEXIST if the same record is there, NL_ELIMIT past
 * DNS_ZONE_RECORDS_MAX, NL_ENOMEM. */
enum nl_status dns_zone_add(struct dns_zone *z, const struct dns_rr *rr);
/* Removes the records of that owner and type: all of them when match is
 * NULL, else those with match's RDATA. Returns how many went. */
size_t dns_zone_delete(struct dns_zone *z, const struct dns_name *name,
    uint16_t type, const struct dns_rr *match);
/* Removes record i (0 <= i < z->n), keeping the order of the others. */
void dns_zone_remove_at(struct dns_zone *z, size_t i);
/* 1 if adding rr would put a CNAME beside other data at one name
 * (RFC 1034 3.6.2, RFC 2181 10.1), or a second CNAME there. */
int dns_zone_cname_conflict(const struct dns_zone *z,
    const struct dns_rr *rr);
/* Increments the SOA serial (the zone changed). */
void dns_zone_bump_serial(struct dns_zone *z);

/* The zone of zones[0..n) closest above name (longest origin), NULL. */
struct dns_zone *dns_zones_find(struct dns_zone *const *zones, size_t n,
    const struct dns_name *name);

/* Answers (qname, qtype) from zones[0..n) as an authoritative server:
 * fills resp's ANSWER, AUTHORITY and ADDITIONAL sections, AA and RCODE
 * (the caller sets id, QR, RD, RA and the question). A and AAAA RRsets
 * of more than one record rotate by one at each answer. *res says what
 * it was. NL_ENOMEM or NL_ELIMIT: resp is half filled. */
enum nl_status dns_zones_answer(struct dns_zone *const *zones, size_t n,
    const struct dns_name *qname, uint16_t qtype, struct dns_msg *resp,
    enum dns_zone_res *res);

/* The zone cut at or above name inside z (the highest owner of NS
 * records below the origin that name is under), NULL when name is not
 * delegated away. */
const struct dns_name *dns_zone_cut(const struct dns_zone *z,
    const struct dns_name *name);

#endif
