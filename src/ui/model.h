/* model.h - what the viewer precomputes from a trace once, before the
 * first frame: which datagrams carry which application message, the hop
 * chain of every datagram, the steps and event list rows of each
 * granularity, and where each node sits.
 *
 * Everything here is a pure function of the trace (and optional layout
 * hints); frames only read it, so a frame never allocates. */
#ifndef NL_UI_MODEL_H
#define NL_UI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "trace/trace.h"
#include "util/status.h"

#define UI_NONE UINT32_MAX	/* "no event" in the uint32_t arrays */

/* How long, in wall time, a typical message of the trace takes to
 * cross the screen at 1x: the model's pace follows from it. */
#define UI_SPEED_CROSSING_MS 1500

/* How a node is drawn, from its kind string. ORDER CLASS */
enum ui_node_class {
	UI_NC_HOST,		/* "host" and anything unknown */
	UI_NC_ROUTER,		/* "router" */
	UI_NC_USER,		/* "user-agent" */
	UI_NC_MAIL,		/* "mail-server" */
	UI_NC_DNS_ROOT,		/* "dns-root" */
	UI_NC_DNS_TLD,		/* "dns-tld" */
	UI_NC_DNS_AUTH,		/* "dns-authoritative" */
	UI_NC_DNS_LOCAL,	/* "dns-local" */
	UI_NC_COUNT_
};

/* What a step and an event list row are. ORDER GRAN */
enum ui_gran {
	UI_GRAN_APP,		/* application messages only */
	UI_GRAN_SEGMENT,	/* every datagram on every link */
	UI_GRAN_COUNT_
};

/* A position hint for one node, both coordinates in 0..1 (x to the
 * right, y down), as a scenario's "layout" gives it. */
struct ui_hint {
	int set;		/* 0: no hint for this node */
	double x, y;		/* position in the canvas, 0..1 */
};

struct ui_node_info {
	uint8_t cls;		/* enum ui_node_class */
	double x, y;		/* position in the canvas, 0..1 */
	char addr[64];		/* addresses, ", "-separated, "" if none */
};

struct ui_model {
	const struct trace *t;	/* borrowed; outlives the model */
	size_t nev;		/* events in t */
	size_t nnodes;		/* nodes in t */
	struct ui_node_info *nodes; /* nnodes entries */

	/* Per event, indexed like the trace (UI_NONE when it does not
	 * apply). */
	uint32_t *app_of;	/* pkt-send/-drop: the app event whose bytes
				 * the datagram carries */
	uint32_t *origin_of;	/* pkt-send: the origin pkt-send of the
				 * same datagram (itself at the source) */
	uint32_t *next_hop;	/* pkt-send: the next hop's pkt-send */
	uint32_t *drop_of;	/* pkt-send: the pkt-drop that lost it */
	uint32_t *first_send;	/* app: the first pkt-send carrying it */
	sim_time *end;		/* app: when its last byte arrives (or is
				 * lost); pkt-send: arrival (c) */
	sim_time *busy;		/* nev + 1 entries; busy[i] is the latest
				 * arrival of the pkt-sends before event i:
				 * nothing is in flight at a time past it */

	uint32_t *steps[UI_GRAN_COUNT_];  /* the events a step lands on */
	size_t nsteps[UI_GRAN_COUNT_];
	uint32_t *rows[UI_GRAN_COUNT_];	  /* the events the list shows */
	size_t nrows[UI_GRAN_COUNT_];
	uint32_t *notes;	/* TRACE_NOTE events */
	size_t nnotes;
	uint32_t *updown;	/* TRACE_LINK and TRACE_NODE events */
	size_t nupdown;
	uint32_t *drops;	/* TRACE_PKT_DROP events */
	size_t ndrops;
	uint32_t *states;	/* TRACE_STATE events */
	size_t nstates;
	uint32_t *checks;	/* TRACE_CHECK events: questions */
	size_t nchecks;
	uint32_t *tcp_states;	/* TRACE_TCP_STATE events */
	size_t ntcp_states;
	/* The same two lists by node, for the inspector: node i's events
	 * are by_node[at[i] .. at[i + 1]) (see ui_node_states). */
	uint32_t *states_by_node, *tcp_by_node;
	uint64_t serial;	/* unique to this model in the process: what
				 * the inspector keys its kept fold on */
	size_t *states_at, *tcp_at;	/* nnodes + 1 entries each */
	int32_t *column[UI_GRAN_COUNT_]; /* per node: its ladder column, -1
				 * when no step of that granularity
				 * involves it */
	int ncolumns[UI_GRAN_COUNT_];	/* ladder columns */

	sim_time max_flight;	/* longest pkt-send from event to arrival */
	sim_time pace;		/* virtual time 1x plays per wall second:
				 * a typical message crosses in 1.5 s */
	sim_time t_end;		/* time of the last event, 0 if none */
	uint32_t protos;	/* bit (1 << proto) for each protocol seen */
};

/*
 * Builds the model of t. hints (nhints entries, may be NULL) place the
 * nodes when every node has one; otherwise layout is automatic (see
 * ui_layout). On success *out gets the model (free with ui_model_free);
 * NL_ENOMEM leaves *out NULL. t must not change while the model lives.
 */
enum nl_status ui_model_new(const struct trace *t,
    const struct ui_hint *hints, size_t nhints, struct ui_model **out);
void ui_model_free(struct ui_model *m);

/* Whether pkt-send ev has times a viewer can use: t <= b <= c, and it
 * arrives within UI_FLIGHT_MAX. A trace file is hostile input; a send
 * that fails this is shown, but never in flight. */
#define UI_FLIGHT_MAX (86400 * SIM_S)
int ui_send_timed(const struct trace_event *ev);

/* a + b, held at SIM_TIME_MAX instead of overflowing (b >= 0). */
sim_time ui_time_add(sim_time a, sim_time b);

/* The class of a node kind string ("dns-root" -> UI_NC_DNS_ROOT). */
enum ui_node_class ui_node_class_of(const char *kind);

/*
 * Places the nodes of t into nodes[0..trace_node_count) (x, y in 0..1)
 * and sets their class. With hints for every node, uses them. Otherwise
 * the DNS hierarchy (root, TLD, authoritative) forms a tree of rows with
 * the root on top, and every other node goes into columns by hop count
 * from the first host or user agent, so mail flows left to right with
 * the routers between. Deterministic; allocates a little scratch memory
 * (NL_ENOMEM).
 */
enum nl_status ui_layout(const struct trace *t, const struct ui_hint *hints,
    size_t nhints, struct ui_node_info *nodes);

/* Index of the first element of list[0..n) (event indices, so sorted
 * by time too) whose event happens at or after time t; n if none. */
size_t ui_index_at_time(const struct ui_model *m, const uint32_t *list,
    size_t n, sim_time t);

/* Index of the last element of list[0..n) that is < limit, or -1: the
 * step or row at or before a cursor (list sorted ascending). */
long ui_index_before(const uint32_t *list, size_t n, size_t limit);
/* Node id's state events (tcp 0) or tcp-state events (tcp 1), in trace
 * order; *n gets their count. A node's inspector folds these only, so a
 * frame costs what that node did, not what the whole campus did. */
const uint32_t *ui_node_states(const struct ui_model *m, int32_t id,
    int tcp, size_t *n);

#endif
