#!/usr/bin/env bats
# SPEC.md sections 8 and 10: every byte from outside is escaped at the output
# edge (one line each, no forged line), and warnings never reach stderr.

load helpers

setup() {
	setup_nsguard
	B="$TMP/bundle"
	# A joined path that would paint a green "allowed" line and start a new
	# one: ESC, CSI colour, newline, carriage return, a C1 control (U+0085,
	# NEL) and U+2028, as config.json spells them.
	EVIL_JSON='/run/netns/x\u001b[32mallowed\ny\rz\u0085\u2028end'
	EVIL_SHOWN='/run/netns/x\x1b[32mallowed\x0ay\x0dz\xc2\x85\xe2\x80\xa8end'
}
teardown() {
	[ -z "${NSPID:-}" ] || kill "$NSPID" 2>/dev/null || true
	teardown_nsguard
}

drop_network() {
	echo '.linux.namespaces |= map(select(.type != "network"))'
}

join_evil() {
	make_config "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"$EVIL_JSON\"}"
}

# No byte of file $1 is a control byte other than the newline ending each of
# its $2 lines, and none is outside printable ASCII (nothing here is UTF-8
# that should survive).
assert_clean_lines() {
	local n
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] || { echo "expected $2 line(s) in $1, got $n:" >&2; od -c "$1" >&2; return 1; }
	if LC_ALL=C grep -q '[^ -~]' "$1"; then
		echo "raw control or non-ASCII bytes in $1:" >&2
		od -c "$1" >&2
		return 1
	fi
}

# run_split CMD...: like run, but stdout and stderr apart, in $TMP/out and $TMP/err.
run_split() {
	status=0
	"$@" >"$TMP/out" 2>"$TMP/err" || status=$?
}

@test "a joined path with control bytes is escaped, one line each: stderr, --log json, audit" {
	join_evil
	run_split "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 1 ]
	assert_not_executed
	[ ! -s "$TMP/out" ]
	assert_clean_lines "$TMP/err" 1
	grep -qF "nsguard: refused to create container \"c1\": namespace path $EVIL_SHOWN" "$TMP/err"
	assert_clean_lines "$TMP/log.json" 1
	jq -e --arg p "$EVIL_SHOWN" '.level == "error" and (.msg | contains("namespace path " + $p))' "$TMP/log.json"
	# The --log record says exactly what stderr said.
	[ "$(jq -r .msg "$TMP/log.json")" = "$(cat "$TMP/err")" ]
	assert_clean_lines "$AUDIT" 1
	jq -e --arg p "$EVIL_SHOWN" '.decision == "refused" and (.reason | contains("namespace path " + $p))' "$AUDIT"
}

@test "the same in runc's text --log format" {
	join_evil
	run_split "$NSGUARD" --log "$TMP/log.txt" create --bundle "$B" c1
	[ "$status" -eq 1 ]
	assert_clean_lines "$TMP/log.txt" 1
	# Go's %q of the escaped text: its backslashes doubled.
	grep -qF "level=error msg=\"nsguard: refused to create container \\\"c1\\\": namespace path ${EVIL_SHOWN//\\/\\\\}" "$TMP/log.txt"
}

@test "invalid UTF-8 and control bytes from argv are escaped: container id and bundle" {
	local bad=$'b\xff\xc3(\xed\xa0\x80\xf4\x90\x80\x80\\x0a\n'
	make_config "$TMP/$bad" "$(drop_network)"
	run_split "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$TMP/$bad" $'c\x1b]0;pwned\x07\xc2\x9b1'
	[ "$status" -eq 1 ]
	assert_not_executed
	assert_clean_lines "$TMP/err" 1
	grep -qF 'refused to create container "c\x1b]0;pwned\x07\xc2\x9b1": shares the host' "$TMP/err"
	assert_clean_lines "$TMP/log.json" 1
	assert_clean_lines "$AUDIT" 1
	# The backslash of "\x0a" in the name is escaped: it cannot pass for an escape.
	jq -e --arg b "$TMP/"'b\xff\xc3(\xed\xa0\x80\xf4\x90\x80\x80\x5cx0a\x0a' \
		'.bundle == $b and .id == "c\\x1b]0;pwned\\x07\\xc2\\x9b1"' "$AUDIT"
}

@test "valid UTF-8 from outside is kept as it is" {
	make_config "$TMP/bündel-€-😀" "$(drop_network)"
	run_split "$NSGUARD" create --bundle "$TMP/bündel-€-😀" 'c-é'
	[ "$status" -eq 1 ]
	grep -qF 'refused to create container "c-é"' "$TMP/err"
	jq -e --arg b "$TMP/bündel-€-😀" '.bundle == $b' "$AUDIT"
}

@test "nsguard check escapes the path it was given and what it found, human and --json" {
	join_evil
	run_split "$NSGUARD" check --policy "$POLICY" "$B"
	[ "$status" -eq 2 ]
	[ ! -s "$TMP/out" ]
	assert_clean_lines "$TMP/err" 1
	grep -qF "nsguard: namespace path $EVIL_SHOWN" "$TMP/err"
	local bad=$'bad\x1b[32m\n\xff'
	make_config "$TMP/$bad" "$(drop_network)"
	run_split "$NSGUARD" check --policy "$POLICY" "$TMP/$bad"
	[ "$status" -eq 1 ]
	grep -qxF "$TMP/bad\\x1b[32m\\x0a\\xff/config.json: refused" "$TMP/out"
	assert_clean_lines "$TMP/out" "$(wc -l <"$TMP/out")"
	run_split "$NSGUARD" check --policy "$POLICY" --json "$TMP/$bad"
	[ "$status" -eq 1 ]
	assert_clean_lines "$TMP/out" 1
	jq -e --arg b "$TMP/bad\\x1b[32m\\x0a\\xff" '.decision == "refused" and .bundle == $b' "$TMP/out"
}

@test "nsguard check escapes the policy path from the environment" {
	local bad="$TMP/pol"$'\x1b[31m\n'.json
	cp "$POLICY" "$bad"
	NSGUARD_POLICY="$bad" run_split "$NSGUARD" check
	[ "$status" -eq 0 ]
	assert_clean_lines "$TMP/out" 1
	grep -qxF "policy $TMP/pol\\x1b[31m\\x0a.json: valid" "$TMP/out"
}

@test "nsguard audit escapes container names from the state root, human and --json" {
	local root="$TMP/state" name=$'evil\x1b[32m\nok\xff'
	mkdir -p "$root/$name"
	# The test's own shell: a process in the host's namespaces.
	printf '{"init_process_pid": %d}' $$ >"$root/$name/state.json"
	run_split "$NSGUARD" audit --root "$root"
	[ "$status" -eq 1 ]
	assert_clean_lines "$TMP/out" 2
	grep -qF 'evil\x1b[32m\x0aok\xff' "$TMP/out"
	run_split "$NSGUARD" audit --json --root "$root"
	[ "$status" -eq 1 ]
	assert_clean_lines "$TMP/out" 1
	jq -e '.id == "evil\\x1b[32m\\x0aok\\xff"' "$TMP/out"
}

@test "warn mode without --log prints nothing on stderr and executes the runtime" {
	write_policy "$(policy_json '"mode": "warn"')"
	make_config "$B" "$(drop_network)"
	run_split "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/err")" = "fake-runtime stderr" ]
	[ "$(cat "$TMP/out")" = "fake-runtime stdout" ]
	[ "$(recorded_argv | tail -n 1)" = c1 ]
	last_audit | jq -e '.decision == "warned"'
}

@test "warn mode with --log writes one warning record there and nothing on stderr" {
	write_policy "$(policy_json '"mode": "warn"')"
	make_config "$B" "$(drop_network)"
	run_split "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/err")" = "fake-runtime stderr" ]
	[ -e "$REC/argv" ]
	[ "$(wc -l <"$TMP/log.json")" -eq 1 ]
	jq -e '.level == "warning" and (.msg | startswith("nsguard: warning: container \"c1\": shares the host'"'"'s network namespace"))' "$TMP/log.json"
	# The text format too.
	run_split "$NSGUARD" --log "$TMP/log.txt" create --bundle "$B" c1
	[ "$(cat "$TMP/err")" = "fake-runtime stderr" ]
	grep -qE '^time="[^"]+" level=warning msg="nsguard: warning: container \\"c1\\": shares the host' "$TMP/log.txt"
}

@test "warn mode with an unwritable --log: still nothing on stderr, the runtime runs" {
	write_policy "$(policy_json '"mode": "warn"')"
	make_config "$B" "$(drop_network)"
	run_split "$NSGUARD" --log "$TMP/no/such/dir/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/err")" = "fake-runtime stderr" ]
	[ -e "$REC/argv" ]
	last_audit | jq -e '.decision == "warned"'
}

@test "a failing audit file (a directory) with an allowed container: nothing on stderr, one warning in --log" {
	mkdir "$TMP/audit-dir"
	write_policy "$(printf '{"runtime": "%s", "audit": {"syslog": false, "file": "%s"}}' "$FAKE_RUNTIME" "$TMP/audit-dir")"
	make_config "$B"
	run_split "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/err")" = "fake-runtime stderr" ]
	[ "$(recorded_argv | tail -n 1)" = c1 ]
	[ "$(wc -l <"$TMP/log.json")" -eq 1 ]
	jq -e --arg f "$TMP/audit-dir" '.level == "warning" and (.msg | contains("audit file " + $f))' "$TMP/log.json"
	# Without --log: nothing at all from nsguard.
	rm -f "$REC"/*
	run_split "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/err")" = "fake-runtime stderr" ]
	[ -e "$REC/argv" ]
}

@test "as root, a host namespace reached through namespace_dirs under a name with control bytes: one clean line" {
	require_root
	local dir="$TMP/netns" name=$'x\x1b[32mallowed\ny'
	mkdir -m 0755 "$dir"
	ln -s "/proc/$$/ns/net" "$dir/$name"
	write_policy "$(policy_json "\"namespace_dirs\": [\"$dir\"]")"
	make_config "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"$dir/x\\u001b[32mallowed\\ny\"}"
	run_split "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 1 ]
	assert_not_executed
	assert_clean_lines "$TMP/err" 1
	grep -qF "is the host's network namespace" "$TMP/err"
	assert_clean_lines "$TMP/log.json" 1
	assert_clean_lines "$AUDIT" 1
}
