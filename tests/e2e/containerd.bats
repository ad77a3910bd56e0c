#!/usr/bin/env bats
# containerd through nsguard (SPEC section 1): one private containerd for the
# whole file, containers started with `ctr run --runc-binary "$NSGUARD"`.
#
# The policy reaches nsguard through the environment: containerd starts the
# runc shim with its own environment, and the shim executes the runtime with it.

load helpers

bats_require_minimum_version 1.5.0

CTR_NS=nsguard-e2e
CTR_IMG=localhost/nsguard-e2e/busybox:latest

# ctr against the private containerd, bounded in time.
ctr_() {
	timeout 60 ctr --address "$CTR_SOCK" --namespace "$CTR_NS" "$@"
}

# ctr run with nsguard as the shim's runc, runc's state and ctr's FIFOs under
# the temporary directory.
ctr_run() {
	ctr_ run --rm --runc-binary "$NSGUARD" --runc-root "$CTR_TMP/runc" --fifo-dir "$CTR_TMP/fifo" "$@"
}

# Pids of the shims of our containerd.
ctr_shim_pids() { shim_pids "$CTR_SOCK" "${CTR_PID:-}"; }

# The pid of the shim of container ID, if there is one.
ctr_shim_of() {
	local p
	for p in $(ctr_shim_pids); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "-id $1 " && echo "$p"
	done
	return 0
}

# The audit record nsguard wrote last for container ID, or nothing.
audit_record() {
	[ -f "$CTR_TMP/audit.jsonl" ] || return 0
	jq -c --arg id "$1" 'select(.id == $id)' "$CTR_TMP/audit.jsonl" | tail -n 1
}

# Nothing of container ID is left: no container, no task, no shim, no runc
# state, no bundle. The shim exits after ctr returns: wait a little for it.
ctr_assert_gone() {
	local id="$1" i pids=
	for i in $(seq 50); do
		pids=$(ctr_shim_of "$id")
		[ -n "$pids" ] || break
		sleep 0.1
	done
	[ -z "$pids" ]
	# Not `! ... | grep -q`: bash's errexit ignores a negated command.
	[ -z "$(ctr_ containers ls -q | grep -xF "$id")" ]
	[ -z "$(ctr_ tasks ls -q | grep -xF "$id")" ]
	[ ! -e "$CTR_TMP/runc/$CTR_NS/$id" ]
	[ ! -e "$CTR_TMP/state/io.containerd.runtime.v2.task/$CTR_NS/$id" ]
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || e2e_require "needs root"
	e2e_require_cmd containerd containerd
	e2e_require_cmd ctr containerd
	e2e_require_cmd containerd-shim-runc-v2 containerd
	e2e_require_cmd runc runc
	e2e_require_cmd busybox busybox-static
	e2e_require_cmd jq jq
	CTR_TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-ctr.XXXXXX")
	chmod 0755 "$CTR_TMP"
	CTR_SOCK="$CTR_TMP/containerd.sock"
	export CTR_TMP CTR_SOCK
	# The shim's socket directory is fixed in containerd 1.6: remove it again
	# afterwards only if it was not there before.
	CTR_HAD_RUN_DIR=0
	[ ! -e /run/containerd ] || CTR_HAD_RUN_DIR=1

	printf '{"runtime": "%s", "namespaces": {"user": "off"}, "audit": {"syslog": false, "file": "%s/audit.jsonl"}}\n' \
		"$(command -v runc)" "$CTR_TMP" >"$CTR_TMP/policy.json"
	chmod 0644 "$CTR_TMP/policy.json"
	cat >"$CTR_TMP/config.toml" <<-EOF
		version = 2
		root = "$CTR_TMP/root"
		state = "$CTR_TMP/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]

		[grpc]
		  address = "$CTR_SOCK"

		[ttrpc]
		  address = "$CTR_SOCK.ttrpc"

		[plugins."io.containerd.internal.v1.opt"]
		  path = "$CTR_TMP/opt"
	EOF

	# Off bats' descriptors, or bats waits for containerd to exit.
	NSGUARD_POLICY="$CTR_TMP/policy.json" containerd --config "$CTR_TMP/config.toml" \
		</dev/null >"$CTR_TMP/containerd.log" 2>&1 3>&- &
	CTR_PID=$!
	export CTR_PID
	local i
	for i in $(seq 100); do
		[ -S "$CTR_SOCK" ] && ctr_ version >/dev/null 2>&1 && break
		kill -0 "$CTR_PID" 2>/dev/null || break
		sleep 0.1
	done
	if ! ctr_ version >/dev/null 2>&1; then
		echo "containerd did not come up:" >&2
		tail -n 20 "$CTR_TMP/containerd.log" >&2
		return 1
	fi

	make_oci_archive "$CTR_TMP/image.tar" "$CTR_IMG"
	ctr_ images import "$CTR_TMP/image.tar" >"$CTR_TMP/import.log" 2>&1 || {
		cat "$CTR_TMP/import.log" >&2
		return 1
	}
	ctr_ images ls -q | grep -qxF "$CTR_IMG"
}

teardown_file() {
	[ -n "${CTR_TMP:-}" ] || return 0
	local id pid i
	if [ -n "${CTR_PID:-}" ] && kill -0 "$CTR_PID" 2>/dev/null; then
		# Whatever a failed test left behind.
		for id in $(ctr_ tasks ls -q 2>/dev/null); do
			ctr_ tasks kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
			ctr_ tasks delete --force "$id" >/dev/null 2>&1 || true
		done
		for id in $(ctr_ containers ls -q 2>/dev/null); do
			ctr_ containers delete "$id" >/dev/null 2>&1 || true
		done
		kill "$CTR_PID" 2>/dev/null || true
		for i in $(seq 100); do
			kill -0 "$CTR_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$CTR_PID" 2>/dev/null || true
		wait "$CTR_PID" 2>/dev/null || true
	fi
	# Shims of our containerd that outlived it.
	for pid in $(ctr_shim_pids); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	findmnt -rn -o TARGET | grep -F "$CTR_TMP/" | sort -r | while read -r i; do
		umount "$i" 2>/dev/null || umount -l "$i" || true
	done
	rm -rf "$CTR_TMP"
	if [ "${CTR_HAD_RUN_DIR:-1}" = 0 ]; then
		rmdir /run/containerd/s /run/containerd 2>/dev/null || true
	fi
}

@test "containerd: a container with private namespaces runs through nsguard" {
	run ctr_run "$CTR_IMG" e2e-ctr-private readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[[ "$output" == net:\[* ]]
	[ "$output" != "$(readlink /proc/self/ns/net)" ]
	[ "$(audit_record e2e-ctr-private | jq -r .decision)" = allowed ]
	ctr_assert_gone e2e-ctr-private
}

@test "containerd: --net-host is refused with nsguard's message on ctr's stderr" {
	run --separate-stderr ctr_run --net-host "$CTR_IMG" e2e-ctr-host true
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	[[ "$stderr" == *"OCI runtime create failed: nsguard: refused to create container \"e2e-ctr-host\": shares the host's network namespace (no \"network\" entry in linux.namespaces): add annotation io.nsguard.allow=network"* ]]
	local rec
	rec=$(audit_record e2e-ctr-host)
	[ "$(jq -r .decision <<<"$rec")" = refused ]
	[ "$(jq -r '.shared[] | select(.type == "network") | .verdict' <<<"$rec")" = refused ]
	ctr_assert_gone e2e-ctr-host
}

@test "containerd: --net-host with annotation io.nsguard.allow=network runs in the host's network namespace" {
	run ctr_run --annotation io.nsguard.allow=network --net-host "$CTR_IMG" e2e-ctr-allowed readlink /proc/self/ns/net
	[ "$status" -eq 0 ]
	[ "$output" = "$(readlink /proc/self/ns/net)" ]
	local rec
	rec=$(audit_record e2e-ctr-allowed)
	[ "$(jq -r .decision <<<"$rec")" = allowed-by-annotation ]
	[ "$(jq -r .annotation <<<"$rec")" = network ]
	[ "$(jq -r '.shared[] | select(.type == "network") | .verdict' <<<"$rec")" = annotated ]
	ctr_assert_gone e2e-ctr-allowed
}

@test "containerd: the runc shim hands containerd's NSGUARD_POLICY on to nsguard" {
	ctr_ run --detach --runc-binary "$NSGUARD" --runc-root "$CTR_TMP/runc" --fifo-dir "$CTR_TMP/fifo" \
		"$CTR_IMG" e2e-ctr-env sleep 60
	local shim
	shim=$(ctr_shim_of e2e-ctr-env)
	[ -n "$shim" ]
	tr '\0' '\n' <"/proc/$shim/environ" | grep -qxF "NSGUARD_POLICY=$CTR_TMP/policy.json"
	# The shim gave runc nsguard's path: the task is in our runc root.
	[ -d "$CTR_TMP/runc/$CTR_NS/e2e-ctr-env" ]
	[ "$(audit_record e2e-ctr-env | jq -r .decision)" = allowed ]
	ctr_ tasks kill --signal SIGKILL e2e-ctr-env
	ctr_ tasks delete --force e2e-ctr-env >/dev/null 2>&1 || ctr_ tasks delete e2e-ctr-env
	ctr_ containers delete e2e-ctr-env
	ctr_assert_gone e2e-ctr-env
}

# SPEC section 1 and README name `ctr run --runtime-config-path` for plain
# containerd. In containerd 1.6 that does not put nsguard in front of runc:
# ctr ignores the flag for the default runtime io.containerd.runc.v2 (only
# --runc-binary sets the runc shim's BinaryName), and for any other runtime
# name it sends runtimeoptions.v1.Options, which the runc shims cannot decode.
@test "containerd 1.6: ctr run --runtime-config-path cannot select nsguard" {
	[[ "$(ctr --version)" == *" 1.6."* ]] || skip "behaviour checked on containerd 1.6 only: $(ctr --version)"
	printf 'BinaryName = "%s"\n' "$NSGUARD" >"$CTR_TMP/runc-options.toml"
	# Ignored: the host-network container runs on plain runc, nsguard never sees it.
	run ctr_ run --rm --runc-root "$CTR_TMP/runc" --fifo-dir "$CTR_TMP/fifo" \
		--runtime-config-path "$CTR_TMP/runc-options.toml" --net-host "$CTR_IMG" e2e-ctr-cfg true
	[ "$status" -eq 0 ]
	[ -z "$(audit_record e2e-ctr-cfg)" ]
	ctr_assert_gone e2e-ctr-cfg
	# Rejected by the runc shim.
	run ctr_ run --rm --fifo-dir "$CTR_TMP/fifo" --runtime io.containerd.runc.v1 \
		--runtime-config-path "$CTR_TMP/runc-options.toml" --net-host "$CTR_IMG" e2e-ctr-cfg1 true
	[ "$status" -ne 0 ]
	[[ "$output" == *"type with url runtimeoptions.v1.Options: not found"* ]]
	[ -z "$(audit_record e2e-ctr-cfg1)" ]
	ctr_assert_gone e2e-ctr-cfg1
}
