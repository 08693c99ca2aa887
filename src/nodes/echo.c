/* echo.c - the Echo (RFC 862) and Discard (RFC 863) services, and the
 * clients a scenario's timeline drives against them: tcp-echo, udp-echo
 * and tcp-send.
 *
 * RFC 862: "Once a connection is established any data received is sent
 * back"; over UDP "when a datagram is received, the data from it is sent
 * back in an answering datagram". RFC 863: "Once a connection is
 * established any data received is thrown away." Each message goes into
 * the trace as TRACE_APP, once, at its sender, one event per CRLF line:
 * "C: Hello" from the client, "S: Hello" from the server. */
#include <stdio.h>
#include <string.h>

#include "nodes/node_int.h"
#include "proto/ip/ipv4.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define ECHO_HOLD_MAX 1024	/* a line longer than this goes back in
				 * pieces */
#define ECHO_BUF_MAX (1u << 20)	/* per-connection hold cap */

/* Callbacks that do nothing, to detach a connection from freed state. */
static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

/* ---------------------------------------------------------------------
 * Servers
 * ------------------------------------------------------------------- */

struct srv_conn;

/* One listening service (TCP echo or discard) and its connections. */
struct tcp_srv {
	struct node *nd;		/* the node it runs on */
	struct net_tcp *listener;	/* NULL once stopped */
	enum trace_proto proto;		/* ECHO or DISCARD */
	struct srv_conn *conns;		/* accepted, still open */
};

struct srv_conn {
	struct srv_conn *next, *prev;	/* in tcp_srv.conns */
	struct tcp_srv *srv;		/* its service */
	struct net_tcp *c;		/* the connection */
	int32_t peer;			/* the client's node */
	struct nl_dbuf hold;		/* echo: a line not yet complete */
	uint64_t count;			/* discard: bytes thrown away */
	int overflow;			/* echo: hold buffer failed */
};

static void
srv_conn_unlink(struct srv_conn *sc)
{
	struct tcp_srv *srv = sc->srv;

	if (sc->prev != NULL)
		sc->prev->next = sc->next;
	else if (srv->conns == sc)
		srv->conns = sc->next;
	if (sc->next != NULL)
		sc->next->prev = sc->prev;
}

static void
srv_conn_free(struct srv_conn *sc)
{
	srv_conn_unlink(sc);
	nl_dbuf_free(&sc->hold);
	nl_free(sc);
}

/* Sends back data and reports it line by line. */
static void
echo_back(struct srv_conn *sc, const uint8_t *data, size_t len)
{
	struct net *n = node_net(sc->srv->nd);

	/* The message goes into the trace before its segments leave. */
	if (len == 0)
		return;
	node_app_lines(n, node_id(sc->srv->nd), sc->peer, TRACE_P_ECHO, 0,
	    net_tcp_id(sc->c), data, len, "S: ");
	(void)net_tcp_send(sc->c, data, len);
}

/* Echo: every complete line goes back at once; a partial line waits for
 * its end (so each line is one message), but never past ECHO_HOLD_MAX. */
static void
echo_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct srv_conn *sc = ctx;
	size_t i, last_lf = 0;
	int have_lf = 0;

	NL_UNUSED(c);
	if (sc->overflow) {
		echo_back(sc, data, len);
		return;
	}
	for (i = len; i > 0; i--) {
		if (data[i - 1] == '\n') {
			last_lf = i;
			have_lf = 1;
			break;
		}
	}
	if (!have_lf) {
		if (nl_dbuf_add(&sc->hold, data, len) != NL_OK) {
			sc->overflow = 1;	/* memory: echo as it comes */
			echo_back(sc, data, len);
			return;
		}
		if (sc->hold.len >= ECHO_HOLD_MAX) {
			uint8_t *b;
			size_t bl;

			b = nl_dbuf_take(&sc->hold, &bl);
			echo_back(sc, b, bl);
			nl_free(b);
		}
		return;
	}
	/* Held bytes + data up to the last LF go back; the rest waits. */
	if (sc->hold.len > 0) {
		uint8_t *b;
		size_t bl;

		if (nl_dbuf_add(&sc->hold, data, last_lf) != NL_OK) {
			sc->overflow = 1;
			echo_back(sc, data, len);
			return;
		}
		b = nl_dbuf_take(&sc->hold, &bl);
		echo_back(sc, b, bl);
		nl_free(b);
	} else {
		echo_back(sc, data, last_lf);
	}
	if (last_lf < len && nl_dbuf_add(&sc->hold, data + last_lf,
	    len - last_lf) != NL_OK) {
		sc->overflow = 1;
		echo_back(sc, data + last_lf, len - last_lf);
	}
}

static void
discard_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct srv_conn *sc = ctx;

	NL_UNUSED(c);
	NL_UNUSED(data);
	sc->count += len;
}

/* The client is done sending: echo what is held, report what was
 * discarded, and close our side. */
static void
srv_peer_fin(struct net_tcp *c, void *ctx)
{
	struct srv_conn *sc = ctx;
	struct net *n = node_net(sc->srv->nd);

	if (sc->srv->proto == TRACE_P_ECHO && sc->hold.len > 0) {
		uint8_t *b;
		size_t bl;

		b = nl_dbuf_take(&sc->hold, &bl);
		echo_back(sc, b, bl);
		nl_free(b);
	}
	if (sc->srv->proto == TRACE_P_DISCARD) {
		char text[160];

		/* A state of the server, not a message: no peer, so the
		 * transcript draws no arrow. */
		snprintf(text, sizeof text, "discarded %llu bytes from %s",
		    (unsigned long long)sc->count,
		    sc->peer >= 0 ? net_node_name(n, sc->peer) : "the client");
		node_event(n, TRACE_STATE, node_id(sc->srv->nd), -1,
		    TRACE_P_DISCARD, TRACE_F_SHOW, net_tcp_id(c), NULL, 0,
		    text);
	}
	(void)net_tcp_close(c);
}

static void
srv_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct srv_conn *sc = ctx;

	NL_UNUSED(c);
	NL_UNUSED(why);
	srv_conn_free(sc);
}

static const struct net_tcp_cbs echo_cbs = {
	NULL, echo_recv, srv_peer_fin, srv_close,
};
static const struct net_tcp_cbs discard_cbs = {
	NULL, discard_recv, srv_peer_fin, srv_close,
};

static void
srv_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	struct tcp_srv *srv = ctx;
	struct srv_conn *sc;

	NL_UNUSED(listener);
	sc = nl_calloc(1, sizeof *sc);
	if (sc == NULL) {
		net_tcp_abort(c);
		return;
	}
	sc->srv = srv;
	sc->c = c;
	sc->peer = net_tcp_peer_node(c);
	nl_dbuf_init(&sc->hold, ECHO_BUF_MAX);
	sc->next = srv->conns;
	if (srv->conns != NULL)
		srv->conns->prev = sc;
	srv->conns = sc;
	net_tcp_set_cbs(c, srv->proto == TRACE_P_ECHO ? &echo_cbs :
	    &discard_cbs, sc);
}

static enum nl_status
tcp_srv_start(struct node *nd, void **state, enum trace_proto proto,
    uint16_t port)
{
	struct tcp_srv *srv = nl_calloc(1, sizeof *srv);
	enum nl_status st;

	*state = NULL;
	if (srv == NULL)
		return NL_ENOMEM;
	srv->nd = nd;
	srv->proto = proto;
	st = net_tcp_listen(node_net(nd), node_id(nd), port, srv_accept, srv,
	    &srv->listener);
	if (st != NL_OK) {
		nl_free(srv);
		return st;
	}
	*state = srv;
	return NL_OK;
}

/* Closes the listener and drops every connection. When the node crashed
 * the connections are aborted (their RST dies with the node); when the
 * world is freed they are left to net_free, with no packet sent. */
static void
tcp_srv_stop(struct node *nd, void *state)
{
	struct tcp_srv *srv = state;
	int crash = !nd->ns->freeing;

	if (srv == NULL)
		return;
	if (srv->listener != NULL)
		(void)net_tcp_close(srv->listener);
	while (srv->conns != NULL) {
		struct srv_conn *sc = srv->conns;
		struct net_tcp *c = sc->c;

		net_tcp_set_cbs(c, &no_cbs, NULL);
		srv_conn_free(sc);
		if (crash)
			net_tcp_abort(c);
	}
	nl_free(srv);
}

static enum nl_status
tcp_echo_start(struct node *nd, void **state)
{
	return tcp_srv_start(nd, state, TRACE_P_ECHO, NODE_ECHO_PORT);
}

static enum nl_status
tcp_discard_start(struct node *nd, void **state)
{
	return tcp_srv_start(nd, state, TRACE_P_DISCARD, NODE_DISCARD_PORT);
}

/* UDP echo: each datagram goes straight back to where it came from. */
static void
udp_echo_recv(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx)
{
	struct node *nd = ctx;
	struct net *n = node_net(nd);

	node_app_lines(n, node_id(nd), net_node_by_addr(n, src), TRACE_P_ECHO,
	    0, -1, data, len, "S: ");
	(void)net_udp_sendto(sock, src, sport, data, len);
}

static enum nl_status
udp_echo_start(struct node *nd, void **state)
{
	struct net_udp *sock;
	enum nl_status st;

	*state = NULL;
	st = net_udp_bind(node_net(nd), node_id(nd), NODE_ECHO_PORT,
	    udp_echo_recv, nd, &sock);
	if (st == NL_OK)
		*state = sock;
	return st;
}

static void
udp_echo_stop(struct node *nd, void *state)
{
	NL_UNUSED(nd);
	net_udp_close(state);
}

const struct node_svc_ops node_svc_tcp_echo = {
	"tcp-echo", IPV4_PROTO_TCP, NODE_ECHO_PORT, tcp_echo_start,
	tcp_srv_stop,
};
const struct node_svc_ops node_svc_udp_echo = {
	"udp-echo", IPV4_PROTO_UDP, NODE_ECHO_PORT, udp_echo_start,
	udp_echo_stop,
};
const struct node_svc_ops node_svc_tcp_discard = {
	"tcp-discard", IPV4_PROTO_TCP, NODE_DISCARD_PORT, tcp_discard_start,
	tcp_srv_stop,
};

/* ---------------------------------------------------------------------
 * Clients
 * ------------------------------------------------------------------- */

/* What every client knows: where it runs and whom it talks to. */
struct cli_common {
	struct node_client base;	/* first: the nodes list */
	struct nodes *ns;
	int32_t node;			/* this node */
	int32_t peer;			/* the server's node, -1 unknown */
	uint32_t dst;			/* the server's address */
	uint16_t port;			/* and port */
	const char *what;		/* "tcp-echo", for notes */
};

/* A note at the client's node, "WHAT to SERVER port P: " + a + b (the
 * transcript shows the node already). */
static void
cli_note(const struct cli_common *cc, const char *a, const char *b)
{
	struct net *n = cc->ns->net;
	char text[256], where[96];

	if (cc->peer >= 0)
		snprintf(where, sizeof where, "%s port %u",
		    net_node_name(n, cc->peer), (unsigned)cc->port);
	else
		snprintf(where, sizeof where, "%u.%u.%u.%u port %u",
		    (unsigned)(cc->dst >> 24), (unsigned)(cc->dst >> 16 & 255),
		    (unsigned)(cc->dst >> 8 & 255), (unsigned)(cc->dst & 255),
		    (unsigned)cc->port);
	snprintf(text, sizeof text, "%s to %s: ", cc->what, where);
	snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", a,
	    b);
	nodes_note(n, cc->node, text);
}

static void
cli_init(struct cli_common *cc, struct nodes *ns, int32_t from,
    uint32_t dst, uint16_t port, const char *what,
    void (*stop)(struct node_client *, int))
{
	cc->base.node = from;
	cc->base.stop = stop;
	cc->ns = ns;
	cc->node = from;
	cc->peer = net_node_by_addr(ns->net, dst);
	cc->dst = dst;
	cc->port = port;
	cc->what = what;
}

/* A client cannot start on a node that is down: 1 (after a note) if so. */
static int
cli_refused_down(struct nodes *ns, int32_t from, uint32_t dst,
    uint16_t port, const char *what)
{
	struct cli_common cc;

	if (net_node_is_up(ns->net, from))
		return 0;
	memset(&cc, 0, sizeof cc);
	cli_init(&cc, ns, from, dst, port, what, NULL);
	cli_note(&cc, "not started: ", "this node is down");
	return 1;
}

/* Why a connection failed, in words for a note. */
static const char *
why_str(enum nl_status st)
{
	switch (st) {
	case NL_ECONNREFUSED:
		return "connection refused (nothing listens on that port)";
	case NL_ETIMEDOUT:
		return "timed out (no answer after all retransmissions)";
	case NL_ENOROUTE:
		return "no route to the server";
	case NL_ECONNRESET:
		return "connection reset by the server";
	default:
		return nl_status_str(st);
	}
}

/* ---- tcp-echo and tcp-send share one TCP client ---- */

struct tcp_cli {
	struct cli_common cc;
	struct net_tcp *c;		/* NULL once closed */
	enum trace_proto proto;		/* ECHO or DISCARD */
	char **lines;			/* tcp-echo: lines to send, owned */
	size_t nlines, next;		/* count, next to send */
	struct nl_dbuf sent;		/* tcp-echo: bytes sent so far */
	size_t got;			/* tcp-echo: bytes echoed so far */
	uint64_t bytes;			/* tcp-send: how many */
	int mismatch;			/* an echo differed from the line */
	int done;			/* all echoed, or all queued */
};

static void
tcp_cli_free(struct tcp_cli *tc)
{
	size_t i;

	node_client_unlink(tc->cc.ns, &tc->cc.base);
	for (i = 0; i < tc->nlines; i++)
		nl_free(tc->lines[i]);
	nl_free(tc->lines);
	nl_dbuf_free(&tc->sent);
	nl_free(tc);
}

/* Sends the next line, or closes once every line came back. */
static void
echo_cli_next(struct tcp_cli *tc)
{
	struct net *n = tc->cc.ns->net;
	struct nl_dbuf line;
	enum nl_status st;

	if (tc->next == tc->nlines) {
		tc->done = 1;
		(void)net_tcp_close(tc->c);
		return;
	}
	nl_dbuf_init(&line, 4096);
	st = nl_dbuf_add_str(&line, tc->lines[tc->next]);
	if (st == NL_OK)
		st = nl_dbuf_add(&line, "\r\n", 2);
	if (st == NL_OK)
		st = nl_dbuf_add(&tc->sent, line.data, line.len);
	if (st == NL_OK)
		node_app_lines(n, tc->cc.node, tc->cc.peer, TRACE_P_ECHO,
		    TRACE_F_TO_SERVER, net_tcp_id(tc->c), line.data, line.len,
		    "C: ");
	if (st == NL_OK)
		st = net_tcp_send(tc->c, line.data, line.len);
	nl_dbuf_free(&line);
	if (st != NL_OK) {
		cli_note(&tc->cc, "cannot send: ", nl_status_str(st));
		net_tcp_abort(tc->c);
		return;
	}
	tc->next++;
}

static uint8_t
pattern_byte(uint64_t i)
{
	static const char alpha[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	uint64_t col = i % 64;

	/* 64-byte lines: 62 characters rotated by the line number, CRLF. */
	if (col == 62)
		return '\r';
	if (col == 63)
		return '\n';
	return (uint8_t)alpha[(col + i / 64) % 62];
}

static void
send_cli_go(struct tcp_cli *tc)
{
	struct net *n = tc->cc.ns->net;
	uint8_t *buf;
	uint64_t i;
	enum nl_status st;
	char text[64];

	buf = nl_alloc((size_t)tc->bytes);
	if (buf == NULL) {
		cli_note(&tc->cc, "cannot send: ", nl_status_str(NL_ENOMEM));
		net_tcp_abort(tc->c);
		return;
	}
	for (i = 0; i < tc->bytes; i++)
		buf[i] = pattern_byte(i);
	snprintf(text, sizeof text, "C: %llu bytes",
	    (unsigned long long)tc->bytes);
	/* The bytes themselves are in the TCP segments; a trace event
	 * holds at most 64 KiB, so the message carries only its size. */
	node_event(n, TRACE_APP, tc->cc.node, tc->cc.peer, tc->proto,
	    TRACE_F_TO_SERVER, net_tcp_id(tc->c), NULL, 0, text);
	st = net_tcp_send(tc->c, buf, (size_t)tc->bytes);
	nl_free(buf);
	if (st != NL_OK) {
		cli_note(&tc->cc, "cannot send: ", nl_status_str(st));
		net_tcp_abort(tc->c);
		return;
	}
	tc->done = 1;
	(void)net_tcp_close(tc->c);
}

static void
tcp_cli_connect(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct tcp_cli *tc = ctx;

	NL_UNUSED(c);
	if (st != NL_OK) {
		/* on_close follows; it reports and frees. */
		return;
	}
	if (tc->lines != NULL || tc->bytes == 0)
		echo_cli_next(tc);
	else
		send_cli_go(tc);
}

static void
tcp_cli_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct tcp_cli *tc = ctx;

	NL_UNUSED(c);
	if (tc->bytes > 0)
		return;		/* tcp-send ignores what comes back */
	if (!tc->mismatch && (tc->got + len > tc->sent.len ||
	    memcmp(tc->sent.data + tc->got, data, len) != 0)) {
		tc->mismatch = 1;
		cli_note(&tc->cc, "", "the echo differs from what was sent");
	}
	tc->got += len;
	if (!tc->done && tc->got >= tc->sent.len)
		echo_cli_next(tc);
}

static void
tcp_cli_peer_fin(struct net_tcp *c, void *ctx)
{
	struct tcp_cli *tc = ctx;

	if (!tc->done) {
		cli_note(&tc->cc, "", "the server closed the connection "
		    "early");
		tc->done = 1;
	}
	(void)net_tcp_close(c);
}

static void
tcp_cli_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct tcp_cli *tc = ctx;

	NL_UNUSED(c);
	tc->c = NULL;
	if (why != NL_OK)
		cli_note(&tc->cc, "", why_str(why));
	else if (!tc->done)
		cli_note(&tc->cc, "", "the connection closed before the "
		    "end");
	tcp_cli_free(tc);
}

static const struct net_tcp_cbs tcp_cli_cbs = {
	tcp_cli_connect, tcp_cli_recv, tcp_cli_peer_fin, tcp_cli_close,
};

static void
tcp_cli_stop(struct node_client *cl, int crash)
{
	struct tcp_cli *tc = (struct tcp_cli *)cl;
	struct net_tcp *c = tc->c;

	if (c != NULL)
		net_tcp_set_cbs(c, &no_cbs, NULL);
	tcp_cli_free(tc);
	if (c != NULL && crash)
		net_tcp_abort(c);
}

static enum nl_status
tcp_cli_start(struct nodes *ns, struct tcp_cli *tc, int32_t from,
    uint32_t dst)
{
	enum nl_status st;

	node_client_link(ns, &tc->cc.base);
	st = net_tcp_connect(ns->net, from, dst, tc->cc.port, &tcp_cli_cbs,
	    tc, &tc->c);
	if (st != NL_OK) {
		tc->c = NULL;
		cli_note(&tc->cc, "", why_str(st));
		tcp_cli_free(tc);
		/* Reported in the trace: the run goes on. */
		return st == NL_ENOMEM ? st : NL_OK;
	}
	return NL_OK;
}

enum nl_status
node_tcp_echo(struct nodes *ns, int32_t from, uint32_t dst, uint16_t port,
    const char *const *lines, size_t nlines)
{
	struct tcp_cli *tc;
	size_t i;

	if (cli_refused_down(ns, from, dst, port, "tcp-echo"))
		return NL_OK;
	tc = nl_calloc(1, sizeof *tc);
	if (tc == NULL)
		return NL_ENOMEM;
	cli_init(&tc->cc, ns, from, dst, port, "tcp-echo", tcp_cli_stop);
	tc->proto = TRACE_P_ECHO;
	nl_dbuf_init(&tc->sent, (size_t)nlines * 1002 + 16);
	tc->lines = nl_calloc(nlines ? nlines : 1, sizeof *tc->lines);
	if (tc->lines == NULL) {
		nl_free(tc);
		return NL_ENOMEM;
	}
	for (i = 0; i < nlines; i++) {
		tc->lines[i] = nl_strdup(lines[i]);
		if (tc->lines[i] == NULL) {
			tc->nlines = i;
			node_client_link(ns, &tc->cc.base);
			tcp_cli_free(tc);
			return NL_ENOMEM;
		}
	}
	tc->nlines = nlines;
	return tcp_cli_start(ns, tc, from, dst);
}

enum nl_status
node_tcp_send(struct nodes *ns, int32_t from, uint32_t dst, uint16_t port,
    uint64_t bytes)
{
	struct tcp_cli *tc;

	if (bytes == 0 || bytes > NODE_SEND_MAX)
		return NL_EINVAL;
	if (cli_refused_down(ns, from, dst, port, "tcp-send"))
		return NL_OK;
	tc = nl_calloc(1, sizeof *tc);
	if (tc == NULL)
		return NL_ENOMEM;
	cli_init(&tc->cc, ns, from, dst, port, "tcp-send", tcp_cli_stop);
	tc->proto = port == NODE_ECHO_PORT ? TRACE_P_ECHO : TRACE_P_DISCARD;
	tc->bytes = bytes;
	nl_dbuf_init(&tc->sent, 0);
	return tcp_cli_start(ns, tc, from, dst);
}

/* ---- udp-echo ---- */

struct udp_cli {
	struct cli_common cc;
	struct net_udp *sock;		/* our ephemeral socket */
	uint64_t timer;			/* the reply timeout, 0 when none */
	uint64_t reap;			/* deferred free, 0 when none */
	char *text;			/* what was sent, owned */
	int answered;			/* the reply came */
};

static void
udp_cli_free(struct udp_cli *uc)
{
	struct sim *s = net_sim(uc->cc.ns->net);

	node_client_unlink(uc->cc.ns, &uc->cc.base);
	if (uc->timer != 0)
		(void)sim_cancel(s, uc->timer);
	if (uc->reap != 0)
		(void)sim_cancel(s, uc->reap);
	net_udp_close(uc->sock);
	nl_free(uc->text);
	nl_free(uc);
}

/* The socket is closed from an event of its own, never from inside its
 * receive callback. */
static sim_time
udp_cli_reap(struct sim *s, void *arg)
{
	struct udp_cli *uc = arg;

	NL_UNUSED(s);
	uc->reap = 0;
	udp_cli_free(uc);
	return SIM_DONE;
}

static sim_time
udp_cli_timeout(struct sim *s, void *arg)
{
	struct udp_cli *uc = arg;

	NL_UNUSED(s);
	uc->timer = 0;
	cli_note(&uc->cc, "no reply within ", "2 s");
	udp_cli_free(uc);
	return SIM_DONE;
}

static void
udp_cli_recv(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx)
{
	struct udp_cli *uc = ctx;
	struct sim *s = net_sim(uc->cc.ns->net);

	NL_UNUSED(sock);
	NL_UNUSED(sport);
	if (uc->answered || src != uc->cc.dst)
		return;
	uc->answered = 1;
	if (len != strlen(uc->text) || memcmp(data, uc->text, len) != 0)
		cli_note(&uc->cc, "", "the echo differs from what was sent");
	if (uc->timer != 0) {
		(void)sim_cancel(s, uc->timer);
		uc->timer = 0;
	}
	uc->reap = sim_schedule(s, 0, udp_cli_reap, uc);
}

static void
udp_cli_stop(struct node_client *cl, int crash)
{
	NL_UNUSED(crash);
	udp_cli_free((struct udp_cli *)cl);
}

enum nl_status
node_udp_echo(struct nodes *ns, int32_t from, uint32_t dst, uint16_t port,
    const char *text)
{
	struct udp_cli *uc;
	struct sim *s = net_sim(ns->net);
	enum nl_status st;
	size_t len = strlen(text);

	if (cli_refused_down(ns, from, dst, port, "udp-echo"))
		return NL_OK;
	uc = nl_calloc(1, sizeof *uc);
	if (uc == NULL)
		return NL_ENOMEM;
	cli_init(&uc->cc, ns, from, dst, port, "udp-echo", udp_cli_stop);
	node_client_link(ns, &uc->cc.base);
	uc->text = nl_strdup(text);
	if (uc->text == NULL) {
		udp_cli_free(uc);
		return NL_ENOMEM;
	}
	st = net_udp_bind(ns->net, from, 0, udp_cli_recv, uc, &uc->sock);
	if (st != NL_OK) {
		udp_cli_free(uc);
		return st;
	}
	/* The message is reported before it leaves, as for TCP. */
	node_app_lines(ns->net, from, uc->cc.peer, TRACE_P_ECHO,
	    TRACE_F_TO_SERVER, -1, (const uint8_t *)text, len, "C: ");
	st = net_udp_sendto(uc->sock, dst, port, text, len);
	if (st != NL_OK) {
		cli_note(&uc->cc, "", why_str(st));
		udp_cli_free(uc);
		return st == NL_ENOMEM ? st : NL_OK;
	}
	uc->timer = sim_schedule(s, NODE_UDP_TIMEOUT, udp_cli_timeout, uc);
	if (uc->timer == 0) {
		udp_cli_free(uc);
		return NL_ENOMEM;
	}
	return NL_OK;
}
