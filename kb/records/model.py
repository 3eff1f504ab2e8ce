"""The domain model: frozen dataclasses built from validated records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Union

LANGUAGES = ("fa", "en")
Lang = Literal["fa", "en"]


@dataclass(frozen=True)
class Bilingual:
    """The same text in Persian and English."""

    fa: str
    en: str

    def __getitem__(self, lang: str) -> str:
        return self.fa if lang == "fa" else self.en


@dataclass(frozen=True)
class BilingualList:
    fa: tuple[str, ...]
    en: tuple[str, ...]

    def __getitem__(self, lang: str) -> tuple[str, ...]:
        return self.fa if lang == "fa" else self.en


UNKNOWN = "unknown"
"""What the article does not tell us. Rendered visibly as unknown."""


@dataclass(frozen=True)
class WorkCitation:
    """A work the article cites, with the page the article gives."""

    work: str
    page: str


@dataclass(frozen=True)
class ArticleCitation:
    """The article's own argument in one of its sections; it cites no source."""

    article: str
    section: str


Source = Union[WorkCitation, ArticleCitation]


@dataclass(frozen=True)
class Statement:
    """A paraphrase in our words, with where it comes from."""

    text: Bilingual
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Section:
    """A titled section of a concept page; its id is the anchor on both pages."""

    id: str
    title: Bilingual
    paragraphs: tuple[Statement, ...]


@dataclass(frozen=True)
class ArticleRef:
    article: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Relations:
    """The relations a concept record states, by kind (the other concept shows the inverse)."""

    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    contrasted: tuple[str, ...] = ()
    editors_inferences: tuple["EditorsInference", ...] = ()
    """Those of the relations above that the article does not draw, with the editors' reason."""


@dataclass(frozen=True)
class EditorsInference:
    """A relation the editors infer, though the article does not draw it; shown as such."""

    kind: str
    concept: str
    reason: Bilingual


RELATION_KINDS = ("broader", "narrower", "related", "contrasted")
INVERSE_RELATION = {"broader": "narrower", "narrower": "broader",
                    "related": "related", "contrasted": "contrasted"}


@dataclass(frozen=True)
class Concept:
    id: str
    path: str
    title: Bilingual
    aliases: BilingualList
    summary: Bilingual
    in_article: tuple[ArticleRef, ...]
    definitions: tuple[Statement, ...]
    sections: tuple[Section, ...] = ()
    relations: Relations = field(default_factory=Relations)
    notes: tuple[Bilingual, ...] = ()


@dataclass(frozen=True)
class Original:
    """A bibliographic field the article gives, in the work's own language."""

    original: str
    translated: str | None = None


@dataclass(frozen=True)
class Work:
    """A cited work, only as far as the article describes it."""

    id: str
    path: str
    authors: tuple[Bilingual, ...]
    et_al: bool
    script: Lang
    year: str
    calendar: Literal["solar-hijri", "gregorian"]
    title: Original | str
    container: Original | str
    publisher: Original | str
    cited_in: tuple[str, ...]
    as_cited: tuple[str, ...]
    note: Bilingual | None = None


@dataclass(frozen=True)
class ArticleAuthor:
    name: Bilingual
    name_as_published: dict
    affiliation: Bilingual
    affiliation_as_published_en: str


@dataclass(frozen=True)
class OutlineSection:
    id: str
    title: Bilingual
    summary: Bilingual
    heading_as_published: str | None = None
    parent: str | None = None
    truncated: bool = False


@dataclass(frozen=True)
class Article:
    """A source article the knowledge base is built from."""

    id: str
    path: str
    title: Bilingual
    published_title: str
    sic: tuple[str, ...]
    type: Bilingual
    authors: tuple[ArticleAuthor, ...]
    journal: str
    year: str
    volume: str
    issue: str
    pages: str
    doi: str
    abstract: Bilingual
    question: Bilingual
    thesis: Bilingual
    method: Bilingual
    keywords_published: BilingualList
    keywords_translated: BilingualList
    keywords_note: Bilingual
    outline: tuple[OutlineSection, ...]
    text_status: tuple[Bilingual, ...]

    def section(self, section_id: str) -> OutlineSection:
        """The outline section with this id (linking has checked that it exists)."""
        return next(s for s in self.outline if s.id == section_id)


@dataclass(frozen=True)
class SiteSettings:
    """The knowledge base as a whole (kb.yml): what every page and every citation names."""

    name: Bilingual
    editors: Bilingual
    """Who is cited as the author of the knowledge base's pages."""
    edition: str
    edition_date: "dt.date"
    site_url: str = ""
    """Where the site is published, with a trailing slash; empty while it is not known."""
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The line of each key in kb.yml, for problems found later (with the editions)."""


@dataclass(frozen=True)
class Records:
    """Every validated record, keyed by id, in sorted order."""

    concepts: dict[str, Concept]
    works: dict[str, Work]
    articles: dict[str, Article]
    broken_ids: frozenset[str] = frozenset()
    """Ids of records that exist but failed to load or validate. References to them are
    not reported again: the record's own problems already are."""
