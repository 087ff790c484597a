#!/usr/bin/env bash
# Import benchmark: a WordPress export of N posts (bench/wxr.py, default 1000) imported with
# `kiosk import wordpress`, output on tmpfs and on disk. The import includes writing the site,
# keeping every address (loading it with kiosk's pipeline) and the in-memory check.
# Usage: bench/import.sh [posts...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000}")
cargo build --release --quiet
kiosk=$PWD/target/release/kiosk
tmpfs=${TMPFS_DIR:-/dev/shm/kiosk-import-bench}
disk=${BENCH_DIR:-/tmp/kiosk-import-bench}
mkdir -p "$tmpfs" "$disk"
printf '%-40s %10s %11s\n' "import" "wall" "peak RSS"
for n in "${sizes[@]}"; do
  python3 bench/wxr.py "$n" "$disk/export-$n.xml"
  for where in "$tmpfs" "$disk"; do
    for run in 1 2 3; do
      rm -rf "$where/site-$n"
      /usr/bin/time -f '%e %M' "$kiosk" -q import wordpress "$disk/export-$n.xml" --into "$where/site-$n" >/dev/null 2>"$disk/err" || { tail -5 "$disk/err"; exit 1; }
      read -r secs kb < <(tail -1 "$disk/err")
      printf '%-40s %8.2f s %8d MB\n' "$n posts into $where, run $run" "$secs" $((kb / 1024))
    done
  done
done
