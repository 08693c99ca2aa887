/* cmd_decode.h - `netlab decode dns [--reencode]`: hex messages on stdin,
 * dig-like text (or our re-encoding in hex) on stdout. */
#ifndef NL_CMD_DECODE_H
#define NL_CMD_DECODE_H

/* argv[0] is "decode", argv[1] the protocol ("dns"). Reads stdin to its
 * end. Returns the exit status: 0 if every message decoded, 1 if any
 * did not (each gets an "error: REASON" line), 2 on bad usage. */
int cmd_decode(int argc, char **argv);

#endif
