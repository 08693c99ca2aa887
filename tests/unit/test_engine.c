/* test_engine.c - the event loop: total order, FIFO ties, cancel from
 * anywhere, run modes, determinism (libuv's test-timer.c timer_order). */
#include "test.h"

#include "engine/sim.h"
#include "engine/timer.h"
#include "util/nl.h"

#define LOG_MAX 64

struct log {
	int n;			/* entries used */
	int who[LOG_MAX];	/* which event fired */
	sim_time at[LOG_MAX];	/* when */
};

struct probe {
	struct log *log;	/* where to record */
	int id;			/* our number */
	int again;		/* re-arm this many times */
	sim_time period;	/* re-arm delay */
	uint64_t cancel;	/* event id to cancel when fired */
	int cancel_self;	/* cancel own id at this firing count */
	uint64_t self;		/* own id */
	int fired;		/* times fired */
	int fin;		/* times finalized */
	struct sim *s;		/* engine, for cancel */
};

static sim_time
probe_fn(struct sim *s, void *arg)
{
	struct probe *p = arg;

	if (p->log->n < LOG_MAX) {
		p->log->who[p->log->n] = p->id;
		p->log->at[p->log->n] = sim_now(s);
		p->log->n++;
	}
	p->fired++;
	if (p->cancel != 0)
		sim_cancel(s, p->cancel);
	if (p->cancel_self != 0 && p->fired == p->cancel_self)
		sim_cancel(s, p->self);
	if (p->again > 0) {
		p->again--;
		return p->period;
	}
	return SIM_DONE;
}

static void
probe_fin(void *arg)
{
	struct probe *p = arg;

	p->fin++;
}

static void
test_order(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe p[5] = { { 0 } };
	sim_time when[5] = { 50, 10, 40, 20, 30 };
	int i;

	ASSERT(s != NULL);
	for (i = 0; i < 5; i++) {
		p[i].log = &log;
		p[i].id = i;
		ASSERT(sim_schedule(s, when[i], probe_fn, &p[i]) != 0);
	}
	ASSERT_EQ(sim_pending(s), 5);
	ASSERT_EQ(sim_run(s, SIM_RUN_EMPTY, 0), 5);
	ASSERT_EQ(log.n, 5);
	ASSERT_EQ(log.who[0], 1);
	ASSERT_EQ(log.who[1], 3);
	ASSERT_EQ(log.who[2], 4);
	ASSERT_EQ(log.who[3], 2);
	ASSERT_EQ(log.who[4], 0);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(log.at[i], (i + 1) * 10);
	ASSERT_EQ(sim_now(s), 50);
	sim_free(s);
}

/* Events for the same time fire in the order they were scheduled, even
 * when scheduled from callbacks and among many others. */
static void
test_fifo_ties(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe p[40] = { { 0 } };
	int i;

	for (i = 0; i < 40; i++) {
		p[i].log = &log;
		p[i].id = i;
		/* Half at t=7, half at t=3, interleaved. */
		ASSERT(sim_schedule(s, i % 2 ? 3 : 7, probe_fn, &p[i]) != 0);
	}
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 40);
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(log.who[i], 2 * i + 1);
		ASSERT_EQ(log.who[20 + i], 2 * i);
	}
	sim_free(s);
}

static void
test_cancel_pending(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe a = { 0 }, b = { 0 };
	uint64_t ia, ib;

	a.log = b.log = &log;
	a.id = 1;
	b.id = 2;
	ia = sim_schedule_at(s, 10, probe_fn, &a, probe_fin);
	ib = sim_schedule_at(s, 20, probe_fn, &b, probe_fin);
	ASSERT(ia != 0 && ib != 0 && ia != ib);
	ASSERT(sim_is_pending(s, ia));
	ASSERT_EQ(sim_cancel(s, ia), NL_OK);
	ASSERT_EQ(a.fin, 1);		/* finalizer at once */
	ASSERT(!sim_is_pending(s, ia));
	ASSERT_EQ(sim_cancel(s, ia), NL_ENOTFOUND);
	ASSERT_EQ(sim_pending(s), 1);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(a.fired, 0);
	ASSERT_EQ(b.fired, 1);
	ASSERT_EQ(b.fin, 1);
	ASSERT_EQ(sim_cancel(s, ib), NL_ENOTFOUND);	/* already fired */
	ASSERT_EQ(sim_cancel(s, 0), NL_ENOTFOUND);
	ASSERT_EQ(sim_cancel(s, 0xdeadbeef00000001ULL), NL_ENOTFOUND);
	sim_free(s);
}

/* A callback cancels another pending event, and a periodic timer cancels
 * itself from inside: it is not re-armed and its finalizer runs once. */
static void
test_cancel_in_callback(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe killer = { 0 }, victim = { 0 }, tick = { 0 };
	uint64_t iv;

	killer.log = victim.log = tick.log = &log;
	killer.id = 1;
	victim.id = 2;
	tick.id = 3;
	iv = sim_schedule_at(s, 10, probe_fn, &victim, probe_fin);
	killer.cancel = iv;
	/* The killer fires first (t = 5) and cancels the victim (t = 10). */
	sim_schedule_at(s, 5, probe_fn, &killer, probe_fin);
	tick.again = 100;
	tick.period = 4;
	tick.cancel_self = 3;
	tick.self = sim_schedule_at(s, 1, probe_fn, &tick, probe_fin);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(victim.fired, 0);
	ASSERT_EQ(victim.fin, 1);
	ASSERT_EQ(killer.fired, 1);
	ASSERT_EQ(tick.fired, 3);	/* t = 1, 5, 9, then cancelled */
	ASSERT_EQ(tick.fin, 1);
	ASSERT_EQ(sim_pending(s), 0);
	ASSERT_EQ(sim_cancel(s, tick.self), NL_ENOTFOUND);
	sim_free(s);
}

static void
test_periodic(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe p = { 0 };
	uint64_t id;

	p.log = &log;
	p.again = 3;
	p.period = 100;
	id = sim_schedule_at(s, 0, probe_fn, &p, probe_fin);
	sim_run(s, SIM_RUN_UNTIL, 150);
	ASSERT_EQ(p.fired, 2);
	ASSERT(sim_is_pending(s, id));	/* same id while re-armed */
	ASSERT_EQ(sim_now(s), 150);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(p.fired, 4);
	ASSERT_EQ(log.at[3], 300);
	ASSERT_EQ(p.fin, 1);
	sim_free(s);
}

static void
test_run_modes(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe p[4] = { { 0 } };
	int i;

	for (i = 0; i < 4; i++) {
		p[i].log = &log;
		p[i].id = i;
		sim_schedule(s, (i + 1) * SIM_MS, probe_fn, &p[i]);
	}
	ASSERT_EQ(sim_run(s, SIM_RUN_ONCE, 0), 1);
	ASSERT_EQ(sim_now(s), 1 * SIM_MS);
	ASSERT_EQ(sim_run(s, SIM_RUN_UNTIL, 3 * SIM_MS), 2);
	ASSERT_EQ(sim_now(s), 3 * SIM_MS);
	ASSERT_EQ(sim_pending(s), 1);
	ASSERT_EQ(sim_run(s, SIM_RUN_UNTIL, 3 * SIM_MS + 1), 0);
	ASSERT_EQ(sim_now(s), 3 * SIM_MS + 1);
	ASSERT_EQ(sim_run(s, SIM_RUN_EMPTY, 0), 1);
	ASSERT_EQ(sim_run(s, SIM_RUN_ONCE, 0), 0);
	ASSERT_EQ(sim_fired(s), 4);
	/* No scheduling into the past. */
	ASSERT_EQ(sim_schedule_at(s, 0, probe_fn, &p[0], NULL), 0);
	ASSERT_EQ(sim_schedule(s, -1, probe_fn, &p[0]), 0);
	sim_free(s);
}

static sim_time
stopper(struct sim *s, void *arg)
{
	int *n = arg;

	if (++*n == 2)
		sim_stop(s);
	return SIM_DONE;
}

static void
test_stop(void)
{
	struct sim *s = sim_new(1);
	int n = 0, i;

	for (i = 0; i < 5; i++)
		sim_schedule(s, i, stopper, &n);
	ASSERT_EQ(sim_run(s, SIM_RUN_EMPTY, 0), 2);
	ASSERT_EQ(sim_pending(s), 3);
	ASSERT_EQ(sim_run(s, SIM_RUN_EMPTY, 0), 3);
	sim_free(s);
}

/* Many cancels (a TCP resets its timer at every ACK) keep the order right
 * through the heap compaction. */
static void
test_cancel_many(void)
{
	struct sim *s = sim_new(3);
	static struct probe p[5000];
	static uint64_t id[5000];
	struct log log = { 0, { 0 }, { 0 } };
	sim_time last = -1;
	int i, live = 0, fired = 0;

	memset(p, 0, sizeof p);
	for (i = 0; i < 5000; i++) {
		p[i].log = &log;
		id[i] = sim_schedule_at(s, (sim_time)sim_rand_below(s, 1000),
		    probe_fn, &p[i], probe_fin);
		ASSERT(id[i] != 0);
	}
	for (i = 0; i < 5000; i++)
		if (i % 5 != 0)
			ASSERT_EQ(sim_cancel(s, id[i]), NL_OK);
	ASSERT_EQ(sim_pending(s), 1000);
	while (sim_run(s, SIM_RUN_ONCE, 0) == 1) {
		ASSERT(sim_now(s) >= last);
		last = sim_now(s);
		fired++;
	}
	ASSERT_EQ(fired, 1000);
	for (i = 0; i < 5000; i++) {
		ASSERT_EQ(p[i].fin, 1);
		live += p[i].fired;
	}
	ASSERT_EQ(live, 1000);
	sim_free(s);
}

static void
test_free_runs_finalizers(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe p = { 0 };

	p.log = &log;
	sim_schedule_at(s, 10, probe_fn, &p, probe_fin);
	sim_free(s);
	ASSERT_EQ(p.fired, 0);
	ASSERT_EQ(p.fin, 1);
	sim_free(NULL);
}

static void
test_rng_determinism(void)
{
	struct sim *a = sim_new(42), *b = sim_new(42), *c = sim_new(43);
	int i, same_c = 0;
	double sum = 0;

	ASSERT_EQ(sim_seed(a), 42);
	for (i = 0; i < 1000; i++) {
		uint64_t x = sim_rand_u64(a);

		ASSERT_U64_EQ(x, sim_rand_u64(b));
		same_c += x == sim_rand_u64(c);
	}
	ASSERT_EQ(same_c, 0);
	for (i = 0; i < 10000; i++) {
		uint64_t r = sim_rand_below(a, 7);
		double u = sim_rand_unit(a);

		ASSERT(r < 7);
		ASSERT(u >= 0.0 && u < 1.0);
		sum += (double)sim_rand_exp(a, SIM_S);
	}
	/* The mean of 10^4 exponential draws is within 5 % of 1 s. */
	ASSERT(sum / 10000 > 0.95e9 && sum / 10000 < 1.05e9);
	ASSERT_EQ(sim_rand_below(a, 0), 0);
	/* A pinned value: the generator must not change under us, or every
	 * golden transcript would. */
	{
		struct sim *d = sim_new(1);

		ASSERT_U64_EQ(sim_rand_u64(d), 0xb3f2af6d0fc710c5ULL);
		sim_free(d);
	}
	sim_free(a);
	sim_free(b);
	sim_free(c);
}

static void
test_time_parse(void)
{
	sim_time t;
	char buf[32];

	ASSERT_EQ(sim_time_parse("1.5s", &t), NL_OK);
	ASSERT_EQ(t, 1500 * SIM_MS);
	ASSERT_EQ(sim_time_parse("200ms", &t), NL_OK);
	ASSERT_EQ(t, 200 * SIM_MS);
	ASSERT_EQ(sim_time_parse("10us", &t), NL_OK);
	ASSERT_EQ(t, 10 * SIM_US);
	ASSERT_EQ(sim_time_parse("7ns", &t), NL_OK);
	ASSERT_EQ(t, 7);
	ASSERT_EQ(sim_time_parse("2m", &t), NL_OK);
	ASSERT_EQ(t, 120 * SIM_S);
	ASSERT_EQ(sim_time_parse("0s", &t), NL_OK);
	ASSERT_EQ(t, 0);
	ASSERT_EQ(sim_time_parse(".5s", &t), NL_OK);
	ASSERT_EQ(t, 500 * SIM_MS);
	ASSERT_EQ(sim_time_parse("0.000000001s", &t), NL_OK);
	ASSERT_EQ(t, 1);
	ASSERT_EQ(sim_time_parse("10", &t), NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("-1s", &t), NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("1 s", &t), NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("s", &t), NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("1.s2", &t), NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("", &t), NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("99999999999999999999s", &t),
	    NL_EMALFORMED);
	ASSERT_EQ(sim_time_parse("9999999999h", &t), NL_EMALFORMED);
	ASSERT_STR_EQ(sim_time_str(12 * SIM_MS, buf, sizeof buf), "0.012000");
	ASSERT_STR_EQ(sim_time_str(3 * SIM_S + 1, buf, sizeof buf),
	    "3.000000");
}

/* A ticket keeps the place it was taken at: an event scheduled later
 * with it fires before same-time events scheduled after the ticket, after
 * those scheduled before, whatever the order of the schedule calls. */
static void
test_ticket(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe p[5] = { { 0 } };
	uint64_t t1, t3, bogus;
	int i;

	for (i = 0; i < 5; i++) {
		p[i].log = &log;
		p[i].id = i;
	}
	ASSERT(sim_schedule_at(s, 10, probe_fn, &p[0], probe_fin) != 0);
	t1 = sim_ticket(s);
	ASSERT(sim_schedule_at(s, 10, probe_fn, &p[2], probe_fin) != 0);
	t3 = sim_ticket(s);
	ASSERT(sim_schedule_at(s, 10, probe_fn, &p[4], probe_fin) != 0);
	/* Scheduled last, in the places of the tickets. */
	ASSERT(sim_schedule_ticket(s, 10, t3, probe_fn, &p[3], probe_fin) !=
	    0);
	ASSERT(sim_schedule_ticket(s, 10, t1, probe_fn, &p[1], probe_fin) !=
	    0);
	/* A ticket never issued, or a time in the past, is refused with
	 * the finalizer run. */
	bogus = t3 + 1000;
	ASSERT_U64_EQ(sim_schedule_ticket(s, 10, bogus, probe_fn, &p[0],
	    probe_fin), 0);
	ASSERT_EQ(p[0].fin, 1);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 5);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(log.who[i], i);
	ASSERT_U64_EQ(sim_schedule_ticket(s, 5, sim_ticket(s), probe_fn,
	    &p[1], probe_fin), 0);
	ASSERT_EQ(p[1].fin, 2);
	/* An earlier time still goes first, ticket or not. */
	log.n = 0;
	t1 = sim_ticket(s);
	ASSERT(sim_schedule_at(s, 20, probe_fn, &p[2], probe_fin) != 0);
	ASSERT(sim_schedule_ticket(s, 30, t1, probe_fn, &p[3], probe_fin) !=
	    0);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 2);
	ASSERT_EQ(log.who[0], 2);
	ASSERT_EQ(log.who[1], 3);
	sim_free(s);
}

/* Events due soon and events due later wait in two heaps (evq.h): the
 * order is still (time, schedule order) across them. Ties at one time,
 * one scheduled long before (far) and one just before (near), fire in
 * schedule order; then a random mix with cancels is checked against the
 * order it must have. */
struct rec {
	sim_time t;
	int seq;
	int cancelled;
	uint64_t id;
	int *fired;		/* where to write our seq */
	int *n;
};

static sim_time
rec_fn(struct sim *s, void *arg)
{
	struct rec *r = arg;

	NL_UNUSED(s);
	r->fired[(*r->n)++] = r->seq;
	return SIM_DONE;
}

static sim_time
nop_fn(struct sim *s, void *arg)
{
	NL_UNUSED(s);
	NL_UNUSED(arg);
	return SIM_DONE;
}

#define TWO_N 3000

static void
test_two_heaps(void)
{
	struct sim *s = sim_new(7);
	static struct rec r[TWO_N];
	static int fired[TWO_N], order[TWO_N];
	int n = 0, i, j, live = 0;
	uint64_t x = 88172645463325252ULL;

	/* Far when scheduled (150 ms ahead), then a near one for the same
	 * time scheduled at 100 ms: the far one is older, so first. */
	for (i = 0; i < 2; i++) {
		r[i].seq = i;
		r[i].fired = fired;
		r[i].n = &n;
	}
	ASSERT(sim_schedule_at(s, 150 * SIM_MS, rec_fn, &r[0], NULL) != 0);
	ASSERT(sim_schedule_at(s, 100 * SIM_MS, nop_fn, NULL, NULL) != 0);
	sim_run(s, SIM_RUN_ONCE, 0);
	ASSERT_EQ(sim_now(s), 100 * SIM_MS);
	ASSERT(sim_schedule_at(s, 150 * SIM_MS, rec_fn, &r[1], NULL) != 0);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(fired[0], 0);
	ASSERT_EQ(fired[1], 1);

	/* Random times from now to 2 s ahead, scheduled in steps of the
	 * run, a tenth cancelled. */
	n = 0;
	for (i = 0; i < TWO_N; i++) {
		sim_time now = sim_now(s);

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r[i].t = now + (sim_time)(x % (2 * SIM_S));
		if (x % 7 == 0)
			r[i].t = now + (sim_time)(x % 5) * SIM_MS; /* ties */
		r[i].seq = i;
		r[i].cancelled = 0;
		r[i].fired = fired;
		r[i].n = &n;
		r[i].id = sim_schedule_at(s, r[i].t, rec_fn, &r[i], NULL);
		ASSERT(r[i].id != 0);
		if (i > 0 && x % 10 == 3 && sim_cancel(s, r[i - 1].id) ==
		    NL_OK)
			r[i - 1].cancelled = 1;
		if (i % 50 == 49)	/* let time move: near becomes far */
			sim_run(s, SIM_RUN_UNTIL, now + 30 * SIM_MS);
	}
	sim_run(s, SIM_RUN_EMPTY, 0);
	/* What must have fired, in order: by time, then by seq. */
	for (i = 0; i < TWO_N; i++)
		if (!r[i].cancelled)
			order[live++] = i;
	for (i = 1; i < live; i++)
		for (j = i; j > 0 && (r[order[j]].t < r[order[j - 1]].t ||
		    (r[order[j]].t == r[order[j - 1]].t &&
		    order[j] < order[j - 1])); j--) {
			int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	ASSERT_EQ(n, live);
	for (i = 0; i < live; i++)
		ASSERT_EQ(fired[i], order[i]);
	ASSERT_EQ(sim_pending(s), 0);
	sim_free(s);
}

/* sim_timer: moved later it fires once, at the last deadline, in the
 * place of its last set among same-time events; moved earlier it fires
 * earlier; stopped it does not fire; its callback may set it again; a
 * cancel leaves nothing pending. */
struct tick {
	struct sim_timer tm;
	struct log *log;
	int again;		/* set again from the callback */
};

static void
tick_fn(struct sim *s, void *arg)
{
	struct tick *k = arg;

	if (k->log->n < LOG_MAX) {
		k->log->who[k->log->n] = 100;
		k->log->at[k->log->n] = sim_now(s);
		k->log->n++;
	}
	if (k->again-- > 0)
		(void)sim_timer_set(s, &k->tm, 5);
}

static void
test_timer(void)
{
	struct sim *s = sim_new(1);
	struct log log = { 0, { 0 }, { 0 } };
	struct probe a = { 0 }, b = { 0 };
	struct tick k;

	a.log = b.log = &log;
	a.id = 1;
	b.id = 2;
	k.log = &log;
	k.again = 0;
	sim_timer_init(&k.tm, tick_fn, &k);
	ASSERT(!sim_timer_armed(&k.tm));
	ASSERT_EQ(sim_timer_set(s, &k.tm, 10), NL_OK);
	ASSERT(sim_timer_armed(&k.tm));
	/* a at 12 before the timer is moved to 12: a first. */
	ASSERT(sim_schedule_at(s, 12, probe_fn, &a, NULL) != 0);
	ASSERT_EQ(sim_timer_set(s, &k.tm, 12), NL_OK);
	/* b at 12 after it: the timer first. */
	ASSERT(sim_schedule_at(s, 12, probe_fn, &b, NULL) != 0);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 3);
	ASSERT_EQ(log.who[0], 1);
	ASSERT_EQ(log.who[1], 100);
	ASSERT_EQ(log.at[1], 12);
	ASSERT_EQ(log.who[2], 2);
	ASSERT(!sim_timer_armed(&k.tm));

	/* Moved earlier: fires at the earlier time, once. */
	log.n = 0;
	ASSERT_EQ(sim_timer_set(s, &k.tm, 100), NL_OK);
	ASSERT_EQ(sim_timer_set(s, &k.tm, 30), NL_OK);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 1);
	ASSERT_EQ(log.at[0], 12 + 30);

	/* Stopped: nothing, though its event ran (as a no-op). */
	log.n = 0;
	ASSERT_EQ(sim_timer_set(s, &k.tm, 10), NL_OK);
	sim_timer_stop(&k.tm);
	ASSERT(!sim_timer_armed(&k.tm));
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 0);

	/* Set again from its own callback, twice. */
	k.again = 2;
	ASSERT_EQ(sim_timer_set(s, &k.tm, 1), NL_OK);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 3);
	ASSERT_EQ(log.at[1] - log.at[0], 5);
	ASSERT_EQ(log.at[2] - log.at[1], 5);

	/* Cancelled: no event left behind, even after a move later. */
	log.n = 0;
	ASSERT_EQ(sim_timer_set(s, &k.tm, 10), NL_OK);
	ASSERT_EQ(sim_timer_set(s, &k.tm, 20), NL_OK);
	ASSERT_EQ(sim_pending(s), 1);
	sim_timer_cancel(s, &k.tm);
	ASSERT_EQ(sim_pending(s), 0);
	ASSERT_EQ(sim_timer_set(s, &k.tm, -1), NL_EINVAL);
	sim_run(s, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(log.n, 0);
	sim_free(s);
}

const struct test_case tests_engine[] = {
	{ "engine_timer", test_timer },
	{ "engine_two_heaps", test_two_heaps },
	{ "engine_ticket", test_ticket },
	{ "engine_order", test_order },
	{ "engine_fifo_ties", test_fifo_ties },
	{ "engine_cancel_pending", test_cancel_pending },
	{ "engine_cancel_in_callback", test_cancel_in_callback },
	{ "engine_periodic", test_periodic },
	{ "engine_run_modes", test_run_modes },
	{ "engine_stop", test_stop },
	{ "engine_cancel_many", test_cancel_many },
	{ "engine_free_runs_finalizers", test_free_runs_finalizers },
	{ "engine_rng_determinism", test_rng_determinism },
	{ "engine_time_parse", test_time_parse },
	{ NULL, NULL },
};
