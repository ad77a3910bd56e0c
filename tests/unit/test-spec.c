/* test-spec.c - config.json is read as runc's Go decoder reads it, and
 * everything on which the two could disagree is refused (SPEC.md section 3).
 *
 * Each case is one input and its exact outcome: either the error (a substring
 * that includes the line) or the whole result rendered as
 * "<linux|->;<non-inherited namespaces>;<annotations>", e.g.
 * "linux;network pid=/proc/1/ns/pid;a=b,c=d". Types not listed are inherited.
 * Id mappings, when there are any, follow as ";uid=C:H:S C:H:S;gid=C:H:S"
 * (containerID:hostID:size, a kind without mappings left out).
 */
#include "spec.h"
#include "spec_keys.h"
#include "tap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct spec_case {
	const char *name;
	const char *json;
	size_t len;
	const char *want; /* rendered result, or NULL when err is expected */
	const char *err;
};

#define J(s) s, sizeof(s) - 1
#define X10  "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define OK(name, json, want)                                                                                           \
	{                                                                                                              \
		name, J(json), want, NULL                                                                              \
	}
#define ERR(name, json, err)                                                                                           \
	{                                                                                                              \
		name, J(json), NULL, err                                                                               \
	}

static void render(const struct spec *s, char *out, size_t size)
{
	size_t o = 0;
	const char *sep = "";

	o += (size_t)snprintf(out + o, size - o, "%s;", s->has_linux ? "linux" : "-");
	for (size_t i = 0; i < NS_TYPE_COUNT && o < size; i++) {
		if (s->ns[i].state == SPEC_NS_INHERITED)
			continue;
		o += (size_t)snprintf(out + o, size - o, "%s%s", sep, ns_infos[i].name);
		if (s->ns[i].state == SPEC_NS_JOINED && o < size)
			o += (size_t)snprintf(out + o, size - o, "=%s", s->ns[i].path);
		sep = " ";
	}
	if (o < size)
		o += (size_t)snprintf(out + o, size - o, ";");
	for (size_t i = 0; i < s->n_annotations && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s=%s", i ? "," : "", s->annotations[i].key,
				      s->annotations[i].value);
	for (size_t k = 0; k < SPEC_IDMAP_KINDS; k++)
		for (size_t i = 0; i < s->idmaps[k].n && o < size; i++) {
			const struct spec_idmap *m = &s->idmaps[k].maps[i];

			o += (size_t)snprintf(out + o, size - o, "%s%" PRIu32 ":%" PRIu32 ":%" PRIu32,
					      i			    ? " "
					      : k == SPEC_IDMAP_UID ? ";uid="
								    : ";gid=",
					      m->container_id, m->host_id, m->size);
		}
}

static const struct spec_case cases[] = {
	/* What is there, and what is not. */
	OK("empty object", "{}", "-;;"),
	OK("no linux: every type inherited", "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"]}}", "-;;"),
	OK("linux without namespaces: inherited", "{\"linux\":{\"cgroupsPath\":\"/x\"}}", "linux;;"),
	OK("empty namespaces: inherited", "{\"linux\":{\"namespaces\":[]}}", "linux;;"),
	OK("entry without path: private", "{\"linux\":{\"namespaces\":[{\"type\":\"network\"}]}}", "linux;network;"),
	OK("empty path: private", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"\"}]}}", "linux;pid;"),
	OK("absolute path: joined",
	   "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"/var/run/netns/a\"}]}}",
	   "linux;network=/var/run/netns/a;"),
	OK("path before type", "{\"linux\":{\"namespaces\":[{\"path\":\"/proc/1/ns/ipc\",\"type\":\"ipc\"}]}}",
	   "linux;ipc=/proc/1/ns/ipc;"),
	OK("escaped slashes in path", "{\"linux\":{\"namespaces\":[{\"type\":\"uts\",\"path\":\"\\/run\\/x\"}]}}",
	   "linux;uts=/run/x;"),
	OK("all eight types",
	   "{\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"pid\"},{\"type\":"
	   "\"ipc\"},"
	   "{\"type\":\"uts\"},{\"type\":\"user\"},{\"type\":\"cgroup\"},{\"type\":\"time\"}]}}",
	   "linux;network pid ipc user mount uts cgroup time;"),
	OK("other keys of an entry are skipped",
	   "{\"linux\":{\"namespaces\":[{\"type\":\"ipc\",\"x\":{\"type\":\"pid\",\"path\":null}}]}}", "linux;ipc;"),
	OK("other keys of any type are skipped",
	   "{\"process\":null,\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"x\":[1,2.5e3,-0,{\"a\":[null,false]}],"
	   "\"linux\":{\"sysctl\":null,\"namespaces\":[],\"uidMappings\":[{\"size\":1}]},"
	   "\"big\":123456789012345678901234567890}",
	   "linux;;;uid=0:0:1"),
	OK("duplicate keys nsguard does not read are runc's business", "{\"ociVersion\":\"1\",\"ociVersion\":\"2\"}",
	   "-;;"),
	OK("trailing whitespace", "{}\n \t\r\n", "-;;"),

	/* Go matches struct fields case-insensitively. */
	OK("LINUX", "{\"LINUX\":{\"namespaces\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("Linux", "{\"Linux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("Namespaces", "{\"linux\":{\"Namespaces\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("TYPE and pAth", "{\"linux\":{\"namespaces\":[{\"TYPE\":\"pid\",\"pAth\":\"/p\"}]}}", "linux;pid=/p;"),
	OK("ANNOTATIONS", "{\"ANNOTATIONS\":{\"a\":\"b\"}}", "-;;a=b"),
	OK("U+017F long s in namespaces", "{\"linux\":{\"nameſpaces\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("U+017F long s in NAMESPACES", "{\"linux\":{\"NAMEſPACEſ\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("U+017F long s in annotations", "{\"annotationſ\":{\"a\":\"b\"}}", "-;;a=b"),
	OK("escaped U+017F", "{\"linux\":{\"name\\u017fpaces\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("escaped key \\u006cinux", "{\"\\u006cinux\":{\"namespaces\":[{\"type\":\"pid\"}]}}", "linux;pid;"),
	OK("escaped key \\u0074ype", "{\"linux\":{\"namespaces\":[{\"\\u0074ype\":\"pid\"}]}}", "linux;pid;"),
	OK("Kelvin sign folds only to k: no field here has one", "{\"linuK\":{},\"\\u212Aey\":1}", "-;;"),
	OK("long s where the field has no s", "{\"linuſ\":{\"namespaces\":[{\"type\":\"pid\"}]}}", "-;;"),
	OK("near misses are other keys", "{\"linuxx\":null,\"linu\":null,\"li nux\":null,\"linux_\":null}", "-;;"),

	/* Keys that one case mapping or another would read as a field. */
	ERR("dotless i in linux", "{\"lınux\":{}}", "line 1: key \"lınux\" spells \"linux\" with U+0131"),
	ERR("dotted I in linux", "{\"lİnux\":{}}", "line 1: key \"lİnux\" spells \"linux\" with U+0130"),
	ERR("escaped dotted I", "{\"l\\u0130nux\":{}}", "spells \"linux\" with U+0130"),
	ERR("dotless i in annotations", "{\"annotatıons\":{}}", "spells \"annotations\" with U+0131"),
	ERR("dotted I in ANNOTATIONS", "{\"ANNOTATİONS\":{}}", "spells \"annotations\" with U+0130"),

	/* Two keys for one field, at every level. */
	ERR("linux and Linux", "{\n  \"linux\": {},\n  \"Linux\": {}\n}",
	    "line 3: duplicate key \"Linux\" (Go reads it as the same field as \"linux\" on line 2)"),
	ERR("linux twice via an escape", "{\"linux\":{},\"\\u006cinux\":{}}", "duplicate key \"linux\""),
	ERR("annotations and annotationſ", "{\"annotations\":{},\"annotationſ\":{}}", "duplicate key \"annotationſ\""),
	ERR("namespaces and Namespaces", "{\"linux\":{\"namespaces\":[],\"Namespaces\":[]}}",
	    "duplicate key \"Namespaces\" (Go reads it as the same field as \"namespaces\""),
	ERR("type twice", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\n\"type\":\"pid\"}]}}",
	    "line 2: duplicate key \"type\""),
	ERR("type and TYPE", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"TYPE\":\"network\"}]}}",
	    "duplicate key \"TYPE\""),
	ERR("path and Path", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"\",\"Path\":\"/p\"}]}}",
	    "duplicate key \"Path\""),
	ERR("annotation twice", "{\"annotations\":{\n\"a\":\"1\",\n\"b\":\"2\",\n\"a\":\"3\"}}",
	    "line 4: duplicate annotation \"a\" (also on line 2)"),
	ERR("annotation twice via an escape", "{\"annotations\":{\"io.x\":\"1\",\"io.\\u0078\":\"2\"}}",
	    "duplicate annotation \"io.x\""),
	OK("annotation keys are case-sensitive", "{\"annotations\":{\"a\":\"1\",\"A\":\"2\",\"a.\":\"3\"}}",
	   "-;;a=1,A=2,a.=3"),
	/* Annotation keys are compared as Go decodes them, not as written. */
	ERR("SPEC 3: \"a\" and \"\\u0061\" are one annotation key",
	    "{\"annotations\":{\"a\":\"1\",\n\"\\u0061\":\"2\"}}",
	    "line 2: duplicate annotation \"a\" (also on line 1)"),
	ERR("SPEC 3: \"\\/x\" and \"/x\" are one annotation key", "{\"annotations\":{\"\\/x\":\"1\",\n\n\"/x\":\"2\"}}",
	    "line 3: duplicate annotation \"/x\" (also on line 1)"),
	ERR("SPEC 3: \\u escapes of 2, 3 and 4 bytes (a surrogate pair) match raw UTF-8 in annotation keys",
	    "{\"annotations\":{\"\\u00E9\\u20ac\\ud83d\\ude00\":\"\",\n\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\":\"\"}}",
	    "line 2: duplicate annotation \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\" (also on line 1)"),
	ERR("SPEC 3: escaped quote, backslash and control characters in annotation keys",
	    "{\"annotations\":{\"q\\\"\\\\\\n\\t\":\"\",\"x\":\"\",\"q\\u0022\\u005c\\u000A\\u0009\":\"\"}}",
	    "line 1: duplicate annotation \"q\"\\\n\t\" (also on line 1)"),
	OK("SPEC 3: keys that differ after decoding are not duplicates",
	   "{\"annotations\":{\"\\u00e9\":\"1\",\"e\\u0301\":\"2\",\"\\\\u0061\":\"3\",\"a\":\"4\",\"\\/"
	   "\":\"5\",\"\\\\\":\"6\",\"\":\"7\",\"\\u0020\":\"8\",\"ab\":\"9\",\"ba\":\"10\","
	   "\"a\\\"\":\"11\",\"a\\\\\":\"12\",\"\\ud83d\\ude01\":\"13\"}}",
	   "-;;\xC3\xA9=1,e\xCC\x81=2,\\u0061=3,a=4,/=5,\\=6,=7, =8,ab=9,ba=10,a\"=11,a\\=12,\xF0\x9F\x98\x81=13"),
	ERR("SPEC 3: an empty annotation key twice", "{\"annotations\":{\"\":\"1\",\n\"\":\"2\"}}",
	    "line 2: duplicate annotation \"\" (also on line 1)"),
	/* Which duplicate is named: the earliest key that repeats one before it. */
	ERR("SPEC 3: of several duplicates, the earliest repeat is named",
	    "{\"annotations\":{\"x\":\"1\",\"y\":\"2\",\n\"z\":\"3\",\n\"y\":\"4\",\n\"x\":\"5\",\n\"z\":\"6\"}}",
	    "line 3: duplicate annotation \"y\" (also on line 1)"),
	ERR("SPEC 3: a kept key and an escaped spelling of it are one key",
	    "{\"annotations\":{\"io.nsguard.allow\":\"pid\",\n\"io.nsguard.\\u0061llow\":\"network\"}}",
	    "line 2: duplicate annotation \"io.nsguard.allow\" (also on line 1)"),
	ERR("SPEC 3: a key three times: its second occurrence, with its first",
	    "{\"annotations\":{\"a\":\"1\",\n\"b\":\"2\",\n\"\\u0061\":\"3\",\n\"a\":\"4\"}}",
	    "line 3: duplicate annotation \"a\" (also on line 1)"),
	ERR("SPEC 3: a long duplicate annotation key is cut short in the message",
	    "{\"annotations\":{\"" X100 "\":\"\",\"" X10 "\\u0078" X10 X10 X10 X10 X10 X10 X10 X10 "xxxxxxxxx\":\"\"}}",
	    "duplicate annotation \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" (also on "
	    "line 1)"),
	ERR("SPEC 3: a value of the wrong type names its key, cut short", "{\"annotations\":{\"" X100 "\":1}}",
	    "annotation \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\" must be a string"),

	/* null where Go would read "absent". */
	ERR("linux null", "{\n\"linux\": null}", "line 2: \"linux\" is null"),
	ERR("annotations null", "{\"annotations\":null}", "\"annotations\" is null"),
	ERR("namespaces null", "{\"linux\":{\"namespaces\":null}}", "\"linux.namespaces\" is null"),
	ERR("namespace entry null", "{\"linux\":{\"namespaces\":[null]}}",
	    "line 1: an entry of \"linux.namespaces\" must be an object, not null"),
	ERR("type null", "{\"linux\":{\"namespaces\":[{\"type\":null}]}}", "namespace \"type\" is null"),
	ERR("path null", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":null}]}}",
	    "namespace \"path\" is null"),
	ERR("annotation value null", "{\"annotations\":{\"io.nsguard.allow\":null}}",
	    "annotation \"io.nsguard.allow\" is null"),
	ERR("top-level null", "null", "line 1: the top-level JSON value must be an object, not null"),

	/* Wrong JSON types. */
	ERR("linux array", "{\"linux\":[]}", "\"linux\" must be an object, not an array"),
	ERR("linux string", "{\"linux\":\"x\"}", "\"linux\" must be an object, not a string"),
	ERR("linux number", "{\"linux\":1}", "\"linux\" must be an object, not a number"),
	ERR("linux boolean", "{\"linux\":true}", "\"linux\" must be an object, not a boolean"),
	ERR("namespaces object", "{\"linux\":{\"namespaces\":{}}}",
	    "\"linux.namespaces\" must be an array, not an object"),
	ERR("namespaces string", "{\"linux\":{\"namespaces\":\"pid\"}}", "\"linux.namespaces\" must be an array"),
	ERR("entry string", "{\"linux\":{\"namespaces\":[\"network\"]}}",
	    "an entry of \"linux.namespaces\" must be an object, not a string"),
	ERR("entry array", "{\"linux\":{\"namespaces\":[[]]}}", "must be an object, not an array"),
	ERR("type number", "{\"linux\":{\"namespaces\":[{\"type\":1}]}}",
	    "namespace \"type\" must be a string, not a number"),
	ERR("type object", "{\"linux\":{\"namespaces\":[{\"type\":{}}]}}",
	    "namespace \"type\" must be a string, not an object"),
	ERR("path array", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":[]}]}}",
	    "namespace \"path\" must be a string, not an array"),
	ERR("path boolean", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":false}]}}",
	    "namespace \"path\" must be a string, not a boolean"),
	ERR("annotations array", "{\"annotations\":[]}", "\"annotations\" must be an object, not an array"),
	ERR("annotations string", "{\"annotations\":\"a=b\"}", "\"annotations\" must be an object, not a string"),
	ERR("annotation value number", "{\"annotations\":{\"a\":1}}",
	    "annotation \"a\" must be a string, not a number"),
	ERR("annotation value object", "{\"annotations\":{\"a\":{}}}",
	    "annotation \"a\" must be a string, not an object"),
	ERR("annotation value boolean", "{\"annotations\":{\"a\":true}}",
	    "annotation \"a\" must be a string, not a boolean"),
	ERR("top-level array", "[]", "line 1: the top-level JSON value must be an object, not an array"),
	ERR("top-level string", "\"x\"", "the top-level JSON value must be an object, not a string"),
	ERR("top-level number", "\n12", "line 2: the top-level JSON value must be an object, not a number"),

	/* Namespace entries runc would read differently or reject. */
	ERR("type in upper case", "{\"linux\":{\"namespaces\":[\n{\"type\":\"NETWORK\"}]}}",
	    "line 2: namespace type \"NETWORK\" is not one of network, pid, ipc, user, mount, uts, cgroup, time"),
	ERR("type by /proc name", "{\"linux\":{\"namespaces\":[{\"type\":\"net\"}]}}",
	    "namespace type \"net\" is not one of"),
	ERR("type empty", "{\"linux\":{\"namespaces\":[{\"type\":\"\"}]}}", "namespace type \"\" is not one of"),
	ERR("type with a space", "{\"linux\":{\"namespaces\":[{\"type\":\"pid \"}]}}",
	    "namespace type \"pid \" is not"),
	/* The message repeats the bytes as decoded: they are escaped once, at
	 * the output edge (escape.h), never here. */
	ERR("type in message as decoded", "{\"linux\":{\"namespaces\":[{\"type\":\"a\\nb\\\"\"}]}}",
	    "line 1: namespace type \"a\nb\"\" is not one of"),
	ERR("type with C1 control in message as decoded", "{\"linux\":{\"namespaces\":[{\"type\":\"a\\u009b2J\"}]}}",
	    "line 1: namespace type \"a\xC2\x9B"
	    "2J\" is not one of"),
	ERR("long type cut short in message", "{\"linux\":{\"namespaces\":[{\"type\":\"" X100 "\"}]}}",
	    "namespace type \"xxxxxxxxxx"),
	ERR("same type twice",
	    "{\"linux\":{\"namespaces\":[\n{\"type\":\"pid\"},\n{\"type\":\"pid\",\"path\":\"/p\"}]}}",
	    "line 3: namespace type \"pid\" appears twice in linux.namespaces (also on line 2)"),
	ERR("relative path", "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"proc/1/ns/net\"}]}}",
	    "namespace path \"proc/1/ns/net\" is not absolute"),
	ERR("dot-relative path", "{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"./ns\"}]}}",
	    "namespace path \"./ns\" is not absolute"),
	ERR("entry without type", "{\"linux\":{\"namespaces\":[\n{\"path\":\"/proc/1/ns/net\"\n}]}}",
	    "line 2: an entry of linux.namespaces has no \"type\""),
	ERR("empty entry", "{\"linux\":{\"namespaces\":[{}]}}", "has no \"type\""),

	/* Bytes that Go and yajl decode differently. */
	ERR("byte order mark", "\xEF\xBB\xBF{}", "line 1: the file starts with a UTF-8 byte order mark"),
	ERR("invalid UTF-8 in a key", "{\n\"li\xFFnux\":{}}", "line 2: invalid UTF-8 (byte 0xFF)"),
	ERR("invalid UTF-8 in a value", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"/a\xC0\xAF\"}]}}",
	    "invalid UTF-8 (byte 0xC0)"),
	ERR("invalid UTF-8 in an ignored field", "{\"hostname\":\"h\xE2\x82\"}", "invalid UTF-8 (byte 0xE2)"),
	ERR("UTF-8 encoded surrogate", "{\"x\":\"\xED\xA0\x80\"}", "invalid UTF-8 (byte 0xED)"),
	ERR("UTF-8 above U+10FFFF", "{\"x\":\"\xF4\x90\x80\x80\"}", "invalid UTF-8 (byte 0xF4)"),
	ERR("UTF-8 lead byte F5", "{\"x\":\"\xF5\x80\x80\x80\"}", "invalid UTF-8 (byte 0xF5)"),
	ERR("UTF-8 truncated at the end", "{\"x\":\"\xC3", "invalid UTF-8 (byte 0xC3)"),
	ERR("UTF-8 outside a string",
	    "{\"x\":\xC2\xA0"
	    "1}",
	    "malformed JSON"),
	OK("UTF-8 of every length and DEL",
	   "{\"annotations\":{\"k\":\"\x7F\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\"}}",
	   "-;;k=\x7F\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"),
	ERR("\\u0000 in a key", "{\"linux\\u0000\":{}}", "line 1: \\u0000 in a string"),
	ERR("\\u0000 in a value", "{\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"/p\\u0000x\"}]}}",
	    "\\u0000 in a string"),
	ERR("\\u0000 in an ignored string", "{\"hostname\":\"\\u0000\"}", "\\u0000 in a string"),
	OK("escaped backslash before u0000", "{\"annotations\":{\"a\":\"\\\\u0000\"}}", "-;;a=\\u0000"),
	ERR("lone high surrogate", "{\"x\":\"a\\ud800b\"}", "unpaired UTF-16 surrogate \\uD800"),
	ERR("lone high surrogate at the end", "{\"x\":\"\\uDBFF\"}", "unpaired UTF-16 surrogate \\uDBFF"),
	ERR("lone low surrogate", "{\"x\":\"\\udc00\"}", "unpaired UTF-16 surrogate \\uDC00"),
	ERR("high surrogate then not a low one", "{\"x\":\"\\ud800\\u0041\"}", "unpaired UTF-16 surrogate \\uD800"),
	ERR("two high surrogates", "{\"x\":\"\\ud800\\ud800\"}", "unpaired UTF-16 surrogate \\uD800"),
	ERR("surrogate pair reversed", "{\"x\":\"\\udc00\\ud800\"}", "unpaired UTF-16 surrogate \\uDC00"),
	OK("valid surrogate pair", "{\"annotations\":{\"e\":\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\":\"\"}}",
	   "-;;e=\xF0\x9F\x98\x80,\xF0\x9F\x98\x80="),
	ERR("invalid UTF-8 after a backslash", "{\"x\":\"\\\xFF\"}", "invalid UTF-8 (byte 0xFF)"),
	ERR("invalid escape", "{\"x\":\"\\x\"}", "malformed JSON: lexical error: inside a string, '\\' occurs before"),
	ERR("short \\u escape", "{\"x\":\"\\u12\"}", "malformed JSON"),
	ERR("vertical tab between tokens", "{\"linux\":\v{}}", "control character 0x0B"),
	ERR("form feed between tokens", "{\f}", "control character 0x0C"),

	/* Malformed JSON. */
	ERR("trailing data", "{}\nx", "line 2: malformed JSON: parse error: trailing garbage"),
	ERR("two objects", "{} {}", "malformed JSON: parse error: trailing garbage"),
	ERR("empty file", "", "line 1: malformed JSON: parse error: premature EOF"),
	ERR("only whitespace", "\n\n", "line 3: malformed JSON"),
	/* A premature end is reported on the last line that holds anything. */
	ERR("truncated", "{\"linux\":{\n\n", "line 1: malformed JSON: parse error: premature EOF"),
	ERR("comment", "{/* c */}", "malformed JSON: lexical error: probable comment found"),
	ERR("single quotes", "{'linux':{}}", "malformed JSON"),
	ERR("trailing comma", "{\"linux\":{},}", "malformed JSON"),
	ERR("raw control character in a string", "{\"x\":\"a\tb\"}", "malformed JSON"),
	ERR("raw NUL", "{\"x\":\"a\0b\"}", "malformed JSON"),

/* linux.uidMappings / gidMappings (SPEC.md section 3, read for the user
 * rule of section 4): hostID and size as Go reads a uint32. */
#define MAPS(body) "{\"linux\":{" body "}}"
	OK("uidMappings: one entry", MAPS("\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]"),
	   "linux;;;uid=0:100000:65536"),
	OK("uid and gid mappings, several, in file order",
	   MAPS("\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1},{\"containerID\":1,\"hostID\":200000,"
		"\"size\":65535}],\"uidMappings\":[{\"size\":2,\"hostID\":5,\"containerID\":7}]"),
	   "linux;;;uid=7:5:2;gid=0:1000:1 1:200000:65535"),
	OK("mapping fields omitted are 0, as Go leaves them", MAPS("\"uidMappings\":[{},{\"hostID\":3}]"),
	   "linux;;;uid=0:0:0 0:3:0"),
	OK("mapping: the uint32 limits", MAPS("\"uidMappings\":[{\"containerID\":4294967295,\"hostID\":0,\"size\":0}]"),
	   "linux;;;uid=4294967295:0:0"),
	OK("mappings null: a nil slice, as without the key", MAPS("\"uidMappings\":null,\"gidMappings\":null"),
	   "linux;;"),
	OK("mappings empty", MAPS("\"uidMappings\":[],\"gidMappings\":[]"), "linux;;"),
	OK("mapping keys fold: UIDMAPPINGS, HOSTid, ſize, ContainerId",
	   MAPS("\"UIDMAPPINGS\":[{\"HOSTid\":1,\"ſize\":2,\"ContainerId\":3}],\"gidMappingſ\":[{\"hoſtID\":4}]"),
	   "linux;;;uid=3:1:2;gid=0:4:0"),
	OK("mapping keys after \\u escapes", MAPS("\"\\u0075idMappings\":[{\"\\u0068ostID\":9,\"si\\u007Ae\":1}]"),
	   "linux;;;uid=0:9:1"),
	OK("other keys of a mapping are skipped",
	   MAPS("\"uidMappings\":[{\"hostID\":1,\"size\":1,\"x\":{\"hostID\":0},\"hostIDs\":-1.5,\"sizes\":null}]"),
	   "linux;;;uid=0:1:1"),
	OK("mount mappings are not linux's", "{\"mounts\":[{\"uidMappings\":[{\"hostID\":0,\"size\":1}]}]}", "-;;"),
	OK("top-level uidMappings is not linux's", "{\"uidMappings\":[{\"hostID\":0,\"size\":1}]}", "-;;"),
	ERR("hostID with a fraction", MAPS("\"uidMappings\":[{\"hostID\":1.0}]"),
	    "line 1: \"hostID\" of \"linux.uidMappings\" is \"1.0\"; Go reads it as a uint32"),
	ERR("hostID 0.0", MAPS("\"uidMappings\":[{\"hostID\":0.0}]"), "\"hostID\" of \"linux.uidMappings\" is \"0.0\""),
	ERR("size with an exponent", MAPS("\"gidMappings\":[{\"size\":1e3}]"),
	    "\"size\" of \"linux.gidMappings\" is \"1e3\""),
	ERR("size with an upper-case exponent", MAPS("\"gidMappings\":[{\"size\":1E0}]"), "is \"1E0\""),
	ERR("negative containerID", MAPS("\"uidMappings\":[{\"containerID\":-1}]"),
	    "\"containerID\" of \"linux.uidMappings\" is \"-1\""),
	ERR("hostID -0", MAPS("\"uidMappings\":[{\"hostID\":-0}]"), "is \"-0\""),
	ERR("hostID 2^32", MAPS("\"uidMappings\":[{\"hostID\":4294967296}]"), "is \"4294967296\""),
	ERR("size of 20 digits", MAPS("\"uidMappings\":[{\"size\":18446744073709551617}]"),
	    "is \"18446744073709551617\""),
	ERR("hostID leading zero", MAPS("\"uidMappings\":[{\"hostID\":01}]"), "malformed JSON"),
	ERR("hostID as a string", MAPS("\"uidMappings\":[{\"hostID\":\"0\"}]"),
	    "\"hostID\" of \"linux.uidMappings\" must be a number, not a string"),
	ERR("size boolean", MAPS("\"uidMappings\":[{\"size\":true}]"),
	    "\"size\" of \"linux.uidMappings\" must be a number"),
	ERR("size object", MAPS("\"uidMappings\":[{\"size\":{}}]"), "must be a number, not an object"),
	ERR("size array", MAPS("\"uidMappings\":[{\"size\":[1]}]"), "must be a number, not an array"),
	ERR("hostID null", MAPS("\"gidMappings\":[{\"hostID\":null}]"),
	    "\"hostID\" of \"linux.gidMappings\" is null; give a number or remove the key"),
	ERR("mapping entry null", MAPS("\"uidMappings\":[null]"),
	    "line 1: an entry of \"linux.uidMappings\" must be an object, not null"),
	ERR("mapping entry a number", MAPS("\"uidMappings\":[0]"),
	    "an entry of \"linux.uidMappings\" must be an object, not a number"),
	ERR("mapping entry an array", MAPS("\"gidMappings\":[[]]"),
	    "an entry of \"linux.gidMappings\" must be an object, not an array"),
	ERR("uidMappings an object", MAPS("\"uidMappings\":{\"hostID\":0}"),
	    "\"linux.uidMappings\" must be an array, not an object"),
	ERR("gidMappings a string", MAPS("\"gidMappings\":\"0 0 1\""),
	    "\"linux.gidMappings\" must be an array, not a string"),
	ERR("uidMappings a number", MAPS("\"uidMappings\":0"), "\"linux.uidMappings\" must be an array, not a number"),
	ERR("hostID twice", MAPS("\"uidMappings\":[{\"hostID\":1,\n\"hostID\":0}]"),
	    "line 2: duplicate key \"hostID\" (Go reads it as the same field as \"hostID\" on line 1)"),
	ERR("size and ſize", MAPS("\"uidMappings\":[{\"size\":1,\"ſize\":0}]"), "duplicate key \"ſize\""),
	ERR("containerID and CONTAINERid", MAPS("\"gidMappings\":[{\"containerID\":1,\"CONTAINERid\":0}]"),
	    "duplicate key \"CONTAINERid\""),
	ERR("uidMappings and UIDMappings", MAPS("\"uidMappings\":[],\"UIDMappings\":[{\"size\":1}]"),
	    "duplicate key \"UIDMappings\""),
	ERR("gidMappings null and then given", MAPS("\"gidMappings\":null,\"gidmappings\":[]"),
	    "duplicate key \"gidmappings\""),
	ERR("dotless i in containerID", MAPS("\"uidMappings\":[{\"contaınerID\":0}]"),
	    "spells \"containerid\" with U+0131"),
	ERR("dotted I in uidMappings", MAPS("\"uİdMappings\":[]"), "spells \"uidmappings\" with U+0130"),
#undef MAPS
};

/* The same outcome through what the deciding child runs (a keep list: other
 * keys are never copied), and with the duplicate check's hash cut to 8 bits
 * or none, so that only the exact comparison tells keys apart (SPEC 3, 12). */
static void test_case_variants(const struct spec_case *t, const char *outcome)
{
	static const char *const keep[] = { "io.nsguard.allow", "team" };
	static const struct {
		const char *what;
		bool keep;
		unsigned bits;
	} variants[] = { { "with a keep list", true, 64 },
			 { "with an 8-bit hash", false, 8 },
			 { "with every key colliding", false, 0 },
			 { "with a keep list and every key colliding", true, 0 } };

	for (size_t v = 0; v < NSG_ARRAY_SIZE(variants); v++) {
		struct spec_keys_hash hash = { 0x1234, 0x5678, variants[v].bits };
		cleanup_spec struct spec s = { 0 };
		struct nsg_err err = { .msg = "" };
		char got[1024];
		int r = spec_parse_keep_hashed(t->json, t->len, variants[v].keep ? keep : NULL,
					       variants[v].keep ? NSG_ARRAY_SIZE(keep) : 0, &hash, &s, &err);

		if (r == 0 && variants[v].keep) {
			ok(t->want != NULL, "%s: accepted %s", t->name, variants[v].what);
			continue;
		}
		if (r == 0)
			render(&s, got, sizeof(got));
		else
			snprintf(got, sizeof(got), "%s", err.msg);
		is_str(got, outcome, "%s: the same %s", t->name, variants[v].what);
	}
}

static void test_cases(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(cases); i++) {
		const struct spec_case *t = &cases[i];
		cleanup_spec struct spec s = { 0 };
		struct nsg_err err = { .msg = "" };
		char got[1024];
		int r = spec_parse(t->json, t->len, &s, &err);

		if (t->want) {
			if (!ok(r == 0, "%s: accepted", t->name))
				printf("#   error: %s\n", err.msg);
			render(&s, got, sizeof(got));
			is_str(got, t->want, "%s: result", t->name);
			test_case_variants(t, got);
		} else {
			is_int(r, -1, "%s: refused", t->name);
			like_str(err.msg, t->err, "%s: message", t->name);
			ok(s.n_annotations == 0 && !s.annotations && !s.has_linux && !s.idmaps[SPEC_IDMAP_UID].maps &&
				   !s.idmaps[SPEC_IDMAP_GID].maps,
			   "%s: result left empty", t->name);
			test_case_variants(t, err.msg);
		}
	}
}

/* A page of what Docker writes, with a joined network namespace. */
static const char docker_config[] =
	"{\n"
	"  \"ociVersion\": \"1.0.2-dev\",\n"
	"  \"process\": {\n"
	"    \"user\": { \"uid\": 0, \"gid\": 0, \"additionalGids\": [0, 1, 2, 3, 4, 6, 10] },\n"
	"    \"args\": [\"nginx\", \"-g\", \"daemon off;\"],\n"
	"    \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOSTNAME=web\"],\n"
	"    \"cwd\": \"/\",\n"
	"    \"capabilities\": {\n"
	"      \"bounding\": [\"CAP_CHOWN\", \"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"],\n"
	"      \"effective\": [\"CAP_CHOWN\", \"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"],\n"
	"      \"permitted\": [\"CAP_CHOWN\", \"CAP_NET_BIND_SERVICE\", \"CAP_KILL\"]\n"
	"    },\n"
	"    \"apparmorProfile\": \"docker-default\",\n"
	"    \"oomScoreAdj\": 0\n"
	"  },\n"
	"  \"root\": { \"path\": \"/var/lib/docker/overlay2/4f1c/merged\" },\n"
	"  \"hostname\": \"web\",\n"
	"  \"mounts\": [\n"
	"    { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\",\n"
	"      \"options\": [\"nosuid\", \"noexec\", \"nodev\"] },\n"
	"    { \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	"      \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"] },\n"
	"    { \"destination\": \"/etc/hosts\", \"type\": \"bind\",\n"
	"      \"source\": \"/var/lib/docker/containers/4f1c/hosts\", \"options\": [\"rbind\", \"rprivate\"] }\n"
	"  ],\n"
	"  \"hooks\": { \"prestart\": [ { \"path\": \"/proc/4242/exe\", \"args\": [\"libnetwork-setkey\", "
	"\"-exec-root=/var/run/docker\", \"4f1c\", \"b2a1\"] } ] },\n"
	"  \"linux\": {\n"
	"    \"sysctl\": { \"net.ipv4.ip_unprivileged_port_start\": \"0\" },\n"
	"    \"resources\": {\n"
	"      \"devices\": [ { \"allow\": false, \"access\": \"rwm\" },\n"
	"                   { \"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 5, \"access\": \"rwm\" } ],\n"
	"      \"memory\": { \"limit\": 536870912 }, \"cpu\": { \"shares\": 1024, \"quota\": -1 },\n"
	"      \"blockIO\": { \"weight\": 0 }\n"
	"    },\n"
	"    \"cgroupsPath\": \"system.slice:docker:4f1c\",\n"
	"    \"namespaces\": [\n"
	"      { \"type\": \"mount\" },\n"
	"      { \"type\": \"network\", \"path\": \"/var/run/docker/netns/default\" },\n"
	"      { \"type\": \"uts\" },\n"
	"      { \"type\": \"pid\" },\n"
	"      { \"type\": \"ipc\" },\n"
	"      { \"type\": \"cgroup\" }\n"
	"    ],\n"
	"    \"seccomp\": { \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
	"                 \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
	"                 \"syscalls\": [ { \"names\": [\"accept\", \"accept4\", \"access\"], \"action\": "
	"\"SCMP_ACT_ALLOW\" } ] },\n"
	"    \"maskedPaths\": [\"/proc/asound\", \"/proc/acpi\", \"/proc/kcore\", \"/proc/keys\", \"/sys/firmware\"],\n"
	"    \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"]\n"
	"  },\n"
	"  \"annotations\": {\n"
	"    \"io.nsguard.allow\": \"network\",\n"
	"    \"org.opencontainers.image.stopSignal\": \"SIGQUIT\",\n"
	"    \"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"\n"
	"  }\n"
	"}\n";

static void test_docker_config(void)
{
	cleanup_spec struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };
	char got[1024];

	is_int(spec_parse(docker_config, strlen(docker_config), &s, &err), 0, "docker config: accepted");
	render(&s, got, sizeof(got));
	is_str(got,
	       "linux;network=/var/run/docker/netns/default pid ipc mount uts cgroup;"
	       "io.nsguard.allow=network,org.opencontainers.image.stopSignal=SIGQUIT,"
	       "io.kubernetes.cri.sandbox-namespace=kube-system",
	       "docker config: result");
	is_int(s.ns[NS_USER].state, SPEC_NS_INHERITED, "docker config: user inherited");
	is_int(s.ns[NS_TIME].state, SPEC_NS_INHERITED, "docker config: time inherited");
	is_str(spec_annotation(&s, "io.nsguard.allow"), "network", "docker config: allow annotation");
	is_str(spec_annotation(&s, "io.kubernetes.cri.sandbox-namespace"), "kube-system",
	       "docker config: k8s annotation");
	is_str(spec_annotation(&s, "IO.NSGUARD.ALLOW"), NULL, "annotation lookup is exact");
	is_str(spec_annotation(&s, "io.nsguard"), NULL, "annotation lookup: prefix is not a match");
}

/* {"a":[[...]]}: levels of nesting in all, the top-level object included. */
static char *nested_arrays(unsigned levels, size_t *ret_len)
{
	size_t n = levels - 1, len = 0;
	char *s = malloc(2 * n + 16);

	len += (size_t)sprintf(s, "{\"a\":");
	memset(s + len, '[', n);
	len += n;
	memset(s + len, ']', n);
	len += n;
	s[len++] = '}';
	s[len] = '\0';
	*ret_len = len;
	return s;
}

static void test_depth(void)
{
	struct {
		unsigned levels;
		int want;
	} rows[] = { { 2, 0 }, { SPEC_MAX_DEPTH, 0 }, { SPEC_MAX_DEPTH + 1, -1 }, { 100000, -1 } };

	for (size_t i = 0; i < NSG_ARRAY_SIZE(rows); i++) {
		cleanup_spec struct spec s = { 0 };
		struct nsg_err err = { .msg = "" };
		size_t len;
		cleanup_free char *json = nested_arrays(rows[i].levels, &len);
		int r = spec_parse(json, len, &s, &err);

		is_int(r, rows[i].want, "depth %u of arrays: %s", rows[i].levels,
		       rows[i].want ? "refused" : "accepted");
		if (rows[i].want)
			like_str(err.msg, "line 1: JSON nesting is deeper than 1000 levels", "depth %u: message",
				 rows[i].levels);
	}
}

/* Objects count too, and so do the levels nsguard interprets. */
static void test_depth_objects(void)
{
	for (unsigned extra = 0; extra < 2; extra++) {
		/* {"linux":{"x":{"x":...{}...}}}: 2 + n levels */
		unsigned n = SPEC_MAX_DEPTH - 2 + extra;
		size_t cap = 16 + n * 6, len = 0;
		cleanup_free char *json = malloc(cap);
		cleanup_spec struct spec s = { 0 };
		struct nsg_err err = { .msg = "" };
		int r;

		len += (size_t)sprintf(json, "{\"linux\":");
		for (unsigned i = 0; i < n; i++)
			len += (size_t)sprintf(json + len, "{\"x\":");
		len += (size_t)sprintf(json + len, "{}");
		for (unsigned i = 0; i < n; i++)
			json[len++] = '}';
		json[len++] = '}';
		r = spec_parse(json, len, &s, &err);
		is_int(r, extra ? -1 : 0, "depth %u of objects under linux: %s", n + 2, extra ? "refused" : "accepted");
		if (extra)
			like_str(err.msg, "deeper than 1000 levels", "depth %u of objects: message", n + 2);
		else
			ok(s.has_linux, "depth %u of objects: linux seen", n + 2);
	}
}

static void test_size(void)
{
	size_t len = SPEC_MAX_SIZE;
	cleanup_free char *json = malloc(len + 2);
	cleanup_spec struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };

	memcpy(json, "{\"a\":\"", 6);
	memset(json + 6, 'x', len - 8);
	memcpy(json + len - 2, "\"}", 2);
	is_int(spec_parse(json, len, &s, &err), 0, "exactly %d bytes: accepted", SPEC_MAX_SIZE);
	spec_free(&s);
	memcpy(json + len - 2, "x\"}", 3);
	is_int(spec_parse(json, len + 1, &s, &err), -1, "one byte over the limit: refused");
	like_str(err.msg, "over the limit of 16 MiB", "one byte over the limit: message");
}

static void test_free(void)
{
	struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };
	const char *json =
		"{\"annotations\":{\"a\":\"b\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\",\"path\":\"/p\"}]}}";

	spec_free(&s);
	ok(s.annotations == NULL && s.n_annotations == 0, "spec_free on a zeroed spec");
	is_int(spec_parse(json, strlen(json), &s, &err), 0, "parse for spec_free");
	spec_free(&s);
	ok(s.annotations == NULL && s.ns[NS_PID].path == NULL && !s.has_linux, "spec_free resets the spec");
	spec_free(&s);
	ok(1, "spec_free twice");
	is_str(spec_annotation(&s, "a"), NULL, "spec_annotation on an empty spec");
}

/* Errors after partial results leave nothing behind (ASan checks the leaks). */
static void test_no_leak_on_error(void)
{
	const char *json = "{\"annotations\":{\"a\":\"b\",\"c\":\"d\"},\"linux\":{\"namespaces\":"
			   "[{\"type\":\"pid\",\"path\":\"/p\"},{\"path\":\"/q\",\"type\":\"bogus\"}]}}";
	struct spec s;
	struct nsg_err err = { .msg = "" };

	memset(&s, 0xA5, sizeof(s));
	is_int(spec_parse(json, strlen(json), &s, &err), -1, "error after partial results: refused");
	ok(s.annotations == NULL && s.ns[NS_PID].path == NULL && s.n_annotations == 0,
	   "error after partial results: result zeroed");
	like_str(err.msg, "namespace type \"bogus\"", "error after partial results: message");
}

/* Strings from the file are echoed short and escaped. */
static void test_message_quoting(void)
{
	const char *json = "{\"linux\":{\"namespaces\":[{\"type\":\"" X100 X100 "\"}]}}";
	cleanup_spec struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };

	is_int(spec_parse(json, strlen(json), &s, &err), -1, "200-byte type: refused");
	like_str(err.msg, "xxx...\" is not one of", "200-byte type: cut short with ...");
	ok(strlen(err.msg) < 200, "200-byte type: message stays short (%zu bytes)", strlen(err.msg));
}

/* SPEC_MAX_IDMAPS entries are read, one more is refused (SPEC.md section 3:
 * limits on every count an outsider controls). */
static void test_idmap_limit(void)
{
	for (size_t n = SPEC_MAX_IDMAPS; n <= SPEC_MAX_IDMAPS + 1; n++) {
		size_t cap = 64 + n * 16, len = 0;
		cleanup_free char *json = nsg_malloc(cap);
		cleanup_spec struct spec s = { 0 };
		struct nsg_err err = { .msg = "" };
		int r;

		len += (size_t)snprintf(json, cap, "{\"linux\":{\"gidMappings\":[");
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(json + len, cap - len, "%s{\"size\":1}", i ? "," : "");
		len += (size_t)snprintf(json + len, cap - len, "]}}");
		r = spec_parse(json, len, &s, &err);
		if (n == SPEC_MAX_IDMAPS) {
			is_int(r, 0, "%zu gid mappings: accepted (%s)", n, err.msg);
			is_int(s.idmaps[SPEC_IDMAP_GID].n, n, "%zu gid mappings: all read", n);
		} else {
			is_int(r, -1, "%zu gid mappings: refused", n);
			like_str(err.msg, "\"linux.gidMappings\" has more than 4096 entries",
				 "%zu gid mappings: message", n);
		}
	}
}

/* spec_host_root_mapping: SPEC.md section 4's user rule, a mapping that
 * gives the container host id 0. */
struct root_case {
	const char *name;
	struct spec_idmap uid, gid; /* size 0: no entry of that kind */
	const char *want;
};

static const struct root_case root_cases[] = {
	{ "no mappings", { 0 }, { 0 }, NULL },
	{ "userns-remap style", { 0, 100000, 65536 }, { 0, 100000, 65536 }, NULL },
	{ "host uid 0, one id", { 0, 0, 1 }, { 0 }, "uid" },
	{ "host uid 0 as container id 1000", { 1000, 0, 1 }, { 0, 1000, 1 }, "uid" },
	{ "host gid 0 only", { 0, 1000, 1 }, { 0, 0, 65536 }, "gid" },
	{ "both map 0: uid is named", { 0, 0, 1 }, { 0, 0, 1 }, "uid" },
	{ "host id 0 with size 0 maps nothing", { 0, 0, 0 }, { 0 }, NULL },
	{ "range ending at 2^32 - 1", { 0, 1, 4294967295u }, { 0 }, NULL },
	{ "range wrapping past 2^32: fail closed", { 0, 2, 4294967295u }, { 0 }, "uid" },
	{ "last id alone", { 0, 4294967295u, 1 }, { 0 }, NULL },
	{ "last id and one more wraps", { 0, 4294967295u, 2 }, { 0 }, "uid" },
	{ "gid range wrapping", { 0 }, { 5, 4294967200u, 100 }, "gid" },
};

static void test_host_root_mapping(void)
{
	for (size_t i = 0; i < NSG_ARRAY_SIZE(root_cases); i++) {
		const struct root_case *t = &root_cases[i];
		struct spec_idmap uid[2] = { { 7, 100000, 10 }, t->uid }, gid[1] = { t->gid };
		struct spec s = { .has_linux = true };

		/* A harmless entry first: any entry, not only the first, counts. */
		s.idmaps[SPEC_IDMAP_UID] = (struct spec_idmaps){ uid, t->uid.size ? 2 : 1 };
		s.idmaps[SPEC_IDMAP_GID] = (struct spec_idmaps){ gid, t->gid.size ? 1 : 0 };
		is_str(spec_host_root_mapping(&s), t->want, "host root mapping: %s", t->name);
	}
}

static void test_keep(void)
{
	static const char json[] = "{\"annotations\": {\"a\": \"1\", \"io.nsguard.allow\": \"pid\", \"b\": \"2\", "
				   "\"team\": \"ops\"}, \"linux\": {\"namespaces\": [{\"type\": \"pid\"}]}}";
	static const char dup[] = "{\"annotations\": {\"a\": \"1\", \"a\": \"2\"}}";
	static const char escaped[] =
		"{\"annotations\":{\"a\":\"1\",\"\\u0074eam\":\"o\\u0070s\",\"Team\":\"2\","
		"\"\\\\u0074eam\":\"3\",\"io.nsguard\\/allow\":\"4\",\"io.nsguard.allo\\u0077\":\"pid\"}}";
	const char *keys[] = { "io.nsguard.allow", "team", "absent" };
	struct nsg_err err = { .msg = "" };
	struct spec s = { 0 };
	char got[256];

	is_int(spec_parse_keep(json, strlen(json), keys, 3, &s, &err), 0, "keep: parses (%s)", err.msg);
	is_int(s.n_annotations, 2, "keep: only the wanted annotations remain");
	is_str(spec_annotation(&s, "io.nsguard.allow"), "pid", "keep: allow annotation kept");
	is_str(spec_annotation(&s, "team"), "ops", "keep: exemption key kept");
	is_str(spec_annotation(&s, "a"), NULL, "keep: other annotation dropped");
	is_int(s.ns[NS_PID].state, SPEC_NS_PRIVATE, "keep: namespaces unaffected");
	spec_free(&s);
	is_int(spec_parse_keep(dup, strlen(dup), keys, 3, &s, &err), -1,
	       "keep: duplicates among dropped keys still refused");
	like_str(err.msg, "duplicate annotation", "keep: duplicate message");
	is_int(spec_parse_keep(json, strlen(json), NULL, 0, &s, &err), 0, "keep NULL: parses");
	is_int(s.n_annotations, 4, "keep NULL: every annotation kept");
	spec_free(&s);
	/* SPEC 3: kept keys written with escapes come back decoded, with their
	 * values, in file order; keys that only look like them are not kept. */
	is_int(spec_parse_keep(escaped, strlen(escaped), keys, 3, &s, &err), 0, "keep escaped keys: parses");
	render(&s, got, sizeof(got));
	is_str(got, "-;;team=ops,io.nsguard.allow=pid", "keep escaped keys: decoded, with their values");
	spec_free(&s);
}

/* Thousands of keys that all collide: still exact, and in O(n log n). */
static void test_many_collisions(void)
{
	struct spec_keys_hash none = { 1, 2, 0 };
	size_t cap = 64 + 3000 * 24, len = 0;
	cleanup_free char *json = nsg_malloc(cap);
	cleanup_spec struct spec s = { 0 };
	struct nsg_err err = { .msg = "" };

	len += (size_t)snprintf(json, cap, "{\"annotations\":{");
	for (size_t i = 0; i < 3000; i++)
		len += (size_t)snprintf(json + len, cap - len, "%s\"k%zu\":\"\"\n", i ? "," : "", i);
	len += (size_t)snprintf(json + len, cap - len, "}}");
	is_int(spec_parse_keep_hashed(json, len, NULL, 0, &none, &s, &err), 0,
	       "SPEC 3: 3000 keys with one hash and no duplicate: accepted (%s)", err.msg);
	is_int(s.n_annotations, 3000, "SPEC 3: 3000 keys with one hash: all read");
	spec_free(&s);
	len += (size_t)snprintf(json + len - 2, cap - len, ",\"k\\u0031\\u0037\":\"\"}}") - 2;
	is_int(spec_parse_keep_hashed(json, len, NULL, 0, &none, &s, &err), -1,
	       "SPEC 3: 3000 keys with one hash and one repeat: refused");
	like_str(err.msg, "line 3001: duplicate annotation \"k17\" (also on line 18)",
		 "SPEC 3: 3000 keys with one hash: the repeat is named");
}

/* Keys are read again from the document: one not there as parsed is refused. */
static void test_keys_add_refuses(void)
{
	static const char doc[] = "{\"ab\":1,\"c\\u0064\":2}";
	struct spec_keys k;

	spec_keys_init(&k, NULL);
	is_int(spec_keys_add(&k, doc, strlen(doc), 5, "ab", 2), 0, "spec_keys_add: the key as parsed");
	is_int(spec_keys_add(&k, doc, strlen(doc), 5, "ac", 2), -1, "spec_keys_add: other bytes refused");
	is_int(spec_keys_add(&k, doc, strlen(doc), 4, "a", 1), -1, "spec_keys_add: not after a closing quote");
	is_int(spec_keys_add(&k, doc, strlen(doc), 17, "cd", 2), 0, "spec_keys_add: an escaped key, decoded");
	is_int(spec_keys_add(&k, doc, strlen(doc), 17, "c\\u0064", 7), -1, "spec_keys_add: raw bytes refused");
	is_int(spec_keys_add(&k, doc, strlen(doc), 99, "", 0), -1, "spec_keys_add: past the end refused");
	is_int(k.n, 2, "spec_keys_add: only the keys that are there are remembered");
	spec_keys_free(&k);
}

int main(void)
{
	test_keep();
	test_many_collisions();
	test_keys_add_refuses();
	test_cases();
	test_idmap_limit();
	test_host_root_mapping();
	test_docker_config();
	test_depth();
	test_depth_objects();
	test_size();
	test_free();
	test_no_leak_on_error();
	test_message_quoting();
	return tap_done();
}
