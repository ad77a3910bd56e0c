/* guard.h - the runtime-facing flow: what nsguard does when an engine calls it as runc.
 *
 * Each function ends the process's work: it execs the runtime (and so does
 * not return) or returns the exit status of a refusal (exitstatus.h).
 */
#ifndef NSGUARD_GUARD_H
#define NSGUARD_GUARD_H

#include "cli.h"

/* argv is main()'s, NULL-terminated: the runtime gets it unchanged. */

/* create/run/restore with a certain argv: decide, then exec the runtime or refuse. */
int guard_checked(char *argv[], const struct cli *cli);

/* Any other runtime command: exec the runtime with argv untouched. */
int guard_pass(char *argv[], const struct cli *cli);

/* A checked command whose argv is not certain. */
int guard_refuse_argv(const struct cli *cli, const char *why);

#endif
