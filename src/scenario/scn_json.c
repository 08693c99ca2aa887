/* scn_json.c - pass 1 of scenario loading: JSON text to struct scn_model.
 *
 * The only file that sees cJSON. Each object is read through a table of
 * its keys ({name, required, reader}), so an unknown key gets a "did you
 * mean" and a missing one is named; each reader checks the type and the
 * format of its value and records what it read. Every problem is reported
 * with its JSON path and reading goes on (OpenSMTPD's parse.y habit).
 * Checks that need the whole model (references, duplicates) are pass 2. */
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nodes/dns_node.h"
#include "nodes/dns_zone.h"
#include "nodes/mail_node.h"
#include "nodes/node.h"
#include "nodes/web_node.h"
#include "proto/ip/ipv4.h"
#include "scenario/scn_int.h"
#include "trace/trace.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define MAX_NODES 100000	/* a campus: `netlab gen campus` */
#define MAX_LINKS 200000
#define MAX_ACTIONS 10000
#define MAX_ADDRS 16		/* addresses of one node */
#define MAX_LINES 1000		/* lines of one tcp-echo */
#define MAX_LINE_LEN 998	/* RFC 5322's line limit, good for echo */
#define MAX_TEXT_LEN 1400	/* udp-echo text: one datagram */
#define MAX_AT (24 * 3600 * SIM_S)
#define MAX_QUEUE_TIME (30 * 86400 * SIM_S)	/* "queue" times */
#define MAX_DELAY (10 * SIM_S)
#define MAX_QUEUE 100000
#define MAX_SEED 9007199254740991.0	/* 2^53 - 1: exact in JSON */
#define MAX_ZONES 16		/* zones of one DNS server */
#define MAX_RECORDS 2000	/* records of one zone */
#define MAX_HINTS 13		/* root hints of one server */
#define MAX_DATA_LEN 4000	/* a record's data as text */
#define MAX_NAME_LEN 1024	/* a domain name as text */
#define MAX_DNS_TIMEOUT (60 * SIM_S)
#define MAX_DNS_RETRIES 10
#define MAX_MAIL_USERS NODE_MAIL_USERS_MAX
#define MAX_RCPT 100		/* recipients of one send-mail */
#define MAX_ADDR_LEN 254	/* an e-mail address (RFC 5321 4.5.3.1) */
#define MAX_REPLY_LEN 400	/* a reply text */
#define MAX_BODY_LEN 65536	/* a send-mail body */
#define ZONE_TTL_DEFAULT 3600	/* a zone's "ttl" when not given */
#define MAX_GOALS 20		/* learning goals of a scenario */
#define MAX_CAPTIONS 200	/* captions, and checkpoints, of one */
#define MAX_CHOICES 10		/* choices of a checkpoint */

struct jctx {
	struct scn_errors *e;	/* where errors go */
	struct scn_model *m;	/* what is being filled */
	int oom;		/* an allocation failed */
};

/* A reader for one key's value; obj is the struct being filled. */
typedef void jread_fn(struct jctx *c, const cJSON *v, const char *path,
    void *obj);

struct jkey {
	const char *name;	/* the key as written in the file */
	int required;		/* 1: missing is an error */
	jread_fn *read;		/* NULL: read by the caller */
};

/* ---- cJSON allocations go through nl_alloc, so tests can fail them ---- */

static int json_oom;		/* set when cJSON's allocation failed */

static void *
json_alloc(size_t n)
{
	void *p = nl_alloc(n);

	if (p == NULL)
		json_oom = 1;
	return p;
}

static void
json_free(void *p)
{
	nl_free(p);
}

/* ---- Paths and descriptions ---- */

static int
is_ident(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    *s == '_'))
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* parent.key, or parent["odd key"] when the key is no identifier. */
static char *
path_key(char *buf, size_t size, const char *parent, const char *key)
{
	char q[SCN_QUOTE_BUF];

	if (is_ident(key) && strlen(key) <= SCN_QUOTE_MAX)
		snprintf(buf, size, "%s.%s", parent, key);
	else
		snprintf(buf, size, "%s[%s]", parent,
		    scn_quote(key, strlen(key), SCN_QUOTE_MAX, q, sizeof q));
	return buf;
}

static char *
path_index(char *buf, size_t size, const char *parent, size_t i)
{
	snprintf(buf, size, "%s[%zu]", parent, i);
	return buf;
}

static void
describe_number(double d, char *buf, size_t size)
{
	if (!isfinite(d))
		snprintf(buf, size, "a number too large to represent");
	else if (d == floor(d) && fabs(d) < 1e19)
		snprintf(buf, size, "%.0f", d);
	else
		snprintf(buf, size, "%.15g", d);
}

/* What the file has, for "found ...": a quoted string, a number, true,
 * false, null, "an array" or "an object". */
static char *
describe(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		scn_quote(v->valuestring, strlen(v->valuestring),
		    SCN_QUOTE_MAX, buf, size);
	else if (cJSON_IsNumber(v))
		describe_number(v->valuedouble, buf, size);
	else if (cJSON_IsTrue(v))
		snprintf(buf, size, "true");
	else if (cJSON_IsFalse(v))
		snprintf(buf, size, "false");
	else if (cJSON_IsNull(v))
		snprintf(buf, size, "null");
	else if (cJSON_IsArray(v))
		snprintf(buf, size, "an array");
	else if (cJSON_IsObject(v))
		snprintf(buf, size, "an object");
	else
		snprintf(buf, size, "an unreadable value");
	return buf;
}

static void
expected(struct jctx *c, const cJSON *v, const char *path, const char *what)
{
	char found[SCN_QUOTE_BUF];

	scn_err(c->e, path, "expected %s, found %s", what,
	    describe(v, found, sizeof found));
}

static char *
dup_or_oom(struct jctx *c, const char *s)
{
	char *d = nl_strdup(s);

	if (d == NULL)
		c->oom = 1;
	return d;
}

/* ---- Typed values ---- */

/* A string value; NULL (after an error) otherwise. Not copied. */
static const char *
get_string(struct jctx *c, const cJSON *v, const char *path)
{
	if (!cJSON_IsString(v)) {
		expected(c, v, path, "a string");
		return NULL;
	}
	return v->valuestring;
}

#define NL_LINE "a line cannot contain CR or LF; give each line as its own " \
	"string"
#define NL_NOTE "a note cannot contain CR or LF; the transcript and the " \
	"viewer wrap long text"
#define NL_CAPTION "a caption cannot contain CR or LF; the transcript and " \
	"the viewer wrap long text"

/* Text for people: a string without control characters but tabs. CR and
 * LF are allowed when nl_err is NULL, else they are this error. */
static char *
get_text(struct jctx *c, const cJSON *v, const char *path, size_t max,
    const char *nl_err)
{
	const char *s = get_string(c, v, path);
	const unsigned char *p;

	if (s == NULL)
		return NULL;
	if (strlen(s) > max) {
		scn_err(c->e, path, "expected at most %zu characters, found "
		    "%zu", max, strlen(s));
		return NULL;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n') {
			if (nl_err == NULL)
				continue;
			scn_err(c->e, path, "%s", nl_err);
			return NULL;
		}
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			scn_err(c->e, path, "control character 0x%02x in "
			    "text", *p);
			return NULL;
		}
	}
	return dup_or_oom(c, s);
}

static int
id_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
}

/* A node or link id: 1..SCN_ID_MAX of letters, digits, '.', '-', '_'. */
static char *
get_id(struct jctx *c, const cJSON *v, const char *path, const char *what)
{
	const char *s = get_string(c, v, path), *p;
	char msg[96];

	if (s == NULL)
		return NULL;
	for (p = s; *p != '\0' && id_char(*p); p++)
		;
	if (*s == '\0' || *p != '\0' || p - s > SCN_ID_MAX) {
		snprintf(msg, sizeof msg, "%s (1 to %d letters, digits, '.', "
		    "'-' or '_')", what, SCN_ID_MAX);
		expected(c, v, path, msg);
		return NULL;
	}
	return dup_or_oom(c, s);
}

/* A whole number in [min, max]; 0 (after an error) otherwise. */
static int
get_uint(struct jctx *c, const cJSON *v, const char *path, double min,
    double max, uint64_t *out)
{
	char what[96], lo[32], hi[32];

	*out = 0;
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble == floor(v->valuedouble) &&
	    v->valuedouble >= min && v->valuedouble <= max) {
		*out = (uint64_t)v->valuedouble;
		return 1;
	}
	describe_number(min, lo, sizeof lo);
	describe_number(max, hi, sizeof hi);
	snprintf(what, sizeof what, "a whole number from %s to %s", lo, hi);
	expected(c, v, path, what);
	return 0;
}

static int
get_time(struct jctx *c, const cJSON *v, const char *path, sim_time max,
    const char *maxtext, sim_time *out)
{
	char found[SCN_QUOTE_BUF];

	*out = 0;
	if (!cJSON_IsString(v) ||
	    sim_time_parse(v->valuestring, out) != NL_OK) {
		expected(c, v, path, "a time like \"10ms\" or \"1.5s\"");
		return 0;
	}
	if (*out > max) {
		scn_err(c->e, path, "expected a time of at most %s, found %s",
		    maxtext, describe(v, found, sizeof found));
		*out = 0;
		return 0;
	}
	return 1;
}

static int
get_addr(struct jctx *c, const cJSON *v, const char *path, uint32_t *out)
{
	char found[SCN_QUOTE_BUF];

	*out = 0;
	if (!cJSON_IsString(v) ||
	    ipv4_addr_parse(v->valuestring, out) != NL_OK) {
		expected(c, v, path, "an IPv4 address like \"10.0.0.1\"");
		return 0;
	}
	/* Hosts need a unicast address: not 0/8, loopback, multicast,
	 * reserved or broadcast. */
	if ((*out >> 24) == 0 || (*out >> 24) == 127 || *out >= 0xe0000000u) {
		scn_err(c->e, path, "%s is not a host address (0.x, 127.x, "
		    "multicast and 240.x and up are reserved)",
		    describe(v, found, sizeof found));
		*out = 0;
		return 0;
	}
	return 1;
}

/* A name from a fixed list (node kind, service, action); the list of
 * valid names, or a suggestion, on error. NULL-ended cands. */
static const char *
get_name(struct jctx *c, const cJSON *v, const char *path, const char *what,
    const char *const *cands)
{
	const char *s = get_string(c, v, path), *sugg;
	const char *const *p;
	char q[SCN_QUOTE_BUF], list[512];

	if (s == NULL)
		return NULL;
	for (p = cands; *p != NULL; p++)
		if (strcmp(*p, s) == 0)
			return *p;
	scn_quote(s, strlen(s), SCN_QUOTE_MAX, q, sizeof q);
	sugg = scn_suggest(s, cands);
	if (sugg != NULL)
		scn_err(c->e, path, "unknown %s %s; did you mean \"%s\"?", what,
		    q, sugg);
	else
		scn_err(c->e, path, "unknown %s %s; expected one of: %s", what,
		    q, scn_join(cands, list, sizeof list));
	return NULL;
}

/* ---- Objects through key tables ---- */

/* Reads object v at path with the keys of table (n entries). Unknown
 * keys are reported with a suggestion, `context` names the object in that
 * message when the keys depend on it ("a \"udp-echo\" action"). Returns 0
 * when v is not an object. */
static int
read_object(struct jctx *c, const cJSON *v, const char *path,
    const struct jkey *keys, size_t n, const char *context, void *obj,
    unsigned long *suggested_out)
{
	const cJSON *ch;
	unsigned long seen = 0, suggested = 0;
	size_t i;
	char sub[SCN_PATH_MAX];

	if (suggested_out != NULL)
		*suggested_out = 0;
	if (!cJSON_IsObject(v)) {
		expected(c, v, path, "an object");
		return 0;
	}
	for (ch = v->child; ch != NULL; ch = ch->next) {
		const char *key = ch->string != NULL ? ch->string : "";

		path_key(sub, sizeof sub, path, key);
		for (i = 0; i < n; i++)
			if (strcmp(keys[i].name, key) == 0)
				break;
		if (i < n) {
			if (seen & (1UL << i)) {
				scn_err(c->e, sub, "the key appears twice; "
				    "keep one");
				continue;
			}
			seen |= 1UL << i;
			if (keys[i].read != NULL)
				keys[i].read(c, ch, sub, obj);
			continue;
		}
		{
			const char *names[32], *sugg;
			char list[512];

			for (i = 0; i < n && i < NL_ARRAY_LEN(names) - 1; i++)
				names[i] = keys[i].name;
			names[i] = NULL;
			sugg = scn_suggest(key, names);
			for (i = 0; sugg != NULL && names[i] != NULL; i++)
				if (names[i] == sugg)
					suggested |= 1UL << i;
			if (sugg != NULL)
				scn_err(c->e, sub, "unknown key; did you mean "
				    "\"%s\"?", sugg);
			else if (context != NULL)
				scn_err(c->e, sub, "not a key of %s; expected "
				    "one of: %s", context,
				    scn_join(names, list, sizeof list));
			else
				scn_err(c->e, sub, "unknown key; expected one "
				    "of: %s", scn_join(names, list, sizeof list));
		}
	}
	/* A key reported as a likely typo is not reported missing too. */
	for (i = 0; i < n; i++)
		if (keys[i].required && !(seen & (1UL << i)) &&
		    !(suggested & (1UL << i)))
			scn_err(c->e, path, "missing key \"%s\"", keys[i].name);
	if (suggested_out != NULL)
		*suggested_out = suggested;
	return 1;
}

/* Allocates an array of `count` elements of `size` for a JSON array,
 * after checking type and size. NULL and *n = 0 on error or when empty. */
static void *
read_array(struct jctx *c, const cJSON *v, const char *path, size_t size,
    size_t max, const char *what, size_t *n)
{
	int count;
	void *arr;

	*n = 0;
	if (!cJSON_IsArray(v)) {
		expected(c, v, path, "an array");
		return NULL;
	}
	count = cJSON_GetArraySize(v);
	if (count <= 0)
		return NULL;
	if ((size_t)count > max) {
		scn_err(c->e, path, "expected at most %zu %s, found %d", max,
		    what, count);
		return NULL;
	}
	arr = nl_calloc((size_t)count, size);
	if (arr == NULL) {
		c->oom = 1;
		return NULL;
	}
	*n = (size_t)count;
	return arr;
}

/* ---- meta ---- */

static void
meta_title(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_meta *)obj)->title = get_text(c, v, path, 200,
	    "a title is one line: no CR or LF");
}

static void
meta_summary(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_meta *)obj)->summary = get_text(c, v, path, 4000,
	    NULL);
}

static void
meta_goals(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_meta *mt = obj;
	const cJSON *ch;
	size_t n, i, k = 0;
	char sub[SCN_PATH_MAX];

	mt->goals = read_array(c, v, path, sizeof *mt->goals, MAX_GOALS,
	    "learning goals", &n);
	for (ch = v->child, i = 0; mt->goals != NULL && ch != NULL;
	    ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		mt->goals[k] = get_text(c, ch, sub, 400, "a learning goal is "
		    "one line: no CR or LF");
		if (mt->goals[k] != NULL)
			k++;
	}
	mt->ngoals = k;
}

static void
meta_difficulty(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	static const char *const levels[] = { "intro", "intermediate",
		"advanced", NULL };
	const char *k = get_name(c, v, path, "difficulty", levels);
	size_t i;

	for (i = 0; k != NULL && levels[i] != NULL; i++)
		if (levels[i] == k)
			((struct scn_meta *)obj)->difficulty =
			    (enum scn_difficulty)(SCN_DIFF_INTRO + (int)i);
}

static const struct jkey meta_keys[] = {
	{ "title", 0, meta_title },
	{ "summary", 0, meta_summary },
	{ "learning_goals", 0, meta_goals },
	{ "difficulty", 0, meta_difficulty },
};

/* ---- nodes ---- */

static void
nd_id(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->id = get_id(c, v, path, "a node id");
}

static void
nd_kind(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	const char *names[32];
	const char *k;
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(names) - 1 && node_kind_name(i); i++)
		names[i] = node_kind_name(i);
	names[i] = NULL;
	k = get_name(c, v, path, "node kind", names);
	if (k != NULL)
		((struct scn_node *)obj)->kind = dup_or_oom(c, k);
}

static void
node_address(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	uint32_t a;

	if (nd->addr_given) {
		scn_err(c->e, path, "give either \"address\" or "
		    "\"addresses\", not both");
		return;
	}
	nd->addr_given = 1;
	nd->addr_list = 0;
	if (cJSON_IsArray(v)) {
		expected(c, v, path, "an IPv4 address like \"10.0.0.1\" "
		    "(a list goes in \"addresses\")");
		return;
	}
	if (!get_addr(c, v, path, &a))
		return;
	nd->addrs = nl_alloc(sizeof *nd->addrs);
	if (nd->addrs == NULL) {
		c->oom = 1;
		return;
	}
	nd->addrs[0] = a;
	nd->naddrs = 1;
}

static void
node_addresses(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	const cJSON *ch;
	size_t n, i = 0, k = 0;
	char sub[SCN_PATH_MAX];

	if (nd->addr_given) {
		scn_err(c->e, path, "give either \"address\" or "
		    "\"addresses\", not both");
		return;
	}
	nd->addr_given = 1;
	nd->addr_list = 1;
	nd->addrs = read_array(c, v, path, sizeof *nd->addrs, MAX_ADDRS,
	    "addresses", &n);
	if (nd->addrs == NULL)
		return;
	/* All or nothing, so that the validator's addresses[i] is the
	 * file's position i. */
	for (ch = v->child; ch != NULL; ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		if (get_addr(c, ch, sub, &nd->addrs[i]))
			k++;
	}
	nd->naddrs = k == n ? n : 0;
}

static void
node_services(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	const char *names[32];
	const cJSON *ch;
	size_t n, i, j, k = 0;
	char sub[SCN_PATH_MAX];

	for (i = 0; i < NL_ARRAY_LEN(names) - 1 && node_svc_name(i); i++)
		names[i] = node_svc_name(i);
	names[i] = NULL;
	nd->services = read_array(c, v, path, sizeof *nd->services, 16,
	    "services", &n);
	if (nd->services == NULL)
		return;
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		const char *s;

		path_index(sub, sizeof sub, path, i);
		s = get_name(c, ch, sub, "service", names);
		if (s == NULL)
			continue;
		for (j = 0; j < k; j++)
			if (strcmp(nd->services[j], s) == 0)
				break;
		if (j < k) {
			scn_err(c->e, sub, "service \"%s\" is listed twice", s);
			continue;
		}
		nd->services[k] = dup_or_oom(c, s);
		if (nd->services[k] != NULL)
			k++;
	}
	nd->nservices = k;
}

static void
layout_coord(struct jctx *c, const cJSON *v, const char *path, double *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    fabs(v->valuedouble) > 1e6) {
		expected(c, v, path, "a number from -1000000 to 1000000");
		return;
	}
	*out = v->valuedouble;
}

static void
layout_x(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	layout_coord(c, v, path, &((struct scn_layout *)obj)->x);
}

static void
layout_y(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	layout_coord(c, v, path, &((struct scn_layout *)obj)->y);
}

static const struct jkey layout_keys[] = {
	{ "x", 1, layout_x },
	{ "y", 1, layout_y },
};

static void
node_layout(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;

	if (read_object(c, v, path, layout_keys, NL_ARRAY_LEN(layout_keys),
	    NULL, &nd->layout, NULL))
		nd->layout.set = 1;
}

/* ---- DNS: zones, records, resolver settings ---- */

static int
get_bool(struct jctx *c, const cJSON *v, const char *path, int *out)
{
	if (!cJSON_IsBool(v)) {
		expected(c, v, path, "true or false");
		return 0;
	}
	*out = cJSON_IsTrue(v) ? 1 : 0;
	return 1;
}

/* A TTL: whole seconds 0 .. 2^31-1 (RFC 2181 8), or a string with a
 * unit: "30s", "5m", "1h", "2d", "1w". */
static int
get_ttl(struct jctx *c, const cJSON *v, const char *path, uint32_t *out)
{
	static const struct {
		char unit;
		uint64_t scale;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 },
		{ 'd', 86400 }, { 'w', 604800 } };
	const char *p;
	uint64_t n = 0;
	size_t i;

	*out = 0;
	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble == floor(v->valuedouble) && v->valuedouble >= 0 &&
	    v->valuedouble <= DNS_ZONE_TTL_MAX) {
		*out = (uint32_t)v->valuedouble;
		return 1;
	}
	if (cJSON_IsString(v)) {
		p = v->valuestring;
		while (*p >= '0' && *p <= '9' && n <= DNS_ZONE_TTL_MAX)
			n = n * 10 + (uint64_t)(*p++ - '0');
		for (i = 0; p != v->valuestring && i < NL_ARRAY_LEN(units);
		    i++) {
			if (p[0] == units[i].unit && p[1] == '\0' &&
			    n * units[i].scale <= DNS_ZONE_TTL_MAX) {
				*out = (uint32_t)(n * units[i].scale);
				return 1;
			}
		}
	}
	expected(c, v, path, "a TTL in seconds from 0 to 2147483647, or like "
	    "\"30m\", \"1h\" or \"2d\"");
	return 0;
}

/* A domain name as text (read as a name in pass 2). */
static char *
get_dname(struct jctx *c, const cJSON *v, const char *path)
{
	return get_text(c, v, path, MAX_NAME_LEN, "a domain name is one "
	    "line: no CR or LF");
}

/* A record type of a zone ("A", "MX", ...). */
static char *
get_rtype(struct jctx *c, const cJSON *v, const char *path, int query)
{
	const char *names[16], *k;
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(names) - 2 && dns_zone_type_name(i); i++)
		names[i] = dns_zone_type_name(i);
	if (query)
		names[i++] = "SOA";
	names[i] = NULL;
	if (!query && cJSON_IsString(v) && strcmp(v->valuestring, "SOA") == 0) {
		scn_err(c->e, path, "the SOA goes in the zone's \"soa\" "
		    "object, not in its \"records\"");
		return NULL;
	}
	k = get_name(c, v, path, query ? "query type" : "record type", names);
	return k != NULL ? dup_or_oom(c, k) : NULL;
}

static void
rr_name(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_rr *)obj)->name = get_dname(c, v, path);
}

static void
rr_type(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_rr *)obj)->type = get_rtype(c, v, path, 0);
}

static void
rr_ttl(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_rr *r = obj;

	r->ttl_given = get_ttl(c, v, path, &r->ttl);
}

static void
rr_data(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_rr *)obj)->data = get_text(c, v, path, MAX_DATA_LEN,
	    "record data is one line: no CR or LF");
}

static const struct jkey rr_keys[] = {
	{ "name", 1, rr_name },
	{ "type", 1, rr_type },
	{ "ttl", 0, rr_ttl },
	{ "data", 1, rr_data },
};

/* A record in a dns-record action: "data" may be left out to delete
 * every record of a name and type (pass 2 checks the rest). */
static const struct jkey act_rr_keys[] = {
	{ "name", 1, rr_name },
	{ "type", 1, rr_type },
	{ "ttl", 0, rr_ttl },
	{ "data", 0, rr_data },
};

#define SOA_FIELD(fn, field)                                               \
	static void                                                        \
	fn(struct jctx *c, const cJSON *v, const char *path, void *obj)    \
	{                                                                  \
		(void)get_ttl(c, v, path, &((struct scn_soa *)obj)->field); \
	}
SOA_FIELD(soa_refresh, refresh)
SOA_FIELD(soa_retry, retry)
SOA_FIELD(soa_expire, expire)
SOA_FIELD(soa_minimum, minimum)
#undef SOA_FIELD

static void
soa_mname(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_soa *)obj)->mname = get_dname(c, v, path);
}

static void
soa_rname(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_soa *)obj)->rname = get_dname(c, v, path);
}

static void
soa_serial(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t n;

	if (get_uint(c, v, path, 0, 4294967295.0, &n))
		((struct scn_soa *)obj)->serial = (uint32_t)n;
}

static void
soa_ttl(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_soa *soa = obj;

	soa->ttl_given = get_ttl(c, v, path, &soa->ttl);
}

static const struct jkey soa_keys[] = {
	{ "mname", 0, soa_mname },
	{ "rname", 0, soa_rname },
	{ "serial", 0, soa_serial },
	{ "refresh", 0, soa_refresh },
	{ "retry", 0, soa_retry },
	{ "expire", 0, soa_expire },
	{ "minimum", 0, soa_minimum },
	{ "ttl", 0, soa_ttl },
};

static void
zone_origin(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_zone *)obj)->origin = get_dname(c, v, path);
}

static void
zone_ttl(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	(void)get_ttl(c, v, path, &((struct scn_zone *)obj)->ttl);
}

static void
zone_soa(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	read_object(c, v, path, soa_keys, NL_ARRAY_LEN(soa_keys), "an SOA",
	    &((struct scn_zone *)obj)->soa, NULL);
}

static void
zone_records(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_zone *z = obj;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	z->records = read_array(c, v, path, sizeof *z->records, MAX_RECORDS,
	    "records", &z->nrecords);
	for (ch = v->child, i = 0; z->records != NULL && ch != NULL;
	    ch = ch->next, i++) {
		z->records[i].index = i;
		read_object(c, ch, path_index(sub, sizeof sub, path, i),
		    rr_keys, NL_ARRAY_LEN(rr_keys), "a record", &z->records[i],
		    NULL);
	}
}

static const struct jkey zone_keys[] = {
	{ "origin", 1, zone_origin },
	{ "ttl", 0, zone_ttl },
	{ "soa", 0, zone_soa },
	{ "records", 0, zone_records },
};

static void
node_zones(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	nd->zones = read_array(c, v, path, sizeof *nd->zones, MAX_ZONES,
	    "zones", &nd->nzones);
	for (ch = v->child, i = 0; nd->zones != NULL && ch != NULL;
	    ch = ch->next, i++) {
		struct scn_zone *z = &nd->zones[i];

		z->index = i;
		z->ttl = ZONE_TTL_DEFAULT;
		z->soa.serial = 1;
		z->soa.refresh = 3600;
		z->soa.retry = 900;
		z->soa.expire = 604800;
		z->soa.minimum = 3600;
		read_object(c, ch, path_index(sub, sizeof sub, path, i),
		    zone_keys, NL_ARRAY_LEN(zone_keys), "a zone", z, NULL);
	}
}

static void
node_recursion(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	(void)get_bool(c, v, path, &((struct scn_node *)obj)->recursion);
}

static void
res_mode(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	static const char *const modes[] = { "iterated", "recursive", NULL };
	const char *k = get_name(c, v, path, "resolver mode", modes);

	if (k != NULL)
		((struct scn_resolver *)obj)->mode = k == modes[0] ?
		    DNS_MODE_ITERATED : DNS_MODE_RECURSIVE;
}

static void
res_cache(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	(void)get_bool(c, v, path, &((struct scn_resolver *)obj)->cache);
}

static void
res_timeout(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_resolver *r = obj;
	sim_time t;

	if (get_time(c, v, path, MAX_DNS_TIMEOUT, "60s", &t)) {
		if (t < SIM_MS)
			scn_err(c->e, path, "expected a timeout of at least "
			    "1ms");
		else
			r->timeout = t;
	}
}

static void
res_retries(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t n;

	if (get_uint(c, v, path, 0, MAX_DNS_RETRIES, &n))
		((struct scn_resolver *)obj)->retries = (int)n;
}

static const struct jkey resolver_keys[] = {
	{ "mode", 0, res_mode },
	{ "cache", 0, res_cache },
	{ "timeout", 0, res_timeout },
	{ "retries", 0, res_retries },
};

static void
node_resolver(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;

	if (read_object(c, v, path, resolver_keys,
	    NL_ARRAY_LEN(resolver_keys), "\"resolver\"", &nd->resolver,
	    NULL))
		nd->resolver.given = 1;
}

static void
node_root_hints(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	const cJSON *ch;
	size_t n, i, k = 0;
	char sub[SCN_PATH_MAX];

	nd->hints_given = 1;
	nd->root_hints = read_array(c, v, path, sizeof *nd->root_hints,
	    MAX_HINTS, "root hints", &n);
	if (nd->root_hints == NULL) {
		if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0)
			scn_err(c->e, path, "expected at least one root "
			    "server");
		return;
	}
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		nd->root_hints[k] = get_id(c, ch, sub, "a node id or an IPv4 "
		    "address");
		if (nd->root_hints[k] != NULL)
			k++;
	}
	nd->nroot_hints = k;
}

static void
node_dns(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->dns = get_id(c, v, path, "a node id");
}

/* ---- mail (nodes/mail_node.h) ---- */

/* An e-mail address "local@domain": printable ASCII, no space, no angle
 * bracket, one '@' with something on both sides. */
static char *
get_mail_addr(struct jctx *c, const cJSON *v, const char *path)
{
	const char *s = get_string(c, v, path), *p, *at;

	if (s == NULL)
		return NULL;
	at = strchr(s, '@');
	for (p = s; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' ||
		    *p == ',' || *p == '"')
			break;
	if (*p != '\0' || at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strlen(s) > MAX_ADDR_LEN) {
		expected(c, v, path, "an e-mail address like "
		    "\"bob@hamburger.edu\"");
		return NULL;
	}
	return dup_or_oom(c, s);
}

/* One address or an array of them into *out, *n. */
static void
get_mail_addrs(struct jctx *c, const cJSON *v, const char *path,
    char ***out, size_t *n)
{
	const cJSON *ch;
	size_t i, k = 0, cnt;
	char sub[SCN_PATH_MAX];

	if (cJSON_IsString(v)) {
		*out = nl_calloc(1, sizeof **out);
		if (*out == NULL) {
			c->oom = 1;
			return;
		}
		(*out)[0] = get_mail_addr(c, v, path);
		*n = (*out)[0] != NULL ? 1 : 0;
		return;
	}
	*out = read_array(c, v, path, sizeof **out, MAX_RCPT, "addresses",
	    &cnt);
	if (*out == NULL) {
		if (cJSON_IsArray(v))
			scn_err(c->e, path, "expected at least one address");
		return;
	}
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		(*out)[k] = get_mail_addr(c, ch, sub);
		if ((*out)[k] != NULL)
			k++;
	}
	*n = k;
}

static void
node_domain(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->domain = get_dname(c, v, path);
}

struct scn_user_tmp {
	char *name, *password;
};

static void
user_name(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_user_tmp *)obj)->name = get_id(c, v, path,
	    "a user name like \"bob\"");
}

static void
user_password(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_user_tmp *)obj)->password = get_text(c, v, path, 200,
	    "a password cannot contain CR or LF");
}

static const struct jkey user_keys[] = {
	{ "name", 1, user_name },
	{ "password", 0, user_password },
};

static void
node_users(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	const cJSON *ch;
	size_t i, n;
	char sub[SCN_PATH_MAX];

	nd->users = read_array(c, v, path, sizeof *nd->users, MAX_MAIL_USERS,
	    "users", &n);
	if (nd->users == NULL)
		return;
	nd->passwords = nl_calloc(n, sizeof *nd->passwords);
	if (nd->passwords == NULL) {
		nl_free(nd->users);
		nd->users = NULL;
		c->oom = 1;
		return;
	}
	nd->nusers = n;
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		struct scn_user_tmp u = { NULL, NULL };

		path_index(sub, sizeof sub, path, i);
		if (cJSON_IsString(ch))
			u.name = get_id(c, ch, sub, "a user name like \"bob\"");
		else if (!cJSON_IsObject(ch))
			expected(c, ch, sub, "a user name like \"bob\" or an "
			    "object {\"name\", \"password\"}");
		else
			read_object(c, ch, sub, user_keys,
			    NL_ARRAY_LEN(user_keys), "a user", &u, NULL);
		nd->users[i] = u.name;
		nd->passwords[i] = u.password;
	}
}

static void
node_replies(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;
	const char *names[64];
	const cJSON *ch;
	size_t i, n = 0;
	char sub[SCN_PATH_MAX];

	if (!cJSON_IsObject(v)) {
		expected(c, v, path, "an object of reply texts like "
		    "{\"greeting\": \"%d\"}");
		return;
	}
	for (i = 0; i + 1 < NL_ARRAY_LEN(names) && node_mail_reply_name(i);
	    i++)
		names[i] = node_mail_reply_name(i);
	names[i] = NULL;
	for (ch = v->child; ch != NULL; ch = ch->next)
		n++;
	if (n == 0)
		return;
	nd->reply_names = nl_calloc(n, sizeof *nd->reply_names);
	nd->reply_texts = nl_calloc(n, sizeof *nd->reply_texts);
	if (nd->reply_names == NULL || nd->reply_texts == NULL) {
		nl_free(nd->reply_names);
		nl_free(nd->reply_texts);
		nd->reply_names = nd->reply_texts = NULL;
		c->oom = 1;
		return;
	}
	nd->nreplies = n;
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		const char *k;
		char list[1024];

		path_key(sub, sizeof sub, path, ch->string);
		for (k = NULL, n = 0; names[n] != NULL; n++)
			if (strcmp(names[n], ch->string) == 0)
				k = names[n];
		if (k == NULL) {
			const char *sugg = scn_suggest(ch->string, names);

			if (sugg != NULL)
				scn_err(c->e, sub, "unknown reply; did you "
				    "mean \"%s\"?", sugg);
			else
				scn_err(c->e, sub, "unknown reply; expected "
				    "one of: %s", scn_join(names, list,
				    sizeof list));
			continue;
		}
		nd->reply_names[i] = dup_or_oom(c, k);
		nd->reply_texts[i] = get_text(c, ch, sub, MAX_REPLY_LEN, NULL);
	}
}

static void
node_user(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->user = get_mail_addr(c, v, path);
}

static void
node_password(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->password = get_text(c, v, path, 200,
	    "a password cannot contain CR or LF");
}

static void
node_server(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->server = get_id(c, v, path, "a node id");
}

static void
node_helo(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->helo = get_dname(c, v, path);
}

static void
node_port(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t p;

	if (!get_uint(c, v, path, 1, 65535, &p))
		return;
	if (p != NODE_SMTP_PORT && p != NODE_SUBMISSION_PORT)
		scn_err(c->e, path, "expected 25 (SMTP, as in the textbook) or "
		    "587 (submission, RFC 6409), found %llu",
		    (unsigned long long)p);
	else
		((struct scn_node *)obj)->port = (uint16_t)p;
}

/* "queue": when a mail server tries again and when it gives up. */
static void
queue_time(struct jctx *c, const cJSON *v, const char *path, sim_time *out)
{
	sim_time t;

	if (!get_time(c, v, path, MAX_QUEUE_TIME, "30d", &t))
		return;
	if (t < SIM_S)
		scn_err(c->e, path, "expected a time of at least 1s");
	else
		*out = t;
}

static void
queue_retry(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	queue_time(c, v, path, &((struct scn_node *)obj)->q_retry);
}

static void
queue_retry_max(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	queue_time(c, v, path, &((struct scn_node *)obj)->q_retry_max);
}

static void
queue_lifetime(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	queue_time(c, v, path, &((struct scn_node *)obj)->q_lifetime);
}

static const struct jkey queue_keys[] = {
	{ "retry", 0, queue_retry },
	{ "max_retry", 0, queue_retry_max },
	{ "lifetime", 0, queue_lifetime },
};

static void
node_queue(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_node *nd = obj;

	nd->queue_given = 1;
	(void)read_object(c, v, path, queue_keys, NL_ARRAY_LEN(queue_keys),
	    "the queue settings", nd, NULL);
}

static void
node_mail_server(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_node *)obj)->mail_server = get_id(c, v, path,
	    "a node id");
}

/* ORDER: NODE_KEY_* index node_keys[]. */
#define NODE_KEY_ADDRESS 2
#define NODE_KEY_ADDRESSES 3
static const struct jkey node_keys[] = {
	{ "id", 1, nd_id },
	{ "kind", 1, nd_kind },
	{ "address", 0, node_address },
	{ "addresses", 0, node_addresses },
	{ "services", 0, node_services },
	{ "layout", 0, node_layout },
	{ "zones", 0, node_zones },
	{ "recursion", 0, node_recursion },
	{ "resolver", 0, node_resolver },
	{ "root_hints", 0, node_root_hints },
	{ "dns", 0, node_dns },
	{ "domain", 0, node_domain },
	{ "users", 0, node_users },
	{ "replies", 0, node_replies },
	{ "user", 0, node_user },
	{ "password", 0, node_password },
	{ "server", 0, node_server },
	{ "helo", 0, node_helo },
	{ "port", 0, node_port },
	{ "queue", 0, node_queue },
	{ "mail_server", 0, node_mail_server },
};

/* ---- links ---- */

static void
link_id(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_link *l = obj;

	l->id = get_id(c, v, path, "a link id");
	l->id_given = 1;
}

static void
link_a(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_link *)obj)->a = get_id(c, v, path, "a node id");
}

static void
link_b(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_link *)obj)->b = get_id(c, v, path, "a node id");
}

static void
link_delay(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	get_time(c, v, path, MAX_DELAY, "10s",
	    &((struct scn_link *)obj)->delay);
}

static void
link_bandwidth(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_link *l = obj;
	uint64_t bw;

	if (cJSON_IsNumber(v)) {
		if (isfinite(v->valuedouble) && v->valuedouble >= 1 &&
		    v->valuedouble <= 1e12 &&
		    v->valuedouble == floor(v->valuedouble))
			l->bandwidth = (uint64_t)v->valuedouble;
		else
			expected(c, v, path, "a bandwidth in bit/s from 1 to "
			    "1000000000000, or a string like \"10Mbit/s\"");
		return;
	}
	if (!cJSON_IsString(v)) {
		expected(c, v, path, "a bandwidth like \"10Mbit/s\"");
		return;
	}
	switch (scn_bandwidth_parse(v->valuestring, &bw)) {
	case NL_OK:
		l->bandwidth = bw;
		break;
	case NL_ELIMIT:
		expected(c, v, path, "a bandwidth from 1bit/s to 1Tbit/s");
		break;
	default:
		expected(c, v, path, "a bandwidth like \"10Mbit/s\", "
		    "\"64kbit/s\" or \"1.5Mbps\"");
		break;
	}
}

static void
link_loss(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_link *l = obj;
	double p;

	if (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
	    v->valuedouble >= 0 && v->valuedouble <= 1) {
		l->loss = v->valuedouble;
		return;
	}
	if (cJSON_IsString(v) && scn_percent_parse(v->valuestring, &p) ==
	    NL_OK) {
		l->loss = p;
		return;
	}
	expected(c, v, path, "a loss probability from 0 to 1 or a "
	    "percentage like \"10%\"");
}

static void
link_queue(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t q;

	if (get_uint(c, v, path, 1, MAX_QUEUE, &q))
		((struct scn_link *)obj)->queue = (uint32_t)q;
}

static const struct jkey link_keys[] = {
	{ "id", 0, link_id },
	{ "a", 1, link_a },
	{ "b", 1, link_b },
	{ "delay", 0, link_delay },
	{ "bandwidth", 0, link_bandwidth },
	{ "loss", 0, link_loss },
	{ "queue", 0, link_queue },
};

/* ---- timeline ---- */

static void
act_at(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	get_time(c, v, path, MAX_AT, "24h", &((struct scn_action *)obj)->at);
}

static void
act_from(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->from = get_id(c, v, path, "a node id");
}

static void
act_to(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->to = get_id(c, v, path,
	    "a node id or an IPv4 address");
}

static void
act_port(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t p;

	if (get_uint(c, v, path, 1, 65535, &p))
		((struct scn_action *)obj)->port = (uint16_t)p;
}

static void
act_bytes(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	get_uint(c, v, path, 1, (double)NODE_SEND_MAX,
	    &((struct scn_action *)obj)->bytes);
}

static void
act_lines(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;
	const cJSON *ch;
	size_t n, i, k = 0;
	char sub[SCN_PATH_MAX];

	a->lines = read_array(c, v, path, sizeof *a->lines, MAX_LINES,
	    "lines", &n);
	if (a->lines == NULL)
		return;
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		a->lines[k] = get_text(c, ch, sub, MAX_LINE_LEN, NL_LINE);
		if (a->lines[k] != NULL)
			k++;
	}
	a->nlines = k;
}

static void
act_text(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;

	a->text = get_text(c, v, path, MAX_TEXT_LEN,
	    a->kind == SCN_ACT_NOTE ? NL_NOTE :
	    "the text of a udp-echo is one line: no CR or LF");
}

static void
act_link(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->link = get_id(c, v, path, "a link id");
}

static void
act_node(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->node = get_id(c, v, path, "a node id");
}

static void
act_name(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->name = get_dname(c, v, path);
}

static void
act_qtype(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->qtype = get_rtype(c, v, path, 1);
}

static void
act_op(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	static const char *const ops[] = { "add", "change", "delete", NULL };
	const char *k = get_name(c, v, path, "record operation", ops);

	if (k != NULL)
		((struct scn_action *)obj)->op = dup_or_oom(c, k);
}

static void
act_record(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;

	a->record = nl_calloc(1, sizeof *a->record);
	if (a->record == NULL) {
		c->oom = 1;
		return;
	}
	read_object(c, v, path, act_rr_keys, NL_ARRAY_LEN(act_rr_keys),
	    "a record", a->record, NULL);
}

static void
act_mail_to(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;

	get_mail_addrs(c, v, path, &a->rcpt, &a->nrcpt);
}

static void
act_mail_cc(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;

	get_mail_addrs(c, v, path, &a->cc, &a->ncc);
}

static void
act_subject(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->subject = get_text(c, v, path, 900,
	    "a subject is one line: no CR or LF");
}

static void
act_about(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;

	a->about = get_text(c, v, path, 900, "a subject is one line: no CR "
	    "or LF");
	if (a->about != NULL && a->about[0] == '\0') {
		scn_err(c->e, path, "expected (a part of) the subject of a "
		    "message the user agent fetched, found \"\"");
		nl_free(a->about);
		a->about = NULL;
	}
}

static void
act_body(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;
	struct nl_dbuf b;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	if (!cJSON_IsArray(v)) {
		a->body = get_text(c, v, path, MAX_BODY_LEN, NULL);
		return;
	}
	/* An array of lines, joined with "\n". */
	nl_dbuf_init(&b, MAX_BODY_LEN + 1);
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		char *l;

		path_index(sub, sizeof sub, path, i);
		l = get_text(c, ch, sub, MAX_LINE_LEN, NL_LINE);
		if (l == NULL)
			continue;
		if (nl_dbuf_add_str(&b, l) != NL_OK ||
		    nl_dbuf_add(&b, "\n", 1) != NL_OK) {
			scn_err(c->e, path, "expected a body of at most %d "
			    "bytes", MAX_BODY_LEN);
			nl_free(l);
			break;
		}
		nl_free(l);
	}
	if (nl_dbuf_add(&b, "", 1) == NL_OK)
		a->body = dup_or_oom(c, (const char *)b.data);
	nl_dbuf_free(&b);
}

static void
act_raw(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	(void)get_bool(c, v, path, &((struct scn_action *)obj)->raw);
}

static const char *const fetch_protocols[] = { "pop3", "imap", NULL };

static void
act_protocol(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	const char *s = get_name(c, v, path, "protocol", fetch_protocols);

	if (s != NULL)
		((struct scn_action *)obj)->protocol = dup_or_oom(c, s);
}

static void
act_keep(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	int k;

	if (get_bool(c, v, path, &k))
		((struct scn_action *)obj)->keep = k ? 1 : -1;
}

/* fetch-mail "move_to": scn_mail.c checks the name. */
static void
act_move_to(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->move_to = get_text(c, v, path, 255,
	    "a mailbox name is one line: no CR or LF");
}

static void
att_name(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_attach *)obj)->name = get_text(c, v, path, 200,
	    "a file name is one line: no CR or LF");
}

static void
att_type(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	const char *s = get_string(c, v, path), *p;

	if (s == NULL)
		return;
	p = strchr(s, '/');
	if (p == NULL || p == s || p[1] == '\0' || strlen(s) > 100 ||
	    strpbrk(s, " \t\r\n;\"") != NULL) {
		expected(c, v, path, "a MIME type like \"text/plain\" or "
		    "\"image/png\"");
		return;
	}
	((struct scn_attach *)obj)->type = dup_or_oom(c, s);
}

static void
att_text(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_attach *)obj)->text = get_text(c, v, path, MAX_BODY_LEN,
	    NULL);
}

static const struct jkey att_keys[] = {
	{ "name", 1, att_name },
	{ "type", 0, att_type },
	{ "text", 1, att_text },
};

static void
act_attachments(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	a->att = read_array(c, v, path, sizeof *a->att, 16, "attachments",
	    &a->natt);
	if (a->att == NULL)
		return;
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		read_object(c, ch, sub, att_keys, NL_ARRAY_LEN(att_keys),
		    "an attachment", &a->att[i], NULL);
	}
}

/* ---- resolve-load, mail-load: a workload in a few lines ---- */

#define MAX_LOAD_COUNT 100000000	/* actions of one load */
#define MAX_LOAD_LIST 100000		/* nodes, names or addresses */

static void
load_count(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	get_uint(c, v, path, 1, MAX_LOAD_COUNT,
	    &((struct scn_action *)obj)->count);
}

static void
load_over(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	get_time(c, v, path, MAX_AT, "24h", &((struct scn_action *)obj)->over);
}

static void
load_from(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;
	const cJSON *ch;
	size_t i, k = 0, n;
	char sub[SCN_PATH_MAX];

	a->pool = read_array(c, v, path, sizeof *a->pool, MAX_LOAD_LIST,
	    "node ids", &n);
	for (ch = v->child, i = 0; a->pool != NULL && ch != NULL;
	    ch = ch->next, i++) {
		a->pool[k] = get_id(c, ch, path_index(sub, sizeof sub, path, i),
		    "a node id");
		if (a->pool[k] != NULL)
			k++;
	}
	a->npool = k;
}

/* "names" of a resolve-load, "to" of a mail-load. */
static void
load_picks(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;
	const cJSON *ch;
	size_t i, k = 0, n;
	char sub[SCN_PATH_MAX];

	a->picks = read_array(c, v, path, sizeof *a->picks, MAX_LOAD_LIST,
	    a->kind == SCN_ACT_MAIL_LOAD ? "addresses" : "names", &n);
	for (ch = v->child, i = 0; a->picks != NULL && ch != NULL;
	    ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		a->picks[k] = a->kind == SCN_ACT_MAIL_LOAD ?
		    get_mail_addr(c, ch, sub) : get_dname(c, ch, sub);
		if (a->picks[k] != NULL)
			k++;
	}
	a->npicks = k;
}

static void
load_zipf(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0 || v->valuedouble > 4) {
		expected(c, v, path, "a number from 0 (uniform) to 4");
		return;
	}
	((struct scn_action *)obj)->zipf = v->valuedouble;
}

#define AK_AT { "at", 1, act_at }
#define AK_DO { "do", 1, NULL }
#define AK_FROM { "from", 1, act_from }
#define AK_TO { "to", 1, act_to }
#define AK_PORT { "port", 0, act_port }

static const struct jkey tcp_echo_keys[] = {
	AK_AT, AK_DO, AK_FROM, AK_TO, { "lines", 1, act_lines }, AK_PORT,
};
static const struct jkey udp_echo_keys[] = {
	AK_AT, AK_DO, AK_FROM, AK_TO, { "text", 1, act_text }, AK_PORT,
};
static const struct jkey tcp_send_keys[] = {
	AK_AT, AK_DO, AK_FROM, AK_TO, { "bytes", 1, act_bytes }, AK_PORT,
};
static const struct jkey link_act_keys[] = {
	AK_AT, AK_DO, { "link", 1, act_link },
};
static const struct jkey node_act_keys[] = {
	AK_AT, AK_DO, { "node", 1, act_node },
};
static const struct jkey note_keys[] = {
	AK_AT, AK_DO, { "text", 1, act_text },
};
static const struct jkey resolve_keys[] = {
	AK_AT, AK_DO, AK_FROM, { "name", 1, act_name },
	{ "type", 0, act_qtype },
};
static const struct jkey send_mail_keys[] = {
	AK_AT, AK_DO, AK_FROM, { "to", 1, act_mail_to },
	{ "cc", 0, act_mail_cc }, { "subject", 0, act_subject },
	{ "body", 0, act_body }, { "raw", 0, act_raw },
	{ "attachments", 0, act_attachments },
};
static const struct jkey reply_mail_keys[] = {
	AK_AT, AK_DO, AK_FROM, { "message", 1, act_about },
	{ "cc", 0, act_mail_cc }, { "body", 0, act_body },
};
static const struct jkey forward_mail_keys[] = {
	AK_AT, AK_DO, AK_FROM, { "message", 1, act_about },
	{ "to", 1, act_mail_to }, { "cc", 0, act_mail_cc },
	{ "body", 0, act_body },
};
static const struct jkey fetch_mail_keys[] = {
	AK_AT, AK_DO, AK_FROM, { "protocol", 1, act_protocol },
	{ "keep", 0, act_keep }, { "move_to", 0, act_move_to },
};
static const struct jkey dns_record_keys[] = {
	AK_AT, AK_DO, { "node", 1, act_node }, { "op", 1, act_op },
	{ "record", 1, act_record },
};
static const struct jkey resolve_load_keys[] = {
	AK_AT, AK_DO, { "count", 1, load_count }, { "over", 1, load_over },
	{ "from", 1, load_from }, { "names", 1, load_picks },
	{ "type", 0, act_qtype }, { "zipf", 0, load_zipf },
};
/* browse: "url", "click" or "submit" (scn_web.c checks that one is
 * given). */
static void
act_url(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->url = get_text(c, v, path, 1000,
	    "a URL is one line: no CR or LF");
}

static void
act_click(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->click = get_text(c, v, path, 200,
	    "a link's text is one line: no CR or LF");
}

static void
act_submit(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_action *a = obj;
	const cJSON *ch;
	size_t n = 0;
	char sub[SCN_PATH_MAX];

	a->submit = 1;
	if (!cJSON_IsObject(v)) {
		expected(c, v, path, "an object of form fields, like "
		    "{\"to\": \"bob@hamburger.edu\"}");
		return;
	}
	for (ch = v->child; ch != NULL; ch = ch->next)
		n++;
	if (n > 32) {
		scn_err(c->e, path, "expected at most 32 form fields, found "
		    "%zu", n);
		return;
	}
	a->field_names = nl_calloc(n ? n : 1, sizeof *a->field_names);
	a->field_values = nl_calloc(n ? n : 1, sizeof *a->field_values);
	if (a->field_names == NULL || a->field_values == NULL) {
		c->oom = 1;
		return;
	}
	for (ch = v->child; ch != NULL; ch = ch->next) {
		char *val;

		path_key(sub, sizeof sub, path, ch->string != NULL ?
		    ch->string : "");
		val = get_text(c, ch, sub, MAX_BODY_LEN, NULL);
		if (val == NULL)
			continue;
		a->field_names[a->nfields] = dup_or_oom(c, ch->string != NULL ?
		    ch->string : "");
		if (a->field_names[a->nfields] == NULL) {
			nl_free(val);
			continue;
		}
		a->field_values[a->nfields++] = val;
	}
}

static const struct jkey browse_keys[] = {
	AK_AT, AK_DO, AK_FROM, { "url", 0, act_url },
	{ "click", 0, act_click }, { "submit", 0, act_submit },
};
static const struct jkey mail_load_keys[] = {
	AK_AT, AK_DO, { "count", 1, load_count }, { "over", 1, load_over },
	{ "from", 1, load_from }, { "to", 1, load_picks },
	{ "subject", 0, act_subject }, { "body", 0, act_body },
};

/* ORDER ACTION */
static const struct {
	const struct jkey *keys;	/* the keys this action takes */
	size_t nkeys;
	uint16_t port;			/* default port */
} actions[SCN_ACT_COUNT_] = {
	{ tcp_echo_keys, NL_ARRAY_LEN(tcp_echo_keys), NODE_ECHO_PORT },
	{ udp_echo_keys, NL_ARRAY_LEN(udp_echo_keys), NODE_ECHO_PORT },
	{ tcp_send_keys, NL_ARRAY_LEN(tcp_send_keys), NODE_DISCARD_PORT },
	{ link_act_keys, NL_ARRAY_LEN(link_act_keys), 0 },
	{ link_act_keys, NL_ARRAY_LEN(link_act_keys), 0 },
	{ node_act_keys, NL_ARRAY_LEN(node_act_keys), 0 },
	{ node_act_keys, NL_ARRAY_LEN(node_act_keys), 0 },
	{ note_keys, NL_ARRAY_LEN(note_keys), 0 },
	{ resolve_keys, NL_ARRAY_LEN(resolve_keys), DNS_PORT },
	{ dns_record_keys, NL_ARRAY_LEN(dns_record_keys), 0 },
	{ node_act_keys, NL_ARRAY_LEN(node_act_keys), 0 },
	{ send_mail_keys, NL_ARRAY_LEN(send_mail_keys), 0 },
	{ fetch_mail_keys, NL_ARRAY_LEN(fetch_mail_keys), 0 },
	{ resolve_load_keys, NL_ARRAY_LEN(resolve_load_keys), DNS_PORT },
	{ mail_load_keys, NL_ARRAY_LEN(mail_load_keys), 0 },
	{ browse_keys, NL_ARRAY_LEN(browse_keys), NODE_HTTP_PORT },
	{ reply_mail_keys, NL_ARRAY_LEN(reply_mail_keys), 0 },
	{ forward_mail_keys, NL_ARRAY_LEN(forward_mail_keys), 0 },
};

/* ---- captions and checkpoints ---- */

static void
match_kind(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	const char *names[TRACE_KIND_COUNT_ + 1], *k;
	int i;

	for (i = 0; i < TRACE_KIND_COUNT_; i++)
		names[i] = trace_kind_str((enum trace_kind)i);
	names[i] = NULL;
	k = get_name(c, v, path, "event kind", names);
	for (i = 0; k != NULL && i < TRACE_KIND_COUNT_; i++)
		if (names[i] == k)
			((struct scn_match *)obj)->kind = i;
}

static void
match_proto(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	const char *names[TRACE_PROTO_COUNT_], *k;
	int i;

	/* Without TRACE_P_NONE ("-"): "any" is leaving the key out. */
	for (i = 1; i < TRACE_PROTO_COUNT_; i++)
		names[i - 1] = trace_proto_str((enum trace_proto)i);
	names[i - 1] = NULL;
	k = get_name(c, v, path, "protocol", names);
	for (i = 1; k != NULL && i < TRACE_PROTO_COUNT_; i++)
		if (names[i - 1] == k)
			((struct scn_match *)obj)->proto = i;
}

static void
match_from(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_match *)obj)->from = get_id(c, v, path, "a node id");
}

static void
match_to(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_match *)obj)->to = get_id(c, v, path, "a node id");
}

static void
match_contains(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_match *w = obj;

	w->contains = get_text(c, v, path, 200, "a pattern is one line: no "
	    "CR or LF");
	if (w->contains != NULL && w->contains[0] == '\0') {
		scn_err(c->e, path, "expected some text to look for, found "
		    "\"\"");
		nl_free(w->contains);
		w->contains = NULL;
	}
}

static void
match_nth(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t n;

	if (get_uint(c, v, path, 1, 100000, &n))
		((struct scn_match *)obj)->nth = (uint32_t)n;
}

static const struct jkey match_keys[] = {
	{ "kind", 0, match_kind },
	{ "proto", 0, match_proto },
	{ "from", 0, match_from },
	{ "to", 0, match_to },
	{ "contains", 0, match_contains },
	{ "nth", 0, match_nth },
};

/* A pattern over trace events; at least one field besides "nth", or it
 * would match whatever comes first. */
static void
read_match(struct jctx *c, const cJSON *v, const char *path,
    struct scn_match *w)
{
	const cJSON *ch;
	int fields = 0;

	w->kind = -1;
	w->proto = -1;
	w->nth = 1;
	if (!read_object(c, v, path, match_keys, NL_ARRAY_LEN(match_keys),
	    "an event pattern", w, NULL))
		return;
	for (ch = v->child; ch != NULL; ch = ch->next)
		if (ch->string != NULL && strcmp(ch->string, "nth") != 0)
			fields++;
	if (fields == 0)
		scn_err(c->e, path, "an event pattern needs at least one of "
		    "\"kind\", \"proto\", \"from\", \"to\", \"contains\"");
}

static void
cap_at(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	if (!cJSON_IsString(v) || strcmp(v->valuestring, "start") != 0) {
		expected(c, v, path, "\"start\" (text at a time is a "
		    "\"note\" action of the timeline)");
		return;
	}
	((struct scn_caption *)obj)->at_start = 1;
}

static void
cap_when(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	read_match(c, v, path, &((struct scn_caption *)obj)->when);
}

static void
cap_text(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_caption *)obj)->text = get_text(c, v, path,
	    MAX_TEXT_LEN, NL_CAPTION);
}

static const struct jkey caption_keys[] = {
	{ "at", 0, cap_at },
	{ "when", 0, cap_when },
	{ "text", 1, cap_text },
};

static void
chk_before(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	read_match(c, v, path, &((struct scn_checkpoint *)obj)->before);
}

static void
chk_question(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_checkpoint *)obj)->question = get_text(c, v, path, 400,
	    "a question is one line: no CR or LF");
}

static void
chk_choices(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_checkpoint *k = obj;
	const cJSON *ch;
	size_t n, i;
	char sub[SCN_PATH_MAX];

	if (cJSON_IsArray(v) && cJSON_GetArraySize(v) < 2) {
		scn_err(c->e, path, "expected 2 to %d choices, found %d",
		    MAX_CHOICES, cJSON_GetArraySize(v));
		return;
	}
	k->choices = read_array(c, v, path, sizeof *k->choices, MAX_CHOICES,
	    "choices", &n);
	if (k->choices == NULL)
		return;
	/* Every position kept, so that "answer" indexes the file's list. */
	k->nchoices = n;
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		path_index(sub, sizeof sub, path, i);
		k->choices[i] = get_text(c, ch, sub, 200, "a choice is one "
		    "line: no CR or LF");
	}
}

static void
chk_answer(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_checkpoint *k = obj;
	uint64_t n;

	if (get_uint(c, v, path, 0, MAX_CHOICES - 1, &n)) {
		k->answer = (uint32_t)n;
		k->answer_given = 1;
	}
}

static void
chk_why(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_checkpoint *)obj)->why = get_text(c, v, path,
	    MAX_TEXT_LEN, "an explanation is one line: no CR or LF");
}

static const struct jkey checkpoint_keys[] = {
	{ "before", 1, chk_before },
	{ "question", 1, chk_question },
	{ "choices", 1, chk_choices },
	{ "answer", 1, chk_answer },
	{ "why", 1, chk_why },
};

static void
act_caption(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	((struct scn_action *)obj)->caption = get_text(c, v, path,
	    MAX_TEXT_LEN, NL_CAPTION);
}

/* Reads one timeline entry: "do" first, since it decides the keys. */
static int
read_action(struct jctx *c, const cJSON *v, const char *path,
    struct scn_action *a)
{
	const char *names[SCN_ACT_COUNT_ + 1], *name;
	struct jkey keys[31];
	const cJSON *d;
	char sub[SCN_PATH_MAX], ctx[64];
	size_t i, n;

	if (!cJSON_IsObject(v)) {
		expected(c, v, path, "an object");
		return 0;
	}
	for (i = 0; i < SCN_ACT_COUNT_; i++)
		names[i] = scn_action_str((enum scn_action_kind)i);
	names[i] = NULL;
	d = cJSON_GetObjectItemCaseSensitive(v, "do");
	if (d == NULL) {
		char list[256];

		scn_err(c->e, path, "missing key \"do\" (one of: %s)",
		    scn_join(names, list, sizeof list));
		return 0;
	}
	name = get_name(c, d, path_key(sub, sizeof sub, path, "do"),
	    "action", names);
	if (name == NULL)
		return 0;
	for (i = 0; i < SCN_ACT_COUNT_; i++)
		if (names[i] == name)
			break;
	a->kind = (enum scn_action_kind)i;
	a->port = actions[i].port;
	a->zipf = 1;		/* resolve-load: classic Zipf by default */
	snprintf(ctx, sizeof ctx, "a \"%s\" action", name);
	/* Every action may carry a "caption": its keys plus that one. */
	n = actions[i].nkeys;
	if (NL_NEVER(n >= NL_ARRAY_LEN(keys)))
		n = NL_ARRAY_LEN(keys) - 1;
	memcpy(keys, actions[i].keys, n * sizeof *keys);
	keys[n].name = "caption";
	keys[n].required = 0;
	keys[n].read = act_caption;
	return read_object(c, v, path, keys, n + 1, ctx, a, NULL);
}

/* ---- top level ---- */

static void
top_meta(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	NL_UNUSED(obj);
	read_object(c, v, path, meta_keys, NL_ARRAY_LEN(meta_keys), NULL,
	    &c->m->meta, NULL);
}

static void
top_seed(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	uint64_t s;

	NL_UNUSED(obj);
	if (get_uint(c, v, path, 0, MAX_SEED, &s))
		c->m->seed = s;
}

static void
top_nodes(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_model *m = c->m;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	NL_UNUSED(obj);
	m->nodes = read_array(c, v, path, sizeof *m->nodes, MAX_NODES,
	    "nodes", &m->nnodes);
	if (m->nodes == NULL) {
		if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0)
			scn_err(c->e, path, "expected at least one node");
		return;
	}
	for (ch = v->child, i = 0; ch != NULL; ch = ch->next, i++) {
		unsigned long sugg;

		m->nodes[i].index = i;
		m->nodes[i].recursion = -1;
		m->nodes[i].resolver.mode = -1;
		m->nodes[i].resolver.cache = -1;
		m->nodes[i].resolver.retries = -1;
		read_object(c, ch, path_index(sub, sizeof sub, path, i),
		    node_keys, NL_ARRAY_LEN(node_keys), NULL, &m->nodes[i],
		    &sugg);
		/* "adress" was reported with its fix; the validator need
		 * not add that the node has no address. */
		if (sugg & ((1UL << NODE_KEY_ADDRESS) |
		    (1UL << NODE_KEY_ADDRESSES)))
			m->nodes[i].addr_given = 1;
	}
}

static void
top_links(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_model *m = c->m;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	NL_UNUSED(obj);
	m->links = read_array(c, v, path, sizeof *m->links, MAX_LINKS,
	    "links", &m->nlinks);
	for (ch = v->child, i = 0; m->links != NULL && ch != NULL;
	    ch = ch->next, i++) {
		struct scn_link *l = &m->links[i];

		l->index = i;
		l->delay = NET_DEFAULT_DELAY;
		l->bandwidth = NET_DEFAULT_BANDWIDTH;
		l->loss = 0;
		l->queue = NET_DEFAULT_QUEUE;
		read_object(c, ch, path_index(sub, sizeof sub, path, i),
		    link_keys, NL_ARRAY_LEN(link_keys), NULL, l, NULL);
	}
}

static void
top_timeline(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_model *m = c->m;
	const cJSON *ch;
	size_t i, k = 0;
	char sub[SCN_PATH_MAX];

	NL_UNUSED(obj);
	m->actions = read_array(c, v, path, sizeof *m->actions, MAX_ACTIONS,
	    "actions", &m->nactions);
	for (ch = v->child, i = 0; m->actions != NULL && ch != NULL;
	    ch = ch->next, i++) {
		struct scn_action *a = &m->actions[k];

		a->index = i;
		/* Keep only actions whose kind is known; the others were
		 * reported and would only confuse pass 2. */
		if (read_action(c, ch, path_index(sub, sizeof sub, path, i),
		    a))
			k++;
		else
			memset(a, 0, sizeof *a);
	}
	m->nactions = k;
}

static void
top_captions(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_model *m = c->m;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	NL_UNUSED(obj);
	m->captions = read_array(c, v, path, sizeof *m->captions,
	    MAX_CAPTIONS, "captions", &m->ncaptions);
	for (ch = v->child, i = 0; m->captions != NULL && ch != NULL;
	    ch = ch->next, i++) {
		struct scn_caption *cp = &m->captions[i];
		const cJSON *at, *when;
		unsigned long sugg;

		cp->index = i;
		cp->when.kind = cp->when.proto = -1;
		path_index(sub, sizeof sub, path, i);
		if (!read_object(c, ch, sub, caption_keys,
		    NL_ARRAY_LEN(caption_keys), "a caption", cp, &sugg))
			continue;
		at = cJSON_GetObjectItemCaseSensitive(ch, "at");
		when = cJSON_GetObjectItemCaseSensitive(ch, "when");
		/* "whne" was reported with its fix already. */
		if ((at == NULL) == (when == NULL) && (sugg & 3UL) == 0)
			scn_err(c->e, sub, "a caption needs either \"at\": "
			    "\"start\" or a \"when\" pattern%s",
			    at != NULL ? ", not both" : "");
	}
}

static void
top_checkpoints(struct jctx *c, const cJSON *v, const char *path, void *obj)
{
	struct scn_model *m = c->m;
	const cJSON *ch;
	size_t i;
	char sub[SCN_PATH_MAX];

	NL_UNUSED(obj);
	m->checkpoints = read_array(c, v, path, sizeof *m->checkpoints,
	    MAX_CAPTIONS, "checkpoints", &m->ncheckpoints);
	for (ch = v->child, i = 0; m->checkpoints != NULL && ch != NULL;
	    ch = ch->next, i++) {
		m->checkpoints[i].index = i;
		m->checkpoints[i].before.kind = -1;
		m->checkpoints[i].before.proto = -1;
		read_object(c, ch, path_index(sub, sizeof sub, path, i),
		    checkpoint_keys, NL_ARRAY_LEN(checkpoint_keys),
		    "a checkpoint", &m->checkpoints[i], NULL);
	}
}

static const struct jkey top_keys[] = {
	{ "netlab_scenario", 0, NULL },	/* checked first */
	{ "meta", 0, top_meta },
	{ "seed", 0, top_seed },
	{ "nodes", 1, top_nodes },
	{ "links", 0, top_links },
	{ "timeline", 0, top_timeline },
	{ "captions", 0, top_captions },
	{ "checkpoints", 0, top_checkpoints },
};

/* ---- Before cJSON: text checks with positions ---- */

struct pos {
	unsigned line, col;
};

static struct pos
pos_of(const char *bytes, size_t off)
{
	struct pos p = { 1, 1 };
	size_t i;

	for (i = 0; i < off; i++) {
		if (bytes[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if (((unsigned char)bytes[i] & 0xc0) != 0x80) {
			p.col++;	/* count characters, not bytes */
		}
	}
	return p;
}

/* Length of the UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1fu;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0fu;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07u;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Rejects what is not UTF-8 JSON text, and nesting deeper than
 * SCN_DEPTH_MAX, with the position. 1 if the text may go to cJSON. */
static int
text_check(struct jctx *c, const char *bytes, size_t len, int *open_at_end)
{
	const unsigned char *u = (const unsigned char *)bytes;
	size_t i = 0, depth = 0;
	int in_str = 0;
	struct pos p;

	while (i < len) {
		size_t l = utf8_len(u + i, len - i);

		if (l == 0 || (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' &&
		    u[i] != '\r') || u[i] == 0x7f) {
			p = pos_of(bytes, i);
			scn_err_at(c->e, p.line, p.col, "%s (byte 0x%02x); a "
			    "scenario is a JSON text file in UTF-8",
			    l == 0 ? "not UTF-8 text" : "binary data", u[i]);
			return 0;
		}
		if (in_str) {
			if (u[i] == '\\' && i + 1 < len && u[i + 1] < 0x80)
				i++;
			else if (u[i] == '"')
				in_str = 0;
		} else if (u[i] == '"') {
			in_str = 1;
		} else if (u[i] == '{' || u[i] == '[') {
			if (++depth > SCN_DEPTH_MAX) {
				p = pos_of(bytes, i);
				scn_err_at(c->e, p.line, p.col, "JSON nested "
				    "deeper than %d levels", SCN_DEPTH_MAX);
				return 0;
			}
		} else if ((u[i] == '}' || u[i] == ']') && depth > 0) {
			depth--;
		}
		i += l;
	}
	*open_at_end = in_str || depth > 0;
	return 1;
}

/* Up to 20 characters of the line at off, between single quotes, with
 * what is not printable ASCII as \xNN. */
static void
snippet(const char *p, size_t n, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	buf[o++] = '\'';
	for (i = 0; i < n && i < 20 && o + 6 < size; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch == '\n' || ch == '\r')
			break;
		if (ch >= 0x20 && ch < 0x7f) {
			buf[o++] = (char)ch;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[ch >> 4];
			buf[o++] = hex[ch & 15];
		}
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

/* cJSON failed at byte off. When the text ends with brackets or a string
 * still open and cJSON gave up at the very end, say so: "near '}'" at
 * the last byte would only puzzle. */
static void
syntax_error(struct jctx *c, const char *bytes, size_t len, size_t off,
    int open_at_end)
{
	char q[128];
	struct pos p;
	size_t trimmed = len;

	while (trimmed > 0 && (bytes[trimmed - 1] == ' ' ||
	    bytes[trimmed - 1] == '\t' || bytes[trimmed - 1] == '\n' ||
	    bytes[trimmed - 1] == '\r'))
		trimmed--;
	if (off >= len || (open_at_end && off + 1 >= trimmed)) {
		p = pos_of(bytes, trimmed);
		scn_err_at(c->e, p.line, p.col, "JSON syntax error: the file "
		    "ends before every {, [ and \" is closed");
		return;
	}
	p = pos_of(bytes, off);
	snippet(bytes + off, len - off, q, sizeof q);
	scn_err_at(c->e, p.line, p.col, "JSON syntax error near %s", q);
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r')
			return 0;
	return 1;
}

enum nl_status
scn_json_read(const char *bytes, size_t len, struct scn_model *m,
    struct scn_errors *e)
{
	struct jctx c = { e, m, 0 };
	cJSON_Hooks hooks = { json_alloc, json_free };
	const char *end = NULL;
	const cJSON *ver;
	cJSON *root;
	size_t skip = 0;
	int open_at_end = 0;

	/* A UTF-8 byte order mark is harmless; cJSON skips it too. */
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	if (blank(bytes + skip, len - skip)) {
		scn_err(e, NULL, "empty file; expected a JSON object "
		    "starting {\"netlab_scenario\": %d, ...", SCN_VERSION);
		return NL_OK;
	}
	if (!text_check(&c, bytes, len, &open_at_end))
		return NL_OK;
	cJSON_InitHooks(&hooks);
	json_oom = 0;
	root = cJSON_ParseWithLengthOpts(bytes, len, &end, 0);
	if (json_oom) {
		cJSON_Delete(root);
		return NL_ENOMEM;
	}
	if (root == NULL) {
		syntax_error(&c, bytes, len,
		    end != NULL && end >= bytes ? (size_t)(end - bytes) : 0,
		    open_at_end);
		return NL_OK;
	}
	if (end != NULL && end >= bytes && (size_t)(end - bytes) < len &&
	    !blank(end, len - (size_t)(end - bytes))) {
		size_t off = (size_t)(end - bytes);
		struct pos p;

		while (off < len && (bytes[off] == ' ' || bytes[off] == '\t' ||
		    bytes[off] == '\n' || bytes[off] == '\r'))
			off++;
		p = pos_of(bytes, off);

		scn_err_at(e, p.line, p.col, "JSON syntax error: text after "
		    "the end of the scenario object");
		cJSON_Delete(root);
		return NL_OK;
	}
	if (!cJSON_IsObject(root)) {
		expected(&c, root, "$", "a JSON object with "
		    "\"netlab_scenario\": 1");
		cJSON_Delete(root);
		return NL_OK;
	}
	/* The version decides how the rest reads: a newer file is not read
	 * as this version, it would only give misleading errors. */
	ver = cJSON_GetObjectItemCaseSensitive(root, "netlab_scenario");
	if (ver == NULL) {
		scn_err(e, "$", "missing key \"netlab_scenario\" (a scenario "
		    "starts {\"netlab_scenario\": %d, ...)", SCN_VERSION);
	} else {
		if (!cJSON_IsNumber(ver) || ver->valuedouble != SCN_VERSION) {
			char found[SCN_QUOTE_BUF];

			scn_err(e, "$.netlab_scenario", "this netlab reads "
			    "scenario format %d, found %s", SCN_VERSION,
			    describe(ver, found, sizeof found));
			cJSON_Delete(root);
			return NL_OK;
		}
		m->version = SCN_VERSION;
	}
	read_object(&c, root, "$", top_keys, NL_ARRAY_LEN(top_keys), NULL,
	    NULL, NULL);
	cJSON_Delete(root);
	return c.oom ? NL_ENOMEM : NL_OK;
}
