/* main.c - nsguard: a gate in front of runc. Dispatch only; see commands.h. */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "guard.h"

static const struct {
	const char *name;
	int (*run)(int argc, char *argv[]);
} own_commands[] = {
	{ "audit", cmd_audit },
	{ "check", cmd_check },
	{ "version", cmd_version },
};

static int main_run_own(int argc, char *argv[], const struct cli *cli)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(own_commands); i++)
		if (strcmp(cli->command, own_commands[i].name) == 0)
			return own_commands[i].run(argc - cli->command_index, argv + cli->command_index);
	return guard_pass(argv, cli);
}

int main(int argc, char *argv[])
{
	struct nsg_err err = { .msg = "" };
	struct cli cli;

	switch (cli_parse(argc, argv, &cli, &err)) {
	case CLI_CHECK:
		return guard_checked(argv, &cli);
	case CLI_REFUSE:
		return guard_refuse_argv(&cli, err.msg);
	case CLI_OWN:
		return main_run_own(argc, argv, &cli);
	case CLI_PASS:
	default:
		return guard_pass(argv, &cli);
	}
}
