"""What changed in a concept between two editions, section by section.

Editions are compared through their exports (kb.json, format 1): the content of every concept,
statement by statement, as readers saw it. A statement is one paraphrase with its sources. In a
section, statements with the same text are the same statement (its sources may have changed);
of the rest, the pairs whose wording is close are reworded statements; what is left was added
or removed. A change of title, other names, summary, notes or relations is reported too.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

REWORDED = 0.5
"""How alike two statements must be (difflib's ratio, on both languages) to count as one reworded."""


@dataclass(frozen=True)
class SectionChange:
    """What changed in one section of a concept page."""

    section: str
    """The section's anchor ('definitions', a section id) or a part of the page ('title',
    'aliases', 'summary', 'notes', 'relations')."""
    added: int = 0
    removed: int = 0
    reworded: int = 0
    sources: int = 0
    """Statements whose sources changed."""
    whole: str = ""
    """'added' or 'removed' when the whole section is new or gone; 'changed' for a part of the page."""

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.reworded or self.sources or self.whole)


@dataclass(frozen=True)
class ConceptChange:
    """How one concept differs between two editions."""

    concept: str
    kind: str
    """'added', 'removed' or 'revised'."""
    sections: tuple[SectionChange, ...] = field(default_factory=tuple)


def _text(statement: dict) -> str:
    return statement["text"]["fa"] + "\n" + statement["text"]["en"]


def _sources(statement: dict) -> str:
    return json.dumps(statement["sources"], sort_keys=True)


def statement_changes(section: str, old: list[dict], new: list[dict]) -> SectionChange:
    """Compare the statements of one section in two editions."""
    old, new = list(old), list(new)
    sources = 0
    for statement in list(new):  # the same text: the same statement
        match = next((o for o in old if _text(o) == _text(statement)), None)
        if match is not None:
            old.remove(match)
            new.remove(statement)
            sources += _sources(match) != _sources(statement)
    pairs = sorted(((difflib.SequenceMatcher(None, _text(o), _text(n)).ratio(), i, j)
                    for i, o in enumerate(old) for j, n in enumerate(new)), reverse=True)
    used_old, used_new, reworded = set(), set(), 0
    for ratio, i, j in pairs:
        if ratio < REWORDED or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        reworded += 1
        sources += _sources(old[i]) != _sources(new[j])
    return SectionChange(section, added=len(new) - len(used_new), removed=len(old) - len(used_old),
                         reworded=reworded, sources=sources)


def _sections(concept: dict) -> dict[str, list[dict]]:
    found = {"definitions": concept["definitions"]}
    for section in concept["sections"]:
        found[section["id"]] = section["paragraphs"]
    return found


def concept_changes(concept_id: str, old: dict | None, new: dict | None) -> ConceptChange | None:
    """How a concept's entry in one edition's export differs in another's; None when it does not."""
    if old is None and new is None:
        return None
    if old is None:
        return ConceptChange(concept_id, "added")
    if new is None:
        return ConceptChange(concept_id, "removed")
    changes = []
    for part in ("title", "aliases", "summary", "notes", "relations"):
        if old.get(part) != new.get(part):
            changes.append(SectionChange(part, whole="changed"))
    before, after = _sections(old), _sections(new)
    for section in after:
        if section not in before:
            changes.append(SectionChange(section, whole="added"))
        else:
            change = statement_changes(section, before[section], after[section])
            if change.any:
                changes.append(change)
    changes += [SectionChange(section, whole="removed") for section in before if section not in after]
    return ConceptChange(concept_id, "revised", tuple(changes)) if changes else None


def edition_changes(old: dict, new: dict) -> list[ConceptChange]:
    """Every concept added, removed or revised between two editions' exports, by id."""
    before = {c["id"]: c for c in old["concepts"]}
    after = {c["id"]: c for c in new["concepts"]}
    found = [concept_changes(cid, before.get(cid), after.get(cid)) for cid in sorted(set(before) | set(after))]
    return [change for change in found if change is not None]


def same_content(old: dict | None, new: dict | None) -> bool:
    """Whether a concept reads the same in two editions (what a citation of it depends on)."""
    return old is not None and new is not None and concept_changes(old["id"], old, new) is None
