#!/usr/bin/env bats
# A create/run/restore argv that is not certain is refused and never reaches the runtime.

load helpers

setup() { setup_nsguard; }
teardown() { teardown_nsguard; }

@test "unknown flag of create is refused, naming it" {
	run "$NSGUARD" create --bogus c1
	assert_refused 'argument "--bogus": unknown flag'
}

@test "repeated --bundle is refused" {
	run "$NSGUARD" create --bundle /a --bundle /b c1
	assert_refused '"--bundle" is given more than once'
}

@test "both -b and --bundle are refused" {
	run "$NSGUARD" run -b /a --bundle /b c1
	assert_refused 'both -b and --bundle'
}

@test "a standalone -- is refused" {
	run "$NSGUARD" create -- c1
	assert_refused 'a standalone "--"'
}

@test "no container id, or two, is refused" {
	run "$NSGUARD" create
	assert_refused 'exactly one container id, got 0'
	run "$NSGUARD" restore a b
	assert_refused 'exactly one container id, got 2'
}

@test "an argv that runc versions read differently is refused" {
	run "$NSGUARD" create c1 --bundle -x
	assert_refused 'argument "-x" is read differently'
}

@test "an unknown global flag before create is refused" {
	run "$NSGUARD" --bogus create c1
	assert_refused 'nsguard: refused runc create: global argument "--bogus": unknown flag'
}

@test "an unknown global flag without a checked command passes through" {
	run "$NSGUARD" --bogus state c1
	[ "$status" -eq 0 ]
	[ "$(recorded_argv | sed -n 2p)" = "--bogus" ]
}

@test "a refusal is appended to --log as a runc json record" {
	echo '{"level":"info","msg":"earlier","time":"2020-01-01T00:00:00Z"}' >"$TMP/log.json"
	run "$NSGUARD" --log "$TMP/log.json" --log-format json create --bogus c1
	assert_refused 'unknown flag'
	[ "$(wc -l <"$TMP/log.json")" -eq 2 ]
	tail -n 1 "$TMP/log.json" | jq -e '.level == "error" and (.msg | startswith("nsguard: refused runc create: argument \"--bogus\"")) and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(Z|[+-][0-9]{2}:[0-9]{2})$"))'
}

@test "a refusal is appended to --log in text format by default" {
	run "$NSGUARD" --log "$TMP/log.txt" create --bogus c1
	assert_refused 'unknown flag'
	grep -E '^time="[^"]+" level=error msg="nsguard: refused runc create: argument \\"--bogus\\": unknown flag"$' "$TMP/log.txt"
}

@test "a relative --log is relative to the current directory" {
	cd "$TMP"
	run "$NSGUARD" --log rel.json --log-format json create --bogus c1
	assert_refused 'unknown flag'
	jq -e '.level == "error"' "$TMP/rel.json"
}

@test "an unwritable --log still refuses, with the message on stderr" {
	run "$NSGUARD" --log "$TMP/no/such/dir/log.json" --log-format json create --bogus c1
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == *'unknown flag'* ]]
	[[ "${lines[1]}" == *"cannot open log file $TMP/no/such/dir/log.json"* ]]
	assert_not_executed
}
