"""A syllable trigram language model with interpolated absolute discounting.

N-grams are integers (syllable ids packed into one int). Counts are sorted arrays, as the model
file stores them, from which the compiled search (search.py) builds its hash tables; the plain
dicts of the Python paths are made on demand.
"""
from __future__ import annotations

import math
from collections import Counter
from functools import cached_property

from pipeline.vietnamese.syllables import canonical

BOS = "<s>"
# What each seen n-gram gives up to the lower orders. The counts are of legal codes and news, and a
# plan goes on from a pair of syllables differently: a seen trigram says less about a plan than its
# count would about a code, so the lower orders get more weight than the count statistics alone
# give them (Chen & Goodman's estimate from this model's counts of counts is 0.65-0.76 for one
# discount). Measured with benchmarks.errors on the damaged dev plans (syllable errors, Liberation
# OCR / DejaVu OCR / stripped): 0.7 gives 744 / 607 / 583; 0.8 740 / 590 / 561; 0.85 733 / 592 /
# 558; 0.9 735 / 603 / 565. Also measured and not taken: the bigram order by continuation counts
# (Kneser-Ney), and three discounts by count (modified Kneser-Ney): fewer letter errors on
# Liberation OCR, but `cho` (it follows every word) then outweighed a market plan's `chợ`, and
# extraction recall on stripped text fell from 0.984 to 0.956-0.973.
DISCOUNT = 0.85
SHIFT = 1 << 20


def _sorted(counts: dict[int, int]):
    """A count dict as (keys sorted, counts): the form a model file stores."""
    import numpy as np

    keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    vals = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    order = np.argsort(keys, kind="stable")
    return keys[order], vals[order]


def _context_arrays(keys, vals):
    """For each context (an n-gram key without its last id), from sorted counts: the contexts, 1 /
    their count, and the weight their discounts leave to the lower order (numpy: several times
    faster than dicts when a model is loaded)."""
    import numpy as np

    if not len(keys):
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
    ctx = keys // SHIFT
    starts = np.flatnonzero(np.r_[True, ctx[1:] != ctx[:-1]])
    n = np.add.reduceat(vals.astype(np.int64), starts)
    types = np.diff(np.r_[starts, len(keys)])
    return ctx[starts], 1.0 / n, DISCOUNT * types / n


class LanguageModel:
    """Counts of one direction. A model read from a file keeps its counts as the file's sorted
    arrays (what the compiled search builds its tables from); the dicts of the pure-Python paths
    (training, adaptation, the reference search) are made from them when first asked for."""

    def __init__(self, vocab: list[str], uni: dict[int, int], bi: dict[int, int] | None, tri: dict[int, int] | None,
                 arrays: dict | None = None):
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.uni = uni
        self._bi, self._tri = bi, tri
        self._arrays = dict(arrays or {})
        self.total = sum(uni.values())
        denom = self.total + 0.5 * len(vocab)
        self.uni_p = [(uni.get(i, 0) + 0.5) / denom for i in range(len(vocab))]

    def counts(self, order: str):
        """(keys sorted, counts) of the bigrams (`bi`) or trigrams (`tri`)."""
        if order not in self._arrays:
            self._arrays[order] = _sorted(self._bi if order == "bi" else self._tri)
        return self._arrays[order]

    def contexts(self, order: str):
        """(contexts, 1 / count, weight left) of the bigrams' (`bi`) or trigrams' (`tri`) contexts."""
        k = "ctx_" + order
        if k not in self._arrays:
            self._arrays[k] = _context_arrays(*self.counts(order))
        return self._arrays[k]

    def _count_dict(self, order: str) -> dict[int, int]:
        k, v = self.counts(order)
        return dict(zip(k.tolist(), v.tolist()))

    def _context_dict(self, order: str) -> dict[int, tuple[float, float]]:
        ctx, inv, left = self.contexts(order)
        return dict(zip(ctx.tolist(), zip(inv.tolist(), left.tolist())))

    @property
    def bi(self) -> dict[int, int]:
        if self._bi is None:
            self._bi = self._count_dict("bi")
        return self._bi

    @property
    def tri(self) -> dict[int, int]:
        if self._tri is None:
            self._tri = self._count_dict("tri")
        return self._tri

    @cached_property
    def w1(self) -> dict[int, tuple[float, float]]:
        """Per bigram context: 1 / its count, and the weight its discounts leave to the unigrams."""
        return self._context_dict("bi")

    @cached_property
    def w2(self) -> dict[int, tuple[float, float]]:
        """Per trigram context: the same, left to the bigrams."""
        return self._context_dict("tri")

    @classmethod
    def train(cls, sentences, vocab_extra=(), vocab: list[str] | None = None, trigrams=(),
              weight: int = 1) -> "LanguageModel":
        """Counts of the sentences, plus `trigrams` ((a, b, c), n) counted `weight` times each
        (text kept only as counts: the archive's plan register); `vocab` fixes the ids (a backward
        model shares its forward model's)."""
        uni, bi, tri = Counter(), Counter(), Counter()
        ids: dict[str, int] = {w: i for i, w in enumerate(vocab)} if vocab else {BOS: 0}

        def sid(w: str) -> int:
            return 0 if w == BOS else ids.setdefault(canonical(w.lower()), len(ids))

        for words in sentences:
            seq = [0, 0] + [sid(w) for w in words]
            for i in range(2, len(seq)):
                a, b, c = seq[i - 2], seq[i - 1], seq[i]
                uni[c] += 1
                bi[b * SHIFT + c] += 1
                tri[(a * SHIFT + b) * SHIFT + c] += 1
        for (wa, wb, wc), n in (trigrams if weight > 0 else ()):
            a, b, c = sid(wa), sid(wb), sid(wc)
            uni[c] += weight * n
            bi[b * SHIFT + c] += weight * n
            tri[(a * SHIFT + b) * SHIFT + c] += weight * n
        for w in vocab_extra:
            ids.setdefault(w, len(ids))
        vocab = [None] * len(ids)
        for w, i in ids.items():
            vocab[i] = w
        return cls(vocab, dict(uni), dict(bi), dict(tri))

    def logp(self, a: int, b: int, c: int) -> float:
        """log P(c | a, b)."""
        return self.row(a, b, (c,))[0]

    def row(self, a: int, b: int, cids: tuple[int, ...]) -> list[float]:
        """`logp(a, b, c)` for every c of `cids` at once: the context's weights are looked up once
        (the reference search's inner loop; the compiled one computes the same in search.py)."""
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
        return out

    def column(self, a: int, b: int, cids: tuple[int, ...]) -> list[float]:
        """`logp(c, b, a)` for every c of `cids`: how likely `a` is before `b c` when this model was
        trained right to left (the backward model's term at a step of the forward search)."""
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
        raw = {n: (z[f"{prefix}{n}_k"], z[f"{prefix}{n}_v"]) for n in ("uni", "bi", "tri")}
        uni = dict(zip(raw["uni"][0].tolist(), raw["uni"][1].tolist()))
        return cls(vocab, uni, None, None, arrays={"bi": raw["bi"], "tri": raw["tri"]})


def merge(base: LanguageModel, extra: LanguageModel, vocab: list[str], weight: int) -> LanguageModel:
    """The base model's counts plus `extra`'s, `weight` times each, over one vocabulary (a forward
    and a backward model must keep sharing their ids): adaptation to an archive's own plans."""
    merged = LanguageModel.train([], vocab=vocab)
    ids = merged.ids

    def move(src: LanguageModel, w: int):
        conv = [ids[word] for word in src.vocab]
        for k, c in src.uni.items():
            merged.uni[conv[k]] = merged.uni.get(conv[k], 0) + w * c
        for k, c in src.bi.items():
            key = conv[k // SHIFT] * SHIFT + conv[k % SHIFT]
            merged.bi[key] = merged.bi.get(key, 0) + w * c
        for k, c in src.tri.items():
            a, rest = divmod(k, SHIFT * SHIFT)
            b, cc = divmod(rest, SHIFT)
            key = (conv[a] * SHIFT + conv[b]) * SHIFT + conv[cc]
            merged.tri[key] = merged.tri.get(key, 0) + w * c

    move(base, 1)
    move(extra, weight)
    return LanguageModel(merged.vocab, merged.uni, merged.bi, merged.tri)
