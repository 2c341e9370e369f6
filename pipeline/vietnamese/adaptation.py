"""Archive-adaptive restoration: the clean plans of a run teach the model before its damaged ones are
restored.

An archive's born-digital plans share their province's names, agencies and phrasing with the scans
and stripped copies beside them; their syllable n-grams, added to the base model's counts, restore
those better than the base model alone. `chitieu extract` does this by default (`--no-adapt` turns
it off): a first pass reads every document, the clean ones (Unicode text, no OCR, nothing restored)
adapt the model, and a second pass restores the damaged ones with it. The clean texts are kept in
the cache, so a later run into the same output folder learns from them too (`remember`).

The adapted model is a file like the base one, named by the hash of the base model and the texts it
learned (sorted, so the order documents finish in changes nothing), kept in the run's cache folder;
its id (`restore-` + the hash of its bytes) goes into documents.csv, run.json and the cache keys.
The OCR candidate indexes are the base model's: the vocabulary only grows at its end, so their
syllable ids stay valid.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

log = logging.getLogger(__name__)

WEIGHT = 3         # each n-gram of the run's clean plans counts this many times beside the base counts
MIN_SYLLABLES = 500  # fewer clean syllables than this teach nothing worth a second pass
REMEMBERED = "clean-texts"  # the cache kind holding clean documents' texts, by sha256


def teaches(document: dict) -> bool:
    """A document whose text may teach the model: read cleanly, not OCR'd, nothing restored, not a
    copy of another."""
    return (document.get("status") == "ok" and document.get("text_condition") == "clean"
            and not document.get("ocr") and not document.get("restored_share")
            and not document.get("duplicate_of"))


def was_restored(document: dict) -> bool:
    """A document the adapted model would restore differently: something in it was restored."""
    return document.get("status") == "ok" and bool(document.get("restored_share"))


def remember(texts: dict[str, str]) -> dict[str, str]:
    """The texts of this run's clean documents (by sha256) kept in the cache, and with them those
    that earlier runs with the same cache (`OUT/.cache` of one output folder) kept: a folder of
    scans added to a dataset after its clean plans is restored with what those plans taught."""
    from pipeline import cache

    for sha, text in texts.items():
        cache.put(REMEMBERED, sha, text)
    return {**{sha: text for sha, text in cache.values(REMEMBERED) if isinstance(text, str)}, **texts}


def adapted_model(base: Path, texts: list[str], cache_dir: Path) -> Path | None:
    """The folder of the base model adapted to `texts` (made once, then found in `cache_dir`), or
    None when the texts are too few to teach anything."""
    from pipeline.vietnamese.modelfile import sha256
    from pipeline.vietnamese.tokens import lm_sequences

    texts = sorted(texts)
    segments = [seg for t in texts for seg in lm_sequences(t)]
    if sum(len(s) for s in segments) < MIN_SYLLABLES:
        return None
    h = hashlib.sha256(f"{sha256(base)}:{WEIGHT}".encode())
    for t in texts:
        h.update(hashlib.sha256(t.encode("utf-8")).digest())
    folder = cache_dir / "models" / h.hexdigest()[:16]
    if (folder / "restore.npz").exists():
        return folder
    import numpy as np

    from pipeline.vietnamese.modelfile import write_model

    z = np.load(base)
    arrays, syllables = adapted_arrays(z, segments, WEIGHT)
    arrays.update({name: z[name] for name in z.files if name.startswith("ocr_")})
    folder.mkdir(parents=True, exist_ok=True)
    write_model(folder / "restore.npz", arrays)
    log.info("adapted the restoration model on %d clean documents (%d syllables) -> %s",
             len(texts), syllables, folder)
    return folder


def adapted_arrays(z, segments: list[list[str]], weight: int) -> tuple[dict, int]:
    """The arrays of a model file `z` with `segments` added to its counts, `weight` times each, in
    the forward and (when it has one) the backward model and in its case counts (casing.py), and its
    channel; and how many syllables were added. New words join the vocabulary at its end, so every
    id of the base model stays."""
    import numpy as np

    from pipeline.vietnamese.lm import LanguageModel, merge

    forward = LanguageModel.from_arrays(z)
    extra = LanguageModel.train(segments)
    vocab = forward.vocab + sorted(set(extra.vocab) - set(forward.vocab))
    merged = merge(forward, extra, vocab, weight)
    arrays = merged.to_arrays()
    if "bwd_uni_k" in z.files:  # the backward model learns the same text read right to left
        backward = LanguageModel.train([s[::-1] for s in segments], vocab=vocab)
        arrays.update(merge(LanguageModel.from_arrays(z, "bwd_"), backward, vocab, weight).to_arrays("bwd_"))
    arrays["channel"] = z["channel"]
    if "case_cap" in z.files:  # and how the text writes each syllable's case (casing.py)
        from pipeline.vietnamese.casing import counts as case_counts

        cap, low = case_counts(segments)
        grown = len(vocab) - len(forward.vocab)
        for name, seen in (("case_cap", cap), ("case_low", low)):
            counts = z[name].astype(np.int64).tolist() + [0] * grown
            for word, n in seen.items():
                counts[merged.ids[word]] += weight * n
            arrays[name] = np.array(counts, dtype=np.int32)
    return arrays, extra.total
