#!/usr/bin/env bash
# The same collection as a SLURM job array: task i of 16 segments slice i. Submit with
#   sbatch samples/batch/slurm-array.sh /path/to/scans /path/to/labeled
#SBATCH --job-name=erlangen-segment
#SBATCH --array=0-15
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
set -euo pipefail
scans="$1"
labeled="$2"
npx erlangen segment "$scans" -o "$labeled" --shard "$SLURM_ARRAY_TASK_ID/16" --workers "$SLURM_CPUS_PER_TASK" --quiet \
  --report "$labeled/report-$SLURM_ARRAY_TASK_ID.json"
