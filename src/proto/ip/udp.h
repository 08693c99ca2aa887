/* udp.h - UDP header codec with the pseudo-header checksum (RFC 768). */
#ifndef NL_UDP_HDR_H
#define NL_UDP_HDR_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define UDP_HDR_LEN 8

struct udp_hdr {
	uint16_t sport;		/* source port */
	uint16_t dport;		/* destination port */
	uint16_t len;		/* header + payload, bytes */
	uint16_t checksum;	/* as read; computed when writing */
};

/* Appends the UDP header and payload; the checksum covers the RFC 768
 * pseudo-header built from src and dst (host order). A computed checksum
 * of 0 is sent as 0xffff. */
enum nl_status udp_write(struct nl_dbuf *out, uint32_t src, uint32_t dst,
    uint16_t sport, uint16_t dport, const void *payload, size_t len);

/* Parses a UDP segment of n bytes (the IP payload). NL_AGAIN if n < 8,
 * NL_EMALFORMED if the length field disagrees with n or the checksum (when
 * not 0) is wrong. *payload points into p. */
enum nl_status udp_parse(const uint8_t *p, size_t n, uint32_t src,
    uint32_t dst, struct udp_hdr *out, const uint8_t **payload,
    size_t *payload_len);

#endif
