# chitieu: `make extract` runs the pipeline on corpus/, `make test` runs the tests.
# Both install what is missing first (a .venv, and the system packages when run as root).

PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SYSPKGS := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils fonts-dejavu-core fonts-liberation fonts-liberation2 libreoffice-writer-nogui chromium
MODEL   := models/restore.npz
SYSBINS := tesseract pdftoppm soffice chromium

.PHONY: setup system extract test bench model eval phrases archive-counts clean

setup: system $(STAMP) $(MODEL)

# The diacritic-restoration model: built from registry data when missing or older than its inputs
# (its code, extractors/orthography.py, the list markers and pipeline/vietnamese/data, the frozen phrase list included; about 190 s on 2 cores);
# `make model` rebuilds it (bit for bit: the same sources give the same bytes).
MODEL_INPUTS := $(wildcard pipeline/vietnamese/*.py pipeline/vietnamese/training/*.py pipeline/vietnamese/data/*) extractors/orthography.py \
                extractors/markers.py extractors/data/markers.yaml \
                pipeline/readers/ocr.py pipeline/readers/ocr_text.py pipeline/readers/data/ocr_repair.yaml
$(MODEL): $(MODEL_INPUTS) | $(STAMP)
	$(BIN)/chitieu model build --out models

# Refreeze the gazetteer phrases the model learns from (after editing agencies, indicators or units
# in extractors/data, when the model should learn them too); the next `make` rebuilds the model.
phrases: $(STAMP)
	$(BIN)/python -m pipeline.vietnamese.training.corpus freeze

# Relearn the plan register from the public provincial documents of ../shared/devset/archive: only
# their n-gram counts (and a manifest of their hashes) are kept, in pipeline/vietnamese/data; the dev
# plans and the samples are held out. The next `make` rebuilds the model.
archive-counts: $(STAMP)
	$(BIN)/python -m pipeline.vietnamese.training.archive ../shared/devset/archive \
	  --exclude ../shared/devset/plans --exclude ../shared/corpus

model: system $(STAMP)
	$(BIN)/chitieu model build --out models

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# System programs: installed with apt-get when missing and we are root; otherwise say what to install.
system:
	@missing=""; for b in $(SYSBINS); do command -v $$b >/dev/null 2>&1 || missing="$$missing $$b"; done; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu"; \
	[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-vie"; \
	ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-eng"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing system packages (missing:$$missing)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSPKGS) >/dev/null; \
	  else \
	    echo "missing:$$missing -- install with: sudo apt-get install $(SYSPKGS)"; exit 1; \
	  fi; \
	fi

extract: setup
	$(BIN)/chitieu extract corpus --out outputs

test: setup
	$(BIN)/python -m pytest -q

# The dev set of real plans (../shared/devset) against its gold: per document and macro figures.
eval: setup
	$(BIN)/python -m pipeline.evaluate

bench: setup
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf outputs .pytest_cache
	rm -f models/restore.npz models/manifest.json
