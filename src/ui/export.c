/* export.c - --export-ladder: the ladder diagram drawn tile by tile with
 * the offscreen software renderer into one tall RGB image per page,
 * then written as PNG (png.c). Tiles keep the renderer's surface small
 * whatever the page's height. */
#include <stdio.h>
#include <string.h>

#include "ui/backend.h"
#include "ui/build.h"
#include "ui/export.h"
#include "ui/png.h"
#include "ui/view.h"
#include "util/alloc.h"

#define TILE_H 1024		/* rows drawn at a time */

/* Page p's file name: the path itself for the first, else "-N" before
 * the extension. */
static void
page_path(const char *path, int p, char *buf, size_t size)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (p == 0)
		snprintf(buf, size, "%s", path);
	else if (dot != NULL && (slash == NULL || dot > slash))
		snprintf(buf, size, "%.*s-%d%s", (int)(dot - path), path, p + 1,
		    dot);
	else
		snprintf(buf, size, "%s-%d", path, p + 1);
}

/* Writes png to path; NL_EIO with err saying which step failed. */
static enum nl_status
write_file(const char *path, const struct nl_dbuf *png, char *err,
    size_t errlen)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL) {
		snprintf(err, errlen, "cannot create %s", path);
		return NL_EIO;
	}
	ok = fwrite(png->data, 1, png->len, f) == png->len;
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		snprintf(err, errlen, "cannot write %s", path);
		return NL_EIO;
	}
	return NL_OK;
}

/* Draws one page (rows first .. first + nrows) and writes it. */
static enum nl_status
page(struct ui_be *be, struct ui_dlist *dl, const struct ui_model *m,
    const struct ui_view *v, int w, long first, long nrows,
    const char *path, char *err, size_t errlen)
{
	int h = ui_ladder_page_h(nrows), y0;
	size_t pitch = 3 * (size_t)w;
	uint8_t *rgb;
	struct nl_dbuf png;
	enum nl_status st = NL_OK;

	if (h > UI_PNG_DIM_MAX)
		h = UI_PNG_DIM_MAX;
	rgb = nl_alloc(pitch * (size_t)h);
	if (rgb == NULL)
		return NL_ENOMEM;
	for (y0 = 0; y0 < h && st == NL_OK; y0 += TILE_H) {
		int rows = h - y0 < TILE_H ? h - y0 : TILE_H;

		ui_build_ladder_page(dl, m, v, ui_be_text(be), w, first, nrows,
		    y0, TILE_H);
		ui_be_draw(be, dl);
		st = ui_be_read_rgb(be, rgb + (size_t)y0 * pitch, pitch, rows,
		    err, errlen);
	}
	nl_dbuf_init(&png, (size_t)1 << 31);
	if (st == NL_OK)
		st = ui_png_encode(rgb, (uint32_t)w, (uint32_t)h, pitch, &png);
	if (st == NL_OK)
		st = write_file(path, &png, err, errlen);
	else if (err[0] == '\0')
		snprintf(err, errlen, "%s", nl_status_str(st));
	nl_dbuf_free(&png);
	nl_free(rgb);
	return st;
}

enum nl_status
ui_export_ladder(const struct ui_model *m, const struct ui_opts *o,
    int *npages, char *err, size_t errlen)
{
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	struct ui_be *be = NULL;
	struct ui_be_cfg cfg;
	enum nl_status st;
	long shown = 0, first;
	size_t k;
	int w, p = 0;
	char path[1024];

	if (npages != NULL)
		*npages = 0;
	err[0] = '\0';
	if (v == NULL || dl == NULL) {
		st = NL_ENOMEM;
		goto done;
	}
	ui_view_init(v, m, 0, 0);
	v->gran = o->segments ? UI_GRAN_SEGMENT : UI_GRAN_APP;
	ui_view_end(v, m);
	for (k = 0; k < m->nsteps[v->gran]; k++)
		shown += !ui_view_hides(v, m, m->steps[v->gran][k]);
	w = o->width > 0 ? o->width : ui_ladder_export_w(m, v->gran);
	v->w = w;
	v->h = TILE_H;
	memset(&cfg, 0, sizeof cfg);
	cfg.font = o->font;
	cfg.width = w;
	cfg.height = TILE_H;
	cfg.offscreen = 1;
	st = ui_be_open(&cfg, &be, err, errlen);
	first = 0;
	while (st == NL_OK) {
		long n = shown - first < UI_EXPORT_PAGE_ROWS ? shown - first :
		    UI_EXPORT_PAGE_ROWS;

		page_path(o->export_ladder, p, path, sizeof path);
		st = page(be, dl, m, v, w, first, n, path, err, errlen);
		if (st != NL_OK)
			break;
		p++;
		first += n;
		if (first >= shown)
			break;
	}
	if (npages != NULL)
		*npages = p;
done:
	ui_be_close(be);
	ui_dlist_free(dl);
	nl_free(v);
	return st;
}
