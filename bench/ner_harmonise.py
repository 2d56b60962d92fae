"""Harmonise marsad's news annotations (data/ner/news_annotations*.tsv) with ANERcorp's span
boundaries, the step of docs/ner-experiments.md "Session 24".

Every stretch of 2 to 4 tokens of an annotated sentence that touches an entity and is
self-contained (it neither starts inside a span nor is followed by one's continuation) is looked up
among the self-contained stretches of the same tokens in the first 90 % of ANERcorp-train (the part
`ner train --dev-split` trains on; the dev split is never read). When ANERcorp holds it at least
twice and one tagging has at least 60 % of its occurrences, and that tagging's span boundaries
(B/I/O, types aside) differ from the annotators', the stretch takes ANERcorp's tagging. Longer
stretches go first; a token changed or confirmed once is not looked at again. Pure type
differences and single words are left to the annotators.

    python3 bench/ner_harmonise.py data/ner/news_annotations.tsv data/ner/news_annotations_more.tsv
    python3 bench/ner_harmonise.py --write NEW.tsv      # rewrite the file's entity column in place

It prints the number of changes per file and the most frequent ones; the committed files give 0.
The tokens are those of `marsad_ner::standoff::news_tokens` (ANERcorp's way)."""
import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conll_spans  # noqa: E402

PUNCT = '،؛؟,.:;!?"«»()[]{}“”„‘’\'/\\|…–—-'
N = 4


def news_tokens(text):
    """(start, end) code-point offsets of the tokens, as marsad_ner::standoff::news_tokens"""
    out, cur = [], None

    def close(s, e):
        if e - s > 1 and text[e - 1] == ".":
            out.extend([(s, e - 1), (e - 1, e)])
        else:
            out.append((s, e))

    for i, c in enumerate(text):
        if c.isspace():
            if cur is not None:
                close(cur, i)
                cur = None
        elif c in PUNCT:
            if c == "." and cur is not None and text[i - 1] in "0123456789":
                continue
            if cur is not None:
                close(cur, i)
                cur = None
            out.append((i, i + 1))
        elif cur is None:
            cur = i
    if cur is not None:
        close(cur, len(text))
    return out


def self_contained(tags, after):
    return not tags[0].startswith("I-") and not (after is not None and after.startswith("I-"))


def shape(tags):
    return tuple(t[:1] for t in tags)


def anercorp_patterns(path):
    first90, _ = conll_spans.train_and_dev(path)
    pat = collections.defaultdict(collections.Counter)
    for s in first90:
        w = [x[0] for x in s]
        t = [x[1] for x in s]
        for n in range(1, N + 1):
            for k in range(len(s) - n + 1):
                tt = t[k:k + n]
                after = t[k + n] if k + n < len(s) else None
                if self_contained(tt, after):
                    pat[tuple(w[k:k + n])][tuple(tt)] += 1
    return pat


def harmonise(words, tags, pat, changes):
    """rewrite tags in place; returns the number of changes"""
    n_changed = 0
    fixed = [False] * len(words)
    inspan = [False] * len(words)
    for a, b, _ in conll_spans.spans(tags):
        for i in range(a, b):
            inspan[i] = True
    for n in range(N, 1, -1):
        for k in range(len(words) - n + 1):
            if any(fixed[k:k + n]) or not any(inspan[k:k + n]):
                continue
            tt = tags[k:k + n]
            after = tags[k + n] if k + n < len(words) else None
            if not self_contained(tt, after):
                continue
            c = pat.get(tuple(words[k:k + n]))
            if not c:
                continue
            best, cnt = c.most_common(1)[0]
            if cnt < 2 or cnt < 0.6 * sum(c.values()):
                continue
            if shape(best) != shape(tt):
                changes[(" ".join(words[k:k + n]), " ".join(tt), " ".join(best))] += 1
                n_changed += 1
                tags[k:k + n] = list(best)
            for i in range(k, k + n):
                fixed[i] = True
    return n_changed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="stand-off annotation files")
    ap.add_argument("--anercorp", default="../shared/data/anercorp/train.txt")
    ap.add_argument("--news", default="../shared/data/news/saudinewsnet-early.jsonl")
    ap.add_argument("--write", action="store_true", help="rewrite each file's entity column in place")
    ap.add_argument("--show", type=int, default=30, help="how many of the most frequent changes to print")
    args = ap.parse_args()
    if not os.path.exists(args.news):
        sys.exit(f"{args.news} not found: ../shared (the news) must sit beside the repository")
    contents = {}
    with open(args.news, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            contents[d["id"]] = d["content"]
    pat = anercorp_patterns(args.anercorp)
    for path in args.files:
        changes = collections.Counter()
        out, total, n_sent = [], 0, 0
        for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
            if line.startswith("#") or not line.strip():
                out.append(line)
                continue
            p = line.rstrip("\n").split("\t")
            aid, s0, e0 = p[0], int(p[1]), int(p[2])
            ents = p[3].split() if len(p) > 3 else []
            text = contents[aid][s0:e0]
            toks = [(s + s0, e + s0) for s, e in news_tokens(text)]
            start_of = {s: i for i, (s, _) in enumerate(toks)}
            end_of = {e: i for i, (_, e) in enumerate(toks)}
            tags = ["O"] * len(toks)
            for ent in ents:
                s, e, ty = ent.split(":")
                a, b = start_of.get(int(s)), end_of.get(int(e))
                if a is None or b is None:
                    sys.exit(f"{path}:{lineno}: span {ent} is not on token boundaries")
                tags[a] = "B-" + ty
                for i in range(a + 1, b + 1):
                    tags[i] = "I-" + ty
            words = [contents[aid][s:e] for s, e in toks]
            total += harmonise(words, tags, pat, changes)
            n_sent += 1
            spans = " ".join(f"{toks[a][0]}:{toks[b - 1][1]}:{ty}" for a, b, ty in conll_spans.spans(tags))
            out.append(f"{aid}\t{s0}\t{e0}\t{spans}\n")
        print(f"{path}: {n_sent} sentences, {total} changes")
        for (w, old, new), n in changes.most_common(args.show):
            print(f"  {n:3}  {w}  |  {old}  ->  {new}")
        if args.write and total:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(out)


if __name__ == "__main__":
    main()
