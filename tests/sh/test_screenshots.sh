#!/bin/sh
# test_screenshots.sh - the viewer drawn offscreen: every shipped scenario
# renders at its first, middle and last step (and on the ladder, at
# segment level, and replayed from its trace file) without error, each
# time as a BMP image of the requested 1280x800. Bad viewer options are
# refused. Skipped (exit 77) only when SDL cannot start even its
# offscreen driver.
set -u
: "${NETLAB:?set NETLAB to the netlab binary}"
tmp=${TMPDIR:-/tmp}/netlab-shots.$$
trap 'rm -f "$tmp".*' EXIT
fail=0

# bmp_size FILE: "WIDTH HEIGHT" from the BMP header, height made positive
bmp_size() {
	magic=$(od -An -c -N 2 "$1" | tr -d ' ')
	[ "$magic" = "BM" ] || { echo "not-a-bmp"; return; }
	set -- $(od -An -t d4 -j 18 -N 8 "$1")
	h=$2
	[ "$h" -lt 0 ] && h=$((0 - h))
	echo "$1 $h"
}

# shot NAME ARGS...: runs netlab ARGS writing $tmp.bmp; checks it
shot() {
	what=$1
	shift
	rm -f "$tmp.bmp"
	if ! "$NETLAB" "$@" --screenshot "$tmp.bmp" --size 1280x800 \
	    > "$tmp.out" 2> "$tmp.err"; then
		echo "FAIL $what: netlab $*: exit status $?"
		sed 's/^/    /' "$tmp.err"
		fail=1
		return
	fi
	if [ ! -s "$tmp.bmp" ]; then
		echo "FAIL $what: no image"
		fail=1
		return
	fi
	size=$(bmp_size "$tmp.bmp")
	if [ "$size" != "1280 800" ]; then
		echo "FAIL $what: image is $size, expected 1280 800"
		fail=1
	fi
	if [ -s "$tmp.out" ]; then
		echo "FAIL $what: printed on stdout"
		fail=1
	fi
}

# Can SDL draw at all here?
if ! "$NETLAB" run tcp-basics --screenshot "$tmp.probe.bmp" --size 320x200 \
    > /dev/null 2> "$tmp.err"; then
	if grep -q "SDL cannot start even offscreen" "$tmp.err"; then
		cat "$tmp.err"
		exit 77
	fi
	echo "FAIL the first screenshot:"
	sed 's/^/    /' "$tmp.err"
	exit 1
fi
[ "$(bmp_size "$tmp.probe.bmp")" = "320 200" ] ||
    { echo "FAIL --size 320x200 gave $(bmp_size "$tmp.probe.bmp")"; fail=1; }

for f in scenarios/*.json; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .json)
	if ! "$NETLAB" run --headless "$f" --trace "$tmp.trace" > /dev/null; then
		echo "FAIL $name: run failed"
		fail=1
		continue
	fi
	n=$(grep -c '"kind": "app"' "$tmp.trace")
	mid=$((n / 2))
	for step in 1 "$mid" "$n"; do
		shot "$name step $step" run "$f" --step "$step"
	done
	# the other views once, on the first scenario
	[ -n "${others_done:-}" ] && continue
	others_done=1
	shot "$name start" run "$f"
	shot "$name ladder" run "$f" --step "$mid" --ladder
	shot "$name segments" run "$f" --step 40 --segments
	shot "$name replayed" replay "$tmp.trace" --step "$mid"
	node=$(sed -n 's/.*"nodes": \[{"id": 0, "name": "\([^"]*\)".*/\1/p' \
	    "$tmp.trace" | head -n 1)
	shot "$name inspector" run "$f" --step "$mid" --inspect "$node"
	# past the last step: the last one, not an error
	shot "$name past the end" run "$f" --step $((n + 1000))
done

# --export-ladder: a PNG that reads back (signature and header here;
# with python3 also every chunk's CRC and the inflated size), from run
# and from replay, paged past 250 messages.
png_size() {
	magic=$(od -An -t x1 -N 8 "$1" | tr -d ' ')
	[ "$magic" = "89504e470d0a1a0a" ] || { echo "not-a-png"; return; }
	set -- $(od -An -t u1 -j 16 -N 8 "$1")
	echo "$(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4))" \
	    "$(($5 * 16777216 + $6 * 65536 + $7 * 256 + $8))"
}
png_check() {
	command -v python3 > /dev/null 2>&1 || return 0
	python3 - "$1" <<'PY' || { echo "FAIL $1: python3 cannot read it"; fail=1; }
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
i, idat, w, h = 8, b"", 0, 0
while i < len(d):
    n, = struct.unpack(">I", d[i:i + 4])
    t, c = d[i + 4:i + 8], d[i + 8:i + 8 + n]
    assert zlib.crc32(t + c) == struct.unpack(">I", d[i + 8 + n:i + 12 + n])[0]
    if t == b"IHDR":
        w, h = struct.unpack(">II", c[:8])
    if t == b"IDAT":
        idat += c
    i += 12 + n
assert len(zlib.decompress(idat)) == h * (1 + 3 * w)
PY
}
if ! "$NETLAB" run smtp-alice-bob --export-ladder "$tmp.lad.png" \
    > "$tmp.out" 2> "$tmp.err"; then
	echo "FAIL --export-ladder: $(cat "$tmp.err")"
	fail=1
else
	size=$(png_size "$tmp.lad.png")
	case $size in
	"960 "[1-9]*) ;;
	*) echo "FAIL --export-ladder: image is $size"; fail=1 ;;
	esac
	png_check "$tmp.lad.png"
	[ -s "$tmp.out" ] && { echo "FAIL --export-ladder printed"; fail=1; }
fi
"$NETLAB" run --headless tcp-loss --trace "$tmp.trace" > /dev/null
if ! "$NETLAB" replay "$tmp.trace" --segments --export-ladder \
    "$tmp.seg.png" 2> "$tmp.err"; then
	echo "FAIL replay --export-ladder: $(cat "$tmp.err")"
	fail=1
else
	[ -s "$tmp.seg-2.png" ] ||
	    { echo "FAIL --export-ladder: no second page"; fail=1; }
	png_check "$tmp.seg-2.png"
fi
"$NETLAB" run tcp-basics --export-ladder "$tmp.no/such/dir/x.png" \
    > /dev/null 2> "$tmp.err"
[ $? -eq 1 ] && grep -q "cannot create" "$tmp.err" ||
    { echo "FAIL unwritable ladder: $(cat "$tmp.err")"; fail=1; }

# Bad options: exit 2 and why.
"$NETLAB" run tcp-basics --step 3 > /dev/null 2> "$tmp.err"
[ $? -eq 2 ] && grep -q -- "--step needs --screenshot" "$tmp.err" ||
    { echo "FAIL --step without --screenshot: $(cat "$tmp.err")"; fail=1; }
"$NETLAB" run tcp-basics --screenshot "$tmp.x.bmp" --size 12 > /dev/null \
    2> "$tmp.err"
[ $? -eq 2 ] && grep -q -- "--size: expected WIDTHxHEIGHT" "$tmp.err" ||
    { echo "FAIL --size 12: $(cat "$tmp.err")"; fail=1; }
"$NETLAB" run tcp-basics --screenshot "$tmp.x.bmp" --font "$tmp.nofont.ttf" \
    > /dev/null 2> "$tmp.err"
[ $? -eq 2 ] && grep -q "cannot read the font file" "$tmp.err" ||
    { echo "FAIL --font missing: $(cat "$tmp.err")"; fail=1; }
[ -f "$tmp.x.bmp" ] && { echo "FAIL an image after an error"; fail=1; }
"$NETLAB" run tcp-basics --screenshot "$tmp.x.bmp" --inspect nosuchnode \
    > /dev/null 2> "$tmp.err"
[ $? -eq 2 ] && grep -q "no node called 'nosuchnode'" "$tmp.err" ||
    { echo "FAIL --inspect unknown: $(cat "$tmp.err")"; fail=1; }
"$NETLAB" run tcp-basics --screenshot "$tmp.no/such/dir/x.bmp" > /dev/null \
    2> "$tmp.err"
[ $? -eq 1 ] && grep -q "cannot write the image" "$tmp.err" ||
    { echo "FAIL unwritable image: $(cat "$tmp.err")"; fail=1; }
exit "$fail"
