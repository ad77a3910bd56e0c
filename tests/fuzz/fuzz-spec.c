/* fuzz-spec.c - config.json reader: must never crash, leak or read out of bounds.
 *
 * It must also agree with itself: the keep list only drops annotations, so
 * spec_parse_keep() accepts and refuses exactly what spec_parse() does, with
 * the same message; and an accepted document never holds two equal
 * annotation keys (spec_keys.h finds them without copies: checked here the
 * slow way). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "spec.h"

static void fuzz_no_equal_keys(const struct spec *s)
{
	if (s->n_annotations > 256)
		return;
	for (size_t i = 0; i < s->n_annotations; i++)
		for (size_t j = i + 1; j < s->n_annotations; j++)
			if (strcmp(s->annotations[i].key, s->annotations[j].key) == 0)
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec s = { 0 };
	struct nsg_err err = { .msg = "" }, err_keep = { .msg = "" };
	int r, r_keep;

	static const char *const keep[] = { "io.nsguard.allow" };

	r = spec_parse((const char *)data, size, &s, &err);
	if (r == 0) {
		fuzz_no_equal_keys(&s);
		spec_free(&s);
	}
	/* Keys outside the keep list are never copied: a second path. */
	r_keep = spec_parse_keep((const char *)data, size, keep, NSG_ARRAY_SIZE(keep), &s, &err_keep);
	if (r_keep == 0)
		spec_free(&s);
	if (r != r_keep || (r < 0 && strcmp(err.msg, err_keep.msg) != 0))
		abort();
	return 0;
}
