/* fuzz_teach.c - fuzz target for captions and checkpoints during a run:
 * the bytes become the "captions" and "checkpoints" of a fixed small
 * world (two hosts and a router, an echo over TCP, one over UDP, a link
 * that fails and comes back), which is loaded, built and run to the
 * end. Every input must load and run; in the trace, times never go
 * back, every checkpoint is followed by the event it precedes (at its
 * time, not one of the teaching events) and no pattern fires twice.
 *
 * Each item is 5 bytes: flags (bit 0: checkpoint, bit 1: at start),
 * kind, proto, node pair (from in the low nibble, to in the high one;
 * 0 means any) and nth. At most TEACH_ITEMS_MAX items are read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sim.h"
#include "scenario/scn.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TEACH_ITEMS_MAX 24

static const char teach_world[] =
    "{\"netlab_scenario\": 1, \"seed\": 3,\n"
    " \"meta\": {\"learning_goals\": [\"g\"], \"difficulty\": \"intro\"},\n"
    " \"nodes\": [\n"
    "  {\"id\": \"a\", \"kind\": \"host\", \"address\": \"10.0.0.1\"},\n"
    "  {\"id\": \"r\", \"kind\": \"router\", \"addresses\": "
    "[\"10.0.0.254\", \"10.0.1.254\"]},\n"
    "  {\"id\": \"b\", \"kind\": \"host\", \"address\": \"10.0.1.1\", "
    "\"services\": [\"tcp-echo\", \"udp-echo\"]}],\n"
    " \"links\": [{\"id\": \"ar\", \"a\": \"a\", \"b\": \"r\", "
    "\"delay\": \"5ms\", \"loss\": \"5%\"},\n"
    "  {\"a\": \"r\", \"b\": \"b\", \"delay\": \"2ms\"}],\n"
    " \"timeline\": [\n"
    "  {\"at\": \"0s\", \"do\": \"tcp-echo\", \"from\": \"a\", \"to\": "
    "\"b\", \"lines\": [\"one\", \"two\"], \"caption\": \"tcp\"},\n"
    "  {\"at\": \"1s\", \"do\": \"link-down\", \"link\": \"ar\"},\n"
    "  {\"at\": \"1.5s\", \"do\": \"udp-echo\", \"from\": \"a\", \"to\": "
    "\"b\", \"text\": \"u\", \"caption\": \"udp\"},\n"
    "  {\"at\": \"2s\", \"do\": \"link-up\", \"link\": \"ar\"},\n"
    "  {\"at\": \"3s\", \"do\": \"udp-echo\", \"from\": \"a\", \"to\": "
    "\"b\", \"text\": \"v\"}]";

static const char *const kinds[] = { "app", "state", "note", "tcp-state",
	"pkt-send", "pkt-recv", "pkt-drop", "link", "node", "checkpoint" };
static const char *const protos[] = { "echo", "tcp", "udp", "ip", "dns" };
static const char *const nodes[] = { "a", "r", "b" };

/* Appends printf output to buf (size cap); 0 when it did not fit. */
static int
add(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= cap)
		return 0;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return 1;
}

/* One pattern from 4 bytes; "" when every field came out "any". */
static void
pattern(const uint8_t *p, char *out, size_t size)
{
	int n = snprintf(out, size, "{\"nth\": %u", (unsigned)(p[3] % 4) + 1);
	unsigned from = p[2] & 15u, to = p[2] >> 4;

	if (p[0] % 12 < 10)
		n += snprintf(out + n, size - (size_t)n, ", \"kind\": \"%s\"",
		    kinds[p[0] % 12]);
	if (p[1] % 7 < 5)
		n += snprintf(out + n, size - (size_t)n, ", \"proto\": \"%s\"",
		    protos[p[1] % 7]);
	if (from >= 1 && from <= 3)
		n += snprintf(out + n, size - (size_t)n, ", \"from\": \"%s\"",
		    nodes[from - 1]);
	if (to >= 1 && to <= 3 && to != from)
		n += snprintf(out + n, size - (size_t)n, ", \"to\": \"%s\"",
		    nodes[to - 1]);
	if (p[0] % 12 >= 10 && p[1] % 7 >= 5 && (from < 1 || from > 3))
		n += snprintf(out + n, size - (size_t)n, ", \"contains\": \"o\"");
	snprintf(out + n, size - (size_t)n, "}");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[16384];
	char item[256], pat[160];
	size_t len = 0, i, ncap = 0, nchk = 0;
	struct scn_errors e;
	struct scn_model *m = NULL;
	struct scn_world *w = NULL;
	struct sim *s;
	struct trace *t;
	char err[128];
	unsigned char shown[TEACH_ITEMS_MAX];

	memset(shown, 0, sizeof shown);
	text[0] = '\0';
	add(text, sizeof text, &len, teach_world);
	add(text, sizeof text, &len, ",\n \"captions\": [");
	for (i = 0; i + 5 <= size && i / 5 < TEACH_ITEMS_MAX; i += 5) {
		if (data[i] & 1)
			continue;
		pattern(data + i + 1, pat, sizeof pat);
		if (data[i] & 2)
			snprintf(item, sizeof item, "%s{\"at\": \"start\", "
			    "\"text\": \"c%zu\"}", ncap ? "," : "", i / 5);
		else
			snprintf(item, sizeof item, "%s{\"when\": %s, "
			    "\"text\": \"c%zu\"}", ncap ? "," : "", pat, i / 5);
		add(text, sizeof text, &len, item);
		ncap++;
	}
	add(text, sizeof text, &len, "],\n \"checkpoints\": [");
	for (i = 0; i + 5 <= size && i / 5 < TEACH_ITEMS_MAX; i += 5) {
		if (!(data[i] & 1))
			continue;
		pattern(data + i + 1, pat, sizeof pat);
		snprintf(item, sizeof item, "%s{\"before\": %s, \"question\": "
		    "\"q%zu\", \"choices\": [\"x\", \"y\"], \"answer\": %d, "
		    "\"why\": \"w\"}", nchk ? "," : "", pat, i / 5,
		    data[i] >> 7);
		add(text, sizeof text, &len, item);
		nchk++;
	}
	add(text, sizeof text, &len, "]}\n");

	scn_errors_init(&e);
	if (scn_load_buffer("teach.json", text, len, &m, &e) != NL_OK) {
		scn_errors_print(&e, stderr);
		abort();
	}
	scn_errors_free(&e);
	s = sim_new(3);
	t = trace_new();
	if (s == NULL || t == NULL ||
	    scn_build(m, s, t, &w, err, sizeof err) != NL_OK)
		abort();
	scn_model_free(m);
	sim_run(s, SIM_RUN_UNTIL, 120 * SIM_S);
	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);
		const struct trace_event *nx = trace_at(t, i + 1);

		if (i > 0 && ev->t < trace_at(t, i - 1)->t)
			abort();
		/* "c7" and "q7" are item 7's: shown once at most. */
		if ((ev->kind == TRACE_NOTE && ev->summary[0] == 'c') ||
		    (ev->kind == TRACE_CHECK && ev->summary[0] == 'q')) {
			char *end;
			unsigned long k = strtoul(ev->summary + 1, &end, 10);

			if (*end == '\0' && end != ev->summary + 1) {
				if (k >= TEACH_ITEMS_MAX || shown[k]++)
					abort();
			}
		}
		if (ev->kind != TRACE_CHECK)
			continue;
		/* A checkpoint precedes a run event at its own time (other
		 * checkpoints for the same event may come first). */
		while (nx != NULL && nx->kind == TRACE_CHECK)
			nx = trace_at(t, nx->seq + 1);
		if (nx == NULL || nx->t != ev->t || ev->b != 2 ||
		    ev->a < 0 || ev->a > 1)
			abort();
	}
	scn_world_free(w);
	trace_free(t);
	sim_free(s);
	return 0;
}
