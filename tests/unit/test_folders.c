/* test_folders.c - IMAP mailboxes on the real store (nodes/mailstore.c
 * behind nodes/mail_access.c): CREATE, LIST, COPY with NO [TRYCREATE],
 * EXPUNGE in each mailbox, UIDVALIDITY per mailbox, POP3 seeing the
 * INBOX only, the store surviving a crash, and a user agent's fetch
 * that files what it read into a folder (RFC 3501 6.3.3, 6.3.8, 6.4.7,
 * 6.4.3). */
#include <stdio.h>
#include <string.h>

#include "engine/sim.h"
#include "net/net.h"
#include "nodes/mail_node.h"
#include "nodes/mailstore.h"
#include "proto/imap/imap.h"
#include "scenario/scn.h"
#include "test.h"
#include "world.h"
#include "trace/trace.h"

/* Bob's server with a password, his laptop and phone; alice mails him
 * at 1 s; the timeline follows. */
#define FOLDERS_HEAD                                                       \
	"{\"netlab_scenario\": 1, \"nodes\": ["                            \
	"{\"id\": \"alice\", \"kind\": \"user-agent\", \"address\": "     \
	"\"10.0.0.1\", \"user\": \"alice@crepes.fr\", \"server\": \"mx\"}," \
	"{\"id\": \"laptop\", \"kind\": \"user-agent\", \"address\": "    \
	"\"10.0.0.2\", \"user\": \"bob@hamburger.edu\", \"password\": "   \
	"\"pickles\", \"server\": \"mx\"},"                               \
	"{\"id\": \"phone\", \"kind\": \"user-agent\", \"address\": "     \
	"\"10.0.0.3\", \"user\": \"bob@hamburger.edu\", \"password\": "   \
	"\"pickles\", \"server\": \"mx\"},"                               \
	"{\"id\": \"r\", \"kind\": \"router\", \"addresses\": "           \
	"[\"10.0.0.254\", \"10.0.1.254\"]},"                              \
	"{\"id\": \"mx\", \"kind\": \"mail-server\", \"address\": "       \
	"\"10.0.1.1\", \"domain\": \"hamburger.edu\", \"users\": "        \
	"[{\"name\": \"bob\", \"password\": \"pickles\"}]}],"             \
	"\"links\": [{\"a\": \"alice\", \"b\": \"r\"}, {\"a\": \"laptop\", " \
	"\"b\": \"r\"}, {\"a\": \"phone\", \"b\": \"r\"}, "               \
	"{\"a\": \"r\", \"b\": \"mx\"}], "                                \
	"\"timeline\": [{\"at\": \"1s\", \"do\": \"send-mail\", \"from\": " \
	"\"alice\", \"to\": \"bob@hamburger.edu\", \"subject\": \"Hi\", "  \
	"\"body\": \"Hello Bob\"}"

/* ---- The store alone ----------------------------------------------------- */

static void
test_folders_store(void)
{
	struct sim *s = sim_new(1);
	struct trace *t = trace_new();
	struct net *n;
	struct mailstore *ms;
	struct mailstore_msg mm;
	const struct trace_event *ev;
	int32_t id;

	ASSERT(s != NULL && t != NULL);
	n = net_new(s, t);
	ASSERT(n != NULL);
	ASSERT_EQ(net_node_add(n, "mail", "mail-server", 0, &id), NL_OK);
	ms = mailstore_new();
	ASSERT(ms != NULL);
	ASSERT_EQ(mailstore_add_user(ms, "bob"), NL_OK);
	ASSERT_EQ(mailstore_deliver(ms, n, id, "bob",
	    (const uint8_t *)"Hi\r\n", 4), NL_OK);
	ASSERT_EQ(mailstore_deliver(ms, n, id, "bob",
	    (const uint8_t *)"Again\r\n", 7), NL_OK);

	/* CREATE: INBOX in any case exists; names are checked. */
	ASSERT_EQ(mailstore_create(ms, n, id, "dave", "Archive"), NL_ENOTFOUND);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "inBox"), NL_EEXIST);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "a//b"), NL_EINVAL);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "/a"), NL_EINVAL);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "a/"), NL_EINVAL);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "W%"), NL_EINVAL);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", ""), NL_EINVAL);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "Archive"), NL_OK);
	ev = trace_at(t, trace_count(t) - 1);
	ASSERT_EQ(ev->kind, TRACE_STATE);
	ASSERT(ev->flags & TRACE_F_SHOW);
	ASSERT_STR_EQ(ev->summary, "mailbox bob/Archive: created");
	ASSERT_EQ(mailstore_create(ms, n, id, "BOB", "Archive"), NL_EEXIST);
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "Work/2024"), NL_OK);
	/* Other names are case-sensitive (RFC 3501 5.1). */
	ASSERT_EQ(mailstore_create(ms, n, id, "bob", "archive"), NL_OK);

	/* LIST order: INBOX, then as created. */
	ASSERT_STR_EQ(mailstore_mailbox_name(ms, "bob", 0), "INBOX");
	ASSERT_STR_EQ(mailstore_mailbox_name(ms, "bob", 1), "Archive");
	ASSERT_STR_EQ(mailstore_mailbox_name(ms, "bob", 2), "Work/2024");
	ASSERT_STR_EQ(mailstore_mailbox_name(ms, "bob", 3), "archive");
	ASSERT(mailstore_mailbox_name(ms, "bob", 4) == NULL);
	ASSERT(mailstore_has_mailbox(ms, "bob", "inbox"));
	ASSERT(mailstore_has_mailbox(ms, "bob", NULL));
	ASSERT(!mailstore_has_mailbox(ms, "bob", "ARCHIVE"));
	ASSERT_EQ(mailstore_uidvalidity(ms, "bob", "INBOX"), 1);
	ASSERT_EQ(mailstore_uidvalidity(ms, "bob", "Archive"), 2);
	ASSERT_EQ(mailstore_uidvalidity(ms, "bob", "archive"), 4);

	/* COPY: flags go along, the uid is the destination's. */
	ASSERT_EQ(mailstore_set_flags(ms, n, id, "bob", NULL, 2,
	    IMAP_FLAG_SEEN), NL_OK);
	ASSERT_STR_EQ(trace_at(t, trace_count(t) - 1)->summary,
	    "mailbox bob: message 2 (uid 2) flags now (\\Seen)");
	ASSERT_EQ(mailstore_copy(ms, n, id, "bob", "INBOX", 2, "Nowhere"),
	    NL_ENOTFOUND);
	ASSERT_EQ(mailstore_copy(ms, n, id, "bob", "INBOX", 9, "Archive"),
	    NL_ENOTFOUND);
	ASSERT_EQ(mailstore_copy(ms, n, id, "bob", "INBOX", 2, "Archive"),
	    NL_OK);
	ev = trace_at(t, trace_count(t) - 1);
	ASSERT_STR_EQ(ev->summary, "mailbox bob/Archive: +1 message (7 bytes, "
	    "copied from INBOX uid 2), 1 in all");
	ASSERT_EQ(ev->len, 7);
	ASSERT_MEM_EQ(ev->data, "Again\r\n", 7);
	ASSERT_EQ(mailstore_info(ms, "bob", "Archive", 0, &mm), NL_OK);
	ASSERT_EQ(mm.uid, 1);
	ASSERT_EQ(mm.flags, IMAP_FLAG_SEEN);
	ASSERT_EQ(mailstore_uidnext(ms, "bob", "Archive"), 2);
	/* Into the mailbox it came from: the table may move meanwhile. */
	ASSERT_EQ(mailstore_copy(ms, n, id, "bob", "Archive", 1, "Archive"),
	    NL_OK);
	ASSERT_EQ(mailstore_copy(ms, n, id, "bob", "Archive", 2, "Archive"),
	    NL_OK);
	ASSERT_EQ(mailstore_messages(ms, "bob", "Archive"), 3);
	ASSERT_EQ(mailstore_info(ms, "bob", "Archive", 2, &mm), NL_OK);
	ASSERT_EQ(mm.uid, 3);
	ASSERT_MEM_EQ(mm.data, "Again\r\n", 7);

	/* Flags and EXPUNGE in a folder name it; the INBOX is untouched. */
	ASSERT_EQ(mailstore_set_flags(ms, n, id, "bob", "Archive", 3,
	    IMAP_FLAG_SEEN | IMAP_FLAG_DELETED), NL_OK);
	ASSERT_STR_EQ(trace_at(t, trace_count(t) - 1)->summary,
	    "mailbox bob/Archive: message 3 (uid 3) flags now (\\Seen "
	    "\\Deleted)");
	ASSERT_EQ(mailstore_remove(ms, n, id, "bob", "Archive", 3,
	    TRACE_P_IMAP), NL_OK);
	ASSERT_STR_EQ(trace_at(t, trace_count(t) - 1)->summary,
	    "mailbox bob/Archive: -1 message (7 bytes), 2 in all");
	ASSERT_EQ(mailstore_remove(ms, n, id, "bob", "Work/2024", 1,
	    TRACE_P_IMAP), NL_ENOTFOUND);
	/* POP3 sees the INBOX only (RFC 1939). */
	ASSERT_EQ(mailstore_count(ms, "bob"), 2);
	ASSERT_EQ(mailstore_messages(ms, "bob", "Archive"), 2);
	ASSERT_EQ(mailstore_messages(ms, "bob", "Nowhere"), 0);
	mailstore_free(ms);
	net_free(n);
	trace_free(t);
	sim_free(s);
}

/* ---- Raw IMAP on the real server ------------------------------------------ */

/* The script sent once connected: no literal, so it may be pipelined. */
static void
raw_connected(struct net_tcp *c, enum nl_status st, void *ctx)
{
	const char *lines = ctx;

	if (st == NL_OK)
		(void)net_tcp_send(c, lines, strlen(lines));
}

/* Loads FOLDERS_HEAD + timeline, runs to 5 s, sends script1 from the
 * router, runs to 60 s, sends script2, runs to 120 s. */
static int
run_raw(const char *timeline, const char *script1, const char *script2,
    struct trace **t)
{
	static const struct net_tcp_cbs cbs = { raw_connected, NULL, NULL,
	    NULL };
	char text[4096];
	struct test_world tw;
	struct net_tcp *c;
	struct net *n;
	int ok;

	snprintf(text, sizeof text, "%s%s]}", FOLDERS_HEAD, timeline);
	*t = NULL;
	if (!test_world_open(&tw, text, 1))
		return 0;
	n = scn_world_net(tw.w);
	sim_run(tw.s, SIM_RUN_UNTIL, 5 * SIM_S);
	ok = net_tcp_connect(n, net_node_find(n, "r"),
	    net_node_addr(n, net_node_find(n, "mx")), NODE_IMAP_PORT,
	    &cbs, (void *)(uintptr_t)script1, &c) == NL_OK;
	sim_run(tw.s, SIM_RUN_UNTIL, 60 * SIM_S);
	if (ok && script2 != NULL)
		ok = net_tcp_connect(n, net_node_find(n, "r"),
		    net_node_addr(n, net_node_find(n, "mx")), NODE_IMAP_PORT,
		    &cbs, (void *)(uintptr_t)script2, &c) == NL_OK;
	sim_run(tw.s, SIM_RUN_UNTIL, 120 * SIM_S);
	test_world_close(&tw);
	*t = tw.t;
	return ok;
}

/* CREATE, LIST, COPY (NO [TRYCREATE] first), \Deleted and EXPUNGE, then
 * EXAMINE of the folder: its own UIDs and UIDVALIDITY. POP3 afterwards
 * finds the INBOX empty; a crash of the server loses no folder. */
static void
test_folders_raw_imap(void)
{
	static const char script1[] =
	    "A1 LOGIN bob pickles\r\n"
	    "A2 CREATE Archive\r\n"
	    "A3 CREATE inbox\r\n"
	    "A4 CREATE Archive\r\n"
	    "A5 CREATE Work/2024\r\n"
	    "A6 LIST \"\" *\r\n"
	    "A7 SELECT INBOX\r\n"
	    "A8 COPY 1 Nowhere\r\n"
	    "A9 COPY 1 Archive\r\n"
	    "A10 STORE 1 +FLAGS (\\Deleted)\r\n"
	    "A11 EXPUNGE\r\n"
	    "A12 EXAMINE Archive\r\n"
	    "A13 FETCH 1 (UID FLAGS)\r\n"
	    "A14 LOGOUT\r\n";
	static const char script2[] =
	    "B1 LOGIN bob pickles\r\n"
	    "B2 LIST \"\" %\r\n"
	    "B3 SELECT Archive\r\n"
	    "B4 LOGOUT\r\n";
	struct trace *t = NULL;
	long created, copied, gone, crash;

	ASSERT(run_raw(",{\"at\": \"30s\", \"do\": \"fetch-mail\", \"from\": "
	    "\"laptop\", \"protocol\": \"pop3\"},"
	    "{\"at\": \"40s\", \"do\": \"node-down\", \"node\": \"mx\"},"
	    "{\"at\": \"41s\", \"do\": \"node-up\", \"node\": \"mx\"}",
	    script1, script2, &t));
	created = test_find(t, "mailbox bob/Archive: created");
	ASSERT(test_find(t, "S: A2 OK CREATE completed") > created);
	ASSERT(created >= 0);
	ASSERT(test_find(t, "S: A3 NO [ALREADYEXISTS]") >= 0);
	ASSERT(test_find(t, "S: A4 NO [ALREADYEXISTS]") >= 0);
	ASSERT(test_find(t, "mailbox bob/Work/2024: created") > created);
	ASSERT(test_find(t, "S: * LIST () \"/\" INBOX") >= 0);
	ASSERT(test_find(t, "S: * LIST () \"/\" Archive") >= 0);
	ASSERT(test_find(t, "S: * LIST () \"/\" Work/2024") >= 0);
	ASSERT(test_find(t, "S: A8 NO [TRYCREATE]") >= 0);
	copied = test_find(t, "mailbox bob/Archive: +1 message (");
	ASSERT(copied > test_find(t, "S: A8 NO [TRYCREATE]"));
	ASSERT(strstr(trace_at(t, (size_t)copied)->summary,
	    "copied from INBOX uid 1), 1 in all") != NULL);
	ASSERT(test_find(t, "S: A9 OK COPY completed") > copied);
	gone = test_find(t, "mailbox bob: -1 message");
	ASSERT(gone > copied);
	ASSERT(test_find(t, "S: * 1 EXPUNGE") > gone);
	ASSERT(test_find(t, "S: * OK [UIDVALIDITY 2] ") > gone);
	ASSERT(test_find(t, "S: * 1 FETCH (UID 1 FLAGS ())") > gone);
	ASSERT(test_find(t, "S: A12 OK [READ-ONLY]") > gone);
	ASSERT(test_find(t, "S: A14 OK LOGOUT completed") > gone);
	ASSERT_EQ(test_count(t, "mailbox bob/Archive: -1 message"), 0);
	/* POP3 has no folders: the INBOX is empty. */
	ASSERT(test_find(t, "laptop: no new messages") > gone);
	/* After the crash the folders are still there (the store is the
	 * disk); "%" does not descend into Work. */
	crash = test_find(t, "S: B1 OK");
	ASSERT(crash > gone);
	ASSERT(test_find(t, "S: * LIST () \"/\" Work/2024") < crash);
	ASSERT(test_find(t, "S: * LIST () \"/\" Work\r") < 0);
	ASSERT_EQ(test_count(t, "S: * LIST () \"/\" Archive"), 2);
	ASSERT_EQ(test_count(t, "S: * 1 EXISTS"), 3);
	ASSERT(test_find(t, "S: B3 OK [READ-WRITE]") > crash);
	trace_free(t);
}

/* ---- The user agent files what it read ------------------------------------- */

static int
run_folders(const char *timeline, struct trace **t)
{
	char text[4096];

	snprintf(text, sizeof text, "%s%s]}", FOLDERS_HEAD, timeline);
	return test_world_run(text, 1, 300 * SIM_S, t);
}

/* The phone reads and files into Archive (LIST, then CREATE, COPY,
 * \Deleted, EXPUNGE); the laptop's INBOX is empty, its EXAMINE-free
 * fetch sees nothing new; a second mail is filed without CREATE. */
static void
test_folders_move(void)
{
	struct trace *t = NULL;
	long list, created, copied, gone, report, second;

	ASSERT(run_folders(",{\"at\": \"2s\", \"do\": \"fetch-mail\", "
	    "\"from\": \"phone\", \"protocol\": \"imap\", \"move_to\": "
	    "\"Archive\"},"
	    "{\"at\": \"4s\", \"do\": \"fetch-mail\", \"from\": \"laptop\", "
	    "\"protocol\": \"imap\"},"
	    "{\"at\": \"6s\", \"do\": \"send-mail\", \"from\": \"alice\", "
	    "\"to\": \"bob@hamburger.edu\", \"subject\": \"Again\", "
	    "\"body\": \"x\"},"
	    "{\"at\": \"8s\", \"do\": \"fetch-mail\", \"from\": \"phone\", "
	    "\"protocol\": \"imap\", \"move_to\": \"Archive\"}", &t));
	list = test_find(t, "C: A002 LIST \"\" Archive");
	ASSERT(list >= 0);
	ASSERT(test_find(t, "C: A003 SELECT INBOX") > list);
	created = test_find(t, "mailbox bob/Archive: created");
	ASSERT(created > test_find(t, "C: A005 FETCH 1 BODY[]"));
	ASSERT(test_find(t, "C: A006 CREATE Archive") >= 0);
	ASSERT(test_find(t, "C: A007 COPY 1 Archive") > created);
	copied = test_find(t, "mailbox bob/Archive: +1 message (");
	ASSERT(copied > created);
	ASSERT(strstr(trace_at(t, (size_t)copied)->summary,
	    "copied from INBOX uid 1), 1 in all") != NULL);
	ASSERT(test_find(t, "C: A008 STORE 1 +FLAGS (\\Deleted)") > copied);
	gone = test_find(t, "mailbox bob: -1 message");
	ASSERT(gone > copied);
	ASSERT(test_find(t, "C: A009 EXPUNGE") < gone);
	report = test_find(t, "phone: 1 new message: \"Hi\", filed into "
	    "\"Archive\" on the server");
	ASSERT(report > gone);
	ASSERT(test_find(t, "laptop: no new messages") > report);
	/* The second time LIST shows it: no CREATE. */
	second = test_find(t, "mailbox bob/Archive: +1 message (");
	ASSERT_EQ(test_count(t, "mailbox bob/Archive: created"), 1);
	ASSERT_EQ(test_count(t, "C: A006 CREATE"), 1);
	ASSERT_EQ(test_count(t, "mailbox bob/Archive: +1 message ("), 2);
	ASSERT(test_find(t, "phone: 1 new message: \"Again\", filed into") >
	    second);
	ASSERT(test_find(t, "S: * LIST () \"/\" Archive") > report);
	ASSERT(test_find(t, "C: A006 COPY 1 Archive") > report);
	ASSERT_EQ(test_count(t, "mailbox bob: -1 message"), 2);
	ASSERT_EQ(test_count(t, "mailbox bob/Archive: -1"), 0);
	trace_free(t);
}

/* A move with nothing new sends no CREATE or COPY; a POP3 move is
 * refused by the loader, and by node_fetch_mail. */
static void
test_folders_move_nothing(void)
{
	struct trace *t = NULL;
	struct scn_errors e;
	struct scn_model *m = NULL;
	char text[4096];

	ASSERT(run_folders(",{\"at\": \"0.5s\", \"do\": \"fetch-mail\", "
	    "\"from\": \"phone\", \"protocol\": \"imap\", \"move_to\": "
	    "\"Old/2023\"}", &t));
	ASSERT(test_find(t, "C: A002 LIST \"\" Old/2023") >= 0);
	ASSERT(test_find(t, "phone: no new messages") >= 0);
	ASSERT_EQ(test_count(t, "C: A005 CREATE"), 0);
	ASSERT_EQ(test_count(t, "mailbox bob/"), 0);
	trace_free(t);
	snprintf(text, sizeof text, "%s,{\"at\": \"2s\", \"do\": "
	    "\"fetch-mail\", \"from\": \"phone\", \"protocol\": \"pop3\", "
	    "\"move_to\": \"Archive\"}]}", FOLDERS_HEAD);
	scn_errors_init(&e);
	ASSERT(scn_load_buffer("t.json", text, strlen(text), &m, &e) !=
	    NL_OK);
	scn_errors_free(&e);
	scn_model_free(m);
}

const struct test_case tests_folders[] = {
	{ "folders_store", test_folders_store },
	{ "folders_raw_imap", test_folders_raw_imap },
	{ "folders_move", test_folders_move },
	{ "folders_move_nothing", test_folders_move_nothing },
	{ NULL, NULL },
};
