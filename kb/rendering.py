"""Stage 4, render: the linked knowledge base to Markdown pages, both languages.

Pure: takes the linked records, returns {path: text}. Templates live in
kb/templates/. Jinja's `finalize` escapes every `{{ }}` output for Markdown
unless a helper already returned Markup, so record text cannot become markup.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import json

import jinja2
import yaml
from markupsafe import Markup

from . import citations
from .concept_map import neighbourhood_svg, whole_map_concepts, whole_map_svg

from .inline import LINK, escape_attribute, escape_html, escape_markdown, isolate_runs, render_inline
from .linking import KnowledgeBase
from .model import (LANGUAGES, RELATION_KINDS, UNKNOWN, Article, ArticleCitation, Bilingual, Concept,
                    SiteSettings, Source, Work, WorkCitation)
from .persian import (first_letter, gregorian_span, letter_anchor, sort_key, to_persian_digits)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LABELS_FILE = Path(__file__).resolve().parent / "labels.yaml"
OTHER = {"fa": "en", "en": "fa"}
DIRECTION = {"fa": "rtl", "en": "ltr"}


@dataclass(frozen=True)
class OutputPage:
    """One generated Markdown file."""

    path: str
    """Relative to docs/, such as 'fa/concepts/urban-diplomacy.md'."""
    text: str
    source: str
    """The record (or 'build_kb.py') it was generated from."""


class PageJob:
    """A page to generate, rendered only when asked: `text` renders it (once)."""

    def __init__(self, path: str, source: str, fingerprint: str, render):
        self.path, self.source, self.fingerprint = path, source, fingerprint
        self._render = render
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._render().text
        return self._text


@lru_cache(maxsize=None)
def get_labels() -> dict[str, dict[str, str]]:
    labels = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    for key, value in labels.items():
        missing = [lang for lang in LANGUAGES if lang not in value]
        if missing:
            raise ValueError(f"{LABELS_FILE}: label '{key}' has no {', '.join(missing)} text")
    return labels


def _finalize(value):
    if isinstance(value, Markup):
        return value
    return Markup(escape_markdown(str(value)))


@lru_cache(maxsize=None)
def get_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        # `{#id}` is attr_list's heading-id syntax, which Jinja would read as a comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    return env


@lru_cache(maxsize=65536)
def _relative_path(target: str, start: str) -> str:
    return posixpath.relpath(target, start)


class PageRenderer:
    """Helpers for one page in one language: text, links, citations, labels."""

    def __init__(self, kb: KnowledgeBase, lang: str, page_path: str, previews: bool = True):
        self.kb = kb
        self.lang = lang
        self.other = OTHER[lang]
        self.page_path = page_path  # relative to the language root, e.g. concepts/x.md
        self.previews = previews
        """Concept links carry the target's summary as a preview. Pages that list the whole knowledge
        base leave them out: they would be most of the page, and the glossary shows summaries."""
        self._labels = get_labels()

    # --- words -------------------------------------------------------------------------
    def t(self, key: str) -> Markup:
        """An interface label in the page language (runs of the other script marked, like record text)."""
        return Markup(isolate_runs(self._labels[key][self.lang], self.lang, escape_markdown))

    def raw_label(self, key: str, lang: str | None = None) -> str:
        return self._labels[key][lang or self.lang]

    def num(self, value) -> str:
        return to_persian_digits(str(value)) if self.lang == "fa" else str(value)

    # --- text ------------------------------------------------------------------------
    def text(self, value: str) -> Markup:
        """Record text as inline Markdown, with [[links]] resolved."""
        return Markup(render_inline(value, self.lang, self._inline_link))

    def plain(self, value: str, lang: str | None = None) -> Markup:
        """Record text as inline Markdown without links (headings, labels)."""
        return Markup(isolate_runs(value, lang or self.lang, escape_markdown))

    def html(self, value: str, lang: str | None = None) -> Markup:
        """Record text for a raw HTML block (no Markdown processing there)."""
        import html as _html
        return Markup(isolate_runs(value, lang or self.lang, lambda s: _html.escape(s, quote=False)))

    def attr(self, value: str) -> Markup:
        return Markup(escape_attribute(value))

    def other_lang(self, value: str) -> Markup:
        """A text in the other language, marked with its own lang and dir."""
        inner = escape_markdown(value)
        return Markup(f'<span lang="{self.other}" dir="{DIRECTION[self.other]}">{inner}</span>')

    # --- links -----------------------------------------------------------------------
    def href(self, target: str, anchor: str | None = None) -> str:
        """A relative link from this page to another page (paths relative to the language root)."""
        relative = _relative_path(target, posixpath.dirname(self.page_path) or ".")
        return relative + (f"#{anchor}" if anchor else "")

    def concept_href(self, concept_id: str, anchor: str | None = None) -> str:
        return self.href(f"concepts/{concept_id}.md", anchor)

    def concept_link(self, concept_id: str, label: str | None = None) -> Markup:
        """A Markdown link to a concept, whose title (shown as a preview) is the concept's summary."""
        concept = self.kb.concepts[concept_id]
        text = label if label is not None else concept.title[self.lang]
        if not self.previews:
            return Markup(f"[{isolate_runs(text, self.lang, escape_markdown)}]({self.concept_href(concept_id)})")
        preview = self.preview(concept_id).replace("\\", "\\\\").replace('"', "&quot;")
        return Markup(f"[{isolate_runs(text, self.lang, escape_markdown)}]"
                      f'({self.concept_href(concept_id)} "{preview}")')

    # --- HTML for the long generated lists (Markdown would spend most of the build on them) ---
    def html_link(self, concept_id: str, label: str | None = None, anchor: str | None = None) -> str:
        """A link in raw HTML: kbref: is resolved to the page's URL by the MkDocs hook."""
        text = label if label is not None else self.kb.concepts[concept_id].title[self.lang]
        target = f"kbref:concepts/{concept_id}.md" + (f"#{anchor}" if anchor else "")
        return f'<a href="{target}">{isolate_runs(text, self.lang, escape_html)}</a>'

    def html_text(self, value: str) -> Markup:
        """Record text as HTML, with its [[links]]."""
        return Markup(render_inline(value, self.lang, lambda target, label: self.html_link(target, label),
                                    html_mode=True))

    def html_other(self, value: str) -> Markup:
        return Markup(f'<span lang="{self.other}" dir="{DIRECTION[self.other]}">{escape_html(value)}</span>')

    def html_links(self, concept_ids) -> Markup:
        return Markup(self.raw_label("list_separator").join(self.html_link(cid) for cid in concept_ids))

    def preview(self, concept_id: str, limit: int = 240) -> str:
        """The concept's summary as plain text, short enough for a tooltip."""
        summary = LINK.sub(lambda m: m.group(2) or self.kb.concepts.get(m.group(1).strip(), None).title[self.lang]
                           if (m.group(2) or m.group(1).strip() in self.kb.concepts) else m.group(1),
                           self.kb.concepts[concept_id].summary[self.lang])
        return summary if len(summary) <= limit else summary[: limit - 1].rsplit(" ", 1)[0] + "…"

    def map_legend(self) -> dict[str, str]:
        """Line styles: one for the hierarchy (broader above, narrower below), one each for the rest."""
        return {"broader": self.raw_label("map_hierarchy"), "related": self.raw_label("related"),
                "contrasted": self.raw_label("contrasted")}

    def neighbourhood_map(self, concept: Concept) -> Markup:
        label = f"{self.raw_label('map_of')} {concept.title[self.lang]}. {self.raw_label('map_same_as_list')}"
        return Markup(neighbourhood_svg(self.kb, concept.id, self.lang, label, self.map_legend()))

    def _inline_link(self, target: str, label: str | None) -> str:
        return str(self.concept_link(target, label))

    def article_href(self, article_id: str, section: str | None = None) -> str:
        return self.href(f"articles/{article_id}.md", section)

    def work_href(self, work_id: str) -> str:
        return self.href("bibliography.md", work_id)

    def join(self, items) -> Markup:
        return Markup(self.raw_label("list_separator").join(str(i) for i in items))

    def concept_links(self, concept_ids) -> Markup:
        return self.join(self.concept_link(cid) for cid in concept_ids)

    def in_script_list(self, values, script: str) -> Markup:
        return self.join(self.in_script(v, script) for v in values)

    def author_names_of(self, article: Article) -> Markup:
        return self.join(self.plain(a.name[self.lang]) for a in article.authors)

    def author_pairs(self, work: Work) -> Markup:
        return self.join(self.author_pair(a, work.script) for a in work.authors)

    # --- works and citations ------------------------------------------------------------
    def cite_lang(self, work: Work) -> str:
        """The language a citation of work is written in on this page."""
        return "en" if self.lang == "en" or work.script == "en" else "fa"

    def author_names(self, work: Work, lang: str) -> str:
        """Short author list for an in-text citation: 'X', 'X and Y', 'X et al.'."""
        names = [a[lang] for a in work.authors]
        if len(names) == 1 and not work.et_al:
            return names[0]
        if len(names) == 2 and not work.et_al:
            joiner = " و " if lang == "fa" else " & "
            return joiner.join(names)
        return f"{names[0]} {self._labels['et_al'][lang]}"

    def year_short(self, work: Work, lang: str) -> str:
        if work.year == UNKNOWN:
            return self._labels["unknown"][lang]
        if lang == "en" and work.calendar == "solar-hijri":
            return f"{work.year} SH"
        return to_persian_digits(work.year) if lang == "fa" else work.year

    def year_long(self, year: str, calendar: str, lang: str | None = None) -> str:
        """'1397 SH (≈ 2018–19 CE)' / '۱۳۹۷ ش (≈ ۲۰۱۸–۱۹ م)' / '2008'."""
        lang = lang or self.lang
        if year == UNKNOWN:
            return self._labels["unknown"][lang]
        if calendar != "solar-hijri":
            return to_persian_digits(year) if lang == "fa" else year
        sh, g = self._labels["solar_hijri_abbr"][lang], self._labels["gregorian_abbr"][lang]
        text = f"{year} {sh} (≈ {gregorian_span(int(year))} {g})"
        return to_persian_digits(text) if lang == "fa" else text

    def citation_text(self, work: Work, page: str | None) -> str:
        lang = self.cite_lang(work)
        comma = "، " if lang == "fa" else ", "
        text = f"{self.author_names(work, lang)}{comma}{self.year_short(work, lang)}"
        if page:
            text += f": {to_persian_digits(page) if lang == 'fa' else page}"
        return text

    def cite(self, sources) -> Markup:
        """In-text citations, one parenthesis per source, each linked to its entry."""
        return Markup(" ".join(str(self.cite_one(s)) for s in sources))

    def cite_one(self, source: Source) -> Markup:
        if isinstance(source, WorkCitation):
            work = self.kb.works[source.work]
            lang = self.cite_lang(work)
            label = escape_markdown(self.citation_text(work, source.page))
            link = f"([{label}]({self.work_href(work.id)}))"
            key = f"{work.id}:{source.page}"
            if lang != self.lang:
                return Markup(f'<span class="kb-cite" lang="{lang}" dir="{DIRECTION[lang]}" '
                              f'data-kb-source="{key}">{link}</span>')
            return Markup(f'<span class="kb-cite" data-kb-source="{key}">{link}</span>')
        article = self.kb.articles[source.article]
        section = next(s for s in article.outline if s.id == source.section)
        label = (f"{self.raw_label('the_article_short')}{self.raw_label('list_separator')}"
                 f"{section.title[self.lang]}")
        link = f"[{isolate_runs(label, self.lang, escape_markdown)}]" \
               f"({self.article_href(article.id, section.id)})"
        return Markup(f'<span class="kb-cite kb-cite-article" data-kb-source="{article.id}#{section.id}" '
                      f'title="{escape_attribute(self.raw_label("article_own_words"))}">({link})</span>')

    def in_script(self, value: str, script: str) -> Markup:
        """Text in a given script: plain in the page language, else marked with lang and dir."""
        return self.plain(value) if script == self.lang else self.other_lang(value)

    def author_pair(self, name: Bilingual, script: str) -> Markup:
        """'دهشیری (Dehshiri)': the name as cited, then our transliteration."""
        other = OTHER[script]
        return Markup(f"{self.in_script(name[script], script)} ({self.in_script(name[other], other)})")

    def bibliographic_fields(self, work: Work) -> list[tuple[str, object]]:
        return [("title", work.title), ("container", work.container), ("publisher", work.publisher)]

    def html_in_script(self, value: str, script: str) -> Markup:
        if script == self.lang:
            return self.html(value)
        return Markup(f'<span lang="{script}" dir="{DIRECTION[script]}">{escape_html(value)}</span>')

    def html_in_script_list(self, values, script: str) -> Markup:
        return Markup(self.raw_label("list_separator").join(self.html_in_script(v, script) for v in values))

    def html_author_pairs(self, work: Work) -> Markup:
        other = OTHER[work.script]
        return Markup(self.raw_label("list_separator").join(
            f"{self.html_in_script(a[work.script], work.script)} ({self.html_in_script(a[other], other)})"
            for a in work.authors))

    def html_unknown(self) -> Markup:
        return Markup(f'<span class="kb-unknown">{escape_html(self.raw_label("unknown"))}</span> '
                      f'({escape_html(self.raw_label("unknown_in_article"))})')

    def unknown(self) -> Markup:
        """A visible 'unknown: not given in the article' marker."""
        return Markup(f'<span class="kb-unknown">{escape_markdown(self.raw_label("unknown"))}</span> '
                      f'({escape_markdown(self.raw_label("unknown_in_article"))})')

    def cited_on(self, found) -> Markup:
        """The "cited on" list of a bibliography entry, as HTML: one item per place a work is cited."""
        page, items, links = escape_html(self.raw_label("page_abbr")), [], {}
        for c in found:
            key = (c.concept, c.section)
            if key not in links:
                label = f"{self.kb.concepts[c.concept].title[self.lang]} › {self.concept_section_title(*key)}"
                links[key] = self.html_link(c.concept, label, c.section)
            items.append(f"<li>{links[key]}، {page} {self.num(c.page)}</li>" if self.lang == "fa"
                         else f"<li>{links[key]}, {page} {self.num(c.page)}</li>")
        return Markup("<ul>" + "".join(items) + "</ul>")

    def concept_section_title(self, concept_id: str, section_id: str) -> str:
        if section_id == "definitions":
            return self.raw_label("definitions")
        concept = self.kb.concepts[concept_id]
        return next(s.title[self.lang] for s in concept.sections if s.id == section_id)

    def edition(self, settings: SiteSettings) -> str:
        """'Edition 1.0, November 26, 2026' or 'ویرایش ۱٫۰، ۵ آذر ۱۴۰۵'."""
        from .citations import edition_label, long_date
        comma = "، " if self.lang == "fa" else ", "
        return f"{edition_label(settings.edition, self.lang)}{comma}{long_date(settings.edition_date, self.lang)}"

    def section_title(self, article: Article, section_id: str) -> str:
        return next(s.title[self.lang] for s in article.outline if s.id == section_id)


    # --- citing -------------------------------------------------------------------------
    def site_root(self) -> str:
        """The site-relative path of this page's language root: '' or 'en/'."""
        return "" if self.lang == "fa" else "en/"

    def page_url(self, settings: SiteSettings, anchor: str | None = None) -> str:
        """The page's address: absolute with kb.yml's site_url, else the path from the site root."""
        path = self.site_root() + self.page_path.removesuffix("index.md").removesuffix(".md")
        if not path.endswith("/") and path:
            path += "/"
        url = (settings.site_url or "") + path
        return url + (f"#{anchor}" if anchor else "")

    def citation_static(self, entry: dict, settings: SiteSettings, anchor: str | None = None) -> dict:
        """One entry's citations for the page itself (no script): the address filled in as far as known."""
        import html as _html
        url = self.page_url(settings, anchor)
        shown = f'<span class="kb-url" dir="ltr">{_html.escape(url)}</span>'
        fill = (lambda text, value: text.replace(citations.URL_SLOT, value))  # noqa: E731
        return {"apa": Markup(fill(entry["apa"]["html"], shown)),
                "chicago": Markup(fill(entry["chicago"]["html"], shown)),
                "bibtex": fill(entry["bibtex"], url), "ris": fill(entry["ris"], url)}

    def citation_json(self, data: dict) -> Markup:
        """Data for overrides/assets/javascripts/kb-cite.js, safe inside a <script> element."""
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return Markup(text.replace("</", "<\\/"))

    def html_escape(self, text: str) -> Markup:
        import html as _html
        return Markup(_html.escape(text))


def concept_citation_data(r: PageRenderer, concept: Concept, settings: SiteSettings) -> dict:
    """Every citation the concept page offers: the page, each section, each source it cites."""
    lang = r.lang
    title = concept.title[lang]
    sections = [("definitions", r.raw_label("definitions"))]
    sections += [(s.id, s.title[lang]) for s in concept.sections]
    sections += [("relations", r.raw_label("relations")), ("in-the-article", r.raw_label("in_the_article")),
                 ("referenced-by", r.raw_label("referenced_by"))]
    page = citations.kb_citations(settings, lang, concept.id, title)
    section = citations.kb_citations(settings, lang, concept.id, title, citations.ID_SLOT, citations.SECTION_SLOT)
    titles = {section_id: {"title": section_title,
                           "chicago": citations.title_case(section_title) if lang == "en" else section_title}
              for section_id, section_title in sections}
    sources = {}
    statements = list(concept.definitions) + [p for s in concept.sections for p in s.paragraphs]
    article_ids = set()
    for statement in statements:
        for source in statement.sources:
            if isinstance(source, WorkCitation):
                work = r.kb.works[source.work]
                article = r.kb.articles[next(a for a in work.cited_in if a in r.kb.articles)]
                sources[f"{work.id}:{source.page}"] = {
                    "article": article.id,
                    "apa": citations.secondary_in_text(work, source.page, article, "apa", lang),
                    "chicago": citations.secondary_in_text(work, source.page, article, "chicago", lang)}
            else:
                article = r.kb.articles[source.article]
                section_title = r.section_title(article, source.section)
                sources[f"{article.id}#{source.section}"] = {
                    "article": article.id,
                    "apa": citations.article_in_text(article, section_title, "apa", lang),
                    "chicago": citations.article_in_text(article, section_title, "chicago", lang)}
            article_ids.add(article.id)
    references = {}
    for article_id in sorted(article_ids):
        article = r.kb.articles[article_id]
        apa, chicago = citations.article_apa(article, lang), citations.article_chicago(article, lang)
        references[article_id] = {"apa": {"html": apa.html, "text": apa.text},
                                  "chicago": {"html": chicago.html, "text": chicago.text}}
    labels = {key: r.raw_label(key) for key in (
        "cite", "cite_page", "cite_section", "cite_original", "apa", "chicago", "in_text", "reference_list",
        "copy", "copied", "download", "close", "secondary_explained")}
    return {"page": concept.id, "entry": page, "section": section, "sections": titles, "sources": sources,
            "references": references, "labels": labels,
            "slots": {"url": citations.URL_SLOT, "section": citations.SECTION_SLOT, "id": citations.ID_SLOT}}


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ten times faster


def front_matter(**fields) -> Markup:
    text = yaml.dump({k: v for k, v in fields.items() if v is not None}, Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=10_000)
    return Markup(f"---\n{text}---\n")


def _render(template: str, renderer: PageRenderer, **context) -> str:
    env = get_environment()
    text = env.get_template(template).render(r=renderer, t=renderer.t, lang=renderer.lang,
                                             other=renderer.other, kb=renderer.kb,
                                             front_matter=front_matter, **context)
    return _tidy(text)


def _tidy(text: str) -> str:
    """Collapse runs of blank lines so the output is stable and readable."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


# --- pages ---------------------------------------------------------------------------------


def render_concept_page(kb: KnowledgeBase, concept: Concept, lang: str, settings: SiteSettings) -> OutputPage:
    path = f"concepts/{concept.id}.md"
    r = PageRenderer(kb, lang, path)
    cite = concept_citation_data(r, concept, settings)
    text = _render("concept.md.j2", r, concept=concept, relations=kb.relations[concept.id],
                   relation_kinds=RELATION_KINDS, backlinks=kb.backlinks[concept.id],
                   settings=settings, cite=cite, page_cite=r.citation_static(cite["entry"], settings),
                   meta=concept_metadata(r, concept, settings))
    return OutputPage(f"{lang}/{path}", text, concept.path)


def concept_metadata(r: PageRenderer, concept: Concept, settings: SiteSettings) -> dict:
    """Highwire citation_* tags and schema.org JSON-LD for reference managers and search engines."""
    lang = r.lang
    url = r.page_url(settings)
    tags = [["citation_title", concept.title[lang]], ["citation_author", settings.editors[lang]],
            ["citation_publication_date", settings.edition_date.strftime("%Y/%m/%d")],
            ["citation_language", lang], ["citation_publisher", settings.name[lang]],
            ["citation_inbook_title", settings.name[lang]], ["citation_edition", settings.edition]]
    if settings.site_url:
        tags.append(["citation_public_url", url])
    articles = [r.kb.articles[ref.article] for ref in concept.in_article if ref.article in r.kb.articles]
    jsonld = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": concept.title[lang],
        "alternateName": [concept.title[r.other], *concept.aliases[lang], *concept.aliases[r.other]],
        "description": concept.summary[lang],
        "termCode": concept.id,
        "inLanguage": lang,
        "version": settings.edition,
        "dateModified": settings.edition_date.isoformat(),
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": settings.name[lang],
                             **({"url": settings.site_url + r.site_root()} if settings.site_url else {})},
        "isBasedOn": [{"@type": "ScholarlyArticle", "name": a.title[lang], "inLanguage": "fa",
                       "author": [{"@type": "Person", "name": au.name[lang]} for au in a.authors]}
                      for a in articles],
    }
    if settings.site_url:
        jsonld["url"] = url
    return {"kb_meta": tags, "kb_jsonld": jsonld}


def article_metadata(article: Article) -> dict:
    """Highwire tags describing the original article, for Zotero and Google Scholar."""
    tags = [["citation_title", article.title.fa], ["citation_language", "fa"]]
    tags += [["citation_author", a.name.en] for a in article.authors]
    for field in ("journal", "year", "volume", "issue", "doi"):
        value = getattr(article, field)
        if value != UNKNOWN:
            name = {"journal": "citation_journal_title", "year": "citation_publication_date"}.get(
                field, f"citation_{field}")
            tags.append([name, value])
    keywords = list(article.keywords_published.en) or list(article.keywords_translated.en)
    if keywords:
        tags.append(["citation_keywords", "; ".join(keywords)])
    jsonld = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "name": article.title.fa,
              "alternateName": article.published_title, "inLanguage": "fa",
              "author": [{"@type": "Person", "name": a.name.en, "alternateName": a.name.fa,
                          "affiliation": a.affiliation.en} for a in article.authors],
              "keywords": keywords, "abstract": article.abstract.en}
    return {"kb_meta": tags, "kb_jsonld": jsonld}


def render_concept_index(kb: KnowledgeBase, lang: str, settings: SiteSettings) -> OutputPage:
    path = "concepts/index.md"
    r = PageRenderer(kb, lang, path, previews=False)
    by_title = lambda cid: sort_key(kb.concepts[cid].title[lang], lang)  # noqa: E731
    children = {cid: sorted(kb.relations[cid]["narrower"], key=by_title) for cid in kb.concepts}
    roots = sorted((cid for cid in kb.concepts if not kb.relations[cid]["broader"]), key=by_title)
    text = _render("concept_index.md.j2", r, roots=roots, children=children, settings=settings)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def glossary_entries(kb: KnowledgeBase, lang: str) -> list[dict]:
    """Every concept title and alias as a glossary entry, in the language's order."""
    entries = []
    for concept in kb.concepts.values():
        entries.append({"term": concept.title[lang], "concept": concept, "alias": False})
        for alias in concept.aliases[lang]:
            entries.append({"term": alias, "concept": concept, "alias": True})
    entries.sort(key=lambda e: (sort_key(e["term"], lang), e["alias"], e["concept"].id))
    return entries


def render_glossary(kb: KnowledgeBase, lang: str, settings: SiteSettings) -> OutputPage:
    path = "glossary.md"
    r = PageRenderer(kb, lang, path, previews=False)
    groups: list[tuple[str, str, list[dict]]] = []
    for entry in glossary_entries(kb, lang):
        letter = first_letter(entry["term"], lang)
        if not groups or groups[-1][0] != letter:
            groups.append((letter, letter_anchor(letter), []))
        groups[-1][2].append(entry)
    text = _render("glossary.md.j2", r, groups=groups, settings=settings)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_bibliography(kb: KnowledgeBase, lang: str, settings: SiteSettings) -> OutputPage:
    path = "bibliography.md"
    r = PageRenderer(kb, lang, path, previews=False)

    def key(work: Work):
        names = " ".join(a[work.script] for a in work.authors)
        return (sort_key(names, work.script), work.year, work.id)

    by_script = {script: sorted((w for w in kb.works.values() if w.script == script), key=key)
                 for script in LANGUAGES}
    order = [lang, OTHER[lang]]
    text = _render("bibliography.md.j2", r, groups=[(s, by_script[s]) for s in order if by_script[s]],
                   citations=kb.citations, settings=settings, downloads=BIBLIOGRAPHY_FILES)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_article_page(kb: KnowledgeBase, article: Article, lang: str, settings: SiteSettings) -> OutputPage:
    path = f"articles/{article.id}.md"
    r = PageRenderer(kb, lang, path)
    apa, chicago = citations.article_apa(article, lang), citations.article_chicago(article, lang)
    text = _render("article.md.j2", r, article=article, section_concepts=kb.section_concepts,
                   settings=settings, apa=Markup(apa.html), chicago=Markup(chicago.html),
                   bibtex=citations.article_bibtex(article), ris=citations.article_ris(article),
                   meta=article_metadata(article))
    return OutputPage(f"{lang}/{path}", text, article.path)


def render_articles_index(kb: KnowledgeBase, lang: str, settings: SiteSettings) -> OutputPage:
    path = "articles/index.md"
    r = PageRenderer(kb, lang, path, previews=False)
    text = _render("articles_index.md.j2", r, settings=settings)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_concept_map(kb: KnowledgeBase, lang: str, settings: SiteSettings) -> OutputPage:
    path = "map.md"
    r = PageRenderer(kb, lang, path, previews=False)
    svg = whole_map_svg(kb, lang, f"{r.raw_label('concept_map')}. {r.raw_label('map_same_as_list')}",
                        r.map_legend())
    order = sorted(kb.concepts, key=lambda cid: sort_key(kb.concepts[cid].title[lang], lang))
    shown = len(whole_map_concepts(kb, lang))
    text = _render("map.md.j2", r, svg=Markup(svg), order=order, relation_kinds=RELATION_KINDS,
                   settings=settings, shown=shown)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_home(kb: KnowledgeBase, lang: str, settings: SiteSettings) -> OutputPage:
    path = "index.md"
    r = PageRenderer(kb, lang, path, previews=False)
    text = _render(f"home.{lang}.md.j2", r, settings=settings,
                   core=[c for c in ("urban-diplomacy", "public-diplomacy", "sister-cities",
                                     "bilateral-city-diplomacy", "multilateral-city-diplomacy")
                         if c in kb.concepts])
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


BIBLIOGRAPHY_FILES = {"bibtex": "downloads/bibliography.bib", "ris": "downloads/bibliography.ris",
                      "csl": "downloads/bibliography.json"}


def render_bibliography_files(kb: KnowledgeBase, lang: str) -> list[OutputPage]:
    """The bibliography as BibTeX, RIS and CSL-JSON, in each language's folder."""
    articles, works = list(kb.articles.values()), list(kb.works.values())
    texts = {"bibtex": citations.bibliography_bibtex(articles, works),
             "ris": citations.bibliography_ris(articles, works),
             "csl": citations.bibliography_csl_json(articles, works)}
    return [OutputPage(f"{lang}/{BIBLIOGRAPHY_FILES[fmt]}", text, "build_kb.py") for fmt, text in texts.items()]


def site_pages(kb: KnowledgeBase, settings: SiteSettings) -> list[PageJob]:
    """Every page to generate, in both languages, sorted by path; each renders on demand."""
    from .export import render_export
    from .fingerprints import Fingerprints

    prints = Fingerprints(kb, settings)
    site_wide = prints.site_wide
    jobs: list[PageJob] = []

    def add(path: str, source: str, fingerprint: str, render) -> None:
        jobs.append(PageJob(path, source, fingerprint, render))

    for lang in LANGUAGES:
        for name, render in (("index.md", render_home), ("concepts/index.md", render_concept_index),
                             ("glossary.md", render_glossary), ("map.md", render_concept_map),
                             ("bibliography.md", render_bibliography),
                             ("articles/index.md", render_articles_index)):
            add(f"{lang}/{name}", "build_kb.py", site_wide, lambda r=render, lang=lang: r(kb, lang, settings))
        for fmt, name in BIBLIOGRAPHY_FILES.items():
            add(f"{lang}/{name}", "build_kb.py", site_wide,
                lambda fmt=fmt, lang=lang: next(p for p in render_bibliography_files(kb, lang)
                                                if p.path.endswith(BIBLIOGRAPHY_FILES[fmt])))
        for concept in kb.concepts.values():
            add(f"{lang}/concepts/{concept.id}.md", concept.path, prints.concept(concept),
                lambda c=concept, lang=lang: render_concept_page(kb, c, lang, settings))
        for article in kb.articles.values():
            add(f"{lang}/articles/{article.id}.md", article.path, site_wide,
                lambda a=article, lang=lang: render_article_page(kb, a, lang, settings))
    add("fa/kb.json", "build_kb.py", prints.everything, lambda: render_export(kb, settings))
    return sorted(jobs, key=lambda job: job.path)


def render_site(kb: KnowledgeBase, settings: SiteSettings) -> list[OutputPage]:
    """Every generated page, rendered, in both languages, sorted by path."""
    return [OutputPage(job.path, job.text, job.source) for job in site_pages(kb, settings)]
