/* dlist.h - the display list: what one frame of the viewer draws, as a
 * flat array of rect, line, arrow, circle, text and icon commands.
 *
 * The builder (build.c) fills it from the trace, the cursor and the view;
 * the one SDL file (sdl_backend.c) draws it; tests read it with no window
 * at all. Fixed size: a frame that would need more commands or text than
 * the list holds loses the rest (and says so in `overflow`), it never
 * allocates. The shape is microui's command list (mu_Command). */
#ifndef NL_UI_DLIST_H
#define NL_UI_DLIST_H

#include <stddef.h>
#include <stdint.h>

#define UI_DLIST_CMDS 24576		/* commands in one frame */
#define UI_DLIST_TEXT (384u * 1024u)	/* bytes of text in one frame */

/* ORDER CMD */
enum ui_cmd_type {
	UI_CMD_CLIP,		/* r: clip everything after to r */
	UI_CMD_RECT,		/* r, radius; thick 0 fills, > 0 outlines */
	UI_CMD_LINE,		/* (x0,y0)-(x1,y1), thick */
	UI_CMD_ARROW,		/* a line with a head at (x1,y1) */
	UI_CMD_CIRCLE,		/* centre (x0,y0), radius; thick as RECT */
	UI_CMD_TEXT,		/* text at r.x, r.y (top-left); r.w, r.h its
				 * measured size */
	UI_CMD_ICON,		/* icon drawn to fit r */
	UI_CMD_HIT		/* invisible: r answers clicks for role/ref */
};

/* Fonts the builder asks for; the backend decides the faces. ORDER FONT */
enum ui_font {
	UI_FONT_REGULAR,	/* body text, 14 px */
	UI_FONT_BOLD,		/* names, headings, 14 px */
	UI_FONT_SMALL,		/* addresses, labels, 12 px */
	UI_FONT_MONO,		/* hex dump and times, 13 px */
	UI_FONT_TITLE,		/* the window's title bar, 16 px bold */
	UI_FONT_COUNT_
};

/* Icons, drawn by the backend from primitives. ORDER ICON */
enum ui_icon {
	UI_ICON_HOST,		/* a monitor */
	UI_ICON_ROUTER,		/* a disc with crossing arrows */
	UI_ICON_SERVER,		/* stacked drawers */
	UI_ICON_MAIL,		/* an envelope */
	UI_ICON_DNS,		/* a globe */
	UI_ICON_USER,		/* a person */
	UI_ICON_PLAY,
	UI_ICON_PAUSE,
	UI_ICON_STEP_BACK,
	UI_ICON_STEP_FWD,
	UI_ICON_START,
	UI_ICON_END,
	UI_ICON_DROP,		/* a cross: a datagram lost here */
	UI_ICON_COUNT_
};

/* What a command shows: lets a click find what is under the mouse and a
 * test find "the arrow of event 15" without knowing coordinates. */
enum ui_role {
	UI_ROLE_NONE,
	UI_ROLE_NODE,		/* ref: node id */
	UI_ROLE_LINK,		/* ref: link id */
	UI_ROLE_MSG,		/* a message in flight; ref: its pkt-send */
	UI_ROLE_MSG_ARROW,	/* the current message's arrow; ref: event */
	UI_ROLE_MSG_LABEL,	/* its label; ref: event */
	UI_ROLE_DROP,		/* ref: the pkt-drop event */
	UI_ROLE_ROW,		/* an event list row; ref: event */
	UI_ROLE_ROW_CURRENT,	/* the row at the cursor; ref: event */
	UI_ROLE_FIELD,		/* a decoded field; ref: field index */
	UI_ROLE_HEX,		/* a byte of the hex dump; ref: offset */
	UI_ROLE_CAPTION,	/* the caption text; ref: note event */
	UI_ROLE_BUTTON,		/* ref: enum ui_button */
	UI_ROLE_SCRUBBER,	/* the timeline */
	UI_ROLE_LIST,		/* the event list's area (wheel) */
	UI_ROLE_DETAIL,		/* the detail pane's area (wheel) */
	UI_ROLE_LADDER,		/* the ladder's area (wheel) */
	UI_ROLE_LADDER_MSG,	/* a ladder arrow; ref: event */
	UI_ROLE_HELP,		/* the help overlay */
	UI_ROLE_INSPECTOR,	/* the node inspector's card; ref: node */
	UI_ROLE_PHASE,		/* the SMTP phase bar's lit phase; ref: 0
				 * TCP handshake .. 3 closure */
	UI_ROLE_CACHE_HIT,	/* "answered from the cache"; ref: event */
	UI_ROLE_CANVAS,		/* the topology's empty space (drag, wheel) */
	UI_ROLE_CHECK		/* the checkpoint card; ref: its event */
};

struct ui_color {
	uint8_t r, g, b, a;
};

struct ui_rect {
	int32_t x, y, w, h;
};

struct ui_cmd {
	uint8_t type;		/* enum ui_cmd_type */
	uint8_t font;		/* TEXT: enum ui_font */
	uint8_t icon;		/* ICON: enum ui_icon */
	uint8_t role;		/* enum ui_role */
	int32_t ref;		/* the role's object, -1 none */
	struct ui_rect r;	/* CLIP, RECT, TEXT, ICON, HIT */
	int32_t x0, y0, x1, y1;	/* LINE, ARROW; CIRCLE centre in x0,y0 */
	int32_t radius;		/* RECT corner radius, CIRCLE radius */
	int32_t thick;		/* line width; RECT/CIRCLE: 0 fill */
	struct ui_color color;	/* everything but CLIP and HIT */
	uint32_t text;		/* TEXT: offset in the list's text */
	uint32_t len;		/* TEXT: bytes, no NUL counted */
};

struct ui_dlist {
	struct ui_cmd cmds[UI_DLIST_CMDS]; /* in drawing order */
	size_t ncmds;			/* commands in use */
	char text[UI_DLIST_TEXT];	/* text of TEXT commands, each
					 * NUL-terminated */
	size_t ntext;			/* bytes of text in use */
	int overflow;			/* 1 when something did not fit */
};

/* A new empty list (about 1.8 MB, allocated once); NULL on out of
 * memory. Free with ui_dlist_free (NULL is a no-op). */
struct ui_dlist *ui_dlist_new(void);
void ui_dlist_free(struct ui_dlist *dl);

/* Empties the list for the next frame. */
void ui_dlist_clear(struct ui_dlist *dl);

/* Appends a command of the given type with everything else zero and
 * ref -1, and returns it for the caller to fill in; NULL (and overflow
 * set) when the list is full. */
struct ui_cmd *ui_dlist_push(struct ui_dlist *dl, enum ui_cmd_type type);

/* Helpers over ui_dlist_push; each returns the command or NULL. */
struct ui_cmd *ui_dl_clip(struct ui_dlist *dl, struct ui_rect r);
struct ui_cmd *ui_dl_rect(struct ui_dlist *dl, struct ui_rect r,
    int radius, struct ui_color c);
struct ui_cmd *ui_dl_frame(struct ui_dlist *dl, struct ui_rect r,
    int radius, int thick, struct ui_color c);
struct ui_cmd *ui_dl_line(struct ui_dlist *dl, int x0, int y0, int x1,
    int y1, int thick, struct ui_color c);
struct ui_cmd *ui_dl_arrow(struct ui_dlist *dl, int x0, int y0, int x1,
    int y1, int thick, struct ui_color c);
struct ui_cmd *ui_dl_circle(struct ui_dlist *dl, int x, int y, int radius,
    int thick, struct ui_color c);
struct ui_cmd *ui_dl_icon(struct ui_dlist *dl, enum ui_icon icon,
    struct ui_rect r, struct ui_color c);
struct ui_cmd *ui_dl_hit(struct ui_dlist *dl, struct ui_rect r,
    enum ui_role role, int32_t ref);
/* Text s[0..len) at (x, y), its measured size w x h stored in r. The
 * bytes are copied into the list. */
struct ui_cmd *ui_dl_text(struct ui_dlist *dl, enum ui_font font, int x,
    int y, int w, int h, const char *s, size_t len, struct ui_color c);

/* The text of a TEXT command (NUL-terminated), "" for any other. */
const char *ui_dlist_text(const struct ui_dlist *dl, const struct ui_cmd *c);

/* The topmost HIT command whose rect holds (x, y), NULL if none. */
const struct ui_cmd *ui_dlist_hit(const struct ui_dlist *dl, int x, int y);

/* 1 if a and b hold the same commands with the same text. */
int ui_dlist_equal(const struct ui_dlist *a, const struct ui_dlist *b);

/* 1 if the rects overlap; 1 if r holds (x, y). */
int ui_rect_overlaps(struct ui_rect a, struct ui_rect b);
int ui_rect_holds(struct ui_rect r, int x, int y);

#endif
