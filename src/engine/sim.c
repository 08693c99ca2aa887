/* sim.c - event loop, clock and run modes over the evq heap. */
#include "engine/sim.h"

#include <stdio.h>
#include <string.h>

#include "engine/evq.h"
#include "engine/rng.h"
#include "util/alloc.h"

struct sim {
	struct evq q;		/* pending events */
	struct rng rng;		/* the one PRNG of the run */
	uint64_t seed;		/* as given to sim_new, for the trace header */
	sim_time now;		/* cached virtual time */
	uint64_t fired;		/* callbacks run */
	int stop;		/* sim_stop was called during this run */
};

struct sim *
sim_new(uint64_t seed)
{
	struct sim *s = nl_calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	if (evq_init(&s->q) != NL_OK) {
		nl_free(s);
		return NULL;
	}
	rng_seed(&s->rng, seed);
	s->seed = seed;
	return s;
}

void
sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	evq_free(&s->q);
	nl_free(s);
}

sim_time
sim_now(const struct sim *s)
{
	return s->now;
}

uint64_t
sim_schedule_at(struct sim *s, sim_time at, sim_fn *fn, void *arg,
    sim_fin_fn *fin)
{
	if (at < s->now || fn == NULL) {
		if (fin != NULL)
			fin(arg);
		return 0;
	}
	return evq_push(&s->q, at, fn, arg, fin);
}

uint64_t
sim_ticket(struct sim *s)
{
	return evq_ticket(&s->q);
}

uint64_t
sim_schedule_ticket(struct sim *s, sim_time at, uint64_t ticket,
    sim_fn *fn, void *arg, sim_fin_fn *fin)
{
	if (at < s->now || fn == NULL) {
		if (fin != NULL)
			fin(arg);
		return 0;
	}
	return evq_push_ticket(&s->q, at, ticket, fn, arg, fin);
}

uint64_t
sim_schedule(struct sim *s, sim_time delay, sim_fn *fn, void *arg)
{
	if (delay < 0 || delay > SIM_TIME_MAX - s->now)
		return 0;
	return sim_schedule_at(s, s->now + delay, fn, arg, NULL);
}

enum nl_status
sim_cancel(struct sim *s, uint64_t id)
{
	return evq_cancel(&s->q, id);
}

int
sim_is_pending(const struct sim *s, uint64_t id)
{
	return evq_is_pending(&s->q, id);
}

/* Pops and runs one live event at or before `until`. Returns 1 if one ran. */
static int
sim_step(struct sim *s, sim_time until)
{
	struct evq_fire f;
	sim_time again;

	if (!evq_pop(&s->q, until, &f))
		return 0;
	/* The engine never runs an event in the past: evq_pop only returns
	 * times >= every earlier pop, and schedules refuse at < now. */
	s->now = f.t;
	s->fired++;
	again = f.fn(s, f.arg);
	if (again >= 0 && again > SIM_TIME_MAX - s->now)
		again = SIM_DONE;
	evq_done(&s->q, f.slot, again == SIM_DONE ? SIM_DONE : s->now + again);
	return 1;
}

uint64_t
sim_run(struct sim *s, enum sim_run_mode mode, sim_time until)
{
	uint64_t before = s->fired;
	sim_time limit = mode == SIM_RUN_UNTIL ? until : SIM_TIME_MAX;

	s->stop = 0;
	if (mode == SIM_RUN_ONCE) {
		sim_step(s, limit);
		return s->fired - before;
	}
	while (!s->stop && sim_step(s, limit))
		;
	if (mode == SIM_RUN_UNTIL && !s->stop && until > s->now)
		s->now = until;
	return s->fired - before;
}

void
sim_stop(struct sim *s)
{
	s->stop = 1;
}

uint64_t
sim_pending(const struct sim *s)
{
	return evq_live(&s->q);
}

uint64_t
sim_fired(const struct sim *s)
{
	return s->fired;
}

uint64_t
sim_seed(const struct sim *s)
{
	return s->seed;
}

uint64_t
sim_rand_u64(struct sim *s)
{
	return rng_next(&s->rng);
}

uint64_t
sim_rand_below(struct sim *s, uint64_t n)
{
	return rng_below(&s->rng, n);
}

double
sim_rand_unit(struct sim *s)
{
	return rng_unit(&s->rng);
}

sim_time
sim_rand_exp(struct sim *s, sim_time mean)
{
	return rng_exp(&s->rng, mean);
}

enum nl_status
sim_time_parse(const char *str, sim_time *out)
{
	static const struct {
		const char *unit;
		sim_time scale;
	} units[] = {
		{ "ns", SIM_NS }, { "us", SIM_US }, { "ms", SIM_MS },
		{ "s", SIM_S }, { "m", 60 * SIM_S }, { "h", 3600 * SIM_S },
		{ "d", 86400 * SIM_S },
	};
	const char *p = str;
	uint64_t whole = 0, frac = 0, frac_div = 1;
	size_t i;
	int digits = 0;

	*out = 0;
	if (p == NULL)
		return NL_EMALFORMED;
	/* Integer part, then an optional fraction; digits only, no sign:
	 * times in a scenario are never negative. */
	while (*p >= '0' && *p <= '9') {
		if (whole > (UINT64_MAX - 9) / 10)
			return NL_EMALFORMED;
		whole = whole * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (frac_div < 1000000000000ULL) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return NL_EMALFORMED;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(p, units[i].unit) == 0) {
			uint64_t scale = (uint64_t)units[i].scale;
			uint64_t v;

			if (whole > (uint64_t)SIM_TIME_MAX / scale)
				return NL_EMALFORMED;
			v = whole * scale;
			/* frac/frac_div of a unit, rounded to the nanosecond. */
			v += (uint64_t)((double)frac * (double)scale /
			    (double)frac_div + 0.5);
			if (v > (uint64_t)SIM_TIME_MAX)
				return NL_EMALFORMED;
			*out = (sim_time)v;
			return NL_OK;
		}
	}
	return NL_EMALFORMED;
}

char *
sim_time_str(sim_time t, char *buf, unsigned long size)
{
	const char *sign = "";
	uint64_t u;

	if (t < 0) {
		sign = "-";
		u = (uint64_t)(-(t + 1)) + 1;
	} else {
		u = (uint64_t)t;
	}
	snprintf(buf, size, "%s%llu.%06llu", sign,
	    (unsigned long long)(u / 1000000000ULL),
	    (unsigned long long)(u % 1000000000ULL / 1000ULL));
	return buf;
}
