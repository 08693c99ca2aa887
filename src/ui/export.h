/* export.h - the ladder diagram rendered offscreen to PNG files for
 * slides (--export-ladder): every message, not only the rows a window
 * shows. Used by app.c. */
#ifndef NL_UI_EXPORT_H
#define NL_UI_EXPORT_H

#include <stddef.h>

#include "ui/model.h"
#include "ui/ui.h"
#include "util/status.h"

#define UI_EXPORT_PAGE_ROWS 250	/* messages per image: about 10,000
				 * pixels tall; more go to OUT-2.png, ... */

/*
 * Writes the ladder diagram of m to o->export_ladder (PNG), at the
 * granularity o->segments picks, o->width pixels wide (0: as the columns
 * need). A trace with more than UI_EXPORT_PAGE_ROWS messages continues
 * in OUT-2.png, OUT-3.png, ... (the name with "-N" before ".png").
 * *npages (optional) gets the number of files written. Returns NL_OK,
 * NL_ENOTFOUND (no font), NL_EIO (SDL or the file; err says why),
 * NL_ENOMEM.
 */
enum nl_status ui_export_ladder(const struct ui_model *m,
    const struct ui_opts *o, int *npages, char *err, size_t errlen);

#endif
