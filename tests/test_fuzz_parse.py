"""Fuzzing the parser with mutated real PDFs (hypothesis, derandomised, about a minute).

Bytes of the real PDFs are flipped, inserted, deleted and cut; each mutant is parsed by
`parse_pdf` in a worker process under a time limit and the default memory ceiling, as the batch
does. Every outcome must be a ParsedDocument, a DocumentError, or — what the batch records as
'timed out' — a parse stopped at the time limit; never another exception or a dead worker.
(Fuzzing found one flipped byte in an embedded font sending pdfminer's quadratic Flate recovery
past 30 s; etl/pagesource/pdfminer_fixes.py makes it linear — see test_pdfminer_fixes.py.)
"""

from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pebble import ProcessPool

from etl.batch.limits import DEFAULT_MAX_MEMORY_MB
from etl.batch.pool import start_worker
from etl.document import DocumentError

PARSE_TIMEOUT_S = 10
EXAMPLES = 25

position = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
mutation = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(1, 255)),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), position, st.integers(1, 4096)),
    st.tuples(st.just("truncate"), position, st.just(0)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    buf = bytearray(data)
    for kind, where, arg in mutations:
        at = min(int(where * len(buf)), max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[at] ^= arg
        elif kind == "insert":
            buf[at:at] = arg
        elif kind == "delete":
            del buf[at: at + arg]
        elif kind == "truncate":
            del buf[at:]
    return bytes(buf)


def parse_kind(path: Path) -> str:
    """Run in the worker: 'parsed', 'document-error', or the unexpected exception."""
    from etl.parsing.parse import parse_pdf

    try:
        parse_pdf(path, "fuzz")
    except DocumentError:
        return "document-error"
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        return f"unexpected {type(exc).__name__}: {exc}"
    return "parsed"


@pytest.fixture(scope="module")
def pool():
    pool = ProcessPool(max_workers=2, max_tasks=20, initializer=start_worker, initargs=(DEFAULT_MAX_MEMORY_MB,))
    yield pool
    pool.stop()
    pool.join()


@pytest.fixture(scope="module")
def originals(real_pdfs: dict[str, Path]) -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in real_pdfs.items()}


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source=st.sampled_from(["finance", "social", "template"]),
       mutations=st.lists(mutation, min_size=1, max_size=4))
def test_a_mutated_real_pdf_parses_or_fails_with_a_document_error(
    pool: ProcessPool, originals: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory,
    source: str, mutations: list[tuple],
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "mutant.pdf"
    path.write_bytes(mutate(originals[source], mutations))
    future = pool.schedule(parse_kind, args=(path,), timeout=PARSE_TIMEOUT_S)
    try:
        kind = future.result()
    except FutureTimeout:
        kind = "timed-out"  # pebble stopped the worker, as the batch does: the document fails, the run goes on
    assert kind in {"parsed", "document-error", "timed-out"}, f"{source} mutated by {mutations}: {kind}"
