"""Citations of the knowledge base's own pages and sections, and what a concept page's cite
controls show.

The knowledge base is cited like an entry in an encyclopedia with editions (as the Stanford
Encyclopedia of Philosophy is): APA 7 and Chicago author-date in the page's language, BibTeX and
RIS. Every string the cite dialog shows or copies is made here; the page's script only puts in
the address the reader is on where the build could not know it (URL_SLOT).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records.model import SiteSettings, WorkCitation
from ..text import escape
from .files import URL_SLOT, bibtex_key, kb_bibtex, kb_ris
from .sources import article_apa, article_chicago, article_in_text, secondary_in_text
from .text import Formatted, citation_year, edition_text, long_date, runs, title_case

_URL_HTML = '<span class="kb-url" dir="ltr">{}</span>'
"""The address inside a citation's HTML: always left to right, also inside Persian text."""


@dataclass(frozen=True)
class Entry:
    """Every form of the citation of one page or section."""

    apa: Formatted
    chicago: Formatted
    bibtex: str
    ris: str

    def as_data(self) -> dict:
        return {"apa": {"html": self.apa.html, "text": self.apa.text},
                "chicago": {"html": self.chicago.html, "text": self.chicago.text},
                "bibtex": self.bibtex, "ris": self.ris}


def entry_title(page_title: str, section_title: str | None) -> str:
    return f"{page_title}: {section_title}" if section_title else page_title


def _with_address(formatted: Formatted, url: str) -> Formatted:
    """Put the address (or its slot) into a citation made with URL_SLOT."""
    return Formatted(formatted.html.replace(URL_SLOT, _URL_HTML.format(escape.html_text(url))),
                     formatted.text.replace(URL_SLOT, url))


def kb_apa(info: SiteSettings, lang: str, page_title: str, section_title: str | None = None) -> Formatted:
    """APA 7, as an entry in a reference work with an edition."""
    title = entry_title(page_title, section_title)
    year = citation_year(info.edition_date, lang)
    if lang == "fa":
        return runs(f"{info.editors.fa} ({year}). «{title}». در ", (info.name.fa,),
                    f" ({edition_text(info, 'fa')}). {URL_SLOT}")
    return runs(f"{info.editors.en}. ({year}). {title}. In ", (info.name.en,),
                f" ({edition_text(info, 'en')}). {URL_SLOT}")


def kb_chicago(info: SiteSettings, lang: str, page_title: str, section_title: str | None = None) -> Formatted:
    """Chicago author-date, reference-list entry (English titles in headline style)."""
    title = entry_title(page_title, section_title)
    year = citation_year(info.edition_date, lang)
    if lang == "fa":
        return runs(f"{info.editors.fa}. {year}. «{title}». در ", (info.name.fa,),
                    f"، {edition_text(info, 'fa')}. {URL_SLOT}.")
    return runs(f"{info.editors.en}. {year}. “{title_case(title)}.” In ", (title_case(info.name.en),),
                f", edition {info.edition}, {long_date(info.edition_date, 'en')}. {URL_SLOT}.")


def kb_entry(info: SiteSettings, lang: str, page_id: str, page_title: str, section_id: str | None = None,
             section_title: str | None = None, url: str = URL_SLOT) -> Entry:
    """The citation of a page, or of one of its sections; url is its address, or URL_SLOT."""
    title = entry_title(page_title, section_title)
    key = bibtex_key("diplomacykb", lang, page_id, section_id or "")
    return Entry(apa=_with_address(kb_apa(info, lang, page_title, section_title), url),
                 chicago=_with_address(kb_chicago(info, lang, page_title, section_title), url),
                 bibtex=kb_bibtex(info, lang, key, title, url), ris=kb_ris(info, lang, title, url))


def concept_page_citations(kb, concept, info: SiteSettings, lang: str, sections: list[tuple[str, str]]) -> dict:
    """What the cite controls of a concept page show: the page and each section (id, title), and
    for each source a statement cites, the secondary citation of it with the article as the
    reference. The addresses are URL_SLOT (the reader's address is put in by the page script)."""
    title = concept.title[lang]
    entries = {"": kb_entry(info, lang, concept.id, title).as_data()}
    for section_id, section_title in sections:
        entries[section_id] = kb_entry(info, lang, concept.id, title, section_id, section_title).as_data()
    sources, article_ids = {}, set()
    for statement in _statements(concept):
        for source in statement.sources:
            if isinstance(source, WorkCitation):
                work = kb.works[source.work]
                article = kb.articles[next(a for a in work.cited_in if a in kb.articles)]
                key = f"{work.id}:{source.page}"
                styles = {style: secondary_in_text(work, source.page, article, style, lang)
                          for style in ("apa", "chicago")}
            else:
                article = kb.articles[source.article]
                key = f"{article.id}#{source.section}"
                section_title = article.section(source.section).title[lang]
                styles = {style: article_in_text(article, section_title, style, lang)
                          for style in ("apa", "chicago")}
            sources[key] = {"article": article.id, **styles}
            article_ids.add(article.id)
    references = {}
    for article_id in sorted(article_ids):
        article = kb.articles[article_id]
        apa, chicago = article_apa(article, lang), article_chicago(article, lang)
        references[article_id] = {"apa": {"html": apa.html, "text": apa.text},
                                  "chicago": {"html": chicago.html, "text": chicago.text}}
    return {"page": concept.id, "entries": entries, "sources": sources, "references": references,
            "slot": URL_SLOT}


def _statements(concept):
    yield from concept.definitions
    for section in concept.sections:
        yield from section.paragraphs

