"""The one tokenisation the restoration model is trained and decoded with.

Punctuation is part of the model's context, not a break in it: in `các sở,
ban, ngành` the commas are what tell `ban` from `bản`. Numbers, dates,
document codes and Roman numerals are one `<num>` token each: context for
the model, never changed. Training and decoding share this module so the
two can never read a text differently.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

NUM = "<num>"
# a word: letters, or letters with the digits and signs English-model OCR writes for letters
# (`s6`, `$6`, `h@i`, `2a`)
WORD = regex.compile(r"[\p{L}$¢€@&]+[\p{L}\d$¢€@&]*|\d+[\p{L}$¢€@]+[\p{L}\d$¢€@&]*")
NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
PUNCT = regex.compile(r"[,;:.!?()\[\]\"“”/%…\-–—+*]")
ANY = regex.compile(f"{WORD.pattern}|{NUMBER.pattern}|{PUNCT.pattern}")
# English-model OCR writes a hook or a tone as `’`, `'` or `?` inside or at the end of a word
# (`chi?c`, `tt’`, `thu’c`): in OCR'd text these belong to the word, and the channel has learnt them
WORD_OCR = regex.compile(rf"(?:{WORD.pattern})(?:[’'?]+[\p{{L}}\d$¢€@&]+)*(?:[’'?](?![\p{{L}}\d]))?")
ANY_OCR = regex.compile(f"{WORD_OCR.pattern}|{NUMBER.pattern}|{PUNCT.pattern}")
# a number with a capital or two is a technology's or a grade's name (`5G`, `3G/4G`, `3D`), never a
# syllable the OCR misread
NUMBERED_NAME = regex.compile(r"\d{1,2}[A-Z]{1,2}")
# a figure with its unit glued on (`12m2`, `50m3`, `1.230ha`, `500kW`): a quantity, never a syllable
# the OCR misread (`16i` is `lợi`, so a bare run of letters after digits is not enough: the unit must
# be one written with Latin letters, which no misread Vietnamese syllable spells)
UNIT = r"(?:[kcdm]?m[23]?|ha|kg|[kKM][wW]h?)"   # the units plans write with Latin letters
NUMBER_WITH_UNIT = regex.compile(rf"\d+(?:[.,]\d+)*{UNIT}")
# a word with a number glued to its end (`khoang180`, `dat1.230`, from source text that lacked the
# space): the word is restored, the number stays a number. One digit glued to a word is the OCR's
# letter (`s6`, `tr6`), so the number must have two digits or a separator.
GLUED_NUMBER = regex.compile(r"(\p{L}*\p{Ll}\p{Ll})(\d{2,}(?:[.,]\d+)*|\d(?:[.,]\d+)+)")
ROMAN = regex.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
PROTECTED = regex.compile(
    r"[\p{L}\d]*\d[\p{L}\d]*(?:[/\-.,][\p{L}\d]+)+"          # 92-KL/TW, 767/KH-UBND, 01/11/2012, 8.000
    r"|[\p{L}\d]+(?:[/\-&][\p{L}\d]+)*[/\-&]\d+"             # KH-2021
    r"|\b\p{Lu}{1,6}(?:[/\-&]\p{Lu}{1,6})+\b"               # KH-UBND, LĐ-TB&XH
    r"|\b[eE]-[A-Za-z]{3,}\b"                               # e-form, e-Government (not E-de, Ê-đê stripped)
    r"|https?://\S+|\S+@\S+")
# In English-model OCR text, words joined by `/` whose digits are the OCR's letters (`d6c/chủ` for
# `đốc/chủ`, `kién/m6 hinh`): every part starts with a lower-case letter, none is a unit (`m3/ngày`).
# These are words, not a code, and are read one by one.
OCR_SLASHED_WORDS = regex.compile(r"\p{Ll}[\p{Ll}\d$¢€@&]*(?:/\p{Ll}[\p{Ll}\d$¢€@&]*)+")
UNIT_PART = regex.compile(UNIT)
# A unit written with a digit (`m2`, `m3`, `km2`): never a syllable the OCR misread, and before `/`
# and words (`m2/nguoi`, `m3/ngay`) a unit per something, whose words are to be restored, not a
# code. The model's training text keeps such a span as one number (`lm_sequences`), so that the
# model stays as built; restoration reads it as unit, `/`, words (`tokenize(..., units=True)`).
DIGIT_UNIT = regex.compile(r"[kcdm]?m[23]")
UNIT_PER = regex.compile(rf"({DIGIT_UNIT.pattern})((?:/\p{{L}}+)+)")
PUNCT_FORMS = {"–": "-", "—": "-", "“": '"', "”": '"', "…": "."}


@dataclass
class Token:
    start: int
    end: int
    text: str       # as in the input
    kind: str       # word | num | punct

    @property
    def lm(self) -> str:
        """The token the language model sees."""
        if self.kind == "num":
            return NUM
        if self.kind == "punct":
            return PUNCT_FORMS.get(self.text, self.text)
        return self.text


def tokenize(text: str, skip_before: int = 0, ocr: bool = False, units: bool = False) -> list[Token]:
    """Words, numbers (with codes) and punctuation of one line, in order. Tokens that start
    before `skip_before` are left out (a repaired heading number). In `ocr` text a word keeps the
    `’`/`?` the OCR wrote for its marks. With `units`, a unit per something (`m2/nguoi`) is the
    unit, `/` and words (DIGIT_UNIT)."""
    protected = [p.span() for p in PROTECTED.finditer(text) if not (ocr and _slashed_words(p.group()))]
    out: list[Token] = []
    pi = 0
    for m in (ANY_OCR if ocr else ANY).finditer(text):
        s, e = m.span()
        if s < skip_before:
            continue
        while pi < len(protected) and protected[pi][1] <= s:
            pi += 1
        if pi < len(protected) and protected[pi][0] <= s < protected[pi][1]:
            span = protected[pi]
            if out and out[-1].end == span[1] and out[-1].start >= span[0]:
                continue
            per = UNIT_PER.fullmatch(text, *span) if units else None
            if per:
                out += _unit_per(per)
                continue
            out += _glued(text, *span) or [Token(span[0], span[1], text[span[0]:span[1]], "num")]
            continue
        t = m.group()
        glued = _glued(text, s, e)
        if glued:
            out += glued
            continue
        if PUNCT.fullmatch(t):
            out.append(Token(s, e, t, "punct"))
        elif t[0].isdigit() and (NUMBER.fullmatch(t) or NUMBERED_NAME.fullmatch(t)
                                 or NUMBER_WITH_UNIT.fullmatch(t)):
            out.append(Token(s, e, t, "num"))
        elif t.isupper() and ROMAN.fullmatch(t):
            out.append(Token(s, e, t, "num"))   # "IV.", "khóa XI": numerals, not words
        else:
            out.append(Token(s, e, t, "word"))
    return out


def _slashed_words(span: str) -> bool:
    return bool(OCR_SLASHED_WORDS.fullmatch(span)) and not any(UNIT_PART.fullmatch(part) for part in span.split("/"))


def _unit_per(m) -> list[Token]:
    """`m2/nguoi/nam` as the unit (a word the restorer leaves as it is), then `/` and each word."""
    out = [Token(m.start(1), m.end(1), m.group(1), "word")]
    for part in regex.finditer(r"/|\p{L}+", m.string, pos=m.start(2), endpos=m.end(2)):
        out.append(Token(part.start(), part.end(), part.group(), "punct" if part.group() == "/" else "word"))
    return out


def _glued(text: str, start: int, end: int) -> list[Token]:
    """A word and the number glued to its end, as two tokens; [] when the span is not one."""
    m = GLUED_NUMBER.fullmatch(text, start, end)
    if not m:
        return []
    cut = m.end(1)
    return [Token(start, cut, m.group(1), "word"), Token(cut, end, m.group(2), "num")]


def item_end(line: str) -> int:
    """Where the list or heading marker opening a line ends (`- `, `+ `, `2.1. `, `a) `, `II. `;
    0 where none: extractors/markers.py, the one definition). The marker is no context for the
    model: a plan's `- Vốn …` and a code's `1. Vốn …` both start a sentence, and read as `<s> - vốn`
    the first word was learnt from the few lines that open with that marker (a single `- vôn` in the
    training text outweighed `vốn` there), not from every sentence start. Training and decoding
    both leave it out."""
    from extractors.markers import ITEM

    lead = len(line) - len(line.lstrip())
    m = ITEM.match(line, lead)
    return m.end() if m else 0


def lm_sequences(text: str):
    """What the model is trained on: each line's tokens after its marker, as the model sees them."""
    for line in text.split("\n"):
        seq = [t.lm for t in tokenize(line, skip_before=item_end(line))]
        if seq:
            yield seq

