/* dns_msg.h - the DNS message codec: RFC 1035 section 4 wire format to
 * struct dns_msg and back, with name compression (4.1.4), the byte range
 * of every field for the hex view, and dig-like presentation (RFC 1035
 * section 5 master-file syntax, RFC 3597 for types we keep opaque).
 *
 * Shape after c-ares's src/lib/record/: one bounded reader and one capped
 * writer (util/buf.h), dns_parse.c and dns_write.c mirror each other,
 * names live in dns_name.c, every enum has a _str in dns_str.c. */
#ifndef NL_DNS_MSG_H
#define NL_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define DNS_HDR_LEN 12		/* fixed header, RFC 1035 4.1.1 */
#define DNS_MSG_MAX 65535	/* the most a DNS message can hold */
#define DNS_LABEL_MAX 63	/* octets in one label (4.1.4: 00 prefix) */
#define DNS_NAME_MAX 255	/* octets in a name on the wire, with root */
#define DNS_MAX_INDIRS 127	/* compression pointers followed per name:
				 * a name has at most 127 labels, so a real
				 * compressor never needs more hops */
#define DNS_NAME_STRLEN 1024	/* enough for any name in presentation form
				 * (every octet as \DDD) plus the NUL */

/* Types (RFC 1035 3.2.2 and 3.2.3, RFC 3596, RFC 6891, RFC 2782). A
 * struct field holding a type is a uint16_t: any value may arrive. */
enum dns_type {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_PTR = 12,
	DNS_T_HINFO = 13,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_SRV = 33,
	DNS_T_OPT = 41,
	DNS_T_IXFR = 251,
	DNS_T_AXFR = 252,
	DNS_T_ANY = 255
};

/* Classes (RFC 1035 3.2.4 and 3.2.5, RFC 2136). */
enum dns_class {
	DNS_C_IN = 1,
	DNS_C_CH = 3,
	DNS_C_HS = 4,
	DNS_C_NONE = 254,
	DNS_C_ANY = 255
};

/* Opcodes (4.1.1, RFC 1996, RFC 2136, RFC 8490). */
enum dns_opcode {
	DNS_OP_QUERY = 0,
	DNS_OP_IQUERY = 1,
	DNS_OP_STATUS = 2,
	DNS_OP_NOTIFY = 4,
	DNS_OP_UPDATE = 5,
	DNS_OP_DSO = 6
};

/* Response codes (4.1.1, RFC 2136). */
enum dns_rcode {
	DNS_R_NOERROR = 0,
	DNS_R_FORMERR = 1,
	DNS_R_SERVFAIL = 2,
	DNS_R_NXDOMAIN = 3,
	DNS_R_NOTIMP = 4,
	DNS_R_REFUSED = 5,
	DNS_R_YXDOMAIN = 6,
	DNS_R_YXRRSET = 7,
	DNS_R_NXRRSET = 8,
	DNS_R_NOTAUTH = 9,
	DNS_R_NOTZONE = 10
};

/* The three resource record sections. ORDER SECTION: wire order. */
enum dns_section {
	DNS_S_ANSWER = 0,
	DNS_S_AUTHORITY = 1,
	DNS_S_ADDITIONAL = 2
};
#define DNS_SECTION_COUNT 3

/* How an RR's RDATA is held; follows from (type, class), see
 * dns_rr_kind(). */
enum dns_rdkind {
	DNS_RD_OPAQUE = 0,	/* bytes kept as they came (RFC 3597) */
	DNS_RD_A,		/* IN A: 4 octets */
	DNS_RD_AAAA,		/* IN AAAA: 16 octets */
	DNS_RD_NAME,		/* NS, CNAME, PTR: one domain name */
	DNS_RD_MX,		/* MX: preference, exchange */
	DNS_RD_SOA,		/* SOA: two names, five numbers */
	DNS_RD_TXT		/* TXT: character-strings */
};

/* Why a parse failed: the reason reaches the caller through struct
 * dns_perr and reads as text through dns_err_str(). ORDER ERR: append. */
enum dns_err {
	DNS_E_NONE = 0,
	DNS_E_MSG_TOO_LONG,	/* more than 65535 octets */
	DNS_E_HEADER,		/* fewer than 12 octets */
	DNS_E_QDCOUNT,		/* QDCOUNT questions cannot fit */
	DNS_E_ANCOUNT,		/* ANCOUNT records cannot fit */
	DNS_E_NSCOUNT,		/* NSCOUNT records cannot fit */
	DNS_E_ARCOUNT,		/* ARCOUNT records cannot fit */
	DNS_E_QUESTION,		/* QTYPE/QCLASS cut off */
	DNS_E_RR,		/* TYPE..RDLENGTH cut off */
	DNS_E_RDLENGTH,		/* RDATA runs past the end */
	DNS_E_A_LEN,		/* IN A with RDLENGTH != 4 */
	DNS_E_AAAA_LEN,		/* IN AAAA with RDLENGTH != 16 */
	DNS_E_RDATA_SHORT,	/* RDLENGTH too short for the type's fields */
	DNS_E_RDATA_LONG,	/* bytes left over in RDATA */
	DNS_E_RDATA_NAME,	/* a name in RDATA runs past RDLENGTH */
	DNS_E_TXT,		/* a character-string runs past RDLENGTH */
	DNS_E_NAME_END,		/* a name runs past the end of the message */
	DNS_E_PTR_LOOP,		/* a pointer leads back where we have been */
	DNS_E_PTR_FORWARD,	/* a pointer points after itself */
	DNS_E_PTR_PAST,		/* a pointer points past the message */
	DNS_E_PTR_MANY,		/* more than DNS_MAX_INDIRS pointers */
	DNS_E_LABEL_LEN,	/* a label over 63 octets (text form) */
	DNS_E_NAME_LEN,		/* a name over 255 octets */
	DNS_E_LABEL_0X40,	/* label type 01 (RFC 6891 extended) */
	DNS_E_LABEL_0X80,	/* label type 10 (reserved) */
	DNS_E_TRAILING,		/* bytes after the last record */
	DNS_E_EMPTY_LABEL,	/* text form: "a..b" or "" */
	DNS_E_BAD_ESCAPE	/* text form: "\" at the end, "\256" */
};

/* Where and why a parse failed. */
struct dns_perr {
	enum dns_err code;	/* DNS_E_NONE after success or ENOMEM */
	size_t off;		/* message offset where it was detected */
};

/* A byte range [off, off + len) of the message, for the hex view. All
 * zero in a message that was built rather than parsed. */
struct dns_span {
	uint16_t off;		/* first byte */
	uint16_t len;		/* number of bytes */
};

/* A domain name held in uncompressed wire form: length-prefixed labels
 * ending with the zero-length root label, case as received. A name is
 * valid when len >= 1, every label is 1..63 octets, the root ends it at
 * exactly len, and len <= 255. Build one with dns_name_from_str(). */
struct dns_name {
	uint8_t len;			/* octets used in wire, 1..255 */
	uint8_t wire[DNS_NAME_MAX];	/* labels, then the root's 0 */
};

/* The header (4.1.1). Counts are not stored: they are the lengths of
 * the lists in struct dns_msg.
 *
 *   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+ */
struct dns_hdr {
	uint16_t id;		/* chosen by the asker, echoed back */
	uint8_t qr;		/* 0 query, 1 response */
	uint8_t opcode;		/* 0..15, enum dns_opcode */
	uint8_t aa;		/* authoritative answer */
	uint8_t tc;		/* truncated */
	uint8_t rd;		/* recursion desired */
	uint8_t ra;		/* recursion available */
	uint8_t z;		/* the bit that must be zero (0x0040) */
	uint8_t ad;		/* authentic data (RFC 4035) */
	uint8_t cd;		/* checking disabled (RFC 4035) */
	uint8_t rcode;		/* 0..15, enum dns_rcode */
	struct {
		struct dns_span id, flags;	/* flags: the 16-bit word */
		struct dns_span qdcount, ancount, nscount, arcount;
	} at;			/* byte ranges, parse only */
};

/* One entry of the question section (4.1.2). */
struct dns_question {
	struct dns_name name;	/* QNAME */
	uint16_t type;		/* QTYPE, enum dns_type or any value */
	uint16_t class;		/* QCLASS, enum dns_class or any value */
	struct {
		struct dns_span all, name, type, class;
	} at;			/* byte ranges, parse only */
};

/* RDATA, by dns_rr_kind(type, class). */
union dns_rdata {
	uint8_t a[4];			/* DNS_RD_A, network order */
	uint8_t aaaa[16];		/* DNS_RD_AAAA, network order */
	struct dns_name name;		/* DNS_RD_NAME: NSDNAME, CNAME,
					 * PTRDNAME */
	struct {
		uint16_t preference;	/* lower is preferred */
		struct dns_name exchange; /* the mail server */
	} mx;				/* DNS_RD_MX */
	struct {
		struct dns_name mname;	/* primary name server */
		struct dns_name rname;	/* mailbox of the person in charge */
		uint32_t serial;	/* version of the zone */
		uint32_t refresh;	/* seconds between secondary checks */
		uint32_t retry;		/* seconds before a failed check */
		uint32_t expire;	/* seconds until no longer
					 * authoritative */
		uint32_t minimum;	/* negative caching TTL (RFC 2308) */
	} soa;				/* DNS_RD_SOA */
	struct {
		uint8_t *data;		/* owned: each string a length
					 * octet then its bytes, as on
					 * the wire; NULL when len is 0 */
		uint16_t len;		/* bytes in data */
		uint16_t count;		/* number of strings; RFC 1035
					 * wants one or more, but zero
					 * is read and written (as
					 * dnspython does) */
	} txt;				/* DNS_RD_TXT */
	struct {
		uint8_t *data;		/* owned, NULL when len is 0 */
		uint16_t len;		/* RDLENGTH */
	} opaque;			/* DNS_RD_OPAQUE */
};

/* Byte ranges of an RR. rdf[] are the RDATA's own fields: A and AAAA
 * one (the address); NS, CNAME, PTR one (the name's bytes in place, up to
 * and including any pointer); MX two; SOA seven in wire order; TXT and
 * opaque none (a TXT string at data offset k is at rdata.off + k). */
struct dns_rr_spans {
	struct dns_span all;		/* the whole record */
	struct dns_span name, type, class, ttl, rdlength, rdata;
	struct dns_span rdf[7];		/* fields inside RDATA */
	uint8_t nrdf;			/* how many of rdf are set */
};

/* A resource record (4.1.3). */
struct dns_rr {
	struct dns_name name;	/* owner */
	uint16_t type;		/* enum dns_type or any value */
	uint16_t class;		/* enum dns_class or any value */
	uint32_t ttl;		/* seconds */
	union dns_rdata rd;	/* see dns_rr_kind() */
	struct dns_rr_spans at;	/* byte ranges, parse only */
};

/* One section's records. */
struct dns_rrs {
	struct dns_rr *rr;	/* owned array */
	uint16_t count;		/* records in use */
	uint16_t cap;		/* records allocated */
};

/* A whole message. Plain data: read it freely; change lists through the
 * dns_msg_add_* functions so the arrays stay consistent. */
struct dns_msg {
	struct dns_hdr hdr;			/* header fields */
	struct dns_question *qd;		/* owned array */
	uint16_t qdcount;			/* questions in use */
	uint16_t qdcap;				/* questions allocated */
	struct dns_rrs sec[DNS_SECTION_COUNT];	/* indexed by dns_section */
	size_t wire_len;			/* parsed size; 0 if built */
};

/* ---- Names (dns_name.c) ---- */

/* Reads a name in presentation form ("gaia.cs.umass.edu", with or
 * without the final dot; "." is the root) with RFC 1035 5.1 escapes:
 * "\." and "\\" for a literal character, "\DDD" for any octet.
 * NL_EMALFORMED with err->code DNS_E_EMPTY_LABEL, DNS_E_BAD_ESCAPE,
 * DNS_E_LABEL_LEN or DNS_E_NAME_LEN (err->off: offset in s) and out set
 * to the root; err may be NULL. */
enum nl_status dns_name_from_str(const char *s, struct dns_name *out,
    struct dns_perr *err);

/* Appends the name in presentation form, always with the final dot, as
 * dig shows it: ". ; \ " ( ) @ $" escaped with a backslash, octets
 * outside 0x21..0x7e as \DDD. NL_EINVAL on an invalid name. */
enum nl_status dns_name_print(struct nl_dbuf *out, const struct dns_name *n);

/* The same into buf (at least DNS_NAME_STRLEN bytes guarantees a fit).
 * Returns buf; "?" if the name is invalid or does not fit. */
const char *dns_name_str(const struct dns_name *n, char *buf, size_t size);

/* 1 if a and b are the same name ignoring ASCII case (RFC 4343). */
int dns_name_eq(const struct dns_name *a, const struct dns_name *b);

/* 1 if n is a valid name (see struct dns_name). */
int dns_name_valid(const struct dns_name *n);

/* Reads the possibly compressed name at offset off of the message
 * msg[0..len) into out; *next (optional) gets the offset just after the
 * name in place. Same rules as dns_msg_parse. NL_EMALFORMED with err
 * set (err may be NULL), out set to the root and *next to 0. */
enum nl_status dns_name_parse(const uint8_t *msg, size_t len, size_t off,
    struct dns_name *out, size_t *next, struct dns_perr *err);

/* ---- Messages (dns_msg.c) ---- */

/* An empty message (id 0, a query, no records); NULL on out of memory.
 * Free with dns_msg_free(). */
struct dns_msg *dns_msg_new(void);

/* Frees m, its lists and the TXT and opaque bytes they own. NULL is a
 * no-op. */
void dns_msg_free(struct dns_msg *m);

/* Appends a question. NL_ENOMEM, or NL_ELIMIT past 65535 entries. */
enum nl_status dns_msg_add_question(struct dns_msg *m,
    const struct dns_name *name, uint16_t type, uint16_t class);

/* Appends a record to section s with empty RDATA and returns it for the
 * caller to fill in rd (for TXT and opaque use dns_rr_txt_add and
 * dns_rr_set_opaque). NULL on out of memory or past 65535 records. The
 * pointer is valid until the next record is added to that section. */
struct dns_rr *dns_msg_add_rr(struct dns_msg *m, enum dns_section s,
    const struct dns_name *name, uint16_t type, uint16_t class,
    uint32_t ttl);

/* Appends one character-string of n <= 255 octets to a TXT record.
 * NL_ELIMIT over 255 octets or past 65535 octets of RDATA; NL_ENOMEM
 * (the record is left as it was). */
enum nl_status dns_rr_txt_add(struct dns_rr *rr, const void *s, size_t n);

/* Sets opaque RDATA to a copy of p[0..n). NL_ELIMIT over 65535;
 * NL_ENOMEM (the record is left as it was). */
enum nl_status dns_rr_set_opaque(struct dns_rr *rr, const void *p,
    size_t n);

/* How RDATA of this type and class is held: A and AAAA only in class IN
 * (class CH has its own A, RFC 1035 3.4.1); NS, CNAME, PTR, MX, SOA and
 * TXT in every class but NONE and ANY, whose RRs in updates (RFC 2136)
 * may have empty RDATA; all else opaque. */
enum dns_rdkind dns_rr_kind(uint16_t type, uint16_t class);

/* 1 if a and b hold the same header, questions and records; names
 * compare ignoring ASCII case, as DNS does (compression keeps the case of
 * a suffix's first occurrence, so a write and parse may change it),
 * everything else octet for octet; byte ranges are ignored. */
int dns_msg_eq(const struct dns_msg *a, const struct dns_msg *b);

/* ---- Wire format (dns_parse.c, dns_write.c) ---- */

/* Parses one whole message data[0..len) (a UDP payload, or a TCP
 * message without its length prefix). Names may be compressed in owner
 * names, questions and the RDATA of NS, CNAME, PTR, MX and SOA.
 * Every byte must belong to the message.
 *
 * NL_OK: *out is a new message (free with dns_msg_free) and err->code is
 * DNS_E_NONE. NL_EMALFORMED: *out is NULL, err says why and where.
 * NL_ENOMEM: *out is NULL. err may be NULL. */
enum nl_status dns_msg_parse(const void *data, size_t len,
    struct dns_msg **out, struct dns_perr *err);

/* Appends m in wire format to out, as a server would send it: owner
 * names, questions and NS, CNAME, PTR, MX and SOA RDATA names compressed
 * against the first earlier occurrence of their longest suffix (offsets
 * up to 0x3fff, relative to where this message starts in out); names in
 * other RDATA never compressed; case kept. NL_EINVAL for an invalid name
 * or TXT data, NL_ELIMIT if the message would pass 65535 octets,
 * NL_ENOMEM. On failure out is freed (util/buf.h's rule). */
enum nl_status dns_msg_write(const struct dns_msg *m, struct nl_dbuf *out);

/* ---- Presentation (dns_str.c) ---- */

/* Mnemonics ("A", "IN", "NXDOMAIN", "QUERY", "ANSWER"); NULL for a
 * value with no name here: callers print TYPE%u / CLASS%u (RFC 3597),
 * OPCODE%u, RCODE%u. */
const char *dns_type_str(enum dns_type t);
const char *dns_class_str(enum dns_class c);
const char *dns_rcode_str(enum dns_rcode r);
const char *dns_opcode_str(enum dns_opcode o);
const char *dns_section_str(enum dns_section s);
const char *dns_rdkind_str(enum dns_rdkind k);
/* The reason as one line of text ("compression pointer loop"); never
 * NULL. */
const char *dns_err_str(enum dns_err e);

/* Appends the RDATA in master-file form ("10 mail.example.com.");
 * opaque RDATA as RFC 3597 "\# 4 0a000001". */
enum nl_status dns_rdata_print(struct nl_dbuf *out, const struct dns_rr *rr);

/* Appends one record as a master-file line without the newline:
 * "owner<TAB>ttl<TAB>class<TAB>type<TAB>rdata". */
enum nl_status dns_rr_print(struct nl_dbuf *out, const struct dns_rr *rr);

/* Appends the whole message the way dig shows it: the HEADER and flags
 * lines, then each non-empty section after a blank line. Ends with a
 * newline. */
enum nl_status dns_msg_print(struct nl_dbuf *out, const struct dns_msg *m);

/* Appends a one-line summary for transcripts, no newline:
 *   id 4660 query A? gaia.cs.umass.edu rd
 *   id 4660 response A gaia.cs.umass.edu aa NOERROR: 128.119.245.12
 *   id 7 response A gaia.cs.umass.edu NOERROR: referral NS edu ->
 *       a.edu-servers.net (192.5.6.30)          (one line)
 *   id 7 response MX nowhere.edu aa NXDOMAIN */
enum nl_status dns_msg_brief(struct nl_dbuf *out, const struct dns_msg *m);

#endif
