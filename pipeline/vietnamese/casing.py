"""What a word's capital letter says about which syllable it is.

Why: text that lost its marks keeps its case, and the case is evidence the lower-case language model
cannot see. In the middle of a sentence a capital starts a name or an institution (`các Ban`, `thị
trấn Cái Lậy`), a small letter an ordinary word (`thị trấn mỗi quý`, not the place `Mỹ Quý`): `ban`
is written with a capital far more often than `bản`, `mỹ` almost never without one. So the model
file keeps, per syllable, how often the training text wrote it with a capital and how often in small
letters where a capital would have meant something (`counts`), and decoding adds the log probability
of the case it sees (`observed`) to each candidate (restore.py, CASE_WEIGHT).

Not informative, and so not counted or scored: a sentence's first word, a word after a sentence
end, a colon, a bracket, a quote, a dash or a number (headings and list items start with capitals
too), and words in capitals (headings).
"""
from __future__ import annotations

import math
from collections import Counter

from pipeline.vietnamese.syllables import canonical
from pipeline.vietnamese.tokens import Token, item_end, tokenize

# after these a word may be capitalised because a sentence, a clause or a quotation starts
OPENERS = frozenset('.:;!?()[]"“”\'-–—…+*')
# a syllable's counts are smoothed towards the text's overall rate of capitals as if this many more
# uses had been seen, and a case it is unlikely to have costs at most FLOOR (in nats, before
# CASE_WEIGHT): any syllable can start a name
PRIOR_USES = 5.0
FLOOR = -3.0


def observed(tokens: list[Token], i: int) -> str | None:
    """`cap` for a word written with a capital and small letters after it, `low` for one in small
    letters, where its place says nothing of its case; None elsewhere."""
    if i == 0:
        return None
    prev, word = tokens[i - 1], tokens[i].text
    if prev.kind == "num" or (prev.kind == "punct" and prev.text in OPENERS):
        return None
    if word[:1].isupper():
        return "cap" if len(word) > 1 and word[1:].islower() else None
    return "low" if word.islower() else None


def counts(texts) -> tuple[Counter, Counter]:
    """How often each syllable (canonical, lower case) is written with a capital and in small
    letters where that is informative (`observed`), in lines of training text."""
    cap: Counter = Counter()
    low: Counter = Counter()
    for text in texts:
        for line in text.split("\n"):
            tokens = tokenize(line, skip_before=item_end(line))
            for i, tok in enumerate(tokens):
                if tok.kind == "word":
                    seen = observed(tokens, i)
                    if seen is not None:
                        (cap if seen == "cap" else low)[canonical(tok.text.lower())] += 1
    return cap, low


def log_probs(cap: list[int], low: list[int]) -> tuple[list[float], list[float]]:
    """Per model id, log P(written with a capital) and log P(in small letters), smoothed and floored
    (PRIOR_USES, FLOOR)."""
    total = sum(cap) + sum(low)
    rate = sum(cap) / total if total else 0.5
    lp_cap, lp_low = [], []
    for a, b in zip(cap, low):
        p = (a + PRIOR_USES * rate) / (a + b + PRIOR_USES)
        lp_cap.append(max(FLOOR, math.log(p)))
        lp_low.append(max(FLOOR, math.log(1.0 - p)))
    return lp_cap, lp_low
