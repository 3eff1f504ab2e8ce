"""Editions: frozen copies of the whole site, each at its own permanent address.

Publishing an edition (`make edition`, publish.py) builds the site as it is and keeps the built
pages in editions/<edition>/site/, where no later change to records, templates or code can
touch them; the published site serves them at editions/<edition>/ (fa) and
editions/<edition>/en/ (en). A citation names the permanent address of the edition the reader
cites. The exports (kb.json) of the editions say what changed between them, per concept and
section: the current pages list a concept's editions and those changes, the changes pages list
each edition's, and an Atom feed per language announces them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .changes import ConceptChange, concept_changes, edition_changes, same_content

EDITIONS = "editions"
"""The folder of the frozen editions, at the project's root."""


def version_key(edition: str) -> tuple[int, ...]:
    return tuple(int(part) for part in edition.split("."))


@dataclass(frozen=True)
class Edition:
    """One published edition: its number, its date and what it contained."""

    edition: str
    date: dt.date
    content: dict = field(repr=False, compare=False)
    """Its export (kb.json)."""

    @cached_property
    def concepts(self) -> dict[str, dict]:
        """Its concepts by id (made once: every page asks)."""
        return {c["id"]: c for c in self.content["concepts"]}


@dataclass(frozen=True)
class History:
    """Every published edition, oldest first, and the content the site shows now."""

    editions: tuple[Edition, ...]
    current: dict | None = field(default=None, repr=False, compare=False)
    """The current export (what the records say now), when known."""

    @cached_property
    def current_concepts(self) -> dict[str, dict]:
        """The current export's concepts by id (made once: every page asks)."""
        return {c["id"]: c for c in self.current["concepts"]} if self.current else {}

    def get(self, edition: str) -> Edition | None:
        return next((e for e in self.editions if e.edition == edition), None)

    @property
    def latest(self) -> Edition | None:
        return self.editions[-1] if self.editions else None

    def of_concept(self, concept_id: str) -> list[Edition]:
        """The editions a concept is in, oldest first."""
        return [e for e in self.editions if concept_id in e.concepts]

    def last_holding(self, concept_id: str) -> Edition | None:
        """The latest edition the concept is in (for a concept the records no longer have)."""
        return next((e for e in reversed(self.editions) if concept_id in e.concepts), None)

    def cited_edition(self, concept_id: str) -> Edition | None:
        """The edition a citation of the concept's current page names: the latest one, if the page
        reads the same there as now; None when its current text is in no edition yet."""
        latest = self.latest
        current = self.current_concepts.get(concept_id)
        if latest is None or current is None or not same_content(latest.concepts.get(concept_id), current):
            return None
        return latest

    def last_change(self, concept_id: str) -> Edition | None:
        """The edition in which the concept last changed (or appeared), among those it reads the
        same in as now."""
        found = None
        previous = None
        for edition in self.editions:
            entry = edition.concepts.get(concept_id)
            if entry is not None and (previous is None or not same_content(previous, entry)):
                found = edition
            previous = entry
        return found

    def changes_since(self, concept_id: str, edition: Edition) -> ConceptChange | None:
        """How the concept now differs from the given edition."""
        return concept_changes(concept_id, edition.concepts.get(concept_id), self.current_concepts.get(concept_id))

    def changes_in(self, edition: Edition) -> list[ConceptChange]:
        """What edition changed, against the one before it (everything is new in the first); found
        once per edition, for every page and feed that lists it."""
        if edition.edition not in self._changes:
            index = self.editions.index(edition)
            before = self.editions[index - 1].content if index else {"concepts": []}
            self._changes[edition.edition] = edition_changes(before, edition.content)
        return self._changes[edition.edition]

    @cached_property
    def _changes(self) -> dict[str, list[ConceptChange]]:
        return {}


def load_history(root: Path) -> History:
    """The published editions in root/editions/, oldest first (none when there is no folder)."""
    folder = root / EDITIONS
    editions = []
    if folder.is_dir():
        for path in sorted(folder.glob("*/edition.json")):
            info = json.loads(path.read_text(encoding="utf-8"))
            content = json.loads((path.parent / "site" / "kb.json").read_text(encoding="utf-8"))
            editions.append(Edition(info["edition"], dt.date.fromisoformat(info["date"]), content))
    return History(tuple(sorted(editions, key=lambda e: version_key(e.edition))))


def tree_digest(folder: Path) -> str:
    """A digest of every file under folder (its path and bytes): edition.json keeps the one of its
    site/, so that a later change to a fixed copy is found (tests/test_editions.py)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()


def edition_files(root: Path) -> list[Path]:
    """The files of every frozen edition (what the current site serves under editions/)."""
    folder = root / EDITIONS
    return sorted(p for p in folder.glob("*/site/**/*") if p.is_file()) if folder.is_dir() else []

