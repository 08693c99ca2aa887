/* app.c - the viewer's loop, in the order STYLE.md 2.8 gives: poll the
 * input, update the view, build the display list, draw it, present
 * (microui's demo/main.c, raylib's examples_template.c). The screenshot
 * path runs the same build once offscreen and writes the image. */
#include <stdio.h>
#include <string.h>

#include "ui/backend.h"
#include "ui/build.h"
#include "ui/export.h"
#include "ui/ui.h"
#include "ui/view.h"
#include "util/alloc.h"

static void
title_of(const struct trace *t, char *buf, size_t size)
{
	const char *name = trace_scenario(t), *title = trace_title(t);

	if (name[0] != '\0' && title[0] != '\0')
		snprintf(buf, size, "netlab \xe2\x80\x94 %s: %s", name, title);
	else if (name[0] != '\0' || title[0] != '\0')
		snprintf(buf, size, "netlab \xe2\x80\x94 %s", name[0] != '\0' ?
		    name : title);
	else
		snprintf(buf, size, "netlab");
}

static void
loop(struct ui_be *be, struct ui_view *v, const struct ui_model *m,
    struct ui_dlist *dl)
{
	const struct ui_text *tx = ui_be_text(be);
	struct ui_input in;

	ui_build(dl, m, v, tx);
	ui_be_draw(be, dl);
	ui_be_present(be);
	while (!v->quit) {
		/* sleep while nothing moves; a frame per refresh otherwise */
		ui_be_poll(be, &in, v->playing || v->dragging ||
		    v->panning ? 0 : 250);
		ui_view_update(v, m, &in, dl);
		if (v->quit)
			break;
		ui_build(dl, m, v, tx);
		ui_be_draw(be, dl);
		ui_be_present(be);
	}
}

enum nl_status
ui_run(const struct trace *t, const struct ui_opts *o, char *err,
    size_t errlen)
{
	struct ui_model *m = NULL;
	struct ui_dlist *dl = NULL;
	struct ui_be *be = NULL;
	struct ui_be_cfg cfg;
	struct ui_view *v = NULL;
	char title[256];
	enum nl_status st;
	long i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	st = ui_model_new(t, o->hints, o->nhints, &m);
	if (st == NL_OK) {
		dl = ui_dlist_new();
		/* the view holds the decoded detail: keep it off the stack */
		v = nl_calloc(1, sizeof *v);
		if (dl == NULL || v == NULL)
			st = NL_ENOMEM;
	}
	if (st != NL_OK) {
		snprintf(err, errlen, "%s", nl_status_str(st));
		goto done;
	}
	if (o->export_ladder != NULL) {
		st = ui_export_ladder(m, o, NULL, err, errlen);
		if (st != NL_OK || o->screenshot == NULL)
			goto done;
	}
	memset(&cfg, 0, sizeof cfg);
	title_of(t, title, sizeof title);
	cfg.font = o->font;
	cfg.width = o->width > 0 ? o->width : UI_DEFAULT_W;
	cfg.height = o->height > 0 ? o->height : UI_DEFAULT_H;
	cfg.offscreen = o->screenshot != NULL;
	cfg.title = title;
	st = ui_be_open(&cfg, &be, err, errlen);
	if (st != NL_OK)
		goto done;
	ui_view_init(v, m, cfg.width, cfg.height);
	if (o->segments)
		v->gran = UI_GRAN_SEGMENT;
	if (o->ladder)
		v->tab = UI_TAB_LADDER;
	if (o->inspect != NULL) {
		size_t k;

		for (k = 0; k < trace_node_count(t); k++)
			if (strcmp(trace_node_name(t, (int32_t)k),
			    o->inspect) == 0)
				v->node = (int32_t)k;
		if (v->node < 0) {
			snprintf(err, errlen, "--inspect: no node called '%s'",
			    o->inspect);
			st = NL_ENOTFOUND;
			goto done;
		}
	}
	if (o->screenshot != NULL) {
		for (i = 0; i < o->step; i++)
			if (!ui_view_step(v, m, 1))
				break;
		v->playing = 0;
		v->stop_at = -1;
		ui_view_sync(v, m);
		ui_build(dl, m, v, ui_be_text(be));
		ui_be_draw(be, dl);
		st = ui_be_save_bmp(be, o->screenshot, err, errlen);
	} else {
		loop(be, v, m, dl);
	}
done:
	ui_be_close(be);
	nl_free(v);
	ui_dlist_free(dl);
	ui_model_free(m);
	return st;
}
