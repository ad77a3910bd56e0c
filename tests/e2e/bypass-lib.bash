# bypass-lib.bash - what bypass.bats and bypass-rules.bats share: each test's
# private runc state, namespaces and mounts, and the helpers that build an
# attacker's bundle and judge where its container landed. Loaded after
# helpers.bash.

setup() {
	e2e_setup_runc
	PIDS=()
	MOUNTS=()
	NETNS=()
	# A root-owned 0755 directory that the policy may list in namespace_dirs.
	NSDIR="$TMP/nsdir"
	mkdir -m 0755 "$NSDIR"
	set_policy .
	TRY_TIMEOUT=20
}

teardown() {
	local i
	for i in "${PIDS[@]}"; do
		kill -KILL "$i" 2>/dev/null || true
	done
	for i in "${PIDS[@]}"; do
		wait "$i" 2>/dev/null || true
	done
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null || true
	done
	for i in "${NETNS[@]}"; do
		ip netns delete "$i" 2>/dev/null || true
	done
	cd /
	e2e_teardown_runc
}

# ------------------------------------------------------------------ helpers

host_ns() { # NAME: the test shell's own NAME namespace (/proc/1/ns is unreadable on some hosts)
	readlink "/proc/$$/ns/$1"
}

# set_policy JQ-FILTER: the policy file is the filter applied to a base that
# names the real runc, keeps audit off and states the default user mode.
set_policy() {
	jq -n --arg r "$REAL_RUNC" '{runtime: $r, namespaces: {user: "warn"}, audit: {syslog: false, file: ""}}' |
		jq "$1" >"$NSGUARD_POLICY"
	chmod 0644 "$NSGUARD_POLICY"
}

nsdir_policy() { # [JQ-FILTER]: the policy, with namespace_dirs = [$NSDIR]
	set_policy ".namespace_dirs = [\"$NSDIR\"] | ${1:-.}"
}

# join TYPE PATH: a jq filter giving the spec's TYPE entry that path.
join() {
	printf '(.linux.namespaces[] | select(.type == "%s")) += {"path": %s}' "$1" "$(jq -n --arg p "$2" '$p')"
}

# ns_bundle DIR NAME [JQ-FILTER]: a container that prints NS=<its NAME
# namespace>, run as the host's root (no user namespace): the attacker who
# gains most from a host namespace.
ns_bundle() {
	make_bundle "$1" sh -c "echo NS=\$(readlink /proc/self/ns/$2)"
	edit_config "$1" '.linux.namespaces |= map(select(.type != "user")) | del(.linux.uidMappings, .linux.gidMappings)'
	[ -z "${3:-}" ] || edit_config "$1" "$3"
}

# cwd_bundle DIR TYPE NAME PATH: the image holds /config.json -> /proc/self/ns/NAME
# and the spec joins TYPE at PATH. runc init's cwd is the rootfs, so a PATH
# through /proc/self/cwd reaches that symlink for runc, the bundle's
# config.json for nsguard.
cwd_bundle() {
	ns_bundle "$1" "$3" "$(join "$2" "$4")"
	ln -s "/proc/self/ns/$3" "$1/rootfs/config.json"
}

# attempt BUNDLE ID [ARGS...]: nsguard run from the bundle's directory, as
# containerd's shim and conmon run it, under a timeout (a FIFO must not hang).
attempt() {
	local b="$1" id="$2"
	shift 2
	LAST_ID="$id"
	cd "$b"
	run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" run -b "$b" "$id" "$@" </dev/null
}

# not_in_host NAME [HOST-ID]: if the container ran, it was not in the host's NAME namespace.
not_in_host() {
	local host="${2:-$(host_ns "$1")}"
	if grep -qxF "NS=$host" <<<"$output"; then
		echo "BYPASS: the container ran in the host's $1 namespace ($host); exit $status: $output" >&2
		return 1
	fi
}

# trace: with BYPASS_TRACE=FILE, what each attempt printed goes to FILE too.
trace() {
	[ -z "${BYPASS_TRACE:-}" ] || printf '%s [%s] exit %s: %s\n' "$BATS_TEST_DESCRIPTION" "${LAST_ID:-}" "$status" "$output" >>"$BYPASS_TRACE"
}

# refused NAME FRAGMENT...: not in the host's NAME namespace, refused by
# nsguard (exit 1, nothing in runc's state) for a reason containing one of the
# FRAGMENTs.
refused() {
	local name="$1" f
	shift
	trace
	not_in_host "$name" || return 1
	if [ "$status" -ne 1 ] || [[ "$output" != *"nsguard: refused"* ]]; then
		echo "expected nsguard to refuse (exit 1, \"nsguard: refused\"); exit $status: $output" >&2
		return 1
	fi
	if [ -n "${LAST_ID:-}" ] && [ -e "$STATE/$LAST_ID" ]; then
		echo "refused, but runc's state has $LAST_ID: runc was reached" >&2
		return 1
	fi
	for f in "$@"; do
		[[ "$output" == *"$f"* ]] && return 0
	done
	echo "the refusal says none of: $*; it says: $output" >&2
	return 1
}

# ran_in NAME ID: the container ran (exit 0) and printed NS=ID, which is not the host's.
ran_in() {
	trace
	if [ "$status" -ne 0 ] || ! grep -qxF "NS=$2" <<<"$output"; then
		echo "expected the container to run in $2; exit $status: $output" >&2
		return 1
	fi
	[ "$2" != "$(host_ns "$1")" ]
}

one_reason() { # FRAGMENT: the message says it once (no garbled repetition)
	[ "$(grep -oF "$1" <<<"$output" | wc -l)" -eq 1 ] || {
		echo "the message repeats \"$1\": $output" >&2
		return 1
	}
}

ns_id() { # FILE NAME: the identity of the namespace bound to FILE, as readlink shows it
	printf '%s:[%s]\n' "$2" "$(stat -L -c %i "$1")"
}

private_netns() { # FILE: a new network namespace, kept alive by a bind mount on FILE
	touch "$1"
	unshare --net="$1" true
	MOUNTS+=("$1")
}

host_netns() { # FILE: a bind mount of the host's network namespace, as ip netns or Docker <= 24 make
	touch "$1"
	mount --bind "/proc/$$/ns/net" "$1"
	MOUNTS+=("$1")
}

# private_process: PRIV is a process with network and ipc namespaces of its own.
private_process() {
	unshare -n -i sleep 300 </dev/null >/dev/null 2>&1 &
	PRIV=$!
	PIDS+=("$PRIV")
	for _ in $(seq 100); do
		if [ "$(readlink "/proc/$PRIV/ns/net")" != "$(host_ns net)" ] &&
			[ "$(readlink "/proc/$PRIV/ns/ipc")" != "$(host_ns ipc)" ]; then
			return 0
		fi
		sleep 0.05
	done
	echo "unshare -n -i did not start" >&2
	return 1
}

ip_netns() { # NAME: ip netns add, deleted in teardown
	ip netns add "$1"
	NETNS+=("$1")
}

