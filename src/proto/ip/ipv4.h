/* ipv4.h - IPv4 header codec, addresses and the Internet checksum
 * (RFC 791 section 3.1, RFC 1071). Pure: no engine, no I/O. */
#ifndef NL_IPV4_H
#define NL_IPV4_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define IPV4_HDR_LEN 20		/* we never send options */
#define IPV4_MAX_LEN 65535
#define IPV4_DEFAULT_TTL 64
#define IPV4_FLAG_DF 0x2	/* in ipv4_hdr.flags */
#define IPV4_FLAG_MF 0x1

/* IP protocol numbers (IANA) that netlab carries. */
#define IPV4_PROTO_ICMP 1
#define IPV4_PROTO_TCP 6
#define IPV4_PROTO_UDP 17

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
struct ipv4_hdr {
	uint8_t ihl;		/* header length in 32-bit words (5..15) */
	uint8_t tos;		/* type of service / DSCP+ECN */
	uint16_t total_len;	/* header + payload, bytes */
	uint16_t id;		/* identification */
	uint8_t flags;		/* IPV4_FLAG_DF | IPV4_FLAG_MF */
	uint16_t frag_off;	/* fragment offset, 8-byte units */
	uint8_t ttl;		/* time to live */
	uint8_t proto;		/* IPV4_PROTO_* */
	uint16_t checksum;	/* as read; computed when writing */
	uint32_t src;		/* source address, host order */
	uint32_t dst;		/* destination address, host order */
};

/* RFC 1071 sum of n bytes folded into `sum` (start with 0); call
 * ip_checksum_finish to get the checksum to put on the wire. */
uint32_t ip_checksum_add(uint32_t sum, const void *p, size_t n);
uint16_t ip_checksum_finish(uint32_t sum);

/* The sum of the 12-byte pseudo-header that the UDP and TCP checksums
 * cover (RFC 768, RFC 9293 section 3.1): src, dst (host order), a zero
 * byte, proto and the segment length. Pass it as the start sum of
 * ip_checksum_add over the segment. */
uint32_t ipv4_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto,
    uint16_t len);

/* Appends a 20-byte header for h, computing the checksum (h->checksum
 * and h->ihl are ignored). */
enum nl_status ipv4_hdr_write(struct nl_dbuf *out, const struct ipv4_hdr *h);

/* Parses the header at the start of a datagram of n bytes.
 * NL_AGAIN if n < 20; NL_EMALFORMED for a version other than 4, IHL < 5,
 * total length shorter than the header or longer than n, or a bad
 * checksum. On failure *out is zeroed. */
enum nl_status ipv4_hdr_parse(const uint8_t *p, size_t n,
    struct ipv4_hdr *out);

/* Rewrites TTL and checksum in place in a datagram's header (what a router
 * does when forwarding). The header must have been parsed first. */
void ipv4_hdr_set_ttl(uint8_t *hdr, uint8_t ttl);

/* "10.0.0.1" to host-order address. NL_EMALFORMED unless exactly four
 * decimal octets 0..255 without leading junk or trailing text. */
enum nl_status ipv4_addr_parse(const char *s, uint32_t *out);
/* Writes dotted quad into buf (at least IPV4_ADDR_STRLEN bytes); returns buf. */
#define IPV4_ADDR_STRLEN 16
char *ipv4_addr_str(uint32_t addr, char *buf);

#endif
