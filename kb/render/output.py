"""What rendering produces: files for docs/, made in memory and handed to the write stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputPage:
    """One generated file: a page (text) or another file of the site (bytes)."""

    path: str
    """Relative to docs/, such as 'fa/concepts/urban-diplomacy.md'."""
    content: str | bytes
    source: str
    """The record (or 'build_kb.py') it was generated from, for messages."""

    @property
    def data(self) -> bytes:
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content

    @property
    def text(self) -> str:
        return self.content if isinstance(self.content, str) else self.content.decode("utf-8")
