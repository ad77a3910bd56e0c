#!/usr/bin/env bats
# make install, the policy it installs (never overwriting one), hard mode, man pages.

load helpers

setup() {
	: "${NSGUARD_BUILDDIR:?set by make check}"
	: "${NSGUARD_POLICY_PATH:?set by make check}"
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/nsguard-install.XXXXXX")
}

teardown() {
	rm -rf "$T"
}

@test "make install: binary, man pages, examples, and the policy at its fixed path" {
	make -s -C "$NSGUARD_BUILDDIR" install DESTDIR="$T/root" >/dev/null
	local sbindir
	sbindir=$(sed -n 's/^sbindir = //p' "$NSGUARD_BUILDDIR/Makefile")
	sbindir=${sbindir/\$\{exec_prefix\}/$(sed -n 's/^exec_prefix = //p' "$NSGUARD_BUILDDIR/Makefile")}
	sbindir=${sbindir/\$\{prefix\}/$(sed -n 's/^prefix = //p' "$NSGUARD_BUILDDIR/Makefile")}
	[ -x "$T/root$sbindir/nsguard" ]
	[ -n "$(find "$T/root" -path '*/man8/nsguard.8')" ]
	[ -n "$(find "$T/root" -path '*/man5/nsguard-policy.5')" ]
	[ -n "$(find "$T/root" -name daemon.json -path '*contrib/docker/*')" ]
	[ -x "$(find "$T/root" -name install-hardmode.sh)" ]
	cmp "$T/root$NSGUARD_POLICY_PATH" "$NSGUARD_SRCDIR/contrib/policy.json"
}

@test "make install never overwrites an existing policy; uninstall keeps a modified one" {
	mkdir -p "$(dirname "$T/root$NSGUARD_POLICY_PATH")"
	echo '{"mode": "warn"}' >"$T/root$NSGUARD_POLICY_PATH"
	run make -s -C "$NSGUARD_BUILDDIR" install DESTDIR="$T/root"
	[ "$status" -eq 0 ]
	[[ "$output" == *"keeping existing"* ]]
	[ "$(cat "$T/root$NSGUARD_POLICY_PATH")" = '{"mode": "warn"}' ]
	make -s -C "$NSGUARD_BUILDDIR" uninstall DESTDIR="$T/root" >/dev/null
	[ "$(cat "$T/root$NSGUARD_POLICY_PATH")" = '{"mode": "warn"}' ]
}

@test "hard mode: SBINDIR/runc becomes nsguard, which runs the real runc" {
	e2e_require_runc
	mkdir -p "$T/sbin"
	cp "$NSGUARD" "$T/sbin/nsguard"
	export NSGUARD_POLICY="$T/policy.json"
	PATH="$T/sbin:$PATH" run sh "$NSGUARD_SRCDIR/contrib/install-hardmode.sh" "$T/sbin"
	[ "$status" -eq 0 ]
	[ "$(readlink "$T/sbin/runc")" = nsguard ]
	[ "$(jq -r .runtime "$T/policy.json")" = "$REAL_RUNC" ]
	[ "$(PATH="$T/sbin:$PATH" runc --version)" = "$("$REAL_RUNC" --version)" ]
	# Installing again is fine; replacing a runc that is not nsguard is not.
	PATH="$T/sbin:$PATH" run sh "$NSGUARD_SRCDIR/contrib/install-hardmode.sh" "$T/sbin"
	[ "$status" -eq 0 ]
	rm "$T/sbin/runc"
	cp "$REAL_RUNC" "$T/sbin/runc"
	PATH="$T/sbin:/usr/sbin:/usr/bin:/sbin:/bin" run sh "$NSGUARD_SRCDIR/contrib/install-hardmode.sh" "$T/sbin"
	[ "$status" -ne 0 ]
	[[ "$output" == *"is the real runc"* || "$output" == *"is not nsguard"* ]]
}

@test "man pages render without warnings" {
	for page in nsguard.8 nsguard-policy.5; do
		run sh -c "MANWIDTH=80 man --warnings -l '$NSGUARD_SRCDIR/man/$page' 2>&1 >/dev/null"
		[ "$status" -eq 0 ]
		[ -z "$output" ] || { echo "$page: $output" >&2; return 1; }
		MANWIDTH=80 man -l "$NSGUARD_SRCDIR/man/$page" | grep -q NAME
	done
}

@test "every contrib policy is valid" {
	for f in "$NSGUARD_SRCDIR"/contrib/policy.json "$NSGUARD_SRCDIR"/contrib/policies/*.json \
		"$NSGUARD_SRCDIR"/contrib/kubernetes/policy.json; do
		run "$NSGUARD" check --policy "$f"
		[ "$status" -eq 0 ] || { echo "$f: $output" >&2; return 1; }
	done
}
