/* ua_reply.c - replies and forwards of a user agent, from the messages
 * it fetched: the header fields a mail program reads from the original
 * and the ones it writes back (RFC 5322 3.6.4 for the thread fields,
 * RFC 2046 5.2.1 for a forward attached as message/rfc822). */
#include <stdio.h>
#include <string.h>

#include "nodes/ua_int.h"
#include "proto/imf/imf.h"
#include "util/alloc.h"
#include "util/nl.h"

#define UA_QUOTE_LINES 40	/* lines of the original quoted in a reply */
#define UA_FIELD_MAX 998	/* an unfolded field we read */

enum nl_status
ua_box_add(struct ua *u, const uint8_t *data, size_t len)
{
	struct ua_box_msg *b;
	uint8_t *copy = nl_memdup(data, len > 0 ? len : 1);

	if (copy == NULL)
		return NL_ENOMEM;
	if (u->nbox == UA_BOX_MAX) {
		nl_free(u->box[0].data);
		memmove(u->box, u->box + 1, (u->nbox - 1) * sizeof *u->box);
		u->nbox--;
	}
	b = nl_realloc(u->box, (u->nbox + 1) * sizeof *b);
	if (b == NULL) {
		nl_free(copy);
		return NL_ENOMEM;
	}
	u->box = b;
	u->box[u->nbox].data = copy;
	u->box[u->nbox].len = len;
	u->nbox++;
	return NL_OK;
}

void
ua_box_clear(struct ua *u)
{
	size_t i;

	for (i = 0; i < u->nbox; i++)
		nl_free(u->box[i].data);
	nl_free(u->box);
	u->box = NULL;
	u->nbox = 0;
}

/* The next line of m from *pos, without its CRLF or LF; 0 at the end. */
static int
next_line(const uint8_t *m, size_t n, size_t *pos, const uint8_t **line,
    size_t *len)
{
	size_t i = *pos;

	if (i >= n)
		return 0;
	*line = m + i;
	while (i < n && m[i] != '\n')
		i++;
	*len = i - *pos;
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	*pos = i < n ? i + 1 : n;
	return 1;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* 1 if line starts with "name:" in any case. */
static int
is_field(const uint8_t *line, size_t len, const char *name)
{
	size_t k = strlen(name), i;

	if (len <= k || line[k] != ':')
		return 0;
	for (i = 0; i < k; i++)
		if (lower(line[i]) != lower((unsigned char)name[i]))
			return 0;
	return 1;
}

int
ua_msg_field(const uint8_t *m, size_t n, const char *name, char *buf,
    size_t size)
{
	const uint8_t *line;
	size_t pos = 0, len, used = 0, k;
	int in = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	while (next_line(m, n, &pos, &line, &len) && len > 0) {
		if (in && (line[0] == ' ' || line[0] == '\t')) {
			k = 0;		/* a folded line: unfold (2.2.3) */
		} else if (in) {
			break;
		} else if (is_field(line, len, name)) {
			in = 1;
			k = strlen(name) + 1;
		} else {
			continue;
		}
		if (used + len - k >= size)
			return 0;
		memcpy(buf + used, line + k, len - k);
		used += len - k;
		buf[used] = '\0';
	}
	if (!in)
		return 0;
	/* Trim the spaces around the value. */
	for (k = 0; buf[k] == ' ' || buf[k] == '\t'; k++)
		;
	memmove(buf, buf + k, used - k + 1);
	used -= k;
	while (used > 0 && (buf[used - 1] == ' ' || buf[used - 1] == '\t'))
		buf[--used] = '\0';
	return 1;
}

/* 1 if hay contains needle, ignoring ASCII case. */
static int
contains_nocase(const char *hay, const char *needle)
{
	size_t i, j, n = strlen(needle);

	for (i = 0; hay[i] != '\0'; i++) {
		for (j = 0; j < n && hay[i + j] != '\0' &&
		    lower((unsigned char)hay[i + j]) ==
		    lower((unsigned char)needle[j]); j++)
			;
		if (j == n)
			return 1;
	}
	return n == 0;
}

/* The addr-spec of a From: value: inside <...> if any, else the value
 * up to a space ("alice@crepes.fr (Alice)"). 0 if none. */
static int
addr_of(const char *v, char *buf, size_t size)
{
	const char *lt = strchr(v, '<'), *end;
	size_t l;

	if (lt != NULL) {
		v = lt + 1;
		end = strchr(v, '>');
	} else {
		end = strpbrk(v, " \t");
	}
	l = end != NULL ? (size_t)(end - v) : strlen(v);
	if (l == 0 || l >= size || memchr(v, '@', l) == NULL)
		return 0;
	memcpy(buf, v, l);
	buf[l] = '\0';
	return 1;
}

/* 1 if s starts with p, ignoring ASCII case. */
static int
starts_nocase(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++)
		if (lower((unsigned char)*s) != lower((unsigned char)*p))
			return 0;
	return 1;
}

/* "Re: x" or "Fwd: x", without piling prefixes up ("Re: Re: x"). */
static void
prefixed(const char *prefix, const char *subj, char *buf, size_t size)
{
	if (starts_nocase(subj, prefix))
		snprintf(buf, size, "%s", subj);
	else if (subj[0] == '\0')
		snprintf(buf, size, "%s", prefix);
	else
		snprintf(buf, size, "%s %s", prefix, subj);
}

/* The newest fetched message whose subject contains about. */
static const struct ua_box_msg *
find_about(const struct ua *u, const char *about)
{
	char subj[UA_FIELD_MAX + 1];
	size_t i;

	for (i = u->nbox; i-- > 0;)
		if (ua_msg_field(u->box[i].data, u->box[i].len, "Subject",
		    subj, sizeof subj) && contains_nocase(subj, about))
			return &u->box[i];
	return NULL;
}

/* The reply's body: the user's text, then the original quoted with
 * "> " when it is plain text (a MIME multipart is not quoted). */
static enum nl_status
reply_body(struct nl_dbuf *b, const char *text, const struct ua_box_msg *o,
    const char *from, const char *date)
{
	char ct[UA_FIELD_MAX + 1];
	const uint8_t *line;
	size_t pos = 0, len, nq = 0;
	enum nl_status st = NL_OK;

	if (text != NULL)
		st = nl_dbuf_add_str(b, text);
	if (ua_msg_field(o->data, o->len, "Content-Type", ct, sizeof ct) &&
	    contains_nocase(ct, "multipart"))
		return st == NL_OK ? nl_dbuf_add(b, "", 1) : st;
	if (st == NL_OK)
		st = nl_dbuf_addf(b, "%sOn %s, %s wrote:\n", text == NULL ||
		    text[0] == '\0' ? "" : text[strlen(text) - 1] == '\n' ?
		    "\n" : "\n\n", date[0] != '\0' ? date :
		    "an earlier day", from);
	/* Skip the header, then quote. */
	while (next_line(o->data, o->len, &pos, &line, &len) && len > 0)
		;
	while (st == NL_OK && next_line(o->data, o->len, &pos, &line, &len)) {
		if (nq++ == UA_QUOTE_LINES) {
			st = nl_dbuf_add_str(b, "> [...]\n");
			break;
		}
		st = nl_dbuf_add_str(b, ">");
		if (st == NL_OK && len > 0)
			st = nl_dbuf_add_str(b, " ");
		if (st == NL_OK)
			st = nl_dbuf_add(b, line, len);
		if (st == NL_OK)
			st = nl_dbuf_add_str(b, "\n");
	}
	if (st == NL_OK)
		st = nl_dbuf_add(b, "", 1);
	return st;
}

enum nl_status
ua_write_about(const struct ua *u, const struct node_mail_send *m,
    const char *msgid, int64_t date, const char *to, char *rcpt,
    size_t rcpt_size, struct nl_dbuf *out, const char **why)
{
	const struct ua_box_msg *o = find_about(u, m->about);
	char subj[UA_FIELD_MAX + 1], from[UA_FIELD_MAX + 1];
	char oid[UA_FIELD_MAX + 1], refs[2 * UA_FIELD_MAX + 2];
	char odate[UA_FIELD_MAX + 1], nsubj[UA_FIELD_MAX + 8];
	struct imf_msg im;
	struct nl_dbuf body;
	enum nl_status st;

	*why = NULL;
	if (o == NULL) {
		*why = "no message it fetched has that subject";
		return NL_ENOTFOUND;
	}
	if (!ua_msg_field(o->data, o->len, "Subject", subj, sizeof subj))
		subj[0] = '\0';
	memset(&im, 0, sizeof im);
	im.from = u->user;
	im.date = date;
	im.message_id = msgid;
	im.minimal = 1;
	nl_dbuf_init(&body, 1u << 20);
	if (m->forward) {
		prefixed("Fwd:", subj, nsubj, sizeof nsubj);
		im.subject = nsubj;
		im.to = to;
		im.body = m->body;
		im.forward = o->data;
		im.forward_len = o->len;
		rcpt[0] = '\0';
		st = imf_msg_write(&im, out);
		nl_dbuf_free(&body);
		return st;
	}
	if (!ua_msg_field(o->data, o->len, "From", from, sizeof from) ||
	    !addr_of(from, rcpt, rcpt_size)) {
		*why = "the message has no From: address to reply to";
		nl_dbuf_free(&body);
		return NL_EINVAL;
	}
	if (!ua_msg_field(o->data, o->len, "Date", odate, sizeof odate))
		odate[0] = '\0';
	/* RFC 5322 3.6.4: In-Reply-To is the parent's Message-ID;
	 * References is the parent's References (or In-Reply-To) followed
	 * by the parent's Message-ID. */
	refs[0] = '\0';
	if (ua_msg_field(o->data, o->len, "Message-ID", oid, sizeof oid)) {
		char prev[UA_FIELD_MAX + 1];

		if (ua_msg_field(o->data, o->len, "References", prev,
		    sizeof prev) || ua_msg_field(o->data, o->len,
		    "In-Reply-To", prev, sizeof prev))
			snprintf(refs, sizeof refs, "%s %s", prev, oid);
		else
			snprintf(refs, sizeof refs, "%s", oid);
		im.in_reply_to = oid;
		im.references = refs;
	}
	prefixed("Re:", subj, nsubj, sizeof nsubj);
	im.subject = nsubj;
	im.to = rcpt;
	st = reply_body(&body, m->body, o, from, odate);
	if (st == NL_OK) {
		im.body = (const char *)body.data;
		st = imf_msg_write(&im, out);
	}
	nl_dbuf_free(&body);
	return st;
}
