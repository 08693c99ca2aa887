/* timer.h - a one-shot timer whose deadline moves often, at no engine
 * cost for each move.
 *
 * A TCP's retransmission timer is set again at every ACK and stopped
 * whenever all is acknowledged; an SMTP session's reply timeout at every
 * line. As plain events each move is a cancel (a dead key left in the
 * heap) and a schedule. A sim_timer keeps one engine event instead:
 * setting the timer later, or stopping it, leaves that event alone; when
 * it fires too early it moves itself to the deadline, in the place among
 * same-time events that a schedule made at the last set would have had
 * (sim_ticket), so a run is the same event for event.
 *
 * Embed one in its owner, sim_timer_init it, and sim_timer_cancel it
 * before the owner is freed: its engine event may be pending even while
 * the timer is stopped. */
#ifndef NL_TIMER_H
#define NL_TIMER_H

#include "engine/sim.h"

typedef void sim_timer_fn(struct sim *s, void *arg);

struct sim_timer {
	sim_timer_fn *fn;	/* called at the deadline */
	void *arg;		/* with this */
	uint64_t ev;		/* the engine event, 0 when none */
	sim_time ev_at;		/* its time */
	uint64_t ev_ticket;	/* and place */
	sim_time due;		/* the deadline, when armed */
	uint64_t ticket;	/* its place among same-time events */
	int armed;		/* set and not yet fired or stopped */
};

void sim_timer_init(struct sim_timer *t, sim_timer_fn *fn, void *arg);
/* Arms t to fire at now + delay (delay >= 0), in place of any earlier
 * setting. NL_ENOMEM (t is then stopped) or NL_EINVAL. */
enum nl_status sim_timer_set(struct sim *s, struct sim_timer *t,
    sim_time delay);
/* Disarms t; its engine event, if any, stays and fires as a no-op
 * unless t is set again first. */
void sim_timer_stop(struct sim_timer *t);
/* Disarms t and cancels its engine event: the owner may go. */
void sim_timer_cancel(struct sim *s, struct sim_timer *t);
/* 1 while set and neither fired nor stopped. */
int sim_timer_armed(const struct sim_timer *t);

#endif
