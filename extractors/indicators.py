"""Which canonical indicator a number measures, from `data/indicators.yaml`.

Each term of a pattern is found once per clause with a spaCy PhraseMatcher;
a pattern applies when its first term lies in the words that belong to the
number and its other terms anywhere in the clause. The most specific
pattern wins, and a unit kind that agrees with the indicator's breaks ties.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import load
from extractors.nlp import Gazetteer


@dataclass(frozen=True)
class Indicator:
    id: str
    vi: str
    en: str
    sector: str
    unit_kind: str
    patterns: tuple[tuple[tuple[str, ...], ...], ...]
    per_year: bool | None = None


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    out = {}
    for d in load("indicators"):
        pats = tuple(tuple(tuple(t.strip() for t in term.split("|")) for term in p) for p in d["patterns"])
        out[d["id"]] = Indicator(d["id"], d["vi"], d["en"], d["sector"], d["unit_kind"], pats,
                                 d.get("per_year"))
    return out


@lru_cache(maxsize=2)
def term_gazetteer(folded: bool = False) -> Gazetteer:
    terms = {}
    for ind in indicators().values():
        for p in ind.patterns:
            for term in p:
                for alt in term:
                    terms[alt] = [alt]
    return Gazetteer(terms, folded=folded)


class ClauseTerms:
    """Indicator terms found in one clause, with offsets relative to the document.
    In restored text they are matched without diacritics, as a restored mark may be wrong."""

    def __init__(self, text: str, start: int, end: int, folded: bool = False):
        self.hits = [(s + start, e + start, t) for s, e, t in term_gazetteer(folded).find_all(text[start:end])]

    def where(self, alt: str):
        return [(s, e) for s, e, t in self.hits if t == alt]


DISTANCE_WEIGHT = 0.05


def best_indicator(terms: ClauseTerms, local: list[tuple[int, int]], unit_kind: str,
                   per_year: bool, at: tuple[int, int] | None = None) -> tuple[Indicator | None, int]:
    """The indicator whose pattern fits best; local = spans that belong to the number, `at` = the
    number's own span: a term far from it counts for less than one beside it."""
    best, best_score, best_pos = None, 0.0, -1

    def in_local(s, e):
        return any(ls <= s and e <= le for ls, le in local)

    for ind in indicators().values():
        if ind.per_year is not None and ind.per_year != per_year:
            continue
        for pat in ind.patterns:
            first, rest = pat[0], pat[1:]
            heads = [(s, e, alt) for alt in first for s, e in terms.where(alt) if in_local(s, e)]
            if not heads:
                continue
            if not all(any(terms.where(alt) for alt in term) for term in rest):
                continue
            def near(h):
                if at is None:
                    return 0.0
                gap = at[0] - h[1] if h[1] <= at[0] else max(0, h[0] - at[1])
                return DISTANCE_WEIGHT * gap

            head = max(heads, key=lambda h: (h[1] - h[0]) - near(h))
            score = (head[1] - head[0]) - near(head) + 0.3 * sum(max(len(a) for a in t) for t in rest)
            if ind.unit_kind == unit_kind:
                score += 5
            if best is None or score > best_score:
                best, best_score, best_pos = ind, score, head[0]
    return best, best_pos
