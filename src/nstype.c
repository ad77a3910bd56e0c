/* nstype.c - see nstype.h */
#include "nstype.h"

#include <string.h>

const struct ns_info ns_infos[NS_TYPE_COUNT] = {
	[NS_NETWORK] = { NS_NETWORK, "network", "net", "5.9" },
	[NS_PID] = { NS_PID, "pid", "pid", "5.15" },
	[NS_IPC] = { NS_IPC, "ipc", "ipc", "5.16" },
	[NS_USER] = { NS_USER, "user", "user", "5.30" },
	[NS_MOUNT] = { NS_MOUNT, "mount", "mnt", NULL },
	[NS_UTS] = { NS_UTS, "uts", "uts", "5.20" },
	[NS_CGROUP] = { NS_CGROUP, "cgroup", "cgroup", NULL },
	[NS_TIME] = { NS_TIME, "time", "time", NULL },
};

int ns_type_from_name(const char *name, size_t len)
{
	for (size_t i = 0; i < NS_TYPE_COUNT; i++)
		if (strlen(ns_infos[i].name) == len && memcmp(ns_infos[i].name, name, len) == 0)
			return (int)i;
	return -1;
}
