/* imap_mem.h - an in-memory mail store behind struct imap_backend_ops,
 * for the IMAP unit tests and the IMAP fuzz target, which include this
 * file textually (everything here is static: tests/unit/ links into one
 * binary). No allocation: fixed arrays, message bytes not copied. Two
 * server sessions given the same store share its flags. */
#ifndef NL_TEST_IMAP_MEM_H
#define NL_TEST_IMAP_MEM_H

#include <stdio.h>
#include <string.h>

#include "proto/imap/imap.h"
#include "util/nl.h"

#define IMAP_MEM_USERS 4
#define IMAP_MEM_BOXES 6
#define IMAP_MEM_MSGS 24

struct imap_mem_box {
	char name[64];				/* "INBOX", "Sent" */
	uint32_t uidvalidity;			/* fixed per mailbox */
	uint32_t uidnext;			/* next uid to give */
	struct imap_msg msgs[IMAP_MEM_MSGS];	/* ascending uid */
	size_t n;				/* messages */
};

struct imap_mem_user {
	const char *name;			/* login name */
	const char *pass;			/* password */
	struct imap_mem_box boxes[IMAP_MEM_BOXES]; /* INBOX first */
	size_t nboxes;				/* mailboxes */
};

struct imap_mem {
	struct imap_mem_user users[IMAP_MEM_USERS]; /* the users */
	size_t nusers;				/* users in use */
	int flag_sets;				/* set_flags() calls */
	int expunges;				/* expunge() calls */
};

static inline void
imap_mem_init(struct imap_mem *m)
{
	memset(m, 0, sizeof *m);
}

static inline struct imap_mem_box *
imap_mem_add_box(struct imap_mem_user *u, const char *name,
    uint32_t uidvalidity)
{
	struct imap_mem_box *b;

	if (u->nboxes == IMAP_MEM_BOXES || strlen(name) >= sizeof b->name)
		return NULL;
	b = &u->boxes[u->nboxes++];
	memset(b, 0, sizeof *b);
	snprintf(b->name, sizeof b->name, "%s", name);
	b->uidvalidity = uidvalidity;
	b->uidnext = 1;
	return b;
}

/* A user with an empty INBOX. */
static inline struct imap_mem_user *
imap_mem_add_user(struct imap_mem *m, const char *name, const char *pass,
    uint32_t uidvalidity)
{
	struct imap_mem_user *u;

	if (m->nusers == IMAP_MEM_USERS)
		return NULL;
	u = &m->users[m->nusers++];
	u->name = name;
	u->pass = pass;
	u->nboxes = 0;
	imap_mem_add_box(u, "INBOX", uidvalidity);
	return u;
}

/* Delivers a message (kept by pointer); its uid, 0 when full. */
static inline uint32_t
imap_mem_add(struct imap_mem_box *b, const void *data, size_t len,
    unsigned flags, int64_t date)
{
	struct imap_msg *msg;

	if (b->n == IMAP_MEM_MSGS)
		return 0;
	msg = &b->msgs[b->n++];
	msg->uid = b->uidnext++;
	msg->flags = flags;
	msg->date = date;
	msg->data = data;
	msg->size = len;
	return msg->uid;
}

static struct imap_mem_box *
imap_mem_box(struct imap_mem *m, const char *user, const char *box)
{
	size_t i, k;

	for (i = 0; i < m->nusers; i++) {
		if (strcmp(m->users[i].name, user) != 0)
			continue;
		for (k = 0; k < m->users[i].nboxes; k++)
			if (strcmp(m->users[i].boxes[k].name, box) == 0)
				return &m->users[i].boxes[k];
	}
	return NULL;
}

static struct imap_msg *
imap_mem_msg(struct imap_mem_box *b, uint32_t uid, size_t *at)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++) {
		if (b->msgs[i].uid == uid) {
			if (at != NULL)
				*at = i;
			return &b->msgs[i];
		}
	}
	return NULL;
}

static enum nl_status
imap_mem_login(void *be, const char *user, const char *pass)
{
	struct imap_mem *m = be;
	size_t i;

	for (i = 0; i < m->nusers; i++)
		if (strcmp(m->users[i].name, user) == 0 &&
		    strcmp(m->users[i].pass, pass) == 0)
			return NL_OK;
	return NL_EINVAL;
}

static enum nl_status
imap_mem_list(void *be, const char *user, imap_name_fn *fn, void *arg)
{
	struct imap_mem *m = be;
	size_t i, k;

	for (i = 0; i < m->nusers; i++) {
		if (strcmp(m->users[i].name, user) != 0)
			continue;
		for (k = 0; k < m->users[i].nboxes; k++)
			fn(arg, m->users[i].boxes[k].name);
		return NL_OK;
	}
	return NL_ENOTFOUND;
}

static enum nl_status
imap_mem_create(void *be, const char *user, const char *box)
{
	struct imap_mem *m = be;
	size_t i;

	if (imap_mem_box(m, user, box) != NULL)
		return NL_EEXIST;
	for (i = 0; i < m->nusers; i++)
		if (strcmp(m->users[i].name, user) == 0)
			return imap_mem_add_box(&m->users[i], box,
			    (uint32_t)(1000 + m->users[i].nboxes)) != NULL ?
			    NL_OK : NL_ELIMIT;
	return NL_ENOTFOUND;
}

static enum nl_status
imap_mem_select(void *be, const char *user, const char *box,
    struct imap_mailbox *out)
{
	struct imap_mem_box *b = imap_mem_box(be, user, box);

	memset(out, 0, sizeof *out);
	if (b == NULL)
		return NL_ENOTFOUND;
	out->uidvalidity = b->uidvalidity;
	out->uidnext = b->uidnext;
	out->msgs = b->msgs;
	out->count = b->n;
	return NL_OK;
}

static enum nl_status
imap_mem_set_flags(void *be, const char *user, const char *box, uint32_t uid,
    unsigned flags)
{
	struct imap_mem *m = be;
	struct imap_msg *msg = imap_mem_msg(imap_mem_box(m, user, box), uid,
	    NULL);

	m->flag_sets++;
	if (msg == NULL)
		return NL_ENOTFOUND;
	msg->flags = flags;
	return NL_OK;
}

static enum nl_status
imap_mem_copy(void *be, const char *user, const char *box, uint32_t uid,
    const char *dest)
{
	struct imap_mem *m = be;
	struct imap_msg *msg = imap_mem_msg(imap_mem_box(m, user, box), uid,
	    NULL);
	struct imap_mem_box *d = imap_mem_box(m, user, dest);

	if (msg == NULL)
		return NL_ENOTFOUND;
	if (d == NULL)
		return NL_EINVAL;
	return imap_mem_add(d, msg->data, msg->size, msg->flags, msg->date) != 0
	    ? NL_OK : NL_ELIMIT;
}

static enum nl_status
imap_mem_expunge(void *be, const char *user, const char *box, uint32_t uid)
{
	struct imap_mem *m = be;
	struct imap_mem_box *b = imap_mem_box(m, user, box);
	size_t at;

	m->expunges++;
	if (imap_mem_msg(b, uid, &at) == NULL)
		return NL_ENOTFOUND;
	memmove(b->msgs + at, b->msgs + at + 1, (b->n - at - 1) *
	    sizeof b->msgs[0]);
	b->n--;
	return NL_OK;
}

static const struct imap_backend_ops imap_mem_ops = {
	imap_mem_login, imap_mem_list, imap_mem_create, imap_mem_select,
	imap_mem_set_flags, imap_mem_copy, imap_mem_expunge
};

#endif
