#!/bin/sh
# test_tutorial.sh - every JSON example of docs/writing-scenarios.md is a
# scenario that `netlab validate` accepts and that runs headless with exit
# 0 and nothing on stderr; the last one is tests/tutorial/final.json, whose
# checkpoint `--answers` grades: right answers exit 0, a wrong one 1.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
tmp=${TMPDIR:-/tmp}/netlab-tutorial.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
fail=0
awk -v dir="$tmp" '
	/^```json$/ { n++; f = sprintf("%s/example%02d.json", dir, n); on = 1; next }
	/^```$/ { if (on) close(f); on = 0; next }
	on { print > f }
' docs/writing-scenarios.md
n=0
last=
for f in "$tmp"/example*.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	last=$f
	if ! "$NETLAB" validate "$f" > "$tmp/out" 2>&1; then
		echo "FAIL example $n of docs/writing-scenarios.md:"
		cat "$tmp/out"
		fail=1
		continue
	fi
	"$NETLAB" run --headless "$f" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ] || [ -s "$tmp/err" ]; then
		echo "FAIL example $n: run exit $rc, stderr: $(cat "$tmp/err")"
		fail=1
	fi
done
[ "$n" -ge 5 ] || { echo "FAIL only $n JSON examples in the tutorial"; fail=1; }
if [ -n "$last" ] && ! cmp -s "$last" tests/tutorial/final.json; then
	echo "FAIL the tutorial's last example differs from tests/tutorial/final.json"
	diff -u tests/tutorial/final.json "$last"
	fail=1
fi
# Grading: the right answer, then a wrong one, a missing one, a bad one.
"$NETLAB" run tests/tutorial/final.json --answers tests/tutorial/final.answers \
    > "$tmp/out" 2> "$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q '^    your answer: b) 15 ms: right$' "$tmp/out" ||
    [ "$(tail -n 1 "$tmp/out")" != "score: 1 of 1 right" ]; then
	echo "FAIL --answers with the right answer: exit $rc"
	tail -n 5 "$tmp/out" "$tmp/err"
	fail=1
fi
for a in 'a' '3' '' 'z' '# only a comment'; do
	printf '%s\n' "$a" > "$tmp/answers"
	"$NETLAB" run tests/tutorial/final.json --answers "$tmp/answers" \
	    > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "$rc" -ne 1 ] || [ "$(tail -n 1 "$tmp/out")" != "score: 0 of 1 right" ] ||
	    ! grep -q '^    the answer: b) 15 ms$' "$tmp/out"; then
		echo "FAIL --answers with '$a': exit $rc, expected 1"
		tail -n 5 "$tmp/out" "$tmp/err"
		fail=1
	fi
done
"$NETLAB" run tests/tutorial/final.json --answers "$tmp/missing" \
    > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL --answers with a missing file: exit $rc"; fail=1; }
# A pattern that matches nothing is a warning on stderr, naming it.
sed 's/{"when": \({[^}]*\)}/{"when": \1, "contains": "never"}/' \
    tests/tutorial/final.json > "$tmp/nomatch.json"
"$NETLAB" run --headless "$tmp/nomatch.json" > "$tmp/out" 2> "$tmp/err"
rc=$?
want="netlab run: warning: 1 caption or checkpoint pattern never matched: \$.captions[1].when"
if [ "$rc" -ne 0 ] || [ "$(cat "$tmp/err")" != "$want" ]; then
	echo "FAIL a caption that never matches: exit $rc, stderr: $(cat "$tmp/err")"
	fail=1
fi
[ "$fail" -eq 0 ] && echo "$n tutorial examples validate and run; --answers grades"
exit "$fail"
