/* spec_keys.c - see spec_keys.h.
 *
 * Finding the duplicates: the keys are grouped in place by the 8 hash bits
 * they carry (one counting pass, no second array). For each group, 8 bytes
 * per key hold 40 more bits of the hash, read again from the document, and
 * the key's offset; sorted, keys with the same 48 bits sit side by side.
 * Only such keys are compared, by their decoded bytes: they are sorted by
 * those bytes, so that equal keys end up adjacent however many collide.
 *
 * Memory: 4 bytes per key, in an array that grows by doubling, and 16 bytes
 * per key of the largest group while the groups are checked - about n/256
 * keys with a secret hash key for distinct keys. Equal keys share every
 * hash bit, so a file of many copies of one key (refused anyway) puts them
 * all in one group: up to 16 bytes per key, about 4x a 16 MiB file of
 * `"":""` pairs, within the parser's RLIMIT budget (16x the file); the same
 * happens if the hash is cut (tests) or AT_RANDOM is missing. Sorts are in place and O(n log n) whatever the
 * input: counting passes, an introsort for numbers, a heapsort for text
 * (glibc's qsort would allocate a merge buffer as big as the array).
 */
#include "spec_keys.h"

#include <endian.h>
#include <string.h>
#include <sys/auxv.h>

#include "gojson.h"
#include "util.h"

#define SPEC_KEYS_OFF_MASK ((uint32_t)SPEC_KEYS_MAX_INPUT - 1)

/* Decoded bytes are read from the document this many at a time. */
#define SPEC_KEYS_CHUNK 64

/* --- SipHash-1-3, fed a key in pieces --------------------------------------- */

struct spec_keys_sip {
	uint64_t v0, v1, v2, v3;
	uint64_t tail; /* bytes since the last block, little-endian */
	size_t len;
};

static uint64_t spec_keys_rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static void spec_keys_sip_round(struct spec_keys_sip *s)
{
	s->v0 += s->v1;
	s->v1 = spec_keys_rotl(s->v1, 13) ^ s->v0;
	s->v0 = spec_keys_rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = spec_keys_rotl(s->v3, 16) ^ s->v2;
	s->v0 += s->v3;
	s->v3 = spec_keys_rotl(s->v3, 21) ^ s->v0;
	s->v2 += s->v1;
	s->v1 = spec_keys_rotl(s->v1, 17) ^ s->v2;
	s->v2 = spec_keys_rotl(s->v2, 32);
}

static void spec_keys_sip_block(struct spec_keys_sip *s, uint64_t m)
{
	s->v3 ^= m;
	spec_keys_sip_round(s);
	s->v0 ^= m;
}

static void spec_keys_sip_init(struct spec_keys_sip *s, uint64_t k0, uint64_t k1)
{
	*s = (struct spec_keys_sip){ .v0 = k0 ^ 0x736f6d6570736575ull,
				     .v1 = k1 ^ 0x646f72616e646f6dull,
				     .v2 = k0 ^ 0x6c7967656e657261ull,
				     .v3 = k1 ^ 0x7465646279746573ull };
}

static void spec_keys_sip_byte(struct spec_keys_sip *s, unsigned char c)
{
	s->tail |= (uint64_t)c << (8 * (s->len++ % 8));
	if (s->len % 8 == 0) {
		spec_keys_sip_block(s, s->tail);
		s->tail = 0;
	}
}

static void spec_keys_sip_update(struct spec_keys_sip *s, const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && s->len % 8)
		spec_keys_sip_byte(s, p[i++]);
	for (; n - i >= 8; i += 8, s->len += 8) {
		uint64_t m;

		memcpy(&m, p + i, 8);
		spec_keys_sip_block(s, le64toh(m));
	}
	if (i < n) {
		uint64_t m = 0;

		/* Fewer than 8 bytes, and s->len is a multiple of 8: the tail is empty. */
		memcpy(&m, p + i, n - i);
		s->tail = le64toh(m);
		s->len += n - i;
	}
}

static uint64_t spec_keys_sip_final(struct spec_keys_sip *s)
{
	spec_keys_sip_block(s, s->tail | (uint64_t)(s->len & 0xFF) << 56);
	s->v2 ^= 0xFF;
	for (int i = 0; i < 3; i++)
		spec_keys_sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/* --- hashing keys --------------------------------------------------------------- */

static uint64_t spec_keys_hash_done(const struct spec_keys_hash *h, struct spec_keys_sip *s)
{
	uint64_t v = spec_keys_sip_final(s);

	if (h->bits >= 64)
		return v;
	return h->bits ? v & ~(UINT64_MAX >> h->bits) : 0;
}

static uint64_t spec_keys_hash_bytes(const struct spec_keys_hash *h, const char *p, size_t n)
{
	struct spec_keys_sip s;

	spec_keys_sip_init(&s, h->k0, h->k1);
	spec_keys_sip_update(&s, (const unsigned char *)p, n);
	return spec_keys_hash_done(h, &s);
}

/* Most keys have no escape: their raw bytes, up to the closing quote, are
 * the decoded ones. Is the string at buf[off] such a key, of *ret_n bytes? */
static bool spec_keys_plain(const char *buf, size_t len, size_t off, size_t *ret_n)
{
	size_t i = off + 1;

	while (i < len && buf[i] != '"' && buf[i] != '\\')
		i++;
	*ret_n = i - off - 1;
	return i < len && buf[i] == '"';
}

/* The same hash of the decoded key whose opening quote is buf[off]. */
static uint64_t spec_keys_hash_at(const struct spec_keys_hash *h, const char *buf, size_t len, size_t off)
{
	unsigned char chunk[SPEC_KEYS_CHUNK];
	struct gojson_string r;
	struct spec_keys_sip s;
	size_t got;

	if (spec_keys_plain(buf, len, off, &got))
		return spec_keys_hash_bytes(h, buf + off + 1, got);
	spec_keys_sip_init(&s, h->k0, h->k1);
	gojson_string_open(&r, buf, len, off);
	while ((got = gojson_string_read(&r, chunk, sizeof(chunk))) > 0)
		spec_keys_sip_update(&s, chunk, got);
	return spec_keys_hash_done(h, &s);
}

/* glibc makes its stack protector canary and pointer guard from the same
 * AT_RANDOM bytes: the hash key is derived from them through SipHash, never
 * taken as is, so that what a file might learn of the hash (through timing
 * at best) says nothing about those. Without AT_RANDOM the key is fixed: the
 * check stays exact and O(n log n), only collisions become choosable. */
void spec_keys_init(struct spec_keys *k, const struct spec_keys_hash *h)
{
	const void *random = (const void *)getauxval(AT_RANDOM);
	struct spec_keys_hash secret = { 0x6e73677561726421ull, 0x737065635f6b6579ull, 64 };

	*k = (struct spec_keys){ 0 };
	if (h) {
		k->hash = *h;
		return;
	}
	if (random) {
		memcpy(&secret.k0, random, 8);
		memcpy(&secret.k1, (const char *)random + 8, 8);
	}
	k->hash = (struct spec_keys_hash){ spec_keys_hash_bytes(&secret, "nsguard spec_keys k0", 20),
					   spec_keys_hash_bytes(&secret, "nsguard spec_keys k1", 20), 64 };
}

/* --- where a key is, and what it reads as ---------------------------------------- */

/* The opening quote of the string token that ends at buf[end - 1]. Inside a
 * string a quote is always escaped, i.e. follows an odd run of backslashes;
 * the opening one follows '{', ',' or a blank. */
static bool spec_keys_opening_quote(const char *buf, size_t len, size_t end, size_t *ret)
{
	if (end < 2 || end > len || buf[end - 1] != '"')
		return false;
	for (size_t i = end - 1; i-- > 0;) {
		size_t backslashes = 0;

		if (buf[i] != '"')
			continue;
		while (backslashes < i && buf[i - 1 - backslashes] == '\\')
			backslashes++;
		if (backslashes % 2 == 0) {
			*ret = i;
			return true;
		}
	}
	return false;
}

/* Does the string at buf[off] decode to s[0..n)? */
static bool spec_keys_reads_as(const char *buf, size_t len, size_t off, const char *s, size_t n)
{
	unsigned char chunk[SPEC_KEYS_CHUNK];
	struct gojson_string r;
	size_t got, at = 0;

	if (spec_keys_plain(buf, len, off, &got))
		return got == n && memcmp(buf + off + 1, s, n) == 0;
	gojson_string_open(&r, buf, len, off);
	while ((got = gojson_string_read(&r, chunk, sizeof(chunk))) > 0) {
		if (got > n - at || memcmp(chunk, s + at, got) != 0)
			return false;
		at += got;
	}
	return at == n;
}

/* The keys at buf[a] and buf[b] in the order of their decoded bytes. */
static int spec_keys_order(const char *buf, size_t len, size_t a, size_t b)
{
	unsigned char ca[SPEC_KEYS_CHUNK], cb[SPEC_KEYS_CHUNK];
	struct gojson_string ra, rb;

	gojson_string_open(&ra, buf, len, a);
	gojson_string_open(&rb, buf, len, b);
	for (;;) {
		/* Both chunks are full until a key ends. */
		size_t na = gojson_string_read(&ra, ca, sizeof(ca)), nb = gojson_string_read(&rb, cb, sizeof(cb));
		int c = memcmp(ca, cb, na < nb ? na : nb);

		if (c)
			return c;
		if (na != nb)
			return na < nb ? -1 : 1;
		if (na == 0)
			return 0;
	}
}

int spec_keys_add(struct spec_keys *k, const char *buf, size_t len, size_t end, const char *key, size_t key_len)
{
	size_t off;
	uint64_t h;

	/* The check reads keys again from the document: they must read as what
	 * the parse saw, or a duplicate could hide behind a difference. */
	if (!spec_keys_opening_quote(buf, len, end, &off) || off >= SPEC_KEYS_MAX_INPUT ||
	    !spec_keys_reads_as(buf, len, off, key, key_len))
		return -1;
	/* Each key has an offset of its own below 2^24: cap cannot overflow. */
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->at = nsg_realloc(k->at, k->cap * sizeof(*k->at));
	}
	h = spec_keys_hash_bytes(&k->hash, key, key_len);
	k->at[k->n++] = (uint32_t)(h >> 56) << 24 | (uint32_t)off;
	return 0;
}

size_t spec_keys_text(const char *buf, size_t len, size_t off, char *out, size_t cap)
{
	struct gojson_string r;

	gojson_string_open(&r, buf, len, off);
	return gojson_string_read(&r, (unsigned char *)out, cap);
}

void spec_keys_free(struct spec_keys *k)
{
	free(k->at);
	*k = (struct spec_keys){ 0 };
}

/* --- finding duplicates ------------------------------------------------------------ */

/* How spec_keys_heapsort() orders entries: as numbers, or (by_text) by the
 * decoded bytes of the keys whose offsets are their low 24 bits, then by
 * place in the document. */
struct spec_keys_sorting {
	const char *buf;
	size_t len;
	bool by_text;
};

static bool spec_keys_less(uint64_t x, uint64_t y, const struct spec_keys_sorting *o)
{
	size_t a = x & SPEC_KEYS_OFF_MASK, b = y & SPEC_KEYS_OFF_MASK;
	int c;

	if (!o->by_text)
		return x < y;
	c = spec_keys_order(o->buf, o->len, a, b);
	return c ? c < 0 : a < b;
}

static void spec_keys_sift(uint64_t *a, size_t root, size_t n, const struct spec_keys_sorting *o)
{
	uint64_t v = a[root];
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && spec_keys_less(a[child], a[child + 1], o))
			child++;
		if (!spec_keys_less(v, a[child], o))
			break;
		a[root] = a[child];
		root = child;
	}
	a[root] = v;
}

static void spec_keys_heapsort(uint64_t *a, size_t n, const struct spec_keys_sorting *o)
{
	for (size_t i = n / 2; i-- > 0;)
		spec_keys_sift(a, i, n, o);
	for (size_t end = n; end-- > 1;) {
		uint64_t top = a[0];

		a[0] = a[end];
		a[end] = top;
		spec_keys_sift(a, 0, end, o);
	}
}

/* Numbers: quicksort with a median of three, insertion sort for short
 * ranges, and heapsort once depth says the pivots were bad. */
static void spec_keys_sort_values(uint64_t *a, size_t n, unsigned depth)
{
	static const struct spec_keys_sorting by_value = { 0 };

	while (n > 16) {
		uint64_t x = a[0], y = a[n / 2], z = a[n - 1], pivot;
		size_t i = 0, j = n - 1;

		if (depth-- == 0) {
			spec_keys_heapsort(a, n, &by_value);
			return;
		}
		pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
		for (;; i++, j--) {
			uint64_t t;

			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
		spec_keys_sort_values(a + j + 1, n - j - 1, depth);
		n = j + 1;
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t v = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* in[0..n) sorted into out[0..n): by the top byte in one counting pass,
 * then each range of equal top bytes (short, for hashes) on its own. */
static void spec_keys_sort_hashes(const uint64_t *in, uint64_t *out, size_t n)
{
	size_t next[257] = { 0 }, start = 0;

	for (size_t i = 0; i < n; i++)
		next[(in[i] >> 56) + 1]++;
	for (size_t b = 1; b < 257; b++)
		next[b] += next[b - 1];
	for (size_t i = 0; i < n; i++)
		out[next[in[i] >> 56]++] = in[i];
	/* next[b] is now where range b ends. */
	for (size_t b = 0; b < 256; b++) {
		spec_keys_sort_values(out + start, next[b] - start, 2 * 24); /* 2 log2 n, n < 2^24 */
		start = next[b];
	}
}

/* Group at[0..n) in place by its top 8 bits (American flag sort): group g
 * is at[bound[g]..bound[g + 1]). Returns the size of the largest group. */
static size_t spec_keys_group(uint32_t *at, size_t n, size_t bound[257])
{
	size_t count[256] = { 0 }, next[256], largest = 0;

	for (size_t i = 0; i < n; i++)
		count[at[i] >> 24]++;
	bound[0] = 0;
	for (size_t g = 0; g < 256; g++) {
		next[g] = bound[g];
		bound[g + 1] = bound[g] + count[g];
		largest = count[g] > largest ? count[g] : largest;
	}
	for (size_t g = 0; g < 256; g++)
		while (next[g] < bound[g + 1]) {
			uint32_t v = at[next[g]];
			size_t to = v >> 24;

			if (to == g) {
				next[g]++;
				continue;
			}
			at[next[g]] = at[next[to]];
			at[next[to]++] = v;
		}
	return largest;
}

struct spec_keys_best {
	size_t later, earlier; /* later SIZE_MAX: none found yet */
};

/* Keys with equal hashes: sorted by their bytes, equal ones are adjacent and
 * in document order, so each is next to the closest earlier equal key. */
static void spec_keys_check_run(uint64_t *run, size_t n, const struct spec_keys_sorting *d, struct spec_keys_best *best)
{
	struct spec_keys_sorting by_text = { d->buf, d->len, true };

	spec_keys_heapsort(run, n, &by_text);
	for (size_t i = 1; i < n; i++) {
		size_t a = run[i - 1] & SPEC_KEYS_OFF_MASK, b = run[i] & SPEC_KEYS_OFF_MASK;

		if (b < best->later && spec_keys_order(d->buf, d->len, a, b) == 0)
			*best = (struct spec_keys_best){ b, a };
	}
}

/* One group of keys whose hashes share their top 8 bits: tmp[0..n) holds,
 * per key, the next 40 bits over its offset, and is sorted into tmp[n..2n). */
static void spec_keys_check_group(const struct spec_keys *k, const uint32_t *at, size_t n, uint64_t *tmp,
				  const struct spec_keys_sorting *d, struct spec_keys_best *best)
{
	size_t j;

	for (size_t i = 0; i < n; i++) {
		size_t off = at[i] & SPEC_KEYS_OFF_MASK;
		uint64_t h = spec_keys_hash_at(&k->hash, d->buf, d->len, off);

		tmp[i] = ((h << 8) & ~(uint64_t)SPEC_KEYS_OFF_MASK) | off;
	}
	spec_keys_sort_hashes(tmp, tmp + n, n);
	tmp += n;
	for (size_t i = 0; i < n; i = j) {
		for (j = i + 1; j < n && tmp[j] >> 24 == tmp[i] >> 24; j++)
			;
		if (j - i > 1)
			spec_keys_check_run(tmp + i, j - i, d, best);
	}
}

bool spec_keys_find_dup(struct spec_keys *k, const char *buf, size_t len, size_t *ret_later, size_t *ret_earlier)
{
	struct spec_keys_best best = { SIZE_MAX, 0 };
	struct spec_keys_sorting d = { buf, len, false };
	cleanup_free uint64_t *tmp = NULL;
	size_t bound[257];

	if (k->n < 2)
		return false;
	tmp = nsg_calloc(spec_keys_group(k->at, k->n, bound), 2 * sizeof(*tmp));
	for (size_t g = 0; g < 256; g++)
		if (bound[g + 1] - bound[g] > 1)
			spec_keys_check_group(k, k->at + bound[g], bound[g + 1] - bound[g], tmp, &d, &best);
	if (best.later == SIZE_MAX)
		return false;
	*ret_later = best.later;
	*ret_earlier = best.earlier;
	return true;
}
