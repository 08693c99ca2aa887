/* scn_mail.c - the mail part of a scenario: pass 2 checks of mail
 * servers ("domain", "users", "replies"), user agents ("user",
 * "password", "server", "helo") and "send-mail" actions, and pass 3:
 * the mail servers and user agents of the world (nodes/mail_node.h). */
#include <stdio.h>
#include <string.h>

#include "nodes/mail_node.h"
#include "proto/imap/imap.h"
#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/nl.h"

static char *
mnode_path(char *buf, size_t size, const struct scn_node *nd,
    const char *field)
{
	snprintf(buf, size, "$.nodes[%zu]%s%s", nd->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

static int
is_kind(const struct scn_node *nd, const char *kind)
{
	return nd->kind != NULL && strcmp(nd->kind, kind) == 0;
}

/* A key of one kind found on a node of another. */
static void
wrong_kind(struct scn_errors *e, const struct scn_node *nd, const char *key,
    const char *kind)
{
	char path[SCN_PATH_MAX];

	scn_err(e, mnode_path(path, sizeof path, nd, key), "\"%s\" is for "
	    "nodes of kind \"%s\", and this node is a \"%s\"", key, kind,
	    nd->kind);
}

static void
check_server(struct scn_errors *e, const struct scn_node *nd)
{
	char path[SCN_PATH_MAX];
	size_t i, j;

	if (nd->domain == NULL)
		scn_err(e, mnode_path(path, sizeof path, nd, NULL), "a "
		    "mail-server needs a \"domain\" (the part after '@' of "
		    "its users' addresses, like \"hamburger.edu\")");
	for (i = 0; i < nd->nusers; i++)
		for (j = 0; j < i; j++)
			if (nd->users[i] != NULL && nd->users[j] != NULL &&
			    strcmp(nd->users[i], nd->users[j]) == 0) {
				snprintf(path, sizeof path,
				    "$.nodes[%zu].users[%zu]", nd->index, i);
				scn_err(e, path, "duplicate user \"%s\" (also "
				    "users[%zu])", nd->users[i], j);
			}
	if (nd->q_retry > 0 && nd->q_retry_max > 0 &&
	    nd->q_retry_max < nd->q_retry)
		scn_err(e, mnode_path(path, sizeof path, nd, "queue.max_retry"),
		    "the longest wait between tries cannot be shorter than "
		    "the first (\"retry\")");
}

static void
check_ua(const struct scn_model *m, struct scn_errors *e,
    const struct scn_node *nd)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *srv;

	if (nd->user == NULL)
		scn_err(e, mnode_path(path, sizeof path, nd, NULL), "a "
		    "user-agent needs a \"user\" (its address, like "
		    "\"alice@crepes.fr\")");
	if (nd->server == NULL) {
		scn_err(e, mnode_path(path, sizeof path, nd, NULL), "a "
		    "user-agent needs a \"server\" (the id of its mail "
		    "server)");
		return;
	}
	if (nd->queue_given)
		wrong_kind(e, nd, "queue", "mail-server");
	srv = scn_model_node(m, nd->server);
	mnode_path(path, sizeof path, nd, "server");
	if (srv == NULL)
		scn_err(e, path, "no node \"%s\"", nd->server);
	else if (!is_kind(srv, "mail-server"))
		scn_err(e, path, "node \"%s\" is a \"%s\", not a "
		    "mail-server", nd->server, srv->kind ? srv->kind : "?");
}

/* 1 when srv lists user's local part. */
static int
server_has_user(const struct scn_node *srv, const char *user)
{
	const char *at = strrchr(user, '@');
	size_t l = at != NULL ? (size_t)(at - user) : strlen(user), i;

	for (i = 0; i < srv->nusers; i++)
		if (srv->users[i] != NULL && strlen(srv->users[i]) == l &&
		    strncmp(srv->users[i], user, l) == 0)
			return 1;
	return 0;
}

/* fetch-mail "move_to": IMAP only, a mailbox it may CREATE, not the
 * INBOX it reads. */
static void
check_move_to(struct scn_errors *e, const struct scn_action *a)
{
	char path[SCN_PATH_MAX];
	const char *s = a->move_to;

	if (s == NULL)
		return;
	snprintf(path, sizeof path, "$.timeline[%zu].move_to", a->index);
	if (a->protocol == NULL || strcmp(a->protocol, "imap") != 0)
		scn_err(e, path, "move_to files messages into an IMAP mailbox; "
		    "POP3 (RFC 1939) has only the maildrop: set \"protocol\": "
		    "\"imap\"");
	else if (strlen(s) == 5 && strchr("Ii", s[0]) != NULL &&
	    strchr("Nn", s[1]) != NULL && strchr("Bb", s[2]) != NULL &&
	    strchr("Oo", s[3]) != NULL && strchr("Xx", s[4]) != NULL)
		scn_err(e, path, "move_to names the mailbox messages are moved "
		    "into; it cannot be INBOX, where they are read");
	else if (!imap_mailbox_valid(s))
		scn_err(e, path, "expected a mailbox name (printable ASCII, "
		    "no \"%%\", \"*\" or \"&\", levels joined by \"/\" such "
		    "as \"Archive/2024\"), found \"%s\"", s);
}

/* A fetch-mail: from a user-agent that has a password its server
 * knows. */
static void
check_fetch(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *from, *srv;

	check_move_to(e, a);
	if (a->from == NULL)
		return;
	snprintf(path, sizeof path, "$.timeline[%zu].from", a->index);
	from = scn_model_node(m, a->from);
	if (from == NULL) {
		scn_err(e, path, "no node \"%s\"", a->from);
		return;
	}
	if (!is_kind(from, "user-agent")) {
		scn_err(e, path, "mail is fetched by a user-agent; node "
		    "\"%s\" is a \"%s\"", a->from,
		    from->kind ? from->kind : "?");
		return;
	}
	if (from->password == NULL) {
		scn_err(e, path, "user-agent \"%s\" has no \"password\"; "
		    "fetch-mail logs in to its mail server with it", a->from);
		return;
	}
	srv = from->server != NULL ? scn_model_node(m, from->server) : NULL;
	if (srv != NULL && is_kind(srv, "mail-server") && from->user != NULL &&
	    !server_has_user(srv, from->user))
		scn_err(e, path, "mail server \"%s\" has no user for \"%s\" "
		    "(add its local part to the server's \"users\")",
		    from->server, from->user);
}

/* A mail-load: every node of "from" is a user-agent. */
static void
check_mail_load(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *nd;
	size_t i;

	for (i = 0; i < a->npool; i++) {
		nd = scn_model_node(m, a->pool[i]);
		if (nd == NULL || is_kind(nd, "user-agent"))
			continue;
		snprintf(path, sizeof path, "$.timeline[%zu].from[%zu]",
		    a->index, i);
		scn_err(e, path, "mail is sent from a user-agent; node \"%s\" "
		    "is a \"%s\"", a->pool[i], nd->kind ? nd->kind : "?");
	}
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 when the names are equal ignoring ASCII case (RFC 4343). */
static int
eq_nocase(const char *a, const char *b)
{
	while (*a != '\0' && lower(*a) == lower(*b)) {
		a++;
		b++;
	}
	return lower(*a) == lower(*b);
}

/* Mail to another domain is relayed by the sender's mail server, which
 * must look the domain's MX records up: it needs a "dns". told[] marks
 * the servers already reported (once is enough); it may be NULL. */
static void
check_relay(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a, const struct scn_node *ua, char *told)
{
	const struct scn_node *srv = ua->server != NULL ?
	    scn_model_node(m, ua->server) : NULL;
	char path[SCN_PATH_MAX];
	size_t i;

	if (srv == NULL || !is_kind(srv, "mail-server") ||
	    srv->domain == NULL || srv->dns != NULL ||
	    (told != NULL && told[srv->index]))
		return;
	for (i = 0; i < a->nrcpt + a->ncc; i++) {
		const char *r = i < a->nrcpt ? a->rcpt[i] :
		    a->cc[i - a->nrcpt];
		const char *at = r != NULL ? strrchr(r, '@') : NULL;

		if (at == NULL || eq_nocase(at + 1, srv->domain))
			continue;
		snprintf(path, sizeof path, "$.nodes[%zu]", srv->index);
		scn_err(e, path, "mail server \"%s\" must relay %s (timeline"
		    "[%zu]) to another domain, so it looks up MX records: "
		    "give it a \"dns\" (its local DNS server)", srv->id, r,
		    a->index);
		if (told != NULL)
			told[srv->index] = 1;
		return;
	}
}

void
scn_mail_validate(const struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX];
	char *told = nl_calloc(m->nnodes + 1, 1);	/* check_relay's */
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		const struct scn_node *nd = &m->nodes[i];

		if (nd->kind == NULL)
			continue;
		if (is_kind(nd, "mail-server")) {
			check_server(e, nd);
		} else {
			if (nd->domain != NULL)
				wrong_kind(e, nd, "domain", "mail-server");
			if (nd->users != NULL)
				wrong_kind(e, nd, "users", "mail-server");
			if (nd->reply_names != NULL)
				wrong_kind(e, nd, "replies", "mail-server");
			if (nd->queue_given && !is_kind(nd, "user-agent"))
				wrong_kind(e, nd, "queue", "mail-server");
		}
		if (is_kind(nd, "user-agent")) {
			check_ua(m, e, nd);
		} else {
			if (nd->user != NULL)
				wrong_kind(e, nd, "user", "user-agent");
			if (nd->password != NULL)
				wrong_kind(e, nd, "password", "user-agent");
			if (nd->server != NULL)
				wrong_kind(e, nd, "server", "user-agent");
			if (nd->helo != NULL)
				wrong_kind(e, nd, "helo", "user-agent");
			if (nd->port != 0)
				wrong_kind(e, nd, "port", "user-agent");
		}
	}
	for (i = 0; i < m->nactions; i++) {
		const struct scn_action *a = &m->actions[i];
		const struct scn_node *from;

		if (a->kind == SCN_ACT_FETCH_MAIL) {
			check_fetch(m, e, a);
			continue;
		}
		if (a->kind == SCN_ACT_MAIL_LOAD) {
			check_mail_load(m, e, a);
			continue;
		}
		if (a->kind != SCN_ACT_SEND_MAIL &&
		    a->kind != SCN_ACT_REPLY_MAIL &&
		    a->kind != SCN_ACT_FORWARD_MAIL)
			continue;
		if (a->raw && a->natt > 0) {
			snprintf(path, sizeof path,
			    "$.timeline[%zu].attachments", a->index);
			scn_err(e, path, "a \"raw\" message is its body "
			    "alone, with no MIME parts; drop \"raw\" to "
			    "attach files");
		}
		if (a->from == NULL)
			continue;
		snprintf(path, sizeof path, "$.timeline[%zu].from", a->index);
		from = scn_model_node(m, a->from);
		if (from == NULL)
			scn_err(e, path, "no node \"%s\"", a->from);
		else if (!is_kind(from, "user-agent"))
			scn_err(e, path, "mail is sent from a user-agent; "
			    "node \"%s\" is a \"%s\"", a->from,
			    from->kind ? from->kind : "?");
		else
			check_relay(m, e, a, from, told);
	}
	nl_free(told);
}

enum nl_status
scn_mail_build(const struct scn_model *m, struct nodes *ns, struct net *n)
{
	enum nl_status st = NL_OK;
	size_t i, k;

	for (i = 0; i < m->nnodes && st == NL_OK; i++) {
		const struct scn_node *nd = &m->nodes[i];
		int32_t id = net_node_find(n, nd->id);

		if (is_kind(nd, "mail-server")) {
			struct node_mail_cfg cfg;

			memset(&cfg, 0, sizeof cfg);
			cfg.domain = nd->domain;
			cfg.users = (const char *const *)nd->users;
			cfg.passwords = (const char *const *)nd->passwords;
			cfg.nusers = nd->nusers;
			cfg.queue.retry = nd->q_retry;
			cfg.queue.retry_max = nd->q_retry_max;
			cfg.queue.lifetime = nd->q_lifetime;
			for (k = 0; k < nd->nreplies; k++)
				if (nd->reply_names[k] != NULL &&
				    nd->reply_texts[k] != NULL)
					(void)node_mail_reply_set(&cfg.texts,
					    nd->reply_names[k],
					    nd->reply_texts[k]);
			st = nodes_mail_server(ns, id, &cfg);
		} else if (is_kind(nd, "user-agent")) {
			struct node_ua_cfg cfg;

			memset(&cfg, 0, sizeof cfg);
			cfg.user = nd->user;
			cfg.helo = nd->helo;
			cfg.password = nd->password;
			cfg.port = nd->port;
			cfg.server = net_node_addr(n, net_node_find(n,
			    nd->server));
			st = nodes_mail_ua(ns, id, &cfg);
		}
	}
	return st;
}
