#!/bin/sh
# install-hardmode.sh [SBINDIR] - hard mode (SPEC.md section 1): make nsguard the
# `runc` that comes first on the engines' PATH, wrapping the real runc by
# absolute path. Every runtime that calls `runc` then goes through nsguard,
# including `docker run --runtime=runc`.
#
#   SBINDIR   where nsguard is installed and the runc link goes (default
#             /usr/local/sbin, which precedes /usr/sbin on systemd's PATH)
#
# The real runc is the first `runc` on PATH that is not nsguard; the policy's
# "runtime" is set to it when the policy does not name one yet. Run as root.
set -eu

sbindir=${1:-/usr/local/sbin}
nsguard="$sbindir/nsguard"
link="$sbindir/runc"
policy=${NSGUARD_POLICY:-/etc/nsguard/policy.json}

die() {
	echo "install-hardmode: $*" >&2
	exit 1
}

[ -x "$nsguard" ] || die "$nsguard is not installed (make install first)"
self=$(stat -L -c %d:%i "$nsguard")

real=""
IFS=:
for dir in $PATH; do
	case "$dir" in /*) ;; *) continue ;; esac
	if [ -x "$dir/runc" ] && [ "$(stat -L -c %d:%i "$dir/runc")" != "$self" ]; then
		real="$dir/runc"
		break
	fi
done
unset IFS
[ -n "$real" ] || die "no runc on PATH other than nsguard: install runc first"
[ "$real" != "$link" ] || die "$link is the real runc; choose another SBINDIR that comes before it on PATH"
if [ -e "$link" ] && [ "$(stat -L -c %d:%i "$link")" != "$self" ]; then
	die "$link exists and is not nsguard; refusing to replace it"
fi

if [ ! -e "$policy" ]; then
	mkdir -p "$(dirname "$policy")"
	printf '{"runtime": "%s"}\n' "$real" >"$policy"
	chmod 0644 "$policy"
elif ! grep -q '"runtime"' "$policy"; then
	echo "install-hardmode: note: $policy names no runtime; nsguard will use the first runc on PATH" \
		"that is not itself ($real). Add \"runtime\": \"$real\" to pin it." >&2
fi

ln -sf nsguard "$link"
NSGUARD_POLICY="$policy" "$link" version >/dev/null || die "nsguard cannot find the real runc; see: $link version"
echo "hard mode: $link -> nsguard, which executes $(NSGUARD_POLICY="$policy" "$link" version | sed -n 's/^runtime: //p')"
echo "restart the engines (systemctl restart containerd docker) so that they pick it up"
