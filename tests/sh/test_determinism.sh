#!/bin/sh
# test_determinism.sh - the same scenario and seed give the same trace,
# byte for byte: each shipped scenario runs twice with --trace and the
# files must be identical. A different --seed on the lossy scenario must
# change the trace (the seed really drives the losses).
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
tmp=${TMPDIR:-/tmp}/netlab-determinism.$$
trap 'rm -f "$tmp".*' EXIT
fail=0
for f in scenarios/*.json; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .json)
	if ! "$NETLAB" run --headless "$f" --trace "$tmp.1" > /dev/null ||
	    ! "$NETLAB" run --headless "$f" --trace "$tmp.2" > /dev/null; then
		echo "FAIL $name: run failed"
		fail=1
		continue
	fi
	if ! cmp "$tmp.1" "$tmp.2"; then
		echo "FAIL $name: two runs with the same seed differ"
		fail=1
	fi
done

# The lossy scenario: another seed, other losses, another trace.
lossy=scenarios/tcp-loss.json
if [ -f "$lossy" ]; then
	"$NETLAB" run --headless "$lossy" --trace "$tmp.a" > /dev/null &&
	"$NETLAB" run --headless "$lossy" --seed 12345 --trace "$tmp.b" \
	    > /dev/null || { echo "FAIL tcp-loss: run failed"; fail=1; }
	if cmp -s "$tmp.a" "$tmp.b"; then
		echo "FAIL tcp-loss: --seed 12345 gave the same trace"
		fail=1
	fi
	# And that seed is reproducible too.
	"$NETLAB" run --headless "$lossy" --seed 12345 --trace "$tmp.c" \
	    > /dev/null
	if ! cmp "$tmp.b" "$tmp.c"; then
		echo "FAIL tcp-loss: --seed 12345 twice differs"
		fail=1
	fi
else
	echo "FAIL no $lossy"
	fail=1
fi
exit "$fail"
