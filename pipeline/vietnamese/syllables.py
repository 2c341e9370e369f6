"""The inventory of Vietnamese syllables, built from spelling rules.

A syllable is onset + rhyme + tone. The rhymes below are those of standard
orthography; rhymes closed by p/t/c/ch take only the sắc and nặng tones;
`c`/`g`/`ng` become `k`/`gh`/`ngh` before front vowels. Where the tone mark
goes, and the marks' stripping, are the orthography's (`extractors.orthography`,
the one convention of the project: `hóa`, `hòa`, `khỏe`, `thủy`); every
syllable here is in that form, the form the models are keyed by.
"""
from __future__ import annotations

from functools import lru_cache

# canonical, split_tone and strip_marks are imported from here by the restoration code and the
# model build: re-exported so that they keep working
from extractors.orthography import (MARK_TONE, MARKED, ONSETS, TONE_MARKS, VOWELS,  # noqa: F401
                                    canonical, place_tone, split_tone, strip_marks)

RHYMES = """
a ai ao au ay am an ang anh ap at ac ach
ăm ăn ăng ăp ăt ăc
âu ây âm ân âng âp ât âc
e eo em en eng ep et ec
ê êu êm ên ênh êp êt êch
i ia iu im in inh ip it ich
iêu iêm iên iêng iêp iêt iêc
o oi om on ong op ot oc oong ooc
oa oai oao oay oam oan oang oanh oap oat oac oach
oăm oăn oăng oăt oăc
oe oeo oen oet
ô ôi ôm ôn ông ôp ôt ôc
ơ ơi ơm ơn ơp ơt
u ua ui um un ung up ut uc
uân uâng uât uây
uê uêch uênh uy uya uyu uyên uyêt uynh uych uyt uơ
uôi uôm uôn uông uôt uôc
ư ưa ưi ưu ưm ưn ưng ưt ưc
ươi ươu ươm ươn ương ươp ươt ươc
y yêu yêm yên yêt
""".split()
CLOSED = ("p", "t", "c", "ch")
FRONT = ("i", "e", "ê", "y")


def _allowed(onset: str, rhyme: str) -> bool:
    front = rhyme.startswith(FRONT) or rhyme.startswith("iê")
    if onset == "g" and rhyme.startswith("i") and not rhyme.startswith("iê"):
        return True  # gì, gìn
    if onset in ("c", "g", "ng") and front:
        return False
    if onset in ("k", "gh", "ngh") and not front:
        return False
    if onset == "qu" and rhyme.startswith(("u", "o")):
        return False
    if onset == "gi" and rhyme.startswith(("i", "y")):
        return False
    if rhyme.startswith("y") and onset and not rhyme.startswith("yê") and onset not in ("k", "l", "m", "t", "h", "s", "qu"):
        return rhyme == "y" and onset in ("k", "l", "m", "t", "h", "s", "qu")
    if rhyme.startswith("yê") and onset not in ("", "ngh", "qu", "kh", "h", "ch", "nh", "t", "d", "l", "x"):
        return False
    if rhyme.startswith(("o", "u")) and rhyme[:2] in ("oa", "oe", "uy", "uê", "uâ") and onset == "qu":
        return False
    return True


@lru_cache(maxsize=1)
def inventory() -> frozenset[str]:
    """Every syllable the rules allow, lower case, traditional tone placement."""
    out = set()
    for onset in ONSETS:
        for rhyme in RHYMES:
            if not _allowed(onset, rhyme):
                continue
            tones = ("1", "5") if rhyme.endswith(CLOSED) else tuple(TONE_MARKS)
            for tone in tones:
                out.add(place_tone(onset, rhyme, tone))
    out.discard("")
    return frozenset(out)


def is_syllable(word: str) -> bool:
    """Whether a word (any case, its mark anywhere) is a syllable the spelling rules allow."""
    return canonical(word.lower()) in inventory()


@lru_cache(maxsize=1)
def skeletons() -> frozenset[str]:
    """ASCII skeletons of every syllable: what a stripped Vietnamese word can look like."""
    return frozenset(strip_marks(s) for s in inventory())
