# docker-new-fetch.bash - another Debian suite's engine packages, downloaded and
# extracted under a temporary directory for tests/e2e/docker-new.bats. The
# system's apt configuration is only read (for its mirror URI): a private
# source list, package lists and cache live under the target directory, and
# nothing is installed.

# dn_mirror: the URI of the system's Debian mirror (deb822 or one-line sources).
dn_mirror() {
	local f uri=""
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		case $f in
		*.sources) uri=$(awk 'tolower($1) == "uris:" && $2 !~ /security/ { print $2; exit }' "$f") ;;
		*) uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) { print $i; exit } else break } }' "$f") ;;
		esac
		[ -z "$uri" ] || break
	done
	echo "${uri:-http://deb.debian.org/debian}"
}

# dn_apt DIR CMD ARGS...: apt-get or apt-cache with DIR's private configuration.
dn_apt() {
	local dir="$1" cmd="$2"
	shift 2
	"$cmd" -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root "$@"
}

# dn_fetch SUITE DIR PACKAGES...: download PACKAGES from SUITE and extract them
# into DIR/root. Prints why on failure.
dn_fetch() {
	local suite="$1" dir="$2" deb
	shift 2
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/root" "$dir/debs"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(dn_mirror) $suite main" >"$dir/sources.list"
	dn_apt "$dir" apt-get update >"$dir/update.log" 2>&1 || {
		echo "apt-get update of $suite failed: $(tail -n 3 "$dir/update.log" | tr '\n' ' ')"
		return 1
	}
	grep -q '^[WE]: ' "$dir/update.log" && {
		echo "apt-get update of $suite: $(grep '^[WE]: ' "$dir/update.log" | head -n 2 | tr '\n' ' ')"
		return 1
	}
	(cd "$dir/debs" && dn_apt "$dir" apt-get download "$@") >"$dir/download.log" 2>&1 || {
		echo "apt-get download $* from $suite failed: $(tail -n 3 "$dir/download.log" | tr '\n' ' ')"
		return 1
	}
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root" || { echo "dpkg-deb -x $deb failed"; return 1; }
	done
}

# dn_version DIR PACKAGE: the version of PACKAGE that dn_fetch extracted.
dn_version() {
	local deb
	for deb in "$1"/debs/"$2"_*.deb; do dpkg-deb -f "$deb" Version; done
}
