/* evaluate.h - from a bundle to a decision: read config.json, parse it in the
 * sandbox, find which joined namespaces are the host's, and decide. */
#ifndef NSGUARD_EVALUATE_H
#define NSGUARD_EVALUATE_H

#include <stdbool.h>

#include "decide.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

struct evaluation {
	char *bundle;	   /* absolute path of the bundle directory */
	char *config_path; /* absolute path of its config.json */
	struct spec spec;
	struct decision decision;
};

/* path is a bundle directory (NULL or "" = the current directory) or, when
 * config_given, a config.json file itself. When running as root the bundle
 * directory and config.json must be owned by root (or the euid) and not
 * writable by group or others: a tenant must not be able to swap the file
 * between nsguard's read and runc's. Fails with a message for anything that
 * cannot be read with certainty. */
int evaluate(const struct policy *p, const char *path, bool config_given, struct evaluation *ret, struct nsg_err *err);

void evaluation_free(struct evaluation *e);

#define cleanup_evaluation __attribute__((cleanup(evaluation_free)))

#endif
