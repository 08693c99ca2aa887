/* check.c - the checkpoint card: when playing reaches a checkpoint event
 * (a = right choice, b = number of choices, summary = the question,
 * data = the choices one a line, then the explanation) the view pauses
 * and this card asks. Choices are buttons (keys 1..9 too); once one is
 * picked the card says right or wrong, lights the right one and shows
 * the explanation, and Continue goes on. */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

#define CHOICES_MAX UI_CHOICES_MAX
#define CARD_W_MAX 620
#define CHOICE_H 34

struct check {
	const char *line[CHOICES_MAX + 1]; /* choices, then explanation */
	int nchoices;		/* choices found, <= b */
	const char *why;	/* the explanation, "" if none */
	int right;		/* a, -1 when out of range */
	char buf[2048];		/* the data, lines NUL-terminated */
};

/* Splits the event's data into choices and the explanation. */
static void
parse(const struct trace_event *ev, struct check *k)
{
	size_t n = ev->len < sizeof k->buf - 1 ? ev->len : sizeof k->buf - 1;
	int want = ev->b < 0 ? 0 : ev->b > CHOICES_MAX ? CHOICES_MAX :
	    (int)ev->b, nl = 0;
	char *s = k->buf, *e;

	if (n > 0)
		memcpy(k->buf, ev->data, n);
	k->buf[n] = '\0';
	while (nl <= want && s != NULL && *s != '\0') {
		e = strchr(s, '\n');
		if (e != NULL)
			*e = '\0';
		k->line[nl++] = s;
		s = e != NULL ? e + 1 : NULL;
	}
	/* as the view counts them; fewer if a NUL byte cut the text */
	k->nchoices = NL_MIN(nl, ui_check_choices(ev));
	k->why = nl > want ? k->line[want] : "";
	k->right = ev->a >= 0 && ev->a < k->nchoices ? (int)ev->a : -1;
}

/* Lays the card's content out inside card from its top; returns the
 * bottom. With an empty clip it only measures (nothing goes into the
 * list). */
static int
layout(struct ui_ctx *c, const struct check *k, const char *question,
    struct ui_rect card)
{
	const struct ui_view *v = c->v;
	int x = card.x + 24, w = card.w - 48, y = card.y + 20, i;
	int lh = ui_font_h(c, UI_FONT_BOLD) + 4;
	struct ui_color acc = UI_C_ACCENT, ok = UI_RGBA(74, 222, 128, 255);
	char buf[600];

	ui_chip(c, x, y, 22, "Checkpoint", UI_FONT_SMALL, acc, UI_C_BG);
	y += 34;
	y += lh * ui_text_wrap(c, UI_FONT_BOLD, x, y, w, lh, 5, question,
	    UI_C_TEXT);
	y += 10;
	for (i = 0; i < k->nchoices; i++) {
		struct ui_rect r = {x, y, w, CHOICE_H};
		struct ui_color bg = UI_C_RAISED, fg = UI_C_TEXT, bd = UI_C_BORDER;
		char nb[16];

		if (v->answer >= 0 && i == k->right) {
			bg = ui_mix(UI_C_RAISED, ok, 60);
			bd = ok;
		} else if (v->answer == i) {
			bg = ui_mix(UI_C_RAISED, UI_C_RED, 60);
			bd = UI_C_RED;
		} else if (v->answer >= 0) {
			fg = UI_C_DIM;
		}
		ui_fill(c, r, 8, bg);
		ui_stroke(c, r, 8, 1, bd);
		snprintf(nb, sizeof nb, "%d", i + 1);
		ui_fill(c, (struct ui_rect){r.x + 8, r.y + 6, 22, 22}, 6,
		    v->answer >= 0 ? UI_C_BORDER : acc);
		ui_text(c, UI_FONT_BOLD, r.x + 8 + (22 - ui_text_w(c,
		    UI_FONT_BOLD, nb)) / 2, r.y + 6 + (22 - ui_font_h(c,
		    UI_FONT_BOLD)) / 2, nb, UI_C_TEXT);
		ui_text_fit(c, UI_FONT_REGULAR, r.x + 40, r.y + (CHOICE_H -
		    ui_font_h(c, UI_FONT_REGULAR)) / 2, r.w - 50, k->line[i], fg);
		if (v->answer < 0)
			ui_hit(c, r, UI_ROLE_BUTTON, UI_BTN_CHOICE + i);
		y += CHOICE_H + 6;
	}
	y += 6;
	if (v->answer < 0) {
		snprintf(buf, sizeof buf, "Press 1\xe2\x80\x93%d or click a "
		    "choice \xc2\xb7 Esc skips", k->nchoices);
		ui_text(c, UI_FONT_SMALL, x, y, buf, UI_C_FAINT);
		return y + 22;
	}
	if (v->answer == k->right)
		snprintf(buf, sizeof buf, "Right.");
	else if (k->right >= 0)
		snprintf(buf, sizeof buf, "Not quite: the answer is %d.",
		    k->right + 1);
	else
		snprintf(buf, sizeof buf, "Noted.");
	ui_text(c, UI_FONT_BOLD, x, y, buf, v->answer == k->right ? ok :
	    UI_C_RED);
	y += lh + 2;
	lh = ui_font_h(c, UI_FONT_REGULAR) + 4;
	y += lh * ui_text_wrap(c, UI_FONT_REGULAR, x, y, w, lh, 6, k->why,
	    UI_C_DIM);
	y += 10;
	{
		const char *cl = "Continue  \xe2\x8f\x8e";
		int bw = ui_text_w(c, UI_FONT_BOLD, cl) + 28;
		struct ui_rect b = {x + w - bw, y, bw, 32};

		ui_fill(c, b, 8, acc);
		ui_text(c, UI_FONT_BOLD, b.x + 14, b.y + (32 - ui_font_h(c,
		    UI_FONT_BOLD)) / 2, cl, UI_C_BG);
		ui_hit(c, b, UI_ROLE_BUTTON, UI_BTN_CONTINUE);
		y += 32;
	}
	return y;
}

void
ui_build_check(struct ui_ctx *c)
{
	const struct trace_event *ev = trace_at(c->m->t,
	    (size_t)c->v->check);
	struct ui_rect k = c->rg.canvas, card, none = {0, 0, 0, 0}, saved;
	struct check *ck, store;
	int bottom;

	if (c->v->check < 0 || ev == NULL || ev->kind != TRACE_CHECK)
		return;
	ck = &store;
	memset(ck, 0, sizeof *ck);
	parse(ev, ck);
	card.w = NL_MIN(k.w - 40, CARD_W_MAX);
	card.x = k.x + (k.w - card.w) / 2;
	card.y = 0;
	card.h = 0;
	/* measure with nothing drawn, then centre and draw */
	saved = c->clip;
	c->clip = none;
	{
		size_t n = c->dl->ncmds, t = c->dl->ntext;

		bottom = layout(c, ck, ev->summary, card);
		c->dl->ncmds = n;	/* drop the hits the measuring left */
		c->dl->ntext = t;
	}
	c->clip = saved;
	card.h = bottom + 20;
	card.y = k.y + (k.h - card.h) / 2;
	if (card.y < k.y + 8)
		card.y = k.y + 8;
	ui_ctx_clip(c, k);
	ui_fill(c, k, 0, UI_RGBA(5, 7, 10, 150));
	ui_fill(c, (struct ui_rect){card.x, card.y + 4, card.w, card.h}, 14,
	    UI_RGBA(0, 0, 0, 120));
	ui_fill(c, card, 14, UI_C_PANEL);
	ui_stroke(c, card, 14, 1, UI_C_ACCENT);
	ui_hit(c, k, UI_ROLE_CHECK, c->v->check);
	layout(c, ck, ev->summary, card);
	ui_ctx_clip(c, (struct ui_rect){0, 0, c->v->w, c->v->h});
}
