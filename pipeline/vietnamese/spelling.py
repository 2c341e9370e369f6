"""The letter-level channel's scores (`Channel.spelling_logp`), compiled with numba.

Why: an English-model OCR spelling no learned reading fits (`chifc`) is scored against the
syllables of some thirty skeletons near it, about 150 alignments a token, each a small dynamic
programme of dict lookups: 4 ms a token in Python, most of a damaged plan's first pass. Here a
channel's table is one hash table over (letter, what it was read as), packed into integers, and
all the syllables of one token are aligned in one compiled call: the same numbers, operation by
operation, as `Channel.spelling_logp`.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from pipeline.vietnamese.channel import MAX_OUT, Channel
from pipeline.vietnamese.search import _slot, hash_table

_CHAR_BITS = 16   # a character's code in a packed reading
_LEN_SHIFT = MAX_OUT * _CHAR_BITS
_LETTER_SHIFT = _LEN_SHIFT + 2


@njit(cache=True)
def _key(letter, codes, start, length):
    """The table key of `letter` read as codes[start:start + length]: the letter's code, the
    reading's length and its characters' codes, packed into one integer."""
    v = (np.int64(letter) << np.int64(_LETTER_SHIFT)) | (np.int64(length) << np.int64(_LEN_SHIFT))
    for k in range(length):
        v |= np.int64(codes[start + k]) << np.int64(_CHAR_BITS * (MAX_OUT - 1 - k))
    return v


@njit(cache=True)
def _align(syls, offs, known, tok, table, bits, logps, floor, insert):
    """For each syllable (letter codes syls[offs[i]:offs[i+1]]; `known[letter]` says whether the
    table reads that letter), the best alignment of the token's codes `tok`."""
    m = tok.shape[0]
    count = offs.shape[0] - 1
    out = np.empty(count)
    ninf = -np.inf
    for s in range(count):
        lo = offs[s]
        n = offs[s + 1] - lo
        best = np.full((n + 1, m + 1), ninf)
        best[0, 0] = 0.0
        for i in range(n + 1):
            letter = syls[lo + i] if i < n else 0
            for j in range(m + 1):
                here = best[i, j]
                if here == ninf:
                    continue
                if j < m and here + insert > best[i, j + 1]:
                    best[i, j + 1] = here + insert
                if i == n:
                    continue
                for k in range(0, min(MAX_OUT, m - j) + 1):
                    if known[letter]:
                        slot = _slot(table, bits, _key(letter, tok, j, k))
                        v = here + (logps[slot] if slot >= 0 else floor)
                    else:  # a letter the table never read: read as itself, anything else at `floor`
                        v = here + (0.0 if k == 1 and tok[j] == letter else floor)
                    if v > best[i + 1, j + k]:
                        best[i + 1, j + k] = v
        out[s] = best[n, m]
    return out


class Speller:
    """`Channel.spelling_logp` for many syllables of one token at once."""

    def __init__(self, channel: Channel):
        assert MAX_OUT == 3, "the packing holds three characters"
        self.codes: dict[str, int] = {}
        keys, vals = [], []
        readers = set()
        for letter, outs in channel.table.items():
            if not outs:
                continue  # `spelling_logp` reads such a letter as itself
            readers.add(self.code(letter))
            for out, lp in outs.items():
                if len(out) > MAX_OUT:
                    continue  # never looked up: a letter is read as at most MAX_OUT characters
                codes = np.array([self.code(c) for c in out], dtype=np.int64)
                keys.append(_key(self.code(letter), codes, 0, len(codes)))
                vals.append(lp)
        self.table, self.bits, where = hash_table(np.array(keys, dtype=np.int64))
        v = np.array(vals, dtype=np.float64)
        self.values = np.where(self.table >= 0, v[where] if len(v) else 0.0, 0.0)
        self.readers = readers
        self._spelt: dict[str, tuple[int, ...]] = {}  # a syllable's letter codes (syllables recur)
        self._known: np.ndarray | None = None

    def code(self, ch: str) -> int:
        c = self.codes.get(ch)
        if c is None:
            c = self.codes[ch] = len(self.codes) + 1
            if c >= 1 << 13:
                raise ValueError("more characters than a packed key holds")
        return c

    def logps(self, syllables: list[str], token: str, floor: float = -7.0, insert: float = -3.0) -> list[float]:
        if not syllables:
            return []
        flat, offs = [], [0]
        spelt = self._spelt
        for syl in syllables:
            codes = spelt.get(syl)
            if codes is None:
                codes = spelt[syl] = tuple(self.code(c) for c in syl)
            flat.extend(codes)
            offs.append(len(flat))
        tok = np.array([self.code(c) for c in token], dtype=np.int64)
        known = self._known
        if known is None or len(known) <= len(self.codes):  # codes were added: one flag each
            known = self._known = np.zeros(len(self.codes) + 1, dtype=np.bool_)
            known[list(self.readers)] = True
        return _align(np.array(flat, dtype=np.int64), np.array(offs, dtype=np.int64), known, tok,
                      self.table, self.bits, self.values, float(floor), float(insert)).tolist()
