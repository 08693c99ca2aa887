/* tcp_hdr.h - TCP header codec with options MSS and the pseudo-header
 * checksum (RFC 9293 section 3.1). Pure: the TCP machine is in net/tcp.c. */
#ifndef NL_TCP_HDR_H
#define NL_TCP_HDR_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define TCP_HDR_LEN 20		/* without options */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

struct tcp_hdr {
	uint16_t sport;		/* source port */
	uint16_t dport;		/* destination port */
	uint32_t seq;		/* sequence number */
	uint32_t ack;		/* acknowledgement number (valid with ACK) */
	uint8_t off;		/* data offset in 32-bit words, as read */
	uint8_t flags;		/* TCP_* bits */
	uint16_t win;		/* receive window */
	uint16_t checksum;	/* as read; computed when writing */
	uint16_t urg;		/* urgent pointer */
	uint16_t mss;		/* MSS option value, 0 if absent */
};

/* Appends header (with an MSS option when h->mss != 0, padded to a
 * 4-byte boundary) and payload; computes the checksum over the RFC 9293
 * pseudo-header with src and dst (host order). */
enum nl_status tcp_hdr_write(struct nl_dbuf *out, uint32_t src,
    uint32_t dst, const struct tcp_hdr *h, const void *payload, size_t len);

/* Parses a TCP segment of n bytes (the IP payload): NL_AGAIN if n < 20,
 * NL_EMALFORMED for a data offset < 5 or past n, a malformed option list,
 * or a wrong checksum. *payload points into p. */
enum nl_status tcp_hdr_parse(const uint8_t *p, size_t n, uint32_t src,
    uint32_t dst, struct tcp_hdr *out, const uint8_t **payload,
    size_t *payload_len);

/* "SYN, ACK" style text of the flags into buf (at least 32 bytes), in
 * Wireshark's order; returns buf. "" for no flags. */
char *tcp_flags_str(uint8_t flags, char *buf, size_t size);

#endif
