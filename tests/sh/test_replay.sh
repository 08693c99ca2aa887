#!/bin/sh
# test_replay.sh - `netlab replay --headless TRACE` prints exactly what the
# run that saved TRACE printed, from the file alone; without --headless
# the same, plus one line on stderr about the viewer. A file that is not
# a trace is refused with exit 2.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
# Without a display the viewer commands print the transcript and say why.
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER
tmp=${TMPDIR:-/tmp}/netlab-replay.$$
trap 'rm -f "$tmp".*' EXIT
fail=0
for f in scenarios/*.json; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .json)
	if ! "$NETLAB" run --headless "$f" --trace "$tmp.trace" > "$tmp.run"; then
		echo "FAIL $name: run failed"
		fail=1
		continue
	fi
	if ! "$NETLAB" replay --headless "$tmp.trace" > "$tmp.replay"; then
		echo "FAIL $name: replay failed"
		fail=1
		continue
	fi
	if ! diff -u "$tmp.run" "$tmp.replay"; then
		echo "FAIL $name: replay differs from the run"
		fail=1
	fi
	"$NETLAB" replay "$tmp.trace" > "$tmp.replay2" 2> "$tmp.err"
	if ! cmp -s "$tmp.run" "$tmp.replay2"; then
		echo "FAIL $name: replay without --headless prints otherwise"
		fail=1
	fi
	if [ "$(cat "$tmp.err")" != "netlab: no display (DISPLAY is not set); printing the transcript instead" ]; then
		echo "FAIL $name: replay stderr: $(cat "$tmp.err")"
		fail=1
	fi
done

# Not a trace: a scenario file, and a missing file.
"$NETLAB" replay --headless scenarios/tcp-basics.json > "$tmp.out" 2> "$tmp.err"
rc=$?
if [ "$rc" -ne 2 ] || [ -s "$tmp.out" ] || [ ! -s "$tmp.err" ]; then
	echo "FAIL replay of a scenario file: exit $rc, stderr: $(cat "$tmp.err")"
	fail=1
fi
"$NETLAB" replay --headless "$tmp.missing" > /dev/null 2> "$tmp.err"
rc=$?
if [ "$rc" -ne 2 ]; then
	echo "FAIL replay of a missing file: exit $rc"
	fail=1
fi
exit "$fail"
