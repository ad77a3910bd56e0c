#!/usr/bin/env bats
# Current Dockers (>= 24: --annotation, and --net=host has no network entry at
# all) with nsguard deployed as SPEC §1 says: Docker 26 from Debian's trixie
# and Docker 28+ from sid, each with containerd from its own suite, downloaded
# and extracted at test time under a temporary directory (never installed),
# each a private dockerd over a private containerd (docker-lib.bash). The
# real runc is the system's. NSGUARD_E2E_STRICT=1 turns a failed download
# into a failure.

load helpers
load docker-lib
load docker-new-fetch

bats_require_minimum_version 1.5.0

IMG=nsguard-busybox:e2e

# dn_instance NAME SUITE MIN-MAJOR: fetch SUITE's engines into $DN_ROOT/NAME.pkgs
# and prepare the instance $DN_ROOT/NAME; prints why not on failure.
dn_instance() {
	local suite="$2" min="$3" pkgs="$DN_ROOT/$1.pkgs" dir="$DN_ROOT/$1" v
	dn_fetch "$suite" "$pkgs" docker.io docker-cli containerd || return 1
	v=$(dn_version "$pkgs" docker.io)
	[ "${v%%.*}" -ge "$min" ] 2>/dev/null || { echo "$suite has docker.io $v, older than $min"; return 1; }
	dk_prepare "$dir" off
	echo "$pkgs/root/usr/sbin:$pkgs/root/usr/bin" >"$dir/bin.path"
	echo "$pkgs/root/usr/bin/docker" >"$dir/docker.cli"
	# SPEC §1's daemon.json as is (dockerd >= 23 refuses unknown keys).
	printf '{"runtimes": {"nsguard": {"path": "%s"}}, "default-runtime": "nsguard"}\n' "$NSGUARD" >"$dir/daemon.json"
}

setup_file() {
	export DN_MISSING DN_ROOT D26 D28 NSGUARD
	DN_MISSING=$(dk_missing)
	[ -z "$DN_MISSING" ] || return 0
	if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
		DN_MISSING="needs apt-get and dpkg-deb"
		return 0
	fi
	NSGUARD=$(readlink -f "$NSGUARD")
	DN_ROOT=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-docker-new.XXXXXX")
	chmod 0755 "$DN_ROOT"
	D26="$DN_ROOT/d26"
	D28="$DN_ROOT/d28"
	# The suites can be overridden (e.g. when sid moves on, or to test a failing download).
	if ! DN_MISSING=$(dn_instance d26 "${NSGUARD_E2E_DOCKER26_SUITE:-trixie}" 26) ||
		! DN_MISSING=$(dn_instance d28 "${NSGUARD_E2E_DOCKER28_SUITE:-sid}" 28); then
		[ -n "$DN_MISSING" ] || DN_MISSING="download failed"
		return 0
	fi
	dk_start "$D26" "$D28"
	make_rootfs_tar "$DN_ROOT/rootfs.tar"
	local dir
	for dir in "$D26" "$D28"; do
		dk "$dir" import "$DN_ROOT/rootfs.tar" "$IMG" >/dev/null
		# shellcheck disable=SC2046
		echo "# $(basename "$dir"): docker.io $(dn_version "$dir.pkgs" docker.io), containerd $(dn_version "$dir.pkgs" containerd): docker $(dk "$dir" version --format '{{.Server.Version}}') (client $(dk "$dir" version --format '{{.Client.Version}}')), $(env $(dk_env "$dir") containerd --version | cut -d' ' -f2-), runc $(runc --version | sed -n '1s/^runc version //p')" >&3
	done
}

teardown_file() {
	[ -n "${DN_ROOT:-}" ] && [ -d "$DN_ROOT" ] || return 0
	dk_stop_all "$DN_ROOT" "${D26:-}" "${D28:-}"
}

setup() {
	[ -z "${DN_MISSING:-}" ] || e2e_require "$DN_MISSING"
	[ -n "${DN_ROOT:-}" ] || e2e_require "the private dockerd did not start"
}

teardown() {
	local dir
	[ -n "${DN_ROOT:-}" ] && [ -z "${DN_MISSING:-}" ] || return 0
	for dir in "$D26" "$D28"; do
		[ -e "$dir/hardbin/runc" ] || ln -s "$NSGUARD" "$dir/hardbin/runc"
	done
	dk_rm_all "$D26" "$D28"
}

# expect DIR ID DECISION: one more audit record is expected for ID (kept in
# DIR/expected, which the last test compares with the whole trail).
expect() {
	echo "$2 $3" >>"$1/expected"
}

# expect_refused DIR TYPE HOW DOCKER-RUN-ARGS...: `docker run` fails with
# nsguard's refusal for TYPE, shared as HOW (a glob), as containerd and dockerd
# pass it on; the audit trail says refused.
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
	# $how is a glob (unquoted); dockerd may print a networking WARNING first.
	# shellcheck disable=SC2027
	[[ "$stderr" == *"docker: Error response from daemon: "*"OCI runtime create failed: nsguard: refused to create container \"$cid\": shares the host's $type namespace ("$how"): "* ]]
	expect "$dir" "$cid" refused
	run dk_audit_of "$dir" "$cid"
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r .decision <<<"$output")" = refused ]
	[ "$(jq -r --arg t "$type" '.shared[] | select(.type == $t) | .verdict' <<<"$output")" = refused ]
	[ -z "$(dk "$dir" ps -q --filter "id=$cid")" ]
}

# expect_audit DIR ID DECISION
expect_audit() {
	expect "$1" "$2" "$3"
	run dk_audit_of "$1" "$2"
	echo "audit: $output"
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r .decision <<<"$output")" = "$3" ]
	[ "$(jq -r .command <<<"$output")" = create ]
}

check_info() {
	local dir="$1"
	run --separate-stderr dk "$dir" info --format '{{.DefaultRuntime}}'
	[ "$status" -eq 0 ]
	[ "$output" = nsguard ]
	run --separate-stderr dk "$dir" info --format '{{json .Runtimes}}'
	[ "$status" -eq 0 ]
	[ "$(jq -r .nsguard.path <<<"$output")" = "$NSGUARD" ]
	run --separate-stderr dk "$dir" run --rm --cidfile "$BATS_TEST_TMPDIR/cid" "$IMG" echo hi
	[ "$status" -eq 0 ]
	[ "$output" = hi ]
	expect_audit "$dir" "$(cat "$BATS_TEST_TMPDIR/cid")" allowed
}

check_host() {
	local dir="$1"
	# Docker >= 24 writes no network entry for --net=host.
	expect_refused "$dir" network 'no "network" entry in linux.namespaces' --net=host
	expect_refused "$dir" pid 'no "pid" entry in linux.namespaces' --pid=host
	expect_refused "$dir" ipc 'no "ipc" entry in linux.namespaces' --ipc=host
}

check_annotation() {
	local dir="$1"
	run --separate-stderr dk "$dir" run --rm --cidfile "$BATS_TEST_TMPDIR/cid" \
		--annotation io.nsguard.allow=pid --pid=host "$IMG" readlink /proc/self/ns/pid
	echo "status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/self/ns/pid)" ]
	expect_audit "$dir" "$(cat "$BATS_TEST_TMPDIR/cid")" allowed-by-annotation
	run dk_audit_of "$dir" "$(cat "$BATS_TEST_TMPDIR/cid")"
	[ "$(jq -r .annotation <<<"$output")" = pid ]
}

check_container_net() {
	local dir="$1" x
	# Not hard mode for X: the shim's `runc` is the real one.
	rm "$dir/hardbin/runc"
	x=$(dk "$dir" run -d --runtime=runc --net=host "$IMG" sleep 300)
	ln -s "$NSGUARD" "$dir/hardbin/runc"
	[ "$(dk "$dir" exec "$x" readlink /proc/self/ns/net)" = "$(readlink /proc/self/ns/net)" ]
	[ -z "$(dk_audit_of "$dir" "$x")" ]
	expect_refused "$dir" network "path /proc/*/ns/net is the host's network namespace" --net="container:$x"
}

check_hard() {
	local dir="$1"
	run --separate-stderr dk "$dir" run --rm --runtime=runc --cidfile "$BATS_TEST_TMPDIR/cid" "$IMG" echo via-runc
	[ "$status" -eq 0 ]
	[ "$output" = via-runc ]
	expect_audit "$dir" "$(cat "$BATS_TEST_TMPDIR/cid")" allowed
	expect_refused "$dir" network 'no "network" entry in linux.namespaces' --runtime=runc --net=host
	expect_refused "$dir" pid 'no "pid" entry in linux.namespaces' --runtime=runc --pid=host
}

check_trail() {
	local dir="$1"
	echo "expected:"; sort "$dir/expected"
	echo "audit:"; jq -r '.id + " " + .decision' "$dir/audit.jsonl" | sort
	[ "$(jq -r '.id + " " + .decision' "$dir/audit.jsonl" | sort)" = "$(sort "$dir/expected")" ]
	# The counts of the tests above: 6 refusals, 2 plain and 1 annotated start.
	[ "$(jq -r 'select(.decision == "refused") | .id' "$dir/audit.jsonl" | wc -l)" -eq 6 ]
	[ "$(jq -r 'select(.decision == "allowed") | .id' "$dir/audit.jsonl" | wc -l)" -eq 2 ]
	[ "$(jq -r 'select(.decision == "allowed-by-annotation") | .id' "$dir/audit.jsonl" | wc -l)" -eq 1 ]
}

@test "docker 26: info shows nsguard as the default runtime; a plain container runs" { check_info "$D26"; }
@test "docker 28: info shows nsguard as the default runtime; a plain container runs" { check_info "$D28"; }
@test "docker 26: --net=host, --pid=host, --ipc=host are refused with nsguard's reason" { check_host "$D26"; }
@test "docker 28: --net=host, --pid=host, --ipc=host are refused with nsguard's reason" { check_host "$D28"; }
@test "docker 26: --annotation io.nsguard.allow=pid --pid=host runs in the host's pid namespace" { check_annotation "$D26"; }
@test "docker 28: --annotation io.nsguard.allow=pid --pid=host runs in the host's pid namespace" { check_annotation "$D28"; }
@test "docker 26: --net=container:X of a host-network X is refused by identity" { check_container_net "$D26"; }
@test "docker 28: --net=container:X of a host-network X is refused by identity" { check_container_net "$D28"; }
@test "docker 26 hard mode: --runtime=runc goes through nsguard" { check_hard "$D26"; }
@test "docker 28 hard mode: --runtime=runc goes through nsguard" { check_hard "$D28"; }
@test "docker 26: the audit trail has exactly the decisions the tests made" { check_trail "$D26"; }
@test "docker 28: the audit trail has exactly the decisions the tests made" { check_trail "$D28"; }
