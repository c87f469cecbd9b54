# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
# Both create .venv and install what is missing first (once; again when pyproject.toml changes).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The CPU build of torch that lies on these machines' disk; any torch>=2.10 already present is kept.
TORCH_PIN ?= torch==2.13.0

.PHONY: run test install screenshots benchmarks clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install --quiet "$(TORCH_PIN)" || $(PY) -m pip install --quiet "torch>=2.10"
	$(PY) -m pip install --quiet -e ".[test]"
	$(VENV)/bin/pyside6-lrelease -silent explorer/translations/*.ts
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/attention-explorer

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The README's pictures (offscreen; the Checkpoints page with the bundled tiny BERT open).
screenshots: $(STAMP)
	mkdir -p docs/screenshots
	for page in $$($(PY) -m explorer pages); do \
		if [ $$page = checkpoints ]; then extra="--open resources/text/tiny-bert"; else extra=""; fi; \
		QT_QPA_PLATFORM=offscreen $(VENV)/bin/attention-explorer screenshot --page $$page --size 1280x800 --lang en $$extra \
			--out docs/screenshots/$$page.png || exit 1; \
	done

benchmarks: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
