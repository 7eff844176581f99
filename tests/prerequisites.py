"""What some tests need beyond the Python environment, and what happens when it is missing.

The real PDFs and their ground truth (../shared beside the repository, or JUESUAN_SHARED), a Chromium that
Playwright can drive (the offline-HTML browser tests) and the PDF tools that rewrite reports as other
producers do (mutool, qpdf, gs) are not on a researcher's fresh clone. There a test needing one is SKIPPED
with the reason and the fix (`-rs` prints it in the summary); under JUESUAN_REQUIRE_ALL=1 (CI: .ci/run) the
same test FAILS, so CI never passes with a test left out.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Set (to anything but "" or "0") where every test must run: a missing prerequisite fails the test.
REQUIRE_ALL = "JUESUAN_REQUIRE_ALL"
#: Where a system Chromium usually is (Debian's package, distributions' other names, macOS Chrome).
_CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
                        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")


def required_everywhere() -> bool:
    return os.environ.get(REQUIRE_ALL, "") not in ("", "0")


def missing(reason: str) -> NoReturn:
    """Skip the calling test (or every test using the calling fixture) with `reason`; fail under REQUIRE_ALL."""
    if required_everywhere():
        pytest.fail(f"{reason} [{REQUIRE_ALL} is set: this test must run]", pytrace=False)
    pytest.skip(reason)


def shared_dir() -> Path:
    path = Path(os.environ.get("JUESUAN_SHARED", REPO.parent / "shared"))
    if not (path / "real-pdfs").is_dir():
        missing(f"real PDFs not found: no real-pdfs/ in {path} (put the shared materials beside the "
                "repository as ../shared or set JUESUAN_SHARED)")
    return path


def _system_chromium() -> str | None:
    for candidate in _CHROMIUM_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


@functools.cache
def _playwright_has_chromium() -> bool:
    """Whether `playwright install chromium` (no root needed) has put Playwright's own browser in place."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        return Path(p.chromium.executable_path).is_file()


def chromium_path() -> str | None:
    """The Chromium the browser tests launch: JUESUAN_CHROMIUM, else a system one, else None (Playwright's own)."""
    return os.environ.get("JUESUAN_CHROMIUM") or _system_chromium()


def require_chromium() -> None:
    """Playwright (dev group) and a Chromium to drive, or skip/fail saying how to get them."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("browser test: Playwright is not installed (uv sync --all-groups, which `make test` runs)")
    explicit = os.environ.get("JUESUAN_CHROMIUM")
    if explicit and not (Path(explicit).is_file() or shutil.which(explicit)):
        missing(f"browser test: JUESUAN_CHROMIUM={explicit} is not an executable")
    if chromium_path() is None and not _playwright_has_chromium():
        missing("browser test: no Chromium found: without root `uv run playwright install chromium`, with root "
                "scripts/install-system-deps.sh, or set JUESUAN_CHROMIUM to a Chromium/Chrome executable")


def system_tool(name: str) -> str:
    """A command-line tool (mutool, qpdf, gs) on PATH, or skip/fail saying how to get it."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} not found on PATH: scripts/install-system-deps.sh installs it (Debian), "
                "or use your system's package manager")
    return path
