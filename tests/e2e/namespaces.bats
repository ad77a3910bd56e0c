#!/usr/bin/env bats
# The decision through real runc: what runs, what is refused, and that what
# runs really is in the namespaces nsguard said it would be.

load helpers

setup() {
	e2e_setup_runc
	HOST_NET=$(readlink /proc/self/ns/net)
	# A bind mount of the host's network namespace, as `ip netns` or Docker <= 24
	# make, in a directory the policy lists in namespace_dirs (as root, joined
	# files elsewhere are refused before their identity is looked at).
	mkdir -m 0755 "$TMP/netns"
	printf '{"runtime": "%s", "namespace_dirs": ["%s"], "audit": {"syslog": false, "file": ""}}\n' \
		"$REAL_RUNC" "$TMP/netns" >"$NSGUARD_POLICY"
	touch "$TMP/netns/hostnet"
	mount --bind /proc/self/ns/net "$TMP/netns/hostnet"
}

teardown() {
	umount "$TMP/netns/hostnet" 2>/dev/null || true
	e2e_teardown_runc
}

netns_bundle() { # DIR JQ-FILTER: a container that prints its network namespace
	make_bundle "$1" readlink /proc/self/ns/net
	edit_config "$1" "$2"
}

@test "e2e: a private container runs, in namespaces of its own" {
	netns_bundle "$TMP/private" '.'
	run nsg run --bundle "$TMP/private" e2e-private
	[ "$status" -eq 0 ]
	[[ "$output" == net:* ]]
	[ "$output" != "$HOST_NET" ]
}

@test "e2e: a spec inheriting the host network is refused and nothing is created" {
	netns_bundle "$TMP/inherit" '.linux.namespaces |= map(select(.type != "network"))'
	run nsg run --bundle "$TMP/inherit" e2e-inherit
	[ "$status" -eq 1 ]
	[[ "$output" == *'shares the host'"'"'s network namespace (no "network" entry in linux.namespaces)'* ]]
	[ ! -e "$STATE/e2e-inherit" ]
	run "$REAL_RUNC" --root "$STATE" state e2e-inherit
	[ "$status" -ne 0 ]
}

@test "e2e: joining a bind mount of the host's network namespace is refused" {
	netns_bundle "$TMP/joined" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"$TMP/netns/hostnet\"}"
	run nsg run --bundle "$TMP/joined" e2e-joined
	[ "$status" -eq 1 ]
	[[ "$output" == *"path $TMP/netns/hostnet is the host's network namespace"* ]]
	[ ! -e "$STATE/e2e-joined" ]
}

@test "e2e: with io.nsguard.allow=network it runs, really in the host's network namespace" {
	netns_bundle "$TMP/allowed" "(.linux.namespaces[] | select(.type == \"network\")) += {\"path\": \"$TMP/netns/hostnet\"}
		| .annotations = {\"io.nsguard.allow\": \"network\"}"
	run nsg run --bundle "$TMP/allowed" e2e-allowed
	[ "$status" -eq 0 ]
	[ "$output" = "$HOST_NET" ]
}

@test "e2e: runc reads a capitalised \"Path\" key, and so does nsguard" {
	netns_bundle "$TMP/cap" "(.linux.namespaces[] | select(.type == \"network\")) += {\"Path\": \"$TMP/netns/hostnet\"}"
	# runc alone: Go's decoder matches "Path" to the path field, so the container joins the host's namespace.
	run "$REAL_RUNC" --root "$STATE" run --bundle "$TMP/cap" e2e-cap-direct
	[ "$status" -eq 0 ]
	[ "$output" = "$HOST_NET" ]
	# Through nsguard the same spec is refused.
	run nsg run --bundle "$TMP/cap" e2e-cap
	[ "$status" -eq 1 ]
	[[ "$output" == *"path $TMP/netns/hostnet is the host's network namespace"* ]]
}

@test "e2e: a refusal with --log json is runc's own log format" {
	netns_bundle "$TMP/log" '.linux.namespaces |= map(select(.type != "pid"))'
	run nsg --log "$TMP/runc.log" --log-format json create --bundle "$TMP/log" e2e-log
	[ "$status" -eq 1 ]
	jq -e '.level == "error" and (.msg | contains("host'"'"'s pid namespace"))' "$TMP/runc.log"
}
