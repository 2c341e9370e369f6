"""The plan register, learned from public provincial documents and shipped as counts only.

    python -m pipeline.vietnamese.training.archive FOLDER [--exclude FOLDER ...]
    (`make archive-counts` runs it on ../shared/devset/archive, excluding the dev plans and samples)

The base model's text is legal codes and news: `của tỉnh` is rare there and everywhere in plans, so a
stripped `cua tinh` came out `của mình`. Provincial plans, decisions and resolutions (Vietnamese state
documents, not under copyright) teach the model that register. What the repository keeps of them is
derived counts (syllable n-grams, as the language model tokenises them) in
`pipeline/vietnamese/data/archive_counts.npz` with a manifest of each source file's sha256, never
their text, so that `make model` rebuilds the model bit for bit from what the repository holds.

A document is learned from only when its text is clean Unicode Vietnamese (a stripped or OCR-damaged
one would teach its damage) and when it shares no long passages with the held-out documents (the dev
plans and the samples are for measuring: an archive copy of a plan, or a draft of it, would leak the
answers into the model). Shared passages are counted as word 8-grams: a document is excluded when more
than EXCLUDE_SHARE of its 8-grams occur in one held-out document (a copy or a draft of it), and of the
others every line that shares an 8-gram with a held-out document is left out (the legal bases and
closing formulas all plans repeat: the register, but also text the measurement must not have seen).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from pipeline.vietnamese.modelfile import sha256, write_model
from pipeline.vietnamese.tokens import lm_sequences

DATA = Path(__file__).parents[1] / "data"
COUNTS = DATA / "archive_counts.npz"
MANIFEST = DATA / "archive_counts.json"
SHINGLE = 8
EXCLUDE_SHARE = 0.3


def read_text(path: Path) -> tuple[str, str]:
    """(normalised text, text condition) of one file, read as the pipeline reads it."""
    from pipeline.ingest import ingest
    from pipeline.normalise import join_paragraphs, nfc_with_offsets, text_condition
    from pipeline.record import Document

    doc = ingest(Document(path=str(path), doc_id=path.stem))
    text, _ = join_paragraphs(*nfc_with_offsets(doc.raw))
    return text, text_condition(text)


def shingles(text: str) -> set[int]:
    words = text.lower().split()
    return {hash(" ".join(words[i:i + SHINGLE])) for i in range(max(0, len(words) - SHINGLE + 1))}


def files_in(folder: Path) -> list[Path]:
    from pipeline.discover import collect_inputs

    return sorted(inp.path for inp in collect_inputs([str(folder)]))


def learn(folder: Path, exclude: list[Path], log=print) -> dict:
    held: list[set[int]] = []
    for ex in exclude:
        for p in files_in(ex):
            try:
                held.append(shingles(read_text(p)[0]))
            except Exception as e:  # a held-out file we cannot read cannot leak either
                log(f"held-out {p.name}: not read ({e})")
    every_held = set().union(*held) if held else set()
    counts: dict[tuple[str, ...], int] = Counter()
    used, skipped = [], []
    for p in files_in(folder):
        try:
            text, condition = read_text(p)
        except Exception as e:
            skipped.append(dict(file=p.name, sha256=sha256(p), reason=f"not read: {type(e).__name__}"))
            continue
        if condition != "clean":
            skipped.append(dict(file=p.name, sha256=sha256(p), reason=f"text is {condition}"))
            continue
        own = shingles(text)
        share = max((len(own & h) / max(1, len(own)) for h in held), default=0.0)
        if share > EXCLUDE_SHARE:
            skipped.append(dict(file=p.name, sha256=sha256(p), reason=f"shares {share:.0%} of its passages "
                                                                          "with a held-out document"))
            continue
        n = dropped = 0
        for line in text.split("\n"):
            if shingles(line) & every_held:
                dropped += 1
                continue
            seq = next(lm_sequences(line), None)
            if not seq:
                continue
            for direction, words in (("fwd", seq), ("bwd", seq[::-1])):
                padded = ["<s>", "<s>"] + words
                for i in range(2, len(padded)):
                    counts[(direction, *padded[i - 2:i + 1])] += 1
            n += len(seq)
        used.append(dict(file=p.name, sha256=sha256(p), syllables=n, lines_left_out=dropped))
    grams = sorted(counts.items())
    vocab = sorted({w for k, _ in grams for w in k[1:]})
    ids = {w: i for i, w in enumerate(vocab)}
    arrays = dict(vocab=np.array("\n".join(vocab).encode("utf-8")))
    for direction in ("fwd", "bwd"):
        mine = [(k[1:], c) for k, c in grams if k[0] == direction]
        arrays[f"{direction}_trigrams"] = np.array([[ids[w] for w in k] for k, _ in mine], dtype=np.int32).reshape(-1, 3)
        arrays[f"{direction}_counts"] = np.array([c for _, c in mine], dtype=np.int32)
    write_model(COUNTS, arrays)
    trigrams = arrays["fwd_counts"]
    manifest = dict(what="syllable trigram counts (with <s> padding) of clean provincial documents",
                    folder=folder.name, counts_sha256=sha256(COUNTS), trigrams=len(trigrams),
                    syllables=sum(d["syllables"] for d in used), used=used, skipped=skipped,
                    exclude_share=EXCLUDE_SHARE, shingle=SHINGLE)
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    log(f"archive counts: {len(used)} documents, {manifest['syllables']} syllables, {len(trigrams)} trigrams; "
        f"{len(skipped)} skipped -> {COUNTS}")
    return manifest


def trigram_counts(direction: str = "fwd") -> list[tuple[tuple[str, str, str], int]]:
    """The counts read left to right (`fwd`) or right to left (`bwd`, for the backward model) as
    (trigram, count) pairs in a fixed order; [] when the repository has none."""
    if not COUNTS.exists():
        return []
    z = np.load(COUNTS)
    vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
    return [((vocab[a], vocab[b], vocab[c]), int(n))
            for (a, b, c), n in zip(z[f"{direction}_trigrams"].tolist(), z[f"{direction}_counts"].tolist())]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--exclude", type=Path, action="append", default=[],
                    help="folders of held-out documents whose passages must not be learned")
    a = ap.parse_args(argv)
    learn(a.folder, a.exclude, log=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
