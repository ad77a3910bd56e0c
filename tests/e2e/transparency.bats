#!/usr/bin/env bats
# SPEC §2 "Transparency": an allowed or passed-through call through nsguard must
# be indistinguishable from calling the real runc directly. Every test here runs
# the same thing both ways and compares what can be observed: stdout, stderr,
# exit status, files runc writes, and (through a recording runtime) the argv,
# environment, descriptors and process state the runtime is started with.
#
# Normalisations, all of them (each is applied to both sides alike):
# - runc's logrus error lines start with time="<RFC 3339>": that timestamp, and
#   only that, is replaced (norm_time).
# - Container life cycle: the container's pid and its "created" timestamp are
#   different for every container, so those two values are replaced
#   (norm_container); the pid is first checked against --pid-file.
# Nothing else is normalised. Both sides use the same state root, bundle,
# container id and file names, one after the other.
#
# The last test guards a bug this file found: a caller that ignores SIGCHLD
# (SIG_IGN is inherited across execve) made nsguard refuse every create/run
# ("cannot wait for the config.json parser: No child processes") while runc
# itself works. The sandbox now waits with the default disposition and gives
# the caller's back before the exec.

load helpers

setup() {
	e2e_setup_runc
	RES="$TMP/res"
	mkdir -p "$RES"
}
teardown() { e2e_teardown_runc; }

# capture NAME CMD...: run CMD with stdin from /dev/null (a container must not
# hold bats' pipes), keeping its stdout, stderr and exit status.
capture() {
	local name="$1" rc=0
	shift
	"$@" </dev/null >"$RES/$name.out" 2>"$RES/$name.err" || rc=$?
	echo "$rc" >"$RES/$name.rc"
}

# same A B: A's stdout, stderr and status are byte-identical to B's (every
# difference is shown).
same() {
	local ext differ=0
	for ext in out err rc; do
		diff -u --label "$1.$ext" --label "$2.$ext" "$RES/$1.$ext" "$RES/$2.$ext" || differ=1
	done
	[ "$differ" = 0 ]
}

# norm_time NAME: replace the timestamp of runc's time="..." field, only that.
norm_time() {
	sed -E -i 's/^time="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})" /time="T" /' \
		"$RES/$1.out" "$RES/$1.err"
}

# norm_container NAME PID: norm_time, then the container's "created" timestamp
# (RFC 3339 with nanoseconds, as state and list print it), then its pid as a
# whole number. The raw stdout stays in $RES/NAME.raw.
norm_container() {
	cp "$RES/$1.out" "$RES/$1.raw"
	norm_time "$1"
	sed -E -i -e 's/"created": ?"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})"/"created":"CREATED"/g' \
		-e "s/(^|[^0-9.])$2([^0-9.]|\$)/\\1PID\\2/g" "$RES/$1.out" "$RES/$1.err"
}

@test "transparency: --help, create --help, run -h and help are runc's own, naming runc" {
	local i=0 args
	for args in "--help" "create --help" "run -h" "help"; do
		# shellcheck disable=SC2086 # word splitting intended
		capture "nsg$i" "$NSGUARD" $args
		# shellcheck disable=SC2086
		capture "runc$i" "$REAL_RUNC" $args
		same "nsg$i" "runc$i"
		[ "$(cat "$RES/runc$i.rc")" = 0 ]
		i=$((i + 1))
	done
	# runc names itself by its app name whatever its argv[0]; nsguard hands it
	# its own path as argv[0], so the help text must say runc, never nsguard.
	grep -qx '   runc - Open Container Initiative runtime' "$RES/nsg0.out"
	grep -qx '   runc create - create a container' "$RES/nsg1.out"
	grep -qx '   runc run - create and run a container' "$RES/nsg2.out"
	grep -q '^   runc \[global options\] command' "$RES/nsg3.out"
	run grep -i nsguard "$RES"/nsg*.out "$RES"/nsg*.err
	[ "$status" -eq 1 ]
}

@test "transparency: --version and -v print runc's version" {
	capture nsg-long "$NSGUARD" --version
	capture runc-long "$REAL_RUNC" --version
	same nsg-long runc-long
	capture nsg-short "$NSGUARD" -v
	capture runc-short "$REAL_RUNC" -v
	same nsg-short runc-short
	grep -q '^runc version ' "$RES/nsg-short.out"
	[ "$(cat "$RES/nsg-long.rc")" = 0 ]
}

@test "transparency: error paths are runc's own (only the time= timestamp normalised)" {
	local i=0 args
	for args in "state nonexistent" "kill nonexistent KILL" "delete nonexistent" "ps nonexistent" \
		"bogus-command" "list" "--bogus-global state x" "start"; do
		# shellcheck disable=SC2086 # word splitting intended
		capture "nsg$i" "$NSGUARD" --root "$STATE" $args
		# shellcheck disable=SC2086
		capture "runc$i" "$REAL_RUNC" --root "$STATE" $args
		norm_time "nsg$i"
		norm_time "runc$i"
		same "nsg$i" "runc$i"
		i=$((i + 1))
	done
	# The cases really are errors (and list on an empty root really is empty).
	# "start" without an id is there because runc's message for it names
	# os.Args[0]: it shows that runc got its own path as argv[0].
	grep -qx "time=\"T\" level=error msg=\"$REAL_RUNC: \\\\\"start\\\\\" requires exactly 1 argument(s)\"" "$RES/nsg7.err"
	grep -qx 'time="T" level=error msg="container does not exist"' "$RES/nsg0.err"
	[ "$(cat "$RES/nsg0.rc")" = 1 ]
	grep -q "No help topic for 'bogus-command'" "$RES/nsg4.err"
	[ "$(cat "$RES/nsg4.rc")" = 3 ]
	[ "$(cat "$RES/nsg5.out")" = "ID          PID         STATUS      BUNDLE      CREATED     OWNER" ]
	# The same on a state root that exists and is empty.
	mkdir -p "$STATE"
	capture nsg-list "$NSGUARD" --root "$STATE" list --format json
	capture runc-list "$REAL_RUNC" --root "$STATE" list --format json
	same nsg-list runc-list
	[ "$(cat "$RES/nsg-list.out")" = null ]
}

# life RUNNER CMD...: a container's whole life with CMD as the runtime; every
# step's output goes to $RES/RUNNER-STEP, normalised with the container's pid.
life() {
	local who="$1" pid step
	shift
	rm -f "$TMP/life.pid"
	capture "$who-create" "$@" create --bundle "$TMP/bundle" --pid-file "$TMP/life.pid" tr-life
	pid=$(cat "$TMP/life.pid")
	capture "$who-state1" "$@" state tr-life
	[ "$(jq .pid "$RES/$who-state1.out")" = "$pid" ]
	capture "$who-exists" "$@" create --bundle "$TMP/bundle" tr-life
	capture "$who-start" "$@" start tr-life
	capture "$who-state2" "$@" state tr-life
	capture "$who-list" "$@" list --format json
	capture "$who-ps" "$@" ps --format json tr-life
	capture "$who-kill" "$@" kill tr-life KILL
	for _ in $(seq 50); do
		[ "$("$REAL_RUNC" --root "$STATE" state tr-life | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	capture "$who-state3" "$@" state tr-life
	capture "$who-delete" "$@" delete tr-life
	capture "$who-state4" "$@" state tr-life
	for step in create state1 exists start state2 list ps kill state3 delete state4; do
		norm_container "$who-$step" "$pid"
	done
}

@test "transparency: create, start, state, list, ps, kill and delete print what runc prints" {
	life nsg "$NSGUARD" --root "$STATE"
	life runc "$REAL_RUNC" --root "$STATE"
	local step
	for step in create state1 exists start state2 list ps kill state3 delete state4; do
		same "nsg-$step" "runc-$step"
	done
	# The steps did what they say.
	[ "$(jq -r .status "$RES/nsg-state1.raw")" = created ]
	[ "$(jq -r .status "$RES/nsg-state2.raw")" = running ]
	[ "$(jq -r .status "$RES/nsg-state3.raw")" = stopped ]
	[ "$(jq -r .bundle "$RES/nsg-state1.raw")" = "$TMP/bundle" ]
	[ "$(cat "$RES/nsg-ps.out")" = '[PID]' ]
	grep -q 'container with given ID already exists' "$RES/nsg-exists.err"
	[ "$(cat "$RES/nsg-exists.rc")" = 1 ]
	grep -q 'container does not exist' "$RES/nsg-state4.err"
}

# argv_of WHO CMD...: start CMD (a foreground run of tr-argv) in the
# background and, while its container runs, keep the argv and executable of the
# very process started, then kill the container.
argv_of() {
	local who="$1" pid rc=0
	shift
	"$@" </dev/null >"$RES/$who.out" 2>"$RES/$who.err" 3>&- &
	pid=$!
	for _ in $(seq 100); do
		[ "$("$REAL_RUNC" --root "$STATE" state tr-argv 2>/dev/null | jq -r .status)" = running ] && break
		sleep 0.05
	done
	cp "/proc/$pid/cmdline" "$RES/$who.cmdline"
	readlink "/proc/$pid/exe" >"$RES/$who.exe"
	"$REAL_RUNC" --root "$STATE" kill tr-argv KILL
	wait "$pid" || rc=$?
	echo "$rc" >"$RES/$who.rc"
}

@test "transparency: runc runs as the process started, argv[0] its own path, the rest byte-identical" {
	make_bundle "$TMP/argvb" sleep 300
	cd "$TMP"
	argv_of nsg "$NSGUARD" --root "$STATE" run --bundle=argvb --pid-file "p i d" tr-argv
	argv_of runc "$REAL_RUNC" --root "$STATE" run --bundle=argvb --pid-file "p i d" tr-argv
	printf '%s\0' "$REAL_RUNC" --root "$STATE" run --bundle=argvb --pid-file "p i d" tr-argv >"$RES/expected"
	cmp "$RES/expected" "$RES/nsg.cmdline"
	cmp "$RES/runc.cmdline" "$RES/nsg.cmdline"
	[ "$(cat "$RES/nsg.exe")" = "$(readlink -f "$REAL_RUNC")" ]
	same nsg runc
	# runc run reports the container's death by SIGKILL as 128 + 9.
	[ "$(cat "$RES/nsg.rc")" = 137 ]
}

@test "transparency: --preserve-fds hands descriptors 3 and 4 to the container" {
	make_bundle "$TMP/fds" sh -c 'echo via-fd3 >&3; cat <&4 >&3'
	echo via-fd4 >"$TMP/fd4-in"
	cd "$TMP"
	nsg run --preserve-fds 2 --bundle fds tr-fds 3>"$TMP/fd3-nsg" 4<"$TMP/fd4-in" </dev/null >"$RES/nsg.out" 2>"$RES/nsg.err"
	"$REAL_RUNC" --root "$STATE" run --preserve-fds 2 --bundle fds tr-fds \
		3>"$TMP/fd3-runc" 4<"$TMP/fd4-in" </dev/null >"$RES/runc.out" 2>"$RES/runc.err"
	[ "$(cat "$TMP/fd3-nsg")" = "via-fd3
via-fd4" ]
	diff -u "$TMP/fd3-runc" "$TMP/fd3-nsg"
	diff -u "$RES/runc.out" "$RES/nsg.out"
	diff -u "$RES/runc.err" "$RES/nsg.err"
}

# under_pty NAME CMD: run the shell command CMD under script(1)'s pseudo-
# terminal. script's stdin is a FIFO opened read-write, which never reaches
# end of file: at EOF script would send the terminal an end-of-file character,
# which the container's terminal echoes at a moment that varies.
under_pty() {
	local rc=0
	[ -p "$TMP/fifo" ] || mkfifo "$TMP/fifo"
	script -qec "$2" /dev/null <>"$TMP/fifo" >"$RES/$1.out" 2>"$RES/$1.err" || rc=$?
	echo "$rc" >"$RES/$1.rc"
}

@test "transparency: a terminal container in the foreground under a pty" {
	e2e_require_cmd script util-linux
	make_bundle "$TMP/tty" sh -c 'tty; test -t 0 && echo stdin-is-a-terminal; echo out-via-tty; exit 3'
	edit_config "$TMP/tty" '.process.terminal = true'
	under_pty nsg "$NSGUARD --root $STATE run --bundle $TMP/tty tr-tty"
	under_pty runc "$REAL_RUNC --root $STATE run --bundle $TMP/tty tr-tty"
	same nsg runc
	[ "$(cat "$RES/nsg.rc")" = 3 ]
	[ "$(cat "$RES/nsg.out")" = $'/dev/pts/0\r\nstdin-is-a-terminal\r\nout-via-tty\r' ]
}

# rel DIR RUNNER CMD...: create with --log, --pid-file and --bundle all
# relative to DIR.
rel() {
	local dir="$1" who="$2"
	shift 2
	mkdir "$dir"
	cd "$dir" || return
	capture "$who-create" "$@" --log rel.log --log-format json create --bundle ../bundle --pid-file rel.pid tr-rel
	capture "$who-state" "$@" state tr-rel
	[ "$(jq .pid "$RES/$who-state.out")" = "$(cat rel.pid)" ]
	norm_container "$who-state" "$(cat rel.pid)"
	# rel.pid's size is the number of digits of a pid that differs between the
	# two containers; its content was checked against `state` just above.
	{ stat -c '%n %F %a %U %s' rel.log; stat -c '%n %F %a %U' rel.pid; } >"$RES/$who-files.out"
	"$REAL_RUNC" --root "$STATE" kill tr-rel KILL
	for _ in $(seq 50); do
		[ "$("$REAL_RUNC" --root "$STATE" state tr-rel | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	"$REAL_RUNC" --root "$STATE" delete tr-rel
	cd /
}

@test "transparency: --log, --pid-file and --bundle relative to the current directory" {
	rel "$TMP/w-nsg" nsg "$NSGUARD" --root "$STATE"
	rel "$TMP/w-runc" runc "$REAL_RUNC" --root "$STATE"
	same nsg-create runc-create
	same nsg-state runc-state
	diff -u "$RES/runc-files.out" "$RES/nsg-files.out"
	[ "$(jq -r .bundle "$RES/nsg-state.raw")" = "$TMP/bundle" ]
	# runc 1.1 logs nothing at its default level on a successful create, but
	# it opens the --log file: it exists where the caller's directory says.
	[ -f "$TMP/w-nsg/rel.log" ]
	diff -u "$TMP/w-runc/rel.log" "$TMP/w-nsg/rel.log"
}

# The recording runtime: a Perl script that writes what it was started with to
# $TMP/rec and then becomes the real runc. Perl, not sh: it changes nothing of
# its own state before reading it (dash clears the signal mask at startup, and
# blocks signals and adds descriptors around its redirections and children).
# glob's own directory descriptor is closed by the time the entries are read:
# it is the one entry without a link, and skipped.
make_recorder() {
	cat >"$TMP/runtime" <<'PERL'
#!/usr/bin/perl
use strict;
use warnings;
my ($r, $runc) = ("@REC@", "@RUNC@");
sub slurp { my ($f) = @_; open(my $h, "<", $f) or die "$f: $!"; local $/; my $s = <$h>; close $h; return $s // "" }
sub put { my ($f, $s) = @_; open(my $h, ">", "$r/$f") or die "$r/$f: $!"; print $h $s; close $h }
sub lines { my ($re, $s) = @_; return map { "$_\n" } grep { /$re/ } split(/\n/, $s) }
my @fds = sort { $a <=> $b } map { m{(\d+)$} } glob("/proc/self/fd/*");
my ($fds, $fdinfo) = ("", "");
for my $n (@fds) {
	my $t = readlink("/proc/self/fd/$n");
	next unless defined $t;
	$fds .= "$n $t\n";
	$fdinfo .= join("", map { "$n $_" } lines(qr/^(pos|flags):/, slurp("/proc/self/fdinfo/$n")));
}
my $status = join "", lines(qr/^(Sig(Blk|Ign)|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp|Umask):/, slurp("/proc/self/status"));
my @stat = split(/ /, slurp("/proc/self/stat"));
my $ns = join("", map { m{([^/]+)$}; "$1 " . readlink($_) . "\n" } glob("/proc/self/ns/*"));
mkdir($r) or die "$r: $!";
put("fds", $fds);
put("fdinfo", $fdinfo);
put("status", $status);
put("stat", join(" ", @stat[1, 3 .. 7]) . "\n");    # comm ppid pgrp session tty_nr tpgid
put("ns", $ns);
put("argv", join("", map { "$_\0" } $0, @ARGV));
put("environ", slurp("/proc/self/environ"));
put("cwd", readlink("/proc/self/cwd") . "\n");
put("pid", "$$\n");
put("limits", slurp("/proc/self/limits"));
put("children", "children: " . slurp("/proc/self/task/$$/children") . "\n");
exec { $runc } $runc, @ARGV or die "exec $runc: $!";
PERL
	sed -i -e "s|@REC@|$TMP/rec|" -e "s|@RUNC@|$REAL_RUNC|" "$TMP/runtime"
	chmod 0755 "$TMP/runtime"
	printf '{"runtime": "%s", "audit": {"syslog": true, "file": "%s"}}\n' "$TMP/runtime" "$TMP/audit.log" \
		>"$NSGUARD_POLICY"
}

# launch WHO STDIN CMD...: run CMD from $TMP/cwd the way an engine might: an
# exported variable, extra descriptors 5 and 6, stdin at an offset (or closed:
# STDIN "-"), SIGHUP and SIGPIPE ignored, SIGUSR1 blocked. The launching
# process execs CMD, so the runtime must run with the very pid launched.
launch() {
	local who="$1" stdin="$2" rc=0
	shift 2
	mkdir -p "$TMP/cwd"
	rm -rf "$TMP/rec"
	(
		cd "$TMP/cwd"
		if [ "$stdin" != - ]; then exec 0<"$stdin" && read -r _; fi
		echo "$BASHPID" >"$TMP/launched.pid"
		export TR_MARK='a value with spaces and * and é'
		# With STDIN "-", perl closes descriptor 0 just before the exec
		# (bash's "exec 0<&-" would not do: perl reopens a closed stdin
		# on /dev/null at startup).
		exec perl -e 'use POSIX; $SIG{HUP} = "IGNORE"; $SIG{PIPE} = "IGNORE";
			sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGUSR1)) or die;
			POSIX::close(0) if shift(@ARGV) eq "-";
			exec { $ARGV[0] } @ARGV or die "exec: $!"' "$stdin" "$@"
	) 5<"$TMP/five" 6>>"$TMP/six" >"$RES/launch.out" 2>"$RES/launch.err" || rc=$?
	mv "$RES/launch.out" "$RES/$who.out"
	mv "$RES/launch.err" "$RES/$who.err"
	echo "$rc" >"$RES/$who.rc"
	[ -d "$TMP/rec" ]
	[ "$(cat "$TMP/rec/pid")" = "$(cat "$TMP/launched.pid")" ]
	mv "$TMP/rec" "$TMP/rec-$who"
}

# recorded_same WHO-A WHO-B: the runtime was started identically both times.
# (The argv record starts with the recorder's path: the kernel gives a #!
# script its own path as argv[0]; argv[0] itself is checked by the test of
# /proc/PID/cmdline, "runc runs as the process started".)
recorded_same() {
	local f
	for f in argv environ cwd stat status limits ns children fds fdinfo; do
		cmp "$TMP/rec-$1/$f" "$TMP/rec-$2/$f" || {
			diff -u "$TMP/rec-$2/$f" "$TMP/rec-$1/$f" || true
			return 1
		}
	done
	same "$1" "$2"
}

@test "transparency: a passed-through command reaches the runtime with identical argv, environment and descriptors" {
	make_recorder
	printf 'line1\nline2\n' >"$TMP/stdin"
	: >"$TMP/five"
	local odd=$'an id\twith\xffbytes'
	launch nsg "$TMP/stdin" "$NSGUARD" --root "$STATE" state "$odd"
	launch runc "$TMP/stdin" "$TMP/runtime" --root "$STATE" state "$odd"
	norm_time nsg
	norm_time runc
	recorded_same nsg runc
	# The records say what the launch did (so the comparison compares something).
	[ "$(tr '\0' '\n' <"$TMP/rec-nsg/argv")" = "$TMP/runtime
--root
$STATE
state
$odd" ]
	tr '\0' '\n' <"$TMP/rec-nsg/environ" | grep -qx 'TR_MARK=a value with spaces and \* and é'
	[ "$(cat "$TMP/rec-nsg/cwd")" = "$TMP/cwd" ]
	grep -qx "5 $TMP/five" "$TMP/rec-nsg/fds"
	grep -qx "6 $TMP/six" "$TMP/rec-nsg/fds"
	grep -qx "0 pos:	6" "$TMP/rec-nsg/fdinfo"
	grep -qx 'SigBlk:	0000000000000200' "$TMP/rec-nsg/status"
	grep -qx 'children: ' "$TMP/rec-nsg/children"
}

@test "transparency: an allowed run reaches the runtime with identical argv, environment and descriptors" {
	make_recorder
	make_bundle "$TMP/envb" sh -c 'echo ran; exit 4'
	printf 'line1\nline2\n' >"$TMP/stdin"
	echo five >"$TMP/five"
	launch nsg "$TMP/stdin" "$NSGUARD" --root "$STATE" run -b ../envb --pid-file "p i d" tr-env
	launch runc "$TMP/stdin" "$TMP/runtime" --root "$STATE" run -b ../envb --pid-file "p i d" tr-env
	recorded_same nsg runc
	[ "$(cat "$RES/nsg.rc")" = 4 ]
	[ "$(cat "$RES/nsg.out")" = ran ]
	grep -q '"decision":"allowed"' "$TMP/audit.log"
	# nsguard's own files (policy, config.json, audit file) are
	# not in the runtime's descriptor table, and its parser child is gone.
	run grep -E 'policy.json|config.json|audit.log' "$TMP/rec-nsg/fds"
	[ "$status" -eq 1 ]
	grep -qx 'children: ' "$TMP/rec-nsg/children"
	grep -qx 'NoNewPrivs:	0' "$TMP/rec-nsg/status"
	grep -qx 'Seccomp:	0' "$TMP/rec-nsg/status"

	# The same with stdin closed: whatever nsguard opens must not land on fd 0.
	launch nsg-closed - "$NSGUARD" --root "$STATE" run -b ../envb tr-env
	launch runc-closed - "$TMP/runtime" --root "$STATE" run -b ../envb tr-env
	norm_time nsg-closed
	norm_time runc-closed
	recorded_same nsg-closed runc-closed
	# (perl, the recorder, opens its script on the lowest free descriptor, 0
	# here; a descriptor nsguard left open would have taken it instead.)
	grep -qx "0 $TMP/runtime" "$TMP/rec-nsg-closed/fds"
}

@test "transparency: an allowed run works when the caller ignores SIGCHLD" {
	# SIG_IGN survives execve. runc (Go) installs its own SIGCHLD handler and
	# works; nsguard must not let the inherited disposition break its own wait
	# for the config.json parser.
	make_bundle "$TMP/chld" sh -c 'echo ran'
	# shellcheck disable=SC2016 # Perl code
	local ign='$SIG{CHLD} = "IGNORE"; exec { $ARGV[0] } @ARGV or die "exec: $!"'
	capture nsg perl -e "$ign" "$NSGUARD" --root "$STATE" run --bundle "$TMP/chld" tr-chld
	capture runc perl -e "$ign" "$REAL_RUNC" --root "$STATE" run --bundle "$TMP/chld" tr-chld
	same nsg runc
	[ "$(cat "$RES/runc.out")" = ran ]
}
