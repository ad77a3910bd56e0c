/* test-policy.c - the policy file parser and loader (SPEC.md section 5). */
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

#define NS(t) NS_BIT(NS_##t)

/* SPEC.md section 5's example, which is the built-in defaults. */
static const char spec_example[] =
	"{\n"
	"  \"runtime\": \"/usr/sbin/runc\",\n"
	"  \"mode\": \"enforce\",\n"
	"  \"namespaces\": { \"network\": \"enforce\", \"pid\": \"enforce\", \"ipc\": \"enforce\", \"user\": "
	"\"warn\",\n"
	"                  \"mount\": \"enforce\", \"uts\": \"off\", \"cgroup\": \"off\", \"time\": \"off\" },\n"
	"  \"annotation\": { \"key\": \"io.nsguard.allow\", \"may_allow\": [\"network\", \"pid\", \"ipc\", \"user\"] "
	"},\n"
	"  \"exemptions\": [],\n"
	"  \"namespace_dirs\": [\"/run/netns\", \"/run/docker/netns\", \"/run/ipcns\", \"/run/utsns\", "
	"\"/run/userns\",\n"
	"                     \"/run/containerd/io.containerd.grpc.v1.cri/netns\"],\n"
	"  \"restore\": \"refuse\",\n"
	"  \"audit\": { \"syslog\": true, \"file\": \"/var/log/nsguard/audit.jsonl\" }\n"
	"}\n";

static int parse(const char *json, struct policy *p, struct nsg_err *err)
{
	memset(err, 0, sizeof(*err));
	return policy_parse(json, strlen(json), p, err);
}

/* The modes as a string, one letter per type in ns_infos order: E, W or -. */
static const char *modes(const struct policy *p)
{
	static char buf[NS_TYPE_COUNT + 1];

	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		buf[t] = p->ns_mode[t] == POLICY_ENFORCE ? 'E' : p->ns_mode[t] == POLICY_WARN ? 'W' : '-';
	buf[NS_TYPE_COUNT] = '\0';
	return buf;
}

/* Everything but runtime and path equals the built-in defaults. */
static void is_default_body(const struct policy *p, const char *what)
{
	is_int(p->mode, POLICY_ENFORCE, "%s: mode enforce", what);
	is_str(modes(p), "EEEWE---", "%s: network pid ipc mount enforced, user warn, uts cgroup time off (SPEC 5)",
	       what);
	is_str(p->annotation_key, "io.nsguard.allow", "%s: annotation key", what);
	is_int(p->may_allow, NS(NETWORK) | NS(PID) | NS(IPC) | NS(USER), "%s: may_allow", what);
	is_int(p->n_exemptions, 0, "%s: no exemptions: tenants can set any annotation (SPEC 5)", what);
	is_int(p->n_namespace_dirs, 6, "%s: six namespace_dirs (SPEC 5)", what);
	is_str(p->n_namespace_dirs ? p->namespace_dirs[0] : NULL, "/run/netns", "%s: namespace_dirs[0]", what);
	is_str(p->n_namespace_dirs == 6 ? p->namespace_dirs[5] : NULL,
	       "/run/containerd/io.containerd.grpc.v1.cri/netns", "%s: namespace_dirs[5]", what);
	is_int(p->restore, POLICY_RESTORE_REFUSE, "%s: restore refused (SPEC 5)", what);
	is_int(p->audit_syslog, 1, "%s: audit to syslog", what);
	is_str(p->audit_file, "/var/log/nsguard/audit.jsonl", "%s: audit file", what);
}

static void test_defaults(void)
{
	struct policy p;
	struct nsg_err err;

	policy_defaults(&p);
	is_str(p.runtime, NULL, "defaults: runtime NULL (PATH search)");
	is_str(p.path, NULL, "defaults: no path");
	is_default_body(&p, "defaults");
	policy_free(&p);
	is_str(p.annotation_key, NULL, "policy_free zeroes the struct");
	policy_free(&p); /* twice, and on a zeroed struct: must be harmless (ASan) */

	is_int(parse("{}", &p, &err), 0, "{} parses");
	is_default_body(&p, "{}");
	policy_free(&p);

	is_int(parse(spec_example, &p, &err), 0, "SPEC's example parses (%s)", err.msg);
	is_str(p.runtime, "/usr/sbin/runc", "SPEC's example: runtime");
	is_default_body(&p, "SPEC's example");
	policy_free(&p);
}

static void test_single_keys(void)
{
	struct policy p;
	struct nsg_err err;

	is_int(parse("{\"runtime\": \"/opt/runc\"}", &p, &err), 0, "runtime alone");
	is_str(p.runtime, "/opt/runc", "runtime alone: value");
	is_str(p.annotation_key, "io.nsguard.allow", "runtime alone: rest stays default");
	policy_free(&p);

	is_int(parse("{\"annotation\": {\"key\": \"example.com/allow\"}}", &p, &err), 0, "annotation.key alone");
	is_str(p.annotation_key, "example.com/allow", "annotation.key alone: value");
	is_int(p.may_allow, NS(NETWORK) | NS(PID) | NS(IPC) | NS(USER), "annotation.key alone: may_allow default");
	policy_free(&p);

	is_int(parse("{\"annotation\": {\"may_allow\": []}}", &p, &err), 0, "may_allow [] parses");
	is_int(p.may_allow, 0, "may_allow []: annotations disabled");
	policy_free(&p);

	is_int(parse("{\"annotation\": {\"may_allow\": [\"uts\", \"time\"]}}", &p, &err), 0, "may_allow list");
	is_int(p.may_allow, NS(UTS) | NS(TIME), "may_allow list replaces the default");
	policy_free(&p);
}

static void test_lists(void)
{
	struct policy p;
	struct nsg_err err;

	is_int(parse("{\"exemptions\": []}", &p, &err), 0, "exemptions [] parses");
	is_int(p.n_exemptions, 0, "exemptions []: none");
	policy_free(&p);

	is_int(parse("{\"namespace_dirs\": [], \"restore\": \"check\"}", &p, &err), 0, "namespace_dirs [] parses");
	is_int(p.n_namespace_dirs, 0, "namespace_dirs []: /proc/<pid>/ns only (SPEC 5)");
	is_int(p.restore, POLICY_RESTORE_CHECK, "restore check (SPEC 5)");
	policy_free(&p);
	is_int(parse("{\"namespace_dirs\": [\"/a\", \"/b/c\"]}", &p, &err), 0, "namespace_dirs list parses");
	is_int(p.n_namespace_dirs, 2, "namespace_dirs replaces the defaults");
	is_str(p.n_namespace_dirs == 2 ? p.namespace_dirs[1] : NULL, "/b/c", "namespace_dirs[1]");
	policy_free(&p);

	is_int(parse("{\"exemptions\": [{\"name\": \"cni\", \"allow\": [\"network\"],\n"
		     " \"match\": {\"a\": \"x*\", \"b\": \"\"}},\n"
		     " {\"name\": \"none\", \"allow\": [], \"match\": {\"c\": \"?\"}}]}",
		     &p, &err),
	       0, "two exemptions (%s)", err.msg);
	is_int(p.n_exemptions, 2, "two exemptions: count");
	if (p.n_exemptions == 2) {
		is_str(p.exemptions[0].name, "cni", "exemption 0 name");
		is_int(p.exemptions[0].allow, NS(NETWORK), "exemption 0 allow");
		is_int(p.exemptions[0].n_match, 2, "exemption 0 has two rules");
		is_str(p.exemptions[0].match[1].key, "b", "exemption 0 rule 1 key");
		is_str(p.exemptions[0].match[1].glob, "", "exemption 0 rule 1 empty glob");
		is_int(p.exemptions[1].allow, 0, "exemption 1 allows nothing");
	}
	policy_free(&p);
}

static void test_audit_keys(void)
{
	struct policy p;
	struct nsg_err err;

	is_int(parse("{\"audit\": {\"syslog\": false}}", &p, &err), 0, "audit.syslog alone");
	is_int(p.audit_syslog, 0, "audit.syslog false");
	is_str(p.audit_file, "/var/log/nsguard/audit.jsonl", "audit.syslog alone: file default");
	policy_free(&p);

	is_int(parse("{\"audit\": {\"file\": \"\"}}", &p, &err), 0, "audit.file \"\"");
	is_str(p.audit_file, NULL, "audit.file \"\": no audit file");
	policy_free(&p);

	is_int(parse("{\"audit\": {\"file\": \"/tmp/a.jsonl\"}}", &p, &err), 0, "audit.file path");
	is_str(p.audit_file, "/tmp/a.jsonl", "audit.file path: value");
	policy_free(&p);

	is_int(parse("{\"runtim\\u0065\": \"/x\"}", &p, &err), 0, "keys are compared after \\u escapes");
	is_str(p.runtime, "/x", "escaped key sets runtime");
	policy_free(&p);
}

static void test_modes(void)
{
	static const struct {
		const char *json;
		const char *modes;
		const char *what;
	} cases[] = {
		{ "{\"mode\": \"warn\"}", "WWWWW---", "mode warn alone warns on every enforced type" },
		{ "{\"mode\": \"enforce\"}", "EEEWE---", "mode enforce alone: user stays warn (SPEC 5)" },
		{ "{\"namespaces\": {\"user\": \"enforce\"}}", "EEEEE---", "user explicit enforce" },
		{ "{\"mode\": \"warn\", \"namespaces\": {\"network\": \"enforce\"}}", "EWWWW---",
		  "mode warn + explicit network enforce" },
		{ "{\"namespaces\": {\"uts\": \"enforce\"}}", "EEEWEE--", "uts explicit enforce" },
		{ "{\"mode\": \"warn\", \"namespaces\": {\"uts\": \"enforce\"}}", "WWWWWE--",
		  "explicit uts enforce under mode warn" },
		{ "{\"namespaces\": {\"network\": \"off\", \"time\": \"warn\"}}", "-EEWE--W",
		  "network off, time warn" },
	};
	struct policy p;
	struct nsg_err err;

	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		if (parse(cases[i].json, &p, &err) < 0) {
			ok(0, "%s: %s", cases[i].what, err.msg);
			continue;
		}
		is_str(modes(&p), cases[i].modes, "%s", cases[i].what);
		policy_free(&p);
	}
	is_int(parse("{\"mode\": \"warn\"}", &p, &err), 0, "mode warn parses");
	is_int(p.mode, POLICY_WARN, "mode warn: top-level mode");
	policy_free(&p);
}

/* Each invalid policy: refused, at the line, with a message containing want. */
static const struct {
	const char *json;
	unsigned line;
	const char *want;
} invalid[] = {
	{ "{\n  \"mode\": \"warn\",\n  \"modes\": \"x\"\n}", 3,
	  "unknown key \"modes\" in the policy (known: runtime, mode, namespaces, annotation, exemptions, audit, "
	  "namespace_dirs, restore)" },
	{ "{\"namespace_dirs\": [\"run/netns\"]}", 1,
	  "\"namespace_dirs\"[0] must be an absolute path, not \"run/netns\"" },
	{ "{\"namespace_dirs\": \"/run/netns\"}", 1, "\"namespace_dirs\" must be an array, not a string" },
	{ "{\"namespace_dirs\": [1]}", 1, "\"namespace_dirs\"[0] must be an absolute path, not a number" },
	{ "{\"restore\": \"allow\"}", 1, "\"restore\" must be \"refuse\" or \"check\", not \"allow\"" },
	{ "{\"restore\": true}", 1, "\"restore\" must be a string, not a boolean" },
	{ "{\"audit\": {\n\"syslog\": true,\n\"sylog\": true}}", 3,
	  "unknown key \"sylog\" in \"audit\" (known: syslog, file)" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [],\n \"match\": {\"k\": \"v\"}, \"allows\": []}]}", 2,
	  "unknown key \"allows\" in \"exemptions\"[0]" },
	{ "{\"annotation\": {\"Key\": \"x\"}}", 1, "unknown key \"Key\" in \"annotation\"" },
	{ "{\n\"mode\": 1}", 2, "\"mode\" must be a string, not a number" },
	{ "{\"audit\": {\"syslog\": \"yes\"}}", 1, "\"audit\".\"syslog\" must be true or false, not a string" },
	{ "{\"namespaces\": [\"network\"]}", 1, "\"namespaces\" must be an object, not an array" },
	{ "{\"exemptions\": {}}", 1, "\"exemptions\" must be an array, not an object" },
	{ "{\n\n\"runtime\": null}", 3, "\"runtime\" is null; give a string or remove the key" },
	{ "{\"namespaces\": {\"pid\":\nnull}}", 2, "\"namespaces\".\"pid\" is null; give a string or remove the key" },
	{ "{\"annotation\": null}", 1, "\"annotation\" is null; give an object or remove the key" },
	{ "{\"annotation\": {\"may_allow\": [\"pid\", null]}}", 1,
	  "\"annotation\".\"may_allow\"[1] must be a namespace type name, not null" },
	{ "{\"namespaces\": {\n\"net\": \"enforce\"}}", 2, "unknown namespace type \"net\" (known: network, pid" },
	{ "{\n  \"mode\": \"enforce\",\n  \"namespaces\": {\n    \"pid\": \"warn\",\n    \"uts\": \"block\"\n  }\n}", 5,
	  "\"namespaces\".\"uts\": mode must be \"enforce\", \"warn\" or \"off\", not \"block\"" },
	{ "{\"mode\": \"off\"}", 1, "\"mode\": mode must be \"enforce\" or \"warn\", not \"off\"" },
	{ "{\"mode\": \"Enforce\"}", 1, "not \"Enforce\"" },
	{ "{\"mode\": \"warn\",\n\"mode\": \"enforce\"}", 2, "duplicate key \"mode\" in the policy" },
	{ "{\"namespaces\": {\"pid\": \"off\",\n\"pid\": \"enforce\"}}", 2, "duplicate key \"pid\" in \"namespaces\"" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [], \"match\": {\"k\": \"v\",\n\"k\": \"w\"}}]}", 2,
	  "duplicate key \"k\" in \"exemptions\"[0].\"match\"" },
	{ "{\"annotation\": {\"may_allow\": [\"pid\",\n\"pid\"]}}", 2,
	  "\"annotation\".\"may_allow\"[1]: \"pid\" is listed twice" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [\"ipc\", \"ipc\"], \"match\": {\"k\": \"v\"}}]}", 1,
	  "\"exemptions\"[0].\"allow\"[1]: \"ipc\" is listed twice" },
	{ "{\"annotation\": {\"may_allow\": [\"network\", \"nett\"]}}", 1,
	  "\"annotation\".\"may_allow\"[1]: unknown namespace type \"nett\"" },
	{ "{\"runtime\": \"runc\"}", 1, "\"runtime\" must be an absolute path, not \"runc\"" },
	{ "{\"runtime\": \"\"}", 1, "\"runtime\" must be an absolute path" },
	{ "{\"runtime\": \"/usr/sbin/runc\\u0000x\"}", 1, "\"runtime\" contains a NUL character" },
	{ "{\"audit\": {\"file\": \"audit.log\"}}", 1, "\"audit\".\"file\" must be an absolute path, or \"\"" },
	{ "{\"annotation\": {\"key\": \"\"}}", 1, "\"annotation\".\"key\" must not be empty" },
	{ "{}\n\n}", 3, "malformed JSON: parse error: trailing garbage" },
	{ "{} {}", 1, "trailing garbage" },
	{ "{\n\"runtime\": \"/usr/sbin/r\xff\"}", 2, "malformed JSON: lexical error: invalid bytes in UTF8 string" },
	{ "\xef\xbb\xbf{}", 1, "malformed JSON: lexical error: invalid char in json text" },
	{ "", 1, "the policy file is empty" },
	{ "\n\n  \n", 4, "the policy file is empty" },
	{ "{\n\"mode\": \"warn\",\n", 2, "malformed JSON: parse error: premature EOF" },
	{ "{\"mode\": \"warn\" // dry run\n}", 1, "malformed JSON: lexical error: probable comment found" },
	{ "[]", 1, "the policy must be a JSON object, not an array" },
	{ "\"enforce\"", 1, "the policy must be a JSON object, not a string" },
	{ "{\"exemptions\": [{\"allow\": [], \"match\": {\"k\": \"v\"}\n}]}", 2,
	  "\"exemptions\"[0]: missing required key \"name\"" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": []}]}", 1,
	  "\"exemptions\"[0]: missing required key \"match\"" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"match\": {\"k\": \"v\"}}]}", 1,
	  "\"exemptions\"[0]: missing required key \"allow\"" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [\"pid\"],\n\"match\": {\n}}]}", 3,
	  "\"exemptions\"[0].\"match\" must have at least one entry" },
	{ "{\"exemptions\": [{\"name\": \"\", \"allow\": [], \"match\": {\"k\": \"v\"}}]}", 1,
	  "\"exemptions\"[0].\"name\" must not be empty" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [], \"match\": {\"k\": \"v\"}},\n"
	  "{\"name\": \"a\", \"allow\": [], \"match\": {\"k\": \"v\"}}]}",
	  2, "\"exemptions\"[1].\"name\": another exemption is already named \"a\"" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [], \"match\": {\"k\": 1}}]}", 1,
	  "\"exemptions\"[0].\"match\".\"k\" must be a string (an fnmatch(3) glob), not a number" },
	{ "{\"exemptions\": [{\"name\": \"a\", \"allow\": [], \"match\": {\"\": \"v\"}}]}", 1,
	  "an annotation key must not be empty" },
	{ "{\"exemptions\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", 1,
	  "\"exemptions\"[0] must be an object, not an array" },
	{ "{\"audit\": {\"x\\u0000\": 1}}", 1, "contains a NUL character" },
	{ "{\"mode\": \"\\u001b[31mwarn\"}", 1, "not \"\x1b[31mwarn\"" }, /* escaped at the output edge */
};

static void test_invalid(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(invalid); i++) {
		struct policy p;
		struct nsg_err err;
		unsigned line = 0;
		int r = policy_parse(invalid[i].json, strlen(invalid[i].json), &p, &err);

		if (!ok(r < 0, "invalid[%zu] is refused", i)) {
			policy_free(&p);
			continue;
		}
		is_int(p.n_exemptions + (p.annotation_key != NULL), 0, "invalid[%zu]: *ret left empty", i);
		sscanf(err.msg, "line %u: ", &line);
		is_int(line, invalid[i].line, "invalid[%zu]: line number in \"%s\"", i, err.msg);
		like_str(err.msg, invalid[i].want, "invalid[%zu]: message", i);
	}
}

static char *tmpdir;

static char *write_file(const char *name, const char *content, mode_t mode)
{
	char *path = nsg_asprintf("%s/%s", tmpdir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content) || fchmod(fd, mode) < 0)
		abort();
	close(fd);
	return path;
}

static void test_load(void)
{
	struct policy p;
	struct nsg_err err = { .msg = "" };
	char *runtime = (char *)"unset";
	cleanup_free char *missing = nsg_asprintf("%s/missing.json", tmpdir);
	cleanup_free char *good = write_file("good.json", "{\"runtime\": \"/opt/runc\", \"mode\": \"warn\"}", 0644);
	cleanup_free char *bad =
		write_file("bad.json", "{\n\"runtime\": \"/opt/bad/runc\",\n\"moed\": \"warn\"}", 0644);
	cleanup_free char *want = nsg_asprintf("%s: line 3: unknown key \"moed\"", bad);

	is_int(policy_load(missing, &p, &runtime, &err), 0, "missing file: defaults");
	is_str(p.path, NULL, "missing file: path NULL");
	is_str(runtime, NULL, "missing file: runtime NULL");
	is_default_body(&p, "missing file");
	policy_free(&p);

	memset(&err, 0, sizeof(err));
	is_int(policy_load(good, &p, &runtime, &err), 0, "valid file loads (%s)", err.msg);
	is_str(p.path, good, "valid file: path recorded");
	is_str(runtime, "/opt/runc", "valid file: ret_runtime");
	is_str(modes(&p), "WWWWW---", "valid file: modes");
	free(runtime);
	policy_free(&p);

	is_int(policy_load(bad, &p, &runtime, &err), -1, "invalid file refused");
	like_str(err.msg, want, "invalid file: error names the file and the line");
	is_str(runtime, "/opt/bad/runc", "invalid file: runtime still read with certainty");
	free(runtime);
	policy_free(&p);
}

/* SPEC 5: an invalid policy's runtime is used only when it can be read with certainty. */
static void test_load_peek(void)
{
	struct policy p;
	struct nsg_err err = { .msg = "" };
	char *runtime = NULL;
	cleanup_free char *broken = write_file("broken.json", "{\"runtime\": \"/opt/bad/runc\",", 0644);
	cleanup_free char *twice = write_file("twice.json", "{\"runtime\": \"/a\", \"runtime\": \"/b\"}", 0644);
	cleanup_free char *relative = write_file("relative.json", "{\"runtime\": \"runc\", \"x\": 1}", 0644);
	cleanup_free char *nested = write_file("nested.json", "{\"audit\": {\"runtime\": \"/n\"}, \"x\": 1}", 0644);

	is_int(policy_load(broken, &p, &runtime, &err), -1, "truncated file refused");
	is_str(runtime, NULL, "truncated file: no runtime (not valid JSON)");
	is_int(policy_load(twice, &p, &runtime, &err), -1, "runtime twice refused");
	is_str(runtime, NULL, "runtime twice: no runtime (ambiguous)");
	is_int(policy_load(relative, &p, &runtime, &err), -1, "relative runtime refused");
	is_str(runtime, NULL, "relative runtime: not recovered");
	is_int(policy_load(nested, &p, &runtime, &err), -1, "nested runtime key refused");
	is_str(runtime, NULL, "only a top-level runtime is recovered");
}

/* SPEC 5: a file that must exist (nsguard check) is missing: an error that
 * says so, with the cause for callers to decide on. */
static void test_load_existing(void)
{
	struct policy p;
	struct nsg_err err = { .msg = "" };
	cleanup_free char *missing = nsg_asprintf("%s/missing.json", tmpdir);
	cleanup_free char *good = write_file("good.json", "{\"mode\": \"warn\"}", 0644);
	cleanup_free char *bad =
		write_file("bad.json", "{\n\"runtime\": \"/opt/bad/runc\",\n\"moed\": \"warn\"}", 0644);
	cleanup_free char *want_missing = nsg_asprintf("policy %s: ", missing);
	cleanup_free char *want_bad = nsg_asprintf("%s: line 3: unknown key \"moed\"", bad);

	is_int(policy_load_existing(missing, &p, &err), -1, "policy_load_existing: a missing file is an error");
	is_int(err.errnum, ENOENT, "policy_load_existing: missing file: errnum ENOENT");
	like_str(err.msg, want_missing, "policy_load_existing: missing file: message names the file");
	like_str(err.msg, "No such file or directory", "policy_load_existing: missing file: message says why");
	is_str(p.annotation_key, NULL, "policy_load_existing: missing file: no defaults");
	is_int(policy_load_existing(good, &p, &err), 0, "policy_load_existing: valid file loads (%s)", err.msg);
	is_str(p.path, good, "policy_load_existing: valid file: path recorded");
	is_str(modes(&p), "WWWWW---", "policy_load_existing: valid file: modes");
	policy_free(&p);
	is_int(policy_load_existing(bad, &p, &err), -1, "policy_load_existing: invalid file refused");
	like_str(err.msg, want_bad, "policy_load_existing: invalid file: error names the file and the line");
}

static void test_load_owners(void)
{
	struct policy p;
	struct nsg_err err = { .msg = "" };
	char *runtime = NULL;

	is_int(policy_load(tmpdir, &p, &runtime, &err), -1, "a directory is not a policy");
	like_str(err.msg, "is not a regular file", "directory: message");
	if (geteuid() == 0) {
		cleanup_free char *open_mode = write_file("open.json", "{\"runtime\": \"/evil\"}", 0666);
		cleanup_free char *foreign = write_file("foreign.json", "{\"runtime\": \"/evil\"}", 0644);

		is_int(policy_load(open_mode, &p, &runtime, &err), -1, "mode 0666 refused as root");
		like_str(err.msg, "open.json is writable by group or others", "mode 0666: message");
		is_str(runtime, NULL, "mode 0666: its runtime is not trusted");
		if (chown(foreign, 65534, 65534) < 0)
			abort();
		is_int(policy_load(foreign, &p, &runtime, &err), -1, "file of uid 65534 refused as root");
		like_str(err.msg, "foreign.json is owned by uid 65534, not root", "foreign owner: message");
	} else {
		for (int i = 0; i < 5; i++)
			ok(1, "# skip ownership checks need root");
	}
}

static void test_path(void)
{
	unsetenv("NSGUARD_POLICY");
	is_str(policy_path(), NSGUARD_POLICY_PATH, "policy_path: default");
	setenv("NSGUARD_POLICY", "", 1);
	is_str(policy_path(), NSGUARD_POLICY_PATH, "policy_path: empty NSGUARD_POLICY ignored");
	setenv("NSGUARD_POLICY", "/srv/p.json", 1);
	is_str(policy_path(), "/srv/p.json", "policy_path: NSGUARD_POLICY");
	unsetenv("NSGUARD_POLICY");
}

static void test_match(void)
{
	struct policy p;
	struct nsg_err err;
	char *keys[] = { "io.kubernetes.cri.sandbox-namespace", "team", "io.nsguard.allow" };
	char *values[] = { "kube-system", "blue-7", "pid" };
	const struct policy_exemption *e;

	is_int(parse("{\"exemptions\": [{\"name\": \"kube-system\", \"allow\": [\"network\", \"pid\"],\n"
		     "\"match\": {\"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"}}]}",
		     &p, &err),
	       0, "a kube-system exemption parses (%s)", err.msg);
	e = policy_match_exemption(&p, NULL, keys, values, 3);
	is_str(e ? e->name : NULL, "kube-system", "the exemption matches kube-system pods");
	values[0] = "kube-system-evil";
	e = policy_match_exemption(&p, NULL, keys, values, 3);
	is_str(e ? e->name : NULL, NULL, "the exemption needs the exact namespace");
	e = policy_match_exemption(&p, NULL, keys + 1, values + 1, 2);
	is_str(e ? e->name : NULL, NULL, "no annotation, no match");
	policy_free(&p);

	is_int(parse("{\"exemptions\": [{\"name\": \"a\", \"allow\": [\"pid\"], \"match\": {\"team\": \"blue-*\", "
		     "\"io.nsguard.allow\": \"pid\"}},\n"
		     "{\"name\": \"b\", \"allow\": [\"ipc\"], \"match\": {\"team\": \"*\"}}]}",
		     &p, &err),
	       0, "glob exemptions parse (%s)", err.msg);
	e = policy_match_exemption(&p, NULL, keys, values, 3);
	is_str(e ? e->name : NULL, "a", "all rules match: first exemption");
	e = e ? policy_match_exemption(&p, e + 1, keys, values, 3) : NULL;
	is_str(e ? e->name : NULL, "b", "from: next matching exemption");
	e = e ? policy_match_exemption(&p, e + 1, keys, values, 3) : NULL;
	is_str(e ? e->name : NULL, NULL, "from: no more");
	values[2] = "network";
	e = policy_match_exemption(&p, NULL, keys, values, 3);
	is_str(e ? e->name : NULL, "b", "one rule failing skips the exemption");
	policy_free(&p);
}

int main(void)
{
	char template[] = "/tmp/test-policy.XXXXXX";

	tmpdir = mkdtemp(template);
	if (!tmpdir)
		abort();
	test_defaults();
	test_single_keys();
	test_lists();
	test_audit_keys();
	test_modes();
	test_invalid();
	test_load();
	test_load_peek();
	test_load_existing();
	test_load_owners();
	test_path();
	test_match();
	char *rm = nsg_asprintf("rm -rf '%s'", tmpdir);

	if (system(rm) != 0)
		ok(0, "cleaning %s", tmpdir);
	free(rm);
	return tap_done();
}
