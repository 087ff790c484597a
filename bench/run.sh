#!/usr/bin/env bash
# Build benchmark: kiosk against Hugo on the synthetic sites of ../shared/bench/gen_site.py.
# Prints wall time and peak memory (RSS) for each. Usage: bench/run.sh [sizes...] (default 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
gen=../shared/bench/gen_site.py
sizes=("${@:-1000}")
[ $# -eq 0 ] && sizes=(1000 10000)
work=${BENCH_DIR:-/tmp/kiosk-bench}
mkdir -p "$work"

command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
cargo build --release --quiet
kiosk=$PWD/target/release/kiosk

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f '%e %M' "$@" >/dev/null 2>"$work/err" || { echo "$label failed:"; tail -5 "$work/err"; return 1; }
  read -r secs kb < <(tail -1 "$work/err")
  printf '%-34s %8.2f s %8d MB\n' "$label" "$secs" $((kb / 1024))
}

printf '%-34s %10s %11s\n' "build" "wall" "peak RSS"
for n in "${sizes[@]}"; do
  python3 $gen --posts "$n" --flavor kiosk --out "$work/kiosk-$n" --force >/dev/null
  python3 $gen --posts "$n" --flavor hugo --out "$work/hugo-$n" --force >/dev/null
  rm -rf "$work/kiosk-$n/.kiosk-cache" "$work/kiosk-$n/public" "$work/kiosk-$n/.public.kiosk-work"
  measure "kiosk $n posts, first build" "$kiosk" -q build --root "$work/kiosk-$n"
  measure "kiosk $n posts, cached rebuild" "$kiosk" -q build --root "$work/kiosk-$n"
  measure "kiosk $n posts, cached, 3rd" "$kiosk" -q build --root "$work/kiosk-$n"
  rm -rf "$work/hugo-$n/public"
  measure "hugo $n posts, first build" hugo --quiet -s "$work/hugo-$n"
  measure "hugo $n posts, rebuild" hugo --quiet -s "$work/hugo-$n"
done
