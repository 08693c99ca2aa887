#!/bin/sh
# test_golden.sh - every scenarios/NAME.json, run headless, prints exactly
# tests/golden/NAME.txt (curl's <verify> habit), from the file and by its
# built-in name alike, with nothing on stderr. Prints a diff on mismatch.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
tmp=${TMPDIR:-/tmp}/netlab-golden.$$
trap 'rm -f "$tmp".*' EXIT
fail=0
n=0
for f in scenarios/*.json; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .json)
	golden=tests/golden/$name.txt
	n=$((n + 1))
	if [ ! -f "$golden" ]; then
		echo "FAIL $name: no $golden"
		fail=1
		continue
	fi
	for what in "$f" "$name"; do
		"$NETLAB" run --headless "$what" > "$tmp.out" 2> "$tmp.err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "FAIL $what: exit $rc"
			cat "$tmp.err"
			fail=1
		elif [ -s "$tmp.err" ]; then
			echo "FAIL $what: wrote to stderr:"
			cat "$tmp.err"
			fail=1
		elif ! diff -u "$golden" "$tmp.out"; then
			echo "FAIL $what: transcript differs from $golden"
			fail=1
		fi
	done
done
if [ "$n" -eq 0 ]; then
	echo "FAIL no scenarios/*.json"
	exit 1
fi
[ "$fail" -eq 0 ] && echo "$n scenarios match their golden transcripts"
exit "$fail"
