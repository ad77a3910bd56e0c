/* nstype.h - the namespace types nsguard knows, one table row each. */
#ifndef NSGUARD_NSTYPE_H
#define NSGUARD_NSTYPE_H

#include <stddef.h>

enum ns_type {
	NS_NETWORK,
	NS_PID,
	NS_IPC,
	NS_USER,
	NS_MOUNT,
	NS_UTS,
	NS_CGROUP,
	NS_TIME,
	NS_TYPE_COUNT,
};

/* A set of namespace types, bit (1u << type). */
typedef unsigned ns_set;
#define NS_BIT(t) (1u << (t))
#define NS_ALL	  ((1u << NS_TYPE_COUNT) - 1)

struct ns_info {
	enum ns_type type;
	const char *name; /* OCI linux.namespaces type and policy name */
	const char *proc; /* name under /proc/<pid>/ns/ */
	const char *cis;  /* CIS Docker Benchmark control, or NULL */
	int clone_flag;	  /* CLONE_NEW*: what NS_GET_NSTYPE answers for it */
};

extern const struct ns_info ns_infos[NS_TYPE_COUNT];

/* The type whose OCI/policy name is exactly name[0..len), or -1. */
int ns_type_from_name(const char *name, size_t len);

#endif
