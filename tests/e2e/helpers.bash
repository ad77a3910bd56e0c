# helpers.bash - end-to-end tests through real engines.
#
# With NSGUARD_E2E_STRICT=1 (set by CI and scripts/test) a missing prerequisite
# is a failure, not a skip: these tests must run for real there.

: "${NSGUARD:?NSGUARD must name the nsguard binary (set by make check)}"

e2e_require() {
	local why="$1"
	if [ "${NSGUARD_E2E_STRICT:-0}" = 1 ]; then
		echo "required for this e2e test (NSGUARD_E2E_STRICT=1): $why" >&2
		return 1
	fi
	skip "$why"
}

# Root and a real runc, or skip (fail under strict mode).
e2e_require_runc() {
	[ "$(id -u)" -eq 0 ] || e2e_require "needs root"
	REAL_RUNC=$(command -v runc) || e2e_require "needs runc (apt-get install runc)"
	command -v busybox >/dev/null || e2e_require "needs busybox-static"
	command -v jq >/dev/null || e2e_require "needs jq"
}

# A private runc state root, policy and bundle under a temporary directory.
e2e_setup_runc() {
	e2e_require_runc
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-e2e.XXXXXX")
	# The containers' root user is mapped to an unprivileged uid: it must be
	# able to reach its root filesystem.
	chmod 0755 "$TMP"
	STATE="$TMP/state"
	export NSGUARD_POLICY="$TMP/policy.json"
	printf '{"runtime": "%s", "audit": {"syslog": false, "file": ""}}\n' "$REAL_RUNC" >"$NSGUARD_POLICY"
	chmod 0644 "$NSGUARD_POLICY"
	make_bundle "$TMP/bundle" sleep 300
}

e2e_teardown_runc() {
	local id
	if [ -d "${STATE:-}" ]; then
		for id in $(ls "$STATE" 2>/dev/null); do
			"${REAL_RUNC:-runc}" --root "$STATE" kill "$id" KILL 2>/dev/null || true
			"${REAL_RUNC:-runc}" --root "$STATE" delete --force "$id" 2>/dev/null || true
		done
	fi
	[ -z "${TMP:-}" ] || rm -rf "$TMP"
}

# make_bundle DIR ARGS...: a busybox root filesystem and runc's default spec,
# running ARGS without a terminal.
make_bundle() {
	local dir="$1"
	shift
	mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys" "$dir/rootfs/tmp"
	cp "$(command -v busybox)" "$dir/rootfs/bin/busybox"
	local applet
	for applet in sh sleep cat ls readlink true echo id; do
		ln -sf busybox "$dir/rootfs/bin/$applet"
	done
	(cd "$dir" && "$REAL_RUNC" spec)
	local args
	args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	# Every namespace private: runc's defaults plus a user namespace (mapped to
	# unprivileged ids) and a cgroup namespace. /sys is bind-mounted: a fresh
	# sysfs cannot be mounted from a user namespace that joins a network
	# namespace it does not own.
	jq --argjson a "$args" '.process.args = $a | .process.terminal = false | .root.readonly = true
		| .linux.namespaces |= (map(select(.type != "user" and .type != "cgroup")) + [{"type": "user"}, {"type": "cgroup"}])
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts |= map(if .destination == "/sys" then {"destination": "/sys", "type": "none", "source": "/sys",
			"options": ["rbind", "nosuid", "noexec", "nodev", "ro"]} else . end)' \
		"$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
	chmod 0644 "$dir/config.json"
}

# edit_config DIR JQ-FILTER
edit_config() {
	jq "$2" "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
	chmod 0644 "$1/config.json"
}

# nsguard as runc, with the private state root.
nsg() {
	"$NSGUARD" --root "$STATE" "$@"
}

# e2e_require_cmd CMD PACKAGE: the command exists, or skip (fail under strict mode).
e2e_require_cmd() {
	command -v "$1" >/dev/null || e2e_require "needs $1 (apt-get install $2)"
}

# make_rootfs_tar OUT: a busybox-static root filesystem as a plain tarball,
# for `docker import` and `podman import` (there is no image registry here).
make_rootfs_tar() {
	local out="$1" root
	root=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-rootfs.XXXXXX")
	mkdir -p "$root/bin" "$root/proc" "$root/dev" "$root/sys" "$root/tmp" "$root/etc"
	cp "$(command -v busybox)" "$root/bin/busybox"
	local applet
	for applet in $("$root/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'root:x:0:' >"$root/etc/group"
	tar -C "$root" -cf "$out" .
	rm -rf "$root"
}

# shim_pids SOCKET [DAEMON-PID]: pids of the containerd shims started for the
# containerd listening on SOCKET (their command line names it).
shim_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" != "${2:-}" ] || continue
		tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "-address $1 " && echo "${p#/proc/}"
	done
	return 0
}

# make_oci_archive OUT NAME [CMD-JSON]: the same root filesystem as a one-layer
# OCI image archive named NAME (for `ctr images import`), running CMD-JSON
# (with PATH=/bin) when given, else sh.
make_oci_archive() {
	local out="$1" name="$2" cmd="${3:-}" dir layer diffid config manifest
	dir=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-oci.XXXXXX")
	mkdir -p "$dir/blobs/sha256"
	make_rootfs_tar "$dir/layer.tar"
	diffid=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
	gzip -n "$dir/layer.tar"
	layer=$(sha256sum "$dir/layer.tar.gz" | cut -d' ' -f1)
	mv "$dir/layer.tar.gz" "$dir/blobs/sha256/$layer"
	if [ -n "$cmd" ]; then
		jq -nc --argjson cmd "$cmd" --arg d "sha256:$diffid" \
			'{"architecture": "amd64", "os": "linux", "config": {"Cmd": $cmd, "Env": ["PATH=/bin"]}, "rootfs": {"type": "layers", "diff_ids": [$d]}}' \
			>"$dir/config.json"
	else
		printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
			"$diffid" >"$dir/config.json"
	fi
	config=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
	mv "$dir/config.json" "$dir/blobs/sha256/$config"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
		"$config" "$(stat -c %s "$dir/blobs/sha256/$config")" "$layer" "$(stat -c %s "$dir/blobs/sha256/$layer")" >"$dir/manifest.json"
	manifest=$(sha256sum "$dir/manifest.json" | cut -d' ' -f1)
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"%s","io.containerd.image.name":"%s"}}]}' \
		"$manifest" "$(stat -c %s "$dir/manifest.json")" "$name" "$name" >"$dir/index.json"
	mv "$dir/manifest.json" "$dir/blobs/sha256/$manifest"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
	tar -C "$dir" -cf "$out" oci-layout index.json blobs
	rm -rf "$dir"
}
