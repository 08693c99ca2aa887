/* test_scenario.c - unit tests of the scenario module: value parsers,
 * each class of validation error with its exact text, the model a good
 * file gives, the world built from it, hostile bytes and failing
 * allocations. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "engine/sim.h"
#include "net/net.h"
#include "scenario/scn.h"
#include "scenario/scn_int.h"	/* suggestions are private */
#include "trace/trace.h"
#include "util/alloc.h"

/* A small good scenario: two hosts and a router, echo and a note. */
static const char good[] =
    "{\n"
    "  \"netlab_scenario\": 1,\n"
    "  \"meta\": {\"title\": \"Small\", \"summary\": \"A test.\"},\n"
    "  \"seed\": 9,\n"
    "  \"nodes\": [\n"
    "    {\"id\": \"a\", \"kind\": \"host\", \"address\": \"10.0.0.1\"},\n"
    "    {\"id\": \"r\", \"kind\": \"router\","
    " \"addresses\": [\"10.0.0.254\", \"10.0.1.254\"]},\n"
    "    {\"id\": \"b\", \"kind\": \"host\", \"address\": \"10.0.1.1\","
    " \"services\": [\"tcp-echo\", \"udp-echo\", \"tcp-discard\"],"
    " \"layout\": {\"x\": 3, \"y\": 4}}\n"
    "  ],\n"
    "  \"links\": [\n"
    "    {\"a\": \"a\", \"b\": \"r\", \"delay\": \"10ms\","
    " \"bandwidth\": \"10Mbit/s\", \"loss\": \"0%\", \"queue\": 50},\n"
    "    {\"id\": \"core\", \"a\": \"r\", \"b\": \"b\"}\n"
    "  ],\n"
    "  \"timeline\": [\n"
    "    {\"at\": \"2s\", \"do\": \"note\", \"text\": \"second\"},\n"
    "    {\"at\": \"1s\", \"do\": \"udp-echo\", \"from\": \"a\","
    " \"to\": \"10.0.1.1\", \"text\": \"ping\"},\n"
    "    {\"at\": \"0s\", \"do\": \"tcp-echo\", \"from\": \"a\", \"to\": \"b\","
    " \"lines\": [\"Hello\", \"Bye\"]},\n"
    "    {\"at\": \"2s\", \"do\": \"note\", \"text\": \"third\"}\n"
    "  ]\n"
    "}\n";

/* Loads text; returns the status, the model in *m (may be NULL). */
static enum nl_status
load(const char *text, struct scn_model **m, struct scn_errors *e)
{
	scn_errors_init(e);
	return scn_load_buffer("t.json", text, strlen(text), m, e);
}

/* The first error of text as one line, into buf. */
static const char *
first_error(const char *text, char *buf, size_t size)
{
	struct scn_errors e;
	struct scn_model *m;

	buf[0] = '\0';
	if (load(text, &m, &e) == NL_OK) {
		scn_model_free(m);
		snprintf(buf, size, "(no error)");
	} else {
		scn_error_format(&e, 0, buf, size);
	}
	scn_errors_free(&e);
	return buf;
}

static void
test_bandwidth(void)
{
	uint64_t bw;

	ASSERT_EQ(scn_bandwidth_parse("10Mbit/s", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 10000000);
	ASSERT_EQ(scn_bandwidth_parse("1Gbit/s", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 1000000000);
	ASSERT_EQ(scn_bandwidth_parse("64kbit/s", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 64000);
	ASSERT_EQ(scn_bandwidth_parse("1.5Mbps", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 1500000);
	ASSERT_EQ(scn_bandwidth_parse("9600bit/s", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 9600);
	ASSERT_EQ(scn_bandwidth_parse("2 Mbit/s", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 2000000);
	ASSERT_EQ(scn_bandwidth_parse("0.001Tbit/s", &bw), NL_OK);
	ASSERT_U64_EQ(bw, 1000000000);
	ASSERT_EQ(scn_bandwidth_parse("10MB/s", &bw), NL_EMALFORMED);
	ASSERT_U64_EQ(bw, 0);
	ASSERT_EQ(scn_bandwidth_parse("fast", &bw), NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse("", &bw), NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse("Mbit/s", &bw), NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse("1.5bit/s", &bw), NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse("-1Mbit/s", &bw), NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse("10Mbit/s ", &bw), NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse("0bit/s", &bw), NL_ELIMIT);
	ASSERT_EQ(scn_bandwidth_parse("2Tbit/s", &bw), NL_ELIMIT);
	ASSERT_EQ(scn_bandwidth_parse("99999999999999999999Mbit/s", &bw),
	    NL_EMALFORMED);
	ASSERT_EQ(scn_bandwidth_parse(NULL, &bw), NL_EMALFORMED);
}

static void
test_percent(void)
{
	double p;

	ASSERT_EQ(scn_percent_parse("10%", &p), NL_OK);
	ASSERT(p > 0.0999999 && p < 0.1000001);
	ASSERT_EQ(scn_percent_parse("0.5%", &p), NL_OK);
	ASSERT(p > 0.0049999 && p < 0.0050001);
	ASSERT_EQ(scn_percent_parse("100%", &p), NL_OK);
	ASSERT(p == 1.0);
	ASSERT_EQ(scn_percent_parse("0%", &p), NL_OK);
	ASSERT(p == 0.0);
	ASSERT_EQ(scn_percent_parse("150%", &p), NL_ELIMIT);
	ASSERT_EQ(scn_percent_parse("100.5%", &p), NL_ELIMIT);
	ASSERT_EQ(scn_percent_parse("10", &p), NL_EMALFORMED);
	ASSERT_EQ(scn_percent_parse("-1%", &p), NL_EMALFORMED);
	ASSERT_EQ(scn_percent_parse("%", &p), NL_EMALFORMED);
	ASSERT_EQ(scn_percent_parse("ten%", &p), NL_EMALFORMED);
}

static void
test_time_values(void)
{
	struct scn_errors e;
	struct scn_model *m;
	char buf[512];

	/* Times go through sim_time_parse; the model holds nanoseconds. */
	ASSERT_EQ(load(good, &m, &e), NL_OK);
	ASSERT_EQ(m->links[0].delay, 10 * SIM_MS);
	ASSERT_EQ(m->links[1].delay, NET_DEFAULT_DELAY);
	scn_model_free(m);
	scn_errors_free(&e);
	ASSERT_STR_EQ(first_error("{\"netlab_scenario\": 1, \"nodes\": [{\"id\":"
	    " \"a\", \"kind\": \"host\", \"address\": \"10.0.0.1\"}],"
	    " \"timeline\": [{\"at\": \"1.5\", \"do\": \"note\", \"text\":"
	    " \"x\"}]}", buf, sizeof buf),
	    "t.json: $.timeline[0].at: expected a time like \"10ms\" or "
	    "\"1.5s\", found \"1.5\"");
}

static void
test_suggest(void)
{
	static const char *const keys[] = { "id", "kind", "address",
		"addresses", "services", NULL };
	static const char *const nodes[] = { "crepes.fr", "hamburger.edu",
		"r1", NULL };

	ASSERT_EQ(scn_edit_distance("adress", "address"), 1);
	ASSERT_EQ(scn_edit_distance("hots", "host"), 1);	/* a swap */
	ASSERT_EQ(scn_edit_distance("", "abc"), 3);
	ASSERT_EQ(scn_edit_distance("KIND", "kind"), 0);
	ASSERT_STR_EQ(scn_suggest("adress", keys), "address");
	ASSERT_STR_EQ(scn_suggest("servces", keys), "services");
	ASSERT(scn_suggest("colour", keys) == NULL);
	ASSERT(scn_suggest("x", keys) == NULL);
	ASSERT_STR_EQ(scn_suggest("crepes", nodes), "crepes.fr");
	ASSERT_STR_EQ(scn_suggest("hamburger.com", nodes), "hamburger.edu");
	ASSERT(scn_suggest("r9", nodes) == NULL);
}

static void
test_model(void)
{
	struct scn_errors e;
	struct scn_model *m;

	ASSERT_EQ(load(good, &m, &e), NL_OK);
	ASSERT_EQ(e.total, 0);
	ASSERT_STR_EQ(m->name, "t");
	ASSERT_STR_EQ(m->meta.title, "Small");
	ASSERT_STR_EQ(m->meta.summary, "A test.");
	ASSERT_U64_EQ(m->seed, 9);
	ASSERT_EQ(m->nnodes, 3);
	ASSERT_STR_EQ(m->nodes[1].kind, "router");
	ASSERT_EQ(m->nodes[1].naddrs, 2);
	ASSERT_U64_EQ(m->nodes[1].addrs[1], 0x0a0001feu);
	ASSERT_EQ(m->nodes[2].nservices, 3);
	ASSERT_STR_EQ(m->nodes[2].services[2], "tcp-discard");
	ASSERT(m->nodes[2].layout.set && m->nodes[2].layout.x == 3);
	ASSERT(!m->nodes[0].layout.set);
	ASSERT_EQ(m->nlinks, 2);
	ASSERT_STR_EQ(m->links[0].id, "a-r");		/* made from the ends */
	ASSERT_U64_EQ(m->links[0].bandwidth, 10000000);
	ASSERT_EQ(m->links[0].queue, 50);
	ASSERT_STR_EQ(m->links[1].id, "core");
	ASSERT_U64_EQ(m->links[1].bandwidth, NET_DEFAULT_BANDWIDTH);
	ASSERT_EQ(m->links[1].queue, NET_DEFAULT_QUEUE);
	ASSERT(m->links[1].loss == 0);
	/* Sorted by time, the file's order kept for equal times. */
	ASSERT_EQ(m->nactions, 4);
	ASSERT_EQ(m->actions[0].kind, SCN_ACT_TCP_ECHO);
	ASSERT_EQ(m->actions[0].port, 7);
	ASSERT_EQ(m->actions[0].nlines, 2);
	ASSERT_STR_EQ(m->actions[0].lines[1], "Bye");
	ASSERT_EQ(m->actions[1].kind, SCN_ACT_UDP_ECHO);
	ASSERT_STR_EQ(m->actions[1].to, "10.0.1.1");
	ASSERT_STR_EQ(m->actions[2].text, "second");
	ASSERT_STR_EQ(m->actions[3].text, "third");
	ASSERT_EQ(m->actions[3].at, 2 * SIM_S);
	ASSERT(scn_model_node(m, "b") == &m->nodes[2]);
	ASSERT(scn_model_node(m, "zz") == NULL);
	ASSERT(scn_model_link(m, "core") == &m->links[1]);
	ASSERT_STR_EQ(scn_action_str(SCN_ACT_LINK_DOWN), "link-down");
	scn_model_free(m);
	scn_errors_free(&e);
}

/* Each class of error, the exact first line it gives. */
static void
test_errors(void)
{
#define N "\"nodes\": [{\"id\": \"a\", \"kind\": \"host\", \"address\": " \
	"\"10.0.0.1\"}, {\"id\": \"b\", \"kind\": \"host\", \"address\": " \
	"\"10.0.0.2\"}]"
	static const struct {
		const char *json;
		const char *err;
	} cases[] = {
		{ "", "t.json: empty file; expected a JSON object starting "
		    "{\"netlab_scenario\": 1, ..." },
		{ " \n\t ", "t.json: empty file; expected a JSON object "
		    "starting {\"netlab_scenario\": 1, ..." },
		{ "{\n  \"netlab_scenario\": 1,\n  \"nodes\": [1 2]\n}",
		    "t.json:3:15: JSON syntax error near '2]'" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [",
		    "t.json:1:34: JSON syntax error: the file ends before "
		    "every {, [ and \" is closed" },
		{ "{\"a\": \"\x01\"}", "t.json:1:8: binary data (byte 0x01); a "
		    "scenario is a JSON text file in UTF-8" },
		{ "{\"a\": \"\xc3\x28\"}", "t.json:1:8: not UTF-8 text (byte "
		    "0xc3); a scenario is a JSON text file in UTF-8" },
		{ "{} x", "t.json:1:4: JSON syntax error: text after the end "
		    "of the scenario object" },
		{ "\"hi\"", "t.json: $: expected a JSON object with "
		    "\"netlab_scenario\": 1, found \"hi\"" },
		{ "{\"netlab_scenario\": \"1\"}", "t.json: $.netlab_scenario: "
		    "this netlab reads scenario format 1, found \"1\"" },
		{ "{" N "}", "t.json: $: missing key \"netlab_scenario\" (a "
		    "scenario starts {\"netlab_scenario\": 1, ...)" },
		{ "{\"netlab_scenario\": 1}", "t.json: $: missing key "
		    "\"nodes\"" },
		{ "{\"netlab_scenario\": 1, \"nodes\": []}", "t.json: $.nodes: "
		    "expected at least one node" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\", \"adress\": \"10.0.0.1\"}]}",
		    "t.json: $.nodes[0].adress: unknown key; did you mean "
		    "\"address\"?" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\", \"address\": \"10.0.0.1\", \"ttl\": 1}]}",
		    "t.json: $.nodes[0].ttl: unknown key; expected one of: id, "
		    "kind, address, addresses, services, layout, zones, "
		    "recursion, resolver, root_hints, dns, domain, users, "
		    "replies, user, password, server, helo, port, queue, "
		    "mail_server" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\", \"address\": \"10.0.0.1\", \"a b\": 1}]}",
		    "t.json: $.nodes[0][\"a b\"]: unknown key; expected one of: "
		    "id, kind, address, addresses, services, layout, zones, "
		    "recursion, resolver, root_hints, dns, domain, users, "
		    "replies, user, password, server, helo, port, queue, "
		    "mail_server" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": 12, "
		    "\"kind\": \"host\", \"address\": \"10.0.0.1\"}]}",
		    "t.json: $.nodes[0].id: expected a string, found 12" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"switch\", \"address\": \"10.0.0.1\"}]}",
		    "t.json: $.nodes[0].kind: unknown node kind \"switch\"; "
		    "expected one of: host, router, user-agent, mail-server, "
		    "browser, webmail, dns-root, dns-tld, dns-authoritative, "
		    "dns-local" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\"}]}",
		    "t.json: $.nodes[0]: a host needs an \"address\"" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\", \"address\": \"10.0.0.1\", "
		    "\"addresses\": []}]}",
		    "t.json: $.nodes[0].addresses: give either \"address\" or "
		    "\"addresses\", not both" },
		{ "{\"netlab_scenario\": 1, " N ", \"links\": [{\"a\": \"a\", "
		    "\"b\": \"c\"}]}", "t.json: $.links[0].b: no node \"c\"" },
		{ "{\"netlab_scenario\": 1, " N ", \"links\": [{\"a\": \"a\", "
		    "\"b\": \"a\"}]}", "t.json: $.links[0]: a link cannot join "
		    "node \"a\" to itself" },
		{ "{\"netlab_scenario\": 1, " N ", \"links\": [{\"a\": \"a\", "
		    "\"b\": \"b\", \"delay\": \"fast\"}]}",
		    "t.json: $.links[0].delay: expected a time like \"10ms\" "
		    "or \"1.5s\", found \"fast\"" },
		{ "{\"netlab_scenario\": 1, " N ", \"links\": [{\"a\": \"a\", "
		    "\"b\": \"b\", \"loss\": \"10\"}]}",
		    "t.json: $.links[0].loss: expected a loss probability from "
		    "0 to 1 or a percentage like \"10%\", found \"10\"" },
		{ "{\"netlab_scenario\": 1, " N ", \"links\": [{\"a\": \"a\", "
		    "\"b\": \"b\"}, {\"a\": \"b\", \"b\": \"a\", \"id\": "
		    "\"a-b\"}]}", "t.json: $.links[1].id: duplicate link id "
		    "\"a-b\" (also $.links[0])" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\", \"address\": \"10.0.0.1\"}, {\"id\": "
		    "\"a\", \"kind\": \"host\", \"address\": \"10.0.0.2\"}]}",
		    "t.json: $.nodes[1].id: duplicate node id \"a\" (also "
		    "$.nodes[0])" },
		{ "{\"netlab_scenario\": 1, \"nodes\": [{\"id\": \"a\", "
		    "\"kind\": \"host\", \"address\": \"10.0.0.1\"}, {\"id\": "
		    "\"b\", \"kind\": \"host\", \"address\": \"10.0.0.1\"}]}",
		    "t.json: $.nodes[1].address: address 10.0.0.1 is already "
		    "used by node \"a\" ($.nodes[0].address)" },
		{ "{\"netlab_scenario\": 1, " N ", \"timeline\": [{\"at\": "
		    "\"1s\", \"do\": \"jump\"}]}", "t.json: $.timeline[0].do: "
		    "unknown action \"jump\"; expected one of: tcp-echo, "
		    "udp-echo, tcp-send, link-down, link-up, node-down, node-up, "
		    "note, resolve, dns-record, cache-flush, send-mail, "
		    "fetch-mail, resolve-load, mail-load, browse, reply-mail, "
		    "forward-mail" },
		{ "{\"netlab_scenario\": 1, " N ", \"timeline\": [{\"at\": "
		    "\"1s\", \"do\": \"udp-echo\", \"from\": \"a\", \"to\": "
		    "\"b\", \"text\": \"x\", \"bytes\": 1}]}",
		    "t.json: $.timeline[0].bytes: not a key of a \"udp-echo\" "
		    "action; expected one of: at, do, from, to, text, port, "
		    "caption" },
		{ "{\"netlab_scenario\": 1, " N ", \"timeline\": [{\"at\": "
		    "\"1s\", \"do\": \"tcp-send\", \"from\": \"a\", \"to\": "
		    "\"b\", \"bytes\": 1e300}]}",
		    "t.json: $.timeline[0].bytes: expected a whole number from "
		    "1 to 10000000, found 1e+300" },
		{ "{\"netlab_scenario\": 1, " N ", \"timeline\": [{\"at\": "
		    "\"1s\", \"do\": \"tcp-echo\", \"from\": \"a\", \"to\": "
		    "\"10.0.0.9\", \"lines\": []}]}",
		    "t.json: $.timeline[0].to: no node has the address "
		    "10.0.0.9" },
		{ "{\"netlab_scenario\": 1, " N ", \"timeline\": [{\"at\": "
		    "\"1s\", \"do\": \"tcp-echo\", \"from\": \"a\", \"to\": "
		    "\"a\", \"lines\": []}]}",
		    "t.json: $.timeline[0].to: \"from\" and \"to\" are the same "
		    "node \"a\"" },
		{ "{\"netlab_scenario\": 1, " N ", \"timeline\": [{\"at\": "
		    "\"1s\", \"do\": \"link-up\", \"link\": \"a-c\"}]}",
		    "t.json: $.timeline[0].link: no link \"a-c\" (a link "
		    "without an \"id\" is called \"A-B\" after its ends)" },
		{ "{\"netlab_scenario\": 1, " N ", \"seed\": -1}",
		    "t.json: $.seed: expected a whole number from 0 to "
		    "9007199254740991, found -1" },
		{ "{\"netlab_scenario\": 1, " N ", \"seed\": 1, \"seed\": 2}",
		    "t.json: $.seed: the key appears twice; keep one" },
	};
#undef N
	char buf[1024];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		first_error(cases[i].json, buf, sizeof buf);
		if (strcmp(buf, cases[i].err) != 0)
			TEST_FAIL_AT("case %zu:\n    got      %s\n    expected "
			    "%s", i, buf, cases[i].err);
	}
}

/* Nesting cJSON would refuse (or recurse into) is stopped first. */
static void
test_deep(void)
{
	size_t n = 200000, i;
	char *text = nl_alloc(n + 1);
	char buf[256];

	ASSERT(text != NULL);
	for (i = 0; i < n; i++)
		text[i] = i % 2 ? '{' : '[';
	text[n] = '\0';
	first_error(text, buf, sizeof buf);
	nl_free(text);
	ASSERT_STR_EQ(buf, "t.json:1:65: JSON nested deeper than 64 levels");
}

/* Every error is counted, SCN_ERRORS_MAX are kept. */
static void
test_error_cap(void)
{
	struct scn_errors e;
	struct scn_model *m;
	char *text = nl_alloc(20000), *p;
	size_t i;

	ASSERT(text != NULL);
	p = text + sprintf(text, "{\"netlab_scenario\": 1, \"nodes\": [");
	for (i = 0; i < 150; i++)
		p += sprintf(p, "%s{\"id\": 1}", i ? ", " : "");
	sprintf(p, "]}");
	ASSERT_EQ(load(text, &m, &e), NL_EMALFORMED);
	nl_free(text);
	ASSERT(m == NULL);
	ASSERT_EQ(e.count, SCN_ERRORS_MAX);
	ASSERT_EQ(e.total, 300);	/* id type and missing kind, each */
	scn_errors_free(&e);
}

/* Hostile bytes: random, and the good file cut and flipped anywhere.
 * Nothing may crash or leak (the sanitizers watch). */
static void
test_garbage(void)
{
	struct scn_errors e;
	struct scn_model *m;
	unsigned char buf[512];
	size_t len = strlen(good), i, k;
	uint64_t x = 88172645463325252ULL;

	for (i = 0; i < 300; i++) {
		for (k = 0; k < sizeof buf; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[k] = (unsigned char)x;
		}
		scn_errors_init(&e);
		ASSERT_NE(scn_load_buffer("g", buf, (size_t)(x % sizeof buf),
		    &m, &e), NL_OK);
		ASSERT(e.total > 0);
		scn_errors_free(&e);
	}
	for (i = 0; i < len; i += 3) {
		char *copy = nl_alloc(len);

		ASSERT(copy != NULL);
		memcpy(copy, good, len);
		scn_errors_init(&e);
		/* Cut at i. */
		if (scn_load_buffer("g", copy, i, &m, &e) == NL_OK)
			scn_model_free(m);
		scn_errors_free(&e);
		/* Flip one byte at i. */
		copy[i] = (char)(copy[i] ^ 0x21);
		scn_errors_init(&e);
		if (scn_load_buffer("g", copy, len, &m, &e) == NL_OK)
			scn_model_free(m);
		scn_errors_free(&e);
		nl_free(copy);
	}
}

/* Every allocation of a load fails in turn: NL_ENOMEM or a good load,
 * never a crash or a leak. */
static void
test_load_oom(void)
{
	struct scn_errors e;
	struct scn_model *m;
	enum nl_status st;
	long n;

	for (n = 0; n < 10000; n++) {
		nl_alloc_fail_after(n);
		scn_errors_init(&e);
		st = scn_load_buffer("t.json", good, strlen(good), &m, &e);
		nl_alloc_fail_after(-1);
		scn_errors_free(&e);
		if (st == NL_OK) {
			scn_model_free(m);
			break;
		}
		ASSERT(m == NULL);
		ASSERT(st == NL_ENOMEM || st == NL_EMALFORMED);
	}
	ASSERT(n < 10000);
}

/* The index of the first event whose summary is s, -1 if none. */
static long
find_summary(const struct trace *t, const char *s)
{
	size_t i;

	for (i = 0; i < trace_count(t); i++)
		if (strcmp(trace_at(t, i)->summary, s) == 0)
			return (long)i;
	return -1;
}

static void
test_build(void)
{
	struct scn_errors e;
	struct scn_model *m;
	struct scn_world *w;
	struct sim *s;
	struct trace *t;
	const struct trace_event *ev;
	char err[128];
	long c, srv;

	ASSERT_EQ(load(good, &m, &e), NL_OK);
	scn_errors_free(&e);
	s = sim_new(m->seed);
	t = trace_new();
	ASSERT(s != NULL && t != NULL);
	ASSERT_EQ(scn_build(m, s, t, &w, err, sizeof err), NL_OK);
	scn_model_free(m);	/* the world keeps what it needs */
	ASSERT_STR_EQ(trace_scenario(t), "t");
	ASSERT_STR_EQ(trace_title(t), "Small");
	ASSERT_U64_EQ(trace_seed(t), 9);
	ASSERT_EQ(trace_node_count(t), 3);
	ASSERT_EQ(trace_link_count(t), 2);
	ASSERT_STR_EQ(trace_link(t, 1)->name, "core");
	ASSERT_EQ(trace_node(t, 1)->naddrs, 2);
	ASSERT_EQ(scn_world_last_action(w), 2 * SIM_S);
	ASSERT_EQ(net_node_find(scn_world_net(w), "b"), 2);
	sim_run(s, SIM_RUN_UNTIL, 300 * SIM_S);

	/* The echo dialogue, each message once, at its sender. */
	c = find_summary(t, "C: Hello");
	srv = find_summary(t, "S: Hello");
	ASSERT(c >= 0 && srv > c);
	ev = trace_at(t, (size_t)c);
	ASSERT_EQ(ev->kind, TRACE_APP);
	ASSERT_EQ(ev->proto, TRACE_P_ECHO);
	ASSERT_EQ(ev->node, 0);
	ASSERT_EQ(ev->peer, 2);
	ASSERT(ev->flags & TRACE_F_TO_SERVER);
	ASSERT(ev->c > 0);
	ASSERT_EQ(ev->len, 7);
	ASSERT_MEM_EQ(ev->data, "Hello\r\n", 7);
	ev = trace_at(t, (size_t)srv);
	ASSERT_EQ(ev->node, 2);
	ASSERT_EQ(ev->peer, 0);
	ASSERT(!(ev->flags & TRACE_F_TO_SERVER));
	ASSERT(find_summary(t, "S: Bye") > find_summary(t, "C: Bye"));
	/* UDP: no connection id. */
	c = find_summary(t, "C: ping");
	ASSERT(c >= 0 && find_summary(t, "S: ping") > c);
	ASSERT_EQ(trace_at(t, (size_t)c)->c, -1);
	/* Notes in time order, the file's order for equal times. */
	ASSERT(find_summary(t, "second") >= 0);
	ASSERT(find_summary(t, "third") > find_summary(t, "second"));
	ASSERT_EQ(trace_at(t, (size_t)find_summary(t, "second"))->t,
	    2 * SIM_S);
	scn_world_free(w);
	sim_free(s);
	trace_free(t);
}

/* Services and faults: a refused connection and a link outage become
 * notes; a discard server reports what it threw away. */
static void
test_build_faults(void)
{
	static const char text[] =
	    "{\"netlab_scenario\": 1, \"nodes\": ["
	    "{\"id\": \"a\", \"kind\": \"host\", \"address\": \"10.0.0.1\"},"
	    "{\"id\": \"b\", \"kind\": \"host\", \"address\": \"10.0.0.2\","
	    " \"services\": [\"tcp-discard\"]}],"
	    " \"links\": [{\"id\": \"l\", \"a\": \"a\", \"b\": \"b\"}],"
	    " \"timeline\": ["
	    "{\"at\": \"0s\", \"do\": \"tcp-echo\", \"from\": \"a\","
	    " \"to\": \"b\", \"lines\": [\"x\"]},"
	    "{\"at\": \"1s\", \"do\": \"tcp-send\", \"from\": \"a\","
	    " \"to\": \"b\", \"bytes\": 5000},"
	    "{\"at\": \"2s\", \"do\": \"link-down\", \"link\": \"l\"},"
	    "{\"at\": \"2s\", \"do\": \"udp-echo\", \"from\": \"a\","
	    " \"to\": \"b\", \"text\": \"lost\"},"
	    "{\"at\": \"9s\", \"do\": \"link-up\", \"link\": \"l\"},"
	    "{\"at\": \"9s\", \"do\": \"node-down\", \"node\": \"b\"},"
	    "{\"at\": \"9.5s\", \"do\": \"udp-echo\", \"from\": \"b\","
	    " \"to\": \"a\", \"text\": \"z\"},"
	    "{\"at\": \"10s\", \"do\": \"node-up\", \"node\": \"b\"},"
	    "{\"at\": \"11s\", \"do\": \"tcp-send\", \"from\": \"a\","
	    " \"to\": \"b\", \"bytes\": 10}]}";
	struct scn_errors e;
	struct scn_model *m;
	struct scn_world *w;
	struct sim *s;
	struct trace *t;
	char err[128];

	ASSERT_EQ(load(text, &m, &e), NL_OK);
	scn_errors_free(&e);
	s = sim_new(m->seed);
	t = trace_new();
	ASSERT_EQ(scn_build(m, s, t, &w, err, sizeof err), NL_OK);
	scn_model_free(m);
	sim_run(s, SIM_RUN_UNTIL, 600 * SIM_S);
	ASSERT(find_summary(t, "tcp-echo to b port 7: connection refused "
	    "(nothing listens on that port)") >= 0);
	ASSERT(find_summary(t, "discarded 5000 bytes from a") >= 0);
	ASSERT(find_summary(t, "udp-echo to b port 7: no reply within 2 s")
	    >= 0);
	/* A down node starts no client. */
	ASSERT(find_summary(t, "udp-echo to a port 7: not started: this node "
	    "is down") >= 0);
	/* After its restart b discards again. */
	ASSERT(find_summary(t, "discarded 10 bytes from a") >= 0);
	scn_world_free(w);
	sim_free(s);
	trace_free(t);
}

/* Bulk bytes to an echo server: echoed line by line, the partial last
 * line when the client's FIN comes; every byte once. */
static void
test_echo_bulk(void)
{
	static const char text[] =
	    "{\"netlab_scenario\": 1, \"nodes\": ["
	    "{\"id\": \"a\", \"kind\": \"host\", \"address\": \"10.0.0.1\"},"
	    "{\"id\": \"b\", \"kind\": \"host\", \"address\": \"10.0.0.2\","
	    " \"services\": [\"tcp-echo\"]}],"
	    " \"links\": [{\"a\": \"a\", \"b\": \"b\"}],"
	    " \"timeline\": [{\"at\": \"0s\", \"do\": \"tcp-send\","
	    " \"from\": \"a\", \"to\": \"b\", \"port\": 7, \"bytes\": 200}]}";
	struct scn_errors e;
	struct scn_model *m;
	struct scn_world *w;
	struct sim *s;
	struct trace *t;
	char err[128];
	size_t i, echoed = 0, lines = 0;
	long c;

	ASSERT_EQ(load(text, &m, &e), NL_OK);
	scn_errors_free(&e);
	s = sim_new(1);
	t = trace_new();
	ASSERT_EQ(scn_build(m, s, t, &w, err, sizeof err), NL_OK);
	scn_model_free(m);
	sim_run(s, SIM_RUN_UNTIL, 300 * SIM_S);
	c = find_summary(t, "C: 200 bytes");
	ASSERT(c >= 0);
	ASSERT_EQ(trace_at(t, (size_t)c)->proto, TRACE_P_ECHO);
	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind == TRACE_APP && ev->node == 1) {
			echoed += ev->len;
			lines++;
		}
	}
	ASSERT_EQ(echoed, 200);
	ASSERT_EQ(lines, 4);		/* 3 x 64 bytes, then 8 */
	ASSERT(find_summary(t, "S: DEFGHIJK") >= 0);
	scn_world_free(w);
	sim_free(s);
	trace_free(t);
}

/* A world without a trace runs the same; the model is not needed. */
static void
test_build_no_trace(void)
{
	struct scn_errors e;
	struct scn_model *m;
	struct scn_world *w;
	struct sim *s;
	char err[128];

	ASSERT_EQ(load(good, &m, &e), NL_OK);
	scn_errors_free(&e);
	s = sim_new(1);
	ASSERT_EQ(scn_build(m, s, NULL, &w, err, sizeof err), NL_OK);
	scn_model_free(m);
	ASSERT(sim_run(s, SIM_RUN_UNTIL, 300 * SIM_S) > 0);
	scn_world_free(w);
	sim_free(s);
}

/* A world freed before its actions ran cancels them: freeing the engine
 * afterwards runs only finalizers. (Running the engine after net_free is
 * not allowed: the net's datagrams in flight are still scheduled.) */
static void
test_build_free_early(void)
{
	struct scn_errors e;
	struct scn_model *m;
	struct scn_world *w;
	struct sim *s;
	struct trace *t;
	char err[128];

	ASSERT_EQ(load(good, &m, &e), NL_OK);
	scn_errors_free(&e);
	s = sim_new(1);
	t = trace_new();
	ASSERT_EQ(scn_build(m, s, t, &w, err, sizeof err), NL_OK);
	scn_model_free(m);
	sim_run(s, SIM_RUN_UNTIL, 20 * SIM_MS);	/* the SYN is out */
	scn_world_free(w);
	sim_free(s);
	trace_free(t);
}

/* Every allocation of a build and run fails in turn. */
static void
test_build_oom(void)
{
	struct scn_errors e;
	struct scn_model *m;
	struct scn_world *w;
	struct sim *s;
	struct trace *t;
	enum nl_status st;
	char err[128];
	long n;

	ASSERT_EQ(load(good, &m, &e), NL_OK);
	scn_errors_free(&e);
	for (n = 0; n < 20000; n++) {
		s = sim_new(1);
		t = trace_new();
		ASSERT(s != NULL && t != NULL);
		nl_alloc_fail_after(n);
		st = scn_build(m, s, t, &w, err, sizeof err);
		if (st == NL_OK) {
			sim_run(s, SIM_RUN_UNTIL, 300 * SIM_S);
			scn_world_free(w);
		} else {
			ASSERT(w == NULL);
			ASSERT(err[0] != '\0');
		}
		sim_free(s);
		trace_free(t);
		nl_alloc_fail_after(-1);
		if (st == NL_OK && !nl_alloc_failed())
			break;
	}
	scn_model_free(m);
	ASSERT(n < 20000);
}

const struct test_case tests_scenario[] = {
	{ "scn_bandwidth", test_bandwidth },
	{ "scn_percent", test_percent },
	{ "scn_time_values", test_time_values },
	{ "scn_suggest", test_suggest },
	{ "scn_model", test_model },
	{ "scn_errors", test_errors },
	{ "scn_deep", test_deep },
	{ "scn_error_cap", test_error_cap },
	{ "scn_garbage", test_garbage },
	{ "scn_load_oom", test_load_oom },
	{ "scn_build", test_build },
	{ "scn_build_faults", test_build_faults },
	{ "scn_echo_bulk", test_echo_bulk },
	{ "scn_build_no_trace", test_build_no_trace },
	{ "scn_build_free_early", test_build_free_early },
	{ "scn_build_oom", test_build_oom },
	{ NULL, NULL },
};
