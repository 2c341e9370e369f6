"""Legacy Vietnamese encodings, converted to Unicode with offsets kept.

VIQR (RFC 1456) writes marks as ASCII after the vowel: `(` breve, `^`
circumflex, `+` horn, then the tone `'` `` ` `` `?` `~` `.`, and `dd` for
`đ`; `\\` escapes a mark. `?` and `.` double as punctuation, so at the end of
a word they are read as tones only when a lower-case word follows.
"""
from __future__ import annotations

import unicodedata

import regex

MODIFIERS = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
VOWELS = set("aeiouyAEIOUY")
VIQR_SIGNS = regex.compile(r"[aeiouyAEIOUY](?:[(^+]|[`'?~.](?=\p{L}))|\bdd\p{L}|\bDD\p{L}")
WORDS = regex.compile(r"\S+")


def looks_like_viqr(text: str) -> bool:
    words = len(WORDS.findall(text))
    return words > 0 and len(VIQR_SIGNS.findall(text)) / words > 0.15


def _tone_here(chars: list[str], j: int) -> bool:
    mark = chars[j]
    nxt = chars[j + 1] if j + 1 < len(chars) else ""
    if nxt.isalpha():
        return True
    if mark in "'`~":
        return True
    # `?` or `.` at a word's end: a tone only when a lower-case word follows
    k = j + 1
    while k < len(chars) and chars[k] == " ":
        k += 1
    return k > j + 1 and k < len(chars) and chars[k].islower()


def viqr_to_unicode(chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    out, out_o = [], []
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if c == "\\" and i + 1 < n and (chars[i + 1] in MODIFIERS or chars[i + 1] in TONES):
            out.append(chars[i + 1])
            out_o.append(offs[i + 1])
            i += 2
            continue
        if c in "dD" and i + 1 < n and chars[i + 1] in "dD" and (i == 0 or not chars[i - 1].isalpha()):
            out.append("đ" if c == "d" else "Đ")
            out_o.append(offs[i])
            i += 2
            continue
        if c in VOWELS:
            marks, j = "", i + 1
            if j < n and chars[j] in MODIFIERS and (chars[j] != "(" or c in "aA") and \
                    (chars[j] != "^" or c in "aeoAEO") and (chars[j] != "+" or c in "ouOU"):
                marks += MODIFIERS[chars[j]]
                j += 1
            if j < n and chars[j] in TONES and _tone_here(chars, j):
                marks += TONES[chars[j]]
                j += 1
            out.append(unicodedata.normalize("NFC", c + marks))
            out_o.append(offs[i])
            i = j
            continue
        out.append(c)
        out_o.append(offs[i])
        i += 1
    return out, out_o
