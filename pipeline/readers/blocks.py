"""The blocks every state document sets in two columns without rules, and the lines that open or
close them, for the readers that must read those columns apart (`pdf._signature_columns` for a
text layer, `ocr_layout` for a scan): the signature block opens at the recipients' line (`Nơi
nhận:`); the head closes at the line that names the document's type (`KẾ HOẠCH`, from
`extractors/data/documents.yaml`)."""
from __future__ import annotations

from functools import lru_cache

import regex

RECIPIENTS = regex.compile(r"(?i)\s*n[oơ]i\s+nh[aậ]n\b")


@lru_cache(maxsize=1)
def _type_words() -> tuple[str, ...]:
    """The document types as printed in capitals, marks folded (OCR may misread them), longest first."""
    from extractors.lexicon import load
    from extractors.orthography import strip_marks

    return tuple(sorted((strip_marks(t).upper() for t in load("documents")["types"]), key=len, reverse=True))


def names_type(text: str) -> bool:
    """Whether the line is a document type's name, alone or before other words (`KẾ HOẠCH`)."""
    from extractors.orthography import strip_marks

    folded = strip_marks(text.strip())
    return any(folded == t or folded.startswith(t + " ") for t in _type_words())
