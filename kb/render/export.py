"""The machine-readable export of the whole knowledge base: site/kb.json.

Written by the pipeline like a page (docs/fa/kb.json, copied to the site root by MkDocs), so
it is deterministic and rewritten only when something changed. Its format is described by
schema/kb-export.schema.json. A field the article does not give is null.
"""

from __future__ import annotations

import json

from ..languages import LANGUAGES
from ..linking import KnowledgeBase, inferences_of
from ..records.model import UNKNOWN, Bilingual, SiteSettings, Statement, WorkCitation
from ..text.persian import gregorian_span
from .output import OutputPage

EXPORT_PATH = "fa/kb.json"
FORMAT_VERSION = 1


def _bi(text: Bilingual) -> dict:
    return {"fa": text.fa, "en": text.en}


def _known(value):
    return None if value == UNKNOWN else value


def _source(source) -> dict:
    if isinstance(source, WorkCitation):
        return {"work": source.work, "page": source.page}
    return {"article": source.article, "section": source.section}


def _statement(statement: Statement) -> dict:
    return {"text": _bi(statement.text), "sources": [_source(s) for s in statement.sources]}


def _urls(path: str) -> dict:
    return {code: language.site_root + path for code, language in LANGUAGES.items()}


def export_knowledge_base(kb: KnowledgeBase, settings: SiteSettings) -> dict:
    """The knowledge base as plain data, in a stable order."""
    concepts = []
    for concept in kb.concepts.values():
        concepts.append({
            "id": concept.id,
            "url": _urls(f"concepts/{concept.id}/"),
            "title": _bi(concept.title),
            "aliases": {"fa": list(concept.aliases.fa), "en": list(concept.aliases.en)},
            "summary": _bi(concept.summary),
            "relations": {kind: list(ids) for kind, ids in kb.relations[concept.id].items()},
            "editors_inferences": [{"concept": other, "reason": _bi(reason)}
                                   for other, reason in inferences_of(kb, concept.id)],
            "in_article": [{"article": ref.article, "sections": list(ref.sections)}
                           for ref in concept.in_article],
            "definitions": [_statement(s) for s in concept.definitions],
            "sections": [{"id": s.id, "title": _bi(s.title),
                          "paragraphs": [_statement(p) for p in s.paragraphs]} for s in concept.sections],
            "citations": _concept_citations(kb, concept.id),
            "notes": [_bi(n) for n in concept.notes],
        })
    works = []
    for work in kb.works.values():
        works.append({
            "id": work.id,
            "url": _urls(f"bibliography/#{work.id}"),
            "authors": [_bi(a) for a in work.authors],
            "authors_incomplete": work.et_al,
            "script": work.script,
            "year": _known(work.year),
            "calendar": work.calendar,
            "gregorian_years": (gregorian_span(int(work.year))
                                if work.calendar == "solar-hijri" and work.year != UNKNOWN else None),
            "title": None if work.title == UNKNOWN else work.title.original,
            "container": None if work.container == UNKNOWN else work.container.original,
            "publisher": None if work.publisher == UNKNOWN else work.publisher.original,
            "as_cited": list(work.as_cited),
            "cited_in": list(work.cited_in),
            "cited_on": [{"concept": c.concept, "section": c.section, "page": c.page}
                         for c in kb.citations[work.id]],
        })
    articles = []
    for article in kb.articles.values():
        articles.append({
            "id": article.id,
            "url": _urls(f"articles/{article.id}/"),
            "title": _bi(article.title),
            "published_title_en": article.published_title,
            "sic": list(article.sic),
            "authors": [{"name": _bi(a.name), "affiliation": _bi(a.affiliation)} for a in article.authors],
            **{field: _known(getattr(article, field))
               for field in ("journal", "year", "volume", "issue", "pages", "doi")},
            "keywords": {"fa": list(article.keywords_published.fa) or list(article.keywords_translated.fa),
                         "en": list(article.keywords_published.en) or list(article.keywords_translated.en)},
            "outline": [{"id": s.id, "title": _bi(s.title), "parent": s.parent, "truncated": s.truncated,
                         "concepts": list(kb.section_concepts.get((article.id, s.id), ()))}
                        for s in article.outline],
        })
    return {
        "format": FORMAT_VERSION,
        "edition": settings.edition,
        "edition_date": settings.edition_date.isoformat(),
        "note": "Secondary citations: works and pages are as the source article gives them. "
                "null means the article does not give the value. URLs are relative to the site root.",
        "articles": articles,
        "concepts": concepts,
        "works": works,
    }


def _concept_citations(kb: KnowledgeBase, concept_id: str) -> list[dict]:
    """Every work the concept page cites: work, page and the section it is cited in."""
    concept = kb.concepts[concept_id]
    statements = [("definitions", s) for s in concept.definitions]
    statements += [(section.id, p) for section in concept.sections for p in section.paragraphs]
    found = {(source.work, source.page, section_id) for section_id, statement in statements
             for source in statement.sources if isinstance(source, WorkCitation)}
    return [{"work": work, "page": page, "section": section} for work, page, section in sorted(found)]


def render_export(kb: KnowledgeBase, settings: SiteSettings, data: dict | None = None) -> OutputPage:
    """kb.json; data: the export, when the build has made it already (kb/editions compares it)."""
    data = export_knowledge_base(kb, settings) if data is None else data
    # Compact: indentation would send json through its slow pure-Python encoder.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return OutputPage(EXPORT_PATH, text, "build_kb.py")


