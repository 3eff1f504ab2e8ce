"""Stage 3, link: resolve every reference between records and derive the graph.

A knowledge base is a graph, not a tree: relations are stated on one side and
shown on both, pages list who links to them, works list where they are cited.
All of that needs every record first, so it happens here, before rendering.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .records.loading import RawRecord
from .records.model import (INVERSE_RELATION, RELATION_KINDS, Article, ArticleCitation, Bilingual, Concept, Records, Work,
                    WorkCitation)
from .records.problems import Problems, did_you_mean, format_key
from .text.inline import find_links

RESERVED_SECTION_IDS = frozenset({
    "definitions", "relations", "in-the-article", "referenced-by", "notes", "cite",
    "concept-map", "summary", "aliases",
})
"""Anchors the concept page template uses itself; a record section may not take them."""

RESERVED_ARTICLE_IDS = frozenset({
    "bibliographic-details", "article-authors", "abstract-in-our-words", "article-keywords",
    "article-outline", "state-of-the-text", "cite",
})
"""Anchors the article page template uses itself; an outline section may not take them."""


@dataclass(frozen=True)
class Citation:
    """One place a work is cited: a concept page section, with the page the article gives."""

    concept: str
    section: str
    page: str


@dataclass
class KnowledgeBase:
    """The linked records: what the renderer needs, with every reference resolved."""

    records: Records
    relations: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """concept id -> relation kind -> concept ids, stated and inferred, sorted."""
    backlinks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """concept id -> ids of the concepts whose pages link to it."""
    citations: dict[str, tuple[Citation, ...]] = field(default_factory=dict)
    """work id -> where it is cited."""
    section_concepts: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """(article id, outline section id) -> concepts that come from it."""
    inferences: dict[frozenset[str], Bilingual] = field(default_factory=dict)
    """{concept id, concept id} -> why the editors relate the two: a relation the article does
    not draw. Shown on both pages."""
    outgoing: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    """concept id -> every concept its page links to (see links_from), once relations are resolved."""

    @property
    def concepts(self) -> dict[str, Concept]:
        return self.records.concepts

    @property
    def works(self) -> dict[str, Work]:
        return self.records.works

    @property
    def articles(self) -> dict[str, Article]:
        return self.records.articles

    def links_from(self, concept_id: str) -> frozenset[str]:
        """Every concept the page of concept_id links to: its relations and the [[links]] in its text."""
        if concept_id in self.outgoing:
            return self.outgoing[concept_id]
        linked = {t for targets in self.relations[concept_id].values() for t in targets}
        concept = self.concepts[concept_id]
        for statement in statements(concept):
            for lang in ("fa", "en"):
                linked.update(target for target, _ in find_links(statement.text[lang]))
        linked.discard(concept_id)
        return frozenset(linked)


def link_records(records: Records, raw_by_path: dict[str, RawRecord], problems: Problems) -> KnowledgeBase:
    """Resolve references; report every dangling or contradictory one."""
    kb = KnowledgeBase(records)

    def report(record_path: str, key_path: tuple, message: str) -> None:
        raw = raw_by_path.get(record_path)
        line = raw.line(key_path) if raw else 0
        problems.add(record_path, line, format_key(key_path), message)

    _check_articles(records, report)
    _check_works(records, report)
    for concept in records.concepts.values():
        _check_concept(concept, records, report)
    kb.relations = _resolve_relations(records, report)
    kb.inferences = _collect_inferences(records, report)
    kb.outgoing = {cid: kb.links_from(cid) for cid in records.concepts}
    kb.backlinks = _collect_backlinks(kb)
    kb.citations = _collect_citations(records, report)
    kb.section_concepts = _collect_section_concepts(records)
    return kb


def _check_articles(records: Records, report) -> None:
    for article in records.articles.values():
        seen: set[str] = set()
        for index, section in enumerate(article.outline):
            if section.id in RESERVED_ARTICLE_IDS:
                report(article.path, ("outline", index, "id"),
                       f"section id '{section.id}' is reserved for the article page's own section; "
                       "choose another id")
            if section.id in seen:
                report(article.path, ("outline", index, "id"),
                       f"section id '{section.id}' is used twice in this outline")
            seen.add(section.id)
        for index, section in enumerate(article.outline):
            if section.parent is not None and section.parent not in seen:
                report(article.path, ("outline", index, "parent"),
                       f"unknown section '{section.parent}'{did_you_mean(section.parent, seen)}")


def _check_works(records: Records, report) -> None:
    for work in records.works.values():
        for index, article_id in enumerate(work.cited_in):
            if article_id not in records.articles and article_id not in records.broken_ids:
                report(work.path, ("cited_in", index),
                       f"unknown article '{article_id}'{did_you_mean(article_id, records.articles)}")


def _check_concept(concept: Concept, records: Records, report) -> None:
    for index, ref in enumerate(concept.in_article):
        _check_article_section(concept.path, ("in_article", index), ref.article, ref.sections,
                               records, report)
    seen: set[str] = set()
    for index, section in enumerate(concept.sections):
        key = ("sections", index, "id")
        if section.id in RESERVED_SECTION_IDS:
            report(concept.path, key, f"section id '{section.id}' is reserved for the page's own "
                                      f"'{section.id}' section; choose another id")
        if section.id in seen:
            report(concept.path, key, f"section id '{section.id}' is used twice on this page")
        seen.add(section.id)
    for key_path, statement in _statements_with_paths(concept):
        for j, source in enumerate(statement.sources):
            where = key_path + ("sources", j)
            if isinstance(source, WorkCitation):
                if source.work in records.broken_ids:
                    continue
                if source.work not in records.works:
                    report(concept.path, where + ("work",), f"unknown work '{source.work}'"
                           f"{did_you_mean(source.work, records.works)}")
                elif not any(ref.article in records.works[source.work].cited_in
                             for ref in concept.in_article):
                    report(concept.path, where + ("work",),
                           f"work '{source.work}' is not cited by any article this concept comes "
                           f"from ({', '.join(r.article for r in concept.in_article)}); add the "
                           "article to the work's cited_in, or correct the source")
            else:
                _check_article_section(concept.path, where, source.article, (source.section,),
                                       records, report, key_for_section=("section",))
        for lang in ("fa", "en"):
            for target, _ in find_links(statement.text[lang]):
                if target not in records.concepts and target not in records.broken_ids:
                    report(concept.path, key_path + ("text", lang),
                           f"link [[{target}]] points to unknown concept '{target}'"
                           f"{did_you_mean(target, records.concepts)}")


def _check_article_section(path: str, key_path: tuple, article_id: str, sections, records: Records,
                           report, key_for_section=("sections",)) -> None:
    article = records.articles.get(article_id)
    if article is None:
        if article_id in records.broken_ids:
            return
        report(path, key_path + ("article",),
               f"unknown article '{article_id}'{did_you_mean(article_id, records.articles)}")
        return
    known = [s.id for s in article.outline]
    for i, section_id in enumerate(sections):
        if section_id not in known:
            where = key_path + key_for_section + ((i,) if key_for_section == ("sections",) else ())
            report(path, where, f"article '{article_id}' has no section '{section_id}'"
                                f"{did_you_mean(section_id, known)} (its sections: {', '.join(known)})")


def _resolve_relations(records: Records, report) -> dict[str, dict[str, tuple[str, ...]]]:
    """Stated relations plus their inverses; dangling and contradictory ones are reported."""
    resolved: dict[str, dict[str, set[str]]] = {cid: {k: set() for k in RELATION_KINDS}
                                                for cid in records.concepts}
    stated_at: dict[tuple[str, str, str], tuple[str, tuple]] = {}
    for concept in records.concepts.values():
        for kind in RELATION_KINDS:
            for index, target in enumerate(getattr(concept.relations, kind)):
                key_path = ("relations", kind, index)
                if target == concept.id:
                    report(concept.path, key_path, f"a concept cannot list itself as {kind}")
                    continue
                if target not in records.concepts:
                    if target in records.broken_ids:
                        continue
                    report(concept.path, key_path, f"unknown concept '{target}'"
                                                   f"{did_you_mean(target, records.concepts)}")
                    continue
                if target in resolved[concept.id][kind] and (concept.id, kind, target) in stated_at:
                    report(concept.path, key_path, f"'{target}' is listed more than once as {kind}")
                    continue
                resolved[concept.id][kind].add(target)
                resolved[target][INVERSE_RELATION[kind]].add(concept.id)
                stated_at[(concept.id, kind, target)] = (concept.path, key_path)
    reported: set[frozenset] = set()
    for cid, kinds in resolved.items():
        for a, b in (("broader", "narrower"), ("broader", "related"), ("narrower", "related"),
                     ("related", "contrasted"), ("broader", "contrasted"), ("narrower", "contrasted")):
            for target in sorted(kinds[a] & kinds[b]):
                pair = frozenset((cid, target))
                if pair in reported:
                    continue
                # Report in the record that states one of the two, from its own point of view.
                for subject, kinds_here, other in ((cid, (a, b), target),
                                                   (target, (INVERSE_RELATION[a], INVERSE_RELATION[b]), cid)):
                    where = next((stated_at[(subject, k, other)] for k in kinds_here
                                  if (subject, k, other) in stated_at), None)
                    if where:
                        reported.add(pair)
                        report(where[0], where[1],
                               f"'{other}' is both {kinds_here[0]} and {kinds_here[1]} here, counting the "
                               f"relations stated on both pages; keep one")
                        break
    _report_broader_cycles(records, resolved, stated_at, report)
    return {cid: {kind: tuple(sorted(targets)) for kind, targets in kinds.items()}
            for cid, kinds in resolved.items()}


def _collect_inferences(records: Records, report) -> dict[frozenset[str], Bilingual]:
    """The relations marked as the editors' inference, by pair. A pair that one record marks as
    an inference and the other states as the article's own relation is reported: a reader
    must never take the editors' inference for the article's claim."""
    found: dict[frozenset[str], Bilingual] = {}
    for concept in records.concepts.values():
        for inference in concept.relations.editors_inferences:
            if inference.concept in records.concepts:
                found[frozenset((concept.id, inference.concept))] = inference.reason
    for concept in records.concepts.values():
        marked = {i.concept for i in concept.relations.editors_inferences}
        for kind in RELATION_KINDS:
            for index, target in enumerate(getattr(concept.relations, kind)):
                if target not in marked and frozenset((concept.id, target)) in found:
                    report(concept.path, ("relations", kind, index),
                           f"'{target}' states this relation as the editors' inference; state it the "
                           "same way here ({concept: ..., editors_inference: ...}) or remove one of the two")
    return dict(sorted(found.items(), key=lambda item: sorted(item[0])))


def _report_broader_cycles(records, resolved, stated_at, report) -> None:
    """A concept cannot be (indirectly) broader than itself."""
    state: dict[str, int] = {}

    def visit(cid: str, trail: list[str]) -> None:
        state[cid] = 1
        for parent in sorted(resolved[cid]["broader"]):
            if state.get(parent) == 1:
                cycle = trail[trail.index(parent):] + [cid, parent] if parent in trail else [cid, parent]
                where = stated_at.get((cid, "broader", parent)) or \
                    stated_at.get((parent, "narrower", cid))
                if where:
                    report(where[0], where[1], "broader relations form a cycle: "
                                               + " → ".join(cycle))
            elif parent not in state:
                visit(parent, trail + [cid])
        state[cid] = 2

    for cid in sorted(records.concepts):
        if cid not in state:
            visit(cid, [])


def _collect_backlinks(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    backlinks: dict[str, set[str]] = defaultdict(set)
    for cid in kb.concepts:
        for target in kb.links_from(cid):
            if target in kb.concepts:
                backlinks[target].add(cid)
    return {cid: tuple(sorted(backlinks.get(cid, ()))) for cid in kb.concepts}


def _collect_citations(records: Records, report) -> dict[str, tuple[Citation, ...]]:
    citations: dict[str, list[Citation]] = {wid: [] for wid in records.works}
    for concept in records.concepts.values():
        for key_path, statement in _statements_with_paths(concept):
            section = "definitions" if key_path[0] == "definitions" else \
                concept.sections[key_path[1]].id
            for source in statement.sources:
                if isinstance(source, WorkCitation) and source.work in citations:
                    citations[source.work].append(Citation(concept.id, section, source.page))
    for wid, found in citations.items():
        if not found and not records.broken_ids:  # a broken record may be the one citing it
            report(records.works[wid].path, ("id",),
                   f"work '{wid}' is not cited by any concept; cite it where the article does, "
                   "or delete the record")
    return {wid: tuple(sorted(set(found), key=lambda c: (c.concept, c.section, c.page)))
            for wid, found in citations.items()}


def _collect_section_concepts(records: Records) -> dict[tuple[str, str], tuple[str, ...]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for concept in records.concepts.values():
        for ref in concept.in_article:
            for section_id in ref.sections:
                found[(ref.article, section_id)].add(concept.id)
    return {key: tuple(sorted(ids)) for key, ids in found.items()}


def inferences_of(kb: KnowledgeBase, concept_id: str) -> list[tuple[str, Bilingual]]:
    """(other concept, reason) for each relation of concept_id that is the editors' inference."""
    return sorted((next(iter(pair - {concept_id})), reason) for pair, reason in kb.inferences.items()
                  if concept_id in pair)


def statements(concept: Concept):
    """Every statement of a concept: its definitions, then its sections' paragraphs."""
    for _, statement in _statements_with_paths(concept):
        yield statement


def _statements_with_paths(concept: Concept):
    """Every statement of a concept with its key path in the record."""
    for i, statement in enumerate(concept.definitions):
        yield ("definitions", i), statement
    for k, section in enumerate(concept.sections):
        for i, statement in enumerate(section.paragraphs):
            yield ("sections", k, "paragraphs", i), statement


__all__ = ["Citation", "KnowledgeBase", "link_records", "RESERVED_SECTION_IDS", "ArticleCitation"]
