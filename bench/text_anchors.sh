#!/bin/bash
# Side-by-side text-analysis throughput: Lucene 4.10 ArabicAnalyzer (../shared/anchors) and
# marsad, on the same 27 MB of news, in one run, one thread each.
#   one-time: bash ../shared/anchors/setup.sh   (Debian's Lucene, Python baselines)
#   run:      bash bench/text_anchors.sh
set -eu
cd "$(dirname "$0")/.."
A=../shared/anchors
[ -d "$A" ] || { echo "../shared/anchors is missing: put shared/ beside the repository" >&2; exit 1; }
R=/tmp/marsad-anchors
mkdir -p "$R/classes"
python3 "$A/prep_news.py" ../shared/data/news/saudinewsnet-early.jsonl "$R/news.txt"
cargo build --release -q
CP=/usr/share/java/lucene-core-4.10.4.jar:/usr/share/java/lucene-analyzers-common-4.10.4.jar
javac -cp "$CP" -d "$R/classes" "$A/LuceneArabic.java"
for round in 1 2; do
  echo "== round $round"
  java -cp "$CP:$R/classes" LuceneArabic "$R/news.txt" 3 | grep -E "median|lucene"
  ./target/release/marsad bench-text "$R/news.txt" --passes 3 | tail -1
done
