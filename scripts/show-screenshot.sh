#!/usr/bin/env bash
# Renders `tally show` pages to PNG with headless Chromium, to look at them
# as a reader would: the seed article from its gold, and a dev article with
# the pipeline's output against its gold.
#   scripts/show-screenshot.sh [OUT_DIR]      (default: target/show)
# Needs Chromium (Debian: apt-get install chromium) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/show}
mkdir -p "$out"
tally=target/release/tally
[ -x "$tally" ] || cargo build --release
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "show-screenshot: no Chromium found (Debian: apt-get install chromium)" >&2
  exit 1
fi
shot() { # page.html shot.png height
  "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars --window-size=1100,"$3" \
    --screenshot="$2" "file://$(realpath "$1")" 2>/dev/null
  echo "$2"
}
"$tally" show eval/gold/seed.jsonl -o "$out/seed.html"
shot "$out/seed.html" "$out/seed.png" 2400
grep '"reuters21578__newid9209"' eval/gold/dev.jsonl > "$out/chad.gold.jsonl"
"$tally" show "$out/chad.gold.jsonl" --run -o "$out/chad.html"
shot "$out/chad.html" "$out/chad.png" 2000
