/* dlist.c - the fixed-size display list (see dlist.h): push, text arena,
 * hit testing and comparison. No SDL, no allocation after ui_dlist_new. */
#include <string.h>

#include "ui/dlist.h"
#include "util/alloc.h"

struct ui_dlist *
ui_dlist_new(void)
{
	struct ui_dlist *dl = nl_alloc(sizeof *dl);

	if (dl != NULL)
		ui_dlist_clear(dl);
	return dl;
}

void
ui_dlist_free(struct ui_dlist *dl)
{
	nl_free(dl);
}

void
ui_dlist_clear(struct ui_dlist *dl)
{
	dl->ncmds = 0;
	dl->ntext = 0;
	dl->overflow = 0;
}

struct ui_cmd *
ui_dlist_push(struct ui_dlist *dl, enum ui_cmd_type type)
{
	struct ui_cmd *c;

	if (dl->ncmds >= UI_DLIST_CMDS) {
		dl->overflow = 1;
		return NULL;
	}
	c = &dl->cmds[dl->ncmds++];
	memset(c, 0, sizeof *c);
	c->type = (uint8_t)type;
	c->ref = -1;
	return c;
}

struct ui_cmd *
ui_dl_clip(struct ui_dlist *dl, struct ui_rect r)
{
	struct ui_cmd *c = ui_dlist_push(dl, UI_CMD_CLIP);

	if (c != NULL)
		c->r = r;
	return c;
}

struct ui_cmd *
ui_dl_rect(struct ui_dlist *dl, struct ui_rect r, int radius,
    struct ui_color col)
{
	struct ui_cmd *c;

	if (r.w <= 0 || r.h <= 0 || col.a == 0)
		return NULL;
	c = ui_dlist_push(dl, UI_CMD_RECT);
	if (c != NULL) {
		c->r = r;
		c->radius = radius;
		c->color = col;
	}
	return c;
}

struct ui_cmd *
ui_dl_frame(struct ui_dlist *dl, struct ui_rect r, int radius, int thick,
    struct ui_color col)
{
	struct ui_cmd *c = ui_dl_rect(dl, r, radius, col);

	if (c != NULL)
		c->thick = thick > 0 ? thick : 1;
	return c;
}

static struct ui_cmd *
segment(struct ui_dlist *dl, enum ui_cmd_type type, int x0, int y0, int x1,
    int y1, int thick, struct ui_color col)
{
	struct ui_cmd *c = ui_dlist_push(dl, type);

	if (c != NULL) {
		c->x0 = x0;
		c->y0 = y0;
		c->x1 = x1;
		c->y1 = y1;
		c->thick = thick > 0 ? thick : 1;
		c->color = col;
	}
	return c;
}

struct ui_cmd *
ui_dl_line(struct ui_dlist *dl, int x0, int y0, int x1, int y1, int thick,
    struct ui_color col)
{
	return segment(dl, UI_CMD_LINE, x0, y0, x1, y1, thick, col);
}

struct ui_cmd *
ui_dl_arrow(struct ui_dlist *dl, int x0, int y0, int x1, int y1, int thick,
    struct ui_color col)
{
	return segment(dl, UI_CMD_ARROW, x0, y0, x1, y1, thick, col);
}

struct ui_cmd *
ui_dl_circle(struct ui_dlist *dl, int x, int y, int radius, int thick,
    struct ui_color col)
{
	struct ui_cmd *c = ui_dlist_push(dl, UI_CMD_CIRCLE);

	if (c != NULL) {
		c->x0 = x;
		c->y0 = y;
		c->radius = radius;
		c->thick = thick;
		c->color = col;
		c->r.x = x - radius;
		c->r.y = y - radius;
		c->r.w = c->r.h = 2 * radius;
	}
	return c;
}

struct ui_cmd *
ui_dl_icon(struct ui_dlist *dl, enum ui_icon icon, struct ui_rect r,
    struct ui_color col)
{
	struct ui_cmd *c = ui_dlist_push(dl, UI_CMD_ICON);

	if (c != NULL) {
		c->icon = (uint8_t)icon;
		c->r = r;
		c->color = col;
	}
	return c;
}

struct ui_cmd *
ui_dl_hit(struct ui_dlist *dl, struct ui_rect r, enum ui_role role,
    int32_t ref)
{
	struct ui_cmd *c = ui_dlist_push(dl, UI_CMD_HIT);

	if (c != NULL) {
		c->r = r;
		c->role = (uint8_t)role;
		c->ref = ref;
	}
	return c;
}

struct ui_cmd *
ui_dl_text(struct ui_dlist *dl, enum ui_font font, int x, int y, int w,
    int h, const char *s, size_t len, struct ui_color col)
{
	struct ui_cmd *c;

	if (len == 0)
		return NULL;
	if (dl->ntext + len + 1 > UI_DLIST_TEXT) {
		dl->overflow = 1;
		return NULL;
	}
	c = ui_dlist_push(dl, UI_CMD_TEXT);
	if (c == NULL)
		return NULL;
	c->font = (uint8_t)font;
	c->r.x = x;
	c->r.y = y;
	c->r.w = w;
	c->r.h = h;
	c->color = col;
	c->text = (uint32_t)dl->ntext;
	c->len = (uint32_t)len;
	memcpy(dl->text + dl->ntext, s, len);
	dl->text[dl->ntext + len] = '\0';
	dl->ntext += len + 1;
	return c;
}

const char *
ui_dlist_text(const struct ui_dlist *dl, const struct ui_cmd *c)
{
	if (c->type != UI_CMD_TEXT || c->text >= dl->ntext)
		return "";
	return dl->text + c->text;
}

int
ui_rect_holds(struct ui_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int
ui_rect_overlaps(struct ui_rect a, struct ui_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
	    b.y < a.y + a.h;
}

const struct ui_cmd *
ui_dlist_hit(const struct ui_dlist *dl, int x, int y)
{
	size_t i;

	for (i = dl->ncmds; i-- > 0;) {
		const struct ui_cmd *c = &dl->cmds[i];

		if (c->type == UI_CMD_HIT && ui_rect_holds(c->r, x, y))
			return c;
	}
	return NULL;
}

static int
cmd_equal(const struct ui_dlist *da, const struct ui_cmd *a,
    const struct ui_dlist *db, const struct ui_cmd *b)
{
	if (a->type != b->type || a->font != b->font || a->icon != b->icon ||
	    a->role != b->role || a->ref != b->ref || a->r.x != b->r.x ||
	    a->r.y != b->r.y || a->r.w != b->r.w || a->r.h != b->r.h ||
	    a->x0 != b->x0 || a->y0 != b->y0 || a->x1 != b->x1 ||
	    a->y1 != b->y1 || a->radius != b->radius ||
	    a->thick != b->thick || a->color.r != b->color.r ||
	    a->color.g != b->color.g || a->color.b != b->color.b ||
	    a->color.a != b->color.a || a->len != b->len)
		return 0;
	return strcmp(ui_dlist_text(da, a), ui_dlist_text(db, b)) == 0;
}

int
ui_dlist_equal(const struct ui_dlist *a, const struct ui_dlist *b)
{
	size_t i;

	if (a->ncmds != b->ncmds || a->overflow != b->overflow)
		return 0;
	for (i = 0; i < a->ncmds; i++)
		if (!cmd_equal(a, &a->cmds[i], b, &b->cmds[i]))
			return 0;
	return 1;
}
