/* browser.c - the browser node: a user agent that pulls pages over
 * HTTP/1.1 (RFC 9110, 9112) with the client session of proto/http. On
 * the timeline it opens a URL (GET), follows a link of the page it shows
 * (GET) or submits the page's form (POST, application/x-www-form-
 * urlencoded, as HTML 4.01 17.13.4 says); it follows redirects, keeps
 * cookies per host (RFC 6265, name=value only) and keeps one persistent
 * connection per server until that server or "Connection: close" ends
 * it.
 *
 * Each request goes into the trace once, at the browser, as "C: ..."
 * lines; the server reports its responses. Each page received is a
 * TRACE_STATE event (TRACE_F_SHOW) whose data is the page as text. A URL's
 * host is a node of the scenario (or a dotted quad): browsing here has
 * no DNS step, the DNS scenarios show that part. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes/node_int.h"
#include "nodes/web_node.h"
#include "proto/http/http.h"
#include "proto/ip/ipv4.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define BR_PAGE_MAX (1u << 20)	/* a page body */
#define BR_TEXT_MAX (64u << 10)	/* a page as text */
#define BR_REDIRECTS 5		/* in a row (RFC 9110 15.4: a client
				 * should detect loops) */
#define BR_HOST_MAX 128
#define BR_TARGET_MAX 1024
#define BR_COOKIES 8
#define BR_COOKIE_MAX 256
#define BR_FIELDS_MAX 32
#define BR_VALUE_MAX 4096

/* A timeline action waiting for the pages before it. */
struct br_act {
	struct br_act *next;	/* the one after it */
	enum node_browse_op op;	/* open, click or submit */
	char *arg;		/* the URL or link text, owned */
	char **names;		/* submit: field names, owned */
	char **values;		/* and values, owned */
	size_t n;		/* fields */
};

struct br_cookie {
	char host[BR_HOST_MAX];		/* "" when the slot is free */
	char pair[BR_COOKIE_MAX];	/* "sid=..." */
};

struct browser {
	struct node_client base;	/* first: the nodes list, while a
					 * connection is open */
	struct nodes *ns;		/* not owned */
	int32_t node;			/* the browser's node */
	struct br_act *head, *tail;	/* actions waiting */
	int busy;			/* a page is on its way */
	int linked;			/* base is in the clients list */
	/* The connection. */
	struct net_tcp *c;		/* NULL when none */
	struct http_cli *cli;		/* its session */
	struct nl_dbuf out;		/* the session's output */
	int32_t peer;			/* the server node */
	uint32_t caddr;			/* the server's address */
	uint16_t cport;			/* and port */
	/* The request in progress. */
	char method[8];			/* "GET" or "POST" */
	char host[BR_HOST_MAX];		/* Host field */
	uint32_t addr;			/* the host's address */
	uint16_t port;			/* its port */
	char target[BR_TARGET_MAX];	/* "/inbox" */
	struct nl_dbuf form;		/* a POST body */
	int redirects;			/* followed in a row */
	/* What came back, kept until the feed returns. */
	int got;			/* a response arrived */
	int status;			/* its status code */
	char location[BR_TARGET_MAX];	/* its Location, or "" */
	/* The page shown. */
	char url[BR_TARGET_MAX + BR_HOST_MAX + 16];	/* its URL */
	char page_host[BR_HOST_MAX];	/* its server, for "/path" URLs */
	uint16_t page_port;		/* and port */
	struct nl_dbuf page;		/* its HTML */
	struct br_cookie jar[BR_COOKIES];	/* cookies by host */
};

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

const char *
node_browse_op_str(enum node_browse_op op)
{
	switch (op) {
	case NODE_BROWSE_OPEN:
		return "open";
	case NODE_BROWSE_CLICK:
		return "click";
	case NODE_BROWSE_SUBMIT:
		return "submit";
	}
	return "?";
}

/* ---- Tracing HTTP messages (webmail.c uses it too) ---- */

void
node_http_trace(struct net *n, int32_t node, int32_t peer, uint16_t flags,
    int64_t conn, const uint8_t *msg, size_t len, const char *prefix)
{
	size_t head = 0, off;
	const char *type = "";
	char summary[160], ctype[64];
	size_t i;

	for (i = 0; i + 3 < len; i++)
		if (memcmp(msg + i, "\r\n\r\n", 4) == 0) {
			head = i + 4;
			break;
		}
	if (head == 0)
		head = len;
	node_app_lines(n, node, peer, TRACE_P_HTTP, flags, conn, msg, head,
	    prefix);
	/* The body's type, from the head. */
	for (i = 0; i + 15 < head; i++)
		if ((msg[i] == '\n') && strncmp((const char *)msg + i + 1,
		    "Content-Type: ", 14) == 0) {
			size_t k = 0, j = i + 15;

			while (j < head && msg[j] != '\r' && msg[j] != ';' &&
			    k + 1 < sizeof ctype)
				ctype[k++] = (char)msg[j++];
			ctype[k] = '\0';
			type = ctype;
			break;
		}
	for (off = head; off < len; off += 4096) {
		size_t k = NL_MIN(len - off, (size_t)4096);

		if (off == head)
			snprintf(summary, sizeof summary, "%s(body, %zu bytes"
			    "%s%s)", prefix, len - head, type[0] ? ", " : "",
			    type);
		else
			snprintf(summary, sizeof summary, "%s(body, bytes %zu"
			    "-%zu)", prefix, off - head, off - head + k - 1);
		node_event(n, TRACE_APP, node, peer, TRACE_P_HTTP, flags, conn,
		    msg + off, k, summary);
	}
}

/* ---- HTML, just enough to read the pages of webmail.c ---- */

static int
lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The end of the tag that starts at p[0] == '<' (past its '>'). */
static size_t
tag_end(const char *p, size_t n)
{
	size_t i = 1;
	char q = 0;

	for (; i < n; i++) {
		if (q != 0) {
			if (p[i] == q)
				q = 0;
		} else if (p[i] == '"' || p[i] == '\'') {
			q = p[i];
		} else if (p[i] == '>') {
			return i + 1;
		}
	}
	return n;
}

/* The tag's name, lower case, with '/' kept for an end tag. */
static void
tag_name(const char *p, size_t n, char *out, size_t size)
{
	size_t i = 1, k = 0;

	while (i < n && (p[i] == '/' || (p[i] >= 'a' && p[i] <= 'z') ||
	    (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')) &&
	    k + 1 < size)
		out[k++] = (char)lc((unsigned char)p[i++]);
	out[k] = '\0';
}

/* Decodes the few character references the pages use. */
static size_t
entity(const char *p, size_t n, char *out)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = { { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
	    { "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' } };
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(ents); i++) {
		size_t l = strlen(ents[i].name);

		if (l <= n && memcmp(p, ents[i].name, l) == 0) {
			*out = ents[i].c;
			return l;
		}
	}
	*out = '&';
	return 1;
}

/* The value of attribute `name` of a tag into out; 0 if absent. */
static int
tag_attr(const char *p, size_t n, const char *name, char *out, size_t size)
{
	size_t i = 1, nl = strlen(name), k = 0;

	while (i < n && p[i] != ' ' && p[i] != '>')
		i++;
	while (i < n) {
		size_t s, j;
		char q = 0;

		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n'))
			i++;
		s = i;
		while (i < n && p[i] != '=' && p[i] != ' ' && p[i] != '>')
			i++;
		if (i >= n || p[i] == '>')
			return 0;
		if (p[i] != '=')
			continue;
		j = i + 1;
		if (j < n && (p[j] == '"' || p[j] == '\''))
			q = p[j++];
		if (i - s == nl) {
			size_t m;

			for (m = 0; m < nl && lc((unsigned char)p[s + m]) ==
			    name[m]; m++)
				;
			if (m == nl) {
				while (j < n && (q ? p[j] != q : (p[j] != ' ' &&
				    p[j] != '>')) && k + 1 < size) {
					char c = p[j];

					j += p[j] == '&' ? entity(p + j, n - j,
					    &c) : 1;
					out[k++] = c;
				}
				out[k] = '\0';
				return 1;
			}
		}
		while (j < n && (q ? p[j] != q : (p[j] != ' ' && p[j] != '>')))
			j++;
		i = j + (q != 0);
	}
	return 0;
}

/* Appends c to the text: outside <pre>, white space collapses to one
 * space. */
static void
text_put(struct nl_dbuf *t, char c, int pre)
{
	char last = t->len > 0 ? (char)t->data[t->len - 1] : '\n';

	if (c == '\r')
		return;
	if (!pre && (c == '\n' || c == '\t'))
		c = ' ';
	if (!pre && c == ' ' && (last == ' ' || last == '\n'))
		return;
	(void)nl_dbuf_add_u8(t, (uint8_t)c);
}

/* Ends the line (a block element): no trailing space, no more than one
 * empty line in a row. */
static void
text_nl(struct nl_dbuf *t)
{
	while (t->len > 0 && t->data[t->len - 1] == ' ')
		t->len--;
	if (t->len == 0 || (t->len > 1 && t->data[t->len - 1] == '\n' &&
	    t->data[t->len - 2] == '\n'))
		return;
	(void)nl_dbuf_add_u8(t, '\n');
}

static void
text_puts(struct nl_dbuf *t, const char *s)
{
	while (*s != '\0')
		(void)nl_dbuf_add_u8(t, (uint8_t)*s++);
}

static int
is_block(const char *name)
{
	static const char *const blocks[] = { "p", "/p", "br", "div", "/div",
	    "h1", "/h1", "h2", "/h2", "li", "tr", "form", "/form",
	    "pre", "/pre", "hr", "/ul", "/table", "/title", "dt", "dd" };
	size_t i;

	for (i = 0; i < NL_ARRAY_LEN(blocks); i++)
		if (strcmp(name, blocks[i]) == 0)
			return 1;
	return 0;
}

/* The page as text: block tags end lines, a link reads [text], a form
 * field "name: [value]", a button [ label ]. */
static void
html_text(const char *p, size_t n, struct nl_dbuf *t)
{
	size_t i = 0;
	int pre = 0, skip = 0;
	char name[16], v[256];

	while (i < n) {
		if (p[i] == '<') {
			size_t e = tag_end(p + i, n - i);

			tag_name(p + i, e, name, sizeof name);
			if (strcmp(name, "pre") == 0)
				pre = 1;
			else if (strcmp(name, "/pre") == 0)
				pre = 0;
			/* The title is in the summary; the page's <h1>
			 * says it again. */
			if (strcmp(name, "style") == 0 ||
			    strcmp(name, "script") == 0 ||
			    strcmp(name, "title") == 0)
				skip = 1;
			else if (strcmp(name, "/style") == 0 ||
			    strcmp(name, "/script") == 0 ||
			    strcmp(name, "/title") == 0)
				skip = 0;
			if (is_block(name))
				text_nl(t);
			if (strcmp(name, "a") == 0)
				text_puts(t, "[");
			else if (strcmp(name, "/a") == 0)
				text_puts(t, "]");
			else if ((strcmp(name, "td") == 0 ||
			    strcmp(name, "th") == 0) && t->len > 0 &&
			    t->data[t->len - 1] != '\n')
				text_puts(t, " | ");
			else if (strcmp(name, "textarea") == 0)
				text_puts(t, "[");
			else if (strcmp(name, "/textarea") == 0) {
				text_puts(t, "]");
			} else if (strcmp(name, "input") == 0) {
				char type[16] = "text";

				(void)tag_attr(p + i, e, "type", type,
				    sizeof type);
				if (strcmp(type, "submit") == 0) {
					text_puts(t, "[ ");
					if (tag_attr(p + i, e, "value", v,
					    sizeof v))
						text_puts(t, v);
					text_puts(t, " ]");
				} else if (strcmp(type, "hidden") != 0) {
					/* A field: its value, a password's
					 * hidden. */
					text_puts(t, "[");
					if (tag_attr(p + i, e, "value", v,
					    sizeof v))
						text_puts(t, strcmp(type,
						    "password") == 0 && v[0] ?
						    "****" : v);
					text_puts(t, "____]");
				}
			}
			i += e;
			continue;
		}
		if (!skip) {
			char c = p[i];
			size_t k = p[i] == '&' ? entity(p + i, n - i, &c) : 1;

			text_put(t, c, pre);
			i += k;
		} else {
			i++;
		}
	}
	while (t->len > 0 && (t->data[t->len - 1] == '\n' ||
	    t->data[t->len - 1] == ' '))
		t->len--;
	(void)nl_dbuf_add(t, "", 1);
	if (t->len > 0)
		t->len--;
}

/* The href of the link whose text is `want`, into out; 0 if none. */
static int
find_link(const char *p, size_t n, const char *want, char *out, size_t size)
{
	size_t i = 0;
	char name[16];

	while (i < n) {
		size_t e, s;
		char text[256];
		size_t k = 0;

		if (p[i] != '<') {
			i++;
			continue;
		}
		e = tag_end(p + i, n - i);
		tag_name(p + i, e, name, sizeof name);
		if (strcmp(name, "a") != 0 || !tag_attr(p + i, e, "href", out,
		    size)) {
			i += e;
			continue;
		}
		/* The link's text, tags left out, entities decoded. */
		for (s = i + e; s < n && k + 1 < sizeof text; ) {
			if (p[s] == '<') {
				size_t te = tag_end(p + s, n - s);

				tag_name(p + s, te, name, sizeof name);
				if (strcmp(name, "/a") == 0)
					break;
				s += te;
				continue;
			}
			if (p[s] == '&')
				s += entity(p + s, n - s, &text[k++]);
			else
				text[k++] = p[s++];
		}
		text[k] = '\0';
		if (strcmp(text, want) == 0)
			return 1;
		i = s;
	}
	return 0;
}

/* The first form of the page: its action and method, and its fields
 * with their initial values (document order). */
struct br_form {
	char action[BR_TARGET_MAX];	/* where it goes; "" the page */
	int post;			/* method="post" */
	char name[BR_FIELDS_MAX][64];	/* field names */
	char value[BR_FIELDS_MAX][BR_VALUE_MAX];	/* and values */
	size_t n;			/* fields */
};

static int
find_form(const char *p, size_t n, struct br_form *f)
{
	size_t i = 0;
	int in = 0;
	char name[16], type[16], m[8];

	memset(f, 0, sizeof *f);
	while (i < n) {
		size_t e;

		if (p[i] != '<') {
			i++;
			continue;
		}
		e = tag_end(p + i, n - i);
		tag_name(p + i, e, name, sizeof name);
		if (!in && strcmp(name, "form") == 0) {
			in = 1;
			(void)tag_attr(p + i, e, "action", f->action,
			    sizeof f->action);
			f->post = tag_attr(p + i, e, "method", m, sizeof m) &&
			    lc((unsigned char)m[0]) == 'p';
		} else if (in && strcmp(name, "/form") == 0) {
			return 1;
		} else if (in && f->n < BR_FIELDS_MAX &&
		    (strcmp(name, "input") == 0 ||
		    strcmp(name, "textarea") == 0) &&
		    tag_attr(p + i, e, "name", f->name[f->n],
		    sizeof f->name[f->n])) {
			strcpy(type, "text");
			(void)tag_attr(p + i, e, "type", type, sizeof type);
			if (strcmp(type, "submit") == 0) {
				i += e;
				continue;
			}
			(void)tag_attr(p + i, e, "value", f->value[f->n],
			    sizeof f->value[f->n]);
			f->n++;
		}
		i += e;
	}
	return in;
}

/* ---- URLs ---- */

/* "http://host[:port]/path" or "/path" (on the page's server). */
static int
url_parse(struct browser *b, const char *url, char *host, uint16_t *port,
    char *target)
{
	const char *p = url, *slash, *colon;
	size_t hl;

	if (strncmp(url, "http://", 7) == 0) {
		p = url + 7;
		slash = strchr(p, '/');
		hl = slash != NULL ? (size_t)(slash - p) : strlen(p);
		colon = memchr(p, ':', hl);
		*port = NODE_HTTP_PORT;
		if (colon != NULL) {
			unsigned long v = strtoul(colon + 1, NULL, 10);

			if (v == 0 || v > 65535)
				return 0;
			*port = (uint16_t)v;
			hl = (size_t)(colon - p);
		}
		if (hl == 0 || hl >= BR_HOST_MAX)
			return 0;
		memcpy(host, p, hl);
		host[hl] = '\0';
		p = slash != NULL ? slash : "/";
	} else if (url[0] == '/' && b->page_host[0] != '\0') {
		strcpy(host, b->page_host);
		*port = b->page_port;
	} else {
		return 0;
	}
	if (strlen(p) >= BR_TARGET_MAX)
		return 0;
	strcpy(target, p);
	return 1;
}

/* ---- The browser ---- */

static void
br_note(struct browser *b, const char *what)
{
	char text[400];

	snprintf(text, sizeof text, "%s: %s", net_node_name(b->ns->net,
	    b->node), what);
	nodes_note(b->ns->net, b->node, text);
}

static void
act_free(struct br_act *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		nl_free(a->names[i]);
		nl_free(a->values[i]);
	}
	nl_free(a->names);
	nl_free(a->values);
	nl_free(a->arg);
	nl_free(a);
}

/* How conn_drop leaves the connection. */
enum br_drop {
	BR_CLOSE,	/* a FIN, as when a page is done with it */
	BR_ABORT,	/* a RST: a crash or a bad response */
	BR_FORGET	/* nothing sent: the world is being freed */
};

/* Forgets the connection (after its close, or to drop it). */
static void
conn_drop(struct browser *b, enum br_drop how)
{
	struct net_tcp *c = b->c;

	b->c = NULL;
	http_cli_free(b->cli);
	b->cli = NULL;
	nl_dbuf_reset(&b->out);
	if (c != NULL) {
		net_tcp_set_cbs(c, &no_cbs, NULL);
		if (how == BR_ABORT)
			net_tcp_abort(c);
		else if (how == BR_CLOSE)
			(void)net_tcp_close(c);
	}
	if (b->linked) {
		node_client_unlink(b->ns, &b->base);
		b->linked = 0;
	}
}

static void
br_flush(struct browser *b)
{
	if (b->c != NULL && b->out.len > 0) {
		(void)net_tcp_send(b->c, b->out.data, b->out.len);
		nl_dbuf_reset(&b->out);
	}
}

static void br_next(struct browser *b);

/* The request failed before a response: the action is over. */
static void
br_failed(struct browser *b, const char *why)
{
	char text[512];

	snprintf(text, sizeof text, "page %s%.200s not loaded: %.200s",
	    b->method[0] == 'P' ? "POST " : "", b->target, why);
	br_note(b, text);
	b->busy = 0;
	br_next(b);
}

/* The cookies for the request's host, "a=b; c=d", into out. */
static void
cookie_header(const struct browser *b, char *out, size_t size)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < BR_COOKIES; i++)
		if (b->jar[i].host[0] != '\0' && strcmp(b->jar[i].host,
		    b->host) == 0 && o < size)
			o += (size_t)snprintf(out + o, size - o, "%s%s",
			    o == 0 ? "Cookie: " : "; ", b->jar[i].pair);
}

/* Set-Cookie: name=value[; attributes] (RFC 6265 4.1): kept per host;
 * an empty value or Max-Age=0 removes the cookie. */
static void
cookie_set(struct browser *b, const char *v)
{
	char pair[BR_COOKIE_MAX];
	size_t l = strcspn(v, ";"), nl, i, freei = BR_COOKIES;
	const char *eq = memchr(v, '=', l);
	int remove;

	if (eq == NULL || eq == v || l >= sizeof pair)
		return;
	memcpy(pair, v, l);
	pair[l] = '\0';
	nl = (size_t)(eq - v) + 1;
	remove = l == nl || strstr(v, "Max-Age=0") != NULL;
	for (i = 0; i < BR_COOKIES; i++) {
		if (b->jar[i].host[0] == '\0') {
			if (freei == BR_COOKIES)
				freei = i;
			continue;
		}
		if (strcmp(b->jar[i].host, b->host) == 0 &&
		    strncmp(b->jar[i].pair, pair, nl) == 0)
			break;
	}
	if (i == BR_COOKIES)
		i = freei;
	if (i == BR_COOKIES)
		return;
	if (remove) {
		b->jar[i].host[0] = '\0';
		return;
	}
	snprintf(b->jar[i].host, sizeof b->jar[i].host, "%s", b->host);
	snprintf(b->jar[i].pair, sizeof b->jar[i].pair, "%s", pair);
}

/* Writes the request on the open connection. */
static void
br_send(struct browser *b)
{
	struct http_out o;
	char cookie[BR_COOKIE_MAX * 2];
	const char *extra[1];
	size_t mark = b->out.len;
	enum nl_status st;

	memset(&o, 0, sizeof o);
	o.method = b->method;
	o.target = b->target;
	o.host = b->host;
	cookie_header(b, cookie, sizeof cookie);
	if (cookie[0] != '\0') {
		extra[0] = cookie;
		o.extra = extra;
		o.nextra = 1;
	}
	if (strcmp(b->method, "POST") == 0) {
		o.content_type = "application/x-www-form-urlencoded";
		o.body = b->form.data;
		o.body_len = b->form.len;
	}
	st = http_cli_request(b->cli, &o);
	if (st != NL_OK) {
		br_failed(b, nl_status_str(st));
		return;
	}
	node_http_trace(b->ns->net, b->node, b->peer, TRACE_F_TO_SERVER,
	    net_tcp_id(b->c), b->out.data + mark, b->out.len - mark, "C: ");
	br_flush(b);
}

static void
on_response(void *arg, const struct http_msg *m)
{
	struct browser *b = arg;
	const char *loc = http_msg_field(m, "location");
	size_t i;

	b->got = 1;
	b->status = m->status;
	snprintf(b->location, sizeof b->location, "%s", loc != NULL ? loc :
	    "");
	for (i = 0; i < m->nfields; i++)
		if (strlen(m->fields[i].name) == 10 &&
		    (m->fields[i].name[0] | 32) == 's' &&
		    strncmp(m->fields[i].name + 1, "et-", 3) == 0 &&
		    ((m->fields[i].name[4] | 32) == 'c'))
			cookie_set(b, m->fields[i].value);
	nl_dbuf_reset(&b->page);
	if (m->body_len > 0 && nl_dbuf_add(&b->page, m->body, m->body_len) !=
	    NL_OK)
		nl_dbuf_init(&b->page, BR_PAGE_MAX);
}

static void br_request(struct browser *b);

/* A response arrived (b->got): follow a redirect, or show the page. */
static void
br_after(struct browser *b)
{
	struct nl_dbuf text;
	char title[128], summary[400];
	size_t l;
	const char *t0, *t1;

	b->got = 0;
	if (b->status / 100 == 3 && b->location[0] != '\0') {
		char host[BR_HOST_MAX], target[BR_TARGET_MAX];
		uint16_t port;

		if (++b->redirects > BR_REDIRECTS) {
			br_failed(b, "too many redirects");
			return;
		}
		/* A 303 (and, as browsers do, 301 and 302) turns the
		 * request into a GET (RFC 9110 15.4.4). */
		b->page_port = b->port;
		snprintf(b->page_host, sizeof b->page_host, "%s", b->host);
		if (!url_parse(b, b->location, host, &port, target)) {
			br_failed(b, "a redirect to a URL it cannot follow");
			return;
		}
		snprintf(b->host, sizeof b->host, "%s", host);
		b->port = port;
		snprintf(b->target, sizeof b->target, "%s", target);
		if (b->status != 307 && b->status != 308) {
			strcpy(b->method, "GET");
			nl_dbuf_reset(&b->form);
		}
		br_request(b);
		return;
	}
	snprintf(b->page_host, sizeof b->page_host, "%s", b->host);
	b->page_port = b->port;
	if (b->port == NODE_HTTP_PORT)
		snprintf(b->url, sizeof b->url, "http://%s%s", b->host,
		    b->target);
	else
		snprintf(b->url, sizeof b->url, "http://%s:%u%s", b->host,
		    (unsigned)b->port, b->target);
	/* The page's title, for the summary. */
	title[0] = '\0';
	(void)nl_dbuf_add(&b->page, "", 1);
	if (b->page.data != NULL) {
		b->page.len--;
		t0 = strstr((const char *)b->page.data, "<title>");
		t1 = t0 != NULL ? strstr(t0, "</title>") : NULL;
		if (t1 != NULL) {
			size_t k = 0, n = (size_t)(t1 - t0 - 7);

			t0 += 7;
			for (l = 0; l < n && k + 1 < sizeof title; k++) {
				if (t0[l] == '&') {
					l += entity(t0 + l, n - l, &title[k]);
				} else {
					title[k] = t0[l];
					l++;
				}
			}
			title[k] = '\0';
		}
	}
	nl_dbuf_init(&text, BR_TEXT_MAX);
	if (b->page.data != NULL)
		html_text((const char *)b->page.data, b->page.len, &text);
	snprintf(summary, sizeof summary, "%s shows %.200s: %d %s%s%s%s",
	    net_node_name(b->ns->net, b->node), b->url, b->status,
	    http_reason(b->status), title[0] ? " \"" : "", title,
	    title[0] ? "\"" : "");
	node_event(b->ns->net, TRACE_STATE, b->node, -1, TRACE_P_HTTP,
	    TRACE_F_SHOW, -1, text.data, text.len, summary);
	nl_dbuf_free(&text);
	b->busy = 0;
	br_next(b);
}

static void
br_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct browser *b = ctx;
	enum nl_status st;

	NL_UNUSED(c);
	if (b->cli == NULL)
		return;
	st = http_cli_feed(b->cli, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		char why[160];

		snprintf(why, sizeof why, "bad response: %s",
		    http_cli_why(b->cli));
		conn_drop(b, BR_ABORT);
		br_failed(b, why);
		return;
	}
	if (st == NL_ECLOSED)
		conn_drop(b, BR_CLOSE);
	if (b->got)
		br_after(b);
}

static void
br_peer_fin(struct net_tcp *c, void *ctx)
{
	struct browser *b = ctx;

	NL_UNUSED(c);
	/* A response read until the close ends here. */
	if (b->cli != NULL && http_cli_state(b->cli) == HTTP_CLI_WAITING &&
	    http_cli_close(b->cli) == NL_OK && b->got) {
		conn_drop(b, BR_CLOSE);
		br_after(b);
		return;
	}
	conn_drop(b, BR_CLOSE);
	if (b->busy)
		br_failed(b, "the server closed the connection");
}

static void
br_connect(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct browser *b = ctx;
	struct http_cli_config cfg;

	NL_UNUSED(c);
	if (st != NL_OK)
		return;		/* on_close follows */
	memset(&cfg, 0, sizeof cfg);
	cfg.body_max = BR_PAGE_MAX;
	cfg.response = on_response;
	cfg.arg = b;
	b->cli = http_cli_new(&cfg, &b->out);
	if (b->cli == NULL) {
		conn_drop(b, BR_ABORT);
		br_failed(b, "out of memory");
		return;
	}
	br_send(b);
}

static const char *
why_str(enum nl_status st)
{
	switch (st) {
	case NL_ECONNREFUSED:
		return "connection refused (no web server listens there)";
	case NL_ETIMEDOUT:
		return "timed out";
	case NL_ENOROUTE:
		return "no route to the server";
	default:
		return "connection lost";
	}
}

static void
br_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct browser *b = ctx;

	NL_UNUSED(c);
	b->c = NULL;
	conn_drop(b, BR_CLOSE);
	if (b->busy)
		br_failed(b, why_str(why == NL_OK ? NL_ECONNRESET : why));
}

static const struct net_tcp_cbs br_cbs = {
	br_connect, br_recv, br_peer_fin, br_close,
};

/* The node went down or the world is freed: drop the connection. */
static void
br_stop(struct node_client *cl, int crash)
{
	struct browser *b = (struct browser *)cl;

	conn_drop(b, crash ? BR_ABORT : BR_FORGET);
	b->busy = 0;
}

/* Sends b's request: on the open connection when it goes to the same
 * server and is idle (a persistent connection), else on a new one. */
static void
br_request(struct browser *b)
{
	struct net *n = b->ns->net;
	int32_t id;
	enum nl_status st;

	b->busy = 1;
	if (ipv4_addr_parse(b->host, &b->addr) != NL_OK) {
		id = net_node_find(n, b->host);
		b->addr = id >= 0 ? net_node_addr(n, id) : 0;
	}
	if (b->addr == 0) {
		br_failed(b, "no such host in this network");
		return;
	}
	if (b->c != NULL && b->caddr == b->addr && b->cport == b->port &&
	    b->cli != NULL && http_cli_state(b->cli) == HTTP_CLI_IDLE) {
		br_send(b);
		return;
	}
	conn_drop(b, BR_CLOSE);
	b->caddr = b->addr;
	b->cport = b->port;
	b->peer = net_node_by_addr(n, b->addr);
	st = net_tcp_connect(n, b->node, b->addr, b->port, &br_cbs, b, &b->c);
	if (st != NL_OK) {
		b->c = NULL;
		br_failed(b, why_str(st));
		return;
	}
	node_client_link(b->ns, &b->base);
	b->linked = 1;
}

/* Starts the action a; 0 when it could not start (a note says why). */
static int
br_start(struct browser *b, const struct br_act *a)
{
	char host[BR_HOST_MAX], target[BR_TARGET_MAX];
	char text[BR_TARGET_MAX + BR_HOST_MAX + 16];
	const char *url = a->arg;
	uint16_t port;
	struct br_form *f = NULL;
	size_t i, k;
	int ok = 1;

	nl_dbuf_reset(&b->form);
	strcpy(b->method, "GET");
	if (a->op == NODE_BROWSE_CLICK) {
		if (b->page.data == NULL || !find_link((const char *)
		    b->page.data, b->page.len, a->arg, text, sizeof text)) {
			snprintf(text, sizeof text, "no link \"%.200s\" on "
			    "the page", a->arg);
			br_note(b, text);
			return 0;
		}
		url = text;
	} else if (a->op == NODE_BROWSE_SUBMIT) {
		f = nl_alloc(sizeof *f);
		if (f == NULL || b->page.data == NULL ||
		    !find_form((const char *)b->page.data, b->page.len, f)) {
			br_note(b, f == NULL ? "out of memory" :
			    "no form on the page");
			nl_free(f);
			return 0;
		}
		for (k = 0; k < a->n && ok; k++) {
			for (i = 0; i < f->n; i++)
				if (strcmp(f->name[i], a->names[k]) == 0)
					break;
			if (i == f->n) {
				snprintf(text, sizeof text, "the form has no "
				    "field \"%.100s\"", a->names[k]);
				br_note(b, text);
				ok = 0;
			} else {
				snprintf(f->value[i], sizeof f->value[i], "%s",
				    a->values[k]);
			}
		}
		for (i = 0; i < f->n && ok; i++)
			ok = http_form_add(&b->form, f->name[i],
			    f->value[i]) == NL_OK;
		if (ok && f->post)
			strcpy(b->method, "POST");
		url = f->action[0] != '\0' ? f->action : b->url;
		snprintf(text, sizeof text, "%s", url);
		url = text;
		nl_free(f);
		if (!ok)
			return 0;
	}
	if (!url_parse(b, url, host, &port, target)) {
		snprintf(text, sizeof text, "cannot open \"%.200s\" (a URL "
		    "is http://host/path)", url);
		br_note(b, text);
		return 0;
	}
	if (a->op == NODE_BROWSE_SUBMIT && strcmp(b->method, "GET") == 0 &&
	    b->form.len > 0) {
		size_t tl = strcspn(target, "?");

		if (tl + 1 + b->form.len >= sizeof target)
			return 0;
		target[tl] = '?';
		memcpy(target + tl + 1, b->form.data, b->form.len);
		target[tl + 1 + b->form.len] = '\0';
	}
	snprintf(b->host, sizeof b->host, "%s", host);
	b->port = port;
	snprintf(b->target, sizeof b->target, "%s", target);
	b->redirects = 0;
	br_request(b);
	return 1;
}

/* Runs the waiting actions until one is on its way. */
static void
br_next(struct browser *b)
{
	while (!b->busy && b->head != NULL) {
		struct br_act *a = b->head;

		b->head = a->next;
		if (b->head == NULL)
			b->tail = NULL;
		if (!net_node_is_up(b->ns->net, b->node))
			br_note(b, "this node is down");
		else
			(void)br_start(b, a);
		act_free(a);
	}
}

static void
browser_free(struct browser *b)
{
	if (b == NULL)
		return;
	conn_drop(b, BR_FORGET);
	while (b->head != NULL) {
		struct br_act *a = b->head;

		b->head = a->next;
		act_free(a);
	}
	nl_dbuf_free(&b->out);
	nl_dbuf_free(&b->form);
	nl_dbuf_free(&b->page);
	nl_free(b);
}

enum nl_status
node_browser_start(struct node *nd)
{
	struct browser *b;

	if (nd->web == NULL) {
		b = nl_calloc(1, sizeof *b);
		if (b == NULL)
			return NL_ENOMEM;
		b->ns = nd->ns;
		b->node = nd->id;
		b->base.node = nd->id;
		b->base.stop = br_stop;
		nl_dbuf_init(&b->out, HTTP_OUT_MAX);
		nl_dbuf_init(&b->form, 1u << 16);
		nl_dbuf_init(&b->page, BR_PAGE_MAX);
		nd->web = b;
	}
	return node_generic_start(nd);
}

void
node_browser_stop(struct node *nd)
{
	struct browser *b = nd->web;

	node_generic_stop(nd);
	if (b != NULL) {
		/* A crash loses the actions waiting and the connection. */
		while (b->head != NULL) {
			struct br_act *a = b->head;

			b->head = a->next;
			act_free(a);
		}
		b->tail = NULL;
		b->busy = 0;
	}
	if (nd->ns->freeing) {
		browser_free(b);
		nd->web = NULL;
	}
}

static char *
dup_or(const char *s, int *oom)
{
	char *d = nl_strdup(s != NULL ? s : "");

	if (d == NULL)
		*oom = 1;
	return d;
}

enum nl_status
node_browse(struct nodes *ns, int32_t from, const struct node_browse *bw)
{
	const struct node_ops *ops = node_ops_find("browser");
	struct node *nd = NULL;
	struct browser *b;
	struct br_act *a;
	size_t i;
	int oom = 0;

	for (i = 0; i < ns->n; i++)
		if (ns->v[i]->id == from && ns->v[i]->ops == ops)
			nd = ns->v[i];
	if (nd == NULL || nd->web == NULL)
		return NL_EINVAL;
	b = nd->web;
	a = nl_calloc(1, sizeof *a);
	if (a == NULL)
		return NL_ENOMEM;
	a->op = bw->op;
	a->arg = dup_or(bw->arg, &oom);
	if (bw->nfields > 0) {
		a->names = nl_calloc(bw->nfields, sizeof *a->names);
		a->values = nl_calloc(bw->nfields, sizeof *a->values);
		if (a->names == NULL || a->values == NULL)
			oom = 1;
		for (i = 0; !oom && i < bw->nfields; i++) {
			a->names[i] = dup_or(bw->names[i], &oom);
			a->values[i] = dup_or(bw->values[i], &oom);
			a->n = i + 1;
		}
	}
	if (oom) {
		act_free(a);
		return NL_ENOMEM;
	}
	if (b->tail != NULL)
		b->tail->next = a;
	else
		b->head = a;
	b->tail = a;
	br_next(b);
	return NL_OK;
}
