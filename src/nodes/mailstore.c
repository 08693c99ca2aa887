/* mailstore.c - the mailboxes of a mail server: one INBOX per user,
 * each change reported as a TRACE_STATE event (see mailstore.h). */
#include <stdio.h>
#include <string.h>

#include "nodes/mailstore.h"
#include "nodes/node_int.h"
#include "util/alloc.h"
#include "util/nl.h"

#define MAILSTORE_EVENT_MAX 65000	/* bytes of a message in its event */

struct mail_msg {
	uint8_t *data;
	size_t len;
};

struct mailbox {
	char *user;
	struct mail_msg *msgs;
	size_t n, cap;
};

struct mailstore {
	struct mailbox *boxes;
	size_t n, cap;
};

struct mailstore *
mailstore_new(void)
{
	return nl_calloc(1, sizeof(struct mailstore));
}

void
mailstore_free(struct mailstore *ms)
{
	size_t i, j;

	if (ms == NULL)
		return;
	for (i = 0; i < ms->n; i++) {
		for (j = 0; j < ms->boxes[i].n; j++)
			nl_free(ms->boxes[i].msgs[j].data);
		nl_free(ms->boxes[i].msgs);
		nl_free(ms->boxes[i].user);
	}
	nl_free(ms->boxes);
	nl_free(ms);
}

static int
same_user(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return *a == *b;
}

static struct mailbox *
box_find(const struct mailstore *ms, const char *user)
{
	size_t i;

	for (i = 0; ms != NULL && i < ms->n; i++)
		if (same_user(ms->boxes[i].user, user))
			return &ms->boxes[i];
	return NULL;
}

enum nl_status
mailstore_add_user(struct mailstore *ms, const char *user)
{
	struct mailbox *b;

	if (box_find(ms, user) != NULL)
		return NL_EEXIST;
	if (ms->n == ms->cap) {
		size_t ncap = ms->cap ? ms->cap * 2 : 4;
		struct mailbox *nb = nl_realloc(ms->boxes, ncap * sizeof *nb);

		if (nb == NULL)
			return NL_ENOMEM;
		ms->boxes = nb;
		ms->cap = ncap;
	}
	b = &ms->boxes[ms->n];
	memset(b, 0, sizeof *b);
	b->user = nl_strdup(user);
	if (b->user == NULL)
		return NL_ENOMEM;
	ms->n++;
	return NL_OK;
}

int
mailstore_has_user(const struct mailstore *ms, const char *user)
{
	return box_find(ms, user) != NULL;
}

enum nl_status
mailstore_deliver(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, const uint8_t *msg, size_t len)
{
	struct mailbox *b = box_find(ms, user);
	struct mail_msg *m;
	char text[160];

	if (b == NULL)
		return NL_ENOTFOUND;
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 4;
		struct mail_msg *nm = nl_realloc(b->msgs, ncap * sizeof *nm);

		if (nm == NULL)
			return NL_ENOMEM;
		b->msgs = nm;
		b->cap = ncap;
	}
	m = &b->msgs[b->n];
	m->data = nl_alloc(len ? len : 1);
	if (m->data == NULL)
		return NL_ENOMEM;
	if (len > 0)
		memcpy(m->data, msg, len);
	m->len = len;
	b->n++;
	snprintf(text, sizeof text, "mailbox %s: +1 message (%zu bytes), "
	    "%zu in all", b->user, len, b->n);
	node_event(n, TRACE_STATE, node, -1, TRACE_P_SMTP, TRACE_F_SHOW, -1,
	    msg, len < MAILSTORE_EVENT_MAX ? len : MAILSTORE_EVENT_MAX, text);
	return NL_OK;
}

size_t
mailstore_count(const struct mailstore *ms, const char *user)
{
	const struct mailbox *b = box_find(ms, user);

	return b != NULL ? b->n : 0;
}

const uint8_t *
mailstore_get(const struct mailstore *ms, const char *user, size_t i,
    size_t *len)
{
	const struct mailbox *b = box_find(ms, user);

	if (b == NULL || i >= b->n)
		return NULL;
	*len = b->msgs[i].len;
	return b->msgs[i].data;
}
