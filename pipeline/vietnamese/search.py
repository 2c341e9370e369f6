"""The decoder's beam search over trigram states, compiled with numba.

Why: the search is the restorer's inner loop. In Python every step looks up, for each path kept and
each candidate, a bigram and a trigram count and two context weights in dicts (four million
lookups for a 4,300-word plan), which held decoding to a few thousand syllables a second. Here the
same counts live in open-addressing hash tables (numpy arrays built once per model) and the whole
search of a run of tokens is one compiled call.

`search` is the same search as `search_reference` (the plain-Python one it replaced, kept as the
definition and for the test that holds the two equal): the same scores, float operation by float
operation, the same merging of paths that reach one state, the same stable order and pruning, so
both choose the same syllables.
"""
from __future__ import annotations

import math
import operator

import numpy as np
from numba import njit

from pipeline.vietnamese.lm import DISCOUNT, SHIFT, LanguageModel

_HASH = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key × 2^64/φ


@njit(cache=True)
def _build(keys, bits):
    """An open-addressing table of `keys` (linear probing, 2^bits slots, -1 empty): its keys and,
    per slot, the index of the key in `keys`."""
    n = np.int64(1) << bits
    mask = n - 1
    table = np.full(n, -1, np.int64)
    where = np.zeros(n, np.int64)
    shift = np.uint64(64 - bits)
    for j in range(keys.shape[0]):
        i = np.int64((np.uint64(keys[j]) * _HASH) >> shift)
        while table[i] != -1:
            i = (i + 1) & mask
        table[i] = keys[j]
        where[i] = j
    return table, where


@njit(cache=True)
def _slot(table, bits, key):
    """The slot holding `key`, or -1."""
    mask = (np.int64(1) << bits) - 1
    i = np.int64((np.uint64(key) * _HASH) >> np.uint64(64 - bits))
    while True:
        k = table[i]
        if k == key:
            return i
        if k == -1:
            return -1
        i = (i + 1) & mask


@njit(cache=True)
def _back_off(table, bits, counts, key, inv, left, lower):
    """One order of interpolated absolute discounting: the discounted count of `key` (an n-gram)
    over its context's count (`inv` = 1 / count), plus the weight the discounts leave (`left`)
    times the lower order's probability; as `LanguageModel.row` computes it."""
    i = _slot(table, bits, key)
    n = counts[i] if i >= 0 else 0.0
    return (n - DISCOUNT if n > DISCOUNT else 0.0) * inv + left * lower


def hash_table(keys: np.ndarray) -> tuple[np.ndarray, np.int64, np.ndarray]:
    """(table, bits, where) for `keys` (see `_build`), with room for twice as many: at most half full."""
    bits = max(4, int(2 * max(1, len(keys)) - 1).bit_length())
    t, where = _build(keys, np.int64(bits))
    return t, np.int64(bits), where


class Tables:
    """One model's counts and context weights as hash tables (see `LanguageModel.row` for what they
    hold); built once per model object and kept on it."""

    def __init__(self, lm: LanguageModel):
        def counts(order: str):
            keys, vals = lm.counts(order)
            t, bits, where = hash_table(keys)
            return t, bits, np.where(t >= 0, vals[where].astype(np.float64), 0.0)

        def weights(order: str):
            keys, inv, left = lm.contexts(order)
            t, bits, where = hash_table(keys)
            return t, bits, np.where(t >= 0, inv[where], 0.0), np.where(t >= 0, left[where], 0.0)

        self.bi = counts("bi")
        self.tri = counts("tri")
        self.w1 = weights("bi")
        self.w2 = weights("tri")
        self._uni: tuple[list, np.ndarray] | None = None

    def uni(self, uni_p: list[float]) -> np.ndarray:
        """The model's unigram probabilities as an array; a document's second pass swaps in a
        mixed list, converted once per list."""
        if self._uni is None or self._uni[0] is not uni_p:
            self._uni = (uni_p, np.asarray(uni_p, dtype=np.float64))
        return self._uni[1]

    def args(self, uni_p: list[float]) -> tuple:
        return (self.uni(uni_p), *self.bi, *self.tri, *self.w1, *self.w2)


def tables(lm: LanguageModel) -> Tables:
    t = lm.__dict__.get("_tables")
    if t is None:
        t = lm.__dict__["_tables"] = Tables(lm)
    return t


@njit(cache=True)
def _logp(a, b, c, uni, bi_t, bi_bits, bi_v, tri_t, tri_bits, tri_v,
          w1_t, w1_bits, w1_inv, w1_left, w2_t, w2_bits, w2_inv, w2_left):
    """log P(c | a, b), as `LanguageModel.row` computes it."""
    p = uni[c]
    s = _slot(w1_t, w1_bits, b)
    if s >= 0:
        p = _back_off(bi_t, bi_bits, bi_v, b * SHIFT + c, w1_inv[s], w1_left[s], p)
    ab = a * SHIFT + b
    s = _slot(w2_t, w2_bits, ab)
    if s >= 0:
        p = _back_off(tri_t, tri_bits, tri_v, ab * SHIFT + c, w2_inv[s], w2_left[s], p)
    return math.log(p)


@njit(cache=True)
def _search(cids, xs, offs, width, delta, has_back, wf, wb,
            fu, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14,
            bu, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14):
    # each model's tables, in `Tables.args` order: unigrams (u); bigrams' table, bits, counts (1-3);
    # trigrams' (4-6); bigram contexts' table, bits, 1/count, weight left to the lower order (7-10);
    # trigram contexts' (11-14)
    steps = offs.shape[0] - 1
    kmax = 1
    for t in range(steps):
        kmax = max(kmax, offs[t + 1] - offs[t])
    # every path kept at every step: its candidate and the path it extends (for the way back)
    cand = np.empty(steps * width, np.int64)
    parent = np.empty(steps * width, np.int64)
    made = 0
    score = np.zeros(width)
    pa = np.zeros(width, np.int64)     # the state: the last two syllables' ids
    pb = np.zeros(width, np.int64)
    pid = np.full(width, -1, np.int64)
    n = 1
    # the states reached at a step, keyed by (which of the previous `b`s, candidate): dense
    bs = np.empty(width, np.int64)
    # ... and, per previous `b` and candidate, P(c | b) interpolated with the unigram: the same for
    # every path that ends in that `b` (one lookup fewer per path and candidate)
    bip = np.empty(width * kmax)
    bctx = np.full(width * kmax, -1, np.int64)  # ... and the backward context (c, b)'s slot
    slot_of = np.full(width * kmax, -1, np.int64)
    s_score = np.empty(width * kmax)
    s_a = np.empty(width * kmax, np.int64)
    s_b = np.empty(width * kmax, np.int64)
    s_parent = np.empty(width * kmax, np.int64)
    s_cand = np.empty(width * kmax, np.int64)
    s_key = np.empty(width * kmax, np.int64)
    order = np.empty(width, np.int64)
    for t in range(steps):
        lo = offs[t]
        k = offs[t + 1] - lo
        nb = 0
        m = 0
        for e in range(n):
            a = pa[e]
            b = pb[e]
            j = -1
            for q in range(nb):
                if bs[q] == b:
                    j = q
                    break
            if j < 0:
                bs[nb] = b
                j = nb
                nb += 1
                s1 = _slot(f7, f8, b)
                for q in range(k):
                    c = cids[lo + q]
                    p = fu[c]
                    if s1 >= 0:
                        p = _back_off(f1, f2, f3, b * SHIFT + c, f9[s1], f10[s1], p)
                    bip[j * k + q] = p
                    if has_back and t >= 2:
                        bctx[j * k + q] = _slot(b11, b12, c * SHIFT + b)
            # what depends on the state alone, looked up once for all candidates (as `row` and
            # `column` do): the forward context (a, b); backward, P(a | b) so far
            ab = a * SHIFT + b
            s2 = _slot(f11, f12, ab)
            back2 = has_back and t >= 2
            p1 = 0.0
            if back2:
                p1 = bu[a]
                r1 = _slot(b7, b8, b)
                if r1 >= 0:
                    p1 = _back_off(b1, b2, b3, b * SHIFT + a, b9[r1], b10[r1], p1)
            for q in range(k):
                c = cids[lo + q]
                p = bip[j * k + q]
                if s2 >= 0:
                    p = _back_off(f4, f5, f6, ab * SHIFT + c, f13[s2], f14[s2], p)
                f = math.log(p)
                if not has_back:
                    lp = f
                elif back2:
                    g = p1
                    r2 = bctx[j * k + q]
                    if r2 >= 0:
                        g = _back_off(b4, b5, b6, (c * SHIFT + b) * SHIFT + a, b13[r2], b14[r2], p1)
                    lp = wf * f + wb * math.log(g)
                else:
                    lp = wf * f
                s = score[e] + xs[lo + q] + lp
                key = j * k + q
                i = slot_of[key]
                if i < 0:
                    slot_of[key] = m
                    s_key[m] = key
                    s_score[m] = s
                    s_a[m] = b
                    s_b[m] = c
                    s_parent[m] = pid[e]
                    s_cand[m] = q
                    m += 1
                elif s_score[i] < s:
                    s_score[i] = s
                    s_parent[i] = pid[e]
        # the best `width` states, best first, ties in the order reached (a stable sort's first
        # `width`), by insertion: most states fall below the last one kept and cost one comparison
        n = 0
        for i in range(m):
            s = s_score[i]
            if n == width and s <= s_score[order[n - 1]]:
                continue
            r = n if n < width else n - 1
            while r > 0 and s_score[order[r - 1]] < s:
                order[r] = order[r - 1]
                r -= 1
            order[r] = i
            if n < width:
                n += 1
        floor = s_score[order[0]] - delta
        while n > 1 and s_score[order[n - 1]] < floor:
            n -= 1
        for r in range(n):
            i = order[r]
            score[r] = s_score[i]
            pa[r] = s_a[i]
            pb[r] = s_b[i]
            cand[made] = s_cand[i]
            parent[made] = s_parent[i]
            pid[r] = made
            made += 1
        for i in range(m):
            slot_of[s_key[i]] = -1
    best = 0
    if has_back:  # the last two syllables, read backwards from the end of the run
        final = np.empty(n)
        for e in range(n):
            b = pb[e]
            if steps >= 2:
                a = pa[e]
                final[e] = score[e] + wb * (
                    _logp(0, 0, b, bu, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14)
                    + _logp(0, b, a, bu, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14))
            else:
                final[e] = score[e] + wb * _logp(0, 0, b, bu, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11,
                                                 b12, b13, b14)
        best = np.argsort(-final, kind="mergesort")[0]
    out = np.empty(steps, np.int64)
    g = pid[best]
    for t in range(steps - 1, -1, -1):
        out[t] = cand[g]
        g = parent[g]
    return out


def search(run, lm: LanguageModel, lmb: LanguageModel | None, width: int, delta: float,
           forward_weight: float) -> list[int]:
    """For each step of `run` ((index, [(id, syllable, channel log p), …], key) as the decoder
    builds it), the index of the chosen candidate."""
    ids = [c[0] for _, cands, _ in run for c in cands]
    xs = [c[2] for _, cands, _ in run for c in cands]
    offs = np.zeros(len(run) + 1, np.int64)
    np.cumsum([len(cands) for _, cands, _ in run], out=offs[1:])
    back = lmb is not None
    wf, wb = (forward_weight, 1.0 - forward_weight) if back else (1.0, 0.0)
    fwd = tables(lm).args(lm.uni_p)
    bwd = tables(lmb).args(lmb.uni_p) if back else fwd
    chosen = _search(np.array(ids, np.int64), np.array(xs, np.float64), offs, np.int64(width),
                     float(delta), back, float(wf), float(wb), *fwd, *bwd)
    return chosen.tolist()


_first = operator.itemgetter(0)


def search_reference(run, lm: LanguageModel, lmb: LanguageModel | None, width: int, delta: float,
                     forward_weight: float) -> list[int]:
    """The search in plain Python, over the models' dicts: what `search` computes, kept as its
    definition. A path scores by the forward and the backward model at once: at each step the
    triple (a, b, c) gives P(c | a, b) and, read backwards, P(a | b, c); both fit the same state."""
    row = lm.row
    back = lmb.logp if lmb is not None else None
    column = lmb.column if lmb is not None else None
    wf, wb = (forward_weight, 1.0 - forward_weight) if back else (1.0, 0.0)
    beam = [(0.0, 0, 0, None)]
    for step, (_, cands, _) in enumerate(run):
        cids = tuple(sid for sid, _, _ in cands)
        nxt: dict[tuple[int, int], tuple] = {}
        for score, a, b, link in beam:
            if not back:
                lps = row(a, b, cids)
            elif step >= 2:
                lps = [wf * f + wb * g for f, g in zip(row(a, b, cids), column(a, b, cids))]
            else:
                lps = [wf * f for f in row(a, b, cids)]
            for q, ((c, _, x), lpm) in enumerate(zip(cands, lps)):
                s = score + x + lpm
                old = nxt.get((b, c))
                if old is None or old[0] < s:
                    nxt[(b, c)] = (s, b, c, (q, link))
        beam = sorted(nxt.values(), key=_first, reverse=True)
        floor = beam[0][0] - delta
        n = min(width, len(beam))
        while n > 1 and beam[n - 1][0] < floor:
            n -= 1
        del beam[n:]
    if back:
        if len(run) >= 2:
            beam = [(s + wb * (back(0, 0, b) + back(0, b, a)), a, b, link) for s, a, b, link in beam]
        else:
            beam = [(s + wb * back(0, 0, b), a, b, link) for s, a, b, link in beam]
        beam.sort(key=_first, reverse=True)
    best, path = beam[0][3], []
    while best is not None:
        path.append(best[0])
        best = best[1]
    return path[::-1]
