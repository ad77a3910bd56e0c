#!/usr/bin/env bats
# Kubernetes' CRI through nsguard (SPEC section 1): private containerds with
# their CRI plugin, nsguard as the runc handler's BinaryName, driven by a small
# CRI v1 client (cri-client.py, cri-api.proto) instead of a kubelet. Every test
# runs on Debian 12's containerd 1.6 and on containerd 1.7 (trixie) and 2.x
# (sid, config version 3), downloaded and extracted at test time: a failed
# download skips that engine, or fails under NSGUARD_E2E_STRICT=1. The policy
# file named by containerd's NSGUARD_POLICY is rewritten by the tests that need
# another one.

load helpers
load docker-new-fetch

bats_require_minimum_version 1.5.0

CRI_PAUSE=localhost/nsguard-e2e/pause:latest
CRI_IMG=localhost/nsguard-e2e/app:latest
CRI_PY=/usr/bin/python3

# cri METHOD [JSON]: one CRI call against the private containerd.
cri() {
	timeout 90 "$CRI_PY" "$BATS_TEST_DIRNAME/cri-client.py" "$CRI_TOP/gen" "$CRI_SOCK" "$@"
}

ctr_() {
	timeout 60 "$CRI_BIN/ctr" --address "$CRI_SOCK" --namespace k8s.io "$@"
}

# cri_policy JSON-FRAGMENT: the policy nsguard reads from now on (the real
# runc, the audit file under the temporary directory, user namespaces off).
cri_policy() {
	jq -n --arg rt "$(command -v runc)" --arg audit "$CRI_TMP/audit.jsonl" --argjson p "${1:-{\}}" \
		'{"runtime": $rt, "namespaces": {"user": "off"}, "audit": {"syslog": false, "file": $audit}} * $p' \
		>"$CRI_TMP/policy.json.new"
	chmod 0644 "$CRI_TMP/policy.json.new"
	mv "$CRI_TMP/policy.json.new" "$CRI_TMP/policy.json"
}

# pod_config NAME NAMESPACE [NETWORK PID IPC [ANNOTATIONS-JSON]]: a
# PodSandboxConfig; the modes are POD, CONTAINER or NODE. A host-network pod
# has no hostname of its own (the kubelet sets none).
pod_config() {
	jq -nc --arg n "$1" --arg ns "$2" --arg net "${3:-POD}" --arg pid "${4:-CONTAINER}" --arg ipc "${5:-POD}" \
		--argjson ann "${6:-{\}}" --arg cg "/$CRI_CGROUP" \
		'{"metadata": {"name": $n, "namespace": $ns, "uid": ("uid-" + $n), "attempt": 0},
		  "hostname": (if $net == "NODE" then "" else $n end), "annotations": $ann,
		  "linux": {"cgroup_parent": $cg, "security_context": {"namespace_options":
			{"network": $net, "pid": $pid, "ipc": $ipc}}}}'
}

# run_pod CONFIG [HANDLER]: RunPodSandbox; prints the sandbox id.
run_pod() {
	local out
	out=$(cri RunPodSandbox "$(jq -nc --argjson c "$1" --arg h "${2:-}" '{"config": $c, "runtime_handler": $h}')") || return 1
	jq -r .pod_sandbox_id <<<"$out"
}

# start_app SANDBOX-ID POD-CONFIG NAME ARGS...: CreateContainer and
# StartContainer of the app image running ARGS; prints the container id.
start_app() {
	local sb="$1" pod="$2" name="$3" out id
	shift 3
	out=$(cri CreateContainer "$(jq -nc --arg sb "$sb" --argjson pod "$pod" --arg n "$name" --arg img "$CRI_IMG" \
		--argjson args "$(printf '%s\n' "$@" | jq -R . | jq -sc .)" \
		'{"pod_sandbox_id": $sb, "sandbox_config": $pod,
		  "config": {"metadata": {"name": $n}, "image": {"image": $img}, "command": $args}}')") || return 1
	id=$(jq -r .container_id <<<"$out")
	echo "$id"
	cri StartContainer "{\"container_id\": \"$id\"}" >/dev/null
}

# The pid of runc container ID under containerd's runc root.
runc_pid() {
	runc --root "$CRI_TMP/runc/k8s.io" state "$1" | jq -r .pid
}

# Remove every pod (and so its containers) of the private containerd.
remove_pods() {
	local id
	for id in $(cri ListPodSandbox 2>/dev/null | jq -r '.items[]?.id'); do
		cri StopPodSandbox "{\"pod_sandbox_id\": \"$id\"}" >/dev/null 2>&1 || true
		cri RemovePodSandbox "{\"pod_sandbox_id\": \"$id\"}" >/dev/null 2>&1 || true
	done
}

# Pids of the shims of our containerd.
cri_shim_pids() { shim_pids "$CRI_SOCK" "${CRI_PID:-}"; }

# cri_use ENGINE: the following calls go to ENGINE's containerd.
cri_use() {
	CRI_TMP="$CRI_TOP/$1"
	CRI_SOCK="$CRI_TMP/containerd.sock"
	CRI_CGROUP="nsguard-cri-e2e-${CRI_TOP##*.}-$1"
	CRI_BRIDGE="nsgcri${CRI_TOP##*.}${1//./}"
	CRI_BRIDGE="${CRI_BRIDGE:0:15}"
	CRI_PID=$(cat "$CRI_TMP/containerd.pid" 2>/dev/null || true)
	CRI_BIN=$(cat "$CRI_TMP/bin" 2>/dev/null || true)
}

# cri_each FUNCTION: FUNCTION once for every engine that came up.
cri_each() {
	local e
	[ -n "${CRI_ENGINES// /}" ]
	for e in $CRI_ENGINES; do
		cri_use "$e"
		echo "# containerd $e"
		cri_policy '{}'
		# Not `"$1" || ...`: that would turn errexit off inside it.
		"$1"
		remove_pods
	done
}

# cri_start ENGINE BINDIR CONFIG-VERSION SUBNET: a private containerd with
# its CRI plugin, BINDIR's containerd, ctr and shim.
cri_start() {
	local engine="$1" bin="$2" cv="$3" subnet="$4" cri_rt cri_img
	mkdir -p "$CRI_TOP/$engine"
	echo "$bin" >"$CRI_TOP/$engine/bin"
	cri_use "$engine"
	chmod 0755 "$CRI_TMP"
	cri_policy '{}'
	mkdir "$CRI_TMP/net.d"
	jq -n --arg br "$CRI_BRIDGE" --arg sn "$subnet" --arg ipam "$CRI_TMP/ipam" \
		'{"cniVersion": "0.4.0", "name": "nsguard-e2e", "plugins": [
		{"type": "bridge", "bridge": $br, "isGateway": false, "ipMasq": false,
		 "ipam": {"type": "host-local", "ranges": [[{"subnet": $sn}]], "dataDir": $ipam}},
		{"type": "loopback"}]}' >"$CRI_TMP/net.d/10-nsguard-e2e.conflist"
	# containerd 2.x (config version 3) splits the CRI plugin in three.
	if [ "$cv" = 3 ]; then
		cri_rt='io.containerd.cri.v1.runtime' cri_img='io.containerd.cri.v1.images'
	else
		cri_rt='io.containerd.grpc.v1.cri' cri_img='io.containerd.grpc.v1.cri'
	fi
	local handler='
		[plugins."'"$cri_rt"'".containerd.runtimes.HANDLER]
		  runtime_type = "io.containerd.runc.v2"
		  PODANN
		[plugins."'"$cri_rt"'".containerd.runtimes.HANDLER.options]
		  BinaryName = "'"$NSGUARD"'"
		  Root = "'"$CRI_TMP"'/runc"
		'
	{
		cat <<-EOF
			version = $cv
			root = "$CRI_TMP/root"
			state = "$CRI_TMP/state"

			[grpc]
			  address = "$CRI_SOCK"

			[ttrpc]
			  address = "$CRI_SOCK.ttrpc"

		EOF
		if [ "$cv" = 3 ]; then
			cat <<-EOF
				[plugins."io.containerd.grpc.v1.cri"]
				  stream_server_address = "127.0.0.1"
				  stream_server_port = "0"
				[plugins."$cri_img".pinned_images]
				  sandbox = "$CRI_PAUSE"
				[plugins."$cri_rt"]
			EOF
		else
			cat <<-EOF
				[plugins."io.containerd.internal.v1.opt"]
				  path = "$CRI_TMP/opt"
				[plugins."io.containerd.grpc.v1.cri"]
				  stream_server_address = "127.0.0.1"
				  stream_server_port = "0"
				  sandbox_image = "$CRI_PAUSE"
			EOF
		fi
		cat <<-EOF
			  restrict_oom_score_adj = true
			  enable_selinux = false
			[plugins."$cri_rt".cni]
			  bin_dir = "/usr/lib/cni"
			  conf_dir = "$CRI_TMP/net.d"
			[plugins."$cri_rt".containerd]
			  default_runtime_name = "runc"
		EOF
		# "runc" passes io.nsguard.allow on to the OCI spec; "nopass" does not.
		sed 's/HANDLER/runc/; s/PODANN/pod_annotations = ["io.nsguard.allow"]/' <<<"$handler"
		sed 's/HANDLER/nopass/; s/PODANN//' <<<"$handler"
	} >"$CRI_TMP/config.toml"

	# The engine's own shim first on PATH; off bats' descriptors.
	PATH="$bin:$PATH" NSGUARD_POLICY="$CRI_TMP/policy.json" "$bin/containerd" --config "$CRI_TMP/config.toml" \
		</dev/null >"$CRI_TMP/containerd.log" 2>&1 3>&- &
	echo $! >"$CRI_TMP/containerd.pid"
	cri_use "$engine"
	local i
	for i in $(seq 150); do
		[ -S "$CRI_SOCK" ] && cri Version >/dev/null 2>&1 && break
		kill -0 "$CRI_PID" 2>/dev/null || break
		sleep 0.1
	done
	if ! cri Version >"$CRI_TMP/version.json" 2>&1; then
		echo "containerd $engine's CRI did not come up:" >&2
		cat "$CRI_TMP/version.json" >&2
		tail -n 20 "$CRI_TMP/containerd.log" >&2
		return 1
	fi
	echo "# engine: containerd $("$bin/containerd" --version | awk '{print $3}') ($engine), CRI $(jq -r '.runtime_version + " " + .runtime_api_version' "$CRI_TMP/version.json"), runc $(runc --version | sed -n '1s/^runc version //p')" >&3
	ctr_ images import "$CRI_TOP/pause.tar" >"$CRI_TMP/import.log" 2>&1 &&
		ctr_ images import "$CRI_TOP/app.tar" >>"$CRI_TMP/import.log" 2>&1 || {
		cat "$CRI_TMP/import.log" >&2
		return 1
	}
	CRI_ENGINES="$CRI_ENGINES $engine"
}

# cri_fetch_start ENGINE SUITE MAJOR CONFIG-VERSION SUBNET: SUITE's containerd,
# downloaded and extracted (docker-new-fetch.bash), if its major version is
# MAJOR; a failed download skips it (fails under strict mode).
cri_fetch_start() {
	local engine="$1" suite="$2" major="$3" why ver
	if why=$(dn_fetch "$suite" "$CRI_TOP/$suite.pkgs" containerd); then
		ver=$(dn_version "$CRI_TOP/$suite.pkgs" containerd)
		case $ver in
		"$major".*) cri_start "$engine" "$CRI_TOP/$suite.pkgs/root/usr/bin" "$4" "$5"; return ;;
		esac
		why="$suite's containerd is $ver, not $major.x"
	fi
	if [ "${NSGUARD_E2E_STRICT:-0}" = 1 ]; then
		echo "containerd $engine is required (NSGUARD_E2E_STRICT=1): $why" >&2
		return 1
	fi
	echo "# skipped containerd $engine: $why" >&3
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || e2e_require "needs root"
	e2e_require_cmd containerd containerd
	e2e_require_cmd ctr containerd
	e2e_require_cmd containerd-shim-runc-v2 containerd
	e2e_require_cmd runc runc
	e2e_require_cmd busybox busybox-static
	e2e_require_cmd jq jq
	[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] ||
		e2e_require "needs the CNI plugins (apt-get install containernetworking-plugins)"
	"$CRI_PY" -c 'import grpc, grpc_tools.protoc' 2>/dev/null ||
		e2e_require "needs python3-grpcio and python3-grpc-tools"

	CRI_TOP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-cri.XXXXXX")
	chmod 0755 "$CRI_TOP"
	export CRI_TOP
	# Directories containerd and the CNI plugins create on the host: removed
	# again afterwards only if they were not there before.
	CRI_HAD_RUN_DIR=0 CRI_HAD_NETNS_DIR=0 CRI_HAD_CNI_DIR=0
	[ ! -e /run/containerd ] || CRI_HAD_RUN_DIR=1
	[ ! -e /run/netns ] || CRI_HAD_NETNS_DIR=1
	[ ! -e /var/lib/cni ] || CRI_HAD_CNI_DIR=1
	export CRI_HAD_RUN_DIR CRI_HAD_NETNS_DIR CRI_HAD_CNI_DIR

	mkdir "$CRI_TOP/gen"
	cp "$BATS_TEST_DIRNAME/cri-api.proto" "$CRI_TOP/gen/cri_api.proto"
	"$CRI_PY" -m grpc_tools.protoc -I "$CRI_TOP/gen" --python_out="$CRI_TOP/gen" --grpc_python_out="$CRI_TOP/gen" \
		"$CRI_TOP/gen/cri_api.proto"
	make_oci_archive "$CRI_TOP/pause.tar" "$CRI_PAUSE" '["sleep", "2147483647"]'
	make_oci_archive "$CRI_TOP/app.tar" "$CRI_IMG" '["sh"]'

	CRI_ENGINES=""
	cri_start 1.6 "$(dirname "$(command -v containerd)")" 2 10.251.76.0/24
	cri_fetch_start 1.7 trixie 1 2 10.251.77.0/24
	cri_fetch_start 2.x sid 2 3 10.251.78.0/24
	export CRI_ENGINES
	echo "# every test runs on containerd:$CRI_ENGINES" >&3
}

# cri_stop: ENGINE's containerd (cri_use) and whatever it left behind.
cri_stop() {
	local pid i d
	if [ -n "${CRI_PID:-}" ] && kill -0 "$CRI_PID" 2>/dev/null; then
		remove_pods
		kill "$CRI_PID" 2>/dev/null || true
		for i in $(seq 100); do
			kill -0 "$CRI_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$CRI_PID" 2>/dev/null || true
	fi
	for pid in $(cri_shim_pids); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	findmnt -rn -o TARGET | grep -F "$CRI_TMP/" | sort -r | while read -r i; do
		umount "$i" 2>/dev/null || umount -l "$i" || true
	done
	ip link del "$CRI_BRIDGE" 2>/dev/null || true
	for d in /sys/fs/cgroup/*/"$CRI_CGROUP" /sys/fs/cgroup/"$CRI_CGROUP"; do
		[ -d "$d" ] || continue
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
}

teardown_file() {
	[ -n "${CRI_TOP:-}" ] || return 0
	local e
	for e in $(ls "$CRI_TOP"); do
		[ -f "$CRI_TOP/$e/bin" ] || continue
		cri_use "$e"
		cri_stop
	done
	rm -rf "$CRI_TOP"
	if [ "${CRI_HAD_RUN_DIR:-1}" = 0 ]; then
		rmdir /run/containerd/s /run/containerd 2>/dev/null || true
	fi
	[ "${CRI_HAD_NETNS_DIR:-1}" = 1 ] || rmdir /run/netns 2>/dev/null || true
	[ "${CRI_HAD_CNI_DIR:-1}" = 1 ] || rmdir /var/lib/cni/results /var/lib/cni 2>/dev/null || true
}

teardown() {
	local e
	for e in $CRI_ENGINES; do
		cri_use "$e"
		remove_pods
		cri_policy '{}'
	done
}

cri_t_private() {
	local pod sb c pid n
	pod=$(pod_config private default)
	sb=$(run_pod "$pod")
	c=$(start_app "$sb" "$pod" app sleep 300)
	pid=$(runc_pid "$c")
	for n in net pid ipc mnt; do
		[ "$(readlink "/proc/$pid/ns/$n")" != "$(readlink "/proc/self/ns/$n")" ]
	done
	[ "$(readlink "/proc/$pid/ns/net")" = "$(readlink "/proc/$(runc_pid "$sb")/ns/net")" ]
	[ "$(jq -r --arg id "$sb" 'select(.id == $id) | .decision' "$CRI_TMP/audit.jsonl")" = allowed ]
	[ "$(jq -r --arg id "$c" 'select(.id == $id) | .decision' "$CRI_TMP/audit.jsonl")" = allowed ]
}
@test "cri: a private pod runs through nsguard in namespaces of its own" {
	cri_each cri_t_private
}

cri_t_host_pods() {
	run -1 --separate-stderr run_pod "$(pod_config hostnet default NODE)"
	echo "$stderr"
	[[ "$stderr" == *"nsguard: refused to create container"*"shares the host's network namespace (no \"network\" entry in linux.namespaces)"* ]]
	run -1 --separate-stderr run_pod "$(pod_config hostpid default POD NODE)"
	echo "$stderr"
	[[ "$stderr" == *"nsguard: refused to create container"*"shares the host's pid namespace (no \"pid\" entry in linux.namespaces)"* ]]
	run -1 --separate-stderr run_pod "$(pod_config hostipc default POD CONTAINER NODE)"
	echo "$stderr"
	[[ "$stderr" == *"nsguard: refused to create container"*"shares the host's ipc namespace (no \"ipc\" entry in linux.namespaces)"* ]]
	[ -z "$(runc --root "$CRI_TMP/runc/k8s.io" list -q 2>/dev/null)" ]
}
@test "cri: hostNetwork, hostPID and hostIPC pods are refused at RunPodSandbox with nsguard's reason" {
	cri_each cri_t_host_pods
}

cri_t_pause_net() {
	cri_policy '{"exemptions": [{"name": "sandboxes", "allow": ["network"],
		"match": {"io.kubernetes.cri.container-type": "sandbox"}}]}'
	local pod sb pause
	pod=$(pod_config hostnet-app default NODE)
	sb=$(run_pod "$pod")
	pause=$(runc_pid "$sb")
	[ "$(readlink "/proc/$pause/ns/net")" = "$(readlink /proc/self/ns/net)" ]
	run -1 --separate-stderr start_app "$sb" "$pod" app sleep 300
	echo "$stderr"
	[[ "$stderr" == *"nsguard: refused to create container"*"path /proc/$pause/ns/net is the host's network namespace"* ]]
}
@test "cri: the app container of a host-network pod is refused by the identity of /proc/<pause>/ns/net" {
	cri_each cri_t_pause_net
}

cri_t_contrib_policy() {
	cri_policy "$(jq -c 'del(.runtime, .audit, .namespaces)' "$BATS_TEST_DIRNAME/../../contrib/kubernetes/policy.json")"
	local pod sb c
	pod=$(pod_config etcd-node1 kube-system NODE)
	sb=$(run_pod "$pod")
	c=$(start_app "$sb" "$pod" etcd sleep 300)
	[ "$(readlink "/proc/$(runc_pid "$c")/ns/net")" = "$(readlink /proc/self/ns/net)" ]
	[ "$(jq -r --arg id "$c" 'select(.id == $id) | .decision' "$CRI_TMP/audit.jsonl")" = allowed-by-exemption:etcd ]
	run -1 --separate-stderr run_pod "$(pod_config coredns-1 kube-system NODE)"
	[[ "$stderr" == *"nsguard: refused to create container"*"shares the host's network namespace"* ]]
	# A pod cannot claim kube-system by annotation: the CRI plugin sets its own.
	run -1 --separate-stderr run_pod "$(pod_config etcd-fake default NODE POD POD \
		'{"io.kubernetes.cri.sandbox-namespace": "kube-system", "io.nsguard.allow": "network"}')"
	[[ "$stderr" == *"nsguard: refused to create container"*"shares the host's network namespace"* ]]
}
@test "cri: contrib/kubernetes/policy.json runs a kube-system etcd static pod and refuses another kube-system pod" {
	cri_each cri_t_contrib_policy
}

cri_t_pod_annotations() {
	local pod sb
	pod=$(pod_config debug default POD NODE POD '{"io.nsguard.allow": "pid"}')
	run -1 --separate-stderr run_pod "$pod" nopass
	[[ "$stderr" == *"shares the host's pid namespace"*"add annotation io.nsguard.allow=pid"* ]]
	sb=$(run_pod "$pod")
	[ "$(readlink "/proc/$(runc_pid "$sb")/ns/pid")" = "$(readlink /proc/self/ns/pid)" ]
	[ "$(jq -r --arg id "$sb" 'select(.id == $id) | .decision' "$CRI_TMP/audit.jsonl")" = allowed-by-annotation ]
	# What may_allow does not list stays refused.
	cri_policy '{"annotation": {"may_allow": ["network"]}}'
	run -1 --separate-stderr run_pod "$(pod_config debug2 default POD NODE POD '{"io.nsguard.allow": "pid"}')"
	[[ "$stderr" == *"shares the host's pid namespace"* ]]
}
@test "cri: io.nsguard.allow reaches nsguard only through the handler's pod_annotations" {
	cri_each cri_t_pod_annotations
}

cri_t_audit() {
	cri_policy '{"annotation": {"may_allow": ["network"]}}'
	local pod sb c hpod hsb
	pod=$(pod_config audited default)
	sb=$(run_pod "$pod")
	c=$(start_app "$sb" "$pod" app sleep 300)
	hpod=$(pod_config audited-host default NODE POD POD '{"io.nsguard.allow": "network"}')
	hsb=$(run_pod "$hpod")
	run "$NSGUARD" audit --json --root "$CRI_TMP/runc/k8s.io"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$sb"* ]]
	[[ "$output" == *"$c"* ]]
	[[ "$output" == *"$hsb"* ]]
}
@test "cri: nsguard audit lists the running pods' containers under containerd's runc root" {
	cri_each cri_t_audit
}
