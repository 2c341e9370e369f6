"""The inventory of Vietnamese syllables, built from spelling rules, and tone placement.

A syllable is onset + rhyme + tone. The rhymes below are those of standard
orthography; rhymes closed by p/t/c/ch take only the sắc and nặng tones;
`c`/`g`/`ng` become `k`/`gh`/`ngh` before front vowels. Tone marks are placed
the traditional way of state documents (`hóa`, `hòa`, `khỏe`, `thủy`), and
`canonical()` moves any syllable's mark to that place, so that `hoà` and
`hòa` are one syllable to the models.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
          "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]
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
TONE_MARKS = {"": "", "1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
MARK_TONE = {v: k for k, v in TONE_MARKS.items() if v}
CLOSED = ("p", "t", "c", "ch")
FRONT = ("i", "e", "ê", "y")
VOWELS = set("aăâeêioôơuưy")
MARKED = set("ăâêôơư")


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


def place_tone(onset: str, rhyme: str, tone: str) -> str:
    """Onset + rhyme with the tone mark placed the traditional way."""
    if not tone:
        return onset + rhyme
    idx = [i for i, c in enumerate(rhyme) if c in VOWELS]
    marked = [i for i in idx if rhyme[i] in MARKED]
    coda = rhyme[idx[-1] + 1:] if idx else ""
    if marked:
        pos = marked[-1]
    elif len(idx) == 1:
        pos = idx[0]
    elif coda:
        pos = idx[-1]
    elif len(idx) == 3:
        pos = idx[1]
    else:
        pos = idx[0]   # ai, ao, ia, ua, oa, oe, uy: hóa, khỏe, thủy
    ch = unicodedata.normalize("NFC", rhyme[pos] + TONE_MARKS[tone])
    return onset + rhyme[:pos] + ch + rhyme[pos + 1:]


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


def split_tone(syllable: str) -> tuple[str, str]:
    """(syllable without its tone mark, tone digit)."""
    d = unicodedata.normalize("NFD", syllable)
    tone = next((MARK_TONE[c] for c in d if c in MARK_TONE), "")
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in MARK_TONE))
    return base, tone


def _split_onset(base: str) -> tuple[str, str]:
    for n in (3, 2, 1):
        head = base[:n]
        if head in ONSETS and (head != "gi" or len(base) > 2 or base == "gi") and (
                head != "qu" or len(base) > 2):
            rest = base[n:]
            if head == "gi" and rest and rest[0] not in VOWELS:
                return "g", base[1:]
            if rest and (rest[0] in VOWELS):
                return head, rest
    return "", base


@lru_cache(maxsize=200000)
def canonical(word: str) -> str:
    """The same syllable with its tone mark in the traditional place (case kept)."""
    low = word.lower()
    base, tone = split_tone(low)
    if not tone or not base.isalpha():
        return word
    onset, rhyme = _split_onset(base)
    if not rhyme or not any(c in VOWELS for c in rhyme):
        return word
    placed = place_tone(onset, rhyme, tone)
    if len(placed) != len(word):
        return word
    return "".join(p.upper() if w.isupper() else p for p, w in zip(placed, word))


@lru_cache(maxsize=1)
def skeletons() -> frozenset[str]:
    """ASCII skeletons of every syllable: what a stripped Vietnamese word can look like."""
    return frozenset(strip_marks(s) for s in inventory())


@lru_cache(maxsize=200000)
def strip_marks(word: str) -> str:
    """ASCII skeleton: what a syllable becomes when all diacritics are lost."""
    w = word.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c))
