/* sim.h - the discrete-event engine: virtual clock, event queue with
 * cancellable timers, run modes, and the one seeded PRNG.
 *
 * Events are ordered by (time, seq); seq comes from a counter bumped at
 * every schedule, so events for the same time fire in the order they were
 * scheduled (ns-3's EventKey, libuv's timer start_id). The engine knows
 * nothing of networks. */
#ifndef NL_SIM_H
#define NL_SIM_H

#include <stdint.h>

#include "util/status.h"

/* Virtual time in nanoseconds since the start of the run. */
typedef int64_t sim_time;

#define SIM_NS ((sim_time)1)
#define SIM_US ((sim_time)1000)
#define SIM_MS ((sim_time)1000000)
#define SIM_S ((sim_time)1000000000)
#define SIM_TIME_MAX INT64_MAX

/* Returned by a callback that is done (Redis's AE_NOMORE). */
#define SIM_DONE ((sim_time)-1)

struct sim;

/* An event callback. Return SIM_DONE, or a delay >= 0 to fire again after
 * that delay under the same id (a periodic timer). A callback may schedule
 * and cancel events freely, itself included: cancelling the running event
 * stops it from being re-armed. */
typedef sim_time sim_fn(struct sim *s, void *arg);

/* Frees an event's arg exactly once, when the event is done or cancelled
 * or the engine is freed with it still pending (Redis's finalizer). */
typedef void sim_fin_fn(void *arg);

/* A new engine whose PRNG is seeded with seed; NULL if out of memory. */
struct sim *sim_new(uint64_t seed);
/* Frees the engine, running the finalizers of pending events. */
void sim_free(struct sim *s);

/* The loop's cached virtual time; moves only when an event is popped (or
 * when a SIM_RUN_UNTIL run reaches its limit). */
sim_time sim_now(const struct sim *s);

/* Schedules fn(arg) at now + delay (delay >= 0). Returns the event id
 * (never 0), or 0 when out of memory or delay < 0; in that case fin, if
 * given, has already been called on arg. */
uint64_t sim_schedule(struct sim *s, sim_time delay, sim_fn *fn, void *arg);
/* The same at an absolute time at >= now, with an optional finalizer. */
uint64_t sim_schedule_at(struct sim *s, sim_time at, sim_fn *fn, void *arg,
    sim_fin_fn *fin);

/* A place in the order of events, taken now for an event scheduled
 * later: sim_schedule_ticket(s, at, ticket, ...) fires exactly where
 * sim_schedule_at(s, at, ...) called at the moment of sim_ticket would
 * have, among events of the same time. A module can so keep thousands
 * of timers in its own queue and only the earliest in the engine's (a
 * resolver cache's expiries), and the run stays the same event for
 * event. */
uint64_t sim_ticket(struct sim *s);
/* Schedules fn(arg) at `at` >= now in the place of `ticket` (from
 * sim_ticket, each used at most once while pending). Returns the id, or
 * 0 (fin has then run) when out of memory, at < now or ticket was never
 * issued. */
uint64_t sim_schedule_ticket(struct sim *s, sim_time at, uint64_t ticket,
    sim_fn *fn, void *arg, sim_fin_fn *fin);

/* Cancels a pending event, or stops the running one from re-arming.
 * NL_OK if it was pending or running, NL_ENOTFOUND if it had already
 * fired, been cancelled or never existed. The finalizer runs at once for
 * a pending event, after the callback returns for the running one. */
enum nl_status sim_cancel(struct sim *s, uint64_t id);

/* Whether id is pending (scheduled and neither fired nor cancelled). */
int sim_is_pending(const struct sim *s, uint64_t id);

enum sim_run_mode {
	SIM_RUN_EMPTY,		/* until no event is left (or sim_stop) */
	SIM_RUN_UNTIL,		/* events at times <= until, then now = until */
	SIM_RUN_ONCE		/* exactly one live event, if any */
};

/* Runs the loop in the given mode (until matters for SIM_RUN_UNTIL only).
 * Returns the number of callbacks run. */
uint64_t sim_run(struct sim *s, enum sim_run_mode mode, sim_time until);

/* Makes sim_run return after the current callback. */
void sim_stop(struct sim *s);

/* Live events waiting to fire, and callbacks run since sim_new. */
uint64_t sim_pending(const struct sim *s);
uint64_t sim_fired(const struct sim *s);

/* ---- The PRNG (xoshiro256**, seeded through splitmix64). ---- */
uint64_t sim_seed(const struct sim *s);
uint64_t sim_rand_u64(struct sim *s);
/* Uniform in [0, n) without modulo bias; 0 when n == 0. */
uint64_t sim_rand_below(struct sim *s, uint64_t n);
/* Uniform in [0, 1) with 53 random bits. */
double sim_rand_unit(struct sim *s);
/* Exponentially distributed delay with the given mean, in whole ns. */
sim_time sim_rand_exp(struct sim *s, sim_time mean);

/* ---- Time as text. ---- */
/* Parses "1.5s", "200ms", "10us", "250ns", "2m" (minutes), "1h" or "5d" into
 * *out. NL_EMALFORMED for anything else: a missing unit, a negative
 * value, junk, or a value over SIM_TIME_MAX. */
enum nl_status sim_time_parse(const char *s, sim_time *out);
/* Seconds with 6 decimals ("0.012000") into buf of size at least 32. */
char *sim_time_str(sim_time t, char *buf, unsigned long size);

#endif
