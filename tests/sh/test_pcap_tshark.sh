#!/bin/sh
# Every shipped scenario's pcap export opens in tshark with checksum
# validation on: no malformed frame, no bad IPv4/TCP/UDP checksum, one
# frame per datagram sent (or per datagram seen at --pcap-at NODE), and
# on a lossless scenario no TCP analysis warning at all.
set -u
command -v tshark >/dev/null 2>&1 || { echo "tshark is not installed (make deps)"; exit 77; }
out=tests/out/pcap
mkdir -p "$out"
fail=0
TS="-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE"

for f in scenarios/*.json; do
	name=$(basename "$f" .json)
	"$NETLAB" run "$f" --headless --trace "$out/$name.trace" \
	    --pcap "$out/$name.pcap" > /dev/null || { echo "$name: run failed"; fail=1; continue; }
	# shellcheck disable=SC2086
	tshark -r "$out/$name.pcap" $TS -V > "$out/$name.txt" 2>&1 || {
		echo "$name: tshark could not read the pcap"; fail=1; continue; }
	frames=$(grep -c '^Frame [0-9]*:' "$out/$name.txt")
	sent=$(sed -n 's/.*"kind": *"pkt-send".*"flags": *\([0-9]*\).*/\1/p' \
	    "$out/$name.trace" | awk '$1 % 2 == 1' | wc -l)
	malformed=$(grep -ci 'malformed' "$out/$name.txt")
	badsum=$(grep -c 'Checksum Status: Bad\|\[Bad Checksum\]\|incorrect' "$out/$name.txt")
	echo "$name: $frames frames (trace: $sent datagrams sent), $malformed malformed, $badsum bad checksums"
	[ "$frames" -gt 0 ] || { echo "$name: empty capture"; fail=1; }
	[ "$frames" -eq "$sent" ] || { echo "$name: frame count differs from the trace"; fail=1; }
	[ "$malformed" -eq 0 ] || { grep -i -B5 malformed "$out/$name.txt" | head -40; fail=1; }
	[ "$badsum" -eq 0 ] || { grep -B5 'Bad' "$out/$name.txt" | head -40; fail=1; }
	# A scenario without loss, queue drops or outages must not make
	# tshark's TCP analysis complain about anything.
	if ! grep -q '"kind": *"pkt-drop"' "$out/$name.trace"; then
		# shellcheck disable=SC2086
		warn=$(tshark -r "$out/$name.pcap" $TS -Y "tcp.analysis.flags && !tcp.analysis.window_update" 2>/dev/null | wc -l)
		[ "$warn" -eq 0 ] || { echo "$name: TCP analysis warnings without any drop:"; \
		    tshark -r "$out/$name.pcap" -Y 'tcp.analysis.flags' | head; fail=1; }
	fi
	# The capture at one node shows what that node's interfaces see.
	node=$(sed -n '1s/.*"nodes": *\[{"id": *0, *"name": *"\([^"]*\)".*/\1/p' "$out/$name.trace")
	if [ -n "$node" ]; then
		"$NETLAB" run "$f" --headless --pcap "$out/$name-at.pcap" \
		    --pcap-at "$node" > /dev/null || { echo "$name: --pcap-at $node failed"; fail=1; continue; }
		# shellcheck disable=SC2086
		n=$(tshark -r "$out/$name-at.pcap" $TS -V 2>&1 | grep -ci 'malformed\|Checksum Status: Bad')
		[ "$n" -eq 0 ] || { echo "$name: --pcap-at $node: $n problems"; fail=1; }
	fi
done
exit $fail
