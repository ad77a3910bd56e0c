/* spec_keys.h - duplicate annotation keys found without copying the keys
 * (SPEC.md sections 3 and 12).
 *
 * Go keeps the last of two equal annotation keys (after decoding escapes:
 * "a" and "\u0061" are one key); nsguard refuses them. The decision reads only
 * a few annotations, but a file may hold a hundred thousand tiny ones, and
 * memory must stay under twice the file. So each key is remembered as 4
 * bytes - where its opening quote is in the document, and 8 bits of a keyed
 * hash of its decoded bytes - and its text is read again from the document
 * when two keys must be compared.
 *
 * The check is exact: a hash only decides which keys are compared; keys are
 * equal when their decoded bytes are. It stays O(n log n) whatever the keys:
 * keys with equal hashes are sorted by their decoded bytes, never compared
 * pairwise, and the hash is keyed by a secret (AT_RANDOM) so that a file
 * cannot even choose keys that collide.
 */
#ifndef NSGUARD_SPEC_KEYS_H
#define NSGUARD_SPEC_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Documents up to this size: an offset takes 24 bits of a key's 4 bytes. */
#define SPEC_KEYS_MAX_INPUT (1u << 24)

/* The keyed hash that decides which keys are compared. bits < 64 keeps only
 * the top bits of it: only tests want that (0: every key collides with every
 * other, and only the exact comparison tells them apart). */
struct spec_keys_hash {
	uint64_t k0, k1;
	unsigned bits;
};

struct spec_keys {
	uint32_t *at; /* per key: its opening quote's offset (low 24 bits), its hash's top 8 bits */
	size_t n, cap;
	struct spec_keys_hash hash;
};

/* An empty set, its hash keyed by h, or (h NULL) by a key derived from the
 * kernel's AT_RANDOM bytes: no system call, so it works in the sandbox. */
void spec_keys_init(struct spec_keys *k, const struct spec_keys_hash *h);

/* Remember the key that ends just before buf[end] (json_offset() after its
 * token) and that json.h delivered decoded as key[0..key_len). -1 if the
 * document does not hold that key there: the caller must refuse. */
int spec_keys_add(struct spec_keys *k, const char *buf, size_t len, size_t end, const char *key, size_t key_len);

/* Of the keys added, find the earliest in the document that equals an earlier
 * one: true, with the offsets of its opening quote and of the opening quote of
 * the closest earlier equal key. Reorders the set: call it once, last. */
bool spec_keys_find_dup(struct spec_keys *k, const char *buf, size_t len, size_t *ret_later, size_t *ret_earlier);

/* The first bytes of the decoded key whose opening quote is buf[off], at most
 * cap, for a message: returns how many. */
size_t spec_keys_text(const char *buf, size_t len, size_t off, char *out, size_t cap);

void spec_keys_free(struct spec_keys *k);

#endif
