#!/usr/bin/env python3
"""Split ANERcorp-train for the "nearer text pays" measurement in the README (Named entities).

Writes into OUT_DIR: dev.txt (the dev split: the last 10% of the sentences, the same cut as
`marsad ner train --dev-split`), all.txt (the other 90%), far.txt (the first 8/9 of all.txt:
without the ninth next to the dev split) and near.txt (the last 8/9: without the first ninth).

  python3 bench/ner_near_far.py /tmp/lc [../shared/data/anercorp/train.txt]
  for x in far near all; do
    marsad ner train --train /tmp/lc/$x.txt --dev /tmp/lc/dev.txt \\
      --unlabeled ../shared/data/news/saudinewsnet-early.jsonl --out /tmp/lc/$x.bin  # + the README's --dicts
    marsad ner eval --test /tmp/lc/dev.txt --model /tmp/lc/$x.bin | tail -1
  done
"""
import argparse
import os
import sys

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("out_dir", help="where to write dev.txt, all.txt, far.txt, near.txt")
ap.add_argument("train", nargs="?", default="../shared/data/anercorp/train.txt")
a = ap.parse_args()
out, src = a.out_dir, a.train
if not os.path.exists(src):
    sys.exit(f"{src} is missing: run from the repository root with ../shared beside it")
sents = open(src, encoding="utf-8").read().strip("\n").split("\n\n")
cut = len(sents) * 9 // 10  # as marsad_ner::conll::dev_split
train, dev = sents[:cut], sents[cut:]
k = len(train) * 8 // 9
os.makedirs(out, exist_ok=True)
for name, part in [("dev", dev), ("all", train), ("far", train[:k]), ("near", train[len(train) - k:])]:
    with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
        f.write("\n\n".join(part) + "\n\n")
    print(f"{out}/{name}.txt: {len(part)} sentences")
