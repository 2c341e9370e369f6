"""The pipeline, top to bottom, and the batch around it.

    ingest → normalise → language → structure → extract → link    (per document)
    write                                                          (per batch, atomically)

Each stage is a function from a `Document` to the same `Document`; a stage
that cannot go on raises `StageError`, which becomes one line in errors.csv
while the batch goes on.

The batch (`run_batch`) reads as its steps: check the paths (`preflight`), find the inputs
(`discover`), set byte copies aside (`dedupe`), run each document in its own worker through the
cache (`pool`), mark copies of one text in two formats (`dedupe`), write the dataset (`write`).
The stage modules are imported when a document is processed, so that a bad path is reported before
the second it takes to load them.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import tempfile
from pathlib import Path

from pipeline.dedupe import Text, near_duplicates
from pipeline.discover import Input, Skipped, discover
from pipeline.errors import OutputError, UsageError
from pipeline.preflight import check_inputs, check_model, check_output, dataset_size
from pipeline.provenance import code_version, current_model_id, run_info
from pipeline.record import Document, StageError
from pipeline.rows import duplicate_rows, failed_rows, mark_duplicate, rows_of
from pipeline.settings import Settings, active, use

log = logging.getLogger(__name__)

__all__ = ["Input", "Skipped", "process", "process_cached", "run_batch", "stages"]


def stages() -> list:
    """(name, function) of the registered stages in order (`pipeline.stages`)."""
    from pipeline.stages import pipeline

    return [(s.name, s.fn) for s in pipeline()]


def process(inp: Input, settings: Settings | None = None) -> dict:
    """Run every stage on one input; return plain rows (picklable for worker processes)."""
    settings = settings or active()
    doc = Document(path=str(inp.path), doc_id=inp.doc_id)
    stage = "read"
    with use(settings):
        try:
            for stage, fn in stages():
                doc = fn(doc)
        except StageError as e:
            doc.status, doc.error, doc.error_stage = "error", e.message, e.stage
        except Exception as e:  # a bug or a broken file must not stop the batch
            msg = f"{type(e).__name__}: {e}".splitlines()[0][:300]
            doc.status, doc.error, doc.error_stage = "error", msg, stage
            log.debug("%s failed at %s", inp.path, stage, exc_info=True)
    return rows_of(doc)


def _doc_key(inp: Input, model_id: str, settings: Settings) -> str | None:
    from pipeline import cache

    if inp.sha256 is None:
        return None
    return cache.key("document", inp.sha256, inp.doc_id, str(inp.path), code_version(), model_id,
                     bool(settings.password))


def cached_result(inp: Input, model_id: str, settings: Settings) -> dict | None:
    from pipeline import cache

    with use(settings):
        k = _doc_key(inp, model_id, settings)
        return cache.get("documents", k) if k else None


def process_cached(inp: Input, model_id: str, settings: Settings) -> dict:
    """`process`, unless an unchanged input was processed before by the same code and model."""
    from pipeline import cache

    with use(settings):
        k = _doc_key(inp, model_id, settings)
        hit = cache.get("documents", k) if k else None
        if hit is not None:
            return hit
        result = process(inp, settings)
        if k is not None and result["document"].get("status") == "ok":
            cache.put("documents", k, result)
        return result


def run_on_cluster(todo: list[Input], model_id: str, settings: Settings, on_result) -> None:
    """The per-document work on an existing Dask distributed cluster; results come back in any order.
    Workers need this package, its model and tesseract; they read the inputs by path."""
    from distributed import Client, as_completed

    with Client(settings.scheduler) as client:
        futures = {client.submit(_on_worker, inp, model_id, settings, pure=False): i
                   for i, inp in enumerate(todo)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                on_result(i, "ok", fut.result())
            except Exception as e:
                on_result(i, "error", f"{type(e).__name__}: {e}".splitlines()[0][:300])


def _on_worker(inp: Input, model_id: str, settings: Settings) -> dict:
    return dict(process_cached(inp, model_id, settings), worker_pid=os.getpid())


def warm_up() -> None:
    """Load models and gazetteers once in the parent, so forked workers share them."""
    from extractors.agencies import _gazetteer
    from extractors.indicators import term_gazetteer

    stages()
    _gazetteer()
    term_gazetteer(False)
    term_gazetteer(True)
    try:
        from pipeline.vietnamese.restore import load_restorer

        load_restorer().preload()
    except FileNotFoundError:
        log.info("no restoration model: damaged documents will fail")


def _progress(total: int, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, disable=quiet or not sys.stderr.isatty())


def _byte_copies(inputs: list[Input]) -> tuple[list[Input], list[tuple[Input, int]]]:
    """Inputs to process, and byte-identical copies with the index (in the first list) of the
    first file in path order with the same bytes."""
    import hashlib

    first: dict[str, int] = {}
    todo, copies = [], []
    for inp in sorted(inputs, key=lambda i: i.path.as_posix()):
        try:
            h = inp.sha256 = hashlib.sha256(inp.path.read_bytes()).hexdigest()
        except OSError:
            h = None  # the read stage says why
        if h and h in first:
            copies.append((inp, first[h]))
        else:
            if h:
                first[h] = len(todo)
            todo.append(inp)
    return todo, copies


def _mark_text_copies(results: list[dict]) -> list[tuple[str, str, float]]:
    """The same text read from two formats (a .txt and a .docx, a PDF and its Word file): the copy
    keeps its documents.csv row with `duplicate_of`, and loses its rows. The original is the
    cleanest reading (not OCR'd or restored), then the source format (text or Word before PDF),
    then the first path. `dedupe` says which pairs are never merged."""
    by_id = {r["document"]["doc_id"]: r for r in results}
    texts = [Text(key=d["doc_id"], kind=d.get("format") or "",
                  rank=(bool(d.get("ocr")) or bool(d.get("restored_share")),  # the cleanest reading,
                        str(d.get("format", "")).startswith(("pdf", "image")), d["path"]),  # the source format
                  text=r["text"],
                  facts=(d.get("province"), d.get("doc_number"), d.get("issued_date")),
                  figures=frozenset((c["value"], c["unit"]) for c in r["commitments"]))
             for r in results for d in [r["document"]]
             if r["text"] and d.get("status") == "ok" and not d.get("duplicate_of")]
    found = near_duplicates(texts)
    for copy, (original, sim) in found.items():
        by_id[copy].update(mark_duplicate(by_id[copy], original))
    return [(copy, original, sim) for copy, (original, sim) in sorted(found.items())]


def _adapt(results: list[dict], settings: Settings, model_id: str) -> dict | None:
    """After the first pass: when the run has clean plans and restored documents, the model adapted
    to the clean ones (`vietnamese.adaptation`) and which documents to restore again with it."""
    if not settings.adapt or model_id == "none":
        return None
    from pipeline.vietnamese import adaptation
    from pipeline.vietnamese.restore import model_dir

    redo = [i for i, r in enumerate(results) if r and adaptation.was_restored(r["document"])]
    learn = {r["document"].get("sha256", ""): r["text"] for r in results
             if r and r.get("text") and adaptation.teaches(r["document"])}
    with use(settings):  # the clean plans of earlier runs into the same folder teach it too
        learn = sorted(adaptation.remember(learn).items())
        base = model_dir() / "restore.npz"
    if not redo or not learn:
        return None
    folder = adaptation.adapted_model(base, [t for _, t in learn], settings.cache_dir)
    if folder is None:
        return None
    adapted = settings.with_(model_dir=folder)
    with use(adapted):
        adapted_id = current_model_id()
    log.info("second pass: %d restored documents with the model adapted on %d clean ones (%s)",
             len(redo), len(learn), adapted_id)
    return dict(settings=adapted, model_id=adapted_id, redo=redo, weight=adaptation.WEIGHT,
                learned=sorted(h for h, _ in learn))


def run_batch(args: list[str], out: Path, settings: Settings | None = None, quiet: bool = False,
              force: bool = False) -> dict:
    """Extract every input into the dataset in `out`; the summary of the run.
    Raises `RunError` (with its exit code) before anything is read when a path, the model or the
    output is wrong, and rather than replace a non-empty dataset with an empty one (unless `force`)."""
    from pipeline.pool import cpu_count, run_isolated

    started = dt.datetime.now(dt.timezone.utc)
    settings = settings or Settings.from_env()
    check_inputs(args)
    if settings.model_dir is not None:
        check_model(settings.model_dir)
    inputs, skipped = discover(args, out)
    previous = dataset_size(out)
    if not inputs and previous and not force:
        raise UsageError(f"no documents to read in {' '.join(args)}; the dataset in {out} ({previous} "
                         "commitments) is left as it was (--force replaces it with an empty one)")
    settings = settings.with_(cache_dir=settings.cache_dir or out / ".cache")
    check_output(out, settings.cache_dir, inputs, force)
    from pipeline.write import recover, write_dataset

    recover(out)

    todo, copies = _byte_copies(inputs)
    workers = settings.workers or min(len(todo), cpu_count()) or 1
    if workers > 1 and not settings.ocr_threads:
        settings = settings.with_(ocr_threads=1)  # documents already fill the cores
    settings = settings.with_(workers=workers)
    with use(settings):
        model_id = base_model_id = current_model_id()
    results: list[dict | None] = [cached_result(inp, model_id, settings) for inp in todo]
    misses = [i for i, r in enumerate(results) if r is None]
    log.info("%d documents, %d byte copies, %d from the cache, %d to process on %d workers",
             len(inputs), len(copies), len(todo) - len(misses), len(misses), workers)
    bar = _progress(len(todo), quiet)
    bar.update(len(todo) - len(misses))

    def done(k: int, status: str, value) -> None:
        i = misses[k]
        results[i] = value if status == "ok" else failed_rows(str(todo[i].path), todo[i].doc_id, value, "worker")
        bar.update()

    def run(indices: list[int], model_id: str, settings: Settings) -> None:
        if not indices:
            return
        with use(settings):
            warm_up()
        if settings.scheduler:
            run_on_cluster([todo[i] for i in indices], model_id, settings, done)
        else:
            with tempfile.TemporaryDirectory(prefix="chitieu-run-") as tmp:
                run_isolated(functools.partial(process_cached, model_id=model_id, settings=settings),
                             [todo[i] for i in indices], workers, settings.timeout, done, settings.memory_mb,
                             tmp_dir=tmp)

    adapted = None
    try:
        run(misses, model_id, settings)
        adapted = _adapt(results, settings, model_id)
        if adapted:  # the second pass: the restored documents again, with the adapted model
            settings, model_id, redo = adapted["settings"], adapted["model_id"], adapted["redo"]
            for i in redo:
                results[i] = cached_result(todo[i], model_id, settings)
            misses = [i for i in redo if results[i] is None]
            bar.total += len(redo)
            bar.update(len(redo) - len(misses))
            run(misses, model_id, settings)
    finally:
        bar.close()
    worker_pids = sorted({r.pop("worker_pid") for r in results if r and "worker_pid" in r})
    for inp, original in copies:
        results.append(duplicate_rows(str(inp.path), inp.doc_id, inp.sha256, results[original]))
    text_copies = _mark_text_copies(results)
    results.sort(key=lambda r: r["document"]["doc_id"])

    commitments = [c for r in results for c in r["commitments"]]
    if previous and not commitments and not force:
        raise UsageError(f"this run found no commitments; the dataset in {out} ({previous} commitments) "
                         "is left as it was (--force replaces it with an empty one)")
    documents = [r["document"] for r in results]
    agencies = sorted((a for r in results for a in r["agencies"]), key=lambda a: (a["doc_id"], a["agency"]))
    pages = [p for r in results for p in r["pages"]]
    errors = [r["error"] for r in results if r["error"]]
    errors += [dict(path=str(s.path), doc_id="", stage="skipped", error=s.reason) for s in skipped]
    texts = {r["document"]["doc_id"]: r["text"] for r in results if r["text"] is not None}
    info = run_info(started, base_model_id, documents, skipped)
    if adapted:
        info["adapted_model"] = dict(model_id=model_id, base=base_model_id, weight=adapted["weight"],
                                     documents=adapted["learned"], restored_with_it=len(adapted["redo"]))
    try:
        write_dataset(out, commitments, documents, pages, agencies, errors, texts, info)
    except OSError as e:
        raise OutputError(f"cannot write the dataset to {out}: {e.strerror or e}; the previous dataset is "
                          "left as it was and the documents read are cached") from e
    failed = [e for e in errors if e["stage"] != "skipped"]
    ok = len(documents) - len(failed)
    return dict(documents=len(documents), ok=ok, failed=len(failed), commitments=len(commitments),
                duplicates=sum(1 for d in documents if d.get("duplicate_of") and d.get("status") == "ok"), skipped=len(skipped),
                failures=[(e["path"], e["stage"], e["error"]) for e in failed],
                passed_over=[(str(s.path), s.reason) for s in skipped], text_copies=text_copies,
                errors_csv=str(out / "errors.csv"),
                seconds=(dt.datetime.now(dt.timezone.utc) - started).total_seconds(), worker_pids=worker_pids)
