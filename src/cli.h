/* cli.h - runc's command line, read exactly as runc >= 1.1 reads it (SPEC.md section 2).
 *
 * runc parses argv with urfave/cli v1 on top of Go's flag package: global flags
 * with plain Go parsing, then for each command a "reorder" pass that moves flags
 * in front of positional arguments, then Go parsing again. The reorder pass
 * changed three times within urfave/cli v1.22 (runc 1.1 pins v1.22.1, runc 1.2
 * and later use v1.22.14+, distributions build with what they ship), and each
 * variant reads some argvs differently. cli_parse() reads the argv with the
 * simple model of SPEC.md section 2 and accepts a checked command only when
 * every known variant reads it the same way; anything else is refused, since
 * any disagreement could point runc at a bundle nsguard did not check.
 *
 * Pure: no I/O, no allocation that outlives the call; results point into argv.
 */
#ifndef NSGUARD_CLI_H
#define NSGUARD_CLI_H

#include "util.h"

enum cli_action {
	CLI_PASS,   /* not a checked command: exec the runtime with argv unread */
	CLI_CHECK,  /* create, run or restore with a certain argv: decide, then exec */
	CLI_REFUSE, /* a checked command whose argv is not certain; err says why */
	CLI_OWN,    /* one of nsguard's own commands (check, audit, version) */
};

struct cli {
	int command_index;	/* argv index of the command word, or -1 */
	const char *command;	/* argv[command_index], or NULL */
	const char *log;	/* global --log value, or NULL */
	const char *log_format; /* global --log-format value, or NULL (runc's default: text) */
	const char *root;	/* global --root value, or NULL */
	const char *bundle;	/* --bundle/-b value; NULL when absent (both mean the cwd when empty) */
	const char *container_id;
};

/* The largest argv nsguard reads for a checked command; a longer one is refused. */
#define CLI_MAX_ARGS 4096

enum cli_action cli_parse(int argc, char *const argv[], struct cli *ret, struct nsg_err *err);

/* True for the names of the commands nsguard checks. */
int cli_is_checked_command(const char *name);

#endif
