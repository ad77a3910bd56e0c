# docker-lib.bash - private containerd + dockerd instances for tests/e2e/docker.bats.
#
# An instance lives entirely in one directory DIR: its configuration, sockets,
# state, images, logs, nsguard policy and audit file. (One exception that no
# option moves: containerd 1.6 puts its shims' sockets in /run/containerd/s;
# they go away with the shims.) Only the processes started here are ever
# signalled, and only after checking that they still are ours.
#
# Layout of DIR:
#   containerd.toml containerd.sock containerd/ containerd.log containerd.started
#   daemon.json docker.sock docker/ exec/ dockerd.log dockerd.started dockerd.pid
#   policy.json audit.jsonl hardbin/runc (-> $NSGUARD, hard mode) cli/ (docker CLI config)

# The docker CLI of the docker.io package (a newer CLI elsewhere on PATH would
# still work, but the tests are about Docker 20.10 as Debian ships it).
# An instance whose DIR/docker.cli names another CLI uses that one.
dk_cli() {
	if [ -n "${1:-}" ] && [ -s "$1/docker.cli" ]; then
		cat "$1/docker.cli"
	elif [ -x /usr/bin/docker ]; then
		echo /usr/bin/docker
	else
		command -v docker
	fi
}

# dk_missing: nothing if every prerequisite is there, else what is missing.
dk_missing() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root"; return; }
	local cmd pkg
	for cmd in runc:runc busybox:busybox-static jq:jq dockerd:docker.io containerd:containerd \
		containerd-shim-runc-v2:containerd ctr:containerd; do
		pkg=${cmd#*:}
		cmd=${cmd%%:*}
		command -v "$cmd" >/dev/null || { echo "needs $cmd (apt-get install $pkg)"; return; }
	done
	[ -n "$(dk_cli)" ] || echo "needs docker (apt-get install docker.io)"
}

# dk_prepare DIR USER-MODE [DOCKERD-ARGS...]: configuration files for an
# instance in DIR, whose nsguard policy checks the user namespace with
# USER-MODE (off|warn|enforce) and whose dockerd gets DOCKERD-ARGS too.
dk_prepare() {
	local dir="$1" user="$2" runc
	shift 2
	runc=$(command -v runc)
	mkdir -p "$dir/containerd" "$dir/docker" "$dir/exec" "$dir/hardbin" "$dir/cli"
	chmod 0755 "$dir"
	: >"$dir/dockerd.args"
	[ "$#" -eq 0 ] || printf '%s\n' "$@" >"$dir/dockerd.args"
	# Hard mode: the first runc on the engines' PATH is nsguard.
	ln -s "$NSGUARD" "$dir/hardbin/runc"
	# dockerd's --exec-root is $dir/exec: its netns bind mounts live in
	# $dir/exec/netns, which the policy must list as a namespace_dir (as an
	# operator with a non-default exec-root would).
	printf '{"runtime": "%s", "namespaces": {"user": "%s"}, "namespace_dirs": ["%s"], "audit": {"syslog": false, "file": "%s"}}\n' \
		"$runc" "$user" "$dir/exec/netns" "$dir/audit.jsonl" >"$dir/policy.json"
	chown root:root "$dir/policy.json"
	chmod 0644 "$dir/policy.json"
	cat >"$dir/containerd.toml" <<-EOF
		version = 2
		root = "$dir/containerd/root"
		state = "$dir/containerd/state"
		# CRI is not needed by dockerd; opt would install into /opt/containerd.
		disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt"]

		[grpc]
		  address = "$dir/containerd.sock"

		[ttrpc]
		  address = "$dir/containerd.sock.ttrpc"
	EOF
	# SPEC §1's daemon.json, plus the one key that keeps dockerd 20.10 from
	# creating /etc/docker/key.json (it has no command-line flag for it).
	printf '{"runtimes": {"nsguard": {"path": "%s"}}, "default-runtime": "nsguard", "deprecated-key-path": "%s"}\n' \
		"$NSGUARD" "$dir/key.json" >"$dir/daemon.json"
}

# dk_env DIR: the environment of both daemons (and so of containerd's shims
# and of every runc they start): hard mode's PATH and the instance's policy.
# DIR/bin.path, if there, holds directories (of other engine binaries) that
# come right after hardbin.
dk_env() {
	local extra=""
	[ ! -s "$1/bin.path" ] || extra="$(cat "$1/bin.path"):"
	echo "PATH=$1/hardbin:$extra$PATH" "NSGUARD_POLICY=$1/policy.json"
}

# dk_start_containerd DIR
dk_start_containerd() {
	local dir="$1"
	# shellcheck disable=SC2046
	(
		umask 022
		cd "$dir" || exit 1
		exec env $(dk_env "$dir") containerd --config "$dir/containerd.toml"
	) </dev/null >"$dir/containerd.log" 2>&1 3>&- &
	echo "$!" >"$dir/containerd.started"
}

# dk_start_dockerd DIR: no network for the containers beyond their own
# loopback: no bridge, no iptables rules, no ip_forward change.
dk_start_dockerd() {
	local dir="$1" args
	mapfile -t args <"$dir/dockerd.args"
	# shellcheck disable=SC2046
	(
		umask 022
		cd "$dir" || exit 1
		exec env $(dk_env "$dir") dockerd \
			--containerd "$dir/containerd.sock" \
			-H "unix://$dir/docker.sock" \
			--data-root "$dir/docker" \
			--exec-root "$dir/exec" \
			--pidfile "$dir/dockerd.pid" \
			--config-file "$dir/daemon.json" \
			--bridge none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
			${args[@]+"${args[@]}"}
	) </dev/null >"$dir/dockerd.log" 2>&1 3>&- &
	echo "$!" >"$dir/dockerd.started"
}

# dk_wait DIR WHAT TIMEOUT: until WHAT (containerd|dockerd) of DIR answers.
dk_wait() {
	local dir="$1" what="$2" i pid
	pid=$(cat "$dir/$what.started")
	for ((i = 0; i < $3 * 10; i++)); do
		if ! dk_alive "$pid"; then
			echo "$what of $dir exited; its log:" >&2
			tail -n 30 "$dir/$what.log" >&2
			return 1
		fi
		# shellcheck disable=SC2046
		case $what in
		containerd) [ -S "$dir/containerd.sock" ] && env $(dk_env "$dir") ctr --address "$dir/containerd.sock" version >/dev/null 2>&1 && return 0 ;;
		dockerd) [ -S "$dir/docker.sock" ] && dk "$dir" version >/dev/null 2>&1 && return 0 ;;
		esac
		sleep 0.1
	done
	echo "$what of $dir did not answer within $3 s; its log:" >&2
	tail -n 30 "$dir/$what.log" >&2
	return 1
}

# dk DIR ARGS...: the docker CLI talking to the dockerd of DIR.
dk() {
	local dir="$1"
	shift
	DOCKER_HOST="unix://$dir/docker.sock" DOCKER_CONFIG="$dir/cli" timeout "${DK_TIMEOUT:-120}" "$(dk_cli "$dir")" "$@"
}

# dk_start DIRS...: both daemons of every (dk_prepare'd) DIR, the instances
# side by side; waits up to 30 s for each daemon to answer.
dk_start() {
	local dir
	for dir in "$@"; do dk_start_containerd "$dir"; done
	for dir in "$@"; do dk_wait "$dir" containerd 30 || return 1; done
	for dir in "$@"; do dk_start_dockerd "$dir"; done
	for dir in "$@"; do dk_wait "$dir" dockerd 30 || return 1; done
}

# dk_alive PID: the process exists and is not a zombie (a zombie child is reaped).
dk_alive() {
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	case $state in
	'' | Z | X)
		wait "$1" 2>/dev/null || true
		return 1
		;;
	esac
}

# dk_ours PID DIR: PID is alive and its command line names DIR (guards against
# a recycled pid).
dk_ours() {
	dk_alive "$1" && { tr '\0' '\n' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF "$2"
}

# dk_kill PID DIR NAME: SIGTERM, up to 20 s, then SIGKILL; only if it is ours.
dk_kill() {
	local pid="$1" dir="$2" i
	dk_ours "$pid" "$dir" || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		dk_alive "$pid" || return 0
		sleep 0.1
	done
	echo "$3 ($pid) ignored SIGTERM for 20 s: SIGKILL" >&2
	kill -KILL "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		dk_alive "$pid" || return 0
		sleep 0.1
	done
	echo "$3 ($pid) survived SIGKILL" >&2
	return 1
}

# dk_procs DIR: pids of live processes whose command line names DIR: our
# daemons, and the shims our containerd started (their -address is ours).
dk_procs() {
	local p
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		if [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ]; then continue; fi
		{ tr '\0' '\n' <"/proc/$p/cmdline"; } 2>/dev/null | grep -qF "$1/" && dk_alive "$p" && echo "$p"
	done
	return 0
}

# dk_mounts DIR: mount points at or below DIR, deepest first.
dk_mounts() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# dk_stop DIR: remove every container, stop dockerd then containerd, stop any
# shim of ours that outlived them, unmount what they left below DIR, remove DIR.
# Safe on a half-started instance. Fails if anything of DIR is left behind.
dk_stop() {
	local dir="$1" pid ids m i rc=0
	[ -n "$dir" ] && [ -d "$dir" ] || return 0
	if [ -f "$dir/dockerd.started" ] && dk_ours "$(cat "$dir/dockerd.started")" "$dir"; then
		ids=$(DK_TIMEOUT=30 dk "$dir" ps -aq 2>/dev/null) || true
		if [ -n "$ids" ]; then
			# shellcheck disable=SC2086
			DK_TIMEOUT=60 dk "$dir" rm -f $ids >/dev/null 2>&1 || rc=1
		fi
		dk_kill "$(cat "$dir/dockerd.started")" "$dir" dockerd || rc=1
	fi
	if [ -f "$dir/containerd.started" ]; then
		dk_kill "$(cat "$dir/containerd.started")" "$dir" containerd || rc=1
	fi
	# Shims outlive containerd only if containers did: started by our
	# containerd (their command line holds our socket), so ours to stop.
	for pid in $(dk_procs "$dir"); do
		echo "leftover process of $dir: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" >&2
		dk_kill "$pid" "$dir" leftover || true
		rc=1
	done
	for ((i = 0; i < 5; i++)); do
		m=$(dk_mounts "$dir")
		[ -n "$m" ] || break
		while read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
		done <<<"$m"
	done
	if [ -n "$(dk_mounts "$dir")" ]; then
		echo "still mounted below $dir:" >&2
		dk_mounts "$dir" >&2
		return 1
	fi
	rm -rf "$dir"
	return "$rc"
}

# dk_stop_all ROOT DIR...: stop the instances DIR... and remove ROOT unless
# something is still mounted below it (then fail, leaving it for a look).
dk_stop_all() {
	local root="$1" dir rc=0
	shift
	for dir in "$@"; do
		[ -z "$dir" ] || dk_stop "$dir" || rc=1
	done
	if [ -z "$(dk_mounts "$root")" ]; then
		rm -rf --one-file-system "$root"
	else
		rc=1
	fi
	return "$rc"
}

# dk_rm_all DIR...: remove every container of the instances DIR...
dk_rm_all() {
	local dir ids
	for dir in "$@"; do
		ids=$(dk "$dir" ps -aq) || true
		# shellcheck disable=SC2086
		[ -z "$ids" ] || dk "$dir" rm -f $ids >/dev/null
	done
}

# dk_audit_of DIR ID: the audit records of container ID in instance DIR.
dk_audit_of() {
	jq -c --arg id "$2" 'select(.id == $id)' "$1/audit.jsonl"
}
