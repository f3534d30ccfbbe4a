#!/usr/bin/env bash
# Runs a batch of run files on a Slurm cluster: one run per array task,
# then a job that compares them side by side once every task has ended,
# whether it succeeded or not.
#
#   runs/slurm-batch.sh submit OUT_DIR RUN_FILE...
#
# submits both jobs and prints their ids ("runs <id>" and "compare <id>").
# Run K (the K-th file, NAME.toml) writes OUT_DIR/run-K-NAME; the comparison writes
# OUT_DIR/batch (batch.parquet and batch.html, as `chh-psa run A.toml
# B.toml ...` would) and fails, naming the folder, if any run failed; the
# other runs keep their results. Flags for every run (say "--samples
# 100000") go in $CHH_PSA_FLAGS, extra sbatch options in $SBATCH_OPTIONS.
# The binary is $CHH_PSA, else chh-psa on the PATH, else this
# repository's target/release/chh-psa.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
script="$here/$(basename "${BASH_SOURCE[0]}")"
chh_psa=${CHH_PSA:-$(command -v chh-psa || echo "$here/../target/release/chh-psa")}

usage="usage: slurm-batch.sh submit OUT_DIR RUN_FILE..."
mode=${1:?$usage}
out=${2:?$usage}
shift 2
[ "$#" -ge 1 ] || { echo "$usage" >&2; exit 2; }
files=()
for f in "$@"; do files+=("$(realpath "$f")"); done
# The folder of the K-th run: its number, then its file's name.
folder() { echo "$out/run-$1-$(basename "${files[$(($1 - 1))]}" .toml)"; }

case "$mode" in
submit)
    mkdir -p "$out"
    out=$(realpath "$out")
    # shellcheck disable=SC2086
    runs=$(sbatch --parsable ${SBATCH_OPTIONS:-} --job-name=chh-psa-run --array="1-${#files[@]}" \
        --output="$out/slurm-run-%a.log" --export=ALL,CHH_PSA="$chh_psa" \
        "$script" run "$out" "${files[@]}")
    # shellcheck disable=SC2086
    compare=$(sbatch --parsable ${SBATCH_OPTIONS:-} --job-name=chh-psa-compare \
        --dependency="afterany:${runs}" \
        --output="$out/slurm-compare.log" --export=ALL,CHH_PSA="$chh_psa" \
        "$script" compare "$out" "${files[@]}")
    echo "runs ${runs%%;*}"
    echo "compare ${compare%%;*}"
    ;;
run)
    task=${SLURM_ARRAY_TASK_ID:?a run of the batch runs inside a Slurm array task}
    # shellcheck disable=SC2086
    exec "$chh_psa" run "${files[$((task - 1))]}" --quiet --force --out "$(folder "$task")" \
        ${CHH_PSA_FLAGS:-}
    ;;
compare)
    folders=()
    for k in $(seq 1 "${#files[@]}"); do folders+=("$(folder "$k")"); done
    exec "$chh_psa" compare --quiet --out "$out/batch" "${folders[@]}"
    ;;
*)
    echo "unknown mode $mode: use submit" >&2
    exit 2
    ;;
esac
