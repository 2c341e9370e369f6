"""Where restoration goes wrong on the damaged dev plans: syllable errors by kind.

    python -m benchmarks.errors --cache DIR [--form ocr_times] [--model DIR] [--top 40]

Why: `benchmarks.devplans` says how often restoration is wrong; this says why, which is what a
change to the decoder, the channel or the model should be chosen by. It reads the damaged texts
`benchmarks.devplans` made (`<cache>/<form>/<plan>.txt`: stripped or English-model OCR), runs the
normalise stage on each as a run does, and aligns the restored words with the plan's clean text
(difflib over lower-cased words). Every aligned word that differs is an error of one kind:
- `in-candidates`: the right syllable was among the token's candidates and the search chose another
  (the language model's or the channel's weights);
- `no-candidate`: the right syllable was never a candidate (the channel's index, the letter-level
  channel and the fallbacks all missed it);
- `kept`: the token was right as it stood and restoration changed it.
Counts, the commonest confusions and the commonest tokens of each kind are printed; `--json` keeps
every error with its context. Differences in tone placement only (`hoá`/`hóa`) are not errors.
Errors that change the word's letters, not only its marks (`mỗi` read `mĩ`, not `chỉ` read `chi`),
are counted apart as `letters`: `score.py` matches keywords without accents, so these are the
errors that cost targets.
"""
from __future__ import annotations

import argparse
import collections
import difflib
import json
import time
from pathlib import Path

import regex

from benchmarks.devplans import clean_text, plan_files

ROOT = Path(__file__).resolve().parents[1]
WORDS = regex.compile(r"[\p{L}\p{M}]+")


def errors(cache: Path, form: str, model: Path | None = None) -> dict:
    from extractors.orthography import canonical, fold_word as fold
    from pipeline.ingest import ingest
    from pipeline.normalise import normalise
    from pipeline.record import Document
    from pipeline.settings import Settings, use
    from pipeline.vietnamese import restore as R
    from pipeline.vietnamese.channel import VIE
    from pipeline.vietnamese.tokens import tokenize

    settings = Settings.from_env().with_(model_dir=model) if model else Settings.from_env()
    seen: list[tuple[list[str], str, str, list]] = []
    decode = R.Restorer.restore_document

    def recorded(self, paragraphs, ocr, group=""):
        changes = decode(self, paragraphs, ocr, group)
        seen.append((paragraphs, ocr, group, changes))
        return changes

    kinds: collections.Counter = collections.Counter()
    letters: collections.Counter = collections.Counter()
    confusions: collections.Counter = collections.Counter()
    listed, words, cpu = [], 0, 0.0
    R.Restorer.restore_document = recorded
    try:
        with use(settings):
            restorer = R.load_restorer()
            for plan in plan_files():
                damaged = cache / form / f"{plan.stem}.txt"
                if not damaged.exists():
                    continue
                seen.clear()
                t0 = time.process_time()
                normalise(ingest(Document(path=str(damaged), doc_id=plan.stem)))
                cpu += time.process_time() - t0
                pairs = []  # (token as damaged, as restored, channel group)
                for paragraphs, ocr, group, changes in seen:
                    for par, ch in zip(paragraphs, changes):
                        new = {c.start: c.text for c in ch}
                        for tok in tokenize(par, ocr=bool(ocr) and group != VIE):
                            if tok.kind == "word":
                                pairs.append((tok.text, new.get(tok.start, tok.text), ocr and group))
                got = [canonical(o.lower()) for _, o, _ in pairs]
                gold = [w.lower() for w in WORDS.findall(clean_text(plan))]
                matcher = difflib.SequenceMatcher(None, got, [canonical(w) for w in gold], autojunk=False)
                for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                    if tag == "equal":
                        words += i2 - i1
                    if tag != "replace" or i2 - i1 != j2 - j1:
                        continue
                    for k in range(i2 - i1):
                        token, out, group = pairs[i1 + k]
                        right = canonical(gold[j1 + k])
                        words += 1
                        if token.lower() == right:
                            kind = "kept"
                        elif right in dict(restorer.candidates(token, group)):
                            kind = "in-candidates"
                        else:
                            kind = "no-candidate"
                        kinds[kind] += 1
                        changed = fold(right) != fold(out)  # the letters, not only the marks
                        letters[kind] += changed
                        confusions[(right, out.lower())] += 1
                        listed.append(dict(plan=plan.stem, token=token, restored=out, right=right, kind=kind,
                                           letters=changed,
                                           context=" ".join(got[max(0, i1 + k - 4):i1 + k + 4])))
    finally:
        R.Restorer.restore_document = decode
    return dict(form=form, words=words, errors=sum(kinds.values()), kinds=dict(kinds),
                letters=dict(letters, total=sum(letters.values())), normalise_cpu_s=round(cpu, 1),
                confusions=[[r, o, n] for (r, o), n in confusions.most_common()], listed=listed)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.errors", description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "outputs" / "bench-cache",
                    help="damaged texts made by benchmarks.devplans")
    ap.add_argument("--form", default="ocr_times", help="stripped, ocr_dejavu or ocr_times")
    ap.add_argument("--model", type=Path, help="restoration model folder (default: models/)")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--json", type=Path, help="write every error here")
    a = ap.parse_args(argv)
    res = errors(a.cache, a.form, a.model)
    if not res["words"]:
        raise SystemExit(f"no damaged texts in {a.cache / a.form}: run python -m benchmarks.devplans --make-only")
    print(f"{a.form}: {res['errors']} errors in {res['words']} aligned words "
          f"({1 - res['errors'] / res['words']:.4f} right); {res['kinds']}; letters wrong {res['letters']}; normalise {res['normalise_cpu_s']} s CPU")
    print("commonest confusions (right -> restored):")
    print("  " + "; ".join(f"{r} -> {o} {n}" for r, o, n in res["confusions"][:a.top]))
    for kind in ("no-candidate", "in-candidates", "kept"):
        tokens = collections.Counter((e["token"].lower(), e["right"]) for e in res["listed"] if e["kind"] == kind)
        print(f"{kind}: " + "; ".join(f"{t} ({r}) {n}" for (t, r), n in tokens.most_common(a.top // 2)))
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
