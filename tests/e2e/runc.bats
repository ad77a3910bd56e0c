#!/usr/bin/env bats
# Real runc through nsguard: a container's whole life cycle.

load helpers

setup() { e2e_setup_runc; }
teardown() { e2e_teardown_runc; }

@test "runc: create, start, state, kill and delete through nsguard" {
	# The container inherits create's stdio: keep it off bats' capture pipe.
	nsg create --bundle "$TMP/bundle" --pid-file "$TMP/pid" e2e-life </dev/null >"$TMP/out" 2>&1
	run nsg state e2e-life
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = created ]
	[ "$(jq -r .pid <<<"$output")" = "$(cat "$TMP/pid")" ]
	run nsg start e2e-life
	[ "$status" -eq 0 ]
	run nsg state e2e-life
	[ "$(jq -r .status <<<"$output")" = running ]
	run nsg list
	[[ "$output" == *e2e-life*running* ]]
	run nsg kill e2e-life KILL
	[ "$status" -eq 0 ]
	for _ in $(seq 50); do
		[ "$(nsg state e2e-life | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	[ "$(nsg state e2e-life | jq -r .status)" = stopped ]
	run nsg delete e2e-life
	[ "$status" -eq 0 ]
	run nsg state e2e-life
	[ "$status" -ne 0 ]
}

@test "runc: run with a relative bundle in the foreground returns the container's exit status" {
	make_bundle "$TMP/exit" sh -c 'exit 7'
	cd "$TMP"
	run nsg run --bundle exit e2e-exit
	[ "$status" -eq 7 ]
}

@test "runc: a refused argv creates nothing in runc's state" {
	run nsg create --bundle "$TMP/bundle" --bogus e2e-refused
	[ "$status" -eq 1 ]
	[[ "$output" == *'"--bogus": unknown flag'* ]]
	[ ! -e "$STATE/e2e-refused" ]
	run "$REAL_RUNC" --root "$STATE" state e2e-refused
	[ "$status" -ne 0 ]
}

@test "runc: --version through nsguard is runc's own" {
	[ "$("$NSGUARD" --version)" = "$("$REAL_RUNC" --version)" ]
}
