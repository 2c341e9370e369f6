"""Restoring Vietnamese diacritics and repairing English-model OCR, as decoding.

For each token, the candidates are the syllables it can come from: for text
stripped to ASCII, every syllable with that skeleton; for OCR damage, the
syllables whose likely OCR spellings (channel.py) include the token. A beam
search over the candidates scores each path by the syllable trigram model
plus the channel's log probability, so `s6` becomes `số` after `Két luan`
and `sáu` nowhere. Numbers, dates and document codes are never touched;
tokens with no candidate (acronyms such as `UBND`, `HIV`) stay as they are.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from pipeline.vietnamese.channel import Channel
from pipeline.vietnamese.lm import LanguageModel
from pipeline.vietnamese.corpus import NUM
from pipeline.vietnamese.syllables import canonical, inventory, strip_marks

TOKEN = regex.compile(r"[\p{L}$¢€@&]+[\p{L}\d$¢€@&]*|\d+[\p{L}$¢€@]+[\p{L}\d$¢€@&]*")
ROMAN = regex.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
VOWEL_SKELETON = regex.compile(r"[aeiouy]+")
PROTECTED = regex.compile(
    r"[\p{L}\d]*\d[\p{L}\d]*(?:[/\-.,][\p{L}\d]+)+"          # 92-KL/TW, 767/KH-UBND, 01/11/2012, 8.000
    r"|[\p{L}\d]+(?:[/\-&][\p{L}\d]+)*[/\-&]\d+"             # KH-2021
    r"|\b\p{Lu}{1,6}(?:[/\-&]\p{Lu}{1,6})+\b"               # KH-UBND, LĐ-TB&XH
    r"|https?://\S+|\S+@\S+")
ANY_TOKEN = regex.compile(TOKEN.pattern + r"|\d+(?:[.,]\d+)*")
ROMAN_OCR = regex.compile(r"^(\s*)((?=[1IlV]*[Il][1IlV]*)(?=.*1)[1IlV]{2,4}|111)(\.)(?=\s)")
BEAM = 10
STRIPPED_K = 12
OCR_K = 12
UNSEEN_PENALTY = -6.0
WILDCARD_PENALTY = -5.0   # a vowel the channel never saw read this way
EDIT_PENALTY = -4.5       # one letter more, fewer or other than any learned reading


@dataclass
class Change:
    start: int
    end: int
    text: str


def model_dir() -> Path:
    env = os.environ.get("CHITIEU_MODEL_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "models"


class Restorer:
    def __init__(self, path: Path):
        import numpy as np

        self.path = path
        z = np.load(path)
        self.lm = LanguageModel.from_arrays(z)
        self.channel = Channel(json.loads(bytes(z["channel"]).decode("utf-8")))
        from pipeline.vietnamese.corpus import sha256

        self.model_id = "restore-" + sha256(path)[:12]
        self._memo: dict[tuple[str, bool], list[tuple[str, float]]] = {}
        inv = inventory()
        known = [w for w in self.lm.vocab[1:] if w in inv]
        self._stripped: dict[str, list[str]] = {}
        for w in inv:
            self._stripped.setdefault(strip_marks(w), []).append(w)
        for k, ws in self._stripped.items():
            ws.sort(key=lambda w: -self.lm.uni.get(self.lm.id(w), 0))
            del ws[STRIPPED_K:]
        self._wild: dict[str, list[str]] = {}
        for w in known:
            self._wild.setdefault(VOWEL_SKELETON.sub("*", strip_marks(w)), []).append(w)
        for k, ws in self._wild.items():
            ws.sort(key=lambda w: -self.lm.uni.get(self.lm.id(w), 0))
            del ws[STRIPPED_K:]
        # symmetric-delete index of skeletons: candidates one edit away from an OCR token
        self._deletes: dict[str, list[str]] = {}
        for w in known:
            sk = strip_marks(w)
            for d in {sk, *(sk[:i] + sk[i + 1:] for i in range(len(sk)))}:
                self._deletes.setdefault(d, []).append(w)
        for k, ws in self._deletes.items():
            ws.sort(key=lambda w: -self.lm.uni.get(self.lm.id(w), 0))
            del ws[STRIPPED_K:]
        # keep, for each OCR spelling, the syllables most likely a priori and through the channel
        ocr = self.channel.index(known)
        prior = {w: math.log(self.lm.unigram(self.lm.id(w))) for w in known}
        self._ocr = {form: sorted(c, key=lambda x: -(x[1] + prior[x[0]]))[:OCR_K] for form, c in ocr.items()}

    # candidates -----------------------------------------------------------
    def candidates(self, token: str, ocr: bool) -> list[tuple[str, float]]:
        """Syllables a token can come from, with the channel's log probability (memoised: plans
        repeat their words)."""
        k = (token, ocr)
        hit = self._memo.get(k)
        if hit is None:
            hit = self._memo[k] = self._candidates(token, ocr)
            if len(self._memo) > 200_000:
                self._memo.clear()
        return hit

    def _candidates(self, token: str, ocr: bool) -> list[tuple[str, float]]:
        if token == NUM:
            return [(NUM, 0.0)]
        low = token.lower()
        cands: dict[str, float] = {}
        if ocr:
            for syl, lp in self._ocr.get(low, [])[:OCR_K]:
                cands[syl] = lp
        skeleton = strip_marks(low)
        for syl in self._stripped.get(skeleton, []):
            if syl not in cands:
                cands[syl] = -3.0 if ocr else 0.0
        if ocr:
            wild = VOWEL_SKELETON.sub("*", strip_marks(regex.sub(r"[^\p{L}]", "a", low)))
            for syl in self._wild.get(wild, []):
                if syl not in cands:
                    cands[syl] = WILDCARD_PENALTY
            sk = strip_marks(regex.sub(r"[^\p{L}]", "", low))
            if len(sk) >= 3 and max(cands.values(), default=-99.0) < -3.0:  # no learned reading fits
                for d in {sk, *(sk[:i] + sk[i + 1:] for i in range(len(sk)))}:
                    for syl in self._deletes.get(d, []):
                        if syl not in cands:
                            cands[syl] = EDIT_PENALTY
        canon = canonical(low)
        if canon in inventory() and canon != skeleton:
            cands[canon] = 0.0 if not ocr else max(cands.get(canon, -1.0), -1.0)
        return list(cands.items())

    # decoding -------------------------------------------------------------
    def decode(self, tokens: list[str], ocr: bool) -> list[str | None]:
        """Best syllable per token (None where a token has no candidate)."""
        out: list[str | None] = [None] * len(tokens)
        run: list[tuple[int, list[tuple[int, str, float]]]] = []

        def flush():
            if run:
                for i, syl in self._beam(run):
                    out[i] = syl
                run.clear()

        for i, tok in enumerate(tokens):
            cands = self.candidates(tok, ocr)
            if not cands:
                flush()
                continue
            scored = []
            for syl, lp in cands:
                sid = self.lm.id(syl)
                scored.append((sid, syl, lp + (0.0 if sid >= 0 else UNSEEN_PENALTY)))
            run.append((i, scored))
        flush()
        return out

    def _beam(self, run):
        lm = self.lm
        beam = [(0.0, 0, 0, ())]
        for _, cands in run:
            nxt: dict[tuple[int, int], tuple] = {}
            for score, a, b, hist in beam:
                for sid, syl, lp in cands:
                    s = score + lp + (lm.logp(a, b, sid) if sid >= 0 else lm.logp(a, b, 0) + UNSEEN_PENALTY)
                    key = (b, sid if sid >= 0 else hash(syl))
                    if key not in nxt or nxt[key][0] < s:
                        nxt[key] = (s, b, sid if sid >= 0 else 0, hist + (syl,))
            beam = sorted(nxt.values(), key=lambda h: -h[0])[:BEAM]
        best = beam[0][3]
        return [(i, syl) for (i, _), syl in zip(run, best)]

    # text -----------------------------------------------------------------
    def restore(self, text: str, ocr: bool) -> list[Change]:
        """Changes that restore one paragraph (offsets into `text`)."""
        changes: list[Change] = []
        m = ROMAN_OCR.match(text)
        if m:
            changes.append(Change(m.start(2), m.end(2), m.group(2).replace("1", "I").replace("l", "I")))
        protected = [p.span() for p in PROTECTED.finditer(text)]
        spans, tokens = [], []
        for t in ANY_TOKEN.finditer(text):
            if m and t.start() < m.end(2):
                continue
            if t.group().isupper() and ROMAN.fullmatch(t.group()):
                spans.append(t.span())
                tokens.append(NUM)  # "IV.", "khóa XI": numerals, not words
                continue
            inside = next(((s, e) for s, e in protected if s <= t.start() < e), None)
            if inside or t.group()[0].isdigit() and t.group().replace(".", "").replace(",", "").isdigit():
                span = inside or t.span()
                if spans and spans[-1] == span:
                    continue
                spans.append(span)
                tokens.append(NUM)  # numbers and codes are context for the model, never changed
                continue
            spans.append(t.span())
            tokens.append(t.group())
        # punctuation between tokens breaks the language model's context
        pieces, start = [], 0
        for k in range(1, len(spans) + 1):
            if k == len(spans) or regex.search(r"[^\s]", text[spans[k - 1][1]:spans[k][0]]):
                pieces.append((start, k))
                start = k
        for a, b in pieces:
            best = self.decode(tokens[a:b], ocr)
            for (s, e), tok, syl in zip(spans[a:b], tokens[a:b], best):
                if syl is None or tok == NUM:
                    continue
                new = _with_case(syl, tok)
                if new != tok:
                    changes.append(Change(s, e, new))
        return sorted(changes, key=lambda c: c.start)


def _with_case(syl: str, token: str) -> str:
    if len(token) > 1 and token[0] in "Il" and token[1:].islower():
        token = "l" + token[1:]  # a capital I inside a word is OCR for l ("Ié" = "lệ")
    letters = [c for c in token if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return syl.upper()
    if token[:1].isupper() or token[:1] in "$¢€@":
        return syl[:1].upper() + syl[1:] if token[:1].isupper() else syl
    return syl


@lru_cache(maxsize=2)
def load_restorer(path: str | None = None) -> Restorer:
    p = Path(path) if path else model_dir() / "restore.npz"
    if not p.exists():
        raise FileNotFoundError(f"restoration model {p} is missing: run `make model`")
    return Restorer(p)
