"""Two syllables that OCR read without the space between them: `hoạchvốn`, `dựngmới`, `XuânLộc`.

Why: Tesseract `vie` drops the space between words now and then, most in the narrow cells of a
scanned table, where a glued `Kếhoạch` or `vốnnăm` hides the indicator or the year of a column.
No Vietnamese syllable is two syllables long, so a word that is no syllable but is two syllables
side by side is split between them. Only where that cannot be a foreign word or a name: the word
carries a Vietnamese mark or `đ` (an English word, `Data`, `Video`, has none), the language model
has not read it whole (`Lênin` is a name, not `Lê nin`), the second part
starts with a consonant (a vowel-initial part is a tone written on the other vowel, `khoá` as
`kho` + `á`), and each part has two letters or more. Where a word splits two ways (`thựchiện`:
`thực hiện` or `thự chiện`) the split whose syllables the language model has seen more often wins.
"""
from __future__ import annotations

import math
import unicodedata

from pipeline.vietnamese.syllables import inventory, strip_marks

VOWELS = set("aăâeêioôơuưy")


def _vietnamese(word: str) -> bool:
    """Whether the word carries a mark or a letter English has not (`đ`)."""
    return strip_marks(word.lower()) != word.lower()


def splits(word: str) -> list[tuple[str, str]]:
    """The ways `word` is two syllables (case kept), under the rules above."""
    low = unicodedata.normalize("NFC", word).lower()
    known = inventory()
    if len(low) < 4 or low in known or not low.isalpha() or not _vietnamese(low):
        return []
    out = []
    for i in range(2, len(low) - 1):
        first, second = low[:i], low[i:]
        if first in known and second in known and strip_marks(second[0]) not in VOWELS:
            out.append((word[:i], word[i:]))
    return out


def split(word: str, count=None) -> tuple[str, str] | None:
    """The two syllables `word` is, or None. `count(syllable)` (how often the language model saw
    it) chooses between two ways of splitting; without it, such a word is left alone."""
    found = splits(word)
    if found and count is not None and count(word.lower()) > 0:
        return None  # a word the model has read whole: a name written as one (`Lênin`)
    if len(found) == 1:
        return found[0]
    if len(found) > 1 and count is not None:
        def seen(pair):
            return sum(math.log1p(count(p.lower())) for p in pair)
        ranked = sorted(found, key=seen, reverse=True)
        if seen(ranked[0]) > seen(ranked[1]):
            return ranked[0]
    return None
