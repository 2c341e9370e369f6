"""One orthography: every comparison of Vietnamese text places tone marks one way.

Plans are written in both conventions (`hòa`/`hoà`, `thủy`/`thuỷ`, `khỏe`/`khoẻ`); the data files
in one of them. Whatever the mix, a phrase must be found, and the matching form must be the very
form the restoration model's vocabulary is keyed by (`canonical`), so the two can never drift.
"""
import unicodedata

import regex

from extractors.lexicon import phrase_pattern
from extractors.metadata import _period
from extractors.nlp import Gazetteer
from extractors.orthography import (TONE_MARKS, VOWELS, canonical, fold, fold_same_length, match_form, split_tone,
                                    strip_marks)
from pipeline.vietnamese.syllables import inventory

TRADITIONAL = ["hòa", "hóa", "thủy", "khỏe", "của", "ngoài", "quả", "già"]
MODERN = ["hoà", "hoá", "thuỷ", "khoẻ", "cuả", "ngoaì", "qủa", "gìa"]


def test_both_placements_have_the_traditional_matching_form():
    for trad, modern in zip(TRADITIONAL, MODERN):
        assert match_form(trad) == match_form(modern) == trad, (trad, modern)
        assert canonical(modern) == trad


def test_data_in_one_convention_matches_text_in_the_other():
    text_new, text_old = "Sở Văn hoá, Thể thao và Du lịch; Công ty Thuỷ lợi", "Sở Văn hóa, Thể thao và Du lịch; Công ty Thủy lợi"
    for data, text in ((["văn hóa", "thủy lợi"], text_new), (["văn hoá", "thuỷ lợi"], text_old)):
        rx = regex.compile(phrase_pattern(data))
        assert [text[m.start():m.end()] for m in rx.finditer(match_form(text))] == \
            [w for w in ("Văn hoá", "Văn hóa", "Thuỷ lợi", "Thủy lợi") if w in text]
        gaz = Gazetteer({"culture": [data[0]], "irrigation": [data[1]]})
        assert [label for _, _, label in gaz.find(text)] == ["culture", "irrigation"]


def test_matching_form_is_the_models_canonical_form():
    """Every syllable of the inventory, in any placement and case, matches as its canonical form,
    and every placement of one syllable has the same form."""
    for syllable in inventory():
        base, tone = split_tone(syllable)
        variants = {syllable, syllable.upper(), syllable.capitalize()}
        if tone:
            for i in (i for i, c in enumerate(base) if c in VOWELS):
                variants.add(unicodedata.normalize("NFC", base[:i] + base[i] + TONE_MARKS[tone]) + base[i + 1:])
        forms = {match_form(v) for v in variants}
        assert forms == {canonical(syllable)}, (syllable, forms)
        assert canonical(canonical(syllable)) == canonical(syllable)


def test_forms_keep_offsets_and_fold_drops_every_mark():
    text = "ỦY BAN NHÂN DÂN Tỉnh Ðồng Tháp: thuỷ sản 12,5% (İstanbul)"
    assert len(match_form(text)) == len(text)
    assert match_form("ÐỒNG") == "đồng"
    assert len(fold_same_length(text)) == len(text)
    assert fold("Đường   Thủy-nội địa") == "duong thuy - noi dia"
    assert strip_marks("Đường") == "Duong"


def test_a_cited_documents_date_is_not_the_plans_year():
    """The title's citation (`… số 42/2006/NQ-HĐND ngày 12 tháng 7 năm 2006`) is left out with its
    date, so the plan's own year stands alone (the date was missed while `ngày` was compared in
    another placement than the text's)."""
    title = "Kế hoạch đầu tư thực hiện Nghị quyết số 42/2006/NQ-HĐND ngày 12 tháng 7 năm 2006 năm 2009"
    assert _period(title, None) == (2009, 2009)
