# Two commands set up everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RAW ?= data/raw
PARQUET ?= data/parquet
REPORTS ?= reports
EXPORTS ?= exports
AUDIT ?= audit
# `make export FORMAT=xlsx` (default: every format); ARGS goes to the command as is, e.g. ARGS=--all-quality
FORMAT ?=
ARGS ?=

.PHONY: demo test soak lint lab uv sync system-deps sample etl report export audit bench dictionary clean

# uv comes from PyPI when absent (no installer script downloads).
uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || python3 -m pip install --user --quiet uv \
		|| python3 -m pip install --user --quiet --break-system-packages uv

sync: uv
	$(UV) sync --all-groups --quiet

# Debian packages: Chromium for the offline-HTML browser test, CJK fonts for charts.
system-deps:
	bash scripts/install-system-deps.sh

sample: sync
	@if [ -z "$$(find $(RAW) -iname '*.pdf' -print -quit 2>/dev/null)" ]; then \
		$(UV) run juesuan sample --out $(RAW); \
	else echo "$(RAW) already holds PDFs: not generating the sample corpus"; fi

# The commands typed most, through `uv run` (no environment to activate); README "Commands" says which is which.
etl: sync
	$(UV) run juesuan etl $(RAW) --out $(PARQUET) $(ARGS)

report: sync
	$(UV) run juesuan report --parquet $(PARQUET) --out $(REPORTS) $(ARGS)

export: sync
	$(UV) run juesuan export --parquet $(PARQUET) --out $(EXPORTS) $(if $(FORMAT),--format $(FORMAT)) $(ARGS)

audit: sync
	$(UV) run juesuan audit --parquet $(PARQUET) --out $(AUDIT) $(ARGS)

demo: sync sample etl report
	@echo "demo done: Parquet in $(PARQUET)/, reports in $(REPORTS)/index.html"

test: sync system-deps
	$(UV) run ruff check etl tests benchmarks
	$(UV) run juesuan dictionary --check
	$(UV) run pytest -q

# The hostile corpus 20 runs in a row with --jobs 1 and --jobs 2 at the default memory ceiling (~27 min).
soak: sync
	$(UV) run pytest -q -m soak tests/test_hostile_repeated.py

lint: sync
	$(UV) run ruff check etl tests benchmarks

lab: sync
	$(UV) run jupyter lab notebooks/

bench: sync
	$(UV) run python benchmarks/etl_throughput.py --set both --docs 500 --rounds 2 --loaders
	$(UV) run python benchmarks/executors.py
	$(UV) run python benchmarks/query_views.py
	$(UV) run python benchmarks/ocr_pages.py
	$(UV) run python benchmarks/ocr_readings.py
	$(UV) run python benchmarks/protected_pdfs.py
	$(UV) run python benchmarks/snapshot_commit.py

dictionary: sync
	$(UV) run juesuan dictionary

clean:
	rm -rf $(PARQUET)/*.parquet $(PARQUET)/snapshots $(PARQUET)/current $(PARQUET)/CURRENT $(PARQUET)/runs \
		$(PARQUET)/.cache $(REPORTS)
