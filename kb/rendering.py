"""Stage 4, render: the linked knowledge base to Markdown pages, both languages.

Pure: takes the linked records, returns {path: text}. Templates live in
kb/templates/. Jinja's `finalize` escapes every `{{ }}` output for Markdown
unless a helper already returned Markup, so record text cannot become markup.
"""

from __future__ import annotations

from functools import cache

import yaml
from markupsafe import Markup

from . import citations
from .concept_map import whole_map_concepts, whole_map_svg
from .export import EXPORT_PATH, render_export
from .fingerprints import Fingerprints
from .linking import KnowledgeBase, inferences_of, statements
from .model import LANGUAGES, RELATION_KINDS, UNKNOWN, Article, Concept, SiteSettings, Work, WorkCitation
from .page_renderer import OTHER, PageRenderer, get_environment
from .persian import first_letter, letter_anchor, sort_key
from .writing import OutputPage


class PageJob:
    """A page to generate, rendered only when asked: `text` renders it, each time it is read
    (the text is not kept, so a build holds one page in memory at a time)."""

    def __init__(self, path: str, source: str, fingerprint: str, render):
        self.path, self.source, self.fingerprint = path, source, fingerprint
        self._render = render

    @property
    def text(self) -> str:
        return self._render().text


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
    article_ids = set()
    for statement in statements(concept):
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
                   inferences=inferences_of(kb, concept.id), transliterated=_cites_other_script(kb, concept, lang),
                   relation_kinds=RELATION_KINDS, backlinks=kb.backlinks[concept.id],
                   settings=settings, cite=cite, page_cite=r.citation_static(cite["entry"], settings),
                   meta=concept_metadata(r, concept, settings))
    return OutputPage(f"{lang}/{path}", text, concept.path)


def _cites_other_script(kb: KnowledgeBase, concept: Concept, lang: str) -> bool:
    """Whether the page names an author whose name the article writes in the other script: the
    page's text then gives the editors' transliteration of it."""
    return any(kb.works[s.work].script != lang for st in statements(concept) for s in st.sources
               if isinstance(s, WorkCitation) and s.work in kb.works)


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
    svg = whole_map_svg(kb, lang, f"{r.raw_label('concept_map')}. {r.raw_label('map_same_as_list_below')}",
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


def bibliography_file_texts(kb: KnowledgeBase) -> dict[str, str]:
    """The bibliography as BibTeX, RIS and CSL-JSON (the same in both languages' folders)."""
    articles, works = list(kb.articles.values()), list(kb.works.values())
    return {"bibtex": citations.bibliography_bibtex(articles, works),
            "ris": citations.bibliography_ris(articles, works),
            "csl": citations.bibliography_csl_json(articles, works)}


def site_pages(kb: KnowledgeBase, settings: SiteSettings,
               record_digests: dict[str, str] | None = None) -> list[PageJob]:
    """Every page to generate, in both languages, sorted by path; each renders on demand.

    record_digests (record path → digest of its bytes) spares digesting each parsed record.
    """
    prints = Fingerprints(kb, settings, record_digests or {})
    site_wide = prints.site_wide
    jobs: list[PageJob] = []

    def add(path: str, source: str, fingerprint: str, render) -> None:
        jobs.append(PageJob(path, source, fingerprint, render))

    @cache
    def bibliography_texts() -> dict[str, str]:  # rendered once, for the six files that need them
        return bibliography_file_texts(kb)

    for lang in LANGUAGES:
        for name, render in (("index.md", render_home), ("concepts/index.md", render_concept_index),
                             ("glossary.md", render_glossary), ("map.md", render_concept_map),
                             ("bibliography.md", render_bibliography),
                             ("articles/index.md", render_articles_index)):
            add(f"{lang}/{name}", "build_kb.py", site_wide, lambda r=render, lang=lang: r(kb, lang, settings))
        for fmt, name in BIBLIOGRAPHY_FILES.items():
            add(f"{lang}/{name}", "build_kb.py", site_wide,
                lambda fmt=fmt, path=f"{lang}/{name}": OutputPage(path, bibliography_texts()[fmt], "build_kb.py"))
        for concept in kb.concepts.values():
            add(f"{lang}/concepts/{concept.id}.md", concept.path, prints.concept(concept),
                lambda c=concept, lang=lang: render_concept_page(kb, c, lang, settings))
        for article in kb.articles.values():
            add(f"{lang}/articles/{article.id}.md", article.path, site_wide,
                lambda a=article, lang=lang: render_article_page(kb, a, lang, settings))
    add(EXPORT_PATH, "build_kb.py", prints.everything, lambda: render_export(kb, settings))
    return sorted(jobs, key=lambda job: job.path)


def render_site(kb: KnowledgeBase, settings: SiteSettings) -> list[OutputPage]:
    """Every generated page, rendered, in both languages, sorted by path."""
    return [OutputPage(job.path, job.text, job.source) for job in site_pages(kb, settings)]
