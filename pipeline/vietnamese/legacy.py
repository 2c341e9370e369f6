"""Legacy Vietnamese encodings, converted to Unicode with offsets kept.

TCVN3 (ABC, the `.VnTime` fonts) and VNI (the `VNI-Times` fonts) reach us as
the Windows-1252 characters their bytes stand for: `Việt` typed in TCVN3 reads
`ViÖt`, in VNI `Vieät`. The tables are in `data/legacy.yaml`. Which one a text is in is read from the text itself: the
encoding whose reading makes the most words valid Vietnamese syllables wins,
line by line, so that a plan pasted together from an old and a new file comes
out whole. DOCX and PDF readers also know it from the font a run is set in.

VIQR (RFC 1456) writes marks as ASCII after the vowel: `(` breve, `^`
circumflex, `+` horn, then the tone `'` `` ` `` `?` `~` `.`, and `dd` for
`đ`; `\\` escapes a mark. `?` and `.` double as punctuation, so at the end of
a word they are read as tones only when a lower-case word follows.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import regex
import yaml

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


DATA = Path(__file__).parent / "data" / "legacy.yaml"
LEGACY = ("tcvn3", "vni")


def _char(byte: int) -> str:
    return bytes([byte]).decode("cp1252")


@lru_cache(maxsize=1)
def tables() -> dict:
    with open(DATA, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return {
        "tcvn3": {_char(b): ch for b, ch in data["tcvn3"].items()},
        "vni_letters": {_char(b): ch for b, ch in data["vni"]["letters"].items()},
        "vni_marks": {_char(b): m for b, m in data["vni"]["marks"].items()},
        "fonts": {k: [regex.compile(p, regex.IGNORECASE) for p in v] for k, v in data["fonts"].items()},
    }


def tcvn3_to_unicode(chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    table = tables()["tcvn3"]
    return [table.get(c, c) for c in chars], list(offs)


def _takes(vowel: str, marks: str) -> bool:
    if "\u0302" in marks:
        return vowel in "aeoAEO"
    if "\u0306" in marks:
        return vowel in "aA"
    return True


def vni_to_unicode(chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    letters = tables()["vni_letters"]
    out, out_o = [], []
    i, n = 0, len(chars)
    while i < n:
        c = letters.get(chars[i], chars[i])
        marked = add_vni_mark(c, chars[i + 1]) if i + 1 < n else None
        out.append(marked or c)
        out_o.append(offs[i])
        i += 2 if marked else 1
    return out, out_o


CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


def add_vni_mark(vowel: str, mark: str) -> str | None:
    """The letter a VNI mark character makes of the vowel before it, None if it makes none (for
    readers that meet the text one glyph at a time)."""
    marks = tables()["vni_marks"]
    if mark in marks and vowel in "aeiouyAEIOUYơưƠƯ" and _takes(vowel, marks[mark]):
        return unicodedata.normalize("NFC", vowel + marks[mark])
    return None


def convert_glyph(text: str, encoding: str) -> str:
    """One glyph's character as its legacy font means it (VNI marks excepted: `add_vni_mark`)."""
    t = tables()
    return t["tcvn3"].get(text, text) if encoding == "tcvn3" else t["vni_letters"].get(text, text)


def convert(text: str, encoding: str) -> str:
    chars, _ = CONVERTERS[encoding](list(text), list(range(len(text))))
    return "".join(chars)


@lru_cache(maxsize=1024)
def font_encoding(fontname: str | None) -> tuple[str, bool]:
    """(legacy encoding named by a font, whether the font draws upper case), ("", False) if none."""
    if not fontname:
        return "", False
    name = fontname.split("+", 1)[1] if regex.match(r"^[A-Z]{6}\+", fontname) else fontname
    fonts = tables()["fonts"]
    for enc in LEGACY:
        if any(p.search(name) for p in fonts[enc]):
            return enc, enc == "tcvn3" and any(p.search(name) for p in fonts["upper"])
    return "", False


TOKEN_EDGE = regex.compile(r"^[\p{P}\d]+|[\p{P}\d]+$")


def valid_syllables(text: str) -> int:
    """How many whitespace-separated words of the text are Vietnamese syllables."""
    from pipeline.vietnamese.syllables import canonical, inventory

    inv = inventory()
    n = 0
    for tok in text.split():
        w = TOKEN_EDGE.sub("", tok).lower()
        if w and (w in inv or canonical(w) in inv):
            n += 1
    return n


def detect(text: str, sample: int = 20000) -> str:
    """The legacy encoding the text is in ("tcvn3", "vni", "viqr"), or "" for none.

    A reading wins when it makes clearly more words valid syllables than the
    text as it stands: TCVN3 and VNI bytes show up as Latin-1 letters and
    symbols (`Vi\u00d6t`, `Vie\u00e4t`) that are no syllable at all."""
    head = text[:sample]
    if looks_like_viqr(head):
        return "viqr"
    if not any("\u00a0" < c <= "\u00ff" for c in head):
        return ""
    words = len(head.split())
    base = valid_syllables(head)
    best, gain = "", max(3, 0.1 * words)
    for enc in LEGACY:
        got = valid_syllables(convert(head, enc)) - base
        if got >= gain:
            best, gain = enc, got
    return best


def to_unicode(text: str) -> tuple[str, list[int], str, float]:
    """The text with its legacy lines converted, a map to the input offsets, the encoding found,
    and the share of the words that were in it. Lines are converted one by one, each only where
    its reading has more syllables."""
    offs = list(range(len(text)))
    enc = detect(text)
    if not enc:
        return text, offs, "", 0.0
    if enc == "viqr":
        chars, offs = viqr_to_unicode(list(text), offs)
        return "".join(chars), offs, enc, 1.0
    out: list[str] = []
    out_o: list[int] = []
    pos = converted = total = 0
    for line in text.splitlines(keepends=True):
        chars, lo = CONVERTERS[enc](list(line), offs[pos:pos + len(line)])
        n = len(line.split())
        total += n
        if valid_syllables("".join(chars)) > valid_syllables(line):
            out.extend(chars)
            out_o.extend(lo)
            converted += n
        else:
            out.extend(line)
            out_o.extend(offs[pos:pos + len(line)])
        pos += len(line)
    return "".join(out), out_o, enc, converted / total if total else 0.0
