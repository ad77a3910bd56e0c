#!/usr/bin/env bats
# Every command but create/run/restore reaches the runtime untouched and unread.

load helpers

setup() { setup_nsguard; }
teardown() { teardown_nsguard; }

@test "state passes through byte-identically" {
	assert_transparent state mycontainer
}

@test "kill passes through byte-identically" {
	assert_transparent kill mycontainer KILL
}

@test "delete passes through byte-identically" {
	assert_transparent delete --force mycontainer
}

@test "exec passes through, its flags and the command's own arguments untouched" {
	assert_transparent exec -t --cwd / mycontainer sh -c 'echo "$HOME" --bundle /x'
}

@test "features passes through byte-identically" {
	assert_transparent features
}

@test "update passes through byte-identically" {
	assert_transparent update --memory 1000000 --pids-limit=10 mycontainer
}

@test "ps passes through byte-identically" {
	assert_transparent ps mycontainer -- -ef
}

@test "start passes through byte-identically" {
	assert_transparent start mycontainer
}

@test "global flags before a pass-through command are kept exactly" {
	assert_transparent --root /run/x --log /dev/null --log-format json --systemd-cgroup state c1
}

@test "unknown commands and odd bytes pass through" {
	assert_transparent frobnicate $'new\nline' '' ' spaced ' $'\xff\xfe' --weird=1
}

@test "--version and -v pass through untouched" {
	assert_transparent --version
	assert_transparent -v
}

@test "help passes through, even for checked commands" {
	assert_transparent --help
	assert_transparent create --help
	assert_transparent run -h
}

@test "the runtime's exit status is returned unchanged" {
	export FAKE_RUNTIME_EXIT=42
	assert_transparent state c1
	run "$NSGUARD" state c1
	[ "$status" -eq 42 ]
}

@test "inherited descriptors, environment and cwd reach the runtime" {
	cd "$TMP"
	exec 7<"$POLICY" 9>"$TMP/out"
	FOO='a b' assert_transparent --root r state c1
	grep -q "^7 -> $POLICY\$" "$TMP/via/fds"
	grep -q "^9 -> $TMP/out\$" "$TMP/via/fds"
	grep -qz '^FOO=a b$' "$TMP/via/env"
	[ "$(cat "$TMP/via/cwd")" = "$TMP" ]
	exec 7<&- 9>&-
}

@test "an allowed create is transparent too" {
	make_config "$TMP/bundle"
	assert_transparent --log "$TMP/log.json" --log-format json create --bundle "$TMP/bundle" --pid-file p c1
	[ ! -e "$TMP/log.json" ] || [ ! -s "$TMP/log.json" ]
}

@test "argv[0] the runtime gets is its own path" {
	run "$NSGUARD" state c1
	[ "$(recorded_argv | head -n 1)" = "$FAKE_RUNTIME" ]
}
