"""conlleval spans of a tag sequence, shared by the bench scripts that read `token gold predicted`
lines (`marsad ner eval --output`, `ner train --cv-output`)."""


def spans(tags):
    """(start, end, type) of each span, in order; an I- after O or another type starts one"""
    out, cur = [], None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and (cur is None or cur[1] != t[2:])):
            if cur:
                out.append((cur[0], i, cur[1]))
                cur = None
            if t != "O":
                cur = (i, t[2:])
    return out
