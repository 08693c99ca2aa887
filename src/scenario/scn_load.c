/* scn_load.c - loading a scenario: reading the file, running pass 1
 * (scn_json.c) and pass 2 (scn_validate.c), and the error list every
 * mistake goes to. Also the value parsers shared with the CLI. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/nl.h"

/* ---- Errors ---- */

void
scn_errors_init(struct scn_errors *e)
{
	memset(e, 0, sizeof *e);
}

void
scn_errors_free(struct scn_errors *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->count; i++) {
		nl_free(e->v[i].path);
		nl_free(e->v[i].text);
	}
	nl_free(e->v);
	nl_free(e->file);
	scn_errors_init(e);
}

/* Keeps one error; the text is formatted from fmt/ap. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 0)))
#endif
static void
err_add(struct scn_errors *e, const char *path, unsigned line, unsigned col,
    const char *fmt, va_list ap)
{
	char text[1024];
	struct scn_error *er;

	e->total++;
	if (e->count >= SCN_ERRORS_MAX)
		return;
	if (e->count == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 8;
		struct scn_error *nv = nl_realloc(e->v, ncap * sizeof *nv);

		if (nv == NULL) {
			e->oom = 1;
			return;
		}
		e->v = nv;
		e->cap = ncap;
	}
	vsnprintf(text, sizeof text, fmt, ap);
	er = &e->v[e->count];
	er->line = line;
	er->col = col;
	er->path = path != NULL ? nl_strdup(path) : NULL;
	er->text = nl_strdup(text);
	if (er->text == NULL || (path != NULL && er->path == NULL)) {
		nl_free(er->path);
		nl_free(er->text);
		e->oom = 1;
		return;
	}
	e->count++;
}

void
scn_err(struct scn_errors *e, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_add(e, path, 0, 0, fmt, ap);
	va_end(ap);
}

void
scn_err_at(struct scn_errors *e, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_add(e, NULL, line, col, fmt, ap);
	va_end(ap);
}

char *
scn_error_format(const struct scn_errors *e, size_t i, char *buf,
    size_t size)
{
	const struct scn_error *er;
	const char *file = e->file != NULL ? e->file : "scenario";

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (i >= e->count)
		return buf;
	er = &e->v[i];
	if (er->line > 0)
		snprintf(buf, size, "%s:%u:%u: %s", file, er->line, er->col,
		    er->text);
	else if (er->path != NULL)
		snprintf(buf, size, "%s: %s: %s", file, er->path, er->text);
	else
		snprintf(buf, size, "%s: %s", file, er->text);
	return buf;
}

void
scn_errors_print(const struct scn_errors *e, FILE *f)
{
	char line[1400];
	size_t i;

	for (i = 0; i < e->count; i++)
		fprintf(f, "%s\n", scn_error_format(e, i, line, sizeof line));
	if (e->total > e->count)
		fprintf(f, "%s: %zu more error%s not shown\n",
		    e->file != NULL ? e->file : "scenario", e->total - e->count,
		    e->total - e->count == 1 ? "" : "s");
}

/* ---- Text helpers for messages ---- */

char *
scn_quote(const char *s, size_t n, size_t max, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0, shown = 0;

	if (size < 8) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (shown == max || o + 10 > size) {
			buf[o++] = '.';
			buf[o++] = '.';
			buf[o++] = '.';
			break;
		}
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
		shown++;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

size_t
scn_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t rows[3][65];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	/* Keys and names are short; anything longer is no typo of ours.
	 * Optimal string alignment: insertions, deletions, substitutions
	 * and swaps of two neighbours ("hots" -> "host") cost one each. */
	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t *t;

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
			size_t best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *
scn_suggest(const char *word, const char *const *cands)
{
	const char *const *start = cands;
	const char *best = NULL;
	size_t bestd = (size_t)-1, len = strlen(word), limit;

	/* No guess for one or two letters (the list of valid names says
	 * more), one edit for short words, up to three for long ones. */
	limit = len <= 2 ? 0 : len <= 4 ? 1 : len <= 8 ? 2 : 3;
	for (; *cands != NULL; cands++) {
		size_t d = scn_edit_distance(word, *cands);

		if (d < bestd) {
			bestd = d;
			best = *cands;
		}
	}
	if (bestd <= limit)
		return best;
	/* "crepes" for "crepes.fr": a unique candidate the word begins. */
	best = NULL;
	for (; start != NULL && *start != NULL; start++) {
		size_t i;

		for (i = 0; i < len && lower(word[i]) == lower((*start)[i]); i++)
			;
		if (len >= 3 && i == len && (*start)[len] != '\0') {
			if (best != NULL)
				return NULL;
			best = *start;
		}
	}
	return best;
}

char *
scn_join(const char *const *list, char *buf, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (; *list != NULL; list++) {
		int k = snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
		    *list);

		if (k < 0 || (size_t)k >= size - o)
			break;
		o += (size_t)k;
	}
	return buf;
}

/* ---- Values ---- */

/* Reads digits[.digits] at *p: whole part and the fraction as num/div.
 * 0 when there is no digit or too many. */
static int
read_decimal(const char **p, uint64_t *whole, uint64_t *num, uint64_t *div)
{
	const char *s = *p;
	int digits = 0;

	*whole = 0;
	*num = 0;
	*div = 1;
	while (*s >= '0' && *s <= '9') {
		if (*whole > 100000000000000ULL)
			return 0;
		*whole = *whole * 10 + (uint64_t)(*s++ - '0');
		digits++;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			if (*div >= 1000000000000ULL)
				return 0;
			*num = *num * 10 + (uint64_t)(*s++ - '0');
			*div *= 10;
			digits++;
		}
	}
	*p = s;
	return digits > 0;
}

enum nl_status
scn_bandwidth_parse(const char *s, uint64_t *out)
{
	static const struct {
		char prefix;
		uint64_t mult;
	} prefixes[] = {
		{ 'k', 1000ULL }, { 'K', 1000ULL }, { 'M', 1000000ULL },
		{ 'G', 1000000000ULL }, { 'T', 1000000000000ULL },
	};
	uint64_t whole, num, div, mult = 1, v;
	size_t i;

	*out = 0;
	if (s == NULL || !read_decimal(&s, &whole, &num, &div))
		return NL_EMALFORMED;
	if (*s == ' ')
		s++;
	for (i = 0; i < NL_ARRAY_LEN(prefixes); i++) {
		if (*s == prefixes[i].prefix) {
			mult = prefixes[i].mult;
			s++;
			break;
		}
	}
	if (strcmp(s, "bit/s") != 0 && strcmp(s, "bps") != 0)
		return NL_EMALFORMED;
	if (whole > 1000000000000ULL / mult)
		return NL_ELIMIT;
	/* The fraction must come out whole: 1.5kbit/s, not 1.5bit/s. Both
	 * mult and div are powers of ten, so no product can overflow. */
	v = whole * mult;
	if (mult >= div) {
		v += num * (mult / div);
	} else {
		if (num % (div / mult) != 0)
			return NL_EMALFORMED;
		v += num / (div / mult);
	}
	if (v == 0)
		return NL_ELIMIT;
	if (v > 1000000000000ULL)
		return NL_ELIMIT;
	*out = v;
	return NL_OK;
}

enum nl_status
scn_percent_parse(const char *s, double *out)
{
	uint64_t whole, num, div;

	*out = 0;
	if (s == NULL || !read_decimal(&s, &whole, &num, &div))
		return NL_EMALFORMED;
	if (*s == ' ')
		s++;
	if (strcmp(s, "%") != 0)
		return NL_EMALFORMED;
	if (whole > 100 || (whole == 100 && num != 0))
		return NL_ELIMIT;
	*out = ((double)whole + (double)num / (double)div) / 100.0;
	return NL_OK;
}

/* ---- The model ---- */

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nl_free(v[i]);
	nl_free(v);
}

static void
rr_free(struct scn_rr *r)
{
	nl_free(r->name);
	nl_free(r->type);
	nl_free(r->data);
}

static void
zone_free(struct scn_zone *z)
{
	size_t i;

	nl_free(z->origin);
	nl_free(z->soa.mname);
	nl_free(z->soa.rname);
	for (i = 0; i < z->nrecords; i++)
		rr_free(&z->records[i]);
	nl_free(z->records);
}

static void
match_free(struct scn_match *w)
{
	nl_free(w->from);
	nl_free(w->to);
	nl_free(w->contains);
}

/* What the teaching parts own: meta goals, captions, checkpoints. */
static void
teach_free(struct scn_model *m)
{
	size_t i;

	free_strv(m->meta.goals, m->meta.ngoals);
	for (i = 0; i < m->ncaptions; i++) {
		match_free(&m->captions[i].when);
		nl_free(m->captions[i].text);
	}
	nl_free(m->captions);
	for (i = 0; i < m->ncheckpoints; i++) {
		struct scn_checkpoint *k = &m->checkpoints[i];

		match_free(&k->before);
		nl_free(k->question);
		free_strv(k->choices, k->nchoices);
		nl_free(k->why);
	}
	nl_free(m->checkpoints);
}

void
scn_model_free(struct scn_model *m)
{
	size_t i, j;

	if (m == NULL)
		return;
	for (i = 0; i < m->nnodes; i++) {
		struct scn_node *nd = &m->nodes[i];

		nl_free(nd->id);
		nl_free(nd->kind);
		nl_free(nd->addrs);
		free_strv(nd->services, nd->nservices);
		for (j = 0; j < nd->nzones; j++)
			zone_free(&nd->zones[j]);
		nl_free(nd->zones);
		free_strv(nd->root_hints, nd->nroot_hints);
		nl_free(nd->dns);
		nl_free(nd->domain);
		free_strv(nd->users, nd->nusers);
		free_strv(nd->passwords, nd->nusers);
		free_strv(nd->reply_names, nd->nreplies);
		free_strv(nd->reply_texts, nd->nreplies);
		nl_free(nd->user);
		nl_free(nd->password);
		nl_free(nd->server);
		nl_free(nd->helo);
		nl_free(nd->mail_server);
	}
	for (i = 0; i < m->nlinks; i++) {
		nl_free(m->links[i].id);
		nl_free(m->links[i].a);
		nl_free(m->links[i].b);
	}
	for (i = 0; i < m->nactions; i++) {
		struct scn_action *a = &m->actions[i];

		nl_free(a->from);
		nl_free(a->to);
		free_strv(a->lines, a->nlines);
		nl_free(a->text);
		free_strv(a->rcpt, a->nrcpt);
		free_strv(a->cc, a->ncc);
		nl_free(a->subject);
		nl_free(a->about);
		nl_free(a->protocol);
		nl_free(a->move_to);
		nl_free(a->body);
		for (j = 0; j < a->natt; j++) {
			nl_free(a->att[j].name);
			nl_free(a->att[j].type);
			nl_free(a->att[j].text);
		}
		nl_free(a->att);
		nl_free(a->link);
		nl_free(a->node);
		nl_free(a->name);
		nl_free(a->qtype);
		nl_free(a->op);
		if (a->record != NULL)
			rr_free(a->record);
		nl_free(a->record);
		nl_free(a->caption);
		free_strv(a->pool, a->npool);
		free_strv(a->picks, a->npicks);
		nl_free(a->url);
		nl_free(a->click);
		free_strv(a->field_names, a->nfields);
		free_strv(a->field_values, a->nfields);
	}
	teach_free(m);
	nl_free(m->by_id);
	nl_free(m->adj_at);
	nl_free(m->adj);
	nl_free(m->island);
	nl_free(m->nodes);
	nl_free(m->links);
	nl_free(m->actions);
	nl_free(m->meta.title);
	nl_free(m->meta.summary);
	nl_free(m->name);
	nl_free(m);
}

const char *
scn_difficulty_str(enum scn_difficulty d)
{
	switch (d) {
	case SCN_DIFF_NONE:
		return "";
	case SCN_DIFF_INTRO:
		return "intro";
	case SCN_DIFF_INTERMEDIATE:
		return "intermediate";
	case SCN_DIFF_ADVANCED:
		return "advanced";
	}
	return "";
}

static int
by_id_cmp(const void *pa, const void *pb)
{
	const struct scn_node *a = *(const struct scn_node *const *)pa;
	const struct scn_node *b = *(const struct scn_node *const *)pb;
	int c = strcmp(a->id, b->id);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

static int
is_router(const struct scn_node *nd)
{
	return nd->kind != NULL && strcmp(nd->kind, "router") == 0;
}

/* The root of x in the union-find forest up (with path halving). */
static size_t
island_root(size_t *up, size_t x)
{
	while (up[x] != x) {
		up[x] = up[up[x]];
		x = up[x];
	}
	return x;
}

/* Neighbour lists (both directions of every link whose ends exist) and
 * router islands. */
static enum nl_status
model_adjacency(struct scn_model *m)
{
	size_t n = m->nnodes, i, *fill;

	m->adj_at = nl_calloc(n + 1, sizeof *m->adj_at);
	m->adj = nl_alloc((2 * m->nlinks + 1) * sizeof *m->adj);
	m->island = nl_alloc((n ? n : 1) * sizeof *m->island);
	fill = nl_calloc(n + 1, sizeof *fill);
	if (m->adj_at == NULL || m->adj == NULL || m->island == NULL ||
	    fill == NULL) {
		nl_free(fill);
		return NL_ENOMEM;
	}
	for (i = 0; i < m->nlinks; i++) {
		const struct scn_node *a = scn_model_node(m, m->links[i].a);
		const struct scn_node *b = scn_model_node(m, m->links[i].b);

		if (a != NULL && b != NULL) {
			m->adj_at[a - m->nodes + 1]++;
			m->adj_at[b - m->nodes + 1]++;
		}
	}
	for (i = 0; i < n; i++) {
		m->adj_at[i + 1] += m->adj_at[i];
		m->island[i] = i;
	}
	for (i = 0; i < m->nlinks; i++) {
		const struct scn_node *a = scn_model_node(m, m->links[i].a);
		const struct scn_node *b = scn_model_node(m, m->links[i].b);
		size_t ia, ib;

		if (a == NULL || b == NULL)
			continue;
		ia = (size_t)(a - m->nodes);
		ib = (size_t)(b - m->nodes);
		m->adj[m->adj_at[ia] + fill[ia]++] = ib;
		m->adj[m->adj_at[ib] + fill[ib]++] = ia;
		if (is_router(a) && is_router(b))
			m->island[island_root(m->island, ia)] =
			    island_root(m->island, ib);
	}
	for (i = 0; i < n; i++)
		fill[i] = is_router(&m->nodes[i]) ?
		    island_root(m->island, i) : SIZE_MAX;
	nl_free(m->island);
	m->island = fill;
	return NL_OK;
}

enum nl_status
scn_model_index(struct scn_model *m)
{
	size_t i, k = 0;

	nl_free(m->by_id);
	nl_free(m->adj_at);
	nl_free(m->adj);
	nl_free(m->island);
	m->by_id = NULL;
	m->adj_at = m->adj = m->island = NULL;
	m->nby_id = 0;
	if (m->nnodes == 0)
		return NL_OK;
	m->by_id = nl_alloc(m->nnodes * sizeof *m->by_id);
	if (m->by_id == NULL)
		return NL_ENOMEM;
	for (i = 0; i < m->nnodes; i++)
		if (m->nodes[i].id != NULL)
			m->by_id[k++] = &m->nodes[i];
	qsort(m->by_id, k, sizeof *m->by_id, by_id_cmp);
	m->nby_id = k;
	if (model_adjacency(m) != NL_OK) {
		nl_free(m->adj_at);
		nl_free(m->adj);
		nl_free(m->island);
		m->adj_at = m->adj = m->island = NULL;
		return NL_ENOMEM;
	}
	return NL_OK;
}

const struct scn_node *
scn_model_node(const struct scn_model *m, const char *id)
{
	size_t i;

	if (id != NULL && m->by_id != NULL) {
		size_t lo = 0, hi = m->nby_id;

		/* The first entry not below id: the earliest such node. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(m->by_id[mid]->id, id) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < m->nby_id && strcmp(m->by_id[lo]->id, id) == 0 ?
		    m->by_id[lo] : NULL;
	}
	for (i = 0; id != NULL && i < m->nnodes; i++)
		if (m->nodes[i].id != NULL && strcmp(m->nodes[i].id, id) == 0)
			return &m->nodes[i];
	return NULL;
}

const struct scn_link *
scn_model_link(const struct scn_model *m, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < m->nlinks; i++)
		if (m->links[i].id != NULL && strcmp(m->links[i].id, id) == 0)
			return &m->links[i];
	return NULL;
}

const char *
scn_action_str(enum scn_action_kind k)
{
	switch (k) {
	case SCN_ACT_TCP_ECHO:
		return "tcp-echo";
	case SCN_ACT_UDP_ECHO:
		return "udp-echo";
	case SCN_ACT_TCP_SEND:
		return "tcp-send";
	case SCN_ACT_LINK_DOWN:
		return "link-down";
	case SCN_ACT_LINK_UP:
		return "link-up";
	case SCN_ACT_NODE_DOWN:
		return "node-down";
	case SCN_ACT_NODE_UP:
		return "node-up";
	case SCN_ACT_NOTE:
		return "note";
	case SCN_ACT_RESOLVE:
		return "resolve";
	case SCN_ACT_DNS_RECORD:
		return "dns-record";
	case SCN_ACT_CACHE_FLUSH:
		return "cache-flush";
	case SCN_ACT_SEND_MAIL:
		return "send-mail";
	case SCN_ACT_FETCH_MAIL:
		return "fetch-mail";
	case SCN_ACT_RESOLVE_LOAD:
		return "resolve-load";
	case SCN_ACT_MAIL_LOAD:
		return "mail-load";
	case SCN_ACT_BROWSE:
		return "browse";
	case SCN_ACT_REPLY_MAIL:
		return "reply-mail";
	case SCN_ACT_FORWARD_MAIL:
		return "forward-mail";
	case SCN_ACT_COUNT_:
		break;
	}
	return "?";
}

/* ---- Loading ---- */

/* "dir/tcp-basics.json" -> "tcp-basics" (owned). */
static char *
base_name(const char *path)
{
	const char *b = path, *p;
	size_t n;

	for (p = path; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	return nl_strndup(b, n);
}

enum nl_status
scn_load_buffer(const char *name, const void *bytes, size_t len,
    struct scn_model **out, struct scn_errors *errs)
{
	struct scn_model *m;
	enum nl_status st;

	*out = NULL;
	if (errs->file == NULL) {
		errs->file = nl_strdup(name);
		if (errs->file == NULL)
			return NL_ENOMEM;
	}
	m = nl_calloc(1, sizeof *m);
	if (m == NULL)
		return NL_ENOMEM;
	m->seed = SCN_DEFAULT_SEED;
	m->name = base_name(name);
	if (m->name == NULL) {
		st = NL_ENOMEM;
		goto fail;
	}
	st = scn_json_read(bytes, len, m, errs);
	if (st != NL_OK)
		goto fail;
	st = scn_validate(m, errs);
	if (st != NL_OK)
		goto fail;
	if (errs->oom) {
		st = NL_ENOMEM;
		goto fail;
	}
	if (errs->total > 0) {
		st = NL_EMALFORMED;
		goto fail;
	}
	*out = m;
	return NL_OK;
fail:
	scn_model_free(m);
	return st;
}

enum nl_status
scn_load_file(const char *path, struct scn_model **out,
    struct scn_errors *errs)
{
	FILE *f;
	char *bytes = NULL;
	size_t len = 0, cap = 0;
	enum nl_status st;

	*out = NULL;
	if (errs->file == NULL) {
		errs->file = nl_strdup(path);
		if (errs->file == NULL)
			return NL_ENOMEM;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		scn_err(errs, NULL, "cannot open: %s", strerror(errno));
		return NL_EIO;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			if (cap >= SCN_FILE_MAX) {
				scn_err(errs, NULL, "file is larger than %u "
				    "MiB; a scenario is a small JSON file",
				    SCN_FILE_MAX >> 20);
				st = NL_EMALFORMED;
				goto done;
			}
			cap = cap ? cap * 2 : 16384;
			/* One byte more than the cap so a file of exactly
			 * SCN_FILE_MAX + 1 bytes is seen as too large. */
			nb = nl_realloc(bytes, cap + 1);
			if (nb == NULL) {
				st = NL_ENOMEM;
				goto done;
			}
			bytes = nb;
		}
		got = fread(bytes + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		scn_err(errs, NULL, "cannot read: %s", strerror(errno));
		st = NL_EIO;
		goto done;
	}
	st = scn_load_buffer(path, bytes != NULL ? bytes : "", len, out,
	    errs);
done:
	fclose(f);
	nl_free(bytes);
	return st;
}
