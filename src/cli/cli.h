/* cli.h - what the netlab command's files share: the commands, exit
 * statuses, the default scenario and small option helpers. */
#ifndef NL_CLI_H
#define NL_CLI_H

#include <stdint.h>

#include "trace/trace.h"
#include "ui/ui.h"

#define NETLAB_VERSION "0.1.0"

/* The scenario `netlab` opens with no arguments (also `netlab run
 * default`): Alice mails Bob, her server finds hamburger.edu's MX
 * through the DNS hierarchy (DESIGN.md, "What a user sees"). */
#define NL_DEFAULT_SCENARIO "mail-end-to-end"

/* Exit statuses of every command. */
#define CLI_EXIT_OK 0		/* done */
#define CLI_EXIT_FAIL 1		/* a runtime failure (memory, writing) */
#define CLI_EXIT_USAGE 2	/* bad usage or bad input */

/* Each command gets argv[0] = its own name ("run") and returns the exit
 * status. Output goes to stdout, errors to stderr. */
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_list(int argc, char **argv);
/* `netlab` alone: the viewer on the default scenario. */
int cmd_default(void);

/* Prints "netlab CMD: MESSAGE" and "try 'netlab --help'" to stderr;
 * returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Whether arg is "--name" (exact) or "--name=VALUE". For the second form
 * *inline_value points at VALUE, else it is NULL. */
int cli_opt(const char *arg, const char *name, const char **inline_value);

/* The usage text, to stdout for --help. */
void cli_usage(void);

/*
 * A viewer option at argv[*i] (--font, --screenshot, --step, --size,
 * --segments, --ladder, --inspect) into o. Returns 1 when it was one (*i then points
 * at its last word), 0 when it was not, or CLI_EXIT_USAGE after printing
 * the error as `netlab CMD: ...`.
 */
int cli_viewer_opt(const char *cmd, int argc, char **argv, int *i,
    struct ui_opts *o);

/* Checks the viewer options together (--step needs --screenshot); 0 or
 * CLI_EXIT_USAGE after printing why. */
int cli_viewer_check(const char *cmd, const struct ui_opts *o);

/*
 * Shows t: the viewer, or with o->screenshot one frame into that file.
 * With no display, says why on stderr ("netlab: no display (DISPLAY is
 * not set); printing the transcript instead") and prints the transcript.
 * Returns the exit status.
 */
int cli_show(const char *cmd, const struct trace *t, const struct ui_opts *o);

#endif
