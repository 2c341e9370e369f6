"""Matching keys: how two spellings of one Vietnamese phrase are made equal.

`key()` lower-cases, composes, and moves each syllable's tone mark to the end
of the syllable as a digit, so `hoà`/`hòa` and `thuỷ`/`thủy` give the same key
whatever the placement convention. `fold()` also drops the tones and vowel
marks, for text whose diacritics are lost. Neither is ever written out.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
SYLLABLE = regex.compile(r"\p{L}+|\d+|[^\p{L}\d\s]")


@lru_cache(maxsize=65536)
def syllable_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = ""
    kept = []
    for c in decomposed:
        if c in TONES:
            tone = TONES[c]
        else:
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def key(text: str) -> str:
    return " ".join(syllable_key(w) for w in SYLLABLE.findall(text.replace("Ð", "Đ")))


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    w = word.lower().replace("đ", "d").replace("ð", "d")
    w = unicodedata.normalize("NFD", w)
    return "".join(c for c in w if not unicodedata.combining(c))


def fold(text: str) -> str:
    return " ".join(fold_word(w) for w in SYLLABLE.findall(text))


VOWELS = set("aăâeêioôơuưy")
MARKED_VOWELS = set("ăâêôơư")


@lru_cache(maxsize=65536)
def _match_syllable(word: str) -> str:
    low = word.lower()
    if len(low) != len(word):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in word)
    decomposed = unicodedata.normalize("NFD", low)
    tone = next((c for c in decomposed if c in TONES), "")
    if not tone:
        return low
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    if len(base) != len(low):
        return low
    idx = [i for i, c in enumerate(base) if c in VOWELS]
    if not idx:
        return low
    marked = [i for i in idx if base[i] in MARKED_VOWELS]
    pos = marked[-1] if marked else idx[-1]
    placed = base[:pos] + unicodedata.normalize("NFC", base[pos] + tone) + base[pos + 1:]
    return placed if len(placed) == len(low) else low


WORDS = regex.compile(r"\p{L}+")


def match_form(text: str) -> str:
    """Same length as `text`: lower case, `Ð`→`đ`, one tone placement per syllable.

    Regular expressions over language data run on this form, and their match
    offsets are offsets into the original text.
    """
    out = WORDS.sub(lambda m: _match_syllable(m.group()), text.replace("Ð", "Đ"))
    return out if len(out) == len(text) else text.lower()


@lru_cache(maxsize=8)
def fold_same_length(text: str) -> str:
    """`fold` that keeps every character's position: for text whose marks may be wrong."""
    out = []
    for c in text:
        f = fold_word(c) if c.isalpha() else c
        out.append(f if len(f) == 1 else c.lower())
    return "".join(out)
