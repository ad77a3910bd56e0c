/* nsg-reader.c - how nsguard reads config.json, in go-reader.go's format.
 *
 * Each document of the batch goes through spec_parse_keep() with every
 * annotation kept, then through the sandbox's wire format (sandbox_encode and
 * sandbox_decode, without the fork), so that what is compared with Go's
 * reading is exactly what the deciding parent would get. See go-reader.go for
 * the input and output formats; the two must print identical lines for every
 * document nsguard accepts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "spec.h"

/* The order go-reader.go prints them in. */
static const char *const print_order[] = { "mount", "network", "pid", "ipc", "uts", "user", "cgroup", "time" };

static void esc(FILE *out, const char *s)
{
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p > 0x20 && *p < 0x7F && *p != '"' && *p != '\\')
			putc(*p, out);
		else
			fprintf(out, "\\x%02x", *p);
	putc('"', out);
}

static int annotation_cmp(const void *a, const void *b)
{
	return strcmp(((const struct spec_annotation *)a)->key, ((const struct spec_annotation *)b)->key);
}

static void print_idmaps(FILE *out, const char *name, const struct spec_idmaps *m)
{
	fprintf(out, " %s=[", name);
	for (size_t i = 0; i < m->n; i++)
		fprintf(out, "%s%u:%u:%u", i ? " " : "", (unsigned)m->maps[i].container_id,
			(unsigned)m->maps[i].host_id, (unsigned)m->maps[i].size);
	putc(']', out);
}

static void print_reading(FILE *out, struct spec *s)
{
	fputs(s->has_linux ? "linux" : "-", out);
	for (size_t i = 0; i < NSG_ARRAY_SIZE(print_order); i++) {
		int t = ns_type_from_name(print_order[i], strlen(print_order[i]));
		const struct spec_ns *ns = &s->ns[t];

		fprintf(out, " %s=", print_order[i]);
		if (ns->state == SPEC_NS_INHERITED) {
			fputs("inherited", out);
		} else if (ns->state == SPEC_NS_PRIVATE) {
			fputs("private", out);
		} else {
			fputs("joined:", out);
			esc(out, ns->path);
		}
	}
	print_idmaps(out, "uid", &s->idmaps[SPEC_IDMAP_UID]);
	print_idmaps(out, "gid", &s->idmaps[SPEC_IDMAP_GID]);
	qsort(s->annotations, s->n_annotations, sizeof(*s->annotations), annotation_cmp);
	fputs(" annotations={", out);
	for (size_t i = 0; i < s->n_annotations; i++) {
		if (i)
			putc(' ', out);
		esc(out, s->annotations[i].key);
		putc('=', out);
		esc(out, s->annotations[i].value);
	}
	putc('}', out);
}

static void read_one(FILE *out, size_t index, const char *doc, size_t len)
{
	cleanup_spec struct spec parsed = { 0 }, decoded = { 0 };
	struct nsg_err err = { .msg = "" };
	cleanup_free char *wire = NULL;
	size_t wire_len = 0;
	int r = spec_parse_keep(doc, len, NULL, 0, &parsed, &err);

	wire = sandbox_encode(&parsed, &err, r == 0, &wire_len);
	if (!wire) {
		fprintf(out, "%zu\terror\t\"cannot encode the result\"\n", index);
		return;
	}
	if (sandbox_decode(wire, wire_len, &decoded, &err) < 0) {
		fprintf(out, "%zu\terror\t", index);
		esc(out, err.msg);
		putc('\n', out);
		return;
	}
	fprintf(out, "%zu\t", index);
	print_reading(out, &decoded);
	putc('\n', out);
}

int main(int argc, char *argv[])
{
	cleanup_free char *doc = NULL;
	FILE *in = stdin;

	if (argc > 1 && !(in = fopen(argv[1], "re"))) {
		fprintf(stderr, "nsg-reader: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	for (size_t i = 0;; i++) {
		unsigned long len;
		int c;

		if ((c = getc(in)) == EOF)
			break;
		ungetc(c, in);
		if (fscanf(in, "%lu", &len) != 1 || getc(in) != '\n' || len > 64UL * 1024 * 1024) {
			fprintf(stderr, "nsg-reader: document %zu: bad length line\n", i);
			return 2;
		}
		doc = nsg_realloc(doc, len + 1);
		if (fread(doc, 1, len, in) != len) {
			fprintf(stderr, "nsg-reader: document %zu: cut short\n", i);
			return 2;
		}
		read_one(stdout, i, doc, len);
	}
	return fflush(stdout) == 0 && !ferror(in) ? 0 : 2;
}
