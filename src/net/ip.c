/* ip.c - the IPv4 layer of every node: build datagrams (RFC 791 3.1),
 * deliver them locally or forward them hop by hop (RFC 1812 5.2: TTL
 * decremented, checksum updated). No fragmentation: TCP segments fit the
 * MSS and netlab's UDP payloads are small. */
#include "net/net_int.h"

#include <stdio.h>
#include <string.h>

#include "proto/ip/tcp_hdr.h"
#include "proto/ip/udp.h"
#include "util/alloc.h"
#include "util/nl.h"

enum nl_status
net_ip_send(struct net *n, int32_t node, uint32_t src, uint32_t dst,
    uint8_t proto, const void *payload, size_t len)
{
	struct net_node *nd = net_node_get(n, node);
	struct ipv4_hdr h;
	struct nl_dbuf own, *b;
	uint8_t *dgram;
	size_t dlen;
	int32_t link, d;
	enum nl_status st;

	if (nd == NULL)
		return NL_EINVAL;
	if (len > IPV4_MAX_LEN - IPV4_HDR_LEN)
		return NL_ELIMIT;
	if (src == 0)
		src = net_node_addr(n, node);
	memset(&h, 0, sizeof h);
	h.total_len = (uint16_t)(IPV4_HDR_LEN + len);
	h.id = nd->ip_id++;
	h.flags = IPV4_FLAG_DF;
	h.ttl = IPV4_DEFAULT_TTL;
	h.proto = proto;
	h.src = src;
	h.dst = dst;
	b = net_buf_take(n, NET_BUF_IP, &own, IPV4_MAX_LEN);
	st = ipv4_hdr_write(b, &h);
	if (st == NL_OK)
		st = nl_dbuf_add(b, payload, len);
	if (st != NL_OK) {
		net_buf_give(n, NET_BUF_IP, b);
		return st;
	}
	dgram = b->data;
	dlen = b->len;
	/* An address is on one node only (net_node_addr_add), so "is it
	 * mine?" is the same lookup as "whose is it?". */
	d = net_node_by_addr(n, dst);
	if (!nd->up) {
		net_trace_drop(n, node, -1, -1, TRACE_DROP_NODE_DOWN, -1,
		    dgram, dlen);
		st = NL_ECLOSED;
	} else if (d == node) {
		net_loopback(n, node, dgram, dlen);
	} else if (net_route_node(n, node, d, &link) != NL_OK) {
		net_trace_drop(n, node, -1, -1, TRACE_DROP_NO_ROUTE, -1,
		    dgram, dlen);
		st = NL_ENOROUTE;
	} else {
		net_link_transmit(n, node, link, dgram, dlen, 1, d);
	}
	net_buf_give(n, NET_BUF_IP, b);
	return st;
}

void
net_ip_input(struct net *n, int32_t node, uint8_t *dgram, size_t len,
    int32_t dst_node, uint32_t gen)
{
	struct net_node *nd = &n->nodes[node];
	struct ipv4_hdr h;
	int32_t link, d;
	size_t hl;

	if (ipv4_hdr_parse(dgram, len, &h) != NL_OK) {
		net_trace_drop(n, node, -1, -1, TRACE_DROP_MALFORMED, -1,
		    dgram, len);
		return;
	}
	hl = (size_t)h.ihl * 4;
	d = gen == n->addr_gen ? dst_node : net_node_by_addr(n, h.dst);
	if (d == node) {
		const uint8_t *seg = dgram + hl;
		size_t slen = h.total_len - hl;

		if (h.proto == IPV4_PROTO_UDP)
			net_udp_input(n, node, &h, seg, slen);
		else if (h.proto == IPV4_PROTO_TCP)
			net_tcp_input(n, node, &h, seg, slen);
		return;
	}
	if (!nd->forwards || net_route_node(n, node, d, &link) != NL_OK) {
		net_trace_drop(n, node, -1, -1, TRACE_DROP_NO_ROUTE, -1,
		    dgram, len);
		return;
	}
	if (h.ttl <= 1) {
		net_trace_drop(n, node, -1, -1, TRACE_DROP_TTL, -1, dgram, len);
		return;
	}
	ipv4_hdr_set_ttl(dgram, (uint8_t)(h.ttl - 1));
	net_link_transmit(n, node, link, dgram, len, 0, d);
}

void
net_pkt_summary(struct net *n, const uint8_t *dgram, size_t len, char *buf,
    size_t size)
{
	struct ipv4_hdr h;
	char s[IPV4_ADDR_STRLEN], d[IPV4_ADDR_STRLEN];
	size_t hl;

	if (size == 0)
		return;
	/* Summaries describe what was sent even when a router later finds
	 * it broken, so parse without trusting: fall back to "IP len N". */
	if (ipv4_hdr_parse(dgram, len, &h) != NL_OK) {
		snprintf(buf, size, "IP (malformed) len=%zu", len);
		return;
	}
	hl = (size_t)h.ihl * 4;
	ipv4_addr_str(h.src, s);
	ipv4_addr_str(h.dst, d);
	if (h.proto == IPV4_PROTO_TCP) {
		struct tcp_hdr t;
		const uint8_t *pl;
		size_t plen;
		char flags[40];

		if (tcp_hdr_parse(dgram + hl, h.total_len - hl, h.src, h.dst,
		    &t, &pl, &plen) == NL_OK) {
			uint32_t iss = 0, irs = 0;
			int known = net_tcp_isns(n, h.src, t.sport, h.dst,
			    t.dport, &iss, &irs);

			/* An RST answering a stray segment has no
			 * connection: its numbers stay absolute. */
			if (known < 1 || (t.flags & TCP_RST))
				iss = 0;
			if (known < 2 || (t.flags & TCP_RST))
				irs = 0;
			tcp_flags_str(t.flags, flags, sizeof flags);
			if (t.flags & TCP_ACK)
				snprintf(buf, size, "TCP %s:%u → %s:%u [%s] "
				    "seq=%lu ack=%lu len=%zu", s, t.sport, d,
				    t.dport, flags,
				    (unsigned long)(uint32_t)(t.seq - iss),
				    (unsigned long)(uint32_t)(t.ack - irs),
				    plen);
			else
				snprintf(buf, size, "TCP %s:%u → %s:%u [%s] "
				    "seq=%lu len=%zu", s, t.sport, d, t.dport,
				    flags, (unsigned long)(uint32_t)(t.seq - iss),
				    plen);
			return;
		}
	} else if (h.proto == IPV4_PROTO_UDP) {
		struct udp_hdr u;
		const uint8_t *pl;
		size_t plen;

		if (udp_parse(dgram + hl, h.total_len - hl, h.src, h.dst, &u,
		    &pl, &plen) == NL_OK) {
			snprintf(buf, size, "UDP %s:%u → %s:%u len=%zu", s,
			    u.sport, d, u.dport, plen);
			return;
		}
	}
	snprintf(buf, size, "IP %s → %s proto=%u len=%u", s, d, h.proto,
	    h.total_len);
}
