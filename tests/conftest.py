"""Shared test fixtures. The real PDFs and their ground truth live in ../shared beside the repo (or
JUESUAN_SHARED). Without them the tests using these fixtures are skipped with the reason; under
JUESUAN_REQUIRE_ALL=1 (CI) they fail instead (tests/prerequisites.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from prerequisites import require_chromium, shared_dir

#: Fixtures that need the real PDFs: checked before any other fixture of the test is built.
_SHARED_FIXTURES = {"shared", "real_pdfs"}
#: A test calling one of these drives Chromium: marked `browser`, its prerequisites checked first.
_BROWSER_CALLS = {"_require_chromium", "require_chromium"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        code = getattr(getattr(item, "function", None), "__code__", None)
        if code is not None and _BROWSER_CALLS & set(code.co_names):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (fail under JUESUAN_REQUIRE_ALL) before the test's fixtures run: a missing ../shared or Chromium
    is reported at once, not after minutes of building a corpus the test cannot use."""
    if _SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
        shared_dir()
    if item.get_closest_marker("browser"):
        require_chromium()


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
