#!/usr/bin/env bats
# podman through nsguard (SPEC section 1): `podman --runtime "$NSGUARD"` and
# `[engine.runtimes]` in containers.conf, with all of podman's state private.
#
# podman 4.3 does not hand its own environment to conmon, and conmon executes
# `runtime create`: conmon gets only LC_*, CONTAINERS_CONF, HOME, PATH and
# podman's own variables. NSGUARD_POLICY reaches nsguard through
# containers.conf's `conmon_env_vars` (the last test shows the difference).

load helpers

bats_require_minimum_version 1.5.0

POD_IMG=localhost/nsguard-e2e:latest

# podman with every piece of state under the temporary directory; the
# container's networking is only ever none or host.
podman_() {
	timeout 60 podman --root "$POD_TMP/storage" --runroot "$POD_TMP/run" --tmpdir "$POD_TMP/tmp" \
		--volumepath "$POD_TMP/volumes" --network-config-dir "$POD_TMP/net" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file "$@"
}

# The same with nsguard as the runtime.
podman_nsg() {
	podman_ --runtime "$NSGUARD" "$@"
}

# Pids of processes that name our temporary directory (conmon, podman's
# cleanup process).
pod_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" != "$$" ] || continue
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$POD_TMP/" && echo "${p#/proc/}"
	done
	return 0
}

pod_audit_lines() {
	if [ -f "$POD_TMP/audit.jsonl" ]; then wc -l <"$POD_TMP/audit.jsonl"; else echo 0; fi
}

# The audit records nsguard appended after line $1.
pod_audit_since() {
	[ -f "$POD_TMP/audit.jsonl" ] || return 0
	tail -n +"$(($1 + 1))" "$POD_TMP/audit.jsonl"
}

# No container is left, no conmon runs for it, runc has no state for ID.
pod_assert_gone() {
	local pids=
	[ -z "$(podman_ ps -aq)" ]
	for _ in $(seq 50); do
		pids=$(pod_pids)
		[ -n "$pids" ] || break
		sleep 0.1
	done
	[ -z "$pids" ]
	[ -z "${1:-}" ] || [ ! -e "/run/runc/$1" ]
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || e2e_require "needs root"
	e2e_require_cmd podman podman
	e2e_require_cmd conmon conmon
	e2e_require_cmd runc runc
	e2e_require_cmd busybox busybox-static
	e2e_require_cmd jq jq
	POD_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-podman.XXXXXX")
	chmod 0755 "$POD_TMP"
	export POD_TMP
	# `podman import` writes containers/image's blob-info cache to the fixed
	# /var/lib/containers/cache: remove it again only if it was not there.
	POD_HAD_VARLIB=0
	[ ! -e /var/lib/containers ] || POD_HAD_VARLIB=1

	printf '{"runtime": "%s", "namespaces": {"user": "off"}, "audit": {"syslog": false, "file": "%s/audit.jsonl"}}\n' \
		"$(command -v runc)" "$POD_TMP" >"$POD_TMP/policy.json"
	chmod 0644 "$POD_TMP/policy.json"
	# A private signature policy for `podman import`.
	echo '{"default": [{"type": "insecureAcceptAnything"}]}' >"$POD_TMP/signature-policy.json"

	# A private containers.conf (CONTAINERS_CONF replaces the system's files).
	# podman asks for RLIMIT_NOFILE and RLIMIT_NPROC of 1048576 for a root
	# container, having set its own (and so conmon's and runc's) to its hard
	# limit and 32768; without CAP_SYS_RESOURCE (sandboxed hosts) runc cannot
	# raise them, so ask for what the runtime has.
	local ulimits=
	if ! (($(printf '%d' "0x$(awk '/^CapEff:/ {print $2}' /proc/self/status)") >> 24 & 1)); then
		ulimits="default_ulimits = [\"nofile=$(ulimit -Hn):$(ulimit -Hn)\", \"nproc=32768:32768\"]"
	fi
	cat >"$POD_TMP/base.conf" <<-EOF
		[containers]
		$ulimits

		[engine]
	EOF
	{
		cat "$POD_TMP/base.conf"
		echo "conmon_env_vars = [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"NSGUARD_POLICY=$POD_TMP/policy.json\"]"
	} >"$POD_TMP/containers.conf"
	# SPEC section 1's other way: nsguard as the default runtime.
	{
		cat "$POD_TMP/containers.conf"
		echo 'runtime = "nsguard"'
		echo
		echo '[engine.runtimes]'
		echo "nsguard = [\"$NSGUARD\"]"
	} >"$POD_TMP/nsguard.conf"
	export CONTAINERS_CONF="$POD_TMP/containers.conf"
	# nsguard reads NSGUARD_POLICY where podman calls the runtime itself.
	export NSGUARD_POLICY="$POD_TMP/policy.json"

	make_rootfs_tar "$POD_TMP/rootfs.tar"
	podman_ import --signature-policy "$POD_TMP/signature-policy.json" --quiet \
		"$POD_TMP/rootfs.tar" "$POD_IMG" >"$POD_TMP/import.log" 2>&1 || {
		cat "$POD_TMP/import.log" >&2
		return 1
	}
	[ -n "$(podman_ images --quiet "$POD_IMG")" ]
}

teardown_file() {
	[ -n "${POD_TMP:-}" ] || return 0
	local pid m
	podman_ rm --all --force --time 0 >/dev/null 2>&1 || true
	podman_ rmi --all --force >/dev/null 2>&1 || true
	# conmon and podman's cleanup process exit on their own; give them time.
	for _ in $(seq 50); do
		[ -n "$(pod_pids)" ] || break
		sleep 0.1
	done
	for pid in $(pod_pids); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	findmnt -rn -o TARGET | grep -F "$POD_TMP/" | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done
	rm -rf "$POD_TMP"
	if [ "${POD_HAD_VARLIB:-1}" = 0 ]; then
		rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb
		rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null || true
	fi
}

@test "podman: a container with private namespaces runs through nsguard" {
	local before
	before=$(pod_audit_lines)
	run podman_nsg run --rm --network=none "$POD_IMG" \
		sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/pid'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == net:\[* ]]
	[ "${lines[0]}" != "$(readlink /proc/self/ns/net)" ]
	[[ "${lines[1]}" == pid:\[* ]]
	[ "${lines[1]}" != "$(readlink /proc/self/ns/pid)" ]
	[ "$(pod_audit_since "$before" | jq -r .decision)" = allowed ]
	pod_assert_gone
}

@test "podman: --network=host is refused with nsguard's message on podman's stderr" {
	local before rec id
	before=$(pod_audit_lines)
	run --separate-stderr podman_nsg run --rm --network=host "$POD_IMG" true
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	[[ "$stderr" == "Error: OCI runtime error: $NSGUARD: nsguard: refused to create container \""*"\": shares the host's network namespace (no \"network\" entry in linux.namespaces): add annotation io.nsguard.allow=network" ]]
	rec=$(pod_audit_since "$before")
	[ "$(jq -r .decision <<<"$rec")" = refused ]
	[ "$(jq -r '.shared[] | select(.type == "network") | .verdict' <<<"$rec")" = refused ]
	id=$(jq -r .id <<<"$rec")
	[[ "$stderr" == *"refused to create container \"$id\""* ]]
	pod_assert_gone "$id"
}

@test "podman: --pid=host runs in the host's pid namespace only with annotation io.nsguard.allow=pid" {
	local before rec
	before=$(pod_audit_lines)
	run --separate-stderr podman_nsg run --rm --network=none --pid=host "$POD_IMG" true
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"nsguard: refused to create container"*"shares the host's pid namespace (no \"pid\" entry in linux.namespaces): add annotation io.nsguard.allow=pid" ]]
	pod_assert_gone

	before=$(pod_audit_lines)
	run podman_nsg run --rm --network=none --pid=host --annotation io.nsguard.allow=pid "$POD_IMG" \
		readlink /proc/self/ns/pid
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/self/ns/pid)" ]
	rec=$(pod_audit_since "$before")
	[ "$(jq -r .decision <<<"$rec")" = allowed-by-annotation ]
	[ "$(jq -r .annotation <<<"$rec")" = pid ]
	[ "$(jq -r '.shared[] | select(.type == "pid") | .verdict' <<<"$rec")" = annotated ]
	pod_assert_gone
}

@test "podman: [engine.runtimes] in containers.conf makes nsguard the default runtime" {
	local before
	[ "$(CONTAINERS_CONF="$POD_TMP/nsguard.conf" podman_ info --format '{{.Host.OCIRuntime.Path}}')" = "$NSGUARD" ]
	before=$(pod_audit_lines)
	CONTAINERS_CONF="$POD_TMP/nsguard.conf" run --separate-stderr podman_ run --rm --network=host "$POD_IMG" true
	[ "$status" -ne 0 ]
	[[ "$stderr" == "Error: OCI runtime error: nsguard: nsguard: refused to create container \""*"\": shares the host's network namespace (no \"network\" entry in linux.namespaces): add annotation io.nsguard.allow=network" ]]
	[ "$(pod_audit_since "$before" | jq -r .decision)" = refused ]
	pod_assert_gone

	before=$(pod_audit_lines)
	CONTAINERS_CONF="$POD_TMP/nsguard.conf" run podman_ run --rm --network=none "$POD_IMG" true
	[ "$status" -eq 0 ]
	[ "$(pod_audit_since "$before" | jq -r .decision)" = allowed ]
	pod_assert_gone
}

@test "podman: NSGUARD_POLICY reaches nsguard through conmon_env_vars, not podman's environment" {
	local before
	# podman's environment has NSGUARD_POLICY (setup_file exports it), but
	# without conmon_env_vars nsguard's create never sees it: no audit record
	# in our file. (Whether the container then runs depends on the host's
	# /etc/nsguard/policy.json or the built-in defaults.)
	[ "$NSGUARD_POLICY" = "$POD_TMP/policy.json" ]
	# With the built-in defaults nsguard audits to /var/log/nsguard: leave the
	# host as it was.
	local had_log=0
	[ ! -e /var/log/nsguard ] || had_log=1
	before=$(pod_audit_lines)
	CONTAINERS_CONF="$POD_TMP/base.conf" run podman_nsg run --rm --network=none "$POD_IMG" true
	[ "$had_log" = 1 ] || rm -rf /var/log/nsguard
	[ "$(pod_audit_lines)" -eq "$before" ]
	pod_assert_gone
	# With it, a running container's conmon carries it.
	podman_nsg run --detach --name e2e-pod-env --network=none "$POD_IMG" sleep 60 >/dev/null
	local conmon
	conmon=$(cat "$(podman_ inspect --format '{{.ConmonPidFile}}' e2e-pod-env)")
	[ -n "$conmon" ]
	tr '\0' '\n' <"/proc/$conmon/environ" | grep -qxF "NSGUARD_POLICY=$POD_TMP/policy.json"
	[ "$(pod_audit_lines)" -eq "$((before + 1))" ]
	podman_ rm --force --time 0 e2e-pod-env >/dev/null
	pod_assert_gone
}
