/* udp.c - UDP sockets (RFC 768): bind, send, port demultiplexing. */
#include "net/net_int.h"

#include <string.h>

#include "proto/ip/udp.h"
#include "util/alloc.h"

struct net_udp {
	struct net *net;	/* owning network */
	int32_t node;		/* node bound on */
	uint16_t port;		/* local port */
	net_udp_recv_fn *fn;	/* datagram callback */
	void *ctx;		/* its argument */
	struct net_udp *next;	/* its node's list (net_node.udps) */
};

int
net_udp_port_used(const struct net *n, int32_t node, uint16_t port)
{
	const struct net_udp *u;

	if (node < 0 || (size_t)node >= n->nnodes)
		return 0;
	for (u = n->nodes[node].udps; u != NULL; u = u->next)
		if (u->port == port)
			return 1;
	return 0;
}

enum nl_status
net_udp_bind(struct net *n, int32_t node, uint16_t port,
    net_udp_recv_fn *fn, void *ctx, struct net_udp **out)
{
	struct net_udp *u;

	*out = NULL;
	if (net_node_get(n, node) == NULL)
		return NL_EINVAL;
	if (port == 0) {
		port = net_port_alloc(n, node, IPV4_PROTO_UDP);
		if (port == 0)
			return NL_EADDRINUSE;
	} else if (net_udp_port_used(n, node, port)) {
		return NL_EADDRINUSE;
	}
	u = nl_calloc(1, sizeof *u);
	if (u == NULL)
		return NL_ENOMEM;
	u->net = n;
	u->node = node;
	u->port = port;
	u->fn = fn;
	u->ctx = ctx;
	u->next = n->nodes[node].udps;
	n->nodes[node].udps = u;
	*out = u;
	return NL_OK;
}

enum nl_status
net_udp_sendto(struct net_udp *u, uint32_t dst, uint16_t dport,
    const void *data, size_t len)
{
	struct net *n = u->net;
	uint32_t src = net_node_addr(n, u->node);
	struct nl_dbuf own, *b;
	enum nl_status st;

	if (len > IPV4_MAX_LEN - IPV4_HDR_LEN - UDP_HDR_LEN)
		return NL_ELIMIT;
	b = net_buf_take(n, NET_BUF_L4, &own, IPV4_MAX_LEN);
	st = udp_write(b, src, dst, u->port, dport, data, len);
	if (st == NL_OK)
		st = net_ip_send(n, u->node, src, dst, IPV4_PROTO_UDP,
		    b->data, b->len);
	net_buf_give(n, NET_BUF_L4, b);
	return st;
}

uint16_t
net_udp_port(const struct net_udp *u)
{
	return u->port;
}

int32_t
net_udp_node(const struct net_udp *u)
{
	return u->node;
}

void
net_udp_close(struct net_udp *u)
{
	struct net_udp **pp;

	if (u == NULL)
		return;
	for (pp = &u->net->nodes[u->node].udps; *pp != NULL;
	    pp = &(*pp)->next) {
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	}
	nl_free(u);
}

void
net_udp_free_all(struct net *n)
{
	size_t i;

	for (i = 0; i < n->nnodes; i++)
		while (n->nodes[i].udps != NULL)
			net_udp_close(n->nodes[i].udps);
}

void
net_udp_input(struct net *n, int32_t node, const struct ipv4_hdr *ih,
    const uint8_t *seg, size_t len)
{
	struct udp_hdr h;
	const uint8_t *pl;
	size_t plen;
	struct net_udp *u;

	if (udp_parse(seg, len, ih->src, ih->dst, &h, &pl, &plen) != NL_OK)
		return;
	for (u = n->nodes[node].udps; u != NULL; u = u->next) {
		if (u->port == h.dport) {
			if (u->fn != NULL)
				u->fn(u, ih->src, h.sport, pl, plen, u->ctx);
			return;
		}
	}
	/* RFC 1122 4.1.3.1 would answer ICMP port unreachable; netlab has
	 * no ICMP yet, so the drop is only recorded. */
	net_trace_drop(n, node, net_node_by_addr(n, ih->src), -1,
	    TRACE_DROP_PORT_UNREACHABLE, -1, seg - (size_t)ih->ihl * 4,
	    ih->total_len);
}
