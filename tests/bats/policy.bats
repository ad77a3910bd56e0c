#!/usr/bin/env bats
# A broken policy refuses checked commands and never blocks any other command.

load helpers

setup() { setup_nsguard; mkdir -p "$TMP/bundle"; }
teardown() { teardown_nsguard; }

@test "an invalid policy refuses create, naming the file and the line" {
	write_policy "{\"runtime\": \"$FAKE_RUNTIME\",
\"mode\": \"block\"}"
	run "$NSGUARD" create --bundle "$TMP/bundle" c1
	assert_refused "$POLICY: line 2:"
	[[ "$output" == *'"block"'* ]]
}

@test "an invalid policy still lets state, kill and delete through to its runtime" {
	write_policy "{\"runtime\": \"$FAKE_RUNTIME\", \"mode\": \"block\"}"
	for cmd in state kill delete; do
		rm -f "$REC"/*
		run "$NSGUARD" $cmd c1
		[ "$status" -eq 0 ]
		[ "$(recorded_argv | sed -n 2p)" = "$cmd" ]
	done
}

@test "syntactically broken policy: lifecycle commands use the default runtime" {
	mkdir "$TMP/path"
	ln -s "$FAKE_RUNTIME" "$TMP/path/runc"
	write_policy '{"runtime": '
	PATH="$TMP/path" run "$NSGUARD" delete c1
	[ "$status" -eq 0 ]
	[ "$(recorded_argv | head -n 1)" = "$TMP/path/runc" ]
	rm -f "$REC"/*
	PATH="$TMP/path" run "$NSGUARD" run c1
	assert_refused "$POLICY: line 1:"
}

@test "a group-writable policy is refused when running as root; its runtime is not trusted" {
	require_root
	mkdir "$TMP/path"
	ln -s "$FAKE_RUNTIME" "$TMP/path/runc"
	write_policy '{"runtime": "/bin/false"}'
	chmod 0664 "$POLICY"
	run "$NSGUARD" create --bundle "$TMP/bundle" c1
	assert_refused "$POLICY"
	[[ "$output" == *"writable by group or others"* ]]
	# Anyone who can write the file could name their own binary: state still
	# goes through, but to the default runtime, not the file's.
	PATH="$TMP/path" run "$NSGUARD" state c1
	[ "$status" -eq 0 ]
	[ "$(recorded_argv | head -n 1)" = "$TMP/path/runc" ]
}

@test "no policy file: the built-in defaults, runtime from PATH" {
	mkdir "$TMP/path"
	ln -s "$FAKE_RUNTIME" "$TMP/path/runc"
	export NSGUARD_POLICY="$TMP/does-not-exist.json"
	PATH="$TMP/path" run "$NSGUARD" state c1
	[ "$status" -eq 0 ]
	[ "$(recorded_argv | head -n 1)" = "$TMP/path/runc" ]
}

@test "nsguard check validates the policy file" {
	run "$NSGUARD" check
	[ "$status" -eq 0 ]
	[[ "$output" == "policy $POLICY: valid" ]]
	write_policy '{"modes": "enforce"}'
	run "$NSGUARD" check
	[ "$status" -eq 2 ]
	[[ "$output" == *"$POLICY: line 1:"*'"modes"'* ]]
}
