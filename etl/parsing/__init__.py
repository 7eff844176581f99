"""Parsing one report: locate tables → parse rows → read the narrative → check (entry point: parse.parse_pdf)."""
