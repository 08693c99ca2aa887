#!/bin/sh
# valgrind.sh BUILD - runs the unit tests and the end-to-end command runs
# of a plain build (no sanitizers: valgrind cannot run under ASan) under
# valgrind's memcheck: every scenario headless, a trace written then
# replayed, a pcap export, a bad scenario validated, DNS messages
# decoded. Any memory error or definite/indirect leak fails it. Used by
# `make valgrind`; ends with "valgrind: N runs, N failed".
set -u
build=${1:?usage: tests/valgrind.sh BUILD}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
netlab=$build/netlab
out=$build/valgrind-logs
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect"
runs=0 failed=0

# check NAME WANT CMD...: runs CMD under valgrind. WANT is "ok" (must
# exit 0 with no valgrind error: --error-exitcode=1) or "fail" (a
# command that must refuse its input: any exit but 0, and no valgrind
# error, told by its own exit code 99).
check() {
	name=$1 want=$2
	shift 2
	runs=$((runs + 1))
	if [ "$want" = ok ]; then
		$VG --error-exitcode=1 --log-file="$out/$name.log" "$@" \
		    > "$tmp/stdout" 2> "$tmp/stderr" < "${STDIN:-/dev/null}"
		rc=$?
		[ "$rc" -eq 0 ] && return 0
	else
		$VG --error-exitcode=99 --log-file="$out/$name.log" "$@" \
		    > "$tmp/stdout" 2> "$tmp/stderr" < "${STDIN:-/dev/null}"
		rc=$?
		[ "$rc" -ne 0 ] && [ "$rc" -ne 99 ] && return 0
	fi
	failed=$((failed + 1))
	echo "FAIL $name (exit $rc); $out/$name.log:"
	sed 's/^/    /' "$out/$name.log" | head -n 40
	tail -n 5 "$tmp/stderr" | sed 's/^/    stderr: /'
	return 1
}

cd "$root" || exit 1
start=$(date +%s)

# The unit tests but the allocation-failure and fault-schedule ones:
# they repeat the same code paths hundreds of times (too slow under
# valgrind) and run under ASan in `make test`.
names=$(sed -n 's/^[[:space:]]*{ *"\([a-z0-9_]*\)",.*/\1/p' tests/unit/test_*.c |
    grep -v 'allocfail_\|faults_')
# shellcheck disable=SC2086
check unit ok "$build/netlab-tests" $names

for f in scenarios/*.json; do
	name=$(basename "$f" .json)
	check "run-$name" ok "$netlab" run --headless "$f"
done
check trace-write ok "$netlab" run --headless scenarios/pop3-vs-imap.json \
    --trace "$tmp/t.jsonl" --pcap "$tmp/t.pcap"
check trace-replay ok "$netlab" replay --headless "$tmp/t.jsonl"
check list ok "$netlab" list

printf '{"netlab_scenario": 1, "nodes": [{"id": "a", "kind": "hosst"}],\n "links": [{"a": "a", "b": "zz", "delay": "-1ms"}]}\n' \
    > "$tmp/bad.json"
check validate-bad fail "$netlab" validate "$tmp/bad.json"
check validate-good ok "$netlab" validate scenarios/dns-caching.json
printf 'not json\n' > "$tmp/bad.jsonl"
check replay-bad fail "$netlab" replay --headless "$tmp/bad.jsonl"

printf '# a query and a response\n%s\n%s\n' \
    'beef01000001000000000000046761696102637305756d61737303656475000001 0001' \
    "$(od -An -tx1 -v tests/fuzz/corpus/dns_msg/response_mx_soa | tr -d ' \n')" \
    > "$tmp/dns.txt"
STDIN=$tmp/dns.txt check decode ok "$netlab" decode dns
STDIN=$tmp/dns.txt check decode-reencode ok "$netlab" decode dns --reencode
printf 'zz12\nbeef0100\n' > "$tmp/bad-dns.txt"
STDIN=$tmp/bad-dns.txt check decode-bad fail "$netlab" decode dns

echo "valgrind: $runs runs, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" -eq 0 ]
