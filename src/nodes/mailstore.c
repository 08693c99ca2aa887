/* mailstore.c - the mailboxes of a mail server: per user an INBOX and
 * the mailboxes IMAP CREATE made (RFC 3501 5.1, 6.3.3), each change
 * reported as a TRACE_STATE event (see mailstore.h). */
#include <stdio.h>
#include <string.h>

#include "nodes/mail_node.h"
#include "nodes/mailstore.h"
#include "nodes/node_int.h"
#include "proto/imap/imap.h"
#include "util/alloc.h"
#include "util/nl.h"

#define MAILSTORE_EVENT_MAX 65000	/* bytes of a message in its event */
#define MAILSTORE_LABEL_MAX 520	/* "user/mailbox" in an event: both
					 * up to IMAP_NAME_MAX, cut beyond */

struct mail_msg {
	uint8_t *data;		/* the message, owned */
	size_t len;		/* its bytes */
	uint32_t uid;		/* IMAP UID, also the POP3 unique-id */
	unsigned flags;		/* IMAP_FLAG_ bits, shared by all sessions */
	int64_t date;		/* arrival, seconds since 1970 UTC */
};

/* One mailbox of a user. */
struct mailbox {
	char *name;		/* "INBOX" or the name created, owned */
	struct mail_msg *msgs;	/* arrival order, so ascending uid */
	size_t n, cap;
	uint32_t uidnext;	/* the uid the next message gets */
	uint32_t uidvalidity;	/* RFC 3501 2.3.1.1 */
};

/* One user: the INBOX first, then the mailboxes created. */
struct mailuser {
	char *user;		/* local part, owned */
	char *pass;		/* password for POP3/IMAP, owned, or NULL */
	struct mailbox *boxes;	/* boxes[0] is the INBOX */
	size_t n, cap;
	int locked;		/* a POP3 session holds the maildrop */
};

struct mailstore {
	struct mailuser *users;
	size_t n, cap;
};

struct mailstore *
mailstore_new(void)
{
	return nl_calloc(1, sizeof(struct mailstore));
}

static void
box_free(struct mailbox *b)
{
	size_t j;

	for (j = 0; j < b->n; j++)
		nl_free(b->msgs[j].data);
	nl_free(b->msgs);
	nl_free(b->name);
}

void
mailstore_free(struct mailstore *ms)
{
	size_t i, k;

	if (ms == NULL)
		return;
	for (i = 0; i < ms->n; i++) {
		for (k = 0; k < ms->users[i].n; k++)
			box_free(&ms->users[i].boxes[k]);
		nl_free(ms->users[i].boxes);
		nl_free(ms->users[i].user);
		nl_free(ms->users[i].pass);
	}
	nl_free(ms->users);
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

static struct mailuser *
user_find(const struct mailstore *ms, const char *user)
{
	size_t i;

	for (i = 0; ms != NULL && i < ms->n; i++)
		if (same_user(ms->users[i].user, user))
			return &ms->users[i];
	return NULL;
}

/* NULL and "INBOX" in any case name the INBOX (RFC 3501 5.1). */
static int
is_inbox(const char *mbox)
{
	return mbox == NULL || same_user(mbox, "INBOX");
}

/* Mailbox mbox of user, NULL when either is missing. */
static struct mailbox *
box_find(const struct mailstore *ms, const char *user, const char *mbox)
{
	struct mailuser *u = user_find(ms, user);
	size_t k;

	if (u == NULL)
		return NULL;
	if (is_inbox(mbox))
		return &u->boxes[0];
	for (k = 1; k < u->n; k++)
		if (strcmp(u->boxes[k].name, mbox) == 0)
			return &u->boxes[k];
	return NULL;
}

/* Adds an empty mailbox to u; NULL on memory. */
static struct mailbox *
box_add(struct mailuser *u, const char *name)
{
	struct mailbox *b;

	if (u->n == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 2;
		struct mailbox *nb = nl_realloc(u->boxes, ncap * sizeof *nb);

		if (nb == NULL)
			return NULL;
		u->boxes = nb;
		u->cap = ncap;
	}
	b = &u->boxes[u->n];
	memset(b, 0, sizeof *b);
	b->name = nl_strdup(name);
	if (b->name == NULL)
		return NULL;
	b->uidnext = 1;
	/* No DELETE or RENAME: the index is never reused, so it makes a
	 * UIDVALIDITY that no earlier mailbox of that name had. */
	b->uidvalidity = (uint32_t)u->n + 1;
	u->n++;
	return b;
}

/* How events name a mailbox: "bob" for the INBOX (as since the first
 * release: the viewer folds by it), "bob/Archive" otherwise. */
static void
label(char *out, size_t size, const struct mailuser *u,
    const struct mailbox *b)
{
	if (b == &u->boxes[0])
		snprintf(out, size, "%s", u->user);
	else
		snprintf(out, size, "%s/%s", u->user, b->name);
}

enum nl_status
mailstore_add_user(struct mailstore *ms, const char *user)
{
	struct mailuser *u;

	if (user_find(ms, user) != NULL)
		return NL_EEXIST;
	if (ms->n == ms->cap) {
		size_t ncap = ms->cap ? ms->cap * 2 : 4;
		struct mailuser *nu = nl_realloc(ms->users, ncap * sizeof *nu);

		if (nu == NULL)
			return NL_ENOMEM;
		ms->users = nu;
		ms->cap = ncap;
	}
	u = &ms->users[ms->n];
	memset(u, 0, sizeof *u);
	u->user = nl_strdup(user);
	if (u->user == NULL || box_add(u, "INBOX") == NULL) {
		if (u->n > 0)
			box_free(&u->boxes[0]);
		nl_free(u->boxes);
		nl_free(u->user);
		return NL_ENOMEM;
	}
	ms->n++;
	return NL_OK;
}

int
mailstore_has_user(const struct mailstore *ms, const char *user)
{
	return user_find(ms, user) != NULL;
}

/* Appends a copy of len bytes at msg to b with a fresh uid; NULL on
 * memory. msg may not point into b's table (only into a message). */
static struct mail_msg *
msg_append(struct mailbox *b, const uint8_t *msg, size_t len)
{
	struct mail_msg *m;

	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 4;
		struct mail_msg *nm = nl_realloc(b->msgs, ncap * sizeof *nm);

		if (nm == NULL)
			return NULL;
		b->msgs = nm;
		b->cap = ncap;
	}
	m = &b->msgs[b->n];
	m->data = nl_alloc(len ? len : 1);
	if (m->data == NULL)
		return NULL;
	if (len > 0)
		memcpy(m->data, msg, len);
	m->len = len;
	m->uid = b->uidnext++;
	m->flags = 0;
	m->date = 0;
	b->n++;
	return m;
}

enum nl_status
mailstore_deliver(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, const uint8_t *msg, size_t len)
{
	struct mailuser *u = user_find(ms, user);
	struct mailbox *b;
	struct mail_msg *m;
	char text[160];

	if (u == NULL)
		return NL_ENOTFOUND;
	b = &u->boxes[0];
	if ((m = msg_append(b, msg, len)) == NULL)
		return NL_ENOMEM;
	m->date = NODE_MAIL_EPOCH + sim_now(net_sim(n)) / SIM_S;
	snprintf(text, sizeof text, "mailbox %s: +1 message (%zu bytes), "
	    "%zu in all", u->user, len, b->n);
	node_event(n, TRACE_STATE, node, -1, TRACE_P_SMTP, TRACE_F_SHOW, -1,
	    msg, len < MAILSTORE_EVENT_MAX ? len : MAILSTORE_EVENT_MAX, text);
	return NL_OK;
}

size_t
mailstore_count(const struct mailstore *ms, const char *user)
{
	return mailstore_messages(ms, user, NULL);
}

const uint8_t *
mailstore_get(const struct mailstore *ms, const char *user, size_t i,
    size_t *len)
{
	const struct mailbox *b = box_find(ms, user, NULL);

	if (b == NULL || i >= b->n)
		return NULL;
	*len = b->msgs[i].len;
	return b->msgs[i].data;
}

enum nl_status
mailstore_set_password(struct mailstore *ms, const char *user,
    const char *pass)
{
	struct mailuser *u = user_find(ms, user);
	char *p;

	if (u == NULL)
		return NL_ENOTFOUND;
	p = pass != NULL ? nl_strdup(pass) : NULL;
	if (pass != NULL && p == NULL)
		return NL_ENOMEM;
	nl_free(u->pass);
	u->pass = p;
	return NL_OK;
}

int
mailstore_login(const struct mailstore *ms, const char *user,
    const char *pass)
{
	const struct mailuser *u = user_find(ms, user);

	return u != NULL && u->pass != NULL && pass != NULL &&
	    strcmp(u->pass, pass) == 0;
}

enum nl_status
mailstore_lock(struct mailstore *ms, const char *user, int lock)
{
	struct mailuser *u = user_find(ms, user);

	if (u == NULL)
		return NL_ENOTFOUND;
	if (lock && u->locked)
		return NL_ESTATE;
	u->locked = lock;
	return NL_OK;
}

enum nl_status
mailstore_info(const struct mailstore *ms, const char *user,
    const char *mbox, size_t i, struct mailstore_msg *out)
{
	const struct mailbox *b = box_find(ms, user, mbox);

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

int
mailstore_has_mailbox(const struct mailstore *ms, const char *user,
    const char *mbox)
{
	return box_find(ms, user, mbox) != NULL;
}

size_t
mailstore_messages(const struct mailstore *ms, const char *user,
    const char *mbox)
{
	const struct mailbox *b = box_find(ms, user, mbox);

	return b != NULL ? b->n : 0;
}

uint32_t
mailstore_uidnext(const struct mailstore *ms, const char *user,
    const char *mbox)
{
	const struct mailbox *b = box_find(ms, user, mbox);

	return b != NULL ? b->uidnext : 1;
}

uint32_t
mailstore_uidvalidity(const struct mailstore *ms, const char *user,
    const char *mbox)
{
	const struct mailbox *b = box_find(ms, user, mbox);

	return b != NULL ? b->uidvalidity : 1;
}

const char *
mailstore_mailbox_name(const struct mailstore *ms, const char *user,
    size_t i)
{
	const struct mailuser *u = user_find(ms, user);

	return u != NULL && i < u->n ? u->boxes[i].name : NULL;
}

enum nl_status
mailstore_create(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, const char *mbox)
{
	struct mailuser *u = user_find(ms, user);
	struct mailbox *b;
	char text[MAILSTORE_LABEL_MAX + 32], lb[MAILSTORE_LABEL_MAX];

	if (u == NULL)
		return NL_ENOTFOUND;
	if (box_find(ms, user, mbox) != NULL)
		return NL_EEXIST;
	if (!imap_mailbox_valid(mbox))
		return NL_EINVAL;
	if ((b = box_add(u, mbox)) == NULL)
		return NL_ENOMEM;
	label(lb, sizeof lb, u, b);
	snprintf(text, sizeof text, "mailbox %s: created", lb);
	node_event(n, TRACE_STATE, node, -1, TRACE_P_IMAP, TRACE_F_SHOW, -1,
	    NULL, 0, text);
	return NL_OK;
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
mailstore_copy(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, const char *mbox, uint32_t uid, const char *dest)
{
	struct mailuser *u = user_find(ms, user);
	struct mailbox *from = box_find(ms, user, mbox);
	struct mailbox *to = box_find(ms, user, dest);
	struct mail_msg src, *m;
	char text[MAILSTORE_LABEL_MAX * 2 + 96], lb[MAILSTORE_LABEL_MAX];
	size_t i;

	if (u == NULL || from == NULL || to == NULL ||
	    (i = msg_by_uid(from, uid)) == from->n)
		return NL_ENOTFOUND;
	/* By value: appending to the same mailbox may move the table. */
	src = from->msgs[i];
	if ((m = msg_append(to, src.data, src.len)) == NULL)
		return NL_ENOMEM;
	/* RFC 3501 6.4.7: the flags and internal date go along. */
	m->flags = src.flags;
	m->date = src.date;
	label(lb, sizeof lb, u, to);
	snprintf(text, sizeof text, "mailbox %s: +1 message (%zu bytes, "
	    "copied from %s uid %u), %zu in all", lb, src.len, from->name,
	    (unsigned)uid, to->n);
	node_event(n, TRACE_STATE, node, -1, TRACE_P_IMAP, TRACE_F_SHOW, -1,
	    m->data, src.len < MAILSTORE_EVENT_MAX ? src.len :
	    MAILSTORE_EVENT_MAX, text);
	return NL_OK;
}

enum nl_status
mailstore_set_flags(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, const char *mbox, uint32_t uid, unsigned flags)
{
	struct mailuser *u = user_find(ms, user);
	struct mailbox *b = box_find(ms, user, mbox);
	char text[MAILSTORE_LABEL_MAX + 160], fl[80], lb[MAILSTORE_LABEL_MAX];
	size_t i;

	if (u == NULL || b == NULL || (i = msg_by_uid(b, uid)) == b->n)
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
	label(lb, sizeof lb, u, b);
	snprintf(text, sizeof text, "mailbox %s: message %zu (uid %u) "
	    "flags now (%s)", lb, i + 1, (unsigned)uid,
	    fl[0] != '\0' ? fl + 1 : "");
	node_event(n, TRACE_STATE, node, -1, TRACE_P_IMAP, TRACE_F_SHOW, -1,
	    NULL, 0, text);
	return NL_OK;
}

enum nl_status
mailstore_remove(struct mailstore *ms, struct net *n, int32_t node,
    const char *user, const char *mbox, uint32_t uid, enum trace_proto proto)
{
	struct mailuser *u = user_find(ms, user);
	struct mailbox *b = box_find(ms, user, mbox);
	char text[MAILSTORE_LABEL_MAX + 80], lb[MAILSTORE_LABEL_MAX];
	size_t i, len;

	if (u == NULL || b == NULL || (i = msg_by_uid(b, uid)) == b->n)
		return NL_ENOTFOUND;
	len = b->msgs[i].len;
	nl_free(b->msgs[i].data);
	memmove(&b->msgs[i], &b->msgs[i + 1], (b->n - i - 1) *
	    sizeof b->msgs[0]);
	b->n--;
	label(lb, sizeof lb, u, b);
	snprintf(text, sizeof text, "mailbox %s: -1 message (%zu bytes), "
	    "%zu in all", lb, len, b->n);
	node_event(n, TRACE_STATE, node, -1, proto, TRACE_F_SHOW, -1, NULL, 0,
	    text);
	return NL_OK;
}
