/* ui.h - the SDL2 viewer as the netlab command sees it: open a window
 * over a trace and play it, or render one frame offscreen to an image.
 * Everything else of ui/ stays behind this header. */
#ifndef NL_UI_H
#define NL_UI_H

#include <stddef.h>

#include "trace/trace.h"
#include "ui/model.h"
#include "util/status.h"

#define UI_DEFAULT_W 1280	/* window size when none is asked for */
#define UI_DEFAULT_H 800

struct ui_opts {
	const char *font;	/* --font FILE; NULL: the usual system
				 * places */
	const char *screenshot;	/* --screenshot OUT.bmp: render offscreen
				 * after `step` steps, write a BMP, return */
	const char *export_ladder; /* --export-ladder OUT.png: write the
				 * whole ladder diagram (export.h) */
	long step;		/* --step N (with screenshot) */
	int width, height;	/* --size WxH; 0: 1280 x 800 */
	int segments;		/* start showing every segment */
	int ladder;		/* start on the ladder diagram */
	const char *inspect;	/* a node to open the inspector on (by
				 * name), NULL: none */
	const struct ui_hint *hints; /* node positions (one per node of
				 * the trace), NULL: automatic layout */
	size_t nhints;		/* entries in hints */
};

/*
 * Opens the viewer over t until the user closes it, or with o->screenshot
 * renders one frame to that file, or with o->export_ladder writes the
 * ladder diagram (both may be given; then no window opens). Returns NL_OK; NL_EUNSUPPORTED when
 * there is no display to open a window on (err says why, e.g. "DISPLAY
 * is not set"; print the transcript instead); NL_ENOTFOUND when no font
 * can be found; NL_EIO when SDL fails or the image cannot be written;
 * NL_ENOMEM. err (errlen bytes) gets one line for any failure.
 */
enum nl_status ui_run(const struct trace *t, const struct ui_opts *o,
    char *err, size_t errlen);

#endif
