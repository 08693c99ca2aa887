/* scn.h - scenario files: load (JSON to a model, then validate) and build
 * the world the engine runs.
 *
 *   struct scn_errors errs;
 *   struct scn_model *m;
 *   scn_errors_init(&errs);
 *   if (scn_load_file(path, &m, &errs) != NL_OK)
 *           scn_errors_print(&errs, stderr);   // every error, one a line
 *
 * Loading never stops at the first mistake: it reports every one it finds
 * (up to SCN_ERRORS_MAX), each naming the file, the JSON path, what was
 * expected and what was found (OpenSMTPD's parse.y counts and goes on).
 * Nothing in this module prints on its own: errors go to the caller's
 * struct scn_errors or err buffer (Redis's anet err). */
#ifndef NL_SCN_H
#define NL_SCN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/sim.h"
#include "scenario/scn_model.h"
#include "trace/trace.h"
#include "util/status.h"

#define SCN_ERRORS_MAX 100		/* errors kept; more are counted */
#define SCN_FILE_MAX (4u << 20)		/* largest scenario file, bytes */
#define SCN_DEPTH_MAX 64		/* deepest JSON nesting accepted */

struct scn_error {
	char *path;		/* JSON path ("$.links[1].delay"), owned;
				 * NULL when about the file as a whole */
	unsigned line, col;	/* 1-based position (syntax errors), else 0 */
	char *text;		/* what was expected and what was found */
};

struct scn_errors {
	char *file;		/* file name used in messages, owned */
	struct scn_error *v;	/* the errors kept, in the order found */
	size_t count, cap;	/* kept, allocated */
	size_t total;		/* found, including those past the cap */
	int oom;		/* an error could not be recorded */
};

/* An empty list. A list may be reused after scn_errors_free. */
void scn_errors_init(struct scn_errors *e);
void scn_errors_free(struct scn_errors *e);
/* Error i as one line, "FILE: $.path: text" or "FILE:L:C: text", into
 * buf (truncated to size, always terminated). Returns buf. */
char *scn_error_format(const struct scn_errors *e, size_t i, char *buf,
    size_t size);
/* Writes every error kept, one a line, then "FILE: N more errors not
 * shown" when some were over the cap. The caller chooses f. */
void scn_errors_print(const struct scn_errors *e, FILE *f);

/* Reads, checks and returns the scenario in file `path`. On NL_OK *out
 * is a model the caller frees with scn_model_free. Otherwise *out is NULL
 * and errs holds at least one error naming `path`: NL_EIO (the file
 * cannot be read), NL_EMALFORMED (any mistake in it), NL_ENOMEM. */
enum nl_status scn_load_file(const char *path, struct scn_model **out,
    struct scn_errors *errs);
/* The same for bytes already in memory (an embedded scenario). `name`
 * appears in errors; the model's name is its base name without ".json". */
enum nl_status scn_load_buffer(const char *name, const void *bytes,
    size_t len, struct scn_model **out, struct scn_errors *errs);

/* ---- Values as written in scenario files (also used by the CLI) ---- */
/* "10Mbit/s", "1Gbit/s", "64kbit/s", "1.5Mbps", "9600bit/s", "2 Mbit/s":
 * bits per second, SI prefixes, 1 bit/s .. 1 Tbit/s and whole. */
enum nl_status scn_bandwidth_parse(const char *s, uint64_t *out);
/* "10%", "0.5%": a loss probability 0..1 written as a percentage. */
enum nl_status scn_percent_parse(const char *s, double *out);

/* ---- Pass 3: the world ---- */
struct scn_world;
struct net;

/* Builds the network of a loaded model on engine s: nodes, addresses,
 * links, the services on each node, and every timeline action scheduled
 * at its time. Events go to trace t (may be NULL); its header gets the
 * scenario name, title and sim_seed(s). s and t are not owned and must
 * outlive the world; the model may be freed once this returns. On
 * failure *out is NULL and err (size errlen) says why. */
enum nl_status scn_build(const struct scn_model *m, struct sim *s,
    struct trace *t, struct scn_world **out, char *err, size_t errlen);
/* Closes every socket and frees the network; NULL does nothing. Free the
 * world before the engine. */
void scn_world_free(struct scn_world *w);
struct net *scn_world_net(const struct scn_world *w);
/* The time of the last timeline action (0 if none). */
sim_time scn_world_last_action(const struct scn_world *w);
/* After a run: how many caption "when" and checkpoint "before" patterns
 * never matched an event (a scenario mistake worth a warning); their
 * JSON paths, ", "-joined, go into buf (truncated to size). */
size_t scn_world_unmatched(const struct scn_world *w, char *buf,
    size_t size);

#endif
