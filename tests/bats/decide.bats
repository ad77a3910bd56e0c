#!/usr/bin/env bats
# Every row of the decision (SPEC.md sections 4-8), through the binary with fixture bundles.

load helpers

setup() {
	setup_nsguard
	B="$TMP/bundle"
}
teardown() {
	[ -z "${NSPID:-}" ] || kill "$NSPID" 2>/dev/null || true
	teardown_nsguard
}

drop_ns() { # jq filter removing namespace type $1
	echo ".linux.namespaces |= map(select(.type != \"$1\"))"
}

@test "all namespaces private: allowed and executed with the same argv" {
	make_config "$B"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$output" = "fake-runtime stdout
fake-runtime stderr" ]
	[ "$(recorded_argv | tail -n 1)" = c1 ]
	last_audit | jq -e '.decision == "allowed" and .id == "c1" and .command == "create" and .shared == []'
}

@test "no network entry: refused with what, where and the way out" {
	make_config "$B" "$(drop_ns network)"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'nsguard: refused to create container "c1": shares the host'"'"'s network namespace (no "network" entry in linux.namespaces): add annotation io.nsguard.allow=network'
	last_audit | jq -e '.decision == "refused" and .shared[0].type == "network" and .shared[0].verdict == "refused"'
}

@test "each enforced type inherited is refused: network, pid, ipc, mount (SPEC 4, 5)" {
	for t in network pid ipc mount; do
		make_config "$B" "$(drop_ns $t)"
		run "$NSGUARD" run --bundle "$B" c1
		assert_refused "shares the host's $t namespace (no \"$t\" entry in linux.namespaces)"
	done
}

@test "uts, cgroup and time are off by default: inherited is allowed" {
	make_config "$B" '.linux.namespaces |= map(select(.type != "uts" and .type != "cgroup"))'
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	last_audit | jq -e '.decision == "allowed" and ([.shared[].verdict] | unique) == ["off"]'
}

@test "no linux object: every enforced type is named, in one line" {
	make_config "$B" 'del(.linux)'
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'network namespace'
	for t in pid ipc mount; do [[ "$output" == *"host's $t namespace"* ]]; done
}

@test "user is warn by default: a plain container without a user namespace runs, audited as warned (SPEC 5)" {
	make_config "$B" "$(drop_ns user)"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	# The warning stays out of stderr (SPEC 8): only the runtime's own output.
	[ "$output" = "fake-runtime stdout
fake-runtime stderr" ]
	last_audit | jq -e '.decision == "warned" and .shared[0].type == "user" and .shared[0].verdict == "warned"'
	rm -f "$REC"/*
	write_policy "$(policy_json '"namespaces": {"user": "enforce"}')"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "shares the host's user namespace (no \"user\" entry in linux.namespaces)"
}

@test "joining the host's network namespace by path is refused, naming the path" {
	make_config "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"/proc/$$/ns/net\"}"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "path /proc/$$/ns/net is the host's network namespace"
}

@test "a capitalised \"Path\" key is the path runc reads" {
	make_config "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {\"Path\": \"/proc/$$/ns/net\"}"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "path /proc/$$/ns/net is the host's network namespace"
}

@test "joining another namespace is allowed" {
	require_root
	unshare --net sleep 60 &
	NSPID=$!
	for _ in $(seq 50); do [ "$(readlink /proc/$NSPID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.05; done
	make_config "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"/proc/$NSPID/ns/net\"}"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	last_audit | jq -e '.decision == "allowed"'
}

@test "a namespace path that cannot be examined is refused" {
	make_config "$B" '(.linux.namespaces[] | select(.type == "ipc")) += {"path": "/nonexistent/ns/ipc"}'
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'namespace path /nonexistent/ns/ipc cannot be examined'
}

@test "the allow annotation unlocks a type the policy lets annotations allow" {
	make_config "$B" "$(drop_ns network) | .annotations = {\"io.nsguard.allow\": \" pid , network \"}"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	last_audit | jq -e '.decision == "allowed-by-annotation" and .annotation == " pid , network "'
}

@test "an annotation that asks for another type only: the way out says add to it" {
	make_config "$B" "$(drop_ns network) | .annotations = {\"io.nsguard.allow\": \"pid\"}"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'add "network" to annotation io.nsguard.allow'
}

@test "an annotation may not allow what the policy's may_allow lacks" {
	write_policy "$(policy_json '"annotation": {"may_allow": ["pid"]}')"
	make_config "$B" "$(drop_ns network) | .annotations = {\"io.nsguard.allow\": \"network\"}"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'the policy does not let annotations allow "network"'
}

@test "may_allow [] disables annotations entirely" {
	write_policy "$(policy_json '"annotation": {"may_allow": []}')"
	make_config "$B" '.annotations = {"io.nsguard.allow": "pid"}'
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'annotation io.nsguard.allow asks for "pid", but the policy does not let annotations allow "pid"'
}

@test "an unknown name in the annotation refuses the container" {
	make_config "$B" '.annotations = {"io.nsguard.allow": "pdi"}'
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'annotation io.nsguard.allow: "pdi" is not a namespace type'
}

@test "a custom annotation key from the policy" {
	write_policy "$(policy_json '"annotation": {"key": "example.com/host-ns"}')"
	make_config "$B" "$(drop_ns pid) | .annotations = {\"example.com/host-ns\": \"pid\"}"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
}

@test "an exemption whose globs all match allows its types" {
	write_policy "$(policy_json '"exemptions": [{"name": "ops", "allow": ["network"], "match": {"team": "ops-*", "tier": "infra"}}]')"
	make_config "$B" "$(drop_ns network) | .annotations = {\"team\": \"ops-eu\", \"tier\": \"infra\"}"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	last_audit | jq -e '.decision == "allowed-by-exemption:ops"'
	rm -f "$REC"/*
	make_config "$B" "$(drop_ns network) | .annotations = {\"team\": \"ops-eu\", \"tier\": \"app\"}"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'network namespace'
}

@test "no built-in exemption: a kube-system annotation anyone can set unlocks nothing (SPEC 5)" {
	write_policy "{\"runtime\": \"$FAKE_RUNTIME\", \"audit\": {\"syslog\": false, \"file\": \"$AUDIT\"}}"
	make_config "$B" "$(drop_ns network) | $(drop_ns pid) | .annotations = {\"io.kubernetes.cri.sandbox-namespace\": \"kube-system\"}"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "shares the host's network namespace"
	last_audit | jq -e '.decision == "refused"'
}

@test "warn mode allows, with the warning in the audit trail and --log, never on stderr (SPEC 8)" {
	write_policy "$(policy_json '"mode": "warn"')"
	make_config "$B" "$(drop_ns network)"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	# Nothing from nsguard: what the container's output gets is the runtime's alone.
	[ "$output" = "fake-runtime stdout
fake-runtime stderr" ]
	[ -e "$REC/argv" ]
	last_audit | jq -e '.decision == "warned" and .shared[0].type == "network" and .shared[0].verdict == "warned"'
	run "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 0 ]
	jq -e '.level == "warning" and (.msg | startswith("nsguard: warning: container \"c1\": shares the host'"'"'s network namespace")) and (.msg | endswith("allowed only because the policy'"'"'s mode for \"network\" is warn"))' "$TMP/log.json"
}

@test "warn mode with --log: the warning goes to the log, not to the container's stderr" {
	write_policy "$(policy_json '"namespaces": {"pid": "warn"}')"
	make_config "$B" "$(drop_ns pid)"
	run "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ "$output" = "fake-runtime stdout
fake-runtime stderr" ]
	jq -e '.level == "warning" and (.msg | contains("host'"'"'s pid namespace"))' "$TMP/log.json"
}

@test "a refusal reaches --log as the last error record, for docker run to print" {
	make_config "$B" "$(drop_ns ipc)"
	run "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	assert_refused "host's ipc namespace"
	jq -e '.level == "error" and (.msg | startswith("nsguard: refused to create container \"c1\": shares the host'"'"'s ipc namespace"))' "$TMP/log.json"
}

@test "the bundle defaults to the current directory, and may be relative" {
	make_config "$B" "$(drop_ns network)"
	cd "$B"
	run "$NSGUARD" create c1
	assert_refused 'network namespace'
	cd "$TMP"
	run "$NSGUARD" create -b bundle c1
	assert_refused 'network namespace'
	last_audit | jq -e --arg b "$B" '.bundle == $b'
}

@test "restore is checked like create" {
	make_config "$B" "$(drop_ns pid)"
	run "$NSGUARD" restore --image-path /img --bundle "$B" c1
	assert_refused 'refused to restore container "c1"'
}

@test "config.json missing, malformed or ambiguous: refused with the reason" {
	mkdir -p "$B"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "$B/config.json"
	printf '{"linux": {"namespaces": [\n{"type": "network"},\n{"type": "network"}]}}' >"$B/config.json"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "$B/config.json: line 3:"
	printf '{"linux": {}, "Linux": {}}' >"$B/config.json"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused 'duplicate key "Linux"'
	printf '{"linux": {"namespaces": []}} x' >"$B/config.json"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "$B/config.json"
	last_audit | jq -e '.decision == "refused" and (.reason | length > 0)'
}

@test "as root, a config.json writable by others is refused" {
	require_root
	make_config "$B"
	chmod 0666 "$B/config.json"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "$B/config.json is writable by group or others"
	chmod 0644 "$B/config.json"
	chmod 0777 "$B"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "$B is writable by group or others"
}

@test "as root, a config.json owned by another user is refused" {
	require_root
	make_config "$B"
	chown 1234 "$B/config.json"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "is owned by uid 1234, not root"
}

@test "a failing audit file changes nothing but leaves a warning in --log" {
	write_policy "$(printf '{"runtime": "%s", "audit": {"syslog": false, "file": "%s/not-a-dir/audit.jsonl"}}' "$FAKE_RUNTIME" "$POLICY")"
	make_config "$B"
	run "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ -e "$REC/argv" ]
	[ "$output" = "fake-runtime stdout
fake-runtime stderr" ]
	jq -e '.level == "warning" and (.msg | contains("audit file"))' "$TMP/log.json"
	make_config "$B" "$(drop_ns network)"
	rm -f "$REC"/*
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 1 ]
	# The refusal is the one line on stderr; the audit warning is not (SPEC 8, 10).
	[[ "$output" != *"audit file"* ]]
	assert_refused "refused to create container"
}

@test "every checked command writes one audit record" {
	make_config "$B"
	run "$NSGUARD" create --bundle "$B" c1
	run "$NSGUARD" run --bundle "$B" --bogus c2
	run "$NSGUARD" state c1
	[ "$(wc -l <"$AUDIT")" -eq 2 ]
	sed -n 2p "$AUDIT" | jq -e '.decision == "refused" and .command == "run" and (.reason | contains("--bogus")) and (.uid | type == "number") and (.caller_pid | type == "number")'
}

@test "nsguard check: exit 0 allowed, 1 refused, 2 unusable; --json" {
	make_config "$B"
	run "$NSGUARD" check "$B"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$B/config.json: allowed" ]
	make_config "$B" "$(drop_ns network)"
	run "$NSGUARD" check "$B/config.json"
	[ "$status" -eq 1 ]
	[[ "$output" == *'network: no "network" entry in linux.namespaces'* ]]
	run "$NSGUARD" check --json "$B"
	[ "$status" -eq 1 ]
	jq -e '.decision == "refused" and .shared[0].type == "network"' <<<"$output"
	run "$NSGUARD" check "$TMP/nonexistent"
	[ "$status" -eq 2 ]
	run "$NSGUARD" check --policy "$TMP/nonexistent.json" "$B"
	[ "$status" -eq 2 ]
	[[ "$output" == "nsguard: policy $TMP/nonexistent.json: "*"No such file or directory" ]]
	assert_not_executed
	[ ! -e "$AUDIT" ]
}

@test "the audit file's directory is created on first use" {
	write_policy "$(printf '{"runtime": "%s", "audit": {"syslog": false, "file": "%s/log/nsguard/audit.jsonl"}}' "$FAKE_RUNTIME" "$TMP")"
	mkdir "$TMP/log"
	make_config "$B"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	jq -e '.decision == "allowed"' "$TMP/log/nsguard/audit.jsonl"
	[ "$(stat -c %a "$TMP/log/nsguard")" = 750 ]
	[ "$(stat -c %a "$TMP/log/nsguard/audit.jsonl")" = 600 ]
}

@test "as root, a joined path that others could swap before runc opens it is refused" {
	require_root
	unshare --net sleep 60 &
	NSPID=$!
	for _ in $(seq 50); do [ "$(readlink /proc/$NSPID/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.05; done
	join() { make_config "$B" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"$1\"}"; }
	# Outside /proc/<pid>/ns/ and the policy's namespace_dirs nothing is trusted,
	# root-owned or not: a container running as the host's root could swap it.
	mkdir -m 0777 "$TMP/open"
	ln -s "/proc/$NSPID/ns/net" "$TMP/open/ns"
	join "$TMP/open/ns"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "namespace path $TMP/open/ns: $TMP lies neither in /proc/<pid>/ns/ nor on the way to or in one of the policy's namespace_dirs"
	# Inside namespace_dirs, owners and modes still count.
	# A directory anyone may write to: its entries could be replaced.
	write_policy "$(policy_json "\"namespace_dirs\": [\"$TMP\"]")"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "namespace path $TMP/open/ns: $TMP/open is writable by group or others"
	# Only /proc/PID/ns/NAME itself is trusted, not any path that starts with /proc:
	# under /proc nothing but that grammar is walked, not even "..".
	join "/proc/..$TMP/open/ns"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "namespace path /proc/..$TMP/open/ns: /proc/.. is not allowed: under /proc only"
	# A symlink another user owns: its owner could point it elsewhere.
	mkdir "$TMP/safe"
	ln -s "/proc/$NSPID/ns/net" "$TMP/safe/ns"
	chown -h 1234 "$TMP/safe/ns"
	join "$TMP/safe/ns"
	run "$NSGUARD" create --bundle "$B" c1
	assert_refused "namespace path $TMP/safe/ns: $TMP/safe/ns is owned by uid 1234"
	# Root's entry in a sticky world-writable directory (like /tmp) is fine.
	mkdir -m 1777 "$TMP/sticky"
	ln -s "/proc/$NSPID/ns/net" "$TMP/sticky/ns"
	join "$TMP/sticky/ns"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	# /proc paths are trusted: procfs entries cannot be replaced.
	rm -f "$REC"/*
	join "/proc/$NSPID/ns/net"
	run "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
}

@test "a FIFO as audit file or as --log never hangs nsguard (SPEC 10)" {
	mkfifo "$TMP/audit.fifo" "$TMP/log.fifo"
	write_policy "{\"runtime\": \"$FAKE_RUNTIME\", \"audit\": {\"syslog\": false, \"file\": \"$TMP/audit.fifo\"}}"
	make_config "$B" '.'
	run timeout 10 "$NSGUARD" create --bundle "$B" c1
	[ "$status" -eq 0 ]
	[ -e "$REC/argv" ]
	rm -f "$REC"/*
	make_config "$B" "$(drop_ns network)"
	run timeout 10 "$NSGUARD" --log "$TMP/log.fifo" create --bundle "$B" c1
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == *"shares the host's network namespace"* ]]
	[[ "${lines[1]}" == *"cannot open log file $TMP/log.fifo"* ]]
	assert_not_executed
}

@test "the installed binary has no test hook: the old sandbox self-test variable changes nothing (SPEC 11)" {
	make_config "$B"
	for mode in open caps memory; do
		NSGUARD_SANDBOX_SELFTEST=$mode run "$NSGUARD" create --bundle "$B" c1
		[ "$status" -eq 0 ]
		[ "$(recorded_argv | tail -n 1)" = c1 ]
	done
	! grep -q NSGUARD_SANDBOX_SELFTEST "$NSGUARD"
}
