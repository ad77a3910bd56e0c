#!/usr/bin/env bats
# The rest of the known bypasses (bypass.bats has the paths runc init opens,
# the swaps and the bundles), tried the same way through real runc: no
# default exemption, restore, no /proc, FIFOs and devices, control bytes, odd
# working directories, the user rule and the legitimate joins beside them.

bats_require_minimum_version 1.5.0

load helpers
load bypass-lib

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

check_answers() { # ARG...: `nsguard check ARG` answers each (exit 1 or 2, with a message), never crashes
	local arg
	for arg in "$@"; do
		run "$NSGUARD" check "$arg"
		[ "$status" -eq 1 ] || [ "$status" -eq 2 ] || {
			echo "nsguard check '$arg': exit $status: $output" >&2
			return 1
		}
		[ -n "$output" ]
	done
}

@test "bypass: nsguard check and create in a removed working directory do not crash" {
	mkdir "$TMP/gone"
	cd "$TMP/gone"
	rmdir "$TMP/gone"
	run "$NSGUARD" check
	[ "$status" -lt 3 ]
	check_answers somebundle config.json somebundle/config.json . ""
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
	check_answers config.json . somebundle
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
