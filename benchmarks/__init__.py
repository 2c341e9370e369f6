"""Benchmarks: measured by `make bench`, never run by `make test`."""
