#!/usr/bin/env bash
# Leave-one-set-out validation of the trained clustering model (docs/clustering.md): for each
# labelled set, train on the others, then cluster the left-out set with the real engine
# through the cluster CLI (batches saved and reloaded through the store) and score it with
# the set's own bcubed.py.
#   scripts/loso.sh [DATA_DIR] [SET ...]     (DATA_DIR defaults to ../shared/eval/clustering)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/eval/clustering}"
shift || true
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(allsides-neus-static uci-headlines-dev ecbplus-dev multinews-train)
work="$(mktemp -d)"
for set in "${sets[@]}"; do
  npm run --silent train -- --data "$data" --leave-out "$set" --output "$work/$set.json" > "$work/$set.train.txt" 2> "$work/$set.train.log"
  npm run --silent cluster -- --input "$data/$set.jsonl" --output "$work/$set.pred.jsonl" --model "$work/$set.json" 2> /dev/null
  echo "## $set left out (threshold $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['joiner']['threshold'])" "$work/$set.json"))"
  python3 "$data/bcubed.py" "$data/$set.jsonl" "$work/$set.pred.jsonl"
done
echo "(weights and predictions in $work)"
