"""The OCR channel: how Tesseract's English model writes each Vietnamese letter.

An English model cannot write most Vietnamese letters, so it substitutes:
`ư`→`u`, `ờ`→`d`, `ợ`→`g`, `ố`→`6`, `đ`→`d`, `ộ`→`Q`. These confusions are
learned, not written: `training/build.py` renders plan-like text to page images,
reads them back with `tesseract -l eng`, aligns each line with its source
(Levenshtein edit operations) and counts what each letter became. From the
counts, every syllable gets its most likely OCR spellings, and an index
from spelling to syllables gives the candidates for a damaged token.

Letters are not read independently, though: in Times-metric faces `ươ` is often read as one `o`
(`thương` as `thong` in 16 of 56 renders, `trường` as `trong` in 13 of 196), which the product of
`ư` and `ơ` read alone puts near e^-6. So the renders' readings of whole words are counted too
(`word_counts`), and a syllable's spelling seen often enough is as likely as the renders say
(`Channel.readings`), where that is more than its letters make it. What a rhyme became in the
renders of every word that has it (`ường` as `ong` in `trường`, `đường`) is counted as well
(`Channel.rhymes`), so that a word the renders seldom showed (`cường`) is read as its rhyme's
words were.
"""
from __future__ import annotations

import heapq
import math
import unicodedata
from collections import Counter, defaultdict

from rapidfuzz.distance import Levenshtein

from extractors.orthography import TONE_MARKS, VOWELS, split_onset, split_tone

# the channel of Tesseract's Vietnamese model on scans: it writes every letter but misreads tones and
# hats (`tổ` as `tô`); applied to OCR'd pages of clean documents, never picked for English-model text
VIE = "vie"
TONE_ORDER = "21435"  # huyền, sắc, ngã, hỏi, nặng: the order the floor is added in (the sums, bit for bit)
MAX_OUT = 3          # an OCR'd letter becomes at most three characters (`ư` as `ill`)
FORMS_PER_SYLLABLE = 24
MIN_P = 0.004
# a whole word's reading counts when the renders showed it at least READING_MIN times, with
# probability n / (renders of the word + READING_PRIOR): one reading in four renders is no rate
READING_MIN = 2
READING_PRIOR = 10.0
EDGE_PUNCT = ".,;:!?()[]{}\"“”…-–/"


def word_counts(source: str, ocr: str, counts: dict[str, Counter]) -> None:
    """Add what each word of a source line (case kept) became in `ocr` (lower-cased), where the
    two have as many words: a split or joined word would pair every later word wrongly."""
    src, out = source.split(), ocr.lower().split()
    if len(src) != len(out):
        return
    for s, o in zip(src, out):
        s, o = s.strip(EDGE_PUNCT), o.strip(EDGE_PUNCT)
        if s.isalpha() and o:
            counts[s][o] += 1


def align_counts(source: str, ocr: str, counts: dict[str, Counter]) -> None:
    """Add what each source letter (case kept: `Đ` is read `P`, `đ` is read `d`) became in `ocr`
    (lower-cased) to `counts`."""
    src, out = source, ocr.lower()
    got: list[str] = [""] * len(src)
    kept = [False] * len(src)       # read as itself
    inserted: dict[int, str] = {}   # characters read between source letters i-1 and i
    si = oi = 0
    ops = list(Levenshtein.editops(src, out))
    opi = 0
    while si < len(src) or oi < len(out):
        op = ops[opi] if opi < len(ops) else None
        if op and op.src_pos == si and op.dest_pos == oi:
            if op.tag == "replace":
                got[si] += out[oi]
                si += 1
                oi += 1
            elif op.tag == "delete":
                si += 1
            else:
                inserted[si] = inserted.get(si, "") + out[oi]
                oi += 1
            opi += 1
        else:
            if si < len(src) and oi < len(out):
                got[si] += out[oi]
                kept[si] = True
            si += 1
            oi += 1
    for i, extra in inserted.items():
        if _takes_next(src, kept, i):
            got[i] = extra + got[i]
        elif i > 0:
            got[i - 1] += extra
    for ch, o in zip(src, got):
        if ch.isalpha() and len(o) <= MAX_OUT:
            counts[ch][o] += 1


def _onset_rhyme(word: str) -> tuple[str, str]:
    """(onset, rhyme with its tone) of a syllable as written (case kept); ("", "") for no syllable."""
    base, _ = split_tone(word.lower())
    if not base.isalpha():
        return "", ""
    onset, rhyme = split_onset(base)
    return (word[:len(onset)], word[len(onset):]) if rhyme else ("", "")


def _takes_next(src: str, kept: list[bool], i: int) -> bool:
    """Whether characters read between letters i-1 and i belong to letter i. They belong to the
    misread letter: `nữ` read `nit` is `ữ` read `it`, not `n` read `ni` (the edit operations put
    an insertion first, and the letter after it would be learnt as read `t`). Between two misread
    letters the one with marks takes them; by default the one before."""
    if i >= len(src) or kept[i]:
        return False
    if i == 0 or kept[i - 1]:
        return True
    return not src[i].isascii() and src[i - 1].isascii()


class Channel:
    def __init__(self, table: dict[str, dict[str, float]], readings: dict[str, dict[str, float]] | None = None,
                 rhymes: dict[str, dict[str, float]] | None = None):
        self.table = table  # letter -> {output: log p}
        self.readings = readings or {}  # word (case kept) -> {reading seen in the renders: log p}
        self.rhymes = rhymes or {}  # rhyme of a lower-case word (toned) -> {reading: log p}

    @staticmethod
    def readings_from(words: dict[str, Counter]) -> dict[str, dict[str, float]]:
        """The whole-word readings the renders showed READING_MIN times or more (`word_counts`)."""
        out = {}
        for w, c in words.items():
            total = sum(c.values()) + READING_PRIOR
            seen = {o: math.log(n / total) for o, n in c.items() if n >= READING_MIN}
            if seen:
                out[w] = seen
        return out

    @staticmethod
    def rhymes_from(words: dict[str, Counter]) -> dict[str, dict[str, float]]:
        """What each rhyme of lower-case words became where the word's onset was read as itself
        (`đ` as `d`), over all its words' renders."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for w, c in words.items():
            onset, rhyme = _onset_rhyme(w)
            if not rhyme or w != w.lower():
                continue
            read = onset.replace("đ", "d")
            for o, n in c.items():
                counts[rhyme][o[len(read):] if o.startswith(read) else None] += n
        out = {r: {o: lp for o, lp in v.items() if o is not None} for r, v in Channel.readings_from(counts).items()}
        return {r: v for r, v in out.items() if v}

    def with_readings(self, words: dict[str, Counter]) -> "Channel":
        return Channel(self.table, self.readings_from(words), self.rhymes_from(words))

    @classmethod
    def from_counts(cls, counts: dict[str, Counter], family_weight: float = 0.0,
                    other_fonts: dict[str, Counter] | None = None, font_weight: float = 0.0) -> "Channel":
        """The table of what each letter was read as. With `family_weight`, each letter's readings
        are smoothed towards those of its family, the letters that differ from it only by tone
        (`ở` towards `ơ ờ ớ ỡ ợ`), as if `family_weight` more readings had been drawn from the
        family's: a few hundred renders of `ở` cannot show every way a page at another size
        misreads its horn, and the family's do. With `font_weight`, the same letter's readings in
        `other_fonts` (the other families of faces) count as that many more readings: a plan's face
        is never exactly a rendered one, and a reading one face never showed (`ứ` as `ti` in
        Liberation Serif) is one another face did."""
        families: dict[str, Counter] = defaultdict(Counter)
        for ch, c in counts.items():
            families[split_tone(ch)[0]].update(c)
        other_fonts = other_fonts or {}
        table = {}
        for ch, c in counts.items():
            fam = families[split_tone(ch)[0]]
            fam_total = sum(fam.values())
            other = other_fonts.get(ch) or Counter()
            other_total = sum(other.values())
            weight = font_weight if other_total else 0.0
            total = sum(c.values()) + family_weight + weight
            probs = {o: (c.get(o, 0) + family_weight * fam[o] / fam_total) / total for o in fam}
            for o, n in other.items():
                probs[o] = probs.get(o, 0.0) + weight * n / other_total / total
            probs = {o: p for o, p in probs.items() if p >= MIN_P}
            if ch not in probs:  # every letter may survive unchanged
                probs[ch] = max(MIN_P, 1.0 / (total + 2))
            z = sum(probs.values())
            table[ch] = {o: math.log(p / z) for o, p in probs.items()}
        return cls(table)

    def with_tone_floor(self, floor: float) -> "Channel":
        """The channel with every toned vowel read, at least with probability `floor`, without its
        tone and (`floor` / 2) with each other tone, and every untoned vowel (`floor` / 4) with a tone. Renders show how a clean page is misread; real
        scans also lose tones to dust and thin strokes (`tổ` read `tô`, `quyền` read `quyên`), which
        a channel learned from renders alone would rule out, and the language model could then
        never put them back."""
        table = {}
        for ch, outs in self.table.items():
            probs = {o: math.exp(lp) for o, lp in outs.items()}
            base, tone = split_tone(ch)
            others = [unicodedata.normalize("NFC", base + TONE_MARKS[t]).lower() for t in TONE_ORDER if t != tone]
            if tone:
                probs[base.lower()] = max(probs.get(base.lower(), 0.0), floor)
                for o in others:
                    probs[o] = max(probs.get(o, 0.0), floor / 2)
            elif ch.lower() in VOWELS:  # a speck read as a tone (`chi` as `chỉ`)
                for o in others:
                    probs[o] = max(probs.get(o, 0.0), floor / 4)
            z = sum(probs.values())
            table[ch] = {o: math.log(p / z) for o, p in probs.items()}
        return Channel(table)

    def spelling_logp(self, syllable: str, token: str, floor: float = -7.0, insert: float = -3.0) -> float:
        """log P(token | syllable) over the ways the syllable's letters can have been read: each
        letter as 0 to MAX_OUT characters (a reading the table lacks costs `floor`), and a character
        no letter explains costs `insert`. The letter-level channel for a spelling the learned index
        never listed (`chifc` for `chức`: `ứ` read `i` and a stray `f`). The best alignment stands
        for the sum."""
        n, m = len(syllable), len(token)
        ninf = -math.inf
        best = [[ninf] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(n + 1):
            row = best[i]
            outs = (self.table.get(syllable[i]) or {syllable[i]: 0.0}) if i < n else None
            nxt = best[i + 1] if i < n else None
            for j in range(m + 1):
                here = row[j]
                if here == ninf:
                    continue
                if j < m and here + insert > row[j + 1]:
                    row[j + 1] = here + insert
                if outs is None:
                    continue
                for k in range(0, min(MAX_OUT, m - j) + 1):
                    lp = outs.get(token[j:j + k])
                    v = here + (lp if lp is not None else floor)
                    if v > nxt[j + k]:
                        nxt[j + k] = v
        return best[n][m]

    def outputs(self, ch: str) -> dict[str, float]:
        return self.table.get(ch) or {ch: 0.0}

    def forms(self, syllable: str, n: int = FORMS_PER_SYLLABLE) -> list[tuple[str, float]]:
        """The `n` most likely OCR spellings of a syllable letter by letter, with log
        probabilities, and the whole-word readings the renders showed of it, each at the likelier
        of its two figures."""
        forms = {s: lp for lp, s in self._spellings(syllable, n) if s}
        for s, lp in self._whole_readings(syllable):
            if lp > forms.get(s, -math.inf):
                forms[s] = lp
        return sorted(forms.items(), key=lambda x: -x[1])

    def _whole_readings(self, syllable: str) -> list[tuple[str, float]]:
        """The word's own readings, and its onset's letter by letter before its rhyme's."""
        out = list(self.readings.get(syllable, {}).items())
        onset, rhyme = _onset_rhyme(syllable)
        seen = self.rhymes.get(rhyme) if rhyme and rhyme == rhyme.lower() else None
        if seen:
            out += [(head + r, lp + lr) for lp, head in self._spellings(onset, 3) for r, lr in seen.items() if head + r]
        return out

    def _spellings(self, letters: str, n: int) -> list[tuple[float, str]]:
        """The `n` likeliest readings of `letters`, letter by letter: (log p, reading), best first."""
        beam = [(0.0, "")]
        for ch in letters:
            beam = heapq.nlargest(n, [(lp + lo, s + o) for lp, s in beam for o, lo in self.outputs(ch).items()])
        return beam

    def index(self, syllables) -> dict[str, list[tuple[str, float]]]:
        """OCR spelling (lower case) -> [(syllable, log p)], over lower, Capitalised and UPPER case."""
        best: dict[str, dict[str, float]] = defaultdict(dict)
        for syl in syllables:
            for variant in {syl, syl[:1].upper() + syl[1:], syl.upper()}:
                for form, lp in self.forms(variant):
                    d = best[form]
                    if lp > d.get(syl, -1e9):
                        d[syl] = lp
        return {form: sorted(d.items(), key=lambda x: -x[1]) for form, d in best.items()}

    def readings_json(self) -> dict:
        return {kind: {w: {o: round(lp, 4) for o, lp in sorted(r.items())} for w, r in sorted(table.items())}
                for kind, table in (("words", self.readings), ("rhymes", self.rhymes))}

    def to_json(self) -> dict:
        return {ch: {o: round(lp, 4) for o, lp in sorted(outs.items())} for ch, outs in sorted(self.table.items())}


class Channels:
    """One channel per family of fonts. Which family damaged a document is told by the restorer
    (`Restorer.pick`): the family whose channel explains the document's words best."""

    def __init__(self, groups: dict[str, Channel]):
        self.groups = groups

    def to_json(self) -> dict:
        return {"groups": {g: dict({"table": c.to_json()}, **({"readings": c.readings_json()} if c.readings or c.rhymes else {}))
                           for g, c in sorted(self.groups.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "Channels":
        if "groups" not in data:  # a model from before font families: one channel
            return cls({"dejavu": Channel(data)})
        return cls({g: Channel(d["table"], d.get("readings", {}).get("words"), d.get("readings", {}).get("rhymes"))
                    for g, d in data["groups"].items()})
