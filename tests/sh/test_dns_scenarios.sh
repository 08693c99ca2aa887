#!/bin/sh
# test_dns_scenarios.sh - the DNS scenarios against the textbook and
# against Wireshark:
#  (a) from the trace file alone, dns-iterated and dns-recursive send
#      exactly the textbook's eight messages (Kurose & Ross figures 2.19
#      and 2.20): the same node pairs in the same order, queries marked
#      "to server", RD set by the host (and by the servers in the
#      recursive chain only), AA on the authoritative server's answer;
#  (b) every scenarios/dns-*.json exports a pcap that tshark decodes
#      with no malformed frame, every response answers a query with its
#      id, and the names, types, flags, rcodes and answers tshark reads
#      are tests/dns-pcap/NAME.tsv, line for line.
# Set DNS_PCAP_UPDATE=1 to write the .tsv files instead (then read them).
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
command -v tshark >/dev/null 2>&1 || { echo "tshark is not installed (make deps)"; exit 77; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "python3 is not installed"; exit 77; }
out=tests/out/dns
mkdir -p "$out"
fail=0

# ---- (a) the message sequence, from the trace ----
# check_order NAME EXPECTED-PAIRS RD-PATTERN: EXPECTED-PAIRS is "a>b,c>d,...";
# RD-PATTERN one character per message: 1 RD set, 0 clear, - response.
check_order() {
	name=$1
	want=$2
	want_rd=$3
	"$NETLAB" run "scenarios/$name.json" --headless --trace "$out/$name.jsonl" \
	    > /dev/null || { echo "FAIL $name: run failed"; fail=1; return; }
	got=$("$PY" - "$out/$name.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    header = json.loads(f.readline())
    events = [json.loads(line) for line in f]
names = {n["id"]: n["name"] for n in header["nodes"]}
pairs, rd, bad = [], "", []
for ev in events:
    if ev["kind"] != "app" or ev["proto"] != "dns":
        continue
    msg = bytes.fromhex(ev["hex"])
    qr, aa, rdbit = msg[2] & 0x80, msg[2] & 0x04, msg[2] & 0x01
    to_server = ev["flags"] & 2
    if bool(qr) == bool(to_server):
        bad.append("message %d: QR and the to-server flag disagree" % (len(pairs) + 1))
    pairs.append("%s>%s" % (names[ev["node"]], names[ev["peer"]]))
    rd += "-" if qr else ("1" if rdbit else "0")
    if qr and aa:
        rd = rd[:-1] + "A"
print(",".join(pairs))
print(rd)
for b in bad:
    print(b)
EOF
)
	got_pairs=$(echo "$got" | sed -n 1p)
	got_rd=$(echo "$got" | sed -n 2p)
	extra=$(echo "$got" | sed -n '3,$p')
	if [ "$got_pairs" != "$want" ]; then
		echo "FAIL $name: message sequence"
		echo "    got:      $got_pairs"
		echo "    expected: $want"
		fail=1
	fi
	if [ "$got_rd" != "$want_rd" ]; then
		echo "FAIL $name: RD/AA pattern $got_rd, expected $want_rd"
		fail=1
	fi
	[ -z "$extra" ] || { echo "FAIL $name: $extra"; fail=1; }
	n=$(echo "$got_pairs" | tr ',' '\n' | grep -c .)
	[ "$got_pairs" = "$want" ] && [ "$got_rd" = "$want_rd" ] &&
	    echo "$name: $n DNS messages in the textbook order ($got_rd)"
}

H=engineering.nyu.edu L=dns.nyu.edu R=a.root-servers.net T=a.edu-servers.net
A=dns.umass.edu
# Figure 2.19: the host's query is recursive, the local server iterates.
check_order dns-iterated "$H>$L,$L>$R,$R>$L,$L>$T,$T>$L,$L>$A,$A>$L,$L>$H" "10-0-0A-"
# Figure 2.20: every query is recursive, the answer comes back the chain.
check_order dns-recursive "$H>$L,$L>$R,$R>$T,$T>$A,$A>$T,$T>$R,$R>$L,$L>$H" "1111A---"

# ---- (b) the pcaps, through tshark ----
FIELDS="-e ip.src -e ip.dst -e dns.flags.response -e dns.qry.name -e dns.qry.type \
 -e dns.flags.recdesired -e dns.flags.authoritative -e dns.flags.recavail \
 -e dns.flags.rcode -e dns.count.answers -e dns.count.auth_rr -e dns.count.add_rr \
 -e dns.a -e dns.cname -e dns.mx.mail_exchange -e dns.ns -e dns.soa.mname"
n=0
for f in scenarios/dns-*.json; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	name=$(basename "$f" .json)
	want=tests/dns-pcap/$name.tsv
	pcap=$out/$name.pcap
	"$NETLAB" run "$f" --headless --pcap "$pcap" > /dev/null ||
	    { echo "FAIL $name: run failed"; fail=1; continue; }
	malformed=$(tshark -r "$pcap" -V 2>/dev/null | grep -ci 'malformed')
	frames=$(tshark -r "$pcap" 2>/dev/null | wc -l)
	dnsframes=$(tshark -r "$pcap" -Y dns 2>/dev/null | wc -l)
	if [ "$malformed" -ne 0 ] || [ "$frames" -ne "$dnsframes" ]; then
		echo "FAIL $name: $malformed malformed, $dnsframes of $frames frames are DNS"
		fail=1
	fi
	# Each response carries the id of a query sent the other way.
	# shellcheck disable=SC2086
	ids=$(tshark -r "$pcap" -T fields -e ip.src -e ip.dst -e dns.id \
	    -e dns.flags.response 2>/dev/null | awk -F'\t' '
	    $4 == "0" || $4 == "False" { q[$1 " " $2 " " $3] = 1; next }
	    { if (!((($2 " " $1 " " $3) in q))) { print "response " $3 " from " $1 " answers no query"; bad = 1 } }')
	[ -z "$ids" ] || { echo "FAIL $name: $ids"; fail=1; }
	# shellcheck disable=SC2086
	tshark -r "$pcap" -T fields $FIELDS -E header=y -E separator=/t -E occurrence=a \
	    -E aggregator=, 2>/dev/null > "$out/$name.tsv"
	if [ "${DNS_PCAP_UPDATE:-0}" = 1 ]; then
		mkdir -p tests/dns-pcap
		cp "$out/$name.tsv" "$want"
		echo "$name: wrote $want"
		continue
	fi
	if [ ! -f "$want" ]; then
		echo "FAIL $name: no $want (DNS_PCAP_UPDATE=1 writes it)"
		fail=1
	elif ! diff -u "$want" "$out/$name.tsv"; then
		echo "FAIL $name: what tshark reads differs from $want"
		fail=1
	else
		echo "$name: $frames DNS frames, 0 malformed, fields as expected"
	fi
done
[ "$n" -ge 8 ] || { echo "FAIL only $n scenarios/dns-*.json"; fail=1; }
exit "$fail"
