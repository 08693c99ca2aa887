/* build.h - one frame of the viewer as a display list: a pure function
 * of the model (the trace), the view (cursor, settings) and the text
 * measurer. Nothing here draws, reads a clock or allocates. */
#ifndef NL_UI_BUILD_H
#define NL_UI_BUILD_H

#include <stddef.h>

#include "ui/dlist.h"
#include "ui/model.h"
#include "ui/view.h"

/* Width in pixels of s[0..len) in font; the backend measures with its
 * fonts, tests with a fake (microui's text_width). */
typedef int ui_text_width_fn(void *ud, enum ui_font font, const char *s,
    size_t len);

struct ui_text {
	ui_text_width_fn *width;	/* measures a string */
	void *ud;			/* passed to width */
	int height[UI_FONT_COUNT_];	/* line height of each font */
};

/* Empties dl and fills it with the frame for v over m, in a window of
 * v->w x v->h layout pixels. */
void ui_build(struct ui_dlist *dl, const struct ui_model *m,
    const struct ui_view *v, const struct ui_text *tx);

/*
 * The ladder diagram for export (ladder.c): a page of w pixels wide
 * holding the steps v's granularity and filter show, from the first-th
 * to the (first + nrows - 1)-th, under the column headers, all of them
 * drawn as happened. dl gets the tile of the page from y0 to y0 + h, at
 * (0, 0). ui_ladder_page_h gives a page's height; ui_ladder_export_w a
 * width that fits m's columns.
 */
void ui_build_ladder_page(struct ui_dlist *dl, const struct ui_model *m,
    const struct ui_view *v, const struct ui_text *tx, int w, long first,
    long nrows, int y0, int h);
int ui_ladder_page_h(long nrows);
int ui_ladder_export_w(const struct ui_model *m, enum ui_gran gran);

#endif
