/* world.c - small worlds for the unit tests (see world.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/nl.h"
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

char *
test_scenario_json(const char *name, size_t *len)
{
	static const char *const dirs[] = { "scenarios/", "../scenarios/",
		"../../scenarios/" };
	char path[256], *buf;
	size_t i;
	FILE *f;
	long n;

	for (i = 0; i < NL_ARRAY_LEN(dirs); i++) {
		snprintf(path, sizeof path, "%s%s.json", dirs[i], name);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		buf = NULL;
		if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
		    fseek(f, 0, SEEK_SET) == 0 &&
		    (buf = malloc((size_t)n + 1)) != NULL) {
			*len = fread(buf, 1, (size_t)n, f);
			buf[*len] = '\0';
		}
		fclose(f);
		return buf;
	}
	return NULL;
}


struct trace *
test_scenario_trace(const char *name, sim_time until)
{
	struct scn_errors errs;
	struct scn_model *m = NULL;
	struct scn_world *w = NULL;
	struct sim *s = NULL;
	struct trace *t = NULL;
	char err[256], *json;
	size_t len = 0;

	json = test_scenario_json(name, &len);
	if (json == NULL)
		return NULL;
	scn_errors_init(&errs);
	if (scn_load_buffer(name, json, len, &m, &errs) == NL_OK) {
		s = sim_new(m->seed);
		t = trace_new();
		if (s != NULL && t != NULL &&
		    scn_build(m, s, t, &w, err, sizeof err) == NL_OK) {
			sim_run(s, SIM_RUN_UNTIL, until);
		} else {
			trace_free(t);
			t = NULL;
		}
	}
	scn_world_free(w);
	sim_free(s);
	scn_model_free(m);
	scn_errors_free(&errs);
	free(json);
	return t;
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
