#!/usr/bin/env bats
# Finding the real runtime: the policy's "runtime", else the first runc on PATH that is not nsguard.

load helpers

setup() { setup_nsguard; }
teardown() { teardown_nsguard; }

@test "a missing runtime is an error naming the path, exit 127" {
	write_policy '{"runtime": "/nonexistent/runc"}'
	run "$NSGUARD" state c1
	[ "$status" -eq 127 ]
	[[ "$output" == "nsguard: runtime /nonexistent/runc: No such file or directory" ]]
}

@test "a runtime that is not executable is an error, exit 127" {
	cp "$POLICY" "$TMP/not-exec"
	chmod 0644 "$TMP/not-exec"
	write_policy "{\"runtime\": \"$TMP/not-exec\"}"
	run "$NSGUARD" state c1
	[ "$status" -eq 127 ]
	[[ "$output" == *"runtime $TMP/not-exec is not an executable file"* ]]
}

@test "a runtime that is nsguard itself is a loop: refused, exit 127" {
	ln -s "$NSGUARD" "$TMP/runc"
	write_policy "{\"runtime\": \"$TMP/runc\"}"
	run "$NSGUARD" state c1
	[ "$status" -eq 127 ]
	[[ "$output" == *"runtime $TMP/runc is nsguard itself"* ]]
}

@test "hard mode: the runc on PATH that is nsguard is skipped for the real one" {
	mkdir "$TMP/sbin" "$TMP/real"
	ln -s "$NSGUARD" "$TMP/sbin/runc"
	ln -s "$FAKE_RUNTIME" "$TMP/real/runc"
	write_policy '{}'
	PATH="$TMP/sbin:relative/dir:$TMP/real:/usr/bin:/bin" run "$TMP/sbin/runc" state c1
	[ "$status" -eq 0 ]
	[ "$(recorded_argv | head -n 1)" = "$TMP/real/runc" ]
}

@test "no runc on PATH but nsguard: exit 127" {
	mkdir "$TMP/sbin"
	ln -s "$NSGUARD" "$TMP/sbin/runc"
	write_policy '{}'
	PATH="$TMP/sbin" run "$TMP/sbin/runc" state c1
	[ "$status" -eq 127 ]
	[[ "$output" == *"no runc on PATH other than nsguard itself"* ]]
}

@test "a failing runtime lookup with --log is also recorded there" {
	write_policy "{\"runtime\": \"/nonexistent/runc\", \"audit\": {\"syslog\": false, \"file\": \"\"}}"
	make_config "$TMP/bundle"
	run "$NSGUARD" --log "$TMP/log.json" --log-format json create --bundle "$TMP/bundle" c1
	[ "$status" -eq 127 ]
	jq -e '.level == "error" and (.msg | contains("/nonexistent/runc"))' "$TMP/log.json"
}

@test "nsguard version names nsguard's version and the runtime" {
	run "$NSGUARD" version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^nsguard\ version\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[ "${lines[2]}" = "runtime: $FAKE_RUNTIME" ]
	assert_not_executed
}

@test "nsguard version escapes what comes from outside (SPEC 8)" {
	mkdir "$TMP/p"$'\n'"q"
	printf '{\n' >"$TMP/p"$'\n'"q/policy.json"
	NSGUARD_POLICY="$TMP/p"$'\n'"q/policy.json" run "$NSGUARD" version
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" == "policy: $TMP/p\\x0aq/policy.json (invalid: "* ]]
}
