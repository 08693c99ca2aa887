/* world.h - small worlds for the unit tests: a scenario from JSON text,
 * loaded, built on a new engine and trace, ready to run. */
#ifndef NL_TEST_WORLD_H
#define NL_TEST_WORLD_H

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

#endif
