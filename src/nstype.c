/* nstype.c - see nstype.h */
#include "nstype.h"

#include <sched.h>
#include <string.h>

const struct ns_info ns_infos[NS_TYPE_COUNT] = {
	[NS_NETWORK] = { NS_NETWORK, "network", "net", "5.9", CLONE_NEWNET },
	[NS_PID] = { NS_PID, "pid", "pid", "5.15", CLONE_NEWPID },
	[NS_IPC] = { NS_IPC, "ipc", "ipc", "5.16", CLONE_NEWIPC },
	[NS_USER] = { NS_USER, "user", "user", "5.30", CLONE_NEWUSER },
	[NS_MOUNT] = { NS_MOUNT, "mount", "mnt", NULL, CLONE_NEWNS },
	[NS_UTS] = { NS_UTS, "uts", "uts", "5.20", CLONE_NEWUTS },
	[NS_CGROUP] = { NS_CGROUP, "cgroup", "cgroup", NULL, CLONE_NEWCGROUP },
	[NS_TIME] = { NS_TIME, "time", "time", NULL, CLONE_NEWTIME },
};

int ns_type_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		if (strlen(ns_infos[i].name) == len && memcmp(ns_infos[i].name, name, len) == 0)
			return (int)i;
	return -1;
}
