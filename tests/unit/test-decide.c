/* test-decide.c - the pure decision (SPEC.md sections 4 to 8), one row a case.
 *
 * Each row names the SPEC rule it pins, the policy as a policy file would
 * write it (NULL: the built-in defaults), how the spec differs from "every
 * namespace private, no annotations", and what decide() must answer: the
 * outcome name, the exact message (NULL: none), and for the types it names
 * the verdict and the "how" text. The few properties that are not one input
 * and one answer (purity, ownership, idempotent free) follow the table.
 */
#include "decide.h"
#include "escape.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define KEY	      "io.nsguard.allow"
#define NET_INHERITED "shares the host's network namespace (no \"network\" entry in linux.namespaces)"
#define PID_INHERITED "shares the host's pid namespace (no \"pid\" entry in linux.namespaces)"
#define MNT_INHERITED "shares the host's mount namespace (no \"mount\" entry in linux.namespaces)"
#define KNOWN	      "(known: network, pid, ipc, user, mount, uts, cgroup, time)"
#define NO_MOUNT      "the policy does not let annotations allow \"mount\""
#define KUBE_SYSTEM                                                                                                    \
	"{\"exemptions\": [{\"name\": \"kube-system\", \"allow\": [\"network\", \"pid\"], \"match\": "                 \
	"{\"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"}}]}"
#define USER_WAY "add annotation " KEY "=user"
#define NS(t)	 NS_BIT(NS_##t)
#define V(v)	 ((v) + 1) /* a verdict to check; 0: not checked */
#define NOHOW	 "-"	   /* how[t] must be NULL */
#define MAXANN	 3

struct decide_case {
	const char *rule; /* "SPEC n: ..." */
	const char *policy;
	ns_set inherited; /* types without an entry; the others are private */
	ns_set joined;	  /* types joined at path */
	ns_set host;	  /* joined types whose path is the host's namespace */
	const char *path;
	const char *annotations[MAXANN][2];
	bool mapped; /* one uid and one gid mapping: */
	uint32_t uid_host, uid_size, gid_host, gid_size;
	const char *joined_maps_host_root; /* set on a joined user namespace */
	const char *outcome;
	const char *message;
	int verdict[NS_TYPE_COUNT];
	const char *how[NS_TYPE_COUNT];
	const char *exemption, *annotation;
};

static const struct decide_case cases[] = {
	{ "SPEC 4: every namespace private is allowed", .outcome = "allowed",
	  .verdict = { [NS_NETWORK] = V(VERDICT_NOT_SHARED), [NS_USER] = V(VERDICT_NOT_SHARED) },
	  .how = { [NS_NETWORK] = NOHOW, [NS_PID] = NOHOW, [NS_USER] = NOHOW } },
	{ "SPEC 4: no network entry shares the host's; SPEC 8: the way out", .inherited = NS(NETWORK),
	  .outcome = "refused", .message = NET_INHERITED ": add annotation " KEY "=network",
	  .verdict = { [NS_NETWORK] = V(VERDICT_REFUSED) },
	  .how = { [NS_NETWORK] = "no \"network\" entry in linux.namespaces" } },
	{ "SPEC 4: a joined path that is the host's namespace", .joined = NS(NETWORK), .host = NS(NETWORK),
	  .path = "/var/run/docker/netns/default", .outcome = "refused",
	  .message = "shares the host's network namespace (path /var/run/docker/netns/default is the host's network "
		     "namespace): add annotation " KEY "=network",
	  .how = { [NS_NETWORK] = "path /var/run/docker/netns/default is the host's network namespace" } },
	{ "SPEC 4: a joined path that is not the host's namespace", .joined = NS(NETWORK),
	  .path = "/var/run/docker/netns/default", .outcome = "allowed",
	  .verdict = { [NS_NETWORK] = V(VERDICT_NOT_SHARED) }, .how = { [NS_NETWORK] = NOHOW } },
	{ "SPEC 5: pid is enforced by default", .inherited = NS(PID), .outcome = "refused",
	  .message = PID_INHERITED ": add annotation " KEY "=pid" },
	{ "SPEC 5: ipc is enforced by default", .inherited = NS(IPC), .outcome = "refused",
	  .message = "shares the host's ipc namespace (no \"ipc\" entry in linux.namespaces): add annotation " KEY
		     "=ipc" },
	{ "SPEC 5: mount is enforced by default and no annotation may allow it", .inherited = NS(MOUNT),
	  .outcome = "refused", .message = MNT_INHERITED ": " NO_MOUNT },
	{ "SPEC 5: user is warn by default", .inherited = NS(USER), .outcome = "warned",
	  .message = "shares the host's user namespace (no \"user\" entry in linux.namespaces): allowed only because "
		     "the policy's mode for \"user\" is warn",
	  .verdict = { [NS_USER] = V(VERDICT_WARNED) } },
	{ "SPEC 5: uts, cgroup and time are off by default, still described",
	  .inherited = NS(UTS) | NS(CGROUP) | NS(TIME), .outcome = "allowed",
	  .verdict = { [NS_UTS] = V(VERDICT_OFF), [NS_CGROUP] = V(VERDICT_OFF), [NS_TIME] = V(VERDICT_OFF) },
	  .how = { [NS_UTS] = "no \"uts\" entry in linux.namespaces",
		   [NS_TIME] = "no \"time\" entry in linux.namespaces" } },
	{ "SPEC 6: the annotation unlocks network", .inherited = NS(NETWORK), .annotations = { { KEY, "network" } },
	  .outcome = "allowed-by-annotation", .verdict = { [NS_NETWORK] = V(VERDICT_ANNOTATED) },
	  .how = { [NS_NETWORK] = "no \"network\" entry in linux.namespaces" }, .annotation = "network" },
	{ "SPEC 6: blanks around the names are ignored", .inherited = NS(NETWORK) | NS(PID),
	  .annotations = { { "other", "x" }, { KEY, " pid ,\tnetwork " } }, .outcome = "allowed-by-annotation",
	  .verdict = { [NS_NETWORK] = V(VERDICT_ANNOTATED), [NS_PID] = V(VERDICT_ANNOTATED) },
	  .annotation = " pid ,\tnetwork " },
	{ "SPEC 5: a custom annotation key unlocks", .policy = "{\"annotation\": {\"key\": \"example.com/host-ns\"}}",
	  .inherited = NS(PID), .annotations = { { "example.com/host-ns", "pid" } },
	  .outcome = "allowed-by-annotation" },
	{ "SPEC 5: with a custom key the default key means nothing",
	  .policy = "{\"annotation\": {\"key\": \"example.com/host-ns\"}}", .inherited = NS(PID),
	  .annotations = { { KEY, "pid" } }, .outcome = "refused",
	  .message = PID_INHERITED ": add annotation example.com/host-ns=pid" },
	{ "SPEC 6: asking for a type beyond may_allow refuses", .annotations = { { KEY, "mount" } },
	  .outcome = "refused", .message = "annotation " KEY " asks for \"mount\", but " NO_MOUNT,
	  .verdict = { [NS_MOUNT] = V(VERDICT_NOT_SHARED) } },
	{ "SPEC 6: may_allow [] unlocks nothing; problems first, then the types",
	  .policy = "{\"annotation\": {\"may_allow\": []}}", .inherited = NS(PID), .annotations = { { KEY, "pid" } },
	  .outcome = "refused",
	  .message = "annotation " KEY
		     " asks for \"pid\", but the policy does not let annotations allow \"pid\"; " PID_INHERITED
		     ": the policy does not let annotations allow \"pid\"",
	  .verdict = { [NS_PID] = V(VERDICT_REFUSED) } },
	{ "SPEC 6: a typo refuses", .annotations = { { KEY, "pdi" } }, .outcome = "refused",
	  .message = "annotation " KEY ": \"pdi\" is not a namespace type " KNOWN },
	{ "SPEC 6: an empty item refuses", .annotations = { { KEY, "pid,,network" } }, .outcome = "refused",
	  .message = "annotation " KEY ": \"\" is not a namespace type " KNOWN },
	{ "SPEC 6: a trailing comma refuses", .annotations = { { KEY, "pid," } }, .outcome = "refused",
	  .message = "annotation " KEY ": \"\" is not a namespace type " KNOWN },
	{ "SPEC 6: names are case-sensitive", .annotations = { { KEY, "Network" } }, .outcome = "refused",
	  .message = "annotation " KEY ": \"Network\" is not a namespace type " KNOWN },
	{ "SPEC 6: names are separated by commas only", .annotations = { { KEY, "pid network" } }, .outcome = "refused",
	  .message = "annotation " KEY ": \"pid network\" is not a namespace type " KNOWN },
	{ "SPEC 8: the decision keeps a newline's bytes (escaped at the edge)", .annotations = { { KEY, "net\nx" } },
	  .outcome = "refused", .message = "annotation " KEY ": \"net\nx\" is not a namespace type " KNOWN },
	{ "SPEC 6: four unknown items are named, the rest counted", .annotations = { { KEY, "a,b,c,d,e,f,g" } },
	  .outcome = "refused",
	  .message =
		  "annotation " KEY ": \"a\" is not a namespace type " KNOWN "; annotation " KEY
		  ": \"b\" is not a namespace type " KNOWN "; annotation " KEY ": \"c\" is not a namespace type " KNOWN
		  "; annotation " KEY ": \"d\" is not a namespace type " KNOWN "; annotation " KEY
		  ": 3 more items are not namespace types" },
	{ "SPEC 6: a blank annotation asks for nothing", .annotations = { { KEY, " \t " } }, .outcome = "allowed" },
	{ "SPEC 8: with the annotation present the way out says add to it", .inherited = NS(NETWORK),
	  .annotations = { { KEY, " \t " } }, .outcome = "refused",
	  .message = NET_INHERITED ": add \"network\" to annotation " KEY },
	{ "SPEC 5: an exemption's glob matches",
	  .policy = "{\"exemptions\": [{\"name\": \"kube-system\", \"allow\": [\"network\", \"pid\"], \"match\": "
		    "{\"io.kubernetes.cri.sandbox-namespace\": \"kube-sys*\"}}]}",
	  .inherited = NS(NETWORK) | NS(PID),
	  .annotations = { { "io.kubernetes.cri.sandbox-namespace", "kube-system" } },
	  .outcome = "allowed-by-exemption:kube-system",
	  .verdict = { [NS_NETWORK] = V(VERDICT_EXEMPTED), [NS_PID] = V(VERDICT_EXEMPTED) },
	  .exemption = "kube-system" },
	{ "SPEC 5: every match rule of an exemption must hold",
	  .policy = "{\"exemptions\": [{\"name\": \"ops\", \"allow\": [\"network\"], \"match\": "
		    "{\"team\": \"ops-*\", \"tier\": \"infra\"}}]}",
	  .inherited = NS(NETWORK), .annotations = { { "team", "ops-eu" }, { "tier", "app" } }, .outcome = "refused",
	  .message = NET_INHERITED ": add annotation " KEY "=network" },
	{ "SPEC 5: all match rules hold, in any order",
	  .policy = "{\"exemptions\": [{\"name\": \"ops\", \"allow\": [\"network\"], \"match\": "
		    "{\"team\": \"ops-*\", \"tier\": \"infra\"}}]}",
	  .inherited = NS(NETWORK), .annotations = { { "tier", "infra" }, { "team", "ops-eu" } },
	  .outcome = "allowed-by-exemption:ops", .exemption = "ops" },
	{ "SPEC 5: an exemption allows only its types", .policy = KUBE_SYSTEM, .inherited = NS(NETWORK) | NS(IPC),
	  .annotations = { { "io.kubernetes.cri.sandbox-namespace", "kube-system" } }, .outcome = "refused",
	  .message =
		  "shares the host's ipc namespace (no \"ipc\" entry in linux.namespaces): add annotation " KEY "=ipc",
	  .verdict = { [NS_NETWORK] = V(VERDICT_EXEMPTED), [NS_IPC] = V(VERDICT_REFUSED) } },
	{ "SPEC 7: exempted and annotated is allowed-by-annotation, the exemption recorded", .policy = KUBE_SYSTEM,
	  .inherited = NS(NETWORK) | NS(IPC),
	  .annotations = { { "io.kubernetes.cri.sandbox-namespace", "kube-system" }, { KEY, "ipc" } },
	  .outcome = "allowed-by-annotation", .exemption = "kube-system" },
	{ "SPEC 5: mode warn warns", .policy = "{\"mode\": \"warn\"}", .inherited = NS(NETWORK), .outcome = "warned",
	  .message = NET_INHERITED ": allowed only because the policy's mode for \"network\" is warn",
	  .verdict = { [NS_NETWORK] = V(VERDICT_WARNED) } },
	{ "SPEC 6: in warn mode an annotation typo still refuses", .policy = "{\"mode\": \"warn\"}",
	  .inherited = NS(NETWORK), .annotations = { { KEY, "pdi" } }, .outcome = "refused",
	  .message = "annotation " KEY ": \"pdi\" is not a namespace type " KNOWN },
	{ "SPEC 5: a per-type warn", .policy = "{\"namespaces\": {\"pid\": \"warn\"}}", .inherited = NS(PID),
	  .outcome = "warned",
	  .message = PID_INHERITED ": allowed only because the policy's mode for \"pid\" is warn" },
	{ "SPEC 7: one enforced type refuses; the refusal names only it",
	  .policy = "{\"namespaces\": {\"pid\": \"warn\"}}", .inherited = NS(PID) | NS(NETWORK), .outcome = "refused",
	  .message = NET_INHERITED ": add annotation " KEY "=network", .verdict = { [NS_PID] = V(VERDICT_WARNED) } },
	{ "SPEC 8: every refused type in one line, in table order", .inherited = NS(PID) | NS(NETWORK),
	  .outcome = "refused",
	  .message = NET_INHERITED ": add annotation " KEY "=network; " PID_INHERITED ": add annotation " KEY "=pid" },
	{ "SPEC 8: an existing annotation: add to it; mount: the policy forbids it",
	  .inherited = NS(NETWORK) | NS(PID) | NS(MOUNT), .annotations = { { KEY, "pid" } }, .outcome = "refused",
	  .message = NET_INHERITED ": add \"network\" to annotation " KEY "; " MNT_INHERITED ": " NO_MOUNT,
	  .verdict = { [NS_PID] = V(VERDICT_ANNOTATED) } },
	{ "SPEC 4 user rule: remapped ids are private", .policy = "{\"namespaces\": {\"user\": \"enforce\"}}",
	  .mapped = true, .uid_host = 100000, .uid_size = 65536, .gid_host = 100000, .gid_size = 65536,
	  .outcome = "allowed", .how = { [NS_USER] = NOHOW } },
	{ "SPEC 4 user rule: host uid 0 mapped", .policy = "{\"namespaces\": {\"user\": \"enforce\"}}", .mapped = true,
	  .uid_size = 65536, .gid_host = 100000, .gid_size = 65536, .outcome = "refused",
	  .message =
		  "shares the host's user namespace (linux.uidMappings maps host uid 0 into the container): " USER_WAY,
	  .how = { [NS_USER] = "linux.uidMappings maps host uid 0 into the container" } },
	{ "SPEC 4 user rule: host gid 0 mapped", .policy = "{\"namespaces\": {\"user\": \"enforce\"}}", .mapped = true,
	  .uid_host = 100000, .uid_size = 65536, .gid_size = 1, .outcome = "refused",
	  .message =
		  "shares the host's user namespace (linux.gidMappings maps host gid 0 into the container): " USER_WAY,
	  .how = { [NS_USER] = "linux.gidMappings maps host gid 0 into the container" } },
	{ "SPEC 4 user rule: size 0 maps nothing", .policy = "{\"namespaces\": {\"user\": \"enforce\"}}",
	  .mapped = true, .gid_host = 100000, .gid_size = 1, .outcome = "allowed", .how = { [NS_USER] = NOHOW } },
	{ "SPEC 4 user rule: a range wrapping past 2^32 counts as covering 0",
	  .policy = "{\"namespaces\": {\"user\": \"enforce\"}}", .mapped = true, .uid_host = 4294967295u, .uid_size = 2,
	  .gid_host = 100000, .gid_size = 1, .outcome = "refused",
	  .message =
		  "shares the host's user namespace (linux.uidMappings maps host uid 0 into the container): " USER_WAY,
	  .how = { [NS_USER] = "linux.uidMappings maps host uid 0 into the container" } },
	{ "SPEC 4 user rule: the spec's mappings do not judge a joined user namespace",
	  .policy = "{\"namespaces\": {\"user\": \"enforce\"}}", .mapped = true, .joined = NS(USER),
	  .path = "/proc/1234/ns/user", .uid_size = 1, .outcome = "allowed" },
	{ "SPEC 4 user rule: a joined user namespace that maps host uid 0",
	  .policy = "{\"namespaces\": {\"user\": \"enforce\"}}", .mapped = true, .joined = NS(USER),
	  .path = "/proc/1234/ns/user", .joined_maps_host_root = "uid", .outcome = "refused",
	  .message = "shares the host's user namespace (path /proc/1234/ns/user is a user namespace that maps host uid "
		     "0): " USER_WAY,
	  .how = { [NS_USER] = "path /proc/1234/ns/user is a user namespace that maps host uid 0" } },
};

static void add_idmap(struct spec_idmaps *m, uint32_t host_id, uint32_t size)
{
	m->maps = nsg_realloc(m->maps, (m->n + 1) * sizeof(*m->maps));
	m->maps[m->n++] = (struct spec_idmap){ 0, host_id, size };
}

/* The spec a row describes. */
static void build_spec(const struct decide_case *c, struct spec *s)
{
	*s = (struct spec){ .has_linux = true };
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		s->ns[t].state = SPEC_NS_PRIVATE;
		if (c->inherited & NS_BIT(t))
			s->ns[t].state = SPEC_NS_INHERITED;
		if (c->joined & NS_BIT(t)) {
			s->ns[t].state = SPEC_NS_JOINED;
			s->ns[t].path = nsg_strdup(c->path);
		}
	}
	s->ns[NS_USER].joined_maps_host_root = c->joined_maps_host_root;
	for (size_t i = 0; i < MAXANN && c->annotations[i][0]; i++) {
		s->annotations = nsg_realloc(s->annotations, (s->n_annotations + 1) * sizeof(*s->annotations));
		s->annotations[s->n_annotations++] =
			(struct spec_annotation){ nsg_strdup(c->annotations[i][0]), nsg_strdup(c->annotations[i][1]) };
	}
	if (!c->mapped)
		return;
	add_idmap(&s->idmaps[SPEC_IDMAP_UID], c->uid_host, c->uid_size);
	add_idmap(&s->idmaps[SPEC_IDMAP_GID], c->gid_host, c->gid_size);
}

static int build_policy(const struct decide_case *c, struct policy *p)
{
	struct nsg_err err = { .msg = "" };

	if (!c->policy) {
		policy_defaults(p);
		return 0;
	}
	if (policy_parse(c->policy, strlen(c->policy), p, &err) == 0)
		return 0;
	ok(0, "%s: the row's policy parses (%s)", c->rule, err.msg);
	return -1;
}

static void check_types(const struct decide_case *c, const struct decision *d)
{
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		if (c->verdict[t])
			is_int(d->verdict[t], c->verdict[t] - 1, "%s: %s verdict", c->rule, ns_infos[t].name);
		if (c->how[t])
			is_str(d->how[t], strcmp(c->how[t], NOHOW) ? c->how[t] : NULL, "%s: %s how", c->rule,
			       ns_infos[t].name);
	}
}

static void run_case(const struct decide_case *c)
{
	cleanup_policy struct policy p = { 0 };
	cleanup_spec struct spec s = { 0 };
	cleanup_decision struct decision d = { 0 };
	cleanup_free char *name = NULL;
	bool host[NS_TYPE_COUNT];

	if (build_policy(c, &p) < 0)
		return;
	build_spec(c, &s);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		host[t] = c->host & NS_BIT(t);
	decide(&p, &s, host, &d);
	name = decide_outcome_name(&d);
	is_str(name, c->outcome, "%s: %s", c->rule, c->outcome);
	is_str(d.message, c->message, "%s: message", c->rule);
	check_types(c, &d);
	if (c->exemption || strncmp(c->outcome, "allowed-by-exemption", 20) == 0)
		is_str(d.exemption, c->exemption, "%s: exemption recorded", c->rule);
	if (c->annotation)
		is_str(d.annotation, c->annotation, "%s: the annotation's raw value recorded", c->rule);
}

/* SPEC 8: what a message quotes from an annotation item is bounded. */
static void test_annotation_bounded(void)
{
	struct decide_case c = { "SPEC 8: a long unknown item", .outcome = "refused" };
	cleanup_policy struct policy p = { 0 };
	cleanup_spec struct spec s = { 0 };
	cleanup_decision struct decision d = { 0 };
	char item[201];

	memset(item, 'x', sizeof(item) - 1);
	item[sizeof(item) - 1] = '\0';
	c.annotations[0][0] = KEY;
	c.annotations[0][1] = item;
	policy_defaults(&p);
	build_spec(&c, &s);
	decide(&p, &s, (bool[NS_TYPE_COUNT]){ false }, &d);
	like_str(d.message, "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" is not",
		 "SPEC 8: a long unknown item is cut at 64 bytes");
}

static bool same_decision(const struct decision *a, const struct decision *b)
{
	if (a->outcome != b->outcome || a->exemption != b->exemption || a->annotation != b->annotation)
		return false;
	if ((a->message == NULL) != (b->message == NULL) || (a->message && strcmp(a->message, b->message)))
		return false;
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		if (a->verdict[t] != b->verdict[t] || (a->how[t] == NULL) != (b->how[t] == NULL))
			return false;
		if (a->how[t] && strcmp(a->how[t], b->how[t]) != 0)
			return false;
	}
	return true;
}

/* SPEC 7: same spec, policy and identities, same answer; each decision owns its strings. */
static void test_purity(void)
{
	const struct decide_case c = {
		"purity",	 .inherited = NS(NETWORK) | NS(UTS), .joined = NS(IPC),
		.host = NS(IPC), .path = "/proc/1/ns/ipc",	     .annotations = { { KEY, "pid,bogus" } }
	};
	bool host[NS_TYPE_COUNT] = { [NS_IPC] = true };
	cleanup_policy struct policy p = { 0 };
	cleanup_spec struct spec s = { 0 };
	cleanup_decision struct decision d = { 0 };
	cleanup_decision struct decision d2 = { 0 };

	policy_defaults(&p);
	build_spec(&c, &s);
	decide(&p, &s, host, &d);
	decide(&p, &s, host, &d2);
	ok(same_decision(&d, &d2), "SPEC 7: the same input twice gives the same decision");
	ok(d.message != d2.message, "SPEC 7: each decision owns its message");
}

/* SPEC 8: the decision keeps the bytes; the one escaping function at the
 * output edge makes them a single line. */
static void test_single_line(void)
{
	const struct decide_case c = { "single line", .joined = NS(NETWORK), .host = NS(NETWORK),
				       .path = "/tmp/x\ny\r\x7fz", .annotations = { { KEY, "pid\n,user" } } };
	bool host[NS_TYPE_COUNT] = { [NS_NETWORK] = true };
	cleanup_policy struct policy p = { 0 };
	cleanup_spec struct spec s = { 0 };
	cleanup_decision struct decision d = { 0 };
	cleanup_free char *out = NULL;

	policy_defaults(&p);
	build_spec(&c, &s);
	decide(&p, &s, host, &d);
	is_str(d.how[NS_NETWORK], "path /tmp/x\ny\r\x7fz is the host's network namespace",
	       "SPEC 8: how keeps the path's bytes");
	out = nsg_escape(d.message);
	ok(out && !strchr(out, '\n') && !strchr(out, '\r') && !strchr(out, '\x7f'), "SPEC 8: escaped: a single line");
	like_str(out, "(path /tmp/x\\x0ay\\x0d\\x7fz is the host's network namespace)",
		 "SPEC 8: control bytes in the path become \\xNN at the edge");
	like_str(out, "\"pid\\x0a\" is not a namespace type", "SPEC 8: and in an annotation item");
}

/* SPEC 9: the audit trail's words for outcomes and verdicts. */
static void test_names(void)
{
	static const struct {
		enum decide_outcome outcome;
		const char *want;
	} outcomes[] = {
		{ DECIDE_ALLOWED, "allowed" },
		{ DECIDE_ALLOWED_BY_EXEMPTION, "allowed-by-exemption:ops" },
		{ DECIDE_ALLOWED_BY_ANNOTATION, "allowed-by-annotation" },
		{ DECIDE_WARNED, "warned" },
		{ DECIDE_REFUSED, "refused" },
	};
	static const char *const verdicts[] = {
		[VERDICT_NOT_SHARED] = "private",  [VERDICT_OFF] = "off",	[VERDICT_EXEMPTED] = "exempted",
		[VERDICT_ANNOTATED] = "annotated", [VERDICT_WARNED] = "warned", [VERDICT_REFUSED] = "refused",
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(outcomes); i++) {
		struct decision d = { .outcome = outcomes[i].outcome, .exemption = "ops" };
		cleanup_free char *name = decide_outcome_name(&d);

		is_str(name, outcomes[i].want, "SPEC 9: outcome name %s", outcomes[i].want);
	}
	for (size_t v = 0; v < NSG_ARRAY_SIZE(verdicts); v++)
		is_str(decide_verdict_name((enum decide_verdict)v), verdicts[v], "SPEC 9: verdict name %s",
		       verdicts[v]);
}

static void test_decision_free(void)
{
	const struct decide_case c = { "free", .inherited = NS(NETWORK) };
	struct decision d = { 0 };
	cleanup_policy struct policy p = { 0 };
	cleanup_spec struct spec s = { 0 };

	decision_free(&d);
	decision_free(&d);
	ok(d.message == NULL, "decision_free on a zeroed struct, twice");
	policy_defaults(&p);
	build_spec(&c, &s);
	decide(&p, &s, (bool[NS_TYPE_COUNT]){ false }, &d);
	decision_free(&d);
	decision_free(&d);
	ok(d.message == NULL && d.how[NS_NETWORK] == NULL, "decision_free is idempotent");
}

int main(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_annotation_bounded();
	test_purity();
	test_single_line();
	test_names();
	test_decision_free();
	return tap_done();
}
