/* spec-diff.h - the first difference between two struct spec, for the sandbox tests.
 *
 * Shared by test-sandbox.c (the confined parse gives what spec_parse gives)
 * and test-sandbox-wire.c (the wire format round-trips): one comparison, so
 * the two tests cannot disagree on what "the same spec" means.
 */
#ifndef NSGUARD_TEST_SPEC_DIFF_H
#define NSGUARD_TEST_SPEC_DIFF_H

#include <stdio.h>
#include <string.h>

#include "spec.h"

static int str_diff(const char *what, const char *a, const char *b, char *out, size_t size)
{
	if ((!a && !b) || (a && b && strcmp(a, b) == 0))
		return 0;
	snprintf(out, size, "%s: \"%.40s\" != \"%.40s\"", what, a ? a : "(null)", b ? b : "(null)");
	return 1;
}

static int idmaps_diff(size_t k, const struct spec_idmaps *x, const struct spec_idmaps *y, char *out, size_t size)
{
	if (x->n != y->n) {
		snprintf(out, size, "idmaps %zu: %zu entries != %zu", k, x->n, y->n);
		return 1;
	}
	for (size_t i = 0; i < x->n; i++)
		if (memcmp(&x->maps[i], &y->maps[i], sizeof(x->maps[i])) != 0) {
			snprintf(out, size, "idmaps %zu: entry %zu differs", k, i);
			return 1;
		}
	return 0;
}

/* "" if a and b are the same spec, else the first difference. */
static const char *spec_diff(const struct spec *a, const struct spec *b, char *out, size_t size)
{
	char what[64];

	out[0] = '\0';
	if (a->has_linux != b->has_linux) {
		snprintf(out, size, "has_linux %d != %d", a->has_linux, b->has_linux);
		return out;
	}
	for (size_t i = 0; i < NS_TYPE_COUNT; i++) {
		if (a->ns[i].state != b->ns[i].state) {
			snprintf(out, size, "%s: state %d != %d", ns_infos[i].name, a->ns[i].state, b->ns[i].state);
			return out;
		}
		if (str_diff(ns_infos[i].name, a->ns[i].path, b->ns[i].path, out, size))
			return out;
	}
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++)
		if (idmaps_diff(k, &a->idmaps[k], &b->idmaps[k], out, size))
			return out;
	if (a->n_annotations != b->n_annotations) {
		snprintf(out, size, "%zu annotations != %zu", a->n_annotations, b->n_annotations);
		return out;
	}
	for (size_t i = 0; i < a->n_annotations; i++) {
		snprintf(what, sizeof(what), "annotation %zu key", i);
		if (str_diff(what, a->annotations[i].key, b->annotations[i].key, out, size))
			return out;
		snprintf(what, sizeof(what), "annotation %zu value", i);
		if (str_diff(what, a->annotations[i].value, b->annotations[i].value, out, size))
			return out;
	}
	return out;
}

#endif
