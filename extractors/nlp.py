"""spaCy over Vietnamese syllables, for gazetteer matching with character offsets.

There is no trained Vietnamese pipeline (and no download), so this is a blank
`vi` pipeline whose tokenizer splits syllables, digits and punctuation, and a
registered component that sets each token's NORM to its matching form (lower
case, the one tone placement of `extractors.orthography`). A `PhraseMatcher`
on NORM then finds agency and indicator phrases however their tone marks were
placed, and each match is a span with character offsets into the clause.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.orthography import TOKEN, fold_word, match_form


class SyllableTokenizer:
    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        for m in TOKEN.finditer(text):
            words.append(m.group())
            spaces.append(m.end() < len(text) and text[m.end()].isspace())
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # Doc re-derives offsets from words+spaces; keep true offsets for texts with runs of spaces
        doc.user_data["offsets"] = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        return doc


@Language.component("chitieu_match_norms")
def match_norms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = match_form(token.text)
    return doc


@Language.component("chitieu_folded_norms")
def folded_norms(doc: Doc) -> Doc:
    """For text whose diacritics were restored: a wrong mark must not hide a phrase."""
    for token in doc:
        token.norm_ = fold_word(token.text)
    return doc


@lru_cache(maxsize=2)
def nlp(folded: bool = False) -> Language:
    pipeline = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    pipeline.tokenizer = SyllableTokenizer(pipeline.vocab)
    pipeline.add_pipe("chitieu_folded_norms" if folded else "chitieu_match_norms")
    return pipeline


class Gazetteer:
    """Phrases under labels; `find` returns (start_char, end_char, label), longest first.
    `folded` matches without diacritics, for restored text."""

    def __init__(self, phrases: dict[str, list[str]], folded: bool = False):
        self.nlp = nlp(folded)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for label, variants in phrases.items():
            self.matcher.add(label, [self.nlp(v) for v in variants if v.strip()])

    def find(self, text: str) -> list[tuple[int, int, str]]:
        doc = self.nlp(text)
        offs = doc.user_data["offsets"]
        found = []
        for match_id, s, e in self.matcher(doc):
            found.append((offs[s][0], offs[e - 1][1], self.nlp.vocab.strings[match_id]))
        kept = []
        for s, e, label in sorted(found, key=lambda x: (-(x[1] - x[0]), x[0])):
            if all(e <= ks or s >= ke for ks, ke, _ in kept):
                kept.append((s, e, label))
        return sorted(kept)

    def find_all(self, text: str) -> list[tuple[int, int, str]]:
        """Every match, overlapping ones included."""
        doc = self.nlp(text)
        offs = doc.user_data["offsets"]
        return sorted((offs[s][0], offs[e - 1][1], self.nlp.vocab.strings[m]) for m, s, e in self.matcher(doc))
