"""Isolated workers: each document runs in its own forked process.

A document that crashes its process (a segfault in a PDF library), hangs
(past `timeout`) or exhausts its memory (`memory_mb`: how far the worker's
address space may grow beyond what it inherits at the fork) becomes an error
result for that document alone; the batch goes on.
Forking after the parent has loaded the models shares them copy-on-write,
so a worker starts in milliseconds.

Each worker leads its own process group, so that killing it (a timeout, or the
parent interrupted) also kills what it started (tesseract, LibreOffice), and
writes its temporary files under `tmp_dir`, a folder the parent removes: an
interrupted run leaves no page images behind in /tmp.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import time
from multiprocessing.connection import wait
from typing import Callable

log = logging.getLogger(__name__)
# Blocked while a worker is forked: a SIGTERM or Ctrl-C that lands during the fork would otherwise
# run the parent's handler in the new child (seen: the child raised, the parent ran on and wrote
# the dataset). Blocked, it stays pending in the parent and is handled there once the fork is done.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _child(fn, item, conn, memory_mb: int | None, tmp_dir: str | None):
    import faulthandler

    os.setpgid(0, 0)  # its own group: the parent kills it with everything it started
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt stops
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # blocked by the parent around the fork
    faulthandler.disable()  # a crash is reported to the parent; no dump on the terminal
    if tmp_dir:
        import tempfile

        tempfile.tempdir = tmp_dir  # this process only (forked): the parent's module is untouched
    try:
        if memory_mb:
            limit_growth(memory_mb)
        conn.send(("ok", fn(item)))
    except MemoryError:
        conn.send(("error", f"ran out of memory (limit {memory_mb} MB)"))
    except BaseException as e:  # anything else: report, do not hang the parent
        conn.send(("error", f"{type(e).__name__}: {e}".splitlines()[0][:300]))
    finally:
        conn.close()


def limit_growth(memory_mb: int) -> None:
    """Let this process's address space grow by `memory_mb` past what it has now (the fork's).

    Over what the fork hands it, not in all: the parent's address space (the model, and what grows
    with the host's cores, such as each BLAS or allocator thread's reservation) is mapped before the
    worker reads a byte. CI lost a worker OCR'ing a scan to SIGSEGV under a flat 6 GB limit; a worker
    that reaches its limit while the PDF renderer draws a page dies so (reproduced by lowering it),
    where a MemoryError was expected. A hard limit already set (`ulimit -v`) is kept; where the
    present size is unknown (no /proc), no limit is set rather than one that may leave no room."""
    import resource

    now = inherited_address_space()
    if now is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = now + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def inherited_address_space() -> int | None:
    """This process's virtual size in bytes (`VmSize`), None where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def crashed(exitcode: int | None, memory_mb: int | None = None) -> str:
    """The one-line error of a worker that died without answering."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        why = "a library it used failed"
        if memory_mb and -exitcode in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT):
            why += f", or reached the memory limit ({memory_mb} MB more than at its start) and could not say so"
        return f"worker crashed ({name}, exit code {exitcode}): {why}"
    return f"worker crashed (exit code {exitcode})"


def _kill(proc) -> None:
    """The worker and every process it started."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.join()


def run_isolated(fn: Callable, items: list, workers: int, timeout: float | None,
                 on_result: Callable[[int, str, object], None], memory_mb: int | None = None,
                 tmp_dir: str | None = None) -> None:
    """Call fn(item) for every item in its own process; on_result(index, status, value).
    If this is interrupted (KeyboardInterrupt, or any exception from on_result), the running
    workers are killed before it propagates."""
    ctx = mp.get_context("fork")
    pending = list(enumerate(items))
    running: dict[int, tuple] = {}
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                i, item = pending.pop(0)
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(fn, item, send, memory_mb, tmp_dir), daemon=True)
                signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
                try:
                    proc.start()
                finally:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
                send.close()
                running[i] = (proc, recv, time.monotonic())
            wait([r for _, r, _ in running.values()] + [p.sentinel for p, _, _ in running.values()], timeout=0.5)
            for i, (proc, recv, started) in list(running.items()):
                if recv.poll():
                    try:
                        status, value = recv.recv()
                        proc.join()
                    except EOFError:  # the process died before it could answer
                        proc.join()
                        status, value = "error", crashed(proc.exitcode, memory_mb)
                elif not proc.is_alive():
                    proc.join()
                    status, value = "error", crashed(proc.exitcode, memory_mb)
                elif timeout and time.monotonic() - started > timeout:
                    _kill(proc)
                    status, value = "error", f"timed out after {timeout:g} s"
                else:
                    continue
                recv.close()
                del running[i]
                if status != "ok":
                    log.info("item %d: %s", i, value)
                on_result(i, status, value)
    finally:
        for proc, recv, _ in running.values():
            _kill(proc)
            recv.close()
        if running:
            log.info("stopped %d running workers", len(running))


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
