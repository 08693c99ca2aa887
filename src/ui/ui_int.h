/* ui_int.h - what the builder's files (build.c, panels.c, ladder.c)
 * share: the theme, the frame's regions, and drawing helpers that
 * measure text through the callback and drop what lies outside the clip
 * rectangle. No other folder includes this file. */
#ifndef NL_UI_INT_H
#define NL_UI_INT_H

#include <stddef.h>

#include "ui/build.h"
#include "ui/dlist.h"
#include "ui/model.h"
#include "ui/view.h"

/* ---- Theme: a dark one, colours per protocol and per node kind ---- */

#define UI_RGBA(r, g, b, a) ((struct ui_color){(r), (g), (b), (a)})

#define UI_C_BG UI_RGBA(15, 18, 24, 255)	/* window */
#define UI_C_CANVAS UI_RGBA(19, 23, 31, 255)	/* topology, ladder */
#define UI_C_PANEL UI_RGBA(24, 28, 37, 255)	/* side panels, bars */
#define UI_C_RAISED UI_RGBA(32, 37, 49, 255)	/* cards, buttons */
#define UI_C_HOVER UI_RGBA(42, 48, 63, 255)	/* pressed look */
#define UI_C_BORDER UI_RGBA(46, 53, 69, 255)	/* separators */
#define UI_C_LINK UI_RGBA(64, 73, 92, 255)	/* idle links */
#define UI_C_TEXT UI_RGBA(230, 233, 239, 255)	/* body text */
#define UI_C_DIM UI_RGBA(154, 163, 178, 255)	/* secondary text */
#define UI_C_FAINT UI_RGBA(96, 104, 120, 255)	/* future events */
#define UI_C_ACCENT UI_RGBA(76, 141, 255, 255)	/* cursor, selection */
#define UI_C_RED UI_RGBA(240, 86, 74, 255)	/* drops, links down */
#define UI_C_AMBER UI_RGBA(245, 165, 36, 255)	/* lossy links */

/* Sizes, layout pixels. */
#define UI_TOP_H 48		/* title bar */
#define UI_CONTROLS_H 56	/* transport buttons */
#define UI_SCRUB_H 34		/* timeline */
#define UI_CAPTION_H 86		/* note under the canvas */
#define UI_PAD 12		/* padding inside panels */
#define UI_LANE 16		/* a message's offset from its link */
/* Commands kept free for what comes after the canvas's crowd of dots
 * (the inspector, the help). */
#define UI_RESERVE 3000

struct ui_color ui_proto_color(enum trace_proto p);
/* "root DNS server", "router": a node class for people (topo.c). */
const char *ui_class_name(enum ui_node_class c);
/* What a node is, in words: its class's name, or its kind's where the
 * kind has a look of another class ("web browser"). */
const char *ui_node_kind_name(const struct ui_model *m, int32_t id);
struct ui_color ui_class_color(enum ui_node_class c);
struct ui_color ui_alpha(struct ui_color c, int a);
/* c mixed towards d by f/255. */
struct ui_color ui_mix(struct ui_color c, struct ui_color d, int f);

/* ---- Regions of one frame ---- */

struct ui_regions {
	struct ui_rect top;	/* title, tabs, switches */
	struct ui_rect canvas;	/* topology or ladder */
	struct ui_rect caption;	/* the note */
	struct ui_rect side;	/* event list above detail */
	struct ui_rect list;	/* event list */
	struct ui_rect detail;	/* detail pane */
	struct ui_rect scrub;	/* timeline */
	struct ui_rect controls; /* transport */
};

void ui_regions_of(int w, int h, struct ui_regions *out);

/* ---- The builder's context and helpers ---- */

/* A crowded topology's names go on a grid of UI_GRID_CELL pixel cells,
 * none over another: unreadable anyway, and each costs a draw. */
#define UI_GRID_CELL 8
#define UI_GRID_W 320		/* cells across: 2,560 pixels */
#define UI_GRID_H 200		/* cells down: 1,600 pixels */

struct ui_ctx {
	struct ui_dlist *dl;		/* the list being filled */
	const struct ui_model *m;	/* the trace's index */
	const struct ui_view *v;	/* cursor and settings */
	const struct ui_text *tx;	/* text measurer */
	struct ui_rect clip;		/* current clip: outside is dropped */
	struct ui_regions rg;		/* where things go */
	double mx, my, my_bottom;	/* topology margins: room for the
					 * widest node label, the discs,
					 * the labels under them */
	uint8_t taken[UI_GRID_W * UI_GRID_H / 8]; /* canvas cells a crowd's
					 * node name already covers, a bit
					 * each (topo.c) */
};

void ui_ctx_clip(struct ui_ctx *c, struct ui_rect r);
int ui_text_w(const struct ui_ctx *c, enum ui_font f, const char *s);
int ui_font_h(const struct ui_ctx *c, enum ui_font f);
/* Draws s at (x, y), returns its width; nothing outside the clip. */
int ui_text(struct ui_ctx *c, enum ui_font f, int x, int y, const char *s,
    struct ui_color col);
/* The same cut to maxw pixels with an ellipsis; returns the width. */
int ui_text_fit(struct ui_ctx *c, enum ui_font f, int x, int y, int maxw,
    const char *s, struct ui_color col);
/* Word-wrapped into w pixels, at most maxlines lines of lh pixels (the
 * last ends with an ellipsis when text remains); returns lines used. */
int ui_text_wrap(struct ui_ctx *c, enum ui_font f, int x, int y, int w,
    int lh, int maxlines, const char *s, struct ui_color col);
/* Rects, lines and circles, culled against the clip. */
void ui_fill(struct ui_ctx *c, struct ui_rect r, int radius,
    struct ui_color col);
void ui_stroke(struct ui_ctx *c, struct ui_rect r, int radius, int thick,
    struct ui_color col);
void ui_line(struct ui_ctx *c, int x0, int y0, int x1, int y1, int thick,
    struct ui_color col);
/* Adds a HIT command for r with role and ref, if r shows at all. */
void ui_hit(struct ui_ctx *c, struct ui_rect r, enum ui_role role,
    int32_t ref);
/* A rounded chip: background, text centred; returns its width. */
int ui_chip(struct ui_ctx *c, int x, int y, int h, const char *s,
    enum ui_font f, struct ui_color bg, struct ui_color fg);
/* "0.030077" for a time, into buf. */
void ui_fmt_time(char *buf, size_t size, sim_time t);
/* The short label of an application message, into buf: DNS as the
 * textbook writes it ("A? gaia.cs.umass.edu", "referral -> edu"), the
 * rest as its summary. */
void ui_app_label(const struct trace_event *ev, char *buf, size_t size);
/* The label of datagram (pkt-send) i of m: its message's (ui_app_label)
 * when it carries one over UDP, else ui_short_label (topo.c). */
void ui_seg_label(const struct ui_model *m, size_t i, char *buf,
    size_t size);
/* The short label of a datagram from its summary, into buf: "[SYN]",
 * "seq=1 len=7", "ACK 8", "UDP len=4". */
void ui_short_label(const char *summary, char *buf, size_t size);

/* The topology (topo.c), the panels (panels.c), the ladder (ladder.c). */
void ui_build_topology(struct ui_ctx *c);
void ui_build_list(struct ui_ctx *c);
void ui_build_detail(struct ui_ctx *c);
void ui_build_ladder(struct ui_ctx *c);
/* The node inspector (inspect.c) over the canvas, for v->node. */
void ui_build_inspector(struct ui_ctx *c);
/* ---- A node's state at the cursor, folded from the trace (fold.c) ---- */

/* A message in a mail server's queue. */
struct ui_qent {
	int64_t qid;		/* queue id (b of its events) */
	enum trace_mailq state;	/* the latest thing that happened */
	sim_time retry;		/* next try (DEFERRED), -1 */
	int32_t peer;		/* the server it last went to, -1 */
	int attempts;		/* delivery attempts so far */
	uint32_t queued;	/* its QUEUED event (data: the message) */
	uint32_t last;		/* its latest event (summary) */
};

#define UI_USER_MAX 40		/* a mailbox's user name, bytes + NUL */
#define UI_BOX_MSGS 12		/* messages listed per mailbox */

struct ui_box {
	char user[UI_USER_MAX];	/* "bob" */
	int n;			/* messages listed */
	int total;		/* messages in it */
	struct {
		uint32_t ev;	/* its "+1 message" event (data) */
		uint32_t size;	/* bytes */
		char flags[48];	/* IMAP flags, "" none */
	} msg[UI_BOX_MSGS];
};

/* TCP states as tcp-state events number them (docs/trace-format.md,
 * RFC 9293 3.3.2); ui/ sits below net/, so it names them itself. */
enum ui_tcp {
	UI_TCP_CLOSED,
	UI_TCP_LISTEN,
	UI_TCP_SYN_SENT,
	UI_TCP_SYN_RCVD,
	UI_TCP_ESTABLISHED,
	UI_TCP_FIN_WAIT_1,
	UI_TCP_FIN_WAIT_2,
	UI_TCP_CLOSE_WAIT,
	UI_TCP_CLOSING,
	UI_TCP_LAST_ACK,
	UI_TCP_TIME_WAIT,
	UI_TCP_COUNT_
};

/* "ESTABLISHED", as RFC 9293 writes it. */
const char *ui_tcp_str(enum ui_tcp s);

struct ui_conn {
	int64_t conn;		/* connection id (c of its events) */
	enum ui_tcp state;	/* now */
	int32_t peer;		/* the other end's node, -1 */
	char ends[64];		/* "10.0.1.1:25 -> 10.0.0.1:49152", "" */
};

/* Each folds node id's events before the cursor into at most max
 * entries, oldest first, and returns how many. A fold is a left fold
 * over the node's events (ui_node_states): it starts at list position
 * *pos with n entries from the fold up to there (0 and 0: from the
 * start), and sets *pos to where it stopped, so a caller that keeps the
 * entries can carry a fold on as the cursor moves forward. */
int ui_fold_queue(const struct ui_ctx *c, int32_t id, struct ui_qent *q,
    int max, int n, size_t *pos);
int ui_fold_boxes(const struct ui_ctx *c, int32_t id, struct ui_box *b,
    int max, int n, size_t *pos);
int ui_fold_conns(const struct ui_ctx *c, int32_t id, struct ui_conn *k,
    int max, int n, size_t *pos);
/* The value of header name (no colon, any case) in the header section
 * of msg[0..len), cut to size, into buf; 0 and "" when absent. */
int ui_header_value(const uint8_t *msg, size_t len, const char *name,
    char *buf, size_t size);

/* The open checkpoint's card (check.c) over the canvas, for v->check. */
void ui_build_check(struct ui_ctx *c);

#endif
