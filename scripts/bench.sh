#!/usr/bin/env bash
# Speed of this build against a baseline binary, in the same run:
# the two are run alternately, ROUNDS times each, on corpus/ copied x5
# (each file under 5 names, so that document ids stay unique).
#
#   cp target/release/tally /tmp/tally-base   # before a change
#   cargo build --release
#   scripts/bench.sh /tmp/tally-base [ROUNDS]
set -euo pipefail
base=${1:?usage: scripts/bench.sh BASELINE_BINARY [ROUNDS]}
rounds=${2:-3}
new=${NEW:-target/release/tally}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for f in corpus/*.txt; do
    for i in 1 2 3 4 5; do
        cp "$f" "$dir/$(basename "$f" .txt)-copy$i.txt"
    done
done
# Seconds are the first number after the stage name (older builds print
# fewer columns); words/s is recomputed from the whitespace-split words.
words=$(python3 -c 'import sys; print(sum(len(open(f, encoding="utf-8").read().split()) for f in sys.argv[1:]))' "$dir"/*.txt)
run() { "$1" bench "$dir" --repeat 1 | awk -v who="$2" '
    /^entity model alone|^whole pipeline/ {
        for (i = 1; i <= NF && $i !~ /^[0-9.]+$/; i++) ;
        pos = (NF - i == 4) ? $NF : "n/a";
        printf "%s %s %s %s\n", who, ($1 == "entity" ? "ner" : "all"), $i, pos }'; }
{
    for r in $(seq "$rounds"); do
        run "$base" base
        run "$new" new
    done
} | tee "$dir/runs"
# Best (shortest) time of each binary and stage; speed-up = base / new.
awk -v words="$words" '{ k = $1 " " $2; if (!(k in t) || $3 < t[k]) { t[k] = $3; p[k] = $4 } }
     END {
        split("ner all", st, " ");
        for (i = 1; i <= 2; i++) {
            b = "base " st[i]; n = "new " st[i];
            printf "%-4s %d words: base %8.2f s %8.0f words/s | new %8.2f s %8.0f words/s (%s positions) | speed-up x%.2f\n",
                st[i], words, t[b], words / t[b], t[n], words / t[n], p[n], t[b] / t[n]
        }
     }' "$dir/runs"
