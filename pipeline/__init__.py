"""chitieu: a pipeline from Vietnamese provincial plans to a dataset of quantitative commitments."""

__version__ = "0.1.0"
