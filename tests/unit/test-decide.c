/* test-decide.c - the pure decision (SPEC.md sections 4 to 8), one row of the
 * table at a time: spec and policy are built by hand, so each case says
 * exactly what it changes from "every namespace private, default policy". */
#include "decide.h"
#include "escape.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define KEY	      "io.nsguard.allow"
#define NET_INHERITED "shares the host's network namespace (no \"network\" entry in linux.namespaces)"
#define PID_INHERITED "shares the host's pid namespace (no \"pid\" entry in linux.namespaces)"
#define KNOWN	      "(known: network, pid, ipc, user, mount, uts, cgroup, time)"

static const bool no_host[NS_TYPE_COUNT];

/* Every namespace private, no annotations. */
static void spec_private(struct spec *s)
{
	*s = (struct spec){ .has_linux = true };
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		s->ns[t].state = SPEC_NS_PRIVATE;
}

static void inherit(struct spec *s, enum ns_type t)
{
	s->ns[t].state = SPEC_NS_INHERITED;
}

static void join(struct spec *s, enum ns_type t, const char *path)
{
	s->ns[t].state = SPEC_NS_JOINED;
	s->ns[t].path = strdup(path);
}

static void annotate(struct spec *s, const char *key, const char *value)
{
	s->annotations = realloc(s->annotations, (s->n_annotations + 1) * sizeof(*s->annotations));
	s->annotations[s->n_annotations++] = (struct spec_annotation){ strdup(key), strdup(value) };
}

/* Append an exemption matching key=glob (and key2=glob2 when key2 is non-NULL). */
static void exempt(struct policy *p, const char *name, ns_set allow, const char *key, const char *glob,
		   const char *key2, const char *glob2)
{
	struct policy_exemption *e;

	p->exemptions = realloc(p->exemptions, (p->n_exemptions + 1) * sizeof(*p->exemptions));
	e = &p->exemptions[p->n_exemptions++];
	*e = (struct policy_exemption){ .name = strdup(name), .allow = allow, .n_match = key2 ? 2 : 1 };
	e->match = calloc(e->n_match, sizeof(*e->match));
	e->match[0] = (struct policy_match){ strdup(key), strdup(glob) };
	if (key2)
		e->match[1] = (struct policy_match){ strdup(key2), strdup(glob2) };
}

/* decide(), then its outcome name into *ret_name (freed by the caller). */
static void run(const struct policy *p, const struct spec *s, const bool *host, struct decision *d, char **ret_name)
{
	decide(p, s, host, d);
	*ret_name = decide_outcome_name(d);
}

static void test_all_private(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;
	bool clean = true;

	policy_defaults(&p);
	spec_private(&s);
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed", "all private: allowed");
	is_str(d.message, NULL, "all private: no message");
	is_str(d.annotation, NULL, "all private: no annotation");
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		clean = clean && d.verdict[t] == VERDICT_NOT_SHARED && d.how[t] == NULL;
	ok(clean, "all private: every type not shared, no how");
}

static void test_inherited_network(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	run(&p, &s, no_host, &d, &name);
	is_str(name, "refused", "inherited network: refused");
	is_int(d.outcome, DECIDE_REFUSED, "inherited network: outcome");
	is_int(d.verdict[NS_NETWORK], VERDICT_REFUSED, "inherited network: verdict");
	is_str(d.how[NS_NETWORK], "no \"network\" entry in linux.namespaces", "inherited network: how");
	is_str(d.message, NET_INHERITED ": add annotation " KEY "=network", "inherited network: message");
}

static void test_joined(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;
	bool host[NS_TYPE_COUNT] = { [NS_NETWORK] = true };

	policy_defaults(&p);
	spec_private(&s);
	join(&s, NS_NETWORK, "/var/run/docker/netns/default");
	run(&p, &s, host, &d, &name);
	is_str(name, "refused", "joined host path: refused");
	is_str(d.how[NS_NETWORK], "path /var/run/docker/netns/default is the host's network namespace",
	       "joined host path: how");
	is_str(d.message,
	       "shares the host's network namespace (path /var/run/docker/netns/default is the host's network "
	       "namespace): add annotation " KEY "=network",
	       "joined host path: message names the path");

	run(&p, &s, no_host, &d2, &name2);
	is_str(name2, "allowed", "joined non-host path: allowed");
	is_int(d2.verdict[NS_NETWORK], VERDICT_NOT_SHARED, "joined non-host path: not shared");
	is_str(d2.how[NS_NETWORK], NULL, "joined non-host path: no how");
}

/* SPEC 5: network, pid, ipc and mount are enforced by default; user is warn. */
static void test_each_enforced_type(void)
{
	static const enum ns_type types[] = { NS_NETWORK, NS_PID, NS_IPC, NS_MOUNT };
	cleanup_policy struct policy p;

	policy_defaults(&p);
	{
		cleanup_spec struct spec s;
		cleanup_decision struct decision d;
		cleanup_free char *name = NULL;

		spec_private(&s);
		inherit(&s, NS_USER);
		run(&p, &s, no_host, &d, &name);
		is_str(name, "warned", "SPEC 5: inherited user is warn by default");
		is_int(d.verdict[NS_USER], VERDICT_WARNED, "inherited user: verdict warned");
	}
	for (size_t i = 0; i < NSG_ARRAY_SIZE(types); i++) {
		const char *n = ns_infos[types[i]].name;
		cleanup_spec struct spec s;
		cleanup_decision struct decision d;
		cleanup_free char *name = NULL;
		cleanup_free char *want = NULL;

		spec_private(&s);
		inherit(&s, types[i]);
		run(&p, &s, no_host, &d, &name);
		is_str(name, "refused", "inherited %s: refused by default", n);
		if (types[i] == NS_MOUNT)
			want = nsg_asprintf(
				"shares the host's mount namespace (no \"mount\" entry in linux.namespaces): "
				"the policy does not let annotations allow \"mount\"");
		else
			want = nsg_asprintf("shares the host's %s namespace (no \"%s\" entry in linux.namespaces): "
					    "add annotation " KEY "=%s",
					    n, n, n);
		is_str(d.message, want, "inherited %s: message", n);
	}
}

static void test_off_types(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_UTS);
	inherit(&s, NS_CGROUP);
	inherit(&s, NS_TIME);
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed", "uts, cgroup, time inherited: allowed (off)");
	ok(d.verdict[NS_UTS] == VERDICT_OFF && d.verdict[NS_CGROUP] == VERDICT_OFF && d.verdict[NS_TIME] == VERDICT_OFF,
	   "uts, cgroup, time: verdict off");
	is_str(d.message, NULL, "off types: no message");
	is_str(d.how[NS_UTS], "no \"uts\" entry in linux.namespaces", "off types are still described (audit)");
	is_str(d.how[NS_TIME], "no \"time\" entry in linux.namespaces", "off time type described");
}

static void test_annotation_unlocks(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_spec struct spec s2;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	annotate(&s, KEY, "network");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed-by-annotation", "annotation unlocks network");
	is_int(d.verdict[NS_NETWORK], VERDICT_ANNOTATED, "annotation unlocks network: verdict");
	is_str(d.annotation, "network", "annotation value recorded");
	is_str(d.message, NULL, "allowed by annotation: no message");
	ok(d.how[NS_NETWORK] != NULL, "allowed by annotation: how still says how it is shared");

	spec_private(&s2);
	inherit(&s2, NS_NETWORK);
	inherit(&s2, NS_PID);
	annotate(&s2, "other", "x");
	annotate(&s2, KEY, " pid ,\tnetwork ");
	run(&p, &s2, no_host, &d2, &name2);
	is_str(name2, "allowed-by-annotation", "blanks around names are ignored");
	ok(d2.verdict[NS_NETWORK] == VERDICT_ANNOTATED && d2.verdict[NS_PID] == VERDICT_ANNOTATED,
	   "\" pid ,\\tnetwork \": both annotated");
	is_str(d2.annotation, " pid ,\tnetwork ", "annotation is the raw value");
}

static void test_annotation_custom_key(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_spec struct spec s2;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;

	policy_defaults(&p);
	free(p.annotation_key);
	p.annotation_key = strdup("example.com/host-ns");
	spec_private(&s);
	inherit(&s, NS_PID);
	annotate(&s, "example.com/host-ns", "pid");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed-by-annotation", "custom key unlocks pid");

	spec_private(&s2);
	inherit(&s2, NS_PID);
	annotate(&s2, KEY, "pid");
	run(&p, &s2, no_host, &d2, &name2);
	is_str(name2, "refused", "custom key: the default key means nothing");
	is_str(d2.message, PID_INHERITED ": add annotation example.com/host-ns=pid", "custom key: way out names it");
}

static void test_annotation_not_may_allow(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	spec_private(&s);
	annotate(&s, KEY, "mount");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "refused", "annotation asks for mount (not in may_allow), mount private: refused");
	is_int(d.verdict[NS_MOUNT], VERDICT_NOT_SHARED, "mount itself is not shared");
	is_str(d.message,
	       "annotation " KEY " asks for \"mount\", but the policy does not let annotations allow \"mount\"",
	       "annotation beyond may_allow: message");
}

static void test_may_allow_empty(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	p.may_allow = 0;
	spec_private(&s);
	inherit(&s, NS_PID);
	annotate(&s, KEY, "pid");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "refused", "may_allow []: annotation refused");
	is_int(d.verdict[NS_PID], VERDICT_REFUSED, "may_allow []: pid not unlocked");
	is_str(d.message,
	       "annotation " KEY
	       " asks for \"pid\", but the policy does not let annotations allow \"pid\"; " PID_INHERITED
	       ": the policy does not let annotations allow \"pid\"",
	       "may_allow []: annotation problem first, then the type");
}

static void test_annotation_unknown(void)
{
	static const struct {
		const char *value, *want;
	} cases[] = {
		{ "pdi", "annotation " KEY ": \"pdi\" is not a namespace type " KNOWN },
		{ "pid,,network", "annotation " KEY ": \"\" is not a namespace type " KNOWN },
		{ "pid,", "annotation " KEY ": \"\" is not a namespace type " KNOWN },
		{ "Network", "annotation " KEY ": \"Network\" is not a namespace type " KNOWN },
		{ "pid network", "annotation " KEY ": \"pid network\" is not a namespace type " KNOWN },
		{ "net\nx", "annotation " KEY ": \"net\nx\" is not a namespace type " KNOWN /* escaped at the edge */ },
	};
	cleanup_policy struct policy p;

	policy_defaults(&p);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		cleanup_spec struct spec s;
		cleanup_decision struct decision d;
		cleanup_free char *name = NULL;

		spec_private(&s);
		annotate(&s, KEY, cases[i].value);
		run(&p, &s, no_host, &d, &name);
		is_str(name, "refused", "annotation %zu: refused", i);
		is_str(d.message, cases[i].want, "annotation %zu: message", i);
	}
}

static void test_annotation_bounded(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_spec struct spec s2;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;
	char longitem[201];

	policy_defaults(&p);
	memset(longitem, 'x', sizeof(longitem) - 1);
	longitem[sizeof(longitem) - 1] = '\0';
	spec_private(&s);
	annotate(&s, KEY, longitem);
	run(&p, &s, no_host, &d, &name);
	like_str(d.message, "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" is not",
		 "a long unknown item is cut at 64 bytes");

	spec_private(&s2);
	annotate(&s2, KEY, "a,b,c,d,e,f,g");
	run(&p, &s2, no_host, &d2, &name2);
	like_str(d2.message, "\"d\" is not a namespace type " KNOWN "; annotation " KEY ": 3 more items are not",
		 "many unknown items: four named, the rest counted");
}

static void test_annotation_blank(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;

	policy_defaults(&p);
	spec_private(&s);
	annotate(&s, KEY, " \t ");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed", "blank annotation asks for nothing");

	inherit(&s, NS_NETWORK);
	run(&p, &s, no_host, &d2, &name2);
	is_str(d2.message, NET_INHERITED ": add \"network\" to annotation " KEY,
	       "blank annotation present: way out says add to it");
}

static void test_exemption_glob(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	static const char json[] = "{\"exemptions\": [{\"name\": \"kube-system\", \"allow\": [\"network\", \"pid\"],"
				   " \"match\": {\"io.kubernetes.cri.sandbox-namespace\": \"kube-sys*\"}}]}";
	struct nsg_err err = { .msg = "" };

	/* SPEC 5: no built-in exemption any more; the rule comes from a policy file. */
	is_int(policy_parse(json, strlen(json), &p, &err), 0, "a glob exemption parses (%s)", err.msg);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	inherit(&s, NS_PID);
	annotate(&s, "io.kubernetes.cri.sandbox-namespace", "kube-system");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed-by-exemption:kube-system", "glob exemption matches");
	ok(d.verdict[NS_NETWORK] == VERDICT_EXEMPTED && d.verdict[NS_PID] == VERDICT_EXEMPTED,
	   "network and pid exempted");
	is_str(d.exemption, "kube-system", "exemption name recorded");
	is_str(d.message, NULL, "exempted: no message");
}

static void test_exemption_two_rules(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_spec struct spec s2;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;

	policy_defaults(&p);
	exempt(&p, "ops", NS_BIT(NS_NETWORK), "team", "ops-*", "tier", "infra");
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	annotate(&s, "team", "ops-eu");
	annotate(&s, "tier", "app");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "refused", "exemption with one of two rules failing: refused");
	is_str(d.exemption, NULL, "no exemption recorded");

	spec_private(&s2);
	inherit(&s2, NS_NETWORK);
	annotate(&s2, "tier", "infra");
	annotate(&s2, "team", "ops-eu");
	run(&p, &s2, no_host, &d2, &name2);
	is_str(name2, "allowed-by-exemption:ops", "both rules match: exempted");
}

/* The kube-system rule that once was built in (SPEC 5: now only in a policy file). */
static void kube_system_policy(struct policy *p)
{
	static const char json[] = "{\"exemptions\": [{\"name\": \"kube-system\", \"allow\": [\"network\", \"pid\"],"
				   " \"match\": {\"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"}}]}";
	struct nsg_err err = { .msg = "" };

	if (policy_parse(json, strlen(json), p, &err) < 0)
		ok(0, "the kube-system policy parses (%s)", err.msg);
}

static void test_exemption_lacks_type(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	kube_system_policy(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	inherit(&s, NS_IPC);
	annotate(&s, "io.kubernetes.cri.sandbox-namespace", "kube-system");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "refused", "exemption without ipc: refused");
	is_int(d.verdict[NS_NETWORK], VERDICT_EXEMPTED, "network still exempted");
	is_str(d.message,
	       "shares the host's ipc namespace (no \"ipc\" entry in linux.namespaces): add annotation " KEY "=ipc",
	       "only ipc is in the message");
}

static void test_annotation_beats_exemption(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	kube_system_policy(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	inherit(&s, NS_IPC);
	annotate(&s, "io.kubernetes.cri.sandbox-namespace", "kube-system");
	annotate(&s, KEY, "ipc");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "allowed-by-annotation", "exempted and annotated: allowed-by-annotation");
	is_str(d.exemption, "kube-system", "the exemption is still recorded");
}

static void test_warn_mode(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	p.mode = POLICY_WARN;
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		if (p.ns_mode[t] == POLICY_ENFORCE)
			p.ns_mode[t] = POLICY_WARN;
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	run(&p, &s, no_host, &d, &name);
	is_str(name, "warned", "mode warn: warned");
	is_int(d.verdict[NS_NETWORK], VERDICT_WARNED, "mode warn: verdict");
	is_str(d.message, NET_INHERITED ": allowed only because the policy's mode for \"network\" is warn",
	       "mode warn: message");
}

static void test_warn_annotation_problem(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	for (size_t t = 0; t < NS_TYPE_COUNT; t++)
		if (p.ns_mode[t] == POLICY_ENFORCE)
			p.ns_mode[t] = POLICY_WARN;
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	annotate(&s, KEY, "pdi");
	run(&p, &s, no_host, &d, &name);
	is_str(name, "refused", "warn mode: an annotation typo still refuses");
	is_str(d.message, "annotation " KEY ": \"pdi\" is not a namespace type " KNOWN,
	       "warn mode: warned types are not in a refusal");
}

static void test_per_type_warn(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_spec struct spec s2;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	cleanup_free char *name = NULL;
	cleanup_free char *name2 = NULL;

	policy_defaults(&p);
	p.ns_mode[NS_PID] = POLICY_WARN;
	spec_private(&s);
	inherit(&s, NS_PID);
	run(&p, &s, no_host, &d, &name);
	is_str(name, "warned", "pid warn: warned");
	is_str(d.message, PID_INHERITED ": allowed only because the policy's mode for \"pid\" is warn",
	       "pid warn: message");

	spec_private(&s2);
	inherit(&s2, NS_PID);
	inherit(&s2, NS_NETWORK);
	run(&p, &s2, no_host, &d2, &name2);
	is_str(name2, "refused", "pid warn plus network enforce: refused");
	is_int(d2.verdict[NS_PID], VERDICT_WARNED, "pid still warned");
	is_str(d2.message, NET_INHERITED ": add annotation " KEY "=network", "the refusal lists only network");
}

static void test_two_refused(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_PID);
	inherit(&s, NS_NETWORK);
	run(&p, &s, no_host, &d, &name);
	is_str(d.message,
	       NET_INHERITED ": add annotation " KEY "=network; " PID_INHERITED ": add annotation " KEY "=pid",
	       "two refused types, in table order");
}

static void test_way_out_existing_annotation(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	inherit(&s, NS_PID);
	inherit(&s, NS_MOUNT);
	annotate(&s, KEY, "pid");
	run(&p, &s, no_host, &d, &name);
	is_int(d.verdict[NS_PID], VERDICT_ANNOTATED, "pid annotated");
	is_str(d.message,
	       NET_INHERITED ": add \"network\" to annotation " KEY
			     "; shares the host's mount namespace (no \"mount\" entry in linux.namespaces): the policy "
			     "does not let annotations allow \"mount\"",
	       "existing annotation: add to it; mount: the policy forbids it");
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

static void test_purity(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_decision struct decision d2;
	bool host[NS_TYPE_COUNT] = { [NS_IPC] = true };

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	inherit(&s, NS_UTS);
	join(&s, NS_IPC, "/proc/1/ns/ipc");
	annotate(&s, KEY, "pid,bogus");
	decide(&p, &s, host, &d);
	decide(&p, &s, host, &d2);
	ok(same_decision(&d, &d2), "the same input twice gives the same decision");
	ok(d.message != d2.message, "each decision owns its message");
}

static void test_single_line(void)
{
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;
	cleanup_decision struct decision d;
	cleanup_free char *name = NULL;
	bool host[NS_TYPE_COUNT] = { [NS_NETWORK] = true };

	policy_defaults(&p);
	spec_private(&s);
	join(&s, NS_NETWORK, "/tmp/x\ny\r\x7fz");
	annotate(&s, KEY, "pid\n,user");
	run(&p, &s, host, &d, &name);
	/* SPEC 8: the decision keeps the bytes; the one escaping function at the
	 * output edge makes them a single line. */
	is_str(d.how[NS_NETWORK], "path /tmp/x\ny\r\x7fz is the host's network namespace",
	       "how keeps the path's bytes");
	{
		cleanup_free char *out = nsg_escape(d.message);

		ok(out && !strchr(out, '\n') && !strchr(out, '\r') && !strchr(out, '\x7f'), "escaped: a single line");
		like_str(out, "(path /tmp/x\\x0ay\\x0d\\x7fz is the host's network namespace)",
			 "control bytes in the path become \\xNN at the edge");
		like_str(out, "\"pid\\x0a\" is not a namespace type", "and in an annotation item");
	}
}

static void test_outcome_names(void)
{
	static const struct {
		enum decide_outcome outcome;
		const char *want;
	} cases[] = {
		{ DECIDE_ALLOWED, "allowed" },
		{ DECIDE_ALLOWED_BY_EXEMPTION, "allowed-by-exemption:ops" },
		{ DECIDE_ALLOWED_BY_ANNOTATION, "allowed-by-annotation" },
		{ DECIDE_WARNED, "warned" },
		{ DECIDE_REFUSED, "refused" },
	};

	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		struct decision d = { .outcome = cases[i].outcome, .exemption = "ops" };
		cleanup_free char *name = decide_outcome_name(&d);

		is_str(name, cases[i].want, "outcome name %s", cases[i].want);
	}
}

static void test_decision_free(void)
{
	struct decision d = { 0 };
	cleanup_policy struct policy p;
	cleanup_spec struct spec s;

	decision_free(&d);
	decision_free(&d);
	ok(d.message == NULL, "decision_free on a zeroed struct, twice");

	policy_defaults(&p);
	spec_private(&s);
	inherit(&s, NS_NETWORK);
	decide(&p, &s, no_host, &d);
	decision_free(&d);
	decision_free(&d);
	ok(d.message == NULL && d.how[NS_NETWORK] == NULL, "decision_free is idempotent");
}

static void map(struct spec *s, enum spec_idmap_kind k, uint32_t host_id, uint32_t size)
{
	struct spec_idmaps *m = &s->idmaps[k];

	m->maps = nsg_realloc(m->maps, (m->n + 1) * sizeof(*m->maps));
	m->maps[m->n++] = (struct spec_idmap){ 0, host_id, size };
}

/* SPEC 4's user rule: a private user namespace mapping host id 0 shares the host's. */
static void test_user_mappings(void)
{
	static const struct {
		uint32_t uid_host, uid_size, gid_host, gid_size;
		const char *want, *how, *what;
	} cases[] = {
		{ 100000, 65536, 100000, 65536, "allowed", NULL, "remapped ids: private" },
		{ 0, 65536, 100000, 65536, "refused", "linux.uidMappings maps host uid 0 into the container",
		  "host uid 0 mapped" },
		{ 100000, 65536, 0, 1, "refused", "linux.gidMappings maps host gid 0 into the container",
		  "host gid 0 mapped" },
		{ 0, 0, 100000, 1, "allowed", NULL, "size 0 maps nothing" },
		{ 4294967295u, 2, 100000, 1, "refused", "linux.uidMappings maps host uid 0 into the container",
		  "a range wrapping past 2^32 counts as covering 0" },
	};
	cleanup_policy struct policy p;

	policy_defaults(&p);
	p.ns_mode[NS_USER] = POLICY_ENFORCE;
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		cleanup_spec struct spec s;
		cleanup_decision struct decision d;
		cleanup_free char *name = NULL;

		spec_private(&s);
		map(&s, SPEC_IDMAP_UID, cases[i].uid_host, cases[i].uid_size);
		map(&s, SPEC_IDMAP_GID, cases[i].gid_host, cases[i].gid_size);
		run(&p, &s, no_host, &d, &name);
		is_str(name, cases[i].want, "SPEC 4 user rule: %s", cases[i].what);
		is_str(d.how[NS_USER], cases[i].how, "%s: how", cases[i].what);
	}
	{ /* a joined user namespace is judged by identity, not by its mappings */
		cleanup_spec struct spec s;
		cleanup_decision struct decision d;
		cleanup_free char *name = NULL;

		spec_private(&s);
		join(&s, NS_USER, "/proc/1234/ns/user");
		map(&s, SPEC_IDMAP_UID, 0, 1);
		run(&p, &s, no_host, &d, &name);
		is_str(name, "allowed", "SPEC 4: mappings of a joined user namespace are not the rule's");
	}
}

int main(void)
{
	test_all_private();
	test_user_mappings();
	test_inherited_network();
	test_joined();
	test_each_enforced_type();
	test_off_types();
	test_annotation_unlocks();
	test_annotation_custom_key();
	test_annotation_not_may_allow();
	test_may_allow_empty();
	test_annotation_unknown();
	test_annotation_bounded();
	test_annotation_blank();
	test_exemption_glob();
	test_exemption_two_rules();
	test_exemption_lacks_type();
	test_annotation_beats_exemption();
	test_warn_mode();
	test_warn_annotation_problem();
	test_per_type_warn();
	test_two_refused();
	test_way_out_existing_annotation();
	test_purity();
	test_single_line();
	test_outcome_names();
	test_decision_free();
	return tap_done();
}
