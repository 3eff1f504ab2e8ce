"""What the pages say of editions: a concept's editions and changes, the changes pages, the feed.

The facts come from kb/editions (which edition a page is in, what changed); this module puts
them into the page's words. Every phrase is an interface word of labels.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..citations.text import edition_with_date, long_date
from ..editions import Edition, History
from ..editions.changes import ConceptChange, SectionChange
from ..languages import LANGUAGES
from .urls import PageUrls
from .words import Words

PARTS = {"title": "part_title", "aliases": "part_aliases", "summary": "part_summary", "notes": "part_notes",
         "relations": "relations", "definitions": "definitions"}
"""The label of each part of a concept page that a change can concern."""


def edition_words(words: Words, key: str, edition: Edition) -> str:
    """An interface word about an edition, with its {edition} number and {date} filled in."""
    return words(key).format(edition=LANGUAGES[words.lang].edition_number(edition.edition),
                             date=long_date(edition.date, words.lang))


def edition_label(words: Words, edition: Edition) -> str:
    """'Edition 1.1, November 26, 2026', as citations name an edition."""
    return edition_with_date(edition.edition, edition.date, words.lang)


def change_phrases(words: Words, change: SectionChange) -> str:
    """'1 statement reworded, sources changed for 1 statement'."""
    if change.whole:
        return words({"added": "change_section_added", "removed": "change_section_removed",
                      "changed": "change_part_changed"}[change.whole])
    phrases = []
    for kind, count in (("added", change.added), ("removed", change.removed), ("reworded", change.reworded),
                        ("sources", change.sources)):
        if count:
            key = f"change_{kind}_{'one' if count == 1 else 'other'}"
            phrases.append(words(key).replace("{count}", LANGUAGES[words.lang].digits(str(count))))
    return LANGUAGES[words.lang].list_separator.join(phrases)


def section_label(words: Words, change: SectionChange, titles: dict[str, str]) -> str:
    return words(PARTS[change.section]) if change.section in PARTS else titles.get(change.section, change.section)


def change_lines(words: Words, change: ConceptChange | None, titles: dict[str, str]) -> list["ChangeLine"]:
    """A concept's change, one line per section: where, and what changed there."""
    if change is None:
        return []
    return [ChangeLine(section_label(words, s, titles), change_phrases(words, s)) for s in change.sections]


def concept_section_titles(history: History, concept, lang: str) -> dict[str, str]:
    """The title of every section the concept has or had, in lang (from the newest it is in)."""
    titles = {}
    for edition in history.editions:
        entry = edition.concepts.get(concept.id if concept else "")
        for section in entry["sections"] if entry else ():
            titles[section["id"]] = section["title"][lang]
    for section in concept.sections if concept else ():
        titles[section.id] = section.title[lang]
    return titles


@dataclass
class ChangeLine:
    section: str
    phrase: str


@dataclass
class EditionEntry:
    label: str
    href: str
    this: bool


class ConceptEditions:
    """A concept page's editions: where each fixed copy is, what changed since each, the notice."""

    def __init__(self, history: History, concept, words: Words, urls: PageUrls):
        self.history, self.concept, self.words, self.urls = history, concept, words, urls
        self.lang = words.lang
        self.titles = concept_section_titles(history, concept, self.lang)
        self.cited = history.cited_edition(concept.id)
        """The edition a citation of this page names, or None when its current text is in none."""

    @cached_property
    def entries(self) -> list[EditionEntry]:
        return [EditionEntry(edition_label(self.words, e), self.urls.in_edition(e.edition),
                             e.edition == self.urls.archive) for e in self.history.of_concept(self.concept.id)]

    @cached_property
    def last_change(self) -> str:
        edition = self.history.last_change(self.concept.id)
        if edition is None:
            return ""
        return edition_words(self.words, "last_change", edition)

    @cached_property
    def notice(self) -> str:
        """Said when the page's current text is in no published edition."""
        if self.cited is not None:
            return ""
        older = self.history.of_concept(self.concept.id)
        if not older:
            return self.words("not_yet_in_an_edition")
        return self.words("unpublished_changes").format(edition=LANGUAGES[self.lang].edition_number(older[-1].edition))

    @cached_property
    def changes(self) -> list[tuple[str, list[ChangeLine]]]:
        """For each earlier edition the page is in: what changed since, section by section."""
        found = []
        for edition in self.history.of_concept(self.concept.id):
            if self.cited and edition.edition == self.cited.edition:
                continue
            change = self.history.changes_since(self.concept.id, edition)
            heading = self.words("changes_since").format(edition=LANGUAGES[self.lang].edition_number(edition.edition))
            found.append((heading, change_lines(self.words, change, self.titles)))
        return found
