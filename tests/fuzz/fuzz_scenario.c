/* fuzz_scenario.c - fuzz target for scenario loading.
 *
 * Feeds the bytes to scn_load_buffer (JSON, then validation). A failure
 * must give at least one error and no model, and every error must format;
 * a success must give no error, and the model must build into a world
 * (the world is freed without running: runs are the unit tests' job).
 * Anything else aborts, which the fuzzer reports as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/sim.h"
#include "scenario/scn.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scn_errors errs;
	struct scn_model *m = NULL;
	enum nl_status st;
	char line[1400];
	size_t i;

	/* The loader refuses files over SCN_FILE_MAX before parsing. */
	if (size > 256 * 1024)
		return 0;
	scn_errors_init(&errs);
	st = scn_load_buffer("fuzz.json", data, size, &m, &errs);
	if (st == NL_OK) {
		struct sim *s = sim_new(m->seed);
		struct trace *t = trace_new();
		struct scn_world *w = NULL;
		char err[256];

		if (errs.total != 0 || s == NULL || t == NULL)
			abort();
		if (scn_build(m, s, t, &w, err, sizeof err) != NL_OK)
			abort();	/* a validated model always builds */
		scn_world_free(w);
		sim_free(s);
		trace_free(t);
		scn_model_free(m);
	} else {
		if (m != NULL || (st != NL_ENOMEM && errs.total == 0))
			abort();
		for (i = 0; i < errs.count; i++)
			scn_error_format(&errs, i, line, sizeof line);
	}
	scn_errors_free(&errs);
	return 0;
}
