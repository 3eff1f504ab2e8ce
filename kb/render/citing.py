"""Where a page shows citations: after each statement, and in the bibliography's "cited on" lists.

The words of each citation come from kb/citations; this module only places them on the page, as
links to the bibliography entry or the article section, with the data-kb-source key by which the
cite script finds the full citations of that source.
"""

from __future__ import annotations

from markupsafe import Markup

from .. import citations
from ..languages import LANGUAGES
from ..records.model import Source, WorkCitation
from ..text import escape
from ..text.inline import isolate_runs
from .writer import Writer


class Citing:
    """The citation marks of one page (a Markdown writer places them)."""

    def __init__(self, md: Writer, html: Writer):
        self.md, self.html = md, html
        self.kb, self.words, self.lang = md.kb, md.words, md.lang.code

    def statement(self, sources) -> Markup:
        """In-text citations of a statement, one parenthesis per source, each linked to its entry."""
        return Markup(" ".join(str(self._source(s)) for s in sources))

    def _source(self, source: Source) -> Markup:
        if isinstance(source, WorkCitation):
            work = self.kb.works[source.work]
            lang = citations.citation_language(work, self.lang)
            label = escape.markdown(citations.work_label(work, lang, source.page))
            link = f"([{label}]({self.md.urls.work(work.id)}))"
            key = f"{work.id}:{source.page}"
            if lang != self.lang:
                return Markup(f'<span class="kb-cite" lang="{lang}" dir="{LANGUAGES[lang].direction}" '
                              f'data-kb-source="{key}">{link}</span>')
            return Markup(f'<span class="kb-cite" data-kb-source="{key}">{link}</span>')
        article = self.kb.articles[source.article]
        section = article.section(source.section)
        label = f"{self.words('the_article_short')}{LANGUAGES[self.lang].list_separator}{section.title[self.lang]}"
        link = f"[{isolate_runs(label, self.lang, escape.markdown)}]({self.md.urls.article(article.id, section.id)})"
        return Markup(f'<span class="kb-cite kb-cite-article" data-kb-source="{article.id}#{section.id}" '
                      f'title="{escape.tooltip(self.words("article_own_words"))}">({link})</span>')

    def cited_on(self, found) -> Markup:
        """The "cited on" list of a bibliography entry, as HTML: one item per place a work is cited."""
        page = escape.html_text(self.words("page_abbr"))
        separator = escape.html_text(LANGUAGES[self.lang].list_separator)
        items, links = [], {}
        for c in found:
            key = (c.concept, c.section)
            if key not in links:
                label = self.words("concept_section").format(concept=self.kb.concepts[c.concept].title[self.lang],
                                                             section=self._section_title(*key))
                links[key] = self.html.concept_link(c.concept, label, c.section)
            items.append(f"<li>{links[key]}{separator}{page} {self.html.number(c.page)}</li>")
        return Markup("<ul>" + "".join(items) + "</ul>")

    def _section_title(self, concept_id: str, section_id: str) -> str:
        if section_id == "definitions":
            return self.words("definitions")
        concept = self.kb.concepts[concept_id]
        return next(s.title[self.lang] for s in concept.sections if s.id == section_id)
