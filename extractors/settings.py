"""Whether a document's title says it sets rates, limits, an administrative unit or an allocation of
revenues or powers, not commitments.

Why: the dataset counts targets, planned spending and support levels; a province's fee schedule, land
price table, levy rules, land-allocation limits, the resolution that establishes a town or the decision
that shares revenues between budget levels or delegates powers are full of figures (a fee per file, a
rent per km², a ward's area, `hưởng 100%`, a project `dưới 7 tỷ đồng` a board may approve) that commit
the province to nothing, and the dev set's annotation rules count them 0 (so did every archive annotator). Sentence by sentence they read like support levels (`… :
500.000 đồng/hồ sơ`); the title is what tells them apart. A title that also names support, spending or
a plan keeps its figures (a resolution on what addicts pay and what support they get).
The words live in `extractors/data/documents.yaml` (`no_commitment_titles`).
"""
from __future__ import annotations

from functools import lru_cache

import regex

from extractors.lexicon import load, phrase_pattern
from extractors.orthography import match_form


@lru_cache(maxsize=1)
def _patterns():
    d = load("documents")["no_commitment_titles"]
    return (regex.compile(phrase_pattern(d["rates"] + d["administrative_units"] + d["allocations"])),
            regex.compile(phrase_pattern(d["not_rates"])),
            regex.compile(phrase_pattern(d["commitments"])))


def sets_no_commitments(title: str) -> bool:
    """True for a title that sets fees, prices, levies or limits, establishes an administrative unit
    or allocates revenues or powers, and names no support, spending or plan."""
    if not title:
        return False
    sets, not_rates, commits = _patterns()
    t = not_rates.sub(lambda m: " " * len(m.group()), match_form(title))
    return bool(sets.search(t)) and not commits.search(t)
