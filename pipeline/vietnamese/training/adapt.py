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

from pipeline.vietnamese.modelfile import sha256
from pipeline.vietnamese.training import corpus
from pipeline.vietnamese.training.build import write_with_ocr_indexes
from pipeline.vietnamese.lm import LanguageModel, merge

WEIGHT = 10


def clean_texts(folder: Path) -> list[tuple[str, str]]:
    from pipeline.ingest import ingest
    from pipeline.normalise import join_paragraphs, nfc_with_offsets, text_condition
    from pipeline.record import Document, StageError
    from pipeline.discover import collect_inputs

    out = []
    for inp in collect_inputs([str(folder)]):
        try:
            doc = ingest(Document(path=str(inp.path), doc_id=inp.doc_id))
        except StageError:
            continue
        text, _ = join_paragraphs(*nfc_with_offsets(doc.raw))
        if text_condition(text) == "clean":
            out.append((doc.sha256, text))
    return out


def adapt(base: Path, folder: Path, out: Path, log=print) -> dict:
    z = np.load(base / "restore.npz")
    docs = clean_texts(folder)
    segments = [seg for _, text in docs for seg in corpus.segments(text)]
    lm = LanguageModel.from_arrays(z)
    extra = LanguageModel.train(segments)
    vocab = lm.vocab + sorted(set(extra.vocab) - set(lm.vocab))
    arrays = merge(lm, extra, vocab, WEIGHT).to_arrays()
    if "bwd_uni_k" in z.files:  # the backward model learns the same text read right to left
        arrays.update(merge(LanguageModel.from_arrays(z, "bwd_"),
                            LanguageModel.train([seg[::-1] for seg in segments]), vocab, WEIGHT).to_arrays("bwd_"))
    extra_total = extra.total
    arrays["channel"] = z["channel"]
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
