/* ipv4.c - IPv4 header write and parse (RFC 791 section 3.1), the Internet
 * checksum (RFC 1071 sections 1-2), its incremental update for a TTL
 * rewrite (RFC 1624 section 3, eqn. 3), and dotted-quad addresses. */
#include "proto/ip/ipv4.h"

#include <stdio.h>
#include <string.h>

/* Folds the carries of a one's complement sum back into its low 16 bits
 * (RFC 1071 section 2, "end around carry"). Never turns a non-zero sum
 * into zero, which keeps incremental updates exact. */
static uint32_t
cksum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}

/* Adds n bytes as big-endian 16-bit words to sum; an odd last byte is
 * padded with a zero byte on its right (RFC 9293 section 3.1). Because
 * of that pad, every call but the last of a series must pass an even n.
 * The result is folded, so any number of calls never overflows. */
uint32_t
ip_checksum_add(uint32_t sum, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t acc = sum;
	size_t i;

	if (b == NULL)
		return sum;
	/* Four words a turn: a SMTP segment's checksum is summed at both
	 * ends; the 64-bit sum cannot overflow below 2^48 words. */
	for (i = 0; i + 7 < n; i += 8)
		acc += ((uint32_t)b[i] << 8 | b[i + 1]) +
		    ((uint32_t)b[i + 2] << 8 | b[i + 3]) +
		    ((uint32_t)b[i + 4] << 8 | b[i + 5]) +
		    ((uint32_t)b[i + 6] << 8 | b[i + 7]);
	for (; i + 1 < n; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	return cksum_fold(acc);
}

/* The checksum to write on the wire: the one's complement of the folded
 * sum. A receiver that sums the data with this field in it gets 0 here. */
uint16_t
ip_checksum_finish(uint32_t sum)
{
	return (uint16_t)~cksum_fold(sum);
}

/* The pseudo-header of RFC 768 and RFC 9293 section 3.1 as a partial
 * checksum sum:
 *
 *   +--------+--------+--------+--------+
 *   |          Source Address           |
 *   +--------+--------+--------+--------+
 *   |        Destination Address        |
 *   +--------+--------+--------+--------+
 *   |  zero  |  PTCL  |  TCP/UDP Length |
 *   +--------+--------+--------+--------+
 *
 * Twelve bytes, so the segment can be added after it with the byte
 * pairing intact. */
uint32_t
ipv4_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	uint64_t acc = 0;

	acc += src >> 16;
	acc += src & 0xffff;
	acc += dst >> 16;
	acc += dst & 0xffff;
	acc += proto;
	acc += len;
	return cksum_fold(acc);
}

/* Appends the 20-byte header of h (version 4, IHL 5, no options) with
 * its checksum. NL_EINVAL, with out untouched, for flags beyond 3 bits,
 * a fragment offset beyond 13 bits or a total length under 20, since
 * ipv4_hdr_parse would refuse such a header. Otherwise the status of
 * the appends (a failed one frees out). */
enum nl_status
ipv4_hdr_write(struct nl_dbuf *out, const struct ipv4_hdr *h)
{
	size_t at = out->len;
	enum nl_status st;

	if (h->flags > 0x7 || h->frag_off > 0x1fff ||
	    h->total_len < IPV4_HDR_LEN)
		return NL_EINVAL;
	if ((st = nl_dbuf_add_u8(out, 4 << 4 | IPV4_HDR_LEN / 4)) != NL_OK ||
	    (st = nl_dbuf_add_u8(out, h->tos)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, h->total_len)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, h->id)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out,
		(uint16_t)(h->flags << 13 | h->frag_off))) != NL_OK ||
	    (st = nl_dbuf_add_u8(out, h->ttl)) != NL_OK ||
	    (st = nl_dbuf_add_u8(out, h->proto)) != NL_OK ||
	    (st = nl_dbuf_add_u16(out, 0)) != NL_OK ||
	    (st = nl_dbuf_add_u32(out, h->src)) != NL_OK ||
	    (st = nl_dbuf_add_u32(out, h->dst)) != NL_OK)
		return st;
	return nl_dbuf_put_u16(out, at + 10, ip_checksum_finish(
	    ip_checksum_add(0, out->data + at, IPV4_HDR_LEN)));
}

/* Parses the header at p (see the figure in ipv4.h). The checks run in
 * an order that keeps every read inside p[0..n): IHL*4 <= total length
 * <= n before the checksum covers IHL*4 bytes. Options are covered by
 * the checksum but not decoded. */
enum nl_status
ipv4_hdr_parse(const uint8_t *p, size_t n, struct ipv4_hdr *out)
{
	struct nl_rbuf r;
	struct ipv4_hdr h;
	uint8_t vihl;
	uint16_t fl_off;

	memset(out, 0, sizeof *out);
	nl_rbuf_init(&r, p, n);
	if (nl_rbuf_u8(&r, &vihl) != NL_OK ||
	    nl_rbuf_u8(&r, &h.tos) != NL_OK ||
	    nl_rbuf_u16(&r, &h.total_len) != NL_OK ||
	    nl_rbuf_u16(&r, &h.id) != NL_OK ||
	    nl_rbuf_u16(&r, &fl_off) != NL_OK ||
	    nl_rbuf_u8(&r, &h.ttl) != NL_OK ||
	    nl_rbuf_u8(&r, &h.proto) != NL_OK ||
	    nl_rbuf_u16(&r, &h.checksum) != NL_OK ||
	    nl_rbuf_u32(&r, &h.src) != NL_OK ||
	    nl_rbuf_u32(&r, &h.dst) != NL_OK)
		return NL_AGAIN;
	h.ihl = vihl & 0x0f;
	h.flags = (uint8_t)(fl_off >> 13);
	h.frag_off = fl_off & 0x1fff;
	if (vihl >> 4 != 4 || h.ihl < IPV4_HDR_LEN / 4 ||
	    h.total_len < h.ihl * 4 || h.total_len > n)
		return NL_EMALFORMED;
	/* RFC 1071 section 1: summing the header with its checksum in it
	 * gives all ones, so the finished checksum is 0. */
	if (ip_checksum_finish(ip_checksum_add(0, p, (size_t)h.ihl * 4)) != 0)
		return NL_EMALFORMED;
	*out = h;
	return NL_OK;
}

/* Sets the TTL and patches the checksum without summing the header
 * again, as a router does: HC' = ~(~HC + ~m + m') where m and m' are
 * the old and new 16-bit word holding TTL and protocol (RFC 1624
 * section 3, eqn. 3). For a header whose checksum was valid this gives
 * the same bytes as a full recomputation. */
void
ipv4_hdr_set_ttl(uint8_t *hdr, uint8_t ttl)
{
	uint16_t m = (uint16_t)(hdr[8] << 8 | hdr[9]);
	uint16_t m2 = (uint16_t)(ttl << 8 | hdr[9]);
	uint16_t hc = (uint16_t)(hdr[10] << 8 | hdr[11]);
	uint32_t sum;

	sum = (uint32_t)(uint16_t)~hc + (uint16_t)~m + m2;
	hc = ip_checksum_finish(sum);
	hdr[8] = ttl;
	hdr[10] = (uint8_t)(hc >> 8);
	hdr[11] = (uint8_t)hc;
}

/* Parses a dotted quad strictly: four fields of 1 to 3 decimal digits,
 * each 0..255, split by single dots, nothing before or after. A field
 * with a leading zero ("01", "00") is refused: inet_aton() reads it as
 * octal and inet_pton() refuses it, so its meaning would depend on who
 * reads the scenario. NL_EINVAL for a NULL s; *out is 0 on failure. */
enum nl_status
ipv4_addr_parse(const char *s, uint32_t *out)
{
	uint32_t addr = 0, v;
	int field, digits;

	*out = 0;
	if (s == NULL)
		return NL_EINVAL;
	for (field = 0; field < 4; field++) {
		if (field > 0 && *s++ != '.')
			return NL_EMALFORMED;
		v = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; digits++, s++) {
			if (digits == 3 || (digits == 1 && v == 0))
				return NL_EMALFORMED;
			v = v * 10 + (uint32_t)(*s - '0');
		}
		if (digits == 0 || v > 255)
			return NL_EMALFORMED;
		addr = addr << 8 | v;
	}
	if (*s != '\0')
		return NL_EMALFORMED;
	*out = addr;
	return NL_OK;
}

/* Formats addr (host order) as "a.b.c.d" into buf, which holds at least
 * IPV4_ADDR_STRLEN bytes; returns buf. */
char *
ipv4_addr_str(uint32_t addr, char *buf)
{
	snprintf(buf, IPV4_ADDR_STRLEN, "%u.%u.%u.%u",
	    (unsigned)(addr >> 24 & 0xff), (unsigned)(addr >> 16 & 0xff),
	    (unsigned)(addr >> 8 & 0xff), (unsigned)(addr & 0xff));
	return buf;
}
