/* test_ip.c - unit tests of the ip module: the RFC 1071 checksum against
 * known answers, IPv4/UDP/TCP header round trips, every rejection case,
 * dotted-quad parsing, the TTL rewrite, and parsers fed arbitrary bytes. */
#include <stdint.h>
#include <string.h>

#include "proto/ip/ipv4.h"
#include "proto/ip/tcp_hdr.h"
#include "proto/ip/udp.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"
#include "test.h"

#define A_10_0_0_1 0x0a000001u
#define A_10_0_0_2 0x0a000002u
#define A_10_0_1_2 0x0a000102u

/* ---- helpers ---- */

/* Recomputes the checksum of the IPv4 header at p after a test broke a
 * field on purpose, so that only that field is wrong. */
static void
fix_ip_cksum(uint8_t *p)
{
	size_t hlen = (size_t)(p[0] & 0x0f) * 4;
	uint16_t c;

	p[10] = p[11] = 0;
	c = ip_checksum_finish(ip_checksum_add(0, p, hlen));
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
}

/* The same for a TCP segment of n bytes between src and dst. */
static void
fix_tcp_cksum(uint8_t *p, size_t n, uint32_t src, uint32_t dst)
{
	uint16_t c;

	p[16] = p[17] = 0;
	c = ip_checksum_finish(ip_checksum_add(ipv4_pseudo_sum(src, dst,
	    IPV4_PROTO_TCP, (uint16_t)n), p, n));
	p[16] = (uint8_t)(c >> 8);
	p[17] = (uint8_t)c;
}

/* A plain header for the tests to vary. */
static struct ipv4_hdr
sample_ip(void)
{
	struct ipv4_hdr h;

	memset(&h, 0, sizeof h);
	h.tos = 0x10;
	h.total_len = 48;
	h.id = 0x1234;
	h.flags = IPV4_FLAG_DF;
	h.ttl = IPV4_DEFAULT_TTL;
	h.proto = IPV4_PROTO_UDP;
	h.src = A_10_0_0_1;
	h.dst = A_10_0_0_2;
	return h;
}

/* A tiny deterministic PRNG for the arbitrary-bytes tests. */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* ---- checksum ---- */

/* RFC 1071 section 3, the worked example: the words 0001 f203 f4f5 f6f7
 * sum to ddf2 after the carry is folded, so the checksum is 220d. */
static void
ip_checksum_rfc1071(void)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
		0xf6, 0xf7 };
	uint32_t sum;

	sum = ip_checksum_add(0, b, sizeof b);
	ASSERT_EQ(sum, 0xddf2);
	ASSERT_EQ(ip_checksum_finish(sum), 0x220d);
	/* Summing in even pieces gives the same (section 2, (B)). */
	sum = ip_checksum_add(0, b, 2);
	sum = ip_checksum_add(sum, b + 2, 4);
	sum = ip_checksum_add(sum, b + 6, 2);
	ASSERT_EQ(ip_checksum_finish(sum), 0x220d);
	/* An odd byte is padded with zero on the right. */
	ASSERT_EQ(ip_checksum_finish(ip_checksum_add(0, b, 1)), 0xffff);
	ASSERT_EQ(ip_checksum_finish(ip_checksum_add(0, b + 2, 1)), 0x0dff);
	ASSERT_EQ(ip_checksum_finish(0), 0xffff);
}

/* 65535 bytes of ff: the words are "minus zero" and vanish, leaving the
 * padded last byte ff00; a checksum of 00ff. No overflow on the way. */
static void
ip_checksum_long(void)
{
	uint8_t *b = nl_alloc(65535);

	ASSERT(b != NULL);
	memset(b, 0xff, 65535);
	ASSERT_EQ(ip_checksum_finish(ip_checksum_add(0, b, 65535)), 0x00ff);
	ASSERT_EQ(ip_checksum_add(0xffffffffu, b, 65534) >> 16, 0);
	nl_free(b);
}

/* A captured header (192.168.0.1 -> 192.168.0.199, UDP, 115 bytes, DF,
 * TTL 64) whose checksum on the wire is b861. */
static void
ip_checksum_captured(void)
{
	static const uint8_t hdr[IPV4_HDR_LEN] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7
	};
	uint8_t dgram[0x73];
	uint8_t zeroed[IPV4_HDR_LEN];
	struct ipv4_hdr h;
	struct nl_dbuf b;

	memcpy(zeroed, hdr, sizeof hdr);
	zeroed[10] = zeroed[11] = 0;
	ASSERT_EQ(ip_checksum_finish(ip_checksum_add(0, zeroed,
	    sizeof zeroed)), 0xb861);
	ASSERT_EQ(ip_checksum_finish(ip_checksum_add(0, hdr, sizeof hdr)), 0);

	memset(dgram, 0, sizeof dgram);
	memcpy(dgram, hdr, sizeof hdr);
	ASSERT_EQ(ipv4_hdr_parse(dgram, sizeof dgram, &h), NL_OK);
	ASSERT_EQ(h.ihl, 5);
	ASSERT_EQ(h.total_len, 0x73);
	ASSERT_EQ(h.flags, IPV4_FLAG_DF);
	ASSERT_EQ(h.frag_off, 0);
	ASSERT_EQ(h.ttl, 64);
	ASSERT_EQ(h.proto, IPV4_PROTO_UDP);
	ASSERT_EQ(h.checksum, 0xb861);
	ASSERT_EQ(h.src, 0xc0a80001u);
	ASSERT_EQ(h.dst, 0xc0a800c7u);

	/* Writing the parsed fields gives the captured bytes back. */
	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_OK);
	ASSERT_EQ(b.len, IPV4_HDR_LEN);
	ASSERT_MEM_EQ(b.data, hdr, sizeof hdr);
	nl_dbuf_free(&b);
}

/* ---- IPv4 header ---- */

/* write -> parse gives every field back, flags and offset at their
 * widest, and the written checksum verifies. */
static void
ip_hdr_roundtrip(void)
{
	struct ipv4_hdr h = sample_ip(), g;
	struct nl_dbuf b;
	uint8_t dgram[64];

	h.flags = IPV4_FLAG_DF | IPV4_FLAG_MF | 0x4;
	h.frag_off = 0x1fff;
	h.ihl = 9;		/* ignored when writing */
	h.checksum = 0xdead;	/* ignored when writing */
	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_OK);
	ASSERT_EQ(b.len, IPV4_HDR_LEN);
	ASSERT_EQ(b.data[0], 0x45);
	memset(dgram, 0, sizeof dgram);
	memcpy(dgram, b.data, b.len);
	ASSERT_EQ(ipv4_hdr_parse(dgram, 48, &g), NL_OK);
	ASSERT_EQ(g.ihl, 5);
	ASSERT_EQ(g.tos, h.tos);
	ASSERT_EQ(g.total_len, 48);
	ASSERT_EQ(g.id, h.id);
	ASSERT_EQ(g.flags, 0x7);
	ASSERT_EQ(g.frag_off, 0x1fff);
	ASSERT_EQ(g.ttl, h.ttl);
	ASSERT_EQ(g.proto, h.proto);
	ASSERT_EQ(g.checksum, (unsigned)b.data[10] << 8 | b.data[11]);
	ASSERT_EQ(g.src, h.src);
	ASSERT_EQ(g.dst, h.dst);
	/* A longer buffer is fine (link padding); total_len says where the
	 * datagram ends. */
	ASSERT_EQ(ipv4_hdr_parse(dgram, sizeof dgram, &g), NL_OK);
	ASSERT_EQ(g.total_len, 48);
	nl_dbuf_free(&b);
}

/* Fields the wire cannot carry are refused and nothing is appended. */
static void
ip_hdr_write_rejects(void)
{
	struct ipv4_hdr h = sample_ip();
	struct nl_dbuf b;

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(nl_dbuf_add_str(&b, "x"), NL_OK);
	h.flags = 0x8;
	ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_EINVAL);
	h = sample_ip();
	h.frag_off = 0x2000;
	ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_EINVAL);
	h = sample_ip();
	h.total_len = IPV4_HDR_LEN - 1;
	ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_EINVAL);
	ASSERT_EQ(b.len, 1);
	/* The writer's cap: the buffer is freed, curl's rule. */
	nl_dbuf_free(&b);
	h = sample_ip();
	nl_dbuf_init(&b, 10);
	ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_ELIMIT);
	ASSERT(b.data == NULL);
	nl_dbuf_free(&b);
}

/* The sample datagram is 48 bytes long (its total length) inside a
 * 64-byte array, so a test may grow IHL to 15 and still fix the
 * checksum over 60 bytes. */
#define DG_LEN 48
#define DG_SIZE 64

/* Writes the sample header into dgram[0..DG_SIZE) for the rejection
 * tests to break. */
static void
sample_dgram(uint8_t *dgram)
{
	struct ipv4_hdr h = sample_ip();
	struct nl_dbuf b;

	memset(dgram, 0, DG_SIZE);
	nl_dbuf_init(&b, 1024);
	if (ipv4_hdr_write(&b, &h) == NL_OK)
		memcpy(dgram, b.data, IPV4_HDR_LEN);
	nl_dbuf_free(&b);
}

/* Asserts that parsing p[0..n) fails with want and zeroes the result. */
#define ASSERT_IP_FAILS(p, n, want)                                        \
	do {                                                               \
		struct ipv4_hdr g_;                                        \
		memset(&g_, 0xaa, sizeof g_);                              \
		ASSERT_EQ(ipv4_hdr_parse((p), (n), &g_), (want));          \
		ASSERT_EQ(g_.ttl, 0);                                      \
		ASSERT_EQ(g_.src, 0);                                      \
		ASSERT_EQ(g_.total_len, 0);                                \
	} while (0)

/* Every way ipv4_hdr_parse refuses a header; each case breaks exactly
 * one thing and repairs the checksum, so that thing is the cause. */
static void
ip_hdr_parse_rejects(void)
{
	uint8_t d[DG_SIZE];
	struct ipv4_hdr g;

	sample_dgram(d);
	ASSERT_EQ(ipv4_hdr_parse(d, DG_LEN, &g), NL_OK);

	/* Fewer than 20 bytes: more are needed. */
	ASSERT_IP_FAILS(d, 19, NL_AGAIN);
	ASSERT_IP_FAILS(d, 0, NL_AGAIN);
	ASSERT_IP_FAILS(NULL, 0, NL_AGAIN);

	/* Version 6, and version 0. */
	sample_dgram(d);
	d[0] = 0x65;
	fix_ip_cksum(d);
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);
	d[0] = 0x05;
	fix_ip_cksum(d);
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);

	/* IHL 4 and IHL 0 (checksum fixed over the 20 bytes). */
	sample_dgram(d);
	d[0] = 0x44;
	d[10] = d[11] = 0;
	{
		uint16_t c = ip_checksum_finish(ip_checksum_add(0, d, 20));
		d[10] = (uint8_t)(c >> 8);
		d[11] = (uint8_t)c;
	}
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);
	d[0] = 0x40;
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);

	/* Total length past the buffer: 48 claimed, 47 given. */
	sample_dgram(d);
	ASSERT_IP_FAILS(d, 47, NL_EMALFORMED);
	d[2] = 0xff;
	d[3] = 0xff;
	fix_ip_cksum(d);
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);

	/* Total length shorter than the header: 19, and 20 with IHL 6. */
	sample_dgram(d);
	d[2] = 0;
	d[3] = 19;
	fix_ip_cksum(d);
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);
	sample_dgram(d);
	d[0] = 0x46;
	d[3] = 20;
	fix_ip_cksum(d);
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);
	/* IHL 15 with a total of 40: the header would pass the datagram. */
	sample_dgram(d);
	d[0] = 0x4f;
	d[3] = 40;
	fix_ip_cksum(d);
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);

	/* A bad checksum, and one flipped bit anywhere in the header. */
	sample_dgram(d);
	d[11] ^= 1;
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);
	sample_dgram(d);
	d[15] ^= 0x80;
	ASSERT_IP_FAILS(d, DG_LEN, NL_EMALFORMED);
}

/* A header with 4 bytes of options (IHL 6) parses; the checksum covers
 * the options too. */
static void
ip_hdr_parse_options(void)
{
	uint8_t d[DG_SIZE];
	struct ipv4_hdr g;

	sample_dgram(d);
	d[0] = 0x46;
	memset(d + 20, 1, 4);	/* four NOPs */
	fix_ip_cksum(d);
	ASSERT_EQ(ipv4_hdr_parse(d, DG_LEN, &g), NL_OK);
	ASSERT_EQ(g.ihl, 6);
	d[22] = 7;
	ASSERT_EQ(ipv4_hdr_parse(d, DG_LEN, &g), NL_EMALFORMED);
}

/* The TTL rewrite of RFC 1624 leaves exactly the bytes a full rewrite
 * with the new TTL would give, for every TTL and several headers; the
 * header still parses. */
static void
ip_ttl_rewrite(void)
{
	struct ipv4_hdr h, g;
	struct nl_dbuf b;
	uint8_t d[48], want[48];
	unsigned v, ttl;

	for (v = 0; v < 6; v++) {
		h = sample_ip();
		h.id = (uint16_t)(v * 0x2f1d);
		h.src = 0xc0a80000u + v * 0x1111;
		h.dst = v & 1 ? 0xffffffffu : 0;
		h.proto = (uint8_t)(v * 40);
		h.ttl = (uint8_t)(v * 51);
		nl_dbuf_init(&b, 1024);
		ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_OK);
		memset(d, 0, sizeof d);
		memcpy(d, b.data, IPV4_HDR_LEN);
		nl_dbuf_free(&b);
		for (ttl = 0; ttl < 256; ttl++) {
			h.ttl = (uint8_t)ttl;
			nl_dbuf_init(&b, 1024);
			ASSERT_EQ(ipv4_hdr_write(&b, &h), NL_OK);
			memset(want, 0, sizeof want);
			memcpy(want, b.data, IPV4_HDR_LEN);
			nl_dbuf_free(&b);
			/* From the previous TTL to this one, in place. */
			ipv4_hdr_set_ttl(d, (uint8_t)ttl);
			ASSERT_MEM_EQ(d, want, sizeof d);
			ASSERT_EQ(ipv4_hdr_parse(d, sizeof d, &g), NL_OK);
			ASSERT_EQ(g.ttl, ttl);
		}
	}
	/* A router's usual step: 64 -> 63 on the captured header. */
	{
		uint8_t c[0x73] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
			0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01,
			0xc0, 0xa8, 0x00, 0xc7 };

		ipv4_hdr_set_ttl(c, 63);
		ASSERT_EQ(c[8], 63);
		ASSERT_EQ(c[10] << 8 | c[11], 0xb961);
		ASSERT_EQ(ipv4_hdr_parse(c, sizeof c, &g), NL_OK);
	}
}

/* ---- addresses ---- */

/* Well-formed dotted quads, and the text back. */
static void
ip_addr_parse_ok(void)
{
	static const struct {
		const char *s;
		uint32_t a;
	} ok[] = {
		{ "0.0.0.0", 0 },
		{ "255.255.255.255", 0xffffffffu },
		{ "10.0.0.1", A_10_0_0_1 },
		{ "192.168.0.199", 0xc0a800c7u },
		{ "1.20.100.250", 0x011464fau },
		{ "0.10.0.100", 0x000a0064u },
	};
	char buf[IPV4_ADDR_STRLEN];
	uint32_t a;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ASSERT_EQ(ipv4_addr_parse(ok[i].s, &a), NL_OK);
		ASSERT_EQ(a, ok[i].a);
		ASSERT_STR_EQ(ipv4_addr_str(a, buf), ok[i].s);
	}
	ASSERT_STR_EQ(ipv4_addr_str(0xffffffffu, buf), "255.255.255.255");
}

/* Everything else is refused with *out zeroed. Leading zeros ("01",
 * "00") are refused on purpose: inet_aton() reads "010" as octal 8, so
 * such a scenario would mean different things to different tools. */
static void
ip_addr_parse_rejects(void)
{
	static const char *const bad[] = {
		"256.1.1.1", "1.2.3.256", "1.2.3.999", "1.2.3.1000",
		"1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "",
		"1.2.3.4x", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4\n", "1. 2.3.4",
		"01.2.3.4", "1.2.3.00", "1.2.3.010", "0x1.2.3.4", "+1.2.3.4",
		"1.2.3.-4", "1,2,3,4", "a.b.c.d", "4294967295", "1.2.3.4/24",
		"0000.0.0.0",
	};
	uint32_t a;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		a = 0xdeadbeef;
		if (ipv4_addr_parse(bad[i], &a) != NL_EMALFORMED)
			TEST_FAIL_AT("\"%s\" was accepted", bad[i]);
		ASSERT_EQ(a, 0);
	}
	ASSERT_EQ(ipv4_addr_parse(NULL, &a), NL_EINVAL);
}

/* ---- UDP ---- */

/* A known answer computed by hand (Python) for 10.0.0.1:53000 ->
 * 10.0.0.2:53 carrying "hello": the odd length exercises the pad. */
static void
ip_udp_known(void)
{
	static const uint8_t want[] = { 0xcf, 0x08, 0x00, 0x35, 0x00, 0x0d,
		0xd8, 0xc1, 'h', 'e', 'l', 'l', 'o' };
	struct nl_dbuf b;

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(udp_write(&b, A_10_0_0_1, A_10_0_0_2, 53000, 53, "hello",
	    5), NL_OK);
	ASSERT_EQ(b.len, sizeof want);
	ASSERT_MEM_EQ(b.data, want, sizeof want);
	nl_dbuf_free(&b);
}

/* write -> parse; the payload points into the segment. */
static void
ip_udp_roundtrip(void)
{
	struct nl_dbuf b;
	struct udp_hdr u;
	const uint8_t *pl;
	size_t n;

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(udp_write(&b, A_10_0_0_1, A_10_0_0_2, 1234, 5678, "abcd",
	    4), NL_OK);
	ASSERT_EQ(udp_parse(b.data, b.len, A_10_0_0_1, A_10_0_0_2, &u, &pl,
	    &n), NL_OK);
	ASSERT_EQ(u.sport, 1234);
	ASSERT_EQ(u.dport, 5678);
	ASSERT_EQ(u.len, 12);
	ASSERT_NE(u.checksum, 0);
	ASSERT_EQ(n, 4);
	ASSERT(pl == b.data + 8);
	ASSERT_MEM_EQ(pl, "abcd", 4);
	/* The pseudo-header counts: other addresses, bad checksum. */
	ASSERT_EQ(udp_parse(b.data, b.len, A_10_0_0_1, A_10_0_1_2, &u, &pl,
	    &n), NL_EMALFORMED);
	nl_dbuf_reset(&b);
	/* Empty payload, NULL pointer. */
	ASSERT_EQ(udp_write(&b, A_10_0_0_1, A_10_0_0_2, 1, 2, NULL, 0),
	    NL_OK);
	ASSERT_EQ(udp_parse(b.data, b.len, A_10_0_0_1, A_10_0_0_2, &u, &pl,
	    &n), NL_OK);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(u.len, 8);
	nl_dbuf_free(&b);
}

/* A computed checksum of 0 goes out as ffff (RFC 768), and parses. The
 * payload word that makes the sum all ones is the checksum of the same
 * segment with that word zero. */
static void
ip_udp_zero_checksum(void)
{
	struct nl_dbuf b;
	struct udp_hdr u;
	const uint8_t *pl;
	size_t n;
	uint8_t w[2] = { 0, 0 };

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(udp_write(&b, A_10_0_0_1, A_10_0_0_2, 7, 9, w, 2), NL_OK);
	w[0] = b.data[6];
	w[1] = b.data[7];
	nl_dbuf_reset(&b);
	ASSERT_EQ(udp_write(&b, A_10_0_0_1, A_10_0_0_2, 7, 9, w, 2), NL_OK);
	ASSERT_EQ(b.data[6], 0xff);
	ASSERT_EQ(b.data[7], 0xff);
	ASSERT_EQ(udp_parse(b.data, b.len, A_10_0_0_1, A_10_0_0_2, &u, &pl,
	    &n), NL_OK);
	ASSERT_EQ(u.checksum, 0xffff);
	nl_dbuf_free(&b);
}

/* Refusals: short, length field either way off n, bad checksum; and a
 * checksum of 0 means "none" and is accepted (RFC 768). Writer limits. */
static void
ip_udp_rejects(void)
{
	struct nl_dbuf b;
	struct udp_hdr u;
	const uint8_t *pl;
	size_t n;
	uint8_t s[16];

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(udp_write(&b, A_10_0_0_1, A_10_0_0_2, 1000, 2000, "12345678",
	    8), NL_OK);
	ASSERT_EQ(b.len, sizeof s);
	memcpy(s, b.data, sizeof s);
	nl_dbuf_free(&b);

	ASSERT_EQ(udp_parse(s, 7, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_AGAIN);
	ASSERT_EQ(udp_parse(NULL, 0, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_AGAIN);
	/* Length 16 but 15 or 12 bytes given. */
	ASSERT_EQ(udp_parse(s, 15, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_EMALFORMED);
	ASSERT_EQ(udp_parse(s, 12, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_EMALFORMED);
	/* Length 12 with 16 bytes, and length 7 (under the header). */
	s[5] = 12;
	ASSERT_EQ(udp_parse(s, 16, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_EMALFORMED);
	s[5] = 7;
	ASSERT_EQ(udp_parse(s, 16, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_EMALFORMED);
	ASSERT(pl == NULL);
	ASSERT_EQ(n, 0);
	ASSERT_EQ(u.sport, 0);
	s[5] = 16;
	/* A payload byte changed: the checksum no longer matches. */
	s[9] ^= 0x20;
	ASSERT_EQ(udp_parse(s, 16, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_EMALFORMED);
	/* No checksum at all is allowed. */
	s[6] = s[7] = 0;
	ASSERT_EQ(udp_parse(s, 16, A_10_0_0_1, A_10_0_0_2, &u, &pl, &n),
	    NL_OK);
	ASSERT_EQ(u.checksum, 0);

	/* The writer: a payload that cannot fit one datagram, NULL data. */
	nl_dbuf_init(&b, 100000);
	ASSERT_EQ(udp_write(&b, 0, 0, 1, 2, s, 65508), NL_ELIMIT);
	ASSERT_EQ(udp_write(&b, 0, 0, 1, 2, NULL, 1), NL_EINVAL);
	ASSERT_EQ(b.len, 0);
	nl_dbuf_free(&b);
}

/* ---- TCP ---- */

/* A SYN with MSS 1460 and a PSH+ACK with "abc", checksums computed by
 * hand (Python): bf04 and 3eb1. */
static void
ip_tcp_known(void)
{
	static const uint8_t syn[] = {
		0xc0, 0x00, 0x00, 0x19, 0x01, 0x02, 0x03, 0x04,
		0x00, 0x00, 0x00, 0x00, 0x60, 0x02, 0xff, 0xff,
		0xbf, 0x04, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4
	};
	static const uint8_t data[] = {
		0xc0, 0x00, 0x00, 0x19, 0x01, 0x02, 0x03, 0x05,
		0xa0, 0xb0, 0xc0, 0xd1, 0x50, 0x18, 0x72, 0x10,
		0x3e, 0xb1, 0x00, 0x00, 'a', 'b', 'c'
	};
	struct tcp_hdr h;
	struct nl_dbuf b;

	memset(&h, 0, sizeof h);
	h.sport = 49152;
	h.dport = 25;
	h.seq = 0x01020304;
	h.flags = TCP_SYN;
	h.win = 65535;
	h.mss = 1460;
	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(tcp_hdr_write(&b, A_10_0_0_1, A_10_0_1_2, &h, NULL, 0),
	    NL_OK);
	ASSERT_EQ(b.len, sizeof syn);
	ASSERT_MEM_EQ(b.data, syn, sizeof syn);
	nl_dbuf_reset(&b);

	h.seq = 0x01020305;
	h.ack = 0xa0b0c0d1;
	h.flags = TCP_PSH | TCP_ACK;
	h.win = 29200;
	h.mss = 0;
	ASSERT_EQ(tcp_hdr_write(&b, A_10_0_0_1, A_10_0_1_2, &h, "abc", 3),
	    NL_OK);
	ASSERT_EQ(b.len, sizeof data);
	ASSERT_MEM_EQ(b.data, data, sizeof data);
	nl_dbuf_free(&b);
}

/* write -> parse -> write gives the same bytes, with and without MSS. */
static void
ip_tcp_roundtrip(void)
{
	struct tcp_hdr h, g;
	struct nl_dbuf b, b2;
	const uint8_t *pl;
	size_t n;
	int mss;

	for (mss = 0; mss < 2; mss++) {
		memset(&h, 0, sizeof h);
		h.sport = 40000;
		h.dport = 110;
		h.seq = 0xfffffff0u;
		h.ack = 0x12345678u;
		h.flags = TCP_ACK | TCP_PSH | TCP_URG | TCP_FIN;
		h.win = 512;
		h.urg = 3;
		h.mss = mss ? 536 : 0;
		nl_dbuf_init(&b, 1024);
		ASSERT_EQ(tcp_hdr_write(&b, A_10_0_0_2, A_10_0_0_1, &h,
		    "+OK ready\r\n", 11), NL_OK);
		ASSERT_EQ(tcp_hdr_parse(b.data, b.len, A_10_0_0_2, A_10_0_0_1,
		    &g, &pl, &n), NL_OK);
		ASSERT_EQ(g.sport, h.sport);
		ASSERT_EQ(g.dport, h.dport);
		ASSERT_U64_EQ(g.seq, h.seq);
		ASSERT_U64_EQ(g.ack, h.ack);
		ASSERT_EQ(g.off, mss ? 6 : 5);
		ASSERT_EQ(g.flags, h.flags);
		ASSERT_EQ(g.win, h.win);
		ASSERT_EQ(g.urg, h.urg);
		ASSERT_EQ(g.mss, h.mss);
		ASSERT_EQ(n, 11);
		ASSERT(pl == b.data + g.off * 4);
		ASSERT_MEM_EQ(pl, "+OK ready\r\n", 11);
		nl_dbuf_init(&b2, 1024);
		ASSERT_EQ(tcp_hdr_write(&b2, A_10_0_0_2, A_10_0_0_1, &g, pl, n),
		    NL_OK);
		ASSERT_EQ(b2.len, b.len);
		ASSERT_MEM_EQ(b2.data, b.data, b.len);
		nl_dbuf_free(&b2);
		/* The pseudo-header counts (swapping the two addresses
		 * would not show it: the sum is commutative). */
		ASSERT_EQ(tcp_hdr_parse(b.data, b.len, A_10_0_0_2, A_10_0_1_2,
		    &g, &pl, &n), NL_EMALFORMED);
		nl_dbuf_free(&b);
	}
}

/* Builds a 20-byte header followed by the option bytes opt[0..olen)
 * (olen a multiple of 4) and 2 payload bytes into seg; returns the
 * segment length. The checksum is valid. */
static size_t
tcp_with_opts(uint8_t *seg, const uint8_t *opt, size_t olen)
{
	size_t n = TCP_HDR_LEN + olen + 2;

	memset(seg, 0, n);
	seg[0] = 0x04;		/* sport 1025 */
	seg[1] = 0x01;
	seg[3] = 80;		/* dport 80 */
	seg[12] = (uint8_t)((TCP_HDR_LEN + olen) / 4 << 4);
	seg[13] = TCP_SYN;
	seg[14] = 0x10;
	if (olen > 0)
		memcpy(seg + TCP_HDR_LEN, opt, olen);
	seg[n - 2] = 'h';
	seg[n - 1] = 'i';
	fix_tcp_cksum(seg, n, A_10_0_0_1, A_10_0_0_2);
	return n;
}

/* Options as real stacks send them: NOPs, window scale (3), SACK
 * permitted (4), timestamps (8), all skipped; MSS found among them; EOL
 * ends the list and what follows it is padding. */
static void
ip_tcp_options(void)
{
	static const uint8_t linux_syn[] = {
		2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
		1, 3, 3, 7
	};
	static const uint8_t eol[] = { 1, 1, 0, 0xee, 0xee, 0xee, 0xee, 0xee };
	static const uint8_t unknown[] = { 99, 6, 1, 2, 3, 4, 1, 0 };
	static const uint8_t mss_last[] = { 1, 1, 1, 1, 1, 2, 4, 0x02, 0x18,
		0, 0, 0 };
	uint8_t seg[80];
	struct tcp_hdr g;
	const uint8_t *pl;
	size_t n, len;

	len = tcp_with_opts(seg, linux_syn, sizeof linux_syn);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_OK);
	ASSERT_EQ(g.mss, 1460);
	ASSERT_EQ(g.off, 10);
	ASSERT_EQ(n, 2);
	ASSERT_MEM_EQ(pl, "hi", 2);

	len = tcp_with_opts(seg, eol, sizeof eol);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_OK);
	ASSERT_EQ(g.mss, 0);
	ASSERT_MEM_EQ(pl, "hi", 2);

	len = tcp_with_opts(seg, unknown, sizeof unknown);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_OK);
	ASSERT_EQ(g.mss, 0);

	len = tcp_with_opts(seg, mss_last, sizeof mss_last);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_OK);
	ASSERT_EQ(g.mss, 536);
}

/* Refusals: short segment, data offset under 5 or past the end, option
 * lengths 0 and 1, an option running past the header, a kind with no
 * length byte, an MSS of the wrong length, a bad checksum. */
static void
ip_tcp_rejects(void)
{
	static const uint8_t len0[] = { 1, 8, 0, 0 };
	static const uint8_t len1[] = { 8, 1, 0, 0 };
	static const uint8_t past[] = { 1, 1, 8, 10, 0, 0, 0, 0 };
	static const uint8_t nolen[] = { 1, 1, 1, 8 };
	static const uint8_t mss3[] = { 2, 3, 5, 0 };
	static const uint8_t mss6[] = { 2, 6, 5, 0xb4, 0, 0, 0, 0 };
	static const struct {
		const uint8_t *opt;
		size_t len;
	} bad[] = {
		{ len0, sizeof len0 }, { len1, sizeof len1 },
		{ past, sizeof past }, { nolen, sizeof nolen },
		{ mss3, sizeof mss3 }, { mss6, sizeof mss6 },
	};
	uint8_t seg[80];
	struct tcp_hdr g;
	const uint8_t *pl;
	size_t n, len, i;

	len = tcp_with_opts(seg, NULL, 0);
	ASSERT_EQ(len, 22);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_OK);
	ASSERT_EQ(tcp_hdr_parse(seg, 19, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_AGAIN);
	ASSERT_EQ(tcp_hdr_parse(NULL, 0, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_AGAIN);

	/* Data offset 4, then 6 and 15 with only 22 bytes (past the end). */
	seg[12] = 4 << 4;
	fix_tcp_cksum(seg, len, A_10_0_0_1, A_10_0_0_2);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_EMALFORMED);
	seg[12] = 6 << 4;
	fix_tcp_cksum(seg, len, A_10_0_0_1, A_10_0_0_2);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_EMALFORMED);
	seg[12] = 15 << 4;
	fix_tcp_cksum(seg, len, A_10_0_0_1, A_10_0_0_2);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_EMALFORMED);
	/* Offset 5 on exactly 20 bytes is fine: no payload. */
	len = tcp_with_opts(seg, NULL, 0) - 2;
	fix_tcp_cksum(seg, len, A_10_0_0_1, A_10_0_0_2);
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_OK);
	ASSERT_EQ(n, 0);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		len = tcp_with_opts(seg, bad[i].opt, bad[i].len);
		memset(&g, 0xaa, sizeof g);
		if (tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
		    &n) != NL_EMALFORMED)
			TEST_FAIL_AT("bad option list %zu was accepted", i);
		ASSERT_EQ(g.sport, 0);
		ASSERT(pl == NULL);
		ASSERT_EQ(n, 0);
	}

	/* A flipped payload bit: bad checksum. */
	len = tcp_with_opts(seg, NULL, 0);
	seg[len - 1] ^= 1;
	ASSERT_EQ(tcp_hdr_parse(seg, len, A_10_0_0_1, A_10_0_0_2, &g, &pl,
	    &n), NL_EMALFORMED);
}

/* Writer limits: NULL data, and a segment too big for one datagram. */
static void
ip_tcp_write_rejects(void)
{
	struct tcp_hdr h;
	struct nl_dbuf b;
	uint8_t *big = nl_calloc(1, 65536);

	ASSERT(big != NULL);
	memset(&h, 0, sizeof h);
	nl_dbuf_init(&b, 200000);
	ASSERT_EQ(tcp_hdr_write(&b, 0, 0, &h, NULL, 1), NL_EINVAL);
	ASSERT_EQ(tcp_hdr_write(&b, 0, 0, &h, big, 65516 - TCP_HDR_LEN),
	    NL_ELIMIT);
	h.mss = 1;
	ASSERT_EQ(tcp_hdr_write(&b, 0, 0, &h, big, 65512 - TCP_HDR_LEN),
	    NL_ELIMIT);
	ASSERT_EQ(b.len, 0);
	ASSERT_EQ(tcp_hdr_write(&b, 0, 0, &h, big, 65511 - TCP_HDR_LEN),
	    NL_OK);
	ASSERT_EQ(b.len, 65515);
	nl_dbuf_free(&b);
	nl_free(big);
}

/* Wireshark's order: lowest bit first. */
static void
ip_tcp_flags_str(void)
{
	char buf[64], small[8];

	ASSERT_STR_EQ(tcp_flags_str(0, buf, sizeof buf), "");
	ASSERT_STR_EQ(tcp_flags_str(TCP_SYN, buf, sizeof buf), "SYN");
	ASSERT_STR_EQ(tcp_flags_str(TCP_SYN | TCP_ACK, buf, sizeof buf),
	    "SYN, ACK");
	ASSERT_STR_EQ(tcp_flags_str(TCP_ACK, buf, sizeof buf), "ACK");
	ASSERT_STR_EQ(tcp_flags_str(TCP_FIN | TCP_ACK, buf, sizeof buf),
	    "FIN, ACK");
	ASSERT_STR_EQ(tcp_flags_str(TCP_PSH | TCP_ACK, buf, sizeof buf),
	    "PSH, ACK");
	ASSERT_STR_EQ(tcp_flags_str(TCP_RST | TCP_ACK, buf, sizeof buf),
	    "RST, ACK");
	ASSERT_STR_EQ(tcp_flags_str(TCP_FIN | TCP_PSH | TCP_ACK, buf,
	    sizeof buf), "FIN, PSH, ACK");
	ASSERT_STR_EQ(tcp_flags_str(TCP_ACK | TCP_URG, buf, sizeof buf),
	    "ACK, URG");
	ASSERT_STR_EQ(tcp_flags_str(0xff, buf, sizeof buf),
	    "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR");
	/* 32 bytes hold any common combination; a short buffer is cut. */
	ASSERT_STR_EQ(tcp_flags_str(0xff, buf, 32),
	    "FIN, SYN, RST, PSH, ACK, URG, E");
	ASSERT_STR_EQ(tcp_flags_str(TCP_SYN | TCP_ACK, small, sizeof small),
	    "SYN, AC");
	ASSERT_STR_EQ(tcp_flags_str(TCP_SYN, small, 1), "");
	ASSERT(tcp_flags_str(TCP_SYN, small, 0) == small);
}

/* ---- any bytes ---- */

/* Parses one buffer with all three parsers; outputs stay inside it. */
static int
parse_all(const uint8_t *p, size_t n)
{
	struct ipv4_hdr ih;
	struct udp_hdr uh;
	struct tcp_hdr th;
	const uint8_t *pl;
	size_t pn;

	if (ipv4_hdr_parse(p, n, &ih) == NL_OK &&
	    (ih.total_len > n || ih.ihl * 4 > ih.total_len))
		return 0;
	if (udp_parse(p, n, A_10_0_0_1, A_10_0_0_2, &uh, &pl, &pn) == NL_OK &&
	    (pl < p || pl + pn != p + n))
		return 0;
	if (tcp_hdr_parse(p, n, A_10_0_0_1, A_10_0_0_2, &th, &pl, &pn) ==
	    NL_OK && (pl < p || pl + pn != p + n))
		return 0;
	return 1;
}

/* Random and mutated bytes in heap buffers of the exact size, so that
 * ASan flags a read one byte past the end. The mutations start from
 * valid headers, so the deep paths (options, checksums) run too. */
static void
ip_parse_any_bytes(void)
{
	uint32_t seed = 1;
	uint8_t seg[80], opt[40];
	struct nl_dbuf b;
	struct ipv4_hdr h = sample_ip();
	struct tcp_hdr th;
	uint8_t *p;
	size_t n, i, k;
	int round;

	for (round = 0; round < 20000; round++) {
		n = lcg(&seed) % 72;
		p = nl_alloc(n ? n : 1);
		ASSERT(p != NULL);
		switch (round % 4) {
		case 0:		/* noise */
			for (i = 0; i < n; i++)
				p[i] = (uint8_t)lcg(&seed);
			break;
		case 1:		/* an IPv4 header, a few bytes changed */
			nl_dbuf_init(&b, 1024);
			h.total_len = (uint16_t)(lcg(&seed) % 80);
			if (h.total_len < IPV4_HDR_LEN)
				h.total_len = IPV4_HDR_LEN;
			if (ipv4_hdr_write(&b, &h) == NL_OK)
				memcpy(seg, b.data, IPV4_HDR_LEN);
			nl_dbuf_free(&b);
			memset(seg + IPV4_HDR_LEN, 0,
			    sizeof seg - IPV4_HDR_LEN);
			for (k = lcg(&seed) % 3; k > 0; k--)
				seg[lcg(&seed) % 24] = (uint8_t)lcg(&seed);
			memcpy(p, seg, n);
			break;
		case 2:		/* a TCP header with random options */
			for (i = 0; i < sizeof opt; i++)
				opt[i] = (uint8_t)(lcg(&seed) % 12);
			n = tcp_with_opts(seg, opt, (lcg(&seed) % 11) * 4);
			nl_free(p);
			p = nl_alloc(n);
			ASSERT(p != NULL);
			memcpy(p, seg, n);
			if (lcg(&seed) & 1)
				p[12] = (uint8_t)(lcg(&seed) << 4);
			break;
		default:	/* a valid TCP segment, cut short */
			memset(&th, 0, sizeof th);
			th.mss = (uint16_t)lcg(&seed);
			th.flags = (uint8_t)lcg(&seed);
			nl_dbuf_init(&b, 1024);
			/* Past the segment's end the buffer must not be
			 * left uninitialised: zeros. */
			memset(p, 0, n);
			if (tcp_hdr_write(&b, A_10_0_0_1, A_10_0_0_2, &th,
			    "xyz", 3) == NL_OK)
				memcpy(p, b.data, NL_MIN(n, b.len));
			nl_dbuf_free(&b);
			break;
		}
		k = (size_t)parse_all(p, n);
		nl_free(p);
		ASSERT_EQ(k, 1);
	}
}

const struct test_case tests_ip[] = {
	{ "ip_checksum_rfc1071", ip_checksum_rfc1071 },
	{ "ip_checksum_long", ip_checksum_long },
	{ "ip_checksum_captured", ip_checksum_captured },
	{ "ip_hdr_roundtrip", ip_hdr_roundtrip },
	{ "ip_hdr_write_rejects", ip_hdr_write_rejects },
	{ "ip_hdr_parse_rejects", ip_hdr_parse_rejects },
	{ "ip_hdr_parse_options", ip_hdr_parse_options },
	{ "ip_ttl_rewrite", ip_ttl_rewrite },
	{ "ip_addr_parse_ok", ip_addr_parse_ok },
	{ "ip_addr_parse_rejects", ip_addr_parse_rejects },
	{ "ip_udp_known", ip_udp_known },
	{ "ip_udp_roundtrip", ip_udp_roundtrip },
	{ "ip_udp_zero_checksum", ip_udp_zero_checksum },
	{ "ip_udp_rejects", ip_udp_rejects },
	{ "ip_tcp_known", ip_tcp_known },
	{ "ip_tcp_roundtrip", ip_tcp_roundtrip },
	{ "ip_tcp_options", ip_tcp_options },
	{ "ip_tcp_rejects", ip_tcp_rejects },
	{ "ip_tcp_write_rejects", ip_tcp_write_rejects },
	{ "ip_tcp_flags_str", ip_tcp_flags_str },
	{ "ip_parse_any_bytes", ip_parse_any_bytes },
	{ NULL, NULL },
};
