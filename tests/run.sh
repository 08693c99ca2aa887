#!/bin/sh
# run.sh BUILD - runs every netlab test against the binaries in BUILD:
# the unit suites (BUILD/netlab-tests), then each tests/sh/test_*.sh with
# NETLAB=BUILD/netlab in its environment (exit 0 pass, 77 skipped, else
# fail). Ends with the line "N passed, N failed[, N skipped]".
set -u
build=${1:-build/asan}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
NETLAB=$(cd "$build" && pwd)/netlab
NETLAB_BUILD=$(cd "$build" && pwd)
export NETLAB NETLAB_BUILD
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
out="$root/tests/out"
mkdir -p "$out"

passed=0 failed=0 skipped=0

# Unit suites: their own summary line gives the counts.
"$build/netlab-tests" > "$out/unit.log" 2>&1
rc=$?
grep -v '^ok ' "$out/unit.log"
line=$(tail -n 1 "$out/unit.log")
up=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
uf=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$up" ]; then
	echo "FAIL unit tests did not finish (exit $rc); see tests/out/unit.log"
	failed=$((failed + 1))
else
	passed=$((passed + up))
	failed=$((failed + uf))
	[ "$rc" -ne 0 ] && [ "$uf" -eq 0 ] && failed=$((failed + 1))
fi

# Scripted tests: one result each.
for t in "$root"/tests/sh/test_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	(cd "$root" && sh "$t") > "$out/$name.log" 2>&1
	rc=$?
	case $rc in
	0) echo "ok   $name"; passed=$((passed + 1)) ;;
	77) echo "skip $name: $(tail -n 1 "$out/$name.log")"; skipped=$((skipped + 1)) ;;
	*) echo "FAIL $name (exit $rc); last lines of tests/out/$name.log:"
	   tail -n 15 "$out/$name.log" | sed 's/^/    /'
	   failed=$((failed + 1)) ;;
	esac
done

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
