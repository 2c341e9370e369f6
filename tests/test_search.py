"""The compiled beam search (`search.search`) against its plain-Python definition."""
import random

import pytest

from pipeline.vietnamese.lm import LanguageModel
from pipeline.vietnamese.restore import BEAM, DELTA, DELTA_BOTH, FORWARD_WEIGHT, load_restorer
from pipeline.vietnamese.search import search, search_reference


def _runs(vocab_size: int, seed: int, n: int = 150):
    """Runs as the decoder builds them: steps of 1 to 14 candidates (a context token is one
    candidate with no syllable), channel log probabilities from 0 down to -12, ties included."""
    rng = random.Random(seed)
    for _ in range(n):
        run = []
        for i in range(rng.randint(1, 25)):
            k = 1 if rng.random() < 0.15 else rng.randint(1, min(14, vocab_size - 1))
            ids = rng.sample(range(1, vocab_size), k)
            cands = [(sid, None if k == 1 else f"s{sid}", 0.0 if k == 1 else rng.choice([0.0, -1.0, -rng.random() * 12]))
                     for sid in ids]
            run.append((i, cands, None))
        yield run


@pytest.mark.parametrize("both", [True, False])
def test_the_compiled_search_chooses_what_the_reference_chooses(both):
    r = load_restorer()
    lmb = r.lmb if both else None
    delta = DELTA_BOTH if both else DELTA
    vocab = len(r.lm.vocab)
    for run in _runs(vocab, seed=7 if both else 11):
        assert search(run, r.lm, lmb, BEAM, delta, FORWARD_WEIGHT) == \
            search_reference(run, r.lm, lmb, BEAM, delta, FORWARD_WEIGHT)


def test_the_compiled_search_follows_a_document_s_unigrams_and_a_narrow_beam():
    """A second pass swaps the unigram list; a beam of 2 prunes hard: still the same choices."""
    lm = LanguageModel.train([s.split() for s in ["một hai ba", "hai ba bốn", "ba bốn năm", "một ba năm"] * 3])
    lmb = LanguageModel.train([s.split()[::-1] for s in ["một hai ba", "hai ba bốn", "ba bốn năm", "một ba năm"] * 3],
                              vocab=lm.vocab)
    for run in _runs(len(lm.vocab), seed=3, n=60):
        for width in (1, 2, 20):
            assert search(run, lm, lmb, width, 8.0, 0.5) == search_reference(run, lm, lmb, width, 8.0, 0.5)
        lm.uni_p = [p * 0.5 for p in lm.uni_p]
        lm.uni_p[1] += 0.5
        assert search(run, lm, lmb, BEAM, 8.0, 0.5) == search_reference(run, lm, lmb, BEAM, 8.0, 0.5)


@pytest.mark.parametrize("group", ["liberation", "dejavu", "vie"])
def test_the_compiled_letter_level_channel_scores_as_the_channel_does(group):
    from pipeline.vietnamese.spelling import Speller

    r = load_restorer()
    channel = r.channels.groups[group]
    speller = Speller(channel)
    rng = random.Random(5)
    tokens = ["chifc", "ngudn", "vitng", "ltrc", "nhvu", "thiv", "d¢c", "nw6c", "hwdéng", "x", "phu’ong", "ửa", "đ"]
    for token in tokens:
        syllables = rng.sample(r._known, 40) + ["chức", "nguồn", "vững", "được", "nước", "hướng"]
        assert speller.logps(syllables, token) == [channel.spelling_logp(s, token) for s in syllables]
