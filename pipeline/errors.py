"""Failures of a whole run, each with the exit code the command line gives it.

A document's failure is a `record.StageError` (one row in errors.csv; the batch goes on). These
are the others: the run cannot start, or must not replace the dataset it would write over. The
codes are the README's "Exit codes" table; `chitieu extract --help` prints it too.
"""
from __future__ import annotations

EXIT_OK = 0            # every document read, dataset written
EXIT_INTERNAL = 1      # a bug: the message says so; --debug shows the traceback
EXIT_USAGE = 2         # bad arguments or input paths, bad --model, or an empty run over a dataset
EXIT_DOCUMENTS = 3     # the dataset is written, but some documents failed (named in errors.csv)
EXIT_OUTPUT = 4        # --out cannot be written (found at start, or when the dataset is written)
EXIT_INTERRUPTED = 130  # Ctrl-C (143 for SIGTERM): the previous dataset is left as it was


class RunError(Exception):
    """A run that cannot go on; `str()` is the one line the user sees."""
    exit_code = EXIT_INTERNAL


class UsageError(RunError):
    exit_code = EXIT_USAGE


class OutputError(RunError):
    exit_code = EXIT_OUTPUT
