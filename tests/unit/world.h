/* world.h - small worlds for the unit tests: a scenario from JSON text,
 * loaded, built on a new engine and trace, ready to run. */
#ifndef NL_TEST_WORLD_H
#define NL_TEST_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "scenario/scn.h"
#include "trace/trace.h"

struct test_world {
	struct sim *s;
	struct trace *t;	/* the caller's after test_world_close */
	struct scn_world *w;
};

/* Loads and builds text (its errors printed to stderr) with a new sim
 * of that seed and a new trace. 0 on failure, with nothing left open. */
int test_world_open(struct test_world *tw, const char *text, uint64_t seed);
/* Frees the world and the sim; the trace stays with the caller. */
void test_world_close(struct test_world *tw);
/* Open, run until `until`, close: the trace into *t. 0 on failure. */
int test_world_run(const char *text, uint64_t seed, sim_time until,
    struct trace **t);

/* The bytes of scenarios/NAME.json (the tests run from the top folder
 * or a build folder below it), NUL-ended, free()d by the caller: plain
 * malloc, so allocation-failure tests read it outside their failures.
 * NULL if absent. */
char *test_scenario_json(const char *name, size_t *len);
/* The trace of scenarios/NAME.json, built with its own seed and run
 * until `until` (`netlab run` runs an hour); NULL on failure. */
struct trace *test_scenario_trace(const char *name, sim_time until);

/* Searching a trace's summaries and payloads. */
/* The first event whose summary starts with prefix, or -1. */
long test_find(const struct trace *t, const char *prefix);
/* How many summaries start with prefix. */
size_t test_count(const struct trace *t, const char *prefix);
/* 1 if p[0..len) contains needle. */
int test_has(const uint8_t *p, size_t len, const char *needle);

#endif
