/* status.h - the one status enum of netlab and its names.
 *
 * Every function that can fail returns an enum nl_status; NL_OK is 0.
 * The enum and nl_status_str() are generated from one X-macro list so a
 * code can never lack its text (the shape of UV_ERRNO_MAP in libuv). */
#ifndef NL_STATUS_H
#define NL_STATUS_H

/* ORDER STATUS: add new codes at the end; the numbers appear in no file. */
#define NL_STATUS_MAP(X)                                                   \
	X(OK, "ok")                                                        \
	X(AGAIN, "need more bytes")                                        \
	X(EMALFORMED, "malformed input")                                   \
	X(ELIMIT, "over a limit")                                          \
	X(ENOMEM, "out of memory")                                         \
	X(EINVAL, "invalid argument")                                      \
	X(ENOTFOUND, "not found")                                          \
	X(EEXIST, "already exists")                                        \
	X(EIO, "input/output error")                                       \
	X(ESTATE, "not allowed in this state")                             \
	X(ETIMEDOUT, "timed out")                                          \
	X(ECONNREFUSED, "connection refused")                              \
	X(ECONNRESET, "connection reset")                                  \
	X(ENOROUTE, "no route to host")                                    \
	X(EADDRINUSE, "address in use")                                    \
	X(ECLOSED, "closed")                                               \
	X(EUNSUPPORTED, "not supported")

enum nl_status {
#define NL_STATUS_ENUM(name, text) NL_##name,
	NL_STATUS_MAP(NL_STATUS_ENUM)
#undef NL_STATUS_ENUM
	NL_STATUS_COUNT_
};

/* The human text of a status ("malformed input"); never NULL. */
const char *nl_status_str(enum nl_status st);

/* The code's name as written in this header ("NL_EMALFORMED"); never NULL. */
const char *nl_status_name(enum nl_status st);

#endif
