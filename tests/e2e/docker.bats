#!/usr/bin/env bats
# Docker 20.10 (Debian's docker.io, API 1.41) over containerd 1.6 with nsguard
# deployed as SPEC §1 says: Docker's default runtime (daemon.json) and hard
# mode (nsguard is the first `runc` on the engines' PATH). Two private
# instances, started once for the file: "main" (policy with "user": "off",
# since a plain container has no user namespace) and "userns" (dockerd with
# --userns-remap default, policy enforcing the user namespace).

load helpers
load docker-lib

bats_require_minimum_version 1.5.0

IMG=nsguard-busybox:e2e

setup_file() {
	export DK_MISSING DK_ROOT D U DOCKER_HOST DOCKER_CONFIG NSGUARD
	DK_MISSING=$(dk_missing)
	[ -z "$DK_MISSING" ] || return 0
	# daemon.json and the hard-mode symlink need an absolute path.
	NSGUARD=$(readlink -f "$NSGUARD")
	DK_ROOT=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-docker.XXXXXX")
	# The remapped root of the userns instance must reach its image layers.
	chmod 0755 "$DK_ROOT"
	D="$DK_ROOT/main"
	U="$DK_ROOT/userns"
	dk_prepare "$D" off
	dk_prepare "$U" enforce --userns-remap default
	dk_start "$D" "$U"
	# A plain `docker` talks to the main instance (the tests use dk DIR ...).
	DOCKER_HOST="unix://$D/docker.sock"
	DOCKER_CONFIG="$D/cli"
	make_rootfs_tar "$DK_ROOT/rootfs.tar"
	dk "$D" import "$DK_ROOT/rootfs.tar" "$IMG" >/dev/null
	dk "$U" import "$DK_ROOT/rootfs.tar" "$IMG" >/dev/null
}

# Runs also when setup_file failed half-way (bats calls it from its EXIT trap).
teardown_file() {
	[ -n "${DK_ROOT:-}" ] && [ -d "$DK_ROOT" ] || return 0
	dk_stop_all "$DK_ROOT" "$D" "$U"
}

setup() {
	[ -z "${DK_MISSING:-}" ] || e2e_require "$DK_MISSING"
	[ -n "${DK_ROOT:-}" ] || e2e_require "the private dockerd did not start"
}

# Every test removes its containers.
teardown() {
	[ -n "${DK_ROOT:-}" ] || return 0
	dk_rm_all "$D" "$U"
}

# expect_refused DIR TYPE HOW DOCKER-RUN-ARGS...: `docker run` of the image
# with those arguments fails with nsguard's refusal for TYPE, shared as HOW,
# as containerd and dockerd pass it on; the audit trail says refused.
expect_refused() {
	local dir="$1" type="$2" how="$3" cid
	shift 3
	rm -f "$BATS_TEST_TMPDIR/cid"
	run --separate-stderr dk "$dir" run --rm --cidfile "$BATS_TEST_TMPDIR/cid" "$@" "$IMG" echo ran
	# shellcheck disable=SC2154 # set by run --separate-stderr
	echo "status $status; stdout: $output; stderr: $stderr"
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	cid=$(cat "$BATS_TEST_TMPDIR/cid")
	[ -n "$cid" ]
	[[ "$stderr" == *"docker: Error response from daemon: failed to create shim task: OCI runtime create failed: nsguard: refused to create container \"$cid\": shares the host's $type namespace ($how): "* ]]
	run dk_audit_of "$dir" "$cid"
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r .decision <<<"$output")" = refused ]
	[ "$(jq -r --arg t "$type" '.shared[] | select(.type == $t) | .verdict' <<<"$output")" = refused ]
	# Nothing of it runs.
	[ -z "$(dk "$dir" ps -q --filter "id=$cid")" ]
}

# expect_allowed DIR ID: one audit record for container ID, allowed.
expect_allowed() {
	run dk_audit_of "$1" "$2"
	echo "audit: $output"
	[ "${#lines[@]}" -eq "${3:-1}" ]
	[ "$(jq -r .decision <<<"${lines[-1]}")" = allowed ]
	[ "$(jq -r .command <<<"${lines[-1]}")" = create ]
}

@test "docker: info shows nsguard as a runtime and the default runtime, and runc's own version" {
	run --separate-stderr dk "$D" info --format '{{.DefaultRuntime}}'
	[ "$status" -eq 0 ]
	[ "$output" = nsguard ]
	run --separate-stderr dk "$D" info --format '{{json .Runtimes}}'
	[ "$status" -eq 0 ]
	[ "$(jq -r .nsguard.path <<<"$output")" = "$NSGUARD" ]
	# dockerd runs `<default runtime> --version` and parses runc's lines:
	# through nsguard they are runc's.
	run --separate-stderr dk "$D" info --format '{{.RuncCommit.ID}}'
	[ "$status" -eq 0 ]
	[ "$output" = "$(runc --version | sed -n 's/^commit: //p')" ]
}

@test "docker: a container with private namespaces runs through nsguard (true, echo hi)" {
	run --separate-stderr dk "$D" run --rm --cidfile "$BATS_TEST_TMPDIR/cid1" "$IMG" true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	expect_allowed "$D" "$(cat "$BATS_TEST_TMPDIR/cid1")"
	run --separate-stderr dk "$D" run --rm --cidfile "$BATS_TEST_TMPDIR/cid2" "$IMG" echo hi
	[ "$status" -eq 0 ]
	[ "$output" = hi ]
	expect_allowed "$D" "$(cat "$BATS_TEST_TMPDIR/cid2")"
}

@test "docker: --net=host is refused: shares the host's network namespace" {
	expect_refused "$D" network "path $D/exec/netns/default is the host's network namespace" --net=host
}

@test "docker: --pid=host is refused: shares the host's pid namespace" {
	expect_refused "$D" pid 'no "pid" entry in linux.namespaces' --pid=host
}

@test "docker: --ipc=host is refused: shares the host's ipc namespace" {
	expect_refused "$D" ipc 'no "ipc" entry in linux.namespaces' --ipc=host
}

@test "docker: --net=container:X of a private running X runs, in X's network namespace" {
	local x xnet
	x=$(dk "$D" run -d "$IMG" sleep 300)
	xnet=$(dk "$D" exec "$x" readlink /proc/self/ns/net)
	[[ "$xnet" == net:* ]]
	[ "$xnet" != "$(readlink /proc/self/ns/net)" ]
	run --separate-stderr dk "$D" run --rm --cidfile "$BATS_TEST_TMPDIR/cid" --net="container:$x" "$IMG" readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$xnet" ]
	expect_allowed "$D" "$(cat "$BATS_TEST_TMPDIR/cid")"
}

@test "docker: an allowed container can be exec'd into, stopped, restarted and removed" {
	local id
	id=$(dk "$D" run -d "$IMG" sleep 300)
	expect_allowed "$D" "$id"
	run --separate-stderr dk "$D" exec "$id" echo exec-ok
	[ "$status" -eq 0 ]
	[ "$output" = exec-ok ]
	run --separate-stderr dk "$D" exec "$id" readlink /proc/self/ns/pid
	[ "$status" -eq 0 ]
	[[ "$output" == pid:* ]]
	[ "$output" != "$(readlink /proc/self/ns/pid)" ]
	run --separate-stderr dk "$D" stop -t 1 "$id"
	[ "$status" -eq 0 ]
	[ "$(dk "$D" inspect -f '{{.State.Running}}' "$id")" = false ]
	# restart creates the container again: a second decision.
	run --separate-stderr dk "$D" restart -t 1 "$id"
	[ "$status" -eq 0 ]
	[ "$(dk "$D" inspect -f '{{.State.Running}}' "$id")" = true ]
	expect_allowed "$D" "$id" 2
	run --separate-stderr dk "$D" exec "$id" echo exec-after-restart
	[ "$status" -eq 0 ]
	[ "$output" = exec-after-restart ]
	run --separate-stderr dk "$D" stop -t 1 "$id"
	[ "$status" -eq 0 ]
	run --separate-stderr dk "$D" rm "$id"
	[ "$status" -eq 0 ]
	run --separate-stderr dk "$D" inspect "$id"
	[ "$status" -ne 0 ]
}

@test "docker hard mode: --runtime=runc finds runc on PATH, which is nsguard, so --net=host is refused there too" {
	# dockerd 20.10's built-in runtime "runc" is the bare name, handed to
	# containerd's runc shim, which looks it up on its PATH (containerd's).
	run --separate-stderr dk "$D" info --format '{{json .Runtimes}}'
	[ "$status" -eq 0 ]
	[ "$(jq -r .runc.path <<<"$output")" = runc ]
	[ "$(readlink "$D/hardbin/runc")" = "$NSGUARD" ]
	run --separate-stderr dk "$D" run --rm --runtime=runc --cidfile "$BATS_TEST_TMPDIR/cid" "$IMG" echo via-runc
	[ "$status" -eq 0 ]
	[ "$output" = via-runc ]
	# nsguard decided it, though Docker ran it with its runtime "runc".
	expect_allowed "$D" "$(cat "$BATS_TEST_TMPDIR/cid")"
	local id
	id=$(dk "$D" run -d --runtime=runc "$IMG" sleep 300)
	[ "$(dk "$D" inspect -f '{{.HostConfig.Runtime}}' "$id")" = runc ]
	expect_allowed "$D" "$id"
	# Its shim, which executed `runc`, has hard mode's PATH (containerd's).
	local shim
	shim=$(pgrep -f "containerd-shim-runc-v2 .*-id $id ")
	[ -n "$shim" ]
	tr '\0' '\n' <"/proc/$shim/environ" | grep -qx "PATH=$D/hardbin:.*"
	expect_refused "$D" network "path $D/exec/netns/default is the host's network namespace" --runtime=runc --net=host
}

@test "docker userns-remap: a plain container runs in a user namespace mapped to dockremap's subordinate ids" {
	local start count inside outside size
	# dockerd created (or found) dockremap and its /etc/subuid range.
	start=$(awk -F: '$1 == "dockremap" { print $2; exit }' /etc/subuid)
	count=$(awk -F: '$1 == "dockremap" { print $3; exit }' /etc/subuid)
	[ -n "$start" ]
	[ -n "$count" ]
	getent passwd dockremap
	run --separate-stderr dk "$U" run --rm --cidfile "$BATS_TEST_TMPDIR/cid" "$IMG" cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	read -r inside outside size <<<"$output"
	[ "$inside $outside $size" = "0 $start $count" ]
	expect_allowed "$U" "$(cat "$BATS_TEST_TMPDIR/cid")"
	run dk_audit_of "$U" "$(cat "$BATS_TEST_TMPDIR/cid")"
	[ -z "$(jq -r '.shared[] | select(.type == "user") | .type' <<<"$output")" ]
}

@test "docker userns-remap: --userns=host is refused: shares the host's user namespace" {
	expect_refused "$U" user 'no "user" entry in linux.namespaces' --userns=host
}
