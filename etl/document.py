"""What parsing one PDF yields, and how it fails: the contract between the parser and the batch."""

from __future__ import annotations

from dataclasses import dataclass, field


class DocumentError(Exception):
    """The PDF cannot be parsed at all (not a PDF, encrypted, no text layer …).

    The message is the human-readable reason written to `documents.error`.
    """


@dataclass
class ParsedDocument:
    """One document's rows for every output table except the batch-level columns.

    `document` holds the `documents` columns the parser knows (doc_id, region, department,
    department_type, year, doc_kind, unit, layout, pages, status, error, metadata_source);
    the batch adds source_file, sha256, file_bytes, parser_version and parse_seconds.
    `rows` maps an output table name (see etl.schema.TABLES) to its rows as dicts; amounts are
    `decimal.Decimal` in 万元.
    """

    document: dict
    rows: dict[str, list[dict]] = field(default_factory=dict)
    #: further reports of the same file (a volume holding a 部门 report and its units' reports), each a
    #: document of its own with doc_id `<doc_id>-<n>`; empty for a file holding one report
    parts: list[ParsedDocument] = field(default_factory=list)
