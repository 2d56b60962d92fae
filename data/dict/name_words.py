#!/usr/bin/env python3
# The words of people's names (data/dict/actors.tsv, type PER) and of club and company names
# (data/dict/organisations.tsv), one a line, for `marsad lexicon build --names`: words with
# the article (ال, لل) and the generic heads of organisation names are left out.
import sys
HEADS = {"نادي", "شركة", "فريق", "مجموعة", "بنك", "مصرف", "مؤسسة", "منتخب", "الشركة"}
words = set()
def add(field):
    for name in field.split("|"):
        for w in name.replace("!", "").replace("?", "").split():
            if not w.startswith(("ال", "لل")) and w not in HEADS:
                words.add(w)
for line in open("data/dict/actors.tsv", encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if not line.startswith("#") and len(f) > 4 and f[1] == "PER":
        add(f[2]); add(f[4])
for line in open("data/dict/organisations.tsv", encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if not line.startswith("#") and len(f) > 2 and f[0] in ("club", "company"):
        add(f[1]); add(f[2])
sys.stdout.write("".join(w + "\n" for w in sorted(words)))
