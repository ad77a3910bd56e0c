/* cli.c - see cli.h for why the argv is read by several parsers at once. */
#include "cli.h"

#include <string.h>

enum cli_flag_kind {
	CLI_FLAG_BOOL,	/* Go bool flag: never consumes the next argument; only --x=v sets a value */
	CLI_FLAG_VALUE, /* string or int flag: --x=v, or consumes the next argument whatever it is */
	CLI_FLAG_SLICE, /* repeatable value flag (restore --empty-ns) */
};

struct cli_flag_def {
	const char *name;
	const char *alias; /* urfave/cli registers "bundle, b" as two Go flags */
	enum cli_flag_kind kind;
};

/* urfave/cli adds these to the application and to every command. */
#define CLI_FLAG_HELP                                                                                                  \
	{                                                                                                              \
		"help", "h", CLI_FLAG_BOOL                                                                             \
	}

/* runc's main.go, 1.1 to 1.5 (--criu was dropped in 1.4; accepting it is harmless). */
static const struct cli_flag_def cli_global_flags[] = {
	{ "debug", NULL, CLI_FLAG_BOOL },
	{ "log", NULL, CLI_FLAG_VALUE },
	{ "log-format", NULL, CLI_FLAG_VALUE },
	{ "root", NULL, CLI_FLAG_VALUE },
	{ "criu", NULL, CLI_FLAG_VALUE },
	{ "systemd-cgroup", NULL, CLI_FLAG_BOOL },
	{ "rootless", NULL, CLI_FLAG_VALUE },
	{ "version", "v", CLI_FLAG_BOOL },
	CLI_FLAG_HELP,
	{ NULL, NULL, CLI_FLAG_BOOL },
};

/* The tables of the three commands repeat many rows on purpose: each is
 * runc's own flag list for that command, row for row, so that it can be
 * checked against (and updated from) create.go, run.go and restore.go alone.
 *
 * create.go; --pidfd-socket since runc 1.2. */
static const struct cli_flag_def cli_create_flags[] = {
	{ "bundle", "b", CLI_FLAG_VALUE },
	{ "console-socket", NULL, CLI_FLAG_VALUE },
	{ "pidfd-socket", NULL, CLI_FLAG_VALUE },
	{ "pid-file", NULL, CLI_FLAG_VALUE },
	{ "no-pivot", NULL, CLI_FLAG_BOOL },
	{ "no-new-keyring", NULL, CLI_FLAG_BOOL },
	{ "preserve-fds", NULL, CLI_FLAG_VALUE },
	CLI_FLAG_HELP,
	{ NULL, NULL, CLI_FLAG_BOOL },
};

/* run.go */
static const struct cli_flag_def cli_run_flags[] = {
	{ "bundle", "b", CLI_FLAG_VALUE },
	{ "console-socket", NULL, CLI_FLAG_VALUE },
	{ "pidfd-socket", NULL, CLI_FLAG_VALUE },
	{ "detach", "d", CLI_FLAG_BOOL },
	{ "keep", NULL, CLI_FLAG_BOOL },
	{ "pid-file", NULL, CLI_FLAG_VALUE },
	{ "no-subreaper", NULL, CLI_FLAG_BOOL },
	{ "no-pivot", NULL, CLI_FLAG_BOOL },
	{ "no-new-keyring", NULL, CLI_FLAG_BOOL },
	{ "preserve-fds", NULL, CLI_FLAG_VALUE },
	CLI_FLAG_HELP,
	{ NULL, NULL, CLI_FLAG_BOOL },
};

/* restore.go */
static const struct cli_flag_def cli_restore_flags[] = {
	{ "console-socket", NULL, CLI_FLAG_VALUE },
	{ "image-path", NULL, CLI_FLAG_VALUE },
	{ "work-path", NULL, CLI_FLAG_VALUE },
	{ "tcp-established", NULL, CLI_FLAG_BOOL },
	{ "ext-unix-sk", NULL, CLI_FLAG_BOOL },
	{ "shell-job", NULL, CLI_FLAG_BOOL },
	{ "file-locks", NULL, CLI_FLAG_BOOL },
	{ "manage-cgroups-mode", NULL, CLI_FLAG_VALUE },
	{ "bundle", "b", CLI_FLAG_VALUE },
	{ "detach", "d", CLI_FLAG_BOOL },
	{ "pid-file", NULL, CLI_FLAG_VALUE },
	{ "no-subreaper", NULL, CLI_FLAG_BOOL },
	{ "no-pivot", NULL, CLI_FLAG_BOOL },
	{ "empty-ns", NULL, CLI_FLAG_SLICE },
	{ "auto-dedup", NULL, CLI_FLAG_BOOL },
	{ "lazy-pages", NULL, CLI_FLAG_BOOL },
	{ "lsm-profile", NULL, CLI_FLAG_VALUE },
	{ "lsm-mount-context", NULL, CLI_FLAG_VALUE },
	CLI_FLAG_HELP,
	{ NULL, NULL, CLI_FLAG_BOOL },
};

static const struct cli_command {
	const char *name;
	const struct cli_flag_def *flags;
} cli_checked_commands[] = {
	{ "create", cli_create_flags },
	{ "run", cli_run_flags },
	{ "restore", cli_restore_flags },
};

static const char *const cli_own_commands[] = { "audit", "check", "version" };

/* One argument, parsed once against one flag table as both of runc's parsers
 * see it. Every reading and every query below looks it up here instead of
 * parsing the text again, so they cannot disagree about what an argument is. */
struct cli_arg {
	const char *s;
	bool flag_like;	  /* Go's flag package: starts with "-" and is not "-" (includes "--") */
	bool dashdash;	  /* exactly "--" */
	bool urfave_flag; /* urfave/cli v1.22.2+ argIsFlag(): names one of the table's flags */
	/* flag.FlagSet.parseOne, for a flag_like argument other than "--": */
	bool bad_syntax;
	const struct cli_flag_def *def; /* NULL: not in the table */
	const char *go_name;		/* the name it was given by; points into the table */
	bool has_value;			/* written as --x=v */
	const char *value;		/* what follows the "=" */
};

/* argv[from..argc) parsed against one table. */
struct cli_args {
	char *const *argv;
	const struct cli_flag_def *table;
	struct cli_arg *arg; /* indexed like argv */
	int *order;	     /* from, from + 1, ..., argc - 1: the order they were given in */
	int from, n, argc;   /* n = argc - from */
};

/* What one argument is, in one reading of the argv. */
enum cli_role {
	CLI_ROLE_NONE,
	CLI_ROLE_FLAG,
	CLI_ROLE_VALUE, /* the separate value of the flag just before it in that reading */
	CLI_ROLE_POSITIONAL,
	CLI_ROLE_END, /* a "--" that Go's flag package consumed as the end of flags */
};

struct cli_reading {
	enum cli_role *role; /* per original index */
	int *value_of;	     /* CLI_ROLE_VALUE: original index of its flag */
	int *positionals;    /* original indexes, in the order the parser saw them */
	int n_positionals;
	int error_index; /* -1, or the original index of the argument the parser failed on */
	const char *error;
};

int cli_is_checked_command(const char *name)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cli_checked_commands); i++)
		if (strcmp(name, cli_checked_commands[i].name) == 0)
			return 1;
	return 0;
}

static const struct cli_flag_def *cli_flags_of(const char *command)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cli_checked_commands); i++)
		if (strcmp(command, cli_checked_commands[i].name) == 0)
			return cli_checked_commands[i].flags;
	return NULL;
}

static const struct cli_flag_def *cli_lookup_flag(const struct cli_flag_def *table, const char *name, size_t len,
						  const char **ret_go_name)
{
	for (const struct cli_flag_def *f = table; f->name; f++) {
		if (strlen(f->name) == len && memcmp(f->name, name, len) == 0) {
			*ret_go_name = f->name;
			return f;
		}
		if (f->alias && strlen(f->alias) == len && memcmp(f->alias, name, len) == 0) {
			*ret_go_name = f->alias;
			return f;
		}
	}
	return NULL;
}

/* urfave/cli v1.22.2+ argIsFlag(): is arg the name of one of the command's flags,
 * after stripping up to three leading dashes and any "=value"? */
static bool cli_urfave_arg_is_flag(const struct cli_flag_def *table, const char *arg)
{
	const char *name = arg;
	const char *go_name;
	size_t len;

	if (strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0 || arg[0] != '-')
		return false;
	if (name[0] == '-' && name[1] == '-')
		name += 2;
	if (name[0] == '-')
		name++;
	len = strcspn(name, "=");
	return cli_lookup_flag(table, name, len, &go_name) != NULL;
}

/* flag.FlagSet.parseOne on a flag token: a->s is flag_like and not "--". */
static void cli_go_parse(const struct cli_flag_def *table, struct cli_arg *a)
{
	const char *name = a->s + 1;
	const char *eq;
	size_t len;

	if (*name == '-')
		name++;
	if (*name == '\0' || *name == '-' || *name == '=') {
		a->bad_syntax = true;
		return;
	}
	eq = strchr(name + 1, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	a->has_value = eq != NULL;
	a->value = eq ? eq + 1 : NULL;
	a->def = cli_lookup_flag(table, name, len, &a->go_name);
}

static void cli_parse_arg(const struct cli_flag_def *table, const char *s, struct cli_arg *ret)
{
	*ret = (struct cli_arg){ .s = s };
	ret->flag_like = s[0] == '-' && s[1] != '\0';
	ret->dashdash = strcmp(s, "--") == 0;
	ret->urfave_flag = cli_urfave_arg_is_flag(table, s);
	if (ret->flag_like && !ret->dashdash)
		cli_go_parse(table, ret);
}

static void cli_args_init(struct cli_args *ret, const struct cli_flag_def *table, int argc, char *const argv[],
			  int from)
{
	*ret = (struct cli_args){ .argv = argv, .table = table, .from = from, .n = argc - from, .argc = argc };
	ret->arg = nsg_calloc((size_t)argc, sizeof(*ret->arg));
	ret->order = nsg_calloc((size_t)(argc - from + 1), sizeof(*ret->order));
	for (int i = from; i < argc; i++) {
		cli_parse_arg(table, argv[i], &ret->arg[i]);
		ret->order[i - from] = i;
	}
}

static void cli_args_free(struct cli_args *a)
{
	free(a->arg);
	free(a->order);
}

#define cleanup_cli_args __attribute__((cleanup(cli_args_free)))

/* strconv.ParseBool */
static int cli_go_parse_bool(const char *s, int *ret)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

	for (size_t i = 0; i < NSG_ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*ret = 1;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*ret = 0;
			return 0;
		}
	}
	return -1;
}

/* urfave/cli v1.22's reorder pass (Command.parseFlags) moves the command's
 * flags, with the values that may follow them, in front of the other
 * arguments and hands the result to Go's flag package. It changed three times;
 * the versions differ in exactly these rules, and cli_reorder() runs each. */
struct cli_variant {
	const char *name;
	/* What moves as a flag: only the command's own flags (argIsFlag), or
	 * (false) anything that starts with "-" and is not "-". */
	bool known_flags_only;
	/* What may be the value after a flag without "=": anything that is not
	 * one of the command's flags, or (false) anything not starting with "-". */
	bool dash_values;
	/* An argument that stays behind ends the wait for a value. */
	bool rest_ends_wait;
	/* "--" moves in front of the arguments left behind, or (false) stops
	 * the pass and stays where it is, with everything after it. */
	bool move_dashdash;
};

static const struct cli_variant cli_variants[] = {
	/* v1.22.0 - v1.22.1 (runc 1.1.x) */
	{ .name = "urfave/cli v1.22.1 (runc 1.1)", .rest_ends_wait = true },
	/* v1.22.2 - v1.22.5 */
	{ .name = "urfave/cli v1.22.2-5", .known_flags_only = true },
	/* v1.22.6 and later (runc 1.2+) */
	{ .name = "urfave/cli v1.22.6+ (runc 1.2+)",
	  .known_flags_only = true,
	  .dash_values = true,
	  .move_dashdash = true },
};

static bool cli_moves_as_flag(const struct cli_variant *v, const struct cli_arg *a)
{
	return v->known_flags_only ? a->urfave_flag : a->flag_like;
}

static bool cli_may_be_value(const struct cli_variant *v, const struct cli_arg *a)
{
	return v->dash_values ? !a->urfave_flag : a->s[0] != '-';
}

/* One variant's reorder pass over the arguments in the order given; out
 * receives the new order of their indexes, rest is scratch of the same size.
 * (Testing for a value first is right for every variant: under the rules
 * where "--" could be a value, v1.22.6+ tests for it first too.) */
static void cli_reorder(const struct cli_variant *v, const struct cli_args *args, int *out, int *rest)
{
	const int *in = args->order;
	int n = args->n, moved = 0, left = 0, tail = n;
	bool waiting = false;

	for (int i = 0; i < n; i++) {
		const struct cli_arg *a = &args->arg[in[i]];

		if (waiting && cli_may_be_value(v, a)) {
			waiting = false;
			out[moved++] = in[i];
		} else if (a->dashdash) {
			tail = i;
			break;
		} else if (cli_moves_as_flag(v, a)) {
			out[moved++] = in[i];
			waiting = strchr(a->s, '=') == NULL;
		} else {
			rest[left++] = in[i];
			waiting = waiting && !v->rest_ends_wait;
		}
	}
	if (tail < n && v->move_dashdash)
		out[moved++] = in[tail++];
	memcpy(out + moved, rest, sizeof(int) * (size_t)left);
	memcpy(out + moved + left, in + tail, sizeof(int) * (size_t)(n - tail));
}

static int cli_reading_fail(struct cli_reading *r, int index, const char *why)
{
	if (r->error_index < 0) {
		r->error_index = index;
		r->error = why;
	}
	return -1;
}

/* Record the flag token a at index i; its separate value, if it takes one, is
 * at index next (-1: none). Returns how many indexes were used. */
static int cli_read_flag(struct cli_reading *r, const struct cli_arg *a, int i, int next)
{
	int on;

	if (a->bad_syntax)
		return cli_reading_fail(r, i, "bad flag syntax");
	if (!a->def)
		return cli_reading_fail(r, i, "unknown flag");
	r->role[i] = CLI_ROLE_FLAG;
	if (a->def->kind == CLI_FLAG_BOOL) {
		if (a->has_value && cli_go_parse_bool(a->value, &on) < 0)
			return cli_reading_fail(r, i, "not a valid boolean value");
		return 1;
	}
	if (a->has_value)
		return 1;
	if (next < 0)
		return cli_reading_fail(r, i, "flag needs a value");
	r->role[next] = CLI_ROLE_VALUE;
	r->value_of[next] = i;
	return 2;
}

static void cli_reading_init(struct cli_reading *r, int argc)
{
	r->role = nsg_calloc((size_t)argc, sizeof(*r->role));
	r->value_of = nsg_calloc((size_t)argc, sizeof(*r->value_of));
	r->positionals = nsg_calloc((size_t)argc, sizeof(*r->positionals));
	r->n_positionals = 0;
	r->error_index = -1;
	r->error = NULL;
}

static void cli_reading_free(struct cli_reading *r)
{
	free(r->role);
	free(r->value_of);
	free(r->positionals);
}

#define cleanup_cli_reading __attribute__((cleanup(cli_reading_free)))

static void cli_add_positionals(struct cli_reading *r, const int *order, int from, int n)
{
	for (int k = from; k < n; k++) {
		r->role[order[k]] = CLI_ROLE_POSITIONAL;
		r->positionals[r->n_positionals++] = order[k];
	}
}

/* Go's flag.FlagSet.Parse over the arguments in the given order (args->n
 * indexes): flags until the first non-flag or "--", everything after that
 * positional. */
static int cli_go_read(const struct cli_args *args, const int *order, struct cli_reading *r)
{
	int n = args->n;

	for (int k = 0; k < n;) {
		const struct cli_arg *a = &args->arg[order[k]];
		int used;

		if (!a->flag_like) {
			cli_add_positionals(r, order, k, n);
			return 0;
		}
		if (a->dashdash) {
			r->role[order[k]] = CLI_ROLE_END;
			cli_add_positionals(r, order, k + 1, n);
			return 0;
		}
		used = cli_read_flag(r, a, order[k], k + 1 < n ? order[k + 1] : -1);
		if (used < 0)
			return -1;
		k += used;
	}
	return 0;
}

/* SPEC.md section 2's model: flags anywhere, a value flag consumes the next
 * argument whatever it is, positionals collected in order, no standalone "--". */
static int cli_model_read(const struct cli_args *args, struct cli_reading *r)
{
	for (int i = args->from; i < args->argc;) {
		const struct cli_arg *a = &args->arg[i];
		int used;

		if (a->dashdash)
			return cli_reading_fail(r, i, "a standalone \"--\" is not accepted");
		if (!a->flag_like) {
			r->role[i] = CLI_ROLE_POSITIONAL;
			r->positionals[r->n_positionals++] = i++;
			continue;
		}
		used = cli_read_flag(r, a, i, i + 1 < args->argc ? i + 1 : -1);
		if (used < 0)
			return -1;
		i += used;
	}
	return 0;
}

/* The value of the flag at index i in reading r: "--x=v" or the next argument. */
static const char *cli_flag_value(const struct cli_args *args, const struct cli_reading *r, int i)
{
	if (args->arg[i].has_value)
		return args->arg[i].value;
	if (i + 1 < args->argc && r->role[i + 1] == CLI_ROLE_VALUE)
		return args->argv[i + 1];
	return NULL;
}

static const char *cli_dashes(const char *go_name)
{
	return go_name[1] ? "--" : "-";
}

/* Refuse a flag given twice (Go keeps the last silently) or under both of its names
 * (urfave/cli fails on that only in some versions). */
static int cli_check_repeats(const struct cli_args *args, const struct cli_reading *r, struct nsg_err *err)
{
	const char *seen[64] = { 0 };

	for (int i = args->from; i < args->argc; i++) {
		const struct cli_arg *a = &args->arg[i];
		size_t slot;

		if (r->role[i] != CLI_ROLE_FLAG)
			continue;
		slot = (size_t)(a->def - args->table);
		if (a->def->kind == CLI_FLAG_SLICE || slot >= NSG_ARRAY_SIZE(seen))
			continue;
		if (seen[slot] && strcmp(seen[slot], a->go_name) != 0)
			return nsg_fail(err, "both %s%s and %s%s are given: they are the same flag",
					cli_dashes(seen[slot]), seen[slot], cli_dashes(a->go_name), a->go_name);
		if (seen[slot])
			return nsg_fail(err, "flag \"%s\" is given more than once", a->s);
		seen[slot] = a->go_name;
	}
	return 0;
}

/* The first argument two readings disagree on, or -1 when they read the argv the same way. */
static int cli_first_disagreement(const struct cli_reading *a, const struct cli_reading *b, int from, int argc)
{
	if (b->error_index >= 0)
		return b->error_index;
	for (int i = from; i < argc; i++) {
		if (a->role[i] != b->role[i])
			return i;
		if (a->role[i] == CLI_ROLE_VALUE && a->value_of[i] != b->value_of[i])
			return i;
	}
	if (a->n_positionals != b->n_positionals)
		return from;
	for (int k = 0; k < a->n_positionals; k++)
		if (a->positionals[k] != b->positionals[k])
			return a->positionals[k];
	return -1;
}

/* Does every known runc read the command's arguments exactly as the model did? */
static int cli_check_variants(const struct cli_args *args, const struct cli_reading *model, struct nsg_err *err)
{
	cleanup_free int *out = nsg_calloc((size_t)args->n, sizeof(int));
	cleanup_free int *rest = nsg_calloc((size_t)args->n, sizeof(int));

	for (size_t v = 0; v < NSG_ARRAY_SIZE(cli_variants); v++) {
		cleanup_cli_reading struct cli_reading r = { 0 };
		int bad;

		cli_reading_init(&r, args->argc);
		cli_reorder(&cli_variants[v], args, out, rest);
		cli_go_read(args, out, &r);
		bad = cli_first_disagreement(model, &r, args->from, args->argc);
		if (bad >= 0)
			return nsg_fail(err,
					"argument \"%s\" is read differently by %s; put every flag before the "
					"container id and write values that start with \"-\" as --flag=value",
					args->argv[bad], cli_variants[v].name);
	}
	return 0;
}

static bool cli_is_true_flag(const struct cli_args *args, const struct cli_reading *r, const char *name)
{
	int on = 0;

	for (int i = args->from; i < args->argc; i++) {
		const struct cli_arg *a = &args->arg[i];

		if (r->role[i] != CLI_ROLE_FLAG || strcmp(a->def->name, name) != 0)
			continue;
		if (!a->has_value)
			on = 1;
		else if (cli_go_parse_bool(a->value, &on) < 0)
			on = 0;
	}
	return on;
}

static const char *cli_last_value(const struct cli_args *args, const struct cli_reading *r, const char *name)
{
	const char *value = NULL;

	for (int i = args->from; i < args->argc; i++)
		if (r->role[i] == CLI_ROLE_FLAG && strcmp(args->arg[i].def->name, name) == 0)
			value = cli_flag_value(args, r, i);
	return value;
}

/* The first argument that names a checked command, or NULL. */
static const char *cli_any_checked_command(int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++)
		if (cli_is_checked_command(argv[i]))
			return argv[i];
	return NULL;
}

static bool cli_is_own_command(const char *name)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cli_own_commands); i++)
		if (strcmp(name, cli_own_commands[i]) == 0)
			return true;
	return false;
}

/* The command's own arguments: the model reading, its agreement with every runc,
 * then help, the container id and the bundle. */
static enum cli_action cli_parse_command(int argc, char *const argv[], struct cli *ret, struct nsg_err *err)
{
	cleanup_cli_args struct cli_args args = { 0 };
	cleanup_cli_reading struct cli_reading m = { 0 };
	int from = ret->command_index + 1;

	if (argc - from > CLI_MAX_ARGS)
		return nsg_fail(err, "more than %d arguments", CLI_MAX_ARGS), CLI_REFUSE;
	cli_args_init(&args, cli_flags_of(ret->command), argc, argv, from);
	cli_reading_init(&m, argc);
	if (cli_model_read(&args, &m) < 0)
		return nsg_fail(err, "argument \"%s\": %s", argv[m.error_index], m.error), CLI_REFUSE;
	if (cli_check_repeats(&args, &m, err) < 0 || cli_check_variants(&args, &m, err) < 0)
		return CLI_REFUSE;
	/* urfave/cli shows the command's help and runs nothing. */
	if (cli_is_true_flag(&args, &m, "help"))
		return CLI_PASS;
	if (m.n_positionals != 1)
		return nsg_fail(err, "expected exactly one container id, got %d arguments", m.n_positionals),
		       CLI_REFUSE;
	ret->container_id = argv[m.positionals[0]];
	ret->bundle = cli_last_value(&args, &m, "bundle");
	return CLI_CHECK;
}

enum cli_action cli_parse(int argc, char *const argv[], struct cli *ret, struct nsg_err *err)
{
	cleanup_cli_args struct cli_args args = { 0 };
	cleanup_cli_reading struct cli_reading g = { 0 };

	memset(ret, 0, sizeof(*ret));
	ret->command_index = -1;
	if (argc < 2)
		return CLI_PASS;
	cli_args_init(&args, cli_global_flags, argc, argv, 1);
	cli_reading_init(&g, argc);
	if (cli_go_read(&args, args.order, &g) < 0) {
		/* The command cannot be found; name the checked one that may be meant. */
		ret->command = cli_any_checked_command(argc, argv);
		if (!ret->command)
			return CLI_PASS;
		return nsg_fail(err, "global argument \"%s\": %s", argv[g.error_index], g.error), CLI_REFUSE;
	}
	ret->log = cli_last_value(&args, &g, "log");
	ret->log_format = cli_last_value(&args, &g, "log-format");
	ret->root = cli_last_value(&args, &g, "root");
	if (cli_is_true_flag(&args, &g, "help") || cli_is_true_flag(&args, &g, "version") || g.n_positionals == 0)
		return CLI_PASS;
	ret->command_index = g.positionals[0];
	ret->command = argv[ret->command_index];
	if (cli_is_own_command(ret->command))
		return CLI_OWN;
	if (!cli_is_checked_command(ret->command))
		return CLI_PASS;
	for (int i = 1; i < ret->command_index; i++)
		if (g.role[i] == CLI_ROLE_END)
			return nsg_fail(err, "global argument \"--\": a standalone \"--\" is not accepted"), CLI_REFUSE;
	if (cli_check_repeats(&args, &g, err) < 0)
		return nsg_prefix(err, "global flags: "), CLI_REFUSE;
	return cli_parse_command(argc, argv, ret, err);
}
