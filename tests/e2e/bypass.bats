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
load bypass-lib

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

