# Entry points for newcomers, ops and CI. Every target sets up the virtual
# environment itself when it is missing, so `make run` and `make test` work on
# a fresh machine with only Python 3.11+, make and git.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export RAW_DIR       ?= $(CURDIR)/raw
export WAREHOUSE_DIR ?= $(CURDIR)/warehouse
export DAGSTER_HOME  ?= $(CURDIR)/.dagster_home

.PHONY: install run test test-browser ui lint docs docs-serve dashboard dashboard-serve eval bench-clean bench-extract bench-dbt bench-scale bench-cli drill clean

install: $(STAMP)

# constraints.txt pins the versions the project is tested with.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,dashboard]'
	touch $(STAMP)

# dbt's manifest (which Dagster reads to build the dbt assets) is refreshed
# whenever a file of the dbt project changes.
MANIFEST  := dbt/target/manifest.json
DBT_FILES := $(shell find dbt/dbt_project.yml dbt/profiles.yml dbt/models dbt/macros dbt/seeds dbt/tests -type f 2>/dev/null)

$(MANIFEST): $(STAMP) $(DBT_FILES)
	cd dbt && ../$(BIN)/dbt parse --quiet --profiles-dir .
	touch $(MANIFEST)

## Run the whole pipeline once on $(RAW_DIR) through the Dagster definitions.
run: install $(MANIFEST)
	$(BIN)/python -m dagster_project.cli run

## Run the test suite (browser tests included: they need Debian's chromium and
## chromium-driver, and are skipped with the reason when those are missing outside CI).
test: install $(MANIFEST)
	$(BIN)/python -m pytest

## Only the browser tests (dashboard pages and the Dagster UI in headless Chromium).
test-browser: install $(MANIFEST)
	$(BIN)/python -m pytest -m browser tests/browser

## Dagster UI on 127.0.0.1:3000 with the raw/ sensor and the daily schedule on.
ui: install $(MANIFEST)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p $${PORT:-3000}

lint: install
	$(BIN)/ruff check dagster_project dashboard tests scripts

## The analysts' dashboard over the published marts ($(WAREHOUSE_DIR)/parquet/marts):
## `make dashboard` checks every page's queries against them, `make dashboard-serve`
## serves it on 127.0.0.1 (PORT=8502 make dashboard-serve for another port).
dashboard: install
	$(BIN)/python -m dashboard.check $(WAREHOUSE_DIR)/parquet/marts

dashboard-serve: dashboard
	$(BIN)/python -m dashboard.serve --port $${PORT:-8501} --marts $(WAREHOUSE_DIR)/parquet/marts

clean:
	rm -rf $(VENV) dbt/target dbt/logs .pytest_cache

## dbt docs for the marts (needs a built warehouse: run `make run` first).
# The catalog is read from a copy of the published warehouse, so generating
# docs never competes with a running pipeline for the working database.
docs: install $(MANIFEST)
	mkdir -p dbt/target/docs
	cp $(WAREHOUSE_DIR)/warehouse.duckdb dbt/target/docs/catalog-source.duckdb
	chmod u+w dbt/target/docs/catalog-source.duckdb
	cd dbt && DBT_DUCKDB_PATH=target/docs/catalog-source.duckdb ../$(BIN)/dbt docs generate --profiles-dir . --target-path target/docs
	@echo "dbt docs: dbt/target/docs/index.html  (make docs-serve to browse)"

docs-serve: docs
	cd dbt && ../$(BIN)/dbt docs serve --profiles-dir . --target-path target/docs --host 127.0.0.1 --port 8080

## Quality and speed measurements (scripts that print figures).
BENCH_DIR ?= ../shared/benchmarks/article-extraction
# Runs the real pipeline into a temporary warehouse on the samples and on the
# real-news development set (skipped when $(NEWS_DEV) is absent) and scores the
# marts; EVAL_ARGS=--show lists every miss and false hit.
NEWS_DEV ?= ../shared/gold/news-dev
eval: install $(MANIFEST)
	$(BIN)/python scripts/eval_extraction.py --news-dev $(NEWS_DEV) $(EVAL_ARGS)

bench-clean: install
	$(BIN)/python scripts/bench_clean.py $(BENCH_DIR)

bench-extract: install
	$(BIN)/python scripts/bench_extract.py --repeat 5

bench-dbt: install
	$(BIN)/python scripts/bench_dbt.py

## Reliability drill: bad inputs and faults against the real pipeline, one row per case.
drill: install $(MANIFEST)
	$(BIN)/python scripts/drill.py

# End-to-end on a generated corpus (SIZES=1000,10000; ARGS=--clustering-only ...).
SIZES ?= 1000
bench-scale: install $(MANIFEST)
	$(BIN)/python scripts/bench_scale.py --sizes $(SIZES) $(ARGS)

# The real CLI on a 10k-article warehouse landed without NLP: a run with nothing
# new, one new article, one edited article, each with its per-stage breakdown
# (ARTICLES=2000 for a quick check; ARGS=--dir /tmp/cli10k keeps and reuses it).
# Its generated rows are lighter than real extractions: see scripts/bench_cli.py.
ARTICLES ?= 10000
bench-cli: install $(MANIFEST)
	$(BIN)/python scripts/bench_cli.py --articles $(ARTICLES) $(ARGS)
