"""Citation metadata in the page head, for reference managers and search engines.

Highwire citation_* tags (what Zotero's Embedded Metadata translator and Google Scholar read;
citation_inbook_title makes Zotero file a page as a book section) and schema.org JSON-LD. The
values are plain text here; the page template escapes them (| e, | tojson).
"""

from __future__ import annotations

from ..records.model import UNKNOWN, Article, Concept, SiteSettings


def concept_metadata(kb, concept: Concept, settings: SiteSettings, lang: str, url: str,
                     site_url: str) -> dict:
    """url: the page's address; site_url: the address of its language's site ('' when unknown)."""
    other = "en" if lang == "fa" else "fa"
    tags = [["citation_title", concept.title[lang]], ["citation_author", settings.editors[lang]],
            ["citation_publication_date", settings.edition_date.strftime("%Y/%m/%d")],
            ["citation_language", lang], ["citation_publisher", settings.name[lang]],
            ["citation_inbook_title", settings.name[lang]], ["citation_edition", settings.edition]]
    if settings.site_url:
        tags.append(["citation_public_url", url])
    articles = [kb.articles[ref.article] for ref in concept.in_article if ref.article in kb.articles]
    jsonld = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": concept.title[lang],
        "alternateName": [concept.title[other], *concept.aliases[lang], *concept.aliases[other]],
        "description": concept.summary[lang],
        "termCode": concept.id,
        "inLanguage": lang,
        "version": settings.edition,
        "dateModified": settings.edition_date.isoformat(),
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": settings.name[lang],
                             **({"url": site_url} if settings.site_url else {})},
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
