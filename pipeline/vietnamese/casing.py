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
from pipeline.vietnamese.tokens import NUM, Token

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
    return after(tokens[i - 1].lm if i else None, tokens[i].text)


def after(prev: str | None, word: str) -> str | None:
    """`observed` for a word after `prev`, the token before it as the model sees it (`<num>` for a
    number, None at a line's start): decoding, training and adaptation share it."""
    if prev is None or prev == NUM or prev in OPENERS:
        return None
    if word[:1].isupper():
        return "cap" if len(word) > 1 and word[1:].islower() else None
    return "low" if word.islower() else None


def counts(sequences) -> tuple[Counter, Counter]:
    """How often each syllable (canonical, lower case) is written with a capital and in small
    letters where that is informative (`after`), in lines tokenised as the model sees them
    (`tokens.lm_sequences`: the training segments, or an adaptation's)."""
    cap: Counter = Counter()
    low: Counter = Counter()
    for seq in sequences:
        for j, word in enumerate(seq):
            seen = after(seq[j - 1] if j else None, word) if word[:1].isalpha() else None
            if seen is not None:
                (cap if seen == "cap" else low)[canonical(word.lower())] += 1
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
