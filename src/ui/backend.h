/* backend.h - what the viewer asks of the one file that talks to SDL
 * (sdl_backend.c): a window or an offscreen image, fonts and their
 * measurement, input as struct ui_input, and drawing a display list.
 * The loop in app.c is written against this and nothing else (the
 * r_* API of microui's demo/renderer.h). */
#ifndef NL_UI_BACKEND_H
#define NL_UI_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "ui/build.h"
#include "ui/dlist.h"
#include "ui/view.h"
#include "util/status.h"

struct ui_be;

struct ui_be_cfg {
	const char *font;	/* a TTF file, NULL: search the system */
	int width, height;	/* window or image size, layout pixels */
	int offscreen;		/* draw into an image, open no window */
	const char *title;	/* window title */
};

/* Opens a window (or, offscreen, an image with the software renderer)
 * and the fonts. NL_EUNSUPPORTED: no display (err says why);
 * NL_ENOTFOUND: no font; NL_EIO: SDL failed; NL_ENOMEM. */
enum nl_status ui_be_open(const struct ui_be_cfg *cfg, struct ui_be **out,
    char *err, size_t errlen);
/* Closes everything; NULL is a no-op. */
void ui_be_close(struct ui_be *be);

/* The measurer for the builder, valid until the backend closes. */
const struct ui_text *ui_be_text(struct ui_be *be);

/* Collects the input of one frame. When wait_ms > 0 and no event is
 * pending, sleeps until one comes or wait_ms pass. */
void ui_be_poll(struct ui_be *be, struct ui_input *in, int wait_ms);

/* Draws the list (clears first); ui_be_present shows it. */
void ui_be_draw(struct ui_be *be, const struct ui_dlist *dl);
void ui_be_present(struct ui_be *be);

/* Writes what was drawn last to a BMP file. NL_EIO (err says why). */
enum nl_status ui_be_save_bmp(struct ui_be *be, const char *path, char *err,
    size_t errlen);
/* Copies the top `rows` rows of what was drawn last into dst as RGB, 3
 * bytes a pixel, pitch bytes a row (rows at most the image's height).
 * NL_EIO (err says why). */
enum nl_status ui_be_read_rgb(struct ui_be *be, uint8_t *dst, size_t pitch,
    int rows, char *err, size_t errlen);

#endif
