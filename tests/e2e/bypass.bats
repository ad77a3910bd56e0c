#!/usr/bin/env bats
# Issue 7's holes and their siblings, tried as an attacker would: someone who
# controls a container's spec and its image (symlinks included), and whose
# containers may run as the host's root, but who owns no root file.
#
# Every attempt goes through real runc. Where nsguard lets a container run,
# the container prints the identity of the namespace under attack ("NS=...")
# and the test asserts that it is not the host's; where nsguard must refuse,
# the test asserts the refusal and its reason. So each test fails if its
# bypass comes back, whichever way nsguard gets it wrong.

bats_require_minimum_version 1.5.0
load helpers

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

# ------------------------------------------- 1. what runc init opens, not nsguard

@test "bypass: network /proc/self/cwd/config.json -> image's /proc/self/ns/net is refused" {
	cwd_bundle "$TMP/b" network net /proc/self/cwd/config.json
	attempt "$TMP/b" cwd-net
	refused net "under /proc only"
}

@test "bypass: pid /proc/self/cwd/config.json -> image's /proc/self/ns/pid is refused" {
	cwd_bundle "$TMP/b" pid pid /proc/self/cwd/config.json
	attempt "$TMP/b" cwd-pid
	refused pid "under /proc only"
}

@test "bypass: ipc /proc/self/cwd/config.json -> image's /proc/self/ns/ipc is refused" {
	cwd_bundle "$TMP/b" ipc ipc /proc/self/cwd/config.json
	attempt "$TMP/b" cwd-ipc
	refused ipc "under /proc only"
}

@test "bypass: mount /proc/self/cwd/config.json -> image's /proc/self/ns/mnt is refused" {
	# If it got through, runc would set the container up in the mount
	# namespace it runs in: keep that a throwaway one, and compare with it.
	cwd_bundle "$TMP/b" mount mnt /proc/self/cwd/config.json
	LAST_ID=cwd-mnt
	cd "$TMP/b"
	run timeout "$TRY_TIMEOUT" unshare -m --propagation private sh -c \
		'echo "HOST=$(readlink /proc/self/ns/mnt)"; exec "$@"' sh \
		"$NSGUARD" --root "$STATE" run -b "$TMP/b" cwd-mnt </dev/null
	local host
	host=$(sed -n 's/^HOST=//p' <<<"$output")
	[ -n "$host" ]
	refused mnt "under /proc only"
	not_in_host mnt "$host"
}

@test "bypass: network /proc/thread-self/cwd/config.json is refused" {
	cwd_bundle "$TMP/b" network net /proc/thread-self/cwd/config.json
	attempt "$TMP/b" thread-self
	refused net "under /proc only"
}

@test "bypass: network /proc/<pid>/root/proc/self/cwd/config.json is refused" {
	cwd_bundle "$TMP/b" network net "/proc/$$/root/proc/self/cwd/config.json"
	attempt "$TMP/b" pid-root
	refused net "under /proc only"
}

@test "bypass: network /proc/<an ancestor of nsguard>/cwd/config.json is refused" {
	cwd_bundle "$TMP/b" network net "/proc/$BASHPID/cwd/config.json"
	attempt "$TMP/b" pid-cwd
	refused net "under /proc only"
}

@test "bypass: spellings of /proc/self/cwd (//, ., ns/.., task/..) are refused" {
	local p i=0
	for p in //proc/self/cwd/config.json /proc/./self/cwd/config.json /proc/self/./cwd/config.json \
		/proc/self/ns/../cwd/config.json /proc/self/task/../cwd/config.json /proc/self/cwd/./config.json; do
		i=$((i + 1))
		rm -rf "$TMP/b"
		cwd_bundle "$TMP/b" network net "$p"
		attempt "$TMP/b" "spell-$i"
		refused net "under /proc only" || {
			echo "vector: $p" >&2
			return 1
		}
	done
}

@test "bypass: /dev/stdin, /dev/fd/0 and /proc/self/fd/0 on a namespace file are refused" {
	local p i=0 why
	# nsguard's stdin is a private network namespace; runc init's is not.
	private_netns "$TMP/privnet"
	nsdir_policy
	ln -s /proc/self/fd/0 "$NSDIR/fd0"
	for p in /dev/stdin /dev/fd/0 /proc/self/fd/0 /proc/thread-self/fd/0 "$NSDIR/fd0"; do
		i=$((i + 1))
		rm -rf "$TMP/b"
		ns_bundle "$TMP/b" net "$(join network "$p")"
		LAST_ID="fd-$i"
		cd "$TMP/b"
		run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" run -b "$TMP/b" "fd-$i" <"$TMP/privnet"
		# /dev is no namespace_dir: that alone refuses /dev/stdin and /dev/fd.
		why=("under /proc only")
		[[ "$p" != /dev/* ]] || why+=("policy's namespace_dirs")
		refused net "${why[@]}" || {
			echo "vector: $p" >&2
			return 1
		}
	done
}

@test "bypass: a root-owned symlink to /proc/self/cwd/config.json is refused" {
	mkdir -m 0755 "$TMP/links"
	ln -s /proc/self/cwd/config.json "$TMP/links/net"
	cwd_bundle "$TMP/b" network net "$TMP/links/net"
	attempt "$TMP/b" link-cwd
	refused net "under /proc only" "policy's namespace_dirs"
}

@test "bypass: a symlink in namespace_dirs to /proc/self/cwd/config.json is refused" {
	nsdir_policy
	ln -s /proc/self/cwd/config.json "$NSDIR/net"
	cwd_bundle "$TMP/b" network net "$NSDIR/net"
	attempt "$TMP/b" nsdir-link-cwd
	refused net "under /proc only"
	# The same by a relative target.
	ln -s ../../../proc/self/cwd/config.json "$NSDIR/rel"
	rm -rf "$TMP/b"
	cwd_bundle "$TMP/b" network net "$NSDIR/rel"
	attempt "$TMP/b" nsdir-rel-cwd
	refused net "under /proc only"
}

@test "bypass: /run/netns/../../proc/self/cwd/config.json is refused" {
	ip_netns "nsg-bypass-dots-$$"
	cwd_bundle "$TMP/b" network net /run/netns/../../proc/self/cwd/config.json
	attempt "$TMP/b" dots-cwd
	refused net "under /proc only"
}

@test "bypass: <namespace_dir>/../../../proc/self/cwd/config.json is refused" {
	nsdir_policy
	cwd_bundle "$TMP/b" network net "$NSDIR/../../../proc/self/cwd/config.json"
	attempt "$TMP/b" nsdir-dots-cwd
	refused net "under /proc only"
}

@test "bypass: /run/netns/../../proc/<pid>/ns/net of the host is refused as the host's" {
	ip_netns "nsg-bypass-dots2-$$"
	ns_bundle "$TMP/b" net "$(join network "/run/netns/../../proc/$$/ns/net")"
	attempt "$TMP/b" dots-host
	refused net "host's network namespace"
}

@test "bypass: another procfs mount's self/cwd/config.json is refused" {
	mkdir "$TMP/proc2"
	mount -t proc nsguard-proc2 "$TMP/proc2"
	MOUNTS+=("$TMP/proc2")
	cwd_bundle "$TMP/b" network net "$TMP/proc2/self/cwd/config.json"
	attempt "$TMP/b" proc2
	refused net "under /proc only" "policy's namespace_dirs" "procfs"
}

@test "bypass: a procfs mounted inside namespace_dirs cannot lead to /proc/self/cwd" {
	nsdir_policy
	mkdir "$NSDIR/proc2"
	mount -t proc nsguard-proc2 "$NSDIR/proc2"
	MOUNTS+=("$NSDIR/proc2")
	cwd_bundle "$TMP/b" network net "$NSDIR/proc2/self/cwd/config.json"
	attempt "$TMP/b" nsdir-proc2
	refused net "under /proc only" "procfs"
}

@test "bypass: a regular file as network namespace is refused" {
	nsdir_policy
	echo not-a-namespace >"$NSDIR/plain"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/plain")"
	attempt "$TMP/b" plain
	refused net "is not a network namespace"
	one_reason "is not a network namespace"
}

@test "bypass: a regular file outside namespace_dirs is refused" {
	echo not-a-namespace >"$TMP/plain"
	ns_bundle "$TMP/b" net "$(join network "$TMP/plain")"
	attempt "$TMP/b" plain-out
	refused net "is not a network namespace" "policy's namespace_dirs"
}

@test "bypass: a directory as network namespace is refused" {
	nsdir_policy
	mkdir -m 0755 "$NSDIR/adir"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/adir")"
	attempt "$TMP/b" adir
	refused net "is not a network namespace"
	one_reason "is not a network namespace"
}

@test "bypass: a FIFO as network namespace is refused without hanging" {
	nsdir_policy
	mkfifo -m 0600 "$NSDIR/fifo"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/fifo")"
	attempt "$TMP/b" fifo
	[ "$status" -ne 124 ]
	refused net "is not a network namespace"
	one_reason "is not a network namespace"
}

@test "bypass: /dev/null as network namespace is refused" {
	ns_bundle "$TMP/b" net "$(join network /dev/null)"
	attempt "$TMP/b" devnull
	refused net "is not a network namespace" "policy's namespace_dirs"
}

@test "bypass: a missing namespace path is refused" {
	nsdir_policy
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/missing")"
	attempt "$TMP/b" missing
	refused net "$NSDIR/missing"
}

@test "bypass: namespace files of the wrong type are refused" {
	private_process
	ns_bundle "$TMP/b" net "$(join network "/proc/$PRIV/ns/pid")"
	attempt "$TMP/b" wrong-pid
	refused net "is not a network namespace"

	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" net "$(join network "/proc/$PRIV/task/$PRIV/ns/ipc")"
	attempt "$TMP/b" wrong-ipc
	refused net "is not a network namespace"

	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" net "$(join network "/proc/$PRIV/ns/user")"
	attempt "$TMP/b" wrong-user
	refused net "is not a network namespace"

	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" pid "$(join pid "/proc/$PRIV/ns/net")"
	attempt "$TMP/b" wrong-pidnet
	refused pid "is not a pid namespace"

	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" ipc "$(join ipc "/proc/$PRIV/ns/net")"
	attempt "$TMP/b" wrong-ipcnet
	refused ipc "is not an ipc namespace" "is not a ipc namespace"
}

@test "bypass: a private network namespace file in namespace_dirs of the wrong type is refused" {
	nsdir_policy
	private_netns "$NSDIR/privnet"
	ns_bundle "$TMP/b" ipc "$(join ipc "$NSDIR/privnet")"
	attempt "$TMP/b" wrong-nsdir
	refused ipc "is not an ipc namespace" "is not a ipc namespace"
}

@test "bypass: the host's namespaces by other /proc/<pid> spellings are refused as the host's" {
	ns_bundle "$TMP/b" pid "$(join pid "/proc/$$/ns/pid_for_children")"
	attempt "$TMP/b" host-pfc
	refused pid "is the host's pid namespace"
	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" net "$(join network "/proc/$$/task/$$/ns/net")"
	attempt "$TMP/b" host-task
	refused net "is the host's network namespace"
	rm -rf "$TMP/b"
	set_policy '.namespaces.user = "enforce"'
	ns_bundle "$TMP/b" user ".linux.namespaces += [{\"type\": \"user\", \"path\": \"/proc/$$/ns/user\"}]"
	attempt "$TMP/b" host-user
	refused user "is the host's user namespace"
}

# ----------------------------------------------- 2. swaps between check and open

@test "bypass: a joined path outside namespace_dirs is refused, as root" {
	mkdir -m 0755 "$TMP/swap"
	private_netns "$TMP/privnet"
	ln -s "$TMP/privnet" "$TMP/swap/link"
	ns_bundle "$TMP/b" net "$(join network "$TMP/swap/link")"
	attempt "$TMP/b" outside
	refused net "policy's namespace_dirs"
	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" net "$(join network "$TMP/privnet")"
	attempt "$TMP/b" outside-file
	refused net "policy's namespace_dirs"
}

@test "bypass: swapping a symlink between a private and the host's netns: 20 tries, all refused" {
	mkdir -m 0755 "$TMP/swap"
	private_netns "$TMP/privnet"
	host_netns "$TMP/hostnet"
	ln -s "$TMP/privnet" "$TMP/swap/link"
	ns_bundle "$TMP/b" net "$(join network "$TMP/swap/link")"
	# The attacker: root in a container that has $TMP/swap bind-mounted.
	(
		while :; do
			ln -sfn "$TMP/hostnet" "$TMP/swap/.new" && mv -T "$TMP/swap/.new" "$TMP/swap/link"
			ln -sfn "$TMP/privnet" "$TMP/swap/.new" && mv -T "$TMP/swap/.new" "$TMP/swap/link"
		done
	) </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
	local i
	for i in $(seq 20); do
		attempt "$TMP/b" "race-$i"
		refused net "policy's namespace_dirs" || {
			echo "try $i" >&2
			return 1
		}
	done
}

@test "bypass: a symlink in namespace_dirs to a swappable file outside them is refused" {
	nsdir_policy
	mkdir -m 0755 "$TMP/swap"
	private_netns "$TMP/privnet"
	ln -s "$TMP/privnet" "$TMP/swap/link"
	ln -s "$TMP/swap/link" "$NSDIR/out"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/out")"
	attempt "$TMP/b" nsdir-out
	refused net "policy's namespace_dirs"
}

@test "bypass: namespace_dirs that others can write or own do not make a file safe" {
	mkdir -m 0777 "$TMP/open"
	chmod 0777 "$TMP/open"
	mkdir -m 0755 "$TMP/tenant"
	chown 1000:1000 "$TMP/tenant"
	private_netns "$TMP/open/privnet"
	private_netns "$TMP/tenant/privnet"
	set_policy ".namespace_dirs = [\"$TMP/open\", \"$TMP/tenant\"]"
	ns_bundle "$TMP/b" net "$(join network "$TMP/open/privnet")"
	attempt "$TMP/b" open-dir
	refused net "writable by group or others"
	rm -rf "$TMP/b"
	ns_bundle "$TMP/b" net "$(join network "$TMP/tenant/privnet")"
	attempt "$TMP/b" tenant-dir
	refused net "owned by uid 1000"
}

@test "bypass: legit: a private netns file in a namespace_dirs directory runs, in it" {
	nsdir_policy
	private_netns "$NSDIR/privnet"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/privnet")"
	attempt "$TMP/b" nsdir-ok
	ran_in net "$(ns_id "$NSDIR/privnet" net)"
}

@test "bypass: the host's netns file in a namespace_dirs directory is refused" {
	nsdir_policy
	host_netns "$NSDIR/hostnet"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/hostnet")"
	attempt "$TMP/b" nsdir-host
	refused net "is the host's network namespace"
}

# ---------------------------------------------- 3. bundles others could swap

@test "bypass: a bundle under a tenant-owned directory is refused" {
	mkdir -m 0755 "$TMP/tenant"
	chown 1000:1000 "$TMP/tenant"
	ns_bundle "$TMP/tenant/b" net
	attempt "$TMP/tenant/b" tenant-parent
	refused net "owned by uid 1000"
}

@test "bypass: a relative bundle (the cwd) under a tenant-owned directory is refused" {
	mkdir -m 0755 "$TMP/tenant"
	chown 1000:1000 "$TMP/tenant"
	ns_bundle "$TMP/tenant/b" net
	cd "$TMP/tenant/b"
	LAST_ID=tenant-cwd
	run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" run tenant-cwd </dev/null
	refused net "owned by uid 1000"
}

@test "bypass: a relative bundle whose directory is mounted over is judged by what runc reads" {
	# nsguard names the cwd with getcwd(); runc opens config.json relative to
	# the real cwd, which a mount over that name hides from the name.
	ns_bundle "$TMP/A" net '.linux.namespaces |= map(select(.type != "network"))'
	ns_bundle "$TMP/b" net
	cd "$TMP/A"
	mount --bind "$TMP/b" "$TMP/A"
	MOUNTS+=("$TMP/A")
	LAST_ID=overmount
	run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" run overmount </dev/null
	umount "$TMP/A"
	refused net "is not the file config.json names from the current directory"
}

@test "bypass: a bundle reached through a tenant-owned directory and .. is refused" {
	# $TMP/tenant/sub/../../b is $TMP/b now, but the tenant can move sub.
	mkdir -m 0755 -p "$TMP/tenant/sub"
	chown -R 1000:1000 "$TMP/tenant"
	ns_bundle "$TMP/b" net
	attempt "$TMP/tenant/sub/../../b" tenant-dots
	refused net "owned by uid 1000"
}

@test "bypass: a bundle that is a symlink to a tenant-owned directory is refused" {
	mkdir -m 0755 "$TMP/tenant"
	chown 1000:1000 "$TMP/tenant"
	ns_bundle "$TMP/tenant/b" net
	ln -s "$TMP/tenant/b" "$TMP/blink"
	attempt "$TMP/blink" tenant-link
	refused net "owned by uid 1000"
}

@test "bypass: config.json as a symlink into a tenant-owned directory is refused" {
	mkdir -m 0755 "$TMP/tenant"
	chown 1000:1000 "$TMP/tenant"
	ns_bundle "$TMP/b" net
	mv "$TMP/b/config.json" "$TMP/tenant/config.json"
	ln -s "$TMP/tenant/config.json" "$TMP/b/config.json"
	attempt "$TMP/b" config-link
	refused net "owned by uid 1000"
}

@test "bypass: a tenant-owned config.json is refused" {
	ns_bundle "$TMP/b" net
	chown 1000:1000 "$TMP/b/config.json"
	attempt "$TMP/b" config-owner
	refused net "owned by uid 1000"
}

@test "bypass: a bundle directory with mode 0777 is refused" {
	ns_bundle "$TMP/b" net
	chmod 0777 "$TMP/b"
	attempt "$TMP/b" bundle-0777
	refused net "writable by group or others"
}

@test "bypass: a bundle under a 0777 (not sticky) directory is refused" {
	mkdir -m 0777 "$TMP/open"
	chmod 0777 "$TMP/open"
	ns_bundle "$TMP/open/b" net
	attempt "$TMP/open/b" parent-0777
	refused net "writable by group or others"
}

@test "bypass: a config.json with mode 0666 is refused" {
	ns_bundle "$TMP/b" net
	chmod 0666 "$TMP/b/config.json"
	attempt "$TMP/b" config-0666
	refused net "writable by group or others"
}

@test "bypass: a policy file in a tenant-owned directory refuses create, passes state through" {
	mkdir -m 0755 "$TMP/tenant"
	chown 1000:1000 "$TMP/tenant"
	cp "$NSGUARD_POLICY" "$TMP/tenant/policy.json"
	export NSGUARD_POLICY="$TMP/tenant/policy.json"
	ns_bundle "$TMP/b" net
	attempt "$TMP/b" policy-tenant
	refused net "owned by uid 1000"
	run timeout 10 "$NSGUARD" --root "$STATE" state nosuch
	[ "$status" -eq 1 ]
	[[ "$output" == *"container does not exist"* ]]
	[[ "$output" != *nsguard* ]]
}

# ------------------------------------------------ 4. no default exemption

@test "bypass: no exemptions key: a kube-system annotation does not unlock the host network" {
	[ "$(jq 'has("exemptions")' "$NSGUARD_POLICY")" = false ]
	ns_bundle "$TMP/b" net '.linux.namespaces |= map(select(.type != "network"))
		| .annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system"}'
	attempt "$TMP/b" kube-system
	refused net 'no "network" entry in linux.namespaces'
}

@test "bypass: may_allow [] and a kube-system annotation: the host network is refused" {
	set_policy '.annotation = {"may_allow": []}'
	ns_bundle "$TMP/b" net '.linux.namespaces |= map(select(.type != "network"))
		| .annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system",
			"io.kubernetes.cri.container-type": "sandbox"}'
	attempt "$TMP/b" kube-system-empty
	refused net 'no "network" entry in linux.namespaces'
}

@test "bypass: a kube-system annotation does not unlock the host pid namespace" {
	ns_bundle "$TMP/b" pid '.linux.namespaces |= map(select(.type != "pid"))
		| .annotations = {"io.kubernetes.cri.sandbox-namespace": "kube-system"}'
	attempt "$TMP/b" kube-system-pid
	refused pid 'no "pid" entry in linux.namespaces'
}

@test "bypass: may_allow [] also stops io.nsguard.allow" {
	set_policy '.annotation = {"may_allow": []}'
	ns_bundle "$TMP/b" net '.linux.namespaces |= map(select(.type != "network"))
		| .annotations = {"io.nsguard.allow": "network"}'
	attempt "$TMP/b" may-allow-empty
	refused net "io.nsguard.allow"
}

@test "bypass: the allow annotation's key matches exactly (a Go map), not case-folded" {
	ns_bundle "$TMP/b" net '.linux.namespaces |= map(select(.type != "network"))
		| .annotations = {"IO.NSGUARD.ALLOW": "network", "io.nsguard.allow ": "network"}'
	attempt "$TMP/b" allow-case
	refused net 'no "network" entry in linux.namespaces'
}

# ------------------------------------------------------------- 5. restore

recording_runtime() { # the policy's runtime becomes real runc behind a script that leaves $TMP/reached
	printf '#!/bin/sh\n: >"%s/reached"\nexec "%s" "$@"\n' "$TMP" "$REAL_RUNC" >"$TMP/runc-rec"
	chmod 0755 "$TMP/runc-rec"
	mkdir -p "$TMP/ckpt"
}

@test "bypass: the default policy refuses every restore, without reaching runc" {
	recording_runtime
	set_policy ".runtime = \"$TMP/runc-rec\""
	ns_bundle "$TMP/b" net
	local argv
	for argv in "rst-1 restore -b $TMP/b --image-path $TMP/ckpt rst-1" \
		"rst-2 restore --image-path $TMP/ckpt rst-2 -b $TMP/b" \
		"rst-3 restore --empty-ns network -b $TMP/b --image-path $TMP/ckpt rst-3" \
		"rst-4 --debug restore -d -b $TMP/b --image-path $TMP/ckpt rst-4"; do
		LAST_ID=${argv%% *}
		argv=${argv#* }
		# shellcheck disable=SC2086
		run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" $argv </dev/null
		refused net '"restore": "check"' || {
			echo "argv: $argv" >&2
			return 1
		}
		[ ! -e "$TMP/reached" ]
	done
}

@test "bypass: with \"restore\": \"check\" a private restore reaches runc" {
	recording_runtime
	set_policy ".runtime = \"$TMP/runc-rec\" | .restore = \"check\""
	ns_bundle "$TMP/b" net
	cd "$TMP/b"
	run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" restore -b "$TMP/b" --image-path "$TMP/ckpt" rst-ok </dev/null
	# runc then fails: there is no checkpoint (and no CRIU). That is runc's answer, not nsguard's.
	[[ "$output" != *"nsguard: refused"* ]]
	[ -e "$TMP/reached" ]
	not_in_host net
}

@test "bypass: with \"restore\": \"check\" a restore sharing the host network is refused" {
	recording_runtime
	set_policy ".runtime = \"$TMP/runc-rec\" | .restore = \"check\""
	ns_bundle "$TMP/b" net '.linux.namespaces |= map(select(.type != "network"))'
	LAST_ID=rst-host
	run timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" restore -b "$TMP/b" --image-path "$TMP/ckpt" rst-host </dev/null
	refused net 'no "network" entry in linux.namespaces'
	[ ! -e "$TMP/reached" ]
}

# ------------------------------------------------------------- 6. no /proc

# noproc [-N] ARGS...: run ARGS in a private mount namespace with a tmpfs over
# /proc (-N: the exit status run expects).
noproc() {
	local expect=()
	if [[ "$1" == -[0-9]* ]]; then
		expect=("$1")
		shift
	fi
	# The sanitizer runtimes read their options and maps from /proc before
	# main(): a sanitized nsguard cannot start without it. The plain build's
	# pass of the same suite (scripts/test runs both) runs these for real.
	if [ -n "${NSGUARD_SANITIZED:-}" ]; then
		skip "a sanitized build cannot run without /proc; the plain build runs this test"
	fi
	run "${expect[@]}" timeout "$TRY_TIMEOUT" unshare -m --propagation private sh -c \
		'mount -t tmpfs nsguard-noproc /proc && exec "$@"' sh "$@" </dev/null
}

@test "bypass: without /proc a joined host netns bind mount is refused" {
	host_netns "$TMP/hostnet"
	ns_bundle "$TMP/b" net "$(join network "$TMP/hostnet")"
	cd "$TMP/b"
	LAST_ID=noproc-1
	noproc "$NSGUARD" --root "$STATE" run -b "$TMP/b" noproc-1
	refused net "no reference" "/proc" "policy's namespace_dirs" "cannot be examined"
}

@test "bypass: without /proc a joined path in namespace_dirs is refused: no reference" {
	nsdir_policy
	private_netns "$NSDIR/privnet"
	ns_bundle "$TMP/b" net "$(join network "$NSDIR/privnet")"
	cd "$TMP/b"
	LAST_ID=noproc-2
	noproc "$NSGUARD" --root "$STATE" run -b "$TMP/b" noproc-2
	refused net "no reference" "cannot be compared with the host's network namespace"
}

@test "bypass: hard mode without /proc: runtime -> nsguard exits 127, never loops" {
	mkdir -m 0755 "$TMP/bin"
	ln -s "$NSGUARD" "$TMP/bin/runc"
	set_policy ".runtime = \"$TMP/bin/runc\""
	noproc -127 "$NSGUARD" --root "$STATE" state nosuch
	[ "$status" -eq 127 ]
	[[ "$output" == */proc/self/exe* ]]
	noproc -127 "$NSGUARD" --root "$STATE" run -b "$TMP/bundle" noproc-hard
	[ "$status" -eq 127 ]
	[[ "$output" == */proc/self/exe* ]]
	[ ! -e "$STATE/noproc-hard" ]
}

@test "bypass: hard mode without /proc: runc found on PATH exits 127, never loops" {
	mkdir -m 0755 "$TMP/bin"
	ln -s "$NSGUARD" "$TMP/bin/runc"
	set_policy 'del(.runtime)'
	noproc -127 env PATH="$TMP/bin:$PATH" "$NSGUARD" --root "$STATE" state nosuch
	[ "$status" -eq 127 ]
	[[ "$output" == */proc/self/exe* ]]
}

@test "bypass: hard mode with /proc: runtime -> nsguard, or a copy of it, exits 127" {
	mkdir -m 0755 "$TMP/bin"
	ln -s "$NSGUARD" "$TMP/bin/runc"
	set_policy ".runtime = \"$TMP/bin/runc\""
	run -127 timeout 10 "$NSGUARD" --root "$STATE" state nosuch
	[ "$status" -eq 127 ]
	rm "$TMP/bin/runc"
	cp "$NSGUARD" "$TMP/bin/runc"
	run -127 timeout 10 "$NSGUARD" --root "$STATE" state nosuch
	[ "$status" -eq 127 ]
}

# --------------------------------------------------------- 7. FIFOs and devices

@test "bypass: a FIFO as policy file: state, kill, delete pass through, create is refused promptly" {
	mkfifo -m 0644 "$TMP/policy.fifo"
	export NSGUARD_POLICY="$TMP/policy.fifo"
	local cmd
	for cmd in "state nosuch" "kill nosuch KILL" "delete nosuch"; do
		# shellcheck disable=SC2086
		run timeout 10 "$NSGUARD" --root "$STATE" $cmd </dev/null
		[ "$status" -eq 1 ] || {
			echo "$cmd: exit $status: $output" >&2
			return 1
		}
		[[ "$output" == *"container does not exist"* ]]
		[[ "$output" != *nsguard* ]]
	done
	LAST_ID=fifo-policy
	run timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/bundle" fifo-policy </dev/null
	refused net "not a regular file"
}

@test "bypass: /dev/zero or a directory as policy file: pass-through works, create refused" {
	local p
	mkdir -m 0755 "$TMP/policydir"
	for p in /dev/zero "$TMP/policydir"; do
		export NSGUARD_POLICY="$p"
		run timeout 10 "$NSGUARD" --root "$STATE" state nosuch </dev/null
		[ "$status" -eq 1 ]
		[[ "$output" == *"container does not exist"* ]]
		LAST_ID=dev-policy
		run timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/bundle" dev-policy </dev/null
		refused net "not a regular file" "directory" || {
			echo "policy $p" >&2
			return 1
		}
	done
}

@test "bypass: a FIFO as config.json: create is refused promptly" {
	ns_bundle "$TMP/b" net
	rm "$TMP/b/config.json"
	mkfifo -m 0644 "$TMP/b/config.json"
	LAST_ID=fifo-config
	run timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/b" fifo-config </dev/null
	refused net "not a regular file"
	run timeout 10 "$NSGUARD" check "$TMP/b"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a regular file"* ]]
}

@test "bypass: config.json -> /dev/zero, or a directory: refused promptly" {
	ns_bundle "$TMP/b" net
	rm "$TMP/b/config.json"
	ln -s /dev/zero "$TMP/b/config.json"
	LAST_ID=zero-config
	run timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/b" zero-config </dev/null
	refused net "not a regular file"
	rm "$TMP/b/config.json"
	mkdir -m 0755 "$TMP/b/config.json"
	LAST_ID=dir-config
	run timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/b" dir-config </dev/null
	refused net "not a regular file" "directory"
}

# ----------------------------------------------------------- 8. control bytes

# to_err ARGS...: run ARGS, stdout to $TMP/out, stderr to $TMP/err, exit status in $status.
to_err() {
	status=0
	"$@" </dev/null >"$TMP/out" 2>"$TMP/err" || status=$?
}

# one_clean_line FILE: FILE is one line with no control byte in it.
one_clean_line() {
	[ "$(wc -l <"$1")" -eq 1 ] || {
		echo "$1 is not one line:" >&2
		cat -A "$1" >&2
		return 1
	}
	if LC_ALL=C grep -q '[[:cntrl:]]' "$1"; then
		echo "$1 has raw control bytes:" >&2
		cat -A "$1" >&2
		return 1
	fi
}

@test "bypass: control bytes from a namespace path reach stderr and --log escaped, one line" {
	# A user namespace of its own: the refusal is the only line nsguard has to write.
	make_bundle "$TMP/b" true
	edit_config "$TMP/b" "$(join network "$(printf '/run/netns/x\033[32m\nnsguard: allowed\r')")"
	to_err timeout 10 "$NSGUARD" --root "$STATE" --log "$TMP/text.log" create -b "$TMP/b" esc-1
	[ "$status" -eq 1 ]
	one_clean_line "$TMP/err"
	grep -qF 'nsguard: refused' "$TMP/err"
	grep -qF '\x1b[32m\x0ansguard: allowed\x0d' "$TMP/err"
	one_clean_line "$TMP/text.log"
	grep -qF 'x1b[32m' "$TMP/text.log"

	to_err timeout 10 "$NSGUARD" --root "$STATE" --log "$TMP/json.log" --log-format json create -b "$TMP/b" esc-2
	[ "$status" -eq 1 ]
	one_clean_line "$TMP/json.log"
	jq -r .msg "$TMP/json.log" >"$TMP/msg"
	one_clean_line "$TMP/msg"
	grep -qF '\x1b[32m\x0ansguard: allowed\x0d' "$TMP/msg"

	# The same in a decision's own words: a file that is the host's namespace.
	nsdir_policy
	host_netns "$(printf '%s/h\033[31m\nx' "$NSDIR")"
	rm -rf "$TMP/b"
	make_bundle "$TMP/b" true
	edit_config "$TMP/b" "$(join network "$(printf '%s/h\033[31m\nx' "$NSDIR")")"
	to_err timeout 10 "$NSGUARD" --root "$STATE" --log "$TMP/host.log" --log-format json create -b "$TMP/b" esc-3
	[ "$status" -eq 1 ]
	one_clean_line "$TMP/err"
	grep -qF "host's network namespace" "$TMP/err"
	grep -qF 'h\x1b[31m\x0ax' "$TMP/err"
	jq -r .msg "$TMP/host.log" >"$TMP/msg"
	grep -qF 'h\x1b[31m\x0ax' "$TMP/msg"
}

@test "bypass: control bytes and invalid UTF-8 from argv and annotations are escaped" {
	# An annotation value (an unknown type name).
	make_bundle "$TMP/b" true
	edit_config "$TMP/b" "$(printf '.annotations = {"io.nsguard.allow": "net\\u001b[31mwork\\nnsguard: ok"}')"
	to_err timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/b" esc-ann
	[ "$status" -eq 1 ]
	one_clean_line "$TMP/err"
	grep -qF '\x1b[31m' "$TMP/err"
	# A bundle path from argv, with a newline and an invalid UTF-8 byte.
	to_err timeout 10 "$NSGUARD" --root "$STATE" create -b "$(printf '%s/no\nsuch\377' "$TMP")" esc-bundle
	[ "$status" -eq 1 ]
	one_clean_line "$TMP/err"
	grep -qF '\x0asuch\xff' "$TMP/err"
	# A container id from argv, on a refused spec.
	make_bundle "$TMP/c" true
	edit_config "$TMP/c" '.linux.namespaces |= map(select(.type != "network"))'
	to_err timeout 10 "$NSGUARD" --root "$STATE" create -b "$TMP/c" "$(printf 'id\033[2K\rx')"
	[ "$status" -eq 1 ]
	one_clean_line "$TMP/err"
	grep -qF 'id\x1b[2K\x0dx' "$TMP/err"
}

# ------------------------------------------------------ 9. odd working directories

@test "bypass: nsguard check and create in a removed working directory do not crash" {
	mkdir "$TMP/gone"
	cd "$TMP/gone"
	rmdir "$TMP/gone"
	run "$NSGUARD" check
	[ "$status" -lt 3 ]
	local arg
	for arg in somebundle config.json somebundle/config.json . ""; do
		run "$NSGUARD" check "$arg"
		[ "$status" -eq 1 ] || [ "$status" -eq 2 ] || {
			echo "nsguard check '$arg': exit $status: $output" >&2
			return 1
		}
		[ -n "$output" ]
	done
	LAST_ID=gone-1
	run timeout 10 "$NSGUARD" --root "$STATE" create -b somebundle gone-1 </dev/null
	refused net "somebundle" "directory"
	LAST_ID=gone-2
	run timeout 10 "$NSGUARD" --root "$STATE" create gone-2 </dev/null
	refused net "directory" "getcwd" "bundle"
}

@test "bypass: a working directory longer than PATH_MAX does not crash" {
	local name i
	name=$(printf 'd%.0s' $(seq 200))
	cd "$TMP"
	for i in $(seq 25); do
		mkdir "$name"
		cd "$name"
	done
	# A bundle right here, reachable only relative to a cwd getcwd() cannot name.
	cp "$TMP/bundle/config.json" config.json
	for i in config.json . somebundle; do
		run "$NSGUARD" check "$i"
		[ "$status" -eq 1 ] || [ "$status" -eq 2 ] || {
			echo "nsguard check $i: exit $status: $output" >&2
			return 1
		}
		[ -n "$output" ]
	done
	LAST_ID=long-1
	run timeout 10 "$NSGUARD" --root "$STATE" create -b somebundle long-1 </dev/null
	refused net "somebundle"
	LAST_ID=long-2
	run timeout 10 "$NSGUARD" --root "$STATE" create -b . long-2 </dev/null
	refused net "directory" "getcwd" "PATH_MAX" "long"
	LAST_ID=long-3
	run timeout 10 "$NSGUARD" --root "$STATE" create long-3 </dev/null
	refused net "directory" "getcwd" "PATH_MAX" "long"
}

# ----------------------------------------------------------- 10. the user rule

# user_bundle DIR UID-MAPPINGS [GID-MAPPINGS]: a private user namespace with
# these mappings; the container prints NS=<its user namespace> and MAP lines.
user_bundle() {
	make_bundle "$1" sh -c 'echo NS=$(readlink /proc/self/ns/user); while read a b c; do echo MAP $a $b $c; done </proc/self/uid_map; while read a b c; do echo GMAP $a $b $c; done </proc/self/gid_map'
	edit_config "$1" ".linux.uidMappings = $2 | .linux.gidMappings = ${3:-$2}"
}

# no_host_root_map: if the container ran, host uid/gid 0 is mapped nowhere in it.
no_host_root_map() {
	not_in_host user || return 1
	if grep -qE '^G?MAP [0-9]+ 0 ' <<<"$output"; then
		echo "BYPASS: the container ran with host id 0 mapped: $output" >&2
		return 1
	fi
}

@test "bypass: \"user\": \"enforce\" refuses a user namespace that maps host uid 0" {
	set_policy '.namespaces.user = "enforce"'
	user_bundle "$TMP/b" '[{"containerID": 0, "hostID": 0, "size": 65536}]'
	attempt "$TMP/b" user-0
	no_host_root_map
	refused user "maps host uid 0"
}

@test "bypass: \"user\": \"enforce\" runs a mapping from 100000, in a user namespace of its own" {
	set_policy '.namespaces.user = "enforce"'
	user_bundle "$TMP/b" '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	attempt "$TMP/b" user-100000
	[ "$status" -eq 0 ]
	[[ "$output" == *"MAP 0 100000 65536"* ]]
	local ns
	ns=$(sed -n 's/^NS=//p' <<<"$output")
	[[ "$ns" == user:* ]]
	[ "$ns" != "$(host_ns user)" ]
}

@test "bypass: the default policy runs a host-uid-0 mapping with a warning in --log only" {
	set_policy 'del(.namespaces)'
	user_bundle "$TMP/b" '[{"containerID": 0, "hostID": 0, "size": 65536}]'
	cd "$TMP/b"
	run --separate-stderr timeout "$TRY_TIMEOUT" "$NSGUARD" --root "$STATE" --log "$TMP/warn.log" \
		--log-format json run -b "$TMP/b" user-warn </dev/null
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -s -e 'map(select(.level == "warning" and (.msg | contains("maps host uid 0")))) | length == 1' "$TMP/warn.log"
}

@test "bypass: siblings of host id 0 in the mappings are refused under \"user\": \"enforce\"" {
	set_policy '.namespaces.user = "enforce"'
	local i=0 m
	while IFS='|' read -r uid gid; do
		i=$((i + 1))
		rm -rf "$TMP/b"
		user_bundle "$TMP/b" "$uid" "$gid"
		attempt "$TMP/b" "user-sib-$i"
		no_host_root_map || return 1
		refused user "maps host" || {
			echo "mappings: uid $uid gid $gid" >&2
			return 1
		}
	done <<-'EOF'
		[{"containerID": 0, "hostID": 100000, "size": 65536}]|[{"containerID": 0, "hostID": 0, "size": 65536}]
		[{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 0, "size": 1}]|[{"containerID": 0, "hostID": 100000, "size": 65536}]
		[{"containerID": 0, "size": 65536}]|[{"containerID": 0, "hostID": 100000, "size": 65536}]
		[{"containerID": 0, "HostID": 0, "size": 65536}]|[{"containerID": 0, "hostID": 100000, "size": 65536}]
		[{"containerID": 0, "hoſtID": 0, "size": 65536}]|[{"containerID": 0, "hostID": 100000, "size": 65536}]
	EOF
}

@test "bypass: joining a user namespace that maps host uid 0 is refused under \"user\": \"enforce\"" {
	# The spec's own mappings say 100000; the namespace it joins maps host uid
	# 0 to its root, and that is what the container gets.
	set_policy '.namespaces.user = "enforce"'
	unshare -U sleep 300 </dev/null >/dev/null 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/ns/user")" = "$(host_ns user)" ] || break
		sleep 0.05
	done
	echo "0 0 65536" >"/proc/$pid/uid_map"
	echo "0 0 65536" >"/proc/$pid/gid_map"
	user_bundle "$TMP/b" '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	edit_config "$TMP/b" "$(join user "/proc/$pid/ns/user")"
	attempt "$TMP/b" user-joined-0
	no_host_root_map
	refused user "maps host uid 0" "host uid 0"
}

@test "bypass: joining a user namespace whose maps are not written yet is refused" {
	# Root could write 0 0 65536 to them between nsguard's check and runc's
	# join (a map is written once: a written one is final, an empty one not).
	unshare -U sleep 300 </dev/null >/dev/null 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/ns/user")" = "$(host_ns user)" ] || break
		sleep 0.05
	done
	set_policy '.namespaces.user = "enforce"'
	user_bundle "$TMP/b" '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	edit_config "$TMP/b" "$(join user "/proc/$pid/ns/user")"
	attempt "$TMP/b" user-joined-empty
	refused user "maps are not written yet"
}

@test "bypass: a mapping that wraps around 2^32 never runs with host id 0" {
	set_policy '.namespaces.user = "enforce"'
	user_bundle "$TMP/b" '[{"containerID": 0, "hostID": 4294967295, "size": 2}]' \
		'[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	attempt "$TMP/b" user-wrap
	no_host_root_map
	[ "$status" -ne 0 ]
}

# ------------------------------------------------------ 11. legitimate joins

@test "bypass: legit: an ip netns file under /run/netns runs, in that namespace" {
	local name="nsg-bypass-$$-$BATS_TEST_NUMBER"
	ip_netns "$name"
	set_policy .
	ns_bundle "$TMP/b" net "$(join network "/run/netns/$name")"
	attempt "$TMP/b" ipnetns
	ran_in net "$(ns_id "/run/netns/$name" net)"
}

@test "bypass: legit: the same ip netns file as /var/run/netns/NAME runs, in that namespace" {
	local name="nsg-bypass-$$-$BATS_TEST_NUMBER"
	[ -L /var/run ] || skip "/var/run is not a symlink to /run here"
	ip_netns "$name"
	ns_bundle "$TMP/b" net "$(join network "/var/run/netns/$name")"
	attempt "$TMP/b" varrun
	ran_in net "$(ns_id "/run/netns/$name" net)"
}

@test "bypass: legit: /proc/<pid>/ns/net of a private process runs, in that namespace" {
	private_process
	ns_bundle "$TMP/b" net "$(join network "/proc/$PRIV/ns/net")"
	attempt "$TMP/b" procns
	ran_in net "$(readlink "/proc/$PRIV/ns/net")"
}

@test "bypass: legit: /proc/<pid>/task/<tid>/ns/net of a private process runs, in that namespace" {
	private_process
	ns_bundle "$TMP/b" net "$(join network "/proc/$PRIV/task/$PRIV/ns/net")"
	attempt "$TMP/b" taskns
	ran_in net "$(readlink "/proc/$PRIV/ns/net")"
}

@test "bypass: legit: /proc/<pid>/ns/ipc of a private process runs, in that namespace" {
	private_process
	ns_bundle "$TMP/b" ipc "$(join ipc "/proc/$PRIV/ns/ipc")"
	attempt "$TMP/b" procipc
	ran_in ipc "$(readlink "/proc/$PRIV/ns/ipc")"
}
