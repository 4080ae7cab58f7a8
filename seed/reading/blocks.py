"""What every reader produces: paragraphs and tables in document order (the parser's first stage)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Block", "Para", "Table"]


@dataclass
class Para:
    """One paragraph (a line of a text file, a paragraph of a .docx)."""

    text: str
    heading: bool = False


@dataclass
class Table:
    """A table: rows of cell texts (a cell may hold several lines)."""

    rows: list[list[str]]
    plain: bool = False  # read from plain text: column counts may be unreliable


Block = Para | Table
