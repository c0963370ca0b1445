# Quick start: `make demo` runs the main job on the bundled article; `make test` runs the suite.
# Each creates .venv (Python >= 3.11) when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/homs-offensive-2024.txt

.PHONY: demo screenshots test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo installs what every command of the README needs: the web app included.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/frontlines extract $(EXAMPLE)
	mkdir -p out && rm -f out/demo.db*
	$(BIN)/frontlines ingest $(EXAMPLE) --db out/demo.db
	$(BIN)/frontlines control --date 2024-12-08 --db out/demo.db
	$(BIN)/frontlines map --date 2024-12-08 --db out/demo.db -o out/map.html
	$(BIN)/frontlines events --db out/demo.db --format acled-csv > out/events.csv
	$(BIN)/frontlines summary --db out/demo.db --format wikitext -o out/infobox.wiki
	$(BIN)/frontlines timeline --db out/demo.db -o out/timeline.md
	$(BIN)/frontlines map --date 2024-12-05 --db out/demo.db -o out/map-2024-12-05.png
	$(BIN)/frontlines map --date 2024-12-08 --db out/demo.db -o out/map-2024-12-08.svg
	@echo "Open out/map.html in a browser: the control map on 8 December 2024 (offline)."
	@echo "out/events.csv: ACLED export; out/infobox.wiki: the infobox; out/timeline.md: the timeline."
	@echo "The web app: $(BIN)/frontlines serve --db out/demo.db"
	@if [ -x /usr/bin/chromium ]; then $(MAKE) --no-print-directory screenshots; \
	 else echo "No /usr/bin/chromium: no browser screenshots (apt-get install chromium)."; fi

# The map's browser tests (static map and served page, desktop and phone, Syria and Ukraine),
# keeping their screenshots in out/ for a person to look at.
screenshots: $(VENV)/.installed-test
	mkdir -p out
	FRONTLINES_SCREENSHOTS=out $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_map_browser.py
	@echo "Screenshots of the maps: out/*-desktop.png, out/*-phone.png"

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# The benchmarks run in their own venv: the project (spaCy and its model included) and Dask
# (benchmarks/scale.py), which only the benchmarks use.
BENCH_VENV := .venv-bench

$(BENCH_VENV)/.installed: pyproject.toml benchmarks/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -e . -r benchmarks/requirements.txt
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python benchmarks/summary.py

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check src tests benchmarks

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist src/*.egg-info .pytest_cache .hypothesis
