/* test_pcap.c - unit tests of the pcap module: a trace built by hand is
 * written as pcap, read back and checked field by field (file header,
 * record count, timestamps, bytes) in both selection modes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/ip/ipv4.h"
#include "proto/ip/tcp_hdr.h"
#include "proto/ip/udp.h"
#include "trace/pcap.h"
#include "trace/trace.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "test.h"

#define ALICE 0x0a000001u	/* 10.0.0.1 */
#define BOB 0x0a000102u		/* 10.0.1.2 */

/* ---- helpers ---- */

/* Appends to b an IPv4 datagram from src to dst carrying a UDP segment
 * with payload pl. NL_OK or the first failure. */
static enum nl_status
udp_dgram(struct nl_dbuf *b, uint32_t src, uint32_t dst, uint8_t ttl,
    const char *pl)
{
	struct ipv4_hdr h;
	size_t n = strlen(pl);
	enum nl_status st;

	memset(&h, 0, sizeof h);
	h.total_len = (uint16_t)(IPV4_HDR_LEN + UDP_HDR_LEN + n);
	h.id = 7;
	h.ttl = ttl;
	h.proto = IPV4_PROTO_UDP;
	h.src = src;
	h.dst = dst;
	if ((st = ipv4_hdr_write(b, &h)) != NL_OK)
		return st;
	return udp_write(b, src, dst, 40000, 7, pl, n);
}

/* Appends to b an IPv4 datagram carrying a TCP segment with th and
 * payload pl. */
static enum nl_status
tcp_dgram(struct nl_dbuf *b, uint32_t src, uint32_t dst,
    const struct tcp_hdr *th, const char *pl)
{
	struct ipv4_hdr h;
	size_t n = strlen(pl);
	enum nl_status st;

	memset(&h, 0, sizeof h);
	h.total_len = (uint16_t)(IPV4_HDR_LEN + TCP_HDR_LEN +
	    (th->mss != 0 ? 4u : 0u) + n);
	h.flags = IPV4_FLAG_DF;
	h.ttl = IPV4_DEFAULT_TTL;
	h.proto = IPV4_PROTO_TCP;
	h.src = src;
	h.dst = dst;
	if ((st = ipv4_hdr_write(b, &h)) != NL_OK)
		return st;
	return tcp_hdr_write(b, src, dst, th, pl, n);
}

/* Appends an event of kind at node with the bytes of d (may be NULL). */
static enum nl_status
add_ev(struct trace *t, sim_time when, enum trace_kind kind, int32_t node,
    uint16_t flags, const struct nl_dbuf *d)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.t = when;
	ev.kind = (uint8_t)kind;
	ev.proto = TRACE_P_IP;
	ev.flags = flags;
	ev.node = node;
	ev.peer = -1;
	ev.link = -1;
	ev.summary = "test";
	ev.data = d != NULL ? d->data : NULL;
	ev.len = d != NULL ? (uint32_t)d->len : 0;
	return trace_append(t, &ev, NULL);
}

/* The datagrams of the lab below. */
struct lab {
	struct trace *t;	/* the log */
	struct nl_dbuf a;	/* alice -> bob, UDP, TTL 64 */
	struct nl_dbuf a2;	/* the same after r1, TTL 63 */
	struct nl_dbuf b;	/* bob -> alice, TCP SYN+ACK */
};

/* Times of the events the captures select. */
#define T_A_SEND (1 * SIM_S + 500 * SIM_MS + 7)
#define T_A_R1 (1 * SIM_S + 500 * SIM_MS + 1000)
#define T_A_BOB (2 * SIM_S)
#define T_B_SEND (3 * SIM_S + 999999999)

/* Frees what lab_build made; fine on a half-built lab. */
static void
lab_free(struct lab *l)
{
	trace_free(l->t);
	nl_dbuf_free(&l->a);
	nl_dbuf_free(&l->a2);
	nl_dbuf_free(&l->b);
}

/* Builds alice(0) -- r1(1) -- bob(2). Alice sends a UDP datagram that
 * r1 forwards to bob, bob answers with a TCP segment; around them are
 * events no capture may show: a note, a drop and an app message with
 * bytes, and a pkt-send without bytes. NL_OK or the first failure. */
static enum nl_status
lab_build(struct lab *l)
{
	static const struct {
		sim_time t;		/* when */
		enum trace_kind kind;	/* what */
		int32_t node;		/* where */
		uint16_t flags;		/* TRACE_F_* */
		int dg;			/* 0 none, 1 a, 2 a2, 3 b */
	} evs[] = {
		{ 0, TRACE_NOTE, -1, 0, 0 },
		{ T_A_SEND, TRACE_PKT_SEND, 0, TRACE_F_ORIGIN, 1 },
		{ T_A_R1, TRACE_PKT_RECV, 1, 0, 1 },
		{ T_A_R1, TRACE_PKT_SEND, 1, 0, 2 },
		{ T_A_R1, TRACE_PKT_DROP, 1, 0, 2 },
		{ T_A_BOB, TRACE_PKT_RECV, 2, 0, 2 },
		{ T_B_SEND, TRACE_PKT_SEND, 2, TRACE_F_ORIGIN, 3 },
		{ T_B_SEND, TRACE_APP, 2, 0, 3 },
		{ T_B_SEND, TRACE_PKT_SEND, 0, TRACE_F_ORIGIN, 0 },
	};
	const struct nl_dbuf *d;
	struct tcp_hdr th;
	int32_t id;
	size_t i;
	enum nl_status st;

	memset(l, 0, sizeof *l);
	nl_dbuf_init(&l->a, 70000);
	nl_dbuf_init(&l->a2, 70000);
	nl_dbuf_init(&l->b, 70000);
	memset(&th, 0, sizeof th);
	th.sport = 25;
	th.dport = 49152;
	th.seq = 1000;
	th.ack = 2001;
	th.flags = TCP_SYN | TCP_ACK;
	th.win = 65535;
	th.mss = 1460;
	l->t = trace_new();
	if (l->t == NULL)
		return NL_ENOMEM;
	if ((st = trace_node_add(l->t, "alice", "host", &id)) != NL_OK ||
	    (st = trace_node_add(l->t, "r1", "router", &id)) != NL_OK ||
	    (st = trace_node_add(l->t, "bob", "host", &id)) != NL_OK ||
	    (st = udp_dgram(&l->a, ALICE, BOB, 64, "hello")) != NL_OK ||
	    (st = udp_dgram(&l->a2, ALICE, BOB, 63, "hello")) != NL_OK ||
	    (st = tcp_dgram(&l->b, BOB, ALICE, &th, "")) != NL_OK)
		return st;
	for (i = 0; i < sizeof evs / sizeof evs[0]; i++) {
		d = evs[i].dg == 0 ? NULL : evs[i].dg == 1 ? &l->a :
		    evs[i].dg == 2 ? &l->a2 : &l->b;
		st = add_ev(l->t, evs[i].t, evs[i].kind, evs[i].node,
		    evs[i].flags, d);
		if (st != NL_OK)
			return st;
	}
	return NL_OK;
}

/* Reads the whole of f from its start into a new buffer (nl_free it);
 * NULL on failure. */
static uint8_t *
slurp(FILE *f, size_t *n)
{
	uint8_t *p = NULL;
	long len;

	*n = 0;
	if (fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0)
		return NULL;
	len = ftell(f);
	if (len < 0 || fseek(f, 0, SEEK_SET) != 0)
		return NULL;
	p = nl_alloc((size_t)len + 1);
	if (p == NULL)
		return NULL;
	if (fread(p, 1, (size_t)len, f) != (size_t)len) {
		nl_free(p);
		return NULL;
	}
	*n = (size_t)len;
	return p;
}

/* Writes the capture of t at at_node to a temporary file and returns
 * its bytes (nl_free them); NULL if the write did not return want. */
static uint8_t *
capture(const struct trace *t, int32_t at_node, enum nl_status want,
    size_t *n)
{
	FILE *f = tmpfile();
	uint8_t *p = NULL;

	*n = 0;
	if (f == NULL)
		return NULL;
	if (trace_pcap_write(t, at_node, f) == want)
		p = slurp(f, n);
	fclose(f);
	return p;
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* One record as read back. */
struct rec {
	uint32_t sec;		/* timestamp, seconds */
	uint32_t nsec;		/* timestamp, nanoseconds */
	uint32_t caplen;	/* bytes in the file */
	uint32_t origlen;	/* bytes on the wire */
	const uint8_t *data;	/* points into the file image */
};

/* Splits a file image into records after checking its 24-byte header;
 * returns the record count, or -1 if the image is not well formed. */
static int
records(const uint8_t *p, size_t n, struct rec *r, int max)
{
	size_t off = 24;
	int k = 0;

	if (n < 24 || rd32(p) != 0xa1b23c4du || rd16(p + 4) != 2 ||
	    rd16(p + 6) != 4 || rd32(p + 8) != 0 || rd32(p + 12) != 0 ||
	    rd32(p + 16) != 65535 || rd32(p + 20) != 101)
		return -1;
	while (off < n) {
		if (k == max || n - off < 16)
			return -1;
		r[k].sec = rd32(p + off);
		r[k].nsec = rd32(p + off + 4);
		r[k].caplen = rd32(p + off + 8);
		r[k].origlen = rd32(p + off + 12);
		off += 16;
		if (n - off < r[k].caplen || r[k].nsec >= 1000000000u)
			return -1;
		r[k].data = p + off;
		off += r[k].caplen;
		k++;
	}
	return k;
}

/* Asserts that record r holds the datagram d, stamped sec.nsec. */
#define ASSERT_REC(r, s, ns, d)                                            \
	do {                                                               \
		ASSERT_EQ((r).sec, (s));                                   \
		ASSERT_EQ((r).nsec, (ns));                                 \
		ASSERT_EQ((r).caplen, (d).len);                            \
		ASSERT_EQ((r).origlen, (d).len);                           \
		ASSERT_MEM_EQ((r).data, (d).data, (d).len);                \
	} while (0)

/* ---- tests ---- */

/* An empty log gives the 24-byte file header alone, byte for byte:
 * nanosecond magic, 2.4, snaplen 65535, LINKTYPE_RAW, little-endian. */
static void
pcap_file_header(void)
{
	static const uint8_t want[24] = {
		0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 101, 0, 0, 0
	};
	struct trace *t = trace_new();
	uint8_t *p;
	size_t n;

	ASSERT(t != NULL);
	p = capture(t, TRACE_PCAP_ALL_NODES, NL_OK, &n);
	trace_free(t);
	ASSERT(p != NULL);
	ASSERT_EQ(n, sizeof want);
	ASSERT_MEM_EQ(p, want, sizeof want);
	nl_free(p);
}

/* The whole lab: each datagram once, at its source's send, in order. */
static void
pcap_whole_lab(void)
{
	struct lab l;
	struct rec r[8];
	uint8_t *p;
	size_t n;
	int k;

	ASSERT_EQ(lab_build(&l), NL_OK);
	p = capture(l.t, TRACE_PCAP_ALL_NODES, NL_OK, &n);
	ASSERT(p != NULL);
	k = records(p, n, r, 8);
	ASSERT_EQ(k, 2);
	ASSERT_REC(r[0], 1, 500000007, l.a);
	ASSERT_REC(r[1], 3, 999999999, l.b);
	nl_free(p);
	lab_free(&l);
}

/* At one node: what that node sent and received, in order. The router
 * sees the datagram twice, with TTL 64 in and 63 out. */
static void
pcap_at_node(void)
{
	struct lab l;
	struct rec r[8];
	uint8_t *p;
	size_t n;
	int k;

	ASSERT_EQ(lab_build(&l), NL_OK);

	p = capture(l.t, 1, NL_OK, &n);
	ASSERT(p != NULL);
	k = records(p, n, r, 8);
	ASSERT_EQ(k, 2);
	ASSERT_REC(r[0], 1, 500001000, l.a);
	ASSERT_REC(r[1], 1, 500001000, l.a2);
	ASSERT_EQ(r[0].data[8], 64);
	ASSERT_EQ(r[1].data[8], 63);
	nl_free(p);

	p = capture(l.t, 2, NL_OK, &n);
	ASSERT(p != NULL);
	k = records(p, n, r, 8);
	ASSERT_EQ(k, 2);
	ASSERT_REC(r[0], 2, 0, l.a2);
	ASSERT_REC(r[1], 3, 999999999, l.b);
	nl_free(p);

	/* Alice's send without bytes is left out. */
	p = capture(l.t, 0, NL_OK, &n);
	ASSERT(p != NULL);
	k = records(p, n, r, 8);
	ASSERT_EQ(k, 1);
	ASSERT_REC(r[0], 1, 500000007, l.a);
	nl_free(p);
	lab_free(&l);
}

/* Bad arguments are refused before a byte is written. */
static void
pcap_bad_args(void)
{
	struct lab l;
	FILE *f;

	ASSERT_EQ(lab_build(&l), NL_OK);
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_pcap_write(NULL, -1, f), NL_EINVAL);
	ASSERT_EQ(trace_pcap_write(l.t, -1, NULL), NL_EINVAL);
	ASSERT_EQ(trace_pcap_write(l.t, -2, f), NL_EINVAL);
	ASSERT_EQ(trace_pcap_write(l.t, 3, f), NL_ENOTFOUND);
	ASSERT_EQ(trace_pcap_write(l.t, INT32_MAX, f), NL_ENOTFOUND);
	ASSERT_EQ(ftell(f), 0);
	fclose(f);
	lab_free(&l);
}

/* A datagram longer than the snaplen is cut, with its length kept; a
 * time that does not fit 32-bit seconds, or is negative, is refused. */
static void
pcap_limits(void)
{
	struct trace *t = trace_new();
	struct nl_dbuf big;
	struct rec r[2];
	uint8_t *p;
	size_t n;
	int32_t id;

	ASSERT(t != NULL);
	nl_dbuf_init(&big, 70000);
	while (big.len < 70000)
		ASSERT_EQ(nl_dbuf_add_u8(&big, (uint8_t)big.len), NL_OK);
	ASSERT_EQ(trace_node_add(t, "n", "host", &id), NL_OK);
	ASSERT_EQ(add_ev(t, (sim_time)UINT32_MAX * SIM_S + 999999999,
	    TRACE_PKT_SEND, 0, TRACE_F_ORIGIN, &big), NL_OK);
	p = capture(t, -1, NL_OK, &n);
	ASSERT(p != NULL);
	ASSERT_EQ(records(p, n, r, 2), 1);
	ASSERT_EQ(r[0].sec, UINT32_MAX);
	ASSERT_EQ(r[0].nsec, 999999999);
	ASSERT_EQ(r[0].caplen, 65535);
	ASSERT_EQ(r[0].origlen, 70000);
	ASSERT_MEM_EQ(r[0].data, big.data, 65535);
	nl_free(p);

	ASSERT_EQ(add_ev(t, (sim_time)UINT32_MAX * SIM_S + SIM_S,
	    TRACE_PKT_SEND, 0, TRACE_F_ORIGIN, &big), NL_OK);
	p = capture(t, -1, NL_ELIMIT, &n);
	ASSERT(p != NULL);
	nl_free(p);
	trace_free(t);

	t = trace_new();
	ASSERT(t != NULL);
	ASSERT_EQ(trace_node_add(t, "n", "host", &id), NL_OK);
	ASSERT_EQ(add_ev(t, -1, TRACE_PKT_SEND, 0, TRACE_F_ORIGIN, &big),
	    NL_OK);
	p = capture(t, 0, NL_ELIMIT, &n);
	ASSERT(p != NULL);
	nl_free(p);
	trace_free(t);
	nl_dbuf_free(&big);
}

/* A stream that refuses writes gives NL_EIO. */
static void
pcap_write_error(void)
{
	struct lab l;
	char path[256];
	FILE *f;

	ASSERT_EQ(lab_build(&l), NL_OK);
	snprintf(path, sizeof path, "%s/netlab-pcap-ro-%ld.pcap",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	f = fopen(path, "wb");
	ASSERT(f != NULL);
	fclose(f);
	f = fopen(path, "rb");
	ASSERT(f != NULL);
	ASSERT_EQ(trace_pcap_write(l.t, -1, f), NL_EIO);
	fclose(f);
	remove(path);
	lab_free(&l);
}

/* trace_pcap_write_file writes what trace_pcap_write writes; it fails
 * cleanly on a path it cannot create and creates nothing for a bad
 * node. */
static void
pcap_write_file(void)
{
	struct lab l;
	char path[256];
	uint8_t *want, *got;
	size_t nwant, ngot;
	FILE *f;

	ASSERT_EQ(lab_build(&l), NL_OK);
	snprintf(path, sizeof path, "%s/netlab-pcap-%ld.pcap",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	ASSERT_EQ(trace_pcap_write_file(l.t, 1, path), NL_OK);
	f = fopen(path, "rb");
	ASSERT(f != NULL);
	got = slurp(f, &ngot);
	fclose(f);
	remove(path);
	want = capture(l.t, 1, NL_OK, &nwant);
	ASSERT(got != NULL && want != NULL);
	ASSERT_EQ(ngot, nwant);
	ASSERT_MEM_EQ(got, want, nwant);
	nl_free(got);
	nl_free(want);

	ASSERT_EQ(trace_pcap_write_file(l.t, 7, path), NL_ENOTFOUND);
	ASSERT((f = fopen(path, "rb")) == NULL);
	ASSERT_EQ(trace_pcap_write_file(l.t, -1,
	    "/nonexistent-netlab-dir/x.pcap"), NL_EIO);
	ASSERT_EQ(trace_pcap_write_file(l.t, -1, NULL), NL_EINVAL);
	lab_free(&l);
}

const struct test_case tests_pcap[] = {
	{ "pcap_file_header", pcap_file_header },
	{ "pcap_whole_lab", pcap_whole_lab },
	{ "pcap_at_node", pcap_at_node },
	{ "pcap_bad_args", pcap_bad_args },
	{ "pcap_limits", pcap_limits },
	{ "pcap_write_error", pcap_write_error },
	{ "pcap_write_file", pcap_write_file },
	{ NULL, NULL },
};
