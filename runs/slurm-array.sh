#!/usr/bin/env bash
# Runs a chh-psa run split across a Slurm cluster: one shard per array task,
# then a merge job that starts when every shard has succeeded.
#
#   runs/slurm-array.sh submit RUN_FILE OUT_DIR SHARDS [SAMPLES]
#
# submits both jobs and prints their ids ("shards <id>" and "merge <id>").
# Shard K writes OUT_DIR/shard-K; the merge writes OUT_DIR/merged, the same
# files a single `chh-psa run RUN_FILE` would. The binary is $CHH_PSA, else
# chh-psa on the PATH, else this repository's target/release/chh-psa.
# Extra sbatch options (partition, time, memory) go in $SBATCH_OPTIONS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
script="$here/$(basename "${BASH_SOURCE[0]}")"
chh_psa=${CHH_PSA:-$(command -v chh-psa || echo "$here/../target/release/chh-psa")}

mode=${1:?usage: slurm-array.sh submit RUN_FILE OUT_DIR SHARDS [SAMPLES]}
run_file=$(realpath "${2:?run file}")
out=${3:?output folder}
shards=${4:?number of shards}
samples=${5:-}

case "$mode" in
submit)
    mkdir -p "$out"
    out=$(realpath "$out")
    # shellcheck disable=SC2086
    array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --job-name=chh-psa-shard --array="1-${shards}" \
        --output="$out/slurm-shard-%a.log" --export=ALL,CHH_PSA="$chh_psa" \
        "$script" shard "$run_file" "$out" "$shards" "$samples")
    # shellcheck disable=SC2086
    merge=$(sbatch --parsable ${SBATCH_OPTIONS:-} --job-name=chh-psa-merge --dependency="afterok:${array}" \
        --output="$out/slurm-merge.log" --export=ALL,CHH_PSA="$chh_psa" \
        "$script" merge "$run_file" "$out" "$shards" "$samples")
    echo "shards ${array%%;*}"
    echo "merge ${merge%%;*}"
    ;;
shard)
    task=${SLURM_ARRAY_TASK_ID:?shard runs inside a Slurm array task}
    exec "$chh_psa" run "$run_file" --quiet --force --shard "${task}/${shards}" \
        --out "$out/shard-${task}" ${samples:+--samples "$samples"}
    ;;
merge)
    parts=()
    for k in $(seq 1 "$shards"); do parts+=("$out/shard-$k"); done
    exec "$chh_psa" merge --quiet --force --out "$out/merged" "${parts[@]}"
    ;;
*)
    echo "unknown mode $mode: use submit" >&2
    exit 2
    ;;
esac
