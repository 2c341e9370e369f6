"""Building the restoration model: its sources (corpus), rendered pages read back by OCR (render),
the build itself (build) and adaptation to an archive (adapt).

A run of `chitieu extract` never imports this package: it reads the finished model through
`pipeline.vietnamese.modelfile` and `restore`. Only `chitieu model`, `make model` and the benchmarks do.
"""
