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

Inputs: .txt (UTF-8, UTF-16, Windows-1258), .pdf with a text layer, .docx, and .doc/.rtf/.odt
(through LibreOffice). Outputs (see docs in README.md): commitments.csv/.parquet, documents.csv,
agencies.csv, pages.csv, errors.csv, comparison.csv, chitieu.duckdb, text/, report.html, run.json.
"""

EPILOG = """\
examples:
  chitieu extract corpus --out outputs          every plan under corpus/, recursively
  chitieu extract a.pdf b.docx --out /tmp/o     two files
  chitieu normalize plan.txt > plan.norm.txt    the normalised text of one plan
"""


def _extract(a) -> int:
    from pipeline.run import run_batch

    summary = run_batch(a.inputs, Path(a.out), workers=a.workers, quiet=a.quiet)
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
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ex.set_defaults(fn=_extract)
    no = sub.add_parser("normalize", help="print the normalised text of one document",
                        description="Print the normalised text of one document on stdout.")
    no.add_argument("file")
    no.set_defaults(fn=_normalize)
    a = ap.parse_args(argv)
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
