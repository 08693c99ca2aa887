/* view.h - the viewer's state between frames (cursor, play/pause, speed,
 * screen, tab, granularity, filters, scroll) and the update step that
 * applies one frame's input to it.
 *
 * The cursor is an index into the trace: events [0, cursor) have
 * happened. `time` is the cursor's virtual time; while playing it runs
 * ahead of the last event so messages move between events. Stepping back
 * is moving the cursor back: what a frame shows is a function of the
 * view alone (raylib's screen manager: one enum, switched once in update
 * and once in the builder). */
#ifndef NL_UI_VIEW_H
#define NL_UI_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "ui/detail.h"
#include "ui/dlist.h"
#include "ui/model.h"

/* ORDER SCREEN */
enum ui_screen {
	UI_SCREEN_PLAYER,	/* the topology or ladder with its panels */
	UI_SCREEN_HELP		/* the player under the list of keys */
};

enum ui_tab {
	UI_TAB_TOPOLOGY,	/* the network with messages moving */
	UI_TAB_LADDER		/* one column per node, time going down */
};

/* Keys the viewer knows, whatever the backend calls them. */
enum ui_key {
	UI_KEY_NONE,
	UI_KEY_SPACE,		/* play / pause */
	UI_KEY_LEFT,		/* back one message (Shift: one event) */
	UI_KEY_RIGHT,		/* forward one message (Shift: one event) */
	UI_KEY_UP,		/* event list: previous row */
	UI_KEY_DOWN,		/* event list: next row */
	UI_KEY_HOME,		/* to the start */
	UI_KEY_END,		/* to the end */
	UI_KEY_PLUS,		/* faster */
	UI_KEY_MINUS,		/* slower */
	UI_KEY_HELP,		/* H or F1 */
	UI_KEY_GRAN,		/* G: messages / segments */
	UI_KEY_TAB,		/* Tab or L: topology / ladder */
	UI_KEY_ESCAPE,		/* close the help or the inspector */
	UI_KEY_QUIT,		/* Q */
	UI_KEY_ZOOM_IN,		/* Ctrl + =: topology closer */
	UI_KEY_ZOOM_OUT,	/* Ctrl + -: further */
	UI_KEY_ZOOM_FIT,	/* Ctrl + 0 or F: everything in view */
	UI_KEY_ENTER,		/* Return: continue after a checkpoint */
	UI_KEY_1,		/* 1 .. 9: a checkpoint's choices; keep */
	UI_KEY_9 = UI_KEY_1 + 8	/* them consecutive */
};

/* Buttons: a HIT command with role UI_ROLE_BUTTON carries one of these
 * in ref. Filter chips are UI_BTN_FILTER + enum trace_proto. */
enum ui_button {
	UI_BTN_START,
	UI_BTN_BACK,
	UI_BTN_PLAY,
	UI_BTN_FWD,
	UI_BTN_END,
	UI_BTN_SLOWER,
	UI_BTN_FASTER,
	UI_BTN_TAB_TOPOLOGY,
	UI_BTN_TAB_LADDER,
	UI_BTN_GRAN_APP,
	UI_BTN_GRAN_SEGMENT,
	UI_BTN_HELP,
	UI_BTN_CLOSE_NODE,	/* closes the node inspector */
	UI_BTN_FIT,		/* topology: zoom and pan reset */
	UI_BTN_CONTINUE,	/* checkpoint: go on after the answer */
	UI_BTN_CHOICE = 32,	/* checkpoint: + choice index (< 32) */
	UI_BTN_FILTER = 64
};

#define UI_INPUT_KEYS 32	/* key presses kept per frame */

/* One frame of input, filled by the backend. */
struct ui_input {
	int w, h;		/* window size, layout pixels */
	int64_t dt_ns;		/* wall time since the previous frame */
	int mx, my;		/* mouse position */
	int down;		/* left button held */
	int pressed;		/* left button went down this frame */
	int wheel;		/* wheel steps this frame, > 0 up */
	uint8_t keys[UI_INPUT_KEYS];	/* enum ui_key, in order */
	uint8_t shift[UI_INPUT_KEYS];	/* Shift held with keys[i] */
	size_t nkeys;		/* keys used */
	int quit;		/* the window was closed */
};

#define UI_SPEED_COUNT 10	/* 0.1x .. 100x */
#define UI_SPEED_DEFAULT 3	/* 1x */

struct ui_view {
	enum ui_screen screen;	/* what update and build switch on */
	enum ui_tab tab;	/* topology or ladder */
	enum ui_gran gran;	/* messages or every segment */
	int w, h;		/* window size, layout pixels */
	size_t cursor;		/* events [0, cursor) have happened */
	sim_time time;		/* the cursor's virtual time */
	int playing;		/* time runs */
	sim_time stop_at;	/* playing stops here (a step's arrival);
				 * -1: plays on */
	int speed;		/* index in the speed table */
	uint32_t hidden;	/* bit (1 << proto): filtered out */
	int list_follow;	/* the event list keeps the cursor in view */
	long list_first;	/* first row shown when not following */
	int detail_scroll;	/* first field row shown */
	long ladder_first;	/* first ladder row shown, -1: follow */
	int field;		/* selected field of the detail, -1 */
	int32_t node;		/* node shown in the inspector, -1 none */
	int dragging;		/* the scrubber is held */
	double zoom;		/* topology scale around the canvas's
				 * centre, 1: fit */
	double pan_x, pan_y;	/* topology shift after zooming, pixels */
	int panning;		/* the canvas is being dragged */
	int pan_mx, pan_my;	/* the mouse where the drag last was */
	struct ui_rect canvas;	/* the topology canvas, from the frame */
	int32_t check;		/* checkpoint event being asked, -1 none */
	int answer;		/* its chosen answer, -1 none yet */
	int check_play;		/* play on after it (it paused a play) */
	struct ui_rect scrub;	/* the scrubber's rect, from the frame */
	int quit;		/* the user asked to leave */
	struct ui_detail detail; /* the current event, decoded */
};

/* A view at the start of m: paused, 1x, messages, topology. */
void ui_view_init(struct ui_view *v, const struct ui_model *m, int w,
    int h);

/*
 * Applies one frame's input: keys, clicks on what the previous frame
 * drew (prev, may be NULL), the wheel, and the play clock. Then decodes
 * the current event into v->detail if it changed.
 */
void ui_view_update(struct ui_view *v, const struct ui_model *m,
    const struct ui_input *in, const struct ui_dlist *prev);

/* Moves one step (dir +1 / -1) at the view's granularity, skipping
 * filtered protocols: to the moment the message leaves, then plays it
 * until it arrives. Returns 0 when there is no step that way. */
int ui_view_step(struct ui_view *v, const struct ui_model *m, int dir);
/* To virtual time t: every event up to t has happened; pauses. */
void ui_view_seek(struct ui_view *v, const struct ui_model *m, sim_time t);
/* Moves one event (dir +1 / -1); pauses. */
void ui_view_step_event(struct ui_view *v, const struct ui_model *m,
    int dir);
/* Jumps to just after event ev (it is the current one); pauses. */
void ui_view_jump(struct ui_view *v, const struct ui_model *m, size_t ev);
/* To the start; to the end (every message arrived). */
void ui_view_home(struct ui_view *v, const struct ui_model *m);
void ui_view_end(struct ui_view *v, const struct ui_model *m);
/* Advances the play clock by dt_ns of wall time at the view's speed. */
void ui_view_advance(struct ui_view *v, const struct ui_model *m,
    int64_t dt_ns);
/* Refreshes v->detail for the current event (after moving the cursor
 * by hand). */
void ui_view_sync(struct ui_view *v, const struct ui_model *m);

/* The current step and row: the last step/row event before the cursor
 * that the filter lets through, -1 if none. */
long ui_view_current_step(const struct ui_view *v, const struct ui_model *m);
long ui_view_current_row(const struct ui_view *v, const struct ui_model *m);
/* The protocol an event is shown as: a datagram takes the protocol of
 * the application message it carries. */
enum trace_proto ui_event_proto(const struct ui_model *m, size_t ev);
/* Whether the filter hides event ev. */
int ui_view_hides(const struct ui_view *v, const struct ui_model *m,
    size_t ev);

/* Zooms the topology by factor f (clamped to UI_ZOOM_MIN..MAX overall)
 * keeping the canvas point at offset (dx, dy) from its centre still. */
#define UI_ZOOM_MIN 0.25
#define UI_ZOOM_MAX 8.0
void ui_view_zoom(struct ui_view *v, double f, double dx, double dy);

/* The choices checkpoint ev offers: its b, but no more than the lines
 * its data holds before the explanation, nor than UI_CHOICES_MAX. */
#define UI_CHOICES_MAX 9	/* keys 1..9 */
int ui_check_choices(const struct trace_event *ev);

/* Answers the open checkpoint with choice i (0-based); ignored when
 * none is open, it is answered, or i is out of range. */
void ui_view_answer(struct ui_view *v, const struct ui_model *m, int i);
/* Closes the checkpoint (answered or not); a play it paused goes on. */
void ui_view_continue(struct ui_view *v);

/* The speed factor of the view in tenths (1 = 0.1x, 1000 = 100x). */
int ui_speed_tenths(int speed);

#endif
