"""A corpus of hostile input, built here, in one `juesuan etl` run with a good real PDF: every file
gets a documents row that refuses it with a clear reason (failed or partial; a readable PDF that
only sets a trap the parser never springs is no disclosure: failed, doc_kind 'other'); the batch neither crashes nor
hangs (per-document time limit) nor exhausts memory (per-worker ceiling, default 2048 MiB); nothing
outside the output folder is written and nothing in a PDF is executed."""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import time
from pathlib import Path

import hostile_pdfs as hostile
import pyarrow.parquet as pq
import pytest
from pypdf import PdfReader, PdfWriter
from test_batch_bad_input import _scanned

import etl.batch.discover
from etl.batch.fragments import FragmentStore
from etl.batch.worker import Task, parse_pdf, process
from etl.cli import main
from etl.document import DocumentError

TIMEOUT_S = 60
TRUNCATED_AT = (0.01, 0.25, 0.5, 0.75, 0.99)
REFUSED = "refused"  # failed or partial, with a reason

#: file -> (what its documents row must be, regex its error must match)
EXPECTED: dict[str, tuple[str, str]] = {
    "bad/zero-bytes.pdf": ("failed", r"^empty file \(0 bytes\)$"),
    "bad/random-bytes.pdf": ("failed", r"^not a PDF: no %PDF- header"),
    "bad/error-page.pdf": ("failed", r"^not a PDF, an HTML page"),
    **{f"bad/truncated-{int(f * 100):02d}.pdf": ("failed", r"unreadable|damaged|EOF") for f in TRUNCATED_AT},
    "bad/password-protected.pdf": ("failed", r"encrypted PDF \(password required\)"),
    "bad/password-protected-aes256.pdf": ("failed", r"encrypted PDF \(password required\)"),
    "bad/scanned.pdf": ("failed", r"not a final-accounts report"),  # OCR reads it: no 决算 title, no table
    "bad/5000-pages.pdf": ("failed", r"no text on any of 5000 pages: no text layer, and nothing OCR could read"),
    "bad/kids-loop.pdf": ("failed", r"no pages"),
    "bad/deep-nesting.pdf": (REFUSED, r"not a final-accounts report|unreadable"),
    "bad/huge-length.pdf": ("failed", r"memory limit exceeded|unreadable|damaged"),
    "bad/flate-bomb.pdf": ("failed", r"^memory limit exceeded \(--max-memory 2048 MB per worker\)"),
    "bad/huge-image.pdf": (REFUSED, r"not a final-accounts report|memory limit exceeded"),
    "bad/active-content.pdf": (REFUSED, r"not a final-accounts report"),
    "bad/changing.pdf": ("failed", r"^file changed while being read"),
    "links/outside.pdf": ("failed", r"^symbolic link pointing outside the raw folder"),
    "links/loop.pdf": ("failed", r"^symbolic link loop"),
    "links/broken.pdf": ("failed", r"^broken symbolic link"),
    "web/deep-nesting.html": ("failed", r"^web page nested deeper than 200 elements"),
    "web/huge-colspan.htm": ("failed", r"^web page table of 300 rows × 1000 columns \(colspan\)"),
    "web/script-only.html": ("failed", r"^no text in the web page$"),
    "web/blank.txt": ("failed", r"^no text in the text file$"),
    "web/random-bytes.txt": ("failed", r"not a final-accounts report"),
    "names/财政.pdf": (REFUSED, r"not a final-accounts report"),
    "names/\ufffd\ufffd-latin1-\ufffd.pdf": (REFUSED, r"not a final-accounts report"),
}
GOOD = "good/finance.pdf"


def _encrypt(source: Path, target: Path, algorithm: str) -> None:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    with open(target, "wb") as fh:
        writer.write(fh)


def _build(root: Path, real_pdfs: dict[str, Path]) -> Path:
    raw = root / "raw"
    for folder in ("bad", "links", "names", "good", "web"):
        (raw / folder).mkdir(parents=True)
    (root / "outside").mkdir()
    shutil.copy(real_pdfs["finance"], raw / GOOD)
    shutil.copy(real_pdfs["template"], root / "outside/secret.pdf")
    data = real_pdfs["finance"].read_bytes()
    bad = raw / "bad"
    (bad / "zero-bytes.pdf").write_bytes(b"")
    (bad / "random-bytes.pdf").write_bytes(random.Random(5).randbytes(50_000))
    (bad / "error-page.pdf").write_text("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                                        "<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
    for fraction in TRUNCATED_AT:
        (bad / f"truncated-{int(fraction * 100):02d}.pdf").write_bytes(data[: int(len(data) * fraction)])
    _encrypt(real_pdfs["social"], bad / "password-protected.pdf", "RC4-128")
    _encrypt(real_pdfs["social"], bad / "password-protected-aes256.pdf", "AES-256")
    _scanned(bad / "scanned.pdf")
    hostile.many_pages(bad / "5000-pages.pdf", 5000)
    (bad / "kids-loop.pdf").write_bytes(hostile.kids_loop())
    (bad / "deep-nesting.pdf").write_bytes(hostile.deep_nesting())
    (bad / "huge-length.pdf").write_bytes(hostile.huge_length())
    (bad / "flate-bomb.pdf").write_bytes(hostile.flate_bomb(gigabytes=4))
    (bad / "huge-image.pdf").write_bytes(hostile.huge_image())
    (bad / "active-content.pdf").write_bytes(hostile.active_content(root / "outside/EXECUTED"))
    (bad / "changing.pdf").write_bytes(hostile.deep_nesting(10))
    web = raw / "web"  # saved web pages and text files are inputs too
    (web / "deep-nesting.html").write_text("<div>" * 100_000, encoding="utf-8")
    (web / "huge-colspan.htm").write_text("<table>" + '<tr><td colspan="99999">x</td></tr>' * 300 + "</table>")
    (web / "script-only.html").write_text("<html><head><script>" + "var x = 1;" * 10_000 + "</script></head></html>")
    (web / "blank.txt").write_bytes(b" \r\n\t\n\f\n")  # (an empty one is bad/zero-bytes.pdf's duplicate)
    (web / "random-bytes.txt").write_bytes(random.Random(7).randbytes(200_000))
    os.symlink(root / "outside/secret.pdf", raw / "links/outside.pdf")
    os.symlink("loop.pdf", raw / "links/loop.pdf")
    os.symlink("gone.pdf", raw / "links/broken.pdf")
    names = os.fsencode(raw / "names")
    (Path(os.fsdecode(names + "/财政.pdf".encode("gbk")))).write_bytes(hostile.deep_nesting(11))
    (Path(os.fsdecode(names + b"/\xff\xfe-latin1-\xe9.pdf"))).write_bytes(hostile.deep_nesting(12))
    return raw


def _snapshot(root: Path, skip: set[str]) -> dict[str, tuple[int, int]]:
    """Every entry under root (links not followed) but `skip`: (size, mtime_ns)."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(os.fsencode(root)):
        rel_dir = os.path.relpath(dirpath, os.fsencode(root))
        dirnames[:] = [d for d in dirnames if os.fsdecode(os.path.normpath(os.path.join(rel_dir, d))) not in skip]
        for name in dirnames + filenames:
            rel = os.fsdecode(os.path.normpath(os.path.join(rel_dir, name)))
            if rel not in skip:
                st = os.lstat(os.path.join(dirpath, name))
                seen[rel] = (st.st_size, st.st_mtime_ns)
    return seen


def _changing_hash(original, target: str):
    """sha256_file that appends to `target` right after hashing it: the file changes mid-read."""
    def hashed(path: Path):
        result = original(path)
        if path.name == target:
            with open(path, "ab") as fh:
                fh.write(b"\n% appended while hashing\n")
        return result
    return hashed


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, real_pdfs: dict[str, Path]) -> dict:
    root = tmp_path_factory.mktemp("hostile")
    raw = _build(root, real_pdfs)
    skip = {"out", "raw/bad/changing.pdf"}
    before = _snapshot(root, skip)
    start = time.perf_counter()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(etl.batch.discover, "sha256_file", _changing_hash(etl.batch.discover.sha256_file, "changing.pdf"))
        code = main(["etl", str(raw), "--out", str(root / "out"), "--jobs", "2", "--timeout", str(TIMEOUT_S)])
    seconds = time.perf_counter() - start
    documents = {d["source_file"]: d for d in pq.read_table(root / "out/documents.parquet").to_pylist()}
    return {"root": root, "code": code, "seconds": seconds, "documents": documents,
            "before": before, "after": _snapshot(root, skip)}


def test_the_batch_finishes_in_bounded_time(run: dict) -> None:
    assert run["code"] == 0
    assert run["seconds"] < 4 * TIMEOUT_S


def test_every_file_has_a_documents_row(run: dict) -> None:
    assert set(run["documents"]) == set(EXPECTED) | {GOOD}


@pytest.mark.parametrize("source_file", sorted(EXPECTED))
def test_hostile_file_is_refused_with_a_clear_reason(run: dict, source_file: str) -> None:
    document = run["documents"][source_file]
    expected, pattern = EXPECTED[source_file]
    if expected == REFUSED:
        assert document["status"] in {"failed", "partial"}, document
    else:
        assert document["status"] == expected, document
    assert document["error"] and re.search(pattern, document["error"]), document["error"]


def test_the_good_file_in_the_same_batch_is_parsed(run: dict) -> None:
    document = run["documents"][GOOD]
    assert document["status"] == "ok" and document["doc_kind"] == "final_accounts", document["error"]


def test_nothing_outside_the_output_folder_is_written(run: dict) -> None:
    assert run["after"] == run["before"]


def test_nothing_in_a_pdf_is_executed(run: dict) -> None:
    assert not (run["root"] / "outside/EXECUTED").exists()
    assert run["documents"]["bad/active-content.pdf"]["pages"] == 1  # it was read, its actions were not run


def test_a_file_rewritten_while_being_parsed_fails(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(hostile.deep_nesting(3))
    st = path.stat()
    task = Task("d1", path, "doc.pdf", "0" * 64, st.st_size, "v", mtime_ns=st.st_mtime_ns)

    def rewriting_parser(p: Path, doc_id: str):
        parsed = parse_pdf(p, doc_id)
        p.write_bytes(p.read_bytes() + b"\n% rewritten by its producer\n")
        return parsed

    store = FragmentStore(tmp_path / "out", "v")
    store.prepare()
    outcome = process(task, store, rewriting_parser)
    assert outcome.status == "failed"
    assert outcome.error.startswith("file changed while being parsed")


def test_a_document_error_is_what_the_parser_raises_on_each_hostile_pdf(tmp_path: Path) -> None:
    """In this process (no worker, no memory ceiling): the cheap traps raise DocumentError or parse."""
    for name, data in {"kids": hostile.kids_loop(), "deep": hostile.deep_nesting(),
                       "image": hostile.huge_image(), "active": hostile.active_content(tmp_path / "X")}.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        with contextlib.suppress(DocumentError):
            parse_pdf(path, name)
    assert not (tmp_path / "X").exists()
