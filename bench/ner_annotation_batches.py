"""The sentences marsad's news annotations were drawn from, and their export to stand-off.

    python3 bench/ner_annotation_batches.py batches --count 9181 --out /tmp/ann \
        --skip data/ner/news_annotations.tsv data/ner/news_annotations_more.tsv
    # annotators write /tmp/ann/outK.tsv for each /tmp/ann/batchK.txt (docs/ner-annotation.md)
    python3 bench/ner_annotation_batches.py export --dir /tmp/ann --out NEW.tsv
    python3 bench/ner_harmonise.py --write NEW.tsv

`batches`: SaudiNewsNet's articles (../shared/data/news/saudinewsnet-early.jsonl) in the order of
Python's random.Random(24).shuffle, articles already annotated (--skip files) left out; of each,
the first six sentences (split at line breaks and after . ! ? ؟) of 6 to 60 tokens with at least
five Arabic tokens, if it has three; until --count sentences. Tokens are ANERcorp's
(`ner_harmonise.news_tokens`). Writes batchK.txt files of 180 sentences (`Sid<TAB>0:tok 1:tok ...`,
`# article ID` lines between articles) and sentences.json (article, start, end, token offsets).
Sessions 24 and 25 drew their sentences this way, in that order (session 24's first files without
--skip, session 25's with both of session 24's).

`export`: the annotators' answers (outK.tsv: `Sid<TAB>start<TAB>end<TAB>TYPE<TAB>text`, token
numbers, end exclusive, or `Sid<TAB>-`) as stand-off lines, sentences in batch order, not yet
harmonised."""
import argparse
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ner_harmonise import news_tokens  # noqa: E402

NEWS = "../shared/data/news/saudinewsnet-early.jsonl"
ARABIC = re.compile("[\u0621-\u064a]")


def split_line(line):
    """sentences of a line as session 24's script cut them: re.split after . ! ? ؟ + spaces"""
    out, cur = [], 0
    stripped = line.strip()
    base = line.find(stripped) if stripped else 0
    for s in re.split(r"(?<=[.!?؟])\s+", stripped):
        s2 = s.strip()
        if s2:
            i = stripped.find(s2, cur)
            cur = i + len(s2)
            out.append((base + i, base + i + len(s2)))
    return out


def article_sentences(content):
    pos = 0
    for line in content.split("\n"):
        for s, e in split_line(line):
            yield pos + s, pos + e
        pos += len(line) + 1


def cmd_batches(args):
    if not os.path.exists(args.news):
        sys.exit(f"{args.news} not found: ../shared (the news) must sit beside the repository")
    arts = [json.loads(line) for line in open(args.news, encoding="utf-8")]
    random.Random(24).shuffle(arts)
    skip = set()
    for f in args.skip:
        for line in open(f, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                skip.add(line.split("\t", 1)[0])
    chosen = []
    for a in arts:
        if a["id"] in skip:
            continue
        c = a["content"]
        got = []
        for s, e in article_sentences(c):
            toks = [(s + ts, s + te) for ts, te in news_tokens(c[s:e])]
            words = [c[ts:te] for ts, te in toks]
            if 6 <= len(toks) <= 60 and sum(1 for w in words if ARABIC.search(w)) >= 5:
                got.append((a["id"], toks, words))
            if len(got) >= 6:
                break
        if len(got) < 3:
            continue
        chosen.extend(got)
        if len(chosen) >= args.count:
            break
    os.makedirs(args.out, exist_ok=True)
    for b in range(0, len(chosen), args.size):
        with open(os.path.join(args.out, f"batch{b // args.size}.txt"), "w", encoding="utf-8") as f:
            prev = None
            for i in range(b, min(b + args.size, len(chosen))):
                aid, _, words = chosen[i]
                if aid != prev:
                    f.write(f"# article {aid}\n")
                    prev = aid
                f.write(f"S{i}\t" + " ".join(f"{j}:{w}" for j, w in enumerate(words)) + "\n")
    with open(os.path.join(args.out, "sentences.json"), "w", encoding="utf-8") as f:
        json.dump([(aid, toks) for aid, toks, _ in chosen], f)
    n_art = len({c[0] for c in chosen})
    print(f"{len(chosen)} sentences of {n_art} articles, {sum(len(c[1]) for c in chosen)} tokens, "
          f"{(len(chosen) + args.size - 1) // args.size} batches in {args.out}")


def cmd_export(args):
    sents = json.load(open(os.path.join(args.dir, "sentences.json"), encoding="utf-8"))
    spans = {}
    k = 0
    while os.path.exists(os.path.join(args.dir, f"batch{k}.txt")):
        path = os.path.join(args.dir, f"out{k}.tsv")
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: every batch needs its answers")
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            p = line.rstrip("\n").split("\t")
            if len(p) == 5:
                spans.setdefault(int(p[0][1:]), []).append((int(p[1]), int(p[2]), p[3]))
            elif len(p) != 2 or p[1].strip() != "-":
                sys.exit(f"{path}:{n}: expected `Sid<TAB>start<TAB>end<TAB>TYPE<TAB>text` or `Sid<TAB>-`")
        k += 1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# article\tstart\tend\tentities (start:end:TYPE, code points of the article's content)\n")
        for i, (aid, toks) in enumerate(sents):
            ents = " ".join(f"{toks[a][0]}:{toks[b - 1][1]}:{t}" for a, b, t in sorted(spans.get(i, [])))
            f.write(f"{aid}\t{toks[0][0]}\t{toks[-1][1]}\t{ents}\n")
    print(f"{len(sents)} sentences, {sum(len(v) for v in spans.values())} entities -> {args.out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("batches", help="draw sentences and write batches")
    b.add_argument("--count", type=int, required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--skip", nargs="*", default=[], help="stand-off files whose articles are left out")
    b.add_argument("--size", type=int, default=180)
    b.add_argument("--news", default=NEWS)
    e = sub.add_parser("export", help="answers to stand-off lines")
    e.add_argument("--dir", required=True)
    e.add_argument("--out", required=True)
    a = ap.parse_args()
    cmd_batches(a) if a.cmd == "batches" else cmd_export(a)


if __name__ == "__main__":
    main()
