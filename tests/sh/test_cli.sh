#!/bin/sh
# test_cli.sh - the netlab command's exit statuses and messages: --version,
# --help, bad usage (exit 2 with "try 'netlab --help'"), missing files,
# validate on good and bad files, list, the default scenario, and the
# output files of run.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
# Without a display the viewer commands print the transcript and say why.
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER
tmp=${TMPDIR:-/tmp}/netlab-cli.$$
trap 'rm -rf "$tmp" "$tmp".*' EXIT
fail=0

# expect STATUS STDOUT-FILE-OR-- STDERR-TEXT-OR-- -- ARGS...: runs netlab
# with ARGS; checks the exit status, and stdout/stderr when given.
expect() {
	want_rc=$1
	want_err=$2
	shift 2
	"$NETLAB" "$@" > "$tmp.out" 2> "$tmp.err"
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		echo "FAIL netlab $*: exit $rc, expected $want_rc"
		sed 's/^/    /' "$tmp.err"
		fail=1
		return
	fi
	if [ "$want_err" != "-" ] && [ "$(cat "$tmp.err")" != "$want_err" ]; then
		echo "FAIL netlab $*: stderr"
		echo "    got:      $(cat "$tmp.err")"
		echo "    expected: $want_err"
		fail=1
	fi
}

try="try 'netlab --help'"
nl='
'

# --version and --help
expect 0 "" --version
[ "$(cat "$tmp.out")" = "netlab 0.1.0" ] ||
    { echo "FAIL --version printed: $(cat "$tmp.out")"; fail=1; }
expect 0 "" --help
for word in run replay validate list decode --headless --trace --pcap \
    --pcap-at --seed --until --reencode --help --version; do
	grep -q -- "$word" "$tmp.out" ||
	    { echo "FAIL --help does not mention $word"; fail=1; }
done
expect 0 "" run --help

# Bad usage: exit 2, one line, then the hint.
expect 2 "netlab: unknown command 'frobnicate'$nl$try" frobnicate
expect 2 "netlab: unknown option '--frob'$nl$try" --frob
expect 2 "netlab run: unknown option '--frob'$nl$try" run tcp-basics --frob
expect 2 "netlab run: which scenario? give a file or a name from 'netlab list'$nl$try" run
expect 2 "netlab run: --trace needs a value$nl$try" run tcp-basics --trace
expect 2 "netlab run: --seed: expected a whole number, found 'x1'$nl$try" run tcp-basics --seed x1
expect 2 "netlab run: --until: expected a time like 30s or 1.5s, found '5'$nl$try" run tcp-basics --until 5
expect 2 "netlab run: --pcap-at needs --pcap OUT$nl$try" run tcp-basics --pcap-at r1
expect 2 "netlab run: one scenario at a time ('a' and 'b')$nl$try" run a b
expect 2 "netlab replay: unknown option '--fast'$nl$try" replay x --fast
expect 2 "netlab validate: which files? give one or more scenario files$nl$try" validate
expect 2 "netlab list: unexpected argument 'all'$nl$try" list all
expect 2 - decode nope

# Missing scenarios.
expect 2 "netlab run: no file or built-in scenario called 'nope' (see 'netlab list')$nl$try" run nope
expect 2 "missing.json: cannot open: No such file or directory" run missing.json
expect 2 "missing.json: cannot open: No such file or directory" validate missing.json

# validate: good files on stdout, every error on stderr.
expect 0 "" validate scenarios/tcp-basics.json scenarios/tcp-loss.json
printf 'scenarios/tcp-basics.json: OK\nscenarios/tcp-loss.json: OK\n' > "$tmp.want"
cmp -s "$tmp.want" "$tmp.out" ||
    { echo "FAIL validate good files printed:"; cat "$tmp.out"; fail=1; }
expect 2 "tests/scenarios-bad/14-self-link.json: \$.links[1]: a link cannot join node \"r1\" to itself" \
    validate scenarios/tcp-basics.json tests/scenarios-bad/14-self-link.json
[ "$(cat "$tmp.out")" = "scenarios/tcp-basics.json: OK" ] ||
    { echo "FAIL validate good+bad stdout: $(cat "$tmp.out")"; fail=1; }
for f in scenarios/*.json; do
	expect 0 "" validate "$f"
done

# A bad scenario given to run: the same errors, exit 2, no transcript.
expect 2 "tests/scenarios-bad/14-self-link.json: \$.links[1]: a link cannot join node \"r1\" to itself" \
    run --headless tests/scenarios-bad/14-self-link.json
[ -s "$tmp.out" ] && { echo "FAIL run of a bad scenario printed a transcript"; fail=1; }

# list: every scenario file, by name, titles aligned.
expect 0 "" list
for f in scenarios/*.json; do
	name=$(basename "$f" .json)
	grep -q "^$name  *[^ ]" "$tmp.out" ||
	    { echo "FAIL list lacks $name"; fail=1; }
done
[ "$(wc -l < "$tmp.out")" -eq "$(ls scenarios/*.json | wc -l)" ] ||
    { echo "FAIL list has $(wc -l < "$tmp.out") lines"; fail=1; }
cols=$(awk '{ match($0, /  +[^ ]/); print RSTART + RLENGTH }' "$tmp.out" | sort -u | wc -l)
[ "$cols" -eq 1 ] || { echo "FAIL list titles not aligned:"; cat "$tmp.out"; fail=1; }

# netlab alone and `run` without --headless: the default scenario's
# transcript, and why on stderr.
viewer="netlab: no display (DISPLAY is not set); printing the transcript instead"
expect 0 "$viewer"
cp "$tmp.out" "$tmp.default"
"$NETLAB" run --headless mail-end-to-end > "$tmp.basics" 2>/dev/null
cmp -s "$tmp.default" "$tmp.basics" ||
    { echo "FAIL netlab alone differs from run --headless mail-end-to-end"; fail=1; }
expect 0 "$viewer" run default
cmp -s "$tmp.out" "$tmp.basics" ||
    { echo "FAIL run default differs from mail-end-to-end"; fail=1; }
expect 0 "" run --headless default

# --until stops the run: nothing after the limit.
expect 0 "" run --headless tcp-basics --until=1.5s
last=$(tail -n 1 "$tmp.out" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
awk -v t="$last" 'BEGIN { exit !(t <= 1.5) }' ||
    { echo "FAIL --until 1.5s printed an event at $last"; fail=1; }

# Output files: a trace, and a pcap (nanosecond magic a1b23c4d).
mkdir -p "$tmp"
expect 0 "" run --headless tcp-basics --trace "$tmp/t.trace" --pcap "$tmp/all.pcap"
[ -s "$tmp/t.trace" ] || { echo "FAIL --trace wrote nothing"; fail=1; }
magic=$(od -An -tx1 -N4 "$tmp/all.pcap" 2>/dev/null | tr -d ' \n')
[ "$magic" = "4d3cb2a1" ] || [ "$magic" = "a1b23c4d" ] ||
    { echo "FAIL --pcap magic: $magic"; fail=1; }
expect 0 "" run --headless tcp-basics --pcap "$tmp/r1.pcap" --pcap-at r1
[ -s "$tmp/r1.pcap" ] || { echo "FAIL --pcap-at r1 wrote nothing"; fail=1; }
expect 2 "netlab run: --pcap-at: scenario 'tcp-basics' has no node 'r9'" \
    run --headless tcp-basics --pcap "$tmp/x.pcap" --pcap-at r9
expect 1 "netlab run: cannot save the trace to $tmp/no/such/dir/t.trace: input/output error" \
    run --headless tcp-basics --trace "$tmp/no/such/dir/t.trace"

exit "$fail"
