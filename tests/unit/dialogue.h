/* dialogue.h - C:/S: scripts for the session tests (OpenSMTPD's
 * smtpscript, curl's <protocol> blocks): a transcript built from the
 * bytes as they cross, and the lines of one side of a script. Included
 * textually by test_pop3.c and test_imap.c; everything is static. */
#ifndef NL_TEST_DIALOGUE_H
#define NL_TEST_DIALOGUE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define DLG_TEXT_MAX 65536

/* "C: line\n" and "S: line\n" for every CRLF line that crossed. */
struct dlg_tx {
	char text[DLG_TEXT_MAX];	/* NUL-terminated */
	size_t len;			/* bytes in text */
	int mid[2];			/* side 0 (S) / 1 (C) is mid-line */
	int overflow;			/* text was cut */
};

static inline void
dlg_tx_init(struct dlg_tx *t)
{
	memset(t, 0, sizeof *t);
}

static inline void
dlg_tx_put(struct dlg_tx *t, const char *p, size_t n)
{
	if (t->len + n + 1 > sizeof t->text) {
		t->overflow = 1;
		return;
	}
	memcpy(t->text + t->len, p, n);
	t->len += n;
	t->text[t->len] = '\0';
}

/* Adds n bytes sent by one side. A CRLF ends a line ("\n" in the text);
 * a line is prefixed "C: " or "S: " by its sender. */
static inline void
dlg_tx_add(struct dlg_tx *t, int from_client, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!t->mid[from_client]) {
			dlg_tx_put(t, from_client ? "C: " : "S: ", 3);
			t->mid[from_client] = 1;
		}
		if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') {
			dlg_tx_put(t, "\n", 1);
			t->mid[from_client] = 0;
			i++;
			continue;
		}
		dlg_tx_put(t, (const char *)p + i, 1);
	}
}

/* Steps through a script: *who gets 'C' or 'S', *line and *len the text
 * after "C: ". Returns the rest of the script, or NULL at its end. */
static inline const char *
dlg_next(const char *s, char *who, const char **line, size_t *len)
{
	const char *nl;

	if (s == NULL || *s == '\0')
		return NULL;
	nl = strchr(s, '\n');
	if (nl == NULL)
		nl = s + strlen(s);
	*who = s[0];
	*line = s + 3;
	*len = (size_t)(nl - s) >= 3 ? (size_t)(nl - s) - 3 : 0;
	return *nl == '\n' ? nl + 1 : nl;
}

/* The lines one side says in a script, each with its CRLF, into out
 * (NUL-terminated); returns their length. */
static inline size_t
dlg_side(const char *script, char side, char *out, size_t outsz)
{
	const char *line;
	size_t len, n = 0;
	char who;

	while ((script = dlg_next(script, &who, &line, &len)) != NULL) {
		if (who != side || n + len + 3 > outsz)
			continue;
		memcpy(out + n, line, len);
		memcpy(out + n + len, "\r\n", 2);
		n += len + 2;
	}
	out[n] = '\0';
	return n;
}

#endif
