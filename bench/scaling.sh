#!/usr/bin/env bash
# Scaling benchmark for inputs that once took quadratic time: many equal headings in one page
# (heading ids), and many tags on one post (one term page each, every one listing the post).
# Doubling the input should roughly double the time; the last column says by how much it grew.
# Usage: bench/scaling.sh (output on tmpfs when /dev/shm exists, to measure CPU, not the disk)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
kiosk=$PWD/target/release/kiosk
work=$(mktemp -d)
out=/dev/shm; [ -d "$out" ] || out=$work
trap 'rm -rf "$work" "$out"/kiosk-scaling-*' EXIT

site() { # kind n
  local d="$work/$1-$2"
  mkdir -p "$d/content"
  printf 'title: T\nbase_url: https://example.org/\n' > "$d/kiosk.yaml"
  python3 - "$1" "$2" "$d/content/a.md" <<'PY'
import sys
kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    if kind == "headings":
        f.write("---\ntitle: A\n---\n" + "## Gleich\n\nText.\n\n" * n)
    else:
        f.write("---\ntitle: A\ndate: 2026-01-01\ntags: [" + ", ".join(f"t{i}" for i in range(n)) + "]\n---\nText\n")
PY
  echo "$d"
}

printf '%-10s %8s %9s %7s\n' input n seconds growth
for kind in headings tags; do
  case $kind in headings) sizes=(12500 25000 50000);; tags) sizes=(2500 5000 10000);; esac
  prev=
  for n in "${sizes[@]}"; do
    d=$(site "$kind" "$n")
    start=$(date +%s.%N)
    "$kiosk" -q build --no-cache --root "$d" --output "$out/kiosk-scaling-$kind-$n"
    t=$(echo "$(date +%s.%N) - $start" | bc)
    growth=$([ -n "$prev" ] && echo "x$(echo "scale=1; $t / $prev" | bc)" || echo "-")
    printf '%-10s %8d %9.2f %7s\n' "$kind" "$n" "$t" "$growth"
    prev=$t
  done
done
