"""What search finds: one document per page a reader would want to land on, in each language.

A document holds the page's text as the page shows it (the words a result's snippet quotes),
split into its sections (each with the anchor the page gives it), and the names a concept is
known by in both languages (a search for a name puts its concept first). Concept pages, the
source article, the bibliography (one section per work) and the hand-written pages are
searched; the index pages (home, concept index, glossary, map) only repeat them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import markdown

from .. import citations
from ..languages import CODES, LANGUAGES
from ..linking import KnowledgeBase
from ..records.model import Source, WorkCitation
from ..text.inline import LATIN_RUN, LINK
from ..render.urls import page_url


@dataclass(frozen=True)
class Section:
    """A part of a page that has its own address: the page itself has the anchor ''."""

    anchor: str
    heading: str
    text: str


@dataclass(frozen=True)
class SearchDocument:
    lang: str
    path: str
    """The page's path in its language's folder ('concepts/x.md')."""
    title: str
    names: tuple[str, ...]
    """Titles and other names (of the concept in both languages, or of the works' authors)."""
    sections: tuple[Section, ...]

    @property
    def url(self) -> str:
        """From the language's site root, as the published site has it ('concepts/x/')."""
        return page_url(self.path)


def shown(text: str, lang: str, kb: KnowledgeBase) -> str:
    """Record text as a page in lang shows it: [[links]] as their words, digits localised (Persian
    pages write Persian digits, except inside runs of Latin script)."""
    def link_text(match) -> str:
        target, label = match.group(1).strip(), match.group(2)
        return label or (kb.concepts[target].title[lang] if target in kb.concepts else target)

    text = " ".join(LINK.sub(link_text, text).split())
    if lang != "fa":
        return text
    out, last = [], 0
    for run in LATIN_RUN.finditer(text):
        out.append(LANGUAGES["fa"].digits(text[last:run.start()]))
        out.append(run.group(0))
        last = run.end()
    return "".join(out) + LANGUAGES["fa"].digits(text[last:])


def _sources(sources: tuple[Source, ...], kb: KnowledgeBase, lang: str) -> str:
    """The in-text citations after a statement, as the page shows them."""
    shown_sources = []
    for source in sources:
        if isinstance(source, WorkCitation):
            work = kb.works[source.work]
            shown_sources.append(citations.work_label(work, citations.citation_language(work, lang), source.page))
        else:
            article = kb.articles[source.article]
            shown_sources.append(article.section(source.section).title[lang])
    return " ".join(f"({s})" for s in shown_sources)


def concept_document(kb: KnowledgeBase, concept, lang: str, words) -> SearchDocument:
    def statements(items) -> str:
        return " ".join(f"{shown(s.text[lang], lang, kb)} {_sources(s.sources, kb, lang)}" for s in items)

    sections = [Section("", concept.title[lang], " ".join(
        [shown(concept.summary[lang], lang, kb)] + [shown(note[lang], lang, kb) for note in concept.notes]))]
    sections.append(Section("definitions", words("definitions"), statements(concept.definitions)))
    sections += [Section(s.id, s.title[lang], statements(s.paragraphs)) for s in concept.sections]
    names = (concept.title.fa, concept.title.en, *concept.aliases.fa, *concept.aliases.en)
    return SearchDocument(lang, f"concepts/{concept.id}.md", concept.title[lang], names, tuple(sections))


def article_document(kb: KnowledgeBase, article, lang: str, words) -> SearchDocument:
    sections = [Section("", article.title[lang], " ".join(
        [article.title[LANGUAGES[lang].other.code], article.published_title,
         *(a.name[lang] for a in article.authors)]))]
    sections.append(Section("abstract-in-our-words", words("abstract_ours"), " ".join(
        shown(getattr(article, field)[lang], lang, kb) for field in ("abstract", "question", "thesis", "method"))))
    sections += [Section(s.id, s.title[lang], shown(s.summary[lang], lang, kb)) for s in article.outline]
    return SearchDocument(lang, f"articles/{article.id}.md", article.title[lang], (), tuple(sections))


def bibliography_document(kb: KnowledgeBase, lang: str, words) -> SearchDocument:
    sections, names = [Section("", words("bibliography"), words("secondary_note"))], []
    for work in kb.works.values():
        other = LANGUAGES[work.script].other.code
        authors = [name for a in work.authors for name in (a[work.script], a[other])]
        details = [citations.year_in_full(work, lang), *work.as_cited]
        details += [value.original for value in (work.title, work.container, work.publisher) if value != "unknown"]
        sections.append(Section(work.id, citations.work_label(work, work.script), " ".join(authors + details)))
        names += [a[script] for a in work.authors for script in CODES]
    return SearchDocument(lang, "bibliography.md", words("bibliography"), tuple(dict.fromkeys(names)), tuple(sections))


class _Sections(HTMLParser):
    """The sections of a page's HTML: the text under each heading that has an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = [["", "", ""]]  # anchor, heading, text
        self._heading: str | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = dict(attrs).get("id") or ""
            self.sections.append([self._heading, "", ""])

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None

    def handle_data(self, data):
        self.sections[-1][1 if self._heading is not None else 2] += data


def hand_written_document(path: Path, relative: str, lang: str) -> SearchDocument:
    """A hand-written page (such as about.md), from its Markdown, split at its headings. Its first
    heading is its title, and the page itself (anchor '')."""
    source = path.read_text(encoding="utf-8")
    if source.startswith("---\n"):  # front matter
        source = source.split("\n---\n", 1)[-1]
    parser = _Sections()
    parser.feed(markdown.markdown(source, extensions=["toc", "attr_list", "md_in_html", "admonition"]))
    found = [Section(anchor, " ".join(heading.split()), " ".join(text.split())) for anchor, heading, text in parser.sections]
    found = [s for s in found if s.heading or s.text]
    title = found[0].heading if found else relative
    if found:
        found[0] = Section("", found[0].heading, found[0].text)  # the first heading stands for the page
    return SearchDocument(lang, relative, title, (), tuple(found))


def search_documents(kb: KnowledgeBase, lang: str, words, hand_written: list[tuple[Path, str]]) -> list[SearchDocument]:
    """Every document of one language's site, sorted by path."""
    documents = [concept_document(kb, c, lang, words) for c in kb.concepts.values()]
    documents += [article_document(kb, a, lang, words) for a in kb.articles.values()]
    documents.append(bibliography_document(kb, lang, words))
    documents += [hand_written_document(path, relative, lang) for path, relative in hand_written]
    return sorted(documents, key=lambda d: d.path)
