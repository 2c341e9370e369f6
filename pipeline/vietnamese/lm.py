"""A syllable trigram language model with interpolated absolute discounting.

Counts are kept as plain dicts keyed by integers (syllable ids packed into
one int), which is what makes scoring fast enough in pure Python.
"""
from __future__ import annotations

import math
from collections import Counter

from pipeline.vietnamese.syllables import canonical

BOS = "<s>"
DISCOUNT = 0.7
SHIFT = 1 << 20


def _context_weights(counts: dict[int, int]) -> dict[int, tuple[float, float]]:
    """For each context (an n-gram key without its last id): 1 / its count, and the weight its
    discounts leave to the lower order."""
    totals: dict[int, list[int]] = {}
    for k, c in counts.items():
        e = totals.setdefault(k // SHIFT, [0, 0])
        e[0] += c
        e[1] += 1
    return {ctx: (1.0 / n, DISCOUNT * types / n) for ctx, (n, types) in totals.items()}


class LanguageModel:
    def __init__(self, vocab: list[str], uni: dict[int, int], bi: dict[int, int], tri: dict[int, int]):
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.uni, self.bi, self.tri = uni, bi, tri
        self.total = sum(uni.values())
        denom = self.total + 0.5 * len(vocab)
        self.uni_p = [(uni.get(i, 0) + 0.5) / denom for i in range(len(vocab))]
        # per context: 1 / its count, and the weight its discounts leave to the lower order
        self.w1 = _context_weights(bi)
        self.w2 = _context_weights(tri)
        self.rows: dict[tuple, list[float]] = {}

    @classmethod
    def train(cls, sentences, vocab_extra=(), vocab: list[str] | None = None) -> "LanguageModel":
        """Counts of the sentences; `vocab` fixes the ids (a backward model shares its forward
        model's)."""
        uni, bi, tri = Counter(), Counter(), Counter()
        ids: dict[str, int] = {w: i for i, w in enumerate(vocab)} if vocab else {BOS: 0}
        for words in sentences:
            seq = [0, 0] + [ids.setdefault(canonical(w.lower()), len(ids)) for w in words]
            for i in range(2, len(seq)):
                a, b, c = seq[i - 2], seq[i - 1], seq[i]
                uni[c] += 1
                bi[b * SHIFT + c] += 1
                tri[(a * SHIFT + b) * SHIFT + c] += 1
        for w in vocab_extra:
            ids.setdefault(w, len(ids))
        vocab = [None] * len(ids)
        for w, i in ids.items():
            vocab[i] = w
        return cls(vocab, dict(uni), dict(bi), dict(tri))

    def logp(self, a: int, b: int, c: int) -> float:
        """log P(c | a, b)."""
        return self.row(a, b, (c,))[0]

    def row(self, a: int, b: int, cids: tuple[int, ...], key=None) -> list[float]:
        """`logp(a, b, c)` for every c of `cids` at once: the context's weights are looked up once
        (the decoder's inner loop). Cached under (a, b, key) when a key names the candidate set."""
        if key is not None:
            hit = self.rows.get((a, b, key))
            if hit is not None:
                return hit
        uni_p, bi, tri, log = self.uni_p, self.bi, self.tri, math.log
        w1 = self.w1.get(b)
        ab = a * SHIFT + b
        w2 = self.w2.get(ab)
        bb, abb = b * SHIFT, ab * SHIFT
        out = []
        for c in cids:
            p = uni_p[c]
            if w1:
                n = bi.get(bb + c, 0)
                p = (n - DISCOUNT if n > DISCOUNT else 0.0) * w1[0] + w1[1] * p
            if w2:
                n = tri.get(abb + c, 0)
                p = (n - DISCOUNT if n > DISCOUNT else 0.0) * w2[0] + w2[1] * p
            out.append(log(p))
        if key is not None:
            if len(self.rows) > 500_000:
                self.rows.clear()
            self.rows[(a, b, key)] = out
        return out

    def column(self, a: int, b: int, cids: tuple[int, ...], key=None) -> list[float]:
        """`logp(c, b, a)` for every c of `cids`: how likely `a` is before `b c` when this model was
        trained right to left (the backward model's term at a step of the forward search)."""
        if key is not None:
            hit = self.rows.get((a, b, key, "column"))
            if hit is not None:
                return hit
        uni_p, bi, tri, log = self.uni_p, self.bi, self.tri, math.log
        w1 = self.w1.get(b)
        p1 = uni_p[a]
        if w1:
            n = bi.get(b * SHIFT + a, 0)
            p1 = (n - DISCOUNT if n > DISCOUNT else 0.0) * w1[0] + w1[1] * p1
        w2s, out = self.w2, []
        for c in cids:
            cb = c * SHIFT + b
            w2 = w2s.get(cb)
            p = p1
            if w2:
                n = tri.get(cb * SHIFT + a, 0)
                p = (n - DISCOUNT if n > DISCOUNT else 0.0) * w2[0] + w2[1] * p1
            out.append(log(p))
        if key is not None:
            if len(self.rows) > 500_000:
                self.rows.clear()
            self.rows[(a, b, key, "column")] = out
        return out

    def id(self, syllable: str) -> int:
        return self.ids.get(syllable, -1)

    def to_arrays(self, prefix: str = "") -> dict:
        import numpy as np

        def pack(d):
            keys = np.fromiter(d.keys(), dtype=np.int64, count=len(d))
            vals = np.fromiter(d.values(), dtype=np.int32, count=len(d))
            order = np.argsort(keys)
            return keys[order], vals[order]

        uk, uv = pack(self.uni)
        bk, bv = pack(self.bi)
        tk, tv = pack(self.tri)
        arrays = dict(uni_k=uk, uni_v=uv, bi_k=bk, bi_v=bv, tri_k=tk, tri_v=tv)
        if prefix:  # a second model over the same vocabulary
            return {prefix + k: v for k, v in arrays.items()}
        return dict(arrays, vocab=np.array("\n".join(self.vocab[1:]).encode("utf-8")))

    @classmethod
    def from_arrays(cls, z, prefix: str = "") -> "LanguageModel":
        vocab = [BOS] + bytes(z["vocab"]).decode("utf-8").split("\n")

        def unpack(k, v):
            return dict(zip(z[prefix + k].tolist(), z[prefix + v].tolist()))

        return cls(vocab, unpack("uni_k", "uni_v"), unpack("bi_k", "bi_v"), unpack("tri_k", "tri_v"))
