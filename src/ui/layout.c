/* layout.c - where the viewer puts each node: the scenario's hints when
 * every node has one, else an automatic layout in the spirit of the
 * textbook figures. The DNS hierarchy is a tree of rows with the root on
 * top, the TLD servers under it and the authoritative servers under
 * those; every other node (hosts, user agents, mail servers, local DNS
 * servers, routers) goes into columns by hop count from the first user
 * agent or host, so mail flows left to right with the routers between. */
#include <string.h>

#include "ui/model.h"
#include "util/alloc.h"

enum ui_node_class
ui_node_class_of(const char *kind)
{
	static const struct {
		const char *kind;
		enum ui_node_class cls;
	} map[] = {
		{"host", UI_NC_HOST},
		{"router", UI_NC_ROUTER},
		{"user-agent", UI_NC_USER},
		{"mail-server", UI_NC_MAIL},
		{"browser", UI_NC_USER},	/* a user agent for the Web */
		{"webmail", UI_NC_MAIL},	/* a mail server's Web face */
		{"dns-root", UI_NC_DNS_ROOT},
		{"dns-tld", UI_NC_DNS_TLD},
		{"dns-authoritative", UI_NC_DNS_AUTH},
		{"dns-local", UI_NC_DNS_LOCAL},
	};
	size_t i;

	if (kind == NULL)
		return UI_NC_HOST;
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(kind, map[i].kind) == 0)
			return map[i].cls;
	return UI_NC_HOST;
}

/* The row of the DNS hierarchy a class sits in, -1 for the ground. */
static int
tier_of(enum ui_node_class c)
{
	switch (c) {
	case UI_NC_DNS_ROOT:
		return 0;
	case UI_NC_DNS_TLD:
		return 1;
	case UI_NC_DNS_AUTH:
		return 2;
	case UI_NC_HOST:
	case UI_NC_ROUTER:
	case UI_NC_USER:
	case UI_NC_MAIL:
	case UI_NC_DNS_LOCAL:
	case UI_NC_COUNT_:
		break;
	}
	return -1;
}

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Where to start the left-to-right walk: the first user agent, else the
 * first host, else the first ground node not yet placed. */
static size_t
pick_start(const struct ui_node_info *nodes, const long *dist, size_t n)
{
	static const enum ui_node_class pref[] = {UI_NC_USER, UI_NC_HOST,
	    UI_NC_MAIL, UI_NC_DNS_LOCAL};
	size_t p, i;

	for (p = 0; p < sizeof pref / sizeof pref[0]; p++)
		for (i = 0; i < n; i++)
			if (dist[i] == -1 && nodes[i].cls == pref[p])
				return i;
	for (i = 0; i < n; i++)
		if (dist[i] == -1)
			return i;
	return n;
}

/* Breadth-first hop counts over the ground nodes (dist -2 marks the
 * hierarchy, -1 not reached yet); each component starts one column
 * after the last. Returns the number of columns. */
static long
columns(const struct trace *t, const struct ui_node_info *nodes, long *dist,
    size_t *queue, size_t n)
{
	size_t nl = trace_link_count(t), head, tail, s, l;
	long base = 0, maxd = -1;

	while ((s = pick_start(nodes, dist, n)) < n) {
		head = tail = 0;
		dist[s] = base;
		queue[tail++] = s;
		while (head < tail) {
			size_t u = queue[head++];

			if (dist[u] > maxd)
				maxd = dist[u];
			for (l = 0; l < nl; l++) {
				const struct trace_link *lk =
				    trace_link(t, (int32_t)l);
				int32_t v;

				if (lk->a == (int32_t)u)
					v = lk->b;
				else if (lk->b == (int32_t)u)
					v = lk->a;
				else
					continue;
				if (v < 0 || (size_t)v >= n || dist[v] != -1)
					continue;
				dist[v] = dist[u] + 1;
				queue[tail++] = (size_t)v;
			}
		}
		base = maxd + 1;
	}
	return maxd + 1;
}

/* The mean x of the already placed neighbours of node u, or `dflt`. */
static double
neighbour_x(const struct trace *t, const struct ui_node_info *nodes,
    const int *placed, size_t u, double dflt)
{
	size_t nl = trace_link_count(t), l, cnt = 0;
	double sum = 0;

	for (l = 0; l < nl; l++) {
		const struct trace_link *lk = trace_link(t, (int32_t)l);
		int32_t v = lk->a == (int32_t)u ? lk->b :
		    lk->b == (int32_t)u ? lk->a : -1;

		if (v >= 0 && placed[v]) {
			sum += nodes[v].x;
			cnt++;
		}
	}
	return cnt ? sum / (double)cnt : dflt;
}

/* Spreads the nodes of one hierarchy row across the width, ordered by
 * where their neighbours are (ties by id), so links cross less. */
static void
place_row(const struct trace *t, struct ui_node_info *nodes, int *placed,
    size_t *ids, double *key, size_t n, int tier, double y)
{
	size_t k = 0, i, j;

	for (i = 0; i < n; i++)
		if (tier_of(nodes[i].cls) == tier) {
			ids[k] = i;
			key[k] = neighbour_x(t, nodes, placed, i,
			    0.5 + (double)i * 1e-6);
			k++;
		}
	/* insertion sort: stable, k is small */
	for (i = 1; i < k; i++)
		for (j = i; j > 0 && key[j - 1] > key[j]; j--) {
			double tk = key[j];
			size_t ti = ids[j];

			key[j] = key[j - 1];
			ids[j] = ids[j - 1];
			key[j - 1] = tk;
			ids[j - 1] = ti;
		}
	for (i = 0; i < k; i++) {
		nodes[ids[i]].x = k == 1 ? 0.5 :
		    0.12 + 0.76 * (double)i / (double)(k - 1);
		nodes[ids[i]].y = y;
		placed[ids[i]] = 1;
	}
}

enum nl_status
ui_layout(const struct trace *t, const struct ui_hint *hints, size_t nhints,
    struct ui_node_info *nodes)
{
	size_t n = trace_node_count(t), i;
	int all_hinted = n > 0 && hints != NULL && nhints >= n;
	long *dist = NULL, ncols, c;
	size_t *queue = NULL, *ids = NULL;
	double *key = NULL;
	int *placed = NULL, tiers[3] = {0, 0, 0}, ntiers = 0, has_ground = 0;
	enum nl_status st = NL_ENOMEM;

	for (i = 0; i < n; i++) {
		const struct trace_node *tn = trace_node(t, (int32_t)i);
		enum ui_node_class cls = ui_node_class_of(tn->kind);
		int tier = tier_of(cls);

		nodes[i].cls = (uint8_t)cls;
		nodes[i].x = nodes[i].y = 0.5;
		if (tier >= 0)
			tiers[tier] = 1;
		else
			has_ground = 1;
		if (hints == NULL || i >= nhints || !hints[i].set)
			all_hinted = 0;
	}
	if (all_hinted) {
		/* scale the hints' bounding box up to the canvas, each axis
		 * on its own, but a narrow band (a row of nodes) no more
		 * than twice: it stays a band, centred */
		double x0 = 1, x1 = 0, y0 = 1, y1 = 0, fx, fy;

		for (i = 0; i < n; i++) {
			double x = clamp01(hints[i].x), y = clamp01(hints[i].y);

			x0 = x < x0 ? x : x0;
			x1 = x > x1 ? x : x1;
			y0 = y < y0 ? y : y0;
			y1 = y > y1 ? y : y1;
		}
		fx = 1 / (x1 - x0 > 0.5 ? x1 - x0 : 0.5);
		fy = 1 / (y1 - y0 > 0.5 ? y1 - y0 : 0.5);
		for (i = 0; i < n; i++) {
			nodes[i].x = 0.5 + (clamp01(hints[i].x) - (x0 + x1) / 2) *
			    fx;
			nodes[i].y = 0.5 + (clamp01(hints[i].y) - (y0 + y1) / 2) *
			    fy;
		}
		return NL_OK;
	}
	dist = nl_alloc((n ? n : 1) * sizeof *dist);
	queue = nl_alloc((n ? n : 1) * sizeof *queue);
	ids = nl_alloc((n ? n : 1) * sizeof *ids);
	key = nl_alloc((n ? n : 1) * sizeof *key);
	placed = nl_calloc(n ? n : 1, sizeof *placed);
	if (dist == NULL || queue == NULL || ids == NULL || key == NULL ||
	    placed == NULL)
		goto done;
	ntiers = tiers[0] + tiers[1] + tiers[2];

	/* The ground: columns by hops, each column's nodes stacked. */
	for (i = 0; i < n; i++)
		dist[i] = tier_of(nodes[i].cls) >= 0 ? -2 : -1;
	ncols = columns(t, nodes, dist, queue, n);
	for (c = 0; c < ncols; c++) {
		size_t k = 0, j = 0;
		double top = ntiers ? 0.66 : 0.25, bot = ntiers ? 0.92 : 0.75;

		for (i = 0; i < n; i++)
			k += dist[i] == c;
		for (i = 0; i < n; i++) {
			if (dist[i] != c)
				continue;
			nodes[i].x = ncols == 1 ? 0.5 :
			    0.08 + 0.84 * (double)c / (double)(ncols - 1);
			nodes[i].y = k == 1 ? (ntiers ? 0.8 : 0.5) :
			    top + (bot - top) * (double)j / (double)(k - 1);
			placed[i] = 1;
			j++;
		}
	}

	/* The hierarchy: root, TLD, authoritative rows from the top; with
	 * no ground below they use the whole height. */
	{
		double y = has_ground ? 0.08 : 0.15;
		double step = has_ground ? 0.2 : (ntiers > 1 ?
		    0.7 / (double)(ntiers - 1) : 0);
		int tier;

		if (!has_ground && ntiers == 1)
			y = 0.5;
		for (tier = 0; tier < 3; tier++) {
			if (!tiers[tier])
				continue;
			place_row(t, nodes, placed, ids, key, n, tier, y);
			y += step;
		}
	}
	st = NL_OK;
done:
	nl_free(dist);
	nl_free(queue);
	nl_free(ids);
	nl_free(key);
	nl_free(placed);
	return st;
}
