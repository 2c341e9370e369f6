"""OCR of scanned plan pages: the pipeline's PDF reader against bare Tesseract and ocrmypdf.

    python -m benchmarks.ocr [--plans 2] [--pages 2] [--floors 150,300] [--no-ocrmypdf]

The project has no real scans with transcriptions, so they are made the honest
way: pages of the dev-set plans (`../shared/devset/plans`, text files) are
rendered at 150 and 200 dpi in a Times-metric face (Liberation Serif) and in
DejaVu Serif at 13 pt, degraded (skew, blur, salt-and-pepper noise, a seal-like
ring over the text (`--seals`: grey, or red ink on a colour page), JPEG at quality 60) and saved as image-only PDFs, one per
condition. Each PDF is read three ways:
- `chitieu`: `pipeline.readers.pdf.read_pdf` (page rendered at the scan's own
  resolution raised to the floor, preprocessing, Tesseract `vie`, repairs), then the normalise
  stage (its `vie` channel corrects tones); `chitieu OCR` is the reader's text before that;
- `tesseract@300`: each page rendered at 300 dpi (pypdfium2) and read by bare
  `tesseract PAGE - -l vie --psm 4`;
- `ocrmypdf`: `ocrmypdf --force-ocr -l vie --sidecar` with `-j 1 -O 0
  --rasterizer pypdfium --output-type pdf`, when the `ocrmypdf` program is found
  (on PATH or with `--ocrmypdf PATH`).
All Tesseract runs have `OMP_THREAD_LIMIT=1`. Figures per condition: syllable
accuracy against the rendered text (the alignment and the rule of
`../shared/acceptance/restore_accuracy.py`, imported), number recall (numbers
of the source found in the output, as a multiset), and CPU seconds per page
(this process's CPU time plus that of its child processes, so threads and
subprocesses are all counted). `--floors` also runs the pipeline on the lowest-dpi
pages with other OCR floors: the measurement behind `readers.ocr.FLOOR`;
`--steps` other preprocessing steps (the one behind `readers.ocr.PREPROCESS`),
`--psm` other page segmentation modes (behind `readers.ocr.PSM`).
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PLANS = ["06_HaTinh_KH624_giao_duc_mam_non_2035.txt", "04_HoChiMinh_KH174_binh_dang_gioi_2025.txt",
         "07_NgheAn_KH987_5G_IoT_KCN_2026_2030.txt"]
# Liberation Serif 1.x (Debian's fonts-liberation) has no Vietnamese letters: it draws tofu for
# ệ, ở, ư…; version 2 (fonts-liberation2) has them.
FACES = {"liberation-serif": ["/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                              "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"],
         "dejavu-serif": ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]}
POINTS = 13
NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")


def scorer():
    """The acceptance scorer's syllable accuracy, imported from ../shared."""
    path = SHARED / "acceptance" / "restore_accuracy.py"
    spec = importlib.util.spec_from_file_location("restore_accuracy", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def syllable_counts(ra, gold_text: str, out_text: str) -> tuple[int, int]:
    """(right, gold syllables), by restore_accuracy.py's alignment and rule (its `main`, on strings)."""
    import difflib

    gold, out = ra.tokens(gold_text), ra.tokens(out_text)
    sm = difflib.SequenceMatcher(a=[ra.fold(t) for t in gold], b=[ra.fold(t) for t in out], autojunk=False)
    right = 0
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            right += sum(ra.spelling(gold[i1 + k]) == ra.spelling(out[j1 + k]) for k in range(i2 - i1))
    return right, len(gold)


def number_counts(gold_text: str, out_text: str) -> tuple[int, int]:
    gold = collections.Counter(NUMBER.findall(gold_text))
    out = collections.Counter(NUMBER.findall(out_text))
    return sum(min(n, out[k]) for k, n in gold.items()), sum(gold.values())


def wrap(text: str, font, width: int) -> list[str]:
    """Lines of at most `width` pixels, blank paragraphs dropped (the tests' page maker wraps)."""
    from tests.scans import wrap as wrap_lines

    return wrap_lines("\n".join(p for p in text.split("\n") if p.strip()), font, width)


def vietnamese_font(face: str, size: int):
    """The first file of the face that draws Vietnamese letters (not the missing-glyph box)."""
    from PIL import ImageFont

    for path in FACES[face]:
        if not Path(path).exists():
            continue
        font = ImageFont.truetype(path, size)
        missing = bytes(font.getmask("\U0010fffd"))
        if all(bytes(font.getmask(c)) != missing for c in "ệởưỹđ"):
            return font
    raise SystemExit(f"no font file of {face} with Vietnamese letters among {FACES[face]} "
                     "(Debian: apt-get install fonts-liberation2 fonts-dejavu-core)")


def render(text: str, face: str, dpi: int, pages: int) -> tuple[list, list[str]]:
    """A4 pages of `text` at `dpi`: (images, the text each page carries)."""
    from PIL import Image, ImageDraw

    size = round(POINTS / 72 * dpi)
    font = vietnamese_font(face, size)
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    left, right, top = round(1.2 * dpi), round(0.8 * dpi), round(0.8 * dpi)
    lines = wrap(text, font, w - left - right)
    step = round(size * 1.4)
    per_page = (h - 2 * top) // step
    images, truths = [], []
    for p in range(pages):
        chunk = lines[p * per_page:(p + 1) * per_page]
        if not chunk:
            break
        img = Image.new("L", (w, h), 255)
        d = ImageDraw.Draw(img)
        for k, line in enumerate(chunk):
            d.text((left, top + k * step), line, font=font, fill=0)
        images.append(img)
        truths.append("\n".join(chunk))
    return images, truths


SEALS = {"grey": 150, "red": (200, 40, 50), "none": None}


def degrade(img, dpi: int, seed: int, seal: str = "grey"):
    """Skew, blur, salt-and-pepper noise, a seal-like ring over the text, JPEG. The ring is grey
    (value 150, a photocopied seal) on a greyscale page, or red ink on a colour page (`seal="red"`,
    a colour scan of a stamped page: the ring multiplies the page, as ink does)."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    img = img.rotate(rng.choice([-1.0, -0.6, 0.6, 1.0]), fillcolor=255, resample=Image.BICUBIC)
    img = img.filter(ImageFilter.GaussianBlur(radius=0.5 * dpi / 150))
    colour = seal == "red"
    ink = SEALS[seal]
    if colour:
        img = img.convert("RGB")
    layer = Image.new(img.mode, img.size, (255, 255, 255) if colour else 255)
    d = ImageDraw.Draw(layer)
    r = round(0.7 * dpi)
    cx, cy = rng.randrange(img.width // 2, img.width - r), rng.randrange(r, img.height - r)
    if ink is not None:
        for k, width in ((0, max(2, dpi // 40)), (round(0.12 * dpi), max(1, dpi // 100))):
            d.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=ink, width=width)
    img = ImageChops.multiply(img, layer) if colour else ImageChops.darker(img, layer)
    px = img.load()
    for _ in range(img.width * img.height // 500):
        v = rng.choice([0, 255])
        px[rng.randrange(img.width), rng.randrange(img.height)] = (v, v, v) if colour else v
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB" if colour else "L")


class Cpu:
    """CPU seconds of this process and its finished children between enter and exit."""
    def __enter__(self):
        self.t0 = time.process_time()
        self.c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        return self

    def __exit__(self, *exc):
        c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.seconds = time.process_time() - self.t0 + (c1.ru_utime - self.c0.ru_utime) + (c1.ru_stime - self.c0.ru_stime)


def read_chitieu(pdf: Path, floor: int | None = None, steps: tuple | None = None, psm: int | None = None
                 ) -> tuple[list[str], float, list]:
    from pipeline.readers import ocr
    from pipeline.readers.pdf import read_pdf

    saved = ocr.FLOOR, ocr.PREPROCESS, ocr.PSM
    ocr.FLOOR = saved[0] if floor is None else floor
    ocr.PREPROCESS = saved[1] if steps is None else steps
    ocr.PSM = saved[2] if psm is None else psm
    try:
        with Cpu() as cpu:
            pages, _, _ = read_pdf(pdf.read_bytes(), sha256=f"bench-{time.time_ns()}")
    finally:
        ocr.FLOOR, ocr.PREPROCESS, ocr.PSM = saved
    return [p.text for p in pages], cpu.seconds, [p.ocr_dpi for p in pages]


def corrected(texts: list[str]) -> tuple[list[str], float]:
    """The pages as the pipeline hands them on: through the normalise stage, whose `vie` channel and
    language model correct the tones Tesseract got wrong. CPU seconds of that step."""
    from pipeline.normalise import normalise
    from pipeline.record import Document, Page

    out = []
    with Cpu() as cpu:
        for t in texts:
            doc = Document(path="page.pdf", doc_id="page", format="pdf", raw=t, page_starts=[0],
                           pages=[Page(1, t, "ocr")])
            out.append(normalise(doc).text)
    return out, cpu.seconds


def read_bare(pdf: Path) -> tuple[list[str], float]:
    import pypdfium2 as pdfium

    from pipeline.readers._exec import tesseract

    out = []
    with Cpu() as cpu, tempfile.TemporaryDirectory() as tmp:
        doc = pdfium.PdfDocument(str(pdf))
        for k in range(len(doc)):
            path = Path(tmp) / f"p{k}.png"
            doc[k].render(scale=300 / 72).to_pil().save(path, dpi=(300, 300))
            out.append(tesseract.text(path, "vie", 4))
        doc.close()
    return out, cpu.seconds


def read_ocrmypdf(exe: str, pdf: Path) -> tuple[list[str], float]:
    with Cpu() as cpu, tempfile.TemporaryDirectory() as tmp:
        side = Path(tmp) / "side.txt"
        subprocess.run([exe, "--force-ocr", "-l", "vie", "-j", "1", "-O", "0", "--rasterizer", "pypdfium",
                        "--output-type", "pdf", "--sidecar", str(side), "-q", str(pdf), str(Path(tmp) / "o.pdf")],
                       check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"), capture_output=True)
        text = side.read_text("utf-8")
    return text.split("\f"), cpu.seconds


def figures(ra, truths: list[str], outs: list[str], cpu: float) -> dict:
    s = [syllable_counts(ra, t, o) for t, o in zip(truths, outs + [""] * len(truths))]
    n = [number_counts(t, o) for t, o in zip(truths, outs + [""] * len(truths))]
    return dict(syllable_accuracy=round(sum(r for r, _ in s) / max(1, sum(g for _, g in s)), 4),
                number_recall=round(sum(r for r, _ in n) / max(1, sum(g for _, g in n)), 4),
                cpu_s_per_page=round(cpu / max(1, len(truths)), 2), syllables=sum(g for _, g in s),
                numbers=sum(g for _, g in n))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plans", type=int, default=2, help="dev-set plans to take pages from")
    ap.add_argument("--pages", type=int, default=2, help="pages per plan")
    ap.add_argument("--dpis", default="150,200")
    ap.add_argument("--faces", default=",".join(FACES))
    ap.add_argument("--floors", default="200,300", help="other OCR floors tried on the lowest-dpi pages ('' for none)")
    ap.add_argument("--steps", default="", help="preprocessing steps (+-joined, 'none') also tried, e.g. "
                    "'greyscale' or 'none;greyscale+binarize' (';' between variants)")
    ap.add_argument("--psm", default="", help="other Tesseract page segmentation modes tried, e.g. '3,6'")
    ap.add_argument("--ocrmypdf", default=shutil.which("ocrmypdf") or "", help="the ocrmypdf program")
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--seals", default="grey", help="the seal over each page: grey (a photocopy), red (a "
                    "colour scan), none; comma-separated, each its own condition")
    ap.add_argument("--out", default="bench-results")
    a = ap.parse_args(argv)
    unknown = set(a.seals.split(",")) - set(SEALS)
    if unknown:
        ap.error(f"--seals: unknown {', '.join(sorted(unknown))} (of {', '.join(SEALS)})")
    if not (SHARED / "devset" / "plans").is_dir():
        print(f"no dev set at {SHARED / 'devset' / 'plans'}: the benchmark renders its pages", file=sys.stderr)
        return 2
    from pipeline.readers.ocr import FLOOR, tesseract_version

    import contextlib

    from pipeline.settings import Settings, use

    # every page read afresh: settings with no cache, whatever CHITIEU_CACHE_DIR says
    contextlib.ExitStack().enter_context(use(Settings(cache_dir=None)))
    tesseract_version()  # the one-time check is not a per-page cost
    ra = scorer()
    exe = "" if a.no_ocrmypdf else a.ocrmypdf
    texts = [(SHARED / "devset" / "plans" / name).read_text("utf-8") for name in PLANS[:a.plans]]
    floors = [int(f) for f in a.floors.split(",") if f]
    results = dict(floor=FLOOR, pages_per_condition=a.plans * a.pages, ocrmypdf=exe or "not run", conditions={})
    print(f"ocrmypdf: {exe or 'not found / not run'}; default floor {FLOOR} dpi", flush=True)
    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as tmp:
        for face in a.faces.split(","):
            for dpi, seal in [(int(d), s) for d in a.dpis.split(",") for s in a.seals.split(",")]:
                images, truths = [], []
                for k, text in enumerate(texts):
                    imgs, tr = render(text, face, dpi, a.pages)
                    images += [degrade(im, dpi, 100 * k + j, seal) for j, im in enumerate(imgs)]
                    truths += tr
                pdf = Path(tmp) / f"{face}-{dpi}-{seal}.pdf"
                images[0].save(pdf, save_all=True, append_images=images[1:], resolution=dpi)
                name = f"{face}@{dpi}" + ("" if seal == "grey" else f" {seal} seal")
                row = {}
                outs, cpu, dpis = read_chitieu(pdf)
                row["chitieu OCR"] = dict(figures(ra, truths, outs, cpu), ocr_dpi=sorted(set(dpis)))
                fixed, cpu_fix = corrected(outs)
                row["chitieu"] = dict(figures(ra, truths, fixed, cpu + cpu_fix), ocr_dpi=sorted(set(dpis)))
                outs, cpu = read_bare(pdf)
                row["tesseract@300"] = figures(ra, truths, outs, cpu)
                if exe:
                    outs, cpu = read_ocrmypdf(exe, pdf)
                    row["ocrmypdf"] = figures(ra, truths, outs, cpu)
                if dpi == min(int(d) for d in a.dpis.split(",")):
                    for f in floors:
                        outs, cpu, dpis = read_chitieu(pdf, f)
                        row[f"chitieu floor {f}"] = dict(figures(ra, truths, outs, cpu), ocr_dpi=sorted(set(dpis)))
                for steps in [v for v in a.steps.split(";") if v]:
                    chosen = () if steps == "none" else tuple(steps.split("+"))
                    outs, cpu, dpis = read_chitieu(pdf, steps=chosen)
                    row[f"chitieu steps {steps}"] = dict(figures(ra, truths, outs, cpu), ocr_dpi=sorted(set(dpis)))
                for psm in [int(v) for v in a.psm.split(",") if v]:
                    outs, cpu, dpis = read_chitieu(pdf, psm=psm)
                    row[f"chitieu psm {psm}"] = dict(figures(ra, truths, outs, cpu), ocr_dpi=sorted(set(dpis)))
                for reader, v in row.items():
                    print(f"{name:22} {reader:20} " + " ".join(f"{m}={x}" for m, x in v.items()), flush=True)
                results["conditions"][name] = row
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / "ocr.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
