/* test-nsid.c - namespace identity: what counts as the host's namespace. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsid.h"
#include "tap.h"

static char root[] = "/tmp/nsguard-nsid.XXXXXX";

static void touch(const char *rel)
{
	cleanup_free char *path = nsg_asprintf("%s/%s", root, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
}

static void mkdirs(const char *rel)
{
	cleanup_free char *path = nsg_asprintf("%s/%s", root, rel);
	cleanup_free char *ns = nsg_asprintf("%s/ns", path);

	mkdir(path, 0755);
	mkdir(ns, 0755);
}

/* A fake /proc: "self" with every namespace, "1" with a different network one. */
static void make_fake_proc(void)
{
	mkdirs("self");
	mkdirs("1");
	for (size_t t = 0; t < NS_TYPE_COUNT; t++) {
		cleanup_free char *self = nsg_asprintf("self/ns/%s", ns_infos[t].proc);
		touch(self);
	}
	touch("1/ns/net");
}

static void test_fake_proc(void)
{
	struct nsid_host host;
	struct nsid id, other;
	struct nsg_err err;
	cleanup_free char *self_net = nsg_asprintf("%s/self/ns/net", root);
	cleanup_free char *init_net = nsg_asprintf("%s/1/ns/net", root);
	cleanup_free char *link = nsg_asprintf("%s/link-to-net", root);
	cleanup_free char *elsewhere = nsg_asprintf("%s/elsewhere", root);

	make_fake_proc();
	touch("elsewhere");
	nsid_host_read(root, &host);
	ok(host.have_self[NS_NETWORK] && host.have_self[NS_TIME], "SPEC 4: own namespaces read");
	ok(host.have_init[NS_NETWORK], "SPEC 4: pid 1's network namespace read");
	ok(!host.have_init[NS_PID], "SPEC 4: pid 1's pid namespace absent: unreadable is not an error");

	is_int(nsid_of_path(self_net, &id, &err), 0, "SPEC 4: stat of own namespace path");
	ok(nsid_is_host(&host, NS_NETWORK, &id), "SPEC 4: own network namespace is the host's");
	ok(!nsid_is_host(&host, NS_PID, &id), "SPEC 4: identity is compared per type");
	is_int(nsid_of_path(init_net, &id, &err), 0, "SPEC 4: stat of pid 1's namespace path");
	ok(nsid_is_host(&host, NS_NETWORK, &id), "SPEC 4: pid 1's network namespace is the host's");
	is_int(symlink(self_net, link), 0, "SPEC 4: symlink made");
	is_int(nsid_of_path(link, &id, &err), 0, "SPEC 4: stat follows links");
	ok(nsid_is_host(&host, NS_NETWORK, &id), "SPEC 4: a link to the host's namespace is the host's");
	is_int(nsid_of_path(elsewhere, &other, &err), 0, "SPEC 4: stat of another file");
	ok(!nsid_is_host(&host, NS_NETWORK, &other), "SPEC 4: another namespace is not the host's");
}

static void test_missing_path(void)
{
	struct nsg_err err = { .msg = "" };
	struct nsid id;

	is_int(nsid_of_path("/nonexistent/ns/net", &id, &err), -1, "SPEC 4: missing path fails");
	like_str(err.msg, "namespace path /nonexistent/ns/net cannot be examined",
		 "SPEC 4: the message names the path");
}

static void test_real_proc(void)
{
	struct nsid_host host;
	struct nsid id;
	struct nsg_err err;

	nsid_host_read("/proc", &host);
	ok(host.have_self[NS_NETWORK], "SPEC 4: /proc/self/ns/net readable");
	is_int(nsid_of_path("/proc/self/ns/net", &id, &err), 0, "SPEC 4: stat /proc/self/ns/net");
	ok(nsid_is_host(&host, NS_NETWORK, &id), "SPEC 4: /proc/self/ns/net is the host's");
	is_int(nsid_of_path("/proc/thread-self/ns/net", &id, &err), 0, "SPEC 4: stat /proc/thread-self/ns/net");
	ok(nsid_is_host(&host, NS_NETWORK, &id), "SPEC 4: another path to the same namespace is the host's");
}

int main(void)
{
	if (!mkdtemp(root))
		return 1;
	test_fake_proc();
	test_missing_path();
	test_real_proc();
	{
		cleanup_free char *cmd = nsg_asprintf("rm -rf '%s'", root);
		if (system(cmd) != 0)
			ok(0, "SPEC 4: cleanup");
	}
	return tap_done();
}
