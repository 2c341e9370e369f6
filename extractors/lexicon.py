"""Loading language data files and turning phrase lists into matchers.

Phrases are matched on `orthography.match_form` (lower case, one tone placement),
so data files are written once, in ordinary spelling.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex
import yaml

from extractors.orthography import match_form

DATA = Path(__file__).parent / "data"
EDGE_L = r"(?<![\p{L}\d])"
EDGE_R = r"(?![\p{L}\d])"


# What code reads from each data file: the top-level keys of a mapping file, or the fields of
# each entry of a list file (and of each value of `sectors`). A key nobody reads is a cue list
# that silently does nothing, so it fails at load, as does a key the code needs and the file
# lacks (dateparser validates its language data the same way).
SCHEMA: dict[str, dict] = {
    "quantities": dict(keys={"units", "scale_words", "count_nouns", "not_before", "not_after", "comparators",
                             "range_joiners", "per_year", "directions", "rate_denominators", "fraction_of",
                             "not_before_except", "condition", "unit_columns", "spelled_numbers", "once"}),
    "temporal": dict(keys={"future", "past", "past_sections", "past_sections_not", "base_year_before", "onwards", "target_sections",
                             "target_columns", "past_columns", "ratio_columns", "present_openers", "own_commitment",
                             "scoring_sections", "amount_columns", "name_columns", "named_by_year", "payments"}),
    "scope": dict(keys={"scope_lead", "scope_stop", "areas"}),
    "agency_structure": dict(keys={"section_titles", "heads", "verbs", "lead", "lead_anywhere", "coordinate",
                                   "request", "generic", "assign_openers", "execution", "person_titles",
                                   "not_agencies", "table_columns", "heading_not", "role_labels", "local_committee", "verb_nouns", "city_names"}),
    "documents": dict(keys={"types", "title_openers", "symbols", "issuers", "signature", "period_headings",
                            "proposal_openers", "no_commitment_titles", "named_after_people"}),
    "markers": dict(keys={"bullets", "roman_after", "arabic_after", "legal_headings", "row_number_columns", "note_columns", "subrow_labels"}),
    "sectors": dict(values={"vi", "en", "keywords"}),
    "agencies": dict(entries={"name", "aliases", "successor_2025", "sectors"}, optional={"aliases", "sectors"}),
    "indicators": dict(entries={"id", "vi", "en", "sector", "unit_kind", "patterns", "per_year", "unit_std"},
                       optional={"per_year", "unit_std"}),
}


class LexiconError(ValueError):
    """A language data file that does not say what the code reads."""


def validate(name: str, data) -> None:
    schema = SCHEMA.get(name)
    if schema is None:
        raise LexiconError(f"{name}.yaml: no schema says which of its keys code reads")
    where = f"extractors/data/{name}.yaml"
    if "keys" in schema:
        if not isinstance(data, dict):
            raise LexiconError(f"{where}: expected a mapping")
        unread, missing = set(data) - schema["keys"], schema["keys"] - set(data)
        if unread:
            raise LexiconError(f"{where}: key(s) {sorted(unread)} are read by no code")
        if missing:
            raise LexiconError(f"{where}: key(s) {sorted(missing)} are missing")
        for key, value in data.items():
            if value in (None, [], {}):
                raise LexiconError(f"{where}: {key} is empty")
    elif "values" in schema:
        for code, entry in data.items():
            if set(entry) != schema["values"]:
                raise LexiconError(f"{where}: {code} has {sorted(entry)}, expected {sorted(schema['values'])}")
    else:
        fields, optional = schema["entries"], schema.get("optional", set())
        for i, entry in enumerate(data):
            unread, missing = set(entry) - fields, fields - optional - set(entry)
            if unread or missing:
                raise LexiconError(f"{where}: entry {i + 1} ({entry.get('id') or entry.get('name')}): "
                                   f"unread {sorted(unread)}, missing {sorted(missing)}")


@lru_cache(maxsize=None)
def load(name: str):
    """A language data file, validated against what code reads from it."""
    with open(DATA / f"{name}.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    validate(name, data)
    return data


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


@lru_cache(maxsize=1)
def sector_matchers() -> list[tuple[str, "regex.Pattern"]]:
    """(sector code, pattern of its keywords in matching form), in the order of `sectors.yaml`:
    the one matcher of sectors, for an agency's tasks and a target's words alike."""
    return [(code, regex.compile(phrase_pattern(d["keywords"]))) for code, d in load("sectors").items()]
