/* commands.h - the command layer: each handler turns errors into messages and an exit status. */
#ifndef NSGUARD_COMMANDS_H
#define NSGUARD_COMMANDS_H

#include "cli.h"

/* Exit status of a refusal. */
#define EXIT_REFUSED 1

/* create/run/restore with a certain argv: decide, then exec the runtime or refuse. */
int guard_checked(int argc, char *argv[], const struct cli *cli);

/* Any other runtime command: exec the runtime with argv untouched. */
int guard_pass(int argc, char *argv[], const struct cli *cli);

/* A checked command whose argv is not certain. */
int guard_refuse_argv(const struct cli *cli, const char *why);

/* nsguard's own commands; argv[0] is the command word. */
int cmd_check(int argc, char *argv[]);
int cmd_audit(int argc, char *argv[]);
int cmd_version(int argc, char *argv[]);

#endif
