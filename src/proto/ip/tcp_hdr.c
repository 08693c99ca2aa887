/* tcp_hdr.c - TCP header write and parse (RFC 9293 section 3.1): the
 * fixed header, the option list (section 3.2: EOL, NOP, MSS; unknown
 * kinds skipped by their length) and the pseudo-header checksum. */
#include "proto/ip/tcp_hdr.h"

#include <string.h>

#include "proto/ip/ipv4.h"
#include "util/nl.h"

/* A segment must fit in one IPv4 datagram with a 20-byte header. */
#define TCP_MAX_LEN (IPV4_MAX_LEN - IPV4_HDR_LEN)

/* Option kinds (RFC 9293 section 3.2). */
#define TCP_OPT_EOL 0		/* end of option list */
#define TCP_OPT_NOP 1		/* no-operation, for alignment */
#define TCP_OPT_MSS 2		/* maximum segment size, length 4 */
#define TCP_OPT_MSS_LEN 4

/*
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * |           Checksum            |         Urgent Pointer        |
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

/* Appends header and payload (copied; payload must not point into out,
 * which may move as it grows). The data offset is computed (h->off and
 * h->checksum are ignored): 5 words, or 6 with the 4-byte MSS option
 * when h->mss != 0, so no padding is ever needed. h->ack and h->flags
 * go out as given, all 8 flag bits included. NL_EINVAL for a NULL
 * payload with len > 0, NL_ELIMIT when the segment would not fit in
 * one IPv4 datagram, both with out untouched; otherwise the status of
 * the appends (a failed one frees out). */
enum nl_status
tcp_hdr_write(struct nl_dbuf *out, uint32_t src, uint32_t dst,
    const struct tcp_hdr *h, const void *payload, size_t len)
{
	size_t at = out->len;
	size_t hlen = TCP_HDR_LEN + (h->mss != 0 ? TCP_OPT_MSS_LEN : 0);
	uint16_t seglen;
	uint32_t sum;
	enum nl_status st;

	if (payload == NULL && len > 0)
		return NL_EINVAL;
	if (len > TCP_MAX_LEN - hlen)
		return NL_ELIMIT;
	seglen = (uint16_t)(hlen + len);
	if ((st = nl_dbuf_add_u16(out, h->sport)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, h->dport)) != NL_OK ||
	    (st = nl_dbuf_add_u32(out, h->seq)) != NL_OK ||
	    (st = nl_dbuf_add_u32(out, h->ack)) != NL_OK ||
	    (st = nl_dbuf_add_u8(out, (uint8_t)(hlen / 4 << 4))) != NL_OK ||
	    (st = nl_dbuf_add_u8(out, h->flags)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, h->win)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, 0)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, h->urg)) != NL_OK)
		return st;
	if (h->mss != 0 &&
	    ((st = nl_dbuf_add_u8(out, TCP_OPT_MSS)) != NL_OK ||
	    (st = nl_dbuf_add_u8(out, TCP_OPT_MSS_LEN)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, h->mss)) != NL_OK))
		return st;
	if ((st = nl_dbuf_add(out, payload, len)) != NL_OK)
		return st;
	sum = ipv4_pseudo_sum(src, dst, IPV4_PROTO_TCP, seglen);
	return nl_dbuf_put_u16(out, at + 16,
	    ip_checksum_finish(ip_checksum_add(sum, out->data + at, seglen)));
}

/* Walks the option list opt[0..n) (RFC 9293 section 3.2): EOL ends it,
 * NOP is one byte, every other kind has a length byte counting kind and
 * length, so an unknown kind is skipped whole. NL_EMALFORMED for a
 * length byte missing, under 2 or running past the list, and for an MSS
 * option whose length is not 4. *mss gets the last MSS value, else 0. */
static enum nl_status
tcp_opts_parse(const uint8_t *opt, size_t n, uint16_t *mss)
{
	struct nl_rbuf r;
	uint8_t kind, olen;
	const uint8_t *body;

	*mss = 0;
	nl_rbuf_init(&r, opt, n);
	while (nl_rbuf_u8(&r, &kind) == NL_OK) {
		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP)
			continue;
		if (nl_rbuf_u8(&r, &olen) != NL_OK || olen < 2)
			return NL_EMALFORMED;
		body = nl_rbuf_take(&r, (size_t)olen - 2);
		if (body == NULL)
			return NL_EMALFORMED;
		if (kind == TCP_OPT_MSS) {
			if (olen != TCP_OPT_MSS_LEN)
				return NL_EMALFORMED;
			*mss = (uint16_t)((unsigned)body[0] << 8 | body[1]);
		}
	}
	return NL_OK;
}

/* Parses the segment p[0..n) (the figure above). The data offset is
 * checked against n before the options are walked, so no read leaves
 * p[0..n); n must fit the 16-bit length of the pseudo-header. On
 * success *payload points into p, after the options. On failure every
 * output is zeroed. */
enum nl_status
tcp_hdr_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst,
    struct tcp_hdr *out, const uint8_t **payload, size_t *payload_len)
{
	struct nl_rbuf r;
	struct tcp_hdr h;
	uint8_t offb;
	size_t hlen;
	uint32_t sum;

	memset(out, 0, sizeof *out);
	*payload = NULL;
	*payload_len = 0;
	nl_rbuf_init(&r, p, n);
	if (nl_rbuf_u16(&r, &h.sport) != NL_OK ||
	    nl_rbuf_u16(&r, &h.dport) != NL_OK ||
	    nl_rbuf_u32(&r, &h.seq) != NL_OK ||
	    nl_rbuf_u32(&r, &h.ack) != NL_OK ||
	    nl_rbuf_u8(&r, &offb) != NL_OK ||
	    nl_rbuf_u8(&r, &h.flags) != NL_OK ||
	    nl_rbuf_u16(&r, &h.win) != NL_OK ||
	    nl_rbuf_u16(&r, &h.checksum) != NL_OK ||
	    nl_rbuf_u16(&r, &h.urg) != NL_OK)
		return NL_AGAIN;
	h.off = offb >> 4;
	hlen = (size_t)h.off * 4;
	if (hlen < TCP_HDR_LEN || hlen > n || n > UINT16_MAX)
		return NL_EMALFORMED;
	if (tcp_opts_parse(p + TCP_HDR_LEN, hlen - TCP_HDR_LEN, &h.mss) !=
	    NL_OK)
		return NL_EMALFORMED;
	/* The TCP checksum is mandatory (RFC 9293 section 3.1). */
	sum = ipv4_pseudo_sum(src, dst, IPV4_PROTO_TCP, (uint16_t)n);
	if (ip_checksum_finish(ip_checksum_add(sum, p, n)) != 0)
		return NL_EMALFORMED;
	*out = h;
	*payload = p + hlen;
	*payload_len = n - hlen;
	return NL_OK;
}

/* Flag names in bit order, lowest first, which is the order Wireshark
 * prints them in ("SYN, ACK", "FIN, PSH, ACK"). ORDER FLAGS: bit i of
 * the flags byte is tcp_flag_names[i]. */
static const char *const tcp_flag_names[8] = {
	"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"
};

/* Copies s into buf[used..size-1) as far as it fits; returns the new
 * used count. */
static size_t
flags_put(char *buf, size_t size, size_t used, const char *s)
{
	for (; *s != '\0' && used + 1 < size; s++)
		buf[used++] = *s;
	return used;
}

/* Writes the names of the set flags, joined by ", ", into buf of size
 * bytes, cut short (still NUL-terminated) if it does not fit: all eight
 * take 39 bytes. Returns buf; "" when no flag is set. */
char *
tcp_flags_str(uint8_t flags, char *buf, size_t size)
{
	size_t used = 0, i;
	int first = 1;

	if (buf == NULL || size == 0)
		return buf;
	for (i = 0; i < NL_ARRAY_LEN(tcp_flag_names); i++) {
		if (!(flags & 1u << i))
			continue;
		if (!first)
			used = flags_put(buf, size, used, ", ");
		used = flags_put(buf, size, used, tcp_flag_names[i]);
		first = 0;
	}
	buf[used] = '\0';
	return buf;
}
