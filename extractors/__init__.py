"""Rule-based extractors. Each has one job; its language data lives in `extractors/data/`."""
