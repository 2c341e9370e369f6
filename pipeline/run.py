"""The pipeline, top to bottom, and the batch around it.

    ingest → normalise → structure → extract → link      (per document)
    write                                                (per batch, atomically)

Each stage is a function from a `Document` to the same `Document`; a stage
that cannot go on raises `StageError`, which becomes one line in errors.csv
while the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.extract import extract
from pipeline.ingest import SUPPORTED, ingest
from pipeline.link import link
from pipeline.normalise import normalise
from pipeline.record import Document, StageError
from pipeline.standardise import standardise
from pipeline.structure import structure
from pipeline.write import write_dataset

STAGES = [("read", ingest), ("normalise", normalise), ("structure", structure), ("extract", extract),
          ("link", link)]
MODEL_ID = "none"


@dataclass
class Input:
    path: Path
    doc_id: str


def collect_inputs(args: list[str], out: Path | None = None) -> list[Input]:
    """Files named, and files under folders named, with the spec's doc_ids."""
    found: list[tuple[Path, str, str]] = []  # path, id without extension, id with extension
    for a in args:
        p = Path(a)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if not f.is_file() or any(part.startswith(".") for part in rel.parts):
                    continue
                if out is not None and out.resolve() in f.resolve().parents:
                    continue
                if f.suffix.lower() not in SUPPORTED:
                    continue
                rel_s = rel.as_posix()
                found.append((f, rel_s[: -len(f.suffix)] if f.suffix else rel_s, rel_s))
        elif p.exists():
            found.append((p, p.stem if p.suffix else p.name, p.name))
        else:
            found.append((p, p.stem, p.name))
    counts: dict[str, int] = {}
    for _, stem, _ in found:
        counts[stem] = counts.get(stem, 0) + 1
    return [Input(f, stem if counts[stem] == 1 else full) for f, stem, full in found]


def process(inp: Input) -> dict:
    """Run every stage on one input; return plain rows (picklable for worker processes)."""
    doc = Document(path=str(inp.path), doc_id=inp.doc_id)
    stage = "read"
    try:
        for stage, fn in STAGES:
            doc = fn(doc)
    except StageError as e:
        doc.status, doc.error, doc.error_stage = "error", e.message, e.stage
    except Exception as e:  # a bug or a broken file must not stop the batch
        msg = f"{type(e).__name__}: {e}".splitlines()[0][:300]
        doc.status, doc.error, doc.error_stage = "error", msg, stage
        if os.environ.get("CHITIEU_DEBUG"):
            traceback.print_exc()
    return rows_of(doc)


def _section_label(doc: Document, pos: int) -> str:
    sec = doc.section_at(pos)
    if sec is None:
        return ""
    return f"{sec.path} {sec.title}".strip()


def rows_of(doc: Document) -> dict:
    m = doc.metadata
    commitments = []
    for r in sorted(doc.commitments, key=lambda r: (r["char_start"], r["value"], r["_start"])):
        s, e = r["char_start"], r["char_end"]
        value_std, unit_std = standardise(r["value"], r["unit"], r["unit_kind"], r["per_year"])
        lead = ""
        row = {k: v for k, v in r.items() if not k.startswith("_")}
        row.update(
            doc_id=doc.doc_id, province=m.get("province", ""), province_2025=m.get("province_2025", ""),
            doc_number=m.get("doc_number", ""), issued_date=m.get("issued_date", ""),
            section=_section_label(doc, s), page=doc.page_of(r["_start"]),
            sentence=doc.text[s:e], source_text=doc.source_of(s, e),
            restored=any(a < e and s < b for a, b in doc.restored_spans),
            value_std=value_std, unit_std=unit_std, lead_in=lead,
        )
        commitments.append(row)
    for n, row in enumerate(commitments, start=1):
        row["commitment_id"] = f"{doc.doc_id}#{n}"
    document = dict(
        doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, format=doc.format,
        pages=len(doc.pages) if doc.pages and doc.pages[0].number is not None else None,
        ocr=any(p.source.startswith("ocr") for p in doc.pages), encoding=doc.encoding,
        text_condition=doc.text_condition, restored_share=doc.restored_share if doc.text else None,
        language="vi" if doc.text else "", model_id=doc.model_id or (MODEL_ID if doc.text else ""),
        n_commitments=len(commitments), duplicate_of=doc.duplicate_of, status=doc.status, error=doc.error,
        **{k: m.get(k) for k in ("province", "province_2025", "province_source", "doc_type", "doc_number",
                                 "issued_date", "title", "issuer", "signer", "signer_title", "period_start",
                                 "period_end", "legal_basis")},
    )
    pages = [dict(doc_id=doc.doc_id, page=p.number, source=p.source, ocr_confidence=p.ocr_confidence,
                  low_confidence=(p.ocr_confidence is not None and p.ocr_confidence < 70), chars=len(p.text))
             for p in doc.pages if p.number is not None]
    agencies = [dict(a, doc_id=doc.doc_id) for a in doc.agencies]
    error = dict(path=doc.path, doc_id=doc.doc_id, stage=doc.error_stage, error=doc.error) if doc.error else None
    return dict(document=document, commitments=commitments, agencies=agencies, pages=pages, error=error,
                text=doc.text if doc.status == "ok" else None)


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, disable=quiet or not sys.stderr.isatty())


def run_batch(args: list[str], out: Path, workers: int | None = None, quiet: bool = False,
              cache: Path | None = None) -> dict:
    started = dt.datetime.now(dt.timezone.utc)
    inputs = collect_inputs(args, out)
    import hashlib

    first_by_hash: dict[str, str] = {}
    todo, dups = [], []
    for inp in sorted(inputs, key=lambda i: i.path.as_posix()):
        try:
            h = hashlib.sha256(inp.path.read_bytes()).hexdigest()
        except OSError:
            h = None
        if h and h in first_by_hash:
            dups.append((inp, h, first_by_hash[h]))
        else:
            if h:
                first_by_hash[h] = inp.doc_id
            todo.append(inp)
    workers = workers or min(len(todo), os.cpu_count() or 1) or 1
    os.environ["CHITIEU_CACHE_DIR"] = str(cache or out / ".cache")
    if workers > 1:
        os.environ.setdefault("CHITIEU_OCR_THREADS", "1")  # documents already fill the cores
    results = []
    bar = _progress(len(todo), quiet)
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for res in pool.map(process, todo):
                results.append(res)
                bar.update()
    else:
        for inp in todo:
            results.append(process(inp))
            bar.update()
    bar.close()
    for inp, h, original in dups:
        results.append(dict(document=dict(doc_id=inp.doc_id, path=str(inp.path), sha256=h, status="ok",
                                          duplicate_of=original, n_commitments=0),
                            commitments=[], agencies=[], pages=[], error=None, text=None))
    results.sort(key=lambda r: r["document"]["doc_id"])
    commitments = [c for r in results for c in r["commitments"]]
    documents = [r["document"] for r in results]
    agencies = sorted((a for r in results for a in r["agencies"]), key=lambda a: (a["doc_id"], a["agency"]))
    pages = [p for r in results for p in r["pages"]]
    errors = [r["error"] for r in results if r["error"]]
    texts = {r["document"]["doc_id"]: r["text"] for r in results if r["text"] is not None}
    info = dict(tool="chitieu", version=__version__, model_id=MODEL_ID, started=started.isoformat(),
                finished=dt.datetime.now(dt.timezone.utc).isoformat(),
                inputs=[dict(path=d["path"], doc_id=d["doc_id"], sha256=d.get("sha256", "")) for d in documents])
    write_dataset(out, commitments, documents, pages, agencies, errors, texts, info)
    ok = sum(1 for d in documents if d.get("status") == "ok")
    return dict(documents=len(documents), ok=ok, failed=len(documents) - ok, commitments=len(commitments),
                seconds=(dt.datetime.now(dt.timezone.utc) - started).total_seconds())
