"""Shared test fixtures. The real PDFs and their ground truth live in ../shared beside the repo
(CI has them too); a missing ../shared is an error, never a silent skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    path = Path(os.environ.get("JUESUAN_SHARED", REPO.parent / "shared"))
    if not (path / "real-pdfs").is_dir():
        pytest.fail(f"shared materials not found at {path} (set JUESUAN_SHARED): the real-PDF tests must run")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def real_pdfs(shared: Path) -> dict[str, Path]:
    """The real PDFs by a short name: finance (ONLYOFFICE, split codes), social (WPS, joined codes),
    template (the national template with XX placeholders)."""
    pdfs = sorted((shared / "real-pdfs").glob("*.pdf"))
    named = {}
    for p in pdfs:
        key = "finance" if "财政局" in p.name else "social" if "社会工作部" in p.name else "template"
        named[key] = p
    assert set(named) == {"finance", "social", "template"}, pdfs
    return named
