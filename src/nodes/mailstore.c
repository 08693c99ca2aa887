/* mailstore.c - the mailboxes of a mail server: one INBOX per user,
 * each change reported as a TRACE_STATE event (see mailstore.h). */
#include <stdio.h>
#include <string.h>

#include "nodes/mail_node.h"
#include "nodes/mailstore.h"
#include "nodes/node_int.h"
#include "proto/imap/imap.h"
#include "util/alloc.h"
#include "util/nl.h"

#define MAILSTORE_EVENT_MAX 65000	/* bytes of a message in its event */

struct mail_msg {
	uint8_t *data;		/* the message, owned */
	size_t len;		/* its bytes */
	uint32_t uid;		/* IMAP UID, also the POP3 unique-id */
	unsigned flags;		/* IMAP_FLAG_ bits, shared by all sessions */
	int64_t date;		/* arrival, seconds since 1970 UTC */
};

struct mailbox {
	char *user;		/* local part, owned */
	char *pass;		/* password for POP3/IMAP, owned, or NULL */
	struct mail_msg *msgs;	/* arrival order */
	size_t n, cap;
	uint32_t uidnext;	/* the uid the next message gets */
	int locked;		/* a POP3 session holds the maildrop */
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
		nl_free(ms->boxes[i].pass);
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
	b->uidnext = 1;
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
	m->uid = b->uidnext++;
	m->flags = 0;
	m->date = NODE_MAIL_EPOCH + sim_now(net_sim(n)) / SIM_S;
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

enum nl_status
mailstore_set_password(struct mailstore *ms, const char *user,
    const char *pass)
{
	struct mailbox *b = box_find(ms, user);
	char *p;

	if (b == NULL)
		return NL_ENOTFOUND;
	p = pass != NULL ? nl_strdup(pass) : NULL;
	if (pass != NULL && p == NULL)
		return NL_ENOMEM;
	nl_free(b->pass);
	b->pass = p;
	return NL_OK;
}

int
mailstore_login(const struct mailstore *ms, const char *user,
    const char *pass)
{
	const struct mailbox *b = box_find(ms, user);

	return b != NULL && b->pass != NULL && pass != NULL &&
	    strcmp(b->pass, pass) == 0;
}

enum nl_status
mailstore_lock(struct mailstore *ms, const char *user, int lock)
{
	struct mailbox *b = box_find(ms, user);

	if (b == NULL)
		return NL_ENOTFOUND;
	if (lock && b->locked)
		return NL_ESTATE;
	b->locked = lock;
	return NL_OK;
}

enum nl_status
mailstore_info(const struct mailstore *ms, const char *user, size_t i,
    struct mailstore_msg *out)
{
	const struct mailbox *b = box_find(ms, user);

	memset(out, 0, sizeof *out);
	if (b == NULL || i >= b->n)
		return NL_ENOTFOUND;
	out->data = b->msgs[i].data;
	out->len = b->msgs[i].len;
	out->uid = b->msgs[i].uid;
	out->flags = b->msgs[i].flags;
	out->date = b->msgs[i].date;
	return NL_OK;
}

uint32_t
mailstore_uidnext(const struct mailstore *ms, const char *user)
{
	const struct mailbox *b = box_find(ms, user);

	return b != NULL ? b->uidnext : 1;
}

/* The index of the message with uid in b, or b->n. */
static size_t
msg_by_uid(const struct mailbox *b, uint32_t uid)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->msgs[i].uid == uid)
			break;
	return i;
}

enum nl_status
mailstore_set_flags(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, uint32_t uid, unsigned flags)
{
	struct mailbox *b = box_find(ms, user);
	char text[200], fl[80];
	size_t i;

	if (b == NULL || (i = msg_by_uid(b, uid)) == b->n)
		return NL_ENOTFOUND;
	if (b->msgs[i].flags == flags)
		return NL_OK;
	b->msgs[i].flags = flags;
	snprintf(fl, sizeof fl, "%s%s%s%s%s",
	    flags & IMAP_FLAG_SEEN ? " \\Seen" : "",
	    flags & IMAP_FLAG_ANSWERED ? " \\Answered" : "",
	    flags & IMAP_FLAG_FLAGGED ? " \\Flagged" : "",
	    flags & IMAP_FLAG_DELETED ? " \\Deleted" : "",
	    flags & IMAP_FLAG_DRAFT ? " \\Draft" : "");
	snprintf(text, sizeof text, "mailbox %s: message %zu (uid %u) "
	    "flags now (%s)", b->user, i + 1, (unsigned)uid,
	    fl[0] != '\0' ? fl + 1 : "");
	node_event(n, TRACE_STATE, node, -1, TRACE_P_IMAP, TRACE_F_SHOW, -1,
	    NULL, 0, text);
	return NL_OK;
}

enum nl_status
mailstore_remove(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, uint32_t uid, enum trace_proto proto)
{
	struct mailbox *b = box_find(ms, user);
	char text[160];
	size_t i, len;

	if (b == NULL || (i = msg_by_uid(b, uid)) == b->n)
		return NL_ENOTFOUND;
	len = b->msgs[i].len;
	nl_free(b->msgs[i].data);
	memmove(&b->msgs[i], &b->msgs[i + 1], (b->n - i - 1) *
	    sizeof b->msgs[0]);
	b->n--;
	snprintf(text, sizeof text, "mailbox %s: -1 message (%zu bytes), "
	    "%zu in all", b->user, len, b->n);
	node_event(n, TRACE_STATE, node, -1, proto, TRACE_F_SHOW, -1, NULL, 0,
	    text);
	return NL_OK;
}
