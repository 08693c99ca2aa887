#!/bin/sh
# bench.sh BUILD - runs netlab's benchmarks from an optimised build and
# prints one `name value unit` line per figure, each beside its baseline.
set -eu
build=${1:-build/bench}
bench="$build/netlab-bench"
echo "# netlab benchmarks on $(uname -sm), $(date -u +%Y-%m-%d)"
echo "# engine hold model: events/s of the engine vs a bare binary heap"
for p in 1000 10000 100000 1000000; do
	"$bench" hold "$p" 5000000
done
