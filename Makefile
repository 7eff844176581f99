# Two commands set up everything on a fresh machine: `make demo` (what the demo needs) and `make test`
# (the developer tools too). Neither needs root or ../shared: tests needing them are skipped with the reason.
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

.PHONY: demo test soak lint lab uv sync sync-dev system-deps sample etl report export audit bench dictionary clean

# uv comes from PyPI when absent (no installer script downloads).
uv:
	@command -v uv >/dev/null 2>&1 || test -x $(HOME)/.local/bin/uv || python3 -m pip install --user uv \
		|| python3 -m pip install --user --break-system-packages uv

# What the demo, the reports and JupyterLab need: no developer tools (pyproject's [tool.uv] default-groups
# is empty, so `uv run` adds none either). --inexact keeps a developer's tools installed by `make test`.
# Progress shows: on a slow link set a mirror, e.g. UV_DEFAULT_INDEX=https://pypi.tuna.tsinghua.edu.cn/simple
# --compile-bytecode: the installed packages' bytecode written once here. Where PYTHONDONTWRITEBYTECODE is set
# (Docker images, CI machines) Python never writes it, and every process (each `juesuan` run, its forkserver)
# compiled numpy, pyarrow, pdfplumber… from source again: one document's `juesuan etl` took 3.4 s of CPU
# without, 1.2 s with. Not in pyproject's [tool.uv]: there every `uv run` re-checks ~7,700 files (0.4 s a call).
sync: uv
	$(UV) sync --no-dev --inexact --compile-bytecode

# The developer tools too (pytest, ruff, Playwright, dask…): `make test` and the other developer targets.
sync-dev: uv
	$(UV) sync --all-groups --compile-bytecode

# Debian packages for some tests (Chromium, CJK fonts, PDF tools), installed only as root or with passwordless
# sudo; otherwise the script says what is missing and the tests needing it are skipped with the reason.
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

# = `uv run juesuan demo` (the way without make): the sample corpus if $(RAW) holds no report, etl, report
demo: sync
	$(UV) run juesuan demo --raw $(RAW) --out $(PARQUET) --reports $(REPORTS)

test: sync-dev system-deps
	$(UV) run ruff check etl tests benchmarks
	$(UV) run juesuan dictionary --check
	$(UV) run pytest -q

# The hostile corpus 20 runs in a row with --jobs 1 and --jobs 2 at the default memory ceiling (~27 min).
soak: sync-dev
	$(UV) run pytest -q -m soak tests/test_hostile_repeated.py

lint: sync-dev
	$(UV) run ruff check etl tests benchmarks

# Lab's root is the project (reports/, exports/, audit/ reachable), its file browser opened on notebooks/;
# a notebook's .py opens as a notebook on double-click (scripts/lab_settings.py).
lab: sync
	$(UV) run python scripts/lab_settings.py
	$(UV) run jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks

bench: sync-dev
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
