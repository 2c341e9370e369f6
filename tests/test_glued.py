"""Two syllables OCR read as one word (`pipeline.vietnamese.glued`): split, or left alone."""
import pytest

from pipeline.vietnamese.glued import split
from pipeline.vietnamese.syllables import inventory

COUNTS = {"lênin": 3, "thực": 900, "hiện": 800, "thự": 1, "chiện": 0, "tổng": 300, "số": 2000, "tổn": 40, "gsố": 0}


@pytest.mark.parametrize("word, parts", [
    ("kếhoạch", ("kế", "hoạch")),
    ("Dựtoán", ("Dự", "toán")),
    ("NGÂNSÁCH", ("NGÂN", "SÁCH")),
    ("HòaBình", ("Hòa", "Bình")),
    ("đơnvị", ("đơn", "vị")),
    ("ủyban", ("ủy", "ban")),
    ("thựchiện", ("thực", "hiện")),  # two ways: the one the model has seen wins
    # left alone: a syllable, a foreign word or a name without marks, a tone on the other vowel,
    # a one-letter part, letters that are no two syllables
    ("nghiêng", None),
    ("Internet", None),
    ("Kontum", None),
    ("Lênin", None),  # the model has read it whole
    ("hoá", None),
    ("thuỷ", None),
    ("ýkiến", None),
    ("ôtô", None),
    ("xyzđ", None),
])
def test_a_glued_pair_of_syllables_is_split_and_other_words_are_not(word, parts):
    assert split(word, lambda s: COUNTS.get(s, 5 if s in inventory() else 0)) == parts


def test_two_ways_of_splitting_without_counts_are_left_alone():
    assert split("thựchiện") is None
    assert split("kếhoạch") == ("kế", "hoạch")
