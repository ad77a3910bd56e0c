/* decide.h - the pure decision (SPEC.md sections 6 and 7).
 *
 * Same spec, policy and namespace identities, same answer: no I/O here.
 */
#ifndef NSGUARD_DECIDE_H
#define NSGUARD_DECIDE_H

#include <stdbool.h>

#include "nstype.h"
#include "policy.h"
#include "spec.h"

enum decide_outcome {
	DECIDE_ALLOWED,
	DECIDE_ALLOWED_BY_EXEMPTION,
	DECIDE_ALLOWED_BY_ANNOTATION,
	DECIDE_WARNED,
	DECIDE_REFUSED,
};

/* What happened to one namespace type. */
enum decide_verdict {
	VERDICT_NOT_SHARED, /* private, or joined a namespace that is not the host's */
	VERDICT_OFF,	    /* shared, but the policy does not look at this type */
	VERDICT_EXEMPTED,   /* shared, unlocked by an exemption */
	VERDICT_ANNOTATED,  /* shared, unlocked by the container's annotation */
	VERDICT_WARNED,	    /* shared, not unlocked, mode warn */
	VERDICT_REFUSED,    /* shared, not unlocked, mode enforce */
};

struct decision {
	enum decide_outcome outcome;
	const char *exemption;	/* name of the exemption used, if any (points into the policy) */
	const char *annotation; /* the allow annotation's value, or NULL (points into the spec) */
	enum decide_verdict verdict[NS_TYPE_COUNT];
	char *how[NS_TYPE_COUNT]; /* for shared types: 'no "network" entry in linux.namespaces', ... */
	/* One line, for a refusal or a warning: every shared type, how, and the way out;
	 * NULL when the outcome is an allowed one. */
	char *message;
};

/* host[t] tells whether the joined path of type t is the host's namespace (only
 * read for SPEC_NS_JOINED entries). */
void decide(const struct policy *p, const struct spec *s, const bool host[NS_TYPE_COUNT], struct decision *ret);

/* "allowed", "refused", "allowed-by-annotation", "allowed-by-exemption:<name>", "warned";
 * the caller frees it. */
char *decide_outcome_name(const struct decision *d);

/* The audit trail's word for a verdict: "private", "off", "exempted", "annotated", "warned", "refused". */
const char *decide_verdict_name(enum decide_verdict v);

void decision_free(struct decision *d);

#define cleanup_decision __attribute__((cleanup(decision_free)))

#endif
