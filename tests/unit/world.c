/* world.c - small worlds for the unit tests (see world.h). */
#include <stdio.h>
#include <string.h>

#include "world.h"

int
test_world_open(struct test_world *tw, const char *text, uint64_t seed)
{
	struct scn_errors e;
	struct scn_model *m = NULL;
	char err[160];
	int ok;

	memset(tw, 0, sizeof *tw);
	scn_errors_init(&e);
	if (scn_load_buffer("t.json", text, strlen(text), &m, &e) != NL_OK) {
		scn_errors_print(&e, stderr);
		scn_errors_free(&e);
		return 0;
	}
	scn_errors_free(&e);
	tw->s = sim_new(seed);
	tw->t = trace_new();
	ok = tw->s != NULL && tw->t != NULL &&
	    scn_build(m, tw->s, tw->t, &tw->w, err, sizeof err) == NL_OK;
	scn_model_free(m);
	if (!ok) {
		fprintf(stderr, "  cannot build the world: %s\n", err);
		test_world_close(tw);
		trace_free(tw->t);
		tw->t = NULL;
	}
	return ok;
}

void
test_world_close(struct test_world *tw)
{
	scn_world_free(tw->w);
	sim_free(tw->s);
	tw->w = NULL;
	tw->s = NULL;
}

int
test_world_run(const char *text, uint64_t seed, sim_time until,
    struct trace **t)
{
	struct test_world tw;

	*t = NULL;
	if (!test_world_open(&tw, text, seed))
		return 0;
	sim_run(tw.s, SIM_RUN_UNTIL, until);
	test_world_close(&tw);
	*t = tw.t;
	return 1;
}

long
test_find(const struct trace *t, const char *prefix)
{
	size_t i;

	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->summary != NULL &&
		    strncmp(ev->summary, prefix, strlen(prefix)) == 0)
			return (long)i;
	}
	return -1;
}

size_t
test_count(const struct trace *t, const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->summary != NULL &&
		    strncmp(ev->summary, prefix, strlen(prefix)) == 0)
			n++;
	}
	return n;
}

int
test_has(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return 1;
	return 0;
}
