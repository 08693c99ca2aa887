/* timer.c - one-shot timers that move without engine events (timer.h). */
#include "engine/timer.h"

#include <stddef.h>

static sim_time
timer_fire(struct sim *s, void *arg)
{
	struct sim_timer *t = arg;

	t->ev = 0;
	if (!t->armed)
		return SIM_DONE;	/* stopped since: nothing to do */
	if (t->due != t->ev_at || t->ticket != t->ev_ticket) {
		/* Set again since this event was scheduled: move to the
		 * deadline, which is later in the order than this event
		 * (an earlier one would have moved the event at once). */
		t->ev = sim_schedule_ticket(s, t->due, t->ticket, timer_fire,
		    t, NULL);
		t->ev_at = t->due;
		t->ev_ticket = t->ticket;
		if (t->ev == 0)
			t->armed = 0;	/* out of memory: it never fires */
		return SIM_DONE;
	}
	t->armed = 0;
	t->fn(s, t->arg);
	return SIM_DONE;
}

void
sim_timer_init(struct sim_timer *t, sim_timer_fn *fn, void *arg)
{
	t->fn = fn;
	t->arg = arg;
	t->ev = 0;
	t->ev_at = 0;
	t->ev_ticket = 0;
	t->due = 0;
	t->ticket = 0;
	t->armed = 0;
}

enum nl_status
sim_timer_set(struct sim *s, struct sim_timer *t, sim_time delay)
{
	sim_time now = sim_now(s);

	if (delay < 0 || delay > SIM_TIME_MAX - now)
		return NL_EINVAL;
	/* The ticket a schedule here would take, taken always, so that
	 * the order of every event is as if each set were a schedule. */
	t->ticket = sim_ticket(s);
	t->due = now + delay;
	t->armed = 1;
	if (t->ev != 0 && t->ev_at <= t->due)
		return NL_OK;	/* it fires first and moves (timer_fire) */
	if (t->ev != 0)
		(void)sim_cancel(s, t->ev);
	t->ev = sim_schedule_ticket(s, t->due, t->ticket, timer_fire, t,
	    NULL);
	t->ev_at = t->due;
	t->ev_ticket = t->ticket;
	if (t->ev == 0) {
		t->armed = 0;
		return NL_ENOMEM;
	}
	return NL_OK;
}

void
sim_timer_stop(struct sim_timer *t)
{
	t->armed = 0;
}

void
sim_timer_cancel(struct sim *s, struct sim_timer *t)
{
	t->armed = 0;
	if (t->ev != 0)
		(void)sim_cancel(s, t->ev);
	t->ev = 0;
}

int
sim_timer_armed(const struct sim_timer *t)
{
	return t->armed;
}
