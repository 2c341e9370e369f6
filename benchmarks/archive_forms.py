"""Archive documents with a gold of their own, printed to PDF and scanned: does extraction hold?

    python -m benchmarks.archive_forms [--cache DIR] [--out DIR] [--forms docx,pdf,scan,scan_print] [--min-targets N]
    python -m benchmarks.archive_forms --all --forms docx,pdf [--cache DIR] [--out DIR]

Why: the dev plans' forms (`benchmarks.devplans`) are fourteen documents; the readers of PDFs and
scans (pdfplumber's lines and tables, Tesseract `vie`, the structure of what they give) meet other
layouts in other provinces' plans. The archive gold (`benchmarks/archive_gold`, annotated blind) has
a few dozen documents with targets: each is made into the same `docx`, `pdf`, `scan` and `scan_print`
forms as the dev plans (`benchmarks.devplans.make_form`, cached the same way), extracted, and scored
against its gold beside the original file. Most archive files are text that a web page flattened
(a table's cells one per line, a header row shorter than its rows): set as a Word file they keep
that flattening as paragraphs and padded rows, which the text reader's rules for flattened text
(`structure`, for `.txt` only) no longer see, so some of the `docx` and `pdf` forms' losses
(Sơn La's, Cà Mau's, Hải Dương's) are the form maker's, not the readers'. Stripped and English-OCR forms are left out on purpose: the restoration
model learnt from the archive's counts, so they would not measure unseen text.
Figures: macro and micro recall, precision, agencies and metadata per form (`pipeline.evaluate`),
and each document's recall; written to `<out>/archive_forms.json`. `--all` takes every archive
document short enough, gold or not, and reports what needs no gold: the errors of each form's run
and the documents whose number of commitments moves by more than a fifth from the original's
(`<out>/archive_all.json`).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.devplans import ARCHIVE, ROOT, clean_text, make_inputs

GOLD = ROOT / "benchmarks" / "archive_gold" / "gold.json"
MAX_CHARS = 40_000  # a longer document's scan takes minutes of Tesseract; the budget plans stay out


def documents(min_targets: int) -> dict[str, Path]:
    """The archive files whose gold has at least `min_targets` targets and that are not too long."""
    gold = json.loads(GOLD.read_text("utf-8"))["documents"]
    out = {}
    for path in sorted(ARCHIVE.iterdir()):
        g = gold.get(path.stem)
        if g and len(g["targets"]) >= min_targets and path.stat().st_size <= 3 * MAX_CHARS:
            out[path.stem] = path
    return out


def extract_and_score(files: list[Path], out: Path, gold: Path) -> dict:
    from pipeline.evaluate import macro, score

    subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *map(str, files), "-o", str(out),
                    "--quiet", "-j", "2"], cwd=ROOT, check=False)
    report = score(gold, out)
    s = report["summary"]
    return dict(macro=macro(report), micro={k: s[k] for k in ("recall", "precision", "agencies", "metadata")},
                per_document={d: round(v["recall"], 3) for d, v in sorted(report["documents"].items())})


def extract_and_count(files: list[Path], out: Path) -> dict:
    """Commitments per document and the errors of one form's run (`--all`: no gold to score by)."""
    import csv
    from collections import Counter

    subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *map(str, files), "-o", str(out),
                    "--quiet", "-j", "2"], cwd=ROOT, check=False)
    with open(out / "commitments.csv", encoding="utf-8") as f:
        counts = Counter(r["doc_id"] for r in csv.DictReader(f))
    with open(out / "errors.csv", encoding="utf-8") as f:
        errors = [r for r in csv.DictReader(f)]
    return dict(commitments=sum(counts.values()), errors=len(errors),
                per_document={d.stem: counts.get(d.stem, 0) for d in files})


def every_document(args, forms: list[str]) -> int:
    """`--all`: every archive file short enough, in each form; what changes from the original."""
    docs = {p.stem: p for p in sorted(ARCHIVE.iterdir()) if p.suffix in (".txt", ".docx", ".pdf")}
    clean = {d: t for d, t in ((d, clean_text(p)) for d, p in docs.items()) if len(t) <= MAX_CHARS}
    print(f"{len(clean)} archive documents", flush=True)
    inputs = {"original": [docs[d] for d in clean], **make_inputs(args.cache, forms, clean)}
    results = {form: extract_and_count(files, args.out / form) for form, files in inputs.items()}
    for form, r in results.items():
        print(f"{form:9} {r['commitments']} commitments, {r['errors']} errors", flush=True)
    base = results["original"]["per_document"]
    for d, n in base.items():
        got = [results[f]["per_document"].get(d, 0) for f in forms]
        if any(abs(g - n) > max(2, 0.2 * n) for g in got):  # a fifth more or fewer
            print(f"  {d[:50]:50} original {n}: " + ", ".join(f"{f} {g}" for f, g in zip(forms, got)))
    (args.out / "archive_all.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "outputs" / "bench-cache" / "archive", help="made inputs")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "archive_forms")
    ap.add_argument("--forms", default="docx,pdf,scan,scan_print")
    ap.add_argument("--min-targets", type=int, default=5)
    ap.add_argument("--all", action="store_true", help="every archive document, gold or not: errors and "
                    "commitments per form, and the documents whose count moves by more than a fifth")
    args = ap.parse_args(argv)
    if args.all:
        args.out.mkdir(parents=True, exist_ok=True)
        return every_document(args, [f for f in args.forms.split(",") if f])
    docs = documents(args.min_targets)
    clean = {d: clean_text(p) for d, p in docs.items()}
    clean = {d: t for d, t in clean.items() if len(t) <= MAX_CHARS}
    print(f"{len(clean)} documents with at least {args.min_targets} gold targets", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    gold = json.loads(GOLD.read_text("utf-8"))
    subset = args.out / "gold.json"
    subset.write_text(json.dumps(dict(format=gold["format"], documents={d: gold["documents"][d] for d in clean}),
                      ensure_ascii=False), encoding="utf-8")
    forms = [f for f in args.forms.split(",") if f]
    inputs = {"original": [docs[d] for d in clean], **make_inputs(args.cache, forms, clean)}
    results = {}
    for form, files in inputs.items():
        results[form] = extract_and_score(files, args.out / form, subset)
        print(f"{form:9} macro {results[form]['macro']}  micro {results[form]['micro']}", flush=True)
    (args.out / "archive_forms.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
