/* cli.c - see cli.h for why the argv is read by several parsers at once. */
#include "cli.h"

#include <string.h>

enum flag_kind {
	FLAG_BOOL,  /* Go bool flag: never consumes the next argument; only --x=v sets a value */
	FLAG_VALUE, /* string or int flag: --x=v, or consumes the next argument whatever it is */
	FLAG_SLICE, /* repeatable value flag (restore --empty-ns) */
};

struct flag_def {
	const char *name;
	const char *alias; /* urfave/cli registers "bundle, b" as two Go flags */
	enum flag_kind kind;
};

/* urfave/cli adds these to the application and to every command. */
#define FLAG_HELP                                                                                                      \
	{                                                                                                              \
		"help", "h", FLAG_BOOL                                                                                 \
	}

/* runc's main.go, 1.1 to 1.5 (--criu was dropped in 1.4; accepting it is harmless). */
static const struct flag_def global_flags[] = {
	{ "debug", NULL, FLAG_BOOL },	  { "log", NULL, FLAG_VALUE },	 { "log-format", NULL, FLAG_VALUE },
	{ "root", NULL, FLAG_VALUE },	  { "criu", NULL, FLAG_VALUE },	 { "systemd-cgroup", NULL, FLAG_BOOL },
	{ "rootless", NULL, FLAG_VALUE }, { "version", "v", FLAG_BOOL }, FLAG_HELP,
	{ NULL, NULL, FLAG_BOOL },
};

/* create.go; --pidfd-socket since runc 1.2. */
static const struct flag_def create_flags[] = {
	{ "bundle", "b", FLAG_VALUE },
	{ "console-socket", NULL, FLAG_VALUE },
	{ "pidfd-socket", NULL, FLAG_VALUE },
	{ "pid-file", NULL, FLAG_VALUE },
	{ "no-pivot", NULL, FLAG_BOOL },
	{ "no-new-keyring", NULL, FLAG_BOOL },
	{ "preserve-fds", NULL, FLAG_VALUE },
	FLAG_HELP,
	{ NULL, NULL, FLAG_BOOL },
};

/* run.go */
static const struct flag_def run_flags[] = {
	{ "bundle", "b", FLAG_VALUE },
	{ "console-socket", NULL, FLAG_VALUE },
	{ "pidfd-socket", NULL, FLAG_VALUE },
	{ "detach", "d", FLAG_BOOL },
	{ "keep", NULL, FLAG_BOOL },
	{ "pid-file", NULL, FLAG_VALUE },
	{ "no-subreaper", NULL, FLAG_BOOL },
	{ "no-pivot", NULL, FLAG_BOOL },
	{ "no-new-keyring", NULL, FLAG_BOOL },
	{ "preserve-fds", NULL, FLAG_VALUE },
	FLAG_HELP,
	{ NULL, NULL, FLAG_BOOL },
};

/* restore.go */
static const struct flag_def restore_flags[] = {
	{ "console-socket", NULL, FLAG_VALUE },
	{ "image-path", NULL, FLAG_VALUE },
	{ "work-path", NULL, FLAG_VALUE },
	{ "tcp-established", NULL, FLAG_BOOL },
	{ "ext-unix-sk", NULL, FLAG_BOOL },
	{ "shell-job", NULL, FLAG_BOOL },
	{ "file-locks", NULL, FLAG_BOOL },
	{ "manage-cgroups-mode", NULL, FLAG_VALUE },
	{ "bundle", "b", FLAG_VALUE },
	{ "detach", "d", FLAG_BOOL },
	{ "pid-file", NULL, FLAG_VALUE },
	{ "no-subreaper", NULL, FLAG_BOOL },
	{ "no-pivot", NULL, FLAG_BOOL },
	{ "empty-ns", NULL, FLAG_SLICE },
	{ "auto-dedup", NULL, FLAG_BOOL },
	{ "lazy-pages", NULL, FLAG_BOOL },
	{ "lsm-profile", NULL, FLAG_VALUE },
	{ "lsm-mount-context", NULL, FLAG_VALUE },
	FLAG_HELP,
	{ NULL, NULL, FLAG_BOOL },
};

static const struct {
	const char *name;
	const struct flag_def *flags;
} checked_commands[] = {
	{ "create", create_flags },
	{ "run", run_flags },
	{ "restore", restore_flags },
};

static const char *const own_commands[] = { "audit", "check", "version" };

/* What one argument is, in one reading of the argv. */
enum role {
	ROLE_NONE,
	ROLE_FLAG,
	ROLE_VALUE, /* the separate value of the flag just before it in that reading */
	ROLE_POSITIONAL,
	ROLE_END, /* a "--" that Go's flag package consumed as the end of flags */
};

struct reading {
	enum role *role;  /* per original index */
	int *value_of;	  /* ROLE_VALUE: original index of its flag */
	int *positionals; /* original indexes, in the order the parser saw them */
	int n_positionals;
	int error_index; /* -1, or the original index of the argument the parser failed on */
	const char *error;
};

/* One parsed flag token, as Go's flag.FlagSet.parseOne sees it. */
struct token {
	const struct flag_def *def;
	const char *go_name; /* points into a static table */
	int has_value;	     /* written as --x=v */
	const char *value;
	int bad_syntax;
};

int cli_is_checked_command(const char *name)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(checked_commands); i++)
		if (strcmp(name, checked_commands[i].name) == 0)
			return 1;
	return 0;
}

static const struct flag_def *flags_of(const char *command)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(checked_commands); i++)
		if (strcmp(command, checked_commands[i].name) == 0)
			return checked_commands[i].flags;
	return NULL;
}

static const struct flag_def *lookup_flag(const struct flag_def *table, const char *name, size_t len,
					  const char **ret_go_name)
{
	for (const struct flag_def *f = table; f->name; f++) {
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

/* Go's flag package: is s a flag token at all? ("-" and "" and "abc" are not; "--" ends flags.) */
static int looks_like_flag(const char *s)
{
	return s[0] == '-' && s[1] != '\0';
}

/* Parse a flag token the way flag.FlagSet.parseOne does. s must satisfy looks_like_flag() and not be "--". */
static void parse_token(const struct flag_def *table, const char *s, struct token *t)
{
	const char *name = s + 1;
	const char *eq;
	size_t len;

	memset(t, 0, sizeof(*t));
	if (*name == '-')
		name++;
	if (*name == '\0' || *name == '-' || *name == '=') {
		t->bad_syntax = 1;
		return;
	}
	eq = strchr(name + 1, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	t->has_value = eq != NULL;
	t->value = eq ? eq + 1 : NULL;
	t->def = lookup_flag(table, name, len, &t->go_name);
}

/* strconv.ParseBool */
static int go_parse_bool(const char *s, int *ret)
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

/* urfave/cli v1.22.2+ argIsFlag(): is arg the name of one of the command's flags,
 * after stripping up to three leading dashes and any "=value"? */
static int urfave_arg_is_flag(const struct flag_def *table, const char *arg)
{
	const char *name = arg;
	const char *go_name;
	size_t len;

	if (strcmp(arg, "-") == 0 || strcmp(arg, "--") == 0 || arg[0] != '-')
		return 0;
	if (name[0] == '-' && name[1] == '-')
		name += 2;
	if (name[0] == '-')
		name++;
	len = strcspn(name, "=");
	return lookup_flag(table, name, len, &go_name) != NULL;
}

static int has_prefix_dash(const char *s)
{
	return s[0] == '-';
}

/* The three reorder passes of urfave/cli v1.22 (Command.parseFlags). Each turns
 * the argument indexes in[0..n) into out[0..n); a and b are scratch space. */
typedef void reorder_fn(const struct flag_def *table, char *const *args, const int *in, int n, int *out, int *a,
			int *b);

static int concat(int *out, const int *x, int nx, const int *y, int ny)
{
	memcpy(out, x, sizeof(int) * (size_t)nx);
	memcpy(out + nx, y, sizeof(int) * (size_t)ny);
	return nx + ny;
}

/* v1.22.0 - v1.22.1 (runc 1.1.x): anything starting with "-" is a flag. */
static void reorder_v1_22_1(const struct flag_def *table, char *const *args, const int *in, int n, int *out, int *flags,
			    int *nonflags)
{
	int nf = 0, nn = 0, read_value = 0;

	for (int i = 0; i < n; i++) {
		const char *arg = args[in[i]];

		if (strcmp(arg, "--") == 0) {
			while (i < n)
				nonflags[nn++] = in[i++];
			break;
		}
		if (read_value && !has_prefix_dash(arg)) {
			read_value = 0;
			flags[nf++] = in[i];
			continue;
		}
		read_value = 0;
		if (strcmp(arg, "-") != 0 && has_prefix_dash(arg)) {
			flags[nf++] = in[i];
			read_value = strchr(arg, '=') == NULL;
		} else {
			nonflags[nn++] = in[i];
		}
	}
	concat(out, flags, nf, nonflags, nn);
}

/* v1.22.2 - v1.22.5: only the command's own flags move; "--" stops reordering. */
static void reorder_v1_22_2(const struct flag_def *table, char *const *args, const int *in, int n, int *out, int *moved,
			    int *rest)
{
	int nm = 0, nr = 0, next_may_be_value = 0;

	for (int i = 0; i < n; i++) {
		const char *arg = args[in[i]];

		if (strcmp(arg, "--") == 0) {
			while (i < n)
				rest[nr++] = in[i++];
			break;
		} else if (next_may_be_value && !has_prefix_dash(arg)) {
			next_may_be_value = 0;
			moved[nm++] = in[i];
		} else if (urfave_arg_is_flag(table, arg)) {
			moved[nm++] = in[i];
			next_may_be_value = strchr(arg, '=') == NULL;
		} else {
			rest[nr++] = in[i];
		}
	}
	concat(out, moved, nm, rest, nr);
}

/* v1.22.6 and later (runc 1.2+): a value may be anything that is not a known flag,
 * and "--" is moved to the front of the remaining arguments. */
static void reorder_v1_22_6(const struct flag_def *table, char *const *args, const int *in, int n, int *out, int *moved,
			    int *rest)
{
	int nm = 0, nr = 0, next_may_be_value = 0, dashdash = -1, tail = n;

	for (int i = 0; i < n; i++) {
		const char *arg = args[in[i]];

		if (next_may_be_value && !urfave_arg_is_flag(table, arg)) {
			next_may_be_value = 0;
			moved[nm++] = in[i];
		} else if (strcmp(arg, "--") == 0) {
			dashdash = in[i];
			tail = i + 1;
			break;
		} else if (urfave_arg_is_flag(table, arg)) {
			moved[nm++] = in[i];
			next_may_be_value = strchr(arg, '=') == NULL;
		} else {
			rest[nr++] = in[i];
		}
	}
	memcpy(out, moved, sizeof(int) * (size_t)nm);
	if (dashdash >= 0)
		out[nm++] = dashdash;
	memcpy(out + nm, rest, sizeof(int) * (size_t)nr);
	memcpy(out + nm + nr, in + tail, sizeof(int) * (size_t)(n - tail));
}

static int reading_fail(struct reading *r, int index, const char *why)
{
	if (r->error_index < 0) {
		r->error_index = index;
		r->error = why;
	}
	return -1;
}

/* Record flag token at index i (already parsed into t); its separate value, if it
 * takes one, is at index next (-1: none). Returns how many indexes were used. */
static int read_flag(struct reading *r, const struct token *t, char *const *args, int i, int next)
{
	int on;

	if (t->bad_syntax)
		return reading_fail(r, i, "bad flag syntax");
	if (!t->def)
		return reading_fail(r, i, "unknown flag");
	r->role[i] = ROLE_FLAG;
	if (t->def->kind == FLAG_BOOL) {
		if (t->has_value && go_parse_bool(t->value, &on) < 0)
			return reading_fail(r, i, "not a valid boolean value");
		return 1;
	}
	if (t->has_value)
		return 1;
	if (next < 0)
		return reading_fail(r, i, "flag needs a value");
	r->role[next] = ROLE_VALUE;
	r->value_of[next] = i;
	return 2;
}

static void reading_init(struct reading *r, int argc)
{
	r->role = nsg_calloc((size_t)argc, sizeof(*r->role));
	r->value_of = nsg_calloc((size_t)argc, sizeof(*r->value_of));
	r->positionals = nsg_calloc((size_t)argc, sizeof(*r->positionals));
	r->n_positionals = 0;
	r->error_index = -1;
	r->error = NULL;
}

static void reading_free(struct reading *r)
{
	free(r->role);
	free(r->value_of);
	free(r->positionals);
}

#define cleanup_reading __attribute__((cleanup(reading_free)))

static void add_positionals(struct reading *r, const int *order, int from, int n)
{
	for (int k = from; k < n; k++) {
		r->role[order[k]] = ROLE_POSITIONAL;
		r->positionals[r->n_positionals++] = order[k];
	}
}

/* Go's flag.FlagSet.Parse over args[order[0..n)]: flags until the first non-flag
 * or "--", everything after that positional. */
static int go_read(const struct flag_def *table, char *const *args, const int *order, int n, struct reading *r)
{
	struct token t;

	for (int k = 0; k < n;) {
		const char *s = args[order[k]];
		int used;

		if (!looks_like_flag(s)) {
			add_positionals(r, order, k, n);
			return 0;
		}
		if (strcmp(s, "--") == 0) {
			r->role[order[k]] = ROLE_END;
			add_positionals(r, order, k + 1, n);
			return 0;
		}
		parse_token(table, s, &t);
		used = read_flag(r, &t, args, order[k], k + 1 < n ? order[k + 1] : -1);
		if (used < 0)
			return -1;
		k += used;
	}
	return 0;
}

/* SPEC.md section 2's model: flags anywhere, a value flag consumes the next
 * argument whatever it is, positionals collected in order, no standalone "--". */
static int model_read(const struct flag_def *table, char *const *args, const int *order, int n, struct reading *r)
{
	struct token t;

	for (int k = 0; k < n;) {
		const char *s = args[order[k]];
		int used;

		if (strcmp(s, "--") == 0)
			return reading_fail(r, order[k], "a standalone \"--\" is not accepted");
		if (!looks_like_flag(s)) {
			r->role[order[k]] = ROLE_POSITIONAL;
			r->positionals[r->n_positionals++] = order[k];
			k++;
			continue;
		}
		parse_token(table, s, &t);
		used = read_flag(r, &t, args, order[k], k + 1 < n ? order[k + 1] : -1);
		if (used < 0)
			return -1;
		k += used;
	}
	return 0;
}

/* The value of the flag at index i of a reading: "--x=v" or the next argument. */
static const char *flag_value(const struct reading *r, char *const *args, const int *order, int n, int k)
{
	const char *eq = strchr(args[order[k]], '=');

	if (eq)
		return eq + 1;
	if (k + 1 < n && r->role[order[k + 1]] == ROLE_VALUE)
		return args[order[k + 1]];
	return NULL;
}

static const char *dashes(const char *go_name)
{
	return go_name[1] ? "--" : "-";
}

/* Refuse a flag given twice (Go keeps the last silently) or under both of its names
 * (urfave/cli fails on that only in some versions). */
static int check_repeats(const struct flag_def *table, char *const *args, const int *order, int n,
			 const struct reading *r, struct nsg_err *err)
{
	const char *seen[64] = { 0 };
	struct token t;

	for (int k = 0; k < n; k++) {
		const char *s = args[order[k]];
		size_t slot;

		if (r->role[order[k]] != ROLE_FLAG)
			continue;
		parse_token(table, s, &t);
		slot = (size_t)(t.def - table);
		if (t.def->kind == FLAG_SLICE || slot >= NSG_ARRAY_SIZE(seen))
			continue;
		if (seen[slot] && strcmp(seen[slot], t.go_name) != 0)
			return nsg_fail(err, "both %s%s and %s%s are given: they are the same flag", dashes(seen[slot]),
					seen[slot], dashes(t.go_name), t.go_name);
		if (seen[slot])
			return nsg_fail(err, "flag \"%s\" is given more than once", s);
		seen[slot] = t.go_name;
	}
	return 0;
}

/* The first argument two readings disagree on, or -1 when they read the argv the same way. */
static int first_disagreement(const struct reading *a, const struct reading *b, int from, int argc)
{
	if (b->error_index >= 0)
		return b->error_index;
	for (int i = from; i < argc; i++) {
		if (a->role[i] != b->role[i])
			return i;
		if (a->role[i] == ROLE_VALUE && a->value_of[i] != b->value_of[i])
			return i;
	}
	if (a->n_positionals != b->n_positionals)
		return from;
	for (int k = 0; k < a->n_positionals; k++)
		if (a->positionals[k] != b->positionals[k])
			return a->positionals[k];
	return -1;
}

static const struct {
	const char *name;
	reorder_fn *reorder;
} variants[] = {
	{ "urfave/cli v1.22.1 (runc 1.1)", reorder_v1_22_1 },
	{ "urfave/cli v1.22.2-5", reorder_v1_22_2 },
	{ "urfave/cli v1.22.6+ (runc 1.2+)", reorder_v1_22_6 },
};

/* Does every known runc read args[from..argc) exactly as the model did? */
static int check_variants(const struct flag_def *table, char *const *args, const int *order, int n, int argc,
			  const struct reading *model, struct nsg_err *err)
{
	cleanup_free int *out = nsg_calloc((size_t)n, sizeof(int));
	cleanup_free int *a = nsg_calloc((size_t)n, sizeof(int));
	cleanup_free int *b = nsg_calloc((size_t)n, sizeof(int));

	for (size_t v = 0; v < NSG_ARRAY_SIZE(variants); v++) {
		cleanup_reading struct reading r = { 0 };
		int bad;

		reading_init(&r, argc);
		variants[v].reorder(table, args, order, n, out, a, b);
		go_read(table, args, out, n, &r);
		bad = first_disagreement(model, &r, order[0], argc);
		if (bad >= 0)
			return nsg_fail(err,
					"argument \"%s\" is read differently by %s; put every flag before the "
					"container id and write values that start with \"-\" as --flag=value",
					args[bad], variants[v].name);
	}
	return 0;
}

static int is_true_flag(const struct flag_def *table, char *const *args, const int *order, int n,
			const struct reading *r, const char *name)
{
	struct token t;
	int on = 0;

	for (int k = 0; k < n; k++) {
		if (r->role[order[k]] != ROLE_FLAG)
			continue;
		parse_token(table, args[order[k]], &t);
		if (strcmp(t.def->name, name) != 0)
			continue;
		if (!t.has_value)
			on = 1;
		else if (go_parse_bool(t.value, &on) < 0)
			on = 0;
	}
	return on;
}

static const char *last_value(const struct flag_def *table, char *const *args, const int *order, int n,
			      const struct reading *r, const char *name)
{
	const char *value = NULL;
	struct token t;

	for (int k = 0; k < n; k++) {
		if (r->role[order[k]] != ROLE_FLAG)
			continue;
		parse_token(table, args[order[k]], &t);
		if (strcmp(t.def->name, name) == 0)
			value = flag_value(r, args, order, n, k);
	}
	return value;
}

/* The first argument that names a checked command, or NULL. */
static const char *any_checked_command(int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++)
		if (cli_is_checked_command(argv[i]))
			return argv[i];
	return NULL;
}

static int is_own_command(const char *name)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(own_commands); i++)
		if (strcmp(name, own_commands[i]) == 0)
			return 1;
	return 0;
}

static int *identity_order(int from, int argc)
{
	int *order = nsg_calloc((size_t)(argc - from + 1), sizeof(int));

	for (int i = from; i < argc; i++)
		order[i - from] = i;
	return order;
}

/* The command's own arguments: the model reading, its agreement with every runc,
 * then help, the container id and the bundle. */
static enum cli_action parse_command(int argc, char *const argv[], struct cli *ret, struct nsg_err *err)
{
	const struct flag_def *table = flags_of(ret->command);
	int from = ret->command_index + 1, n = argc - from;
	cleanup_free int *order = identity_order(from, argc);
	cleanup_reading struct reading m = { 0 };

	if (n > CLI_MAX_ARGS)
		return nsg_fail(err, "more than %d arguments", CLI_MAX_ARGS), CLI_REFUSE;
	reading_init(&m, argc);
	if (model_read(table, argv, order, n, &m) < 0)
		return nsg_fail(err, "argument \"%s\": %s", argv[m.error_index], m.error), CLI_REFUSE;
	if (check_repeats(table, argv, order, n, &m, err) < 0 ||
	    check_variants(table, argv, order, n, argc, &m, err) < 0)
		return CLI_REFUSE;
	/* urfave/cli shows the command's help and runs nothing. */
	if (is_true_flag(table, argv, order, n, &m, "help"))
		return CLI_PASS;
	if (m.n_positionals != 1)
		return nsg_fail(err, "expected exactly one container id, got %d arguments", m.n_positionals),
		       CLI_REFUSE;
	ret->container_id = argv[m.positionals[0]];
	ret->bundle = last_value(table, argv, order, n, &m, "bundle");
	return CLI_CHECK;
}

enum cli_action cli_parse(int argc, char *const argv[], struct cli *ret, struct nsg_err *err)
{
	cleanup_free int *order = identity_order(1, argc);
	cleanup_reading struct reading g = { 0 };
	int n = argc - 1;

	memset(ret, 0, sizeof(*ret));
	ret->command_index = -1;
	if (argc < 2)
		return CLI_PASS;
	reading_init(&g, argc);
	if (go_read(global_flags, argv, order, n, &g) < 0) {
		/* The command cannot be found; name the checked one that may be meant. */
		ret->command = any_checked_command(argc, argv);
		if (!ret->command)
			return CLI_PASS;
		return nsg_fail(err, "global argument \"%s\": %s", argv[g.error_index], g.error), CLI_REFUSE;
	}
	ret->log = last_value(global_flags, argv, order, n, &g, "log");
	ret->log_format = last_value(global_flags, argv, order, n, &g, "log-format");
	ret->root = last_value(global_flags, argv, order, n, &g, "root");
	if (is_true_flag(global_flags, argv, order, n, &g, "help") ||
	    is_true_flag(global_flags, argv, order, n, &g, "version") || g.n_positionals == 0)
		return CLI_PASS;
	ret->command_index = g.positionals[0];
	ret->command = argv[ret->command_index];
	if (is_own_command(ret->command))
		return CLI_OWN;
	if (!cli_is_checked_command(ret->command))
		return CLI_PASS;
	for (int i = 1; i < ret->command_index; i++)
		if (g.role[i] == ROLE_END)
			return nsg_fail(err, "global argument \"--\": a standalone \"--\" is not accepted"), CLI_REFUSE;
	if (check_repeats(global_flags, argv, order, n, &g, err) < 0)
		return nsg_prefix(err, "global flags: "), CLI_REFUSE;
	return parse_command(argc, argv, ret, err);
}
