# helpers.bash - shared set-up for the bats tests of the nsguard binary.
#
# Every test gets a private directory, a policy whose runtime is the recording
# fake runtime, and helpers to compare what the fake saw when called through
# nsguard with what it sees when called directly.

: "${NSGUARD:?NSGUARD must name the nsguard binary (set by make check)}"
: "${FAKE_RUNTIME:?FAKE_RUNTIME must name the fake runtime (set by make check)}"

setup_nsguard() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-test.XXXXXX")
	REC="$TMP/record"
	mkdir "$REC"
	export FAKE_RUNTIME_RECORD="$REC"
	POLICY="$TMP/policy.json"
	AUDIT="$TMP/audit.jsonl"
	write_policy "$(policy_json)"
	export NSGUARD_POLICY="$POLICY"
}

# policy_json [EXTRA]: the fake runtime, a private audit file, no syslog, and
# EXTRA top-level members (JSON text without braces, e.g. '"mode": "warn"').
policy_json() {
	printf '{"runtime": "%s", "audit": {"syslog": false, "file": "%s"}%s}' \
		"$FAKE_RUNTIME" "$AUDIT" "${1:+, $1}"
}

# A config.json whose every namespace is private, then changed by a jq filter.
PRIVATE_SPEC='{"ociVersion": "1.0.2", "process": {"args": ["sh"]}, "root": {"path": "rootfs"},
 "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
  {"type": "mount"}, {"type": "user"}, {"type": "cgroup"}, {"type": "time"}]}}'

# make_config DIR [JQ-FILTER]
make_config() {
	mkdir -p "$1"
	jq "${2:-.}" <<<"$PRIVATE_SPEC" >"$1/config.json"
	chmod 0644 "$1/config.json"
}

# The last audit record, as JSON.
last_audit() {
	tail -n 1 "$AUDIT"
}

teardown_nsguard() {
	rm -rf "$TMP"
}

write_policy() {
	printf '%s\n' "$1" >"$POLICY"
	chmod 0644 "$POLICY"
}

# The runtime was never executed.
assert_not_executed() {
	if [ -e "$REC/argv" ]; then
		echo "the runtime was executed with:" >&2
		tr '\0' ' ' <"$REC/argv" >&2
		return 1
	fi
}

# The arguments the runtime got, one per line (for readable failures).
recorded_argv() {
	tr '\0' '\n' <"$REC/argv"
}

# Run "$@" through nsguard and directly on the fake runtime; everything the
# runtime saw and everything the caller saw must be byte-identical.
assert_transparent() {
	local direct="$TMP/direct" via="$TMP/via"
	mkdir -p "$direct" "$via"
	rm -f "$REC"/*
	# Both through env(1), so that the shell's "$_" is the same for both, and
	# with stdout/stderr on the same paths, so that the descriptors compare.
	local rc=0
	env "$FAKE_RUNTIME" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	echo "$rc" >"$REC/status"
	mv "$REC"/* "$TMP/stdout" "$TMP/stderr" "$direct/"
	rc=0
	env "$NSGUARD" "$@" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	echo "$rc" >"$REC/status"
	mv "$REC"/* "$TMP/stdout" "$TMP/stderr" "$via/"
	for f in argv env cwd fds stdout stderr status; do
		if ! cmp -s "$direct/$f" "$via/$f"; then
			echo "$f differs between the runtime called directly and through nsguard:" >&2
			diff <(tr '\0' '\n' <"$direct/$f") <(tr '\0' '\n' <"$via/$f") >&2
			return 1
		fi
	done
}

# A refusal: exit status 1, one line on stderr naming the problem, runtime not run.
assert_refused() {
	local want="$1"
	[ "$status" -eq 1 ] || { echo "status $status, expected 1; output: $output" >&2; return 1; }
	[ "${#lines[@]}" -eq 1 ] || { echo "expected one line, got: $output" >&2; return 1; }
	[[ "$output" == "nsguard: "* ]] || { echo "no nsguard prefix: $output" >&2; return 1; }
	[[ "$output" == *"$want"* ]] || { echo "expected '$want' in: $output" >&2; return 1; }
	assert_not_executed
}

# Root or skip; with NSGUARD_E2E_STRICT=1 (CI) a missing root is a failure.
require_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	[ "${NSGUARD_E2E_STRICT:-0}" = 1 ] && { echo "needs root (NSGUARD_E2E_STRICT=1)" >&2; return 1; }
	skip "needs root"
}
