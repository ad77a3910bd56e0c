#!/usr/bin/env bats
# nsguard audit: what already runs under runc state roots, and what it shares with the host.

load helpers

setup() { e2e_setup_runc; }

# Sharing the host's pid or uts namespace does not mix with a private user
# namespace in runc (/proc and the hostname belong to the host's): drop it,
# and let the policy ignore user namespaces for these containers.
without_userns() {
	printf '{"runtime": "%s", "namespaces": {"user": "off"}, "audit": {"syslog": false, "file": ""}}\n' \
		"$REAL_RUNC" >"$NSGUARD_POLICY"
	edit_config "$1" '.linux.namespaces |= map(select(.type != "user")) | del(.linux.uidMappings, .linux.gidMappings)
		| del(.hostname) | '"$2"
}
teardown() { e2e_teardown_runc; }

@test "audit: a private container shares nothing, exit 0" {
	nsg create --bundle "$TMP/bundle" audit-private </dev/null >/dev/null 2>&1
	run "$NSGUARD" audit --root "$STATE"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^audit-private\ +[0-9]+\ +$STATE\ +-$ ]]
}

@test "audit: a container in the host's network and pid namespaces is reported with its CIS controls, exit 1" {
	make_bundle "$TMP/host" sleep 300
	without_userns "$TMP/host" '.linux.namespaces |= map(select(.type != "network" and .type != "pid"))
		| .annotations = {"io.nsguard.allow": "network,pid"}'
	nsg create --bundle "$TMP/host" audit-host </dev/null >/dev/null 2>&1
	nsg create --bundle "$TMP/bundle" audit-private </dev/null >/dev/null 2>&1
	run "$NSGUARD" audit --root "$STATE"
	[ "$status" -eq 1 ]
	[[ "$output" == *"audit-host"*"network(CIS 5.9) pid(CIS 5.15) user(CIS 5.30)"* ]]
	run "$NSGUARD" audit --json --root "$TMP/no-such-root" "$STATE"
	[ "$status" -eq 1 ]
	jq -se 'map(select(.id == "audit-host"))[0].shared | map(.type) == ["network", "pid", "user"]' <<<"$output"
	jq -se 'map(select(.id == "audit-private"))[0].shared == []' <<<"$output"
}

@test "audit: a shared type the policy does not look at is listed but does not fail" {
	make_bundle "$TMP/uts" sleep 300
	without_userns "$TMP/uts" '.linux.namespaces |= map(select(.type != "uts"))'
	nsg create --bundle "$TMP/uts" audit-uts </dev/null >/dev/null 2>&1
	run "$NSGUARD" audit --root "$STATE"
	[ "$status" -eq 0 ]
	[[ "$output" == *"audit-uts"*"uts(CIS 5.20)"* ]]
}
