/* spec.h - reading a bundle's config.json exactly as runc's Go decoder would
 * (SPEC.md section 3).
 *
 * spec_parse() is pure: bytes in, the things nsguard interprets out
 * (linux.namespaces, linux.uidMappings/gidMappings and annotations), or an
 * error for anything on which Go's
 * encoding/json and nsguard could disagree. It reads the events of json.h
 * (yajl's streaming API): no tree, memory bounded by the file, depth bounded
 * by SPEC_MAX_DEPTH.
 */
#ifndef NSGUARD_SPEC_H
#define NSGUARD_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nstype.h"
#include "util.h"

#define SPEC_MAX_SIZE  (16 * 1024 * 1024)
#define SPEC_MAX_DEPTH 1000
/* Entries per mappings array. Go has no bound; the kernel takes 340 lines. */
#define SPEC_MAX_IDMAPS 4096

enum spec_ns_state {
	SPEC_NS_INHERITED, /* no entry (or no "linux" object): the runtime's own namespace */
	SPEC_NS_PRIVATE,   /* entry with an empty or absent path: a new namespace */
	SPEC_NS_JOINED,	   /* entry with a path: join that namespace */
};

struct spec_ns {
	enum spec_ns_state state;
	char *path; /* SPEC_NS_JOINED only: the path as written (absolute) */
	/* A joined user namespace that maps host id 0: "uid" or "gid". Not read
	 * from the file: evaluate.c sets it from the namespace itself. */
	const char *joined_maps_host_root;
};

enum spec_idmap_kind {
	SPEC_IDMAP_UID, /* linux.uidMappings */
	SPEC_IDMAP_GID, /* linux.gidMappings */
	SPEC_IDMAP_KINDS
};

/* One LinuxIDMapping: size ids from host_id on appear as container_id on.
 * A field the entry omits is 0, as Go leaves it. */
struct spec_idmap {
	uint32_t container_id, host_id, size;
};

struct spec_idmaps {
	struct spec_idmap *maps; /* in file order */
	size_t n;		 /* at most SPEC_MAX_IDMAPS */
};

struct spec_annotation {
	char *key;
	char *value;
};

struct spec {
	bool has_linux; /* a "linux" object was present */
	struct spec_ns ns[NS_TYPE_COUNT];
	struct spec_idmaps idmaps[SPEC_IDMAP_KINDS]; /* absent, null or []: n == 0 */
	struct spec_annotation *annotations;
	size_t n_annotations;
};

/* Parse buf[0..len). On error, err holds "line N: problem". */
int spec_parse(const char *buf, size_t len, struct spec *ret, struct nsg_err *err);

/* spec_parse(), keeping only the annotations whose keys are keys[0..n_keys)
 * (all keys are still read and checked for duplicates). keys NULL: all. */
int spec_parse_keep(const char *buf, size_t len, const char *const *keys, size_t n_keys, struct spec *ret,
		    struct nsg_err *err);

/* spec_parse_keep() with the hash of the duplicate check given (spec_keys.h;
 * NULL: keyed by a secret, as spec_parse_keep() does). For tests, which cut
 * it short so that every key collides and only the exact comparison is left. */
struct spec_keys_hash;
int spec_parse_keep_hashed(const char *buf, size_t len, const char *const *keys, size_t n_keys,
			   const struct spec_keys_hash *hash, struct spec *ret, struct nsg_err *err);

/* The value of annotation key (exact match), or NULL. */
const char *spec_annotation(const struct spec *s, const char *key);

/* "uid" (or else "gid") when a uid (gid) mapping of s covers host id 0,
 * giving the container's root the host root's identity (SPEC.md section 4,
 * user rule); NULL when none does. A range that wraps past 2^32 counts as
 * covering 0: fail closed. Pure; says nothing about whether s has a user
 * namespace. */
const char *spec_host_root_mapping(const struct spec *s);

void spec_free(struct spec *s);

#define cleanup_spec __attribute__((cleanup(spec_free)))

#endif
