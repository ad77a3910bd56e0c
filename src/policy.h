/* policy.h - the host's policy file (SPEC.md section 5).
 *
 * policy_parse() is pure: it takes the file's bytes and returns a validated
 * struct policy or an error naming the line and the problem (policy_parse.c,
 * over json.h). policy_load() is the I/O edge (policy_load.c): it finds the
 * file (NSGUARD_POLICY or the default path), checks its ownership when
 * running as root, and falls back to the built-in defaults when there is no
 * file. policy.c has the defaults, the modes and exemption matching.
 */
#ifndef NSGUARD_POLICY_H
#define NSGUARD_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "nstype.h"
#include "util.h"

#ifndef NSGUARD_POLICY_PATH
#define NSGUARD_POLICY_PATH "/etc/nsguard/policy.json"
#endif

#define POLICY_MAX_SIZE (1024 * 1024)

enum policy_mode {
	POLICY_OFF,
	POLICY_WARN,
	POLICY_ENFORCE,
};

struct policy_match {
	char *key;  /* annotation key, compared exactly */
	char *glob; /* fnmatch(3) pattern for its value */
};

struct policy_exemption {
	char *name;
	ns_set allow;
	struct policy_match *match;
	size_t n_match;
};

/* What `runc restore` gets (SPEC.md section 5): CRIU recreates the dumped
 * processes' namespaces from the checkpoint image, not from config.json. */
enum policy_restore {
	POLICY_RESTORE_REFUSE, /* refuse every restore (default) */
	POLICY_RESTORE_CHECK,  /* decide on config.json and trust the image */
};

struct policy {
	char *path;				 /* file it came from; NULL for the built-in defaults */
	char *runtime;				 /* absolute path, or NULL: first runc on PATH that is not nsguard */
	enum policy_mode mode;			 /* POLICY_ENFORCE or POLICY_WARN */
	enum policy_mode ns_mode[NS_TYPE_COUNT]; /* effective mode of each type */
	char *annotation_key;
	ns_set may_allow;
	struct policy_exemption *exemptions;
	size_t n_exemptions;
	char **namespace_dirs; /* where joined namespace files may lie besides /proc/<pid>/ns/ */
	size_t n_namespace_dirs;
	enum policy_restore restore;
	bool audit_syslog;
	char *audit_file; /* NULL: no audit file */
};

/* Fill p with the built-in defaults (SPEC.md section 5). */
void policy_defaults(struct policy *p);

/* Parse and validate buf[0..len) (JSON). On error, err says "line N: problem". */
int policy_parse(const char *buf, size_t len, struct policy *ret, struct nsg_err *err);

/* The path policy_load() reads: $NSGUARD_POLICY if set and non-empty, else the default. */
const char *policy_path(void);

/* Load the policy from path (no file: defaults). On error, err names the file, the
 * line and the problem. If the file could be read but was invalid, *ret_runtime
 * (when non-NULL) receives its "runtime" value when that one key could still be
 * read with certainty, else NULL, so pass-through commands can still exec it. */
int policy_load(const char *path, struct policy *ret, char **ret_runtime, struct nsg_err *err);

/* policy_load() for a file that must exist: a missing one is an error like
 * any other read failure ("policy PATH: ..."), with err->errnum == ENOENT,
 * so that callers need not stat() it first (and race with its removal). */
int policy_load_existing(const char *path, struct policy *ret, struct nsg_err *err);

/* What a pass-through command needs of the policy at path: its "runtime"
 * when the file can be trusted and that one key read with certainty (as
 * policy_peek_runtime()), else NULL (no file, unreadable, insecure): the
 * default resolution. No full parse: `state`, `kill` and `delete` run on
 * every container's lifecycle, and a broken policy must not stop them. */
char *policy_load_runtime(const char *path);

/* The top-level "runtime" of an invalid policy when it can be read with certainty:
 * the file is valid JSON, an object, and names "runtime" once, as a string
 * absolute path. NULL otherwise. The caller frees it. */
char *policy_peek_runtime(const char *buf, size_t len);

void policy_free(struct policy *p);

/* Between policy.c and policy_parse.c only. The effective mode of each type
 * from the top-level mode, the built-in per-type modes and the types the file
 * names (explicit_ns, their modes in explicit_mode; NULL when none). */
void policy_apply_modes(struct policy *p, ns_set explicit_ns, const enum policy_mode *explicit_mode);
void policy_add_namespace_dir(struct policy *p, const char *s, size_t len);
void policy_clear_exemptions(struct policy *p);
void policy_clear_namespace_dirs(struct policy *p);

#define cleanup_policy __attribute__((cleanup(policy_free)))

/* The first exemption at or after from (NULL: the first of p) whose match rules
 * all match the annotations, or NULL; pass the result + 1 to find the next one.
 * The annotations are n key/value pairs keys[i], values[i]: keys compare
 * exactly, values with fnmatch(3) and no flags. An exemption without match
 * rules never matches (the parser refuses one anyway). */
const struct policy_exemption *policy_match_exemption(const struct policy *p, const struct policy_exemption *from,
						      char *const *keys, char *const *values, size_t n);

#endif
