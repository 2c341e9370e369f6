"""Duplicates in a batch: byte-identical files, and the same text in two files.

An archive often holds one plan twice: a `.txt` and a `.docx` of it, a PDF and the Word file it was
printed from. Counting both would count every target twice in the comparison, so the later copy is
marked `duplicate_of` the first and contributes no rows.

Byte copies are found from the sha256 before anything is read. Copies in another format are found
after reading, from the normalised text: each text becomes the set of its word 5-grams (shingles),
a MinHash signature of that set proposes candidate pairs (locality-sensitive hashing in bands, so a
large archive is not compared pair by pair), and a candidate pair is a duplicate when the exact
Jaccard similarity of the two shingle sets reaches `THRESHOLD`.

The threshold was measured (`python -m benchmarks.duplicates`) on the dev set (../shared/devset,
plans and archive: 119 documents): the same plan as a Word file and as the PDF LibreOffice prints
from it scores 0.871-1.0 (15 plans; the lowest are DOCX files with tables, which a PDF reads cell by
cell in another order). The most similar distinct documents score at most 0.770 (two decisions of
one province on one template, fees for two different licences) and 0.746 (two drafts of one
province's administrative-reform plan, for 2026 and for 2026-2030). 0.82 sits between.

Two guards keep apart plans that share a template: only texts of different formats are compared
(two files of one format are two versions, or the spec's UTF-8 and UTF-16 copies, which it keeps as
two documents), and two texts are one plan only if their province, number and date agree and the
target figures of one are all figures of the other: a plan copied with a few figures changed (a
revision, or another district's copy of a template) scores above 0.95 but is another document.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import regex

log = logging.getLogger(__name__)

SHINGLE = 5          # words per shingle
PERMUTATIONS = 64    # MinHash signature length
BANDS = 32           # LSH bands of PERMUTATIONS // BANDS rows: pairs near 0.2 Jaccard or above become candidates
THRESHOLD = 0.82     # exact Jaccard of the shingle sets at or above which two texts are one plan
MIN_SHINGLES = 20    # shorter texts are too short to call near-duplicates: only byte copies count
WORD = regex.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE) -> set[int]:
    """The text's word k-grams, lowercased and hashed to 64 bits (stable across processes)."""
    words = WORD.findall(text.lower())
    grams = (" ".join(words[i:i + k]) for i in range(max(0, len(words) - k + 1)))
    return {int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "big") for g in grams}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _params():
    import numpy as np

    rng = np.random.default_rng(20240613)  # fixed: signatures are the same in every run
    a = rng.integers(1, 1 << 63, PERMUTATIONS, dtype=np.uint64) | np.uint64(1)  # odd: a bijection
    b = rng.integers(0, 1 << 63, PERMUTATIONS, dtype=np.uint64)
    return a, b


def signature(sh: set[int]):
    """MinHash: for each of PERMUTATIONS hash functions, the smallest hash of any shingle."""
    import numpy as np

    a, b = _params()
    x = np.fromiter(sh, dtype=np.uint64, count=len(sh))
    # a*x + b wrapping at 2**64: a fixed mixing of x per function; the minimum is decided by the
    # well-mixed high bits
    h = (a[:, None] * x[None, :] + b[:, None])
    return h.min(axis=1)


@dataclass
class Text:
    key: str        # doc_id
    kind: str       # its format: only texts of different formats are compared
    rank: tuple     # the lowest rank of a duplicate group is kept as the original
    text: str
    facts: tuple = ()  # (province, doc_number, issued_date): copies of one plan cannot disagree
    figures: frozenset = frozenset()  # the values of its targets


def _agree(a: Text, b: Text) -> bool:
    """Nothing tells the two apart: the same province, number and date where both have one, and
    every target figure of one is a figure of the other (a copy read from another format may miss a
    table row; a revision that changed a figure is another document)."""
    if not all(x == y for x, y in zip(a.facts, b.facts) if x and y):
        return False
    return a.figures <= b.figures or b.figures <= a.figures


def near_duplicates(texts: list[Text], threshold: float = THRESHOLD) -> dict[str, tuple[str, float]]:
    """{doc_id of a copy: (doc_id of its original, similarity)} for texts of different formats that
    are one plan. The dataset spec keeps two files of one format that differ in bytes (UTF-8 and
    UTF-16) as two documents; two versions of one plan in one format (a draft and its revision)
    are two documents too."""
    items = sorted(texts, key=lambda t: t.rank)
    sets = [shingles(t.text) for t in items]
    usable = [i for i, s in enumerate(sets) if len(s) >= MIN_SHINGLES]
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple, list[int]] = {}
    for i in usable:
        sig = signature(sets[i])
        for band in range(BANDS):
            buckets.setdefault((band, sig[band * rows:(band + 1) * rows].tobytes()), []).append(i)
    candidates = {(i, j) for members in buckets.values() for n, i in enumerate(members) for j in members[n + 1:]}
    original: dict[int, tuple[int, float]] = {}
    for i, j in sorted(candidates):
        if j in original or items[i].kind == items[j].kind or not _agree(items[i], items[j]):
            continue
        sim = jaccard(sets[i], sets[j])
        log.debug("similarity %s ~ %s: %.3f", items[i].key, items[j].key, sim)
        if sim >= threshold:
            root = original[i][0] if i in original else i
            original[j] = (root, sim)
    return {items[j].key: (items[i].key, sim) for j, (i, sim) in original.items()}
