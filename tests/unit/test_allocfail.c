/* test_allocfail.c - allocation failure in every codec and loader.
 *
 * Each case runs one piece of work again and again with the Nth
 * allocation failing (util/alloc.h's countdown), N = 0, 1, 2, ... until
 * a run sees no failure (SQLite's faultsim loop, Lua's Memcontrol). A
 * run that met a failure must end in an error (a status, or a
 * temporary-failure reply to the peer for a session); one that says it
 * succeeded must have produced exactly what the clean run produced.
 * LeakSanitizer, at exit, catches what a failure path forgot to free. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sim.h"
#include "nodes/dns_zone.h"
#include "proto/dns/dns_msg.h"
#include "proto/imf/imf.h"
#include "proto/smtp/smtp_client.h"
#include "proto/smtp/smtp_server.h"
#include "scenario/scn.h"
#include "test.h"
#include "trace/pcap.h"
#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/transcript.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "imap_mem.h"
#include "pop3_mem.h"
#include "world.h"

/* What one run under the countdown came to. */
enum af_res {
	AF_DONE,	/* success, and the result is the clean run's */
	AF_ERROR,	/* the failure was reported */
	AF_WRONG	/* success reported with missing or wrong data */
};

typedef enum af_res af_fn(void *ctx);

static int af_seen;	/* an allocation failed before af_pause */

/* Ends the failures for the rest of a run, remembering whether one
 * happened: what checks the result must not fail itself. */
static void
af_pause(void)
{
	af_seen |= nl_alloc_failed();
	nl_alloc_fail_after(-1);
}

/* More allocations than any case here makes. */
#define AF_RUNS_MAX 200000

/* Runs fn with the Nth allocation failing for N = 0, 1, ... until a run
 * sees no failure. Returns how many runs that took (1: the case does not
 * allocate), or 0 after printing what went wrong. */
static long
af_loop(const char *what, af_fn *fn, void *ctx)
{
	long n;

	for (n = 0; n < AF_RUNS_MAX; n++) {
		enum af_res r;
		int failed;

		af_seen = 0;
		nl_alloc_fail_after(n);
		r = fn(ctx);
		failed = af_seen | nl_alloc_failed();
		nl_alloc_fail_after(-1);
		if (r == AF_WRONG) {
			fprintf(stderr, "  %s: allocation %ld failed, yet "
			    "success was reported with wrong data\n", what, n);
			return 0;
		}
		if (!failed) {
			if (r != AF_DONE) {
				fprintf(stderr, "  %s: failed with no "
				    "allocation failing\n", what);
				return 0;
			}
			return n + 1;
		}
	}
	fprintf(stderr, "  %s: still failing after %d runs\n", what,
	    AF_RUNS_MAX);
	return 0;
}

/* ---- Collecting output without the allocator ---------------------------- */

#define AF_OUT_MAX 65536

/* Bytes a session wrote, kept in a fixed buffer so that collecting them
 * never allocates (and never fails under the countdown). */
struct af_out {
	char data[AF_OUT_MAX];
	size_t len;
	int overflow;
};

static void
af_out_add(struct af_out *o, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (o->len + n > sizeof o->data) {
		o->overflow = 1;
		return;
	}
	memcpy(o->data + o->len, p, n);
	o->len += n;
}

/* 1 if the line holding offset `at` of o tells the peer that something
 * failed: an SMTP 4xx, a POP3 -ERR, an IMAP NO, BAD or BYE. */
static int
af_fail_line(const struct af_out *o, size_t at)
{
	size_t s = at, e = at;
	char line[128];

	while (s > 0 && o->data[s - 1] != '\n')
		s--;
	while (e < o->len && o->data[e] != '\r' && e - s < sizeof line - 1)
		e++;
	memcpy(line, o->data + s, e - s);
	line[e - s] = '\0';
	return line[0] == '4' || strncmp(line, "-ERR", 4) == 0 ||
	    strstr(line, " NO ") != NULL || strstr(line, " BAD ") != NULL ||
	    strncmp(line, "* BYE", 5) == 0;
}

/* Judges a session run whose calls all returned OK: the clean run's
 * bytes, or a failure told to the peer where they first differ. */
static enum af_res
af_out_judge(const struct af_out *got, const struct af_out *ref)
{
	size_t i;

	if (got->overflow)
		return AF_WRONG;
	for (i = 0; i < got->len && i < ref->len; i++)
		if (got->data[i] != ref->data[i])
			break;
	if (i == got->len && i == ref->len)
		return AF_DONE;
	return af_fail_line(got, i < got->len ? i : got->len - 1) ?
	    AF_ERROR : AF_WRONG;
}

/* ---- DNS messages --------------------------------------------------------- */

/* An MX answer with AUTHORITY and ADDITIONAL, names compressed. */
static const uint8_t dns_resp[] = {
	0xbe, 0xef, 0x85, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00,
	0x02, 0x04, 0x47, 0x41, 0x49, 0x41, 0x02, 0x63, 0x73, 0x05, 0x55,
	0x4d, 0x61, 0x73, 0x73, 0x03, 0x65, 0x64, 0x75, 0x00, 0x00, 0x0f,
	0x00, 0x01, 0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, 0x00, 0x00, 0x01,
	0x2c, 0x00, 0x09, 0x00, 0x0a, 0x04, 0x4d, 0x61, 0x69, 0x6c, 0xc0,
	0x11, 0xc0, 0x11, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c,
	0x00, 0x06, 0x03, 0x6e, 0x73, 0x31, 0xc0, 0x11, 0xc0, 0x31, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2c, 0x00, 0x04, 0x80, 0x77,
	0xf0, 0x02, 0xc0, 0x14, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01,
	0x2c, 0x00, 0x26, 0x02, 0x6e, 0x73, 0xc0, 0x14, 0x0a, 0x68, 0x6f,
	0x73, 0x74, 0x6d, 0x61, 0x73, 0x74, 0x65, 0x72, 0xc0, 0x14, 0x00,
	0x00, 0x07, 0xe8, 0x00, 0x00, 0x1c, 0x20, 0x00, 0x00, 0x03, 0x84,
	0x00, 0x09, 0x3a, 0x80, 0x00, 0x01, 0x51, 0x80
};

struct af_dns {
	struct dns_msg *ref;	/* the message parsed cleanly */
	struct nl_dbuf wire;	/* the clean write of ref */
};

static enum af_res
run_dns_parse(void *ctx)
{
	struct af_dns *d = ctx;
	struct dns_msg *m = NULL;
	enum nl_status st = dns_msg_parse(dns_resp, sizeof dns_resp, &m, NULL);
	enum af_res r;

	if (st != NL_OK)
		return m == NULL && st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
	r = dns_msg_eq(m, d->ref) ? AF_DONE : AF_WRONG;
	dns_msg_free(m);
	return r;
}

static enum af_res
run_dns_write(void *ctx)
{
	struct af_dns *d = ctx;
	struct nl_dbuf out;
	enum nl_status st;
	enum af_res r;

	nl_dbuf_init(&out, DNS_MSG_MAX);
	st = dns_msg_write(d->ref, &out);
	if (st != NL_OK)
		r = st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
	else
		r = out.len == d->wire.len && memcmp(out.data, d->wire.data,
		    out.len) == 0 ? AF_DONE : AF_WRONG;
	nl_dbuf_free(&out);
	return r;
}

static void
allocfail_dns_msg(void)
{
	struct af_dns d;

	ASSERT_EQ(dns_msg_parse(dns_resp, sizeof dns_resp, &d.ref, NULL),
	    NL_OK);
	nl_dbuf_init(&d.wire, DNS_MSG_MAX);
	ASSERT_EQ(dns_msg_write(d.ref, &d.wire), NL_OK);
	ASSERT(af_loop("dns parse", run_dns_parse, &d) > 1);
	ASSERT(af_loop("dns write", run_dns_write, &d) > 1);
	nl_dbuf_free(&d.wire);
	dns_msg_free(d.ref);
}

/* ---- DNS zones from text -------------------------------------------------- */

static const char *const zone_text[][3] = {
	{ "@", "NS", "dns.hamburger.edu." },
	{ "dns.hamburger.edu.", "A", "10.0.0.53" },
	{ "@", "MX", "10 mail.hamburger.edu." },
	{ "mail.hamburger.edu.", "A", "10.0.0.25" },
	{ "mail.hamburger.edu.", "A", "10.0.0.26" },
	{ "www.hamburger.edu.", "CNAME", "mail.hamburger.edu." },
	{ "@", "TXT", "v=spf1 mx -all" },
	{ "v6.hamburger.edu.", "AAAA", "2001:db8::1" },
	{ "sub.hamburger.edu.", "NS", "ns.sub.hamburger.edu." },
	{ "ns.sub.hamburger.edu.", "A", "10.0.9.53" },
};

/* Builds the zone hamburger.edu. from zone_text, then answers the MX
 * question (with its ADDITIONAL). *answers (ANSWER + ADDITIONAL
 * records) is what the clean run saw, 0 before it. */
static enum af_res
run_dns_zone(void *ctx)
{
	size_t *answers = ctx, i;
	struct dns_name origin, qname;
	struct dns_rr soa, rr;
	struct dns_zone *z = NULL;
	struct dns_msg *resp = NULL;
	enum dns_zone_res res;
	char why[128];
	enum af_res r = AF_ERROR;
	enum nl_status st;

	if (dns_name_from_str("hamburger.edu.", &origin, NULL) != NL_OK ||
	    dns_name_from_str("hamburger.edu.", &qname, NULL) != NL_OK)
		return AF_WRONG;
	memset(&soa, 0, sizeof soa);
	soa.name = origin;
	soa.type = DNS_T_SOA;
	soa.class = DNS_C_IN;
	soa.ttl = 3600;
	soa.rd.soa.mname = origin;
	soa.rd.soa.rname = origin;
	soa.rd.soa.serial = 1;
	soa.rd.soa.minimum = 3600;
	z = dns_zone_new(&origin, 3600, &soa);
	if (z == NULL)
		return AF_ERROR;
	for (i = 0; i < sizeof zone_text / sizeof zone_text[0]; i++) {
		memset(&rr, 0, sizeof rr);
		rr.class = DNS_C_IN;
		rr.ttl = 3600;
		if (dns_zone_name_read(zone_text[i][0], &origin, &rr.name, why,
		    sizeof why) != NL_OK ||
		    dns_zone_type_parse(zone_text[i][1], &rr.type) != NL_OK) {
			r = AF_WRONG;
			goto done;
		}
		st = dns_zone_rdata_read(&rr, zone_text[i][2], &origin, why,
		    sizeof why);
		if (st == NL_OK)
			st = dns_zone_add(z, &rr);
		dns_zone_rr_clear(&rr);
		if (st != NL_OK) {
			r = st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
			goto done;
		}
	}
	resp = dns_msg_new();
	if (resp == NULL)
		goto done;
	st = dns_zones_answer(&z, 1, &qname, DNS_T_MX, resp, &res);
	if (st != NL_OK) {
		r = st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
		goto done;
	}
	if (*answers == 0)
		*answers = (size_t)resp->sec[DNS_S_ANSWER].count +
	    resp->sec[DNS_S_ADDITIONAL].count;
	r = (size_t)resp->sec[DNS_S_ANSWER].count +
	    resp->sec[DNS_S_ADDITIONAL].count == *answers ?
	    AF_DONE : AF_WRONG;
done:
	dns_msg_free(resp);
	dns_zone_free(z);
	return r;
}

static void
allocfail_dns_zone(void)
{
	size_t answers = 0;

	ASSERT_EQ(run_dns_zone(&answers), AF_DONE);
	ASSERT(answers >= 3);	/* the MX and the addresses of mail */
	ASSERT(af_loop("dns zone", run_dns_zone, &answers) > 1);
}

/* ---- RFC 5322 messages ---------------------------------------------------- */

static const char imf_text[] =
    "Received: from crepes.fr by hamburger.edu; Mon, 1 Jan 2024 "
    "00:00:00 +0000\r\n"
    "From: Alice <alice@crepes.fr>\r\n"
    "To: bob@hamburger.edu,\r\n carol@hamburger.edu\r\n"
    "Subject: =?UTF-8?Q?cr=C3=AApes?=\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
    "\r\n"
    "--XX\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "Do you like ketchup?\r\n"
    "--XX\r\n"
    "Content-Type: text/plain; name=\"a.txt\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n"
    "SG93IGFib3V0IHBpY2tsZXM/\r\n"
    "--XX--\r\n";

static enum af_res
run_imf_parse(void *ctx)
{
	size_t *nfields = ctx;
	struct imf_view v;
	struct nl_dbuf val;
	enum nl_status st;
	enum af_res r;

	st = imf_view_parse((const uint8_t *)imf_text, sizeof imf_text - 1,
	    &v);
	if (st != NL_OK)
		return st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
	r = v.nfields == *nfields ? AF_DONE : AF_WRONG;
	nl_dbuf_init(&val, 4096);
	if (r == AF_DONE) {
		st = imf_header_get((const uint8_t *)imf_text,
		    sizeof imf_text - 1, "to", 0, &val);
		if (st == NL_ENOMEM)
			r = AF_ERROR;
		else if (st != NL_OK || val.len != 38)
			r = AF_WRONG;
	}
	nl_dbuf_free(&val);
	imf_view_free(&v);
	return r;
}

/* The message built from fixed parts; *ref is the clean run's bytes. */
static enum af_res
run_imf_write(void *ctx)
{
	struct nl_dbuf *ref = ctx, out;
	struct imf_attachment att = { "crepes.txt", "text/plain",
		(const uint8_t *)"Do you like ketchup?\n", 21 };
	struct imf_msg m;
	enum nl_status st;
	enum af_res r;

	memset(&m, 0, sizeof m);
	m.from = "Alice <alice@crepes.fr>";
	m.to = "bob@hamburger.edu";
	m.cc = "carol@hamburger.edu";
	m.subject = "cr\xc3\xaapes tonight?";
	m.date = 1704067200;
	m.message_id = "<1.alice@crepes.fr>";
	m.body = "How about pickles?\n.\nBye";
	m.att = &att;
	m.natt = 1;
	nl_dbuf_init(&out, IMF_MSG_MAX);
	st = imf_msg_write(&m, &out);
	if (st != NL_OK) {
		nl_dbuf_free(&out);
		return st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
	}
	if (ref->len == 0) {
		*ref = out;
		return AF_DONE;
	}
	r = out.len == ref->len && memcmp(out.data, ref->data, out.len) == 0 ?
	    AF_DONE : AF_WRONG;
	nl_dbuf_free(&out);
	return r;
}

static void
allocfail_imf(void)
{
	struct imf_view v;
	struct nl_dbuf ref;
	size_t nfields;

	ASSERT_EQ(imf_view_parse((const uint8_t *)imf_text,
	    sizeof imf_text - 1, &v), NL_OK);
	nfields = v.nfields;
	imf_view_free(&v);
	ASSERT_EQ(nfields, 6);
	ASSERT(af_loop("imf parse", run_imf_parse, &nfields) > 1);
	nl_dbuf_init(&ref, IMF_MSG_MAX);
	ASSERT_EQ(run_imf_write(&ref), AF_DONE);
	ASSERT(ref.len > 0);
	ASSERT(af_loop("imf write", run_imf_write, &ref) > 1);
	nl_dbuf_free(&ref);
}

/* ---- SMTP server ---------------------------------------------------------- */

static const char smtp_client_text[] =
    "EHLO crepes.fr\r\n"
    "MAIL FROM:<alice@crepes.fr> SIZE=100\r\n"
    "RCPT TO:<bob@hamburger.edu>\r\n"
    "RCPT TO:<nobody@hamburger.edu>\r\n"
    "RCPT TO:<carol@elsewhere.org>\r\n"
    "DATA\r\n"
    "Subject: hi\r\n\r\nDo you like ketchup?\r\n..dot\r\n.\r\n"
    "RSET\r\nNOOP\r\nVRFY bob\r\nHELP\r\nBOGUS\r\n"
    "HELO crepes.fr\r\nMAIL FROM:<>\r\nRCPT TO:<bob@hamburger.edu>\r\n"
    "DATA\r\nsecond\r\n.\r\n"
    "QUIT\r\n";

struct af_smtp {
	struct af_out out;	/* what the server wrote */
	struct af_out msgs;	/* the accepted messages and envelopes */
	struct af_out ref, ref_msgs;	/* the clean run's */
};

static enum smtp_rcpt_verdict
smtp_policy(void *ctx, const struct smtp_envelope *env, const char *rcpt)
{
	(void)ctx;
	(void)env;
	if (strcmp(rcpt, "bob@hamburger.edu") == 0)
		return SMTP_RCPT_OK;
	return strstr(rcpt, "@hamburger.edu") != NULL ? SMTP_RCPT_UNKNOWN :
	    SMTP_RCPT_RELAY_DENIED;
}

static enum nl_status
smtp_accept(void *ctx, const struct smtp_envelope *env, const uint8_t *msg,
    size_t len, char *qid, size_t qid_size)
{
	struct af_smtp *a = ctx;
	size_t i;

	af_out_add(&a->msgs, env->from, strlen(env->from));
	for (i = 0; i < env->nrcpt; i++)
		af_out_add(&a->msgs, env->rcpt[i], strlen(env->rcpt[i]));
	af_out_add(&a->msgs, msg, len);
	snprintf(qid, qid_size, "Q%zu", a->msgs.len);
	return NL_OK;
}

static const struct smtp_srv_ops af_srv_ops = { NULL, NULL, NULL,
	smtp_policy, smtp_accept };

static enum af_res
run_smtp_server(void *ctx)
{
	struct af_smtp *a = ctx;
	struct smtp_srv_config cfg = { "hamburger.edu", NULL, 0, 0, 0, 0, 1,
		0 };
	struct nl_dbuf out;
	struct smtp_srv *s;
	enum nl_status st;
	size_t pos = 0, n = sizeof smtp_client_text - 1;
	enum af_res r = AF_DONE;

	a->out.len = a->msgs.len = 0;
	nl_dbuf_init(&out, 1u << 20);
	s = smtp_srv_new(&cfg, &af_srv_ops, a, &out);
	if (s == NULL) {
		nl_dbuf_free(&out);
		return AF_ERROR;
	}
	st = smtp_srv_start(s);
	/* Line by line, as a client waiting for each reply sends them. */
	while (st == NL_OK && pos < n) {
		const char *eol = strstr(smtp_client_text + pos, "\r\n");
		size_t len = (size_t)(eol - smtp_client_text) + 2 - pos;

		af_out_add(&a->out, out.data, out.len);
		nl_dbuf_reset(&out);
		st = smtp_srv_feed(s, (const uint8_t *)smtp_client_text + pos,
		    len);
		pos += len;
	}
	af_out_add(&a->out, out.data, out.len);
	if (st != NL_OK && st != NL_ECLOSED)
		r = st == NL_ENOMEM || st == NL_ELIMIT ? AF_ERROR : AF_WRONG;
	smtp_srv_free(s);
	nl_dbuf_free(&out);
	if (r != AF_DONE)
		return r;
	r = af_out_judge(&a->out, &a->ref);
	/* A 250 after DATA means the message was handed over whole. */
	if (r == AF_DONE && (a->msgs.len != a->ref_msgs.len ||
	    memcmp(a->msgs.data, a->ref_msgs.data, a->msgs.len) != 0))
		r = AF_WRONG;
	return r;
}

static void
allocfail_smtp_server(void)
{
	static struct af_smtp a;

	/* The clean run, judged against nothing: its output becomes the
	 * reference. */
	memset(&a, 0, sizeof a);
	ASSERT(run_smtp_server(&a) != AF_ERROR);
	a.ref = a.out;
	a.ref_msgs = a.msgs;
	ASSERT(strstr(a.ref.data, "221 ") != NULL);
	ASSERT(a.ref_msgs.len > 0);
	ASSERT(af_loop("smtp server", run_smtp_server, &a) > 1);
}

/* ---- SMTP client ---------------------------------------------------------- */

static const char *const smtp_server_replies[] = {
	"220 hamburger.edu ESMTP\r\n",
	"250-hamburger.edu\r\n250-SIZE 1000000\r\n250 8BITMIME\r\n",
	"250 sender ok\r\n",
	"250 recipient ok\r\n",
	"550 no such user\r\n",
	"354 go ahead\r\n",
	"250 queued as Q1\r\n",
	"221 bye\r\n",
};

struct af_smtp_cli {
	struct af_out out;	/* what the client wrote */
	int outcomes[4];	/* per recipient: outcome, code */
	int codes[4];
	size_t nres;		/* results reported; SIZE_MAX: twice */
	struct af_out ref;	/* the clean run's bytes */
	int ref_outcomes[4], ref_codes[4];
};

static void
af_cli_done(void *ctx, void *msg_ctx, const struct smtp_rcpt_result *res,
    size_t n)
{
	struct af_smtp_cli *a = ctx;
	size_t i;

	(void)msg_ctx;
	if (a->nres != 0 || n > 4) {
		a->nres = SIZE_MAX;
		return;
	}
	for (i = 0; i < n; i++) {
		a->outcomes[i] = (int)res[i].outcome;
		a->codes[i] = res[i].code;
	}
	a->nres = n;
}

static const struct smtp_cli_ops af_cli_ops = { NULL, NULL, NULL,
	af_cli_done };

static enum af_res
run_smtp_client(void *ctx)
{
	struct af_smtp_cli *a = ctx;
	struct smtp_cli_config cfg = { "crepes.fr", 0, 0, 0 };
	char *rcpt[2] = { "bob@hamburger.edu", "nobody@hamburger.edu" };
	struct smtp_envelope env;
	static const char body[] = "Subject: hi\r\n\r\n.dot\r\nbye\r\n";
	struct nl_dbuf out;
	struct smtp_cli *c;
	enum nl_status st;
	size_t i;
	enum af_res r = AF_DONE;

	a->out.len = 0;
	a->nres = 0;
	memset(&env, 0, sizeof env);
	env.from = "alice@crepes.fr";
	env.rcpt = rcpt;
	env.nrcpt = 2;
	nl_dbuf_init(&out, 1u << 20);
	c = smtp_cli_new(&cfg, &af_cli_ops, a, &out);
	if (c == NULL) {
		nl_dbuf_free(&out);
		return AF_ERROR;
	}
	st = smtp_cli_send(c, &env, (const uint8_t *)body, sizeof body - 1,
	    NULL);
	if (st == NL_OK)
		smtp_cli_quit(c);
	for (i = 0; st == NL_OK && i < sizeof smtp_server_replies /
	    sizeof smtp_server_replies[0]; i++) {
		st = smtp_cli_feed(c, (const uint8_t *)smtp_server_replies[i],
		    strlen(smtp_server_replies[i]));
		af_out_add(&a->out, out.data, out.len);
		nl_dbuf_reset(&out);
	}
	if (st != NL_OK && st != NL_ECLOSED)
		r = st == NL_ENOMEM || st == NL_ELIMIT ? AF_ERROR : AF_WRONG;
	smtp_cli_free(c);
	nl_dbuf_free(&out);
	if (a->nres == SIZE_MAX)
		return AF_WRONG;	/* a message finished twice */
	if (r != AF_DONE)
		return r;
	/* A local failure (code 0) told to the glue for every recipient
	 * is the error report of a client session. */
	if (a->nres == 2 && a->codes[0] == 0 && a->codes[1] == 0 &&
	    a->outcomes[0] != SMTP_OUT_ACCEPTED && a->outcomes[1] != SMTP_OUT_ACCEPTED)
		return AF_ERROR;
	if (a->out.len != a->ref.len ||
	    memcmp(a->out.data, a->ref.data, a->out.len) != 0)
		return AF_WRONG;
	if (a->nres != 2 || memcmp(a->outcomes, a->ref_outcomes,
	    sizeof a->outcomes) != 0 || memcmp(a->codes, a->ref_codes,
	    sizeof a->codes) != 0)
		return AF_WRONG;
	return AF_DONE;
}

static void
allocfail_smtp_client(void)
{
	static struct af_smtp_cli a;

	memset(&a, 0, sizeof a);
	(void)run_smtp_client(&a);
	ASSERT_EQ(a.nres, 2);
	ASSERT_EQ(a.codes[0], 250);
	ASSERT_EQ(a.codes[1], 550);
	a.ref = a.out;
	memcpy(a.ref_outcomes, a.outcomes, sizeof a.outcomes);
	memcpy(a.ref_codes, a.codes, sizeof a.codes);
	ASSERT(strstr(a.ref.data, "QUIT\r\n") != NULL);
	ASSERT(af_loop("smtp client", run_smtp_client, &a) > 1);
}

/* ---- POP3 and IMAP servers ------------------------------------------------ */

static const char mail_a[] =
    "From: alice@crepes.fr\r\nSubject: one\r\n\r\nDo you like ketchup?\r\n"
    ".\r\n";
static const char mail_b[] =
    "From: alice@crepes.fr\r\nTo: bob@hamburger.edu\r\nSubject: two\r\n"
    "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\nHow about pickles?\r\n";

static const char pop3_client_text[] =
    "CAPA\r\nUSER bob\r\nPASS wrong\r\nUSER bob\r\nPASS hungry\r\n"
    "STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 2 1\r\nDELE 1\r\nRSET\r\n"
    "DELE 2\r\nLIST 2\r\nNOOP\r\nQUIT\r\n";

struct af_sess {
	struct af_out out;	/* what the server wrote */
	struct af_out ref;	/* the clean run's */
	int commits;		/* backend commits (POP3) */
	int ref_commits;
};

static enum af_res
af_sess_end(struct af_sess *a, enum nl_status st)
{
	enum af_res r;

	if (st != NL_OK && st != NL_ECLOSED)
		return st == NL_ENOMEM || st == NL_ELIMIT ? AF_ERROR : AF_WRONG;
	r = af_out_judge(&a->out, &a->ref);
	if (r == AF_DONE && a->commits != a->ref_commits)
		r = AF_WRONG;
	return r;
}

static enum af_res
run_pop3(void *ctx)
{
	struct af_sess *a = ctx;
	static struct pop3_mem m;
	struct pop3_mem_user *u;
	struct pop3_srv_config cfg;
	struct pop3_srv *s;
	enum nl_status st;
	size_t pos = 0, n = sizeof pop3_client_text - 1;

	pop3_mem_init(&m);
	u = pop3_mem_add_user(&m, "bob", "hungry");
	pop3_mem_add(&m, u, mail_a, sizeof mail_a - 1, NULL);
	pop3_mem_add(&m, u, mail_b, sizeof mail_b - 1, "uid-two");
	memset(&cfg, 0, sizeof cfg);
	cfg.hostname = "hamburger.edu";
	cfg.ops = &pop3_mem_ops;
	cfg.be = &m;
	a->out.len = 0;
	s = pop3_srv_new(&cfg);
	if (s == NULL)
		return AF_ERROR;
	st = pop3_srv_start(s);
	while (st == NL_OK && pos < n) {
		const char *eol = strstr(pop3_client_text + pos, "\r\n");
		size_t len = (size_t)(eol - pop3_client_text) + 2 - pos;
		struct nl_dbuf *out = pop3_srv_out(s);

		af_out_add(&a->out, out->data, out->len);
		nl_dbuf_reset(out);
		st = pop3_srv_feed(s, (const uint8_t *)pop3_client_text + pos,
		    len);
		pos += len;
	}
	af_out_add(&a->out, pop3_srv_out(s)->data, pop3_srv_out(s)->len);
	pop3_srv_free(s);
	a->commits = m.commits;
	if (m.releases != m.commits && m.commits != 0)
		return AF_WRONG;
	return af_sess_end(a, st);
}

static void
allocfail_pop3(void)
{
	static struct af_sess a;

	memset(&a, 0, sizeof a);
	(void)run_pop3(&a);
	a.ref = a.out;
	a.ref_commits = a.commits;
	ASSERT_EQ(a.ref_commits, 1);
	ASSERT(strstr(a.ref.data, "How about pickles?") != NULL);
	ASSERT(af_loop("pop3 server", run_pop3, &a) > 1);
}

static const char imap_client_text[] =
    "a0 CAPABILITY\r\n"
    "a1 LOGIN bob wrong\r\n"
    "a2 LOGIN {3}\r\nbob {6}\r\nhungry\r\n"
    "a3 SELECT INBOX\r\n"
    "a4 FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE INTERNALDATE)\r\n"
    "a5 FETCH 1 BODY[]\r\n"
    "a6 UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"
    "a7 STORE 2 +FLAGS (\\Deleted)\r\n"
    "a8 SEARCH UNSEEN\r\n"
    "a9 EXPUNGE\r\n"
    "b0 LIST \"\" *\r\n"
    "b1 CREATE Archive\r\n"
    "b2 COPY 1 Archive\r\n"
    "b3 STATUS Archive (MESSAGES UNSEEN)\r\n"
    "b4 NOOP\r\n"
    "b5 LOGOUT\r\n";

static enum af_res
run_imap(void *ctx)
{
	struct af_sess *a = ctx;
	static struct imap_mem m;
	struct imap_mem_user *u;
	struct imap_srv_config cfg;
	struct imap_srv *s;
	enum nl_status st;
	size_t pos = 0, n = sizeof imap_client_text - 1;

	imap_mem_init(&m);
	u = imap_mem_add_user(&m, "bob", "hungry", 7);
	imap_mem_add(&u->boxes[0], mail_a, sizeof mail_a - 1, 0,
	    1704067200);
	imap_mem_add(&u->boxes[0], mail_b, sizeof mail_b - 1, 0,
	    1704067260);
	memset(&cfg, 0, sizeof cfg);
	cfg.ops = &imap_mem_ops;
	cfg.be = &m;
	a->out.len = 0;
	s = imap_srv_new(&cfg);
	if (s == NULL)
		return AF_ERROR;
	st = imap_srv_start(s);
	/* Line by line, literals included: the server answers "+" to a
	 * literal's announcement before its bytes come. */
	while (st == NL_OK && pos < n) {
		const char *eol = strstr(imap_client_text + pos, "\r\n");
		size_t len = (size_t)(eol - imap_client_text) + 2 - pos;
		struct nl_dbuf *out = imap_srv_out(s);

		af_out_add(&a->out, out->data, out->len);
		nl_dbuf_reset(out);
		st = imap_srv_feed(s, (const uint8_t *)imap_client_text + pos,
		    len);
		pos += len;
	}
	af_out_add(&a->out, imap_srv_out(s)->data, imap_srv_out(s)->len);
	imap_srv_free(s);
	return af_sess_end(a, st);
}

static void
allocfail_imap(void)
{
	static struct af_sess a;

	memset(&a, 0, sizeof a);
	(void)run_imap(&a);
	a.ref = a.out;
	ASSERT(strstr(a.ref.data, "b5 OK") != NULL);
	ASSERT(strstr(a.ref.data, "a2 OK") != NULL);
	ASSERT(af_loop("imap server", run_imap, &a) > 1);
}

/* ---- Scenarios ------------------------------------------------------------ */

struct af_scn {
	const char *name;	/* file name for errors */
	const char *json;	/* the file's bytes */
	size_t len;
	size_t nnodes, nlinks, nactions;	/* the clean load's */
	int build;		/* also build the world */
};

static enum af_res
run_scn(void *ctx)
{
	struct af_scn *a = ctx;
	struct scn_errors errs;
	struct scn_model *m = NULL;
	struct sim *s = NULL;
	struct trace *t = NULL;
	struct scn_world *w = NULL;
	char err[256];
	enum nl_status st;
	enum af_res r = AF_DONE;

	scn_errors_init(&errs);
	st = scn_load_buffer(a->name, a->json, a->len, &m, &errs);
	if (st != NL_OK) {
		r = st == NL_ENOMEM && m == NULL ? AF_ERROR : AF_WRONG;
		scn_errors_free(&errs);
		return r;
	}
	if (errs.total != 0 || m->nnodes != a->nnodes ||
	    m->nlinks != a->nlinks || m->nactions != a->nactions)
		r = AF_WRONG;
	scn_errors_free(&errs);
	if (r == AF_DONE && a->build) {
		s = sim_new(m->seed);
		t = trace_new();
		if (s == NULL || t == NULL)
			r = AF_ERROR;
		else if ((st = scn_build(m, s, t, &w, err, sizeof err)) !=
		    NL_OK)
			r = st == NL_ENOMEM && w == NULL ? AF_ERROR : AF_WRONG;
		else if (trace_node_count(t) != a->nnodes)
			r = AF_WRONG;
		scn_world_free(w);
		sim_free(s);
		trace_free(t);
	}
	scn_model_free(m);
	return r;
}

static void
allocfail_scenario(void)
{
	static const char *const names[] = { "smtp-alice-bob",
		"dns-mail-aliasing", "pop3-vs-imap", "tcp-loss",
		"mime-attachment", "dns-register" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct af_scn a;
		struct scn_errors errs;
		struct scn_model *m = NULL;
		char *json;
		long runs;

		memset(&a, 0, sizeof a);
		json = test_scenario_json(names[i], &a.len);
		ASSERT(json != NULL);
		a.name = names[i];
		a.json = json;
		scn_errors_init(&errs);
		ASSERT_EQ(scn_load_buffer(a.name, json, a.len, &m, &errs),
		    NL_OK);
		scn_errors_free(&errs);
		a.nnodes = m->nnodes;
		a.nlinks = m->nlinks;
		a.nactions = m->nactions;
		scn_model_free(m);
		runs = af_loop(names[i], run_scn, &a);
		/* Building a world is slower: two scenarios are enough to
		 * reach every kind of node. */
		a.build = i < 3;
		if (runs > 0 && a.build)
			runs = af_loop(names[i], run_scn, &a);
		free(json);
		ASSERT(runs > 0);
	}
}

/* ---- Trace readers and writers -------------------------------------------- */

/* What one of the trace writers produces, into memory. */
typedef enum nl_status af_write_fn(const struct trace *t, FILE *f);

struct af_tr {
	const struct trace *t;	/* the trace written */
	af_write_fn *write;	/* the writer under test */
	char *ref;		/* the clean run's bytes (file reading: the
				 * file read) */
	size_t ref_len;
};

static enum nl_status
af_pcap(const struct trace *t, FILE *f)
{
	return trace_pcap_write(t, -1, f);
}

/* Runs write(t) into memory; *out (free()) and *len get the bytes. */
static enum nl_status
af_write_mem(af_write_fn *write, const struct trace *t, char **out,
    size_t *len)
{
	FILE *f = open_memstream(out, len);
	enum nl_status st;

	if (f == NULL)
		return NL_EIO;
	st = write(t, f);
	if (fclose(f) != 0 && st == NL_OK)
		st = NL_EIO;
	return st;
}

static enum af_res
run_trace_write(void *ctx)
{
	struct af_tr *a = ctx;
	char *buf = NULL;
	size_t len = 0;
	enum nl_status st = af_write_mem(a->write, a->t, &buf, &len);
	enum af_res r;

	if (st != NL_OK)
		r = st == NL_ENOMEM ? AF_ERROR : AF_WRONG;
	else
		r = len == a->ref_len && memcmp(buf, a->ref, len) == 0 ?
		    AF_DONE : AF_WRONG;
	free(buf);
	return r;
}

static enum af_res
run_trace_read(void *ctx)
{
	struct af_tr *a = ctx;
	struct trace *t = NULL;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = fmemopen(a->ref, a->ref_len, "rb");
	enum nl_status st;
	enum af_res r;

	if (f == NULL)
		return AF_WRONG;
	st = trace_file_read(f, &t, err, sizeof err);
	fclose(f);
	if (st != NL_OK)
		return st == NL_ENOMEM && t == NULL ? AF_ERROR : AF_WRONG;
	/* Reading then writing gives the file back. */
	af_pause();
	if (af_write_mem(trace_file_write, t, &buf, &len) != NL_OK)
		r = AF_WRONG;
	else
		r = len == a->ref_len && memcmp(buf, a->ref, len) == 0 ?
		    AF_DONE : AF_WRONG;
	free(buf);
	trace_free(t);
	return r;
}

static void
allocfail_trace(void)
{
	/* The SMTP dialogue's first part: reading costs a few allocations
	 * an event, and the loop is quadratic in them. */
	struct trace *t = test_scenario_trace("smtp-alice-bob", 60 * SIM_MS);
	struct af_tr a;

	ASSERT(t != NULL);
	ASSERT(trace_count(t) > 20);
	memset(&a, 0, sizeof a);
	a.t = t;

	a.write = trace_file_write;
	ASSERT_EQ(af_write_mem(a.write, t, &a.ref, &a.ref_len), NL_OK);
	ASSERT(af_loop("trace file read", run_trace_read, &a) > 1);
	free(a.ref);

	a.write = af_pcap;
	ASSERT_EQ(af_write_mem(a.write, t, &a.ref, &a.ref_len), NL_OK);
	ASSERT(a.ref_len > 24);
	ASSERT(af_loop("pcap write", run_trace_write, &a) >= 1);
	free(a.ref);

	a.write = trace_transcript_write;
	ASSERT_EQ(af_write_mem(a.write, t, &a.ref, &a.ref_len), NL_OK);
	ASSERT(a.ref_len > 0);
	ASSERT(af_loop("transcript", run_trace_write, &a) >= 1);
	free(a.ref);
	trace_free(t);
}

const struct test_case tests_allocfail[] = {
	{ "allocfail_dns_msg", allocfail_dns_msg },
	{ "allocfail_dns_zone", allocfail_dns_zone },
	{ "allocfail_imf", allocfail_imf },
	{ "allocfail_smtp_server", allocfail_smtp_server },
	{ "allocfail_smtp_client", allocfail_smtp_client },
	{ "allocfail_pop3", allocfail_pop3 },
	{ "allocfail_imap", allocfail_imap },
	{ "allocfail_scenario", allocfail_scenario },
	{ "allocfail_trace", allocfail_trace },
	{ NULL, NULL }
};
