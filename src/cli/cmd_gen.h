/* cmd_gen.h - `netlab gen campus`: writes a large scenario to stdout. */
#ifndef NL_CMD_GEN_H
#define NL_CMD_GEN_H

/* argv[0] is "gen". Returns the exit status (cli.h). */
int cmd_gen(int argc, char **argv);

#endif
