#!/bin/sh
# test_scenario_errors.sh - every tests/scenarios-bad/NN-name.json makes
# `netlab validate` exit 2 with nothing on stdout and exactly the stderr
# in NN-name.expected: each error with file, JSON path (or line:column),
# what was expected and what was found. Any sanitizer report also lands
# in stderr and fails the case.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
tmp=${TMPDIR:-/tmp}/netlab-scnerr.$$
trap 'rm -f "$tmp".*' EXIT
fail=0
n=0
for f in tests/scenarios-bad/*.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	expected=${f%.json}.expected
	"$NETLAB" validate "$f" > "$tmp.out" 2> "$tmp.err"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		echo "FAIL $f: exit $rc, expected 2"
		fail=1
	fi
	if [ -s "$tmp.out" ]; then
		echo "FAIL $f: wrote to stdout: $(head -n 3 "$tmp.out")"
		fail=1
	fi
	if [ ! -f "$expected" ]; then
		echo "FAIL $f: no $expected; stderr was:"
		cat "$tmp.err"
		fail=1
	elif ! diff -u "$expected" "$tmp.err"; then
		echo "FAIL $f: stderr differs from $expected"
		fail=1
	fi
done
if [ "$n" -lt 15 ]; then
	echo "FAIL only $n cases in tests/scenarios-bad (want 15 or more)"
	fail=1
fi
[ "$fail" -eq 0 ] && echo "$n bad scenarios give their expected errors"
exit "$fail"
