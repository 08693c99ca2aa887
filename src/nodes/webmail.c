/* webmail.c - the webmail server node: HTTP/1.1 on port 80 (the server
 * session of proto/http) in front of a mail server. It serves small HTML
 * pages: a login form, the inbox, a message, a compose form. Behind the
 * inbox it reads the user's mailbox by IMAP (RFC 3501, the client session
 * of proto/imap) from its mail server, logging in with the name and
 * password the user gave; behind the compose form it sends by SMTP
 * submission (RFC 6409, port 587, the client session of proto/smtp).
 * A cookie (RFC 6265) ties the requests of one login together.
 *
 * The browser pulls (it asks, the server answers); the mail goes on by
 * push (SMTP). Each response goes into the trace once, at the server, as
 * "S: ..." lines and a body event; the IMAP and SMTP commands it sends go
 * in as "C: ..." lines at this node, the mail server reporting its
 * replies. A connection idle for WM_IDLE is closed, as web servers do
 * with persistent connections (RFC 9112 9.8). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes/mail_node.h"
#include "nodes/node_int.h"
#include "nodes/web_node.h"
#include "proto/http/http.h"
#include "proto/imap/imap.h"
#include "proto/imf/imf.h"
#include "proto/smtp/smtp_client.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#define WM_IDLE (15 * SIM_S)	/* a persistent connection left idle */
#define WM_SESS_MAX 16		/* logins at once */
#define WM_MSGS_MAX 64		/* messages listed */
#define WM_NAME_MAX 64		/* a user name or password */
#define WM_FIELD_MAX 4096	/* a form field */
#define WM_PAGE_MAX (1u << 20)	/* a page */

struct wm_msg {
	char from[256];		/* From: as written */
	char subject[256];
	char date[64];
	char to[256];
	uint8_t *raw;		/* the whole message, owned */
	size_t len;
};

/* One login: the cookie and what the mail server gave last. */
struct wm_sess {
	char sid[20];			/* "" when the slot is free */
	char user[WM_NAME_MAX];		/* local part, the IMAP login */
	char pass[WM_NAME_MAX];
	struct wm_msg *msgs;		/* owned */
	size_t n;
};

struct wm_conn;
struct wm_job;

struct webmail {
	struct node *nd;		/* not owned */
	char *domain;			/* owned: "crepes.fr" */
	uint32_t server;		/* the mail server */
	struct net_tcp *listener;	/* port 80, NULL while down */
	struct wm_conn *conns;		/* HTTP connections open */
	struct wm_sess sess[WM_SESS_MAX];
	uint64_t nsess;			/* logins so far: the cookie */
	uint64_t nmsg;			/* messages sent: Message-ID */
};

/* An HTTP connection. */
struct wm_conn {
	struct wm_conn *next, *prev;	/* in webmail.conns */
	struct webmail *wm;
	struct net_tcp *c;
	int32_t peer;			/* the browser's node */
	struct http_srv *hs;
	struct nl_dbuf out;		/* the session's output */
	size_t traced;			/* bytes of out already traced */
	struct wm_job *job;		/* the IMAP or SMTP work a request
					 * waits on, or NULL */
	uint64_t idle;			/* the idle timer, 0 when none */
	int closing;			/* our FIN is queued */
};

/* IMAP or SMTP work for one request; a node client, so a crash stops
 * it. */
struct wm_job {
	struct node_client base;	/* first: the nodes list */
	struct webmail *wm;
	struct wm_conn *conn;		/* who waits, NULL if gone */
	int smtp;			/* 1: sending, 0: reading */
	char sid[20];			/* the session it works for */
	struct net_tcp *c;		/* to the mail server, NULL once closed */
	int32_t peer;			/* the mail server node */
	struct imap_cli *im;		/* reading */
	struct wm_msg *msgs;		/* reading: messages got, owned */
	size_t n;
	struct smtp_cli *sc;		/* sending */
	struct smtp_cli_config scfg;
	struct smtp_envelope env;
	struct nl_dbuf msg;		/* the message to send */
	struct nl_dbuf out;		/* the SMTP session's output */
	char rcpt[256];			/* the recipient, for the page */
	int code;			/* SMTP: the reply that decided */
	int accepted;			/* SMTP: the mail was accepted */
	char why[200];			/* why it failed */
	int refused;			/* IMAP: the server said NO or BAD */
	int over;			/* the result is handed on */
};

static const struct net_tcp_cbs no_cbs = { NULL, NULL, NULL, NULL };

static struct net *
wm_net(const struct webmail *wm)
{
	return node_net(wm->nd);
}

/* ---- Pages ---- */

/* Appends s with &, <, > and " escaped. */
static void
html_esc(struct nl_dbuf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i] != '\0'; i++) {
		switch (s[i]) {
		case '&':
			(void)nl_dbuf_add_str(b, "&amp;");
			break;
		case '<':
			(void)nl_dbuf_add_str(b, "&lt;");
			break;
		case '>':
			(void)nl_dbuf_add_str(b, "&gt;");
			break;
		case '"':
			(void)nl_dbuf_add_str(b, "&quot;");
			break;
		case '\r':
			break;
		default:
			(void)nl_dbuf_add_u8(b, (uint8_t)s[i]);
		}
	}
}

static void
page_begin(struct nl_dbuf *b, const char *title)
{
	(void)nl_dbuf_add_str(b, "<!DOCTYPE html>\n<html><head><title>");
	html_esc(b, title, strlen(title));
	(void)nl_dbuf_add_str(b, "</title></head>\n<body>\n<h1>");
	html_esc(b, title, strlen(title));
	(void)nl_dbuf_add_str(b, "</h1>\n");
}

static void
page_end(struct nl_dbuf *b)
{
	(void)nl_dbuf_add_str(b, "</body></html>\n");
}

/* ---- Sessions ---- */

static void
sess_clear(struct wm_sess *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		nl_free(s->msgs[i].raw);
	nl_free(s->msgs);
	memset(s, 0, sizeof *s);
}

static struct wm_sess *
sess_find(struct webmail *wm, const char *sid)
{
	size_t i;

	for (i = 0; sid != NULL && sid[0] != '\0' && i < WM_SESS_MAX; i++)
		if (strcmp(wm->sess[i].sid, sid) == 0)
			return &wm->sess[i];
	return NULL;
}

/* The session of the request's "Cookie: sid=...", or NULL. */
static struct wm_sess *
sess_of(struct webmail *wm, const struct http_msg *m)
{
	const char *c = http_msg_field(m, "cookie"), *p;
	char sid[20];
	size_t l;

	for (p = c; p != NULL && (p = strstr(p, "sid=")) != NULL; p += 4) {
		if (p != c && p[-1] != ' ' && p[-1] != ';')
			continue;
		l = strcspn(p + 4, "; ");
		if (l == 0 || l >= sizeof sid)
			return NULL;
		memcpy(sid, p + 4, l);
		sid[l] = '\0';
		return sess_find(wm, sid);
	}
	return NULL;
}

/* A new session; the oldest goes when all are taken. The id is made
 * from a counter, so a run gives the same cookies again. */
static struct wm_sess *
sess_new(struct webmail *wm, const char *user, const char *pass)
{
	struct wm_sess *s = NULL;
	uint64_t z;
	size_t i;

	for (i = 0; i < WM_SESS_MAX && s == NULL; i++)
		if (wm->sess[i].sid[0] == '\0')
			s = &wm->sess[i];
	if (s == NULL)
		s = &wm->sess[wm->nsess % WM_SESS_MAX];
	sess_clear(s);
	/* splitmix64: cookies that do not look like a counter. */
	z = ++wm->nsess + (uint64_t)node_id(wm->nd) * UINT64_C(0x9e3779b97f4a7c15);
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	z ^= z >> 31;
	snprintf(s->sid, sizeof s->sid, "%016" PRIx64, z);
	snprintf(s->user, sizeof s->user, "%s", user);
	snprintf(s->pass, sizeof s->pass, "%s", pass);
	return s;
}

/* ---- HTTP connections ---- */

static void
conn_flush(struct wm_conn *cn)
{
	if (cn->out.len > cn->traced)
		node_http_trace(wm_net(cn->wm), node_id(cn->wm->nd), cn->peer, 0,
		    net_tcp_id(cn->c), cn->out.data + cn->traced,
		    cn->out.len - cn->traced, "S: ");
	if (cn->out.len > 0)
		(void)net_tcp_send(cn->c, cn->out.data, cn->out.len);
	nl_dbuf_reset(&cn->out);
	cn->traced = 0;
}

static void
conn_free(struct wm_conn *cn)
{
	struct webmail *wm = cn->wm;

	if (cn->prev != NULL)
		cn->prev->next = cn->next;
	else if (wm->conns == cn)
		wm->conns = cn->next;
	if (cn->next != NULL)
		cn->next->prev = cn->prev;
	if (cn->idle != 0)
		(void)sim_cancel(net_sim(wm_net(wm)), cn->idle);
	if (cn->job != NULL)
		cn->job->conn = NULL;
	http_srv_free(cn->hs);
	nl_dbuf_free(&cn->out);
	nl_free(cn);
}

/* Our side is done: FIN once (the handle lives until on_close). */
static void
conn_end(struct wm_conn *cn)
{
	if (cn->closing)
		return;
	cn->closing = 1;
	http_srv_close(cn->hs);
	(void)net_tcp_close(cn->c);
}

static sim_time
conn_idle(struct sim *s, void *arg)
{
	struct wm_conn *cn = arg;

	NL_UNUSED(s);
	cn->idle = 0;
	conn_end(cn);
	return SIM_DONE;
}

/* (Re)starts the idle timer while no request waits. */
static void
conn_arm(struct wm_conn *cn)
{
	struct sim *s = net_sim(wm_net(cn->wm));

	if (cn->idle != 0)
		(void)sim_cancel(s, cn->idle);
	cn->idle = 0;
	if (http_srv_state(cn->hs) == HTTP_SRV_READING)
		cn->idle = sim_schedule(s, WM_IDLE, conn_idle, cn);
}

/* Answers the request that waits, sends, and closes if due. */
static void
respond(struct wm_conn *cn, int status, const char *const *extra,
    size_t nextra, struct nl_dbuf *page)
{
	struct http_out o;
	enum nl_status st;

	memset(&o, 0, sizeof o);
	o.status = status;
	o.extra = extra;
	o.nextra = nextra;
	if (page != NULL && page->len > 0) {
		o.content_type = "text/html; charset=utf-8";
		o.body = page->data;
		o.body_len = page->len;
	}
	st = http_srv_respond(cn->hs, &o);
	conn_flush(cn);
	/* Not an abort: this may run inside the session's feed. */
	if (st != NL_OK)
		conn_end(cn);
	else
		conn_arm(cn);
}

static void
respond_page(struct wm_conn *cn, int status, const char *title,
    const char *html, const char *const *extra, size_t nextra)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, WM_PAGE_MAX);
	page_begin(&b, title);
	(void)nl_dbuf_add_str(&b, html);
	page_end(&b);
	respond(cn, status, extra, nextra, &b);
	nl_dbuf_free(&b);
}

static void
redirect(struct wm_conn *cn, const char *to, const char *cookie)
{
	char loc[128];
	const char *extra[2];
	size_t n = 0;

	snprintf(loc, sizeof loc, "Location: %s", to);
	extra[n++] = loc;
	if (cookie != NULL)
		extra[n++] = cookie;
	respond(cn, 303, extra, n, NULL);
}

/* ---- The pages ---- */

static void
page_login(struct wm_conn *cn, const char *error)
{
	struct nl_dbuf b;
	char title[128];

	nl_dbuf_init(&b, WM_PAGE_MAX);
	snprintf(title, sizeof title, "Webmail at %s", cn->wm->domain);
	page_begin(&b, title);
	if (error != NULL) {
		(void)nl_dbuf_add_str(&b, "<p>");
		html_esc(&b, error, strlen(error));
		(void)nl_dbuf_add_str(&b, "</p>\n");
	}
	(void)nl_dbuf_add_str(&b, "<form action=\"/login\" method=\"post\">\n"
	    "<p>User: <input type=\"text\" name=\"user\" value=\"\"></p>\n"
	    "<p>Password: <input type=\"password\" name=\"password\" "
	    "value=\"\"></p>\n"
	    "<p><input type=\"submit\" value=\"Log in\"></p>\n</form>\n");
	page_end(&b);
	respond(cn, error != NULL ? 403 : 200, NULL, 0, &b);
	nl_dbuf_free(&b);
}

static void
page_inbox(struct wm_conn *cn, const struct wm_sess *s)
{
	struct nl_dbuf b;
	char title[160], line[64];
	size_t i;

	nl_dbuf_init(&b, WM_PAGE_MAX);
	snprintf(title, sizeof title, "Inbox of %s@%s", s->user,
	    cn->wm->domain);
	page_begin(&b, title);
	(void)nl_dbuf_addf(&b, "<p>%zu message%s. <a href=\"/compose\">"
	    "Compose</a> <a href=\"/inbox\">Refresh</a> "
	    "<a href=\"/logout\">Log out</a></p>\n", s->n, s->n == 1 ? "" :
	    "s");
	if (s->n > 0)
		(void)nl_dbuf_add_str(&b, "<table>\n<tr><th>From</th>"
		    "<th>Subject</th><th>Date</th></tr>\n");
	for (i = 0; i < s->n; i++) {
		const struct wm_msg *m = &s->msgs[i];

		(void)nl_dbuf_add_str(&b, "<tr><td>");
		html_esc(&b, m->from, sizeof m->from);
		snprintf(line, sizeof line, "</td><td><a href=\"/msg?n=%zu\">",
		    i + 1);
		(void)nl_dbuf_add_str(&b, line);
		html_esc(&b, m->subject[0] ? m->subject : "(no subject)",
		    sizeof m->subject);
		(void)nl_dbuf_add_str(&b, "</a></td><td>");
		html_esc(&b, m->date, sizeof m->date);
		(void)nl_dbuf_add_str(&b, "</td></tr>\n");
	}
	if (s->n > 0)
		(void)nl_dbuf_add_str(&b, "</table>\n");
	page_end(&b);
	respond(cn, 200, NULL, 0, &b);
	nl_dbuf_free(&b);
}

static void
page_message(struct wm_conn *cn, const struct wm_sess *s,
    const struct http_msg *req)
{
	const char *q = strchr(req->target, '?');
	char num[16];
	unsigned long k = 0;
	struct nl_dbuf b;
	const struct wm_msg *m;
	size_t hl;

	if (q != NULL && http_form_get((const uint8_t *)q + 1, strlen(q + 1),
	    "n", num, sizeof num) == NL_OK)
		k = strtoul(num, NULL, 10);
	if (k == 0 || k > s->n) {
		respond_page(cn, 404, "No such message", "<p>That message "
		    "is not in the inbox. <a href=\"/inbox\">Inbox</a></p>\n",
		    NULL, 0);
		return;
	}
	m = &s->msgs[k - 1];
	nl_dbuf_init(&b, WM_PAGE_MAX);
	page_begin(&b, m->subject[0] ? m->subject : "(no subject)");
	(void)nl_dbuf_add_str(&b, "<p>From: ");
	html_esc(&b, m->from, sizeof m->from);
	(void)nl_dbuf_add_str(&b, "<br>To: ");
	html_esc(&b, m->to, sizeof m->to);
	(void)nl_dbuf_add_str(&b, "<br>Date: ");
	html_esc(&b, m->date, sizeof m->date);
	(void)nl_dbuf_add_str(&b, "</p>\n<pre>");
	imap_msg_split(m->raw, m->len, &hl);
	html_esc(&b, (const char *)m->raw + hl, m->len - hl);
	(void)nl_dbuf_add_str(&b, "</pre>\n<p><a href=\"/inbox\">Inbox</a> "
	    "<a href=\"/compose\">Compose</a> <a href=\"/logout\">Log out"
	    "</a></p>\n");
	page_end(&b);
	respond(cn, 200, NULL, 0, &b);
	nl_dbuf_free(&b);
}

static void
page_compose(struct wm_conn *cn, const struct wm_sess *s)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, WM_PAGE_MAX);
	page_begin(&b, "New message");
	(void)nl_dbuf_addf(&b, "<p>From: %s@", s->user);
	html_esc(&b, cn->wm->domain, strlen(cn->wm->domain));
	(void)nl_dbuf_add_str(&b, "</p>\n<form action=\"/send\" "
	    "method=\"post\">\n"
	    "<p>To: <input type=\"text\" name=\"to\" value=\"\"></p>\n"
	    "<p>Subject: <input type=\"text\" name=\"subject\" "
	    "value=\"\"></p>\n"
	    "<p>Message:<br><textarea name=\"body\"></textarea></p>\n"
	    "<p><input type=\"submit\" value=\"Send\"></p>\n</form>\n");
	page_end(&b);
	respond(cn, 200, NULL, 0, &b);
	nl_dbuf_free(&b);
}

/* ---- Jobs: IMAP and SMTP behind a page ---- */

static void
job_free(struct wm_job *j)
{
	size_t i;

	node_client_unlink(j->wm->nd->ns, &j->base);
	if (j->conn != NULL)
		j->conn->job = NULL;
	imap_cli_free(j->im);
	smtp_cli_free(j->sc);
	smtp_env_clear(&j->env);
	for (i = 0; i < j->n; i++)
		nl_free(j->msgs[i].raw);
	nl_free(j->msgs);
	nl_dbuf_free(&j->msg);
	nl_dbuf_free(&j->out);
	nl_free(j);
}

/* A command line the job sent, CRLF added back, as "C: ..." here. */
static void
job_line(struct wm_job *j, enum trace_proto proto, const uint8_t *text,
    size_t len)
{
	uint8_t buf[1100];

	if (j->c == NULL)
		return;
	if (len + 2 > sizeof buf)
		len = sizeof buf - 2;
	memcpy(buf, text, len);
	buf[len] = '\r';
	buf[len + 1] = '\n';
	node_app_lines(wm_net(j->wm), node_id(j->wm->nd), j->peer, proto,
	    TRACE_F_TO_SERVER, net_tcp_id(j->c), buf, len + 2, "C: ");
}

/* The first line of header field `name` of a message, into out. */
static void
hdr_get(const uint8_t *m, size_t n, const char *name, char *out, size_t size)
{
	size_t i = 0, nl = strlen(name), k;

	out[0] = '\0';
	while (i < n) {
		size_t e = i;

		while (e < n && m[e] != '\n')
			e++;
		if (e == i || (e == i + 1 && m[i] == '\r'))
			return;		/* the end of the header */
		if (e - i > nl && m[i + nl] == ':' &&
		    strncmp((const char *)m + i, name, nl) == 0) {
			i += nl + 1;
			while (i < e && (m[i] == ' ' || m[i] == '\t'))
				i++;
			for (k = 0; i < e && m[i] != '\r' && k + 1 < size; i++)
				out[k++] = (char)m[i];
			out[k] = '\0';
			return;
		}
		i = e + 1;
	}
}

static void
imap_msg(void *arg, const struct imap_cli_msg *m)
{
	struct wm_job *j = arg;
	struct wm_msg *w, *nm;

	if (!(m->have & IMAP_HAVE_BODY) || j->n == WM_MSGS_MAX)
		return;
	nm = nl_realloc(j->msgs, (j->n + 1) * sizeof *nm);
	if (nm == NULL)
		return;
	j->msgs = nm;
	w = &j->msgs[j->n];
	memset(w, 0, sizeof *w);
	w->raw = nl_memdup(m->body, m->body_len ? m->body_len : 1);
	if (w->raw == NULL)
		return;
	w->len = m->body_len;
	hdr_get(m->body, m->body_len, "From", w->from, sizeof w->from);
	hdr_get(m->body, m->body_len, "To", w->to, sizeof w->to);
	hdr_get(m->body, m->body_len, "Subject", w->subject,
	    sizeof w->subject);
	hdr_get(m->body, m->body_len, "Date", w->date, sizeof w->date);
	j->n++;
}

static void
imap_ev(void *arg, const struct imap_event *ev)
{
	struct wm_job *j = arg;
	size_t l;

	if (ev->kind == IMAP_EV_LINE && ev->from_client) {
		job_line(j, TRACE_P_IMAP, ev->text, ev->len);
	} else if (ev->kind == IMAP_EV_ERROR ||
	    (ev->kind == IMAP_EV_LINE && !ev->data && ev->len > 0 &&
	    ev->text[0] != '*' && memchr(ev->text, ' ', ev->len) != NULL &&
	    (strstr((const char *)ev->text, " NO ") != NULL ||
	    strstr((const char *)ev->text, " BAD ") != NULL))) {
		l = NL_MIN(ev->len, sizeof j->why - 1);
		memcpy(j->why, ev->text, l);
		j->why[l] = '\0';
		j->refused |= ev->kind == IMAP_EV_LINE;
	}
}

/* s HTML-escaped into out (cut to fit). */
static const char *
esc(const char *s, char *out, size_t size)
{
	struct nl_dbuf b;

	nl_dbuf_init(&b, 4096);
	html_esc(&b, s, strlen(s));
	snprintf(out, size, "%s", b.data != NULL ? (const char *)b.data : "");
	nl_dbuf_free(&b);
	return out;
}

/* The result goes to the page that waits. */
static void
job_over(struct wm_job *j, int ok)
{
	struct wm_conn *cn = j->conn;
	struct wm_sess *s = sess_find(j->wm, j->sid);
	char html[1200], e1[300], e2[300];

	if (j->over)
		return;
	j->over = 1;
	if (cn == NULL || http_srv_request(cn->hs) == NULL)
		return;
	cn->job = NULL;
	j->conn = NULL;
	if (j->smtp) {
		if (ok && j->accepted)
			snprintf(html, sizeof html, "<p>Your message to %s was "
			    "accepted by the mail server (%d). It goes on by "
			    "SMTP, pushed from server to server.</p>\n"
			    "<p><a href=\"/inbox\">Inbox</a> <a href=\""
			    "/compose\">Compose</a></p>\n", esc(j->rcpt, e1,
			    sizeof e1), j->code);
		else
			snprintf(html, sizeof html, "<p>Your message to %s was "
			    "not accepted: %s</p>\n<p><a href=\"/compose\">"
			    "Compose</a></p>\n", esc(j->rcpt, e1, sizeof e1),
			    esc(j->why[0] ? j->why : "the mail server did not "
			    "take it", e2, sizeof e2));
		respond_page(cn, ok && j->accepted ? 200 : 500, ok &&
		    j->accepted ? "Message sent" : "Message not sent", html,
		    NULL, 0);
		return;
	}
	if (s == NULL) {
		redirect(cn, "/", NULL);
		return;
	}
	if (!ok && j->refused) {
		char err[300];

		snprintf(err, sizeof err, "The mail server refused the login: "
		    "%s", j->why);
		sess_clear(s);
		page_login(cn, err);
		return;
	}
	if (!ok) {
		snprintf(html, sizeof html, "<p>The mail server could not be "
		    "reached: %s.</p>\n<p><a href=\"/inbox\">Try again</a> "
		    "<a href=\"/logout\">Log out</a></p>\n", esc(j->why[0] ?
		    j->why : "connection lost", e1, sizeof e1));
		respond_page(cn, 500, "Inbox not available", html, NULL, 0);
		return;
	}
	/* The session keeps what this IMAP session read. */
	{
		size_t i;

		for (i = 0; i < s->n; i++)
			nl_free(s->msgs[i].raw);
		nl_free(s->msgs);
		s->msgs = j->msgs;
		s->n = j->n;
		j->msgs = NULL;
		j->n = 0;
	}
	page_inbox(cn, s);
}

static void
job_flush(struct wm_job *j)
{
	struct nl_dbuf *out = j->smtp ? &j->out : imap_cli_out(j->im);

	if (j->c == NULL)
		return;
	if (out->len > 0) {
		(void)net_tcp_send(j->c, out->data, out->len);
		nl_dbuf_reset(out);
	}
}

static void
smtp_line(void *ctx, enum smtp_line_kind kind, const char *line, size_t len)
{
	struct wm_job *j = ctx;

	if (kind != SMTP_LINE_REPLY)
		job_line(j, TRACE_P_SMTP, (const uint8_t *)line, len);
}

static void
smtp_done(void *ctx, void *msg_ctx, const struct smtp_rcpt_result *res,
    size_t n)
{
	struct wm_job *j = ctx;

	NL_UNUSED(msg_ctx);
	if (n == 0)
		return;
	j->code = res[0].code;
	j->accepted = res[0].outcome == SMTP_OUT_ACCEPTED;
	if (!j->accepted)
		snprintf(j->why, sizeof j->why, "%d %.150s", res[0].code,
		    res[0].text != NULL ? res[0].text : "");
}

static const struct smtp_cli_ops smtp_ops = {
	NULL, NULL, smtp_line, smtp_done,
};

static void
job_connect(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct wm_job *j = ctx;
	struct wm_sess *s = sess_find(j->wm, j->sid);

	NL_UNUSED(c);
	if (st != NL_OK)
		return;		/* job_close follows */
	if (j->smtp) {
		j->sc = smtp_cli_new(&j->scfg, &smtp_ops, j, &j->out);
		if (j->sc == NULL || smtp_cli_send(j->sc, &j->env, j->msg.data,
		    j->msg.len, NULL) != NL_OK) {
			snprintf(j->why, sizeof j->why, "cannot start SMTP");
			net_tcp_abort(j->c);
			return;
		}
		smtp_cli_quit(j->sc);
	} else {
		struct imap_cli_config cfg;

		memset(&cfg, 0, sizeof cfg);
		cfg.user = s != NULL ? s->user : "";
		cfg.pass = s != NULL ? s->pass : "";
		cfg.fetch_all = 1;
		cfg.event = imap_ev;
		cfg.message = imap_msg;
		cfg.arg = j;
		j->im = imap_cli_new(&cfg);
		if (j->im == NULL) {
			snprintf(j->why, sizeof j->why, "cannot log in with "
			    "that name and password");
			net_tcp_abort(j->c);
			return;
		}
	}
	job_flush(j);
}

static void
job_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct wm_job *j = ctx;
	enum nl_status st;

	if (j->sc == NULL && j->im == NULL)
		return;
	st = j->smtp ? smtp_cli_feed(j->sc, data, len) :
	    imap_cli_feed(j->im, data, len);
	if (st != NL_OK && st != NL_ECLOSED) {
		net_tcp_abort(c);
		return;
	}
	job_flush(j);
	if (st == NL_ECLOSED || (j->smtp && smtp_cli_done(j->sc))) {
		/* The session is over: the page need not wait for the
		 * TCP close. */
		job_over(j, j->smtp ? 1 : imap_cli_status(j->im) == NL_OK);
		(void)net_tcp_close(c);
	}
}

static void
job_peer_fin(struct net_tcp *c, void *ctx)
{
	NL_UNUSED(ctx);
	(void)net_tcp_close(c);
}

static void
job_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct wm_job *j = ctx;
	int ok = 0;

	NL_UNUSED(c);
	j->c = NULL;
	if (j->im != NULL) {
		imap_cli_close(j->im);
		ok = imap_cli_status(j->im) == NL_OK;
	} else if (j->sc != NULL) {
		if (smtp_cli_pending(j->sc) > 0)
			smtp_cli_abort(j->sc, "connection lost");
		ok = 1;
	}
	if (!ok && j->why[0] == '\0')
		snprintf(j->why, sizeof j->why, "%s", why == NL_ECONNREFUSED ?
		    "connection refused" : why == NL_ETIMEDOUT ? "timed out" :
		    "connection lost");
	job_over(j, ok);
	job_free(j);
}

static const struct net_tcp_cbs job_cbs = {
	job_connect, job_recv, job_peer_fin, job_close,
};

static void
job_stop(struct node_client *cl, int crash)
{
	struct wm_job *j = (struct wm_job *)cl;
	struct net_tcp *c = j->c;

	if (c != NULL)
		net_tcp_set_cbs(c, &no_cbs, NULL);
	job_free(j);
	if (c != NULL && crash)
		net_tcp_abort(c);
}

/* Starts IMAP (smtp = 0) or SMTP work for the request that waits on
 * cn; 0 if it could not start (the page says why). */
static struct wm_job *
job_new(struct wm_conn *cn, const struct wm_sess *s, int smtp)
{
	struct webmail *wm = cn->wm;
	struct wm_job *j = nl_calloc(1, sizeof *j);

	if (j == NULL)
		return NULL;
	j->wm = wm;
	j->smtp = smtp;
	j->base.node = node_id(wm->nd);
	j->base.stop = job_stop;
	snprintf(j->sid, sizeof j->sid, "%s", s->sid);
	j->peer = net_node_by_addr(wm_net(wm), wm->server);
	smtp_env_init(&j->env);
	nl_dbuf_init(&j->msg, 1u << 20);
	nl_dbuf_init(&j->out, HTTP_OUT_MAX);
	node_client_link(wm->nd->ns, &j->base);
	return j;
}

static void
job_start(struct wm_conn *cn, struct wm_job *j)
{
	enum nl_status st;

	st = net_tcp_connect(wm_net(j->wm), node_id(j->wm->nd), j->wm->server,
	    j->smtp ? NODE_SUBMISSION_PORT : NODE_IMAP_PORT, &job_cbs, j,
	    &j->c);
	if (st != NL_OK) {
		j->c = NULL;
		snprintf(j->why, sizeof j->why, "%s", nl_status_str(st));
		j->conn = cn;
		job_over(j, 0);
		job_free(j);
		return;
	}
	j->conn = cn;
	cn->job = j;
}

/* POST /send: the form's message goes to the mail server by SMTP. */
static void
do_send(struct wm_conn *cn, struct wm_sess *s, const struct http_msg *m)
{
	struct webmail *wm = cn->wm;
	struct wm_job *j;
	char to[256], subject[1000], from[WM_NAME_MAX + 130];
	char *body = nl_alloc(WM_FIELD_MAX);
	struct imf_msg im;
	struct nl_dbuf id;
	int64_t now = NODE_MAIL_EPOCH + sim_now(net_sim(wm_net(wm))) / SIM_S;
	enum nl_status st = NL_OK;

	if (body == NULL || http_form_get(m->body, m->body_len, "to", to,
	    sizeof to) != NL_OK || strchr(to, '@') == NULL ||
	    strpbrk(to, " <>\r\n") != NULL) {
		nl_free(body);
		respond_page(cn, 400, "Message not sent", "<p>The form needs "
		    "a recipient's address, like bob@hamburger.edu. <a href="
		    "\"/compose\">Compose</a></p>\n", NULL, 0);
		return;
	}
	if (http_form_get(m->body, m->body_len, "subject", subject,
	    sizeof subject) != NL_OK || strpbrk(subject, "\r\n") != NULL)
		subject[0] = '\0';
	if (http_form_get(m->body, m->body_len, "body", body, WM_FIELD_MAX) !=
	    NL_OK)
		body[0] = '\0';
	j = job_new(cn, s, 1);
	if (j == NULL) {
		nl_free(body);
		respond_page(cn, 500, "Message not sent", "<p>Out of memory."
		    "</p>\n", NULL, 0);
		return;
	}
	snprintf(j->rcpt, sizeof j->rcpt, "%s", to);
	snprintf(from, sizeof from, "%s@%s", s->user, wm->domain);
	j->scfg.helo_name = node_name(wm->nd);
	nl_dbuf_init(&id, 512);
	memset(&im, 0, sizeof im);
	st = smtp_env_set_from(&j->env, from);
	if (st == NL_OK)
		st = smtp_env_add_rcpt(&j->env, to);
	if (st == NL_OK)
		st = imf_msgid_make(&id, now, ++wm->nmsg, wm->domain);
	if (st == NL_OK)
		st = nl_dbuf_add(&id, "", 1);
	if (st == NL_OK) {
		im.from = from;
		im.to = to;
		im.subject = subject[0] ? subject : NULL;
		im.date = now;
		im.message_id = (const char *)id.data;
		im.body = body;
		im.minimal = 1;
		st = imf_msg_write(&im, &j->msg);
	}
	nl_dbuf_free(&id);
	nl_free(body);
	if (st != NL_OK) {
		job_free(j);
		respond_page(cn, 500, "Message not sent", "<p>The message "
		    "could not be composed.</p>\n", NULL, 0);
		return;
	}
	job_start(cn, j);
}

/* GET /inbox: the mailbox, read by IMAP now. */
static void
do_inbox(struct wm_conn *cn, struct wm_sess *s)
{
	struct wm_job *j = job_new(cn, s, 0);

	if (j == NULL) {
		respond_page(cn, 500, "Inbox", "<p>Out of memory.</p>\n", NULL,
		    0);
		return;
	}
	job_start(cn, j);
}

static void
do_login(struct wm_conn *cn, const struct http_msg *m)
{
	char user[WM_NAME_MAX], pass[WM_NAME_MAX], cookie[96];
	struct wm_sess *s;
	char *at;

	if (http_form_get(m->body, m->body_len, "user", user, sizeof user) !=
	    NL_OK || http_form_get(m->body, m->body_len, "password", pass,
	    sizeof pass) != NL_OK || user[0] == '\0' || pass[0] == '\0') {
		page_login(cn, "Give a user name and a password.");
		return;
	}
	/* "alice@crepes.fr" and "alice" both name alice. */
	at = strchr(user, '@');
	if (at != NULL)
		*at = '\0';
	s = sess_new(cn->wm, user, pass);
	snprintf(cookie, sizeof cookie, "Set-Cookie: sid=%s; Path=/; "
	    "HttpOnly", s->sid);
	redirect(cn, "/inbox", cookie);
}

/* Which path takes which method; 405 with Allow otherwise
 * (RFC 9110 15.5.6). */
static const struct {
	const char *path;
	int post;		/* 1: POST, 0: GET and HEAD */
	int login;		/* needs a session */
} routes[] = {
	{ "/", 0, 0 },
	{ "/login", 1, 0 },
	{ "/inbox", 0, 1 },
	{ "/msg", 0, 1 },
	{ "/compose", 0, 1 },
	{ "/send", 1, 1 },
	{ "/logout", 0, 1 },
};

static void
on_request(void *arg, struct http_srv *hs, const struct http_msg *m)
{
	struct wm_conn *cn = arg;
	struct webmail *wm = cn->wm;
	struct wm_sess *s = sess_of(wm, m);
	size_t i, pl = strcspn(m->target, "?");
	int post = strcmp(m->method, "POST") == 0;

	NL_UNUSED(hs);
	if (cn->idle != 0) {
		(void)sim_cancel(net_sim(wm_net(wm)), cn->idle);
		cn->idle = 0;
	}
	for (i = 0; i < NL_ARRAY_LEN(routes); i++)
		if (strlen(routes[i].path) == pl &&
		    strncmp(routes[i].path, m->target, pl) == 0)
			break;
	if (i == NL_ARRAY_LEN(routes)) {
		respond_page(cn, 404, "Not found", "<p>No such page. <a href="
		    "\"/\">Webmail</a></p>\n", NULL, 0);
		return;
	}
	if (routes[i].post != post) {
		const char *allow[] = { routes[i].post ? "Allow: POST" :
		    "Allow: GET, HEAD" };

		respond_page(cn, 405, "Method not allowed", "<p>This page "
		    "does not take that method.</p>\n", allow, 1);
		return;
	}
	if (routes[i].login && s == NULL) {
		redirect(cn, "/", NULL);
		return;
	}
	if (strcmp(routes[i].path, "/") == 0) {
		if (s != NULL)
			redirect(cn, "/inbox", NULL);
		else
			page_login(cn, NULL);
	} else if (strcmp(routes[i].path, "/login") == 0) {
		do_login(cn, m);
	} else if (strcmp(routes[i].path, "/inbox") == 0) {
		do_inbox(cn, s);
	} else if (strcmp(routes[i].path, "/msg") == 0) {
		page_message(cn, s, m);
	} else if (strcmp(routes[i].path, "/compose") == 0) {
		page_compose(cn, s);
	} else if (strcmp(routes[i].path, "/send") == 0) {
		do_send(cn, s, m);
	} else {
		sess_clear(s);
		redirect(cn, "/", "Set-Cookie: sid=; Path=/; Max-Age=0");
	}
}

static void
on_refused(void *arg, int status, const char *why)
{
	struct wm_conn *cn = arg;

	NL_UNUSED(status);
	NL_UNUSED(why);
	/* The session wrote the refusal; conn_flush traces and sends it. */
	conn_flush(cn);
}

static void
conn_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct wm_conn *cn = ctx;
	enum nl_status st = http_srv_feed(cn->hs, data, len);

	if (st == NL_ECLOSED) {
		conn_flush(cn);
		if (cn->job == NULL)
			conn_end(cn);
		return;
	}
	if (st != NL_OK)
		net_tcp_abort(c);
}

static void
conn_peer_fin(struct net_tcp *c, void *ctx)
{
	struct wm_conn *cn = ctx;

	/* The browser is done: answer what waits, then close. */
	NL_UNUSED(c);
	if (cn->job == NULL)
		conn_end(cn);
}

static void
conn_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	NL_UNUSED(c);
	NL_UNUSED(why);
	conn_free(ctx);
}

static const struct net_tcp_cbs conn_cbs = {
	NULL, conn_recv, conn_peer_fin, conn_close,
};

static void
wm_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	struct webmail *wm = ctx;
	struct wm_conn *cn = nl_calloc(1, sizeof *cn);
	struct http_srv_config cfg;

	NL_UNUSED(listener);
	if (cn == NULL) {
		net_tcp_abort(c);
		return;
	}
	cn->wm = wm;
	cn->c = c;
	cn->peer = net_tcp_peer_node(c);
	nl_dbuf_init(&cn->out, HTTP_OUT_MAX);
	memset(&cfg, 0, sizeof cfg);
	cfg.body_max = 64u << 10;
	cfg.server = "netlab-webmail";
	cfg.request = on_request;
	cfg.refused = on_refused;
	cfg.arg = cn;
	cn->hs = http_srv_new(&cfg, &cn->out);
	cn->next = wm->conns;
	if (wm->conns != NULL)
		wm->conns->prev = cn;
	wm->conns = cn;
	net_tcp_set_cbs(c, &conn_cbs, cn);
	if (cn->hs == NULL) {
		net_tcp_abort(c);
		return;
	}
	conn_arm(cn);
}

/* ---- The node ---- */

static void
wm_free(struct webmail *wm)
{
	size_t i;

	if (wm == NULL)
		return;
	for (i = 0; i < WM_SESS_MAX; i++)
		sess_clear(&wm->sess[i]);
	nl_free(wm->domain);
	nl_free(wm);
}

enum nl_status
node_webmail_start(struct node *nd)
{
	struct webmail *wm = nd->web;
	enum nl_status st = node_generic_start(nd);

	if (st != NL_OK || wm == NULL || wm->listener != NULL)
		return st;
	st = net_tcp_listen(node_net(nd), node_id(nd), NODE_HTTP_PORT,
	    wm_accept, wm, &wm->listener);
	if (st != NL_OK)
		wm->listener = NULL;
	return st;
}

void
node_webmail_stop(struct node *nd)
{
	struct webmail *wm = nd->web;

	node_generic_stop(nd);
	if (wm != NULL) {
		if (wm->listener != NULL)
			(void)net_tcp_close(wm->listener);
		wm->listener = NULL;
		while (wm->conns != NULL) {
			struct wm_conn *cn = wm->conns;
			struct net_tcp *c = cn->c;

			net_tcp_set_cbs(c, &no_cbs, NULL);
			conn_free(cn);
			if (!nd->ns->freeing)
				net_tcp_abort(c);
		}
		/* A crash loses the logins: they lived in memory. */
		if (!nd->ns->freeing) {
			size_t i;

			for (i = 0; i < WM_SESS_MAX; i++)
				sess_clear(&wm->sess[i]);
		}
	}
	if (nd->ns->freeing) {
		wm_free(wm);
		nd->web = NULL;
	}
}

uint32_t
node_webmail_server(const struct node *nd)
{
	const struct webmail *wm;

	if (nd == NULL || nd->ops != node_ops_find("webmail") ||
	    nd->web == NULL)
		return 0;
	wm = nd->web;
	return wm->server;
}

enum nl_status
nodes_webmail(struct nodes *ns, int32_t id,
    const struct node_webmail_cfg *cfg)
{
	const struct node_ops *ops = node_ops_find("webmail");
	struct node *nd = NULL;
	struct webmail *wm;
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (ns->v[i]->id == id && ns->v[i]->ops == ops)
			nd = ns->v[i];
	if (nd == NULL)
		return NL_ENOTFOUND;
	if (cfg->domain == NULL || nd->web != NULL)
		return NL_EINVAL;
	wm = nl_calloc(1, sizeof *wm);
	if (wm == NULL)
		return NL_ENOMEM;
	wm->nd = nd;
	wm->server = cfg->server;
	wm->domain = nl_strdup(cfg->domain);
	if (wm->domain == NULL) {
		nl_free(wm);
		return NL_ENOMEM;
	}
	nd->web = wm;
	return NL_OK;
}
