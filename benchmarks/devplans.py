"""The 14 dev-set plans, damaged four ways: restoration accuracy, extraction recall and speed.

    python -m benchmarks.devplans [--cache DIR] [--out DIR] [--forms F,...] [--plans N]
                                  [--model DIR] [--adapt] [--make-only]

Why: the restoration and scan issues (11, 12) are judged on plans no model has seen, and on
what matters in the end, extraction. The dev plans (`../shared/devset/plans`, txt and DOCX)
are held out from every model, and the dev-set gold says what should be extracted.

Each plan's clean text is what the pipeline reads (its readers, then normalise, as
`chitieu normalize` does), so DOCX plans count too. From it the benchmark makes:
- `stripped`: every mark removed, `đ` -> `d` (`benchmarks.restoration.strip`);
- `ocr_dejavu`, `ocr_times`: rendered to pages and read by Tesseract's English model, in DejaVu
  Serif and in Liberation Serif (Times metrics) (`benchmarks.restoration.ocr_english`);
- `scan`: an image-only PDF in Liberation Serif at 200 dpi, degraded (`benchmarks.ocr.render`,
  `degrade`), which the pipeline reads with Tesseract `vie`;
- `docx`: the plan set as a Word file as offices write them (`text_docx`): its tables Word tables,
  the head and the signature block two-cell tables without rules. No damage: what it measures is
  the DOCX reader on a layout the dev plans' own files may not have;
- `pdf`: a born-digital PDF as offices make them (`text_pdf`): the `docx` form printed by
  LibreOffice, page numbers at the head, ruled tables whose rows break across pages, the head and
  the signature block in two columns without rules. No damage to the letters: what it measures is
  the PDF reader (lines into paragraphs across pages, tables into rows, columns apart);
- `scan_print`: that PDF printed and scanned (`printed_scan`): its pages as images at 200 dpi,
  degraded as `scan`'s are, in an image-only PDF. Unlike `scan`, whose tables are lines of text
  with ` | ` between cells, its tables are ruled grids, as an archive's scanned plans have them.
Made inputs are files the pipeline reads, `<cache>/<form>/<plan_id>.txt` (`.pdf` for scan and pdf),
kept while the hash of plan text, form and generator version (`.<plan_id>.key`) still matches:
the OCR forms take minutes. `<cache>/<form>/DONE` marks a complete form.

Figures, per plan and as a macro mean over plans, per form and for `clean`:
1. syllable accuracy of the normalised text (the run's `text/<plan_id>.txt`) against the clean
   text, by `../shared/acceptance/restore_accuracy.py`'s alignment and rule;
2. macro recall and precision of `chitieu extract` on the form's folder, by
   `../shared/acceptance/score.py` against the dev-set gold, and the gap to clean;
3. restoration speed, syllables per CPU second: warm (`benchmarks.restoration.timed`), and per
   document with the start-up (model load, OCR index build) of a fresh process added.
`--adapt` repeats all of it with a model adapted on `../shared/devset/archive` (never on plans/).
Everything goes to `<out>/devplans.json`; a table is printed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PLANS = SHARED / "devset" / "plans"
GOLD = SHARED / "devset" / "gold.json"
ARCHIVE = SHARED / "devset" / "archive"
FORMS = ["stripped", "ocr_dejavu", "ocr_times", "scan", "docx", "pdf", "scan_print"]
OCR_FACES = {"ocr_dejavu": "DejaVuSerif", "ocr_times": "LiberationSerif"}
SCAN_FACE, SCAN_DPI = "liberation-serif", 200
GENERATOR = "devplans-1"  # bump when a form maker changes what it makes
ALL_PAGES = 10 ** 6


def plan_files(n: int | None = None) -> list[Path]:
    files = sorted(p for p in PLANS.iterdir() if p.suffix in (".txt", ".docx"))
    return files[:n] if n else files


def clean_text(path: Path) -> str:
    """The plan as the pipeline reads it: its reader, then the normalise stage."""
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document

    return normalise(ingest(Document(path=str(path), doc_id=path.stem))).text


def suffix(form: str) -> str:
    return ".pdf" if form in ("scan", "pdf", "scan_print") else ".docx" if form == "docx" else ".txt"


def cache_key(text: str, form: str) -> str:
    from pipeline.readers.ocr import tesseract_version

    tool = {"stripped": "", "docx": "python-docx", "pdf": "libreoffice-2", "scan_print": "libreoffice-2"}.get(form)  # no OCR in their making
    if tool is None:
        tool = tesseract_version()
    return hashlib.sha256("\0".join([GENERATOR, form, str(tool), text]).encode("utf-8")).hexdigest()


def make_form(text: str, form: str) -> bytes:
    """The damaged form of `text`, as the bytes of the file the pipeline will read."""
    from benchmarks.restoration import ocr_english, strip

    if form == "stripped":
        return strip(text).encode("utf-8")
    if form in OCR_FACES:
        return (ocr_english(text, ALL_PAGES, OCR_FACES[form])[0] + "\n").encode("utf-8")
    if form == "scan":
        from benchmarks.ocr import degrade, render

        images, _ = render(text, SCAN_FACE, SCAN_DPI, ALL_PAGES)
        return image_pdf([degrade(im, SCAN_DPI, seed) for seed, im in enumerate(images)])
    if form == "docx":
        return text_docx(text)
    if form == "pdf":
        return text_pdf(text)
    if form == "scan_print":
        return printed_scan(text_pdf(text))
    raise ValueError(f"unknown form {form}")


def image_pdf(pages: list) -> bytes:
    """Page images as an image-only PDF at SCAN_DPI, with fixed dates: the same pages give the
    same bytes."""
    import io

    buf = io.BytesIO()
    when = time.gmtime(0)
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=SCAN_DPI,
                  creationDate=when, modDate=when)
    return buf.getvalue()


def printed_scan(pdf: bytes) -> bytes:
    """A born-digital PDF as a scan of its printout: each page rendered at SCAN_DPI in grey and
    degraded (`benchmarks.ocr.degrade`: skew, blur, noise, a seal's ring, JPEG)."""
    import pypdfium2 as pdfium

    from benchmarks.ocr import degrade

    doc = pdfium.PdfDocument(pdf)
    try:
        images = [doc[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
                  for i in range(len(doc))]
    finally:
        doc.close()
    return image_pdf([degrade(im, SCAN_DPI, seed) for seed, im in enumerate(images)])


def text_pdf(text: str) -> bytes:
    """The `pdf` form (module docstring): the `docx` form printed to PDF by LibreOffice, as offices
    print their plans from Word."""
    from pipeline.readers._exec.libreoffice import convert

    return convert(text_docx(text), ".docx", "pdf")


def text_docx(text: str) -> bytes:
    """The `docx` form (module docstring): the text set as a DOCX the way state documents are (A4,
    margins 3 / 2 cm, Times New Roman 13 pt justified with a first-line indent, the page number at
    the head from page 2). A table row is a paragraph with cells joined by ` | `, as the readers give them; consecutive rows
    make one table, ruled, 11 pt, whose rows may break across pages (LibreOffice's and Word's
    default); a table of one or two rows with two cells of text (the head, the signature block) is
    set without rules, its left column the narrower and its right one centred."""
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from pipeline.readers.docx import CELL_SEP
    from pipeline.structure import MARKDOWN_RULE

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    sec.different_first_page_header_footer = True
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run()
    for kind, code in (("begin", None), (None, "PAGE"), ("end", None)):
        el = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            el.set(qn("w:fldCharType"), kind)
        else:
            el.text = code
        run._r.append(el)
    rows: list[list[str]] = []

    def table():
        if not rows:
            return
        width = max(len(r) for r in rows)
        bare = len(rows) <= 2 and all(sum(bool(c) for c in r) <= 2 for r in rows)
        t = d.add_table(rows=0, cols=width)
        if not bare:
            t.style = "Table Grid"
        for r in rows:
            cells = t.add_row().cells
            for k, (cell, value) in enumerate(zip(cells, r + [""] * (width - len(r)))):
                cell.text = value
                if bare and width == 2:
                    cell.width = Cm(6.4 if k == 0 else 9.6)
                for par in cell.paragraphs:
                    if bare and k == width - 1:
                        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    for r_ in par.runs:
                        r_.font.size = Pt(11 if not bare or k == 0 else 13)
        rows.clear()

    for par in text.split("\n"):
        if MARKDOWN_RULE.fullmatch(par.strip()):
            continue  # a text file's `|---|---|` under its header row: the table goes on
        if CELL_SEP in par:
            rows.append([c.strip() for c in par.split(CELL_SEP.strip())])
            continue
        table()
        if par.strip():
            p = d.add_paragraph(par.strip())
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1)
            p.paragraph_format.space_after = Pt(6)
    table()
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _make_one(job: tuple[Path, str, str, str]) -> tuple[str, str, float]:
    """One plan in one form, written atomically with its key beside it (a worker's job)."""
    folder, form, plan_id, text = job
    t0 = time.perf_counter()
    data = make_form(text, form)
    target = folder / f"{plan_id}{suffix(form)}"
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    (folder / f".{plan_id}.key").write_text(cache_key(text, form), encoding="utf-8")
    return form, plan_id, time.perf_counter() - t0


def make_inputs(cache: Path, forms: list[str], clean: dict[str, str], log=print) -> dict[str, list[Path]]:
    """Every form of every plan in `cache`, made where the cached file is missing or stale; at most
    two processes (the OCR forms are Tesseract, one thread each), plan by plan."""
    todo, files = [], {}
    for form in forms:
        folder = cache / form
        folder.mkdir(parents=True, exist_ok=True)
        files[form] = [folder / f"{pid}{suffix(form)}" for pid in clean]
        for pid, text in clean.items():
            key = folder / f".{pid}.key"
            fresh = key.exists() and key.read_text("utf-8") == cache_key(text, form)
            if not (fresh and (folder / f"{pid}{suffix(form)}").exists()):
                todo.append((folder, form, pid, text))
        if any(j[1] == form for j in todo):
            (folder / "DONE").unlink(missing_ok=True)
    left = {form: sum(j[1] == form for j in todo) for form in forms}
    for form in forms:
        if not left[form]:
            (cache / form / "DONE").write_text("complete\n", encoding="utf-8")
    if todo:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        with multiprocessing.get_context("spawn").Pool(min(2, len(todo))) as pool:
            for form, pid, secs in pool.imap_unordered(_make_one, todo):
                left[form] -= 1
                log(f"made {form}/{pid} in {secs:.0f} s")
                if not left[form]:
                    (cache / form / "DONE").write_text("complete\n", encoding="utf-8")
    return files


def accuracy(ra, clean: dict[str, str], text_dir: Path) -> dict:
    """Per plan and macro syllable accuracy of the run's normalised texts against the clean ones."""
    from benchmarks.ocr import syllable_counts

    per = {}
    for pid, gold in clean.items():
        p = text_dir / f"{pid}.txt"
        right, n = syllable_counts(ra, gold, p.read_text("utf-8") if p.exists() else "")
        per[pid] = round(right / max(1, n), 4)
    return dict(per_plan=per, macro=round(sum(per.values()) / max(1, len(per)), 4))


def extract(files: list[Path], out: Path, model: Path, cache: Path) -> None:
    cmd = [sys.executable, "-m", "pipeline.cli", "extract", *map(str, files), "-o", str(out), "--quiet",
           "-j", "2", "--model", str(model), "--cache", str(cache)]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if res.returncode not in (0, 3):  # 3: a document failed, which the scores show
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr[-2000:]}")


def score(gold: Path, out: Path) -> dict:
    from pipeline.evaluate import macro
    from pipeline.evaluate import score as run_scorer

    report = run_scorer(gold, out)
    m = macro(report)
    return dict(recall=m["recall"], precision=m["precision"],
                per_plan={d: dict(recall=round(v["recall"], 3), precision=round(v["precision"], 3))
                          for d, v in sorted(report["documents"].items())})


def _speed_worker(model: str, form: str, texts: list[str]) -> dict:
    """In a fresh process: CPU of start-up (model load, and the OCR index of the form's face, built
    on first use: restoring the first 20 lines of the first text, which they slightly overstate) and
    the warm CPU of each text."""
    import contextlib

    from benchmarks.restoration import restore_text, strip, timed
    from pipeline.settings import Settings, use
    from pipeline.vietnamese.restore import load_restorer

    contextlib.ExitStack().enter_context(use(Settings(model_dir=Path(model), cache_dir=None)))
    ocr = form != "stripped"
    t0 = time.process_time()
    load_restorer()
    restore_text("\n".join(texts[0].split("\n")[:20]), ocr)  # enough lines to pick the OCR face
    startup = time.process_time() - t0
    # warm-up: the first 3,000 syllables of the other plans of the form, as a batch is warm after
    # its first document (the scored text itself is never among them)
    warm_cpu = []
    for k, text in enumerate(texts):
        others = " ".join(t for j, t in enumerate(texts) if j != k).split()[:3000]
        warm = [(" ".join(others), ocr)]
        _, cpu = timed(text, ocr, warm)
        warm_cpu.append(cpu)
    return dict(startup_cpu_s=round(startup, 2), warm_cpu_s=warm_cpu)


def speed(model: Path, form: str, files: list[Path]) -> dict:
    texts = [f.read_text("utf-8") for f in files]
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        r = pool.apply(_speed_worker, (str(model), form, texts))
    n = [len(t.split()) for t in texts]
    per = {f.stem: dict(syllables=k, warm=round(k / max(c, 1e-9)),
                        with_startup=round(k / (c + r["startup_cpu_s"])))
           for f, k, c in zip(files, n, r["warm_cpu_s"])}
    return dict(startup_cpu_s=r["startup_cpu_s"], per_plan=per,
                warm=round(sum(n) / sum(r["warm_cpu_s"])),
                per_document_with_startup=round(sum(v["with_startup"] for v in per.values()) / len(per)))


def evaluate(label: str, model: Path, inputs: dict[str, list[Path]], clean: dict[str, str], out: Path,
             gold: Path, ra) -> dict:
    """All figures of one model: accuracy and extraction per form, speed per text form."""
    res = {}
    for form, files in inputs.items():
        run_out = out / label / form
        t0 = time.perf_counter()
        # one cache per form, shared by the models (the scan's OCR pages are read once): a shared one
        # would hand the clean plans' texts, which run adaptation keeps there, to the damaged forms
        extract(files, run_out, model, out / "extract-cache" / form)
        res[form] = dict(extract_wall_s=round(time.perf_counter() - t0), extraction=score(gold, run_out))
        if form != "clean":
            res[form]["accuracy"] = accuracy(ra, clean, run_out / "text")
        if form in ("stripped", *OCR_FACES):
            res[form]["speed"] = speed(model, form, files)
        print(f"{label} {form}: " + json.dumps({k: v for k, v in res[form]["extraction"].items()
                                                 if k != "per_plan"}), flush=True)
    for form in inputs:
        e = res[form]["extraction"]
        e["recall_gap"] = round(res["clean"]["extraction"]["recall"] - e["recall"], 3)
    return res


def table(results: dict) -> str:
    rows = [f"{'model':8} {'form':11} {'syll.acc':>8} {'recall':>7} {'prec.':>7} {'gap':>6} "
            f"{'warm syl/s':>10} {'doc syl/s':>9} {'start s':>7}"]
    for label, forms in results["models"].items():
        for form, r in forms.items():
            e, s = r["extraction"], r.get("speed", {})
            acc = r.get("accuracy", {}).get("macro", "")
            rows.append(f"{label:8} {form:11} {acc!s:>8} {e['recall']:>7.3f} {e['precision']:>7.3f} "
                        f"{e['recall_gap']:>6.3f} {s.get('warm', '')!s:>10} "
                        f"{s.get('per_document_with_startup', '')!s:>9} {s.get('startup_cpu_s', '')!s:>7}")
    return "\n".join(rows)


def plan_table(label: str, forms: dict) -> str:
    """Per plan: syllable accuracy / recall of each form (clean: recall only)."""
    rows = [f"{label}: per plan, syllable accuracy / recall\n{'plan':40} " + " ".join(f"{f:>15}" for f in forms)]
    for pid in next(iter(forms.values()))["extraction"]["per_plan"]:
        cells = []
        for r in forms.values():
            acc = r.get("accuracy", {}).get("per_plan", {}).get(pid, "-")
            rec = r["extraction"]["per_plan"].get(pid, {}).get("recall", "-")
            cells.append(f"{acc!s:>7}/{rec!s:<7}")
        rows.append(f"{pid[:40]:40} " + " ".join(cells))
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.devplans", description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "outputs" / "bench-cache", help="made inputs")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "devplans")
    ap.add_argument("--forms", default=",".join(FORMS), help=f"comma-separated, of {','.join(FORMS)}")
    ap.add_argument("--plans", type=int, default=None, help="only the first N plans (by file name)")
    ap.add_argument("--model", type=Path, default=ROOT / "models", help="restoration model folder")
    ap.add_argument("--adapt", action="store_true", help="also with a model adapted on devset/archive")
    ap.add_argument("--make-only", action="store_true", help="make the inputs and stop")
    a = ap.parse_args(argv)
    if not GOLD.exists():
        print(f"no dev set at {PLANS}: nothing to measure", file=sys.stderr)
        return 2
    forms = [f for f in a.forms.split(",") if f]
    if unknown := set(forms) - set(FORMS):
        ap.error(f"unknown forms {sorted(unknown)}; choose from {FORMS}")
    import contextlib

    from pipeline.settings import Settings, use

    contextlib.ExitStack().enter_context(use(Settings(model_dir=a.model.resolve(), cache_dir=None)))
    plans = plan_files(a.plans)
    clean = {p.stem: clean_text(p) for p in plans}
    made = make_inputs(a.cache, forms, clean)
    if a.make_only:
        return 0
    from benchmarks.ocr import scorer

    out = a.out
    shutil.rmtree(out / "extract-cache", ignore_errors=True)  # OCR pages shared by this run's models only
    out.mkdir(parents=True, exist_ok=True)
    gold = json.loads(GOLD.read_text("utf-8"))
    gold["documents"] = {k: v for k, v in gold["documents"].items() if k in clean}
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    inputs = {"clean": plans, **made}
    models = {"base": a.model.resolve()}
    if a.adapt:
        adapted = (out / "adapted-model").resolve()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "model", "adapt", str(ARCHIVE), "--base",
                        str(a.model.resolve()), "--out", str(adapted)], cwd=ROOT, check=True)
        models["adapted"] = adapted
    ra = scorer()
    results = dict(plans=list(clean), forms=forms, generator=GENERATOR, models={})
    for label, model in models.items():
        results["models"][label] = evaluate(label, model, inputs, clean, out, out / "gold.json", ra)
        (out / "devplans.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    for label, forms in results["models"].items():
        print(plan_table(label, forms))
    print(table(results))
    print(f"figures: {out / 'devplans.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
