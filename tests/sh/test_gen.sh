#!/bin/sh
# `netlab gen campus` writes a scenario that validates and runs: every
# lookup of its resolve-load is answered, every mail of its mail-load
# delivered, the same seed gives the same trace, and bad arguments and
# bad loads get clear errors.
set -u
netlab=${NETLAB:-build/netlab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netlab-gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
no() { echo "FAIL $*"; fail=1; }

"$netlab" gen campus --hosts 150 --domains 4 --lookups 300 --mails 12 \
    --seed 5 > "$tmp/c.json" || no "gen exit status"
"$netlab" validate "$tmp/c.json" > /dev/null || no "validate"
"$netlab" run --headless --trace "$tmp/a.trace" "$tmp/c.json" \
    > "$tmp/a.txt" || no "run"
"$netlab" run --headless --trace "$tmp/b.trace" "$tmp/c.json" \
    > /dev/null || no "second run"
cmp -s "$tmp/a.trace" "$tmp/b.trace" || no "same seed, different traces"
n=$(grep -c ' has address ' "$tmp/a.txt")
[ "$n" -eq 300 ] || no "300 lookups, $n answered"
n=$(grep -c 'delivered to mail\.' "$tmp/a.txt")
[ "$n" -eq 12 ] || no "12 mails, $n delivered"
# Two sites of hosts: h100 is behind the second site router.
grep -q '"id": "rh1"' "$tmp/c.json" || no "no second site"

"$netlab" gen campus --hosts 1 --domains 1 --lookups 1 --mails 0 \
    --seed 5 > "$tmp/d.json" && "$netlab" validate "$tmp/d.json" \
    > /dev/null || no "smallest campus"

for args in "campus --hosts 0" "campus --hosts" "campus --seed -1" \
    "campus --users 65" "campus --bogus 1" "city" ""; do
	# shellcheck disable=SC2086
	"$netlab" gen $args > /dev/null 2> "$tmp/err"
	[ $? -eq 2 ] || no "gen $args: exit status not 2"
	grep -q '^netlab gen: ' "$tmp/err" || no "gen $args: no message"
done

# A load with an unknown node and a name that is no name.
cat > "$tmp/bad.json" <<'EOF'
{"netlab_scenario": 1,
 "nodes": [{"id": "h", "kind": "host", "address": "10.0.0.1"}],
 "timeline": [{"at": "0s", "do": "resolve-load", "count": 5, "over": "1s",
   "from": ["h", "nope"], "names": ["a..b"], "zipf": 9}]}
EOF
"$netlab" validate "$tmp/bad.json" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || no "bad load: exit status not 2"
for want in 'timeline\[0\]\.zipf: expected a number from 0' \
    'timeline\[0\]\.from\[1\]: no node "nope"' \
    'timeline\[0\]\.from\[0\]: node "h" has no "dns"' \
    'timeline\[0\]\.names\[0\]: expected a domain name'; do
	grep -q "$want" "$tmp/err" || no "bad load: no error like $want"
done
[ $fail -eq 0 ] && echo "gen: ok"
exit $fail
