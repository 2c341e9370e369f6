"""Vietnamese orthography: where a tone mark goes, and the forms text is compared in.

One convention for every comparison: a syllable's tone mark stands where the
traditional orthography of state documents puts it (`hóa`, `hòa`, `khỏe`,
`thủy`). `canonical()` moves any syllable's mark there, so `hoà` and `hòa` are
one syllable to the gazetteers, the lexicon's patterns and the restoration
model alike (its vocabulary is keyed by `canonical`, so this placement cannot
change without rebuilding it).

The forms, none of which is ever written out:
- `match_form(text)`: lower case, `Ð`→`đ`, each syllable's mark in canonical
  place, and the same length as `text`, so a regex match on it is a span of
  the original text. Language data is matched on this form.
- `fold(text)` / `fold_word(word)`: lower case without any mark (`đ`→`d`),
  words joined by single spaces: for names whose marks may be lost.
- `fold_same_length(text)`: the fold that keeps every character's position,
  for text whose marks may be wrong (restored by the model).
- `strip_marks(word)`: the ASCII skeleton of a syllable, case kept: what it
  becomes when all diacritics are lost (the restoration model's key).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

# tone digit -> combining mark (sắc 1, huyền 2, hỏi 3, ngã 4, nặng 5)
TONE_MARKS = {"": "", "1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
MARK_TONE = {v: k for k, v in TONE_MARKS.items() if v}
VOWELS = set("aăâeêioôơuưy")
MARKED = set("ăâêôơư")
# Onsets as spelt: the `u` of `qu` and the `i` of `gi` belong to them, not to the rhyme, which
# decides where the mark goes (`quả`, `già`).
ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
          "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"]

# The text tokenisation of matching (gazetteers, folds): a run of letters, a run of digits, or
# one other visible character. The restoration model tokenises its own way
# (`pipeline.vietnamese.tokens`: codes and numbers are one token there).
TOKEN = regex.compile(r"\p{L}+|\d+|[^\p{L}\d\s]")
WORD = regex.compile(r"\p{L}+")


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


def split_tone(syllable: str) -> tuple[str, str]:
    """(syllable without its tone mark, tone digit)."""
    d = unicodedata.normalize("NFD", syllable)
    tone = next((MARK_TONE[c] for c in d if c in MARK_TONE), "")
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in MARK_TONE))
    return base, tone


def split_onset(base: str) -> tuple[str, str]:
    """(onset, rhyme) of a lower-case syllable without its tone mark."""
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
    """The same syllable with its tone mark in the traditional place (case kept, same length)."""
    low = word.lower()
    base, tone = split_tone(low)
    if not tone or not base.isalpha():
        return word
    onset, rhyme = split_onset(base)
    if not rhyme or not any(c in VOWELS for c in rhyme):
        return word
    placed = place_tone(onset, rhyme, tone)
    if len(placed) != len(word):
        return word
    return "".join(p.upper() if w.isupper() else p for p, w in zip(placed, word))


@lru_cache(maxsize=200000)
def strip_marks(word: str) -> str:
    """ASCII skeleton: what a syllable becomes when all diacritics are lost (case kept)."""
    w = word.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """Lower case, no marks: `Đồng` → `dong` (the look-alike `ð` too)."""
    return strip_marks(word.lower().replace("ð", "d"))


def fold(text: str) -> str:
    return " ".join(fold_word(w) for w in TOKEN.findall(text))


@lru_cache(maxsize=8)
def fold_same_length(text: str) -> str:
    """`fold` that keeps every character's position: for text whose marks may be wrong."""
    out = []
    for c in text:
        f = fold_word(c) if c.isalpha() else c
        out.append(f if len(f) == 1 else c.lower())
    return "".join(out)


@lru_cache(maxsize=65536)
def match_syllable(word: str) -> str:
    """One word in matching form: lower case (letter by letter, so the length is kept) with its
    mark in canonical place."""
    low = word.lower()
    if len(low) != len(word):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in word)
    return canonical(low)


def match_form(text: str) -> str:
    """Same length as `text`: lower case, `Ð`→`đ`, each syllable's mark in canonical place.

    Regular expressions over language data run on this form, and their match
    offsets are offsets into the original text.
    """
    out = WORD.sub(lambda m: match_syllable(m.group()), text.replace("Ð", "Đ"))
    return out if len(out) == len(text) else text.lower()
