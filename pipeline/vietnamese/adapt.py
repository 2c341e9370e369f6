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

from pipeline.vietnamese import corpus
from pipeline.vietnamese.build import write_model
from pipeline.vietnamese.lm import LanguageModel

WEIGHT = 10


def clean_texts(folder: Path) -> list[tuple[str, str]]:
    from pipeline.ingest import ingest
    from pipeline.normalise import join_paragraphs, nfc_with_offsets, text_condition
    from pipeline.record import Document, StageError
    from pipeline.run import collect_inputs

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
    lm = LanguageModel.from_arrays(z)
    docs = clean_texts(folder)
    segments = [seg for _, text in docs for seg in corpus.segments(text)]
    extra = LanguageModel.train(segments)
    merged = LanguageModel.train([], vocab_extra=lm.vocab[1:] + extra.vocab[1:])
    ids = merged.ids

    def move(src: LanguageModel, weight: int):
        from pipeline.vietnamese.lm import SHIFT
        conv = [ids[w] for w in src.vocab]
        for k, c in src.uni.items():
            merged.uni[conv[k]] = merged.uni.get(conv[k], 0) + weight * c
        for k, c in src.bi.items():
            key = conv[k // SHIFT] * SHIFT + conv[k % SHIFT]
            merged.bi[key] = merged.bi.get(key, 0) + weight * c
        for k, c in src.tri.items():
            a, rest = divmod(k, SHIFT * SHIFT)
            b, cc = divmod(rest, SHIFT)
            key = (conv[a] * SHIFT + conv[b]) * SHIFT + conv[cc]
            merged.tri[key] = merged.tri.get(key, 0) + weight * c

    move(lm, 1)
    move(extra, WEIGHT)
    arrays = merged.to_arrays()
    arrays["channel"] = z["channel"]
    out.mkdir(parents=True, exist_ok=True)
    write_model(out / "restore.npz", arrays)
    base_manifest = json.loads((base / "manifest.json").read_text("utf-8")) if (base / "manifest.json").exists() else {}
    manifest = dict(base_manifest, model="restore.npz", sha256=corpus.sha256(out / "restore.npz"),
                    adapted_from=dict(base=str(base), sha256=corpus.sha256(base / "restore.npz")),
                    adaptation=dict(folder=str(folder), weight=WEIGHT, documents=[h for h, _ in sorted(docs)],
                                    syllables=extra.total))
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"adapted model: {len(docs)} clean documents, {extra.total} syllables -> {out / 'restore.npz'}")
    return manifest
