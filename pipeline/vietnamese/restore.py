"""Restoring Vietnamese diacritics and repairing English-model OCR, as decoding.

For each token, the candidates are the syllables it can come from: for text
stripped to ASCII, every syllable with that skeleton; for OCR damage, the
syllables whose likely OCR spellings under the document's font family
(channel.py) include the token. A beam search over the candidates scores each
path by the syllable trigram model plus the channel's log probability, so `s6`
becomes `số` after `Két luan` and `sáu` nowhere; stripped text is scored by a
forward and a backward model together. Numbers, dates and document codes are never touched;
tokens with no candidate (acronyms such as `UBND`, `HIV`) stay as they are.
"""
from __future__ import annotations

import bisect
import json
import math
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import regex

from extractors.markers import LETTER
from extractors.orthography import fold, fold_word
from pipeline.vietnamese import casing
from pipeline.vietnamese.channel import VIE, Channels
from pipeline.vietnamese.lm import LanguageModel
from pipeline.vietnamese.search import search, tables
from pipeline.vietnamese.spelling import Speller
from pipeline.vietnamese.syllables import canonical, inventory, strip_marks
from pipeline.vietnamese.tokens import DIGIT_UNIT, NUM, Token, item_end, tokenize

VOWEL_SKELETON = regex.compile(r"[aeiouy]+")
NO_VOWEL = regex.compile(r"[b-df-hj-np-tv-xz]{2,}")  # letters of an acronym: `vnpt`, `bts`
# a heading's Roman numeral as English-model OCR writes it, `I` read as `l` or `1` (`Il.`, `Ill.`,
# `1V.`, `111.`): some `I`/`l` in it (`11.` is eleven) and some `l`/`1` (`II.` is right as it stands)
ROMAN_OCR = regex.compile(r"^(\s*)((?=[1IlV]*[Il])(?=[IV]*[1l])[1IlV]{2,4}|111)(\.)(?=\s)")
ROMAN_HEADINGS = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})
BEAM = 20                 # paths kept per step of the search
PRUNE = 6.0               # candidates whose prior is this far (in nats) below the best one's are dropped
DELTA = 12.0              # paths this far behind the best one are dropped
DELTA_BOTH = 8.0          # ... when two models are averaged (their scores spread less)
# every text is scored by the forward and the backward model, half each: a syllable is judged by
# the two after it as well as the two before (on the dev plans' English-model OCR this made 10 %
# fewer errors than the forward model alone: `con công nhân người lao động`, not `công nhận`)
FORWARD_WEIGHT = 0.5
STRIPPED_K = 12
OCR_K = 12
# a vowel the channel never saw read this way, and more when the token's own letters make a syllable.
# Scored by both models, a syllable's context counts half per direction, so these are a little lower
# than they were for the forward model alone (-5, -3): on sample 000 (real English-model OCR) -5/-3
# lost `khó khăn`, `hằng năm`, `còn dưới` to `khín`, `hạng núm`, `con`; on the 14 dev plans OCR'd in
# DejaVu / Liberation, syllable errors with -5/-3: 926 / 1174, -4.5/-2.5: 940 / 1186, -4/-2: 980 / 1215
WILDCARD_PENALTY = -4.5
FITS_PENALTY = -2.5
LONE_SIGNS = ("6", "¢", "@", "&")  # what English-model OCR writes for a lone `ở` or `có`
LONE_PENALTY = -2.0       # ... read as a syllable only where the sentence is clearly better for it
VIE_IDENTITY = -0.1       # the least log p of a `vie` token read as itself (its channel may have it lower)
# a damaged document is restored twice: the second time, its own syllables (as the first pass read
# them) make up this share of the unigram distribution every context backs off to, so a word the
# document uses throughout (`chợ` in a plan for markets) wins where its context is unknown to the
# model. Syllable errors on the 14 dev plans (DejaVu OCR / Liberation OCR / stripped): one pass
# 938 / 1184 / 710; share 0.2: 877 / 1115 / 688; 0.4: 846 / 1090 / 689; 0.6: 837 / 1084 / -
DOCUMENT_SHARE = 0.5
# ... and, beside it, each candidate gains this weight times how much more often than the model
# expects the document's first pass used it elsewhere (`_topical`): the unigram share only counts
# where the context backs off, and `107 chỗ` and `107 chợ` are both known bigrams
DOCUMENT_BONUS = 1.0
# ... but only this share of it where the candidate has no neighbour, on either side, that the first
# pass read beside it elsewhere in the document (`_unsupported`). Syllable errors on the 14 dev plans
# (DejaVu OCR / Liberation OCR / stripped, `benchmarks.errors`): 0 654 / 783 / 609; 0.25 649 / 783 /
# 612; 0.5 641 / 769 / 613; 0.75 639 / 765 / 614; 1 650 / 768 / 618
UNSUPPORTED_SHARE = 0.75
# In an English-model OCR'd document's second pass, a syllable its first pass read, elsewhere, at
# least this many times beside the token's neighbours (as the first pass read them), and more often
# than its own reading, is a candidate for the token too: a plan on drugs writes `ma túy` two hundred
# times, and where the OCR dropped a letter (`ma ty`) no learned reading of `ty` is `túy`. Such a
# reading is scored by the letter-level channel, at READING_PENALTY more (`_readings_beside`).
# Syllable errors on the 14 dev plans (Liberation / DejaVu OCR, `benchmarks.errors`): none 693 / 571;
# at least 2 times, -2: 683 / 567; 3 times, -1 / -2 / -3 / -4: 678 / 571, 681 / 567, 681 / 569, 682 /
# 568; 5 times, -2: 680 / 567. With a known non-syllable word as its own candidate (`_candidates`), 3
# times at -2: 669 / 557, and only where the first pass's reading has less support (a third as many
# candidates, so less time): 668 / 556.
# Not for stripped text: its tokens' candidates are the syllables of their skeletons already (547
# errors with it and without). A bonus for the candidates the token had already, by how often the
# first pass read them beside its neighbours, was measured too: 0.25 × log(1 + times) gave 689 / 573
# (and 545 stripped): it keeps the first pass's errors where it repeated them.
READING_MIN = 3
READING_PENALTY = -2.0
# the weight of a word's case as evidence of its syllable (casing.py), in stripped and English-model
# OCR text. Syllable errors on the 14 dev plans (stripped / Liberation / DejaVu OCR): without it 547 /
# 668 / 556; weight 0.3 519 / 644 / 544; 0.5 518 / 638 / 542; 1 521 / 642 / 540; 0.5 with the log
# probability floored at -3 517 / 638 / 542 (-2: 522 / 644 / 544). Extraction recall on the same
# plans at 0.5, floored at -3: Liberation 0.932 -> 0.939 (`thị trấn mỗi quý` is no longer `Mỹ Quý`,
# `đến trường` no longer `đồn trưởng`), DejaVu 0.961 and stripped 0.984 unchanged; without the floor,
# DejaVu fell to 0.956 (`sông Bao Định` read as the surname `Đào`). The archive's counts (archive.py)
# keep their case too; added to the training text's, 516 / 641 / 539 syllable errors: not taken.
CASE_WEIGHT = 0.5
DOCUMENT_MIN_WORDS = 300  # a shorter text is too little evidence of its own vocabulary
PICK_WORDS = 3000        # words of a document that tell which font family's OCR it is
PICK_UNLISTED = -20.0    # ... the log p of one that no spelling of a family's index lists
# skeletons near an unseen OCR spelling, scored by the letter-level channel: the nearest by edit
# distance, and among those equally near the most frequent. A sign the OCR wrote for a vowel (`dw¢c`
# for `được`) leaves the right skeleton two edits away, with hundreds of others; taken in alphabetical
# order, `duoc` was not among the first 40. Syllable errors Liberation / DejaVu OCR
# (benchmarks.errors): alphabetical 40 718 / 579, 100 699 / 578; most frequent first 25 701 / 578,
# 40 701 / 579, 60 701 / 581, 100 698 / 581 (each skeleton more costs the letter-level channel's
# time: 100 took 40 % longer to restore the Liberation plans than 40)
LETTER_SKELETONS = 40
# ... and where the best of those is less likely than this, the skeletons within three edits too.
# Syllable errors Liberation / DejaVu OCR: never 712 / 590; below -7 712 / 590; below -5.5 702 / 581;
# below -4 704 / 581
LETTER_RETRY = -5.5
LETTER_SYLLABLES = 6      # ... and the most frequent syllables of each
LETTER_FLOOR = -14.0      # a letter-level reading less likely than this is no candidate
EDIT_PENALTY = -4.5       # one letter more, fewer or other than any learned reading
# The letter-level channel also reads a token whose letters spell no syllable (`ltrc` for `lực`, `ư`
# read `tr`) when a learned reading fits it, at this extra cost: the renders showed such a spelling
# once or twice, for one syllable. Syllable errors on the 14 dev plans OCR'd in Liberation / DejaVu:
# not consulted 899 / 714; extra cost 0: 911 / 747; -3: 875 / 710; -4: 871 / 711; -5: 873 / 710;
# -7: 880 / 714
UNSPELT_PENALTY = -4.0
# The learned index lists, for an OCR spelling, the syllables whose renders showed it among their
# likeliest spellings: `thiv` lists `thử`, `thừ`, `thữ` but not `thứ`, for which it is one spelling
# among many more likely ones; `mi` lists `mới` but not `mỗi`. So the most frequent syllables sharing
# a skeleton with the SIBLINGS best learned readings are candidates too, scored letter by letter by
# the channel, at SIBLING_PENALTY. Syllable errors on the 14 dev plans OCR'd in Liberation (DejaVu):
# none 871 (711); the 6 of the 2 best at -3 / -2 / -1 / 0: 864 / 862 / 858 (706) / 859; the 12 of
# the 3 best at -2: 861
SIBLINGS = 2
SIBLING_K = 6
SIBLING_PENALTY = -1.0
# in OCR'd text a fallback reading's penalty is part of its prior: pruned by PRUNE, the fallbacks
# would be unreachable. Syllable errors on the 14 dev plans OCR'd in Liberation, margin 8 / 9 / 10 /
# 11 / 13: 1192 / 1190 / 1182 / 1183 / 1184 (DejaVu 938 throughout); the search time falls with it
PRUNE_OCR = 10.0
# the channel's log p in a path's score, beside the language model's: syllable errors on the 14 dev
# plans OCR'd in DejaVu / Liberation at 0.8 / 1.0 / 1.25: 796 / 989, 740 / 954, 746 / 991
CHANNEL_WEIGHT = 1.0


@dataclass
class Change:
    start: int
    end: int
    text: str


def model_dir() -> Path:
    """The active settings' model folder (`--model`), else models/ of the checkout."""
    from pipeline.settings import active

    chosen = active().model_dir
    return Path(chosen) if chosen else Path(__file__).resolve().parents[2] / "models"


class Restorer:
    def __init__(self, path: Path):
        import numpy as np

        self.path = path
        z = np.load(path)
        self.lm = LanguageModel.from_arrays(z)
        # the same counts read right to left: a syllable is also judged by the two after it
        self.lmb = LanguageModel.from_arrays(z, "bwd_") if "bwd_uni_k" in z.files else None
        self.channels = Channels.from_json(json.loads(bytes(z["channel"]).decode("utf-8")))
        from pipeline.vietnamese.modelfile import sha256

        self.model_id = "restore-" + sha256(path)[:12]
        self._stamp = _stamp(path)
        self._memo: dict[tuple, list] = {}  # candidates: the same under every state of the model
        # candidates pruned and scored by the unigrams in force: the base model's (kept from one
        # document to the next: a batch's plans share most of their words) and a document's second
        # pass's (`_document_unigrams`, emptied with it); `_scoring` is the one in use
        self._base_scoring: dict[tuple, list] = {}
        self._document_scoring: dict[tuple, list] = {}
        self._scoring = self._base_scoring
        self._token_memo: dict[tuple[str, bool], list[Token]] = {}
        # the syllables the model can score: `make model` puts the whole inventory in its
        # vocabulary, so every candidate below has an id
        inv = inventory()
        known = [w for w in self.lm.vocab[1:] if w in inv]
        self._stripped = self._most_frequent(known, lambda w: [strip_marks(w)])
        self._known = known
        # the skeletons, most frequent first (by their commonest syllable; ties alphabetical): the
        # letter-level channel takes the nearest to a token, and among those equally near, the
        # frequent ones
        uni, ids = self.lm.uni, self.lm.ids
        self._skeletons = sorted(self._stripped, key=lambda k: (-uni.get(ids[self._stripped[k][0]], 0), k))
        self._near: dict[int, list[str]] = {}
        self._known_set = frozenset(known)
        self._bonus: dict[int, float] = {}  # a document's topical syllables, in its second pass
        self._bonus_by_id = np.zeros(len(self.lm.vocab) + 1)  # ... by id (id -1, the last slot: none)
        # ... the pairs of neighbours its first pass read, and the model ids of what it read for
        # each token of the paragraph being restored, -1 at both ends (`_unsupported`)
        self._pairs: dict[tuple[int, int], int] = {}
        self._firsts: list[int] = []
        # ... and, of the pairs it read READING_MIN times or more, the syllable read after and before each id
        self._follow: dict[int, list[int]] = {}
        self._precede: dict[int, list[int]] = {}
        self._beside_memo: dict[tuple, list] = {}
        self._letter_memo: dict[tuple[str, str], dict[int, float]] = {}
        self._pick_memo: dict[str, dict[str, float]] = {}  # font family -> word -> its best reading's log p
        self._spellers: dict[str, Speller] = {}
        self._logs: tuple[list[float], np.ndarray] | None = None
        self._arrays: dict[tuple, tuple] = {}  # `_candidate_arrays`
        # one document at a time: its second pass changes the model's unigrams, the bonus and the
        # memos for a while (documents may share a restorer in threads, as on a Dask worker)
        self._lock = threading.RLock()
        # a stored index is read from the file when a document of its family first comes (or by
        # `preload`): a process that restores stripped text starts with the language model and the
        # stripped-text index only (the goal is under 1 s)
        self._ocr: dict[str, OcrIndex] = {}
        self._stored = {g for g in self.channels.groups if f"ocr_{g}_forms" in z.files}
        # per model id, log P(written with a capital), log P(in small letters) (casing.py); a model
        # built before the counts were kept has none, and the case is then no evidence
        self._case = casing.log_probs(z["case_cap"].tolist(), z["case_low"].tolist()) if "case_cap" in z.files else None

    def preload(self) -> None:
        """Everything loaded on first use, now: a batch calls this in its parent process, so that
        forked workers share the indexes instead of each building them again."""
        self._read_stored(self._stored - set(self._ocr))
        for group in sorted(self.channels.groups):
            self.ocr_index(group)  # those the file lacks: built
        self._wild, self._deletes  # noqa: B018 (cached properties: built here)
        for m in (self.lm, self.lmb):
            if m is not None:
                tables(m)  # the search's hash tables
        for group in self.channels.groups:
            self._speller(group)

    def _read_stored(self, groups: set[str]) -> None:
        """The stored OCR indexes of `groups`, read in one opening of the model file (checked to be
        the one loaded: same size and time)."""
        import numpy as np

        if not groups:
            return
        if _stamp(self.path) != self._stamp:
            raise RuntimeError(f"{self.path} changed after it was loaded: restart the run")
        with np.load(self.path) as z:
            for g in sorted(groups):
                self._ocr[g] = OcrIndex.from_arrays(z, g, self.lm.vocab)

    @cached_property
    def _wild(self) -> dict[str, list[str]]:
        """Syllables by their skeleton with the vowels as one wildcard (OCR text only)."""
        return self._most_frequent(self._known, lambda w: [VOWEL_SKELETON.sub("*", strip_marks(w))])

    @cached_property
    def _deletes(self) -> dict[str, list[str]]:
        """Symmetric-delete index of skeletons: candidates one edit away from an OCR token."""
        return self._most_frequent(self._known, lambda w: _one_deleted(strip_marks(w)))

    def _most_frequent(self, syllables: list[str], keys) -> dict[str, list[str]]:
        """An index from each key of a syllable to the STRIPPED_K most frequent syllables with it."""
        index: dict[str, list[str]] = {}
        uni, ids = self.lm.uni, self.lm.ids
        for w in sorted(syllables, key=lambda w: -uni.get(ids[w], 0)):  # stable: ties keep their order
            for k in keys(w):
                ws = index.setdefault(k, [])
                if len(ws) < STRIPPED_K:
                    ws.append(w)
        return index

    def ocr_index(self, group: str) -> "OcrIndex":
        """For each OCR spelling under a font family's channel, the syllables most likely a
        priori and through the channel: stored in the model by `make model` and read from it on
        first use (`_read_stored`), else built then (seconds)."""
        if group not in self._ocr and group in self._stored:
            self._read_stored({group})
        idx = self._ocr.get(group)
        if idx is None:
            idx = self._ocr[group] = OcrIndex.build(self, group)
        return idx

    def pick(self, text: str, words: int = PICK_WORDS) -> str:
        """The font family whose English-model OCR the text is: the one whose channel explains its
        first `words` words best, each word by its likeliest syllable (channel and frequency), a
        word no spelling of that family's index lists at PICK_UNLISTED. On the 28 dev plans
        English-OCR'd in DejaVu and Liberation Serif this picked the face that made the text 27
        times (a five-page plan was the exception); the character-pair profiles it replaced, 22."""
        english = sorted(g for g in self.channels.groups if g != VIE)
        if len(english) == 1:
            return english[0]
        toks = [t.text.lower() for t in tokenize(text[:words * 20], ocr=True) if t.kind == "word"][:words]
        seen = Counter(toks)  # a plan repeats its words: each is scored once

        def explained(group: str) -> float:
            best = self._pick_memo.setdefault(group, {})  # a batch's plans share their words too
            if len(best) > 200_000:
                best.clear()
            index, uni_p, sid = self.ocr_index(group), self.lm.uni_p, self.lm.id
            total = 0.0
            for w, n in seen.items():
                b = best.get(w)
                if b is None:
                    b = best[w] = max((lp + math.log(uni_p[sid(syl)]) for syl, lp in index.get(w)),
                                      default=PICK_UNLISTED)
                total += n * b
            return total
        with self._lock:  # the base model's unigrams: a document's second pass swaps them
            return max(english, key=explained)

    def _letter_level(self, low: str, group: str) -> list[tuple[str, float]]:
        """Candidates for an OCR spelling no learned reading fits: the skeletons within two edits
        of its letters (rapidfuzz), each skeleton's syllables scored by the channel letter by
        letter; within three where none of those reads well (LETTER_RETRY): a mark read as two
        letters and a vowel as another (`mittc` for `mức`) is three edits from its skeleton. Where
        nothing is within two edits the token is left alone: that is a foreign word or a name
        (`Viettel`, `startup`), which three edits would turn into a syllable."""
        letters = regex.sub(r"[^\p{L}]", "", strip_marks(low)) or low
        out = self._letter_level_within(letters, low, group, 2)
        if out and max(lp for _, lp in out) < LETTER_RETRY and len(letters) >= 4:
            seen = {syl for syl, _ in out}
            out += [c for c in self._letter_level_within(letters, low, group, 3) if c[0] not in seen]
        return out

    def _letter_level_within(self, letters: str, low: str, group: str, edits: int) -> list[tuple[str, float]]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein as Lev

        syls = [syl for skeleton, _, _ in process.extract(letters, self._skeletons_near(len(letters), edits), scorer=Lev.distance,
                                                          score_cutoff=edits, limit=LETTER_SKELETONS)
                for syl in self._stripped.get(skeleton, [])[:LETTER_SYLLABLES]]
        return [(syl, lp) for syl, lp in zip(syls, self._speller(group).logps(syls, low)) if lp > LETTER_FLOOR]

    def _skeletons_near(self, n: int, edits: int = 2) -> list[str]:
        """The skeletons within `edits` letters of length `n`, in `_skeletons`' order (most frequent
        first): no other can be within that many edits, and rapidfuzz then compares far fewer (ties
        keep this order)."""
        near = self._near.get((n, edits))
        if near is None:
            near = self._near[n, edits] = [s for s in self._skeletons if abs(len(s) - n) <= edits]
        return near

    def _speller(self, group: str) -> Speller:
        """The letter-level channel of a font family, compiled (`spelling.Speller`)."""
        sp = self._spellers.get(group)
        if sp is None:
            sp = self._spellers[group] = Speller(self.channels.groups[group])
        return sp

    def acronym(self, low: str, group: str | bool = False) -> str | None:
        """What a word in capitals stands for when it is no syllable: itself where the model knows
        it (`kcn`, `iot`), its Đ form where that is known and the D form is not (`hdnd` -> `hđnd`,
        `qd` -> `qđ`); None for the capitals of a heading (`ke`, `hoach`: syllables without marks).
        Capitals without a vowel (`VNPT`, `PCVP`, `BTS`) are kept too: every Vietnamese syllable has
        a vowel. But in text of an English-model OCR `group`, a spelling its channel knows for a
        syllable is that syllable (`SG` for `SỞ`), unless the model knows it as a word."""
        if low in self._stripped or low in self._known_set:
            return None
        lm = self.lm
        count = lm.uni.get(lm.id(low), 0)
        spots = [i for i, c in enumerate(low) if c == "d"][:3]
        for mask in range(1, 1 << len(spots)):  # each choice of the (first three) `d`s written `đ`
            chars = list(low)
            for bit, i in enumerate(spots):
                if mask >> bit & 1:
                    chars[i] = "đ"
            v = "".join(chars)
            if v in acronyms_with_dd() or (lm.uni.get(lm.id(v), 0) >= max(3, 5 * count) and v not in inventory()):
                return v
        if lm.id(low) >= 0:
            return low
        return low if NO_VOWEL.fullmatch(low) and not (group and self.ocr_index(group).get(low)) else None

    # candidates -----------------------------------------------------------
    def candidates(self, token: str, ocr: str | bool) -> list[tuple[str, float]]:
        """Syllables a token can come from, with the channel's log probability (memoised: plans
        repeat their words). `ocr` is False for stripped text, else the font family whose
        channel reads it (`Channels.pick`)."""
        k = (token, ocr)
        hit = self._memo.get(k)
        if hit is None:
            hit = self._memo[k] = self._candidates(token, ocr)
            if len(self._memo) > 200_000:
                self._memo.clear()
        return hit

    def _candidates(self, token: str, ocr: str | bool) -> list[tuple[str, float]]:
        if token == NUM:
            return [(NUM, 0.0)]
        low = token.lower()
        if DIGIT_UNIT.fullmatch(low):
            return []  # `m2`, `km2`: a unit, whatever an English-model OCR's digits usually are
        if len(low) == 1 and low not in "aeiouy" and not (ocr and ocr != VIE and low in LONE_SIGNS):
            return []  # a lone consonant is a list letter (`điểm a, b, c`), not a damaged syllable
        if ocr != VIE and len(token) >= 2 and token[1:] != token[1:].lower():
            acronym = self.acronym(low, ocr)  # capitals inside: `KCN`, `HDND`, `IoT`, or a heading
            if acronym is not None:
                return [(acronym, 0.0)] if acronym != low else []
        cands: dict[str, float] = {}
        if ocr == VIE:
            # Tesseract `vie` writes a syllable, sometimes with the wrong tone or hat: the readings
            # are what its channel says the token can come from, the token itself among them.
            # A name in mixed case (`IoT`, `eKYC`) is no syllable to correct.
            if token[1:] != token[1:].lower() and token != token.upper():
                return []
            cands = dict(self.ocr_index(VIE).get(low, [])[:OCR_K])
            canon = canonical(low)
            if canon in self._known_set:
                cands[canon] = max(cands.get(canon, VIE_IDENTITY), VIE_IDENTITY)
            return list(cands.items()) if len(cands) > 1 else []
        if ocr:
            for syl, lp in self.ocr_index(ocr).get(low, [])[:OCR_K]:
                cands[syl] = lp
            sibs = []
            for syl in sorted(cands, key=lambda w: -cands[w])[:SIBLINGS]:  # stable: ties keep the index's order
                sibs += [sib for sib in self._stripped.get(strip_marks(syl), [])[:SIBLING_K]
                         if sib not in cands and sib not in sibs]
            for sib, lp in zip(sibs, self._speller(ocr).logps(sibs, low)):
                if lp + SIBLING_PENALTY > LETTER_FLOOR:
                    cands[sib] = lp + SIBLING_PENALTY
        skeleton = strip_marks(low)
        for syl in self._stripped.get(skeleton, []):
            if syl not in cands:
                cands[syl] = -3.0 if ocr else 0.0
        if ocr:
            # a vowel read as something the channel never learnt (`khăn` as `khin`); dearer where
            # readings that keep the token's letters exist: `lao` is more likely `lao`, `lào` or
            # `lão` than `lại`, however common that is
            fits = max(cands.values(), default=-99.0) >= -3.0
            penalty = WILDCARD_PENALTY + (FITS_PENALTY if fits else 0.0)
            # a sign stands for a vowel with its marks (`6` for `ộ`), but `1` for the letter `l`
            wild = VOWEL_SKELETON.sub("*", strip_marks(regex.sub(r"[^\p{L}]", "a", low.replace("1", "l"))))
            for syl in self._wild.get(wild, []):
                if syl not in cands:
                    cands[syl] = penalty
            sk = strip_marks(regex.sub(r"[^\p{L}]", "", low))
            if len(sk) >= 3 and not fits:  # no learned reading fits
                for d in _one_deleted(sk):
                    for syl in self._deletes.get(d, []):
                        if syl not in cands:
                            cands[syl] = EDIT_PENALTY
            # the letter-level channel: syllables whose skeletons are near the token's letters, scored
            # letter by letter (`chifc` is `chức`: `ứ` read `i` and a stray `f`); where no learned
            # reading fits, where a `?` says a mark was there, and, dearer (UNSPELT_PENALTY), where
            # the token's letters spell no syllable (`ltrc`)
            marked = any(c in "?’'" for c in low)
            unspelt = skeleton not in self._stripped
            if len(low) >= 2 and (not fits or marked or unspelt):
                extra = UNSPELT_PENALTY if fits and not marked else 0.0
                for syl, lp in self._letter_level(low, ocr):
                    if lp + extra > cands.get(syl, -math.inf):
                        cands[syl] = lp + extra
        canon = canonical(low)
        if canon in self._known_set and canon != skeleton:
            cands[canon] = 0.0 if not ocr else max(cands.get(canon, -1.0), -1.0)
        if ocr and cands and low.isalpha() and skeleton not in self._stripped and self.lm.id(low) > 0:
            # a word the model knows that spells no syllable (`video`, `km`, the `vii` of `khóa vii`)
            # may be just what was printed: the sentence decides between it and the syllables
            # its letters could be a misreading of (`vũ`). Syllable errors on the 14 dev plans OCR'd in
            # Liberation / DejaVu: without it 681 / 567, with it 669 / 557 (only words seen three times
            # or more: 672 / 560)
            cands[low] = 0.0
        return list(cands.items())

    # decoding -------------------------------------------------------------
    def decode(self, tokens: list[Token], ocr: bool, group: str = "") -> list[str | None]:
        """Best syllable per word token (None where a token is kept as it is). Numbers,
        punctuation and known words without candidates (`UBND`) are context with one reading;
        a token the model has never seen breaks the context."""
        out: list[str | None] = [None] * len(tokens)
        run: list[tuple[int, list[tuple[int, str | None, float]], tuple | None]] = []
        channel = ocr and (group or next(iter(self.channels.groups)))

        def flush():
            if any(syl is not None for _, cands, _ in run for _, syl, _ in cands):
                for i, syl in self._beam(run):
                    out[i] = syl
            run.clear()

        for i, tok in enumerate(tokens):
            cands = self.candidates(tok.text, channel) if tok.kind == "word" else []
            if cands and channel != VIE and _stray_capitals(tokens, i) and self.acronym(tok.text.lower(), channel) is None:
                cands = []  # an acronym the model does not know (`IOC`): kept as written
            if tok.kind == "num" and tok.text in LONE_SIGNS and channel and channel != VIE and not _names_number(tokens, i):
                # English-model OCR's lone `6` for `ở`: a number unless the sentence reads better
                # with the syllable (the spec's one exception to numbers never changing)
                cands = [(NUM, 0.0)] + [(syl, lp + LONE_PENALTY) for syl, lp in self.candidates(tok.text, channel)]
                cands = cands if len(cands) > 1 else []
            if not cands:
                sid = self.lm.id(tok.lm if tok.kind != "word" else tok.text.lower())
                if sid < 0:
                    flush()
                else:
                    run.append((i, [(sid, None, 0.0)], None))
                continue
            key = (tok.text, channel)
            scored = self._scored(key, cands)
            seen = casing.observed(tokens, i) if self._case is not None and channel != VIE else None
            if seen is not None:
                scored = self._cased(key, scored, seen)
            if self._pairs:
                scored = self._unsupported(self._firsts, i + 1, scored, key)
                if READING_MIN and channel:
                    scored = self._readings_beside(self._firsts, i + 1, scored, tok.text.lower(), channel, seen)
            run.append((i, scored, key))
        flush()
        return out

    def _scored(self, key: tuple[str, str | bool], cands) -> list[tuple[int, str, float]]:
        """(id, syllable, channel log p) of the candidates worth searching: those whose prior
        (frequency and channel) is within PRUNE of the best one's; `bẳn` is not worth a look
        beside `bản` and `ban`. Memoised with the candidates."""
        k = (*key, "scored")
        ocr = key[1]
        memo = self._scoring
        hit = memo.get(k)
        if hit is not None:
            return hit
        if len(memo) > 200_000:
            memo.clear()
        ids, lps, syls = self._candidate_arrays(key, cands)
        w = CHANNEL_WEIGHT if ocr and ocr != VIE else 1.0
        scores = w * lps
        if self._bonus:
            scores = scores + DOCUMENT_BONUS * self._bonus_by_id[ids]
        priors = scores + self._log_uni_array()[ids]
        margin = PRUNE_OCR if ocr and ocr != VIE else PRUNE
        keep = priors >= priors.max() - margin
        if ocr == VIE:  # what `vie` read is never pruned
            seen = canonical(key[0].lower())
            keep |= np.fromiter((syl == seen for syl in syls), bool, len(syls))
        where = np.flatnonzero(keep).tolist()
        hit = memo[k] = list(zip(ids[where].tolist(), [syls[q] for q in where], scores[where].tolist()))
        return hit

    def _candidate_arrays(self, key: tuple[str, str | bool], cands):
        """A token's candidates as arrays (model ids, channel log p) and their syllables, memoised
        with `candidates`: `_scored` weighs a plan's commonest words again in each document's
        second pass, sixty-odd candidates each on English-model OCR, and numpy does it at once.
        An id of -1 (a word the model lacks) indexes the last entry, as a list would."""
        hit = self._arrays.get(key)
        if hit is None:
            if len(self._arrays) > 200_000:
                self._arrays.clear()
            ids = self.lm.ids
            hit = self._arrays[key] = (np.fromiter((ids.get(syl, -1) for syl, _ in cands), np.int64, len(cands)),
                                       np.fromiter((lp for _, lp in cands), np.float64, len(cands)),
                                       [syl for syl, _ in cands])
        return hit

    def _cased(self, key: tuple[str, str | bool], scored, seen: str) -> list[tuple[int, str, float]]:
        """The candidates with the log probability of the case `seen` (casing.py) added at
        CASE_WEIGHT; memoised with `_scored`'s list."""
        k = (*key, seen, "cased")
        hit = self._scoring.get(k)
        if hit is None:
            hit = self._scoring[k] = self._case_evidence(scored, seen)
        return hit

    def _case_evidence(self, scored, seen: str) -> list[tuple[int, str, float]]:
        """Each candidate's score plus CASE_WEIGHT times the log probability of the case `seen`."""
        lps = self._case[0 if seen == "cap" else 1]
        return [(sid, syl, sc + CASE_WEIGHT * lps[sid] if sid >= 0 else sc) for sid, syl, sc in scored]

    def _first_id(self, tok: Token, read: dict[int, str]) -> int:
        """The model id of what the first pass read for a token (`read`: its changes by offset; the
        token's text where it kept it, or where it wrote another spelling of it). A number or a punctuation mark is a neighbour
        too (`107 chợ`): read as no neighbour, syllable errors were 767 / 639 / 614 against 765 /
        639 / 614 (Liberation / DejaVu / stripped)."""
        if tok.kind != "word":
            return self.lm.id(tok.lm)
        return self.lm.id(read.get(tok.start, tok.text).lower())

    def _unsupported(self, firsts: list[int], i: int, scored, key: tuple[str, str | bool]):
        """The candidates of a token with a topical syllable's bonus mostly withdrawn
        (UNSUPPORTED_SHARE) where neither neighbour, as the first pass read it, stands beside it
        elsewhere in the document: a plan on innovation writes `đổi mới` throughout, which makes
        `mới` topical, yet `mới` is no likelier for that where `mỗi năm` stands. One use is left
        out, as in `_topical`: the first pass's own reading here must not vote for itself.
        `firsts[i]` is the model id of what the first pass read for the token (-1 at the ends);
        `key` is the token's in `_scored`, whose memo keeps which of its candidates have a bonus."""
        bonus = self._bonus
        k = (*key, "topical")
        where = self._scoring.get(k)
        if where is None:
            where = self._scoring[k] = [q for q, c in enumerate(scored) if c[0] in bonus]
        if not where:
            return scored
        left, own, right = firsts[i - 1], firsts[i], firsts[i + 1]
        pairs, cut = self._pairs, UNSUPPORTED_SHARE * DOCUMENT_BONUS
        out = None
        for q in where:
            sid, syl, score = scored[q]
            mine = 1 if sid == own else 0
            if pairs.get((left, sid), 0) <= mine and pairs.get((sid, right), 0) <= mine:
                if out is None:
                    out = list(scored)
                out[q] = (sid, syl, score - cut * bonus[sid])
        return scored if out is None else out

    def _readings_beside(self, firsts: list[int], i: int, scored, low: str, channel: str, seen: str | None):
        """The candidates of an English-model OCR token and, beside them, the syllables the
        document's first pass read at least READING_MIN times elsewhere next to this token's
        neighbours (`ma túy` for `ma ty`; `_beside`), with the evidence of the token's case `seen`
        (casing.py), as the other candidates have it."""
        new = self._beside(firsts[i - 1], firsts[i], firsts[i + 1], low, channel)
        if not new:
            return scored
        have = {c[0] for c in scored}  # the token's candidates (they differ with its case: `HDND`)
        new = [c for c in new if c[0] not in have]
        if not new:
            return scored
        return scored + (self._case_evidence(new, seen) if seen is not None else new)

    def _beside(self, left: int, own: int, right: int, low: str, channel: str) -> list[tuple[int, str, float]]:
        """The new readings of `_readings_beside`, scored by the letter-level channel; memoised for
        the document (its plans repeat their phrases: half the calls on the dev plans). `own` is
        what the first pass read for the token, `left` and `right` beside it (-1 at the ends); the
        syllables of pairs read READING_MIN times or more are listed by neighbour (`_follow`,
        `_precede`). The first pass's reading is not offered again, and another syllable only where
        it was read beside these neighbours more often than that reading was (its pairs here left
        out): elsewhere the first pass's reading has as much support, and the search would only
        have more to weigh. Only syllables whose skeleton is within two characters of the token's
        length are scored; the letter-level channel puts the others below LETTER_FLOOR. They carry
        the channel's weight but no topical bonus (DOCUMENT_BONUS): their support beside these
        neighbours is what offers them, and READING_PENALTY was tuned so. Those the token has
        already are left out by the caller (`_readings_beside`): tokens that differ only in case
        share this memo."""
        k = (left, own, right, low)
        hit = self._beside_memo.get(k)
        if hit is not None:
            return hit
        hit = self._beside_memo[k] = []
        listed = self._follow.get(left, []) + self._precede.get(right, [])
        if not listed:
            return hit
        pairs = self._pairs
        mine = (left >= 0) + (right >= 0) if own >= 0 else 0  # the first pass's pairs here
        least = max(READING_MIN, pairs.get((left, own), 0) + pairs.get((own, right), 0) - mine + 1)
        supported = [sid for sid in listed if sid != own and pairs.get((left, sid), 0) + pairs.get((sid, right), 0) >= least]
        if not supported:
            return hit
        skeletons, size = self._skeleton_of, len(low)
        new = [sid for sid in dict.fromkeys(supported) if abs(len(skeletons[sid]) - size) <= 2]
        if new:
            vocab = self.lm.vocab
            hit += [(sid, vocab[sid], CHANNEL_WEIGHT * (lp + READING_PENALTY))
                    for sid, lp in zip(new, self._letter_scores(channel, low, new)) if lp + READING_PENALTY > LETTER_FLOOR]
        return hit

    def _letter_scores(self, channel: str, low: str, sids: list[int]) -> list[float]:
        """The letter-level channel's log p of each syllable `sids` for the spelling `low`, memoised
        by spelling: a token recurs beside other neighbours, which offer mostly the same syllables."""
        memo = self._letter_memo.get((channel, low))
        if memo is None:
            if len(self._letter_memo) > 50_000:
                self._letter_memo.clear()
            memo = self._letter_memo[channel, low] = {}
        missing = [sid for sid in sids if sid not in memo]  # `sids` has each once
        if missing:
            vocab = self.lm.vocab
            memo.update(zip(missing, self._speller(channel).logps([vocab[sid] for sid in missing], low)))
        return [memo[sid] for sid in sids]

    @cached_property
    def _skeleton_of(self) -> list[str]:
        """Each model id's skeleton if it is a syllable the decoder can choose, else ''."""
        known = self._known_set
        return [strip_marks(w) if w in known else "" for w in self.lm.vocab]

    def _log_uni_array(self):
        """log P(syllable) of the forward model's unigrams as they stand (a second pass swaps them)."""
        up = self.lm.uni_p
        if self._logs is None or self._logs[0] is not up:
            self._logs = (up, np.log(np.asarray(up, dtype=np.float64)))
        return self._logs[1]

    def _beam(self, run):
        """The best path through a run's candidates (`search.search`): the trigram model forward
        and, where the model file has one, backward, plus each candidate's channel score."""
        chosen = search(run, self.lm, self.lmb, BEAM, DELTA_BOTH if self.lmb is not None else DELTA,
                        FORWARD_WEIGHT)
        return [(i, cands[q][1]) for (i, cands, _), q in zip(run, chosen)]

    # text -----------------------------------------------------------------
    def restore_document(self, paragraphs: list[str], ocr: bool, group: str = "") -> list[list[Change]]:
        """Changes for each damaged paragraph of one document: a first pass, then, for English-model
        OCR and stripped text long enough, a second one with the document's own syllable frequencies
        in the model (DOCUMENT_SHARE). `vie` pages are mostly right and get the first pass only."""
        with self._lock:
            out = self._restore_document(paragraphs, ocr, group)
        for k, change in _list_dd(paragraphs):
            out[k] = sorted(out[k] + [change], key=lambda c: c.start)
        return out

    def _restore_document(self, paragraphs: list[str], ocr: bool, group: str) -> list[list[Change]]:
        first = [self.restore(par, ocr, group) for par in paragraphs]
        if group == VIE or not DOCUMENT_SHARE:
            return first
        counts: dict[int, int] = {}  # the words the first pass read, by model id
        pairs: dict[tuple[int, int], int] = {}
        firsts = []  # per paragraph, its tokens' first-pass ids between two -1s (`_unsupported`)
        for par, changes in zip(paragraphs, first):
            read = {c.start: c.text for c in changes}
            toks = self._tokens(par, ocr, group)
            ids = [self._first_id(tok, read) for tok in toks]
            firsts.append([-1] + ids + [-1])
            for a, b in zip(ids, ids[1:]):
                if a >= 0 and b >= 0:
                    pairs[a, b] = pairs.get((a, b), 0) + 1
            for tok, sid in zip(toks, ids):
                if tok.kind != "word":  # a number, unless the first pass read it as a syllable (`6`: `ở`)
                    sid = self.lm.id(read[tok.start].lower()) if tok.start in read else -1
                if sid >= 0:
                    counts[sid] = counts.get(sid, 0) + 1
        if sum(counts.values()) < DOCUMENT_MIN_WORDS:
            return first
        with self._document_unigrams(counts):
            try:
                self._pairs = pairs if DOCUMENT_BONUS else {}
                self._follow, self._precede = {}, {}
                skeletons = self._skeleton_of
                for (a, b), n in self._pairs.items():
                    if n >= READING_MIN:
                        if skeletons[b]:
                            self._follow.setdefault(a, []).append(b)
                        if skeletons[a]:
                            self._precede.setdefault(b, []).append(a)
                out = []
                for par, self._firsts in zip(paragraphs, firsts):  # decode reads the paragraph's ids
                    out.append(self.restore(par, ocr, group))
                return out
            finally:
                self._pairs, self._firsts = {}, []
                self._follow, self._precede, self._beside_memo = {}, {}, {}
                self._token_memo.clear()  # a document's paragraphs: the next document has its own

    def _topical(self, counts: dict[int, int]) -> dict[int, float]:
        """For each syllable the document's first pass used more than once, the log of how much more
        often than the base model expects (0 when no more often). One use is left out: the one being
        decided could be it, and a first-pass error must not vote for itself."""
        total = sum(counts.values())
        uni_p = self.lm.uni_p
        out = {}
        for sid, n in counts.items():
            b = math.log(n / (total * uni_p[sid] + 1.0)) if n > 1 else 0.0  # (n - 1 + 1) / (expected + 1)
            if b > 0:
                out[sid] = b
        return out

    @contextmanager
    def _document_unigrams(self, counts: dict[int, int]):
        """Both models with a document's syllable counts mixed into their unigram distributions,
        and its topical syllables' bonus (`_topical`, by the base unigrams) on: the second pass's
        state, put back after; what was scored under it (`_document_scoring`) is emptied each time."""
        models = [m for m in (self.lm, self.lmb) if m is not None]
        base = [m.uni_p for m in models]
        self._bonus = self._topical(counts) if DOCUMENT_BONUS else {}
        self._bonus_by_id = np.zeros(len(self.lm.vocab) + 1)  # the last slot: id -1's, no bonus
        for sid, b in self._bonus.items():
            self._bonus_by_id[sid] = b
        total = sum(counts.values())
        for m in models:
            up = [(1.0 - DOCUMENT_SHARE) * p for p in m.uni_p]
            for sid, n in counts.items():
                up[sid] += DOCUMENT_SHARE * n / total
            m.uni_p = up
        self._document_scoring.clear()
        self._scoring = self._document_scoring
        try:
            yield
        finally:
            for m, up in zip(models, base):
                m.uni_p = up
            self._bonus = {}
            self._scoring = self._base_scoring
            self._document_scoring.clear()

    def forget(self) -> None:
        """Empty every memo (a benchmark times each run from the same state)."""
        with self._lock:
            self._memo.clear()
            self._arrays.clear()
            self._base_scoring.clear()
            self._document_scoring.clear()
            self._token_memo.clear()
            self._letter_memo.clear()
            self._pick_memo.clear()

    def restore(self, text: str, ocr: bool, group: str = "") -> list[Change]:
        """Changes that restore one paragraph (offsets into `text`); `group` is the font family
        whose channel reads an OCR'd text (`pick` on the whole document)."""
        with self._lock:
            return self._restore(text, ocr, group)

    def _tokens(self, text: str, ocr: bool, group: str) -> list[Token]:
        """The paragraph's tokens after its list or heading marker (`item_end`; a Roman numeral the
        OCR misread, `Il.`, is one too), memoised: a document's two passes read the same paragraphs."""
        k = (text, bool(ocr) and group != VIE)
        hit = self._token_memo.get(k)
        if hit is None:
            m = _roman_ocr(text)
            hit = tokenize(text, skip_before=max(item_end(text), m.end(3) if m else 0), ocr=k[1], units=True)
            if len(self._token_memo) > 5_000:
                self._token_memo.clear()
            self._token_memo[k] = hit
        return hit

    def _restore(self, text: str, ocr: bool, group: str) -> list[Change]:
        changes: list[Change] = []
        m = _roman_ocr(text)
        if m:
            changes.append(Change(m.start(2), m.end(2), _as_roman(m.group(2))))
        tokens = self._tokens(text, ocr, group)
        for i, (tok, syl) in enumerate(zip(tokens, self.decode(tokens, ocr, group))):
            if tok.kind == "num" and group != VIE:
                changes.extend(self._code_dd(tok))
            if syl is None or syl == NUM or tok.kind == "punct":
                continue
            shown = tok.text
            if ocr and group != VIE and _short_capitals(shown) and not _among_capitals(tokens, i):
                shown = shown[0] + shown[1:].lower()
            new = _with_case(syl, shown)
            if new != tok.text and syl != canonical(tok.text.lower()):  # not `hoá` for `hóa`
                changes.append(Change(tok.start, tok.end, new))
        return sorted(changes, key=lambda c: c.start)

    def _code_dd(self, tok: Token) -> list[Change]:
        """`QD` -> `QĐ` in a document code (`87/2006/QD-TTg`) of text that lost its marks; the
        digits and every other letter stay."""
        out = []
        for m in CODE_LETTERS.finditer(tok.text):
            if "D" in m.group():
                v = self.acronym(m.group().lower())
                if v and v != m.group().lower():
                    out.append(Change(tok.start + m.start(), tok.start + m.end(), v.upper()))
        return out


ACRONYMS = Path(__file__).parent / "data" / "acronyms.yaml"
CODE_LETTERS = regex.compile(r"(?<![\p{L}])\p{Lu}{2,6}(?![\p{L}])")


@lru_cache(maxsize=1)
def acronyms_with_dd() -> frozenset[str]:
    """The acronyms and code symbols of `data/acronyms.yaml`, lower case; checked at load."""
    import yaml

    data = yaml.safe_load(ACRONYMS.read_text("utf-8"))
    if set(data) != {"with_dd"}:
        raise ValueError(f"acronyms.yaml: expected the key with_dd, found {sorted(data)}")
    bad = [a for a in data["with_dd"] if "Đ" not in a or a != a.upper()]
    if bad:
        raise ValueError(f"acronyms.yaml: not in capitals with Đ: {bad}")
    return frozenset(a.lower() for a in data["with_dd"])


class OcrIndex:
    """OCR spelling -> [(syllable, channel log p)], best first, at most OCR_K: kept as flat arrays
    (one row of candidates per spelling) and turned into lists only for the spellings a text has."""

    def __init__(self, forms: list[str], offsets, syllables, logps, vocab: list[str]):
        self.forms = forms  # sorted: a spelling is found by bisection (a dict of them costs more to load)
        self.offsets, self.syllables, self.logps, self.vocab = offsets, syllables, logps, vocab

    def get(self, form: str, default=()):
        i = bisect.bisect_left(self.forms, form)
        if i == len(self.forms) or self.forms[i] != form:
            return default
        a, b = int(self.offsets[i]), int(self.offsets[i + 1])
        return [(self.vocab[k], lp) for k, lp in zip(self.syllables[a:b].tolist(), self.logps[a:b].tolist())]

    @classmethod
    def build(cls, restorer: "Restorer", group: str) -> "OcrIndex":
        lm = restorer.lm
        ocr = restorer.channels.groups[group].index(restorer._known)
        prior = {w: math.log(lm.uni_p[lm.id(w)]) for w in restorer._known}
        forms, offsets, syllables, logps = sorted(ocr), [0], [], []
        for form in forms:
            for syl, lp in sorted(ocr[form], key=lambda x: (-(x[1] + prior[x[0]]), x[0]))[:OCR_K]:
                syllables.append(lm.id(syl))
                logps.append(lp)
            offsets.append(len(syllables))
        import numpy as np

        return cls(forms, np.array(offsets, dtype=np.int32), np.array(syllables, dtype=np.int32),
                   np.array(logps, dtype=np.float64), lm.vocab)

    def to_arrays(self, group: str) -> dict:
        import numpy as np

        return {f"ocr_{group}_forms": np.array("\n".join(self.forms).encode("utf-8")),
                f"ocr_{group}_offsets": self.offsets, f"ocr_{group}_syllables": self.syllables,
                f"ocr_{group}_logps": self.logps}

    @classmethod
    def from_arrays(cls, z, group: str, vocab: list[str]) -> "OcrIndex":
        # the arrays stay numpy arrays: a spelling's row becomes a list only when a text has it
        return cls(bytes(z[f"ocr_{group}_forms"]).decode("utf-8").split("\n"), z[f"ocr_{group}_offsets"],
                   z[f"ocr_{group}_syllables"], z[f"ocr_{group}_logps"], vocab)


def _as_roman(misread: str) -> str:
    return misread.replace("1", "I").replace("l", "I")


def _roman_ocr(text: str):
    """The match of a misread Roman numeral opening a paragraph (ROMAN_OCR) that reads as one."""
    m = ROMAN_OCR.match(text)
    return m if m and _as_roman(m.group(2)) in ROMAN_HEADINGS else None


def _stamp(path: Path) -> tuple[int, int]:
    st = Path(path).stat()
    return st.st_size, st.st_mtime_ns


def _one_deleted(skeleton: str) -> set[str]:
    """The skeleton and every form of it with one letter left out (a symmetric-delete key set)."""
    return {skeleton, *(skeleton[:i] + skeleton[i + 1:] for i in range(len(skeleton)))}


def applied(text: str, changes: list[Change]) -> str:
    """`text` with the changes `Restorer.restore` gave for it."""
    for c in reversed(changes):
        text = text[:c.start] + c.text + text[c.end:]
    return text


@lru_cache(maxsize=1)
def _number_names() -> frozenset[str]:
    """The words after which a figure is a name or an ordinal (`phường 6`, `khóa 6`), folded: one
    list, the quantity rules' `not_before` (extractors/data/quantities.yaml)."""
    from extractors.lexicon import load

    return frozenset(fold(p) for p in load("quantities")["not_before"])


def _names_number(tokens: list[Token], i: int) -> bool:
    """Whether the words right before token i (up to three, no punctuation between) are a
    `_number_names` phrase: English-model OCR's lone `6` there is the number it looks like
    (`phường 6`), never `ở`."""
    words: list[str] = []
    for tok in reversed(tokens[max(0, i - 3):i]):
        if tok.kind != "word":
            break
        words.insert(0, fold_word(tok.text))
    names = _number_names()
    return any(" ".join(words[k:]) in names for k in range(len(words)))


def _short_capitals(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) == 2 and token[0].isupper() and all(c.isupper() for c in letters)


def _list_dd(paragraphs: list[str]) -> list[tuple[int, Change]]:
    """The list letter `đ)` where a text that lost its marks wrote `d)`: a list runs `a) b) c) d) đ)
    e)`, so the second `d)` in a row (no other letter between) is `đ)`. The marker (extractors/
    markers.py's LETTER, the one definition) is no syllable for the model to restore
    (`tokens.item_end`); its order tells."""
    out, last = [], None
    for k, par in enumerate(paragraphs):
        body = par.lstrip()
        m = LETTER.match(body)
        if not m:
            continue
        letter = m.group(1)
        if letter == "d" and last == "d":
            lead = len(par) - len(body)
            out.append((k, Change(lead + m.start(1), lead + m.end(1), "đ")))
            letter = "đ"
        last = letter
    return out


def _stray_capitals(tokens: list[Token], i: int) -> bool:
    """Whether token i is three or more capitals among words that are not: an acronym or a code
    (`IOC`, `VPUB`, `ADB`, a signature block's `TTUB`), not a syllable to restore. The OCR reads a
    marked letter as a capital now and then (`SG` for `Sở`, `vGi` for `với`), a whole word of three
    letters hardly ever; a heading's words stand among other capitals."""
    text = tokens[i].text
    if not text.isupper():  # most words: one C-level test
        return False
    return sum(c.isalpha() for c in text) >= 3 and not _among_capitals(tokens, i)


def _among_capitals(tokens: list[Token], i: int) -> bool:
    """Whether a word near token i is in capitals too. English-model OCR reads some marked letters as
    capitals (`Sở` as `SG`, `SO`, `SC`): a two-letter word in capitals is a heading's (`SỞ Y TẾ`)
    only among other words in capitals, else it is `Sở`."""
    near = [t for t in tokens[max(0, i - 3):i] + tokens[i + 1:i + 4] if t.kind == "word" and len(t.text) > 1]
    return any(t.text.isupper() for t in near)


def _with_case(syl: str, token: str) -> str:
    if token.islower():
        return syl  # most words
    if len(token) > 1 and token[0] in "Il" and token[1:].islower():
        token = "l" + token[1:]  # a capital I inside a word is OCR for l ("Ié" = "lệ")
    letters = [c for c in token if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return syl.upper()
    if token[:1].isupper() or token[:1] in "$¢€@":
        return syl[:1].upper() + syl[1:] if token[:1].isupper() else syl
    return syl


def load_restorer(path: str | None = None) -> Restorer:
    """The model at `path`, else the active settings' one (resolved before the memo, so a run with
    another `--model` in the same process gets its own)."""
    return _load_restorer(str(Path(path) if path else model_dir() / "restore.npz"))


@lru_cache(maxsize=2)
def _load_restorer(path: str) -> Restorer:
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"restoration model {p} is missing: run `make model`")
    return Restorer(p)
