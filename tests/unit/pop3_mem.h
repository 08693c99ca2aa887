/* pop3_mem.h - an in-memory maildrop behind struct pop3_backend_ops, for
 * the POP3 unit tests and the POP3 fuzz target, which include this file
 * textually (everything here is static: tests/unit/ links into one
 * binary). No allocation: fixed arrays, message bytes not copied. */
#ifndef NL_TEST_POP3_MEM_H
#define NL_TEST_POP3_MEM_H

#include <stdio.h>
#include <string.h>

#include "proto/pop3/pop3.h"
#include "util/nl.h"

#define POP3_MEM_USERS 4
#define POP3_MEM_MSGS 16

struct pop3_mem_user {
	const char *name;			/* login name */
	const char *pass;			/* its password */
	int locked;				/* a session holds the drop */
	size_t n;				/* messages */
	struct pop3_msg list[POP3_MEM_MSGS];	/* what list() hands out */
	const uint8_t *data[POP3_MEM_MSGS];	/* their bytes, not owned */
	char uid[POP3_MEM_MSGS][POP3_UID_MAX + 1];		/* their unique-ids */
	int marked[POP3_MEM_MSGS];		/* mark() as last told */
};

struct pop3_mem {
	struct pop3_mem_user users[POP3_MEM_USERS]; /* the maildrops */
	size_t nusers;				/* users in use */
	unsigned next_uid;			/* for unique-ids */
	int commits;				/* commit() calls */
	int releases;				/* release() calls */
};

static inline void
pop3_mem_init(struct pop3_mem *m)
{
	memset(m, 0, sizeof *m);
	m->next_uid = 1;
}

static inline struct pop3_mem_user *
pop3_mem_add_user(struct pop3_mem *m, const char *name, const char *pass)
{
	struct pop3_mem_user *u;

	if (m->nusers == POP3_MEM_USERS)
		return NULL;
	u = &m->users[m->nusers++];
	u->name = name;
	u->pass = pass;
	return u;
}

/* Adds a message of len bytes (kept by pointer); uid NULL: a made-up
 * one. 0 when the drop is full. */
static inline int
pop3_mem_add(struct pop3_mem *m, struct pop3_mem_user *u, const void *data,
    size_t len, const char *uid)
{
	size_t i = u->n;

	if (i == POP3_MEM_MSGS)
		return 0;
	if (uid != NULL)
		snprintf(u->uid[i], sizeof u->uid[i], "%s", uid);
	else
		snprintf(u->uid[i], sizeof u->uid[i], "mem%04u", m->next_uid);
	m->next_uid++;
	u->data[i] = data;
	u->list[i].size = len;
	u->list[i].uid = u->uid[i];
	u->marked[i] = 0;
	u->n++;
	return 1;
}

static struct pop3_mem_user *
pop3_mem_find(struct pop3_mem *m, const char *user)
{
	size_t i;

	for (i = 0; i < m->nusers; i++)
		if (strcmp(m->users[i].name, user) == 0)
			return &m->users[i];
	return NULL;
}

static enum nl_status
pop3_mem_login(void *be, const char *user, const char *pass)
{
	struct pop3_mem_user *u = pop3_mem_find(be, user);

	return u != NULL && strcmp(u->pass, pass) == 0 ? NL_OK : NL_EINVAL;
}

static enum nl_status
pop3_mem_list(void *be, const char *user, const struct pop3_msg **msgs,
    size_t *count)
{
	struct pop3_mem_user *u = pop3_mem_find(be, user);

	*msgs = NULL;
	*count = 0;
	if (u == NULL)
		return NL_ENOTFOUND;
	if (u->locked)
		return NL_ESTATE;
	u->locked = 1;
	*msgs = u->list;
	*count = u->n;
	return NL_OK;
}

static enum nl_status
pop3_mem_fetch(void *be, const char *user, size_t i, const uint8_t **data,
    size_t *len)
{
	struct pop3_mem_user *u = pop3_mem_find(be, user);

	*data = NULL;
	*len = 0;
	if (u == NULL || i >= u->n)
		return NL_ENOTFOUND;
	*data = u->data[i];
	*len = u->list[i].size;
	return NL_OK;
}

static void
pop3_mem_mark(void *be, const char *user, size_t i, int deleted)
{
	struct pop3_mem_user *u = pop3_mem_find(be, user);

	if (u != NULL && i < u->n)
		u->marked[i] = deleted;
}

static enum nl_status
pop3_mem_commit(void *be, const char *user, const uint8_t *del,
    size_t count)
{
	struct pop3_mem *m = be;
	struct pop3_mem_user *u = pop3_mem_find(m, user);
	size_t i, k = 0;

	m->commits++;
	if (u == NULL || count != u->n)
		return NL_EINVAL;
	for (i = 0; i < u->n; i++) {
		if (del[i])
			continue;
		u->data[k] = u->data[i];
		u->list[k].size = u->list[i].size;
		memmove(u->uid[k], u->uid[i], sizeof u->uid[k]);
		u->list[k].uid = u->uid[k];
		u->marked[k] = 0;
		k++;
	}
	u->n = k;
	return NL_OK;
}

static void
pop3_mem_release(void *be, const char *user)
{
	struct pop3_mem *m = be;
	struct pop3_mem_user *u = pop3_mem_find(m, user);
	size_t i;

	m->releases++;
	if (u == NULL)
		return;
	u->locked = 0;
	for (i = 0; i < u->n; i++)
		u->marked[i] = 0;
}

static const struct pop3_backend_ops pop3_mem_ops = {
	pop3_mem_login, pop3_mem_list, pop3_mem_fetch, pop3_mem_mark,
	pop3_mem_commit, pop3_mem_release
};

#endif
