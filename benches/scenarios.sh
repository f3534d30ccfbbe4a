#!/usr/bin/env bash
# What each scenario of runs/base.toml costs: the shipped run without its
# scenarios, with each scenario alone, and with all of them, alternated
# round by round at a million draws; the median wall time of each and its
# excess over the run without scenarios.
#
#   cargo build --release && benches/scenarios.sh [rounds] [draws]
#
# Run from the repository's root; needs python3 (to split the run file).
set -eu
rounds=${1:-5}
draws=${2:-1000000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A command that fails stops the script with its own error shown.
trap 'cat "$out/errors" >&2' ERR
python3 - "$out" <<'PY'
import pathlib, sys
out = pathlib.Path(sys.argv[1])
text = pathlib.Path("runs/base.toml").read_text()
text = text.replace('distributions = "../distributions"',
                    f'distributions = "{pathlib.Path("distributions").resolve()}"')
head, *scenarios = text.split("[[scenario]]")
(out / "0-none.toml").write_text(head)
for i, body in enumerate(scenarios, 1):
    (out / f"{i}-alone.toml").write_text(head + "[[scenario]]" + body)
(out / "all.toml").write_text(text)
PY
TIMEFORMAT=%R
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
runs=$(cd "$out" && ls ./*.toml | sort)
for _ in $(seq "$rounds"); do
    for run in $runs; do
        { time target/release/chh-psa run "$out/$run" --samples "$draws" \
            --out "$out/result" --force --quiet >/dev/null 2>>"$out/errors"; } 2>>"$out/$run.times"
    done
done
none=$(median <"$out/./0-none.toml.times")
printf '%-40s %8s %8s\n' run seconds excess
for run in $runs; do
    name=$(grep '^name = ' "$out/$run" | tail -1 | sed 's/name = //; s/"//g')
    [ "$run" = ./0-none.toml ] && name="no scenarios"
    [ "$run" = ./all.toml ] && name="all seven scenarios"
    t=$(median <"$out/$run.times")
    awk -v n="$name" -v t="$t" -v b="$none" 'BEGIN { printf "%-40s %8.2f %+7.1f%%\n", n, t, 100 * (t - b) / b }'
done
