/* scn_web.c - the web part of a scenario: pass 2 checks of webmail
 * servers ("mail_server") and "browse" actions (from a browser, with one
 * of "url", "click" or "submit"), and pass 3: the webmail servers of the
 * world and the run-time form of browse actions (nodes/web_node.h). */
#include <stdio.h>
#include <string.h>

#include "nodes/web_node.h"
#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/nl.h"

static int
is_kind(const struct scn_node *nd, const char *kind)
{
	return nd != NULL && nd->kind != NULL && strcmp(nd->kind, kind) == 0;
}

static void
check_webmail(const struct scn_model *m, struct scn_errors *e,
    const struct scn_node *nd)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *srv;

	if (nd->mail_server == NULL) {
		snprintf(path, sizeof path, "$.nodes[%zu]", nd->index);
		scn_err(e, path, "a webmail needs a \"mail_server\" (the id of "
		    "the mail server it reads by IMAP and sends through)");
		return;
	}
	snprintf(path, sizeof path, "$.nodes[%zu].mail_server", nd->index);
	srv = scn_model_node(m, nd->mail_server);
	if (srv == NULL)
		scn_err(e, path, "no node \"%s\"", nd->mail_server);
	else if (!is_kind(srv, "mail-server"))
		scn_err(e, path, "node \"%s\" is a \"%s\", not a mail-server",
		    nd->mail_server, srv->kind != NULL ? srv->kind : "?");
}

static void
check_browse(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *from;
	int n = (a->url != NULL) + (a->click != NULL) + a->submit;

	snprintf(path, sizeof path, "$.timeline[%zu]", a->index);
	if (n != 1)
		scn_err(e, path, "a browse action takes one of \"url\" (open "
		    "a page), \"click\" (follow a link by its text) or "
		    "\"submit\" (fill in and send the page's form); found %d",
		    n);
	if (a->url != NULL && strncmp(a->url, "http://", 7) != 0 &&
	    a->url[0] != '/') {
		snprintf(path, sizeof path, "$.timeline[%zu].url", a->index);
		scn_err(e, path, "expected a URL like \"http://webmail."
		    "crepes.fr/\" (or \"/path\" on the page's server)");
	}
	if (a->from == NULL)
		return;
	snprintf(path, sizeof path, "$.timeline[%zu].from", a->index);
	from = scn_model_node(m, a->from);
	if (from == NULL)
		scn_err(e, path, "no node \"%s\"", a->from);
	else if (!is_kind(from, "browser"))
		scn_err(e, path, "pages are opened by a browser; node \"%s\" "
		    "is a \"%s\"", a->from, from->kind != NULL ? from->kind :
		    "?");
}

void
scn_web_validate(const struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX];
	size_t i;

	for (i = 0; i < m->nnodes; i++) {
		const struct scn_node *nd = &m->nodes[i];

		if (is_kind(nd, "webmail")) {
			check_webmail(m, e, nd);
		} else if (nd->mail_server != NULL && nd->kind != NULL) {
			snprintf(path, sizeof path, "$.nodes[%zu].mail_server",
			    nd->index);
			scn_err(e, path, "\"mail_server\" is for nodes of kind "
			    "\"webmail\", and this node is a \"%s\"",
			    nd->kind);
		}
	}
	for (i = 0; i < m->nactions; i++)
		if (m->actions[i].kind == SCN_ACT_BROWSE)
			check_browse(m, e, &m->actions[i]);
}

enum nl_status
scn_web_build(const struct scn_model *m, struct nodes *ns, struct net *n)
{
	enum nl_status st = NL_OK;
	size_t i;

	for (i = 0; i < m->nnodes && st == NL_OK; i++) {
		const struct scn_node *nd = &m->nodes[i];
		const struct scn_node *srv;
		struct node_webmail_cfg cfg;

		if (!is_kind(nd, "webmail"))
			continue;
		srv = scn_model_node(m, nd->mail_server);
		memset(&cfg, 0, sizeof cfg);
		cfg.domain = srv != NULL && srv->domain != NULL ? srv->domain :
		    nd->id;
		cfg.server = net_node_addr(n, net_node_find(n,
		    nd->mail_server));
		st = nodes_webmail(ns, net_node_find(n, nd->id), &cfg);
	}
	return st;
}

/* A browse action with its own copies of the strings. */
struct scn_web_act {
	struct node_browse b;	/* points into the fields below */
	char *arg;		/* owned */
	char **names, **values;	/* owned */
	size_t n;
};

void
scn_web_act_free(void *act)
{
	struct scn_web_act *w = act;
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		nl_free(w->names[i]);
		nl_free(w->values[i]);
	}
	nl_free(w->names);
	nl_free(w->values);
	nl_free(w->arg);
	nl_free(w);
}

void *
scn_web_act_new(const struct scn_action *ma)
{
	struct scn_web_act *w = nl_calloc(1, sizeof *w);
	size_t i;

	if (w == NULL)
		return NULL;
	w->b.op = ma->click != NULL ? NODE_BROWSE_CLICK : ma->submit ?
	    NODE_BROWSE_SUBMIT : NODE_BROWSE_OPEN;
	w->arg = nl_strdup(ma->click != NULL ? ma->click : ma->url != NULL ?
	    ma->url : "");
	if (w->arg == NULL)
		goto fail;
	if (ma->nfields > 0) {
		w->names = nl_calloc(ma->nfields, sizeof *w->names);
		w->values = nl_calloc(ma->nfields, sizeof *w->values);
		if (w->names == NULL || w->values == NULL)
			goto fail;
		for (i = 0; i < ma->nfields; i++) {
			w->n = i + 1;
			w->names[i] = nl_strdup(ma->field_names[i]);
			w->values[i] = nl_strdup(ma->field_values[i]);
			if (w->names[i] == NULL || w->values[i] == NULL)
				goto fail;
		}
	}
	w->b.arg = w->arg;
	w->b.names = (const char *const *)w->names;
	w->b.values = (const char *const *)w->values;
	w->b.nfields = w->n;
	return w;
fail:
	scn_web_act_free(w);
	return NULL;
}

enum nl_status
scn_web_act_run(struct nodes *ns, int32_t from, void *act)
{
	struct scn_web_act *w = act;

	return node_browse(ns, from, &w->b);
}
