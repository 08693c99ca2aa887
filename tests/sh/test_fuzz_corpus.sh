#!/bin/sh
# Replays every fuzz corpus (tests/fuzz/corpus/NAME/) through its target
# built with run_corpus.c, under the sanitizers of the test build.
set -u
fails=0 ran=0
for dir in tests/fuzz/corpus/*/; do
	name=$(basename "$dir")
	bin="$NETLAB_BUILD/fuzz/fuzz_$name"
	if [ ! -x "$bin" ]; then
		echo "no fuzz target for corpus $name ($bin)"
		fails=$((fails + 1))
		continue
	fi
	"$bin" "$dir" || fails=$((fails + 1))
	ran=$((ran + 1))
done
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c | sed 's/^fuzz_//')
	[ -d "tests/fuzz/corpus/$name" ] || { echo "fuzz_$name has no corpus"; fails=$((fails + 1)); }
done
echo "$ran corpora replayed, $fails problems"
[ "$fails" -eq 0 ] && [ "$ran" -gt 0 ]
