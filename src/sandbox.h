/* sandbox.h - parsing config.json where a parser bug cannot hurt (SPEC.md section 11).
 *
 * The bytes of config.json come from whoever wrote the bundle. They are parsed
 * in a forked child that first limits its memory (RLIMIT_AS, RLIMIT_DATA),
 * drops every capability and then runs under a seccomp filter (built from
 * sandbox_rules.c with libseccomp at build time; nsguard itself links neither
 * libseccomp nor libcap) allowing only memory management, one write to the
 * result pipe and exit. The parent reads the child's compact
 * result and rebuilds the struct spec; a child that crashes, is killed, or
 * writes anything malformed is a refusal.
 */
#ifndef NSGUARD_SANDBOX_H
#define NSGUARD_SANDBOX_H

#include <stddef.h>

#include "spec.h"
#include "util.h"

/* spec_parse(buf, len) in the confined child; same result and errors. */
int sandbox_parse_spec(const char *buf, size_t len, struct spec *ret, struct nsg_err *err);

/* The same, keeping only the annotations whose keys are keys[0..n_keys)
 * (spec_parse_keep() in the child, so the rest never crosses). */
int sandbox_parse_spec_keep(const char *buf, size_t len, const char *const *keys, size_t n_keys, struct spec *ret,
			    struct nsg_err *err);

/* Serialisation of a parse result (sandbox_wire.c, which describes the
 * format), exposed for the unit tests, the fuzzer and the differential test:
 * encode a successful spec or an error message into one buffer, and decode it
 * with full bounds checks (the parent trusts nothing the child wrote). */
char *sandbox_encode(const struct spec *s, const struct nsg_err *parse_err, int parse_ok, size_t *ret_len);
int sandbox_decode(const char *buf, size_t len, struct spec *ret, struct nsg_err *err);

#endif
