"""Loading language data files and turning phrase lists into matchers.

Phrases are matched on `textkey.match_form` (lower case, one tone placement),
so data files are written once, in ordinary spelling.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex
import yaml

from extractors.textkey import match_form

DATA = Path(__file__).parent / "data"
EDGE_L = r"(?<![\p{L}\d])"
EDGE_R = r"(?![\p{L}\d])"


@lru_cache(maxsize=None)
def load(name: str):
    with open(DATA / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def phrase_pattern(phrases, edges: bool = True, left: bool = True) -> str:
    """An alternation of phrases in matching form, longest first; `edges` keeps a phrase from
    matching inside a word, `left=False` lets it follow a digit (a unit glued to its number)."""
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        esc = r"\s*".join(regex.escape(tok) for tok in match_form(p).split())
        if edges:
            lead = EDGE_L if p[:1].isalnum() and left else (r"(?<![\p{L}])" if p[:1].isalnum() else "")
            right = EDGE_R if p[-1:].isalnum() else ""
            esc = lead + esc + right
        parts.append(esc)
    return "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=None)
def compiled(pattern: str):
    return regex.compile(pattern)


def phrases_regex(phrases: tuple[str, ...], prefix: str = "", suffix: str = ""):
    return compiled(prefix + phrase_pattern(phrases) + suffix)
