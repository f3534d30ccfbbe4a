#!/usr/bin/env bash
# The shipped run (runs/base.toml: every scenario and analysis, the report)
# against the numpy peer (benches/numpy_peer.py: draws and Parquet only),
# alternated, at 10^4, 10^5 and 10^6 draws; the median wall time of each.
#
#   cargo build --release && benches/peer.sh [rounds]
#
# Run from the repository's root; needs python3 with numpy and pyarrow.
set -eu
rounds=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A command that fails stops the script with its own error shown.
trap 'cat "$out/errors" >&2' ERR
TIMEFORMAT=%R
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
printf '%10s %12s %12s %8s\n' draws chh-psa numpy ratio
for n in 10000 100000 1000000; do
    : >"$out/ours"
    : >"$out/peer"
    for _ in $(seq "$rounds"); do
        { time target/release/chh-psa run runs/base.toml --samples "$n" \
            --out "$out/run" --force --quiet >/dev/null 2>>"$out/errors"; } 2>>"$out/ours"
        { time python3 benches/numpy_peer.py distributions "$n" \
            "$out/peer.parquet" >/dev/null 2>>"$out/errors"; } 2>>"$out/peer"
    done
    ours=$(median <"$out/ours")
    peer=$(median <"$out/peer")
    awk -v n="$n" -v a="$ours" -v b="$peer" 'BEGIN { printf "%10s %11ss %11ss %8.2f\n", n, a, b, a / b }'
done
