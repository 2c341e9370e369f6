"""Language data is authoritative: cue lists are read from their files, and a key no code reads fails at load."""
import pytest

from extractors import lexicon, targets
from helpers import targets_of

SENTENCE = "Năm 2024 đã hoàn thành 30 km đường, phấn đấu đến năm 2028 đạt 95% đường xã được cứng hóa."


def test_emptying_the_future_cue_list_changes_the_extraction(monkeypatch):
    assert [r.value for r in targets_of(SENTENCE, 2025)] == [95.0]
    data = dict(lexicon.load("temporal"), future=["không có cụm này"])
    real = lexicon.load
    monkeypatch.setattr(targets, "load", lambda name: data if name == "temporal" else real(name))
    targets._lex.cache_clear()
    try:
        assert [r.value for r in targets_of(SENTENCE, 2025)] == []  # "đã" now wins: a past figure
    finally:
        targets._lex.cache_clear()


def test_a_key_no_code_reads_fails_at_load():
    data = dict(lexicon.load("temporal"), forgotten_cues=["sắp tới"])
    with pytest.raises(lexicon.LexiconError, match="read by no code"):
        lexicon.validate("temporal", data)
    with pytest.raises(lexicon.LexiconError, match="missing"):
        lexicon.validate("temporal", {k: v for k, v in data.items() if k not in ("past", "forgotten_cues")})


def test_every_data_file_validates():
    for name in lexicon.SCHEMA:
        lexicon.load(name)
    assert {p.stem for p in lexicon.DATA.glob("*.yaml")} == set(lexicon.SCHEMA)
