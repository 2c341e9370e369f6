"""`chitieu model adapt FOLDER`: adapt the base language model to an archive's own plans.

Most archives hold born-digital plans beside damaged ones. Their syllable
n-grams, added to the base model's counts (weighted, since plans are few
beside the legal codes), teach the model the register of plans: `toàn tỉnh`,
`hộ nghèo`, `phủ sóng`. Only documents whose text is clean Unicode
Vietnamese are used. The adapted model is a new file with its own id, so
every cache key and documents.csv row says which model restored a text.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from pipeline.record import StageError
from pipeline.vietnamese.adaptation import adapted_arrays
from pipeline.vietnamese.modelfile import sha256
from pipeline.vietnamese.training import archive, corpus
from pipeline.vietnamese.training.build import write_with_ocr_indexes

WEIGHT = 10


def clean_texts(folder: Path) -> list[tuple[str, str]]:
    """(sha256, text) of the folder's documents whose text is clean Unicode Vietnamese, read as the
    pipeline reads them."""
    out = []
    for p in archive.files_in(folder):
        try:
            text, condition = archive.read_text(p)
        except StageError:
            continue
        if condition == "clean":
            out.append((sha256(p), text))
    return out


def adapt(base: Path, folder: Path, out: Path, log=print) -> dict:
    z = np.load(base / "restore.npz")
    docs = clean_texts(folder)
    segments = [seg for _, text in docs for seg in corpus.segments(text)]
    arrays, extra_total = adapted_arrays(z, segments, WEIGHT)
    out.mkdir(parents=True, exist_ok=True)
    write_with_ocr_indexes(out / "restore.npz", arrays)  # the prior changed: so does the index
    base_manifest = json.loads((base / "manifest.json").read_text("utf-8")) if (base / "manifest.json").exists() else {}
    manifest = dict(base_manifest, model="restore.npz", sha256=sha256(out / "restore.npz"),
                    adapted_from=dict(base=str(base), sha256=sha256(base / "restore.npz")),
                    adaptation=dict(folder=str(folder), weight=WEIGHT, documents=[h for h, _ in sorted(docs)],
                                    syllables=extra_total))
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"adapted model: {len(docs)} clean documents, {extra_total} syllables -> {out / 'restore.npz'}")
    return manifest
