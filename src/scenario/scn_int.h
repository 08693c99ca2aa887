/* scn_int.h - what the files of scenario/ share; no other folder
 * includes it.
 *
 * Private Part: error recording with printf-style text, quoting of found
 * values, "did you mean" suggestions, and the passes themselves. */
#ifndef NL_SCN_INT_H
#define NL_SCN_INT_H

#include <stddef.h>

#include "scenario/scn.h"

#define SCN_PATH_MAX 256	/* longest JSON path kept in a message */
#define SCN_QUOTE_MAX 48	/* characters of a found string shown */

/* Records one error at JSON path `path` (NULL: the whole file). Never
 * fails: when memory runs out the error is counted and e->oom set. */
void scn_err(struct scn_errors *e, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The same at a line and column of the file (JSON syntax). */
void scn_err_at(struct scn_errors *e, unsigned line, unsigned col,
    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* s between double quotes with control and non-ASCII bytes as \xNN, cut
 * after `max` characters with "..." (at most n bytes). Returns buf. */
char *scn_quote(const char *s, size_t n, size_t max, char *buf, size_t size);
#define SCN_QUOTE_BUF (SCN_QUOTE_MAX * 4 + 8)

/* Levenshtein distance ignoring ASCII case. */
size_t scn_edit_distance(const char *a, const char *b);
/* The candidate closest to word when it is close enough to be a likely
 * typo, else NULL. cands ends with NULL. */
const char *scn_suggest(const char *word, const char *const *cands);
/* Writes "a, b, c" from a NULL-ended list into buf. Returns buf. */
char *scn_join(const char *const *list, char *buf, size_t size);

/* Pass 1: the bytes (a NUL after len is not needed) to a model. Every
 * problem of syntax, type, key or value format goes to e; the model gets
 * what could be read. NL_ENOMEM only when out of memory. */
enum nl_status scn_json_read(const char *bytes, size_t len,
    struct scn_model *m, struct scn_errors *e);

/* Pass 2: references, uniqueness and rules across elements; gives
 * unnamed links their "A-B" id and sorts the timeline. Errors go to e. */
enum nl_status scn_validate(struct scn_model *m, struct scn_errors *e);

/* ---- Captions and checkpoints during a run (scn_teach.c) ---- */
struct scn_teach;
/* Appends the goals and start captions of m to t at time 0 and hooks t
 * (trace_set_hook) to place the other captions and the checkpoints as
 * the run appends events. Call it once the nodes are in t's header. On
 * NL_OK *out is freed with scn_teach_free, which unhooks t. NL_ENOMEM. */
enum nl_status scn_teach_new(const struct scn_model *m, struct trace *t,
    struct scn_teach **out);
void scn_teach_free(struct scn_teach *k);
/* How many patterns never matched; their JSON paths, ", "-joined, into
 * buf (truncated to size). */
size_t scn_teach_unmatched(const struct scn_teach *k, char *buf,
    size_t size);

/* ---- Mail (scn_mail.c) ---- */
struct nodes;
struct net;
/* Pass 2 for mail servers, user agents and send-mail actions. */
void scn_mail_validate(const struct scn_model *m, struct scn_errors *e);
/* Pass 3: makes the mail servers and user agents of a validated model
 * (after the nodes were added). NL_ENOMEM. */
enum nl_status scn_mail_build(const struct scn_model *m, struct nodes *ns,
    struct net *n);

/* ---- Web (scn_web.c) ---- */
/* Pass 2 for browsers, webmail servers and browse actions. */
void scn_web_validate(const struct scn_model *m, struct scn_errors *e);
/* Pass 3: the webmail servers of a validated model. NL_ENOMEM. */
enum nl_status scn_web_build(const struct scn_model *m, struct nodes *ns,
    struct net *n);
/* A browse action's run-time copy (NULL when out of memory), its run,
 * and its release (NULL does nothing). */
void *scn_web_act_new(const struct scn_action *ma);
enum nl_status scn_web_act_run(struct nodes *ns, int32_t from, void *act);
void scn_web_act_free(void *act);

/* ---- DNS (scn_dns.c) ---- */
struct node_dns_cfg;

/* 1 if the kind is a DNS server ("dns-root", ..., "dns-local"). */
int scn_is_dns_kind(const char *kind);
/* A DNS node's settings: the kind's defaults with the file's changes
 * (zones and hints left empty). */
void scn_dns_settings(const struct scn_node *nd, struct node_dns_cfg *cfg);
/* Pass 2 for zones, resolver settings, "dns" and root hints, and the
 * DNS actions of the timeline (before sorting). */
void scn_dns_validate(const struct scn_model *m, struct scn_errors *e);
/* Pass 3 helpers: the zones of a node, built (NULL and *n = 0 when it
 * has none; NL_ENOMEM); and the record of a dns-record action (its TTL
 * the zone's when not given). */
struct dns_zone;
struct dns_rr;
enum nl_status scn_dns_zones(const struct scn_node *nd,
    struct dns_zone ***out, size_t *n);
enum nl_status scn_dns_action_rr(const struct scn_model *m,
    const struct scn_action *a, struct dns_rr *out, int *match);

#endif
