#!/bin/sh
# Includes point down only (docs/architecture.md, STYLE.md section 3):
# each folder of src/ may include only the folders listed for it; SDL
# only in src/ui/sdl_backend.c; cJSON only in src/scenario/ and
# src/trace/trace_file.c.
set -u
bad=0

# check FOLDER ALLOWED-PREFIXES...
check() {
	dir=$1
	shift
	[ -d "src/$dir" ] || return 0
	pattern=$(printf '%s/|' "$@" | sed 's/|$//')
	hits=$(grep -rn '#include "' "src/$dir" --include='*.c' --include='*.h' |
	    grep -vE "#include \"($pattern)" )
	if [ -n "$hits" ]; then
		echo "src/$dir may include only: $*"
		echo "$hits" | sed 's/^/  /'
		bad=1
	fi
}

check util util
check engine engine util
check proto/ip proto/ip util
check proto/line proto/line util
for p in dns smtp imf pop3 imap http; do
	check "proto/$p" "proto/$p" proto/line proto/ip util
done
check trace trace proto engine util
check net net engine trace proto/ip util
check nodes nodes proto net engine trace util
check scenario scenario nodes net engine trace proto util
check ui ui trace proto engine util

sdl=$(grep -rln -E '#include *[<"]SDL' src | grep -v '^src/ui/sdl_backend.c$')
[ -n "$sdl" ] && { echo "SDL included outside src/ui/sdl_backend.c: $sdl"; bad=1; }
cj=$(grep -rln 'cJSON.h' src | grep -vE '^src/scenario/|^src/trace/trace_file.c$')
[ -n "$cj" ] && { echo "cJSON included outside src/scenario and trace_file.c: $cj"; bad=1; }
[ "$bad" -eq 0 ] && echo "layers: every include points down"
exit $bad
