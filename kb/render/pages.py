"""Stage 4, render: the linked knowledge base to the files of docs/, in both languages.

Pure: it reads the templates and labels and returns pages; it writes nothing. site_pages lists
every page with how to render it; the pipeline renders them one at a time and hands each to the
write stage. What a template can show is exactly the context its render function gives it
(build_kb renders every page on every build that is not stopped early, so no page can be left
stale by a template that starts showing something new).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable

from markupsafe import Markup

from .. import citations
from ..languages import CODES, LANGUAGES
from ..editions import History
from ..linking import KnowledgeBase, inferences_of, statements
from ..records.model import RELATION_KINDS, Article, Concept, SiteSettings, Work, WorkCitation
from ..text import escape
from ..text.persian import first_letter, letter_anchor
from .citing import Citing
from .edition_pages import edition_page_specs
from .editions_view import ConceptEditions, edition_words
from .concept_map import neighbourhood_svg, whole_map_concepts, whole_map_svg
from .environment import render_template
from .export import EXPORT_PATH, render_export
from .output import OutputPage
from .urls import DIRECTORY, PageUrls
from .words import Words, read_labels
from .writer import Writer

BIBLIOGRAPHY_FILES = {"bibtex": "downloads/bibliography.bib", "ris": "downloads/bibliography.ris",
                      "csl": "downloads/bibliography.json"}
CORE_CONCEPTS = ("urban-diplomacy", "public-diplomacy", "sister-cities", "bilateral-city-diplomacy",
                 "multilateral-city-diplomacy")
"""Listed on the home page."""
DIALOG_WORDS = ("cite", "cite_page", "cite_section", "cite_original", "apa", "chicago", "in_text",
                "reference_list", "copy", "copied", "download", "close", "secondary_explained")
"""The interface words of the cite dialog (overrides/assets/javascripts/kb-cite.js)."""


@dataclass(frozen=True)
class PageSpec:
    """A page to generate: where it goes, and how to render it (the pipeline calls render)."""

    path: str
    source: str
    render: Callable[[], OutputPage]


@dataclass(frozen=True)
class Site:
    """What every page is rendered from."""

    kb: KnowledgeBase
    settings: SiteSettings
    style: str = DIRECTORY
    """The URL style of the links (urls.DIRECTORY, or urls.FILE for the offline copy)."""
    history: History = History(())
    """The published editions, and the current content."""
    archive: str | None = None
    """The edition whose fixed copy is being made (publish.py), or None for the current site."""


class TemplateUrls:
    """The page's links for templates: each escaped for an attribute (ids are safe slugs)."""

    def __init__(self, urls: PageUrls):
        self._urls = urls

    def __getattr__(self, name: str):
        method = getattr(self._urls, name)
        return lambda *args: Markup(escape.html_attribute(method(*args)))


def page_context(site: Site, lang: str, path: str, previews: bool = True) -> dict:
    """What every page template receives, for the page at path (in its language's folder)."""
    words = Words(read_labels(), lang)
    urls = PageUrls(lang, path, site.style, site.archive)
    md = Writer(site.kb, words, urls, markdown=True, previews=previews)
    html = Writer(site.kb, words, urls, markdown=False)
    return {"lang": lang, "language": LANGUAGES[lang], "other": LANGUAGES[lang].other.code, "kb": site.kb,
            "settings": site.settings, "words": words, "md": md, "html": html, "cite": Citing(md, html),
            "urls": TemplateUrls(urls), "page_urls": urls, "archive_banner": archive_banner(site, words, urls)}


def archive_banner(site: Site, words: Words, urls: PageUrls) -> dict | None:
    """What a page of an edition's fixed copy says at its top (overrides/main.html shows it)."""
    edition = site.history.get(site.archive) if site.archive else None
    if edition is None:
        return None
    concept = urls.page.startswith("concepts/") and urls.page != "concepts/index.md"
    return {"notice": edition_words(words, "archive_notice", edition),
            "current": urls.in_current(), "current_label": words("archive_current"),
            "changes": urls.in_current(anchor="editions") if concept else urls.in_current("changes/index.md"),
            "changes_label": words("archive_changes")}


def map_legend(words: Words) -> dict[str, str]:
    """Line styles: one for the hierarchy (broader above, narrower below), one each for the rest."""
    return {"broader": words("map_hierarchy"), "related": words("related"),
            "contrasted": words("contrasted"), "inferred": words("map_inference")}


# --- pages ---------------------------------------------------------------------------------------


def render_concept_page(site: Site, concept: Concept, lang: str) -> OutputPage:
    kb, settings = site.kb, site.settings
    path = f"concepts/{concept.id}.md"
    context = page_context(site, lang, path)
    words, urls = context["words"], context["page_urls"]
    editions = ConceptEditions(site.history, concept, words, urls)
    cited = editions.cited.edition if editions.cited else None
    # The address a citation names: the page in the edition the reader cites, which keeps its text
    # (absolute with kb.yml's site_url, else from the site's root; the cite script puts in the
    # address of the site the reader is on).
    address = settings.site_url + urls.from_site_root(cited)
    sections = [("definitions", words("definitions"))] + [(s.id, s.title[lang]) for s in concept.sections]
    sections += [("relations", words("relations")), ("in-the-article", words("in_the_article")),
                 ("referenced-by", words("referenced_by")), ("editions", words("editions"))]
    dialog = citations.concept_page_citations(kb, concept, settings, lang, sections)
    dialog["labels"] = {key: words(key) for key in DIALOG_WORDS}
    # The cite script resolves this against the reader's address. An offline copy holds no
    # edition, so without kb.yml's site_url it can only name the file the reader has open.
    if settings.site_url:
        dialog["address"] = address
    else:
        dialog["address"] = urls.cited(cited if urls.style == DIRECTORY else None)
    static = citations.kb_entry(settings, lang, concept.id, concept.title[lang], url=address)
    site_url = settings.site_url + LANGUAGES[lang].site_root if settings.site_url else ""
    label = f"{words('map_of')} {concept.title[lang]}. {words('map_same_as_list')}"
    neighbourhood = neighbourhood_svg(kb, concept.id, lang, label, map_legend(words), urls.concept)
    text = render_template(
        "concept.md.j2", **context, concept=concept, relations=kb.relations[concept.id],
        relation_kinds=RELATION_KINDS, backlinks=kb.backlinks[concept.id], inferences=inferences_of(kb, concept.id),
        transliterated=_cites_other_script(kb, concept, lang), neighbourhood=Markup(neighbourhood),
        page_cite={"apa": Markup(static.apa.html), "chicago": Markup(static.chicago.html),
                   "bibtex": static.bibtex, "ris": static.ris},
        cite_data=Markup(escape.script_json(dialog)), editions=editions,
        meta=citations.concept_metadata(kb, concept, settings, lang, address, site_url))
    return OutputPage(f"{lang}/{path}", text, concept.path)


def _cites_other_script(kb: KnowledgeBase, concept: Concept, lang: str) -> bool:
    """Whether the page names an author whose name the article writes in the other script: the
    page's text then gives the editors' transliteration of it."""
    return any(kb.works[s.work].script != lang for st in statements(concept) for s in st.sources
               if isinstance(s, WorkCitation) and s.work in kb.works)


def render_concept_index(site: Site, lang: str) -> OutputPage:
    kb, path = site.kb, "concepts/index.md"
    by_title = lambda cid: LANGUAGES[lang].sort_key(kb.concepts[cid].title[lang])  # noqa: E731
    children = {cid: sorted(kb.relations[cid]["narrower"], key=by_title) for cid in kb.concepts}
    roots = sorted((cid for cid in kb.concepts if not kb.relations[cid]["broader"]), key=by_title)
    text = render_template("concept_index.md.j2", **page_context(site, lang, path, previews=False),
                           roots=roots, children=children)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def glossary_entries(kb: KnowledgeBase, lang: str) -> list[dict]:
    """Every concept title and alias as a glossary entry, in the language's order."""
    entries = []
    for concept in kb.concepts.values():
        entries.append({"term": concept.title[lang], "concept": concept, "alias": False})
        for alias in concept.aliases[lang]:
            entries.append({"term": alias, "concept": concept, "alias": True})
    entries.sort(key=lambda e: (LANGUAGES[lang].sort_key(e["term"]), e["alias"], e["concept"].id))
    return entries


def render_glossary(site: Site, lang: str) -> OutputPage:
    kb, path = site.kb, "glossary.md"
    groups: list[tuple[str, str, list[dict]]] = []
    for entry in glossary_entries(kb, lang):
        letter = first_letter(entry["term"], lang)
        if not groups or groups[-1][0] != letter:
            groups.append((letter, letter_anchor(letter), []))
        groups[-1][2].append(entry)
    text = render_template("glossary.md.j2", **page_context(site, lang, path, previews=False),
                           groups=groups)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_bibliography(site: Site, lang: str) -> OutputPage:
    kb, path = site.kb, "bibliography.md"

    def key(work: Work):
        names = " ".join(a[work.script] for a in work.authors)
        return (LANGUAGES[work.script].sort_key(names), work.year, work.id)

    by_script = {script: sorted((w for w in kb.works.values() if w.script == script), key=key) for script in CODES}
    order = [lang, LANGUAGES[lang].other.code]
    text = render_template("bibliography.md.j2", **page_context(site, lang, path, previews=False),
                           groups=[(s, by_script[s]) for s in order if by_script[s]], citations=kb.citations,
                           downloads=BIBLIOGRAPHY_FILES, work_label=citations.work_label,
                           year_in_full=citations.year_in_full)
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_article_page(site: Site, article: Article, lang: str) -> OutputPage:
    kb, path = site.kb, f"articles/{article.id}.md"
    apa, chicago = citations.article_apa(article, lang), citations.article_chicago(article, lang)
    text = render_template("article.md.j2", **page_context(site, lang, path), article=article,
                           section_concepts=kb.section_concepts, apa=Markup(apa.html), chicago=Markup(chicago.html),
                           bibtex=citations.article_bibtex(article), ris=citations.article_ris(article),
                           meta=citations.article_metadata(article))
    return OutputPage(f"{lang}/{path}", text, article.path)


def render_articles_index(site: Site, lang: str) -> OutputPage:
    path = "articles/index.md"
    text = render_template("articles_index.md.j2", **page_context(site, lang, path, previews=False))
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_concept_map(site: Site, lang: str) -> OutputPage:
    kb, path = site.kb, "map.md"
    context = page_context(site, lang, path, previews=False)
    words = context["words"]
    svg = whole_map_svg(kb, lang, f"{words('concept_map')}. {words('map_same_as_list_below')}", map_legend(words),
                        context["page_urls"].concept)
    order = sorted(kb.concepts, key=lambda cid: LANGUAGES[lang].sort_key(kb.concepts[cid].title[lang]))
    text = render_template("map.md.j2", **context, svg=Markup(svg), order=order, relation_kinds=RELATION_KINDS,
                           shown=len(whole_map_concepts(kb, lang)))
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_home(site: Site, lang: str) -> OutputPage:
    path = "index.md"
    text = render_template(f"home.{lang}.md.j2", **page_context(site, lang, path, previews=False),
                           core=[c for c in CORE_CONCEPTS if c in site.kb.concepts],
                           edition=citations.edition_text(site.settings, lang))
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def bibliography_file_texts(kb: KnowledgeBase) -> dict[str, str]:
    """The bibliography as BibTeX, RIS and CSL-JSON (the same in both languages' folders)."""
    articles, works = list(kb.articles.values()), list(kb.works.values())
    return {"bibtex": citations.bibliography_bibtex(articles, works),
            "ris": citations.bibliography_ris(articles, works),
            "csl": citations.bibliography_csl_json(articles, works)}


SITE_WIDE = (("index.md", render_home), ("concepts/index.md", render_concept_index), ("glossary.md", render_glossary),
             ("map.md", render_concept_map), ("bibliography.md", render_bibliography),
             ("articles/index.md", render_articles_index))
"""The pages that index the whole knowledge base, in each language."""


def site_pages(kb: KnowledgeBase, settings: SiteSettings, style: str = DIRECTORY, history: History | None = None,
               archive: str | None = None) -> list[PageSpec]:
    """Every page to generate, in both languages, sorted by path, each with how to render it.

    history: the published editions (and the current content); archive: the edition whose fixed
    copy is being made, or None for the current site.
    """
    site = Site(kb, settings, style, History(()) if history is None else history, archive)
    specs: list[PageSpec] = []

    @cache
    def bibliography_texts() -> dict[str, str]:  # rendered once, for the six files that need them
        return bibliography_file_texts(kb)

    for lang in CODES:
        for name, render in SITE_WIDE:
            specs.append(PageSpec(f"{lang}/{name}", "build_kb.py", lambda r=render, lang=lang: r(site, lang)))
        for fmt, name in BIBLIOGRAPHY_FILES.items():
            path = f"{lang}/{name}"
            specs.append(PageSpec(path, "build_kb.py",
                                  lambda fmt=fmt, path=path: OutputPage(path, bibliography_texts()[fmt], "build_kb.py")))
        for concept in kb.concepts.values():
            specs.append(PageSpec(f"{lang}/concepts/{concept.id}.md", concept.path,
                                  lambda c=concept, lang=lang: render_concept_page(site, c, lang)))
        for article in kb.articles.values():
            specs.append(PageSpec(f"{lang}/articles/{article.id}.md", article.path,
                                  lambda a=article, lang=lang: render_article_page(site, a, lang)))
        specs += edition_page_specs(site, lang, page_context)
    specs.append(PageSpec(EXPORT_PATH, "build_kb.py", lambda: render_export(kb, settings, site.history.current)))
    return sorted(specs, key=lambda spec: spec.path)


def render_site(kb: KnowledgeBase, settings: SiteSettings, style: str = DIRECTORY, history: History | None = None,
                archive: str | None = None) -> list[OutputPage]:
    """Every generated page, rendered, in both languages, sorted by path."""
    return [spec.render() for spec in site_pages(kb, settings, style, history, archive)]
