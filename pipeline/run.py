"""The pipeline, top to bottom, and the batch around it.

    ingest → normalise → structure → extract → link      (per document)
    write                                                (per batch, atomically)

Each stage is a function from a `Document` to the same `Document`; a stage
that cannot go on raises `StageError`, which becomes one line in errors.csv
while the batch goes on.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from pipeline import __version__
from pipeline.extract import extract
from pipeline.ingest import SUPPORTED, ingest
from pipeline.link import link
from pipeline.normalise import check_language, normalise
from pipeline.record import Document, StageError
from pipeline.standardise import standardise
from pipeline.structure import structure
from pipeline.write import write_dataset

STAGES = [("read", ingest), ("normalise", normalise), ("language", check_language), ("structure", structure),
          ("extract", extract), ("link", link)]
MODEL_ID = "none"


@dataclass
class Input:
    path: Path
    doc_id: str
    sha256: str | None = None   # set once by the batch (duplicates, cache keys)


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


def process(inp: Input, password: str | None = None) -> dict:
    """Run every stage on one input; return plain rows (picklable for worker processes)."""
    doc = Document(path=str(inp.path), doc_id=inp.doc_id)
    stage = "read"
    try:
        for stage, fn in STAGES:
            doc = fn(doc, password) if fn is ingest else fn(doc)
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
        row = {k: v for k, v in r.items() if not k.startswith("_")}
        row.update(
            doc_id=doc.doc_id, province=m.get("province", ""), province_2025=m.get("province_2025", ""),
            doc_number=m.get("doc_number", ""), issued_date=m.get("issued_date", ""),
            section=_section_label(doc, s), page=doc.page_of(r["_start"]),
            sentence=doc.text[s:e], source_text=doc.source_of(s, e),
            restored=any(a < e and s < b for a, b in doc.restored_spans),
            value_std=value_std, unit_std=unit_std, lead_in=r.get("lead_in", ""),
        )
        commitments.append(row)
    for n, row in enumerate(commitments, start=1):
        row["commitment_id"] = f"{doc.doc_id}#{n}"
    document = dict(
        doc_id=doc.doc_id, path=doc.path, sha256=doc.sha256, format=doc.format,
        pages=len(doc.pages) if doc.pages and doc.pages[0].number is not None else None,
        ocr=any(p.source.startswith("ocr") for p in doc.pages), encoding=doc.encoding,
        text_condition=doc.text_condition, restored_share=doc.restored_share if doc.text else None,
        language=doc.language or ("vi" if doc.text else ""), model_id=doc.model_id or (MODEL_ID if doc.text else ""),
        n_commitments=len(commitments), duplicate_of=doc.duplicate_of, status=doc.status, error=doc.error,
        **{k: m.get(k) for k in ("province", "province_2025", "province_source", "doc_type", "doc_number",
                                 "issued_date", "title", "issuer", "signer", "signer_title", "period_start",
                                 "period_end", "legal_basis")},
    )
    pages = [dict(doc_id=doc.doc_id, page=p.number, source=p.source, ocr_confidence=p.ocr_confidence,
                  low_confidence=(p.ocr_confidence is not None and p.ocr_confidence < 70), chars=len(p.text),
                  ocr_dpi=p.ocr_dpi)
             for p in doc.pages if p.number is not None]
    agencies = [dict(a, doc_id=doc.doc_id) for a in doc.agencies]
    error = dict(path=doc.path, doc_id=doc.doc_id, stage=doc.error_stage, error=doc.error) if doc.error else None
    return dict(document=document, commitments=commitments, agencies=agencies, pages=pages, error=error,
                text=doc.text if doc.status == "ok" else None)


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, disable=quiet or not sys.stderr.isatty())


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The pipeline version and a hash of its code and data: part of every cache key."""
    import hashlib

    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for folder in ("pipeline", "extractors"):
        for f in sorted((root / folder).rglob("*")):
            if f.suffix in (".py", ".yaml", ".txt") and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def current_model_id() -> str:
    from pipeline.vietnamese.corpus import sha256
    from pipeline.vietnamese.restore import model_dir

    p = model_dir() / "restore.npz"
    return "restore-" + sha256(p)[:12] if p.exists() else "none"


def warm_up() -> None:
    """Load models and gazetteers once in the parent, so forked workers share them."""
    from extractors.agencies import _gazetteer
    from extractors.indicators import term_gazetteer

    _gazetteer()
    term_gazetteer(False)
    term_gazetteer(True)
    try:
        from pipeline.vietnamese.restore import load_restorer

        load_restorer()
    except FileNotFoundError:
        pass


def _doc_key(inp: Input, model_id: str, password: str | None) -> str | None:
    from pipeline import cache

    sha = inp.sha256
    if sha is None:
        return None
    return cache.key("document", sha, inp.doc_id, str(inp.path), code_version(), model_id, bool(password))


def cached_result(inp: Input, model_id: str, password: str | None = None) -> dict | None:
    from pipeline import cache

    k = _doc_key(inp, model_id, password)
    return cache.get("documents", k) if k else None


def process_cached(inp: Input, model_id: str, password: str | None = None, cache_dir: str | None = None) -> dict:
    """`process`, unless an unchanged input was processed before by the same code and model."""
    from pipeline import cache

    if cache_dir:  # on a cluster worker, which does not share the client's environment
        os.environ["CHITIEU_CACHE_DIR"] = cache_dir

    k = _doc_key(inp, model_id, password)
    hit = cache.get("documents", k) if k else None
    if hit is not None:
        return hit
    result = process(inp, password)
    if k is None:
        return result
    if result["document"].get("status") == "ok":
        cache.put("documents", k, result)
    return result


def _failed(inp: Input, message: str) -> dict:
    doc = Document(path=str(inp.path), doc_id=inp.doc_id, status="error", error=message, error_stage="worker")
    return rows_of(doc)


def run_on_cluster(scheduler: str, todo: list[Input], model_id: str, password: str | None,
                   on_result) -> None:
    """The per-document work on an existing Dask distributed cluster; results come back in any order.
    Workers need this package, its model and tesseract; they read the inputs by path."""
    from distributed import Client, as_completed

    cache_dir = os.environ.get("CHITIEU_CACHE_DIR")
    with Client(scheduler) as client:
        futures = {client.submit(_on_worker, inp, model_id, password, cache_dir, pure=False): i
                   for i, inp in enumerate(todo)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                on_result(i, "ok", fut.result())
            except Exception as e:
                on_result(i, "error", f"{type(e).__name__}: {e}".splitlines()[0][:300])


def _on_worker(inp: Input, model_id: str, password: str | None, cache_dir: str | None) -> dict:
    result = process_cached(inp, model_id, password, cache_dir)
    return dict(result, worker_pid=os.getpid())


def run_batch(args: list[str], out: Path, workers: int | None = None, quiet: bool = False,
              cache: Path | None = None, password: str | None = None, timeout: float | None = 900,
              memory_mb: int | None = 6144, scheduler: str | None = None) -> dict:
    from pipeline.pool import cpu_count, run_isolated
    from pipeline.write import recover

    started = dt.datetime.now(dt.timezone.utc)
    recover(out)
    inputs = collect_inputs(args, out)
    first_by_hash: dict[str, str] = {}
    todo, dups = [], []
    for inp in sorted(inputs, key=lambda i: i.path.as_posix()):
        try:
            h = inp.sha256 = hashlib.sha256(inp.path.read_bytes()).hexdigest()
        except OSError:
            h = None
        if h and h in first_by_hash:
            dups.append((inp, h, first_by_hash[h]))
        else:
            if h:
                first_by_hash[h] = inp.doc_id
            todo.append(inp)
    workers = workers or min(len(todo), cpu_count()) or 1
    os.environ["CHITIEU_CACHE_DIR"] = str(cache or out / ".cache")
    if workers > 1:
        os.environ.setdefault("CHITIEU_OCR_THREADS", "1")  # documents already fill the cores
    model_id = current_model_id()
    results: list[dict | None] = [cached_result(inp, model_id, password) for inp in todo]
    misses = [i for i, r in enumerate(results) if r is None]
    bar = _progress(len(todo), quiet)
    bar.update(len(todo) - len(misses))
    if misses:
        warm_up()

    def done(k: int, status: str, value) -> None:
        i = misses[k]
        results[i] = value if status == "ok" else _failed(todo[i], value)
        bar.update()

    if scheduler:
        run_on_cluster(scheduler, [todo[i] for i in misses], model_id, password, done)
    else:
        run_isolated(functools.partial(process_cached, model_id=model_id, password=password),
                     [todo[i] for i in misses], workers, timeout, done, memory_mb)
    bar.close()
    worker_pids = sorted({r.pop("worker_pid") for r in results if r and "worker_pid" in r})
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
    info = dict(tool="chitieu", version=__version__, code=code_version(), model_id=model_id,
                started=started.isoformat(), finished=dt.datetime.now(dt.timezone.utc).isoformat(),
                inputs=[dict(path=d["path"], doc_id=d["doc_id"], sha256=d.get("sha256", "")) for d in documents])
    write_dataset(out, commitments, documents, pages, agencies, errors, texts, info)
    ok = sum(1 for d in documents if d.get("status") == "ok")
    return dict(documents=len(documents), ok=ok, failed=len(documents) - ok, commitments=len(commitments),
                seconds=(dt.datetime.now(dt.timezone.utc) - started).total_seconds(), worker_pids=worker_pids)
