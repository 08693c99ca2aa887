/* bench_ui.c - the viewer's frame time: a generated network of many
 * nodes with many datagrams on the wires at once, drawn offscreen with
 * the software renderer, frame after frame with the clock moving, so
 * every dot moves as while playing. The goal (issue 7) is a frame, build
 * plus draw, within 16 ms at 1,000 nodes and 10,000 messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/bench_ui.h"
#include "cli/platform.h"
#include "trace/trace.h"
#include "ui/backend.h"
#include "ui/build.h"
#include "ui/model.h"
#include "ui/view.h"
#include "util/alloc.h"

#define FRAMES 40		/* frames timed per case */
#define W 1280
#define H 800

static const char *const kinds[] = {"host", "router", "router",
    "mail-server", "user-agent", "dns-local", "host", "router"};

/* A small deterministic generator (xorshift64*), so every run draws the
 * same network. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* n nodes, each linked to an earlier one (a tree: a connected network)
 * plus n / 5 extra links; msgs datagrams, each sent in the first 10 ms
 * and arriving 20 to 60 ms later, so at 12 ms all are in flight. */
static struct trace *
make_trace(size_t n, size_t msgs)
{
	struct trace *t = trace_new();
	uint64_t s = 0x9e3779b97f4a7c15ull;
	size_t i, nl = 0;
	int32_t id, lid;
	char name[32];
	struct trace_link *links = NULL;

	if (t == NULL || trace_set_meta(t, "bench-ui", "generated", 1) != NL_OK)
		goto fail;
	links = nl_calloc(n + n / 5 + 1, sizeof *links);
	if (links == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "n%zu", i);
		if (trace_node_add(t, name, kinds[i % 8], &id) != NL_OK ||
		    trace_node_addr_add(t, id, 0x0a000000u + (uint32_t)i) !=
		    NL_OK)
			goto fail;
	}
	for (i = 1; i < n + n / 5 && n > 1; i++) {
		struct trace_link *l = &links[nl];

		l->a = (int32_t)(i < n ? i : rnd(&s) % n);
		l->b = (int32_t)(rnd(&s) % (uint64_t)(i < n ? i : n));
		if (l->a == l->b)
			continue;
		snprintf(name, sizeof name, "l%zu", nl);
		l->name = name;
		l->delay = 5 * SIM_MS;
		l->bandwidth = 100000000;
		l->queue = 100;
		if (trace_link_add(t, l, &lid) != NL_OK)
			goto fail;
		l->name = NULL;
		nl++;
	}
	for (i = 0; i < msgs && nl > 0; i++) {
		const struct trace_link *l = &links[rnd(&s) % nl];
		struct trace_event ev;
		int fwd = (int)(rnd(&s) & 1);

		memset(&ev, 0, sizeof ev);
		ev.t = (sim_time)(i * (10 * SIM_MS) / msgs);
		ev.kind = TRACE_PKT_SEND;
		ev.proto = (uint8_t)(i % 3 == 0 ? TRACE_P_UDP : TRACE_P_TCP);
		ev.flags = TRACE_F_ORIGIN;
		ev.node = fwd ? l->a : l->b;
		ev.peer = fwd ? l->b : l->a;
		ev.link = (int32_t)(l - links);
		ev.b = ev.t;
		ev.c = ev.t + 20 * SIM_MS + (sim_time)(rnd(&s) % (40 * SIM_MS));
		ev.summary = (char *)(uintptr_t)(i % 3 == 0 ? "UDP len=35" :
		    "TCP 49152 > 25 [ACK] seq=1 ack=1 len=0");
		if (trace_append(t, &ev, NULL) != NL_OK)
			goto fail;
	}
	nl_free(links);
	return t;
fail:
	nl_free(links);
	trace_free(t);
	return NULL;
}

/* qsort order for the frame times. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct figures {
	double build_ms, draw_ms;	/* medians */
	double frame_min_ms;		/* the quickest frame, build + draw:
					 * the least disturbed by whatever
					 * else the machine runs */
	size_t cmds;			/* display list commands, last frame */
};

/* Times FRAMES frames of t at segment granularity, the clock moving
 * 0.1 ms a frame from 12 ms. */
static int
time_frames(struct ui_be *be, struct ui_dlist *dl, const struct trace *t,
    struct figures *f, const char *save)
{
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	double b[FRAMES], d[FRAMES], best = -1;
	int i;
	char err[256];

	if (v == NULL || ui_model_new(t, NULL, 0, &m) != NL_OK) {
		nl_free(v);
		return 0;
	}
	ui_view_init(v, m, W, H);
	v->gran = UI_GRAN_SEGMENT;
	v->cursor = m->nev;
	for (i = 0; i < FRAMES; i++) {
		uint64_t t0, t1, t2;

		v->time = 12 * SIM_MS + i * (SIM_MS / 10);
		t0 = nl_wall_ns();
		ui_build(dl, m, v, ui_be_text(be));
		t1 = nl_wall_ns();
		ui_be_draw(be, dl);
		/* the software renderer draws at once; reading one pixel
		 * makes sure nothing is left queued */
		{
			uint8_t px[3 * W];

			(void)ui_be_read_rgb(be, px, sizeof px, 1, err,
			    sizeof err);
		}
		t2 = nl_wall_ns();
		b[i] = (double)(t1 - t0) / 1e6;
		d[i] = (double)(t2 - t1) / 1e6;
		if (best < 0 || b[i] + d[i] < best)
			best = b[i] + d[i];
	}
	qsort(b, FRAMES, sizeof b[0], cmp_double);
	qsort(d, FRAMES, sizeof d[0], cmp_double);
	f->build_ms = b[FRAMES / 2];
	f->draw_ms = d[FRAMES / 2];
	f->frame_min_ms = best;
	f->cmds = dl->ncmds;
	if (save != NULL && ui_be_save_bmp(be, save, err, sizeof err) != NL_OK)
		fprintf(stderr, "netlab-bench ui: %s: %s\n", save, err);
	ui_model_free(m);
	nl_free(v);
	return 1;
}

int
bench_ui_inspect(const struct trace *t, const char *node)
{
	struct ui_be *be = NULL;
	struct ui_be_cfg cfg;
	struct ui_dlist *dl = ui_dlist_new();
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	double ms[2][FRAMES], bms[2][FRAMES], cold, model_ms;
	uint64_t m0;
	size_t i;
	int32_t id = -1;
	int k, f, rc = 1;
	char err[256];

	for (i = 0; i < trace_node_count(t); i++)
		if (strcmp(trace_node(t, (int32_t)i)->name, node) == 0)
			id = (int32_t)i;
	if (id < 0) {
		fprintf(stderr, "netlab-bench inspect: no node %s\n", node);
		goto done;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.width = W;
	cfg.height = H;
	cfg.offscreen = 1;
	m0 = nl_wall_ns();
	if (dl == NULL || v == NULL || ui_model_new(t, NULL, 0, &m) != NL_OK) {
		fprintf(stderr, "netlab-bench inspect: out of memory\n");
		goto done;
	}
	model_ms = (double)(nl_wall_ns() - m0) / 1e6;
	if (ui_be_open(&cfg, &be, err, sizeof err) != NL_OK) {
		fprintf(stderr, "netlab-bench inspect: %s\n", err);
		goto done;
	}
	ui_view_init(v, m, W, H);
	/* Nine tenths in: late in the trace, while the workload still
	 * runs (its last hour is timers). */
	if (m->nev > 0)
		ui_view_seek(v, m, trace_at(t, m->nev * 9 / 10)->t);
	/* Alternate the two frames, so both see the machine alike. */
	for (f = 0; f < FRAMES; f++)
		for (k = 0; k < 2; k++) {
			uint64_t t0 = nl_wall_ns(), t1;

			v->node = k == 0 ? -1 : id;
			ui_build(dl, m, v, ui_be_text(be));
			t1 = nl_wall_ns();
			ui_be_draw(be, dl);
			ms[k][f] = (double)(nl_wall_ns() - t0) / 1e6;
			bms[k][f] = (double)(t1 - t0) / 1e6;
		}
	cold = bms[1][0];
	qsort(ms[0], FRAMES, sizeof ms[0][0], cmp_double);
	qsort(ms[1], FRAMES, sizeof ms[1][0], cmp_double);
	qsort(bms[0], FRAMES, sizeof bms[0][0], cmp_double);
	qsort(bms[1], FRAMES, sizeof bms[1][0], cmp_double);
	printf("inspect.events %zu events\n", trace_count(t));
	printf("inspect.model_ms %.1f ms (opening the trace: the viewer's "
	    "indexes and lists)\n", model_ms);
	printf("inspect.cursor %zu events before it\n", v->cursor);
	if (getenv("NETLAB_BENCH_SAVE") != NULL)
		(void)ui_be_save_bmp(be, getenv("NETLAB_BENCH_SAVE"), err,
		    sizeof err);
	printf("inspect.base.build_ms %.3f ms (no inspector)\n",
	    bms[0][FRAMES / 2]);
	printf("inspect.base.frame_ms %.3f ms\n", ms[0][FRAMES / 2]);
	printf("inspect.%s.first_build_ms %.3f ms (its fold from the "
	    "start)\n", node, cold);
	printf("inspect.%s.build_ms %.3f ms (inspector open, the fold "
	    "carried on)\n", node, bms[1][FRAMES / 2]);
	printf("inspect.%s.frame_ms %.3f ms\n", node, ms[1][FRAMES / 2]);
	rc = 0;
done:
	ui_be_close(be);
	ui_model_free(m);
	ui_dlist_free(dl);
	nl_free(v);
	return rc;
}

int
bench_ui(int argc, char **argv)
{
	size_t n = 1000, msgs = 10000;
	const char *save = NULL;
	struct ui_be *be = NULL;
	struct ui_be_cfg cfg;
	struct ui_dlist *dl = NULL;
	struct trace *small = NULL, *big = NULL;
	struct figures fs, fb;
	char err[256];
	int i, rc = 1, pos = 0;

	for (i = 2; i < argc; i++) {
		char *end;
		unsigned long long v;

		if (strcmp(argv[i], "--save") == 0 && i + 1 < argc) {
			save = argv[++i];
			continue;
		}
		v = strtoull(argv[i], &end, 10);
		if (*end != '\0' || v < 1 || v > 1000000 || pos > 1) {
			fprintf(stderr, "usage: netlab-bench ui [NODES MESSAGES] "
			    "[--save OUT.bmp]\n");
			return 2;
		}
		if (pos++ == 0)
			n = (size_t)v;
		else
			msgs = (size_t)v;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.width = W;
	cfg.height = H;
	cfg.offscreen = 1;
	small = make_trace(3, 2);
	big = make_trace(n, msgs);
	dl = ui_dlist_new();
	if (small == NULL || big == NULL || dl == NULL) {
		fprintf(stderr, "netlab-bench ui: out of memory\n");
		goto done;
	}
	if (ui_be_open(&cfg, &be, err, sizeof err) != NL_OK) {
		fprintf(stderr, "netlab-bench ui: %s\n", err);
		goto done;
	}
	if (!time_frames(be, dl, small, &fs, NULL) ||
	    !time_frames(be, dl, big, &fb, save)) {
		fprintf(stderr, "netlab-bench ui: out of memory\n");
		goto done;
	}
	printf("ui.base.build_ms %.3f ms\n", fs.build_ms);
	printf("ui.base.draw_ms %.3f ms\n", fs.draw_ms);
	printf("ui.base.frame_ms %.3f ms\n", fs.build_ms + fs.draw_ms);
	printf("ui.base.frame_min_ms %.3f ms\n", fs.frame_min_ms);
	printf("ui.%zun_%zum.build_ms %.3f ms\n", n, msgs, fb.build_ms);
	printf("ui.%zun_%zum.draw_ms %.3f ms\n", n, msgs, fb.draw_ms);
	printf("ui.%zun_%zum.frame_ms %.3f ms\n", n, msgs,
	    fb.build_ms + fb.draw_ms);
	printf("ui.%zun_%zum.frame_min_ms %.3f ms\n", n, msgs,
	    fb.frame_min_ms);
	printf("ui.%zun_%zum.commands %zu cmd\n", n, msgs, fb.cmds);
	printf("ui.goal_frame_ms 16 ms\n");
	rc = 0;
done:
	ui_be_close(be);
	ui_dlist_free(dl);
	trace_free(small);
	trace_free(big);
	return rc;
}
