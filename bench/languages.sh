#!/usr/bin/env bash
# Languages benchmark: the synthetic site of ../shared/bench/gen_site.py in one language, and
# the same site with `languages: en` where every post also has an English translation
# (`post.en.md`, same text, English title). Output on tmpfs (/dev/shm) to leave the slow disk
# out. Prints wall time and peak memory of a first and a cached build of each.
# Usage: bench/languages.sh [posts] (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=${BENCH_DIR:-/tmp/kiosk-bench-lang}
out=/dev/shm/kiosk-bench-lang-out
mkdir -p "$work"
cargo build --release --quiet
kiosk=$PWD/target/release/kiosk

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f '%e %M' "$@" >/dev/null 2>"$work/err" || { echo "$label failed:"; tail -5 "$work/err"; return 1; }
  read -r secs kb < <(tail -1 "$work/err")
  printf '%-40s %8.2f s %8d MB\n' "$label" "$secs" $((kb / 1024))
}

one=$work/one-$n
two=$work/two-$n
python3 ../shared/bench/gen_site.py --posts "$n" --flavor kiosk --out "$one" --force >/dev/null
rm -rf "$two" && cp -r "$one" "$two"
printf 'languages:\n  en:\n    title: "Bench (English)"\n' >>"$two/kiosk.yaml"
python3 - "$two/content" <<'PY'
import pathlib, sys
for p in pathlib.Path(sys.argv[1]).rglob("*.md"):
    if p.name.startswith("_index") or ".en." in p.name:
        continue
    text = p.read_text()
    p.with_name(p.stem + ".en.md").write_text(text.replace("title: ", "title: EN ", 1))
PY

printf '%-40s %10s %11s\n' "build ($n posts)" "wall" "peak RSS"
for site in "$one" "$two"; do
  label=$([ "$site" = "$one" ] && echo "1 language" || echo "2 languages (every page translated)")
  rm -rf "$site/.kiosk-cache" "$out"
  measure "$label, first build" "$kiosk" -q build --root "$site" -o "$out"
  measure "$label, cached rebuild" "$kiosk" -q build --root "$site" -o "$out"
  measure "$label, cached, 3rd" "$kiosk" -q build --root "$site" -o "$out"
done
rm -rf "$out"
