/* udp.c - UDP header write and parse with the pseudo-header checksum
 * (RFC 768, "Format" and "Fields"; RFC 1122 section 4.1.3.4 for the
 * checksum-less datagram). */
#include "proto/ip/udp.h"

#include <string.h>

#include "proto/ip/ipv4.h"

/* A segment must fit in one IPv4 datagram with a 20-byte header. */
#define UDP_MAX_LEN (IPV4_MAX_LEN - IPV4_HDR_LEN)

/*
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |                 |                 |
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |          data octets ...
 */

/* Appends header and payload (copied; the caller keeps payload, which
 * must not point into out since out may move as it grows). The
 * checksum covers pseudo-header, header and payload; RFC 768 sends a
 * computed 0 as all ones, since 0 means "no checksum". NL_EINVAL for a
 * NULL payload with len > 0, NL_ELIMIT when the segment would not fit
 * in one IPv4 datagram, both with out untouched; otherwise the status of
 * the appends (a failed one frees out). */
enum nl_status
udp_write(struct nl_dbuf *out, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const void *payload, size_t len)
{
	size_t at = out->len;
	uint16_t ulen, ck;
	uint32_t sum;
	enum nl_status st;

	if (payload == NULL && len > 0)
		return NL_EINVAL;
	if (len > UDP_MAX_LEN - UDP_HDR_LEN)
		return NL_ELIMIT;
	ulen = (uint16_t)(UDP_HDR_LEN + len);
	if ((st = nl_dbuf_add_u16(out, sport)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, dport)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, ulen)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, 0)) != NL_OK ||
	    (st = nl_dbuf_add(out, payload, len)) != NL_OK)
		return st;
	sum = ipv4_pseudo_sum(src, dst, IPV4_PROTO_UDP, ulen);
	ck = ip_checksum_finish(ip_checksum_add(sum, out->data + at, ulen));
	return nl_dbuf_put_u16(out, at + 6, ck == 0 ? 0xffff : ck);
}

/* Parses the segment p[0..n); on success *payload points into p and
 * the caller owns nothing new. The length field must equal n: the IP
 * layer already cut the datagram to its total length, so a mismatch
 * means a broken sender. On failure every output is zeroed. */
enum nl_status
udp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst,
    struct udp_hdr *out, const uint8_t **payload, size_t *payload_len)
{
	struct nl_rbuf r;
	struct udp_hdr h;
	uint32_t sum;

	memset(out, 0, sizeof *out);
	*payload = NULL;
	*payload_len = 0;
	nl_rbuf_init(&r, p, n);
	if (nl_rbuf_u16(&r, &h.sport) != NL_OK ||
	    nl_rbuf_u16(&r, &h.dport) != NL_OK ||
	    nl_rbuf_u16(&r, &h.len) != NL_OK ||
	    nl_rbuf_u16(&r, &h.checksum) != NL_OK)
		return NL_AGAIN;
	if (h.len != n)
		return NL_EMALFORMED;
	if (h.checksum != 0) {
		sum = ipv4_pseudo_sum(src, dst, IPV4_PROTO_UDP, h.len);
		if (ip_checksum_finish(ip_checksum_add(sum, p, n)) != 0)
			return NL_EMALFORMED;
	}
	*out = h;
	*payload = nl_rbuf_take(&r, nl_rbuf_left(&r));
	*payload_len = n - UDP_HDR_LEN;
	return NL_OK;
}
