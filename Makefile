# litreview: the commands README.md documents.  Each target creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test notebooks lab bench tagger clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## report: all topic reports for the default corpus, into reports/
report: $(STAMP)
	$(BIN)/litreview report --out reports

## test: unit tests, nbval over the notebooks, papermill runs of the report, on every core
## (--dist loadfile keeps a notebook's cells, and a file's shared report runs, in one worker;
##  tests/conftest.py hands out the slowest files first so that the workers finish together)
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile

## notebooks: re-create the notebooks' stored outputs (after a deliberate change)
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.kernel_name=python3 \
		notebooks/*.ipynb notebooks/walkthroughs/*.ipynb notebooks/walkthroughs/solutions/*.ipynb

## bench: every benchmark's table of figures (bench/README.md says what each measures)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## tagger: refit the default tag decision (data/tagger/) from the labels in data/
tagger: $(STAMP)
	$(BIN)/python -m litreview.tagging.fit

## lab: open the notebooks in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf reports .pytest_cache
