/* smtp_str.c - the name of every enum of proto/smtp, for transcripts and
 * the viewer. Each is a switch with no default, so that a value added to
 * an enum without a name here is a compiler warning. */
#include "proto/smtp/smtp_client.h"
#include "proto/smtp/smtp_codec.h"
#include "proto/smtp/smtp_server.h"

const char *
smtp_cmd_str(enum smtp_cmd c)
{
	switch (c) {
	case SMTP_CMD_HELO: return "HELO";
	case SMTP_CMD_EHLO: return "EHLO";
	case SMTP_CMD_MAIL: return "MAIL";
	case SMTP_CMD_RCPT: return "RCPT";
	case SMTP_CMD_DATA: return "DATA";
	case SMTP_CMD_RSET: return "RSET";
	case SMTP_CMD_NOOP: return "NOOP";
	case SMTP_CMD_VRFY: return "VRFY";
	case SMTP_CMD_EXPN: return "EXPN";
	case SMTP_CMD_HELP: return "HELP";
	case SMTP_CMD_QUIT: return "QUIT";
	case SMTP_CMD_UNKNOWN: return "UNKNOWN";
	}
	return "?";
}

const char *
smtp_phase_str(enum smtp_phase p)
{
	switch (p) {
	case SMTP_PHASE_CONNECTED: return "connected";
	case SMTP_PHASE_HANDSHAKE: return "handshake";
	case SMTP_PHASE_TRANSFER: return "transfer";
	case SMTP_PHASE_CLOSURE: return "closure";
	}
	return "?";
}

const char *
smtp_line_kind_str(enum smtp_line_kind k)
{
	switch (k) {
	case SMTP_LINE_CMD: return "command";
	case SMTP_LINE_DATA: return "data";
	case SMTP_LINE_REPLY: return "reply";
	}
	return "?";
}

const char *
smtp_outcome_str(enum smtp_outcome o)
{
	switch (o) {
	case SMTP_OUT_ACCEPTED: return "accepted";
	case SMTP_OUT_TEMPFAIL: return "tempfail";
	case SMTP_OUT_PERMFAIL: return "permfail";
	}
	return "?";
}

const char *
smtp_body_str(enum smtp_body b)
{
	switch (b) {
	case SMTP_BODY_NONE: return "none";
	case SMTP_BODY_7BIT: return "7BIT";
	case SMTP_BODY_8BITMIME: return "8BITMIME";
	}
	return "?";
}

const char *
smtp_srv_state_str(enum smtp_srv_state s)
{
	switch (s) {
	case SMTP_SRV_CONNECTED: return "CONNECTED";
	case SMTP_SRV_GREETED: return "GREETED";
	case SMTP_SRV_NOSERVICE: return "NOSERVICE";
	case SMTP_SRV_READY: return "READY";
	case SMTP_SRV_MAIL: return "MAIL";
	case SMTP_SRV_RCPT: return "RCPT";
	case SMTP_SRV_DATA: return "DATA";
	case SMTP_SRV_CLOSED: return "CLOSED";
	}
	return "?";
}

const char *
smtp_cli_state_str(enum smtp_cli_state s)
{
	switch (s) {
	case SMTP_CLI_GREETING: return "GREETING";
	case SMTP_CLI_EHLO: return "EHLO";
	case SMTP_CLI_HELO: return "HELO";
	case SMTP_CLI_READY: return "READY";
	case SMTP_CLI_MAIL: return "MAIL";
	case SMTP_CLI_RCPT: return "RCPT";
	case SMTP_CLI_DATA: return "DATA";
	case SMTP_CLI_BODY: return "BODY";
	case SMTP_CLI_RSET: return "RSET";
	case SMTP_CLI_QUIT: return "QUIT";
	case SMTP_CLI_DONE: return "DONE";
	}
	return "?";
}

const char *
smtp_rcpt_verdict_str(enum smtp_rcpt_verdict v)
{
	switch (v) {
	case SMTP_RCPT_OK: return "ok";
	case SMTP_RCPT_UNKNOWN: return "unknown user";
	case SMTP_RCPT_RELAY_DENIED: return "relay denied";
	case SMTP_RCPT_TEMPFAIL: return "temporary failure";
	}
	return "?";
}
